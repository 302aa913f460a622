//! The write transaction: the only way to append to the log. Under the exclusive lock it
//! reads the tail, assigns seq (checked) and prev, encodes and hashes, writes, fsyncs;
//! on any error it cuts the file back to where it began, so a refused write leaves the
//! bytes exactly as they were. A write of several entries starts with a batch header
//! stating how many bytes follow, so a crash that leaves part of it reads as a torn tail.

use std::fs::File;
use std::io::{self, BufRead, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::encode::{chain_line, chained_len, decode_line, encode_entry, encode_str, line_hash};
use super::read::{is_content, stream_log, whole_to, ReadMode, Sink, TornTail};
use super::{io_err, parse_log, LogContents, LogError, GENESIS};
use crate::model::{BatchHeader, Entry};

/// What an append needs to know of the log's end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tail {
    pub seq: u64,
    pub hash: String,
}

/// Lines checked for a cancel request at a time while a batch is written.
const CANCEL_EVERY: u64 = 4096;

/// Entries encoded and waiting to be chained: what a transaction writes. Small writes
/// keep them in memory; an import spools them to a file (see [`Prepared::spool`]).
pub struct Prepared {
    /// One line per entry: `at` RON, tab, `by` RON, tab, entry RON (RON escapes tabs
    /// inside strings, so the tabs separate).
    spool: Spool,
    entries: u64,
    /// The bytes the chained lines will take.
    bytes: u64,
    /// The tail this batch is numbered after.
    base: u64,
    /// The first entry's stamp (RON), which the batch header carries too.
    stamp: Option<(String, String)>,
}

enum Spool {
    Memory(Vec<u8>),
    File(BufWriter<File>),
}

impl Prepared {
    /// A batch in memory, numbered after `tail`.
    pub fn new(tail: &Tail) -> Prepared {
        Prepared {
            spool: Spool::Memory(Vec::new()),
            entries: 0,
            bytes: 0,
            base: tail.seq,
            stamp: None,
        }
    }

    /// A batch spooled to an unnamed temporary file in `dir` (gone with the process,
    /// whatever ends it), for writes too large to hold in memory.
    pub fn spool(tail: &Tail, dir: &Path) -> io::Result<Prepared> {
        let file = tempfile::tempfile_in(dir)?;
        Ok(Prepared {
            spool: Spool::File(BufWriter::with_capacity(1 << 20, file)),
            ..Prepared::new(tail)
        })
    }

    /// How many entries are queued.
    pub fn len(&self) -> u64 {
        self.entries
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// Queues an entry stamped `at` by `by`.
    pub fn push(&mut self, at: &str, by: &str, entry: &Entry) -> io::Result<()> {
        let ron = encode_entry(entry).map_err(io::Error::other)?;
        self.push_encoded(&ron_str(at)?, &ron_str(by)?, &ron)
    }

    /// Queues an entry already encoded as RON (its stamp's strings too).
    pub fn push_encoded(&mut self, at_ron: &str, by_ron: &str, entry_ron: &str) -> io::Result<()> {
        // Each entry needs a seq of its own (a batch header one more, which the write
        // checks); the length is counted at the seq it takes after a header.
        self.base
            .checked_add(self.entries + 1)
            .ok_or_else(|| io::Error::other("sequence numbers are exhausted"))?;
        let seq = self.base.saturating_add(self.entries + 2);
        self.bytes += chained_len(seq, at_ron, by_ron, entry_ron);
        self.entries += 1;
        if self.stamp.is_none() {
            self.stamp = Some((at_ron.to_string(), by_ron.to_string()));
        }
        let out: &mut dyn Write = match &mut self.spool {
            Spool::Memory(v) => v,
            Spool::File(f) => f,
        };
        for part in [at_ron, "\t", by_ron, "\t", entry_ron, "\n"] {
            out.write_all(part.as_bytes())?;
        }
        Ok(())
    }

    /// The queued lines, to be read from the start.
    fn reader(self) -> io::Result<Box<dyn BufRead>> {
        Ok(match self.spool {
            Spool::Memory(v) => Box::new(io::Cursor::new(v)),
            Spool::File(f) => {
                let mut file = f.into_inner().map_err(|e| e.into_error())?;
                file.seek(SeekFrom::Start(0))?;
                Box::new(io::BufReader::with_capacity(1 << 20, file))
            }
        })
    }
}

fn ron_str(s: &str) -> io::Result<String> {
    encode_str(s).map_err(io::Error::other)
}

/// Appending access to the log, only to be had under its exclusive lock.
pub struct Writer<'a> {
    pub(super) path: &'a Path,
    pub(super) file: &'a mut File,
    /// The cancel flag, and the flag cleared while writing (see [`super::Log::with_cancel`]).
    pub(super) cancel: Option<(&'a AtomicBool, &'a AtomicBool)>,
}

impl Writer<'_> {
    /// The log file, for reads at an offset (the lock is already held).
    pub fn file(&self) -> &File {
        self.file
    }

    /// Reads the whole log a chunk at a time (the lock is already held).
    pub fn read_stream<E: From<LogError> + Send>(
        &mut self,
        mode: ReadMode,
        sink: &mut Sink<'_, E>,
    ) -> Result<Option<TornTail>, E> {
        let len = self.len().map_err(E::from)?;
        let whole = whole_to(self.file, len).map_err(|e| E::from(io_err(self.path)(e)))?;
        self.file
            .seek(SeekFrom::Start(0))
            .map_err(|e| E::from(io_err(self.path)(e)))?;
        stream_log(self.path, &mut *self.file, whole, mode, sink)
    }

    fn len(&mut self) -> Result<u64, LogError> {
        self.file.seek(SeekFrom::End(0)).map_err(io_err(self.path))
    }

    /// The last entry's sequence number and hash, read from the file's end only; fails on
    /// a torn last line. (A batch cut short is found by a full read, which every writer
    /// makes before it decides what to write.)
    pub fn tail(&mut self) -> Result<Tail, LogError> {
        let len = self.len()?;
        let mut chunk = 4096u64;
        loop {
            let from = len.saturating_sub(chunk);
            let mut buf = Vec::new();
            self.file
                .seek(SeekFrom::Start(from))
                .and_then(|_| (&mut *self.file).take(len - from).read_to_end(&mut buf))
                .map_err(io_err(self.path))?;
            if let Some(t) = self.tail_in(&buf, from)? {
                return Ok(t);
            }
            if from == 0 {
                return Ok(Tail {
                    seq: 0,
                    hash: GENESIS.to_string(),
                });
            }
            chunk = chunk.saturating_mul(4);
        }
    }

    /// Looks for the last record line inside `buf` (the file's bytes from `from` to the
    /// end); `None` when `buf` holds no whole record line.
    fn tail_in(&self, buf: &[u8], from: u64) -> Result<Option<Tail>, LogError> {
        let mut end = buf.len();
        loop {
            let start = match memchr::memrchr(b'\n', &buf[..end]) {
                Some(i) => i + 1,
                None if from == 0 => 0,
                None => return Ok(None),
            };
            let line = &buf[start..end];
            if is_content(line) {
                let text = std::str::from_utf8(line).unwrap_or("");
                let text = text.trim_end_matches(['\n', '\r']);
                let whole = end == buf.len() && !line.ends_with(b"\n");
                return match decode_line(text) {
                    Ok(r) if !whole || line_hash(text).as_deref() == Some(r.hash.as_str()) => {
                        Ok(Some(Tail {
                            seq: r.seq,
                            hash: r.hash,
                        }))
                    }
                    // A full read names the torn tail or what is wrong where.
                    _ => Err(self.full_read_error()),
                };
            }
            if start == 0 {
                return Ok(None);
            }
            end = start - 1;
        }
    }

    fn full_read_error(&self) -> LogError {
        match self.read_all_lines() {
            Err(e) => e,
            Ok(LogContents { torn: Some(t), .. }) => LogError::Torn {
                path: self.path.to_path_buf(),
                line: t.line,
                bytes: t.bytes,
            },
            Ok(_) => LogError::Encode {
                path: self.path.to_path_buf(),
                what: "the last entry does not parse".into(),
            },
        }
    }

    fn read_all_lines(&self) -> Result<LogContents, LogError> {
        let bytes = std::fs::read(self.path).map_err(io_err(self.path))?;
        parse_log(self.path, &bytes, ReadMode::Parse)
    }

    /// Whether the file ends without a line end, so that an append must start a new line.
    fn needs_line_end(&mut self, len: u64) -> Result<bool, LogError> {
        if len == 0 {
            return Ok(false);
        }
        let mut last = [0u8];
        self.file
            .seek(SeekFrom::Start(len - 1))
            .and_then(|_| self.file.read_exact(&mut last))
            .map_err(io_err(self.path))?;
        Ok(last[0] != b'\n')
    }

    /// Appends entries stamped `at` by `by`, chained after the current tail, as one
    /// transaction; returns their hashes.
    pub fn append(
        &mut self,
        at: &str,
        by: &str,
        entries: &[Entry],
    ) -> Result<Vec<String>, LogError> {
        let tail = self.tail()?;
        let mut batch = Prepared::new(&tail);
        for e in entries {
            batch.push(at, by, e).map_err(|e| LogError::Encode {
                path: self.path.to_path_buf(),
                what: e.to_string(),
            })?;
        }
        self.commit(batch)
    }

    /// Writes a prepared batch as one transaction: all of it, or (on any error, or a
    /// cancel request) none of it, the file cut back to where it began.
    pub fn commit(&mut self, batch: Prepared) -> Result<Vec<String>, LogError> {
        let tail = self.tail()?;
        if tail.seq != batch.base {
            return Err(LogError::Encode {
                path: self.path.to_path_buf(),
                what: format!(
                    "the batch was numbered after entry {} but the log ends at {}",
                    batch.base, tail.seq
                ),
            });
        }
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let start = self.len()?;
        if let Some((_, outside)) = self.cancel {
            outside.store(false, Ordering::SeqCst);
        }
        let result = match self.write_batch(start, tail, batch) {
            Ok(hashes) => Ok(hashes),
            Err(e) => Err(self.roll_back(start, e)),
        };
        if let Some((_, outside)) = self.cancel {
            outside.store(true, Ordering::SeqCst);
        }
        result
    }

    fn write_batch(
        &mut self,
        start: u64,
        mut tail: Tail,
        batch: Prepared,
    ) -> Result<Vec<String>, io::Error> {
        let newline = self.needs_line_end(start).map_err(io::Error::other)?;
        let (entries, bytes) = (batch.entries, batch.bytes);
        // Modest pieces: a crash or a signal can land between any two of them.
        let cancel = self.cancel;
        let mut out = BufWriter::with_capacity(256 << 10, &mut *self.file);
        if newline {
            out.write_all(b"\n")?;
        }
        let mut hashes = Vec::new();
        let next = |tail: &mut Tail, at: &str, by: &str, entry: &str| {
            let seq = tail.seq.checked_add(1).ok_or_else(|| {
                io::Error::other(format!(
                    "the log's last seq is {}: no entry can follow it",
                    tail.seq
                ))
            })?;
            let (line, hash) = chain_line(seq, at, by, &tail.hash, entry);
            *tail = Tail {
                seq,
                hash: hash.clone(),
            };
            Ok::<_, io::Error>((line, hash))
        };
        let mut written = 0u64;
        if entries > 1 {
            let header = encode_entry(&Entry::Batch(BatchHeader { entries, bytes }))
                .map_err(io::Error::other)?;
            let (at, by) = batch.stamp.clone().unwrap_or_default();
            let (line, _) = next(&mut tail, &at, &by, &header)?;
            out.write_all(line.as_bytes())?;
        }
        let mut reader = batch.reader()?;
        let mut spooled = String::new();
        for n in 0..entries {
            spooled.clear();
            reader.read_line(&mut spooled)?;
            let mut parts = spooled.trim_end_matches('\n').splitn(3, '\t');
            let (Some(at), Some(by), Some(entry)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(io::Error::other("the spooled batch is damaged"));
            };
            let (line, hash) = next(&mut tail, at, by, entry)?;
            written += line.len() as u64;
            out.write_all(line.as_bytes())?;
            hashes.push(hash);
            if n % CANCEL_EVERY == 0 && cancel.is_some_and(|(c, _)| c.load(Ordering::SeqCst)) {
                return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
            }
        }
        if entries > 1 && written != bytes {
            return Err(io::Error::other(format!(
                "the batch header promised {bytes} bytes but {written} were chained"
            )));
        }
        out.flush()?;
        drop(out);
        if self.cancelled() {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
        }
        self.file.sync_data()?;
        Ok(hashes)
    }

    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|(c, _)| c.load(Ordering::SeqCst))
    }

    /// Cuts the file back to `start` after a failed write, and says what happened.
    fn roll_back(&mut self, start: u64, cause: io::Error) -> LogError {
        let undone = self.file.set_len(start).and_then(|_| self.file.sync_all());
        let path = self.path.to_path_buf();
        match undone {
            Ok(()) if cause.kind() == io::ErrorKind::Interrupted => LogError::Interrupted { path },
            Ok(()) => LogError::WriteUndone {
                path,
                source: cause,
            },
            Err(cut) => LogError::WriteNotUndone {
                path,
                source: cause,
                cut,
            },
        }
    }

    /// Moves a torn tail into `side` and cuts the log back to its last whole entry.
    /// Returns what was moved, or `None` when the log has no torn tail.
    pub fn set_aside_torn(&mut self, side: &Path) -> Result<Option<TornTail>, LogError> {
        let Some(torn) = self.read_all_lines()?.torn else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        self.file
            .seek(SeekFrom::Start(torn.offset))
            .and_then(|_| self.file.read_to_end(&mut bytes))
            .map_err(io_err(self.path))?;
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(side)
            .map_err(io_err(side))?;
        out.write_all(&bytes)
            .and_then(|_| out.sync_all())
            .map_err(io_err(side))?;
        super::sync_dir(side)?;
        self.file
            .set_len(torn.offset)
            .and_then(|_| self.file.sync_all())
            .map_err(io_err(self.path))?;
        Ok(Some(torn))
    }
}
