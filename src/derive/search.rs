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

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::common::slug::slugify;
use crate::derive::labels::{LabelIndex, Meaning, dataset_labels};
use crate::model::{Catalog, Dataset, Facet};

/// Field weights in the search index: where in an entry a word was found (higher ranks
/// first). A name.
pub const FIELD_NAME: u8 = 7;
/// An alias.
pub const FIELD_ALIAS: u8 = 6;
/// A label.
pub const FIELD_LABEL: u8 = 5;
pub(crate) const FIELD_FACET: u8 = 4;
pub(crate) const FIELD_PUBLISHER: u8 = 3;
pub(crate) const FIELD_SUMMARY: u8 = 2;
/// The description (body).
pub const FIELD_BODY: u8 = 1;

/// Words too common in entry bodies to be worth indexing.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "its", "of",
    "on", "or", "that", "the", "this", "to", "was", "were", "with",
];

#[cfg(test)]
/// Split text into lowercase words of letters and digits.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The words of a Markdown text, roughly: link targets, autolinks and HTML tags are dropped
/// (their text is kept), markup characters fall away when the text is split into words. A full
/// Markdown parse would cost more than the rest of the index for 10,000 entries.
pub(crate) fn markdown_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(i) = rest.find(['(', '<']) {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        let closing = if from.starts_with('<') { '>' } else { ')' };
        let is_target = from.starts_with('<') || before.ends_with(']');
        match from.find(closing) {
            Some(end) if is_target => {
                out.push(' ');
                rest = &from[end + 1..];
            }
            _ => {
                out.push(' ');
                rest = &from[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The words of one dataset, each with the best field it occurs in. The lowercased text is kept
/// in one buffer and words are ranges of it, so 10,000 entries do not allocate a string per word.
#[derive(Default, Clone)]
pub(crate) struct Tokens {
    text: String,
    words: Vec<(std::ops::Range<usize>, u8)>,
}

impl Tokens {
    fn add(&mut self, text: &str, field: u8) {
        let start = self.text.len();
        if text.is_ascii() {
            self.text.push_str(text);
            self.text[start..].make_ascii_lowercase();
        } else {
            self.text.extend(text.chars().flat_map(char::to_lowercase));
        }
        self.text.push(' ');
        let mut word_start = None;
        for (i, c) in self.text[start..].char_indices() {
            let i = start + i;
            let in_word = if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                c.is_alphanumeric()
            };
            match (in_word, word_start) {
                (true, None) => word_start = Some(i),
                (false, Some(from)) => {
                    let word = &self.text[from..i];
                    if field != FIELD_BODY || !STOP_WORDS.contains(&word) {
                        self.words.push((from..i, field));
                    }
                    word_start = None;
                }
                _ => {}
            }
        }
    }

    /// Keep one entry per word (the first place it occurs), with its best field.
    fn finish(&mut self) {
        let text = &self.text;
        let mut best: ahash::AHashMap<&str, usize> =
            ahash::AHashMap::with_capacity(self.words.len());
        let mut unique: Vec<(std::ops::Range<usize>, u8)> = Vec::with_capacity(self.words.len());
        for (range, field) in &self.words {
            match best.entry(&text[range.clone()]) {
                std::collections::hash_map::Entry::Occupied(at) => {
                    let kept = &mut unique[*at.get()].1;
                    *kept = (*kept).max(*field);
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(unique.len());
                    unique.push((range.clone(), *field));
                }
            }
        }
        self.words = unique;
    }

    fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        self.words
            .iter()
            .map(|(range, field)| (&self.text[range.clone()], *field))
    }
}

/// The facet values of one dataset, as indexes into the facet lists.
#[derive(Serialize)]
pub(crate) struct Facets {
    pub(crate) modality: Vec<(String, String)>,
    pub(crate) region: Vec<(String, String)>,
    pub(crate) task: Vec<(String, String)>,
    pub(crate) access: Vec<(String, String)>,
    pub(crate) license: Vec<(String, String)>,
    pub(crate) label: Vec<(String, String)>,
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
pub(crate) fn facets(catalog: &Catalog, labels: &LabelIndex) -> Facets {
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
            if let Meaning::Own(_) = labels.resolve(&label).meaning {
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

/// Each id of a facet list with its first index: one lookup per value instead of a scan of the
/// list, which would make the index quadratic in the number of labels or licences.
type Positions<'f> = HashMap<&'f str, usize>;

fn positions(list: &[(String, String)]) -> Positions<'_> {
    let mut out = HashMap::with_capacity(list.len());
    for (i, (id, _)) in list.iter().enumerate() {
        out.entry(id.as_str()).or_insert(i);
    }
    out
}

/// The label facet indexes of a dataset (`label_positions`: of the facet list `label`).
pub(crate) fn label_positions(
    dataset: &Dataset,
    labels: &LabelIndex,
    label_positions: &Positions,
) -> Vec<usize> {
    let mut out: Vec<usize> = dataset_labels(dataset)
        .iter()
        .filter_map(|(label, _)| {
            let id = slugify(&labels.canonical_name(label));
            label_positions.get(id.as_str()).copied()
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The whole index as a JavaScript file.
/// Each dataset's words, kept between runs of `serve`, by a fingerprint of what they are made
/// from (the entry, the vocabulary, `labels.toml` and the facet lists).
#[derive(Default)]
pub(crate) struct WordCache(HashMap<u64, Tokens>);

/// The term names of the three listed facets, by id.
struct TermNames<'c>([HashMap<&'c str, &'c str>; 3]);

impl<'c> TermNames<'c> {
    fn of(catalog: &'c Catalog) -> Self {
        TermNames(
            [Facet::Modality, Facet::BodyRegion, Facet::Task].map(|facet| {
                let mut names: HashMap<&str, &str> = HashMap::new();
                for t in catalog.vocabulary.facet(facet) {
                    names.entry(t.id.as_str()).or_insert(t.name.as_str());
                }
                names
            }),
        )
    }

    fn get(&self, facet: Facet, ids: &[crate::model::Located<String>]) -> Vec<String> {
        let names = match facet {
            Facet::Modality => &self.0[0],
            Facet::BodyRegion => &self.0[1],
            _ => &self.0[2],
        };
        ids.iter()
            .filter_map(|id| {
                names
                    .get(id.value.as_str())
                    .map(std::string::ToString::to_string)
            })
            .collect()
    }
}

/// The words of one dataset, each with the best field it occurs in.
fn doc_tokens(d: &Dataset, facets: &Facets, label_idx: &[usize], names: &TermNames) -> Tokens {
    let mut tokens = Tokens::default();
    let mut add = |text: &str, field: u8| tokens.add(text, field);
    add(&d.name, FIELD_NAME);
    d.aliases.iter().for_each(|a| add(a, FIELD_ALIAS));
    label_idx
        .iter()
        .for_each(|&i| add(&facets.label[i].1, FIELD_LABEL));
    for (label, _) in dataset_labels(d) {
        add(&label, FIELD_LABEL);
    }
    for name in names
        .get(Facet::Modality, &d.modalities)
        .into_iter()
        .chain(names.get(Facet::BodyRegion, &d.body_regions))
        .chain(names.get(Facet::Task, &d.tasks))
    {
        add(&name, FIELD_FACET);
    }
    for id in d.modalities.iter().chain(&d.body_regions).chain(&d.tasks) {
        add(&id.value, FIELD_FACET);
    }
    add(&d.publisher, FIELD_PUBLISHER);
    add(&d.summary, FIELD_SUMMARY);
    add(&markdown_text(&d.body), FIELD_BODY);
    tokens.finish();
    tokens
}

/// Put the words of every dataset in `cache`, under the fingerprints `keys` (one per dataset,
/// in catalog order): computed where the cache lacks them. Words no longer used are dropped.
pub(crate) fn fill_words(
    catalog: &Catalog,
    labels: &LabelIndex,
    facets: &Facets,
    keys: &[u64],
    cache: &mut WordCache,
) {
    let wanted: std::collections::HashSet<u64> = keys.iter().copied().collect();
    cache.0.retain(|key, _| wanted.contains(key));
    let names = TermNames::of(catalog);
    let label = positions(&facets.label);
    let missing: Vec<(u64, Tokens)> = catalog
        .datasets
        .par_iter()
        .zip(keys)
        .filter(|(_, key)| !cache.0.contains_key(key))
        .map(|(d, &key)| {
            let label_idx = label_positions(d, labels, &label);
            (key, doc_tokens(d, facets, &label_idx, &names))
        })
        .collect();
    cache.0.extend(missing);
}

/// The words of each dataset, when they were computed ahead (by [`fill_words`]).
pub(crate) struct Words<'a> {
    pub(crate) keys: &'a [u64],
    pub(crate) cache: &'a WordCache,
}

/// The sorted words of all documents, and for each its postings: per document that has it, the
/// distance from the previous such document times 8, plus the field it is found in.
fn inverted<'t>(docs: impl Iterator<Item = &'t Tokens>) -> (Vec<&'t str>, Vec<Vec<u64>>) {
    // word -> (last doc that had it, its postings)
    let mut inverted: ahash::AHashMap<&str, (u64, Vec<u64>)> = ahash::AHashMap::new();
    for (doc_id, tokens) in docs.enumerate() {
        let doc_id = doc_id as u64;
        for (word, field) in tokens.iter() {
            let (last, list) = inverted.entry(word).or_insert((0, Vec::new()));
            list.push((doc_id - *last) * 8 + u64::from(field));
            *last = doc_id;
        }
    }
    let mut inverted: Vec<(&str, Vec<u64>)> = inverted
        .into_iter()
        .map(|(w, (_, list))| (w, list))
        .collect();
    inverted.sort_unstable_by(|a, b| a.0.cmp(b.0));
    inverted.into_iter().unzip()
}

/// The whole index as a JavaScript file.
pub(crate) fn index_js(
    catalog: &Catalog,
    labels: &LabelIndex,
    facets: &Facets,
    words: Option<&Words<'_>>,
) -> String {
    let names = TermNames::of(catalog);
    let [modality, region, task, access, license, label] = [
        &facets.modality,
        &facets.region,
        &facets.task,
        &facets.access,
        &facets.license,
        &facets.label,
    ]
    .map(|list| positions(list));
    let per_doc: Vec<(Doc, std::borrow::Cow<Tokens>)> = catalog
        .datasets
        .par_iter()
        .enumerate()
        .map(|(i, d)| {
            let idx = |list: &Positions, ids: &[crate::model::Located<String>]| {
                ids.iter()
                    .filter_map(|t| list.get(t.value.as_str()).copied())
                    .collect::<Vec<_>>()
            };
            let label_idx = label_positions(d, labels, &label);
            let tokens = match words.and_then(|w| w.cache.0.get(&w.keys[i])) {
                Some(tokens) => std::borrow::Cow::Borrowed(tokens),
                None => std::borrow::Cow::Owned(doc_tokens(d, facets, &label_idx, &names)),
            };
            let doc: Doc = (
                &d.slug,
                &d.name,
                &d.summary,
                idx(&modality, &d.modalities),
                idx(&region, &d.body_regions),
                idx(&task, &d.tasks),
                access.get(d.access.value.as_str()).copied(),
                d.license
                    .as_ref()
                    .and_then(|l| license.get(slugify(l).as_str()).copied()),
                d.year,
                d.images,
                d.patients,
                label_idx,
                &d.aliases,
                &d.publisher,
            );
            (doc, tokens)
        })
        .collect();

    let (terms, postings) = inverted(per_doc.iter().map(|(_, tokens)| tokens.as_ref()));
    let index = Index {
        facets,
        docs: per_doc.iter().map(|(doc, _)| doc.clone()).collect(),
        terms,
        postings,
    };
    let json = serde_json::to_string(&index).expect("the index serialises");
    format!("window.MEDATLAS_INDEX = {json};\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_text_drops_link_targets_and_tags() {
        let text = markdown_text(
            "See [the paper](https://arxiv.org/abs/1) and <b>bold</b> (a note) <https://x.org>.",
        );
        let words: Vec<String> = words(&text).collect();
        assert_eq!(words, ["see", "the", "paper", "and", "bold", "a", "note"]);
    }
}
