//! Photo captions and credits: the lines whose figures are not the article's own claims.
//! Such lines are marked as noise, never dropped.
//!
//! A line is a caption when it names itself one (`Photo: ...`, `Image: ...`), when it
//! ends with a credit after a dash (`... on September 13, 2024. — Reuters`), or when it
//! holds a bracketed credit naming a photo agency (`(AFP / AFP/Getty Images)`).

use std::ops::Range;

/// Words that introduce a caption or credit.
const MARKS: [&str; 5] = [
    "photo:",
    "photo credit",
    "photograph:",
    "image:",
    "picture:",
];

/// News and photo agencies as credits name them.
const AGENCIES: &[&str] = &[
    "AFP",
    "Reuters",
    "AP",
    "EPA",
    "Getty Images",
    "Xinhua",
    "Anadolu",
    "Bloomberg",
    "ANI",
    "PTI",
    "dpa",
    "NurPhoto",
    "Shutterstock",
    "File",
];

/// The byte ranges of the lines that are photo captions or credits, in order.
pub(super) fn caption_lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        if is_caption(line) {
            out.push(start..start + line.len());
        }
        start += line.len();
    }
    out
}

fn is_caption(line: &str) -> bool {
    let lower = line.to_lowercase();
    MARKS.iter().any(|m| lower.contains(m)) || dash_credit(line) || bracket_credit(line)
}

/// `... 2024. — Reuters`, `... – AFP/Getty Images`: a line ending in a dash and one to
/// four capitalized words, at least one of them an agency.
fn dash_credit(line: &str) -> bool {
    let line = line.trim_end();
    let Some(cut) = line.rfind(['—', '–']) else {
        return false;
    };
    let credit = line.get(cut..).unwrap_or_default();
    let credit = credit.trim_start_matches(['—', '–']).trim();
    let words: Vec<&str> = credit.split([' ', '/']).filter(|w| !w.is_empty()).collect();
    (1..=4).contains(&words.len())
        && words
            .iter()
            .all(|w| w.starts_with(char::is_uppercase) || *w == "dpa")
        && AGENCIES.iter().any(|a| credit.contains(a))
}

/// `(AFP / AFP/Getty Images)`, `(Photo by X/Reuters)`: brackets holding a slash and an
/// agency.
fn bracket_credit(line: &str) -> bool {
    let mut rest = line;
    while let Some(open) = rest.find('(') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find(')') else { break };
        let inner = after.get(..close).unwrap_or_default();
        if inner.contains('/') && AGENCIES.iter().any(|a| inner.contains(a)) {
            return true;
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_make_a_caption() {
        assert!(is_caption(
            "People wade through floods on September 13, 2024. — Reuters\n"
        ));
        assert!(is_caption(
            "Rescuers search the rubble (AFP / AFP/Getty Images)"
        ));
        assert!(is_caption("Photo: Ali Khan"));
        assert!(is_caption("Smoke rises over the city – AFP/Getty Images"));
    }

    #[test]
    fn ordinary_lines_are_not_captions() {
        assert!(!is_caption(
            "At least 12 people were killed (officials said) on Monday."
        ));
        assert!(!is_caption("The toll rose to 93 — the highest this year."));
        assert!(!is_caption("mkg/hc (Reuters, AFP, dpa, AP)"));
        assert!(!is_caption(
            "The ministry — which AFP contacted — declined to comment."
        ));
    }
}
