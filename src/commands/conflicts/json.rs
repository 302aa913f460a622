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

/// The line break and indent before a key of an element at [`ELEMENT_DEPTH`], with the
/// comma before it when it is not the first key.
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
    j.out.extend_from_slice(at_element!(first "id").as_bytes());
    j.str(&c.id);
    j.out.extend_from_slice(at_element!("full_id").as_bytes());
    j.str(&c.full_id);
    j.out.extend_from_slice(at_element!("source").as_bytes());
    j.str(&c.source);
    j.out.extend_from_slice(at_element!("value").as_bytes());
    j.str(&c.value);
    j.out.extend_from_slice(at_element!("parsed").as_bytes());
    j.str(&c.parsed);
    j.out.extend_from_slice(at_element!("unit").as_bytes());
    j.opt_str(c.unit.as_deref());
    j.out.extend_from_slice(at_element!("as_of").as_bytes());
    j.opt_str(c.as_of.as_deref());
    j.out.extend_from_slice(at_element!("undated").as_bytes());
    j.bool(c.undated);
    j.out.extend_from_slice(at_element!("status").as_bytes());
    j.name(c.status.as_str());
    j.out.extend_from_slice(at_element!("counts").as_bytes());
    j.bool(c.counts);
    j.out.extend_from_slice(at_element!("role").as_bytes());
    j.name(c.role.as_str());
    j.out.extend_from_slice(at_element!("trust").as_bytes());
    j.serde(&c.trust);
    j.out.extend_from_slice(b"\n      }");
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
    j.out.extend_from_slice(at_element!(first "a").as_bytes());
    j.str(&p.a);
    j.out.extend_from_slice(at_element!("b").as_bytes());
    j.str(&p.b);
    j.out.extend_from_slice(at_element!("relation").as_bytes());
    j.name(p.relation.as_str());
    j.out
        .extend_from_slice(at_element!("explanation").as_bytes());
    j.str(&p.explanation);
    j.out.extend_from_slice(b"\n      }");
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
mod tests {
    use super::*;
    use factledger_core::findings::{Direction, Kind, Role, Shape};
    use factledger_core::model::Status;
    use proptest::prelude::*;

    #[test]
    fn a_line_is_indented_two_spaces_a_level_at_any_depth() {
        for depth in [0, 1, 31, 32, 33, 40] {
            for comma in [false, true] {
                let mut out = Vec::new();
                Json::pretty(&mut out, depth).separator(comma);
                let want = format!(
                    "{}\n{}",
                    if comma { "," } else { "" },
                    " ".repeat(2 * depth)
                );
                assert_eq!(String::from_utf8(out).expect("utf-8"), want);
            }
        }
    }

    #[test]
    fn each_sorted_order_is_its_keys_in_order() {
        fn check<const N: usize>(quoted: [&str; N], sorted: [usize; N]) {
            let names = quoted.map(|k| k.trim_end_matches(": ").trim_matches('"'));
            assert!(names
                .iter()
                .all(|n| n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')));
            let mut want: Vec<&str> = names.to_vec();
            want.sort_unstable();
            let got: Vec<&str> = sorted.iter().map(|&i| names[i]).collect();
            assert_eq!(got, want);
        }
        check(FINDING, FINDING_SORTED);
        check(CLAIM, CLAIM_SORTED);
        check(PAIR, PAIR_SORTED);
        check(REVISION, REVISION_SORTED);
        check(ESTIMATE, ESTIMATE_SORTED);
    }

    /// What the report wrote before: serde's pretty text indented one level, and for
    /// `jsonl` the compact text of the `Value` the finding became.
    fn reference(f: &Finding) -> (Vec<u8>, Vec<u8>) {
        let text = serde_json::to_vec_pretty(f).expect("a finding serializes");
        let mut pretty = Vec::new();
        for (i, line) in text.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                pretty.push(b'\n');
            }
            pretty.extend_from_slice(b"  ");
            pretty.extend_from_slice(line);
        }
        let value = serde_json::to_value(f).expect("a finding is a value");
        (
            pretty,
            serde_json::to_vec(&value).expect("a value serializes"),
        )
    }

    fn written(f: &Finding) -> (Vec<u8>, Vec<u8>) {
        let mut pretty = b"  ".to_vec();
        finding(&mut Json::pretty(&mut pretty, 1), f);
        let mut compact = Vec::new();
        finding(&mut Json::sorted(&mut compact), f);
        (pretty, compact)
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z0-9 ,.-]{0,12}",
            any::<String>(),
            "[\"\\\\\u{0}-\u{1f}\u{7f}é→ a]{0,8}",
        ]
    }

    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            0.0..1.0f64,
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(1.0),
            Just(-0.0),
            Just(1e-7),
            Just(1e21),
        ]
    }

    fn claim_of() -> impl Strategy<Value = FindingClaim> {
        (
            (text(), text(), text(), text(), text()),
            (proptest::option::of(text()), proptest::option::of(text())),
            (any::<bool>(), any::<bool>(), 0usize..6, 0usize..6, number()),
        )
            .prop_map(
                |((id, full_id, source, value, parsed), (unit, as_of), rest)| {
                    let (undated, counts, status, role, trust) = rest;
                    FindingClaim {
                        id,
                        full_id,
                        source,
                        value,
                        parsed,
                        unit,
                        as_of,
                        undated,
                        status: Status::ALL[status],
                        counts,
                        role: Role::ALL[role],
                        trust,
                        shape: Shape::default(),
                    }
                },
            )
    }

    fn direction() -> impl Strategy<Value = Direction> {
        prop_oneof![Just(Direction::Up), Just(Direction::Down)]
    }

    fn pair_of() -> impl Strategy<Value = Pair> {
        (text(), text(), 0usize..6, text()).prop_map(|(a, b, r, explanation)| Pair {
            a,
            b,
            relation: Role::ALL[r],
            explanation,
        })
    }

    fn revision_of() -> impl Strategy<Value = Revision> {
        let date = proptest::option::of(text());
        (date, text(), text(), direction(), text()).prop_map(
            |(date, from, to, direction, claim)| Revision {
                date,
                from,
                to,
                direction,
                claim,
            },
        )
    }

    fn estimate_of() -> impl Strategy<Value = Estimate> {
        (
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text()),
            text(),
            proptest::collection::vec(text(), 0..3),
            any::<bool>(),
        )
            .prop_map(|(low, best, high, basis, support, undetermined)| Estimate {
                low,
                best,
                high,
                basis,
                support,
                undetermined,
            })
    }

    fn finding_of() -> impl Strategy<Value = Finding> {
        (
            (
                text(),
                text(),
                any::<bool>(),
                proptest::option::of(text()),
                any::<bool>(),
            ),
            proptest::collection::vec(text(), 0..3),
            proptest::collection::vec(claim_of(), 0..4),
            proptest::collection::vec(pair_of(), 0..3),
            proptest::collection::vec(revision_of(), 0..3),
            (
                proptest::option::of(direction()),
                proptest::option::of(text()),
                number(),
            ),
            (proptest::option::of(estimate_of()), text()),
        )
            .prop_map(|(head, verified, claims, pairs, revisions, tail, end)| {
                let (subject, property, conflict, unit, settled) = head;
                let (direction, gap, relative_gap) = tail;
                let (estimate, summary) = end;
                Finding {
                    subject,
                    property,
                    kind: if conflict {
                        Kind::Conflict
                    } else {
                        Kind::Revision
                    },
                    unit,
                    settled,
                    verified,
                    claims,
                    pairs,
                    revisions,
                    direction,
                    gap,
                    relative_gap,
                    estimate,
                    summary,
                }
            })
    }

    proptest! {
        #[test]
        fn a_finding_is_written_as_serde_wrote_it(f in finding_of()) {
            let (pretty, compact) = written(&f);
            let (want_pretty, want_compact) = reference(&f);
            prop_assert_eq!(String::from_utf8_lossy(&pretty), String::from_utf8_lossy(&want_pretty));
            prop_assert_eq!(String::from_utf8_lossy(&compact), String::from_utf8_lossy(&want_compact));
        }

        /// A report's findings are rendered in runs apart, on several workers, and
        /// joined as they are written: the array is serde's whatever the runs are.
        #[test]
        fn findings_rendered_in_runs_make_one_array(
            findings in prop::collection::vec(finding_of(), 0..6),
            cuts in prop::collection::vec(0usize..6, 0..4),
        ) {
            use crate::render::Format;
            use super::super::{Printer, Run, Spare};
            let spare = Spare::default();
            let mut cuts: Vec<usize> = cuts.into_iter().filter(|&c| c <= findings.len()).collect();
            cuts.extend([0, findings.len()]);
            cuts.sort_unstable();
            let runs: Vec<Run> = cuts
                .windows(2)
                .map(|w| {
                    let mut run = Run::default();
                    for (i, f) in findings[w[0]..w[1]].iter().enumerate() {
                        run.add(Format::Json, w[0] + i + 1, f, &spare);
                    }
                    run
                })
                .collect();
            let mut out = Vec::new();
            let mut printer = Printer::new(Format::Json);
            prop_assert!(printer.batch(&mut out, runs, &spare).is_ok());
            prop_assert!(printer.finish(&mut out).is_ok());
            let mut want = serde_json::to_vec_pretty(&findings).expect("serializes");
            want.push(b'\n');
            prop_assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&want));
        }
    }
}
