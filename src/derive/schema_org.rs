//! schema.org metadata: the `Dataset` JSON-LD of each dataset page and the `DataCatalog` of
//! the index, which dataset search engines (Google Dataset Search) read.
//!
//! The JSON is written by serde straight from small structs that borrow the entry, and made
//! safe inside a `<script>` element while it is written ([`script_safe`]). The facts it shares
//! with the Croissant files ([`crate::derive::croissant`]): the description, the creators, the
//! licence, the conditions of access and the label set, are made here once.
//!
//! Absolute addresses need the site's `base_url`. Without one, `url` and `@id` are left out:
//! a relative reference would be resolved against wherever a copy of the page happens to be
//! opened (a `file://` path on someone's disk), and Google's guide and schema.org's `url`
//! expect the absolute address the page is published at. The dataset's own homepage
//! (`sameAs`) identifies it either way.

use std::borrow::Cow;

use serde::Serialize;

use crate::common::paths::dataset_path;
use crate::derive::SiteData;
use crate::derive::size;
use crate::model::{Dataset, Facet, Located, Paper};

/// JSON-LD's context for schema.org.
const SCHEMA_ORG: &str = "https://schema.org";

/// The fewest characters of a description Google's Dataset guide accepts.
pub(crate) const MIN_DESCRIPTION: usize = 50;

/// A person or organization: a creator or the publisher.
#[derive(Serialize)]
pub(crate) struct Agent<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// A paper that describes the dataset, as a `citation`.
#[derive(Serialize)]
struct Article<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<String>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
}

/// Another work by name and, with a `base_url`, by its address.
#[derive(Serialize)]
struct Reference<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id", skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// A dataset page's `Dataset`, with the properties of Google's Dataset guide: the required
/// `name` and `description` and, where the entry has the facts, the recommended ones.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DatasetLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id", skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    name: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    alternate_name: &'a [String],
    description: Cow<'a, str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<String>,
    same_as: &'a str,
    keywords: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_accessible_for_free: Option<bool>,
    conditions_of_access: String,
    creator: Vec<Agent<'a>>,
    publisher: Agent<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citation: Vec<Article<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    variable_measured: Vec<&'a str>,
    measurement_technique: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    is_based_on: Vec<Reference<'a>>,
    included_in_data_catalog: Reference<'a>,
}

/// The index's `DataCatalog`: the catalog's own properties only. Each dataset page names the
/// catalog in `includedInDataCatalog` (the inverse of `dataset`), so listing the datasets here
/// would add nothing a search engine does not read from their pages, while it would grow the
/// index by a few hundred bytes per dataset (and a `Dataset` with only a name and address is
/// one that validators report as lacking its required description).
#[derive(Serialize)]
struct CatalogLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id", skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    name: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

/// JSON of `value` that can stand inside a `<script>` element: `<`, `>` and `&` only occur
/// within JSON strings, where they are written `\u003c`, `\u003e` and `\u0026`, which mean the
/// same once parsed; so no `</script>` (nor `<!--` or `-->`) can end or change the element
/// early. U+2028 and U+2029 are escaped for older JavaScript parsers.
pub(crate) fn script_safe<T: Serialize>(value: &T) -> String {
    let mut out = Vec::with_capacity(1024);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, ScriptSafe);
    value
        .serialize(&mut serializer)
        .expect("metadata serialises: string keys, no floats");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// serde_json's compact format, with the characters of [`script_safe`] escaped.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        const UNSAFE: [char; 5] = ['<', '>', '&', '\u{2028}', '\u{2029}'];
        let mut rest = fragment;
        while let Some(at) = rest.find(UNSAFE) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().expect("found at a character");
            writer.write_all(match c {
                '<' => b"\\u003c",
                '>' => b"\\u003e",
                '&' => b"\\u0026",
                '\u{2028}' => b"\\u2028",
                _ => b"\\u2029",
            })?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
}

impl SiteData {
    /// The name of a facet term, as the vocabulary gives it (the id where it gives none).
    pub(crate) fn term_name<'a>(&'a self, facet: Facet, id: &'a str) -> &'a str {
        self.terms
            .get(&(facet.table(), id.to_string()))
            .map_or(id, |t| t.name.as_str())
    }

    fn term_names_of<'a>(&'a self, facet: Facet, ids: &'a [Located<String>]) -> Vec<&'a str> {
        ids.iter()
            .map(|t| self.term_name(facet, &t.value))
            .collect()
    }

    /// The entry's modalities, body regions and tasks by name: its keywords.
    pub(crate) fn keywords<'a>(&'a self, d: &'a Dataset) -> Vec<&'a str> {
        let mut keywords = self.term_names_of(Facet::Modality, &d.modalities);
        keywords.extend(self.term_names_of(Facet::BodyRegion, &d.body_regions));
        keywords.extend(self.term_names_of(Facet::Task, &d.tasks));
        keywords
    }

    /// The absolute address of a page of the site, with a `base_url`.
    pub(crate) fn absolute(&self, path: &str) -> Option<String> {
        let base = self.site.base_url.as_deref()?;
        Some(format!("{base}/{path}"))
    }

    /// The facts of an entry in sentences: "Modality: X-ray radiography. Body region: Chest.
    /// Task: Classification. Size: 112,120 images. Published by NIH Clinical Center in 2017."
    pub(crate) fn facts(&self, d: &Dataset) -> String {
        let mut out = String::new();
        for (facet, ids) in [
            (Facet::Modality, &d.modalities),
            (Facet::BodyRegion, &d.body_regions),
            (Facet::Task, &d.tasks),
        ] {
            if ids.is_empty() {
                continue;
            }
            let (one, many) = facet.title();
            let title = if ids.len() == 1 { one } else { many };
            let names = self.term_names_of(facet, ids).join(", ");
            out.push_str(&format!("{title}: {names}. "));
        }
        let size = size::main_size(d);
        if size.group == 0 {
            out.push_str(&format!("Size: {}. ", size.text));
        }
        out.push_str(&format!("Published by {}", d.publisher));
        if let Some(year) = d.year {
            out.push_str(&format!(" in {year}"));
        }
        out.push('.');
        out
    }

    /// A description of at least [`MIN_DESCRIPTION`] characters: the entry's summary, followed
    /// by its facts when the summary alone is shorter.
    pub(crate) fn description<'a>(&self, d: &'a Dataset) -> Cow<'a, str> {
        if d.summary.chars().count() >= MIN_DESCRIPTION {
            return Cow::Borrowed(&d.summary);
        }
        Cow::Owned(
            format!("{} {}", d.summary, self.facts(d))
                .trim()
                .to_string(),
        )
    }

    /// What it takes to get the data, in words: the access level and what it means, the
    /// steps, and the licence ("No licence found at the sources" where none is known).
    pub(crate) fn conditions_of_access(&self, d: &Dataset) -> String {
        let access = self.term(Facet::Access, &d.access.value);
        let mut out = access.name.clone();
        if let Some(meaning) = &access.description {
            out.push_str(&format!(": {meaning}"));
        }
        end_sentence(&mut out);
        let steps = crate::derive::access::steps_text(d);
        if !steps.is_empty() {
            out.push_str(&format!(" Steps: {steps}."));
        }
        match crate::derive::license::view(d, &self.licenses) {
            Some(license) => out.push_str(&format!(" Licence: {}", license.name)),
            None => out.push_str(" Licence: none recorded"),
        }
        end_sentence(&mut out);
        out
    }

    /// The `Dataset` JSON-LD of a dataset page, safe inside its `<script>` element.
    pub(crate) fn json_ld(&self, d: &Dataset) -> String {
        let url = self.absolute(&dataset_path(&d.slug));
        let catalog_url = self.absolute("index.html");
        let based_on: Vec<(&str, Option<String>)> = d
            .lineage
            .iter()
            .filter(|l| l.relation.part_of_other() == Some(true))
            .filter_map(|l| {
                let name = self.names.get(&l.entry.value)?;
                Some((name.as_str(), self.absolute(&dataset_path(&l.entry.value))))
            })
            .collect();
        let modalities = self.term_names_of(Facet::Modality, &d.modalities);
        let ld = DatasetLd {
            context: SCHEMA_ORG,
            kind: "Dataset",
            id: url.as_deref(),
            name: &d.name,
            alternate_name: &d.aliases,
            description: self.description(d),
            url: url.as_deref(),
            identifier: doi(d).map(doi_url),
            same_as: &d.homepage,
            keywords: self.keywords(d),
            license: crate::derive::license::url(d, &self.licenses),
            is_accessible_for_free: free(d),
            conditions_of_access: self.conditions_of_access(d),
            creator: creators(d),
            publisher: publisher(d),
            citation: d.papers.iter().map(Article::of).collect(),
            date_published: d.year.map(|y| y.to_string()),
            version: version(d),
            variable_measured: labels(d),
            measurement_technique: modalities,
            // Named as creative works: the other dataset's own page carries its `Dataset`,
            // with the description a `Dataset` must have.
            is_based_on: based_on
                .iter()
                .map(|(name, url)| Reference {
                    kind: "CreativeWork",
                    id: url.as_deref(),
                    name,
                    url: url.as_deref(),
                })
                .collect(),
            included_in_data_catalog: Reference {
                kind: "DataCatalog",
                id: catalog_url.as_deref(),
                name: &self.site.title,
                url: catalog_url.as_deref(),
            },
        };
        script_safe(&ld)
    }

    /// The index's `DataCatalog` JSON-LD, safe inside its `<script>` element.
    pub(crate) fn catalog_json_ld(&self) -> String {
        let url = self.absolute("index.html");
        script_safe(&CatalogLd {
            context: SCHEMA_ORG,
            kind: "DataCatalog",
            id: url.as_deref(),
            name: &self.site.title,
            description: &self.site.description,
            url: url.as_deref(),
        })
    }
}

/// End a sentence with a full stop unless it ends with one.
fn end_sentence(text: &mut String) {
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
}

impl<'a> Article<'a> {
    fn of(p: &'a Paper) -> Self {
        Article {
            kind: "ScholarlyArticle",
            name: &p.title,
            url: &p.url,
            identifier: p.doi.as_deref().map(doi_url),
            date_published: p.year.map(|y| y.to_string()),
        }
    }
}

/// `https://doi.org/<doi>`.
fn doi_url(doi: &str) -> String {
    format!("https://doi.org/{doi}")
}

/// The dataset's own DOI, else that of the first paper describing it (not a survey) that has
/// one.
pub(crate) fn doi(d: &Dataset) -> Option<&str> {
    d.doi
        .as_deref()
        .or_else(|| own_papers(d).find_map(|p| p.doi.as_deref()))
}

/// The entry's papers that describe the dataset itself: not the surveys or benchmarks
/// reporting others' numbers.
pub(crate) fn own_papers(d: &Dataset) -> impl Iterator<Item = &Paper> {
    d.papers.iter().filter(|p| !p.secondary)
}

/// Downloadable without an account: free of charge. Other access levels say nothing of a
/// fee, so the property is left out for them (`conditionsOfAccess` says what they ask).
pub(crate) fn free(d: &Dataset) -> Option<bool> {
    (d.access.value == "open").then_some(true)
}

/// The creators: the authors of the first paper describing the dataset, else its publisher.
pub(crate) fn creators(d: &Dataset) -> Vec<Agent<'_>> {
    let authors = own_papers(d)
        .next()
        .map_or(&[][..], |p| p.authors.as_slice());
    if authors.is_empty() {
        return vec![publisher(d)];
    }
    authors
        .iter()
        .map(|name| Agent {
            kind: "Person",
            name,
        })
        .collect()
}

/// The publisher, which an entry names in words ("NIH Clinical Center"; sometimes with the
/// people behind it): an organization.
pub(crate) fn publisher(d: &Dataset) -> Agent<'_> {
    Agent {
        kind: "Organization",
        name: &d.publisher,
    }
}

/// The version the entry's numbers describe, else the newest it lists.
pub(crate) fn version(d: &Dataset) -> Option<&str> {
    d.version
        .as_deref()
        .or_else(|| d.versions.first().map(|v| v.version.as_str()))
}

/// Every label the entry names, as written, once each, in the order first named: its class
/// tables' labels, then those of `labels`.
pub(crate) fn labels(d: &Dataset) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let listed = d.labels.iter().flat_map(|l| l.value.iter());
    let tabled = d
        .class_counts
        .iter()
        .flat_map(|t| t.labels.iter().map(|(l, _)| l));
    for label in tabled.chain(listed) {
        if seen.insert(label.as_str()) {
            out.push(label);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_element_cannot_end_it() {
        for (text, must_not_contain) in [
            ("</script><script>alert(1)</script>", "</"),
            ("</SCRIPT >", "</"),
            ("<!--<script>", "<!--"),
            ("-->", "-->"),
            ("a & b", "&"),
            ("line\u{2028}break\u{2029}", "\u{2028}"),
        ] {
            let safe = script_safe(&std::collections::BTreeMap::from([(text, text)]));
            assert!(!safe.contains(must_not_contain), "{safe}");
            let back: std::collections::BTreeMap<String, String> =
                serde_json::from_str(&safe).unwrap();
            assert_eq!(back[text], text, "the same data once parsed, keys too");
        }
    }
}
