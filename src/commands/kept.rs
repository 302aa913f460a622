//! Reports reused from the index (`ledger/.cache/`): a whole report's output kept for
//! the log as it stands is replayed instead of recomputed, and a report on one subject
//! reads only that subject with trust the index kept. Anything the index cannot vouch
//! for is a miss, and the caller computes the report from the log.

use std::io::{Read, Write};
use std::path::Path;

use crate::context::Context;
use crate::error::CliError;
use factledger_core::config::Config;
use factledger_core::findings::LearnedTrust;
use factledger_core::index::{self, Index, IndexError, OutputKeeper, Scope};
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
        if !index::exists(dir) {
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
    if ctx.out_is_stdout && is_plain_file(&std::io::stdout()) {
        // Copied in the kernel (copy_file_range), once what is buffered is out.
        ctx.out.flush()?;
        std::io::copy(&mut kept.body, &mut std::io::stdout().lock())?;
    } else {
        copy_in_blocks(&mut kept.body, ctx.out)?;
    }
    // The report first, then its summary, when both go to one place (`2>&1`).
    ctx.out.flush()?;
    ctx.err.write_all(kept.stderr.as_bytes())?;
    Ok(Some(kept.found))
}

/// Whether `fd` is a regular file opened to write in place, not to append: the one
/// output std::io::copy copies to in the kernel (copy_file_range), where it copies to a
/// pipe or an appended file through 8 KB at a time.
fn is_plain_file(fd: &impl std::os::fd::AsFd) -> bool {
    let regular = rustix::fs::fstat(fd).is_ok_and(|st| {
        rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::RegularFile
    });
    regular
        && rustix::fs::fcntl_getfl(fd)
            .is_ok_and(|flags| !flags.contains(rustix::fs::OFlags::APPEND))
}

/// Copies `from` to `to` a megabyte at a time: a kept report of hundreds of megabytes
/// is copied in hundreds of reads and writes, where a copy through a small buffer
/// (`to` is a writer of any kind) makes tens of thousands of each.
fn copy_in_blocks(from: &mut impl Read, to: &mut dyn Write) -> std::io::Result<()> {
    let mut block = vec![0u8; 1 << 20];
    loop {
        match from.read(&mut block) {
            Ok(0) => return Ok(()),
            Ok(n) => to.write_all(&block[..n])?,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// What a report computed from the whole log keeps in the index: the trust it learns
/// and, for a whole report, its output. Started under the same shared lock as the read
/// of the log, so that what is kept is tied to the log that was read, even when a write
/// brings the index level with a longer log before the report is done.
pub struct Keep {
    index: Index,
    /// What the index covered when the log was read.
    learned_from: String,
    pub output: Option<OutputKeeper>,
}

impl Keep {
    /// Only for an index that exists and is level with the log `file` as it stands (no
    /// work is added); `output` names the output to keep, if any.
    pub fn start(
        dir: &Path,
        log: &Log,
        file: &std::fs::File,
        config: &Config,
        output: Option<&str>,
    ) -> Option<Keep> {
        let index = Index::if_current(dir, log.path(), file)?;
        let learned_from = index.learned_from(config).ok()?;
        let output = output.and_then(|n| index.keep_output(n, config).ok());
        Some(Keep {
            index,
            learned_from,
            output,
        })
    }

    /// Keeps the trust, and the output with its stderr and whether it found an
    /// unsettled conflict when `whole` says it was written whole. Failures only mean
    /// nothing is kept.
    pub fn finish(self, trust: &LearnedTrust, whole: Option<(&str, bool)>) {
        let Keep {
            mut index,
            learned_from,
            output,
        } = self;
        let _ = index.keep_trust_as(&learned_from, trust);
        if let (Some(out), Some((stderr, found))) = (output, whole) {
            let _ = index.kept(out, stderr, found);
        }
    }
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
        if !index::exists(dir) {
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

/// Writes to stdout and to what is kept. The copy only saves later work: when it
/// cannot be written (a full disk), it is dropped and stdout goes on.
pub struct Tee<'a> {
    out: &'a mut dyn Write,
    copy: Option<&'a mut OutputKeeper>,
    failed: bool,
}

impl<'a> Tee<'a> {
    pub fn new(out: &'a mut dyn Write, copy: Option<&'a mut OutputKeeper>) -> Tee<'a> {
        Tee {
            out,
            copy,
            failed: false,
        }
    }

    /// Whether the copy holds everything written to stdout.
    pub fn copied_whole(&mut self) -> bool {
        let flushed = self.copy.as_mut().is_some_and(|c| c.flush().is_ok());
        flushed && !self.failed
    }
}

impl Write for Tee<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write_all(buf)?;
        if let Some(c) = self.copy.as_mut() {
            if c.write_all(buf).is_err() {
                self.failed = true;
                self.copy = None;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::copy_in_blocks;

    #[test]
    fn a_copy_in_blocks_is_the_source_byte_for_byte_across_blocks() {
        let body: Vec<u8> = (0..(5 << 20) / 2 + 7).map(|i| (i % 251) as u8).collect();
        let mut copied = Vec::new();
        copy_in_blocks(&mut &body[..], &mut copied).unwrap();
        assert_eq!(copied.len(), body.len());
        assert!(copied == body);
        let mut none = Vec::new();
        copy_in_blocks(&mut &b""[..], &mut none).unwrap();
        assert!(none.is_empty());
    }
}
