//! The index's tables in SQLite (`ledger/.cache/index.sqlite`): where every admitted
//! entry sits in the log (line, byte offset, length) under the keys commands look
//! things up by (claim id, subject, source), the names a ledger holds, the entries
//! readers skip, and what part of the log the index covers. Owns the schema and every
//! statement; nothing here reads the log.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::stamp::{Covered, FileStamp};
use crate::findings::{LearnedTrust, SourceTrust};
use crate::log::TornTail;

/// Raised whenever a table changes, and with every release (its fold rules may change):
/// an index of another version is rebuilt.
pub const VERSION: &str = concat!("factledger-index-v3/", env!("CARGO_PKG_VERSION"));

const TABLES: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE sources (id TEXT PRIMARY KEY, line INTEGER NOT NULL, offset INTEGER NOT NULL,
  len INTEGER NOT NULL, claims INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE names (kind INTEGER NOT NULL, name TEXT NOT NULL, first_line INTEGER NOT NULL,
  UNIQUE (kind, name));
CREATE TABLE claims (id BLOB NOT NULL, line INTEGER NOT NULL, offset INTEGER NOT NULL,
  len INTEGER NOT NULL, subject TEXT NOT NULL);
CREATE TABLE statuses (claim BLOB NOT NULL, line INTEGER NOT NULL, offset INTEGER NOT NULL,
  len INTEGER NOT NULL);
CREATE TABLE problems (line INTEGER PRIMARY KEY, what TEXT NOT NULL);
CREATE TABLE unknown (kind TEXT PRIMARY KEY, count INTEGER NOT NULL,
  first_line INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE trust (source TEXT PRIMARY KEY, weight REAL NOT NULL, trust REAL NOT NULL,
  compared INTEGER NOT NULL, agree INTEGER NOT NULL, verdicts INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE outputs (name TEXT PRIMARY KEY, learned_from TEXT NOT NULL, stderr TEXT NOT NULL,
  found INTEGER NOT NULL) WITHOUT ROWID;
";

/// Built after a rebuild's rows are in: one sort each instead of a tree update per row.
const INDEXES: &str = "
CREATE UNIQUE INDEX claims_id ON claims(id);
CREATE INDEX claims_subject ON claims(subject);
CREATE INDEX statuses_claim ON statuses(claim);
";

const DROP: &str = "
DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS sources; DROP TABLE IF EXISTS names;
DROP TABLE IF EXISTS claims; DROP TABLE IF EXISTS statuses; DROP TABLE IF EXISTS problems;
DROP TABLE IF EXISTS unknown; DROP TABLE IF EXISTS trust;
DROP TABLE IF EXISTS outputs;
";

/// `names.kind` of a subject.
pub const SUBJECT: i64 = 0;
/// `names.kind` of a property.
pub const PROPERTY: i64 = 1;

/// Where an entry's line sits in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
    pub line: usize,
    pub offset: u64,
    pub len: u64,
}

impl At {
    fn of(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<At> {
        Ok(At {
            line: row.get::<_, i64>(first)? as usize,
            offset: row.get::<_, i64>(first + 1)? as u64,
            len: row.get::<_, i64>(first + 2)? as u64,
        })
    }
}

/// Opens the connection the way the index uses it: WAL, so that readers never wait for
/// a catch-up and a crash mid-write leaves the last committed state.
pub fn configure(conn: &Connection) -> rusqlite::Result<()> {
    // A wait this long (another process rebuilding a large index) and the command reads
    // the log itself instead.
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "cache_size", -16384)?;
    // A checkpoint at every close would cost each `add` two more fsyncs; SQLite
    // checkpoints by itself as the WAL grows, and a small WAL keeps cheap the reading
    // of it that each new process does first.
    conn.pragma_update(None, "wal_autocheckpoint", 256)?;
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )?;
    Ok(())
}

/// Empties the index for a rebuild, inside `tx`; [`finish_rebuild`] adds the indexes.
pub fn reset(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(DROP)?;
    tx.execute_batch(TABLES)?;
    set(tx, "version", VERSION)
}

/// Builds the lookup indexes once a rebuild's rows are in.
pub fn finish_rebuild(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(INDEXES)
}

fn set(tx: &Connection, key: &str, value: impl rusqlite::ToSql) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
        params![key, value],
    )?;
    Ok(())
}

fn get<T: rusqlite::types::FromSql>(c: &Connection, key: &str) -> rusqlite::Result<Option<T>> {
    c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

/// The index's version, `None` for a database without the index's tables.
pub fn version(c: &Connection) -> rusqlite::Result<Option<String>> {
    let has_meta: bool = c.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
        [],
        |r| r.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !has_meta {
        return Ok(None);
    }
    get(c, "version")
}

/// What the index covers, once it was built.
pub fn covered(c: &Connection) -> rusqlite::Result<Option<Covered>> {
    let n = |k: &str| get::<i64>(c, k);
    let (Some(dev), Some(ino), Some(len), Some(mtime), Some(ctime)) =
        (n("dev")?, n("ino")?, n("len")?, n("mtime")?, n("ctime")?)
    else {
        return Ok(None);
    };
    let (Some(to), Some(lines), Some(crc)) = (n("to")?, n("lines")?, n("crc")?) else {
        return Ok(None);
    };
    Ok(Some(Covered {
        stamp: FileStamp {
            dev: dev as u64,
            ino: ino as u64,
            len: len as u64,
            mtime,
            ctime,
        },
        to: to as u64,
        lines: lines as usize,
        crc: crc as u32,
    }))
}

/// Records what the index now covers.
pub fn set_covered(tx: &Connection, c: &Covered) -> rusqlite::Result<()> {
    let s = &c.stamp;
    set(tx, "dev", s.dev as i64)?;
    set(tx, "ino", s.ino as i64)?;
    set(tx, "len", s.len as i64)?;
    set(tx, "mtime", s.mtime)?;
    set(tx, "ctime", s.ctime)?;
    set(tx, "to", c.to as i64)?;
    set(tx, "lines", c.lines as i64)?;
    set(tx, "crc", i64::from(c.crc))
}

/// Counts kept in `meta`: entries read and claims admitted.
pub fn counts(c: &Connection) -> rusqlite::Result<(usize, usize)> {
    let e = get::<i64>(c, "entries")?.unwrap_or(0);
    let n = get::<i64>(c, "claims")?.unwrap_or(0);
    Ok((e as usize, n as usize))
}

/// Records the counts.
pub fn set_counts(tx: &Connection, entries: usize, claims: usize) -> rusqlite::Result<()> {
    set(tx, "entries", entries as i64)?;
    set(tx, "claims", claims as i64)
}

/// The torn tail the log ended in when the index was last brought level.
pub fn torn(c: &Connection) -> rusqlite::Result<Option<TornTail>> {
    let Some(text) = get::<String>(c, "torn")? else {
        return Ok(None);
    };
    let f: Vec<u64> = text.split(',').filter_map(|x| x.parse().ok()).collect();
    Ok(match f[..] {
        [line, offset, bytes, batch] => Some(TornTail {
            line: line as usize,
            offset,
            bytes: bytes as usize,
            batch: batch == 1,
        }),
        _ => None,
    })
}

/// Records the torn tail (or that there is none).
pub fn set_torn(tx: &Connection, torn: Option<&TornTail>) -> rusqlite::Result<()> {
    match torn {
        Some(t) => set(
            tx,
            "torn",
            format!("{},{},{},{}", t.line, t.offset, t.bytes, u8::from(t.batch)),
        ),
        None => {
            tx.execute("DELETE FROM meta WHERE key = 'torn'", [])?;
            Ok(())
        }
    }
}

/// Every source: its id, where it sits, and how many claims cite it; in log order.
pub fn sources(c: &Connection) -> rusqlite::Result<Vec<(String, At, usize)>> {
    let mut st =
        c.prepare_cached("SELECT id, line, offset, len, claims FROM sources ORDER BY line")?;
    let rows = st.query_map([], |r| {
        Ok((r.get(0)?, At::of(r, 1)?, r.get::<_, i64>(4)? as usize))
    })?;
    rows.collect()
}

/// Adds a source.
pub fn add_source(tx: &Connection, id: &str, at: At) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO sources (id, line, offset, len) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![id, at.line as i64, at.offset as i64, at.len as i64])?;
    Ok(())
}

/// Adds `n` to a source's claim count.
pub fn count_claims(tx: &Connection, source: &str, n: usize) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE sources SET claims = claims + ?2 WHERE id = ?1")?
        .execute(params![source, n as i64])?;
    Ok(())
}

/// Adds a claim.
pub fn add_claim(tx: &Connection, id: &[u8; 32], subject: &str, at: At) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO claims (id, line, offset, len, subject) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        &id[..],
        at.line as i64,
        at.offset as i64,
        at.len as i64,
        subject
    ])?;
    Ok(())
}

/// The line a claim was logged on.
pub fn claim_line(c: &Connection, id: &[u8; 32]) -> rusqlite::Result<Option<usize>> {
    c.prepare_cached("SELECT line FROM claims WHERE id = ?1")?
        .query_row([&id[..]], |r| r.get::<_, i64>(0))
        .optional()
        .map(|o| o.map(|l| l as usize))
}

/// Claims whose id lies between two ids (a prefix's range), at most `limit`.
pub fn claims_between(
    c: &Connection,
    low: &[u8; 32],
    high: &[u8; 32],
) -> rusqlite::Result<Vec<([u8; 32], At)>> {
    let mut st = c.prepare_cached(
        "SELECT id, line, offset, len FROM claims WHERE id BETWEEN ?1 AND ?2 ORDER BY id",
    )?;
    let rows = st.query_map(params![&low[..], &high[..]], claim_row)?;
    rows.collect()
}

/// A subject's claims.
pub fn claims_of_subject(c: &Connection, subject: &str) -> rusqlite::Result<Vec<([u8; 32], At)>> {
    let mut st = c.prepare_cached("SELECT id, line, offset, len FROM claims WHERE subject = ?1")?;
    let rows = st.query_map([subject], claim_row)?;
    rows.collect()
}

/// The subjects of the claims whose ids lie between two ids (a prefix's range).
pub fn subjects_between(
    c: &Connection,
    low: &[u8; 32],
    high: &[u8; 32],
) -> rusqlite::Result<Vec<String>> {
    let mut st =
        c.prepare_cached("SELECT DISTINCT subject FROM claims WHERE id BETWEEN ?1 AND ?2")?;
    let rows = st.query_map(params![&low[..], &high[..]], |r| r.get(0))?;
    rows.collect()
}

/// A row of `id, line, offset, len` from `claims`; an id that is not 32 bytes (a
/// damaged database) is an error, never a panic.
fn claim_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<([u8; 32], At)> {
    let id: Vec<u8> = r.get(0)?;
    let key = <[u8; 32]>::try_from(id.as_slice()).map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Blob,
            "a claim id of another length than 32 bytes".into(),
        )
    })?;
    Ok((key, At::of(r, 1)?))
}

/// Adds a status change.
pub fn add_status(tx: &Connection, claim: &[u8; 32], at: At) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT INTO statuses (claim, line, offset, len) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![
            &claim[..],
            at.line as i64,
            at.offset as i64,
            at.len as i64
        ])?;
    Ok(())
}

/// A claim's status changes.
pub fn statuses_of(c: &Connection, claim: &[u8; 32]) -> rusqlite::Result<Vec<At>> {
    let mut st = c.prepare_cached("SELECT line, offset, len FROM statuses WHERE claim = ?1")?;
    let rows = st.query_map([&claim[..]], |r| At::of(r, 0))?;
    rows.collect()
}

/// Notes a subject or property name, keeping the line it was first seen on.
pub fn add_name(tx: &Connection, kind: i64, name: &str, line: usize) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT OR IGNORE INTO names (kind, name, first_line) VALUES (?1, ?2, ?3)")?
        .execute(params![kind, name, line as i64])?;
    Ok(())
}

/// Every name of a kind in first-seen order (names are inserted in log order, and a
/// name seen again is not inserted again, so row order is first-seen order).
pub fn names(c: &Connection, kind: i64) -> rusqlite::Result<Vec<String>> {
    let mut st = c.prepare_cached("SELECT name FROM names WHERE kind = ?1 ORDER BY rowid")?;
    let rows = st.query_map([kind], |r| r.get(0))?;
    rows.collect()
}

/// Whether the index holds a name.
pub fn has_name(c: &Connection, kind: i64, name: &str) -> rusqlite::Result<bool> {
    c.prepare_cached("SELECT 1 FROM names WHERE kind = ?1 AND name = ?2")?
        .exists(params![kind, name])
}

/// Records an entry readers skip because it contradicts an earlier one.
pub fn add_problem(tx: &Connection, line: usize, what: &str) -> rusqlite::Result<()> {
    tx.prepare_cached("INSERT OR REPLACE INTO problems (line, what) VALUES (?1, ?2)")?
        .execute(params![line as i64, what])?;
    Ok(())
}

/// Every skipped entry, in log order.
pub fn problems(c: &Connection) -> rusqlite::Result<Vec<(usize, String)>> {
    let mut st = c.prepare_cached("SELECT line, what FROM problems ORDER BY line")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)? as usize, r.get(1)?)))?;
    rows.collect()
}

/// Counts an entry of a kind this version does not know.
pub fn add_unknown(tx: &Connection, kind: &str, line: usize) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO unknown (kind, count, first_line) VALUES (?1, 1, ?2)
         ON CONFLICT (kind) DO UPDATE SET count = count + 1",
    )?
    .execute(params![kind, line as i64])?;
    Ok(())
}

/// Entries of unknown kinds: per kind, how many and the first line.
pub fn unknown(c: &Connection) -> rusqlite::Result<Vec<(String, usize, usize)>> {
    let mut st = c.prepare_cached("SELECT kind, count, first_line FROM unknown ORDER BY kind")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get(0)?,
            r.get::<_, i64>(1)? as usize,
            r.get::<_, i64>(2)? as usize,
        ))
    })?;
    rows.collect()
}

/// The source trust kept, and what it was learned from (see [`set_trust`]).
pub fn trust(c: &Connection, learned_from: &str) -> rusqlite::Result<Option<LearnedTrust>> {
    if get::<String>(c, "trust_from")?.as_deref() != Some(learned_from) {
        return Ok(None);
    }
    let mut st = c.prepare_cached(
        "SELECT source, weight, trust, compared, agree, verdicts FROM trust ORDER BY source",
    )?;
    let mut rows = st.query([])?;
    let (mut weights, mut table) = (Vec::new(), Vec::new());
    while let Some(r) = rows.next()? {
        let source: String = r.get(0)?;
        weights.push((source.clone(), r.get(1)?));
        table.push(SourceTrust {
            source,
            trust: r.get(2)?,
            compared: r.get::<_, i64>(3)? as usize,
            agree: r.get::<_, i64>(4)? as usize,
            verdicts: r.get::<_, i64>(5)? as usize,
        });
    }
    Ok(Some(LearnedTrust { weights, table }))
}

/// Keeps source trust learned from `learned_from` (what the index covered, and the
/// ledger's settings), replacing what was kept.
pub fn set_trust(tx: &Connection, learned_from: &str, t: &LearnedTrust) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM trust", [])?;
    let table: std::collections::HashMap<&str, &SourceTrust> =
        t.table.iter().map(|s| (s.source.as_str(), s)).collect();
    let mut st = tx.prepare_cached(
        "INSERT INTO trust (source, weight, trust, compared, agree, verdicts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (source, weight) in &t.weights {
        let Some(row) = table.get(source.as_str()) else {
            continue;
        };
        st.execute(params![
            source,
            weight,
            row.trust,
            row.compared as i64,
            row.agree as i64,
            row.verdicts as i64
        ])?;
    }
    set(tx, "trust_from", learned_from)
}

/// Folds the write-ahead log into the database and empties it: after a rebuild or a
/// large catch-up, so that the next process does not read it all when it opens.
pub fn checkpoint(c: &Connection) -> rusqlite::Result<()> {
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
}
