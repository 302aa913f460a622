//! verify's compact fold against the ledger's own fold, and against itself in chunks of
//! any size: on logs of sources, claims and status changes in any order (duplicates,
//! ids in capitals or not hex at all, statuses before their claims, unknown kinds).

use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::ledger::Ledger;
use crate::log::{chain_line, encode_entry, parse_log, GENESIS};
use crate::model::{Claim, Entry, Source, Status, StatusChange, Value};

/// One entry of a generated log, by small numbers.
#[derive(Clone, Debug)]
enum Op {
    Source(u8),
    /// Source, subject, and how the id is written: 0 as computed, 1 in capitals, 2 not
    /// hex, 3 hex but wrong.
    Claim(u8, u8, u8),
    /// The claim (source, subject) it changes; its id in capitals or not.
    Status(u8, u8, bool),
    Unknown,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0u8..4).prop_map(Op::Source),
        5 => (0u8..5, 0u8..4, prop_oneof![6 => Just(0u8), 1 => 1u8..4])
            .prop_map(|(s, j, f)| Op::Claim(s, j, f)),
        3 => (0u8..5, 0u8..4, any::<bool>()).prop_map(|(s, j, u)| Op::Status(s, j, u)),
        1 => Just(Op::Unknown),
    ]
}

fn claim(source: u8, subject: u8) -> Claim {
    let mut c = Claim {
        id: String::new(),
        source: format!("s{source}"),
        subject: format!("x{subject}"),
        property: "deaths".into(),
        value: Value::Text { raw: "v".into() },
        unit: None,
        as_of: None,
        quote: Some("q".into()),
        note: None,
        supersedes: None,
    };
    c.id = c.computed_id();
    c
}

/// The entry's RON text, as the log holds it.
fn entry_text(op: &Op) -> String {
    let entry = match *op {
        Op::Source(k) => Entry::Source(Source::bare(&format!("s{k}"))),
        Op::Claim(s, j, form) => {
            let mut c = claim(s, j);
            c.id = match form {
                0 => c.id,
                1 => c.id.to_uppercase(),
                2 => "not-hex".into(),
                _ => "ab".repeat(32),
            };
            Entry::Claim(c)
        }
        Op::Status(s, j, upper) => {
            let id = claim(s, j).id;
            Entry::Status(StatusChange {
                claim: if upper { id.to_uppercase() } else { id },
                status: Status::Verified,
                note: None,
                evidence: None,
            })
        }
        Op::Unknown => return "Checkpoint((size:3))".into(),
    };
    encode_entry(&entry).unwrap()
}

/// A ledger directory holding the log of `ops`, chained.
fn ledger_of(ops: &[Op]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut log = String::from("// a log\n");
    let mut prev = GENESIS.to_string();
    for (seq, op) in (1..).zip(ops) {
        let (line, hash) = chain_line(seq, "\"t\"", "\"b\"", &prev, &entry_text(op));
        log.push_str(&line);
        prev = hash;
    }
    std::fs::write(dir.path().join("log.ron"), log).unwrap();
    dir
}

const OPTS: VerifyOptions = VerifyOptions {
    allow_outside: false,
    max_file_bytes: 1 << 20,
};

/// What a fold says of a log: entries, claims, unknown kinds (kind, entries, first line)
/// and each inconsistency as verify words it.
type Folded = (usize, usize, Vec<(String, usize, usize)>, Vec<String>);

/// What the ledger's own fold says of the log.
fn by_ledger(dir: &Path) -> Folded {
    let bytes = std::fs::read(dir.join("log.ron")).unwrap();
    let lines = parse_log(Path::new("log.ron"), &bytes, ReadMode::Verify).unwrap();
    let mut ledger = Ledger::index_only(dir);
    ledger.push_lines(lines.lines);
    let unknown = ledger
        .unknown
        .iter()
        .map(|(k, &(n, first))| (k.clone(), n, first))
        .collect();
    let found = ledger
        .inconsistencies
        .iter()
        .map(|i| format!("line {}: {}", i.line, i.what))
        .collect();
    (ledger.entries, ledger.claim_count(), unknown, found)
}

/// What verify says of the log, read in chunks of about `size` bytes.
fn by_verify(dir: &Path, size: usize) -> Folded {
    let r = verify_by(dir, OPTS, &|_| {}, size).unwrap();
    let unknown = r
        .unknown
        .iter()
        .map(|u| (u.kind.clone(), u.entries, u.first_line))
        .collect();
    let found = r
        .problems
        .iter()
        .filter(|p| p.kind == "inconsistent")
        .map(|p| p.message.clone())
        .collect();
    (r.entries, r.claims, unknown, found)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// verify's fold reports what the ledger's fold reports, word for word and in the
    /// same order, and reading in chunks of any size changes nothing it reports.
    #[test]
    fn verify_folds_as_the_ledger_does_in_chunks_of_any_size(
        ops in proptest::collection::vec(op(), 0..40),
    ) {
        let dir = ledger_of(&ops);
        let expected = by_ledger(dir.path());
        prop_assert_eq!(&by_verify(dir.path(), CHUNK), &expected);
        let whole = verify_by(dir.path(), OPTS, &|_| {}, CHUNK).unwrap();
        for size in [1, 50, 700] {
            prop_assert_eq!(&by_verify(dir.path(), size), &expected);
            let r = verify_by(dir.path(), OPTS, &|_| {}, size).unwrap();
            prop_assert_eq!(&r.problems, &whole.problems);
            prop_assert_eq!(r.quotes_unchecked, whole.quotes_unchecked);
        }
    }
}

#[test]
fn a_duplicate_in_capitals_and_a_status_before_its_claim_are_found() {
    let ops = [
        Op::Status(0, 0, false),
        Op::Source(0),
        Op::Claim(0, 0, 0),
        Op::Claim(0, 0, 1),
        Op::Status(0, 0, true),
        Op::Claim(0, 1, 2),
    ];
    let dir = ledger_of(&ops);
    let (entries, claims, _, found) = by_verify(dir.path(), CHUNK);
    let id = claim(0, 0).id;
    assert_eq!((entries, claims), (6, 1));
    assert_eq!(
        found,
        [
            format!("line 2: status change for unknown claim {id}"),
            format!(
                "line 5: claim {} was already logged on line 4",
                id.to_uppercase()
            ),
            "line 7: claim id \"not-hex\" is not 64 hex digits".to_string(),
        ]
    );
}
