//! Output: tables (comfy-table), JSON and CSV, and the one rule for all three: logged
//! text never carries control characters to a terminal. Owns [`Format`] and the
//! record shapes that `list`, `show` and `export` share.

use std::borrow::Cow;
use std::io::{self, Write};

use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;

use factledger_core::ledger::{ClaimState, Ledger};
use factledger_core::model::{short_id, Value};
use factledger_core::value::Bound;

/// How a command prints records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
    Csv,
}

/// Logged text made safe for a terminal cell (see [`crate::terminal::visible`]).
pub fn clean(s: &str) -> Cow<'_, str> {
    crate::terminal::visible(s)
}

/// Neutralizes a CSV cell that a spreadsheet would run as a formula, by prefixing `'`.
pub fn csv_safe(s: &str) -> Cow<'_, str> {
    factledger_core::import::cell::guard(s)
}

/// A new table in the house style; `NO_COLOR` needs nothing, as tables use no color.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(|h| clean(h).into_owned()));
    t
}

/// Adds a row of logged text, cleaned of control characters.
pub fn row<S: AsRef<str>>(t: &mut Table, cells: impl IntoIterator<Item = S>) {
    t.add_row(cells.into_iter().map(|c| clean(c.as_ref()).into_owned()));
}

/// Writes JSON, pretty, with a final newline. JSON escapes control characters itself.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// A CSV writer over `out` whose cells are all made formula-safe by [`csv_row`].
pub fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::Writer::from_writer(out)
}

/// Writes one CSV record of formula-safe cells.
pub fn csv_row<S: AsRef<str>>(
    w: &mut csv::Writer<&mut dyn Write>,
    cells: impl IntoIterator<Item = S>,
) -> csv::Result<()> {
    w.write_record(cells.into_iter().map(|c| csv_safe(c.as_ref()).into_owned()))
}

/// A number bound as JSON: the decimal as a string keeps it exact.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct JsonBound {
    pub value: String,
    pub inclusive: bool,
}

fn json_bound(b: Bound) -> Option<JsonBound> {
    match b {
        Bound::Unbounded => None,
        Bound::Incl(v) => Some(JsonBound {
            value: v.normalize().to_string(),
            inclusive: true,
        }),
        Bound::Excl(v) => Some(JsonBound {
            value: v.normalize().to_string(),
            inclusive: false,
        }),
    }
}

/// A claim as `list --format json`, `show` and `export` print it.
#[derive(Serialize, Debug, Clone)]
pub struct ClaimRecord {
    /// 12-hex short id.
    pub id: String,
    pub full_id: String,
    pub source: String,
    pub subject: String,
    pub property: String,
    /// `quantity`, `date` or `text`.
    pub kind: &'static str,
    /// The value as written.
    pub value: String,
    /// What the value was read as (`(140, ∞)`, `2021-11`).
    pub parsed: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<JsonBound>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<JsonBound>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub unit: Option<String>,
    pub as_of: Option<String>,
    pub quote: Option<String>,
    pub note: Option<String>,
    pub supersedes: Option<String>,
    pub status: String,
    pub line: usize,
    pub at: String,
    pub by: String,
}

impl ClaimRecord {
    /// The record of one claim.
    pub fn of(c: &ClaimState) -> ClaimRecord {
        let cl = &c.claim;
        let (mut low, mut high, mut start, mut end, mut reference) = (None, None, None, None, None);
        match &cl.value {
            Value::Quantity { interval, .. } => {
                low = json_bound(interval.low);
                high = json_bound(interval.high);
            }
            Value::Date(d) => {
                start = Some(d.span.start.format("%Y-%m-%dT%H:%M").to_string());
                end = Some(d.span.end.format("%Y-%m-%dT%H:%M").to_string());
                reference.clone_from(&d.reference);
            }
            Value::Text { .. } => {}
        }
        ClaimRecord {
            id: short_id(&cl.id).to_string(),
            full_id: cl.id.clone(),
            source: cl.source.clone(),
            subject: cl.subject.clone(),
            property: cl.property.clone(),
            kind: cl.value.kind(),
            value: cl.value.raw().to_string(),
            parsed: cl.value.parsed(),
            low,
            high,
            start,
            end,
            reference,
            unit: cl.unit.clone(),
            as_of: cl.as_of.as_ref().map(|d| d.raw.clone()),
            quote: cl.quote.clone(),
            note: cl.note.clone(),
            supersedes: cl.supersedes.clone(),
            status: c.status().to_string(),
            line: c.stamp.line,
            at: c.stamp.at.to_string(),
            by: c.stamp.by.to_string(),
        }
    }

    /// The CSV header matching [`ClaimRecord::csv_cells`].
    pub const CSV_HEADER: [&'static str; 12] = [
        "id", "source", "subject", "property", "kind", "value", "parsed", "unit", "as_of",
        "status", "quote", "full_id",
    ];

    /// The record's CSV cells.
    pub fn csv_cells(&self) -> [String; 12] {
        [
            self.id.clone(),
            self.source.clone(),
            self.subject.clone(),
            self.property.clone(),
            self.kind.to_string(),
            self.value.clone(),
            self.parsed.clone(),
            self.unit.clone().unwrap_or_default(),
            self.as_of.clone().unwrap_or_default(),
            self.status.clone(),
            self.quote.clone().unwrap_or_default(),
            self.full_id.clone(),
        ]
    }
}

/// Prints claims in the chosen format: the shared body of `list` and friends.
pub fn print_claims(
    out: &mut dyn Write,
    ledger: &Ledger,
    claims: &[&ClaimState],
    format: Format,
) -> io::Result<()> {
    match format {
        Format::Json => {
            let recs: Vec<ClaimRecord> = claims.iter().map(|c| ClaimRecord::of(c)).collect();
            write_json(out, &recs)
        }
        Format::Csv => {
            let mut w = csv_writer(out);
            csv_row(&mut w, ClaimRecord::CSV_HEADER)?;
            for c in claims {
                csv_row(&mut w, ClaimRecord::of(c).csv_cells())?;
            }
            w.flush()
        }
        Format::Table => {
            let mut t = table(&[
                "id", "source", "subject", "property", "value", "read as", "as of", "status",
            ]);
            for c in claims {
                let r = ClaimRecord::of(c);
                let as_of = effective_as_of(ledger, c).unwrap_or_default();
                let value = match &r.unit {
                    Some(u) => format!("{} [{u}]", r.value),
                    None => r.value.clone(),
                };
                row(
                    &mut t,
                    [
                        r.id, r.source, r.subject, r.property, value, r.parsed, as_of, r.status,
                    ],
                );
            }
            writeln!(out, "{t}")?;
            writeln!(out, "{}", count(claims.len(), "claim"))
        }
    }
}

/// The as-of a claim stands at, as text: its own, else its source's published date
/// (marked so).
pub fn effective_as_of(ledger: &Ledger, c: &ClaimState) -> Option<String> {
    if let Some(a) = &c.claim.as_of {
        return Some(a.span.to_string());
    }
    let s = ledger.source(&c.claim.source)?;
    s.source
        .published
        .as_ref()
        .map(|p| format!("{} (published)", p.span))
}

/// `1 claim`, `2 claims`: a count with its noun.
pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// An error message cleaned of control characters line by line (it may quote logged or
/// typed text), keeping its own line breaks.
pub fn clean_message(msg: &str) -> String {
    msg.lines()
        .map(|l| clean(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}
