//! The data behind the index page's search and facets, shipped as plain scripts.
//!
//! Offline readers open the site from disk, where `fetch()` of JSON is blocked, so the index is
//! a set of `.js` files, each calling `medatlasShard(name, data)`, loaded with plain `<script>`
//! tags; the finder loads the core file first and the rest when a view needs them (the files
//! and their encodings: [`crate::derive::search_files`]). Together they hold:
//!
//! - `facets`: the terms of each facet as `[id, name]` pairs, in vocabulary order, and for each
//!   term the datasets that have it;
//! - one display record per dataset (name, summary, sizes as shown, ...);
//! - an inverted index: sorted words (by prefix shard), so the page finds every word with a
//!   typed prefix by binary search, each with the datasets containing it as
//!   `(doc - previous doc) * 8 + field`, where `field` ranks where the word was found (7 name,
//!   6 alias, 5 label, 4 modality/region/task, 3 publisher, 2 summary, 1 body);
//! - `synonyms`: groups of phrases that mean the same (a vocabulary term's id, name and
//!   `synonyms`; a finding's name and synonyms), so that "xray", "radiograph" and "CXR" find the
//!   X-ray datasets and "covid" the COVID-19 ones.
//!
//! Words are indexed and searched with British spellings folded to American ones ([`fold`]:
//! tumour/tumor, haemorrhage/hemorrhage, oesophagus/esophagus, centre/center), so either
//! spelling finds both; catalog.js folds the typed words the same way.
//!
//! A sorted term list with delta-encoded postings is a few lines of JavaScript to query and
//! keeps the files small; a maintained library (elasticlunr is not) would add more code to ship
//! than this whole index needs.
//!
//! [`SearchCache`] keeps each dataset's words and record by the fingerprint of what they are
//! made from, and the inverted index of the last run: an edit of a few datasets updates the
//! postings of the words that changed, and only the files holding those are written out again.

use std::collections::HashMap;
use std::ops::Range;

use rayon::prelude::*;
use serde::Serialize;

use crate::derive::labels::{LabelIndex, dataset_labels};
use crate::derive::search_files::{
    RECORDS_PER_FILE, doc_set, fixed, key_name, shard_keys, varint, width,
};
use crate::model::{Catalog, Dataset, Facet};

/// Field rank of a word found in a dataset's name.
pub const FIELD_NAME: u8 = 7;
/// Field rank of a word found in an alias.
pub const FIELD_ALIAS: u8 = 6;
/// Field rank of a word found in a label.
pub const FIELD_LABEL: u8 = 5;
pub(crate) const FIELD_FACET: u8 = 4;
pub(crate) const FIELD_PUBLISHER: u8 = 3;
pub(crate) const FIELD_SUMMARY: u8 = 2;
/// Field rank of a word found in the Markdown body.
pub const FIELD_BODY: u8 = 1;

/// Words too common in entry bodies to be worth indexing.
fn is_stop_word(word: &str) -> bool {
    // A `match` on the words, which the compiler turns into a test of the length and a few
    // comparisons, not 24 string comparisons per word of every description.
    matches!(
        word,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "by"
            | "for"
            | "from"
            | "in"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "this"
            | "to"
            | "was"
            | "were"
            | "with"
    )
}

#[cfg(test)]
/// Split text into lowercase words of letters and digits.
pub(crate) fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// A lowercase word with its British spelling folded to the American one, as catalog.js's
/// `fold` does: `-our` to `-or` (tumour, colour), `ae` between consonants to `e` (haemorrhage,
/// paediatric, anaemia), a leading `oe` to `e` (oesophagus, oedema), `-tre` to `-ter` (centre)
/// and `-ogue` to `-og` (catalogue). Index and query are folded alike, so a rare word folded
/// where it needed not be still finds itself.
pub(crate) fn fold(word: &str) -> std::borrow::Cow<'_, str> {
    if !word.is_ascii() || word.len() < 5 || !may_fold(word) {
        return std::borrow::Cow::Borrowed(word);
    }
    let consonant = |b: u8| b.is_ascii_lowercase() && !b"aeiouy".contains(&b);
    let bytes = word.as_bytes();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while i < bytes.len() {
        let pair = &bytes[i..bytes.len().min(i + 2)];
        let ae_inside = pair == b"ae"
            && i > 0
            && i + 2 < bytes.len()
            && consonant(bytes[i - 1])
            && consonant(bytes[i + 2]);
        let oe_leading = pair == b"oe" && i == 0 && bytes.len() > 2 && consonant(bytes[2]);
        if ae_inside || oe_leading {
            out.push('e');
            i += 2;
            continue;
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    // The endings, also before a plural `s`.
    let plural = usize::from(out.ends_with('s') && out.len() > 5);
    let stem = out.len() - plural;
    let ends = |ending: &str| out[..stem].ends_with(ending);
    if stem >= 6 && ends("our") && consonant(out.as_bytes()[stem - 4]) {
        out.replace_range(stem - 3..stem, "or");
    } else if stem >= 5 && ends("tre") && consonant(out.as_bytes()[stem - 4]) {
        out.replace_range(stem - 3..stem, "ter");
    } else if ends("ogue") {
        out.replace_range(stem - 2..stem, "");
    }
    if out == word {
        std::borrow::Cow::Borrowed(word)
    } else {
        std::borrow::Cow::Owned(out)
    }
}

/// Whether [`fold`] may change a word (of five ASCII letters or more): it holds `ae`, starts
/// with `oe`, or ends in `our`, `tre` or `ogue`, or those before an `s`. Most words do not, and
/// are passed over without building a folded copy.
fn may_fold(word: &str) -> bool {
    let word = word.as_bytes();
    let stem = word.strip_suffix(b"s").unwrap_or(word);
    word.windows(2).any(|pair| pair == b"ae")
        || word.starts_with(b"oe")
        || stem.ends_with(b"our")
        || stem.ends_with(b"tre")
        || stem.ends_with(b"ogue")
}

/// Whether [`fold`] changes a word, or a run of ASCII letters and digits inside a word that has
/// other letters (as [`Tokens::fold_from`] folds them).
fn needs_folding(word: &str) -> bool {
    let changes = |w: &str| w.len() >= 5 && may_fold(w) && fold(w) != w;
    if word.is_ascii() {
        changes(word)
    } else {
        word.split(|c: char| !c.is_ascii_alphanumeric())
            .any(changes)
    }
}

/// The phrases that mean the same, folded: each vocabulary term's id (`x-ray` as "x ray"), name
/// and `synonyms`; each finding's name and synonyms. Groups of one phrase are left out.
pub(crate) fn synonym_groups(catalog: &Catalog) -> Vec<Vec<String>> {
    let phrase = |text: &str| -> String {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| fold(&w.to_lowercase()).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let terms = Facet::ALL.into_iter().flat_map(|facet| {
        catalog.vocabulary.facet(facet).iter().map(|t| {
            std::iter::once(t.id.as_str())
                .chain(std::iter::once(t.name.as_str()))
                .chain(t.synonyms.iter().map(String::as_str))
                .collect::<Vec<_>>()
        })
    });
    let findings = catalog.findings.iter().map(|f| {
        std::iter::once(f.name.as_str())
            .chain(f.synonyms.iter().map(String::as_str))
            .collect::<Vec<_>>()
    });
    let mut groups = Vec::new();
    for names in terms.chain(findings) {
        let mut group: Vec<String> = Vec::new();
        for name in names {
            let p = phrase(name);
            if !p.is_empty() && !group.contains(&p) {
                group.push(p);
            }
        }
        if group.len() > 1 {
            groups.push(group);
        }
    }
    groups
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

/// The words of one dataset, each with the best field it occurs in. While words are added, the
/// lowercased text is kept in one buffer and words are ranges of it, so that 10,000 entries do
/// not allocate a string per word; [`Tokens::finish`] then keeps only the distinct words, one
/// after another, which is all a cached dataset holds (about 2 kB instead of 14 kB).
#[derive(Default, Clone)]
pub(crate) struct Tokens {
    text: String,
    /// Each word: where it starts and ends in `text`, and its best field.
    words: Vec<(u32, u32, u8)>,
}

impl Tokens {
    fn add(&mut self, text: &str, field: u8) {
        let start = self.text.len();
        let kept = self.words.len();
        if text.is_ascii() {
            self.text.push_str(text);
            self.text[start..].make_ascii_lowercase();
        } else {
            self.text.extend(text.chars().flat_map(char::to_lowercase));
        }
        self.text.push(' ');
        if !self.scan_from(start, field) {
            // A word has a British spelling: fold the added text and read its words again
            // (rare: most text has none, and is scanned once).
            self.words.truncate(kept);
            self.text.pop();
            self.fold_from(start);
            self.text.push(' ');
            self.scan_from(start, field);
        }
    }

    /// Add the words of the text from `start` on (which ends in a space), in one pass over its
    /// bytes. Stops and returns false at the first word that [`fold`] would change.
    fn scan_from(&mut self, start: usize, field: u8) -> bool {
        let text = &self.text;
        let bytes = text.as_bytes();
        let mut word_start = None;
        let mut i = start;
        while i < bytes.len() {
            let b = bytes[i];
            let (in_word, width) = if b.is_ascii() {
                (b.is_ascii_alphanumeric(), 1)
            } else {
                let c = text[i..].chars().next().expect("inside the text");
                (c.is_alphanumeric(), c.len_utf8())
            };
            match (in_word, word_start) {
                (true, None) => word_start = Some(i),
                (false, Some(from)) => {
                    let word = &text[from..i];
                    if needs_folding(word) {
                        return false;
                    }
                    if field != FIELD_BODY || !is_stop_word(word) {
                        // An entry file is at most 1 MiB: its offsets fit in 32 bits.
                        self.words.push((from as u32, i as u32, field));
                    }
                    word_start = None;
                }
                _ => {}
            }
            i += width;
        }
        true
    }

    /// Fold the British spellings of the words added from `start` on ([`fold`]).
    fn fold_from(&mut self, start: usize) {
        let added = &self.text[start..];
        let mut folded = String::with_capacity(added.len());
        let mut word_start = None;
        for (i, c) in added
            .char_indices()
            .chain(std::iter::once((added.len(), ' ')))
        {
            if c.is_ascii_alphanumeric() {
                word_start.get_or_insert(i);
                continue;
            }
            if let Some(from) = word_start.take() {
                folded.push_str(&fold(&added[from..i]));
            }
            if i < added.len() {
                folded.push(c);
            }
        }
        self.text.truncate(start);
        self.text.push_str(&folded);
    }

    /// Keep one entry per word (the first place it occurs), with its best field, and only the
    /// text of those words, end to end.
    fn finish(&mut self) {
        let text = &self.text;
        let mut best: ahash::AHashMap<&str, usize> =
            ahash::AHashMap::with_capacity(self.words.len());
        let mut unique: Vec<(&str, u8)> = Vec::with_capacity(self.words.len());
        for &(from, to, field) in &self.words {
            let word = &text[from as usize..to as usize];
            match best.entry(word) {
                std::collections::hash_map::Entry::Occupied(at) => {
                    let kept = &mut unique[*at.get()].1;
                    *kept = (*kept).max(field);
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(unique.len());
                    unique.push((word, field));
                }
            }
        }
        let mut kept = String::with_capacity(unique.iter().map(|(w, _)| w.len()).sum());
        let mut words = Vec::with_capacity(unique.len());
        for (word, field) in unique {
            let start = kept.len() as u32;
            kept.push_str(word);
            words.push((start, kept.len() as u32, field));
        }
        self.text = kept;
        self.words = words;
    }

    /// The distinct words with their fields, once [`Tokens::finish`] has run.
    fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        self.words
            .iter()
            .map(|&(from, to, field)| (&self.text[from as usize..to as usize], field))
    }
}

/// The facet values of one dataset, as indexes into the facet lists.
#[derive(Serialize)]
pub(crate) struct Facets {
    pub(crate) modality: Vec<(String, String)>,
    pub(crate) region: Vec<(String, String)>,
    pub(crate) task: Vec<(String, String)>,
    pub(crate) access: Vec<(String, String)>,
    /// "Commercial use": yes, no, unclear.
    pub(crate) commercial: Vec<(String, String)>,
    /// "Redistribution": yes, no, unclear.
    pub(crate) redistribution: Vec<(String, String)>,
    pub(crate) label: Vec<(String, String)>,
    /// "Annotation types": terms of `[annotation_types]`.
    pub(crate) annotation: Vec<(String, String)>,
    /// "Label method": terms of `[label_methods]`.
    pub(crate) method: Vec<(String, String)>,
}

/// One dataset's display record in `search/d-K.js`: `[slug, name, summary, aliases, size as
/// shown, patients as shown, size group, modalities, regions, tasks]`, the last three as facet
/// term indexes in the entry's order, as a result lists them (the group of
/// [`crate::derive::size::MainSize`]).
type Record<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a [String],
    String,
    Option<String>,
    u8,
    Vec<usize>,
    Vec<usize>,
    Vec<usize>,
);

/// The facets of the core file, in the order of [`CoreDoc::sets`] (and of catalog.js's
/// `FACETS`).
const FACET_KEYS: [&str; 9] = [
    "modality",
    "region",
    "task",
    "access",
    "commercial",
    "redistribution",
    "label",
    "annotation",
    "method",
];

/// What the finder needs of one dataset over the whole catalog, to filter, count and sort:
/// its term indexes of each facet of [`FACET_KEYS`] (sorted), its year, its size group with
/// its main-unit count, and its patients.
#[derive(Hash)]
struct CoreDoc {
    sets: [Vec<u32>; 9],
    year: Option<i64>,
    size: (u8, Option<u64>),
    patients: Option<u64>,
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
    let own = own_labels(labels)
        .into_iter()
        .map(|name| (crate::common::slug::label_id(&name), name));
    let label = labels
        .ids
        .iter()
        .cloned()
        .zip(labels.findings.iter().map(|f| f.name.clone()))
        .chain(own)
        .collect();
    Facets {
        modality: vocabulary(Facet::Modality),
        region: vocabulary(Facet::BodyRegion),
        task: vocabulary(Facet::Task),
        access: vocabulary(Facet::Access),
        commercial: crate::derive::license::answer_facet(),
        redistribution: crate::derive::license::answer_facet(),
        label,
        annotation: vocabulary(Facet::AnnotationType),
        method: vocabulary(Facet::LabelMethod),
    }
}

/// The datasets' labels that match no finding (`_` as a space), by their lowercase form: the
/// first spelling of each, in catalog order.
fn own_labels(labels: &LabelIndex) -> Vec<String> {
    let mut own: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for label in labels.own_labels() {
        let name = label.replace('_', " ");
        own.entry(name.to_lowercase()).or_insert(name);
    }
    own.into_values().collect()
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
        .filter_map(|(label, _)| label_positions.get(&*labels.id(label)).copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The facets whose term names are words of a dataset, in the order of [`TermNames`].
const NAMED_FACETS: [Facet; 5] = [
    Facet::Modality,
    Facet::BodyRegion,
    Facet::Task,
    Facet::LabelMethod,
    Facet::AnnotationType,
];

/// The term names of the [`NAMED_FACETS`], by id.
struct TermNames<'c>([HashMap<&'c str, &'c str>; 5]);

impl<'c> TermNames<'c> {
    fn of(catalog: &'c Catalog) -> Self {
        TermNames(NAMED_FACETS.map(|facet| {
            let mut names: HashMap<&str, &str> = HashMap::new();
            for t in catalog.vocabulary.facet(facet) {
                names.entry(t.id.as_str()).or_insert(t.name.as_str());
            }
            names
        }))
    }

    fn get<'a>(
        &self,
        facet: Facet,
        ids: impl IntoIterator<Item = &'a crate::model::Located<String>>,
    ) -> Vec<String> {
        let at = NAMED_FACETS.iter().position(|f| *f == facet).unwrap_or(2);
        let names = &self.0[at];
        ids.into_iter()
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
        .chain(names.get(Facet::LabelMethod, d.label_set_terms(Facet::LabelMethod)))
        .chain(names.get(
            Facet::AnnotationType,
            d.label_set_terms(Facet::AnnotationType),
        ))
    {
        add(&name, FIELD_FACET);
    }
    for id in d.modalities.iter().chain(&d.body_regions).chain(&d.tasks) {
        add(&id.value, FIELD_FACET);
    }
    add(&d.publisher, FIELD_PUBLISHER);
    add(&d.summary, FIELD_SUMMARY);
    add(&markdown_text(&d.body), FIELD_BODY);
    // What changed between versions names content ("DICOM", "free-text reports") a search
    // should find.
    for change in d.versions.iter().filter_map(|v| v.changes.as_deref()) {
        add(&markdown_text(change), FIELD_BODY);
    }
    // Lineage: a search for a source dataset finds the datasets built from it.
    for item in &d.lineage {
        add(&item.entry.value, FIELD_BODY);
        add(&markdown_text(&item.how), FIELD_BODY);
    }
    tokens.finish();
    tokens
}

/// The facet lists' positions, looked up for every dataset's record and core values.
struct FacetPositions<'f>([Positions<'f>; 7]);

impl<'f> FacetPositions<'f> {
    fn of(facets: &'f Facets) -> Self {
        FacetPositions(
            [
                &facets.modality,
                &facets.region,
                &facets.task,
                &facets.access,
                &facets.label,
                &facets.annotation,
                &facets.method,
            ]
            .map(|list| positions(list)),
        )
    }
}

/// What every dataset's part of the index is made with: the site-wide lists, looked up once.
struct DocMaker<'a> {
    catalog: &'a Catalog,
    labels: &'a LabelIndex,
    facets: &'a Facets,
    names: TermNames<'a>,
    at: FacetPositions<'a>,
}

impl<'a> DocMaker<'a> {
    fn new(catalog: &'a Catalog, labels: &'a LabelIndex, facets: &'a Facets) -> Self {
        DocMaker {
            catalog,
            labels,
            facets,
            names: TermNames::of(catalog),
            at: FacetPositions::of(facets),
        }
    }

    /// A dataset's words, and its part of the index without them.
    fn make(&self, d: &Dataset) -> (Tokens, DocPart) {
        let label_idx = label_positions(d, self.labels, &self.at.0[4]);
        let tokens = doc_tokens(d, self.facets, &label_idx, &self.names);
        let (record, core) = doc_parts(d, &self.at, &self.catalog.licenses, &label_idx);
        let part = DocPart {
            tokens: Tokens::default(),
            record_hash: crate::common::hash::stable_hash(&record),
            record,
            core,
        };
        (tokens, part)
    }
}

/// One dataset's display record as JSON, and what the core file holds of it.
fn doc_parts(
    d: &Dataset,
    at: &FacetPositions<'_>,
    licenses: &[crate::model::License],
    label_idx: &[usize],
) -> (String, CoreDoc) {
    let [modality, region, task, access, _, annotation, method] = &at.0;
    let idx = |list: &Positions, ids: &[crate::model::Located<String>]| {
        ids.iter()
            .filter_map(|t| list.get(t.value.as_str()).copied())
            .collect::<Vec<_>>()
    };
    let set = |list: &[usize]| {
        let mut out: Vec<u32> = list.iter().map(|&i| i as u32).collect();
        out.sort_unstable();
        out.dedup();
        out
    };
    let set_idx = |list: &Positions, facet: Facet| {
        let ids = d.label_set_terms(facet);
        set(&ids
            .iter()
            .filter_map(|t| list.get(t.value.as_str()).copied())
            .collect::<Vec<_>>())
    };
    let size = crate::derive::size::main_size(d);
    let patients = d.sizes.get(crate::model::Unit::Patients);
    let (modalities, regions, tasks) = (
        idx(modality, &d.modalities),
        idx(region, &d.body_regions),
        idx(task, &d.tasks),
    );
    let [commercial, redistribution] = crate::derive::license::facet_values(d, licenses);
    let core = CoreDoc {
        sets: [
            set(&modalities),
            set(&regions),
            set(&tasks),
            set(access.get(d.access.value.as_str()).copied().as_slice()),
            vec![commercial as u32],
            vec![redistribution as u32],
            set(label_idx),
            set_idx(annotation, Facet::AnnotationType),
            set_idx(method, Facet::LabelMethod),
        ],
        year: d.year,
        size: (size.group, size.number),
        patients: patients.and_then(crate::model::Size::number),
    };
    let record: Record = (
        &d.slug,
        &d.name,
        &d.summary,
        &d.aliases,
        size.text,
        patients.and_then(crate::derive::size::number),
        size.group,
        modalities,
        regions,
        tasks,
    );
    let json = serde_json::to_string(&record).expect("a record serialises");
    (json, core)
}

/// One dataset's part of the index: its words, its display record (with a hash of it) and
/// what the core file holds of it.
struct DocPart {
    tokens: Tokens,
    record: String,
    record_hash: u64,
    core: CoreDoc,
}

/// One file of the search index: its path in the output and a hash of its contents.
#[derive(Clone)]
pub(crate) struct SearchFile {
    pub(crate) path: String,
    pub(crate) hash: u64,
}

/// What a file of the search index is written from.
enum Body {
    /// Made in full by [`SearchCache::fill`] (the core file, the sort files).
    Text(String),
    /// The display records of a range of datasets.
    Records(usize, Range<usize>),
    /// The words of a shard key, a range of the inverted index.
    Postings(String, Range<usize>),
    /// The letter file of a character, kept in [`SearchCache::letters`].
    Letter(String),
}

/// The search index's parts, kept between runs: each dataset's [`DocPart`] by a fingerprint of
/// what it is made from (the entry, the vocabulary, `labels.toml` and the facet lists), the
/// inverted index of the last run, updated in place when a few datasets changed, and the
/// letter files, made again only when a word of their letter changed.
#[derive(Default)]
pub(crate) struct SearchCache {
    parts: crate::common::hash::PartCache<DocPart>,
    inverted: Inverted,
    /// The keys of the datasets of the last run, in catalog order.
    keys: Vec<u64>,
    /// The files of the last run, in order, with their paths' positions.
    files: Vec<(SearchFile, Body)>,
    by_path: HashMap<String, usize>,
    /// Each letter file's text with the hash of its words' postings, by its character.
    letters: HashMap<String, (u64, String)>,
}

/// The sorted words of all documents with their postings.
#[derive(Default)]
struct Inverted(Vec<Term>);

/// One word of the index: per document that has it, `doc << 3 | field`, in document order
/// (32 bits hold 500 million documents); once encoded, its postings as the page has them and a
/// hash of the word and those.
struct Term {
    word: String,
    postings: Vec<u32>,
    encoded: Option<String>,
    hash: u64,
}

impl Term {
    fn new(word: &str) -> Self {
        Term {
            word: word.to_string(),
            postings: Vec::new(),
            encoded: None,
            hash: 0,
        }
    }

    /// The postings as the page has them: per document, the distance from the previous one
    /// times 8, plus the field, as [`varint`]s.
    fn encode(&mut self) {
        let mut out = String::with_capacity(self.postings.len() * 2);
        let mut last = 0;
        for &posting in &self.postings {
            let (doc, field) = (u64::from(posting >> 3), u64::from(posting & 7));
            varint(&mut out, (doc - last) * 8 + field);
            last = doc;
        }
        self.hash = crate::common::hash::stable_hash(&(&self.word, &out));
        self.encoded = Some(out);
    }
}

impl Inverted {
    /// The index of every document's words, `docs` in document order.
    fn build<'t>(docs: impl Iterator<Item = &'t Tokens>) -> Self {
        let mut postings = Postings::default();
        for (doc, tokens) in docs.enumerate() {
            postings.add(doc, tokens);
        }
        postings.into_inverted()
    }

    /// Document `doc` now has the words `new` instead of `old`.
    fn replace(&mut self, doc: u64, old: &Tokens, new: &Tokens) {
        let mut before: ahash::AHashMap<&str, u8> = old.iter().collect();
        for (word, field) in new.iter() {
            if before.remove(word) == Some(field) {
                continue;
            }
            self.set(word, doc, Some(field));
        }
        for word in before.into_keys() {
            self.set(word, doc, None);
        }
        self.0.retain(|t| !t.postings.is_empty());
    }

    /// Give `word` the posting of `doc` with `field`, or none.
    fn set(&mut self, word: &str, doc: u64, field: Option<u8>) {
        let at = match self.0.binary_search_by(|t| t.word.as_str().cmp(word)) {
            Ok(at) => at,
            Err(_) if field.is_none() => return,
            Err(at) => {
                self.0.insert(at, Term::new(word));
                at
            }
        };
        let term = &mut self.0[at];
        term.encoded = None;
        let doc = doc as u32;
        let found = term.postings.binary_search_by_key(&doc, |p| p >> 3);
        match (found, field) {
            (Ok(i), Some(field)) => term.postings[i] = (doc << 3) | u32::from(field),
            (Ok(i), None) => {
                term.postings.remove(i);
            }
            (Err(i), Some(field)) => term.postings.insert(i, (doc << 3) | u32::from(field)),
            (Err(_), None) => {}
        }
    }
}

/// The postings of every word, gathered a document at a time (in document order).
#[derive(Default)]
struct Postings(ahash::AHashMap<String, Vec<u32>>);

impl Postings {
    /// Document `doc` has the words of `tokens`.
    fn add(&mut self, doc: usize, tokens: &Tokens) {
        let doc = (doc as u32) << 3;
        for (word, field) in tokens.iter() {
            let posting = doc | u32::from(field);
            match self.0.get_mut(word) {
                Some(postings) => postings.push(posting),
                None => {
                    self.0.insert(word.to_string(), vec![posting]);
                }
            }
        }
    }

    /// The sorted words with their postings, cut to their length.
    fn into_inverted(self) -> Inverted {
        let mut terms: Vec<Term> = self
            .0
            .into_iter()
            .map(|(word, mut postings)| {
                postings.shrink_to_fit();
                Term {
                    word,
                    postings,
                    encoded: None,
                    hash: 0,
                }
            })
            .collect();
        terms.sort_unstable_by(|a, b| a.word.cmp(&b.word));
        Inverted(terms)
    }
}

/// At most this many changed documents are updated in place; more rebuild the inverted index.
const IN_PLACE: usize = 32;

/// Datasets whose words a build holds at once ([`SearchCache::fill`] with `once`).
const ONCE_CHUNK: usize = 1024;

impl SearchCache {
    /// Make the parts of every dataset whose key (`keys`, one per dataset in catalog order) is
    /// new, bring the inverted index up to date, drop the parts no longer used, and lay out
    /// the files.
    ///
    /// `once`: the cache serves this run only (a build). Then the words of the datasets are
    /// not kept, which only an update in place needs: they are made a chunk of datasets at a
    /// time, added to the inverted index and dropped, so that a build never holds every
    /// dataset's words at once.
    pub(crate) fn fill(
        &mut self,
        catalog: &Catalog,
        (labels, facets, synonyms): (&LabelIndex, &Facets, &[Vec<String>]),
        keys: &[u64],
        once: bool,
    ) {
        if once && self.parts.is_empty() {
            self.make_parts_once(catalog, labels, facets, keys);
        } else {
            self.make_parts(catalog, labels, facets, keys);
            self.update_inverted(keys);
        }
        crate::common::hash::keep_only(&mut self.parts, keys);
        self.keys = keys.to_vec();
        self.inverted
            .0
            .par_iter_mut()
            .filter(|t| t.encoded.is_none())
            .for_each(Term::encode);
        self.lay_out(facets, synonyms);
    }

    fn make_parts(
        &mut self,
        catalog: &Catalog,
        labels: &LabelIndex,
        facets: &Facets,
        keys: &[u64],
    ) {
        let maker = DocMaker::new(catalog, labels, facets);
        let missing: Vec<(u64, DocPart)> = catalog
            .datasets
            .par_iter()
            .zip(keys)
            .filter(|(_, key)| !self.parts.contains_key(key))
            .map(|(d, &key)| {
                let (tokens, part) = maker.make(d);
                (key, DocPart { tokens, ..part })
            })
            .collect();
        self.parts.extend(missing);
    }

    /// Every dataset's part, without its words, and the inverted index of those words, made
    /// [`ONCE_CHUNK`] datasets at a time.
    fn make_parts_once(
        &mut self,
        catalog: &Catalog,
        labels: &LabelIndex,
        facets: &Facets,
        keys: &[u64],
    ) {
        let maker = DocMaker::new(catalog, labels, facets);
        let mut postings = Postings::default();
        let chunks = catalog
            .datasets
            .chunks(ONCE_CHUNK)
            .zip(keys.chunks(ONCE_CHUNK));
        for (n, (datasets, keys)) in chunks.enumerate() {
            let made: Vec<(Tokens, DocPart)> = datasets.par_iter().map(|d| maker.make(d)).collect();
            for (i, ((tokens, part), &key)) in made.into_iter().zip(keys).enumerate() {
                postings.add(n * ONCE_CHUNK + i, &tokens);
                self.parts.insert(key, part);
            }
        }
        self.inverted = postings.into_inverted();
    }

    fn update_inverted(&mut self, keys: &[u64]) {
        let changed: Vec<usize> = if self.keys.len() == keys.len() {
            (0..keys.len())
                .filter(|&i| self.keys[i] != keys[i])
                .take(IN_PLACE + 1)
                .collect()
        } else {
            vec![0; IN_PLACE + 1]
        };
        if changed.len() > IN_PLACE {
            self.inverted = Inverted::build(keys.iter().map(|k| &self.parts[k].tokens));
            return;
        }
        for i in changed {
            let (old, new) = (
                &self.parts[&self.keys[i]].tokens,
                &self.parts[&keys[i]].tokens,
            );
            self.inverted.replace(i as u64, old, new);
        }
    }

    /// The files of the index, each with a hash of what it holds: the core and sort files
    /// written out, the records and postings shards from the hashes of their parts, the
    /// letter files made again where their words changed.
    fn lay_out(&mut self, facets: &Facets, synonyms: &[Vec<String>]) {
        let terms = &self.inverted.0;
        let sizes: Vec<(&str, usize)> = terms
            .iter()
            .map(|t| {
                let postings = t.encoded.as_ref().map_or(0, String::len);
                (t.word.as_str(), t.word.len() + postings + 6)
            })
            .collect();
        let shards = shard_keys(&sizes);
        let cores: Vec<&CoreDoc> = self.keys.iter().map(|k| &self.parts[k].core).collect();
        let text = |path: &str, text: String| {
            let hash = crate::common::hash::stable_hash(&text);
            let path = path.to_string();
            (SearchFile { path, hash }, Body::Text(text))
        };
        let mut files = vec![
            text(
                "search-index.js",
                core_js(&cores, facets, synonyms, &shards),
            ),
            text(
                "search/sort-size.js",
                sort_js("sort-size", &cores, |c| c.size),
            ),
            text(
                "search/sort-patients.js",
                sort_js("sort-patients", &cores, |c| (0, c.patients)),
            ),
        ];
        for (k, chunk) in self.keys.chunks(RECORDS_PER_FILE).enumerate() {
            let hashes: Vec<u64> = chunk
                .iter()
                .map(|key| self.parts[key].record_hash)
                .collect();
            let start = k * RECORDS_PER_FILE;
            files.push((
                SearchFile {
                    path: format!("search/d-{k}.js"),
                    hash: crate::common::hash::stable_hash(&(k, hashes)),
                },
                Body::Records(k, start..start + chunk.len()),
            ));
        }
        for (key, range) in shards {
            let hashes: Vec<u64> = terms[range.clone()].iter().map(|t| t.hash).collect();
            files.push((
                SearchFile {
                    path: format!("search/p-{}.js", key_name(&key)),
                    hash: crate::common::hash::stable_hash(&(&key, hashes)),
                },
                Body::Postings(key, range),
            ));
        }
        files.extend(self.letter_files());
        self.by_path = files
            .iter()
            .enumerate()
            .map(|(i, (file, _))| (file.path.clone(), i))
            .collect();
        self.files = files;
    }

    /// The letter files: the words of each first character, contiguous in the sorted index.
    /// Those whose words' hashes are as in the last run keep their text.
    fn letter_files(&mut self) -> Vec<(SearchFile, Body)> {
        let terms = &self.inverted.0;
        let mut letters: Vec<(String, Range<usize>, u64)> = Vec::new();
        let mut start = 0;
        while start < terms.len() {
            let first = terms[start].word.chars().next().unwrap_or(' ');
            let mut end = start + 1;
            while end < terms.len() && terms[end].word.starts_with(first) {
                end += 1;
            }
            let hashes: Vec<u64> = terms[start..end].iter().map(|t| t.hash).collect();
            let hash = crate::common::hash::stable_hash(&hashes);
            letters.push((first.to_string(), start..end, hash));
            start = end;
        }
        let n = self.keys.len();
        let made: Vec<(String, (u64, String))> = letters
            .par_iter()
            .filter(|(key, _, hash)| self.letters.get(key).map(|l| l.0) != Some(*hash))
            .map(|(key, range, hash)| {
                (
                    key.clone(),
                    (*hash, letter_js(key, &terms[range.clone()], n)),
                )
            })
            .collect();
        self.letters.extend(made);
        self.letters
            .retain(|key, _| letters.iter().any(|(k, _, _)| k == key));
        letters
            .into_iter()
            .map(|(key, _, hash)| {
                let file = SearchFile {
                    path: format!("search/l-{}.js", key_name(&key)),
                    hash,
                };
                (file, Body::Letter(key))
            })
            .collect()
    }

    /// The files of the index laid out by the last [`SearchCache::fill`], in order.
    pub(crate) fn files(&self) -> impl Iterator<Item = SearchFile> + '_ {
        self.files.iter().map(|(file, _)| file.clone())
    }

    /// One file of the index, by its path (one of [`SearchCache::files`]).
    pub(crate) fn render(&self, path: &str) -> String {
        let (_, body) = &self.files[self.by_path[path]];
        match body {
            Body::Text(text) => text.clone(),
            Body::Letter(key) => self.letters[key].1.clone(),
            Body::Records(k, range) => {
                let mut out = format!("medatlasShard(\"d-{k}\",");
                let records = self.keys[range.clone()]
                    .iter()
                    .map(|key| self.parts[key].record.as_str());
                push_list(&mut out, records);
                out.push_str(");\n");
                out
            }
            Body::Postings(key, range) => {
                let terms = &self.inverted.0[range.clone()];
                let words: Vec<&str> = terms.iter().map(|t| t.word.as_str()).collect();
                let mut out = format!(
                    "medatlasShard(\"p-{}\",{{\"terms\":{},\"postings\":[",
                    key_name(key),
                    serde_json::to_string(&words).expect("words serialise")
                );
                for (i, t) in terms.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push('"');
                    out.push_str(t.encoded.as_deref().expect("encoded by fill"));
                    out.push('"');
                }
                out.push_str("]});\n");
                out
            }
        }
    }
}

/// The core file: the facet lists and synonyms, each facet term's set of datasets
/// ([`doc_set`]), the years (`[first year, digits per year, each dataset's year minus the
/// first plus one, 0 for none]`) and the keys of the postings shards.
fn core_js(
    cores: &[&CoreDoc],
    facets: &Facets,
    synonyms: &[Vec<String>],
    shards: &[(String, Range<usize>)],
) -> String {
    let n = cores.len();
    let lengths = [
        &facets.modality,
        &facets.region,
        &facets.task,
        &facets.access,
        &facets.commercial,
        &facets.redistribution,
        &facets.label,
        &facets.annotation,
        &facets.method,
    ]
    .map(Vec::len);
    let mut sets: Vec<Vec<Vec<u32>>> = lengths.iter().map(|&l| vec![Vec::new(); l]).collect();
    for (d, core) in cores.iter().enumerate() {
        for (f, terms) in core.sets.iter().enumerate() {
            for &t in terms {
                sets[f][t as usize].push(d as u32);
            }
        }
    }
    let mut out = format!(
        "medatlasShard(\"core\",{{\"n\":{n},\"per\":{RECORDS_PER_FILE},\"facets\":{},\"synonyms\":{},\"sets\":{{",
        serde_json::to_string(facets).expect("the facets serialise"),
        serde_json::to_string(synonyms).expect("the synonyms serialise"),
    );
    for (f, key) in FACET_KEYS.iter().enumerate() {
        if f > 0 {
            out.push(',');
        }
        out.push_str(&format!("\"{key}\":["));
        for (t, docs) in sets[f].iter().enumerate() {
            if t > 0 {
                out.push(',');
            }
            out.push('"');
            out.push_str(&doc_set(docs, n));
            out.push('"');
        }
        out.push(']');
    }
    let years = cores.iter().filter_map(|c| c.year);
    let (first, last) = years.fold((i64::MAX, i64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let first = if first > last { 0 } else { first };
    let digits = width((last.max(first) - first + 1) as u64);
    let mut column = String::with_capacity(n * digits as usize);
    for core in cores {
        let value = core.year.map_or(0, |y| (y - first + 1) as u64);
        fixed(&mut column, value, digits);
    }
    let keys: Vec<&str> = shards.iter().map(|(k, _)| k.as_str()).collect();
    out.push_str(&format!(
        "}},\"years\":[{first},{digits},\"{column}\"],\"shards\":{}}});\n",
        serde_json::to_string(&keys).expect("keys serialise")
    ));
    out
}

/// A sort file: each dataset's place in the catalog sorted by `key` (a group first, then
/// the number, largest first, a dataset without one last; catalog order among equals), as
/// `[digits per place, the places]`.
fn sort_js(name: &str, cores: &[&CoreDoc], key: impl Fn(&CoreDoc) -> (u8, Option<u64>)) -> String {
    let keys: Vec<(u8, Option<u64>)> = cores.iter().map(|c| key(c)).collect();
    let mut order: Vec<usize> = (0..cores.len()).collect();
    order.sort_by(|&a, &b| {
        let ((ga, x), (gb, y)) = (keys[a], keys[b]);
        let by_number = match (x, y) {
            (Some(x), Some(y)) => y.cmp(&x),
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, None) => std::cmp::Ordering::Equal,
        };
        ga.cmp(&gb).then(by_number).then(a.cmp(&b))
    });
    let mut place = vec![0u64; cores.len()];
    for (i, &d) in order.iter().enumerate() {
        place[d] = i as u64;
    }
    let digits = width(cores.len().saturating_sub(1) as u64);
    let mut column = String::with_capacity(cores.len() * digits as usize);
    for p in place {
        fixed(&mut column, p, digits);
    }
    format!("medatlasShard(\"{name}\",[{digits},\"{column}\"]);\n")
}

/// A letter file: the words starting with `key` (one character), and per dataset holding
/// one, the best score of any (the field's rank doubled, plus one where the word is the
/// letter itself) as `(distance from the previous dataset) * 16 + score` [`varint`]s.
fn letter_js(key: &str, terms: &[Term], n: usize) -> String {
    let mut best = vec![0u8; n];
    for t in terms {
        let exact = u8::from(t.word == key);
        for &p in &t.postings {
            let (doc, score) = ((p >> 3) as usize, (p & 7) as u8 * 2 + exact);
            best[doc] = best[doc].max(score);
        }
    }
    let mut list = String::new();
    let mut last = 0;
    for (doc, &score) in best.iter().enumerate() {
        if score > 0 {
            varint(&mut list, (doc as u64 - last) * 16 + u64::from(score));
            last = doc as u64;
        }
    }
    let words: Vec<&str> = terms.iter().map(|t| t.word.as_str()).collect();
    format!(
        "medatlasShard(\"l-{}\",{{\"terms\":{},\"best\":\"{list}\"}});\n",
        key_name(key),
        serde_json::to_string(&words).expect("words serialise")
    )
}

/// A JSON array of items already in JSON.
fn push_list<'s>(out: &mut String, items: impl Iterator<Item = &'s str>) {
    out.push('[');
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(item);
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn british_spellings_fold_to_american_ones() {
        for (word, folded) in [
            ("tumour", "tumor"),
            ("tumours", "tumors"),
            ("centres", "centers"),
            ("catalogues", "catalogs"),
            ("haemorrhage", "hemorrhage"),
            ("paediatric", "pediatric"),
            ("anaemia", "anemia"),
            ("oesophagus", "esophagus"),
            ("oedema", "edema"),
            ("centre", "center"),
            ("catalogue", "catalog"),
            ("colour", "color"),
            ("tumor", "tumor"),
            ("four", "four"),
            ("hour", "hour"),
            ("aerial", "aerial"),
            ("does", "does"),
        ] {
            assert_eq!(fold(word), folded, "{word}");
        }
    }

    #[test]
    fn markdown_text_drops_link_targets_and_tags() {
        let text = markdown_text(
            "See [the paper](https://arxiv.org/abs/1) and <b>bold</b> (a note) <https://x.org>.",
        );
        let words: Vec<String> = words(&text).collect();
        assert_eq!(words, ["see", "the", "paper", "and", "bold", "a", "note"]);
    }
}
