//! The checks of the log itself, line by line in order: each entry's hash, the chain of
//! `prev`, the sequence, claim ids against their content, and batches that hold exactly
//! what their headers promise.

use super::scan::{Facts, What};
use super::Problem;
use crate::log::GENESIS;
use crate::model::short_id;

/// A batch header's promise, being checked against the lines after it.
struct OpenBatch {
    line: usize,
    entries: u64,
    bytes: u64,
    seen_entries: u64,
    seen_bytes: u64,
}

/// The state carried from one line to the next.
pub(super) struct ChainCheck {
    prev: String,
    prev_line: usize,
    seq: u64,
    batch: Option<OpenBatch>,
}

impl ChainCheck {
    pub(super) fn new() -> Self {
        ChainCheck {
            prev: GENESIS.to_string(),
            prev_line: 0,
            seq: 0,
            batch: None,
        }
    }

    /// Checks one line, in log order.
    pub(super) fn line(&mut self, l: &Facts<'_>, problems: &mut Vec<Problem>) {
        let mut say = |kind: &'static str, message: String| {
            problems.push(Problem {
                line: Some(l.line),
                kind,
                message: format!("line {}: {message}", l.line),
            })
        };
        if let Some(actual) = &l.bad_hash {
            say("hash", format!("the entry's text hashes to {actual} but it carries {}: the entry was changed after it was written", l.hash));
        }
        if *l.prev != *self.prev {
            say(
                "chain",
                if self.prev_line == 0 {
                    format!("the first entry's prev is {} where it should be all zeros: entries before it were removed", l.prev)
                } else {
                    format!("prev is {} but the entry before it (line {}) has hash {}: an entry was removed, inserted or reordered", l.prev, self.prev_line, self.prev)
                },
            );
        }
        if Some(l.seq) != self.seq.checked_add(1) {
            say(
                "seq",
                format!("sequence number {} follows {}", l.seq, self.seq),
            );
        }
        if let What::Claim(c) = &l.what {
            if let Some(computed) = &c.computed {
                say(
                    "claim-id",
                    format!(
                        "claim id {} does not match its content, which hashes to {}",
                        short_id(&c.id),
                        short_id(computed)
                    ),
                );
            }
        }
        self.batch_line(l, problems);
        self.prev.clear();
        self.prev.push_str(&l.hash);
        self.prev_line = l.line;
        self.seq = l.seq;
    }

    /// At the end of the log: a batch still open did not get what its header promised.
    pub(super) fn finish(&mut self, problems: &mut Vec<Problem>) {
        if let Some(b) = self.batch.take() {
            problems.push(Problem {
                line: Some(b.line),
                kind: "batch",
                message: format!(
                    "line {}: the batch header promises {} entries in {} bytes, but the log ends after {} entries in {} bytes",
                    b.line, b.entries, b.bytes, b.seen_entries, b.seen_bytes
                ),
            });
        }
    }

    fn batch_line(&mut self, l: &Facts<'_>, problems: &mut Vec<Problem>) {
        if let Some(b) = &mut self.batch {
            b.seen_entries += 1;
            b.seen_bytes += l.len;
            if b.seen_bytes >= b.bytes {
                if b.seen_bytes != b.bytes || b.seen_entries != b.entries {
                    problems.push(Problem {
                        line: Some(b.line),
                        kind: "batch",
                        message: format!(
                            "line {}: the batch header promises {} entries in {} bytes, but {} entries in {} bytes follow it",
                            b.line, b.entries, b.bytes, b.seen_entries, b.seen_bytes
                        ),
                    });
                }
                self.batch = None;
            }
        } else if let What::Batch(h) = &l.what {
            self.batch = Some(OpenBatch {
                line: l.line,
                entries: h.entries,
                bytes: h.bytes,
                seen_entries: 0,
                seen_bytes: 0,
            });
        }
    }
}
