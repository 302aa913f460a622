//! Decisions kept from the pass that ranks a report to the pass that writes it, packed
//! in one flat list of numbers: a figure that makes a finding is decided once a report
//! with the trust learned, not once to rank it and again to write it.

use super::basis::Basis;
use super::vote::Decision;
use super::{Direction, Role};

/// "No item" in a packed decision.
const NONE: u32 = u32::MAX;
/// The words before a decision's items: items, best, basis, basis's item, revisions.
const HEAD: usize = 5;
/// The bit of the basis word that says the best value is undetermined.
const UNDETERMINED: u32 = 1 << 8;

/// Decisions, each a run of words in one list: its head, then each item's role and the
/// item it is measured against, then its revisions.
#[derive(Default)]
pub(super) struct Decided {
    words: Vec<u32>,
}

impl Decided {
    /// Keeps `d`, and says where it starts.
    pub(super) fn push(&mut self, d: &Decision) -> usize {
        let at = self.words.len();
        let (basis, basis_item) = basis_words(d.basis);
        let undetermined = if d.undetermined { UNDETERMINED } else { 0 };
        self.words.extend([
            d.roles.len() as u32,
            item_word(d.best),
            basis | undetermined,
            basis_item,
            d.revisions.len() as u32,
        ]);
        self.words.extend(d.roles.iter().map(|&r| role_word(r)));
        self.words.extend(d.against.iter().map(|&a| item_word(a)));
        for &(c, from, direction) in &d.revisions {
            self.words.extend([c as u32, from as u32, direction as u32]);
        }
        at
    }

    /// Lets go of the decisions kept from `at` on (one kept before it was known not to
    /// make a finding).
    pub(super) fn truncate(&mut self, at: usize) {
        self.words.truncate(at);
    }

    /// Moves `other`'s decisions to the end of these, and says how far they moved: add
    /// it to where each of them started.
    pub(super) fn append(&mut self, other: &mut Decided) -> usize {
        let base = self.words.len();
        self.words.append(&mut other.words);
        base
    }

    /// The decision kept at `at`.
    pub(super) fn get(&self, at: usize) -> Decision {
        let w = &self.words[at..];
        let (n, revisions) = (w[0] as usize, w[4] as usize);
        let items = &w[HEAD..HEAD + 2 * n];
        let moves = &w[HEAD + 2 * n..HEAD + 2 * n + 3 * revisions];
        Decision {
            roles: items[..n].iter().map(|&r| role_of(r)).collect(),
            against: items[n..].iter().map(|&a| item_of(a)).collect(),
            best: item_of(w[1]),
            undetermined: w[2] & UNDETERMINED != 0,
            basis: basis_of(w[2] & 0xff, w[3]),
            revisions: moves
                .chunks_exact(3)
                .map(|m| {
                    let direction = if m[2] == Direction::Down as u32 {
                        Direction::Down
                    } else {
                        Direction::Up
                    };
                    (m[0] as usize, m[1] as usize, direction)
                })
                .collect(),
        }
    }
}

fn item_word(i: Option<usize>) -> u32 {
    i.map_or(NONE, |i| i as u32)
}

fn item_of(w: u32) -> Option<usize> {
    (w != NONE).then_some(w as usize)
}

fn role_word(r: Role) -> u32 {
    r as u32
}

fn role_of(w: u32) -> Role {
    // `role_word` is the declared place, and `Role::ALL` is in declared order.
    Role::ALL[w as usize]
}

fn basis_words(b: Basis) -> (u32, u32) {
    match b {
        Basis::Nothing => (0, NONE),
        Basis::Tie => (1, NONE),
        Basis::Agreed => (2, NONE),
        Basis::Support => (3, NONE),
        Basis::Verified(i) => (4, i as u32),
        Basis::TimelineTie => (5, NONE),
        Basis::Undated => (6, NONE),
        Basis::Current(i) => (7, i as u32),
        Basis::Revision(i) => (8, i as u32),
    }
}

fn basis_of(tag: u32, item: u32) -> Basis {
    let i = item as usize;
    match tag {
        1 => Basis::Tie,
        2 => Basis::Agreed,
        3 => Basis::Support,
        4 => Basis::Verified(i),
        5 => Basis::TimelineTie,
        6 => Basis::Undated,
        7 => Basis::Current(i),
        8 => Basis::Revision(i),
        _ => Basis::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use smallvec::smallvec;

    fn decision(n: usize, basis: Basis, revisions: usize) -> Decision {
        let roles = Role::ALL;
        Decision {
            roles: (0..n).map(|i| roles[i % roles.len()]).collect(),
            against: (0..n).map(|i| (i % 3 == 1).then_some(n - 1 - i)).collect(),
            best: (n > 0).then_some(n / 2),
            undetermined: n % 2 == 1,
            basis,
            revisions: (0..revisions)
                .map(|k| {
                    let d = if k % 2 == 0 {
                        Direction::Up
                    } else {
                        Direction::Down
                    };
                    (k + 1, k, d)
                })
                .collect(),
        }
    }

    #[test]
    fn every_decision_kept_is_given_back_as_it_was() {
        let bases = [
            Basis::Nothing,
            Basis::Tie,
            Basis::Agreed,
            Basis::Support,
            Basis::Verified(3),
            Basis::TimelineTie,
            Basis::Undated,
            Basis::Current(0),
            Basis::Revision(40),
        ];
        let made: Vec<Decision> = bases
            .iter()
            .enumerate()
            .map(|(k, &b)| decision([0, 1, 2, 5, 17, 40][k % 6], b, k % 4))
            .collect();
        let (mut first, mut second) = (Decided::default(), Decided::default());
        let mut at: Vec<usize> = made[..4].iter().map(|d| first.push(d)).collect();
        let later: Vec<usize> = made[4..].iter().map(|d| second.push(d)).collect();
        let base = first.append(&mut second);
        at.extend(later.iter().map(|a| a + base));
        for (d, &a) in made.iter().zip(&at) {
            assert_eq!(&first.get(a), d);
        }
    }

    #[test]
    fn a_decision_let_go_of_leaves_the_ones_before_it() {
        let mut kept = Decided::default();
        let d = decision(5, Basis::Support, 1);
        let at = kept.push(&d);
        let dropped = kept.push(&decision(9, Basis::Tie, 0));
        kept.truncate(dropped);
        let again = kept.push(&Decision {
            against: smallvec![None; 2],
            ..decision(2, Basis::Agreed, 0)
        });
        assert_eq!(again, dropped);
        assert_eq!(kept.get(at), d);
        assert_eq!(kept.get(again).roles.len(), 2);
    }
}
