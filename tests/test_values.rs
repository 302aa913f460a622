//! Values and dates as people write them, through the command line: what `add` stores,
//! what `show` prints beside the raw text, and the errors for text that is neither.

use crate::common::TestEnv;

/// Adds one claim of `kind` (`--value` or `--date`) and returns `list`'s JSON record.
fn logged(env: &TestEnv, source: &str, flag: &str, text: &str) -> serde_json::Value {
    let r = env.ok(&[
        "add",
        "--source",
        source,
        "--subject",
        "s-2024",
        "--property",
        "p",
        flag,
        text,
    ]);
    let id = r.stdout.trim();
    env.json(&["show", id])["claim"].clone()
}

#[test]
fn seed_quantities_read_as_a_careful_reader_would() {
    let env = TestEnv::init();
    env.source("s", "2024-04");
    let cases = [
        ("over 140", "(140, ∞)", None),
        ("$7 billion", "7000000000", Some("USD")),
        ("1600", "1600", None),
        ("1,600", "1600", None),
        ("seven", "7", None),
        ("dozens of civilians", "[24, 99]", None),
        ("nearly three years", "[2.7, 3)", Some("year")),
        (
            "approximately $7 billion",
            "[6300000000, 7700000000]",
            Some("USD"),
        ),
        ("7.12 billion", "7120000000", None),
        ("between 40 and 60", "[40, 60]", None),
        ("at least 7", "[7, ∞)", None),
        ("under 100", "[0, 100)", None),
    ];
    for (text, parsed, unit) in cases {
        let c = logged(&env, "s", "--value", text);
        assert_eq!(c["value"], text, "the raw text is kept verbatim");
        assert_eq!(c["parsed"], parsed, "{text}");
        assert_eq!(c["unit"].as_str(), unit, "{text}");
    }
}

#[test]
fn relative_dates_resolve_against_the_published_date_and_say_so() {
    let env = TestEnv::init();
    env.source("may22", "2022-05");
    env.source("apr24", "2024-04");
    env.source("y22", "2022");
    let c = logged(&env, "may22", "--date", "last August");
    assert_eq!(c["parsed"], "2021-08");
    assert_eq!(c["reference"], "published 2022-05");
    assert_eq!(
        logged(&env, "apr24", "--date", "March 18th of this year")["parsed"],
        "2024-03-18"
    );
    assert_eq!(
        logged(&env, "may22", "--date", "in November last year")["parsed"],
        "2021-11"
    );
    // A partial reference widens the result to every date it could be.
    let c = logged(&env, "y22", "--date", "last August");
    assert_eq!(c["parsed"], "2021-08-01..2022-09-01");
    assert_eq!(c["start"], "2021-08-01T00:00");
    assert_eq!(c["end"], "2022-09-01T00:00");
    // --as-of is the reference when given.
    let r = env.ok(&[
        "add",
        "--source",
        "may22",
        "--subject",
        "s-2024",
        "--property",
        "q",
        "--date",
        "last year",
        "--as-of",
        "2024-02",
    ]);
    let c = env.json(&["show", r.stdout.trim()])["claim"].clone();
    assert_eq!(c["parsed"], "2023");
    assert_eq!(c["reference"], "as-of 2024-02");
}

#[test]
fn show_prints_the_interval_beside_the_raw_text() {
    let env = TestEnv::init();
    env.source("s", "2024-04");
    let id = env.claim(
        "s",
        "crocus-city-hall-attack-2024",
        "deaths",
        "over 140",
        &[],
    );
    let out = env.ok(&["show", &id]).stdout;
    assert!(out.contains("│ value      ┆ over 140 (quantity)"), "{out}");
    assert!(out.contains("│ read as    ┆ (140, ∞)"), "{out}");
    let r = env.ok(&[
        "add",
        "--source",
        "s",
        "--subject",
        "x-2024",
        "--property",
        "date",
        "--date",
        "the 22nd of March this year",
    ]);
    let out = env.ok(&["show", r.stdout.trim()]).stdout;
    assert!(
        out.contains("│ read as    ┆ 2024-03-22 (resolved against published 2024-04)"),
        "{out}"
    );
}

#[test]
fn text_that_is_neither_is_refused_with_what_and_an_example() {
    let env = TestEnv::init();
    env.source("s", "2024-04");
    let r = env.err(&[
        "add",
        "--source",
        "s",
        "--subject",
        "x-2024",
        "--property",
        "deaths",
        "--value",
        "ovr 140",
    ]);
    assert_eq!(
        r.stderr.trim(),
        r#"error: could not read "ovr 140" as a quantity: "ovr" is not a number or a known qualifier; write e.g. "over 140", "about $7 billion", "40-60""#
    );
    let r = env.err(&[
        "add",
        "--source",
        "s",
        "--subject",
        "x-2024",
        "--property",
        "deaths",
        "--value",
        "over",
    ]);
    assert!(
        r.stderr
            .contains(r#"expected a number after the qualifier "over", as in "over 140""#),
        "{}",
        r.stderr
    );
    let r = env.err(&[
        "add",
        "--source",
        "s",
        "--subject",
        "x-2024",
        "--property",
        "date",
        "--date",
        "Novembr 2021",
    ]);
    assert!(
        r.stderr
            .contains(r#"could not read "Novembr 2021" as a date: "Novembr" is not a month name"#),
        "{}",
        r.stderr
    );
    let r = env.err(&[
        "add",
        "--source",
        "s",
        "--subject",
        "x-2024",
        "--property",
        "date",
        "--date",
        "2021-02-30",
    ]);
    assert!(
        r.stderr.contains("could not read \"2021-02-30\" as a date"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_relative_date_with_no_reference_is_an_error() {
    let env = TestEnv::init();
    env.ok(&["source", "add", "undated", "--title", "No date"]);
    let r = env.err(&[
        "add",
        "--source",
        "undated",
        "--subject",
        "x-2024",
        "--property",
        "date",
        "--date",
        "last August",
    ]);
    assert!(
        r.stderr.contains("\"last August\" is a relative date and there is no reference date to resolve it against"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_unit_given_twice_must_agree() {
    let env = TestEnv::init();
    env.source("s", "2025");
    let r = env.err(&[
        "add",
        "--source",
        "s",
        "--subject",
        "x-2024",
        "--property",
        "amount",
        "--value",
        "$7 billion",
        "--unit",
        "EUR",
    ]);
    assert!(
        r.stderr
            .contains("the value says its unit is USD but --unit says EUR"),
        "{}",
        r.stderr
    );
    let c = env.claim("s", "x-2024", "amount", "7 billion", &["--unit", "usd"]);
    assert_eq!(env.json(&["show", &c])["claim"]["unit"], "USD");
}

#[test]
fn the_slack_of_approximate_words_comes_from_the_ledger_config() {
    let env = TestEnv::init();
    env.source("s", "2024");
    let config = std::fs::read_to_string(env.ledger_dir().join("config.ron")).unwrap();
    assert!(config.contains("approx_slack: \"0.1\""), "{config}");
    env.write(
        "ledger/config.ron",
        config.replace("approx_slack: \"0.1\"", "approx_slack: \"0.25\""),
    );
    let c = env.claim("s", "x-2024", "deaths", "about 100", &[]);
    assert_eq!(env.json(&["show", &c])["claim"]["parsed"], "[75, 125]");
    env.write("ledger/config.ron", "(quantities: (approx_slack: oops))");
    let r = env.err(&["list"]);
    assert!(r.stderr.contains("config.ron:1:"), "{}", r.stderr);
}

#[test]
fn slash_dates_follow_date_order_and_are_refused_without_it() {
    let env = TestEnv::init();
    env.source("s", "2011-12-04");
    env.source("us", "2011-12-04");
    env.source("uk", "2011-12-04");
    let config = std::fs::read_to_string(env.ledger_dir().join("config.ron")).unwrap();
    assert!(config.contains("date_order: None"), "{config}");
    // Unset: refused, naming both readings and the setting; nothing is written.
    let log = env.log_bytes();
    let r = env.err(&[
        "add",
        "--source",
        "s",
        "--subject",
        "f-2011",
        "--property",
        "arrival",
        "--date",
        "12/4/11 9:35 PM",
    ]);
    assert!(
        r.stderr
            .contains("month first it is 2011-12-04, day first 2011-04-12"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("date_order"), "{}", r.stderr);
    assert_eq!(
        env.log_bytes(),
        log,
        "a refused add leaves the log as it was"
    );
    for (source, setting, parsed) in [
        ("us", "Some(MonthFirst)", "2011-12-04 21:35"),
        ("uk", "Some(DayFirst)", "2011-04-12 21:35"),
    ] {
        env.write(
            "ledger/config.ron",
            config.replace("date_order: None", &format!("date_order: {setting}")),
        );
        let c = logged(&env, source, "--date", "12/4/11 9:35 PM");
        assert_eq!(c["parsed"], parsed, "{setting}");
    }
}

#[test]
fn weekdays_and_times_with_zones_are_logged_and_say_they_were_inferred() {
    let env = TestEnv::init();
    env.source("tue", "2024-11-19");
    let c = logged(&env, "tue", "--date", "late on Saturday");
    assert_eq!(c["parsed"], "2024-11-16");
    assert_eq!(
        c["reference"],
        "published 2024-11-19; inferred: the most recent Saturday on or before the reference day"
    );
    let c = logged(&env, "tue", "--date", "in December");
    assert_eq!(c["parsed"], "2023-12");
    // A time with a zone is an instant, kept with its offset; the raw text is verbatim.
    let c = logged(&env, "tue", "--date", "2011-12-04 12:30PM EST");
    assert_eq!(c["value"], "2011-12-04 12:30PM EST");
    assert_eq!(c["parsed"], "2011-12-04 12:30 -05:00");
    assert_eq!(c["start"], "2011-12-04T17:30");
    // A website's time alone falls on the reference day.
    assert_eq!(
        logged(&env, "tue", "--date", "7:05P")["parsed"],
        "2024-11-19 19:05"
    );
    env.ok(&["verify"]);
}
