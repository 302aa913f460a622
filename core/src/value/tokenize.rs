//! The value grammar's tokens: numbers with their separators, words, currency signs.
//!
//! Thousands may be grouped by commas (`1,600`, South Asian `12,50,000`) or by a space,
//! a no-break space or a thin space (`56 949 009`), never by both in one number.

use rust_decimal::Decimal;

/// One token of a quantity.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Num(Decimal),
    /// Letters glued to a number, as in `7bn`.
    Suffix(String),
    /// A lowercased word.
    Word(String),
    Currency(&'static str),
    Percent,
    Tilde,
    Dash,
    Other(char),
}

/// A token and its byte range in the text.
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Characters that group thousands in running text besides the comma.
fn space_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

struct Lexer<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
    toks: Vec<Token>,
}

impl Lexer<'_> {
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }

    fn offset(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.text.len(), |&(o, _)| o)
    }

    fn is_digit(&self, i: usize) -> bool {
        self.at(i).is_some_and(|c| c.is_ascii_digit())
    }

    fn is_alpha(&self, i: usize) -> bool {
        self.at(i).is_some_and(char::is_alphabetic)
    }

    fn push(&mut self, tok: Tok, from: usize, to: usize) {
        let (start, end) = (self.offset(from), self.offset(to));
        self.toks.push(Token { tok, start, end });
    }

    /// Whether exactly three digits start at `i` (a group after a separator).
    fn three_digits(&self, i: usize) -> bool {
        (i..i + 3).all(|k| self.is_digit(k)) && !self.is_digit(i + 3)
    }

    /// A number at `i`: digits, separators, a decimal part; then glued letters.
    fn number(&mut self, i: usize) -> Result<usize, String> {
        let mut digits = String::new();
        let mut groups = vec![0usize];
        let mut sep: Option<bool> = None;
        let mut j = i;
        while let Some(c) = self.at(j) {
            let group = groups.last().copied().unwrap_or(0);
            let spaced = space_separator(c)
                && sep != Some(false)
                && self.three_digits(j + 1)
                && (group == 3 || (groups.len() == 1 && (1..=3).contains(&group)));
            if c.is_ascii_digit() {
                digits.push(c);
                if let Some(g) = groups.last_mut() {
                    *g += 1;
                }
            } else if c == ',' && self.is_digit(j + 1) && !digits.is_empty() && sep != Some(true) {
                sep = Some(false);
                groups.push(0);
            } else if spaced {
                sep = Some(true);
                groups.push(0);
            } else {
                break;
            }
            j += 1;
        }
        if self.at(j) == Some('.') && self.is_digit(j + 1) {
            digits.push('.');
            j += 1;
            while let Some(c) = self.at(j).filter(char::is_ascii_digit) {
                digits.push(c);
                j += 1;
            }
        }
        let raw = self
            .text
            .get(self.offset(i)..self.offset(j))
            .unwrap_or_default();
        if !valid_grouping(&groups) {
            return Err(format!(
                "{raw:?} is not a number: digits after a thousands separator come in \
                 groups of three, as in \"1,600\" or \"1,250,000\""
            ));
        }
        if digits.starts_with('.') {
            digits.insert(0, '0');
        }
        let n = Decimal::from_str_exact(&digits).map_err(|_| {
            format!(
                "{raw:?} is too large or too precise a number: quantities are read up to {} \
                 (about 7.9e28), with at most 28 digits",
                Decimal::MAX
            )
        })?;
        self.push(Tok::Num(n), i, j);
        if self.is_alpha(j) {
            let s = j;
            while self.is_alpha(j) {
                j += 1;
            }
            let word = self
                .text
                .get(self.offset(s)..self.offset(j))
                .unwrap_or_default();
            self.push(Tok::Suffix(word.to_lowercase()), s, j);
        }
        Ok(j)
    }

    /// A word at `i`, lowercased, with inner apostrophes (`month’s`).
    fn word(&mut self, i: usize) -> usize {
        let mut j = i;
        while let Some(c) = self.at(j) {
            let apostrophe = (c == '\'' || c == '’') && j > i && self.is_alpha(j + 1);
            if c.is_alphabetic() || apostrophe {
                j += 1;
            } else {
                break;
            }
        }
        let word = self
            .text
            .get(self.offset(i)..self.offset(j))
            .unwrap_or_default()
            .to_lowercase();
        // Abbreviations keep their full stop so `Rs. 5` is not a number `.5`.
        if matches!(word.as_str(), "rs" | "approx" | "ca" | "est") && self.at(j) == Some('.') {
            j += 1;
        }
        if word == "us" && self.at(j) == Some('$') {
            j += 1;
            self.push(Tok::Currency("USD"), i, j);
        } else {
            self.push(Tok::Word(word), i, j);
        }
        // A hyphen between words (`twenty-three`, `one-month`) joins, it is no range.
        if self.at(j) == Some('-') && self.is_alpha(j + 1) {
            j += 1;
        }
        j
    }
}

/// The tokens of a quantity's text.
pub(super) fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut lx = Lexer {
        text,
        chars: text.char_indices().collect(),
        toks: Vec::new(),
    };
    let mut i = 0;
    while let Some(c) = lx.at(i) {
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || (c == '.' && lx.is_digit(i + 1)) {
            i = lx.number(i)?;
        } else if c.is_alphabetic() {
            i = lx.word(i);
        } else {
            let tok = match c {
                '$' => Tok::Currency("USD"),
                '€' => Tok::Currency("EUR"),
                '£' => Tok::Currency("GBP"),
                '₹' => Tok::Currency("INR"),
                '%' => Tok::Percent,
                '~' | '≈' => Tok::Tilde,
                '-' | '–' | '—' | '‒' => Tok::Dash,
                other => Tok::Other(other),
            };
            lx.push(tok, i, i + 1);
            i += 1;
        }
    }
    Ok(lx.toks)
}

/// Western grouping (`1,250,000`) or South Asian grouping (`12,50,000`).
fn valid_grouping(groups: &[usize]) -> bool {
    let Some((first, rest)) = groups.split_first() else {
        return true;
    };
    let Some((last, middle)) = rest.split_last() else {
        return true;
    };
    *last == 3
        && (1..=3).contains(first)
        && (middle.iter().all(|&g| g == 3) || (*first <= 2 && middle.iter().all(|&g| g == 2)))
}
