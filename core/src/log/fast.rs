//! A fast reader for log lines in exactly the form factledger writes them. Reading is
//! what every command does first, and a generic RON parser is the slowest part of it;
//! this reader handles the canonical form only and gives up (`None`) on anything else,
//! such as escapes in strings or a hand-edited line, which then goes through `ron`, the
//! reference, with its located errors. A test checks that both read the same records.

use crate::model::{Claim, DateValue, Entry, Record, Source, Status, StatusChange, Value};
use crate::time::TimeSpan;
use crate::value::Interval;

/// Reads a canonical log line; `None` when the line is not in factledger's own form.
pub fn decode_fast(line: &str) -> Option<Record> {
    let mut c = Cur {
        s: line.as_bytes(),
        i: 0,
    };
    c.lit(b"(seq:")?;
    let seq = c.number()?;
    c.lit(b",at:")?;
    let at = c.string()?;
    c.lit(b",by:")?;
    let by = c.string()?;
    c.lit(b",prev:")?;
    let prev = c.string()?;
    c.lit(b",entry:")?;
    let entry = match c.ident()? {
        b"Source" => Entry::Source(source(&mut c)?),
        b"Claim" => Entry::Claim(claim(&mut c)?),
        b"Status" => Entry::Status(status(&mut c)?),
        _ => return None,
    };
    c.lit(b",hash:")?;
    let hash = c.string()?;
    c.lit(b")")?;
    (c.i == c.s.len()).then_some(Record {
        seq,
        at,
        by,
        prev,
        entry,
        hash,
    })
}

struct Cur<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cur<'a> {
    fn lit(&mut self, l: &[u8]) -> Option<()> {
        self.s
            .get(self.i..)?
            .starts_with(l)
            .then(|| self.i += l.len())
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn number(&mut self) -> Option<u64> {
        let start = self.i;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .parse()
            .ok()
    }

    fn ident(&mut self) -> Option<&'a [u8]> {
        let start = self.i;
        while self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.i += 1;
        }
        (self.i > start).then(|| &self.s[start..self.i])
    }

    /// A string literal without escapes (a backslash means: let `ron` read the line).
    fn string(&mut self) -> Option<String> {
        self.lit(b"\"")?;
        let rest = self.s.get(self.i..)?;
        let end = memchr::memchr2(b'"', b'\\', rest)?;
        if rest[end] == b'\\' {
            return None;
        }
        let text = std::str::from_utf8(&rest[..end]).ok()?.to_string();
        self.i += end + 1;
        Some(text)
    }

    /// Runs `field` for each `name:value` of a struct body up to `close`. A name seen
    /// twice gives up, as the reference reader refuses a duplicated field.
    fn fields(
        &mut self,
        close: &[u8],
        mut field: impl FnMut(&mut Self, &[u8]) -> Option<()>,
    ) -> Option<()> {
        let mut seen: Vec<&[u8]> = Vec::new();
        loop {
            let name = self.ident()?;
            if seen.contains(&name) {
                return None;
            }
            seen.push(name);
            self.lit(b":")?;
            field(self, name)?;
            if self.lit(b",").is_none() {
                return self.lit(close);
            }
        }
    }
}

fn date_value(c: &mut Cur<'_>) -> Option<DateValue> {
    c.lit(b"(")?;
    let (mut raw, mut span, mut reference) = (None, None, None);
    c.fields(b")", |c, name| {
        match name {
            b"raw" => raw = Some(c.string()?),
            b"span" => span = Some(c.string()?),
            b"reference" => reference = Some(c.string()?),
            _ => return None,
        }
        Some(())
    })?;
    Some(DateValue {
        raw: raw?,
        span: span_of(&span?)?,
        reference,
    })
}

fn span_of(text: &str) -> Option<TimeSpan> {
    serde::Deserialize::deserialize(
        serde::de::value::StrDeserializer::<serde::de::value::Error>::new(text),
    )
    .ok()
}

fn source(c: &mut Cur<'_>) -> Option<Source> {
    c.lit(b"((")?;
    let mut s = Source::bare("");
    let (mut id, mut title) = (None, None);
    c.fields(b"))", |c, name| {
        match name {
            b"id" => id = Some(c.string()?),
            b"title" => title = Some(c.string()?),
            b"outlet" => s.outlet = Some(c.string()?),
            b"author" => s.author = Some(c.string()?),
            b"url" => s.url = Some(c.string()?),
            b"published" => s.published = Some(date_value(c)?),
            b"published_note" => s.published_note = Some(c.string()?),
            b"file" => s.file = Some(c.string()?),
            b"sha256" => s.sha256 = Some(c.string()?),
            _ => return None,
        }
        Some(())
    })?;
    s.id = id?;
    s.title = title?;
    Some(s)
}

fn value(c: &mut Cur<'_>) -> Option<Value> {
    match c.ident()? {
        b"Quantity" => {
            c.lit(b"(")?;
            let (mut raw, mut interval) = (None, None);
            c.fields(b")", |c, name| {
                match name {
                    b"raw" => raw = Some(c.string()?),
                    b"interval" => interval = Some(Interval::decode(&c.string()?).ok()?),
                    _ => return None,
                }
                Some(())
            })?;
            Some(Value::Quantity {
                raw: raw?,
                interval: interval?,
            })
        }
        b"Date" => {
            c.lit(b"(")?;
            let d = date_value(c)?;
            c.lit(b")")?;
            Some(Value::Date(d))
        }
        b"Text" => {
            c.lit(b"(raw:")?;
            let raw = c.string()?;
            c.lit(b")")?;
            Some(Value::Text { raw })
        }
        _ => None,
    }
}

fn claim(c: &mut Cur<'_>) -> Option<Claim> {
    c.lit(b"((")?;
    let (mut id, mut source, mut subject, mut property, mut val) = (None, None, None, None, None);
    let (mut unit, mut as_of, mut quote, mut note, mut supersedes) = (None, None, None, None, None);
    c.fields(b"))", |c, name| {
        match name {
            b"id" => id = Some(c.string()?),
            b"source" => source = Some(c.string()?),
            b"subject" => subject = Some(c.string()?),
            b"property" => property = Some(c.string()?),
            b"value" => val = Some(value(c)?),
            b"unit" => unit = Some(c.string()?),
            b"as_of" => as_of = Some(date_value(c)?),
            b"quote" => quote = Some(c.string()?),
            b"note" => note = Some(c.string()?),
            b"supersedes" => supersedes = Some(c.string()?),
            _ => return None,
        }
        Some(())
    })?;
    Some(Claim {
        id: id?,
        source: source?,
        subject: subject?,
        property: property?,
        value: val?,
        unit,
        as_of,
        quote,
        note,
        supersedes,
    })
}

fn status(c: &mut Cur<'_>) -> Option<StatusChange> {
    c.lit(b"((")?;
    let (mut claim, mut st, mut note, mut evidence) = (None, None, None, None);
    c.fields(b"))", |c, name| {
        match name {
            b"claim" => claim = Some(c.string()?),
            b"status" => {
                // `false` is a RON keyword, so that status is written as a raw identifier.
                let _ = c.lit(b"r#");
                let word = std::str::from_utf8(c.ident()?).ok()?;
                st = Some(Status::ALL.into_iter().find(|s| s.as_str() == word)?);
            }
            b"note" => note = Some(c.string()?),
            b"evidence" => evidence = Some(c.string()?),
            _ => return None,
        }
        Some(())
    })?;
    Some(StatusChange {
        claim: claim?,
        status: st?,
        note,
        evidence,
    })
}
