//! `factledger head`: print the current checkpoint (origin, entry count, Merkle root,
//! chain head), optionally SSH-signed.

use std::path::PathBuf;

use serde::Serialize;

use super::evidence::input_err;
use crate::context::Context;
use crate::error::{CliError, Outcome};
use crate::render::{self, Format};
use factledger_core::checkpoint::sign;
use factledger_core::checkpoint::{
    check_origin, read_leaves, Checkpoint, CheckpointError, CheckpointFile,
};
use factledger_core::config::Config;
use factledger_core::log::Log;

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
