//! Bulk import: rows of claims from CSV, RON (one row per line, as `extract --format
//! ron` writes them) or the JSON of `export --format json`, checked all before any is
//! written. Rows stream through in batches: each batch is checked in parallel, then
//! encoded in order into a spooled [`Prepared`] batch that the log's write transaction
//! commits, all or none, only when every row of the input was good.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::claim::{read_date, ClaimBuilder, ClaimError, ClaimInput, RawValue};
use crate::config::Config;
use crate::ledger::Ledger;
use crate::log::{encode_claim_entry, encode_entry, encode_str, LogError, Prepared};
use crate::model::{Entry, Source, Status, StatusChange};
use crate::provenance::{ExportHead, HistoryRow};

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
/// A row as the CSV reader hands it over: row and line numbers, the row or why it
/// could not be read.
type ReadRow = (usize, u64, Result<ImportRow, String>);

/// Rows checked together in parallel.
const BATCH: usize = 8192;

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
    pub history: Option<Vec<HistoryRow>>,
}

fn nonempty(s: &Option<String>) -> Option<String> {
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
    #[error("{}: {} bad rows; nothing was written. Fix them and import the whole file again:\n{}", path.display(), errors.len(), list_errors(errors))]
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
}

/// A row as read, before it is checked.
type Row = (usize, Option<u64>, ImportRow);
/// A row after checking: the claim and its encoded entry, or why it is bad.
type Checked = Result<(String, String), String>;

/// The import of one file into one ledger. Rows go through in batches: a batch is
/// checked in parallel while the batch before it is chained and written, so the two
/// cores both stay busy.
pub struct Importer<'a> {
    builder: ClaimBuilder<'a>,
    create_sources: bool,
    batch: Vec<Row>,
    /// A checked batch waiting to be written.
    pending: Option<(Vec<Row>, Vec<Checked>)>,
    sink: Sink,
}

/// The sequential end of an import: duplicate checks, the chain, the side file.
struct Sink {
    /// The first 128 bits of each good row's id (a collision among a million rows has
    /// odds of about 1e-27) with its row and line numbers (`u32::MAX`: none), sorted at
    /// the end to find duplicates: 24 bytes a row, so that a large import stays well
    /// under its file's size.
    seen: Vec<([u8; 16], u32, u32)>,
    errors: Vec<RowError>,
    out: Prepared,
    at_ron: String,
    by_ron: String,
    summary: ImportSummary,
}

fn id_prefix(hex_id: &str) -> [u8; 16] {
    let mut b = [0u8; 16];
    // Ids made here are always 64 hex.
    let _ = hex::decode_to_slice(hex_id.get(..32).unwrap_or_default(), &mut b);
    b
}

/// Checks one batch of rows against the ledger, in parallel.
fn check(builder: &ClaimBuilder<'_>, batch: &[Row]) -> Vec<Checked> {
    batch
        .par_iter()
        .map(|(_, _, r)| {
            let input = r.to_input()?;
            let claim = builder
                .build(&input)
                .map_err(|e: ClaimError| e.to_string())?;
            let want = nonempty(&r.full_id).or_else(|| nonempty(&r.id));
            if let Some(want) = want {
                if !claim.id.starts_with(&want.to_ascii_lowercase()) {
                    return Err(format!(
                        "the row says its id is {want} but its content hashes to {}",
                        crate::model::short_id(&claim.id)
                    ));
                }
            }
            if let Some(st) = nonempty(&r.status) {
                st.parse::<Status>()?;
            }
            if let (Some(at), Some(by)) = (&r.at, &r.by) {
                crate::provenance::check_stamp(at, by)?;
            }
            if let Some(h) = &r.history {
                crate::provenance::history_changes(&claim.id, h)?;
            }
            if let Some(existing) = builder.ledger().claim(&claim.id) {
                return Err(format!(
                    "duplicate claim: already in the ledger as {} (log line {})",
                    crate::model::short_id(&claim.id),
                    existing.stamp.line
                ));
            }
            let ron = encode_claim_entry(&claim);
            Ok((claim.id, ron))
        })
        .collect()
}

impl Sink {
    /// Names every row whose claim an earlier row of the file already holds.
    fn find_duplicates(&mut self) {
        // Rows of one id sort together, lowest row first.
        self.seen.sort_unstable();
        let mut first: Option<([u8; 16], u32)> = None;
        for &(id, row, line) in &self.seen {
            match first {
                Some((f, first_row)) if f == id => self.errors.push(RowError {
                    row: row as usize,
                    line: (line != u32::MAX).then_some(u64::from(line)),
                    reason: format!("duplicate claim: the same as row {first_row}"),
                }),
                _ => first = Some((id, row)),
            }
        }
    }

    fn write_entry(&mut self, entry: &Entry) -> std::io::Result<()> {
        let ron = encode_entry(entry).map_err(std::io::Error::other)?;
        self.write_encoded(&ron)
    }

    fn write_encoded(&mut self, entry_ron: &str) -> std::io::Result<()> {
        // After the first bad row nothing will be appended: only keep checking.
        if !self.errors.is_empty() {
            return Ok(());
        }
        self.out.push_encoded(&self.at_ron, &self.by_ron, entry_ron)
    }

    /// Writes an entry with the stamp an export gave it (its original author and time),
    /// else the importer's.
    fn write_stamped(
        &mut self,
        stamp: Option<(&str, &str)>,
        entry_ron: &str,
    ) -> std::io::Result<()> {
        let Some((at, by)) = stamp else {
            return self.write_encoded(entry_ron);
        };
        if !self.errors.is_empty() {
            return Ok(());
        }
        let (at, by) = (
            encode_str(at).map_err(std::io::Error::other)?,
            encode_str(by).map_err(std::io::Error::other)?,
        );
        self.out.push_encoded(&at, &by, entry_ron)
    }

    /// Writes a checked batch in row order, catching duplicates.
    fn commit(&mut self, batch: Vec<Row>, checked: Vec<Checked>) -> std::io::Result<()> {
        for ((row, line, r), result) in batch.into_iter().zip(checked) {
            let (id, ron) = match result {
                Ok(x) => x,
                Err(reason) => {
                    self.errors.push(RowError { row, line, reason });
                    continue;
                }
            };
            let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
            self.seen.push((
                id_prefix(&id),
                small(row as u64),
                line.map_or(u32::MAX, small),
            ));
            let stamp = r.at.as_deref().zip(r.by.as_deref());
            self.write_stamped(stamp, &ron)?;
            self.summary.claims += 1;
            if let Some(history) = &r.history {
                // Checked with the row: every change reads.
                let changes = crate::provenance::history_changes(&id, history)
                    .map_err(std::io::Error::other)?;
                for (change, at, by) in changes {
                    let ron =
                        encode_entry(&Entry::Status(change)).map_err(std::io::Error::other)?;
                    self.write_stamped(Some((&at, &by)), &ron)?;
                    self.summary.statuses += 1;
                }
                continue;
            }
            let status = nonempty(&r.status).and_then(|s| s.parse::<Status>().ok());
            if let Some(st) = status.filter(|s| *s != Status::Unverified) {
                self.write_entry(&Entry::Status(StatusChange {
                    claim: id.clone(),
                    status: st,
                    note: Some(format!("imported: {st} in the ledger the claim came from")),
                    evidence: None,
                }))?;
                self.summary.statuses += 1;
            }
        }
        Ok(())
    }
}

impl<'a> Importer<'a> {
    /// An import into `ledger`, queueing its entries in `out` (see [`Prepared::spool`]).
    pub fn new(
        ledger: &'a Ledger,
        config: &'a Config,
        create_sources: bool,
        out: Prepared,
        at: &str,
        by: &str,
    ) -> Self {
        Importer {
            builder: ClaimBuilder::new(ledger, config),
            create_sources,
            batch: Vec::with_capacity(BATCH),
            pending: None,
            sink: Sink {
                seen: Vec::new(),
                errors: Vec::new(),
                out,
                at_ron: encode_str(at).unwrap_or_else(|_| "\"\"".into()),
                by_ron: encode_str(by).unwrap_or_else(|_| "\"\"".into()),
                summary: ImportSummary::default(),
            },
        }
    }

    /// Adds a source from an export's source list, unless the ledger has it.
    pub fn source_row(&mut self, row: usize, s: SourceRow) -> std::io::Result<()> {
        if self.builder.knows_source(&s.id) {
            return Ok(());
        }
        let published = match s.published_raw.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => match read_date(p, None) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.sink.errors.push(RowError {
                        row,
                        line: None,
                        reason: format!("source {}: published: {e}", s.id),
                    });
                    return Ok(());
                }
            },
            None => None,
        };
        let source = Source {
            id: s.id,
            title: s.title,
            outlet: s.outlet,
            author: s.author,
            url: s.url,
            published,
            published_note: s.published_note,
            file: s.file,
            sha256: s.sha256,
        };
        let ron = encode_entry(&Entry::Source(source.clone())).map_err(std::io::Error::other)?;
        let stamp = match (&s.at, &s.by) {
            (Some(at), Some(by)) => match crate::provenance::check_stamp(at, by) {
                Ok(()) => Some((at.as_str(), by.as_str())),
                Err(e) => {
                    self.sink.errors.push(RowError {
                        row,
                        line: None,
                        reason: format!("source {}: {e}", source.id),
                    });
                    return Ok(());
                }
            },
            _ => None,
        };
        self.sink.write_stamped(stamp, &ron)?;
        self.builder.add_source(source);
        self.sink.summary.sources_created += 1;
        Ok(())
    }

    /// Records where an export came from: one import entry, stamped by the importer.
    pub fn provenance(&mut self, head: ExportHead) -> std::io::Result<()> {
        self.sink.write_entry(&Entry::Import(head.note()))
    }

    /// Queues one claim row; checks and writes a batch when it is full.
    pub fn row(&mut self, row: usize, line: Option<u64>, r: ImportRow) -> std::io::Result<()> {
        self.sink.summary.rows += 1;
        self.batch.push((row, line, r));
        if self.batch.len() >= BATCH {
            self.flush_batch()?;
        }
        Ok(())
    }

    /// Records a row that could not even be read.
    pub fn bad_row(&mut self, row: usize, line: Option<u64>, reason: String) {
        self.sink.summary.rows += 1;
        self.sink.errors.push(RowError { row, line, reason });
    }

    fn flush_batch(&mut self) -> std::io::Result<()> {
        let batch = std::mem::take(&mut self.batch);
        // Sources to create are written first, in row order, so that their lines
        // precede the claims that cite them (those of the pending batch cite none).
        if self.create_sources {
            for (_, _, r) in &batch {
                if let Some(id) = nonempty(&r.source) {
                    if !self.builder.knows_source(&id)
                        && crate::claim::check_slug("source", &id, "ap-2023-08-02").is_ok()
                    {
                        let s = Source::bare(&id);
                        self.sink.write_entry(&Entry::Source(s.clone()))?;
                        self.builder.add_source(s);
                        self.sink.summary.sources_created += 1;
                    }
                }
            }
        }
        let pending = self.pending.take();
        let (builder, sink) = (&self.builder, &mut self.sink);
        let (written, checked) = rayon::join(
            || match pending {
                Some((b, c)) => sink.commit(b, c),
                None => Ok(()),
            },
            || check(builder, &batch),
        );
        written?;
        self.pending = Some((batch, checked));
        Ok(())
    }

    /// Checks what is left; returns the summary and the batch to commit, or every bad
    /// row.
    pub fn finish(mut self, path: &Path) -> Result<(ImportSummary, Prepared), ImportError> {
        let io = |e: std::io::Error| ImportError::Unreadable {
            path: path.to_path_buf(),
            what: format!("cannot write the import's side file: {e}"),
        };
        self.flush_batch().map_err(io)?;
        if let Some((b, c)) = self.pending.take() {
            self.sink.commit(b, c).map_err(io)?;
        }
        let mut sink = self.sink;
        sink.find_duplicates();
        if !sink.errors.is_empty() {
            sink.errors.sort_by_key(|e| e.row);
            return Err(ImportError::BadRows {
                path: path.to_path_buf(),
                errors: sink.errors,
            });
        }
        Ok((sink.summary, sink.out))
    }
}

/// Reads every row of `path` into `imp`, reporting progress in bytes read.
pub fn read_rows(
    path: &Path,
    format: InputFormat,
    imp: &mut Importer<'_>,
    progress: &dyn Fn(u64),
) -> Result<(), ImportError> {
    let unreadable = |what: String| ImportError::Unreadable {
        path: path.to_path_buf(),
        what,
    };
    let file = File::open(path).map_err(|e| unreadable(e.to_string()))?;
    let io = |e: std::io::Error| unreadable(format!("cannot write the import's side file: {e}"));
    match format {
        InputFormat::Csv => {
            let mut rdr = csv::ReaderBuilder::new()
                .flexible(false)
                .from_reader(BufReader::with_capacity(1 << 20, file));
            let headers = rdr
                .headers()
                .map_err(|e| unreadable(format!("cannot read the CSV header: {e}")))?
                .clone();
            check_csv_header(&headers).map_err(unreadable)?;
            // A thread of its own reads and splits the CSV, so that reading overlaps
            // with checking and chaining; batches go through a short queue.
            let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<ReadRow>, u64)>(2);
            let reader = std::thread::scope(|scope| {
                let reader = scope.spawn(move || -> Result<(), String> {
                    let mut record = csv::StringRecord::new();
                    let mut batch = Vec::with_capacity(4096);
                    let mut row = 0;
                    loop {
                        row += 1;
                        let line = rdr.position().line();
                        let item = match rdr.read_record(&mut record) {
                            Ok(false) => break,
                            Ok(true) => match record.deserialize::<ImportRow>(Some(&headers)) {
                                Ok(r) => Ok(r),
                                Err(e) => Err(format!("{e}")),
                            },
                            Err(e) => match e.kind() {
                                csv::ErrorKind::UnequalLengths { len, expected_len, .. } => Err(format!(
                                    "has {len} fields where the header has {expected_len}: a field is missing or a quote is not closed"
                                )),
                                csv::ErrorKind::Utf8 { .. } => Err("is not valid UTF-8".into()),
                                _ => return Err(format!("row {row} (line {line}): {e}")),
                            },
                        };
                        batch.push((row, line, item));
                        if batch.len() == 4096 {
                            let full = std::mem::replace(&mut batch, Vec::with_capacity(4096));
                            if tx.send((full, rdr.position().byte())).is_err() {
                                return Ok(());
                            }
                        }
                    }
                    let _ = tx.send((batch, rdr.position().byte()));
                    Ok(())
                });
                for (batch, bytes) in rx {
                    for (row, line, item) in batch {
                        match item {
                            Ok(r) => imp.row(row, Some(line), r).map_err(io)?,
                            Err(reason) => imp.bad_row(row, Some(line), reason),
                        }
                    }
                    progress(bytes);
                }
                Ok::<_, ImportError>(reader.join())
            })?;
            match reader {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(unreadable(e)),
                Err(_) => return Err(unreadable("the CSV reader failed".into())),
            }
        }
        InputFormat::Ron => {
            let mut rdr = BufReader::with_capacity(1 << 20, file);
            let (mut line_no, mut row, mut bytes) = (0u64, 0usize, 0u64);
            let mut buf = String::new();
            loop {
                buf.clear();
                let n = rdr
                    .read_line(&mut buf)
                    .map_err(|e| unreadable(format!("line {}: {e}", line_no + 1)))?;
                if n == 0 {
                    break;
                }
                line_no += 1;
                bytes += n as u64;
                let t = buf.trim();
                if t.is_empty() || t.starts_with("//") {
                    continue;
                }
                row += 1;
                match import_row_options().from_str::<ImportRow>(t) {
                    Ok(r) => imp.row(row, Some(line_no), r).map_err(io)?,
                    Err(e) => imp.bad_row(
                        row,
                        Some(line_no),
                        format!("column {}: {}; each line holds one row such as (source:\"ap\",subject:\"x-2023\",property:\"deaths\",value:\"63\")", e.span.start.col, e.code),
                    ),
                }
                if row % 4096 == 0 {
                    progress(bytes);
                }
            }
        }
        InputFormat::Json => {
            let mut de =
                serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 20, file));
            let mut failure = None;
            let seed = ExportSeed {
                imp,
                failure: &mut failure,
            };
            let result = seed.deserialize(&mut de).and_then(|_| de.end());
            if let Some(e) = failure {
                return Err(io(e));
            }
            result.map_err(|e| {
                unreadable(format!(
                    "not the JSON `export --format json` writes ({e}); expected {{\"sources\": [...], \"claims\": [...]}}"
                ))
            })?;
        }
    }
    Ok(())
}

/// RON rows may write optional fields as plain strings (`value:"63"`) or `Some("63")`.
pub fn import_row_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

fn check_csv_header(headers: &csv::StringRecord) -> Result<(), String> {
    let expected = CSV_HEADER.join(",");
    for h in headers {
        if !CSV_HEADER.contains(&h) && !CSV_OPTIONAL.contains(&h) {
            return Err(format!(
                "unknown CSV column {h:?}: the header is {expected} (optional: {})",
                CSV_OPTIONAL.join(", ")
            ));
        }
    }
    for need in ["source", "subject", "property"] {
        if !headers.iter().any(|h| h == need) {
            return Err(format!(
                "the CSV header has no {need:?} column: it must be {expected}"
            ));
        }
    }
    Ok(())
}

/// Streams an export document: sources, then claims, one at a time.
struct ExportSeed<'i, 'a> {
    imp: &'i mut Importer<'a>,
    failure: &'i mut Option<std::io::Error>,
}

impl<'de> DeserializeSeed<'de> for ExportSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ExportSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object with \"sources\" and \"claims\" arrays")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "sources" => map.next_value_seed(Each::<SourceRow, _>(
                    |n, s| {
                        self.imp
                            .source_row(n, s)
                            .map_err(|e| *self.failure = Some(e))
                            .is_ok()
                    },
                    PhantomData,
                ))?,
                "provenance" => {
                    let head: ExportHead = map.next_value()?;
                    if let Err(e) = self.imp.provenance(head) {
                        *self.failure = Some(e);
                        return Err(serde::de::Error::custom("write failed"));
                    }
                }
                "claims" => map.next_value_seed(Each::<ImportRow, _>(
                    |n, r| {
                        self.imp
                            .row(n, None, r)
                            .map_err(|e| *self.failure = Some(e))
                            .is_ok()
                    },
                    PhantomData,
                ))?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Hands each element of a JSON array to a callback (1-based index), without keeping
/// the array.
struct Each<T, F>(F, PhantomData<T>);

impl<'de, T: Deserialize<'de>, F: FnMut(usize, T) -> bool> DeserializeSeed<'de> for Each<T, F> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>, F: FnMut(usize, T) -> bool> Visitor<'de> for Each<T, F> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut n = 0;
        while let Some(x) = seq.next_element::<T>()? {
            n += 1;
            if !(self.0)(n, x) {
                return Err(serde::de::Error::custom("write failed"));
            }
        }
        Ok(())
    }
}
