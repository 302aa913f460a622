//! The one rule for text that reaches a terminal: no character that can drive it or hide
//! itself gets there raw. C0 and C1 controls, DEL, bidirectional controls, zero-width
//! and other invisible format characters are shown as `\u{...}` escapes. [`visible`]
//! applies it to one piece of text (a table cell, a message); [`TerminalWriter`] applies
//! it to everything a command writes to a terminal, whatever the format, as the last
//! step. Output to a pipe or a file keeps the data exact.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Whether `c` must not reach a terminal as it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}'                  // soft hyphen
            | '\u{034F}'                // combining grapheme joiner
            | '\u{061C}'                // Arabic letter mark
            | '\u{115F}' | '\u{1160}'   // Hangul fillers
            | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'   // Mongolian selectors and vowel separator
            | '\u{200B}'..='\u{200F}'   // zero-width space, joiners, LRM, RLM
            | '\u{2028}'..='\u{202E}'   // line/paragraph separators, bidi embeddings
            | '\u{2060}'..='\u{206F}'   // word joiner, invisible operators, bidi isolates
            | '\u{3164}'                // Hangul filler
            | '\u{FE00}'..='\u{FE0F}'   // variation selectors
            | '\u{FEFF}'                // zero-width no-break space (BOM)
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFFB}'   // interlinear annotation and specials
            | '\u{1D173}'..='\u{1D17A}' // musical formatting
            | '\u{E0000}'..='\u{E0FFF}' // tags and variation selectors supplement
        )
}

fn escape_into(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// `s` with every unsafe character shown as an escape; line breaks and tabs, which a
/// table cell cannot hold, become spaces.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '\n' | '\t' | '\r' => out.push(' '),
            c if is_unsafe(c) => escape_into(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A writer to a terminal: escapes every unsafe character in whatever passes through it
/// (keeping line ends and tabs, which lay out the output), and shows bytes that are not
/// UTF-8 as `\x..`. A character split across two writes is held until it is whole.
pub struct TerminalWriter<W: Write> {
    inner: W,
    /// The start of a character whose remaining bytes have not come yet.
    partial: Vec<u8>,
}

impl<W: Write> TerminalWriter<W> {
    /// Wraps `inner`, a terminal.
    pub fn new(inner: W) -> Self {
        TerminalWriter {
            inner,
            partial: Vec::new(),
        }
    }

    fn emit(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut out = String::with_capacity(bytes.len());
        let mut rest = bytes;
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    push_safe(&mut out, s);
                    rest = &[];
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    push_safe(&mut out, std::str::from_utf8(good).unwrap_or_default());
                    match e.error_len() {
                        Some(n) => {
                            for b in &bad[..n] {
                                let _ = write!(out, "\\x{b:02x}");
                            }
                            rest = &bad[n..];
                            continue;
                        }
                        // An incomplete character at the end: wait for the rest.
                        None => rest = bad,
                    }
                }
            }
            break;
        }
        self.partial = rest.to_vec();
        self.inner.write_all(out.as_bytes())?;
        Ok(bytes.len())
    }
}

fn push_safe(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            c if is_unsafe(c) => escape_into(out, c),
            c => out.push(c),
        }
    }
}

impl<W: Write> Write for TerminalWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.partial.is_empty() {
            return self.emit(buf);
        }
        let mut joined = std::mem::take(&mut self.partial);
        joined.extend_from_slice(buf);
        self.emit(&joined)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.partial.is_empty() {
            let rest = std::mem::take(&mut self.partial);
            let shown: String = rest.iter().map(|b| format!("\\x{b:02x}")).collect();
            self.inner.write_all(shown.as_bytes())?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(chunks: &[&[u8]]) -> String {
        let mut w = TerminalWriter::new(Vec::new());
        for c in chunks {
            w.write_all(c).unwrap();
        }
        w.flush().unwrap();
        String::from_utf8(w.inner).unwrap()
    }

    #[test]
    fn controls_bidi_and_invisible_characters_are_shown_as_escapes() {
        let hostile =
            "a\u{1b}]0;PWNED\u{7}b\u{9b}c\u{7f}d\u{202e}e\u{200b}f\u{200e}g\u{61c}h\u{feff}i";
        assert_eq!(
            visible(hostile),
            "a\\u{1b}]0;PWNED\\u{7}b\\u{9b}c\\u{7f}d\\u{202e}e\\u{200b}f\\u{200e}g\\u{61c}h\\u{feff}i"
        );
        assert_eq!(visible("plain ’text’ — ok"), "plain ’text’ — ok");
        assert_eq!(visible("two\nlines"), "two lines");
    }

    #[test]
    fn the_writer_keeps_layout_and_escapes_the_rest_even_split_mid_character() {
        let text = "x\u{202e}y\n\tz\u{1b}[2J".as_bytes();
        let (a, b) = text.split_at(2); // inside the 3-byte U+202E
        assert_eq!(through(&[a, b]), "x\\u{202e}y\n\tz\\u{1b}[2J");
        assert_eq!(through(&[b"ok \xff end"]), "ok \\xff end");
        assert_eq!(through(&[b"cut \xe2\x80"]), "cut \\xe2\\x80");
    }
}
