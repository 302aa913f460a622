//! Spans of calendar time: building them from a year, month or day, checking their
//! range, and writing them in their short form.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

use super::text::{short_of, Point};
use super::{DateOrder, Precision, TimeSpan, EXAMPLES};
use crate::lexicon::month_name;

pub(super) fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

/// An instant as the log writes it (see [`Point`]).
pub(super) fn point_text(t: NaiveDateTime) -> String {
    Point(t).to_string()
}

pub(super) fn next_month(y: i32, m: u32) -> (i32, u32) {
    if m >= 12 {
        (y + 1, 1)
    } else {
        (y, m + 1)
    }
}

/// The short form of a span whose shape matches its precision, else `None`.
pub(super) fn canonical_text(s: &TimeSpan) -> Option<String> {
    short_of(s).map(|short| short.to_string())
}

/// The precision of a hull: that of a calendar day, month or year if it is exactly one.
pub(super) fn hull_precision(start: NaiveDateTime, end: NaiveDateTime) -> Precision {
    [Precision::Day, Precision::Month, Precision::Year]
        .into_iter()
        .find(|&precision| {
            short_of(&TimeSpan {
                start,
                end,
                precision,
            })
            .is_some()
        })
        .unwrap_or(Precision::Span)
}

pub(super) fn parse_range(a: &str, b: &str) -> Result<TimeSpan, String> {
    let point = |s: &str| -> Result<NaiveDateTime, String> {
        let s = s.trim();
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d").map(midnight))
            .map_err(|_| {
                format!(
                    "{s:?} is not a day such as \"2021-08-01\" or \"2021-08-01 09:10\"; write a \
                     span as \"2021-08-01..2022-09-01\" (end exclusive)"
                )
            })
    };
    let (start, end) = (point(a)?, point(b)?);
    if start >= end {
        return Err(format!(
            "the span {}..{} ends before it starts; write the earlier day first, as in \
             \"2021-08-01..2022-09-01\"",
            a.trim(),
            b.trim()
        ));
    }
    checked(TimeSpan {
        start,
        end,
        precision: Precision::Span,
    })
}

/// Refuses spans outside the years this module reads and writes as four digits.
pub(super) fn checked(span: TimeSpan) -> Result<TimeSpan, String> {
    let year = if span.start.year() < 1000 {
        span.start.year()
    } else {
        span.end.year()
    };
    if span.start.year() < 1000 || span.end.year() > 9999 {
        return Err(format!(
            "the year {year} is out of range: dates from 1000 to 9998 are read"
        ));
    }
    Ok(span)
}

pub(super) fn year_of(y: i64) -> Result<i32, String> {
    i32::try_from(y)
        .ok()
        .filter(|y| (1000..=9999).contains(y))
        .ok_or_else(|| format!("the year {y} is out of range: dates from 1000 to 9998 are read"))
}

pub(super) fn date(y: i64, m: u32, d: u32) -> Result<NaiveDate, String> {
    let y = year_of(y)?;
    if !(1..=12).contains(&m) {
        return Err(format!(
            "{m} is not a month (months run from 1 to 12); {EXAMPLES}"
        ));
    }
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| format!("{} {y} has no day {d}; {EXAMPLES}", month_name(m)))
}

pub(super) fn span_of(
    start: NaiveDate,
    end: NaiveDate,
    precision: Precision,
) -> Result<TimeSpan, String> {
    checked(TimeSpan {
        start: midnight(start),
        end: midnight(end),
        precision,
    })
}

pub(super) fn year_span(y: i64) -> Result<TimeSpan, String> {
    span_of(date(y, 1, 1)?, date(y + 1, 1, 1)?, Precision::Year)
}

pub(super) fn month_span(y: i64, m: u32) -> Result<TimeSpan, String> {
    let start = date(y, m, 1)?;
    let (ny, nm) = next_month(start.year(), m);
    span_of(start, date(i64::from(ny), nm, 1)?, Precision::Month)
}

pub(super) fn day_span(d: NaiveDate) -> Result<TimeSpan, String> {
    let next = d
        .succ_opt()
        .ok_or_else(|| "the day is out of range".to_string())?;
    span_of(d, next, Precision::Day)
}

pub(super) fn part_span(y: i64, part: &str) -> Result<TimeSpan, String> {
    let (from, to) = match part {
        "early" => (date(y, 1, 1)?, date(y, 5, 1)?),
        "mid" => (date(y, 5, 1)?, date(y, 9, 1)?),
        _ => (date(y, 9, 1)?, date(y + 1, 1, 1)?),
    };
    span_of(from, to, Precision::Part)
}

pub(super) fn decade_span(first: i64, part: Option<&str>) -> Result<TimeSpan, String> {
    let (from, years) = match part {
        None => (first, 10),
        Some("early") => (first, 4),
        Some("mid") => (first + 4, 3),
        Some(_) => (first + 7, 3),
    };
    span_of(
        date(from, 1, 1)?,
        date(from + years, 1, 1)?,
        Precision::Decade,
    )
}

pub(super) fn with_time(span: TimeSpan, time: Option<NaiveTime>) -> Result<TimeSpan, String> {
    let Some(time) = time else { return Ok(span) };
    if span.precision != Precision::Day {
        return Err(format!(
            "a time of day needs a day, as in \"Dec 04 2011 9:10 pm\" or \"2011-12-04 09:10\"; \
             {EXAMPLES}"
        ));
    }
    let start = span.start.date().and_time(time);
    let end = start
        .checked_add_signed(chrono::Duration::minutes(1))
        .ok_or_else(|| "the time is out of range".to_string())?;
    checked(TimeSpan {
        start,
        end,
        precision: Precision::Minute,
    })
}

/// A minute given with a zone: the same minute as an instant, kept in UTC, with the
/// offset it was written in.
pub(super) fn zoned(span: TimeSpan, offset: i32) -> Result<TimeSpan, String> {
    if span.precision != Precision::Minute {
        return Err(format!(
            "a time zone needs a time of day, as in \"2011-12-04 12:30PM EST\"; {EXAMPLES}"
        ));
    }
    let shift = |t: NaiveDateTime| {
        t.checked_sub_signed(chrono::Duration::seconds(i64::from(offset)))
            .ok_or_else(|| "the time is out of range".to_string())
    };
    checked(TimeSpan {
        start: shift(span.start)?,
        end: shift(span.end)?,
        precision: Precision::Zoned(offset),
    })
}

/// `12/4/11`: month first or day first as `order` says; without a setting, the one
/// valid reading, else an error naming both. Two-digit years are 1970-2069.
pub(super) fn slash_date(
    a: u32,
    b: u32,
    y: u32,
    order: Option<DateOrder>,
) -> Result<TimeSpan, String> {
    let year = match y {
        0..=69 => 2000 + i64::from(y),
        70..=99 => 1900 + i64::from(y),
        _ => i64::from(y),
    };
    let month_first = date(year, a, b);
    let day_first = date(year, b, a);
    let chosen = match (order, &month_first, &day_first) {
        (Some(DateOrder::MonthFirst), _, _) => month_first.clone(),
        (Some(DateOrder::DayFirst), _, _) => day_first.clone(),
        (None, Ok(m), Ok(d)) if m != d => {
            return Err(format!(
                "\"{a}/{b}/{y}\" is ambiguous: month first it is {m}, day first {d}; set \
                 date_order: Some(MonthFirst) or Some(DayFirst) in ledger/config.ron, or write \
                 the date as {m}"
            ));
        }
        (None, Ok(_), _) => month_first.clone(),
        (None, Err(_), _) => day_first.clone(),
    };
    day_span(chosen?)
}
