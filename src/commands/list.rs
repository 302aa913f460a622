//! `factledger list`: claims, filtered.

use super::filters::ClaimFilter;
use super::{open_read, open_scoped, FormatArg};
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::print_claims;
use factledger_core::index::Scope;

/// List claims, with their current status; filters combine
///
/// A subject, property or source the ledger does not hold is refused (exit 2) with near
/// matches, so a typo never reads as "no claims".
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub filter: ClaimFilter,
    #[command(flatten)]
    pub format: FormatArg,
}

/// Runs `list`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    // One subject's claims are read through the index; other filters read the log.
    let (ledger, config) = match &args.filter.subject {
        Some(s) => open_scoped(
            ctx,
            &Scope {
                subjects: vec![s.clone()],
                ..Scope::default()
            },
        )?,
        None => open_read(ctx)?,
    };
    let claims: Vec<_> = ledger
        .claims
        .iter()
        .filter(|c| args.filter.matches(&config, c))
        .collect();
    // Only an empty result can hide a typo; checking only then keeps a hit free.
    if claims.is_empty() {
        args.filter.check(&ledger, &config)?;
    }
    print_claims(ctx.out, &ledger, &claims, args.format.format)?;
    Ok(Outcome::Done)
}
