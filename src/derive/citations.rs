//! Citations across the site: each paper's citation key, unique in the catalog, and the two
//! bibliographies made from every paper of every entry: `citations.bib` (BibTeX) and
//! `citations.json` (CSL-JSON, which Zotero, Mendeley and pandoc read).
//!
//! A paper is one publication however many entries cite it: the same DOI (or, without one, the
//! same address) is one record with one key. Keys come from [`cite::key_base`]; papers that
//! would share a key get `a`, `b`, ... in the order of their DOI or address, which does not
//! depend on where in the catalog they are cited. A dataset page's BibTeX record uses the same
//! key, so a reference copied from a page and the site's bibliography agree.

use std::collections::HashMap;

use serde::Serialize;

use crate::derive::cite::{self, Venue};
use crate::model::{Catalog, Paper};

/// What makes two papers one publication: their DOI (in lowercase), else their address.
fn identity(p: &Paper) -> String {
    match &p.doi {
        Some(doi) => format!("doi:{}", doi.to_lowercase()),
        None => format!("url:{}", p.url.trim_end_matches('/')),
    }
}

/// Every paper of the catalog once, in catalog order, with its unique key.
#[derive(Default)]
pub(crate) struct CitationIndex {
    /// (key, the first citing entry's copy of the paper, by catalog position and paper index).
    papers: Vec<(String, (usize, usize))>,
    /// The key of each paper, by [`identity`].
    keys: HashMap<String, usize>,
}

/// `a`, `b`, ..., `z`, `aa`, `ab`, ...: the suffix of the `n`th (from 0) paper sharing a key.
fn suffix(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

impl CitationIndex {
    /// The keys of every paper of the catalog, computed once per build.
    pub(crate) fn new(catalog: &Catalog) -> Self {
        let mut index = CitationIndex::default();
        let mut by_base: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        for (i, d) in catalog.datasets.iter().enumerate() {
            for (j, p) in d.papers.iter().enumerate() {
                let id = identity(p);
                if index.keys.contains_key(&id) {
                    continue;
                }
                let at = index.papers.len();
                index.keys.insert(id.clone(), at);
                let base = cite::key_base(p);
                by_base.entry(base.clone()).or_default().push((id, at));
                index.papers.push((base, (i, j)));
            }
        }
        for (base, mut group) in by_base {
            if group.len() > 1 {
                group.sort();
                for (n, (_, at)) in group.into_iter().enumerate() {
                    index.papers[at].0 = format!("{base}{}", suffix(n));
                }
            }
        }
        index
    }

    /// The key of a paper of the catalog.
    pub(crate) fn key(&self, p: &Paper) -> &str {
        self.keys
            .get(&identity(p))
            .map_or("", |&at| self.papers[at].0.as_str())
    }

    /// Every paper once, in catalog order, with its key.
    fn each<'c>(&'c self, catalog: &'c Catalog) -> impl Iterator<Item = (&'c str, &'c Paper)> {
        self.papers
            .iter()
            .map(|(key, (i, j))| (key.as_str(), &catalog.datasets[*i].papers[*j]))
    }

    /// A hash of the keys of each dataset's papers, by slug (none for a dataset without
    /// papers), so that a page is made again when another entry changes one of its keys.
    pub(crate) fn fingerprints(&self, catalog: &Catalog) -> HashMap<String, u64> {
        catalog
            .datasets
            .iter()
            .filter(|d| !d.papers.is_empty())
            .map(|d| {
                let keys: Vec<&str> = d.papers.iter().map(|p| self.key(p)).collect();
                (d.slug.clone(), crate::common::hash::stable_hash(&keys))
            })
            .collect()
    }

    /// `citations.bib`: every paper's BibTeX record, in catalog order.
    pub(crate) fn bibtex(&self, catalog: &Catalog) -> String {
        let mut out = String::new();
        for (key, p) in self.each(catalog) {
            out.push_str(&cite::bibtex(p, key));
            out.push_str("\n\n");
        }
        out
    }

    /// `citations.json`: every paper as a CSL-JSON item, in catalog order.
    pub(crate) fn csl_json(&self, catalog: &Catalog) -> String {
        let items: Vec<CslItem<'_>> = self.each(catalog).map(|(k, p)| csl_item(k, p)).collect();
        let mut out = serde_json::to_string_pretty(&items).expect("CSL-JSON serialises");
        out.push('\n');
        out
    }
}

/// One reference as CSL-JSON (the Citation Style Language's input format) describes it.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct CslItem<'p> {
    id: &'p str,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'p str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName<'p>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    container_title: Option<&'p str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'p str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume: Option<&'p str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue: Option<&'p str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<String>,
    /// The arXiv identifier of a preprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<&'p str>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<&'p str>,
    #[serde(rename = "URL")]
    url: &'p str,
}

#[derive(Serialize)]
struct CslName<'p> {
    family: &'p str,
    #[serde(skip_serializing_if = "str::is_empty")]
    given: &'p str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suffix: Option<&'p str>,
}

#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: [[i64; 1]; 1],
}

/// A paper as a CSL-JSON item: its type and container from its venue, as its BibTeX record.
fn csl_item<'p>(key: &'p str, p: &'p Paper) -> CslItem<'p> {
    let mut item = CslItem {
        id: key,
        kind: "document",
        title: &p.title,
        author: p
            .authors
            .iter()
            .map(|a| {
                let n = cite::name(a);
                CslName {
                    family: n.family,
                    given: n.given,
                    suffix: n.suffix,
                }
            })
            .collect(),
        issued: p.year.map(|y| CslDate { date_parts: [[y]] }),
        container_title: None,
        publisher: None,
        volume: None,
        issue: None,
        page: None,
        number: None,
        doi: p.doi.as_deref(),
        url: &p.url,
    };
    // CSL writes a page range with one hyphen, BibTeX with two.
    let page = |pages: Option<String>| pages.map(|p| p.replace("--", "-"));
    match p.venue.as_deref().map(|v| cite::venue(v, p.year)) {
        Some(Venue::Article {
            journal,
            volume,
            number,
            pages,
        }) => {
            item.kind = "article-journal";
            item.container_title = Some(journal);
            item.volume = volume;
            item.issue = number;
            item.page = page(pages);
        }
        Some(Venue::Proceedings { booktitle, pages }) => {
            item.kind = "paper-conference";
            item.container_title = Some(booktitle);
            item.page = page(pages);
        }
        Some(Venue::Arxiv { eprint }) => {
            item.kind = "article";
            item.publisher = Some("arXiv");
            item.number = eprint;
        }
        Some(Venue::Other(text)) => {
            item.kind = "article";
            item.publisher = Some(text);
        }
        None => {}
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_run_through_the_alphabet_and_on() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 701, 702].map(suffix).to_vec();
        assert_eq!(names, ["a", "b", "z", "aa", "ab", "zz", "aaa"]);
    }
}
