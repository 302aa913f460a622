//! Table tests of the quantity forms real news text uses: vague multiples, space-grouped
//! thousands, fractions with their exact values, percent words, earthquake magnitudes,
//! and the limits a figure is read within.

use super::*;

fn read(text: &str) -> Quantity {
    parse_quantity(text, &QuantityRules::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn check(table: &[(&str, &str, Option<&str>)]) {
    for (text, interval, unit) in table {
        let q = read(text);
        assert_eq!(q.interval.to_string(), *interval, "{text:?}");
        assert_eq!(q.unit.as_deref(), *unit, "{text:?}");
    }
}

#[test]
fn vague_multiples() {
    check(&[
        ("several dozen", "[36, 108]", None),
        ("several hundred", "[300, 900]", None),
        ("a few hundred thousand", "[200000, 500000]", None),
        ("several hundred people", "[300, 900]", None),
        ("dozens", "[24, 99]", None),
    ]);
}

#[test]
fn thousands_grouped_by_spaces() {
    check(&[
        ("56 949 009", "56949009", None),
        ("56\u{a0}949\u{a0}009", "56949009", None),
        ("56\u{202f}949\u{202f}009 people", "56949009", None),
        ("1\u{2009}600", "1600", None),
        ("about 12 500", "[11250, 13750]", None),
    ]);
    // A four-digit first group is no grouping (`in 2019 100 people`): two numbers.
    assert!(parse_quantity("2019 100", &QuantityRules::default()).is_err());
    // Commas and spaces are never mixed in one number.
    assert!(parse_quantity("1,600 000", &QuantityRules::default()).is_err());
}

#[test]
fn fractions_have_exact_values() {
    check(&[
        ("half a million dollars", "500000", Some("USD")),
        ("a quarter of a million people", "250000", None),
        ("three-quarters of a million", "750000", None),
        ("half a billion", "500000000", None),
        ("one-fifth", "20", Some("%")),
        ("more than one-fifth", "(20, ∞)", Some("%")),
        ("nearly half", "[45, 50)", Some("%")),
        ("half", "50", Some("%")),
        ("a quarter", "25", Some("%")),
        ("three-quarters", "75", Some("%")),
        ("a tenth", "10", Some("%")),
        ("two-thirds", "66.666666666666666666666666667", Some("%")),
    ]);
    assert_eq!(read("half a million").named, Some(Decimal::from(500_000)));
    assert_eq!(
        read("one-eighth").interval,
        Interval::exact(Decimal::new(125, 1))
    );
}

#[test]
fn units_of_news_copy() {
    check(&[
        ("12 per cent", "12", Some("%")),
        ("12 percent", "12", Some("%")),
        ("6.6-magnitude", "6.6", Some("magnitude")),
        ("magnitude-7.8", "7.8", Some("magnitude")),
        ("magnitude 7.0", "7", Some("magnitude")),
        ("7.7 magnitude", "7.7", Some("magnitude")),
        ("one person", "1", None),
        ("decades", "[2, ∞)", Some("decade")),
        ("weeks of rains", "[2, ∞)", Some("week")),
        ("years", "[2, ∞)", Some("year")),
    ]);
}

#[test]
fn figures_beyond_what_is_held_are_refused_naming_the_limit() {
    for text in [
        "9999999999999999999999999 trillion",
        "99999999999999999999999999999",
        "800000000000000000000 billion dollars",
    ] {
        let err = parse_quantity(text, &QuantityRules::default()).expect_err(text);
        let msg = err.to_string();
        assert!(msg.contains("too large"), "{text}: {msg}");
        assert!(
            msg.contains("79228162514264337593543950335") || msg.contains("7.9e28"),
            "{text}: {msg}"
        );
    }
}
