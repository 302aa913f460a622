//! Turning entries into log lines and lines back into records: the canonical RON form,
//! the hash every line carries, and the chain from one line to the next.

use sha2::{Digest, Sha256};

use super::HASH_SUFFIX_LEN;
#[cfg(doc)]
use crate::model::Unhashed;
use crate::model::{Claim, DateValue, Entry, Record, UnknownEntry, Value};

/// The hash a record line must carry: sha256 of its text before `,hash:`, closed by `)`.
/// `None` when the line does not end in a hash field at all.
pub fn line_hash(line: &str) -> Option<String> {
    line_digest(line).map(|d| crate::model::to_hex(&d))
}

/// [`line_hash`] as its 32 bytes: checking a line needs no hex of its own.
pub fn line_digest(line: &str) -> Option<[u8; 32]> {
    let cut = line.len().checked_sub(HASH_SUFFIX_LEN)?;
    if !line.is_char_boundary(cut) || !line[cut..].starts_with(",hash:\"") {
        return None;
    }
    let mut h = Sha256::new();
    h.update(&line.as_bytes()[..cut]);
    h.update(b")");
    Some(h.finalize().into())
}

/// Encodes one record line (with its trailing newline) chained after `prev`.
pub fn encode_line(
    seq: u64,
    at: &str,
    by: &str,
    prev: &str,
    entry: &Entry,
) -> Result<(String, String), String> {
    let entry = encode_entry(entry)?;
    Ok(chain_line(
        seq,
        &encode_str(at)?,
        &encode_str(by)?,
        prev,
        &entry,
    ))
}

/// The RON text of an entry, as it stands inside its line; encoding is independent of
/// the chain, so bulk writers can do it in parallel.
pub fn encode_entry(entry: &Entry) -> Result<String, String> {
    ron_options().to_string(entry).map_err(|e| e.to_string())
}

/// Appends `s` as a RON string literal. Text that needs no escaping (the usual case) is
/// copied as is; anything else goes through RON's own escaper, so the bytes are always
/// what `ron` itself would write.
fn push_ron_str(out: &mut String, s: &str) {
    if s.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && !matches!(b, b'"' | b'\\' | b'\''))
    {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&encode_str(s).unwrap_or_else(|_| "\"\"".into()));
    }
}

/// The RON text of `Entry::Claim(claim)`, written by hand for bulk writers (an import
/// encodes a million of them): byte for byte what [`encode_entry`] writes, which a test
/// checks on generated claims.
pub fn encode_claim_entry(c: &Claim) -> String {
    let mut o = String::with_capacity(256 + c.quote.as_ref().map_or(0, String::len));
    o.push_str("Claim((id:");
    push_ron_str(&mut o, &c.id);
    for (name, v) in [
        ("source", &c.source),
        ("subject", &c.subject),
        ("property", &c.property),
    ] {
        o.push(',');
        o.push_str(name);
        o.push(':');
        push_ron_str(&mut o, v);
    }
    o.push_str(",value:");
    let date = |o: &mut String, d: &DateValue| {
        o.push_str("(raw:");
        push_ron_str(o, &d.raw);
        o.push_str(",span:");
        push_ron_str(o, &crate::time::encode_span(&d.span));
        if let Some(r) = &d.reference {
            o.push_str(",reference:");
            push_ron_str(o, r);
        }
        o.push(')');
    };
    match &c.value {
        Value::Quantity { raw, interval } => {
            o.push_str("Quantity(raw:");
            push_ron_str(&mut o, raw);
            o.push_str(",interval:");
            push_ron_str(&mut o, &interval.encode());
            o.push(')');
        }
        Value::Date(d) => {
            o.push_str("Date(");
            date(&mut o, d);
            o.push(')');
        }
        Value::Text { raw } => {
            o.push_str("Text(raw:");
            push_ron_str(&mut o, raw);
            o.push(')');
        }
    }
    if let Some(u) = &c.unit {
        o.push_str(",unit:");
        push_ron_str(&mut o, u);
    }
    if let Some(a) = &c.as_of {
        o.push_str(",as_of:");
        date(&mut o, a);
    }
    for (name, v) in [
        ("quote", &c.quote),
        ("note", &c.note),
        ("supersedes", &c.supersedes),
    ] {
        if let Some(v) = v {
            o.push(',');
            o.push_str(name);
            o.push(':');
            push_ron_str(&mut o, v);
        }
    }
    o.push_str("))");
    o
}

/// How the log uses RON: optional fields are written bare (`quote:"..."`, not
/// `quote:Some("...")`), which keeps lines short and readable.
pub fn ron_options() -> ron::Options {
    ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
}

/// The RON text of a string (quoted and escaped).
pub fn encode_str(s: &str) -> Result<String, String> {
    ron::to_string(s).map_err(|e| e.to_string())
}

/// Builds a record line from its encoded parts; returns the line (with `\n`) and its
/// hash. The text is exactly what serializing [`Unhashed`] then [`Record`] gives, so a
/// line is read back by `ron` as a `Record`.
pub(crate) fn chain_line(
    seq: u64,
    at_ron: &str,
    by_ron: &str,
    prev: &str,
    entry_ron: &str,
) -> (String, String) {
    let mut line = String::with_capacity(entry_ron.len() + at_ron.len() + by_ron.len() + 180);
    line.push_str("(seq:");
    line.push_str(&seq.to_string());
    line.push_str(",at:");
    line.push_str(at_ron);
    line.push_str(",by:");
    line.push_str(by_ron);
    line.push_str(",prev:\"");
    line.push_str(prev);
    line.push_str("\",entry:");
    line.push_str(entry_ron);
    let mut h = Sha256::new();
    h.update(line.as_bytes());
    h.update(b")");
    let hash = crate::model::to_hex(&h.finalize());
    line.push_str(",hash:\"");
    line.push_str(&hash);
    line.push_str("\")\n");
    (line, hash)
}

/// Decodes one line of text into a record, with its 1-based column on error. A line
/// whose envelope is whole but whose entry is of a kind this version does not know reads
/// as [`Entry::Unknown`], keeping the entry's text.
pub fn decode_line(text: &str) -> Result<Record, (usize, String)> {
    if let Some(r) = super::fast::decode_fast(text) {
        return Ok(r);
    }
    match ron_options().from_str::<Record>(text) {
        Ok(r) => Ok(r),
        Err(e) => decode_unknown(text).ok_or((e.span.start.col.max(1), e.code.to_string())),
    }
}

/// The envelope of a record whose entry is left unread.
#[derive(serde::Deserialize)]
struct Envelope {
    seq: u64,
    at: String,
    by: String,
    prev: String,
    #[allow(dead_code)]
    entry: serde::de::IgnoredAny,
    hash: String,
}

/// Reads a line in factledger's canonical form whose entry kind is not one this version
/// knows (`Checkpoint((...))` from a newer version, say).
fn decode_unknown(text: &str) -> Option<Record> {
    let env: Envelope = ron_options().from_str(text).ok()?;
    let prefix = format!(
        "(seq:{},at:{},by:{},prev:{},entry:",
        env.seq,
        encode_str(&env.at).ok()?,
        encode_str(&env.by).ok()?,
        encode_str(&env.prev).ok()?
    );
    let raw = text
        .strip_prefix(prefix.as_str())?
        .get(..text.len().checked_sub(prefix.len() + HASH_SUFFIX_LEN)?)?;
    let kind_len = raw
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(raw.len());
    let kind = raw.get(..kind_len).filter(|k| !k.is_empty())?;
    if Entry::KINDS.contains(&kind) {
        // A known kind that does not parse is damage, not a newer version.
        return None;
    }
    Some(Record {
        seq: env.seq,
        at: env.at,
        by: env.by,
        prev: env.prev,
        entry: Entry::Unknown(UnknownEntry {
            kind: kind.to_string(),
            raw: raw.to_string(),
        }),
        hash: env.hash,
    })
}

/// The length in bytes of the line [`chain_line`] makes of these parts, whatever the
/// hashes: a batch header states its entries' length before they are chained.
pub(crate) fn chained_len(seq: u64, at_ron: &str, by_ron: &str, entry_ron: &str) -> u64 {
    let digits = seq.checked_ilog10().map_or(1, |d| d + 1) as usize;
    let fixed = "(seq:".len()
        + ",at:".len()
        + ",by:".len()
        + ",prev:\"".len()
        + 64
        + "\",entry:".len()
        + HASH_SUFFIX_LEN
        + 1;
    (fixed + digits + at_ron.len() + by_ron.len() + entry_ron.len()) as u64
}
