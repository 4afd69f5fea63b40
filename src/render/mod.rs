//! Render: the catalog's pages, from Tera 2 templates and the derived views.
//!
//! Templates are data: the defaults in the repository's `templates/` are embedded in the binary,
//! and a catalog's own `templates/NAME.html` replaces the default of the same name. They are
//! parsed once per build (and kept between runs of `serve` while their sources are unchanged).
//! [`render_page`] renders one page of the [`crate::render::pages`] registry; each gets a small
//! context: the site-wide view, the relative path back to the site root, and its own view.
//! [`single`] makes the single-file edition from the same inputs.

pub(crate) mod discovery;
pub(crate) mod pages;
pub(crate) mod paging;
mod rewrite;
pub(crate) mod single;
mod splice;

use crate::common::error::Error;
use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::derive::SiteData;
use crate::derive::browse;
use crate::diagnostics::Diagnostic;
use crate::model::Catalog;
use crate::render::pages::{Page, Part};
use crate::render::paging::Pager;
use splice::Splice;

pub(crate) struct Templates {
    tera: Tera,
}

impl Templates {
    /// Parse template sources (from [`crate::input::theme::templates`]).
    pub(crate) fn parse(sources: &BTreeMap<String, String>) -> Result<Self, Error> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| Error::caused_by("the templates do not parse", e))?;
        Ok(Templates { tera })
    }

    fn render(&self, name: &str, context: &Context) -> Result<String, Error> {
        self.tera
            .render(name, context)
            .map_err(|e| Error::caused_by(format!("cannot render {name}"), e))
    }
}

/// The context of a page: the site-wide view, the way back to the site root, the page's own
/// view under `key` and, with a `base_url`, the `canonical` address of `page` (which the head's
/// canonical link and OpenGraph tags print). The 404 page, served at any path, has none, nor
/// has what is not a page of the site (`None`: the single file's parts).
fn context(
    data: &SiteData,
    page: Option<&Page<'_>>,
    root: &str,
    key: &'static str,
    value: &impl Serialize,
) -> Context {
    let mut context = Context::new();
    context.insert("site", &data.site);
    context.insert("root", root);
    context.insert(key, value);
    if let Some(base) = &data.site.base_url
        && let Some(page) = page.filter(|p| !matches!(p, Page::NotFound))
    {
        context.insert("canonical", &format!("{base}/{}", page.path()));
    }
    context
}

/// `../` once per directory level of an output path: the way back to the site root.
fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Everything a page is rendered from.
pub(crate) struct Inputs<'a> {
    pub(crate) catalog: &'a Catalog,
    pub(crate) data: &'a SiteData,
    pub(crate) templates: &'a Templates,
    /// Each dataset's warnings, by slug.
    pub(crate) notes: &'a HashMap<&'a str, Vec<&'a Diagnostic>>,
    pub(crate) rows: &'a CatalogRows<'a>,
    /// The paths the sitemap lists.
    pub(crate) sitemap: &'a [String],
    /// The number of datasets of each term page, by its path.
    pub(crate) term_counts: &'a HashMap<&'a str, usize>,
    /// The search index's parts, made ahead by [`crate::derive::search::SearchCache::fill`].
    pub(crate) search: &'a crate::derive::search::SearchCache,
    /// Each dataset's matrix column and CSV record, made ahead by
    /// [`browse::ListingCache::fill`].
    pub(crate) listings: &'a browse::ListingCache,
    /// Each dataset's record of `catalog.json`, made ahead by
    /// [`crate::derive::export::ExportCache::fill`].
    pub(crate) exports: &'a crate::derive::export::ExportCache,
}

/// A file of the site written as it is made rather than rendered whole (`catalog.json` in a
/// build, tens of megabytes at 10,000 entries): what writes it, for
/// [`crate::output::Staging::write_streamed`].
pub(crate) fn streamed<'i>(
    page: &Page<'_>,
    inputs: &'i Inputs<'_>,
) -> Option<impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()> + 'i> {
    let streams = matches!(page, Page::Export(pages::Export::Json))
        && crate::derive::export::streams(inputs.exports);
    streams.then_some(|out: &mut dyn std::io::Write| {
        crate::derive::export::write_catalog_json(inputs.catalog, inputs.data, inputs.exports, out)
    })
}

/// Render one file of the site.
pub(crate) fn render_page(page: &Page<'_>, inputs: &Inputs<'_>) -> Result<String, Error> {
    let Inputs {
        data, templates, ..
    } = *inputs;
    let template = || {
        page.template()
            .expect("a page rendered from a template names it")
    };
    match page {
        Page::Index(_) | Page::Sizes(_) | Page::Term(..) => spliced_page(page, template(), inputs),
        Page::Labels(part) => {
            let parts = inputs.listings.matrix_parts(&part.items);
            let matrix = browse::label_matrix(&parts, data);
            let mut labels = context(data, Some(page), "", "matrix", &matrix);
            labels.insert("pager", &pager(page, part, "labelled datasets"));
            let regions = browse::matrix_regions(inputs.catalog, data, &part.items);
            labels.insert("regions", &regions);
            templates.render(template(), &labels)
        }
        Page::Compare(chunks) => {
            templates.render(template(), &context(data, Some(page), "", "chunks", chunks))
        }
        Page::Lineage => templates.render(
            template(),
            &context(data, Some(page), "", "lineage", data.lineage.page()),
        ),
        Page::SearchFile(file) => Ok(inputs.search.render(&file.path)),
        Page::Tasks => templates.render(
            template(),
            &context(data, Some(page), "", "checklist", &data.checklist),
        ),
        Page::NotFound => templates.render(
            template(),
            &context(data, Some(page), &not_found_root(data), "path", &""),
        ),
        Page::Sitemap(1) => Ok(discovery::sitemap(inputs.sitemap, base_url(data))),
        Page::Sitemap(files) => Ok(discovery::sitemap_index(*files, base_url(data))),
        Page::SitemapPart(n) => {
            let shown = paging::page_range(inputs.sitemap.len(), pages::SITEMAP_URLS, *n);
            Ok(discovery::sitemap(&inputs.sitemap[shown], base_url(data)))
        }
        Page::Feed(entries) => Ok(discovery::feed(entries, data, base_url(data))),
        Page::Robots => Ok(discovery::robots(data.site.base_url.as_deref())),
        Page::Csv => Ok(browse::catalog_csv(inputs.listings.csv_rows())),
        Page::Export(export) => Ok(exported(*export, inputs)),
        Page::CompareData(_, datasets) => Ok(compare_data(datasets, data)),
        Page::Croissant(dataset) => Ok(crate::derive::croissant::croissant(dataset, data)),
        Page::Dataset(dataset) => {
            let own = inputs
                .notes
                .get(dataset.slug.as_str())
                .map_or(&[][..], Vec::as_slice);
            let view = data.dataset_page(dataset, own);
            templates.render(
                template(),
                &context(data, Some(page), "../", "dataset", &view),
            )
        }
    }
}

/// A page of catalog rows (the index, the page by size, a term page): its rows are spliced
/// in after the template has run.
fn spliced_page(page: &Page<'_>, template: &str, inputs: &Inputs<'_>) -> Result<String, Error> {
    let Inputs {
        catalog,
        data,
        templates,
        rows,
        ..
    } = *inputs;
    let mut splice = Splice::default();
    let context = match page {
        Page::Index(part) => {
            let table = rows_part(&mut splice, part.items.iter().map(|&i| rows.top[i]));
            let mut index = context(data, Some(page), "", "rows", &table);
            if part.number == 1 {
                index.insert("json_ld", &data.catalog_json_ld);
                let groups = browse::facet_groups(catalog, data, |href| {
                    inputs.term_counts.get(href).copied().unwrap_or(0)
                });
                index.insert("groups", &groups);
            }
            index.insert("pager", &pager(page, part, "datasets"));
            index
        }
        Page::Term(view, part) => {
            let mut term = context(data, Some(page), &root_of(&page.path()), "page", view);
            let own = part.items.iter().map(|&i| rows.nested[i]);
            term.insert("rows", &rows_part(&mut splice, own));
            term.insert("count", &part.total);
            term.insert("pager", &pager(page, part, "datasets"));
            term
        }
        Page::Sizes(part) => {
            let groups: Vec<_> = part
                .items
                .iter()
                .map(|g| crate::derive::size::SizeGroup {
                    label: g.label,
                    rows: splice.part(g.rows.iter().map(|&i| rows.top[i]).collect()),
                })
                .collect();
            let mut sizes = context(data, Some(page), "", "groups", &groups);
            sizes.insert("pager", &pager(page, part, "datasets"));
            sizes
        }
        _ => unreachable!("only listings are spliced"),
    };
    Ok(splice.finish(templates.render(template, &context)?))
}

/// The pager of `page`, a page of a listing of `things` ("datasets").
fn pager<T>(page: &Page<'_>, part: &Part<T>, things: &'static str) -> Pager {
    Pager::new(
        (part.number, part.of),
        part.shown.clone(),
        (things, part.total),
        |k| page.nth(k),
    )
}

/// Each dataset's row of the catalog tables, rendered once and reused by the index and every
/// term page it appears on: for pages at the site root, and for pages one directory down.
pub(crate) struct CatalogRows<'a> {
    top: Vec<&'a str>,
    nested: Vec<&'a str>,
    /// A hash of each dataset's two rows.
    pub(crate) hashes: Vec<u64>,
}

/// Catalog rows as the table prints them, each on a line of its own, as a part of `splice`:
/// its marker, or nothing when there are no rows.
fn rows_part<'a>(splice: &mut Splice<'a>, rows: impl ExactSizeIterator<Item = &'a str>) -> String {
    if rows.len() == 0 {
        return String::new();
    }
    let mut pieces = Vec::with_capacity(2 * rows.len());
    for row in rows {
        pieces.extend(["\n    ", row]);
    }
    splice.part(pieces)
}

/// Rendered catalog rows by a fingerprint of their inputs: (for the root, one level down, a
/// hash of both).
pub(crate) type RowCache = crate::common::hash::PartCache<(String, String, u64)>;

/// The catalog rows of the datasets, whose inputs have the fingerprints `keys`: taken from
/// `cache` where it has them, rendered (and added to it) where not. Rows no longer used are
/// dropped from the cache.
pub(crate) fn catalog_rows<'c>(
    catalog: &Catalog,
    data: &SiteData,
    templates: &Templates,
    keys: &[u64],
    cache: &'c mut RowCache,
) -> Result<CatalogRows<'c>, Error> {
    let render = |row: &crate::derive::IndexRow, root: &'static str| {
        let mut context = Context::new();
        context.insert("root", root);
        context.insert("d", row);
        // Kept for the whole run: without the room Tera's output buffer was given.
        templates
            .render("catalog_row.html", &context)
            .map(|mut row| {
                row.shrink_to_fit();
                row
            })
    };
    let missing: Vec<(u64, (String, String, u64))> = catalog
        .datasets
        .par_iter()
        .zip(keys)
        .filter(|(_, key)| !cache.contains_key(key))
        .map(|(d, &key)| {
            let row = data.index_row(d);
            let (top, nested) = (render(&row, "")?, render(&row, "../")?);
            let hash = crate::common::hash::stable_hash(&(&top, &nested));
            Ok((key, (top, nested, hash)))
        })
        .collect::<Result<_, Error>>()?;
    cache.extend(missing);
    crate::common::hash::keep_only(cache, keys);
    let cache = &*cache;
    Ok(CatalogRows {
        top: keys.iter().map(|k| cache[k].0.as_str()).collect(),
        nested: keys.iter().map(|k| cache[k].1.as_str()).collect(),
        hashes: keys.iter().map(|k| cache[k].2).collect(),
    })
}

/// An export of the whole catalog.
fn exported(export: pages::Export, inputs: &Inputs<'_>) -> String {
    let Inputs { catalog, data, .. } = *inputs;
    match export {
        pages::Export::Json => crate::derive::export::catalog_json(catalog, data, inputs.exports),
        pages::Export::Schema => crate::derive::export::SCHEMA.to_string(),
        pages::Export::Bibtex => data.citations.bibtex(catalog),
        pages::Export::Csl => data.citations.csl_json(catalog),
    }
}

/// The site's address, which the registry lists the pages that need it with only.
fn base_url(data: &SiteData) -> &str {
    data.site.base_url.as_deref().unwrap_or_default()
}

/// One comparison file: a script that adds its datasets to `window.MEDATLAS_COMPARE`, an
/// object keyed by slug (in slug order). Serialised straight from the entries, with no
/// intermediate JSON tree.
fn compare_data(datasets: &[&crate::model::Dataset], data: &SiteData) -> String {
    let map: BTreeMap<&str, browse::CompareEntry> = datasets
        .iter()
        .map(|d| (d.slug.as_str(), browse::compare_entry(d, data)))
        .collect();
    let mut out =
        String::from("window.MEDATLAS_COMPARE = Object.assign(window.MEDATLAS_COMPARE || {}, ");
    // Writing into a String cannot fail, and the entries hold only strings and numbers.
    out.push_str(&serde_json::to_string(&map).expect("serialisable"));
    out.push_str(");\n");
    out
}

/// A host serves 404.html for a missing path at any depth, where relative links would break:
/// the page links from the site's address (`base_url`), or else from the host's root `/`, where
/// a site without a `base_url` is taken to be published.
fn not_found_root(data: &SiteData) -> String {
    data.site
        .base_url
        .as_ref()
        .map_or("/".to_string(), |base| format!("{base}/"))
}
