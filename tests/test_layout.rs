//! Guards on the test suite itself: `autotests = false` means a `tests/*.rs` file that
//! `runner.rs` does not declare is never compiled, and its tests silently never run.

use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn every_test_file_is_compiled_into_the_runner() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let runner = std::fs::read_to_string(dir.join("runner.rs")).expect("runner.rs");
    let declared: BTreeSet<String> = runner
        .lines()
        .filter_map(|l| l.trim().strip_prefix("mod "))
        .map(|m| m.trim_end_matches(';').trim().to_string())
        .collect();
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("tests/")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".rs") && n != "runner.rs")
        .map(|n| n.trim_end_matches(".rs").to_string())
        .collect();
    let missing: Vec<_> = files.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "tests/ files not declared in tests/runner.rs (so never compiled): {missing:?}"
    );
    assert!(files.contains("test_core"), "the guard sees the test files");
}
