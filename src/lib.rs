//! medatlas: a static site generator for a catalog of medical imaging datasets.
//!
//! The pipeline, one stage per module, each returning its result to the next:
//!
//! 1. [`load`]: read `content/` into sources (the only file-system reads of content).
//! 2. [`parse`]: each source into the typed [`model`], with file-local checks.
//! 3. [`check`]: cross-file checks and the warnings about numbers that disagree.
//! 4. [`derive`](mod@derive): totals, prevalence and the views the pages show.
//! 5. [`render`]: Tera 2 templates into pages, in parallel, each written into a staging
//!    directory ([`write`](mod@write)) as soon as it is done;
//! 6. [`write`](mod@write): the staging directory completed with static files and swapped in.
//!
//! [`check_catalog`] runs stages 1–3 and [`build`] all six. Problems in the content are
//! collected into a [`Report`]; nothing here prints.
//!
//! Around the pipeline: [`serve`] (the development server, with quick rebuilds through
//! [`recheck`] and [`render::Selection`]), [`external`] (`check --external`), [`scaffold`]
//! (`new`) and [`schema`] (`schema`). The pages' look is data: `templates/` and `static/`,
//! embedded as defaults and overridable per catalog.

pub mod browse;
pub mod chart;
pub mod check;
pub mod derive;
pub mod diagnostics;
pub mod external;
pub mod fault;
pub mod fields;
pub mod format;
pub mod frontmatter;
pub mod guard;
pub mod labels;
pub mod load;
pub mod markdown;
pub mod model;
pub mod parse;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod source;
pub mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use diagnostics::{Diagnostic, Report, Severity};
use model::Catalog;
use source::Source;

/// Why a run stopped.
#[derive(Debug)]
pub enum Failure {
    /// The content has errors: nothing was written.
    Content(Report),
    /// A template could not be parsed or rendered: nothing was written.
    Template(String),
    /// The file system said no (or the output is not ours to replace).
    Io(String),
}

impl Failure {
    /// The process exit code: 1 for problems in the catalog, 2 for usage and I/O problems.
    pub fn exit_code(&self) -> i32 {
        match self {
            Failure::Content(_) | Failure::Template(_) => 1,
            Failure::Io(_) => 2,
        }
    }
}

/// How long each stage took, for `--verbose`.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    fn time<T>(&mut self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let result = f();
        self.0.push((stage, start.elapsed()));
        result
    }

    pub fn total(&self) -> Duration {
        self.0.iter().map(|(_, d)| *d).sum()
    }
}

/// A checked catalog, with its files and what the checks found (warnings only, when `Ok`).
pub struct Checked {
    pub catalog: Catalog,
    pub files: load::ContentFiles,
    pub report: Report,
}

impl Checked {
    pub fn sources(&self) -> &[Source] {
        &self.files.sources
    }
}

/// Stages 1–3: load, parse and check the catalog at `root`.
pub fn check_catalog(root: &Path, timings: &mut Timings) -> Result<Checked, Failure> {
    let (files, diagnostics) = timings
        .time("load", || load::load(root))
        .map_err(Failure::Io)?;
    check_files(files, diagnostics, timings)
}

/// Stages 2–3 on files already loaded (`diagnostics`: what loading found).
pub fn check_files(
    files: load::ContentFiles,
    mut diagnostics: Vec<Diagnostic>,
    timings: &mut Timings,
) -> Result<Checked, Failure> {
    let (catalog, parse_diagnostics) = timings.time("parse", || parse_catalog(&files));
    diagnostics.extend(parse_diagnostics);
    cross_check(files, catalog, diagnostics, timings)
}

/// Stages 2–3 after an edit of some entries of a catalog that checked clean: only those are
/// parsed again (a clean catalog's other files had no parse problems), then the cross-file
/// checks run over the whole catalog.
pub fn recheck(
    checked: Checked,
    changed: &[model::SourceId],
    timings: &mut Timings,
) -> Result<Checked, Failure> {
    let Checked {
        mut catalog, files, ..
    } = checked;
    let mut diagnostics = Vec::new();
    catalog.datasets.retain(|d| !changed.contains(&d.source));
    for &id in changed {
        let (dataset, found) = parse::parse_entry(&files.sources[id], id);
        diagnostics.extend(found);
        catalog.datasets.extend(dataset);
    }
    sort_datasets(&mut catalog);
    cross_check(files, catalog, diagnostics, timings)
}

fn cross_check(
    files: load::ContentFiles,
    catalog: Catalog,
    mut diagnostics: Vec<Diagnostic>,
    timings: &mut Timings,
) -> Result<Checked, Failure> {
    // Cross-file checks run even when some files had errors, so that one run reports
    // everything; only a vocabulary that did not parse would make every term look unknown.
    let vocabulary_ok = files.vocabulary.is_some_and(|id| {
        let path = &files.sources[id].path;
        !diagnostics.iter().any(|d| d.is_error() && &d.path == path)
    });
    let found = timings.time("check", || {
        check::check(
            &catalog,
            &files.sources,
            files.tasks,
            &files.slugs(),
            vocabulary_ok,
        )
    });
    diagnostics.extend(found);
    let report = Report::new(diagnostics, &files.sources, files.sources.len());
    if report.has_errors() {
        return Err(Failure::Content(report));
    }
    Ok(Checked {
        catalog,
        files,
        report,
    })
}

fn parse_catalog(files: &load::ContentFiles) -> (Catalog, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let sources = &files.sources;
    let mut diagnostics = Vec::new();
    let mut catalog = Catalog::default();
    fn collect<T>(diagnostics: &mut Vec<Diagnostic>, (value, found): (T, Vec<Diagnostic>)) -> T {
        diagnostics.extend(found);
        value
    }
    if let Some(id) = files.site {
        catalog.site =
            collect(&mut diagnostics, parse::parse_site(&sources[id])).unwrap_or_default();
    }
    if let Some(id) = files.vocabulary {
        catalog.vocabulary =
            collect(&mut diagnostics, parse::parse_vocabulary(&sources[id])).unwrap_or_default();
    }
    if let Some(id) = files.labels {
        catalog.findings = collect(&mut diagnostics, parse::parse_findings(&sources[id]));
    }
    if let Some(id) = files.tasks {
        catalog.checklist = collect(&mut diagnostics, parse::parse_checklist(&sources[id]));
    }
    let entries: Vec<_> = files
        .entries
        .par_iter()
        .map(|&id| parse::parse_entry(&sources[id], id))
        .collect();
    for (dataset, found) in entries {
        diagnostics.extend(found);
        catalog.datasets.extend(dataset);
    }
    sort_datasets(&mut catalog);
    (catalog, diagnostics)
}

/// By name (case-insensitive), then slug: the order of every listing.
fn sort_datasets(catalog: &mut Catalog) {
    catalog
        .datasets
        .sort_by(|a, b| (a.name.to_lowercase(), &a.slug).cmp(&(b.name.to_lowercase(), &b.slug)));
}

/// Every external URL of a checked catalog (homepages, papers, table sources, links in the
/// descriptions), once per place it is written in its file.
pub fn external_links(checked: &Checked) -> Vec<external::Link<'_>> {
    let mut links = Vec::new();
    for dataset in &checked.catalog.datasets {
        let source = &checked.sources()[dataset.source];
        let mut urls: Vec<String> = vec![dataset.homepage.clone()];
        urls.extend(dataset.papers.iter().map(|p| p.url.clone()));
        urls.extend(dataset.class_counts.iter().map(|t| t.source.clone()));
        urls.extend(markdown::external_links(&dataset.body));
        urls.sort();
        urls.dedup();
        for url in urls {
            for (at, _) in source.text.match_indices(url.as_str()) {
                links.push(external::Link {
                    url: url.clone(),
                    source,
                    span: at..at + url.len(),
                });
            }
        }
    }
    links
}

/// `check --external`: the checks, then every external URL; unreachable ones are warnings.
pub fn check_with_external(root: &Path, options: &external::Options) -> Result<Checked, Failure> {
    let mut checked = check_catalog(root, &mut Timings::default())?;
    let found = external::check(&external_links(&checked), options);
    let mut diagnostics = std::mem::take(&mut checked.report.diagnostics);
    diagnostics.extend(found);
    checked.report = Report::new(diagnostics, checked.sources(), checked.sources().len());
    Ok(checked)
}

/// The JSON Schema of entries, with the vocabulary of the catalog at `root`.
pub fn entry_schema(root: &Path) -> Result<String, Failure> {
    let (files, mut diagnostics) = load::load(root).map_err(Failure::Io)?;
    let mut vocabulary = model::Vocabulary::default();
    if let Some(id) = files.vocabulary {
        let (parsed, found) = parse::parse_vocabulary(&files.sources[id]);
        diagnostics.extend(found);
        vocabulary = parsed.unwrap_or_default();
    }
    diagnostics.retain(|d| d.is_error() && d.path == "content/vocabulary.toml");
    if !diagnostics.is_empty() {
        return Err(Failure::Content(Report::new(
            diagnostics,
            &files.sources,
            1,
        )));
    }
    Ok(schema::entry_schema_text(&vocabulary))
}

/// What `build` needs to know.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The catalog: a directory holding `content/` (and optionally `templates/`, `static/`).
    pub root: PathBuf,
    /// Where the site goes; replaced as a whole.
    pub output: PathBuf,
    /// Replace `output` even if medatlas did not create it (it is moved aside, not deleted).
    pub force: bool,
    /// Rendering threads; `None` for one per core.
    pub jobs: Option<usize>,
}

/// What a successful build did.
pub struct Built {
    pub report: Report,
    pub pages: usize,
    pub timings: Timings,
    /// Where `--force` moved a directory that medatlas did not create.
    pub moved_aside: Option<PathBuf>,
}

/// All six stages: check the catalog, then render and write the site. Writes nothing when the
/// content has an error.
pub fn build(options: &BuildOptions) -> Result<Built, Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Failure::Io(format!("cannot start worker threads: {e}")))?;
    pool.install(|| build_in_pool(options))
}

fn build_in_pool(options: &BuildOptions) -> Result<Built, Failure> {
    let mut timings = Timings::default();
    let checked = check_catalog(&options.root, &mut timings)?;
    let prepared = prepare(checked, &options.root, &mut timings)?;
    let io = |e: write::WriteError| Failure::Io(e.to_string());
    let staging =
        write::Staging::open(&options.root, &options.output, options.force).map_err(io)?;
    // Each page is written into the staging directory as soon as it is rendered.
    let sink = |path: &str, bytes: &[u8]| staging.write(path, bytes).map_err(|e| e.to_string());
    let pages = render_into(&prepared, &render::Selection::All, &sink, &mut timings)?;
    let published = timings
        .time("commit", || staging.commit(&options.root))
        .map_err(io)?;
    Ok(Built {
        pages,
        report: prepared.checked.report,
        timings,
        moved_aside: published.moved_aside,
    })
}

/// A checked catalog ready to render: templates parsed, site-wide data derived.
pub struct Prepared {
    pub checked: Checked,
    pub templates: render::Templates,
    pub data: derive::SiteData,
}

/// Stage 4, and the templates: everything rendering needs, computed once.
pub fn prepare(checked: Checked, root: &Path, timings: &mut Timings) -> Result<Prepared, Failure> {
    let templates = timings
        .time("templates", || render::Templates::load(root))
        .map_err(Failure::Template)?;
    let mut data = timings.time("derive", || derive::SiteData::new(&checked.catalog));
    data.use_entry_template(&scaffold::entry_template(root));
    Ok(Prepared {
        checked,
        templates,
        data,
    })
}

/// Stage 5: render the selected pages, handing each to `sink`. Returns the number of pages.
pub fn render_into(
    prepared: &Prepared,
    selection: &render::Selection,
    sink: &render::PageSink<'_>,
    timings: &mut Timings,
) -> Result<usize, Failure> {
    let notes = notes_by_dataset(&prepared.checked);
    timings
        .time("render", || {
            render::render_site(
                &prepared.checked.catalog,
                &prepared.data,
                &prepared.templates,
                &notes,
                selection,
                sink,
            )
        })
        .map_err(|e| match e {
            render::RenderError::Template(message) => Failure::Template(message),
            render::RenderError::Write(message) => Failure::Io(message),
        })
}

/// Each dataset's warnings, shown on its page as data notes.
fn notes_by_dataset(checked: &Checked) -> HashMap<&str, Vec<&Diagnostic>> {
    let slug_by_path: HashMap<&str, &str> = checked
        .catalog
        .datasets
        .iter()
        .map(|d| (d.path.as_str(), d.slug.as_str()))
        .collect();
    let mut notes: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    for d in &checked.report.diagnostics {
        if let Some(slug) = slug_by_path.get(d.path.as_str()) {
            notes.entry(slug).or_default().push(d);
        }
    }
    notes
}
