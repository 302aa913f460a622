//! The value grammar's tokens: numbers with their separators, words, currency signs.

use rust_decimal::Decimal;

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

#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let offset = |i: usize| chars.get(i).map_or(text.len(), |&(o, _)| o);
    let is_digit = |i: usize| at(i).is_some_and(|c| c.is_ascii_digit());
    let is_alpha = |i: usize| at(i).is_some_and(char::is_alphabetic);
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = offset(i);
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && is_digit(i + 1)) {
            let mut digits = String::new();
            let mut groups = vec![0usize];
            let mut j = i;
            while let Some(c) = at(j) {
                if c.is_ascii_digit() {
                    digits.push(c);
                    if let Some(g) = groups.last_mut() {
                        *g += 1;
                    }
                    j += 1;
                } else if c == ',' && is_digit(j + 1) && !digits.is_empty() {
                    groups.push(0);
                    j += 1;
                } else {
                    break;
                }
            }
            if at(j) == Some('.') && is_digit(j + 1) {
                digits.push('.');
                j += 1;
                while let Some(c) = at(j).filter(char::is_ascii_digit) {
                    digits.push(c);
                    j += 1;
                }
            }
            let raw = text.get(start..offset(j)).unwrap_or_default();
            if !valid_grouping(&groups) {
                return Err(format!(
                    "{raw:?} is not a number: digits after a thousands separator come in \
                     groups of three, as in \"1,600\" or \"1,250,000\""
                ));
            }
            if digits.starts_with('.') {
                digits.insert(0, '0');
            }
            let n = Decimal::from_str_exact(&digits)
                .map_err(|_| format!("{raw:?} is too large or too precise a number"))?;
            toks.push(Token {
                tok: Tok::Num(n),
                start,
                end: offset(j),
            });
            if is_alpha(j) {
                let s = j;
                while is_alpha(j) {
                    j += 1;
                }
                let word = text
                    .get(offset(s)..offset(j))
                    .unwrap_or_default()
                    .to_lowercase();
                toks.push(Token {
                    tok: Tok::Suffix(word),
                    start: offset(s),
                    end: offset(j),
                });
            }
            i = j;
            continue;
        }
        if c.is_alphabetic() {
            let mut j = i;
            while let Some(c) = at(j) {
                let apostrophe = (c == '\'' || c == '’') && j > i && is_alpha(j + 1);
                if c.is_alphabetic() || apostrophe {
                    j += 1;
                } else {
                    break;
                }
            }
            let word = text
                .get(start..offset(j))
                .unwrap_or_default()
                .to_lowercase();
            // Abbreviations keep their full stop so `Rs. 5` is not a number `.5`.
            if matches!(word.as_str(), "rs" | "approx" | "ca" | "est") && at(j) == Some('.') {
                j += 1;
            }
            if word == "us" && at(j) == Some('$') {
                j += 1;
                toks.push(Token {
                    tok: Tok::Currency("USD"),
                    start,
                    end: offset(j),
                });
            } else {
                toks.push(Token {
                    tok: Tok::Word(word),
                    start,
                    end: offset(j),
                });
            }
            // A hyphen between words (`twenty-three`, `one-month`) joins, it is no range.
            if at(j) == Some('-') && is_alpha(j + 1) {
                j += 1;
            }
            i = j;
            continue;
        }
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
        toks.push(Token {
            tok,
            start,
            end: offset(i + 1),
        });
        i += 1;
    }
    Ok(toks)
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
