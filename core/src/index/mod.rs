//! The derived index beside the log (`ledger/.cache/index.sqlite`): where each entry
//! sits in the log, by claim id, subject and source, so that a command about one claim
//! or one subject reads those lines and not the whole log. Built from the log and never
//! the truth: every use first checks it against the log (identity, size, times; a CRC
//! of the bytes it covers when the file changed behind its back) and catches up on
//! appended entries or rebuilds. `verify` never uses it.
//!
//! Why SQLite: it is already linked (for `export --format sqlite`), it is the most
//! widely deployed embedded store there is, its transactions make a catch-up all or
//! nothing across a crash, and its B-trees answer an id prefix or a subject in
//! microseconds without this crate owning a file format. `stamp` decides what the
//! index is worth, `store` owns the tables, `build` folds log entries in, `kept` keeps
//! results over the whole ledger (trust, a whole report) tied to the log they came from.

mod build;
mod kept;
mod stamp;
mod store;

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior};

use crate::ledger::{Inconsistency, Ledger, Whole};
use crate::log::{decode_line, Line, LogError};
pub use kept::{KeptOutput, OutputKeeper};
use stamp::FileStamp;
pub use stamp::Plan;
use store::At;

/// The index's directory inside a ledger directory.
pub const CACHE_DIR: &str = ".cache";
/// The index's file inside [`CACHE_DIR`].
pub const INDEX_FILE: &str = "index.sqlite";

/// Why the index could not be used (the caller then reads the log itself).
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the index database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error("{path}:{line}: the index points at a line that does not read as an entry")]
    Stale { path: PathBuf, line: usize },
}

impl IndexError {
    fn io(path: &Path, source: std::io::Error) -> IndexError {
        IndexError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// What a command asks the index for: claims of these subjects and claims whose ids
/// start with these prefixes (each with its status changes), besides every source.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub subjects: Vec<String>,
    pub prefixes: Vec<String>,
    /// Also every claim of the subjects of the claims the prefixes match (a report on a
    /// claim's figure needs its neighbours).
    pub prefix_subjects: bool,
}

/// Whether the ledger in `dir` has an index (whatever its state).
pub fn exists(dir: &Path) -> bool {
    dir.join(CACHE_DIR).join(INDEX_FILE).is_file()
}

/// An index level with the log it was opened against.
pub struct Index {
    conn: Connection,
    log_path: PathBuf,
    /// What bringing it level took.
    pub plan: Plan,
}

impl Index {
    /// Opens (creating it if need be) the index of the ledger directory `dir` and brings
    /// it level with the log `file`, which the caller opened and holds the lock of.
    pub fn level(dir: &Path, log_path: &Path, file: &File) -> Result<Index, IndexError> {
        match Index::level_once(dir, log_path, file) {
            // A damaged database: it is only a cache, so start afresh. (Not a busy one:
            // another process may be building it.)
            Err(IndexError::Sql(e)) if is_damage(&e) => {
                remove(&dir.join(CACHE_DIR).join(INDEX_FILE));
                Index::level_once(dir, log_path, file)
            }
            done => done,
        }
    }

    fn level_once(dir: &Path, log_path: &Path, file: &File) -> Result<Index, IndexError> {
        let mut conn = open(dir)?;
        let now = FileStamp::of(&file.metadata().map_err(|e| IndexError::io(log_path, e))?);
        // Immediate: two readers catching up at once take turns, and the second finds
        // the index level.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let covered = match build::is_ours(&tx) {
            true => store::covered(&tx)?,
            false => None,
        };
        let plan = match &covered {
            Some(c) => stamp::plan(c, &now, file).map_err(|e| IndexError::io(log_path, e))?,
            None => Plan::Rebuild,
        };
        match plan {
            Plan::Current => {}
            Plan::CatchUp => build::level(&tx, log_path, file, now, covered.as_ref())?,
            Plan::Rebuild => build::level(&tx, log_path, file, now, None)?,
        }
        tx.commit()?;
        // A large WAL is read whole by every process that opens the index first.
        let wal = dir.join(CACHE_DIR).join(format!("{INDEX_FILE}-wal"));
        if plan != Plan::Current || wal.metadata().is_ok_and(|m| m.len() > WAL_MAX) {
            store::checkpoint(&conn)?;
        }
        Ok(Index {
            conn,
            log_path: log_path.to_path_buf(),
            plan,
        })
    }

    /// Brings the index level again after this process appended to the log while
    /// holding its lock from [`Index::level`] on: the bytes the index covers are the
    /// ones it checked then, so only the new entries are read (no CRC pass).
    pub fn appended(&mut self, file: &File) -> Result<(), IndexError> {
        let now = FileStamp::of(
            &file
                .metadata()
                .map_err(|e| IndexError::io(&self.log_path, e))?,
        );
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let covered = store::covered(&tx)?;
        let from = match covered {
            Some(c)
                if stamp::extends(&c, &now, file)
                    .map_err(|e| IndexError::io(&self.log_path, e))? =>
            {
                Some(c)
            }
            _ => None,
        };
        build::level(&tx, &self.log_path, file, now, from.as_ref())?;
        tx.commit()?;
        Ok(())
    }

    /// The index of the ledger in `dir` if it exists and is level with the log `file`
    /// as it stands, without any work to bring it level: for a command that read the
    /// whole log anyway and has something to keep in it.
    pub fn if_current(dir: &Path, log_path: &Path, file: &File) -> Option<Index> {
        if !exists(dir) {
            return None;
        }
        let conn = Connection::open(dir.join(CACHE_DIR).join(INDEX_FILE)).ok()?;
        store::configure(&conn).ok()?;
        let now = FileStamp::of(&file.metadata().ok()?);
        let covered = store::covered(&conn).ok()??;
        (build::is_ours(&conn) && covered.stamp == now).then(|| Index {
            conn,
            log_path: log_path.to_path_buf(),
            plan: Plan::Current,
        })
    }

    /// The part of the ledger `scope` asks for, read from the log `file` at the places
    /// the index gives: every source, the claims asked for with their status changes,
    /// and what the whole ledger knows (names, counts, skipped entries, a torn tail).
    pub fn ledger(&self, dir: &Path, file: &File, scope: &Scope) -> Result<Ledger, IndexError> {
        let c = &self.conn;
        let sources = store::sources(c)?;
        let mut places: Vec<At> = sources.iter().map(|(_, at, _)| *at).collect();
        let mut claims: Vec<([u8; 32], At)> = Vec::new();
        let mut subjects = scope.subjects.clone();
        for p in &scope.prefixes {
            if let Some((low, high)) = prefix_range(p) {
                claims.extend(store::claims_between(c, &low, &high)?);
                if scope.prefix_subjects {
                    subjects.extend(store::subjects_between(c, &low, &high)?);
                }
            }
        }
        for s in &subjects {
            claims.extend(store::claims_of_subject(c, s)?);
        }
        let mut seen = HashSet::new();
        for (key, at) in claims {
            if seen.insert(key) {
                places.push(at);
                places.extend(store::statuses_of(c, &key)?);
            }
        }
        places.sort_by_key(|a| a.line);
        let lines = self.read_lines(file, &places)?;
        let (entries, total) = store::counts(c)?;
        // Every subject is only ever needed for near matches of one the ledger does
        // not hold: when the scope's subjects are all known, they are enough.
        let mut known = true;
        for s in &subjects {
            known &= store::has_name(c, store::SUBJECT, s)?;
        }
        if !known {
            subjects = store::names(c, store::SUBJECT)?;
        }
        let whole = Whole {
            subjects,
            properties: store::names(c, store::PROPERTY)?,
            claims_per_source: sources.into_iter().map(|(id, _, n)| (id, n)).collect(),
            claims: total,
        };
        let mut ledger = Ledger::partial(dir, whole);
        ledger.push_lines(lines);
        ledger.entries = entries;
        ledger.torn = store::torn(c)?;
        ledger.inconsistencies = store::problems(c)?
            .into_iter()
            .map(|(line, what)| Inconsistency { line, what })
            .collect();
        ledger.unknown = store::unknown(c)?
            .into_iter()
            .map(|(kind, n, first)| (kind, (n, first)))
            .collect::<BTreeMap<_, _>>();
        Ok(ledger)
    }

    /// Reads the entries the index places at `places` (in log order), neighbours with
    /// one read: a thousand sources imported together are one read, not a thousand.
    fn read_lines(&self, file: &File, places: &[At]) -> Result<Vec<Line>, IndexError> {
        let mut lines = Vec::with_capacity(places.len());
        let mut i = 0;
        while i < places.len() {
            // `len` counts the line end and not a CR before it: one byte more is read.
            let start = places[i].offset;
            let mut end = start + places[i].len + 1;
            let mut j = i + 1;
            while j < places.len() && places[j].offset >= start && places[j].offset <= end + GAP {
                end = end.max(places[j].offset + places[j].len + 1);
                j += 1;
            }
            let buf = self.read_at(file, start, end - start)?;
            for at in &places[i..j] {
                let from = (at.offset - start) as usize;
                lines.push(self.decode_at(&buf[from.min(buf.len())..], at)?);
            }
            i = j;
        }
        Ok(lines)
    }

    /// Up to `len` bytes of the log from `offset` (fewer at its end).
    fn read_at(&self, file: &File, offset: u64, len: u64) -> Result<Vec<u8>, IndexError> {
        let len = usize::try_from(len).map_err(|_| IndexError::Stale {
            path: self.log_path.clone(),
            line: 0,
        })?;
        let mut buf = vec![0u8; len];
        let mut got = 0;
        while got < len {
            match file.read_at(&mut buf[got..], offset + got as u64) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(e) => return Err(IndexError::io(&self.log_path, e)),
            }
        }
        buf.truncate(got);
        Ok(buf)
    }

    /// The entry at the start of `bytes`, which the index placed at `at`.
    fn decode_at(&self, bytes: &[u8], at: &At) -> Result<Line, IndexError> {
        let stale = || IndexError::Stale {
            path: self.log_path.clone(),
            line: at.line,
        };
        let raw = &bytes[..memchr::memchr(b'\n', bytes).unwrap_or(bytes.len())];
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let text = std::str::from_utf8(raw).map_err(|_| stale())?;
        let record = decode_line(text).map_err(|_| stale())?;
        Ok(Line {
            line: at.line,
            offset: at.offset,
            len: at.len,
            record,
            bad_hash: None,
        })
    }
}

/// A write-ahead log larger than this is folded into the index when it is opened.
const WAL_MAX: u64 = 4 << 20;

/// Entries at most this far apart are read with one read.
const GAP: u64 = 16 << 10;

/// The ids a prefix of 4 to 64 hex digits covers, lowest and highest.
fn prefix_range(prefix: &str) -> Option<([u8; 32], [u8; 32])> {
    let p = prefix.trim().to_ascii_lowercase();
    if p.len() < 4 || p.len() > 64 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let pad = |c: char| -> Option<[u8; 32]> {
        let full: String = p.chars().chain(std::iter::repeat(c)).take(64).collect();
        crate::ledger::id_key(&full)
    };
    Some((pad('0')?, pad('f')?))
}

/// Opens the index database, creating its directory (which ignores itself in git); a
/// file that is not a database of ours is set aside and started afresh.
fn open(dir: &Path) -> Result<Connection, IndexError> {
    let cache = dir.join(CACHE_DIR);
    if !cache.is_dir() {
        std::fs::create_dir_all(&cache).map_err(|e| IndexError::io(&cache, e))?;
        let ignore = cache.join(".gitignore");
        std::fs::write(
            &ignore,
            "# factledger's derived index: rebuilt from log.ron\n*\n",
        )
        .map_err(|e| IndexError::io(&ignore, e))?;
    }
    let path = cache.join(INDEX_FILE);
    match Connection::open(&path).and_then(|c| store::configure(&c).map(|_| c)) {
        Ok(c) => Ok(c),
        Err(e) if !is_damage(&e) => Err(e.into()),
        Err(_) => {
            // Not a database (damaged, or something else): it is only a cache.
            remove(&path);
            let c = Connection::open(&path)?;
            store::configure(&c)?;
            Ok(c)
        }
    }
}

/// Whether SQLite says the database itself is damaged (not merely busy or unwritable).
fn is_damage(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if matches!(f.code, DatabaseCorrupt | NotADatabase))
}

/// Removes an index database and the files SQLite keeps beside it.
fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[cfg(test)]
mod tests;
