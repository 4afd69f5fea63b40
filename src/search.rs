//! The data behind the index page's search and facets, shipped as one JavaScript file.
//!
//! Offline readers open the site from disk, where `fetch()` of JSON is blocked, so the index is
//! a `.js` file that sets a global (`window.MEDATLAS_INDEX`) and is loaded with a plain
//! `<script>` tag. It holds:
//!
//! - `facets`: the terms of each facet as `[id, name]` pairs, in vocabulary order;
//! - `docs`: one compact array per dataset (name, summary, facet term indexes, counts, ...);
//! - `terms` and `postings`: an inverted index. `terms` is sorted, so the page finds every term
//!   with a typed prefix by binary search; `postings[i]` lists the datasets containing
//!   `terms[i]` as `(doc - previous doc) * 8 + field`, where `field` ranks where the word was
//!   found (7 name, 6 alias, 5 label, 4 modality/region/task, 3 publisher, 2 summary, 1 body).
//!
//! A sorted term list with delta-encoded postings is a few lines of JavaScript to query and
//! keeps the file small; a maintained library (elasticlunr is not) would add more code to ship
//! than this whole index needs.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Parser};
use rayon::prelude::*;
use serde::Serialize;

use crate::labels::{LabelIndex, Meaning, dataset_labels};
use crate::markdown::slugify;
use crate::model::{Catalog, Dataset, Facet};

pub const FIELD_NAME: u8 = 7;
pub const FIELD_ALIAS: u8 = 6;
pub const FIELD_LABEL: u8 = 5;
pub const FIELD_FACET: u8 = 4;
pub const FIELD_PUBLISHER: u8 = 3;
pub const FIELD_SUMMARY: u8 = 2;
pub const FIELD_BODY: u8 = 1;

/// Words too common in entry bodies to be worth indexing.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of",
    "on", "or", "that", "the", "this", "to", "was", "were", "with",
];

/// Split text into lowercase words of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The facet values of one dataset, as indexes into the facet lists.
#[derive(Serialize)]
pub struct Facets {
    pub modality: Vec<(String, String)>,
    pub region: Vec<(String, String)>,
    pub task: Vec<(String, String)>,
    pub access: Vec<(String, String)>,
    pub license: Vec<(String, String)>,
    pub label: Vec<(String, String)>,
}

/// One dataset in the index: `[slug, name, summary, modalities, regions, tasks, access,
/// license, year, images, patients, labels, aliases, publisher]`.
type Doc<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Vec<usize>,
    Vec<usize>,
    Vec<usize>,
    Option<usize>,
    Option<usize>,
    Option<i64>,
    Option<u64>,
    Option<u64>,
    Vec<usize>,
    &'a [String],
    &'a str,
);

#[derive(Serialize)]
struct Index<'a> {
    facets: &'a Facets,
    docs: Vec<Doc<'a>>,
    terms: Vec<&'a str>,
    postings: Vec<Vec<u64>>,
}

/// The facet lists: vocabulary terms, licences and labels that occur, in a stable order.
pub fn facets(catalog: &Catalog, labels: &LabelIndex) -> Facets {
    let vocabulary = |facet: Facet| {
        catalog
            .vocabulary
            .facet(facet)
            .iter()
            .map(|t| (t.id.clone(), t.name.clone()))
            .collect()
    };
    let mut licenses: Vec<String> = catalog
        .datasets
        .iter()
        .filter_map(|d| d.license.clone())
        .collect();
    licenses.sort_by_key(|l| l.to_lowercase());
    licenses.dedup();
    let mut own = Vec::new();
    for dataset in &catalog.datasets {
        for (label, _) in dataset_labels(dataset) {
            if let Meaning::Own(_) = labels.meaning(&label) {
                own.push(label.replace('_', " "));
            }
        }
    }
    own.sort_by_key(|l| l.to_lowercase());
    own.dedup_by_key(|l| l.to_lowercase());
    let label = labels
        .findings
        .iter()
        .map(|f| f.name.clone())
        .chain(own)
        .map(|name| (slugify(&name), name))
        .collect();
    Facets {
        modality: vocabulary(Facet::Modality),
        region: vocabulary(Facet::BodyRegion),
        task: vocabulary(Facet::Task),
        access: vocabulary(Facet::Access),
        license: licenses.into_iter().map(|l| (slugify(&l), l)).collect(),
        label,
    }
}

fn position(list: &[(String, String)], id: &str) -> Option<usize> {
    list.iter().position(|(i, _)| i == id)
}

/// The label facet indexes of a dataset.
pub fn label_positions(dataset: &Dataset, labels: &LabelIndex, facets: &Facets) -> Vec<usize> {
    let mut out: Vec<usize> = dataset_labels(dataset)
        .iter()
        .filter_map(|(label, _)| {
            let name = match labels.meaning(label) {
                Meaning::Finding(i) => labels.findings[i].name.clone(),
                Meaning::Own(_) => label.replace('_', " "),
            };
            position(&facets.label, &slugify(&name))
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The whole index as a JavaScript file.
pub fn index_js(catalog: &Catalog, labels: &LabelIndex, facets: &Facets) -> String {
    let term_names = |facet: Facet, ids: &[crate::model::Located<String>]| -> Vec<String> {
        let vocabulary = catalog.vocabulary.facet(facet);
        ids.iter()
            .filter_map(|id| {
                vocabulary
                    .iter()
                    .find(|t| t.id == id.value)
                    .map(|t| t.name.clone())
            })
            .collect()
    };
    let per_doc: Vec<(Doc, BTreeMap<String, u8>)> = catalog
        .datasets
        .par_iter()
        .map(|d| {
            let idx = |list: &[(String, String)], ids: &[crate::model::Located<String>]| {
                ids.iter()
                    .filter_map(|t| position(list, &t.value))
                    .collect::<Vec<_>>()
            };
            let label_idx = label_positions(d, labels, facets);
            let doc: Doc = (
                &d.slug,
                &d.name,
                &d.summary,
                idx(&facets.modality, &d.modalities),
                idx(&facets.region, &d.body_regions),
                idx(&facets.task, &d.tasks),
                position(&facets.access, &d.access.value),
                d.license
                    .as_ref()
                    .and_then(|l| position(&facets.license, &slugify(l))),
                d.year,
                d.images,
                d.patients,
                label_idx.clone(),
                &d.aliases,
                &d.publisher,
            );
            let mut tokens: BTreeMap<String, u8> = BTreeMap::new();
            let mut add = |text: &str, field: u8| {
                for word in words(text) {
                    if field == FIELD_BODY && STOP_WORDS.contains(&word.as_str()) {
                        continue;
                    }
                    let best = tokens.entry(word).or_insert(field);
                    *best = (*best).max(field);
                }
            };
            add(&d.name, FIELD_NAME);
            d.aliases.iter().for_each(|a| add(a, FIELD_ALIAS));
            label_idx
                .iter()
                .for_each(|&i| add(&facets.label[i].1, FIELD_LABEL));
            for (label, _) in dataset_labels(d) {
                add(&label, FIELD_LABEL);
            }
            for name in term_names(Facet::Modality, &d.modalities)
                .into_iter()
                .chain(term_names(Facet::BodyRegion, &d.body_regions))
                .chain(term_names(Facet::Task, &d.tasks))
            {
                add(&name, FIELD_FACET);
            }
            for id in d.modalities.iter().chain(&d.body_regions).chain(&d.tasks) {
                add(&id.value, FIELD_FACET);
            }
            add(&d.publisher, FIELD_PUBLISHER);
            add(&d.summary, FIELD_SUMMARY);
            for event in Parser::new(&d.body) {
                if let Event::Text(text) | Event::Code(text) = event {
                    add(&text, FIELD_BODY);
                }
            }
            (doc, tokens)
        })
        .collect();

    let mut inverted: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    let mut last_doc: BTreeMap<&str, u64> = BTreeMap::new();
    for (doc_id, (_, tokens)) in per_doc.iter().enumerate() {
        for (word, &field) in tokens {
            let previous = last_doc.insert(word, doc_id as u64).map_or(0, |p| p);
            let delta = doc_id as u64 - previous;
            inverted
                .entry(word)
                .or_default()
                .push(delta * 8 + u64::from(field));
        }
    }
    let (terms, postings): (Vec<&str>, Vec<Vec<u64>>) = inverted.into_iter().unzip();
    let index = Index {
        facets,
        docs: per_doc.iter().map(|(doc, _)| doc.clone()).collect(),
        terms,
        postings,
    };
    let json = serde_json::to_string(&index).expect("the index serialises");
    format!("window.MEDATLAS_INDEX = {json};\n")
}
