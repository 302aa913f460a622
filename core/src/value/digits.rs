//! Decimals as text, written without rust_decimal's digit-by-digit division: a report
//! writes several numbers per claim. The bytes are `Decimal`'s `Display` (no width or
//! precision asked for): a sign for a negative value (negative zero included), the
//! digits, and exactly `scale` of them after the point.

use std::fmt::{self, Write};

use rust_decimal::Decimal;

/// Writes `d` as `write!(w, "{d}")` does.
pub fn write_decimal(w: &mut impl Write, d: Decimal) -> fmt::Result {
    if d.is_sign_negative() {
        w.write_char('-')?;
    }
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(d.mantissa().unsigned_abs());
    let scale = d.scale() as usize;
    if scale == 0 {
        return w.write_str(digits);
    }
    // At least one digit before the point: 5 at scale 3 is 0.005.
    let whole = digits.len().saturating_sub(scale);
    if whole == 0 {
        w.write_char('0')?;
    } else {
        w.write_str(&digits[..whole])?;
    }
    w.write_char('.')?;
    for _ in digits.len()..scale {
        w.write_char('0')?;
    }
    w.write_str(&digits[whole..])
}

/// `d` without trailing zeros, as `d.normalize().to_string()` writes it.
pub fn normalized_text(d: Decimal) -> String {
    let mut s = String::with_capacity(24);
    push_normalized(&mut s, d);
    s
}

/// [`normalized_text`], added to `out`.
pub fn push_normalized(out: &mut String, d: Decimal) {
    // Writing to a String does not fail.
    let _ = write_decimal(out, d.normalize());
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(d: Decimal) -> String {
        let mut s = String::new();
        write_decimal(&mut s, d).expect("a String takes any text");
        s
    }

    #[test]
    fn zero_small_and_negative_values_read_as_display_writes_them() {
        for (m, scale, want) in [
            (0i128, 0u32, "0"),
            (0, 2, "0.00"),
            (5, 3, "0.005"),
            (1234, 2, "12.34"),
            (-1234, 2, "-12.34"),
            (-5, 1, "-0.5"),
            (100, 0, "100"),
        ] {
            let d = Decimal::from_i128_with_scale(m, scale);
            assert_eq!(text(d), want);
            assert_eq!(d.to_string(), want);
        }
        assert_eq!(text(-Decimal::ZERO), (-Decimal::ZERO).to_string());
        assert_eq!(text(Decimal::MAX), Decimal::MAX.to_string());
        assert_eq!(text(Decimal::MIN), Decimal::MIN.to_string());
    }

    proptest! {
        #[test]
        fn any_decimal_reads_as_display_writes_it(
            lo in any::<u32>(),
            mid in any::<u32>(),
            hi in prop_oneof![Just(0u32), any::<u32>()],
            negative in any::<bool>(),
            scale in 0u32..=28,
        ) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            prop_assert_eq!(text(d), d.to_string());
            prop_assert_eq!(normalized_text(d), d.normalize().to_string());
        }
    }
}
