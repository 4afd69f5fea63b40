//! Labels across datasets: which canonical finding of labels.toml a dataset's label means.
//!
//! "Effusion" in ChestX-ray14 and "Pleural Effusion" in CheXpert are one finding; "Mass" and
//! "Lung Lesion" overlap but are not equal. Matching ignores case and treats `_` as a space, so
//! `Pleural_Thickening` meets "Pleural Thickening" without a synonym. A label that matches no
//! finding stands on its own.

use std::collections::HashMap;

use crate::model::{Dataset, Finding};

/// Lowercase, `_` as space, inner whitespace collapsed.
pub fn normalize(label: &str) -> String {
    label
        .replace('_', " ")
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The findings of labels.toml, looked up by any of their names.
pub struct LabelIndex {
    pub findings: Vec<Finding>,
    by_name: HashMap<String, usize>,
    /// For each finding, the findings (or free labels, normalized) it overlaps with.
    related: Vec<Vec<String>>,
}

/// What a dataset's label is, in terms of labels.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    /// Equal to this finding (by name or synonym).
    Finding(usize),
    /// Matches no finding: stands on its own (normalized label).
    Own(String),
}

impl LabelIndex {
    pub fn new(findings: &[Finding]) -> Self {
        let mut by_name = HashMap::new();
        for (i, f) in findings.iter().enumerate() {
            for name in std::iter::once(&f.name).chain(&f.synonyms) {
                by_name.entry(normalize(name)).or_insert(i);
            }
        }
        let related = findings
            .iter()
            .map(|f| f.related.iter().map(|r| normalize(r)).collect())
            .collect();
        LabelIndex {
            findings: findings.to_vec(),
            by_name,
            related,
        }
    }

    pub fn meaning(&self, label: &str) -> Meaning {
        let key = normalize(label);
        match self.by_name.get(&key) {
            Some(&i) => Meaning::Finding(i),
            None => Meaning::Own(key),
        }
    }

    /// Is `label` listed as related to (overlapping) finding `finding`?
    pub fn is_related(&self, finding: usize, label: &str) -> bool {
        let key = normalize(label);
        let meaning = self.meaning(label);
        self.related[finding].iter().any(|r| {
            *r == key || matches!(meaning, Meaning::Finding(i) if self.by_name.get(r) == Some(&i))
        })
    }
}

/// A dataset's labels with their count in its first table that lists labels (the Total column),
/// followed by labels named only in `labels`; in file order, without repeats.
pub fn dataset_labels(dataset: &Dataset) -> Vec<(String, Option<u64>)> {
    let mut out: Vec<(String, Option<u64>)> = Vec::new();
    if let Some(table) = dataset.class_counts.iter().find(|t| !t.labels.is_empty()) {
        for (label, counts) in &table.labels {
            out.push((label.clone(), Some(counts.iter().sum())));
        }
    }
    for label in dataset.labels.iter().flat_map(|l| &l.value) {
        if !out.iter().any(|(l, _)| normalize(l) == normalize(label)) {
            out.push((label.clone(), None));
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
            synonyms: synonyms.iter().map(|s| s.to_string()).collect(),
            related: related.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn synonyms_case_and_underscores_meet() {
        let index = LabelIndex::new(&[
            finding("Pleural Effusion", &["Effusion"], &[]),
            finding("Pleural Thickening", &[], &[]),
            finding("Lung Lesion", &[], &["Mass", "Nodule"]),
            finding("Mass", &[], &[]),
        ]);
        assert_eq!(index.meaning("Effusion"), Meaning::Finding(0));
        assert_eq!(index.meaning("pleural  effusion"), Meaning::Finding(0));
        assert_eq!(index.meaning("Pleural_Thickening"), Meaning::Finding(1));
        assert_eq!(index.meaning("Hernia"), Meaning::Own("hernia".into()));
        assert!(index.is_related(2, "Mass"));
        assert!(index.is_related(2, "nodule"));
        assert!(!index.is_related(2, "Effusion"));
    }
}
