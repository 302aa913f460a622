//! `factledger merge BASE OURS THEIRS`: the git merge driver for `log.ron`.

use std::path::PathBuf;

use crate::context::Context;
use crate::error::{CliError, Outcome};

/// Merge two branches' logs (a git merge driver)
///
/// Keeps OURS byte for byte and appends the entries THEIRS added that OURS lacks,
/// re-chained after OURS; claim ids never change. Set up with `factledger init --git`,
/// or by hand: `ledger/log.ron merge=factledger` in .gitattributes and
/// `git config merge.factledger.driver "factledger merge %O %A %B"`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The common ancestor's log (git's %O).
    pub base: PathBuf,
    /// Our log (git's %A): the result is written here.
    pub ours: PathBuf,
    /// Their log (git's %B).
    pub theirs: PathBuf,
}

/// Runs `merge`.
pub fn run(_args: Args, _ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    Err(CliError::input("not yet"))
}
