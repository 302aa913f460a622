//! Fuzzes import: any bytes as a CSV, RON-rows or export-JSON file (the first byte picks
//! the format) go through the bounded readers, the parallel checks and the write
//! transaction into a real ledger. Never a panic; an import is all or none (the log
//! gains every row or nothing) and what it wrote reads back and verifies.
#![no_main]

use std::path::Path;

use factledger_core::config::Config;
use factledger_core::import::{read_rows, Importer, InputFormat};
use factledger_core::ledger::Ledger;
use factledger_core::log::{Log, LogError, Prepared, ReadMode};
use factledger_core::model::{Entry, Source};
use libfuzzer_sys::fuzz_target;

fn load(dir: &Path) -> Ledger {
    let log = Log::in_dir(dir);
    Ledger::load(dir, |sink| log.read_stream::<LogError>(ReadMode::Parse, sink)).expect("reads")
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let (format, name) = match pick % 3 {
        0 => (InputFormat::Csv, "rows.csv"),
        1 => (InputFormat::Ron, "rows.ron"),
        _ => (InputFormat::Json, "rows.json"),
    };
    let work = tempfile::tempdir_in("/dev/shm").or_else(|_| tempfile::tempdir()).unwrap();
    let dir = work.path().join("ledger");
    std::fs::create_dir(&dir).unwrap();
    let log = Log::in_dir(&dir);
    log.create().unwrap();
    log.with_write_lock(|w| {
        w.append("2024-01-01T00:00:00Z", "fuzz", &[Entry::Source(Source::bare("wire"))])
    })
    .unwrap();
    let input = work.path().join(name);
    std::fs::write(&input, body).unwrap();
    let config = Config::default();
    let before = load(&dir);
    let written = log.with_write_lock(|w| {
        let tail = w.tail()?;
        let mut imp = Importer::new(
            &before,
            &config,
            pick % 2 == 0,
            Prepared::spool(&tail, &dir).unwrap(),
            "2024-01-02T00:00:00Z",
            "fuzz",
        );
        if read_rows(&input, format, &mut imp, &|_| {}).is_err() {
            return Ok::<_, LogError>(None);
        }
        match imp.finish(&input) {
            Ok((summary, batch)) => {
                let n = batch.len();
                w.commit(batch)?;
                Ok(Some((summary, n)))
            }
            Err(_) => Ok(None),
        }
    });
    let after = load(&dir);
    assert!(after.torn.is_none());
    assert!(after.inconsistencies.is_empty(), "{:?}", after.inconsistencies);
    match written.expect("the transaction") {
        Some((summary, _)) => assert_eq!(after.claim_count(), summary.claims),
        None => assert_eq!(after.claim_count(), 0, "a refused import wrote nothing"),
    }
});
