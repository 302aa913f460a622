//! Bringing the index level with the log: the entries after what it covers (all of
//! them, for a rebuild) are read as every reader reads them, admitted by the same rules
//! the folded ledger keeps ([`crate::ledger::admit`]), and recorded where they sit. One
//! SQLite transaction per catch-up: a crash leaves the index as it was, and the next
//! reader catches up again.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::Path;

use rusqlite::{Connection, Transaction};

use super::stamp::{crc_range, Covered, FileStamp};
use super::store::{self, At};
use super::IndexError;
use crate::ledger::{admit, id_key, Seen};
use crate::log::{stream_log_by, whole_to, Line, ReadMode, TornTail};
use crate::model::Entry;

/// Bytes of log read and parsed at a time by a catch-up or rebuild.
const READ_CHUNK: usize = 1 << 20;

/// Folds log lines into the index inside one transaction.
struct Fold<'t> {
    tx: &'t Transaction<'t>,
    /// Every source's id and line (few, so all in memory).
    sources: HashMap<String, usize>,
    /// Claims admitted during this fold, with their lines; earlier ones are asked of
    /// the database.
    new_claims: HashMap<[u8; 32], u32>,
    /// Whether the database holds claims from before this fold.
    ask_db: bool,
    per_source: HashMap<String, usize>,
    names: HashSet<(i64, String)>,
    entries: usize,
    claims: usize,
    /// A database error met while admitting an entry: it ends the fold.
    err: std::cell::RefCell<Option<rusqlite::Error>>,
}

impl Seen for Fold<'_> {
    fn source_line(&self, id: &str) -> Option<usize> {
        self.sources.get(id).copied()
    }

    fn claim_line(&self, key: &[u8; 32]) -> Option<usize> {
        if let Some(&l) = self.new_claims.get(key) {
            return Some(l as usize);
        }
        if !self.ask_db {
            return None;
        }
        // A lookup error is kept and ends the fold before anything is recorded.
        store::claim_line(self.tx, key).unwrap_or_else(|e| {
            *self.err.borrow_mut() = Some(e);
            None
        })
    }
}

impl Fold<'_> {
    fn push(&mut self, line: &Line) -> rusqlite::Result<()> {
        self.entries += 1;
        let at = At {
            line: line.line,
            offset: line.offset,
            len: line.len,
        };
        let entry = &line.record.entry;
        if let Entry::Unknown(u) = entry {
            return store::add_unknown(self.tx, &u.kind, line.line);
        }
        let admitted = admit(entry, self);
        if let Some(e) = self.err.borrow_mut().take() {
            return Err(e);
        }
        if let Err(what) = admitted {
            return store::add_problem(self.tx, line.line, &what);
        }
        match entry {
            Entry::Source(s) => {
                self.sources.insert(s.id.clone(), line.line);
                store::add_source(self.tx, &s.id, at)
            }
            Entry::Claim(c) => {
                let key = id_key(&c.id).expect("admit checked the id");
                self.new_claims
                    .insert(key, u32::try_from(line.line).unwrap_or(u32::MAX));
                self.claims += 1;
                *self.per_source.entry(c.source.clone()).or_default() += 1;
                for (kind, name) in [(store::SUBJECT, &c.subject), (store::PROPERTY, &c.property)] {
                    if self.names.insert((kind, name.clone())) {
                        store::add_name(self.tx, kind, name, line.line)?;
                    }
                }
                store::add_claim(self.tx, &key, &c.subject, at)
            }
            Entry::Status(s) => {
                let key = id_key(&s.claim).expect("admit checked the id");
                store::add_status(self.tx, &key, at)
            }
            Entry::Batch(_) | Entry::Import(_) | Entry::Unknown(_) => Ok(()),
        }
    }
}

/// Reads the log from what `from` covers (from its start when `None`: a rebuild) to its
/// end into the index, and records what it now covers. The caller holds the log's lock
/// (shared or exclusive) and the transaction.
pub fn level(
    tx: &Transaction<'_>,
    log_path: &Path,
    file: &File,
    now: FileStamp,
    from: Option<&Covered>,
) -> Result<(), IndexError> {
    let rebuild = from.is_none();
    if rebuild {
        store::reset(tx)?;
    }
    let (start, lines_before, crc) = from.map_or((0, 0, 0), |c| (c.to, c.lines, c.crc));
    let (entries, claims) = if rebuild { (0, 0) } else { store::counts(tx)? };
    let sources = store::sources(tx)?
        .into_iter()
        .map(|(id, at, _)| (id, at.line))
        .collect();
    let mut fold = Fold {
        tx,
        sources,
        new_claims: HashMap::new(),
        ask_db: !rebuild,
        per_source: HashMap::new(),
        names: HashSet::new(),
        entries,
        claims,
        err: Default::default(),
    };
    let whole = whole_to(file, now.len).map_err(|e| IndexError::io(log_path, e))?;
    // The reader parses on rayon's threads and needs a `Send` sink; the transaction
    // stays on this thread, fed chunk by chunk through a short queue.
    let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Line>>(0);
    let torn = std::thread::scope(|s| {
        let reading = s.spawn(move || {
            let mut reader = ReadAt { file, at: start };
            stream_log_by::<IndexError>(
                log_path,
                &mut reader,
                (start, lines_before),
                whole,
                ReadMode::Parse,
                // Parsed entries are several times their text: small chunks keep a
                // rebuild's memory far under the log's size.
                READ_CHUNK,
                // The fold drains the queue to the end, so a send cannot fail.
                &mut |mut lines| {
                    lines.iter_mut().for_each(slim);
                    let _ = send.send(lines);
                    Ok(())
                },
            )
        });
        for lines in receive {
            if fold.err.get_mut().is_some() {
                continue;
            }
            for l in &lines {
                if let Err(e) = fold.push(l) {
                    *fold.err.get_mut() = Some(e);
                    break;
                }
            }
        }
        reading.join().expect("the log reader does not panic")
    })?;
    if let Some(e) = fold.err.into_inner() {
        return Err(e.into());
    }
    for (source, n) in &fold.per_source {
        store::count_claims(tx, source, *n)?;
    }
    store::set_counts(tx, fold.entries, fold.claims)?;
    store::set_torn(tx, torn.as_ref())?;
    let to = covered_to(torn.as_ref(), now.len);
    let (crc, lines) = crc_range(file, start, to, crc).map_err(|e| IndexError::io(log_path, e))?;
    store::set_covered(
        tx,
        &Covered {
            stamp: now,
            to,
            lines: lines_before + lines,
            crc,
        },
    )?;
    if rebuild {
        store::finish_rebuild(tx)?;
    }
    Ok(())
}

/// Drops what the index does not keep from a claim (value, quote, note...), so that a
/// rebuild holds little more than the ids of the entries in flight.
fn slim(line: &mut Line) {
    if let Entry::Claim(c) = &mut line.record.entry {
        c.value = crate::model::Value::Text { raw: String::new() };
        (c.unit, c.as_of, c.quote, c.note, c.supersedes) = (None, None, None, None, None);
    }
    if let Entry::Status(s) = &mut line.record.entry {
        (s.note, s.evidence) = (None, None);
    }
    (
        line.record.at,
        line.record.by,
        line.record.prev,
        line.record.hash,
    ) = Default::default();
}

/// Where what the index holds ends: at a torn tail, else at the end of the file.
fn covered_to(torn: Option<&TornTail>, len: u64) -> u64 {
    torn.map_or(len, |t| t.offset)
}

/// Reads a file from an offset on, without moving any shared cursor.
struct ReadAt<'a> {
    file: &'a File,
    at: u64,
}

impl std::io::Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let n = self.file.read_at(buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

/// Whether a connection holds an index of this version.
pub fn is_ours(c: &Connection) -> bool {
    matches!(store::version(c), Ok(Some(v)) if v == store::VERSION)
}
