//! `factledger verify`: recompute the hash chain, check source files and quotes.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::source::file_sha256;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, Format};
use factledger_core::claim::quote_in_text;
use factledger_core::ledger::Ledger;
use factledger_core::log::{Log, LogError, ReadMode, GENESIS};
use factledger_core::model::{short_id, Entry};

/// Check the hash chain, the source files and every quote
///
/// Recompute every entry's hash and the chain in order, check each source file's sha256
/// and that every quote occurs in its source file. Exit 0 when all is well, 1 with the
/// line and what differs when not.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub format: super::FormatArg,
    /// A checkpoint file (from `factledger head`) or a chain head hash: check that the
    /// ledger still holds those entries unchanged (a removed tail or a rewritten past
    /// fails), and the checkpoint's signature when it has one.
    #[arg(long, value_name = "FILE|HASH")]
    pub head: Option<String>,
    /// An OpenSSH allowed-signers file: the checkpoint must be signed by one of its keys.
    #[arg(long, value_name = "FILE", requires = "head")]
    pub allowed_signers: Option<std::path::PathBuf>,
    /// A proof from `factledger prove`: check it offline against --head, without the
    /// ledger.
    #[arg(long, value_name = "FILE", requires = "head")]
    pub proof: Option<std::path::PathBuf>,
}

/// One thing `verify` found wrong.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Problem {
    /// The log line, when the problem is in the log.
    pub line: Option<usize>,
    /// `hash`, `chain`, `seq`, `claim-id`, `inconsistent`, `torn`, `source-file`, `quote`.
    pub kind: &'static str,
    pub message: String,
}

/// What `verify --format json` prints.
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
    pub sources_without_file: Vec<String>,
    pub problems: Vec<Problem>,
}

/// Runs `verify`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let signers = args.allowed_signers.as_deref();
    if let (Some(proof), Some(head)) = (&args.proof, &args.head) {
        return super::prove::verify_proof(ctx, proof, head, signers, args.format.format);
    }
    let dir = ctx.ledger_dir()?;
    let log = Log::in_dir(&dir);
    let mut problems = Vec::new();
    let mut prev = GENESIS.to_string();
    let mut prev_line = 0;
    let mut seq = 0;
    // Each claim is looked at once, as it streams past: keep only the ids.
    let mut ledger = Ledger::index_only(&dir);
    let mut quotes = QuoteChecks::default();
    let progress = if ctx.err_is_terminal {
        let p = indicatif::ProgressBar::new_spinner();
        p.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} verifying: {pos} entries ({elapsed})",
            )
            .expect("valid template"),
        );
        p
    } else {
        indicatif::ProgressBar::hidden()
    };
    let torn = log.read_stream::<LogError>(ReadMode::Verify, &mut |lines| {
        progress.inc(lines.len() as u64);
        for l in &lines {
            let r = &l.record;
            if let Some(actual) = &l.bad_hash {
                problems.push(Problem {
                    line: Some(l.line),
                    kind: "hash",
                    message: format!(
                        "line {}: the entry's text hashes to {} but it carries {}: the entry was changed after it was written",
                        l.line, actual, r.hash
                    ),
                });
            }
            if r.prev != prev {
                problems.push(Problem {
                    line: Some(l.line),
                    kind: "chain",
                    message: if prev_line == 0 {
                        format!("line {}: the first entry's prev is {} where it should be all zeros: entries before it were removed", l.line, r.prev)
                    } else {
                        format!(
                            "line {}: prev is {} but the entry before it (line {prev_line}) has hash {prev}: an entry was removed, inserted or reordered",
                            l.line, r.prev
                        )
                    },
                });
            }
            if r.seq != seq + 1 {
                problems.push(Problem {
                    line: Some(l.line),
                    kind: "seq",
                    message: format!("line {}: sequence number {} follows {seq}", l.line, r.seq),
                });
            }
            if let Entry::Claim(c) = &r.entry {
                let computed = c.computed_id();
                if computed != c.id {
                    problems.push(Problem {
                        line: Some(l.line),
                        kind: "claim-id",
                        message: format!(
                            "line {}: claim id {} does not match its content, which hashes to {}",
                            l.line,
                            short_id(&c.id),
                            short_id(&computed)
                        ),
                    });
                }
            }
            prev.clone_from(&r.hash);
            prev_line = l.line;
            seq = r.seq;
        }
        let pending: Vec<(usize, String, String, String)> = lines
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
        quotes.check(&ledger, pending);
        Ok(())
    });
    progress.finish_and_clear();
    let torn = torn?;
    ledger.torn = torn;
    for inc in &ledger.inconsistencies {
        problems.push(Problem {
            line: Some(inc.line),
            kind: "inconsistent",
            message: format!("line {}: {}", inc.line, inc.what),
        });
    }
    if let Some(t) = &ledger.torn {
        problems.push(Problem {
            line: Some(t.line),
            kind: "torn",
            message: format!(
                "line {}: torn last line ({} bytes with no line end); `factledger recover` sets it aside",
                t.line, t.bytes
            ),
        });
    }
    let files = check_files(&ledger, &mut problems);
    problems.extend(quotes.problems);
    if let Some(head) = &args.head {
        problems.extend(super::head::check(ctx, &dir, head, signers)?);
    }
    let report = VerifyReport {
        ok: problems.is_empty(),
        entries: ledger.entries,
        sources: ledger.sources.len(),
        claims: ledger.claim_count(),
        files_checked: files.files_checked,
        quotes_checked: quotes.checked,
        quotes_unchecked: quotes.unchecked,
        sources_without_file: files.without_file,
        problems,
    };
    match args.format.format {
        Format::Json => render::write_json(ctx.out, &report)?,
        Format::Table | Format::Csv => {
            for p in &report.problems {
                writeln!(
                    ctx.out,
                    "{}: {}",
                    log.path().display(),
                    render::clean(&p.message)
                )?;
            }
            let unchecked = if report.sources_without_file.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} no local file, so {} of their quotes are unchecked ({})",
                    match report.sources_without_file.len() {
                        1 => "1 source has".to_string(),
                        n => format!("{n} sources have"),
                    },
                    report.quotes_unchecked,
                    report.sources_without_file.join(", ")
                )
            };
            let c = render::count;
            let summary = format!(
                "{}: {}, {}, {} checked; {} and {} match{unchecked}",
                if report.ok {
                    "ok".to_string()
                } else {
                    c(report.problems.len(), "problem")
                },
                c(report.entries, "entry").replace("entrys", "entries"),
                c(report.claims, "claim"),
                c(report.sources, "source"),
                c(report.files_checked, "file"),
                c(report.quotes_checked, "quote"),
            );
            writeln!(ctx.out, "{}", render::clean(&summary))?;
        }
    }
    Ok(if report.ok {
        Outcome::Done
    } else {
        Outcome::Findings
    })
}

/// Quotes checked against their sources' files as the claims stream past.
#[derive(Default)]
struct QuoteChecks {
    /// Each source's file text, read on first need; `None`: no file, or unreadable
    /// (which `check_files` reports).
    texts: HashMap<String, Option<String>>,
    checked: usize,
    unchecked: usize,
    problems: Vec<Problem>,
}

impl QuoteChecks {
    /// Checks the quotes of one chunk: (line, claim id, source, quote).
    fn check(&mut self, ledger: &Ledger, pending: Vec<(usize, String, String, String)>) {
        let root = ledger.root();
        for (_, _, source, _) in &pending {
            if !self.texts.contains_key(source) {
                let text = ledger
                    .source(source)
                    .and_then(|s| s.source.file.as_ref())
                    .and_then(|f| std::fs::read(root.join(f)).ok())
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

struct FileChecks {
    files_checked: usize,
    without_file: Vec<String>,
}

fn check_files(ledger: &Ledger, problems: &mut Vec<Problem>) -> FileChecks {
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
        let path = root.join(file);
        match file_sha256(&path) {
            Ok(sha) => {
                if src.sha256.as_deref().is_some_and(|want| want != sha) {
                    problems.push(Problem {
                        line: Some(s.stamp.line),
                        kind: "source-file",
                        message: format!(
                            "source {} (line {}): {} has changed since it was added: its sha256 is {sha}, the ledger recorded {}",
                            src.id,
                            s.stamp.line,
                            path.display(),
                            src.sha256.as_deref().unwrap_or_default()
                        ),
                    });
                } else {
                    checks.files_checked += 1;
                }
            }
            Err(e) => problems.push(Problem {
                line: Some(s.stamp.line),
                kind: "source-file",
                message: format!(
                    "source {} (line {}): cannot read {}: {e}",
                    src.id,
                    s.stamp.line,
                    path.display()
                ),
            }),
        }
    }
    checks
}
