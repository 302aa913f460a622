//! The sentence splitter: where a sentence ends, and which full stops do not end one.

use std::ops::Range;

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
