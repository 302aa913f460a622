//! `factledger prove`: inclusion proofs of a claim's entries and consistency proofs
//! between checkpoints; and `verify --proof`, which checks one offline.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use super::head::{input_err, signature_problem};
use super::open_read;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, Format};
use factledger_core::checkpoint::proof::{self, Proof};
use factledger_core::checkpoint::{read_leaves, read_small, CheckpointFile, LeafEntry};
use factledger_core::log::Log;

/// A proof file is a few kilobytes; refuse to read more than this.
const MAX_PROOF: u64 = 1 << 20;

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
    let entries = read_leaves(&log).map_err(input_err)?;
    let proof = match (&args.from, &args.claim) {
        (Some(old), _) => {
            let old = CheckpointFile::read(&ctx.path(old)).map_err(input_err)?;
            Proof::Consistency(
                proof::prove_consistency(&old, &head, &entries)
                    .map_err(|e| CliError::input(e.to_string()))?,
            )
        }
        (None, Some(claim)) => {
            let (ledger, _) = open_read(ctx)?;
            let c = ledger.resolve(claim)?;
            let size = head.checkpoint.size as usize;
            let index_of = |line: usize| entries.binary_search_by_key(&line, |e| e.line).ok();
            let covered = |line: usize| index_of(line).filter(|&i| i < size);
            let claim_index = covered(c.stamp.line).ok_or_else(|| {
                CliError::input(
                    proof::ProofError::NotCovered(c.claim.id.clone(), size as u64).to_string(),
                )
            })?;
            let mut wanted = vec![("claim".to_string(), claim_index)];
            if let Some(i) = c.history.iter().rev().find_map(|(_, s)| covered(s.line)) {
                wanted.push(("status".to_string(), i));
            }
            let texts = line_texts(log.path(), &entries, &wanted)?;
            let proved = wanted
                .into_iter()
                .zip(texts)
                .map(|((role, i), text)| (role, i, text))
                .collect();
            Proof::Inclusion(
                proof::prove_inclusion(&head, &entries, &c.claim.id, proved)
                    .map_err(|e| CliError::input(e.to_string()))?,
            )
        }
        (None, None) => return Err(CliError::input("give a CLAIM, or --from OLD")),
    };
    render::write_json(ctx.out, &proof)?;
    Ok(Outcome::Done)
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

/// The `verify --proof` check: offline, against the checkpoint given with --head.
pub fn verify_proof(
    ctx: &mut Context<'_>,
    proof_path: &Path,
    head: &str,
    allowed: Option<&Path>,
    format: Format,
) -> Result<Outcome, CliError> {
    let path = ctx.path(proof_path);
    let text = read_small(&path, MAX_PROOF).map_err(input_err)?;
    let proof: Proof = serde_json::from_str(&text).map_err(|e| {
        CliError::input(format!(
            "{}:{}:{}: not a proof as `factledger prove` prints it: {e}",
            path.display(),
            e.line(),
            e.column()
        ))
    })?;
    let head = CheckpointFile::read(&ctx.path(Path::new(head))).map_err(input_err)?;
    let mut refused = signature_problem(ctx, &head, allowed)?;
    if let (None, Proof::Consistency(p), Some(_)) = (&refused, &proof, allowed) {
        let old = CheckpointFile::parse("the proof's old checkpoint", &p.old).map_err(input_err)?;
        refused = signature_problem(ctx, &old, allowed)?.map(|w| format!("old checkpoint: {w}"));
    }
    let result = match refused {
        Some(why) => Err(why),
        None => proof::check(&proof, &head.checkpoint),
    };
    let ok = result.is_ok();
    match format {
        Format::Json => render::write_json(
            ctx.out,
            &serde_json::json!({
                "ok": ok,
                "statements": result.as_ref().map(|p| p.statements.clone()).unwrap_or_default(),
                "problem": result.as_ref().err(),
            }),
        )?,
        Format::Table | Format::Csv => match &result {
            Ok(p) => {
                for s in &p.statements {
                    writeln!(ctx.out, "ok: {}", render::clean(s))?;
                }
            }
            Err(why) => writeln!(ctx.out, "proof refused: {}", render::clean(why))?,
        },
    }
    Ok(if ok { Outcome::Done } else { Outcome::Findings })
}
