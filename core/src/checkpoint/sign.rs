//! SSH signatures of checkpoints in the SSHSIG format (`ssh-keygen -Y sign`, git's ssh
//! signing), namespace `factledger-checkpoint`, and OpenSSH allowed-signers files, which
//! say whose keys a reader trusts. The cryptography is RustCrypto's `ssh-key`.

use std::path::{Path, PathBuf};

use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

use super::NAMESPACE;

/// Why a checkpoint could not be signed, or its signature not be trusted.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("{path}: cannot read the SSH private key: {msg}. Give the private key file (not the .pub), as `ssh-keygen -t ed25519 -f FILE` writes it")]
    Key { path: PathBuf, msg: String },
    #[error("{path}: `ssh-keygen -Y sign` (which signs with a passphrase-protected key or through ssh-agent) failed: {msg}")]
    SshKeygen { path: PathBuf, msg: String },
    #[error("cannot sign: {0}")]
    Sign(String),
    #[error("{path}:{line}: not an allowed-signers line: {msg}. Each line is `PRINCIPALS [OPTIONS] KEYTYPE BASE64KEY`, as `ssh-keygen -Y verify -f` reads it")]
    AllowedSigners {
        path: PathBuf,
        line: usize,
        msg: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// An SSHSIG signature over a checkpoint body.
#[derive(Clone, Debug)]
pub struct Signature(SshSig);

/// Who signed, when the signature holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signer {
    /// The key's SHA256 fingerprint, as `ssh-keygen -l` prints it.
    pub fingerprint: String,
    /// The principals the allowed-signers file names for the key (empty when no file
    /// was given).
    pub principals: Vec<String>,
}

impl Signature {
    /// Reads the armored signature (`-----BEGIN SSH SIGNATURE-----`).
    pub fn from_pem(pem: &str) -> Result<Signature, String> {
        SshSig::from_pem(pem)
            .map(Signature)
            .map_err(|e| e.to_string())
    }

    /// The armored signature with its trailing line feed.
    pub fn pem(&self) -> String {
        let mut p = self.0.to_pem(LineEnding::LF).unwrap_or_default();
        if !p.ends_with('\n') {
            p.push('\n');
        }
        p
    }

    /// The signing key's SHA256 fingerprint.
    pub fn fingerprint(&self) -> String {
        PublicKey::from(self.0.public_key().clone())
            .fingerprint(HashAlg::Sha256)
            .to_string()
    }

    /// Checks the signature over `body`: the namespace and the cryptography, and, given
    /// allowed signers, that the key is one of them. `Err` says what does not hold.
    pub fn check(&self, body: &str, allowed: Option<&AllowedSigners>) -> Result<Signer, String> {
        if self.0.namespace() != NAMESPACE {
            return Err(format!(
                "the signature is for namespace {:?}, not {NAMESPACE:?}",
                self.0.namespace()
            ));
        }
        let key = PublicKey::from(self.0.public_key().clone());
        key.verify(NAMESPACE, body.as_bytes(), &self.0)
            .map_err(|e| format!("the signature does not match the checkpoint ({e})"))?;
        let fingerprint = self.fingerprint();
        let principals = match allowed {
            None => Vec::new(),
            Some(a) => a.principals_of(&key).ok_or_else(|| {
                format!(
                    "the checkpoint is signed by key {fingerprint}, which {} does not list for namespace {NAMESPACE}",
                    a.path.display()
                )
            })?,
        };
        Ok(Signer {
            fingerprint,
            principals,
        })
    }
}

/// Signs a checkpoint body with the key in `key_path`: a private key without a
/// passphrase is used here; a protected one, or a public key whose private half is in
/// ssh-agent, goes through `ssh-keygen -Y sign`, which asks for the passphrase or the
/// agent as it always does.
pub fn sign(body: &str, key_path: &Path) -> Result<Signature, SignError> {
    let key = match PrivateKey::read_openssh_file(key_path) {
        Ok(k) => k,
        Err(e) => {
            if PublicKey::read_openssh_file(key_path).is_ok() {
                return sign_with_ssh_keygen(body, key_path);
            }
            return Err(SignError::Key {
                path: key_path.to_path_buf(),
                msg: e.to_string(),
            });
        }
    };
    if key.is_encrypted() {
        return sign_with_ssh_keygen(body, key_path);
    }
    key.sign(NAMESPACE, HashAlg::Sha512, body.as_bytes())
        .map(Signature)
        .map_err(|e| SignError::Sign(e.to_string()))
}

/// Signs through `ssh-keygen -Y sign`, the body on its stdin, the signature on stdout.
fn sign_with_ssh_keygen(body: &str, key_path: &Path) -> Result<Signature, SignError> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let fail = |msg: String| SignError::SshKeygen {
        path: key_path.to_path_buf(),
        msg,
    };
    let mut child = Command::new("ssh-keygen")
        .args(["-q", "-Y", "sign", "-n", NAMESPACE, "-f"])
        .arg(key_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot run it ({e}); install openssh-client")))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(body.as_bytes())
            .map_err(|e| fail(e.to_string()))?;
    }
    let out = child.wait_with_output().map_err(|e| fail(e.to_string()))?;
    if !out.status.success() {
        return Err(fail(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    let pem = String::from_utf8_lossy(&out.stdout);
    let sig = Signature::from_pem(pem.trim()).map_err(fail)?;
    // What ssh-keygen signed must be what we meant: check before handing it out.
    sig.check(body, None).map_err(fail)?;
    Ok(sig)
}

/// An OpenSSH allowed-signers file: which principals each trusted key stands for.
#[derive(Clone, Debug)]
pub struct AllowedSigners {
    pub path: PathBuf,
    entries: Vec<(Vec<String>, PublicKey)>,
}

impl AllowedSigners {
    /// Reads an allowed-signers file. Lines whose `namespaces=` option leaves out
    /// `factledger-checkpoint`, and certificate authorities, are not trusted here.
    pub fn read(path: &Path) -> Result<AllowedSigners, SignError> {
        let text = super::read_small(path, 1 << 20).map_err(|e| SignError::AllowedSigners {
            path: path.to_path_buf(),
            line: 1,
            msg: e.to_string(),
        })?;
        let mut entries = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |msg: &str| SignError::AllowedSigners {
                path: path.to_path_buf(),
                line: i + 1,
                msg: msg.to_string(),
            };
            let tokens = tokens(line);
            let principals: Vec<String> = tokens[0].split(',').map(String::from).collect();
            let key_at = (1..tokens.len().saturating_sub(1))
                .find(|&k| {
                    PublicKey::from_openssh(&format!("{} {}", tokens[k], tokens[k + 1])).is_ok()
                })
                .ok_or_else(|| bad("no public key found"))?;
            let options = tokens[1..key_at].join(",").to_ascii_lowercase();
            if options.contains("cert-authority") || !namespace_allowed(&options) {
                continue;
            }
            let key =
                PublicKey::from_openssh(&format!("{} {}", tokens[key_at], tokens[key_at + 1]))
                    .map_err(|e| bad(&e.to_string()))?;
            entries.push((principals, key));
        }
        Ok(AllowedSigners {
            path: path.to_path_buf(),
            entries,
        })
    }

    /// The principals listed for `key`, or `None` when it is not listed.
    fn principals_of(&self, key: &PublicKey) -> Option<Vec<String>> {
        let found: Vec<String> = self
            .entries
            .iter()
            .filter(|(_, k)| k.key_data() == key.key_data())
            .flat_map(|(p, _)| p.clone())
            .collect();
        (!found.is_empty()).then_some(found)
    }
}

/// Whether an options field allows the checkpoint namespace (no `namespaces=`: any).
fn namespace_allowed(options: &str) -> bool {
    let Some(at) = options.find("namespaces=") else {
        return true;
    };
    let rest = options[at + "namespaces=".len()..].trim_start_matches('"');
    let list = rest.split('"').next().unwrap_or("");
    list.split(',').any(|n| n.trim() == NAMESPACE)
}

/// Splits a line at white space outside double quotes.
fn tokens(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_option_limits_what_a_key_may_sign() {
        assert!(namespace_allowed(""));
        assert!(namespace_allowed(
            "namespaces=\"git,factledger-checkpoint\""
        ));
        assert!(!namespace_allowed("namespaces=\"git\""));
    }

    #[test]
    fn quoted_options_stay_one_token() {
        assert_eq!(
            tokens("a@x namespaces=\"git, file\" ssh-ed25519 AAAA"),
            ["a@x", "namespaces=\"git, file\"", "ssh-ed25519", "AAAA"]
        );
    }
}
