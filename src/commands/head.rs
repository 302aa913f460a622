//! `factledger head`: print the current checkpoint (origin, entry count, Merkle root,
//! chain head), optionally SSH-signed; and the `verify --head` check built on it.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, Format};
use factledger_core::checkpoint::sign::{self, AllowedSigners};
use factledger_core::checkpoint::{
    self, check_origin, read_leaves, Checkpoint, CheckpointError, CheckpointFile,
};
use factledger_core::config::Config;
use factledger_core::log::Log;
use factledger_core::verify::Problem;

/// Print the ledger's checkpoint, optionally signed with an SSH key
///
/// The checkpoint (C2SP tlog-checkpoint form) names the ledger (`origin` in config.ron),
/// the number of entries, the RFC 6962 Merkle root over the entries' hashes and the
/// chain head. Keep or publish it: `verify --head FILE` later shows whether the ledger
/// still holds those entries unchanged, and `prove` gives proofs against it. With
/// --sign, an SSHSIG signature (namespace factledger-checkpoint) follows a blank line;
/// `ssh-keygen -Y verify` checks it too.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// An SSH key file to sign the checkpoint with (ed25519, ecdsa p256 or rsa). A
    /// passphrase-protected key, or a .pub whose private half is in ssh-agent, is
    /// signed through `ssh-keygen -Y sign`, which asks as it always does.
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
    #[command(flatten)]
    pub format: super::FormatArg,
}

/// What `head --format json` prints.
#[derive(Serialize)]
struct HeadRecord {
    origin: String,
    size: u64,
    /// Base64, as in the checkpoint text.
    root: String,
    chain_head: String,
    /// The whole checkpoint text, signature included.
    text: String,
    signed: bool,
}

/// Maps a checkpoint error to the CLI's bad-input error (exit 2).
pub fn input_err(e: CheckpointError) -> CliError {
    match e {
        CheckpointError::Log(l) => CliError::Log(l),
        e => CliError::input(e.to_string()),
    }
}

/// Runs `head`.
pub fn run(args: Args, ctx: &mut Context<'_>) -> Result<Outcome, CliError> {
    let dir = ctx.ledger_dir()?;
    let config = Config::load(&dir)?;
    let origin = config.origin(&dir);
    check_origin(&origin).map_err(input_err)?;
    let entries = read_leaves(&Log::in_dir(&dir)).map_err(input_err)?;
    let cp = Checkpoint::of(&origin, &entries, entries.len());
    let body = cp.body();
    let signature = match &args.sign {
        None => None,
        Some(key) => Some(
            sign::sign(&body, &ctx.path(key)).map_err(|e| input_err(CheckpointError::Sign(e)))?,
        ),
    };
    let file = CheckpointFile {
        checkpoint: cp,
        body,
        signature,
    };
    let format = args.format.format;
    match format {
        Format::Json | Format::Jsonl => render::write_json_as(
            ctx.out,
            format,
            &HeadRecord {
                origin: file.checkpoint.origin.clone(),
                size: file.checkpoint.size,
                root: file.body.lines().nth(2).unwrap_or_default().to_string(),
                chain_head: file.checkpoint.chain_head.clone(),
                text: file.text(),
                signed: file.signature.is_some(),
            },
        )?,
        Format::Table | Format::Csv => {
            // Line by line: the text's line structure is its format.
            for line in file.text().lines() {
                writeln!(ctx.out, "{}", render::clean(line))?;
            }
        }
    }
    Ok(Outcome::Done)
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
