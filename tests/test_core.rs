//! The ledger core: init, sources, add, status, list, show, verify, the log's chain and
//! its torn tail.

use std::collections::HashMap;

use assert_cmd::Command;
use factledger_core::model::{claim_id, ClaimContent};
use serde_json::{json, Value};

use crate::common::{assert_has, Run, TestEnv, NOW};

/// The text of the local copy of source `apx` (`docs/ap.txt`).
const AP_TEXT: &str =
    "Officials said at least 63 people were killed in the blast.\nThe rally drew thousands.\n";
/// `sha256sum` of [`AP_TEXT`].
const AP_SHA256: &str = "01674e4e33476d2cdd4f47aec686b051f39f9f3dfa4369439aed95cb40248e52";
/// A quote that occurs in [`AP_TEXT`].
const AP_QUOTE: &str = "at least 63 people were killed";

// ---------------------------------------------------------------------------------------
// Helpers

/// Runs a prepared command (from [`TestEnv::cmd`], with a changed directory or
/// environment) and returns what happened.
fn run_cmd(mut cmd: Command) -> Run {
    let out = cmd.output().expect("run factledger");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// Asserts a run's exit code, showing its output when it differs.
fn expect_code(r: &Run, code: i32, what: &str) {
    assert_eq!(
        r.code, code,
        "{what} exited {} (expected {code})\nstdout:\n{}\nstderr:\n{}",
        r.code, r.stdout, r.stderr
    );
}

/// Whether `id` is 12 lowercase hex digits.
fn is_short_id(id: &str) -> bool {
    id.len() == 12
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A ledger with source `apx` (published 2023-07-31, local file `docs/ap.txt`) and source
/// `bbc` (published 2023, no file). Log lines: 1 the header, 2 `apx`, 3 `bbc`.
fn two_sources() -> TestEnv {
    let env = TestEnv::init();
    env.write("docs/ap.txt", AP_TEXT);
    env.ok(&[
        "source",
        "add",
        "apx",
        "--title",
        "AP story",
        "--published",
        "2023-07-31",
        "--file",
        "docs/ap.txt",
    ]);
    env.source("bbc", "2023");
    env
}

/// The log as text.
fn log_text(env: &TestEnv) -> String {
    String::from_utf8(env.log_bytes()).expect("log is UTF-8")
}

/// Replaces the log's contents.
fn set_log(env: &TestEnv, text: &str) {
    std::fs::write(env.log_path(), text).expect("write log");
}

/// The 1-based number of the only log line containing `needle`.
fn line_of(env: &TestEnv, needle: &str) -> usize {
    let text = log_text(env);
    let hits: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "{needle:?} is on lines {hits:?} of the log:\n{text}"
    );
    hits[0]
}

/// Replaces `from` with `to` in line `line` (1-based) of the log, once.
fn edit_line(env: &TestEnv, line: usize, from: &str, to: &str) {
    let text = log_text(env);
    let mut lines: Vec<String> = text.split('\n').map(String::from).collect();
    assert!(
        lines[line - 1].contains(from),
        "line {line} has no {from:?}: {}",
        lines[line - 1]
    );
    lines[line - 1] = lines[line - 1].replacen(from, to, 1);
    set_log(env, &lines.join("\n"));
}

/// `(line, kind)` of every problem in a `verify --format json` report.
fn problems(report: &Value) -> Vec<(Option<u64>, String)> {
    report["problems"]
        .as_array()
        .expect("problems is an array")
        .iter()
        .map(|p| {
            (
                p["line"].as_u64(),
                p["kind"].as_str().expect("kind").to_string(),
            )
        })
        .collect()
}

/// Runs `verify --format json` expecting exit 1 and returns the report, checking that
/// verify did not touch the log.
fn verify_findings(env: &TestEnv) -> Value {
    let before = env.log_bytes();
    let report = env.findings(&["verify", "--format", "json"]).json();
    assert_eq!(report["ok"], false, "{report:#}");
    assert_eq!(env.log_bytes(), before, "verify changed the log");
    report
}

/// The ids of the claims in a `list --format json` array, in order.
fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("list is an array")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

/// The number of entries in the log (lines that are neither blank nor comments).
fn count_entries(env: &TestEnv) -> usize {
    log_text(env)
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
        .count()
}

// ---------------------------------------------------------------------------------------
// init and finding the ledger

#[test]
fn add_prints_the_claim_id_and_list_shows_it() {
    let env = TestEnv::init();
    env.source("ap", "2023-08-02");
    let id = env.claim("ap", "bajaur-rally-bombing-2023", "deaths", "63", &[]);
    let list = env.json(&["list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["source"], "ap");
    assert_eq!(list[0]["value"], "63");
    assert_eq!(list[0]["status"], "unverified");
}

#[test]
fn init_creates_an_empty_ledger_and_a_second_init_is_refused() {
    let env = TestEnv::new();
    let r = env.ok(&["init"]);
    assert!(
        r.stdout.starts_with("Initialized empty ledger in ") && r.stdout.ends_with("ledger\n"),
        "{}",
        r.stdout
    );
    assert!(env.log_path().is_file());
    assert!(env.ledger_dir().join("config.ron").is_file());
    assert_eq!(count_entries(&env), 0);
    assert_eq!(env.json(&["list"]), json!([]));
    assert_eq!(env.json(&["source", "list"]), json!([]));
    let report = env.json(&["verify"]);
    assert_eq!(
        (report["ok"].clone(), report["entries"].clone()),
        (json!(true), json!(0))
    );

    env.source("ap", "2023");
    let r = env.err(&["init"]);
    assert_has(
        &r.stderr,
        "already holds a ledger (log.ron exists); nothing was changed",
    );
    // The source added before is still there.
    assert_eq!(ids(&env.json(&["source", "list"])), ["ap"]);
}

#[test]
fn init_dir_and_the_ledger_flag_and_factledger_dir_name_the_same_ledger() {
    let env = TestEnv::new();
    env.ok(&["init", "books"]);
    assert!(env.root().join("books/log.ron").is_file());
    let r = env.ok(&["--ledger", "books", "source", "add", "ap", "--title", "AP"]);
    assert_eq!(r.stdout, "ap\n");
    // The flag may come after the subcommand too.
    let r = env.ok(&["source", "list", "--ledger", "books", "--format", "json"]);
    assert_eq!(ids(&r.json()), ["ap"]);

    let mut c = env.cmd(&["source", "list", "--format", "json"]);
    c.env("FACTLEDGER_DIR", env.root().join("books"));
    let r = run_cmd(c);
    expect_code(&r, 0, "FACTLEDGER_DIR=books source list");
    assert_eq!(ids(&r.json()), ["ap"]);

    // --ledger wins over FACTLEDGER_DIR.
    env.ok(&["init", "other"]);
    let mut c = env.cmd(&["--ledger", "books", "source", "list", "--format", "json"]);
    c.env("FACTLEDGER_DIR", env.root().join("other"));
    let r = run_cmd(c);
    expect_code(&r, 0, "--ledger books with FACTLEDGER_DIR=other");
    assert_eq!(ids(&r.json()), ["ap"]);

    // `init` with --ledger creates that directory.
    env.ok(&["--ledger", "third", "init"]);
    assert!(env.root().join("third/log.ron").is_file());

    // Neither given, and no ./ledger: nothing is found.
    let r = env.err(&["source", "list"]);
    assert_has(&r.stderr, "no ledger found in");
}

#[test]
fn the_ledger_is_found_from_a_nested_directory() {
    let env = TestEnv::init();
    env.source("ap", "2023");
    let first = env.claim("ap", "bajaur", "deaths", "63", &[]);
    let nested = env.root().join("notes/2023/july");
    std::fs::create_dir_all(&nested).unwrap();

    let mut c = env.cmd(&["list", "--format", "json"]);
    c.current_dir(&nested);
    let r = run_cmd(c);
    expect_code(&r, 0, "list from a nested directory");
    assert_eq!(ids(&r.json()), [first.as_str()]);

    let mut c = env.cmd(&[
        "add",
        "--source",
        "ap",
        "--subject",
        "bajaur",
        "--property",
        "injured",
        "--value",
        "120",
    ]);
    c.current_dir(&nested);
    let r = run_cmd(c);
    expect_code(&r, 0, "add from a nested directory");
    let second = r.stdout.trim().to_string();
    assert!(is_short_id(&second), "{:?}", r.stdout);
    // It went to the workspace's ledger, not a new one.
    assert!(!nested.join("ledger").exists());
    assert_eq!(ids(&env.json(&["list"])), [first, second]);
}

// ---------------------------------------------------------------------------------------
// sources

#[test]
fn source_add_records_the_file_hash_partial_dates_and_notes() {
    let env = TestEnv::init();
    env.write("docs/ap.txt", AP_TEXT);
    let r = env.ok(&[
        "source",
        "add",
        "apx",
        "--title",
        "AP story",
        "--outlet",
        "Associated Press",
        "--author",
        "Riaz Khan",
        "--url",
        "https://apnews.com/x",
        "--published",
        "2022-05",
        "--published-note",
        "inferred: from the url",
        "--file",
        "docs/ap.txt",
    ]);
    assert_eq!(r.stdout, "apx\n");
    env.ok(&[
        "source",
        "add",
        "bbc",
        "--title",
        "BBC",
        "--published",
        "2022",
    ]);
    env.ok(&[
        "source",
        "add",
        "dawn",
        "--title",
        "Dawn",
        "--published",
        "2022-05-03",
    ]);
    env.ok(&["source", "add", "undated", "--title", "No date"]);

    let list = env.json(&["source", "list"]);
    assert_eq!(
        list,
        json!([
            {
                "id": "apx", "title": "AP story", "outlet": "Associated Press",
                "author": "Riaz Khan", "url": "https://apnews.com/x",
                "published": "2022-05", "published_raw": "2022-05",
                "published_note": "inferred: from the url",
                "file": "docs/ap.txt", "sha256": AP_SHA256, "claims": 0
            },
            {
                "id": "bbc", "title": "BBC", "outlet": null, "author": null, "url": null,
                "published": "2022", "published_raw": "2022", "published_note": null,
                "file": null, "sha256": null, "claims": 0
            },
            {
                "id": "dawn", "title": "Dawn", "outlet": null, "author": null, "url": null,
                "published": "2022-05-03", "published_raw": "2022-05-03", "published_note": null,
                "file": null, "sha256": null, "claims": 0
            },
            {
                "id": "undated", "title": "No date", "outlet": null, "author": null, "url": null,
                "published": null, "published_raw": null, "published_note": null,
                "file": null, "sha256": null, "claims": 0
            }
        ])
    );

    // The claim count follows the claims.
    env.claim("bbc", "bajaur", "deaths", "54", &[]);
    let list = env.json(&["source", "list"]);
    assert_eq!(list[1]["claims"], 1);

    // The table marks an inferred date.
    let table = env.ok(&["source", "list"]).stdout;
    assert_has(&table, "2022-05 (inferred)");
    assert_has(&table, "docs/ap.txt");
    assert!(table.ends_with("4 sources\n"), "{table}");
}

#[test]
fn source_add_refuses_bad_input() {
    let env = TestEnv::init();
    env.source("ap", "2023");
    let r = env.err(&["source", "add", "ap", "--title", "Again"]);
    assert_has(
        &r.stderr,
        "source \"ap\" already exists (line 2 of the log)",
    );
    let r = env.err(&["source", "add", "Bad Id", "--title", "T"]);
    assert_has(&r.stderr, "source id \"Bad Id\" is not a slug");
    let r = env.err(&[
        "source",
        "add",
        "x",
        "--title",
        "T",
        "--published",
        "2022-13",
    ]);
    assert_has(
        &r.stderr,
        "--published: could not read \"2022-13\" as a date",
    );
    let r = env.err(&[
        "source",
        "add",
        "x",
        "--title",
        "T",
        "--file",
        "missing.txt",
    ]);
    assert_has(&r.stderr, "cannot read --file");
    assert_has(&r.stderr, "missing.txt");
    let r = env.err(&["source", "add", "x", "--title", " "]);
    assert_has(&r.stderr, "--title is empty");
    assert_eq!(ids(&env.json(&["source", "list"])), ["ap"]);
}

// ---------------------------------------------------------------------------------------
// add

#[test]
fn add_prints_only_the_id_and_records_every_field() {
    let env = two_sources();
    let r = env.ok(&[
        "add",
        "--source",
        "apx",
        "--subject",
        "bajaur-rally-bombing-2023",
        "--property",
        "deaths",
        "--value",
        "63",
        "--unit",
        "people",
        "--as-of",
        "2023-08-01",
        "--quote",
        AP_QUOTE,
        "--by",
        "alice",
        "--note",
        "toll from officials",
    ]);
    let id = r.stdout.trim_end_matches('\n');
    assert_eq!(r.stdout, format!("{id}\n"), "add prints the id alone");
    assert!(is_short_id(id), "{:?}", r.stdout);

    let shown = env.json(&["show", id]);
    let c = &shown["claim"];
    assert_eq!(c["id"], id);
    let full = c["full_id"].as_str().unwrap();
    assert!(full.len() == 64 && full.starts_with(id), "{full}");
    for (field, want) in [
        ("source", "apx"),
        ("subject", "bajaur-rally-bombing-2023"),
        ("property", "deaths"),
        ("kind", "quantity"),
        ("value", "63"),
        ("unit", "people"),
        ("as_of", "2023-08-01"),
        ("quote", AP_QUOTE),
        ("note", "toll from officials"),
        ("status", "unverified"),
        ("by", "alice"),
        ("at", NOW),
    ] {
        assert_eq!(c[field], want, "field {field} of {c:#}");
    }
    assert_eq!(c["supersedes"], Value::Null);
    assert_eq!(c["line"], 4);
    assert_eq!(shown["source"]["id"], "apx");
    assert_eq!(shown["history"], json!([]));

    // --date and --text.
    let d = env.ok(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "bajaur-rally-bombing-2023",
        "--property",
        "date",
        "--date",
        "2023-07",
    ]);
    let t = env.ok(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "bajaur-rally-bombing-2023",
        "--property",
        "venue",
        "--text",
        "A JUI-F rally",
    ]);
    let list = env.json(&["list"]);
    assert_eq!(ids(&list), [id, d.stdout.trim(), t.stdout.trim()]);
    assert_eq!(list[1]["kind"], "date");
    assert_eq!(list[1]["value"], "2023-07");
    assert_eq!(list[1]["start"], "2023-07-01T00:00");
    assert_eq!(list[1]["end"], "2023-08-01T00:00");
    assert_eq!(list[1]["by"], "tester");
    assert_eq!(list[2]["kind"], "text");
    assert_eq!(list[2]["value"], "A JUI-F rally");
    assert_eq!(count_entries(&env), 5);
}

#[test]
fn the_claim_id_depends_on_the_claim_alone() {
    let claim = [
        "add",
        "--source",
        "ap",
        "--subject",
        "bajaur",
        "--property",
        "deaths",
        "--value",
        "63",
        "--quote",
        "63 killed",
    ];
    let a = TestEnv::init();
    a.source("ap", "2023-07-31");
    let id_a = a.ok(&claim).stdout;

    // Another ledger, other entries before it, another time and author: the same id.
    let mut b = TestEnv::init();
    b.set_now("2025-01-02T03:04:05Z");
    b.source("zz", "2020");
    b.source("ap", "2023-07-31");
    b.claim("zz", "other", "deaths", "1", &[]);
    let mut with_by = claim.to_vec();
    with_by.extend(["--by", "someone-else", "--note", "a note is not content"]);
    let id_b = b.ok(&with_by).stdout;
    assert_eq!(id_a, id_b);
    assert!(is_short_id(id_a.trim()));

    // Any change of content changes it.
    let other_value = a.claim("ap", "bajaur", "deaths", "64", &["--quote", "63 killed"]);
    let no_quote = a.claim("ap", "bajaur", "deaths", "63", &[]);
    let ids = [id_a.trim(), &other_value, &no_quote];
    assert!(
        ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2],
        "{ids:?}"
    );
}

#[test]
fn add_supersedes_retracts_the_old_claim_and_links_the_new_one() {
    let env = two_sources();
    let old = env.claim("bbc", "bajaur", "deaths", "45", &[]);
    let entries = count_entries(&env);
    let new = env.claim(
        "bbc",
        "bajaur",
        "deaths",
        "54",
        &["--supersedes", &old[..6], "--note", "misread figure"],
    );
    assert_eq!(
        count_entries(&env),
        entries + 3,
        "one batch header, one claim and one status change"
    );

    let list = env.json(&["list"]);
    assert_eq!(ids(&list), [old.clone(), new.clone()]);
    assert_eq!(list[0]["status"], "retracted");
    assert_eq!(list[1]["status"], "unverified");
    let old_full = list[0]["full_id"].as_str().unwrap();
    assert_eq!(list[1]["supersedes"], old_full);

    let shown = env.json(&["show", &old]);
    let history = shown["history"].as_array().unwrap();
    assert_eq!(history.len(), 1, "{shown:#}");
    assert_eq!(history[0]["status"], "retracted");
    assert_eq!(history[0]["note"], format!("superseded by {new}"));
    assert_eq!(history[0]["by"], "tester");

    // Superseding a claim that is not there writes nothing.
    let r = env.err(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "bajaur",
        "--property",
        "deaths",
        "--value",
        "55",
        "--supersedes",
        "ffffffffffff",
    ]);
    assert_has(
        &r.stderr,
        "no claim has an id starting with \"ffffffffffff\"",
    );
}

// ---------------------------------------------------------------------------------------
// status

#[test]
fn each_status_change_is_a_new_entry_with_its_history() {
    let mut env = two_sources();
    let id = env.claim("apx", "bajaur", "deaths", "63", &[]);
    let entries = count_entries(&env);

    let r = env.ok(&[
        "status",
        &id,
        "verified",
        "--note",
        "police confirmed",
        "--evidence",
        "call with DPO",
        "--by",
        "bob",
    ]);
    assert_eq!(r.stdout, format!("{id} unverified -> verified\n"));
    assert_eq!(count_entries(&env), entries + 1);

    env.set_now("2024-05-02T08:30:00Z");
    let r = env.ok(&["status", &id[..5], "disputed"]);
    assert_eq!(r.stdout, format!("{id} verified -> disputed\n"));
    assert_eq!(count_entries(&env), entries + 2);

    let shown = env.json(&["show", &id]);
    assert_eq!(shown["claim"]["status"], "disputed");
    assert_eq!(
        shown["history"],
        json!([
            {
                "status": "verified", "at": NOW, "by": "bob", "note": "police confirmed",
                "evidence": "call with DPO", "line": 5
            },
            {
                "status": "disputed", "at": "2024-05-02T08:30:00Z", "by": "tester", "note": null,
                "evidence": null, "line": 6
            }
        ])
    );
    // The claim itself keeps who logged it and when.
    assert_eq!(shown["claim"]["at"], NOW);

    // The table shows the whole history too.
    let table = env.ok(&["show", &id]).stdout;
    for word in [
        "police confirmed",
        "call with DPO",
        "bob",
        "2024-05-02T08:30:00Z",
        "disputed",
    ] {
        assert_has(&table, word);
    }
}

#[test]
fn status_refuses_an_unknown_status_or_claim() {
    let env = two_sources();
    let id = env.claim("apx", "bajaur", "deaths", "63", &[]);
    let r = env.err(&["status", &id, "bogus"]);
    assert_has(&r.stderr, "invalid value 'bogus'");
    assert_has(
        &r.stderr,
        "unverified, verified, disputed, false, retracted, unverifiable",
    );
    // A prefix that is not this claim's.
    let other = if id.starts_with('0') { "1111" } else { "0000" };
    let r = env.err(&["status", other, "verified"]);
    assert_has(
        &r.stderr,
        &format!("no claim has an id starting with \"{other}\""),
    );
    assert_eq!(env.json(&["list"])[0]["status"], "unverified");
}

// ---------------------------------------------------------------------------------------
// list, show, subjects, verify, recover

/// Claims a, b, c, d (in that order) of [`two_sources`]; b is verified.
fn four_claims(env: &TestEnv) -> [String; 4] {
    let a = env.claim("apx", "bajaur", "deaths", "63", &[]);
    let b = env.claim("bbc", "bajaur", "deaths", "54", &[]);
    let c = env.claim("apx", "bajaur", "injured", "200", &[]);
    let d = env.claim("bbc", "peshawar", "deaths", "7", &[]);
    env.ok(&["status", &b, "verified"]);
    [a, b, c, d]
}

#[test]
fn list_filters_by_subject_property_source_and_status() {
    let env = two_sources();
    let claims = four_claims(&env);
    let [a, b, c, d] = [0, 1, 2, 3].map(|i| claims[i].as_str());
    let list = |args: &[&str]| {
        let mut all = vec!["list"];
        all.extend_from_slice(args);
        ids(&env.json(&all))
    };
    assert_eq!(list(&[]), [a, b, c, d]);
    assert_eq!(list(&["--subject", "bajaur"]), [a, b, c]);
    assert_eq!(list(&["--property", "deaths"]), [a, b, d]);
    assert_eq!(list(&["--source", "bbc"]), [b, d]);
    assert_eq!(list(&["--status", "verified"]), [b]);
    assert_eq!(list(&["--status", "unverified"]), [a, c, d]);
    assert_eq!(
        list(&[
            "--subject",
            "bajaur",
            "--property",
            "deaths",
            "--source",
            "apx"
        ]),
        [a]
    );
    env.err(&["list", "--subject", "nowhere"]);
    assert!(list(&["--status", "false"]).is_empty());

    let r = env.err(&["list", "--source", "ap"]);
    assert_has(&r.stderr, "unknown source \"ap\" (did you mean apx?)");
    let r = env.err(&["list", "--status", "bogus"]);
    assert_has(&r.stderr, "invalid value 'bogus'");
}

#[test]
fn list_prints_csv() {
    let env = two_sources();
    let a = env.claim(
        "apx",
        "bajaur",
        "deaths",
        "63",
        &[
            "--as-of",
            "2023-08-01",
            "--quote",
            AP_QUOTE,
            "--unit",
            "people",
        ],
    );
    let t = env.ok(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "bajaur",
        "--property",
        "venue",
        "--text",
        "Khar, Bajaur",
    ]);
    let t = t.stdout.trim();
    let f = env.ok(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "bajaur",
        "--property",
        "formula",
        "--text",
        "=1+2",
    ]);
    let f = f.stdout.trim();
    let list = env.json(&["list"]);
    let full = |i: usize| list[i]["full_id"].as_str().unwrap().to_string();

    let csv = env.ok(&["list", "--format", "csv"]).stdout;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "id,source,subject,property,kind,value,parsed,unit,as_of,status,quote,full_id"
                .to_string(),
            format!(
                "{a},apx,bajaur,deaths,quantity,63,63,people,2023-08-01,unverified,{AP_QUOTE},{}",
                full(0)
            ),
            format!(
                "{t},bbc,bajaur,venue,text,\"Khar, Bajaur\",khar bajaur,,,unverified,,{}",
                full(1)
            ),
            // A cell a spreadsheet would run as a formula is defused.
            format!(
                "{f},bbc,bajaur,formula,text,'=1+2,1 2,,,unverified,,{}",
                full(2)
            ),
        ]
    );
    // Filters apply to CSV too.
    let csv = env
        .ok(&["list", "--property", "deaths", "--format", "csv"])
        .stdout;
    assert_eq!(csv.lines().count(), 2, "{csv}");
}

#[test]
fn list_table_counts_its_claims() {
    let env = two_sources();
    let r = env.ok(&["list"]);
    assert_eq!(r.stdout, "No claims to show.\n");
    let id = env.claim("apx", "bajaur", "deaths", "63", &[]);
    let r = env.ok(&["list"]);
    assert_has(&r.stdout, &id);
    assert_has(&r.stdout, "2023-07-31 (published)");
    assert!(r.stdout.ends_with("\n1 claim\n"), "{}", r.stdout);
}

#[test]
fn show_accepts_any_unique_prefix_of_four_or_more_hex_digits() {
    let env = two_sources();
    let [a, ..] = four_claims(&env);
    let list = env.json(&["list"]);
    let full = list[0]["full_id"].as_str().unwrap().to_string();
    for prefix in [
        &a[..4],
        &a[..7],
        a.as_str(),
        full.as_str(),
        &a[..4].to_ascii_uppercase(),
    ] {
        let shown = env.json(&["show", prefix]);
        assert_eq!(shown["claim"]["id"], a.as_str(), "show {prefix}");
    }
    let table = env.ok(&["show", &a[..4]]).stdout;
    assert_has(&table, &full);
    assert_has(&table, "AP story");
    assert_has(&table, "by tester (line 4)");
}

#[test]
fn a_prefix_too_short_or_not_hex_is_refused() {
    let env = two_sources();
    let id = env.claim("apx", "bajaur", "deaths", "63", &[]);
    for bad in [
        &id[..3],
        "xyz1",
        "12345g",
        "",
        &format!("{id}{}", "0".repeat(53)),
    ] {
        let r = env.err(&["show", bad]);
        assert_has(
            &r.stderr,
            &format!("{bad:?} is not a claim id: give 4 to 64 hex digits"),
        );
    }
    let r = env.err(&["status", &id[..3], "verified"]);
    assert_has(&r.stderr, "is not a claim id");
    let r = env.err(&[
        "add",
        "--source",
        "apx",
        "--subject",
        "s",
        "--property",
        "p",
        "--value",
        "1",
        "--supersedes",
        "zzzz",
    ]);
    assert_has(&r.stderr, "\"zzzz\" is not a claim id");
}

#[test]
fn an_ambiguous_prefix_lists_every_candidate() {
    // Adding claims until two ids share 4 hex digits takes a few hundred runs of the
    // binary (each fsyncs): too slow. The library's claim id function, which `add` uses,
    // finds the pair; `add` then must print exactly those ids.
    let predict = |v: &str| {
        claim_id(&ClaimContent {
            source: "ap",
            subject: "s",
            property: "deaths",
            kind: "quantity",
            value: v,
            unit: None,
            as_of: None,
            quote: None,
        })
    };
    let mut seen: HashMap<String, u32> = HashMap::new();
    let (v1, v2) = (1..100_000u32)
        .find_map(|v| {
            seen.insert(predict(&v.to_string())[..4].to_string(), v)
                .map(|w| (w, v))
        })
        .expect("two ids share 4 hex digits");
    let env = TestEnv::init();
    env.source("ap", "2023");
    let first = env.claim("ap", "s", "deaths", &v1.to_string(), &[]);
    env.claim("ap", "s", "deaths", "0", &[]);
    let second = env.claim("ap", "s", "deaths", &v2.to_string(), &[]);
    assert_eq!(
        first,
        predict(&v1.to_string())[..12],
        "add's id is the claim id of its content"
    );
    assert_eq!(first[..4], second[..4]);
    assert_ne!(first, second);

    for cmd in [
        vec!["show", &first[..4]],
        vec!["status", &first[..4], "verified"],
    ] {
        let r = env.err(&cmd);
        assert_has(
            &r.stderr,
            &format!("claim id prefix \"{}\" is ambiguous", &first[..4]),
        );
        assert_has(&r.stderr, &format!("{first} (s deaths)"));
        assert_has(&r.stderr, &format!("{second} (s deaths)"));
        assert_has(&r.stderr, "Give more digits");
    }
    // A longer prefix picks one.
    let common = first
        .chars()
        .zip(second.chars())
        .take_while(|(x, y)| x == y)
        .count();
    let shown = env.json(&["show", &second[..common + 1]]);
    assert_eq!(shown["claim"]["id"], second.as_str());
    assert_eq!(shown["claim"]["value"], v2.to_string());
}

#[test]
fn subjects_lists_properties_and_counts() {
    let env = two_sources();
    four_claims(&env);
    assert_eq!(
        env.json(&["subjects"]),
        json!([
            {"subject": "bajaur", "claims": 3, "retracted": 0, "properties": {"deaths": 2, "injured": 1}},
            {"subject": "peshawar", "claims": 1, "retracted": 0, "properties": {"deaths": 1}}
        ])
    );
    let table = env.ok(&["subjects"]).stdout;
    assert_has(&table, "deaths (2), injured (1)");
}

#[test]
fn verify_passes_a_good_ledger() {
    let env = TestEnv::init();
    env.write("docs/ap.txt", AP_TEXT);
    env.write("docs/dawn.txt", "Dawn: at least 54 died.\n");
    env.ok(&[
        "source",
        "add",
        "apx",
        "--title",
        "AP",
        "--file",
        "docs/ap.txt",
        "--published",
        "2023-07-31",
    ]);
    env.ok(&[
        "source",
        "add",
        "dawn",
        "--title",
        "Dawn",
        "--file",
        "docs/dawn.txt",
        "--published",
        "2023-07-31",
    ]);
    let a = env.claim("apx", "bajaur", "deaths", "63", &["--quote", AP_QUOTE]);
    // The quote check folds runs of white space.
    env.claim(
        "dawn",
        "bajaur",
        "deaths",
        "54",
        &["--quote", "at  least\n54 died"],
    );
    env.ok(&["status", &a, "verified"]);

    let r = env.ok(&["verify"]);
    assert_eq!(
        r.stdout,
        "ok: 5 entries, 2 claims, 2 sources checked; 2 files and 2 quotes match\n"
    );
    let report = env.json(&["verify"]);
    assert_eq!(report["ok"], true);
    assert_eq!(report["entries"], 5);
    assert_eq!(report["claims"], 2);
    assert_eq!(report["sources"], 2);
    assert_eq!(report["files_checked"], 2);
    assert_eq!(report["quotes_checked"], 2);
    assert_eq!(report["problems"], json!([]));

    // A source with no file is named: its quotes cannot be checked.
    env.source("bbc", "2023");
    env.claim("bbc", "bajaur", "deaths", "60", &["--quote", "sixty dead"]);
    let report = env.json(&["verify"]);
    assert_eq!(report["ok"], true);
    assert_eq!(report["quotes_unchecked"], 1);
    assert_eq!(report["sources_without_file"], json!(["bbc"]));
}

#[test]
fn recover_without_a_torn_line_changes_nothing() {
    let env = two_sources();
    let before = env.log_bytes();
    let r = env.ok(&["recover"]);
    assert!(r.stdout.starts_with("No torn line: "), "{}", r.stdout);
    assert!(
        r.stdout.ends_with("log.ron ends in a whole line\n"),
        "{}",
        r.stdout
    );
    assert_eq!(env.log_bytes(), before);
    // No side file beside the log and its settings (the index's directory aside).
    let files: Vec<_> = std::fs::read_dir(env.ledger_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|f| f != ".cache")
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
}

// ---------------------------------------------------------------------------------------
// bad input

#[test]
fn an_unknown_source_names_near_matches() {
    let env = two_sources();
    let r = env.err(&[
        "add",
        "--source",
        "ap",
        "--subject",
        "s",
        "--property",
        "deaths",
        "--value",
        "1",
    ]);
    assert_has(&r.stderr, "unknown source \"ap\" (did you mean apx?)");
    assert_has(&r.stderr, "factledger source add ap --title");
    let r = env.err(&[
        "add",
        "--source",
        "reuters",
        "--subject",
        "s",
        "--property",
        "deaths",
        "--value",
        "1",
    ]);
    assert_has(&r.stderr, "unknown source \"reuters\". Add it first");
    assert!(!r.stderr.contains("did you mean"), "{}", r.stderr);
}

#[test]
fn a_duplicate_claim_is_refused() {
    let env = two_sources();
    let id = env.claim("apx", "bajaur", "deaths", "63", &["--quote", AP_QUOTE]);
    // Who logs it and the note are not part of the claim.
    let r = env.err(&[
        "add",
        "--source",
        "apx",
        "--subject",
        "bajaur",
        "--property",
        "deaths",
        "--value",
        "63",
        "--quote",
        AP_QUOTE,
        "--by",
        "other",
        "--note",
        "again",
    ]);
    assert_has(
        &r.stderr,
        &format!("this claim is already in the ledger as {id} (line 4 of the log)"),
    );
    assert_has(&r.stderr, "Nothing was written");
    assert_eq!(r.stdout, "");
}

#[test]
fn bad_dates_are_refused() {
    let env = two_sources();
    let add = |extra: &[&str]| {
        let mut a = vec![
            "add",
            "--source",
            "bbc",
            "--subject",
            "s",
            "--property",
            "start",
        ];
        a.extend_from_slice(extra);
        env.err(&a)
    };
    let r = add(&["--date", "2021-13"]);
    assert_has(&r.stderr, "could not read \"2021-13\" as a date");
    let r = add(&["--date", "2021-02-30"]);
    assert_has(&r.stderr, "could not read \"2021-02-30\" as a date");
    let r = add(&["--date", "2021", "--as-of", "nonsense"]);
    assert_has(&r.stderr, "--as-of: could not read \"nonsense\" as a date");
    let r = add(&["--value", "1", "--as-of", "2021-00"]);
    assert_has(&r.stderr, "--as-of: could not read \"2021-00\"");
    assert_eq!(env.json(&["list"]), json!([]));
}

#[test]
fn a_missing_ledger_is_named() {
    let env = TestEnv::new();
    for cmd in [
        vec!["list"],
        vec!["verify"],
        vec!["source", "list"],
        vec![
            "add",
            "--source",
            "a",
            "--subject",
            "s",
            "--property",
            "p",
            "--value",
            "1",
        ],
        vec!["recover"],
    ] {
        let r = env.err(&cmd);
        assert_has(&r.stderr, "no ledger found in");
        assert_has(&r.stderr, "looked for ledger/log.ron");
    }
    std::fs::create_dir(env.root().join("empty")).unwrap();
    let r = env.err(&["--ledger", "empty", "list"]);
    assert_has(&r.stderr, "no ledger at ");
    assert_has(&r.stderr, "empty: it has no log.ron");
    let r = env.err(&["--ledger", "empty", "source", "add", "x", "--title", "X"]);
    assert_has(&r.stderr, "it has no log.ron");

    let mut c = env.cmd(&[
        "add",
        "--source",
        "a",
        "--subject",
        "s",
        "--property",
        "p",
        "--value",
        "1",
    ]);
    c.env("FACTLEDGER_DIR", env.root().join("empty"));
    let r = run_cmd(c);
    expect_code(&r, 2, "add with FACTLEDGER_DIR at an empty directory");
    assert_has(&r.stderr, "it has no log.ron");
    // Nothing was created anywhere.
    assert_eq!(
        std::fs::read_dir(env.root().join("empty")).unwrap().count(),
        0
    );
    assert!(!env.ledger_dir().exists());
}

#[test]
fn a_subject_or_property_that_is_not_a_slug_is_refused() {
    let env = two_sources();
    let r = env.err(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "Bad Subject",
        "--property",
        "deaths",
        "--value",
        "1",
    ]);
    assert_has(&r.stderr, "subject \"Bad Subject\" is not a slug");
    let r = env.err(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "ok",
        "--property",
        "Deaths",
        "--value",
        "1",
    ]);
    assert_has(&r.stderr, "property \"Deaths\" is not a slug");
    let r = env.err(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "",
        "--property",
        "deaths",
        "--value",
        "1",
    ]);
    assert_has(&r.stderr, "subject is empty");
}

#[test]
fn add_without_a_value_is_a_usage_error() {
    let env = two_sources();
    let r = env.err(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "s",
        "--property",
        "deaths",
    ]);
    assert_has(
        &r.stderr,
        "the following required arguments were not provided",
    );
    assert_has(&r.stderr, "<--value <VALUE>|--date <DATE>|--text <TEXT>>");
    let r = env.err(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "s",
        "--property",
        "deaths",
        "--value",
        "1",
        "--text",
        "one",
    ]);
    assert_has(&r.stderr, "cannot be used with");
    let r = env.err(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "s",
        "--property",
        "deaths",
        "--value",
        "many",
    ]);
    assert_has(&r.stderr, "could not read \"many\" as a quantity");
}

#[test]
fn a_quote_not_in_the_source_file_is_refused() {
    let env = two_sources();
    let r = env.err(&[
        "add",
        "--source",
        "apx",
        "--subject",
        "s",
        "--property",
        "deaths",
        "--value",
        "63",
        "--quote",
        "at least 68 people were killed",
    ]);
    assert_has(
        &r.stderr,
        "the quote is not in source apx's file docs/ap.txt: \"at least 68 people were killed\"",
    );
    assert_has(&r.stderr, "copy the words from the file exactly");
    // A quote spanning a line break in the file is found.
    env.claim(
        "apx",
        "s",
        "deaths",
        "63",
        &["--quote", "in the blast. The rally"],
    );
    // A source without a file takes any quote.
    env.claim(
        "bbc",
        "s",
        "deaths",
        "63",
        &["--quote", "words from nowhere"],
    );
}

// ---------------------------------------------------------------------------------------
// a damaged log

#[test]
fn a_hand_broken_line_is_named_with_line_and_column_by_every_command() {
    let env = two_sources();
    let id = env.claim("apx", "bajaur", "deaths", "63", &[]);
    env.claim("bbc", "bajaur", "deaths", "54", &[]);
    // Line 3 (source bbc) of 5 loses a closing parenthesis: no longer RON.
    assert_eq!(line_of(&env, "id:\"bbc\""), 3);
    edit_line(&env, 3, "entry:Source((", "entry:Source(((");
    for cmd in [
        vec!["list"],
        vec!["verify"],
        vec![
            "add",
            "--source",
            "apx",
            "--subject",
            "bajaur",
            "--property",
            "injured",
            "--value",
            "5",
        ],
        vec!["status", &id, "verified"],
        vec!["show", &id],
        vec!["source", "add", "new", "--title", "New"],
        vec!["source", "list"],
        vec!["subjects"],
    ] {
        let r = env.err(&cmd);
        let at = r
            .stderr
            .find("log.ron:3:")
            .unwrap_or_else(|| panic!("{cmd:?}: no log.ron:3: in\n{}", r.stderr));
        let rest = &r.stderr[at + "log.ron:3:".len()..];
        let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let col: usize = col
            .parse()
            .unwrap_or_else(|_| panic!("{cmd:?}: no column in\n{}", r.stderr));
        assert!((1..=400).contains(&col), "column {col}");
        assert_has(rest, ": this line is not a valid log entry");
        assert_has(&r.stderr, "Restore the line from version control");
    }
}

#[test]
fn a_torn_tail_is_warned_refused_reported_and_recovered() {
    let env = two_sources();
    let id = env.claim("apx", "bajaur", "deaths", "63", &[]);
    let whole = env.log_bytes();
    let torn = b"(seq:4,at:\"2024-05-01T12:00:00Z\",by:\"tes";
    let mut bytes = whole.clone();
    bytes.extend_from_slice(torn);
    std::fs::write(env.log_path(), &bytes).unwrap();
    // Lines 1-4 are whole; the torn bytes are line 5.

    // Reading goes on, with a warning naming the line.
    let r = env.ok(&["list", "--format", "json"]);
    assert_eq!(ids(&r.json()), [id.as_str()]);
    assert_has(&r.stderr, "log.ron:5: the log ends in a torn write");
    assert_has(&r.stderr, "factledger recover");

    // Writing is refused, naming the line and the way out.
    for cmd in [
        vec![
            "add",
            "--source",
            "apx",
            "--subject",
            "bajaur",
            "--property",
            "injured",
            "--value",
            "5",
        ],
        vec!["status", &id, "verified"],
        vec!["source", "add", "new", "--title", "New"],
    ] {
        let r = env.err(&cmd);
        assert_has(
            &r.stderr,
            &format!(
                "log.ron:5: the log ends in a torn write ({} bytes that are not whole entries",
                torn.len()
            ),
        );
        assert_has(&r.stderr, "Run `factledger recover`");
    }

    // verify reports it as a finding.
    let report = verify_findings(&env);
    assert_eq!(problems(&report), [(Some(5), "torn".to_string())]);

    // recover sets the bytes aside in the ledger directory and cuts the log back.
    let r = env.ok(&["recover"]);
    assert_has(
        &r.stdout,
        &format!("Moved the torn write from line 5 ({} bytes)", torn.len()),
    );
    assert_eq!(env.log_bytes(), whole);
    let side: Vec<_> = std::fs::read_dir(env.ledger_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("torn-line-5-")
        })
        .collect();
    assert_eq!(side.len(), 1, "one side file: {side:?}");
    assert_eq!(std::fs::read(&side[0]).unwrap(), torn);
    assert_has(&r.stdout, &side[0].file_name().unwrap().to_string_lossy());

    // And the ledger is whole again.
    let added = env.claim("apx", "bajaur", "injured", "5", &[]);
    let r = env.ok(&["verify", "--format", "json"]);
    assert_eq!(r.json()["ok"], true);
    assert_eq!(r.stderr, "");
    assert_eq!(ids(&env.json(&["list"])), [id, added]);
}

#[test]
fn an_append_after_trailing_white_space_still_verifies() {
    let env = two_sources();
    let mut bytes = env.log_bytes();
    bytes.extend_from_slice(b"  ");
    std::fs::write(env.log_path(), &bytes).unwrap();
    let id = env.claim("apx", "bajaur", "deaths", "63", &[]);
    let report = env.ok(&["verify", "--format", "json"]).json();
    assert_eq!(report["problems"], json!([]));
    assert_eq!(ids(&env.json(&["list"])), [id]);
}

#[test]
fn a_changed_byte_in_an_old_entry_breaks_its_hash() {
    let env = two_sources();
    env.claim("apx", "bajaur", "deaths", "63", &[]);
    env.claim("bbc", "bajaur", "deaths", "54", &[]);
    let line = line_of(&env, "raw:\"63\"");
    assert_eq!(line, 4);
    edit_line(&env, line, "raw:\"63\"", "raw:\"68\"");

    // It still parses, so reading goes on and shows the edited value.
    let list = env.json(&["list"]);
    assert_eq!(list[0]["value"], "68");

    let report = verify_findings(&env);
    let found = problems(&report);
    assert!(found.contains(&(Some(4), "hash".to_string())), "{report:#}");
    // Nothing else in the chain is blamed: line 5's prev still matches line 4's hash.
    assert!(found.iter().all(|(l, _)| *l == Some(4)), "{report:#}");
    let text = env.findings(&["verify"]).stdout;
    assert_has(&text, "line 4: the entry's text hashes to");
    assert_has(&text, "the entry was changed after it was written");
}

#[test]
fn a_removed_line_breaks_the_chain() {
    let env = two_sources();
    env.claim("apx", "bajaur", "deaths", "63", &[]);
    let removed = env.claim("apx", "bajaur", "injured", "200", &[]);
    env.claim("bbc", "bajaur", "deaths", "54", &[]);
    let line = line_of(&env, "raw:\"200\"");
    assert_eq!(line, 5);
    let text = log_text(&env);
    let kept: Vec<&str> = text
        .split_inclusive('\n')
        .enumerate()
        .filter(|(i, _)| i + 1 != line)
        .map(|(_, l)| l)
        .collect();
    set_log(&env, &kept.concat());

    let report = verify_findings(&env);
    let found = problems(&report);
    // The line that now follows line 4 does not chain to it.
    assert!(
        found.contains(&(Some(5), "chain".to_string())),
        "{report:#}"
    );
    assert!(
        !found.iter().any(|(_, k)| k == "hash"),
        "no entry was changed: {report:#}"
    );
    let text = env.findings(&["verify"]).stdout;
    assert_has(&text, "line 5: prev is ");
    assert_has(&text, "an entry was removed, inserted or reordered");
    assert!(!ids(&env.json(&["list"])).contains(&removed));
}

#[test]
fn a_changed_source_file_is_reported() {
    let env = two_sources();
    env.claim("apx", "bajaur", "deaths", "63", &["--quote", AP_QUOTE]);
    env.write("docs/ap.txt", AP_TEXT.replace("thousands", "hundreds"));
    let report = verify_findings(&env);
    assert_eq!(problems(&report), [(Some(2), "source-file".to_string())]);
    let msg = report["problems"][0]["message"].as_str().unwrap();
    assert_has(msg, "source apx (line 2)");
    assert_has(msg, "has changed since it was added");
    assert_has(msg, AP_SHA256);

    // A source file that is gone is reported the same way.
    std::fs::remove_file(env.root().join("docs/ap.txt")).unwrap();
    let report = verify_findings(&env);
    assert_eq!(problems(&report), [(Some(2), "source-file".to_string())]);
    assert_has(
        report["problems"][0]["message"].as_str().unwrap(),
        "cannot read",
    );
}

#[test]
fn a_quote_altered_in_the_log_is_reported() {
    let env = two_sources();
    env.claim("apx", "bajaur", "deaths", "63", &["--quote", AP_QUOTE]);
    edit_line(&env, 4, "quote:\"at least 63", "quote:\"at least 68");
    let report = verify_findings(&env);
    let found = problems(&report);
    assert!(
        found.contains(&(Some(4), "quote".to_string())),
        "{report:#}"
    );
    assert!(found.contains(&(Some(4), "hash".to_string())), "{report:#}");
    let quote = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "quote")
        .unwrap();
    assert_has(
        quote["message"].as_str().unwrap(),
        "is not in source apx's file: \"at least 68 people were killed\"",
    );
}

// ---------------------------------------------------------------------------------------
// terminal safety

/// Text with ESC sequences (color, clear screen, window title), BEL, a C1 CSI, a
/// right-to-left override and a newline.
const EVIL: &str = "evil \x1b[31mred\x1b[0m \x1b]0;title\x07 \u{9b}2J \u{202e}RLO\nnext \x1b[2J";

#[test]
fn logged_control_characters_never_reach_the_terminal() {
    let env = two_sources();
    let id = env.ok(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "s",
        "--property",
        "p",
        "--text",
        EVIL,
        "--quote",
        EVIL,
        "--note",
        EVIL,
    ]);
    let id = id.stdout.trim().to_string();
    env.ok(&[
        "status",
        &id,
        "disputed",
        "--note",
        EVIL,
        "--evidence",
        EVIL,
    ]);
    env.ok(&["source", "add", "odd", "--title", EVIL, "--outlet", EVIL]);

    let bad = |s: &str| {
        s.contains('\x1b') || s.contains('\x07') || s.contains('\u{9b}') || s.contains('\u{202e}')
    };
    for cmd in [
        vec!["list"],
        vec!["show", &id],
        vec!["source", "list"],
        vec!["subjects"],
        vec!["verify"],
    ] {
        let r = env.ok(&cmd);
        assert!(
            !bad(&r.stdout),
            "{cmd:?} printed a control character:\n{:?}",
            r.stdout
        );
        assert!(
            !bad(&r.stderr),
            "{cmd:?} printed a control character on stderr:\n{:?}",
            r.stderr
        );
    }
    // The table shows what was there, defused.
    assert_has(&env.ok(&["show", &id]).stdout, "evil \\u{1b}[31mred");

    // JSON keeps the text exactly, escaped.
    let list = env.ok(&["list", "--format", "json"]);
    assert!(!list.stdout.contains('\x1b'), "JSON escapes ESC");
    assert_has(&list.stdout, "\\u001b[31m");
    let list = list.json();
    assert_eq!(list[0]["value"], EVIL);
    assert_eq!(list[0]["quote"], EVIL);
    assert_eq!(list[0]["note"], EVIL);
    let shown = env.json(&["show", &id]);
    assert_eq!(shown["history"][0]["note"], EVIL);
    assert_eq!(shown["history"][0]["evidence"], EVIL);
    assert_eq!(env.json(&["source", "list"])[2]["title"], EVIL);

    // An error message quoting typed text is cleaned too.
    let r = env.err(&[
        "add",
        "--source",
        "apx",
        "--subject",
        "s",
        "--property",
        "p",
        "--text",
        "x",
        "--quote",
        EVIL,
    ]);
    assert_has(&r.stderr, "the quote is not in source apx's file");
    assert!(!bad(&r.stderr), "{:?}", r.stderr);
}

/// A ledger whose source id, edited into the log by hand (or merged in from a branch),
/// carries an escape sequence. The hash breaks, but reading commands run before anyone
/// verifies.
fn escape_in_source_id() -> (TestEnv, String) {
    let env = TestEnv::init();
    env.source("evil", "2023");
    let id = env.claim("evil", "s", "p", "1", &[]);
    let text = log_text(&env).replace("\"evil\"", "\"ev\\u{1b}[2Jil\"");
    set_log(&env, &text);
    (env, id)
}

#[test]
fn a_control_character_in_a_logged_source_id_is_cleaned_by_list() {
    let (env, id) = escape_in_source_id();
    assert_eq!(env.json(&["list"])[0]["source"], "ev\x1b[2Jil");
    for cmd in [vec!["list"], vec!["source", "list"], vec!["subjects"]] {
        let r = env.ok(&cmd);
        assert!(!r.stdout.contains('\x1b'), "{cmd:?}: {:?}", r.stdout);
    }
    assert_has(&env.ok(&["list"]).stdout, &id);
}

#[test]
fn a_control_character_in_a_logged_source_id_is_cleaned_by_show() {
    let (env, id) = escape_in_source_id();
    let r = env.ok(&["show", &id]);
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
}

#[test]
fn a_control_character_in_a_logged_source_id_is_cleaned_by_verify() {
    let (env, _) = escape_in_source_id();
    let r = env.findings(&["verify"]);
    assert!(!r.stdout.contains('\x1b'), "{:?}", r.stdout);
}

// ---------------------------------------------------------------------------------------
// snapshots

/// Help text at a fixed width.
fn help(env: &TestEnv, args: &[&str]) -> String {
    let mut c = env.cmd(args);
    c.env("COLUMNS", "100");
    let r = run_cmd(c);
    expect_code(&r, 0, &format!("{args:?}"));
    r.stdout
}

#[test]
fn snapshot_help() {
    let env = TestEnv::new();
    insta::assert_snapshot!("help", help(&env, &["--help"]));
    insta::assert_snapshot!("add_help", help(&env, &["add", "--help"]));
}

#[test]
fn snapshot_list_table() {
    let env = two_sources();
    let a = env.claim(
        "apx",
        "bajaur-rally-bombing-2023",
        "deaths",
        "63",
        &["--quote", AP_QUOTE],
    );
    env.claim(
        "bbc",
        "bajaur-rally-bombing-2023",
        "deaths",
        "54",
        &["--as-of", "2023-07-30"],
    );
    env.claim(
        "bbc",
        "bajaur-rally-bombing-2023",
        "amount",
        "1,600",
        &["--unit", "USD"],
    );
    env.ok(&[
        "add",
        "--source",
        "apx",
        "--subject",
        "bajaur-rally-bombing-2023",
        "--property",
        "date",
        "--date",
        "2023-07-30",
    ]);
    env.ok(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "bajaur-rally-bombing-2023",
        "--property",
        "venue",
        "--text",
        "A JUI-F rally in Khar",
    ]);
    env.ok(&["status", &a, "verified"]);
    insta::assert_snapshot!("list_table", env.ok(&["list"]).stdout);
}
