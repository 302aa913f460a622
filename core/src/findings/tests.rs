//! Findings over arbitrary claims: never a panic (huge figures, open and empty-ish
//! intervals, any mix of kinds, units, dates and verdicts), a best value always backed
//! by the claims that contain it, and the same report whatever order claims were logged.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::config::Config;
use crate::ledger::Ledger;
use crate::log::Line;
use crate::model::{Claim, DateValue, Entry, Record, Source, Status, StatusChange, Value};
use crate::time::{Precision, TimeSpan};
use crate::value::{Bound, Interval};

/// One generated claim: which source, subject and property, its value, as-of and
/// status.
#[derive(Clone, Debug)]
struct Spec {
    source: u8,
    subject: u8,
    property: u8,
    value: Value,
    unit: Option<&'static str>,
    as_of: Option<i64>,
    status: u8,
}

fn decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        (0i64..300).prop_map(Decimal::from),
        (0i64..100_000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s)),
        Just(Decimal::MAX),
        Just(Decimal::MAX - Decimal::ONE),
        Just(Decimal::ZERO),
    ]
}

fn bound(x: Decimal) -> impl Strategy<Value = Bound> {
    prop_oneof![
        Just(Bound::Incl(x)),
        Just(Bound::Excl(x)),
        Just(Bound::Unbounded)
    ]
}

fn interval() -> impl Strategy<Value = Interval> {
    (decimal(), decimal())
        .prop_flat_map(|(a, b)| {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            (bound(lo), bound(hi), any::<bool>())
        })
        .prop_map(|(low, high, exact)| match (exact, low, high) {
            (true, Bound::Incl(x) | Bound::Excl(x), _) => Interval::exact(x),
            // The grammar never writes an empty interval such as (5, 5]: a point instead.
            (_, Bound::Incl(a) | Bound::Excl(a), Bound::Incl(b) | Bound::Excl(b)) if a == b => {
                Interval::exact(a)
            }
            _ => Interval { low, high },
        })
}

fn span(day: i64, len: i64, minute: bool) -> TimeSpan {
    let start = NaiveDate::from_ymd_opt(2020, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        + chrono::Duration::days(day);
    let (end, precision) = if minute {
        (
            start + chrono::Duration::minutes(len + 1),
            Precision::Minute,
        )
    } else {
        (start + chrono::Duration::days(len + 1), Precision::Day)
    };
    TimeSpan {
        start,
        end,
        precision,
    }
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => interval().prop_map(|interval| Value::Quantity { raw: interval.to_string(), interval }),
        1 => (0i64..400, 0i64..40, any::<bool>()).prop_map(|(d, l, m)| {
            let s = span(d, l, m);
            Value::Date(DateValue { raw: s.to_string(), span: s, reference: None })
        }),
        1 => "[a-c ]{0,4}".prop_map(|raw| Value::Text { raw }),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0u8..4,
        0u8..2,
        0u8..3,
        value(),
        prop_oneof![
            Just(None),
            Just(Some("year")),
            Just(Some("month")),
            Just(Some("USD"))
        ],
        prop::option::of(0i64..60),
        0u8..6,
    )
        .prop_map(
            |(source, subject, property, value, unit, as_of, status)| Spec {
                source,
                subject,
                property,
                value,
                unit,
                as_of,
                status,
            },
        )
}

/// A ledger holding the specs' claims, logged in the given order.
fn ledger_of(specs: &[Spec]) -> Ledger {
    let mut entries: Vec<Entry> = (0..4)
        .map(|s| Entry::Source(Source::bare(&format!("s{s}"))))
        .collect();
    let mut statuses = Vec::new();
    for sp in specs {
        let as_of = sp.as_of.map(|d| {
            let s = span(d, 0, false);
            DateValue {
                raw: s.to_string(),
                span: s,
                reference: None,
            }
        });
        let mut claim = Claim {
            id: String::new(),
            source: format!("s{}", sp.source),
            subject: ["alpha", "beta"][usize::from(sp.subject)].to_string(),
            property: ["deaths", "amount", "date"][usize::from(sp.property)].to_string(),
            value: sp.value.clone(),
            unit: sp.unit.map(String::from),
            as_of,
            // From the content, not the position: the same claims logged in another
            // order have the same ids.
            quote: Some(format!("{:?}", (sp.value.raw(), sp.as_of, sp.status))),
            note: None,
            supersedes: None,
        };
        claim.id = claim.computed_id();
        if sp.status > 0 {
            statuses.push(Entry::Status(StatusChange {
                claim: claim.id.clone(),
                status: Status::ALL[usize::from(sp.status)],
                note: None,
                evidence: None,
            }));
        }
        entries.push(Entry::Claim(claim));
    }
    entries.extend(statuses);
    let lines = entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| Line {
            line: i + 1,
            offset: 0,
            len: 0,
            record: Record {
                seq: i as u64,
                at: "2024-05-01T12:00:00Z".into(),
                by: "t".into(),
                prev: String::new(),
                entry,
                hash: String::new(),
            },
            bad_hash: None,
        })
        .collect();
    let mut ledger = Ledger::empty(std::path::Path::new("."));
    ledger.push_lines(lines);
    ledger
}

fn report_json(ledger: &Ledger) -> serde_json::Value {
    let r = super::findings(ledger, &Config::default(), None, None);
    serde_json::to_value((&r.findings, &r.trust)).expect("findings serialize")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn findings_over_arbitrary_claims_never_panic_and_best_has_support(specs in prop::collection::vec(spec(), 0..40)) {
        let ledger = ledger_of(&specs);
        let config = Config::default();
        let report = super::findings(&ledger, &config, None, None);
        for f in &report.findings {
            if let Some(e) = &f.estimate {
                prop_assert!(e.best.is_none() || !e.support.is_empty(), "best {:?} without support in {f:#?}", e.best);
                prop_assert!(!(e.best.is_none() && !e.undetermined && f.claims.iter().any(|c| c.counts)), "{f:#?}");
            }
            prop_assert!(f.pairs.len() <= f.claims.len());
        }
        for c in &ledger.claims {
            let _ = super::warnings_for_new_claim(&ledger, &config, &c.claim);
        }
    }

    #[test]
    fn a_finding_written_over_another_is_the_finding_built_afresh(specs in prop::collection::vec(spec(), 0..40)) {
        let ledger = ledger_of(&specs);
        let config = Config::default();
        let store = super::Store::from_ledger(&ledger, &config, None);
        let built = super::figure::build(&store, &config);
        let weights = vec![super::trust::PRIOR_WEIGHT; store.source_ids.len()];
        // Forward, then backward: each finding is written over the one before it, of
        // any size, with or without pairs, revisions, units and as-ofs.
        let mut reused = super::assemble::Room::default();
        for fig in built.figures.iter().chain(built.figures.iter().rev()) {
            let fresh = super::assemble::finding(fig, &weights);
            let wrote = super::assemble::finding_into(fig, &weights, &mut reused);
            prop_assert_eq!(wrote, fresh.is_some());
            if let Some(fresh) = fresh {
                prop_assert_eq!(format!("{:?}", reused.finding), format!("{fresh:?}"));
            }
        }
    }

    #[test]
    fn the_texts_a_store_keeps_are_the_texts_of_each_value_and_date(specs in prop::collection::vec(spec(), 0..40)) {
        let ledger = ledger_of(&specs);
        let config = Config::default();
        let store = super::Store::from_ledger(&ledger, &config, None);
        let built = super::figure::build(&store, &config);
        let mut kept = String::new();
        let mut made = String::new();
        for fig in &built.figures {
            for it in &fig.items {
                fig.parsed_into(it, &mut kept);
                it.value.parsed_into(&mut made);
                prop_assert_eq!(&kept, &made);
                let as_of = it.as_of.map(|s| crate::time::span_to_text(&s));
                prop_assert_eq!(fig.as_of_text(it), as_of.as_deref());
            }
        }
    }

    #[test]
    fn findings_do_not_depend_on_the_order_claims_were_logged(specs in prop::collection::vec(spec(), 0..30)) {
        let forward = report_json(&ledger_of(&specs));
        let mut reversed = specs.clone();
        reversed.reverse();
        prop_assert_eq!(forward, report_json(&ledger_of(&reversed)));
    }
}

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
                let mut c = claim_of(sp);
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

fn claim_of(sp: &Spec) -> Claim {
    let mut claim = Claim {
        id: String::new(),
        source: format!("s{}", sp.source),
        subject: ["alpha", "beta"][usize::from(sp.subject)].to_string(),
        property: ["deaths", "amount", "date"][usize::from(sp.property)].to_string(),
        value: sp.value.clone(),
        unit: sp.unit.map(String::from),
        as_of: sp.as_of.map(|d| {
            let s = span(d, 0, false);
            DateValue {
                raw: s.to_string(),
                span: s,
                reference: None,
            }
        }),
        // Without a quotation mark, so that the line is in the form read in place.
        quote: Some(format!(
            "{} as of {:?}, status {}",
            sp.value.raw(),
            sp.as_of,
            sp.status
        )),
        note: None,
        supersedes: None,
    };
    claim.id = claim.computed_id();
    claim
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
        let (state, store) = super::Store::load::<std::convert::Infallible>(dir, 0, |sink| {
            sink(lines)?;
            Ok(None)
        }).unwrap_or_else(|e| match e {});
        prop_assert_eq!(&state.inconsistencies, &ledger.inconsistencies);
        prop_assert_eq!(store.len(), ledger.claims.len());
        prop_assert_eq!(store.subjects(), ledger.subjects());
        let config = Config::default();
        let full = super::findings(&ledger, &config, None, None);
        let streamed = super::collect(|sink| super::stream(&store, &config, None, None, sink));
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
        let (_, store) = super::Store::load::<std::convert::Infallible>(dir, 0, |sink| {
            sink(lines)?;
            Ok(None)
        }).unwrap_or_else(|e| match e {});
        let config = Config::default();
        let report = |block: usize| {
            let mut grouping = super::figure::Grouping::new(&store, &config);
            grouping.block = block;
            let r = super::collect(|sink| {
                super::stream_grouped(&grouping, &config, (None, None), None, sink)
            });
            (json(&r.findings), json(&r.trust), json(&r.not_compared), r.claims_compared)
        };
        prop_assert_eq!(report(block), report(super::trust::BLOCK));
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
        let (state, store) = super::Store::read_by(dir.path(), &path, &file, chunk).expect("reads");
        let (want_state, want) = super::Store::load::<std::convert::Infallible>(dir.path(), 0, |sink| {
            sink(lines)?;
            Ok(None)
        }).unwrap_or_else(|e| match e {});
        prop_assert_eq!(&state.inconsistencies, &want_state.inconsistencies);
        prop_assert_eq!(state.entries, want_state.entries);
        prop_assert_eq!(store.subjects(), want.subjects());
        prop_assert_eq!(claims_of(&store), claims_of(&want));
        let config = Config::default();
        let report = |s: &super::Store| {
            let r = super::collect(|sink| super::stream(s, &config, None, None, sink));
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
        let (_, store) = super::Store::read_by(dir.path(), &path, &file, 1 << 22).expect("reads");
        let (_, want) = super::Store::load::<std::convert::Infallible>(dir.path(), 0, |sink| {
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
fn claims_of(s: &super::Store) -> Vec<[String; 8]> {
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

/// A report of several batches is built a batch ahead on a thread of its own: the
/// batches still come in order, and an error from the writer stops the building.
#[test]
fn batches_come_in_order_and_a_failed_write_stops_the_building() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let built = AtomicUsize::new(0);
    let build = |k: usize| {
        built.fetch_add(1, Ordering::SeqCst);
        vec![k; 3]
    };
    let mut got = Vec::new();
    let all = super::pipeline(7, &build, &mut |b: Vec<usize>| {
        got.push(b);
        Ok::<(), String>(())
    });
    assert_eq!(all, Ok(()));
    assert_eq!(got, (0..7).map(|k| vec![k; 3]).collect::<Vec<_>>());
    built.store(0, Ordering::SeqCst);
    let mut seen = 0;
    let failed = super::pipeline(1000, &build, &mut |b: Vec<usize>| {
        seen += 1;
        if b[0] == 2 {
            return Err(format!("disk full at batch {}", b[0]));
        }
        Ok(())
    });
    assert_eq!(failed, Err("disk full at batch 2".to_string()));
    assert_eq!(seen, 3);
    // The builder is at most a batch or two ahead when it learns the writer stopped.
    assert!(
        built.load(Ordering::SeqCst) <= 5,
        "{}",
        built.load(Ordering::SeqCst)
    );
    let mut none = 0;
    assert_eq!(
        super::pipeline(0, &build, &mut |_: Vec<usize>| {
            none += 1;
            Ok::<(), String>(())
        }),
        Ok(())
    );
    assert_eq!(none, 0);
}

/// A report streamed from a worker of a pool of one builds its batches in line: a
/// thread of its own would wait for a worker that is waiting for it.
#[test]
fn a_report_streamed_on_a_pool_of_one_does_not_wait_for_itself() {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool of one");
    // Built on the same pool, as a report's batches are built on the pool it runs in.
    let build =
        |k: usize| pool.install(|| (0..4usize).into_par_iter().map(|x| x + k).sum::<usize>());
    let got = pool.install(|| {
        let mut got = Vec::new();
        super::pipeline(5, &build, &mut |b| {
            got.push(b);
            Ok::<(), ()>(())
        })
        .map(|()| got)
    });
    assert_eq!(got, Ok(vec![6, 10, 14, 18, 22]));
}
