//! Lineage across entries: a pair of entries is declared once, in one of them (the other side
//! is derived), and no relations contradict each other, two at a time or around a chain of
//! `derived-from`/`subset-of` that leads back to where it started. Items naming no entry are
//! reported with the other slugs ([`super::check`]); file-local problems while parsing
//! ([`crate::parse::lineage`]).

use std::collections::HashMap;

use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Catalog, Dataset, Lineage};
use crate::parse::lineage::contradict;

/// One declared item: the index of its entry in the catalog, the item, the other entry's index.
type Declared<'c> = (usize, &'c Lineage, usize);

/// Every pair declared on both sides or contradicting another, and every chain that loops.
pub(super) fn lineage_problems(catalog: &Catalog, sources: &[Source]) -> Vec<Diagnostic> {
    let datasets = &catalog.datasets;
    if datasets.iter().all(|d| d.lineage.is_empty()) {
        return Vec::new();
    }
    let index: HashMap<&str, usize> = datasets
        .iter()
        .enumerate()
        .map(|(i, d)| (d.slug.as_str(), i))
        .collect();
    let mut pairs: HashMap<(usize, usize), Vec<Declared<'_>>> = HashMap::new();
    let mut order: Vec<(usize, usize)> = Vec::new();
    for (i, d) in datasets.iter().enumerate() {
        for item in &d.lineage {
            let Some(&j) = index.get(item.entry.value.as_str()) else {
                continue;
            };
            let key = (i.min(j), i.max(j));
            let list = pairs.entry(key).or_default();
            if list.is_empty() {
                order.push(key);
            }
            list.push((i, item, j));
        }
    }
    let mut out = Vec::new();
    let mut edges: Vec<Declared<'_>> = Vec::new();
    for key in order {
        match pairs[&key].as_slice() {
            [one] => edges.push(*one),
            [first, second, ..] => out.push(both_sides(datasets, sources, *first, *second)),
            [] => {}
        }
    }
    out.extend(cycles(datasets, sources, &edges));
    out
}

/// How much a declaration is worth keeping when a pair is declared twice: the side that
/// holds the part (`derived-from`, `subset-of`) first, then `superset-of`, then the
/// symmetric relations.
fn rank(item: &Lineage) -> u8 {
    match item.relation.part_of_other() {
        Some(true) => 0,
        Some(false) => 1,
        None => 2,
    }
}

/// The error for a pair declared in both of its entries: contradictory, or the item to remove.
fn both_sides(
    datasets: &[Dataset],
    sources: &[Source],
    a: Declared<'_>,
    b: Declared<'_>,
) -> Diagnostic {
    // Keep the better-ranked item (the first entry's on a tie); report at the other.
    let (keep, drop) = if rank(b.1) < rank(a.1) {
        (b, a)
    } else {
        (a, b)
    };
    let (kept, dropped) = (&datasets[keep.0], &datasets[drop.0]);
    let src = &sources[dropped.source];
    let kept_line = sources[kept.source].location(keep.1.span.start).0;
    let at = format!("{}:{kept_line}", kept.path);
    let (r_keep, r_drop) = (keep.1.relation.as_str(), drop.1.relation.as_str());
    if contradict(keep.1.relation, drop.1.relation, false) {
        return Diagnostic::error(
            Code::ContradictoryLineage,
            src,
            drop.1.relation_span.clone(),
            format!(
                "`{}` is `{r_drop}` `{}`, but {at} says `{}` is `{r_keep}` `{}`: each cannot hold the other's data",
                dropped.slug, kept.slug, kept.slug, dropped.slug
            ),
        )
        .with_help("keep the relation the sources state, in one of the two entries, and remove the other item");
    }
    Diagnostic::error(
        Code::LineageBothSides,
        src,
        drop.1.entry.span.clone(),
        format!(
            "the lineage of `{}` and `{}` is declared in both entries: here (`{r_drop}`) and at {at} (`{r_keep}`)",
            dropped.slug, kept.slug
        ),
    )
    .with_help(format!(
        "remove this `[[lineage]]` item: the page of `{}` shows the reverse side of the item in {}",
        dropped.slug, kept.path
    ))
}

/// Chains of "part of" (`derived-from`, `subset-of`, and `superset-of` read backwards) that
/// lead back to where they started: one error at the item that closes each.
fn cycles(datasets: &[Dataset], sources: &[Source], edges: &[Declared<'_>]) -> Vec<Diagnostic> {
    // part -> (whole, the declaration)
    let mut up: Vec<Vec<(usize, Declared<'_>)>> = vec![Vec::new(); datasets.len()];
    for &edge in edges {
        let (from, item, to) = edge;
        match item.relation.part_of_other() {
            Some(true) => up[from].push((to, edge)),
            Some(false) => up[to].push((from, edge)),
            None => {}
        }
    }
    // Iterative depth-first search: 0 unvisited, 1 on the path, 2 done.
    let mut state = vec![0u8; datasets.len()];
    let mut out = Vec::new();
    for start in 0..datasets.len() {
        if state[start] != 0 || up[start].is_empty() {
            continue;
        }
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            let Some(&(whole, edge)) = up[node].get(*next) else {
                state[node] = 2;
                path.pop();
                continue;
            };
            *next += 1;
            match state[whole] {
                0 => {
                    state[whole] = 1;
                    path.push((whole, 0));
                }
                1 => {
                    let from = path.iter().position(|(n, _)| *n == whole).unwrap_or(0);
                    let chain: Vec<usize> = path[from..].iter().map(|(n, _)| *n).collect();
                    out.push(cycle(datasets, sources, edge, &chain, whole));
                }
                _ => {}
            }
        }
    }
    out
}

/// The error at the item that closes a chain: `chain` leads from `whole` down to the part.
fn cycle(
    datasets: &[Dataset],
    sources: &[Source],
    (from, item, _): Declared<'_>,
    chain: &[usize],
    whole: usize,
) -> Diagnostic {
    let d = &datasets[from];
    let mut names: Vec<String> = chain
        .iter()
        .map(|&i| format!("`{}`", datasets[i].slug))
        .collect();
    names.push(format!("`{}`", datasets[whole].slug));
    Diagnostic::error(
        Code::ContradictoryLineage,
        &sources[d.source],
        item.relation_span.clone(),
        format!(
            "this `{}` closes a loop: {} (each built from or part of the next), so each would be part of itself",
            item.relation.as_str(),
            names.join(" → ")
        ),
    )
    .with_help("one relation of the loop is wrong: check each against its source, and make the wrong one `shares-images` or remove it")
}
