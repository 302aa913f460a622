//! The weighted vote of a figure: how much support each claim's value has, and from it
//! the best value and every claim's role (for figures whose value does not move over
//! time; cumulative figures go through [`super::timeline`]).
//!
//! A value's support is the trust-weighted count of the claims that contain it, plus,
//! at half weight, claims whose value lies near it (a triangular kernel as wide as the
//! values' precision: 48 and 49 lend each other support, 48 and 60 do not). Both sums
//! come from sorted ends and prefix sums, so scoring every claim of a figure costs
//! O(n log n), never all pairs.

use std::collections::HashMap;

use super::figure::{Cmp, Figure, Item, ValueKind};
use super::{timeline, Direction, Role};
use crate::model::Status;

/// The share of a value's support that comes from near values rather than containment.
const NEAR_SHARE: f64 = 0.5;

/// What was decided about a figure.
#[derive(Clone, Debug)]
pub(super) struct Decision {
    /// Every item's role (settled items: [`Role::Settled`]).
    pub roles: Vec<Role>,
    /// The item each claim that has to be wrong is measured against.
    pub against: Vec<Option<usize>>,
    /// The item whose value is the best estimate.
    pub best: Option<usize>,
    pub undetermined: bool,
    /// What decided `best`.
    pub basis: String,
    /// For a cumulative figure: (item that moved it, item it moved from, direction).
    pub revisions: Vec<(usize, usize, Direction)>,
}

/// Decides a figure: a verified claim first, else the timeline of a cumulative figure,
/// else the weighted vote. `w` is the vote weight of each source.
pub(super) fn decide(fig: &Figure, w: &[f64]) -> Decision {
    let counted: Vec<usize> = (0..fig.items.len())
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
pub(super) fn item_weights(fig: &Figure, w: &[f64]) -> Vec<f64> {
    let mut per_source: HashMap<usize, usize> = HashMap::new();
    for it in fig.items.iter().filter(|it| it.counts) {
        *per_source.entry(it.source).or_default() += 1;
    }
    fig.items
        .iter()
        .map(|it| {
            let n = per_source.get(&it.source).copied().unwrap_or(1).max(1);
            w.get(it.source).copied().unwrap_or(1.0) / n as f64
        })
        .collect()
}

/// A figure decided by the weighted vote alone.
fn by_vote(fig: &Figure, counted: &[usize], weight: &[f64]) -> Decision {
    let n = fig.items.len();
    let mut d = Decision {
        roles: vec![Role::Consensus; n],
        against: vec![None; n],
        best: None,
        undetermined: false,
        basis: String::new(),
        revisions: Vec::new(),
    };
    let scores = scores(fig, counted, weight);
    let Some((top, rival)) = top_and_rival(fig, counted, &scores, weight) else {
        return d;
    };
    let tie = rival.is_some_and(|r| scores[r] >= scores[top] * (1.0 - 1e-9));
    d.undetermined = tie;
    d.best = (!tie).then_some(top);
    d.basis = match (tie, rival) {
        (true, _) => "a tie: claims that disagree have equal weighted support".into(),
        (false, None) => "every counted claim agrees".into(),
        (false, Some(_)) => {
            "the value with the most support, weighing each source by its learned trust".into()
        }
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
            .then(ib.claim.id.cmp(&ia.claim.id))
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
    let mut out = vec![0.0; fig.items.len()];
    if fig.kind == ValueKind::Text {
        let mut by_text: HashMap<&str, f64> = HashMap::new();
        for &i in among {
            if let Cmp::T(t) = &fig.items[i].value {
                *by_text.entry(t).or_default() += weight[i];
            }
        }
        for &i in among {
            if let Cmp::T(t) = &fig.items[i].value {
                out[i] = by_text.get(t.as_str()).copied().unwrap_or(0.0);
            }
        }
        return out;
    }
    let sweep = Sweep::new(&fig.items, among, weight);
    for &i in among {
        let x = fig.items[i].num.point;
        let near = sweep.near(x, fig.near);
        out[i] = (1.0 - NEAR_SHARE) * sweep.containing(x) + NEAR_SHARE * near;
    }
    out
}

/// Sorted ends and points of a set of items, with prefix sums of their weights.
struct Sweep {
    /// (low end, exclusive) ascending, and the prefix sums of weights in that order.
    lows: Vec<(f64, bool)>,
    low_w: Vec<f64>,
    /// (high end, inclusive) ascending, exclusive ends first among equals.
    highs: Vec<(f64, bool)>,
    high_w: Vec<f64>,
    points: Vec<f64>,
    point_w: Vec<f64>,
    point_wx: Vec<f64>,
}

fn prefix(v: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    std::iter::once(0.0)
        .chain(v.map(|x| {
            acc += x;
            acc
        }))
        .collect()
}

impl Sweep {
    fn new(items: &[Item], among: &[usize], weight: &[f64]) -> Sweep {
        let mut lows: Vec<(f64, bool, f64)> = among
            .iter()
            .map(|&i| (items[i].num.lo, items[i].num.lo_excl, weight[i]))
            .collect();
        lows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut highs: Vec<(f64, bool, f64)> = among
            .iter()
            .map(|&i| (items[i].num.hi, !items[i].num.hi_excl, weight[i]))
            .collect();
        highs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut points: Vec<(f64, f64)> = among
            .iter()
            .map(|&i| (items[i].num.point, weight[i]))
            .collect();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        Sweep {
            low_w: prefix(lows.iter().map(|l| l.2)),
            lows: lows.into_iter().map(|l| (l.0, l.1)).collect(),
            high_w: prefix(highs.iter().map(|h| h.2)),
            highs: highs.into_iter().map(|h| (h.0, h.1)).collect(),
            point_w: prefix(points.iter().map(|p| p.1)),
            point_wx: prefix(points.iter().map(|p| p.1 * p.0)),
            points: points.into_iter().map(|p| p.0).collect(),
        }
    }

    /// The weight of the items whose value contains `x`: those starting at or before it
    /// minus those ending before it.
    fn containing(&self, x: f64) -> f64 {
        let started = self
            .lows
            .partition_point(|&(l, excl)| l < x || (l == x && !excl));
        let ended = self
            .highs
            .partition_point(|&(h, incl)| h < x || (h == x && !incl));
        (self.low_w[started] - self.high_w[ended]).max(0.0)
    }

    /// The kernel-weighted sum of the items whose point lies within `width` of `x`.
    fn near(&self, x: f64, width: f64) -> f64 {
        let at = |p: f64| self.points.partition_point(|&q| q < p);
        let upto = |p: f64| self.points.partition_point(|&q| q <= p);
        let (eq_a, eq_b) = (at(x), upto(x));
        let exact = self.point_w[eq_b] - self.point_w[eq_a];
        if width <= 0.0 || !width.is_finite() || !x.is_finite() {
            return exact;
        }
        let (a, b) = (upto(x - width), at(x + width));
        let sum = |from: usize, to: usize| {
            (
                self.point_w[to] - self.point_w[from],
                self.point_wx[to] - self.point_wx[from],
            )
        };
        let (wl, wxl) = sum(a.min(eq_a), eq_a);
        let (wr, wxr) = sum(eq_b, b.max(eq_b));
        let left = wl - (x * wl - wxl) / width;
        let right = wr - (wxr - x * wr) / width;
        let total = exact + left.max(0.0) + right.max(0.0);
        if total.is_finite() {
            total
        } else {
            exact
        }
    }
}

/// A verified claim decides: it becomes the best, and claims that disagree with it can
/// no longer be called consensus or left undecided.
fn apply_verdict(fig: &Figure, counted: &[usize], d: &mut Decision) {
    let verified = counted
        .iter()
        .copied()
        .filter(|&i| fig.items[i].status == Status::Verified)
        .max_by(|&a, &b| {
            let key = |i: usize| fig.items[i].as_of.map(|s| (s.start, s.end));
            key(a)
                .cmp(&key(b))
                .then_with(|| fig.items[b].claim.id.cmp(&fig.items[a].claim.id))
        });
    let Some(v) = verified else { return };
    d.best = Some(v);
    d.undetermined = false;
    d.basis = format!(
        "verified claim {}",
        crate::model::short_id(&fig.items[v].claim.id)
    );
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
        let s = Sweep {
            lows: vec![],
            low_w: vec![0.0],
            highs: vec![],
            high_w: vec![0.0],
            points: vec![48.0, 49.0, 60.0],
            point_w: prefix([1.0, 1.0, 1.0].into_iter()),
            point_wx: prefix([48.0, 49.0, 60.0].into_iter()),
        };
        assert!((s.near(48.0, 2.0) - 1.5).abs() < 1e-12);
        assert!((s.near(60.0, 2.0) - 1.0).abs() < 1e-12);
        assert!((s.near(48.0, 0.0) - 1.0).abs() < 1e-12);
    }
}
