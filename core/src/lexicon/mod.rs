//! The words that both the value and date grammar and the claim extractor know: month
//! and weekday names, number words, magnitudes, units, qualifiers, relative words and
//! fillers. One list each, so that what `extract` proposes is what the grammar reads.
//!
//! Every function takes a lowercase word and never allocates.

use rust_decimal::Decimal;

/// The months' names, January first, as written in messages.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The number (1-12) of a month's name or abbreviation.
pub fn month_number(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// Whether `w` is a month's name or abbreviation.
pub fn is_month_name(w: &str) -> bool {
    month_number(w).is_some()
}

/// A month's name for messages (`that month` for a number out of range).
pub fn month_name(m: u32) -> &'static str {
    let index = usize::try_from(m).ok().and_then(|m| m.checked_sub(1));
    index
        .and_then(|i| MONTH_NAMES.get(i))
        .copied()
        .unwrap_or("that month")
}

/// Days since Monday (0-6) of a weekday's name, abbreviation or plural (`Sundays`).
pub fn weekday_number(w: &str) -> Option<u32> {
    Some(match w {
        "monday" | "mon" | "mondays" => 0,
        "tuesday" | "tue" | "tues" | "tuesdays" => 1,
        "wednesday" | "wed" | "wednesdays" => 2,
        "thursday" | "thu" | "thur" | "thurs" | "thursdays" => 3,
        "friday" | "fri" | "fridays" => 4,
        "saturday" | "sat" | "saturdays" => 5,
        "sunday" | "sun" | "sundays" => 6,
        _ => return None,
    })
}

/// Whether `w` is a weekday's full name (the abbreviations are too ambiguous in prose:
/// `sat`, `wed`, `sun`).
pub fn is_weekday_name(w: &str) -> bool {
    matches!(
        bare(w),
        "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
    )
}

/// Words a date may hold that say nothing by themselves: `in July`, `on Sunday`.
pub const FILLER: [&str; 8] = ["the", "of", "in", "on", "since", "by", "during", "at"];

/// Whether `w` is a date filler ([`FILLER`]).
pub fn is_filler(w: &str) -> bool {
    FILLER.contains(&w)
}

/// `last`/`this`/`next` and their synonyms: -1, 0 or 1 units from the reference.
pub fn rel_word(w: &str) -> Option<i64> {
    match w {
        "last" | "previous" => Some(-1),
        "this" | "current" => Some(0),
        "next" | "coming" => Some(1),
        _ => None,
    }
}

/// Words that make a date relative to a reference.
pub fn is_relative_word(w: &str) -> bool {
    rel_word(w).is_some()
        || matches!(
            w,
            "past" | "ago" | "yesterday" | "today" | "tomorrow" | "tonight" | "weekend"
        )
}

/// `early`, `mid`, `late`: the thirds of a year or decade.
pub fn part_word(w: &str) -> bool {
    matches!(w, "early" | "mid" | "late")
}

/// A word without its possessive `'s` / `’s`.
pub fn bare(w: &str) -> &str {
    w.strip_suffix("’s")
        .or_else(|| w.strip_suffix("'s"))
        .unwrap_or(w)
}

/// Canonical spelling of a unit word or symbol the grammar or `--unit` may use.
pub fn known_unit(w: &str) -> Option<&'static str> {
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
        "magnitude" => "magnitude",
        _ => return None,
    })
}

/// The unit a word of the text names, possessive or not (`a month’s amnesty`).
pub fn word_unit(w: &str) -> Option<&'static str> {
    known_unit(bare(w))
}

/// Whether `w` (possessive or not) is a unit of time, `second` to `century`.
pub fn time_unit(w: &str) -> bool {
    matches!(
        word_unit(w),
        Some(
            "second" | "minute" | "hour" | "day" | "week" | "month" | "year" | "decade" | "century"
        )
    ) && !matches!(
        bare(w),
        "sec" | "secs" | "min" | "mins" | "mo" | "mos" | "wk" | "wks"
    )
}

/// Whether `w` is a unit word prose uses after a number: time, money, percent.
pub fn is_unit(w: &str) -> bool {
    time_unit(w)
        || matches!(
            bare(w),
            "dollar"
                | "dollars"
                | "rupee"
                | "rupees"
                | "euro"
                | "euros"
                | "percent"
                | "pct"
                | "magnitude"
        )
}

/// The denominator a fraction word names: `half` 2, `third`/`thirds` 3, `quarter` 4,
/// `fifth` 5 ... `tenth` 10.
pub fn fraction_word(w: &str) -> Option<u32> {
    Some(match w {
        "half" | "halves" => 2,
        "third" | "thirds" => 3,
        "quarter" | "quarters" => 4,
        "fifth" | "fifths" => 5,
        "sixth" | "sixths" => 6,
        "seventh" | "sevenths" => 7,
        "eighth" | "eighths" => 8,
        "ninth" | "ninths" => 9,
        "tenth" | "tenths" => 10,
        _ => return None,
    })
}

/// `zero` to `nineteen`.
pub fn small_number(w: &str) -> Option<u32> {
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

/// `twenty` to `ninety`.
pub fn tens_number(w: &str) -> Option<u32> {
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
pub fn scale_word(w: &str) -> Option<Decimal> {
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
pub fn suffix_scale(s: &str) -> Option<Decimal> {
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

/// Whether `w` (lowercase) is a magnitude word: `thousand`, `million`, `lakh`, `crore`...
pub fn is_magnitude(w: &str) -> bool {
    scale_word(w).is_some()
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

/// What a qualifier says of the number after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qual {
    /// `over`, `more than`: (X, inf).
    Over,
    /// `at least`: [X, inf).
    AtLeast,
    /// `at most`, `up to`: [0, X].
    AtMost,
    /// `under`, `fewer than`: [0, X).
    Under,
    /// `nearly`, `almost`: [X - slack, X).
    Nearly,
    /// `about`, `around`: X plus or minus the slack.
    Approx,
}

/// The qualifiers, longest phrase first where one is the start of another.
pub const QUALIFIERS: &[(&str, Qual)] = &[
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

/// Whether `w` is one word of a qualifier phrase (`more`, `than`, `least`, ...).
pub fn is_qualifier_word(w: &str) -> bool {
    QUALIFIERS
        .iter()
        .any(|(phrase, _)| phrase.split(' ').any(|p| p == w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_weekdays() {
        assert_eq!(month_number("sept"), Some(9));
        assert_eq!(month_name(13), "that month");
        assert_eq!(weekday_number("sunday"), Some(6));
        assert!(is_weekday_name("saturday’s"));
        assert!(!is_weekday_name("sat"));
    }

    #[test]
    fn units_and_numbers() {
        assert_eq!(word_unit("month’s"), Some("month"));
        assert!(time_unit("decades") && !time_unit("min"));
        assert!(is_number_word("crore") && !is_number_word("people"));
        assert_eq!(suffix_scale("k"), Some(Decimal::from(1000)));
        assert!(is_qualifier_word("least") && !is_qualifier_word("people"));
    }
}
