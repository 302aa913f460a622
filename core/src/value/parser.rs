//! The value grammar's parser: qualifiers, ranges, vague words and amounts.

use rust_decimal::Decimal;

use super::tokenize::{Tok, Token};
use super::{clean, Bound, Interval, Quantity, QuantityRules, EXAMPLES};
use crate::lexicon::{is_number_word, known_unit, scale_word, word_unit, Qual, QUALIFIERS};

pub(super) struct Amount {
    pub(super) value: Decimal,
    /// The last magnitude applied (`1e6` in `60 million`), passed on to the low end of
    /// `$40-60 million`.
    pub(super) scale: Option<Decimal>,
    pub(super) unit: Option<&'static str>,
}

pub(super) struct Parser<'a> {
    pub(super) text: &'a str,
    pub(super) toks: Vec<Token>,
    pub(super) pos: usize,
    pub(super) rules: &'a QuantityRules,
}

/// `dozen`, `hundred` and the magnitudes: the words that multiply a vague count.
fn multiple(w: &str) -> Option<Decimal> {
    match w {
        "dozen" => Some(Decimal::from(12)),
        "hundred" => Some(Decimal::ONE_HUNDRED),
        _ => scale_word(w),
    }
}

pub(super) fn too_large() -> String {
    format!(
        "the number is too large: quantities are read up to {} (about 7.9e28)",
        Decimal::MAX
    )
}

impl Parser<'_> {
    pub(super) fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i).map(|t| &t.tok)
    }

    pub(super) fn word(&self, i: usize) -> Option<&str> {
        match self.tok(i) {
            Some(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    /// The text of token `i` as written, or a description of the end of the text.
    fn shown(&self, i: usize) -> String {
        self.toks
            .get(i)
            .and_then(|t| self.text.get(t.start..t.end))
            .map_or_else(|| "the end of the text".to_string(), |s| format!("{s:?}"))
    }

    fn eat_words(&mut self, phrase: &str) -> bool {
        let n = phrase.split(' ').count();
        let hit = phrase
            .split(' ')
            .enumerate()
            .all(|(k, w)| self.word(self.pos + k) == Some(w));
        if hit {
            self.pos += n;
        }
        hit
    }

    fn eat_any(&mut self, phrases: &[&str]) -> bool {
        phrases.iter().any(|p| self.eat_words(p))
    }

    pub(super) fn parse(&mut self) -> Result<Quantity, String> {
        if self.toks.is_empty() {
            return Err(format!("the text is empty; {EXAMPLES}"));
        }
        self.eat_words("the");
        if let Some(q) = self.vague()? {
            return Ok(q);
        }
        if let Some(q) = self.bare_plural_unit()? {
            return Ok(q);
        }
        if self.eat_words("between") {
            return self.between();
        }
        if self.eat_words("from") {
            return self.spelled_range();
        }
        let qual = self.qualifier();
        let Some(first) = self.amount()? else {
            return Err(self.no_amount(qual.as_ref().map(|q| q.1.as_str())));
        };
        let range_sep =
            matches!(self.tok(self.pos), Some(Tok::Dash)) || self.word(self.pos) == Some("to");
        if range_sep {
            return self.range_from(first, qual);
        }
        self.trailing()?;
        self.qualified(first, qual.map(|q| q.0))
    }

    /// The error for a text with no number where one was expected.
    fn no_amount(&self, qualifier: Option<&str>) -> String {
        let Some(name) = qualifier else {
            return format!(
                "{} is not a number or a known qualifier; {EXAMPLES}",
                self.shown(self.pos)
            );
        };
        let example = if name == "~" {
            "~140".to_string()
        } else {
            format!("{name} 140")
        };
        let found = match self.toks.get(self.pos) {
            Some(_) => format!(", not {}", self.shown(self.pos)),
            None => String::new(),
        };
        format!("expected a number after the qualifier {name:?}, as in {example:?}{found}")
    }

    /// `40-60`, `about 40 to 60`: the range after its first amount; only `about`-like
    /// qualifiers may precede it, and widen both ends.
    fn range_from(
        &mut self,
        first: Amount,
        qual: Option<(Qual, String)>,
    ) -> Result<Quantity, String> {
        if let Some((q, name)) = &qual {
            if *q != Qual::Approx {
                return Err(format!(
                    "the qualifier {name:?} applies to one number, not to a range; write \
                     e.g. \"{name} 40\" or \"between 40 and 60\""
                ));
            }
        }
        let sep = self.shown(self.pos);
        self.pos += 1;
        let second = self.expect_amount(&sep, "40 to 60")?;
        let (lo, hi, unit) = combine(first, second)?;
        let (lo, hi) = match qual {
            Some(_) => (
                self.minus_slack(lo, self.rules.approx_slack)?,
                plus_slack(hi, self.rules.approx_slack)?,
            ),
            None => (lo, hi),
        };
        self.trailing()?;
        let interval = Interval {
            low: Bound::Incl(clean(lo)),
            high: Bound::Incl(clean(hi)),
        };
        Ok(Quantity {
            interval: nonempty(interval)?,
            unit: unit.map(str::to_string),
            named: None,
        })
    }

    /// One amount under an optional qualifier: `over 140` is (140, inf) and so on.
    fn qualified(&self, first: Amount, qual: Option<Qual>) -> Result<Quantity, String> {
        let x = first.value;
        let zero = Decimal::ZERO;
        let (low, high) = match qual {
            None => (Bound::Incl(x), Bound::Incl(x)),
            Some(Qual::Over) => (Bound::Excl(x), Bound::Unbounded),
            Some(Qual::AtLeast) => (Bound::Incl(x), Bound::Unbounded),
            Some(Qual::AtMost) => (Bound::Incl(zero), Bound::Incl(x)),
            Some(Qual::Under) => (Bound::Incl(zero), Bound::Excl(x)),
            Some(Qual::Nearly) => (
                Bound::Incl(self.minus_slack(x, self.rules.nearly_slack)?),
                Bound::Excl(x),
            ),
            Some(Qual::Approx) => (
                Bound::Incl(self.minus_slack(x, self.rules.approx_slack)?),
                Bound::Incl(plus_slack(x, self.rules.approx_slack)?),
            ),
        };
        let c = |b: Bound| match b {
            Bound::Incl(v) => Bound::Incl(clean(v)),
            Bound::Excl(v) => Bound::Excl(clean(v)),
            Bound::Unbounded => Bound::Unbounded,
        };
        let interval = nonempty(Interval {
            low: c(low),
            high: c(high),
        })?;
        Ok(Quantity {
            interval,
            unit: first.unit.map(str::to_string),
            named: Some(clean(x)),
        })
    }

    /// `x - slack*x`, never below zero: a slack above 1 must not invent negative counts.
    fn minus_slack(&self, x: Decimal, slack: Decimal) -> Result<Decimal, String> {
        let d = x.checked_mul(slack).ok_or_else(too_large)?;
        Ok(x.checked_sub(d).ok_or_else(too_large)?.max(Decimal::ZERO))
    }

    /// `for decades`, `weeks of rain`: a plural unit of time with no number is at least
    /// two of it, [2, inf).
    fn bare_plural_unit(&mut self) -> Result<Option<Quantity>, String> {
        let unit = self.word(self.pos).and_then(|w| {
            let plural = w.ends_with('s') && !w.ends_with("'s") && !w.ends_with("’s");
            word_unit(w).filter(|u| plural && crate::lexicon::time_unit(w) && *u != "second")
        });
        let Some(unit) = unit else { return Ok(None) };
        self.pos += 1;
        self.trailing()?;
        Ok(Some(Quantity {
            interval: Interval {
                low: Bound::Incl(Decimal::TWO),
                high: Bound::Unbounded,
            },
            unit: Some(unit.to_string()),
            named: None,
        }))
    }

    fn vague(&mut self) -> Result<Option<Quantity>, String> {
        let mut best: Option<(usize, Decimal, Decimal)> = None;
        for (key, &(lo, hi)) in &self.rules.vague {
            let words: Vec<String> = key.split_whitespace().map(str::to_lowercase).collect();
            let hit = !words.is_empty()
                && words
                    .iter()
                    .enumerate()
                    .all(|(k, w)| self.word(self.pos + k) == Some(w.as_str()));
            if hit && best.is_none_or(|b| words.len() > b.0) {
                best = Some((words.len(), lo, hi));
            }
        }
        let Some((n, lo, hi)) = best else {
            return Ok(None);
        };
        self.pos += n;
        // `several dozen`, `a few hundred thousand`: the vague count of a multiple.
        let (mut lo, mut hi) = (lo, hi);
        while let Some(m) = self.word(self.pos).and_then(multiple) {
            lo = lo.checked_mul(m).ok_or_else(too_large)?;
            hi = hi.checked_mul(m).ok_or_else(too_large)?;
            self.pos += 1;
        }
        let of = self.word(self.pos) == Some("of");
        if of {
            self.pos += 1;
        }
        let unit = self.unit_suffix();
        if of && unit.is_none() {
            self.pos -= 1;
        }
        self.trailing()?;
        let interval = nonempty(Interval {
            low: Bound::Incl(clean(lo)),
            high: Bound::Incl(clean(hi)),
        })?;
        Ok(Some(Quantity {
            interval,
            unit: unit.map(str::to_string),
            named: None,
        }))
    }

    fn qualifier(&mut self) -> Option<(Qual, String)> {
        if matches!(self.tok(self.pos), Some(Tok::Tilde)) {
            self.pos += 1;
            return Some((Qual::Approx, "~".to_string()));
        }
        QUALIFIERS
            .iter()
            .find(|(phrase, _)| self.eat_words(phrase))
            .map(|&(phrase, q)| (q, phrase.to_string()))
    }

    fn between(&mut self) -> Result<Quantity, String> {
        let low = self.expect_amount("\"between\"", "between 40 and 60")?;
        if !(self.eat_words("and") || self.eat_dash()) {
            return Err(format!(
                "expected \"and\" after the low end, as in \"between 40 and 60\", not {}",
                self.shown(self.pos)
            ));
        }
        let high = self.expect_amount("\"and\"", "between 40 and 60")?;
        let (lo, hi, unit) = combine(low, high)?;
        self.trailing()?;
        let interval = Interval {
            low: Bound::Incl(clean(lo)),
            high: Bound::Incl(clean(hi)),
        };
        Ok(Quantity {
            interval: nonempty(interval)?,
            unit: unit.map(str::to_string),
            named: None,
        })
    }

    fn spelled_range(&mut self) -> Result<Quantity, String> {
        let low_open = self.eat_any(&["over", "more than", "above"]);
        let low = self.expect_amount("\"from\"", "from 40 to 60")?;
        if !(self.eat_words("to") || self.eat_dash()) {
            return Err(format!(
                "expected \"to\" after the low end, as in \"from 40 to 60\", not {}",
                self.shown(self.pos)
            ));
        }
        let high_open = self.eat_any(&["under", "less than", "fewer than", "below"]);
        let high = self.expect_amount("\"to\"", "from 40 to 60")?;
        let (lo, hi, unit) = combine(low, high)?;
        self.trailing()?;
        let (lo, hi) = (clean(lo), clean(hi));
        let interval = Interval {
            low: if low_open {
                Bound::Excl(lo)
            } else {
                Bound::Incl(lo)
            },
            high: if high_open {
                Bound::Excl(hi)
            } else {
                Bound::Incl(hi)
            },
        };
        Ok(Quantity {
            interval: nonempty(interval)?,
            unit: unit.map(str::to_string),
            named: None,
        })
    }

    fn eat_dash(&mut self) -> bool {
        let dash = matches!(self.tok(self.pos), Some(Tok::Dash));
        if dash {
            self.pos += 1;
        }
        dash
    }

    fn expect_amount(&mut self, after: &str, example: &str) -> Result<Amount, String> {
        match self.amount()? {
            Some(a) => Ok(a),
            None => Err(format!(
                "expected a number after {after}, as in {example:?}, not {}",
                self.shown(self.pos)
            )),
        }
    }

    fn amount(&mut self) -> Result<Option<Amount>, String> {
        if let Some(f) = self.fraction()? {
            return Ok(Some(f));
        }
        let prefix = self.currency_prefix();
        let Some((value, scale)) = self.number()? else {
            if prefix.is_some() {
                return Err(format!(
                    "expected a number after {}, as in \"$7 billion\"",
                    self.shown(self.pos.saturating_sub(1))
                ));
            }
            return Ok(None);
        };
        let suffix = self.unit_suffix();
        let unit = match (prefix, suffix) {
            (Some(a), Some(b)) if a != b => {
                return Err(format!("the number is given in two units, {a} and {b}"));
            }
            (a, b) => a.or(b),
        };
        Ok(Some(Amount { value, scale, unit }))
    }

    fn currency_prefix(&mut self) -> Option<&'static str> {
        match self.tok(self.pos)? {
            Tok::Currency(c) => {
                let c = *c;
                self.pos += 1;
                Some(c)
            }
            // `magnitude 7.8`, `magnitude-7.8`: the scale of an earthquake before its number.
            Tok::Word(w) if w == "magnitude" => {
                let dash = usize::from(matches!(self.tok(self.pos + 1), Some(Tok::Dash)));
                let number_next = matches!(self.tok(self.pos + 1 + dash), Some(Tok::Num(_)));
                if number_next {
                    self.pos += 1 + dash;
                    Some("magnitude")
                } else {
                    None
                }
            }
            Tok::Word(w) if matches!(w.as_str(), "usd" | "eur" | "gbp" | "pkr" | "inr" | "rs") => {
                let unit = known_unit(w)?;
                let number_next = match self.tok(self.pos + 1) {
                    Some(Tok::Num(_)) => true,
                    Some(Tok::Word(n)) => is_number_word(n) || n == "a",
                    _ => false,
                };
                if number_next {
                    self.pos += 1;
                    Some(unit)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    pub(super) fn unit_suffix(&mut self) -> Option<&'static str> {
        let unit_at = |p: &Self, i: usize| match p.tok(i) {
            Some(Tok::Word(w) | Tok::Suffix(w)) => word_unit(w),
            _ => None,
        };
        match self.tok(self.pos)? {
            Tok::Percent => {
                self.pos += 1;
                Some("%")
            }
            Tok::Dash => {
                // `8-month`: a hyphen joining a number to its unit.
                let u = unit_at(self, self.pos + 1)?;
                self.pos += 2;
                Some(u)
            }
            _ => {
                if self.eat_words("per cent") || self.eat_words("us dollars") {
                    let w = self.word(self.pos - 2).unwrap_or_default();
                    return Some(if w == "per" { "%" } else { "USD" });
                }
                let u = unit_at(self, self.pos)?;
                self.pos += 1;
                Some(u)
            }
        }
    }

    fn trailing(&mut self) -> Result<(), String> {
        while let Some(tok) = self.tok(self.pos) {
            match tok {
                Tok::Word(w) if !is_number_word(w) => self.pos += 1,
                _ => {
                    return Err(format!(
                        "unexpected {} after the quantity; {EXAMPLES}",
                        self.shown(self.pos)
                    ))
                }
            }
        }
        Ok(())
    }
}

fn plus_slack(x: Decimal, slack: Decimal) -> Result<Decimal, String> {
    x.checked_mul(slack)
        .and_then(|d| x.checked_add(d))
        .ok_or_else(too_large)
}

/// The two ends of a range, sharing a unit and the high end's magnitude: in
/// `$40-60 million` the low end is 40 million dollars. The magnitude is only passed on
/// when the low end would not then exceed the high end (`500 to 1 million` stays 500).
fn combine(low: Amount, high: Amount) -> Result<(Decimal, Decimal, Option<&'static str>), String> {
    let unit = match (low.unit, high.unit) {
        (Some(a), Some(b)) if a != b => {
            return Err(format!(
                "the two ends of the range have different units, {a} and {b}"
            ));
        }
        (a, b) => a.or(b),
    };
    let mut lo = low.value;
    if let (None, Some(m)) = (low.scale, high.scale) {
        if let Some(scaled) = lo.checked_mul(m).filter(|s| *s <= high.value) {
            lo = scaled;
        }
    }
    if lo > high.value {
        return Err(format!(
            "the range runs from {} down to {}; write the low end first, as in \"40-60\"",
            clean(lo),
            clean(high.value)
        ));
    }
    Ok((lo, high.value, unit))
}

fn nonempty(i: Interval) -> Result<Interval, String> {
    if let (Some(a), Some(b)) = (i.low_value(), i.high_value()) {
        let closed = matches!((i.low, i.high), (Bound::Incl(_), Bound::Incl(_)));
        if a > b || (a == b && !closed) {
            return Err(format!("no number lies in {i}; {EXAMPLES}"));
        }
    }
    Ok(i)
}
