//! The shipped ledger: it verifies, it shows the findings inside the seeds, and it is
//! what `ledger/build.sh` makes from the seed files with the CLI.

use std::path::PathBuf;

use serde_json::Value;

use crate::common::TestEnv;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped(env: &TestEnv, args: &[&str]) -> Value {
    let ledger = repo().join("ledger");
    let mut a = vec!["--ledger", ledger.to_str().unwrap()];
    a.extend_from_slice(args);
    env.json(&a)
}

fn finding<'a>(all: &'a [Value], subject: &str, property: &str, kind: &str) -> &'a Value {
    all.iter()
        .find(|f| f["subject"] == subject && f["property"] == property && f["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} on {subject} {property} in {all:#?}"))
}

fn values(f: &Value) -> Vec<(String, String)> {
    f["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["source"].as_str().unwrap().to_string(),
                c["value"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn roles(f: &Value) -> Vec<&str> {
    f["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["role"].as_str().unwrap())
        .collect()
}

#[test]
fn the_shipped_ledger_shows_the_findings_inside_the_seeds() {
    let env = TestEnv::new();
    let all = shipped(&env, &["conflicts"]);
    let all = all.as_array().unwrap();

    let ttp = finding(all, "ttp-ceasefire-2021", "date", "conflict");
    let v = values(ttp);
    assert!(
        v.contains(&("seed-001".into(), "In November last year".into())),
        "{v:?}"
    );
    assert!(v.contains(&("seed-003".into(), "2022".into())), "{v:?}");
    let parsed: Vec<&str> = ttp["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["parsed"].as_str().unwrap())
        .collect();
    assert!(
        parsed.contains(&"2021-11") && parsed.contains(&"2022"),
        "{parsed:?}"
    );

    // One finding per figure: the Bajaur toll's revision (44 -> 63) and the stale 54
    // written in 2024 are one timeline, not a conflict and a revision side by side.
    let bajaur = finding(all, "bajaur-rally-bombing-2023", "deaths", "conflict");
    assert_eq!(
        all.iter()
            .filter(|f| f["subject"] == "bajaur-rally-bombing-2023" && f["property"] == "deaths")
            .count(),
        1
    );
    assert_eq!(
        values(bajaur),
        vec![
            ("xinhua-2023-07-31".into(), "44".into()),
            ("ap-2023-08-02".into(), "63".into()),
            ("seed-003".into(), "54".into())
        ]
    );
    assert_eq!(roles(bajaur), vec!["earlier", "consensus", "stale"]);
    assert_eq!(bajaur["pairs"].as_array().unwrap().len(), 1);
    assert_eq!(bajaur["pairs"][0]["relation"], "stale");
    assert_eq!(bajaur["estimate"]["best"], "63");
    assert_eq!(bajaur["settled"], false);

    // Crocus: the toll rose from 133 to 144; "over 140" agrees with it.
    let crocus = finding(all, "crocus-city-hall-attack-2024", "deaths", "revision");
    assert_eq!(
        values(crocus),
        vec![
            ("emercom-2024-03-24".into(), "133".into()),
            ("rt-2024-03-29".into(), "144".into()),
            ("seed-003".into(), "over 140".into())
        ]
    );
    assert_eq!(roles(crocus), vec!["earlier", "consensus", "consensus"]);
    assert_eq!(crocus["estimate"]["best"], "144");
    assert_eq!(crocus["revisions"][0]["direction"], "up");

    // Worst first: the first finding is an unsettled conflict.
    assert_eq!(all[0]["kind"], "conflict");
}

#[test]
fn the_shipped_ledger_verifies() {
    let env = TestEnv::new();
    let ledger = repo().join("ledger");
    let r = env.ok(&["--ledger", ledger.to_str().unwrap(), "verify"]);
    assert!(r.stdout.starts_with("ok: "), "{}", r.stdout);
    let v = shipped(&env, &["verify"]);
    assert_eq!(v["ok"], true);
    assert_eq!(v["sources"], 9);
    assert_eq!(v["files_checked"], 5);
    assert_eq!(
        v["sources_without_file"],
        serde_json::json!([
            "xinhua-2023-07-31",
            "ap-2023-08-02",
            "emercom-2024-03-24",
            "rt-2024-03-29"
        ])
    );
    assert_eq!(
        v["quotes_checked"],
        v["claims"].as_u64().unwrap() - 6,
        "every seed claim's quote checks"
    );
}

#[test]
fn inferred_publication_dates_say_so() {
    let env = TestEnv::new();
    let sources = shipped(&env, &["source", "list"]);
    let by_id = |id: &str| {
        sources
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(by_id("seed-001")["published"], "2022-05");
    assert!(by_id("seed-001")["published_note"]
        .as_str()
        .unwrap()
        .contains("inferred"));
    assert_eq!(by_id("seed-002")["published"], "2025");
    assert_eq!(by_id("seed-004")["published"], "2026-01-10");
    assert_eq!(by_id("seed-004")["published_note"], Value::Null);
}

#[test]
fn the_shipped_ledger_is_what_the_build_script_makes() {
    let env = TestEnv::new();
    let out = env.root().join("rebuilt");
    let status = std::process::Command::new("bash")
        .arg(repo().join("ledger/build.sh"))
        .arg(&out)
        .env("FACTLEDGER", assert_cmd::cargo::cargo_bin("factledger"))
        .env_remove("FACTLEDGER_NOW")
        .env_remove("FACTLEDGER_USER")
        .output()
        .expect("run build.sh");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let rebuilt = std::fs::read(out.join("log.ron")).unwrap();
    let shipped = std::fs::read(repo().join("ledger/log.ron")).unwrap();
    assert!(
        rebuilt == shipped,
        "ledger/log.ron is not what ledger/build.sh makes: run `bash ledger/build.sh`"
    );
}
