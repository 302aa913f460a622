//! factledger: a ledger of claims and figures. Sources and the claims made in them go
//! into an append-only, hash-chained log; the library folds the log into a ledger,
//! reads values and dates as people write them, and reports where sources disagree.
//!
//! The binary is a thin shell over [`commands::run_cli`].

pub mod claim;
pub mod commands;
pub mod config;
pub mod conflict;
pub mod context;
pub mod error;
pub mod extract;
pub mod import;
pub mod ledger;
pub mod line;
pub mod log;
pub mod model;
pub mod render;
pub mod time;
pub mod value;
