//! The timeline chart of one finding, drawn with plotters' SVG backend: x is as-of
//! time, y the figure; each claim a point (color by source, mark by role) with a bar
//! over its interval, revisions joined as steps, the estimate's low-best-high band
//! behind them.

use plotters::prelude::*;

use super::{days, FindingView, Placed};

/// Size of every chart, in CSS pixels.
pub const SIZE: (u32, u32) = (760, 300);

/// The color of the n-th source of a finding.
pub fn source_color(n: usize) -> RGBColor {
    const COLORS: [RGBColor; 8] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(23, 190, 207),
        RGBColor(188, 189, 34),
    ];
    COLORS[n % COLORS.len()]
}

/// What the y axis measures.
#[derive(Debug, Clone, PartialEq)]
pub enum Scale {
    Number,
    /// Days since 1970.
    Date,
    /// One row per distinct text, in order of first appearance.
    Text(Vec<String>),
}

impl Scale {
    /// The scale of a finding's points; gives text values their rows.
    pub fn of(points: &mut [Placed<'_>]) -> Scale {
        let mut rows: Vec<String> = Vec::new();
        for p in points.iter_mut() {
            if let Some(t) = &p.text {
                let i = rows.iter().position(|r| r == t).unwrap_or_else(|| {
                    rows.push(t.clone());
                    rows.len() - 1
                });
                (p.low, p.high) = (Some(i as f64), Some(i as f64));
            }
        }
        if !rows.is_empty() {
            Scale::Text(rows)
        } else if points
            .first()
            .is_some_and(|p| matches!(p.state.claim.value, factledger_core::model::Value::Date(_)))
        {
            Scale::Date
        } else {
            Scale::Number
        }
    }

    /// The label of a y value.
    fn label(&self, y: f64) -> String {
        match self {
            Scale::Number => number_label(y),
            Scale::Date => date_label(y),
            Scale::Text(rows) => {
                let i = y.round();
                if (y - i).abs() > 0.01 || i < 0.0 {
                    return String::new();
                }
                rows.get(i as usize)
                    .map(|r| r.chars().take(14).collect())
                    .unwrap_or_default()
            }
        }
    }
}

/// A figure of the estimate as a number on the chart's y scale: a plain number
/// (commas allowed), for dates `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, for text its row.
pub fn estimate_number(text: &str, scale: &Scale) -> Option<f64> {
    let t = text.trim();
    if let Scale::Text(rows) = scale {
        let folded = factledger_core::findings::fold_text(t);
        return rows.iter().position(|r| *r == folded).map(|i| i as f64);
    }
    if *scale == Scale::Date {
        let full = match t.len() {
            4 => format!("{t}-01-01"),
            7 => format!("{t}-01"),
            _ => t.get(..10)?.to_string(),
        };
        let d = chrono::NaiveDate::parse_from_str(&full, "%Y-%m-%d").ok()?;
        return Some(days(d.and_hms_opt(0, 0, 0)?));
    }
    t.replace(',', "").parse().ok()
}

fn date_label(d: f64) -> String {
    chrono::DateTime::from_timestamp((d * 86_400.0) as i64, 0)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn number_label(y: f64) -> String {
    if y.abs() >= 1e6 {
        format!("{:.3e}", y)
    } else if y.fract().abs() < 1e-9 {
        format!("{y:.0}")
    } else {
        format!("{y:.2}")
    }
}

/// The y value a claim's point sits at: the middle of a closed interval, else its one
/// finite end.
pub fn point_y(p: &Placed<'_>) -> Option<f64> {
    match (p.low, p.high) {
        (Some(l), Some(h)) => Some((l + h) / 2.0),
        (Some(v), None) | (None, Some(v)) => Some(v),
        (None, None) => None,
    }
}

/// The axes' ranges: every point, interval end and estimate figure, padded.
fn ranges(points: &[Placed<'_>], band: &[f64], scale: &Scale) -> ((f64, f64), (f64, f64)) {
    let xs: Vec<f64> = points.iter().filter_map(|p| p.x).collect();
    let ys: Vec<f64> = points
        .iter()
        .flat_map(|p| [p.low, p.high])
        .flatten()
        .chain(band.iter().copied())
        .collect();
    let span = |v: &[f64], min_pad: f64| {
        let finite = v.iter().copied().filter(|x| x.is_finite());
        let lo = finite.clone().fold(f64::INFINITY, f64::min);
        let hi = finite.fold(f64::NEG_INFINITY, f64::max);
        if lo > hi {
            // Nothing finite to show: any range will do.
            return (0.0, 1.0);
        }
        let pad = ((hi - lo) * 0.12).max(min_pad);
        (lo - pad, hi + pad)
    };
    // Dates are days since 1970: pad them by a month, not by a share of that count.
    let ymin_pad = match scale {
        Scale::Date => 30.0,
        Scale::Text(_) => 0.5,
        Scale::Number => ys.iter().map(|y| y.abs()).fold(1.0, f64::max) * 0.05,
    };
    (span(&xs, 20.0), span(&ys, ymin_pad))
}

/// The chart of one finding as an SVG document; `sources` orders the colors.
pub fn svg(f: &FindingView, points: &[Placed<'_>], sources: &[&str], scale: &Scale) -> String {
    let mut out = String::new();
    if points.is_empty() {
        let _ = draw_empty(&mut out);
        return out;
    }
    // With no claim placed in time, the log's order is the only order there is.
    let ordinal = points.iter().all(|p| p.x.is_none());
    let ordered: Vec<Placed<'_>>;
    let points = if ordinal {
        ordered = points
            .iter()
            .enumerate()
            .map(|(i, p)| Placed {
                x: Some(i as f64 + 1.0),
                ..p.clone()
            })
            .collect();
        &ordered[..]
    } else {
        points
    };
    let est = f.estimate.clone().unwrap_or_default();
    let num = |s: &Option<String>| s.as_deref().and_then(|t| estimate_number(t, scale));
    let (low, best, high) = (num(&est.low), num(&est.best), num(&est.high));
    let band: Vec<f64> = [low, best, high].into_iter().flatten().collect();
    let ((x0, x1), (y0, y1)) = ranges(points, &band, scale);
    let (x0, x1) = if ordinal {
        (0.5, points.len() as f64 + 0.5)
    } else {
        (x0, x1)
    };
    // Drawing into a String cannot fail but for a bad range, which ranges() excludes.
    let _ = draw(
        &mut out,
        points,
        sources,
        (scale, ordinal, &y_name(f)),
        (x0..x1, y0..y1),
        (low, best, high),
    );
    out
}

type Est = (Option<f64>, Option<f64>, Option<f64>);

/// The y axis's name: the property, with the finding's unit.
fn y_name(f: &FindingView) -> String {
    let name: String = f
        .property
        .chars()
        .filter(|c| !c.is_control())
        .take(40)
        .collect();
    match &f.unit {
        Some(u) => format!(
            "{name} [{}]",
            u.chars()
                .filter(|c| !c.is_control())
                .take(12)
                .collect::<String>()
        ),
        None => name,
    }
}

fn draw(
    out: &mut String,
    points: &[Placed<'_>],
    sources: &[&str],
    (scale, ordinal, y_desc): (&Scale, bool, &str),
    (xr, yr): (std::ops::Range<f64>, std::ops::Range<f64>),
    (low, best, high): Est,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (x0, x1, y0, y1) = (xr.start, xr.end, yr.start, yr.end);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(if *scale == Scale::Number { 80 } else { 112 })
        .build_cartesian_2d(xr, yr)?;
    let ylab = |y: &f64| scale.label(*y);
    let y_labels = match scale {
        Scale::Text(rows) => rows.len() * 2 + 1,
        _ => 6,
    };
    chart
        .configure_mesh()
        .x_labels(if ordinal {
            2 * (x1 - x0) as usize + 1
        } else {
            6
        })
        .y_labels(y_labels)
        .x_label_formatter(&|x| {
            if !ordinal {
                date_label(*x)
            } else if x.fract().abs() < 1e-9 && *x >= 1.0 {
                format!("claim {x:.0} (undated)")
            } else {
                String::new()
            }
        })
        .y_label_formatter(&ylab)
        .x_desc(if ordinal {
            "claims in log order"
        } else {
            "as of"
        })
        .y_desc(y_desc)
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(230, 230, 230))
        .draw()?;
    // The estimate: a band from low to high, a line at best.
    if let (Some(l), Some(h)) = (low.or(Some(y0)), high.or(Some(y1))) {
        if low.is_some() || high.is_some() {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x0, l), (x1, h)],
                RGBColor(46, 125, 50).mix(0.12).filled(),
            )))?;
        }
    }
    if let Some(b) = best {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x0, b), (x1, b)],
            RGBColor(46, 125, 50).stroke_width(2),
        )))?;
    }
    draw_steps(&mut chart, points)?;
    for p in points {
        let n = sources
            .iter()
            .position(|s| *s == p.view.source)
            .unwrap_or(0);
        draw_claim(&mut chart, p, source_color(n), (y0, y1))?;
    }
    root.present()?;
    Ok(())
}

/// The chart of a finding none of whose claims the ledger could place.
fn draw_empty(out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(out, (SIZE.0, 60)).into_drawing_area();
    root.fill(&WHITE)?;
    root.draw(&Text::new(
        "None of this finding's claims could be placed on a chart.",
        (12, 24),
        ("sans-serif", 15).into_font().color(&RGBColor(90, 90, 90)),
    ))?;
    root.present()?;
    Ok(())
}

type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Revisions as steps: the counted claims that are not at odds with the rest, in as-of
/// order, each holding its figure until the next.
fn draw_steps(
    chart: &mut Chart<'_, '_>,
    points: &[Placed<'_>],
) -> Result<(), Box<dyn std::error::Error>> {
    let mut line: Vec<(f64, f64)> = points
        .iter()
        .filter(|p| matches!(p.role.as_str(), "consensus" | "earlier"))
        .filter_map(|p| Some((p.x?, point_y(p)?)))
        .collect();
    line.sort_by(|a, b| a.0.total_cmp(&b.0));
    if line.len() < 2 {
        return Ok(());
    }
    let mut steps = vec![line[0]];
    for w in line.windows(2) {
        steps.push((w[1].0, w[0].1));
        steps.push(w[1]);
    }
    chart.draw_series(std::iter::once(PathElement::new(
        steps,
        RGBColor(90, 90, 90).stroke_width(1),
    )))?;
    Ok(())
}

/// One claim: a bar over its interval (to the edge when open) and a mark by role.
fn draw_claim(
    chart: &mut Chart<'_, '_>,
    p: &Placed<'_>,
    color: RGBColor,
    (y0, y1): (f64, f64),
) -> Result<(), Box<dyn std::error::Error>> {
    let (Some(x), Some(y)) = (p.x, point_y(p)) else {
        return Ok(());
    };
    let (lo, hi) = (p.low.unwrap_or(y0), p.high.unwrap_or(y1));
    if hi > lo {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, lo), (x, hi)],
            color.mix(0.6).stroke_width(3),
        )))?;
    }
    let at = (x, y);
    match p.role.as_str() {
        "outlier" | "conflicting" => {
            chart.draw_series(std::iter::once(TriangleMarker::new(at, 8, color.filled())))?;
            chart.draw_series(std::iter::once(Circle::new(
                at,
                11,
                RGBColor(198, 40, 40).stroke_width(2),
            )))?;
        }
        "stale" => {
            chart.draw_series(std::iter::once(Cross::new(at, 7, color.stroke_width(3))))?;
        }
        "earlier" => {
            chart.draw_series(std::iter::once(Circle::new(at, 6, color.stroke_width(2))))?;
        }
        "settled" => {
            chart.draw_series(std::iter::once(Circle::new(
                at,
                5,
                RGBColor(150, 150, 150).stroke_width(1),
            )))?;
        }
        _ => {
            chart.draw_series(std::iter::once(Circle::new(at, 6, color.filled())))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_figures_read_as_numbers_dates_and_rows() {
        assert_eq!(estimate_number("1,600", &Scale::Number), Some(1600.0));
        assert_eq!(estimate_number("open", &Scale::Number), None);
        let jan = estimate_number("2023-01-02", &Scale::Date).unwrap();
        assert_eq!(estimate_number("2023-01", &Scale::Date), Some(jan - 1.0));
        assert_eq!(estimate_number("2023", &Scale::Date), Some(jan - 1.0));
        let rows = Scale::Text(vec!["islamic state".into(), "ttp".into()]);
        assert_eq!(estimate_number("TTP", &rows), Some(1.0));
    }

    #[test]
    fn labels_name_dates_and_text_rows_only_where_a_row_is() {
        assert_eq!(Scale::Date.label(19_359.0), "2023-01-02");
        let rows = Scale::Text(vec!["islamic state".into()]);
        assert_eq!(rows.label(0.0), "islamic state");
        assert_eq!(rows.label(0.5), "");
        assert_eq!(number_label(63.0), "63");
    }
}
