//! Tests of the log: encoding, reading back, torn tails and batches.

mod basics {
    use super::super::*;
    use crate::model::{Entry, Source, Unhashed};
    use sha2::{Digest, Sha256};

    fn entry() -> Entry {
        Entry::Source(Source {
            id: "s".into(),
            title: "A \"title\" with ’ and \n newline".into(),
            outlet: None,
            author: Some("x".into()),
            url: None,
            published: None,
            published_note: None,
            file: None,
            sha256: None,
        })
    }

    #[test]
    fn hand_built_lines_match_serde_and_read_back() {
        let e = entry();
        let (line, hash) = encode_line(7, "2024-01-01T00:00:00Z", "a \"b\"", GENESIS, &e).unwrap();
        let serde = ron_options()
            .to_string(&Unhashed {
                seq: 7,
                at: "2024-01-01T00:00:00Z",
                by: "a \"b\"",
                prev: GENESIS,
                entry: &e,
            })
            .unwrap();
        assert_eq!(hex::encode(Sha256::digest(serde.as_bytes())), hash);
        assert_eq!(&line[..serde.len() - 1], &serde[..serde.len() - 1]);
        assert_eq!(line.matches('\n').count(), 1, "one line: {line}");
        let r = decode_line(line.trim_end()).unwrap();
        assert_eq!(r.entry, e);
        assert_eq!(line_hash(line.trim_end()).unwrap(), r.hash);
    }

    #[test]
    fn torn_tail_is_found_and_not_parsed() {
        let (l1, _) = encode_line(1, "t", "b", GENESIS, &entry()).unwrap();
        let bytes = format!("// c\n{l1}(seq:2,at:\"t");
        let c = parse_log(Path::new("log.ron"), bytes.as_bytes(), ReadMode::Verify).unwrap();
        assert_eq!(c.lines.len(), 1);
        assert_eq!(c.lines[0].line, 2);
        assert!(c.lines[0].bad_hash.is_none());
        assert_eq!(
            c.torn,
            Some(TornTail {
                line: 3,
                offset: (5 + l1.len()) as u64,
                bytes: 12,
                batch: false,
            })
        );
    }
}

mod shapes {
    use super::super::encode::{chain_line, chained_len};
    use super::super::*;
    use crate::model::Entry;

    fn parse(bytes: &str) -> LogContents {
        parse_log(Path::new("log.ron"), bytes.as_bytes(), ReadMode::Verify).unwrap()
    }

    #[test]
    fn an_entry_of_an_unknown_kind_is_kept_with_its_text_and_its_hash_checks() {
        let (line, hash) = chain_line(
            1,
            "\"t\"",
            "\"b\"",
            GENESIS,
            "Checkpoint((size:3,root:\"ab\"))",
        );
        let c = parse(&line);
        assert_eq!(c.lines.len(), 1);
        let l = &c.lines[0];
        assert!(l.bad_hash.is_none());
        assert_eq!(l.record.hash, hash);
        match &l.record.entry {
            Entry::Unknown(u) => {
                assert_eq!(u.kind, "Checkpoint");
                assert_eq!(u.raw, "Checkpoint((size:3,root:\"ab\"))");
            }
            other => panic!("{other:?}"),
        }
        // A known kind that does not parse stays an error, never "unknown".
        let (bad, _) = chain_line(1, "\"t\"", "\"b\"", GENESIS, "Claim((nonsense:1))");
        assert!(parse_log(Path::new("log.ron"), bad.as_bytes(), ReadMode::Parse).is_err());
    }

    #[test]
    fn a_whole_last_line_without_its_line_end_is_read_not_torn() {
        let (l1, _) = chain_line(1, "\"t\"", "\"b\"", GENESIS, "Batch((entries:0,bytes:0))");
        let c = parse(l1.trim_end_matches('\n'));
        assert_eq!(c.torn, None);
        assert_eq!(c.lines.len(), 1);
        // Cut one byte shorter, it is torn.
        let cut = &l1[..l1.len() - 2];
        assert_eq!(parse(cut).torn.map(|t| t.line), Some(1));
    }

    #[test]
    fn a_batch_cut_short_is_a_torn_tail_from_its_header() {
        let entry = "Text((raw:\"x\"))";
        let (h, hh) = {
            let bytes = chained_len(2, "\"t\"", "\"b\"", entry) * 2;
            let header = format!("Batch((entries:2,bytes:{bytes}))");
            chain_line(1, "\"t\"", "\"b\"", GENESIS, &header)
        };
        let (e1, h1) = chain_line(2, "\"t\"", "\"b\"", &hh, entry);
        let (e2, _) = chain_line(3, "\"t\"", "\"b\"", &h1, entry);
        assert_eq!(e1.len() as u64, chained_len(2, "\"t\"", "\"b\"", entry));
        let whole = format!("{h}{e1}{e2}");
        let c = parse(&whole);
        assert_eq!((c.lines.len(), c.torn), (3, None));
        let short = format!("{h}{e1}");
        let c = parse(&short);
        assert_eq!(c.lines.len(), 0, "no line of a cut batch is read");
        let torn = c.torn.unwrap();
        assert_eq!((torn.line, torn.offset, torn.batch), (1, 0, true));
        assert_eq!(torn.bytes, short.len());
    }
}

mod roundtrip {
    use chrono::{Duration, NaiveDate};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::super::*;
    use crate::model::{Claim, DateValue, Entry, Record, Value};
    use crate::time::{parse_date, Precision, TimeSpan};
    use crate::value::{Bound, Interval};

    fn bound() -> impl Strategy<Value = Bound> {
        prop_oneof![
            Just(Bound::Unbounded),
            (any::<i64>(), 0u32..6).prop_map(|(m, s)| Bound::Incl(Decimal::new(m, s))),
            (any::<i64>(), 0u32..6).prop_map(|(m, s)| Bound::Excl(Decimal::new(m, s))),
        ]
    }

    fn span() -> impl Strategy<Value = TimeSpan> {
        let day = (1000i32..9000, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
        prop_oneof![
            // The spans the grammar makes, through their text.
            (day.clone(), 0usize..4).prop_map(|(d, form)| {
                let text = match form {
                    0 => d.format("%Y").to_string(),
                    1 => d.format("%Y-%m").to_string(),
                    2 => d.format("%Y-%m-%d").to_string(),
                    _ => format!("late {}", d.format("%Y")),
                };
                parse_date(&text, None).unwrap().span
            }),
            // Any span at all, with any precision, to the minute.
            (day, 0i64..5_000_000, 0i64..100_000, 0usize..7).prop_map(|(d, start, len, p)| {
                let start = d.and_hms_opt(0, 0, 0).unwrap() + Duration::minutes(start);
                let precision = [
                    Precision::Minute,
                    Precision::Day,
                    Precision::Month,
                    Precision::Part,
                    Precision::Year,
                    Precision::Decade,
                    Precision::Span,
                ][p];
                TimeSpan {
                    start,
                    end: start + Duration::minutes(len + 1),
                    precision,
                }
            }),
        ]
    }

    /// Any text, or printable ASCII with quotes and backslashes (what most text is).
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[ -~]{0,30}"]
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            (text(), bound(), bound()).prop_map(|(raw, low, high)| Value::Quantity {
                raw,
                interval: Interval { low, high }
            }),
            (text(), span(), proptest::option::of(text())).prop_map(|(raw, span, reference)| {
                Value::Date(DateValue {
                    raw,
                    span,
                    reference,
                })
            }),
            text().prop_map(|raw| Value::Text { raw }),
        ]
    }

    proptest! {
        /// Whatever a claim holds (any text, control characters and quotes included, any
        /// interval, any span) is written as one line and read back as itself.
        #[test]
        fn a_written_line_reads_back_as_the_same_record(
            seq in 1u64..u64::MAX,
            by in text(),
            source in text(),
            subject in text(),
            value in value(),
            quote in proptest::option::of(text()),
            unit in proptest::option::of(text()),
            as_of in proptest::option::of(span()),
        ) {
            let claim = Claim {
                id: "ab".repeat(32),
                source,
                subject,
                property: "p".into(),
                value,
                unit,
                as_of: as_of.map(|span| DateValue { raw: "x".into(), span, reference: None }),
                quote,
                note: None,
                supersedes: None,
            };
            let entry = Entry::Claim(claim);
            let (line, hash) = encode_line(seq, "2024-01-01T00:00:00Z", &by, GENESIS, &entry).unwrap();
            prop_assert_eq!(line.matches('\n').count(), 1);
            prop_assert!(line.ends_with('\n'));
            let text = line.trim_end_matches('\n');
            let r = decode_line(text).unwrap();
            prop_assert_eq!(&r.entry, &entry);
            prop_assert_eq!(&r.by, &by);
            prop_assert_eq!(r.seq, seq);
            prop_assert_eq!(line_hash(text), Some(hash));
            prop_assert_eq!(
                crate::log::fast::decode_fast(text),
                Some(ron_options().from_str::<Record>(text).unwrap()).filter(|_| !text.contains('\\'))
            );
            let Entry::Claim(claim) = &entry else { unreachable!() };
            prop_assert_eq!(encode_claim_entry(claim), encode_entry(&entry).unwrap());
        }
    }

    fn opt() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(text())
    }

    proptest! {
        /// Sources and status changes read back too, by both readers alike.
        #[test]
        fn sources_and_statuses_read_back(
            id in text(), title in text(), outlet in opt(), url in opt(), note in opt(),
            published in proptest::option::of(span()), st in 0usize..6, evidence in opt(),
        ) {
            let source = Entry::Source(crate::model::Source {
                id: id.clone(),
                title,
                outlet,
                author: None,
                url,
                published: published.map(|span| DateValue { raw: "r".into(), span, reference: None }),
                published_note: note.clone(),
                file: None,
                sha256: None,
            });
            let status = Entry::Status(crate::model::StatusChange {
                claim: id,
                status: crate::model::Status::ALL[st],
                note,
                evidence,
            });
            for entry in [source, status] {
                let (line, _) = encode_line(3, "t", "b", GENESIS, &entry).unwrap();
                let text = line.trim_end_matches('\n');
                prop_assert_eq!(&decode_line(text).unwrap().entry, &entry);
                let by_ron = ron_options().from_str::<Record>(text).unwrap();
                prop_assert_eq!(&by_ron.entry, &entry);
                if !text.contains('\\') {
                    prop_assert_eq!(crate::log::fast::decode_fast(text), Some(by_ron));
                }
            }
        }
    }

    /// A line made from a claim, then damaged as a hand edit might: a field doubled,
    /// dropped or moved, a byte inserted or removed.
    fn mutated(line: &str, how: usize, at: usize) -> String {
        let fields = [",subject:", ",source:", ",property:", ",unit:", ",quote:"];
        let field = fields[at % fields.len()];
        let segment = line.find(field).map(|i| {
            let rest = &line[i + 1..];
            let end = rest.find(",").map_or(rest.len(), |j| j + 1);
            (i, &line[i..i + end])
        });
        let cut = |p: usize| {
            let mut p = p.min(line.len());
            while !line.is_char_boundary(p) {
                p -= 1;
            }
            p
        };
        match (how % 4, segment) {
            (0, Some((i, seg))) => format!("{}{seg}{}", &line[..i], &line[i..]),
            (1, Some((i, seg))) => format!("{}{}", &line[..i], &line[i + seg.len()..]),
            (2, _) => {
                let p = cut(at % (line.len() + 1));
                format!("{}:{}", &line[..p], &line[p..])
            }
            _ => {
                let p = cut(at % (line.len().max(1)));
                let q = cut(p + 1);
                format!("{}{}", &line[..p], &line[q..])
            }
        }
    }

    proptest! {
        /// The fast reader never accepts what the reference reader (`ron`) refuses, and
        /// reads what it accepts as the same record: duplicated fields included.
        #[test]
        fn the_fast_reader_accepts_only_what_ron_accepts(
            subject in "[a-z-]{1,12}", quote in proptest::option::of("[ -~]{0,20}"),
            unit in proptest::option::of("[a-z]{1,5}"), how in 0usize..4, at in 0usize..400,
        ) {
            let claim = Claim {
                id: "cd".repeat(32),
                source: "wire".into(),
                subject,
                property: "deaths".into(),
                value: Value::Text { raw: "t".into() },
                unit,
                as_of: None,
                quote,
                note: None,
                supersedes: None,
            };
            let (line, _) = encode_line(4, "t", "b", GENESIS, &Entry::Claim(claim)).unwrap();
            let text = mutated(line.trim_end_matches('\n'), how, at);
            if let Some(fast) = crate::log::fast::decode_fast(&text) {
                let reference = ron_options().from_str::<Record>(&text);
                prop_assert!(reference.is_ok(), "fast read {text:?}, ron refuses it: {reference:?}");
                prop_assert_eq!(reference.unwrap(), fast);
            }
        }
    }

    #[test]
    fn a_duplicated_field_is_refused_by_both_readers() {
        let (line, _) = encode_line(
            1,
            "t",
            "b",
            GENESIS,
            &Entry::Status(crate::model::StatusChange {
                claim: "ab".repeat(32),
                status: crate::model::Status::Verified,
                note: Some("n".into()),
                evidence: None,
            }),
        )
        .unwrap();
        let doubled = line
            .trim_end()
            .replacen(",note:\"n\"", ",note:\"n\",note:\"m\"", 1);
        assert_ne!(doubled, line.trim_end());
        assert_eq!(crate::log::fast::decode_fast(&doubled), None);
        assert!(decode_line(&doubled).is_err());
    }
}

mod chunks {
    use super::super::encode::{chain_line, chained_len};
    use super::super::read::{stream_log_by, CHUNK};
    use super::super::*;

    /// A log of many small lines with everything a reader must keep apart: comments,
    /// blank lines, a whole batch, an entry of an unknown kind.
    fn log() -> String {
        let body = [
            "Source((id:\"a\",title:\"a\"))",
            "Source((id:\"b\",title:\"b\"))",
        ];
        let bytes: u64 = (3..)
            .zip(body)
            .map(|(seq, e)| chained_len(seq, "\"t\"", "\"b\"", e))
            .sum();
        let batch = format!("Batch((entries:2,bytes:{bytes}))");
        let entries = [
            "Source((id:\"s\",title:\"t\"))",
            &batch,
            body[0],
            body[1],
            "Checkpoint((size:3))",
            "Source((id:\"c\",title:\"c\"))",
        ];
        let mut out = String::from("// factledger log\n\n");
        let mut prev = GENESIS.to_string();
        for (seq, e) in (1..).zip(entries) {
            let (line, hash) = chain_line(seq, "\"t\"", "\"b\"", &prev, e);
            out.push_str(&line);
            if seq == 5 {
                out.push_str("   \n// a note\n");
            }
            prev = hash;
        }
        out
    }

    /// The lines and the torn tail read from byte `from` on (just after line `after`).
    fn read_from(bytes: &str, (from, after): (usize, usize), size: usize) -> String {
        let mut lines = Vec::new();
        let torn = stream_log_by::<LogError>(
            Path::new("log.ron"),
            &mut &bytes.as_bytes()[from..],
            (from as u64, after),
            whole_to_of(bytes),
            ReadMode::Verify,
            size,
            &mut |mut chunk| {
                lines.append(&mut chunk);
                Ok(())
            },
        )
        .unwrap();
        format!("{lines:?} {torn:?}")
    }

    fn read(bytes: &str, size: usize) -> String {
        read_from(bytes, (0, 0), size)
    }

    fn whole_to_of(bytes: &str) -> u64 {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("log.ron");
        std::fs::write(&p, bytes).unwrap();
        let f = std::fs::File::open(&p).unwrap();
        read::whole_to(&f, bytes.len() as u64).unwrap()
    }

    #[test]
    fn any_chunk_size_reads_the_same_lines_and_tails() {
        let whole = log();
        let last = whole.trim_end_matches('\n').to_string();
        let torn = format!("{whole}(seq:7,at:\"t");
        let cut_batch = whole[..whole.find("(seq:4").unwrap()].to_string();
        // A CRLF line inside the batch: its CR is not counted.
        let crlf = whole.replacen("\n(seq:4", "\r\n(seq:4", 1);
        for log in [whole, last, torn, cut_batch, crlf] {
            let reference = read(&log, CHUNK);
            assert!(reference.contains("Source"), "{reference}");
            for size in [1, 2, 7, 64, 333, 4096] {
                assert_eq!(read(&log, size), reference, "chunks of {size} bytes");
            }
        }
    }

    #[test]
    fn a_read_from_a_line_start_numbers_lines_and_offsets_as_a_whole_read() {
        let whole = log();
        let from = whole.find("(seq:3").unwrap();
        let after = whole[..from].matches('\n').count();
        let reference = read(&whole, CHUNK);
        // The whole read's lines from that line on: its Debug text from `Line { line: 5`.
        let tail = &reference[reference
            .find(&format!("Line {{ line: {}", after + 1))
            .unwrap()..];
        for size in [1, 64, CHUNK] {
            assert_eq!(read_from(&whole, (from, after), size), format!("[{tail}"));
        }
    }
}
