//! Write: put the rendered site on disk, all or nothing.
//!
//! Pages are written into a new sibling directory of the output (`.NAME.medatlas-new`), with the
//! static files and a marker file. Only when every write succeeded is it swapped in place of
//! the previous output, so a failed or interrupted build never leaves a half-written site.
//! A directory without the marker was not made by medatlas and is never replaced unless the
//! user passes `--force`; nothing outside the output directory and its staging siblings is
//! ever deleted.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::render::{DEFAULT_STATIC, Page};

/// Written into every output directory medatlas creates.
pub const MARKER: &str = ".medatlas-output";

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output exists and was not made by medatlas.
    NotOurs(PathBuf),
    /// The output would contain the catalog itself.
    Unsafe(PathBuf),
    Io(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotOurs(p) => write!(
                f,
                "{} exists and was not created by medatlas (no {MARKER} file in it); \
                 choose another --output, or pass --force to replace it",
                p.display()
            ),
            WriteError::Unsafe(p) => write!(
                f,
                "refusing to write the site to {}: it contains the catalog itself; choose an --output outside content/, templates/ and static/",
                p.display()
            ),
            WriteError::Io(e) => write!(f, "{e}"),
        }
    }
}

fn io_err(what: &str, path: &Path) -> impl FnOnce(io::Error) -> WriteError {
    let message = format!("cannot {what} {}", path.display());
    move |e| WriteError::Io(format!("{message}: {e}"))
}

/// Write `pages` and the static files to `output`, replacing a previous medatlas output.
pub fn write_site(
    pages: &[Page],
    root: &Path,
    output: &Path,
    force: bool,
) -> Result<(), WriteError> {
    let output = absolute(output)?;
    refuse_unsafe(root, &output)?;
    if output.exists() && !output.join(MARKER).is_file() && !force {
        return Err(WriteError::NotOurs(output));
    }
    let parent = output
        .parent()
        .ok_or_else(|| WriteError::Unsafe(output.clone()))?;
    fs::create_dir_all(parent).map_err(io_err("create", parent))?;
    let name = output
        .file_name()
        .expect("absolute output has a name")
        .to_string_lossy();
    let staging = parent.join(format!(".{name}.medatlas-new"));
    let retired = parent.join(format!(".{name}.medatlas-old"));
    for leftover in [&staging, &retired] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(io_err("remove", leftover))?;
        }
    }
    let written = write_tree(pages, root, &staging);
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if output.exists() {
        fs::rename(&output, &retired).map_err(io_err("move aside", &output))?;
    }
    if let Err(e) = fs::rename(&staging, &output) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&retired, &output);
        return Err(io_err("move into place", &output)(e));
    }
    if retired.exists() {
        fs::remove_dir_all(&retired).map_err(io_err("remove", &retired))?;
    }
    Ok(())
}

fn absolute(path: &Path) -> Result<PathBuf, WriteError> {
    std::path::absolute(path).map_err(io_err("resolve", path))
}

/// The output must not be the catalog root, contain it, or sit inside its sources.
fn refuse_unsafe(root: &Path, output: &Path) -> Result<(), WriteError> {
    let root = absolute(root)?;
    let inside_sources = ["content", "templates", "static"]
        .iter()
        .any(|dir| output.starts_with(root.join(dir)));
    if root.starts_with(output) || inside_sources || output.parent().is_none() {
        return Err(WriteError::Unsafe(output.to_path_buf()));
    }
    Ok(())
}

fn write_tree(pages: &[Page], root: &Path, dir: &Path) -> Result<(), WriteError> {
    fs::create_dir_all(dir.join("datasets")).map_err(io_err("create", dir))?;
    pages.par_iter().try_for_each(|page| {
        let path = dir.join(&page.path);
        fs::write(&path, &page.html).map_err(io_err("write", &path))
    })?;
    for (name, bytes) in DEFAULT_STATIC {
        let path = dir.join(name);
        fs::write(&path, bytes).map_err(io_err("write", &path))?;
    }
    copy_static(&root.join("static"), dir)?;
    let marker = dir.join(MARKER);
    fs::write(
        &marker,
        "This directory is written by medatlas build and replaced on every build.\n",
    )
    .map_err(io_err("write", &marker))
}

/// Copy the catalog's `static/` verbatim into the output root.
fn copy_static(from: &Path, to: &Path) -> Result<(), WriteError> {
    if !from.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(from).min_depth(1).sort_by_file_name() {
        let entry =
            entry.map_err(|e| WriteError::Io(format!("cannot list {}: {e}", from.display())))?;
        let relative = entry
            .path()
            .strip_prefix(from)
            .expect("walkdir stays under its root");
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).map_err(io_err("create", &target))?;
        } else {
            fs::copy(entry.path(), &target).map_err(io_err("copy", entry.path()))?;
        }
    }
    Ok(())
}
