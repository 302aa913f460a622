//! The property suggested for a quantity, from the words that govern it: its unit, the
//! noun it counts (`14 dead`, `1,200 violent events`), the verb after that noun (`175
//! girls were killed`), the verb before it (`Explosion kills at least 93`), or the noun
//! whose figure it completes (`Death toll ... revised down to 84`). Keywords elsewhere in
//! the sentence do not decide: `the death toll ... 200 were injured` is `injured`.

use super::sentence::Sentence;
use super::tokens::Tok;
use crate::lexicon::{bare, time_unit};
use crate::value::Quantity;

/// The property a word of killing, wounding, going missing, fleeing, arresting or
/// attacking stands for (by its stem, so `kills`, `killed`, `killing` alike).
fn class(w: &str) -> Option<&'static str> {
    let w = bare(w);
    const TABLE: &[(&[&str], &str)] = &[
        (
            &[
                "kill", "dead", "death", "died", "die", "massacr", "martyr", "slain", "fatalit",
                "murder", "perish", "drown", "bodies",
            ],
            "deaths",
        ),
        (&["injur", "wound", "hurt"], "injured"),
        (&["missing"], "missing"),
        (&["displac", "evacuat", "homeless"], "displaced"),
        (&["arrest", "detain", "detention"], "arrested"),
        (&["kidnap", "abduct"], "abducted"),
        (
            &[
                "attack",
                "strike",
                "airstrike",
                "bombing",
                "skirmish",
                "assault",
                "raid",
                "blast",
                "explosion",
                "clash",
            ],
            "attacks",
        ),
        (&["event", "incident"], "events"),
    ];
    TABLE
        .iter()
        .find(|(stems, _)| stems.iter().any(|p| w.starts_with(p)))
        .map(|(_, c)| *c)
}

/// Words between a count's noun and its verb that say nothing of the property.
fn auxiliary(w: &str) -> bool {
    matches!(
        w,
        "were"
            | "was"
            | "are"
            | "is"
            | "be"
            | "been"
            | "being"
            | "have"
            | "has"
            | "had"
            | "reportedly"
            | "also"
            | "still"
            | "now"
            | "all"
            | "later"
            | "confirmed"
            | "reported"
            | "believed"
            | "feared"
            | "either"
            | "others"
            | "more"
            | "people"
            | "persons"
    )
}

/// Words that join a figure to the noun it is the figure of: `toll rose to 84`,
/// `stood at 84`, `reached 84`.
fn linking(w: &str) -> bool {
    matches!(
        w,
        "to" | "at" | "reached" | "hit" | "passed" | "topped" | "exceeded" | "of" | "is" | "was"
    )
}

impl Sentence<'_> {
    fn word_at(&self, k: usize) -> Option<&str> {
        self.tok(k)
            .filter(|t| t.is_word())
            .map(|t| t.lower.as_str())
    }

    /// The suggested property of the quantity at tokens `s..=e`: money is an `amount`,
    /// time a `duration`, a magnitude a `magnitude`; else the governing words decide;
    /// else `count`.
    pub(super) fn property(&self, s: usize, e: usize, q: &Quantity) -> String {
        match q.unit.as_deref() {
            Some("USD" | "EUR" | "GBP" | "PKR" | "INR") => return "amount".into(),
            Some("magnitude") => return "magnitude".into(),
            Some(u) if time_unit(u) => return "duration".into(),
            _ => {}
        }
        self.counted_class(s, e)
            .or_else(|| self.verb_after(e))
            .or_else(|| self.verb_before(s))
            .or_else(|| self.figure_of(s))
            .unwrap_or("count")
            .to_string()
    }

    /// The noun the quantity counts, inside it or just after (`14 dead`, `1,200
    /// violent events`, `1600 lives lost`).
    fn counted_class(&self, s: usize, e: usize) -> Option<&'static str> {
        for k in (s + 1)..=(e + 2) {
            let Some(w) = self.word_at(k) else { break };
            if k > e && super::words::STOP.contains(&w) {
                break;
            }
            if w == "lives" {
                let next = self.word_at(k + 1).unwrap_or_default();
                return matches!(next, "lost" | "were" | "claimed").then_some("deaths");
            }
            if let Some(c) = class(w) {
                return Some(c);
            }
        }
        None
    }

    /// The verb of the clause the count is the subject of (`175 girls were killed`,
    /// `31 wounded`, `270 still missing`).
    fn verb_after(&self, e: usize) -> Option<&'static str> {
        for k in e + 1..e + 6 {
            let w = self.word_at(k)?;
            if let Some(c) = class(w) {
                return Some(c);
            }
            if !auxiliary(w) {
                return None;
            }
        }
        None
    }

    /// The verb the count is the object of (`kills at least 93`, `killing 673 people`,
    /// `reportedly killed dozens`).
    fn verb_before(&self, s: usize) -> Option<&'static str> {
        let k = (s.saturating_sub(2)..s)
            .rev()
            .find(|&k| self.tok(k).is_some_and(Tok::is_word))?;
        // A noun of events before a figure is no verb (`attacks 93` is rare, `deaths 54`
        // never): only the verbs of harm decide.
        let w = self.word_at(k)?;
        class(w).filter(|c| !matches!(*c, "attacks" | "events") && !w.ends_with("ths"))
    }

    /// The noun a figure completes through a linking word: `the death toll has risen
    /// to 724`, `the number of injured stood at 200`. Looks back within the clause, not
    /// past another number.
    fn figure_of(&self, s: usize) -> Option<&'static str> {
        let before = (s.saturating_sub(3)..s)
            .rev()
            .find(|&k| self.tok(k).is_some_and(Tok::is_word))?;
        if !linking(self.word_at(before)?) {
            return None;
        }
        for k in (s.saturating_sub(14)..before).rev() {
            let Some(t) = self.tok(k) else { continue };
            if t.starts_with_digit() || matches!(t.lower.as_str(), ";" | ":") {
                return None;
            }
            let w = t.lower.as_str();
            if w == "toll" {
                let injury = k > 0 && self.word_at(k - 1).is_some_and(|p| p.starts_with("injur"));
                return Some(if injury { "injured" } else { "deaths" });
            }
            if let Some(c) = class(w).filter(|c| *c != "attacks" && *c != "events") {
                return Some(c);
            }
        }
        None
    }
}
