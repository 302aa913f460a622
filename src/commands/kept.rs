//! Reports reused from the index (`ledger/.cache/`): a whole report's output kept for
//! the log as it stands is replayed instead of recomputed, and a report on one subject
//! reads only that subject with trust the index kept. Anything the index cannot vouch
//! for is a miss, and the caller computes the report from the log.

use std::io::Write;
use std::path::Path;

use crate::context::Context;
use crate::error::CliError;
use factledger_core::config::Config;
use factledger_core::findings::LearnedTrust;
use factledger_core::index::{Index, IndexError, OutputKeeper, Scope};
use factledger_core::ledger::Ledger;
use factledger_core::log::Log;

/// Writes the output `name` kept for the log as it stands, with its warnings and
/// stderr, and says whether it found what `--exit-code` asks about; `None` when nothing
/// is kept for it (nothing is written then).
pub fn replay(
    ctx: &mut Context<'_>,
    dir: &Path,
    log: &Log,
    config: &Config,
    name: &str,
) -> Result<Option<bool>, CliError> {
    let kept = log.with_read_lock(|file| -> Result<_, IndexError> {
        // Only an index that exists: building one is not worth it for this.
        if !dir.join(factledger_core::index::CACHE_DIR).is_dir() {
            return Ok(None);
        }
        let index = Index::level(dir, log.path(), file)?;
        let Some(kept) = index.kept_output(name, config)? else {
            return Ok(None);
        };
        // The log's own state (a torn tail, skipped entries) is warned of as ever.
        let state = index.ledger(dir, file, &Scope::default())?;
        Ok(Some((kept, state)))
    });
    let Ok(Some((mut kept, state))) = kept else {
        return Ok(None);
    };
    super::warn_log_state(ctx, &state, log)?;
    std::io::copy(&mut kept.body, ctx.out)?;
    ctx.err.write_all(kept.stderr.as_bytes())?;
    Ok(Some(kept.found))
}

/// Where a whole report's output is written besides stdout, to keep in the index;
/// only when the index exists and is level with the log (no work is added).
pub fn keeper(dir: &Path, log: &Log, config: &Config, name: &str) -> Option<(Index, OutputKeeper)> {
    log.with_read_lock(|file| -> Result<_, IndexError> {
        let Some(index) = Index::if_current(dir, log.path(), file) else {
            return Ok(None);
        };
        let keeper = index.keep_output(name, config)?;
        Ok(Some((index, keeper)))
    })
    .ok()
    .flatten()
}

/// Keeps trust learned over the whole ledger in its index, if the index exists and is
/// level with the log.
pub fn keep_trust(dir: &Path, log: &Log, config: &Config, trust: &LearnedTrust) {
    let _ = log.with_read_lock(|file| -> Result<(), IndexError> {
        if let Some(mut index) = Index::if_current(dir, log.path(), file) {
            index.keep_trust(config, trust)?;
        }
        Ok(())
    });
}

/// One subject's claims (and every source) read through the index, with the trust it
/// keeps for the log as it stands; `None` when it keeps none (or cannot be used).
pub fn subject_with_trust(
    dir: &Path,
    log: &Log,
    config: &Config,
    subject: &str,
) -> Option<(Ledger, LearnedTrust)> {
    log.with_read_lock(|file| -> Result<_, IndexError> {
        // Only an index that exists: building one is not worth it for one report.
        if !dir.join(factledger_core::index::CACHE_DIR).is_dir() {
            return Ok(None);
        }
        let index = Index::level(dir, log.path(), file)?;
        let Some(trust) = index.trust(config)? else {
            return Ok(None);
        };
        let scope = Scope {
            subjects: vec![subject.to_string()],
            ..Scope::default()
        };
        Ok(Some((index.ledger(dir, file, &scope)?, trust)))
    })
    .ok()
    .flatten()
}

/// Writes to two places: stdout and what is kept.
pub struct Tee<'a> {
    pub out: &'a mut dyn Write,
    pub copy: Option<&'a mut OutputKeeper>,
}

impl Write for Tee<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write_all(buf)?;
        if let Some(c) = self.copy.as_mut() {
            c.write_all(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()?;
        if let Some(c) = self.copy.as_mut() {
            c.flush()?;
        }
        Ok(())
    }
}
