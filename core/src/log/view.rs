//! A borrowed view of a log line in exactly the form factledger writes it: slices of the
//! line's own text, no allocation. A pass over millions of lines (`verify`) reads claims
//! and status changes through it. It reads the canonical form only (fields in the order
//! they are written, strings without escapes) and says `None` otherwise; such a line,
//! and every line of another kind (sources, batch headers, imports: a few per write),
//! goes through [`super::decode_line`], the reference, so that what is accepted and
//! every error message stay the reference's. A view is accepted only where the reference
//! reads the same record (a test checks it).

use crate::model::{ClaimContent, Status};
use crate::time::TimeSpan;
use crate::value::Interval;

/// A record line, read in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordView<'a> {
    pub seq: u64,
    pub at: &'a str,
    pub by: &'a str,
    pub prev: &'a str,
    pub entry: EntryView<'a>,
    pub hash: &'a str,
}

/// The entry kinds a view reads: the ones a large log is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryView<'a> {
    Claim(ClaimView<'a>),
    Status(StatusView<'a>),
}

/// A claim, read in place: what its id is computed from, and the rest as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimView<'a> {
    pub id: &'a str,
    pub source: &'a str,
    pub subject: &'a str,
    pub property: &'a str,
    /// `quantity`, `date` or `text`, as [`crate::model::Value::kind`] says.
    pub value_kind: &'static str,
    /// The value as written.
    pub value_raw: &'a str,
    /// The value as the log records it read (the interval or span beside the raw text).
    pub value: ParsedValue,
    pub unit: Option<&'a str>,
    /// The as-of date as written.
    pub as_of: Option<&'a str>,
    /// The as-of date's span, as the log records it.
    pub as_of_span: Option<TimeSpan>,
    pub quote: Option<&'a str>,
    pub note: Option<&'a str>,
    pub supersedes: Option<&'a str>,
}

impl<'a> ClaimView<'a> {
    /// The fields the claim id is computed from.
    pub fn content(&self) -> ClaimContent<'a> {
        ClaimContent {
            source: self.source,
            subject: self.subject,
            property: self.property,
            kind: self.value_kind,
            value: self.value_raw,
            unit: self.unit,
            as_of: self.as_of,
            quote: self.quote,
        }
    }
}

/// A claim's value as the log records it beside the raw text: a quantity's interval, a
/// date's span; text is its raw text only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParsedValue {
    Quantity(Interval),
    Date(TimeSpan),
    Text,
}

/// A status change, read in place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusView<'a> {
    pub claim: &'a str,
    pub status: Status,
    pub note: Option<&'a str>,
    pub evidence: Option<&'a str>,
}

/// Reads a line (without its line end) in factledger's canonical form; `None` for any
/// other line, which the reference decoder then reads or refuses.
pub fn view_line(line: &str) -> Option<RecordView<'_>> {
    let mut c = Cur { s: line, i: 0 };
    c.lit("(seq:")?;
    let seq = c.number()?;
    c.lit(",at:")?;
    let at = c.string()?;
    c.lit(",by:")?;
    let by = c.string()?;
    c.lit(",prev:")?;
    let prev = c.string()?;
    c.lit(",entry:")?;
    let entry = if c.lit("Claim((").is_some() {
        EntryView::Claim(claim(&mut c)?)
    } else if c.lit("Status((").is_some() {
        EntryView::Status(status(&mut c)?)
    } else {
        return None;
    };
    c.lit("))")?;
    c.lit(",hash:")?;
    let hash = c.string()?;
    c.lit(")")?;
    (c.i == c.s.len()).then_some(RecordView {
        seq,
        at,
        by,
        prev,
        entry,
        hash,
    })
}

/// Whether `text` is exactly the lowercase hex of `digest`, as a line's hash or a claim
/// id must be: compared without making the hex.
pub fn is_hex_of(digest: &[u8; 32], text: &str) -> bool {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let t = text.as_bytes();
    t.len() == 64
        && digest.iter().enumerate().all(|(i, b)| {
            t[2 * i] == DIGITS[usize::from(b >> 4)] && t[2 * i + 1] == DIGITS[usize::from(b & 15)]
        })
}

struct Cur<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cur<'a> {
    // Always inlined, as is `opt_string`: with the literal known where it is called, the
    // comparison is a load or two, not a call to memcmp (two dozen per line).
    #[inline(always)]
    fn lit(&mut self, l: &str) -> Option<()> {
        self.s
            .as_bytes()
            .get(self.i..)?
            .starts_with(l.as_bytes())
            .then(|| self.i += l.len())
    }

    /// `,name:` then a string, when the line has that optional field next.
    #[inline(always)]
    fn opt_string(&mut self, name: &str) -> Option<Option<&'a str>> {
        let rest = self.s.as_bytes().get(self.i..)?;
        let b = name.as_bytes();
        let here = rest.first() == Some(&b',')
            && rest.get(1..=b.len()) == Some(b)
            && rest.get(b.len() + 1) == Some(&b':');
        if !here {
            return Some(None);
        }
        self.i += b.len() + 2;
        self.string().map(Some)
    }

    /// Decimal digits as a u64, as the reference reads a sequence number.
    fn number(&mut self) -> Option<u64> {
        let start = self.i;
        let digits = self.s.as_bytes()[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        self.i += digits;
        self.s[start..self.i].parse().ok()
    }

    /// A string literal without escapes (a backslash means: not canonical).
    fn string(&mut self) -> Option<&'a str> {
        self.lit("\"")?;
        let rest = self.s.as_bytes().get(self.i..)?;
        let end = memchr::memchr2(b'"', b'\\', rest)?;
        if rest[end] == b'\\' {
            return None;
        }
        let text = &self.s[self.i..self.i + end];
        self.i += end + 1;
        Some(text)
    }

    /// `(raw:"..",span:".."[,reference:".."])`: a date's raw text and its span, read as
    /// the reference reads it.
    fn date(&mut self) -> Option<(&'a str, TimeSpan)> {
        self.lit("(raw:")?;
        let raw = self.string()?;
        self.lit(",span:")?;
        let span = crate::time::decode_span(self.string()?).ok()?;
        self.opt_string("reference")?;
        self.lit(")")?;
        Some((raw, span))
    }
}

/// A claim's value: its kind, raw text and what the log records it read as; an
/// interval or span is read as the reference reads it.
fn value<'a>(c: &mut Cur<'a>) -> Option<(&'static str, &'a str, ParsedValue)> {
    if c.lit("Quantity(raw:").is_some() {
        let raw = c.string()?;
        c.lit(",interval:")?;
        let iv = Interval::decode(c.string()?).ok()?;
        c.lit(")")?;
        Some(("quantity", raw, ParsedValue::Quantity(iv)))
    } else if c.lit("Date(").is_some() {
        let (raw, span) = c.date()?;
        c.lit(")")?;
        Some(("date", raw, ParsedValue::Date(span)))
    } else if c.lit("Text(raw:").is_some() {
        let raw = c.string()?;
        c.lit(")")?;
        Some(("text", raw, ParsedValue::Text))
    } else {
        None
    }
}

fn claim<'a>(c: &mut Cur<'a>) -> Option<ClaimView<'a>> {
    c.lit("id:")?;
    let id = c.string()?;
    c.lit(",source:")?;
    let source = c.string()?;
    c.lit(",subject:")?;
    let subject = c.string()?;
    c.lit(",property:")?;
    let property = c.string()?;
    c.lit(",value:")?;
    let (value_kind, value_raw, value) = value(c)?;
    let unit = c.opt_string("unit")?;
    let (as_of, as_of_span) = if c.lit(",as_of:").is_some() {
        let (raw, span) = c.date()?;
        (Some(raw), Some(span))
    } else {
        (None, None)
    };
    Some(ClaimView {
        id,
        source,
        subject,
        property,
        value_kind,
        value_raw,
        value,
        unit,
        as_of,
        as_of_span,
        quote: c.opt_string("quote")?,
        note: c.opt_string("note")?,
        supersedes: c.opt_string("supersedes")?,
    })
}

fn status<'a>(c: &mut Cur<'a>) -> Option<StatusView<'a>> {
    c.lit("claim:")?;
    let claim = c.string()?;
    c.lit(",status:")?;
    // `false` is a RON keyword, so that status is written as a raw identifier.
    let status = Status::ALL.into_iter().find(|s| {
        let word = match s {
            Status::False => "r#false",
            s => s.as_str(),
        };
        // No status name starts another, and what follows is checked after.
        c.lit(word).is_some()
    })?;
    Some(StatusView {
        claim,
        status,
        note: c.opt_string("note")?,
        evidence: c.opt_string("evidence")?,
    })
}

#[cfg(test)]
mod tests;
