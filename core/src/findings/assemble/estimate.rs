//! A finding's estimate: the range its current claims allow, the best value and the
//! sources that support it, and what decided it.

use rust_decimal::Decimal;
use smallvec::SmallVec;

use super::{resize, set};
use crate::findings::figure::{Cmp, Figure};
use crate::findings::gaps::low_high_into;
use crate::findings::vote::{Decision, Ids};
use crate::findings::{Estimate, Role};
use crate::time::{span_into, TimeSpan};
use crate::value::{interval_to_text, push_normalized, Bound, Interval};

/// A number that lies in `iv` and stands for it: the number itself, the middle of a
/// closed range, a closed end; None when the only finite end is open (`over 140`).
fn point_of(iv: &Interval) -> Option<Decimal> {
    match (iv.low, iv.high) {
        (Bound::Incl(a), Bound::Incl(b)) if a == b => Some(a),
        (Bound::Incl(a) | Bound::Excl(a), Bound::Incl(b) | Bound::Excl(b)) => {
            let two = Decimal::TWO;
            let mid = (a.checked_div(two)?).checked_add(b.checked_div(two)?)?;
            iv.contains(mid).then_some(mid)
        }
        (Bound::Incl(a), Bound::Unbounded) | (Bound::Unbounded, Bound::Incl(a)) => Some(a),
        _ => None,
    }
}

/// The figure's estimate, written over `out` (the support's names from `spare`).
pub(super) fn estimate_into(
    fig: &Figure,
    d: &Decision,
    counted: &[usize],
    (out, spare): (&mut Option<Estimate>, &mut Vec<String>),
) {
    if counted.is_empty() {
        *out = None;
        return;
    }
    let current: Ids = counted
        .iter()
        .copied()
        .filter(|&i| matches!(d.roles[i], Role::Consensus | Role::Conflicting))
        .collect();
    let range = if current.is_empty() {
        counted
    } else {
        &current
    };
    let e = out.get_or_insert_with(Estimate::default);
    low_high_into(fig, range, (&mut e.low, &mut e.high));
    match d.best {
        None => {
            e.best = None;
            resize(&mut e.support, 0, spare);
        }
        Some(b) => best_and_support(fig, b, counted, e, spare),
    }
    e.basis = d.basis.text(fig);
    e.undetermined = d.undetermined;
}

/// The best estimate, to say which values contain it.
enum Best<'a> {
    Point(Decimal),
    Range(Interval),
    Span(TimeSpan),
    Text(&'a str),
}

impl Best<'_> {
    fn inside(&self, v: &Cmp) -> bool {
        match (self, v) {
            (Best::Point(x), Cmp::Q(o)) => o.contains(*x),
            (Best::Range(iv), Cmp::Q(o)) => o.overlaps(iv),
            (Best::Span(s), Cmp::D(o)) => o.overlaps(s),
            (Best::Text(t), Cmp::T(o)) => o == t,
            _ => false,
        }
    }
}

/// The best value of `e`, and the sources that support it (their names from `spare`).
fn best_and_support(
    fig: &Figure,
    b: usize,
    counted: &[usize],
    e: &mut Estimate,
    spare: &mut Vec<String>,
) {
    let best_text = e.best.get_or_insert_with(String::new);
    best_text.clear();
    let best = match &fig.items[b].value {
        Cmp::Q(iv) => match point_of(iv) {
            Some(x) => {
                push_normalized(best_text, x);
                Best::Point(x)
            }
            None => {
                best_text.push_str(&interval_to_text(iv));
                Best::Range(*iv)
            }
        },
        Cmp::D(s) => {
            span_into(best_text, s);
            Best::Span(*s)
        }
        Cmp::T(t) => {
            best_text.push_str(fig.raw(&fig.items[b]));
            Best::Text(t)
        }
    };
    let mut support: SmallVec<[&str; 16]> = counted
        .iter()
        .filter(|&&i| best.inside(&fig.items[i].value))
        .map(|&i| fig.source_of(&fig.items[i]))
        .collect();
    support.sort_unstable();
    support.dedup();
    resize(&mut e.support, support.len(), spare);
    for (name, s) in e.support.iter_mut().zip(support) {
        set(name, s);
    }
}
