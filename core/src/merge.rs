//! Merging two branches' logs, as git's merge driver for `log.ron`: our log is kept byte
//! for byte (so checkpoints signed on it stay valid) and the entries their branch added
//! that ours lacks are appended after it, in their order, re-chained through the log's
//! write path. An entry is matched by content, never by position or hash: claims and
//! sources by id, status changes by who, when and what.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::log::{encode_entry, encode_str, parse_log, Log, LogError, Prepared, ReadMode};
use crate::model::{Entry, Record};

/// Why two logs cannot be merged (git then reports a conflict).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Log(#[from] LogError),
    #[error("{path}: the last line is torn (line {line}); run `factledger recover` on that branch first")]
    Torn { path: PathBuf, line: usize },
    #[error("source {id:?} was added on both branches with different details (our line {ours}, their line {theirs}); one of them must take another id before the merge")]
    SourceClash {
        id: String,
        ours: usize,
        theirs: usize,
    },
}

/// A claim whose status both branches changed since they forked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BothChanged {
    pub claim: String,
    /// (status, by, at) of each branch's latest change.
    pub ours: (String, String, String),
    pub theirs: (String, String, String),
}

/// What a merge did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Entries of theirs appended to ours.
    pub appended: usize,
    /// Entries theirs added that ours already had.
    pub already: usize,
    pub both_changed: Vec<BothChanged>,
}

fn read_records(path: &Path) -> Result<Vec<(usize, Record)>, MergeError> {
    let bytes = std::fs::read(path).map_err(|source| MergeError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let c = parse_log(path, &bytes, ReadMode::Parse)?;
    if let Some(t) = c.torn {
        return Err(MergeError::Torn {
            path: path.to_path_buf(),
            line: t.line,
        });
    }
    Ok(c.lines.into_iter().map(|l| (l.line, l.record)).collect())
}

/// What makes two entries the same entry on both branches.
fn key(r: &Record) -> String {
    match &r.entry {
        Entry::Source(s) => format!("source\0{}", s.id),
        Entry::Claim(c) => format!("claim\0{}", c.id),
        Entry::Unknown(u) => format!("{}\0{}\0{}", r.at, r.by, u.raw),
        // A re-chained entry keeps its time, author and content: those identify it.
        e => format!(
            "{}\0{}\0{}",
            r.at,
            r.by,
            encode_entry(e).unwrap_or_default()
        ),
    }
}

/// The records of theirs to append to ours, and the claims both branches re-judged.
fn plan(
    base: &[(usize, Record)],
    ours: &[(usize, Record)],
    theirs: &[(usize, Record)],
) -> Result<(Vec<Record>, MergeReport), MergeError> {
    let base_hashes: HashSet<&str> = base.iter().map(|(_, r)| r.hash.as_str()).collect();
    let ours_keys: HashMap<String, (usize, &Record)> =
        ours.iter().map(|(l, r)| (key(r), (*l, r))).collect();
    let mut report = MergeReport::default();
    let mut append = Vec::new();
    for (line, r) in theirs {
        // A batch header frames the write it began; the merge's own write gets its own.
        if base_hashes.contains(r.hash.as_str()) || matches!(r.entry, Entry::Batch(_)) {
            continue;
        }
        match ours_keys.get(&key(r)) {
            Some((our_line, ours_r)) => {
                if let (Entry::Source(a), Entry::Source(b)) = (&ours_r.entry, &r.entry) {
                    if a != b {
                        return Err(MergeError::SourceClash {
                            id: a.id.clone(),
                            ours: *our_line,
                            theirs: *line,
                        });
                    }
                }
                report.already += 1;
            }
            None => append.push(r.clone()),
        }
    }
    report.appended = append.len();
    report.both_changed = both_changed(&base_hashes, ours, &append);
    Ok((append, report))
}

/// Claims whose status both sides changed after the fork: the latest change of each.
fn both_changed(
    base: &HashSet<&str>,
    ours: &[(usize, Record)],
    theirs_new: &[Record],
) -> Vec<BothChanged> {
    let latest = |records: &mut dyn Iterator<Item = &Record>| {
        let mut m: HashMap<String, (String, String, String)> = HashMap::new();
        for r in records {
            if let Entry::Status(s) = &r.entry {
                m.insert(
                    s.claim.clone(),
                    (s.status.to_string(), r.by.clone(), r.at.clone()),
                );
            }
        }
        m
    };
    let ours_new = latest(
        &mut ours
            .iter()
            .map(|(_, r)| r)
            .filter(|r| !base.contains(r.hash.as_str())),
    );
    let theirs_new = latest(&mut theirs_new.iter());
    let mut out: Vec<BothChanged> = theirs_new
        .into_iter()
        .filter_map(|(claim, theirs)| {
            let ours = ours_new.get(&claim)?.clone();
            Some(BothChanged {
                claim,
                ours,
                theirs,
            })
        })
        .collect();
    out.sort_by(|a, b| a.claim.cmp(&b.claim));
    out
}

/// Merges the logs at `base`, `ours` and `theirs` into `ours` (git's %O %A %B). On any
/// error `ours` is left as it was.
pub fn merge_files(base: &Path, ours: &Path, theirs: &Path) -> Result<MergeReport, MergeError> {
    let base_records = read_records(base).or_else(|e| match e {
        // A log created on both branches has no common ancestor: git gives an empty one.
        MergeError::Io { .. } => Ok(Vec::new()),
        e => Err(e),
    })?;
    let ours_records = read_records(ours)?;
    let theirs_records = read_records(theirs)?;
    let (append, report) = plan(&base_records, &ours_records, &theirs_records)?;
    if append.is_empty() {
        return Ok(report);
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| MergeError::Io { path, source }
    };
    // Append in a private copy through the log's own write path, then move the result
    // over ours in one rename, so that a failure leaves ours untouched.
    let parent = ours
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let work = tempfile::tempdir_in(parent).map_err(io(parent))?;
    let copy = work.path().join(crate::log::LOG_FILE);
    std::fs::copy(ours, &copy).map_err(io(&copy))?;
    Log::in_dir(work.path()).with_write_lock(|w| {
        // One transaction: the whole of their entries, or (on any error) none.
        let mut batch = Prepared::new(&w.tail()?);
        let encode = |what: String| LogError::Encode {
            path: ours.to_path_buf(),
            what,
        };
        for r in &append {
            let entry = match &r.entry {
                Entry::Unknown(u) => u.raw.clone(),
                e => encode_entry(e).map_err(encode)?,
            };
            let (at, by) = (
                encode_str(&r.at).map_err(encode)?,
                encode_str(&r.by).map_err(encode)?,
            );
            batch
                .push_encoded(&at, &by, &entry)
                .map_err(|e| encode(e.to_string()))?;
        }
        w.commit(batch).map(|_| ())
    })?;
    std::fs::rename(&copy, ours).map_err(io(ours))?;
    Ok(report)
}
