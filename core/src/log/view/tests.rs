//! The view against the reference decoder: on every line written in the canonical form
//! it reads what the reference reads, and it never reads a line the reference refuses.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;
use crate::log::{decode_line, encode_line, GENESIS};
use crate::model::{Claim, DateValue, Entry, Record, StatusChange, Value};
use crate::time::parse_date;
use crate::value::Bound;

/// Whether the view says what the reference record says, field by field.
fn agrees(v: &RecordView<'_>, r: &Record) -> bool {
    let envelope = v.seq == r.seq && v.at == r.at && v.by == r.by && v.prev == r.prev;
    let entry = match (&v.entry, &r.entry) {
        (EntryView::Claim(v), Entry::Claim(c)) => {
            v.id == c.id
                && v.source == c.source
                && v.subject == c.subject
                && v.property == c.property
                && v.value_kind == c.value.kind()
                && v.value_raw == c.value.raw()
                && v.unit == c.unit.as_deref()
                && v.as_of == c.as_of.as_ref().map(|d| d.raw.as_str())
                && v.as_of_span == c.as_of.as_ref().map(|d| d.span)
                && match (v.value, &c.value) {
                    (ParsedValue::Quantity(a), Value::Quantity { interval, .. }) => a == *interval,
                    (ParsedValue::Date(a), Value::Date(d)) => a == d.span,
                    (ParsedValue::Text, Value::Text { .. }) => true,
                    _ => false,
                }
                && v.quote == c.quote.as_deref()
                && v.note == c.note.as_deref()
                && v.supersedes == c.supersedes.as_deref()
                && crate::model::claim_id(&v.content()) == c.computed_id()
        }
        (EntryView::Status(v), Entry::Status(s)) => {
            v.claim == s.claim
                && v.status == s.status
                && v.note == s.note.as_deref()
                && v.evidence == s.evidence.as_deref()
        }
        _ => false,
    };
    envelope && entry && v.hash == r.hash
}

/// Text as people write it (printable ASCII that needs no escape: most lines), or any
/// text at all (quotes, backslashes, control characters: escaped, so left to the
/// reference).
fn text() -> impl Strategy<Value = String> {
    prop_oneof![8 => "[ !#-&(-\\[\\]-~]{0,16}", 1 => any::<String>()]
}

fn opt() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn date() -> impl Strategy<Value = DateValue> {
    let forms = prop_oneof![
        Just("2021"),
        Just("2021-05"),
        Just("2021-05-08"),
        Just("late 2019"),
        Just("March 2020"),
        Just("1999-12-31"),
    ];
    (forms, text(), opt()).prop_map(|(form, raw, reference)| DateValue {
        raw,
        span: parse_date(form, None).expect("a date").span,
        reference,
    })
}

fn value() -> impl Strategy<Value = Value> {
    let bound = prop_oneof![
        Just(Bound::Unbounded),
        (any::<i64>(), 0u32..6).prop_map(|(m, s)| Bound::Incl(Decimal::new(m, s))),
        (any::<i64>(), 0u32..6).prop_map(|(m, s)| Bound::Excl(Decimal::new(m, s))),
    ];
    prop_oneof![
        (text(), bound.clone(), bound).prop_map(|(raw, low, high)| Value::Quantity {
            raw,
            interval: crate::value::Interval { low, high },
        }),
        date().prop_map(Value::Date),
        text().prop_map(|raw| Value::Text { raw }),
    ]
}

fn claim() -> impl Strategy<Value = Claim> {
    (
        (text(), text(), text(), value()),
        (opt(), proptest::option::of(date()), opt(), opt(), opt()),
        any::<bool>(),
    )
        .prop_map(
            |((source, subject, property, value), (unit, as_of, quote, note, sup), real_id)| {
                let mut c = Claim {
                    id: "ab".repeat(32),
                    source,
                    subject,
                    property,
                    value,
                    unit,
                    as_of,
                    quote,
                    note,
                    supersedes: sup,
                };
                if real_id {
                    c.id = c.computed_id();
                }
                c
            },
        )
}

fn status() -> impl Strategy<Value = StatusChange> {
    (text(), 0usize..6, opt(), opt()).prop_map(|(claim, st, note, evidence)| StatusChange {
        claim,
        status: Status::ALL[st],
        note,
        evidence,
    })
}

/// A line damaged as a hand edit might: a byte changed, inserted or removed, or a part
/// of it doubled or dropped.
fn damaged(line: &str, how: usize, at: usize, len: usize) -> String {
    let cut = |p: usize| {
        let mut p = p.min(line.len());
        while !line.is_char_boundary(p) {
            p -= 1;
        }
        p
    };
    let p = cut(at % (line.len() + 1));
    let q = cut(p + len);
    let bytes = [b'"', b'\\', b',', b':', b'(', b')', b'x', b'1', b'#', b' '];
    let b = char::from(bytes[len % bytes.len()]);
    match how % 5 {
        0 => format!("{}{b}{}", &line[..p], &line[q..]),
        1 => format!("{}{b}{}", &line[..p], &line[p..]),
        2 => format!("{}{}", &line[..p], &line[q..]),
        3 => format!("{}{}{}", &line[..q], &line[p..q], &line[q..]),
        _ => format!("{}{}", &line[..p], &line[p..].replacen(",", ",,", 1)),
    }
}

fn line_of(entry: &Entry, seq: u64, by: &str) -> String {
    let (line, _) = encode_line(seq, "2024-01-01T00:00:00Z", by, GENESIS, entry).unwrap();
    line.trim_end_matches('\n').to_string()
}

proptest! {
    /// On every claim and status line written, the view reads what the reference reads,
    /// and a line without escapes (strings that need none) is one it reads at all.
    #[test]
    fn the_view_reads_every_canonical_line_as_the_reference_does(
        c in claim(), s in status(), seq in 1u64..u64::MAX, by in text(),
    ) {
        for entry in [Entry::Claim(c), Entry::Status(s)] {
            let text = line_of(&entry, seq, &by);
            let reference = decode_line(&text).unwrap();
            match view_line(&text) {
                Some(v) => prop_assert!(agrees(&v, &reference), "{text}\n{v:?}"),
                None => prop_assert!(text.contains('\\'), "the view refused {text}"),
            }
        }
    }

    /// A damaged line the view reads is one the reference reads alike; one the reference
    /// refuses, the view refuses too (so it goes to the reference and its error).
    #[test]
    fn the_view_never_reads_a_line_the_reference_refuses(
        c in claim(), s in status(), which in any::<bool>(),
        how in 0usize..5, at in 0usize..2000, len in 0usize..12,
    ) {
        let entry = if which { Entry::Claim(c) } else { Entry::Status(s) };
        let text = damaged(&line_of(&entry, 7, "b"), how, at, len);
        if let Some(v) = view_line(&text) {
            let reference = decode_line(&text);
            prop_assert!(reference.is_ok(), "view read {text:?}, the reference refuses it: {reference:?}");
            prop_assert!(agrees(&v, &reference.unwrap()), "{text}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Every one-byte edit of a line, at every place (inside an interval or a span, a
    /// status, a field name, a number): where the view reads the edited line, the
    /// reference reads it alike.
    #[test]
    fn no_one_byte_edit_makes_the_view_read_what_the_reference_refuses(
        c in claim(), s in status(),
    ) {
        for entry in [Entry::Claim(c), Entry::Status(s)] {
        let line = line_of(&entry, 7, "b");
        let places = (0..=line.len()).filter(|&p| line.is_char_boundary(p));
        for p in places {
            let next = (p + 1..=line.len()).find(|&q| line.is_char_boundary(q));
            let edits = ['x', '1', '.', ',', ':', '(', ')', '#', ' ', '@']
                .map(|b| format!("{}{b}{}", &line[..p], &line[p..]));
            let cut = next.map(|q| format!("{}{}", &line[..p], &line[q..]));
            for text in edits.into_iter().chain(cut) {
                if let Some(v) = view_line(&text) {
                    let reference = decode_line(&text);
                    prop_assert!(reference.is_ok(), "view read {text:?}, the reference refuses it: {reference:?}");
                    prop_assert!(agrees(&v, &reference.unwrap()), "{text}");
                }
            }
        }
        }
    }
}

#[test]
fn non_canonical_lines_are_left_to_the_reference() {
    let c = Claim {
        id: "ab".repeat(32),
        source: "wire".into(),
        subject: "s".into(),
        property: "deaths".into(),
        value: Value::Text { raw: "t".into() },
        unit: None,
        as_of: None,
        quote: Some("q".into()),
        note: None,
        supersedes: None,
    };
    let line = line_of(&Entry::Claim(c), 3, "b");
    assert!(view_line(&line).is_some());
    // Fields out of their written order, an escape, a bare `false`: all readable by the
    // reference, none by the view.
    let moved = line
        .replacen("id:\"abab", "source:\"wire\",id:\"abab", 1)
        .replacen(",source:\"wire\",subject", ",subject", 1);
    assert!(decode_line(&moved).is_ok());
    let escaped = line.replacen("quote:\"q\"", "quote:\"\\u{71}\"", 1);
    assert_eq!(
        decode_line(&escaped).unwrap().entry,
        decode_line(&line).unwrap().entry
    );
    let status = StatusChange {
        claim: "c".into(),
        status: Status::False,
        note: None,
        evidence: None,
    };
    let bare = line_of(&Entry::Status(status), 4, "b").replacen("r#false", "false", 1);
    assert!(decode_line(&bare).is_ok());
    for l in [moved, escaped, bare] {
        assert_eq!(view_line(&l), None, "{l}");
    }
}

#[test]
fn is_hex_of_accepts_only_the_lowercase_hex() {
    let d = [0xabu8; 32];
    assert!(is_hex_of(&d, &"ab".repeat(32)));
    assert!(!is_hex_of(&d, &"AB".repeat(32)));
    assert!(!is_hex_of(&d, &"ab".repeat(31)));
    assert!(!is_hex_of(&d, &format!("{}ac", "ab".repeat(31))));
}
