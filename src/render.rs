//! Render: the catalog's pages, from Tera 2 templates and the derived views.
//!
//! Templates are data: the defaults in the repository's `templates/` are embedded in the binary,
//! and a catalog's own `templates/NAME.html` replaces the default of the same name. They are
//! parsed once per build. Pages are rendered in parallel; each gets a small context: the
//! site-wide view, the relative path back to the site root, and its own view.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::browse;
use crate::derive::SiteData;
use crate::diagnostics::Diagnostic;
use crate::model::Catalog;

/// The default templates, embedded so that a catalog with no `templates/` still builds.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("dataset.html", include_str!("../templates/dataset.html")),
    (
        "class_table.html",
        include_str!("../templates/class_table.html"),
    ),
    (
        "catalog_table.html",
        include_str!("../templates/catalog_table.html"),
    ),
    (
        "catalog_row.html",
        include_str!("../templates/catalog_row.html"),
    ),
    ("term.html", include_str!("../templates/term.html")),
    ("labels.html", include_str!("../templates/labels.html")),
    ("compare.html", include_str!("../templates/compare.html")),
    ("tasks.html", include_str!("../templates/tasks.html")),
    ("404.html", include_str!("../templates/404.html")),
];

/// The default static files, written to the output root unless the catalog's `static/` has a
/// file of the same name.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../static/style.css")),
    ("early.js", include_bytes!("../static/early.js")),
    ("catalog.js", include_bytes!("../static/catalog.js")),
    ("compare.js", include_bytes!("../static/compare.js")),
];

/// One output file: its path relative to the output directory, and its bytes.
pub struct Page {
    pub path: String,
    pub html: String,
}

pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// Parse the defaults, each replaced by `root/templates/NAME.html` where that exists, plus
    /// any other `.html` files there (for a site's own includes).
    pub fn load(root: &Path) -> Result<Self, String> {
        let mut sources: HashMap<String, String> = DEFAULT_TEMPLATES
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        let dir = root.join("templates");
        let walked = crate::load::walk(root, &dir, usize::MAX)?;
        if let Some(problem) = walked.problems.first() {
            return Err(problem.to_string());
        }
        for path in walked.files {
            if path.extension().is_some_and(|e| e == "html") {
                let name = path
                    .strip_prefix(&dir)
                    .expect("walk yields paths under its directory")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                sources.insert(name, text);
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| format!("template error: {e}"))?;
        Ok(Templates { tera })
    }

    fn render(&self, name: &str, context: &Context) -> Result<String, String> {
        self.tera
            .render(name, context)
            .map_err(|e| format!("cannot render {name}: {e}"))
    }
}

fn context(data: &SiteData, root: &str, key: &'static str, value: &impl Serialize) -> Context {
    let mut context = Context::new();
    context.insert("site", &data.site);
    context.insert("root", root);
    context.insert(key, value);
    context
}

/// `../` once per directory level of an output path: the way back to the site root.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Where finished pages go: (path relative to the site root, bytes).
pub type PageSink<'a> = dyn Fn(&str, &[u8]) -> Result<(), String> + Sync + 'a;

/// Which pages to render: all, or those that depend on some entries (after an edit: their
/// pages, the pages of entries that link to them, and every listing).
pub enum Selection {
    All,
    /// The pages depending on these entries (slugs), and these term pages (paths, e.g.
    /// `modalities/x-ray.html`: the terms the entries had before and have now).
    Entries {
        slugs: std::collections::HashSet<String>,
        term_pages: std::collections::HashSet<String>,
    },
}

impl Selection {
    fn wants(&self, job: &Job) -> bool {
        let Selection::Entries { slugs, term_pages } = self else {
            return true;
        };
        match job {
            Job::Dataset(d) => {
                slugs.contains(&d.slug) || d.related.iter().any(|r| slugs.contains(&r.value))
            }
            Job::CompareData(_, datasets) => datasets.iter().any(|d| slugs.contains(&d.slug)),
            Job::Term(path, _) => term_pages.contains(path),
            Job::Index | Job::Labels | Job::SearchIndex | Job::Csv => true,
            // These change only when entries are added or removed, which rebuilds everything.
            Job::Compare(_) | Job::Tasks | Job::NotFound | Job::Sitemap => false,
        }
    }
}

/// Why rendering stopped.
pub enum RenderError {
    Template(String),
    Write(String),
}

/// Render every page of the site, handing each to `sink` (path, bytes) as soon as it is done,
/// so the whole site is never held in memory. `notes` holds each dataset's warnings, by slug.
/// Returns the number of pages.
pub fn render_site(
    catalog: &Catalog,
    data: &SiteData,
    templates: &Templates,
    notes: &HashMap<&str, Vec<&Diagnostic>>,
    selection: &Selection,
    sink: &PageSink<'_>,
) -> Result<usize, RenderError> {
    let chunks = browse::compare_chunks(catalog.datasets.len());
    let mut jobs = vec![
        Job::SearchIndex,
        Job::Csv,
        Job::Labels,
        Job::Index,
        Job::Compare(chunks),
        Job::Tasks,
        Job::NotFound,
    ];
    if data.site.base_url.is_some() {
        jobs.push(Job::Sitemap);
    }
    jobs.extend(
        browse::term_pages(catalog, data)
            .into_iter()
            .map(|(path, view)| Job::Term(path, view)),
    );
    jobs.extend(
        compare_chunks(catalog, chunks)
            .into_iter()
            .enumerate()
            .map(|(n, d)| Job::CompareData(n, d)),
    );
    jobs.extend(catalog.datasets.iter().map(Job::Dataset));
    jobs.retain(|job| selection.wants(job));
    let rows = catalog_rows(data, templates).map_err(RenderError::Template)?;
    let count = jobs.len();
    jobs.into_par_iter().try_for_each(|job| {
        let page = job
            .render(catalog, data, templates, notes, &rows)
            .map_err(RenderError::Template)?;
        sink(&page.path, page.html.as_bytes()).map_err(RenderError::Write)
    })?;
    Ok(count)
}

/// One output file to produce. All jobs of a build run in parallel, the few big site-wide
/// pages alongside the many dataset pages.
enum Job<'a> {
    Index,
    Labels,
    Compare(u32),
    SearchIndex,
    Tasks,
    NotFound,
    /// sitemap.xml, with a `base_url` only: the one file that needs absolute URLs.
    Sitemap,
    /// catalog.csv: every dataset as a spreadsheet row.
    Csv,
    Term(String, browse::TermPage<'a>),
    CompareData(usize, Vec<&'a crate::model::Dataset>),
    Dataset(&'a crate::model::Dataset),
}

impl Job<'_> {
    fn render(
        self,
        catalog: &Catalog,
        data: &SiteData,
        templates: &Templates,
        notes: &HashMap<&str, Vec<&Diagnostic>>,
        rows: &CatalogRows,
    ) -> Result<Page, String> {
        let page = |path: &str, html: String| {
            Ok(Page {
                path: path.to_string(),
                html,
            })
        };
        match self {
            Job::Index => {
                let groups = browse::facet_groups(catalog, data);
                let mut index = context(data, "", "rows", &rows.top);
                index.insert("groups", &groups);
                page("index.html", templates.render("index.html", &index)?)
            }
            Job::Labels => {
                let matrix = browse::label_matrix(catalog, data);
                page(
                    "labels.html",
                    templates.render("labels.html", &context(data, "", "matrix", &matrix))?,
                )
            }
            Job::Compare(chunks) => page(
                "compare.html",
                templates.render("compare.html", &context(data, "", "chunks", &chunks))?,
            ),
            Job::SearchIndex => page(
                "search-index.js",
                crate::search::index_js(catalog, &data.labels, &data.facets),
            ),
            Job::Tasks => page(
                "tasks.html",
                templates.render(
                    "tasks.html",
                    &context(data, "", "checklist", &data.checklist),
                )?,
            ),
            Job::NotFound => page(
                "404.html",
                templates.render(
                    "404.html",
                    &context(data, &not_found_root(data), "path", &""),
                )?,
            ),
            Job::Sitemap => page("sitemap.xml", sitemap(catalog, data)),
            Job::Csv => page("catalog.csv", browse::catalog_csv(catalog, data)),
            Job::Term(path, view) => {
                let mut term = context(data, &root_of(&path), "page", &view);
                let own: Vec<&str> = view
                    .datasets
                    .iter()
                    .map(|&i| rows.nested[i].as_str())
                    .collect();
                term.insert("rows", &own);
                let html = templates.render("term.html", &term)?;
                page(&path, html)
            }
            Job::CompareData(n, datasets) => page(
                &format!("compare-data/{n}.js"),
                compare_data(&datasets, data),
            ),
            Job::Dataset(dataset) => {
                let own = notes
                    .get(dataset.slug.as_str())
                    .map_or(&[][..], Vec::as_slice);
                let view = data.dataset_page(dataset, own);
                let html =
                    templates.render("dataset.html", &context(data, "../", "dataset", &view))?;
                page(&format!("datasets/{}.html", dataset.slug), html)
            }
        }
    }
}

/// Each dataset's row of the catalog tables, rendered once and reused by the index and every
/// term page it appears on: for pages at the site root, and for pages one directory down.
struct CatalogRows {
    top: Vec<String>,
    nested: Vec<String>,
}

fn catalog_rows(data: &SiteData, templates: &Templates) -> Result<CatalogRows, String> {
    let render = |root: &'static str| -> Result<Vec<String>, String> {
        data.index
            .par_iter()
            .map(|row| {
                let mut context = Context::new();
                context.insert("root", root);
                context.insert("d", row);
                templates.render("catalog_row.html", &context)
            })
            .collect()
    };
    Ok(CatalogRows {
        top: render("")?,
        nested: render("../")?,
    })
}

/// Every page of the site as a sitemap (https://www.sitemaps.org/protocol.html).
fn sitemap(catalog: &Catalog, data: &SiteData) -> String {
    let base = data.site.base_url.as_deref().unwrap_or_default();
    let mut paths: Vec<String> = ["index.html", "tasks.html", "labels.html", "compare.html"]
        .iter()
        .map(|p| p.to_string())
        .collect();
    for facet in crate::model::Facet::ALL {
        for term in catalog.vocabulary.facet(facet) {
            paths.push(format!("{}/{}.html", facet.dir(), term.id));
        }
    }
    paths.extend(
        catalog
            .datasets
            .iter()
            .map(|d| format!("datasets/{}.html", d.slug)),
    );
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        xml.push_str("  <url><loc>");
        xml.push_str(&crate::markdown::escape_html(&format!("{base}/{path}")));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The datasets of each comparison file.
fn compare_chunks(catalog: &Catalog, chunks: u32) -> Vec<Vec<&crate::model::Dataset>> {
    let mut files: Vec<Vec<&crate::model::Dataset>> = (0..chunks).map(|_| Vec::new()).collect();
    for dataset in &catalog.datasets {
        files[browse::compare_chunk(&dataset.slug, chunks) as usize].push(dataset);
    }
    files
}

/// One comparison file: a script that adds its datasets to `window.MEDATLAS_COMPARE`.
fn compare_data(datasets: &[&crate::model::Dataset], data: &SiteData) -> String {
    let map: serde_json::Map<String, serde_json::Value> = datasets
        .iter()
        .map(|d| {
            let entry = browse::compare_entry(d, data);
            (
                d.slug.clone(),
                serde_json::to_value(entry).expect("serialisable"),
            )
        })
        .collect();
    let json = serde_json::to_string(&map).expect("serialisable");
    format!("window.MEDATLAS_COMPARE = Object.assign(window.MEDATLAS_COMPARE || {{}}, {json});\n")
}

/// A host serves 404.html for a missing path at any depth, where relative links would break;
/// with a `base_url` the page links absolutely, otherwise relative to the site root.
fn not_found_root(data: &SiteData) -> String {
    data.site
        .base_url
        .as_ref()
        .map_or(String::new(), |base| format!("{base}/"))
}
