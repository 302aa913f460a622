//! The relative forms of a date's words: what they are to be resolved as, and the rule a
//! reader is told was applied (`Sunday: the most recent Sunday on or before ...`).

use super::form::{ago, day_in, Pick, Rel};
use super::tokenize::{Tk, D};
use crate::lexicon::{rel_word, MONTH_NAMES};

/// A relative form, or `None` when the words are none.
pub(super) fn relative_form(text: &str, toks: &[Tk], kinds: &[D]) -> Option<Result<Rel, String>> {
    use D::{Month, Num, Ord, Weekday, Word};
    let rel = |r: &str| rel_word(r);
    Some(Ok(match kinds {
        [Word(r), Word(u)]
            if rel(r).is_some() && matches!(u.as_str(), "year" | "month" | "week") =>
        {
            let o = rel(r).unwrap_or(0);
            match u.as_str() {
                "year" => Rel::Years(o),
                "month" => Rel::Months(o),
                _ => Rel::Weeks(o),
            }
        }
        [Word(r), Month(m)] if rel(r).is_some() => Rel::NamedMonth(*m, rel(r).unwrap_or(0)),
        [Month(m), Word(r), Word(u)] if rel(r).is_some() && u == "year" => {
            Rel::MonthIn(*m, rel(r).unwrap_or(0))
        }
        [Num { val: d, len: 1 | 2 } | Ord(d), Month(m), Word(r), Word(u)]
        | [Month(m), Num { val: d, len: 1 | 2 } | Ord(d), Word(r), Word(u)]
            if rel(r).is_some() && u == "year" =>
        {
            return Some(day_in(*m, *d, rel(r).unwrap_or(0)));
        }
        [Num { val: d, len: 1 | 2 } | Ord(d), Month(m)]
        | [Month(m), Num { val: d, len: 1 | 2 } | Ord(d)] => return Some(day_in(*m, *d, 0)),
        [Word(w)] if matches!(w.as_str(), "yesterday" | "today" | "tomorrow" | "tonight") => {
            Rel::Days(match w.as_str() {
                "yesterday" => -1,
                "tomorrow" => 1,
                _ => 0,
            })
        }
        [Month(m)] => Rel::BareMonth(*m),
        [Weekday(d)] => Rel::Weekday(*d, Pick::OnOrBefore),
        [Word(r), Weekday(d)] => Rel::Weekday(*d, pick(r)?),
        [Word(t), Word(c), Weekday(d)] if t == "this" && c == "coming" => {
            Rel::Weekday(*d, Pick::After)
        }
        [Word(w)] if w == "weekend" => Rel::Weekend(Pick::OnOrBefore),
        [Word(r), Word(w)] if w == "weekend" => Rel::Weekend(pick(r)?),
        _ => {
            if let Some(rel) = holiday(kinds) {
                rel
            } else if matches!(kinds.last(), Some(Word(a)) if a == "ago") && toks.len() > 1 {
                let from = toks.first().map_or(0, |t| t.start);
                let to = toks.last().map_or(0, |t| t.start);
                let amount = text.get(from..to).unwrap_or_default().trim();
                return Some(ago(amount));
            } else {
                return None;
            }
        }
    }))
}

/// `last` picks the one before, `next` and `coming` the one after, `this` the one on
/// or before (`this weekend`).
fn pick(r: &str) -> Option<Pick> {
    match r {
        "last" | "previous" | "past" => Some(Pick::Before),
        "next" | "coming" => Some(Pick::After),
        "this" | "current" => Some(Pick::OnOrBefore),
        _ => None,
    }
}

/// Holidays on a fixed day: `Christmas` (Day, Eve), `New Year's Day`, `New Year's Eve`.
fn holiday(kinds: &[D]) -> Option<Rel> {
    let words: Vec<&str> = kinds
        .iter()
        .map(|k| match k {
            D::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    Some(match words.as_slice() {
        ["christmas"] | ["christmas", "day"] => Rel::BareDay(12, 25),
        ["christmas", "eve"] => Rel::BareDay(12, 24),
        ["new", "year", "day"] => Rel::BareDay(1, 1),
        ["new", "year", "eve"] => Rel::BareDay(12, 31),
        _ => return None,
    })
}

/// `the same month last year`, `the same period a year earlier`: the reference moved by
/// whole years.
pub(super) fn shift_form(kinds: &[D]) -> Option<i32> {
    let words: Vec<&str> = kinds
        .iter()
        .map(|k| match k {
            D::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let unit = |u: &str| matches!(u, "month" | "day" | "week" | "period" | "quarter" | "time");
    match words.as_slice() {
        ["same", u, r, "year"] if unit(u) => match rel_word(r)? {
            0 => None,
            o => i32::try_from(o).ok(),
        },
        ["same", u, "a", "year", "earlier" | "ago" | "before"] if unit(u) => Some(-1),
        _ => None,
    }
}

const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The rule a reader is told for the forms that are inferred rather than stated: which
/// of the many Sundays, Julys or weekends the text was taken to mean.
pub(super) fn rule(rel: &Rel) -> Option<String> {
    let day = |d: u32| {
        usize::try_from(d)
            .ok()
            .and_then(|i| WEEKDAY_NAMES.get(i))
            .copied()
            .unwrap_or("that day")
    };
    let month = |m: u32| {
        usize::try_from(m)
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| MONTH_NAMES.get(i))
            .copied()
            .unwrap_or("that month")
    };
    Some(match *rel {
        Rel::Weekday(d, Pick::OnOrBefore) => {
            format!("the most recent {} on or before the reference day", day(d))
        }
        Rel::Weekday(d, Pick::Before) => {
            format!("the most recent {} before the reference day", day(d))
        }
        Rel::Weekday(d, Pick::After) => format!("the first {} after the reference day", day(d)),
        Rel::Weekend(Pick::OnOrBefore) => {
            "the most recent Saturday-Sunday, its Saturday on or before the reference day".into()
        }
        Rel::Weekend(Pick::Before) => {
            "the most recent Saturday-Sunday ended before the reference day".into()
        }
        Rel::Weekend(Pick::After) => "the first Saturday-Sunday after the reference day".into(),
        Rel::BareMonth(m) => format!("the most recent {} not after the reference month", month(m)),
        Rel::BareDay(m, d) => format!(
            "the most recent {} {d} not after the reference day",
            month(m)
        ),
        _ => return None,
    })
}
