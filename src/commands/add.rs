//! `factledger add`: log one claim.

use super::open_write_scoped;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::clean;
use factledger_core::checks::{
    check_supersede, claim_warnings, explain_claim_error, NewNames, Origin,
};
use factledger_core::claim::{ClaimBuilder, ClaimInput, RawValue};
use factledger_core::index::Scope;
use factledger_core::model::{short_id, Entry, Status, StatusChange};

/// Log a claim from a known source
///
/// Prints the new claim's 12-digit id alone on stdout; warnings (a new conflict, an
/// unseen subject) go to stderr.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("val").required(true).args(["value", "date", "text"])))]
pub struct Args {
    /// The source's id.
    #[arg(long)]
    pub source: String,
    /// What the claim is about, a slug: crocus-city-hall-attack-2024.
    #[arg(long)]
    pub subject: String,
    /// Which figure of the subject: deaths, injured, date, amount...
    #[arg(long)]
    pub property: String,
    /// A quantity as written: 54, "over 140", "about $7 billion", "40-60", dozens.
    #[arg(long, allow_hyphen_values = true)]
    pub value: Option<String>,
    /// A date as written: 2021-11, "November 2021", "last August" (relative to --as-of
    /// or the source's published date).
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Any other statement, compared after folding case, spaces and punctuation.
    #[arg(long, allow_hyphen_values = true)]
    pub text: Option<String>,
    /// The unit (USD, year, km...); currencies and units of time in the value are read
    /// from it.
    #[arg(long)]
    pub unit: Option<String>,
    /// When the figure was current; defaults to the source's published date.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The words of the source that carry the claim, verbatim.
    #[arg(long, allow_hyphen_values = true)]
    pub quote: Option<String>,
    /// Who logs it (default FACTLEDGER_USER, else git user.name, else the login name).
    #[arg(long)]
    pub by: Option<String>,
    /// A note kept with the claim (why it was logged this way, what to check).
    #[arg(long, allow_hyphen_values = true)]
    pub note: Option<String>,
    /// Retract CLAIM (id or prefix) and log this claim in its place, in one step.
    #[arg(long, value_name = "CLAIM")]
    pub supersedes: Option<String>,
}

impl Args {
    fn input(&self) -> ClaimInput {
        let value = match (&self.value, &self.date, &self.text) {
            (Some(v), _, _) => Some(RawValue::Quantity(v.clone())),
            (_, Some(d), _) => Some(RawValue::Date(d.clone())),
            (_, _, Some(t)) => Some(RawValue::Text(t.clone())),
            _ => None,
        };
        ClaimInput {
            source: self.source.clone(),
            subject: self.subject.clone(),
            property: self.property.clone(),
            value,
            unit: self.unit.clone(),
            as_of: self.as_of.clone(),
            quote: self.quote.clone(),
            note: self.note.clone(),
            supersedes: None,
        }
    }
}

/// Runs `add`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let mut input = args.input();
    if let Some(by) = &args.by {
        ctx.set_user(by);
    }
    // The claim's figure, the claim it supersedes, every source and every name: what
    // checking and warning about one claim takes.
    let scope = Scope {
        subjects: vec![args.subject.clone()],
        prefixes: args.supersedes.iter().cloned().collect(),
        ..Scope::default()
    };
    open_write_scoped(ctx, &scope, |ctx, ledger, config, w| {
        let old = match &args.supersedes {
            Some(p) => Some(ledger.resolve(p)?),
            None => None,
        };
        input.supersedes = old.map(|o| o.claim.id.clone());
        let claim = ClaimBuilder::new(ledger, config)
            .build(&input)
            .map_err(|e| CliError::input(explain_claim_error(&e, Origin::Flags, ledger)))?;
        if let Some(old) = old {
            check_supersede(config, old, &claim, ledger)
                .map_err(|e| CliError::input(e.to_string()))?;
        }
        ledger.check_new_claim(&claim.id)?;
        let mut entries = vec![Entry::Claim(claim.clone())];
        if let Some(old) = old {
            entries.push(Entry::Status(StatusChange {
                claim: old.claim.id.clone(),
                status: Status::Retracted,
                note: Some(format!("superseded by {}", short_id(&claim.id))),
                evidence: None,
            }));
        }
        let warnings = warnings(ledger, config, &claim);
        w.append(&ctx.now_text(), &ctx.user(), &entries)?;
        writeln!(ctx.out, "{}", short_id(&claim.id))?;
        for line in warnings {
            writeln!(ctx.err, "warning: {}", clean(&line))?;
        }
        Ok(Outcome::Done)
    })
}

/// What to tell the user about a claim about to be logged: an unseen subject or property
/// with near matches, a missing or repeated quote, an as-of after publication, and
/// findings it creates or joins.
fn warnings(
    ledger: &factledger_core::ledger::Ledger,
    config: &factledger_core::config::Config,
    claim: &factledger_core::model::Claim,
) -> Vec<String> {
    let mut names = NewNames::new(ledger, config);
    let mut out: Vec<String> = [
        names.warn("subject", &claim.subject),
        names.warn("property", &claim.property),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(s) = ledger.source(&claim.source) {
        out.extend(claim_warnings(ledger, config, claim, &s.source));
    }
    out.extend(factledger_core::findings::warnings_for_new_claim(
        ledger, config, claim,
    ));
    out
}
