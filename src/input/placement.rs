//! Placement: which files of `content/` are read, and a `misplaced-file` error for every other.
//!
//! `content/` holds five settings files and the entries, each directly in `content/datasets/`
//! and named `<slug>.md` or `<slug>.toml`. A file anywhere else (an entry in `content/` itself,
//! in a near-miss of `datasets/`, in a subfolder, or with another extension) would otherwise be
//! skipped without a word, so each is reported with where it should go. Hidden files (a name
//! starting with `.`, such as `.gitkeep` or `.DS_Store`) are left alone.

use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};

/// The settings files, directly in `content/`.
pub(crate) const SETTINGS: [&str; 5] = [
    "site.toml",
    "tasks.toml",
    "vocabulary.toml",
    "labels.toml",
    "licenses.toml",
];

/// Where a file of `content/` belongs.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// One of [`SETTINGS`].
    Settings,
    /// An entry: `datasets/<stem>.md` or `datasets/<stem>.toml`.
    Entry,
    /// Not read; the help says what to do with it.
    Misplaced(String),
    /// A hidden file: not read, not reported.
    Hidden,
}

/// Where the file at `relative` (under `content/`, `/`-separated) belongs.
pub(crate) fn place(relative: &str) -> Place {
    let parts: Vec<&str> = relative.split('/').collect();
    let name = parts.last().copied().unwrap_or_default();
    if parts.iter().any(|p| p.starts_with('.')) {
        return Place::Hidden;
    }
    match parts.as_slice() {
        [file] if SETTINGS.contains(file) => Place::Settings,
        ["datasets", file] if entry_extension(file).is_some() => Place::Entry,
        _ => Place::Misplaced(help(&parts, name)),
    }
}

/// `md` or `toml`, when `file` has one of them (lowercase) as its extension and a stem.
fn entry_extension(file: &str) -> Option<&str> {
    let (stem, extension) = file.rsplit_once('.')?;
    (!stem.is_empty() && matches!(extension, "md" | "toml")).then_some(extension)
}

/// How to fix a misplaced file whose path under `content/` is `parts`.
fn help(parts: &[&str], name: &str) -> String {
    if let [file] = parts
        && let Some(setting) = near_setting(file)
    {
        return format!("did you mean `content/{setting}`? rename the file");
    }
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    let lower = extension.to_ascii_lowercase();
    let target_extension = match lower.as_str() {
        "toml" => "toml",
        _ => "md",
    };
    let target = format!("content/datasets/{stem}.{target_extension}");
    let looks_like_entry = matches!(
        lower.as_str(),
        "" | "md" | "markdown" | "toml" | "txt" | "mdx"
    );
    if !looks_like_entry {
        return format!(
            "content/ holds only {} and the entries, as content/datasets/<slug>.md or \
             content/datasets/<slug>.toml: move this file out of content/",
            SETTINGS.join(", ")
        );
    }
    let (why, fix) = match parts {
        ["datasets", _] => (
            "an entry's name ends in `.md` (front matter and Markdown) or `.toml`",
            "rename it",
        ),
        ["datasets", ..] => (
            "entries are read only directly in content/datasets/, not from subfolders",
            "move it",
        ),
        _ => ("entries go directly in content/datasets/", "move it"),
    };
    format!("{why}: {fix} to `{target}`")
}

/// The settings file `file` is a likely misspelling of (`Site.toml`, `vocabulary.TOML`).
fn near_setting(file: &str) -> Option<&'static str> {
    let lower = file.to_lowercase();
    SETTINGS
        .iter()
        .map(|s| (strsim::jaro_winkler(&lower, s), *s))
        .filter(|(score, _)| *score >= 0.9)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, s)| s)
}

/// The `misplaced-file` error of the file shown as `display` (e.g. `content/x.md`).
pub(crate) fn misplaced(display: &str, help: String) -> Diagnostic {
    let placeholder = Source::new(display.to_string(), "");
    Diagnostic::error(
        Code::MisplacedFile,
        &placeholder,
        0..0,
        "this file is not read: it is neither a settings file of content/ nor an entry in \
         content/datasets/"
            .into(),
    )
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_of_content_has_its_place() {
        let move_to = |why: &str, to: &str| Place::Misplaced(format!("{why}: move it to `{to}`"));
        let rename = |why: &str, to: &str| Place::Misplaced(format!("{why}: rename it to `{to}`"));
        let top = "entries go directly in content/datasets/";
        let ext = "an entry's name ends in `.md` (front matter and Markdown) or `.toml`";
        let sub = "entries are read only directly in content/datasets/, not from subfolders";
        for (path, expected) in [
            ("site.toml", Place::Settings),
            ("labels.toml", Place::Settings),
            ("datasets/x.md", Place::Entry),
            ("datasets/x.toml", Place::Entry),
            ("datasets/.gitkeep", Place::Hidden),
            (".git/config", Place::Hidden),
            ("x.md", move_to(top, "content/datasets/x.md")),
            ("dataset/x.md", move_to(top, "content/datasets/x.md")),
            ("datasets/sub/x.md", move_to(sub, "content/datasets/x.md")),
            ("datasets/x.markdown", rename(ext, "content/datasets/x.md")),
            ("datasets/x.MD", rename(ext, "content/datasets/x.md")),
            ("datasets/x.txt", rename(ext, "content/datasets/x.md")),
            ("datasets/x.TOML", rename(ext, "content/datasets/x.toml")),
            ("datasets/.md", Place::Hidden),
            ("datasets/x", rename(ext, "content/datasets/x.md")),
            (
                "Site.toml",
                Place::Misplaced("did you mean `content/site.toml`? rename the file".into()),
            ),
        ] {
            assert_eq!(place(path), expected, "{path}");
        }
        let Place::Misplaced(help) = place("datasets/photo.png") else {
            panic!("an image in datasets/ is misplaced");
        };
        assert!(help.contains("move this file out of content/"), "{help}");
    }
}
