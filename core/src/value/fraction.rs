//! Fractions: `half`, `one-fifth`, `two-thirds`, `a quarter`, alone (a share, read as a
//! percentage: `nearly half` is [45, 50) %) or of a magnitude (`half a million` is
//! 500000, `a quarter of a million` 250000).
//!
//! Values are exact where the fraction is (halves, quarters, fifths, eighths, tenths);
//! thirds, sixths, sevenths and ninths are rounded to the 28 significant digits a
//! [`Decimal`] holds.

use rust_decimal::Decimal;

use super::parser::{too_large, Amount, Parser};
use crate::lexicon::{fraction_word, scale_word, small_number};

impl Parser<'_> {
    /// A fraction at the current position, or `None` (the position unchanged).
    pub(super) fn fraction(&mut self) -> Result<Option<Amount>, String> {
        let start = self.pos;
        let numerator = match self.word(self.pos) {
            Some("a" | "an") => Some(1),
            Some(w) => small_number(w).filter(|n| *n > 0),
            None => None,
        };
        if numerator.is_some() {
            self.pos += 1;
        }
        let Some(denominator) = self.word(self.pos).and_then(fraction_word) else {
            self.pos = start;
            return Ok(None);
        };
        // `quarter` or `third` alone is no number (`the third quarter`); `half` is.
        if numerator.is_none() && denominator != 2 {
            self.pos = start;
            return Ok(None);
        }
        self.pos += 1;
        let n = Decimal::from(numerator.unwrap_or(1));
        let d = Decimal::from(denominator);
        if let Some(scale) = self.fraction_scale() {
            let value = n
                .checked_mul(scale)
                .and_then(|v| v.checked_div(d))
                .ok_or_else(too_large)?;
            let unit = self.unit_suffix();
            return Ok(Some(Amount {
                value,
                scale: Some(scale),
                unit,
            }));
        }
        let percent = n
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|v| v.checked_div(d))
            .ok_or_else(too_large)?;
        Ok(Some(Amount {
            value: percent,
            scale: None,
            unit: Some("%"),
        }))
    }

    /// `a million`, `of a million`, `of one billion` after a fraction: the magnitude.
    fn fraction_scale(&mut self) -> Option<Decimal> {
        let start = self.pos;
        if self.word(self.pos) == Some("of") {
            self.pos += 1;
        }
        if matches!(self.word(self.pos), Some("a" | "an" | "one")) {
            self.pos += 1;
        }
        let m = self.word(self.pos).and_then(scale_word);
        match m {
            Some(_) => self.pos += 1,
            None => self.pos = start,
        }
        m
    }
}
