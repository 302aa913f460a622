//! Findings: what `conflicts` reports about each figure (subject + property + a unit
//! group) whose claims disagree. Owns the public shape of a finding, the entry points
//! ([`findings`], [`learn_trust`], [`warnings_for_new_claim`]) and the text folding used
//! to compare text values.
//!
//! How a finding is decided, module by module:
//! - [`store`]: the compact claims a report is built from, read straight from the log
//!   (or taken from a folded ledger);
//! - [`figure`]: grouping claims by subject + property once, and making a group's
//!   figures (one grouping-key function) when they are needed, with each claim's value on
//!   a numeric line for the sweeps: a report over a million claims holds a block of
//!   figures at a time, never all;
//! - [`vote`]: the weighted support of each candidate value (overlap plus near values),
//!   by a sweep over sorted ends: O(n log n) per figure;
//! - [`trust`]: per-source trust learned across the whole ledger (truth discovery);
//! - [`rank`]: one pass deciding every figure with the trust learned: which make
//!   findings, in which order, and the trust table's tallies;
//! - [`timeline`]: roles of the claims of a cumulative figure (tolls) in as-of order;
//! - [`basis`]: what decided a figure's best value, and the sentence that says so;
//! - [`assemble`]: the finding itself: claims in as-of order with roles, the estimate,
//!   and one explanation per claim that has to be wrong;
//! - [`gaps`]: gaps and ranges in the unit of the values' precision;
//! - [`pipeline`]: building a report's batches on the worker pool while the one
//!   before is written.

mod assemble;
mod basis;
mod decided;
mod figure;
mod gaps;
mod pipeline;
mod rank;
mod store;
mod timeline;
mod trust;
mod vote;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::ledger::Ledger;
use crate::model::{Claim, Status};

use pipeline::pipeline;

pub use figure::figure_key;
pub use store::Store;
pub use trust::SourceTrust;

/// Folds text for comparison: lowercase, punctuation dropped, runs of space made one.
pub fn fold_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

/// What a finding reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A counted claim is stale, an outlier or conflicting.
    #[default]
    Conflict,
    /// A cumulative figure moved over time, and every counted claim fits its timeline.
    Revision,
}

impl Kind {
    /// The kind's name as JSON and the table spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Conflict => "conflict",
            Kind::Revision => "revision",
        }
    }
}

/// The part a claim plays in its figure's finding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Agrees with the figure's current best value.
    #[default]
    Consensus,
    /// An earlier figure of a cumulative property, superseded by a later revision.
    Earlier,
    /// Reported after the figure it repeats had been superseded.
    Stale,
    /// At odds with contemporaneous reports that agree among themselves.
    Outlier,
    /// At odds with contemporaneous reports, and nothing decides between them.
    Conflicting,
    /// Marked `false` or `retracted`: shown, never counted.
    Settled,
}

impl Role {
    /// Every role, in the order the enum declares them.
    pub const ALL: [Role; 6] = [
        Role::Consensus,
        Role::Earlier,
        Role::Stale,
        Role::Outlier,
        Role::Conflicting,
        Role::Settled,
    ];

    /// The role's name as JSON and the table spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Consensus => "consensus",
            Role::Earlier => "earlier",
            Role::Stale => "stale",
            Role::Outlier => "outlier",
            Role::Conflicting => "conflicting",
            Role::Settled => "settled",
        }
    }

    /// Whether a claim with this role makes its finding a conflict.
    pub fn is_conflict(self) -> bool {
        matches!(self, Role::Stale | Role::Outlier | Role::Conflicting)
    }
}

/// Which way a cumulative figure moved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    #[default]
    Up,
    Down,
}

impl Direction {
    /// The direction's name as JSON spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

/// One claim as a finding shows it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FindingClaim {
    pub id: String,
    pub full_id: String,
    pub source: String,
    /// The value as written.
    pub value: String,
    /// What it was read as, in the finding's unit.
    pub parsed: String,
    pub unit: Option<String>,
    /// When the figure was current (its own as-of, else its source's published date).
    pub as_of: Option<String>,
    /// True when neither the claim nor its source gives a date: listed last.
    pub undated: bool,
    pub status: Status,
    /// False for claims marked false or retracted: they do not count against others.
    pub counts: bool,
    pub role: Role,
    /// The learned trust of the claim's source (0..1).
    pub trust: f64,
    #[serde(skip)]
    pub shape: Shape,
}

/// A claim's value on the finding's common scale, for the picture.
#[derive(Clone, Debug, Default)]
pub struct Shape {
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// A claim that has to be wrong for the rest to be consistent, and the claim it is
/// measured against.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Pair {
    /// The claim that has to be wrong (or, for `conflicting`, one side).
    pub a: String,
    /// The claim it is measured against.
    pub b: String,
    /// `a`'s role: `stale`, `outlier` or `conflicting`.
    pub relation: Role,
    pub explanation: String,
}

/// A change of a cumulative figure's current value.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Revision {
    /// The as-of of the claim that moved the figure.
    pub date: Option<String>,
    pub from: String,
    pub to: String,
    pub direction: Direction,
    /// The claim that moved it.
    pub claim: String,
}

/// The low / best / high estimate of a finding.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Estimate {
    pub low: Option<String>,
    /// None when the evidence does not decide (see `undetermined`).
    pub best: Option<String>,
    pub high: Option<String>,
    /// A sentence naming what decided `best`.
    pub basis: String,
    /// The sources of the counted claims that contain `best`.
    pub support: Vec<String>,
    /// True when the evidence does not decide: a tie, or too little to go on.
    pub undetermined: bool,
}

/// What `conflicts` reports about one figure.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Finding {
    pub subject: String,
    pub property: String,
    pub kind: Kind,
    /// The unit values were compared in.
    pub unit: Option<String>,
    /// True when the only claims at odds are marked false or retracted.
    pub settled: bool,
    /// Ids of verified claims taking part.
    pub verified: Vec<String>,
    /// In as-of order; undated claims last.
    pub claims: Vec<FindingClaim>,
    /// Only explanatory pairs: one per claim that has to be wrong.
    pub pairs: Vec<Pair>,
    /// For a cumulative figure, each change of its current value.
    pub revisions: Vec<Revision>,
    /// `up`, `down`, or None when the figure never moved (or is not cumulative).
    pub direction: Option<Direction>,
    /// The widest gap between counted claims, in the unit of the values' precision.
    pub gap: Option<String>,
    /// That gap relative to the size of the values (0 when they touch).
    pub relative_gap: f64,
    pub estimate: Option<Estimate>,
    /// One line saying what was found.
    pub summary: String,
}

/// Claims of one subject+property that could not be compared.
#[derive(Clone, Debug, Serialize)]
pub struct NotCompared {
    pub subject: String,
    pub property: String,
    pub reason: String,
}

/// Everything `conflicts` found.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub not_compared: Vec<NotCompared>,
    /// Claims in figures of two or more that were compared.
    pub claims_compared: usize,
    /// Every source's learned trust, by source id.
    pub trust: Vec<SourceTrust>,
}

/// What a streamed report says besides its findings.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    /// How many findings were handed on.
    pub findings: usize,
    /// How many of them are conflicts, and how many of those are not settled.
    pub conflicts: usize,
    pub unsettled: usize,
    pub not_compared: Vec<NotCompared>,
    /// Claims in figures of two or more that were compared.
    pub claims_compared: usize,
    /// Every source's learned trust, by source id.
    pub trust: Vec<SourceTrust>,
    /// Every source's vote weight as the report used it, by source id.
    pub weights: Vec<(String, f64)>,
}

impl Totals {
    /// The trust the report used, to keep for a later report on part of the ledger.
    pub fn learned(&self) -> LearnedTrust {
        LearnedTrust {
            weights: self.weights.clone(),
            table: self.trust.clone(),
        }
    }
}

/// How many findings are built at a time (in parallel) and handed on: a report holds
/// at most three batches (one being written, one waiting, one being built), never all
/// its findings.
const BATCH: usize = 2048;

/// How many findings in a row are rendered into one `T` by one worker.
const RUN: usize = 64;

/// Where a streamed report's findings go. `render` adds each finding to what is handed
/// on (the printed bytes, or the findings themselves) on the worker thread that built
/// it, a run of findings in a row to one `T`, in parallel; `emit` then gets the runs a
/// batch at a time, in the report's order, on the caller's thread, while the next batch
/// is being built.
pub struct Sink<'a, T, E> {
    /// Adds the finding, numbered in the report from 1, to its run. The finding is lent:
    /// a worker builds each of its run's findings over the one before, in the same room.
    pub render: &'a (dyn Fn(&mut T, usize, &Finding) + Sync),
    /// Takes a batch; an error stops the report.
    pub emit: &'a mut dyn FnMut(Vec<T>) -> Result<(), E>,
}

/// Every finding in the ledger, optionally for one subject and/or property, handed to
/// `sink` a batch at a time in the report's order: worst first (unsettled conflicts,
/// then settled ones, then revisions; the widest relative gap first), then by subject,
/// property and unit. Trust is learned over the whole ledger whatever the filter, so a
/// filtered report says the same about a figure as the full one.
pub fn stream<T: Default + Send, E>(
    store: &Store,
    config: &Config,
    subject: Option<&str>,
    property: Option<&str>,
    sink: Sink<'_, T, E>,
) -> Result<Totals, E> {
    stream_with(store, config, (subject, property), None, sink)
}

/// [`stream`], with trust learned over the whole ledger given (`store` then need hold
/// only the figures asked for), or learned here when `None`.
pub fn stream_with<T: Default + Send, E>(
    store: &Store,
    config: &Config,
    (subject, property): (Option<&str>, Option<&str>),
    learned: Option<&LearnedTrust>,
    sink: Sink<'_, T, E>,
) -> Result<Totals, E> {
    let grouping = figure::Grouping::new(store, config);
    stream_grouped(&grouping, config, (subject, property), learned, sink)
}

/// [`stream_with`] over claims grouped already.
fn stream_grouped<T: Default + Send, E>(
    grouping: &figure::Grouping,
    config: &Config,
    (subject, property): (Option<&str>, Option<&str>),
    learned: Option<&LearnedTrust>,
    sink: Sink<'_, T, E>,
) -> Result<Totals, E> {
    let (weights, given) = match learned {
        Some(l) => (l.weights_for(grouping.sources), Some(l.table.clone())),
        None => (trust::learn(grouping), None),
    };
    let property = property.map(|p| config.canonical_property(p));
    let wanted = |subj: &str, prop: &str| {
        subject.is_none_or(|s| s == subj) && property.is_none_or(|p| p == prop)
    };
    let filtered = subject.is_some() || property.is_some();
    let wanted = filtered.then_some(&wanted as rank::Wanted);
    let pass = rank::rank(grouping, &weights, wanted, given.is_none());
    let table = given.unwrap_or_else(|| trust::table(grouping.sources, &weights, &pass.tally));
    let render = sink.render;
    // Every ranked figure makes its finding: the rank pass decided so, and its decision
    // is the one each finding is written from, so a finding's number is its place.
    let build = |k: usize| -> Vec<T> {
        let first = k * BATCH;
        pass.ranked[first..pass.ranked.len().min(first + BATCH)]
            .par_chunks(RUN)
            .enumerate()
            .map(|(c, run)| {
                let mut out = T::default();
                // One finding and one group's figures written over for the whole run:
                // their room is reused.
                let mut room = assemble::Room::default();
                let mut figures = figure::Figures::default();
                for (i, r) in run.iter().enumerate() {
                    grouping.figures_into(r.group as usize, &mut figures);
                    let d = || pass.decided.get(r.decided);
                    let found = (figures.get(r.set as usize))
                        .is_some_and(|fig| assemble::decided_into(fig, d(), &weights, &mut room));
                    debug_assert!(found, "a ranked figure makes no finding");
                    if found {
                        render(&mut out, first + c * RUN + i + 1, &room.finding);
                    }
                }
                out
            })
            .collect()
    };
    pipeline(pass.ranked.len().div_ceil(BATCH), &build, sink.emit)?;
    let conflicts = pass.ranked.iter().filter(|r| r.is_conflict());
    Ok(Totals {
        findings: pass.ranked.len(),
        conflicts: conflicts.clone().count(),
        unsettled: conflicts.filter(|r| !r.is_settled()).count(),
        not_compared: pass.not_compared,
        claims_compared: pass.claims_compared,
        weights: grouping.sources.iter().cloned().zip(weights).collect(),
        trust: table,
    })
}

/// Every finding in the ledger at once (see [`stream`], which hands them on a batch at
/// a time), optionally for one subject and/or property.
pub fn findings(
    ledger: &Ledger,
    config: &Config,
    subject: Option<&str>,
    property: Option<&str>,
) -> Report {
    let store = Store::from_ledger(ledger, config, None);
    collect(|sink| stream(&store, config, subject, property, sink))
}

/// A whole report from a stream of its findings.
fn collect(
    run: impl FnOnce(
        Sink<'_, Vec<Finding>, std::convert::Infallible>,
    ) -> Result<Totals, std::convert::Infallible>,
) -> Report {
    let mut findings = Vec::new();
    let Ok(totals) = run(Sink {
        render: &|run: &mut Vec<Finding>, _, f| run.push(f.clone()),
        emit: &mut |batch| {
            findings.extend(batch.into_iter().flatten());
            Ok(())
        },
    });
    Report {
        findings,
        not_compared: totals.not_compared,
        claims_compared: totals.claims_compared,
        trust: totals.trust,
    }
}

/// Source trust learned over a whole ledger, kept to report on part of it later (the
/// index keeps it, tied to the log it was learned from).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LearnedTrust {
    /// Each source's vote weight, by source id.
    pub weights: Vec<(String, f64)>,
    /// What `source list` shows.
    pub table: Vec<SourceTrust>,
}

impl LearnedTrust {
    /// The weights in the order of `sources` (a source it does not know gets the prior).
    fn weights_for(&self, sources: &[String]) -> Vec<f64> {
        let by_id: HashMap<&str, f64> =
            self.weights.iter().map(|(s, w)| (s.as_str(), *w)).collect();
        sources
            .iter()
            .map(|s| {
                by_id
                    .get(s.as_str())
                    .copied()
                    .unwrap_or(trust::PRIOR_WEIGHT)
            })
            .collect()
    }
}

/// Learns every source's trust over the whole of `ledger`.
pub fn learn_trust(ledger: &Ledger, config: &Config) -> LearnedTrust {
    learn_trust_in(&Store::from_ledger(ledger, config, None), config)
}

/// Learns every source's trust over the claims of `store` (all of a log's, as
/// [`Store::read`] reads them).
pub fn learn_trust_in(store: &Store, config: &Config) -> LearnedTrust {
    let grouping = figure::Grouping::new(store, config);
    let weights = trust::learn(&grouping);
    let pass = rank::rank(&grouping, &weights, Some(&|_, _| false), true);
    LearnedTrust {
        table: trust::table(grouping.sources, &weights, &pass.tally),
        weights: grouping.sources.iter().cloned().zip(weights).collect(),
    }
}

/// [`findings`] with trust already learned over the whole ledger: `ledger` then need
/// hold only the claims of the figures asked for (and every source).
pub fn findings_with_trust(
    ledger: &Ledger,
    config: &Config,
    subject: Option<&str>,
    property: Option<&str>,
    learned: &LearnedTrust,
) -> Report {
    collect(|sink| stream_with_trust(ledger, config, (subject, property), learned, sink))
}

/// [`stream`] over the claims `ledger` holds, with trust already learned over the whole
/// ledger: `ledger` need hold only the figures asked for (and every source).
pub fn stream_with_trust<T: Default + Send, E>(
    ledger: &Ledger,
    config: &Config,
    filter: (Option<&str>, Option<&str>),
    learned: &LearnedTrust,
    sink: Sink<'_, T, E>,
) -> Result<Totals, E> {
    let store = Store::from_ledger(ledger, config, None);
    stream_with(&store, config, filter, Some(learned), sink)
}

/// What to warn about when `claim` is about to be logged: only a disagreement the new
/// claim itself makes (it is stale, an outlier or conflicting in its figure). Only the
/// claim's own figure is looked at, with every source trusted alike (learning trust over
/// the whole ledger is a report's job, not a write's). The claim it supersedes counts
/// as retracted, and settled claims never count, so neither is ever warned about.
pub fn warnings_for_new_claim(ledger: &Ledger, config: &Config, claim: &Claim) -> Vec<String> {
    let store = Store::from_ledger(ledger, config, Some(claim));
    let built = figure::build(&store, config);
    // The claim itself is the store's last.
    let Some(own) = store.facts.last() else {
        return Vec::new();
    };
    let Some(fig) = built
        .figures
        .iter()
        .find(|f| f.items.iter().any(|it| std::ptr::eq(it.claim, own)))
    else {
        return Vec::new();
    };
    let weights = vec![trust::PRIOR_WEIGHT; store.source_ids.len()];
    let Some(f) = assemble::finding(fig, &weights) else {
        return Vec::new();
    };
    let short = crate::model::short_id(&claim.id);
    // The new claim's own line first; for a tie, the line of a claim it ties with.
    let own = f.pairs.iter().find(|p| p.a == short);
    let tie = || {
        f.pairs
            .iter()
            .find(|p| p.relation == Role::Conflicting && p.b == short)
    };
    own.or_else(tie)
        .into_iter()
        .map(|p| {
            format!(
                "conflict on {} {}: {} (claim {} against {}); `factledger conflicts --subject {} --property {}` shows the finding",
                f.subject, f.property, p.explanation, p.a, p.b, claim.subject, claim.property
            )
        })
        .collect()
}

/// A one-line picture of where a value falls on its finding's scale: `·` empty, `█`
/// covered, `◀`/`▶` open towards minus or plus infinity.
pub fn picture(shape: &Shape, width: usize) -> String {
    let (lo, hi) = match (shape.low, shape.high) {
        (None, None) => return String::new(),
        (lo, hi) => (lo, hi),
    };
    let width = width.max(2);
    let at = |x: f64| ((x * (width - 1) as f64).round().max(0.0) as usize).min(width - 1);
    let from = lo.map_or(0, at);
    let to = hi.map_or(width - 1, at);
    (0..width)
        .map(|i| {
            if i == 0 && lo.is_none() {
                '◀'
            } else if i == width - 1 && hi.is_none() {
                '▶'
            } else if i >= from && i <= to {
                '█'
            } else {
                '·'
            }
        })
        .collect()
}

/// Whether a status keeps a claim out of the count.
fn settled(status: Status) -> bool {
    status.is_settled_out()
}

#[cfg(test)]
mod tests;
