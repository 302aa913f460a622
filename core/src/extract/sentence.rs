//! One sentence being read: its tokens, which of them a candidate already took, and
//! the candidate made of a stretch of them with its quote.

use std::ops::Range;

use super::tokens::{Kind, Tok};
use super::{Candidate, CandidateKind};
use crate::time::{DateOrder, TimeSpan};
use crate::value::QuantityRules;

/// One sentence being read: its tokens, and which of them a candidate already took.
pub(super) struct Sentence<'a> {
    pub(super) text: &'a str,
    pub(super) range: Range<usize>,
    pub(super) toks: Vec<Tok>,
    pub(super) covered: Vec<bool>,
    /// Whether the sentence has words besides page furniture (`Page 3 of 10`).
    pub(super) has_text: bool,
    /// Per token: whether it may stand in a date phrase ([`Sentence::date_word`]).
    pub(super) date_ok: Vec<bool>,
    /// Per token: whether it may stand in a quantity phrase ([`Sentence::grammar`]).
    pub(super) quantity_ok: Vec<bool>,
    pub(super) noise: Option<String>,
    pub(super) published: Option<&'a TimeSpan>,
    pub(super) rules: &'a QuantityRules,
    pub(super) vague: &'a [String],
    /// How slash dates are read (the ledger's `date_order`).
    pub(super) date_order: Option<DateOrder>,
    /// The last date found in the sentence: what `the same month last year` is
    /// anchored on.
    pub(super) last_date: Option<TimeSpan>,
}

impl Sentence<'_> {
    pub(super) fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }

    pub(super) fn lower(&self, i: usize) -> &str {
        self.tok(i).map_or("", |t| t.lower.as_str())
    }

    pub(super) fn free(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| t.kind != Kind::Skip)
            && !self.covered.get(i).copied().unwrap_or(true)
    }

    pub(super) fn slice(&self, s: usize, e: usize) -> Option<&str> {
        let (a, b) = (self.tok(s)?.start, self.tok(e)?.end);
        self.text.get(a..b)
    }

    pub(super) fn cover(&mut self, s: usize, e: usize) {
        for k in s..=e {
            if let Some(c) = self.covered.get_mut(k) {
                *c = true;
            }
        }
    }

    /// The index of the word token before `i`, skipping punctuation.
    pub(super) fn word_before(&self, i: usize) -> Option<usize> {
        (i.saturating_sub(4)..i)
            .rev()
            .find(|&k| self.tok(k).is_some_and(Tok::is_word))
    }

    // -- the candidate ---------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    pub(super) fn candidate(
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
            inferred: None,
        }
    }

    /// The sentence; in a sentence longer than [`MAX_QUOTE`] (a text without full
    /// stops), the stretch around the phrase, cut at white space.
    pub(super) fn quote(&self, phrase: Range<usize>) -> String {
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
pub(super) const MAX_QUOTE: usize = 2000;
