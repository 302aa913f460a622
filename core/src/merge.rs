//! Merging two branches' logs, as git's merge driver for `log.ron`: our log is kept byte
//! for byte (so checkpoints signed on it stay valid) and the entries their branch added
//! that ours lacks are appended after it, in their order, re-chained through the log's
//! write path. An entry is matched by content, never by position or hash: claims and
//! sources by id, status changes by who, when and what.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::log::{encode_entry, encode_str, stream_log, Log, LogError, Prepared, ReadMode};
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

/// Streams a log's records to `each` a chunk at a time (a merge of large logs holds
/// only what it keeps); a torn tail is an error.
fn stream(path: &Path, each: &mut (dyn FnMut(usize, Record) + Send)) -> Result<(), MergeError> {
    let io = |source| MergeError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let torn = stream_log::<LogError>(path, &mut file, len, ReadMode::Parse, &mut |lines| {
        for l in lines {
            each(l.line, l.record);
        }
        Ok(())
    })?;
    match torn {
        Some(t) => Err(MergeError::Torn {
            path: path.to_path_buf(),
            line: t.line,
        }),
        None => Ok(()),
    }
}

/// What makes two entries the same entry on both branches, as a digest (a merge of
/// million-entry logs keeps one per entry of ours).
fn key(r: &Record) -> [u8; 32] {
    let text = match &r.entry {
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
    };
    Sha256::digest(text.as_bytes()).into()
}

fn hash_bytes(r: &Record) -> [u8; 32] {
    let mut b = [0u8; 32];
    // A hand-made hash that is not hex matches no other: it stays all zeros.
    let _ = hex::decode_to_slice(&r.hash, &mut b);
    b
}

/// The latest status change per claim: (status, by, at).
type Latest = HashMap<String, (String, String, String)>;

fn note_status(latest: &mut Latest, r: &Record) {
    if let Entry::Status(s) = &r.entry {
        latest.insert(
            s.claim.clone(),
            (s.status.to_string(), r.by.clone(), r.at.clone()),
        );
    }
}

/// What a merge keeps of our log: every entry's key, our sources, and the status
/// changes we made after the fork.
#[derive(Default)]
struct Ours {
    keys: HashMap<[u8; 32], usize>,
    sources: HashMap<String, (usize, crate::model::Source)>,
    new_status: Latest,
}

/// The records of theirs to append to ours, and what the merge reports.
fn plan(base: &Path, ours: &Path, theirs: &Path) -> Result<(Vec<Record>, MergeReport), MergeError> {
    let mut base_hashes: HashSet<[u8; 32]> = HashSet::new();
    match stream(base, &mut |_, r| {
        base_hashes.insert(hash_bytes(&r));
    }) {
        // A log created on both branches has no common ancestor: git gives an empty one.
        Err(MergeError::Io { .. }) => base_hashes.clear(),
        other => other?,
    }
    let mut o = Ours::default();
    stream(ours, &mut |line, r| {
        o.keys.insert(key(&r), line);
        if !base_hashes.contains(&hash_bytes(&r)) {
            note_status(&mut o.new_status, &r);
        }
        if let Entry::Source(s) = r.entry {
            o.sources.insert(s.id.clone(), (line, s));
        }
    })?;
    let mut report = MergeReport::default();
    let mut append = Vec::new();
    let mut clash = None;
    stream(theirs, &mut |line, r| {
        // A batch header frames the write it began; the merge's own write gets its own.
        if base_hashes.contains(&hash_bytes(&r)) || matches!(r.entry, Entry::Batch(_)) {
            return;
        }
        if !o.keys.contains_key(&key(&r)) {
            append.push(r);
            return;
        }
        report.already += 1;
        if let Entry::Source(b) = &r.entry {
            match o.sources.get(&b.id) {
                Some((our_line, a)) if a != b && clash.is_none() => {
                    clash = Some(MergeError::SourceClash {
                        id: a.id.clone(),
                        ours: *our_line,
                        theirs: line,
                    })
                }
                _ => {}
            }
        }
    })?;
    if let Some(e) = clash {
        return Err(e);
    }
    let mut theirs_new = Latest::new();
    for r in &append {
        note_status(&mut theirs_new, r);
    }
    report.appended = append.len();
    report.both_changed = both_changed(&o.new_status, theirs_new);
    Ok((append, report))
}

/// Claims whose status both sides changed after the fork: the latest change of each.
fn both_changed(ours_new: &Latest, theirs_new: Latest) -> Vec<BothChanged> {
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
    let (append, report) = plan(base, ours, theirs)?;
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
