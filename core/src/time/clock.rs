//! Times of day and time zones inside a date: `9:10`, `9:10 pm`, `7:05P`, `1.40 pm`,
//! `0830 UTC`; zones by name (`EST`, `UTC`, `Beijing Time`) or by offset (`-05:00`,
//! `+0530`, `UTC+3`, `GMT-5`).

use chrono::NaiveTime;

use super::tokenize::{Tk, D};

fn tok(toks: &[Tk], k: usize) -> Option<&D> {
    toks.get(k).map(|t| &t.tok)
}

fn word(toks: &[Tk], k: usize) -> Option<&str> {
    match tok(toks, k) {
        Some(D::Word(w)) => Some(w.as_str()),
        _ => None,
    }
}

/// The UTC offset, in seconds east, of a zone's abbreviation. `CST` is read as US
/// Central (flight and US copy); India's `IST` as +05:30.
pub(super) fn zone_offset(w: &str) -> Option<i32> {
    let hours = |h: i32| Some(h * 3600);
    match w {
        "utc" | "gmt" | "z" | "zulu" => hours(0),
        "est" => hours(-5),
        "edt" | "cdt" => hours(if w == "edt" { -4 } else { -5 }),
        "cst" | "mdt" => hours(-6),
        "mst" | "pdt" => hours(-7),
        "pst" | "akdt" => hours(-8),
        "akst" => hours(-9),
        "hst" => hours(-10),
        "bst" | "cet" => hours(1),
        "cest" | "eet" | "sast" => hours(2),
        "eest" | "msk" => hours(3),
        "pkt" => hours(5),
        "ist" => Some(5 * 3600 + 1800),
        "wib" | "ict" => hours(7),
        "jst" | "kst" => hours(9),
        "aest" => hours(10),
        "aedt" => hours(11),
        _ => None,
    }
}

/// Whether the words at `k` name a zone by place (`Beijing Time`): its offset and length.
fn place_zone(toks: &[Tk], k: usize) -> Option<(i32, usize)> {
    let offset = match word(toks, k)? {
        "beijing" | "china" => 8 * 3600,
        "moscow" => 3 * 3600,
        "tokyo" | "japan" => 9 * 3600,
        _ => return None,
    };
    (word(toks, k + 1) == Some("time")).then_some((offset, 2))
}

/// A sign and hours (`-5`, `+05`, `-0500`, `+05:30`) at `k`: the offset and its length.
fn signed_offset(toks: &[Tk], k: usize) -> Option<(i32, usize)> {
    let sign = match tok(toks, k)? {
        D::Plus => 1,
        D::Dash => -1,
        _ => return None,
    };
    let (h, m, len) = match (tok(toks, k + 1)?, tok(toks, k + 2), tok(toks, k + 3)) {
        (D::Num { val: h, len: 1 | 2 }, Some(D::Colon), Some(D::Num { val: m, len: 2 })) => {
            (*h, *m, 4)
        }
        (D::Num { val, len: 4 }, _, _) => (val / 100, val % 100, 2),
        (D::Num { val: h, len: 1 | 2 }, _, _) => (*h, 0, 2),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    let secs = i32::try_from(h * 3600 + m * 60).ok()?;
    Some((sign * secs, len))
}

/// Takes a time zone out of the tokens: a name, a place's time, `UTC+3`, or an offset
/// where the time of day was taken out (`9:35 PM (-05:00)`, `09:10-0500`): `time_at`.
pub(super) fn take_zone(toks: &mut Vec<Tk>, time_at: Option<usize>) -> Option<i32> {
    for k in 0..toks.len() {
        let found = if let Some(base) = word(toks, k).and_then(zone_offset) {
            // `UTC+3`, `GMT-05:00`: an offset from the named zone.
            match signed_offset(toks, k + 1) {
                Some((o, len)) if matches!(word(toks, k), Some("utc" | "gmt")) => {
                    Some((base + o, len + 1))
                }
                _ => Some((base, 1)),
            }
        } else if let Some(z) = place_zone(toks, k) {
            Some(z)
        } else if time_at == Some(k) {
            signed_offset(toks, k)
        } else {
            None
        };
        if let Some((offset, len)) = found {
            toks.drain(k..(k + len).min(toks.len()));
            return Some(offset);
        }
    }
    None
}

/// Whether the word at `k` is a meridiem: `am`, `pm`, `a.m.` (read `a`, `m`), or `P`
/// alone (`7:05P`). Returns whether it is afternoon and how many tokens it takes.
fn meridiem(toks: &[Tk], k: usize) -> Option<(bool, usize)> {
    match (word(toks, k)?, word(toks, k + 1)) {
        (w @ ("am" | "pm"), _) => Some((w == "pm", 1)),
        (w @ ("a" | "p"), Some("m")) => Some((w == "p", 2)),
        (w @ ("a" | "p"), _) => Some((w == "p", 1)),
        _ => None,
    }
}

/// Takes a time of day (`9:10`, `09:10`, `9:10 pm`, `9:10 a.m.`, `7:05P`, `1.40 pm`,
/// `0830 UTC`) out of the tokens; with the index the tokens after it now start at.
pub(super) fn take_time(
    text: &str,
    toks: &mut Vec<Tk>,
) -> Result<Option<(NaiveTime, usize)>, String> {
    let Some((i, h, m, mut end)) = find_time(toks) else {
        return Ok(None);
    };
    let pm = meridiem(toks, end);
    if let Some((_, len)) = pm {
        end += len;
    }
    let shown = || {
        let s = toks.get(i).map_or(0, |t| t.start);
        let e = toks.get(end - 1).map_or(s, |t| t.end);
        text.get(s..e).unwrap_or_default().to_string()
    };
    let hour = match pm {
        Some((pm, _)) if (1..=12).contains(&h) => h % 12 + if pm { 12 } else { 0 },
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
    if i > 0 && matches!(word(toks, i - 1), Some("t" | "at")) {
        begin -= 1;
    }
    toks.drain(begin..end);
    Ok(Some((time, begin)))
}

/// Where a time of day starts: its index, hour, minute and the index after it.
fn find_time(toks: &[Tk]) -> Option<(usize, u32, u32, usize)> {
    for i in 0..toks.len() {
        match (tok(toks, i), tok(toks, i + 1), tok(toks, i + 2)) {
            (
                Some(D::Num { val: h, len: 1 | 2 }),
                Some(D::Colon),
                Some(D::Num { val: m, len: 2 }),
            ) => {
                return Some((i, *h, *m, i + 3));
            }
            // `1.40 pm`: a full stop between hours and minutes, only with a meridiem.
            (
                Some(D::Num { val: h, len: 1 | 2 }),
                Some(D::Other('.')),
                Some(D::Num { val: m, len: 2 }),
            ) if meridiem(toks, i + 3).is_some() => return Some((i, *h, *m, i + 3)),
            // `0830 UTC`, `2345 GMT`: military time before a zone.
            (Some(D::Num { val, len: 4 }), _, _)
                if word(toks, i + 1).and_then(zone_offset).is_some() =>
            {
                return Some((i, val / 100, val % 100, i + 1));
            }
            _ => {}
        }
    }
    None
}
