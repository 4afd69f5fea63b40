//! Pages: the registry of every file the site has, with its output path, template and inputs.
//!
//! [`Page`] names one output file by kind. [`Page::path`] is the one place an output path is
//! made; [`Page::template`] the template it is rendered from; [`Page::inputs`] a fingerprint
//! of everything it is made from, so that a rebuild renders again exactly the pages whose
//! fingerprint changed. [`registry`] lists the pages of a catalog; the sitemap is the part of
//! that list a visitor can open.

use std::hash::{Hash, Hasher};

pub(crate) use crate::common::hash::{stable_hash, stable_hasher};

use crate::common::paths::dataset_path;
use crate::derive::SiteData;
use crate::derive::browse::{self, TermPage};
use crate::derive::size::SizeGroup;
use crate::model::{Catalog, Dataset};
use crate::render::paging::{LISTING_PAGE, MATRIX_PAGE, nth_path, page_count, page_range};

/// The most URLs one sitemap file lists, as the sitemap protocol allows: a site with more
/// (a catalog of 50,000 datasets) gets a sitemap index and files of this many.
pub(crate) const SITEMAP_URLS: usize = 50_000;

/// One page of a paged listing: its number (from 1) of `of`, and what it shows of `total`
/// things: their positions in the listing (`shown`) and the things themselves (`items`).
pub(crate) struct Part<T> {
    pub(crate) number: usize,
    pub(crate) of: usize,
    pub(crate) total: usize,
    pub(crate) shown: std::ops::Range<usize>,
    pub(crate) items: T,
}

impl<T: Hash> Part<T> {
    fn hash_into(&self, hasher: &mut impl Hasher) {
        (self.number, self.of, self.total, &self.shown, &self.items).hash(hasher);
    }
}

/// The parts of a listing of `items`, `per_page` to a page.
fn split<T: Clone>(items: &[T], per_page: usize) -> impl Iterator<Item = Part<Vec<T>>> + '_ {
    let of = page_count(items.len(), per_page);
    (1..=of).map(move |number| {
        let shown = page_range(items.len(), per_page, number);
        Part {
            number,
            of,
            total: items.len(),
            items: items[shown.clone()].to_vec(),
            shown,
        }
    })
}

/// One output file of the site.
pub(crate) enum Page<'a> {
    /// The index, with the first page of its table of every dataset (by catalog position);
    /// the next pages of that table (`all-2.html`, ...) are pages of their own.
    Index(Part<Vec<usize>>),
    /// Every dataset by its main-unit size, for reading without JavaScript, in pages: each
    /// with the size groups it shows part of.
    Sizes(Part<Vec<SizeGroup<Vec<usize>>>>),
    /// The label matrix, in pages of dataset columns (by catalog position, in column order).
    Labels(Part<Vec<usize>>),
    /// The comparison page, which loads this many data files.
    Compare(u32),
    /// The lineage graph: which datasets are built from, part of or sharing data with which.
    Lineage,
    /// One file of the search index (the core file `search-index.js` or a shard under
    /// `search/`), with a hash of its contents.
    SearchFile(crate::derive::search::SearchFile),
    Tasks,
    NotFound,
    /// sitemap.xml, with a `base_url` only: the pages a visitor opens, when they fit in one
    /// file; else the index of the files that list them (their number).
    Sitemap(usize),
    /// `sitemap-N.xml` (from 1), when sitemap.xml is an index: the Nth
    /// [`SITEMAP_URLS`] pages of the sitemap's list.
    SitemapPart(usize),
    /// feed.xml, the Atom feed of the datasets last checked (newest first), with a `base_url`
    /// only and when an entry has a `checked` date.
    Feed(Vec<&'a Dataset>),
    /// robots.txt, always: every path may be crawled (and, with a `base_url`, the sitemap).
    Robots,
    /// catalog.csv: every dataset as a spreadsheet row.
    Csv,
    /// An export of the whole catalog made from every entry: `catalog.json`, its schema,
    /// `citations.bib` or `citations.json`.
    Export(Export),
    /// The datasets with one term of a facet, in pages.
    Term(TermPage<'a>, Part<Vec<usize>>),
    /// One comparison data file: its number and its datasets.
    CompareData(usize, Vec<&'a Dataset>),
    Dataset(&'a Dataset),
    /// A dataset's Croissant metadata, beside its page.
    Croissant(&'a Dataset),
}

impl Page<'_> {
    /// Where the file goes, relative to the output directory.
    pub(crate) fn path(&self) -> String {
        match self {
            Page::Index(part) | Page::Labels(part) | Page::Term(_, part) => self.nth(part.number),
            Page::Sizes(part) => self.nth(part.number),
            Page::Compare(_) => "compare.html".into(),
            Page::Lineage => "lineage.html".into(),
            Page::SearchFile(file) => file.path.clone(),
            Page::Tasks => "tasks.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Sitemap(_) => "sitemap.xml".into(),
            Page::SitemapPart(n) => format!("sitemap-{n}.xml"),
            Page::Feed(_) => "feed.xml".into(),
            Page::Robots => "robots.txt".into(),
            Page::Csv => "catalog.csv".into(),
            Page::Export(export) => export.path().into(),
            Page::CompareData(n, _) => format!("compare-data/{n}.js"),
            Page::Dataset(d) => dataset_path(&d.slug),
            Page::Croissant(d) => crate::derive::croissant::croissant_path(&d.slug),
        }
    }

    /// The path of page `number` (from 1) of the listing this page is part of: the index's
    /// table (`index.html`, then `all-2.html`), the page by size, the label matrix, a term
    /// page. Any other page has one path.
    pub(crate) fn nth(&self, number: usize) -> String {
        match self {
            Page::Index(_) if number == 1 => "index.html".into(),
            Page::Index(_) => nth_path("all.html", "-", number),
            Page::Sizes(_) => nth_path("sizes.html", "-", number),
            Page::Labels(_) => nth_path("labels.html", "-", number),
            Page::Term(view, _) => nth_path(&view.term.href, view.next_sep, number),
            _ => self.path(),
        }
    }

    /// The template the page is rendered from; `None` for files made without one.
    pub(crate) fn template(&self) -> Option<&'static str> {
        match self {
            Page::Index(part) if part.number == 1 => Some("index.html"),
            Page::Index(_) => Some("all.html"),
            Page::Sizes(_) => Some("sizes.html"),
            Page::Labels(_) => Some("labels.html"),
            Page::Compare(_) => Some("compare.html"),
            Page::Lineage => Some("lineage.html"),
            Page::Tasks => Some("tasks.html"),
            Page::NotFound => Some("404.html"),
            Page::Term(..) => Some("term.html"),
            Page::Dataset(_) => Some("dataset.html"),
            Page::SearchFile(_)
            | Page::Sitemap(_)
            | Page::SitemapPart(_)
            | Page::Feed(_)
            | Page::Robots
            | Page::Csv
            | Page::Export(_)
            | Page::CompareData(..)
            | Page::Croissant(_) => None,
        }
    }

    /// Listed in the sitemap: the HTML pages a visitor opens, not data files or the 404 page.
    fn in_sitemap(&self) -> bool {
        matches!(
            self,
            Page::Index(_)
                | Page::Sizes(_)
                | Page::Tasks
                | Page::Labels(_)
                | Page::Compare(_)
                | Page::Lineage
                | Page::Term(..)
                | Page::Dataset(_)
        )
    }

    /// A fingerprint of what the page is made from. Every page reads the site-wide inputs
    /// (templates, site, vocabulary, labels, checklist); on top of those, each kind reads:
    /// a dataset page its entry, its notes and the names of its related entries; its Croissant file
    /// its entry; a page of a
    /// listing (the index's table, the page by size, a term page) its place in the listing and
    /// the catalog rows it shows (the page by size its groups too, the index the counts of its
    /// "browse by" lists); a page of the label matrix its place and its datasets' columns; a
    /// comparison file the entries it lists; the sitemap the list of pages; the feed the entries
    /// it lists (robots.txt only the site-wide inputs); a file of the search
    /// index its contents; the CSV file what it is assembled from (see [`Listings`]); the
    /// lineage page, and each dataset page and comparison file, what they show of the lineage
    /// (derived across entries, fingerprinted from its data).
    pub(crate) fn inputs(&self, fingerprints: &Fingerprints<'_>) -> u64 {
        let mut hasher = fingerprints.hasher();
        fingerprints.site.hash(&mut hasher);
        self.path().hash(&mut hasher);
        match self {
            Page::Compare(chunks) => chunks.hash(&mut hasher),
            Page::Tasks | Page::NotFound | Page::Robots => {}
            Page::Sitemap(_) | Page::SitemapPart(_) => fingerprints.sitemap.hash(&mut hasher),
            Page::Lineage => fingerprints.lineage_page.hash(&mut hasher),
            Page::Feed(entries) => {
                for d in entries {
                    crate::render::discovery::hash_entry(d, &mut hasher);
                }
            }
            Page::Index(part) => {
                part.hash_into(&mut hasher);
                if part.number == 1 {
                    fingerprints.listings.index.hash(&mut hasher);
                }
                hash_rows(&part.items, fingerprints, &mut hasher);
            }
            Page::Sizes(part) => {
                part.hash_into(&mut hasher);
                for group in &part.items {
                    hash_rows(&group.rows, fingerprints, &mut hasher);
                }
            }
            Page::Labels(part) => {
                part.hash_into(&mut hasher);
                for &i in &part.items {
                    fingerprints.listings.labels[i].hash(&mut hasher);
                }
            }
            Page::SearchFile(file) => file.hash.hash(&mut hasher),
            Page::Csv => fingerprints.listings.csv.hash(&mut hasher),
            Page::Export(_) => fingerprints.listings.exports.hash(&mut hasher),
            Page::Term(_, part) => {
                part.hash_into(&mut hasher);
                hash_rows(&part.items, fingerprints, &mut hasher);
            }
            Page::CompareData(_, datasets) => {
                for d in datasets {
                    fingerprints.of(d).hash(&mut hasher);
                    fingerprints.lineage.get(&d.slug).hash(&mut hasher);
                }
            }
            Page::Croissant(d) => {
                fingerprints.of(d).hash(&mut hasher);
                fingerprints.cite_keys.get(&d.slug).hash(&mut hasher);
            }
            Page::Dataset(d) => {
                fingerprints.of(d).hash(&mut hasher);
                fingerprints.notes.get(&d.slug).hash(&mut hasher);
                fingerprints.lineage.get(&d.slug).hash(&mut hasher);
                fingerprints.cite_keys.get(&d.slug).hash(&mut hasher);
                for related in &d.related {
                    fingerprints
                        .names
                        .get(related.value.as_str())
                        .hash(&mut hasher);
                }
            }
        }
        hasher.finish()
    }
}

/// Hash the catalog rows of the datasets at `positions`.
fn hash_rows(positions: &[usize], fingerprints: &Fingerprints<'_>, hasher: &mut impl Hasher) {
    for &i in positions {
        fingerprints.rows[i].hash(hasher);
    }
}

/// Fingerprints of a run's inputs, from which each page's [`Page::inputs`] is made.
pub(crate) struct Fingerprints<'a> {
    /// Templates, the entry template and the non-entry content files.
    pub(crate) site: u64,
    /// Each dataset's source (path and text), in catalog order.
    pub(crate) entry: Vec<u64>,
    /// The paths the sitemap lists, in order.
    pub(crate) sitemap: u64,
    /// Each dataset's warnings, by slug.
    pub(crate) notes: std::collections::HashMap<String, u64>,
    /// Each dataset's name, by slug.
    pub(crate) names: ahash::AHashMap<&'a str, &'a str>,
    /// Catalog position of each slug.
    pub(crate) position: ahash::AHashMap<&'a str, usize>,
    /// A hash of each dataset's catalog rows, in catalog order.
    pub(crate) rows: Vec<u64>,
    /// Hashes of what the pages made from every dataset are assembled from.
    pub(crate) listings: Listings,
    /// What each dataset's page and comparison record show of the lineage, by slug (absent
    /// for a dataset without any).
    pub(crate) lineage: std::collections::HashMap<String, u64>,
    /// What the lineage page shows.
    pub(crate) lineage_page: u64,
    /// The citation keys of each dataset's papers, by slug (absent for a dataset without any):
    /// a key depends on the other entries' papers.
    pub(crate) cite_keys: std::collections::HashMap<String, u64>,
}

/// Hashes of the contents of the pages made from every dataset: an edit that leaves a page's
/// parts as they were (a body edit and the label matrix) does not render it again.
#[derive(Default)]
pub(crate) struct Listings {
    /// Each dataset's terms (the counts of the index's "browse by" lists).
    pub(crate) index: u64,
    /// A hash of each dataset's column of the label matrix, in catalog order.
    pub(crate) labels: Vec<u64>,
    /// Each dataset's record of `catalog.csv`.
    pub(crate) csv: u64,
    /// Each dataset's record of `catalog.json`, which holds everything the exports show.
    pub(crate) exports: u64,
}

impl Fingerprints<'_> {
    /// A hasher with fixed keys: equal inputs hash equal in every run of one process.
    pub(crate) fn hasher(&self) -> impl Hasher {
        stable_hasher()
    }

    fn of(&self, d: &Dataset) -> u64 {
        self.position
            .get(d.slug.as_str())
            .map_or(0, |&i| self.entry[i])
    }
}

/// The exports of the whole catalog besides `catalog.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Export {
    /// `catalog.json`: every entry with its derived totals and lineage.
    Json,
    /// `catalog.schema.json`: the JSON Schema of `catalog.json`.
    Schema,
    /// `citations.bib`: every paper as BibTeX.
    Bibtex,
    /// `citations.json`: every paper as CSL-JSON.
    Csl,
}

impl Export {
    const ALL: [Export; 4] = [Export::Json, Export::Schema, Export::Bibtex, Export::Csl];

    fn path(self) -> &'static str {
        match self {
            Export::Json => "catalog.json",
            Export::Schema => "catalog.schema.json",
            Export::Bibtex => "citations.bib",
            Export::Csl => "citations.json",
        }
    }
}

/// Every file of the site, in the sitemap's order (index, sizes, tasks, labels, compare,
/// lineage, term pages, dataset pages; the next pages of a listing after its first), followed
/// by the files not in the sitemap but the search index's, which [`search_files`] lists once
/// the index is made.
pub(crate) fn registry<'a>(catalog: &'a Catalog, data: &'a SiteData) -> Vec<Page<'a>> {
    let chunks = browse::compare_chunks(catalog.datasets.len());
    let everyone: Vec<usize> = (0..catalog.datasets.len()).collect();
    let mut pages: Vec<Page<'a>> = split(&everyone, LISTING_PAGE).map(Page::Index).collect();
    pages.extend(size_pages(catalog).map(Page::Sizes));
    pages.push(Page::Tasks);
    pages.extend(matrix_pages(catalog).map(Page::Labels));
    pages.extend([Page::Compare(chunks), Page::Lineage]);
    pages.extend(term_pages(catalog, data));
    pages.extend(catalog.datasets.iter().map(Page::Dataset));
    pages.extend(catalog.datasets.iter().map(Page::Croissant));
    pages.push(Page::Csv);
    pages.extend(Export::ALL.map(Page::Export));
    pages.extend([Page::NotFound, Page::Robots]);
    if data.site.base_url.is_some() {
        let urls = pages.iter().filter(|p| p.in_sitemap()).count();
        let files = page_count(urls, SITEMAP_URLS);
        pages.push(Page::Sitemap(files));
        if files > 1 {
            pages.extend((1..=files).map(Page::SitemapPart));
        }
    }
    if data.site.feed {
        let entries = crate::render::discovery::feed_entries(catalog);
        pages.push(Page::Feed(entries));
    }
    pages.extend(
        compare_chunks(catalog, chunks)
            .into_iter()
            .enumerate()
            .map(|(n, d)| Page::CompareData(n, d)),
    );
    pages
}

/// The pages of the listing by size: the size groups in order, cut into pages, each with
/// the part of each group it shows.
fn size_pages(catalog: &Catalog) -> impl Iterator<Item = Part<Vec<SizeGroup<Vec<usize>>>>> {
    let listed: Vec<(Option<&'static str>, usize)> = crate::derive::size::groups(catalog)
        .into_iter()
        .flat_map(|g| g.rows.into_iter().map(move |i| (g.label, i)))
        .collect();
    let parts: Vec<_> = split(&listed, LISTING_PAGE).collect();
    parts.into_iter().map(|part| {
        let mut groups: Vec<SizeGroup<Vec<usize>>> = Vec::new();
        for &(label, i) in &part.items {
            match groups.last_mut() {
                Some(g) if g.label == label => g.rows.push(i),
                _ => groups.push(SizeGroup {
                    label,
                    rows: vec![i],
                }),
            }
        }
        Part {
            number: part.number,
            of: part.of,
            total: part.total,
            shown: part.shown,
            items: groups,
        }
    })
}

/// The pages of the label matrix: [`browse::matrix_pages`], with their places.
fn matrix_pages(catalog: &Catalog) -> impl Iterator<Item = Part<Vec<usize>>> {
    let columns = browse::matrix_pages(catalog, MATRIX_PAGE);
    let of = columns.len();
    let total = columns.iter().map(Vec::len).sum();
    let mut start = 0;
    columns.into_iter().enumerate().map(move |(n, items)| {
        let shown = start..start + items.len();
        start = shown.end;
        Part {
            number: n + 1,
            of,
            total,
            shown,
            items,
        }
    })
}

/// Every term's pages. The next pages of a term go beside its first (`tasks/x-2.html`); a
/// term whose next pages would take the path of another term's page (`tasks/x-2.html` of
/// a term `x-2`) names them with a double hyphen, which no term id has (`tasks/x--2.html`).
fn term_pages<'a>(catalog: &'a Catalog, data: &'a SiteData) -> Vec<Page<'a>> {
    let terms = browse::term_pages(catalog, data);
    let firsts: std::collections::HashSet<String> =
        terms.iter().map(|(path, _)| path.clone()).collect();
    let mut pages = Vec::new();
    for (path, mut view) in terms {
        let datasets = std::mem::take(&mut view.datasets);
        let of = page_count(datasets.len(), LISTING_PAGE);
        if (2..=of).any(|k| firsts.contains(&nth_path(&path, "-", k))) {
            view.next_sep = "--";
        }
        pages.extend(split(&datasets, LISTING_PAGE).map(|part| Page::Term(view.clone(), part)));
    }
    pages
}

/// The files of the search index, as laid out by its last fill.
pub(crate) fn search_files(search: &crate::derive::search::SearchCache) -> Vec<Page<'static>> {
    search.files().map(Page::SearchFile).collect()
}

/// The paths of the pages listed in the sitemap, in order.
pub(crate) fn sitemap_paths(pages: &[Page<'_>]) -> Vec<String> {
    pages
        .iter()
        .filter(|p| p.in_sitemap())
        .map(Page::path)
        .collect()
}

/// The number of datasets of each term page, by its path.
pub(crate) fn term_counts<'p>(pages: &'p [Page<'_>]) -> std::collections::HashMap<&'p str, usize> {
    pages
        .iter()
        .filter_map(|p| match p {
            Page::Term(view, part) if part.number == 1 => {
                Some((view.term.href.as_str(), part.total))
            }
            _ => None,
        })
        .collect()
}

/// The datasets of each comparison file.
fn compare_chunks(catalog: &Catalog, chunks: u32) -> Vec<Vec<&Dataset>> {
    let mut files: Vec<Vec<&Dataset>> = (0..chunks).map(|_| Vec::new()).collect();
    for dataset in &catalog.datasets {
        files[browse::compare_chunk(&dataset.slug, chunks) as usize].push(dataset);
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A catalog of `n` datasets with a base URL and nothing else.
    fn catalog(n: usize) -> Catalog {
        let mut catalog = Catalog::default();
        catalog.site.base_url = Some("https://example.org".into());
        catalog.datasets = (0..n)
            .map(|i| Dataset {
                slug: format!("d-{i:06}"),
                name: format!("D {i:06}"),
                ..Dataset::default()
            })
            .collect();
        catalog
    }

    #[test]
    fn a_sitemap_of_more_urls_than_one_file_holds_is_an_index_of_files() {
        let small = catalog(10);
        let data = SiteData::new(&small);
        let pages = registry(&small, &data);
        let sitemaps: Vec<String> = pages
            .iter()
            .filter(|p| matches!(p, Page::Sitemap(_) | Page::SitemapPart(_)))
            .map(Page::path)
            .collect();
        assert_eq!(sitemaps, ["sitemap.xml"]);
        assert!(pages.iter().any(|p| matches!(p, Page::Sitemap(1))));

        let large = catalog(SITEMAP_URLS);
        let data = SiteData::new(&large);
        let pages = registry(&large, &data);
        let urls = sitemap_paths(&pages).len();
        assert!(urls > SITEMAP_URLS && urls <= 2 * SITEMAP_URLS, "{urls}");
        let sitemaps: Vec<String> = pages
            .iter()
            .filter(|p| matches!(p, Page::Sitemap(2) | Page::SitemapPart(_)))
            .map(Page::path)
            .collect();
        assert_eq!(sitemaps, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
    }
}
