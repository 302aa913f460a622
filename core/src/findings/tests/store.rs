//! The compact store read from the log text: what it holds and what it reports are what
//! the folded ledger and the reference decoder give, however the log is cut into
//! chunks and runs of lines.

use proptest::prelude::*;

use super::{claim_of, spec, Spec};
use crate::config::Config;
use crate::ledger::Ledger;
use crate::log::Line;
use crate::model::{Claim, Entry, Record, Source, Status, StatusChange};

/// One step of a generated log, for the compact fold.
#[derive(Clone, Debug)]
enum Op {
    /// Adds source `s{n}` (a second add of one is an inconsistency).
    Source(u8),
    /// Logs a claim; its id as computed, in capitals (a hand edit), or not hex at all.
    Claim(Spec, u8),
    /// Logs again the claim of an earlier `Claim` op (the same id twice).
    Again(u8),
    /// Sets the status of the claim of some `Claim` op (maybe one logged later), at one
    /// of three times.
    Status(u8, u8, u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (0u8..5).prop_map(Op::Source),
        6 => (spec(), 0u8..6).prop_map(|(s, m)| Op::Claim(s, m)),
        1 => any::<u8>().prop_map(Op::Again),
        2 => (any::<u8>(), 0u8..6, 0u8..3).prop_map(|(c, s, t)| Op::Status(c, s, t)),
    ]
}

/// The lines of a log made of `ops`, after two sources.
fn log_of(ops: &[Op]) -> Vec<Line> {
    let claims: Vec<Claim> = ops
        .iter()
        .filter_map(|op| match op {
            Op::Claim(sp, mode) => {
                // Without a quotation mark, so that the line is in the form read in place.
                let quote = format!(
                    "{} as of {:?}, status {}",
                    sp.value.raw(),
                    sp.as_of,
                    sp.status
                );
                let mut c = claim_of(sp, quote);
                match mode {
                    // An escape in the quote: a line the reference decoder reads,
                    // between lines read in place.
                    3 => {
                        c.quote = c.quote.map(|q| format!("\"{q}\""));
                        c.id = c.computed_id();
                    }
                    4 => c.id = c.id.to_ascii_uppercase(),
                    5 => c.id = format!("zz{}", &c.id[2..]),
                    _ => {}
                }
                Some(c)
            }
            _ => None,
        })
        .collect();
    let pick = |n: u8| claims.get(usize::from(n) % claims.len().max(1));
    let mut made = 0;
    let mut entries = vec![
        (Entry::Source(Source::bare("s0")), 0),
        (Entry::Source(Source::bare("s1")), 0),
    ];
    for op in ops {
        let entry = match op {
            Op::Source(n) => Entry::Source(Source::bare(&format!("s{n}"))),
            Op::Claim(..) => {
                made += 1;
                Entry::Claim(claims[made - 1].clone())
            }
            Op::Again(n) => match claims[..made].get(usize::from(*n) % made.max(1)) {
                Some(c) => Entry::Claim(c.clone()),
                None => continue,
            },
            Op::Status(n, s, _) => match pick(*n) {
                Some(c) => Entry::Status(StatusChange {
                    claim: c.id.clone(),
                    status: Status::ALL[usize::from(*s)],
                    note: None,
                    evidence: None,
                }),
                None => continue,
            },
        };
        let at = match op {
            Op::Status(_, _, t) => *t,
            _ => 0,
        };
        entries.push((entry, at));
    }
    entries
        .into_iter()
        .enumerate()
        .map(|(i, (entry, at))| Line {
            line: i + 1,
            offset: 0,
            len: 0,
            record: Record {
                seq: i as u64,
                at: format!("2024-05-0{}T12:00:00Z", 3 - at),
                by: "t".into(),
                prev: String::new(),
                entry,
                hash: String::new(),
            },
            bad_hash: None,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The compact fold `conflicts` reads the log with keeps the ledger's rules: the
    /// same entries skipped (same lines, same reasons), the same statuses, so the same
    /// findings, counts and trust as the report over the folded ledger.
    #[test]
    fn the_compact_fold_reports_what_the_folded_ledger_does(ops in prop::collection::vec(op(), 0..40)) {
        let lines = log_of(&ops);
        let dir = std::path::Path::new(".");
        let mut ledger = Ledger::empty(dir);
        ledger.push_lines(lines.clone());
        let (state, store) = crate::findings::Store::load::<std::convert::Infallible>(dir, 0, |sink| {
            sink(lines)?;
            Ok(None)
        }).unwrap_or_else(|e| match e {});
        prop_assert_eq!(&state.inconsistencies, &ledger.inconsistencies);
        prop_assert_eq!(store.len(), ledger.claims.len());
        prop_assert_eq!(store.subjects(), ledger.subjects());
        let config = Config::default();
        let full = crate::findings::findings(&ledger, &config, None, None);
        let streamed = crate::findings::collect(|sink| crate::findings::stream(&store, &config, None, None, sink));
        prop_assert_eq!(json(&full.findings), json(&streamed.findings));
        prop_assert_eq!(json(&full.trust), json(&streamed.trust));
        prop_assert_eq!(json(&full.not_compared), json(&streamed.not_compared));
        prop_assert_eq!(full.claims_compared, streamed.claims_compared);
    }

    /// A report makes its figures a block of groups at a time (for trust, for ranking,
    /// for writing): what it says does not depend on how many groups a block holds.
    #[test]
    fn a_report_does_not_depend_on_how_many_groups_a_block_holds(
        ops in prop::collection::vec(op(), 0..40),
        block in 1usize..4,
    ) {
        let lines = log_of(&ops);
        let dir = std::path::Path::new(".");
        let (_, store) = crate::findings::Store::load::<std::convert::Infallible>(dir, 0, |sink| {
            sink(lines)?;
            Ok(None)
        }).unwrap_or_else(|e| match e {});
        let config = Config::default();
        let report = |block: usize| {
            let mut grouping = crate::findings::figure::Grouping::new(&store, &config);
            grouping.block = block;
            let r = crate::findings::collect(|sink| {
                crate::findings::stream_grouped(&grouping, &config, (None, None), None, sink)
            });
            (json(&r.findings), json(&r.trust), json(&r.not_compared), r.claims_compared)
        };
        prop_assert_eq!(report(block), report(crate::findings::trust::BLOCK));
    }

    /// Reading the log's text in place, a chunk at a time, gives the store the records
    /// give: the same entries skipped, the same claims, the same report.
    #[test]
    fn the_store_read_from_the_log_text_is_the_store_of_its_records(
        ops in prop::collection::vec(op(), 0..40),
        chunk in prop_oneof![1usize..600, Just(1usize << 20)],
    ) {
        let lines = log_of(&ops);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("log.ron");
        std::fs::write(&path, log_text(&lines)).expect("writes");
        let file = std::fs::File::open(&path).expect("opens");
        let (state, store) = crate::findings::Store::read_by(dir.path(), &path, &file, chunk).expect("reads");
        let (want_state, want) = crate::findings::Store::load::<std::convert::Infallible>(dir.path(), 0, |sink| {
            sink(lines)?;
            Ok(None)
        }).unwrap_or_else(|e| match e {});
        prop_assert_eq!(&state.inconsistencies, &want_state.inconsistencies);
        prop_assert_eq!(state.entries, want_state.entries);
        prop_assert_eq!(store.subjects(), want.subjects());
        prop_assert_eq!(claims_of(&store), claims_of(&want));
        let config = Config::default();
        let report = |s: &crate::findings::Store| {
            let r = crate::findings::collect(|sink| crate::findings::stream(s, &config, None, None, sink));
            (json(&r.findings), json(&r.trust))
        };
        prop_assert_eq!(report(&store), report(&want));
    }
}

/// The text of a log of `lines`, each line chained to the one before.
fn log_text(lines: &[Line]) -> String {
    let mut text = String::new();
    let mut prev = crate::log::GENESIS.to_string();
    for l in lines {
        let r = &l.record;
        let (line, hash) =
            crate::log::encode_line(r.seq, &r.at, &r.by, &prev, &r.entry).expect("encodes");
        // The line comes with its line end.
        text.push_str(&line);
        prev = hash;
    }
    text
}

/// A chunk of thousands of lines is read by several readers (a rayon split holds 256
/// lines or more), each remembering the names of its own run: a name marked "the same
/// as the line before" never reaches back across two runs.
#[test]
fn a_chunk_read_by_several_readers_keeps_every_claim_s_names() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..3 {
        let ops = prop::collection::vec(op(), 1500)
            .new_tree(&mut runner)
            .expect("ops")
            .current();
        let lines = log_of(&ops);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("log.ron");
        std::fs::write(&path, log_text(&lines)).expect("writes");
        let file = std::fs::File::open(&path).expect("opens");
        let (_, store) =
            crate::findings::Store::read_by(dir.path(), &path, &file, 1 << 22).expect("reads");
        let (_, want) =
            crate::findings::Store::load::<std::convert::Infallible>(dir.path(), 0, |sink| {
                sink(lines)?;
                Ok(None)
            })
            .unwrap_or_else(|e| match e {});
        assert!(store.len() > 500, "{} claims", store.len());
        assert_eq!(claims_of(&store), claims_of(&want));
    }
}

/// Each claim a store holds, by id, with its names and value spelled out: two stores
/// that number names differently but hold the same claims give the same list.
fn claims_of(s: &crate::findings::Store) -> Vec<[String; 8]> {
    let mut all: Vec<[String; 8]> = s
        .facts
        .iter()
        .map(|f| {
            [
                s.id_text(f),
                s.subjects.get(f.subject).to_string(),
                s.properties.get(f.property).to_string(),
                s.sources.get(f.source).to_string(),
                f.unit()
                    .map(|u| s.units.get(u).to_string())
                    .unwrap_or_default(),
                s.raw(f).to_string(),
                format!("{:?} {:?}", s.parsed(f), s.as_of(f)),
                format!("{:?}", f.status),
            ]
        })
        .collect();
    all.sort();
    all
}

fn json<T: serde::Serialize + ?Sized>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).expect("serializes")
}
