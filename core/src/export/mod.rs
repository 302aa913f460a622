//! What the ledger writes for other tools: schema.org ClaimReview for fact-check
//! aggregators; SQLite for querying the ledger with SQL.

pub mod claimreview;
pub mod sqlite;
