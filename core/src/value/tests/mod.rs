//! Tests of the value grammar.

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
    let pair = || (decimal(), decimal()).prop_map(|(a, b)| if a <= b { (a, b) } else { (b, a) });
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

/// Any decimal: every mantissa size, sign and scale (`Decimal::from_parts` takes the
/// 96-bit mantissa in three words).
fn any_decimal() -> impl Strategy<Value = Decimal> {
    let word = prop_oneof![Just(0u32), 0u32..1000, any::<u32>()];
    (word.clone(), word.clone(), word, any::<bool>(), 0u32..=28).prop_map(
        |(lo, mid, hi, negative, scale)| Decimal::from_parts(lo, mid, hi, negative, scale),
    )
}

proptest! {
    #[test]
    fn decimals_compare_as_decimal_compares_them(a in any_decimal(), b in any_decimal(), same in any::<bool>()) {
        // Half the pairs share a scale; the others are brought to one, or are too large.
        let b = if same {
            Decimal::from_parts(b.mantissa() as u32, (b.mantissa().unsigned_abs() >> 32) as u32,
                (b.mantissa().unsigned_abs() >> 64) as u32, b.is_sign_negative(), a.scale())
        } else {
            b
        };
        prop_assert_eq!(cmp_decimal(&a, &b), a.cmp(&b), "{} against {}", a, b);
        prop_assert_eq!(Bound::Incl(a) == Bound::Incl(b), a == b);
        prop_assert_eq!(Bound::Excl(a) == Bound::Incl(b), false);
    }
}

#[test]
fn equal_values_of_other_scales_or_signs_are_one_bound() {
    assert_eq!(Bound::Incl(d("1.0")), Bound::Incl(d("1.00")));
    assert_eq!(Bound::Incl(d("0")), Bound::Incl(-d("0.000")));
    assert_ne!(Bound::Incl(d("1.01")), Bound::Incl(d("1.1")));
    assert!(cmp_decimal(&Decimal::MAX, &d("0.0000000000000000000000000001")).is_gt());
    assert!(cmp_decimal(&Decimal::MIN, &d("-7.9228162514264337593543950335")).is_lt());
    assert!(cmp_decimal(&d("1110.6"), &d("1234")).is_lt());
    assert!(Interval::exact(d("2.50")).overlaps(&Interval::exact(d("2.5"))));
    assert!(!Interval::exact(d("-3")).overlaps(&Interval::exact(d("3"))));
}
