//! The checks of what the log points at: each source file's sha256, and every quote
//! against its source's file, as claims stream past.

use std::collections::HashMap;

use rayon::prelude::*;

use super::Problem;
use super::VerifyOptions;
use crate::claim::quote_in_text;
use crate::files::{read_bounded, resolve_in, sha256_bounded};
use crate::ledger::Ledger;
use crate::model::short_id;

/// A claim's quote waiting to be checked: (line, claim id, source, quote).
pub(super) type PendingQuote = (usize, String, String, String);

/// Quotes checked against their sources' files as the claims stream past.
#[derive(Default)]
pub(super) struct QuoteChecks {
    /// Each source's file text, read on first need; `None`: no file, or unreadable
    /// (which [`check_files`] reports).
    texts: HashMap<String, Option<String>>,
    pub(super) checked: usize,
    pub(super) unchecked: usize,
    pub(super) problems: Vec<Problem>,
}

impl QuoteChecks {
    /// Checks the quotes of one chunk.
    pub(super) fn check(
        &mut self,
        ledger: &Ledger,
        pending: Vec<PendingQuote>,
        opts: VerifyOptions,
    ) {
        let root = ledger.root();
        for (_, _, source, _) in &pending {
            if !self.texts.contains_key(source) {
                let text = ledger
                    .source(source)
                    .and_then(|s| s.source.file.as_ref())
                    .and_then(|f| resolve_in(&root, f, opts.allow_outside).ok())
                    .and_then(|p| read_bounded(&p, opts.max_file_bytes).ok())
                    .map(|b| String::from_utf8_lossy(&b).into_owned());
                self.texts.insert(source.clone(), text);
            }
        }
        let texts = &self.texts;
        let results: Vec<Option<Option<Problem>>> = pending
            .par_iter()
            .map(|(line, id, source, quote)| {
                // A claim of an unknown source is reported as inconsistent already.
                let text = texts.get(source)?.as_ref()?;
                Some((!quote_in_text(quote, text)).then(|| Problem {
                    line: Some(*line),
                    kind: "quote",
                    message: format!(
                        "line {line}: the quote of claim {} is not in source {source}'s file: {quote:?}",
                        short_id(id)
                    ),
                }))
            })
            .collect();
        for r in results {
            match r {
                None => self.unchecked += 1,
                Some(None) => self.checked += 1,
                Some(Some(p)) => self.problems.push(p),
            }
        }
    }
}

/// What the file checks found.
pub(super) struct FileChecks {
    pub(super) files_checked: usize,
    pub(super) without_file: Vec<String>,
}

/// Checks each source's file against the sha256 the ledger recorded.
pub(super) fn check_files(
    ledger: &Ledger,
    opts: VerifyOptions,
    problems: &mut Vec<Problem>,
) -> FileChecks {
    let root = ledger.root();
    let mut checks = FileChecks {
        files_checked: 0,
        without_file: Vec::new(),
    };
    for s in &ledger.sources {
        let src = &s.source;
        let Some(file) = &src.file else {
            checks.without_file.push(src.id.clone());
            continue;
        };
        let line = s.stamp.line;
        let sha = resolve_in(&root, file, opts.allow_outside)
            .and_then(|path| sha256_bounded(&path, opts.max_file_bytes));
        match sha {
            Ok(sha) if src.sha256.as_deref().is_some_and(|want| want != sha) => {
                problems.push(Problem {
                    line: Some(line),
                    kind: "source-file",
                    message: format!(
                        "source {} (line {line}): {file} has changed since it was added: its sha256 is {sha}, the ledger recorded {}",
                        src.id,
                        src.sha256.as_deref().unwrap_or_default()
                    ),
                });
            }
            Ok(_) => checks.files_checked += 1,
            Err(e) => problems.push(Problem {
                line: Some(line),
                kind: "source-file",
                message: format!("source {} (line {line}): cannot read its file: {e}", src.id),
            }),
        }
    }
    checks
}
