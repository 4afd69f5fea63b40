//! Paths: the output paths of pages that other pages link to (one place makes each), and the
//! `/`-separated name of a file below a directory, as the catalog and the site name files.

use std::path::Path;

/// The output path of a dataset's page.
pub(crate) fn dataset_path(slug: &str) -> String {
    format!("datasets/{slug}.html")
}

/// The output path of a term's page, in its facet's directory: `modalities/x-ray.html`.
pub(crate) fn term_path(facet_dir: &str, id: &str) -> String {
    format!("{facet_dir}/{id}.html")
}

/// The name of `path` below `dir`, `/`-separated on every platform (`img/logo.png`), if it
/// is below it and valid UTF-8.
pub(crate) fn relative(dir: &Path, path: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = path
        .strip_prefix(dir)
        .ok()?
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}
