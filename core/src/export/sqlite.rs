//! `export --format sqlite`: the ledger as a SQLite database (sources, claims, the whole
//! status history, findings) with the schema in [`SCHEMA`], for sqlite3, DuckDB or
//! Datasette. Owns writing that file whole or not at all: the database is built in a
//! temporary file beside the destination and renamed into place only once complete.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, Transaction};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::config::Config;
use crate::findings::Kind;
use crate::ledger::{ClaimState, Ledger, SourceState};
use crate::model::{short_id, DateValue, Value};
use crate::value::Bound;

/// The version of [`SCHEMA`], stored in the `meta` table; raised when a table changes.
pub const SCHEMA_VERSION: &str = "factledger-sqlite-v1";

/// The tables of the exported database (README documents every column).
pub const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, outlet TEXT, author TEXT, url TEXT,
  published_raw TEXT, published_start TEXT, published_end TEXT, published_note TEXT,
  file TEXT, sha256 TEXT, line INTEGER NOT NULL, added_by TEXT NOT NULL,
  added_at TEXT NOT NULL
);
CREATE TABLE claims (
  id TEXT PRIMARY KEY, short_id TEXT NOT NULL, source TEXT NOT NULL REFERENCES sources(id),
  subject TEXT NOT NULL, property TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('quantity', 'date', 'text')),
  raw TEXT NOT NULL, parsed TEXT NOT NULL,
  low TEXT, high TEXT, low_real REAL, high_real REAL,
  low_inclusive INTEGER, high_inclusive INTEGER,
  unit TEXT, as_of_raw TEXT, as_of_start TEXT, as_of_end TEXT,
  quote TEXT, note TEXT, supersedes TEXT, status TEXT NOT NULL,
  line INTEGER NOT NULL, author TEXT NOT NULL, time TEXT NOT NULL
);
CREATE TABLE statuses (
  claim TEXT NOT NULL REFERENCES claims(id), seq INTEGER NOT NULL, at TEXT NOT NULL,
  by TEXT NOT NULL, status TEXT NOT NULL, note TEXT, evidence TEXT, line INTEGER NOT NULL
);
CREATE TABLE findings (
  id INTEGER PRIMARY KEY, subject TEXT NOT NULL, property TEXT NOT NULL,
  kind TEXT NOT NULL, unit TEXT, settled INTEGER NOT NULL, gap TEXT,
  relative_gap REAL NOT NULL, estimate_low TEXT, estimate_best TEXT, estimate_high TEXT,
  estimate_basis TEXT, undetermined INTEGER NOT NULL, summary TEXT NOT NULL
);
CREATE TABLE finding_claims (
  finding INTEGER NOT NULL REFERENCES findings(id), claim TEXT NOT NULL REFERENCES claims(id),
  role TEXT NOT NULL, counts INTEGER NOT NULL, parsed TEXT NOT NULL, as_of TEXT,
  PRIMARY KEY (finding, claim)
);
";

/// The indexes, created after the rows are in: one sort per index instead of a tree
/// update per row.
pub const INDEXES: &str = "
CREATE INDEX claims_subject_property ON claims(subject, property);
CREATE INDEX claims_source ON claims(source);
CREATE INDEX statuses_claim ON statuses(claim, seq);
CREATE INDEX finding_claims_claim ON finding_claims(claim);
";

/// Why the database could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SqliteExportError {
    #[error(
        "{path} already exists; pass --force to replace it, or name a file that does not exist"
    )]
    Exists { path: PathBuf },
    #[error("the directory {dir} does not exist; create it first or name a file in an existing directory")]
    NoDirectory { dir: PathBuf },
    #[error("cannot write {path}: {source}; check that its directory is writable and has room")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("SQLite could not write {path}: {source}")]
    Database {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

/// How many rows of each table were written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowCounts {
    pub sources: usize,
    pub claims: usize,
    pub statuses: usize,
    pub findings: usize,
    pub finding_claims: usize,
}

/// Writes the whole ledger to a new SQLite database at `path`. An existing `path` is
/// refused unless `overwrite`; on any failure nothing is left at `path` (nor beside it).
pub fn write_database(
    ledger: &Ledger,
    config: &Config,
    path: &Path,
    overwrite: bool,
) -> Result<RowCounts, SqliteExportError> {
    let io = |source| SqliteExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    if !overwrite && path.symlink_metadata().is_ok() {
        return Err(SqliteExportError::Exists {
            path: path.to_path_buf(),
        });
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(SqliteExportError::NoDirectory {
            dir: dir.to_path_buf(),
        });
    }
    // Built under a temporary name in the same directory, so the rename is atomic and
    // a failure (or a kill) never leaves a half-written database under the asked name.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".factledger-export-").suffix(".sqlite.tmp");
    // A temp file is private (0600) by default; the export is an ordinary file, so it
    // gets the mode a new file gets (0666 less the umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let tmp = builder.tempfile_in(dir).map_err(io)?;
    let counts =
        fill(tmp.path(), ledger, config).map_err(|source| SqliteExportError::Database {
            path: path.to_path_buf(),
            source,
        })?;
    tmp.as_file().sync_all().map_err(io)?;
    let persisted = if overwrite {
        tmp.persist(path)
    } else {
        // Refuses a file that appeared since the check above instead of replacing it.
        tmp.persist_noclobber(path)
    };
    persisted.map_err(|e| match e.error.kind() {
        std::io::ErrorKind::AlreadyExists => SqliteExportError::Exists {
            path: path.to_path_buf(),
        },
        _ => io(e.error),
    })?;
    Ok(counts)
}

/// Creates the schema in the (empty) file at `tmp` and writes every row in one
/// transaction.
fn fill(tmp: &Path, ledger: &Ledger, config: &Config) -> rusqlite::Result<RowCounts> {
    let mut conn = Connection::open(tmp)?;
    // The file is private until renamed, so a journal would only cost time (and leave
    // a `-journal` file beside it on failure).
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    let tx = conn.transaction()?;
    tx.execute_batch(SCHEMA)?;
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('schema', ?1), ('entries', ?2)",
        params![SCHEMA_VERSION, ledger.entries.to_string()],
    )?;
    let mut counts = RowCounts {
        sources: insert_sources(&tx, &ledger.sources)?,
        ..RowCounts::default()
    };
    (counts.claims, counts.statuses) = insert_claims(&tx, &ledger.claims)?;
    (counts.findings, counts.finding_claims) = insert_findings(&tx, &finding_rows(ledger, config))?;
    tx.execute_batch(INDEXES)?;
    tx.commit()?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(counts)
}

fn insert_sources(tx: &Transaction<'_>, sources: &[SourceState]) -> rusqlite::Result<usize> {
    let mut st = tx.prepare(
        "INSERT INTO sources VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    for s in sources {
        let src = &s.source;
        let (raw, start, end) = span_cells(src.published.as_ref());
        st.execute(params![
            src.id,
            src.title,
            src.outlet,
            src.author,
            src.url,
            raw,
            start,
            end,
            src.published_note,
            src.file,
            src.sha256,
            s.stamp.line as i64,
            &*s.stamp.by,
            &*s.stamp.at,
        ])?;
    }
    Ok(sources.len())
}

/// Writes the claims and their status histories; returns how many of each.
fn insert_claims(tx: &Transaction<'_>, claims: &[ClaimState]) -> rusqlite::Result<(usize, usize)> {
    let mut claim_st = tx.prepare(
        "INSERT INTO claims VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, \
         ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
    )?;
    let mut status_st =
        tx.prepare("INSERT INTO statuses VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
    let mut statuses = 0;
    for c in claims {
        let cl = &c.claim;
        let b = Bounds::of(&cl.value);
        let (as_of_raw, as_of_start, as_of_end) = span_cells(cl.as_of.as_ref());
        claim_st.execute(params![
            cl.id,
            short_id(&cl.id),
            cl.source,
            cl.subject,
            cl.property,
            cl.value.kind(),
            cl.value.raw(),
            cl.value.parsed(),
            b.low,
            b.high,
            b.low_real,
            b.high_real,
            b.low_inclusive,
            b.high_inclusive,
            cl.unit,
            as_of_raw,
            as_of_start,
            as_of_end,
            cl.quote,
            cl.note,
            cl.supersedes,
            c.status().as_str(),
            c.stamp.line as i64,
            &*c.stamp.by,
            &*c.stamp.at,
        ])?;
        for (n, (change, stamp)) in c.history.iter().enumerate() {
            status_st.execute(params![
                cl.id,
                n as i64 + 1,
                &*stamp.at,
                &*stamp.by,
                change.status.as_str(),
                change.note,
                change.evidence,
                stamp.line as i64,
            ])?;
        }
        statuses += c.history.len();
    }
    Ok((claims.len(), statuses))
}

/// A claim's value as bounds: quantities as numbers (text exact, REAL where finite),
/// dates as the instants their span starts at (inclusive) and ends before (exclusive).
#[derive(Debug, Default, PartialEq)]
struct Bounds {
    low: Option<String>,
    high: Option<String>,
    low_real: Option<f64>,
    high_real: Option<f64>,
    low_inclusive: Option<bool>,
    high_inclusive: Option<bool>,
}

impl Bounds {
    fn of(value: &Value) -> Bounds {
        match value {
            Value::Quantity { interval, .. } => {
                let (low, low_real, low_inclusive) = bound_cells(interval.low, "-inf");
                let (high, high_real, high_inclusive) = bound_cells(interval.high, "inf");
                Bounds {
                    low: Some(low),
                    high: Some(high),
                    low_real,
                    high_real,
                    low_inclusive: Some(low_inclusive),
                    high_inclusive: Some(high_inclusive),
                }
            }
            Value::Date(d) => Bounds {
                low: Some(instant(d.span.start)),
                high: Some(instant(d.span.end)),
                low_inclusive: Some(true),
                high_inclusive: Some(false),
                ..Bounds::default()
            },
            Value::Text { .. } => Bounds::default(),
        }
    }
}

/// One end of an interval: its exact text, its REAL value when finite, and whether
/// the end itself belongs to the interval.
fn bound_cells(b: Bound, unbounded: &str) -> (String, Option<f64>, bool) {
    let real = |d: Decimal| d.to_f64().filter(|x| x.is_finite());
    match b {
        Bound::Unbounded => (unbounded.to_string(), None, false),
        Bound::Incl(d) => (d.normalize().to_string(), real(d), true),
        Bound::Excl(d) => (d.normalize().to_string(), real(d), false),
    }
}

fn instant(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// A date as written, and the start and (exclusive) end of the span it was read as.
fn span_cells(d: Option<&DateValue>) -> (Option<&str>, Option<String>, Option<String>) {
    match d {
        Some(d) => (
            Some(&d.raw),
            Some(instant(d.span.start)),
            Some(instant(d.span.end)),
        ),
        None => (None, None, None),
    }
}

/// One finding as the `findings` table holds it, with its claims.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingRow {
    pub subject: String,
    pub property: String,
    pub kind: String,
    pub unit: Option<String>,
    pub settled: bool,
    pub gap: Option<String>,
    pub relative_gap: f64,
    pub estimate: [Option<String>; 3],
    pub basis: Option<String>,
    pub undetermined: bool,
    pub summary: String,
    pub claims: Vec<FindingClaimRow>,
}

/// One claim of a finding: its full id, its role in the finding, whether it counts
/// (not marked false or retracted), its value in the finding's unit, and its as-of.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingClaimRow {
    pub claim: String,
    pub role: String,
    pub counts: bool,
    pub parsed: String,
    pub as_of: Option<String>,
}

/// The findings, in the order `conflicts` prints them: the one place that reads the
/// findings engine.
pub fn finding_rows(ledger: &Ledger, config: &Config) -> Vec<FindingRow> {
    let report = crate::findings::findings(ledger, config, None, None);
    report
        .findings
        .into_iter()
        .map(|f| {
            let claims = f
                .claims
                .iter()
                .map(|c| FindingClaimRow {
                    claim: c.full_id.clone(),
                    role: c.role.as_str().to_string(),
                    counts: c.counts,
                    parsed: c.parsed.clone(),
                    as_of: c.as_of.clone(),
                })
                .collect();
            let est = f.estimate.as_ref();
            FindingRow {
                kind: match f.kind {
                    Kind::Conflict => "conflict",
                    Kind::Revision => "revision",
                }
                .to_string(),
                estimate: [
                    est.and_then(|e| e.low.clone()),
                    est.and_then(|e| e.best.clone()),
                    est.and_then(|e| e.high.clone()),
                ],
                basis: est.map(|e| e.basis.clone()),
                undetermined: est.is_none_or(|e| e.undetermined || e.best.is_none()),
                subject: f.subject,
                property: f.property,
                unit: f.unit,
                settled: f.settled,
                gap: f.gap,
                relative_gap: f.relative_gap,
                summary: f.summary,
                claims,
            }
        })
        .collect()
}

/// Writes the findings (numbered from 1 in `conflicts` order) and their claims.
fn insert_findings(tx: &Transaction<'_>, rows: &[FindingRow]) -> rusqlite::Result<(usize, usize)> {
    let mut f_st = tx.prepare(
        "INSERT INTO findings VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let mut c_st = tx.prepare("INSERT INTO finding_claims VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
    let mut links = 0;
    for (n, f) in rows.iter().enumerate() {
        let id = n as i64 + 1;
        let [low, best, high] = &f.estimate;
        f_st.execute(params![
            id,
            f.subject,
            f.property,
            f.kind,
            f.unit,
            f.settled,
            f.gap,
            f.relative_gap,
            low,
            best,
            high,
            f.basis,
            f.undetermined,
            f.summary,
        ])?;
        for c in &f.claims {
            c_st.execute(params![id, c.claim, c.role, c.counts, c.parsed, c.as_of])?;
        }
        links += f.claims.len();
    }
    Ok((rows.len(), links))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Interval;

    #[test]
    fn an_open_ended_quantity_has_a_text_bound_and_no_real_on_its_open_side() {
        let b = Bounds::of(&Value::Quantity {
            raw: "more than 140".into(),
            interval: Interval {
                low: Bound::Excl(Decimal::from(140)),
                high: Bound::Unbounded,
            },
        });
        assert_eq!(b.low.as_deref(), Some("140"));
        assert_eq!(b.low_real, Some(140.0));
        assert_eq!(b.low_inclusive, Some(false));
        assert_eq!(b.high.as_deref(), Some("inf"));
        assert_eq!(b.high_real, None);
    }

    #[test]
    fn a_text_value_has_no_bounds() {
        let b = Bounds::of(&Value::Text {
            raw: "Kabul".into(),
        });
        assert_eq!(b, Bounds::default());
    }
}
