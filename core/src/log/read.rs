//! Reading the log: a chunk at a time, each chunk's lines parsed in parallel and handed
//! on in order, so memory holds one chunk and what the reader keeps. Owns what counts as
//! a torn tail: bytes after the last line end that are not a whole entry, or a batch
//! whose header promises more bytes than the file holds.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use super::encode::{decode_line, line_hash};
use super::{io_err, LogError};
use crate::model::{BatchHeader, Entry, Record};

/// A record and where it stands in the file.
#[derive(Clone, Debug)]
pub struct Line {
    /// 1-based line number.
    pub line: usize,
    /// Byte offset of the line's first byte.
    pub offset: u64,
    /// The line's length in bytes, its line end included.
    pub len: u64,
    pub record: Record,
    /// With [`ReadMode::Verify`]: the hash the line's text actually has, when it differs
    /// from the one it carries.
    pub bad_hash: Option<String>,
}

/// The end of a log that a crash mid-write left: never read as entries, never built on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TornTail {
    /// The line it starts on.
    pub line: usize,
    /// Byte offset where it starts.
    pub offset: u64,
    pub bytes: usize,
    /// Whether it is a batch cut short (its header promised more than the file holds),
    /// rather than a last line with no line end.
    pub batch: bool,
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

/// What takes a log's records, chunk by chunk, in order.
pub type Sink<'a, E> = dyn FnMut(Vec<Line>) -> Result<(), E> + Send + 'a;

/// At most this much of a bad line is quoted in an error.
const EXCERPT: usize = 160;

pub(super) fn is_content(line: &[u8]) -> bool {
    let t = line.trim_ascii();
    !t.is_empty() && !t.starts_with(b"//")
}

/// Bytes read and parsed at a time: the memory a read needs beyond the state it builds.
pub const CHUNK: usize = 16 << 20;

/// A parse error's message, cut to a short excerpt: a damaged line can be any size.
fn short(msg: String) -> String {
    if msg.len() <= EXCERPT {
        return msg;
    }
    let mut end = EXCERPT;
    while !msg.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &msg[..end], msg.len())
}

/// Reads one line's text into a [`Line`].
pub fn parse_one(
    path: &Path,
    raw: &[u8],
    line: usize,
    offset: u64,
    len: u64,
    mode: ReadMode,
) -> Result<Line, LogError> {
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
        msg: short(msg),
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
        offset,
        len,
        record,
        bad_hash,
    })
}

/// The content lines of `bytes` (whole lines; it starts at byte `base` of the file, after
/// `lines_before` lines): each one's line number and span, with the line count after it.
fn line_spans(bytes: &[u8], lines_before: usize) -> (Vec<Span>, usize) {
    let mut spans = Vec::new();
    let mut start = 0usize;
    let mut line_no = lines_before;
    for end in memchr::memchr_iter(b'\n', bytes) {
        line_no += 1;
        if is_content(&bytes[start..end]) {
            spans.push(Span {
                line: line_no,
                start,
                end,
            });
        }
        start = end + 1;
    }
    (spans, line_no)
}

/// A content line of a [`Chunk`]: its number and where its text lies in the chunk.
#[derive(Clone, Copy, Debug)]
pub struct Span {
    /// 1-based line number.
    pub line: usize,
    /// The line's first byte in the chunk.
    pub start: usize,
    /// Its line end's byte in the chunk.
    pub end: usize,
}

/// Whole lines of a log, as [`read_chunks`] hands them on.
pub struct Chunk<'a> {
    /// The text: whole lines, each with its line end.
    pub bytes: &'a [u8],
    /// The byte offset of `bytes` in the file.
    pub offset: u64,
    /// Its content lines (not blank, not a comment), in order.
    pub spans: &'a [Span],
    /// Where the log's whole entries end (see [`whole_to`]): a batch whose header
    /// promises bytes past it was cut short.
    pub whole_to: u64,
}

impl<'a> Chunk<'a> {
    /// A line's text (without its line end), its byte offset in the file, and its
    /// canonical length: a CR before the line end (a checkout that converted line ends)
    /// is not part of what a batch header counted.
    pub fn line(&self, span: &Span) -> (&'a [u8], u64, u64) {
        let raw = &self.bytes[span.start..span.end];
        let cr = u64::from(raw.last() == Some(&b'\r'));
        let len = (span.end + 1 - span.start) as u64 - cr;
        (raw, self.offset + span.start as u64, len)
    }

    /// Parses every line in parallel; on a bad line, the error names the first one.
    fn parse(&self, path: &Path, mode: ReadMode) -> Result<Vec<Line>, LogError> {
        let parsed: Vec<Result<Line, LogError>> = self
            .spans
            .par_iter()
            .with_min_len(256)
            .map(|span| {
                let (raw, offset, len) = self.line(span);
                parse_one(path, raw, span.line, offset, len, mode)
            })
            .collect();
        parsed.into_iter().collect()
    }
}

/// The first line of a chunk that does not read, by line number, as the chunk's lines
/// worked out in parallel (in any order) find them: the read then fails with its error,
/// as the reference reader's would.
#[derive(Default)]
pub(crate) struct FirstBad(Mutex<Option<(usize, LogError)>>);

impl FirstBad {
    /// Notes that line `line` does not read, with `error`.
    pub(crate) fn note(&self, line: usize, error: LogError) {
        let mut bad = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if bad.as_ref().is_none_or(|(l, _)| line < *l) {
            *bad = Some((line, error));
        }
    }

    /// The error of the first line noted, if any.
    pub(crate) fn into_result(self) -> Result<(), LogError> {
        match self.0.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }
}

/// An empty list with `v`'s memory, for what another chunk's lines are worked out into.
/// The standard library collects a vector's own iterator in place when the items are
/// laid out alike (here they differ only in lifetime), so a read over many chunks does
/// not fault in fresh memory for each; were it not to, this would only allocate.
pub(crate) fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter()
        .map(|_| unreachable!("the list is empty"))
        .collect()
}

/// Whether a batch header at `offset`, its line `len` bytes long, promises bytes past
/// `whole_to`: the write it heads was cut short.
pub fn batch_cut_short(offset: u64, len: u64, header: &BatchHeader, whole_to: u64) -> bool {
    (offset + len)
        .checked_add(header.bytes)
        .is_none_or(|end| end > whole_to)
}

/// The torn tail that starts at a batch header cut short, on `line` at `offset`.
pub fn torn_batch(line: usize, offset: u64, whole_to: u64) -> TornTail {
    TornTail {
        line,
        offset,
        bytes: usize::try_from(whole_to.saturating_sub(offset)).unwrap_or(usize::MAX),
        batch: true,
    }
}

/// Cuts `lines` at the first batch whose header promises bytes past `whole_to`: that
/// batch and all after it are a torn tail.
fn cut_torn_batch(lines: &mut Vec<Line>, whole_to: u64) -> Option<TornTail> {
    let at = lines.iter().position(|l| match &l.record.entry {
        Entry::Batch(h) => batch_cut_short(l.offset, l.len, h, whole_to),
        _ => false,
    })?;
    let torn = torn_batch(lines[at].line, lines[at].offset, whole_to);
    lines.truncate(at);
    Some(torn)
}

/// What follows a log's last line end, and where it starts.
pub struct Rest {
    pub bytes: Vec<u8>,
    pub offset: u64,
    /// The line it is on.
    pub line: usize,
    /// Where the log's whole entries end, as [`Chunk::whole_to`].
    pub whole_to: u64,
}

/// Appends up to `chunk` bytes of `reader` to `buf`; true at the end of the file.
fn fill(
    path: &Path,
    reader: &mut (dyn Read + Send),
    buf: &mut Vec<u8>,
    chunk: usize,
) -> Result<bool, LogError> {
    // `read_to_end` grows the buffer to what there is: a small log costs little.
    let n = reader
        .take(chunk as u64)
        .read_to_end(buf)
        .map_err(io_err(path))?;
    Ok(n == 0)
}

/// Reads a log from `reader` (positioned at byte `at.0`, just after line `at.1`) a chunk
/// of whole lines at a time (about `size` bytes, see [`CHUNK`]), reading the next chunk
/// while `each` takes this one, so that memory holds two chunks and what `each` keeps.
/// `each` may stop the read. Returns what follows the last line end, or `None` when
/// `each` stopped.
pub fn read_chunks<E: From<LogError> + Send>(
    path: &Path,
    reader: &mut (dyn Read + Send),
    at: (u64, usize),
    whole_to: u64,
    size: usize,
    each: &mut (dyn FnMut(Chunk<'_>) -> Result<ControlFlow<()>, E> + Send),
) -> Result<Option<Rest>, E> {
    let (mut cur, mut next) = (Vec::new(), Vec::new());
    let (mut offset, mut lines_before) = at;
    let mut eof = fill(path, reader, &mut cur, size)?;
    loop {
        // Up to the last line end; the rest starts the next chunk.
        let cut = memchr::memrchr(b'\n', &cur).map_or(0, |i| i + 1);
        if cut == 0 && !eof {
            eof = fill(path, reader, &mut cur, size)?;
            continue;
        }
        let (filled, taken) = rayon::join(
            || {
                if eof {
                    return Ok(true);
                }
                next.clear();
                next.extend_from_slice(&cur[cut..]);
                fill(path, reader, &mut next, size)
            },
            || {
                let (spans, after) = line_spans(&cur[..cut], lines_before);
                let chunk = Chunk {
                    bytes: &cur[..cut],
                    offset,
                    spans: &spans,
                    whole_to,
                };
                each(chunk).map(|flow| (flow, after))
            },
        );
        let (flow, after) = taken?;
        if flow.is_break() {
            return Ok(None);
        }
        let next_eof = filled?;
        lines_before = after;
        offset += cut as u64;
        if eof {
            cur.drain(..cut);
            return Ok(Some(Rest {
                bytes: cur,
                offset,
                line: lines_before + 1,
                whole_to,
            }));
        }
        std::mem::swap(&mut cur, &mut next);
        eof = next_eof;
    }
}

/// Reads a log from `reader` a chunk at a time, handing each chunk's records to `sink`
/// in order, so that memory holds a few chunks and what `sink` keeps. `whole_to` is
/// where the log's whole lines end (see [`whole_to`]): a batch whose header promises
/// bytes past it was cut short. Returns the torn tail, if the log ends in one: its lines
/// never reach `sink`.
pub fn stream_log<E: From<LogError> + Send>(
    path: &Path,
    reader: &mut (dyn Read + Send),
    whole_to: u64,
    mode: ReadMode,
    sink: &mut Sink<'_, E>,
) -> Result<Option<TornTail>, E> {
    stream_log_at(path, reader, (0, 0), whole_to, mode, sink)
}

/// [`stream_log`] for a reader positioned at byte `at.0` of the log, just after line
/// `at.1`: the part of a log after what an index already holds.
pub fn stream_log_at<E: From<LogError> + Send>(
    path: &Path,
    reader: &mut (dyn Read + Send),
    at: (u64, usize),
    whole_to: u64,
    mode: ReadMode,
    sink: &mut Sink<'_, E>,
) -> Result<Option<TornTail>, E> {
    stream_log_by(path, reader, at, whole_to, mode, CHUNK, sink)
}

/// [`stream_log_at`], a chunk of about `size` bytes at a time.
pub fn stream_log_by<E: From<LogError> + Send>(
    path: &Path,
    reader: &mut (dyn Read + Send),
    at: (u64, usize),
    whole_to: u64,
    mode: ReadMode,
    size: usize,
    sink: &mut Sink<'_, E>,
) -> Result<Option<TornTail>, E> {
    // Parsed lines waiting for `sink`: it takes one chunk while the next is parsed.
    let mut pending: Option<Vec<Line>> = None;
    let mut torn = None;
    let rest = read_chunks(
        path,
        reader,
        at,
        whole_to,
        size,
        &mut |chunk| -> Result<_, E> {
            let (folded, parsed) = rayon::join(
                || pending.take().map_or(Ok(()), &mut *sink),
                || chunk.parse(path, mode),
            );
            folded?;
            let mut lines = parsed?;
            if let Some(t) = cut_torn_batch(&mut lines, chunk.whole_to) {
                sink(lines)?;
                torn = Some(t);
                return Ok(ControlFlow::Break(()));
            }
            if !lines.is_empty() {
                pending = Some(lines);
            }
            Ok(ControlFlow::Continue(()))
        },
    )?;
    let Some(rest) = rest else {
        return Ok(torn);
    };
    let mut lines = pending.take().unwrap_or_default();
    let torn = match rest.last(path, mode) {
        Last::Blank => None,
        Last::Whole(line) => {
            lines.push(*line);
            cut_torn_batch(&mut lines, rest.whole_to)
        }
        Last::Torn(t) => Some(t),
    };
    if !lines.is_empty() {
        sink(lines)?;
    }
    Ok(torn)
}

/// What follows the last line end.
pub enum Last {
    /// Nothing, or white space a person left (appends start a new line).
    Blank,
    /// A whole entry that lacks only its line end.
    Whole(Box<Line>),
    /// Part of a line: what a crash mid-write leaves.
    Torn(TornTail),
}

impl Rest {
    /// Reads what follows the last line end: only a line whose hash holds is taken as
    /// whole, as a cut line that happens to parse would carry the hash of a longer text.
    pub fn last(&self, path: &Path, mode: ReadMode) -> Last {
        let rest = &self.bytes;
        if !is_content(rest) {
            return Last::Blank;
        }
        // Its canonical length counts the line end it lacks, as its batch header did.
        let len = rest.strip_suffix(b"\r").unwrap_or(rest).len() as u64 + 1;
        match parse_one(path, rest, self.line, self.offset, len, ReadMode::Verify) {
            Ok(mut l) if l.bad_hash.is_none() => {
                if mode == ReadMode::Parse {
                    l.bad_hash = None;
                }
                Last::Whole(Box::new(l))
            }
            _ => Last::Torn(TornTail {
                line: self.line,
                offset: self.offset,
                bytes: rest.len(),
                batch: false,
            }),
        }
    }
}

/// Parses a whole log held in memory.
pub fn parse_log(path: &Path, bytes: &[u8], mode: ReadMode) -> Result<LogContents, LogError> {
    let mut lines = Vec::new();
    let torn = stream_log::<LogError>(
        path,
        &mut &bytes[..],
        whole_to_in(bytes),
        mode,
        &mut |mut chunk| {
            lines.append(&mut chunk);
            Ok(())
        },
    )?;
    Ok(LogContents { lines, torn })
}

/// The longest last line looked at to decide whether the log ends in a whole entry.
const LAST_LINE_MAX: u64 = 64 << 20;

/// Where a log's whole entries end, judged from what follows its last line end (`rest`,
/// starting at byte `start`): nothing or white space ends them at `start`; a whole entry
/// that lacks only its line end ends them one byte past the file (its line end is
/// counted, as a batch header counted it); anything else (part of a line, zeros a crash
/// left) ends them at `start`, so that a batch reaching into it reads as cut short.
fn whole_to_from(start: u64, rest: &[u8]) -> u64 {
    if !is_content(rest) {
        return start;
    }
    let whole = std::str::from_utf8(rest.strip_suffix(b"\r").unwrap_or(rest))
        .ok()
        .and_then(|t| Some((decode_line(t).ok()?, line_hash(t)?)))
        .is_some_and(|(r, h)| r.hash == h);
    if whole {
        start + rest.len() as u64 + 1
    } else {
        start
    }
}

/// [`whole_to_from`] for a log held in memory.
fn whole_to_in(bytes: &[u8]) -> u64 {
    let start = memchr::memrchr(b'\n', bytes).map_or(0, |i| i + 1);
    whole_to_from(start as u64, &bytes[start..])
}

/// [`whole_to_from`] for a log file of `len` bytes, reading only its end.
pub fn whole_to(file: &std::fs::File, len: u64) -> std::io::Result<u64> {
    use std::os::unix::fs::FileExt;
    let mut last = [0u8];
    if len == 0 || (file.read_exact_at(&mut last, len - 1).is_ok() && last[0] == b'\n') {
        return Ok(len);
    }
    // Back from the end to the last line end, a block at a time.
    let mut end = len;
    let mut rest: Vec<u8> = Vec::new();
    loop {
        let from = end.saturating_sub(64 << 10);
        let mut block = vec![0u8; (end - from) as usize];
        file.read_exact_at(&mut block, from)?;
        if let Some(i) = memchr::memrchr(b'\n', &block) {
            block.drain(..=i);
            block.extend_from_slice(&rest);
            return Ok(whole_to_from(from + i as u64 + 1, &block));
        }
        block.extend_from_slice(&rest);
        rest = block;
        if from == 0 {
            return Ok(whole_to_from(0, &rest));
        }
        if len - from > LAST_LINE_MAX {
            // No line end this far back: not a whole entry.
            return Ok(from);
        }
        end = from;
    }
}
