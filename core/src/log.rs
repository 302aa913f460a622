//! The log file `ledger/log.ron`: one RON record per line, appended under an exclusive
//! lock and fsynced, never rewritten. Owns reading (in parallel), the hash chain, torn-tail
//! detection and setting a torn tail aside.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use fd_lock::RwLock;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

#[cfg(doc)]
use crate::model::Unhashed;
use crate::model::{Claim, DateValue, Entry, Record, Value};

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
        "{path}:{line}: the last line is torn ({bytes} bytes with no line end, as a crash \
         mid-write leaves it), so nothing can be appended after it.\n\
         Run `factledger recover` to move those bytes to a side file and carry on."
    )]
    Torn {
        path: PathBuf,
        line: usize,
        bytes: usize,
    },
    #[error("{path}: {what}")]
    Encode { path: PathBuf, what: String },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> LogError + '_ {
    move |source| LogError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A record and where it stands in the file.
#[derive(Clone, Debug)]
pub struct Line {
    /// 1-based line number.
    pub line: usize,
    pub record: Record,
    /// With [`ReadMode::Verify`]: the hash the line's text actually has, when it differs
    /// from the one it carries.
    pub bad_hash: Option<String>,
}

/// A torn last line: bytes after the last line end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TornTail {
    pub line: usize,
    /// Byte offset where the torn bytes start.
    pub offset: u64,
    pub bytes: usize,
}

/// Everything read from a log.
#[derive(Debug, Default)]
pub struct LogContents {
    pub lines: Vec<Line>,
    pub torn: Option<TornTail>,
}

/// Whether reading also recomputes each line's hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadMode {
    Parse,
    Verify,
}

/// The hash a record line must carry: sha256 of its text before `,hash:`, closed by `)`.
/// `None` when the line does not end in a hash field at all.
pub fn line_hash(line: &str) -> Option<String> {
    let cut = line.len().checked_sub(HASH_SUFFIX_LEN)?;
    if !line.is_char_boundary(cut) || !line[cut..].starts_with(",hash:\"") {
        return None;
    }
    let mut h = Sha256::new();
    h.update(&line.as_bytes()[..cut]);
    h.update(b")");
    Some(crate::model::to_hex(&h.finalize()))
}

/// Encodes one record line (with its trailing newline) chained after `prev`.
pub fn encode_line(
    seq: u64,
    at: &str,
    by: &str,
    prev: &str,
    entry: &Entry,
) -> Result<(String, String), String> {
    let entry = encode_entry(entry)?;
    Ok(chain_line(
        seq,
        &encode_str(at)?,
        &encode_str(by)?,
        prev,
        &entry,
    ))
}

/// The RON text of an entry, as it stands inside its line; encoding is independent of
/// the chain, so bulk writers can do it in parallel.
pub fn encode_entry(entry: &Entry) -> Result<String, String> {
    ron_options().to_string(entry).map_err(|e| e.to_string())
}

/// Appends `s` as a RON string literal. Text that needs no escaping (the usual case) is
/// copied as is; anything else goes through RON's own escaper, so the bytes are always
/// what `ron` itself would write.
fn push_ron_str(out: &mut String, s: &str) {
    if s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && !matches!(b, b'"' | b'\\' | b'\''))
    {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&encode_str(s).unwrap_or_else(|_| "\"\"".into()));
    }
}

/// The RON text of `Entry::Claim(claim)`, written by hand for bulk writers (an import
/// encodes a million of them): byte for byte what [`encode_entry`] writes, which a test
/// checks on generated claims.
pub fn encode_claim_entry(c: &Claim) -> String {
    let mut o = String::with_capacity(256 + c.quote.as_ref().map_or(0, String::len));
    o.push_str("Claim((id:");
    push_ron_str(&mut o, &c.id);
    for (name, v) in [
        ("source", &c.source),
        ("subject", &c.subject),
        ("property", &c.property),
    ] {
        o.push(',');
        o.push_str(name);
        o.push(':');
        push_ron_str(&mut o, v);
    }
    o.push_str(",value:");
    let date = |o: &mut String, d: &DateValue| {
        o.push_str("(raw:");
        push_ron_str(o, &d.raw);
        o.push_str(",span:");
        push_ron_str(o, &crate::time::encode_span(&d.span));
        if let Some(r) = &d.reference {
            o.push_str(",reference:");
            push_ron_str(o, r);
        }
        o.push(')');
    };
    match &c.value {
        Value::Quantity { raw, interval } => {
            o.push_str("Quantity(raw:");
            push_ron_str(&mut o, raw);
            o.push_str(",interval:");
            push_ron_str(&mut o, &interval.encode());
            o.push(')');
        }
        Value::Date(d) => {
            o.push_str("Date(");
            date(&mut o, d);
            o.push(')');
        }
        Value::Text { raw } => {
            o.push_str("Text(raw:");
            push_ron_str(&mut o, raw);
            o.push(')');
        }
    }
    if let Some(u) = &c.unit {
        o.push_str(",unit:");
        push_ron_str(&mut o, u);
    }
    if let Some(a) = &c.as_of {
        o.push_str(",as_of:");
        date(&mut o, a);
    }
    for (name, v) in [
        ("quote", &c.quote),
        ("note", &c.note),
        ("supersedes", &c.supersedes),
    ] {
        if let Some(v) = v {
            o.push(',');
            o.push_str(name);
            o.push(':');
            push_ron_str(&mut o, v);
        }
    }
    o.push_str("))");
    o
}

/// How the log uses RON: optional fields are written bare (`quote:"..."`, not
/// `quote:Some("...")`), which keeps lines short and readable.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// The RON text of a string (quoted and escaped).
pub fn encode_str(s: &str) -> Result<String, String> {
    ron::to_string(s).map_err(|e| e.to_string())
}

/// Builds a record line from its encoded parts; returns the line (with `\n`) and its
/// hash. The text is exactly what serializing [`Unhashed`] then [`Record`] gives, so a
/// line is read back by `ron` as a `Record`.
pub fn chain_line(
    seq: u64,
    at_ron: &str,
    by_ron: &str,
    prev: &str,
    entry_ron: &str,
) -> (String, String) {
    let mut line = String::with_capacity(entry_ron.len() + at_ron.len() + by_ron.len() + 180);
    line.push_str("(seq:");
    line.push_str(&seq.to_string());
    line.push_str(",at:");
    line.push_str(at_ron);
    line.push_str(",by:");
    line.push_str(by_ron);
    line.push_str(",prev:\"");
    line.push_str(prev);
    line.push_str("\",entry:");
    line.push_str(entry_ron);
    let mut h = Sha256::new();
    h.update(line.as_bytes());
    h.update(b")");
    let hash = crate::model::to_hex(&h.finalize());
    line.push_str(",hash:\"");
    line.push_str(&hash);
    line.push_str("\")\n");
    (line, hash)
}

/// Decodes one line of text into a record, with its 1-based column on error.
pub fn decode_line(text: &str) -> Result<Record, (usize, String)> {
    if let Some(r) = crate::line::decode_fast(text) {
        return Ok(r);
    }
    ron_options()
        .from_str::<Record>(text)
        .map_err(|e| (e.span.start.col.max(1), e.code.to_string()))
}

fn is_content(line: &[u8]) -> bool {
    let t = line.trim_ascii();
    !t.is_empty() && !t.starts_with(b"//")
}

/// Bytes read and parsed at a time: the memory a read needs beyond the state it builds.
const CHUNK: usize = 16 << 20;

/// Parses whole lines (`bytes` ends in a line end, or is empty) in parallel; line
/// numbers start after `lines_before`. On a bad line, the error names the first one.
fn parse_lines(
    path: &Path,
    bytes: &[u8],
    lines_before: usize,
    mode: ReadMode,
) -> Result<(Vec<Line>, usize), LogError> {
    let mut spans = Vec::new();
    let mut start = 0usize;
    let mut line_no = lines_before;
    for end in memchr::memchr_iter(b'\n', bytes) {
        line_no += 1;
        if is_content(&bytes[start..end]) {
            spans.push((line_no, start, end));
        }
        start = end + 1;
    }
    let parsed: Vec<Result<Line, LogError>> = spans
        .par_iter()
        .with_min_len(256)
        .map(|&(line, s, e)| {
            let raw = &bytes[s..e];
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            let text = std::str::from_utf8(raw).map_err(|err| LogError::Parse {
                path: path.to_path_buf(),
                line,
                col: err.valid_up_to() + 1,
                msg: "invalid UTF-8".into(),
            })?;
            let record = decode_line(text).map_err(|(col, msg)| LogError::Parse {
                path: path.to_path_buf(),
                line,
                col,
                msg,
            })?;
            let bad_hash = match mode {
                ReadMode::Parse => None,
                ReadMode::Verify => match line_hash(text) {
                    Some(h) if h == record.hash => None,
                    Some(h) => Some(h),
                    None => Some("(the line does not end in its hash field)".into()),
                },
            };
            Ok(Line {
                line,
                record,
                bad_hash,
            })
        })
        .collect();
    let lines = parsed.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok((lines, line_no))
}

/// Reads a log from `reader` a chunk at a time, handing each chunk's records to `sink`
/// in order, so that memory holds one chunk and what `sink` keeps. Returns the torn
/// tail, if the log ends in one.
pub fn stream_log<E: From<LogError> + Send>(
    path: &Path,
    reader: &mut dyn Read,
    mode: ReadMode,
    sink: &mut Sink<'_, E>,
) -> Result<Option<TornTail>, E> {
    let mut buf: Vec<u8> = Vec::new();
    let (mut lines_before, mut offset) = (0usize, 0u64);
    // Parsed lines waiting for `sink`: it takes one chunk while the next is parsed.
    let mut pending: Option<Vec<Line>> = None;
    loop {
        // `read_to_end` grows the buffer to what there is: a small log costs little.
        let n = (&mut *reader)
            .take(CHUNK as u64)
            .read_to_end(&mut buf)
            .map_err(|e| E::from(io_err(path)(e)))?;
        let eof = n == 0;
        // Parse up to the last line end; carry the rest into the next chunk.
        let cut = match memchr::memrchr(b'\n', &buf) {
            Some(i) => i + 1,
            None if eof => 0,
            None => continue,
        };
        let (folded, parsed) = rayon::join(
            || pending.take().map_or(Ok(()), &mut *sink),
            || parse_lines(path, &buf[..cut], lines_before, mode),
        );
        folded?;
        let (lines, after) = parsed?;
        if !lines.is_empty() {
            pending = Some(lines);
        }
        lines_before = after;
        offset += cut as u64;
        buf.drain(..cut);
        if eof {
            if let Some(lines) = pending.take() {
                sink(lines)?;
            }
            // White space after the last line end is not torn (appends start a new line).
            return Ok((!buf.trim_ascii().is_empty()).then(|| TornTail {
                line: lines_before + 1,
                offset,
                bytes: buf.len(),
            }));
        }
    }
}

/// What takes a log's records, chunk by chunk, in order.
pub type Sink<'a, E> = dyn FnMut(Vec<Line>) -> Result<(), E> + Send + 'a;

/// Parses a whole log held in memory.
pub fn parse_log(path: &Path, bytes: &[u8], mode: ReadMode) -> Result<LogContents, LogError> {
    let mut lines = Vec::new();
    let torn = stream_log::<LogError>(path, &mut &bytes[..], mode, &mut |mut chunk| {
        lines.append(&mut chunk);
        Ok(())
    })?;
    Ok(LogContents { lines, torn })
}

/// The log of one ledger directory.
#[derive(Clone, Debug)]
pub struct Log {
    path: PathBuf,
}

/// What an append needs to know of the log's end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tail {
    pub seq: u64,
    pub hash: String,
}

impl Log {
    /// The log in ledger directory `dir`.
    pub fn in_dir(dir: &Path) -> Log {
        Log {
            path: dir.join(LOG_FILE),
        }
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
        .map_err(io_err(&self.path))
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
        // `&File` reads too, so a shared guard is enough.
        let mut file: &File = &guard;
        stream_log(&self.path, &mut file, mode, sink)
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
        };
        f(&mut w)
    }
}

/// Appending access to the log, only to be had under its exclusive lock.
pub struct Writer<'a> {
    path: &'a Path,
    file: &'a mut File,
}

impl Writer<'_> {
    /// Reads the whole log a chunk at a time (the lock is already held).
    pub fn read_stream<E: From<LogError> + Send>(
        &mut self,
        mode: ReadMode,
        sink: &mut Sink<'_, E>,
    ) -> Result<Option<TornTail>, E> {
        self.file
            .seek(SeekFrom::Start(0))
            .map_err(|e| E::from(io_err(self.path)(e)))?;
        stream_log(self.path, &mut *self.file, mode, sink)
    }

    /// The last entry's sequence number and hash, read from the file's end only; fails on
    /// a torn tail.
    pub fn tail(&mut self) -> Result<Tail, LogError> {
        let len = self
            .file
            .seek(SeekFrom::End(0))
            .map_err(io_err(self.path))?;
        let mut chunk = 4096u64;
        loop {
            let from = len.saturating_sub(chunk);
            let mut buf = vec![0; (len - from) as usize];
            self.file
                .seek(SeekFrom::Start(from))
                .and_then(|_| self.file.read_exact(&mut buf))
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
            chunk *= 4;
        }
    }

    /// Looks for the last record line inside `buf` (the file's bytes from `from` to the
    /// end); `None` when `buf` holds no whole record line.
    fn tail_in(&self, buf: &[u8], from: u64) -> Result<Option<Tail>, LogError> {
        let last_nl = memchr::memrchr(b'\n', buf);
        let after = last_nl.map_or(0, |i| i + 1);
        if !buf[after..].trim_ascii().is_empty() {
            // The torn tail's line number needs the whole file; this path is rare.
            let torn = self.read_all_lines()?.torn;
            let (line, bytes) = torn.map_or((0, buf.len() - after), |t| (t.line, t.bytes));
            return Err(LogError::Torn {
                path: self.path.to_path_buf(),
                line,
                bytes,
            });
        }
        let Some(mut end) = last_nl else {
            return Ok(None);
        };
        loop {
            let start = match memchr::memrchr(b'\n', &buf[..end]) {
                Some(i) => i + 1,
                None if from == 0 => 0,
                None => return Ok(None),
            };
            let line = &buf[start..end];
            if is_content(line) {
                let text = std::str::from_utf8(line).unwrap_or("");
                return match decode_line(text.trim_end_matches('\r')) {
                    Ok(r) => Ok(Some(Tail {
                        seq: r.seq,
                        hash: r.hash,
                    })),
                    // A full read names the line and column of what is wrong.
                    Err(_) => {
                        Err(self
                            .read_all_lines()
                            .err()
                            .unwrap_or_else(|| LogError::Encode {
                                path: self.path.to_path_buf(),
                                what: "the last entry does not parse".into(),
                            }))
                    }
                };
            }
            if start == 0 {
                return Ok(None);
            }
            end = start - 1;
        }
    }

    fn read_all_lines(&self) -> Result<LogContents, LogError> {
        let bytes = std::fs::read(self.path).map_err(io_err(self.path))?;
        parse_log(self.path, &bytes, ReadMode::Parse)
    }

    /// Whether the file ends without a line end (after white space a person left), so
    /// that an append must start a new line.
    fn needs_line_end(&mut self) -> Result<bool, LogError> {
        let len = self
            .file
            .seek(SeekFrom::End(0))
            .map_err(io_err(self.path))?;
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

    /// Appends `text` (whole lines, each ending in `\n`) in one write, then fsyncs.
    pub fn append_raw(&mut self, text: &[u8]) -> Result<(), LogError> {
        let text: std::borrow::Cow<[u8]> = if self.needs_line_end()? {
            let mut t = b"\n".to_vec();
            t.extend_from_slice(text);
            t.into()
        } else {
            text.into()
        };
        self.file
            .write_all(&text)
            .and_then(|_| self.file.sync_data())
            .map_err(io_err(self.path))
    }

    /// Appends everything `from` holds (whole lines, already chained after the tail), then
    /// fsyncs once.
    pub fn append_from(&mut self, from: &mut impl Read) -> Result<u64, LogError> {
        if self.needs_line_end()? {
            self.file.write_all(b"\n").map_err(io_err(self.path))?;
        }
        let n = io::copy(from, &mut *self.file).map_err(io_err(self.path))?;
        self.file.sync_data().map_err(io_err(self.path))?;
        Ok(n)
    }

    /// Appends entries chained after the current tail, in one write; returns their hashes.
    pub fn append(
        &mut self,
        at: &str,
        by: &str,
        entries: &[Entry],
    ) -> Result<Vec<String>, LogError> {
        let mut tail = self.tail()?;
        let mut text = String::new();
        let mut hashes = Vec::with_capacity(entries.len());
        for e in entries {
            let (line, hash) =
                encode_line(tail.seq + 1, at, by, &tail.hash, e).map_err(|what| {
                    LogError::Encode {
                        path: self.path.to_path_buf(),
                        what,
                    }
                })?;
            text.push_str(&line);
            tail = Tail {
                seq: tail.seq + 1,
                hash: hash.clone(),
            };
            hashes.push(hash);
        }
        self.append_raw(text.as_bytes())?;
        Ok(hashes)
    }

    /// Moves a torn tail into `side` and cuts the log back to its last whole line.
    /// Returns what was moved, or `None` when the log has no torn tail.
    pub fn set_aside_torn(&mut self, side: &Path) -> Result<Option<TornTail>, LogError> {
        let contents = self.read_all_lines();
        let torn = match contents {
            Ok(c) => c.torn,
            Err(e) => return Err(e),
        };
        let Some(torn) = torn else { return Ok(None) };
        let mut bytes = vec![0; torn.bytes];
        self.file
            .seek(SeekFrom::Start(torn.offset))
            .and_then(|_| self.file.read_exact(&mut bytes))
            .map_err(io_err(self.path))?;
        let mut out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(side)
            .map_err(io_err(side))?;
        out.write_all(&bytes)
            .and_then(|_| out.sync_all())
            .map_err(io_err(side))?;
        self.file
            .set_len(torn.offset)
            .and_then(|_| self.file.sync_all())
            .map_err(io_err(self.path))?;
        Ok(Some(torn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Source, Unhashed};

    fn entry() -> Entry {
        Entry::Source(Source {
            id: "s".into(),
            title: "A \"title\" with ’ and \n newline".into(),
            outlet: None,
            author: Some("x".into()),
            url: None,
            published: None,
            published_note: None,
            file: None,
            sha256: None,
        })
    }

    #[test]
    fn hand_built_lines_match_serde_and_read_back() {
        let e = entry();
        let (line, hash) = encode_line(7, "2024-01-01T00:00:00Z", "a \"b\"", GENESIS, &e).unwrap();
        let serde = ron_options()
            .to_string(&Unhashed {
                seq: 7,
                at: "2024-01-01T00:00:00Z",
                by: "a \"b\"",
                prev: GENESIS,
                entry: &e,
            })
            .unwrap();
        assert_eq!(hex::encode(Sha256::digest(serde.as_bytes())), hash);
        assert_eq!(&line[..serde.len() - 1], &serde[..serde.len() - 1]);
        assert_eq!(line.matches('\n').count(), 1, "one line: {line}");
        let r = decode_line(line.trim_end()).unwrap();
        assert_eq!(r.entry, e);
        assert_eq!(line_hash(line.trim_end()).unwrap(), r.hash);
    }

    #[test]
    fn torn_tail_is_found_and_not_parsed() {
        let (l1, _) = encode_line(1, "t", "b", GENESIS, &entry()).unwrap();
        let bytes = format!("// c\n{l1}(seq:2,at:\"t");
        let c = parse_log(Path::new("log.ron"), bytes.as_bytes(), ReadMode::Verify).unwrap();
        assert_eq!(c.lines.len(), 1);
        assert_eq!(c.lines[0].line, 2);
        assert!(c.lines[0].bad_hash.is_none());
        assert_eq!(
            c.torn,
            Some(TornTail {
                line: 3,
                offset: (5 + l1.len()) as u64,
                bytes: 12
            })
        );
    }
}

#[cfg(test)]
mod roundtrip {
    use chrono::{Duration, NaiveDate};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::*;
    use crate::model::{Claim, DateValue, Value};
    use crate::time::{parse_date, Precision, TimeSpan};
    use crate::value::{Bound, Interval};

    fn bound() -> impl Strategy<Value = Bound> {
        prop_oneof![
            Just(Bound::Unbounded),
            (any::<i64>(), 0u32..6).prop_map(|(m, s)| Bound::Incl(Decimal::new(m, s))),
            (any::<i64>(), 0u32..6).prop_map(|(m, s)| Bound::Excl(Decimal::new(m, s))),
        ]
    }

    fn span() -> impl Strategy<Value = TimeSpan> {
        let day = (1000i32..9000, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
        prop_oneof![
            // The spans the grammar makes, through their text.
            (day.clone(), 0usize..4).prop_map(|(d, form)| {
                let text = match form {
                    0 => d.format("%Y").to_string(),
                    1 => d.format("%Y-%m").to_string(),
                    2 => d.format("%Y-%m-%d").to_string(),
                    _ => format!("late {}", d.format("%Y")),
                };
                parse_date(&text, None).unwrap().span
            }),
            // Any span at all, with any precision, to the minute.
            (day, 0i64..5_000_000, 0i64..100_000, 0usize..7).prop_map(|(d, start, len, p)| {
                let start = d.and_hms_opt(0, 0, 0).unwrap() + Duration::minutes(start);
                let precision = [
                    Precision::Minute,
                    Precision::Day,
                    Precision::Month,
                    Precision::Part,
                    Precision::Year,
                    Precision::Decade,
                    Precision::Span,
                ][p];
                TimeSpan {
                    start,
                    end: start + Duration::minutes(len + 1),
                    precision,
                }
            }),
        ]
    }

    /// Any text, or printable ASCII with quotes and backslashes (what most text is).
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[ -~]{0,30}"]
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            (text(), bound(), bound()).prop_map(|(raw, low, high)| Value::Quantity {
                raw,
                interval: Interval { low, high }
            }),
            (text(), span(), proptest::option::of(text())).prop_map(|(raw, span, reference)| {
                Value::Date(DateValue {
                    raw,
                    span,
                    reference,
                })
            }),
            text().prop_map(|raw| Value::Text { raw }),
        ]
    }

    proptest! {
        /// Whatever a claim holds (any text, control characters and quotes included, any
        /// interval, any span) is written as one line and read back as itself.
        #[test]
        fn a_written_line_reads_back_as_the_same_record(
            seq in 1u64..u64::MAX,
            by in text(),
            source in text(),
            subject in text(),
            value in value(),
            quote in proptest::option::of(text()),
            unit in proptest::option::of(text()),
            as_of in proptest::option::of(span()),
        ) {
            let claim = Claim {
                id: "ab".repeat(32),
                source,
                subject,
                property: "p".into(),
                value,
                unit,
                as_of: as_of.map(|span| DateValue { raw: "x".into(), span, reference: None }),
                quote,
                note: None,
                supersedes: None,
            };
            let entry = Entry::Claim(claim);
            let (line, hash) = encode_line(seq, "2024-01-01T00:00:00Z", &by, GENESIS, &entry).unwrap();
            prop_assert_eq!(line.matches('\n').count(), 1);
            prop_assert!(line.ends_with('\n'));
            let text = line.trim_end_matches('\n');
            let r = decode_line(text).unwrap();
            prop_assert_eq!(&r.entry, &entry);
            prop_assert_eq!(&r.by, &by);
            prop_assert_eq!(r.seq, seq);
            prop_assert_eq!(line_hash(text), Some(hash));
            prop_assert_eq!(
                crate::line::decode_fast(text),
                Some(ron_options().from_str::<Record>(text).unwrap()).filter(|_| !text.contains('\\'))
            );
            let Entry::Claim(claim) = &entry else { unreachable!() };
            prop_assert_eq!(encode_claim_entry(claim), encode_entry(&entry).unwrap());
        }
    }

    fn opt() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(text())
    }

    proptest! {
        /// Sources and status changes read back too, by both readers alike.
        #[test]
        fn sources_and_statuses_read_back(
            id in text(), title in text(), outlet in opt(), url in opt(), note in opt(),
            published in proptest::option::of(span()), st in 0usize..6, evidence in opt(),
        ) {
            let source = Entry::Source(crate::model::Source {
                id: id.clone(),
                title,
                outlet,
                author: None,
                url,
                published: published.map(|span| DateValue { raw: "r".into(), span, reference: None }),
                published_note: note.clone(),
                file: None,
                sha256: None,
            });
            let status = Entry::Status(crate::model::StatusChange {
                claim: id,
                status: crate::model::Status::ALL[st],
                note,
                evidence,
            });
            for entry in [source, status] {
                let (line, _) = encode_line(3, "t", "b", GENESIS, &entry).unwrap();
                let text = line.trim_end_matches('\n');
                prop_assert_eq!(&decode_line(text).unwrap().entry, &entry);
                let by_ron = ron_options().from_str::<Record>(text).unwrap();
                prop_assert_eq!(&by_ron.entry, &entry);
                if !text.contains('\\') {
                    prop_assert_eq!(crate::line::decode_fast(text), Some(by_ron));
                }
            }
        }
    }
}
