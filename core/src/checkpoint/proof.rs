//! Proofs anyone can check without the ledger: an inclusion proof shows that a claim's
//! entry (and its latest status entry) is in the tree a checkpoint describes; a
//! consistency proof shows that a later checkpoint's tree extends an earlier one. Both
//! are JSON and carry the checkpoints they refer to, signatures included.

use serde::{Deserialize, Serialize};

use super::{Checkpoint, CheckpointFile, LeafEntry};
use crate::merkle::{self, Hash};
use crate::model::{Entry, Record};

/// A proof file, either kind.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Proof {
    Inclusion(InclusionProof),
    Consistency(ConsistencyProof),
}

/// That a claim's entries are in a checkpointed tree.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InclusionProof {
    /// The checkpoint text, with its signature when it has one.
    pub checkpoint: String,
    /// The full claim id.
    pub claim: String,
    pub entries: Vec<ProvedEntry>,
}

/// One log entry and its audit path.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ProvedEntry {
    /// `claim` or `status`.
    pub role: String,
    /// 0-based position in the log (the tree's leaf index).
    pub index: u64,
    /// The entry's log line, byte for byte: its hash is recomputed from it.
    pub line: String,
    /// The sibling hashes from the leaf up (hex).
    pub path: Vec<String>,
}

/// That the tree of `new` extends the tree of `old`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConsistencyProof {
    pub old: String,
    pub new: String,
    pub path: Vec<String>,
}

/// Why a proof cannot be made (bad input, exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    #[error("the ledger does not extend the checkpoint {what}: {why}")]
    NotExtended { what: String, why: String },
    #[error("claim {0} is not among the {1} entries the checkpoint covers: it was logged later. Prove it against a newer checkpoint (`factledger head`)")]
    NotCovered(String, u64),
    #[error("the old checkpoint has {old} entries and the new one {new}: give the earlier one to --from")]
    Order { old: u64, new: u64 },
    #[error("the checkpoints name different ledgers ({0:?} and {1:?})")]
    Origin(String, String),
}

fn hexes(path: &[Hash]) -> Vec<String> {
    path.iter().map(hex::encode).collect()
}

/// Makes the inclusion proof of a claim's entries: `(role, index in the log, line text)`.
pub fn prove_inclusion(
    head: &CheckpointFile,
    entries: &[LeafEntry],
    claim: &str,
    proved: Vec<(String, usize, String)>,
) -> Result<InclusionProof, ProofError> {
    let size = head.checkpoint.size;
    if let Some(d) = super::departure(&head.checkpoint, entries) {
        return Err(ProofError::NotExtended {
            what: "given".into(),
            why: d.message,
        });
    }
    let leaves = super::leaf_hashes(&entries[..size as usize]);
    let mut out = Vec::new();
    for (role, index, line) in proved {
        let path = merkle::inclusion_proof(index, &leaves)
            .map_err(|_| ProofError::NotCovered(claim.to_string(), size))?;
        out.push(ProvedEntry {
            role,
            index: index as u64,
            line,
            path: hexes(&path),
        });
    }
    Ok(InclusionProof {
        checkpoint: head.text(),
        claim: claim.to_string(),
        entries: out,
    })
}

/// Makes the consistency proof from `old` to `new`; the ledger must extend both.
pub fn prove_consistency(
    old: &CheckpointFile,
    new: &CheckpointFile,
    entries: &[LeafEntry],
) -> Result<ConsistencyProof, ProofError> {
    let (o, n) = (&old.checkpoint, &new.checkpoint);
    if o.origin != n.origin {
        return Err(ProofError::Origin(o.origin.clone(), n.origin.clone()));
    }
    if o.size > n.size {
        return Err(ProofError::Order {
            old: o.size,
            new: n.size,
        });
    }
    for (what, c) in [("given to --from", o), ("given to --head", n)] {
        if let Some(d) = super::departure(c, entries) {
            return Err(ProofError::NotExtended {
                what: what.into(),
                why: d.message,
            });
        }
    }
    let leaves = super::leaf_hashes(&entries[..n.size as usize]);
    let path =
        merkle::consistency_proof(o.size as usize, &leaves).map_err(|_| ProofError::Order {
            old: o.size,
            new: n.size,
        })?;
    Ok(ConsistencyProof {
        old: old.text(),
        new: new.text(),
        path: hexes(&path),
    })
}

/// What a checked proof shows.
#[derive(Clone, Debug, Serialize)]
pub struct Proven {
    pub kind: &'static str,
    pub statements: Vec<String>,
}

fn parse_path(path: &[String]) -> Result<Vec<Hash>, String> {
    if path.len() > 64 {
        return Err("the proof has more hashes than any tree of 2^64 entries needs".into());
    }
    path.iter()
        .map(|h| {
            let mut b = [0u8; 32];
            hex::decode_to_slice(h, &mut b)
                .map(|_| b)
                .map_err(|_| format!("{h:?} is not a 64-hex hash"))
        })
        .collect()
}

fn same_head(a: &Checkpoint, b: &Checkpoint) -> bool {
    a == b
}

/// Checks a proof against a checkpoint the reader trusts, offline. `Err` says what
/// does not hold.
pub fn check(proof: &Proof, head: &Checkpoint) -> Result<Proven, String> {
    match proof {
        Proof::Inclusion(p) => check_inclusion(p, head),
        Proof::Consistency(p) => check_consistency(p, head),
    }
}

fn embedded(what: &str, text: &str) -> Result<CheckpointFile, String> {
    CheckpointFile::parse(what, text).map_err(|e| e.to_string())
}

fn check_inclusion(p: &InclusionProof, head: &Checkpoint) -> Result<Proven, String> {
    let cp = embedded("the proof's checkpoint", &p.checkpoint)?.checkpoint;
    if !same_head(&cp, head) {
        return Err(format!(
            "the proof is for checkpoint {} of {} entries, not the one given with --head ({} of {} entries)",
            cp.origin, cp.size, head.origin, head.size
        ));
    }
    if p.entries.is_empty() {
        return Err("the proof proves no entry".into());
    }
    let mut statements = Vec::new();
    for e in &p.entries {
        let record = entry_record(e, &p.claim)?;
        let mut hash = [0u8; 32];
        hex::decode_to_slice(&record.hash, &mut hash).map_err(|_| "bad entry hash".to_string())?;
        let path = parse_path(&e.path)?;
        merkle::verify_inclusion(
            e.index,
            head.size,
            &merkle::leaf_hash(&hash),
            &path,
            &head.root,
        )
        .map_err(|err| format!("entry {} ({}): {err}", e.index + 1, e.role))?;
        statements.push(match &record.entry {
            Entry::Status(s) => format!(
                "entry {} is in the checkpointed tree: claim {} set to {} by {} at {}",
                e.index + 1,
                crate::model::short_id(&p.claim),
                s.status,
                record.by,
                record.at
            ),
            _ => format!(
                "entry {} is in the checkpointed tree: claim {} logged by {} at {}",
                e.index + 1,
                crate::model::short_id(&p.claim),
                record.by,
                record.at
            ),
        });
    }
    Ok(Proven {
        kind: "inclusion",
        statements,
    })
}

/// Reads a proved entry's line, checking that its text hashes to the hash it carries and
/// that it is the claim's entry or one of its status changes.
fn entry_record(e: &ProvedEntry, claim: &str) -> Result<Record, String> {
    let at = format!("entry {} ({})", e.index + 1, e.role);
    let record = crate::log::decode_line(e.line.trim_end())
        .map_err(|(col, msg)| format!("{at}: its line does not parse at column {col}: {msg}"))?;
    if crate::log::line_hash(e.line.trim_end()).as_deref() != Some(record.hash.as_str()) {
        return Err(format!(
            "{at}: the line's text does not hash to the hash it carries: it was changed"
        ));
    }
    let fits = match (&record.entry, e.role.as_str()) {
        (Entry::Claim(c), "claim") => c.id == claim && c.computed_id() == c.id,
        (Entry::Status(s), "status") => s.claim == claim,
        _ => false,
    };
    if !fits {
        return Err(format!(
            "{at}: the line is not a {} entry of claim {claim}",
            e.role
        ));
    }
    Ok(record)
}

fn check_consistency(p: &ConsistencyProof, head: &Checkpoint) -> Result<Proven, String> {
    let old = embedded("the proof's old checkpoint", &p.old)?;
    let new = embedded("the proof's new checkpoint", &p.new)?.checkpoint;
    if !same_head(&new, head) {
        return Err(format!(
            "the proof leads to a checkpoint of {} entries, not the one given with --head ({} entries)",
            new.size, head.size
        ));
    }
    let o = &old.checkpoint;
    if o.origin != new.origin {
        return Err(format!(
            "the checkpoints name different ledgers ({:?} and {:?})",
            o.origin, new.origin
        ));
    }
    let path = parse_path(&p.path)?;
    merkle::verify_consistency(o.size, new.size, &o.root, &new.root, &path).map_err(|e| {
        format!(
            "the tree of {} entries does not extend the tree of {}: {e}",
            new.size, o.size
        )
    })?;
    Ok(Proven {
        kind: "consistency",
        statements: vec![format!(
            "the checkpoint of {} entries extends the checkpoint of {} entries: the first {} entries are unchanged",
            new.size, o.size, o.size
        )],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkpoint::{Checkpoint, LeafEntry};
    use crate::merkle;
    use proptest::prelude::*;

    fn head(n: usize) -> Checkpoint {
        let entries: Vec<LeafEntry> = (0..n)
            .map(|i| LeafEntry {
                line: i + 1,
                hash: merkle::leaf_hash(&[i as u8]),
            })
            .collect();
        Checkpoint::of("o", &entries, n)
    }

    proptest! {
        /// Whatever a proof file holds, checking it returns an answer: no panic.
        #[test]
        fn any_proof_text_is_answered_without_panicking(
            checkpoint in ".{0,200}", claim in ".{0,70}", line in ".{0,300}",
            index in any::<u64>(), path in proptest::collection::vec("[0-9a-f]{0,70}", 0..70),
        ) {
            let p = Proof::Inclusion(InclusionProof {
                checkpoint: checkpoint.clone(),
                claim,
                entries: vec![ProvedEntry { role: "claim".into(), index, line, path: path.clone() }],
            });
            prop_assert!(check(&p, &head(5)).is_err());
            let c = Proof::Consistency(ConsistencyProof { old: checkpoint.clone(), new: head(5).body(), path });
            let _ = check(&c, &head(5));
            let _ = CheckpointFile::parse("f", &checkpoint);
        }
    }
}
