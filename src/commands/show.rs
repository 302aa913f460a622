//! `factledger show`: one claim, its source, its status history and its findings.

use super::{open_with_trust, FormatArg};
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::SourceRecord;
use crate::render::{self, ClaimRecord, Format};
use factledger_core::findings::{findings_with_trust, Finding, Kind};
use factledger_core::model::short_id;

/// Show one claim with its source, status history and findings
///
/// Its value as written beside what it was read as, its source, its full status
/// history, and the findings it is part of.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The claim's id, or a unique prefix of 4 or more hex digits.
    pub claim: String,
    #[command(flatten)]
    pub format: FormatArg,
}

/// One status change as `show` prints it.
#[derive(serde::Serialize)]
struct HistoryRecord<'a> {
    status: String,
    at: &'a str,
    by: &'a str,
    note: Option<&'a str>,
    evidence: Option<&'a str>,
    line: usize,
}

/// What `show --format json` prints.
#[derive(serde::Serialize)]
struct ShowRecord<'a> {
    claim: ClaimRecord,
    source: Option<SourceRecord<'a>>,
    history: Vec<HistoryRecord<'a>>,
    findings: Vec<&'a Finding>,
}

/// Runs `show`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let (ledger, config, trust) = open_with_trust(ctx, Some(&args.claim))?;
    let c = ledger.resolve(&args.claim)?;
    let report = findings_with_trust(
        &ledger,
        &config,
        Some(&c.claim.subject),
        Some(&c.claim.property),
        &trust,
    );
    let counts = ledger.claims_per_source();
    let rec = ShowRecord {
        claim: ClaimRecord::of(c),
        source: ledger
            .source(&c.claim.source)
            .map(|s| SourceRecord::of(&s.source, &counts)),
        history: c
            .history
            .iter()
            .map(|(h, st)| HistoryRecord {
                status: h.status.to_string(),
                at: &st.at,
                by: &st.by,
                note: h.note.as_deref(),
                evidence: h.evidence.as_deref(),
                line: st.line,
            })
            .collect(),
        findings: report
            .findings
            .iter()
            .filter(|f| f.claims.iter().any(|fc| fc.full_id == c.claim.id))
            .collect(),
    };
    match args.format.format {
        f @ (Format::Json | Format::Jsonl) => render::write_json_as(ctx.out, f, &rec)?,
        Format::Csv => render::print_claims(ctx.out, &ledger, &[c], Format::Csv)?,
        Format::Table => {
            let as_of = render::effective_as_of(&ledger, c).unwrap_or_default();
            write_claim_table(ctx.out, &rec.claim, as_of)?;
            if let Some(src) = &rec.source {
                write_source_table(ctx.out, src)?;
            }
            write_history_table(ctx.out, &rec)?;
            if rec.findings.is_empty() {
                writeln!(ctx.out, "findings: none")?;
            }
            for f in &rec.findings {
                write_finding(ctx.out, f, &c.claim.id)?;
            }
        }
    }
    Ok(Outcome::Done)
}

/// The claim itself, field by field.
fn write_claim_table(
    w: &mut dyn std::io::Write,
    r: &ClaimRecord,
    as_of: String,
) -> std::io::Result<()> {
    let mut t = render::table(&["field", "value"]);
    let reference = r
        .reference
        .as_ref()
        .map(|x| format!(" (resolved against {x})"))
        .unwrap_or_default();
    let supersedes = r.supersedes.as_deref().map(short_id).unwrap_or_default();
    let rows: Vec<(&str, String)> = vec![
        ("id", r.full_id.clone()),
        ("source", r.source.clone()),
        ("subject", r.subject.clone()),
        ("property", r.property.clone()),
        ("value", format!("{} ({})", r.value, r.kind)),
        ("read as", format!("{}{reference}", r.parsed)),
        ("unit", r.unit.clone().unwrap_or_default()),
        ("as of", as_of),
        ("quote", r.quote.clone().unwrap_or_default()),
        ("note", r.note.clone().unwrap_or_default()),
        ("supersedes", supersedes.to_string()),
        ("status", r.status.clone()),
        ("logged", format!("{} by {} (line {})", r.at, r.by, r.line)),
    ];
    for (k, v) in rows {
        render::row(&mut t, [k.to_string(), v]);
    }
    writeln!(w, "{t}")
}

/// The source the claim comes from: the fields it has.
fn write_source_table(w: &mut dyn std::io::Write, s: &SourceRecord<'_>) -> std::io::Result<()> {
    let mut st = render::table(&["source", s.id]);
    for (k, v) in [
        ("title", Some(s.title.to_string())),
        ("outlet", s.outlet.map(String::from)),
        ("author", s.author.map(String::from)),
        ("url", s.url.map(String::from)),
        ("published", s.published.clone()),
        ("published note", s.published_note.map(String::from)),
        ("file", s.file.map(String::from)),
    ] {
        if let Some(v) = v {
            render::row(&mut st, [k.to_string(), v]);
        }
    }
    writeln!(w, "{st}")
}

/// The claim's status history, from the moment it was logged.
fn write_history_table(w: &mut dyn std::io::Write, rec: &ShowRecord<'_>) -> std::io::Result<()> {
    let r = &rec.claim;
    let mut ht = render::table(&["status", "when", "by", "note", "evidence"]);
    render::row(
        &mut ht,
        [
            "unverified".to_string(),
            r.at.clone(),
            r.by.clone(),
            "logged".into(),
            String::new(),
        ],
    );
    for h in &rec.history {
        render::row(
            &mut ht,
            [
                h.status.clone(),
                h.at.to_string(),
                h.by.to_string(),
                h.note.unwrap_or_default().to_string(),
                h.evidence.unwrap_or_default().to_string(),
            ],
        );
    }
    writeln!(w, "{ht}")
}

/// One finding the claim is part of: what it is, the claim's role in it, and the line
/// explaining why the claim has to be wrong when it does.
fn write_finding(w: &mut dyn std::io::Write, f: &Finding, id: &str) -> std::io::Result<()> {
    let kind = match (f.kind, f.settled) {
        (_, true) => "settled conflict",
        (Kind::Conflict, false) => "conflict",
        (Kind::Revision, false) => "revision",
    };
    writeln!(
        w,
        "finding: {kind} on {} {}: {}",
        render::clean(&f.subject),
        render::clean(&f.property),
        render::clean(&f.summary)
    )?;
    if let Some(me) = f.claims.iter().find(|fc| fc.full_id == id) {
        writeln!(w, "  this claim: {}", me.role.as_str())?;
        for p in f.pairs.iter().filter(|p| p.a == me.id) {
            writeln!(w, "  - {}", render::clean(&p.explanation))?;
        }
    }
    Ok(())
}
