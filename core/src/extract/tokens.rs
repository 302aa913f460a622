//! The extractor's tokens: words with their inner joiners (`1,600`, `three-day`),
//! punctuation, and the stretches never read (addresses, handles, overlong runs).

use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// Letters and digits, with inner joiners: `1,600`, `7.12`, `U.S`, `three-day`,
    /// `month’s`, `9:10`, `2022-12-19`.
    Word,
    /// One other character: `$`, `%`, `,`.
    Punct,
    /// A handle, hashtag, address or overlong run: never part of a candidate.
    Skip,
}

#[derive(Clone, Debug)]
pub(super) struct Tok {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) lower: String,
}

/// Longer words are no number or date word; skipping them bounds the parsers' work.
pub(super) const MAX_WORD: usize = 64;

pub(super) fn tokenize(text: &str, range: Range<usize>) -> Vec<Tok> {
    let base = range.start;
    let s = text.get(range).unwrap_or_default();
    let chars: Vec<(usize, char)> = s.char_indices().map(|(p, c)| (p + base, c)).collect();
    let ch = |i: usize| chars.get(i).map(|&(_, c)| c);
    let pos = |i: usize| chars.get(i).map_or(base + s.len(), |&(p, _)| p);
    let alnum = |i: usize| ch(i).is_some_and(char::is_alphanumeric);
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(c) = ch(i) {
        // Control characters (NUL, escapes) separate tokens and are never part of one.
        if c.is_whitespace() || c.is_control() {
            i += 1;
            continue;
        }
        // A white-space-delimited chunk that is an address (`https://...`, `a@b.org`)
        // is skipped whole; it is examined once, at its first character.
        let chunk_start = i == 0 || ch(i - 1).is_some_and(char::is_whitespace);
        if chunk_start {
            let mut chunk_end = i;
            while ch(chunk_end).is_some_and(|c| !c.is_whitespace()) {
                chunk_end += 1;
            }
            let chunk = text.get(pos(i)..pos(chunk_end)).unwrap_or_default();
            let inner_at = chunk.find('@').is_some_and(|p| p > 0);
            if inner_at || chunk.contains("://") || chunk.starts_with("www.") {
                toks.push(Tok {
                    kind: Kind::Skip,
                    start: pos(i),
                    end: pos(chunk_end),
                    lower: String::new(),
                });
                i = chunk_end;
                continue;
            }
        }
        // A handle or hashtag (`@faq1953`, `#2022`) is skipped with its word.
        if matches!(c, '@' | '#') && alnum(i + 1) {
            let mut j = i + 1;
            while ch(j).is_some_and(|c| c.is_alphanumeric() || c == '_') {
                j += 1;
            }
            toks.push(Tok {
                kind: Kind::Skip,
                start: pos(i),
                end: pos(j),
                lower: String::new(),
            });
            i = j;
            continue;
        }
        // An elided century (`’90s`) starts a word.
        let elision = matches!(c, '\'' | '’')
            && ch(i + 1).is_some_and(|n| n.is_ascii_digit())
            && !alnum(i.wrapping_sub(1));
        if c.is_alphanumeric() || elision {
            let mut j = i + 1;
            while let Some(d) = ch(j) {
                if d.is_alphanumeric() {
                    j += 1;
                    continue;
                }
                let (prev, next) = (ch(j - 1), ch(j + 1));
                let (p, n) = match (prev, next) {
                    (Some(p), Some(n)) if p.is_alphanumeric() && n.is_alphanumeric() => (p, n),
                    _ => break,
                };
                // `56 949 009`: a space grouping thousands joins the digits so far (one
                // to three, or groups of three after earlier such spaces) to exactly
                // three more digits.
                let spaced = space_separator(d)
                    && chars.get(i..j).is_some_and(space_grouped)
                    && (j + 1..j + 4).all(|k| ch(k).is_some_and(|c| c.is_ascii_digit()))
                    && !ch(j + 4).is_some_and(char::is_alphanumeric);
                let joins = match d {
                    '-' | '–' | '/' | '.' => true,
                    ',' | ':' => p.is_ascii_digit() && n.is_ascii_digit(),
                    '\'' | '’' => n.is_alphabetic(),
                    _ => spaced,
                };
                if !joins {
                    break;
                }
                j += 2;
            }
            let (start, end) = (pos(i), pos(j));
            let word = text.get(start..end).unwrap_or_default();
            let kind = if word.len() > MAX_WORD {
                Kind::Skip
            } else {
                Kind::Word
            };
            toks.push(Tok {
                kind,
                start,
                end,
                lower: word.to_lowercase(),
            });
            i = j;
            continue;
        }
        toks.push(Tok {
            kind: Kind::Punct,
            start: pos(i),
            end: pos(i + 1),
            lower: c.to_string(),
        });
        i += 1;
    }
    toks
}

impl Tok {
    pub(super) fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }

    /// The hyphen-joined parts of the word (`three-day` -> `three`, `day`).
    pub(super) fn parts(&self) -> impl Iterator<Item = &str> {
        self.lower.split(['-', '–'])
    }

    pub(super) fn first_part(&self) -> &str {
        self.parts().next().unwrap_or_default()
    }

    pub(super) fn starts_with_digit(&self) -> bool {
        self.is_word()
            && self
                .lower
                .trim_start_matches(['\'', '’'])
                .starts_with(|c: char| c.is_ascii_digit())
    }

    pub(super) fn has_digit(&self) -> bool {
        self.lower.bytes().any(|b| b.is_ascii_digit())
    }
}

/// Characters that group thousands in running text besides the comma.
fn space_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Whether the characters are digits grouped by spaces as thousands are: a first group
/// of one to three digits, then groups of exactly three.
fn space_grouped(chars: &[(usize, char)]) -> bool {
    let mut groups = vec![0usize];
    for &(_, c) in chars {
        if c.is_ascii_digit() {
            if let Some(g) = groups.last_mut() {
                *g += 1;
            }
        } else if space_separator(c) {
            groups.push(0);
        } else {
            return false;
        }
    }
    let (first, rest) = groups.split_first().unwrap_or((&0, &[]));
    (1..=3).contains(first) && rest.iter().all(|&g| g == 3)
}
