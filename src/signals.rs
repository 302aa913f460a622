//! SIGINT and SIGTERM: outside a write they end the process at once (exit 130), as
//! usual; while a write transaction runs they only set a flag, so that the write stops
//! and undoes itself (the log is left as it was) and the command exits with a message.
//! Waiting for the lock or checking an import's rows is outside the write.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use signal_hook::consts::{SIGINT, SIGTERM};

/// The two flags the handlers and the write transaction share.
#[derive(Clone)]
pub struct Signals {
    /// Set by a signal: a running write stops and undoes itself.
    pub cancel: Arc<AtomicBool>,
    /// True outside a write (a signal then ends the process); the write transaction
    /// clears it while it writes.
    pub outside_write: Arc<AtomicBool>,
}

impl Signals {
    /// Installs the handlers, once, at startup. A platform that refuses leaves the
    /// default behaviour.
    pub fn install() -> Signals {
        let s = Signals {
            cancel: Arc::new(AtomicBool::new(false)),
            outside_write: Arc::new(AtomicBool::new(true)),
        };
        for sig in [SIGINT, SIGTERM] {
            let _ = signal_hook::flag::register(sig, s.cancel.clone());
            let _ =
                signal_hook::flag::register_conditional_shutdown(sig, 130, s.outside_write.clone());
        }
        s
    }
}
