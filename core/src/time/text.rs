//! Spans and instants as text: the short forms (`2021-11`, `early 2022`, `1990s`...)
//! and ISO days and minutes. A report writes millions of them, so days and minutes are
//! written digit by digit rather than through chrono's format strings (parsed again on
//! every call); the bytes are chrono's `%Y-%m-%d %H:%M` for every year.

use std::fmt::{self, Write};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::span::next_month;
use super::{Precision, TimeSpan};

/// The short form of a span, decided before anything is written.
#[derive(Clone, Copy, Debug)]
pub(super) enum Short {
    /// A minute given with a zone: the minute as written (local) and the offset.
    Zoned(NaiveDateTime, i32),
    Minute(NaiveDateTime),
    Day(NaiveDate),
    Month(i32, u32),
    Year(i32),
    /// `early`, `mid` or `late`, and the year.
    Part(&'static str, i32),
    /// `""`, `early `, `mid ` or `late `, and the decade's first year.
    Decade(&'static str, i32),
}

/// The short form of a span whose shape matches its precision, else `None`.
pub(super) fn short_of(s: &TimeSpan) -> Option<Short> {
    let (start, end) = (s.start, s.end);
    let whole_minute = || {
        let one = start.checked_add_signed(chrono::Duration::minutes(1))?;
        (start.second() == 0 && start.nanosecond() == 0 && end == one).then_some(())
    };
    if let Precision::Zoned(offset) = s.precision {
        let local = start.checked_add_signed(chrono::Duration::seconds(i64::from(offset)))?;
        return whole_minute().map(|()| Short::Zoned(local, offset));
    }
    if s.precision == Precision::Minute {
        return whole_minute().map(|()| Short::Minute(start));
    }
    if start.time() != NaiveTime::MIN || end.time() != NaiveTime::MIN {
        return None;
    }
    let (sd, ed) = (start.date(), end.date());
    let (y, m, d) = (sd.year(), sd.month(), sd.day());
    let jan1 = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1);
    match s.precision {
        Precision::Minute | Precision::Span | Precision::Zoned(_) => None,
        Precision::Day => (sd.succ_opt()? == ed).then_some(Short::Day(sd)),
        Precision::Month => {
            let (ny, nm) = next_month(y, m);
            (d == 1 && NaiveDate::from_ymd_opt(ny, nm, 1)? == ed).then_some(Short::Month(y, m))
        }
        Precision::Year => (jan1(y)? == sd && jan1(y + 1)? == ed).then_some(Short::Year(y)),
        Precision::Part => {
            let word = match m {
                1 => "early",
                5 => "mid",
                9 => "late",
                _ => return None,
            };
            let (ey, em) = if m == 9 { (y + 1, 1) } else { (y, m + 4) };
            (d == 1 && NaiveDate::from_ymd_opt(ey, em, 1)? == ed).then_some(Short::Part(word, y))
        }
        Precision::Decade => {
            if jan1(y)? != sd || ed.month() != 1 || ed.day() != 1 {
                return None;
            }
            let len = ed.year() - y;
            let word = match (y.rem_euclid(10), len) {
                (0, 10) => "",
                (0, 4) => "early ",
                (4, 3) => "mid ",
                (7, 3) => "late ",
                _ => return None,
            };
            Some(Short::Decade(word, y - y.rem_euclid(10)))
        }
    }
}

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Short::Zoned(local, offset) => {
                write_minute(f, local)?;
                f.write_char(' ')?;
                write_offset(f, offset)
            }
            Short::Minute(t) => write_minute(f, t),
            Short::Day(d) => write_day(f, d),
            Short::Month(y, m) => match Digits::year(y) {
                Some(mut b) => {
                    b.push(b'-');
                    b.two(m);
                    f.write_str(b.as_str())
                }
                None => write!(f, "{y:04}-{m:02}"),
            },
            Short::Year(y) => write_year(f, y),
            Short::Part(word, y) => {
                f.write_str(word)?;
                f.write_char(' ')?;
                write_year(f, y)
            }
            Short::Decade(word, y) => {
                f.write_str(word)?;
                write_year(f, y)?;
                f.write_char('s')
            }
        }
    }
}

/// An instant as the log and reports write one: a day, a minute, else to the second
/// (with a fraction when there is one).
#[derive(Clone, Copy, Debug)]
pub(super) struct Point(pub NaiveDateTime);

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        if t.time() == NaiveTime::MIN {
            write_day(f, t.date())
        } else if t.second() == 0 && t.nanosecond() == 0 {
            write_minute(f, t)
        } else {
            write!(f, "{}", t.format("%Y-%m-%d %H:%M:%S%.f"))
        }
    }
}

/// `+08:00`, `-05:00`: an offset in seconds east of UTC as ISO 8601 writes it.
pub(super) fn write_offset(w: &mut impl Write, offset: i32) -> fmt::Result {
    let sign = if offset < 0 { '-' } else { '+' };
    let a = offset.unsigned_abs();
    write!(w, "{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)
}

/// A year as `{:04}` writes it.
fn write_year(w: &mut impl Write, y: i32) -> fmt::Result {
    match Digits::year(y) {
        Some(b) => w.write_str(b.as_str()),
        None => write!(w, "{y:04}"),
    }
}

/// `2021-11-08`, as chrono's `%Y-%m-%d`.
pub(super) fn write_day(w: &mut impl Write, d: NaiveDate) -> fmt::Result {
    match Digits::day(d) {
        Some(b) => w.write_str(b.as_str()),
        None => write!(w, "{}", d.format("%Y-%m-%d")),
    }
}

/// `2011-12-04 09:10`, as chrono's `%Y-%m-%d %H:%M`.
pub(super) fn write_minute(w: &mut impl Write, t: NaiveDateTime) -> fmt::Result {
    match Digits::day(t.date()) {
        Some(mut b) => {
            b.push(b' ');
            b.two(t.hour());
            b.push(b':');
            b.two(t.minute());
            w.write_str(b.as_str())
        }
        None => write!(w, "{}", t.format("%Y-%m-%d %H:%M")),
    }
}

/// A few ASCII digits on the stack.
struct Digits {
    bytes: [u8; 16],
    len: usize,
}

impl Digits {
    /// A four-digit year; None outside 0..=9999, where chrono and `{:04}` add a sign
    /// or more digits.
    fn year(y: i32) -> Option<Digits> {
        let y = u32::try_from(y).ok().filter(|&y| y <= 9999)?;
        let mut b = Digits {
            bytes: [0; 16],
            len: 0,
        };
        b.two(y / 100);
        b.two(y % 100);
        Some(b)
    }

    fn day(d: NaiveDate) -> Option<Digits> {
        let mut b = Digits::year(d.year())?;
        b.push(b'-');
        b.two(d.month());
        b.push(b'-');
        b.two(d.day());
        Some(b)
    }

    fn push(&mut self, c: u8) {
        self.bytes[self.len] = c;
        self.len += 1;
    }

    /// Two digits of a number below 100.
    fn two(&mut self, n: u32) {
        self.push(b'0' + (n / 10) as u8);
        self.push(b'0' + (n % 10) as u8);
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and separators are pushed.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

/// An instant as a day (`%Y-%m-%d`) or, when `minutes`, to the minute
/// (`%Y-%m-%d %H:%M`), whatever its time of day.
pub(crate) fn day_or_minute_text(t: NaiveDateTime, minutes: bool) -> String {
    let mut s = String::with_capacity(16);
    // Writing to a String does not fail.
    let _ = if minutes {
        write_minute(&mut s, t)
    } else {
        write_day(&mut s, t.date())
    };
    s
}
