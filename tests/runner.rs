//! The one integration-test binary: every test module is declared here, so the test
//! suite links once.

mod common;

mod test_bulk;
mod test_conflicts;
mod test_core;
mod test_extract;
mod test_layout;
mod test_shipped;
mod test_values;
