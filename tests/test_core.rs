//! The ledger core: init, sources, add, status, list, show, verify, the log's chain and
//! its torn tail.

use crate::common::TestEnv;

#[test]
fn add_prints_the_claim_id_and_list_shows_it() {
    let env = TestEnv::init();
    env.source("ap", "2023-08-02");
    let id = env.claim("ap", "bajaur-rally-bombing-2023", "deaths", "63", &[]);
    let list = env.json(&["list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["source"], "ap");
    assert_eq!(list[0]["value"], "63");
    assert_eq!(list[0]["status"], "unverified");
}
