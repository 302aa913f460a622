//! schema.org ClaimReview JSON-LD for the claims that have a verdict: what fact-check
//! aggregators read. One review per claim whose status is a verdict (verified, false,
//! disputed, unverifiable), rated on the 1-5 scale they use.

use serde::Serialize;

use crate::ledger::{ClaimState, Ledger};
use crate::model::{short_id, Source, Status};

/// Who publishes the reviews.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReviewOptions<'a> {
    /// The organization publishing them (else each review's author is the person who
    /// set the status).
    pub org: Option<&'a str>,
    /// The page they are published on; each review's url is this plus `#claim-ID`.
    pub review_url: Option<&'a str>,
}

/// One ClaimReview.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ClaimReview {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(rename = "claimReviewed")]
    pub claim_reviewed: String,
    #[serde(rename = "itemReviewed")]
    pub item_reviewed: ItemReviewed,
    pub author: Agent,
    #[serde(rename = "datePublished")]
    pub date_published: String,
    #[serde(rename = "reviewRating")]
    pub review_rating: Rating,
    #[serde(rename = "reviewBody", skip_serializing_if = "Option::is_none")]
    pub review_body: Option<String>,
    /// The claim's full id in the ledger.
    pub identifier: String,
}

/// A person or an organization.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Agent {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
}

/// The claim reviewed and where it appeared.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct ItemReviewed {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<Agent>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    pub date_published: Option<String>,
    pub appearance: Appearance,
}

/// The document a claim appeared in.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Appearance {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    pub date_published: Option<String>,
}

/// The verdict on the 1-5 scale, and its name.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Rating {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(rename = "ratingValue", skip_serializing_if = "Option::is_none")]
    pub rating_value: Option<u8>,
    #[serde(rename = "bestRating", skip_serializing_if = "Option::is_none")]
    pub best_rating: Option<u8>,
    #[serde(rename = "worstRating", skip_serializing_if = "Option::is_none")]
    pub worst_rating: Option<u8>,
    #[serde(rename = "alternateName")]
    pub alternate_name: &'static str,
}

/// The rating a verdict gets, and its name; `None` for statuses that are no verdict.
fn rating(status: Status) -> Option<Rating> {
    let (value, name) = match status {
        Status::Verified => (Some(5), "True"),
        Status::Disputed => (Some(3), "Disputed"),
        Status::False => (Some(1), "False"),
        Status::Unverifiable => (None, "Unverifiable"),
        Status::Unverified | Status::Retracted => return None,
    };
    Some(Rating {
        kind: "Rating",
        rating_value: value,
        best_rating: value.map(|_| 5),
        worst_rating: value.map(|_| 1),
        alternate_name: name,
    })
}

fn day(s: &Source) -> Option<String> {
    s.published
        .as_ref()
        .map(|p| p.span.start.format("%Y-%m-%d").to_string())
}

fn item(source: Option<&Source>) -> ItemReviewed {
    let author = source.map(|s| match (&s.author, &s.outlet) {
        (Some(a), _) => Agent {
            kind: "Person",
            name: a.clone(),
        },
        (None, Some(o)) => Agent {
            kind: "Organization",
            name: o.clone(),
        },
        (None, None) => Agent {
            kind: "Organization",
            name: s.title.clone(),
        },
    });
    ItemReviewed {
        kind: "Claim",
        author,
        date_published: source.and_then(day),
        appearance: Appearance {
            kind: "CreativeWork",
            headline: source.map(|s| s.title.clone()),
            url: source.and_then(|s| s.url.clone()),
            date_published: source.and_then(day),
        },
    }
}

/// The ClaimReview of one claim, if its current status is a verdict.
pub fn claim_review(
    ledger: &Ledger,
    c: &ClaimState,
    opts: ReviewOptions<'_>,
) -> Option<ClaimReview> {
    let review_rating = rating(c.status())?;
    let (change, stamp) = c.history.last()?;
    let cl = &c.claim;
    let claimed = cl
        .quote
        .clone()
        .unwrap_or_else(|| format!("{} {}: {}", cl.subject, cl.property, cl.value.raw()));
    let author = match opts.org {
        Some(o) => Agent {
            kind: "Organization",
            name: o.to_string(),
        },
        None => Agent {
            kind: "Person",
            name: stamp.by.to_string(),
        },
    };
    Some(ClaimReview {
        context: "https://schema.org",
        kind: "ClaimReview",
        url: opts
            .review_url
            .map(|u| format!("{u}#claim-{}", short_id(&cl.id))),
        claim_reviewed: claimed,
        item_reviewed: item(ledger.source(&cl.source).map(|s| &s.source)),
        author,
        date_published: stamp.at.get(..10).unwrap_or(&stamp.at).to_string(),
        review_rating,
        review_body: change.note.clone(),
        identifier: cl.id.clone(),
    })
}

/// Every review the ledger has, in log order.
pub fn claim_reviews(ledger: &Ledger, opts: ReviewOptions<'_>) -> Vec<ClaimReview> {
    ledger
        .claims
        .iter()
        .filter_map(|c| claim_review(ledger, c, opts))
        .collect()
}
