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

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One end of an interval. `Unbounded` on the low side is minus infinity, on the high
/// side plus infinity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Bound {
    /// No limit on this side.
    Unbounded,
    /// A closed end: the value itself belongs to the interval.
    Incl(Decimal),
    /// An open end: the value itself does not belong to the interval.
    Excl(Decimal),
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
            (Bound::Incl(a), Bound::Incl(b)) => a < b,
            (Bound::Incl(a), Bound::Excl(b))
            | (Bound::Excl(a), Bound::Incl(b))
            | (Bound::Excl(a), Bound::Excl(b)) => a <= b,
        }
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
                return write!(f, "{}", a.normalize());
            }
        }
        match self.low {
            Bound::Unbounded => write!(f, "(-∞")?,
            Bound::Incl(v) => write!(f, "[{}", v.normalize())?,
            Bound::Excl(v) => write!(f, "({}", v.normalize())?,
        }
        match self.high {
            Bound::Unbounded => write!(f, ", ∞)"),
            Bound::Incl(v) => write!(f, ", {}]", v.normalize()),
            Bound::Excl(v) => write!(f, ", {})", v.normalize()),
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
        if let Ok(v) = text.parse::<Decimal>() {
            return Ok(Interval::exact(v));
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

/// Canonical spelling of a unit word or symbol the grammar or `--unit` may use.
fn known_unit(w: &str) -> Option<&'static str> {
    Some(match w {
        "$" | "us$" | "usd" | "dollar" | "dollars" | "us dollar" | "us dollars" => "USD",
        "€" | "eur" | "euro" | "euros" => "EUR",
        "£" | "gbp" => "GBP",
        "rs" | "rs." | "pkr" | "rupee" | "rupees" => "PKR",
        "₹" | "inr" => "INR",
        "%" | "percent" | "per cent" | "pct" => "%",
        "second" | "seconds" | "sec" | "secs" => "second",
        "minute" | "minutes" | "min" | "mins" => "minute",
        "hour" | "hours" | "hr" | "hrs" => "hour",
        "day" | "days" => "day",
        "week" | "weeks" | "wk" | "wks" => "week",
        "month" | "months" | "mo" | "mos" => "month",
        "year" | "years" | "yr" | "yrs" => "year",
        "decade" | "decades" => "decade",
        "century" | "centuries" => "century",
        _ => return None,
    })
}

/// The unit a word of the text names, possessive or not (`a month’s amnesty`).
fn word_unit(w: &str) -> Option<&'static str> {
    let bare = w
        .strip_suffix("'s")
        .or_else(|| w.strip_suffix("’s"))
        .unwrap_or(w);
    known_unit(bare)
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

fn small_number(w: &str) -> Option<u32> {
    const WORDS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    WORDS
        .iter()
        .position(|&x| x == w)
        .and_then(|i| u32::try_from(i).ok())
}

fn tens_number(w: &str) -> Option<u32> {
    Some(match w {
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// Magnitude words written apart from the number (`7 billion`, `5 crore`).
/// Whether `w` (lowercase) is a magnitude word: `thousand`, `million`, `lakh`, `crore`...
pub fn is_magnitude(w: &str) -> bool {
    scale_word(w).is_some()
}

fn scale_word(w: &str) -> Option<Decimal> {
    let exp = match w {
        "thousand" => 3,
        "lakh" | "lakhs" | "lac" => 5,
        "million" | "mn" => 6,
        "crore" | "crores" => 7,
        "billion" | "bn" => 9,
        "trillion" | "tn" => 12,
        _ => return None,
    };
    Some(Decimal::from(10u64.pow(exp)))
}

/// Magnitudes glued to the digits (`650k`, `1.2m`, `7bn`): the separate words plus
/// the one-letter abbreviations, which are too ambiguous to accept on their own.
fn suffix_scale(s: &str) -> Option<Decimal> {
    let exp = match s {
        "k" => 3,
        "m" | "mln" => 6,
        "cr" => 7,
        "b" => 9,
        "t" | "trn" => 12,
        _ => return scale_word(s),
    };
    Some(Decimal::from(10u64.pow(exp)))
}

/// Whether `w` (lowercase) is a word the grammar reads as part of a number: `seven`,
/// `twenty`, `hundred`, `dozen`, or a magnitude such as `million` or `crore`. For finding
/// numbers in prose (`extract`) with the same word lists as reading them.
pub fn is_number_word(w: &str) -> bool {
    small_number(w).is_some()
        || tens_number(w).is_some()
        || scale_word(w).is_some()
        || w == "hundred"
        || w == "dozen"
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
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
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Qual {
    Over,
    AtLeast,
    AtMost,
    Under,
    Nearly,
    Approx,
}

const QUALIFIERS: &[(&str, Qual)] = &[
    ("in excess of", Qual::Over),
    ("more than", Qual::Over),
    ("over", Qual::Over),
    ("above", Qual::Over),
    ("no fewer than", Qual::AtLeast),
    ("no less than", Qual::AtLeast),
    ("at least", Qual::AtLeast),
    ("no more than", Qual::AtMost),
    ("at most", Qual::AtMost),
    ("up to", Qual::AtMost),
    ("fewer than", Qual::Under),
    ("less than", Qual::Under),
    ("under", Qual::Under),
    ("below", Qual::Under),
    ("close to", Qual::Nearly),
    ("nearly", Qual::Nearly),
    ("almost", Qual::Nearly),
    ("an estimated", Qual::Approx),
    ("estimated", Qual::Approx),
    ("approximately", Qual::Approx),
    ("approx", Qual::Approx),
    ("about", Qual::Approx),
    ("around", Qual::Approx),
    ("roughly", Qual::Approx),
    ("some", Qual::Approx),
    ("circa", Qual::Approx),
    ("ca", Qual::Approx),
    ("est", Qual::Approx),
];

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

struct Amount {
    value: Decimal,
    /// The last magnitude applied (`1e6` in `60 million`), passed on to the low end of
    /// `$40-60 million`.
    scale: Option<Decimal>,
    unit: Option<&'static str>,
}

struct Parser<'a> {
    text: &'a str,
    toks: Vec<Token>,
    pos: usize,
    rules: &'a QuantityRules,
}

fn too_large() -> String {
    "the number is too large".to_string()
}

impl Parser<'_> {
    fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i).map(|t| &t.tok)
    }

    fn word(&self, i: usize) -> Option<&str> {
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

    fn parse(&mut self) -> Result<Quantity, String> {
        if self.toks.is_empty() {
            return Err(format!("the text is empty; {EXAMPLES}"));
        }
        self.eat_words("the");
        if let Some(q) = self.vague()? {
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
            return Err(match qual {
                Some((_, name)) => {
                    let example = if name == "~" {
                        "~140".to_string()
                    } else {
                        format!("{name} 140")
                    };
                    let found = match self.toks.get(self.pos) {
                        Some(_) => format!(", not {}", self.shown(self.pos)),
                        None => String::new(),
                    };
                    format!(
                        "expected a number after the qualifier {name:?}, as in {example:?}{found}"
                    )
                }
                None => format!(
                    "{} is not a number or a known qualifier; {EXAMPLES}",
                    self.shown(self.pos)
                ),
            });
        };
        let range_sep =
            matches!(self.tok(self.pos), Some(Tok::Dash)) || self.word(self.pos) == Some("to");
        if range_sep {
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
            return Ok(Quantity {
                interval: nonempty(interval)?,
                unit: unit.map(str::to_string),
                named: None,
            });
        }
        self.trailing()?;
        let x = first.value;
        let zero = Decimal::ZERO;
        let (low, high) = match qual.map(|q| q.0) {
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

    fn unit_suffix(&mut self) -> Option<&'static str> {
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

    /// Digits or number words, with magnitudes: returns the value and the last magnitude.
    fn number(&mut self) -> Result<Option<(Decimal, Option<Decimal>)>, String> {
        let mut total = Decimal::ZERO;
        let mut current: Option<Decimal> = None;
        let mut largest: Option<Decimal> = None;
        let mut last_scale = None;
        let mut last = Last::Nothing;
        let add = |current: &mut Option<Decimal>, v: u32| -> Result<(), String> {
            let c = current.unwrap_or(Decimal::ZERO);
            *current = Some(c.checked_add(Decimal::from(v)).ok_or_else(too_large)?);
            Ok(())
        };
        while let Some(tok) = self.tok(self.pos).cloned() {
            match tok {
                Tok::Num(v) if last == Last::Nothing => {
                    current = Some(v);
                    last = Last::Digits;
                    let num_start = self.toks.get(self.pos).map_or(0, |t| t.start);
                    self.pos += 1;
                    if let Some(Token {
                        tok: Tok::Suffix(s),
                        end,
                        start,
                    }) = self.toks.get(self.pos).cloned()
                    {
                        if let Some(m) = suffix_scale(&s) {
                            apply_scale(&mut total, &mut current, &mut largest, m)?;
                            last_scale = Some(m);
                            last = Last::Scale;
                            self.pos += 1;
                        } else if known_unit(&s).is_none() {
                            let whole = self.text.get(num_start..end).unwrap_or_default();
                            let suffix = self.text.get(start..end).unwrap_or_default();
                            return Err(format!(
                                "{whole:?}: {suffix:?} is not a known magnitude; write e.g. \
                                 \"7bn\", \"650k\", \"1.2 million\""
                            ));
                        }
                    }
                }
                Tok::Word(w) => {
                    let w = w.as_str();
                    let after_joint = matches!(
                        last,
                        Last::Nothing | Last::Hundred | Last::Scale | Last::And
                    );
                    if (w == "a" || w == "an") && last == Last::Nothing && self.article_counts() {
                        current = Some(Decimal::ONE);
                        last = Last::Article;
                    } else if let Some(v) = small_number(w) {
                        let after_tens = last == Last::Tens && (1..=9).contains(&v);
                        if !(after_joint || after_tens) {
                            break;
                        }
                        add(&mut current, v)?;
                        last = Last::Small;
                    } else if let Some(v) = tens_number(w) {
                        if !after_joint {
                            break;
                        }
                        add(&mut current, v)?;
                        last = Last::Tens;
                    } else if w == "hundred" || w == "dozen" {
                        let ok = matches!(
                            last,
                            Last::Nothing | Last::Article | Last::Digits | Last::Small | Last::Tens
                        );
                        if !ok {
                            break;
                        }
                        let m = Decimal::from(if w == "hundred" { 100 } else { 12 });
                        let c = current.unwrap_or(Decimal::ONE);
                        current = Some(c.checked_mul(m).ok_or_else(too_large)?);
                        last = if w == "hundred" {
                            Last::Hundred
                        } else {
                            Last::Dozen
                        };
                    } else if let Some(m) = scale_word(w) {
                        // `7 trillion trillion` is no number; `7.5 thousand million` is.
                        let repeated = last == Last::Scale && largest.is_some_and(|l| m <= l);
                        if last == Last::And || repeated {
                            break;
                        }
                        apply_scale(&mut total, &mut current, &mut largest, m)?;
                        last_scale = Some(m);
                        last = Last::Scale;
                    } else if w == "and" && matches!(last, Last::Hundred | Last::Scale) {
                        let next_is_number = self
                            .word(self.pos + 1)
                            .is_some_and(|n| small_number(n).is_some() || tens_number(n).is_some());
                        if !next_is_number {
                            break;
                        }
                        last = Last::And;
                    } else {
                        break;
                    }
                    self.pos += 1;
                }
                _ => break,
            }
        }
        if last == Last::Nothing {
            return Ok(None);
        }
        let value = total
            .checked_add(current.unwrap_or(Decimal::ZERO))
            .ok_or_else(too_large)?;
        Ok(Some((value, last_scale)))
    }

    /// Whether the `a`/`an` at the current position stands for 1: `a dozen`, `a
    /// million`, `an hour`, but not the `a` of `a few` or of trailing words.
    fn article_counts(&self) -> bool {
        self.word(self.pos + 1).is_some_and(|n| {
            n == "dozen" || n == "hundred" || scale_word(n).is_some() || word_unit(n).is_some()
        })
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

/// Applies a magnitude word to the number read so far: `one million two hundred
/// thousand` adds, `7.5 thousand million` multiplies.
fn apply_scale(
    total: &mut Decimal,
    current: &mut Option<Decimal>,
    largest: &mut Option<Decimal>,
    m: Decimal,
) -> Result<(), String> {
    let c = current.take().unwrap_or(Decimal::ONE);
    if largest.is_none_or(|l| m > l) {
        *total = total
            .checked_add(c)
            .and_then(|t| t.checked_mul(m))
            .ok_or_else(too_large)?;
        *largest = Some(m);
    } else {
        *total = c
            .checked_mul(m)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(too_large)?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("test decimal")
    }

    fn q(text: &str) -> Quantity {
        parse_quantity(text, &QuantityRules::default()).unwrap_or_else(|e| panic!("{e}"))
    }

    fn err(text: &str) -> String {
        match parse_quantity(text, &QuantityRules::default()) {
            Ok(v) => panic!("{text:?} parsed as {v:?}"),
            Err(e) => e.to_string(),
        }
    }

    fn iv(low: Bound, high: Bound) -> Interval {
        Interval { low, high }
    }

    fn incl(s: &str) -> Bound {
        Bound::Incl(d(s))
    }

    fn excl(s: &str) -> Bound {
        Bound::Excl(d(s))
    }

    use Bound::Unbounded as INF;

    /// (text, interval, unit, named)
    fn table() -> Vec<(
        &'static str,
        Interval,
        Option<&'static str>,
        Option<&'static str>,
    )> {
        let ex = |s: &str| Interval::exact(d(s));
        vec![
            // DESIGN table: exact
            ("54", ex("54"), None, Some("54")),
            ("1,600", ex("1600"), None, Some("1600")),
            ("1600", ex("1600"), None, Some("1600")),
            ("seven", ex("7"), None, Some("7")),
            ("a dozen", ex("12"), None, Some("12")),
            ("7.12", ex("7.12"), None, Some("7.12")),
            ("12,50,000", ex("1250000"), None, Some("1250000")),
            ("1,250,000", ex("1250000"), None, Some("1250000")),
            ("twenty-three", ex("23"), None, Some("23")),
            ("a hundred", ex("100"), None, Some("100")),
            ("three hundred", ex("300"), None, Some("300")),
            ("two thousand", ex("2000"), None, Some("2000")),
            ("three hundred and fifty", ex("350"), None, Some("350")),
            (
                "one million two hundred thousand",
                ex("1200000"),
                None,
                Some("1200000"),
            ),
            ("nineteen", ex("19"), None, Some("19")),
            ("ninety nine", ex("99"), None, Some("99")),
            ("two dozen", ex("24"), None, Some("24")),
            ("thousand", ex("1000"), None, Some("1000")),
            ("a month", ex("1"), Some("month"), Some("1")),
            ("an hour", ex("1"), Some("hour"), Some("1")),
            // magnitudes and currencies
            (
                "$7 billion",
                ex("7000000000"),
                Some("USD"),
                Some("7000000000"),
            ),
            ("7bn", ex("7000000000"), None, Some("7000000000")),
            ("7 bn", ex("7000000000"), None, Some("7000000000")),
            ("1.2 million", ex("1200000"), None, Some("1200000")),
            ("1.2m", ex("1200000"), None, Some("1200000")),
            ("650k", ex("650000"), None, Some("650000")),
            ("650K", ex("650000"), None, Some("650000")),
            ("7.12 billion", ex("7120000000"), None, Some("7120000000")),
            (
                "2 trillion",
                ex("2000000000000"),
                None,
                Some("2000000000000"),
            ),
            ("Rs 5 crore", ex("50000000"), Some("PKR"), Some("50000000")),
            ("Rs. 5 crore", ex("50000000"), Some("PKR"), Some("50000000")),
            ("3 lakh", ex("300000"), None, Some("300000")),
            (
                "5 crore rupees",
                ex("50000000"),
                Some("PKR"),
                Some("50000000"),
            ),
            ("PKR 200", ex("200"), Some("PKR"), Some("200")),
            ("US$7bn", ex("7000000000"), Some("USD"), Some("7000000000")),
            (
                "USD 7 billion",
                ex("7000000000"),
                Some("USD"),
                Some("7000000000"),
            ),
            (
                "7 billion dollars",
                ex("7000000000"),
                Some("USD"),
                Some("7000000000"),
            ),
            ("€5m", ex("5000000"), Some("EUR"), Some("5000000")),
            ("50 euros", ex("50"), Some("EUR"), Some("50")),
            ("£3 million", ex("3000000"), Some("GBP"), Some("3000000")),
            ("GBP 3", ex("3"), Some("GBP"), Some("3")),
            ("40%", ex("40"), Some("%"), Some("40")),
            ("40 percent", ex("40"), Some("%"), Some("40")),
            ("40 per cent", ex("40"), Some("%"), Some("40")),
            // units of time
            ("eight months", ex("8"), Some("month"), Some("8")),
            ("two decades", ex("2"), Some("decade"), Some("2")),
            ("3 weeks", ex("3"), Some("week"), Some("3")),
            ("10 days", ex("10"), Some("day"), Some("10")),
            ("one-month", ex("1"), Some("month"), Some("1")),
            ("three-day visit", ex("3"), Some("day"), Some("3")),
            ("8-month", ex("8"), Some("month"), Some("8")),
            ("45 minutes", ex("45"), Some("minute"), Some("45")),
            (
                "nearly three years",
                iv(incl("2.7"), excl("3")),
                Some("year"),
                Some("3"),
            ),
            // qualifiers
            ("over 140", iv(excl("140"), INF), None, Some("140")),
            ("more than 140", iv(excl("140"), INF), None, Some("140")),
            ("above 140", iv(excl("140"), INF), None, Some("140")),
            ("in excess of 140", iv(excl("140"), INF), None, Some("140")),
            ("Over 140", iv(excl("140"), INF), None, Some("140")),
            ("MORE THAN 140", iv(excl("140"), INF), None, Some("140")),
            ("at least 7", iv(incl("7"), INF), None, Some("7")),
            ("no fewer than 7", iv(incl("7"), INF), None, Some("7")),
            ("no less than 7", iv(incl("7"), INF), None, Some("7")),
            ("at most 50", iv(incl("0"), incl("50")), None, Some("50")),
            ("up to 50", iv(incl("0"), incl("50")), None, Some("50")),
            (
                "no more than 50",
                iv(incl("0"), incl("50")),
                None,
                Some("50"),
            ),
            ("under 100", iv(incl("0"), excl("100")), None, Some("100")),
            ("below 100", iv(incl("0"), excl("100")), None, Some("100")),
            (
                "fewer than 100",
                iv(incl("0"), excl("100")),
                None,
                Some("100"),
            ),
            (
                "less than 100",
                iv(incl("0"), excl("100")),
                None,
                Some("100"),
            ),
            (
                "nearly 200",
                iv(incl("180"), excl("200")),
                None,
                Some("200"),
            ),
            (
                "almost 200",
                iv(incl("180"), excl("200")),
                None,
                Some("200"),
            ),
            (
                "close to 200",
                iv(incl("180"), excl("200")),
                None,
                Some("200"),
            ),
            ("about 140", iv(incl("126"), incl("154")), None, Some("140")),
            (
                "around 140",
                iv(incl("126"), incl("154")),
                None,
                Some("140"),
            ),
            (
                "approximately 140",
                iv(incl("126"), incl("154")),
                None,
                Some("140"),
            ),
            (
                "roughly 140",
                iv(incl("126"), incl("154")),
                None,
                Some("140"),
            ),
            ("some 140", iv(incl("126"), incl("154")), None, Some("140")),
            (
                "an estimated 140",
                iv(incl("126"), incl("154")),
                None,
                Some("140"),
            ),
            (
                "estimated 140",
                iv(incl("126"), incl("154")),
                None,
                Some("140"),
            ),
            (
                "approx. 140",
                iv(incl("126"), incl("154")),
                None,
                Some("140"),
            ),
            ("~140", iv(incl("126"), incl("154")), None, Some("140")),
            ("~ 140", iv(incl("126"), incl("154")), None, Some("140")),
            ("est. 140", iv(incl("126"), incl("154")), None, Some("140")),
            ("circa 140", iv(incl("126"), incl("154")), None, Some("140")),
            ("About 140", iv(incl("126"), incl("154")), None, Some("140")),
            (
                "an estimated $7 billion",
                iv(incl("6300000000"), incl("7700000000")),
                Some("USD"),
                Some("7000000000"),
            ),
            (
                "at least $7bn",
                iv(incl("7000000000"), INF),
                Some("USD"),
                Some("7000000000"),
            ),
            (
                "more than 7.12 billion",
                iv(excl("7120000000"), INF),
                None,
                Some("7120000000"),
            ),
            (
                "about a dozen",
                iv(incl("10.8"), incl("13.2")),
                None,
                Some("12"),
            ),
            ("over a dozen", iv(excl("12"), INF), None, Some("12")),
            ("at most 0", ex("0"), None, Some("0")),
            ("about 0", ex("0"), None, Some("0")),
            (
                "approximately $7 billion",
                iv(incl("6300000000"), incl("7700000000")),
                Some("USD"),
                Some("7000000000"),
            ),
            // ranges
            ("40-60", iv(incl("40"), incl("60")), None, None),
            ("40–60", iv(incl("40"), incl("60")), None, None),
            ("40 - 60", iv(incl("40"), incl("60")), None, None),
            ("40 to 60", iv(incl("40"), incl("60")), None, None),
            ("between 40 and 60", iv(incl("40"), incl("60")), None, None),
            ("from 40 to 60", iv(incl("40"), incl("60")), None, None),
            ("forty to sixty", iv(incl("40"), incl("60")), None, None),
            (
                "$40-60 million",
                iv(incl("40000000"), incl("60000000")),
                Some("USD"),
                None,
            ),
            ("40-60%", iv(incl("40"), incl("60")), Some("%"), None),
            (
                "7 to 8 months",
                iv(incl("7"), incl("8")),
                Some("month"),
                None,
            ),
            (
                "500 to 1 million",
                iv(incl("500"), incl("1000000")),
                None,
                None,
            ),
            (
                "some 40 to 60 people",
                iv(incl("36"), incl("66")),
                None,
                None,
            ),
            (
                "from 180 to under 200",
                iv(incl("180"), excl("200")),
                None,
                None,
            ),
            ("from over 40 to 60", iv(excl("40"), incl("60")), None, None),
            (
                "from over 40 to under 60",
                iv(excl("40"), excl("60")),
                None,
                None,
            ),
            ("40-40", ex("40"), None, None),
            // vague
            ("dozens", iv(incl("24"), incl("99")), None, None),
            ("scores", iv(incl("40"), incl("199")), None, None),
            ("hundreds", iv(incl("200"), incl("999")), None, None),
            ("thousands", iv(incl("2000"), incl("9999")), None, None),
            ("several", iv(incl("3"), incl("9")), None, None),
            ("a few", iv(incl("2"), incl("5")), None, None),
            (
                "tens of thousands",
                iv(incl("20000"), incl("99999")),
                None,
                None,
            ),
            (
                "hundreds of thousands",
                iv(incl("200000"), incl("999999")),
                None,
                None,
            ),
            ("millions", iv(incl("2000000"), incl("9999999")), None, None),
            (
                "Dozens of civilians",
                iv(incl("24"), incl("99")),
                None,
                None,
            ),
            (
                "several months",
                iv(incl("3"), incl("9")),
                Some("month"),
                None,
            ),
            (
                "millions of dollars",
                iv(incl("2000000"), incl("9999999")),
                Some("USD"),
                None,
            ),
            (
                "hundreds of Pakistani soldiers",
                iv(incl("200"), incl("999")),
                None,
                None,
            ),
            // trailing words and leading `the`
            ("seven Pakistani soldiers", ex("7"), None, Some("7")),
            ("102 TTP fighters", ex("102"), None, Some("102")),
            (
                "over 650 recorded attacks",
                iv(excl("650"), INF),
                None,
                Some("650"),
            ),
            ("54 people", ex("54"), None, Some("54")),
            ("200 wounded", ex("200"), None, Some("200")),
            ("three Chinese tutors", ex("3"), None, Some("3")),
            ("1600 lives", ex("1600"), None, Some("1600")),
            ("the 102 fighters", ex("102"), None, Some("102")),
            ("a month’s amnesty", ex("1"), Some("month"), Some("1")),
        ]
    }

    #[test]
    fn table_rows() {
        for (text, interval, unit, named) in table() {
            let got = q(text);
            assert_eq!(got.interval, interval, "{text}");
            assert_eq!(got.unit.as_deref(), unit, "{text}");
            assert_eq!(got.named, named.map(d), "{text}");
        }
    }

    #[test]
    fn seed_phrases() {
        let seeds: [(&str, Interval, Option<&str>); 14] = [
            ("over 140", iv(excl("140"), INF), None),
            ("$7 billion", Interval::exact(d("7000000000")), Some("USD")),
            (
                "approximately $7 billion",
                iv(incl("6300000000"), incl("7700000000")),
                Some("USD"),
            ),
            ("1600", Interval::exact(d("1600")), None),
            ("1,600", Interval::exact(d("1600")), None),
            ("seven", Interval::exact(d("7")), None),
            ("dozens of civilians", iv(incl("24"), incl("99")), None),
            (
                "nearly three years",
                iv(incl("2.7"), excl("3")),
                Some("year"),
            ),
            ("eight months", Interval::exact(d("8")), Some("month")),
            ("two decades", Interval::exact(d("2")), Some("decade")),
            ("over 650 recorded attacks", iv(excl("650"), INF), None),
            ("102 TTP fighters", Interval::exact(d("102")), None),
            ("54 people", Interval::exact(d("54")), None),
            ("200 wounded", Interval::exact(d("200")), None),
        ];
        for (text, interval, unit) in seeds {
            let got = q(text);
            assert_eq!(
                (got.interval, got.unit.as_deref()),
                (interval, unit),
                "{text}"
            );
        }
        assert_eq!(q("three Chinese tutors").interval, Interval::exact(d("3")));
    }

    #[test]
    fn exact_arithmetic() {
        let v = q("7.12 billion").interval.low_value();
        assert_eq!(v.map(|v| v.to_string()), Some("7120000000".to_string()));
        let about = q("about 140").interval;
        assert_eq!(
            about.low_value().map(|v| v.to_string()),
            Some("126".to_string())
        );
        // The design's agreement examples.
        assert!(q("about $7 billion").interval.contains(d("7120000000")));
        assert!(q("over 140").interval.contains(d("145")));
        assert!(!q("over 140").interval.contains(d("133")));
        assert!(!q("over 140").interval.contains(d("140")));
    }

    #[test]
    fn configurable_slack() {
        let rules = QuantityRules {
            approx_slack: d("0.2"),
            nearly_slack: d("0.05"),
            ..Default::default()
        };
        let about = parse_quantity("about 100", &rules).map(|x| x.interval);
        assert_eq!(about, Ok(iv(incl("80"), incl("120"))));
        let nearly = parse_quantity("nearly 100", &rules).map(|x| x.interval);
        assert_eq!(nearly, Ok(iv(incl("95"), excl("100"))));
        let wide = QuantityRules {
            approx_slack: d("1.5"),
            ..Default::default()
        };
        let clamped = parse_quantity("about 10", &wide).map(|x| x.interval);
        assert_eq!(clamped, Ok(iv(incl("0"), incl("25"))));
        let mut custom = QuantityRules::default();
        custom.vague.insert("A Handful".into(), (d("3"), d("6")));
        let handful = parse_quantity("a handful of fighters", &custom).map(|x| x.interval);
        assert_eq!(handful, Ok(iv(incl("3"), incl("6"))));
    }

    #[test]
    fn error_messages() {
        let cases = [
            (
                "ovr 140",
                r#"could not read "ovr 140" as a quantity: "ovr" is not a number or a known qualifier; write e.g. "over 140", "about $7 billion", "40-60""#,
            ),
            (
                "over",
                r#"could not read "over" as a quantity: expected a number after the qualifier "over", as in "over 140""#,
            ),
            (
                "more than people",
                r#"could not read "more than people" as a quantity: expected a number after the qualifier "more than", as in "more than 140", not "people""#,
            ),
            (
                "",
                r#"could not read "" as a quantity: the text is empty; write e.g. "over 140", "about $7 billion", "40-60""#,
            ),
            (
                "   ",
                r#"could not read "   " as a quantity: the text is empty; write e.g. "over 140", "about $7 billion", "40-60""#,
            ),
            (
                "7bx",
                r#"could not read "7bx" as a quantity: "7bx": "bx" is not a known magnitude; write e.g. "7bn", "650k", "1.2 million""#,
            ),
            (
                "60-40",
                r#"could not read "60-40" as a quantity: the range runs from 60 down to 40; write the low end first, as in "40-60""#,
            ),
            (
                "1,60",
                r#"could not read "1,60" as a quantity: "1,60" is not a number: digits after a thousands separator come in groups of three, as in "1,600" or "1,250,000""#,
            ),
            (
                "under 0",
                r#"could not read "under 0" as a quantity: no number lies in [0, 0); write e.g. "over 140", "about $7 billion", "40-60""#,
            ),
            (
                "54 people, officials said",
                r#"could not read "54 people, officials said" as a quantity: unexpected "," after the quantity; write e.g. "over 140", "about $7 billion", "40-60""#,
            ),
            (
                "over 40-60",
                r#"could not read "over 40-60" as a quantity: the qualifier "over" applies to one number, not to a range; write e.g. "over 40" or "between 40 and 60""#,
            ),
            (
                "between 40 or 60",
                r#"could not read "between 40 or 60" as a quantity: expected "and" after the low end, as in "between 40 and 60", not "or""#,
            ),
            (
                "$40 - €60",
                r#"could not read "$40 - €60" as a quantity: the two ends of the range have different units, USD and EUR"#,
            ),
            (
                "40 to",
                r#"could not read "40 to" as a quantity: expected a number after "to", as in "40 to 60", not the end of the text"#,
            ),
        ];
        for (text, message) in cases {
            assert_eq!(err(text), message, "{text}");
        }
        for text in [
            "forty sixty",
            "seven three",
            "99999999999999999999999999999999",
            "7 trillion trillion trillion",
            "$",
            "40 60",
        ] {
            let _ = err(text);
        }
    }

    #[test]
    fn units() {
        let cases = [
            ("years", "year"),
            (" Years ", "year"),
            ("$", "USD"),
            ("usd", "USD"),
            ("US$", "USD"),
            ("dollars", "USD"),
            ("Rs", "PKR"),
            ("rupees", "PKR"),
            ("€", "EUR"),
            ("%", "%"),
            ("percent", "%"),
            ("people", "people"),
            ("Persons", "persons"),
            ("  Metric   Tons ", "metric tons"),
            ("decades", "decade"),
            ("hrs", "hour"),
        ];
        for (given, canonical) in cases {
            assert_eq!(normalize_unit(given), canonical, "{given}");
        }
        let c = |a: Option<&str>, b: Option<&str>| conversion(a, b);
        assert_eq!(c(Some("decade"), Some("year")), Some(d("10")));
        assert_eq!(c(Some("year"), Some("month")), Some(d("12")));
        assert_eq!(c(Some("week"), Some("day")), Some(d("7")));
        assert_eq!(c(Some("day"), Some("hour")), Some(d("24")));
        assert_eq!(c(Some("hour"), Some("minute")), Some(d("60")));
        assert_eq!(c(Some("years"), Some("months")), Some(d("12")));
        assert_eq!(c(Some("month"), Some("day")), Some(d("30.436875")));
        assert_eq!(c(Some("USD"), Some("$")), Some(Decimal::ONE));
        assert_eq!(c(None, None), Some(Decimal::ONE));
        assert_eq!(c(Some("USD"), Some("EUR")), None);
        assert_eq!(c(Some("people"), Some("year")), None);
        assert_eq!(c(None, Some("year")), None);
        assert_eq!(c(Some("people"), Some("people")), Some(Decimal::ONE));
    }

    #[test]
    fn text_round_trip_examples() {
        let cases = [
            (Interval::exact(d("54")), "54"),
            (iv(excl("140"), INF), "over 140"),
            (iv(incl("7"), INF), "at least 7"),
            (iv(incl("0"), incl("50")), "0-50"),
            (iv(incl("0"), excl("100")), "under 100"),
            (iv(incl("180"), excl("200")), "from 180 to under 200"),
            (iv(incl("2.7"), excl("3")), "from 2.7 to under 3"),
            (iv(incl("40"), incl("60")), "40-60"),
            (iv(excl("40"), incl("60")), "from over 40 to 60"),
        ];
        for (interval, text) in cases {
            assert_eq!(interval_to_text(&interval), text);
            assert_eq!(q(text).interval, interval, "{text}");
        }
        // Display is unchanged.
        assert_eq!(Interval::exact(d("54")).to_string(), "54");
        assert_eq!(iv(excl("140"), INF).to_string(), "(140, ∞)");
        assert_eq!(iv(incl("0"), excl("100")).to_string(), "[0, 100)");
    }

    #[test]
    fn scale_saturates() {
        let big = Interval::exact(Decimal::MAX).scale(d("10"));
        assert_eq!(big, Interval::exact(Decimal::MAX));
    }

    fn decimal() -> impl Strategy<Value = Decimal> {
        (0i64..=i64::MAX, 0u32..=8).prop_map(|(m, s)| Decimal::new(m, s))
    }

    fn positive() -> impl Strategy<Value = Decimal> {
        (1i64..=i64::MAX, 0u32..=8).prop_map(|(m, s)| Decimal::new(m, s))
    }

    fn interval() -> impl Strategy<Value = Interval> {
        let pair =
            || (decimal(), decimal()).prop_map(|(a, b)| if a <= b { (a, b) } else { (b, a) });
        let strict = || pair().prop_filter("distinct", |(a, b)| a < b);
        prop_oneof![
            decimal().prop_map(Interval::exact),
            decimal().prop_map(|x| iv(Bound::Excl(x), INF)),
            decimal().prop_map(|x| iv(Bound::Incl(x), INF)),
            decimal().prop_map(|x| iv(Bound::Incl(Decimal::ZERO), Bound::Incl(x))),
            positive().prop_map(|x| iv(Bound::Incl(Decimal::ZERO), Bound::Excl(x))),
            pair().prop_map(|(a, b)| iv(Bound::Incl(a), Bound::Incl(b))),
            strict().prop_map(|(a, b)| iv(Bound::Incl(a), Bound::Excl(b))),
            strict().prop_map(|(a, b)| iv(Bound::Excl(a), Bound::Incl(b))),
            strict().prop_map(|(a, b)| iv(Bound::Excl(a), Bound::Excl(b))),
        ]
    }

    fn with_separators(n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    proptest! {
        #[test]
        fn interval_text_round_trips(i in interval()) {
            let text = interval_to_text(&i);
            let back = parse_quantity(&text, &QuantityRules::default());
            prop_assert_eq!(back.map(|q| q.interval), Ok(i), "{}", text);
        }

        #[test]
        fn named_number_is_inside_or_the_excluded_end(n in positive(), form in 0usize..16) {
            let s = n.normalize().to_string();
            let (text, scale) = match form {
                0 => (s.clone(), 1),
                1 => (format!("over {s}"), 1),
                2 => (format!("under {s}"), 1),
                3 => (format!("nearly {s}"), 1),
                4 => (format!("at least {s}"), 1),
                5 => (format!("at most {s}"), 1),
                6 => (format!("about {s}"), 1),
                7 => (format!("~{s}"), 1),
                8 => (format!("${s} million"), 1_000_000),
                9 => (format!("some {s}%"), 1),
                10 => (format!("approximately Rs {s} crore"), 10_000_000),
                11 => (format!("more than {s} people"), 1),
                12 => (format!("almost {s} years"), 1),
                13 => (format!("up to {s}bn"), 1_000_000_000),
                14 => (format!("fewer than {s}k"), 1_000),
                _ => (format!("no fewer than {s} civilians"), 1),
            };
            let Some(x) = n.checked_mul(Decimal::from(scale)) else { return Ok(()) };
            let got = parse_quantity(&text, &QuantityRules::default());
            let got = match got {
                Ok(g) => g,
                // `about n` can overflow for n near the maximum: an error, never a panic.
                Err(e) => { prop_assert!(e.reason.contains("too large"), "{}", e); return Ok(()) }
            };
            prop_assert_eq!(got.named, Some(x.normalize()));
            let strict = matches!(form, 1 | 2 | 3 | 11 | 12 | 14);
            prop_assert_eq!(got.interval.contains(x), !strict, "{}", text);
            if strict {
                let end = if form == 1 || form == 11 { got.interval.low } else { got.interval.high };
                prop_assert_eq!(end, Bound::Excl(x.normalize()));
            }
        }

        #[test]
        fn separated_integers_parse_exactly(n in any::<u64>()) {
            let got = parse_quantity(&with_separators(n), &QuantityRules::default());
            prop_assert_eq!(got.map(|q| q.interval), Ok(Interval::exact(Decimal::from(n))));
        }

        #[test]
        fn any_text_is_read_without_panic(text in "\\PC{0,40}") {
            let _ = parse_quantity(&text, &QuantityRules::default());
            let _ = normalize_unit(&text);
        }

        #[test]
        fn grammar_like_text_is_read_without_panic(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("over"), Just("about"), Just("a"), Just("dozen"), Just("-"), Just("to"),
                    Just("and"), Just("between"), Just("from"), Just("under"), Just("$"),
                    Just("7"), Just("1,600"), Just("99999999999999999999999999"), Just("million"),
                    Just("k"), Just("hundred"), Just("twenty"), Just("three"), Just("years"),
                    Just("%"), Just("of"), Just("thousands"), Just("the"), Just("0.5"),
                ],
                0..8,
            )
        ) {
            let _ = parse_quantity(&words.join(" "), &QuantityRules::default());
            let _ = parse_quantity(&words.concat(), &QuantityRules::default());
        }
    }
}
