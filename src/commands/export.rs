//! `factledger export`: every claim with its current status and its source, as JSON
//! (which `import` reads back), CSV (safe to open in a spreadsheet), or schema.org
//! ClaimReview JSON-LD for the claims that have a verdict, or a SQLite database of the
//! whole ledger written to FILE (the core's `export::sqlite` builds it).

use std::path::PathBuf;

use serde_json::{json, Value as Json};

use super::open_read;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::SourceRecord;
use crate::render::{self, ClaimRecord};
use factledger_core::checkpoint::{read_leaves, Checkpoint};
use factledger_core::export::claimreview::{claim_review, ReviewOptions};
use factledger_core::export::sqlite::write_database;
use factledger_core::ledger::{ClaimState, Ledger};
use factledger_core::log::Log;
use factledger_core::model::Value;
use factledger_core::provenance::{history_rows, ExportHead};

/// What `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Sources and claims; `import` reads it back into another ledger with the same ids.
    Json,
    /// The same records as json, one object per line, each with a `record` field
    /// (`source` or `claim`): for streams and `jq`.
    Jsonl,
    /// One row per claim (import's columns first); cells a spreadsheet would run as a
    /// formula are neutralized with a leading '.
    Csv,
    /// schema.org ClaimReview JSON-LD for each claim with a verdict (verified, false,
    /// disputed, unverifiable).
    Claimreview,
    /// A SQLite database of the whole ledger (sources, claims, status history, findings)
    /// written to FILE, for sqlite3, DuckDB or Datasette; README documents the schema.
    Sqlite,
}

/// Export the ledger's claims with their current status and sources.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
    /// ClaimReview: the organization publishing the reviews (else each review's author is
    /// the person who set the status).
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// ClaimReview: the address of the page the reviews are published on; each review's
    /// url is this with #claim-ID appended.
    #[arg(long, value_name = "URL")]
    pub review_url: Option<String>,
    #[command(flatten)]
    pub filter: super::filters::ClaimFilter,
    /// sqlite: the database file to write (required; other formats print to stdout).
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// sqlite: replace FILE if it exists (else an existing FILE is refused).
    #[arg(long)]
    pub force: bool,
}

/// The CSV columns of `export --format csv`; the first nine are `import`'s.
pub const CSV_COLUMNS: [&str; 17] = [
    "source",
    "subject",
    "property",
    "value",
    "date",
    "text",
    "unit",
    "as_of",
    "quote",
    "status",
    "id",
    "full_id",
    "parsed",
    "note",
    "source_title",
    "source_outlet",
    "source_published",
];

/// Runs `export`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    check_file_args(&args)?;
    let (ledger, config) = open_read(ctx)?;
    if let (ExportFormat::Sqlite, Some(file)) = (args.format, &args.file) {
        write_database(&ledger, &config, file, args.force)
            .map_err(|e| CliError::input(e.to_string()))?;
        return Ok(Outcome::Done);
    }
    let claims: Vec<&ClaimState> = ledger
        .claims
        .iter()
        .filter(|c| args.filter.matches(&config, c))
        .collect();
    if claims.is_empty() {
        args.filter.check(&ledger, &config)?;
    }
    match args.format {
        ExportFormat::Json => {
            let doc = export_json(ctx, &ledger, &claims)?;
            render::write_json(ctx.out, &doc)?;
        }
        ExportFormat::Jsonl => {
            let counts = ledger.claims_per_source();
            for s in &ledger.sources {
                jsonl_record(ctx.out, "source", &SourceRecord::of(&s.source, &counts))?;
            }
            for c in &claims {
                jsonl_record(ctx.out, "claim", &ClaimRecord::of(c))?;
            }
        }
        ExportFormat::Csv => {
            let mut w = render::csv_writer(ctx.out);
            render::csv_row(&mut w, CSV_COLUMNS)?;
            for c in &claims {
                render::csv_row(&mut w, csv_cells(&ledger, c))?;
            }
            w.flush()?;
        }
        // Handled (and returned) above: it writes a file, not stdout.
        ExportFormat::Sqlite => {}
        ExportFormat::Claimreview => {
            let opts = ReviewOptions {
                org: args.org.as_deref(),
                review_url: args.review_url.as_deref(),
            };
            let reviews: Vec<_> = claims
                .iter()
                .filter_map(|c| claim_review(&ledger, c, opts))
                .collect();
            render::write_json(ctx.out, &reviews)?;
        }
    }
    Ok(Outcome::Done)
}

/// Refuses FILE, `--force` and filters where they do not apply, before the ledger is read.
fn check_file_args(args: &Args) -> Result<(), CliError> {
    let f = &args.filter;
    let filtered =
        f.subject.is_some() || f.property.is_some() || f.source.is_some() || f.status.is_some();
    match (args.format, &args.file) {
        (ExportFormat::Sqlite, None) => Err(CliError::input(
            "export --format sqlite needs a FILE to write the database to, e.g. \
             `factledger export --format sqlite ledger.sqlite`",
        )),
        (ExportFormat::Sqlite, Some(_)) if filtered => Err(CliError::input(
            "export --format sqlite writes the whole ledger and takes no --subject, --property, \
             --source or --status; select rows with SQL in the database instead",
        )),
        (ExportFormat::Sqlite, Some(_)) => Ok(()),
        (_, Some(_)) => Err(CliError::input(
            "only --format sqlite writes to a FILE; the other formats print to stdout \
             (redirect it with `> FILE`)",
        )),
        (_, None) if args.force => Err(CliError::input(
            "--force only applies to --format sqlite FILE",
        )),
        (_, None) => Ok(()),
    }
}

/// The JSON export: the exporting ledger's head, then sources and claims, each with who
/// wrote it and when, claims with their whole status history, so that `import` keeps it.
fn export_json(
    ctx: &mut Context<'_>,
    ledger: &Ledger,
    claims: &[&ClaimState],
) -> Result<ExportDoc, CliError> {
    let dir = ctx.ledger_dir()?;
    let origin = factledger_core::config::Config::load(&dir)?.origin(&dir);
    let entries = read_leaves(&Log::in_dir(&dir)).map_err(super::evidence::input_err)?;
    let head = ExportHead::of(&Checkpoint::of(&origin, &entries, entries.len()));
    let counts = ledger.claims_per_source();
    let with = |mut v: Json, fields: Vec<(&str, Json)>| {
        if let Json::Object(m) = &mut v {
            for (k, x) in fields {
                m.insert(k.to_string(), x);
            }
        }
        v
    };
    let sources: Vec<Json> = ledger
        .sources
        .iter()
        .map(|s| {
            let v = json!(SourceRecord::of(&s.source, &counts));
            with(
                v,
                vec![("at", json!(*s.stamp.at)), ("by", json!(*s.stamp.by))],
            )
        })
        .collect();
    let claims: Vec<Json> = claims
        .iter()
        .map(|c| {
            let v = json!(ClaimRecord::of(c));
            with(v, vec![("history", json!(history_rows(c)))])
        })
        .collect();
    // A struct keeps this order (a JSON map would sort it): import reads the head
    // first and every source before the claims that cite them.
    Ok(ExportDoc {
        format: "factledger-export-v1",
        provenance: head,
        sources,
        claims,
    })
}

/// The JSON export document, in the order `import` wants to read it.
#[derive(serde::Serialize)]
struct ExportDoc {
    format: &'static str,
    provenance: ExportHead,
    sources: Vec<Json>,
    claims: Vec<Json>,
}

/// One line of `export --format jsonl`: the record's fields and what it is.
fn jsonl_record<T: serde::Serialize>(
    out: &mut dyn std::io::Write,
    kind: &str,
    rec: &T,
) -> Result<(), CliError> {
    let mut v = serde_json::to_value(rec).map_err(|e| CliError::input(e.to_string()))?;
    if let Json::Object(m) = &mut v {
        m.insert("record".into(), json!(kind));
    }
    render::write_json_as(out, render::Format::Jsonl, &v)?;
    Ok(())
}

fn csv_cells(ledger: &Ledger, c: &ClaimState) -> Vec<String> {
    let r = ClaimRecord::of(c);
    let raw = c.claim.value.raw().to_string();
    let (v, d, t) = match &c.claim.value {
        Value::Quantity { .. } => (raw, String::new(), String::new()),
        Value::Date(_) => (String::new(), raw, String::new()),
        Value::Text { .. } => (String::new(), String::new(), raw),
    };
    let src = ledger.source(&c.claim.source).map(|s| &s.source);
    vec![
        r.source,
        r.subject,
        r.property,
        v,
        d,
        t,
        r.unit.unwrap_or_default(),
        r.as_of.unwrap_or_default(),
        r.quote.unwrap_or_default(),
        r.status,
        r.id,
        r.full_id,
        r.parsed,
        r.note.unwrap_or_default(),
        src.map(|s| s.title.clone()).unwrap_or_default(),
        src.and_then(|s| s.outlet.clone()).unwrap_or_default(),
        src.and_then(|s| s.published.as_ref().map(|p| p.span.to_string()))
            .unwrap_or_default(),
    ]
}
