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
use crate::model::{Catalog, Dataset};

/// One output file of the site.
pub(crate) enum Page<'a> {
    Index,
    /// Every dataset by its main-unit size, for reading without JavaScript.
    Sizes,
    Labels,
    /// The comparison page, which loads this many data files.
    Compare(u32),
    /// The lineage graph: which datasets are built from, part of or sharing data with which.
    Lineage,
    /// One file of the search index (the core file `search-index.js` or a shard under
    /// `search/`), with a hash of its contents.
    SearchFile(crate::derive::search::SearchFile),
    Tasks,
    NotFound,
    /// sitemap.xml, with a `base_url` only: the one file that needs absolute URLs.
    Sitemap,
    /// catalog.csv: every dataset as a spreadsheet row.
    Csv,
    /// The datasets with one term of a facet.
    Term(TermPage<'a>),
    /// One comparison data file: its number and its datasets.
    CompareData(usize, Vec<&'a Dataset>),
    Dataset(&'a Dataset),
}

impl Page<'_> {
    /// Where the file goes, relative to the output directory.
    pub(crate) fn path(&self) -> String {
        match self {
            Page::Index => "index.html".into(),
            Page::Sizes => "sizes.html".into(),
            Page::Labels => "labels.html".into(),
            Page::Compare(_) => "compare.html".into(),
            Page::Lineage => "lineage.html".into(),
            Page::SearchFile(file) => file.path.clone(),
            Page::Tasks => "tasks.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Sitemap => "sitemap.xml".into(),
            Page::Csv => "catalog.csv".into(),
            Page::Term(view) => view.term.href.clone(),
            Page::CompareData(n, _) => format!("compare-data/{n}.js"),
            Page::Dataset(d) => dataset_path(&d.slug),
        }
    }

    /// The template the page is rendered from; `None` for files made without one.
    pub(crate) fn template(&self) -> Option<&'static str> {
        match self {
            Page::Index => Some("index.html"),
            Page::Sizes => Some("sizes.html"),
            Page::Labels => Some("labels.html"),
            Page::Compare(_) => Some("compare.html"),
            Page::Lineage => Some("lineage.html"),
            Page::Tasks => Some("tasks.html"),
            Page::NotFound => Some("404.html"),
            Page::Term(_) => Some("term.html"),
            Page::Dataset(_) => Some("dataset.html"),
            Page::SearchFile(_) | Page::Sitemap | Page::Csv | Page::CompareData(..) => None,
        }
    }

    /// Listed in the sitemap: the HTML pages a visitor opens, not data files or the 404 page.
    fn in_sitemap(&self) -> bool {
        matches!(
            self,
            Page::Index
                | Page::Sizes
                | Page::Tasks
                | Page::Labels
                | Page::Compare(_)
                | Page::Lineage
                | Page::Term(_)
                | Page::Dataset(_)
        )
    }

    /// A fingerprint of what the page is made from. Every page reads the site-wide inputs
    /// (templates, site, vocabulary, labels, checklist); on top of those, each kind reads:
    /// a dataset page its entry, its notes and the names of its related entries; a term page
    /// the catalog rows it lists; a comparison file the entries it lists; the sitemap the list
    /// of pages; the index, the label matrix and the CSV file what they are assembled from
    /// (see [`Listings`]); a file of the search index its contents; the lineage page, and each dataset page and comparison
    /// file, what they show of the lineage (derived across entries, fingerprinted from its data).
    pub(crate) fn inputs(&self, fingerprints: &Fingerprints<'_>) -> u64 {
        let mut hasher = fingerprints.hasher();
        fingerprints.site.hash(&mut hasher);
        self.path().hash(&mut hasher);
        match self {
            Page::Compare(chunks) => chunks.hash(&mut hasher),
            Page::Tasks | Page::NotFound => {}
            Page::Sitemap => fingerprints.slugs.hash(&mut hasher),
            Page::Lineage => fingerprints.lineage_page.hash(&mut hasher),
            Page::Index | Page::Sizes => fingerprints.listings.index.hash(&mut hasher),
            Page::Labels => fingerprints.listings.labels.hash(&mut hasher),
            Page::SearchFile(file) => file.hash.hash(&mut hasher),
            Page::Csv => fingerprints.listings.csv.hash(&mut hasher),
            Page::Term(view) => {
                for &i in &view.datasets {
                    fingerprints.rows[i].hash(&mut hasher);
                }
            }
            Page::CompareData(_, datasets) => {
                for d in datasets {
                    fingerprints.of(d).hash(&mut hasher);
                    fingerprints.lineage.get(&d.slug).hash(&mut hasher);
                }
            }
            Page::Dataset(d) => {
                fingerprints.of(d).hash(&mut hasher);
                fingerprints.notes.get(&d.slug).hash(&mut hasher);
                fingerprints.lineage.get(&d.slug).hash(&mut hasher);
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

/// Fingerprints of a run's inputs, from which each page's [`Page::inputs`] is made.
pub(crate) struct Fingerprints<'a> {
    /// Templates, the entry template and the non-entry content files.
    pub(crate) site: u64,
    /// Each dataset's source (path and text), in catalog order.
    pub(crate) entry: Vec<u64>,
    /// Every dataset's slug, in order.
    pub(crate) slugs: u64,
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
}

/// Hashes of the contents of the pages made from every dataset: an edit that leaves a page's
/// parts as they were (a body edit and the label matrix) does not render it again.
#[derive(Default)]
pub(crate) struct Listings {
    /// The catalog rows and each dataset's terms (the counts of the "browse by" lists).
    pub(crate) index: u64,
    /// Each dataset's column of the label matrix.
    pub(crate) labels: u64,
    /// Each dataset's record of `catalog.csv`.
    pub(crate) csv: u64,
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

/// Every file of the site, in the sitemap's order (index, tasks, labels, compare, lineage, term pages,
/// dataset pages), followed by the files not in the sitemap but the search index's, which
/// [`search_files`] lists once the index is made.
pub(crate) fn registry<'a>(catalog: &'a Catalog, data: &'a SiteData) -> Vec<Page<'a>> {
    let chunks = browse::compare_chunks(catalog.datasets.len());
    let mut pages = vec![
        Page::Index,
        Page::Sizes,
        Page::Tasks,
        Page::Labels,
        Page::Compare(chunks),
        Page::Lineage,
    ];
    pages.extend(
        browse::term_pages(catalog, data)
            .into_iter()
            .map(|(_, view)| Page::Term(view)),
    );
    pages.extend(catalog.datasets.iter().map(Page::Dataset));
    pages.extend([Page::Csv, Page::NotFound]);
    if data.site.base_url.is_some() {
        pages.push(Page::Sitemap);
    }
    pages.extend(
        compare_chunks(catalog, chunks)
            .into_iter()
            .enumerate()
            .map(|(n, d)| Page::CompareData(n, d)),
    );
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
            Page::Term(view) => Some((view.term.href.as_str(), view.datasets.len())),
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
