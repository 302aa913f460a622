//! The spreadsheet guard on CSV cells: `export --format csv` puts a `'` before a cell a
//! spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) and before a cell
//! that already starts with `'`, so that `import` can take exactly that `'` away again
//! and read back, byte for byte, what was exported.

use std::borrow::Cow;

/// Whether a cell starting with `c` gets the guard.
fn guarded(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '\'')
}

/// The cell as `export --format csv` writes it.
pub fn guard(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if guarded(c) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The cell as it was before [`guard`]; any other cell as it is.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.chars().next().is_some_and(guarded) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_are_guarded_and_plain_text_is_not() {
        assert_eq!(guard("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(guard("-5"), "'-5");
        assert_eq!(guard("'quoted"), "''quoted");
        assert_eq!(guard("plain"), "plain");
        assert_eq!(unguard("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unguard("'plain"), "'plain");
    }

    proptest! {
        /// Whatever a cell holds, import reads back what export wrote.
        #[test]
        fn unguard_undoes_guard(s in any::<String>()) {
            let guarded = guard(&s);
            prop_assert_eq!(unguard(&guarded), s.as_str());
        }
    }
}
