//! The output paths of pages that other pages link to: one place makes each.

/// The output path of a dataset's page.
pub(crate) fn dataset_path(slug: &str) -> String {
    format!("datasets/{slug}.html")
}

/// The output path of a term's page, in its facet's directory: `modalities/x-ray.html`.
pub(crate) fn term_path(facet_dir: &str, id: &str) -> String {
    format!("{facet_dir}/{id}.html")
}
