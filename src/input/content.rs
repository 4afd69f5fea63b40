//! Content: the catalog's `content/` files read from disk into [`Source`]s.
//!
//! It finds `site.toml`,
//! `tasks.toml`, `vocabulary.toml`, `labels.toml`, `licenses.toml` and every `datasets/*.md` / `*.toml`, reads
//! them in parallel, decodes UTF-8 (a byte-order mark is dropped) and reports files that are not
//! UTF-8, required files that are missing and two entries with the same slug. A file larger
//! than [`MAX_FILE_BYTES`] is reported and not read past the limit, so it is never parsed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::common::source::{Source, decode};
use crate::diagnostics::{Code, Diagnostic};
use crate::model::SourceId;

use super::placement::{Place, SETTINGS, misplaced, place};
use super::walk::{display_path, walk};
use crate::common::paths::relative;

/// The largest content file read: 1 MiB.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// The content files of a catalog, by role.
#[derive(Debug, Default)]
pub struct ContentFiles {
    /// Every file read, indexed by [`SourceId`].
    pub sources: Vec<Source>,
    /// `content/site.toml`.
    pub site: Option<SourceId>,
    /// `content/tasks.toml`.
    pub tasks: Option<SourceId>,
    /// `content/vocabulary.toml`.
    pub vocabulary: Option<SourceId>,
    /// `content/labels.toml`.
    pub labels: Option<SourceId>,
    /// `content/licenses.toml`.
    pub licenses: Option<SourceId>,
    /// Entry files in path order.
    pub entries: Vec<SourceId>,
    /// Entry files that could not be decoded: not parsed, but their slugs exist.
    pub unreadable_entries: Vec<SourceId>,
    /// The files of `templates/` and of `static/`, as the walk that checked their links found
    /// them: [`super::theme`] reads these, without walking the directories again.
    pub(crate) theme: ThemeFiles,
}

/// The files of the catalog's `templates/` and `static/`, in name order.
#[derive(Debug, Default)]
pub(crate) struct ThemeFiles {
    pub(crate) templates: Vec<PathBuf>,
    pub(crate) statics: Vec<PathBuf>,
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
    let (paths, theme, mut diagnostics) = content_paths(root, &content)?;
    // Read and decoded on every core; filed by role in path order.
    let read: Vec<_> = paths
        .par_iter()
        .map(|path| {
            let display = display_path(root, path);
            read_limited(path)
                .map(|bytes| Loaded::of(display.clone(), bytes))
                .map_err(|e| format!("cannot read {display}: {e}"))
        })
        .collect();
    let mut files = ContentFiles {
        theme,
        ..ContentFiles::default()
    };
    for loaded in read {
        add_source(&mut files, loaded?, &mut diagnostics);
    }
    diagnostics.extend(missing_files(&files));
    diagnostics.extend(duplicate_slugs(&files));
    Ok((files, diagnostics))
}

/// The content files to read (the five settings files, then `datasets/*.md|toml` in name
/// order) and the files of `templates/` and `static/`, with a diagnostic for every other file
/// of `content/` and every symbolic link in the three directories that is not followed.
fn content_paths(
    root: &Path,
    content: &Path,
) -> Result<(Vec<PathBuf>, ThemeFiles, Vec<Diagnostic>), String> {
    let walked = walk(root, content, usize::MAX)?;
    let mut diagnostics: Vec<Diagnostic> =
        walked.problems.iter().map(|p| p.diagnostic(root)).collect();
    let templates = walk(root, &root.join("templates"), usize::MAX)?;
    let statics = walk(root, &root.join("static"), usize::MAX)?;
    for other in [&templates, &statics] {
        diagnostics.extend(other.problems.iter().map(|p| p.diagnostic(root)));
    }
    diagnostics.extend(unpublishable_names(root, &statics.files));
    let theme = ThemeFiles {
        templates: templates.files,
        statics: statics.files,
    };
    let mut paths: Vec<PathBuf> = SETTINGS
        .iter()
        .map(|name| content.join(name))
        .filter(|path| walked.files.contains(path))
        .collect();
    for file in &walked.files {
        let place = relative(content, file).map_or_else(
            || Place::Misplaced("rename it with letters, digits, `-` and `.`".into()),
            |relative| place(&relative),
        );
        match place {
            Place::Entry => paths.push(file.clone()),
            Place::Misplaced(help) => diagnostics.push(misplaced(&display_path(root, file), help)),
            Place::Settings | Place::Hidden => {}
        }
    }
    Ok((paths, theme, diagnostics))
}

/// A diagnostic for each file of `static/` whose name the site cannot hold as it is: it is
/// copied to the same path in the output, through [`crate::common::guard::join_inside`].
fn unpublishable_names(root: &Path, files: &[PathBuf]) -> Vec<Diagnostic> {
    let dir = root.join("static");
    files
        .iter()
        .filter(|file| {
            let relative = file.strip_prefix(&dir).ok().and_then(|r| r.to_str());
            relative.is_none_or(|r| crate::common::guard::join_inside(&dir, r).is_err())
        })
        .map(|file| {
            let display = display_path(root, file);
            let placeholder = Source::new(display.clone(), "");
            Diagnostic::error(
                Code::BadFileName,
                &placeholder,
                0..0,
                format!("`{}` cannot be published under its name", shown(&display)),
            )
            .with_help("rename it with letters, digits, `-`, `_` and `.`: backslashes, colons and NUL cannot be in a page path")
        })
        .collect()
}

/// A name as a report shows it: control characters (a NUL) escaped, the rest as it is.
fn shown(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// One content file as read: its source, and whether it could be decoded.
enum Loaded {
    /// Decoded: the file's text.
    Text(Source),
    /// Larger than the limit: not read; the source is empty.
    TooLarge(Source),
    /// Not UTF-8: the lossy decoding (for the snippet), and where the first invalid sequence is.
    NotUtf8(Source, usize),
}

impl Loaded {
    /// A file's bytes (`None`: over the size limit) decoded into a source named `display`.
    fn of(display: String, bytes: Option<Vec<u8>>) -> Loaded {
        match bytes.map(decode) {
            None => Loaded::TooLarge(Source::new(display, "")),
            Some(Ok(text)) => Loaded::Text(Source::new(display, text)),
            Some(Err((offset, lossy))) => Loaded::NotUtf8(Source::new(display, lossy), offset),
        }
    }
}

/// File one read content file under its role.
fn add_source(files: &mut ContentFiles, read: Loaded, diagnostics: &mut Vec<Diagnostic>) {
    let id = files.sources.len();
    let (source, problem) = match read {
        Loaded::Text(source) => (source, None),
        Loaded::TooLarge(source) => {
            let found = too_large(&source);
            (source, Some(found))
        }
        // Kept for the snippet, but not parsed: its text is not what the author wrote.
        Loaded::NotUtf8(source, offset) => {
            let found = not_utf8(&source, offset);
            (source, Some(found))
        }
    };
    if let Some(problem) = problem {
        diagnostics.push(problem);
        if source.path.starts_with("content/datasets/") {
            files.unreadable_entries.push(id);
        }
        files.sources.push(source);
        return;
    }
    match source.path.strip_prefix("content/") {
        Some("site.toml") => files.site = Some(id),
        Some("tasks.toml") => files.tasks = Some(id),
        Some("vocabulary.toml") => files.vocabulary = Some(id),
        Some("labels.toml") => files.labels = Some(id),
        Some("licenses.toml") => files.licenses = Some(id),
        _ => files.entries.push(id),
    }
    files.sources.push(source);
}

/// The bytes of a file, or `None` when it is larger than [`MAX_FILE_BYTES`] (then at most one
/// byte more than the limit is read).
fn read_limited(path: &Path) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let size = file.metadata().map_or(0, |m| m.len()).min(MAX_FILE_BYTES);
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_FILE_BYTES).then_some(bytes))
}

fn too_large(source: &Source) -> Diagnostic {
    Diagnostic::error(
        Code::FileTooLarge,
        source,
        0..0,
        format!(
            "file is larger than {} MiB: it is not read",
            MAX_FILE_BYTES >> 20
        ),
    )
    .with_help("an entry describes a dataset, it does not hold its data: move tables and long text to the dataset's own site and link to it")
}

/// `source` is the lossy decoding: the invalid sequence at `offset` became one U+FFFD there.
fn not_utf8(source: &Source, offset: usize) -> Diagnostic {
    Diagnostic::error(
        Code::NotUtf8,
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
                    Code::MissingFile,
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
/// removed, is not UTF-8 or is too large): then the whole catalog must be loaded again.
pub fn reload(root: &Path, files: &mut ContentFiles, paths: &[String]) -> bool {
    for path in paths {
        let Some(id) = files.sources.iter().position(|s| &s.path == path) else {
            return false;
        };
        if files.unreadable_entries.contains(&id) {
            return false;
        }
        // A file grown past the limit needs the full load, which reports it.
        let Ok(Some(bytes)) = read_limited(&root.join(path)) else {
            return false;
        };
        let text = decode(bytes);
        let Ok(text) = text else {
            return false;
        };
        files.sources[id] = Source::new(path.clone(), text);
    }
    true
}

impl ContentFiles {
    /// Drop the texts of the entry files, keeping their paths: for a run that reads them no
    /// more once they are parsed and checked (a build, whose report has copied the files it
    /// cites).
    pub(crate) fn forget_entry_texts(&mut self) {
        for &id in &self.entries {
            self.sources[id].forget_text();
        }
    }

    /// The slug of every entry file, parsed or not: what `related` may name.
    pub(crate) fn slugs(&self) -> std::collections::HashSet<&str> {
        self.entries
            .iter()
            .chain(&self.unreadable_entries)
            .map(|&id| crate::common::slug::slug_of(&self.sources[id].path))
            .collect()
    }
}

fn duplicate_slugs(files: &ContentFiles) -> Vec<Diagnostic> {
    let mut first: BTreeMap<&str, &Source> = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for &id in files.entries.iter().chain(&files.unreadable_entries) {
        let source = &files.sources[id];
        let slug = crate::common::slug::slug_of(&source.path);
        if let Some(earlier) = first.get(slug) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateSlug,
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
