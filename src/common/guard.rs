//! Guard: which directory a build may replace, and which paths it may write inside it.
//!
//! Used by [`crate::output`] before anything touches the disk. An output path is first resolved
//! as the kernel would (the working directory prepended, `..` and every symbolic link followed),
//! then refused, with or without `--force`, when replacing it could destroy something that is
//! not a site: the file system root and its top-level directories, the operating system's own
//! directories, the home directory, the working directory, the catalog and any directory
//! holding one of them, the catalog's sources, Git repositories, and anything that is not a
//! directory. Inside the output, every file is written through [`join_inside`], which
//! accepts only plain relative paths, so no name taken from content can leave the output. The
//! single-file edition's path is refused in the same places ([`Protected::check_file`]), and
//! where it is a directory.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Why an output directory may not be replaced, or a file not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub path: PathBuf,
    pub reason: String,
    /// Whether `path` is the output itself (or else a file inside it).
    pub is_output: bool,
    /// Whether the output is the single-file edition (`--single-file`) rather than a site.
    pub single_file: bool,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_output && self.single_file {
            write!(
                f,
                "refusing to write the single file to {}: {}; choose another --single-file path (--force does not change this)",
                self.path.display(),
                self.reason
            )
        } else if self.is_output {
            write!(
                f,
                "refusing to write the site to {}: {}; choose another --output (--force does not change this)",
                self.path.display(),
                self.reason
            )
        } else {
            write!(
                f,
                "refusing to write {} in the site: {}; rename the file or entry it comes from",
                self.path.display(),
                self.reason
            )
        }
    }
}

/// `path` made absolute and resolved as the kernel resolves it: `.` dropped, symbolic links
/// followed, `..` taken from the resolved parent. Components that do not exist yet are kept as
/// written (a `..` after one of them goes back one written component).
pub(crate) fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut resolved = PathBuf::new();
    let mut exists = true;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                if !exists {
                    continue;
                }
                match fs::symlink_metadata(&resolved) {
                    Ok(meta) if meta.file_type().is_symlink() => {
                        resolved = fs::canonicalize(&resolved).map_err(|e| {
                            io::Error::new(
                                e.kind(),
                                format!("{} is a broken symbolic link", resolved.display()),
                            )
                        })?;
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => exists = false,
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(resolved)
}

/// Directories of the operating system: no site belongs inside them. In `/dev`, only the
/// shared-memory file system `/dev/shm` may hold one.
const SYSTEM: &[&str] = &[
    "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/sbin",
    "/sys", "/usr",
];

/// The places a build must never replace, each resolved, with what to call it in an error.
pub(crate) struct Protected {
    /// Directories that must be neither the output nor inside it.
    keep: Vec<(PathBuf, &'static str)>,
    /// Directories the output must not be inside.
    sources: Vec<PathBuf>,
}

impl Protected {
    /// What a build of the catalog at `root` must protect: the catalog, its sources, the
    /// working directory and the home directory.
    pub(crate) fn for_catalog(root: &Path) -> io::Result<Protected> {
        let root = resolve(root)?;
        let mut keep = vec![(root.clone(), "the catalog")];
        if let Ok(cwd) = std::env::current_dir().and_then(|d| resolve(&d)) {
            keep.push((cwd, "the working directory"));
        }
        if let Some(home) = std::env::home_dir().and_then(|h| resolve(&h).ok()) {
            keep.push((home, "your home directory"));
        }
        let sources = ["content", "templates", "static"]
            .iter()
            .map(|dir| root.join(dir))
            .collect();
        Ok(Protected { keep, sources })
    }

    /// Refuse `output` (already [`resolve`]d) if replacing it could destroy anything here.
    pub(crate) fn check(&self, output: &Path) -> Result<(), Refusal> {
        let refuse = |reason: &str| {
            Err(Refusal {
                path: output.to_path_buf(),
                reason: reason.to_string(),
                is_output: true,
                single_file: false,
            })
        };
        self.check_place(output, false)?;
        if fs::symlink_metadata(output.join(".git")).is_ok() {
            return refuse("it holds a Git repository (.git)");
        }
        if fs::symlink_metadata(output).is_ok_and(|m| !m.is_dir()) {
            return refuse("it exists and is not a directory");
        }
        Ok(())
    }

    /// Refuse `file` (already [`resolve`]d) as the single file's path if writing it could
    /// destroy anything here, or if it is a directory.
    pub(crate) fn check_file(&self, file: &Path) -> Result<(), Refusal> {
        self.check_place(file, true)?;
        if fs::symlink_metadata(file).is_ok_and(|m| m.is_dir()) {
            return Err(Refusal {
                path: file.to_path_buf(),
                reason: "it is a directory".into(),
                is_output: true,
                single_file: true,
            });
        }
        Ok(())
    }

    /// What a site and a single file alike may not replace: the file system root and the
    /// directories under it, system directories, the protected places and what holds them,
    /// the catalog's sources and Git's own directory.
    fn check_place(&self, output: &Path, single_file: bool) -> Result<(), Refusal> {
        let refuse = |reason: String| {
            Err(Refusal {
                path: output.to_path_buf(),
                reason,
                is_output: true,
                single_file,
            })
        };
        let depth = output
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .count();
        if depth < 2 {
            return refuse("it is the file system root or a directory directly under it".into());
        }
        let system = SYSTEM.iter().find(|dir| output.starts_with(dir));
        if let Some(system) = system.filter(|_| !output.starts_with("/dev/shm")) {
            return refuse(format!("it is inside the system directory {system}"));
        }
        for (kept, what) in &self.keep {
            if kept == output {
                return refuse(format!("it is {what}"));
            }
            if kept.starts_with(output) {
                return refuse(format!("it holds {what} ({})", kept.display()));
            }
        }
        if self.sources.iter().any(|s| output.starts_with(s)) {
            return refuse("it is inside the catalog's content/, templates/ or static/".into());
        }
        if output.components().any(|c| c.as_os_str() == ".git") {
            return refuse("it is inside a Git repository's .git directory".into());
        }
        Ok(())
    }
}

/// `dir/relative`, where `relative` must be a plain relative path: `/`-separated names, none
/// of them empty, `.`, `..`, or holding a backslash, a NUL or a drive prefix. Every file of a
/// site is written through this, so a name from content can never point outside `dir`.
pub(crate) fn join_inside(dir: &Path, relative: &str) -> Result<PathBuf, Refusal> {
    let bad = |reason: &str| Refusal {
        path: PathBuf::from(relative),
        reason: reason.to_string(),
        is_output: false,
        single_file: false,
    };
    if relative.is_empty() {
        return Err(bad("the path is empty"));
    }
    let mut path = dir.to_path_buf();
    for part in relative.split('/') {
        match part {
            "" => return Err(bad("the path is absolute or has an empty component")),
            "." | ".." => return Err(bad("the path has a `.` or `..` component")),
            _ if part.contains(['\\', '\0', ':']) => {
                return Err(bad("the path has a backslash, colon or NUL in it"));
            }
            _ => path.push(part),
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_are_joined() {
        let dir = Path::new("/out");
        for good in [
            "index.html",
            "datasets/x.html",
            "a/b/c.js",
            ".medatlas-output",
        ] {
            assert_eq!(join_inside(dir, good).unwrap(), dir.join(good), "{good}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/./b",
            "a//b",
            "a/",
            "..",
            ".",
            "a\\..\\b",
            "c:x",
            "a\0b",
        ] {
            assert!(join_inside(dir, bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn resolve_follows_parent_components_and_symlinks() {
        let tmp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(tmp.path()).unwrap();
        fs::create_dir_all(base.join("cat/x")).unwrap();
        std::os::unix::fs::symlink(base.join("cat"), base.join("link")).unwrap();
        assert_eq!(resolve(&base.join("cat/x/..")).unwrap(), base.join("cat"));
        assert_eq!(resolve(&base.join("link/x")).unwrap(), base.join("cat/x"));
        assert_eq!(resolve(&base.join("link/../y")).unwrap(), base.join("y"));
        assert_eq!(
            resolve(&base.join("new/deeper/../z")).unwrap(),
            base.join("new/z")
        );
        std::os::unix::fs::symlink(base.join("gone"), base.join("broken")).unwrap();
        assert!(resolve(&base.join("broken/x")).is_err());
    }
}
