//! Per-source trust learned across the whole ledger, as truth-discovery methods do
//! (TruthFinder and its family): a source is as trustworthy as the claims it makes are
//! well supported, and a claim is as well supported as the trust of the sources that
//! agree with it (near values included). The two are iterated to a fixed point.
//!
//! Verdicts are evidence: a source whose claim was marked `verified` gains trust, one
//! whose claim was marked `false` loses it. Cumulative figures enter through their
//! timeline roles (an earlier count was right at its time). Everything is summed in a
//! fixed order (figures by key, claims by as-of and id), so the result does not depend
//! on the order of rows in the log.

use rayon::prelude::*;
use serde::Serialize;

use super::figure::{Figure, Figures, Grouping};
use super::vote::{self, Decision};
use super::Role;
use crate::model::Status;

/// The trust every source starts from (and keeps, with no evidence).
pub(super) const PRIOR: f64 = 0.8;
/// The vote weight of [`PRIOR`].
pub(super) const PRIOR_WEIGHT: f64 = 1.609_437_912_434_100_3;
/// How many claims' worth of evidence the prior counts as.
const PRIOR_CLAIMS: f64 = 1.0;
/// How many claims' worth of evidence a verdict counts as.
const VERDICT_CLAIMS: f64 = 3.0;
const ROUNDS: usize = 8;

/// One source's learned trust, as `source list` shows it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SourceTrust {
    pub source: String,
    /// 0..1: the share of its claims' support it earned, smoothed towards 0.8.
    pub trust: f64,
    /// Its counted claims in figures with two or more claims.
    pub compared: usize,
    /// How many of those agree with their figure's best value.
    pub agree: usize,
    /// How many of its claims were marked `verified` or `false`.
    pub verdicts: usize,
}

impl SourceTrust {
    /// Whether anything was learned about the source: without compared claims or
    /// verdicts its trust is only the prior.
    pub fn has_evidence(&self) -> bool {
        self.compared > 0 || self.verdicts > 0
    }
}

/// A vote weight from a trust: `-ln(1 - t)`, so a source right 95% of the time counts
/// far more than one right 60% of the time.
fn weight_of(t: f64) -> f64 {
    -(1.0 - t.clamp(0.05, 0.95)).ln()
}

/// Per source: (sum of evidence, amount of evidence).
type Evidence = Vec<(f64, f64)>;

/// How many groups of claims are made into figures at a time: a block's figures are
/// held, never all of them.
pub(super) const BLOCK: usize = 8192;

/// Learns every source's vote weight from every figure of the ledger (by source index).
pub(super) fn learn(g: &Grouping) -> Vec<f64> {
    let k = g.sources.len();
    let flat = vec![PRIOR_WEIGHT; k];
    let mut base: Evidence = vec![(PRIOR * PRIOR_CLAIMS, PRIOR_CLAIMS); k];
    // A timeline does not move with trust much: cumulative figures are decided once.
    // The others are sorted once, and each round only sums weights. Both are packed
    // into a few flat lists; the figures themselves are made a block at a time.
    let mut preps = Preps::with_room(g.claims());
    for block in (0..g.len()).step_by(g.block) {
        let end = (block + g.block).min(g.len());
        // Each worker packs the figures of its run of groups; the runs are appended in
        // order, a copy of each list rather than a push per figure on one thread.
        let parts: Vec<BlockPart> = (block..end)
            .into_par_iter()
            .fold(
                || {
                    let room = (Figures::default(), vote::Prepared::empty());
                    (Vec::new(), Preps::default(), room)
                },
                |(mut verdicts, mut part, (mut figures, mut set)), i| {
                    g.figures_into(i, &mut figures);
                    for f in figures.iter() {
                        verdicts.extend(f.items.iter().filter_map(|it| match it.claim.status {
                            Status::Verified => Some((it.source, true)),
                            Status::False => Some((it.source, false)),
                            _ => None,
                        }));
                        if compared(f) {
                            part.add(f, &flat, &mut set);
                        }
                    }
                    (verdicts, part, (figures, set))
                },
            )
            .map(|(verdicts, part, _)| (verdicts, part))
            .collect();
        for (verdicts, part) in parts {
            // Sums of equal terms: the order they are added in does not matter.
            for (src, verified) in verdicts {
                add(
                    &mut base,
                    src,
                    if verified { 1.0 } else { 0.0 },
                    VERDICT_CLAIMS,
                );
            }
            preps.append(part);
        }
    }
    let mut weights = flat;
    // Each round's evidence, claim by claim in a fixed order (figures by key, claims by
    // as-of and id): computed in parallel a block at a time, summed in order.
    for _ in 0..ROUNDS {
        let mut ev = base.clone();
        for block in preps.figs.chunks(g.block) {
            // Each worker's run of figures in one list, the runs in order.
            let runs: Vec<Vec<(usize, f64)>> = block
                .par_iter()
                .fold(
                    || (Round::default(), Vec::new()),
                    |(mut r, mut out), f| {
                        preps.evidence_into(f, &weights, &mut r, &mut out);
                        (r, out)
                    },
                )
                .map(|(_, out)| out)
                .collect();
            for &(src, c) in runs.iter().flatten() {
                add(&mut ev, src, c, 1.0);
            }
        }
        let next: Vec<f64> = ev.iter().map(|&(s, n)| weight_of(s / n)).collect();
        let moved = next
            .iter()
            .zip(&weights)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        weights = next;
        if moved < 1e-6 {
            break;
        }
    }
    weights
}

/// What a run of groups gives learning: its claims' verdicts (source, verified) and its
/// compared figures' preps.
type BlockPart = (Vec<(usize, bool)>, Preps);

/// Whether a figure is compared: two or more of its claims count.
pub(super) fn compared(f: &Figure) -> bool {
    f.items.iter().filter(|i| i.counts).count() > 1
}

fn add(ev: &mut Evidence, src: usize, conf: f64, amount: f64) {
    if let Some(e) = ev.get_mut(src) {
        e.0 += conf * amount;
        e.1 += amount;
    }
}

/// What a round of learning needs of every compared figure, computed once and packed
/// into a few flat lists.
#[derive(Default)]
struct Preps {
    figs: Vec<Slot>,
    /// Sources (and the vote sets' orders).
    packs: vote::Packs,
}

/// One figure's place in [`Preps`].
enum Slot {
    /// `len` counted claims: sources in `packs.u32s`, confidences in `packs.f64s`.
    Timeline {
        at_u32: usize,
        at_f64: usize,
        len: usize,
    },
    /// `len` items: sources in `packs.u32s`, shares in `packs.f64s`; then the set.
    Vote {
        at_u32: usize,
        at_f64: usize,
        len: usize,
        set: vote::Packed,
    },
}

impl Slot {
    /// The same figure in lists that hold `u32s`, `f64s` and `queries` more before it.
    fn moved(self, u32s: usize, f64s: usize, queries: usize) -> Slot {
        match self {
            Slot::Timeline {
                at_u32,
                at_f64,
                len,
            } => Slot::Timeline {
                at_u32: at_u32 + u32s,
                at_f64: at_f64 + f64s,
                len,
            },
            Slot::Vote {
                at_u32,
                at_f64,
                len,
                set,
            } => Slot::Vote {
                at_u32: at_u32 + u32s,
                at_f64: at_f64 + f64s,
                len,
                set: set.moved(u32s, f64s, queries),
            },
        }
    }
}

/// What a round fills per figure and empties again.
#[derive(Default)]
struct Round {
    w: Vec<f64>,
    scores: Vec<f64>,
    scratch: vote::Scratch,
}

impl Preps {
    /// Room for the most `claims` claims can need, taken at once: the lists never grow
    /// by copying (twice their size for a moment), and room left unused is address
    /// space, not memory.
    fn with_room(claims: usize) -> Self {
        let mut p = Preps::default();
        // Per item: its source, and as a counted item its place and 3 orders; its share
        // and point; its query.
        p.packs.u32s.reserve(claims * 5);
        p.packs.f64s.reserve(claims * 2);
        p.packs.queries.reserve(claims);
        p
    }

    /// Adds a compared figure: for a cumulative one, each counted claim's source and
    /// confidence by its timeline role; for any other, each item's source and share of
    /// its source's vote, and the sorted orders to score the counted items with (made
    /// in `set`, whose room is reused).
    fn add(&mut self, f: &Figure, flat: &[f64], set: &mut vote::Prepared) {
        let counted: vote::Ids = (0..f.items.len()).filter(|&i| f.items[i].counts).collect();
        let (u, w) = (&mut self.packs.u32s, &mut self.packs.f64s);
        let (at_u32, at_f64) = (u.len(), w.len());
        if f.cumulative {
            let d: Decision = vote::decide(f, flat);
            u.extend(counted.iter().map(|&i| f.items[i].source as u32));
            w.extend(counted.iter().map(|&i| match d.roles[i] {
                Role::Consensus | Role::Earlier => 1.0,
                Role::Conflicting => 0.5,
                _ => 0.0,
            }));
            self.figs.push(Slot::Timeline {
                at_u32,
                at_f64,
                len: counted.len(),
            });
            return;
        }
        u.extend(f.items.iter().map(|it| it.source as u32));
        // No weights given: each source's weight is one, shared among its claims.
        w.extend(vote::item_weights(f, &[]));
        set.fill(f, &counted);
        self.figs.push(Slot::Vote {
            at_u32,
            at_f64,
            len: f.items.len(),
            set: set.pack(&mut self.packs),
        });
    }

    /// Adds every figure of `other` after those held, in its order.
    fn append(&mut self, other: Preps) {
        let (u, f) = (self.packs.u32s.len(), self.packs.f64s.len());
        let q = self.packs.queries.len();
        self.figs
            .extend(other.figs.into_iter().map(|slot| slot.moved(u, f, q)));
        self.packs.u32s.extend_from_slice(&other.packs.u32s);
        self.packs.f64s.extend_from_slice(&other.packs.f64s);
        self.packs.queries.extend_from_slice(&other.packs.queries);
    }

    /// Each counted claim's source and confidence, added to `out`: its value's share of
    /// the figure's weighted support (or its timeline role's).
    fn evidence_into(&self, p: &Slot, weights: &[f64], r: &mut Round, out: &mut Vec<(usize, f64)>) {
        let (u, f) = (&self.packs.u32s, &self.packs.f64s);
        let (at_u32, at_f64, len, set) = match p {
            &Slot::Timeline {
                at_u32,
                at_f64,
                len,
            } => {
                let (src, conf) = (&u[at_u32..at_u32 + len], &f[at_f64..at_f64 + len]);
                out.extend(src.iter().zip(conf).map(|(&s, &c)| (s as usize, c)));
                return;
            }
            Slot::Vote {
                at_u32,
                at_f64,
                len,
                set,
            } => (*at_u32, *at_f64, *len, set),
        };
        let sources = &u[at_u32..at_u32 + len];
        let share = &f[at_f64..at_f64 + len];
        r.w.clear();
        r.w.extend(
            sources
                .iter()
                .zip(share)
                .map(|(&src, s)| weights.get(src as usize).copied().unwrap_or(PRIOR_WEIGHT) * s),
        );
        let counted = set.among(&self.packs);
        let total: f64 = counted.iter().map(|&i| r.w[i as usize]).sum();
        r.scores.clear();
        r.scores.resize(len, 0.0);
        set.orders(&self.packs)
            .scores_into(&r.w, &mut r.scores, &mut r.scratch);
        out.extend(counted.iter().map(|&i| {
            let conf = if total > 0.0 {
                (r.scores[i as usize] / total).clamp(0.0, 1.0)
            } else {
                0.0
            };
            (sources[i as usize] as usize, conf)
        }));
    }
}

/// Per source, by index: its counted claims in compared figures, how many of those
/// agree with their figure's best value, and its claims marked `verified` or `false`.
#[derive(Clone, Debug, Default)]
pub(super) struct Tally {
    rows: Vec<(usize, usize, usize)>,
}

impl Tally {
    /// Counts the claims of one figure decided with the weights learned.
    pub(super) fn figure(&mut self, f: &Figure, roles: Option<&[Role]>) {
        for (i, it) in f.items.iter().enumerate() {
            if self.rows.len() <= it.source {
                self.rows.resize(it.source + 1, (0, 0, 0));
            }
            let row = &mut self.rows[it.source];
            if matches!(it.claim.status, Status::Verified | Status::False) {
                row.2 += 1;
            }
            if let (Some(roles), true) = (roles, it.counts) {
                row.0 += 1;
                row.1 += usize::from(roles[i] == Role::Consensus);
            }
        }
    }

    /// Adds another tally's counts.
    pub(super) fn add(&mut self, other: &Tally) {
        if self.rows.len() < other.rows.len() {
            self.rows.resize(other.rows.len(), (0, 0, 0));
        }
        for (a, b) in self.rows.iter_mut().zip(&other.rows) {
            a.0 += b.0;
            a.1 += b.1;
            a.2 += b.2;
        }
    }
}

/// What `source list` shows: every source's trust from its weight, and its tally.
pub(super) fn table(sources: &[String], weights: &[f64], tally: &Tally) -> Vec<SourceTrust> {
    sources
        .iter()
        .zip(weights)
        .enumerate()
        .map(|(i, (s, &w))| {
            let (compared, agree, verdicts) = tally.rows.get(i).copied().unwrap_or_default();
            SourceTrust {
                source: s.clone(),
                trust: 1.0 - (-w).exp(),
                compared,
                agree,
                verdicts,
            }
        })
        .collect()
}
