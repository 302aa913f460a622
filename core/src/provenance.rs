//! Provenance that survives an export: who logged each claim and when, each status
//! change with its author, time, note and evidence, and the head of the ledger the
//! export came from. Owns the JSON shapes `export --format json` writes and `import`
//! reads back, and the import entry that names where imported entries came from.

use serde::{Deserialize, Serialize};

use crate::checkpoint::Checkpoint;
use crate::ledger::ClaimState;
use crate::model::{Status, StatusChange};

/// One status change as an export carries it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryRow {
    pub status: String,
    pub at: String,
    pub by: String,
    pub note: Option<String>,
    pub evidence: Option<String>,
}

/// The head of the exporting ledger: its checkpoint when the export was made.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExportHead {
    pub origin: String,
    pub size: u64,
    /// Base64, as in a checkpoint.
    pub root: String,
    pub chain_head: String,
}

/// The import entry: where the entries after it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportNote {
    /// The exporting ledger's origin, size, root and chain head.
    pub origin: String,
    pub size: u64,
    pub root: String,
    pub chain_head: String,
}

impl ExportHead {
    /// The head of a checkpoint.
    pub fn of(c: &Checkpoint) -> ExportHead {
        let body = c.body();
        ExportHead {
            origin: c.origin.clone(),
            size: c.size,
            root: body.lines().nth(2).unwrap_or_default().to_string(),
            chain_head: c.chain_head.clone(),
        }
    }

    /// The import entry naming this head.
    pub fn note(&self) -> ImportNote {
        ImportNote {
            origin: self.origin.clone(),
            size: self.size,
            root: self.root.clone(),
            chain_head: self.chain_head.clone(),
        }
    }
}

/// A claim's status history as an export carries it, in time order.
pub fn history_rows(c: &ClaimState) -> Vec<HistoryRow> {
    c.history
        .iter()
        .map(|(s, stamp)| HistoryRow {
            status: s.status.to_string(),
            at: stamp.at.to_string(),
            by: stamp.by.to_string(),
            note: s.note.clone(),
            evidence: s.evidence.clone(),
        })
        .collect()
}

/// Checks an entry's stamp from an export: an RFC 3339 time and a non-empty author.
pub fn check_stamp(at: &str, by: &str) -> Result<(), String> {
    chrono::DateTime::parse_from_rfc3339(at)
        .map_err(|_| format!("time {at:?} is not RFC 3339, such as 2024-04-01T12:00:00Z"))?;
    if by.trim().is_empty() || by.chars().any(char::is_control) {
        return Err(format!(
            "author {by:?} is empty or holds control characters"
        ));
    }
    Ok(())
}

/// The status changes a history describes, with their stamps (at, by), or what is wrong
/// with the first bad one.
pub fn history_changes(
    claim: &str,
    rows: &[HistoryRow],
) -> Result<Vec<(StatusChange, String, String)>, String> {
    rows.iter()
        .enumerate()
        .map(|(i, h)| {
            let at = |e: String| format!("history[{i}]: {e}");
            let status = h.status.parse::<Status>().map_err(at)?;
            check_stamp(&h.at, &h.by).map_err(at)?;
            let keep = |s: &Option<String>| s.clone().filter(|v| !v.is_empty());
            Ok((
                StatusChange {
                    claim: claim.to_string(),
                    status,
                    note: keep(&h.note),
                    evidence: keep(&h.evidence),
                },
                h.at.clone(),
                h.by.clone(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_history_with_a_bad_time_or_status_names_the_row() {
        let ok = HistoryRow {
            status: "verified".into(),
            at: "2024-05-01T12:00:00Z".into(),
            by: "bob".into(),
            note: Some("n".into()),
            evidence: Some(String::new()),
        };
        let changes = history_changes("c", std::slice::from_ref(&ok)).unwrap();
        assert_eq!(changes[0].0.status, Status::Verified);
        assert_eq!(changes[0].0.evidence, None);
        let bad_time = HistoryRow {
            at: "yesterday".into(),
            ..ok.clone()
        };
        let e = history_changes("c", &[ok.clone(), bad_time]).unwrap_err();
        assert!(e.starts_with("history[1]: time \"yesterday\""), "{e}");
        let bad_status = HistoryRow {
            status: "true".into(),
            ..ok
        };
        let e = history_changes("c", &[bad_status]).unwrap_err();
        assert!(e.starts_with("history[0]: unknown status"), "{e}");
    }
}
