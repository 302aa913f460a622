//! Tests of the extractor.

use super::sentence::MAX_QUOTE;
use super::*;
use crate::time::parse_date;
use proptest::prelude::*;

fn rules() -> QuantityRules {
    QuantityRules::default()
}

fn published(p: &str) -> TimeSpan {
    parse_date(p, None).expect("reference").span
}

fn run(text: &str, reference: Option<&str>) -> Vec<Candidate> {
    let r = reference.map(published);
    let cands = extract(text, r.as_ref(), &rules());
    for c in &cands {
        assert_eq!(
            text.get(c.offset..c.offset + c.text.len()),
            Some(c.text.as_str()),
            "offset of {c:?}"
        );
        assert!(text.contains(&c.quote), "quote of {c:?} not verbatim");
        assert!(c.quote.contains(&c.text), "quote of {c:?} lacks the phrase");
    }
    cands
}

/// The candidate whose text is `phrase`, or a panic listing what was found.
#[track_caller]
fn find<'a>(cands: &'a [Candidate], phrase: &str) -> &'a Candidate {
    cands.iter().find(|c| c.text == phrase).unwrap_or_else(|| {
        let texts: Vec<&str> = cands.iter().map(|c| c.text.as_str()).collect();
        panic!("no candidate {phrase:?}; found {texts:?}")
    })
}

fn texts(cands: &[Candidate]) -> Vec<&str> {
    cands.iter().map(|c| c.text.as_str()).collect()
}

#[test]
fn digits_and_qualifiers() {
    let t = "Officials said over 140 people were killed and more than 200 were injured, \
             up from 1,600 last week. The share was 7.12 percent.";
    let c = run(t, Some("2024-03"));
    let over = find(&c, "over 140 people");
    assert_eq!(over.value, "(140, ∞)");
    assert_eq!(over.property, "deaths");
    assert_eq!(over.kind, CandidateKind::Quantity);
    let more = find(&c, "more than 200");
    assert_eq!(more.value, "(200, ∞)");
    assert_eq!(more.property, "injured");
    assert_eq!(find(&c, "1,600").value, "1600");
    assert_eq!(find(&c, "last week").kind, CandidateKind::Date);
    let pct = find(&c, "7.12 percent");
    assert_eq!(pct.value, "7.12");
    assert_eq!(pct.unit.as_deref(), Some("%"));
}

#[test]
fn money_keeps_its_phrase_and_unit() {
    let t = "The administration acknowledged approximately $7 billion worth of military \
             equipment, and Rs 5 crore in aid.";
    let c = run(t, None);
    let m = find(&c, "approximately $7 billion");
    assert_eq!(m.value, "[6300000000, 7700000000]");
    assert_eq!(m.unit.as_deref(), Some("USD"));
    assert_eq!(m.property, "amount");
    assert_eq!(m.offset, t.find("approximately").unwrap());
    let rs = find(&c, "Rs 5 crore");
    assert_eq!(rs.value, "50000000");
    assert_eq!(rs.unit.as_deref(), Some("PKR"));
}

#[test]
fn number_words_and_vague_words_with_their_nouns() {
    let t = "The airstrikes reportedly killed dozens of civilians. Pakistan was one of \
             three countries to recognise it. Twenty-three people and a dozen soldiers \
             died. It resulted in several cross-border skirmishes. The attacks martyred \
             hundreds of Pakistani soldiers and police.";
    let c = run(t, None);
    let d = find(&c, "dozens of civilians");
    assert_eq!(d.value, "[24, 99]");
    assert_eq!(d.property, "deaths");
    assert_eq!(find(&c, "three countries").value, "3");
    assert_eq!(find(&c, "Twenty-three people").value, "23");
    assert_eq!(find(&c, "a dozen soldiers").value, "12");
    assert_eq!(find(&c, "several cross-border skirmishes").value, "[3, 9]");
    let h = find(&c, "hundreds of Pakistani soldiers");
    assert_eq!(h.property, "deaths");
    // No candidate for the `one` of `one of three`.
    assert!(
        !texts(&c).iter().any(|t| t.starts_with("one")),
        "{:?}",
        texts(&c)
    );
}

#[test]
fn bare_one_and_a_are_not_counts() {
    let c = run(
        "No one came. It was one of the worst, a turning point, one which mattered. \
         A second attack followed.",
        None,
    );
    assert!(c.is_empty(), "{:?}", texts(&c));
}

#[test]
fn counts_of_time() {
    let t = "After two decades of war, eight months on, a one-month ceasefire, a \
             month-long truce, a three-day visit, nearly three years since, a month later, \
             within a month’s amnesty.";
    let c = run(t, None);
    for (phrase, value, unit) in [
        ("two decades", "2", "decade"),
        ("eight months", "8", "month"),
        ("one-month", "1", "month"),
        ("a month-long", "1", "month"),
        ("three-day", "3", "day"),
        ("nearly three years", "[2.7, 3)", "year"),
        ("a month", "1", "month"),
        ("a month’s", "1", "month"),
    ] {
        let x = find(&c, phrase);
        assert_eq!(x.value, value, "{phrase}");
        assert_eq!(x.unit.as_deref(), Some(unit), "{phrase}");
        assert_eq!(x.property, "duration", "{phrase}");
    }
}

#[test]
fn counted_noun_after_exact_number() {
    let c = run("It freed 102 TTP fighters who were detained.", None);
    assert_eq!(find(&c, "102 TTP fighters").value, "102");
}

#[test]
fn absolute_dates() {
    let t = "On August 3, 2021 troops patrolled. In July of 2023 and December of 2017 \
             it happened. Support came in the late 1990s and by the early 2000s, after \
             the 90s. The Soviets came in 1979. Published January 10th, 2026. \
             date 2022-12-19 here. At 9:10 AM, Dec 04 2011 it rained.";
    let c = run(t, None);
    for (phrase, value) in [
        ("On August 3, 2021", "2021-08-03"),
        ("In July of 2023", "2023-07"),
        ("December of 2017", "2017-12"),
        ("in the late 1990s", "late 1990s"),
        ("by the early 2000s", "early 2000s"),
        ("the 90s", "1990s"),
        ("in 1979", "1979"),
        ("January 10th, 2026", "2026-01-10"),
        ("2022-12-19", "2022-12-19"),
        ("At 9:10 AM, Dec 04 2011", "2011-12-04 09:10"),
    ] {
        let x = find(&c, phrase);
        assert_eq!(x.kind, CandidateKind::Date, "{phrase}");
        assert_eq!(x.value, value, "{phrase}");
        assert_eq!(x.property, "date");
    }
    // The day inside a date is no quantity.
    assert!(!texts(&c).contains(&"3"), "{:?}", texts(&c));
}

#[test]
fn relative_dates_resolve_against_published() {
    let t = "When Taliban forces seized power last August in Kabul. In November last \
             year, a ceasefire. On March 18th of this year, airstrikes. On the 22nd of \
             March this year, a massacre. Last year, Pakistan welcomed it. They did a \
             decade ago. Its resurgence a few years ago. Policy in the last decade. \
             Several times in the last year.";
    let c = run(t, Some("2022-05"));
    let last_aug = find(&c, "last August");
    assert_eq!(last_aug.value, "2021-08");
    assert_eq!(
        last_aug.resolved_against.as_deref(),
        Some("published 2022-05")
    );
    assert_eq!(find(&c, "In November last year").value, "2021-11");
    assert_eq!(find(&c, "On March 18th of this year").value, "2022-03-18");
    assert_eq!(
        find(&c, "On the 22nd of March this year").value,
        "2022-03-22"
    );
    assert_eq!(find(&c, "Last year").value, "2021");
    assert_eq!(find(&c, "a decade ago").value, "2012");
    assert_eq!(find(&c, "a few years ago").kind, CandidateKind::Date);
    assert_eq!(find(&c, "in the last decade").kind, CandidateKind::Date);
    assert_eq!(find(&c, "in the last year").kind, CandidateKind::Date);
    assert_eq!(find(&c, "Several times").kind, CandidateKind::Quantity);
    // `a decade` inside `a decade ago` is not also a quantity.
    assert!(!texts(&c).contains(&"a decade"));
}

#[test]
fn relative_dates_without_published_are_unresolved() {
    let c = run("The TTP called it off last year.", None);
    let x = find(&c, "last year");
    assert_eq!(x.value, UNRESOLVED);
    assert_eq!(x.resolved_against, None);
}

#[test]
fn bare_years_and_counts() {
    let t = "With over 650 recorded attacks in 2023 and 1600 lives lost last year. \
             Some 2000 people fled. Between 2020 and 2022 it grew.";
    let c = run(t, Some("2025"));
    let a = find(&c, "over 650 recorded attacks");
    assert_eq!(a.property, "attacks");
    assert_eq!(find(&c, "in 2023").kind, CandidateKind::Date);
    let lives = find(&c, "1600 lives");
    assert_eq!(lives.kind, CandidateKind::Quantity);
    assert_eq!(lives.property, "deaths");
    assert_eq!(find(&c, "Some 2000 people").kind, CandidateKind::Quantity);
    assert_eq!(find(&c, "last year").value, "2024");
}

#[test]
fn handles_pages_and_slashes_are_not_candidates() {
    let t = "Follow FM Shakil on Twitter at @faq1953\nPage 12\n- 7 -\nSee p. 4 and \
             https://example.com/2021/05 and #2022. Following the 9/11 attacks.";
    let c = run(t, None);
    assert!(c.is_empty(), "{:?}", texts(&c));
}

#[test]
fn photo_captions_are_marked() {
    let t = "Troops patrol the border on August 3, 2021. Photo: AFP / Aamir Qureshi\n\
             Five people died on August 4, 2021.";
    let c = run(t, None);
    assert_eq!(
        find(&c, "on August 3, 2021").noise.as_deref(),
        Some("photo caption")
    );
    assert_eq!(find(&c, "on August 4, 2021").noise, None);
    assert_eq!(find(&c, "Five people").noise, None);
}

#[test]
fn sentences_keep_abbreviations_and_decimals() {
    let t = "It has been nearly three years since the U.S. withdrawal from Afghanistan. \
             The figure was $7.12 billion! Was it? By F.M. Shakil on Dec. 4 it ended.\n\
             A new line";
    let got: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
    assert_eq!(
        got,
        [
            "It has been nearly three years since the U.S. withdrawal from Afghanistan.",
            "The figure was $7.12 billion!",
            "Was it?",
            "By F.M. Shakil on Dec. 4 it ended.",
            "A new line",
        ]
    );
    let c = run(t, None);
    let x = find(&c, "nearly three years");
    assert_eq!(
        x.quote,
        "It has been nearly three years since the U.S. withdrawal from Afghanistan."
    );
    assert_eq!(find(&c, "$7.12 billion").value, "7120000000");
}

#[test]
fn sentences_end_after_closing_quotes_and_drop_list_marks() {
    let t = "He said “it is over.” Then - 5 people left.\n  * 40-60 more\r\n";
    let got: Vec<&str> = sentences(t).into_iter().map(|r| &t[r]).collect();
    assert_eq!(
        got,
        [
            "He said “it is over.”",
            "Then - 5 people left.",
            "40-60 more"
        ]
    );
}

#[test]
fn multibyte_text_around_numbers() {
    let t = "“Seven’s” ’90s — €5 million… ‘three’ 12½ ٣ 5€; 10–20 people’s";
    let c = run(t, None);
    assert!(c.iter().any(|x| x.text == "€5 million"), "{:?}", texts(&c));
    assert!(
        c.iter().any(|x| x.text == "10–20 people’s"),
        "{:?}",
        texts(&c)
    );
}

#[test]
fn long_sentences_are_quoted_around_the_phrase() {
    let filler = "word ".repeat(2000);
    let t = format!("{filler}killed 54 people {filler}");
    let c = run(&t, None);
    let x = find(&c, "54 people");
    assert!(x.quote.len() <= MAX_QUOTE + 16, "{}", x.quote.len());
    assert!(x.quote.contains("killed 54 people"));
}

proptest! {
    #[test]
    fn never_panics_and_offsets_hold(s in "\\PC{0,200}") {
        let r = published("2022-05");
        for c in extract(&s, Some(&r), &rules()) {
            prop_assert_eq!(s.get(c.offset..c.offset + c.text.len()), Some(c.text.as_str()));
            prop_assert!(s.contains(&c.quote));
        }
    }

    #[test]
    fn never_panics_on_claim_like_text(
        words in proptest::collection::vec(
            "(over|about|the|of|in|last|ago|year|years|a|one|Dec\\.|March|’90s|\\$|%|,|\\.|7|2021|1,600|7\\.12|-|—|“|”|dozens|U\\.S\\.|\n| )",
            0..40,
        )
    ) {
        let s = words.join(" ");
        for c in extract(&s, None, &rules()) {
            prop_assert_eq!(s.get(c.offset..c.offset + c.text.len()), Some(c.text.as_str()));
        }
    }
}
