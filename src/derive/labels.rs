//! Labels across datasets: which canonical finding of labels.toml a dataset's label means.
//!
//! "Effusion" in ChestX-ray14 and "Pleural Effusion" in CheXpert are one finding; "Mass" and
//! "Lung Lesion" overlap but are not equal. Matching ignores case and treats `_` as a space, so
//! `Pleural_Thickening` meets "Pleural Thickening" without a synonym. A label that matches no
//! finding stands on its own.

use std::collections::HashMap;

use crate::model::{Dataset, Finding};

pub(crate) use crate::common::label::normalize;

/// The findings of labels.toml, looked up by any of their names.
pub(crate) struct LabelIndex {
    pub(crate) findings: Vec<Finding>,
    /// Each finding's id (its row of the label matrix, its facet value), in the same order.
    pub(crate) ids: Vec<String>,
    by_name: HashMap<String, usize>,
    /// For each finding, the findings whose `related` names it.
    related_of_finding: Vec<Vec<usize>>,
    /// Normalized labels that match no finding, with the findings whose `related` names them.
    related_of_label: HashMap<String, Vec<usize>>,
    /// Every label of the catalog, resolved once (labels repeat across thousands of entries).
    cache: ahash::AHashMap<String, Resolved>,
    /// The labels of the catalog that match no finding, each spelling once, in the order the
    /// catalog first uses them.
    own: Vec<String>,
}

/// What a dataset's label is, in terms of labels.toml.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Meaning {
    /// Equal to this finding (by name or synonym).
    Finding(usize),
    /// Matches no finding: stands on its own (normalized label).
    Own(String),
}

/// A label's meaning and the findings it overlaps without being equal to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    pub(crate) meaning: Meaning,
    pub(crate) related: Vec<usize>,
}

impl LabelIndex {
    /// Index the findings, and resolve every label the datasets use.
    pub(crate) fn new(findings: &[Finding], datasets: &[Dataset]) -> Self {
        let mut by_name = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            for name in std::iter::once(&f.name).chain(&f.synonyms) {
                by_name.entry(normalize(name)).or_insert(i);
            }
        }
        let mut related_of_finding = vec![Vec::new(); findings.len()];
        let mut related_of_label: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            for related in &f.related {
                let key = normalize(related);
                match by_name.get(&key) {
                    Some(&g) if g != i => related_of_finding[g].push(i),
                    Some(_) => {}
                    None => related_of_label.entry(key).or_default().push(i),
                }
            }
        }
        let mut index = LabelIndex {
            findings: findings.to_vec(),
            ids: findings
                .iter()
                .map(|f| crate::common::slug::label_id(&f.name))
                .collect(),
            by_name,
            related_of_finding,
            related_of_label,
            cache: ahash::AHashMap::new(),
            own: Vec::new(),
        };
        let mut cache = ahash::AHashMap::new();
        for dataset in datasets {
            for label in dataset_label_names(dataset) {
                if !cache.contains_key(label) {
                    let resolved = index.resolve_uncached(label);
                    if let Meaning::Own(_) = resolved.meaning {
                        index.own.push(label.to_string());
                    }
                    cache.insert(label.to_string(), resolved);
                }
            }
        }
        index.cache = cache;
        index
    }

    /// The labels of the catalog that match no finding, each spelling once, in the order the
    /// catalog first uses them.
    pub(crate) fn own_labels(&self) -> &[String] {
        &self.own
    }

    fn resolve_uncached(&self, label: &str) -> Resolved {
        let key = normalize(label);
        match self.by_name.get(&key) {
            Some(&i) => Resolved {
                meaning: Meaning::Finding(i),
                related: self.related_of_finding[i].clone(),
            },
            None => Resolved {
                related: self.related_of_label.get(&key).cloned().unwrap_or_default(),
                meaning: Meaning::Own(key),
            },
        }
    }

    /// What `label` means and which findings it overlaps.
    pub(crate) fn resolve(&self, label: &str) -> std::borrow::Cow<'_, Resolved> {
        match self.cache.get(label) {
            Some(resolved) => std::borrow::Cow::Borrowed(resolved),
            None => std::borrow::Cow::Owned(self.resolve_uncached(label)),
        }
    }

    #[cfg(test)]
    pub(crate) fn meaning(&self, label: &str) -> Meaning {
        self.resolve(label).meaning.clone()
    }

    /// The name a label is shown under across datasets: its finding, or itself.
    /// The id of what a label names: its finding's, or its own (that of its canonical name).
    pub(crate) fn id(&self, label: &str) -> std::borrow::Cow<'_, str> {
        match &self.resolve(label).meaning {
            Meaning::Finding(i) => std::borrow::Cow::Borrowed(&self.ids[*i]),
            Meaning::Own(_) => {
                std::borrow::Cow::Owned(crate::common::slug::label_id(&label.replace('_', " ")))
            }
        }
    }

    pub(crate) fn canonical_name(&self, label: &str) -> String {
        match &self.resolve(label).meaning {
            Meaning::Finding(i) => self.findings[*i].name.clone(),
            Meaning::Own(_) => label.replace('_', " "),
        }
    }
}

impl crate::model::Catalog {
    /// Every label of the entries (their `labels` and the labels of every class table) that is
    /// neither the name nor a synonym of a finding of labels.toml, as (slug, label), each
    /// spelling once per entry. A finding's `related` list does not count: it says what a label
    /// overlaps, not what it is.
    pub fn labels_without_finding(&self) -> Vec<(&str, &str)> {
        let index = LabelIndex::new(&self.findings, &[]);
        let mut out = Vec::new();
        for dataset in &self.datasets {
            let tables = dataset.class_counts.iter().flat_map(|t| &t.labels);
            let labels = tables.map(|(label, _)| label.as_str()).chain(
                dataset
                    .labels
                    .iter()
                    .flat_map(|l| &l.value)
                    .map(String::as_str),
            );
            let mut seen = std::collections::HashSet::new();
            for label in labels {
                let own = matches!(index.resolve(label).meaning, Meaning::Own(_));
                if own && seen.insert(normalize(label)) {
                    out.push((dataset.slug.as_str(), label));
                }
            }
        }
        out
    }
}

/// A dataset's labels with their count in the table comparisons show
/// ([`crate::model::ClassTable::compared`]; the Total column), followed by labels named only in
/// `labels`; in file order, without repeats.
pub(crate) fn dataset_labels(dataset: &Dataset) -> Vec<(String, Option<u64>)> {
    let mut out: Vec<(String, Option<u64>)> = Vec::new();
    if let Some((_, table)) = crate::model::ClassTable::compared(&dataset.class_counts) {
        for (label, counts) in &table.labels {
            out.push((
                label.clone(),
                crate::common::number::total(counts.iter().copied()),
            ));
        }
    }
    if dataset.labels.as_ref().is_none_or(|l| l.value.is_empty()) {
        return out;
    }
    let mut seen: std::collections::HashSet<String> =
        out.iter().map(|(l, _)| normalize(l)).collect();
    for label in dataset.labels.iter().flat_map(|l| &l.value) {
        if seen.insert(normalize(label)) {
            out.push((label.clone(), None));
        }
    }
    out
}

/// The labels of [`dataset_labels`], without their counts.
pub(crate) fn dataset_label_names(dataset: &Dataset) -> Vec<&str> {
    let mut out: Vec<&str> = crate::model::ClassTable::compared(&dataset.class_counts)
        .map(|(_, table)| {
            table
                .labels
                .iter()
                .map(|(label, _)| label.as_str())
                .collect()
        })
        .unwrap_or_default();
    if dataset.labels.as_ref().is_none_or(|l| l.value.is_empty()) {
        return out;
    }
    let mut seen: std::collections::HashSet<String> = out.iter().map(|l| normalize(l)).collect();
    for label in dataset.labels.iter().flat_map(|l| &l.value) {
        if seen.insert(normalize(label)) {
            out.push(label);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(name: &str, synonyms: &[&str], related: &[&str]) -> Finding {
        Finding {
            name: name.into(),
            synonyms: synonyms
                .iter()
                .map(std::string::ToString::to_string)
                .collect(),
            related: related
                .iter()
                .map(std::string::ToString::to_string)
                .collect(),
        }
    }

    #[test]
    fn synonyms_case_and_underscores_meet() {
        let index = LabelIndex::new(
            &[
                finding("Pleural Effusion", &["Effusion"], &[]),
                finding("Pleural Thickening", &[], &[]),
                finding("Lung Lesion", &[], &["Mass", "Nodule"]),
                finding("Mass", &[], &[]),
            ],
            &[],
        );
        assert_eq!(index.meaning("Effusion"), Meaning::Finding(0));
        assert_eq!(index.meaning("pleural  effusion"), Meaning::Finding(0));
        assert_eq!(index.meaning("Pleural_Thickening"), Meaning::Finding(1));
        assert_eq!(index.meaning("Hernia"), Meaning::Own("hernia".into()));
        assert_eq!(
            index.resolve("Mass").related,
            [2],
            "Mass is a finding listed as related"
        );
        assert_eq!(
            index.resolve("nodule").related,
            [2],
            "Nodule is a free label listed as related"
        );
        assert!(index.resolve("Effusion").related.is_empty());
        assert_eq!(index.canonical_name("Effusion"), "Pleural Effusion");
        assert_eq!(index.canonical_name("Hernia_X"), "Hernia X");
    }
}
