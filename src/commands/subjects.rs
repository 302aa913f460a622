//! `factledger subjects`: the subjects a ledger holds, with their properties.

use std::collections::BTreeMap;

use super::{open_read, FormatArg};
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, Format};

/// List subjects with their properties and claim counts
///
/// Shows at a glance a typo that split one event in two.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub format: FormatArg,
}

/// One subject and its properties, as JSON prints it.
#[derive(serde::Serialize)]
struct SubjectRecord<'a> {
    subject: &'a str,
    claims: usize,
    properties: BTreeMap<&'a str, usize>,
}

/// Runs `subjects`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let (ledger, _) = open_read(ctx)?;
    let mut by_subject: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for c in &ledger.claims {
        *by_subject
            .entry(&c.claim.subject)
            .or_default()
            .entry(&c.claim.property)
            .or_default() += 1;
    }
    let recs: Vec<SubjectRecord> = by_subject
        .into_iter()
        .map(|(subject, properties)| SubjectRecord {
            subject,
            claims: properties.values().sum(),
            properties,
        })
        .collect();
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
            render::csv_row(&mut w, ["subject", "claims", "properties"])?;
            for r in &recs {
                render::csv_row(
                    &mut w,
                    [r.subject.to_string(), r.claims.to_string(), props(r)],
                )?;
            }
            w.flush()?;
        }
        Format::Table => {
            let mut t = render::table(&["subject", "claims", "properties"]);
            for r in &recs {
                render::row(
                    &mut t,
                    [r.subject.to_string(), r.claims.to_string(), props(r)],
                );
            }
            writeln!(ctx.out, "{t}")?;
            writeln!(ctx.out, "{}", render::count(recs.len(), "subject"))?;
        }
    }
    Ok(Outcome::Done)
}
