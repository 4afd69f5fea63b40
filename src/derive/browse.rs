//! Derive, for browsing: term pages, the label matrix, `catalog.csv` and the comparison data.
//!
//! These views work without JavaScript (term pages, the matrix) or with only a plain
//! `<script>` (the comparison data, split into a few files so that `compare.html` loads only
//! what it shows). The label matrix and `catalog.csv` are assembled from each dataset's part
//! (its column, its record), which [`ListingCache`] keeps between runs of `serve` by the
//! fingerprint of what it is made from; assembling 10,000 parts is cheap, making them is not.

use std::collections::HashMap;

use serde::Serialize;

use crate::common::number::{percent, thousands};
use crate::derive::labels::{Meaning, dataset_labels};
use crate::derive::{SiteData, TermView};
use crate::model::{Catalog, Dataset, Facet, Located};

/// A facet with the number of datasets for each term, for the "browse by" lists.
#[derive(Serialize)]
pub(crate) struct FacetGroup {
    pub(crate) key: &'static str,
    pub(crate) title: &'static str,
    pub(crate) terms: Vec<TermCount>,
}

#[derive(Serialize)]
pub(crate) struct TermCount {
    pub(crate) term: TermView,
    pub(crate) count: usize,
}

fn values(dataset: &Dataset, facet: Facet) -> Vec<&str> {
    terms_of(dataset, facet)
        .iter()
        .map(|t| t.value.as_str())
        .collect()
}

/// A dataset's terms of one facet (those of its label sets once each).
pub(crate) fn terms_of(dataset: &Dataset, facet: Facet) -> Vec<&Located<String>> {
    match facet {
        Facet::Modality => dataset.modalities.iter().collect(),
        Facet::BodyRegion => dataset.body_regions.iter().collect(),
        Facet::Task => dataset.tasks.iter().collect(),
        Facet::Access => vec![&dataset.access],
        Facet::LabelMethod | Facet::AnnotationType => dataset.label_set_terms(facet),
    }
}

/// The display names of a dataset's terms of one facet.
fn facet_names(dataset: &Dataset, facet: Facet, data: &SiteData) -> Vec<String> {
    values(dataset, facet)
        .iter()
        .map(|id| data.term(facet, id).name)
        .collect()
}

/// The datasets of each term, by facet and term id: their positions in the catalog.
type ByTerm<'c> = ahash::AHashMap<(&'static str, &'c str), Vec<usize>>;

/// Where each term is used, in one pass over the catalog.
fn datasets_by_term(catalog: &Catalog) -> ByTerm<'_> {
    let mut by_term: ByTerm = ByTerm::new();
    for (i, dataset) in catalog.datasets.iter().enumerate() {
        for facet in Facet::ALL {
            for id in terms_of(dataset, facet) {
                let list = by_term.entry((facet.dir(), id.value.as_str())).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
    }
    by_term
}

/// Every facet term used by at least one dataset, with its count (`count`: the number of
/// datasets of a term page, by its path).
pub(crate) fn facet_groups(
    catalog: &Catalog,
    data: &SiteData,
    count: impl Fn(&str) -> usize,
) -> Vec<FacetGroup> {
    Facet::ALL
        .iter()
        .map(|&facet| FacetGroup {
            key: facet.dir(),
            title: facet.title().1,
            terms: catalog
                .vocabulary
                .facet(facet)
                .iter()
                .map(|t| {
                    let term = data.term(facet, &t.id);
                    let count = count(&term.href);
                    TermCount { term, count }
                })
                .filter(|t| t.count > 0)
                .collect(),
        })
        .collect()
}

/// One term page: the datasets with that term.
#[derive(Serialize, Clone)]
pub(crate) struct TermPage<'a> {
    pub(crate) facet: &'static str,
    pub(crate) facet_plural: &'static str,
    pub(crate) term: TermView,
    pub(crate) dicom: &'a [String],
    /// Positions of its datasets in the catalog (and in the index rows).
    #[serde(skip)]
    pub(crate) datasets: Vec<usize>,
    /// What joins the term's id and the number in the paths of its next pages
    /// (`classification-2.html`).
    #[serde(skip)]
    pub(crate) next_sep: &'static str,
}

/// Every term page, as (output path, view). Terms no dataset uses get a page too, so links
/// from the vocabulary never break.
pub(crate) fn term_pages<'a>(
    catalog: &'a Catalog,
    data: &'a SiteData,
) -> Vec<(String, TermPage<'a>)> {
    let mut pages = Vec::new();
    let by_term = datasets_by_term(catalog);
    for facet in Facet::ALL {
        for term in catalog.vocabulary.facet(facet) {
            let datasets = by_term
                .get(&(facet.dir(), term.id.as_str()))
                .cloned()
                .unwrap_or_default();
            let view = data.term(facet, &term.id);
            pages.push((
                view.href.clone(),
                TermPage {
                    facet: facet.title().0,
                    facet_plural: facet.title().1,
                    term: view,
                    dicom: &term.dicom,
                    datasets,
                    next_sep: "-",
                },
            ));
        }
    }
    pages
}

/// The label matrix: canonical findings as rows, datasets as columns.
#[derive(Serialize)]
pub(crate) struct LabelMatrix<'a> {
    pub(crate) datasets: Vec<&'a MatrixColumn>,
    pub(crate) rows: Vec<MatrixRow<'a>>,
}

#[derive(Serialize, Hash)]
pub(crate) struct MatrixColumn {
    pub(crate) slug: String,
    pub(crate) name: String,
    /// The class table the column counts come from ([`crate::model::ClassTable::compared`]),
    /// with its anchor on the dataset page and its `official` (true, false or not said).
    pub(crate) table: Option<String>,
    pub(crate) table_anchor: Option<String>,
    pub(crate) official: Option<bool>,
}

#[derive(Serialize)]
pub(crate) struct MatrixRow<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) synonyms: &'a [String],
    /// From labels.toml (false: a dataset's own label that matches no finding).
    pub(crate) canonical: bool,
    /// The row's `<td>` cells, one per dataset column, as HTML: a matrix of 10,000 datasets
    /// has hundreds of thousands of cells, too many to loop over in a template.
    pub(crate) cells: String,
}

/// The row of the matrix a dataset's label goes in.
#[derive(Hash, PartialEq, Eq)]
enum RowOf {
    /// A finding of labels.toml, by index.
    Finding(usize),
    /// A label that matches no finding: its normalized form, with the row id and name it gives
    /// when it is the first of the matrix to use that row.
    Own(Box<OwnRow>),
}

/// A label that matches no finding, as [`RowOf::Own`] holds it (boxed: most cells are of
/// findings, and a column's cells are kept for the whole build).
#[derive(Hash, PartialEq, Eq)]
struct OwnRow {
    key: String,
    id: String,
    name: String,
}

/// One dataset's column of the label matrix: where it goes (its body region's place in the
/// vocabulary), its header, and the contents of its non-empty cells, by row, in the order
/// they are first filled.
#[derive(Hash)]
pub(crate) struct MatrixPart {
    region: usize,
    column: MatrixColumn,
    cells: Vec<(RowOf, String)>,
}

/// One label's `<span>` in a matrix cell.
fn push_cell(out: &mut String, label: &str, count: Option<&str>, related: bool) {
    out.push_str(if related {
        "<span class=\"cell related\"><span class=\"visually-hidden\">related: </span>"
    } else {
        "<span class=\"cell\">"
    });
    out.push_str(&crate::common::html::escape_html(label));
    if let Some(count) = count {
        out.push_str(" <span class=\"num\">");
        out.push_str(count);
        out.push_str("</span>");
    }
    out.push_str("</span>");
}

/// The column of `dataset`, when it names labels.
pub(crate) fn matrix_part(
    catalog: &Catalog,
    dataset: &Dataset,
    data: &SiteData,
) -> Option<MatrixPart> {
    let labels = dataset_labels(dataset);
    if labels.is_empty() {
        return None;
    }
    let mut cells: Vec<(RowOf, String)> = Vec::new();
    let mut at: HashMap<Meaning, usize> = HashMap::new();
    let mut cell = |row: RowOf, meaning: Meaning, label: &str, count: Option<&str>, related| {
        let i = *at.entry(meaning).or_insert_with(|| {
            cells.push((row, String::new()));
            cells.len() - 1
        });
        push_cell(&mut cells[i].1, label, count, related);
    };
    for (label, count) in &labels {
        let count = count.map(thousands);
        let resolved = data.labels.resolve(label);
        let row = match &resolved.meaning {
            Meaning::Finding(i) => RowOf::Finding(*i),
            Meaning::Own(key) => RowOf::Own(Box::new(OwnRow {
                key: key.clone(),
                id: crate::common::slug::label_id(label),
                name: label.replace('_', " "),
            })),
        };
        cell(
            row,
            resolved.meaning.clone(),
            label,
            count.as_deref(),
            false,
        );
        for &finding in &resolved.related {
            let f = Meaning::Finding(finding);
            cell(RowOf::Finding(finding), f, label, count.as_deref(), true);
        }
    }
    // Kept for the whole build: without the room the strings and the list grew into.
    for (_, contents) in &mut cells {
        contents.shrink_to_fit();
    }
    cells.shrink_to_fit();
    Some(MatrixPart {
        region: region_order(catalog, dataset),
        column: {
            let compared = crate::model::ClassTable::compared(&dataset.class_counts);
            MatrixColumn {
                slug: dataset.slug.clone(),
                name: dataset.name.clone(),
                table: compared.map(|(_, t)| t.title.clone()),
                table_anchor: compared.map(|(i, _)| format!("table-{}", i + 1)),
                official: compared.and_then(|(_, t)| t.official),
            }
        },
        cells,
    })
}

/// The columns of the label matrix in pages of at most `per_page`, by catalog position: the
/// datasets that name labels, those of one body region side by side (in vocabulary order, by
/// catalog order within it). A region starts a new page unless it fits on the current one, so
/// that a page holds whole regions except where one region alone fills pages. A catalog
/// without labels has one empty page.
pub(crate) fn matrix_pages(catalog: &Catalog, per_page: usize) -> Vec<Vec<usize>> {
    let mut columns: Vec<(usize, usize)> = catalog
        .datasets
        .iter()
        .enumerate()
        .filter(|(_, d)| !dataset_labels(d).is_empty())
        .map(|(i, d)| (region_order(catalog, d), i))
        .collect();
    columns.sort_by_key(|&(region, _)| region);
    let mut pages: Vec<Vec<usize>> = vec![Vec::new()];
    for group in columns.chunk_by(|a, b| a.0 == b.0) {
        let page = pages.last().expect("one page at least");
        if !page.is_empty() && page.len() + group.len() > per_page {
            pages.push(Vec::new());
        }
        for &(_, i) in group {
            if pages.last().expect("one page at least").len() == per_page {
                pages.push(Vec::new());
            }
            pages.last_mut().expect("one page at least").push(i);
        }
    }
    pages
}

/// The names of the body regions of a page of the label matrix (`columns`, in column order),
/// each once, in order; "no body region" for datasets without one.
pub(crate) fn matrix_regions(catalog: &Catalog, data: &SiteData, columns: &[usize]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for &i in columns {
        let name = catalog.datasets[i].body_regions.first().map_or_else(
            || "no body region".to_string(),
            |r| data.term(Facet::BodyRegion, &r.value).name,
        );
        if names.last() != Some(&name) {
            names.push(name);
        }
    }
    names
}

/// The place of a dataset's first body region in the vocabulary (last when it has none).
fn region_order(catalog: &Catalog, d: &Dataset) -> usize {
    d.body_regions
        .first()
        .and_then(|r| {
            catalog
                .vocabulary
                .body_regions
                .iter()
                .position(|t| t.id == r.value)
        })
        .unwrap_or(usize::MAX)
}

/// A matrix row being filled: its cells so far, for the first `filled` columns.
struct RowCells<'a> {
    id: &'a str,
    name: &'a str,
    synonyms: &'a [String],
    canonical: bool,
    cells: String,
    filled: usize,
    used: bool,
}

impl<'a> RowCells<'a> {
    fn new(id: &'a str, name: &'a str, synonyms: &'a [String], canonical: bool) -> Self {
        RowCells {
            id,
            name,
            synonyms,
            canonical,
            cells: String::new(),
            filled: 0,
            used: false,
        }
    }

    /// Empty cells up to column `column`.
    fn pad(&mut self, column: usize) {
        for _ in self.filled..column {
            self.cells.push_str("<td></td>");
        }
        self.filled = self.filled.max(column);
    }

    fn push(&mut self, column: usize, contents: &str) {
        self.pad(column);
        self.cells.push_str("<td>");
        self.cells.push_str(contents);
        self.cells.push_str("</td>");
        self.filled = column + 1;
        self.used = true;
    }
}

/// The matrix of the datasets' columns (`parts`, in catalog order; `None` for a dataset without
/// labels): those of one body region (in vocabulary order) side by side, by name within it, so
/// that the chest radiograph sets, whose labels overlap most, form one block.
pub(crate) fn label_matrix<'a>(
    parts: &[Option<&'a MatrixPart>],
    data: &'a SiteData,
) -> LabelMatrix<'a> {
    let ids = &data.labels.ids;
    let mut columns: Vec<&MatrixPart> = parts.iter().flatten().copied().collect();
    columns.sort_by_key(|p| p.region);
    let findings = &data.labels.findings;
    let mut rows: Vec<RowCells> = findings
        .iter()
        .zip(ids)
        .map(|(f, id)| RowCells::new(id, &f.name, &f.synonyms, true))
        .collect();
    let mut own_rows: HashMap<&str, usize> = HashMap::new();
    for (column, part) in columns.iter().enumerate() {
        for (row, contents) in &part.cells {
            let row = match row {
                RowOf::Finding(i) => *i,
                RowOf::Own(own) => *own_rows.entry(&own.key).or_insert_with(|| {
                    rows.push(RowCells::new(&own.id, &own.name, &[], false));
                    rows.len() - 1
                }),
            };
            rows[row].push(column, contents);
        }
    }
    let rows = rows
        .into_iter()
        .filter(|r| r.used)
        .map(|mut r| {
            r.pad(columns.len());
            MatrixRow {
                id: r.id,
                name: r.name,
                synonyms: r.synonyms,
                canonical: r.canonical,
                cells: r.cells,
            }
        })
        .collect();
    LabelMatrix {
        datasets: columns.iter().map(|p| &p.column).collect(),
        rows,
    }
}

/// One dataset's column of the label matrix and record of `catalog.csv`, with a hash of each.
struct Listing {
    matrix: Option<MatrixPart>,
    matrix_hash: u64,
    csv: String,
    csv_hash: u64,
}

/// Each dataset's [`Listing`], kept between runs by a fingerprint of what it is made from (the
/// entry, the vocabulary and `labels.toml`), with the keys of the last run in catalog order.
#[derive(Default)]
pub(crate) struct ListingCache {
    parts: crate::common::hash::PartCache<Listing>,
    keys: Vec<u64>,
}

impl ListingCache {
    /// Make the listing of every dataset whose key (`keys`, one per dataset in catalog order)
    /// is new, and drop those no longer used.
    pub(crate) fn fill(&mut self, catalog: &Catalog, data: &SiteData, keys: &[u64]) {
        use rayon::prelude::*;
        let missing: Vec<(u64, Listing)> = catalog
            .datasets
            .par_iter()
            .zip(keys)
            .filter(|(_, key)| !self.parts.contains_key(key))
            .map(|(d, &key)| {
                let matrix = matrix_part(catalog, d, data);
                let csv = csv_row(d, data);
                let listing = Listing {
                    matrix_hash: crate::common::hash::stable_hash(&matrix),
                    csv_hash: crate::common::hash::stable_hash(&csv),
                    matrix,
                    csv,
                };
                (key, listing)
            })
            .collect();
        self.parts.extend(missing);
        crate::common::hash::keep_only(&mut self.parts, keys);
        self.keys = keys.to_vec();
    }

    fn each(&self) -> impl Iterator<Item = &Listing> {
        self.keys.iter().map(|k| &self.parts[k])
    }

    /// The matrix columns of the datasets at `positions` in the catalog, in that order.
    pub(crate) fn matrix_parts(&self, positions: &[usize]) -> Vec<Option<&MatrixPart>> {
        positions
            .iter()
            .map(|&i| self.parts[&self.keys[i]].matrix.as_ref())
            .collect()
    }

    /// The datasets' records of `catalog.csv`, in catalog order.
    pub(crate) fn csv_rows(&self) -> impl Iterator<Item = &str> {
        self.each().map(|l| l.csv.as_str())
    }

    /// Hashes of each dataset's column of the label matrix (in catalog order) and of
    /// `catalog.csv`'s contents.
    pub(crate) fn hashes(&self) -> (Vec<u64>, u64) {
        let (matrix, csv): (Vec<u64>, Vec<u64>) =
            self.each().map(|l| (l.matrix_hash, l.csv_hash)).unzip();
        (matrix, crate::common::hash::stable_hash(&csv))
    }
}

/// How many files the comparison data is split into: enough that one file stays small.
pub(crate) fn compare_chunks(datasets: usize) -> u32 {
    datasets.div_ceil(100).max(1) as u32
}

/// Which comparison file holds a dataset: FNV-1a of its slug, which `compare.js` computes too.
pub(crate) fn compare_chunk(slug: &str, chunks: u32) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in slug.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash % chunks
}

/// One dataset as the comparison page shows it.
#[derive(Serialize)]
pub(crate) struct CompareEntry {
    pub(crate) slug: String,
    pub(crate) name: String,
    /// (field name, displayed value) in a fixed order, so rows align across datasets.
    pub(crate) fields: Vec<(&'static str, String)>,
    /// The first class table with labels, aligned by canonical finding.
    pub(crate) table: Option<CompareTable>,
    /// The datasets it overlaps with and those its data is built from, for the warning.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) lineage: Option<crate::derive::lineage::CompareLineage>,
}

#[derive(Serialize)]
pub(crate) struct CompareTable {
    pub(crate) title: String,
    /// Whether it is the publisher's own split (`official`: true, false or not said), and its
    /// anchor on the dataset page (`table-2`).
    pub(crate) official: Option<bool>,
    pub(crate) anchor: String,
    pub(crate) unit: &'static str,
    pub(crate) total: Option<String>,
    pub(crate) rows: Vec<CompareRow>,
}

/// (canonical finding or own label, label as written, total, prevalence, related findings);
/// an array in the JSON, to keep the comparison files small.
pub(crate) type CompareRow = (String, String, String, Option<String>, Vec<String>);

pub(crate) fn compare_entry(dataset: &Dataset, data: &SiteData) -> CompareEntry {
    let mut fields = identity_fields(dataset, data);
    fields.extend(data_fields(dataset, data));
    let table = crate::model::ClassTable::compared(&dataset.class_counts)
        .map(|(i, t)| compare_table(i, t, data));
    CompareEntry {
        slug: dataset.slug.clone(),
        name: dataset.name.clone(),
        fields,
        table,
        lineage: data.lineage.compare(&dataset.slug).cloned(),
    }
}

/// The rows of the comparison that say what a dataset is: names, terms, licence, size.
fn identity_fields(dataset: &Dataset, data: &SiteData) -> Vec<(&'static str, String)> {
    let names = |facet: Facet| facet_names(dataset, facet, data).join(", ");
    let optional = |v: Option<String>| v.unwrap_or_default();
    vec![
        ("Summary", dataset.summary.clone()),
        ("Also known as", dataset.aliases.join(", ")),
        ("Publisher", dataset.publisher.clone()),
        ("Modalities", names(Facet::Modality)),
        ("Body regions", names(Facet::BodyRegion)),
        ("Tasks", names(Facet::Task)),
        ("Access", names(Facet::Access)),
        (
            "Licence",
            crate::derive::license::compare_text(dataset, &data.licenses),
        ),
        ("Released", optional(dataset.year.map(|y| y.to_string()))),
        ("DOI", optional(dataset.doi.clone())),
        ("Version", crate::derive::versions::compare_version(dataset)),
        ("Size", crate::derive::size::compare_text(dataset)),
    ]
}

/// The rows of the comparison about the files, the labels, the sources and the checks.
fn data_fields(dataset: &Dataset, data: &SiteData) -> Vec<(&'static str, String)> {
    let names = |facet: Facet| facet_names(dataset, facet, data).join(", ");
    let optional = |v: Option<String>| v.unwrap_or_default();
    vec![
        (
            "Download",
            optional(dataset.sizes.download_bytes.map(crate::derive::size::bytes)),
        ),
        ("Image format", dataset.image_format.join(", ")),
        ("Resolution", optional(dataset.resolution.clone())),
        (
            "Bit depth",
            optional(dataset.bit_depth.map(|b| format!("{b}-bit"))),
        ),
        ("How to get it", crate::derive::access::steps_text(dataset)),
        (
            "Files at",
            crate::derive::access::downloads_text(dataset, ", "),
        ),
        (
            "Label method",
            crate::derive::access::methods_text(dataset, data),
        ),
        ("Annotation types", names(Facet::AnnotationType)),
        (
            "Labelling",
            optional(dataset.labeling.as_ref().map(|l| l.value.clone())),
        ),
        (
            "Demographics",
            crate::derive::versions::compare_demographics(dataset),
        ),
        ("Labels", dataset_labels(dataset).len().to_string()),
        ("Class tables", dataset.class_counts.len().to_string()),
        ("Lineage", lineage_text(dataset, data)),
        ("Papers", dataset.papers.len().to_string()),
        ("Known issues", dataset.known_issues.len().to_string()),
        ("Homepage", dataset.homepage.clone()),
        (
            "Numbers checked",
            crate::derive::provenance::checked_text(dataset),
        ),
    ]
}

/// A dataset's relations to other entries in one line: "Built from the images of X; ...".
fn lineage_text(dataset: &Dataset, data: &SiteData) -> String {
    let parts: Vec<String> = data
        .lineage
        .links(&dataset.slug)
        .iter()
        .map(|l| format!("{}{}{}", l.before, l.name, l.after.trim_end_matches('.')))
        .collect();
    parts.join("; ")
}

/// The class table a comparison shows: each label's total over the splits, with prevalence.
fn compare_table(index: usize, t: &crate::model::ClassTable, data: &SiteData) -> CompareTable {
    let total_images: Option<u64> = t
        .images
        .as_ref()
        .filter(|s| s.len() == t.splits.len())
        .and_then(|s| crate::common::number::total(s.iter().copied()));
    let row = |(label, counts): (&String, &Vec<u64>)| -> CompareRow {
        // A table whose totals overflow never passes the checks; this keeps a wrapped number
        // off the page all the same.
        let total = crate::common::number::total(counts.iter().copied());
        let related = data
            .labels
            .resolve(label)
            .related
            .iter()
            .map(|&f| data.labels.findings[f].name.clone())
            .collect();
        (
            data.labels.canonical_name(label),
            label.clone(),
            total.map_or_else(|| "(too large)".into(), thousands),
            total.zip(total_images).and_then(|(t, n)| percent(t, n)),
            related,
        )
    };
    CompareTable {
        title: t.title.clone(),
        official: t.official,
        anchor: format!("table-{}", index + 1),
        unit: t.unit.as_str(),
        total: total_images.map(thousands),
        rows: t.labels.iter().map(|(l, c)| row((l, c))).collect(),
    }
}

/// The catalog as a spreadsheet: one row per dataset (`rows`, from [`csv_row`], in catalog
/// order), the facts a reader filters on. The columns are those declared in [`crate::format`].
pub(crate) fn catalog_csv<'r>(rows: impl Iterator<Item = &'r str>) -> String {
    let columns = &*crate::format::CSV_COLUMNS;
    let mut out = String::new();
    push_csv_row(
        &mut out,
        columns.iter().map(std::string::ToString::to_string),
    );
    for row in rows {
        out.push_str(row);
    }
    out
}

/// One dataset's record of `catalog.csv`.
pub(crate) fn csv_row(d: &Dataset, data: &SiteData) -> String {
    let mut out = String::new();
    push_csv_row(
        &mut out,
        crate::format::CSV_COLUMNS
            .iter()
            .map(|column| csv_cell(d, column, data)),
    );
    out
}

/// The value of one column of `catalog.csv` for one dataset; empty where it has none.
fn csv_cell(d: &Dataset, column: &str, data: &SiteData) -> String {
    let names = |facet: Facet| facet_names(d, facet, data).join("; ");
    let number = |n: Option<u64>| n.map(|n| n.to_string()).unwrap_or_default();
    match column {
        "slug" => d.slug.clone(),
        "name" => d.name.clone(),
        "modalities" => names(Facet::Modality),
        "body_regions" => names(Facet::BodyRegion),
        "tasks" => names(Facet::Task),
        "access" => names(Facet::Access),
        "license" => d.license_value().unwrap_or_default().to_string(),
        "year" => d.year.map(|y| y.to_string()).unwrap_or_default(),
        "main_unit" => d
            .sizes
            .main_unit
            .map(|u| u.as_str().to_string())
            .unwrap_or_default(),
        "download_bytes" => number(d.sizes.download_bytes),
        "checked" => d.checked.map(crate::model::Date::iso).unwrap_or_default(),
        "access_steps" => crate::derive::access::steps_csv(d),
        "downloads" => crate::derive::access::downloads_csv(d),
        "label_methods" => names(Facet::LabelMethod),
        "annotation_types" => names(Facet::AnnotationType),
        "publisher" => d.publisher.clone(),
        "homepage" => d.homepage.clone(),
        "doi" => d.doi.clone().unwrap_or_default(),
        "version" => d.version.clone().unwrap_or_default(),
        "versions" => d
            .versions
            .iter()
            .map(|v| v.version.as_str())
            .collect::<Vec<_>>()
            .join("; "),
        "page" => crate::common::paths::dataset_path(&d.slug),
        "lineage" => d
            .lineage
            .iter()
            .map(|l| format!("{}:{}", l.relation.as_str(), l.entry.value))
            .collect::<Vec<_>>()
            .join("; "),
        key => crate::model::Unit::named(key)
            .and_then(|u| d.sizes.get(u))
            .map(crate::derive::size::csv)
            .unwrap_or_default(),
    }
}

/// One CSV record (RFC 4180): fields with a comma, quote or line break are quoted. A field
/// that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading `'`, so that opening the file runs nothing an entry wrote.
fn push_csv_row(out: &mut String, fields: impl Iterator<Item = String>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let field = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{field}")
        } else {
            field
        };
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_never_start_a_formula() {
        let mut out = String::new();
        let fields = [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "plain",
            "1,2",
        ];
        push_csv_row(
            &mut out,
            fields.iter().map(std::string::ToString::to_string),
        );
        assert_eq!(
            out,
            "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2,'@SUM(A1),'\tx,plain,\"1,2\"\r\n"
        );
    }

    #[test]
    fn chunks_are_stable() {
        assert_eq!(compare_chunks(0), 1);
        assert_eq!(compare_chunks(100), 1);
        assert_eq!(compare_chunks(10_000), 100);
        // Same function as compare.js: FNV-1a, 32 bits.
        assert_eq!(compare_chunk("a", 1000), 0xe40c292c % 1000);
    }
}
