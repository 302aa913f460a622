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

mod store;

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

/// The claim a spec stands for, quoting `quote`, with its id computed.
fn claim_of(sp: &Spec, quote: String) -> Claim {
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
        quote: Some(quote),
        note: None,
        supersedes: None,
    };
    claim.id = claim.computed_id();
    claim
}

/// A ledger holding the specs' claims, logged in the given order.
fn ledger_of(specs: &[Spec]) -> Ledger {
    let mut entries: Vec<Entry> = (0..4)
        .map(|s| Entry::Source(Source::bare(&format!("s{s}"))))
        .collect();
    let mut statuses = Vec::new();
    for sp in specs {
        // The quote from the content, not the position: the same claims logged in
        // another order have the same ids.
        let claim = claim_of(sp, format!("{:?}", (sp.value.raw(), sp.as_of, sp.status)));
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

/// The compact store of a ledger holding the specs' claims.
fn store_of(specs: &[Spec]) -> super::Store {
    super::Store::from_ledger(&ledger_of(specs), &Config::default(), None)
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
        let (config, store) = (Config::default(), store_of(&specs));
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
        let (config, store) = (Config::default(), store_of(&specs));
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
