//! Checkpoints: what a newsroom publishes so that anyone can later check the ledger still
//! holds what it held. The text is a C2SP tlog-checkpoint (origin line, entry count,
//! base64 Merkle root) with one extension line, the chain head, optionally followed by an
//! SSHSIG signature (see [`sign`]). Owns reading the log's leaves, writing and parsing
//! checkpoint text, and checking that a ledger extends a checkpoint.

pub mod proof;
pub mod sign;

use std::path::{Path, PathBuf};

use base64ct::{Base64, Encoding};

use crate::log::{Log, LogError, ReadMode};
use crate::merkle::{self, Hash};

/// The SSHSIG namespace of checkpoint signatures (`ssh-keygen -Y ... -n`).
pub const NAMESPACE: &str = "factledger-checkpoint";
/// The extension line that carries the chain head.
const CHAIN_HEAD: &str = "chain-head ";
/// A checkpoint file is a few hundred bytes; refuse to read more than this.
const MAX_TEXT: u64 = 64 * 1024;

/// What can be wrong with a checkpoint or the ledger it is checked against.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{what}:{line}: {msg}. A checkpoint is the text `factledger head` prints: origin, entry count, base64 root, `chain-head <hex>`, then optionally a blank line and an SSH signature")]
    Parse {
        what: String,
        line: usize,
        msg: String,
    },
    #[error("the origin {0:?} cannot name a ledger: it must be one line of printable text without spaces or `+`. Set `origin` in config.ron")]
    BadOrigin(String),
    #[error(transparent)]
    Log(#[from] LogError),
    #[error(transparent)]
    Sign(#[from] sign::SignError),
}

/// The tree head of a ledger at one size.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The ledger's name (`origin` in config.ron).
    pub origin: String,
    /// How many entries the tree covers.
    pub size: u64,
    /// The RFC 6962 root over the first `size` entries' hashes.
    pub root: Hash,
    /// The hash of entry `size` (64 zeros for an empty ledger): the chain's head.
    pub chain_head: String,
}

/// One entry of the log as the tree sees it.
#[derive(Clone, Debug)]
pub struct LeafEntry {
    /// 1-based line number in the log.
    pub line: usize,
    /// The hash the line's text actually has (not merely the one it carries).
    pub hash: Hash,
}

/// Checks an origin: one line, printable, no spaces or `+` (C2SP's advice).
pub fn check_origin(origin: &str) -> Result<(), CheckpointError> {
    let ok = !origin.is_empty()
        && origin.len() <= 256
        && origin
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '+');
    ok.then_some(())
        .ok_or_else(|| CheckpointError::BadOrigin(origin.to_string()))
}

/// Reads the log's entries in order with the hashes their text really has.
pub fn read_leaves(log: &Log) -> Result<Vec<LeafEntry>, CheckpointError> {
    read_leaves_with(log, &mut |_, _| {})
}

/// Reads the leaves as [`read_leaves`] does, showing `visit` each record with its
/// 0-based index (so one pass also finds what a command looks for).
pub fn read_leaves_with(
    log: &Log,
    visit: &mut (dyn FnMut(usize, &crate::model::Record) + Send),
) -> Result<Vec<LeafEntry>, CheckpointError> {
    let mut out = Vec::new();
    log.read_stream::<LogError>(ReadMode::Verify, &mut |lines| {
        for l in lines {
            visit(out.len(), &l.record);
            let hex = l.bad_hash.as_deref().unwrap_or(&l.record.hash);
            let mut hash = [0u8; 32];
            // A line without a hash field gets a hash no entry has: it matches nothing.
            if hex::decode_to_slice(hex, &mut hash).is_err() {
                hash = merkle::leaf_hash(hex.as_bytes());
            }
            out.push(LeafEntry { line: l.line, hash });
        }
        Ok(())
    })?;
    Ok(out)
}

/// The Merkle leaf hashes of entries.
pub fn leaf_hashes(entries: &[LeafEntry]) -> Vec<Hash> {
    entries.iter().map(|e| merkle::leaf_hash(&e.hash)).collect()
}

impl Checkpoint {
    /// The checkpoint of the first `size` entries.
    pub fn of(origin: &str, entries: &[LeafEntry], size: usize) -> Checkpoint {
        let leaves = leaf_hashes(&entries[..size]);
        Checkpoint {
            origin: origin.to_string(),
            size: size as u64,
            root: merkle::root(&leaves),
            chain_head: size
                .checked_sub(1)
                .map_or(crate::log::GENESIS.to_string(), |i| {
                    hex::encode(entries[i].hash)
                }),
        }
    }

    /// The checkpoint text (what is signed): four lines, each ending in a line feed.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n{CHAIN_HEAD}{}\n",
            self.origin,
            self.size,
            Base64::encode_string(&self.root),
            self.chain_head
        )
    }

    /// Reads a checkpoint body; `what` names the file in errors.
    pub fn parse_body(what: &str, body: &str) -> Result<Checkpoint, CheckpointError> {
        let err = |line: usize, msg: &str| CheckpointError::Parse {
            what: what.to_string(),
            line,
            msg: msg.to_string(),
        };
        let lines: Vec<&str> = body.lines().collect();
        let origin = *lines.first().ok_or_else(|| err(1, "the file is empty"))?;
        check_origin(origin).map_err(|_| err(1, "the first line is not an origin"))?;
        let size = lines
            .get(1)
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or_else(|| err(2, "the second line must be the entry count"))?;
        let mut root = [0u8; 32];
        match lines.get(2).map(|s| Base64::decode(s, &mut root)) {
            Some(Ok(r)) if r.len() == 32 => {}
            _ => return Err(err(3, "the third line must be a base64 SHA-256 root hash")),
        }
        let chain_head = lines
            .iter()
            .skip(3)
            .find_map(|l| l.strip_prefix(CHAIN_HEAD))
            .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| err(4, "missing the `chain-head <64 hex>` line"))?;
        Ok(Checkpoint {
            origin: origin.to_string(),
            size,
            root,
            chain_head: chain_head.to_ascii_lowercase(),
        })
    }
}

/// A checkpoint as a file holds it: the body and, when signed, its signature.
#[derive(Clone, Debug)]
pub struct CheckpointFile {
    pub checkpoint: Checkpoint,
    /// The exact body text the signature covers.
    pub body: String,
    pub signature: Option<sign::Signature>,
}

impl CheckpointFile {
    /// Splits checkpoint text into its body and optional signature, and reads both.
    pub fn parse(what: &str, text: &str) -> Result<CheckpointFile, CheckpointError> {
        let text = text.replace("\r\n", "\n");
        let (body, sig) = match text.find("\n\n") {
            Some(i) => (&text[..=i], Some(text[i + 2..].trim())),
            None => (&text[..], None),
        };
        let checkpoint = Checkpoint::parse_body(what, body)?;
        let signature = match sig.filter(|s| !s.is_empty()) {
            None => None,
            Some(pem) => {
                Some(
                    sign::Signature::from_pem(pem).map_err(|e| CheckpointError::Parse {
                        what: what.to_string(),
                        line: body.lines().count() + 2,
                        msg: format!("the signature block cannot be read ({e})"),
                    })?,
                )
            }
        };
        Ok(CheckpointFile {
            checkpoint,
            body: checkpoint_body(body),
            signature,
        })
    }

    /// Reads a checkpoint file, refusing anything larger than a checkpoint can be.
    pub fn read(path: &Path) -> Result<CheckpointFile, CheckpointError> {
        let text = read_small(path, MAX_TEXT)?;
        CheckpointFile::parse(&path.display().to_string(), &text)
    }

    /// The text of the file: body, then a blank line and the signature when signed.
    pub fn text(&self) -> String {
        match &self.signature {
            None => self.body.clone(),
            Some(s) => format!("{}\n{}", self.body, s.pem()),
        }
    }
}

/// The body as signed: the lines as given, each ending in a line feed.
fn checkpoint_body(body: &str) -> String {
    let mut b = body.to_string();
    if !b.ends_with('\n') {
        b.push('\n');
    }
    b
}

/// Reads a text file of at most `max` bytes.
pub fn read_small(path: &Path, max: u64) -> Result<String, CheckpointError> {
    use std::io::Read;
    let io = |source| CheckpointError::Io {
        path: path.to_path_buf(),
        source,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    f.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(CheckpointError::Parse {
            what: path.display().to_string(),
            line: 1,
            msg: format!("the file is larger than {max} bytes, more than such a file can be"),
        });
    }
    String::from_utf8(bytes).map_err(|e| CheckpointError::Parse {
        what: path.display().to_string(),
        line: 1,
        msg: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
    })
}

/// Where a ledger departs from a checkpoint it should extend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Departure {
    /// The log line the difference shows at, when there is one.
    pub line: Option<usize>,
    pub message: String,
}

/// Checks that the ledger's first `checkpoint.size` entries are the ones the checkpoint
/// describes; `None` when they are.
pub fn departure(checkpoint: &Checkpoint, entries: &[LeafEntry]) -> Option<Departure> {
    let n = checkpoint.size as usize;
    if entries.len() < n {
        let have = entries.len();
        let gone = if have + 1 == n {
            format!("entry {n} was removed")
        } else {
            format!("entries {} to {n} were removed", have + 1)
        };
        return Some(Departure {
            line: entries.last().map(|e| e.line),
            message: format!(
                "the checkpoint covers {n} entries but the ledger has only {have}: {gone}"
            ),
        });
    }
    let now = Checkpoint::of(&checkpoint.origin, entries, n);
    if now.root == checkpoint.root && now.chain_head == checkpoint.chain_head {
        return None;
    }
    let line = n.checked_sub(1).map(|i| entries[i].line);
    let what = if now.chain_head != checkpoint.chain_head {
        format!(
            "entry {n} (line {}) has hash {} where the checkpoint's chain head is {}",
            line.unwrap_or(0),
            now.chain_head,
            checkpoint.chain_head
        )
    } else {
        "the chain head matches but the entries' Merkle tree does not".to_string()
    };
    Some(Departure {
        line,
        message: format!(
            "the first {n} entries are not those the checkpoint describes: their Merkle root is {} where the checkpoint has {}; {what}: the ledger's past was rewritten",
            Base64::encode_string(&now.root),
            Base64::encode_string(&checkpoint.root)
        ),
    })
}

/// Looks up a chain head hash (64 hex) in the ledger: `None` when an entry has it.
pub fn departure_from_hash(hash: &str, entries: &[LeafEntry]) -> Option<Departure> {
    let found = entries.iter().any(|e| hex::encode(e.hash) == hash);
    (!found).then(|| Departure {
        line: None,
        message: format!(
            "no entry of the ledger has hash {hash}: the entry that was the head was removed or rewritten"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(n: usize) -> Vec<LeafEntry> {
        (0..n)
            .map(|i| LeafEntry {
                line: i + 2,
                hash: merkle::leaf_hash(&[i as u8]),
            })
            .collect()
    }

    #[test]
    fn checkpoint_text_reads_back_and_names_the_chain_head() {
        let e = entries(5);
        let c = Checkpoint::of("example.org/ledger", &e, 5);
        let text = c.body();
        assert_eq!(text.lines().count(), 4);
        assert_eq!(
            text.lines().nth(3).unwrap(),
            format!("chain-head {}", hex::encode(e[4].hash))
        );
        let back = CheckpointFile::parse("t", &text).unwrap();
        assert_eq!(back.checkpoint, c);
        assert!(back.signature.is_none());
    }

    #[test]
    fn a_shorter_or_rewritten_ledger_departs_and_a_longer_one_extends() {
        let e = entries(6);
        let c = Checkpoint::of("o", &e, 4);
        assert_eq!(departure(&c, &e), None);
        let short = departure(&c, &e[..3]).unwrap();
        assert!(
            short.message.ends_with("only 3: entry 4 was removed"),
            "{short:?}"
        );
        assert!(departure(&c, &e[..1])
            .unwrap()
            .message
            .ends_with("entries 2 to 4 were removed"));
        let mut rewritten = e.clone();
        rewritten[1].hash[0] ^= 1;
        rewritten[3].hash[0] ^= 1;
        let d = departure(&c, &rewritten).unwrap();
        assert_eq!(d.line, Some(5));
        assert!(d.message.contains("rewritten"), "{d:?}");
    }

    #[test]
    fn malformed_checkpoints_name_the_line() {
        for (text, line) in [
            ("", 1),
            ("o\nx\n", 2),
            ("o\n3\nnot base64!\n", 3),
            ("o\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 4),
        ] {
            match CheckpointFile::parse("f", text) {
                Err(CheckpointError::Parse { line: l, .. }) => assert_eq!(l, line, "{text:?}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }
}
