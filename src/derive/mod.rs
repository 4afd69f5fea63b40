//! Derive: the numbers and views the pages show, computed from the checked catalog.
//!
//! Totals, label occurrences, prevalence and split shares are derived here, never typed into
//! content. Site-wide data (term names, label meanings, facet lists, checklist progress) is computed once
//! per build in [`SiteData::new`]; per-dataset views are built in parallel by the renderer.
//! Numbers are formatted here (thousands separators, percentages) so templates only print.

pub(crate) mod access;
pub(crate) mod browse;
pub(crate) mod chart;
pub(crate) mod citations;
pub(crate) mod cite;
pub(crate) mod croissant;
pub(crate) mod export;
pub(crate) mod labels;
pub(crate) mod license;
pub(crate) mod lineage;
pub(crate) mod lineage_svg;
pub(crate) mod provenance;
pub(crate) mod rows;
pub(crate) mod schema_org;
pub mod search;
pub(crate) mod search_files;
pub(crate) mod size;
pub(crate) mod versions;

use std::collections::HashMap;

use serde::Serialize;

use crate::common::number::{capitalize, thousands};
use crate::diagnostics::Diagnostic;
use crate::model::*;
use crate::parse::markdown;
use rows::{Row, Rows};

#[derive(Debug, Serialize, Clone)]
pub(crate) struct TermView {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// The term's page, relative to the site root: `modalities/x-ray.html`.
    pub(crate) href: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct Progress {
    pub(crate) done: usize,
    pub(crate) total: usize,
    /// Share done, 0..=100, for a progress bar.
    pub(crate) percent: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct SiteView {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) base_url: Option<String>,
    /// The address of the image social sites show for a shared page (`social.png`), with a
    /// `base_url`: OpenGraph wants it absolute.
    pub(crate) image_url: Option<String>,
    /// The site has an Atom feed (`feed.xml`): with a `base_url`, when an entry has a
    /// `checked` date.
    pub(crate) feed: bool,
    pub(crate) repository: Option<String>,
    /// "Propose a dataset": a new-file link on the forge, prefilled with the entry template.
    pub(crate) propose_url: Option<String>,
    pub(crate) generator: &'static str,
    pub(crate) dataset_count: usize,
    pub(crate) progress: Progress,
}

#[derive(Debug, Serialize)]
pub(crate) struct IndexRow {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) summary: String,
    pub(crate) modalities: Vec<String>,
    pub(crate) body_regions: Vec<String>,
    pub(crate) tasks: Vec<String>,
    /// The main-unit size, or the label of its group.
    pub(crate) size: size::MainSize,
    pub(crate) patients: Option<String>,
    pub(crate) year: Option<i64>,
    pub(crate) access: TermView,
}

#[derive(Debug, Serialize)]
pub(crate) struct ChecklistView {
    pub(crate) title: String,
    pub(crate) done: bool,
    pub(crate) slug: Option<String>,
}

/// Everything computed once per build and shared by all pages.
pub(crate) struct SiteData {
    pub(crate) site: SiteView,
    pub(crate) checklist: Vec<ChecklistView>,
    terms: HashMap<(&'static str, String), TermView>,
    names: HashMap<String, String>,
    pub(crate) labels: crate::derive::labels::LabelIndex,
    pub(crate) facets: crate::derive::search::Facets,
    /// The phrases search takes for one another ([`search::synonym_groups`]).
    pub(crate) synonyms: Vec<Vec<String>>,
    /// The licences of `content/licenses.toml`, by id.
    pub(crate) licenses: license::Licenses,
    /// Every dataset's lineage, declared and derived, and the lineage page.
    pub(crate) lineage: lineage::LineageIndex,
    /// Every paper's citation key, unique in the catalog.
    pub(crate) citations: citations::CitationIndex,
    /// The index's schema.org `DataCatalog`, as JSON-LD safe inside a `<script>` element.
    pub(crate) catalog_json_ld: String,
    forge: Option<Forge>,
}

/// Where the catalog's sources live, for "Edit this entry" and "Propose a dataset" links.
/// GitHub's URL layout, or GitLab's when the host says so.
struct Forge {
    repository: String,
    branch: String,
    gitlab: bool,
}

impl Forge {
    fn of(site: &Site) -> Option<Forge> {
        let repository = site.repository.clone()?;
        Some(Forge {
            gitlab: repository.contains("gitlab"),
            branch: site.branch.clone().unwrap_or_else(|| "main".into()),
            repository,
        })
    }

    fn edit_url(&self, path: &str) -> String {
        let edit = if self.gitlab { "-/edit" } else { "edit" };
        format!("{}/{edit}/{}/{path}", self.repository, self.branch)
    }

    fn propose_url(&self, template: &str) -> String {
        let (new, name, value) = if self.gitlab {
            ("-/new", "file_name", "content")
        } else {
            ("new", "filename", "value")
        };
        format!(
            "{}/{new}/{}/content/datasets?{name}=your-dataset.md&{value}={}",
            self.repository,
            self.branch,
            percent_encode(template)
        )
    }
}

/// Percent-encode everything but unreserved characters, for a query string value.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Every term of the vocabulary, by facet table and id.
fn term_views(vocabulary: &Vocabulary) -> HashMap<(&'static str, String), TermView> {
    let mut terms = HashMap::new();
    for facet in Facet::ALL {
        for term in vocabulary.facet(facet) {
            let view = TermView {
                id: term.id.clone(),
                name: term.name.clone(),
                description: term.description.clone(),
                href: crate::common::paths::term_path(facet.dir(), &term.id),
            };
            terms.insert((facet.table(), term.id.clone()), view);
        }
    }
    terms
}

impl SiteView {
    fn new(catalog: &Catalog) -> SiteView {
        let done = catalog.checklist.iter().filter(|i| i.done).count();
        let total = catalog.checklist.len();
        SiteView {
            title: catalog.site.title.clone(),
            description: catalog.site.description.clone(),
            base_url: catalog.site.base_url.clone(),
            image_url: (catalog.site.base_url.as_ref()).map(|base| format!("{base}/social.png")),
            feed: catalog.site.base_url.is_some()
                && catalog.datasets.iter().any(|d| d.checked.is_some()),
            repository: catalog.site.repository.clone(),
            propose_url: None,
            generator: concat!("medatlas ", env!("CARGO_PKG_VERSION")),
            dataset_count: catalog.datasets.len(),
            progress: Progress {
                done,
                total,
                // `done <= total`, so the percentage is at most 100 and the product cannot
                // overflow in u128.
                percent: (done as u128 * 100)
                    .checked_div(total as u128)
                    .map_or(0, |p| p as usize),
            },
        }
    }
}

impl SiteData {
    /// The site-wide data of a checked catalog, computed once per run.
    pub(crate) fn new(catalog: &Catalog) -> Self {
        let names = catalog
            .datasets
            .iter()
            .map(|d| (d.slug.clone(), d.name.clone()))
            .collect();
        let labels = crate::derive::labels::LabelIndex::new(&catalog.findings, &catalog.datasets);
        let facets = crate::derive::search::facets(catalog, &labels);
        let synonyms = crate::derive::search::synonym_groups(catalog);
        let mut data = SiteData {
            site: SiteView::new(catalog),
            checklist: catalog
                .checklist
                .iter()
                .map(|i| ChecklistView {
                    title: i.title.clone(),
                    done: i.done,
                    slug: i.dataset.as_ref().map(|d| d.value.clone()),
                })
                .collect(),
            terms: term_views(&catalog.vocabulary),
            names,
            labels,
            facets,
            synonyms,
            licenses: catalog
                .licenses
                .iter()
                .map(|l| (l.id.clone(), l.clone()))
                .collect(),
            forge: Forge::of(&catalog.site),
            lineage: lineage::LineageIndex::new(catalog),
            citations: citations::CitationIndex::new(catalog),
            catalog_json_ld: String::new(),
        };
        data.catalog_json_ld = data.catalog_json_ld();
        data
    }

    /// Point "Propose a dataset" at a new file prefilled with this catalog's entry template
    /// (the same one `medatlas new` writes).
    pub(crate) fn use_entry_template(&mut self, template: &str) {
        self.site.propose_url = self.forge.as_ref().map(|f| f.propose_url(template));
    }

    pub(crate) fn term(&self, facet: Facet, id: &str) -> TermView {
        self.terms
            .get(&(facet.table(), id.to_string()))
            .cloned()
            .unwrap_or_else(|| TermView {
                id: id.to_string(),
                name: id.to_string(),
                description: None,
                href: crate::common::paths::term_path(facet.dir(), id),
            })
    }

    fn terms(&self, facet: Facet, ids: &[Located<String>]) -> Vec<TermView> {
        ids.iter().map(|t| self.term(facet, &t.value)).collect()
    }

    fn term_names(&self, facet: Facet, ids: &[Located<String>]) -> Vec<String> {
        self.terms(facet, ids).into_iter().map(|t| t.name).collect()
    }

    /// A dataset's row of the catalog tables.
    pub(crate) fn index_row(&self, d: &Dataset) -> IndexRow {
        IndexRow {
            slug: d.slug.clone(),
            name: d.name.clone(),
            summary: d.summary.clone(),
            modalities: self.term_names(Facet::Modality, &d.modalities),
            body_regions: self.term_names(Facet::BodyRegion, &d.body_regions),
            tasks: self.term_names(Facet::Task, &d.tasks),
            size: size::main_size(d),
            patients: d.sizes.get(Unit::Patients).and_then(size::number),
            year: d.year,
            access: self.term(Facet::Access, &d.access.value),
        }
    }

    /// The full view of one dataset page. `notes` are the warnings about this entry.
    pub(crate) fn dataset_page(&self, d: &Dataset, notes: &[&Diagnostic]) -> DatasetPage {
        DatasetPage {
            slug: d.slug.clone(),
            name: d.name.clone(),
            aliases: d.aliases.clone(),
            summary: d.summary.clone(),
            publisher: d.publisher.clone(),
            homepage: d.homepage.clone(),
            modalities: self.terms(Facet::Modality, &d.modalities),
            body_regions: self.terms(Facet::BodyRegion, &d.body_regions),
            tasks: self.terms(Facet::Task, &d.tasks),
            access: self.term(Facet::Access, &d.access.value),
            license: license::view(d, &self.licenses),
            year: d.year,
            doi: d.doi.clone(),
            sizes: size::views(d),
            version: d.version.clone(),
            versions: versions::version_views(d),
            demographics: versions::demographics_views(d),
            download: d.sizes.download_bytes.map(size::bytes),
            download_refs: provenance::marks(d, "download_bytes"),
            image_format: d.image_format.clone(),
            resolution: d.resolution.clone(),
            bit_depth: d.bit_depth,
            labeling: d.labeling.as_ref().map(|l| l.value.clone()),
            access_steps: access::steps(d),
            downloads: access::downloads(d),
            label_sets: access::label_sets(d, self),
            labels: d
                .labels
                .as_ref()
                .map(|l| l.value.clone())
                .unwrap_or_default(),
            related: d.related.iter().map(|r| self.related(&r.value)).collect(),
            lineage: self.lineage.links(&d.slug).to_vec(),
            known_issues: d
                .known_issues
                .iter()
                .map(|i| markdown::render_inline(i))
                .collect(),
            notes: notes
                .iter()
                .filter(|n| is_data_note(n))
                .map(|n| DataNote::from(*n))
                .collect(),
            papers: PaperView::all(d, &self.citations),
            sources: provenance::sources(d),
            checked: d.checked.map(provenance::CheckedView::from),
            tables: TableView::all(d),
            body: markdown::render(&d.body),
            edit_url: self.forge.as_ref().map(|f| f.edit_url(&d.path)),
            json_ld: self.json_ld(d),
        }
    }
}

impl SiteData {
    /// A related entry, by its name where the catalog has it.
    fn related(&self, slug: &str) -> RelatedView {
        RelatedView {
            slug: slug.to_string(),
            name: self
                .names
                .get(slug)
                .cloned()
                .unwrap_or_else(|| slug.to_string()),
        }
    }
}

impl From<&Diagnostic> for DataNote {
    fn from(n: &Diagnostic) -> DataNote {
        DataNote {
            message: n.message.clone(),
            help: n.help.clone(),
            line: n.line,
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct RelatedView {
    pub(crate) slug: String,
    pub(crate) name: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct DataNote {
    pub(crate) message: String,
    pub(crate) help: Option<String>,
    pub(crate) line: usize,
}

#[derive(Debug, Serialize)]
pub(crate) struct PaperView {
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) year: Option<i64>,
    pub(crate) authors: String,
    pub(crate) venue: Option<String>,
    pub(crate) doi: Option<String>,
    /// A BibTeX record to paste into a reference manager.
    pub(crate) bibtex: String,
    /// Its id in the page's lists, which the links beside the numbers name.
    pub(crate) id: String,
    /// The entry's numbers it states: "images, patients".
    pub(crate) numbers: String,
    /// A survey or benchmark reporting others' numbers.
    pub(crate) secondary: bool,
}

impl PaperView {
    /// The views of the entry's papers, in order.
    fn all(d: &Dataset, citations: &citations::CitationIndex) -> Vec<Self> {
        d.papers
            .iter()
            .enumerate()
            .map(|(i, p)| PaperView::new(p, i, citations.key(p)))
            .collect()
    }

    /// The view of the paper at `index` of the entry's papers, cited as `key`.
    fn new(p: &Paper, index: usize, key: &str) -> Self {
        PaperView {
            id: provenance::id(index + 1),
            numbers: provenance::names(&p.numbers),
            secondary: p.secondary,
            title: p.title.clone(),
            url: p.url.clone(),
            year: p.year,
            authors: p.authors.join(", "),
            venue: p.venue.clone(),
            doi: p.doi.clone(),
            bibtex: cite::bibtex(p, key),
        }
    }
}

#[derive(Debug, Serialize)]
pub(crate) struct DatasetPage {
    pub(crate) slug: String,
    pub(crate) name: String,
    pub(crate) aliases: Vec<String>,
    pub(crate) summary: String,
    pub(crate) publisher: String,
    pub(crate) homepage: String,
    pub(crate) modalities: Vec<TermView>,
    pub(crate) body_regions: Vec<TermView>,
    pub(crate) tasks: Vec<TermView>,
    pub(crate) access: TermView,
    pub(crate) license: Option<license::LicenseView>,
    pub(crate) year: Option<i64>,
    pub(crate) doi: Option<String>,
    /// Each size with its unit and bound.
    pub(crate) sizes: Vec<size::SizeView>,
    /// The version the numbers describe.
    pub(crate) version: Option<String>,
    /// The published versions, newest first.
    pub(crate) versions: Vec<versions::VersionView>,
    /// Sex and age per split, one table each.
    pub(crate) demographics: Vec<versions::DemographicsView>,
    /// The download size, e.g. "45 GB".
    pub(crate) download: Option<String>,
    /// The links beside the download size to its sources.
    pub(crate) download_refs: Vec<provenance::RefMark>,
    pub(crate) image_format: Vec<String>,
    pub(crate) resolution: Option<String>,
    pub(crate) bit_depth: Option<u64>,
    /// The old free-text form of `label_sets`.
    pub(crate) labeling: Option<String>,
    /// How to get it, in order.
    pub(crate) access_steps: Vec<access::StepView>,
    /// Where the files are.
    pub(crate) downloads: Vec<access::DownloadView>,
    /// How each set of labels was made.
    pub(crate) label_sets: Vec<access::LabelSetView>,
    pub(crate) labels: Vec<String>,
    pub(crate) related: Vec<RelatedView>,
    /// Its relations to other entries' data, declared here or there.
    pub(crate) lineage: Vec<lineage::LinkView>,
    /// Rendered HTML, one item each.
    pub(crate) known_issues: Vec<String>,
    pub(crate) notes: Vec<DataNote>,
    pub(crate) papers: Vec<PaperView>,
    /// The `[[sources]]` items, numbered after the papers.
    pub(crate) sources: Vec<provenance::SourceView>,
    /// When the numbers were last checked against the sources.
    pub(crate) checked: Option<provenance::CheckedView>,
    pub(crate) tables: Vec<TableView>,
    /// Rendered, sanitised HTML of the Markdown body.
    pub(crate) body: String,
    /// "Edit this entry" on the forge, when site.toml names the repository.
    pub(crate) edit_url: Option<String>,
    /// schema.org `Dataset` metadata as JSON-LD, safe to put in a `<script>` element: what
    /// dataset search engines (Google Dataset Search) read.
    pub(crate) json_ld: String,
}

/// Whether a warning is about the data, shown on the page: a licence or labelling written as
/// free text is about the entry's form only, a contradicting access step about its access, and
/// a number without a source is marked beside the number.
fn is_data_note(d: &Diagnostic) -> bool {
    use crate::diagnostics::Code;
    !matches!(
        d.code,
        Code::LicenseFreeText
            | Code::LabelingFreeText
            | Code::AccessContradiction
            | Code::DownloadKindMismatch
            | Code::UnsourcedNumber
    )
}

/// A class-count table as published, with its derived totals.
#[derive(Debug, Serialize)]
pub(crate) struct TableView {
    /// Anchor id on the page: `table-1`, `table-2`, ...
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) official: Option<bool>,
    pub(crate) patient_disjoint: Option<bool>,
    pub(crate) multi_label: Option<bool>,
    pub(crate) source: String,
    pub(crate) unit: &'static str,
    /// Split names, as published.
    pub(crate) splits: Vec<String>,
    /// One row per label; cells are counts with prevalence in the split.
    pub(crate) rows: Vec<Row>,
    /// Sum of label counts per split (absent for a sizes-only table).
    pub(crate) occurrences: Option<Row>,
    /// Split sizes with each split's share of the total (absent when not published).
    pub(crate) sizes: Option<Row>,
    /// Inline SVG bar chart (absent for a sizes-only table).
    pub(crate) chart: Option<String>,
    /// Largest over smallest label, e.g. "266 : 1 (No Finding 60,412 / Hernia 227)".
    pub(crate) imbalance: Option<ImbalanceView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ImbalanceView {
    pub(crate) ratio: String,
    pub(crate) largest: String,
    pub(crate) largest_count: String,
    pub(crate) smallest: String,
    pub(crate) smallest_count: String,
}

impl TableView {
    /// The views of the entry's class tables, in order.
    fn all(d: &Dataset) -> Vec<Self> {
        d.class_counts
            .iter()
            .enumerate()
            .map(|(i, t)| TableView::new(t, i))
            .collect()
    }

    pub(crate) fn new(table: &ClassTable, index: usize) -> Self {
        let splits = table.splits.len();
        let sizes = table.images.as_deref().filter(|s| s.len() == splits);
        let rows_of = Rows::new(sizes);
        let rows: Vec<Row> = table
            .labels
            .iter()
            .map(|(label, counts)| rows_of.row(label, counts))
            .collect();
        let occurrences = rows_of.occurrences(table);
        let sizes = sizes.map(|s| rows_of.sizes(&capitalize(table.unit.as_str()), s));
        let id = format!("table-{}", index + 1);
        TableView {
            chart: crate::derive::chart::svg(table, &rows, &id),
            imbalance: crate::derive::chart::imbalance(table).map(|i| ImbalanceView {
                ratio: i.ratio,
                largest: i.largest.0,
                largest_count: thousands(i.largest.1),
                smallest: i.smallest.0,
                smallest_count: thousands(i.smallest.1),
            }),
            id,
            title: table.title.clone(),
            official: table.official,
            patient_disjoint: table.patient_disjoint,
            multi_label: table.multi_label,
            source: table.source.clone(),
            unit: table.unit.as_str(),
            splits: table.splits.clone(),
            rows,
            occurrences,
            sizes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::derive::rows::Cell;

    #[test]
    fn a_table_whose_totals_overflow_shows_no_wrapped_number() {
        let big = i64::MAX as u64;
        let table = ClassTable {
            title: "t".into(),
            official: None,
            patient_disjoint: None,
            preferred: false,
            source: "https://a.org".into(),
            unit: Unit::Images,
            splits: vec!["a".into(), "b".into(), "c".into()],
            images: Some(vec![big, big, big]),
            multi_label: None,
            labels: vec![("A".into(), vec![big, big, big])],
            span: 0..0,
            images_span: None,
        };
        let view = TableView::new(&table, 0);
        assert_eq!(view.rows[0].cells[3].value, "(too large)");
        assert_eq!(view.sizes.unwrap().cells[3].value, "(too large)");
        assert_eq!(view.occurrences.unwrap().cells[3].value, "(too large)");
    }

    #[test]
    fn derives_totals_occurrences_and_shares() {
        let table = ClassTable {
            title: "t".into(),
            official: Some(false),
            patient_disjoint: None,
            preferred: false,
            source: "https://a.org".into(),
            unit: Unit::Images,
            splits: vec!["Train".into(), "Test".into()],
            images: Some(vec![100, 50]),
            multi_label: Some(true),
            labels: vec![("A".into(), vec![10, 5]), ("B".into(), vec![30, 0])],
            span: 0..0,
            images_span: None,
        };
        let view = TableView::new(&table, 0);
        assert_eq!(
            view.rows[0].cells[2],
            Cell {
                value: "15".into(),
                percent: Some("10.0%".into())
            }
        );
        assert_eq!(
            view.rows[1].cells[1],
            Cell {
                value: "0".into(),
                percent: Some("0%".into())
            }
        );
        let occ = view.occurrences.unwrap();
        assert_eq!(
            occ.cells
                .iter()
                .map(|c| c.value.as_str())
                .collect::<Vec<_>>(),
            ["40", "5", "45"]
        );
        let sizes = view.sizes.unwrap();
        assert_eq!(sizes.label, "Images");
        assert_eq!(sizes.cells[0].percent.as_deref(), Some("66.7%"));
        assert_eq!(
            sizes.cells[2],
            Cell {
                value: "150".into(),
                percent: None
            }
        );
    }
}
