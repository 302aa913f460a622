//! Checkpoint helpers that `head`, `prove` and `verify` share (not a subcommand): reading
//! `--head`, checking a signature against `--allowed-signers`, the `verify --head`
//! check, and the mapping of checkpoint errors to exit codes.

use std::path::Path;

use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, Format};
use factledger_core::checkpoint::proof::{self, Proof};
use factledger_core::checkpoint::sign::AllowedSigners;
use factledger_core::checkpoint::{self, read_leaves, read_small, CheckpointError, CheckpointFile};
use factledger_core::log::Log;
use factledger_core::verify::Problem;

/// Maps a checkpoint error to the CLI's bad-input error (exit 2).
pub fn input_err(e: CheckpointError) -> CliError {
    match e {
        CheckpointError::Log(l) => CliError::Log(l),
        e => CliError::input(e.to_string()),
    }
}

/// Reads `--head`: a checkpoint file, or else a 64-hex chain head hash.
pub enum HeadArg {
    File(Box<CheckpointFile>),
    Hash(String),
}

/// Reads the `--head` argument.
pub fn read_head_arg(ctx: &Context<'_>, arg: &str) -> Result<HeadArg, CliError> {
    let path = ctx.path(Path::new(arg));
    if path.is_file() {
        return CheckpointFile::read(&path)
            .map(|f| HeadArg::File(Box::new(f)))
            .map_err(input_err);
    }
    let hex = arg.trim().to_ascii_lowercase();
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(HeadArg::Hash(hex));
    }
    Err(CliError::input(format!(
        "--head {arg:?}: no such file, and not a 64-hex chain head hash. Give the file `factledger head` printed, or an entry hash"
    )))
}

/// Checks a checkpoint's signature as `--allowed-signers` asks; a problem when it does
/// not hold. Says on stderr who signed.
pub fn signature_problem(
    ctx: &mut Context<'_>,
    file: &CheckpointFile,
    allowed: Option<&Path>,
) -> Result<Option<String>, CliError> {
    let allowed = match allowed {
        Some(p) => Some(
            AllowedSigners::read(&ctx.path(p)).map_err(|e| input_err(CheckpointError::Sign(e)))?,
        ),
        None => None,
    };
    let Some(sig) = &file.signature else {
        return Ok(allowed.map(|a| {
            format!(
                "the checkpoint is not signed, but --allowed-signers {} asks for a signature by one of its keys",
                a.path.display()
            )
        }));
    };
    match sig.check(&file.body, allowed.as_ref()) {
        Ok(s) if s.principals.is_empty() => {
            writeln!(ctx.err, "note: the checkpoint's signature by key {} holds; give --allowed-signers FILE to check whose key it is", s.fingerprint)?;
            Ok(None)
        }
        Ok(s) => {
            let who = render::clean(&s.principals.join(", ")).into_owned();
            writeln!(
                ctx.err,
                "checkpoint signed by {who} (key {})",
                s.fingerprint
            )?;
            Ok(None)
        }
        Err(why) => Ok(Some(why)),
    }
}

/// The `verify --head` check: the signature, then that the ledger extends the
/// checkpoint. Returns what does not hold.
pub fn check(
    ctx: &mut Context<'_>,
    dir: &Path,
    head: &str,
    allowed: Option<&Path>,
) -> Result<Vec<Problem>, CliError> {
    let entries = read_leaves(&Log::in_dir(dir)).map_err(input_err)?;
    let mut problems = Vec::new();
    let departure = match read_head_arg(ctx, head)? {
        HeadArg::Hash(h) => {
            if allowed.is_some() {
                return Err(CliError::input("--allowed-signers checks a signed checkpoint file; a bare hash given to --head has no signature"));
            }
            checkpoint::departure_from_hash(&h, &entries)
        }
        HeadArg::File(file) => {
            if let Some(why) = signature_problem(ctx, &file, allowed)? {
                problems.push(Problem {
                    line: None,
                    kind: "signature",
                    message: why,
                });
            }
            checkpoint::departure(&file.checkpoint, &entries)
        }
    };
    problems.extend(departure.map(|d| Problem {
        line: d.line,
        kind: "checkpoint",
        message: d.message,
    }));
    Ok(problems)
}

/// A proof file is a few kilobytes; refuse to read more than this.
const MAX_PROOF: u64 = 1 << 20;

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
        Format::Json | Format::Jsonl => render::write_json_as(
            ctx.out,
            format,
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
