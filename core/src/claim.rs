//! Turning what a user typed (on the command line or in an import row) into a checked
//! claim: the value read, the as-of resolved, the unit made canonical, the quote found in
//! its source file. Nothing here touches the log.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::config::Config;
use crate::ledger::{Ledger, LedgerError};
use crate::model::{claim_id, Claim, ClaimContent, DateValue, Source, Value};
use crate::time::{parse_date, DateError, TimeSpan};
use crate::value::{normalize_unit, parse_quantity, QuantityError};

/// Which of `--value`, `--date`, `--text` was given, with its raw text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawValue {
    Quantity(String),
    Date(String),
    Text(String),
}

/// A claim as typed: raw text only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaimInput {
    pub source: String,
    pub subject: String,
    pub property: String,
    pub value: Option<RawValue>,
    pub unit: Option<String>,
    pub as_of: Option<String>,
    pub quote: Option<String>,
    pub note: Option<String>,
    pub supersedes: Option<String>,
}

/// Why a typed claim cannot be logged.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Quantity(#[from] QuantityError),
    #[error("{0}")]
    Date(DateError),
    #[error("--as-of: {0}")]
    AsOf(DateError),
    #[error("{field} is empty; it must be a non-empty slug such as {example}")]
    Empty {
        field: &'static str,
        example: &'static str,
    },
    #[error(
        "{field} {value:?} is not a slug: use lowercase letters, digits and '-', such as {example}"
    )]
    NotSlug {
        field: &'static str,
        value: String,
        example: &'static str,
    },
    #[error("no value: give one of --value (a quantity), --date or --text")]
    NoValue,
    #[error(
        "the value says its unit is {text} but --unit says {given}; drop --unit or make them agree"
    )]
    UnitMismatch { text: String, given: String },
    #[error("the quote is not in source {source_id}'s file {file}: {quote:?}\nQuotes are checked verbatim (runs of spaces and line breaks count as one space); copy the words from the file exactly")]
    QuoteNotInFile {
        source_id: String,
        file: String,
        quote: String,
    },
    #[error("cannot read source {source_id}'s file {}: {err}; quotes of this source are checked against it", path.display())]
    SourceFile {
        source_id: String,
        path: PathBuf,
        err: String,
    },
}

/// Whether `quote` occurs in `text`, verbatim up to runs of white space.
pub fn quote_in_text(quote: &str, text: &str) -> bool {
    if text.contains(quote) {
        return true;
    }
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    fold(text).contains(&fold(quote))
}

/// Checks that a subject or property is a slug.
pub fn check_slug(
    field: &'static str,
    value: &str,
    example: &'static str,
) -> Result<(), ClaimError> {
    if value.is_empty() {
        return Err(ClaimError::Empty { field, example });
    }
    let ok = value.bytes().all(|b| {
        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_' || b == b'.'
    });
    if ok {
        Ok(())
    } else {
        Err(ClaimError::NotSlug {
            field,
            value: value.to_string(),
            example,
        })
    }
}

/// The reference a relative date in a claim of `source` resolves against, and its name.
fn reference(as_of: Option<&DateValue>, source: &Source) -> Option<(TimeSpan, String)> {
    if let Some(a) = as_of {
        return Some((a.span, format!("as-of {}", a.span)));
    }
    source
        .published
        .as_ref()
        .map(|p| (p.span, format!("published {}", p.span)))
}

/// Reads a date typed by a user, resolving a relative one against `reference`.
pub fn read_date(raw: &str, reference: Option<(TimeSpan, String)>) -> Result<DateValue, DateError> {
    let parsed = parse_date(raw, reference.as_ref().map(|r| &r.0))?;
    Ok(DateValue {
        raw: raw.to_string(),
        span: parsed.span,
        reference: if parsed.relative {
            reference.map(|r| r.1)
        } else {
            None
        },
    })
}

/// Checks typed claims against a ledger and makes them claims. Source files are read
/// once each, on first need; `build` takes `&self`, so rows can be checked in parallel.
pub struct ClaimBuilder<'a> {
    ledger: &'a Ledger,
    config: &'a Config,
    /// Sources created in the same operation as the claims (an import).
    extra: HashMap<String, Source>,
    files: HashMap<String, OnceLock<Result<String, String>>>,
}

impl<'a> ClaimBuilder<'a> {
    /// A builder for claims going into `ledger`.
    pub fn new(ledger: &'a Ledger, config: &'a Config) -> Self {
        let files = ledger
            .sources
            .iter()
            .filter(|s| s.source.file.is_some())
            .map(|s| (s.source.id.clone(), OnceLock::new()))
            .collect();
        ClaimBuilder {
            ledger,
            config,
            extra: HashMap::new(),
            files,
        }
    }

    /// The ledger claims are checked against.
    pub fn config(&self) -> &'a Config {
        self.config
    }

    /// The ledger claims are checked against.
    pub fn ledger(&self) -> &'a Ledger {
        self.ledger
    }

    /// Makes a source that is not yet in the ledger known to later claims.
    pub fn add_source(&mut self, source: Source) {
        if source.file.is_some() {
            self.files.insert(source.id.clone(), OnceLock::new());
        }
        self.extra.insert(source.id.clone(), source);
    }

    /// Whether a source id is known, in the ledger or added here.
    pub fn knows_source(&self, id: &str) -> bool {
        self.extra.contains_key(id) || self.ledger.source(id).is_some()
    }

    /// Parses and checks `input`; does not check for duplicates.
    pub fn build(&self, input: &ClaimInput) -> Result<Claim, ClaimError> {
        let source = match self.extra.get(&input.source) {
            Some(s) => s,
            None => &self.ledger.require_source(&input.source)?.source,
        };
        check_slug("subject", &input.subject, "crocus-city-hall-attack-2024")?;
        check_slug("property", &input.property, "deaths")?;
        let as_of = match &input.as_of {
            Some(a) => Some(
                read_date(
                    a,
                    source
                        .published
                        .as_ref()
                        .map(|p| (p.span, format!("published {}", p.span))),
                )
                .map_err(ClaimError::AsOf)?,
            ),
            None => None,
        };
        let mut unit = input
            .unit
            .as_deref()
            .map(normalize_unit)
            .filter(|u| !u.is_empty());
        let value = match input.value.as_ref().ok_or(ClaimError::NoValue)? {
            RawValue::Quantity(raw) => {
                let q = parse_quantity(raw, &self.config.quantities)?;
                match (&q.unit, &unit) {
                    (Some(t), Some(g)) if t != g => {
                        return Err(ClaimError::UnitMismatch {
                            text: t.clone(),
                            given: g.clone(),
                        })
                    }
                    (Some(t), None) => unit = Some(t.clone()),
                    _ => {}
                }
                Value::Quantity {
                    raw: raw.clone(),
                    interval: q.interval,
                }
            }
            RawValue::Date(raw) => Value::Date(
                read_date(raw, reference(as_of.as_ref(), source)).map_err(ClaimError::Date)?,
            ),
            RawValue::Text(raw) => Value::Text { raw: raw.clone() },
        };
        let quote = input.quote.clone().filter(|q| !q.is_empty());
        if let (Some(q), Some(file)) = (&quote, &source.file) {
            let text = self.file_text(source, file)?;
            if !quote_in_text(q, text) {
                return Err(ClaimError::QuoteNotInFile {
                    source_id: source.id.clone(),
                    file: file.clone(),
                    quote: q.clone(),
                });
            }
        }
        let id = claim_id(&ClaimContent {
            source: &source.id,
            subject: &input.subject,
            property: &input.property,
            kind: value.kind(),
            value: value.raw(),
            unit: unit.as_deref(),
            as_of: as_of.as_ref().map(|d| d.raw.as_str()),
            quote: quote.as_deref(),
        });
        Ok(Claim {
            id,
            source: source.id.clone(),
            subject: input.subject.clone(),
            property: input.property.clone(),
            value,
            unit,
            as_of,
            quote,
            note: input.note.clone().filter(|n| !n.is_empty()),
            supersedes: input.supersedes.clone(),
        })
    }

    fn file_text(&self, source: &Source, file: &str) -> Result<&str, ClaimError> {
        let root = self.ledger.root();
        let path = root.join(file);
        let Some(slot) = self.files.get(&source.id) else {
            return Err(ClaimError::SourceFile {
                source_id: source.id.clone(),
                path,
                err: "the source was not known when this check began".into(),
            });
        };
        // Inside the workspace only: an imported ledger must not make us read, or
        // probe by quote, any file on the machine.
        slot.get_or_init(|| {
            crate::files::resolve_in(&root, file, false)
                .and_then(|p| crate::files::read_bounded(&p, self.config.max_file_bytes))
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .map_err(|e| e.to_string())
        })
        .as_deref()
        .map_err(|err| ClaimError::SourceFile {
            source_id: source.id.clone(),
            path,
            err: err.clone(),
        })
    }
}
