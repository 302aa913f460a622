//! The shapes a date's words may take: absolute forms become a span at once, relative
//! ones a [`Rel`] to resolve against a reference.

use chrono::NaiveTime;

use super::clock::{take_time, take_zone};
use super::span::{
    date, day_span, decade_span, month_span, part_span, span_of, with_time, year_span,
};
use super::tokenize::{tokenize, Tk, D};
use super::{DateOrder, TimeSpan, EXAMPLES};
use crate::lexicon::{is_filler, month_name, part_word, rel_word, weekday_number};
use crate::value::{parse_quantity, Bound, QuantityRules};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Rel {
    Years(i64),
    Months(i64),
    Weeks(i64),
    Days(i64),
    /// `last/this/next <Month>`: -1, 0, 1.
    NamedMonth(u32, i64),
    /// `November last year`: a month, years from the reference's year.
    MonthIn(u32, i64),
    /// `March 18th of this year`: month, day, years from the reference's year.
    DayIn(u32, u32, i64),
    /// `the last year`, `the past decade`: that many months up to and including the
    /// reference day.
    PastMonths(u32),
    /// `the last week`: seven days up to and including the reference day.
    PastDays(u64),
    /// `a few years ago`, `several months ago`: every calendar unit from `hi` to `lo`
    /// units before the reference (the unit: 0 year, 1 month, 2 day).
    AgoRange(u8, i64, i64),
    /// A weekday (days since Monday) and which one: `Sunday`, `last Sunday`, `next Sunday`.
    Weekday(u32, Pick),
    /// `the weekend`, `last weekend`, `next weekend`: a Saturday and Sunday.
    Weekend(Pick),
    /// `in July`: the most recent such month not after the reference's month.
    BareMonth(u32),
    /// `Christmas`: the most recent such day (month, day) not after the reference day.
    BareDay(u32, u32),
}

/// Which of the days or months of a name a relative date means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pick {
    /// The most recent on or before the reference (`Sunday`).
    OnOrBefore,
    /// The most recent strictly before it (`last Sunday`).
    Before,
    /// The first strictly after it (`next Sunday`, `this coming Sunday`).
    After,
}

/// What a date's words say, before any reference is applied.
pub(super) enum Form {
    Absolute(TimeSpan),
    Relative(Rel, Option<NaiveTime>),
    /// `the same month last year`: the reference itself, moved by whole years.
    Shift(i32),
}

/// A form and the time zone the text gave (seconds east of UTC).
pub(super) struct Reading {
    pub(super) form: Form,
    pub(super) zone: Option<i32>,
}

pub(super) fn known_word(w: &str) -> bool {
    rel_word(w).is_some()
        || part_word(w)
        || is_filler(w)
        || weekday_number(w).is_some()
        || matches!(
            w,
            "year"
                | "years"
                | "month"
                | "months"
                | "week"
                | "weeks"
                | "day"
                | "days"
                | "decade"
                | "decades"
                | "ago"
                | "yesterday"
                | "today"
                | "tomorrow"
                | "am"
                | "pm"
                | "a"
                | "an"
                | "t"
                | "weekend"
                | "same"
                | "christmas"
                | "eve"
                | "new"
        )
        || dropped_word(w)
}

/// Words a date may carry that change nothing: fillers, `as` (`as of Tuesday`), the part
/// of a day (`Sunday night`), notes websites add (`9:35 PM (Estimated)`).
fn dropped_word(w: &str) -> bool {
    is_filler(w)
        || matches!(
            w,
            "as" | "morning"
                | "afternoon"
                | "evening"
                | "night"
                | "overnight"
                | "midday"
                | "estimated"
                | "scheduled"
                | "actual"
                | "expected"
                | "local"
                | "time"
        )
}

/// Reads the shape of a date's words. `order` reads slash dates (`12/4/11`).
pub(super) fn read_form(text: &str, order: Option<DateOrder>) -> Result<Reading, String> {
    let mut toks = tokenize(text)?;
    let taken = take_time(text, &mut toks)?;
    let zone = take_zone(&mut toks, taken.map(|t| t.1));
    let time = taken.map(|t| t.0);
    if zone.is_some() && time.is_none() {
        return Err(format!(
            "a time zone needs a time of day, as in \"2011-12-04 12:30PM EST\"; {EXAMPLES}"
        ));
    }
    let rolling = rolling_period(&toks);
    let toks = significant(toks);
    let kinds: Vec<D> = toks.iter().map(|t| t.tok.clone()).collect();
    let form = if let Some(rel) = rolling {
        Form::Relative(rel, time)
    } else if let Some(span) = absolute_form(&kinds, order) {
        Form::Absolute(with_time(span?, time)?)
    } else if let Some(rel) = super::relative::relative_form(text, &toks, &kinds) {
        Form::Relative(rel?, time)
    } else if let Some(years) = super::relative::shift_form(&kinds) {
        Form::Shift(years)
    } else if kinds.is_empty() && time.is_some() {
        // `7:05P` alone: that time on the reference day.
        Form::Relative(Rel::Days(0), time)
    } else {
        return Err(unmatched(text, &toks));
    };
    Ok(Reading { form, zone })
}

/// The tokens that carry meaning: without dropped words, without the dashes that join a
/// month to its day and year (`04-Dec-2011`, `Dec 04 - 9:35pm`) or a part to its year
/// (`mid-2022`), and without a weekday beside a full date (`Sun, Dec 4 2011`) or a part
/// word beside a weekday (`late on Saturday`).
fn significant(toks: Vec<Tk>) -> Vec<Tk> {
    let word_is = |t: &Tk, f: fn(&str) -> bool| matches!(&t.tok, D::Word(w) if f(w));
    let before_number = |k: usize| matches!(toks.get(k + 1).map(|t| &t.tok), Some(D::Num { .. }));
    // `over the weekend`, `over Christmas`; but `over 2000` is a count, not a year.
    let over: Vec<bool> = (0..toks.len())
        .map(|k| {
            matches!(toks.get(k).map(|t| &t.tok), Some(D::Word(w)) if w == "over")
                && !before_number(k)
        })
        .collect();
    let mut kept: Vec<Tk> = toks
        .into_iter()
        .zip(over)
        .filter(|(t, over)| !over && !word_is(t, dropped_word))
        .map(|(t, _)| t)
        .collect();
    let weekday = kept.iter().any(|t| matches!(t.tok, D::Weekday(_)));
    let dated = kept
        .iter()
        .any(|t| matches!(t.tok, D::Month(_) | D::Num { .. } | D::Ord(_)));
    let is_month = |t: Option<&Tk>| matches!(t.map(|t| &t.tok), Some(D::Month(_)));
    let mut out: Vec<Tk> = Vec::with_capacity(kept.len());
    let n = kept.len();
    for (k, t) in std::mem::take(&mut kept).into_iter().enumerate() {
        let drop = match &t.tok {
            D::Dash => {
                let prev = out.last();
                k == 0
                    || k + 1 == n
                    || is_month(prev)
                    || prev.is_some_and(|p| word_is(p, part_word))
            }
            D::Weekday(_) => dated,
            D::Word(w) if part_word(w) => weekday,
            _ => false,
        };
        if !drop {
            out.push(t);
        }
    }
    // A dash before a month name (`04-Dec-2011`) joins it too.
    let mut i = 0;
    while i + 1 < out.len() {
        let tok_at = |k: usize| out.get(k).map(|t| &t.tok);
        let dash_before_month = matches!(tok_at(i), Some(D::Dash)) && is_month(out.get(i + 1));
        let after_num = i > 0 && matches!(tok_at(i - 1), Some(D::Num { len: 1 | 2, .. }));
        if dash_before_month && after_num {
            out.remove(i);
        } else {
            i += 1;
        }
    }
    out
}

/// The absolute forms: years, months, days, parts of years, decades, ranges of months or
/// years (`November 2018-March 2019`), slash dates. `None` when the words are not one.
fn absolute_form(kinds: &[D], order: Option<DateOrder>) -> Option<Result<TimeSpan, String>> {
    use D::{Dash, Month, Num, Ord, Slash, Word};
    let y64 = |y: &u32| i64::from(*y);
    Some(match kinds {
        [Num { val: y, len: 4 }] => year_span(y64(y)),
        [Num { val: y, len: 5.. }] => Err(format!(
            "the year {y} is out of range: dates from 1000 to 9998 are read"
        )),
        [Num { val: y, len: 4 }, Dash, Num { val: m, len: 1 | 2 }] => month_span(y64(y), *m),
        [Num { val: y, len: 4 }, Dash, Num { val: m, len: 1 | 2 }, Dash, Num { val: d, len: 1 | 2 }]
        | [Num { val: y, len: 4 }, Slash, Num { val: m, len: 1 | 2 }, Slash, Num { val: d, len: 1 | 2 }] => {
            date(y64(y), *m, *d).and_then(day_span)
        }
        [Num { val: a, len: 4 }, Dash, Num { val: b, len: 4 }] => {
            hull(year_span(y64(a)), year_span(y64(b)))
        }
        [Month(m), Num { val: y, len: 4 }] => month_span(y64(y), *m),
        [Month(a), Num { val: y, len: 4 }, Month(b), Num { val: z, len: 4 }]
        | [Month(a), Num { val: y, len: 4 }, Dash, Month(b), Num { val: z, len: 4 }] => {
            hull(month_span(y64(y), *a), month_span(y64(z), *b))
        }
        [Num { val: d, len: 1 | 2 } | Ord(d), Month(m), Num { val: y, len: 4 }]
        | [Month(m), Num { val: d, len: 1 | 2 } | Ord(d), Num { val: y, len: 4 }] => {
            date(y64(y), *m, *d).and_then(day_span)
        }
        [Num { val: a, len: 1 | 2 }, Slash, Num { val: b, len: 1 | 2 }, Slash, Num { val: y, len: 2 | 4 }] => {
            super::span::slash_date(*a, *b, *y, order)
        }
        [Word(p), Num { val: y, len: 4 }] if part_word(p) => part_span(y64(y), p),
        [D::Decade { val, len }] => decade_start(*val, *len).and_then(|y| decade_span(y, None)),
        [Word(p), D::Decade { val, len }] if part_word(p) => {
            decade_start(*val, *len).and_then(|y| decade_span(y, Some(p)))
        }
        _ => return None,
    })
}

/// The smallest span holding both, if the first starts before the second ends.
fn hull(a: Result<TimeSpan, String>, b: Result<TimeSpan, String>) -> Result<TimeSpan, String> {
    let (a, b) = (a?, b?);
    if b.end <= a.start {
        return Err(format!(
            "the range {a} to {b} ends before it starts; write the earlier date first"
        ));
    }
    span_of(a.start.date(), b.end.date(), super::Precision::Span)
}

/// A day and month with no year, checked.
pub(super) fn day_in(m: u32, d: u32, years: i64) -> Result<Rel, String> {
    if (1..=31).contains(&d) {
        Ok(Rel::DayIn(m, d, years))
    } else {
        Err(format!("{} has no day {d}; {EXAMPLES}", month_name(m)))
    }
}

/// `the last year`, `in the past decade`, `past month`, `last decade`: a rolling period
/// ending on the reference day, unlike `last year`, the calendar year before it.
pub(super) fn rolling_period(toks: &[Tk]) -> Option<Rel> {
    let words: Vec<&str> = toks
        .iter()
        .map(|t| match &t.tok {
            D::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let words: Vec<&str> = words
        .into_iter()
        .filter(|w| !matches!(*w, "in" | "during" | "over" | "within"))
        .collect();
    let unit = match words.as_slice() {
        ["the", "last" | "past", unit] | ["past", unit] => *unit,
        ["last", "decade"] => "decade",
        _ => return None,
    };
    match unit {
        "year" => Some(Rel::PastMonths(12)),
        "decade" => Some(Rel::PastMonths(120)),
        "month" => Some(Rel::PastMonths(1)),
        "week" => Some(Rel::PastDays(7)),
        _ => None,
    }
}

pub(super) fn decade_start(val: u32, len: usize) -> Result<i64, String> {
    let v = i64::from(val);
    match len {
        4 if v % 10 == 0 => Ok(v),
        // `the 90s` is the 1990s; `the 00s`, `10s` and `20s` are this century's.
        2 if v % 10 == 0 => Ok(if v <= 20 { 2000 + v } else { 1900 + v }),
        _ => Err(format!(
            "\"{val}s\" is not a decade; write e.g. \"the 1990s\" or \"the 90s\""
        )),
    }
}

/// `two years ago`, `a decade ago`, `3 weeks ago`: an exact whole number of units.
pub(super) fn ago(amount: &str) -> Result<Rel, String> {
    let bad = || {
        format!(
            "{amount:?} is not a whole number of days, weeks, months, years or decades (at \
             most 100000 of them); write e.g. \"two years ago\" or \"3 months ago\""
        )
    };
    // Built once: dense text asks this for every window that ends in "ago".
    static RULES: std::sync::OnceLock<QuantityRules> = std::sync::OnceLock::new();
    let q = parse_quantity(amount, RULES.get_or_init(QuantityRules::default)).map_err(|_| bad())?;
    let whole = |d: rust_decimal::Decimal| {
        d.fract()
            .is_zero()
            .then(|| i64::try_from(d).ok())
            .flatten()
            .filter(|n| (0..=100_000).contains(n))
    };
    let n = match (q.interval.low, q.interval.high) {
        (Bound::Incl(a), Bound::Incl(b)) if a == b => whole(a).ok_or_else(bad)?,
        // A vague count (`a few`, `several`) spans every count it stands for.
        (Bound::Incl(a), Bound::Incl(b)) => {
            let (lo, hi) = (whole(a).ok_or_else(bad)?, whole(b).ok_or_else(bad)?);
            return match q.unit.as_deref() {
                Some("day") => Ok(Rel::AgoRange(2, lo, hi)),
                Some("week") => Ok(Rel::AgoRange(2, 7 * lo, 7 * hi)),
                Some("month") => Ok(Rel::AgoRange(1, lo, hi)),
                Some("year") => Ok(Rel::AgoRange(0, lo, hi)),
                Some("decade") => Ok(Rel::AgoRange(0, 10 * lo, 10 * hi)),
                _ => Err(bad()),
            };
        }
        _ => return Err(bad()),
    };
    match q.unit.as_deref() {
        Some("day") => Ok(Rel::Days(-n)),
        Some("week") => Ok(Rel::Days(-7 * n)),
        Some("month") => Ok(Rel::Months(-n)),
        Some("year") => Ok(Rel::Years(-n)),
        Some("decade") => Ok(Rel::Years(-10 * n)),
        _ => Err(bad()),
    }
}

pub(super) fn unmatched(text: &str, toks: &[Tk]) -> String {
    let shown = |t: &Tk| text.get(t.start..t.end).unwrap_or_default().to_string();
    let numeric = |k: Option<&Tk>| matches!(k.map(|t| &t.tok), Some(D::Num { .. } | D::Ord(_)));
    for (i, t) in toks.iter().enumerate() {
        match &t.tok {
            D::Word(w) if !known_word(w) => {
                let near_number = numeric(toks.get(i + 1)) || (i > 0 && numeric(toks.get(i - 1)));
                return if near_number {
                    format!("{:?} is not a month name; {EXAMPLES}", shown(t))
                } else {
                    format!(
                        "{:?} is not a word used in dates; {EXAMPLES}, \"last August\"",
                        shown(t)
                    )
                };
            }
            D::Other(c) => return format!("{c:?} cannot appear in a date; {EXAMPLES}"),
            _ => {}
        }
    }
    if toks.is_empty() {
        return format!("there is no date in the text; {EXAMPLES}");
    }
    format!("these words do not make a date; {EXAMPLES}, \"last August\"")
}
