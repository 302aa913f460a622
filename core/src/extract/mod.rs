//! Candidate claims in plain text: every quantity (`over 140 people`, `approximately $7
//! billion`, `dozens of civilians`, `eight months`) and every date (`August 3, 2021`,
//! `in the late 1990s`, `last August`) an article states, each with the sentence it
//! stands in, its byte offset and a suggested property. Owns [`extract`], [`Candidate`]
//! and the sentence splitter [`sentences`].
//!
//! The extractor does not have a grammar of its own: it finds anchors (a digit, a number
//! word, a month name, a relative word such as `last` or `ago`) and hands windows of the
//! surrounding words to [`parse_date`] and [`parse_quantity`], keeping the longest window
//! they accept. So whatever `extract` proposes, `import` reads back the same way.
//!
//! Dates are looked for first, so that the numbers inside them (`3` in `August 3, 2021`,
//! `a decade` in `a decade ago`) are not also proposed as quantities. Every index into
//! the text is a byte offset taken from `char_indices`, and every slice goes through
//! `str::get`: no input can make the extractor panic.

mod captions;
mod dates;
mod property;
mod quantities;
mod sentence;
mod sentences;
mod tokens;
mod words;

use std::ops::Range;

use serde::Serialize;

use crate::time::{DateOrder, TimeSpan};
use crate::value::QuantityRules;
use captions::caption_lines;
use sentence::Sentence;
pub use sentences::sentences;
use tokens::tokenize;
use words::vague_words;

/// Whether a candidate is a quantity or a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CandidateKind {
    /// Read by [`parse_quantity`]: an import row's `value`.
    Quantity,
    /// Read by [`parse_date`]: an import row's `date`.
    Date,
}

impl CandidateKind {
    /// `quantity` or `date`, as JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateKind::Quantity => "quantity",
            CandidateKind::Date => "date",
        }
    }
}

/// One phrase of a text that looks like a claim's value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// Quantity or date.
    pub kind: CandidateKind,
    /// The phrase exactly as in the text (`text == &file[offset..offset + text.len()]`).
    pub text: String,
    /// What the phrase was read as: an interval (`(140, ∞)`, `7000000000`) or a span
    /// (`2021-11`); for a relative date with nothing to resolve it against, a note
    /// saying so.
    pub value: String,
    /// The unit the phrase names (`USD`, `month`), if any.
    pub unit: Option<String>,
    /// The sentence the phrase stands in, verbatim and trimmed (in a very long
    /// "sentence", the stretch of it around the phrase).
    pub quote: String,
    /// Byte offset of `text` in the input.
    pub offset: usize,
    /// A suggested property: `deaths`, `injured`, `amount`, `duration`, `attacks`,
    /// `date` or `count`.
    pub property: String,
    /// Why the candidate is probably not a claim of the text itself (`photo caption`),
    /// if it looks so. Such candidates are marked, not dropped.
    pub noise: Option<String>,
    /// For a relative date resolved against a reference: which (`published 2022-05`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_against: Option<String>,
    /// For a relative date that names one of many days or months (`on Sunday`, `in
    /// July`): the rule that picked it. Such a date is inferred, not stated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
}

/// What `value` says of a relative date when no reference date was given.
pub const UNRESOLVED: &str = "unresolved: a relative date; give --published";

/// Finds every candidate claim in `text`, in order of offset. Relative dates are
/// resolved against `published` when it is given; without it they are still
/// candidates, with a `value` that says they are unresolved.
pub fn extract(text: &str, published: Option<&TimeSpan>, rules: &QuantityRules) -> Vec<Candidate> {
    extract_with(text, published, rules, None)
}

/// [`extract`], with slash dates (`12/4/11`) read in `date_order` (the ledger's
/// setting); without one, a slash date that reads both ways is no candidate.
pub fn extract_with(
    text: &str,
    published: Option<&TimeSpan>,
    rules: &QuantityRules,
    date_order: Option<DateOrder>,
) -> Vec<Candidate> {
    let vague = vague_words(rules);
    let captions = caption_lines(text);
    let ctx = Ctx {
        published,
        rules,
        vague: &vague,
        captions: &captions,
        date_order,
    };
    let mut out = Vec::new();
    for range in sentences(text) {
        extract_sentence(text, range, &ctx, &mut out);
    }
    out
}

/// What every sentence of one text is read with.
struct Ctx<'a> {
    published: Option<&'a TimeSpan>,
    rules: &'a QuantityRules,
    /// The words of the rules' vague keys, lowercase.
    vague: &'a [String],
    /// The lines that are photo captions, in order.
    captions: &'a [Range<usize>],
    date_order: Option<DateOrder>,
}

fn extract_sentence(text: &str, range: Range<usize>, ctx: &Ctx<'_>, out: &mut Vec<Candidate>) {
    let toks = tokenize(text, range.clone());
    let n = toks.len();
    let has_text = toks.iter().any(|t| {
        t.is_word()
            && t.lower.chars().any(char::is_alphabetic)
            && !matches!(
                t.lower.as_str(),
                "page" | "pages" | "p" | "pp" | "pg" | "of"
            )
    });
    let mut s = Sentence {
        text,
        has_text,
        noise: caption_noise(ctx.captions, range.start),
        range,
        toks,
        covered: vec![false; n],
        date_ok: Vec::new(),
        quantity_ok: Vec::new(),
        published: ctx.published,
        rules: ctx.rules,
        vague: ctx.vague,
        date_order: ctx.date_order,
        last_date: None,
    };
    s.date_ok = (0..n).map(|k| s.date_word(k)).collect();
    s.quantity_ok = (0..n).map(|k| s.grammar(k)).collect();
    let mut found = Vec::new();
    for i in 0..n {
        if let Some(c) = s.date_at(i) {
            found.push(c);
        }
    }
    for i in 0..n {
        if let Some(c) = s.quantity_at(i) {
            found.push(c);
        }
    }
    found.sort_by_key(|c| c.offset);
    out.extend(found);
}

/// `photo caption` when the sentence starting at `at` stands in a caption line.
fn caption_noise(captions: &[Range<usize>], at: usize) -> Option<String> {
    let k = captions.partition_point(|r| r.end <= at);
    captions
        .get(k)
        .is_some_and(|r| r.contains(&at))
        .then(|| "photo caption".to_string())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod news_tests;
