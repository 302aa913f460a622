//! The claims a report is built from, compact: per claim its id as bytes, its subject,
//! property, source, unit and raw value interned, the parsed value, the as-of it was
//! current at and its status; never its quote or note. Folded straight from the log a
//! chunk at a time, with the ledger's rules for which entries count applied by line
//! number (sources, and entries of unknown kinds, go through a [`Ledger`] that keeps
//! only them), or taken from a folded [`Ledger`].

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::ledger::{Inconsistency, Ledger};
use crate::log::{Line, Sink, TornTail};
use crate::model::{Claim, Entry, Status, Value};
use crate::time::TimeSpan;
use crate::value::Interval;

/// Interned strings: each distinct one kept once, numbered in first-seen order.
#[derive(Debug, Default)]
pub(super) struct Names {
    /// Hashed with FxHash: a million claims look up five names each.
    map: FxHashMap<Arc<str>, u32>,
    list: Vec<Arc<str>>,
}

impl Names {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.map.get(s) {
            return i;
        }
        let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        let a: Arc<str> = s.into();
        self.list.push(a.clone());
        self.map.insert(a, i);
        i
    }

    pub(super) fn get(&self, i: u32) -> &str {
        self.list.get(i as usize).map_or("", |s| s)
    }

    pub(super) fn len(&self) -> usize {
        self.list.len()
    }
}

/// A claim's value as findings compare it (text is folded from the raw value).
#[derive(Clone, Copy, Debug)]
pub(super) enum Parsed {
    Quantity(Interval),
    Date(TimeSpan),
    Text,
}

/// One claim, compact.
#[derive(Clone, Debug)]
pub(super) struct Fact {
    pub id: [u8; 32],
    pub subject: u32,
    pub property: u32,
    pub source: u32,
    /// Into [`Store::units`]; [`NONE`] without a unit.
    unit: u32,
    /// The value as written, into [`Store::raws`].
    pub raw: u32,
    pub value: Parsed,
    /// When the figure was current: the claim's as-of, else its source's published date.
    pub as_of: Option<TimeSpan>,
    pub status: Status,
    /// Into [`Store::odd_ids`] when the id is not 64 lowercase hex digits (a hand
    /// edit); else [`NONE`].
    odd: u32,
    /// The log line (u32: a log of four billion lines is far past any other limit).
    line: u32,
}

/// "None" in a [`Fact`]'s index fields: 4 bytes instead of an `Option`'s 8.
const NONE: u32 = u32::MAX;

impl Fact {
    /// The claim's unit, into [`Store::units`].
    pub(super) fn unit(&self) -> Option<u32> {
        (self.unit != NONE).then_some(self.unit)
    }
}

/// The claims a report is built from, and the ledger's sources.
#[derive(Debug, Default)]
pub struct Store {
    pub(super) facts: Vec<Fact>,
    pub(super) subjects: Names,
    pub(super) properties: Names,
    pub(super) sources: Names,
    pub(super) units: Names,
    pub(super) raws: Names,
    /// Every source id of the ledger (also those no claim cites), sorted.
    pub(super) source_ids: Vec<String>,
    /// Per interned source, its place in `source_ids`.
    pub(super) source_pos: Vec<usize>,
    /// Ids not in canonical form, as written.
    odd_ids: Vec<Box<str>>,
}

/// A status change waiting for the claims to be known.
struct Change {
    claim: String,
    status: Status,
    at: Arc<str>,
    line: usize,
}

/// What the log has given so far.
#[derive(Default)]
struct Loader {
    store: Store,
    changes: Vec<Change>,
    /// Claims whose id is not hex: (line, id, source).
    bad_ids: Vec<(usize, String, u32)>,
    last_at: Option<Arc<str>>,
}

impl Store {
    /// Folds a log of `log_bytes` bytes as `read` streams it (see
    /// [`crate::log::stream_log`]) into the claims findings need, and a ledger that
    /// holds the log's sources and state (torn tail, entries skipped as inconsistent or
    /// of unknown kinds) but no claim.
    pub fn load<E>(
        dir: &Path,
        log_bytes: u64,
        read: impl FnOnce(&mut Sink<'_, E>) -> Result<Option<TornTail>, E>,
    ) -> Result<(Ledger, Store), E> {
        let mut ledger = Ledger::empty(dir);
        let mut loader = Loader::default();
        // A claim's line holds three 64-digit hashes (prev, id, hash) and more: never
        // under 256 bytes. Room for that many claims is reserved at once, so the list
        // never grows by copying (twice its size for a moment); room never written to
        // costs address space, not memory.
        let most = usize::try_from(log_bytes / 256).unwrap_or(0);
        loader
            .store
            .facts
            .reserve(most.min(usize::MAX / 2 / size_of::<Fact>()));
        ledger.torn = read(&mut |lines| {
            loader.push(&mut ledger, lines);
            Ok(())
        })?;
        let store = loader.finish(&mut ledger);
        Ok((ledger, store))
    }

    /// The claims of a folded ledger. With `only` (a claim about to be logged), only
    /// the claims of its figure, the claim itself (unverified), and the claim it
    /// supersedes counted as retracted.
    pub(super) fn from_ledger(
        ledger: &Ledger,
        config: &crate::config::Config,
        only: Option<&Claim>,
    ) -> Store {
        let mut store = Store::default();
        let key = only.map(|c| (c.subject.as_str(), config.canonical_property(&c.property)));
        let claims = ledger.claims.iter().map(|c| (&c.claim, c.status()));
        let extra = only.map(|c| (c, Status::Unverified));
        for (claim, mut status) in claims.chain(extra) {
            let mine = (
                claim.subject.as_str(),
                config.canonical_property(&claim.property),
            );
            if key.is_some_and(|k| k != mine) {
                continue;
            }
            if only.is_some_and(|e| e.supersedes.as_deref() == Some(claim.id.as_str())) {
                status = Status::Retracted;
            }
            let (mut f, _) = store.fact(claim, 0);
            f.status = status;
            f.as_of = f.as_of.or_else(|| published(ledger, &claim.source));
            store.facts.push(f);
        }
        let mut ids: Vec<String> = ledger.sources.iter().map(|s| s.source.id.clone()).collect();
        ids.extend(only.map(|c| c.source.clone()));
        store.set_sources(ids);
        store
    }

    /// A claim as a compact fact (its status and as-of fallback are set later), and
    /// whether its id is hex at all (the ledger skips a claim whose id is not).
    fn fact(&mut self, c: &Claim, line: usize) -> (Fact, bool) {
        let (id, hex, canonical) = match id_bytes(&c.id) {
            Some((id, lower)) => (id, true, lower),
            None => ([0u8; 32], false, false),
        };
        let (raw, value) = match &c.value {
            Value::Quantity { raw, interval } => (raw.as_str(), Parsed::Quantity(*interval)),
            Value::Date(d) => (d.raw.as_str(), Parsed::Date(d.span)),
            Value::Text { raw } => (raw.as_str(), Parsed::Text),
        };
        let fact = Fact {
            id,
            subject: self.subjects.id(&c.subject),
            property: self.properties.id(&c.property),
            source: self.sources.id(&c.source),
            unit: c.unit.as_deref().map_or(NONE, |u| self.units.id(u)),
            raw: self.raws.id(raw),
            value,
            as_of: c.as_of.as_ref().map(|a| a.span),
            status: Status::Unverified,
            odd: if canonical {
                NONE
            } else {
                self.odd_ids.push(c.id.as_str().into());
                u32::try_from(self.odd_ids.len() - 1).unwrap_or(NONE)
            },
            line: u32::try_from(line).unwrap_or(u32::MAX),
        };
        (fact, hex)
    }

    /// Records the ledger's source ids, sorted, and each interned source's place.
    fn set_sources(&mut self, mut ids: Vec<String>) {
        ids.sort();
        ids.dedup();
        self.source_pos = (0..self.sources.len() as u32)
            .map(|i| {
                ids.binary_search_by(|s| s.as_str().cmp(self.sources.get(i)))
                    .unwrap_or(0)
            })
            .collect();
        self.source_ids = ids;
    }

    /// A claim's id as the report prints it.
    pub(super) fn id_text(&self, f: &Fact) -> String {
        self.id_str(f).into_owned()
    }

    fn id_str(&self, f: &Fact) -> Cow<'_, str> {
        match self.odd_ids.get(f.odd as usize) {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(hex_of(&f.id)),
        }
    }

    /// A claim's short id (its first 12 characters).
    pub(super) fn short_text(&self, f: &Fact) -> String {
        match self.odd_ids.get(f.odd as usize) {
            Some(s) => crate::model::short_id(s).to_string(),
            None => hex_of(&f.id[..6]),
        }
    }

    /// Orders claims by id as text, as the ledger's string ids order.
    pub(super) fn id_cmp(&self, a: &Fact, b: &Fact) -> std::cmp::Ordering {
        match (a.odd, b.odd) {
            (NONE, NONE) => a.id.cmp(&b.id),
            _ => self.id_str(a).cmp(&self.id_str(b)),
        }
    }

    /// Subjects of the claims held, in first-seen order.
    pub fn subjects(&self) -> Vec<&str> {
        self.used(|f| f.subject, &self.subjects)
    }

    /// Properties of the claims held, in first-seen order.
    pub fn properties(&self) -> Vec<&str> {
        self.used(|f| f.property, &self.properties)
    }

    fn used<'a>(&'a self, of: impl Fn(&Fact) -> u32, names: &'a Names) -> Vec<&'a str> {
        let mut seen = vec![false; names.len()];
        let mut out = Vec::new();
        for f in &self.facts {
            let i = of(f) as usize;
            if seen.get(i) == Some(&false) {
                seen[i] = true;
                out.push(names.get(i as u32));
            }
        }
        out
    }

    /// How many claims the store holds.
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// Whether the store holds no claim.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }
}

/// A claim id's 32 bytes when it is 64 hex digits (of either case, as the ledger takes
/// them), and whether every letter is lowercase. A table lookup per digit: a million
/// ids are read.
fn id_bytes(id: &str) -> Option<([u8; 32], bool)> {
    let digits: &[u8; 64] = id.as_bytes().try_into().ok()?;
    let value = |d: u8| match d {
        b'0'..=b'9' => Some((d - b'0', true)),
        b'a'..=b'f' => Some((d - b'a' + 10, true)),
        b'A'..=b'F' => Some((d - b'A' + 10, false)),
        _ => None,
    };
    let mut out = [0u8; 32];
    let mut lower = true;
    for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let (hi, a) = value(pair[0])?;
        let (lo, b) = value(pair[1])?;
        *o = hi << 4 | lo;
        lower &= a && b;
    }
    Some((out, lower))
}

/// Lowercase hex, as claim ids are written: a report writes a few million of them.
fn hex_of(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

fn published(ledger: &Ledger, source: &str) -> Option<TimeSpan> {
    ledger
        .source(source)
        .and_then(|s| s.source.published.as_ref().map(|p| p.span))
}

impl Loader {
    /// Takes the next records of the log: claims and status changes are kept compact,
    /// everything else goes to the ledger.
    fn push(&mut self, ledger: &mut Ledger, lines: Vec<Line>) {
        let mut rest = Vec::new();
        for line in lines {
            match &line.record.entry {
                Entry::Claim(c) => {
                    ledger.entries += 1;
                    let (f, hex) = self.store.fact(c, line.line);
                    if !hex {
                        self.bad_ids.push((line.line, c.id.clone(), f.source));
                    } else {
                        self.store.facts.push(f);
                    }
                }
                Entry::Status(s) => {
                    ledger.entries += 1;
                    let at = match &self.last_at {
                        Some(a) if **a == *line.record.at => a.clone(),
                        _ => {
                            let a: Arc<str> = line.record.at.as_str().into();
                            self.last_at = Some(a.clone());
                            a
                        }
                    };
                    self.changes.push(Change {
                        claim: s.claim.clone(),
                        status: s.status,
                        at,
                        line: line.line,
                    });
                }
                _ => rest.push(line),
            }
        }
        ledger.push_lines(rest);
    }

    /// Applies the ledger's rules by line number once every source is known: a claim
    /// must cite a source added before it and not repeat an id logged before it; a
    /// status change must follow its claim, and the latest (by time, then log order)
    /// is the claim's status.
    fn finish(self, ledger: &mut Ledger) -> Store {
        let Loader {
            mut store,
            changes,
            bad_ids,
            ..
        } = self;
        let mut skipped = Vec::new();
        let known = |store: &Store, source: u32, line: usize| {
            ledger
                .source(store.sources.get(source))
                .is_some_and(|s| s.stamp.line < line)
        };
        let line_of = |f: &Fact| f.line as usize;
        for (line, id, source) in bad_ids {
            let what = if known(&store, source, line) {
                format!("claim id {id:?} is not 64 hex digits")
            } else {
                unknown_source(&id, store.sources.get(source))
            };
            skipped.push(Inconsistency { line, what });
        }
        let mut keep = vec![true; store.facts.len()];
        for (i, f) in store.facts.iter().enumerate() {
            if !known(&store, f.source, line_of(f)) {
                keep[i] = false;
                let what = unknown_source(&store.id_text(f), store.sources.get(f.source));
                skipped.push(Inconsistency {
                    line: line_of(f),
                    what,
                });
            }
        }
        // The same id twice: the first kept one stands, later ones are skipped.
        let order = skip_duplicates(&store, &mut keep, &mut skipped);
        let facts = &store.facts;
        // Per claim with a status change, its latest: (time, line, status).
        let mut latest: FxHashMap<usize, (Arc<str>, usize, Status)> = FxHashMap::default();
        for ch in changes {
            let found = id_bytes(&ch.claim)
                .map(|(key, _)| key)
                .and_then(|key| {
                    order
                        .binary_search_by(|&i| facts[i as usize].id.cmp(&key))
                        .ok()
                })
                .map(|k| order[k] as usize)
                .filter(|&i| line_of(&facts[i]) < ch.line);
            let Some(i) = found else {
                skipped.push(Inconsistency {
                    line: ch.line,
                    what: format!("status change for unknown claim {}", ch.claim),
                });
                continue;
            };
            let newer = latest
                .get(&i)
                .is_none_or(|(at, line, _)| (&**at, *line) <= (&*ch.at, ch.line));
            if newer {
                latest.insert(i, (ch.at, ch.line, ch.status));
            }
        }
        for (i, (_, _, status)) in latest {
            store.facts[i].status = status;
        }
        let mut k = 0;
        store.facts.retain(|_| {
            k += 1;
            keep[k - 1]
        });
        for f in &mut store.facts {
            if f.as_of.is_none() {
                f.as_of = published(ledger, store.sources.get(f.source));
            }
        }
        ledger.inconsistencies.append(&mut skipped);
        ledger.inconsistencies.sort_by_key(|i| i.line);
        let ids = ledger.sources.iter().map(|s| s.source.id.clone()).collect();
        store.set_sources(ids);
        store
    }
}

/// Marks every claim whose id an earlier kept claim has as skipped, and gives the kept
/// claims' places sorted by id (for lookups by id).
fn skip_duplicates(store: &Store, keep: &mut [bool], skipped: &mut Vec<Inconsistency>) -> Vec<u32> {
    let facts = &store.facts;
    let mut order: Vec<u32> = (0..facts.len() as u32)
        .filter(|&i| keep[i as usize])
        .collect();
    order.par_sort_unstable_by(|&a, &b| {
        let (a, b) = (&facts[a as usize], &facts[b as usize]);
        a.id.cmp(&b.id).then(a.line.cmp(&b.line))
    });
    let mut first = 0;
    for k in 1..order.len() {
        let (a, b) = (&facts[order[first] as usize], &facts[order[k] as usize]);
        if a.id != b.id {
            first = k;
            continue;
        }
        keep[order[k] as usize] = false;
        skipped.push(Inconsistency {
            line: b.line as usize,
            what: format!(
                "claim {} was already logged on line {}",
                store.id_text(b),
                a.line
            ),
        });
    }
    order.dedup_by_key(|&mut i| facts[i as usize].id);
    order
}

fn unknown_source(id: &str, source: &str) -> String {
    format!("claim {id} cites unknown source {source:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_as_the_hex_crate_reads_them() {
        let lower = "0123456789abcdef".repeat(4);
        let upper = lower.to_ascii_uppercase();
        for (id, want_lower) in [(&lower, true), (&upper, false)] {
            let mut want = [0u8; 32];
            hex::decode_to_slice(id, &mut want).expect("hex");
            assert_eq!(id_bytes(id), Some((want, want_lower)));
            assert_eq!(hex_of(&want), lower);
        }
        for bad in [
            "",
            "0g",
            &lower[..62],
            &format!("{lower}00"),
            &lower.replacen('a', "g", 1),
            &lower.replacen("ab", "é", 1),
        ] {
            assert_eq!(id_bytes(bad), None, "{bad:?}");
        }
    }
}
