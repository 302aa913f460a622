//! `factledger recover`: set a torn last line aside so that appends can go on.

use crate::context::Context;
use crate::error::{CliError, Outcome};
use factledger_core::log::Log;

/// Set a torn last line aside so appends can go on
///
/// Moves a torn last line (the bytes a crash mid-write left after the last line end) into
/// a side file in the ledger directory, torn-line-N-TIME.ron, and cut the log back to its
/// last whole line. Nothing else changes; with no torn line it does nothing.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs `recover`.
pub fn run(_args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let dir = ctx.ledger_dir()?;
    let log = Log::in_dir(&dir);
    let stamp = ctx.now.format("%Y%m%dT%H%M%SZ").to_string();
    let moved = log.with_write_lock(|w| {
        let torn =
            w.read_stream::<CliError>(factledger_core::log::ReadMode::Parse, &mut |_| Ok(()))?;
        let Some(t) = torn else {
            return Ok::<_, CliError>(None);
        };
        let side = dir.join(format!("torn-line-{}-{stamp}.ron", t.line));
        w.set_aside_torn(&side)?;
        Ok(Some((t, side)))
    })?;
    match moved {
        Some((t, side)) => writeln!(
            ctx.out,
            "Moved the torn write from line {} ({} bytes) of {} to {}",
            t.line,
            t.bytes,
            log.path().display(),
            side.display()
        )?,
        None => writeln!(
            ctx.out,
            "No torn line: {} ends in a whole line",
            log.path().display()
        )?,
    }
    Ok(Outcome::Done)
}
