//! Texts written once per entry of a store's table (each date, each value) and kept in
//! one string: a report writes one for every claim it lists, and a table holds far
//! fewer entries than the ledger has claims.

/// One text per entry, by entry number, in one string.
#[derive(Debug, Default)]
pub(super) struct Texts {
    arena: String,
    /// Where each entry's text ends in `arena`.
    ends: Vec<usize>,
}

impl Texts {
    /// The text `write` writes for each of `items`, in order.
    pub(super) fn of_each<T>(items: &[T], mut write: impl FnMut(&mut String, &T)) -> Texts {
        let mut texts = Texts {
            arena: String::new(),
            ends: Vec::with_capacity(items.len()),
        };
        for item in items {
            write(&mut texts.arena, item);
            texts.ends.push(texts.arena.len());
        }
        texts
    }

    /// Entry `i`'s text; None past the last entry.
    pub(super) fn get(&self, i: u32) -> Option<&str> {
        let i = i as usize;
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.arena.get(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_entry_reads_back_the_text_written_for_it() {
        let texts = Texts::of_each(&["a", "", "ccc", "é"], |out, s| out.push_str(s));
        let got: Vec<Option<&str>> = (0..5).map(|i| texts.get(i)).collect();
        assert_eq!(got, [Some("a"), Some(""), Some("ccc"), Some("é"), None]);
        assert_eq!(Texts::default().get(0), None);
    }
}
