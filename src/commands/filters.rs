//! The claim filters of `list`, `export` and friends (`--subject`, `--property`,
//! `--source`, `--status`), and the rule they share with `conflicts` and `report`: a name
//! the ledger does not hold is refused with near matches, so that a typo never reads as
//! "nothing found" (and `conflicts --exit-code` never passes on one). Properties compare
//! by their canonical name (`config.ron`'s aliases).

use crate::error::CliError;
use factledger_core::config::Config;
use factledger_core::ledger::{near_matches, ClaimState, Ledger};
use factledger_core::model::Status;

/// Which claims to take; filters combine.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ClaimFilter {
    /// Only claims about this subject (a slug the ledger holds; `factledger subjects`
    /// lists them).
    #[arg(long, value_name = "SUBJECT")]
    pub subject: Option<String>,
    /// Only claims of this property; an alias from config.ron (killed, fatalities)
    /// selects its canonical property (deaths) and every other alias of it.
    #[arg(long, value_name = "PROPERTY")]
    pub property: Option<String>,
    /// Only claims from this source id (`factledger source list` lists them).
    #[arg(long, value_name = "ID")]
    pub source: Option<String>,
    /// Only claims whose current status is this.
    #[arg(long, value_parser = super::status_parser())]
    pub status: Option<Status>,
}

impl ClaimFilter {
    /// Refuses a subject, property or source the ledger does not hold.
    pub fn check(&self, ledger: &Ledger, config: &Config) -> Result<(), CliError> {
        check_names(
            ledger,
            config,
            self.subject.as_deref(),
            self.property.as_deref(),
        )?;
        if let Some(s) = &self.source {
            ledger.require_source(s)?;
        }
        Ok(())
    }

    /// Whether a claim passes every filter given.
    pub fn matches(&self, config: &Config, c: &ClaimState) -> bool {
        let cl = &c.claim;
        self.subject.as_deref().is_none_or(|s| s == cl.subject)
            && self.property.as_deref().is_none_or(|p| {
                config.canonical_property(p) == config.canonical_property(&cl.property)
            })
            && self.source.as_deref().is_none_or(|s| s == cl.source)
            && self.status.is_none_or(|s| c.status() == s)
    }
}

/// Refuses a `--subject` or `--property` the ledger holds no claim of, naming near
/// matches; a property is known if any claim's property has the same canonical name.
pub fn check_names(
    ledger: &Ledger,
    config: &Config,
    subject: Option<&str>,
    property: Option<&str>,
) -> Result<(), CliError> {
    check_names_in(
        &ledger.subjects(),
        &ledger.properties(),
        config,
        subject,
        property,
    )
}

/// [`check_names`] against the subjects and properties a ledger's claims have.
pub fn check_names_in(
    subjects: &[&str],
    properties: &[&str],
    config: &Config,
    subject: Option<&str>,
    property: Option<&str>,
) -> Result<(), CliError> {
    if let Some(s) = subject {
        if !subjects.contains(&s) {
            return Err(unknown("subject", s, subjects, "factledger subjects"));
        }
    }
    if let Some(p) = property {
        let want = config.canonical_property(p);
        if !properties
            .iter()
            .any(|k| config.canonical_property(k) == want)
        {
            return Err(unknown("property", p, properties, "factledger subjects"));
        }
    }
    Ok(())
}

fn unknown(field: &str, name: &str, known: &[&str], lister: &str) -> CliError {
    let near = near_matches(name, known.iter().copied());
    let hint = if near.is_empty() {
        String::new()
    } else {
        format!(" (did you mean {}?)", near.join(", "))
    };
    CliError::input(format!(
        "no claim in this ledger has {field} {name:?}{hint}; `{lister}` lists the {field} names it holds"
    ))
}
