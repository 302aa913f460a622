//! The date grammar's tokens: numbers, ordinals, decades, month names, words, and the
//! time of day taken out of them.

use chrono::NaiveTime;

use super::EXAMPLES;
use crate::lexicon::month_number;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum D {
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
pub(super) struct Tk {
    pub(super) tok: D,
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) fn tokenize(text: &str) -> Result<Vec<Tk>, String> {
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
pub(super) fn take_time(text: &str, toks: &mut Vec<Tk>) -> Result<Option<NaiveTime>, String> {
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
