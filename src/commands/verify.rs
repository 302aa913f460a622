//! `factledger verify`: recompute the hash chain, check source files and quotes.

use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, Format};
use factledger_core::config::Config;
use factledger_core::log::Log;
use factledger_core::verify::{verify, VerifyOptions, VerifyReport};

/// Check the hash chain, the source files and every quote
///
/// Recompute every entry's hash and the chain in order, check each source file's sha256
/// and that every quote occurs in its source file. Exit 0 when all is well, 1 with the
/// line and what differs when not.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Read source files that lie outside the workspace (the directory holding
    /// ledger/); by default such a file is reported, not read.
    #[arg(long)]
    pub allow_outside: bool,
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

/// Runs `verify`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let signers = args.allowed_signers.as_deref();
    if let (Some(proof), Some(head)) = (&args.proof, &args.head) {
        return super::evidence::verify_proof(ctx, proof, head, signers, args.format.format);
    }
    let dir = ctx.ledger_dir()?;
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
    let opts = VerifyOptions {
        allow_outside: args.allow_outside,
        max_file_bytes: Config::load(&dir)?.max_file_bytes,
    };
    let report = verify(&dir, opts, &|n| progress.inc(n));
    progress.finish_and_clear();
    let mut report = report?;
    if let Some(head) = &args.head {
        report
            .problems
            .extend(super::evidence::check(ctx, &dir, head, signers)?);
        report.ok = report.problems.is_empty();
    }
    match args.format.format {
        f @ (Format::Json | Format::Jsonl) => render::write_json_as(ctx.out, f, &report)?,
        Format::Csv => {
            let mut w = render::csv_writer(ctx.out);
            render::csv_row(&mut w, ["line", "kind", "message"])?;
            for p in &report.problems {
                let line = p.line.map(|l| l.to_string()).unwrap_or_default();
                render::csv_row(&mut w, [line.as_str(), p.kind, &p.message])?;
            }
            w.flush()?;
            writeln!(ctx.err, "{}", render::clean(&summary_line(&report)))?;
        }
        Format::Table => {
            let path = Log::in_dir(&dir).path().display().to_string();
            write_text(ctx, &path, &report)?;
        }
    }
    Ok(if report.ok {
        Outcome::Done
    } else {
        Outcome::Findings
    })
}

/// The report for people: each problem, notes, then one summary line.
fn write_text(ctx: &mut Context<'_>, path: &str, report: &VerifyReport) -> std::io::Result<()> {
    for p in &report.problems {
        writeln!(
            ctx.out,
            "{}: {}",
            render::clean(path),
            render::clean(&p.message)
        )?;
    }
    for u in &report.unknown {
        let note = format!(
            "note: {} {} of kind {} (first on line {}) written by a newer version of factledger: hash and chain checked, otherwise skipped",
            u.entries,
            if u.entries == 1 { "entry" } else { "entries" },
            u.kind,
            u.first_line
        );
        writeln!(ctx.out, "{}", render::clean(&note))?;
    }
    writeln!(ctx.out, "{}", render::clean(&summary_line(report)))
}

/// The one-line verdict: counts of what was checked, what matched, and what could not
/// be checked (no file, no quote).
fn summary_line(report: &VerifyReport) -> String {
    let c = render::count;
    let unchecked = if report.sources_without_file.is_empty() {
        String::new()
    } else {
        format!(
            "; {} no local file, so {} ({})",
            match report.sources_without_file.len() {
                1 => "1 source has".to_string(),
                n => format!("{n} sources have"),
            },
            match report.quotes_unchecked {
                0 => "none of their claims has a quote to check".to_string(),
                1 => "1 of their quotes is unchecked".to_string(),
                n => format!("{n} of their quotes are unchecked"),
            },
            report.sources_without_file.join(", ")
        )
    };
    let no_quote = match report.claims_without_quote {
        0 => String::new(),
        1 => "; 1 claim has no quote".to_string(),
        n => format!("; {n} claims have no quote"),
    };
    format!(
        "{}: {}, {}, {} checked; {} and {} match{no_quote}{unchecked}",
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
    )
}
