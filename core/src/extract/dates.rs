//! Date candidates: anchors, the windows handed to [`parse_date`], and whether a bare
//! four-digit number is a year.

use super::sentence::Sentence;
use super::tokens::{Kind, Tok};
use super::words::*;
use super::{Candidate, CandidateKind, UNRESOLVED};
use crate::lexicon::{bare, is_month_name, is_number_word, is_relative_word, is_weekday_name};
use crate::time::{parse_date_with, DateError};

impl Sentence<'_> {
    /// Whether token `i` may stand in a date phrase.
    pub(super) fn date_word(&self, i: usize) -> bool {
        let Some(t) = self.tok(i) else { return false };
        match t.kind {
            Kind::Skip => false,
            Kind::Punct => matches!(
                t.lower.as_str(),
                "," | ":" | "." | "-" | "–" | "(" | ")" | "/" | "+"
            ),
            Kind::Word => {
                let w = bare(&t.lower);
                t.has_digit()
                    || DATE_WORDS.contains(&w)
                    || is_relative_word(w)
                    || is_month_name(w)
                    || is_weekday_name(w)
                    || crate::time::is_zone_word(w)
                    || t.parts()
                        .all(|p| is_number_word(p) || vague_word(p, self.vague))
            }
        }
    }

    pub(super) fn date_anchor(&self, i: usize) -> bool {
        let Some(t) = self.tok(i).filter(|t| t.is_word()) else {
            return false;
        };
        if t.lower.contains('/') {
            return false;
        }
        let numeric = t.starts_with_digit()
            || (t.has_digit() && matches!(t.first_part(), "mid" | "early" | "late"));
        let capital = self
            .text
            .get(t.start..t.end)
            .and_then(|s| s.chars().next())
            .is_some_and(char::is_uppercase);
        // Weekdays and `Christmas` only capitalized, as names are written.
        let named = capital && (is_weekday_name(&t.lower) || bare(&t.lower) == "christmas");
        numeric || named || is_month(t, self.text) || is_relative_word(bare(&t.lower))
    }

    pub(super) fn date_at(&mut self, i: usize) -> Option<Candidate> {
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
                    .is_some_and(|t| t.is_word() && !DATE_NO_END.contains(&t.lower.as_str()));
                if !ends {
                    continue;
                }
                let Some(phrase) = self.slice(s, e) else {
                    continue;
                };
                let parsed = match parse_date_with(phrase, self.reference(s), self.date_order) {
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
        if !self.year_is_date(s, e) || !self.month_is_date(s, e) || self.time_alone(s, e) {
            return None;
        }
        self.cover(s, e);
        let (value, resolved_against, inferred) = match parsed {
            Ok(p) => {
                let against = p.relative.then(|| self.reference_name(s)).flatten();
                self.last_date = Some(p.span);
                (p.span.to_string(), against, p.inferred)
            }
            Err(()) => (UNRESOLVED.to_string(), None, None),
        };
        let mut c = self.candidate(
            s,
            e,
            CandidateKind::Date,
            value,
            None,
            "date".into(),
            resolved_against,
        );
        c.inferred = inferred;
        Some(c)
    }

    /// Whether the window starting at `s` is anchored on an earlier date of the
    /// sentence (`the same month last year` after `in December`).
    fn anchored(&self, s: usize) -> bool {
        let first = (s..self.toks.len().min(s + 3)).find(|&k| self.lower(k) != "the");
        first.is_some_and(|k| self.lower(k) == "same") && self.last_date.is_some()
    }

    /// What a relative date starting at `s` resolves against: the sentence's previous
    /// date for an anchored form, else the publication date.
    pub(super) fn reference(&self, s: usize) -> Option<&crate::time::TimeSpan> {
        if self.anchored(s) {
            self.last_date.as_ref()
        } else {
            self.published
        }
    }

    fn reference_name(&self, s: usize) -> Option<String> {
        match (self.anchored(s), self.last_date, self.published) {
            (true, Some(d), _) => Some(format!("the date before it in the sentence, {d}")),
            (_, _, Some(p)) => Some(format!("published {p}")),
            _ => None,
        }
    }

    /// Whether the window is a time of day and nothing else (`at 1.00 pm local time`):
    /// in prose that is no date, as the day it falls on is not said.
    fn time_alone(&self, s: usize, e: usize) -> bool {
        let meridiem = |w: &str| matches!(w, "am" | "pm" | "a.m" | "p.m");
        let words: Vec<&str> = (s..=e)
            .filter_map(|k| self.tok(k).filter(|t| t.is_word()))
            .map(|t| t.lower.trim_end_matches('.'))
            .collect();
        let has_meridiem = words.iter().any(|w| meridiem(w));
        let clock = |w: &str| {
            let digits = w
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.'));
            digits && (w.contains(':') || has_meridiem)
        };
        words.iter().any(|w| clock(w))
            && words.iter().all(|w| {
                clock(w)
                    || meridiem(w)
                    || DATE_NO_END.contains(w)
                    || matches!(*w, "local" | "time")
                    || crate::time::is_zone_word(w)
            })
    }

    /// A month name alone is a date only after a word such as `in`, `by` or `since`
    /// (`in July`), not in `May I` or `March on`.
    fn month_is_date(&self, s: usize, e: usize) -> bool {
        let core: Vec<usize> = (s..=e)
            .filter(|&k| self.tok(k).is_some_and(Tok::is_word))
            .collect();
        match core.as_slice() {
            [m] => !is_month_name(self.lower(*m)),
            _ => true,
        }
    }

    /// Whether a window that is a bare four-digit number (with `in`, `the`...) is a year
    /// rather than a count: not after a qualifier (`over 2000`), not before a counted
    /// noun (`1600 lives`); after `in`/`since`/`by`..., or between 1900 and 2100.
    pub(super) fn year_is_date(&self, s: usize, e: usize) -> bool {
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
    pub(super) fn counted_noun(&self, i: usize) -> bool {
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
}
