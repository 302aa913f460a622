//! What the index knows of the log file it was built from: the file's identity, size
//! and times as they were when the index was last brought level, and a CRC of the bytes
//! it covers. Owns deciding, from a `stat` of the log, whether the index is current, can
//! catch up on appended entries, or must be rebuilt.

use std::fs::{File, Metadata};
use std::os::unix::fs::{FileExt, MetadataExt};

/// A log file as `stat` saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    pub dev: u64,
    pub ino: u64,
    pub len: u64,
    /// Modification and status-change times, in nanoseconds: any write changes them,
    /// and a change time cannot be set back.
    pub mtime: i64,
    pub ctime: i64,
}

impl FileStamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &Metadata) -> FileStamp {
        FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            len: meta.len(),
            mtime: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
            ctime: meta.ctime() * 1_000_000_000 + meta.ctime_nsec(),
        }
    }
}

/// What part of the log the index holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Covered {
    /// The log as it was when the index was last brought level.
    pub stamp: FileStamp,
    /// Where the entries the index holds end (the start of a torn tail, if one).
    pub to: u64,
    /// Line ends in the bytes before `to`.
    pub lines: usize,
    /// CRC-32 of the bytes before `to`.
    pub crc: u32,
}

/// What to do with an index, given the log as it is now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plan {
    /// The log is as the index last saw it.
    Current,
    /// The bytes the index holds are unchanged: read the entries after them.
    CatchUp,
    /// The log was replaced, cut or changed inside what the index holds.
    Rebuild,
}

/// Decides what `covered` is worth for the log `file` whose stamp is `now`. Reads the
/// covered bytes (a CRC pass) only when the file changed in a way this process cannot
/// vouch for; a stamp equal to the stored one means nothing wrote to it since.
pub fn plan(covered: &Covered, now: &FileStamp, file: &File) -> std::io::Result<Plan> {
    if covered.stamp == *now {
        return Ok(Plan::Current);
    }
    // Replaced, cut, or ending mid-line (appends start on a new line): no catching up.
    if !extends(covered, now, file)? {
        return Ok(Plan::Rebuild);
    }
    let (crc, _) = crc_range(file, 0, covered.to, 0)?;
    Ok(if crc == covered.crc {
        Plan::CatchUp
    } else {
        Plan::Rebuild
    })
}

/// Whether the log `now` extends what `covered` holds by appends alone, as far as can be
/// told without reading the covered bytes: for a caller that held the log's lock since
/// it last checked them.
pub fn extends(covered: &Covered, now: &FileStamp, file: &File) -> std::io::Result<bool> {
    let old = &covered.stamp;
    Ok((old.dev, old.ino) == (now.dev, now.ino)
        && now.len >= covered.to
        && (covered.to == 0 || ends_in_newline(file, covered.to)?))
}

fn ends_in_newline(file: &File, to: u64) -> std::io::Result<bool> {
    let mut b = [0u8];
    file.read_exact_at(&mut b, to - 1)?;
    Ok(b[0] == b'\n')
}

/// The CRC-32 of bytes `from..to` of `file` continued from `crc` (the CRC of the
/// `from` bytes before them), and the line ends among them.
pub fn crc_range(file: &File, from: u64, to: u64, crc: u32) -> std::io::Result<(u32, usize)> {
    let mut h = crc32fast::Hasher::new_with_initial_len(crc, from);
    let mut buf = vec![0u8; (4usize << 20).min((to - from) as usize)];
    let (mut at, mut lines) = (from, 0usize);
    while at < to {
        let n = buf.len().min((to - at) as usize);
        file.read_exact_at(&mut buf[..n], at)?;
        h.update(&buf[..n]);
        lines += memchr::memchr_iter(b'\n', &buf[..n]).count();
        at += n as u64;
    }
    Ok((h.finalize(), lines))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(bytes: &[u8]) -> (tempfile::NamedTempFile, File) {
        let mut t = tempfile::NamedTempFile::new().unwrap();
        t.write_all(bytes).unwrap();
        let f = File::open(t.path()).unwrap();
        (t, f)
    }

    fn covered(f: &File, to: u64) -> Covered {
        let (crc, lines) = crc_range(f, 0, to, 0).unwrap();
        Covered {
            stamp: FileStamp::of(&f.metadata().unwrap()),
            to,
            lines,
            crc,
        }
    }

    #[test]
    fn crc_continues_across_ranges() {
        let (_t, f) = file_with(b"one\ntwo\nthree\n");
        let (whole, lines) = crc_range(&f, 0, 14, 0).unwrap();
        let (head, _) = crc_range(&f, 0, 4, 0).unwrap();
        let (joined, _) = crc_range(&f, 4, 14, head).unwrap();
        assert_eq!((whole, lines), (joined, 3));
        assert_eq!(whole, crc32fast::hash(b"one\ntwo\nthree\n"));
    }

    #[test]
    fn an_append_catches_up_and_a_changed_byte_rebuilds() {
        let (t, f) = file_with(b"one\ntwo\n");
        let c = covered(&f, 8);
        assert_eq!(plan(&c, &c.stamp, &f).unwrap(), Plan::Current);
        let moved = FileStamp {
            len: 12,
            mtime: c.stamp.mtime + 1,
            ..c.stamp
        };
        std::fs::OpenOptions::new()
            .append(true)
            .open(t.path())
            .unwrap()
            .write_all(b"3rd\n")
            .unwrap();
        assert_eq!(plan(&c, &moved, &f).unwrap(), Plan::CatchUp);
        std::fs::OpenOptions::new()
            .write(true)
            .open(t.path())
            .unwrap()
            .write_all_at(b"T", 4)
            .unwrap();
        assert_eq!(plan(&c, &moved, &f).unwrap(), Plan::Rebuild);
    }

    #[test]
    fn a_shorter_or_other_file_rebuilds() {
        let (_t, f) = file_with(b"one\ntwo\n");
        let c = covered(&f, 8);
        let cut = FileStamp { len: 4, ..c.stamp };
        assert_eq!(plan(&c, &cut, &f).unwrap(), Plan::Rebuild);
        let other = FileStamp {
            ino: c.stamp.ino + 1,
            ..c.stamp
        };
        assert_eq!(plan(&c, &other, &f).unwrap(), Plan::Rebuild);
    }
}
