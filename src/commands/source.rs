//! `factledger source add` and `factledger source list`.

use std::path::{Path, PathBuf};

use super::{open_with_trust, open_write_scoped, FormatArg};
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, Format, SourceRecord};
use factledger_core::claim::read_date;
use factledger_core::config::Config;
use factledger_core::files::{resolve_in, sha256_bounded};
use factledger_core::index::Scope;
use factledger_core::model::{Entry, Source};

/// Add or list sources: the documents claims come from.
#[derive(clap::Subcommand, Debug)]
pub enum SourceCommand {
    Add(AddArgs),
    List(ListArgs),
}

/// Add a source: a document claims come from
///
/// With --file, a local copy whose sha256 is recorded, so `verify` can tell if it
/// changes and check every quote against it.
#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// Short id, a slug such as asia-times-2022-05 or seed-001.
    pub id: String,
    /// The document's headline, or a short description when it has none.
    #[arg(long)]
    pub title: String,
    /// The publication or organization that published it: Dawn, Associated Press.
    #[arg(long)]
    pub outlet: Option<String>,
    /// Who wrote it, as the byline gives it.
    #[arg(long)]
    pub author: Option<String>,
    /// Where it can be read online; the HTML report links each claim's source to it.
    #[arg(long)]
    pub url: Option<String>,
    /// Publication date; may be partial: 2022, 2022-05, 2022-05-03, May 2022.
    #[arg(long, value_name = "DATE")]
    pub published: Option<String>,
    /// Why the published date is what it is when the document does not print it
    /// ("inferred: ...").
    #[arg(long, value_name = "NOTE")]
    pub published_note: Option<String>,
    /// A local copy of the document (text), relative to the working directory.
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Accept a --file outside the workspace (the directory holding ledger/); by default
    /// it is refused, since others checking the ledger cannot see it.
    #[arg(long)]
    pub allow_outside: bool,
}

/// List sources.
#[derive(clap::Args, Debug)]
pub struct ListArgs {
    #[command(flatten)]
    pub format: FormatArg,
}

/// Runs `source add` or `source list`.
pub fn run(cmd: SourceCommand, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    match cmd {
        SourceCommand::Add(a) => add(a, ctx),
        SourceCommand::List(a) => list(a, ctx),
    }
}

/// Checks a source id: a non-empty slug.
pub fn check_source_id(id: &str) -> Result<(), CliError> {
    let ok = !id.is_empty()
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        });
    if ok {
        Ok(())
    } else {
        Err(CliError::input(format!(
            "source id {id:?} is not a slug: use lowercase letters, digits and '-', such as asia-times-2022-05"
        )))
    }
}

fn add(a: AddArgs, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    check_source_id(&a.id)?;
    if a.title.trim().is_empty() {
        return Err(CliError::input(
            "--title is empty: give the document's headline or a short description",
        ));
    }
    let published = match &a.published {
        Some(p) => {
            Some(read_date(p, None).map_err(|e| CliError::input(format!("--published: {e}")))?)
        }
        None => None,
    };
    let dir = ctx.ledger_dir()?;
    let root = dir.parent().map(Path::to_path_buf).unwrap_or_default();
    let limit = Config::load(&dir)?.max_file_bytes;
    let file = match &a.file {
        Some(f) => {
            let abs = ctx.path(f);
            let stored = stored_path(&abs, &root);
            // The same rule verify and quote checks apply when they read it back.
            resolve_in(&root, &stored, a.allow_outside)
                .and_then(|p| sha256_bounded(&p, limit))
                .map(|sha| Some((stored, sha)))
                .map_err(|e| CliError::input(format!("cannot read --file: {e}")))?
        }
        None => None,
    };
    let source = Source {
        id: a.id.clone(),
        title: a.title,
        outlet: a.outlet.filter(|s| !s.is_empty()),
        author: a.author.filter(|s| !s.is_empty()),
        url: a.url.filter(|s| !s.is_empty()),
        published,
        published_note: a.published_note.filter(|s| !s.is_empty()),
        file: file.as_ref().map(|f| f.0.clone()),
        sha256: file.map(|f| f.1),
    };
    // Adding a source checks only the sources: no claim need be read.
    open_write_scoped(ctx, &Scope::default(), |ctx, ledger, _config, w| {
        ledger.check_new_source(&source.id)?;
        w.append(
            &ctx.now_text(),
            &ctx.user(),
            &[Entry::Source(source.clone())],
        )?;
        writeln!(ctx.out, "{}", source.id)?;
        Ok(Outcome::Done)
    })
}

/// How a source file's path is stored: relative to the directory holding the ledger when
/// it lies under it, so the ledger moves with its repository.
fn stored_path(abs: &Path, root: &Path) -> String {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let (abs, root) = (canon(abs), canon(root));
    match abs.strip_prefix(&root) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => abs.to_string_lossy().into_owned(),
    }
}

fn list(a: ListArgs, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let (ledger, _config, learned) = open_with_trust(ctx, None)?;
    let counts = ledger.claims_per_source();
    let trust: std::collections::HashMap<&str, _> = learned
        .table
        .iter()
        .map(|t| (t.source.as_str(), t))
        .collect();
    let recs: Vec<SourceRecord> = ledger
        .sources
        .iter()
        .map(|s| {
            let t = trust.get(s.source.id.as_str()).filter(|t| t.has_evidence());
            SourceRecord {
                trust: t.map(|t| (t.trust * 1000.0).round() / 1000.0),
                agree: t.map(|t| t.agree),
                compared: t.map(|t| t.compared),
                ..SourceRecord::of(&s.source, &counts)
            }
        })
        .collect();
    match a.format.format {
        f @ (Format::Json | Format::Jsonl) => render::write_json_as(ctx.out, f, &recs)?,
        Format::Csv => {
            let mut w = render::csv_writer(ctx.out);
            render::csv_row(
                &mut w,
                [
                    "id",
                    "title",
                    "outlet",
                    "author",
                    "url",
                    "published",
                    "published_note",
                    "file",
                    "sha256",
                    "claims",
                    "trust",
                    "agree",
                    "compared",
                ],
            )?;
            for r in &recs {
                render::csv_row(
                    &mut w,
                    [
                        r.id.to_string(),
                        r.title.to_string(),
                        r.outlet.unwrap_or_default().to_string(),
                        r.author.unwrap_or_default().to_string(),
                        r.url.unwrap_or_default().to_string(),
                        r.published.clone().unwrap_or_default(),
                        r.published_note.unwrap_or_default().to_string(),
                        r.file.unwrap_or_default().to_string(),
                        r.sha256.unwrap_or_default().to_string(),
                        r.claims.to_string(),
                        r.trust.map(|t| format!("{t:.3}")).unwrap_or_default(),
                        r.agree.map(|n| n.to_string()).unwrap_or_default(),
                        r.compared.map(|n| n.to_string()).unwrap_or_default(),
                    ],
                )?;
            }
            w.flush()?;
        }
        Format::Table if recs.is_empty() => writeln!(
            ctx.out,
            "No sources yet: add one with `factledger source add ID --title TITLE`."
        )?,
        Format::Table => write_table(ctx.out, &recs)?,
    }
    Ok(Outcome::Done)
}

/// `source list` as a table, with each source's learned trust and how many of its
/// compared claims agree with their figure's best value.
fn write_table(w: &mut dyn std::io::Write, recs: &[SourceRecord]) -> std::io::Result<()> {
    let mut t = render::table(&[
        "id",
        "title",
        "outlet",
        "published",
        "file",
        "claims",
        "trust",
        "agree",
    ]);
    for r in recs {
        let published = match (&r.published, r.published_note) {
            (Some(p), Some(_)) => format!("{p} (inferred)"),
            (Some(p), None) => p.clone(),
            (None, _) => String::new(),
        };
        render::row(
            &mut t,
            [
                r.id.to_string(),
                r.title.to_string(),
                r.outlet.unwrap_or_default().to_string(),
                published,
                r.file.unwrap_or("(none)").to_string(),
                r.claims.to_string(),
                r.trust.map(|t| format!("{t:.2}")).unwrap_or_default(),
                match (r.agree, r.compared) {
                    (Some(a), Some(c)) if c > 0 => format!("{a}/{c}"),
                    _ => String::new(),
                },
            ],
        );
    }
    writeln!(w, "{t}")?;
    writeln!(w, "{}", render::count(recs.len(), "source"))?;
    Ok(())
}
