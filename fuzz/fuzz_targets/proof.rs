//! Fuzzes what `verify --head` and `verify --proof` read from strangers: any checkpoint
//! text and any proof JSON give an answer, never a panic.
#![no_main]

use factledger_core::checkpoint::proof::{check, Proof};
use factledger_core::checkpoint::{Checkpoint, CheckpointFile, LeafEntry};
use factledger_core::merkle::leaf_hash;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let entries: Vec<LeafEntry> = (0..7u8)
        .map(|i| LeafEntry {
            line: usize::from(i) + 1,
            hash: leaf_hash(&[i]),
        })
        .collect();
    let head = Checkpoint::of("fuzz", &entries, 7);
    if let Ok(file) = CheckpointFile::parse("fuzz", text) {
        let _ = factledger_core::checkpoint::departure(&file.checkpoint, &entries);
    }
    if let Ok(proof) = serde_json::from_str::<Proof>(text) {
        let _ = check(&proof, &head);
    }
});
