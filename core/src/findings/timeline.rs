//! The timeline of a cumulative figure (a toll): claims in as-of order, the figure's
//! current value moving up as counts grow and down when a later report confirms a
//! lower figure (an official correction). Owns the roles `earlier`, `stale` and the
//! timeline's `outlier`s and `conflicting` claims.
//!
//! The walk, over moments (claims with the same as-of) in order:
//! - a claim never reached again by any later report, and contradicted by later reports
//!   (at least two, outweighing the reports of that same figure) is an `outlier`: one
//!   early 150 beside 133, 139, 143, 144;
//! - claims of one moment that later reports overtake are that moment's running counts,
//!   taken in rising order; the rest must agree, else the weighted vote decides, else
//!   they are `conflicting`;
//! - a higher figure is a revision up, unless it repeats a figure already revised down
//!   (`stale`); a lower figure is a revision down when a later (or same-time) report
//!   from another source gives the same figure, else it is `stale`.
//!
//! Sorting and the suffix sweeps cost O(n log n); each outlier test looks at a bounded
//! number of later reports.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::figure::{Cmp, Figure, Item, NO_CLASS};
use smallvec::{smallvec, SmallVec};

use super::basis::Basis;
use super::vote::{self, Decision, Ids};
use super::{Direction, Role};
use crate::value::Interval;

/// How far back among same-time claims to look for a confirming report from another
/// source (same-time claims of one value are adjacent; this only bounds a pathological
/// pile of one source's identical claims).
const SAME_TIME_LOOKBACK: usize = 64;

/// How many later reports an outlier test looks at: enough for any real timeline,
/// and a bound on the cost of a pathological one.
const WALK_CAP: usize = 256;

/// Decides a cumulative figure.
pub(super) fn decide(fig: &Figure, counted: &[usize], weight: &[f64]) -> Decision {
    let n = fig.items.len();
    let items = &fig.items;
    let mut dated: Ids = counted
        .iter()
        .copied()
        .filter(|&i| items[i].as_of.is_some())
        .collect();
    dated.sort_by(|&a, &b| {
        let (x, y) = (&items[a], &items[b]);
        let t = |i: &super::figure::Item| i.as_of.map(|s| (s.start, s.end));
        t(x).cmp(&t(y))
            .then(x.num.lo.total_cmp(&y.num.lo))
            .then(x.num.hi.total_cmp(&y.num.hi))
            .then_with(|| fig.store.id_cmp(x.claim, y.claim))
    });
    let later = later_reports(fig, &dated, weight);
    let confirmed = confirmed(fig, &dated);
    let mut walk = Walk {
        fig,
        weight,
        level: None,
        history: SmallVec::new(),
        superseded: Bands::default(),
        roles: smallvec![None; n],
        against: smallvec![None; n],
        revisions: vote::Revisions::new(),
        unresolved: None,
        confirmed,
    };
    let mut start = 0;
    while start < dated.len() {
        let t = items[dated[start]].as_of.map(|s| (s.start, s.end));
        let end = start
            + dated[start..].partition_point(|&i| items[i].as_of.map(|s| (s.start, s.end)) == t);
        walk.moment(&dated, start, end, &later);
        start = end;
    }
    walk.finish(counted)
}

/// What later reports say about each dated claim.
struct Later {
    /// Some later report gives at least as much: the figure was reached again.
    overtaken: SmallVec<[bool; 16]>,
    /// Weight of the reports of the same figure at or after the claim.
    same_w: SmallVec<[f64; 16]>,
}

fn later_reports(fig: &Figure, dated: &[usize], weight: &[f64]) -> Later {
    let n = fig.items.len();
    let items = &fig.items;
    let mut by_start = Ids::from_slice(dated);
    by_start.sort_by_key(|&i| std::cmp::Reverse(items[i].as_of.map(|s| s.start)));
    let mut by_end = Ids::from_slice(dated);
    by_end.sort_by_key(|&i| std::cmp::Reverse(items[i].as_of.map(|s| s.end)));
    let mut out = Later {
        overtaken: smallvec![false; n],
        same_w: smallvec![0.0; n],
    };
    let (mut p, mut max_lo) = (0, f64::NEG_INFINITY);
    for &i in &by_end {
        let end = items[i].as_of.map(|s| s.end);
        while p < by_start.len() && items[by_start[p]].as_of.map(|s| s.start) >= end {
            max_lo = max_lo.max(items[by_start[p]].num.lo);
            p += 1;
        }
        out.overtaken[i] = max_lo >= items[i].num.lo;
    }
    let mut by_value: ByValue<f64> = ByValue::new(dated.len());
    let keys = Keys::new(fig);
    for &i in dated.iter().rev() {
        if let Some(k) = keys.key(i) {
            let w = by_value.entry(k, 0.0);
            *w += weight[i];
            out.same_w[i] = *w;
        }
    }
    out
}

/// Whether a figure never reached again is an outlier: keeping it would make stale
/// every lower report from its time until a confirmed lower figure (a correction),
/// and those outweigh the reports of it. One early 150 beside 133, 139, 143 before two
/// reports of 144 is an outlier; a 101 followed at once by a confirmed 84 is not.
fn lone_high(walk: &Walk, dated: &[usize], k: usize, group_start: usize, later: &Later) -> bool {
    let items = &walk.fig.items;
    let c = dated[k];
    if later.overtaken[c] {
        return false;
    }
    let mut against = 0.0;
    let mut count = 0;
    for &j in dated[group_start..].iter().take(WALK_CAP) {
        if j == c || !walk.below(j, c) {
            continue;
        }
        if walk.confirmed[j] && items[j].as_of.map(|s| s.start) > items[c].as_of.map(|s| s.start) {
            break;
        }
        against += walk.weight[j];
        count += 1;
        if count >= 2 && against > later.same_w[c] {
            return true;
        }
    }
    false
}

/// Whether a report from another source gives the same figure at the same time or
/// later: what makes a lower figure a revision rather than a stale one.
fn confirmed(fig: &Figure, dated: &[usize]) -> SmallVec<[bool; 16]> {
    let items = &fig.items;
    let mut out = smallvec![false; items.len()];
    // Per value, the sources seen so far walking back in time (at most two kept: enough
    // to know whether one differs from a given source).
    let mut seen: ByValue<(usize, Option<usize>)> = ByValue::new(dated.len());
    let keys = Keys::new(fig);
    for (k, &i) in dated.iter().enumerate().rev() {
        let Some(key) = keys.key(i) else {
            continue;
        };
        let src = items[i].source;
        let later = seen
            .get(&key)
            .is_some_and(|&(a, b)| a != src || b.is_some());
        let same_time = dated[..k]
            .iter()
            .rev()
            .take(SAME_TIME_LOOKBACK)
            .take_while(|&&j| items[j].as_of == items[i].as_of)
            .any(|&j| keys.key(j) == Some(key) && items[j].source != src);
        out[i] = later || same_time;
        let e = seen.entry(key, (src, None));
        if e.0 != src && e.1.is_none() {
            e.1 = Some(src);
        }
    }
    out
}

/// A quantity as [`ByValue`] tells values apart, as `Interval`'s `Eq` does: by its class
/// in the store ([`Item::class`]) when every quantity of its figure has one, a number
/// compared and hashed at once; else by the interval itself (hashing a decimal
/// normalizes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum ValueKey {
    Class(u32),
    Interval(Interval),
}

/// How one figure's quantities are told apart: all by class, or all by interval (a
/// class and an interval never compare equal, so the two are never mixed).
struct Keys<'f, 'a> {
    items: &'f [Item<'a>],
    classed: bool,
}

impl<'f, 'a> Keys<'f, 'a> {
    fn new(fig: &'f Figure<'a>) -> Self {
        let classed = fig
            .items
            .iter()
            .all(|it| it.class != NO_CLASS || !matches!(it.value, Cmp::Q(_)));
        Keys {
            items: &fig.items,
            classed,
        }
    }

    /// Item `i`'s key, if it is a quantity.
    fn key(&self, i: usize) -> Option<ValueKey> {
        let it = &self.items[i];
        match &it.value {
            Cmp::Q(_) if self.classed => Some(ValueKey::Class(it.class)),
            Cmp::Q(iv) => Some(ValueKey::Interval(*iv)),
            _ => None,
        }
    }
}

/// What a figure's claims say, by value (see [`ValueKey`]): a list scanned for the
/// handful of values most figures have, a hash map past that.
// Held on the stack for one decision: the list's room inline is the point.
#[allow(clippy::large_enum_variant)]
enum ByValue<V> {
    Few(SmallVec<[(ValueKey, V); 8]>),
    Many(FxHashMap<ValueKey, V>),
}

impl<V> ByValue<V> {
    /// A map for the values of `claims` claims.
    fn new(claims: usize) -> Self {
        if claims <= 16 {
            ByValue::Few(SmallVec::new())
        } else {
            ByValue::Many(FxHashMap::with_capacity_and_hasher(
                claims,
                Default::default(),
            ))
        }
    }

    fn get(&self, key: &ValueKey) -> Option<&V> {
        match self {
            ByValue::Few(list) => list.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            ByValue::Many(map) => map.get(key),
        }
    }

    /// The value kept for `key`, first set to `new` when there is none.
    fn entry(&mut self, key: ValueKey, new: V) -> &mut V {
        match self {
            ByValue::Few(list) => {
                let at = match list.iter().position(|(k, _)| *k == key) {
                    Some(at) => at,
                    None => {
                        list.push((key, new));
                        list.len() - 1
                    }
                };
                &mut list[at].1
            }
            ByValue::Many(map) => map.entry(key).or_insert(new),
        }
    }
}

/// Disjoint bands of figures that were revised down, each with the claim the figure
/// was revised down from. Finding the band a value overlaps is one ordered-map lookup.
#[derive(Default)]
struct Bands {
    by_low: BTreeMap<i64, (f64, f64, usize)>,
}

/// A key that orders like the float (the usual bit trick for total order).
fn key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

impl Bands {
    fn insert(&mut self, mut lo: f64, mut hi: f64, claim: usize) {
        let mut claim = claim;
        let touching: Vec<i64> = self
            .by_low
            .range(..=key(hi))
            .rev()
            .take_while(|(_, &(_, h, _))| h >= lo)
            .map(|(&k, _)| k)
            .collect();
        for k in touching {
            if let Some((l, h, c)) = self.by_low.remove(&k) {
                if h > hi {
                    claim = c;
                }
                lo = lo.min(l);
                hi = hi.max(h);
            }
        }
        self.by_low.insert(key(lo), (lo, hi, claim));
    }

    /// The claim of a band that `lo..hi` overlaps, if any.
    fn overlapping(&self, lo: f64, hi: f64) -> Option<usize> {
        let (_, &(_, h, c)) = self.by_low.range(..=key(hi)).next_back()?;
        (h >= lo).then_some(c)
    }
}

/// How far apart, as a share of their size, two numbers on the line must be for their
/// order to be their values' (see [`Walk::below`]).
const MARGIN: f64 = 1e-9;

/// The walk's state.
struct Walk<'f, 'a> {
    fig: &'f Figure<'a>,
    weight: &'f [f64],
    /// The claim whose value is current.
    level: Option<usize>,
    /// The claims that were current, lowest first: a stack, since levels rise between
    /// corrections and a correction pops the levels above it.
    history: Ids,
    /// Figures revised down: repeating them later is stale.
    superseded: Bands,
    roles: SmallVec<[Option<Role>; 16]>,
    against: SmallVec<[Option<usize>; 8]>,
    revisions: vote::Revisions,
    /// The last moment ended in a tie: (one side, the other).
    unresolved: Option<(usize, usize)>,
    confirmed: SmallVec<[bool; 16]>,
}

impl Walk<'_, '_> {
    fn value(&self, i: usize) -> &Interval {
        match &self.fig.items[i].value {
            Cmp::Q(iv) => iv,
            _ => unreachable!("cumulative figures hold quantities"),
        }
    }

    /// Whether item `a`'s value lies entirely below item `b`'s. Told by their numbers
    /// on the line when those are clearly apart, which most pairs of a timeline are;
    /// else by the exact values. A decimal's float is off by far less than this share
    /// of its size (a few units in the last of 16 digits), so numbers further apart
    /// than that are in the order of the values.
    fn below(&self, a: usize, b: usize) -> bool {
        let (hi, lo) = (self.fig.items[a].num.hi, self.fig.items[b].num.lo);
        // An open end is infinite: the margin then is too, and the values decide.
        let margin = MARGIN * hi.abs().max(lo.abs()).max(1.0);
        if hi + margin < lo {
            true
        } else if hi > lo + margin {
            false
        } else {
            self.value(a).entirely_below(self.value(b))
        }
    }

    /// Whether item `a`'s value and item `b`'s can both be true.
    fn overlap(&self, a: usize, b: usize) -> bool {
        !self.below(a, b) && !self.below(b, a)
    }

    /// One moment: claims with the same as-of.
    fn moment(&mut self, dated: &[usize], start: usize, end: usize, later: &Later) {
        self.unresolved = None;
        let mut running = Ids::new();
        let mut last = Ids::new();
        for k in start..end {
            let i = dated[k];
            if lone_high(self, dated, k, start, later) {
                self.roles[i] = Some(Role::Outlier);
            } else if later.overtaken[i] {
                running.push(i);
            } else {
                last.push(i);
            }
        }
        for i in running {
            self.step(i);
        }
        let agree = last
            .iter()
            .all(|&a| last.iter().all(|&b| self.overlap(a, b)));
        if agree {
            for i in last {
                self.step(i);
            }
            return;
        }
        let scores = vote::scores(self.fig, &last, self.weight);
        let Some((top, Some(rival))) = vote::top_and_rival(self.fig, &last, &scores, self.weight)
        else {
            return;
        };
        if scores[rival] >= scores[top] * (1.0 - 1e-9) {
            for &i in &last {
                self.roles[i] = Some(Role::Conflicting);
                let agrees = self.overlap(i, top);
                self.against[i] = Some(if agrees { rival } else { top });
            }
            self.unresolved = Some((top, rival));
            return;
        }
        for i in last {
            if self.overlap(i, top) {
                self.step(i);
            } else {
                self.roles[i] = Some(Role::Outlier);
                self.against[i] = Some(top);
            }
        }
    }

    /// One claim taken against the current value.
    fn step(&mut self, c: usize) {
        let Some(level) = self.level else {
            self.set_level(c);
            return;
        };
        if self.overlap(c, level) {
            // Agrees with the current figure: its role is settled at the end.
        } else if self.below(level, c) {
            let num = self.fig.items[c].num;
            if let Some(s) = self.superseded.overlapping(num.lo, num.hi) {
                self.roles[c] = Some(Role::Stale);
                self.against[c] = Some(s);
            } else {
                self.revisions.push((c, level, Direction::Up));
                self.set_level(c);
            }
        } else if self.confirmed[c] {
            // Levels only rise between corrections, so the levels above the new one
            // are the top of the stack: each is popped once.
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            while let Some(&h) = self.history.last() {
                if !self.below(c, h) {
                    break;
                }
                lo = lo.min(self.fig.items[h].num.lo);
                hi = hi.max(self.fig.items[h].num.hi);
                self.history.pop();
            }
            if lo <= hi {
                self.superseded.insert(lo, hi, level);
            }
            self.revisions.push((c, level, Direction::Down));
            self.set_level(c);
        } else {
            self.roles[c] = Some(Role::Stale);
            self.against[c] = Some(level);
        }
    }

    fn set_level(&mut self, c: usize) {
        self.level = Some(c);
        self.history.push(c);
    }

    fn finish(self, counted: &[usize]) -> Decision {
        let items = &self.fig.items;
        let best = if self.unresolved.is_some() {
            None
        } else {
            self.level
        };
        let mut roles = smallvec![Role::Consensus; items.len()];
        let mut against = self.against.clone();
        for &i in counted {
            roles[i] = match (self.roles[i], best) {
                (Some(r), _) => r,
                (None, Some(b)) if self.overlap(i, b) => Role::Consensus,
                (None, _) if items[i].as_of.is_some() => Role::Earlier,
                (None, Some(b)) => {
                    against[i] = Some(b);
                    Role::Conflicting
                }
                (None, None) => Role::Conflicting,
            };
            if roles[i] == Role::Outlier && against[i].is_none() {
                against[i] = best;
            }
        }
        let basis = match (best, self.unresolved, self.revisions.is_empty()) {
            (None, Some(_), _) => Basis::TimelineTie,
            (None, None, _) => Basis::Undated,
            (Some(b), _, true) => Basis::Current(b),
            (Some(b), _, false) => Basis::Revision(b),
        };
        Decision {
            roles,
            against,
            best,
            undetermined: best.is_none(),
            basis,
            revisions: self.revisions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::figure::to_f64;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn decimal() -> impl Strategy<Value = Decimal> {
        let digits = prop_oneof![
            any::<i64>().prop_map(i128::from),
            (-(1i128 << 95)..(1i128 << 95)),
            (-1000i128..1000),
        ];
        (digits, 0u32..=28).prop_filter_map("fits a decimal", |(m, s)| {
            Decimal::try_from_i128_with_scale(m, s).ok()
        })
    }

    proptest! {
        /// What [`Walk::below`] rests on: numbers on the line further apart than the
        /// margin are in the order of their decimals, whatever their digits and scale.
        #[test]
        fn floats_apart_by_the_margin_are_in_the_order_of_their_decimals(
            a in decimal(), b in decimal(), near in any::<bool>(), step in 1i64..1000,
        ) {
            // Also pairs one step apart in the last digit: as near as two values get.
            let b = match a.checked_add(Decimal::new(step, a.scale())) {
                Some(n) if near => n,
                _ => b,
            };
            let (x, y) = (to_f64(a), to_f64(b));
            let margin = MARGIN * x.abs().max(y.abs()).max(1.0);
            if x + margin < y {
                prop_assert!(a < b, "{a} and {b} read as {x} and {y}");
            }
            if x > y + margin {
                prop_assert!(a > b, "{a} and {b} read as {x} and {y}");
            }
        }
    }

    /// The list and the map tell values apart alike: as `Interval`'s `Eq` does, so
    /// `1.0` and `1.00` are one value.
    #[test]
    fn by_value_keeps_one_entry_per_value_whether_listed_or_hashed() {
        let keys: Vec<Interval> = [(10, 1), (100, 2), (7, 0), (70, 1), (5, 0), (10, 1)]
            .iter()
            .map(|&(m, s)| Interval::exact(Decimal::new(m, s)))
            .collect();
        for claims in [keys.len(), 100] {
            let mut by: ByValue<usize> = ByValue::new(claims);
            assert_eq!(matches!(by, ByValue::Few(_)), claims <= 16);
            for k in &keys {
                *by.entry(ValueKey::Interval(*k), 0) += 1;
            }
            let count = |m, s| {
                let key = ValueKey::Interval(Interval::exact(Decimal::new(m, s)));
                by.get(&key).copied()
            };
            assert_eq!(count(1, 0), Some(3), "1.0, 1.00 and 1.0 again");
            assert_eq!(count(7, 0), Some(2), "7 and 7.0");
            assert_eq!(count(5, 0), Some(1));
            assert_eq!(count(6, 0), None);
        }
    }
}
