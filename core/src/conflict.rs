//! Findings: where claims on one subject and property cannot all be true (`conflict`),
//! and where a cumulative figure grew over time (`revision`). Owns the comparison rules,
//! the ranking, the low/best/high estimate and the text folding used to compare text.
//!
//! Rules, for claims grouped by subject + property + a unit they convert to:
//! - two quantities conflict when their intervals do not overlap; two dates when their
//!   spans do not overlap; two texts when they differ after [`fold_text`];
//! - for a cumulative property, when one claim's as-of lies wholly before the other's,
//!   a higher later figure is a revision and a lower later figure is a conflict (stale);
//! - claims marked `false` or `retracted` still show, but a conflict that only they
//!   take part in is settled.
//!
//! The estimate follows the low/best/high practice of conflict-event datasets: low is the
//! lowest finite end and high the highest finite end among the claims that still count
//! (unbounded when every claim is open on that side), best is the midpoint of the
//! first verified claim if any, else of the claim with the latest as-of that is not a
//! stale figure (one lower than a figure reported before it); for an open interval,
//! its finite end.

use std::collections::HashMap;

use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::config::Config;
use crate::ledger::Ledger;
use crate::model::{short_id, Claim, Status, Value};
use crate::time::TimeSpan;
use crate::value::{conversion, Interval};

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Conflict,
    Revision,
}

/// How two claims of a finding relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// They cannot both be true.
    Conflict,
    /// The later figure of a cumulative property is lower than one reported before it.
    Stale,
    /// The later figure of a cumulative property is higher: the toll grew.
    Revision,
}

/// One claim as a finding shows it.
#[derive(Clone, Debug, Serialize)]
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
    pub status: Status,
    /// False for claims marked false or retracted: they do not count against others.
    pub counts: bool,
    #[serde(skip)]
    pub shape: Shape,
}

/// A claim's value on the finding's common scale, for the picture.
#[derive(Clone, Debug, Default)]
pub struct Shape {
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Two claims of a finding and how they relate.
#[derive(Clone, Debug, Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    pub relation: Relation,
    /// Whether a claim marked false or retracted takes part.
    pub settled: bool,
    pub explanation: String,
}

/// The low / best / high estimate of a finding.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Estimate {
    pub low: Option<String>,
    pub best: Option<String>,
    pub high: Option<String>,
    /// Where `best` comes from.
    pub basis: String,
}

/// What `conflicts` reports about one subject and property.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub subject: String,
    pub property: String,
    pub kind: Kind,
    /// The unit values were compared in.
    pub unit: Option<String>,
    /// True when every conflicting pair has a claim marked false or retracted.
    pub settled: bool,
    /// Ids of verified claims taking part.
    pub verified: Vec<String>,
    pub claims: Vec<FindingClaim>,
    pub pairs: Vec<Pair>,
    /// The widest gap between two claims' values, as text in the finding's unit.
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
    /// Claims in groups of two or more that were compared.
    pub claims_compared: usize,
}

/// A claim with what comparison needs.
#[derive(Clone, Debug)]
struct Item<'a> {
    claim: &'a Claim,
    status: Status,
    as_of: Option<TimeSpan>,
}

/// A comparable value: an interval in the set's unit, a span, or folded text.
#[derive(Clone, Debug)]
enum Cmp {
    Q(Interval),
    D(TimeSpan),
    T(String),
}

fn as_of_of(ledger: &Ledger, claim: &Claim) -> Option<TimeSpan> {
    claim.as_of.as_ref().map(|a| a.span).or_else(|| {
        ledger
            .source(&claim.source)
            .and_then(|s| s.source.published.as_ref().map(|p| p.span))
    })
}

/// Every finding in the ledger, optionally for one subject and/or property.
pub fn findings(
    ledger: &Ledger,
    config: &Config,
    subject: Option<&str>,
    property: Option<&str>,
) -> Report {
    let mut groups: HashMap<(&str, &str), Vec<Item>> = HashMap::new();
    for c in &ledger.claims {
        let cl = &c.claim;
        if subject.is_some_and(|s| s != cl.subject) || property.is_some_and(|p| p != cl.property) {
            continue;
        }
        groups
            .entry((&cl.subject, &cl.property))
            .or_default()
            .push(Item {
                claim: cl,
                status: c.status(),
                as_of: as_of_of(ledger, cl),
            });
    }
    let mut groups: Vec<((&str, &str), Vec<Item>)> = groups
        .into_iter()
        .filter(|(_, items)| items.len() > 1)
        .collect();
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    // Groups are independent: analyze them in parallel, then merge in group order.
    let parts: Vec<Report> = groups
        .par_iter()
        .map(|(_, items)| {
            let mut part = Report::default();
            analyze_group(items, config, None, &mut part);
            part
        })
        .collect();
    let mut report = Report::default();
    for part in parts {
        report.findings.extend(part.findings);
        report.not_compared.extend(part.not_compared);
        report.claims_compared += part.claims_compared;
    }
    report.findings.par_sort_by(|a, b| {
        (a.settled, a.kind)
            .cmp(&(b.settled, b.kind))
            .then(b.relative_gap.total_cmp(&a.relative_gap))
            .then_with(|| (&a.subject, &a.property).cmp(&(&b.subject, &b.property)))
    });
    report
}

/// Findings that a claim about to be logged would create or join, as warning lines.
pub fn warnings_for_new_claim(ledger: &Ledger, config: &Config, claim: &Claim) -> Vec<String> {
    let mut items: Vec<Item> = ledger
        .claims
        .iter()
        .filter(|c| c.claim.subject == claim.subject && c.claim.property == claim.property)
        .map(|c| Item {
            claim: &c.claim,
            status: c.status(),
            as_of: as_of_of(ledger, &c.claim),
        })
        .collect();
    if items.is_empty() {
        return Vec::new();
    }
    items.push(Item {
        claim,
        status: Status::Unverified,
        as_of: as_of_of(ledger, claim),
    });
    let mut report = Report::default();
    let me = items.len() - 1;
    analyze_group(&items, config, Some(me), &mut report);
    // A claim may disagree with many: name a few, and count the rest.
    const SHOWN: usize = 5;
    let mut lines: Vec<String> = report
        .findings
        .iter()
        .flat_map(|f| f.pairs.iter().map(move |p| (f, p)))
        .map(|(f, p)| {
            let verb = match p.relation {
                Relation::Revision => "revision",
                Relation::Conflict | Relation::Stale => "conflict",
            };
            format!("{verb} on {} {}: {}", f.subject, f.property, p.explanation)
        })
        .collect();
    if lines.len() > SHOWN {
        let more = lines.len() - SHOWN;
        lines.truncate(SHOWN);
        lines.push(format!(
            "... and {more} more; `factledger conflicts --subject {} --property {}` shows them all",
            claim.subject, claim.property
        ));
    }
    lines
}

fn cmp_value(claim: &Claim, factor: Decimal) -> Cmp {
    match &claim.value {
        Value::Quantity { interval, .. } => Cmp::Q(interval.scale(factor)),
        Value::Date(d) => Cmp::D(d.span),
        Value::Text { raw } => Cmp::T(fold_text(raw)),
    }
}

/// Claims of one group that can be compared: one kind of value and, for quantities,
/// units that convert to the set's unit (each member with its conversion factor).
struct UnitSet {
    unit: Option<String>,
    kind: &'static str,
    members: Vec<(usize, Decimal)>,
}

/// How two items of a set relate, with how far apart they are.
struct Link {
    a: usize,
    b: usize,
    relation: Relation,
    relative_gap: f64,
    /// The gap between two quantities, in the set's unit.
    gap: Option<Decimal>,
    /// The gap between two dates, in days.
    days: Option<i64>,
}

/// Adds the findings of one subject+property group to `report`. With `focus`, only
/// pairs that include that item are compared (what `add` needs to warn of).
fn analyze_group(items: &[Item], config: &Config, focus: Option<usize>, report: &mut Report) {
    let (subject, property) = (&items[0].claim.subject, &items[0].claim.property);
    // Split by kind of value, then quantities by convertible unit.
    let mut sets: Vec<UnitSet> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let kind = it.claim.value.kind();
        let unit = it.claim.unit.as_deref();
        let slot = sets.iter_mut().find_map(|set| {
            if set.kind != kind {
                return None;
            }
            let f = if kind == "quantity" {
                conversion(unit, set.unit.as_deref())?
            } else {
                Decimal::ONE
            };
            Some((&mut set.members, f))
        });
        match slot {
            Some((members, f)) => members.push((i, f)),
            None => sets.push(UnitSet {
                unit: unit.map(String::from),
                kind,
                members: vec![(i, Decimal::ONE)],
            }),
        }
    }
    if sets.len() > 1 && focus.is_none() {
        let describe = |set: &UnitSet| match (set.kind, &set.unit) {
            ("quantity", Some(u)) => format!("{} in {u}", set.members.len()),
            ("quantity", None) => format!("{} without unit", set.members.len()),
            (k, _) => format!("{} {k}", set.members.len()),
        };
        report.not_compared.push(NotCompared {
            subject: subject.clone(),
            property: property.clone(),
            reason: format!(
                "values that do not convert are not compared with each other: {}",
                sets.iter().map(describe).collect::<Vec<_>>().join("; ")
            ),
        });
    }
    let cumulative = config.is_cumulative(property);
    for UnitSet { unit, members, .. } in sets {
        if members.len() < 2 {
            continue;
        }
        report.claims_compared += members.len();
        let vals: Vec<(usize, Cmp)> = members
            .iter()
            .map(|&(i, f)| (i, cmp_value(items[i].claim, f)))
            .collect();
        let mut pairs: Vec<Link> = Vec::new();
        for x in 0..vals.len() {
            for y in x + 1..vals.len() {
                let (ia, va) = &vals[x];
                let (ib, vb) = &vals[y];
                if focus.is_some_and(|f| f != *ia && f != *ib) {
                    continue;
                }
                if let Some(link) =
                    relate((*ia, &items[*ia], va), (*ib, &items[*ib], vb), cumulative)
                {
                    pairs.push(link);
                }
            }
        }
        // The later, lower claim of each stale pair: never the best estimate.
        let stale: Vec<usize> = pairs
            .iter()
            .filter(|p| p.relation == Relation::Stale)
            .map(|p| match (items[p.a].as_of, items[p.b].as_of) {
                (Some(a), Some(b)) if b.entirely_before(&a) => p.a,
                _ => p.b,
            })
            .collect();
        for kind in [Kind::Conflict, Kind::Revision] {
            let mine: Vec<_> = pairs
                .iter()
                .filter(|p| (p.relation == Relation::Revision) == (kind == Kind::Revision))
                .collect();
            if mine.is_empty() {
                continue;
            }
            let mut involved: Vec<usize> = mine.iter().flat_map(|p| [p.a, p.b]).collect();
            involved.sort_by(|&a, &b| {
                let key = |i: usize| items[i].as_of.map(|s| s.start);
                key(a).cmp(&key(b)).then(a.cmp(&b))
            });
            involved.dedup();
            let counts = |i: usize| !items[i].status.is_settled_out();
            let settled =
                kind == Kind::Conflict && mine.iter().all(|p| !counts(p.a) || !counts(p.b));
            let widest = mine
                .iter()
                .max_by(|a, b| a.relative_gap.total_cmp(&b.relative_gap))
                .expect("mine is not empty");
            let gap = match (widest.gap, widest.days) {
                (Some(g), _) => Some(format!(
                    "{}{}",
                    g.normalize(),
                    unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default()
                )),
                (None, Some(days)) => Some(format!("{days} days")),
                _ => None,
            };
            let value_of = |i: usize| &vals.iter().find(|v| v.0 == i).expect("member").1;
            let shapes = shapes(&involved.iter().map(|&i| value_of(i)).collect::<Vec<_>>());
            let claims: Vec<FindingClaim> = involved
                .iter()
                .zip(shapes)
                .map(|(&i, shape)| {
                    let it = &items[i];
                    FindingClaim {
                        id: short_id(&it.claim.id).to_string(),
                        full_id: it.claim.id.clone(),
                        source: it.claim.source.clone(),
                        value: it.claim.value.raw().to_string(),
                        parsed: match value_of(i) {
                            Cmp::Q(iv) => iv.to_string(),
                            Cmp::D(s) => s.to_string(),
                            Cmp::T(t) => t.clone(),
                        },
                        unit: it.claim.unit.clone(),
                        as_of: it.as_of.map(|s| s.to_string()),
                        status: it.status,
                        counts: counts(i),
                        shape,
                    }
                })
                .collect();
            let verified: Vec<String> = involved
                .iter()
                .filter(|&&i| items[i].status == Status::Verified)
                .map(|&i| short_id(&items[i].claim.id).to_string())
                .collect();
            let counting: Vec<usize> = involved.iter().copied().filter(|&i| counts(i)).collect();
            let estimate = estimate(&counting, &stale, &|i| value_of(i).clone(), items);
            let pairs_out: Vec<Pair> = mine
                .iter()
                .map(|p| Pair {
                    a: short_id(&items[p.a].claim.id).to_string(),
                    b: short_id(&items[p.b].claim.id).to_string(),
                    relation: p.relation,
                    settled: !counts(p.a) || !counts(p.b),
                    explanation: explain(
                        &items[p.a],
                        value_of(p.a),
                        &items[p.b],
                        value_of(p.b),
                        p.relation,
                    ),
                })
                .collect();
            let summary = summarize(
                kind,
                settled,
                &claims,
                &verified,
                &pairs_out,
                gap.as_deref(),
            );
            report.findings.push(Finding {
                subject: subject.clone(),
                property: property.clone(),
                kind,
                unit: unit.clone(),
                settled,
                verified,
                claims,
                pairs: pairs_out,
                gap,
                relative_gap: widest.relative_gap,
                estimate,
                summary,
            });
        }
    }
}

/// How two items relate, if they disagree or one revises the other.
fn relate(
    (ia, a, va): (usize, &Item, &Cmp),
    (ib, b, vb): (usize, &Item, &Cmp),
    cumulative: bool,
) -> Option<Link> {
    let (relation, relative_gap, gap, days) = relate_values(a, va, b, vb, cumulative)?;
    Some(Link {
        a: ia,
        b: ib,
        relation,
        relative_gap,
        gap,
        days,
    })
}

/// The relation of two values, the relative gap, and the gap as a number (quantities)
/// or in days (dates).
fn relate_values(
    a: &Item,
    va: &Cmp,
    b: &Item,
    vb: &Cmp,
    cumulative: bool,
) -> Option<(Relation, f64, Option<Decimal>, Option<i64>)> {
    match (va, vb) {
        (Cmp::Q(x), Cmp::Q(y)) => {
            if x.overlaps(y) {
                return None;
            }
            let (lo, hi, a_lower) = if x.entirely_below(y) {
                (x, y, true)
            } else {
                (y, x, false)
            };
            let gap = match (lo.high_value(), hi.low_value()) {
                (Some(l), Some(h)) => Some(h - l),
                _ => None,
            };
            let size = [lo.high_value(), hi.low_value()]
                .into_iter()
                .flatten()
                .map(|d| d.abs())
                .max()
                .unwrap_or(Decimal::ONE);
            let rel = match (gap, size.is_zero()) {
                (Some(g), false) => (g / size).to_f64().unwrap_or(0.0),
                _ => 0.0,
            };
            let relation = match (cumulative, a.as_of, b.as_of) {
                (true, Some(ta), Some(tb)) if ta.entirely_before(&tb) => {
                    if a_lower {
                        Relation::Revision
                    } else {
                        Relation::Stale
                    }
                }
                (true, Some(ta), Some(tb)) if tb.entirely_before(&ta) => {
                    if a_lower {
                        Relation::Stale
                    } else {
                        Relation::Revision
                    }
                }
                _ => Relation::Conflict,
            };
            Some((relation, rel, gap, None))
        }
        (Cmp::D(x), Cmp::D(y)) => {
            if x.overlaps(y) {
                return None;
            }
            let (first, second) = if x.entirely_before(y) { (x, y) } else { (y, x) };
            let days = (second.start - first.end).num_days();
            let len = ((first.end - first.start).num_days())
                .max((second.end - second.start).num_days())
                .max(1);
            Some((
                Relation::Conflict,
                days as f64 / len as f64 + 0.001,
                None,
                Some(days),
            ))
        }
        (Cmp::T(x), Cmp::T(y)) => (x != y).then_some((Relation::Conflict, 1.0, None, None)),
        _ => None,
    }
}

fn describe(it: &Item, v: &Cmp) -> String {
    let parsed = match v {
        Cmp::Q(iv) => iv.to_string(),
        Cmp::D(s) => s.to_string(),
        Cmp::T(t) => t.clone(),
    };
    let as_of = it.as_of.map(|s| format!(", as of {s}")).unwrap_or_default();
    let status = if it.status == Status::Unverified {
        String::new()
    } else {
        format!(", {}", it.status)
    };
    format!(
        "{} {:?} = {parsed} ({}{as_of}{status})",
        short_id(&it.claim.id),
        it.claim.value.raw(),
        it.claim.source
    )
}

fn explain(a: &Item, va: &Cmp, b: &Item, vb: &Cmp, rel: Relation) -> String {
    let (first, vf, second, vs) = match (a.as_of, b.as_of) {
        (Some(ta), Some(tb)) if tb.entirely_before(&ta) => (b, vb, a, va),
        _ => (a, va, b, vb),
    };
    match rel {
        Relation::Conflict => format!(
            "{} and {} cannot both be true",
            describe(first, vf),
            describe(second, vs)
        ),
        Relation::Stale => format!(
            "{} is lower than {}, reported earlier: a stale or revised-down figure",
            describe(second, vs),
            describe(first, vf)
        ),
        Relation::Revision => format!("{} grew to {}", describe(first, vf), describe(second, vs)),
    }
}

fn summarize(
    kind: Kind,
    settled: bool,
    claims: &[FindingClaim],
    verified: &[String],
    pairs: &[Pair],
    gap: Option<&str>,
) -> String {
    let sources: Vec<&str> = {
        let mut s: Vec<&str> = claims.iter().map(|c| c.source.as_str()).collect();
        s.dedup();
        s
    };
    let mut text = match kind {
        Kind::Revision => format!(
            "a cumulative figure grew over time across {} claims ({})",
            claims.len(),
            sources.join(", ")
        ),
        Kind::Conflict => {
            let stale = pairs.iter().any(|p| p.relation == Relation::Stale);
            format!(
                "{} claims from {} cannot all be true{}",
                claims.len(),
                sources.join(", "),
                if stale {
                    " (a later figure is lower than an earlier one)"
                } else {
                    ""
                }
            )
        }
    };
    match gap {
        Some("0") => text.push_str("; the values meet only at an open end"),
        Some(g) => text.push_str(&format!("; widest gap {g}")),
        None => {}
    }
    if settled {
        let out: Vec<&str> = claims
            .iter()
            .filter(|c| !c.counts)
            .map(|c| c.id.as_str())
            .collect();
        text.push_str(&format!(
            "; settled: {} marked false or retracted",
            out.join(", ")
        ));
    }
    if !verified.is_empty() && kind == Kind::Conflict {
        text.push_str(&format!("; verified side: {}", verified.join(", ")));
    }
    text
}

fn midpoint(v: &Cmp) -> Option<String> {
    match v {
        Cmp::Q(iv) => match (iv.low_value(), iv.high_value()) {
            (Some(l), Some(h)) => Some(((l + h) / Decimal::TWO).normalize().to_string()),
            (Some(x), None) | (None, Some(x)) => Some(x.normalize().to_string()),
            (None, None) => None,
        },
        Cmp::D(s) => Some(s.to_string()),
        Cmp::T(t) => Some(t.clone()),
    }
}

fn estimate(
    counting: &[usize],
    stale: &[usize],
    value_of: &dyn Fn(usize) -> Cmp,
    items: &[Item],
) -> Option<Estimate> {
    if counting.is_empty() {
        return None;
    }
    let verified: Vec<usize> = counting
        .iter()
        .copied()
        .filter(|&i| items[i].status == Status::Verified)
        .collect();
    let (best_from, basis) = if !verified.is_empty() {
        (
            verified[0],
            format!("verified claim {}", short_id(&items[verified[0]].claim.id)),
        )
    } else {
        let fresh: Vec<usize> = counting
            .iter()
            .copied()
            .filter(|i| !stale.contains(i))
            .collect();
        let pool = if fresh.is_empty() { counting } else { &fresh };
        let latest = *pool
            .iter()
            .max_by_key(|&&i| items[i].as_of.map(|s| s.end))
            .expect("pool is not empty");
        let what = if pool.len() < counting.len() {
            "most recent claim that is not stale"
        } else {
            "most recent claim"
        };
        (
            latest,
            format!("{what} {}", short_id(&items[latest].claim.id)),
        )
    };
    let vals: Vec<Cmp> = counting.iter().map(|&i| value_of(i)).collect();
    let (low, high) = match &vals[0] {
        Cmp::Q(_) => {
            let ivs: Vec<&Interval> = vals
                .iter()
                .filter_map(|v| if let Cmp::Q(i) = v { Some(i) } else { None })
                .collect();
            let low = ivs
                .iter()
                .map(|i| i.low_value())
                .collect::<Option<Vec<_>>>()
                .and_then(|v| v.into_iter().min());
            let high = ivs
                .iter()
                .map(|i| i.high_value())
                .collect::<Option<Vec<_>>>()
                .and_then(|v| v.into_iter().max());
            // A claim open on one side leaves that side of the estimate open.
            (
                low.map(|d| d.normalize().to_string()),
                high.map(|d| d.normalize().to_string()),
            )
        }
        Cmp::D(_) => {
            let spans: Vec<&TimeSpan> = vals
                .iter()
                .filter_map(|v| if let Cmp::D(s) = v { Some(s) } else { None })
                .collect();
            let low = spans
                .iter()
                .map(|s| s.start)
                .min()
                .map(|d| d.format("%Y-%m-%d").to_string());
            let high = spans.iter().map(|s| s.end).max().map(|d| {
                (d - chrono::Duration::days(1))
                    .format("%Y-%m-%d")
                    .to_string()
            });
            (low, high)
        }
        Cmp::T(_) => return None,
    };
    Some(Estimate {
        low,
        best: midpoint(&value_of(best_from)),
        high,
        basis,
    })
}

/// Places each value on a shared scale (0..1) for the one-line picture.
fn shapes(vals: &[&Cmp]) -> Vec<Shape> {
    let num = |v: &Cmp| -> (Option<f64>, Option<f64>) {
        match v {
            Cmp::Q(iv) => (
                iv.low_value().and_then(|d| d.to_f64()),
                iv.high_value().and_then(|d| d.to_f64()),
            ),
            Cmp::D(s) => (
                Some(s.start.and_utc().timestamp() as f64),
                Some(s.end.and_utc().timestamp() as f64),
            ),
            Cmp::T(_) => (None, None),
        }
    };
    let ends: Vec<(Option<f64>, Option<f64>)> = vals.iter().map(|v| num(v)).collect();
    let finite: Vec<f64> = ends.iter().flat_map(|(a, b)| [*a, *b]).flatten().collect();
    let (Some(min), Some(max)) = (
        finite.iter().copied().reduce(f64::min),
        finite.iter().copied().reduce(f64::max),
    ) else {
        return vec![Shape::default(); vals.len()];
    };
    let span = (max - min).max(f64::EPSILON);
    ends.into_iter()
        .map(|(lo, hi)| Shape {
            low: lo.map(|x| (x - min) / span),
            high: hi.map(|x| (x - min) / span),
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
    let at = |x: f64| ((x * (width - 1) as f64).round() as usize).min(width - 1);
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
