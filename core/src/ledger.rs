//! A ledger's current state, folded from its log: sources, claims, each claim's status
//! history. Owns lookups (sources by id, claims by id prefix) and the consistency rules
//! an entry must keep with the ones before it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::log::{Line, TornTail};
use crate::model::{Claim, Entry, Source, Status, StatusChange};

/// Where and by whom an entry was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Stamp {
    pub line: usize,
    pub seq: u64,
    /// Shared with neighbouring entries when equal: bulk imports stamp thousands alike.
    pub at: Arc<str>,
    pub by: Arc<str>,
}

/// A source as the ledger holds it.
#[derive(Clone, Debug)]
pub struct SourceState {
    pub source: Source,
    pub stamp: Stamp,
}

/// A claim and its status history.
#[derive(Clone, Debug)]
pub struct ClaimState {
    pub claim: Claim,
    pub stamp: Stamp,
    pub history: Vec<(StatusChange, Stamp)>,
}

impl ClaimState {
    /// The latest status, `unverified` when none was set.
    pub fn status(&self) -> Status {
        self.history
            .last()
            .map_or(Status::Unverified, |(c, _)| c.status)
    }
}

/// An entry that does not fit with those before it (a hand edit or a bad merge).
#[derive(Clone, Debug, PartialEq)]
pub struct Inconsistency {
    pub line: usize,
    pub what: String,
}

/// The folded state of a ledger.
#[derive(Debug, Default)]
pub struct Ledger {
    /// The ledger directory.
    pub dir: PathBuf,
    pub sources: Vec<SourceState>,
    pub claims: Vec<ClaimState>,
    /// Number of entries read.
    pub entries: usize,
    pub torn: Option<TornTail>,
    /// Entries that were skipped because they contradict earlier ones.
    pub inconsistencies: Vec<Inconsistency>,
    /// Entries of kinds a newer version wrote, skipped: per kind, how many and the
    /// first line.
    pub unknown: std::collections::BTreeMap<String, (usize, usize)>,
    source_index: HashMap<String, usize>,
    /// By the id's 32 bytes (half the memory of its hex, for millions of claims): the
    /// claim's place in `claims` (`usize::MAX` when bodies are not kept) and its line.
    claim_index: HashMap<[u8; 32], (usize, usize)>,
    /// Whether claims are kept whole, or only indexed (see [`Ledger::index_only`]).
    drop_claims: bool,
    last_at: Option<Arc<str>>,
    last_by: Option<Arc<str>>,
    /// For a ledger holding only part of the log's claims (read through the index):
    /// what it knows of the whole.
    whole: Option<Whole>,
}

/// What a ledger holding only some claims (those a command needs, read through the
/// index) knows of the whole log, so that it answers as the whole ledger would.
#[derive(Clone, Debug, Default)]
pub struct Whole {
    /// Every subject, in first-seen order; or, when every subject the command asks
    /// about is known, only those (the rest serve only near matches of an unknown one).
    pub subjects: Vec<String>,
    /// Every property, in first-seen order.
    pub properties: Vec<String>,
    /// How many claims cite each source.
    pub claims_per_source: HashMap<String, usize>,
    /// How many claims the log holds.
    pub claims: usize,
}

/// Why a lookup or a new entry failed.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("unknown source {id:?}{hint}. Add it first with `factledger source add {id} --title ...`, or list sources with `factledger source list`")]
    UnknownSource { id: String, hint: String },
    #[error("source {id:?} already exists (line {line} of the log); pick another id")]
    DuplicateSource { id: String, line: usize },
    #[error("this claim is already in the ledger as {id} (line {line} of the log): same source, subject, property, value, unit, as-of and quote. Nothing was written")]
    DuplicateClaim { id: String, line: usize },
    #[error("no claim has an id starting with {prefix:?}; `factledger list` shows the ids")]
    UnknownClaim { prefix: String },
    #[error("claim id prefix {prefix:?} is ambiguous: it starts {candidates}. Give more digits")]
    AmbiguousPrefix { prefix: String, candidates: String },
    #[error(
        "{prefix:?} is not a claim id: give 4 to 64 hex digits, as `factledger list` shows them"
    )]
    BadPrefix { prefix: String },
}

/// A full claim id (64 hex) as bytes.
pub fn id_key(id: &str) -> Option<[u8; 32]> {
    let mut b = [0u8; 32];
    hex::decode_to_slice(id, &mut b).ok()?;
    Some(b)
}

/// What the consistency rules need to know of the entries before one: the folded
/// [`Ledger`] knows it, and so does the index (see `crate::index`).
pub trait Seen {
    /// The line the source with this id was added on.
    fn source_line(&self, id: &str) -> Option<usize>;
    /// The line the claim with this id (as bytes) was logged on.
    fn claim_line(&self, key: &[u8; 32]) -> Option<usize>;
}

/// Whether `entry` fits with the entries before it; if not, why (the text every reader
/// and `verify` give). The one place these rules live, so that the ledger and the index
/// skip the same entries.
pub fn admit(entry: &Entry, seen: &impl Seen) -> Result<(), String> {
    match entry {
        Entry::Source(s) => match seen.source_line(&s.id) {
            Some(line) => Err(format!(
                "source {:?} was already added on line {line}",
                s.id
            )),
            None => Ok(()),
        },
        Entry::Claim(c) => {
            if seen.source_line(&c.source).is_none() {
                return Err(format!(
                    "claim {} cites unknown source {:?}",
                    &c.id, c.source
                ));
            }
            let Some(key) = id_key(&c.id) else {
                return Err(format!("claim id {:?} is not 64 hex digits", c.id));
            };
            match seen.claim_line(&key) {
                Some(line) => Err(format!("claim {} was already logged on line {line}", &c.id)),
                None => Ok(()),
            }
        }
        Entry::Status(s) => match id_key(&s.claim).and_then(|k| seen.claim_line(&k)) {
            Some(_) => Ok(()),
            None => Err(format!("status change for unknown claim {}", s.claim)),
        },
        Entry::Batch(_) | Entry::Import(_) | Entry::Unknown(_) => Ok(()),
    }
}

impl Seen for Ledger {
    fn source_line(&self, id: &str) -> Option<usize> {
        self.source_index
            .get(id)
            .map(|&i| self.sources[i].stamp.line)
    }

    fn claim_line(&self, key: &[u8; 32]) -> Option<usize> {
        self.claim_index.get(key).map(|&(_, line)| line)
    }
}

/// Near matches of `word` among `known`, for "did you mean" hints.
pub fn near_matches<'a>(word: &str, known: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut found: Vec<(usize, &str)> = known
        .filter(|k| *k != word)
        .filter_map(|k| {
            let d = edit_distance(word, k);
            let close = d <= 2.max(word.len() / 5) || k.contains(word) || word.contains(k);
            close.then_some((d, k))
        })
        .collect();
    found.sort();
    found.dedup();
    found.into_iter().take(3).map(|(_, k)| k).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

impl Ledger {
    /// Folds a log as `read` streams it (see [`crate::log::stream_log`]).
    pub fn load<E>(
        dir: &Path,
        read: impl FnOnce(&mut crate::log::Sink<'_, E>) -> Result<Option<TornTail>, E>,
    ) -> Result<Ledger, E> {
        let mut ledger = Ledger::empty(dir);
        ledger.torn = read(&mut |lines| {
            ledger.push_lines(lines);
            Ok(())
        })?;
        Ok(ledger)
    }

    /// A ledger that checks every entry as [`Ledger::empty`] does but keeps only the
    /// claims' ids, not their bodies: for a pass over a large log that looks at each
    /// claim once, as `verify` does.
    pub fn index_only(dir: &Path) -> Ledger {
        Ledger {
            drop_claims: true,
            ..Ledger::empty(dir)
        }
    }

    /// How many claims the ledger holds (also when their bodies are not kept).
    pub fn claim_count(&self) -> usize {
        self.whole
            .as_ref()
            .map_or(self.claim_index.len(), |w| w.claims)
    }

    /// A ledger to [`Ledger::push_lines`] some of a log's entries into: those a command
    /// needs (every source, and the claims it asks about with their status changes, in
    /// log order), with `whole` saying what it needs to know of the rest.
    pub fn partial(dir: &Path, whole: Whole) -> Ledger {
        Ledger {
            whole: Some(whole),
            ..Ledger::empty(dir)
        }
    }

    /// Whether this ledger holds only some of the log's claims (see [`Ledger::partial`]).
    pub fn is_partial(&self) -> bool {
        self.whole.is_some()
    }

    /// A ledger with nothing in it yet, to [`Ledger::push_lines`] into.
    pub fn empty(dir: &Path) -> Ledger {
        Ledger {
            dir: dir.to_path_buf(),
            ..Ledger::default()
        }
    }

    /// Folds the next records of the log, in order.
    pub fn push_lines(&mut self, lines: Vec<Line>) {
        fn intern(last: &mut Option<Arc<str>>, s: String) -> Arc<str> {
            match last {
                Some(a) if **a == *s => a.clone(),
                _ => {
                    let a: Arc<str> = s.into();
                    *last = Some(a.clone());
                    a
                }
            }
        }
        for line in lines {
            self.entries += 1;
            let r = line.record;
            let stamp = Stamp {
                line: line.line,
                seq: r.seq,
                at: intern(&mut self.last_at, r.at),
                by: intern(&mut self.last_by, r.by),
            };
            if let Entry::Unknown(u) = &r.entry {
                self.unknown
                    .entry(u.kind.clone())
                    .or_insert((0, line.line))
                    .0 += 1;
                continue;
            }
            if let Err(what) = self.apply(r.entry, stamp) {
                self.inconsistencies.push(Inconsistency {
                    line: line.line,
                    what,
                });
            }
        }
    }

    fn apply(&mut self, entry: Entry, stamp: Stamp) -> Result<(), String> {
        admit(&entry, self)?;
        match entry {
            Entry::Source(s) => {
                self.source_index.insert(s.id.clone(), self.sources.len());
                self.sources.push(SourceState { source: s, stamp });
            }
            Entry::Claim(c) => {
                let key = id_key(&c.id).expect("admit checked the id");
                if self.drop_claims {
                    self.claim_index.insert(key, (usize::MAX, stamp.line));
                } else {
                    self.claim_index
                        .insert(key, (self.claims.len(), stamp.line));
                    self.claims.push(ClaimState {
                        claim: c,
                        stamp,
                        history: Vec::new(),
                    });
                }
            }
            // A batch header only frames the entries after it; unknown kinds were
            // counted before they got here.
            Entry::Batch(_) | Entry::Import(_) | Entry::Unknown(_) => {}
            Entry::Status(s) => {
                let key = id_key(&s.claim).expect("admit checked the id");
                let (i, _) = self.claim_index[&key];
                if let Some(c) = self.claims.get_mut(i) {
                    // A git merge appends one branch's changes after the other's: time,
                    // not log order, says which change is current (ties: log order).
                    let at = c.history.partition_point(|(_, st)| st.at <= stamp.at);
                    c.history.insert(at, (s, stamp));
                }
            }
        }
        Ok(())
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Option<&SourceState> {
        self.source_index.get(id).map(|&i| &self.sources[i])
    }

    /// A source by id, or an error that names near matches.
    pub fn require_source(&self, id: &str) -> Result<&SourceState, LedgerError> {
        self.source(id).ok_or_else(|| {
            let near = near_matches(id, self.sources.iter().map(|s| s.source.id.as_str()));
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!(" (did you mean {}?)", near.join(", "))
            };
            LedgerError::UnknownSource {
                id: id.to_string(),
                hint,
            }
        })
    }

    /// A claim by its full id.
    pub fn claim(&self, id: &str) -> Option<&ClaimState> {
        let (i, _) = *self.claim_index.get(&id_key(id)?)?;
        self.claims.get(i)
    }

    /// Fails if a claim with this id is already logged.
    pub fn check_new_claim(&self, id: &str) -> Result<(), LedgerError> {
        match self.claim(id) {
            Some(c) => Err(LedgerError::DuplicateClaim {
                id: crate::model::short_id(id).to_string(),
                line: c.stamp.line,
            }),
            None => Ok(()),
        }
    }

    /// Fails if a source with this id exists.
    pub fn check_new_source(&self, id: &str) -> Result<(), LedgerError> {
        match self.source(id) {
            Some(s) => Err(LedgerError::DuplicateSource {
                id: id.to_string(),
                line: s.stamp.line,
            }),
            None => Ok(()),
        }
    }

    /// The one claim whose id starts with `prefix` (4 to 64 hex digits).
    pub fn resolve(&self, prefix: &str) -> Result<&ClaimState, LedgerError> {
        let p = prefix.trim().to_ascii_lowercase();
        if p.len() < 4 || p.len() > 64 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(LedgerError::BadPrefix {
                prefix: prefix.to_string(),
            });
        }
        let mut found = self.claims.iter().filter(|c| c.claim.id.starts_with(&p));
        let first = found.next().ok_or_else(|| LedgerError::UnknownClaim {
            prefix: prefix.to_string(),
        })?;
        let rest: Vec<_> = found.collect();
        if rest.is_empty() {
            return Ok(first);
        }
        let candidates = std::iter::once(first)
            .chain(rest)
            .map(|c| {
                format!(
                    "{} ({} {})",
                    crate::model::short_id(&c.claim.id),
                    c.claim.subject,
                    c.claim.property
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        Err(LedgerError::AmbiguousPrefix {
            prefix: prefix.to_string(),
            candidates,
        })
    }

    /// The directory source files are relative to: the one holding the ledger directory.
    pub fn root(&self) -> PathBuf {
        self.dir
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// How many claims cite each source.
    pub fn claims_per_source(&self) -> HashMap<&str, usize> {
        if let Some(w) = &self.whole {
            return w
                .claims_per_source
                .iter()
                .map(|(k, v)| (k.as_str(), *v))
                .collect();
        }
        let mut counts = HashMap::new();
        for c in &self.claims {
            *counts.entry(c.claim.source.as_str()).or_insert(0) += 1;
        }
        counts
    }

    /// Distinct subjects, in first-seen order.
    pub fn subjects(&self) -> Vec<&str> {
        if let Some(w) = &self.whole {
            return w.subjects.iter().map(String::as_str).collect();
        }
        let mut seen = std::collections::HashSet::new();
        self.claims
            .iter()
            .map(|c| c.claim.subject.as_str())
            .filter(|s| seen.insert(*s))
            .collect()
    }

    /// Distinct properties, in first-seen order.
    pub fn properties(&self) -> Vec<&str> {
        if let Some(w) = &self.whole {
            return w.properties.iter().map(String::as_str).collect();
        }
        let mut seen = std::collections::HashSet::new();
        self.claims
            .iter()
            .map(|c| c.claim.property.as_str())
            .filter(|s| seen.insert(*s))
            .collect()
    }
}
