//! Many writers at once: separate processes adding, changing statuses and importing
//! into one ledger at the same time lose nothing and leave a log that verifies.

use std::collections::HashSet;

use crate::common::TestEnv;

const WRITERS: usize = 8;
const ADDS: usize = 200;
/// Every this many adds, a writer also verifies one of its claims.
const STATUS_EVERY: usize = 20;
const IMPORT_ROWS: usize = 100;

fn import_file(env: &TestEnv, name: &str) {
    let mut csv = String::from("source,subject,property,value,date,text,unit,as_of,quote\n");
    for i in 0..IMPORT_ROWS {
        csv.push_str(&format!("wire,import-{name},deaths,{i},,,,,\n"));
    }
    env.write(&format!("{name}.csv"), csv);
}

/// One writer: its adds in turn, with a status change now and then; returns its ids.
fn writer(env: &TestEnv, k: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..ADDS {
        let value = i.to_string();
        let subject = format!("writer-{k}");
        let r = env.ok(&[
            "add",
            "--source",
            "wire",
            "--subject",
            &subject,
            "--property",
            "deaths",
            "--value",
            &value,
        ]);
        ids.push(r.stdout.trim().to_string());
        if (i + 1) % STATUS_EVERY == 0 {
            env.ok(&[
                "status",
                &ids[i],
                "verified",
                "--note",
                &format!("writer {k}"),
            ]);
        }
    }
    ids
}

#[test]
fn eight_writers_statuses_and_two_imports_at_once_lose_nothing() {
    let env = TestEnv::init();
    env.source("wire", "2024-04-01");
    import_file(&env, "a");
    import_file(&env, "b");
    let written: Vec<Vec<String>> = std::thread::scope(|s| {
        let imports: Vec<_> = ["a.csv", "b.csv"]
            .map(|f| {
                let env = &env;
                s.spawn(move || env.ok(&["import", f]))
            })
            .into_iter()
            .collect();
        let writers: Vec<_> = (0..WRITERS)
            .map(|k| {
                let env = &env;
                s.spawn(move || writer(env, k))
            })
            .collect();
        for i in imports {
            i.join().unwrap();
        }
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    });

    let v = env.json(&["verify"]);
    assert_eq!(v["ok"], true, "{v}");
    let claims = WRITERS * ADDS + 2 * IMPORT_ROWS;
    let statuses = WRITERS * ADDS / STATUS_EVERY;
    assert_eq!(v["claims"], claims);
    // The source, every claim and every status change, and each import's batch header:
    // nothing lost, nothing twice.
    assert_eq!(v["entries"], 1 + claims + statuses + 2);

    let list = env.json(&["list"]);
    let list = list.as_array().unwrap();
    let listed: HashSet<&str> = list
        .iter()
        .map(|c| &c["id"].as_str().unwrap()[..12])
        .collect();
    for ids in &written {
        assert_eq!(ids.len(), ADDS);
        for id in ids {
            assert!(listed.contains(id.as_str()), "claim {id} is missing");
        }
    }
    let verified = list.iter().filter(|c| c["status"] == "verified").count();
    assert_eq!(verified, statuses);
    for name in ["import-a", "import-b"] {
        let n = list.iter().filter(|c| c["subject"] == name).count();
        assert_eq!(n, IMPORT_ROWS, "{name}");
    }
}
