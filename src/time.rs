//! Dates as people write them: absolute, partial and relative forms, each read as an
//! interval of time with a precision. Owns [`parse_date`] and [`TimeSpan`].

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// How finely a date was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Precision {
    Minute,
    Day,
    Month,
    /// `early 2022`, `mid 2022`, `late 2022`: a third of a year.
    Part,
    Year,
    /// Any other span, such as a relative date resolved against a partial reference.
    Span,
}

/// A half-open interval of time `[start, end)` with the precision it was given at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeSpan {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
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
    /// `2021`, `2021-11`, `2021-11-08`, `2011-12-04 09:10`, else `START..END` (end exclusive).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.start;
        match self.precision {
            Precision::Year => write!(f, "{}", s.year()),
            Precision::Month => write!(f, "{}", s.format("%Y-%m")),
            Precision::Day => write!(f, "{}", s.format("%Y-%m-%d")),
            Precision::Minute => write!(f, "{}", s.format("%Y-%m-%d %H:%M")),
            Precision::Part | Precision::Span => write!(
                f,
                "{}..{}",
                s.format("%Y-%m-%d"),
                self.end.format("%Y-%m-%d")
            ),
        }
    }
}

/// What a date's text resolved to.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedDate {
    pub span: TimeSpan,
    /// Whether the text was relative (`last August`) and so depended on the reference.
    pub relative: bool,
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("could not read {text:?} as a date: {reason}")]
    Unreadable { text: String, reason: String },
    #[error("{text:?} is a relative date and there is no reference date to resolve it against: give the claim --as-of, or give its source a published date")]
    NoReference { text: String },
}

/// Reads a date as a reporter writes it; relative forms are resolved against
/// `reference` (a claim's as-of or its source's published date). (Stub: ISO only.)
pub fn parse_date(text: &str, _reference: Option<&TimeSpan>) -> Result<ParsedDate, DateError> {
    let t = text.trim();
    let bad = || DateError::Unreadable {
        text: text.to_string(),
        reason: "expected a date such as 2021-11-08, 2021-11 or 2021".into(),
    };
    let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).ok_or_else(bad);
    let parts: Vec<&str> = t.split('-').collect();
    let nums: Vec<u32> = parts
        .iter()
        .map(|p| p.parse::<u32>().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let (start, end, precision) = match nums.as_slice() {
        [y] => (
            day(*y as i32, 1, 1)?,
            day(*y as i32 + 1, 1, 1)?,
            Precision::Year,
        ),
        [y, m] => {
            let s = day(*y as i32, *m, 1)?;
            let e = if *m == 12 {
                day(*y as i32 + 1, 1, 1)?
            } else {
                day(*y as i32, m + 1, 1)?
            };
            (s, e, Precision::Month)
        }
        [y, m, d] => {
            let s = day(*y as i32, *m, *d)?;
            (s, s.succ_opt().ok_or_else(bad)?, Precision::Day)
        }
        _ => return Err(bad()),
    };
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight exists");
    Ok(ParsedDate {
        span: TimeSpan {
            start: midnight(start),
            end: midnight(end),
            precision,
        },
        relative: false,
    })
}

/// Text that [`parse_date`] reads back (without a reference) as exactly `span`.
pub fn span_to_text(span: &TimeSpan) -> String {
    span.to_string()
}
