//! What `init --git` sets up (not a subcommand): the `.gitattributes` line that hands
//! `log.ron` to the merge driver, and the driver in git's config, so that two people
//! logging on two branches can merge.

use std::path::Path;
use std::process::Command;

use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render;

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
