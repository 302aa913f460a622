//! Everyday use (issue 15): typos in filters are refused, tables fit the terminal,
//! JSON lines stream, and the checks and wording a new user meets.

use crate::common::TestEnv;

/// A ledger with two sources (no files) and claims on one bombing, with long quotes.
fn bombing() -> TestEnv {
    let env = TestEnv::init();
    env.source("dawn-2023-01-30", "2023-01-30");
    env.source("reuters-2023-02-02", "2023-02-02");
    let quote = "At least 59 people were killed when a suicide bomber blew himself up inside a crowded mosque in the police headquarters";
    env.claim(
        "dawn-2023-01-30",
        "peshawar-mosque-bombing-2023",
        "deaths",
        "at least 59",
        &["--quote", quote],
    );
    env.claim(
        "reuters-2023-02-02",
        "peshawar-mosque-bombing-2023",
        "killed",
        "101",
        &[
            "--quote",
            "The death toll rose to 101 on Thursday, officials said",
        ],
    );
    env
}

#[test]
fn a_misspelt_subject_is_refused_by_list_conflicts_and_export_with_a_near_match() {
    let env = bombing();
    for cmd in [
        vec!["list"],
        vec!["conflicts", "--exit-code"],
        vec!["export", "--format", "json"],
    ] {
        let mut args = cmd.clone();
        args.extend(["--subject", "peshawar-mosque-bombng-2023"]);
        let r = env.err(&args);
        assert_eq!(
            r.stderr,
            "error: no claim in this ledger has subject \"peshawar-mosque-bombng-2023\" (did you mean peshawar-mosque-bombing-2023?); `factledger subjects` lists the subject names it holds\n",
            "{cmd:?}"
        );
        assert_eq!(r.stdout, "", "{cmd:?}");
    }
}

#[test]
fn a_misspelt_property_or_source_is_refused_and_an_alias_is_not() {
    let env = bombing();
    let r = env.err(&["conflicts", "--property", "death", "--exit-code"]);
    assert!(
        r.stderr
            .contains("property \"death\" (did you mean deaths?)"),
        "{}",
        r.stderr
    );
    let r = env.err(&["list", "--source", "dawn-2023-01-03"]);
    assert!(
        r.stderr.contains("did you mean dawn-2023-01-30?"),
        "{}",
        r.stderr
    );
    // `fatalities` is an alias of deaths: it selects deaths and killed alike.
    let claims = env.json(&["list", "--property", "fatalities"]);
    let props: Vec<&str> = claims
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["property"].as_str().unwrap())
        .collect();
    assert_eq!(props, ["deaths", "killed"]);
}

#[test]
fn a_misspelt_status_is_refused_with_the_near_value() {
    let env = bombing();
    let r = env.err(&["list", "--status", "verifed"]);
    assert!(
        r.stderr.contains("a similar value exists: 'verified'"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_empty_result_is_one_plain_line() {
    let env = bombing();
    let r = env.ok(&["list", "--status", "verified"]);
    assert_eq!(r.stdout, "No claims to show.\n");
}

#[test]
fn jsonl_prints_one_object_per_line_for_list_conflicts_and_export() {
    let env = bombing();
    let r = env.ok(&["list", "--format", "jsonl"]);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["value"], "101");
    let r = env.ok(&["export", "--format", "jsonl"]);
    let kinds: Vec<String> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["record"].to_string())
        .collect();
    assert_eq!(
        kinds,
        ["\"source\"", "\"source\"", "\"claim\"", "\"claim\""]
    );
    let r = env.ok(&["subjects", "--format", "jsonl"]);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

/// The list table as a terminal of `columns` columns shows it.
fn table_at(env: &TestEnv, columns: &str) -> String {
    let r = env.run_env(&["list"], &[("COLUMNS", columns)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

fn display_width(line: &str) -> usize {
    line.chars().count()
}

#[test]
fn tables_fit_80_columns_without_wrapping_ids_or_dates() {
    let env = bombing();
    let out = table_at(&env, "80");
    for line in out.lines() {
        assert!(display_width(line) <= 80, "{line:?} is wider than 80");
    }
    // Header, rule, two rows and the borders: one line per row, nothing wrapped.
    assert_eq!(out.lines().count(), 7, "{out}");
    let ids: Vec<String> = env
        .json(&["list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    for id in &ids {
        assert!(out.contains(id.as_str()), "id {id} is cut in:\n{out}");
    }
    assert!(out.contains("2023-01-30"), "{out}");
    assert!(
        out.contains('…'),
        "long text is cut with an ellipsis:\n{out}"
    );
    insta::assert_snapshot!("list_table_80_columns", out);
}

#[test]
fn tables_fit_120_columns() {
    let env = bombing();
    let out = table_at(&env, "120");
    for line in out.lines() {
        assert!(display_width(line) <= 120, "{line:?} is wider than 120");
    }
    insta::assert_snapshot!("list_table_120_columns", out);
}

#[test]
fn a_width_of_zero_means_unknown_and_tables_take_100_columns() {
    let env = bombing();
    let out = table_at(&env, "0");
    let widest = out.lines().map(display_width).max().unwrap();
    assert!(widest <= 100 && widest > 60, "widest line {widest}:\n{out}");
    insta::assert_snapshot!("list_table_width_0", out);
}

#[test]
fn a_pipe_and_wide_get_every_cell_whole() {
    let env = bombing();
    let piped = env.ok(&["list"]).stdout;
    let wide = env
        .run_env(&["list", "--wide"], &[("COLUMNS", "80")])
        .stdout;
    assert_eq!(piped, wide);
    assert!(piped.contains("peshawar-mosque-bombing-2023"), "{piped}");
    assert!(!piped.contains('…'), "{piped}");
}
