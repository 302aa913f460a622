//! Files from outside the log: source documents, imports, articles to extract from.
//! Every read is bounded and refuses what is not a regular file (a FIFO would hang, a
//! device would never end) before opening it, and a source's stored path resolves inside
//! the workspace, the directory holding `ledger/`, unless the user allowed otherwise.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

use sha2::{Digest, Sha256};

/// The largest source document, article or import file read by default (1 GiB).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1 << 30;
/// The longest line a line-oriented input may have (64 MiB).
pub const MAX_LINE_BYTES: u64 = 64 << 20;

/// Why a file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path} is {kind}, not a regular file: give the path of a file")]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{path} is {size} bytes, more than the {limit} bytes factledger reads from one file; split it, or raise the limit with max_file_bytes in ledger/config.ron")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path} lies outside the workspace {root}: keep source documents inside the directory that holds ledger/ (copy the file there), so that others can check it")]
    OutsideWorkspace { path: PathBuf, root: PathBuf },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> FileError + '_ {
    move |source| FileError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What kind of thing `path` is, when it is not a regular file.
fn special_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let ft = meta.file_type();
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if ft.is_char_device() || ft.is_block_device() {
            return Some("a device");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Opens a regular file of at most `limit` bytes; anything else is refused before it is
/// opened (opening a FIFO would block).
pub fn open_bounded(path: &Path, limit: u64) -> Result<(File, u64), FileError> {
    let meta = std::fs::metadata(path).map_err(io_err(path))?;
    if let Some(kind) = special_kind(&meta) {
        return Err(FileError::NotAFile {
            path: path.to_path_buf(),
            kind,
        });
    }
    if meta.len() > limit {
        return Err(FileError::TooLarge {
            path: path.to_path_buf(),
            size: meta.len(),
            limit,
        });
    }
    let file = File::open(path).map_err(io_err(path))?;
    Ok((file, meta.len()))
}

/// Reads a whole regular file of at most `limit` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    let (file, size) = open_bounded(path, limit)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // A file that grows while it is read still stops at the limit.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_err(path))?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// The sha256 of a regular file of at most `limit` bytes, read as a stream.
pub fn sha256_bounded(path: &Path, limit: u64) -> Result<String, FileError> {
    let (file, _) = open_bounded(path, limit)?;
    let mut h = Sha256::new();
    let mut reader = file.take(limit.saturating_add(1));
    let n = io::copy(&mut reader, &mut h).map_err(io_err(path))?;
    if n > limit {
        return Err(FileError::TooLarge {
            path: path.to_path_buf(),
            size: n,
            limit,
        });
    }
    Ok(hex::encode(h.finalize()))
}

/// Resolves a source file's stored path against the workspace `root`. Unless
/// `allow_outside`, the result must lie inside the workspace: a ledger from elsewhere
/// (an import) must not make factledger read, hash or probe any file on the machine.
pub fn resolve_in(root: &Path, stored: &str, allow_outside: bool) -> Result<PathBuf, FileError> {
    let path = root.join(stored);
    if allow_outside {
        return Ok(path);
    }
    let canon_root = root.canonicalize().map_err(io_err(root))?;
    // Symbolic links are followed where the file exists; `..` is judged by the text
    // where it does not.
    let resolved = match path.canonicalize() {
        Ok(p) => p,
        Err(_) => normalize(&canon_root.join(stored)),
    };
    if resolved.starts_with(&canon_root) {
        Ok(path)
    } else {
        Err(FileError::OutsideWorkspace {
            path: resolved,
            root: canon_root,
        })
    }
}

/// `..` and `.` folded out of a path by its text alone.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A reader that fails once a line grows past `max` bytes, so that a line-oriented
/// parser fed a file with no line ends (`/dev/zero` copied to a file, a sparse file)
/// stops with a clear message instead of buffering it all.
pub struct LineBounded<R> {
    inner: R,
    run: u64,
    max: u64,
}

impl<R: Read> LineBounded<R> {
    /// Wraps `inner`, allowing lines of up to `max` bytes.
    pub fn new(inner: R, max: u64) -> Self {
        LineBounded { inner, run: 0, max }
    }
}

impl<R: Read> Read for LineBounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        self.run = match memchr::memrchr(b'\n', chunk) {
            Some(i) => (n - i - 1) as u64,
            None => self.run + n as u64,
        };
        if self.run > self.max {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a line is longer than {} MiB: this is not a file of rows (no line ends)",
                    self.max >> 20
                ),
            ));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_workspace_are_refused_inside_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        assert!(resolve_in(dir.path(), "a.txt", false).is_ok());
        assert!(resolve_in(dir.path(), "sub/../a.txt", false).is_ok());
        for bad in ["../x.txt", "/etc/passwd", "../../etc/shadow", "/dev/zero"] {
            let e = resolve_in(dir.path(), bad, false).unwrap_err();
            assert!(
                matches!(e, FileError::OutsideWorkspace { .. }),
                "{bad}: {e}"
            );
        }
        assert!(resolve_in(dir.path(), "/etc/passwd", true).is_ok());
    }

    #[test]
    fn devices_and_directories_are_refused_before_reading() {
        for (p, kind) in [("/dev/zero", "a device"), ("/tmp", "a directory")] {
            match read_bounded(Path::new(p), 10) {
                Err(FileError::NotAFile { kind: k, .. }) => assert_eq!(k, kind),
                other => panic!("{p}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        std::fs::write(&p, vec![b'a'; 100]).unwrap();
        match read_bounded(&p, 99) {
            Err(FileError::TooLarge { size, limit, .. }) => assert_eq!((size, limit), (100, 99)),
            other => panic!("{other:?}"),
        }
        assert_eq!(read_bounded(&p, 100).unwrap().len(), 100);
    }

    #[test]
    fn a_line_longer_than_the_bound_stops_the_reader() {
        let mut r = LineBounded::new(&b"short\nline\n"[..], 8);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, "short\nline\n");
        let long = [0u8; 100];
        let mut r = LineBounded::new(&long[..], 8);
        let e = r.read_to_end(&mut Vec::new()).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
    }
}
