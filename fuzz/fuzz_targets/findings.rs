//! Fuzzes findings: any set of claims (huge or open figures, dates, texts, units,
//! verdicts, undated claims) gives a report, never a panic, and every best value has
//! claims behind it. Each 8 input bytes make one claim.
#![no_main]

use chrono::NaiveDate;
use factledger_core::config::Config;
use factledger_core::findings::{findings, warnings_for_new_claim};
use factledger_core::ledger::Ledger;
use factledger_core::log::Line;
use factledger_core::model::{Claim, DateValue, Entry, Record, Source, Status, StatusChange, Value};
use factledger_core::time::{Precision, TimeSpan};
use factledger_core::value::{Bound, Interval};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

fn number(b: u8, c: u8) -> Decimal {
    match b % 8 {
        0 => Decimal::MAX,
        1 => Decimal::MAX - Decimal::ONE,
        2 => Decimal::new(i64::from(c), 1),
        _ => Decimal::from(u32::from(b) * 7 + u32::from(c)),
    }
}

fn day(d: u8, len: u8, minute: bool) -> TimeSpan {
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap()
        + chrono::Duration::days(i64::from(d));
    let (end, precision) = if minute {
        (start + chrono::Duration::minutes(i64::from(len) + 1), Precision::Minute)
    } else {
        (start + chrono::Duration::days(i64::from(len % 40) + 1), Precision::Day)
    };
    TimeSpan { start, end, precision }
}

fn value(b: &[u8]) -> Value {
    match b[3] % 6 {
        0 => {
            let s = day(b[4], b[5], b[6] % 2 == 0);
            Value::Date(DateValue { raw: s.to_string(), span: s, reference: None })
        }
        1 => Value::Text { raw: ["a", "A.", "b", ""][usize::from(b[4] % 4)].to_string() },
        _ => {
            let (x, y) = (number(b[4], b[5]), number(b[6], b[7]));
            let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
            let interval = match b[3] % 5 {
                0 if lo < hi => Interval { low: Bound::Excl(lo), high: Bound::Unbounded },
                1 if lo < hi => Interval { low: Bound::Incl(lo), high: Bound::Excl(hi) },
                2 if lo < hi => Interval { low: Bound::Incl(lo), high: Bound::Incl(hi) },
                _ => Interval::exact(lo),
            };
            Value::Quantity { raw: interval.to_string(), interval }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut entries: Vec<Entry> = (0..4).map(|s| Entry::Source(Source::bare(&format!("s{s}")))).collect();
    let mut statuses = Vec::new();
    for (n, b) in data.chunks_exact(8).take(64).enumerate() {
        let as_of = (b[2] % 4 != 0).then(|| {
            let s = day(b[2], 0, false);
            DateValue { raw: s.to_string(), span: s, reference: None }
        });
        let mut claim = Claim {
            id: String::new(),
            source: format!("s{}", b[0] % 4),
            subject: "x".into(),
            property: ["deaths", "amount"][usize::from(b[1] % 2)].into(),
            value: value(b),
            unit: [None, Some("year"), Some("month")][usize::from(b[1] / 2 % 3)].map(String::from),
            as_of,
            quote: Some(format!("q{n}")),
            note: None,
            supersedes: None,
        };
        claim.id = claim.computed_id();
        if b[7] % 3 == 0 {
            statuses.push(Entry::Status(StatusChange {
                claim: claim.id.clone(),
                status: Status::ALL[usize::from(b[6] % 6)],
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
            record: Record { seq: i as u64, at: String::new(), by: String::new(), prev: String::new(), entry, hash: String::new() },
            bad_hash: None,
        })
        .collect();
    let mut ledger = Ledger::empty(std::path::Path::new("."));
    ledger.push_lines(lines);
    let config = Config::default();
    let report = findings(&ledger, &config, None, None);
    for f in &report.findings {
        if let Some(e) = &f.estimate {
            assert!(e.best.is_none() || !e.support.is_empty(), "best without support: {f:?}");
        }
    }
    for c in ledger.claims.iter().take(8) {
        let _ = warnings_for_new_claim(&ledger, &config, &c.claim);
    }
});
