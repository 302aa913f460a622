//! Signals during a write: SIGINT and SIGTERM set a flag instead of killing the process
//! while a write transaction runs, so that it stops and undoes itself (the log is left as
//! it was) and the command exits with a message. Outside a write they act as usual.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::SigId;

/// Holds SIGINT and SIGTERM to `flag` until dropped.
pub struct Deferred {
    pub flag: Arc<AtomicBool>,
    ids: Vec<SigId>,
}

impl Deferred {
    /// Starts deferring; a platform that refuses leaves the default behaviour.
    pub fn start() -> Deferred {
        let flag = Arc::new(AtomicBool::new(false));
        let ids = [SIGINT, SIGTERM]
            .into_iter()
            .filter_map(|sig| signal_hook::flag::register(sig, flag.clone()).ok())
            .collect();
        Deferred { flag, ids }
    }
}

impl Drop for Deferred {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}
