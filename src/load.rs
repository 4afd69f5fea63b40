//! Load: read the catalog's content files from disk into [`Source`]s.
//!
//! The only stage of the checker that touches the file system. It finds `site.toml`,
//! `tasks.toml`, `vocabulary.toml`, `labels.toml` and every `datasets/*.md` / `*.toml`, reads
//! them in parallel, decodes UTF-8 (a byte-order mark is dropped) and reports files that are not
//! UTF-8, required files that are missing and two entries with the same slug.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::SourceId;
use crate::source::{Source, decode};

/// The content files of a catalog, by role.
#[derive(Debug, Default)]
pub struct ContentFiles {
    pub sources: Vec<Source>,
    pub site: Option<SourceId>,
    pub tasks: Option<SourceId>,
    pub vocabulary: Option<SourceId>,
    pub labels: Option<SourceId>,
    /// Entry files in path order.
    pub entries: Vec<SourceId>,
    /// Entry files that could not be decoded: not parsed, but their slugs exist.
    pub unreadable_entries: Vec<SourceId>,
}

/// Read `root/content`. I/O failures (the directory cannot be listed, a file cannot be read)
/// are fatal and returned as `Err`; problems with the files' content are diagnostics.
pub fn load(root: &Path) -> Result<(ContentFiles, Vec<Diagnostic>), String> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(format!(
            "no content directory at {}: run medatlas in a catalog, or pass --root DIR",
            content.display()
        ));
    }
    let mut paths = Vec::new();
    for name in ["site.toml", "tasks.toml", "vocabulary.toml", "labels.toml"] {
        let path = content.join(name);
        if path.is_file() {
            paths.push(path);
        }
    }
    paths.extend(entry_paths(&content.join("datasets"))?);

    let read: Vec<(String, Result<Vec<u8>, String>)> = paths
        .par_iter()
        .map(|path| {
            let display = display_path(root, path);
            let bytes = std::fs::read(path).map_err(|e| format!("cannot read {display}: {e}"));
            (display, bytes)
        })
        .collect();

    let mut files = ContentFiles::default();
    let mut diagnostics = Vec::new();
    for (display, bytes) in read {
        let id = files.sources.len();
        let (source, readable) = match decode(bytes?) {
            Ok(text) => (Source::new(display, text), true),
            Err((offset, lossy)) => {
                // Kept for the snippet, but not parsed: its text is not what the author wrote.
                let source = Source::new(display, lossy);
                diagnostics.push(not_utf8(&source, offset));
                (source, false)
            }
        };
        let path = source.path.clone();
        files.sources.push(source);
        if !readable {
            if path.starts_with("content/datasets/") {
                files.unreadable_entries.push(id);
            }
            continue;
        }
        match path.strip_prefix("content/") {
            Some("site.toml") => files.site = Some(id),
            Some("tasks.toml") => files.tasks = Some(id),
            Some("vocabulary.toml") => files.vocabulary = Some(id),
            Some("labels.toml") => files.labels = Some(id),
            _ => files.entries.push(id),
        }
    }
    diagnostics.extend(missing_files(&files));
    diagnostics.extend(duplicate_slugs(&files));
    Ok((files, diagnostics))
}

fn entry_paths(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let path = entry.path();
        let is_entry = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("md" | "toml")
        );
        if entry.file_type().is_file() && is_entry {
            paths.push(path.to_path_buf());
        }
    }
    Ok(paths)
}

/// `content/datasets/x.md`: relative to the root, with `/` separators on every platform.
fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `source` is the lossy decoding: the invalid sequence at `offset` became one U+FFFD there.
fn not_utf8(source: &Source, offset: usize) -> Diagnostic {
    Diagnostic::error(
        "not-utf8",
        source,
        offset..offset + char::REPLACEMENT_CHARACTER.len_utf8(),
        "file is not valid UTF-8".into(),
    )
    .with_help(
        "save the file as UTF-8 in your editor (\"Save with encoding\" / \"Reopen with encoding\")",
    )
}

/// `site.toml` and `vocabulary.toml` must exist: without them nothing can be checked.
fn missing_files(files: &ContentFiles) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let required = [
        (
            "site.toml",
            files.site,
            "create it with at least `title = \"...\"`",
        ),
        (
            "vocabulary.toml",
            files.vocabulary,
            "create it with tables [modalities], [body_regions], [tasks] and [access]",
        ),
    ];
    for (name, present, help) in required {
        if present.is_none() {
            let placeholder = Source::new(format!("content/{name}"), "");
            diagnostics.push(
                Diagnostic::error(
                    "missing-file",
                    &placeholder,
                    0..0,
                    format!("content/{name} is missing"),
                )
                .with_help(help),
            );
        }
    }
    diagnostics
}

/// Re-read the files at these paths (relative to the root, `/`-separated) into `files`, for a
/// quick rebuild after an edit. Returns `false` when that is not enough (a file was added,
/// removed or is not UTF-8): then the whole catalog must be loaded again.
pub fn reload(root: &Path, files: &mut ContentFiles, paths: &[String]) -> bool {
    for path in paths {
        let Some(id) = files.sources.iter().position(|s| &s.path == path) else {
            return false;
        };
        if files.unreadable_entries.contains(&id) {
            return false;
        }
        let Ok(text) = std::fs::read(root.join(path)).map(decode) else {
            return false;
        };
        let Ok(text) = text else {
            return false;
        };
        files.sources[id] = Source::new(path.clone(), text);
    }
    true
}

impl ContentFiles {
    /// The slug of every entry file, parsed or not: what `related` may name.
    pub fn slugs(&self) -> std::collections::HashSet<&str> {
        self.entries
            .iter()
            .chain(&self.unreadable_entries)
            .map(|&id| crate::parse::slug_of(&self.sources[id].path))
            .collect()
    }
}

fn duplicate_slugs(files: &ContentFiles) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&str, &Source> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for &id in files.entries.iter().chain(&files.unreadable_entries) {
        let source = &files.sources[id];
        let slug = crate::parse::slug_of(&source.path);
        if let Some(earlier) = first.get(slug) {
            diagnostics.push(
                Diagnostic::error(
                    "duplicate-slug",
                    source,
                    0..0,
                    format!("slug `{slug}` is already used by {}", earlier.path),
                )
                .with_help("each dataset needs its own file name: rename or remove one of the two"),
            );
        } else {
            first.insert(slug, source);
        }
    }
    diagnostics
}
