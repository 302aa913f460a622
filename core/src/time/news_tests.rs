//! Table tests of the forms news copy and websites use: weekdays, weekends, bare months,
//! holidays, ranges in headings, anchored relatives, times as flight-status pages write
//! them, zones and offsets, and slash dates under each `date_order`.

use super::*;

fn reference(text: &str) -> TimeSpan {
    parse_date(text, None).expect("reference").span
}

fn read(text: &str, on: &str, order: Option<DateOrder>) -> ParsedDate {
    parse_date_with(text, Some(&reference(on)), order)
        .unwrap_or_else(|e| panic!("{text:?} against {on}: {e}"))
}

fn check(on: &str, order: Option<DateOrder>, table: &[(&str, &str)]) {
    for (text, want) in table {
        let got = read(text, on, order);
        assert_eq!(got.span.to_string(), *want, "{text:?} against {on}");
    }
}

#[test]
fn weekdays_against_a_tuesday() {
    // 2024-11-19 is a Tuesday.
    check(
        "2024-11-19",
        None,
        &[
            ("Tuesday", "2024-11-19"),
            ("on Sunday", "2024-11-17"),
            ("Wednesday", "2024-11-13"),
            ("Saturday's", "2024-11-16"),
            ("Saturday’s", "2024-11-16"),
            ("Monday's", "2024-11-18"),
            ("late on Saturday", "2024-11-16"),
            ("Sunday night", "2024-11-17"),
            ("as of Tuesday", "2024-11-19"),
            ("last Tuesday", "2024-11-12"),
            ("last Monday", "2024-11-18"),
            ("next Tuesday", "2024-11-26"),
            ("next Monday", "2024-11-25"),
            ("this coming Wednesday", "2024-11-20"),
            ("over the weekend", "2024-11-16..2024-11-18"),
            ("last weekend", "2024-11-16..2024-11-18"),
            ("next weekend", "2024-11-23..2024-11-25"),
        ],
    );
}

#[test]
fn weekdays_against_a_sunday() {
    // 2024-11-17 is a Sunday: a weekday alone may be the publication day itself.
    check(
        "2024-11-17",
        None,
        &[
            ("Sunday", "2024-11-17"),
            ("on Saturday", "2024-11-16"),
            ("Monday", "2024-11-11"),
            ("late Sunday night", "2024-11-17"),
            ("Sunday morning", "2024-11-17"),
            ("last Sunday", "2024-11-10"),
            ("last Saturday", "2024-11-16"),
            ("next Sunday", "2024-11-24"),
            ("the weekend", "2024-11-16..2024-11-18"),
            ("this weekend", "2024-11-16..2024-11-18"),
            ("last weekend", "2024-11-09..2024-11-11"),
            ("next weekend", "2024-11-23..2024-11-25"),
        ],
    );
}

#[test]
fn inferred_dates_say_by_which_rule() {
    let sunday = read("on Sunday", "2024-11-19", None);
    assert!(sunday.relative);
    assert_eq!(
        sunday.inferred.as_deref(),
        Some("the most recent Sunday on or before the reference day")
    );
    let july = read("in July", "2024-05-02", None);
    assert_eq!(july.span.to_string(), "2023-07");
    assert_eq!(
        july.inferred.as_deref(),
        Some("the most recent July not after the reference month")
    );
    assert_eq!(read("last year", "2024-05-02", None).inferred, None);
    assert!(matches!(
        parse_date("on Sunday", None),
        Err(DateError::NoReference { .. })
    ));
}

#[test]
fn bare_months_across_a_year_boundary() {
    check(
        "2024-01-15",
        None,
        &[
            ("in December", "2023-12"),
            ("In January", "2024-01"),
            ("by May", "2023-05"),
            ("in August", "2023-08"),
        ],
    );
    check(
        "2023-12-03",
        None,
        &[
            ("in December", "2023-12"),
            ("in January", "2023-01"),
            ("Christmas", "2022-12-25"),
        ],
    );
    check("2016-01-04", None, &[("over Christmas", "2015-12-25")]);
    // A partial reference widens the result to every month it could be.
    check("2024", None, &[("in July", "2023-07-01..2024-08-01")]);
}

#[test]
fn possessives_ranges_and_anchored_relatives() {
    check(
        "2022-12-20",
        None,
        &[
            ("last year's", "2021"),
            ("last year’s", "2021"),
            ("November 2018-March 2019", "2018-11-01..2019-04-01"),
            ("November 2018 - March 2019", "2018-11-01..2019-04-01"),
            ("2018-2019", "2018-01-01..2020-01-01"),
        ],
    );
    // `the same month last year` moves its anchor (here December 2022) back a year.
    check(
        "2022-12",
        None,
        &[
            ("the same month last year", "2021-12"),
            ("the same period a year earlier", "2021-12"),
        ],
    );
}

#[test]
fn times_as_flight_status_websites_write_them() {
    // One day's flight-status pages, 2011-12-04; slash dates there are US month-first.
    let us = Some(DateOrder::MonthFirst);
    check(
        "2011-12-04",
        us,
        &[
            ("2:45 PMDec 04", "2011-12-04 14:45"),
            ("9:35pDec 4", "2011-12-04 21:35"),
            ("12/4/11 9:35 PM (-05:00)", "2011-12-04 21:35 -05:00"),
            ("Sun, Dec 4 9:35 PM", "2011-12-04 21:35"),
            ("09:35 PM  Sun 04-Dec-2011", "2011-12-04 21:35"),
            ("2011-12-04 12:30PM EST", "2011-12-04 12:30 -05:00"),
            ("Dec 04 - 9:35pm", "2011-12-04 21:35"),
            ("7:05P", "2011-12-04 19:05"),
            ("7:05A", "2011-12-04 07:05"),
            ("9:35 PM (Estimated)", "2011-12-04 21:35"),
            ("9:35&nbsp;PM", "2011-12-04 21:35"),
            ("9:35 PM*", "2011-12-04 21:35"),
            ("1.40 pm", "2011-12-04 13:40"),
        ],
    );
}

#[test]
fn zones_and_offsets_make_instants() {
    check(
        "2014-08-06",
        None,
        &[
            ("4:30 p.m. Sunday (Beijing Time)", "2014-08-03 16:30 +08:00"),
            ("Sunday at 0830 UTC", "2014-08-03 08:30 +00:00"),
            ("2014-08-03 09:10 GMT", "2014-08-03 09:10 +00:00"),
            ("2014-08-03 9:10 am GMT+3", "2014-08-03 09:10 +03:00"),
            ("2014-08-03 21:35 +0530", "2014-08-03 21:35 +05:30"),
            ("2014-08-03 21:35 IST", "2014-08-03 21:35 +05:30"),
            ("2014-08-03 21:35 UTC-05:00", "2014-08-03 21:35 -05:00"),
            ("2014-08-03 21:35 PDT", "2014-08-03 21:35 -07:00"),
        ],
    );
    // Two instants written in different zones compare exactly.
    let est = read("2011-12-04 12:30PM EST", "2011-12-04", None).span;
    let utc = read("2011-12-04 17:30 UTC", "2011-12-04", None).span;
    let later = read("2011-12-04 17:31 UTC", "2011-12-04", None).span;
    assert_eq!((est.start, est.end), (utc.start, utc.end));
    assert!(est.overlaps(&utc) && !est.overlaps(&later));
    // The written form reads back as the same instant.
    let again = parse_date(&est.to_string(), None).expect("round trip").span;
    assert_eq!(again, est);
    let encoded = encode_span(&est);
    assert_eq!(decode_span(&encoded), Ok(est));
    let err = parse_date("2011-12-04 EST", None).expect_err("a zone needs a time");
    assert!(err.to_string().contains("needs a time of day"), "{err}");
}

#[test]
fn slash_dates_follow_date_order_or_are_refused_naming_both_readings() {
    let on = "2011-12-04";
    check(
        on,
        Some(DateOrder::MonthFirst),
        &[("12/4/11", "2011-12-04")],
    );
    check(on, Some(DateOrder::DayFirst), &[("12/4/11", "2011-04-12")]);
    // One valid reading, or two equal ones, need no setting.
    check(
        on,
        None,
        &[("13/4/11", "2011-04-13"), ("4/4/2011", "2011-04-04")],
    );
    check(on, None, &[("2011/12/04", "2011-12-04")]);
    let err = parse_date_with("12/4/11", None, None).expect_err("ambiguous");
    let msg = err.to_string();
    assert!(
        msg.contains("month first it is 2011-12-04, day first 2011-04-12"),
        "{msg}"
    );
    assert!(msg.contains("date_order"), "{msg}");
    let err = parse_date_with("13/13/11", None, Some(DateOrder::MonthFirst)).expect_err("bad");
    assert!(err.to_string().contains("not a month"), "{err}");
}

#[test]
fn figures_out_of_range_are_refused_naming_the_limit() {
    let table = [
        ("40000000000000000000 centuries ago", "has 20 digits"),
        (
            "in 99999",
            "the year 99999 is out of range: dates from 1000 to 9998",
        ),
        ("400000 centuries ago", "at most 100000"),
        ("9999-12-31 23:59 +14:00", ""),
    ];
    for (text, want) in table {
        match parse_date(text, Some(&reference("2024-01-01"))) {
            Err(e) => assert!(e.to_string().contains(want), "{text}: {e}"),
            Ok(p) => assert!(want.is_empty(), "{text} read as {}", p.span),
        }
    }
}
