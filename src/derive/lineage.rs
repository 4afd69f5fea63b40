//! Lineage: how entries' data relate, seen from both sides, computed once per build.
//!
//! An entry declares a relation once (`[[lineage]]`); [`LineageIndex::new`] derives the
//! reverse side for the other entry's page, each dataset's ancestors (the entries its data is
//! built from or part of, through chains of `derived-from`, `subset-of` and `superset-of`) and
//! the overlap warnings the comparison shows, and [`LineageIndex::page`] draws the whole graph
//! for `lineage.html`. Each dataset's part is fingerprinted from the data it shows, so a
//! rebuild renders again exactly the pages whose lineage changed.

use std::collections::HashMap;

use serde::Serialize;

use crate::common::hash::stable_hash;
use crate::common::paths::dataset_path;
use crate::model::{Catalog, Dataset, Relation};
use crate::parse::markdown;

/// The most ancestors followed from one dataset: a bound on the cost of a long chain.
const MAX_ANCESTORS: usize = 64;

/// One relation as a dataset's page says it: `before`, the other dataset linked, `after`.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct LinkView {
    pub(crate) before: &'static str,
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) after: &'static str,
    /// The item's `how`, rendered inline Markdown.
    pub(crate) how: String,
    /// Declared in this entry (`false`: in the other entry, and derived here).
    pub(crate) declared: bool,
}

/// One declared relation, as the lineage page lists it: "`from` `words` `to`: how".
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct EdgeView {
    pub(crate) from: Named,
    pub(crate) words: &'static str,
    pub(crate) to: Named,
    pub(crate) how: String,
}

/// A dataset by slug and name, with its page relative to the site root.
#[derive(Debug, Clone, Serialize, Hash, PartialEq, Eq)]
pub(crate) struct Named {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) href: String,
}

/// What the comparison knows of one dataset's lineage.
#[derive(Debug, Clone, Default, Serialize, Hash)]
pub(crate) struct CompareLineage {
    /// (other slug, warning) for each dataset it overlaps with through its own relations and
    /// its ancestors.
    pub(crate) overlap: Vec<(String, String)>,
    /// (slug, name) of the datasets its data is built from or part of, nearest first.
    pub(crate) up: Vec<(String, String)>,
}

/// The lineage page: the graph as inline SVG and the same edges as a list.
#[derive(Debug, Default, Serialize)]
pub(crate) struct LineagePage {
    pub(crate) svg: Option<String>,
    pub(crate) edges: Vec<EdgeView>,
}

/// Everything lineage shows, by dataset and for the whole catalog.
#[derive(Default)]
pub(crate) struct LineageIndex {
    links: HashMap<String, Vec<LinkView>>,
    compare: HashMap<String, CompareLineage>,
    page: LineagePage,
    fingerprints: HashMap<String, u64>,
    page_hash: u64,
}

/// How each side of a relation is said on a dataset's page: (declared side, other side).
fn phrases(relation: Relation) -> [(&'static str, &'static str); 2] {
    match relation {
        Relation::DerivedFrom => [
            ("Built from the images of ", "."),
            ("", " is built from this dataset's images."),
        ],
        Relation::SubsetOf => [("A subset of ", "."), ("Contains all of ", ".")],
        Relation::SupersetOf => [("Contains all of ", "."), ("A subset of ", ".")],
        Relation::SharesPatients => [
            ("Shares patients with ", "."),
            ("Shares patients with ", "."),
        ],
        Relation::SharesImages => [("Shares images with ", "."), ("Shares images with ", ".")],
    }
}

/// How the lineage page says a declared relation between two datasets.
fn words(relation: Relation) -> &'static str {
    match relation {
        Relation::DerivedFrom => "is built from the images of",
        Relation::SubsetOf => "is a subset of",
        Relation::SupersetOf => "contains all of",
        Relation::SharesPatients => "shares patients with",
        Relation::SharesImages => "shares images with",
    }
}

/// What testing on one dataset after training on an overlapping one does.
const LEAKS: &str = "testing on one after training on the other leaks images and patients";
/// The same, for two datasets that share patients or images only.
const LEAKS_SHARED: &str = "testing on one after training on the other leaks";

pub(crate) use crate::derive::lineage_svg::Declared;

/// Every declared relation whose other entry exists and is not the entry itself.
fn declared(datasets: &[Dataset]) -> Vec<Declared<'_>> {
    let index: HashMap<&str, usize> = datasets
        .iter()
        .enumerate()
        .map(|(i, d)| (d.slug.as_str(), i))
        .collect();
    datasets
        .iter()
        .enumerate()
        .flat_map(|(i, d)| {
            let index = &index;
            d.lineage.iter().filter_map(move |l| {
                let j = *index.get(l.entry.value.as_str())?;
                (j != i).then_some((i, l.relation, j, l.how.as_str()))
            })
        })
        .collect()
}

/// Each dataset's relations as its page says them (declared and derived, in catalog order of
/// the declarations), and the lineage page's list of edges.
fn links_and_edges(
    datasets: &[Dataset],
    declared: &[Declared<'_>],
) -> (Vec<Vec<LinkView>>, Vec<EdgeView>) {
    let named = |i: usize| Named {
        slug: datasets[i].slug.clone(),
        name: datasets[i].name.clone(),
        href: dataset_path(&datasets[i].slug),
    };
    let mut links: Vec<Vec<LinkView>> = vec![Vec::new(); datasets.len()];
    let mut edges = Vec::with_capacity(declared.len());
    for &(i, relation, j, how) in declared {
        let how = markdown::render_inline(how);
        let [own, other] = phrases(relation);
        let view = |k: usize, (before, after): (&'static str, &'static str), declared| LinkView {
            before,
            slug: datasets[k].slug.clone(),
            name: datasets[k].name.clone(),
            after,
            how: how.clone(),
            declared,
        };
        links[i].push(view(j, own, true));
        links[j].push(view(i, other, false));
        edges.push(EdgeView {
            from: named(i),
            words: words(relation),
            to: named(j),
            how: how.clone(),
        });
    }
    (links, edges)
}

impl LineageIndex {
    /// The lineage of every dataset of a catalog.
    pub(crate) fn new(catalog: &Catalog) -> LineageIndex {
        let datasets = &catalog.datasets;
        if datasets.iter().all(|d| d.lineage.is_empty()) {
            return LineageIndex::default();
        }
        let declared = declared(datasets);
        let (links, edges) = links_and_edges(datasets, &declared);
        let ids: Vec<(&str, &str)> = datasets
            .iter()
            .map(|d| (d.slug.as_str(), d.name.as_str()))
            .collect();
        let compare = overlaps(&ids, &declared);
        let svg = crate::derive::lineage_svg::svg(datasets, &declared);
        let page = LineagePage {
            svg: Some(svg),
            edges,
        };
        let mut out = LineageIndex {
            page_hash: stable_hash(&(&page.svg, &page.edges)),
            page,
            ..LineageIndex::default()
        };
        for (i, (links, compare)) in links.into_iter().zip(compare).enumerate() {
            let slug = datasets[i].slug.clone();
            if links.is_empty() && compare.up.is_empty() && compare.overlap.is_empty() {
                continue;
            }
            out.fingerprints
                .insert(slug.clone(), stable_hash(&(&links, &compare)));
            out.links.insert(slug.clone(), links);
            out.compare.insert(slug, compare);
        }
        out
    }

    /// A dataset's relations, declared and derived, as its page lists them.
    pub(crate) fn links(&self, slug: &str) -> &[LinkView] {
        self.links.get(slug).map_or(&[], Vec::as_slice)
    }

    /// A dataset's lineage as the comparison needs it.
    pub(crate) fn compare(&self, slug: &str) -> Option<&CompareLineage> {
        self.compare.get(slug)
    }

    /// Every dataset's lineage fingerprint, by slug.
    pub(crate) fn fingerprints(&self) -> &HashMap<String, u64> {
        &self.fingerprints
    }

    /// The lineage page's view.
    pub(crate) fn page(&self) -> &LineagePage {
        &self.page
    }

    /// A fingerprint of the lineage page.
    pub(crate) fn page_hash(&self) -> u64 {
        self.page_hash
    }
}

/// Each dataset's overlap warnings and ancestors (in catalog order): its own relations, the
/// reverse sides of the symmetric ones, and every ancestor up the chains of "part of".
fn overlaps(ids: &[(&str, &str)], declared: &[Declared<'_>]) -> Vec<CompareLineage> {
    let mut up: Vec<Vec<(usize, Relation)>> = vec![Vec::new(); ids.len()];
    let mut out: Vec<CompareLineage> = vec![CompareLineage::default(); ids.len()];
    for &(i, relation, j, _) in declared {
        match relation.part_of_other() {
            Some(true) => up[i].push((j, relation)),
            Some(false) => up[j].push((i, Relation::SubsetOf)),
            None => {
                let what = if relation == Relation::SharesPatients {
                    "patients"
                } else {
                    "images"
                };
                for (a, b) in [(i, j), (j, i)] {
                    let text = format!(
                        "{} and {} share {what}: {LEAKS_SHARED} {what}.",
                        ids[a].1, ids[b].1
                    );
                    out[a].overlap.push((ids[b].0.to_string(), text));
                }
            }
        }
    }
    for (start, lineage) in out.iter_mut().enumerate() {
        ancestors(start, ids, &up, lineage);
    }
    out
}

/// Breadth-first up the chains of "part of" from `start`: each ancestor once, with the
/// warning for the pair and the datasets it is reached through.
fn ancestors(
    start: usize,
    ids: &[(&str, &str)],
    up: &[Vec<(usize, Relation)>],
    lineage: &mut CompareLineage,
) {
    let mut seen = vec![start];
    // (dataset, relation of the first step, the names passed through)
    let mut queue: std::collections::VecDeque<(usize, Relation, Vec<usize>)> =
        up[start].iter().map(|&(j, r)| (j, r, Vec::new())).collect();
    while let Some((node, first, through)) = queue.pop_front() {
        if seen.contains(&node) || seen.len() > MAX_ANCESTORS {
            continue;
        }
        seen.push(node);
        let (a, b) = (ids[start].1, ids[node].1);
        let text = if through.is_empty() && first == Relation::SubsetOf {
            format!("{a} is a subset of {b}: {LEAKS}.")
        } else if through.is_empty() {
            format!("{a} is built from {b} images: {LEAKS}.")
        } else {
            let via: Vec<&str> = through.iter().map(|&k| ids[k].1).collect();
            format!(
                "{a} is built from {b} data, through {}: {LEAKS}.",
                via.join(" and ")
            )
        };
        lineage.overlap.push((ids[node].0.to_string(), text));
        lineage.up.push((ids[node].0.to_string(), b.to_string()));
        for &(next, _) in &up[node] {
            let mut path = through.clone();
            path.push(node);
            queue.push_back((next, first, path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [(&str, &str); 4] = [("a", "A"), ("b", "B"), ("c", "C"), ("d", "D")];

    /// Up a chain: C is built from B, B a subset of A; D shares images with A. C's warnings
    /// name B directly and A through B; A's name D both ways; B's ancestor is A.
    #[test]
    fn overlaps_follow_chains_and_symmetric_relations() {
        let declared: Vec<Declared<'_>> = vec![
            (2, Relation::DerivedFrom, 1, ""),
            (1, Relation::SubsetOf, 0, ""),
            (3, Relation::SharesImages, 0, ""),
        ];
        let out = overlaps(&IDS, &declared);
        let c: Vec<&str> = out[2].overlap.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            c,
            [
                "C is built from B images: testing on one after training on the other leaks images and patients.",
                "C is built from A data, through B: testing on one after training on the other leaks images and patients.",
            ]
        );
        assert_eq!(
            out[2].up,
            [("b".into(), "B".into()), ("a".into(), "A".into())]
        );
        assert_eq!(out[0].overlap[0].0, "d");
        assert!(out[0].overlap[0].1.ends_with("leaks images."));
        assert_eq!(out[3].overlap[0].0, "a");
        assert_eq!(
            out[1].overlap[0].1,
            "B is a subset of A: testing on one after training on the other leaks images and patients."
        );
    }

    /// `superset-of` reads as the other side being part of this one; a loop (an error the
    /// checks report, but derived beside them) ends.
    #[test]
    fn superset_reads_backwards_and_loops_end() {
        let declared: Vec<Declared<'_>> = vec![(0, Relation::SupersetOf, 1, "")];
        let out = overlaps(&IDS, &declared);
        assert_eq!(out[1].up, [("a".into(), "A".into())]);
        assert!(out[0].up.is_empty());
        let looped: Vec<Declared<'_>> = vec![
            (0, Relation::DerivedFrom, 1, ""),
            (1, Relation::DerivedFrom, 2, ""),
            (2, Relation::DerivedFrom, 0, ""),
        ];
        let out = overlaps(&IDS, &looped);
        assert_eq!(out[0].up.len(), 2, "each other dataset once");
    }

    #[test]
    fn each_relation_reads_from_both_sides() {
        for (relation, own, other) in [
            (
                Relation::DerivedFrom,
                "Built from the images of ",
                " is built from this dataset's images.",
            ),
            (Relation::SubsetOf, "A subset of ", "Contains all of "),
            (Relation::SupersetOf, "Contains all of ", "A subset of "),
            (
                Relation::SharesPatients,
                "Shares patients with ",
                "Shares patients with ",
            ),
        ] {
            let [a, b] = phrases(relation);
            assert!(a.0 == own || a.1 == own, "{relation:?}");
            assert!(b.0 == other || b.1 == other, "{relation:?}");
        }
    }
}
