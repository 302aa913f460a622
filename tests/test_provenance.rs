//! Provenance that survives an export: `export --format json` then `import` into a fresh
//! ledger keeps who logged each entry and when, and every status change with its note
//! and evidence; one import entry names who imported, when, and the source's head.

use serde_json::Value;

use crate::common::TestEnv;

/// A ledger with entries by three people at different times.
fn newsroom() -> (TestEnv, Vec<String>) {
    let mut env = TestEnv::init();
    env.set_now("2024-04-02T08:00:00Z");
    env.ok(&[
        "source",
        "add",
        "wire",
        "--title",
        "Wire report",
        "--published",
        "2024-04-01",
    ]);
    let a = env.claim("wire", "market-fire", "deaths", "54", &["--by", "alice"]);
    env.set_now("2024-04-02T09:30:00Z");
    let b = env.claim(
        "wire",
        "market-fire",
        "injured",
        "over 140",
        &["--by", "bob"],
    );
    env.set_now("2024-04-03T10:00:00Z");
    env.ok(&[
        "status",
        &a,
        "verified",
        "--note",
        "hospital list",
        "--evidence",
        "https://example.org/list",
        "--by",
        "carol",
    ]);
    env.set_now("2024-04-04T11:15:00Z");
    env.ok(&[
        "status",
        &a,
        "disputed",
        "--note",
        "morgue count differs",
        "--by",
        "bob",
    ]);
    env.ok(&[
        "status",
        &b,
        "unverifiable",
        "--evidence",
        "no second source",
        "--by",
        "alice",
    ]);
    (env, vec![a, b])
}

fn history(env: &TestEnv, id: &str) -> Vec<Value> {
    let shown = env.json(&["show", id]);
    let mut h = shown["history"].as_array().unwrap().clone();
    // Line numbers differ between ledgers; everything else must not.
    for x in &mut h {
        x.as_object_mut().unwrap().remove("line");
    }
    h
}

#[test]
fn export_then_import_keeps_every_status_history_and_author() {
    let (env, ids) = newsroom();
    let export = env.ok(&["export", "--format", "json"]).stdout;
    let head = env.json(&["head"]);

    let mut fresh = TestEnv::init();
    fresh.set_now("2024-05-20T16:00:00Z");
    fresh.write("export.json", &export);
    let r = fresh.ok(&["import", "export.json", "--by", "dana"]);
    assert_eq!(
        r.stdout,
        "Imported 2 claims from 2 rows (1 source created, 3 statuses)\n"
    );

    for id in &ids {
        let before = history(&env, id);
        assert!(!before.is_empty());
        assert_eq!(history(&fresh, id), before, "claim {id}");
        let (old, new) = (env.json(&["show", id]), fresh.json(&["show", id]));
        for field in ["by", "at", "status"] {
            assert_eq!(old["claim"][field], new["claim"][field], "{field} of {id}");
        }
    }
    assert_eq!(history(&fresh, &ids[0])[1]["by"], "bob");
    assert_eq!(
        history(&fresh, &ids[0])[0]["evidence"],
        "https://example.org/list"
    );

    // One import entry: who imported, when, and the head of the ledger exported.
    let log = String::from_utf8(fresh.log_bytes()).unwrap();
    let imports: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("entry:Import("))
        .collect();
    assert_eq!(imports.len(), 1, "{log}");
    let line = imports[0];
    assert!(
        line.contains("at:\"2024-05-20T16:00:00Z\",by:\"dana\""),
        "{line}"
    );
    assert!(line.contains(&format!("size:{}", head["size"])), "{line}");
    assert!(line.contains(&format!("root:{}", head["root"])), "{line}");
    assert!(
        line.contains(&format!("chain_head:{}", head["chain_head"])),
        "{line}"
    );
    fresh.ok(&["verify"]);

    // A second round trip gives the same histories again.
    let again = fresh.ok(&["export", "--format", "json"]).stdout;
    let third = TestEnv::init();
    third.write("export.json", &again);
    third.ok(&["import", "export.json"]);
    for id in &ids {
        assert_eq!(history(&third, id), history(&env, id));
    }
}

#[test]
fn an_export_with_a_bad_history_is_refused_whole() {
    let (env, _) = newsroom();
    let mut doc: Value =
        serde_json::from_str(&env.ok(&["export", "--format", "json"]).stdout).unwrap();
    doc["claims"][0]["history"][1]["at"] = Value::String("last Tuesday".into());
    doc["claims"][1]["history"][0]["status"] = Value::String("mostly true".into());
    let fresh = TestEnv::init();
    fresh.write("export.json", doc.to_string());
    let r = fresh.err(&["import", "export.json"]);
    assert!(
        r.stderr
            .contains("history[1]: time \"last Tuesday\" is not RFC 3339"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("history[0]: unknown status \"mostly true\""),
        "{}",
        r.stderr
    );
}
