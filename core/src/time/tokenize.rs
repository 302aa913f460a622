//! The date grammar's tokens: numbers, ordinals, decades, month and weekday names,
//! words, and the time of day and time zone taken out of them.
//!
//! What websites add around a time is skipped here: brackets, `*`, `&nbsp;`, commas,
//! and a possessive `’s` (`Saturday’s quake`). A meridiem glued to a month (`2:45
//! PMDec 04`, `9:35pDec 4`) is split from it.

use super::EXAMPLES;
use crate::lexicon::{month_number, weekday_number};

/// One token of a date.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum D {
    Num {
        val: u32,
        len: usize,
    },
    Ord(u32),
    Decade {
        val: u32,
        len: usize,
    },
    Word(String),
    Month(u32),
    /// Days since Monday.
    Weekday(u32),
    Dash,
    Colon,
    Slash,
    Plus,
    Other(char),
}

/// A token and its byte range in the text.
#[derive(Clone, Debug)]
pub(super) struct Tk {
    pub(super) tok: D,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// The text's characters with their byte offsets.
struct Chars<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
}

impl Chars<'_> {
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    fn offset(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(o, _)| o)
    }

    fn is_alpha(&self, i: usize) -> bool {
        self.at(i).is_some_and(char::is_alphabetic)
    }

    fn get(&self, a: usize, b: usize) -> &str {
        self.text
            .get(self.offset(a)..self.offset(b))
            .unwrap_or_default()
    }

    /// Characters that separate tokens and mean nothing: `&nbsp;` counts as one.
    fn skip_len(&self, i: usize) -> usize {
        let Some(c) = self.at(i) else { return 0 };
        // An elided century (`’90s`) reads like `90s`.
        let elision = matches!(c, '\'' | '’') && self.at(i + 1).is_some_and(|n| n.is_ascii_digit());
        if c.is_whitespace() || matches!(c, ',' | '(' | ')' | '[' | ']' | '*') || elision {
            return 1;
        }
        let nbsp = self.get(i, i + 6);
        if nbsp.eq_ignore_ascii_case("&nbsp;") {
            return 6;
        }
        0
    }
}

/// The tokens of a date's text.
pub(super) fn tokenize(text: &str) -> Result<Vec<Tk>, String> {
    let cs = Chars {
        text,
        chars: text.char_indices().collect(),
    };
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(c) = cs.at(i) {
        let skip = cs.skip_len(i);
        if skip > 0 {
            i += skip;
            continue;
        }
        if c.is_ascii_digit() {
            i = number(&cs, i, &mut toks)?;
            continue;
        }
        if c.is_alphabetic() {
            i = word(&cs, i, &mut toks);
            continue;
        }
        let tok = match c {
            ':' => D::Colon,
            '-' | '–' | '—' | '‒' | '−' => D::Dash,
            '/' => D::Slash,
            '+' => D::Plus,
            other => D::Other(other),
        };
        toks.push(Tk {
            tok,
            start: cs.offset(i),
            end: cs.offset(i + 1),
        });
        i += 1;
    }
    Ok(toks)
}

/// Digits, with what may follow them: `s` (a decade), `’s`, an ordinal suffix.
fn number(cs: &Chars<'_>, i: usize, toks: &mut Vec<Tk>) -> Result<usize, String> {
    let mut j = i;
    while cs.at(j).is_some_and(|c| c.is_ascii_digit()) {
        j += 1;
    }
    let digits = cs.get(i, j);
    let val: u32 = digits
        .parse()
        .ok()
        .filter(|_| digits.len() <= 9)
        .ok_or_else(|| {
            format!(
                "{digits:?} has {} digits: a day, month, year or count in a date has at most \
                 9; {EXAMPLES}",
                digits.len()
            )
        })?;
    let len = digits.len();
    let mut k = j;
    while cs.is_alpha(k) {
        k += 1;
    }
    let letters = cs.get(j, k).to_lowercase();
    let apostrophe_s = matches!(cs.at(j), Some('\'' | '’'))
        && matches!(cs.at(j + 1), Some('s' | 'S'))
        && !cs.is_alpha(j + 2);
    let (tok, next) = if letters == "s" {
        (D::Decade { val, len }, k)
    } else if apostrophe_s {
        (D::Decade { val, len }, j + 2)
    } else if matches!(letters.as_str(), "st" | "nd" | "rd" | "th") {
        (D::Ord(val), k)
    } else {
        (D::Num { val, len }, j)
    };
    toks.push(Tk {
        tok,
        start: cs.offset(i),
        end: cs.offset(next),
    });
    Ok(next)
}

/// A word, lowercased, without a possessive `’s`; a month or weekday name becomes its
/// number; `PMDec` becomes `pm` and December.
fn word(cs: &Chars<'_>, i: usize, toks: &mut Vec<Tk>) -> usize {
    let mut j = i;
    while cs.is_alpha(j) {
        j += 1;
    }
    let word = cs.get(i, j).to_lowercase();
    let (start, end) = (cs.offset(i), cs.offset(j));
    if matches!(cs.at(j), Some('\'' | '’')) && matches!(cs.at(j + 1), Some('s' | 'S')) {
        if !cs.is_alpha(j + 2) {
            j += 2;
        }
    } else if cs.at(j) == Some('.') && cs.at(j + 1) != Some('.') {
        // A full stop after a word marks an abbreviation (`Dec.`, `a.m.`).
        j += 1;
    }
    let glued = ["am", "pm", "a", "p"].iter().find_map(|m| {
        let rest = word.strip_prefix(m)?;
        Some((m.len(), month_number(rest)?))
    });
    match glued {
        Some((cut, month)) if month_number(&word).is_none() => {
            let mid = start + cut;
            let meridiem = word.get(..cut).unwrap_or_default().to_string();
            toks.push(Tk {
                tok: D::Word(meridiem),
                start,
                end: mid,
            });
            toks.push(Tk {
                tok: D::Month(month),
                start: mid,
                end,
            });
        }
        _ => {
            let tok = if let Some(m) = month_number(&word) {
                D::Month(m)
            } else if let Some(d) = weekday_number(&word) {
                D::Weekday(d)
            } else {
                D::Word(word)
            };
            toks.push(Tk { tok, start, end });
        }
    }
    j
}
