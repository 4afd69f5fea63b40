//! The manifest: what a published site was built from, so that `build` with nothing changed
//! does nothing.
//!
//! `build` writes `.medatlas-manifest` into the site with a digest of every input (the
//! medatlas binary, every content file and what loading them found, every file of `templates/`
//! and `static/`), the site's
//! files with their sizes, and the warnings the checks found. The next `build` computes the
//! digest of its inputs first: when the output is medatlas's, its manifest has the same digest
//! and every file it lists is there with its size, the site is what the inputs make, and the
//! build reports the stored warnings (with snippets from the files just read) instead of
//! building again. Anything else builds as usual. The development server, which writes
//! changed pages into a live site, removes the manifest first: a site it has touched is built
//! in full the next time.
//!
//! A file of the site changed by hand to another text of the same size is not noticed; deleting
//! it, or the manifest, makes the next build a full one.

use std::hash::{Hash, Hasher};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::common::hash::stable_hasher;
use crate::diagnostics::{Code, Diagnostic};

/// The manifest's name in the output.
pub const MANIFEST: &str = ".medatlas-manifest";

/// What one build of the site was made from and made.
#[derive(Serialize, Deserialize)]
pub(crate) struct Manifest {
    /// The digest of every input ([`digest`]), in hexadecimal.
    pub(crate) digest: String,
    /// How many pages the build rendered.
    pub(crate) pages: usize,
    /// How many content files it read.
    pub(crate) files_checked: usize,
    /// Every file of the site (pages and static files) with its size in bytes.
    pub(crate) files: Vec<(String, u64)>,
    /// The warnings the checks found.
    pub(crate) warnings: Vec<Stored>,
}

/// A warning as the manifest keeps it.
#[derive(Serialize, Deserialize)]
pub(crate) struct Stored {
    code: String,
    path: String,
    line: usize,
    column: usize,
    end: (usize, usize),
    span: (usize, usize),
    message: String,
    help: Option<String>,
    more: usize,
}

impl Stored {
    pub(crate) fn of(d: &Diagnostic) -> Stored {
        Stored {
            code: d.code.name().to_string(),
            path: d.path.clone(),
            line: d.line,
            column: d.column,
            end: (d.end_line, d.end_column),
            span: (d.span.start, d.span.end),
            message: d.message.clone(),
            help: d.help.clone(),
            more: d.more,
        }
    }

    /// The diagnostic again; `None` for a code this binary does not know.
    fn diagnostic(self) -> Option<Diagnostic> {
        let code = *Code::ALL.iter().find(|c| c.name() == self.code)?;
        Some(Diagnostic {
            severity: code.severity(),
            code,
            path: self.path,
            line: self.line,
            column: self.column,
            end_line: self.end.0,
            end_column: self.end.1,
            span: self.span.0..self.span.1,
            message: self.message,
            help: self.help,
            more: self.more,
        })
    }
}

/// The digest of a build's inputs: the binary that builds (its size and modification time:
/// a new medatlas renders differently), the content files (`sources`, paths and texts), what
/// loading them `found` (a file of `content/` that is not read shows only there), the files of
/// `templates/` (paths and bytes) and the static files. Content files are hashed in parallel.
pub(crate) fn digest(
    sources: &[crate::common::source::Source],
    found: &[Diagnostic],
    templates: &std::collections::BTreeMap<String, Vec<u8>>,
    statics: &[crate::input::theme::StaticFile],
) -> String {
    use rayon::prelude::*;
    let mut hasher = stable_hasher();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    let exe = std::env::current_exe().and_then(std::fs::metadata);
    if let Ok(meta) = exe {
        meta.len().hash(&mut hasher);
        meta.modified().ok().hash(&mut hasher);
    }
    let each: Vec<u64> = sources
        .par_iter()
        .map(|s| crate::common::hash::stable_hash(&(&s.path, s.text.as_str())))
        .collect();
    each.hash(&mut hasher);
    for d in found {
        (&d.path, &d.message).hash(&mut hasher);
    }
    templates.hash(&mut hasher);
    for file in statics {
        (&file.name, &file.bytes).hash(&mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

/// The manifest of the site at `output` when the site is medatlas's (it has the marker), was
/// built from inputs of this `digest` and every file it lists is still there with its size:
/// then the site is up to date. Returns its number of pages, the number of content files its
/// build read, and the stored warnings.
pub(crate) fn up_to_date(output: &Path, digest: &str) -> Option<(usize, usize, Vec<Diagnostic>)> {
    use rayon::prelude::*;
    if !super::ours(output) {
        return None;
    }
    let text = std::fs::read(output.join(MANIFEST)).ok()?;
    let manifest: Manifest = serde_json::from_slice(&text).ok()?;
    if manifest.digest != digest {
        return None;
    }
    let intact = manifest.files.par_iter().all(|(path, size)| {
        crate::common::guard::join_inside(output, path)
            .ok()
            .and_then(|p| std::fs::symlink_metadata(p).ok())
            .is_some_and(|m| m.is_file() && m.len() == *size)
    });
    if !intact {
        return None;
    }
    let warnings: Option<Vec<Diagnostic>> = manifest
        .warnings
        .into_iter()
        .map(Stored::diagnostic)
        .collect();
    Some((manifest.pages, manifest.files_checked, warnings?))
}

/// Remove the manifest of a site about to be changed in place.
pub(crate) fn forget(output: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(output.join(MANIFEST)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
