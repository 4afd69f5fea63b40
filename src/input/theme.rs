//! Theme: the catalog's look, read from `templates/` and `static/` over the defaults embedded
//! in the binary, and the template of new entries.
//!
//! A catalog's own `templates/NAME.html` replaces the default of the same name, and any other
//! `.html` file there is added (for a site's own includes). A file in `static/` is published
//! as it is, and may replace a default static file (`style.css`). Symbolic links are followed
//! only when they stay inside the catalog.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::error::Error;

use super::content::ThemeFiles;
use crate::common::paths::relative;

/// The default templates, embedded so that a catalog with no `templates/` still builds.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("dataset.html", include_str!("../../templates/dataset.html")),
    (
        "dataset_content.html",
        include_str!("../../templates/dataset_content.html"),
    ),
    ("finder.html", include_str!("../../templates/finder.html")),
    (
        "browse_terms.html",
        include_str!("../../templates/browse_terms.html"),
    ),
    (
        "class_table.html",
        include_str!("../../templates/class_table.html"),
    ),
    (
        "number_refs.html",
        include_str!("../../templates/number_refs.html"),
    ),
    (
        "catalog_table.html",
        include_str!("../../templates/catalog_table.html"),
    ),
    (
        "catalog_row.html",
        include_str!("../../templates/catalog_row.html"),
    ),
    (
        "catalog_columns.html",
        include_str!("../../templates/catalog_columns.html"),
    ),
    ("term.html", include_str!("../../templates/term.html")),
    ("labels.html", include_str!("../../templates/labels.html")),
    ("compare.html", include_str!("../../templates/compare.html")),
    ("lineage.html", include_str!("../../templates/lineage.html")),
    (
        "lineage_content.html",
        include_str!("../../templates/lineage_content.html"),
    ),
    ("single.html", include_str!("../../templates/single.html")),
    (
        "single_dataset.html",
        include_str!("../../templates/single_dataset.html"),
    ),
    ("tasks.html", include_str!("../../templates/tasks.html")),
    ("sizes.html", include_str!("../../templates/sizes.html")),
    ("all.html", include_str!("../../templates/all.html")),
    ("pager.html", include_str!("../../templates/pager.html")),
    ("404.html", include_str!("../../templates/404.html")),
];

/// The default static files, written to the output root unless the catalog's `static/` has a
/// file of the same name.
pub(crate) const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("early.js", include_bytes!("../../static/early.js")),
    ("catalog.js", include_bytes!("../../static/catalog.js")),
    ("compare.js", include_bytes!("../../static/compare.js")),
    ("dataset.js", include_bytes!("../../static/dataset.js")),
    ("matrix.js", include_bytes!("../../static/matrix.js")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("social.png", include_bytes!("../../static/social.png")),
];

/// The default static files only the single-file edition uses (the site does not publish
/// them); a catalog's `static/` may replace them too.
const SINGLE_FILE_STATIC: &[(&str, &[u8])] =
    &[("single.js", include_bytes!("../../static/single.js"))];

/// The default template for new entries.
pub(crate) const ENTRY_TEMPLATE: &str = include_str!("../../templates/new-entry.md");

/// The template sources: the defaults, each replaced by `root/templates/NAME.html` where
/// that exists, plus any other `.html` files there, by name.
pub(crate) fn templates(
    root: &Path,
    files: &ThemeFiles,
) -> Result<BTreeMap<String, String>, Error> {
    let mut sources: BTreeMap<String, String> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    for (name, path) in named(&root.join("templates"), &files.templates)? {
        if name.ends_with(".html") {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Error::caused_by(format!("cannot read {}", path.display()), e))?;
            sources.insert(name, text);
        }
    }
    Ok(sources)
}

/// Every file of the catalog's `templates/` (templates, the entry template, any other) with
/// its bytes, by path: what a build's digest covers of the templates (the defaults are part
/// of the binary).
pub(crate) fn template_files(files: &ThemeFiles) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    files
        .templates
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path)
                .map_err(|e| Error::caused_by(format!("cannot read {}", path.display()), e))?;
            Ok((path.to_string_lossy().into_owned(), bytes))
        })
        .collect()
}

/// A file the site publishes as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StaticFile {
    /// Its path in the site, `/`-separated: `img/logo.png`.
    pub(crate) name: String,
    pub(crate) bytes: Vec<u8>,
}

/// The static files: the embedded defaults, then the catalog's `static/` (whose files replace
/// defaults of the same name).
pub(crate) fn static_files(root: &Path, theme: &ThemeFiles) -> Result<Vec<StaticFile>, Error> {
    let mut files: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
        .iter()
        .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
        .collect();
    for (name, path) in named(&root.join("static"), &theme.statics)? {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::caused_by(format!("cannot read {}", path.display()), e))?;
        files.insert(name, bytes);
    }
    Ok(files
        .into_iter()
        .map(|(name, bytes)| StaticFile { name, bytes })
        .collect())
}

/// The static files the single-file edition draws on: the site's, and the defaults of its own
/// scripts where the catalog's `static/` does not replace them.
pub(crate) fn single_file_statics(
    root: &Path,
    theme: &ThemeFiles,
) -> Result<Vec<StaticFile>, Error> {
    let mut files = static_files(root, theme)?;
    for (name, bytes) in SINGLE_FILE_STATIC {
        if !files.iter().any(|f| f.name == *name) {
            files.push(StaticFile {
                name: (*name).to_string(),
                bytes: bytes.to_vec(),
            });
        }
    }
    Ok(files)
}

/// The template a catalog uses for new entries: its own `templates/new-entry.md`, or the
/// default.
pub(crate) fn entry_template(root: &Path) -> String {
    std::fs::read_to_string(root.join("templates/new-entry.md"))
        .unwrap_or_else(|_| ENTRY_TEMPLATE.to_string())
}

/// Each of `files` (found under `dir` by [`super::load`], whose walk reported the links it did
/// not follow) with its `/`-separated name below `dir`. A name that is not UTF-8 is an error.
fn named<'f>(dir: &Path, files: &'f [PathBuf]) -> Result<Vec<(String, &'f PathBuf)>, Error> {
    files
        .iter()
        .map(|path| {
            relative(dir, path).map(|name| (name, path)).ok_or_else(|| {
                Error::new(format!("{}: the file name is not UTF-8", path.display()))
            })
        })
        .collect()
}
