//! The command line: the [`Cli`] definition, one [`Command`] enum, one dispatch `match`,
//! and the two ways a command opens a ledger (to read, or to write under the lock).
//! Each subcommand lives in its own file with its `Args` and its `run`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::context::{Context, Streams};
use crate::error::{CliError, Outcome};
use factledger_core::config::Config;
use factledger_core::findings::{self, LearnedTrust};
use factledger_core::index::{self, Index, IndexError, Scope};
use factledger_core::ledger::Ledger;
use factledger_core::log::{Log, LogError, ReadMode, Writer};

pub mod add;
pub mod completions;
pub mod conflicts;
pub mod evidence;
pub mod export;
pub mod extract;
pub mod filters;
pub mod git_setup;
pub mod head;
pub mod import;
pub mod init;
mod init_checks;
pub mod kept;
pub mod list;
pub mod merge;
pub mod prove;
pub mod recover;
pub mod report;
pub mod show;
pub mod source;
pub mod status;
pub mod subjects;
pub mod verify;

/// factledger: a ledger of claims and figures, hash-chained, with reports of where
/// sources disagree.
#[derive(Parser, Debug)]
#[command(name = "factledger", version, max_term_width = 100)]
pub struct Cli {
    /// The ledger directory (holding log.ron); else FACTLEDGER_DIR, else the nearest
    /// ledger/ from the working directory upward.
    #[arg(long, global = true, env = "FACTLEDGER_DIR", value_name = "DIR")]
    pub ledger: Option<PathBuf>,
    /// Print tables whole, however wide; else they fit the terminal (COLUMNS, else its
    /// width, else 100 columns) with long text cut short by …. Pipes get whole tables.
    #[arg(long, global = true)]
    pub wide: bool,
    /// Read the log itself, not the derived index in ledger/.cache/ (also
    /// FACTLEDGER_NO_INDEX=1). Answers are the same either way; the index only makes
    /// commands about one claim or one subject fast on a large ledger.
    #[arg(long, global = true, env = "FACTLEDGER_NO_INDEX", value_parser = clap::builder::FalseyValueParser::new())]
    pub no_index: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// Every subcommand.
#[derive(Subcommand, Debug)]
pub enum Command {
    Init(init::Args),
    #[command(subcommand)]
    Source(source::SourceCommand),
    Add(add::Args),
    Status(status::Args),
    List(list::Args),
    Show(show::Args),
    Subjects(subjects::Args),
    Conflicts(conflicts::Args),
    Verify(verify::Args),
    Import(import::Args),
    Export(export::Args),
    Extract(extract::Args),
    Recover(recover::Args),
    Head(head::Args),
    Prove(prove::Args),
    Merge(merge::Args),
    Report(report::Args),
    Completions(completions::Args),
}

/// Runs a parsed command line against real process state.
pub fn run_cli(
    cli: Cli,
    out: &mut dyn Write,
    err: &mut dyn Write,
    streams: Streams,
) -> Result<Outcome, CliError> {
    crate::render::set_wide(cli.wide);
    let mut ctx = Context::from_env(cli.ledger, out, err, streams.err_is_terminal)?;
    ctx.use_index = !cli.no_index;
    ctx.out_is_stdout = streams.out_is_stdout;
    run(cli.command, &mut ctx)
}

/// Runs one command.
pub fn run(command: Command, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    match command {
        Command::Init(a) => init::run(a, ctx),
        Command::Source(c) => source::run(c, ctx),
        Command::Add(a) => add::run(a, ctx),
        Command::Status(a) => status::run(a, ctx),
        Command::List(a) => list::run(a, ctx),
        Command::Show(a) => show::run(a, ctx),
        Command::Subjects(a) => subjects::run(a, ctx),
        Command::Conflicts(a) => conflicts::run(a, ctx),
        Command::Verify(a) => verify::run(a, ctx),
        Command::Import(a) => import::run(a, ctx),
        Command::Export(a) => export::run(a, ctx),
        Command::Extract(a) => extract::run(a, ctx),
        Command::Recover(a) => recover::run(a, ctx),
        Command::Head(a) => head::run(a, ctx),
        Command::Prove(a) => prove::run(a, ctx),
        Command::Merge(a) => merge::run(a, ctx),
        Command::Report(a) => report::run(a, ctx),
        Command::Completions(a) => completions::run(a, ctx),
    }
}

/// Says on stderr what a reader should know of the log's state: a torn tail, entries
/// that contradict earlier ones.
fn warn_log_state(ctx: &mut Context<'_>, ledger: &Ledger, log: &Log) -> std::io::Result<()> {
    if let Some(t) = &ledger.torn {
        writeln!(
            ctx.err,
            "warning: {}:{}: the log ends in a torn write ({} bytes that are not whole entries), which was not read; run `factledger recover` to set it aside",
            log.path().display(),
            t.line,
            t.bytes
        )?;
    }
    for (kind, (count, first)) in &ledger.unknown {
        writeln!(
            ctx.err,
            "note: {}: {count} {} of kind {kind} (first on line {first}) written by a newer version of factledger: skipped",
            log.path().display(),
            if *count == 1 { "entry" } else { "entries" },
        )?;
    }
    if !ledger.inconsistencies.is_empty() {
        writeln!(
            ctx.err,
            "warning: {} skipped (first: line {}); run `factledger verify`",
            match ledger.inconsistencies.len() {
                1 => "1 entry contradicts an earlier one and was".to_string(),
                n => format!("{n} entries contradict earlier ones and were"),
            },
            ledger.inconsistencies[0].line
        )?;
    }
    Ok(())
}

/// Opens the ledger to read: its state and its settings.
pub fn open_read(ctx: &mut Context<'_>) -> Result<(Ledger, Config), CliError> {
    let dir = ctx.ledger_dir()?;
    let log = Log::in_dir(&dir);
    let config = Config::load(&dir)?;
    let ledger = Ledger::load(&dir, |sink| {
        log.read_stream::<LogError>(ReadMode::Parse, sink)
    })?;
    warn_log_state(ctx, &ledger, &log)?;
    Ok((ledger, config))
}

/// Opens the ledger to write: takes the exclusive lock, reads the state, refuses a torn
/// tail, and hands `f` the state and the appender.
pub fn open_write<T>(
    ctx: &mut Context<'_>,
    f: impl FnOnce(&mut Context<'_>, &Ledger, &Config, &mut Writer<'_>) -> Result<T, CliError>,
) -> Result<T, CliError> {
    open_write_in(ctx, None, f)
}

/// Opens the ledger to read only what `scope` asks for (every source, the claims of
/// its subjects and id prefixes, and what the whole ledger knows of names and counts),
/// through the derived index when it can be used, else by reading the whole log.
pub fn open_scoped(ctx: &mut Context<'_>, scope: &Scope) -> Result<(Ledger, Config), CliError> {
    if !ctx.use_index {
        return open_read(ctx);
    }
    let dir = ctx.ledger_dir()?;
    let log = Log::in_dir(&dir);
    let config = Config::load(&dir)?;
    let read =
        log.with_read_lock(|file| Index::level(&dir, log.path(), file)?.ledger(&dir, file, scope));
    match read {
        Ok(ledger) => {
            warn_log_state(ctx, &ledger, &log)?;
            Ok((ledger, config))
        }
        // The index only speeds reads: the log is the truth, and read whole it says
        // what is wrong with itself in its own words.
        Err(_) => open_read(ctx),
    }
}

/// Opens the ledger with source trust learned over the whole of it: for a report on
/// one claim's figure (`show`, given the claim's id or prefix: the claim and every claim
/// of its subject are read) or on the sources alone (`source list`, given none).
/// Through the index: trust it keeps for the log as it stands, else trust learned from
/// compact claims read from the whole log (and kept for next time).
pub fn open_with_trust(
    ctx: &mut Context<'_>,
    claim: Option<&str>,
) -> Result<(Ledger, Config, LearnedTrust), CliError> {
    let dir = ctx.ledger_dir()?;
    let log = Log::in_dir(&dir);
    let config = Config::load(&dir)?;
    if ctx.use_index {
        let read = log.with_read_lock(|file| -> Result<_, IndexError> {
            let mut index = Index::level(&dir, log.path(), file)?;
            let trust = match index.trust(&config)? {
                Some(t) => t,
                None => {
                    // Learned over the whole log from compact claims, and kept.
                    let (_, store) = findings::Store::read(&dir, log.path(), file)?;
                    let t = findings::learn_trust_in(&store, &config);
                    drop(store);
                    index.keep_trust(&config, &t)?;
                    t
                }
            };
            // The claim (an unknown or ambiguous prefix is reported from what is read)
            // and every claim of its subject.
            let scope = Scope {
                prefixes: claim.map(str::to_string).into_iter().collect(),
                prefix_subjects: true,
                ..Scope::default()
            };
            Ok((index.ledger(&dir, file, &scope)?, trust))
        });
        if let Ok((ledger, trust)) = read {
            warn_log_state(ctx, &ledger, &log)?;
            return Ok((ledger, config, trust));
        }
    }
    // Without the index (or when it cannot be used): the whole ledger, as ever.
    let (ledger, config) = open_read(ctx)?;
    let trust = findings::learn_trust(&ledger, &config);
    Ok((ledger, config, trust))
}

/// [`open_write`] reading only what `scope` asks for, through the index (see
/// [`open_scoped`]), and bringing the index level after the write is durable.
pub fn open_write_scoped<T>(
    ctx: &mut Context<'_>,
    scope: &Scope,
    f: impl FnOnce(&mut Context<'_>, &Ledger, &Config, &mut Writer<'_>) -> Result<T, CliError>,
) -> Result<T, CliError> {
    let scope = ctx.use_index.then_some(scope);
    open_write_in(ctx, scope, f)
}

fn open_write_in<T>(
    ctx: &mut Context<'_>,
    scope: Option<&Scope>,
    f: impl FnOnce(&mut Context<'_>, &Ledger, &Config, &mut Writer<'_>) -> Result<T, CliError>,
) -> Result<T, CliError> {
    let dir = ctx.ledger_dir()?;
    let signals = crate::signals::Signals::install();
    let log = Log::in_dir(&dir).with_cancel(signals.cancel, signals.outside_write);
    let config = Config::load(&dir)?;
    log.with_write_lock(|w| {
        let mut index = scope.and_then(|s| {
            let index = Index::level(&dir, log.path(), w.file()).ok()?;
            let ledger = index.ledger(&dir, w.file(), s).ok()?;
            Some((index, ledger))
        });
        let ledger = match index.as_mut().map(|(_, l)| std::mem::take(l)) {
            Some(l) => l,
            None => Ledger::load(&dir, |sink| {
                w.read_stream::<LogError>(ReadMode::Parse, sink)
            })?,
        };
        if let Some(t) = &ledger.torn {
            return Err(CliError::Log(LogError::Torn {
                path: log.path().to_path_buf(),
                line: t.line,
                bytes: t.bytes,
            }));
        }
        warn_log_state(ctx, &ledger, &log)?;
        let out = f(ctx, &ledger, &config, w)?;
        // The log is durable: a failure here only leaves the index behind, and the next
        // reader catches it up.
        match index {
            Some((mut index, _)) => {
                let _ = index.appended(w.file());
            }
            // A write that read the whole log (an import, say) still brings an index
            // that exists level, so that the next reader need not.
            None if ctx.use_index && index::exists(&dir) => {
                let _ = Index::level(&dir, log.path(), w.file());
            }
            None => {}
        }
        Ok(out)
    })
}

/// The `--format` option of commands that print records.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct FormatArg {
    /// How to print: a table for people; JSON, JSON lines (one object per line, for
    /// streams and jq) or CSV for programs.
    #[arg(long, value_enum, default_value_t = crate::render::Format::Table)]
    pub format: crate::render::Format,
}

/// Reads a status name as the core spells it; clap lists the names in help and errors.
pub fn status_parser(
) -> impl clap::builder::TypedValueParser<Value = factledger_core::model::Status> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(
        factledger_core::model::Status::ALL.map(|s| s.as_str()),
    )
    .try_map(|s| s.parse::<factledger_core::model::Status>())
}
