//! The checking end of an import: rows checked against the ledger in parallel batches,
//! duplicates found by sorting id prefixes, entries queued in row order.

use rayon::prelude::*;

use super::{nonempty, ImportError, ImportRow, ImportSummary, RowError, SourceRow};
use crate::claim::{read_date, ClaimBuilder, ClaimError};
use crate::config::Config;
use crate::ledger::Ledger;
use crate::log::{encode_claim_entry, encode_entry, encode_str, Prepared};
use crate::model::{Entry, Source, Status, StatusChange};
use crate::provenance::{ExportHead, HistoryRow};
use std::path::Path;

/// Rows checked together in parallel.
const BATCH: usize = 8192;

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
            let claim = builder.build(&input).map_err(|e: ClaimError| {
                crate::checks::explain_claim_error(
                    &e,
                    crate::checks::Origin::Import,
                    builder.ledger(),
                )
            })?;
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

    /// Writes a claim's status history from an export, each change with its stamp.
    fn write_history(&mut self, id: &str, history: &[HistoryRow]) -> std::io::Result<()> {
        // Checked with the row: every change reads.
        let changes =
            crate::provenance::history_changes(id, history).map_err(std::io::Error::other)?;
        for (change, at, by) in changes {
            let ron = encode_entry(&Entry::Status(change)).map_err(std::io::Error::other)?;
            self.write_stamped(Some((&at, &by)), &ron)?;
            self.summary.statuses += 1;
        }
        Ok(())
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
            self.write_stamped(r.at.as_deref().zip(r.by.as_deref()), &ron)?;
            self.summary.claims += 1;
            if let Some(history) = &r.history {
                self.write_history(&id, history)?;
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
        if let Err(reason) = self.check_source_file(&s) {
            self.sink.errors.push(RowError {
                row,
                line: None,
                reason,
            });
            return Ok(());
        }
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
        let ron = encode_entry(&Entry::Source(source.clone())).map_err(std::io::Error::other)?;
        self.sink.write_stamped(stamp, &ron)?;
        self.builder.add_source(source);
        self.sink.summary.sources_created += 1;
        Ok(())
    }

    /// Records where an export came from: one import entry, stamped by the importer.
    pub fn provenance(&mut self, head: ExportHead) -> std::io::Result<()> {
        self.sink.write_entry(&Entry::Import(head.note()))
    }

    /// The largest file this import reads (the ledger's `max_file_bytes`).
    pub fn max_file_bytes(&self) -> u64 {
        self.builder.config().max_file_bytes
    }

    /// Checks an imported source's file as `source add` does: inside the workspace, and
    /// hashing to the sha256 the row states.
    fn check_source_file(&self, s: &SourceRow) -> Result<(), String> {
        let Some(file) = &s.file else { return Ok(()) };
        let root = self.builder.ledger().root();
        let sha = crate::files::resolve_in(&root, file, false)
            .and_then(|p| crate::files::sha256_bounded(&p, self.max_file_bytes()))
            .map_err(|e| format!("source {}: file: {e}", s.id))?;
        match &s.sha256 {
            Some(want) if *want != sha => Err(format!(
                "source {}: file {file} hashes to {sha}, not the {want} the export recorded: it is not the same document",
                s.id
            )),
            _ => Ok(()),
        }
    }

    /// Queues one claim row; checks and writes a batch when it is full.
    pub fn row(&mut self, row: usize, line: Option<u64>, r: ImportRow) -> std::io::Result<()> {
        let summary = &mut self.sink.summary;
        summary.rows += 1;
        for (name, set) in [
            (&r.subject, &mut summary.subjects),
            (&r.property, &mut summary.properties),
        ] {
            if let Some(n) = name
                .as_deref()
                .filter(|n| !n.is_empty() && !set.contains(*n))
            {
                set.insert(n.to_string());
            }
        }
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
