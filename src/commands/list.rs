//! `factledger list`: claims, filtered.

use super::{open_read, FormatArg};
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::print_claims;
use factledger_core::model::Status;

/// List claims, with their current status; filters combine.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long)]
    pub subject: Option<String>,
    #[arg(long)]
    pub property: Option<String>,
    /// Only claims from this source id.
    #[arg(long)]
    pub source: Option<String>,
    /// Only claims whose current status is this.
    #[arg(long)]
    #[arg(value_parser = super::status_parser())]
    pub status: Option<Status>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// Runs `list`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let (ledger, _) = open_read(ctx)?;
    if let Some(s) = &args.source {
        ledger.require_source(s)?;
    }
    let eq = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
    let claims: Vec<_> = ledger
        .claims
        .iter()
        .filter(|c| {
            eq(&args.subject, &c.claim.subject)
                && eq(&args.property, &c.claim.property)
                && eq(&args.source, &c.claim.source)
                && args.status.is_none_or(|s| c.status() == s)
        })
        .collect();
    print_claims(ctx.out, &ledger, &claims, args.format.format)?;
    Ok(Outcome::Done)
}
