//! The order a store keeps its claims in: a subject's claims together, subjects in the
//! order of their names. Every pass a report makes over its figures (learning trust,
//! ranking, writing) reads a group's claims one after the other, where a log's order
//! (claims about one event logged months apart) would make each a cache miss.

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

/// The claims `keep` says yes to, by subject (in the order of the subjects' names),
/// then as they were: a copy made in parallel, for a sort would move each claim many
/// times. One number per claim is sorted, its subject's place above its own.
pub(super) fn arranged(subjects: &Names, facts: Vec<Fact>, keep: &[bool]) -> Vec<Fact> {
    let names: Vec<&str> = (0..subjects.len() as u32)
        .map(|i| subjects.get(i))
        .collect();
    let rank = ranks(&names);
    // Every claim keyed, the ones let go of last: written in place, where a filter
    // would collect pieces and join them (twice the list's memory for a moment).
    let mut keyed: Vec<u64> = Vec::new();
    facts
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            // A subject the store does not hold (never made) goes last of the kept.
            let subject = match keep[i] {
                true => rank
                    .get(f.subject as usize)
                    .copied()
                    .unwrap_or(u32::MAX - 1),
                false => u32::MAX,
            };
            u64::from(subject) << 32 | i as u64
        })
        .collect_into_vec(&mut keyed);
    keyed.par_sort_unstable();
    let kept = keep.iter().filter(|&&k| k).count();
    let mut out = Vec::new();
    keyed[..kept]
        .par_iter()
        .map(|&k| facts[(k & u64::from(u32::MAX)) as usize].clone())
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
    fn claims_kept_are_arranged_by_subject_name_then_as_they_were() {
        let mut subjects = Names::default();
        for name in ["delta", "alpha", "charlie"] {
            subjects.id(name);
        }
        // (subject, property, line): "delta" is subject 0, "alpha" 1, "charlie" 2.
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
        let lines: Vec<u32> = arranged(&subjects, facts, &keep)
            .iter()
            .map(|f| f.line)
            .collect();
        assert_eq!(lines, vec![2, 4, 6, 3, 1]);
    }
}
