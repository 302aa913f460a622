//! `factledger merge BASE OURS THEIRS`: the git merge driver for `log.ron`.

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// The line that gives `log.ron` to the driver, in the ledger's own .gitattributes.
pub const ATTRIBUTES_LINE: &str = "log.ron merge=factledger";
/// The driver command, as git runs it.
pub const DRIVER: &str = "factledger merge %O %A %B";

fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, CliError> {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|source| CliError::Io {
            what: "cannot run git (is it installed?)".into(),
            source,
        })
}

/// `init --git`: the attributes line and the driver in the repository's config.
pub fn setup_git(ctx: &mut Context<'_>, dir: &Path) -> Result<Outcome, CliError> {
    let inside = git(dir, &["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() {
        let top = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(dir);
        let out = git(top, &["init", "--quiet"])?;
        if !out.status.success() {
            return Err(CliError::input(format!(
                "git init in {} failed: {}",
                top.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        let top = top.display().to_string();
        writeln!(
            ctx.out,
            "Initialized a git repository in {}",
            render::clean(&top)
        )?;
    }
    let attributes = dir.join(".gitattributes");
    let existing = std::fs::read_to_string(&attributes).unwrap_or_default();
    if !existing.lines().any(|l| l.trim() == ATTRIBUTES_LINE) {
        let sep = if existing.is_empty() || existing.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        std::fs::write(&attributes, format!("{existing}{sep}{ATTRIBUTES_LINE}\n")).map_err(
            |source| CliError::Io {
                what: format!("cannot write {}", attributes.display()),
                source,
            },
        )?;
    }
    for (key, value) in [
        (
            "merge.factledger.name",
            "factledger: append their entries re-chained",
        ),
        ("merge.factledger.driver", DRIVER),
    ] {
        let out = git(dir, &["config", key, value])?;
        if !out.status.success() {
            return Err(CliError::input(format!(
                "git config {key} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
    }
    writeln!(
        ctx.out,
        "git merges {} with `{DRIVER}` ({} holds `{ATTRIBUTES_LINE}`)",
        render::clean(&dir.join("log.ron").display().to_string()),
        render::clean(&attributes.display().to_string())
    )?;
    Ok(Outcome::Done)
}
