//! `factledger report`: the HTML page parsed as HTML and its charts as SVG: one chart
//! per finding, every claim of every finding present, nothing fetched from elsewhere.

use scraper::{Html, Selector};

use crate::common::TestEnv;

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

/// A ledger with a revised toll (three sources), a conflicting date, conflicting texts
/// and a conflict between sources with no date to place them in time.
fn four_findings() -> TestEnv {
    let env = TestEnv::init();
    env.ok(&[
        "source",
        "add",
        "ap",
        "--title",
        "AP <story>",
        "--url",
        "https://apnews.com/article/x",
        "--published",
        "2023-07-31",
    ]);
    env.ok(&[
        "source",
        "add",
        "evil",
        "--title",
        "Evil",
        "--url",
        "javascript:alert(1)",
        "--published",
        "2023-08-02",
    ]);
    env.source("dawn", "2023-08-05");
    env.claim(
        "ap",
        "bajaur-2023",
        "deaths",
        "44",
        &["--quote", "44 <b>killed</b>"],
    );
    env.claim("evil", "bajaur-2023", "deaths", "54", &[]);
    env.claim("dawn", "bajaur-2023", "deaths", "63", &[]);
    env.claim("dawn", "bajaur-2023", "injured", "200", &[]);
    env.ok(&[
        "add",
        "--source",
        "ap",
        "--subject",
        "bajaur-2023",
        "--property",
        "date",
        "--date",
        "2023-07-30",
    ]);
    env.ok(&[
        "add",
        "--source",
        "dawn",
        "--subject",
        "bajaur-2023",
        "--property",
        "date",
        "--date",
        "2023-07-29",
    ]);
    for (src, who) in [("ap", "Islamic State"), ("dawn", "TTP")] {
        let args = ["add", "--source", src, "--subject", "bajaur-2023"];
        env.ok(&[&args[..], &["--property", "claimed-by", "--text", who]].concat());
    }
    for id in ["undated-a", "undated-b"] {
        env.ok(&["source", "add", id, "--title", id]);
    }
    env.claim("undated-a", "khar-2023", "deaths", "5", &[]);
    env.claim("undated-b", "khar-2023", "deaths", "9", &[]);
    env
}

#[test]
fn the_report_has_one_chart_per_finding_and_every_claim_id() {
    let env = four_findings();
    let r = env.ok(&["report", "-o", "report.html"]);
    let findings = env.json(&["conflicts"]);
    let findings = findings.as_array().unwrap();
    assert_eq!(findings.len(), 4);
    assert_eq!(r.stdout, "Wrote 4 findings to report.html\n");
    let text = std::fs::read_to_string(env.root().join("report.html")).unwrap();
    let doc = Html::parse_document(&text);
    let sections: Vec<_> = doc.select(&sel("section.finding")).collect();
    assert_eq!(sections.len(), findings.len());
    for (section, f) in sections.iter().zip(findings) {
        let charts: Vec<_> = section.select(&sel("figure.chart svg")).collect();
        assert_eq!(charts.len(), 1, "one chart per finding");
        // The chart is SVG with a point per claim (a circle, triangle or cross path).
        let svg = charts[0].html();
        let marks = charts[0]
            .select(&sel("circle, polygon, polyline, path"))
            .count();
        assert!(marks >= f["claims"].as_array().unwrap().len(), "{svg}");
        for c in f["claims"].as_array().unwrap() {
            let id = c["id"].as_str().unwrap();
            let found = section
                .select(&sel(&format!("article#claim-{id} code")))
                .next()
                .unwrap_or_else(|| panic!("claim {id} missing"));
            assert_eq!(found.text().collect::<String>(), id);
        }
    }
}

#[test]
fn the_report_fetches_nothing_and_escapes_logged_text() {
    let env = four_findings();
    env.ok(&["report", "-o", "report.html"]);
    let text = std::fs::read_to_string(env.root().join("report.html")).unwrap();
    let doc = Html::parse_document(&text);
    assert_eq!(doc.select(&sel("script")).count(), 0);
    assert_eq!(doc.select(&sel("link")).count(), 0);
    for el in doc.select(&sel("img, script, link, style, image, use, iframe, source")) {
        for attr in ["src", "href", "xlink:href"] {
            if let Some(v) = el.value().attr(attr) {
                assert!(
                    !v.contains("://") && !v.starts_with("//"),
                    "{} fetches {v}",
                    el.value().name()
                );
            }
        }
    }
    assert!(
        !text.contains("@import") && !text.contains("url("),
        "CSS fetches nothing"
    );
    // The source with a web address is linked; a javascript: one is not.
    let mut links: Vec<&str> = doc
        .select(&sel("a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    links.dedup();
    assert_eq!(links, ["https://apnews.com/article/x"]);
    // Logged text is text, not markup.
    assert!(
        text.contains("44 &lt;b&gt;killed&lt;/b&gt;"),
        "quote is escaped"
    );
    assert!(text.contains("AP &lt;story&gt;"), "title is escaped");
}

#[test]
fn the_report_refuses_an_unknown_subject() {
    let env = four_findings();
    let r = env.err(&["report", "--subject", "bajur-2023", "-o", "r.html"]);
    assert!(
        r.stderr.contains("did you mean bajaur-2023?"),
        "{}",
        r.stderr
    );
    assert!(!env.root().join("r.html").exists());
}
