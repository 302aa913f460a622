//! The claims a report is built from, compact: per claim its id as bytes, its subject,
//! property, source and unit interned, its value interned (the text as written with what
//! it was read as: a million claims hold a few thousand distinct values), the as-of it
//! was current at and its status; never its quote or note. Read straight from the log a
//! chunk at a time ([`load`]), or taken from a folded [`Ledger`].

mod arrange;
mod load;
mod texts;
mod values;

use std::sync::Arc;

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use crate::ledger::Ledger;
use crate::log::view::ClaimView;
use crate::model::{Claim, Status, Value};
use crate::time::TimeSpan;

pub(super) use crate::log::view::ParsedValue as Parsed;
use values::Values;

pub(super) use arrange::ranks;

/// Interned strings: each distinct one kept once, numbered in first-seen order.
#[derive(Debug, Default)]
pub(super) struct Names {
    /// Hashed with FxHash: a million claims look up four names each. A name of up to
    /// 24 bytes is held in the table itself, so that a look-up compares it there, not
    /// behind a pointer (a second cache miss, when a log's names come in no order).
    map: FxHashMap<CompactString, u32>,
    list: Vec<Arc<str>>,
    /// The name given last: a log holds a subject's claims together, and the first of
    /// them in a chunk is not found by the look-up ahead ([`Names::find`]).
    last: u32,
}

impl Names {
    /// The number of `s`, given it when new; `known` is its number when it was looked up
    /// already ([`Names::find`]), or [`SAME`]: the number given last.
    fn id_or(&mut self, known: u32, s: &str) -> u32 {
        match known {
            NONE => self.id(s),
            SAME if (self.last as usize) < self.list.len() => self.last,
            SAME => self.id(s),
            // SAME follows a name not held yet, so `last` never needs a held one.
            k => k,
        }
    }

    /// The number of a name already held, else [`NONE`].
    fn find(&self, s: &str) -> u32 {
        self.map.get(s).copied().unwrap_or(NONE)
    }

    fn id(&mut self, s: &str) -> u32 {
        if self.list.get(self.last as usize).is_some_and(|l| **l == *s) {
            return self.last;
        }
        let i = match self.map.get(s) {
            Some(&i) => i,
            None => {
                let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
                self.list.push(s.into());
                self.map.insert(s.into(), i);
                i
            }
        };
        self.last = i;
        i
    }

    pub(super) fn get(&self, i: u32) -> &str {
        self.list.get(i as usize).map_or("", |s| s)
    }

    pub(super) fn len(&self) -> usize {
        self.list.len()
    }
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
    /// The value as written and as read, into [`Store::values`].
    value: u32,
    /// When the figure was current (the claim's as-of, else its source's published
    /// date), into [`Store::dates`]; [`NONE`] when neither gives one.
    as_of: u32,
    pub status: Status,
    /// Into [`Store::odd_ids`] when the id is not 64 lowercase hex digits (a hand
    /// edit); else [`NONE`].
    odd: u32,
    /// The log line (u32: a log of four billion lines is far past any other limit).
    line: u32,
}

/// "None" in a [`Fact`]'s index fields: 4 bytes instead of an `Option`'s 8.
pub(super) const NONE: u32 = u32::MAX;

/// A name found equal to the one looked up on the claim line before, in one reader's
/// run of lines (one rayon split of a chunk, read in order), when the store did not
/// hold it yet: taken in order, it gets the number that one got, without comparing the
/// text again (a log holds a subject's claims together, so every subject new to a chunk
/// is such a run).
const SAME: u32 = u32::MAX - 1;

impl Fact {
    /// A claim of nothing, to write over.
    pub(super) const EMPTY: Fact = Fact {
        id: [0; 32],
        subject: 0,
        property: 0,
        source: 0,
        unit: NONE,
        value: NONE,
        as_of: NONE,
        status: Status::Unverified,
        odd: NONE,
        line: 0,
    };

    /// The claim's unit, into [`Store::units`].
    pub(super) fn unit(&self) -> Option<u32> {
        (self.unit != NONE).then_some(self.unit)
    }
}

/// A claim's names as the store held them when it was looked up (in parallel, before
/// the claims are taken in order): [`NONE`] for one not held yet.
#[derive(Clone, Copy, Debug)]
pub(super) struct Known {
    subject: u32,
    property: u32,
    source: u32,
    unit: u32,
    value: u32,
    as_of: u32,
}

impl Known {
    /// Nothing looked up.
    pub(super) const NONE: Known = Known {
        subject: NONE,
        property: NONE,
        source: NONE,
        unit: NONE,
        value: NONE,
        as_of: NONE,
    };
}

/// Dates, interned.
#[derive(Debug, Default)]
struct Dates {
    map: FxHashMap<TimeSpan, u32>,
    list: Vec<TimeSpan>,
    /// Each date as a report writes it, once the store is whole: a report writes every
    /// claim's as-of, and a ledger has a few thousand dates.
    texts: texts::Texts,
}

impl Dates {
    /// The number of `d` if it has one; [`NONE`] for no date or a new one.
    fn find(&self, d: Option<TimeSpan>) -> u32 {
        d.and_then(|d| self.map.get(&d).copied()).unwrap_or(NONE)
    }

    /// The number of `d`, given it when new; [`NONE`] for no date.
    fn id(&mut self, d: Option<TimeSpan>) -> u32 {
        let Some(d) = d else { return NONE };
        let next = u32::try_from(self.list.len()).unwrap_or(NONE);
        let id = *self.map.entry(d).or_insert(next);
        if id == next {
            self.list.push(d);
        }
        id
    }
}

/// The last name of each kind a reader looked up, and what it found.
#[derive(Default)]
pub(super) struct Recent<'a> {
    subject: Option<(&'a str, u32)>,
    property: Option<(&'a str, u32)>,
    source: Option<(&'a str, u32)>,
    unit: Option<(&'a str, u32)>,
}

/// A claim as the store takes it, from a log line read in place or from a record.
pub(super) struct ClaimIn<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub subject: &'a str,
    pub property: &'a str,
    pub unit: Option<&'a str>,
    /// The value as written, and as read.
    pub raw: &'a str,
    pub value: Parsed,
    pub as_of: Option<TimeSpan>,
}

impl<'a> ClaimIn<'a> {
    pub(super) fn of_claim(c: &'a Claim) -> Self {
        let (raw, value) = match &c.value {
            Value::Quantity { raw, interval } => (raw.as_str(), Parsed::Quantity(*interval)),
            Value::Date(d) => (d.raw.as_str(), Parsed::Date(d.span)),
            Value::Text { raw } => (raw.as_str(), Parsed::Text),
        };
        ClaimIn {
            id: &c.id,
            source: &c.source,
            subject: &c.subject,
            property: &c.property,
            unit: c.unit.as_deref(),
            raw,
            value,
            as_of: c.as_of.as_ref().map(|a| a.span),
        }
    }

    pub(super) fn of_view(c: &ClaimView<'a>) -> Self {
        ClaimIn {
            id: c.id,
            source: c.source,
            subject: c.subject,
            property: c.property,
            unit: c.unit,
            raw: c.value_raw,
            value: c.value,
            as_of: c.as_of_span,
        }
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
    values: Values,
    /// As-of dates, each kept once (a million claims have a few thousand).
    dates: Dates,
    /// Every source id of the ledger (also those no claim cites), sorted.
    pub(super) source_ids: Vec<String>,
    /// Per interned source, its place in `source_ids`.
    pub(super) source_pos: Vec<usize>,
    /// Ids not in canonical form, as written.
    odd_ids: Vec<Box<str>>,
}

impl Store {
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
            let c = ClaimIn::of_claim(claim);
            let mut f = store.fact(&c, Known::NONE, id_bytes(c.id), 0);
            f.status = status;
            if f.as_of == NONE {
                f.as_of = store.dates.id(published(ledger, &claim.source));
            }
            store.facts.push(f);
        }
        let mut ids: Vec<String> = ledger.sources.iter().map(|s| s.source.id.clone()).collect();
        ids.extend(only.map(|c| c.source.clone()));
        store.seal(ids);
        store
    }

    /// The names of `c` the store holds already; `recent` remembers the last of each
    /// one looked up (a log holds an event's claims together: most are the last one).
    pub(super) fn known<'a>(&self, c: &ClaimIn<'a>, recent: &mut Recent<'a>) -> Known {
        let find = |last: &mut Option<(&'a str, u32)>, names: &Names, s: &'a str| match *last {
            // Not held yet, and the same as the line before: see [`SAME`].
            Some((l, NONE)) if l == s => SAME,
            Some((l, i)) if l == s => i,
            _ => {
                let i = names.find(s);
                *last = Some((s, i));
                i
            }
        };
        Known {
            subject: find(&mut recent.subject, &self.subjects, c.subject),
            property: find(&mut recent.property, &self.properties, c.property),
            source: find(&mut recent.source, &self.sources, c.source),
            unit: c
                .unit
                .map_or(NONE, |u| find(&mut recent.unit, &self.units, u)),
            value: self.values.find(c.raw, &c.value),
            as_of: self.dates.find(c.as_of),
        }
    }

    /// A claim as a compact fact (its status and as-of fallback are set later), with
    /// its id's bytes as [`id_bytes`] reads them (the ledger skips a claim whose id is
    /// not hex: the caller checks) and the names looked up already.
    fn fact(
        &mut self,
        c: &ClaimIn<'_>,
        known: Known,
        id: Option<([u8; 32], bool)>,
        line: usize,
    ) -> Fact {
        let (id, canonical) = id.unwrap_or(([0u8; 32], false));
        Fact {
            id,
            subject: self.subjects.id_or(known.subject, c.subject),
            property: self.properties.id_or(known.property, c.property),
            source: self.sources.id_or(known.source, c.source),
            unit: c.unit.map_or(NONE, |u| self.units.id_or(known.unit, u)),
            value: match known.value {
                NONE => self.values.id(c.raw, &c.value),
                v => v,
            },
            as_of: match known.as_of {
                NONE => self.dates.id(c.as_of),
                d => d,
            },
            status: Status::Unverified,
            odd: if canonical {
                NONE
            } else {
                self.odd_ids.push(c.id.into());
                u32::try_from(self.odd_ids.len() - 1).unwrap_or(NONE)
            },
            line: u32::try_from(line).unwrap_or(u32::MAX),
        }
    }

    /// The store made whole: records the ledger's source ids, sorted, and each
    /// interned source's place; and writes each date's text, every claim's date being
    /// known.
    fn seal(&mut self, mut ids: Vec<String>) {
        self.dates.texts = texts::Texts::of_each(&self.dates.list, |out, span| {
            // Writing to a String does not fail.
            let _ = std::fmt::Write::write_fmt(out, format_args!("{span}"));
        });
        self.values.seal();
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

    /// When a claim's figure was current.
    pub(super) fn as_of(&self, f: &Fact) -> Option<TimeSpan> {
        self.dates.list.get(f.as_of as usize).copied()
    }

    /// [`Store::as_of`] as a report writes it.
    pub(super) fn as_of_text(&self, f: &Fact) -> Option<&str> {
        self.dates.texts.get(f.as_of)
    }

    /// A claim's value as written.
    pub(super) fn raw(&self, f: &Fact) -> &str {
        self.values.raw(f.value)
    }

    /// The class of a claim's value (see [`Values::class`]).
    pub(super) fn class(&self, f: &Fact) -> u32 {
        self.values.class(f.value)
    }

    /// A claim's value as read.
    pub(super) fn parsed(&self, f: &Fact) -> Parsed {
        self.values.parsed(f.value)
    }

    /// [`Store::parsed`] as a report writes it.
    pub(super) fn parsed_text(&self, f: &Fact) -> &str {
        self.values.parsed_text(f.value)
    }

    /// A claim's id as the report prints it.
    pub(super) fn id_text(&self, f: &Fact) -> String {
        self.id_str(f, &mut [0; 64]).to_string()
    }

    /// [`Store::id_text`], written over `out`.
    pub(super) fn id_text_into(&self, f: &Fact, out: &mut String) {
        out.clear();
        out.push_str(self.id_str(f, &mut [0; 64]));
    }

    /// A claim's id as text: kept as written when odd, else written into `buf`.
    fn id_str<'s>(&'s self, f: &Fact, buf: &'s mut [u8; 64]) -> &'s str {
        match self.odd_ids.get(f.odd as usize) {
            Some(s) => s,
            None => hex_text(buf, &f.id),
        }
    }

    /// A claim's short id (its first 12 characters).
    pub(super) fn short_text(&self, f: &Fact) -> String {
        match self.odd_ids.get(f.odd as usize) {
            Some(s) => crate::model::short_id(s).to_string(),
            None => hex_of(&f.id[..6]),
        }
    }

    /// The first 8 bytes of a claim's id, when it is written in the canonical form (so
    /// that they order as its text does).
    pub(super) fn id_prefix(&self, f: &Fact) -> Option<u64> {
        (f.odd == NONE).then(|| id_head(&f.id))
    }

    /// Orders claims by id as text, as the ledger's string ids order.
    pub(super) fn id_cmp(&self, a: &Fact, b: &Fact) -> std::cmp::Ordering {
        match (a.odd, b.odd) {
            (NONE, NONE) => a.id.cmp(&b.id),
            _ => self
                .id_str(a, &mut [0; 64])
                .cmp(self.id_str(b, &mut [0; 64])),
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

    /// The names `of` gives the claims held, by the first line each is on: the claims
    /// are not kept in log order (see [`arrange`]).
    fn used<'a>(&'a self, of: impl Fn(&Fact) -> u32, names: &'a Names) -> Vec<&'a str> {
        let mut first: Vec<Option<u32>> = vec![None; names.len()];
        for f in &self.facts {
            if let Some(line) = first.get_mut(of(f) as usize) {
                *line = Some(line.map_or(f.line, |l| l.min(f.line)));
            }
        }
        let mut used: Vec<u32> = (0..first.len() as u32)
            .filter(|&i| first[i as usize].is_some())
            .collect();
        // A store made from a folded ledger numbers no lines: its names were numbered
        // as first seen.
        used.sort_unstable_by_key(|&i| (first[i as usize], i));
        used.into_iter().map(|i| names.get(i)).collect()
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
/// them), and whether every letter is lowercase. Branch-free, by table: a million ids
/// are read, and a branch per digit was 3% of a cold report's samples.
pub(super) fn id_bytes(id: &str) -> Option<([u8; 32], bool)> {
    let digits: &[u8; 64] = id.as_bytes().try_into().ok()?;
    let mut out = [0u8; 32];
    // Each table entry: the digit's value, 0x10 when it is an uppercase letter, 0x80
    // when the byte is no hex digit at all.
    let (mut bad, mut upper) = (0u8, 0u8);
    for (o, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        let (hi, lo) = (HEX[usize::from(pair[0])], HEX[usize::from(pair[1])]);
        bad |= hi | lo;
        upper |= hi | lo;
        *o = (hi & 15) << 4 | (lo & 15);
    }
    (bad & 0x80 == 0).then_some((out, upper & 0x10 == 0))
}

/// [`id_bytes`]'s table.
static HEX: [u8; 256] = {
    let mut t = [0x80u8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 0x10 | (10 + i as u8);
        i += 1;
    }
    t
};

/// An id's first 8 bytes as one number, ordered as the bytes are: sorting on it rarely
/// needs the rest of the id.
pub(super) fn id_head(id: &[u8; 32]) -> u64 {
    u64::from_be_bytes([id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7]])
}

/// Lowercase hex, as claim ids are written: a report writes a few million of them.
fn hex_of(bytes: &[u8]) -> String {
    String::from(hex_text(&mut [0; 64], bytes))
}

/// [`hex_of`], in `buf` (up to 32 bytes).
fn hex_text<'b>(buf: &'b mut [u8; 64], bytes: &[u8]) -> &'b str {
    // Each byte's two digits at once: a report writes every claim's id twice.
    const PAIRS: [[u8; 2]; 256] = {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut pairs = [[0u8; 2]; 256];
        let mut b = 0;
        while b < 256 {
            pairs[b] = [DIGITS[b >> 4], DIGITS[b & 15]];
            b += 1;
        }
        pairs
    };
    let bytes = &bytes[..bytes.len().min(32)];
    for (pair, &b) in buf.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&PAIRS[usize::from(b)]);
    }
    // Hex digits are ASCII: this never falls back.
    std::str::from_utf8(&buf[..bytes.len() * 2]).unwrap_or_default()
}

fn published(ledger: &Ledger, source: &str) -> Option<TimeSpan> {
    ledger
        .source(source)
        .and_then(|s| s.source.published.as_ref().map(|p| p.span))
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

    #[test]
    fn every_byte_in_an_id_is_read_as_the_hex_crate_reads_it() {
        let base = "0123456789abcdef".repeat(4).into_bytes();
        for b in 0..=255u8 {
            for at in [0, 1, 31, 62, 63] {
                let mut id = base.clone();
                id[at] = b;
                let Ok(text) = std::str::from_utf8(&id) else {
                    continue;
                };
                let mut want = [0u8; 32];
                let ok = hex::decode_to_slice(text, &mut want).is_ok();
                let got = id_bytes(text);
                assert_eq!(got.map(|g| g.0), ok.then_some(want), "{b:#x} at {at}");
                if let Some((_, lower)) = got {
                    assert_eq!(lower, !b.is_ascii_uppercase(), "{b:#x} at {at}");
                }
            }
        }
    }
}
