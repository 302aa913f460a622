//! The log file `ledger/log.ron`: one RON record per line, appended under an exclusive
//! lock and fsynced, never rewritten. `encode` owns the line form and the chain, `read`
//! reading (in parallel) and torn tails, `txn` the one write transaction, `fast` the
//! fast reader of factledger's own line form, `view` a borrowed view of it.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use fd_lock::RwLock;

mod encode;
pub mod fast;
mod read;
mod txn;
pub mod view;

#[cfg(test)]
pub(crate) use encode::chain_line;
pub use encode::{
    decode_line, encode_claim_entry, encode_entry, encode_line, encode_str, line_digest, line_hash,
    ron_options,
};
pub(crate) use read::{
    batch_cut_short, parse_one, read_chunks, recycle, torn_batch, Chunk, FirstBad, Last, Rest, Span,
};
pub use read::{
    parse_log, stream_log, stream_log_at, stream_log_by, whole_to, Line, LogContents, ReadMode,
    Sink, TornTail,
};
pub use txn::{Prepared, Tail, Writer};

/// The log's file name inside a ledger directory.
pub const LOG_FILE: &str = "log.ron";
/// The `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// Length of the `,hash:"<64 hex>")` suffix that closes every record line.
const HASH_SUFFIX_LEN: usize = 7 + 64 + 2;

/// What can go wrong reading or writing the log.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "{path}:{line}:{col}: this line is not a valid log entry: {msg}\n\
         The log was edited by hand or damaged. Restore the line from version control \
         (`git diff {path}` shows what changed); factledger never rewrites old lines."
    )]
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        msg: String,
    },
    #[error(
        "{path}:{line}: the log ends in a torn write ({bytes} bytes that are not whole \
         entries, as a crash mid-write leaves them), so nothing can be appended after it.\n\
         Run `factledger recover` to move those bytes to a side file and carry on."
    )]
    Torn {
        path: PathBuf,
        line: usize,
        bytes: usize,
    },
    #[error("{path}: {what}")]
    Encode { path: PathBuf, what: String },
    #[error("{path}: cannot write: {source}. Nothing was written: the log is as it was.")]
    WriteUndone {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(
        "{path}: cannot write: {source}; then cutting the partial write back failed too \
         ({cut}). The end of the log is a torn write: run `factledger recover` once the \
         disk has room."
    )]
    WriteNotUndone {
        path: PathBuf,
        source: io::Error,
        cut: io::Error,
    },
    #[error("{path}: interrupted. Nothing was written: the log is as it was.")]
    Interrupted { path: PathBuf },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> LogError + '_ {
    move |source| LogError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Fsyncs the directory holding `file`, so that the file's creation survives a crash.
pub(crate) fn sync_dir(file: &Path) -> Result<(), LogError> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

/// The log of one ledger directory.
#[derive(Clone, Debug)]
pub struct Log {
    path: PathBuf,
    /// Set (by a signal handler, say) to ask a running write to stop and undo itself;
    /// and a flag the write clears while it runs (signal handlers read it to decide
    /// whether to end the process at once).
    cancel: Option<(Arc<AtomicBool>, Arc<AtomicBool>)>,
}

impl Log {
    /// The log in ledger directory `dir`.
    pub fn in_dir(dir: &Path) -> Log {
        Log {
            path: dir.join(LOG_FILE),
            cancel: None,
        }
    }

    /// The same log, with writes that stop and undo themselves once `cancel` is set,
    /// and that clear `outside_write` while they write.
    pub fn with_cancel(mut self, cancel: Arc<AtomicBool>, outside_write: Arc<AtomicBool>) -> Log {
        self.cancel = Some((cancel, outside_write));
        self
    }

    /// The log file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Creates an empty log; fails if one exists.
    pub fn create(&self) -> Result<(), LogError> {
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.path)
            .map_err(io_err(&self.path))?;
        f.write_all(
            b"// factledger log: one entry per line, append-only; see `factledger verify`.\n",
        )
        .and_then(|_| f.sync_all())
        .map_err(io_err(&self.path))?;
        sync_dir(&self.path)
    }

    fn open(&self, write: bool) -> Result<File, LogError> {
        OpenOptions::new()
            .read(true)
            .append(write)
            .open(&self.path)
            .map_err(io_err(&self.path))
    }

    /// Reads the log under a shared lock, so that a concurrent append is never seen half
    /// written, a chunk at a time (see [`stream_log`]).
    pub fn read_stream<E: From<LogError> + Send>(
        &self,
        mode: ReadMode,
        sink: &mut Sink<'_, E>,
    ) -> Result<Option<TornTail>, E> {
        let lock = RwLock::new(self.open(false)?);
        let guard = lock.read().map_err(io_err(&self.path))?;
        let len = guard.metadata().map_err(io_err(&self.path))?.len();
        let whole = read::whole_to(&guard, len).map_err(io_err(&self.path))?;
        // `&File` reads too, so a shared guard is enough.
        let mut file: &File = &guard;
        stream_log(&self.path, &mut file, whole, mode, sink)
    }

    /// Reads the log under a shared lock a chunk of whole lines (about `size` bytes) at a
    /// time, for a reader that reads lines its own way (see [`read::read_chunks`]).
    /// Returns what follows the last line end, or `None` when `each` stopped.
    pub(crate) fn scan<E: From<LogError> + Send>(
        &self,
        size: usize,
        each: &mut (dyn FnMut(Chunk<'_>) -> Result<std::ops::ControlFlow<()>, E> + Send),
    ) -> Result<Option<Rest>, E> {
        let lock = RwLock::new(self.open(false)?);
        let guard = lock.read().map_err(io_err(&self.path))?;
        let len = guard.metadata().map_err(io_err(&self.path))?.len();
        let whole = read::whole_to(&guard, len).map_err(io_err(&self.path))?;
        // `&File` reads too, so a shared guard is enough.
        let mut file: &File = &guard;
        read::read_chunks(&self.path, &mut file, (0, 0), whole, size, each)
    }

    /// Runs `f` on the log file holding its shared lock, so that no append is seen half
    /// written: for reads at an offset (through the index).
    pub fn with_read_lock<T, E: From<LogError>>(
        &self,
        f: impl FnOnce(&File) -> Result<T, E>,
    ) -> Result<T, E> {
        let lock = RwLock::new(self.open(false)?);
        let guard = lock.read().map_err(io_err(&self.path))?;
        f(&guard)
    }

    /// Runs `f` holding the log's exclusive lock: `f` reads the log, decides, and appends
    /// through the [`Writer`] it is given. Nothing else can write meanwhile.
    pub fn with_write_lock<T, E: From<LogError>>(
        &self,
        f: impl FnOnce(&mut Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut lock = RwLock::new(self.open(true)?);
        let mut guard = lock.write().map_err(io_err(&self.path))?;
        let mut w = Writer {
            path: &self.path,
            file: &mut guard,
            cancel: self.cancel.as_ref().map(|(c, o)| (&**c, &**o)),
        };
        f(&mut w)
    }
}

#[cfg(test)]
mod tests;
