//! Reading a log into a [`Store`]: claims and status changes are kept compact, every
//! other entry goes to a [`Ledger`] that keeps only them (sources, entries of unknown
//! kinds); then the ledger's rules for which entries count are applied by line number.
//!
//! The log is read a chunk at a time, each chunk's lines in parallel: a line in
//! factledger's own form is read in place ([`view_line`]) and its claim taken without
//! copying a string the store already holds; any other line goes through the reference
//! decoder, so that what is accepted and every error stay the same.

use std::fs::File;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{id_bytes, published, ClaimIn, Fact, Known, Recent, Store};
use crate::ledger::{Inconsistency, Ledger};
use crate::log::view::{view_line, EntryView};
use crate::log::{
    batch_cut_short, parse_one, read_chunks, recycle, torn_batch, whole_to, Chunk, FirstBad, Last,
    Line, LogError, ReadMode, Span,
};
use crate::model::{Entry, Status};

/// How much of the log is read at a time: a chunk's lines are held worked out (about
/// half its size again) while the store takes them.
const CHUNK: usize = 4 << 20;

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
    /// The claims taken so far, apart from the store while the log is read: a worker
    /// touches the room the next chunk's claims will take while the chunk is worked
    /// out (see [`touch_ahead`]), with the store's names lent to the others.
    facts: Vec<Fact>,
    changes: Vec<Change>,
    /// Claims whose id is not hex: (line, id, source).
    bad_ids: Vec<(usize, String, u32)>,
    last_at: Option<Arc<str>>,
}

/// One line of a chunk, worked out in parallel.
enum Got<'a> {
    /// A claim, with its id's bytes (see [`id_bytes`]) and the names the store held
    /// already.
    Claim(ClaimIn<'a>, Option<([u8; 32], bool)>, usize, Known),
    Status {
        claim: &'a str,
        status: Status,
        at: &'a str,
        line: usize,
    },
    /// Any other line, or one not in factledger's own form.
    Line(Box<Line>),
    /// A line that does not read: the read fails with its error.
    Bad,
}

impl Store {
    /// The store of records as `read` streams them (see [`crate::log::stream_log`]):
    /// what [`Store::read`] gives, from records the reference decoder read. Tests hold
    /// the two, and this one against the folded ledger.
    #[cfg(test)]
    pub(crate) fn load<E>(
        dir: &Path,
        log_bytes: u64,
        read: impl FnOnce(&mut crate::log::Sink<'_, E>) -> Result<Option<crate::log::TornTail>, E>,
    ) -> Result<(Ledger, Store), E> {
        let mut ledger = Ledger::empty(dir);
        let mut loader = Loader::with_room(log_bytes);
        ledger.torn = read(&mut |lines| {
            loader.take(
                &mut ledger,
                lines.into_iter().map(|l| Got::Line(Box::new(l))),
            );
            Ok(())
        })?;
        let store = loader.finish(&mut ledger);
        Ok((ledger, store))
    }

    /// Reads the log at `path`, open as `file` (its reader holding the log's lock), a
    /// chunk at a time with each chunk's lines in parallel, into the claims findings
    /// need, and a ledger that holds the log's sources and state (torn tail, entries
    /// skipped as inconsistent or of unknown kinds) but no claim.
    pub fn read(dir: &Path, path: &Path, file: &File) -> Result<(Ledger, Store), LogError> {
        Store::read_by(dir, path, file, CHUNK)
    }

    /// [`Store::read`], a chunk of about `size` bytes at a time.
    pub(crate) fn read_by(
        dir: &Path,
        path: &Path,
        file: &File,
        size: usize,
    ) -> Result<(Ledger, Store), LogError> {
        let io = |e: std::io::Error| LogError::Io {
            path: path.to_path_buf(),
            source: e,
        };
        let len = file.metadata().map_err(io)?.len();
        let whole = whole_to(file, len).map_err(io)?;
        let mut ledger = Ledger::empty(dir);
        let mut loader = Loader::with_room(len);
        let mut torn = None;
        let mut reader: &File = file;
        let mut spare: Vec<Got<'static>> = Vec::new();
        let rest = read_chunks::<LogError>(path, &mut reader, (0, 0), whole, size, &mut |chunk| {
            let mut got = recycle(std::mem::take(&mut spare));
            let lines = chunk.spans.len();
            let (worked, ()) = rayon::join(
                || chunk_lines(path, &chunk, &loader.store, &mut got),
                || touch_ahead(&mut loader.facts, lines),
            );
            worked?;
            let cut = got.iter().position(|g| match g {
                Got::Line(l) => match &l.record.entry {
                    Entry::Batch(h) => batch_cut_short(l.offset, l.len, h, chunk.whole_to),
                    _ => false,
                },
                _ => false,
            });
            if let Some(at) = cut {
                if let Got::Line(l) = &got[at] {
                    torn = Some(torn_batch(l.line, l.offset, chunk.whole_to));
                }
                got.truncate(at);
            }
            loader.take(&mut ledger, got.drain(..));
            spare = recycle(got);
            Ok(match cut {
                Some(_) => ControlFlow::Break(()),
                None => ControlFlow::Continue(()),
            })
        })?;
        if let Some(rest) = rest {
            torn = match rest.last(path, ReadMode::Parse) {
                Last::Blank => None,
                Last::Whole(l) => match &l.record.entry {
                    Entry::Batch(h) if batch_cut_short(l.offset, l.len, h, rest.whole_to) => {
                        Some(torn_batch(l.line, l.offset, rest.whole_to))
                    }
                    _ => {
                        loader.take(&mut ledger, [Got::Line(l)]);
                        None
                    }
                },
                Last::Torn(t) => Some(t),
            };
        }
        ledger.torn = torn;
        let store = loader.finish(&mut ledger);
        Ok((ledger, store))
    }
}

/// Writes over the room the next `lines` claims will take, so that its pages are
/// first touched here, beside the workers reading the chunk, and not in the take on one
/// thread (a page fault and a page of zeros each, for some 72 MB at 1M claims).
fn touch_ahead(facts: &mut Vec<Fact>, lines: usize) {
    let room = facts.spare_capacity_mut();
    let n = lines.min(room.len());
    for f in &mut room[..n] {
        f.write(Fact::EMPTY);
    }
}

/// Works out every line of a chunk in parallel, looking up each claim's names among
/// those `store` holds already (most, after the first chunks), so that taking the lines
/// in order is little more than a copy; on a bad line, the error names the first one, as
/// the reference reader's does.
fn chunk_lines<'a>(
    path: &Path,
    chunk: &Chunk<'a>,
    store: &Store,
    got: &mut Vec<Got<'a>>,
) -> Result<(), LogError> {
    let first_bad = FirstBad::default();
    let one = |recent: &mut Recent<'a>, span: &Span| {
        let (raw, offset, len) = chunk.line(span);
        let text = raw.strip_suffix(b"\r").unwrap_or(raw);
        // Every line of the log is checked: with the CPU's vector instructions (simdutf8),
        // a few times faster than the standard library's check.
        let view = simdutf8::basic::from_utf8(text).ok().and_then(view_line);
        match view.map(|v| (v.at, v.entry)) {
            Some((_, EntryView::Claim(c))) => {
                let c = ClaimIn::of_view(&c);
                let (known, id) = (store.known(&c, recent), id_bytes(c.id));
                Got::Claim(c, id, span.line, known)
            }
            Some((at, EntryView::Status(s))) => Got::Status {
                claim: s.claim,
                status: s.status,
                at,
                line: span.line,
            },
            None => {
                // A line read by the reference decoder takes its names in order without
                // the look-up ahead: a name after it is not "the same as before".
                *recent = Recent::default();
                match parse_one(path, raw, span.line, offset, len, ReadMode::Parse) {
                    Ok(line) => Got::Line(Box::new(line)),
                    Err(e) => {
                        first_bad.note(span.line, e);
                        Got::Bad
                    }
                }
            }
        }
    };
    // Written in place, in order, into the list the last chunk used.
    chunk
        .spans
        .par_iter()
        .with_min_len(256)
        .map_init(Recent::default, one)
        .collect_into_vec(got);
    first_bad.into_result()
}

impl Loader {
    /// A loader with room for the claims of a log of `log_bytes` bytes.
    fn with_room(log_bytes: u64) -> Self {
        let mut loader = Loader::default();
        // A claim's line holds three 64-digit hashes (prev, id, hash) and more: never
        // under 256 bytes. Room for that many claims is reserved at once, so the list
        // never grows by copying (twice its size for a moment); room never written to
        // costs address space, not memory.
        let most = usize::try_from(log_bytes / 256).unwrap_or(0);
        loader
            .facts
            .reserve(most.min(usize::MAX / 2 / size_of::<Fact>()));
        loader
    }

    /// Takes the next lines of the log, in order: claims and status changes are kept
    /// compact, everything else goes to the ledger.
    fn take<'a>(&mut self, ledger: &mut Ledger, lines: impl IntoIterator<Item = Got<'a>>) {
        let mut rest = Vec::new();
        for got in lines {
            match got {
                Got::Claim(c, id, line, known) => self.claim(ledger, &c, known, id, line),
                Got::Status {
                    claim,
                    status,
                    at,
                    line,
                } => self.status(ledger, claim, status, at, line),
                Got::Line(l) => match &l.record.entry {
                    Entry::Claim(c) => {
                        let c = ClaimIn::of_claim(c);
                        self.claim(ledger, &c, Known::NONE, id_bytes(c.id), l.line)
                    }
                    Entry::Status(s) => {
                        self.status(ledger, &s.claim, s.status, &l.record.at, l.line)
                    }
                    _ => rest.push(*l),
                },
                Got::Bad => {}
            }
        }
        ledger.push_lines(rest);
    }

    fn claim(
        &mut self,
        ledger: &mut Ledger,
        c: &ClaimIn<'_>,
        known: Known,
        id: Option<([u8; 32], bool)>,
        line: usize,
    ) {
        ledger.entries += 1;
        let f = self.store.fact(c, known, id, line);
        if id.is_none() {
            self.bad_ids.push((line, c.id.to_string(), f.source));
        } else {
            self.facts.push(f);
        }
    }

    fn status(&mut self, ledger: &mut Ledger, claim: &str, status: Status, at: &str, line: usize) {
        ledger.entries += 1;
        let at = match &self.last_at {
            Some(a) if **a == *at => a.clone(),
            _ => {
                let a: Arc<str> = at.into();
                self.last_at = Some(a.clone());
                a
            }
        };
        self.changes.push(Change {
            claim: claim.to_string(),
            status,
            at,
            line,
        });
    }

    /// Applies the ledger's rules by line number once every source is known: a claim
    /// must cite a source added before it and not repeat an id logged before it; a
    /// status change must follow its claim, and the latest (by time, then log order)
    /// is the claim's status.
    fn finish(self, ledger: &mut Ledger) -> Store {
        let Loader {
            mut store,
            facts,
            changes,
            bad_ids,
            ..
        } = self;
        store.facts = facts;
        let mut skipped = Vec::new();
        // The line each cited source was added on, looked up once per source rather
        // than once per claim.
        let added: Vec<Option<usize>> = (0..store.sources.len() as u32)
            .map(|s| ledger.source(store.sources.get(s)).map(|s| s.stamp.line))
            .collect();
        let known = |source: u32, line: usize| {
            added
                .get(source as usize)
                .copied()
                .flatten()
                .is_some_and(|added| added < line)
        };
        let line_of = |f: &Fact| f.line as usize;
        for (line, id, source) in bad_ids {
            let what = if known(source, line) {
                format!("claim id {id:?} is not 64 hex digits")
            } else {
                unknown_source(&id, store.sources.get(source))
            };
            skipped.push(Inconsistency { line, what });
        }
        let mut keep = vec![true; store.facts.len()];
        for (i, f) in store.facts.iter().enumerate() {
            if !known(f.source, line_of(f)) {
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
                    let head = super::id_head(&key);
                    order
                        .binary_search_by(|&(h, i)| {
                            h.cmp(&head).then_with(|| facts[i as usize].id.cmp(&key))
                        })
                        .ok()
                })
                .map(|k| order[k].1 as usize)
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
        // Let go of before the claims are arranged: the two lists are the most memory a
        // report holds.
        drop(order);
        let facts = std::mem::take(&mut store.facts);
        let names = (&store.subjects, &store.properties);
        store.facts = super::arrange::arranged(names, facts, &keep);
        store.date_undated(ledger);
        ledger.inconsistencies.append(&mut skipped);
        ledger.inconsistencies.sort_by_key(|i| i.line);
        let ids = ledger.sources.iter().map(|s| s.source.id.clone()).collect();
        store.seal(ids);
        store
    }
}

impl Store {
    /// Gives each claim without an as-of its source's published date, if any.
    fn date_undated(&mut self, ledger: &Ledger) {
        for i in 0..self.facts.len() {
            let (as_of, source) = (self.facts[i].as_of, self.facts[i].source);
            if as_of == super::NONE {
                let date = published(ledger, self.sources.get(source));
                self.facts[i].as_of = self.dates.id(date);
            }
        }
    }
}

/// Marks every claim whose id an earlier kept claim has as skipped, and gives the kept
/// claims' places sorted by id, each with its id's first 8 bytes (for lookups by id).
fn skip_duplicates(
    store: &Store,
    keep: &mut [bool],
    skipped: &mut Vec<Inconsistency>,
) -> Vec<(u64, u32)> {
    let facts = &store.facts;
    // Sorted on the ids' first 8 bytes held beside each place, so that a comparison
    // rarely reaches into the claims (a million ids, in no order).
    let mut keyed: Vec<(u64, u32)> = (0..facts.len() as u32)
        .filter(|&i| keep[i as usize])
        .map(|i| (super::id_head(&facts[i as usize].id), i))
        .collect();
    keyed.par_sort_unstable_by(|&(pa, a), &(pb, b)| {
        pa.cmp(&pb).then_with(|| {
            let (a, b) = (&facts[a as usize], &facts[b as usize]);
            a.id.cmp(&b.id).then(a.line.cmp(&b.line))
        })
    });
    // Reaches into a claim (in log order, so a cache miss each) only when two
    // prefixes are equal.
    keyed.dedup_by(|&mut (hb, later), &mut (ha, first)| {
        let (a, b) = (&facts[first as usize], &facts[later as usize]);
        if hb != ha || a.id != b.id {
            return false;
        }
        keep[later as usize] = false;
        skipped.push(Inconsistency {
            line: b.line as usize,
            what: format!(
                "claim {} was already logged on line {}",
                store.id_text(b),
                a.line
            ),
        });
        true
    });
    keyed
}

fn unknown_source(id: &str, source: &str) -> String {
    format!("claim {id} cites unknown source {source:?}")
}
