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

/// The characters of one sentence, with their byte offsets in the whole text.
struct Lexer<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    /// The byte offset just past the sentence.
    end: usize,
    toks: Vec<Tok>,
}

impl Lexer<'_> {
    fn ch(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    fn pos(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.end, |&(p, _)| p)
    }

    fn alnum(&self, i: usize) -> bool {
        self.ch(i).is_some_and(char::is_alphanumeric)
    }

    fn push(&mut self, kind: Kind, from: usize, to: usize) {
        let (start, end) = (self.pos(from), self.pos(to));
        let lower = match kind {
            Kind::Skip => String::new(),
            _ => self.text.get(start..end).unwrap_or_default().to_lowercase(),
        };
        self.toks.push(Tok {
            kind,
            start,
            end,
            lower,
        });
    }

    /// A white-space-delimited chunk at `i` that is an address (`https://...`,
    /// `a@b.org`): the index after it. Examined once, at the chunk's first character.
    fn address(&self, i: usize) -> Option<usize> {
        let chunk_start = i == 0 || self.ch(i - 1).is_some_and(char::is_whitespace);
        if !chunk_start {
            return None;
        }
        let mut chunk_end = i;
        while self.ch(chunk_end).is_some_and(|c| !c.is_whitespace()) {
            chunk_end += 1;
        }
        let chunk = self
            .text
            .get(self.pos(i)..self.pos(chunk_end))
            .unwrap_or_default();
        let inner_at = chunk.find('@').is_some_and(|p| p > 0);
        (inner_at || chunk.contains("://") || chunk.starts_with("www.")).then_some(chunk_end)
    }

    /// A handle or hashtag at `i` (`@faq1953`, `#2022`): the index after it.
    fn handle(&self, i: usize) -> Option<usize> {
        if !(matches!(self.ch(i), Some('@' | '#')) && self.alnum(i + 1)) {
            return None;
        }
        let mut j = i + 1;
        while self.ch(j).is_some_and(|c| c.is_alphanumeric() || c == '_') {
            j += 1;
        }
        Some(j)
    }

    /// The end of the word starting at `i`: letters and digits with inner joiners.
    fn word_end(&self, i: usize) -> usize {
        // The digits since the last separator, and whether the word so far is digits
        // grouped by spaces as thousands are: kept as the word grows, so that a long
        // run of spaced digits costs linear time.
        let first = self.ch(i).is_some_and(|c| c.is_ascii_digit());
        let mut group = usize::from(first);
        let mut grouped = first;
        let mut first_group = true;
        // The first character is taken whatever it is (an elision's `’` too), so that
        // every word moves the tokenizer on.
        let mut j = i + 1;
        while let Some(d) = self.ch(j) {
            if d.is_alphanumeric() {
                if d.is_ascii_digit() {
                    group += 1;
                } else {
                    grouped = false;
                }
                j += 1;
                continue;
            }
            let (p, n) = match (j.checked_sub(1).and_then(|k| self.ch(k)), self.ch(j + 1)) {
                (Some(p), Some(n)) if p.is_alphanumeric() && n.is_alphanumeric() => (p, n),
                _ => break,
            };
            // `56 949 009`: a space grouping thousands joins one to three digits (or a
            // group of three after such a space) to exactly three more digits.
            let group_ok = if first_group {
                (1..=3).contains(&group)
            } else {
                group == 3
            };
            let spaced = space_separator(d)
                && grouped
                && group_ok
                && (j + 1..j + 4).all(|k| self.ch(k).is_some_and(|c| c.is_ascii_digit()))
                && !self.alnum(j + 4);
            let joins = match d {
                '-' | '–' | '/' | '.' => true,
                ',' | ':' => p.is_ascii_digit() && n.is_ascii_digit(),
                '\'' | '’' => n.is_alphabetic(),
                _ => spaced,
            };
            if !joins {
                break;
            }
            if spaced {
                first_group = false;
            } else {
                grouped = false;
            }
            group = 0;
            j += 1;
        }
        j
    }
}

/// The tokens of the sentence at `range` of `text`.
pub(super) fn tokenize(text: &str, range: Range<usize>) -> Vec<Tok> {
    let base = range.start;
    let s = text.get(range).unwrap_or_default();
    let mut lx = Lexer {
        text,
        chars: s.char_indices().map(|(p, c)| (p + base, c)).collect(),
        end: base + s.len(),
        toks: Vec::new(),
    };
    let mut i = 0;
    while let Some(c) = lx.ch(i) {
        // Control characters (NUL, escapes) separate tokens and are never part of one.
        if c.is_whitespace() || c.is_control() {
            i += 1;
            continue;
        }
        if let Some(j) = lx.address(i).or_else(|| lx.handle(i)) {
            lx.push(Kind::Skip, i, j);
            i = j;
            continue;
        }
        // An elided century (`’90s`) starts a word.
        let elision = matches!(c, '\'' | '’')
            && lx.ch(i + 1).is_some_and(|n| n.is_ascii_digit())
            && !lx.alnum(i.wrapping_sub(1));
        if c.is_alphanumeric() || elision {
            let j = lx.word_end(i);
            let long = lx.pos(j) - lx.pos(i) > MAX_WORD;
            lx.push(if long { Kind::Skip } else { Kind::Word }, i, j);
            i = j;
            continue;
        }
        // A run of one punctuation mark (`....`, `!!!`) is one token: a run means
        // nothing to either grammar, and garbage of one mark stays cheap.
        let mut j = i + 1;
        while lx.ch(j) == Some(c) {
            j += 1;
        }
        lx.push(Kind::Punct, i, j);
        i = j;
    }
    lx.toks
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
