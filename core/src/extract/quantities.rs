//! Quantity candidates: anchors, the windows handed to [`parse_quantity`], and the noun
//! a count counts.

use super::sentence::Sentence;
use super::tokens::{Kind, Tok};
use super::words::*;
use super::Candidate;
use super::CandidateKind;
use crate::lexicon::{
    bare, fraction_word, is_magnitude, is_number_word, is_relative_word, is_unit, time_unit,
};
use crate::value::{parse_quantity, Quantity};

impl Sentence<'_> {
    pub(super) fn quantity_anchor(&self, i: usize) -> bool {
        let Some(t) = self.tok(i).filter(|t| t.is_word()) else {
            return false;
        };
        if t.lower.contains('/') {
            return false;
        }
        if t.starts_with_digit() {
            return !self.page_number(i) && !self.footnote(i) && !self.clock_time(i);
        }
        // `magnitude-7.1`: the unit written before the number.
        if t.first_part() == "magnitude" && t.has_digit() {
            return true;
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
                    .is_some_and(|p| is_unit(p) || is_magnitude(p) || fraction_word(p).is_some())
                    || is_unit(next_first)
                    || is_number_word(next_first)
                    || ONE_NOUNS.contains(&next_first)
            }
            "a" | "an" => {
                (time_unit(next_first) && !matches!(bare(next_first), "second" | "minute"))
                    || matches!(
                        next_first,
                        "dozen" | "hundred" | "quarter" | "third" | "half"
                    )
                    || is_magnitude(next_first)
                    || next_first == "few"
            }
            "half" => true,
            // `for decades`, `weeks of rains`: a plural unit of time alone, after `for`
            // or before `of`; not `years later`, `in recent years`.
            w if time_unit(w) && w.ends_with('s') && !w.ends_with("’s") && !w.ends_with("'s") => {
                let before = i.checked_sub(1).map_or("", |k| self.lower(k));
                let after = self.lower(i + 1);
                (before == "for" || after == "of")
                    && !matches!(after, "later" | "after" | "before" | "earlier" | "ago")
            }
            w if is_number_word(w) => true,
            w => self.vague_at(i, w),
        }
    }

    /// Whether a vague key of the rules starts at token `i` (`scores` and `tens` only
    /// when `of` follows: `scores a goal`).
    pub(super) fn vague_at(&self, i: usize, first: &str) -> bool {
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

    /// A footnote marker: a number alone in square brackets (`[1]`).
    fn footnote(&self, i: usize) -> bool {
        let punct = |k: Option<usize>, c: &str| {
            k.and_then(|k| self.tok(k))
                .is_some_and(|t| t.kind == Kind::Punct && t.lower == c)
        };
        punct(i.checked_sub(1), "[") && punct(Some(i + 1), "]")
    }

    /// A time of day (`1.40 pm`, `4:30`), which is no quantity.
    fn clock_time(&self, i: usize) -> bool {
        let t = self.lower(i);
        let meridiem = |k: usize| {
            matches!(
                self.lower(k).trim_end_matches('.'),
                "am" | "pm" | "a.m" | "p.m" | "hrs" | "gmt" | "utc"
            )
        };
        t.contains(':') || meridiem(i + 1) || t.ends_with("am") || t.ends_with("pm")
    }

    /// A number after `page`/`p.`/`pp.`, or in a line of nothing but page furniture.
    pub(super) fn page_number(&self, i: usize) -> bool {
        let prev = self.word_before(i).map_or("", |k| self.lower(k));
        if matches!(prev, "page" | "pages" | "p" | "pp" | "pg") {
            return true;
        }
        !self.has_text
    }

    pub(super) fn grammar(&self, k: usize) -> bool {
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
    pub(super) fn quantity_end(&self, k: usize) -> bool {
        let Some(t) = self.tok(k) else { return false };
        match t.kind {
            Kind::Word => {
                let after_per = k > 0 && self.lower(k - 1) == "per";
                t.starts_with_digit()
                    || (t.lower == "cent" && after_per)
                    || t.parts().any(|p| {
                        is_number_word(p)
                            || is_unit(p)
                            || p == "few"
                            || p == "old"
                            || vague_word(p, self.vague)
                            || fraction_word(p).is_some()
                            || p.starts_with(|c: char| c.is_ascii_digit())
                    })
            }
            Kind::Punct => t.lower == "%",
            Kind::Skip => false,
        }
    }

    pub(super) fn quantity_at(&mut self, i: usize) -> Option<Candidate> {
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
    pub(super) fn noun_after(&self, s: usize, core_end: usize, q: &Quantity) -> usize {
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
}
