//! Quantities as people write them: the grammar of `--value`, the interval it denotes,
//! units and their conversions. Owns [`parse_quantity`], [`Interval`] and [`Bound`].

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One end of an interval. `Unbounded` on the low side is minus infinity, on the high
/// side plus infinity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Bound {
    Unbounded,
    Incl(Decimal),
    Excl(Decimal),
}

/// A set of numbers `low..high`, each end open, closed or unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Interval {
    pub low: Bound,
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

    /// Both ends multiplied by a positive factor (a unit conversion).
    pub fn scale(&self, factor: Decimal) -> Interval {
        let s = |b: Bound| match b {
            Bound::Unbounded => Bound::Unbounded,
            Bound::Incl(v) => Bound::Incl(v * factor),
            Bound::Excl(v) => Bound::Excl(v * factor),
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

/// How loose approximate and vague words are; kept per ledger in `ledger/config.ron`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuantityRules {
    /// `about X`, `around X`, `approximately X`, `roughly X`, `some X`, `an estimated X`
    /// mean X plus or minus this fraction of X.
    pub approx_slack: Decimal,
    /// `nearly X`, `almost X` mean [X - slack*X, X).
    pub nearly_slack: Decimal,
    /// Vague words and the closed interval each stands for.
    pub vague: BTreeMap<String, (Decimal, Decimal)>,
}

impl Default for QuantityRules {
    fn default() -> Self {
        let d = |n: i64| Decimal::from(n);
        let vague = [
            ("several", (3, 9)),
            ("a few", (2, 5)),
            ("dozens", (24, 99)),
            ("scores", (40, 199)),
            ("hundreds", (200, 999)),
            ("thousands", (2000, 9999)),
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
    pub text: String,
    pub reason: String,
}

/// Reads a quantity as a reporter writes it. (Stub: plain numbers only; the full
/// grammar replaces it.)
pub fn parse_quantity(text: &str, _rules: &QuantityRules) -> Result<Quantity, QuantityError> {
    let t = text.trim().replace(',', "");
    let n: Decimal = t.parse().map_err(|_| QuantityError {
        text: text.to_string(),
        reason: "expected a number such as \"54\" or \"over 140\"".into(),
    })?;
    Ok(Quantity {
        interval: Interval::exact(n),
        unit: None,
        named: Some(n),
    })
}

/// The canonical spelling of a unit: `$`/`dollars`/`usd` become `USD`, `years` `year`.
pub fn normalize_unit(unit: &str) -> String {
    unit.trim().to_string()
}

/// The factor that turns an amount in unit `from` into unit `to`, if they convert.
/// `None` when they do not (two currencies, a count and a length...).
pub fn conversion(from: Option<&str>, to: Option<&str>) -> Option<Decimal> {
    if from == to {
        Some(Decimal::ONE)
    } else {
        None
    }
}

/// Text that [`parse_quantity`] reads back as exactly `interval`.
pub fn interval_to_text(interval: &Interval) -> String {
    interval.to_string()
}
