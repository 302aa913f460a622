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

use std::fmt;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::value::{parse_quantity, Bound, QuantityRules};

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
        match canonical_text(self) {
            Some(t) => f.write_str(&t),
            None => write!(f, "{}..{}", point_text(self.start), point_text(self.end)),
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

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

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
    // Bulk imports carry ISO dates on most rows: read those without the tokenizer.
    if let Some(span) = iso_span(text) {
        return Ok(ParsedDate {
            span,
            relative: false,
        });
    }
    parse_date_grammar(text, reference)
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
fn parse_date_grammar(text: &str, reference: Option<&TimeSpan>) -> Result<ParsedDate, DateError> {
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
            })
            .map_err(unreadable);
    }
    let form = read_form(text).map_err(unreadable)?;
    match form {
        Form::Absolute(span) => Ok(ParsedDate {
            span,
            relative: false,
        }),
        Form::Relative(rel, time) => {
            let reference = reference.ok_or_else(|| DateError::NoReference {
                text: text.to_string(),
            })?;
            let first = reference.start.date();
            let last = reference
                .end
                .checked_sub_signed(chrono::Duration::seconds(1))
                .filter(|l| *l >= reference.start)
                .map_or(first, |l| l.date());
            let a = resolve(rel, first, time).map_err(unreadable)?;
            let b = resolve(rel, last, time).map_err(unreadable)?;
            let span = if a == b {
                a
            } else {
                let (start, end) = (a.start.min(b.start), a.end.max(b.end));
                TimeSpan {
                    start,
                    end,
                    precision: hull_precision(start, end),
                }
            };
            Ok(ParsedDate {
                span,
                relative: true,
            })
        }
    }
}

/// Text that [`parse_date`] reads back (without a reference) as exactly `span`.
pub fn span_to_text(span: &TimeSpan) -> String {
    span.to_string()
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
fn decode_span(text: &str) -> Result<TimeSpan, String> {
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

fn month_name(m: u32) -> &'static str {
    let index = usize::try_from(m).ok().and_then(|m| m.checked_sub(1));
    index
        .and_then(|i| MONTH_NAMES.get(i))
        .copied()
        .unwrap_or("that month")
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

fn point_text(t: NaiveDateTime) -> String {
    if t.time() == NaiveTime::MIN {
        t.format("%Y-%m-%d").to_string()
    } else if t.second() == 0 && t.nanosecond() == 0 {
        t.format("%Y-%m-%d %H:%M").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S%.f").to_string()
    }
}

fn next_month(y: i32, m: u32) -> (i32, u32) {
    if m >= 12 {
        (y + 1, 1)
    } else {
        (y, m + 1)
    }
}

/// The short form of a span whose shape matches its precision, else `None`.
fn canonical_text(s: &TimeSpan) -> Option<String> {
    let (start, end) = (s.start, s.end);
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
        Precision::Minute | Precision::Span => None,
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

/// The precision of a hull: that of a calendar day, month or year if it is exactly one.
fn hull_precision(start: NaiveDateTime, end: NaiveDateTime) -> Precision {
    [Precision::Day, Precision::Month, Precision::Year]
        .into_iter()
        .find(|&precision| {
            canonical_text(&TimeSpan {
                start,
                end,
                precision,
            })
            .is_some()
        })
        .unwrap_or(Precision::Span)
}

fn parse_range(a: &str, b: &str) -> Result<TimeSpan, String> {
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
fn checked(span: TimeSpan) -> Result<TimeSpan, String> {
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

fn year_of(y: i64) -> Result<i32, String> {
    i32::try_from(y)
        .ok()
        .filter(|y| (1000..=9999).contains(y))
        .ok_or_else(|| format!("the year {y} is out of range: dates from 1000 to 9998 are read"))
}

fn date(y: i64, m: u32, d: u32) -> Result<NaiveDate, String> {
    let y = year_of(y)?;
    if !(1..=12).contains(&m) {
        return Err(format!(
            "{m} is not a month (months run from 1 to 12); {EXAMPLES}"
        ));
    }
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| format!("{} {y} has no day {d}; {EXAMPLES}", month_name(m)))
}

fn span_of(start: NaiveDate, end: NaiveDate, precision: Precision) -> Result<TimeSpan, String> {
    checked(TimeSpan {
        start: midnight(start),
        end: midnight(end),
        precision,
    })
}

fn year_span(y: i64) -> Result<TimeSpan, String> {
    span_of(date(y, 1, 1)?, date(y + 1, 1, 1)?, Precision::Year)
}

fn month_span(y: i64, m: u32) -> Result<TimeSpan, String> {
    let start = date(y, m, 1)?;
    let (ny, nm) = next_month(start.year(), m);
    span_of(start, date(i64::from(ny), nm, 1)?, Precision::Month)
}

fn day_span(d: NaiveDate) -> Result<TimeSpan, String> {
    let next = d
        .succ_opt()
        .ok_or_else(|| "the day is out of range".to_string())?;
    span_of(d, next, Precision::Day)
}

fn part_span(y: i64, part: &str) -> Result<TimeSpan, String> {
    let (from, to) = match part {
        "early" => (date(y, 1, 1)?, date(y, 5, 1)?),
        "mid" => (date(y, 5, 1)?, date(y, 9, 1)?),
        _ => (date(y, 9, 1)?, date(y + 1, 1, 1)?),
    };
    span_of(from, to, Precision::Part)
}

fn decade_span(first: i64, part: Option<&str>) -> Result<TimeSpan, String> {
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

fn with_time(span: TimeSpan, time: Option<NaiveTime>) -> Result<TimeSpan, String> {
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

#[derive(Clone, Debug, PartialEq)]
enum D {
    Num { val: u32, len: usize },
    Ord(u32),
    Decade { val: u32, len: usize },
    Word(String),
    Month(u32),
    Dash,
    Colon,
    Other(char),
}

#[derive(Clone, Debug)]
struct Tk {
    tok: D,
    start: usize,
    end: usize,
}

fn month_number(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
const FILLER: [&str; 8] = ["the", "of", "in", "on", "since", "by", "during", "at"];

fn tokenize(text: &str) -> Result<Vec<Tk>, String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _)| o);
    let is_alpha = |i: usize| at(i).is_some_and(char::is_alphabetic);
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = offset(i);
        // An elided century (`’90s`) reads like `90s`.
        let elision = matches!(c, '\'' | '’') && at(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_whitespace() || c == ',' || elision {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let mut j = i;
            while at(j).is_some_and(|c| c.is_ascii_digit()) {
                j += 1;
            }
            let digits = text.get(start..offset(j)).unwrap_or_default();
            let val: u32 = digits
                .parse()
                .ok()
                .filter(|_| digits.len() <= 9)
                .ok_or_else(|| format!("{digits:?} is not a day, month or year; {EXAMPLES}"))?;
            let len = digits.len();
            let mut k = j;
            while is_alpha(k) {
                k += 1;
            }
            let letters = text
                .get(offset(j)..offset(k))
                .unwrap_or_default()
                .to_lowercase();
            let apostrophe_s = matches!(at(j), Some('\'' | '’'))
                && matches!(at(j + 1), Some('s' | 'S'))
                && !is_alpha(j + 2);
            let tok = if letters == "s" {
                i = k;
                D::Decade { val, len }
            } else if apostrophe_s {
                i = j + 2;
                D::Decade { val, len }
            } else if matches!(letters.as_str(), "st" | "nd" | "rd" | "th") {
                i = k;
                D::Ord(val)
            } else {
                i = j;
                D::Num { val, len }
            };
            toks.push(Tk {
                tok,
                start,
                end: offset(i),
            });
            continue;
        }
        if c.is_alphabetic() {
            let mut j = i;
            while is_alpha(j) {
                j += 1;
            }
            let word = text
                .get(start..offset(j))
                .unwrap_or_default()
                .to_lowercase();
            let end = offset(j);
            // A full stop after a word marks an abbreviation (`Dec.`, `a.m.`).
            if at(j) == Some('.') && at(j + 1) != Some('.') {
                j += 1;
            }
            let tok = month_number(&word).map_or(D::Word(word), D::Month);
            toks.push(Tk { tok, start, end });
            i = j;
            continue;
        }
        let tok = match c {
            ':' => D::Colon,
            '-' | '–' | '—' | '‒' => D::Dash,
            other => D::Other(other),
        };
        toks.push(Tk {
            tok,
            start,
            end: offset(i + 1),
        });
        i += 1;
    }
    Ok(toks)
}

/// Takes a time of day (`9:10`, `09:10`, `9:10 pm`, `9:10 a.m.`) out of the tokens.
fn take_time(text: &str, toks: &mut Vec<Tk>) -> Result<Option<NaiveTime>, String> {
    let found = toks.windows(3).position(|w| {
        matches!(
            (&w[0].tok, &w[1].tok, &w[2].tok),
            (D::Num { len: 1 | 2, .. }, D::Colon, D::Num { len: 2, .. })
        )
    });
    let Some(i) = found else { return Ok(None) };
    let (Some(D::Num { val: h, .. }), Some(D::Num { val: m, .. })) =
        (toks.get(i).map(|t| &t.tok), toks.get(i + 2).map(|t| &t.tok))
    else {
        return Ok(None);
    };
    let (h, m) = (*h, *m);
    let word = |k: usize| match toks.get(k).map(|t| &t.tok) {
        Some(D::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let mut end = i + 3;
    let meridiem = match (word(end), word(end + 1)) {
        (Some(w @ ("am" | "pm")), _) => {
            end += 1;
            Some(w == "pm")
        }
        (Some(w @ ("a" | "p")), Some("m")) => {
            end += 2;
            Some(w == "p")
        }
        _ => None,
    };
    let shown = || {
        let s = toks.get(i).map_or(0, |t| t.start);
        let e = toks.get(end - 1).map_or(s, |t| t.end);
        text.get(s..e).unwrap_or_default().to_string()
    };
    let hour = match meridiem {
        Some(pm) if (1..=12).contains(&h) => h % 12 + if pm { 12 } else { 0 },
        None if h <= 23 => h,
        _ => 99,
    };
    let time = NaiveTime::from_hms_opt(hour, m, 0).ok_or_else(|| {
        format!(
            "{:?} is not a time of day; write e.g. \"09:10\" or \"9:10 pm\"",
            shown()
        )
    })?;
    let mut begin = i;
    if i > 0 && matches!(word(i - 1), Some("t" | "at")) {
        begin -= 1;
    }
    toks.drain(begin..end);
    Ok(Some(time))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rel {
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

enum Form {
    Absolute(TimeSpan),
    Relative(Rel, Option<NaiveTime>),
}

fn rel_word(w: &str) -> Option<i64> {
    match w {
        "last" | "previous" => Some(-1),
        "this" | "current" => Some(0),
        "next" | "coming" => Some(1),
        _ => None,
    }
}

fn part_word(w: &str) -> bool {
    matches!(w, "early" | "mid" | "late")
}

fn known_word(w: &str) -> bool {
    rel_word(w).is_some()
        || part_word(w)
        || FILLER.contains(&w)
        || WEEKDAYS.contains(&w)
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

fn read_form(text: &str) -> Result<Form, String> {
    let mut toks = tokenize(text)?;
    let time = take_time(text, &mut toks)?;
    let part_before = |toks: &[Tk], k: usize| {
        k > 0 && matches!(toks.get(k - 1).map(|t| &t.tok), Some(D::Word(w)) if part_word(w))
    };
    let rolling = rolling_period(&toks);
    let mut kept: Vec<Tk> = Vec::new();
    for t in toks {
        let drop = match &t.tok {
            D::Word(w) => FILLER.contains(&w.as_str()) || WEEKDAYS.contains(&w.as_str()),
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
fn rolling_period(toks: &[Tk]) -> Option<Rel> {
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

fn decade_start(val: u32, len: usize) -> Result<i64, String> {
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
fn ago(amount: &str) -> Result<Rel, String> {
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

fn unmatched(text: &str, toks: &[Tk]) -> String {
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

fn add_days(d: NaiveDate, n: i64) -> Result<NaiveDate, String> {
    let days = Days::new(n.unsigned_abs());
    let r = if n < 0 {
        d.checked_sub_days(days)
    } else {
        d.checked_add_days(days)
    };
    r.ok_or_else(|| "the date is out of range".to_string())
}

/// One resolution of a relative form against one reference day.
fn resolve(rel: Rel, day: NaiveDate, time: Option<NaiveTime>) -> Result<TimeSpan, String> {
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

#[cfg(test)]
mod tests {
    use super::*;
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
                    relative: false
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
                    relative: true
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
            Err(r#"could not read "a fortnight ago" as a date: "a fortnight" is not a whole number of days, weeks, months, years or decades; write e.g. "two years ago" or "3 months ago""#.to_string())
        );
        let feb29 =
            parse_date("February 29 this year", Some(&year(2023))).map_err(|e| e.to_string());
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
            (1000i64..=9998, 0usize..3).prop_map(|(y, p)| part_span(
                y,
                ["early", "mid", "late"][p]
            )
            .expect("part")),
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
                prop_assert_eq!(parse_date_grammar(&text, None).map(|p| p.span), Ok(span));
            } else {
                prop_assert!(parse_date_grammar(&text, None).is_err(), "{}", text);
            }
        }
    }

    proptest! {
        #[test]
        fn span_text_round_trips(span in span_strategy()) {
            let text = span_to_text(&span);
            prop_assert_eq!(parse_date(&text, None), Ok(ParsedDate { span, relative: false }), "{}", text);
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
}
