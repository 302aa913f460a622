//! Team use through git: `init --git` sets up the merge driver, and `git merge` of two
//! branches that both logged entries merges `log.ron` without a conflict.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::TestEnv;

/// Runs git in `dir` with a fixed identity; panics with its output when it fails.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Test Desk")
        .env("GIT_AUTHOR_EMAIL", "desk@example.org")
        .env("GIT_COMMITTER_NAME", "Test Desk")
        .env("GIT_COMMITTER_EMAIL", "desk@example.org")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git is installed");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "git {args:?} failed:\n{text}");
    text
}

/// A git repository holding a ledger set up with `init --git`, the driver pointing at
/// the binary under test.
fn repo() -> TestEnv {
    let env = TestEnv::new();
    let root = env.root();
    git(root, &["init", "--quiet", "--initial-branch=main"]);
    git(root, &["config", "user.name", "Test Desk"]);
    git(root, &["config", "user.email", "desk@example.org"]);
    let r = env.ok(&["init", "--git"]);
    assert!(r.stdout.contains("git merges"), "{}", r.stdout);
    assert_eq!(
        std::fs::read_to_string(env.ledger_dir().join(".gitattributes")).unwrap(),
        "log.ron merge=factledger\n"
    );
    assert_eq!(
        git(root, &["config", "merge.factledger.driver"]).trim(),
        "factledger merge %O %A %B"
    );
    // The tests run the binary they built, not one on PATH.
    let bin = assert_cmd::cargo::cargo_bin("factledger");
    let driver = format!("{} merge %O %A %B", bin.display());
    git(root, &["config", "merge.factledger.driver", &driver]);
    env
}

fn commit(env: &TestEnv, msg: &str) {
    git(env.root(), &["add", "-A"]);
    git(env.root(), &["commit", "--quiet", "-m", msg]);
}

fn claim_ids(env: &TestEnv) -> Vec<String> {
    let mut ids: Vec<String> = env
        .json(&["list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn two_branches_with_conflicting_status_changes_merge_through_git() {
    let mut env = repo();
    let root = env.root().to_path_buf();
    env.source("wire", "2024-04-01");
    let shared = env.claim("wire", "bajaur-blast", "deaths", "54", &[]);
    commit(&env, "shared claim");

    // Alice, on main: three claims, and she verifies the shared one.
    env.set_now("2024-05-02T09:00:00Z");
    let mut ours: Vec<String> = (0..3)
        .map(|i| {
            env.claim(
                "wire",
                "bajaur-blast",
                "injured",
                &format!("{}", 100 + i),
                &["--by", "alice"],
            )
        })
        .collect();
    env.ok(&[
        "status",
        &shared,
        "verified",
        "--note",
        "hospital list",
        "--by",
        "alice",
    ]);
    commit(&env, "alice's claims");
    env.ok(&["head"]);
    let ours_log = env.log_bytes();
    let checkpoint = env.ok(&["head"]).stdout;
    env.write("main-checkpoint.txt", &checkpoint);

    // Bob, on a branch from the shared commit: four claims, and he disputes it later.
    git(&root, &["checkout", "--quiet", "-b", "bob", "HEAD~1"]);
    env.set_now("2024-05-02T10:00:00Z");
    let theirs: Vec<String> = (0..4)
        .map(|i| {
            env.claim(
                "wire",
                "bajaur-blast",
                "arrested",
                &format!("{}", 10 + i),
                &["--by", "bob"],
            )
        })
        .collect();
    env.ok(&[
        "status",
        &shared,
        "disputed",
        "--evidence",
        "morgue count",
        "--by",
        "bob",
    ]);
    commit(&env, "bob's claims");

    git(&root, &["checkout", "--quiet", "main"]);
    let said = git(&root, &["merge", "--no-edit", "bob"]);
    assert!(
        said.contains("factledger merge: 5 entries of theirs appended after ours"),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "claim {shared}: both branches changed its status: ours verified (by alice, 2024-05-02T09:00:00Z), theirs disputed (by bob, 2024-05-02T10:00:00Z); both are kept, disputed (the later) is current"
        )),
        "{said}"
    );

    // Ours is kept byte for byte, so main's checkpoint still holds.
    let merged = env.log_bytes();
    assert_eq!(&merged[..ours_log.len()], &ours_log[..]);
    env.ok(&["verify", "--head", "main-checkpoint.txt"]);
    env.ok(&["verify"]);

    let mut want = vec![shared.clone()];
    want.append(&mut ours);
    want.extend(theirs);
    let mut want_full: Vec<String> = Vec::new();
    for id in claim_ids(&env) {
        assert!(
            want.iter().any(|w| id.starts_with(w.as_str())),
            "unexpected claim {id}"
        );
        want_full.push(id);
    }
    assert_eq!(want_full.len(), 8);

    let shown = env.json(&["show", &shared]);
    let history: Vec<(&str, &str, &str)> = shown["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["status"].as_str().unwrap(),
                h["by"].as_str().unwrap(),
                h["at"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            ("verified", "alice", "2024-05-02T09:00:00Z"),
            ("disputed", "bob", "2024-05-02T10:00:00Z")
        ]
    );
    assert_eq!(shown["claim"]["status"], "disputed");
    assert_eq!(shown["history"][1]["evidence"], "morgue count");

    merge_main_back_into_bob(&mut env);
}

/// Bob logs one more claim and merges main back: he gains alice's entries, and his own,
/// which main holds re-chained, are not added twice.
fn merge_main_back_into_bob(env: &mut TestEnv) {
    let root = env.root().to_path_buf();
    git(&root, &["checkout", "--quiet", "bob"]);
    env.set_now("2024-05-03T08:00:00Z");
    env.claim("wire", "bajaur-blast", "arrested", "20", &["--by", "bob"]);
    commit(env, "bob's late claim");
    let said = git(&root, &["merge", "--no-edit", "main"]);
    assert!(
        said.contains(
            "factledger merge: 4 entries of theirs appended after ours (5 already on ours)"
        ),
        "{said}"
    );
    env.ok(&["verify"]);
    assert_eq!(claim_ids(env).len(), 9);
}

#[test]
fn the_driver_refuses_a_source_added_on_both_branches_with_different_details() {
    let env = repo();
    let root = env.root().to_path_buf();
    env.source("wire", "2024-04-01");
    commit(&env, "base");
    env.ok(&["source", "add", "dawn", "--title", "Dawn, first report"]);
    commit(&env, "ours");
    let ours_log = env.log_bytes();
    git(&root, &["checkout", "--quiet", "-b", "other", "HEAD~1"]);
    env.ok(&["source", "add", "dawn", "--title", "Dawn, second report"]);
    commit(&env, "theirs");
    git(&root, &["checkout", "--quiet", "main"]);
    let out = Command::new("git")
        .current_dir(&root)
        .args(["merge", "--no-edit", "other"])
        .env("HOME", &root)
        .output()
        .unwrap();
    assert!(!out.status.success(), "the merge must stop on a conflict");
    let said =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("source \"dawn\" was added on both branches with different details"),
        "{said}"
    );
    // Git leaves our side in the work tree, untouched.
    assert_eq!(env.log_bytes(), ours_log);
}

#[test]
fn merge_runs_on_plain_files_as_git_would_call_it() {
    let env = TestEnv::init();
    env.source("wire", "2024-04-01");
    let base = env.log_bytes();
    let a = env.claim("wire", "x", "deaths", "5", &[]);
    let ours = env.log_bytes();
    std::fs::write(env.log_path(), &base).unwrap();
    let b = env.claim("wire", "x", "deaths", "6", &[]);
    let theirs = env.log_bytes();
    env.write("O", &base);
    env.write("A", &ours);
    env.write("B", &theirs);
    let r = env.ok(&["merge", "O", "A", "B"]);
    assert_eq!(
        r.stdout,
        "factledger merge: 1 entry of theirs appended after ours\n"
    );
    std::fs::write(env.log_path(), std::fs::read(env.root().join("A")).unwrap()).unwrap();
    let v: Value = env.json(&["verify"]);
    assert_eq!(v["ok"], true);
    assert_eq!(v["claims"], 2);
    let ids = claim_ids(&env);
    assert!(ids.iter().any(|i| i.starts_with(&a)) && ids.iter().any(|i| i.starts_with(&b)));

    // A torn or unreadable side: exit 2, ours unchanged.
    env.write("T", [&theirs[..], b"(seq:9,at:"].concat());
    let before = std::fs::read(env.root().join("A")).unwrap();
    let r = env.run(&["merge", "O", "A", "T"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("the last line is torn"), "{}", r.stderr);
    assert_eq!(std::fs::read(env.root().join("A")).unwrap(), before);
}

#[test]
fn init_git_outside_a_repository_makes_one_and_sets_the_driver_up() {
    let env = TestEnv::new();
    let out = env
        .cmd(&["init", "--git"])
        .env("HOME", env.root())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    let root = env.root().display().to_string();
    assert!(
        said.contains(&format!("Initialized a git repository in {root}")),
        "{said}"
    );
    assert!(env.root().join(".git").is_dir());
    assert_eq!(
        git(env.root(), &["config", "merge.factledger.driver"]).trim(),
        "factledger merge %O %A %B"
    );
    // Run again on the existing ledger: nothing doubled.
    env.cmd(&["init", "--git"])
        .env("HOME", env.root())
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(env.ledger_dir().join(".gitattributes")).unwrap(),
        "log.ron merge=factledger\n"
    );
}
