//! Findings: the rules of DESIGN.md "Findings", asserted on `conflicts --format json`.

use serde_json::Value;

use crate::common::TestEnv;

/// A ledger with one source per as-of date given.
fn env_with_sources(sources: &[(&str, &str)]) -> TestEnv {
    let env = TestEnv::init();
    for (id, published) in sources {
        env.source(id, published);
    }
    env
}

fn findings(env: &TestEnv) -> Vec<Value> {
    env.json(&["conflicts"])
        .as_array()
        .expect("an array")
        .clone()
}

fn ids(f: &Value) -> Vec<String> {
    let mut v: Vec<String> = f["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    v.sort();
    v
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn over_140_and_145_agree() {
    let env = env_with_sources(&[("a", "2024-04"), ("b", "2024-04")]);
    env.claim(
        "a",
        "crocus-city-hall-attack-2024",
        "deaths",
        "over 140",
        &[],
    );
    env.claim("b", "crocus-city-hall-attack-2024", "deaths", "145", &[]);
    assert_eq!(findings(&env), Vec::<Value>::new());
}

#[test]
fn over_140_and_133_on_the_same_as_of_conflict() {
    let env = env_with_sources(&[("a", "2024-04"), ("b", "2024-04")]);
    let x = env.claim(
        "a",
        "crocus-city-hall-attack-2024",
        "deaths",
        "over 140",
        &[],
    );
    let y = env.claim("b", "crocus-city-hall-attack-2024", "deaths", "133", &[]);
    let f = findings(&env);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["kind"], "conflict");
    assert_eq!(f[0]["subject"], "crocus-city-hall-attack-2024");
    assert_eq!(f[0]["property"], "deaths");
    assert_eq!(f[0]["settled"], false);
    assert_eq!(ids(&f[0]), sorted(vec![x, y]));
    assert_eq!(f[0]["pairs"][0]["relation"], "conflict");
}

#[test]
fn fifty_four_and_sixty_three_conflict_with_their_gap() {
    let env = env_with_sources(&[("a", "2023-08-02"), ("b", "2023-08-02")]);
    let x = env.claim("a", "bajaur-rally-bombing-2023", "deaths", "54", &[]);
    let y = env.claim("b", "bajaur-rally-bombing-2023", "deaths", "63", &[]);
    let f = findings(&env);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["kind"], "conflict");
    assert_eq!(ids(&f[0]), sorted(vec![x, y]));
    assert_eq!(f[0]["gap"], "9");
    let rel = f[0]["relative_gap"].as_f64().unwrap();
    assert!((rel - 9.0 / 63.0).abs() < 1e-9, "relative gap {rel}");
    assert_eq!(f[0]["claims"][0]["source"], "a");
    assert_eq!(f[0]["claims"][0]["value"], "54");
}

#[test]
fn year_and_a_month_inside_it_agree() {
    let env = env_with_sources(&[("a", "2022-05"), ("b", "2022-05")]);
    env.ok(&[
        "add",
        "--source",
        "a",
        "--subject",
        "taliban-takeover-2021",
        "--property",
        "date",
        "--date",
        "2021",
    ]);
    env.ok(&[
        "add",
        "--source",
        "b",
        "--subject",
        "taliban-takeover-2021",
        "--property",
        "date",
        "--date",
        "August 2021",
    ]);
    assert_eq!(findings(&env), Vec::<Value>::new());
}

#[test]
fn a_year_and_a_month_before_it_conflict() {
    let env = env_with_sources(&[("a", "2022-05"), ("b", "2024-04")]);
    let x = env.ok(&[
        "add",
        "--source",
        "a",
        "--subject",
        "ttp-ceasefire-2021",
        "--property",
        "date",
        "--date",
        "November 2021",
    ]);
    let y = env.ok(&[
        "add",
        "--source",
        "b",
        "--subject",
        "ttp-ceasefire-2021",
        "--property",
        "date",
        "--date",
        "2022",
    ]);
    let f = findings(&env);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["kind"], "conflict");
    assert_eq!(
        ids(&f[0]),
        sorted(vec![x.stdout.trim().into(), y.stdout.trim().into()])
    );
    assert_eq!(f[0]["gap"], "31 days");
    let parsed: Vec<&str> = f[0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["parsed"].as_str().unwrap())
        .collect();
    assert_eq!(parsed, vec!["2021-11", "2022"]);
}

#[test]
fn about_7_billion_and_7_12_billion_agree() {
    let env = env_with_sources(&[("a", "2025"), ("b", "2025")]);
    env.claim(
        "a",
        "us-military-equipment-afghanistan-2021",
        "amount",
        "about $7 billion",
        &[],
    );
    env.claim(
        "b",
        "us-military-equipment-afghanistan-2021",
        "amount",
        "$7.12 billion",
        &[],
    );
    assert_eq!(findings(&env), Vec::<Value>::new());
    let list = env.json(&["list"]);
    assert_eq!(list[0]["unit"], "USD");
    assert_eq!(list[1]["low"]["value"], "7120000000");
    assert_eq!(list[0]["low"]["value"], "6300000000");
    assert_eq!(list[0]["high"]["value"], "7700000000");
}

#[test]
fn a_toll_that_grows_is_a_revision_not_a_conflict() {
    let env = env_with_sources(&[
        ("a", "2024-03-23"),
        ("b", "2024-03-24"),
        ("c", "2024-03-29"),
    ]);
    let x = env.claim("a", "crocus-city-hall-attack-2024", "deaths", "40", &[]);
    let y = env.claim("b", "crocus-city-hall-attack-2024", "deaths", "60", &[]);
    let z = env.claim("c", "crocus-city-hall-attack-2024", "deaths", "133", &[]);
    let f = findings(&env);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0]["kind"], "revision");
    assert_eq!(ids(&f[0]), sorted(vec![x.clone(), y.clone(), z.clone()]));
    let order: Vec<&str> = f[0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        vec![x.as_str(), y.as_str(), z.as_str()],
        "claims in as-of order"
    );
    assert!(f[0]["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["relation"] == "revision"));
    assert_eq!(f[0]["estimate"]["low"], "40");
    assert_eq!(f[0]["estimate"]["best"], "133");
    assert_eq!(f[0]["estimate"]["high"], "133");
    // A revision alone is not a conflict for --exit-code.
    env.ok(&["conflicts", "--exit-code"]);
}

#[test]
fn a_lower_figure_a_week_later_is_a_stale_conflict() {
    let env = env_with_sources(&[("a", "2023-08-02"), ("b", "2023-08-09")]);
    let x = env.claim("a", "bajaur-rally-bombing-2023", "deaths", "63", &[]);
    let y = env.claim("b", "bajaur-rally-bombing-2023", "deaths", "54", &[]);
    let f = findings(&env);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["kind"], "conflict");
    assert_eq!(ids(&f[0]), sorted(vec![x.clone(), y.clone()]));
    assert_eq!(f[0]["pairs"][0]["relation"], "stale");
    assert!(f[0]["summary"]
        .as_str()
        .unwrap()
        .contains("a later figure is lower than an earlier one"));
    // The stale figure is never the best estimate.
    assert_eq!(f[0]["estimate"]["best"], "63");
    let r = env.findings(&["conflicts", "--exit-code"]);
    assert!(
        r.stdout
            .contains("CONFLICT: bajaur-rally-bombing-2023 deaths"),
        "{}",
        r.stdout
    );
}

#[test]
fn the_as_of_option_overrides_the_published_date() {
    let env = env_with_sources(&[("a", "2024-04"), ("b", "2024-04")]);
    env.claim(
        "a",
        "crocus-city-hall-attack-2024",
        "deaths",
        "133",
        &["--as-of", "2024-03-24"],
    );
    env.claim(
        "b",
        "crocus-city-hall-attack-2024",
        "deaths",
        "144",
        &["--as-of", "2024-03-29"],
    );
    let f = findings(&env);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["kind"], "revision");
    assert_eq!(f[0]["claims"][0]["as_of"], "2024-03-24");
}

#[test]
fn a_claim_marked_false_settles_its_conflict() {
    let env = env_with_sources(&[("a", "2023-08-02"), ("b", "2023-08-02")]);
    let x = env.claim("a", "bajaur-rally-bombing-2023", "deaths", "54", &[]);
    let y = env.claim("b", "bajaur-rally-bombing-2023", "deaths", "63", &[]);
    env.findings(&["conflicts", "--exit-code"]);
    env.ok(&["status", &x, "false", "--note", "hospital count is 63"]);
    let f = findings(&env);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["kind"], "conflict");
    assert_eq!(f[0]["settled"], true);
    let c: Vec<(&str, bool)> = f[0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["counts"].as_bool().unwrap()))
        .collect();
    assert!(
        c.contains(&(x.as_str(), false)) && c.contains(&(y.as_str(), true)),
        "{c:?}"
    );
    assert_eq!(
        f[0]["estimate"]["best"], "63",
        "only claims that count make the estimate"
    );
    assert_eq!(f[0]["estimate"]["low"], "63");
    // Settled conflicts do not fail --exit-code.
    let r = env.ok(&["conflicts", "--exit-code"]);
    assert!(r.stdout.contains("conflict (settled)"), "{}", r.stdout);
}

#[test]
fn a_verified_side_is_named() {
    let env = env_with_sources(&[("a", "2023-08-02"), ("b", "2023-08-02")]);
    let x = env.claim("a", "bajaur-rally-bombing-2023", "deaths", "54", &[]);
    let y = env.claim("b", "bajaur-rally-bombing-2023", "deaths", "63", &[]);
    env.ok(&["status", &y, "verified", "--evidence", "hospital list"]);
    let f = findings(&env);
    assert_eq!(f[0]["verified"], serde_json::json!([y]));
    assert_eq!(f[0]["estimate"]["best"], "63");
    assert!(f[0]["summary"]
        .as_str()
        .unwrap()
        .contains(&format!("verified side: {y}")));
    assert_ne!(x, y);
}

#[test]
fn units_that_do_not_convert_are_not_compared_and_the_report_says_so() {
    let env = env_with_sources(&[("a", "2025"), ("b", "2025"), ("c", "2025")]);
    env.claim("a", "aid-2025", "amount", "$7 billion", &[]);
    env.claim("b", "aid-2025", "amount", "Rs 5 crore", &[]);
    assert_eq!(findings(&env), Vec::<Value>::new());
    let r = env.ok(&["conflicts"]);
    assert!(
        r.stdout.contains("not compared: aid-2025 amount: values that do not convert are not compared with each other: 1 in USD; 1 in PKR"),
        "{}",
        r.stdout
    );
    // Units that do convert are compared: two decades against 25 years.
    env.claim("a", "war-2001", "duration", "two decades", &[]);
    env.claim("c", "war-2001", "duration", "25 years", &[]);
    let f = findings(&env);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["unit"], "decade");
    assert_eq!(f[0]["claims"][1]["parsed"], "2.5");
}

#[test]
fn text_claims_conflict_only_when_they_differ_after_folding() {
    let env = env_with_sources(&[("a", "2024"), ("b", "2024"), ("c", "2024")]);
    env.ok(&[
        "add",
        "--source",
        "a",
        "--subject",
        "isis-k-2024",
        "--property",
        "claimed-by",
        "--text",
        "Islamic State–Khorasan",
    ]);
    env.ok(&[
        "add",
        "--source",
        "b",
        "--subject",
        "isis-k-2024",
        "--property",
        "claimed-by",
        "--text",
        "islamic state  khorasan.",
    ]);
    assert_eq!(findings(&env), Vec::<Value>::new());
    env.ok(&[
        "add",
        "--source",
        "c",
        "--subject",
        "isis-k-2024",
        "--property",
        "claimed-by",
        "--text",
        "TTP",
    ]);
    let f = findings(&env);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["claims"].as_array().unwrap().len(), 3);
}

#[test]
fn cumulative_properties_can_be_declared_in_the_config() {
    let env = env_with_sources(&[("a", "2022-05"), ("b", "2024-04")]);
    env.claim("a", "taliban-takeover-2021", "elapsed", "eight months", &[]);
    env.claim(
        "b",
        "taliban-takeover-2021",
        "elapsed",
        "nearly three years",
        &[],
    );
    assert_eq!(findings(&env)[0]["kind"], "conflict");
    let config = std::fs::read_to_string(env.ledger_dir().join("config.ron")).unwrap();
    let config = config.replace("\"displaced\",", "\"displaced\",\n        \"elapsed\",");
    env.write("ledger/config.ron", config);
    let f = findings(&env);
    assert_eq!(f[0]["kind"], "revision");
    assert_eq!(f[0]["unit"], "month");
}

#[test]
fn filters_and_csv() {
    let env = env_with_sources(&[("a", "2023-08-02"), ("b", "2023-08-02")]);
    env.claim("a", "bajaur-rally-bombing-2023", "deaths", "54", &[]);
    env.claim("b", "bajaur-rally-bombing-2023", "deaths", "63", &[]);
    env.claim("a", "bajaur-rally-bombing-2023", "injured", "200", &[]);
    env.claim("b", "bajaur-rally-bombing-2023", "injured", "123", &[]);
    assert_eq!(findings(&env).len(), 2);
    let f = env.json(&["conflicts", "--property", "injured"]);
    assert_eq!(f.as_array().unwrap().len(), 1);
    assert_eq!(f[0]["property"], "injured");
    // A subject the ledger does not hold is a typo, not "no findings".
    let r = env.err(&["conflicts", "--subject", "nothing-2020", "--format", "json"]);
    assert!(
        r.stderr.contains("subject \"nothing-2020\""),
        "{}",
        r.stderr
    );
    let csv = env
        .ok(&["conflicts", "--property", "deaths", "--format", "csv"])
        .stdout;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "finding,subject,property,kind,settled,unit,claim,source,value,parsed,as_of,status,counts,gap,relative_gap,low,best,high"
    );
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1].starts_with("1,bajaur-rally-bombing-2023,deaths,conflict,false,,"),
        "{}",
        lines[1]
    );
}

#[test]
fn findings_are_ranked_worst_first() {
    let env = env_with_sources(&[("a", "2023-08-02"), ("b", "2023-08-02")]);
    env.claim("a", "small-gap-2023", "deaths", "100", &[]);
    env.claim("b", "small-gap-2023", "deaths", "101", &[]);
    env.claim("a", "big-gap-2023", "deaths", "10", &[]);
    env.claim("b", "big-gap-2023", "deaths", "100", &[]);
    let f = findings(&env);
    let subjects: Vec<&str> = f.iter().map(|x| x["subject"].as_str().unwrap()).collect();
    assert_eq!(subjects, vec!["big-gap-2023", "small-gap-2023"]);
}

#[test]
fn add_warns_when_a_claim_creates_a_conflict_and_show_lists_it() {
    let env = env_with_sources(&[("a", "2023-08-02"), ("b", "2023-08-02")]);
    let x = env.claim("a", "bajaur-rally-bombing-2023", "deaths", "63", &[]);
    let r = env.ok(&[
        "add",
        "--source",
        "b",
        "--subject",
        "bajaur-rally-bombing-2023",
        "--property",
        "deaths",
        "--value",
        "54",
    ]);
    let y = r.stdout.trim().to_string();
    assert_eq!(y.len(), 12, "stdout holds the id alone: {:?}", r.stdout);
    assert!(
        r.stderr
            .contains("warning: conflict on bajaur-rally-bombing-2023 deaths:")
            && r.stderr.contains(&x),
        "{}",
        r.stderr
    );
    let show = env.json(&["show", &y]);
    assert_eq!(show["findings"].as_array().unwrap().len(), 1);
    assert_eq!(show["findings"][0]["kind"], "conflict");
    // An agreeing claim warns of nothing.
    let r = env.ok(&[
        "add",
        "--source",
        "b",
        "--subject",
        "bajaur-rally-bombing-2023",
        "--property",
        "deaths",
        "--value",
        "about 60",
    ]);
    assert!(!r.stderr.contains("warning: conflict"), "{}", r.stderr);
}

#[test]
fn add_names_near_matches_of_a_new_subject() {
    let env = env_with_sources(&[("a", "2023-08-02")]);
    env.claim("a", "bajaur-rally-bombing-2023", "deaths", "63", &[]);
    let r = env.ok(&[
        "add",
        "--source",
        "a",
        "--subject",
        "bajaur-rally-bombng-2023",
        "--property",
        "deaths",
        "--value",
        "64",
    ]);
    assert!(
        r.stderr.contains("subject \"bajaur-rally-bombng-2023\" is new to this ledger; did you mean bajaur-rally-bombing-2023?"),
        "{}",
        r.stderr
    );
}

#[test]
fn conflicts_table_snapshot() {
    let env = env_with_sources(&[("a", "2023-07-31"), ("b", "2023-08-02"), ("c", "2024-04")]);
    env.claim("a", "bajaur-rally-bombing-2023", "deaths", "44", &[]);
    env.claim("b", "bajaur-rally-bombing-2023", "deaths", "63", &[]);
    env.claim("c", "bajaur-rally-bombing-2023", "deaths", "54", &[]);
    env.claim(
        "a",
        "bajaur-rally-bombing-2023",
        "injured",
        "more than 200",
        &[],
    );
    env.claim("c", "bajaur-rally-bombing-2023", "injured", "200", &[]);
    insta::assert_snapshot!(env.ok(&["conflicts"]).stdout);
}
