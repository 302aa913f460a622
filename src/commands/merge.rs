//! `factledger merge BASE OURS THEIRS`: the git merge driver for `log.ron`.

use std::path::PathBuf;

use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render;
use factledger_core::merge::{merge_files, MergeError};
use factledger_core::model::short_id;

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

/// Runs `merge`. Git reads a non-zero exit as a conflict and leaves OURS as it was.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let (base, ours, theirs) = (
        ctx.path(&args.base),
        ctx.path(&args.ours),
        ctx.path(&args.theirs),
    );
    let report = merge_files(&base, &ours, &theirs).map_err(|e| match e {
        MergeError::Log(l) => CliError::Log(l),
        e => CliError::input(format!("factledger merge: {e}")),
    })?;
    writeln!(
        ctx.out,
        "factledger merge: {} of theirs appended after ours{}",
        render::count(report.appended, "entry").replace("entrys", "entries"),
        if report.already > 0 {
            format!(" ({} already on ours)", report.already)
        } else {
            String::new()
        }
    )?;
    for b in &report.both_changed {
        let (current, _) = if b.theirs.2 >= b.ours.2 {
            (&b.theirs.0, "theirs")
        } else {
            (&b.ours.0, "ours")
        };
        let line = format!(
            "claim {}: both branches changed its status: ours {} (by {}, {}), theirs {} (by {}, {}); both are kept, {} (the later) is current",
            short_id(&b.claim),
            b.ours.0, b.ours.1, b.ours.2,
            b.theirs.0, b.theirs.1, b.theirs.2,
            current
        );
        writeln!(ctx.out, "{}", render::clean(&line))?;
    }
    Ok(Outcome::Done)
}
