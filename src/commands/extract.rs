//! `factledger extract`: the candidate claims of a text file, as a table to read, JSON
//! for programs, or an import-ready CSV or RON file to edit and `import`.

use std::path::PathBuf;

use serde::Serialize;

use super::open_read;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{clean, csv_row, csv_writer, row, table, write_json};
use factledger_core::config::Config;
use factledger_core::extract::{extract, Candidate, CandidateKind};
use factledger_core::import::CSV_HEADER;
use factledger_core::time::{parse_date, TimeSpan};

/// Find candidate claims in a text file: every quantity and date, with its sentence,
/// byte offset and a suggested property
///
/// Quantities: "over 140 people", "approximately $7 billion", "dozens of civilians",
/// "eight months". Dates: "August 3, 2021", "in the late 1990s", and relative ones
/// ("last August") resolved against --published. Sentences of photo captions are marked
/// as noise. `--format csv` or `ron` writes a file for `import`: fill in each row's
/// subject (and source, unless --source gave it), delete the rows that are no claims,
/// then import it.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The text file to read (UTF-8).
    pub file: PathBuf,
    /// The text's publication date, which relative dates ("last August") are resolved
    /// against; any date (`2022-05`). Default: the published date of --source in the
    /// ledger, if there is a ledger and it has one.
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// The source id to write in CSV and RON rows (else they are left empty, and
    /// `import` refuses them until filled in).
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,
    /// How to print: a table for people, JSON for programs, CSV or RON rows for
    /// `import`.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Table)]
    pub format: ExtractFormat,
}

/// The output formats of `extract`: those of other commands, plus RON rows for import.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ExtractFormat {
    #[default]
    Table,
    Json,
    /// One JSON object per line, for streams and jq.
    Jsonl,
    Csv,
    Ron,
}

/// One row of `--format ron`: the fields `import` reads from RON, one row per line.
#[derive(Serialize)]
struct RonRow<'a> {
    source: &'a str,
    subject: &'a str,
    property: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    value: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    date: &'a str,
    quote: &'a str,
}

/// Runs `extract`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let path = ctx.path(&args.file);
    let bytes = std::fs::read(&path).map_err(|source| CliError::Io {
        what: format!("cannot read {}", path.display()),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        CliError::input(format!(
            "{}: not UTF-8 text (invalid byte at offset {}); convert it to UTF-8 first, as offsets and quotes are taken from the file byte for byte",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    // A ledger is optional: it gives the quantity settings and --source's date.
    let ledger_dir = match ctx.ledger_dir() {
        Ok(dir) => Some(dir),
        Err(e) if ctx.ledger.is_some() => return Err(e.into()),
        Err(_) => None,
    };
    let config = match &ledger_dir {
        Some(dir) => Config::load(dir)?,
        None => Config::default(),
    };
    let published = published(&args, ctx, ledger_dir.is_some())?;
    let cands = extract(&text, published.as_ref(), &config.quantities);
    let unresolved = cands
        .iter()
        .filter(|c| {
            c.kind == CandidateKind::Date && c.value == factledger_core::extract::UNRESOLVED
        })
        .count();
    if unresolved > 0 {
        writeln!(
            ctx.err,
            "warning: {unresolved} relative date{} left unresolved: give --published DATE",
            if unresolved == 1 { " is" } else { "s are" }
        )?;
    }
    let source = args.source.as_deref().unwrap_or("");
    match args.format {
        ExtractFormat::Json => write_json(ctx.out, &cands)?,
        ExtractFormat::Jsonl => {
            crate::render::write_json_as(ctx.out, crate::render::Format::Jsonl, &cands)?
        }
        ExtractFormat::Table => print_table(ctx, &cands)?,
        ExtractFormat::Csv => {
            let mut w = csv_writer(ctx.out);
            csv_row(&mut w, CSV_HEADER)?;
            for c in &cands {
                let (value, date) = match c.kind {
                    CandidateKind::Quantity => (c.text.as_str(), ""),
                    CandidateKind::Date => ("", c.text.as_str()),
                };
                csv_row(
                    &mut w,
                    [source, "", &c.property, value, date, "", "", "", &c.quote],
                )?;
            }
            w.flush()?;
        }
        ExtractFormat::Ron => print_ron(ctx, &args, source, &cands)?,
    }
    Ok(Outcome::Done)
}

/// `--published`, else the published date of `--source` in the ledger.
fn published(
    args: &Args,
    ctx: &mut Context<'_>,
    have_ledger: bool,
) -> Result<Option<TimeSpan>, CliError> {
    if let Some(p) = &args.published {
        let d = parse_date(p, None).map_err(|e| CliError::input(format!("--published: {e}")))?;
        return Ok(Some(d.span));
    }
    let (Some(id), true) = (&args.source, have_ledger) else {
        return Ok(None);
    };
    let (ledger, _) = open_read(ctx)?;
    match ledger.source(id) {
        Some(s) => Ok(s.source.published.as_ref().map(|p| p.span)),
        None => {
            writeln!(
                ctx.err,
                "warning: the ledger has no source {}; add it with `factledger source add` before importing these rows",
                clean(id)
            )?;
            Ok(None)
        }
    }
}

fn print_table(ctx: &mut Context<'_>, cands: &[Candidate]) -> Result<(), CliError> {
    let mut t = table(&[
        "offset", "kind", "phrase", "read as", "property", "noise", "sentence",
    ]);
    for c in cands {
        let read_as = match (&c.unit, &c.resolved_against) {
            (Some(u), _) => format!("{} [{u}]", c.value),
            (None, Some(r)) => format!("{} ({r})", c.value),
            (None, None) => c.value.clone(),
        };
        row(
            &mut t,
            [
                c.offset.to_string(),
                c.kind.as_str().to_string(),
                c.text.clone(),
                read_as,
                c.property.clone(),
                c.noise.clone().unwrap_or_default(),
                shorten(&c.quote, 80),
            ],
        );
    }
    writeln!(ctx.out, "{t}")?;
    let dates = cands
        .iter()
        .filter(|c| c.kind == CandidateKind::Date)
        .count();
    let noise = cands.iter().filter(|c| c.noise.is_some()).count();
    let n = |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    writeln!(
        ctx.out,
        "{} ({}, {}; {noise} marked as noise)",
        n(cands.len(), "candidate", "candidates"),
        n(cands.len() - dates, "quantity", "quantities"),
        n(dates, "date", "dates"),
    )?;
    Ok(())
}

/// At most `max` characters of `s`, with `…` when cut.
fn shorten(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", s.get(..cut).unwrap_or(s)),
        None => s.to_string(),
    }
}

fn print_ron(
    ctx: &mut Context<'_>,
    args: &Args,
    source: &str,
    cands: &[Candidate],
) -> Result<(), CliError> {
    writeln!(
        ctx.out,
        "// factledger extract {}: {} candidate claims, one import row per line.",
        clean(&args.file.display().to_string()),
        cands.len()
    )?;
    writeln!(
        ctx.out,
        "// Fill in each row's subject{}, check its property, delete the rows that are no claims,",
        if source.is_empty() { " and source" } else { "" }
    )?;
    writeln!(
        ctx.out,
        "// then run `factledger import FILE.ron`. Lines starting with // are ignored."
    )?;
    for c in cands {
        let mut note = format!(
            "// offset {}: {} {:?} read as {}",
            c.offset,
            c.kind.as_str(),
            c.text,
            c.value
        );
        if let Some(r) = &c.resolved_against {
            note.push_str(&format!(" ({r})"));
        }
        if let Some(n) = &c.noise {
            note.push_str(&format!("; probably noise: {n}"));
        }
        writeln!(ctx.out, "{}", clean(&note))?;
        let (value, date) = match c.kind {
            CandidateKind::Quantity => (c.text.as_str(), ""),
            CandidateKind::Date => ("", c.text.as_str()),
        };
        let r = RonRow {
            source,
            subject: "",
            property: &c.property,
            value,
            date,
            quote: &c.quote,
        };
        let line = ron::to_string(&r).map_err(|e| CliError::input(format!("RON: {e}")))?;
        writeln!(ctx.out, "{line}")?;
    }
    Ok(())
}
