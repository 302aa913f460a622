//! Quantities as people write them: the grammar of `--value`, the interval it denotes,
//! units and their conversions. Owns [`parse_quantity`], [`Interval`] and [`Bound`].
//!
//! The grammar, in the order [`parse_quantity`] tries it (words are case-insensitive):
//!
//! - an optional leading `the`;
//! - a vague word from [`QuantityRules::vague`] (`dozens`, `tens of thousands`, ...),
//!   optionally followed by a unit (`several months`, `millions of dollars`);
//! - `between A and B`, `from A to B`, with `from over A` / `to under B` for open ends
//!   (the spelling [`interval_to_text`] uses for half-open intervals);
//! - an optional qualifier (`over`, `at least`, `up to`, `under`, `nearly`, `about`,
//!   `~`, `est.`, ...), then an amount, or a range `A-B` / `A to B` (only `about`-like
//!   qualifiers may precede a range: they widen both ends);
//! - an amount is an optional currency (`$`, `US$`, `€`, `£`, `₹`, `USD`, `Rs`, ...),
//!   a number (digits with `,` separators in threes or in the South Asian 2-2-3 style,
//!   a decimal, or number words up to `trillion`, `a dozen`, `an hour`), magnitudes
//!   (`billion`, `bn`, `m`, `k`, `lakh`, `crore`), then an optional unit (`%`,
//!   `percent`, `dollars`, `rupees`, `months`, ...);
//! - trailing words that are not numbers (`people`, `of civilians`) are ignored.
//!
//! All arithmetic is done on [`Decimal`] with checked operations: numbers stay exact
//! and no input can make the parser panic.

mod digits;
mod fraction;
mod number;
mod parser;
mod tokenize;

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::lexicon::known_unit;
pub use crate::lexicon::{is_magnitude, is_number_word};
pub use digits::{normalized_text, push_normalized, write_decimal};
use parser::Parser;
use tokenize::tokenize;

/// Two decimals compared by value, as `Decimal`'s `Ord` compares them (`1.0` equals
/// `1.00`): by their mantissas, the one of the coarser scale first brought to the finer
/// one in 128 bits, which holds any mantissa but the largest times the power of ten.
/// `Decimal`'s own comparison rescales in 96-bit words, and a report compares values
/// millions of times.
pub fn cmp_decimal(a: &Decimal, b: &Decimal) -> std::cmp::Ordering {
    const POW10: [i128; 29] = {
        let mut p = [1i128; 29];
        let mut i = 1;
        while i < 29 {
            p[i] = p[i - 1] * 10;
            i += 1;
        }
        p
    };
    let (sa, sb) = (a.scale(), b.scale());
    let (ma, mb) = (a.mantissa(), b.mantissa());
    let up = |m: i128, by: u32| POW10.get(by as usize).and_then(|&p| m.checked_mul(p));
    let common = match sa.cmp(&sb) {
        std::cmp::Ordering::Equal => Some((ma, mb)),
        std::cmp::Ordering::Less => up(ma, sb - sa).map(|x| (x, mb)),
        std::cmp::Ordering::Greater => up(mb, sa - sb).map(|y| (ma, y)),
    };
    match common {
        Some((x, y)) => x.cmp(&y),
        None => a.cmp(b),
    }
}

/// One end of an interval. `Unbounded` on the low side is minus infinity, on the high
/// side plus infinity.
// Equal by value as `Decimal`'s own `Eq` is, which its `Hash` agrees with.
#[allow(clippy::derived_hash_with_manual_eq)]
#[derive(Clone, Copy, Debug, Eq, Hash, Serialize, Deserialize)]
pub enum Bound {
    /// No limit on this side.
    Unbounded,
    /// A closed end: the value itself belongs to the interval.
    Incl(Decimal),
    /// An open end: the value itself does not belong to the interval.
    Excl(Decimal),
}

impl PartialEq for Bound {
    fn eq(&self, other: &Bound) -> bool {
        match (self, other) {
            (Bound::Unbounded, Bound::Unbounded) => true,
            (Bound::Incl(a), Bound::Incl(b)) | (Bound::Excl(a), Bound::Excl(b)) => {
                cmp_decimal(a, b).is_eq()
            }
            _ => false,
        }
    }
}

/// A set of numbers `low..high`, each end open, closed or unbounded.
///
/// In the log an interval is one string: `54` for a single number, else `(140,inf)`,
/// `[0,100)`, `[24,99]`, with `-inf`/`inf` for unbounded ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interval {
    /// The lower end.
    pub low: Bound,
    /// The upper end.
    pub high: Bound,
}

impl Interval {
    /// The single point `[x, x]`.
    pub fn exact(x: Decimal) -> Self {
        Interval {
            low: Bound::Incl(x),
            high: Bound::Incl(x),
        }
    }

    /// Whether some number lies in both intervals.
    pub fn overlaps(&self, other: &Interval) -> bool {
        !self.entirely_below(other) && !other.entirely_below(self)
    }

    /// Whether every number of `self` is lower than every number of `other`.
    pub fn entirely_below(&self, other: &Interval) -> bool {
        match (self.high, other.low) {
            (Bound::Unbounded, _) | (_, Bound::Unbounded) => false,
            (Bound::Incl(a), Bound::Incl(b)) => cmp_decimal(&a, &b).is_lt(),
            (Bound::Incl(a), Bound::Excl(b))
            | (Bound::Excl(a), Bound::Incl(b))
            | (Bound::Excl(a), Bound::Excl(b)) => cmp_decimal(&a, &b).is_le(),
        }
    }

    /// Whether no number lies in the interval (`[5, 5)`, or a low end above the high).
    pub fn is_empty(&self) -> bool {
        self.entirely_below(self)
    }

    /// Whether `x` lies in the interval.
    pub fn contains(&self, x: Decimal) -> bool {
        self.overlaps(&Interval::exact(x))
    }

    /// The finite value of the low end, if any.
    pub fn low_value(&self) -> Option<Decimal> {
        match self.low {
            Bound::Incl(v) | Bound::Excl(v) => Some(v),
            Bound::Unbounded => None,
        }
    }

    /// The finite value of the high end, if any.
    pub fn high_value(&self) -> Option<Decimal> {
        match self.high {
            Bound::Incl(v) | Bound::Excl(v) => Some(v),
            Bound::Unbounded => None,
        }
    }

    /// Both ends multiplied by a positive factor (a unit conversion). Saturates at
    /// [`Decimal::MAX`] rather than panicking on figures too large to represent.
    pub fn scale(&self, factor: Decimal) -> Interval {
        let s = |b: Bound| match b {
            Bound::Unbounded => Bound::Unbounded,
            Bound::Incl(v) => Bound::Incl(v.saturating_mul(factor)),
            Bound::Excl(v) => Bound::Excl(v.saturating_mul(factor)),
        };
        Interval {
            low: s(self.low),
            high: s(self.high),
        }
    }
}

impl fmt::Display for Interval {
    /// Mathematical notation: `[54, 54]` prints as `54`, `(140, ∞)`, `[0, 100)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Bound::Incl(a), Bound::Incl(b)) = (self.low, self.high) {
            if a == b {
                return write_decimal(f, a.normalize());
            }
        }
        match self.low {
            Bound::Unbounded => f.write_str("(-∞")?,
            Bound::Incl(v) => {
                f.write_str("[")?;
                write_decimal(f, v.normalize())?;
            }
            Bound::Excl(v) => {
                f.write_str("(")?;
                write_decimal(f, v.normalize())?;
            }
        }
        match self.high {
            Bound::Unbounded => f.write_str(", ∞)"),
            Bound::Incl(v) => {
                f.write_str(", ")?;
                write_decimal(f, v.normalize())?;
                f.write_str("]")
            }
            Bound::Excl(v) => {
                f.write_str(", ")?;
                write_decimal(f, v.normalize())?;
                f.write_str(")")
            }
        }
    }
}

impl Interval {
    /// The log's encoding (see the type's documentation).
    pub fn encode(&self) -> String {
        if let (Bound::Incl(a), Bound::Incl(b)) = (self.low, self.high) {
            if a == b {
                return a.to_string();
            }
        }
        let low = match self.low {
            Bound::Unbounded => "(-inf".to_string(),
            Bound::Incl(v) => format!("[{v}"),
            Bound::Excl(v) => format!("({v}"),
        };
        let high = match self.high {
            Bound::Unbounded => "inf)".to_string(),
            Bound::Incl(v) => format!("{v}]"),
            Bound::Excl(v) => format!("{v})"),
        };
        format!("{low},{high}")
    }

    /// Reads [`Interval::encode`]'s text.
    pub fn decode(text: &str) -> Result<Interval, String> {
        let bad = || format!("{text:?} is not an interval such as 54, (140,inf) or [0,100)");
        // A range opens with its bracket: not tried as a number first, whose failure
        // allocates its error (a log holds hundreds of thousands of ranges).
        if !text.starts_with(['(', '[']) {
            if let Ok(v) = text.parse::<Decimal>() {
                return Ok(Interval::exact(v));
            }
        }
        let (low, high) = text.split_once(',').ok_or_else(bad)?;
        let num = |t: &str| t.parse::<Decimal>().map_err(|_| bad());
        let low = match low.split_at_checked(1).ok_or_else(bad)? {
            ("(", "-inf") => Bound::Unbounded,
            ("[", v) => Bound::Incl(num(v)?),
            ("(", v) => Bound::Excl(num(v)?),
            _ => return Err(bad()),
        };
        let cut = high.len().checked_sub(1).ok_or_else(bad)?;
        let high = match high.split_at_checked(cut).ok_or_else(bad)? {
            ("inf", ")") => Bound::Unbounded,
            (v, "]") => Bound::Incl(num(v)?),
            (v, ")") => Bound::Excl(num(v)?),
            _ => return Err(bad()),
        };
        Ok(Interval { low, high })
    }
}

impl Serialize for Interval {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        Interval::decode(&text).map_err(serde::de::Error::custom)
    }
}

/// How loose approximate and vague words are; kept per ledger in `ledger/config.ron`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuantityRules {
    /// `about X`, `around X`, `approximately X`, `roughly X`, `some X`, `an estimated X`
    /// mean X plus or minus this fraction of X.
    pub approx_slack: Decimal,
    /// `nearly X`, `almost X` mean [X - slack*X, X).
    pub nearly_slack: Decimal,
    /// Vague words and the closed interval each stands for. A key of several words
    /// (`tens of thousands`) is matched word by word, case-insensitively, and the
    /// longest key that matches wins.
    pub vague: BTreeMap<String, (Decimal, Decimal)>,
}

impl Default for QuantityRules {
    /// The DESIGN defaults (`several` [3, 9], `a few` [2, 5], `dozens` [24, 99], `scores`
    /// [40, 199], `hundreds` [200, 999], `thousands` [2000, 9999]), and, on the same
    /// pattern (at least two of the unit, fewer than ten of the next), `tens` [20, 99],
    /// `tens of thousands` [20000, 99999], `hundreds of thousands` [200000, 999999],
    /// `millions` [2000000, 9999999], `tens of millions`, `hundreds of millions` and
    /// `billions`.
    fn default() -> Self {
        let d = |n: i64| Decimal::from(n);
        let vague = [
            ("several", (3, 9)),
            ("a few", (2, 5)),
            ("dozens", (24, 99)),
            ("scores", (40, 199)),
            ("hundreds", (200, 999)),
            ("thousands", (2000, 9999)),
            ("tens", (20, 99)),
            ("tens of thousands", (20_000, 99_999)),
            ("hundreds of thousands", (200_000, 999_999)),
            ("millions", (2_000_000, 9_999_999)),
            ("tens of millions", (20_000_000, 99_999_999)),
            ("hundreds of millions", (200_000_000, 999_999_999)),
            ("billions", (2_000_000_000, 9_999_999_999)),
        ]
        .into_iter()
        .map(|(k, (a, b))| (k.to_string(), (d(a), d(b))))
        .collect();
        QuantityRules {
            approx_slack: Decimal::new(1, 1),
            nearly_slack: Decimal::new(1, 1),
            vague,
        }
    }
}

/// What a quantity's text says: its interval, the unit the text itself names (a
/// currency, a unit of time, a percent sign), and the number it names, if one.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    /// Every number the text allows.
    pub interval: Interval,
    /// Normalized unit named by the text (`USD` for `$`, `year` for `years`), if any.
    pub unit: Option<String>,
    /// The number the text names (`140` in `over 140`); `None` for ranges and vague words.
    pub named: Option<Decimal>,
}

/// Why a text is not a quantity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not read {text:?} as a quantity: {reason}")]
pub struct QuantityError {
    /// The text as given.
    pub text: String,
    /// Which part could not be read, with an example of what is accepted.
    pub reason: String,
}

const EXAMPLES: &str = r#"write e.g. "over 140", "about $7 billion", "40-60""#;

/// Reads a quantity as a reporter writes it: see the module documentation for the
/// grammar. The interval's finite ends are normalized (`7.12 billion` is stored as
/// `7120000000`, not `7120000000.00`), so equal texts give identical values.
pub fn parse_quantity(text: &str, rules: &QuantityRules) -> Result<Quantity, QuantityError> {
    let fail = |reason: String| QuantityError {
        text: text.to_string(),
        reason,
    };
    let toks = tokenize(text).map_err(fail)?;
    let mut p = Parser {
        text,
        toks,
        pos: 0,
        rules,
    };
    p.parse().map_err(fail)
}

/// The canonical spelling of a unit: `$`/`dollars`/`usd` become `USD`, `years` `year`.
///
/// Currencies become ISO codes (`USD`, `EUR`, `GBP`, `PKR`, `INR`), percent becomes
/// `%`, units of time their singular lowercase name (`second` .. `century`). Any other
/// unit is trimmed, its inner spaces collapsed and lowercased (`People` -> `people`);
/// it stays plural unless dropping a plain trailing `s` gives a known unit.
pub fn normalize_unit(unit: &str) -> String {
    let lower = unit
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if let Some(u) = known_unit(&lower) {
        return u.to_string();
    }
    if let Some(u) = lower.strip_suffix('s').and_then(known_unit) {
        return u.to_string();
    }
    lower
}

/// The factor that turns an amount in unit `from` into unit `to`, if they convert.
/// `None` when they do not (two currencies, a count and a length...).
///
/// Units are normalized first ([`normalize_unit`]). Equal units (and two missing units)
/// convert with factor 1. Units of time convert through their length in seconds, with
/// the mean Gregorian month (30.436875 days) and year (365.2425 days), so that
/// year -> month is exactly 12 and decade -> year exactly 10. A missing unit and a
/// present one do not convert: a bare count is not assumed to be in anyone's unit.
pub fn conversion(from: Option<&str>, to: Option<&str>) -> Option<Decimal> {
    // The same text is the same unit: most claims of a figure share theirs.
    if from == to {
        return Some(Decimal::ONE);
    }
    match (from.map(normalize_unit), to.map(normalize_unit)) {
        (None, None) => Some(Decimal::ONE),
        (Some(a), Some(b)) if a == b => Some(Decimal::ONE),
        (Some(a), Some(b)) => {
            let (sa, sb) = (seconds_in(&a)?, seconds_in(&b)?);
            Decimal::from(sa).checked_div(Decimal::from(sb))
        }
        _ => None,
    }
}

/// Text that [`parse_quantity`] reads back as exactly `interval`.
///
/// Closed ranges print as `40-60`, half-open ones as `from 180 to under 200` or
/// `from over 40 to 60`, and one-sided ones as `over 140`, `at least 7`, `under 100`.
/// Intervals the parser never produces (a negative end, an unbounded low end, an empty
/// interval) fall back to the mathematical notation of [`Interval`]'s `Display`.
pub fn interval_to_text(interval: &Interval) -> String {
    let n = |d: Decimal| clean(d).to_string();
    let zero = Decimal::ZERO;
    let (low, high) = (interval.low, interval.high);
    let negative = [interval.low_value(), interval.high_value()]
        .into_iter()
        .flatten()
        .any(|v| v < zero);
    if negative {
        return interval.to_string();
    }
    match (low, high) {
        (Bound::Incl(a), Bound::Incl(b)) if a == b => n(a),
        (Bound::Incl(a), Bound::Incl(b)) if a < b => format!("{}-{}", n(a), n(b)),
        (Bound::Excl(a), Bound::Unbounded) => format!("over {}", n(a)),
        (Bound::Incl(a), Bound::Unbounded) => format!("at least {}", n(a)),
        (Bound::Incl(a), Bound::Excl(b)) if a == zero && b > zero => format!("under {}", n(b)),
        (Bound::Incl(a), Bound::Excl(b)) if a < b => format!("from {} to under {}", n(a), n(b)),
        (Bound::Excl(a), Bound::Incl(b)) if a < b => format!("from over {} to {}", n(a), n(b)),
        (Bound::Excl(a), Bound::Excl(b)) if a < b => {
            format!("from over {} to under {}", n(a), n(b))
        }
        _ => interval.to_string(),
    }
}

/// A value without trailing zeros and without a negative zero, so that equal numbers
/// serialize identically.
fn clean(d: Decimal) -> Decimal {
    let n = d.normalize();
    if n.is_zero() {
        Decimal::ZERO
    } else {
        n
    }
}

/// Length of a unit of time in seconds, using the mean Gregorian month and year.
fn seconds_in(unit: &str) -> Option<u64> {
    Some(match unit {
        "second" => 1,
        "minute" => 60,
        "hour" => 3_600,
        "day" => 86_400,
        "week" => 604_800,
        "month" => 2_629_746,
        "year" => 31_556_952,
        "decade" => 315_569_520,
        "century" => 3_155_695_200,
        _ => return None,
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod news_tests;
