//! A finding as the report shows it, from a figure and what was decided about it: the
//! claims in as-of order with their roles, one explanation per claim that has to be
//! wrong (measured against the claims it contradicts, summarised once per figure so the
//! output stays linear), the estimate, and the widest gap in the values' own unit.

use std::fmt::Write;

use smallvec::SmallVec;

mod estimate;

use super::figure::{Cmp, Figure, Item, ValueKind};
use super::gaps::{gap_into, relative_gap};
use super::vote::{self, Decision, Ids};
use super::{Direction, Estimate, Finding, FindingClaim, Kind, Pair, Revision, Role, Shape};
use crate::model::short_id;
use crate::model::Status;
use crate::time::TimeSpan;
use estimate::estimate_into;

/// What was decided about a figure that makes a finding.
pub(super) struct Verdict {
    d: Decision,
    counted: Ids,
    kind: Kind,
    conflict: bool,
}

impl Verdict {
    /// True when the only claims at odds are marked false or retracted.
    fn settled(&self) -> bool {
        !self.conflict && self.kind == Kind::Conflict
    }
}

/// What was decided about a figure that makes a finding, from what [`vote::decide`]
/// decided; None when its claims agree.
fn verdict_of(fig: &Figure, d: Decision) -> Option<Verdict> {
    if fig.items.len() < 2 {
        return None;
    }
    let counted: Ids = (0..fig.items.len())
        .filter(|&i| fig.items[i].counts)
        .collect();
    let conflict = counted.iter().any(|&i| d.roles[i].is_conflict());
    let settled_disagree = d.best.is_some_and(|b| {
        fig.items
            .iter()
            .any(|it| !it.counts && !it.value.agrees(&fig.items[b].value))
    });
    if !conflict && d.revisions.is_empty() && !settled_disagree {
        return None;
    }
    let kind = if conflict || (d.revisions.is_empty() && settled_disagree) {
        Kind::Conflict
    } else {
        Kind::Revision
    };
    Some(Verdict {
        d,
        counted,
        kind,
        conflict,
    })
}

/// What orders a figure's finding in the report (settled, kind, relative gap), from
/// what [`vote::decide`] decided, without building the finding: a report ranks every
/// finding first and builds each one only when it is written.
pub(super) fn rank_decided(fig: &Figure, d: Decision) -> Option<(bool, Kind, f64)> {
    let v = verdict_of(fig, d)?;
    let relative_gap = relative_gap(fig, &v.d, &v.counted, v.kind);
    Some((v.settled(), v.kind, relative_gap))
}

/// The finding of one figure, or None when its claims agree.
pub(super) fn finding(fig: &Figure, weights: &[f64]) -> Option<Finding> {
    let mut room = Room::default();
    finding_into(fig, weights, &mut room).then_some(room.finding)
}

/// A finding written over again and again, and the elements of its lists it let go of,
/// kept for their room: a worker writes a quarter of a million findings in one, of two
/// claims and then of five, and allocates almost nothing for each.
#[derive(Default)]
pub(super) struct Room {
    pub finding: Finding,
    claims: Vec<FindingClaim>,
    pairs: Vec<Pair>,
    revisions: Vec<Revision>,
    strings: Vec<String>,
    /// What the claims that fit have in common, and the best claim described: the
    /// pieces of each explanation, made once per finding.
    fit: String,
    best: String,
}

/// [`finding`], written over `room.finding` (whatever it held), keeping its strings'
/// and lists' room. False (with the finding left as it was) when the figure's claims
/// agree.
pub(super) fn finding_into(fig: &Figure, weights: &[f64], room: &mut Room) -> bool {
    fig.items.len() >= 2 && decided_into(fig, vote::decide(fig, weights), weights, room)
}

/// [`finding_into`] from what [`vote::decide`] decided about `fig` with `weights`.
pub(super) fn decided_into(fig: &Figure, d: Decision, weights: &[f64], room: &mut Room) -> bool {
    let Some(v) = verdict_of(fig, d) else {
        return false;
    };
    let Room {
        finding: out,
        claims: spare_claims,
        pairs: spare_pairs,
        revisions: spare_revisions,
        strings: spare_strings,
        fit,
        best,
    } = room;
    let settled = v.settled();
    let Verdict {
        d, counted, kind, ..
    } = v;
    // Each claim's ids, value and as-of are written once, here; the pairs, revisions
    // and summary take them from the claims.
    claims_into(fig, &d, weights, (&mut out.claims, spare_claims));
    let claims = &out.claims;
    let texts = (fit, best);
    pairs_into(
        fig,
        (&d, &counted),
        claims,
        (&mut out.pairs, spare_pairs),
        texts,
    );
    let relative_gap = gap_into(fig, (&d, &counted), kind, &mut out.gap);
    estimate_into(fig, &d, &counted, (&mut out.estimate, spare_strings));
    resize(&mut out.revisions, d.revisions.len(), spare_revisions);
    for (r, &(c, from, direction)) in out.revisions.iter_mut().zip(&d.revisions) {
        set_opt(&mut r.date, claims[c].as_of.as_deref());
        set(&mut r.from, &claims[from].parsed);
        set(&mut r.to, &claims[c].parsed);
        r.direction = direction;
        set(&mut r.claim, &claims[c].id);
    }
    out.direction = net_direction(fig, &d);
    out.summary.clear();
    summary_into(
        &mut out.summary,
        claims,
        &d,
        (kind, &counted),
        &out.revisions,
        out.estimate.as_ref(),
        out.gap.as_deref(),
    );
    let verified = claims.iter().filter(|c| c.status == Status::Verified);
    resize(&mut out.verified, verified.clone().count(), spare_strings);
    for (id, c) in out.verified.iter_mut().zip(verified) {
        set(id, &c.id);
    }
    set(&mut out.subject, fig.subject);
    set(&mut out.property, &fig.property);
    set_opt(&mut out.unit, fig.unit);
    out.kind = kind;
    out.settled = settled;
    out.relative_gap = relative_gap;
    true
}

/// Makes `s` read `text`, in the room it has.
fn set(s: &mut String, text: &str) {
    s.clear();
    s.push_str(text);
}

/// Makes `s` read `text`, in the room it has; None for None.
fn set_opt(s: &mut Option<String>, text: Option<&str>) {
    match text {
        Some(t) => set(s.get_or_insert_with(String::new), t),
        None => *s = None,
    }
}

/// Makes `v` hold `n` elements, keeping those it has (to be written over); those it
/// lets go of go to `spare`, and come back from it before any new one is made.
fn resize<T: Default>(v: &mut Vec<T>, n: usize, spare: &mut Vec<T>) {
    while v.len() > n {
        spare.extend(v.pop());
    }
    while v.len() < n {
        v.push(spare.pop().unwrap_or_default());
    }
}

/// The figure's claims as the finding lists them, in as-of order with their roles,
/// written over `out`.
fn claims_into(
    fig: &Figure,
    d: &Decision,
    weights: &[f64],
    (out, spare): (&mut Vec<FindingClaim>, &mut Vec<FindingClaim>),
) {
    let trust = |i: usize| {
        let w = weights.get(fig.items[i].source).copied().unwrap_or(0.0);
        1.0 - (-w).exp()
    };
    let scale = scale(fig);
    resize(out, fig.items.len(), spare);
    for (i, (it, c)) in fig.items.iter().zip(out.iter_mut()).enumerate() {
        // The short id is the whole id's start: one id written per claim.
        fig.full_id_into(it, &mut c.full_id);
        set(&mut c.id, short_id(&c.full_id));
        set(&mut c.source, fig.source_of(it));
        set(&mut c.value, fig.raw(it));
        fig.parsed_into(it, &mut c.parsed);
        set_opt(&mut c.unit, fig.unit_of(it));
        set_opt(&mut c.as_of, fig.as_of_text(it));
        c.undated = it.as_of.is_none();
        c.status = it.claim.status;
        c.counts = it.counts;
        c.role = d.roles[i];
        c.trust = (trust(i) * 1000.0).round() / 1000.0;
        c.shape = scale.map_or_else(Shape::default, |s| s.shape(it));
    }
}

/// A claim in a sentence, added to `out`: `150 (tg, 2024-03-23)`.
fn describe_into(out: &mut String, c: &FindingClaim) {
    out.push_str(&c.value);
    out.push_str(" (");
    out.push_str(&c.source);
    out.push_str(", ");
    out.push_str(c.as_of.as_deref().unwrap_or("undated"));
    out.push(')');
}

/// What the claims that fit the figure have in common (how many, from how many
/// sources, over which dates), written over `text`; and how many fit. Computed once per
/// figure.
fn fitting(
    fig: &Figure,
    claims: &[FindingClaim],
    (d, counted): (&Decision, &[usize]),
    text: &mut String,
) -> usize {
    let fit: Ids = counted
        .iter()
        .copied()
        .filter(|&i| matches!(d.roles[i], Role::Consensus | Role::Earlier))
        .collect();
    let mut sources: SmallVec<[&str; 16]> =
        fit.iter().map(|&i| claims[i].source.as_str()).collect();
    sources.sort_unstable();
    sources.dedup();
    let dates: SmallVec<[(usize, TimeSpan); 8]> = fit
        .iter()
        .filter_map(|&i| fig.items[i].as_of.map(|s| (i, s)))
        .collect();
    // Each end as its as-of was given (a day, a month), not as an invented day.
    let first = dates.iter().min_by_key(|(_, s)| (s.start, s.end));
    let last = dates.iter().max_by_key(|(_, s)| (s.start, s.end));
    let when = |i: usize| claims[i].as_of.as_deref().unwrap_or_default();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let (fits, from) = (fit.len(), sources.len());
    text.clear();
    // Writing to a String does not fail.
    let _ = write!(
        text,
        "{fits} claim{} from {from} source{}",
        plural(fits),
        plural(from)
    );
    match (first, last) {
        (Some(a), Some(b)) if a.1 != b.1 => {
            for piece in [" between ", when(a.0), " and ", when(b.0)] {
                text.push_str(piece);
            }
        }
        (Some(a), _) => {
            text.push_str(" as of ");
            text.push_str(when(a.0));
        }
        _ => {}
    }
    fit.len()
}

/// One explanatory pair per counted claim that has to be wrong, written over `out`.
fn pairs_into(
    fig: &Figure,
    (d, counted): (&Decision, &[usize]),
    claims: &[FindingClaim],
    (out, spare): (&mut Vec<Pair>, &mut Vec<Pair>),
    (fit, best_text): (&mut String, &mut String),
) {
    let wrong: Ids = counted
        .iter()
        .copied()
        .filter(|&i| d.roles[i].is_conflict())
        .collect();
    resize(out, wrong.len(), spare);
    if wrong.is_empty() {
        return;
    }
    let fits = fitting(fig, claims, (d, counted), fit);
    let agree = if fits == 1 {
        ", which says "
    } else {
        ", which agree on "
    };
    best_text.clear();
    let best = d.best.map(|b| {
        describe_into(best_text, &claims[b]);
        best_text.as_str()
    });
    for (pair, i) in out.iter_mut().zip(wrong) {
        let against = d.against[i].or(d.best).unwrap_or(i);
        let (me, them) = (&claims[i], &claims[against]);
        let text = &mut pair.explanation;
        text.clear();
        describe_into(text, me);
        match d.roles[i] {
            Role::Outlier if them.status == Status::Verified => {
                text.push_str(" is at odds with verified claim ");
                describe_into(text, them);
            }
            Role::Outlier => {
                text.push_str(" is at odds with ");
                text.push_str(fit);
                if let Some(b) = best {
                    text.push_str(agree);
                    text.push_str(b);
                }
            }
            Role::Stale => stale_text(text, fig, d, (i, against), claims),
            _ => {
                text.push_str(" and ");
                describe_into(text, them);
                text.push_str(" disagree, and nothing decides between them");
            }
        }
        set(&mut pair.a, &me.id);
        set(&mut pair.b, &them.id);
        pair.relation = d.roles[i];
    }
}

/// What a stale claim repeats or falls short of, added to its description in `out`.
fn stale_text(
    out: &mut String,
    fig: &Figure,
    d: &Decision,
    (i, against): (usize, usize),
    claims: &[FindingClaim],
) {
    let (v, a) = (&fig.items[i].value, &fig.items[against].value);
    let repeats = v.agrees(a);
    if !repeats {
        out.push_str(" is lower than ");
        describe_into(out, &claims[against]);
        out.push_str(", reported before it, and no later report confirms it: a stale figure");
        return;
    }
    let when = fig.items[against].as_of.map(|s| s.start);
    // Revisions are in as-of order: the first correction at or after the figure.
    let at = d
        .revisions
        .partition_point(|&(c, _, _)| fig.items[c].as_of.map(|s| s.start) < when);
    let down = d.revisions[at..]
        .iter()
        .find(|&&(_, _, dir)| dir == Direction::Down);
    out.push_str(" repeats ");
    describe_into(out, &claims[against]);
    match down {
        Some(&(c, _, _)) => {
            out.push_str(", a figure revised down to ");
            out.push_str(&claims[c].value);
            out.push_str(" on ");
            out.push_str(claims[c].as_of.as_deref().unwrap_or_default());
        }
        None => out.push_str(", a superseded figure"),
    }
}

fn net_direction(fig: &Figure, d: &Decision) -> Option<Direction> {
    let first = d.revisions.first()?.1;
    let last = d.best.unwrap_or(d.revisions.last()?.0);
    match (&fig.items[first].value, &fig.items[last].value) {
        (Cmp::Q(a), Cmp::Q(b)) if a.entirely_below(b) => Some(Direction::Up),
        (Cmp::Q(a), Cmp::Q(b)) if b.entirely_below(a) => Some(Direction::Down),
        _ => d.revisions.last().map(|r| r.2),
    }
}

/// The finding's one line, added to `text`.
fn summary_into(
    text: &mut String,
    claims: &[FindingClaim],
    d: &Decision,
    (kind, counted): (Kind, &[usize]),
    revisions: &[Revision],
    estimate: Option<&Estimate>,
    gap: Option<&str>,
) {
    match kind {
        Kind::Revision => revision_head(text, counted.len(), revisions),
        Kind::Conflict => conflict_head(text, d, counted),
    }
    if let Some(b) = estimate.and_then(|e| e.best.as_deref()) {
        text.push_str("; best ");
        text.push_str(b);
    } else if estimate.is_some_and(|e| e.undetermined) {
        text.push_str("; best undetermined");
    }
    match gap {
        Some("0") | None => {}
        Some(g) => {
            text.push_str("; widest gap ");
            text.push_str(g);
        }
    }
    if kind == Kind::Conflict {
        let mut verified = claims
            .iter()
            .filter(|c| c.counts && c.status == Status::Verified)
            .map(|c| c.id.as_str());
        if let Some(first) = verified.next() {
            text.push_str("; verified side: ");
            text.push_str(first);
        }
        for id in verified {
            text.push_str(", ");
            text.push_str(id);
        }
    }
}

fn plural(k: usize) -> &'static str {
    if k == 1 {
        ""
    } else {
        "s"
    }
}

/// A revision's summary up to its best value: the claims and the steps (eight at most).
fn revision_head(text: &mut String, counted: usize, revisions: &[Revision]) {
    // Writing to a String does not fail: the result of write! is ignored.
    let _ = write!(
        text,
        "a cumulative figure revised over time across {counted} claim{}: ",
        plural(counted)
    );
    let first = revisions.first().map(|r| r.from.as_str());
    let steps = first
        .into_iter()
        .chain(revisions.iter().take(8).map(|r| r.to.as_str()));
    for (i, step) in steps.enumerate() {
        if i > 0 {
            text.push_str(" → ");
        }
        text.push_str(step);
    }
    if revisions.len() > 8 {
        text.push_str(" → ...");
    }
}

/// A conflict's summary up to its best value: how many claims are at odds, by role.
fn conflict_head(text: &mut String, d: &Decision, counted: &[usize]) {
    let wrong = counted
        .iter()
        .filter(|&&i| d.roles[i].is_conflict())
        .count();
    if wrong == 0 {
        text.push_str("settled: only claims marked false or retracted disagree");
        return;
    }
    // Writing to a String does not fail: the result of write! is ignored.
    let _ = write!(
        text,
        "{wrong} claim{} of {} at odds with the rest (",
        plural(wrong),
        counted.len()
    );
    let mut roles = [Role::Stale, Role::Outlier, Role::Conflicting]
        .into_iter()
        .map(|r| (r, counted.iter().filter(|&&i| d.roles[i] == r).count()))
        .filter(|&(_, k)| k > 0);
    if let Some((r, k)) = roles.next() {
        role_count(text, r, k);
    }
    for (r, k) in roles {
        text.push_str(", ");
        role_count(text, r, k);
    }
    text.push(')');
}

/// `2 outliers`, `1 stale`, `3 conflicting`: only `outlier` takes a plural.
fn role_count(text: &mut String, r: Role, k: usize) {
    let plural = if k > 1 && r == Role::Outlier { "s" } else { "" };
    let _ = write!(text, "{k} {}{plural}", r.as_str());
}

/// The shared scale (0..1) values are placed on for the one-line picture: the lowest
/// finite end of the figure's values and the width of their range.
#[derive(Clone, Copy)]
struct Scale {
    min: f64,
    span: f64,
}

impl Scale {
    /// Where an item's value lies on the scale.
    fn shape(self, it: &Item) -> Shape {
        let at = |x: f64| {
            x.is_finite()
                .then(|| ((x - self.min) / self.span).clamp(0.0, 1.0))
        };
        Shape {
            low: at(it.num.lo),
            high: at(it.num.hi),
        }
    }
}

/// The figure's scale, or None for text or a figure with no finite value.
fn scale(fig: &Figure) -> Option<Scale> {
    if fig.kind == ValueKind::Text {
        return None;
    }
    let finite = fig
        .items
        .iter()
        .flat_map(|it| [it.num.lo, it.num.hi])
        .filter(|x| x.is_finite());
    let (min, max) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    });
    min.is_finite().then(|| Scale {
        min,
        span: (max - min).max(f64::EPSILON),
    })
}
