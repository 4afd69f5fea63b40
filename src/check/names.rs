//! Names: two entries must not share a `name` (ignoring case and spaces around it), or a
//! reader could not tell their pages apart.

use std::collections::HashMap;

use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::{Catalog, Dataset};

/// A `duplicate-name` error at each entry whose name an earlier entry (in path order) has.
pub(crate) fn duplicate_names(catalog: &Catalog, sources: &[Source]) -> Vec<Diagnostic> {
    let keys: Vec<String> = catalog
        .datasets
        .iter()
        .map(|d| d.name.trim().to_lowercase())
        .collect();
    // Names that more than one entry has; usually none, so the sort below is rare.
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(keys.len());
    for key in &keys {
        *seen.entry(key).or_default() += 1;
    }
    let mut datasets: Vec<(&Dataset, &String)> = catalog
        .datasets
        .iter()
        .zip(&keys)
        .filter(|(_, key)| seen[key.as_str()] > 1)
        .collect();
    datasets.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let mut first: HashMap<&str, &str> = HashMap::new();
    let mut out = Vec::new();
    for (dataset, key) in datasets {
        if key.is_empty() {
            continue;
        }
        if let Some(earlier) = first.get(key.as_str()) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateName,
                    &sources[dataset.source],
                    dataset.name_span.clone(),
                    format!("name \"{}\" is already used by {earlier}", dataset.name),
                )
                .with_help("give each dataset its own name; if both files describe the same dataset, merge them"),
            );
        } else {
            first.insert(key, &dataset.path);
        }
    }
    out
}
