//! `factledger prove`: inclusion proofs of a claim's entries and consistency proofs
//! between checkpoints (`verify --proof` checks one offline: see `evidence`).

use std::io::BufRead;
use std::path::{Path, PathBuf};

use super::evidence::input_err;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render;
use factledger_core::checkpoint::proof::{self, Proof};
use factledger_core::checkpoint::{read_leaves, read_leaves_with, CheckpointFile, LeafEntry};
use factledger_core::ledger::LedgerError;
use factledger_core::log::Log;
use factledger_core::model::{short_id, Entry};

/// Print a proof (JSON) that anyone can check offline
///
/// `prove CLAIM --head FILE`: that the claim's entry and its latest status entry are in
/// the tree of the checkpoint FILE (which `factledger head` printed); the proof stays
/// valid however many entries are appended later. `prove --from OLD --head NEW`: that the
/// tree of checkpoint NEW extends the tree of checkpoint OLD (nothing was removed or
/// rewritten in between). Check either with `factledger verify --proof P --head FILE`,
/// which needs no ledger.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The claim's id, or a unique prefix of 4 or more hex digits.
    #[arg(required_unless_present = "from", conflicts_with = "from")]
    pub claim: Option<String>,
    /// The checkpoint file the proof is against (for --from: the newer one).
    #[arg(long, value_name = "FILE")]
    pub head: PathBuf,
    /// An older checkpoint file: prove that --head's tree extends it.
    #[arg(long, value_name = "OLD")]
    pub from: Option<PathBuf>,
}

/// Runs `prove`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let head = CheckpointFile::read(&ctx.path(&args.head)).map_err(input_err)?;
    let dir = ctx.ledger_dir()?;
    let log = Log::in_dir(&dir);
    let proof = match (&args.from, &args.claim) {
        (Some(old), _) => {
            let old = CheckpointFile::read(&ctx.path(old)).map_err(input_err)?;
            let entries = read_leaves(&log).map_err(input_err)?;
            Proof::Consistency(
                proof::prove_consistency(&old, &head, &entries)
                    .map_err(|e| CliError::input(e.to_string()))?,
            )
        }
        (None, Some(claim)) => Proof::Inclusion(prove_claim(&log, &head, claim)?),
        (None, None) => return Err(CliError::input("give a CLAIM, or --from OLD")),
    };
    render::write_json(ctx.out, &proof)?;
    Ok(Outcome::Done)
}

/// The entries of the claims whose id starts with a prefix, found in one pass.
#[derive(Default)]
struct Found {
    /// (full id, index) of each claim matching the prefix.
    claims: Vec<(String, usize)>,
    /// (claim id, index, at) of each status change of a matching claim.
    statuses: Vec<(String, usize, String)>,
}

/// The inclusion proof of a claim's entry and its latest status entry (by time, as the
/// ledger orders a history) in the checkpoint's tree. One pass over the log, holding
/// only the leaves: no ledger is built.
fn prove_claim(
    log: &Log,
    head: &CheckpointFile,
    prefix: &str,
) -> Result<proof::InclusionProof, CliError> {
    let want = prefix.trim().to_ascii_lowercase();
    if !(4..=64).contains(&want.len()) || !want.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(LedgerError::BadPrefix {
            prefix: prefix.to_string(),
        }
        .into());
    }
    let mut found = Found::default();
    let entries = read_leaves_with(log, &mut |i, r| match &r.entry {
        Entry::Claim(c) if c.id.starts_with(&want) => found.claims.push((c.id.clone(), i)),
        Entry::Status(s) if s.claim.starts_with(&want) => {
            found.statuses.push((s.claim.clone(), i, r.at.clone()))
        }
        _ => {}
    })
    .map_err(input_err)?;
    let (id, claim_index) = match found.claims.as_slice() {
        [] => {
            return Err(LedgerError::UnknownClaim {
                prefix: prefix.to_string(),
            }
            .into())
        }
        [one] => one.clone(),
        many => {
            let ids: Vec<&str> = many.iter().map(|(id, _)| short_id(id)).collect();
            return Err(LedgerError::AmbiguousPrefix {
                prefix: prefix.to_string(),
                candidates: ids.join(", "),
            }
            .into());
        }
    };
    let size = head.checkpoint.size as usize;
    if claim_index >= size {
        return Err(CliError::input(
            proof::ProofError::NotCovered(id, size as u64).to_string(),
        ));
    }
    let mut wanted = vec![("claim".to_string(), claim_index)];
    // Latest by time, later in the log on a tie: the status the ledger shows as current.
    let latest = found
        .statuses
        .iter()
        .filter(|(c, i, _)| *c == id && *i < size)
        .max_by(|a, b| a.2.cmp(&b.2).then(a.1.cmp(&b.1)));
    if let Some((_, i, _)) = latest {
        wanted.push(("status".to_string(), *i));
    }
    let texts = line_texts(log.path(), &entries, &wanted)?;
    let proved = wanted
        .into_iter()
        .zip(texts)
        .map(|((role, i), text)| (role, i, text))
        .collect();
    proof::prove_inclusion(head, &entries, &id, proved).map_err(|e| CliError::input(e.to_string()))
}

/// The text of the log lines of the wanted entries, in the order wanted.
fn line_texts(
    path: &Path,
    entries: &[LeafEntry],
    wanted: &[(String, usize)],
) -> Result<Vec<String>, CliError> {
    let io = |source| CliError::Io {
        what: format!("cannot read {}", path.display()),
        source,
    };
    let lines: Vec<usize> = wanted.iter().map(|(_, i)| entries[*i].line).collect();
    let mut found = vec![String::new(); lines.len()];
    let reader = std::io::BufReader::new(std::fs::File::open(path).map_err(io)?);
    let last = lines.iter().copied().max().unwrap_or(0);
    for (n, raw) in reader.split(b'\n').enumerate().take(last) {
        let raw = raw.map_err(io)?;
        for (k, &want) in lines.iter().enumerate() {
            if want == n + 1 {
                let raw = raw.strip_suffix(b"\r").unwrap_or(&raw);
                found[k] = String::from_utf8_lossy(raw).into_owned();
            }
        }
    }
    Ok(found)
}
