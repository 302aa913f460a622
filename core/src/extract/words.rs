//! The word lists of the extractor alone: what may stand in a quantity or date phrase,
//! what makes a four-digit number a count, and the words that end a noun phrase. The
//! words it shares with the grammar are in [`crate::lexicon`].

use super::tokens::Tok;
use crate::lexicon::{fraction_word, is_month_name, is_number_word, is_unit, time_unit, FILLER};
use crate::value::QuantityRules;

// Word lists

/// Words a quantity phrase may hold besides numbers, units and vague words: the
/// qualifiers of the value grammar, range words, currencies.
pub(super) const QUANTITY_WORDS: &[&str] = &[
    "a",
    "an",
    "over",
    "more",
    "than",
    "above",
    "under",
    "below",
    "fewer",
    "less",
    "at",
    "least",
    "most",
    "up",
    "to",
    "no",
    "nearly",
    "almost",
    "close",
    "about",
    "around",
    "approximately",
    "approx",
    "roughly",
    "some",
    "circa",
    "ca",
    "est",
    "estimated",
    "in",
    "excess",
    "of",
    "between",
    "and",
    "from",
    "per",
    "cent",
    "us",
    "usd",
    "rs",
    "pkr",
    "inr",
    "eur",
    "gbp",
    "long",
];

/// Whether every part of a word belongs to the quantity grammar.
pub(super) fn quantity_word(t: &Tok, vague: &[String]) -> bool {
    if t.starts_with_digit() {
        return true;
    }
    let parts: Vec<&str> = t.parts().collect();
    t.is_word()
        && parts.iter().enumerate().all(|(k, p)| {
            is_number_word(p)
                || is_unit(p)
                || QUANTITY_WORDS.contains(p)
                || vague_word(p, vague)
                || fraction_word(p).is_some()
                || p.starts_with(|c: char| c.is_ascii_digit())
                // `four-year-old`: an age.
                || (*p == "old" && k > 0 && parts.get(k - 1).is_some_and(|u| time_unit(u)))
        })
}

/// Singular nouns that make `one` before them a count (`one person reported missing`,
/// `one foot`): people and the units of measure prose spells out.
pub(super) const ONE_NOUNS: &[&str] = &[
    "person",
    "child",
    "man",
    "woman",
    "boy",
    "girl",
    "soldier",
    "civilian",
    "officer",
    "policeman",
    "journalist",
    "student",
    "worker",
    "resident",
    "passenger",
    "victim",
    "member",
    "fighter",
    "militant",
    "body",
    "foot",
    "metre",
    "meter",
    "mile",
    "kilometre",
    "kilometer",
    "inch",
    "tonne",
    "ton",
    "litre",
    "liter",
    "kilogram",
    "acre",
    "hectare",
];

/// The words of the vague keys (`several`, `dozens`, `thousands`, `few`), without
/// their `of` and `a`.
pub(super) fn vague_words(rules: &QuantityRules) -> Vec<String> {
    let mut words: Vec<String> = rules
        .vague
        .keys()
        .flat_map(|k| k.split_whitespace().map(str::to_lowercase))
        .filter(|w| !matches!(w.as_str(), "of" | "a" | "an"))
        .collect();
    words.sort();
    words.dedup();
    words
}

pub(super) fn vague_word(w: &str, vague: &[String]) -> bool {
    vague.iter().any(|v| v == w)
}

/// Qualifiers and currencies: a four-digit number after one is a count, not a year.
pub(super) const COUNT_BEFORE: &[&str] = &[
    "over",
    "than",
    "above",
    "under",
    "below",
    "about",
    "around",
    "approximately",
    "nearly",
    "almost",
    "some",
    "between",
    "and",
    "to",
    "from",
    "least",
    "most",
    "roughly",
    "estimated",
    "$",
    "€",
    "£",
    "₹",
    "~",
    "rs",
    "usd",
    "pkr",
    "inr",
];

/// Nouns that make a number before them a count (`2000 people`).
pub(super) const COUNT_NOUNS: &[&str] = &[
    "people",
    "dead",
    "killed",
    "wounded",
    "injured",
    "died",
    "lives",
    "men",
    "women",
    "children",
    "troops",
    "soldiers",
    "civilians",
    "casualties",
    "fatalities",
    "times",
    "persons",
];

/// Words that end a noun phrase after a number (`54 people` and ...).
pub(super) const STOP: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "nor",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "from",
    "into",
    "onto",
    "over",
    "under",
    "as",
    "than",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "what",
    "when",
    "where",
    "while",
    "were",
    "was",
    "is",
    "are",
    "be",
    "been",
    "being",
    "has",
    "have",
    "had",
    "do",
    "does",
    "did",
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "not",
    "no",
    "it",
    "its",
    "this",
    "these",
    "those",
    "their",
    "there",
    "they",
    "them",
    "he",
    "she",
    "his",
    "her",
    "we",
    "our",
    "you",
    "your",
    "i",
    "my",
    "me",
    "us",
    "after",
    "before",
    "since",
    "until",
    "during",
    "about",
    "against",
    "between",
    "through",
    "per",
    "each",
    "every",
    "all",
    "some",
    "any",
    "more",
    "most",
    "such",
    "so",
    "also",
    "only",
    "just",
    "still",
    "yet",
    "then",
    "here",
    "if",
    "because",
    "though",
    "although",
    "whereas",
    "within",
    "without",
    "across",
    "around",
    "among",
    "along",
    "toward",
    "towards",
    "via",
    "like",
    "including",
    "says",
    "said",
    "say",
    "according",
    "reportedly",
    "allegedly",
    "last",
    "next",
    "later",
    "earlier",
    "ago",
    "worth",
    "out",
];

pub(super) fn is_month(t: &Tok, text: &str) -> bool {
    let capital = text
        .get(t.start..t.end)
        .and_then(|s| s.chars().next())
        .is_some_and(char::is_uppercase);
    capital && is_month_name(&t.lower)
}

/// Words a date phrase may hold besides numbers and months: what `parse_date` reads
/// or skips. Windows stop at any other word, so that the parser is not asked about
/// every stretch of a sentence.
pub(super) const DATE_WORDS: &[&str] = &[
    "the",
    "of",
    "in",
    "on",
    "since",
    "by",
    "during",
    "at",
    "over",
    "within",
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "decade",
    "decades",
    "a",
    "an",
    "few",
    "early",
    "mid",
    "late",
    "am",
    "pm",
    "a.m",
    "p.m",
    "t",
    "as",
    "morning",
    "afternoon",
    "evening",
    "night",
    "overnight",
    "weekend",
    "same",
    "period",
    "earlier",
    "christmas",
    "eve",
    "new",
    "local",
    "time",
    "beijing",
];

/// Words a date window may not end at: they lead into what follows (`this year, over
/// 140 people`).
pub(super) const DATE_NO_END: &[&str] = &[
    "the", "of", "in", "on", "since", "by", "during", "at", "over", "within", "as", "a", "an",
];

/// Words `parse_date` skips: a window made of them and one bare number is a bare year.
pub(super) const DATE_FILLER: &[&str] = &FILLER;
