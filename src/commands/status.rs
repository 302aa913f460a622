//! `factledger status`: record a change of a claim's verification status.

use super::open_write_scoped;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use factledger_core::index::Scope;
use factledger_core::model::{short_id, Entry, Status, StatusChange};

/// Set a claim's verification status
///
/// Statuses: unverified, verified, disputed, false, retracted, unverifiable. Each change is a new entry (who, when, note, evidence); nothing is overwritten.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The claim's id, or a unique prefix of 4 or more hex digits.
    pub claim: String,
    /// The new status.
    #[arg(value_parser = super::status_parser())]
    pub status: Status,
    /// Why.
    #[arg(long)]
    pub note: Option<String>,
    /// What shows it: a url, a document, a call.
    #[arg(long)]
    pub evidence: Option<String>,
    /// Who decides it (default FACTLEDGER_USER, else git user.name, else the login name).
    #[arg(long)]
    pub by: Option<String>,
}

/// Runs `status`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    if let Some(by) = &args.by {
        ctx.set_user(by);
    }
    let scope = Scope {
        prefixes: vec![args.claim.clone()],
        ..Scope::default()
    };
    open_write_scoped(ctx, &scope, |ctx, ledger, _config, w| {
        let c = ledger.resolve(&args.claim)?;
        let change = StatusChange {
            claim: c.claim.id.clone(),
            status: args.status,
            note: args.note.clone().filter(|s| !s.is_empty()),
            evidence: args.evidence.clone().filter(|s| !s.is_empty()),
        };
        let was = c.status();
        if was == change.status && change.note.is_none() && change.evidence.is_none() {
            return Err(CliError::input(format!(
                "claim {} is already {was}: setting the same status again with no --note and no --evidence changes nothing, so nothing was written. Give --note or --evidence to record a re-check",
                short_id(&c.claim.id)
            )));
        }
        w.append(&ctx.now_text(), &ctx.user(), &[Entry::Status(change)])?;
        writeln!(
            ctx.out,
            "{} {} -> {}",
            short_id(&c.claim.id),
            was,
            args.status
        )?;
        Ok(Outcome::Done)
    })
}
