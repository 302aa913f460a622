//! The derived index (`ledger/.cache/`): every command answers the same with it and
//! without it (`--no-index`), on the shipped ledger and on a generated one, and it is
//! caught up or rebuilt when the log changes underneath it. (Which of the two it did is
//! checked by the core's own tests; here what matters is the answers.)

use std::path::{Path, PathBuf};

use crate::common::{Run, TestEnv};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A workspace holding a copy of the shipped ledger and its seeds.
fn shipped() -> TestEnv {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.ledger_dir()).unwrap();
    for f in ["log.ron", "config.ron"] {
        std::fs::copy(repo().join("ledger").join(f), env.ledger_dir().join(f)).unwrap();
    }
    copy_dir(&repo().join("seeds"), &env.root().join("seeds"));
    env
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        // Not the index: a copy builds its own.
        if e.path().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// A generated ledger: 600 claims from 12 sources about 25 subjects, quantities and
/// dates that disagree, some statuses set.
fn generated() -> TestEnv {
    let env = TestEnv::init();
    let mut csv = String::from("source,subject,property,value,date,text,unit,as_of,quote\n");
    let mut x: u64 = 7;
    let mut next = |n: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % n
    };
    for i in 0..600 {
        let (src, subj) = (next(12), next(25));
        let as_of = format!("2023-{:02}-{:02}", 1 + next(12), 1 + next(28));
        let row = match i % 3 {
            0 => format!(
                "s{src},event-{subj},deaths,{},,,,{as_of},row {i}",
                40 + next(30)
            ),
            1 => format!(
                "s{src},event-{subj},injured,about {},,,,{as_of},row {i}",
                100 + 10 * next(9)
            ),
            _ => format!(
                "s{src},event-{subj},date,,2023-0{}-1{},,,{as_of},row {i}",
                1 + next(3),
                next(9)
            ),
        };
        csv.push_str(&row);
        csv.push('\n');
    }
    env.write("rows.csv", csv);
    env.ok(&["import", "--no-index", "--create-sources", "rows.csv"]);
    let ids = env.json(&["list", "--no-index", "--subject", "event-3"]);
    for (n, c) in ids.as_array().unwrap().iter().take(4).enumerate() {
        let status = ["verified", "false", "disputed", "retracted"][n];
        env.ok(&["status", "--no-index", c["id"].as_str().unwrap(), status]);
    }
    env
}

/// Runs `args` with the index and without it, and asserts the same output and exit code.
fn same(env: &TestEnv, args: &[&str]) -> Run {
    let with = env.run(args);
    let mut plain = vec!["--no-index"];
    plain.extend_from_slice(args);
    let without = env.run(&plain);
    assert_eq!(
        (&with.stdout, &with.stderr, with.code),
        (&without.stdout, &without.stderr, without.code),
        "factledger {args:?} answers differently with the index"
    );
    with
}

/// Runs a write `args` on two copies of `env`, one through the index, and asserts the
/// same output, exit code and resulting log.
fn same_write(env: &TestEnv, args: &[&str]) {
    let (a, b) = (TestEnv::new(), TestEnv::new());
    for t in [&a, &b] {
        copy_dir(&env.ledger_dir(), &t.ledger_dir());
        if env.root().join("seeds").is_dir() {
            copy_dir(&env.root().join("seeds"), &t.root().join("seeds"));
        }
        // Each copy reads through its own index first, so the write finds one current.
        t.run(&["list", "--subject", "nothing-here"]);
    }
    let with = a.run(args);
    let mut plain = vec!["--no-index"];
    plain.extend_from_slice(args);
    let without = b.run(&plain);
    assert_eq!(
        (&with.stdout, &with.stderr, with.code),
        (&without.stdout, &without.stderr, without.code),
        "factledger {args:?} answers differently with the index"
    );
    assert!(
        a.log_bytes() == b.log_bytes(),
        "{args:?} wrote differently with the index"
    );
    // And what the index says afterwards is what the log says.
    same(
        &a,
        &[
            "list",
            "--subject",
            args_subject(args).unwrap_or("x"),
            "--format",
            "json",
        ],
    );
}

fn args_subject<'a>(args: &[&'a str]) -> Option<&'a str> {
    args.iter()
        .position(|a| *a == "--subject")
        .map(|i| args[i + 1])
}

fn first_id(env: &TestEnv, subject: &str) -> String {
    env.json(&["list", "--no-index", "--subject", subject])[0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn every_command_answers_the_same_with_and_without_the_index_on_the_shipped_ledger() {
    let env = shipped();
    let subject = "crocus-city-hall-attack-2024";
    let id = first_id(&env, subject);
    for args in [
        vec!["list", "--subject", subject],
        vec!["list", "--subject", subject, "--format", "json"],
        vec![
            "list",
            "--subject",
            subject,
            "--property",
            "killed",
            "--format",
            "csv",
        ],
        vec!["list", "--subject", "crocus-city-hal-attack-2024"],
        vec!["list", "--subject", subject, "--property", "deathz"],
        vec!["show", &id],
        vec!["show", &id[..6], "--format", "json"],
        vec!["show", "0000"],
        vec!["conflicts", "--format", "json"],
        vec!["subjects"],
        vec!["source", "list"],
    ] {
        same(&env, &args);
    }
    let r = same(&env, &["list", "--subject", subject, "--format", "json"]);
    assert!(r.json().as_array().unwrap().len() >= 5, "{}", r.stdout);
    same_write(
        &env,
        &[
            "add",
            "--source",
            "seed-002",
            "--subject",
            subject,
            "--property",
            "deaths",
            "--value",
            "150",
        ],
    );
    same_write(
        &env,
        &[
            "add",
            "--source",
            "seed-002",
            "--subject",
            "crocus-city-hall-attak-2024",
            "--property",
            "deaths",
            "--value",
            "150",
        ],
    );
    same_write(&env, &["status", &id, "verified", "--note", "checked"]);
    same_write(&env, &["status", &id[..4], "disputed"]);
    same_write(&env, &["source", "add", "new-src", "--title", "A new one"]);
    same_write(&env, &["source", "add", "seed-002", "--title", "Taken"]);
}

#[test]
fn every_command_answers_the_same_with_and_without_the_index_on_a_generated_ledger() {
    let env = generated();
    let id = first_id(&env, "event-3");
    for args in [
        vec!["list", "--subject", "event-3", "--format", "json"],
        vec!["list", "--subject", "event-7", "--status", "unverified"],
        vec!["list", "--subject", "event-99"],
        vec!["show", &id, "--format", "json"],
        vec!["show", &id[..4]],
        vec!["conflicts", "--subject", "event-3", "--format", "json"],
        vec!["source", "list", "--format", "json"],
    ] {
        same(&env, &args);
    }
    same_write(
        &env,
        &[
            "add",
            "--source",
            "s1",
            "--subject",
            "event-3",
            "--property",
            "deaths",
            "--value",
            "1000",
            "--as-of",
            "2023-06-01",
        ],
    );
    same_write(
        &env,
        &[
            "add",
            "--source",
            "s1",
            "--subject",
            "event-4",
            "--property",
            "deaths",
            "--value",
            "55",
            "--supersedes",
            &first_id(&env, "event-4"),
        ],
    );
    same_write(&env, &["status", &id, "false"]);
}

/// Logs a deaths claim as a process that does not keep the index would (an older
/// version, a git merge).
fn add_without_index(env: &TestEnv, source: &str, subject: &str, value: &str) {
    env.ok(&[
        "--no-index",
        "add",
        "--source",
        source,
        "--subject",
        subject,
        "--property",
        "deaths",
        "--value",
        value,
    ]);
}

/// The claims of a subject as the index gives them, checked against the log read whole.
fn listed(env: &TestEnv, subject: &str) -> serde_json::Value {
    same(env, &["list", "--subject", subject, "--format", "json"]).json()
}

#[test]
fn the_index_catches_up_on_an_append_by_another_process() {
    let env = generated();
    let before = listed(&env, "event-5").as_array().unwrap().len();
    // A process that does not keep the index (an older version, a git merge) appends.
    add_without_index(&env, "s2", "event-5", "77");
    let after = listed(&env, "event-5");
    assert_eq!(after.as_array().unwrap().len(), before + 1);
    assert!(after.as_array().unwrap().iter().any(|c| c["value"] == "77"));
}

#[test]
fn the_index_is_rebuilt_after_a_changed_byte_in_an_old_entry() {
    let env = generated();
    let old = listed(&env, "event-5");
    let value = old[0]["value"].as_str().unwrap().to_string();
    let text = String::from_utf8(env.log_bytes()).unwrap();
    let needle = format!("raw:\"{value}\"");
    let at = text.find("subject:\"event-5\"").unwrap();
    let pos = at + text[at..].find(&needle).unwrap();
    // The same length, in place: only the file's times and its bytes change.
    let edited = format!("raw:\"{}\"", "9".repeat(value.len()));
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(env.log_path())
        .unwrap();
    std::os::unix::fs::FileExt::write_all_at(&f, edited.as_bytes(), pos as u64).unwrap();
    let new = listed(&env, "event-5");
    assert_eq!(new[0]["value"], "9".repeat(value.len()));
}

#[test]
fn the_index_is_rebuilt_after_the_log_is_cut_or_replaced() {
    let env = generated();
    for v in ["501", "502", "503"] {
        add_without_index(&env, "s2", "event-5", v);
    }
    let values = |l: &serde_json::Value| -> Vec<String> {
        l.as_array()
            .unwrap()
            .iter()
            .map(|c| c["value"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(values(&listed(&env, "event-5")).contains(&"503".to_string()));
    // Cut back by one entry (the last claim), as a restore of an older copy would.
    let bytes = env.log_bytes();
    let cut = bytes[..bytes.len() - 1]
        .iter()
        .rposition(|b| *b == b'\n')
        .unwrap()
        + 1;
    std::fs::OpenOptions::new()
        .write(true)
        .open(env.log_path())
        .unwrap()
        .set_len(cut as u64)
        .unwrap();
    let after_cut = values(&listed(&env, "event-5"));
    assert!(after_cut.contains(&"502".to_string()) && !after_cut.contains(&"503".to_string()));
    // Replaced by another ledger's log (a checkout, a restore).
    let other = generated();
    add_without_index(&other, "s3", "event-5", "12345");
    std::fs::copy(other.log_path(), env.root().join("log.new")).unwrap();
    std::fs::rename(env.root().join("log.new"), env.log_path()).unwrap();
    let replaced = values(&listed(&env, "event-5"));
    assert!(replaced.contains(&"12345".to_string()) && !replaced.contains(&"502".to_string()));
}

#[test]
fn the_index_is_rebuilt_when_deleted_or_damaged_and_ignored_by_git() {
    let env = generated();
    listed(&env, "event-5");
    let cache = env.ledger_dir().join(".cache");
    assert_eq!(
        std::fs::read_to_string(cache.join(".gitignore"))
            .unwrap()
            .lines()
            .last(),
        Some("*")
    );
    std::fs::remove_dir_all(&cache).unwrap();
    listed(&env, "event-5");
    assert!(cache.join("index.sqlite").is_file());
    for e in std::fs::read_dir(&cache).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().unwrap() != ".gitignore" {
            std::fs::write(p, vec![0xAB; 5000]).unwrap();
        }
    }
    listed(&env, "event-5");
}

#[test]
fn a_torn_tail_reads_the_same_through_the_index_and_refuses_writes() {
    let env = generated();
    listed(&env, "event-5");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(env.log_path())
        .unwrap();
    std::io::Write::write_all(&mut f, b"(seq:99999,at:\"2024").unwrap();
    let r = same(&env, &["list", "--subject", "event-5"]);
    assert!(r.stderr.contains("torn write"), "{}", r.stderr);
    let w = env.err(&[
        "add",
        "--source",
        "s1",
        "--subject",
        "event-5",
        "--property",
        "deaths",
        "--value",
        "3",
    ]);
    assert!(w.stderr.contains("factledger recover"), "{}", w.stderr);
}

#[test]
fn a_kept_report_is_replayed_only_while_the_log_and_settings_stand() {
    let env = generated();
    // Make the index exist and be level; the first report is computed and kept.
    listed(&env, "event-5");
    for format in ["json", "jsonl"] {
        for _ in 0..2 {
            same(&env, &["conflicts", "--format", format]);
            same(&env, &["conflicts", "--format", format, "--exit-code"]);
        }
    }
    let cache = env.ledger_dir().join(".cache");
    let kept = |name: &str| {
        std::fs::read_dir(&cache)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(name)
            })
            .count()
    };
    assert_eq!((kept("conflicts-json-"), kept("conflicts-jsonl-")), (1, 1));
    // One subject's report reads that subject with the trust kept.
    same(
        &env,
        &["conflicts", "--subject", "event-5", "--format", "json"],
    );
    same(
        &env,
        &["conflicts", "--subject", "event-5", "--property", "deaths"],
    );
    same(&env, &["conflicts", "--subject", "event-55"]);
    // A new claim: the kept report is of an older log and must not be replayed.
    let before = env.ok(&["conflicts", "--format", "json"]).stdout;
    env.ok(&[
        "add",
        "--source",
        "s4",
        "--subject",
        "event-5",
        "--property",
        "deaths",
        "--value",
        "100000",
    ]);
    let after = same(&env, &["conflicts", "--format", "json"]);
    assert_ne!(before, after.stdout);
    assert!(after.stdout.contains("100000"));
    assert_eq!(
        kept("conflicts-json-"),
        1,
        "the older report's body is removed"
    );
    // So must a change of settings.
    let config = env.ledger_dir().join("config.ron");
    let text = std::fs::read_to_string(&config).unwrap();
    let changed = text.replacen("cumulative: [", "cumulative: [\"deaths\", ", 1);
    assert_ne!(changed, text, "{text}");
    std::fs::write(&config, changed).unwrap();
    same(&env, &["conflicts", "--format", "json"]);
}

/// Runs `factledger args` in `env` under a file size limit of `bytes` (rounded down to
/// 512-byte blocks): any file it writes stops there, as on a full disk; stdout (a pipe)
/// does not.
fn run_with_file_limit(env: &TestEnv, bytes: usize, args: &[&str]) -> Run {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -f {}; exec \"$0\" \"$@\"", bytes / 512))
        .arg(TestEnv::bin())
        .args(args)
        .current_dir(env.root())
        .env("FACTLEDGER_USER", "tester")
        .env_remove("FACTLEDGER_DIR")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// The copy of a whole report kept in the index only saves work: when it cannot be
/// written (the cache's file system full, here a file size limit half the report's
/// size), the report still answers exactly as with `--no-index`. Review 13: it failed
/// with exit 2 ("cannot write output: File too large") and a cut stdout.
#[test]
fn a_whole_report_answers_as_without_the_index_when_its_kept_copy_cannot_be_written() {
    let env = generated();
    env.ok(&["list", "--subject", "event-3"]);
    let report = env.ok(&["--no-index", "conflicts", "--format", "json"]);
    let limit = report.stdout.len() / 2;
    let with = run_with_file_limit(&env, limit, &["conflicts", "--format", "json"]);
    let without = run_with_file_limit(
        &env,
        limit,
        &["--no-index", "conflicts", "--format", "json"],
    );
    assert_eq!(
        (&with.stdout, &with.stderr, with.code),
        (&without.stdout, &without.stderr, without.code),
        "conflicts --format json answers differently with the index when its copy cannot be kept"
    );
}

/// With stdout and stderr in one file (`2>&1`), a report for programs comes whole and
/// its summary after it: computed without an index, computed and kept, and replayed.
#[test]
fn a_reports_summary_follows_the_report_when_both_streams_are_one_file() {
    let env = shipped();
    let args = ["conflicts", "--format", "jsonl"];
    let apart = env.run(&["--no-index", "conflicts", "--format", "jsonl"]);
    assert!(apart.stderr.contains(" findings: "), "{}", apart.stderr);
    let want = format!("{}{}", apart.stdout, apart.stderr);
    for round in 0..3 {
        if round == 1 {
            // Now an index exists: this run keeps its report, the next replays it.
            env.ok(&["source", "list"]);
        }
        let path = env.root().join("both.txt");
        let file = std::fs::File::create(&path).unwrap();
        let status = env
            .process(&args)
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0));
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            want,
            "round {round}"
        );
    }
    let kept = env.ledger_dir().join(".cache");
    let names: Vec<String> = std::fs::read_dir(&kept)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().any(|n| n.contains("conflicts-jsonl")),
        "{names:?}"
    );
}
