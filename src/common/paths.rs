//! The output paths of pages that other pages link to: one place makes each.

use crate::model::Facet;

/// The output path of a dataset's page.
pub fn dataset_path(slug: &str) -> String {
    format!("datasets/{slug}.html")
}

/// The output path of a term's page: `modalities/x-ray.html`.
pub fn term_path(facet: Facet, id: &str) -> String {
    format!("{}/{id}.html", facet.dir())
}
