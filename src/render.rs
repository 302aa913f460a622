//! Output: tables (comfy-table), JSON and CSV, and the one rule for all three: logged
//! text never carries control characters to a terminal. Owns [`Format`] and the
//! record shapes that `list`, `show` and `export` share.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::sync::OnceLock;

use comfy_table::{presets, ColumnConstraint, ContentArrangement, Row, Width};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use factledger_core::ledger::{ClaimState, Ledger};
use factledger_core::model::{short_id, Value};
use factledger_core::value::Bound;

/// How a command prints records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    #[default]
    Table,
    Json,
    /// One JSON object per line, for streams and `jq`.
    Jsonl,
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

/// Tables' width when stdout is a terminal that reports none (or 0: some CI and ssh
/// setups), and when `COLUMNS=0`.
pub const FALLBACK_WIDTH: u16 = 100;

/// How wide tables may be: `None` prints every cell whole (`--wide`, or stdout is a pipe
/// and `COLUMNS` is not set), so a pipe gets the same bytes whatever the terminal.
static TABLE_WIDTH: OnceLock<Option<u16>> = OnceLock::new();

/// Fixes the width tables fit for this run: none with `--wide`; else `COLUMNS` when set
/// (0 means unknown: 100); else the terminal's width when stdout is one (0 or unknown:
/// 100); else none. The first call wins.
pub fn set_wide(wide: bool) {
    TABLE_WIDTH.get_or_init(|| detect_width(wide));
}

fn detect_width(wide: bool) -> Option<u16> {
    if wide {
        return None;
    }
    let usable = |w: u16| if w == 0 { FALLBACK_WIDTH } else { w };
    if let Some(cols) = std::env::var("COLUMNS")
        .ok()
        .filter(|c| !c.trim().is_empty())
    {
        return Some(cols.trim().parse::<u16>().map_or(FALLBACK_WIDTH, usable));
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    Some(terminal_size::terminal_size().map_or(FALLBACK_WIDTH, |(w, _)| usable(w.0)))
}

/// The width tables fit this run, `None` when they print whole.
pub fn table_width() -> Option<u16> {
    *TABLE_WIDTH.get_or_init(|| detect_width(false))
}

/// A table in the house style, laid out when printed: within the run's width, ids,
/// dates, numbers and scale bars never wrap, and other text is cut to one line with `…`.
/// Every cell is cleaned of control characters.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// A new table with these column names.
pub fn table(header: &[&str]) -> Table {
    Table {
        header: header.iter().map(|h| clean(h).into_owned()).collect(),
        rows: Vec::new(),
    }
}

/// Adds a row of logged text, cleaned of control characters.
pub fn row<S: AsRef<str>>(t: &mut Table, cells: impl IntoIterator<Item = S>) {
    t.rows.push(
        cells
            .into_iter()
            .map(|c| clean(c.as_ref()).into_owned())
            .collect(),
    );
}

impl Table {
    /// The table laid out for `width` (`None`: every cell whole).
    pub fn layout(&self, width: Option<u16>) -> comfy_table::Table {
        let mut t = comfy_table::Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED);
        let Some(width) = width else {
            t.set_header(self.header.clone());
            t.set_content_arrangement(ContentArrangement::Disabled);
            t.add_rows(self.rows.clone());
            return t;
        };
        t.set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_truncation_indicator("…");
        let mut header = Row::from(self.header.clone());
        header.max_height(1);
        t.set_header(header);
        for r in &self.rows {
            let mut row = Row::from(r.clone());
            row.max_height(1);
            t.add_row(row);
        }
        for (i, keep) in self.lower_bounds(width).into_iter().enumerate() {
            if let (Some(col), Ok(keep)) = (t.column_mut(i), u16::try_from(keep)) {
                // Two cells at least, so that a double-width character fits; the bound
                // counts the cell's padding of one space each side.
                let keep = keep.max(2).saturating_add(2);
                col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(keep)));
            }
        }
        t
    }

    /// Each column's width below which a word of it would be cut: ids always; numbers,
    /// dates and bars while they all fit, else given up from the right, bars first.
    fn lower_bounds(&self, width: u16) -> Vec<usize> {
        let n = self.header.len();
        let mut bounds: Vec<(usize, Word)> = (0..n)
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| unbreakable(c))
                    .max()
                    .unwrap_or((0, Word::Free))
            })
            .collect();
        // Borders: one left of each column and one at the end; padding: 2 per column.
        let avail = usize::from(width).saturating_sub(3 * n + 1);
        // Every column keeps at least a letter and the ellipsis.
        let total = |b: &[(usize, Word)]| b.iter().map(|(w, _)| (*w).max(2)).sum::<usize>();
        for give_up in [Word::Bar, Word::Figure] {
            for i in (0..n).rev() {
                if total(&bounds) <= avail {
                    break;
                }
                if bounds[i].1 == give_up {
                    bounds[i] = (0, Word::Free);
                }
            }
        }
        bounds.into_iter().map(|(w, _)| w).collect()
    }
}

/// What kind of word a cell's widest unbreakable word is, by how much cutting it hurts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Word {
    /// Letters: may be cut with `…`.
    Free,
    /// A scale bar.
    Bar,
    /// A number, date or interval end.
    Figure,
    /// A claim id (8 or more hex digits): never cut, or it cannot be copied.
    Id,
}

/// The widest word of a cell that must not be broken, and its kind: one holding a digit
/// or a scale bar and otherwise only hex digits and punctuation (ids, dates, numbers,
/// bars). A range `A..B` may break between its ends. Words of letters may be cut.
fn unbreakable(cell: &str) -> (usize, Word) {
    let (w, kind) = widest_unbreakable(cell);
    // A short value holding a figure ("over 140", "about 7bn") is kept whole: its words
    // mean nothing apart.
    let whole = UnicodeWidthStr::width(cell.trim());
    if kind != Word::Free && whole <= SHORT_VALUE {
        return (whole.max(w), kind);
    }
    (w, kind)
}

/// The widest a cell with a figure may be and still be kept whole.
const SHORT_VALUE: usize = 12;

fn widest_unbreakable(cell: &str) -> (usize, Word) {
    let bar = |c: char| matches!(c, '◀' | '▶' | '█' | '·');
    cell.split_whitespace()
        .flat_map(|w| w.split(".."))
        .filter_map(|w| {
            let figure = w.chars().any(|c| c.is_ascii_digit() || bar(c) || c == '∞')
                && w.chars().all(|c| {
                    c.is_ascii_hexdigit() || c.is_ascii_punctuation() || bar(c) || c == '∞'
                });
            let kind = if !figure {
                return None;
            } else if w.len() >= 8 && w.chars().all(|c| c.is_ascii_hexdigit()) {
                Word::Id
            } else if w.chars().any(bar) {
                Word::Bar
            } else {
                Word::Figure
            };
            // Room for the `…` that says the rest of the cell was cut.
            let more = usize::from(UnicodeWidthStr::width(cell.trim()) > w.len());
            Some((UnicodeWidthStr::width(w) + more, kind))
        })
        .max_by_key(|(w, k)| (*k, *w))
        .unwrap_or((0, Word::Free))
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.layout(table_width()))
    }
}

/// Writes JSON, pretty, with a final newline. JSON escapes control characters itself.
pub fn write_json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Writes JSON as `format` asks: pretty for `json`; for `jsonl`, an array as one
/// compact object per line (anything else on one line).
pub fn write_json_as<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    format: Format,
    value: &T,
) -> io::Result<()> {
    if format != Format::Jsonl {
        return write_json(out, value);
    }
    match serde_json::to_value(value).map_err(io::Error::other)? {
        serde_json::Value::Array(items) => {
            for item in items {
                serde_json::to_writer(&mut *out, &item)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        }
        other => {
            serde_json::to_writer(&mut *out, &other)?;
            out.write_all(b"\n")
        }
    }
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
        Format::Json | Format::Jsonl => {
            let recs: Vec<ClaimRecord> = claims.iter().map(|c| ClaimRecord::of(c)).collect();
            write_json_as(out, format, &recs)
        }
        Format::Table if claims.is_empty() => writeln!(out, "No claims to show."),
        Format::Csv => {
            let mut w = csv_writer(out);
            csv_row(&mut w, ClaimRecord::CSV_HEADER)?;
            for c in claims {
                csv_row(&mut w, ClaimRecord::of(c).csv_cells())?;
            }
            w.flush()
        }
        Format::Table => {
            // Below 100 columns the reading of each value gives way to the names.
            let narrow = table_width().is_some_and(|w| w < 100);
            let mut header = vec![
                "id", "source", "subject", "property", "value", "read as", "as of", "status",
            ];
            if narrow {
                header.remove(5);
            }
            let mut t = table(&header);
            for c in claims {
                let r = ClaimRecord::of(c);
                let as_of = effective_as_of(ledger, c).unwrap_or_default();
                let value = match &r.unit {
                    Some(u) => format!("{} [{u}]", r.value),
                    None => r.value.clone(),
                };
                let mut cells = vec![
                    r.id, r.source, r.subject, r.property, value, r.parsed, as_of, r.status,
                ];
                if narrow {
                    cells.remove(5);
                }
                row(&mut t, cells);
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

/// A source as `source list --format json` prints it.
#[derive(serde::Serialize)]
pub struct SourceRecord<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub outlet: Option<&'a str>,
    pub author: Option<&'a str>,
    pub url: Option<&'a str>,
    pub published: Option<String>,
    pub published_raw: Option<&'a str>,
    pub published_note: Option<&'a str>,
    pub file: Option<&'a str>,
    pub sha256: Option<&'a str>,
    pub claims: usize,
    /// The source's trust learned across the ledger (0..1), in `source list`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trust: Option<f64>,
    /// Of its counted claims in figures of two or more, how many agree with the best.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agree: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared: Option<usize>,
}

impl<'a> SourceRecord<'a> {
    /// The record of one source.
    pub fn of(
        s: &'a factledger_core::model::Source,
        counts: &std::collections::HashMap<&str, usize>,
    ) -> Self {
        SourceRecord {
            id: &s.id,
            title: &s.title,
            outlet: s.outlet.as_deref(),
            author: s.author.as_deref(),
            url: s.url.as_deref(),
            published: s.published.as_ref().map(|p| p.span.to_string()),
            published_raw: s.published.as_ref().map(|p| p.raw.as_str()),
            published_note: s.published_note.as_deref(),
            file: s.file.as_deref(),
            sha256: s.sha256.as_deref(),
            claims: counts.get(s.id.as_str()).copied().unwrap_or(0),
            trust: None,
            agree: None,
            compared: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Table {
        let mut t = table(&["id", "quote", "as of", "scale"]);
        row(
            &mut t,
            [
                "3cd3d2661ae7",
                "At least 59 people were killed when a suicide bomber blew himself up inside a crowded mosque",
                "2023-01-30 (published)",
                "███·····················",
            ],
        );
        t
    }

    #[test]
    fn ids_dates_and_bars_are_unbreakable_and_words_are_not() {
        assert_eq!(unbreakable("3cd3d2661ae7"), (12, Word::Id));
        assert_eq!(unbreakable("2023-01-30 (published)"), (11, Word::Figure));
        assert_eq!(unbreakable("2012-12-19..2022-12-19"), (11, Word::Figure));
        assert_eq!(unbreakable("over 140"), (8, Word::Figure));
        assert_eq!(unbreakable("███·····"), (8, Word::Bar));
        assert_eq!(unbreakable("peshawar-mosque-bombing"), (0, Word::Free));
    }

    #[test]
    fn a_narrow_table_cuts_text_with_an_ellipsis_and_keeps_ids_dates_and_bars() {
        let out = sample().layout(Some(70)).to_string();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 5, "one line per row:\n{out}");
        assert!(lines.iter().all(|l| l.chars().count() <= 70), "{out}");
        assert!(
            out.contains("3cd3d2661ae7") && out.contains("2023-01-30"),
            "{out}"
        );
        assert!(out.contains("███·····················"), "{out}");
        assert!(out.contains('…'), "{out}");
    }

    #[test]
    fn when_figures_cannot_all_fit_bars_give_way_first() {
        let bounds = sample().lower_bounds(40);
        assert_eq!(bounds[0], 12, "ids are always kept");
        assert_eq!(bounds[3], 0, "the bar gave way");
    }

    proptest::proptest! {
        #[test]
        fn any_cells_at_any_width_make_a_rectangular_table(
            cells in proptest::collection::vec("[ -~\u{2026}\u{2588}\u{00b7}é漢]{0,40}", 1..12),
            width in 0u16..300,
        ) {
            let mut t = table(&["a", "b", "c"]);
            for chunk in cells.chunks(3) {
                row(&mut t, chunk.iter());
            }
            for out in [t.layout(Some(width)).to_string(), t.layout(None).to_string()] {
                // Every line of a table is as wide as every other: nothing spilled.
                let widths: Vec<usize> = out.lines().map(UnicodeWidthStr::width).collect();
                proptest::prop_assert!(widths.windows(2).all(|w| w[0] == w[1]), "{}", out);
            }
        }
    }

    #[test]
    fn no_width_prints_every_cell_whole() {
        let out = sample().layout(None).to_string();
        assert!(out.contains("inside a crowded mosque"), "{out}");
        assert!(!out.contains('…'), "{out}");
    }
}
