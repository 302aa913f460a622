//! `factledger export`: every claim with its current status and its source, as JSON
//! (which `import` reads back), CSV (safe to open in a spreadsheet), or schema.org
//! ClaimReview JSON-LD for the claims that have a verdict.

use serde_json::{json, Map, Value as Json};

use super::{open_read, source::SourceRecord};
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, ClaimRecord};
use factledger_core::checkpoint::{read_leaves, Checkpoint};
use factledger_core::ledger::{ClaimState, Ledger};
use factledger_core::log::Log;
use factledger_core::model::{Status, Value};
use factledger_core::provenance::{history_rows, ExportHead};

/// What `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Sources and claims; `import` reads it back into another ledger with the same ids.
    Json,
    /// One row per claim (import's columns first); cells a spreadsheet would run as a
    /// formula are neutralized with a leading '.
    Csv,
    /// schema.org ClaimReview JSON-LD for each claim with a verdict (verified, false,
    /// disputed, unverifiable).
    Claimreview,
}

/// Export the ledger's claims with their current status and sources.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
    /// ClaimReview: the organization publishing the reviews (else each review's author is
    /// the person who set the status).
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// ClaimReview: the address of the page the reviews are published on; each review's
    /// url is this with #claim-ID appended.
    #[arg(long, value_name = "URL")]
    pub review_url: Option<String>,
}

/// The CSV columns of `export --format csv`; the first nine are `import`'s.
pub const CSV_COLUMNS: [&str; 17] = [
    "source",
    "subject",
    "property",
    "value",
    "date",
    "text",
    "unit",
    "as_of",
    "quote",
    "status",
    "id",
    "full_id",
    "parsed",
    "note",
    "source_title",
    "source_outlet",
    "source_published",
];

/// Runs `export`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let (ledger, _) = open_read(ctx)?;
    match args.format {
        ExportFormat::Json => {
            let doc = export_json(ctx, &ledger)?;
            render::write_json(ctx.out, &doc)?;
        }
        ExportFormat::Csv => {
            let mut w = render::csv_writer(ctx.out);
            render::csv_row(&mut w, CSV_COLUMNS)?;
            for c in &ledger.claims {
                render::csv_row(&mut w, csv_cells(&ledger, c))?;
            }
            w.flush()?;
        }
        ExportFormat::Claimreview => {
            let reviews: Vec<Json> = ledger
                .claims
                .iter()
                .filter_map(|c| {
                    claim_review(&ledger, c, args.org.as_deref(), args.review_url.as_deref())
                })
                .collect();
            render::write_json(ctx.out, &reviews)?;
        }
    }
    Ok(Outcome::Done)
}

/// The JSON export: the exporting ledger's head, then sources and claims, each with who
/// wrote it and when, claims with their whole status history, so that `import` keeps it.
fn export_json(ctx: &mut Context<'_>, ledger: &Ledger) -> Result<ExportDoc, CliError> {
    let dir = ctx.ledger_dir()?;
    let origin = factledger_core::config::Config::load(&dir)?.origin(&dir);
    let entries = read_leaves(&Log::in_dir(&dir)).map_err(super::head::input_err)?;
    let head = ExportHead::of(&Checkpoint::of(&origin, &entries, entries.len()));
    let counts = ledger.claims_per_source();
    let with = |mut v: Json, fields: Vec<(&str, Json)>| {
        if let Json::Object(m) = &mut v {
            for (k, x) in fields {
                m.insert(k.to_string(), x);
            }
        }
        v
    };
    let sources: Vec<Json> = ledger
        .sources
        .iter()
        .map(|s| {
            let v = json!(SourceRecord::of(&s.source, &counts));
            with(
                v,
                vec![("at", json!(*s.stamp.at)), ("by", json!(*s.stamp.by))],
            )
        })
        .collect();
    let claims: Vec<Json> = ledger
        .claims
        .iter()
        .map(|c| {
            let v = json!(ClaimRecord::of(c));
            with(v, vec![("history", json!(history_rows(c)))])
        })
        .collect();
    // A struct keeps this order (a JSON map would sort it): import reads the head
    // first and every source before the claims that cite them.
    Ok(ExportDoc {
        format: "factledger-export-v1",
        provenance: head,
        sources,
        claims,
    })
}

/// The JSON export document, in the order `import` wants to read it.
#[derive(serde::Serialize)]
struct ExportDoc {
    format: &'static str,
    provenance: ExportHead,
    sources: Vec<Json>,
    claims: Vec<Json>,
}

fn csv_cells(ledger: &Ledger, c: &ClaimState) -> Vec<String> {
    let r = ClaimRecord::of(c);
    let raw = c.claim.value.raw().to_string();
    let (v, d, t) = match &c.claim.value {
        Value::Quantity { .. } => (raw, String::new(), String::new()),
        Value::Date(_) => (String::new(), raw, String::new()),
        Value::Text { .. } => (String::new(), String::new(), raw),
    };
    let src = ledger.source(&c.claim.source).map(|s| &s.source);
    vec![
        r.source,
        r.subject,
        r.property,
        v,
        d,
        t,
        r.unit.unwrap_or_default(),
        r.as_of.unwrap_or_default(),
        r.quote.unwrap_or_default(),
        r.status,
        r.id,
        r.full_id,
        r.parsed,
        r.note.unwrap_or_default(),
        src.map(|s| s.title.clone()).unwrap_or_default(),
        src.and_then(|s| s.outlet.clone()).unwrap_or_default(),
        src.and_then(|s| s.published.as_ref().map(|p| p.span.to_string()))
            .unwrap_or_default(),
    ]
}

/// The rating a verdict gets: the 1-5 scale fact-check aggregators read, and its name.
fn rating(status: Status) -> Option<(Option<u8>, &'static str)> {
    match status {
        Status::Verified => Some((Some(5), "True")),
        Status::Disputed => Some((Some(3), "Disputed")),
        Status::False => Some((Some(1), "False")),
        Status::Unverifiable => Some((None, "Unverifiable")),
        Status::Unverified | Status::Retracted => None,
    }
}

/// The ClaimReview of one claim, if it has a verdict.
pub fn claim_review(
    ledger: &Ledger,
    c: &ClaimState,
    org: Option<&str>,
    review_url: Option<&str>,
) -> Option<Json> {
    let (value, name) = rating(c.status())?;
    let (change, stamp) = c.history.last()?;
    let cl = &c.claim;
    let source = ledger.source(&cl.source).map(|s| &s.source);
    let claimed = cl
        .quote
        .clone()
        .unwrap_or_else(|| format!("{} {}: {}", cl.subject, cl.property, cl.value.raw()));
    let mut rating = Map::new();
    rating.insert("@type".into(), json!("Rating"));
    if let Some(v) = value {
        rating.insert("ratingValue".into(), json!(v));
        rating.insert("bestRating".into(), json!(5));
        rating.insert("worstRating".into(), json!(1));
    }
    rating.insert("alternateName".into(), json!(name));
    let mut appearance = Map::new();
    appearance.insert("@type".into(), json!("CreativeWork"));
    if let Some(s) = source {
        appearance.insert("headline".into(), json!(s.title));
        if let Some(u) = &s.url {
            appearance.insert("url".into(), json!(u));
        }
        if let Some(p) = &s.published {
            appearance.insert(
                "datePublished".into(),
                json!(p.span.start.format("%Y-%m-%d").to_string()),
            );
        }
    }
    let mut item = Map::new();
    item.insert("@type".into(), json!("Claim"));
    if let Some(s) = source {
        let who = match (&s.author, &s.outlet) {
            (Some(a), _) => json!({"@type": "Person", "name": a}),
            (None, Some(o)) => json!({"@type": "Organization", "name": o}),
            (None, None) => json!({"@type": "Organization", "name": s.title}),
        };
        item.insert("author".into(), who);
        if let Some(p) = &s.published {
            item.insert(
                "datePublished".into(),
                json!(p.span.start.format("%Y-%m-%d").to_string()),
            );
        }
    }
    item.insert("appearance".into(), Json::Object(appearance));
    let author = match org {
        Some(o) => json!({"@type": "Organization", "name": o}),
        None => json!({"@type": "Person", "name": &*stamp.by}),
    };
    let date = stamp.at.get(..10).unwrap_or(&stamp.at).to_string();
    let mut review = Map::new();
    review.insert("@context".into(), json!("https://schema.org"));
    review.insert("@type".into(), json!("ClaimReview"));
    if let Some(u) = review_url {
        review.insert(
            "url".into(),
            json!(format!(
                "{u}#claim-{}",
                factledger_core::model::short_id(&cl.id)
            )),
        );
    }
    review.insert("claimReviewed".into(), json!(claimed));
    review.insert("itemReviewed".into(), Json::Object(item));
    review.insert("author".into(), author);
    review.insert("datePublished".into(), json!(date));
    review.insert("reviewRating".into(), Json::Object(rating));
    if let Some(n) = &change.note {
        review.insert("reviewBody".into(), json!(n));
    }
    review.insert("identifier".into(), json!(cl.id));
    Some(Json::Object(review))
}
