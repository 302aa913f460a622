//! A group's claims sorted into sets that compare: one kind of value and, for
//! quantities, units that convert to one unit, picked by the claims.

use rust_decimal::Decimal;
use smallvec::{smallvec, SmallVec};

use super::ValueKind;
use crate::findings::store::{Fact, Parsed, Store};
use crate::value::conversion;

/// Claims of one group that can be compared: one kind of value and, for quantities,
/// units that convert to the set's unit (each member with its conversion factor).
pub(super) struct UnitSet<'s> {
    pub unit: Option<&'s str>,
    pub kind: ValueKind,
    pub members: SmallVec<[(usize, Decimal); 8]>,
}

pub(super) fn unit_sets<'s>(store: &'s Store, raws: &[&Fact]) -> SmallVec<[UnitSet<'s>; 2]> {
    let unit_of = |f: &Fact| f.unit().map(|u| store.units.get(u));
    let mut sets: SmallVec<[UnitSet<'s>; 2]> = SmallVec::new();
    for (i, r) in raws.iter().enumerate() {
        let kind = match store.parsed(r) {
            Parsed::Quantity(_) => ValueKind::Quantity,
            Parsed::Date(_) => ValueKind::Date,
            Parsed::Text => ValueKind::Text,
        };
        let unit = unit_of(r);
        let slot = sets.iter_mut().find_map(|set| {
            if set.kind != kind {
                return None;
            }
            let f = if kind == ValueKind::Quantity {
                conversion(unit, set.unit)?
            } else {
                Decimal::ONE
            };
            Some((&mut set.members, f))
        });
        match slot {
            Some((members, f)) => members.push((i, f)),
            None => sets.push(UnitSet {
                unit: if kind == ValueKind::Quantity {
                    unit
                } else {
                    None
                },
                kind,
                members: smallvec![(i, Decimal::ONE)],
            }),
        }
    }
    for set in &mut sets {
        rebase(set, raws, &unit_of);
    }
    sets.sort_by(|a, b| (a.kind as u8, &a.unit).cmp(&(b.kind as u8, &b.unit)));
    sets
}

/// Picks a set's unit by its claims, not by which came first: the unit most claims
/// use, on a tie the finest, and converts every member to it.
fn rebase<'s>(set: &mut UnitSet<'s>, raws: &[&Fact], unit_of: &impl Fn(&Fact) -> Option<&'s str>) {
    if set.kind != ValueKind::Quantity {
        return;
    }
    let mut units: SmallVec<[Option<&str>; 16]> =
        set.members.iter().map(|&(i, _)| unit_of(raws[i])).collect();
    units.sort();
    let mut best: Option<(usize, Option<&str>)> = None;
    for chunk in units.chunk_by(|a, b| a == b) {
        let (n, u) = (chunk.len(), chunk[0]);
        let finer = |u: Option<&str>, than: Option<&str>| {
            conversion(u, than).is_some_and(|f| f < Decimal::ONE)
        };
        if best.is_none_or(|(bn, bu)| n > bn || (n == bn && finer(u, bu))) {
            best = Some((n, u));
        }
    }
    let Some((_, unit)) = best else { return };
    for m in &mut set.members {
        m.1 = conversion(unit_of(raws[m.0]), unit).unwrap_or(Decimal::ONE);
    }
    set.unit = unit;
}

pub(super) fn describe_sets(sets: &[UnitSet]) -> String {
    let describe = |set: &UnitSet| match (set.kind, &set.unit) {
        (ValueKind::Quantity, Some(u)) => format!("{} in {u}", set.members.len()),
        (ValueKind::Quantity, None) => format!("{} without unit", set.members.len()),
        (ValueKind::Date, _) => format!("{} date", set.members.len()),
        (ValueKind::Text, _) => format!("{} text", set.members.len()),
    };
    format!(
        "values that do not convert are not compared with each other: {}",
        sets.iter().map(describe).collect::<Vec<_>>().join("; ")
    )
}
