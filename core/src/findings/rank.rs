//! One pass over every figure with the trust learned: which figures make findings and
//! where each goes in the report (decided before any finding is built), what could not
//! be compared, and each source's tally for the trust table. Figures are made a block of
//! groups at a time and dropped; a finding's figure is made again when it is written.

use rayon::prelude::*;

use super::figure::{Figures, Grouping};
use super::trust::{self, Tally};
use super::{assemble, vote, Kind, NotCompared};

/// A finding's place in the report, decided before the finding is built.
pub(super) struct Ranked<'a> {
    settled: bool,
    kind: Kind,
    relative_gap: f64,
    /// The figure's group, and its place among the group's figures.
    pub group: u32,
    pub set: u32,
    unit: Option<&'a str>,
}

impl Ranked<'_> {
    pub(super) fn is_conflict(&self) -> bool {
        self.kind == Kind::Conflict
    }

    pub(super) fn is_settled(&self) -> bool {
        self.settled
    }
}

/// What the pass found.
#[derive(Default)]
pub(super) struct Pass<'a> {
    /// In the report's order.
    pub ranked: Vec<Ranked<'a>>,
    pub not_compared: Vec<NotCompared>,
    /// Claims in figures of two or more that were compared.
    pub claims_compared: usize,
    /// Filled when asked for.
    pub tally: Tally,
}

/// Ranks the findings of the groups `wanted` says yes to (by subject and canonical
/// property) with `weights`, and with `tally` counts every figure's claims for the
/// trust table. The report's order: unsettled conflicts, then settled ones, then
/// revisions; the widest relative gap first; then by subject, property and unit.
pub(super) fn rank<'a>(
    g: &Grouping<'a>,
    weights: &[f64],
    wanted: &(dyn Fn(&str, &str) -> bool + Sync),
    tally: bool,
) -> Pass<'a> {
    let mut pass = Pass::default();
    for block in (0..g.len()).step_by(g.block) {
        let end = (block + g.block).min(g.len());
        let (mut ranked, nc, compared, t, _) = (block..end)
            .into_par_iter()
            .fold(
                || {
                    (
                        Vec::new(),
                        Vec::new(),
                        0,
                        Tally::default(),
                        Figures::default(),
                    )
                },
                |mut acc, i| {
                    let (subject, property) = g.key(i);
                    let want = wanted(subject, property);
                    if !want && !tally {
                        return acc;
                    }
                    let mut figures = std::mem::take(&mut acc.4);
                    let nc = g.figures_into(i, &mut figures);
                    for (set, f) in figures.iter().enumerate() {
                        // Decided once, for the tally and the rank.
                        let compared = tally && trust::compared(f);
                        let d = (compared || (want && f.items.len() > 1))
                            .then(|| vote::decide(f, weights));
                        if tally {
                            let roles = d.as_ref().filter(|_| compared).map(|d| &d.roles[..]);
                            acc.3.figure(f, roles);
                        }
                        if !want {
                            continue;
                        }
                        if f.items.len() > 1 {
                            acc.2 += f.items.len();
                        }
                        let rank = d.and_then(|d| assemble::rank_decided(f, d));
                        if let Some((settled, kind, relative_gap)) = rank {
                            acc.0.push(Ranked {
                                settled,
                                kind,
                                relative_gap,
                                group: i as u32,
                                set: set as u32,
                                unit: f.unit,
                            });
                        }
                    }
                    acc.1.extend(nc.filter(|_| want).map(|n| (i, n)));
                    acc.4 = figures;
                    acc
                },
            )
            .reduce(
                || {
                    (
                        Vec::new(),
                        Vec::new(),
                        0,
                        Tally::default(),
                        Figures::default(),
                    )
                },
                |mut a, b| {
                    a.0.extend(b.0);
                    a.1.extend(b.1);
                    a.2 += b.2;
                    a.3.add(&b.3);
                    a
                },
            );
        ranked.sort_by_key(|r| (r.group, r.set));
        pass.ranked.append(&mut ranked);
        let mut nc = nc;
        nc.sort_by_key(|(i, _)| *i);
        pass.not_compared.extend(nc.into_iter().map(|(_, n)| n));
        pass.claims_compared += compared;
        pass.tally.add(&t);
    }
    // Stable: equal keys keep the figures' order (a group's figures by kind, unit).
    pass.ranked.par_sort_by(|a, b| {
        (a.settled, a.kind)
            .cmp(&(b.settled, b.kind))
            .then(b.relative_gap.total_cmp(&a.relative_gap))
            .then(a.group.cmp(&b.group))
            .then_with(|| a.unit.cmp(&b.unit))
    });
    pass
}
