//! `verify`'s checks, without the command line: the hash of every entry, the chain, the
//! sequence, claim ids, batches, each source file's sha256 and every quote. It reads the
//! log itself, never a derived index.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::log::{batch_cut_short, torn_batch, Last, Log, LogError, ReadMode, TornTail};
use scan::What;

mod chain;
mod files;
mod fold;
mod scan;

/// One thing `verify` found wrong.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Problem {
    /// The log line, when the problem is in the log.
    pub line: Option<usize>,
    /// `hash`, `chain`, `seq`, `claim-id`, `batch`, `inconsistent`, `torn`,
    /// `source-file`, `quote`.
    pub kind: &'static str,
    pub message: String,
}

/// Entries of a kind a newer version wrote: checked by hash and chain, then skipped.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct UnknownKind {
    pub kind: String,
    pub entries: usize,
    pub first_line: usize,
}

/// What `verify` found.
#[derive(Serialize, Debug)]
pub struct VerifyReport {
    pub ok: bool,
    pub entries: usize,
    pub sources: usize,
    pub claims: usize,
    pub files_checked: usize,
    pub quotes_checked: usize,
    /// Quotes of sources with no local file: they cannot be checked.
    pub quotes_unchecked: usize,
    /// Claims logged with no quote: nothing ties them to their source's words.
    pub claims_without_quote: usize,
    pub sources_without_file: Vec<String>,
    /// Entries this version cannot read (written by a newer one).
    pub unknown: Vec<UnknownKind>,
    pub problems: Vec<Problem>,
}

/// How verify reads source files.
#[derive(Clone, Copy, Debug)]
pub struct VerifyOptions {
    /// Read source files that lie outside the workspace.
    pub allow_outside: bool,
    /// The largest source file read (the ledger's `max_file_bytes`).
    pub max_file_bytes: u64,
}

/// Verifies the ledger in `dir`, calling `progress` with the entries of each chunk.
pub fn verify(
    dir: &Path,
    opts: VerifyOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<VerifyReport, LogError> {
    verify_by(dir, opts, progress, CHUNK)
}

/// How much of the log verify reads at a time: a quarter of what other readers take, as a
/// chunk's facts take about half its size again and verify keeps nothing per line. On
/// the 1M benchmark it was no slower than 16 MB and peaked at 57 MB rather than 88 MB.
const CHUNK: usize = 4 << 20;

/// [`verify`], reading the log a chunk of about `size` bytes at a time.
fn verify_by(
    dir: &Path,
    opts: VerifyOptions,
    progress: &(dyn Fn(u64) + Sync),
    size: usize,
) -> Result<VerifyReport, LogError> {
    let log = Log::in_dir(dir);
    let root = dir
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut pass = Pass {
        problems: Vec::new(),
        chain: chain::ChainCheck::new(),
        fold: fold::Fold::default(),
        quotes: files::QuoteChecks::default(),
        without_quote: 0,
        spare: Vec::new(),
        root: &root,
        opts,
        progress,
    };
    let mut torn = None;
    let rest = log.scan::<LogError>(size, &mut |chunk| {
        let mut facts = crate::log::recycle(std::mem::take(&mut pass.spare));
        scan::chunk_facts(log.path(), &chunk, &pass.fold, &mut facts)?;
        let cut = facts.iter().position(|f| match &f.what {
            What::Batch(h) => batch_cut_short(f.offset, f.len, h, chunk.whole_to),
            _ => false,
        });
        if let Some(at) = cut {
            torn = Some(torn_batch(facts[at].line, facts[at].offset, chunk.whole_to));
            facts.truncate(at);
        }
        pass.lines(&facts);
        pass.spare = crate::log::recycle(facts);
        Ok(if cut.is_some() {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        })
    })?;
    if let Some(rest) = rest {
        torn = match rest.last(log.path(), ReadMode::Verify) {
            Last::Blank => None,
            Last::Whole(line) => {
                let f = scan::of_line(*line);
                match &f.what {
                    What::Batch(h) if batch_cut_short(f.offset, f.len, h, rest.whole_to) => {
                        Some(torn_batch(f.line, f.offset, rest.whole_to))
                    }
                    _ => {
                        pass.lines(&[f]);
                        None
                    }
                }
            }
            Last::Torn(t) => Some(t),
        };
    }
    Ok(pass.report(torn))
}

/// One pass over the log: the checks in order, the fold, and the quotes.
struct Pass<'p> {
    problems: Vec<Problem>,
    chain: chain::ChainCheck,
    fold: fold::Fold,
    quotes: files::QuoteChecks,
    without_quote: usize,
    /// The memory of the last chunk's facts, for the next chunk's.
    spare: Vec<scan::Facts<'static>>,
    root: &'p Path,
    opts: VerifyOptions,
    progress: &'p (dyn Fn(u64) + Sync),
}

impl Pass<'_> {
    /// Checks and folds the next lines, in log order.
    fn lines(&mut self, facts: &[scan::Facts<'_>]) {
        (self.progress)(facts.len() as u64);
        for f in facts {
            self.chain.line(f, &mut self.problems);
            self.fold.line(f);
            if matches!(&f.what, What::Claim(c) if c.quote.is_none()) {
                self.without_quote += 1;
            }
        }
        // After the fold, so that sources added in this chunk are known.
        self.quotes.check(&self.fold, facts, self.root, self.opts);
    }

    fn report(mut self, torn: Option<TornTail>) -> VerifyReport {
        let mut problems = self.problems;
        if torn.is_none() {
            self.chain.finish(&mut problems);
        }
        let entries = self.fold.entries;
        let unknown = std::mem::take(&mut self.fold.unknown);
        let sources = std::mem::take(&mut self.fold.sources);
        let (inconsistencies, claims) = self.fold.finish();
        for inc in inconsistencies {
            problems.push(Problem {
                line: Some(inc.line),
                kind: "inconsistent",
                message: format!("line {}: {}", inc.line, inc.what),
            });
        }
        if let Some(t) = &torn {
            problems.push(Problem {
                line: Some(t.line),
                kind: "torn",
                message: format!(
                    "line {}: the log ends in a torn write ({} bytes that are not whole entries); `factledger recover` sets it aside",
                    t.line, t.bytes
                ),
            });
        }
        let files = files::check_files(&sources, self.root, self.opts, &mut problems);
        problems.extend(self.quotes.problems);
        VerifyReport {
            ok: problems.is_empty(),
            entries,
            sources: sources.len(),
            claims,
            files_checked: files.files_checked,
            quotes_checked: self.quotes.checked,
            quotes_unchecked: self.quotes.unchecked,
            claims_without_quote: self.without_quote,
            sources_without_file: files.without_file,
            unknown: unknown
                .into_iter()
                .map(|(kind, (entries, first_line))| UnknownKind {
                    kind,
                    entries,
                    first_line,
                })
                .collect(),
            problems,
        }
    }
}

#[cfg(test)]
mod tests;
