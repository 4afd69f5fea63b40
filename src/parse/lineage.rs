//! Lineage: an entry's `[[lineage]]` items, read with the checks that need only the entry
//! itself (a known relation, an item naming the entry itself, one item per other entry).
//! The checks across entries (the slug exists, the pair is not declared on both sides, no
//! relation contradicts another) are in `src/check/lineage.rs`.

use std::ops::Range;

use toml::de::DeTable;

use crate::diagnostics::Code;
use crate::format::LINEAGE;
use crate::model::{Lineage, Relation};
use crate::parse::fields::{Fields, FileChecker, nearest};

/// The `[[lineage]]` items of an entry whose slug is `slug`, each checked on its own and
/// against the entry's other items.
pub(crate) fn read(ck: &mut FileChecker, f: &Fields, slug: &str) -> Vec<Lineage> {
    let items: Vec<Lineage> = f
        .tables(ck, "lineage")
        .into_iter()
        .filter_map(|(t, span)| item(ck, t, span))
        .collect();
    let mut kept: Vec<Lineage> = Vec::with_capacity(items.len());
    for item in items {
        if item.entry.value == slug {
            ck.error(
                Code::SelfRelated,
                item.entry.span.clone(),
                format!("`[[lineage]]` names this entry itself (`{slug}`)"),
                "a lineage item names another entry: remove this `[[lineage]]` item",
            );
        } else if let Some(first) = kept.iter().find(|k| k.entry.value == item.entry.value) {
            twice(ck, first, &item);
        } else {
            kept.push(item);
        }
    }
    kept
}

/// One `[[lineage]]` item; `None` when a required field is missing or the relation unknown.
fn item(ck: &mut FileChecker, t: &DeTable, span: Range<usize>) -> Option<Lineage> {
    let f = ck.declared(t, span, &LINEAGE, false);
    let relation = relation(ck, &f);
    let entry = f.string(ck, "entry");
    let how = f.string(ck, "how");
    let (relation, relation_span) = relation?;
    Some(Lineage {
        relation,
        entry: entry?,
        how: how?.value,
        span: f.span.clone(),
        relation_span,
    })
}

/// The `relation` of an item, with where it is written; an unknown one names the nearest.
fn relation(ck: &mut FileChecker, f: &Fields) -> Option<(Relation, Range<usize>)> {
    let value = f.string(ck, "relation")?;
    if let Some(relation) = Relation::named(&value.value) {
        return Some((relation, value.span));
    }
    let names = Relation::ALL.map(|(name, _)| name);
    let help = match nearest(&value.value, names) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("use one of: {}", names.join(", ")),
    };
    ck.error(
        Code::UnknownTerm,
        value.span,
        format!("unknown lineage relation `{}`", value.value),
        &help,
    );
    None
}

/// Whether two declarations of one pair contradict each other: each says its own side is
/// part of the other, or each that the other side is part of it.
pub(crate) fn contradict(a: Relation, b: Relation, same_side: bool) -> bool {
    match (a.part_of_other(), b.part_of_other()) {
        (Some(x), Some(y)) => {
            if same_side {
                x != y
            } else {
                x == y
            }
        }
        _ => false,
    }
}

/// Report the second item of an entry that names the same other entry as `first`.
fn twice(ck: &mut FileChecker, first: &Lineage, second: &Lineage) {
    let line = ck.src.location(first.span.start).0;
    let other = &second.entry.value;
    let (a, b) = (first.relation.as_str(), second.relation.as_str());
    if contradict(first.relation, second.relation, true) {
        ck.error(
            Code::ContradictoryLineage,
            second.relation_span.clone(),
            format!(
                "`{b}` `{other}` contradicts the `{a}` `{other}` of line {line}: each says the other side holds the data"
            ),
            "keep the item that the source states and remove this one",
        );
    } else {
        ck.error(
            Code::DuplicateLineage,
            second.entry.span.clone(),
            format!("`[[lineage]]` names `{other}` a second time (first at line {line}, `{a}`)"),
            &format!(
                "declare one relation per pair: remove this item, and say in the first item's `how` what this one adds (`{b}`)"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contradictions() {
        use Relation::*;
        // Both in one entry: one says "part of the other", the other "holds the other".
        assert!(contradict(DerivedFrom, SupersetOf, true));
        assert!(!contradict(DerivedFrom, SubsetOf, true));
        assert!(!contradict(SharesImages, SupersetOf, true));
        // One in each entry: both say "I am part of the other", or both "I hold it".
        assert!(contradict(DerivedFrom, SubsetOf, false));
        assert!(contradict(SupersetOf, SupersetOf, false));
        assert!(!contradict(DerivedFrom, SupersetOf, false));
        assert!(!contradict(SharesPatients, SharesPatients, false));
    }
}
