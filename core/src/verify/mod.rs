//! `verify`'s checks, without the command line: the hash of every entry, the chain, the
//! sequence, claim ids, batches, each source file's sha256 and every quote. It reads the
//! log itself, never a derived index.

use std::path::Path;

use serde::Serialize;

use crate::ledger::Ledger;
use crate::log::{Log, LogError, ReadMode};
use crate::model::Entry;

mod chain;
mod files;

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
    let log = Log::in_dir(dir);
    let mut problems = Vec::new();
    let mut chain = chain::ChainCheck::new();
    // Each claim is looked at once, as it streams past: keep only the ids.
    let mut ledger = Ledger::index_only(dir);
    let mut quotes = files::QuoteChecks::default();
    let mut without_quote = 0;
    let torn = log.read_stream::<LogError>(ReadMode::Verify, &mut |lines| {
        progress(lines.len() as u64);
        for l in &lines {
            chain.line(l, &mut problems);
        }
        without_quote += lines
            .iter()
            .filter(|l| matches!(&l.record.entry, Entry::Claim(c) if c.quote.is_none()))
            .count();
        let pending: Vec<files::PendingQuote> = lines
            .iter()
            .filter_map(|l| match &l.record.entry {
                Entry::Claim(c) => c
                    .quote
                    .as_ref()
                    .map(|q| (l.line, c.id.clone(), c.source.clone(), q.clone())),
                _ => None,
            })
            .collect();
        ledger.push_lines(lines);
        // After the fold, so that sources added in this chunk are known.
        quotes.check(&ledger, pending, opts);
        Ok(())
    })?;
    if torn.is_none() {
        chain.finish(&mut problems);
    }
    for inc in &ledger.inconsistencies {
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
    let files = files::check_files(&ledger, opts, &mut problems);
    problems.extend(quotes.problems);
    Ok(VerifyReport {
        ok: problems.is_empty(),
        entries: ledger.entries,
        sources: ledger.sources.len(),
        claims: ledger.claim_count(),
        files_checked: files.files_checked,
        quotes_checked: quotes.checked,
        quotes_unchecked: quotes.unchecked,
        claims_without_quote: without_quote,
        sources_without_file: files.without_file,
        unknown: ledger
            .unknown
            .iter()
            .map(|(kind, &(entries, first_line))| UnknownKind {
                kind: kind.clone(),
                entries,
                first_line,
            })
            .collect(),
        problems,
    })
}
