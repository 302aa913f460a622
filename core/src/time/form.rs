//! The shapes a date's words may take: absolute forms become a span at once, relative
//! ones a [`Rel`] to resolve against a reference.

use chrono::NaiveTime;

use super::span::{date, day_span, decade_span, month_span, part_span, with_time, year_span};
use super::tokenize::{take_time, tokenize, Tk, D};
use super::{TimeSpan, EXAMPLES};
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
}

pub(super) enum Form {
    Absolute(TimeSpan),
    Relative(Rel, Option<NaiveTime>),
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
        )
}

pub(super) fn read_form(text: &str) -> Result<Form, String> {
    let mut toks = tokenize(text)?;
    let time = take_time(text, &mut toks)?;
    let part_before = |toks: &[Tk], k: usize| {
        k > 0 && matches!(toks.get(k - 1).map(|t| &t.tok), Some(D::Word(w)) if part_word(w))
    };
    let rolling = rolling_period(&toks);
    let mut kept: Vec<Tk> = Vec::new();
    for t in toks {
        let drop = match &t.tok {
            D::Word(w) => is_filler(w) || weekday_number(w).is_some(),
            // `mid-2022`
            D::Dash => part_before(&kept, kept.len()),
            _ => false,
        };
        if !drop {
            kept.push(t);
        }
    }
    let toks = kept;
    let kinds: Vec<D> = toks.iter().map(|t| t.tok.clone()).collect();
    let absolute = |span: Result<TimeSpan, String>| -> Result<Form, String> {
        Ok(Form::Absolute(with_time(span?, time)?))
    };
    let relative = |rel: Rel| Ok(Form::Relative(rel, time));
    let day_in = |m: u32, d: u32, years: i64| {
        if (1..=31).contains(&d) {
            relative(Rel::DayIn(m, d, years))
        } else {
            Err(format!("{} has no day {d}; {EXAMPLES}", month_name(m)))
        }
    };
    use D::{Dash, Month, Num, Ord, Word};
    if let Some(rel) = rolling {
        return relative(rel);
    }
    match kinds.as_slice() {
        [Num { val: y, len: 4 }] => absolute(year_span(i64::from(*y))),
        [Num { val: y, len: 4 }, Dash, Num { val: m, len: 1 | 2 }] => {
            absolute(month_span(i64::from(*y), *m))
        }
        [Num { val: y, len: 4 }, Dash, Num { val: m, len: 1 | 2 }, Dash, Num { val: d, len: 1 | 2 }] => {
            absolute(date(i64::from(*y), *m, *d).and_then(day_span))
        }
        [Month(m), Num { val: y, len: 4 }] => absolute(month_span(i64::from(*y), *m)),
        [Num { val: d, len: 1 | 2 } | Ord(d), Month(m), Num { val: y, len: 4 }]
        | [Month(m), Num { val: d, len: 1 | 2 } | Ord(d), Num { val: y, len: 4 }] => {
            absolute(date(i64::from(*y), *m, *d).and_then(day_span))
        }
        [Word(p), Num { val: y, len: 4 }] if part_word(p) => absolute(part_span(i64::from(*y), p)),
        [D::Decade { val, len }] => {
            absolute(decade_start(*val, *len).and_then(|y| decade_span(y, None)))
        }
        [Word(p), D::Decade { val, len }] if part_word(p) => {
            absolute(decade_start(*val, *len).and_then(|y| decade_span(y, Some(p))))
        }
        [Word(r), Word(u)]
            if rel_word(r).is_some() && matches!(u.as_str(), "year" | "month" | "week") =>
        {
            let o = rel_word(r).unwrap_or(0);
            relative(match u.as_str() {
                "year" => Rel::Years(o),
                "month" => Rel::Months(o),
                _ => Rel::Weeks(o),
            })
        }
        [Word(r), Month(m)] if rel_word(r).is_some() => {
            relative(Rel::NamedMonth(*m, rel_word(r).unwrap_or(0)))
        }
        [Month(m), Word(r), Word(u)] if rel_word(r).is_some() && u == "year" => {
            relative(Rel::MonthIn(*m, rel_word(r).unwrap_or(0)))
        }
        [Num { val: d, len: 1 | 2 } | Ord(d), Month(m), Word(r), Word(u)]
        | [Month(m), Num { val: d, len: 1 | 2 } | Ord(d), Word(r), Word(u)]
            if rel_word(r).is_some() && u == "year" =>
        {
            day_in(*m, *d, rel_word(r).unwrap_or(0))
        }
        [Num { val: d, len: 1 | 2 } | Ord(d), Month(m)]
        | [Month(m), Num { val: d, len: 1 | 2 } | Ord(d)] => day_in(*m, *d, 0),
        [Word(w)] if matches!(w.as_str(), "yesterday" | "today" | "tomorrow") => {
            relative(Rel::Days(match w.as_str() {
                "yesterday" => -1,
                "today" => 0,
                _ => 1,
            }))
        }
        [.., Word(a)] if a == "ago" && toks.len() > 1 => {
            let from = toks.first().map_or(0, |t| t.start);
            let to = toks.last().map_or(0, |t| t.start);
            let amount = text.get(from..to).unwrap_or_default().trim();
            relative(ago(amount)?)
        }
        _ => Err(unmatched(text, &toks)),
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
            "{amount:?} is not a whole number of days, weeks, months, years or decades; write \
             e.g. \"two years ago\" or \"3 months ago\""
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
