//! Checkpoints, signatures and proofs: `head`, `verify --head`, `prove`, `verify --proof`,
//! with real SSH keys made by ssh-keygen.

use std::path::{Path, PathBuf};
use std::process::Command;

use factledger_core::log::{decode_line, encode_line, GENESIS};
use factledger_core::model::Entry;
use serde_json::Value;

use crate::common::TestEnv;

/// Makes an ed25519 key pair `name` (and `name.pub`) without a passphrase.
fn keygen(env: &TestEnv, name: &str, comment: &str) -> PathBuf {
    let key = env.root().join(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(&key)
        .output()
        .expect("ssh-keygen (openssh-client) must be installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    key
}

/// An allowed-signers file naming `principal` for the public half of `key`.
fn allowed_signers(env: &TestEnv, file: &str, entries: &[(&str, &Path)]) -> PathBuf {
    let text: String = entries
        .iter()
        .map(|(who, key)| {
            let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
            format!("{who} {public}")
        })
        .collect();
    env.write(file, text)
}

/// A ledger with a source, four claims and two status changes.
fn ledger() -> (TestEnv, Vec<String>) {
    let env = TestEnv::init();
    env.source("wire", "2024-04-01");
    let ids: Vec<String> = ["54", "63", "over 140", "7"]
        .iter()
        .enumerate()
        .map(|(i, v)| env.claim("wire", &format!("event-{i}"), "deaths", v, &[]))
        .collect();
    env.ok(&["status", &ids[1], "verified", "--note", "hospital list"]);
    env.ok(&["status", &ids[1], "disputed", "--evidence", "morgue count"]);
    (env, ids)
}

fn save(env: &TestEnv, name: &str, args: &[&str]) -> String {
    let r = env.ok(args);
    env.write(name, &r.stdout);
    r.stdout
}

fn problems(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let r = env.findings(&a);
    let v = r.json();
    assert_eq!(v["ok"], false);
    v["problems"].as_array().unwrap().clone()
}

fn kinds(problems: &[Value]) -> Vec<&str> {
    problems
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect()
}

/// Drops the last `n` entries of the log.
fn drop_tail(env: &TestEnv, n: usize) {
    let text = String::from_utf8(env.log_bytes()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let keep = lines.len() - n;
    std::fs::write(env.log_path(), lines[..keep].join("\n") + "\n").unwrap();
}

/// Changes the note of the first status change and recomputes every hash after it, as
/// someone rewriting history with the tool's own code would.
fn rewrite_and_rechain(env: &TestEnv) {
    let text = String::from_utf8(env.log_bytes()).unwrap();
    let mut out = String::new();
    let mut prev = GENESIS.to_string();
    let mut rewritten = false;
    for line in text.lines() {
        if line.starts_with("//") {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut r = decode_line(line).unwrap();
        if let Entry::Status(s) = &mut r.entry {
            if !rewritten {
                s.note = Some("rewritten later".into());
                rewritten = true;
            }
        }
        let (l, hash) = encode_line(r.seq, &r.at, &r.by, &prev, &r.entry).unwrap();
        out.push_str(&l);
        prev = hash;
    }
    assert!(rewritten);
    std::fs::write(env.log_path(), out).unwrap();
}

#[test]
fn head_prints_origin_size_root_and_chain_head() {
    let (env, _) = ledger();
    let text = env.ok(&["head"]).stdout;
    let lines: Vec<&str> = text.lines().collect();
    let last_hash = String::from_utf8(env.log_bytes()).unwrap();
    let last_hash = decode_line(last_hash.lines().last().unwrap()).unwrap().hash;
    let dir_name = env.root().canonicalize().unwrap();
    let dir_name = dir_name.file_name().unwrap().to_string_lossy();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(lines[0], format!("factledger/{dir_name}"));
    assert_eq!(lines[1], "7");
    assert_eq!(lines[2].len(), 44, "base64 of 32 bytes: {}", lines[2]);
    assert_eq!(lines[3], format!("chain-head {last_hash}"));
    let json = env.json(&["head"]);
    assert_eq!(json["size"], 7);
    assert_eq!(json["root"], lines[2]);
    assert_eq!(json["signed"], false);

    // The origin is a setting.
    let config = std::fs::read_to_string(env.ledger_dir().join("config.ron")).unwrap();
    let config = config.replacen("origin: None", "origin: Some(\"example.org/desk\")", 1);
    std::fs::write(env.ledger_dir().join("config.ron"), config).unwrap();
    assert_eq!(
        env.ok(&["head"]).stdout.lines().next(),
        Some("example.org/desk")
    );
}

#[test]
fn a_removed_tail_passes_the_chain_but_not_a_checkpoint_signed_or_not() {
    let (env, _) = ledger();
    let key = keygen(&env, "desk_key", "desk@example.org");
    let allowed = allowed_signers(&env, "allowed", &[("desk@example.org", &key)]);
    save(&env, "plain.txt", &["head"]);
    let signed = save(
        &env,
        "signed.txt",
        &["head", "--sign", key.to_str().unwrap()],
    );
    assert!(
        signed.contains("\n\n-----BEGIN SSH SIGNATURE-----\n"),
        "{signed}"
    );
    env.ok(&[
        "verify",
        "--head",
        "signed.txt",
        "--allowed-signers",
        allowed.to_str().unwrap(),
    ]);

    drop_tail(&env, 2);
    // The chain alone cannot tell.
    env.ok(&["verify"]);
    for args in [
        vec!["verify", "--head", "plain.txt"],
        vec![
            "verify",
            "--head",
            "signed.txt",
            "--allowed-signers",
            allowed.to_str().unwrap(),
        ],
    ] {
        let p = problems(&env, &args);
        assert_eq!(kinds(&p), ["checkpoint"], "{p:?}");
        assert_eq!(
            p[0]["message"],
            "the checkpoint covers 7 entries but the ledger has only 5: entries 6 to 7 were removed"
        );
    }
    let table = env.findings(&["verify", "--head", "plain.txt"]).stdout;
    assert!(table.contains("entries 6 to 7 were removed"), "{table}");
}

#[test]
fn a_rewritten_and_rechained_past_passes_the_chain_but_not_a_checkpoint() {
    let (env, _) = ledger();
    let key = keygen(&env, "desk_key", "desk@example.org");
    let allowed = allowed_signers(&env, "allowed", &[("desk@example.org", &key)]);
    save(&env, "plain.txt", &["head"]);
    save(
        &env,
        "signed.txt",
        &["head", "--sign", key.to_str().unwrap()],
    );
    let hash_before = env.ok(&["head"]).stdout.lines().nth(3).unwrap().to_string();

    rewrite_and_rechain(&env);
    env.ok(&["verify"]);
    for args in [
        vec!["verify", "--head", "plain.txt"],
        vec![
            "verify",
            "--head",
            "signed.txt",
            "--allowed-signers",
            allowed.to_str().unwrap(),
        ],
    ] {
        let p = problems(&env, &args);
        assert_eq!(kinds(&p), ["checkpoint"], "{p:?}");
        let msg = p[0]["message"].as_str().unwrap();
        assert!(
            msg.starts_with("the first 7 entries are not those the checkpoint describes"),
            "{msg}"
        );
        assert!(
            msg.contains(&format!(
                "where the checkpoint's chain head is {}",
                &hash_before[11..]
            )),
            "{msg}"
        );
        assert!(msg.ends_with("the ledger's past was rewritten"), "{msg}");
        // Line 1 is the log's header comment: entry 7 is line 8.
        assert_eq!(p[0]["line"], 8);
    }
    // A bare chain head hash is checked too: that entry is gone.
    let p = problems(&env, &["verify", "--head", &hash_before[11..]]);
    assert_eq!(kinds(&p), ["checkpoint"]);
}

#[test]
fn a_ledger_that_grew_still_extends_its_checkpoint() {
    let (env, _) = ledger();
    save(&env, "h.txt", &["head"]);
    env.claim("wire", "event-9", "injured", "12", &[]);
    let v = env.json(&["verify", "--head", "h.txt"]);
    assert_eq!(v["ok"], true);
}

#[test]
fn a_checkpoint_signed_by_a_key_not_in_allowed_signers_is_refused() {
    let (env, _) = ledger();
    let desk = keygen(&env, "desk_key", "desk@example.org");
    let intruder = keygen(&env, "other_key", "someone@example.net");
    let allowed = allowed_signers(&env, "allowed", &[("desk@example.org", &desk)]);
    save(
        &env,
        "forged.txt",
        &["head", "--sign", intruder.to_str().unwrap()],
    );
    let p = problems(
        &env,
        &[
            "verify",
            "--head",
            "forged.txt",
            "--allowed-signers",
            allowed.to_str().unwrap(),
        ],
    );
    assert_eq!(kinds(&p), ["signature"]);
    let msg = p[0]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("the checkpoint is signed by key SHA256:"),
        "{msg}"
    );
    assert!(
        msg.ends_with("does not list for namespace factledger-checkpoint"),
        "{msg}"
    );

    // An unsigned checkpoint does not pass where a signature is required.
    save(&env, "plain.txt", &["head"]);
    let p = problems(
        &env,
        &[
            "verify",
            "--head",
            "plain.txt",
            "--allowed-signers",
            allowed.to_str().unwrap(),
        ],
    );
    assert_eq!(kinds(&p), ["signature"]);

    // A key listed only for other namespaces may not sign checkpoints.
    let public = std::fs::read_to_string(desk.with_extension("pub")).unwrap();
    let git_only = env.write(
        "git_only",
        format!("desk@example.org namespaces=\"git\" {public}"),
    );
    save(
        &env,
        "signed.txt",
        &["head", "--sign", desk.to_str().unwrap()],
    );
    let p = problems(
        &env,
        &[
            "verify",
            "--head",
            "signed.txt",
            "--allowed-signers",
            git_only.to_str().unwrap(),
        ],
    );
    assert_eq!(kinds(&p), ["signature"]);
}

#[test]
fn a_signed_checkpoint_edited_after_signing_is_refused() {
    let (env, _) = ledger();
    let desk = keygen(&env, "desk_key", "desk@example.org");
    let allowed = allowed_signers(&env, "allowed", &[("desk@example.org", &desk)]);
    let signed = save(
        &env,
        "signed.txt",
        &["head", "--sign", desk.to_str().unwrap()],
    );
    // Claim a smaller tree, so a removed tail would pass, and keep the signature.
    let lines: Vec<&str> = signed.lines().collect();
    let edited = signed.replacen(&format!("\n{}\n", lines[1]), "\n5\n", 1);
    env.write("edited.txt", edited);
    let p = problems(
        &env,
        &[
            "verify",
            "--head",
            "edited.txt",
            "--allowed-signers",
            allowed.to_str().unwrap(),
        ],
    );
    assert!(kinds(&p).contains(&"signature"), "{p:?}");
    assert!(p[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("the signature does not match the checkpoint"));
}

#[test]
fn ssh_keygen_verifies_a_checkpoint_signature() {
    let (env, _) = ledger();
    let desk = keygen(&env, "desk_key", "desk@example.org");
    let allowed = allowed_signers(&env, "allowed", &[("desk@example.org", &desk)]);
    let signed = save(
        &env,
        "signed.txt",
        &["head", "--sign", desk.to_str().unwrap()],
    );
    let (body, sig) = signed.split_once("\n\n").unwrap();
    let sig_path = env.write("body.sig", sig);
    let mut child = Command::new("ssh-keygen")
        .args([
            "-Y",
            "verify",
            "-n",
            "factledger-checkpoint",
            "-I",
            "desk@example.org",
            "-f",
        ])
        .arg(&allowed)
        .arg("-s")
        .arg(&sig_path)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{body}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with("Good \"factledger-checkpoint\" signature for desk@example.org"),
        "{said}"
    );
}

#[test]
fn an_inclusion_proof_checks_offline_and_stays_valid_after_more_appends() {
    let (env, ids) = ledger();
    save(&env, "h1.txt", &["head"]);
    let proof = save(&env, "p.json", &["prove", &ids[1], "--head", "h1.txt"]);
    let p: Value = serde_json::from_str(&proof).unwrap();
    assert_eq!(p["kind"], "inclusion");
    assert_eq!(p["claim"].as_str().unwrap()[..12], ids[1]);
    let roles: Vec<(&str, u64)> = p["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["role"].as_str().unwrap(), e["index"].as_u64().unwrap()))
        .collect();
    // The claim is entry 3 and its latest status entry 7 (0-based 2 and 6).
    assert_eq!(roles, [("claim", 2), ("status", 6)]);

    // More appends; a proof made now against the old checkpoint is the same proof.
    env.claim("wire", "event-8", "deaths", "3", &[]);
    env.ok(&[
        "status",
        &ids[1],
        "false",
        "--note",
        "retracted by the ministry",
    ]);
    assert_eq!(
        env.ok(&["prove", &ids[1], "--head", "h1.txt"]).stdout,
        proof
    );

    // Checked elsewhere, with no ledger at all.
    let reader = TestEnv::new();
    reader.write("p.json", &proof);
    reader.write("h1.txt", std::fs::read(env.root().join("h1.txt")).unwrap());
    let r = reader.ok(&["verify", "--proof", "p.json", "--head", "h1.txt"]);
    assert_eq!(
        r.stdout,
        format!(
            "ok: entry 3 is in the checkpointed tree: claim {0} logged by tester at 2024-05-01T12:00:00Z\n\
             ok: entry 7 is in the checkpointed tree: claim {0} set to disputed by tester at 2024-05-01T12:00:00Z\n",
            ids[1]
        )
    );
}

#[test]
fn a_consistency_proof_shows_a_later_checkpoint_extends_an_earlier_one() {
    let (env, _) = ledger();
    save(&env, "old.txt", &["head"]);
    env.claim("wire", "event-8", "deaths", "3", &[]);
    env.claim("wire", "event-9", "deaths", "4", &[]);
    save(&env, "new.txt", &["head"]);
    let proof = save(
        &env,
        "c.json",
        &["prove", "--from", "old.txt", "--head", "new.txt"],
    );
    let p: Value = serde_json::from_str(&proof).unwrap();
    assert_eq!(p["kind"], "consistency");
    assert!(!p["path"].as_array().unwrap().is_empty());
    let reader = TestEnv::new();
    reader.write("c.json", &proof);
    reader.write(
        "new.txt",
        std::fs::read(env.root().join("new.txt")).unwrap(),
    );
    let r = reader.ok(&["verify", "--proof", "c.json", "--head", "new.txt"]);
    assert_eq!(
        r.stdout,
        "ok: the checkpoint of 9 entries extends the checkpoint of 7 entries: the first 7 entries are unchanged\n"
    );
    // Against another checkpoint than the one it leads to: refused.
    reader.write(
        "old.txt",
        std::fs::read(env.root().join("old.txt")).unwrap(),
    );
    let r = reader.findings(&["verify", "--proof", "c.json", "--head", "old.txt"]);
    assert!(
        r.stdout
            .starts_with("proof refused: the proof leads to a checkpoint of 9 entries"),
        "{}",
        r.stdout
    );
    // Old and new swapped: a usage error, nothing proved.
    let r = env.err(&["prove", "--from", "new.txt", "--head", "old.txt"]);
    assert!(
        r.stderr.contains("give the earlier one to --from"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_tampered_proof_is_refused() {
    let (env, ids) = ledger();
    save(&env, "h.txt", &["head"]);
    let proof = save(&env, "p.json", &["prove", &ids[1], "--head", "h.txt"]);
    let p: Value = serde_json::from_str(&proof).unwrap();

    // One hash of the audit path changed.
    let mut bad = p.clone();
    let h = bad["entries"][0]["path"][0].as_str().unwrap().to_string();
    let flipped = format!("{}{}", if h.starts_with('0') { "1" } else { "0" }, &h[1..]);
    bad["entries"][0]["path"][0] = Value::String(flipped);
    env.write("bad1.json", bad.to_string());
    let r = env.findings(&["verify", "--proof", "bad1.json", "--head", "h.txt"]);
    assert_eq!(
        r.stdout,
        "proof refused: entry 3 (claim): the proof does not lead to the checkpoint's root hash\n"
    );

    // The status line edited to say `verified` instead of `disputed`.
    let mut bad = p.clone();
    let line = bad["entries"][1]["line"]
        .as_str()
        .unwrap()
        .replace("status:disputed", "status:verified");
    bad["entries"][1]["line"] = Value::String(line);
    env.write("bad2.json", bad.to_string());
    let r = env.findings(&["verify", "--proof", "bad2.json", "--head", "h.txt"]);
    assert_eq!(r.stdout, "proof refused: entry 7 (status): the line's text does not hash to the hash it carries: it was changed\n");

    // Another claim's entry presented as this claim's.
    let mut bad = p.clone();
    bad["claim"] = Value::String("ab".repeat(32));
    env.write("bad3.json", bad.to_string());
    let r = env.findings(&["verify", "--proof", "bad3.json", "--head", "h.txt"]);
    assert!(
        r.stdout.starts_with(
            "proof refused: entry 3 (claim): the line is not a claim entry of claim abab"
        ),
        "{}",
        r.stdout
    );

    // Not a proof at all: bad input.
    env.write("junk.json", "{\"kind\": \"inclusion\"");
    let r = env.err(&["verify", "--proof", "junk.json", "--head", "h.txt"]);
    assert!(r.stderr.contains("junk.json:1:"), "{}", r.stderr);
}

#[test]
fn bad_checkpoints_and_heads_are_bad_input() {
    let (env, ids) = ledger();
    env.write("empty.txt", "");
    let r = env.err(&["verify", "--head", "empty.txt"]);
    assert!(
        r.stderr.contains("empty.txt:1: the file is empty"),
        "{}",
        r.stderr
    );
    env.write("nosize.txt", "example.org/x\nmany\n");
    let r = env.err(&["verify", "--head", "nosize.txt"]);
    assert!(
        r.stderr
            .contains("nosize.txt:2: the second line must be the entry count"),
        "{}",
        r.stderr
    );
    let r = env.err(&["verify", "--head", "no-such-file"]);
    assert!(
        r.stderr
            .contains("no such file, and not a 64-hex chain head hash"),
        "{}",
        r.stderr
    );
    let r = env.err(&["head", "--sign", "no-such-key"]);
    assert!(
        r.stderr
            .contains("no-such-key: cannot read the SSH private key"),
        "{}",
        r.stderr
    );
    env.ok(&["head"]);
    let h = env.ok(&["head"]).stdout;
    env.write("h.txt", h);
    let r = env.err(&["prove", "zz-not-hex", "--head", "h.txt"]);
    assert!(
        r.stderr.contains("\"zz-not-hex\" is not a claim id"),
        "{}",
        r.stderr
    );
    let r = env.err(&["prove", "0000000", "--head", "h.txt"]);
    assert!(
        r.stderr
            .contains("no claim has an id starting with \"0000000\""),
        "{}",
        r.stderr
    );
    env.write("huge.txt", "x".repeat(100_000));
    let r = env.err(&["prove", &ids[0], "--head", "huge.txt"]);
    assert!(r.stderr.contains("larger than 65536 bytes"), "{}", r.stderr);
}

#[test]
fn a_claim_logged_after_the_checkpoint_cannot_be_proved_against_it() {
    let (env, _) = ledger();
    save(&env, "h.txt", &["head"]);
    let late = env.claim("wire", "event-8", "deaths", "3", &[]);
    let r = env.err(&["prove", &late, "--head", "h.txt"]);
    assert!(
        r.stderr
            .contains("is not among the 7 entries the checkpoint covers"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_status_change_that_changes_nothing_is_refused() {
    let (env, ids) = ledger();
    let r = env.err(&["status", &ids[0], "unverified"]);
    assert_eq!(
        r.stderr.trim_end(),
        format!("error: claim {} is already unverified: setting the same status again with no --note and no --evidence changes nothing, so nothing was written. Give --note or --evidence to record a re-check", ids[0])
    );
    env.err(&["status", &ids[1], "disputed"]);
    // With a note it is a re-check, and is logged.
    env.ok(&["status", &ids[1], "disputed", "--note", "checked again"]);
    assert_eq!(
        env.json(&["show", &ids[1]])["history"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn a_passphrase_protected_key_signs_through_ssh_keygen() {
    let (env, _) = ledger();
    let key = env.root().join("protected_key");
    let out = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "correct horse",
            "-C",
            "desk@example.org",
            "-f",
        ])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success());
    let allowed = allowed_signers(&env, "allowed", &[("desk@example.org", &key)]);
    // ssh-keygen asks for the passphrase through SSH_ASKPASS when told to.
    let askpass = env.write("askpass.sh", "#!/bin/sh\necho 'correct horse'\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&askpass, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = env
        .cmd(&["head", "--sign", key.to_str().unwrap()])
        .env("SSH_ASKPASS", &askpass)
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env("DISPLAY", ":0")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    env.write("signed.txt", &out.stdout);
    let v = env.json(&[
        "verify",
        "--head",
        "signed.txt",
        "--allowed-signers",
        allowed.to_str().unwrap(),
    ]);
    assert_eq!(v["ok"], true);

    // A wrong passphrase: ssh-keygen's own words, exit 2.
    env.write("askpass.sh", "#!/bin/sh\necho 'wrong'\n");
    let out = env
        .cmd(&["head", "--sign", key.to_str().unwrap()])
        .env("SSH_ASKPASS", &askpass)
        .env("SSH_ASKPASS_REQUIRE", "force")
        .env("DISPLAY", ":0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("`ssh-keygen -Y sign` (which signs with a passphrase-protected key or through ssh-agent) failed"), "{said}");
}
