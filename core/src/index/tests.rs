//! The index against a log that changes underneath it: each way a log can change gives
//! the plan it should, and the ledger read through the index is the ledger read whole.

use std::fs::File;
use std::path::Path;

use super::*;
use crate::claim::{ClaimBuilder, ClaimInput, RawValue};
use crate::config::Config;
use crate::log::{Log, ReadMode};
use crate::model::{Entry, Source, Status, StatusChange};

fn claim(ledger: &Ledger, subject: &str, value: &str) -> Entry {
    let input = ClaimInput {
        source: "s1".into(),
        subject: subject.into(),
        property: "deaths".into(),
        value: Some(RawValue::Quantity(value.into())),
        unit: None,
        as_of: None,
        quote: None,
        note: None,
        supersedes: None,
    };
    Entry::Claim(
        ClaimBuilder::new(ledger, &Config::default())
            .build(&input)
            .unwrap(),
    )
}

fn whole(dir: &Path) -> Ledger {
    let log = Log::in_dir(dir);
    Ledger::load(dir, |sink| {
        log.read_stream::<LogError>(ReadMode::Parse, sink)
    })
    .unwrap()
}

/// Appends without touching the index, as another process or an older version would.
fn append(dir: &Path, f: impl FnOnce(&Ledger) -> Vec<Entry>) {
    let entries = f(&whole(dir));
    Log::in_dir(dir)
        .with_write_lock::<_, LogError>(|w| w.append("2024-01-01T00:00:00Z", "t", &entries))
        .unwrap();
}

fn ledger_with(n: usize) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    Log::in_dir(t.path()).create().unwrap();
    append(t.path(), |_| vec![Entry::Source(Source::bare("s1"))]);
    for i in 0..n {
        append(t.path(), |l| {
            vec![claim(l, &format!("subj-{}", i % 3), &format!("{}", 10 + i))]
        });
    }
    t
}

fn level(dir: &Path) -> (Plan, Ledger) {
    let log = Log::in_dir(dir);
    let file = File::open(log.path()).unwrap();
    let index = Index::level(dir, log.path(), &file).unwrap();
    let scope = Scope {
        subjects: vec!["subj-1".into()],
        ..Scope::default()
    };
    let l = index.ledger(dir, &file, &scope).unwrap();
    (index.plan, l)
}

/// The claims of subj-1 (value, status) as the whole log says them.
fn expected(dir: &Path) -> Vec<(String, Status)> {
    summary(&whole(dir))
}

fn summary(l: &Ledger) -> Vec<(String, Status)> {
    l.claims
        .iter()
        .filter(|c| c.claim.subject == "subj-1")
        .map(|c| (c.claim.value.raw().to_string(), c.status()))
        .collect()
}

#[test]
fn a_new_index_is_built_then_current() {
    let t = ledger_with(6);
    let (plan, l) = level(t.path());
    assert_eq!(plan, Plan::Rebuild);
    assert_eq!(summary(&l), expected(t.path()));
    assert_eq!(l.claim_count(), 6);
    assert_eq!(level(t.path()).0, Plan::Current);
}

#[test]
fn an_append_by_another_process_is_caught_up() {
    let t = ledger_with(6);
    level(t.path());
    append(t.path(), |l| {
        let id = l
            .claims
            .iter()
            .find(|c| c.claim.subject == "subj-1")
            .unwrap()
            .claim
            .id
            .clone();
        vec![
            claim(l, "subj-1", "99"),
            Entry::Status(StatusChange {
                claim: id,
                status: Status::Verified,
                note: None,
                evidence: None,
            }),
        ]
    });
    let (plan, l) = level(t.path());
    assert_eq!(plan, Plan::CatchUp);
    assert_eq!(summary(&l), expected(t.path()));
    assert!(summary(&l).contains(&("99".to_string(), Status::Unverified)));
    assert_eq!(summary(&l)[0].1, Status::Verified);
}

#[test]
fn a_changed_byte_in_an_old_entry_rebuilds() {
    let t = ledger_with(6);
    level(t.path());
    let path = t.path().join(crate::log::LOG_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    // subj-1's first claim says 11: a hand edit makes it 19, same length.
    let edited = text.replacen("raw:\"11\"", "raw:\"19\"", 1);
    assert_ne!(edited, text);
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .and_then(|f| std::os::unix::fs::FileExt::write_all_at(&f, edited.as_bytes(), 0))
        .unwrap();
    let (plan, l) = level(t.path());
    assert_eq!(plan, Plan::Rebuild);
    assert_eq!(summary(&l), expected(t.path()));
    assert_eq!(summary(&l)[0].0, "19");
}

#[test]
fn a_truncated_or_replaced_log_rebuilds() {
    let t = ledger_with(6);
    level(t.path());
    let path = t.path().join(crate::log::LOG_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let cut: usize = text.match_indices('\n').nth(4).unwrap().0 + 1;
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_len(cut as u64))
        .unwrap();
    let (plan, l) = level(t.path());
    assert_eq!(plan, Plan::Rebuild);
    assert_eq!(summary(&l), expected(t.path()));
    // Replaced by another log of the same length: a new file, so a rebuild.
    let other = ledger_with(9);
    std::fs::copy(
        other.path().join(crate::log::LOG_FILE),
        t.path().join("new"),
    )
    .unwrap();
    std::fs::rename(t.path().join("new"), &path).unwrap();
    let (plan, l) = level(t.path());
    assert_eq!(plan, Plan::Rebuild);
    assert_eq!(summary(&l), expected(t.path()));
    assert_eq!(l.claim_count(), 9);
}

#[test]
fn a_deleted_or_damaged_index_is_rebuilt() {
    let t = ledger_with(4);
    level(t.path());
    std::fs::remove_dir_all(t.path().join(CACHE_DIR)).unwrap();
    assert_eq!(level(t.path()).0, Plan::Rebuild);
    // Junk over the database and its write-ahead log alike.
    for f in std::fs::read_dir(t.path().join(CACHE_DIR)).unwrap() {
        let p = f.unwrap().path();
        if p.to_string_lossy().contains(INDEX_FILE) {
            std::fs::write(p, b"not a database at all").unwrap();
        }
    }
    let (plan, l) = level(t.path());
    assert_eq!(plan, Plan::Rebuild);
    assert_eq!(summary(&l), expected(t.path()));
}

#[test]
fn an_own_append_is_caught_up_without_a_crc_pass() {
    let t = ledger_with(3);
    let log = Log::in_dir(t.path());
    let l = whole(t.path());
    let e = claim(&l, "subj-1", "42");
    log.with_write_lock::<_, IndexError>(|w| {
        let mut index = Index::level(t.path(), log.path(), w.file())?;
        w.append("2024-01-01T00:00:00Z", "t", &[e])?;
        index.appended(w.file())
    })
    .unwrap();
    let (plan, l) = level(t.path());
    assert_eq!(plan, Plan::Current);
    assert_eq!(summary(&l), expected(t.path()));
}

#[test]
fn prefixes_cover_the_ids_they_start() {
    let (low, high) = prefix_range("ABcd").unwrap();
    assert_eq!(hex::encode(low), format!("abcd{}", "0".repeat(60)));
    assert_eq!(hex::encode(high), format!("abcd{}", "f".repeat(60)));
    assert!(prefix_range("abc").is_none());
    assert!(prefix_range("xyz1").is_none());
}
