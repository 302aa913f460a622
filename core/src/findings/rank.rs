//! One pass over every figure with the trust learned: which figures make findings and
//! where each goes in the report (decided before any finding is built), what could not
//! be compared, and each source's tally for the trust table. Figures are made a block of
//! groups at a time and dropped; a finding's figure is made again when it is written,
//! and what was decided about it here is kept for that.

use rayon::prelude::*;

use super::decided::Decided;
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
    /// Where what was decided about the figure is kept in [`Pass::decided`].
    pub decided: usize,
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
    /// What was decided about each ranked figure (see [`Ranked::decided`]).
    pub decided: Decided,
    pub not_compared: Vec<NotCompared>,
    /// Claims in figures of two or more that were compared.
    pub claims_compared: usize,
    /// Filled when asked for.
    pub tally: Tally,
}

impl<'a> Pass<'a> {
    /// Moves a part's findings, decisions and counts to the end of these.
    fn append(&mut self, mut part: Pass<'a>) {
        let base = self.decided.append(&mut part.decided);
        self.ranked.extend(part.ranked.into_iter().map(|mut r| {
            r.decided += base;
            r
        }));
        self.not_compared.append(&mut part.not_compared);
        self.claims_compared += part.claims_compared;
        self.tally.add(&part.tally);
    }

    /// Decides, ranks and counts the figures of group `i`.
    fn group(
        &mut self,
        i: usize,
        figures: &Figures<'a>,
        (weights, want, tally): (&[f64], bool, bool),
    ) {
        for (set, f) in figures.iter().enumerate() {
            // Decided once, for the tally, the rank and the finding.
            let compared = tally && trust::compared(f);
            let d = (compared || (want && f.items.len() > 1)).then(|| vote::decide(f, weights));
            if tally {
                let roles = d.as_ref().filter(|_| compared).map(|d| &d.roles[..]);
                self.tally.figure(f, roles);
            }
            let Some(d) = d.filter(|_| want) else {
                continue;
            };
            if f.items.len() > 1 {
                self.claims_compared += f.items.len();
            }
            let at = self.decided.push(&d);
            match assemble::rank_decided(f, d) {
                Some((settled, kind, relative_gap)) => self.ranked.push(Ranked {
                    settled,
                    kind,
                    relative_gap,
                    group: i as u32,
                    set: set as u32,
                    unit: f.unit,
                    decided: at,
                }),
                None => self.decided.truncate(at),
            }
        }
    }
}

/// Whether a group is asked for, by its subject and canonical property.
pub(super) type Wanted<'w> = &'w (dyn Fn(&str, &str) -> bool + Sync);

/// Ranks the findings of the groups `wanted` says yes to (by subject and canonical
/// property; `None`: every group, whose names are then not looked at) with `weights`,
/// and with `tally` counts every figure's claims for the trust table. The report's order: unsettled conflicts, then settled ones, then
/// revisions; the widest relative gap first; then by subject, property and unit.
pub(super) fn rank<'a>(
    g: &Grouping<'a>,
    weights: &[f64],
    wanted: Option<Wanted<'_>>,
    tally: bool,
) -> Pass<'a> {
    let mut pass = Pass::default();
    for block in (0..g.len()).step_by(g.block) {
        let end = (block + g.block).min(g.len());
        // Each worker ranks a run of groups in order; the runs are appended in order.
        let parts: Vec<Pass<'a>> = (block..end)
            .into_par_iter()
            .fold(
                || (Pass::default(), Figures::default()),
                |(mut part, mut figures), i| {
                    let want = wanted.is_none_or(|wanted| {
                        let (subject, property) = g.key(i);
                        wanted(subject, property)
                    });
                    if want || tally {
                        let nc = g.figures_into(i, &mut figures);
                        part.group(i, &figures, (weights, want, tally));
                        part.not_compared.extend(nc.filter(|_| want));
                    }
                    (part, figures)
                },
            )
            .map(|(part, _)| part)
            .collect();
        for part in parts {
            pass.append(part);
        }
    }
    debug_assert!(
        pass.ranked
            .windows(2)
            .all(|w| (w[0].group, w[0].set) < (w[1].group, w[1].set)),
        "the parts were appended out of order"
    );
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
