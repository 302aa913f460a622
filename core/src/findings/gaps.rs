//! Distances between a figure's claims in the unit of the values' precision: the
//! quantity's own unit, minutes for times of day, days for dates. Owns the widest gap of
//! a finding, its size relative to the values, and the low and high of an estimate.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use smallvec::SmallVec;

use super::figure::{Cmp, Figure, ValueKind};
use super::vote::{Decision, Ids};
use super::{Kind, Role};
use crate::time::day_or_minute_text;
use std::fmt::Write;

use crate::value::{push_normalized, Interval};

/// Makes `slot` hold what `write` writes, in the room it has; None for None.
fn put(slot: &mut Option<String>, write: Option<impl FnOnce(&mut String)>) {
    match write {
        Some(write) => {
            let text = slot.get_or_insert_with(String::new);
            text.clear();
            write(text);
        }
        None => *slot = None,
    }
}

/// The lowest and highest values `range`'s claims allow, as text (None when open),
/// written over the two given.
pub(super) fn low_high_into(
    fig: &Figure,
    range: &[usize],
    (low_text, high_text): (&mut Option<String>, &mut Option<String>),
) {
    if fig.kind == ValueKind::Quantity {
        let ivs: SmallVec<[&Interval; 16]> = range
            .iter()
            .filter_map(|&i| match &fig.items[i].value {
                Cmp::Q(iv) => Some(iv),
                _ => None,
            })
            .collect();
        let low = ivs
            .iter()
            .map(|i| i.low_value())
            .collect::<Option<SmallVec<[_; 16]>>>()
            .and_then(|v| v.into_iter().min());
        let high = ivs
            .iter()
            .map(|i| i.high_value())
            .collect::<Option<SmallVec<[_; 16]>>>()
            .and_then(|v| v.into_iter().max());
        put(
            low_text,
            low.map(|d| move |t: &mut String| push_normalized(t, d)),
        );
        put(
            high_text,
            high.map(|d| move |t: &mut String| push_normalized(t, d)),
        );
        return;
    }
    (*low_text, *high_text) = span_low_high(fig, range);
}

/// The earliest and latest days (or minutes) `range`'s dated claims allow.
fn span_low_high(fig: &Figure, range: &[usize]) -> (Option<String>, Option<String>) {
    match fig.kind {
        ValueKind::Date => {
            let spans: SmallVec<[_; 16]> = range
                .iter()
                .filter_map(|&i| match &fig.items[i].value {
                    Cmp::D(s) => Some(*s),
                    _ => None,
                })
                .collect();
            let unit = if fig.minutes {
                chrono::Duration::minutes(1)
            } else {
                chrono::Duration::days(1)
            };
            let text = |t| day_or_minute_text(t, fig.minutes);
            let low = spans.iter().map(|s| s.start).min().map(text);
            let high = spans
                .iter()
                .map(|s| s.end)
                .max()
                .and_then(|t| t.checked_sub_signed(unit))
                .map(text);
            (low, high)
        }
        ValueKind::Quantity | ValueKind::Text => (None, None),
    }
}

/// The widest gap, measured but not yet written: a report ranks every finding by its
/// relative gap and writes the gap only of those it builds.
enum Measured {
    Open,
    Zero,
    Quantity(Decimal),
    /// A number of minutes or days.
    Count(i64, &'static str),
}

/// The widest gap between the claims that disagree (for a revision, between all the
/// counted claims), in the unit of the values' precision: the quantity's unit, minutes
/// for times of day, days for dates. And that gap relative to the values' size.
/// The text is written over `out`.
pub(super) fn gap_into(
    fig: &Figure,
    (d, counted): (&Decision, &[usize]),
    kind: Kind,
    out: &mut Option<String>,
) -> f64 {
    let (measured, relative) = measure(fig, d, counted, kind);
    let write = |text: &mut String| match measured {
        Measured::Open => {}
        Measured::Zero => text.push('0'),
        Measured::Quantity(g) => {
            push_normalized(text, g);
            if let Some(u) = fig.unit {
                text.push(' ');
                text.push_str(u);
            }
        }
        Measured::Count(n, word) => {
            let plural = if n == 1 { "" } else { "s" };
            // Writing to a String does not fail.
            let _ = write!(text, "{n} {word}{plural}");
        }
    };
    put(out, (!matches!(measured, Measured::Open)).then_some(write));
    relative
}

/// [`gap`] relative to the values' size, without writing the gap.
pub(super) fn relative_gap(fig: &Figure, d: &Decision, counted: &[usize], kind: Kind) -> f64 {
    measure(fig, d, counted, kind).1
}

fn measure(fig: &Figure, d: &Decision, counted: &[usize], kind: Kind) -> (Measured, f64) {
    let set: Ids = counted
        .iter()
        .copied()
        .filter(|&i| kind == Kind::Revision || d.roles[i] != Role::Earlier)
        .collect();
    match fig.kind {
        ValueKind::Quantity => quantity_gap(fig, &set),
        ValueKind::Date => date_gap(fig, &set),
        ValueKind::Text => (Measured::Open, 1.0),
    }
}

/// The gap between quantities, in the figure's unit.
fn quantity_gap(fig: &Figure, set: &[usize]) -> (Measured, f64) {
    let lows = set.iter().filter_map(|&i| match &fig.items[i].value {
        Cmp::Q(iv) => iv.low_value(),
        _ => None,
    });
    let highs = set.iter().filter_map(|&i| match &fig.items[i].value {
        Cmp::Q(iv) => iv.high_value(),
        _ => None,
    });
    let (Some(top), Some(bottom)) = (lows.max(), highs.min()) else {
        return (Measured::Open, 0.0);
    };
    let Some(g) = top.checked_sub(bottom).filter(|g| !g.is_sign_negative()) else {
        return (Measured::Zero, 0.0);
    };
    let size = top.abs().max(bottom.abs());
    let rel = if size.is_zero() {
        0.0
    } else {
        g.checked_div(size).and_then(|r| r.to_f64()).unwrap_or(0.0)
    };
    (Measured::Quantity(g), rel)
}

/// The gap between dates, in minutes when one was given to the minute, else in days.
fn date_gap(fig: &Figure, set: &[usize]) -> (Measured, f64) {
    let spans: SmallVec<[_; 16]> = set
        .iter()
        .filter_map(|&i| match &fig.items[i].value {
            Cmp::D(s) => Some(*s),
            _ => None,
        })
        .collect();
    let (Some(last_start), Some(first_end)) = (
        spans.iter().map(|s| s.start).max(),
        spans.iter().map(|s| s.end).min(),
    ) else {
        return (Measured::Open, 0.0);
    };
    // Measured from the last unit of the earlier value to the first of the
    // later one: 09:10 and 12:10 are 180 minutes apart, the 8th and 10th two days.
    let unit = if fig.minutes {
        chrono::Duration::minutes(1)
    } else {
        chrono::Duration::days(1)
    };
    let gap = if last_start >= first_end {
        last_start - first_end + unit
    } else {
        chrono::Duration::zero()
    };
    let longest = spans
        .iter()
        .map(|s| s.end - s.start)
        .max()
        .unwrap_or_default();
    let (n, len, word) = if fig.minutes {
        (gap.num_minutes(), longest.num_minutes(), "minute")
    } else {
        (gap.num_days(), longest.num_days(), "day")
    };
    (
        Measured::Count(n, word),
        n as f64 / len.max(1) as f64 + 0.001,
    )
}
