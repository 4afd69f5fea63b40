//! Walk: the files under a directory of the catalog, following symbolic links only where they
//! stay inside it.

use std::path::{Path, PathBuf};

use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};

/// What [`walk`] found: the files, and the symbolic links it did not follow.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    /// Every file, as named under the walked directory, in name order.
    pub(crate) files: Vec<PathBuf>,
    pub(crate) problems: Vec<LinkProblem>,
}

/// A symbolic link that is not followed: broken, looping, or pointing outside the catalog.
#[derive(Debug)]
pub(crate) struct LinkProblem {
    pub(crate) path: PathBuf,
    pub(crate) reason: String,
}

impl LinkProblem {
    pub(crate) fn diagnostic(&self, root: &Path) -> Diagnostic {
        let display = display_path(root, &self.path);
        let placeholder = Source::new(display.clone(), "");
        Diagnostic::error(
            Code::UnsafeSymlink,
            &placeholder,
            0..0,
            format!("{display} is a symbolic link that {}", self.reason),
        )
        .with_help(
            "replace the link with the file itself, or point it at a file inside the catalog",
        )
    }
}

impl std::fmt::Display for LinkProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is a symbolic link that {}",
            self.path.display(),
            self.reason
        )
    }
}

/// Every file under `dir`, down to `max_depth` levels, in name order. Symbolic links are
/// followed only when they resolve inside the catalog at `root` (and do not loop); the others
/// are reported, never read. Nothing is returned for a `dir` that does not exist.
pub(crate) fn walk(root: &Path, dir: &Path, max_depth: usize) -> Result<Walked, String> {
    let mut walked = Walked::default();
    if std::fs::symlink_metadata(dir).is_err() {
        return Ok(walked);
    }
    let root = std::fs::canonicalize(root)
        .map_err(|e| format!("cannot resolve {}: {e}", root.display()))?;
    walk_dir(&root, dir, max_depth, &mut Vec::new(), &mut walked)?;
    Ok(walked)
}

fn walk_dir(
    root: &Path,
    dir: &Path,
    max_depth: usize,
    chain: &mut Vec<PathBuf>,
    walked: &mut Walked,
) -> Result<(), String> {
    let real = match link_target(root, dir, chain) {
        Ok(real) => real,
        Err(reason) => {
            walked.problems.push(LinkProblem {
                path: dir.to_path_buf(),
                reason,
            });
            return Ok(());
        }
    };
    if !real.is_dir() {
        return Ok(());
    }
    chain.push(real.clone());
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(max_depth)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let kind = entry.file_type();
        if kind.is_file() {
            walked.files.push(entry.path().to_path_buf());
        } else if kind.is_symlink() {
            let real_parent = entry
                .path()
                .parent()
                .and_then(|p| p.strip_prefix(dir).ok())
                .map_or(real.clone(), |inner| real.join(inner));
            chain.push(real_parent);
            let target = link_target(root, entry.path(), chain);
            chain.pop();
            match target {
                Err(reason) => walked.problems.push(LinkProblem {
                    path: entry.path().to_path_buf(),
                    reason,
                }),
                Ok(target) if target.is_dir() => {
                    if let Some(left) = max_depth.checked_sub(entry.depth()).filter(|&l| l > 0) {
                        walk_dir(root, entry.path(), left, chain, walked)?;
                    }
                }
                Ok(target) if target.is_file() => walked.files.push(entry.path().to_path_buf()),
                Ok(_) => {}
            }
        }
    }
    chain.pop();
    Ok(())
}

/// Where `path` really is, if that is inside `root` and not a directory it is already inside
/// (`chain`: the real directories being walked).
fn link_target(root: &Path, path: &Path, chain: &[PathBuf]) -> Result<PathBuf, String> {
    let target = std::fs::canonicalize(path).map_err(|_| "is broken or loops".to_string())?;
    if !target.starts_with(root) {
        return Err(format!(
            "points outside the catalog, to {}",
            target.display()
        ));
    }
    if chain.iter().any(|dir| dir.starts_with(&target)) {
        return Err("points to a directory that contains it (a loop)".to_string());
    }
    Ok(target)
}

/// `content/datasets/x.md`: relative to the root, with `/` separators on every platform.
pub(crate) fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
