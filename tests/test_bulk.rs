//! Bulk work: import all or nothing, export JSON/CSV/ClaimReview and the round trip.

use serde_json::Value;

use crate::common::TestEnv;

const HEADER: &str = "source,subject,property,value,date,text,unit,as_of,quote\n";

fn env_with_source() -> TestEnv {
    let env = TestEnv::init();
    env.source("ap", "2023-08-02");
    env
}

#[test]
fn import_csv_logs_every_row() {
    let env = env_with_source();
    env.write(
        "rows.csv",
        format!(
            "{HEADER}ap,bajaur-rally-bombing-2023,deaths,63,,,,,\n\
             ap,bajaur-rally-bombing-2023,injured,\"1,200\",,,,2023-08-03,\n\
             ap,bajaur-rally-bombing-2023,date,,\"July 30, 2023\",,,,\n\
             ap,bajaur-rally-bombing-2023,claimed-by,,,Islamic State,,,\n"
        ),
    );
    let r = env.ok(&["import", "rows.csv"]);
    assert_eq!(
        r.stdout.trim(),
        "Imported 4 claims from 4 rows (0 sources created, 0 statuses)"
    );
    let list = env.json(&["list"]);
    let got: Vec<(&str, &str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["property"].as_str().unwrap(),
                c["kind"].as_str().unwrap(),
                c["parsed"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("deaths", "quantity", "63"),
            ("injured", "quantity", "1200"),
            ("date", "date", "2023-07-30"),
            ("claimed-by", "text", "islamic state")
        ]
    );
    assert_eq!(list[1]["as_of"], "2023-08-03");
    assert_eq!(env.json(&["verify"])["ok"], true);
}

#[test]
fn one_bad_row_among_good_ones_writes_nothing_and_names_every_bad_row() {
    let env = env_with_source();
    env.write(
        "rows.csv",
        format!(
            "{HEADER}ap,x-2023,deaths,63,,,,,\n\
             apx,x-2023,deaths,64,,,,,\n\
             ap,x-2023,deaths,ovr 140,,,,,\n\
             ap,x-2023,deaths,,,,\n\
             ap,x-2023,deaths,63,,,,,\n\
             ap,x-2023,deaths,65,2021,,,,\n\
             ap,,deaths,66,,,,,\n"
        ),
    );
    let r = env.err(&["import", "rows.csv"]);
    let expected = [
        "rows.csv: 6 bad rows; nothing was written. Fix them and import the whole file again:",
        "  row 2 (line 3): unknown source \"apx\" (did you mean ap?)",
        "  row 3 (line 4): could not read \"ovr 140\" as a quantity",
        "  row 4 (line 5): has 7 fields where the header has 9: a field is missing or a quote is not closed",
        "  row 5 (line 6): duplicate claim: the same as row 1",
        "  row 6 (line 7): more than one of value, date and text is set; set exactly one",
        "  row 7 (line 8): missing field \"subject\"",
    ];
    for e in expected {
        assert!(r.stderr.contains(e), "missing {e:?} in:\n{}", r.stderr);
    }
    assert_eq!(env.json(&["list"]), serde_json::json!([]));
}

#[test]
fn a_row_already_in_the_ledger_is_a_duplicate() {
    let env = env_with_source();
    env.claim("ap", "x-2023", "deaths", "63", &[]);
    env.write("rows.csv", format!("{HEADER}ap,x-2023,deaths,63,,,,,\n"));
    let r = env.err(&["import", "rows.csv"]);
    assert!(
        r.stderr
            .contains("row 1 (line 2): duplicate claim: already in the ledger as"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bad_header_and_an_unknown_format_are_refused() {
    let env = env_with_source();
    env.write("rows.csv", "source,subjekt,property,value\nap,x,deaths,1\n");
    let r = env.err(&["import", "rows.csv"]);
    assert!(r.stderr.contains("unknown CSV column \"subjekt\": the header is source,subject,property,value,date,text,unit,as_of,quote"), "{}", r.stderr);
    env.write("rows.txt", "whatever");
    let r = env.err(&["import", "rows.txt"]);
    assert!(
        r.stderr.contains("cannot tell the format from the name"),
        "{}",
        r.stderr
    );
    let r = env.err(&["import", "missing.csv"]);
    assert!(r.stderr.contains("missing.csv"), "{}", r.stderr);
}

#[test]
fn create_sources_makes_bare_sources_for_unknown_ids() {
    let env = TestEnv::init();
    env.write(
        "rows.csv",
        format!("{HEADER}new-src,x-2023,deaths,63,,,,,\nnew-src,x-2023,injured,7,,,,,\n"),
    );
    env.err(&["import", "rows.csv"]);
    let r = env.ok(&["import", "rows.csv", "--create-sources"]);
    assert_eq!(
        r.stdout.trim(),
        "Imported 2 claims from 2 rows (1 source created, 0 statuses)"
    );
    let sources = env.json(&["source", "list"]);
    assert_eq!(sources[0]["id"], "new-src");
    assert_eq!(sources[0]["claims"], 2);
}

#[test]
fn ron_rows_import_and_a_broken_ron_row_is_named() {
    let env = env_with_source();
    env.write(
        "rows.ron",
        "// one row per line\n(source:\"ap\",subject:\"x-2023\",property:\"deaths\",value:\"63\")\n\n(source:\"ap\",subject:\"x-2023\",property:\"date\",date:\"July 2023\",quote:\"q\")\n",
    );
    env.ok(&["import", "rows.ron"]);
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 2);
    env.write("bad.ron", "(source:\"ap\",subject:\"y-2023\",property:\"deaths\",value:\"1\")\n(source:\"ap\",subject:\"y-2023\" property:\"deaths\")\n");
    let r = env.err(&["import", "bad.ron"]);
    assert!(
        r.stderr.contains("1 bad row; nothing was written"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("row 2 (line 2): column 31:"),
        "{}",
        r.stderr
    );
}

#[test]
fn export_json_then_import_into_a_fresh_ledger_keeps_the_ids() {
    let env = TestEnv::init();
    env.write(
        "article.txt",
        "Officials said 63 people died. Others said 54.",
    );
    env.ok(&[
        "source",
        "add",
        "ap",
        "--title",
        "AP",
        "--published",
        "2023-08-02",
        "--file",
        "article.txt",
        "--url",
        "https://example.org/a",
    ]);
    env.source("essay", "2024-04");
    let a = env.claim(
        "ap",
        "bajaur-rally-bombing-2023",
        "deaths",
        "63",
        &["--quote", "63 people died"],
    );
    let b = env.claim("essay", "bajaur-rally-bombing-2023", "deaths", "54", &[]);
    env.ok(&[
        "add",
        "--source",
        "essay",
        "--subject",
        "bajaur-rally-bombing-2023",
        "--property",
        "date",
        "--date",
        "July of 2023",
    ]);
    env.ok(&["status", &a, "verified"]);
    let export = env.ok(&["export", "--format", "json"]).stdout;
    env.write("export.json", &export);
    env.ok(&["init", "other"]);
    let r = env.ok(&["--ledger", "other", "import", "export.json"]);
    assert_eq!(
        r.stdout.trim(),
        "Imported 3 claims from 3 rows (2 sources created, 1 status)"
    );
    let ids = |ledger: &str| -> Vec<(String, String)> {
        env.json(&["--ledger", ledger, "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["full_id"].as_str().unwrap().to_string(),
                    c["status"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(ids("ledger"), ids("other"));
    assert!(ids("other")
        .iter()
        .any(|(id, st)| id.starts_with(&a) && st == "verified"));
    assert!(ids("other").iter().any(|(id, _)| id.starts_with(&b)));
    let sources: Value = env.json(&["--ledger", "other", "source", "list"]);
    assert_eq!(
        sources[0]["sha256"],
        env.json(&["source", "list"])[0]["sha256"]
    );
    assert_eq!(env.json(&["--ledger", "other", "verify"])["ok"], true);
    // Importing the same export again: every row is a duplicate, nothing is written.
    let r = env.err(&["--ledger", "other", "import", "export.json"]);
    assert!(r.stderr.contains("3 bad rows"), "{}", r.stderr);
}

#[test]
fn export_csv_neutralizes_formulas() {
    let env = env_with_source();
    for (i, text) in [
        "=HYPERLINK(\"http://x\")",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\tcmd",
        "plain",
    ]
    .iter()
    .enumerate()
    {
        env.ok(&[
            "add",
            "--source",
            "ap",
            "--subject",
            &format!("s{i}-2023"),
            "--property",
            "said",
            "--text",
            text,
            "--quote",
            text,
        ]);
    }
    let csv = env.ok(&["export", "--format", "csv"]).stdout;
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let texts: Vec<(String, String)> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[5].to_string(), r[8].to_string())
        })
        .collect();
    assert_eq!(
        texts,
        vec![
            (
                "'=HYPERLINK(\"http://x\")".into(),
                "'=HYPERLINK(\"http://x\")".into()
            ),
            ("'+1+1".into(), "'+1+1".into()),
            ("'-2+3".into(), "'-2+3".into()),
            ("'@SUM(A1)".into(), "'@SUM(A1)".into()),
            ("'\tcmd".into(), "'\tcmd".into()),
            ("plain".into(), "plain".into()),
        ]
    );
    // list --format csv is made safe the same way.
    let list = env.ok(&["list", "--format", "csv"]).stdout;
    assert!(list.contains(",\"'=HYPERLINK"), "{list}");
}

#[test]
fn claimreview_has_the_fields_aggregators_require() {
    let env = TestEnv::init();
    env.ok(&[
        "source",
        "add",
        "ap",
        "--title",
        "Bajaur toll rises",
        "--outlet",
        "Associated Press",
        "--url",
        "https://apnews.example/bajaur",
        "--published",
        "2023-08-02",
    ]);
    let a = env.claim(
        "ap",
        "bajaur-rally-bombing-2023",
        "deaths",
        "63",
        &["--quote", "63 people were killed"],
    );
    let b = env.claim("ap", "bajaur-rally-bombing-2023", "injured", "200", &[]);
    let c = env.claim("ap", "bajaur-rally-bombing-2023", "attackers", "two", &[]);
    env.ok(&[
        "status",
        &a,
        "verified",
        "--note",
        "matches the hospital list",
        "--by",
        "Ann Checker",
    ]);
    env.ok(&["status", &b, "false"]);
    assert_eq!(c.len(), 12);
    let out = env
        .ok(&[
            "export",
            "--format",
            "claimreview",
            "--org",
            "Desk",
            "--review-url",
            "https://desk.example/checks",
        ])
        .json();
    let reviews = out.as_array().unwrap();
    assert_eq!(reviews.len(), 2, "only claims with a verdict: {out:#}");
    for r in reviews {
        assert_eq!(r["@context"], "https://schema.org");
        assert_eq!(r["@type"], "ClaimReview");
        assert!(r["claimReviewed"].as_str().is_some_and(|s| !s.is_empty()));
        assert_eq!(r["author"]["@type"], "Organization");
        assert_eq!(r["author"]["name"], "Desk");
        assert_eq!(r["datePublished"], "2024-05-01");
        assert_eq!(r["reviewRating"]["@type"], "Rating");
        assert!(r["reviewRating"]["alternateName"].is_string());
        assert_eq!(r["itemReviewed"]["@type"], "Claim");
        assert_eq!(r["itemReviewed"]["author"]["name"], "Associated Press");
        assert_eq!(
            r["itemReviewed"]["appearance"]["url"],
            "https://apnews.example/bajaur"
        );
        assert_eq!(r["itemReviewed"]["datePublished"], "2023-08-02");
        assert!(r["url"]
            .as_str()
            .unwrap()
            .starts_with("https://desk.example/checks#claim-"));
    }
    assert_eq!(reviews[0]["claimReviewed"], "63 people were killed");
    assert_eq!(reviews[0]["reviewRating"]["alternateName"], "True");
    assert_eq!(reviews[0]["reviewRating"]["ratingValue"], 5);
    assert_eq!(reviews[0]["reviewBody"], "matches the hospital list");
    assert_eq!(reviews[1]["reviewRating"]["alternateName"], "False");
    assert_eq!(
        reviews[1]["claimReviewed"],
        "bajaur-rally-bombing-2023 injured: 200"
    );
    // Without --org the author is the person who set the status.
    let out = env.ok(&["export", "--format", "claimreview"]).json();
    assert_eq!(
        out[0]["author"],
        serde_json::json!({"@type": "Person", "name": "Ann Checker"})
    );
}
