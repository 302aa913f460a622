//! Resolving a relative form against one reference day.

use chrono::{Datelike, Days, NaiveDate, NaiveTime};

use super::form::{Pick, Rel};
use super::span::{date, day_span, hull_precision, month_span, span_of, with_time, year_span};
use super::{Precision, TimeSpan};

pub(super) fn add_days(d: NaiveDate, n: i64) -> Result<NaiveDate, String> {
    let days = Days::new(n.unsigned_abs());
    let r = if n < 0 {
        d.checked_sub_days(days)
    } else {
        d.checked_add_days(days)
    };
    r.ok_or_else(|| "the date is out of range".to_string())
}

/// The day named `target` (days since Monday) that `pick` means, from `day`.
fn weekday(day: NaiveDate, target: u32, pick: Pick) -> Result<NaiveDate, String> {
    let today = i64::from(day.weekday().num_days_from_monday());
    let target = i64::from(target);
    let offset = match pick {
        Pick::OnOrBefore => -(today - target).rem_euclid(7),
        Pick::Before => -((today - target - 1).rem_euclid(7) + 1),
        Pick::After => (target - today - 1).rem_euclid(7) + 1,
    };
    add_days(day, offset)
}

/// One resolution of a relative form against one reference day.
pub(super) fn resolve(
    rel: Rel,
    day: NaiveDate,
    time: Option<NaiveTime>,
) -> Result<TimeSpan, String> {
    let y = i64::from(day.year());
    let m = day.month();
    let months = |o: i64| -> Result<TimeSpan, String> {
        let index = y * 12 + i64::from(m) - 1 + o;
        let month = u32::try_from(index.rem_euclid(12)).unwrap_or(0) + 1;
        month_span(index.div_euclid(12), month)
    };
    let span = match rel {
        Rel::Years(o) => year_span(y + o)?,
        Rel::Months(o) => months(o)?,
        Rel::Days(o) => day_span(add_days(day, o)?)?,
        Rel::Weeks(o) => {
            let monday = add_days(day, -i64::from(day.weekday().num_days_from_monday()))?;
            let start = add_days(monday, 7 * o)?;
            span_of(start, add_days(start, 7)?, Precision::Span)?
        }
        Rel::NamedMonth(target, o) => {
            let year = match o {
                -1 if target < m => y,
                -1 => y - 1,
                1 if target > m => y,
                1 => y + 1,
                _ => y,
            };
            month_span(year, target)?
        }
        Rel::MonthIn(target, o) => month_span(y + o, target)?,
        Rel::BareMonth(target) => month_span(if target <= m { y } else { y - 1 }, target)?,
        Rel::BareDay(target, d) => {
            let this_year = (target, d) <= (m, day.day());
            day_span(date(if this_year { y } else { y - 1 }, target, d)?)?
        }
        Rel::Weekday(target, pick) => day_span(weekday(day, target, pick)?)?,
        Rel::Weekend(pick) => {
            let saturday = match pick {
                // The weekend holding the reference day counts as this one.
                Pick::OnOrBefore => weekday(day, 5, Pick::OnOrBefore)?,
                Pick::Before => add_days(weekday(day, 6, Pick::Before)?, -1)?,
                Pick::After => weekday(day, 5, Pick::After)?,
            };
            span_of(saturday, add_days(saturday, 2)?, Precision::Span)?
        }
        Rel::DayIn(target, d, o) => day_span(date(y + o, target, d)?)?,
        Rel::PastMonths(n) => {
            let start = day
                .checked_sub_months(chrono::Months::new(n))
                .ok_or_else(|| "the date is out of range".to_string())?;
            span_of(start, add_days(day, 1)?, Precision::Span)?
        }
        Rel::PastDays(n) => {
            let start = add_days(day, -i64::try_from(n).unwrap_or(0))?;
            span_of(start, add_days(day, 1)?, Precision::Span)?
        }
        Rel::AgoRange(unit, lo, hi) => {
            let one = |n: i64| match unit {
                0 => Rel::Years(-n),
                1 => Rel::Months(-n),
                _ => Rel::Days(-n),
            };
            let (first, last) = (resolve(one(hi), day, None)?, resolve(one(lo), day, None)?);
            TimeSpan {
                start: first.start,
                end: last.end,
                precision: hull_precision(first.start, last.end),
            }
        }
    };
    with_time(span, time)
}
