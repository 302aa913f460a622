//! `factledger init`: create a ledger directory with an empty log and default settings.

use std::path::PathBuf;

use crate::context::Context;
use crate::error::{CliError, Outcome};
use factledger_core::config::{Config, CONFIG_FILE};
use factledger_core::log::{Log, LOG_FILE};

/// Create a ledger: a directory with an empty log
///
/// DIR (default ./ledger, or --ledger) with an empty log.ron and a config.ron holding
/// the default settings.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The ledger directory to create.
    pub dir: Option<PathBuf>,
    /// Also set git up to merge the log: `log.ron merge=factledger` in the ledger's
    /// .gitattributes and `git config merge.factledger.driver "factledger merge %O %A
    /// %B"` (running `git init` first when the ledger is in no repository). On an
    /// existing ledger, only does this.
    #[arg(long)]
    pub git: bool,
    /// Create the ledger even where it would hide another one (a ledger/ folder below a
    /// folder that already has one, which commands run below it would find first).
    #[arg(long)]
    pub nested: bool,
}

/// Runs `init`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let dir = ctx.path(
        &args
            .dir
            .clone()
            .or_else(|| ctx.ledger.clone())
            .unwrap_or_else(|| PathBuf::from("ledger")),
    );
    if args.git && dir.join(LOG_FILE).exists() {
        return super::git_setup::setup_git(ctx, &dir);
    }
    if dir.join(LOG_FILE).exists() {
        return Err(CliError::input(format!(
            "{} already holds a ledger ({LOG_FILE} exists); nothing was changed",
            dir.display()
        )));
    }
    if !args.nested {
        if let Some(msg) = super::init_checks::hides_another(&dir) {
            return Err(CliError::input(msg));
        }
    }
    std::fs::create_dir_all(&dir).map_err(|source| CliError::Io {
        what: format!("cannot create {}", dir.display()),
        source,
    })?;
    let config = dir.join(CONFIG_FILE);
    if !config.exists() {
        std::fs::write(&config, Config::default_file_text()).map_err(|source| CliError::Io {
            what: format!("cannot write {}", config.display()),
            source,
        })?;
    }
    Log::in_dir(&dir).create()?;
    let shown = dir.display().to_string();
    writeln!(
        ctx.out,
        "Initialized empty ledger in {}",
        crate::render::clean(&shown)
    )?;
    if let Some(how) = super::init_checks::how_to_use(&ctx.cwd, &dir, args.dir.as_deref()) {
        writeln!(ctx.out, "{}", crate::render::clean(&how))?;
    }
    if args.git {
        return super::git_setup::setup_git(ctx, &dir);
    }
    Ok(Outcome::Done)
}
