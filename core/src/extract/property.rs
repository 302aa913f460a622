//! The property suggested for a quantity.

use super::sentence::Sentence;
use super::tokens::Tok;
use crate::lexicon::time_unit;
use crate::value::Quantity;

impl Sentence<'_> {
    /// The suggested property of a quantity: money is an `amount`, time a `duration`;
    /// else the nearest word of killing, wounding or attacking within eight words
    /// decides; else `count`.
    pub(super) fn property(&self, s: usize, e: usize, q: &Quantity) -> String {
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
}
