//! The checks of what the log points at: each source file's sha256, and every quote
//! against its source's file, as claims stream past.

use std::path::Path;

use rayon::prelude::*;

use super::fold::{Fold, KnownSource};
use super::scan::{ClaimFacts, Facts, What};
use super::Problem;
use super::VerifyOptions;
use crate::claim::quote_in_text;
use crate::files::{read_bounded, resolve_in, sha256_bounded};
use crate::model::short_id;

/// Quotes checked against their sources' files as the claims stream past.
#[derive(Default)]
pub(super) struct QuoteChecks {
    pub(super) checked: usize,
    pub(super) unchecked: usize,
    pub(super) problems: Vec<Problem>,
}

/// A source's file text, read on first need; `None`: no file, or unreadable (which
/// [`check_files`] reports).
fn text_of<'s>(s: &'s KnownSource, root: &Path, opts: VerifyOptions) -> Option<&'s str> {
    s.text
        .get_or_init(|| {
            let path = resolve_in(root, s.source.file.as_ref()?, opts.allow_outside).ok()?;
            let bytes = read_bounded(&path, opts.max_file_bytes).ok()?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        })
        .as_deref()
}

impl QuoteChecks {
    /// Checks the quotes of one chunk's claims, against the sources known once the
    /// chunk is folded.
    pub(super) fn check(
        &mut self,
        fold: &Fold,
        facts: &[Facts<'_>],
        root: &Path,
        opts: VerifyOptions,
    ) {
        let check = |line: usize, c: &ClaimFacts<'_>, quote: &str| {
            // A claim of an unknown source is reported as inconsistent already.
            let text = text_of(fold.claim_source(c)?, root, opts)?;
            Some((!quote_in_text(quote, text)).then(|| Problem {
                line: Some(line),
                kind: "quote",
                message: format!(
                    "line {line}: the quote of claim {} is not in source {}'s file: {quote:?}",
                    short_id(&c.id),
                    c.source
                ),
            }))
        };
        // Counted per part and joined in order, so that problems keep the log's order.
        let (checked, unchecked, problems) = facts
            .par_iter()
            .with_min_len(256)
            .fold(
                || (0, 0, Vec::new()),
                |(mut ok, mut not, mut found), f| {
                    if let What::Claim(c) = &f.what {
                        if let Some(quote) = c.quote.as_deref() {
                            match check(f.line, c, quote) {
                                None => not += 1,
                                Some(None) => ok += 1,
                                Some(Some(p)) => found.push(p),
                            }
                        }
                    }
                    (ok, not, found)
                },
            )
            .reduce(
                || (0, 0, Vec::new()),
                |(a, b, mut found), (c, d, more)| {
                    found.extend(more);
                    (a + c, b + d, found)
                },
            );
        self.checked += checked;
        self.unchecked += unchecked;
        self.problems.extend(problems);
    }
}

/// What the file checks found.
pub(super) struct FileChecks {
    pub(super) files_checked: usize,
    pub(super) without_file: Vec<String>,
}

/// Checks each source's file against the sha256 the ledger recorded.
pub(super) fn check_files(
    sources: &[KnownSource],
    root: &Path,
    opts: VerifyOptions,
    problems: &mut Vec<Problem>,
) -> FileChecks {
    let mut checks = FileChecks {
        files_checked: 0,
        without_file: Vec::new(),
    };
    for s in sources {
        let src = &s.source;
        let Some(file) = &src.file else {
            checks.without_file.push(src.id.clone());
            continue;
        };
        let line = s.line;
        let sha = resolve_in(root, file, opts.allow_outside)
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
