//! The sentence splitter: where a sentence ends, and which full stops do not end one.

use std::ops::Range;

/// Words whose full stop does not end a sentence (`Dr.`, `Dec.`, `Rs.`), lowercase.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt", "cpl",
    "maj", "gov", "sen", "rep", "rev", "hon", "no", "nos", "vs", "approx", "est", "rs", "inc",
    "ltd", "co", "corp", "dept", "govt", "fig", "p", "pp", "vol", "cf", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
];

/// The longest stretch read as one sentence, in bytes: text without full stops or line
/// breaks (a dump, a run of NUL bytes) is cut at white space past this length, or
/// anywhere past twice it, so that the work per sentence stays bounded.
pub(super) const MAX_SENTENCE: usize = 4000;

/// The byte ranges of the sentences of `text`, trimmed, empty ones left out.
///
/// A sentence ends at a line break, or at `.`, `!` or `?` (with any closing quotes or
/// brackets after it) followed by white space or the end of the text. A full stop
/// does not end a sentence inside a number (`7.12`), after an initial (`F.`), after a
/// dotted abbreviation (`U.S.`, `a.m.`) or after a known abbreviation (`Dec.`, `Dr.`).
/// A stretch longer than [`MAX_SENTENCE`] is cut. Memory is linear in the number of
/// sentences, not in the text's length.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = text.char_indices().peekable();
    while let Some((p, c)) = it.next() {
        let long = p - start;
        if c == '\n' || (long > MAX_SENTENCE && c.is_whitespace()) || long > 2 * MAX_SENTENCE {
            push_sentence(text, start..p, &mut out);
            start = if c == '\n' { p + 1 } else { p };
            continue;
        }
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let rest = text.get(p..).unwrap_or_default();
        let mut end = p;
        let mut stops = 0;
        let mut chars = rest.chars().peekable();
        // A run of stops (`...`, `?!`) ends a sentence once; a longer run is no
        // sentence end, and is cut by length like any other stretch.
        while let Some(&n) = chars
            .peek()
            .filter(|n| matches!(n, '.' | '!' | '?') && stops < 8)
        {
            end += n.len_utf8();
            stops += 1;
            chars.next();
        }
        let mut closers = 0;
        while let Some(&n) = chars
            .peek()
            .filter(|n| matches!(n, '"' | '\'' | '”' | '’' | ')' | ']' | '»') && closers < 8)
        {
            closers += 1;
            end += n.len_utf8();
            chars.next();
        }
        // A footnote marker after the full stop (`Sunday.[1] The`) belongs to it.
        let marker = footnote_len(rest.get(end - p..).unwrap_or_default());
        if marker > 0 {
            end += marker;
            chars = rest.get(end - p..).unwrap_or_default().chars().peekable();
        }
        let at_break = chars.peek().is_none_or(|n| n.is_whitespace());
        let lone_stop = c == '.' && stops == 1;
        if at_break && !(lone_stop && is_abbreviation(text, p)) {
            push_sentence(text, start..end, &mut out);
            start = end;
        }
        while it.peek().is_some_and(|&(q, _)| q < end) {
            it.next();
        }
    }
    push_sentence(text, start..text.len(), &mut out);
    out
}

/// The length of a footnote marker (`[1]`, `[12]`) at the start of `s`, else 0.
fn footnote_len(s: &str) -> usize {
    let Some(inner) = s.strip_prefix('[') else {
        return 0;
    };
    let digits = inner.bytes().take_while(u8::is_ascii_digit).count();
    let closed = inner.as_bytes().get(digits) == Some(&b']');
    if (1..=3).contains(&digits) && closed {
        digits + 2
    } else {
        0
    }
}

/// Whether the word before the full stop at byte `dot` is an abbreviation.
fn is_abbreviation(text: &str, dot: usize) -> bool {
    // Only the word before matters: look back a bounded stretch, so that a text of
    // full stops without spaces costs linear time.
    let mut lo = dot.saturating_sub(64);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let before = text.get(lo..dot).unwrap_or_default();
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
