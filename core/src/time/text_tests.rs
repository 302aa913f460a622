//! The spans' text written digit by digit is what chrono's format strings wrote: the
//! formatting this module had before, kept here as the reference.

use super::span::next_month;
use super::*;
use chrono::{Datelike, NaiveTime, Timelike};
use proptest::prelude::*;

fn reference_offset(offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.unsigned_abs();
    format!("{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
}

fn reference_point(t: NaiveDateTime) -> String {
    if t.time() == NaiveTime::MIN {
        t.format("%Y-%m-%d").to_string()
    } else if t.second() == 0 && t.nanosecond() == 0 {
        t.format("%Y-%m-%d %H:%M").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S%.f").to_string()
    }
}

fn reference_short(s: &TimeSpan) -> Option<String> {
    let (start, end) = (s.start, s.end);
    if let Precision::Zoned(offset) = s.precision {
        let one = start.checked_add_signed(chrono::Duration::minutes(1))?;
        let local = start.checked_add_signed(chrono::Duration::seconds(i64::from(offset)))?;
        let whole = start.second() == 0 && start.nanosecond() == 0;
        let text = || {
            let t = local.format("%Y-%m-%d %H:%M");
            format!("{t} {}", reference_offset(offset))
        };
        return (whole && end == one).then(text);
    }
    if s.precision == Precision::Minute {
        let one = start.checked_add_signed(chrono::Duration::minutes(1))?;
        let whole = start.second() == 0 && start.nanosecond() == 0;
        return (whole && end == one).then(|| start.format("%Y-%m-%d %H:%M").to_string());
    }
    if start.time() != NaiveTime::MIN || end.time() != NaiveTime::MIN {
        return None;
    }
    let (sd, ed) = (start.date(), end.date());
    let (y, m, d) = (sd.year(), sd.month(), sd.day());
    let jan1 = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1);
    match s.precision {
        Precision::Minute | Precision::Span | Precision::Zoned(_) => None,
        Precision::Day => (sd.succ_opt()? == ed).then(|| sd.format("%Y-%m-%d").to_string()),
        Precision::Month => {
            let (ny, nm) = next_month(y, m);
            (d == 1 && NaiveDate::from_ymd_opt(ny, nm, 1)? == ed).then(|| format!("{y:04}-{m:02}"))
        }
        Precision::Year => (jan1(y)? == sd && jan1(y + 1)? == ed).then(|| format!("{y:04}")),
        Precision::Part => {
            let word = match m {
                1 => "early",
                5 => "mid",
                9 => "late",
                _ => return None,
            };
            let (ey, em) = if m == 9 { (y + 1, 1) } else { (y, m + 4) };
            (d == 1 && NaiveDate::from_ymd_opt(ey, em, 1)? == ed).then(|| format!("{word} {y:04}"))
        }
        Precision::Decade => {
            if jan1(y)? != sd || ed.month() != 1 || ed.day() != 1 {
                return None;
            }
            let len = ed.year() - y;
            let decade = y - y.rem_euclid(10);
            let word = match (y.rem_euclid(10), len) {
                (0, 10) => "",
                (0, 4) => "early ",
                (4, 3) => "mid ",
                (7, 3) => "late ",
                _ => return None,
            };
            Some(format!("{word}{decade:04}s"))
        }
    }
}

fn reference_display(s: &TimeSpan) -> String {
    reference_short(s)
        .unwrap_or_else(|| format!("{}..{}", reference_point(s.start), reference_point(s.end)))
}

fn precision() -> impl Strategy<Value = Precision> {
    prop_oneof![
        Just(Precision::Minute),
        Just(Precision::Day),
        Just(Precision::Month),
        Just(Precision::Part),
        Just(Precision::Year),
        Just(Precision::Decade),
        Just(Precision::Span),
        (-50_400i32..=50_400).prop_map(Precision::Zoned),
        prop_oneof![Just(-18_000), Just(19_800), Just(0), Just(3_600)].prop_map(Precision::Zoned),
    ]
}

/// An instant: often midnight or a whole minute (the shapes short forms have), in
/// years chrono writes with four digits and, now and then, outside them.
fn instant() -> impl Strategy<Value = NaiveDateTime> {
    let year = prop_oneof![8 => 1000i32..=9999, 1 => -300i32..=1000, 1 => 9990i32..=12000];
    let time = prop_oneof![
        Just((0u32, 0u32, 0u32, 0u32)),
        (0u32..24, 0u32..60).prop_map(|(h, m)| (h, m, 0, 0)),
        (0u32..24, 0u32..60, 0u32..60, 0u32..1_000_000_000),
    ];
    (year, 1u32..=12, 1u32..=31, time).prop_filter_map("a real day", |(y, m, d, t)| {
        NaiveDate::from_ymd_opt(y, m, d)?.and_hms_nano_opt(t.0, t.1, t.2, t.3)
    })
}

/// How far the end is from the start: one of the lengths short forms have, or any.
fn length() -> impl Strategy<Value = chrono::Duration> {
    prop_oneof![
        Just(chrono::Duration::minutes(1)),
        Just(chrono::Duration::days(1)),
        (28i64..=31).prop_map(chrono::Duration::days),
        (120i64..=123).prop_map(chrono::Duration::days),
        (365i64..=366).prop_map(chrono::Duration::days),
        prop_oneof![
            Just(1095i64),
            Just(1096),
            Just(1461),
            Just(3652),
            Just(3653)
        ]
        .prop_map(chrono::Duration::days),
        (1i64..10_000_000).prop_map(chrono::Duration::seconds),
    ]
}

/// A span that starts on the first day of a month, year or decade part.
fn aligned() -> impl Strategy<Value = TimeSpan> {
    (
        990i32..=10_000,
        prop_oneof![Just(1u32), Just(5), Just(9), 1u32..=12],
        0u32..=12,
        precision(),
    )
        .prop_filter_map("a real span", |(y, m, months, precision)| {
            let start = NaiveDate::from_ymd_opt(y, m, 1)?;
            let end = start.checked_add_months(chrono::Months::new(months.max(1)))?;
            let end = if months == 0 {
                NaiveDate::from_ymd_opt(y + [3, 4, 10][(y % 3) as usize], 1, 1)?
            } else {
                end
            };
            Some(TimeSpan {
                start: midnight_of(start),
                end: midnight_of(end),
                precision,
            })
        })
}

fn midnight_of(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

fn any_span() -> impl Strategy<Value = TimeSpan> {
    prop_oneof![
        (instant(), length(), precision()).prop_filter_map("in range", |(start, len, p)| {
            Some(TimeSpan {
                start,
                end: start.checked_add_signed(len)?,
                precision: p,
            })
        }),
        aligned(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn a_span_is_written_as_chrono_format_strings_wrote_it(s in any_span()) {
        prop_assert_eq!(s.to_string(), reference_display(&s));
        prop_assert_eq!(encode_span(&s).split('@').next().map(String::from), Some(reference_display(&s)));
    }

    #[test]
    fn a_day_or_minute_is_written_as_chrono_wrote_it(t in instant()) {
        prop_assert_eq!(day_or_minute_text(t, false), t.format("%Y-%m-%d").to_string());
        prop_assert_eq!(day_or_minute_text(t, true), t.format("%Y-%m-%d %H:%M").to_string());
    }
}

#[test]
fn each_short_form_is_written_as_before() {
    let day = |y, m, d| {
        NaiveDate::from_ymd_opt(y, m, d)
            .map(midnight_of)
            .expect("day")
    };
    let cases = [
        (
            day(2021, 11, 8),
            day(2021, 11, 9),
            Precision::Day,
            "2021-11-08",
        ),
        (
            day(2021, 11, 1),
            day(2021, 12, 1),
            Precision::Month,
            "2021-11",
        ),
        (day(2021, 1, 1), day(2022, 1, 1), Precision::Year, "2021"),
        (
            day(2022, 9, 1),
            day(2023, 1, 1),
            Precision::Part,
            "late 2022",
        ),
        (
            day(1994, 1, 1),
            day(1997, 1, 1),
            Precision::Decade,
            "mid 1990s",
        ),
        (day(1990, 1, 1), day(2000, 1, 1), Precision::Decade, "1990s"),
        (
            day(2021, 8, 1),
            day(2022, 9, 1),
            Precision::Span,
            "2021-08-01..2022-09-01",
        ),
    ];
    for (start, end, precision, text) in cases {
        let s = TimeSpan {
            start,
            end,
            precision,
        };
        assert_eq!(s.to_string(), text);
        assert_eq!(reference_display(&s), text);
    }
    let t = day(2011, 12, 4) + chrono::Duration::minutes(17 * 60 + 30);
    let zoned = TimeSpan {
        start: t,
        end: t + chrono::Duration::minutes(1),
        precision: Precision::Zoned(-18_000),
    };
    assert_eq!(zoned.to_string(), "2011-12-04 12:30 -05:00");
}
