//! Checks of a new claim against what the ledger already holds, beyond the ones that
//! make it invalid: names new to the ledger (typos), a missing quote where one could be
//! checked, the same figure logged twice from one source, an as-of after the source was
//! published, and a replacement (`--supersedes`) that does not replace like with like.
//! `add` and `import` share them, so both warn the same way.

use std::collections::HashSet;

use crate::claim::ClaimError;
use crate::config::Config;
use crate::ledger::{near_matches, ClaimState, Ledger, LedgerError};
use crate::model::{short_id, Claim, Source, Status};
use crate::time::DateError;

/// Why a claim cannot replace another.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CheckError {
    #[error("--supersedes {old}: the replacement's {field} is {new_value:?} but the claim it replaces has {old_value:?}; a replacement corrects the value of the same figure from the same source. Retract {old} with `factledger status {old} retracted --note ...` and add the new claim on its own")]
    SupersedeMismatch {
        old: String,
        field: &'static str,
        old_value: String,
        new_value: String,
    },
    #[error("--supersedes {old}: that claim is already retracted{by}; supersede the claim that replaced it, or add the new claim without --supersedes")]
    AlreadyRetracted { old: String, by: String },
}

/// Refuses a replacement of `old` by `new` that is not the same figure (subject,
/// property by its canonical name, source) or whose target is already retracted.
pub fn check_supersede(
    config: &Config,
    old: &ClaimState,
    new: &Claim,
    ledger: &Ledger,
) -> Result<(), CheckError> {
    let o = &old.claim;
    let id = short_id(&o.id).to_string();
    if old.status() == Status::Retracted {
        let by = ledger
            .claims
            .iter()
            .find(|c| c.claim.supersedes.as_deref() == Some(o.id.as_str()))
            .map(|c| format!(" (superseded by {})", short_id(&c.claim.id)))
            .unwrap_or_default();
        return Err(CheckError::AlreadyRetracted { old: id, by });
    }
    let fields: [(&'static str, &str, &str); 3] = [
        ("subject", &o.subject, &new.subject),
        (
            "property",
            config.canonical_property(&o.property),
            config.canonical_property(&new.property),
        ),
        ("source", &o.source, &new.source),
    ];
    for (field, was, now) in fields {
        if was != now {
            return Err(CheckError::SupersedeMismatch {
                old: id,
                field,
                old_value: was.to_string(),
                new_value: now.to_string(),
            });
        }
    }
    Ok(())
}

/// How many name comparisons (new names times known names) the near-match search of
/// one import may cost; beyond it, new names are counted, not matched one by one.
const MATCH_BUDGET: usize = 2_000_000;

/// Warns of subjects and properties new to a ledger, with near matches among the names
/// it holds; each name at most once, so an import of many rows warns once per name.
/// The ledger's names are gathered once.
pub struct NewNames<'a> {
    config: &'a Config,
    subjects: HashSet<&'a str>,
    properties: HashSet<&'a str>,
    warned: HashSet<(&'static str, String)>,
}

impl<'a> NewNames<'a> {
    /// The names `ledger` holds.
    pub fn new(ledger: &'a Ledger, config: &'a Config) -> Self {
        NewNames {
            config,
            subjects: ledger.subjects().into_iter().collect(),
            properties: ledger.properties().into_iter().collect(),
            warned: HashSet::new(),
        }
    }

    fn known(&self, field: &str, name: &str) -> bool {
        if field == "subject" {
            return self.subjects.contains(name);
        }
        let want = self.config.canonical_property(name);
        self.properties
            .iter()
            .any(|p| self.config.canonical_property(p) == want)
    }

    fn pool(&self, field: &str) -> &HashSet<&'a str> {
        if field == "subject" {
            &self.subjects
        } else {
            &self.properties
        }
    }

    /// A warning for a `field` (`subject` or `property`) name the ledger does not hold
    /// and that is near one it does; `None` for a known name, one already warned of, or
    /// one near nothing. A property known under its canonical name is not new.
    pub fn warn(&mut self, field: &'static str, name: &str) -> Option<String> {
        if self.known(field, name) || !self.warned.insert((field, name.to_string())) {
            return None;
        }
        let near = near_matches(name, self.pool(field).iter().copied());
        (!near.is_empty()).then(|| {
            format!(
                "{field} {name:?} is new to this ledger; did you mean {}?",
                near.join(", ")
            )
        })
    }

    /// Warnings for every new name among `names` of `field`; when matching them all
    /// would cost too much (a bulk import of many new names), one line counting them.
    pub fn warn_all(&mut self, field: &'static str, names: &[&str]) -> Vec<String> {
        let new: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| !self.known(field, n))
            .collect();
        if new.len().saturating_mul(self.pool(field).len()) > MATCH_BUDGET {
            let first: Vec<&str> = new.iter().take(3).copied().collect();
            return vec![format!(
                "{} {field} names are new to this ledger (first: {}); `factledger subjects` lists them all",
                new.len(),
                first.join(", ")
            )];
        }
        new.into_iter()
            .filter_map(|n| self.warn(field, n))
            .collect()
    }
}

/// Warnings about a well-formed claim about to be logged: no quote where the source has
/// a file to check one against, the same figure already logged from the same source
/// under another quote, an as-of after the source's publication.
pub fn claim_warnings(
    ledger: &Ledger,
    config: &Config,
    claim: &Claim,
    source: &Source,
) -> Vec<String> {
    let mut out = Vec::new();
    if claim.quote.is_none() {
        if let Some(file) = &source.file {
            out.push(format!(
                "no --quote: source {} has a file ({file}), so the words that carry the claim can be checked; give them with --quote",
                source.id
            ));
        }
    }
    if let Some(twin) = same_figure(ledger, config, claim) {
        out.push(format!(
            "source {} already gives {} {} = {:?} in claim {} (quote {:?}); this logs the same figure again under another quote, and findings will count it twice",
            claim.source,
            claim.subject,
            claim.property,
            claim.value.raw(),
            short_id(&twin.claim.id),
            twin.claim.quote.as_deref().unwrap_or("none")
        ));
    }
    if let (Some(as_of), Some(published)) = (&claim.as_of, &source.published) {
        if as_of.span.start >= published.span.end {
            out.push(format!(
                "as-of {} is after source {} was published ({}): a source cannot report a figure as it stood after its own publication; check --as-of",
                as_of.span, source.id, published.span
            ));
        }
    }
    out
}

/// A live claim of the same source giving the same value of the same figure.
fn same_figure<'a>(ledger: &'a Ledger, config: &Config, claim: &Claim) -> Option<&'a ClaimState> {
    let prop = config.canonical_property(&claim.property);
    ledger.claims.iter().find(|c| {
        let o = &c.claim;
        o.id != claim.id
            && o.source == claim.source
            && o.subject == claim.subject
            && config.canonical_property(&o.property) == prop
            && o.value.kind() == claim.value.kind()
            && o.value.parsed() == claim.value.parsed()
            && o.unit == claim.unit
            && o.quote != claim.quote
            && !matches!(c.status(), Status::Retracted | Status::False)
    })
}

/// Where a claim's fields were typed: they are named as the user wrote them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `add`: flags such as `--as-of`.
    Flags,
    /// `import`: columns such as `as_of`.
    Import,
}

/// The message of a refused claim, worded for where it was typed, with what to do: a
/// relative as-of needs its source's published date (not "give --as-of", which was
/// given); an import names its `as_of` column and offers `--create-sources` for an
/// unknown source; a quote that differs from the file only by typographic characters
/// says which.
pub fn explain_claim_error(e: &ClaimError, origin: Origin, ledger: &Ledger) -> String {
    let as_of = match origin {
        Origin::Flags => "--as-of",
        Origin::Import => "as_of",
    };
    match e {
        ClaimError::AsOf(DateError::NoReference { text }) => format!(
            "{as_of}: {text:?} is a relative date, and an as-of is resolved against its source's published date, which this source does not have: give an absolute {as_of} such as 2023-01-30, or give the source a published date"
        ),
        ClaimError::AsOf(d) => format!("{as_of}: {d}"),
        ClaimError::Ledger(LedgerError::UnknownSource { .. }) if origin == Origin::Import => {
            format!("{e}; or import with --create-sources to create a bare source for each unknown id")
        }
        ClaimError::QuoteNotInFile { file, quote, .. } => {
            let text = std::fs::read(ledger.root().join(file))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            match quote_hint(quote, &text) {
                Some(hint) => format!("{e}\n{hint}"),
                None => e.to_string(),
            }
        }
        _ => e.to_string(),
    }
}

/// Typographic characters a keyboard types differently: the file's form, the typed
/// form, and their names.
const LOOKALIKES: [(char, char, &str); 6] = [
    ('\u{2019}', '\'', "a curly apostrophe ’ (U+2019)"),
    ('\u{2018}', '\'', "a curly opening quote ‘ (U+2018)"),
    ('\u{201C}', '"', "a curly opening double quote “ (U+201C)"),
    ('\u{201D}', '"', "a curly closing double quote ” (U+201D)"),
    ('\u{2013}', '-', "an en dash – (U+2013)"),
    ('\u{2014}', '-', "an em dash — (U+2014)"),
];

fn fold_lookalikes(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| {
            LOOKALIKES
                .iter()
                .find(|(f, _, _)| *f == c)
                .map_or(c, |(_, typed, _)| *typed)
        })
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// When a quote was not found in `text` only because it types a straight quote, hyphen
/// or the like where the file has a typographic one (or the other way round), a hint
/// naming each difference; else `None`.
pub fn quote_hint(quote: &str, text: &str) -> Option<String> {
    let (q, t) = (fold_lookalikes(quote), fold_lookalikes(text));
    let at = t.find(&q)?;
    let file_words: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let typed: Vec<char> = quote
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
    // Folding maps one char to one char, so offsets in chars line up.
    let start = t[..at].chars().count();
    let file: Vec<char> = file_words.chars().skip(start).take(typed.len()).collect();
    let mut seen = Vec::new();
    for (f, q) in file.iter().zip(&typed) {
        if f != q && !seen.contains(&(*f, *q)) {
            seen.push((*f, *q));
        }
    }
    let name = |c: char| match c {
        '\'' => "a straight apostrophe '".to_string(),
        '"' => "a straight double quote \"".to_string(),
        '-' => "a hyphen -".to_string(),
        c => LOOKALIKES
            .iter()
            .find(|(f, _, _)| *f == c)
            .map_or_else(|| format!("{c:?}"), |(_, _, n)| n.to_string()),
    };
    let parts: Vec<String> = seen
        .iter()
        .map(|(f, q)| format!("the file has {} where the quote has {}", name(*f), name(*q)))
        .collect();
    (!parts.is_empty()).then(|| {
        format!(
            "hint: {}; copy those characters from the file",
            parts.join("; ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_straight_apostrophe_for_a_curly_one_is_named() {
        let text = "The police chief said the bomber\u{2019}s head was found.";
        let hint = quote_hint("the bomber's head", text).unwrap();
        assert!(hint.contains("curly apostrophe ’ (U+2019)"), "{hint}");
        assert!(
            hint.contains("where the quote has a straight apostrophe '"),
            "{hint}"
        );
    }

    #[test]
    fn straight_double_quotes_for_curly_ones_are_named_once_each() {
        let text = "He called it \u{201C}a massacre\u{201D} and \u{201C}a crime\u{201D}.";
        let hint = quote_hint("\"a massacre\" and \"a crime\"", text).unwrap();
        assert_eq!(hint.matches("U+201C").count(), 1, "{hint}");
        assert_eq!(hint.matches("U+201D").count(), 1, "{hint}");
    }

    #[test]
    fn a_quote_that_differs_in_words_gets_no_hint() {
        assert_eq!(
            quote_hint("the bomber's hand", "the bomber\u{2019}s head"),
            None
        );
        assert_eq!(quote_hint("absent", "present"), None);
    }
}
