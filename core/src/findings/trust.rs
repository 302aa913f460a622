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

use super::figure::{Built, Figure};
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

/// The learned weights (by source index) and the table.
pub(super) struct Learned {
    pub weights: Vec<f64>,
    pub table: Vec<SourceTrust>,
}

/// A vote weight from a trust: `-ln(1 - t)`, so a source right 95% of the time counts
/// far more than one right 60% of the time.
fn weight_of(t: f64) -> f64 {
    -(1.0 - t.clamp(0.05, 0.95)).ln()
}

/// Per source: (sum of evidence, amount of evidence).
type Evidence = Vec<(f64, f64)>;

/// Learns every source's trust from every figure of the ledger.
pub(super) fn learn(built: &Built) -> Learned {
    let k = built.sources.len();
    let compared: Vec<&Figure> = built
        .figures
        .iter()
        .filter(|f| f.items.iter().filter(|i| i.counts).count() > 1)
        .collect();
    let mut base: Evidence = vec![(PRIOR * PRIOR_CLAIMS, PRIOR_CLAIMS); k];
    for f in &built.figures {
        for it in &f.items {
            match it.claim.status {
                Status::Verified => add(&mut base, it.source, 1.0, VERDICT_CLAIMS),
                Status::False => add(&mut base, it.source, 0.0, VERDICT_CLAIMS),
                _ => {}
            }
        }
    }
    let flat = vec![PRIOR_WEIGHT; k];
    // A timeline does not move with trust much: cumulative figures are decided once.
    // The others are sorted once, and each round only sums weights.
    let prepared: Vec<Prep> = compared.par_iter().map(|f| Prep::new(f, &flat)).collect();
    let mut weights = flat;
    for _ in 0..ROUNDS {
        let per_fig: Vec<Vec<(usize, f64)>> = compared
            .par_iter()
            .zip(&prepared)
            .map(|(f, p)| p.evidence(f, &weights))
            .collect();
        let mut ev = base.clone();
        for (src, conf) in per_fig.into_iter().flatten() {
            add(&mut ev, src, conf, 1.0);
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
    let table = table(built, &compared, &weights);
    Learned { weights, table }
}

fn add(ev: &mut Evidence, src: usize, conf: f64, amount: f64) {
    if let Some(e) = ev.get_mut(src) {
        e.0 += conf * amount;
        e.1 += amount;
    }
}

/// What a round of learning needs of one figure, computed once.
enum Prep {
    /// A cumulative figure: each counted claim's confidence by its timeline role.
    Timeline(Vec<(usize, f64)>),
    /// Any other: the counted items, each one's share of its source's vote, and the
    /// sorted orders to score them with.
    Vote {
        counted: Vec<usize>,
        share: Vec<f64>,
        prepared: Box<vote::Prepared>,
    },
}

impl Prep {
    fn new(f: &Figure, flat: &[f64]) -> Prep {
        let counted: Vec<usize> = (0..f.items.len()).filter(|&i| f.items[i].counts).collect();
        if f.cumulative {
            let d: Decision = vote::decide(f, flat);
            return Prep::Timeline(
                counted
                    .iter()
                    .map(|&i| {
                        let conf = match d.roles[i] {
                            Role::Consensus | Role::Earlier => 1.0,
                            Role::Conflicting => 0.5,
                            _ => 0.0,
                        };
                        (f.items[i].source, conf)
                    })
                    .collect(),
            );
        }
        let ones = vec![1.0; flat.len()];
        Prep::Vote {
            share: vote::item_weights(f, &ones),
            prepared: Box::new(vote::Prepared::new(f, &counted)),
            counted,
        }
    }

    /// Each counted claim's confidence: its value's share of the figure's weighted
    /// support (or its timeline role's).
    fn evidence(&self, f: &Figure, weights: &[f64]) -> Vec<(usize, f64)> {
        let (counted, share, prepared) = match self {
            Prep::Timeline(v) => return v.clone(),
            Prep::Vote {
                counted,
                share,
                prepared,
            } => (counted, share, prepared),
        };
        let w: Vec<f64> = f
            .items
            .iter()
            .zip(share)
            .map(|(it, s)| weights.get(it.source).copied().unwrap_or(PRIOR_WEIGHT) * s)
            .collect();
        let total: f64 = counted.iter().map(|&i| w[i]).sum();
        let scores = prepared.scores(f.items.len(), &w);
        counted
            .iter()
            .map(|&i| {
                let conf = if total > 0.0 {
                    (scores[i] / total).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                (f.items[i].source, conf)
            })
            .collect()
    }
}

fn table(built: &Built, compared: &[&Figure], weights: &[f64]) -> Vec<SourceTrust> {
    let counts: Vec<Vec<(usize, bool)>> = compared
        .par_iter()
        .map(|f| {
            let d = vote::decide(f, weights);
            f.items
                .iter()
                .enumerate()
                .filter(|(_, it)| it.counts)
                .map(|(i, it)| (it.source, d.roles[i] == Role::Consensus))
                .collect()
        })
        .collect();
    let mut table: Vec<SourceTrust> = built
        .sources
        .iter()
        .zip(weights)
        .map(|(s, &w)| SourceTrust {
            source: s.clone(),
            trust: 1.0 - (-w).exp(),
            compared: 0,
            agree: 0,
            verdicts: 0,
        })
        .collect();
    for f in &built.figures {
        for it in &f.items {
            if matches!(it.claim.status, Status::Verified | Status::False) {
                if let Some(t) = table.get_mut(it.source) {
                    t.verdicts += 1;
                }
            }
        }
    }
    for (src, agrees) in counts.into_iter().flatten() {
        if let Some(t) = table.get_mut(src) {
            t.compared += 1;
            t.agree += usize::from(agrees);
        }
    }
    table
}
