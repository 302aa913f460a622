//! A finding as JSON, written field by field: the bytes `serde_json` writes for the
//! derived `Serialize` (pretty, as an element of the report's array, for `json`; compact
//! with its keys sorted, as the `Value` it went through wrote them, for `jsonl`), without
//! the serializer's calls per key or the `Value` tree. A report writes hundreds of
//! megabytes of it. Text with characters JSON escapes, numbers and the enums' names
//! still go through `serde_json`, so they cannot drift from it.

use factledger_core::findings::{Direction, Estimate, Finding, FindingClaim, Pair, Revision};
use serde::Serialize;

/// Where the next value goes and how keys are laid out.
pub(super) struct Json<'a> {
    out: &'a mut Vec<u8>,
    /// Pretty (two spaces a level, fields in declared order), else compact with the
    /// fields in key order.
    pretty: bool,
    depth: usize,
    /// Whether the innermost open object or array has nothing in it yet.
    empty: bool,
}

impl<'a> Json<'a> {
    /// Pretty JSON whose outermost value sits `depth` levels deep.
    pub(super) fn pretty(out: &'a mut Vec<u8>, depth: usize) -> Json<'a> {
        Json {
            out,
            pretty: true,
            depth,
            empty: false,
        }
    }

    /// Compact JSON with every object's keys in order, as `serde_json::Value` keeps them.
    pub(super) fn sorted(out: &'a mut Vec<u8>) -> Json<'a> {
        Json {
            out,
            pretty: false,
            depth: 0,
            empty: false,
        }
    }

    /// The fields of a struct in the order this layout writes them: `declared` is the
    /// struct's order, `sorted` the same fields' places in key order.
    fn order<const N: usize>(&self, sorted: [usize; N]) -> [usize; N] {
        if self.pretty {
            std::array::from_fn(|i| i)
        } else {
            sorted
        }
    }

    fn begin(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.depth += 1;
        self.empty = true;
    }

    fn end(&mut self, bracket: u8) {
        self.depth -= 1;
        if !self.empty && self.pretty {
            self.newline();
        }
        self.out.push(bracket);
        // Back in the container this one is a value of.
        self.empty = false;
    }

    fn newline(&mut self) {
        self.separator(false);
    }

    /// A comma if `comma`, then a line end and the indent of the current depth: one
    /// copy from a line of spaces for all but the deepest values.
    fn separator(&mut self, comma: bool) {
        const LINE: &[u8; 66] =
            b",\n                                                                ";
        let line = if comma { &LINE[..] } else { &LINE[1..] };
        let n = self.depth * 2;
        match line.get(..line.len() - 64 + n) {
            Some(head) => self.out.extend_from_slice(head),
            None => {
                self.out.extend_from_slice(&line[..line.len() - 64]);
                self.out.resize(self.out.len() + n, b' ');
            }
        }
    }

    /// What comes before an element of an array or a key of an object.
    fn next(&mut self) {
        match (self.pretty, self.empty) {
            (true, empty) => self.separator(!empty),
            (false, false) => self.out.push(b','),
            (false, true) => {}
        }
        self.empty = false;
    }

    /// A key, given as [`keys!`] quotes it (`"name": `): one copy.
    fn key(&mut self, quoted: &str) {
        self.next();
        let k = if self.pretty {
            quoted
        } else {
            &quoted[..quoted.len() - 1]
        };
        self.out.extend_from_slice(k.as_bytes());
    }

    fn str(&mut self, s: &str) {
        // No early exit: the whole scan vectorizes, and most text is short and plain.
        let escaped = s
            .bytes()
            .fold(false, |e, b| e | (b < 0x20) | (b == b'"') | (b == b'\\'));
        if !escaped {
            self.out.push(b'"');
            self.out.extend_from_slice(s.as_bytes());
            self.out.push(b'"');
        } else {
            self.serde(s);
        }
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    /// An enum's name: plain lowercase letters, as its `Serialize` spells it (the
    /// tests hold the two together).
    fn name(&mut self, name: &str) {
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'"');
    }

    fn opt_name(&mut self, name: Option<&str>) {
        match name {
            Some(n) => self.name(n),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    /// Text written as it is: JSON the caller wrote out (see [`at_element!`]).
    fn raw(&mut self, text: &str) {
        self.out.extend_from_slice(text.as_bytes());
    }

    fn bool(&mut self, b: bool) {
        self.out
            .extend_from_slice(if b { b"true" } else { b"false" });
    }

    /// A value whose text is `serde_json`'s own: numbers, enums' names, escaped text.
    fn serde<T: Serialize + ?Sized>(&mut self, value: &T) {
        // Writing to a Vec does not fail, and these values always serialize.
        let _ = serde_json::to_writer(&mut *self.out, value);
    }

    fn strs(&mut self, items: &[String]) {
        self.begin(b'[');
        for s in items {
            self.next();
            self.str(s);
        }
        self.end(b']');
    }

    fn list<T>(&mut self, items: &[T], write: fn(&mut Json, &T)) {
        self.begin(b'[');
        for item in items {
            self.next();
            write(self, item);
        }
        self.end(b']');
    }
}

/// Keys as a pretty object writes them, quoted and followed by `: ` (a compact one drops
/// the space).
macro_rules! keys {
    ($($name:literal),* $(,)?) => {
        [$(concat!("\"", $name, "\": ")),*]
    };
}

const FINDING: [&str; 14] = keys![
    "subject",
    "property",
    "kind",
    "unit",
    "settled",
    "verified",
    "claims",
    "pairs",
    "revisions",
    "direction",
    "gap",
    "relative_gap",
    "estimate",
    "summary",
];
const FINDING_SORTED: [usize; 14] = [6, 9, 12, 10, 2, 7, 1, 11, 8, 4, 0, 13, 3, 5];

/// Writes a finding.
pub(super) fn finding(j: &mut Json, f: &Finding) {
    j.begin(b'{');
    for i in j.order(FINDING_SORTED) {
        j.key(FINDING[i]);
        match i {
            0 => j.str(&f.subject),
            1 => j.str(&f.property),
            2 => j.name(f.kind.as_str()),
            3 => j.opt_str(f.unit.as_deref()),
            4 => j.bool(f.settled),
            5 => j.strs(&f.verified),
            6 => j.list(&f.claims, claim),
            7 => j.list(&f.pairs, pair),
            8 => j.list(&f.revisions, revision),
            9 => j.opt_name(f.direction.map(Direction::as_str)),
            10 => j.opt_str(f.gap.as_deref()),
            11 => j.serde(&f.relative_gap),
            12 => match &f.estimate {
                Some(e) => estimate(j, e),
                None => j.serde(&()),
            },
            _ => j.str(&f.summary),
        }
    }
    j.end(b'}');
}

const CLAIM: [&str; 12] = keys![
    "id", "full_id", "source", "value", "parsed", "unit", "as_of", "undated", "status", "counts",
    "role", "trust",
];
const CLAIM_SORTED: [usize; 12] = [6, 9, 1, 0, 4, 10, 2, 8, 11, 7, 5, 3];

fn claim(j: &mut Json, c: &FindingClaim) {
    if j.pretty && j.depth == ELEMENT_DEPTH {
        return element_claim(j, c);
    }
    j.begin(b'{');
    for i in j.order(CLAIM_SORTED) {
        j.key(CLAIM[i]);
        match i {
            0 => j.str(&c.id),
            1 => j.str(&c.full_id),
            2 => j.str(&c.source),
            3 => j.str(&c.value),
            4 => j.str(&c.parsed),
            5 => j.opt_str(c.unit.as_deref()),
            6 => j.opt_str(c.as_of.as_deref()),
            7 => j.bool(c.undated),
            8 => j.name(c.status.as_str()),
            9 => j.bool(c.counts),
            10 => j.name(c.role.as_str()),
            _ => j.serde(&c.trust),
        }
    }
    j.end(b'}');
}

/// The depth of the arrays whose elements [`element_claim`] and [`element_pair`] write:
/// a report's finding is an element one level deep, its `claims` and `pairs` three.
const ELEMENT_DEPTH: usize = 3;

/// The line end and indent that close an element at [`ELEMENT_DEPTH`].
const ELEMENT_END: &str = "\n      }";

/// The line break and indent before a key of an element at [`ELEMENT_DEPTH`], with the
/// comma before it when it is not the first key (the first opens the element).
macro_rules! at_element {
    (first $key:literal) => {
        concat!("{\n        \"", $key, "\": ")
    };
    ($key:literal) => {
        concat!(",\n        \"", $key, "\": ")
    };
}

/// A claim as [`claim`] writes it at [`ELEMENT_DEPTH`], pretty: every key with the line
/// break and indent before it in one copy of a constant. A report writes a million of
/// them.
fn element_claim(j: &mut Json, c: &FindingClaim) {
    j.raw(at_element!(first "id"));
    j.str(&c.id);
    j.raw(at_element!("full_id"));
    j.str(&c.full_id);
    j.raw(at_element!("source"));
    j.str(&c.source);
    j.raw(at_element!("value"));
    j.str(&c.value);
    j.raw(at_element!("parsed"));
    j.str(&c.parsed);
    j.raw(at_element!("unit"));
    j.opt_str(c.unit.as_deref());
    j.raw(at_element!("as_of"));
    j.opt_str(c.as_of.as_deref());
    j.raw(at_element!("undated"));
    j.bool(c.undated);
    j.raw(at_element!("status"));
    j.name(c.status.as_str());
    j.raw(at_element!("counts"));
    j.bool(c.counts);
    j.raw(at_element!("role"));
    j.name(c.role.as_str());
    j.raw(at_element!("trust"));
    j.serde(&c.trust);
    j.raw(ELEMENT_END);
    j.empty = false;
}

const PAIR: [&str; 4] = keys!["a", "b", "relation", "explanation"];
const PAIR_SORTED: [usize; 4] = [0, 1, 3, 2];

fn pair(j: &mut Json, p: &Pair) {
    if j.pretty && j.depth == ELEMENT_DEPTH {
        return element_pair(j, p);
    }
    j.begin(b'{');
    for i in j.order(PAIR_SORTED) {
        j.key(PAIR[i]);
        match i {
            0 => j.str(&p.a),
            1 => j.str(&p.b),
            2 => j.name(p.relation.as_str()),
            _ => j.str(&p.explanation),
        }
    }
    j.end(b'}');
}

/// A pair as [`pair`] writes it at [`ELEMENT_DEPTH`], pretty (see [`element_claim`]).
fn element_pair(j: &mut Json, p: &Pair) {
    j.raw(at_element!(first "a"));
    j.str(&p.a);
    j.raw(at_element!("b"));
    j.str(&p.b);
    j.raw(at_element!("relation"));
    j.name(p.relation.as_str());
    j.raw(at_element!("explanation"));
    j.str(&p.explanation);
    j.raw(ELEMENT_END);
    j.empty = false;
}

const REVISION: [&str; 5] = keys!["date", "from", "to", "direction", "claim"];
const REVISION_SORTED: [usize; 5] = [4, 0, 3, 1, 2];

fn revision(j: &mut Json, r: &Revision) {
    j.begin(b'{');
    for i in j.order(REVISION_SORTED) {
        j.key(REVISION[i]);
        match i {
            0 => j.opt_str(r.date.as_deref()),
            1 => j.str(&r.from),
            2 => j.str(&r.to),
            3 => j.name(r.direction.as_str()),
            _ => j.str(&r.claim),
        }
    }
    j.end(b'}');
}

const ESTIMATE: [&str; 6] = keys!["low", "best", "high", "basis", "support", "undetermined"];
const ESTIMATE_SORTED: [usize; 6] = [3, 1, 2, 0, 4, 5];

fn estimate(j: &mut Json, e: &Estimate) {
    j.begin(b'{');
    for i in j.order(ESTIMATE_SORTED) {
        j.key(ESTIMATE[i]);
        match i {
            0 => j.opt_str(e.low.as_deref()),
            1 => j.opt_str(e.best.as_deref()),
            2 => j.opt_str(e.high.as_deref()),
            3 => j.str(&e.basis),
            4 => j.strs(&e.support),
            _ => j.bool(e.undetermined),
        }
    }
    j.end(b'}');
}

#[cfg(test)]
mod tests;
