//! Bulk import: rows of claims from CSV, RON (one row per line, as `extract --format
//! ron` writes them) or the JSON of `export --format json`, checked all before any is
//! written. `read` turns a file into rows (bounded: special files are refused, lines
//! are capped), `importer` checks them in parallel batches and queues their entries in
//! a spooled [`crate::log::Prepared`] batch that the log's write transaction commits,
//! all or none, only when every row of the input was good; `cell` undoes the
//! spreadsheet guard `export --format csv` adds.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::claim::{ClaimInput, RawValue};
use crate::log::LogError;

pub mod cell;
mod importer;
mod json;
mod read;

pub use importer::Importer;
pub use read::read_rows;

/// The CSV header `import` reads, as DESIGN fixes it.
pub const CSV_HEADER: [&str; 9] = [
    "source", "subject", "property", "value", "date", "text", "unit", "as_of", "quote",
];
/// Further CSV columns `import` understands.
/// (`export --format csv` writes these too, so its output imports back.)
pub const CSV_OPTIONAL: [&str; 10] = [
    "note",
    "status",
    "id",
    "full_id",
    "kind",
    "parsed",
    "source_title",
    "source_outlet",
    "source_published",
    "by",
];

/// One claim row, in any input format. Every field is text as a person wrote it.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ImportRow {
    pub source: Option<String>,
    pub subject: Option<String>,
    pub property: Option<String>,
    /// With `kind` (as export writes): the raw value of that kind. Without: a quantity.
    pub value: Option<String>,
    pub date: Option<String>,
    pub text: Option<String>,
    pub kind: Option<String>,
    pub unit: Option<String>,
    pub as_of: Option<String>,
    pub quote: Option<String>,
    pub note: Option<String>,
    /// The current status in the ledger the row came from; logged as a status change.
    pub status: Option<String>,
    /// An id the row claims to have: checked against the content.
    pub id: Option<String>,
    pub full_id: Option<String>,
    /// From an export: who logged the claim and when; kept on import.
    pub by: Option<String>,
    pub at: Option<String>,
    /// From an export: the whole status history, each change kept with its stamp
    /// (instead of `status`).
    pub history: Option<Vec<crate::provenance::HistoryRow>>,
}

pub(crate) fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref().filter(|v| !v.trim().is_empty()).cloned()
}

impl ImportRow {
    /// The typed claim this row describes, or what is missing.
    pub fn to_input(&self) -> Result<ClaimInput, String> {
        let need = |f: &Option<String>, name: &str| {
            nonempty(f).ok_or_else(|| {
                format!("missing field {name:?}: every row needs source, subject and property")
            })
        };
        let (v, d, t) = (
            nonempty(&self.value),
            nonempty(&self.date),
            nonempty(&self.text),
        );
        let value = match (self.kind.as_deref(), v, d, t) {
            (Some("date"), Some(v), None, None) => RawValue::Date(v),
            (Some("text"), Some(v), None, None) => RawValue::Text(v),
            (Some("quantity") | None, Some(v), None, None) => RawValue::Quantity(v),
            (None, None, Some(d), None) => RawValue::Date(d),
            (None, None, None, Some(t)) => RawValue::Text(t),
            (Some(k), _, _, _) if !matches!(k, "quantity" | "date" | "text") => {
                return Err(format!("kind {k:?} is not one of quantity, date, text"))
            }
            (_, None, None, None) => {
                return Err("no value: set one of the value, date and text fields".into())
            }
            _ => {
                return Err("more than one of value, date and text is set; set exactly one".into())
            }
        };
        Ok(ClaimInput {
            source: need(&self.source, "source")?,
            subject: need(&self.subject, "subject")?,
            property: need(&self.property, "property")?,
            value: Some(value),
            unit: nonempty(&self.unit),
            as_of: nonempty(&self.as_of),
            quote: nonempty(&self.quote),
            note: nonempty(&self.note),
            supersedes: None,
        })
    }
}

/// A source row of an export JSON.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SourceRow {
    pub id: String,
    pub title: String,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub url: Option<String>,
    /// The published date as written.
    pub published_raw: Option<String>,
    pub published_note: Option<String>,
    pub file: Option<String>,
    pub sha256: Option<String>,
    /// From an export: who added the source and when; kept on import.
    pub by: Option<String>,
    pub at: Option<String>,
}

/// Which reader a file needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Csv,
    Ron,
    Json,
}

impl InputFormat {
    /// The format a file name says, if it says one.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(InputFormat::Csv),
            "ron" => Some(InputFormat::Ron),
            "json" => Some(InputFormat::Json),
            _ => None,
        }
    }
}

/// A row that cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    /// 1-based row number among the data rows (the header is not a row).
    pub row: usize,
    /// The line of the file it starts on, where known.
    pub line: Option<u64>,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "row {} (line {l}): {}", self.row, self.reason),
            None => write!(f, "row {}: {}", self.row, self.reason),
        }
    }
}

/// Why an import did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}: {} bad row{}; nothing was written. Fix them and import the whole file again:\n{}", path.display(), errors.len(), if errors.len() == 1 { "" } else { "s" }, list_errors(errors))]
    BadRows {
        path: PathBuf,
        errors: Vec<RowError>,
    },
    #[error("{}: {what}", path.display())]
    Unreadable { path: PathBuf, what: String },
    #[error(transparent)]
    Log(#[from] LogError),
}

fn list_errors(errors: &[RowError]) -> String {
    const SHOWN: usize = 50;
    let mut s: Vec<String> = errors
        .iter()
        .take(SHOWN)
        .map(|e| format!("  {e}"))
        .collect();
    if errors.len() > SHOWN {
        s.push(format!("  ... and {} more", errors.len() - SHOWN));
    }
    s.join("\n")
}

/// What an import wrote (to the side file; the caller appends it).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub rows: usize,
    pub claims: usize,
    pub sources_created: usize,
    pub statuses: usize,
    /// The distinct subjects and properties the rows name, for warnings of new names.
    pub subjects: std::collections::HashSet<String>,
    pub properties: std::collections::HashSet<String>,
}

/// RON rows may write optional fields as plain strings (`value:"63"`) or `Some("63")`.
pub fn import_row_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}
