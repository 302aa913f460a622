//! `export --format sqlite FILE`: the database holds what `list`, `source list` and
//! `conflicts` print (opened here with rusqlite itself), hostile text round-trips, and a
//! refused or failed export leaves nothing behind.

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde_json::Value;

use crate::common::TestEnv;

fn shipped_ledger() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ledger")
}

/// Exports the ledger at `ledger` to `name` in the workspace and opens the database.
fn export(env: &TestEnv, ledger: &Path, name: &str) -> Connection {
    let file = env.root().join(name);
    env.ok(&[
        "--ledger",
        ledger.to_str().unwrap(),
        "export",
        "--format",
        "sqlite",
        file.to_str().unwrap(),
    ]);
    Connection::open(&file).expect("open the exported database")
}

fn count(db: &Connection, table: &str) -> usize {
    db.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| n as usize)
    .unwrap()
}

fn json_of(env: &TestEnv, ledger: &Path, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["--ledger", ledger.to_str().unwrap()];
    a.extend_from_slice(args);
    env.json(&a).as_array().expect("a JSON array").clone()
}

/// The claims table holds every claim `list` prints, with its current status; sources
/// and findings match `source list` and `conflicts`.
fn assert_database_matches_the_cli(env: &TestEnv, ledger: &Path, db: &Connection) {
    let claims = json_of(env, ledger, &["list"]);
    assert_eq!(count(db, "claims"), claims.len());
    for c in &claims {
        let id = c["full_id"].as_str().unwrap();
        let (short, status): (String, String) = db
            .query_row(
                "SELECT short_id, status FROM claims WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap_or_else(|e| panic!("claim {id} not in the database: {e}"));
        assert_eq!(short, c["id"].as_str().unwrap());
        assert_eq!(status, c["status"].as_str().unwrap(), "status of {id}");
    }
    let sources = json_of(env, ledger, &["source", "list"]);
    assert_eq!(count(db, "sources"), sources.len());

    let mut out = env.cmd(&["--ledger", ledger.to_str().unwrap(), "conflicts"]);
    let out = out.args(["--format", "json"]).output().unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut st = db
        .prepare("SELECT subject, property, kind FROM findings ORDER BY id")
        .unwrap();
    let rows: Vec<(String, String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected: Vec<(String, String, String)> = findings
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("subject"), s("property"), s("kind"))
        })
        .collect();
    assert_eq!(rows, expected);
    let links: usize = findings
        .iter()
        .map(|f| f["claims"].as_array().unwrap().len())
        .sum();
    assert_eq!(count(db, "finding_claims"), links);
}

#[test]
fn the_shipped_ledger_exports_every_claim_source_and_finding() {
    let env = TestEnv::new();
    let ledger = shipped_ledger();
    let db = export(&env, &ledger, "shipped.sqlite");
    assert!(count(&db, "claims") > 0 && count(&db, "findings") > 0);
    assert_database_matches_the_cli(&env, &ledger, &db);
}

/// A ledger of `n` imported rows over a few subjects, so that findings form.
fn generated(env: &TestEnv, n: usize) {
    let mut csv = String::from("source,subject,property,value,date,text,unit,as_of,quote\n");
    for i in 0..n {
        let src = format!("src-{}", i % 7);
        let subject = format!("event-{}", i % 13);
        let row = match i % 3 {
            0 => format!(
                "{src},{subject},deaths,{},,,,2021-0{},row {i}",
                10 + i,
                1 + i % 9
            ),
            1 => format!("{src},{subject},date,,2020-0{},,,,row {i}", 1 + i % 9),
            _ => format!("{src},{subject},place,,,Town {},,,row {i}", i % 4),
        };
        csv.push_str(&row);
        csv.push('\n');
    }
    env.write("rows.csv", csv);
    env.ok(&["import", "rows.csv", "--create-sources"]);
}

#[test]
fn a_generated_ledger_exports_rows_equal_to_list_source_list_and_conflicts() {
    let env = TestEnv::init();
    generated(&env, 120);
    let db = export(&env, &env.ledger_dir(), "gen.sqlite");
    assert_eq!(count(&db, "claims"), 120);
    assert_eq!(count(&db, "sources"), 7);
    assert!(
        count(&db, "findings") > 0,
        "the generated rows form findings"
    );
    assert_database_matches_the_cli(&env, &env.ledger_dir(), &db);
    // A quantity's bounds are there as text and as numbers.
    let (low, low_real, incl): (String, f64, bool) = db
        .query_row(
            "SELECT low, low_real, low_inclusive FROM claims WHERE quote = 'row 0'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((low.as_str(), low_real, incl), ("10", 10.0, true));
}

#[test]
fn a_claim_with_two_status_changes_has_both_history_rows_in_order() {
    let mut env = TestEnv::init();
    env.source("s1", "2024-01-01");
    let id = env.claim("s1", "flood", "deaths", "40", &[]);
    env.ok(&[
        "status",
        &id,
        "disputed",
        "--note",
        "two counts",
        "--evidence",
        "call",
    ]);
    env.set_now("2024-05-02T09:30:00Z");
    env.ok(&["status", &id, "verified", "--note", "morgue list"]);
    let db = export(&env, &env.ledger_dir(), "h.sqlite");
    let mut st = db
        .prepare(
            "SELECT s.seq, s.at, s.by, s.status, s.note, s.evidence FROM statuses s \
             JOIN claims c ON c.id = s.claim WHERE c.short_id = ?1 ORDER BY s.seq",
        )
        .unwrap();
    type Row = (i64, String, String, String, Option<String>, Option<String>);
    let rows: Vec<Row> = st
        .query_map([&id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                1,
                "2024-05-01T12:00:00Z".into(),
                "tester".into(),
                "disputed".into(),
                Some("two counts".into()),
                Some("call".into())
            ),
            (
                2,
                "2024-05-02T09:30:00Z".into(),
                "tester".into(),
                "verified".into(),
                Some("morgue list".into()),
                None
            ),
        ]
    );
    let status: String = db
        .query_row(
            "SELECT status FROM claims WHERE short_id = ?1",
            [&id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(status, "verified");
}

#[test]
fn hostile_text_round_trips_exactly() {
    let env = TestEnv::init();
    let title = "Ti\"tle\u{7} 'x' \u{1F680} \u{1b}[31m red";
    let quote = "He said \"12\" 'dead';\t\u{1} \u{1F600}\nDROP TABLE claims; --";
    let note = "n\u{1b}]0;owned\u{7}ote \u{200f}";
    env.ok(&[
        "source",
        "add",
        "s1",
        "--title",
        title,
        "--published",
        "2024-01-01",
    ]);
    let id = env.claim(
        "s1",
        "a",
        "deaths",
        "12",
        &["--quote", quote, "--note", note],
    );
    env.ok(&[
        "status",
        &id,
        "disputed",
        "--note",
        note,
        "--evidence",
        quote,
    ]);
    let db = export(&env, &env.ledger_dir(), "hostile.sqlite");
    let got: (String, String, String, String) = db
        .query_row(
            "SELECT c.quote, c.note, src.title, s.evidence FROM claims c \
             JOIN sources src ON src.id = c.source JOIN statuses s ON s.claim = c.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(got, (quote.into(), note.into(), title.into(), quote.into()));
}

#[test]
fn an_existing_file_is_refused_unless_force() {
    let env = TestEnv::init();
    env.source("s1", "2024-01-01");
    env.claim("s1", "a", "deaths", "12", &[]);
    let file = env.write("out.sqlite", "keep me");
    let r = env.err(&["export", "--format", "sqlite", "out.sqlite"]);
    assert!(
        r.stderr.contains("out.sqlite already exists") && r.stderr.contains("--force"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"keep me");
    env.ok(&["export", "--format", "sqlite", "out.sqlite", "--force"]);
    let db = Connection::open(&file).unwrap();
    assert_eq!(count(&db, "claims"), 1);
}

#[test]
fn a_file_in_a_missing_directory_fails_and_leaves_nothing() {
    let env = TestEnv::init();
    env.source("s1", "2024-01-01");
    let r = env.err(&["export", "--format", "sqlite", "nope/out.sqlite"]);
    assert!(
        r.stderr.contains("directory nope does not exist"),
        "{}",
        r.stderr
    );
    assert!(!env.root().join("nope").exists());
    let mut left: Vec<String> = std::fs::read_dir(env.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, vec!["ledger".to_string()]);
}

#[test]
fn sqlite_without_a_file_or_with_filters_is_refused_before_writing() {
    let env = TestEnv::init();
    env.source("s1", "2024-01-01");
    let r = env.err(&["export", "--format", "sqlite"]);
    assert!(r.stderr.contains("needs a FILE"), "{}", r.stderr);
    let r = env.err(&["export", "--format", "sqlite", "x.db", "--subject", "a"]);
    assert!(r.stderr.contains("writes the whole ledger"), "{}", r.stderr);
    assert!(!env.root().join("x.db").exists());
    let r = env.err(&["export", "--format", "csv", "x.csv"]);
    assert!(
        r.stderr.contains("only --format sqlite writes to a FILE"),
        "{}",
        r.stderr
    );
}

#[test]
fn finding_claims_name_each_claims_role_in_a_revised_then_stale_toll() {
    let env = TestEnv::init();
    env.source("early", "2023-07-31");
    env.source("later", "2023-08-02");
    env.source("repeat", "2024-05-01");
    let first = env.claim("early", "blast", "deaths", "44", &[]);
    let revised = env.claim("later", "blast", "deaths", "63", &[]);
    let stale = env.claim("repeat", "blast", "deaths", "54", &[]);
    let db = export(&env, &env.ledger_dir(), "roles.sqlite");
    let mut st = db
        .prepare(
            "SELECT c.short_id, fc.role FROM finding_claims fc \
             JOIN findings f ON f.id = fc.finding JOIN claims c ON c.id = fc.claim \
             WHERE f.kind = 'conflict'",
        )
        .unwrap();
    let mut roles: Vec<(String, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    roles.sort();
    // One finding for the figure: the first count was revised up, the repeat is stale.
    let mut expected = vec![
        (first.clone(), "earlier".to_string()),
        (revised.clone(), "consensus".to_string()),
        (stale.clone(), "stale".to_string()),
    ];
    expected.sort();
    assert_eq!(roles, expected);
    let findings: i64 = db
        .query_row("SELECT count(*) FROM findings", [], |r| r.get(0))
        .unwrap();
    assert_eq!(findings, 1, "one finding per figure");
}

#[test]
fn the_database_has_its_indexes_and_the_mode_of_an_ordinary_new_file() {
    let env = TestEnv::init();
    env.source("s1", "2024-01-01");
    let db = export(&env, &env.ledger_dir(), "idx.sqlite");
    let mut st = db
        .prepare(
            "SELECT tbl_name || '(' || group_concat(ii.name, ', ') || ')' FROM sqlite_master m, \
             pragma_index_info(m.name) ii WHERE m.type = 'index' AND m.sql IS NOT NULL \
             GROUP BY m.name ORDER BY 1",
        )
        .unwrap();
    let indexes: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        indexes,
        vec![
            "claims(source)",
            "claims(subject, property)",
            "finding_claims(claim)",
            "statuses(claim, seq)",
        ]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let plain = env.write("plain.txt", "");
        assert_eq!(mode(&env.root().join("idx.sqlite")), mode(&plain));
    }
}
