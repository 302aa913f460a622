//! The consistency rules an entry must keep with the ones before it (those of
//! [`crate::ledger::admit`]), checked over a whole log with compact keys: sources are
//! kept whole (a few per document), claims and status changes only as their ids' 32
//! bytes and their lines, resolved once the log is read. It reports exactly what folding
//! the log into a ledger reports, in the same words and order (a proptest compares the
//! two on generated logs).

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use rayon::prelude::*;

use super::scan::{ClaimFacts, Facts, What};
use crate::ledger::Inconsistency;
use crate::model::{to_hex, Source};

/// A source as verify keeps it: with its line, and its file's text once a quote needs it.
pub(super) struct KnownSource {
    pub source: Source,
    pub line: usize,
    /// The file's text, read on first need; `None`: no file, or unreadable.
    pub text: OnceLock<Option<String>>,
}

/// The log folded with compact keys.
#[derive(Default)]
pub(super) struct Fold {
    /// Entries read.
    pub entries: usize,
    /// Sources in log order, each id once (its first entry).
    pub sources: Vec<KnownSource>,
    source_index: HashMap<String, usize>,
    /// Claims that cite a known source and carry a hex id: (id, line).
    claims: Vec<([u8; 32], usize)>,
    /// Status changes of a hex claim id: (claim id, line).
    statuses: Vec<([u8; 32], usize)>,
    /// Ids written otherwise than as the lowercase hex of their key, by line: messages
    /// quote an id as written.
    written: HashMap<usize, String>,
    /// Entries that contradict earlier ones, known as the log is read.
    found: Vec<Inconsistency>,
    /// Entries of kinds a newer version wrote: per kind, how many and the first line.
    pub unknown: BTreeMap<String, (usize, usize)>,
}

impl Fold {
    /// A source's place in [`Fold::sources`].
    pub fn source_at(&self, id: &str) -> Option<usize> {
        self.source_index.get(id).copied()
    }

    /// A claim's source, if known.
    pub fn claim_source(&self, c: &ClaimFacts<'_>) -> Option<&KnownSource> {
        let at = c.source_at.or_else(|| self.source_at(&c.source))?;
        Some(&self.sources[at])
    }

    /// Folds the next line, in log order.
    pub fn line(&mut self, f: &Facts<'_>) {
        self.entries += 1;
        if let Err(what) = self.apply(f) {
            self.found.push(Inconsistency { line: f.line, what });
        }
    }

    fn apply(&mut self, f: &Facts<'_>) -> Result<(), String> {
        match &f.what {
            What::Unknown(kind) => {
                self.unknown.entry(kind.clone()).or_insert((0, f.line)).0 += 1;
            }
            What::Source(s) => {
                if let Some(&i) = self.source_index.get(&s.id) {
                    return Err(format!(
                        "source {:?} was already added on line {}",
                        s.id, self.sources[i].line
                    ));
                }
                self.source_index.insert(s.id.clone(), self.sources.len());
                self.sources.push(KnownSource {
                    source: (**s).clone(),
                    line: f.line,
                    text: OnceLock::new(),
                });
            }
            What::Claim(c) => {
                if c.source_at.is_none() && !self.source_index.contains_key(c.source.as_ref()) {
                    return Err(format!(
                        "claim {} cites unknown source {:?}",
                        c.id, c.source
                    ));
                }
                let Some(key) = c.key else {
                    return Err(format!("claim id {:?} is not 64 hex digits", c.id));
                };
                // An id that matches its content is the lowercase hex of its key.
                if c.computed.is_some() {
                    self.keep_written(f.line, &key, &c.id);
                }
                self.claims.push((key, f.line));
            }
            What::Status { claim, key } => {
                let Some(key) = key else {
                    return Err(format!("status change for unknown claim {claim}"));
                };
                self.keep_written(f.line, key, claim);
                self.statuses.push((*key, f.line));
            }
            What::Batch(_) | What::Import => {}
        }
        Ok(())
    }

    fn keep_written(&mut self, line: usize, key: &[u8; 32], id: &str) {
        if !crate::log::view::is_hex_of(key, id) {
            self.written.insert(line, id.to_string());
        }
    }

    /// Resolves claims and status changes in log order: a claim whose id was logged
    /// before is a duplicate; a status change needs its claim logged before it. Returns
    /// every inconsistency, in log order, and how many claims the ledger holds.
    pub fn finish(mut self) -> (Vec<Inconsistency>, usize) {
        // By id, then line: the first of each id is the claim, the rest duplicates.
        // Most ids differ in their first 8 bytes: compare those as a number first.
        let prefix = |k: &[u8; 32]| u64::from_be_bytes(k[..8].try_into().expect("8 bytes"));
        self.claims
            .par_sort_unstable_by(|a, b| (prefix(&a.0), a).cmp(&(prefix(&b.0), b)));
        let written = |line: usize, key: &[u8; 32]| {
            self.written
                .get(&line)
                .cloned()
                .unwrap_or_else(|| to_hex(key))
        };
        let mut found = self.found;
        let mut held = 0;
        for same in self.claims.chunk_by(|a, b| a.0 == b.0) {
            held += 1;
            let first = same[0].1;
            for &(key, line) in &same[1..] {
                let id = written(line, &key);
                found.push(Inconsistency {
                    line,
                    what: format!("claim {id} was already logged on line {first}"),
                });
            }
        }
        for &(key, line) in &self.statuses {
            let at = self
                .claims
                .partition_point(|c| (prefix(&c.0), &c.0) < (prefix(&key), &key));
            let known = self
                .claims
                .get(at)
                .is_some_and(|c| c.0 == key && c.1 < line);
            if !known {
                let id = written(line, &key);
                found.push(Inconsistency {
                    line,
                    what: format!("status change for unknown claim {id}"),
                });
            }
        }
        // One inconsistency at most per line: sorting restores log order.
        found.par_sort_unstable_by_key(|i| i.line);
        (found, held)
    }
}
