//! What a command takes from the world outside its arguments: the clock, the user's
//! name, the working directory, where the ledger is, and the output streams. Tests pin
//! the clock with `FACTLEDGER_NOW` and the user with `FACTLEDGER_USER`.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};

use factledger_core::log::LOG_FILE;

/// The environment a command runs in.
pub struct Context<'a> {
    /// The time entries are stamped with.
    pub now: DateTime<Utc>,
    /// The author of entries, once known: `--by`, else found on first need (finding it
    /// may ask git, which read-only commands should not pay for).
    user: Option<String>,
    /// Where relative paths start.
    pub cwd: PathBuf,
    /// The ledger directory named by `--ledger` or `FACTLEDGER_DIR`.
    pub ledger: Option<PathBuf>,
    /// Where records go.
    pub out: &'a mut dyn Write,
    /// Where warnings and progress go.
    pub err: &'a mut dyn Write,
    /// Whether `err` is a terminal (progress bars are drawn only then).
    pub err_is_terminal: bool,
    /// Whether commands may read through the derived index (`--no-index` says not).
    pub use_index: bool,
    /// Whether `out` is standard output as it is (buffered, not a terminal): a command
    /// may then flush `out` and write to standard output itself.
    pub out_is_stdout: bool,
}

/// What standard output and standard error are, as `main` found them.
#[derive(Clone, Copy, Debug, Default)]
pub struct Streams {
    /// Standard error is a terminal: progress bars are drawn on it.
    pub err_is_terminal: bool,
    /// See [`Context::out_is_stdout`].
    pub out_is_stdout: bool,
}

/// Why the context could not be set up, or the ledger not found.
#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error(
        "FACTLEDGER_NOW={value:?} is not a time: expected RFC 3339, such as 2024-04-01T12:00:00Z"
    )]
    BadNow { value: String },
    #[error("no ledger at {dir}: it has no {LOG_FILE}. Create one with `factledger init {dir}`, or name another with --ledger DIR")]
    NoLedgerAt { dir: PathBuf },
    #[error("no ledger found in {cwd} or above it (looked for ledger/{LOG_FILE}). Create one with `factledger init`, or name one with --ledger DIR or FACTLEDGER_DIR")]
    NotFound { cwd: PathBuf },
    #[error("cannot read the working directory: {0}")]
    Cwd(std::io::Error),
}

impl<'a> Context<'a> {
    /// The context of a real run: process environment, real clock unless pinned.
    pub fn from_env(
        ledger: Option<PathBuf>,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
        err_is_terminal: bool,
    ) -> Result<Self, ContextError> {
        let now = match std::env::var("FACTLEDGER_NOW") {
            Ok(v) => DateTime::parse_from_rfc3339(&v)
                .map_err(|_| ContextError::BadNow { value: v.clone() })?
                .with_timezone(&Utc),
            Err(_) => Utc::now(),
        };
        let cwd = std::env::current_dir().map_err(ContextError::Cwd)?;
        Ok(Context {
            now,
            user: None,
            cwd,
            ledger,
            out,
            err,
            err_is_terminal,
            use_index: true,
            out_is_stdout: false,
        })
    }

    /// The author of entries: as set by [`Context::set_user`], else `FACTLEDGER_USER`,
    /// git's `user.name` or the login name.
    pub fn user(&mut self) -> String {
        self.user.get_or_insert_with(default_user).clone()
    }

    /// Names the author of the entries this command writes (`--by`).
    pub fn set_user(&mut self, by: &str) {
        self.user = Some(by.to_string());
    }

    /// `now` as entries record it.
    pub fn now_text(&self) -> String {
        self.now.to_rfc3339_opts(SecondsFormat::Secs, true)
    }

    /// The ledger directory: `--ledger`/`FACTLEDGER_DIR`, else the nearest `ledger/`
    /// holding a log, from the working directory upward.
    pub fn ledger_dir(&self) -> Result<PathBuf, ContextError> {
        if let Some(dir) = &self.ledger {
            let dir = self.cwd.join(dir);
            return if dir.join(LOG_FILE).is_file() {
                Ok(dir)
            } else {
                Err(ContextError::NoLedgerAt { dir })
            };
        }
        for d in self.cwd.ancestors() {
            let candidate = d.join("ledger");
            if candidate.join(LOG_FILE).is_file() {
                return Ok(candidate);
            }
        }
        Err(ContextError::NotFound {
            cwd: self.cwd.clone(),
        })
    }

    /// Resolves a path the user typed against the working directory.
    pub fn path(&self, p: &Path) -> PathBuf {
        self.cwd.join(p)
    }
}

/// `FACTLEDGER_USER`, else git's `user.name`, else the login name.
fn default_user() -> String {
    if let Ok(u) = std::env::var("FACTLEDGER_USER") {
        if !u.trim().is_empty() {
            return u.trim().to_string();
        }
    }
    let git = std::process::Command::new("git")
        .args(["config", "user.name"])
        .stderr(std::process::Stdio::null())
        .output();
    if let Ok(o) = git {
        let name = String::from_utf8_lossy(&o.stdout).trim().to_string();
        if o.status.success() && !name.is_empty() {
            return name;
        }
    }
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "unknown".into())
}
