//! What `verify` needs of each log line, worked out in parallel a chunk at a time: the
//! hash its text really has, whether its claim id matches its content, and the few
//! fields the checks in order use. A line in factledger's own form is read in place
//! ([`view_line`]); any other goes through the reference decoder, so that what is
//! accepted and every error stay the same.

use std::borrow::Cow;
use std::path::Path;

use rayon::prelude::*;

use super::fold::Fold;
use crate::log::view::{is_hex_of, view_line, EntryView, RecordView};
use crate::log::{line_digest, parse_one, Chunk, FirstBad, Line, LogError, ReadMode, Span};
use crate::model::{claim_digest, to_hex, BatchHeader, Entry, Source};

/// One line, as the checks in order need it.
pub(super) struct Facts<'a> {
    pub line: usize,
    pub offset: u64,
    /// Its canonical length, line end included.
    pub len: u64,
    pub seq: u64,
    pub prev: Cow<'a, str>,
    pub hash: Cow<'a, str>,
    /// The hash the line's text actually has, when it differs from `hash`.
    pub bad_hash: Option<String>,
    pub what: What<'a>,
}

/// What a line records, as far as the checks look.
pub(super) enum What<'a> {
    Claim(ClaimFacts<'a>),
    Status {
        /// The claim id as written.
        claim: Cow<'a, str>,
        /// Its 32 bytes, when it is 64 hex digits.
        key: Option<[u8; 32]>,
    },
    Source(Box<Source>),
    Batch(BatchHeader),
    /// A kind a newer version wrote.
    Unknown(String),
    Import,
}

/// A claim, as the checks look at it.
pub(super) struct ClaimFacts<'a> {
    /// The id as written.
    pub id: Cow<'a, str>,
    /// Its 32 bytes, when it is 64 hex digits.
    pub key: Option<[u8; 32]>,
    /// The id the content hashes to, when it is not the one written.
    pub computed: Option<String>,
    pub source: Cow<'a, str>,
    /// The source's place in [`Fold::sources`], when it was known before this chunk.
    pub source_at: Option<usize>,
    pub quote: Option<Cow<'a, str>>,
}

/// A claim id as its 32 bytes, as the ledger keys it (hex of either case).
pub(super) fn id_key(id: &str) -> Option<[u8; 32]> {
    let mut b = [0u8; 32];
    hex::decode_to_slice(id, &mut b).ok()?;
    Some(b)
}

/// Works out every line of a chunk in parallel into `facts` (emptied first), each
/// claim's source looked up among those `known` before the chunk; on a bad line, the
/// error names the first one, as the reference reader's does.
pub(super) fn chunk_facts<'a>(
    path: &Path,
    chunk: &Chunk<'a>,
    known: &Fold,
    facts: &mut Vec<Facts<'a>>,
) -> Result<(), LogError> {
    let first_bad = FirstBad::default();
    let one = |span: &Span| {
        let (raw, offset, len) = chunk.line(span);
        let text = raw.strip_suffix(b"\r").unwrap_or(raw);
        let view = std::str::from_utf8(text)
            .ok()
            .and_then(|t| Some((t, view_line(t)?)));
        let mut f = match view {
            Some((text, view)) => of_view(text, view, span.line, offset, len),
            None => match parse_one(path, raw, span.line, offset, len, ReadMode::Verify) {
                Ok(line) => of_line(line),
                Err(e) => {
                    first_bad.note(span.line, e);
                    return Facts::bad(span.line);
                }
            },
        };
        if let What::Claim(c) = &mut f.what {
            c.source_at = known.source_at(&c.source);
        }
        f
    };
    // Written in place, in order: no per-line result to move again.
    chunk
        .spans
        .par_iter()
        .with_min_len(256)
        .map(one)
        .collect_into_vec(facts);
    first_bad.into_result()
}

impl Facts<'_> {
    /// What stands in for a line that does not parse: the read fails with its error.
    fn bad(line: usize) -> Self {
        Facts {
            line,
            offset: 0,
            len: 0,
            seq: 0,
            prev: Cow::Borrowed(""),
            hash: Cow::Borrowed(""),
            bad_hash: None,
            what: What::Import,
        }
    }
}

/// The facts of a line read in place: its hash and claim id recomputed, nothing copied.
fn of_view<'a>(text: &'a str, v: RecordView<'a>, line: usize, offset: u64, len: u64) -> Facts<'a> {
    let bad_hash = match line_digest(text) {
        Some(d) if is_hex_of(&d, v.hash) => None,
        Some(d) => Some(to_hex(&d)),
        None => Some(NO_HASH_FIELD.into()),
    };
    let what = match v.entry {
        EntryView::Claim(c) => {
            let digest = claim_digest(&c.content());
            let matches = is_hex_of(&digest, c.id);
            What::Claim(ClaimFacts {
                id: c.id.into(),
                key: if matches { Some(digest) } else { id_key(c.id) },
                computed: (!matches).then(|| to_hex(&digest)),
                source: c.source.into(),
                source_at: None,
                quote: c.quote.map(Cow::Borrowed),
            })
        }
        EntryView::Status(s) => What::Status {
            claim: s.claim.into(),
            key: id_key(s.claim),
        },
    };
    Facts {
        line,
        offset,
        len,
        seq: v.seq,
        prev: v.prev.into(),
        hash: v.hash.into(),
        bad_hash,
        what,
    }
}

/// What the reference reader says of a line that does not end in its hash field.
const NO_HASH_FIELD: &str = "(the line does not end in its hash field)";

/// The facts of a line the reference decoder read.
pub(super) fn of_line(l: Line) -> Facts<'static> {
    let r = l.record;
    let what = match r.entry {
        Entry::Claim(c) => {
            let computed = c.computed_id();
            What::Claim(ClaimFacts {
                key: id_key(&c.id),
                computed: (computed != c.id).then_some(computed),
                id: c.id.into(),
                source: c.source.into(),
                source_at: None,
                quote: c.quote.map(Cow::Owned),
            })
        }
        Entry::Status(s) => What::Status {
            key: id_key(&s.claim),
            claim: s.claim.into(),
        },
        Entry::Source(s) => What::Source(Box::new(s)),
        Entry::Batch(h) => What::Batch(h),
        Entry::Import(_) => What::Import,
        Entry::Unknown(u) => What::Unknown(u.kind),
    };
    Facts {
        line: l.line,
        offset: l.offset,
        len: l.len,
        seq: r.seq,
        prev: r.prev.into(),
        hash: r.hash.into(),
        bad_hash: l.bad_hash,
        what,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_hash_field_text_is_the_reference_readers() {
        let line = "(seq:1,at:\"t\",by:\"b\",prev:\"p\",entry:Status((claim:\"c\",status:verified)),hash:\"x\")";
        let l = parse_one(
            Path::new("log.ron"),
            line.as_bytes(),
            1,
            0,
            1,
            ReadMode::Verify,
        )
        .unwrap();
        assert_eq!(l.bad_hash.as_deref(), Some(NO_HASH_FIELD));
        let v = view_line(line).unwrap();
        assert_eq!(
            of_view(line, v, 1, 0, 1).bad_hash.as_deref(),
            Some(NO_HASH_FIELD)
        );
    }
}
