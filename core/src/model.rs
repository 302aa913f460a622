//! The records of a ledger: sources, claims, status changes, and the envelope every log
//! line wraps them in. Owns the claim id: a sha256 over a claim's own content.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::time::TimeSpan;
use crate::value::Interval;

/// One line of the log: an entry with its place in the hash chain.
///
/// `hash` is the sha256 of the line's own text up to the `,hash:` field (closed by `)`),
/// and that text contains `prev`, the hash of the line before: so changing any byte of
/// any entry breaks its own hash, and rewriting that hash breaks the next entry's `prev`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub seq: u64,
    /// When the entry was written, RFC 3339 in UTC.
    pub at: String,
    /// Who wrote it.
    pub by: String,
    /// The previous entry's hash (64 hex), or 64 zeros for the first entry.
    pub prev: String,
    pub entry: Entry,
    pub hash: String,
}

/// The part of a [`Record`] that its hash covers: everything but the hash itself.
#[derive(Serialize)]
pub struct Unhashed<'a> {
    pub seq: u64,
    pub at: &'a str,
    pub by: &'a str,
    pub prev: &'a str,
    pub entry: &'a Entry,
}

/// What a log line records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Entry {
    Source(Source),
    Claim(Claim),
    Status(StatusChange),
    /// The first line of a write of several entries: how many lines follow and how many
    /// bytes they take, so that a reader can tell a whole write from the prefix a crash
    /// left (a shorter batch at the end of the log is a torn tail).
    Batch(BatchHeader),
    /// That the entries after it came from another ledger's export: its head when it
    /// was exported. The entry's own stamp says who imported and when; the imported
    /// entries keep their original authors and times.
    Import(crate::provenance::ImportNote),
    /// An entry of a kind this version does not know (a newer version wrote it): kept,
    /// checked by hash and chain, skipped by readers. Never written by serde.
    #[serde(skip)]
    Unknown(UnknownEntry),
}

impl Entry {
    /// The names of the entry kinds this version reads, as the log spells them. The
    /// match below fails to compile when a kind is added and not named here.
    pub const KINDS: [&'static str; 5] = ["Source", "Claim", "Status", "Batch", "Import"];

    /// This entry's kind, as the log spells it.
    pub fn kind(&self) -> &str {
        match self {
            Entry::Source(_) => Self::KINDS[0],
            Entry::Claim(_) => Self::KINDS[1],
            Entry::Status(_) => Self::KINDS[2],
            Entry::Batch(_) => Self::KINDS[3],
            Entry::Import(_) => Self::KINDS[4],
            Entry::Unknown(u) => &u.kind,
        }
    }
}

/// The header of a multi-entry write: the entries and bytes that follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchHeader {
    pub entries: u64,
    pub bytes: u64,
}

/// An entry this version cannot read: its kind and its RON text, byte for byte.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEntry {
    pub kind: String,
    pub raw: String,
}

/// A document claims come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<DateValue>,
    /// Why the published date is what it is, when it was not printed (an inferred date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_note: Option<String>,
    /// Path of a local copy, relative to the directory holding `ledger/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// sha256 (64 hex) of the local copy when the source was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl Source {
    /// A source with only an id, which is also its title.
    pub fn bare(id: &str) -> Source {
        Source {
            id: id.to_string(),
            title: id.to_string(),
            outlet: None,
            author: None,
            url: None,
            published: None,
            published_note: None,
            file: None,
            sha256: None,
        }
    }
}

/// One statement from one source.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// The claim id: [`claim_id`] of the fields below (64 hex).
    pub id: String,
    pub source: String,
    pub subject: String,
    pub property: String,
    pub value: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<DateValue>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The claim this one replaces (which was retracted in the same step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
}

/// A claim's value: its raw text as written, and what it was read as.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Value {
    Quantity { raw: String, interval: Interval },
    Date(DateValue),
    Text { raw: String },
}

impl Value {
    /// The value as written.
    pub fn raw(&self) -> &str {
        match self {
            Value::Quantity { raw, .. } | Value::Text { raw } => raw,
            Value::Date(d) => &d.raw,
        }
    }

    /// `quantity`, `date` or `text`.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Quantity { .. } => "quantity",
            Value::Date(_) => "date",
            Value::Text { .. } => "text",
        }
    }

    /// What the value was read as: an interval, a time span, or the folded text.
    pub fn parsed(&self) -> String {
        match self {
            Value::Quantity { interval, .. } => interval.to_string(),
            Value::Date(d) => d.span.to_string(),
            Value::Text { raw } => crate::findings::fold_text(raw),
        }
    }
}

/// A date as written, the span it was read as, and the reference a relative date was
/// resolved against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DateValue {
    pub raw: String,
    pub span: TimeSpan,
    /// For a relative date: what it was resolved against (`published 2022-05`,
    /// `as-of 2024-04`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// A change of a claim's verification status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    /// The full claim id.
    pub claim: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Where the checking of a claim stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Unverified,
    Verified,
    Disputed,
    False,
    Retracted,
    Unverifiable,
}

impl Status {
    /// Every status, in the order the CLI lists them.
    pub const ALL: [Status; 6] = [
        Status::Unverified,
        Status::Verified,
        Status::Disputed,
        Status::False,
        Status::Retracted,
        Status::Unverifiable,
    ];

    /// The status's name as the CLI spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unverified => "unverified",
            Status::Verified => "verified",
            Status::Disputed => "disputed",
            Status::False => "false",
            Status::Retracted => "retracted",
            Status::Unverifiable => "unverifiable",
        }
    }

    /// Whether a claim with this status no longer counts against others.
    pub fn is_settled_out(self) -> bool {
        matches!(self, Status::False | Status::Retracted)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                let all: Vec<_> = Status::ALL.iter().map(|s| s.as_str()).collect();
                format!("unknown status {s:?}: expected one of {}", all.join(", "))
            })
    }
}

/// The fields a claim id is computed from.
pub struct ClaimContent<'a> {
    pub source: &'a str,
    pub subject: &'a str,
    pub property: &'a str,
    pub kind: &'a str,
    pub value: &'a str,
    pub unit: Option<&'a str>,
    pub as_of: Option<&'a str>,
    pub quote: Option<&'a str>,
}

/// The claim id: sha256 over the claim's content, each field length-prefixed so that no
/// two different claims encode alike. Only raw text goes in (never a parsed form), so the
/// id stays the same on any machine and under any parser version or ledger config.
pub fn claim_id(c: &ClaimContent<'_>) -> String {
    to_hex(&claim_digest(c))
}

/// [`claim_id`] as its 32 bytes, for readers that check millions of ids without
/// allocating their hex.
pub fn claim_digest(c: &ClaimContent<'_>) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"factledger-claim-v1");
    let fields = [
        Some(c.source),
        Some(c.subject),
        Some(c.property),
        Some(c.kind),
        Some(c.value),
        c.unit,
        c.as_of,
        c.quote,
    ];
    for f in fields {
        match f {
            None => h.update([0u8]),
            Some(s) => {
                h.update([1u8]);
                h.update((s.len() as u64).to_le_bytes());
                h.update(s.as_bytes());
            }
        }
    }
    h.finalize().into()
}

/// Lowercase hex of a digest, by table: hashes are encoded for every entry written.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 15)]);
    }
    String::from_utf8(out).expect("hex digits are ASCII")
}

impl Claim {
    /// The id this claim's content hashes to.
    pub fn computed_id(&self) -> String {
        claim_id(&ClaimContent {
            source: &self.source,
            subject: &self.subject,
            property: &self.property,
            kind: self.value.kind(),
            value: self.value.raw(),
            unit: self.unit.as_deref(),
            as_of: self.as_of.as_ref().map(|d| d.raw.as_str()),
            quote: self.quote.as_deref(),
        })
    }
}

/// The 12-hex short form of an id, as the CLI shows it.
pub fn short_id(id: &str) -> &str {
    // Ids read from a hand-edited log may hold any text: never cut inside a character.
    let mut end = id.len().min(12);
    while !id.is_char_boundary(end) {
        end -= 1;
    }
    &id[..end]
}
