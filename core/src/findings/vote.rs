//! The weighted vote of a figure: how much support each claim's value has, and from it
//! the best value and every claim's role (for figures whose value does not move over
//! time; cumulative figures go through [`super::timeline`]).
//!
//! A value's support is the trust-weighted count of the claims that contain it, plus,
//! at half weight, claims whose value lies near it (a triangular kernel as wide as the
//! values' precision: 48 and 49 lend each other support, 48 and 60 do not). Both sums
//! come from sorted ends and prefix sums, so scoring every claim of a figure costs
//! O(n log n), never all pairs.

use rustc_hash::FxHashMap;
use smallvec::{smallvec, SmallVec};

use super::basis::Basis;
use super::figure::{Cmp, Figure, ValueKind};
use super::{timeline, Direction, Role};
use crate::model::Status;

/// The share of a value's support that comes from near values rather than containment.
const NEAR_SHARE: f64 = 0.5;

/// What was decided about a figure.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Decision {
    /// Every item's role (settled items: [`Role::Settled`]).
    pub roles: SmallVec<[Role; 16]>,
    /// The item each claim that has to be wrong is measured against.
    pub against: SmallVec<[Option<usize>; 8]>,
    /// The item whose value is the best estimate.
    pub best: Option<usize>,
    pub undetermined: bool,
    /// What decided `best`.
    pub basis: Basis,
    /// For a cumulative figure: (item that moved it, item it moved from, direction).
    pub revisions: Revisions,
}

/// Item indexes of a figure: most figures have a handful, kept inline.
pub(super) type Ids = SmallVec<[usize; 16]>;

/// A timeline's revisions (the claim, the level it moved from, which way): inline for
/// most figures.
pub(super) type Revisions = SmallVec<[(usize, usize, Direction); 4]>;

/// Each item's vote weight (see [`item_weights`]): inline for most figures.
pub(super) type Weights = SmallVec<[f64; 16]>;

/// Decides a figure: a verified claim first, else the timeline of a cumulative figure,
/// else the weighted vote. `w` is the vote weight of each source.
pub(super) fn decide(fig: &Figure, w: &[f64]) -> Decision {
    let counted: Ids = (0..fig.items.len())
        .filter(|&i| fig.items[i].counts)
        .collect();
    let weight = item_weights(fig, w);
    let dated = counted.iter().any(|&i| fig.items[i].as_of.is_some());
    let mut d = if fig.cumulative && dated {
        timeline::decide(fig, &counted, &weight)
    } else {
        by_vote(fig, &counted, &weight)
    };
    for (i, it) in fig.items.iter().enumerate() {
        if !it.counts {
            d.roles[i] = Role::Settled;
        }
    }
    apply_verdict(fig, &counted, &mut d);
    d
}

/// Each item's vote weight: its source's weight shared among the source's counted
/// claims in the figure, so that a source saying one thing twice is still one source.
/// A source past the end of `w` weighs one.
pub(super) fn item_weights(fig: &Figure, w: &[f64]) -> Weights {
    let items = &fig.items;
    let weight = |it: &super::figure::Item, n: usize| {
        w.get(it.source).copied().unwrap_or(1.0) / n.max(1) as f64
    };
    // Most figures have a handful of claims: counted by a scan, not a map.
    if items.len() <= 16 {
        return items
            .iter()
            .map(|it| {
                let n = items
                    .iter()
                    .filter(|o| o.counts && o.source == it.source)
                    .count();
                weight(it, if n == 0 { 1 } else { n })
            })
            .collect();
    }
    // Looked up once per item of every figure, every round of trust learning: FxHash.
    let mut per_source: FxHashMap<usize, usize> =
        FxHashMap::with_capacity_and_hasher(items.len(), Default::default());
    for it in items.iter().filter(|it| it.counts) {
        *per_source.entry(it.source).or_default() += 1;
    }
    items
        .iter()
        .map(|it| weight(it, per_source.get(&it.source).copied().unwrap_or(1)))
        .collect()
}

/// A figure decided by the weighted vote alone.
fn by_vote(fig: &Figure, counted: &[usize], weight: &[f64]) -> Decision {
    let n = fig.items.len();
    let mut d = Decision {
        roles: smallvec![Role::Consensus; n],
        against: smallvec![None; n],
        best: None,
        undetermined: false,
        basis: Basis::Nothing,
        revisions: Revisions::new(),
    };
    let scores = scores(fig, counted, weight);
    let Some((top, rival)) = top_and_rival(fig, counted, &scores, weight) else {
        return d;
    };
    let tie = rival.is_some_and(|r| scores[r] >= scores[top] * (1.0 - 1e-9));
    d.undetermined = tie;
    d.best = (!tie).then_some(top);
    d.basis = match (tie, rival) {
        (true, _) => Basis::Tie,
        (false, None) => Basis::Agreed,
        (false, Some(_)) => Basis::Support,
    };
    let top_v = &fig.items[top].value;
    for &i in counted {
        if fig.items[i].value.agrees(top_v) {
            d.roles[i] = if tie {
                Role::Conflicting
            } else {
                Role::Consensus
            };
            d.against[i] = if tie { rival } else { None };
        } else {
            d.roles[i] = if tie {
                Role::Conflicting
            } else {
                Role::Outlier
            };
            d.against[i] = Some(top);
        }
    }
    d
}

/// The best-supported counted item, and the best-supported one that disagrees with it.
/// Ties are broken by the narrower value, then the weight, then the claim id: never by
/// row order.
pub(super) fn top_and_rival(
    fig: &Figure,
    among: &[usize],
    scores: &[f64],
    weight: &[f64],
) -> Option<(usize, Option<usize>)> {
    let better = |a: usize, b: usize| -> bool {
        let (ia, ib) = (&fig.items[a], &fig.items[b]);
        let wa = ia.num.hi - ia.num.lo;
        let wb = ib.num.hi - ib.num.lo;
        scores[a]
            .total_cmp(&scores[b])
            .then(wb.total_cmp(&wa))
            .then(weight[a].total_cmp(&weight[b]))
            .then_with(|| fig.store.id_cmp(ib.claim, ia.claim))
            .is_gt()
    };
    let mut top: Option<usize> = None;
    for &i in among {
        if top.is_none_or(|t| better(i, t)) {
            top = Some(i);
        }
    }
    let top = top?;
    let mut rival: Option<usize> = None;
    for &i in among {
        if !fig.items[i].value.agrees(&fig.items[top].value) && rival.is_none_or(|r| better(i, r)) {
            rival = Some(i);
        }
    }
    Some((top, rival))
}

/// The support of each counted item's value (indexed by item; 0 for others).
pub(super) fn scores(fig: &Figure, among: &[usize], weight: &[f64]) -> Vec<f64> {
    // A figure is scored once or twice per pass: the lists are the thread's own, kept
    // from one figure to the next (a few allocations saved on every figure).
    thread_local! {
        static KEPT: std::cell::RefCell<(Prepared, Scratch)> =
            std::cell::RefCell::new((Prepared::empty(), Scratch::default()));
    }
    KEPT.with_borrow_mut(|(p, scratch)| {
        p.fill(fig, among);
        let mut out = vec![0.0; fig.items.len()];
        p.orders().scores_into(weight, &mut out, scratch);
        if p.u32s.capacity() > KEPT_MOST {
            // One huge figure does not keep its memory for the rest of the report.
            (*p, *scratch) = (Prepared::empty(), Scratch::default());
        }
        out
    })
}

/// The most a thread's kept lists hold on to between figures (u32s of a set of a
/// thousand items: a few tens of KB in all).
const KEPT_MOST: usize = 4096;

/// Where one item's value falls in the sorted orders of a [`Prepared`] set.
#[derive(Clone, Copy, Debug)]
pub(super) struct Query {
    /// Items whose low end is at or below the point.
    started: u32,
    /// Items whose high end is below the point.
    ended: u32,
    /// In the sorted points: the first within `width` below, the first equal, the
    /// first above, and the first at `width` or more above.
    left: u32,
    eq_a: u32,
    eq_b: u32,
    right: u32,
    x: f64,
}

/// A set of a figure's items with their ends and points sorted, and where each item's
/// own point falls: computed once (O(n log n)), so that scoring with any weights is a
/// pass of prefix sums (O(n)). Trust learning scores every figure once per round.
pub(super) struct Prepared {
    /// The set's items (by index), then (numbers) their indexes sorted by low end, by
    /// high end and by point, or (text) each one's group of equal folded text: one
    /// list, as a figure is decided several times in a report.
    u32s: Vec<u32>,
    points: Vec<f64>,
    queries: Vec<Query>,
    /// For text: how many groups.
    groups: Option<usize>,
    width: f64,
}

/// Sorts `v` (item indexes) by `key`.
fn sort_by_key(v: &mut [u32], key: impl Fn(usize) -> (f64, bool)) {
    v.sort_by(|&a, &b| {
        let (x, y) = (key(a as usize), key(b as usize));
        x.0.total_cmp(&y.0).then(x.1.cmp(&y.1))
    });
}

impl Prepared {
    /// A set with no room yet, to [`Prepared::fill`] again and again.
    pub(super) fn empty() -> Prepared {
        Prepared {
            u32s: Vec::new(),
            points: Vec::new(),
            queries: Vec::new(),
            groups: None,
            width: 0.0,
        }
    }

    /// Makes this the set `among` of `fig`, in the lists it has already.
    pub(super) fn fill(&mut self, fig: &Figure, among: &[usize]) {
        let items = &fig.items;
        let m = among.len();
        let p = self;
        p.u32s.clear();
        p.groups = None;
        p.width = fig.near;
        p.u32s.extend(among.iter().map(|&i| i as u32));
        if fig.kind == ValueKind::Text {
            let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
            for &i in among {
                let g = match &items[i].value {
                    Cmp::T(t) => {
                        let next = ids.len() as u32;
                        *ids.entry(t.as_str()).or_insert(next)
                    }
                    _ => u32::MAX,
                };
                p.u32s.push(g);
            }
            p.groups = Some(ids.len());
            return;
        }
        let num = |i: usize| &items[i].num;
        for k in 1..4 {
            p.u32s.extend_from_within(0..m);
            let order = &mut p.u32s[k * m..(k + 1) * m];
            match k {
                1 => sort_by_key(order, |i| (num(i).lo, num(i).lo_excl)),
                2 => sort_by_key(order, |i| (num(i).hi, !num(i).hi_excl)),
                _ => sort_by_key(order, |i| (num(i).point, false)),
            }
        }
        let (low_order, high_order) = (&p.u32s[m..2 * m], &p.u32s[2 * m..3 * m]);
        p.points.clear();
        p.points
            .extend(p.u32s[3 * m..].iter().map(|&i| num(i as usize).point));
        let width = p.width;
        let points = &p.points;
        p.queries.clear();
        p.queries.extend(among.iter().map(|&i| {
            let x = num(i).point;
            let at = |v: f64| points.partition_point(|&q| q < v) as u32;
            let upto = |v: f64| points.partition_point(|&q| q <= v) as u32;
            let (eq_a, eq_b) = (at(x), upto(x));
            let (left, right) = if width > 0.0 && width.is_finite() && x.is_finite() {
                (upto(x - width).min(eq_a), at(x + width).max(eq_b))
            } else {
                (eq_a, eq_b)
            };
            let started = low_order.partition_point(|&j| {
                let (l, excl) = (num(j as usize).lo, num(j as usize).lo_excl);
                l < x || (l == x && !excl)
            });
            let ended = high_order.partition_point(|&j| {
                let (h, incl) = (num(j as usize).hi, !num(j as usize).hi_excl);
                h < x || (h == x && !incl)
            });
            Query {
                started: started as u32,
                ended: ended as u32,
                left,
                eq_a,
                eq_b,
                right,
                x,
            }
        }));
    }

    /// The set's orders, borrowed.
    pub(super) fn orders(&self) -> Orders<'_> {
        let m = self.u32s.len() / if self.groups.is_some() { 2 } else { 4 };
        let u = |k: usize| &self.u32s[k * m..(k + 1) * m];
        let text = self.groups.is_some();
        let none: &[u32] = &[];
        Orders {
            among: u(0),
            low_order: if text { none } else { u(1) },
            high_order: if text { none } else { u(2) },
            point_order: if text { none } else { u(3) },
            points: &self.points,
            queries: &self.queries,
            groups: self.groups.map(|n| (u(1), n)),
            width: self.width,
        }
    }

    /// Copies the set into flat lists shared by many sets (a learner keeps one per
    /// figure of a ledger: a few lists, not a few allocations per figure).
    pub(super) fn pack(&self, to: &mut Packs) -> Packed {
        let m = self.u32s.len() / if self.groups.is_some() { 2 } else { 4 };
        let packed = Packed {
            at_u32: to.u32s.len(),
            at_f64: to.f64s.len(),
            at_query: to.queries.len(),
            len: m as u32,
            groups: self.groups,
            width: self.width,
        };
        to.u32s.extend_from_slice(&self.u32s);
        to.f64s.extend_from_slice(&self.points);
        to.queries.extend_from_slice(&self.queries);
        packed
    }
}

/// Flat lists that hold many [`Prepared`] sets (see [`Prepared::pack`]).
#[derive(Default)]
pub(super) struct Packs {
    pub u32s: Vec<u32>,
    pub f64s: Vec<f64>,
    pub queries: Vec<Query>,
}

/// Where one packed set lies in its [`Packs`].
#[derive(Clone, Copy, Debug)]
pub(super) struct Packed {
    at_u32: usize,
    at_f64: usize,
    at_query: usize,
    len: u32,
    groups: Option<usize>,
    width: f64,
}

impl Packed {
    /// The same set in lists that hold `u32s`, `f64s` and `queries` more before it.
    pub(super) fn moved(self, u32s: usize, f64s: usize, queries: usize) -> Packed {
        Packed {
            at_u32: self.at_u32 + u32s,
            at_f64: self.at_f64 + f64s,
            at_query: self.at_query + queries,
            ..self
        }
    }

    /// The set's orders, in `packs`.
    pub(super) fn orders<'a>(&self, packs: &'a Packs) -> Orders<'a> {
        let m = self.len as usize;
        let u = |k: usize| &packs.u32s[self.at_u32 + k * m..self.at_u32 + (k + 1) * m];
        let none: &[u32] = &[];
        let text = self.groups.is_some();
        Orders {
            among: u(0),
            low_order: if text { none } else { u(1) },
            high_order: if text { none } else { u(2) },
            point_order: if text { none } else { u(3) },
            points: if text {
                &[]
            } else {
                &packs.f64s[self.at_f64..self.at_f64 + m]
            },
            queries: if text {
                &[]
            } else {
                &packs.queries[self.at_query..self.at_query + m]
            },
            groups: self.groups.map(|n| (u(1), n)),
            width: self.width,
        }
    }

    /// The items scored (the counted ones), by index.
    pub(super) fn among<'a>(&self, packs: &'a Packs) -> &'a [u32] {
        &packs.u32s[self.at_u32..self.at_u32 + self.len as usize]
    }
}

/// Lists a scoring fills and empties again, kept to score many sets without
/// allocating.
#[derive(Default)]
pub(super) struct Scratch {
    low_w: Vec<f64>,
    high_w: Vec<f64>,
    point_w: Vec<f64>,
    point_wx: Vec<f64>,
    sums: Vec<f64>,
}

/// A [`Prepared`] set's orders, wherever they are kept.
#[derive(Clone, Copy)]
pub(super) struct Orders<'a> {
    among: &'a [u32],
    low_order: &'a [u32],
    high_order: &'a [u32],
    point_order: &'a [u32],
    points: &'a [f64],
    queries: &'a [Query],
    groups: Option<(&'a [u32], usize)>,
    width: f64,
}

impl Orders<'_> {
    /// Each scored item's support under these weights, written at its index in `out`
    /// (which the caller sized and zeroed).
    pub(super) fn scores_into(&self, weight: &[f64], out: &mut [f64], s: &mut Scratch) {
        if let Some((group, count)) = self.groups {
            s.sums.clear();
            s.sums.resize(count, 0.0);
            for (&i, &g) in self.among.iter().zip(group) {
                if let Some(x) = s.sums.get_mut(g as usize) {
                    *x += weight[i as usize];
                }
            }
            for (&i, &g) in self.among.iter().zip(group) {
                out[i as usize] = s.sums.get(g as usize).copied().unwrap_or(0.0);
            }
            return;
        }
        let w = |order: &[u32], into: &mut Vec<f64>| {
            prefix_into(order.iter().map(|&i| weight[i as usize]), into)
        };
        w(self.low_order, &mut s.low_w);
        w(self.high_order, &mut s.high_w);
        w(self.point_order, &mut s.point_w);
        prefix_into(
            self.point_order
                .iter()
                .zip(self.points)
                .map(|(&i, &x)| weight[i as usize] * x),
            &mut s.point_wx,
        );
        for (&i, q) in self.among.iter().zip(self.queries) {
            let containing = (s.low_w[q.started as usize] - s.high_w[q.ended as usize]).max(0.0);
            let near = near_sum(&s.point_w, &s.point_wx, q, self.width);
            out[i as usize] = (1.0 - NEAR_SHARE) * containing + NEAR_SHARE * near;
        }
    }
}

/// Running sums of `v`, after a 0, into `into` (emptied first).
fn prefix_into(v: impl Iterator<Item = f64>, into: &mut Vec<f64>) {
    into.clear();
    into.push(0.0);
    let mut acc = 0.0;
    into.extend(v.map(|x| {
        acc += x;
        acc
    }));
}

/// The kernel-weighted sum of the points within `width` of the query's point: a
/// triangular kernel, 1 at the point and 0 at `width` away, summed from prefix sums of
/// weights and of weighted points.
fn near_sum(point_w: &[f64], point_wx: &[f64], q: &Query, width: f64) -> f64 {
    let sum = |a: u32, b: u32| {
        (
            point_w[b as usize] - point_w[a as usize],
            point_wx[b as usize] - point_wx[a as usize],
        )
    };
    let exact = sum(q.eq_a, q.eq_b).0;
    if q.left == q.eq_a && q.right == q.eq_b {
        return exact;
    }
    let x = q.x;
    let (wl, wxl) = sum(q.left, q.eq_a);
    let (wr, wxr) = sum(q.eq_b, q.right);
    let left = wl - (x * wl - wxl) / width;
    let right = wr - (wxr - x * wr) / width;
    let total = exact + left.max(0.0) + right.max(0.0);
    if total.is_finite() {
        total
    } else {
        exact
    }
}

/// A verified claim decides: it becomes the best, and claims that disagree with it can
/// no longer be called consensus or left undecided.
fn apply_verdict(fig: &Figure, counted: &[usize], d: &mut Decision) {
    let verified = counted
        .iter()
        .copied()
        .filter(|&i| fig.items[i].claim.status == Status::Verified)
        .max_by(|&a, &b| {
            let key = |i: usize| fig.items[i].as_of.map(|s| (s.start, s.end));
            key(a)
                .cmp(&key(b))
                .then_with(|| fig.store.id_cmp(fig.items[b].claim, fig.items[a].claim))
        });
    let Some(v) = verified else { return };
    d.best = Some(v);
    d.undetermined = false;
    d.basis = Basis::Verified(v);
    let value = &fig.items[v].value;
    for &i in counted {
        let agrees = fig.items[i].value.agrees(value);
        match (agrees, d.roles[i]) {
            (true, Role::Earlier) => {}
            (true, _) => {
                d.roles[i] = Role::Consensus;
                d.against[i] = None;
            }
            (false, Role::Consensus | Role::Conflicting) => {
                d.roles[i] = Role::Outlier;
                d.against[i] = Some(v);
            }
            (false, _) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_values_lend_each_other_support_within_the_width() {
        let points = [48.0, 49.0, 60.0];
        let (mut w, mut wx) = (Vec::new(), Vec::new());
        prefix_into([1.0, 1.0, 1.0].into_iter(), &mut w);
        prefix_into(points.into_iter(), &mut wx);
        let query = |x: f64, width: f64| {
            let at = |v: f64| points.partition_point(|&q| q < v) as u32;
            let upto = |v: f64| points.partition_point(|&q| q <= v) as u32;
            let (eq_a, eq_b) = (at(x), upto(x));
            let (left, right) = if width > 0.0 {
                (upto(x - width).min(eq_a), at(x + width).max(eq_b))
            } else {
                (eq_a, eq_b)
            };
            Query {
                started: 0,
                ended: 0,
                left,
                eq_a,
                eq_b,
                right,
                x,
            }
        };
        assert!((near_sum(&w, &wx, &query(48.0, 2.0), 2.0) - 1.5).abs() < 1e-12);
        assert!((near_sum(&w, &wx, &query(60.0, 2.0), 2.0) - 1.0).abs() < 1e-12);
        assert!((near_sum(&w, &wx, &query(48.0, 0.0), 0.0) - 1.0).abs() < 1e-12);
    }
}
