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

/// The role of each claim of a finding, in the finding's (as-of) order.
fn roles(f: &Value) -> Vec<String> {
    f["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["role"].as_str().unwrap().to_string())
        .collect()
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
    assert_eq!(f[0]["pairs"][0]["relation"], "conflicting");
    assert_eq!(roles(&f[0]), vec!["conflicting", "conflicting"]);
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
    // From 30 November 2021 to 1 January 2022.
    assert_eq!(f[0]["gap"], "32 days");
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
    // A revision has nothing to explain: no pair, each step named with its direction.
    assert_eq!(f[0]["pairs"], serde_json::json!([]));
    assert_eq!(roles(&f[0]), vec!["earlier", "earlier", "consensus"]);
    let steps: Vec<(&str, &str, &str)> = f[0]["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["from"].as_str().unwrap(),
                r["to"].as_str().unwrap(),
                r["direction"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(steps, vec![("40", "60", "up"), ("60", "133", "up")]);
    assert_eq!(f[0]["revisions"][1]["date"], "2024-03-29");
    assert_eq!(f[0]["direction"], "up");
    // Low and high bracket the current figure, not the superseded counts.
    assert_eq!(f[0]["estimate"]["low"], "133");
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
    assert_eq!(roles(&f[0]), vec!["consensus", "stale"]);
    assert!(
        f[0]["summary"].as_str().unwrap().contains("(1 stale)"),
        "{}",
        f[0]["summary"]
    );
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
        r.stdout.contains("not compared: aid-2025 amount: values that do not convert are not compared with each other: 1 in PKR; 1 in USD"),
        "{}",
        r.stdout
    );
    // Units that do convert are compared: two decades against 25 years.
    env.claim("a", "war-2001", "duration", "two decades", &[]);
    env.claim("c", "war-2001", "duration", "25 years", &[]);
    let f = findings(&env);
    assert_eq!(f.len(), 1);
    // One claim each: the finer unit is the one compared in, whatever the row order.
    assert_eq!(f[0]["unit"], "year");
    let mut parsed: Vec<&str> = f[0]["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["parsed"].as_str().unwrap())
        .collect();
    parsed.sort();
    assert_eq!(parsed, vec!["20", "25"]);
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
        "finding,subject,property,kind,settled,unit,claim,source,value,parsed,as_of,status,counts,role,gap,relative_gap,low,best,high"
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

/// Adds a quantity claim current at `as_of` and returns its id.
fn at(env: &TestEnv, source: &str, subject: &str, value: &str, as_of: &str) -> String {
    env.claim(source, subject, "deaths", value, &["--as-of", as_of])
}

/// The role of the claim with this id.
fn role_of(f: &Value, id: &str) -> String {
    f["claims"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {f:#}"))["role"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A ledger with these sources, published after every as-of the tests give.
fn sources(ids: &[&str]) -> TestEnv {
    let env = TestEnv::init();
    for id in ids {
        env.source(id, "2025");
    }
    env
}

#[test]
fn peshawar_a_toll_the_police_revised_down_to_84_is_best_and_a_later_over_100_is_stale() {
    let env = sources(&[
        "dawn",
        "geo",
        "reuters",
        "ap",
        "aljazeera",
        "bbc",
        "police",
        "tribune",
        "later",
    ]);
    let s = "peshawar-mosque-bombing-2023";
    let first_day: Vec<String> = [
        ("dawn", "17"),
        ("geo", "34"),
        ("reuters", "50"),
        ("ap", "59"),
        ("aljazeera", "83"),
    ]
    .iter()
    .map(|(src, v)| at(&env, src, s, v, "2023-01-30"))
    .collect();
    let hundred = at(&env, "reuters", s, "100", "2023-01-31");
    let hundred_one = at(&env, "bbc", s, "101", "2023-02-01");
    let police = at(&env, "police", s, "84", "2023-02-02");
    let confirmed = at(&env, "tribune", s, "84", "2023-02-03");
    let over_100 = at(&env, "later", s, "over 100", "2023-02-09");
    let f = findings(&env);
    assert_eq!(f.len(), 1, "one finding per figure: {f:#?}");
    let f = &f[0];
    assert_eq!(f["estimate"]["best"], "84", "no verdict set: {f:#}");
    assert_eq!(f["estimate"]["undetermined"], false);
    assert_eq!(
        f["estimate"]["support"],
        serde_json::json!(["police", "tribune"])
    );
    assert_eq!(role_of(f, &hundred_one), "earlier");
    assert_eq!(role_of(f, &hundred), "earlier");
    assert_eq!(role_of(f, &over_100), "stale");
    assert_eq!(role_of(f, &police), "consensus");
    assert_eq!(role_of(f, &confirmed), "consensus");
    for id in &first_day {
        assert_eq!(
            role_of(f, id),
            "earlier",
            "first-day counts do not conflict with 84"
        );
    }
    // The only claim that has to be wrong is the late "over 100", one line.
    let pairs = f["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:#?}");
    assert_eq!(pairs[0]["a"], over_100.as_str());
    assert_eq!(pairs[0]["relation"], "stale");
    assert_eq!(
        pairs[0]["explanation"],
        "over 100 (later, 2023-02-09) repeats 101 (bbc, 2023-02-01), a figure revised down to 84 on 2023-02-02"
    );
    let down: Vec<_> = f["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["direction"] == "down")
        .collect();
    assert_eq!(down.len(), 1);
    assert_eq!(down[0]["from"], "101");
    assert_eq!(down[0]["to"], "84");
    assert_eq!(down[0]["date"], "2023-02-02");
    // Claims listed in as-of order.
    let dates: Vec<&str> = f["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["as_of"].as_str().unwrap())
        .collect();
    let mut sorted_dates = dates.clone();
    sorted_dates.sort();
    assert_eq!(dates, sorted_dates);
}

#[test]
fn crocus_one_early_150_is_an_outlier_and_the_count_that_rose_to_144_is_best() {
    let env = sources(&["tg", "emercom", "tass", "rt", "meduza"]);
    let s = "crocus-city-hall-attack-2024";
    let tg = at(&env, "tg", s, "150", "2024-03-23");
    let ids = [
        at(&env, "emercom", s, "133", "2024-03-23"),
        at(&env, "tass", s, "139", "2024-03-24"),
        at(&env, "emercom", s, "143", "2024-03-26"),
        at(&env, "tass", s, "144", "2024-03-27"),
        at(&env, "rt", s, "144", "2024-03-29"),
        at(&env, "meduza", s, "over 140", "2024-03-30"),
    ];
    let f = findings(&env);
    assert_eq!(f.len(), 1, "{f:#?}");
    let f = &f[0];
    assert_eq!(f["kind"], "conflict");
    assert_eq!(role_of(f, &tg), "outlier");
    let roles: Vec<String> = ids.iter().map(|id| role_of(f, id)).collect();
    assert_eq!(
        roles,
        [
            "earlier",
            "earlier",
            "earlier",
            "consensus",
            "consensus",
            "consensus"
        ]
    );
    assert_eq!(f["estimate"]["best"], "144");
    let pairs = f["pairs"].as_array().unwrap();
    assert_eq!(
        pairs.len(),
        1,
        "one line for the one claim that has to be wrong: {pairs:#?}"
    );
    assert_eq!(
        pairs[0]["explanation"],
        "150 (tg, 2024-03-23) is at odds with 6 claims from 4 sources between 2024-03-23 and 2024-03-30, which agree on 144 (tass, 2024-03-27)"
    );
    let ups: Vec<(&str, &str)> = f["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["to"].as_str().unwrap(), r["direction"].as_str().unwrap()))
        .collect();
    assert_eq!(ups, vec![("139", "up"), ("143", "up"), ("144", "up")]);
}

#[test]
fn bajaur_44_then_63_is_a_revision_and_54_written_in_2024_is_stale() {
    let env = sources(&["xinhua", "ap", "seed"]);
    let s = "bajaur-rally-bombing-2023";
    let x = at(&env, "xinhua", s, "44", "2023-07-31");
    let y = at(&env, "ap", s, "63", "2023-08-02");
    let z = at(&env, "seed", s, "54", "2024-04");
    let f = findings(&env);
    assert_eq!(f.len(), 1);
    let f = &f[0];
    assert_eq!(
        [role_of(f, &x), role_of(f, &y), role_of(f, &z)],
        ["earlier", "consensus", "stale"]
    );
    assert_eq!(f["revisions"][0]["from"], "44");
    assert_eq!(f["revisions"][0]["to"], "63");
    assert_eq!(f["revisions"][0]["direction"], "up");
    assert_eq!(f["estimate"]["best"], "63");
    assert_eq!(f["pairs"].as_array().unwrap().len(), 1);
    assert_eq!(
        f["pairs"][0]["b"],
        y.as_str(),
        "measured against the 63 it contradicts"
    );
}

#[test]
fn two_sources_the_same_day_10_and_20_are_conflicting_and_the_best_is_undetermined() {
    let env = sources(&["a", "b"]);
    let x = at(&env, "a", "clash-2024", "10", "2024-05-01");
    let y = at(&env, "b", "clash-2024", "20", "2024-05-01");
    let f = findings(&env);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["kind"], "conflict");
    assert_eq!(
        [role_of(&f[0], &x), role_of(&f[0], &y)],
        ["conflicting", "conflicting"]
    );
    let e = &f[0]["estimate"];
    assert_eq!(e["undetermined"], true);
    assert_eq!(e["best"], Value::Null, "a tie is said, not guessed");
    assert_eq!(
        (e["low"].as_str(), e["high"].as_str()),
        (Some("10"), Some("20"))
    );
    let r = env.findings(&["conflicts", "--exit-code"]);
    assert!(r.stdout.contains("best undetermined"), "{}", r.stdout);
}

#[test]
fn a_verified_claim_decides_the_best_and_the_other_side_becomes_an_outlier() {
    let env = sources(&["a", "b"]);
    let x = at(&env, "a", "clash-2024", "10", "2024-05-01");
    let y = at(&env, "b", "clash-2024", "20", "2024-05-01");
    env.ok(&["status", &y, "verified", "--evidence", "morgue list"]);
    let f = &findings(&env)[0];
    assert_eq!(f["estimate"]["best"], "20");
    assert_eq!(f["estimate"]["undetermined"], false);
    assert_eq!(f["estimate"]["basis"], format!("verified claim {y}"));
    assert_eq!([role_of(f, &x), role_of(f, &y)], ["outlier", "consensus"]);
    assert!(f["pairs"][0]["explanation"]
        .as_str()
        .unwrap()
        .contains("at odds with verified claim 20 (b, 2024-05-01)"));
}

#[test]
fn claims_marked_false_or_retracted_never_cause_a_warning() {
    let env = sources(&["a", "b", "c"]);
    let s = "bajaur-rally-bombing-2023";
    at(&env, "a", s, "63", "2023-08-02");
    let wrong = at(&env, "b", s, "54", "2023-08-02");
    env.ok(&["status", &wrong, "false", "--note", "typo"]);
    // Agrees with every claim that counts: no warning, though it differs from the false one.
    let r = env.ok(&[
        "add",
        "--source",
        "c",
        "--subject",
        s,
        "--property",
        "deaths",
        "--value",
        "63",
        "--as-of",
        "2023-08-02",
    ]);
    assert!(!r.stderr.contains("conflict"), "{}", r.stderr);
    // Supersede a typo: the new claim never warns about the claim it retracts.
    let typo = at(&env, "c", "other-2023", "6", "2023-08-02");
    let r = env.ok(&[
        "add",
        "--source",
        "c",
        "--subject",
        "other-2023",
        "--property",
        "deaths",
        "--value",
        "60",
        "--as-of",
        "2023-08-02",
        "--supersedes",
        &typo,
    ]);
    assert!(!r.stderr.contains("conflict"), "{}", r.stderr);
    assert_eq!(
        env.json(&["conflicts", "--subject", "other-2023"])[0]["settled"],
        true
    );
}

#[test]
fn add_warns_only_when_the_new_claim_itself_is_at_odds() {
    let env = sources(&["a", "b", "c", "d"]);
    let s = "clash-2024";
    at(&env, "a", s, "10", "2024-05-01");
    at(&env, "b", s, "10", "2024-05-01");
    let odd = env.run(&[
        "add",
        "--source",
        "c",
        "--subject",
        s,
        "--property",
        "deaths",
        "--value",
        "20",
        "--as-of",
        "2024-05-01",
    ]);
    assert!(odd.stderr.contains("warning: conflict on clash-2024 deaths: 20 (c, 2024-05-01) is at odds with 2 claims from 2 sources"), "{}", odd.stderr);
    // The figure already holds a conflict; a claim agreeing with the consensus adds none.
    let r = env.ok(&[
        "add",
        "--source",
        "d",
        "--subject",
        s,
        "--property",
        "deaths",
        "--value",
        "10",
        "--as-of",
        "2024-05-01",
    ]);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
}

#[test]
fn text_values_get_a_best_weighed_like_numbers() {
    let env = sources(&["a", "b", "c"]);
    for (src, text) in [
        ("a", "Islamic State–Khorasan"),
        ("b", "islamic state  khorasan."),
        ("c", "TTP"),
    ] {
        env.ok(&[
            "add",
            "--source",
            src,
            "--subject",
            "attack-2024",
            "--property",
            "claimed-by",
            "--text",
            text,
        ]);
    }
    let f = &findings(&env)[0];
    let best = f["estimate"]["best"].as_str().unwrap();
    assert!(
        ["Islamic State–Khorasan", "islamic state  khorasan."].contains(&best),
        "{best}"
    );
    assert_eq!(f["estimate"]["support"], serde_json::json!(["a", "b"]));
    assert_eq!(
        f["claims"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["role"] == "outlier")
            .count(),
        1
    );
}

#[test]
fn times_of_day_differ_by_minutes_not_days() {
    let env = sources(&["a", "b"]);
    for (src, when) in [("a", "2011-12-04 09:10"), ("b", "2011-12-04 12:10")] {
        env.ok(&[
            "add",
            "--source",
            src,
            "--subject",
            "drone-2011",
            "--property",
            "time",
            "--date",
            when,
        ]);
    }
    let f = &findings(&env)[0];
    assert_eq!(f["gap"], "180 minutes");
    assert_eq!(f["estimate"]["low"], "2011-12-04 09:10");
    assert_eq!(f["estimate"]["high"], "2011-12-04 12:10");
}

#[test]
fn figures_too_large_to_add_do_not_panic() {
    let env = sources(&["a", "b", "c"]);
    at(
        &env,
        "a",
        "huge-2024",
        "79228162514264337593543950335",
        "2024-01-01",
    );
    at(
        &env,
        "b",
        "huge-2024",
        "79228162514264337593543950334",
        "2024-01-01",
    );
    env.claim(
        "c",
        "huge-2024",
        "duration",
        "40000000000000000000 centuries",
        &[],
    );
    env.claim("a", "huge-2024", "duration", "3 days", &[]);
    let f = findings(&env);
    let deaths = f
        .iter()
        .find(|x| x["property"] == "deaths")
        .expect("deaths finding");
    assert_eq!(deaths["estimate"]["undetermined"], true);
    assert_eq!(deaths["gap"], "1");
    assert!(f.iter().any(|x| x["property"] == "duration"), "{f:#?}");
}

#[test]
fn the_estimate_does_not_depend_on_the_order_of_rows() {
    let rows = [
        "a,fig-1,deaths,10,,,,,",
        "b,fig-1,deaths,10,,,,,",
        "c,fig-1,deaths,12,,,,,",
        "c,fig-2,deaths,7,,,,,",
        "a,fig-2,deaths,9,,,,,",
        "b,fig-2,deaths,7,,,,,",
        "a,fig-3,deaths,5,,,,,",
        "c,fig-3,deaths,6,,,,,",
    ];
    let run = |order: Vec<&str>| {
        let env = TestEnv::init();
        let csv = format!(
            "source,subject,property,value,date,text,unit,as_of,quote\n{}\n",
            order.join("\n")
        );
        let path = env.write("rows.csv", csv);
        env.ok(&["import", path.to_str().unwrap(), "--create-sources"]);
        let f = findings(&env);
        f.iter()
            .map(|x| {
                (
                    x["subject"].to_string(),
                    x["estimate"]["best"].to_string(),
                    roles(x),
                )
            })
            .collect::<Vec<_>>()
    };
    let forward = run(rows.to_vec());
    let backward = run(rows.iter().rev().copied().collect());
    assert_eq!(forward, backward);
    // fig-3 is decided by trust: c agreed with the majority elsewhere less often than a.
    assert_eq!(forward.len(), 3, "{forward:?}");
}

#[test]
fn source_list_shows_learned_trust_and_agreement() {
    let env = sources(&["good", "bad", "other"]);
    for (n, s) in ["f1", "f2", "f3"].iter().enumerate() {
        at(&env, "good", s, "10", "2024-05-01");
        at(&env, "other", s, "10", "2024-05-01");
        let b = at(&env, "bad", s, &format!("{}", 20 + n), "2024-05-01");
        if n == 0 {
            env.ok(&["status", &b, "false"]);
        }
    }
    let list = env.json(&["source", "list"]);
    let get = |id: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()
            .clone()
    };
    let (good, bad) = (get("good"), get("bad"));
    assert!(
        good["trust"].as_f64().unwrap() > bad["trust"].as_f64().unwrap(),
        "{list:#}"
    );
    assert_eq!(
        (good["agree"].as_u64(), good["compared"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(
        (bad["agree"].as_u64(), bad["compared"].as_u64()),
        (Some(0), Some(2))
    );
    let table = env.ok(&["source", "list"]).stdout;
    assert!(
        table.contains("trust") && table.contains("agree"),
        "{table}"
    );
}

#[test]
fn show_names_the_claims_role_in_its_finding_and_why_it_is_wrong() {
    let env = sources(&["xinhua", "ap", "seed"]);
    let s = "bajaur-rally-bombing-2023";
    at(&env, "xinhua", s, "44", "2023-07-31");
    at(&env, "ap", s, "63", "2023-08-02");
    let z = at(&env, "seed", s, "54", "2024-04");
    let out = env.ok(&["show", &z]).stdout;
    assert!(out.contains("finding: conflict on bajaur-rally-bombing-2023 deaths: 1 claim of 3 at odds with the rest (1 stale); best 63"), "{out}");
    assert!(
        out.contains(
            "  this claim: stale\n  - 54 (seed, 2024-04) is lower than 63 (ap, 2023-08-02)"
        ),
        "{out}"
    );
    let json = env.json(&["show", &z]);
    assert_eq!(json["findings"][0]["estimate"]["best"], "63");
}
