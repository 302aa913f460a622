//! Fuzzes the value and date grammar: any text gives a value or an error, never a panic.
#![no_main]

use factledger_core::time::{parse_date, span_to_text};
use factledger_core::value::{interval_to_text, parse_quantity, QuantityRules};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(q) = parse_quantity(text, &QuantityRules::default()) {
        let again = parse_quantity(&interval_to_text(&q.interval), &QuantityRules::default())
            .expect("a formatted interval parses");
        assert_eq!(again.interval, q.interval);
    }
    let reference = parse_date("2022-05", None).ok().map(|p| p.span);
    if let Ok(d) = parse_date(text, reference.as_ref()) {
        let again = parse_date(&span_to_text(&d.span), None).expect("a formatted span parses");
        assert_eq!(again.span, d.span);
    }
});
