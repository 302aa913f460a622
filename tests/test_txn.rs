//! The write transaction's promise, tested as an adversary would: an import killed at
//! any moment, a full disk, a file-size limit, a reader that goes away. Every write is
//! all or none, and a refused one leaves the log byte for byte as it was.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::TestEnv;

/// A CSV of `n` claims on one source.
fn claims_csv(n: usize, tag: &str) -> String {
    let mut s = String::from("source,subject,property,value,date,text,unit,as_of,quote\n");
    for i in 0..n {
        s.push_str(&format!(
            "wire,event-{tag}-{},deaths,{},,,,2024-01-02,\"{tag} row {i} of the import, quoted at some length so that lines are of a realistic size\"\n",
            i % 97,
            i + 1
        ));
    }
    s
}

fn ledger_with_source() -> TestEnv {
    let env = TestEnv::init();
    env.source("wire", "2024-01-02");
    env
}

fn claim_count(env: &TestEnv) -> usize {
    env.json(&["list"]).as_array().expect("array").len()
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// Waits until the log has grown past `threshold` bytes (the import is writing), or the
/// child is done; true when it is still running.
fn wait_for_growth(child: &mut Child, log: &Path, threshold: u64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if child.try_wait().expect("wait").is_some() {
            return false;
        }
        if file_len(log) > threshold {
            return true;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    panic!("the import neither wrote nor finished in time");
}

/// After a kill: the claims are all in or none (after `recover` when the log reports a
/// torn tail), verify passes, and the import can be run again to completion.
/// Returns whether a torn tail had to be set aside.
fn check_all_or_none(env: &TestEnv, before: usize, rows: usize, csv: &Path, moment: &str) -> bool {
    let log_state = env.run(&["list", "--format", "json"]);
    let torn = log_state.stderr.contains("torn");
    if torn {
        let r = env.ok(&["recover"]);
        assert!(
            r.stdout.contains("Moved the torn"),
            "{moment}: {}",
            r.stdout
        );
    }
    let after = claim_count(env);
    assert!(
        after == before || after == before + rows,
        "{moment}: {after} claims after the kill: a partial import ({before} before, {rows} rows)"
    );
    let v = env.ok(&["verify"]);
    assert!(v.stdout.starts_with("ok:"), "{moment}: {}", v.stdout);
    if after == before {
        env.ok(&["import", csv.to_str().unwrap()]);
        assert_eq!(claim_count(env), before + rows, "{moment}: re-import");
    }
    torn
}

/// Kills imports at `moments` points spread over their writing, with `signal`.
fn kill_imports(signal: &str, moments: usize, rows: usize) {
    let sizer = ledger_with_source();
    let csv = sizer.write("claims.csv", claims_csv(rows, "a"));
    let start = file_len(&sizer.log_path());
    sizer.ok(&["import", "claims.csv"]);
    let full = file_len(&sizer.log_path()) - start;
    // How the kills landed: a torn tail set aside, undone by the process, or finished.
    let (mut torn, mut undone, mut finished) = (0, 0, 0);
    for k in 0..moments {
        let env = ledger_with_source();
        let csv_here = env.write("claims.csv", std::fs::read(&csv).unwrap());
        let log = env.log_path();
        let before = claim_count(&env);
        let base = file_len(&log);
        let mut child = env
            .process(&["import", "claims.csv"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // The k-th of `moments` points between the first byte and the last.
        let threshold = base + full * k as u64 / moments as u64;
        if wait_for_growth(&mut child, &log, threshold) {
            let pid = child.id().to_string();
            let status = std::process::Command::new("kill")
                .args([signal, &pid])
                .status()
                .expect("kill");
            assert!(status.success());
        }
        let code = child.wait().expect("wait").code();
        let moment = format!("{signal} at {threshold} of {base}+{full} bytes (exit {code:?})");
        if signal == "-TERM" {
            // SIGTERM stops the write, which undoes itself: never a torn tail.
            assert!(matches!(code, Some(0) | Some(130)), "{moment}");
        }
        let in_before = claim_count(&env) == before + rows;
        if check_all_or_none(&env, before, rows, &csv_here, &moment) {
            torn += 1;
        } else if in_before {
            finished += 1;
        } else {
            undone += 1;
        }
    }
    eprintln!("{signal}: {torn} torn and set aside, {undone} undone, {finished} finished");
    // The moments must really fall inside the writing, not all before or after it. A
    // kill lands some time after the log was seen to grow, and the later moments fall
    // after a fast write ended: 8 to 15 kills of 20 land mid-write on a 2-core machine.
    match signal {
        "-KILL" => assert!(
            torn >= moments / 4,
            "{torn} of {moments} kills landed mid-write"
        ),
        _ => assert!(
            undone >= moments / 2,
            "{undone} of {moments} stops undid the write"
        ),
    }
}

#[test]
fn an_import_killed_with_sigkill_at_twenty_moments_is_all_or_none() {
    kill_imports("-KILL", 20, 8_000);
}

#[test]
fn an_import_stopped_with_sigterm_at_ten_moments_undoes_itself_or_finishes() {
    kill_imports("-TERM", 10, 8_000);
}

/// A small tmpfs, mounted for one test and unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(bytes: usize) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().ok()?;
        let ok = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}")])
            .arg("tmpfs")
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(SmallDisk { dir })
    }

    /// Fills the disk to the last byte.
    fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.dir.path().join("filler")).unwrap();
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&block[..1]).is_ok() {}
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn every_writer_on_a_full_disk_exits_2_and_leaves_the_log_as_it_was() {
    let Some(disk) = SmallDisk::mount(4 << 20) else {
        eprintln!("cannot mount a tmpfs here (not root?): the full-disk test needs one");
        return;
    };
    let env = TestEnv::new_in(disk.dir.path());
    env.ok(&["init"]);
    env.source("wire", "2024-01-02");
    let id = env.claim("wire", "event", "deaths", "10", &[]);
    env.write("claims.csv", claims_csv(2_000, "f"));
    // Pad the log to a whole page: a file system allocates pages, and an append into the
    // last page's free room would not need the disk at all.
    let mut log = env.log_bytes();
    let mut pad = 4096 - log.len() % 4096;
    if pad < 3 {
        pad += 4096;
    }
    log.extend_from_slice(b"//");
    log.extend(std::iter::repeat_n(b' ', pad - 3));
    log.push(b'\n');
    std::fs::write(env.log_path(), &log).unwrap();
    assert_eq!(log.len() % 4096, 0);
    disk.fill();
    for args in [
        vec![
            "add",
            "--source",
            "wire",
            "--subject",
            "event",
            "--property",
            "deaths",
            "--value",
            "11",
        ],
        vec!["status", id.as_str(), "verified"],
        vec!["source", "add", "other", "--title", "Other"],
        vec!["import", "claims.csv"],
    ] {
        // Without the index: SQLite frees and takes room in its own files (a write-ahead
        // log it truncates), so with it the disk would not stay full from one write to
        // the next. The log's write transaction is the same either way.
        let args: Vec<&str> = std::iter::once("--no-index").chain(args).collect();
        let r = env.err(&args);
        assert!(
            r.stderr
                .contains("Nothing was written: the log is as it was"),
            "{args:?}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("No space left on device"),
            "{args:?}: {}",
            r.stderr
        );
    }
    assert_eq!(env.log_bytes(), log);
}

#[test]
fn an_import_past_the_file_size_limit_exits_2_and_leaves_the_log_as_it_was() {
    let env = ledger_with_source();
    env.write("claims.csv", claims_csv(1_000, "u"));
    let before = env.log_bytes();
    // `ulimit -f` counts 1024-byte blocks: room for a few claims, not a thousand.
    let blocks = before.len() / 1024 + 8;
    let out = std::process::Command::new("sh")
        .current_dir(env.root())
        .env("FACTLEDGER_NOW", "2024-05-01T12:00:00Z")
        .env("FACTLEDGER_USER", "tester")
        .arg("-c")
        .arg(format!("ulimit -f {blocks}; exec \"$0\" import claims.csv"))
        .arg(TestEnv::bin())
        .output()
        .expect("sh");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("Nothing was written: the log is as it was"),
        "{stderr}"
    );
    assert_eq!(env.log_bytes(), before, "the log changed");
    assert_eq!(claim_count(&env), 0);
}

#[test]
fn list_into_a_pipe_closed_after_one_line_ends_quietly_with_exit_0() {
    let env = ledger_with_source();
    env.write("claims.csv", claims_csv(3_000, "p"));
    env.ok(&["import", "claims.csv"]);
    let mut child = env
        .process(&["list"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is gone: the rest of the table meets a closed pipe.
    let out = child.wait_with_output().expect("wait");
    assert!(!first.is_empty());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}

/// A ledger with one import of `rows` claims (a batch) after its source.
fn one_batch(rows: usize) -> (TestEnv, Vec<u8>) {
    let env = ledger_with_source();
    env.write("a.csv", claims_csv(rows, "b"));
    env.ok(&["import", "a.csv"]);
    let log = env.log_bytes();
    (env, log)
}

#[test]
fn a_batch_whose_end_a_crash_left_as_zeros_is_torn_from_its_header() {
    let (env, mut log) = one_batch(120);
    let n = log.len();
    log[n - 1000..].fill(0);
    std::fs::write(env.log_path(), &log).unwrap();
    let r = env.run(&["list", "--format", "json"]);
    assert_eq!(
        r.json().as_array().unwrap().len(),
        0,
        "no claim of a cut batch is read"
    );
    assert!(
        r.stderr.contains("log.ron:3: the log ends in a torn write"),
        "{}",
        r.stderr
    );
    env.ok(&["recover"]);
    assert!(env.ok(&["verify"]).stdout.starts_with("ok:"));
    env.ok(&["import", "a.csv"]);
    assert_eq!(claim_count(&env), 120);
}

#[test]
fn a_whole_batch_missing_only_its_last_line_end_is_read() {
    let (env, mut log) = one_batch(120);
    assert_eq!(log.pop(), Some(b'\n'));
    std::fs::write(env.log_path(), &log).unwrap();
    assert_eq!(claim_count(&env), 120);
    assert!(env.ok(&["verify"]).stdout.starts_with("ok:"));
}

#[test]
fn a_log_whose_line_ends_became_crlf_still_verifies() {
    let (env, log) = one_batch(50);
    let crlf = String::from_utf8(log).unwrap().replace('\n', "\r\n");
    std::fs::write(env.log_path(), crlf).unwrap();
    assert_eq!(claim_count(&env), 50);
    let v = env.ok(&["verify"]);
    assert!(v.stdout.starts_with("ok:"), "{}", v.stdout);
}

#[test]
fn verify_reports_a_batch_missing_its_last_entry_even_when_padded() {
    let (env, log) = one_batch(20);
    let text = String::from_utf8(log).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let last = lines.pop().unwrap();
    let pad = format!("// {}", "0".repeat(last.len() - 2));
    lines.push(&pad);
    std::fs::write(env.log_path(), lines.join("\n") + "\n").unwrap();
    let v = env.findings(&["verify"]);
    assert!(
        v.stdout
            .contains("line 3: the batch header promises 20 entries"),
        "{}",
        v.stdout
    );
}

#[test]
fn ctrl_c_while_waiting_for_the_lock_ends_the_process_and_writes_nothing() {
    let env = ledger_with_source();
    let before = env.log_bytes();
    // Another process holds the lock (util-linux flock) for longer than the test waits.
    let mut holder = std::process::Command::new("flock")
        .arg(env.log_path())
        .args(["sleep", "30"])
        .spawn()
        .expect("flock");
    std::thread::sleep(Duration::from_millis(300));
    let mut child = env
        .process(&[
            "add",
            "--source",
            "wire",
            "--subject",
            "x",
            "--property",
            "deaths",
            "--value",
            "7",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(500));
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        assert!(
            Instant::now() < deadline,
            "Ctrl-C did not end a writer waiting for the lock"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = holder.kill();
    let _ = holder.wait();
    assert_eq!(code, Some(130));
    assert_eq!(env.log_bytes(), before);
}
