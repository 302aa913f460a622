//! The one integration-test binary: every test module is declared here, so the test
//! suite links once.

mod common;

mod test_bulk;
mod test_checkpoint;
mod test_concurrency;
mod test_conflicts;
mod test_core;
mod test_everyday;
mod test_extract;
mod test_hostile;
mod test_index;
mod test_layout;
mod test_merge;
mod test_provenance;
mod test_report;
mod test_shipped;
mod test_sqlite;
mod test_txn;
mod test_values;
