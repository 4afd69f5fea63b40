//! The checked catalog: what the rest of the pipeline works with once parsing succeeded.
//!
//! These types are built by [`crate::parse`] from the TOML of each file, field by field, so a
//! field that nobody handles is a compile error. Values that later checks must point back at
//! (vocabulary terms, slugs of related entries, class tables) keep their location in the file.

use std::ops::Range;

/// A value with the byte range in its file where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<T> Located<T> {
    pub(crate) fn new(value: T, span: Range<usize>) -> Self {
        Located { value, span }
    }
}

/// Index into the list of sources loaded for a run.
pub(crate) type SourceId = usize;

#[derive(Debug, Clone, Default)]
pub(crate) struct Site {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) base_url: Option<String>,
    pub(crate) repository: Option<String>,
    /// The branch edit links point at (default `main`).
    pub(crate) branch: Option<String>,
}

/// One term of a facet (a modality, body region, task or access level).
#[derive(Debug, Clone)]
pub(crate) struct Term {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    /// DICOM Modality (0008,0060) codes, for modalities.
    pub(crate) dicom: Vec<String>,
}

/// Every facet term an entry may use, in the order vocabulary.toml lists them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    pub(crate) modalities: Vec<Term>,
    pub(crate) body_regions: Vec<Term>,
    pub(crate) tasks: Vec<Term>,
    pub(crate) access: Vec<Term>,
}

impl Vocabulary {
    pub(crate) fn facet(&self, facet: Facet) -> &[Term] {
        match facet {
            Facet::Modality => &self.modalities,
            Facet::BodyRegion => &self.body_regions,
            Facet::Task => &self.tasks,
            Facet::Access => &self.access,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    Modality,
    BodyRegion,
    Task,
    Access,
}

impl Facet {
    pub(crate) const ALL: [Facet; 4] = [
        Facet::Modality,
        Facet::BodyRegion,
        Facet::Task,
        Facet::Access,
    ];

    /// The directory of its term pages, e.g. `body-regions/chest.html`.
    pub(crate) fn dir(self) -> &'static str {
        match self {
            Facet::Modality => "modalities",
            Facet::BodyRegion => "body-regions",
            Facet::Task => "tasks",
            Facet::Access => "access",
        }
    }

    /// Singular and plural names for headings.
    pub(crate) fn title(self) -> (&'static str, &'static str) {
        match self {
            Facet::Modality => ("Modality", "Modalities"),
            Facet::BodyRegion => ("Body region", "Body regions"),
            Facet::Task => ("Task", "Tasks"),
            Facet::Access => ("Access level", "Access levels"),
        }
    }

    /// The key in vocabulary.toml, which is also the entry field for the list facets.
    pub(crate) fn table(self) -> &'static str {
        match self {
            Facet::Modality => "modalities",
            Facet::BodyRegion => "body_regions",
            Facet::Task => "tasks",
            Facet::Access => "access",
        }
    }
}

/// A canonical finding of labels.toml.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub(crate) name: String,
    pub(crate) synonyms: Vec<String>,
    pub(crate) related: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ChecklistItem {
    pub title: String,
    pub(crate) dataset: Option<Located<String>>,
    pub done: bool,
}

#[derive(Debug, Clone)]
pub struct Paper {
    pub title: String,
    pub url: String,
    pub year: Option<i64>,
    pub authors: Vec<String>,
    pub venue: Option<String>,
    pub doi: Option<String>,
}

/// What the counts of a class table count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Images,
    Studies,
    Patients,
}

impl Unit {
    pub(crate) const ALL: [(&'static str, Unit); 3] = [
        ("images", Unit::Images),
        ("studies", Unit::Studies),
        ("patients", Unit::Patients),
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Unit::Images => "images",
            Unit::Studies => "studies",
            Unit::Patients => "patients",
        }
    }
}

/// One published table of class counts over the splits of one split scheme.
#[derive(Debug, Clone)]
pub struct ClassTable {
    pub title: String,
    pub official: Option<bool>,
    pub patient_disjoint: Option<bool>,
    pub source: String,
    pub unit: Unit,
    pub splits: Vec<String>,
    /// Size of each split, in `unit`.
    pub images: Option<Vec<u64>>,
    pub multi_label: Option<bool>,
    /// (label as written, count per split), in file order.
    pub labels: Vec<(String, Vec<u64>)>,
    /// Where the `[[class_counts]]` table starts, for warnings about the table as a whole.
    pub(crate) span: Range<usize>,
    pub(crate) images_span: Option<Range<usize>>,
}

/// One dataset entry.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub slug: String,
    pub source: SourceId,
    /// The entry's file, relative to the catalog root (`content/datasets/x.md`).
    pub(crate) path: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub summary: String,
    pub publisher: String,
    pub homepage: String,
    pub modalities: Vec<Located<String>>,
    pub body_regions: Vec<Located<String>>,
    pub tasks: Vec<Located<String>>,
    pub access: Located<String>,
    pub license: Option<String>,
    pub year: Option<i64>,
    pub doi: Option<String>,
    pub images: Option<u64>,
    pub patients: Option<u64>,
    pub image_format: Vec<String>,
    pub resolution: Option<String>,
    pub bit_depth: Option<u64>,
    pub labeling: Option<String>,
    pub labels: Option<Located<Vec<String>>>,
    pub related: Vec<Located<String>>,
    pub known_issues: Vec<String>,
    pub papers: Vec<Paper>,
    pub class_counts: Vec<ClassTable>,
    /// The Markdown body (or the `notes` of a pure TOML entry).
    pub body: String,
    /// Where the body starts in the file (front-matter entries), to place problems in it.
    pub(crate) body_offset: Option<usize>,
    /// The body's links to other entries, with their spans in the body: found while parsing
    /// (in the same pass as its nesting depth), checked across files.
    pub(crate) entry_links: Vec<(String, std::ops::Range<usize>)>,
}

/// The whole parsed catalog.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub(crate) site: Site,
    pub(crate) vocabulary: Vocabulary,
    pub(crate) findings: Vec<Finding>,
    pub checklist: Vec<ChecklistItem>,
    /// Sorted by name (case-insensitive), then slug.
    pub datasets: Vec<Dataset>,
}
