//! Tests of the date grammar.

use super::span::{decade_span, midnight, next_month, part_span};
use super::*;
use crate::lexicon::MONTH_NAMES;
use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test date")
}

fn sp(a: (i32, u32, u32), b: (i32, u32, u32), precision: Precision) -> TimeSpan {
    TimeSpan {
        start: midnight(ymd(a.0, a.1, a.2)),
        end: midnight(ymd(b.0, b.1, b.2)),
        precision,
    }
}

fn year(y: i32) -> TimeSpan {
    sp((y, 1, 1), (y + 1, 1, 1), Precision::Year)
}

fn month(y: i32, m: u32) -> TimeSpan {
    let (ny, nm) = next_month(y, m);
    sp((y, m, 1), (ny, nm, 1), Precision::Month)
}

fn day(y: i32, m: u32, d: u32) -> TimeSpan {
    let s = ymd(y, m, d);
    TimeSpan {
        start: midnight(s),
        end: midnight(s.succ_opt().expect("next")),
        precision: Precision::Day,
    }
}

fn minute(y: i32, m: u32, d: u32, h: u32, min: u32) -> TimeSpan {
    let start = ymd(y, m, d).and_hms_opt(h, min, 0).expect("time");
    TimeSpan {
        start,
        end: start + chrono::Duration::minutes(1),
        precision: Precision::Minute,
    }
}

fn parse(text: &str, reference: Option<&TimeSpan>) -> ParsedDate {
    parse_date(text, reference).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn err(text: &str) -> String {
    match parse_date(text, None) {
        Ok(v) => panic!("{text:?} parsed as {v:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn absolute_forms() {
    let cases = [
        ("2021", year(2021)),
        ("2021-11", month(2021, 11)),
        ("2021-11-08", day(2021, 11, 8)),
        ("2011-12-04 09:10", minute(2011, 12, 4, 9, 10)),
        ("2011-12-04T09:10", minute(2011, 12, 4, 9, 10)),
        ("November 2021", month(2021, 11)),
        ("Nov 2021", month(2021, 11)),
        ("Nov. 2021", month(2021, 11)),
        ("18 March 2024", day(2024, 3, 18)),
        ("March 18, 2024", day(2024, 3, 18)),
        ("March 18th, 2024", day(2024, 3, 18)),
        ("August 3, 2021", day(2021, 8, 3)),
        ("August 31, 2021", day(2021, 8, 31)),
        ("January 10th, 2026", day(2026, 1, 10)),
        ("the 22nd of March 2024", day(2024, 3, 22)),
        ("December of 2017", month(2017, 12)),
        ("July of 2023", month(2023, 7)),
        ("October of 2023", month(2023, 10)),
        ("in October of 2023", month(2023, 10)),
        ("9:10 AM, Dec 04 2011", minute(2011, 12, 4, 9, 10)),
        ("Dec 04 2011 9:10 pm", minute(2011, 12, 4, 21, 10)),
        ("Dec 04 2011 12:05 am", minute(2011, 12, 4, 0, 5)),
        ("Dec 04 2011 12:05 p.m.", minute(2011, 12, 4, 12, 5)),
        ("Monday, March 18, 2024", day(2024, 3, 18)),
        ("in 2022", year(2022)),
        ("on March 18th, 2024", day(2024, 3, 18)),
        ("since 1979", year(1979)),
        ("by 1991", year(1991)),
        ("during 2022", year(2022)),
        (
            "early 2022",
            sp((2022, 1, 1), (2022, 5, 1), Precision::Part),
        ),
        ("mid 2022", sp((2022, 5, 1), (2022, 9, 1), Precision::Part)),
        ("mid-2022", sp((2022, 5, 1), (2022, 9, 1), Precision::Part)),
        ("Late 2022", sp((2022, 9, 1), (2023, 1, 1), Precision::Part)),
        (
            "the 1990s",
            sp((1990, 1, 1), (2000, 1, 1), Precision::Decade),
        ),
        ("the 90s", sp((1990, 1, 1), (2000, 1, 1), Precision::Decade)),
        (
            "in the 90s",
            sp((1990, 1, 1), (2000, 1, 1), Precision::Decade),
        ),
        (
            "the ’90s",
            sp((1990, 1, 1), (2000, 1, 1), Precision::Decade),
        ),
        (
            "the 1990's",
            sp((1990, 1, 1), (2000, 1, 1), Precision::Decade),
        ),
        (
            "the late 1990s",
            sp((1997, 1, 1), (2000, 1, 1), Precision::Decade),
        ),
        (
            "the mid-1990s",
            sp((1994, 1, 1), (1997, 1, 1), Precision::Decade),
        ),
        (
            "by the early 2000s",
            sp((2000, 1, 1), (2004, 1, 1), Precision::Decade),
        ),
        (
            "the 2020s",
            sp((2020, 1, 1), (2030, 1, 1), Precision::Decade),
        ),
        (
            "2021-08-01..2022-09-01",
            sp((2021, 8, 1), (2022, 9, 1), Precision::Span),
        ),
        ("2024-02-29", day(2024, 2, 29)),
    ];
    for (text, span) in cases {
        assert_eq!(
            parse(text, None),
            ParsedDate {
                span,
                relative: false,
                inferred: None,
            },
            "{text}"
        );
    }
}

#[test]
fn seed_absolute_phrases() {
    let cases = [
        ("July of 2023", month(2023, 7)),
        ("December of 2017", month(2017, 12)),
        ("August 31, 2021", day(2021, 8, 31)),
        ("January 10th, 2026", day(2026, 1, 10)),
        ("the 90s", sp((1990, 1, 1), (2000, 1, 1), Precision::Decade)),
        (
            "the late 1990s",
            sp((1997, 1, 1), (2000, 1, 1), Precision::Decade),
        ),
        ("October of 2023", month(2023, 10)),
    ];
    for (text, span) in cases {
        assert_eq!(parse(text, None).span, span, "{text}");
    }
}

#[test]
fn relative_forms() {
    let may22 = month(2022, 5);
    let apr24 = month(2024, 4);
    let y2022 = year(2022);
    let y2025 = year(2025);
    let d = day(2024, 3, 20); // a Wednesday
    let (aug22, sep22, y2024) = (month(2022, 8), month(2022, 9), year(2024));
    let dec19 = day(2022, 12, 19);
    let cases: Vec<(&str, &TimeSpan, TimeSpan)> = vec![
        // seeds
        ("last August", &may22, month(2021, 8)),
        ("March 18th of this year", &apr24, day(2024, 3, 18)),
        ("in November last year", &may22, month(2021, 11)),
        (
            "last August",
            &y2022,
            sp((2021, 8, 1), (2022, 9, 1), Precision::Span),
        ),
        ("the 22nd of March this year", &apr24, day(2024, 3, 22)),
        ("on the 22nd of March this year", &apr24, day(2024, 3, 22)),
        ("last year", &y2025, year(2024)),
        // others
        ("November last year", &may22, month(2021, 11)),
        ("this year", &may22, year(2022)),
        ("last year", &may22, year(2021)),
        ("next year", &may22, year(2023)),
        ("this month", &may22, month(2022, 5)),
        ("last month", &may22, month(2022, 4)),
        ("next month", &d, month(2024, 4)),
        ("this month", &y2022, year(2022)),
        (
            "last month",
            &y2022,
            sp((2021, 12, 1), (2022, 12, 1), Precision::Span),
        ),
        ("two years ago", &may22, year(2020)),
        ("a decade ago", &y2022, year(2012)),
        ("two decades ago", &y2022, year(2002)),
        ("eight months ago", &may22, month(2021, 9)),
        ("3 days ago", &d, day(2024, 3, 17)),
        ("two weeks ago", &d, day(2024, 3, 6)),
        (
            "a few years ago",
            &may22,
            sp((2017, 1, 1), (2021, 1, 1), Precision::Span),
        ),
        (
            "several months ago",
            &may22,
            sp((2021, 8, 1), (2022, 3, 1), Precision::Span),
        ),
        ("yesterday", &d, day(2024, 3, 19)),
        ("today", &d, day(2024, 3, 20)),
        ("tomorrow", &d, day(2024, 3, 21)),
        ("yesterday at 9:10 pm", &d, minute(2024, 3, 19, 21, 10)),
        (
            "yesterday",
            &apr24,
            sp((2024, 3, 31), (2024, 4, 30), Precision::Span),
        ),
        (
            "last week",
            &d,
            sp((2024, 3, 11), (2024, 3, 18), Precision::Span),
        ),
        (
            "this week",
            &d,
            sp((2024, 3, 18), (2024, 3, 25), Precision::Span),
        ),
        ("last August", &aug22, month(2021, 8)),
        ("last August", &sep22, month(2022, 8)),
        ("next August", &aug22, month(2023, 8)),
        ("this August", &may22, month(2022, 8)),
        ("March 18", &apr24, day(2024, 3, 18)),
        ("18 March", &apr24, day(2024, 3, 18)),
        ("March 18th of this year", &y2024, day(2024, 3, 18)),
        ("March 18th of last year", &apr24, day(2023, 3, 18)),
        ("December last year", &y2025, month(2024, 12)),
        (
            "in the last year",
            &d,
            sp((2023, 3, 20), (2024, 3, 21), Precision::Span),
        ),
        (
            "the past decade",
            &d,
            sp((2014, 3, 20), (2024, 3, 21), Precision::Span),
        ),
        (
            "in the last decade",
            &dec19,
            sp((2012, 12, 19), (2022, 12, 20), Precision::Span),
        ),
        (
            "past month",
            &d,
            sp((2024, 2, 20), (2024, 3, 21), Precision::Span),
        ),
        (
            "the last week",
            &d,
            sp((2024, 3, 13), (2024, 3, 21), Precision::Span),
        ),
        (
            "the last year",
            &y2025,
            sp((2024, 1, 1), (2026, 1, 1), Precision::Span),
        ),
    ];
    for (text, reference, span) in cases {
        assert_eq!(
            parse(text, Some(reference)),
            ParsedDate {
                span,
                relative: true,
                inferred: None,
            },
            "{text} at {reference}"
        );
    }
}

#[test]
fn relative_without_reference() {
    for text in [
        "last August",
        "this year",
        "two years ago",
        "yesterday",
        "March 18th of this year",
    ] {
        assert_eq!(
            parse_date(text, None),
            Err(DateError::NoReference {
                text: text.to_string()
            })
        );
    }
}

#[test]
fn display_and_span_to_text() {
    let cases = [
        (year(2021), "2021"),
        (month(2021, 11), "2021-11"),
        (day(2021, 11, 8), "2021-11-08"),
        (minute(2011, 12, 4, 9, 10), "2011-12-04 09:10"),
        (
            sp((2022, 1, 1), (2022, 5, 1), Precision::Part),
            "early 2022",
        ),
        (sp((2022, 5, 1), (2022, 9, 1), Precision::Part), "mid 2022"),
        (sp((2022, 9, 1), (2023, 1, 1), Precision::Part), "late 2022"),
        (sp((1990, 1, 1), (2000, 1, 1), Precision::Decade), "1990s"),
        (
            sp((1997, 1, 1), (2000, 1, 1), Precision::Decade),
            "late 1990s",
        ),
        (
            sp((2000, 1, 1), (2004, 1, 1), Precision::Decade),
            "early 2000s",
        ),
        (
            sp((1994, 1, 1), (1997, 1, 1), Precision::Decade),
            "mid 1990s",
        ),
        (
            sp((2021, 8, 1), (2022, 9, 1), Precision::Span),
            "2021-08-01..2022-09-01",
        ),
        // A span whose shape does not fit its precision prints as a range.
        (
            sp((2021, 8, 1), (2022, 9, 1), Precision::Year),
            "2021-08-01..2022-09-01",
        ),
    ];
    for (span, text) in cases {
        assert_eq!(span.to_string(), text);
        assert_eq!(span_to_text(&span), text);
    }
    let odd = TimeSpan {
        start: ymd(2021, 8, 1).and_hms_opt(9, 10, 0).expect("time"),
        end: ymd(2021, 8, 2).and_hms_opt(0, 0, 30).expect("time"),
        precision: Precision::Span,
    };
    assert_eq!(odd.to_string(), "2021-08-01 09:10..2021-08-02 00:00:30");
    assert_eq!(parse(&odd.to_string(), None).span, odd);
}

#[test]
fn error_messages() {
    let cases = [
        (
            "Novembr 2021",
            r#"could not read "Novembr 2021" as a date: "Novembr" is not a month name; write e.g. "November 2021", "2021-11", "18 March 2024""#,
        ),
        (
            "2021-02-30",
            r#"could not read "2021-02-30" as a date: February 2021 has no day 30; write e.g. "November 2021", "2021-11", "18 March 2024""#,
        ),
        (
            "2021-13",
            r#"could not read "2021-13" as a date: 13 is not a month (months run from 1 to 12); write e.g. "November 2021", "2021-11", "18 March 2024""#,
        ),
        (
            "30 February 2023",
            r#"could not read "30 February 2023" as a date: February 2023 has no day 30; write e.g. "November 2021", "2021-11", "18 March 2024""#,
        ),
        (
            "",
            r#"could not read "" as a date: the text is empty; write e.g. "November 2021", "2021-11", "18 March 2024""#,
        ),
        (
            "sometime soon",
            r#"could not read "sometime soon" as a date: "sometime" is not a word used in dates; write e.g. "November 2021", "2021-11", "18 March 2024", "last August""#,
        ),
        (
            "2011-12-04 25:10",
            r#"could not read "2011-12-04 25:10" as a date: "25:10" is not a time of day; write e.g. "09:10" or "9:10 pm""#,
        ),
        (
            "2022-09-01..2021-08-01",
            r#"could not read "2022-09-01..2021-08-01" as a date: the span 2022-09-01..2021-08-01 ends before it starts; write the earlier day first, as in "2021-08-01..2022-09-01""#,
        ),
        (
            "the 1995s",
            r#"could not read "the 1995s" as a date: "1995s" is not a decade; write e.g. "the 1990s" or "the 90s""#,
        ),
        (
            "0999",
            r#"could not read "0999" as a date: the year 999 is out of range: dates from 1000 to 9998 are read"#,
        ),
        (
            "November 2021 9:10",
            r#"could not read "November 2021 9:10" as a date: a time of day needs a day, as in "Dec 04 2011 9:10 pm" or "2011-12-04 09:10"; write e.g. "November 2021", "2021-11", "18 March 2024""#,
        ),
    ];
    for (text, message) in cases {
        assert_eq!(err(text), message, "{text}");
    }
    let reference = day(2024, 3, 20);
    let ago = parse_date("a fortnight ago", Some(&reference)).map_err(|e| e.to_string());
    assert_eq!(
        ago,
        Err(r#"could not read "a fortnight ago" as a date: "a fortnight" is not a whole number of days, weeks, months, years or decades (at most 100000 of them); write e.g. "two years ago" or "3 months ago""#.to_string())
    );
    let feb29 = parse_date("February 29 this year", Some(&year(2023))).map_err(|e| e.to_string());
    assert_eq!(
        feb29,
        Err(r#"could not read "February 29 this year" as a date: February 2023 has no day 29; write e.g. "November 2021", "2021-11", "18 March 2024""#.to_string())
    );
    for text in [
        "21-11-08",
        "2021-11-08-01",
        "March",
        "18 Novembr",
        "9999",
        "2021 2022",
        "1234567890123",
        "::",
        "the 95s",
    ] {
        let _ = err(text);
    }
}

fn span_strategy() -> impl Strategy<Value = TimeSpan> {
    let base = ymd(1000, 1, 1);
    let day_of = move |n: u64| base.checked_add_days(Days::new(n)).expect("in range");
    // Days from 1000-01-01 to about 9990.
    let days = 0u64..3_280_000;
    let any = prop_oneof![
        (1000i32..=9998).prop_map(year),
        (1000i32..=9998, 1u32..=12).prop_map(|(y, m)| month(y, m)),
        days.clone().prop_map(move |n| {
            let d = day_of(n);
            day(d.year(), d.month(), d.day())
        }),
        (days.clone(), 0u32..24, 0u32..60).prop_map(move |(n, h, mi)| {
            let d = day_of(n);
            minute(d.year(), d.month(), d.day(), h, mi)
        }),
        (1000i64..=9998, 0usize..3)
            .prop_map(|(y, p)| part_span(y, ["early", "mid", "late"][p]).expect("part")),
        (100i64..=998, 0usize..4).prop_map(|(dec, p)| {
            decade_span(
                dec * 10,
                [None, Some("early"), Some("mid"), Some("late")][p],
            )
            .expect("decade")
        }),
        (days.clone(), 1u64..20_000).prop_map(move |(n, len)| TimeSpan {
            start: midnight(day_of(n)),
            end: midnight(day_of(n + len)),
            precision: Precision::Span,
        }),
        (days, 1i64..5_000_000).prop_map(move |(n, mins)| {
            let start = midnight(day_of(n));
            TimeSpan {
                start,
                end: start + chrono::Duration::minutes(mins),
                precision: Precision::Span,
            }
        }),
    ];
    // The parser reads spans that end by the close of 9999.
    any.prop_filter("in range", |s| s.end.year() <= 9999)
}

proptest! {
    /// The ISO fast path reads exactly what the grammar reads, and nothing it refuses.
    #[test]
    fn iso_fast_path_agrees_with_the_grammar(y in 0u32..10000, m in 0u32..14, d in 0u32..33, form in 0usize..3) {
        let text = match form {
            0 => format!("{y:04}"),
            1 => format!("{y:04}-{m:02}"),
            _ => format!("{y:04}-{m:02}-{d:02}"),
        };
        if let Some(span) = iso_span(&text) {
            prop_assert_eq!(parse_date_grammar(&text, None, None).map(|p| p.span), Ok(span));
        } else {
            prop_assert!(parse_date_grammar(&text, None, None).is_err(), "{}", text);
        }
    }
}

proptest! {
    #[test]
    fn span_text_round_trips(span in span_strategy()) {
        let text = span_to_text(&span);
        prop_assert_eq!(parse_date(&text, None), Ok(ParsedDate { span, relative: false, inferred: None }), "{}", text);
    }

    #[test]
    fn relative_forms_against_a_day(n in 4_000u64..3_200_000, m in 1u32..=12) {
        let reference_day = ymd(1000, 1, 1).checked_add_days(Days::new(n)).expect("in range");
        let reference = day(reference_day.year(), reference_day.month(), reference_day.day());
        let r = Some(&reference);
        let y = reference_day.year();
        let p = |text: &str| parse_date(text, r).map(|d| d.span);
        prop_assert_eq!(p("last year"), Ok(year(y - 1)));
        prop_assert_eq!(p("this year"), Ok(year(y)));
        prop_assert_eq!(p("two years ago"), Ok(year(y - 2)));
        prop_assert_eq!(p("a decade ago"), Ok(year(y - 10)));
        let this_month = p("this month").expect("this month");
        prop_assert!(this_month.start <= reference.start && reference.end <= this_month.end);
        prop_assert_eq!(p("yesterday").map(|s| s.end), Ok(reference.start));
        let last_week = p("last week").expect("last week");
        prop_assert_eq!(last_week.end - last_week.start, chrono::Duration::days(7));
        prop_assert!(last_week.end <= reference.start);
        prop_assert!(reference.start < last_week.end + chrono::Duration::days(7));
        prop_assert_eq!(last_week.start.weekday(), chrono::Weekday::Mon);
        let name = MONTH_NAMES[m as usize - 1];
        let last = p(&format!("last {name}")).expect("last month name");
        prop_assert_eq!(last.precision, Precision::Month);
        prop_assert_eq!(last.start.month(), m);
        prop_assert!(last.end <= month(y, reference_day.month()).start);
        // Strictly before the reference month, and within the twelve months before it.
        prop_assert!(last.start >= month(y - 1, reference_day.month()).start);
        let in_last_year = p(&format!("in {name} last year")).expect("month last year");
        prop_assert_eq!(in_last_year, month(y - 1, m));
    }

    #[test]
    fn partial_reference_widens_to_a_hull(y in 1100i32..9000, m in 1u32..=12) {
        let reference = year(y);
        let name = MONTH_NAMES[m as usize - 1];
        let got = parse_date(&format!("last {name}"), Some(&reference)).expect("last month");
        // Said early in the year it is last year's month; said late, this year's.
        let (first, last) = (month(y - 1, m), if m < 12 { month(y, m) } else { month(y - 1, m) });
        prop_assert_eq!(got.span.start, first.start);
        prop_assert_eq!(got.span.end, last.end);
        prop_assert_eq!(parse_date("last year", Some(&reference)).map(|d| d.span), Ok(year(y - 1)));
    }

    #[test]
    fn any_text_is_read_without_panic(text in "\\PC{0,40}") {
        let reference = day(2024, 3, 20);
        let _ = parse_date(&text, None);
        let _ = parse_date(&text, Some(&reference));
    }

    #[test]
    fn date_like_text_is_read_without_panic(
        words in proptest::collection::vec(
            prop_oneof![
                Just("last"), Just("this"), Just("year"), Just("ago"), Just("March"),
                Just("18th"), Just("2024"), Just("-"), Just(":"), Just("9"), Just("10"),
                Just("pm"), Just("the"), Just("of"), Just("1990s"), Just("late"),
                Just("99999"), Just(".."), Just("two"), Just("decades"), Just("0001"),
            ],
            0..7,
        )
    ) {
        let extreme = year(9998);
        let _ = parse_date(&words.join(" "), Some(&extreme));
        let _ = parse_date(&words.concat(), Some(&year(1000)));
    }
}
