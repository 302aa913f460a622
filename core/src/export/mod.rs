//! What the ledger writes for other tools: schema.org ClaimReview for fact-check
//! aggregators.

pub mod claimreview;
