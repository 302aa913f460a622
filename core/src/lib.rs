//! factledger-core: a ledger of claims and figures. Sources and the claims made in them
//! go into an append-only, hash-chained log; this crate folds the log into a ledger,
//! reads values and dates as people write them, and reports where sources disagree.
//!
//! It has no command line: the `factledger` binary parses arguments, calls in here and
//! renders what comes back.

pub mod checkpoint;
pub mod checks;
pub mod claim;
pub mod config;
pub mod export;
pub mod extract;
pub mod files;
pub mod findings;
pub mod import;
pub mod index;
pub mod ledger;
pub mod lexicon;
pub mod log;
pub mod merge;
pub mod merkle;
pub mod model;
pub mod provenance;
pub mod time;
pub mod value;
pub mod verify;
