//! Derive, for browsing: term pages, the label matrix and the comparison data.
//!
//! These views work without JavaScript (term pages, the matrix) or with only a plain
//! `<script>` (the comparison data, split into a few files so that `compare.html` loads only
//! what it shows). All are computed once per build from the checked catalog.

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
    let list: &[Located<String>] = match facet {
        Facet::Modality => &dataset.modalities,
        Facet::BodyRegion => &dataset.body_regions,
        Facet::Task => &dataset.tasks,
        Facet::Access => std::slice::from_ref(&dataset.access),
    };
    list.iter().map(|t| t.value.as_str()).collect()
}

/// The display names of a dataset's terms of one facet.
fn facet_names(dataset: &Dataset, facet: Facet, data: &SiteData) -> Vec<String> {
    values(dataset, facet)
        .iter()
        .map(|id| data.term(facet, id).name)
        .collect()
}

/// Every facet term used by at least one dataset, with its count.
pub(crate) fn facet_groups(catalog: &Catalog, data: &SiteData) -> Vec<FacetGroup> {
    Facet::ALL
        .iter()
        .map(|&facet| FacetGroup {
            key: facet.dir(),
            title: facet.title().1,
            terms: catalog
                .vocabulary
                .facet(facet)
                .iter()
                .map(|t| TermCount {
                    term: data.term(facet, &t.id),
                    count: catalog
                        .datasets
                        .iter()
                        .filter(|d| values(d, facet).contains(&t.id.as_str()))
                        .count(),
                })
                .filter(|t| t.count > 0)
                .collect(),
        })
        .collect()
}

/// One term page: the datasets with that term.
#[derive(Serialize)]
pub(crate) struct TermPage<'a> {
    pub(crate) facet: &'static str,
    pub(crate) facet_plural: &'static str,
    pub(crate) term: TermView,
    pub(crate) dicom: &'a [String],
    /// Positions of its datasets in the catalog (and in the index rows).
    #[serde(skip)]
    pub(crate) datasets: Vec<usize>,
}

/// Every term page, as (output path, view). Terms no dataset uses get a page too, so links
/// from the vocabulary never break.
pub(crate) fn term_pages<'a>(
    catalog: &'a Catalog,
    data: &'a SiteData,
) -> Vec<(String, TermPage<'a>)> {
    let mut pages = Vec::new();
    for facet in Facet::ALL {
        for term in catalog.vocabulary.facet(facet) {
            let datasets = catalog
                .datasets
                .iter()
                .enumerate()
                .filter(|(_, d)| values(d, facet).contains(&term.id.as_str()))
                .map(|(i, _)| i)
                .collect();
            let view = data.term(facet, &term.id);
            pages.push((
                view.href.clone(),
                TermPage {
                    facet: facet.title().0,
                    facet_plural: facet.title().1,
                    term: view,
                    dicom: &term.dicom,
                    datasets,
                },
            ));
        }
    }
    pages
}

/// A label as a dataset writes it, with its total in the first class table.
type LabelCount = (String, Option<u64>);

/// The label matrix: canonical findings as rows, datasets as columns.
#[derive(Serialize)]
pub(crate) struct LabelMatrix {
    pub(crate) datasets: Vec<MatrixColumn>,
    pub(crate) rows: Vec<MatrixRow>,
}

#[derive(Serialize)]
pub(crate) struct MatrixColumn {
    pub(crate) slug: String,
    pub(crate) name: String,
}

#[derive(Serialize)]
pub(crate) struct MatrixRow {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) synonyms: Vec<String>,
    /// From labels.toml (false: a dataset's own label that matches no finding).
    pub(crate) canonical: bool,
    /// The row's `<td>` cells, one per dataset column, as HTML: a matrix of 10,000 datasets
    /// has hundreds of thousands of cells, too many to loop over in a template.
    pub(crate) cells: String,
    #[serde(skip)]
    entries: Vec<Vec<MatrixCell>>,
}

#[derive(Clone)]
struct MatrixCell {
    /// The label as the dataset writes it.
    label: String,
    /// Its total in the dataset's first class table, when it has one.
    count: Option<String>,
    /// Overlapping, not equal (labels.toml `related`).
    related: bool,
}

/// `<td>` cells of one matrix row.
fn cells_html(entries: &[Vec<MatrixCell>]) -> String {
    let mut out = String::with_capacity(entries.len() * 12);
    for cell in entries {
        out.push_str("<td>");
        for c in cell {
            out.push_str(if c.related {
                "<span class=\"cell related\"><span class=\"visually-hidden\">related: </span>"
            } else {
                "<span class=\"cell\">"
            });
            out.push_str(&crate::common::html::escape_html(&c.label));
            if let Some(count) = &c.count {
                out.push_str(" <span class=\"num\">");
                out.push_str(count);
                out.push_str("</span>");
            }
            out.push_str("</span>");
        }
        out.push_str("</td>");
    }
    out
}

pub(crate) fn label_matrix(catalog: &Catalog, data: &SiteData) -> LabelMatrix {
    let with_labels = datasets_with_labels(catalog);
    let columns = with_labels.len();
    let labels = &data.labels;
    let mut rows: Vec<MatrixRow> = labels
        .findings
        .iter()
        .map(|f| {
            matrix_row(
                crate::common::slug::slugify(&f.name),
                f.name.clone(),
                f.synonyms.clone(),
                true,
                columns,
            )
        })
        .collect();
    // Rows of labels that match no finding, by normalized label.
    let mut own_rows: HashMap<String, usize> = HashMap::new();
    for (column, (_, dataset_labels)) in with_labels.iter().enumerate() {
        for (label, count) in dataset_labels {
            let cell = |related| MatrixCell {
                label: label.clone(),
                count: count.map(thousands),
                related,
            };
            let resolved = labels.resolve(label);
            let row = match &resolved.meaning {
                Meaning::Finding(i) => *i,
                Meaning::Own(key) => *own_rows.entry(key.clone()).or_insert_with(|| {
                    let name = label.replace('_', " ");
                    rows.push(matrix_row(
                        crate::common::slug::slugify(label),
                        name,
                        Vec::new(),
                        false,
                        columns,
                    ));
                    rows.len() - 1
                }),
            };
            rows[row].entries[column].push(cell(false));
            for &finding in &resolved.related {
                rows[finding].entries[column].push(cell(true));
            }
        }
    }
    rows.retain(|r| r.entries.iter().any(|c| !c.is_empty()));
    for row in &mut rows {
        row.cells = cells_html(&std::mem::take(&mut row.entries));
    }
    LabelMatrix {
        datasets: with_labels
            .iter()
            .map(|(d, _)| MatrixColumn {
                slug: d.slug.clone(),
                name: d.name.clone(),
            })
            .collect(),
        rows,
    }
}

/// The datasets that name labels, with them: those of one body region (in vocabulary order)
/// side by side, by name within it, so that the chest radiograph sets, whose labels overlap
/// most, form one block.
fn datasets_with_labels(catalog: &Catalog) -> Vec<(&Dataset, Vec<LabelCount>)> {
    let mut with_labels: Vec<(&Dataset, Vec<LabelCount>)> = catalog
        .datasets
        .iter()
        .map(|d| (d, dataset_labels(d)))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let region_order = |d: &Dataset| {
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
    };
    with_labels.sort_by_key(|(d, _)| region_order(d));
    with_labels
}

/// An empty row of the matrix, with a cell list for each of `columns` datasets.
fn matrix_row(
    id: String,
    name: String,
    synonyms: Vec<String>,
    canonical: bool,
    columns: usize,
) -> MatrixRow {
    MatrixRow {
        id,
        name,
        synonyms,
        canonical,
        cells: String::new(),
        entries: vec![Vec::new(); columns],
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
}

#[derive(Serialize)]
pub(crate) struct CompareTable {
    pub(crate) title: String,
    pub(crate) unit: &'static str,
    pub(crate) total: Option<String>,
    pub(crate) rows: Vec<CompareRow>,
}

/// (canonical finding or own label, label as written, total, prevalence, related findings);
/// an array in the JSON, to keep the comparison files small.
pub(crate) type CompareRow = (String, String, String, Option<String>, Vec<String>);

pub(crate) fn compare_entry(dataset: &Dataset, data: &SiteData) -> CompareEntry {
    let names = |facet: Facet| facet_names(dataset, facet, data).join(", ");
    let optional = |v: Option<String>| v.unwrap_or_default();
    let fields = vec![
        ("Summary", dataset.summary.clone()),
        ("Also known as", dataset.aliases.join(", ")),
        ("Publisher", dataset.publisher.clone()),
        ("Modalities", names(Facet::Modality)),
        ("Body regions", names(Facet::BodyRegion)),
        ("Tasks", names(Facet::Task)),
        ("Access", names(Facet::Access)),
        ("Licence", optional(dataset.license.clone())),
        ("Released", optional(dataset.year.map(|y| y.to_string()))),
        ("DOI", optional(dataset.doi.clone())),
        ("Images", optional(dataset.images.map(thousands))),
        ("Patients", optional(dataset.patients.map(thousands))),
        ("Image format", dataset.image_format.join(", ")),
        ("Resolution", optional(dataset.resolution.clone())),
        (
            "Bit depth",
            optional(dataset.bit_depth.map(|b| format!("{b}-bit"))),
        ),
        ("Labelling", optional(dataset.labeling.clone())),
        ("Labels", dataset_labels(dataset).len().to_string()),
        ("Class tables", dataset.class_counts.len().to_string()),
        ("Papers", dataset.papers.len().to_string()),
        ("Known issues", dataset.known_issues.len().to_string()),
        ("Homepage", dataset.homepage.clone()),
    ];
    let table = dataset
        .class_counts
        .iter()
        .find(|t| !t.labels.is_empty())
        .map(|t| compare_table(t, data));
    CompareEntry {
        slug: dataset.slug.clone(),
        name: dataset.name.clone(),
        fields,
        table,
    }
}

/// The class table a comparison shows: each label's total over the splits, with prevalence.
fn compare_table(t: &crate::model::ClassTable, data: &SiteData) -> CompareTable {
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
        unit: t.unit.as_str(),
        total: total_images.map(thousands),
        rows: t.labels.iter().map(|(l, c)| row((l, c))).collect(),
    }
}

/// The catalog as a spreadsheet: one row per dataset, the facts a reader filters on. The
/// columns are those declared in [`crate::format`].
pub(crate) fn catalog_csv(catalog: &Catalog, data: &SiteData) -> String {
    let columns = &*crate::format::CSV_COLUMNS;
    let mut out = String::new();
    push_csv_row(
        &mut out,
        columns.iter().map(std::string::ToString::to_string),
    );
    for d in &catalog.datasets {
        push_csv_row(
            &mut out,
            columns.iter().map(|column| csv_cell(d, column, data)),
        );
    }
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
        "license" => d.license.clone().unwrap_or_default(),
        "year" => d.year.map(|y| y.to_string()).unwrap_or_default(),
        "images" => number(d.images),
        "patients" => number(d.patients),
        "publisher" => d.publisher.clone(),
        "homepage" => d.homepage.clone(),
        "doi" => d.doi.clone().unwrap_or_default(),
        "page" => crate::common::paths::dataset_path(&d.slug),
        _ => String::new(),
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
