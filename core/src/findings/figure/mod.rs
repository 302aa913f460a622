//! Figures: a ledger's claims grouped by subject + property + a unit group, each claim
//! with the as-of it was current at, its source's index (for trust) and its value both
//! exactly (for agreement) and on a numeric line (for the sweeps that weigh support).

use smallvec::SmallVec;
use std::borrow::Cow;
use std::fmt::Write;

use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

mod units;

use super::store::{ranks, Fact, Parsed, Store};
use super::{fold_text, NotCompared};
use crate::config::Config;
use crate::time::{Precision, TimeSpan};
use crate::value::{Bound, Interval};
use units::{describe_sets, unit_sets};

/// The key claims are grouped by: subject and property. The one place to fold property
/// aliases (or any other normalisation) in, so every report and warning agrees on what a
/// figure is.
pub fn figure_key<'a>(
    subject: &'a str,
    property: &'a str,
    config: &'a Config,
) -> (&'a str, Cow<'a, str>) {
    (subject, Cow::Borrowed(config.canonical_property(property)))
}

/// A comparable value: an interval in the figure's unit, a span, or folded text.
#[derive(Clone, Debug)]
pub(super) enum Cmp {
    Q(Interval),
    D(TimeSpan),
    T(String),
}

impl Cmp {
    /// Whether two values can both be true: intervals and spans overlap, texts are equal
    /// after folding.
    pub(super) fn agrees(&self, other: &Cmp) -> bool {
        match (self, other) {
            (Cmp::Q(a), Cmp::Q(b)) => a.overlaps(b),
            (Cmp::D(a), Cmp::D(b)) => a.overlaps(b),
            (Cmp::T(a), Cmp::T(b)) => a == b,
            _ => false,
        }
    }

    /// What the value was read as, for the report.
    pub(super) fn parsed_into(&self, out: &mut String) {
        out.clear();
        // Writing to a String does not fail.
        let _ = match self {
            Cmp::Q(iv) => write!(out, "{iv}"),
            Cmp::D(s) => write!(out, "{s}"),
            Cmp::T(t) => out.write_str(t),
        };
    }
}

/// A value on a numeric line (quantities as numbers, dates as seconds), for sweeps and
/// scores only: agreement is always decided on the exact value.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Num {
    pub lo: f64,
    pub lo_excl: bool,
    pub hi: f64,
    pub hi_excl: bool,
    /// One point standing for the value: an exact number, a range's middle, a one-sided
    /// range's finite end.
    pub point: f64,
}

impl Num {
    fn of_interval(iv: &Interval) -> Num {
        let f = to_f64;
        let (lo, lo_excl) = match iv.low {
            Bound::Unbounded => (f64::NEG_INFINITY, false),
            Bound::Incl(v) => (f(v), false),
            Bound::Excl(v) => (f(v), true),
        };
        let (hi, hi_excl) = match iv.high {
            Bound::Unbounded => (f64::INFINITY, false),
            Bound::Incl(v) => (f(v), false),
            Bound::Excl(v) => (f(v), true),
        };
        // An open end is not in the value: step just inside it, so that the point
        // stands for a number the claim allows.
        let inside = |x: f64| x.abs().max(1.0) * 1e-12;
        let point = match (lo.is_finite(), hi.is_finite()) {
            (true, true) => lo / 2.0 + hi / 2.0,
            (true, false) if lo_excl => lo + inside(lo),
            (true, false) => lo,
            (false, true) if hi_excl => hi - inside(hi),
            (false, true) => hi,
            (false, false) => 0.0,
        };
        Num {
            lo,
            lo_excl,
            hi,
            hi_excl,
            point,
        }
    }

    fn of_span(s: &TimeSpan) -> Num {
        let lo = s.start.and_utc().timestamp() as f64;
        let hi = s.end.and_utc().timestamp() as f64;
        Num {
            lo,
            lo_excl: false,
            hi,
            hi_excl: true,
            point: lo / 2.0 + hi / 2.0,
        }
    }
}

/// An item's class when it has none (a date, a text, a converted quantity): the store's
/// own "none", which [`Store::class`] gives a date or a text.
pub(super) const NO_CLASS: u32 = super::store::NONE;

/// What kind of values a figure holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ValueKind {
    Quantity,
    Date,
    Text,
}

/// One claim of a figure.
#[derive(Clone, Debug)]
pub(super) struct Item<'a> {
    /// The claim, with its status and the as-of it was current at.
    pub claim: &'a Fact,
    /// False for claims marked false or retracted.
    pub counts: bool,
    /// Index of the claim's source in [`Grouping::sources`].
    pub source: usize,
    /// When the claim's figure was current: its as-of, else its source's published
    /// date.
    pub as_of: Option<TimeSpan>,
    pub value: Cmp,
    /// Whether `value` is the claim's value as read (not converted to another unit).
    pub as_read: bool,
    /// For a quantity as read, its class in the store: two such items are one class
    /// exactly when their values are equal ([`Store::class`]); else [`NO_CLASS`].
    pub class: u32,
    pub num: Num,
}

/// The claims of one subject + property that can be compared with each other.
#[derive(Debug)]
pub(super) struct Figure<'a> {
    /// Where the claims' strings are.
    pub store: &'a Store,
    pub subject: &'a str,
    pub property: Cow<'a, str>,
    pub unit: Option<&'a str>,
    pub kind: ValueKind,
    pub cumulative: bool,
    /// In as-of order (undated last), then by claim id: never in row order.
    pub items: Vec<Item<'a>>,
    /// How far apart two values may be and still lend each other support (on the
    /// numeric line): the coarsest precision a quantity was given at, the finest span
    /// a date was given at.
    pub near: f64,
    /// Whether a date of the figure was given to the minute (gaps then in minutes).
    pub minutes: bool,
}

/// Every figure of a ledger, with the sources claims come from.
#[derive(Debug)]
pub(super) struct Built<'a> {
    pub figures: Vec<Figure<'a>>,
}

/// The claims of a store grouped by subject + canonical property (in the order of their
/// keys as text, each group's claims by id), to make figures from one group at a time:
/// a report over a million claims never holds every figure at once.
pub(super) struct Grouping<'a> {
    store: &'a Store,
    config: &'a Config,
    /// Each property's canonical name, by interned property.
    canon: Vec<&'a str>,
    /// Places in the store's claims, by group then claim id.
    order: Vec<u32>,
    /// Where each group starts in `order`, and one past the last group's end.
    starts: Vec<u32>,
    /// Source ids, sorted: an item's `source` indexes this.
    pub sources: &'a [String],
    /// How many groups are made into figures at a time (see [`super::trust::BLOCK`]).
    pub block: usize,
}

impl Figure<'_> {
    /// An item's claim id, whole, written over `out`.
    pub(super) fn full_id_into(&self, it: &Item, out: &mut String) {
        self.store.id_text_into(it.claim, out);
    }

    /// An item's short claim id.
    pub(super) fn short(&self, it: &Item) -> String {
        self.store.short_text(it.claim)
    }

    /// An item's source id.
    pub(super) fn source_of(&self, it: &Item) -> &str {
        self.store.sources.get(it.claim.source)
    }

    /// An item's value as written.
    pub(super) fn raw(&self, it: &Item) -> &str {
        self.store.raw(it.claim)
    }

    /// An item's value as it compares, written over `out`.
    pub(super) fn parsed_into(&self, it: &Item, out: &mut String) {
        if it.as_read {
            out.clear();
            out.push_str(self.store.parsed_text(it.claim));
        } else {
            it.value.parsed_into(out);
        }
    }

    /// An item's as-of as a report writes it.
    pub(super) fn as_of_text(&self, it: &Item) -> Option<&str> {
        self.store.as_of_text(it.claim)
    }

    /// An item's unit as written.
    pub(super) fn unit_of(&self, it: &Item) -> Option<&str> {
        it.claim.unit().map(|u| self.store.units.get(u))
    }
}

impl<'a> Grouping<'a> {
    /// Groups the store's claims.
    pub(super) fn new(store: &'a Store, config: &'a Config) -> Self {
        let subjects: Vec<&str> = (0..store.subjects.len() as u32)
            .map(|i| store.subjects.get(i))
            .collect();
        let canon: Vec<&str> = (0..store.properties.len() as u32)
            .map(|i| config.canonical_property(store.properties.get(i)))
            .collect();
        let (subject_rank, property_rank) = (ranks(&subjects), ranks(&canon));
        let facts = &store.facts;
        // One number per group key, and the id's first 8 bytes beside it: the sort rarely
        // reaches into the claims.
        let key = |f: &Fact| {
            let s = u64::from(subject_rank[f.subject as usize]);
            s << 32 | u64::from(property_rank[f.property as usize])
        };
        let mut keyed: Vec<(u64, u64, u32)> = facts
            .par_iter()
            .enumerate()
            .map(|(i, f)| (key(f), store.id_prefix(f).unwrap_or(0), i as u32))
            .collect();
        let by_id = |a: &(u64, u64, u32), b: &(u64, u64, u32)| {
            let (fa, fb) = (&facts[a.2 as usize], &facts[b.2 as usize]);
            match (store.id_prefix(fa), store.id_prefix(fb)) {
                (Some(pa), Some(pb)) => pa.cmp(&pb).then_with(|| fa.id.cmp(&fb.id)),
                _ => store.id_cmp(fa, fb),
            }
        };
        // A store read from a log keeps a group's claims together, the groups in order
        // (see `store::arrange`) when no property is an alias: then each group's claims
        // are put in id order apart (a few each, in the cache) instead of all of them
        // sorted again.
        if keyed.par_windows(2).all(|w| w[0].0 <= w[1].0) {
            keyed
                .par_chunk_by_mut(|a, b| a.0 == b.0)
                .for_each(|group| group.sort_unstable_by(by_id));
        } else {
            keyed.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| by_id(a, b)));
        }
        let mut starts: Vec<u32> = Vec::new();
        for (i, k) in keyed.iter().enumerate() {
            if i == 0 || keyed[i - 1].0 != k.0 {
                starts.push(i as u32);
            }
        }
        starts.push(keyed.len() as u32);
        Grouping {
            store,
            config,
            canon,
            order: keyed.into_par_iter().map(|(_, _, i)| i).collect(),
            starts,
            sources: &store.source_ids,
            block: super::trust::BLOCK,
        }
    }

    /// How many claims there are.
    pub(super) fn claims(&self) -> usize {
        self.order.len()
    }

    /// How many groups there are.
    pub(super) fn len(&self) -> usize {
        self.starts.len() - 1
    }

    /// The claims of group `g`.
    fn facts(&self, g: usize) -> impl Iterator<Item = &'a Fact> + '_ {
        let (a, b) = (self.starts[g] as usize, self.starts[g + 1] as usize);
        self.order[a..b]
            .iter()
            .map(|&i| &self.store.facts[i as usize])
    }

    /// Group `g`'s subject and canonical property.
    pub(super) fn key(&self, g: usize) -> (&'a str, &'a str) {
        let f = &self.store.facts[self.order[self.starts[g] as usize] as usize];
        (
            self.store.subjects.get(f.subject),
            self.canon[f.property as usize],
        )
    }

    /// The figures of group `g` (one per set of values that compare), and what of it
    /// could not be compared.
    pub(super) fn figures(&self, g: usize) -> (Option<NotCompared>, Vec<Figure<'a>>) {
        let mut room = Figures::default();
        let nc = self.figures_into(g, &mut room);
        room.list.truncate(room.len);
        (nc, room.list)
    }

    /// [`Grouping::figures`], made in `room` over the figures it held (each pass over a
    /// million claims makes the figures of every group: in one room per worker, they
    /// cost no allocation).
    pub(super) fn figures_into(&self, g: usize, room: &mut Figures<'a>) -> Option<NotCompared> {
        let raws: SmallVec<[&Fact; 16]> = self.facts(g).collect();
        let (subject, property) = self.key(g);
        group(self.store, self.config, (subject, property), &raws, room)
    }
}

/// The figures of one group, in room reused from one group to the next.
#[derive(Default)]
pub(super) struct Figures<'a> {
    /// The figures made, then any made before and kept for their room.
    list: Vec<Figure<'a>>,
    len: usize,
}

impl<'a> std::ops::Deref for Figures<'a> {
    type Target = [Figure<'a>];

    fn deref(&self) -> &[Figure<'a>] {
        &self.list[..self.len]
    }
}

/// Every figure of a store at once: for a store of a few claims (a new claim's figure).
pub(super) fn build<'a>(store: &'a Store, config: &'a Config) -> Built<'a> {
    let grouping = Grouping::new(store, config);
    Built {
        figures: (0..grouping.len())
            .flat_map(|g| grouping.figures(g).1)
            .collect(),
    }
}

/// The figures of one subject + property, one per set of values that compare, made in
/// `room`.
fn group<'a>(
    store: &'a Store,
    config: &Config,
    (subject, property): (&'a str, &'a str),
    raws: &[&'a Fact],
    room: &mut Figures<'a>,
) -> Option<NotCompared> {
    let cumulative = config.is_cumulative(property);
    let sets = unit_sets(store, raws);
    let nc = (sets.len() > 1).then(|| NotCompared {
        subject: subject.to_string(),
        property: property.to_string(),
        reason: describe_sets(&sets),
    });
    room.len = 0;
    for set in &sets {
        if room.list.len() == room.len {
            room.list.push(Figure {
                store,
                subject,
                property: Cow::Borrowed(property),
                unit: None,
                kind: set.kind,
                cumulative,
                items: Vec::new(),
                near: 0.0,
                minutes: false,
            });
        }
        let fig = &mut room.list[room.len];
        room.len += 1;
        fig.store = store;
        fig.subject = subject;
        fig.property = Cow::Borrowed(property);
        fig.unit = set.unit;
        fig.kind = set.kind;
        fig.cumulative = cumulative && set.kind == ValueKind::Quantity;
        fig.items.clear();
        fig.items
            .extend(set.members.iter().map(|&(i, f)| item(store, raws[i], f)));
        settle(fig);
    }
    nc
}

fn item<'a>(store: &Store, claim: &'a Fact, factor: Decimal) -> Item<'a> {
    let mut as_read = true;
    let (value, num) = match &store.parsed(claim) {
        Parsed::Quantity(interval) => {
            as_read = factor == Decimal::ONE;
            // Most members are in the set's own unit: times one is the value itself.
            let mut iv = if factor == Decimal::ONE {
                *interval
            } else {
                interval.scale(factor)
            };
            // A conversion past the largest number saturates, and can close an
            // interval to nothing ([MAX, MAX)): keep the one number it still names.
            if iv.is_empty() {
                iv = Interval::exact(iv.low_value().or(iv.high_value()).unwrap_or_default());
                as_read = false;
            }
            (Cmp::Q(iv), Num::of_interval(&iv))
        }
        Parsed::Date(span) => (Cmp::D(*span), Num::of_span(span)),
        Parsed::Text => (Cmp::T(fold_text(store.raw(claim))), Num::default()),
    };
    Item {
        claim,
        as_of: store.as_of(claim),
        counts: !super::settled(claim.status),
        source: store
            .source_pos
            .get(claim.source as usize)
            .copied()
            .unwrap_or(0),
        class: if as_read {
            store.class(claim)
        } else {
            NO_CLASS
        },
        value,
        as_read,
        num,
    }
}

/// Puts a figure's items in as-of order (undated last, then by claim id) and works out
/// what its items give the figure: how near values lend support, and whether a date is
/// given to the minute.
fn settle(fig: &mut Figure) {
    let store = fig.store;
    fig.items.sort_by(|a, b| {
        let key = |it: &Item| {
            let as_of = it.as_of;
            (as_of.is_none(), as_of.map(|s| (s.start, s.end)))
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| store.id_cmp(a.claim, b.claim))
    });
    let items = &fig.items;
    let near = match fig.kind {
        ValueKind::Quantity => items
            .iter()
            .filter_map(|it| match &it.value {
                Cmp::Q(iv) => match (iv.low, iv.high) {
                    (Bound::Incl(a), Bound::Incl(b)) if a == b => Some(step(a)),
                    _ => None,
                },
                _ => None,
            })
            .fold(0.0, f64::max),
        ValueKind::Date => items
            .iter()
            .map(|it| it.num.hi - it.num.lo)
            .filter(|d| *d > 0.0)
            .fold(f64::INFINITY, f64::min),
        ValueKind::Text => 0.0,
    };
    fig.minutes = items
        .iter()
        .any(|it| matches!(&it.value, Cmp::D(s) if s.precision == Precision::Minute));
    fig.near = if near.is_finite() { near } else { 0.0 };
}

/// A decimal as the nearest float. A whole number below 2^64 (most counts) converts
/// straight from its digits; figures are made several times per report, and the general
/// conversion divides in 128 bits.
pub(super) fn to_f64(d: Decimal) -> f64 {
    if d.is_zero() {
        // Whatever its sign and scale, as when every value was multiplied by its
        // factor (a product with zero is a plain zero): -0.0 would sort apart.
        return 0.0;
    }
    let digits = d.mantissa().unsigned_abs();
    if d.scale() == 0 && digits <= u128::from(u64::MAX) {
        // Rounded as the general conversion rounds.
        let m = digits as u64 as f64;
        return if d.is_sign_negative() { -m } else { m };
    }
    d.to_f64().unwrap_or(0.0)
}

/// The step of a number's last written digit: 1 for 48, 0.1 for 30.1, 0.01 for 30.06.
fn step(d: Decimal) -> f64 {
    if d.scale() == 0 {
        // No digit after the point: nothing to strip.
        return 1.0;
    }
    let scale = d.normalize().scale().min(28);
    10f64.powi(-(scale as i32))
}
