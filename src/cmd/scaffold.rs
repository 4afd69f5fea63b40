//! `medatlas new`: a new dataset entry from a template listing every field.
//!
//! The template is `templates/new-entry.md` (embedded; a catalog's own file of that name wins).
//! Its placeholders say `TODO`, which the checker reports as errors, so an entry cannot be
//! merged before every placeholder is replaced.

use std::path::{Path, PathBuf};

use crate::common::slug::is_valid_slug;

/// Why no entry was written.
#[derive(Debug)]
pub enum NewError {
    /// The slug is not lowercase letters and digits joined by hyphens.
    BadSlug(String),
    /// An entry with this slug exists (`.md` or `.toml`).
    Exists(PathBuf),
    /// The file system said no.
    Io(String),
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewError::BadSlug(slug) => write!(
                f,
                "`{slug}` is not a valid slug: use lowercase letters, digits and single hyphens, e.g. `my-dataset-2024`"
            ),
            NewError::Exists(path) => {
                write!(f, "{} already exists: nothing was written", path.display())
            }
            NewError::Io(message) => write!(f, "{message}"),
        }
    }
}

/// Write `content/datasets/<slug>.md` from the template; never overwrites.
pub fn new_entry(root: &Path, slug: &str) -> Result<PathBuf, NewError> {
    if !is_valid_slug(slug) {
        return Err(NewError::BadSlug(slug.to_string()));
    }
    let content = root.join("content");
    if !content.is_dir() {
        return Err(NewError::Io(format!(
            "no content directory at {}: run medatlas in a catalog, or pass --root DIR",
            content.display()
        )));
    }
    let dir = content.join("datasets");
    for extension in ["md", "toml"] {
        let existing = dir.join(format!("{slug}.{extension}"));
        if existing.exists() {
            return Err(NewError::Exists(existing));
        }
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| NewError::Io(format!("cannot create {}: {e}", dir.display())))?;
    let inside = crate::common::guard::resolve(&dir)
        .and_then(|d| Ok(d.starts_with(crate::common::guard::resolve(root)?)))
        .map_err(|e| NewError::Io(format!("cannot resolve {}: {e}", dir.display())))?;
    if !inside {
        return Err(NewError::Io(format!(
            "{} is a symbolic link out of the catalog: nothing was written",
            dir.display()
        )));
    }
    let path = dir.join(format!("{slug}.md"));
    // create_new: even a file appearing meanwhile is never overwritten.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => NewError::Exists(path.clone()),
            _ => NewError::Io(format!("cannot write {}: {e}", path.display())),
        })?;
    std::io::Write::write_all(
        &mut file,
        crate::input::theme::entry_template(root).as_bytes(),
    )
    .map_err(|e| NewError::Io(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}
