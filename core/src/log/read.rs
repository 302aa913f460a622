//! Reading the log: a chunk at a time, each chunk's lines parsed in parallel and handed
//! on in order, so memory holds one chunk and what the reader keeps. Owns what counts as
//! a torn tail: bytes after the last line end that are not a whole entry, or a batch
//! whose header promises more bytes than the file holds.

use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use super::encode::{decode_line, line_hash};
use super::{io_err, LogError};
use crate::model::{Entry, Record};

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
const CHUNK: usize = 16 << 20;

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
fn parse_one(
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

/// Parses whole lines (`bytes` ends in a line end, or is empty; it starts at byte
/// `base` of the file) in parallel; line numbers start after `lines_before`. On a bad
/// line, the error names the first one.
fn parse_lines(
    path: &Path,
    bytes: &[u8],
    base: u64,
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
            // The canonical length: a CR before the line end (a checkout that converted
            // line ends) is not part of what a batch header counted.
            let cr = usize::from(e > s && bytes[e - 1] == b'\r');
            let len = (e + 1 - s - cr) as u64;
            parse_one(path, &bytes[s..e], line, base + s as u64, len, mode)
        })
        .collect();
    let lines = parsed.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok((lines, line_no))
}

/// Cuts `lines` at the first batch whose header promises bytes past `whole_to`: that
/// batch and all after it are a torn tail.
fn cut_torn_batch(lines: &mut Vec<Line>, whole_to: u64) -> Option<TornTail> {
    let at = lines.iter().position(|l| match &l.record.entry {
        Entry::Batch(h) => (l.offset + l.len)
            .checked_add(h.bytes)
            .is_none_or(|end| end > whole_to),
        _ => false,
    })?;
    let first = &lines[at];
    let torn = TornTail {
        line: first.line,
        offset: first.offset,
        bytes: usize::try_from(whole_to.saturating_sub(first.offset)).unwrap_or(usize::MAX),
        batch: true,
    };
    lines.truncate(at);
    Some(torn)
}

/// Reads a log from `reader` a chunk at a time, handing each chunk's records to `sink`
/// in order, so that memory holds one chunk and what `sink` keeps. `whole_to` is where
/// the log's whole lines end (see [`whole_to`]): a batch whose header promises bytes
/// past it was cut short. Returns the torn tail, if the log ends in one: its lines never
/// reach `sink`.
pub fn stream_log<E: From<LogError> + Send>(
    path: &Path,
    reader: &mut dyn Read,
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
    reader: &mut dyn Read,
    at: (u64, usize),
    whole_to: u64,
    mode: ReadMode,
    sink: &mut Sink<'_, E>,
) -> Result<Option<TornTail>, E> {
    let mut buf: Vec<u8> = Vec::new();
    let (mut offset, mut lines_before) = at;
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
            || parse_lines(path, &buf[..cut], offset, lines_before, mode),
        );
        folded?;
        let (mut lines, after) = parsed?;
        if let Some(torn) = cut_torn_batch(&mut lines, whole_to) {
            sink(lines)?;
            return Ok(Some(torn));
        }
        if !lines.is_empty() {
            pending = Some(lines);
        }
        lines_before = after;
        offset += cut as u64;
        buf.drain(..cut);
        if eof {
            let last = unterminated_line(path, &buf, offset, lines_before + 1, mode);
            let mut lines = pending.take().unwrap_or_default();
            let torn = match last {
                Last::Blank => None,
                Last::Whole(line) => {
                    lines.push(*line);
                    cut_torn_batch(&mut lines, whole_to)
                }
                Last::Torn => Some(TornTail {
                    line: lines_before + 1,
                    offset,
                    bytes: buf.len(),
                    batch: false,
                }),
            };
            if !lines.is_empty() {
                sink(lines)?;
            }
            return Ok(torn);
        }
    }
}

/// What follows the last line end.
enum Last {
    /// Nothing, or white space a person left (appends start a new line).
    Blank,
    /// A whole entry that lacks only its line end.
    Whole(Box<Line>),
    /// Part of a line: what a crash mid-write leaves.
    Torn,
}

fn unterminated_line(path: &Path, rest: &[u8], offset: u64, line: usize, mode: ReadMode) -> Last {
    if !is_content(rest) {
        return Last::Blank;
    }
    // Its canonical length counts the line end it lacks, as its batch header did.
    let len = rest.strip_suffix(b"\r").unwrap_or(rest).len() as u64 + 1;
    match parse_one(path, rest, line, offset, len, ReadMode::Verify) {
        // Only a line whose hash holds is taken as whole: a cut line that happens to
        // parse would carry the hash of a longer text.
        Ok(mut l) if l.bad_hash.is_none() => {
            if mode == ReadMode::Parse {
                l.bad_hash = None;
            }
            Last::Whole(Box::new(l))
        }
        _ => Last::Torn,
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
