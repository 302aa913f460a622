//! `factledger conflicts`: where sources disagree, and tolls revised over time.

use super::open_read;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, Format};
use factledger_core::findings::{picture, Direction, Estimate, Finding, Kind, NotCompared};

/// Report where sources disagree, and tolls revised over time
///
/// One finding per figure (subject + property + unit group) whose claims disagree:
/// a conflict when some counted claim is stale, an outlier or conflicting, a revision
/// when a cumulative figure moved over time and every claim fits its timeline. Claims
/// are listed in as-of order with their role, one line per claim that has to be wrong,
/// and an estimate whose best value comes from a verified claim, else the latest
/// confirmed revision (tolls), else the vote of the sources weighted by the trust
/// learned across the whole ledger. Worst first.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only findings about this subject; one the ledger does not hold is refused (exit 2)
    /// with near matches.
    #[arg(long)]
    pub subject: Option<String>,
    /// Only findings of this property; one the ledger does not hold is refused (exit 2).
    #[arg(long)]
    pub property: Option<String>,
    /// Exit 1 when an unsettled conflict is found.
    #[arg(long)]
    pub exit_code: bool,
    #[command(flatten)]
    pub format: super::FormatArg,
}

/// Runs `conflicts`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let (ledger, config) = open_read(ctx)?;
    let report = super::filters::findings_for(
        &ledger,
        &config,
        args.subject.as_deref(),
        args.property.as_deref(),
    );
    if report.findings.is_empty() {
        // No findings may be a typo: refuse a name the ledger does not hold.
        super::filters::check_names(
            &ledger,
            &config,
            args.subject.as_deref(),
            args.property.as_deref(),
        )?;
    }
    match args.format.format {
        f @ (Format::Json | Format::Jsonl) => render::write_json_as(ctx.out, f, &report.findings)?,
        Format::Csv => write_csv(ctx, &report.findings)?,
        Format::Table => {
            for (n, f) in report.findings.iter().enumerate() {
                write_block(ctx, n + 1, f)?;
            }
            write_not_compared(ctx.out, &report.not_compared)?;
        }
    }
    let conflicts = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Conflict)
        .count();
    let unsettled = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Conflict && !f.settled)
        .count();
    let revisions = report.findings.len() - conflicts;
    let n = |k: usize, word: &str| format!("{k} {word}{}", if k == 1 { "" } else { "s" });
    let summary = format!(
        "{}: {} ({} settled), {}; {} compared",
        n(report.findings.len(), "finding"),
        n(conflicts, "conflict"),
        conflicts - unsettled,
        n(revisions, "revision"),
        n(report.claims_compared, "claim")
    );
    if args.format.format == Format::Table {
        writeln!(ctx.out, "{summary}")?;
    } else {
        writeln!(ctx.err, "{summary}")?;
        write_not_compared(ctx.err, &report.not_compared)?;
    }
    Ok(if args.exit_code && unsettled > 0 {
        Outcome::Findings
    } else {
        Outcome::Done
    })
}

/// Says which claims could not be compared (units that do not convert).
fn write_not_compared(
    w: &mut dyn std::io::Write,
    not_compared: &[NotCompared],
) -> std::io::Result<()> {
    for nc in not_compared {
        writeln!(
            w,
            "not compared: {} {}: {}",
            render::clean(&nc.subject),
            render::clean(&nc.property),
            nc.reason
        )?;
    }
    Ok(())
}

fn write_block(ctx: &mut Context<'_>, n: usize, f: &Finding) -> Result<(), CliError> {
    let kind = match (f.kind, f.settled) {
        (Kind::Conflict, false) => "CONFLICT",
        (Kind::Conflict, true) => "conflict (settled)",
        (Kind::Revision, _) => "revision",
    };
    writeln!(
        ctx.out,
        "#{n} {kind}: {} {}{}",
        render::clean(&f.subject),
        render::clean(&f.property),
        f.unit
            .as_deref()
            .map(|u| format!(" [{}]", render::clean(u)))
            .unwrap_or_default()
    )?;
    let mut t = render::table(&[
        "claim", "source", "value", "read as", "as of", "status", "role", "scale",
    ]);
    for c in &f.claims {
        let status = if c.counts {
            c.status.to_string()
        } else {
            format!("{} (not counted)", c.status)
        };
        render::row(
            &mut t,
            [
                c.id.clone(),
                c.source.clone(),
                c.value.clone(),
                c.parsed.clone(),
                c.as_of.clone().unwrap_or_else(|| "(undated)".into()),
                status,
                c.role.as_str().to_string(),
                picture(&c.shape, 24),
            ],
        );
    }
    writeln!(ctx.out, "{t}")?;
    writeln!(ctx.out, "  {}", render::clean(&f.summary))?;
    for r in &f.revisions {
        writeln!(
            ctx.out,
            "  revised {}: {} -> {} on {} (claim {})",
            match r.direction {
                Direction::Up => "up",
                Direction::Down => "down",
            },
            render::clean(&r.from),
            render::clean(&r.to),
            r.date.as_deref().unwrap_or("an unknown date"),
            r.claim
        )?;
    }
    for p in &f.pairs {
        writeln!(ctx.out, "  - {}", render::clean(&p.explanation))?;
    }
    if let Some(e) = &f.estimate {
        write_estimate(ctx.out, e)?;
    }
    writeln!(ctx.out)?;
    Ok(())
}

/// The estimate line: low / best / high, what decided best, and its support.
fn write_estimate(w: &mut dyn std::io::Write, e: &Estimate) -> std::io::Result<()> {
    let s = |o: &Option<String>| render::clean(o.as_deref().unwrap_or("open")).into_owned();
    let best = if e.best.is_none() && e.undetermined {
        "undetermined".to_string()
    } else {
        s(&e.best)
    };
    writeln!(
        w,
        "  estimate: low {} / best {best} / high {}{} (best from {}; support: {})",
        s(&e.low),
        s(&e.high),
        if e.undetermined && e.best.is_some() {
            ", undetermined"
        } else {
            ""
        },
        render::clean(&e.basis),
        if e.support.is_empty() {
            "none".to_string()
        } else {
            render::clean(&e.support.join(", ")).into_owned()
        }
    )?;
    Ok(())
}

fn write_csv(ctx: &mut Context<'_>, findings: &[Finding]) -> Result<(), CliError> {
    let mut w = render::csv_writer(ctx.out);
    render::csv_row(
        &mut w,
        [
            "finding",
            "subject",
            "property",
            "kind",
            "settled",
            "unit",
            "claim",
            "source",
            "value",
            "parsed",
            "as_of",
            "status",
            "counts",
            "role",
            "gap",
            "relative_gap",
            "low",
            "best",
            "high",
        ],
    )?;
    for (n, f) in findings.iter().enumerate() {
        let kind = match f.kind {
            Kind::Conflict => "conflict",
            Kind::Revision => "revision",
        };
        let est = |g: fn(&factledger_core::findings::Estimate) -> &Option<String>| {
            f.estimate
                .as_ref()
                .and_then(|e| g(e).clone())
                .unwrap_or_default()
        };
        for c in &f.claims {
            render::csv_row(
                &mut w,
                [
                    (n + 1).to_string(),
                    f.subject.clone(),
                    f.property.clone(),
                    kind.to_string(),
                    f.settled.to_string(),
                    f.unit.clone().unwrap_or_default(),
                    c.id.clone(),
                    c.source.clone(),
                    c.value.clone(),
                    c.parsed.clone(),
                    c.as_of.clone().unwrap_or_default(),
                    c.status.to_string(),
                    c.counts.to_string(),
                    c.role.as_str().to_string(),
                    f.gap.clone().unwrap_or_default(),
                    format!("{:.4}", f.relative_gap),
                    est(|e| &e.low),
                    est(|e| &e.best),
                    est(|e| &e.high),
                ],
            )?;
        }
    }
    w.flush()?;
    Ok(())
}
