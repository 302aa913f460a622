//! What the index keeps besides where entries sit: results computed over the whole
//! ledger that a later command can reuse while the log and the settings stay as they
//! were. Source trust (a report on one figure needs it, learned over every figure) and a
//! whole report's output (`conflicts --format json` on a large ledger is mostly writing
//! it). Each is tied to what it was computed from: the bytes the index covers (end and
//! CRC), the settings, and this version; anything else is a miss, never a stale answer.

use std::fs::File;
use std::io::Write;
use std::path::PathBuf;

use rusqlite::params;

use super::{store, Index, IndexError, CACHE_DIR};
use crate::config::Config;
use crate::findings::LearnedTrust;

/// A command's output kept for the log as it stands: its body, what it said on stderr,
/// and whether it found what `--exit-code` asks about.
pub struct KeptOutput {
    pub body: File,
    pub stderr: String,
    pub found: bool,
}

/// Where a command's output is being written to be kept (see [`Index::keep_output`]).
pub struct OutputKeeper {
    tmp: tempfile::NamedTempFile,
    name: String,
    from: String,
    path: PathBuf,
}

impl Write for OutputKeeper {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

impl Index {
    /// Source trust learned over the whole ledger as the index covers it now, under
    /// `config`, if a command kept it (see [`Index::keep_trust`]).
    pub fn trust(&self, config: &Config) -> Result<Option<LearnedTrust>, IndexError> {
        Ok(store::trust(&self.conn, &self.learned_from(config)?)?)
    }

    /// Keeps source trust learned over the whole ledger as the index covers it now,
    /// under `config`: a report on one figure can then use it without learning it again
    /// until the log or the settings change.
    pub fn keep_trust(&mut self, config: &Config, t: &LearnedTrust) -> Result<(), IndexError> {
        let from = self.learned_from(config)?;
        self.keep_trust_as(&from, t)
    }

    /// Keeps source trust learned from the log as [`Index::learned_from`] said it was
    /// when the log was read (the index may have moved on since: then it is a miss).
    pub fn keep_trust_as(&mut self, from: &str, t: &LearnedTrust) -> Result<(), IndexError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        store::set_trust(&tx, from, t)?;
        tx.commit()?;
        Ok(())
    }

    /// The output `name` a command kept for the log as it stands under `config`.
    pub fn kept_output(
        &self,
        name: &str,
        config: &Config,
    ) -> Result<Option<KeptOutput>, IndexError> {
        let from = self.learned_from(config)?;
        let row = self
            .conn
            .query_row(
                "SELECT stderr, found FROM outputs WHERE name = ?1 AND learned_from = ?2",
                params![name, from],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)),
            )
            .ok();
        let Some((stderr, found)) = row else {
            return Ok(None);
        };
        match File::open(self.output_path(name, &from)) {
            Ok(body) => Ok(Some(KeptOutput {
                body,
                stderr,
                found,
            })),
            Err(_) => Ok(None),
        }
    }

    /// A writer for output `name`, to keep with [`Index::kept`] once it is whole.
    pub fn keep_output(&self, name: &str, config: &Config) -> Result<OutputKeeper, IndexError> {
        let from = self.learned_from(config)?;
        let path = self.output_path(name, &from);
        let dir = path.parent().expect("inside the cache directory");
        let tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| IndexError::io(dir, e))?;
        Ok(OutputKeeper {
            tmp,
            name: name.to_string(),
            from,
            path,
        })
    }

    /// Keeps a whole output: its body takes its place, then the row that names it (a
    /// crash between the two leaves a body no row names: a miss). Older bodies go.
    pub fn kept(&mut self, out: OutputKeeper, stderr: &str, found: bool) -> Result<(), IndexError> {
        let OutputKeeper {
            tmp,
            name,
            from,
            path,
        } = out;
        tmp.persist(&path)
            .map_err(|e| IndexError::io(&path, e.error))?;
        self.conn.execute(
            "INSERT OR REPLACE INTO outputs (name, learned_from, stderr, found) VALUES (?1, ?2, ?3, ?4)",
            params![name, from, stderr, found],
        )?;
        // Bodies kept for older states of the log are of no more use.
        if let Some(dir) = path.parent().and_then(|d| std::fs::read_dir(d).ok()) {
            let prefix = format!("{name}-");
            for e in dir.flatten() {
                let f = e.file_name().to_string_lossy().into_owned();
                if f.starts_with(&prefix) && f.ends_with(".out") && e.path() != path {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        Ok(())
    }

    /// Where output `name` computed from `from` is kept.
    fn output_path(&self, name: &str, from: &str) -> PathBuf {
        use sha2::{Digest, Sha256};
        let tag = hex::encode(&Sha256::digest(from.as_bytes())[..8]);
        let dir = self
            .log_path
            .parent()
            .map(|d| d.join(CACHE_DIR))
            .unwrap_or_else(|| PathBuf::from(CACHE_DIR));
        dir.join(format!("{name}-{tag}.out"))
    }

    /// What a result computed now is computed from: the bytes covered, the settings and
    /// this version (compute it under the log's lock, with the read it describes).
    pub fn learned_from(&self, config: &Config) -> Result<String, IndexError> {
        use sha2::{Digest, Sha256};
        let c = store::covered(&self.conn)?.ok_or_else(|| IndexError::Stale {
            path: self.log_path.clone(),
            line: 0,
        })?;
        let settings = serde_json::to_vec(config).unwrap_or_default();
        Ok(format!(
            "{}:{}:{:08x}:{}",
            store::VERSION,
            c.to,
            c.crc,
            hex::encode(Sha256::digest(&settings))
        ))
    }
}
