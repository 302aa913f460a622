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

use std::ops::Range;

use serde::Serialize;

use crate::time::{parse_date, DateError, TimeSpan};
use crate::value::{is_magnitude, is_number_word, parse_quantity, Quantity, QuantityRules};

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
}

/// What `value` says of a relative date when no reference date was given.
pub const UNRESOLVED: &str = "unresolved: a relative date; give --published";

/// Finds every candidate claim in `text`, in order of offset. Relative dates are
/// resolved against `published` when it is given; without it they are still
/// candidates, with a `value` that says they are unresolved.
pub fn extract(text: &str, published: Option<&TimeSpan>, rules: &QuantityRules) -> Vec<Candidate> {
    let vague = vague_words(rules);
    let captions = caption_lines(text);
    let ctx = Ctx {
        published,
        rules,
        vague: &vague,
        captions: &captions,
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
}

// ---------------------------------------------------------------------------------------
// Sentences

/// Words whose full stop does not end a sentence (`Dr.`, `Dec.`, `Rs.`), lowercase.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt", "cpl",
    "maj", "gov", "sen", "rep", "rev", "hon", "no", "nos", "vs", "approx", "est", "rs", "inc",
    "ltd", "co", "corp", "dept", "govt", "fig", "p", "pp", "vol", "cf", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
];

/// The byte ranges of the sentences of `text`, trimmed, empty ones left out.
///
/// A sentence ends at a line break, or at `.`, `!` or `?` (with any closing quotes or
/// brackets after it) followed by white space or the end of the text. A full stop
/// does not end a sentence inside a number (`7.12`), after an initial (`F.`), after a
/// dotted abbreviation (`U.S.`, `a.m.`) or after a known abbreviation (`Dec.`, `Dr.`).
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let ch = |i: usize| chars.get(i).map(|&(_, c)| c);
    let pos = |i: usize| chars.get(i).map_or(text.len(), |&(p, _)| p);
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while let Some(c) = ch(i) {
        if c == '\n' {
            push_sentence(text, start..pos(i), &mut out);
            start = pos(i + 1);
            i += 1;
            continue;
        }
        if !matches!(c, '.' | '!' | '?') {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while ch(j).is_some_and(|c| matches!(c, '.' | '!' | '?')) {
            j += 1;
        }
        while ch(j).is_some_and(|c| matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')) {
            j += 1;
        }
        let at_break = ch(j).is_none_or(char::is_whitespace);
        let lone_stop = c == '.' && j == i + 1;
        if at_break && !(lone_stop && is_abbreviation(text, pos(i))) {
            push_sentence(text, start..pos(j), &mut out);
            start = pos(j);
        }
        i = j;
    }
    push_sentence(text, start..text.len(), &mut out);
    out
}

/// Whether the word before the full stop at byte `dot` is an abbreviation.
fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = text.get(..dot).unwrap_or_default();
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(0, |(p, c)| p + c.len_utf8());
    let word = before
        .get(word_start..)
        .unwrap_or_default()
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() {
        return false;
    }
    if word.contains('.') {
        return true;
    }
    let mut cs = word.chars();
    if let (Some(c), None) = (cs.next(), cs.next()) {
        if c.is_uppercase() {
            return true;
        }
    }
    ABBREVIATIONS.contains(&word.to_lowercase().as_str())
}

/// Trims a sentence of white space and of leading list marks (`- `, `* `, `• `), which
/// would otherwise make its quote look like a spreadsheet formula.
fn push_sentence(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let Some(s) = text.get(r.clone()) else { return };
    let lead = |c: char| {
        c.is_whitespace() || matches!(c, '-' | '–' | '—' | '*' | '•' | '·' | '>' | '=' | '+' | '|')
    };
    let t = s.trim_start_matches(lead);
    let start = r.start + (s.len() - t.len());
    let t = t.trim_end();
    if !t.is_empty() {
        out.push(start..start + t.len());
    }
}

// ---------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Letters and digits, with inner joiners: `1,600`, `7.12`, `U.S`, `three-day`,
    /// `month’s`, `9:10`, `2022-12-19`.
    Word,
    /// One other character: `$`, `%`, `,`.
    Punct,
    /// A handle, hashtag, address or overlong run: never part of a candidate.
    Skip,
}

#[derive(Clone, Debug)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
    lower: String,
}

/// Longer words are no number or date word; skipping them bounds the parsers' work.
const MAX_WORD: usize = 64;

fn tokenize(text: &str, range: Range<usize>) -> Vec<Tok> {
    let base = range.start;
    let s = text.get(range).unwrap_or_default();
    let chars: Vec<(usize, char)> = s.char_indices().map(|(p, c)| (p + base, c)).collect();
    let ch = |i: usize| chars.get(i).map(|&(_, c)| c);
    let pos = |i: usize| chars.get(i).map_or(base + s.len(), |&(p, _)| p);
    let alnum = |i: usize| ch(i).is_some_and(char::is_alphanumeric);
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(c) = ch(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // A white-space-delimited chunk that is an address (`https://...`, `a@b.org`)
        // is skipped whole; it is examined once, at its first character.
        let chunk_start = i == 0 || ch(i - 1).is_some_and(char::is_whitespace);
        if chunk_start {
            let mut chunk_end = i;
            while ch(chunk_end).is_some_and(|c| !c.is_whitespace()) {
                chunk_end += 1;
            }
            let chunk = text.get(pos(i)..pos(chunk_end)).unwrap_or_default();
            let inner_at = chunk.find('@').is_some_and(|p| p > 0);
            if inner_at || chunk.contains("://") || chunk.starts_with("www.") {
                toks.push(Tok {
                    kind: Kind::Skip,
                    start: pos(i),
                    end: pos(chunk_end),
                    lower: String::new(),
                });
                i = chunk_end;
                continue;
            }
        }
        // A handle or hashtag (`@faq1953`, `#2022`) is skipped with its word.
        if matches!(c, '@' | '#') && alnum(i + 1) {
            let mut j = i + 1;
            while ch(j).is_some_and(|c| c.is_alphanumeric() || c == '_') {
                j += 1;
            }
            toks.push(Tok {
                kind: Kind::Skip,
                start: pos(i),
                end: pos(j),
                lower: String::new(),
            });
            i = j;
            continue;
        }
        // An elided century (`’90s`) starts a word.
        let elision = matches!(c, '\'' | '’')
            && ch(i + 1).is_some_and(|n| n.is_ascii_digit())
            && !alnum(i.wrapping_sub(1));
        if c.is_alphanumeric() || elision {
            let mut j = i + 1;
            while let Some(d) = ch(j) {
                if d.is_alphanumeric() {
                    j += 1;
                    continue;
                }
                let (prev, next) = (ch(j - 1), ch(j + 1));
                let (p, n) = match (prev, next) {
                    (Some(p), Some(n)) if p.is_alphanumeric() && n.is_alphanumeric() => (p, n),
                    _ => break,
                };
                let joins = match d {
                    '-' | '–' | '/' | '.' => true,
                    ',' | ':' => p.is_ascii_digit() && n.is_ascii_digit(),
                    '\'' | '’' => n.is_alphabetic(),
                    _ => false,
                };
                if !joins {
                    break;
                }
                j += 2;
            }
            let (start, end) = (pos(i), pos(j));
            let word = text.get(start..end).unwrap_or_default();
            let kind = if word.len() > MAX_WORD {
                Kind::Skip
            } else {
                Kind::Word
            };
            toks.push(Tok {
                kind,
                start,
                end,
                lower: word.to_lowercase(),
            });
            i = j;
            continue;
        }
        toks.push(Tok {
            kind: Kind::Punct,
            start: pos(i),
            end: pos(i + 1),
            lower: c.to_string(),
        });
        i += 1;
    }
    toks
}

impl Tok {
    fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }

    /// The hyphen-joined parts of the word (`three-day` -> `three`, `day`).
    fn parts(&self) -> impl Iterator<Item = &str> {
        self.lower.split(['-', '–'])
    }

    fn first_part(&self) -> &str {
        self.parts().next().unwrap_or_default()
    }

    fn starts_with_digit(&self) -> bool {
        self.is_word()
            && self
                .lower
                .trim_start_matches(['\'', '’'])
                .starts_with(|c: char| c.is_ascii_digit())
    }

    fn has_digit(&self) -> bool {
        self.lower.bytes().any(|b| b.is_ascii_digit())
    }
}

// ---------------------------------------------------------------------------------------
// Word lists

/// A word without its possessive `’s`.
fn bare(w: &str) -> &str {
    w.strip_suffix("’s")
        .or_else(|| w.strip_suffix("'s"))
        .unwrap_or(w)
}

fn time_unit(w: &str) -> bool {
    matches!(
        bare(w),
        "second"
            | "seconds"
            | "minute"
            | "minutes"
            | "hour"
            | "hours"
            | "day"
            | "days"
            | "week"
            | "weeks"
            | "month"
            | "months"
            | "year"
            | "years"
            | "decade"
            | "decades"
            | "century"
            | "centuries"
    )
}

fn is_unit(w: &str) -> bool {
    time_unit(w)
        || matches!(
            bare(w),
            "dollar" | "dollars" | "rupee" | "rupees" | "euro" | "euros" | "percent" | "pct"
        )
}

/// Words a quantity phrase may hold besides numbers, units and vague words: the
/// qualifiers of the value grammar, range words, currencies.
const QUANTITY_WORDS: &[&str] = &[
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
fn quantity_word(t: &Tok, vague: &[String]) -> bool {
    if t.starts_with_digit() {
        return true;
    }
    t.is_word()
        && t.parts().all(|p| {
            is_number_word(p) || is_unit(p) || QUANTITY_WORDS.contains(&p) || vague_word(p, vague)
        })
}

/// The words of the vague keys (`several`, `dozens`, `thousands`, `few`), without
/// their `of` and `a`.
fn vague_words(rules: &QuantityRules) -> Vec<String> {
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

fn vague_word(w: &str, vague: &[String]) -> bool {
    vague.iter().any(|v| v == w)
}

/// Qualifiers and currencies: a four-digit number after one is a count, not a year.
const COUNT_BEFORE: &[&str] = &[
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
const COUNT_NOUNS: &[&str] = &[
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
const STOP: &[&str] = &[
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

fn is_month(t: &Tok, text: &str) -> bool {
    let capital = text
        .get(t.start..t.end)
        .and_then(|s| s.chars().next())
        .is_some_and(char::is_uppercase);
    capital && is_month_name(&t.lower)
}

/// A month's name or abbreviation, lowercase.
fn is_month_name(w: &str) -> bool {
    matches!(
        w,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// Words a date phrase may hold besides numbers and months: what `parse_date` reads
/// or skips. Windows stop at any other word, so that the parser is not asked about
/// every stretch of a sentence.
const DATE_WORDS: &[&str] = &[
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
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn is_relative_word(w: &str) -> bool {
    matches!(
        w,
        "last"
            | "this"
            | "next"
            | "past"
            | "previous"
            | "current"
            | "coming"
            | "ago"
            | "yesterday"
            | "today"
            | "tomorrow"
    )
}

/// Words `parse_date` skips: a window made of them and one bare number is a bare year.
const DATE_FILLER: &[&str] = &["the", "of", "in", "on", "since", "by", "during", "at"];

// ---------------------------------------------------------------------------------------
// One sentence

/// One sentence being read: its tokens, and which of them a candidate already took.
struct Sentence<'a> {
    text: &'a str,
    range: Range<usize>,
    toks: Vec<Tok>,
    covered: Vec<bool>,
    /// Whether the sentence has words besides page furniture (`Page 3 of 10`).
    has_text: bool,
    /// Per token: whether it may stand in a date phrase ([`Sentence::date_word`]).
    date_ok: Vec<bool>,
    /// Per token: whether it may stand in a quantity phrase ([`Sentence::grammar`]).
    quantity_ok: Vec<bool>,
    noise: Option<String>,
    published: Option<&'a TimeSpan>,
    rules: &'a QuantityRules,
    vague: &'a [String],
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

/// The byte ranges of the lines that credit a photo (`Photo: AFP`): the sentences of
/// such a line are a caption, not the article's own text.
fn caption_lines(text: &str) -> Vec<Range<usize>> {
    const MARKS: [&str; 5] = [
        "photo:",
        "photo credit",
        "photograph:",
        "image:",
        "picture:",
    ];
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let lower = line.to_lowercase();
        if MARKS.iter().any(|m| lower.contains(m)) {
            out.push(start..start + line.len());
        }
        start += line.len();
    }
    out
}

/// `photo caption` when the sentence starting at `at` stands in a caption line.
fn caption_noise(captions: &[Range<usize>], at: usize) -> Option<String> {
    let k = captions.partition_point(|r| r.end <= at);
    captions
        .get(k)
        .is_some_and(|r| r.contains(&at))
        .then(|| "photo caption".to_string())
}

impl Sentence<'_> {
    fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }

    fn lower(&self, i: usize) -> &str {
        self.tok(i).map_or("", |t| t.lower.as_str())
    }

    fn free(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| t.kind != Kind::Skip)
            && !self.covered.get(i).copied().unwrap_or(true)
    }

    fn slice(&self, s: usize, e: usize) -> Option<&str> {
        let (a, b) = (self.tok(s)?.start, self.tok(e)?.end);
        self.text.get(a..b)
    }

    fn cover(&mut self, s: usize, e: usize) {
        for k in s..=e {
            if let Some(c) = self.covered.get_mut(k) {
                *c = true;
            }
        }
    }

    /// The index of the word token before `i`, skipping punctuation.
    fn word_before(&self, i: usize) -> Option<usize> {
        (i.saturating_sub(4)..i)
            .rev()
            .find(|&k| self.tok(k).is_some_and(Tok::is_word))
    }

    // -- dates -----------------------------------------------------------------------

    /// Whether token `i` may stand in a date phrase.
    fn date_word(&self, i: usize) -> bool {
        let Some(t) = self.tok(i) else { return false };
        match t.kind {
            Kind::Skip => false,
            Kind::Punct => matches!(t.lower.as_str(), "," | ":" | "." | "-" | "–"),
            Kind::Word => {
                t.has_digit()
                    || DATE_WORDS.contains(&t.lower.as_str())
                    || is_relative_word(&t.lower)
                    || is_month_name(&t.lower)
                    || t.parts()
                        .all(|p| is_number_word(p) || vague_word(p, self.vague))
            }
        }
    }

    fn date_anchor(&self, i: usize) -> bool {
        let Some(t) = self.tok(i).filter(|t| t.is_word()) else {
            return false;
        };
        if t.lower.contains('/') {
            return false;
        }
        let numeric = t.starts_with_digit()
            || (t.has_digit() && matches!(t.first_part(), "mid" | "early" | "late"));
        numeric || is_month(t, self.text) || is_relative_word(&t.lower)
    }

    fn date_at(&mut self, i: usize) -> Option<Candidate> {
        if !self.free(i) || !self.date_anchor(i) {
            return None;
        }
        let n = self.toks.len();
        let usable = |k: usize| self.free(k) && self.date_ok.get(k).copied().unwrap_or(false);
        let numeric = |k: usize| self.tok(k).is_some_and(Tok::starts_with_digit);
        let mut best: Option<(usize, usize, Result<crate::time::ParsedDate, ()>)> = None;
        for s in i.saturating_sub(6)..=i {
            if !self.tok(s).is_some_and(Tok::is_word) || !(s..=i).all(usable) {
                continue;
            }
            // No date has more than three numbers (`9:10 AM, Dec 04 2011`): a cheap
            // bound on the windows tried in a run of figures.
            let mut numbers = (s..i).filter(|&k| numeric(k)).count();
            for e in i..n.min(i + 9) {
                if !usable(e) {
                    break;
                }
                numbers += usize::from(numeric(e));
                if numbers > 3 {
                    break;
                }
                // `parse_date` skips fillers: `last August in` would read as `last August`.
                let ends = self
                    .tok(e)
                    .is_some_and(|t| t.is_word() && !DATE_FILLER.contains(&t.lower.as_str()));
                if !ends {
                    continue;
                }
                let Some(phrase) = self.slice(s, e) else {
                    continue;
                };
                let parsed = match parse_date(phrase, self.published) {
                    Ok(p) => Ok(p),
                    Err(DateError::NoReference { .. }) => Err(()),
                    Err(DateError::Unreadable { .. }) => continue,
                };
                if best.as_ref().is_none_or(|b| e - s > b.1 - b.0) {
                    best = Some((s, e, parsed));
                }
            }
        }
        let (s, e, parsed) = best?;
        if !self.year_is_date(s, e) {
            return None;
        }
        self.cover(s, e);
        let (value, resolved_against) = match parsed {
            Ok(p) => {
                let against = (p.relative)
                    .then(|| self.published.map(|r| format!("published {r}")))
                    .flatten();
                (p.span.to_string(), against)
            }
            Err(()) => (UNRESOLVED.to_string(), None),
        };
        Some(self.candidate(
            s,
            e,
            CandidateKind::Date,
            value,
            None,
            "date".into(),
            resolved_against,
        ))
    }

    /// Whether a window that is a bare four-digit number (with `in`, `the`...) is a year
    /// rather than a count: not after a qualifier (`over 2000`), not before a counted
    /// noun (`1600 lives`); after `in`/`since`/`by`..., or between 1900 and 2100.
    fn year_is_date(&self, s: usize, e: usize) -> bool {
        let core: Vec<usize> = (s..=e)
            .filter(|&k| {
                self.tok(k)
                    .is_some_and(|t| t.is_word() && !DATE_FILLER.contains(&t.lower.as_str()))
            })
            .collect();
        let [y] = core.as_slice() else { return true };
        let year = self.lower(*y);
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return true;
        }
        if s > 0 && COUNT_BEFORE.contains(&self.lower(s - 1)) {
            return false;
        }
        if self.counted_noun(e + 1) {
            return false;
        }
        if *y > s {
            return true;
        }
        year.parse::<u32>()
            .is_ok_and(|v| (1900..=2100).contains(&v))
    }

    /// Whether token `i` is a plural or counted noun, as after a count.
    fn counted_noun(&self, i: usize) -> bool {
        let Some(t) = self.tok(i).filter(|t| t.is_word()) else {
            return false;
        };
        let lowercase = self
            .text
            .get(t.start..t.end)
            .and_then(|w| w.chars().next())
            .is_some_and(char::is_lowercase);
        let w = t.lower.as_str();
        let plural = w.len() > 3
            && w.ends_with('s')
            && !w.ends_with("ss")
            && !w.ends_with("us")
            && !STOP.contains(&w)
            && !matches!(
                w,
                "always" | "perhaps" | "whereas" | "unless" | "thus" | "afterwards"
            );
        lowercase && (plural || COUNT_NOUNS.contains(&w))
    }

    // -- quantities ------------------------------------------------------------------

    fn quantity_anchor(&self, i: usize) -> bool {
        let Some(t) = self.tok(i).filter(|t| t.is_word()) else {
            return false;
        };
        if t.lower.contains('/') {
            return false;
        }
        if t.starts_with_digit() {
            return !self.page_number(i);
        }
        let next = self.tok(i + 1).filter(|t| t.is_word());
        let next_first = next.map_or("", Tok::first_part);
        let first = t.first_part();
        match first {
            // `one` and `zero` are a count only before a unit or magnitude (`one-month`,
            // `one million`); otherwise `one of the`, `no one`.
            "one" | "zero" => {
                t.parts()
                    .nth(1)
                    .is_some_and(|p| is_unit(p) || is_magnitude(p))
                    || is_unit(next_first)
                    || is_number_word(next_first)
            }
            "a" | "an" => {
                (time_unit(next_first) && !matches!(bare(next_first), "second" | "minute"))
                    || matches!(next_first, "dozen" | "hundred")
                    || is_magnitude(next_first)
                    || next_first == "few"
            }
            w if is_number_word(w) => true,
            w => self.vague_at(i, w),
        }
    }

    /// Whether a vague key of the rules starts at token `i` (`scores` and `tens` only
    /// when `of` follows: `scores a goal`).
    fn vague_at(&self, i: usize, first: &str) -> bool {
        self.rules.vague.keys().any(|key| {
            let words: Vec<String> = key.split_whitespace().map(str::to_lowercase).collect();
            if words.first().map(String::as_str) != Some(first) {
                return false;
            }
            let all = words
                .iter()
                .enumerate()
                .all(|(k, w)| self.lower(i + k) == w);
            let needs_of = words.len() == 1 && matches!(first, "scores" | "tens");
            all && (!needs_of || self.lower(i + 1) == "of")
        })
    }

    /// A number after `page`/`p.`/`pp.`, or in a line of nothing but page furniture.
    fn page_number(&self, i: usize) -> bool {
        let prev = self.word_before(i).map_or("", |k| self.lower(k));
        if matches!(prev, "page" | "pages" | "p" | "pp" | "pg") {
            return true;
        }
        !self.has_text
    }

    fn grammar(&self, k: usize) -> bool {
        let Some(t) = self.tok(k) else { return false };
        match t.kind {
            Kind::Skip => false,
            Kind::Word => quantity_word(t, self.vague),
            Kind::Punct => match t.lower.as_str() {
                "$" | "€" | "£" | "₹" | "~" | "≈" | "%" | "-" | "–" => true,
                // `Rs. 5`, `approx. 40`.
                "." => k > 0 && matches!(self.lower(k - 1), "rs" | "approx" | "est" | "ca"),
                _ => false,
            },
        }
    }

    /// Whether a quantity phrase may end at token `k`: a number, unit, magnitude or
    /// vague word, or `%`.
    fn quantity_end(&self, k: usize) -> bool {
        let Some(t) = self.tok(k) else { return false };
        match t.kind {
            Kind::Word => {
                t.starts_with_digit()
                    || t.parts().any(|p| {
                        is_number_word(p) || is_unit(p) || p == "few" || vague_word(p, self.vague)
                    })
            }
            Kind::Punct => t.lower == "%",
            Kind::Skip => false,
        }
    }

    fn quantity_at(&mut self, i: usize) -> Option<Candidate> {
        let usable = |k: usize| self.free(k) && self.quantity_ok.get(k).copied().unwrap_or(false);
        if !usable(i) || !self.quantity_anchor(i) {
            return None;
        }
        let n = self.toks.len();
        let mut best: Option<(usize, usize, Quantity)> = None;
        for s in i.saturating_sub(4)..=i {
            let starts = self.tok(s).is_some_and(|t| match t.kind {
                Kind::Word => t.lower != "the",
                Kind::Punct => matches!(t.lower.as_str(), "$" | "€" | "£" | "₹" | "~" | "≈"),
                Kind::Skip => false,
            });
            if !starts || !(s..=i).all(usable) {
                continue;
            }
            // A quantity holds at most two numbers (`between 40 and 60`).
            let numeric = |k: usize| self.tok(k).is_some_and(Tok::starts_with_digit);
            let mut numbers = (s..i).filter(|&k| numeric(k)).count();
            for e in i..n.min(i + 7) {
                if !usable(e) {
                    break;
                }
                numbers += usize::from(numeric(e));
                if numbers > 2 {
                    break;
                }
                if !self.quantity_end(e) {
                    continue;
                }
                let Some(phrase) = self.slice(s, e) else {
                    continue;
                };
                if let Ok(q) = parse_quantity(phrase, self.rules) {
                    if best.as_ref().is_none_or(|b| e - s > b.1 - b.0) {
                        best = Some((s, e, q));
                    }
                }
            }
        }
        let (s, core_end, q) = best?;
        let e = if q.unit.is_none() {
            self.noun_after(s, core_end, &q)
        } else {
            core_end
        };
        self.cover(s, e);
        let property = self.property(s, e, &q);
        Some(self.candidate(
            s,
            e,
            CandidateKind::Quantity,
            q.interval.to_string(),
            q.unit.clone(),
            property,
            None,
        ))
    }

    /// Extends a count by the noun it counts (`dozens of civilians`, `102 TTP
    /// fighters`): up to two words after an optional `of`, stopping at function words,
    /// punctuation and numbers. Returns the new end, or `core_end` when the longer
    /// phrase would not read as the same quantity.
    fn noun_after(&self, s: usize, core_end: usize, q: &Quantity) -> usize {
        let mut k = core_end + 1;
        let of = self.lower(k) == "of";
        if of {
            k += 1;
        }
        let mut end = None;
        for _ in 0..2 {
            let Some(t) = self.tok(k) else { break };
            let plain = t.is_word()
                && self.free(k)
                && t.lower.starts_with(char::is_alphabetic)
                && !t.has_digit()
                && !STOP.contains(&t.lower.as_str())
                && !t
                    .parts()
                    .any(|p| is_number_word(p) || is_unit(p) || is_magnitude(p))
                && !is_relative_word(&t.lower);
            if !plain {
                break;
            }
            end = Some(k);
            // `54 people` is the noun; in `54 people died` the next word is the verb.
            if self.counted_noun(k) {
                break;
            }
            k += 1;
        }
        let Some(end) = end else { return core_end };
        let same = self
            .slice(s, end)
            .and_then(|p| parse_quantity(p, self.rules).ok())
            .is_some_and(|again| again.interval == q.interval && again.unit == q.unit);
        if same {
            end
        } else {
            core_end
        }
    }

    /// The suggested property of a quantity: money is an `amount`, time a `duration`;
    /// else the nearest word of killing, wounding or attacking within eight words
    /// decides; else `count`.
    fn property(&self, s: usize, e: usize, q: &Quantity) -> String {
        match q.unit.as_deref() {
            Some("USD" | "EUR" | "GBP" | "PKR" | "INR") => return "amount".into(),
            Some(u) if time_unit(u) => return "duration".into(),
            _ => {}
        }
        let class = |k: usize| -> Option<&'static str> {
            let w = self.lower(k);
            let lost = k + 1 < self.toks.len() && self.lower(k + 1) == "lost";
            let deaths = [
                "kill", "dead", "died", "death", "massacr", "martyr", "slain", "fatalit", "murder",
            ];
            let injured = ["injur", "wound", "hurt"];
            let attacks = [
                "attack",
                "strike",
                "airstrike",
                "bombing",
                "skirmish",
                "assault",
                "raid",
                "blast",
            ];
            if deaths.iter().any(|p| w.starts_with(p)) || (w == "lives" && lost) {
                Some("deaths")
            } else if injured.iter().any(|p| w.starts_with(p)) {
                Some("injured")
            } else if attacks.iter().any(|p| w.starts_with(p)) {
                Some("attacks")
            } else {
                None
            }
        };
        // Only the neighbourhood: a sentence may be a whole file without full stops.
        let words: Vec<usize> = (s.saturating_sub(24)..self.toks.len().min(e + 25))
            .filter(|&k| self.tok(k).is_some_and(Tok::is_word))
            .collect();
        let (ws, we) = (
            words.iter().position(|&k| k >= s).unwrap_or(0),
            words.iter().rposition(|&k| k <= e).unwrap_or(0),
        );
        // Nearest wins; at equal distance the word after (`200 were injured`) wins over
        // the word before (`killed and 200 ...`), as it is more often the predicate.
        let mut best: Option<((usize, bool), &'static str)> = None;
        for (wi, &k) in words.iter().enumerate() {
            let rank = if wi < ws {
                (ws - wi, true)
            } else if wi > we {
                (wi - we, false)
            } else {
                (0, false)
            };
            if rank.0 > 8 {
                continue;
            }
            if let Some(c) = class(k) {
                if best.is_none_or(|b| rank < b.0) {
                    best = Some((rank, c));
                }
            }
        }
        best.map_or("count", |b| b.1).to_string()
    }

    // -- the candidate ---------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn candidate(
        &self,
        s: usize,
        e: usize,
        kind: CandidateKind,
        value: String,
        unit: Option<String>,
        property: String,
        resolved_against: Option<String>,
    ) -> Candidate {
        let start = self.tok(s).map_or(self.range.start, |t| t.start);
        let end = self.tok(e).map_or(start, |t| t.end);
        Candidate {
            kind,
            text: self.text.get(start..end).unwrap_or_default().to_string(),
            value,
            unit,
            quote: self.quote(start..end),
            offset: start,
            property,
            noise: self.noise.clone(),
            resolved_against,
        }
    }

    /// The sentence; in a sentence longer than [`MAX_QUOTE`] (a text without full
    /// stops), the stretch around the phrase, cut at white space.
    fn quote(&self, phrase: Range<usize>) -> String {
        let r = &self.range;
        let whole = || self.text.get(r.clone()).unwrap_or_default().to_string();
        if r.end - r.start <= MAX_QUOTE {
            return whole();
        }
        let side = MAX_QUOTE / 2;
        let lo = phrase.start.saturating_sub(side).max(r.start);
        let hi = (phrase.end + side).min(r.end);
        // Move the cut to a white space, so that no word (or char) is split.
        let left = self.text.get(lo..phrase.start).map_or(phrase.start, |t| {
            t.find(char::is_whitespace).map_or(phrase.start, |p| lo + p)
        });
        let left = if lo == r.start { r.start } else { left };
        let right = self.text.get(phrase.end..hi).map_or(phrase.end, |t| {
            t.rfind(char::is_whitespace)
                .map_or(phrase.end, |p| phrase.end + p)
        });
        let right = if hi == r.end { r.end } else { right };
        self.text
            .get(left..right)
            .map(|q| q.trim().to_string())
            .unwrap_or_else(whole)
    }
}

/// Longest sentence quoted whole; longer ones are quoted around the phrase.
const MAX_QUOTE: usize = 2000;

#[cfg(test)]
mod tests {
    use super::*;
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
}
