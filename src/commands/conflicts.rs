//! `factledger conflicts`: where sources disagree, and tolls revised over time.

mod json;

use super::kept;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, Format};
use factledger_core::config::Config;
use factledger_core::findings::{
    self, picture, Direction, Estimate, Finding, Kind, NotCompared, Sink, Store, Totals,
};
use factledger_core::log::Log;
use json::Json;

/// Report where sources disagree, and tolls revised over time
///
/// One finding per figure (subject + property + unit group) whose claims disagree:
/// a conflict when some counted claim is stale, an outlier or conflicting, a revision
/// when a cumulative figure moved over time and every claim fits its timeline. Claims
/// are listed in as-of order with their role, one line per claim that has to be wrong,
/// and an estimate whose best value comes from a verified claim, else the latest
/// confirmed revision (tolls), else the vote of the sources weighted by the trust
/// learned across the whole ledger. Worst first.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Only findings about this subject; one the ledger does not hold is refused (exit 2)
    /// with near matches.
    #[arg(long)]
    pub subject: Option<String>,
    /// Only findings of this property; one the ledger does not hold is refused (exit 2).
    #[arg(long)]
    pub property: Option<String>,
    /// Exit 1 when an unsettled conflict is found.
    #[arg(long)]
    pub exit_code: bool,
    #[command(flatten)]
    pub format: super::FormatArg,
}

/// Runs `conflicts`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let dir = ctx.ledger_dir()?;
    let log = Log::in_dir(&dir);
    let config = Config::load(&dir)?;
    let filter = (args.subject.as_deref(), args.property.as_deref());
    // A whole report for programs is what a large ledger spends its time writing: the
    // index keeps it for the log as it stands.
    let kept_name = match args.format.format {
        Format::Json => Some("conflicts-json"),
        Format::Jsonl => Some("conflicts-jsonl"),
        _ => None,
    }
    .filter(|_| ctx.use_index && filter == (None, None));
    if let Some(name) = kept_name {
        if let Some(found) = kept::replay(ctx, &dir, &log, &config, name)? {
            return Ok(outcome(args.exit_code, found));
        }
    }
    let mut printer = Printer::new(args.format.format);
    let spare = Spare::default();
    let one = filter.0.filter(|_| ctx.use_index);
    let totals = match one.and_then(|s| kept::subject_with_trust(&dir, &log, &config, s)) {
        Some((ledger, trust)) => {
            super::warn_log_state(ctx, &ledger, &log)?;
            let out = &mut *ctx.out;
            let format = printer.format;
            let sink = Sink {
                render: &|run: &mut Run, n, f| run.add(format, n, f, &spare),
                emit: &mut |b| printer.batch(&mut *out, b, &spare),
            };
            let totals = findings::stream_with_trust(&ledger, &config, filter, &trust, sink)?;
            let known = (ledger.subjects(), ledger.properties());
            check_if_none(totals.findings, &known, &config, filter)?;
            printer.finish(&mut *ctx.out)?;
            totals
        }
        None => whole(
            ctx,
            (&dir, &log, &config),
            filter,
            kept_name,
            (&mut printer, &spare),
        )?,
    };
    let (text, found) = summary_text(&totals, printer.format);
    if printer.format == Format::Table {
        write_not_compared(ctx.out, &totals.not_compared)?;
        ctx.out.write_all(text.as_bytes())?;
    } else {
        // The report first, then its summary, when both go to one place (`2>&1`).
        ctx.out.flush()?;
        ctx.err.write_all(text.as_bytes())?;
    }
    Ok(outcome(args.exit_code, found))
}

/// The report from the whole log, written as it is made. When the index exists and is
/// level with the log as read (checked under the same lock as the read), the trust
/// learned is kept in it, and so is the output `kept_name` if given and written whole.
fn whole(
    ctx: &mut Context<'_>,
    (dir, log, config): (&std::path::Path, &Log, &Config),
    (subject, property): (Option<&str>, Option<&str>),
    kept_name: Option<&str>,
    (printer, spare): (&mut Printer, &Spare),
) -> Result<Totals, CliError> {
    // Only what findings need is kept of each claim (not the whole folded ledger).
    let use_index = ctx.use_index;
    let (ledger, store, keep) = log.with_read_lock(|file| -> Result<_, CliError> {
        let keep = use_index
            .then(|| kept::Keep::start(dir, log, file, config, kept_name))
            .flatten();
        let (ledger, store) = Store::read(dir, log.path(), file)?;
        Ok((ledger, store, keep))
    })?;
    super::warn_log_state(ctx, &ledger, log)?;
    let mut keep = keep;
    let mut out = kept::Tee::new(&mut *ctx.out, keep.as_mut().and_then(|k| k.output.as_mut()));
    let format = printer.format;
    let sink = Sink {
        render: &|run: &mut Run, n, f| run.add(format, n, f, spare),
        emit: &mut |batch| printer.batch(&mut out, batch, spare),
    };
    let totals = findings::stream(&store, config, subject, property, sink)?;
    let known = (store.subjects(), store.properties());
    check_if_none(totals.findings, &known, config, (subject, property))?;
    printer.finish(&mut out)?;
    let whole_copy = out.copied_whole();
    if let Some(keep) = keep {
        let (text, found) = summary_text(&totals, printer.format);
        keep.finish(
            &totals.learned(),
            whole_copy.then_some((text.as_str(), found)),
        );
    }
    Ok(totals)
}

/// No findings may be a typo: refuses a name the ledger does not hold.
fn check_if_none(
    found: usize,
    (subjects, properties): &(Vec<&str>, Vec<&str>),
    config: &Config,
    (subject, property): (Option<&str>, Option<&str>),
) -> Result<(), CliError> {
    if found > 0 {
        return Ok(());
    }
    super::filters::check_names_in(subjects, properties, config, subject, property)
}

/// The summary line (and, for programs' formats, the figures not compared) and whether
/// an unsettled conflict was found.
fn summary_text(t: &Totals, format: Format) -> (String, bool) {
    let n = |k: usize, word: &str| format!("{k} {word}{}", if k == 1 { "" } else { "s" });
    let mut text = format!(
        "{}: {} ({} settled), {}; {} compared\n",
        n(t.findings, "finding"),
        n(t.conflicts, "conflict"),
        t.conflicts - t.unsettled,
        n(t.findings - t.conflicts, "revision"),
        n(t.claims_compared, "claim")
    );
    if format != Format::Table {
        let mut buf = Vec::new();
        let _ = write_not_compared(&mut buf, &t.not_compared);
        text.push_str(&String::from_utf8_lossy(&buf));
    }
    (text, t.unsettled > 0)
}

fn outcome(exit_code: bool, found: bool) -> Outcome {
    if exit_code && found {
        Outcome::Findings
    } else {
        Outcome::Done
    }
}

/// Prints findings as they come, a batch at a time, each already rendered (on the
/// worker that built it). The bytes are those of the whole list printed at once.
struct Printer {
    format: Format,
    /// Findings printed so far.
    printed: usize,
}

impl Printer {
    fn new(format: Format) -> Printer {
        Printer { format, printed: 0 }
    }

    /// Writes a batch of runs, and hands their buffers to `spare` for later runs.
    fn batch(
        &mut self,
        out: &mut dyn std::io::Write,
        batch: Vec<Run>,
        spare: &Spare,
    ) -> Result<(), CliError> {
        for run in batch {
            if let Some(e) = run.failed {
                return Err(e.into());
            }
            if run.findings == 0 {
                spare.give(run.buf);
                continue;
            }
            if self.printed == 0 {
                self.open(out)?;
            } else if self.format == Format::Json {
                // Runs are rendered apart: the comma between two is written here, so
                // the array holds whatever findings came, numbered as they may be.
                out.write_all(b",")?;
            }
            self.printed += run.findings;
            out.write_all(&run.buf)?;
            spare.give(run.buf);
        }
        Ok(())
    }

    /// What comes before the first finding: JSON's `[`, CSV's header.
    fn open(&self, out: &mut dyn std::io::Write) -> Result<(), CliError> {
        match self.format {
            Format::Json => out.write_all(b"[")?,
            Format::Csv => {
                let mut w = render::csv_writer(out);
                render::csv_row(&mut w, CSV_HEADER)?;
                w.flush()?;
            }
            Format::Jsonl | Format::Table => {}
        }
        Ok(())
    }

    /// What comes after the last finding (or stands for none).
    fn finish(&mut self, out: &mut dyn std::io::Write) -> Result<(), CliError> {
        match (self.format, self.printed) {
            (Format::Json, 0) => out.write_all(b"[]\n")?,
            (Format::Json, _) => out.write_all(b"\n]\n")?,
            (Format::Csv, 0) => self.open(out)?,
            _ => {}
        }
        Ok(())
    }
}

/// Findings in a row rendered into one buffer, by the worker that built them.
#[derive(Default)]
struct Run {
    buf: Vec<u8>,
    findings: usize,
    /// What stopped the rendering (writing into memory fails only for a bad value).
    failed: Option<std::io::Error>,
}

impl Run {
    /// Adds the `n`th finding of the report (from 1) as `format` prints it, in a
    /// buffer from `spare` when it is the run's first.
    fn add(&mut self, format: Format, n: usize, f: &Finding, spare: &Spare) {
        if self.failed.is_some() {
            return;
        }
        if self.buf.capacity() == 0 {
            self.buf = spare.take();
        }
        if format == Format::Json && self.findings > 0 {
            self.buf.push(b',');
        }
        match render_one(&mut self.buf, format, n, f) {
            Ok(()) => self.findings += 1,
            Err(e) => self.failed = Some(std::io::Error::other(e.to_string())),
        }
    }
}

/// Buffers of runs written already, to render later runs in: a whole report is
/// hundreds of megabytes, and a new buffer for each run is memory the kernel hands over
/// a page at a time, and that grows by copying.
#[derive(Default)]
struct Spare(std::sync::Mutex<Vec<Vec<u8>>>);

impl Spare {
    /// How many buffers are kept: the runs of about one batch (2,048 findings, 64 to a
    /// run), for two more batches are in flight while one is written.
    const KEEP: usize = 32;

    /// A buffer written before, emptied; else a new one with room for a run of findings
    /// as the shipped ledger's and a generated one's come (about 4 KB each).
    fn take(&self) -> Vec<u8> {
        let kept = self.0.lock().ok().and_then(|mut bufs| bufs.pop());
        kept.unwrap_or_else(|| Vec::with_capacity(64 * 4096))
    }

    /// Keeps `buf`'s room for a later run.
    fn give(&self, mut buf: Vec<u8>) {
        buf.clear();
        if let Ok(mut bufs) = self.0.lock() {
            if bufs.len() < Spare::KEEP && buf.capacity() > 0 {
                bufs.push(buf);
            }
        }
    }
}

/// One finding, the `n`th of the report, as `format` prints it.
fn render_one(buf: &mut Vec<u8>, format: Format, n: usize, f: &Finding) -> Result<(), CliError> {
    match format {
        Format::Json => {
            // An element of a pretty-printed array, one level deep; the comma before it
            // is written by whoever joins it to the one before (see `Run::add`).
            buf.extend_from_slice(b"\n  ");
            json::finding(&mut Json::pretty(buf, 1), f);
        }
        Format::Jsonl => {
            json::finding(&mut Json::sorted(buf), f);
            buf.push(b'\n');
        }
        Format::Csv => write_csv(buf, n, f)?,
        Format::Table => write_block(buf, n, f)?,
    }
    Ok(())
}

/// Says which claims could not be compared (units that do not convert).
fn write_not_compared(
    w: &mut dyn std::io::Write,
    not_compared: &[NotCompared],
) -> std::io::Result<()> {
    for nc in not_compared {
        writeln!(
            w,
            "not compared: {} {}: {}",
            render::clean(&nc.subject),
            render::clean(&nc.property),
            nc.reason
        )?;
    }
    Ok(())
}

fn write_block(out: &mut dyn std::io::Write, n: usize, f: &Finding) -> Result<(), CliError> {
    let kind = match (f.kind, f.settled) {
        (Kind::Conflict, false) => "CONFLICT",
        (Kind::Conflict, true) => "conflict (settled)",
        (Kind::Revision, _) => "revision",
    };
    writeln!(
        out,
        "#{n} {kind}: {} {}{}",
        render::clean(&f.subject),
        render::clean(&f.property),
        f.unit
            .as_deref()
            .map(|u| format!(" [{}]", render::clean(u)))
            .unwrap_or_default()
    )?;
    let mut t = render::table(&[
        "claim", "source", "value", "read as", "as of", "status", "role", "scale",
    ]);
    for c in &f.claims {
        let status = if c.counts {
            c.status.to_string()
        } else {
            format!("{} (not counted)", c.status)
        };
        render::row(
            &mut t,
            [
                c.id.clone(),
                c.source.clone(),
                c.value.clone(),
                c.parsed.clone(),
                c.as_of.clone().unwrap_or_else(|| "(undated)".into()),
                status,
                c.role.as_str().to_string(),
                picture(&c.shape, 24),
            ],
        );
    }
    writeln!(out, "{t}")?;
    writeln!(out, "  {}", render::clean(&f.summary))?;
    for r in &f.revisions {
        writeln!(
            out,
            "  revised {}: {} -> {} on {} (claim {})",
            match r.direction {
                Direction::Up => "up",
                Direction::Down => "down",
            },
            render::clean(&r.from),
            render::clean(&r.to),
            r.date.as_deref().unwrap_or("an unknown date"),
            r.claim
        )?;
    }
    for p in &f.pairs {
        writeln!(out, "  - {}", render::clean(&p.explanation))?;
    }
    if let Some(e) = &f.estimate {
        write_estimate(out, e)?;
    }
    writeln!(out)?;
    Ok(())
}

/// The estimate line: low / best / high, what decided best, and its support.
fn write_estimate(w: &mut dyn std::io::Write, e: &Estimate) -> std::io::Result<()> {
    let s = |o: &Option<String>| render::clean(o.as_deref().unwrap_or("open")).into_owned();
    let best = if e.best.is_none() && e.undetermined {
        "undetermined".to_string()
    } else {
        s(&e.best)
    };
    writeln!(
        w,
        "  estimate: low {} / best {best} / high {}{} (best from {}; support: {})",
        s(&e.low),
        s(&e.high),
        if e.undetermined && e.best.is_some() {
            ", undetermined"
        } else {
            ""
        },
        render::clean(&e.basis),
        if e.support.is_empty() {
            "none".to_string()
        } else {
            render::clean(&e.support.join(", ")).into_owned()
        }
    )?;
    Ok(())
}

/// The columns of `--format csv`: one row per claim of each finding.
const CSV_HEADER: [&str; 19] = [
    "finding",
    "subject",
    "property",
    "kind",
    "settled",
    "unit",
    "claim",
    "source",
    "value",
    "parsed",
    "as_of",
    "status",
    "counts",
    "role",
    "gap",
    "relative_gap",
    "low",
    "best",
    "high",
];

/// The CSV rows of the `n`th finding.
fn write_csv(out: &mut dyn std::io::Write, n: usize, f: &Finding) -> Result<(), CliError> {
    let mut w = render::csv_writer(out);
    let kind = match f.kind {
        Kind::Conflict => "conflict",
        Kind::Revision => "revision",
    };
    let est = |g: fn(&Estimate) -> &Option<String>| {
        f.estimate
            .as_ref()
            .and_then(|e| g(e).clone())
            .unwrap_or_default()
    };
    for c in &f.claims {
        render::csv_row(
            &mut w,
            [
                n.to_string(),
                f.subject.clone(),
                f.property.clone(),
                kind.to_string(),
                f.settled.to_string(),
                f.unit.clone().unwrap_or_default(),
                c.id.clone(),
                c.source.clone(),
                c.value.clone(),
                c.parsed.clone(),
                c.as_of.clone().unwrap_or_default(),
                c.status.to_string(),
                c.counts.to_string(),
                c.role.as_str().to_string(),
                f.gap.clone().unwrap_or_default(),
                format!("{:.4}", f.relative_gap),
                est(|e| &e.low),
                est(|e| &e.best),
                est(|e| &e.high),
            ],
        )?;
    }
    w.flush()?;
    Ok(())
}
