//! `factledger import`: many claims at once, all or none.

use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use super::open_write;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use factledger_core::import::{read_rows, ImportError, Importer, InputFormat, CSV_HEADER};
use factledger_core::log::Prepared;

/// Import many claims at once, all or none
///
/// Reads a CSV file with this header (one of value, date and text set per row):
///
/// source,subject,property,value,date,text,unit,as_of,quote
///
/// or a RON file with one row per line (as
/// `extract --format ron` writes), or the JSON of `export --format json` (with its
/// sources). Every row is checked first; one bad row rejects the whole file, naming every
/// bad row, and nothing is written.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The file to import.
    pub file: PathBuf,
    /// Create a bare source (title = id) for each unknown source id instead of failing.
    #[arg(long)]
    pub create_sources: bool,
    /// The file's format, when its extension (.csv, .ron, .json) does not say.
    #[arg(long = "input-format", value_enum)]
    pub input_format: Option<FormatName>,
    /// Who logs the claims (default FACTLEDGER_USER, else git user.name, else the login name).
    #[arg(long)]
    pub by: Option<String>,
}

/// The input formats, as the command line names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatName {
    Csv,
    Ron,
    Json,
}

impl From<FormatName> for InputFormat {
    fn from(f: FormatName) -> Self {
        match f {
            FormatName::Csv => InputFormat::Csv,
            FormatName::Ron => InputFormat::Ron,
            FormatName::Json => InputFormat::Json,
        }
    }
}

/// Runs `import`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let path = ctx.path(&args.file);
    let format = args
        .input_format
        .map(InputFormat::from)
        .or_else(|| InputFormat::from_path(&path))
        .ok_or_else(|| {
            CliError::input(format!(
                "{}: cannot tell the format from the name; name it .csv, .ron or .json, or pass --input-format (CSV header: {})",
                path.display(),
                CSV_HEADER.join(",")
            ))
        })?;
    let size = std::fs::metadata(&path)
        .map_err(|source| CliError::Io {
            what: format!("cannot read {}", path.display()),
            source,
        })?
        .len();
    if let Some(by) = &args.by {
        ctx.set_user(by);
    }
    let bar = if ctx.err_is_terminal {
        let b = ProgressBar::new(size);
        b.set_style(
            ProgressStyle::with_template("importing {bar:40} {bytes}/{total_bytes} ({eta})")
                .expect("valid template"),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let summary = open_write(ctx, |ctx, ledger, config, w| {
        let tail = w.tail()?;
        let dir = ctx.ledger_dir()?;
        let spool = Prepared::spool(&tail, &dir).map_err(|source| CliError::Io {
            what: format!("cannot make a side file in {}", dir.display()),
            source,
        })?;
        let mut imp = Importer::new(
            ledger,
            config,
            args.create_sources,
            spool,
            &ctx.now_text(),
            &ctx.user(),
        );
        read_rows(&path, format, &mut imp, &|b| bar.set_position(b)).map_err(import_err)?;
        let (summary, batch) = imp.finish(&path).map_err(import_err)?;
        let warnings = name_warnings(ledger, config, &summary);
        w.commit(batch)?;
        Ok((summary, warnings))
    });
    bar.finish_and_clear();
    let (summary, warnings) = summary?;
    let c = crate::render::count;
    writeln!(
        ctx.out,
        "Imported {} from {} ({} created, {})",
        c(summary.claims, "claim"),
        c(summary.rows, "row"),
        c(summary.sources_created, "source"),
        c(summary.statuses, "status").replace("statuss", "statuses")
    )?;
    for line in warnings {
        writeln!(ctx.err, "warning: {}", crate::render::clean(&line))?;
    }
    Ok(Outcome::Done)
}

/// Warnings of subjects and properties new to the ledger, with near matches among the
/// ledger's names, once per name as `add` gives them.
fn name_warnings(
    ledger: &factledger_core::ledger::Ledger,
    config: &factledger_core::config::Config,
    summary: &factledger_core::import::ImportSummary,
) -> Vec<String> {
    let (subjects, props) = (sorted(&summary.subjects), sorted(&summary.properties));
    let mut names = factledger_core::checks::NewNames::new(ledger, config);
    let mut out = names.warn_all("subject", &subjects);
    out.extend(names.warn_all("property", &props));
    out
}

fn import_err(e: ImportError) -> CliError {
    match e {
        ImportError::Log(l) => CliError::Log(l),
        other => CliError::input(other.to_string()),
    }
}

fn sorted(set: &std::collections::HashSet<String>) -> Vec<&str> {
    let mut v: Vec<&str> = set.iter().map(String::as_str).collect();
    v.sort_unstable();
    v
}
