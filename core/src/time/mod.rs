//! Dates as people write them: absolute, partial and relative forms, each read as an
//! interval of time with a precision. Owns [`parse_date`] and [`TimeSpan`].
//!
//! Accepted forms (words are case-insensitive; the words `in`, `on`, `since`, `by`,
//! `during`, `the`, `of`, `at`, commas and a leading weekday are ignored):
//!
//! - ISO: `2021`, `2021-11`, `2021-11-08`, `2011-12-04 09:10`, `2011-12-04T09:10`;
//! - written: `November 2021`, `Nov. 2021`, `December of 2017`, `18 March 2024`,
//!   `March 18th, 2024`, `the 22nd of March 2024`, `Dec 04 2011`, each day form with a
//!   time `9:10`, `9:10 pm` before or after it (minute precision);
//! - parts of a year: `early 2022` (January-April), `mid 2022` / `mid-2022`
//!   (May-August), `late 2022` (September-December), [`Precision::Part`];
//! - decades: `the 1990s`, `the 90s`, `the early 2000s` (2000-2003), `the mid 1990s`
//!   (1994-1996), `the late 1990s` (1997-1999), [`Precision::Decade`];
//! - spans as [`span_to_text`] writes them: `2021-08-01..2022-09-01` (end exclusive);
//! - relative forms, resolved against a reference: `this year`, `last year`, `next
//!   year`, `this month`, `last month`, `last week`, `last August`, `this August`,
//!   `next August`, `November last year`, `March 18th of this year`, `the 22nd of March
//!   this year`, `March 18` (this year), `yesterday`, `today`, `tomorrow`, `two years
//!   ago`, `a decade ago`, `eight months ago`, `3 weeks ago`; rolling periods `the
//!   last year`, `the past decade`, `past month`, `the last week`.
//!
//! Years from 1000 to 9998 are read (a span must end before the year 10000).

mod clock;
mod form;
mod relative;
mod resolve;
mod span;
mod text;
mod tokenize;

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use form::{read_form, Form};
use resolve::resolve;
use span::{
    canonical_text, day_span, hull_precision, month_span, parse_range, point_text, year_span,
};
pub(crate) use text::day_or_minute_text;

/// How finely a date was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Precision {
    /// `2011-12-04 09:10`: one minute.
    Minute,
    /// `2021-11-08`, `March 18, 2024`: one day.
    Day,
    /// `2021-11`, `November 2021`: one calendar month.
    Month,
    /// `early 2022`, `mid 2022`, `late 2022`: a third of a year.
    Part,
    /// `2021`: one calendar year.
    Year,
    /// `the 1990s` (ten years) or a part of a decade: `the early 2000s` (2000-2003),
    /// `the mid 1990s` (1994-1996), `the late 1990s` (1997-1999).
    Decade,
    /// Any other span, such as a relative date resolved against a partial reference.
    Span,
    /// One minute given with a time zone (`2011-12-04 12:30PM EST`): an instant. The
    /// span's ends are in UTC, so two zoned times compare exactly; the offset (seconds
    /// east of UTC) is kept to write the time as it was given.
    Zoned(i32),
}

/// Whether `w` (lowercase) names a time zone (`utc`, `est`, `gmt`...): a word that may
/// stand in a date.
pub fn is_zone_word(w: &str) -> bool {
    clock::zone_offset(w).is_some()
}

/// How a slash date (`12/4/11`) is read: `date_order` in `ledger/config.ron`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateOrder {
    /// `12/4/11` is December 4, 2011 (US usage).
    MonthFirst,
    /// `12/4/11` is 12 April 2011.
    DayFirst,
}

/// A half-open interval of time `[start, end)` with the precision it was given at.
///
/// In the log a span is one string: its short form when it has one (`2021-11`,
/// `early 2022`, `1990s`), else `START..END` (end exclusive), with `@Precision` added
/// only when the precision is not the one the text implies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeSpan {
    /// The first instant of the span.
    pub start: NaiveDateTime,
    /// The first instant after the span.
    pub end: NaiveDateTime,
    /// How finely the date was given.
    pub precision: Precision,
}

impl TimeSpan {
    /// Whether some instant lies in both spans.
    pub fn overlaps(&self, other: &TimeSpan) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Whether every instant of `self` is before every instant of `other`.
    pub fn entirely_before(&self, other: &TimeSpan) -> bool {
        self.end <= other.start
    }

    /// The instant in the middle of the span, for ordering and plotting.
    pub fn midpoint(&self) -> NaiveDateTime {
        self.start + (self.end - self.start) / 2
    }
}

impl fmt::Display for TimeSpan {
    /// `2021`, `2021-11`, `2021-11-08`, `2011-12-04 09:10`, `early 2022`, `1990s`,
    /// `late 1990s`, else `START..END` (end exclusive), which is also written when the
    /// span does not have the shape its precision says.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match text::short_of(self) {
            Some(short) => short.fmt(f),
            None => write!(f, "{}..{}", text::Point(self.start), text::Point(self.end)),
        }
    }
}

/// What a date's text resolved to.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedDate {
    /// The interval of time the text denotes.
    pub span: TimeSpan,
    /// Whether the text was relative (`last August`) and so depended on the reference.
    pub relative: bool,
    /// For a relative date that names one of many days or months (`Sunday`, `in July`,
    /// `the weekend`): the rule that picked it, for the reader to check.
    pub inferred: Option<String>,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The text is not a date, or names a day or month that does not exist.
    #[error("could not read {text:?} as a date: {reason}")]
    Unreadable {
        /// The text as given.
        text: String,
        /// Which part could not be read, with examples of accepted forms.
        reason: String,
    },
    /// The text is relative and nothing was given to resolve it against.
    #[error("{text:?} is a relative date and there is no reference date to resolve it against: give the claim --as-of, or give its source a published date")]
    NoReference {
        /// The text as given.
        text: String,
    },
}

const EXAMPLES: &str = r#"write e.g. "November 2021", "2021-11", "18 March 2024""#;
/// Reads a date as a reporter writes it; relative forms are resolved against
/// `reference` (a claim's as-of or its source's published date). The forms are listed
/// in the module documentation.
///
/// Relative forms:
/// - `last <Month>` is the most recent such month strictly before the reference's
///   month: said in August 2022, `last August` is August 2021; said in September 2022
///   it is August 2022. `next <Month>` is the first such month strictly after it,
///   `this <Month>` that month of the reference's year.
/// - `this/last/next year` and `month` are the calendar year or month of, before or
///   after the reference; `last week` is the Monday-to-Sunday week before the
///   reference's week (precision [`Precision::Span`]).
/// - `<N> years ago` is the calendar year N years before the reference's year (Year
///   precision; `a decade ago` is 10 years), `<N> months ago` a calendar month,
///   `<N> weeks ago` and `<N> days ago` a day (N*7 or N days before).
/// - `the last year` / `the past year` (also `month`, `week`, `decade`, and `last
///   decade`) is a rolling period: the twelve months (one month, seven days, ten
///   years) up to and including the reference day, precision [`Precision::Span`].
///   Without `the`, `last year` is the calendar year before the reference's.
/// - A day and month with no year (`March 18`) is read as that day of the reference's
///   year, like `March 18th of this year`.
///
/// A partial reference (a whole month or year) widens the result: the text is
/// resolved against the reference's first day and against its last day, and the
/// result is the smallest span containing both resolutions (their hull). Every form
/// moves forward when the reference does, so the hull holds the resolution against
/// every day of the reference. When both resolutions agree the result keeps its own
/// precision; when they differ, the hull has [`Precision::Span`], unless it is exactly
/// one calendar year, month or day, which then gets that precision. With reference 2022
/// (the year), `last August` is `2021-08-01..2022-09-01`; with reference 2022-05 it is
/// August 2021.
pub fn parse_date(text: &str, reference: Option<&TimeSpan>) -> Result<ParsedDate, DateError> {
    parse_date_with(text, reference, None)
}

/// [`parse_date`], with slash dates (`12/4/11`) read in `order` (the ledger's
/// `date_order`); without one, a slash date with two valid readings is refused.
pub fn parse_date_with(
    text: &str,
    reference: Option<&TimeSpan>,
    order: Option<DateOrder>,
) -> Result<ParsedDate, DateError> {
    // Bulk imports carry ISO dates on most rows: read those without the tokenizer.
    if let Some(span) = iso_span(text) {
        return Ok(ParsedDate {
            span,
            relative: false,
            inferred: None,
        });
    }
    parse_date_grammar(text, reference, order)
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` exactly (ASCII digits): what [`parse_date`] reads them
/// as, without the tokenizer. `None` for anything else, the grammar's to read or refuse.
fn iso_span(t: &str) -> Option<TimeSpan> {
    let b = t.as_bytes();
    let shape_ok = match b.len() {
        4 => true,
        7 => b[4] == b'-',
        10 => b[4] == b'-' && b[7] == b'-',
        _ => false,
    };
    let digits = b
        .iter()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || i == 4 || i == 7);
    if !shape_ok || !digits {
        return None;
    }
    let num = |r: std::ops::Range<usize>| t.get(r)?.parse::<u32>().ok();
    let year = i64::from(num(0..4)?);
    match b.len() {
        4 => year_span(year).ok(),
        7 => month_span(year, num(5..7)?).ok(),
        _ => day_span(NaiveDate::from_ymd_opt(
            i32::try_from(year).ok()?,
            num(5..7)?,
            num(8..10)?,
        )?)
        .ok(),
    }
}

/// [`parse_date`] by the full grammar alone.
fn parse_date_grammar(
    text: &str,
    reference: Option<&TimeSpan>,
    order: Option<DateOrder>,
) -> Result<ParsedDate, DateError> {
    let unreadable = |reason: String| DateError::Unreadable {
        text: text.to_string(),
        reason,
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(unreadable(format!("the text is empty; {EXAMPLES}")));
    }
    if let Some((a, b)) = trimmed.split_once("..") {
        return parse_range(a, b)
            .map(|span| ParsedDate {
                span,
                relative: false,
                inferred: None,
            })
            .map_err(unreadable);
    }
    let reading = read_form(text, order).map_err(unreadable)?;
    let no_reference = || DateError::NoReference {
        text: text.to_string(),
    };
    let (span, relative, inferred) = match reading.form {
        Form::Absolute(span) => (span, false, None),
        Form::Shift(years) => {
            let span = shift(reference.ok_or_else(no_reference)?, years).map_err(unreadable)?;
            (span, true, None)
        }
        Form::Relative(rel, time) => {
            let reference = reference.ok_or_else(no_reference)?;
            let span = resolve_hull(rel, reference, time).map_err(unreadable)?;
            (span, true, relative::rule(&rel))
        }
    };
    let span = match reading.zone {
        Some(offset) => span::zoned(span, offset).map_err(unreadable)?,
        None => span,
    };
    Ok(ParsedDate {
        span,
        relative,
        inferred,
    })
}

/// A relative form resolved against the reference's first and last day, and the hull
/// of the two (see [`parse_date`]).
fn resolve_hull(
    rel: form::Rel,
    reference: &TimeSpan,
    time: Option<chrono::NaiveTime>,
) -> Result<TimeSpan, String> {
    let first = reference.start.date();
    let last = reference
        .end
        .checked_sub_signed(chrono::Duration::seconds(1))
        .filter(|l| *l >= reference.start)
        .map_or(first, |l| l.date());
    let a = resolve(rel, first, time)?;
    let b = resolve(rel, last, time)?;
    if a == b {
        return Ok(a);
    }
    let (start, end) = (a.start.min(b.start), a.end.max(b.end));
    Ok(TimeSpan {
        start,
        end,
        precision: hull_precision(start, end),
    })
}

/// `the same month last year`: the reference moved by whole years, same precision.
fn shift(reference: &TimeSpan, years: i32) -> Result<TimeSpan, String> {
    let months = chrono::Months::new(years.unsigned_abs() * 12);
    let move_by = |t: NaiveDateTime| {
        if years < 0 {
            t.checked_sub_months(months)
        } else {
            t.checked_add_months(months)
        }
        .ok_or_else(|| "the date is out of range".to_string())
    };
    span::checked(TimeSpan {
        start: move_by(reference.start)?,
        end: move_by(reference.end)?,
        precision: reference.precision,
    })
}

/// Text that [`parse_date`] reads back (without a reference) as exactly `span`.
pub fn span_to_text(span: &TimeSpan) -> String {
    // Sized for the usual forms at once: `to_string` grows from nothing.
    let mut text = String::with_capacity(24);
    span_into(&mut text, span);
    text
}

/// [`span_to_text`], written over `out`.
pub fn span_into(out: &mut String, span: &TimeSpan) {
    out.clear();
    // Writing to a String does not fail.
    let _ = fmt::Write::write_fmt(out, format_args!("{span}"));
}

/// The log's encoding of a span: exact for every span, short for the usual ones.
pub fn encode_span(span: &TimeSpan) -> String {
    if let Some(t) = canonical_text(span) {
        return t;
    }
    let range = format!("{}..{}", point_text(span.start), point_text(span.end));
    match span.precision {
        Precision::Span => range,
        p => format!("{range}@{p:?}"),
    }
}

/// Reads [`encode_span`]'s text; the plain ISO forms skip the full grammar.
pub(crate) fn decode_span(text: &str) -> Result<TimeSpan, String> {
    let (body, precision) = match text.split_once('@') {
        Some((b, p)) => (b, Some(p)),
        None => (text, None),
    };
    let span = match iso_span(body) {
        Some(s) => s,
        None => parse_date(body, None).map_err(|e| e.to_string())?.span,
    };
    Ok(match precision {
        None => span,
        Some(p) => TimeSpan {
            precision: match p {
                "Minute" => Precision::Minute,
                "Day" => Precision::Day,
                "Month" => Precision::Month,
                "Part" => Precision::Part,
                "Year" => Precision::Year,
                "Decade" => Precision::Decade,
                "Span" => Precision::Span,
                zoned if zoned.starts_with("Zoned(") => {
                    let inner = zoned.trim_start_matches("Zoned(").trim_end_matches(')');
                    Precision::Zoned(
                        inner
                            .parse()
                            .map_err(|_| format!("unknown precision {zoned:?}"))?,
                    )
                }
                other => return Err(format!("unknown precision {other:?}")),
            },
            ..span
        },
    })
}

impl Serialize for TimeSpan {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&encode_span(self))
    }
}

impl<'de> Deserialize<'de> for TimeSpan {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        decode_span(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod news_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod text_tests;
