//! The JSON writer against serde's own output: every finding, pretty and compact.

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
    (date, text(), text(), direction(), text()).prop_map(|(date, from, to, direction, claim)| {
        Revision {
            date,
            from,
            to,
            direction,
            claim,
        }
    })
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
