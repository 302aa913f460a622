//! Table tests of the extractor on the forms real news text uses: the property each
//! figure is governed by, junk that is no claim, and the quantity and date forms of
//! wire copy.

use super::*;
use crate::time::parse_date;

fn run(text: &str, published: &str) -> Vec<Candidate> {
    let p = parse_date(published, None).expect("published").span;
    extract(text, Some(&p), &QuantityRules::default())
}

fn find<'a>(cands: &'a [Candidate], phrase: &str) -> &'a Candidate {
    cands
        .iter()
        .find(|c| c.text == phrase)
        .unwrap_or_else(|| panic!("no candidate {phrase:?} in {:?}", texts(cands)))
}

fn texts(cands: &[Candidate]) -> Vec<&str> {
    cands.iter().map(|c| c.text.as_str()).collect()
}

#[test]
fn properties_come_from_the_words_that_govern_the_number() {
    let table = [
        (
            "Death toll from the quake was revised down to 84 on Monday.",
            "84",
            "deaths",
        ),
        (
            "The death toll from the blast has increased to 101, and 200 were hurt.",
            "101",
            "deaths",
        ),
        (
            "The death toll rose and 200 were injured.",
            "200",
            "injured",
        ),
        (
            "Explosion kills at least 93 in the capital.",
            "at least 93",
            "deaths",
        ),
        (
            "ACLED recorded 1,200 violent events in the province.",
            "1,200 violent events",
            "events",
        ),
        (
            "Gunmen abducted the pupils and 175 girls were killed.",
            "175 girls",
            "deaths",
        ),
        (
            "The floods killed at least 330 people, with 270 still missing.",
            "270",
            "missing",
        ),
        (
            "At least 12 people were killed and 31 wounded.",
            "31 wounded",
            "injured",
        ),
        ("It left 14 dead in two provinces.", "14 dead", "deaths"),
        (
            "The storm displaced 52,000 people.",
            "52,000 people",
            "displaced",
        ),
        (
            "Police arrested 40 protesters.",
            "40 protesters",
            "arrested",
        ),
        (
            "A 6.6-magnitude quake struck.",
            "6.6-magnitude",
            "magnitude",
        ),
        ("The fund holds $3 billion.", "$3 billion", "amount"),
        (
            "The town has 15,000 residents and a clinic that treated the injured.",
            "15,000 residents",
            "count",
        ),
    ];
    for (text, phrase, property) in table {
        let c = run(text, "2024-11-19");
        assert_eq!(find(&c, phrase).property, property, "{text}");
    }
}

#[test]
fn junk_is_not_proposed_or_is_marked() {
    let c = run(
        "The toll rose to 93.[1] The blast came at around 1.40 pm on Monday.[2]",
        "2024-11-19",
    );
    // The marker ends the sentence with its full stop.
    assert_eq!(c[0].quote, "The toll rose to 93.[1]");
    // The time of day is read with its day, never as a quantity.
    assert_eq!(texts(&c), vec!["93", "1.40 pm on Monday"]);
    assert_eq!(c[1].value, "2024-11-18 13:40");
    let c = run(
        "Rescuers search the rubble in Kathmandu (AFP / AFP/Getty Images)\n\
         Survivors gather near 40 tents on Sunday. — AFP\n\
         The quake killed 54 people.",
        "2024-11-19",
    );
    let noise: Vec<(&str, Option<&str>)> = c
        .iter()
        .map(|c| (c.text.as_str(), c.noise.as_deref()))
        .collect();
    assert_eq!(
        noise,
        vec![
            ("40 tents", Some("photo caption")),
            ("on Sunday", Some("photo caption")),
            ("54 people", None)
        ]
    );
}

#[test]
fn quantity_forms_of_news_copy() {
    let table = [
        (
            "Several dozen homes were lost.",
            "Several dozen homes",
            "[36, 108]",
        ),
        (
            "several hundred people fled.",
            "several hundred people",
            "[300, 900]",
        ),
        (
            "A census counted 56 949 009 people.",
            "56 949 009 people",
            "56949009",
        ),
        (
            "It counted 56\u{a0}949\u{a0}009 people.",
            "56\u{a0}949\u{a0}009 people",
            "56949009",
        ),
        ("Prices rose 12 per cent in May.", "12 per cent", "12"),
        ("One person was reported missing.", "One person", "1"),
        (
            "The aid was half a million dollars.",
            "half a million dollars",
            "500000",
        ),
        (
            "It hit a quarter of a million people.",
            "a quarter of a million people",
            "250000",
        ),
        (
            "More than one-fifth of homes fell.",
            "More than one-fifth",
            "(20, ∞)",
        ),
        ("Nearly half of them fled.", "Nearly half", "[45, 50)"),
        ("A 6.6-magnitude quake struck.", "6.6-magnitude", "6.6"),
        ("A magnitude-7.8 quake struck.", "magnitude-7.8", "7.8"),
        ("A four-year-old girl died.", "four-year-old", "4"),
        ("The dispute has simmered for decades.", "decades", "[2, ∞)"),
        ("Weeks of rains flooded the valley.", "Weeks", "[2, ∞)"),
    ];
    for (text, phrase, value) in table {
        let c = run(text, "2024-11-19");
        assert_eq!(find(&c, phrase).value, value, "{text}");
    }
}

#[test]
fn date_forms_of_wire_copy_say_they_were_inferred() {
    // Published on a Tuesday.
    let c = run(
        "Saturday's quake killed 54. Rescuers worked late on Saturday and through \
         Sunday night. In July, and again over the weekend, it rained.",
        "2024-11-19",
    );
    let want = [
        ("Saturday's", "2024-11-16"),
        ("late on Saturday", "2024-11-16"),
        ("Sunday night", "2024-11-17"),
        ("In July", "2024-07"),
        ("over the weekend", "2024-11-16..2024-11-18"),
    ];
    for (phrase, value) in want {
        let d = find(&c, phrase);
        assert_eq!(d.value, value, "{phrase}");
        assert_eq!(d.resolved_against.as_deref(), Some("published 2024-11-19"));
        assert!(
            d.inferred.as_deref().is_some_and(|r| r.starts_with("the ")),
            "{phrase}"
        );
    }
    let c = run(
        "Sales fell in December, compared to the same month last year.",
        "2023-01-10",
    );
    let same = find(&c, "the same month last year");
    assert_eq!(same.value, "2021-12");
    assert_eq!(
        same.resolved_against.as_deref(),
        Some("the date before it in the sentence, 2022-12")
    );
    let c = run(
        "A report on the conflict (November 2018-March 2019)",
        "2019-05",
    );
    assert_eq!(texts(&c), vec!["November 2018-March 2019"]);
    assert_eq!(c[0].value, "2018-11-01..2019-04-01");
}

#[test]
fn garbage_input_costs_bounded_memory_per_sentence() {
    let nul = "\0".repeat(100_000);
    assert!(extract(&nul, None, &QuantityRules::default()).is_empty());
    let dots = ".".repeat(100_000);
    assert!(extract(&dots, None, &QuantityRules::default()).is_empty());
    let digits = "9".repeat(20_000);
    let c = extract(&digits, None, &QuantityRules::default());
    assert!(c
        .iter()
        .all(|c| c.quote.len() <= 2 * sentences::MAX_SENTENCE));
}
