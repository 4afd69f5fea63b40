//! Names: two entries must not share a `name` (ignoring case and spaces around it), or a
//! reader could not tell their pages apart.

use std::collections::HashMap;

use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Catalog;

/// A `duplicate-name` error at each entry whose name an earlier entry (in path order) has.
pub(crate) fn duplicate_names(catalog: &Catalog, sources: &[Source]) -> Vec<Diagnostic> {
    let mut datasets: Vec<_> = catalog.datasets.iter().collect();
    datasets.sort_by(|a, b| a.path.cmp(&b.path));
    let mut first: HashMap<String, &str> = HashMap::new();
    let mut out = Vec::new();
    for dataset in datasets {
        let key = dataset.name.trim().to_lowercase();
        if key.is_empty() {
            continue;
        }
        if let Some(earlier) = first.get(&key) {
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
