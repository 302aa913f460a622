//! `TestEnv`: a temporary workspace with a pinned clock and user, and helpers to run
//! `factledger` in it named by the exit code they expect.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The time every test entry is stamped with.
pub const NOW: &str = "2024-05-01T12:00:00Z";

/// A temporary workspace holding `ledger/` (after [`TestEnv::init`]) and any files a test
/// writes.
pub struct TestEnv {
    dir: tempfile::TempDir,
    now: String,
}

/// What a run printed.
#[derive(Debug)]
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl Run {
    /// Stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

impl TestEnv {
    /// An empty workspace.
    pub fn new() -> Self {
        TestEnv {
            dir: tempfile::tempdir().expect("temp dir"),
            now: NOW.to_string(),
        }
    }

    /// An empty workspace inside `parent` (a small file system, say).
    pub fn new_in(parent: &Path) -> Self {
        TestEnv {
            dir: tempfile::tempdir_in(parent).expect("temp dir"),
            now: NOW.to_string(),
        }
    }

    /// The path of the `factledger` binary under test.
    pub fn bin() -> PathBuf {
        assert_cmd::cargo::cargo_bin("factledger")
    }

    /// A command for `factledger` in the workspace, as [`TestEnv::cmd`] sets it up, for
    /// tests that must control the process (signals, pipes, limits).
    pub fn process(&self, args: &[&str]) -> std::process::Command {
        let mut c = std::process::Command::new(Self::bin());
        c.current_dir(self.root())
            .args(args)
            .env("FACTLEDGER_NOW", &self.now)
            .env("FACTLEDGER_USER", "tester")
            .env_remove("FACTLEDGER_DIR")
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null());
        c
    }

    /// A workspace with an initialized, empty ledger.
    pub fn init() -> Self {
        let env = Self::new();
        env.ok(&["init"]);
        env
    }

    /// The workspace root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The ledger directory.
    pub fn ledger_dir(&self) -> PathBuf {
        self.root().join("ledger")
    }

    /// The log file.
    pub fn log_path(&self) -> PathBuf {
        self.ledger_dir().join("log.ron")
    }

    /// The log's bytes.
    pub fn log_bytes(&self) -> Vec<u8> {
        std::fs::read(self.log_path()).expect("read log")
    }

    /// Pins the clock for later runs.
    pub fn set_now(&mut self, now: &str) {
        self.now = now.to_string();
    }

    /// Writes a file in the workspace and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.root().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, contents).expect("write file");
        p
    }

    /// A command in the workspace with the pinned clock and user, stdin closed.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::cargo_bin("factledger").expect("binary");
        c.current_dir(self.root())
            .args(args)
            .env("FACTLEDGER_NOW", &self.now)
            .env("FACTLEDGER_USER", "tester")
            .env_remove("FACTLEDGER_DIR")
            .env_remove("COLUMNS")
            .env("NO_COLOR", "1")
            .write_stdin("");
        c
    }

    /// Runs and returns what happened, whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Run {
        let out: Output = self.cmd(args).output().expect("run factledger");
        Run {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }

    /// Runs with extra environment variables (such as `COLUMNS`), whatever the exit code.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut c = self.cmd(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let out: Output = c.output().expect("run factledger");
        Run {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }

    fn expect(&self, args: &[&str], code: i32) -> Run {
        let r = self.run(args);
        assert_eq!(
            r.code, code,
            "factledger {args:?} exited {} (expected {code})\nstdout:\n{}\nstderr:\n{}",
            r.code, r.stdout, r.stderr
        );
        r
    }

    /// Runs, expecting exit 0.
    pub fn ok(&self, args: &[&str]) -> Run {
        self.expect(args, 0)
    }

    /// Runs, expecting exit 1 (findings).
    pub fn findings(&self, args: &[&str]) -> Run {
        self.expect(args, 1)
    }

    /// Runs, expecting exit 2 (bad input), and checks that the log did not change.
    pub fn err(&self, args: &[&str]) -> Run {
        let before = std::fs::read(self.log_path()).ok();
        let r = self.expect(args, 2);
        let after = std::fs::read(self.log_path()).ok();
        assert!(
            before == after,
            "factledger {args:?} failed but changed the log"
        );
        r
    }

    /// Runs with `--format json`, expecting exit 0, and parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.extend(["--format", "json"]);
        self.ok(&a).json()
    }

    /// Adds a source without a file.
    pub fn source(&self, id: &str, published: &str) {
        self.ok(&[
            "source",
            "add",
            id,
            "--title",
            &format!("Title of {id}"),
            "--published",
            published,
        ]);
    }

    /// Adds a quantity claim and returns its 12-hex id.
    pub fn claim(
        &self,
        source: &str,
        subject: &str,
        property: &str,
        value: &str,
        extra: &[&str],
    ) -> String {
        let mut a = vec![
            "add",
            "--source",
            source,
            "--subject",
            subject,
            "--property",
            property,
            "--value",
            value,
        ];
        a.extend_from_slice(extra);
        let r = self.ok(&a);
        let id = r.stdout.trim().to_string();
        assert_eq!(id.len(), 12, "add printed {:?}", r.stdout);
        id
    }
}

/// Asserts that `haystack` contains `needle`, showing both when it does not.
#[track_caller]
pub fn assert_has(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected {needle:?} in:\n{haystack}"
    );
}
