//! The one integration-test binary: every test module is declared here, so the test
//! suite links once.

mod common;

mod test_core;
