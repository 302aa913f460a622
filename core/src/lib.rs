//! factledger-core: a ledger of claims and figures. Sources and the claims made in them
//! go into an append-only, hash-chained log; this crate folds the log into a ledger,
//! reads values and dates as people write them, and reports where sources disagree.
//!
//! It has no command line: the `factledger` binary parses arguments, calls in here and
//! renders what comes back.

pub mod claim;
pub mod config;
pub mod extract;
pub mod findings;
pub mod import;
pub mod ledger;
pub mod line;
pub mod log;
pub mod model;
pub mod time;
pub mod value;
