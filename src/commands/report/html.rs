//! The report's page: inline CSS, one inline SVG chart per finding, the claims with
//! their quotes, sources, statuses and history. Nothing is fetched: no scripts, no
//! external styles, fonts or images; links to sources are plain links. Every text from
//! the ledger is escaped.

use std::fmt::Write;

use super::{chart, place, FindingView, Placed};
use crate::render::clean;
use factledger_core::ledger::{ClaimState, Ledger};
use factledger_core::model::short_id;

const STYLE: &str = "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d1d1f;background:#f6f6f3;margin:0}
main{max-width:820px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:0 0 6px}
.meta{color:#666;margin:0 0 18px}
section.finding{background:#fff;border:1px solid #ddd;border-radius:8px;padding:18px 20px;margin:0 0 22px}
.kind{font-size:12px;font-weight:700;letter-spacing:.05em;padding:2px 7px;border-radius:4px;margin-right:6px;vertical-align:2px}
.kind.conflict{background:#fdecea;color:#b71c1c}.kind.revision{background:#e8f5e9;color:#1b5e20}
.summary{margin:4px 0 10px}.estimate{margin:6px 0;font-weight:600}
figure{margin:8px 0}figure svg{max-width:100%;height:auto;border:1px solid #eee}
.legend{font-size:13px;color:#444;margin:4px 0 10px}.legend span{margin-right:14px;display:inline-block}
.sw{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:4px;vertical-align:-1px}
ul.pairs{margin:6px 0 12px;padding-left:20px;font-size:14px}
article.claim{border-top:1px solid #eee;padding:10px 0}
article.claim header{display:flex;flex-wrap:wrap;gap:4px 12px;align-items:baseline}
code{font:13px ui-monospace,Menlo,Consolas,monospace;background:#f1f1ee;padding:1px 4px;border-radius:3px}
.val{font-weight:700}.role{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:#555}
.role.outlier,.role.conflicting,.role.stale{color:#b71c1c}.status{font-size:13px;color:#555}
blockquote{margin:6px 0 4px 0;padding:4px 12px;border-left:3px solid #c9c9c4;color:#333;font-style:italic}
ol.history{margin:4px 0 0;padding-left:20px;font-size:13px;color:#555}
table{border-collapse:collapse;font-size:14px}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:left}
";

/// Escapes text for HTML text and attribute values, after removing control characters.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page for `views` (findings, worst first).
pub fn page(ledger: &Ledger, views: &[FindingView], subject: Option<&str>, now: &str) -> String {
    let mut h = String::new();
    let title = match subject {
        Some(s) => format!("factledger report: {s}"),
        None => "factledger report".to_string(),
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n<p class=\"meta\">{} · {} claims in the ledger · made {}</p>\n",
        esc(&title),
        esc(&title),
        esc(&crate::render::count(views.len(), "finding")),
        ledger.claim_count(),
        esc(now)
    );
    if views.is_empty() {
        h.push_str("<p>No findings: the claims compared all agree.</p>\n");
    }
    for (n, f) in views.iter().enumerate() {
        finding(&mut h, ledger, n + 1, f);
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn finding(h: &mut String, ledger: &Ledger, n: usize, f: &FindingView) {
    let mut sources: Vec<&str> = Vec::new();
    for c in &f.claims {
        if !sources.contains(&c.source.as_str()) {
            sources.push(&c.source);
        }
    }
    let mut points: Vec<Placed> = f
        .claims
        .iter()
        .filter_map(|c| place(ledger, f, c))
        .collect();
    let scale = chart::Scale::of(&mut points);
    let unit = f
        .unit
        .as_deref()
        .map(|u| format!(" [{}]", esc(u)))
        .unwrap_or_default();
    let _ = write!(
        h,
        "<section class=\"finding\" id=\"finding-{n}\">\n<h2><span class=\"kind {k}\">{k}</span>{} · {}{unit}</h2>\n",
        esc(&f.subject),
        esc(&f.property),
        k = esc(&f.kind),
    );
    if let Some(s) = &f.summary {
        let _ = writeln!(h, "<p class=\"summary\">{}</p>", esc(s));
    }
    let svg = chart::svg(f, &points, &sources, &scale);
    let _ = writeln!(
        h,
        "<figure class=\"chart\" aria-label=\"{} {} over as-of time\">\n{svg}\n</figure>",
        esc(&f.subject),
        esc(&f.property)
    );
    legend(h, &sources);
    let undated: Vec<&str> = points
        .iter()
        .filter(|p| p.x.is_none())
        .map(|p| p.view.id.as_str())
        .collect();
    if !undated.is_empty() && undated.len() < points.len() {
        let _ = writeln!(
            h,
            "<p class=\"status\">Not on the chart, having no as-of and no published source: {}</p>",
            esc(&undated.join(", "))
        );
    }
    estimate_and_pairs(h, f);
    for c in &f.claims {
        let state = ledger
            .claim(c.full_id.as_deref().unwrap_or(&c.id))
            .or_else(|| ledger.resolve(&c.id).ok());
        claim(h, ledger, state, &c.id, &c.role_in(f), &c.value, &c.source);
    }
    h.push_str("</section>\n");
}

/// The finding's estimate and the pairs that explain it.
fn estimate_and_pairs(h: &mut String, f: &FindingView) {
    if let Some(e) = &f.estimate {
        let s = |o: &Option<String>| esc(o.as_deref().unwrap_or("open"));
        let _ = writeln!(
            h,
            "<p class=\"estimate\">Estimate: low {} · best {} · high {}{}</p>",
            s(&e.low),
            s(&e.best),
            s(&e.high),
            e.basis
                .as_deref()
                .map(|b| format!(" <span class=\"status\">({})</span>", esc(b)))
                .unwrap_or_default()
        );
    }
    let explained: Vec<&str> = f
        .pairs
        .iter()
        .filter_map(|p| p.explanation.as_deref())
        .collect();
    if !explained.is_empty() {
        h.push_str("<ul class=\"pairs\">\n");
        for e in explained {
            let _ = writeln!(h, "<li>{}</li>", esc(e));
        }
        h.push_str("</ul>\n");
    }
}

fn legend(h: &mut String, sources: &[&str]) {
    h.push_str("<p class=\"legend\">");
    for (i, s) in sources.iter().enumerate() {
        let c = chart::source_color(i);
        let _ = write!(
            h,
            "<span><i class=\"sw\" style=\"background:rgb({},{},{})\"></i>{}</span>",
            c.0,
            c.1,
            c.2,
            esc(s)
        );
    }
    h.push_str("<br><span>● consensus</span><span>○ earlier</span><span>✕ stale</span><span>▲ in a red ring: outlier or conflicting</span><span>grey ○ settled</span><span>green band: estimate low–high, line: best</span></p>\n");
}

/// One claim: its id, value, source (linked when it has a web address), as-of, status
/// and role, its quote, and its status history.
fn claim(
    h: &mut String,
    ledger: &Ledger,
    state: Option<&ClaimState>,
    id: &str,
    role: &str,
    value: &str,
    source: &str,
) {
    let _ = write!(
        h,
        "<article class=\"claim\" id=\"claim-{id}\">\n<header><code>{id}</code><span class=\"val\">{}</span>",
        esc(value),
        id = esc(id)
    );
    let src = ledger.source(source).map(|s| &s.source);
    let name = src
        .map(|s| match &s.outlet {
            Some(o) => format!("{} ({o})", s.title),
            None => s.title.clone(),
        })
        .unwrap_or_else(|| source.to_string());
    match src.and_then(|s| s.url.as_deref()).filter(|u| is_web(u)) {
        Some(url) => {
            let _ = write!(h, "<a href=\"{}\">{}</a>", esc(url), esc(&name));
        }
        None => {
            let _ = write!(h, "<span>{}</span>", esc(&name));
        }
    }
    let Some(c) = state else {
        h.push_str("</header>\n</article>\n");
        return;
    };
    let as_of = crate::render::effective_as_of(ledger, c).unwrap_or_default();
    let _ = writeln!(
        h,
        "<span class=\"status\">as of {} · {}</span><span class=\"role {r}\">{r}</span></header>",
        esc(&as_of),
        esc(c.status().as_str()),
        r = esc(role)
    );
    if let Some(q) = &c.claim.quote {
        let _ = writeln!(h, "<blockquote>{}</blockquote>", esc(q));
    }
    h.push_str("<ol class=\"history\">\n");
    let _ = writeln!(
        h,
        "<li>logged {} by {}</li>",
        esc(&c.stamp.at),
        esc(&c.stamp.by)
    );
    if let Some(s) = &c.claim.supersedes {
        let _ = writeln!(h, "<li>replaces <code>{}</code></li>", esc(short_id(s)));
    }
    for (change, st) in &c.history {
        let note = change
            .note
            .as_deref()
            .map(|n| format!(": {}", esc(n)))
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<li>{} on {} by {}{note}</li>",
            esc(change.status.as_str()),
            esc(&st.at),
            esc(&st.by)
        );
    }
    h.push_str("</ol>\n</article>\n");
}

/// Whether a source's address is one a page may link to (not `javascript:` and the
/// like).
fn is_web(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://") || u.starts_with("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_cleaned_of_control_characters() {
        let out = esc("<b>\"AP\" & 'Dawn'</b>\u{1b}[31m");
        assert!(
            out.starts_with("&lt;b&gt;&quot;AP&quot; &amp; &#39;Dawn&#39;&lt;/b&gt;"),
            "{out}"
        );
        assert!(!out.contains('\u{1b}'), "{out}");
        assert!(out.ends_with("[31m"), "{out}");
    }

    #[test]
    fn only_web_addresses_are_linked() {
        assert!(is_web("https://www.dawn.com/news/1"));
        assert!(is_web(" HTTP://example.org"));
        assert!(!is_web("javascript:alert(1)"));
        assert!(!is_web("file:///etc/passwd"));
        assert!(!is_web("data:text/html,x"));
    }
}
