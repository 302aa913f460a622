//! The one error type commands return, and the one place where kinds of failure become
//! exit codes: 2 for bad input, usage and I/O (the ledger left as it was), 1 for findings
//! the user asked to be told of.

use crate::context::ContextError;
use factledger_core::claim::ClaimError;
use factledger_core::config::ConfigError;
use factledger_core::ledger::LedgerError;
use factledger_core::log::LogError;

/// How a command that did not fail ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Done,
    /// Exit 1: findings where they were asked for (`verify` mismatches, `conflicts
    /// --exit-code` with a conflict).
    Findings,
}

/// A failed command: what to tell the user. Every kind exits 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Claim(#[from] ClaimError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Context(#[from] ContextError),
    #[error("{0}")]
    Input(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl CliError {
    /// The process exit code for this error: 130 when a signal stopped a write (which
    /// undid itself), else 2.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Log(LogError::Interrupted { .. }) => 130,
            _ => 2,
        }
    }

    /// Whether the reader of our output went away (`factledger list | head -1`): not an
    /// error to report, as ripgrep and the other Unix tools treat it.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// A bad-input error with this message.
    pub fn input(msg: impl Into<String>) -> CliError {
        CliError::Input(msg.into())
    }
}

impl From<std::io::Error> for CliError {
    fn from(source: std::io::Error) -> Self {
        CliError::Io {
            what: "cannot write output".into(),
            source,
        }
    }
}

impl From<csv::Error> for CliError {
    fn from(e: csv::Error) -> Self {
        if let csv::ErrorKind::Io(source) = e.kind() {
            if source.kind() == std::io::ErrorKind::BrokenPipe {
                return CliError::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
            }
        }
        CliError::Input(format!("CSV: {e}"))
    }
}

impl Outcome {
    /// The process exit code for this outcome.
    pub fn exit_code(self) -> i32 {
        match self {
            Outcome::Done => 0,
            Outcome::Findings => 1,
        }
    }
}
