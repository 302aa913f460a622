//! `factledger subjects`: the subjects a ledger holds, with their properties.

use std::collections::BTreeMap;

use super::{open_read, FormatArg};
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, Format};
use factledger_core::model::Status;

/// List subjects with their properties and claim counts
///
/// Shows at a glance a typo that split one event in two. Retracted claims are not
/// counted; a subject whose every claim is retracted is named apart, not as live.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub format: FormatArg,
}

/// One subject and its properties, as JSON prints it.
#[derive(serde::Serialize)]
struct SubjectRecord<'a> {
    subject: &'a str,
    /// Claims not retracted.
    claims: usize,
    /// Claims retracted (superseded or withdrawn).
    retracted: usize,
    /// Claims not retracted, per property (aliases under their canonical name).
    properties: BTreeMap<&'a str, usize>,
}

/// Runs `subjects`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let (ledger, config) = open_read(ctx)?;
    let mut by_subject: BTreeMap<&str, SubjectRecord> = BTreeMap::new();
    for c in &ledger.claims {
        let r = by_subject
            .entry(&c.claim.subject)
            .or_insert_with(|| SubjectRecord {
                subject: &c.claim.subject,
                claims: 0,
                retracted: 0,
                properties: BTreeMap::new(),
            });
        if c.status() == Status::Retracted {
            r.retracted += 1;
        } else {
            r.claims += 1;
            // Aliases count under the name findings compare them by.
            *r.properties
                .entry(config.canonical_property(&c.claim.property))
                .or_default() += 1;
        }
    }
    let recs: Vec<SubjectRecord> = by_subject.into_values().collect();
    let props = |r: &SubjectRecord| {
        r.properties
            .iter()
            .map(|(p, n)| format!("{p} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match args.format.format {
        f @ (Format::Json | Format::Jsonl) => render::write_json_as(ctx.out, f, &recs)?,
        Format::Csv => {
            let mut w = render::csv_writer(ctx.out);
            // New columns go last, so scripts reading by position keep working.
            render::csv_row(&mut w, ["subject", "claims", "properties", "retracted"])?;
            for r in &recs {
                render::csv_row(
                    &mut w,
                    [
                        r.subject.to_string(),
                        r.claims.to_string(),
                        props(r),
                        r.retracted.to_string(),
                    ],
                )?;
            }
            w.flush()?;
        }
        Format::Table => {
            let (live, gone): (Vec<&SubjectRecord>, Vec<&SubjectRecord>) =
                recs.iter().partition(|r| r.claims > 0);
            if live.is_empty() {
                writeln!(ctx.out, "No subjects with live claims.")?;
            } else {
                let mut t = render::table(&["subject", "claims", "properties"]);
                for r in &live {
                    render::row(
                        &mut t,
                        [r.subject.to_string(), r.claims.to_string(), props(r)],
                    );
                }
                writeln!(ctx.out, "{t}")?;
                writeln!(ctx.out, "{}", render::count(live.len(), "subject"))?;
            }
            if !gone.is_empty() {
                let names: Vec<&str> = gone.iter().map(|r| r.subject).collect();
                writeln!(
                    ctx.out,
                    "every claim retracted: {}",
                    render::clean(&names.join(", "))
                )?;
            }
        }
    }
    Ok(Outcome::Done)
}
