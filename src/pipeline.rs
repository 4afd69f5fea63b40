//! The pipeline: the six stages run in order, for `build` and `serve` alike.
//!
//! [`run`] takes the catalog's files from [`crate::input`], parses them ([`crate::parse`]),
//! checks them across files ([`crate::check`]), derives the views ([`crate::derive`]), renders
//! the pages of the registry ([`crate::render`]) and writes them ([`crate::output`]). It reuses
//! from its [`Caches`] whatever the previous run made from the same inputs: [`build`] runs it
//! once with empty caches, `serve` after every change with the caches of its previous run.
//! [`check_catalog`] runs the first three stages only; [`build_single_file`] runs them, derives
//! the same views and renders the single-file edition instead of the site. Nothing here prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::error::Error;
use crate::common::source::Source;
use crate::derive::{browse, search};
use crate::diagnostics::{Diagnostic, Report};
use crate::format::schema;
use crate::input::theme;
use crate::model::{self, Catalog};
use crate::output as write;
use crate::render::pages;
use crate::{check, derive, input as load, parse, render};

/// Why a run stopped.
#[derive(Debug)]
pub enum Failure {
    /// The content has errors: nothing was written.
    Content(Report),
    /// A template could not be parsed or rendered: nothing was written.
    Template(Error),
    /// The file system said no (or the output is not ours to replace).
    Io(Error),
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

    /// The time of all stages.
    pub fn total(&self) -> Duration {
        self.0.iter().map(|(_, d)| *d).sum()
    }
}

/// A checked catalog, with its files and what the checks found (warnings only, when `Ok`).
pub struct Checked {
    /// The parsed catalog.
    pub catalog: Catalog,
    pub(crate) files: load::ContentFiles,
    /// What the checks found.
    pub report: Report,
}

impl Checked {
    /// The content files read.
    pub fn sources(&self) -> &[Source] {
        &self.files.sources
    }
}

/// Stages 1–3: load, parse and check the catalog at `root`.
pub fn check_catalog(root: &Path, timings: &mut Timings) -> Result<Checked, Failure> {
    let (files, diagnostics) = timings
        .time("load", || load::load(root))
        .map_err(|e| Failure::Io(e.into()))?;
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
    cross_check(files, catalog, diagnostics, None, timings, |_| ())
        .map(|(checked, ())| checked)
        .map_err(|failed| failed.1)
}

/// Each dataset's fingerprint (in catalog order), with the cache of the checks of entries
/// alone that these fingerprints key.
type CheckCache<'c> = (Vec<u64>, &'c mut check::EntryChecks);

/// Stage 3, with `beside` run on the catalog at the same time (the site-wide view of the next
/// stage, which the check does not change).
fn cross_check<T: Send>(
    files: load::ContentFiles,
    catalog: Catalog,
    mut diagnostics: Vec<Diagnostic>,
    cached: Option<CheckCache<'_>>,
    timings: &mut Timings,
    beside: impl FnOnce(&Catalog) -> T + Send,
) -> Result<(Checked, T), Box<(Catalog, Failure)>> {
    // Cross-file checks run even when some files had errors, so that one run reports
    // everything; only a vocabulary that did not parse would make every term look unknown.
    let vocabulary_ok = files.vocabulary.is_some_and(|id| {
        let path = &files.sources[id].path;
        !diagnostics.iter().any(|d| d.is_error() && &d.path == path)
    });
    let ((found, took), also) = rayon::join(
        || {
            let start = Instant::now();
            let slugs = files.slugs();
            let mut cached = cached.map(|(entries, cache)| {
                (check_keys(&files, &slugs, vocabulary_ok, &entries), cache)
            });
            let found = check::check(
                &catalog,
                &files.sources,
                files.tasks,
                &slugs,
                vocabulary_ok,
                cached
                    .as_mut()
                    .map(|(keys, cache)| (keys.as_slice(), &mut **cache)),
            );
            (found, start.elapsed())
        },
        || beside(&catalog),
    );
    timings.0.push(("check", took));
    diagnostics.extend(found);
    let report = Report::new(diagnostics, &files.sources, files.sources.len());
    if report.has_errors() {
        return Err(Box::new((catalog, Failure::Content(report))));
    }
    let checked = Checked {
        catalog,
        files,
        report,
    };
    Ok((checked, also))
}

/// The keys of the entries' own checks: an entry's checks depend on it (its fingerprint, of
/// `entries`), on the settings files and on the set of entries.
fn check_keys(
    files: &load::ContentFiles,
    slugs: &std::collections::HashSet<&str>,
    vocabulary_ok: bool,
    entries: &[u64],
) -> Vec<u64> {
    let mut names: Vec<&str> = slugs.iter().copied().collect();
    names.sort_unstable();
    let text = |id: Option<model::SourceId>| id.map(|id| &files.sources[id].text);
    let settings = [files.vocabulary, files.labels, files.licenses].map(text);
    let with = pages::stable_hash(&(vocabulary_ok, names, settings));
    entries
        .iter()
        .map(|e| pages::stable_hash(&(with, e)))
        .collect()
}

fn parse_catalog(files: &load::ContentFiles) -> (Catalog, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let (mut catalog, mut diagnostics) = parse_catalog_files(files);
    let entries: Vec<_> = files
        .entries
        .par_iter()
        .map(|&id| parse::parse_entry(&files.sources[id], id))
        .collect();
    for (dataset, found) in entries {
        diagnostics.extend(found);
        catalog.datasets.extend(dataset);
    }
    sort_datasets(&mut catalog);
    (catalog, diagnostics)
}

/// The catalog's files other than entries: site, vocabulary, labels, checklist.
fn parse_catalog_files(files: &load::ContentFiles) -> (Catalog, Vec<Diagnostic>) {
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
    if let Some(id) = files.licenses {
        catalog.licenses = collect(&mut diagnostics, parse::parse_licenses(&sources[id]));
    }
    (catalog, diagnostics)
}

/// By name (case-insensitive), then slug: the order of every listing. The order is found on
/// the keys, and each dataset moved once.
fn sort_datasets(catalog: &mut Catalog) {
    let datasets = std::mem::take(&mut catalog.datasets);
    let keys: Vec<(String, &str)> = datasets
        .iter()
        .map(|d| (d.name.to_lowercase(), d.slug.as_str()))
        .collect();
    let mut order: Vec<usize> = (0..datasets.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    drop(keys);
    let mut slots: Vec<Option<model::Dataset>> = datasets.into_iter().map(Some).collect();
    catalog.datasets = order
        .into_iter()
        .map(|i| slots[i].take().expect("each position once"))
        .collect();
}

/// The JSON Schema of entries, with the vocabulary of the catalog at `root`.
pub fn entry_schema(root: &Path) -> Result<String, Failure> {
    let (files, mut diagnostics) = load::load(root).map_err(|e| Failure::Io(e.into()))?;
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
    /// The output was already what the inputs make (its manifest says so): nothing was
    /// rendered or written.
    pub unchanged: bool,
    /// What the checks found (warnings only).
    pub report: Report,
    /// How many files the site has.
    pub pages: usize,
    /// How long each stage took.
    pub timings: Timings,
    /// Where `--force` moved a directory that medatlas did not create.
    pub moved_aside: Option<PathBuf>,
    /// What the build left out and why, for the binary to print once: without `base_url`,
    /// the outputs that need absolute URLs.
    pub notes: Vec<String>,
}

/// All six stages: check the catalog, then render and write the site. Writes nothing when the
/// content has an error.
pub fn build(options: &BuildOptions) -> Result<Built, Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Failure::Io(Error::caused_by("cannot start worker threads", e)))?;
    pool.install(|| build_in_pool(options))
}

fn build_in_pool(options: &BuildOptions) -> Result<Built, Failure> {
    let mut timings = Timings::default();
    let (files, found) = timings
        .time("load", || load::load(&options.root))
        .map_err(|e| Failure::Io(e.into()))?;
    let digest = timings
        .time("digest", || input_digest(&options.root, &files, &found))
        .map_err(Failure::Io)?;
    // A place no build may write is refused before its manifest is read.
    let output =
        write::permitted(&options.root, &options.output).map_err(|e| Failure::Io(e.into()))?;
    let fresh = timings.time("manifest", || write::manifest::up_to_date(&output, &digest));
    if let Some((pages, files_checked, warnings)) = fresh {
        let site = files
            .site
            .and_then(|id| parse::parse_site(&files.sources[id]).0)
            .unwrap_or_default();
        return Ok(Built {
            unchanged: true,
            report: Report::new(warnings, &files.sources, files_checked),
            pages,
            timings,
            moved_aside: None,
            notes: notes(&site),
        });
    }
    let mut caches = Caches {
        loaded: Some((files, found)),
        once: true,
        ..Caches::default()
    };
    let ran = run(
        &Run {
            root: &options.root,
            output: &options.output,
            force: options.force,
            changed: None,
            digest: Some(&digest),
        },
        &mut caches,
        &mut timings,
    )?;
    Ok(Built {
        unchanged: false,
        pages: ran.counts.pages,
        report: ran.report,
        timings,
        moved_aside: ran.moved_aside,
        notes: ran.notes,
    })
}

/// What `build --single-file` needs to know.
#[derive(Debug, Clone)]
pub struct SingleFileOptions {
    /// The catalog: a directory holding `content/` (and optionally `templates/`, `static/`).
    pub root: PathBuf,
    /// Where the single file goes.
    pub path: PathBuf,
    /// Replace a file at `path` that medatlas did not write (it is moved aside).
    pub force: bool,
    /// Threads; `None` for one per core.
    pub jobs: Option<usize>,
}

/// What a successful `build --single-file` did.
pub struct BuiltSingleFile {
    /// What the checks found (warnings only).
    pub report: Report,
    /// The size of the file written, in bytes.
    pub bytes: usize,
    /// How many datasets it holds.
    pub datasets: usize,
    /// How long each stage took.
    pub timings: Timings,
    /// Where `--force` moved a file that medatlas did not write.
    pub moved_aside: Option<PathBuf>,
}

/// The single-file edition: stages 1–4 as for the site, then the one file rendered and written
/// in place of the site (`public/` is not touched). Writes nothing when the content has an
/// error.
pub fn build_single_file(options: &SingleFileOptions) -> Result<BuiltSingleFile, Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Failure::Io(Error::caused_by("cannot start worker threads", e)))?;
    pool.install(|| single_file_in_pool(options))
}

fn single_file_in_pool(options: &SingleFileOptions) -> Result<BuiltSingleFile, Failure> {
    let io = |e: write::WriteError| Failure::Io(e.into());
    let mut timings = Timings::default();
    let path = write::single::permitted_file(&options.root, &options.path).map_err(io)?;
    let (files, mut diagnostics) = timings
        .time("load", || load::load(&options.root))
        .map_err(|e| Failure::Io(e.into()))?;
    let (catalog, found) = timings.time("parse", || parse_catalog(&files));
    diagnostics.extend(found);
    let derive = |catalog: &Catalog| {
        let start = Instant::now();
        (derive::SiteData::new(catalog), start.elapsed())
    };
    let (mut checked, (mut data, took)) =
        cross_check(files, catalog, diagnostics, None, &mut timings, derive)
            .map_err(|failed| failed.1)?;
    timings.0.push(("derive", took));
    checked.files.forget_entry_texts();
    let html = timings.time("render", || {
        render_single_file(options, &checked, &mut data)
    })?;
    let moved_aside = timings
        .time("write", || {
            write::single::write_single_file(&path, html.as_bytes(), options.force)
        })
        .map_err(io)?;
    Ok(BuiltSingleFile {
        bytes: html.len(),
        datasets: checked.catalog.datasets.len(),
        report: checked.report,
        timings,
        moved_aside,
    })
}

/// The single file's HTML, ending with [`write::single::MARKER`]: from the templates, the
/// catalog rows and the search index, made as for the site.
fn render_single_file(
    options: &SingleFileOptions,
    checked: &Checked,
    data: &mut derive::SiteData,
) -> Result<String, Failure> {
    let root = &options.root;
    let theme = &checked.files.theme;
    let template = |e| Failure::Template(e);
    let templates = theme::templates(root, theme)
        .and_then(|sources| render::Templates::parse(&sources))
        .map_err(template)?;
    let statics = theme::single_file_statics(root, theme).map_err(Failure::Io)?;
    data.use_entry_template(&theme::entry_template(root));
    let data = &*data;
    let catalog = &checked.catalog;
    // Each dataset's key in the caches of rows and search parts, which live for this run only.
    let keys: Vec<u64> = (0..catalog.datasets.len() as u64).collect();
    let mut search = search::SearchCache::default();
    let mut rows = render::RowCache::default();
    let (rows, ()) = rayon::join(
        || render::catalog_rows(catalog, data, &templates, &keys, &mut rows),
        || {
            let with = (&data.labels, &data.facets, data.synonyms.as_slice());
            search.fill(catalog, with, &keys, true);
        },
    );
    let rows = rows.map_err(template)?;
    let registry = pages::registry(catalog, data);
    let term_counts = pages::term_counts(&registry);
    let notes = notes_by_dataset(checked);
    let inputs = render::single::SingleInputs {
        catalog,
        data,
        templates: &templates,
        notes: &notes,
        rows: &rows,
        search: &search,
        statics: &statics,
        term_counts: &term_counts,
    };
    let mut html = render::single::render_single(&inputs).map_err(template)?;
    if !html.ends_with('\n') {
        html.push('\n');
    }
    html.push_str(write::single::MARKER);
    Ok(html)
}

/// What a run of the catalog with these settings leaves out, and why.
fn notes(site: &model::Site) -> Vec<String> {
    render::discovery::missing_base_url(site.base_url.as_deref())
        .into_iter()
        .collect()
}

/// The digest of a build's inputs ([`write::manifest::digest`]): the content files read, what
/// reading them found, the templates and the static files.
fn input_digest(
    root: &Path,
    files: &load::ContentFiles,
    found: &[Diagnostic],
) -> Result<String, Error> {
    let templates = theme::template_files(&files.theme)?;
    let statics = theme::static_files(root, &files.theme)?;
    Ok(write::manifest::digest(
        &files.sources,
        found,
        &templates,
        &statics,
    ))
}

/// What the pipeline may reuse from its previous run: `serve` keeps one between rebuilds,
/// `build` starts from an empty one, given only the files it has read for its digest.
#[derive(Default)]
pub struct Caches {
    /// The content files, already read, with what reading them found: the next run takes them
    /// instead of reading the files.
    loaded: Option<(load::ContentFiles, Vec<Diagnostic>)>,
    /// The run is the only one (a build): the entries' texts are dropped once checked, since
    /// the report has copied those it cites. `serve` keeps them, for the warnings that the
    /// cached checks of unchanged entries report.
    once: bool,
    /// The content files of the last run, with what loading them found.
    files: Option<(load::ContentFiles, Vec<Diagnostic>)>,
    /// Each entry's parse, by path.
    parsed: ahash::AHashMap<String, Parsed>,
    /// Each entry's own checks, by the fingerprint of what they judge.
    checks: check::EntryChecks,
    /// The catalog's vector of datasets, emptied: the next run lends its datasets into it.
    spare: Vec<model::Dataset>,
    /// The parsed templates, with a hash of their sources.
    templates: Option<(u64, render::Templates)>,
    /// Rendered catalog rows.
    rows: render::RowCache,
    /// The search index's parts and inverted index.
    search: search::SearchCache,
    /// Each entry's column of the label matrix and record of the CSV file.
    listings: browse::ListingCache,
    /// Each entry's record of `catalog.json`.
    exports: derive::export::ExportCache,
    /// What the output holds, when known: each page's inputs fingerprint and bytes hash, by
    /// path. Unknown, the next run writes the whole site through a staging directory.
    written: Option<Written>,
}

/// One entry's parse: the hash of its source, the dataset (lent to the catalog during a run)
/// and what parsing found.
struct Parsed {
    hash: u64,
    /// The dataset's name in lowercase: the first key of its place in every listing.
    key: String,
    /// Boxed: the map keeps a pointer, not the whole dataset, in each slot, lent or not.
    dataset: Option<Box<model::Dataset>>,
    diagnostics: Vec<Diagnostic>,
}

/// The written pages, by path.
type Written = HashMap<String, Stamp, ahash::RandomState>;

/// A written page: its inputs fingerprint, a hash of its bytes and its size (for the manifest
/// of a build; 0 for a page the development server writes in place, which writes none).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    inputs: u64,
    bytes: u64,
    size: u64,
}

/// One run of the pipeline.
pub struct Run<'a> {
    /// The catalog.
    pub root: &'a Path,
    /// Where the site goes.
    pub output: &'a Path,
    /// Replace an output medatlas did not create (it is moved aside).
    pub force: bool,
    /// The files changed since the previous run (relative to the root, `/`-separated), when
    /// known; `None`: anything may have changed.
    pub changed: Option<&'a [String]>,
    /// The digest of the inputs, for a build: written with the site into its manifest
    /// ([`write::manifest`]). `None` (the development server) writes no manifest.
    pub digest: Option<&'a str>,
}

/// What a successful run did.
pub struct Ran {
    /// What the checks found (warnings only).
    pub report: Report,
    /// How many pages the site has, and how many were rendered and written.
    pub counts: Counts,
    /// Where `--force` moved a directory that medatlas did not create.
    pub moved_aside: Option<PathBuf>,
    /// What the run left out and why ([`Built::notes`]).
    pub notes: Vec<String>,
}

/// How many pages a run had, rendered and wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// Pages of the site.
    pub pages: usize,
    /// Pages rendered in this run (the others' inputs were unchanged).
    pub rendered: usize,
    /// Pages whose bytes changed and were written.
    pub written: usize,
}

/// The pipeline, for `build` and `serve` alike: load, parse, check, derive, render and write,
/// reusing from `caches` whatever the previous run made from the same inputs. Pages whose
/// inputs are unchanged are not rendered again; pages whose bytes are unchanged are not
/// written. When the output holds the previous run's pages and the set of pages is the same,
/// the changed pages are written in place; otherwise the whole site goes through a staging
/// directory.
pub fn run(run: &Run<'_>, caches: &mut Caches, timings: &mut Timings) -> Result<Ran, Failure> {
    let (files, load_diagnostics, reloaded) = input(run, caches, timings)?;
    caches.files = None;
    let mut diagnostics = load_diagnostics.clone();
    let only = run.changed.filter(|_| reloaded);
    let (catalog, found) = timings.time("parse", || parse_cached(&files, only, caches));
    diagnostics.extend(found);
    let derive = |catalog: &Catalog| {
        let start = Instant::now();
        (derive::SiteData::new(catalog), start.elapsed())
    };
    let entries = entry_fingerprints(&catalog, &caches.parsed);
    let cached = Some((entries, &mut caches.checks));
    let (mut checked, data) =
        match cross_check(files, catalog, diagnostics, cached, timings, derive) {
            Ok((checked, (data, took))) => {
                timings.0.push(("derive", took));
                (checked, data)
            }
            Err(failed) => {
                let (catalog, failure) = *failed;
                lend_back(caches, catalog);
                return Err(failure);
            }
        };
    if caches.once {
        checked.files.forget_entry_texts();
    }
    let notes = notes(&checked.catalog.site);
    let result = render_and_write(run, &checked, data, caches, timings);
    let Checked {
        catalog,
        files,
        report,
    } = checked;
    lend_back(caches, catalog);
    caches.files = Some((files, load_diagnostics));
    result.map(|(counts, moved_aside)| Ran {
        report,
        counts,
        moved_aside,
        notes,
    })
}

/// The input stage: the content files, re-read only where they changed when that is enough
/// (then `true`: the other files are those of the previous run).
fn input(
    run: &Run<'_>,
    caches: &mut Caches,
    timings: &mut Timings,
) -> Result<(load::ContentFiles, Vec<Diagnostic>, bool), Failure> {
    if let Some((files, found)) = caches.loaded.take() {
        return Ok((files, found, false));
    }
    if let (Some(changed), Some((mut files, found))) = (run.changed, caches.files.take()) {
        let content_only = changed.iter().all(|p| p.starts_with("content/"));
        if found.is_empty()
            && content_only
            && timings.time("load", || load::reload(run.root, &mut files, changed))
        {
            return Ok((files, found, true));
        }
    }
    let (files, found) = timings
        .time("load", || load::load(run.root))
        .map_err(|e| Failure::Io(e.into()))?;
    Ok((files, found, false))
}

/// Stage 2 with the cache: an entry whose path and text are those of the previous run keeps
/// its parse (its dataset is lent to the catalog). `only`: the files that may differ from the
/// previous run's, when known (the text of the others is not hashed again).
fn parse_cached(
    files: &load::ContentFiles,
    only: Option<&[String]>,
    caches: &mut Caches,
) -> (Catalog, Vec<Diagnostic>) {
    use rayon::prelude::*;
    let (mut catalog, mut diagnostics) = parse_catalog_files(files);
    let hashes: Option<Vec<u64>> = only.is_none().then(|| {
        files
            .entries
            .par_iter()
            .map(|&id| pages::stable_hash(files.sources[id].text.as_str()))
            .collect()
    });
    let mut missing = Vec::new();
    for (i, &id) in files.entries.iter().enumerate() {
        let source = &files.sources[id];
        let same = |p: &Parsed| match &hashes {
            Some(hashes) => hashes[i] == p.hash,
            None => !only.is_some_and(|only| only.contains(&source.path)),
        };
        match caches.parsed.get(&source.path) {
            Some(p) if (p.dataset.is_some() || !p.diagnostics.is_empty()) && same(p) => {}
            _ => missing.push(id),
        }
    }
    let parsed: Vec<(model::SourceId, Parsed)> = missing
        .into_par_iter()
        .map(|id| (id, Parsed::of(&files.sources[id], id)))
        .collect();
    for (id, p) in parsed {
        caches.parsed.insert(files.sources[id].path.clone(), p);
    }
    forget_removed(caches, files);
    for &id in &files.entries {
        diagnostics.extend(
            caches.parsed[&files.sources[id].path]
                .diagnostics
                .iter()
                .cloned(),
        );
    }
    catalog.datasets = lend_sorted(caches, files);
    (catalog, diagnostics)
}

impl Parsed {
    fn of(source: &Source, id: model::SourceId) -> Parsed {
        let (dataset, diagnostics) = parse::parse_entry(source, id);
        Parsed {
            hash: pages::stable_hash(source.text.as_str()),
            key: dataset
                .as_ref()
                .map(|d| d.name.to_lowercase())
                .unwrap_or_default(),
            dataset: dataset.map(Box::new),
            diagnostics,
        }
    }
}

/// Lend the parsed datasets to the catalog, in the order of every listing: by name
/// (case-insensitive), then slug. Each moves once, into the vector of the previous run.
fn lend_sorted(caches: &mut Caches, files: &load::ContentFiles) -> Vec<model::Dataset> {
    let parsed = &mut caches.parsed;
    let mut order: Vec<(&str, &str, model::SourceId)> = files
        .entries
        .iter()
        .filter_map(|&id| {
            let p = &parsed[&files.sources[id].path];
            p.dataset
                .as_ref()
                .map(|d| (p.key.as_str(), d.slug.as_str(), id))
        })
        .collect();
    order.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let order: Vec<model::SourceId> = order.into_iter().map(|(_, _, id)| id).collect();
    let mut datasets = std::mem::take(&mut caches.spare);
    datasets.extend(order.into_iter().map(|id| {
        let p = caches
            .parsed
            .get_mut(&files.sources[id].path)
            .expect("parsed above");
        let mut d = *p.dataset.take().expect("parsed above");
        d.source = id;
        d
    }));
    datasets
}

/// Drop the parses of entries that are gone.
fn forget_removed(caches: &mut Caches, files: &load::ContentFiles) {
    if caches.parsed.len() > files.entries.len() {
        let paths: std::collections::HashSet<&str> = files
            .entries
            .iter()
            .map(|&id| files.sources[id].path.as_str())
            .collect();
        caches
            .parsed
            .retain(|path, _| paths.contains(path.as_str()));
    }
}

/// Give the catalog's datasets back to the parse cache.
fn lend_back(caches: &mut Caches, mut catalog: Catalog) {
    for dataset in catalog.datasets.drain(..) {
        if let Some(parsed) = caches.parsed.get_mut(&dataset.path) {
            parsed.dataset = Some(Box::new(dataset));
        }
    }
    caches.spare = catalog.datasets;
}

/// Stages 4–6: with the site-wide view (`data`), derive the parts of the pages, render the
/// pages whose inputs changed, write those whose bytes did.
fn render_and_write(
    run: &Run<'_>,
    checked: &Checked,
    mut data: derive::SiteData,
    caches: &mut Caches,
    timings: &mut Timings,
) -> Result<(Counts, Option<PathBuf>), Failure> {
    let (templates_hash, entry_template) =
        templates_cached(run.root, &checked.files, caches, timings)?;
    let catalog = &checked.catalog;
    data.use_entry_template(&entry_template);
    let notes = notes_by_dataset(checked);
    let site = site_fingerprint(checked, &data, templates_hash, &entry_template);
    let templates = &caches.templates.as_ref().expect("loaded above").1;
    let lists = Lists {
        search: &mut caches.search,
        listings: &mut caches.listings,
        exports: &mut caches.exports,
        once: caches.once,
    };
    let rows = &mut caches.rows;
    let sources = (&caches.parsed, &notes, site);
    let (made, (mut registry, sitemap, took)) = rayon::join(
        || make_parts(checked, &data, templates, sources, rows, lists),
        || {
            let start = Instant::now();
            let registry = pages::registry(catalog, &data);
            let sitemap = pages::sitemap_paths(&registry);
            (registry, sitemap, start.elapsed())
        },
    );
    let (mut fingerprints, rows) = made.map_err(Failure::Template)?;
    fingerprints.value.sitemap = pages::stable_hash(&sitemap);
    registry.extend(pages::search_files(&caches.search));
    timings
        .0
        .extend([("parts", fingerprints.took), ("registry", took)]);
    let term_counts = pages::term_counts(&registry);
    let inputs = render::Inputs {
        catalog,
        data: &data,
        templates,
        notes: &notes,
        rows: &rows,
        sitemap: &sitemap,
        term_counts: &term_counts,
        search: &caches.search,
        listings: &caches.listings,
        exports: &caches.exports,
    };
    let previous = caches.written.take();
    let (written, counts, moved_aside) = write_pages(
        run,
        checked,
        &registry,
        &fingerprints.value,
        &inputs,
        previous,
        timings,
    )?;
    caches.written = Some(written);
    Ok((counts, moved_aside))
}

/// A value with the time it took to make.
struct Took<T> {
    value: T,
    took: Duration,
}

/// What the fingerprints are made from besides the catalog: the parses, each dataset's notes
/// and the site-wide fingerprint.
type Sources<'a> = (
    &'a ahash::AHashMap<String, Parsed>,
    &'a HashMap<&'a str, Vec<&'a Diagnostic>>,
    u64,
);

/// The fingerprints of the run and the catalog rows, with every entry's parts up to date.
fn make_parts<'c, 'r>(
    checked: &'c Checked,
    data: &derive::SiteData,
    templates: &render::Templates,
    (parsed, notes, site): Sources<'_>,
    rows: &'r mut render::RowCache,
    lists: Lists<'_>,
) -> Result<(Took<pages::Fingerprints<'c>>, render::CatalogRows<'r>), Error> {
    let start = Instant::now();
    let catalog = &checked.catalog;
    let mut fingerprints = fingerprints(checked, parsed, notes, site);
    fingerprints.lineage.clone_from(data.lineage.fingerprints());
    fingerprints.lineage_page = data.lineage.page_hash();
    fingerprints.cite_keys = data.citations.fingerprints(catalog);
    let row_keys = keyed(&fingerprints, site);
    let rows = render::catalog_rows(catalog, data, templates, &row_keys, rows)?;
    fingerprints.listings = lists.fill(catalog, data, &fingerprints, &row_keys);
    fingerprints.rows.clone_from(&rows.hashes);
    let took = start.elapsed();
    Ok((
        Took {
            value: fingerprints,
            took,
        },
        rows,
    ))
}

/// The caches of the listing pages.
struct Lists<'c> {
    search: &'c mut search::SearchCache,
    listings: &'c mut browse::ListingCache,
    exports: &'c mut derive::export::ExportCache,
    /// The caches serve this run only (a build): what only a later run would reuse is not kept.
    once: bool,
}

impl Lists<'_> {
    /// Bring every entry's parts up to date (`row_keys`: the entries' keys with the site-wide
    /// inputs) and hash what each listing page is assembled from.
    fn fill(
        self,
        catalog: &Catalog,
        data: &derive::SiteData,
        fingerprints: &pages::Fingerprints<'_>,
        row_keys: &[u64],
    ) -> pages::Listings {
        let facets = serde_json::to_string(&data.facets).expect("serialisable");
        let keys = keyed(
            fingerprints,
            pages::stable_hash(&(fingerprints.site, &facets)),
        );
        let Lists {
            search,
            listings,
            exports,
            once,
        } = self;
        // A record of catalog.json shows its entry, its lineage and its papers' keys.
        let export_keys: Vec<u64> = catalog
            .datasets
            .iter()
            .zip(row_keys)
            .map(|(d, key)| {
                let lineage = fingerprints.lineage.get(&d.slug);
                pages::stable_hash(&(key, lineage, fingerprints.cite_keys.get(&d.slug)))
            })
            .collect();
        rayon::join(
            || {
                let with = (&data.labels, &data.facets, data.synonyms.as_slice());
                search.fill(catalog, with, &keys, once);
            },
            || {
                listings.fill(catalog, data, row_keys);
                exports.fill(catalog, data, &export_keys, once);
            },
        );
        let (labels, csv) = listings.hashes();
        pages::Listings {
            index: index_hash(catalog),
            labels,
            csv,
            exports: exports.hash(),
        }
    }
}

/// What the index page shows of every entry besides its rows: the terms it counts in.
fn index_hash(catalog: &Catalog) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = pages::stable_hasher();
    for d in &catalog.datasets {
        for list in [&d.modalities, &d.body_regions, &d.tasks] {
            list.len().hash(&mut hasher);
            list.iter().for_each(|t| t.value.hash(&mut hasher));
        }
        d.access.value.hash(&mut hasher);
    }
    hasher.finish()
}

/// Each entry's fingerprint combined with `with`: the key of what is made from the entry and
/// from what `with` fingerprints.
fn keyed(fingerprints: &pages::Fingerprints<'_>, with: u64) -> Vec<u64> {
    fingerprints
        .entry
        .iter()
        .map(|e| pages::stable_hash(&(with, e)))
        .collect()
}

/// Written pages by path, with what a run did.
type Wrote = (Written, Counts, Option<PathBuf>);

/// Write the site: in place when the output holds the previous run's pages (`previous`), the
/// set of pages is the same (but for the search index's shards, which come and go with the
/// words of the catalog) and no static file changed; through a staging directory otherwise.
fn write_pages(
    run: &Run<'_>,
    checked: &Checked,
    registry: &[pages::Page<'_>],
    fingerprints: &pages::Fingerprints<'_>,
    inputs: &render::Inputs<'_>,
    previous: Option<Written>,
    timings: &mut Timings,
) -> Result<Wrote, Failure> {
    let stamps: Vec<(String, u64)> = timings.time("stamps", || {
        use rayon::prelude::*;
        registry
            .par_iter()
            .map(|p| (p.path(), p.inputs(fingerprints)))
            .collect()
    });
    let static_changed = run
        .changed
        .is_none_or(|c| c.iter().any(|p| p.starts_with("static/")));
    let same_pages = |w: &Written| {
        let kept = |path: &&String| !path.starts_with(SEARCH_SHARDS);
        w.keys().filter(kept).count() == stamps.iter().map(|(p, _)| p).filter(kept).count()
            && stamps
                .iter()
                .all(|(path, _)| !kept(&path) || w.contains_key(path))
    };
    let mut counts = Counts {
        pages: registry.len(),
        ..Counts::default()
    };
    match previous {
        Some(mut written) if !static_changed && same_pages(&written) => {
            write_live(
                run,
                registry,
                &stamps,
                inputs,
                &mut written,
                &mut counts,
                timings,
            )?;
            Ok((written, counts, None))
        }
        _ => {
            let (written, aside) = write_staged(
                run,
                checked,
                registry,
                &stamps,
                inputs,
                &mut counts,
                timings,
            )?;
            Ok((written, counts, aside))
        }
    }
}

/// The templates, parsed again only when their sources changed, and the entry template.
fn templates_cached(
    root: &Path,
    files: &load::ContentFiles,
    caches: &mut Caches,
    timings: &mut Timings,
) -> Result<(u64, String), Failure> {
    let hash = timings
        .time("templates", || {
            let sources = theme::templates(root, &files.theme)?;
            let hash = pages::stable_hash(&sources);
            if caches.templates.as_ref().is_none_or(|(h, _)| *h != hash) {
                caches.templates = None;
                caches.templates = Some((hash, render::Templates::parse(&sources)?));
            }
            Ok(hash)
        })
        .map_err(Failure::Template)?;
    let entry_template = theme::entry_template(root);
    Ok((hash, entry_template))
}

/// What every page reads: the templates, the entry template, the non-entry content files and
/// the site-wide view.
fn site_fingerprint(
    checked: &Checked,
    data: &derive::SiteData,
    templates: u64,
    entry_template: &str,
) -> u64 {
    let files = &checked.files;
    let text = |id: Option<model::SourceId>| id.map(|id| files.sources[id].text.as_str());
    let site = serde_json::to_string(&data.site).expect("serialisable");
    pages::stable_hash(&(
        templates,
        entry_template,
        site,
        [
            text(files.site),
            text(files.vocabulary),
            text(files.labels),
            text(files.tasks),
            text(files.licenses),
        ],
    ))
}

fn fingerprints<'c>(
    checked: &'c Checked,
    parsed: &ahash::AHashMap<String, Parsed>,
    notes: &HashMap<&str, Vec<&Diagnostic>>,
    site: u64,
) -> pages::Fingerprints<'c> {
    let datasets = &checked.catalog.datasets;
    let entry = entry_fingerprints(&checked.catalog, parsed);
    pages::Fingerprints {
        site,
        entry,
        sitemap: 0,
        notes: notes
            .iter()
            .map(|(slug, found)| {
                let key: Vec<_> = found
                    .iter()
                    .map(|n| (&n.message, &n.help, n.line))
                    .collect();
                (slug.to_string(), pages::stable_hash(&key))
            })
            .collect(),
        names: datasets
            .iter()
            .map(|d| (d.slug.as_str(), d.name.as_str()))
            .collect(),
        position: datasets
            .iter()
            .enumerate()
            .map(|(i, d)| (d.slug.as_str(), i))
            .collect(),
        rows: Vec::new(),
        listings: pages::Listings::default(),
        lineage: std::collections::HashMap::new(),
        lineage_page: 0,
        cite_keys: std::collections::HashMap::new(),
    }
}

/// Each dataset's fingerprint, in catalog order: its source is its path and text, whose hash
/// the parse cache holds.
fn entry_fingerprints(catalog: &Catalog, parsed: &ahash::AHashMap<String, Parsed>) -> Vec<u64> {
    catalog
        .datasets
        .iter()
        .map(|d| pages::stable_hash(&(&d.path, parsed.get(&d.path).map(|p| p.hash))))
        .collect()
}

/// Render the pages whose inputs changed, then write into the live output those whose bytes
/// changed. Nothing is written when a page fails to render.
/// The folder of the search index's shards.
const SEARCH_SHARDS: &str = "search/";

/// Render the pages whose inputs changed (or that are new) and write those whose bytes did;
/// remove the shards of the search index no longer made.
fn write_live(
    run: &Run<'_>,
    registry: &[pages::Page<'_>],
    stamps: &[(String, u64)],
    inputs: &render::Inputs<'_>,
    written: &mut Written,
    ran: &mut Counts,
    timings: &mut Timings,
) -> Result<(), Failure> {
    use rayon::prelude::*;
    let stale: Vec<usize> = (0..registry.len())
        .filter(|&i| {
            written
                .get(&stamps[i].0)
                .is_none_or(|w| w.inputs != stamps[i].1)
        })
        .collect();
    let rendered: Vec<(usize, String, u64)> = timings
        .time("render", || {
            stale
                .par_iter()
                .map(|&i| {
                    let bytes = render::render_page(&registry[i], inputs)?;
                    let hash = pages::stable_hash(bytes.as_str());
                    Ok((i, bytes, hash))
                })
                .collect::<Result<_, Error>>()
        })
        .map_err(Failure::Template)?;
    ran.rendered = rendered.len();
    timings.time("write", || {
        let changed: Vec<&(usize, String, u64)> = rendered
            .iter()
            .filter(|(i, _, hash)| written.get(&stamps[*i].0).is_none_or(|w| w.bytes != *hash))
            .collect();
        changed.par_iter().try_for_each(|(i, bytes, _)| {
            write::write_in_place(run.output, &stamps[*i].0, bytes.as_bytes())
                .map_err(|e| Failure::Io(e.into()))
        })?;
        if !changed.is_empty() {
            write::manifest::forget(run.output).map_err(|e| {
                Failure::Io(Error::caused_by(
                    format!("cannot remove the manifest of {}", run.output.display()),
                    e,
                ))
            })?;
        }
        ran.written += changed.len();
        for (i, _, hash) in &rendered {
            let (path, inputs) = (&stamps[*i].0, stamps[*i].1);
            let stamp = Stamp {
                inputs,
                bytes: *hash,
                size: 0,
            };
            written.insert(path.clone(), stamp);
        }
        if written.len() > stamps.len() {
            let now: ahash::AHashSet<&str> = stamps.iter().map(|(p, _)| p.as_str()).collect();
            let gone: Vec<String> = written
                .keys()
                .filter(|p| !now.contains(p.as_str()))
                .cloned()
                .collect();
            for path in gone {
                std::fs::remove_file(run.output.join(&path)).map_err(|e| {
                    Failure::Io(Error::caused_by(format!("cannot remove {path}"), e))
                })?;
                written.remove(&path);
            }
        }
        Ok(())
    })
}

/// Render every page into a staging directory and publish it in place of the output.
fn write_staged(
    run: &Run<'_>,
    checked: &Checked,
    registry: &[pages::Page<'_>],
    stamps: &[(String, u64)],
    inputs: &render::Inputs<'_>,
    ran: &mut Counts,
    timings: &mut Timings,
) -> Result<(Written, Option<PathBuf>), Failure> {
    use rayon::prelude::*;
    let io = |e: write::WriteError| Failure::Io(e.into());
    let statics = theme::static_files(run.root, &checked.files.theme).map_err(Failure::Io)?;
    let staging = write::Staging::open(run.root, run.output, run.force).map_err(io)?;
    // Each page is written into the staging directory as soon as it is rendered.
    let written = timings.time("render", || {
        registry
            .par_iter()
            .zip(stamps)
            .map(|(page, (path, inputs_hash))| {
                if let Some(fill) = render::streamed(page, inputs) {
                    let (mut size, mut hasher) = (0, pages::stable_hasher());
                    staging
                        .write_streamed(path, |out| {
                            fill(&mut Counting {
                                out,
                                size: &mut size,
                                hasher: &mut hasher,
                            })
                        })
                        .map_err(io)?;
                    let bytes = std::hash::Hasher::finish(&hasher);
                    let stamp = Stamp {
                        inputs: *inputs_hash,
                        bytes,
                        size,
                    };
                    return Ok((path.clone(), stamp));
                }
                let bytes = render::render_page(page, inputs).map_err(Failure::Template)?;
                staging.write(path, bytes.as_bytes()).map_err(io)?;
                let stamp = Stamp {
                    inputs: *inputs_hash,
                    bytes: pages::stable_hash(bytes.as_str()),
                    size: bytes.len() as u64,
                };
                Ok((path.clone(), stamp))
            })
            .collect::<Result<Written, Failure>>()
    })?;
    if let Some(digest) = run.digest {
        let manifest = manifest(digest, &checked.report, &written, &statics);
        staging
            .write(write::manifest::MANIFEST, &manifest)
            .map_err(io)?;
    }
    let published = timings
        .time("commit", || staging.commit(&statics))
        .map_err(io)?;
    ran.rendered = registry.len();
    ran.written = registry.len();
    Ok((written, published.moved_aside))
}

/// A writer into `out` that counts the size of what passes and hashes it: the stamp of a file
/// written in parts ([`render::streamed`]).
struct Counting<'a> {
    out: &'a mut dyn std::io::Write,
    size: &'a mut u64,
    hasher: &'a mut ahash::AHasher,
}

impl std::io::Write for Counting<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        use std::hash::Hasher;
        let n = self.out.write(bytes)?;
        self.hasher.write(&bytes[..n]);
        *self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The manifest of a site built from inputs of `digest`: its pages and static files with their
/// sizes, and the warnings of `report`.
fn manifest(
    digest: &str,
    report: &Report,
    pages: &Written,
    statics: &[theme::StaticFile],
) -> Vec<u8> {
    let mut files: Vec<(String, u64)> = pages
        .iter()
        .map(|(path, stamp)| (path.clone(), stamp.size))
        .chain(
            statics
                .iter()
                .map(|f| (f.name.clone(), f.bytes.len() as u64)),
        )
        .collect();
    files.sort_unstable();
    let manifest = write::manifest::Manifest {
        digest: digest.to_string(),
        pages: pages.len(),
        files_checked: report.files_checked,
        files,
        warnings: report
            .diagnostics
            .iter()
            .map(write::manifest::Stored::of)
            .collect(),
    };
    serde_json::to_vec(&manifest).expect("the manifest serialises")
}

/// Each dataset's warnings, shown on its page as data notes.
fn notes_by_dataset(checked: &Checked) -> HashMap<&str, Vec<&Diagnostic>> {
    if checked.report.diagnostics.is_empty() {
        return HashMap::new();
    }
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
