//! Fuzzes the log reader: any bytes, as a whole log or as one line, must give records
//! or a located error, never a panic; a line that parses must re-encode to a line that
//! parses to the same record.
#![no_main]

use std::path::Path;

use factledger_core::log::{decode_line, encode_line, line_hash, parse_log, ReadMode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_log(Path::new("fuzz.ron"), data, ReadMode::Verify);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = line_hash(text);
        if let Ok(r) = decode_line(text) {
            if let Ok((line, _)) = encode_line(r.seq, &r.at, &r.by, &r.prev, &r.entry) {
                let again = decode_line(line.trim_end()).expect("an encoded line parses");
                assert_eq!(again.entry, r.entry);
            }
        }
    }
});
