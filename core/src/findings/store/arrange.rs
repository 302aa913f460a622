//! The order a store keeps its claims in: a subject's claims together, and within them
//! a property's, subjects and properties in the order of their names. Every pass a
//! report makes over its figures (learning trust, ranking, writing) reads a group's
//! claims one after the other, where a log's order (claims about one event logged
//! months apart) would make each a cache miss; and a group whose claims lie in one
//! stretch, the next group's after it, is read as memory is read fastest.

use rayon::prelude::*;

use super::{Fact, Names};

/// Each name's place when the names are sorted as text.
pub(in crate::findings) fn ranks(names: &[&str]) -> Vec<u32> {
    let mut sorted: Vec<&str> = names.to_vec();
    sorted.par_sort_unstable();
    sorted.dedup();
    names
        .par_iter()
        .map(|n| sorted.binary_search(n).unwrap_or(0) as u32)
        .collect()
}

/// Each of `names`' place among them sorted.
fn ranks_of(names: &Names) -> Vec<u32> {
    let names: Vec<&str> = (0..names.len() as u32).map(|i| names.get(i)).collect();
    ranks(&names)
}

/// The claims `keep` says yes to, by subject, then property (each in the order of the
/// names, as written: aliases of one property are two runs, side by side), then as
/// they were: a copy made in parallel, for a sort would move each claim many times.
/// One number per claim is sorted, its subject's and property's places above its own.
pub(super) fn arranged(
    (subjects, properties): (&Names, &Names),
    facts: Vec<Fact>,
    keep: &[bool],
) -> Vec<Fact> {
    let (subject_rank, property_rank) = (ranks_of(subjects), ranks_of(properties));
    // A name the store does not hold (never made) goes last of the kept.
    let place = |ranks: &[u32], i: u32| ranks.get(i as usize).copied().unwrap_or(u32::MAX - 1);
    // Every claim keyed, the ones let go of last: written in place, where a filter
    // would collect pieces and join them (twice the list's memory for a moment).
    let mut keyed: Vec<u128> = Vec::new();
    facts
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let (subject, property) = match keep[i] {
                true => (
                    place(&subject_rank, f.subject),
                    place(&property_rank, f.property),
                ),
                false => (u32::MAX, u32::MAX),
            };
            u128::from(subject) << 64 | u128::from(property) << 32 | i as u128
        })
        .collect_into_vec(&mut keyed);
    keyed.par_sort_unstable();
    let kept = keep.iter().filter(|&&k| k).count();
    let mut out = Vec::new();
    keyed[..kept]
        .par_iter()
        .map(|&k| facts[(k & u128::from(u32::MAX)) as usize].clone())
        .collect_into_vec(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_ranks_by_its_place_among_the_names_sorted() {
        assert_eq!(ranks(&["b", "a", "c", "a"]), vec![1, 0, 2, 0]);
        assert_eq!(ranks(&[]), Vec::<u32>::new());
    }

    #[test]
    fn claims_kept_are_arranged_by_subject_then_property_name_then_as_they_were() {
        let (mut subjects, mut properties) = (Names::default(), Names::default());
        for name in ["delta", "alpha", "charlie"] {
            subjects.id(name);
        }
        for name in ["injured", "deaths"] {
            properties.id(name);
        }
        // (subject, property, line): "delta" is subject 0, "alpha" 1, "charlie" 2;
        // "injured" is property 0, "deaths" 1.
        let given = [
            (0, 0, 1),
            (1, 1, 2),
            (2, 0, 3),
            (1, 0, 4),
            (0, 0, 5),
            (1, 1, 6),
        ];
        let facts: Vec<Fact> = given
            .iter()
            .map(|&(subject, property, line)| Fact {
                subject,
                property,
                line,
                ..Fact::EMPTY
            })
            .collect();
        let keep = [true, true, true, true, false, true];
        let lines: Vec<u32> = arranged((&subjects, &properties), facts, &keep)
            .iter()
            .map(|f| f.line)
            .collect();
        assert_eq!(lines, vec![2, 6, 4, 3, 1]);
    }
}
