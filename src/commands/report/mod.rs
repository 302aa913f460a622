//! `factledger report`: one self-contained HTML page of the findings, with a timeline
//! chart per finding and the claims behind it. Findings are read through the JSON
//! fields DESIGN.md fixes (`subject`, `property`, `kind`, `claims[].id/source/value/
//! role`, `estimate.low/best/high/basis`), so the page follows the findings engine
//! without depending on its internals; positions on the chart come from the ledger's
//! own reading of each value.

mod chart;
mod html;

use std::path::PathBuf;

use serde::Deserialize;

use super::open_read;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use factledger_core::findings::findings;
use factledger_core::ledger::{ClaimState, Ledger};
use factledger_core::model::Value;
use factledger_core::value::Bound;

/// Write an HTML report: a timeline chart per finding, then its claims
///
/// One self-contained page (inline CSS and SVG, no scripts, nothing fetched from the
/// network): for each finding, the figure over as-of time (each claim a point by
/// source and role, revisions as steps, the low-best-high band, outliers and stale
/// figures marked), then its claims with quotes, linked sources, statuses and history.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only findings about this subject (refused with near matches if the ledger does
    /// not hold it).
    #[arg(long)]
    pub subject: Option<String>,
    /// The HTML file to write.
    #[arg(short = 'o', long = "output", value_name = "FILE.html")]
    pub output: PathBuf,
}

/// A finding as its JSON gives it; fields the engine may not fill default.
#[derive(Deserialize, Debug, Clone)]
pub struct FindingView {
    pub subject: String,
    pub property: String,
    pub kind: String,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    pub claims: Vec<ClaimView>,
    #[serde(default)]
    pub pairs: Vec<PairView>,
    #[serde(default)]
    pub estimate: Option<EstimateView>,
}

/// A claim of a finding as its JSON gives it.
#[derive(Deserialize, Debug, Clone)]
pub struct ClaimView {
    pub id: String,
    #[serde(default)]
    pub full_id: Option<String>,
    pub source: String,
    pub value: String,
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub counts: Option<bool>,
}

/// An explanatory pair of a finding.
#[derive(Deserialize, Debug, Clone)]
pub struct PairView {
    pub a: String,
    pub b: String,
    #[serde(default)]
    pub relation: Option<String>,
    #[serde(default)]
    pub explanation: Option<String>,
}

/// A finding's estimate.
#[derive(Deserialize, Debug, Clone, Default)]
pub struct EstimateView {
    #[serde(default)]
    pub low: Option<String>,
    #[serde(default)]
    pub best: Option<String>,
    #[serde(default)]
    pub high: Option<String>,
    #[serde(default)]
    pub basis: Option<String>,
}

impl ClaimView {
    /// The claim's role; where the engine gives none, one read from the pairs and
    /// whether the claim counts.
    pub fn role_in(&self, f: &FindingView) -> String {
        if let Some(r) = &self.role {
            return r.clone();
        }
        if self.counts == Some(false) {
            return "settled".into();
        }
        let full = self.full_id.as_deref().unwrap_or(&self.id);
        let me = |x: &str| x == full || x == self.id;
        let mut role = "consensus";
        for p in &f.pairs {
            // In a stale pair, `a` is the figure reported after it was superseded.
            match p.relation.as_deref().unwrap_or("conflict") {
                "stale" if me(&p.a) => role = "stale",
                "stale" | "revision" => {}
                _ if (me(&p.a) || me(&p.b)) && role != "stale" => role = "conflicting",
                _ => {}
            }
        }
        role.into()
    }
}

/// A claim placed on a chart: when it was current and the interval of its value.
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    pub view: &'a ClaimView,
    pub state: &'a ClaimState,
    pub role: String,
    /// Days since 1970-01-01 of its as-of (else its source's publication); `None` when
    /// it has neither.
    pub x: Option<f64>,
    /// The value's low and high ends; `None` when open that way (and, until the chart
    /// gives it a row, for text).
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// A text value, folded as findings compare it.
    pub text: Option<String>,
}

/// Days since the epoch of a date-time.
pub fn days(t: chrono::NaiveDateTime) -> f64 {
    t.and_utc().timestamp() as f64 / 86_400.0
}

fn bound(b: Bound) -> Option<f64> {
    match b {
        Bound::Unbounded => None,
        Bound::Incl(d) | Bound::Excl(d) => d.to_string().parse().ok(),
    }
}

/// Where a claim sits: its as-of (else its source's published date) and its value as
/// numbers (dates as days; text gets its row from the chart); `None` for a claim the
/// ledger does not hold.
pub fn place<'a>(ledger: &'a Ledger, f: &FindingView, view: &'a ClaimView) -> Option<Placed<'a>> {
    let full = view.full_id.clone().unwrap_or_else(|| view.id.clone());
    let state = ledger
        .claim(&full)
        .or_else(|| ledger.resolve(&view.id).ok())?;
    let c = &state.claim;
    let published = || {
        ledger
            .source(&c.source)?
            .source
            .published
            .as_ref()
            .map(|p| p.span.start)
    };
    let when = c.as_of.as_ref().map(|a| a.span.start).or_else(published);
    let (low, high, text) = match &c.value {
        Value::Quantity { interval, .. } => (bound(interval.low), bound(interval.high), None),
        Value::Date(d) => (Some(days(d.span.start)), Some(days(d.span.end) - 1.0), None),
        v @ Value::Text { .. } => (None, None, Some(v.parsed())),
    };
    Some(Placed {
        view,
        state,
        role: view.role_in(f),
        x: when.map(days),
        low,
        high,
        text,
    })
}

/// Runs `report`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let (ledger, config) = open_read(ctx)?;
    let report = findings(&ledger, &config, args.subject.as_deref(), None);
    if report.findings.is_empty() {
        super::filters::check_names(&ledger, &config, args.subject.as_deref(), None)?;
    }
    let json = serde_json::to_value(&report.findings)
        .map_err(|e| CliError::input(format!("findings: {e}")))?;
    let views: Vec<FindingView> =
        serde_json::from_value(json).map_err(|e| CliError::input(format!("findings: {e}")))?;
    let page = html::page(&ledger, &views, args.subject.as_deref(), &ctx.now_text());
    let path = ctx.path(&args.output);
    std::fs::write(&path, page).map_err(|source| CliError::Io {
        what: format!("cannot write {}", path.display()),
        source,
    })?;
    writeln!(
        ctx.out,
        "Wrote {} to {}",
        crate::render::count(views.len(), "finding"),
        crate::render::clean(&args.output.display().to_string())
    )?;
    Ok(Outcome::Done)
}
