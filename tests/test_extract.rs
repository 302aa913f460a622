//! `factledger extract`: recall over the shipped seeds (every value and date claim of
//! ledger/seed-claims.csv is proposed), noise handling, and the round trip of its CSV
//! and RON output through `import`.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

use crate::common::TestEnv;

/// The repository root, where `seeds/` and `ledger/` are.
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A seed source of ledger/seed-sources.tsv that has a local file.
struct SeedSource {
    id: String,
    published: String,
    file: String,
}

fn seed_sources() -> Vec<SeedSource> {
    let tsv = std::fs::read_to_string(repo().join("ledger/seed-sources.tsv")).expect("tsv");
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let (id, published, file) = (col("id"), col("published"), col("file"));
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| f.get(file).is_some_and(|p| !p.is_empty()))
        .map(|f| SeedSource {
            id: f[id].to_string(),
            published: f[published].to_string(),
            file: f[file].to_string(),
        })
        .collect()
}

/// One value or date claim of ledger/seed-claims.csv.
#[derive(Debug)]
struct SeedClaim {
    source: String,
    kind: &'static str,
    phrase: String,
    quote: String,
}

fn seed_claims() -> Vec<SeedClaim> {
    let mut rdr = csv::Reader::from_path(repo().join("ledger/seed-claims.csv")).expect("csv");
    let headers = rdr.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (source, value, date, quote) = (col("source"), col("value"), col("date"), col("quote"));
    rdr.records()
        .map(|r| r.expect("record"))
        .filter_map(|r| {
            let (kind, phrase) = if !r[value].is_empty() {
                ("quantity", &r[value])
            } else if !r[date].is_empty() {
                ("date", &r[date])
            } else {
                return None;
            };
            Some(SeedClaim {
                source: r[source].to_string(),
                kind,
                phrase: phrase.to_string(),
                quote: r[quote].to_string(),
            })
        })
        .collect()
}

/// Lowercase, hyphens as spaces, runs of white space as one: SEED-NOTES.md writes
/// "one-month" as `one month` and "month-long" as `a month`.
fn norm(s: &str) -> String {
    s.to_lowercase()
        .replace(['-', '–'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether one of the two texts holds the other, after [`norm`].
fn overlap(a: &str, b: &str) -> bool {
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
}

fn extract_json(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["extract"];
    a.extend_from_slice(args);
    a.extend(["--format", "json"]);
    env.ok(&a)
        .json()
        .as_array()
        .expect("extract prints an array")
        .clone()
}

fn field<'a>(c: &'a Value, name: &str) -> &'a str {
    c[name]
        .as_str()
        .unwrap_or_else(|| panic!("candidate without string {name}: {c}"))
}

#[test]
fn recall_over_the_seeds_is_complete() {
    let env = TestEnv::new();
    let claims = seed_claims();
    let mut missed = Vec::new();
    let mut report = Vec::new();
    let mut total = 0;
    for src in seed_sources() {
        let path = repo().join(&src.file);
        let bytes = std::fs::read(&path).expect("seed file");
        let cands = extract_json(
            &env,
            &[
                path.to_str().expect("utf-8 path"),
                "--published",
                &src.published,
            ],
        );
        // The JSON fields DESIGN fixes, and offsets that point at the phrase.
        for c in &cands {
            let text = field(c, "text");
            let offset = c["offset"].as_u64().expect("offset") as usize;
            assert_eq!(
                bytes.get(offset..offset + text.len()),
                Some(text.as_bytes()),
                "{}: offset of {c}",
                src.file
            );
            assert!(matches!(field(c, "kind"), "quantity" | "date"), "{c}");
            assert!(!field(c, "value").is_empty(), "{c}");
            assert!(field(c, "quote").contains(text), "{c}");
        }
        let mine: Vec<&SeedClaim> = claims.iter().filter(|k| k.source == src.id).collect();
        let mut found = 0;
        for k in &mine {
            let hit = cands.iter().any(|c| {
                field(c, "kind") == k.kind
                    && overlap(field(c, "text"), &k.phrase)
                    && overlap(field(c, "quote"), &k.quote)
            });
            if hit {
                found += 1;
            } else {
                missed.push(format!(
                    "{} {} {:?} in {:?}",
                    src.id, k.kind, k.phrase, k.quote
                ));
            }
        }
        total += mine.len();
        report.push(format!("{}: {found}/{}", src.id, mine.len()));
    }
    println!("extract recall over the seeds: {}", report.join(", "));
    assert!(total >= 50, "only {total} seed claims read: {report:?}");
    assert!(
        missed.is_empty(),
        "extract missed {} of {total} seed claims ({}):\n{}",
        missed.len(),
        report.join(", "),
        missed.join("\n")
    );
}

#[test]
fn handles_are_no_candidates_and_captions_are_noise() {
    let env = TestEnv::new();
    let path = repo().join("seeds/001_a42f3c17ba2e191d.txt");
    let cands = extract_json(
        &env,
        &[path.to_str().expect("utf-8 path"), "--published", "2022-05"],
    );
    assert!(
        !cands.iter().any(|c| field(c, "text").contains("1953")),
        "the handle @faq1953 was proposed: {cands:?}"
    );
    let by_text: HashMap<&str, &Value> = cands.iter().map(|c| (field(c, "text"), c)).collect();
    for caption in ["on August 3, 2021", "August 31, 2021"] {
        let c = by_text
            .get(caption)
            .unwrap_or_else(|| panic!("no candidate {caption:?}: {cands:?}"));
        assert_eq!(c["noise"], "photo caption", "{c}");
    }
    let body = by_text.get("last August").expect("last August");
    assert_eq!(body["noise"], Value::Null);
    assert_eq!(body["value"], "2021-08");
    assert_eq!(body["resolved_against"], "published 2022-05");
    assert_eq!(body["property"], "date");
    // `one of`, `no one` and the pronoun `one` are not counts; `one-month` is.
    let texts: Vec<String> = cands.iter().map(|c| norm(field(c, "text"))).collect();
    assert!(
        !texts
            .iter()
            .any(|t| t == "one" || t.starts_with("one of") || t.starts_with("one which")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "one month"), "{texts:?}");
}

/// A ledger with source `s1` whose local file is seed 001 (published 2022-05).
fn ledger_with_seed() -> (TestEnv, String) {
    let env = TestEnv::init();
    let text = std::fs::read(repo().join("seeds/001_a42f3c17ba2e191d.txt")).expect("seed");
    env.write("docs/001.txt", text);
    env.ok(&[
        "source",
        "add",
        "s1",
        "--title",
        "Asia Times report",
        "--published",
        "2022-05",
        "--file",
        "docs/001.txt",
    ]);
    (env, "docs/001.txt".to_string())
}

fn claim_count(env: &TestEnv) -> usize {
    env.json(&["list"]).as_array().expect("array").len()
}

#[test]
fn ron_output_imports_once_subjects_are_filled() {
    let (env, doc) = ledger_with_seed();
    // --source names the ledger source, whose published date resolves `last August`.
    let ron = env
        .ok(&["extract", &doc, "--source", "s1", "--format", "ron"])
        .stdout;
    let rows = ron.lines().filter(|l| l.starts_with('(')).count();
    assert!(rows >= 18, "{ron}");
    assert!(ron.contains(r#"date:"last August""#), "{ron}");

    // As printed, every row lacks its subject: the import says so and writes nothing.
    env.write("unfilled.ron", &ron);
    let r = env.err(&["import", "unfilled.ron"]);
    assert!(
        r.stderr.contains(r#"missing field "subject""#),
        "{}",
        r.stderr
    );

    env.write(
        "c.ron",
        ron.replace(r#"subject:"""#, r#"subject:"ttp-2022""#),
    );
    env.ok(&["import", "c.ron"]);
    assert_eq!(claim_count(&env), rows);
    let list = env.json(&["list", "--property", "date"]);
    let last_august = list
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["value"] == "last August")
        .expect("last August imported");
    assert_eq!(last_august["parsed"], "2021-08");
    // The quotes are the file's sentences, byte for byte.
    env.ok(&["verify"]);
}

#[test]
fn csv_output_imports_once_source_and_subject_are_filled() {
    let (env, doc) = ledger_with_seed();
    let csv = env.ok(&["extract", &doc, "--format", "csv"]).stdout;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("source,subject,property,value,date,text,unit,as_of,quote")
    );
    let rows = lines.clone().count();
    assert!(rows >= 18, "{csv}");
    assert!(lines.all(|l| l.starts_with(",,")), "{csv}");

    env.write("unfilled.csv", &csv);
    let r = env.err(&["import", "unfilled.csv"]);
    assert!(
        r.stderr.contains(r#"missing field "source""#),
        "{}",
        r.stderr
    );

    let filled: String = csv
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("{l}\n")
            } else {
                format!("s1,ttp-2022{l}\n", l = l.strip_prefix(',').unwrap_or(l))
            }
        })
        .collect();
    env.write("c.csv", filled);
    env.ok(&["import", "c.csv"]);
    assert_eq!(claim_count(&env), rows);
    env.ok(&["verify"]);
}

#[test]
fn extract_needs_no_ledger_and_says_what_is_unresolved() {
    let env = TestEnv::new();
    env.write(
        "a.txt",
        "Over 140 people were killed last year. Photo: AFP\nAbout $7 billion, 2022-12-19.\n",
    );
    let r = env.ok(&["extract", "a.txt", "--format", "json"]);
    assert!(r.stderr.contains("unresolved"), "{}", r.stderr);
    let cands = r.json();
    let last = cands
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["text"] == "last year")
        .expect("last year");
    assert!(field(last, "value").starts_with("unresolved"), "{last}");

    let table = env
        .ok(&["extract", "a.txt", "--published", "2024-03"])
        .stdout;
    assert!(table.contains("Over 140 people"), "{table}");
    assert!(table.contains("(140, ∞)"), "{table}");
    assert!(table.contains("4 candidates"), "{table}");

    let r = env.err(&["extract", "a.txt", "--published", "last year"]);
    assert!(r.stderr.contains("--published"), "{}", r.stderr);
    env.write("bad.txt", b"caf\xe9 12 people\n");
    let r = env.err(&["extract", "bad.txt"]);
    assert!(r.stderr.contains("UTF-8"), "{}", r.stderr);
    let r = env.err(&["extract", "missing.txt"]);
    assert!(r.stderr.contains("missing.txt"), "{}", r.stderr);
}

#[test]
fn table_text_is_cleaned_of_control_characters() {
    let env = TestEnv::new();
    env.write(
        "esc.txt",
        "\u{1b}[31mOver 140 people\u{1b}[0m were killed.\n",
    );
    let out = env.ok(&["extract", "esc.txt"]).stdout;
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains("140"), "{out}");
    let ron = env.ok(&["extract", "esc.txt", "--format", "ron"]).stdout;
    assert!(
        ron.lines()
            .filter(|l| l.starts_with("//"))
            .all(|l| !l.contains('\u{1b}')),
        "{ron:?}"
    );
}

// ---------------------------------------------------------------------------------------
// The labelled corpus of real published text (tests/data/corpus, see its README.md):
// the same scoring as tests/data/corpus/score.py.

/// One hand label: its kind, the byte range of its phrase in the passage, its value.
struct Label {
    kind: String,
    start: usize,
    end: usize,
    value: String,
    phrase: String,
}

/// A passage's published date and labels; each phrase is located at its next unused
/// occurrence in the text.
fn corpus_labels(text: &str, labels: &str) -> (String, Vec<Label>) {
    let mut published = String::new();
    let mut next: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for line in labels.lines() {
        if let Some(meta) = line.strip_prefix('#') {
            if let Some(p) = meta.trim().strip_prefix("published:") {
                published = p.trim().to_string();
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 3, "a label line is kind, phrase, value: {line:?}");
        let from = next.get(f[1]).copied().unwrap_or(0);
        let start = from
            + text
                .get(from..)
                .and_then(|t| t.find(f[1]))
                .unwrap_or_else(|| panic!("label phrase not in the passage: {:?}", f[1]));
        next.insert(f[1].to_string(), start + 1);
        out.push(Label {
            kind: f[0].to_string(),
            start,
            end: start + f[1].len(),
            value: f[2].to_string(),
            phrase: f[1].to_string(),
        });
    }
    assert!(!published.is_empty(), "labels without # published:");
    (published, out)
}

/// Labels, candidates (not marked noise), matched pairs, matched pairs with the right
/// value; and what went wrong, for the failure message.
#[derive(Default)]
struct Score {
    labels: usize,
    candidates: usize,
    matched: usize,
    right: usize,
    notes: Vec<String>,
}

fn score_passage(env: &TestEnv, txt: &std::path::Path, labels: &std::path::Path, sc: &mut Score) {
    let text = std::fs::read_to_string(txt).expect("passage");
    let (published, gold) = corpus_labels(&text, &std::fs::read_to_string(labels).expect("labels"));
    let path = txt.to_str().expect("utf-8 path");
    let cands: Vec<Value> = extract_json(env, &[path, "--published", &published])
        .into_iter()
        .filter(|c| c["noise"].is_null())
        .collect();
    let name = txt.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let mut taken = vec![false; cands.len()];
    for l in &gold {
        let hit = cands.iter().enumerate().position(|(i, c)| {
            let s = c["offset"].as_u64().expect("offset") as usize;
            let e = s + field(c, "text").len();
            !taken[i] && field(c, "kind") == l.kind && s < l.end && l.start < e
        });
        match hit {
            Some(i) => {
                taken[i] = true;
                sc.matched += 1;
                let got = field(&cands[i], "value");
                if got == l.value {
                    sc.right += 1;
                } else {
                    sc.notes.push(format!(
                        "{name}: {:?} read as {got}, labelled {}",
                        l.phrase, l.value
                    ));
                }
            }
            None => sc.notes.push(format!("{name}: missed {:?}", l.phrase)),
        }
    }
    for (c, _) in cands.iter().zip(&taken).filter(|(_, t)| !**t) {
        sc.notes
            .push(format!("{name}: junk {:?}", field(c, "text")));
    }
    sc.labels += gold.len();
    sc.candidates += cands.len();
}

#[test]
fn the_labelled_corpus_of_real_text_is_read() {
    let env = TestEnv::new();
    let dir = repo().join("tests/data/corpus");
    let mut passages: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "labels"))
        .collect();
    passages.sort();
    assert!(
        passages.len() >= 8,
        "the corpus has {} passages",
        passages.len()
    );
    let mut sc = Score::default();
    for labels in &passages {
        score_passage(&env, &labels.with_extension("txt"), labels, &mut sc);
    }
    let ratio = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    let (recall, precision, accuracy) = (
        ratio(sc.matched, sc.labels),
        ratio(sc.matched, sc.candidates),
        ratio(sc.right, sc.matched),
    );
    eprintln!(
        "corpus: {} labels, {} candidates: recall {recall:.3}, precision {precision:.3}, value accuracy {accuracy:.3}",
        sc.labels, sc.candidates
    );
    assert!(sc.labels >= 100, "only {} labels", sc.labels);
    assert!(
        recall >= 0.95 && precision >= 0.95 && accuracy >= 0.99,
        "recall {recall:.3}, precision {precision:.3}, value accuracy {accuracy:.3} (bar: 0.95, 0.95, 0.99):\n{}",
        sc.notes.join("\n")
    );
}

#[test]
fn corpus_labels_are_located_at_successive_occurrences() {
    let (published, labels) = corpus_labels(
        "6.5 then 6.5 again",
        "# published: 2014-08-06\nquantity\t6.5\t6.5\nquantity\t6.5\t6.5\n",
    );
    assert_eq!(published, "2014-08-06");
    let at: Vec<(usize, usize)> = labels.iter().map(|l| (l.start, l.end)).collect();
    assert_eq!(at, vec![(0, 3), (9, 12)]);
}

#[test]
fn subject_fills_the_import_rows_so_they_import_as_printed() {
    let (env, doc) = ledger_with_seed();
    let before = claim_count(&env);
    let ron = env
        .ok(&[
            "extract",
            &doc,
            "--source",
            "s1",
            "--subject",
            "ttp-2022",
            "--format",
            "ron",
        ])
        .stdout;
    let rows: Vec<&str> = ron.lines().filter(|l| l.starts_with('(')).collect();
    assert!(rows.len() >= 18, "{ron}");
    assert!(
        rows.iter().all(|r| r.contains(r#"subject:"ttp-2022""#)),
        "{ron}"
    );
    env.write("rows.ron", &ron);
    env.ok(&["import", "rows.ron"]);
    assert_eq!(claim_count(&env), before + rows.len());

    let csv = env
        .ok(&["extract", &doc, "--subject", "ttp-2022", "--format", "csv"])
        .stdout;
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let subjects: Vec<String> = rdr
        .records()
        .map(|r| r.expect("row")[1].to_string())
        .collect();
    assert!(!subjects.is_empty());
    assert!(subjects.iter().all(|s| s == "ttp-2022"), "{subjects:?}");
}

#[test]
fn a_subject_that_is_no_slug_is_refused_before_anything_is_printed() {
    let (env, doc) = ledger_with_seed();
    let log = env.log_bytes();
    let r = env.err(&["extract", &doc, "--subject", "TTP 2022", "--format", "csv"]);
    assert!(r.stderr.contains("--subject"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(env.log_bytes(), log);
}

#[test]
fn inferred_dates_say_so_in_json_and_ron() {
    let env = TestEnv::new();
    let doc = env.write(
        "wire.txt",
        "The death toll rose to 724 on Sunday. A quake hit late on Saturday.\n",
    );
    let doc = doc.to_str().expect("path");
    let cands = extract_json(&env, &[doc, "--published", "2021-08-17"]);
    let sunday = cands
        .iter()
        .find(|c| c["text"] == "on Sunday")
        .expect("on Sunday");
    assert_eq!(sunday["value"], "2021-08-15");
    assert_eq!(sunday["resolved_against"], "published 2021-08-17");
    assert_eq!(
        sunday["inferred"],
        "the most recent Sunday on or before the reference day"
    );
    let toll = cands.iter().find(|c| c["text"] == "724").expect("724");
    assert_eq!(toll["property"], "deaths");
    let ron = env
        .ok(&[
            "extract",
            doc,
            "--published",
            "2021-08-17",
            "--format",
            "ron",
        ])
        .stdout;
    assert!(
        ron.contains("read as 2021-08-14 (published 2021-08-17); inferred: the most recent Saturday on or before the reference day"),
        "{ron}"
    );
}
