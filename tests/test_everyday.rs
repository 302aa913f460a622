//! Everyday use (issue 15): typos in filters are refused, tables fit the terminal,
//! JSON lines stream, and the checks and wording a new user meets.

use crate::common::TestEnv;

/// A ledger with two sources (no files) and claims on one bombing, with long quotes.
fn bombing() -> TestEnv {
    let env = TestEnv::init();
    env.source("dawn-2023-01-30", "2023-01-30");
    env.source("reuters-2023-02-02", "2023-02-02");
    let quote = "At least 59 people were killed when a suicide bomber blew himself up inside a crowded mosque in the police headquarters";
    env.claim(
        "dawn-2023-01-30",
        "peshawar-mosque-bombing-2023",
        "deaths",
        "at least 59",
        &["--quote", quote],
    );
    env.claim(
        "reuters-2023-02-02",
        "peshawar-mosque-bombing-2023",
        "killed",
        "101",
        &[
            "--quote",
            "The death toll rose to 101 on Thursday, officials said",
        ],
    );
    env
}

#[test]
fn a_misspelt_subject_is_refused_by_list_conflicts_and_export_with_a_near_match() {
    let env = bombing();
    for cmd in [
        vec!["list"],
        vec!["conflicts", "--exit-code"],
        vec!["export", "--format", "json"],
    ] {
        let mut args = cmd.clone();
        args.extend(["--subject", "peshawar-mosque-bombng-2023"]);
        let r = env.err(&args);
        assert_eq!(
            r.stderr,
            "error: no claim in this ledger has subject \"peshawar-mosque-bombng-2023\" (did you mean peshawar-mosque-bombing-2023?); `factledger subjects` lists the subject names it holds\n",
            "{cmd:?}"
        );
        assert_eq!(r.stdout, "", "{cmd:?}");
    }
}

#[test]
fn a_misspelt_property_or_source_is_refused_and_an_alias_is_not() {
    let env = bombing();
    let r = env.err(&["conflicts", "--property", "death", "--exit-code"]);
    assert!(
        r.stderr
            .contains("property \"death\" (did you mean deaths?)"),
        "{}",
        r.stderr
    );
    let r = env.err(&["list", "--source", "dawn-2023-01-03"]);
    assert!(
        r.stderr.contains("did you mean dawn-2023-01-30?"),
        "{}",
        r.stderr
    );
    // `fatalities` is an alias of deaths: it selects deaths and killed alike.
    let claims = env.json(&["list", "--property", "fatalities"]);
    let props: Vec<&str> = claims
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["property"].as_str().unwrap())
        .collect();
    assert_eq!(props, ["deaths", "killed"]);
}

#[test]
fn a_misspelt_status_is_refused_with_the_near_value() {
    let env = bombing();
    let r = env.err(&["list", "--status", "verifed"]);
    assert!(
        r.stderr.contains("a similar value exists: 'verified'"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_empty_result_is_one_plain_line() {
    let env = bombing();
    let r = env.ok(&["list", "--status", "verified"]);
    assert_eq!(r.stdout, "No claims to show.\n");
    let empty = TestEnv::init();
    assert_eq!(
        empty.ok(&["source", "list"]).stdout,
        "No sources yet: add one with `factledger source add ID --title TITLE`.\n"
    );
    assert_eq!(
        empty.ok(&["subjects"]).stdout,
        "No subjects with live claims.\n"
    );
    assert_eq!(empty.ok(&["list"]).stdout, "No claims to show.\n");
}

#[test]
fn jsonl_prints_one_object_per_line_wherever_json_is_offered() {
    let env = bombing();
    let r = env.ok(&["list", "--format", "jsonl"]);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["value"], "101");
    let r = env.ok(&["export", "--format", "jsonl"]);
    let kinds: Vec<String> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["record"].to_string())
        .collect();
    assert_eq!(
        kinds,
        ["\"source\"", "\"source\"", "\"claim\"", "\"claim\""]
    );
    let r = env.ok(&["subjects", "--format", "jsonl"]);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
    env.claim(
        "dawn-2023-01-30",
        "peshawar-mosque-bombing-2023",
        "injured",
        "150",
        &[],
    );
    env.claim(
        "reuters-2023-02-02",
        "peshawar-mosque-bombing-2023",
        "injured",
        "90",
        &[],
    );
    for cmd in [&["conflicts"][..], &["source", "list"], &["verify"]] {
        let json = env.json(cmd);
        let r = env.ok(&[cmd, &["--format", "jsonl"][..]].concat());
        let lines: Vec<serde_json::Value> = r
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect();
        match json {
            serde_json::Value::Array(items) => {
                assert!(!items.is_empty(), "{cmd:?}");
                assert_eq!(lines, items, "{cmd:?}");
            }
            one => assert_eq!(lines, [one], "{cmd:?}"),
        }
    }
    env.write("article.txt", ARTICLE);
    let json = env.json(&["extract", "article.txt", "--published", "2023-01-30"]);
    let r = env.ok(&[
        "extract",
        "article.txt",
        "--published",
        "2023-01-30",
        "--format",
        "jsonl",
    ]);
    let lines: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(serde_json::Value::Array(lines), json);
}

/// The list table as a terminal of `columns` columns shows it.
fn table_at(env: &TestEnv, columns: &str) -> String {
    let r = env.run_env(&["list"], &[("COLUMNS", columns)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

fn display_width(line: &str) -> usize {
    line.chars().count()
}

#[test]
fn tables_fit_80_columns_without_wrapping_ids_or_dates() {
    let env = bombing();
    let out = table_at(&env, "80");
    for line in out.lines() {
        assert!(display_width(line) <= 80, "{line:?} is wider than 80");
    }
    // Header, rule, two rows and the borders: one line per row, nothing wrapped.
    assert_eq!(out.lines().count(), 7, "{out}");
    let ids: Vec<String> = env
        .json(&["list"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    for id in &ids {
        assert!(out.contains(id.as_str()), "id {id} is cut in:\n{out}");
    }
    assert!(out.contains("2023-01-30"), "{out}");
    assert!(
        out.contains('…'),
        "long text is cut with an ellipsis:\n{out}"
    );
    insta::assert_snapshot!("list_table_80_columns", out);
}

#[test]
fn tables_fit_120_columns() {
    let env = bombing();
    let out = table_at(&env, "120");
    for line in out.lines() {
        assert!(display_width(line) <= 120, "{line:?} is wider than 120");
    }
    insta::assert_snapshot!("list_table_120_columns", out);
}

#[test]
fn a_width_of_zero_means_unknown_and_tables_take_100_columns() {
    let env = bombing();
    let out = table_at(&env, "0");
    let widest = out.lines().map(display_width).max().unwrap();
    assert!(widest <= 100 && widest > 60, "widest line {widest}:\n{out}");
    insta::assert_snapshot!("list_table_width_0", out);
}

#[test]
fn a_pipe_and_wide_get_every_cell_whole() {
    let env = bombing();
    let piped = env.ok(&["list"]).stdout;
    let wide = env
        .run_env(&["list", "--wide"], &[("COLUMNS", "80")])
        .stdout;
    assert_eq!(piped, wide);
    assert!(piped.contains("peshawar-mosque-bombing-2023"), "{piped}");
    assert!(!piped.contains('…'), "{piped}");
}

const ARTICLE: &str = "Police said the bomber\u{2019}s vest held 12 kg of explosives.\nAt least 59 people were killed, officials said on Monday.\nHe called it \u{201C}a massacre\u{201D}.\n";

/// A ledger with one source that has a file (published 2023-01-30) and one without.
fn with_file() -> TestEnv {
    let env = TestEnv::init();
    env.write("docs/dawn.txt", ARTICLE);
    env.ok(&[
        "source",
        "add",
        "dawn",
        "--title",
        "Dawn",
        "--published",
        "2023-01-30",
        "--file",
        "docs/dawn.txt",
    ]);
    env.source("bbc", "2023-02-01");
    env
}

#[test]
fn a_claim_with_no_quote_on_a_source_with_a_file_warns_and_verify_counts_it() {
    let env = with_file();
    let r = env.ok(&[
        "add",
        "--source",
        "dawn",
        "--subject",
        "peshawar-2023",
        "--property",
        "deaths",
        "--value",
        "at least 59",
    ]);
    assert!(
        r.stderr
            .contains("warning: no --quote: source dawn has a file (docs/dawn.txt)"),
        "{}",
        r.stderr
    );
    let v = env.ok(&["verify"]);
    assert!(v.stdout.contains("; 1 claim has no quote"), "{}", v.stdout);
    assert_eq!(env.json(&["verify"])["claims_without_quote"], 1);
}

#[test]
fn the_same_figure_from_the_same_source_under_another_quote_warns() {
    let env = with_file();
    let first = env.claim(
        "dawn",
        "peshawar-2023",
        "deaths",
        "at least 59",
        &["--quote", "At least 59 people were killed"],
    );
    let r = env.ok(&[
        "add",
        "--source",
        "dawn",
        "--subject",
        "peshawar-2023",
        "--property",
        "killed",
        "--value",
        "at least 59",
        "--quote",
        "59 people were killed, officials said",
    ]);
    assert!(
        r.stderr.contains(&format!(
            "warning: source dawn already gives peshawar-2023 killed = \"at least 59\" in claim {first}"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn supersedes_refuses_another_figure_or_source_and_a_retracted_claim() {
    let env = with_file();
    let old = env.claim("bbc", "peshawar-2023", "deaths", "59", &[]);
    let base = ["add", "--supersedes", old.as_str(), "--value", "61"];
    for (extra, field) in [
        (
            [
                "--source",
                "bbc",
                "--subject",
                "lahore-2023",
                "--property",
                "deaths",
            ],
            "subject",
        ),
        (
            [
                "--source",
                "bbc",
                "--subject",
                "peshawar-2023",
                "--property",
                "injured",
            ],
            "property",
        ),
        (
            [
                "--source",
                "dawn",
                "--subject",
                "peshawar-2023",
                "--property",
                "deaths",
            ],
            "source",
        ),
    ] {
        let mut args = base.to_vec();
        args.extend(extra);
        let r = env.err(&args);
        assert!(
            r.stderr.starts_with(&format!(
                "error: --supersedes {old}: the replacement's {field} is"
            )),
            "{}",
            r.stderr
        );
    }
    // An alias is the same figure.
    let new = env.claim(
        "bbc",
        "peshawar-2023",
        "killed",
        "61",
        &["--supersedes", &old],
    );
    let r = env.err(&[
        "add",
        "--supersedes",
        &old,
        "--source",
        "bbc",
        "--subject",
        "peshawar-2023",
        "--property",
        "deaths",
        "--value",
        "62",
    ]);
    assert_eq!(
        r.stderr,
        format!("error: --supersedes {old}: that claim is already retracted (superseded by {new}); supersede the claim that replaced it, or add the new claim without --supersedes\n")
    );
}

#[test]
fn an_as_of_after_the_sources_publication_warns() {
    let env = with_file();
    let r = env.ok(&[
        "add",
        "--source",
        "bbc",
        "--subject",
        "peshawar-2023",
        "--property",
        "deaths",
        "--value",
        "59",
        "--as-of",
        "2023-02-05",
    ]);
    assert!(
        r.stderr
            .contains("warning: as-of 2023-02-05 is after source bbc was published (2023-02-01)"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_straight_apostrophe_or_double_quote_for_the_files_curly_one_gets_a_hint() {
    let env = with_file();
    let r = env.err(&[
        "add",
        "--source",
        "dawn",
        "--subject",
        "peshawar-2023",
        "--property",
        "explosives",
        "--value",
        "12 kg",
        "--quote",
        "the bomber's vest held 12 kg",
    ]);
    assert!(
        r.stderr.ends_with("hint: the file has a curly apostrophe ’ (U+2019) where the quote has a straight apostrophe '; copy those characters from the file\n"),
        "{}",
        r.stderr
    );
    let r = env.err(&[
        "add",
        "--source",
        "dawn",
        "--subject",
        "peshawar-2023",
        "--property",
        "label",
        "--text",
        "massacre",
        "--quote",
        "He called it \"a massacre\"",
    ]);
    assert!(
        r.stderr.contains("U+201C") && r.stderr.contains("U+201D"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_relative_as_of_without_a_published_date_says_what_to_give() {
    let env = TestEnv::init();
    env.ok(&["source", "add", "undated", "--title", "Undated"]);
    let r = env.err(&[
        "add",
        "--source",
        "undated",
        "--subject",
        "peshawar-2023",
        "--property",
        "deaths",
        "--value",
        "59",
        "--as-of",
        "yesterday",
    ]);
    assert_eq!(
        r.stderr,
        "error: --as-of: \"yesterday\" is a relative date, and an as-of is resolved against its source's published date, which this source does not have: give an absolute --as-of such as 2023-01-30, or give the source a published date\n"
    );
}

const HEADER: &str = "source,subject,property,value,date,text,unit,as_of,quote\n";

#[test]
fn import_names_the_as_of_column_and_create_sources_and_counts_in_words() {
    let env = TestEnv::init();
    env.ok(&["source", "add", "undated", "--title", "Undated"]);
    env.write(
        "rows.csv",
        format!("{HEADER}undated,peshawar-2023,deaths,59,,,,yesterday,\nnope,peshawar-2023,deaths,61,,,,,\n"),
    );
    let r = env.err(&["import", "rows.csv"]);
    assert!(
        r.stderr.contains("2 bad rows; nothing was written"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("row 1 (line 2): as_of: \"yesterday\" is a relative date"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("--as-of"), "{}", r.stderr);
    assert!(
        r.stderr.contains("row 2 (line 3): unknown source \"nope\"")
            && r.stderr.contains("or import with --create-sources"),
        "{}",
        r.stderr
    );
    env.write(
        "one.csv",
        format!("{HEADER}undated,peshawar-2023,deaths,59,,,,,\n"),
    );
    let r = env.ok(&["import", "one.csv"]);
    assert_eq!(
        r.stdout,
        "Imported 1 claim from 1 row (0 sources created, 0 statuses)\n"
    );
    env.write(
        "bad.csv",
        format!("{HEADER}nope,peshawar-2023,deaths,61,,,,,\n"),
    );
    let r = env.err(&["import", "bad.csv"]);
    assert!(
        r.stderr.contains(": 1 bad row; nothing was written"),
        "{}",
        r.stderr
    );
}

#[test]
fn import_warns_of_misspelt_subjects_and_properties_once_per_name() {
    let env = TestEnv::init();
    env.source("dawn", "2023-01-30");
    env.claim("dawn", "peshawar-mosque-bombing-2023", "deaths", "59", &[]);
    env.write(
        "rows.csv",
        format!(
            "{HEADER}dawn,peshawar-mosque-bombng-2023,death,61,,,,,\ndawn,peshawar-mosque-bombng-2023,death,62,,,,,\ndawn,peshawar-mosque-bombing-2023,fatalities,63,,,,,\n"
        ),
    );
    let r = env.ok(&["import", "rows.csv"]);
    assert_eq!(
        r.stderr,
        "warning: subject \"peshawar-mosque-bombng-2023\" is new to this ledger; did you mean peshawar-mosque-bombing-2023?\n\
         warning: property \"death\" is new to this ledger; did you mean deaths?\n"
    );
}

#[test]
fn subjects_does_not_list_a_subject_whose_every_claim_is_retracted_as_live() {
    let env = TestEnv::init();
    env.source("dawn", "2023-01-30");
    let gone = env.claim("dawn", "peshawar-mosque-bombng-2023", "deaths", "59", &[]);
    env.claim("dawn", "peshawar-mosque-bombing-2023", "deaths", "59", &[]);
    env.ok(&[
        "status",
        &gone,
        "retracted",
        "--note",
        "typo in the subject",
    ]);
    let r = env.ok(&["subjects"]);
    let table_part = r.stdout.split("every claim retracted").next().unwrap();
    assert!(!table_part.contains("bombng"), "{}", r.stdout);
    assert!(
        r.stdout
            .ends_with("1 subject\nevery claim retracted: peshawar-mosque-bombng-2023\n"),
        "{}",
        r.stdout
    );
    let json = env.json(&["subjects"]);
    assert_eq!(json[1]["subject"], "peshawar-mosque-bombng-2023");
    assert_eq!(json[1]["claims"], 0);
    assert_eq!(json[1]["retracted"], 1);
}

#[test]
fn verify_format_csv_prints_csv() {
    let env = with_file();
    env.claim(
        "dawn",
        "peshawar-2023",
        "deaths",
        "at least 59",
        &["--quote", "At least 59 people were killed"],
    );
    env.write("docs/dawn.txt", "changed\n");
    let r = env.findings(&["verify", "--format", "csv"]);
    let mut rows = csv::Reader::from_reader(r.stdout.as_bytes());
    assert_eq!(
        rows.headers().unwrap().iter().collect::<Vec<_>>(),
        ["line", "kind", "message"]
    );
    let kinds: Vec<String> = rows.records().map(|r| r.unwrap()[1].to_string()).collect();
    assert_eq!(kinds, ["source-file", "quote"]);
    assert!(r.stderr.starts_with("2 problems:"), "{}", r.stderr);
}

#[test]
fn source_add_and_the_filters_document_every_flag() {
    let env = TestEnv::new();
    let help = env.ok(&["source", "add", "--help"]).stdout;
    for (flag, words) in [
        ("--outlet", "The publication or organization"),
        ("--author", "Who wrote it"),
        ("--url", "Where it can be read online"),
    ] {
        let line = help.lines().find(|l| l.contains(flag)).unwrap();
        let at = help.find(line).unwrap();
        assert!(help[at..].contains(words), "{flag} has no help:\n{help}");
    }
    for cmd in ["list", "conflicts"] {
        let help = env.ok(&[cmd, "--help"]).stdout;
        let at = help.find("--subject").unwrap();
        let after: String = help[at..].lines().take(2).collect();
        assert!(
            after.contains("Only"),
            "{cmd} --subject has no help:\n{help}"
        );
    }
}

#[test]
fn import_help_shows_the_csv_header_whole() {
    let env = TestEnv::new();
    let help = env.ok(&["import", "--help"]).stdout;
    assert!(
        help.lines()
            .any(|l| l.trim() == "source,subject,property,value,date,text,unit,as_of,quote"),
        "{help}"
    );
}

#[test]
fn man_dir_writes_a_page_per_subcommand_with_exit_status_environment_and_files() {
    let env = TestEnv::new();
    let r = env.ok(&["completions", "--man-dir", "share/man/man1"]);
    let dir = env.root().join("share/man/man1");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        r.stdout,
        format!("Wrote {} man pages to {}\n", names.len(), dir.display())
    );
    for want in [
        "factledger.1",
        "factledger-add.1",
        "factledger-conflicts.1",
        "factledger-source-add.1",
    ] {
        assert!(
            names.iter().any(|n| n == want),
            "{want} missing from {names:?}"
        );
    }
    for n in &names {
        let page = std::fs::read_to_string(dir.join(n)).unwrap();
        for section in [".SH \"EXIT STATUS\"", ".SH ENVIRONMENT", ".SH FILES"] {
            assert!(page.contains(section), "{n} has no {section}");
        }
    }
    // Every page the top page refers to exists.
    let top = std::fs::read_to_string(dir.join("factledger.1")).unwrap();
    for n in &names {
        let stem = n.trim_end_matches(".1");
        if stem != "factledger" {
            assert!(
                top.contains(&format!("\\fB{stem}\\fR(1)")),
                "factledger.1 does not refer to {stem}"
            );
        }
    }
}

#[test]
fn init_below_a_folder_with_a_ledger_refuses_to_hide_it() {
    let env = TestEnv::init();
    std::fs::create_dir_all(env.root().join("sub")).unwrap();
    let r = env
        .cmd(&["init"])
        .current_dir(env.root().join("sub"))
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(
        stderr.contains("would hide it from commands run in") && stderr.contains("--nested"),
        "{stderr}"
    );
    assert!(!env.root().join("sub/ledger").exists());
    let r = env
        .cmd(&["init", "--nested"])
        .current_dir(env.root().join("sub"))
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(0));
    let r = env.err(&["init", "ledger/inner"]);
    assert!(r.stderr.contains("is inside the ledger"), "{}", r.stderr);
}

#[test]
fn init_of_a_folder_commands_will_not_find_says_how_to_use_it() {
    let env = TestEnv::new();
    let r = env.ok(&["init", "myledger"]);
    let dir = env.root().join("myledger");
    assert_eq!(
        r.stdout,
        format!(
            "Initialized empty ledger in {}\nCommands here will not find it by themselves (they look for the nearest ledger/ folder upward): pass --ledger myledger or run `export FACTLEDGER_DIR={}`\n",
            dir.display(),
            dir.display()
        )
    );
    let r = env.ok(&["init"]);
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

#[test]
fn a_conflicts_table_at_100_columns_keeps_ids_and_scale_bars_on_one_line() {
    let env = bombing();
    env.source("ap-2023-01-31", "2023-01-31");
    env.claim(
        "ap-2023-01-31",
        "peshawar-mosque-bombing-2023",
        "deaths",
        "about 40",
        &["--quote", "Officials at the Lady Reading Hospital in Peshawar said about 40 bodies had been brought in"],
    );
    let r = env.run_env(&["conflicts"], &[("COLUMNS", "100")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let findings = env.json(&["conflicts"]);
    for c in findings[0]["claims"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let row: Vec<&str> = r
            .stdout
            .lines()
            .filter(|l| l.starts_with('│') && l.contains(id))
            .collect();
        assert_eq!(row.len(), 1, "id {id} not whole on one line:\n{}", r.stdout);
        // The scale bar is 24 cells and whole on the same line.
        let bar: String = row[0]
            .chars()
            .filter(|c| matches!(c, '█' | '·' | '◀' | '▶'))
            .collect();
        assert_eq!(bar.chars().count(), 24, "{}", row[0]);
    }
    for line in r
        .stdout
        .lines()
        .filter(|l| l.starts_with('│') || l.starts_with('┌'))
    {
        assert!(display_width(line) <= 100, "{line:?} is wider than 100");
    }
}

#[test]
fn the_readme_install_lines_work_on_a_fresh_machine() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("## Install")
        .nth(1)
        .and_then(|s| s.split("```sh\n").nth(1))
        .and_then(|s| s.split("```").next())
        .expect("an install block");
    let home = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin("factledger");
    let script: String = block
        .lines()
        .filter(|l| !l.starts_with("cargo install"))
        .map(|l| l.replace("factledger ", &format!("{} ", bin.display())))
        .collect::<Vec<_>>()
        .join("\n");
    let out = std::process::Command::new("sh")
        .args(["-e", "-c", &script])
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let share = home.path().join(".local/share");
    assert!(share
        .join("bash-completion/completions/factledger")
        .is_file());
    assert!(share.join("man/man1/factledger-add.1").is_file());
}

#[test]
fn verify_counts_one_entry_in_the_singular() {
    let env = TestEnv::init();
    env.source("dawn", "2023-01-30");
    let r = env.ok(&["verify"]);
    assert!(
        r.stdout
            .starts_with("ok: 1 entry, 0 claims, 1 source checked"),
        "{}",
        r.stdout
    );
}

#[test]
fn an_alias_filters_conflicts_and_counts_in_subjects_under_its_canonical_name() {
    let env = TestEnv::init();
    env.source("dawn", "2023-01-30");
    env.source("bbc", "2023-01-30");
    env.claim("dawn", "peshawar-2023", "killed", "59", &[]);
    env.claim("bbc", "peshawar-2023", "killed", "32", &[]);
    env.claim("bbc", "peshawar-2023", "deaths", "32", &[]);
    // `fatalities` and `deaths` name the figure logged as `killed`: the conflict is found.
    for p in ["fatalities", "deaths", "killed"] {
        let r = env.findings(&[
            "conflicts",
            "--property",
            p,
            "--exit-code",
            "--format",
            "json",
        ]);
        let f = r.json();
        assert!(
            f.as_array()
                .unwrap()
                .iter()
                // One figure under the canonical name: `killed` and `deaths` claims alike.
                .any(|f| f["property"] == "deaths"),
            "{p}: {f}"
        );
    }
    assert_eq!(
        env.json(&["subjects"])[0]["properties"],
        serde_json::json!({"deaths": 3})
    );
}

#[test]
fn a_bulk_import_of_many_new_names_is_counted_not_matched_one_by_one() {
    let env = TestEnv::init();
    env.source("dawn", "2023-01-30");
    // 2,100 subjects in the ledger and 1,000 new ones: too many to match pairwise.
    let mut old = String::from(HEADER);
    for i in 0..2100 {
        old.push_str(&format!("dawn,event-{i:05},deaths,{i},,,,,\n"));
    }
    env.write("old.csv", old);
    env.ok(&["import", "old.csv"]);
    let mut new = String::from(HEADER);
    for i in 0..1000 {
        new.push_str(&format!("dawn,event-{:05}-x,deaths,{i},,,,,\n", i + 5000));
    }
    env.write("new.csv", new);
    let r = env.ok(&["import", "new.csv"]);
    assert_eq!(
        r.stderr,
        "warning: 1000 subject names are new to this ledger (first: event-05000-x, event-05001-x, event-05002-x); `factledger subjects` lists them all\n"
    );
}

#[test]
fn init_and_man_dir_print_typed_paths_without_escape_sequences() {
    let env = TestEnv::new();
    let r = env.ok(&["init", "my\u{1b}[31mledger"]);
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
    assert!(r.stdout.contains("[31mledger"), "{:?}", r.stdout);
    let r = env.ok(&["completions", "--man-dir", "man\u{1b}[2J"]);
    assert!(!r.stdout.contains('\u{1b}'), "{:?}", r.stdout);
}
