//! Hostile input of every kind: special files, huge and damaged log lines, paths out of
//! the workspace, round trips through a spreadsheet guard, entries from a newer version.
//! Each case asserts the exit code (never 101 or 134), the message, and that a refused
//! input left the log as it was.

use std::io::Write;

use sha2::{Digest, Sha256};

use crate::common::{assert_has, TestEnv};

fn mkfifo(env: &TestEnv, name: &str) -> String {
    let path = env.root().join(name);
    let ok = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo");
    assert!(ok.success());
    path.to_string_lossy().into_owned()
}

#[test]
fn devices_fifos_and_directories_are_refused_before_reading() {
    let env = TestEnv::init();
    env.source("wire", "2024-01-02");
    let fifo = mkfifo(&env, "pipe.csv");
    for (args, what) in [
        (
            vec!["import", "/dev/zero", "--input-format", "csv"],
            "is a device, not a regular file",
        ),
        (
            vec!["import", fifo.as_str()],
            "is a named pipe (FIFO), not a regular file",
        ),
        (
            vec!["import", "/tmp", "--input-format", "csv"],
            "is a directory, not a regular file",
        ),
        (
            vec![
                "source",
                "add",
                "z",
                "--title",
                "Z",
                "--file",
                "/dev/zero",
                "--allow-outside",
            ],
            "is a device, not a regular file",
        ),
        (
            vec![
                "source",
                "add",
                "f",
                "--title",
                "F",
                "--file",
                fifo.as_str(),
            ],
            "is a named pipe (FIFO), not a regular file",
        ),
    ] {
        let r = env.err(&args);
        assert_has(&r.stderr, what);
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_without_reading_it() {
    let env = TestEnv::init();
    let big = env.root().join("sparse.csv");
    let f = std::fs::File::create(&big).unwrap();
    // Sparse: two gigabytes of nothing, no line end anywhere.
    f.set_len(2 << 30).unwrap();
    let r = env.err(&["import", "sparse.csv"]);
    assert_has(
        &r.stderr,
        "is 2147483648 bytes, more than the 1073741824 bytes",
    );
    assert_has(&r.stderr, "max_file_bytes");
}

#[test]
fn a_file_with_no_line_ends_is_refused_as_not_rows() {
    let env = TestEnv::init();
    env.source("wire", "2024-01-02");
    let mut bytes = b"source,subject,property,value,date,text,unit,as_of,quote\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', 65 << 20));
    env.write("long.csv", &bytes);
    let r = env.err(&["import", "long.csv"]);
    assert_has(&r.stderr, "a line is longer than 64 MiB");
}

#[test]
fn source_files_outside_the_workspace_are_refused_unless_allowed() {
    let env = TestEnv::init();
    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "a secret sentence").unwrap();
    let path = outside.path().to_str().unwrap();
    let r = env.err(&["source", "add", "out", "--title", "Out", "--file", path]);
    assert_has(&r.stderr, "lies outside the workspace");
    // With the flag it is the user's choice, and verify reads it only with the flag.
    env.ok(&[
        "source",
        "add",
        "out",
        "--title",
        "Out",
        "--file",
        path,
        "--allow-outside",
    ]);
    let r = env.findings(&["verify"]);
    assert_has(&r.stdout, "lies outside the workspace");
    env.ok(&["verify", "--allow-outside"]);
}

#[test]
fn an_imported_ledger_cannot_point_a_source_at_any_file_on_the_machine() {
    let env = TestEnv::init();
    for file in ["/etc/shadow", "/dev/zero", "../../etc/passwd"] {
        let doc = serde_json::json!({
            "format": "factledger-export-v1",
            "sources": [{"id": "probe", "title": "P", "file": file, "sha256": "00"}],
            "claims": [{"source": "probe", "subject": "s", "property": "deaths",
                        "value": "5", "quote": "root:"}],
        });
        env.write("probe.json", doc.to_string());
        let r = env.err(&["import", "probe.json"]);
        assert_has(&r.stderr, "lies outside the workspace");
        assert!(
            !r.stderr.contains("hashes to"),
            "no hash of {file} is printed"
        );
    }
}

#[test]
fn every_exported_csv_row_imports_back_byte_for_byte() {
    let env = TestEnv::init();
    env.source("wire", "2024-01-02");
    let hostile = [
        "=SUM(A1:A9)",
        "+1 more",
        "-minus",
        "@handle",
        "'already quoted",
        "'=both",
        "\tTabbed",
        "plain",
    ];
    for (i, t) in hostile.iter().enumerate() {
        env.ok(&[
            "add",
            "--source",
            "wire",
            "--subject",
            "event",
            "--property",
            &format!("p{i}"),
            "--text",
            t,
            "--quote",
            t,
            "--note",
            t,
        ]);
    }
    let exported = env.ok(&["export", "--format", "csv"]).stdout;
    let fresh = TestEnv::init();
    fresh.source("wire", "2024-01-02");
    fresh.write("back.csv", &exported);
    fresh.ok(&["import", "back.csv"]);
    let ids = |e: &TestEnv| {
        let mut v: Vec<(String, String)> = e
            .json(&["list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_string(),
                    c["value"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(&fresh), ids(&env));
    let values: Vec<String> = ids(&fresh).into_iter().map(|(_, v)| v).collect();
    for t in hostile {
        assert!(
            values.contains(&t.to_string()),
            "{t:?} did not come back: {values:?}"
        );
    }
}

/// A record line in factledger's form, chained after `prev`, with any entry text.
fn chained(seq: u64, prev: &str, entry: &str) -> String {
    let body = format!(
        "(seq:{seq},at:\"2030-01-01T00:00:00Z\",by:\"future\",prev:\"{prev}\",entry:{entry}"
    );
    let hash = hex::encode(Sha256::digest(format!("{body})").as_bytes()));
    format!("{body},hash:\"{hash}\")")
}

fn last_hash_and_seq(log: &str) -> (String, u64) {
    let last = log.lines().rev().find(|l| l.starts_with("(seq:")).unwrap();
    let hash = last
        .rsplit("hash:\"")
        .next()
        .unwrap()
        .trim_end_matches("\")")
        .to_string();
    let seq = last["(seq:".len()..]
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (hash, seq)
}

#[test]
fn an_entry_of_a_kind_from_a_newer_version_is_kept_checked_and_skipped() {
    let env = TestEnv::init();
    env.source("wire", "2024-01-02");
    env.claim("wire", "event", "deaths", "10", &[]);
    let log = String::from_utf8(env.log_bytes()).unwrap();
    let (prev, seq) = last_hash_and_seq(&log);
    let line = chained(seq + 1, &prev, "Checkpoint((size:2,root:\"abc\"))");
    std::fs::write(env.log_path(), format!("{log}{line}\n")).unwrap();
    let r = env.ok(&["list", "--format", "json"]);
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    assert_has(
        &r.stderr,
        "1 entry of kind Checkpoint (first on line 4) written by a newer version",
    );
    // Appends chain onto it, and verify checks it by hash and chain.
    env.claim("wire", "event", "deaths", "12", &[]);
    let v = env.ok(&["verify"]);
    assert!(v.stdout.contains("ok:"), "{}", v.stdout);
    assert_has(
        &v.stdout,
        "written by a newer version of factledger: hash and chain checked",
    );
    // Changed by hand, it fails verify like any entry.
    let log = String::from_utf8(env.log_bytes())
        .unwrap()
        .replace("root:\\\"abc\\\"", "root:\\\"abd\\\"")
        .replace("root:\"abc\"", "root:\"abd\"");
    std::fs::write(env.log_path(), log).unwrap();
    let v = env.findings(&["verify"]);
    assert_has(&v.stdout, "line 4: the entry's text hashes to");
}

#[test]
fn a_whole_last_line_without_its_line_end_is_accepted_and_appended_after() {
    let env = TestEnv::init();
    env.source("wire", "2024-01-02");
    env.claim("wire", "event", "deaths", "10", &[]);
    let mut log = env.log_bytes();
    assert_eq!(log.pop(), Some(b'\n'));
    std::fs::write(env.log_path(), &log).unwrap();
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 1);
    let r = env.ok(&["recover"]);
    assert_has(&r.stdout, "No torn line");
    env.claim("wire", "event", "deaths", "11", &[]);
    assert_eq!(env.json(&["list"]).as_array().unwrap().len(), 2);
    assert!(env.ok(&["verify"]).stdout.starts_with("ok:"));
}

#[test]
fn a_huge_garbage_line_is_quoted_as_a_short_excerpt() {
    let env = TestEnv::init();
    env.source("wire", "2024-01-02");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(env.log_path())
        .unwrap();
    f.write_all(b"(seq:9,").unwrap();
    f.write_all(&vec![b'z'; 20 << 20]).unwrap();
    f.write_all(b"\n").unwrap();
    drop(f);
    for cmd in [vec!["list"], vec!["verify"], vec!["conflicts"]] {
        let r = env.run(&cmd);
        assert_eq!(r.code, 2, "{cmd:?}: {}", r.stderr);
        assert_has(&r.stderr, "log.ron:3:");
        assert!(
            r.stderr.len() < 2000,
            "{cmd:?} printed {} bytes",
            r.stderr.len()
        );
    }
}

#[test]
fn a_hand_edited_claim_id_with_a_multibyte_character_is_reported_not_a_panic() {
    let env = TestEnv::init();
    env.source("wire", "2024-01-02");
    let id = env.claim("wire", "event", "deaths", "10", &[]);
    let full = env.json(&["show", &id])["claim"]["full_id"]
        .as_str()
        .unwrap()
        .to_string();
    let log = String::from_utf8(env.log_bytes())
        .unwrap()
        .replace(&full, "aaaaaaaaaaaé");
    std::fs::write(env.log_path(), log).unwrap();
    let v = env.findings(&["verify"]);
    assert_has(&v.stdout, "the entry's text hashes to");
    assert_has(&v.stdout, "claim id aaaaaaaaaaa does not match its content");
}

#[test]
fn the_file_size_limit_is_set_in_config_ron() {
    let env = TestEnv::init();
    env.source("wire", "2024-01-02");
    env.write(
        "rows.csv",
        "source,subject,property,value,date,text,unit,as_of,quote\nwire,event,deaths,5,,,,,\n",
    );
    std::fs::write(env.ledger_dir().join("config.ron"), "(max_file_bytes: 40)").unwrap();
    let r = env.err(&["import", "rows.csv"]);
    assert_has(&r.stderr, "is 82 bytes, more than the 40 bytes");
    std::fs::write(
        env.ledger_dir().join("config.ron"),
        "(max_file_bytes: 4000)",
    )
    .unwrap();
    env.ok(&["import", "rows.csv"]);
}

/// Text that would drive a terminal: OSC title, CSI, BEL, C1 CSI, DEL, bidi override,
/// isolates, zero-width characters, LRM/RLM/ALM, BOM, soft hyphen.
const EVIL: &str = "e\u{1b}]0;PWNED\u{7}v\u{1b}[2J\u{9b}31m\u{7f}i\u{202e}l\u{2066}\u{200b}\u{200d}\u{200e}\u{200f}\u{61c}\u{feff}\u{ad}!";

/// What must never reach a terminal raw.
fn raw_unsafe(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        || matches!(c, '\u{ad}' | '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// Runs factledger on a pseudo-terminal (util-linux `script`) and returns what the
/// terminal received, stdout and stderr together.
fn on_a_terminal(env: &TestEnv, args: &[&str]) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let mut line = quote(TestEnv::bin().to_str().unwrap());
    for a in args {
        line.push(' ');
        line.push_str(&quote(a));
    }
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(env.root())
        .env("FACTLEDGER_NOW", "2024-05-01T12:00:00Z")
        .env("FACTLEDGER_USER", "tester")
        .env_remove("FACTLEDGER_DIR")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script (util-linux) runs a command on a pseudo-terminal");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn no_command_or_format_prints_a_raw_control_bidi_or_invisible_character_to_a_terminal() {
    let env = TestEnv::init();
    env.ok(&[
        "source",
        "add",
        "evil",
        "--title",
        EVIL,
        "--outlet",
        EVIL,
        "--author",
        EVIL,
        "--url",
        EVIL,
        "--published",
        "2024-01-02",
        "--published-note",
        EVIL,
    ]);
    let mut ids = Vec::new();
    for (v, as_of) in [("10", "2024-01-01"), ("20", "2024-01-01")] {
        let r = env.ok(&[
            "add",
            "--source",
            "evil",
            "--subject",
            "event",
            "--property",
            "deaths",
            "--value",
            v,
            "--unit",
            EVIL,
            "--as-of",
            as_of,
            "--quote",
            EVIL,
            "--note",
            EVIL,
            "--by",
            EVIL,
        ]);
        ids.push(r.stdout.trim().to_string());
    }
    env.ok(&[
        "add",
        "--source",
        "evil",
        "--subject",
        "event",
        "--property",
        "name",
        "--text",
        EVIL,
    ]);
    env.ok(&[
        "status",
        &ids[0],
        "disputed",
        "--note",
        EVIL,
        "--evidence",
        EVIL,
        "--by",
        EVIL,
    ]);
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["subjects"],
        vec!["export", "--format", "json"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "claimreview"],
        vec!["status", &ids[1], "verified", "--note", EVIL],
        vec![
            "add",
            "--source",
            "evil",
            "--subject",
            "event",
            "--property",
            "deaths",
            "--value",
            "99",
            "--quote",
            EVIL,
        ],
        vec!["list", "--subject", EVIL],
    ];
    for cmd in [
        vec!["list"],
        vec!["conflicts"],
        vec!["source", "list"],
        vec!["verify"],
    ] {
        for f in ["table", "json", "csv"] {
            let mut c = cmd.clone();
            c.extend(["--format", f]);
            runs.push(c);
        }
    }
    for f in ["table", "json"] {
        runs.push(vec!["show", &ids[0], "--format", f]);
    }
    let mut seen = 0;
    for args in &runs {
        // Our own progress line clears itself with ESC [2K: the one escape we send.
        let shown = on_a_terminal(&env, args).replace("\u{1b}[2K", "");
        assert!(!shown.trim().is_empty(), "{args:?} printed nothing");
        if let Some(c) = shown.chars().find(|&c| raw_unsafe(c)) {
            panic!(
                "{args:?} printed U+{:04X} raw to the terminal:\n{shown:?}",
                c as u32
            );
        }
        seen += usize::from(shown.contains("\\u{1b}") || shown.contains("\\u001b"));
    }
    assert!(
        seen >= runs.len() / 2,
        "the hostile text was shown, escaped, in {seen} runs"
    );
}

mod arbitrary_rows {
    use proptest::prelude::*;

    use crate::common::TestEnv;

    /// Values as hostile as the grammar sees them: huge and tiny numbers, units of
    /// time, dates far away, ranges, any text.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("79228162514264337593543950335".to_string()),
            Just("79228162514264337593543950334".to_string()),
            Just("40000000000000000000 centuries".to_string()),
            Just("0.0000000000000000000000000001".to_string()),
            Just("-79228162514264337593543950335 years".to_string()),
            "(about|over|nearly|between [0-9]{1,3} and|up to) [0-9]{1,30}( bn| million| km| days)?",
            "[0-9]{1,40}",
            any::<String>(),
        ]
    }

    fn csv_cell(s: &str) -> String {
        format!("\"{}\"", s.replace('"', "\"\""))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever rows come in, import, conflicts, list, show and export end with an
        /// exit code of their contract (0, 1 or 2), never a panic or an abort.
        #[test]
        fn arbitrary_rows_through_every_command_never_panic(
            rows in proptest::collection::vec(
                // Few subjects and properties, so that rows meet in the same figure.
                (0usize..2, "[ab]", prop_oneof![Just("deaths"), Just("date"), Just("name")], value(), prop_oneof![4 => Just(0usize), 1 => Just(1usize), 1 => Just(2usize)]),
                1..12,
            ),
        ) {
            let env = TestEnv::init();
            let header = "source,subject,property,value,date,text,unit,as_of,quote\n";
            let mut all = String::from(header);
            let mut runs = Vec::new();
            for (i, (src, subject, property, v, kind)) in rows.iter().enumerate() {
                let cells = match kind {
                    0 => [csv_cell(v), String::new(), String::new()],
                    1 => [String::new(), csv_cell(v), String::new()],
                    _ => [String::new(), String::new(), csv_cell(v)],
                };
                let row = format!(
                    "s{src},{subject},{property},{},{},{},,2024-0{}-01,\n",
                    cells[0], cells[1], cells[2], 1 + src
                );
                all.push_str(&row);
                // One file per row, so that the good rows get in (an import is all or
                // none) and meet each other in findings; `add` checks each as it comes.
                let name = format!("row{i}.csv");
                env.write(&name, format!("{header}{row}"));
                runs.push(env.run(&["import", &name, "--create-sources"]));
                if *kind == 0 {
                    runs.push(env.run(&[
                        "add", "--source", &format!("s{src}"), "--subject", subject,
                        "--property", property, "--value", v, "--as-of", "2024-03-01",
                    ]));
                }
            }
            env.write("rows.csv", &all);
            runs.extend([
                env.run(&["import", "rows.csv", "--create-sources"]),
                env.run(&["conflicts", "--format", "json"]),
                env.run(&["conflicts"]),
                env.run(&["list", "--format", "json"]),
                env.run(&["export", "--format", "csv"]),
                env.run(&["export", "--format", "json"]),
                env.run(&["export", "--format", "claimreview"]),
            ]);
            let listed = env.run(&["list", "--format", "json"]);
            if let Ok(serde_json::Value::Array(claims)) = serde_json::from_str::<serde_json::Value>(&listed.stdout) {
                for c in claims.iter().take(3) {
                    let id = c["id"].as_str().unwrap_or("0000").to_string();
                    runs.push(env.run(&["show", &id]));
                    runs.push(env.run(&["show", &id, "--format", "json"]));
                }
            }
            for r in runs {
                prop_assert!(matches!(r.code, 0..=2), "exit {}: {}", r.code, r.stderr);
                prop_assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
            }
        }
    }
}

#[test]
fn extract_refuses_a_fifo_a_device_and_a_file_over_the_limit_before_reading() {
    let env = TestEnv::init();
    let fifo = mkfifo(&env, "article.txt");
    let sparse = env.root().join("huge.txt");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    for (file, what) in [
        (fifo.as_str(), "is a named pipe (FIFO), not a regular file"),
        ("/dev/zero", "is a device, not a regular file"),
        (
            "huge.txt",
            "is 2147483648 bytes, more than the 1073741824 bytes",
        ),
    ] {
        let r = env.err(&["extract", file]);
        assert_has(&r.stderr, "cannot read the article");
        assert_has(&r.stderr, what);
    }
}

#[test]
fn a_damaged_entry_of_a_known_kind_is_an_error_not_a_newer_version() {
    let env = TestEnv::init();
    let line = chained(
        1,
        &"0".repeat(64),
        "Import((origin:\"x\",size:\"not a number\",root:\"r\",chain_head:\"c\"))",
    );
    let log = String::from_utf8(env.log_bytes()).unwrap();
    std::fs::write(env.log_path(), format!("{log}{line}\n")).unwrap();
    let r = env.err(&["verify"]);
    assert_has(&r.stderr, "log.ron:2:");
    assert!(!r.stderr.contains("newer version"), "{}", r.stderr);
}
