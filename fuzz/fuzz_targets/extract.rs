//! Fuzzes the claim finder: any text gives candidates whose offsets point at their
//! phrases, never a panic.
#![no_main]

use factledger_core::extract::extract;
use factledger_core::time::parse_date;
use factledger_core::value::QuantityRules;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let published = parse_date("2022-05", None).ok().map(|p| p.span);
    for c in extract(text, published.as_ref(), &QuantityRules::default()) {
        assert_eq!(text.get(c.offset..c.offset + c.text.len()), Some(c.text.as_str()));
    }
});
