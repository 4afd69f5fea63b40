//! Write: put the rendered site on disk, all or nothing.
//!
//! Pages are written into a staging directory beside the output (`.NAME.medatlas-next`), with
//! the static files and a marker file. Only when every write succeeded is the staging directory
//! swapped in place of the previous output, so a failed or interrupted build never leaves a
//! half-written site. The previous output then becomes the staging directory of the next build:
//! rewriting existing files in place is several times faster on ext4 than creating 10,000 new
//! ones, and files that a build no longer produces are removed from it before the swap.
//!
//! A directory without the marker was not made by medatlas and is never replaced unless the
//! user passes `--force`; nothing is deleted outside the output and its staging sibling.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::render::DEFAULT_STATIC;

/// Written into every output directory medatlas creates.
pub const MARKER: &str = ".medatlas-output";

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output (or its staging sibling) exists and was not made by medatlas.
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

/// A staging directory being filled with the next site. Pages are written into it as soon as
/// they are rendered (from any thread); [`Staging::commit`] then adds the static files, removes
/// what an earlier build left that this one did not write, and swaps it into place.
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    written: Mutex<HashSet<PathBuf>>,
    directories: Mutex<HashSet<PathBuf>>,
}

impl Staging {
    /// Check that `output` may be replaced and prepare its staging directory.
    pub fn open(root: &Path, output: &Path, force: bool) -> Result<Staging, WriteError> {
        let output = absolute(output)?;
        refuse_unsafe(root, &output)?;
        if output.exists() && !ours(&output) && !force {
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
        let dir = parent.join(format!(".{name}.medatlas-next"));
        if dir.exists() && !ours(&dir) {
            return Err(WriteError::NotOurs(dir));
        }
        fs::create_dir_all(&dir).map_err(io_err("create", &dir))?;
        // The marker goes first: from now on the directory is ours, whatever happens. On failure
        // it may stay half-written: it is hidden, and rewritten by the next build.
        let marker = dir.join(MARKER);
        fs::write(
            &marker,
            "This directory is written by medatlas build and replaced on every build.\n",
        )
        .map_err(io_err("write", &marker))?;
        Ok(Staging {
            output,
            written: Mutex::new(HashSet::from([PathBuf::from(MARKER)])),
            directories: Mutex::new(HashSet::from([dir.clone()])),
            dir,
        })
    }

    /// Write one file of the site, `relative` to its root (`datasets/x.html`).
    pub fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let path = self.dir.join(relative);
        if let Some(parent) = path.parent() {
            let known = self
                .directories
                .lock()
                .expect("not poisoned")
                .contains(parent);
            if !known {
                fs::create_dir_all(parent).map_err(io_err("create", parent))?;
                self.directories
                    .lock()
                    .expect("not poisoned")
                    .insert(parent.to_path_buf());
            }
        }
        write_if_changed(&path, bytes)?;
        self.written
            .lock()
            .expect("not poisoned")
            .insert(PathBuf::from(relative));
        Ok(())
    }

    /// Add the static files (the embedded defaults, then the catalog's `static/`), remove files
    /// an earlier build left, and put the staging directory in place of the output.
    pub fn commit(self, root: &Path) -> Result<(), WriteError> {
        for (name, bytes) in DEFAULT_STATIC {
            self.write(name, bytes)?;
        }
        let mut written = self.written.into_inner().expect("not poisoned");
        copy_static(&root.join("static"), &self.dir, &mut written)?;
        remove_stale(&self.dir, &written)?;
        swap(&self.output, &self.dir)
    }
}

/// Write one file straight into a live site (the development server's quick rebuilds), only
/// if its bytes changed.
pub fn write_in_place(dir: &Path, relative: &str, bytes: &[u8]) -> Result<(), WriteError> {
    let path = dir.join(relative);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err("create", parent))?;
    }
    write_if_changed(&path, bytes)
}

/// Put `staging` in place of `output`; the previous output becomes the next staging directory.
fn swap(output: &Path, staging: &Path) -> Result<(), WriteError> {
    if !output.exists() {
        return fs::rename(staging, output).map_err(io_err("move into place", output));
    }
    let previous = output.with_file_name(format!(
        ".{}.medatlas-previous",
        output.file_name().expect("named").to_string_lossy()
    ));
    if previous.exists() {
        fs::remove_dir_all(&previous).map_err(io_err("remove", &previous))?;
    }
    fs::rename(output, &previous).map_err(io_err("move aside", output))?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&previous, output);
        return Err(io_err("move into place", output)(e));
    }
    if ours(&previous) {
        fs::rename(&previous, staging).map_err(io_err("keep", &previous))
    } else {
        // A directory replaced with --force is not ours to reuse.
        fs::remove_dir_all(&previous).map_err(io_err("remove", &previous))
    }
}

fn ours(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
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

/// Write a file unless it already holds exactly these bytes (it often does: the staging
/// directory holds an earlier build). Reading is much cheaper than writing here, and unchanged
/// files keep their modification time, which helps hosts and sync tools.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let unchanged = fs::metadata(path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes);
    if unchanged {
        return Ok(());
    }
    fs::write(path, bytes).map_err(io_err("write", path))
}

/// Remove files (and then empty directories) of an earlier build that this one did not write.
fn remove_stale(dir: &Path, written: &HashSet<PathBuf>) -> Result<(), WriteError> {
    let mut directories = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry =
            entry.map_err(|e| WriteError::Io(format!("cannot list {}: {e}", dir.display())))?;
        let relative = entry.path().strip_prefix(dir).expect("under dir");
        if entry.file_type().is_dir() {
            directories.push(entry.path().to_path_buf());
        } else if !written.contains(relative) {
            fs::remove_file(entry.path()).map_err(io_err("remove", entry.path()))?;
        }
    }
    for directory in directories.iter().rev() {
        let empty = fs::read_dir(directory)
            .map_err(io_err("list", directory))?
            .next()
            .is_none();
        if empty {
            fs::remove_dir(directory).map_err(io_err("remove", directory))?;
        }
    }
    Ok(())
}

/// Copy the catalog's `static/` verbatim into the output root.
fn copy_static(from: &Path, to: &Path, written: &mut HashSet<PathBuf>) -> Result<(), WriteError> {
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
            written.insert(relative.to_path_buf());
        }
    }
    Ok(())
}
