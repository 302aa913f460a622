//! Claims' values, interned: the text as written together with what the log records it
//! read as. Two claims share an entry only when both are the same to the last digit of
//! the representation (`1.0` and `1.00` are two values: a report prints each as given).

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use std::fmt::Write;

use super::texts::Texts;
use super::{Names, Parsed};
use crate::findings::fold_text;
use crate::time::TimeSpan;
use crate::value::{Bound, Interval};

/// The exact representation of a value read, as a key: a decimal's 16 bytes keep its
/// scale, where its `Eq` would take `1.0` for `1.00`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Exact {
    Quantity([u8; 16], u8, [u8; 16], u8),
    Date(TimeSpan),
    Text,
}

fn bound(b: Bound) -> ([u8; 16], u8) {
    match b {
        Bound::Unbounded => ([0; 16], 0),
        Bound::Incl(d) => (d.serialize(), 1),
        Bound::Excl(d) => (d.serialize(), 2),
    }
}

fn exact(p: &Parsed) -> Exact {
    match p {
        Parsed::Quantity(Interval { low, high }) => {
            let ((l, lk), (h, hk)) = (bound(*low), bound(*high));
            Exact::Quantity(l, lk, h, hk)
        }
        Parsed::Date(s) => Exact::Date(*s),
        Parsed::Text => Exact::Text,
    }
}

/// Every distinct value, numbered in first-seen order.
#[derive(Debug, Default)]
pub(super) struct Values {
    /// Raw texts, each kept once.
    raws: Names,
    /// Each value's number by its text and what it was read as, both in one key: one
    /// look-up per claim, where the text's number and then the value's would be two
    /// (each a cache miss, in the tables of a large log). A text of up to 24 bytes is
    /// held in the key itself.
    map: FxHashMap<(CompactString, Exact), u32>,
    list: Vec<(u32, Parsed)>,
    /// Each value as read, as a report writes it, once the store is whole.
    texts: Texts,
    /// Each quantity's class, once the store is whole: the first value whose interval
    /// is equal to its (as `Interval`'s `Eq` says: `1,000` and `1000` are one class);
    /// [`super::NONE`] for a date or a text.
    classes: Vec<u32>,
}

impl Values {
    /// The number of the value written `raw` and read as `parsed`.
    pub(super) fn id(&mut self, raw: &str, parsed: &Parsed) -> u32 {
        let next = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        let id = *self.map.entry((raw.into(), exact(parsed))).or_insert(next);
        if id == next {
            let r = self.raws.id(raw);
            self.list.push((r, *parsed));
        }
        id
    }

    /// The number of a value held already, else [`super::NONE`].
    pub(super) fn find(&self, raw: &str, parsed: &Parsed) -> u32 {
        self.map
            .get(&(raw.into(), exact(parsed)))
            .copied()
            .unwrap_or(super::NONE)
    }

    /// The value's text as written.
    pub(super) fn raw(&self, id: u32) -> &str {
        self.list
            .get(id as usize)
            .map_or("", |&(r, _)| self.raws.get(r))
    }

    /// Writes each value's text as read (see [`Values::parsed_text`]), and gives each
    /// quantity its class (see [`Values::class`]).
    pub(super) fn seal(&mut self) {
        let mut first: FxHashMap<Interval, u32> = FxHashMap::default();
        self.classes = (0..self.list.len() as u32)
            .map(|id| match self.list[id as usize].1 {
                Parsed::Quantity(iv) => *first.entry(iv).or_insert(id),
                _ => super::NONE,
            })
            .collect();
        let raws = &self.raws;
        self.texts = Texts::of_each(&self.list, |out, &(r, p)| {
            // Writing to a String does not fail.
            let _ = match p {
                Parsed::Quantity(iv) => write!(out, "{iv}"),
                Parsed::Date(s) => write!(out, "{s}"),
                Parsed::Text => out.write_str(&fold_text(raws.get(r))),
            };
        });
    }

    /// What the value was read as, as a report writes it: a quantity's interval, a
    /// date's span, a text folded as it is compared.
    pub(super) fn parsed_text(&self, id: u32) -> &str {
        self.texts.get(id).unwrap_or_default()
    }

    /// The class of quantity `id`: two quantities are one class exactly when their
    /// intervals are equal. [`super::NONE`] for a date or a text.
    pub(super) fn class(&self, id: u32) -> u32 {
        self.classes
            .get(id as usize)
            .copied()
            .unwrap_or(super::NONE)
    }

    /// What the value was read as.
    pub(super) fn parsed(&self, id: u32) -> Parsed {
        self.list.get(id as usize).map_or(Parsed::Text, |&(_, p)| p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn values_are_one_only_when_written_and_read_alike() {
        let mut v = Values::default();
        let q = |s: &str| Parsed::Quantity(Interval::exact(s.parse::<Decimal>().expect("n")));
        let a = v.id("1.0", &q("1.0"));
        assert_eq!(v.id("1.0", &q("1.0")), a);
        let scaled = v.id("1.0", &q("1.00"));
        assert_ne!(scaled, a, "1.0 and 1.00 print differently");
        let other_raw = v.id("one", &q("1.0"));
        assert_ne!(other_raw, a);
        assert_eq!(v.raw(other_raw), "one");
        assert_eq!(
            format!("{:?}", v.parsed(scaled)),
            format!("{:?}", q("1.00"))
        );
        assert_eq!(v.id("x", &Parsed::Text), v.id("x", &Parsed::Text));
        let two = v.id("2", &q("2"));
        let text = v.id("x", &Parsed::Text);
        v.seal();
        assert_eq!(v.class(scaled), v.class(a), "1.0 and 1.00 are one interval");
        assert_eq!(v.class(other_raw), v.class(a), "written apart, read alike");
        assert_ne!(v.class(two), v.class(a));
        assert_eq!(v.class(text), super::super::NONE);
    }
}
