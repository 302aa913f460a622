//! Numbers inside a quantity: digits with a glued magnitude (`7bn`), number words
//! (`twenty-three`, `a dozen`, `one million two hundred thousand`) and magnitudes.

use rust_decimal::Decimal;

use super::parser::{too_large, Parser};
use super::tokenize::{Tok, Token};
use crate::lexicon::{known_unit, scale_word, small_number, suffix_scale, tens_number, word_unit};

/// Where a word-number is, so that `forty sixty` or `seven three` stop being one number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Last {
    Nothing,
    Article,
    Digits,
    Small,
    Tens,
    Hundred,
    Dozen,
    Scale,
    And,
}

/// The number read so far: `total` holds what the largest magnitude closed, `current`
/// what is still being built (`two hundred` before `thousand`).
struct Acc {
    total: Decimal,
    current: Option<Decimal>,
    largest: Option<Decimal>,
    last_scale: Option<Decimal>,
    last: Last,
}

impl Acc {
    fn add(&mut self, v: u32) -> Result<(), String> {
        let c = self.current.unwrap_or(Decimal::ZERO);
        self.current = Some(c.checked_add(Decimal::from(v)).ok_or_else(too_large)?);
        Ok(())
    }

    /// Applies a magnitude word to the number read so far: `one million two hundred
    /// thousand` adds, `7.5 thousand million` multiplies.
    fn scale(&mut self, m: Decimal) -> Result<(), String> {
        let c = self.current.take().unwrap_or(Decimal::ONE);
        if self.largest.is_none_or(|l| m > l) {
            self.total = self
                .total
                .checked_add(c)
                .and_then(|t| t.checked_mul(m))
                .ok_or_else(too_large)?;
            self.largest = Some(m);
        } else {
            self.total = c
                .checked_mul(m)
                .and_then(|v| self.total.checked_add(v))
                .ok_or_else(too_large)?;
        }
        self.last_scale = Some(m);
        self.last = Last::Scale;
        Ok(())
    }

    fn after_joint(&self) -> bool {
        matches!(
            self.last,
            Last::Nothing | Last::Hundred | Last::Scale | Last::And
        )
    }
}

impl Parser<'_> {
    /// Digits or number words, with magnitudes: returns the value and the last magnitude.
    pub(super) fn number(&mut self) -> Result<Option<(Decimal, Option<Decimal>)>, String> {
        let mut acc = Acc {
            total: Decimal::ZERO,
            current: None,
            largest: None,
            last_scale: None,
            last: Last::Nothing,
        };
        while let Some(tok) = self.tok(self.pos).cloned() {
            let taken = match tok {
                Tok::Num(v) if acc.last == Last::Nothing => self.digits(&mut acc, v)?,
                Tok::Word(w) => self.number_word(&mut acc, &w)?,
                _ => false,
            };
            if !taken {
                break;
            }
        }
        if acc.last == Last::Nothing {
            return Ok(None);
        }
        let value = acc
            .total
            .checked_add(acc.current.unwrap_or(Decimal::ZERO))
            .ok_or_else(too_large)?;
        Ok(Some((value, acc.last_scale)))
    }

    /// Digits, and a magnitude glued to them (`7bn`); a glued word that is neither a
    /// magnitude nor a unit is an error (`7xyz`).
    fn digits(&mut self, acc: &mut Acc, v: Decimal) -> Result<bool, String> {
        acc.current = Some(v);
        acc.last = Last::Digits;
        let num_start = self.toks.get(self.pos).map_or(0, |t| t.start);
        self.pos += 1;
        let Some(Token {
            tok: Tok::Suffix(s),
            end,
            start,
        }) = self.toks.get(self.pos).cloned()
        else {
            return Ok(true);
        };
        if let Some(m) = suffix_scale(&s) {
            acc.scale(m)?;
            self.pos += 1;
        } else if known_unit(&s).is_none() {
            let whole = self.text.get(num_start..end).unwrap_or_default();
            let suffix = self.text.get(start..end).unwrap_or_default();
            return Err(format!(
                "{whole:?}: {suffix:?} is not a known magnitude; write e.g. \
                 \"7bn\", \"650k\", \"1.2 million\""
            ));
        }
        Ok(true)
    }

    /// One number word; `false` when the word does not continue the number.
    fn number_word(&mut self, acc: &mut Acc, w: &str) -> Result<bool, String> {
        if (w == "a" || w == "an") && acc.last == Last::Nothing && self.article_counts() {
            acc.current = Some(Decimal::ONE);
            acc.last = Last::Article;
        } else if let Some(v) = small_number(w) {
            let after_tens = acc.last == Last::Tens && (1..=9).contains(&v);
            if !(acc.after_joint() || after_tens) {
                return Ok(false);
            }
            acc.add(v)?;
            acc.last = Last::Small;
        } else if let Some(v) = tens_number(w) {
            if !acc.after_joint() {
                return Ok(false);
            }
            acc.add(v)?;
            acc.last = Last::Tens;
        } else if w == "hundred" || w == "dozen" {
            let ok = matches!(
                acc.last,
                Last::Nothing | Last::Article | Last::Digits | Last::Small | Last::Tens
            );
            if !ok {
                return Ok(false);
            }
            let m = Decimal::from(if w == "hundred" { 100 } else { 12 });
            let c = acc.current.unwrap_or(Decimal::ONE);
            acc.current = Some(c.checked_mul(m).ok_or_else(too_large)?);
            acc.last = if w == "hundred" {
                Last::Hundred
            } else {
                Last::Dozen
            };
        } else if let Some(m) = scale_word(w) {
            // `7 trillion trillion` is no number; `7.5 thousand million` is.
            let repeated = acc.last == Last::Scale && acc.largest.is_some_and(|l| m <= l);
            if acc.last == Last::And || repeated {
                return Ok(false);
            }
            acc.scale(m)?;
        } else if w == "and" && matches!(acc.last, Last::Hundred | Last::Scale) {
            let next_is_number = self
                .word(self.pos + 1)
                .is_some_and(|n| small_number(n).is_some() || tens_number(n).is_some());
            if !next_is_number {
                return Ok(false);
            }
            acc.last = Last::And;
        } else {
            return Ok(false);
        }
        self.pos += 1;
        Ok(true)
    }

    /// Whether the `a`/`an` at the current position stands for 1: `a dozen`, `a
    /// million`, `an hour`, but not the `a` of `a few` or of trailing words.
    fn article_counts(&self) -> bool {
        self.word(self.pos + 1).is_some_and(|n| {
            // `a magnitude-7.8 quake` is no count of magnitudes.
            let unit = word_unit(n).filter(|u| *u != "magnitude");
            n == "dozen" || n == "hundred" || scale_word(n).is_some() || unit.is_some()
        })
    }
}
