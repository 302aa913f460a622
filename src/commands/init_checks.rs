//! What `init` checks before and says after creating a ledger: that the new ledger does
//! not hide another from the commands run below it, and how to reach a ledger that
//! commands will not find by themselves.

use std::path::{Path, PathBuf};

use factledger_core::log::LOG_FILE;

/// Why creating a ledger at `dir` would hide another one, if it would: `dir` lies inside
/// an existing ledger directory, or it is a `ledger/` folder below a folder that has one
/// (commands run under `dir`'s parent would find the new one first).
pub fn hides_another(dir: &Path) -> Option<String> {
    let parent = dir.parent()?;
    for a in parent.ancestors() {
        if a.join(LOG_FILE).is_file() {
            return Some(format!(
                "{} is inside the ledger {}; a ledger inside a ledger is a mistake. Create it elsewhere",
                dir.display(),
                a.display()
            ));
        }
    }
    if dir.file_name()? != "ledger" {
        return None;
    }
    let existing: PathBuf = parent
        .ancestors()
        .skip(1)
        .map(|a| a.join("ledger"))
        .find(|l| l.join(LOG_FILE).is_file())?;
    Some(format!(
        "{} is the ledger for everything under {}; a new ledger at {} would hide it from commands run in {}. Use the existing one (commands here find it), or pass --nested to create a separate ledger anyway",
        existing.display(),
        existing.parent().unwrap_or(&existing).display(),
        dir.display(),
        parent.display()
    ))
}

/// How to use a new ledger at `dir` that commands run in `cwd` would not find by
/// themselves (they look for the nearest `ledger/` upward); `None` when they would.
pub fn how_to_use(cwd: &Path, dir: &Path, typed: Option<&Path>) -> Option<String> {
    let found = cwd
        .ancestors()
        .map(|a| a.join("ledger"))
        .find(|l| l.join(LOG_FILE).is_file());
    if found.as_deref() == Some(dir) {
        return None;
    }
    let typed = typed.unwrap_or(dir);
    Some(format!(
        "Commands here will not find it by themselves (they look for the nearest ledger/ folder upward): pass --ledger {} or run `export FACTLEDGER_DIR={}`",
        typed.display(),
        dir.display()
    ))
}
