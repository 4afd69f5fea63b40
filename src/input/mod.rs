//! Input: every read of the catalog's files, the first stage of the pipeline.
//!
//! [`content`] reads `content/` into sources for the parser; [`theme`] reads `templates/` and
//! `static/` over the embedded defaults, and the template of new entries; [`placement`] tells
//! the files of `content/` that are read from those reported as misplaced; [`walk`] lists the
//! files of a directory, following symbolic links only where they stay inside the catalog.
//! No later stage opens a file of the catalog: they get what this stage read.

pub(crate) mod content;
pub(crate) mod placement;
pub mod theme;
pub(crate) mod walk;

pub use content::{ContentFiles, MAX_FILE_BYTES, load, reload};

use std::path::{Path, PathBuf};

/// The catalog's directories: a change under one of them is a change to the site.
pub(crate) const CATALOG_DIRS: [&str; 3] = ["content", "templates", "static"];

/// Every file under the catalog's directories (without following symbolic links), for the
/// development server to tell which files changed.
pub(crate) fn catalog_files(root: &Path) -> Vec<PathBuf> {
    CATALOG_DIRS
        .iter()
        .flat_map(|dir| walkdir::WalkDir::new(root.join(dir)).into_iter().flatten())
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect()
}
