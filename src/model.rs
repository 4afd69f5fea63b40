//! The checked catalog: what the rest of the pipeline works with once parsing succeeded.
//!
//! These types are built by [`crate::parse`] from the TOML of each file, field by field, so a
//! field that nobody handles is a compile error. Values that later checks must point back at
//! (vocabulary terms, slugs of related entries, class tables) keep their location in the file.

use std::ops::Range;

/// A value with the byte range in its file where it was written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Its byte range in the file.
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
    /// Other names readers search the term by ("xray", "radiograph", "CXR" for X-ray).
    pub(crate) synonyms: Vec<String>,
    /// DICOM Modality (0008,0060) codes, for modalities.
    pub(crate) dicom: Vec<String>,
    /// For a label method: whether it is a reading by people, whose number a label set may
    /// give as `readers` (`readers = true` in vocabulary.toml).
    pub(crate) readers: bool,
    /// For a label method of readers: the fewest readers it takes (`min_readers = 2` for a
    /// consensus), which implies `readers`.
    pub(crate) min_readers: Option<u64>,
}

/// Every facet term an entry may use, in the order vocabulary.toml lists them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    pub(crate) modalities: Vec<Term>,
    pub(crate) body_regions: Vec<Term>,
    pub(crate) tasks: Vec<Term>,
    pub(crate) access: Vec<Term>,
    /// How labels were made (`[label_methods]`, optional in vocabulary.toml).
    pub(crate) label_methods: Vec<Term>,
    /// What is annotated (`[annotation_types]`, optional in vocabulary.toml).
    pub(crate) annotation_types: Vec<Term>,
}

impl Vocabulary {
    pub(crate) fn facet(&self, facet: Facet) -> &[Term] {
        match facet {
            Facet::Modality => &self.modalities,
            Facet::BodyRegion => &self.body_regions,
            Facet::Task => &self.tasks,
            Facet::Access => &self.access,
            Facet::LabelMethod => &self.label_methods,
            Facet::AnnotationType => &self.annotation_types,
        }
    }

    pub(crate) fn facet_mut(&mut self, facet: Facet) -> &mut Vec<Term> {
        match facet {
            Facet::Modality => &mut self.modalities,
            Facet::BodyRegion => &mut self.body_regions,
            Facet::Task => &mut self.tasks,
            Facet::Access => &mut self.access,
            Facet::LabelMethod => &mut self.label_methods,
            Facet::AnnotationType => &mut self.annotation_types,
        }
    }
}

/// A facet of the vocabulary: each entry names terms of every facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facet {
    /// Imaging modality (`x-ray`, `ct`, ...).
    Modality,
    /// Body region (`chest`, ...).
    BodyRegion,
    /// Task (`classification`, `segmentation`, ...).
    Task,
    /// Access level (`open`, `registration`, ...).
    Access,
    /// How a label set was made (`nlp-reports`, `consensus`, ...): `method` of `[[label_sets]]`.
    LabelMethod,
    /// What is annotated (`image-labels`, `boxes`, `masks`, ...): `annotations` of
    /// `[[label_sets]]`.
    AnnotationType,
}

impl Facet {
    pub(crate) const ALL: [Facet; 6] = [
        Facet::Modality,
        Facet::BodyRegion,
        Facet::Task,
        Facet::Access,
        Facet::LabelMethod,
        Facet::AnnotationType,
    ];

    /// Whether vocabulary.toml must list the facet (the newer facets are optional: a catalog
    /// whose entries give no label sets needs none).
    pub(crate) fn required(self) -> bool {
        !matches!(self, Facet::LabelMethod | Facet::AnnotationType)
    }

    /// The directory of its term pages, e.g. `body-regions/chest.html`.
    pub(crate) fn dir(self) -> &'static str {
        match self {
            Facet::Modality => "modalities",
            Facet::BodyRegion => "body-regions",
            Facet::Task => "tasks",
            Facet::Access => "access",
            Facet::LabelMethod => "label-methods",
            Facet::AnnotationType => "annotation-types",
        }
    }

    /// Singular and plural names for headings.
    pub(crate) fn title(self) -> (&'static str, &'static str) {
        match self {
            Facet::Modality => ("Modality", "Modalities"),
            Facet::BodyRegion => ("Body region", "Body regions"),
            Facet::Task => ("Task", "Tasks"),
            Facet::Access => ("Access level", "Access levels"),
            Facet::LabelMethod => ("Label method", "Label methods"),
            Facet::AnnotationType => ("Annotation type", "Annotation types"),
        }
    }

    /// The key in vocabulary.toml, which is also the entry field for the first four facets.
    pub(crate) fn table(self) -> &'static str {
        match self {
            Facet::Modality => "modalities",
            Facet::BodyRegion => "body_regions",
            Facet::Task => "tasks",
            Facet::Access => "access",
            Facet::LabelMethod => "label_methods",
            Facet::AnnotationType => "annotation_types",
        }
    }

    /// The field that feeds the facet, as `key` or `table.key` for a field of an entry's
    /// array of tables.
    #[cfg(test)]
    pub(crate) fn field(self) -> &'static str {
        match self {
            Facet::LabelMethod => "label_sets.method",
            Facet::AnnotationType => "label_sets.annotations",
            other => other.table(),
        }
    }
}

/// An answer about what a licence allows: "yes", "no" or "unclear".
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    /// The licence text says yes.
    Yes,
    /// The licence text says no.
    No,
    /// The licence text does not say, or the sources do not show it.
    Unclear,
}

/// What a user must do before getting the data under a licence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Agreement {
    /// Nothing: download and use.
    None,
    /// Register an account.
    Registration,
    /// Sign a data use agreement.
    Dua,
    /// Be credentialed (identity checked, training done) and sign an agreement.
    Credentialed,
    /// The licence text does not say.
    Unclear,
}

/// One licence of `content/licenses.toml`, which entries name by its id.
#[derive(Debug, Clone)]
pub struct License {
    /// Its id (a slug): the table's name, what `license = "<id>"` names.
    pub id: String,
    /// Its SPDX identifier, where it has one.
    pub spdx: Option<String>,
    /// Its name as its text gives it.
    pub name: String,
    /// Where its text is published (none for `unverified` and `none-stated`).
    pub url: Option<String>,
    /// May the data be used commercially?
    pub commercial: Answer,
    /// May the data be shared further?
    pub redistribution: Answer,
    /// May changed or derived data be made and shared?
    pub derivatives: Answer,
    /// Must users credit the source?
    pub attribution: Answer,
    /// Must derived data carry the same licence?
    pub share_alike: Answer,
    /// What a user does before getting the data.
    pub agreement: Agreement,
}

/// A canonical finding of labels.toml.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub(crate) name: String,
    pub(crate) synonyms: Vec<String>,
    pub(crate) related: Vec<String>,
}

/// One item of the catalog's checklist (`content/tasks.toml`).
#[derive(Debug, Clone)]
pub struct ChecklistItem {
    /// What is to be done.
    pub title: String,
    pub(crate) dataset: Option<Located<String>>,
    /// Whether it is done.
    pub done: bool,
}

/// A paper that describes a dataset.
#[derive(Debug, Clone)]
pub struct Paper {
    /// Its title.
    pub title: String,
    /// Where to read it.
    pub url: String,
    /// Year of publication.
    pub year: Option<i64>,
    /// Authors, in order.
    pub authors: Vec<String>,
    /// Journal, conference or preprint server.
    pub venue: Option<String>,
    /// Its DOI, without `https://doi.org/`.
    pub doi: Option<String>,
    /// The keys of the entry's top-level numbers it states (`images`, `download_bytes`...).
    pub numbers: Vec<String>,
    /// A survey or benchmark paper reporting others' numbers.
    pub secondary: bool,
}

/// A source of an entry's numbers that is not a paper: one `[[sources]]` item.
#[derive(Debug, Clone)]
pub struct NumberSource {
    /// What it is and where it is published.
    pub title: String,
    /// Where to read it.
    pub url: String,
    /// The keys of the entry's top-level numbers it states.
    pub numbers: Vec<String>,
    /// A source reporting others' numbers.
    pub secondary: bool,
}

/// A calendar date, as a TOML local date gives it (`2026-11-20`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// The year.
    pub year: u16,
    /// The month, 1 to 12.
    pub month: u8,
    /// The day of the month, from 1.
    pub day: u8,
}

impl Date {
    /// `2026-11-20`.
    pub(crate) fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `20 November 2026`.
    pub(crate) fn long(self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let month = MONTHS
            .get(usize::from(self.month).wrapping_sub(1))
            .copied()
            .unwrap_or("?");
        format!("{} {month} {}", self.day, self.year)
    }
}

/// What a count counts: the unit of a size and of a class table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// Images.
    Images,
    /// Volumes (3D scans).
    Volumes,
    /// Whole-slide images.
    Slides,
    /// Videos.
    Videos,
    /// Studies.
    Studies,
    /// Series.
    Series,
    /// Patients.
    Patients,
}

impl Unit {
    /// Every unit, in the order that picks an entry's default main unit.
    pub(crate) const ALL: [(&'static str, Unit); 7] = [
        ("images", Unit::Images),
        ("volumes", Unit::Volumes),
        ("slides", Unit::Slides),
        ("videos", Unit::Videos),
        ("studies", Unit::Studies),
        ("series", Unit::Series),
        ("patients", Unit::Patients),
    ];

    /// The unit's name: the entry key of its count (`images`, `patients`...).
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Images => "images",
            Unit::Volumes => "volumes",
            Unit::Slides => "slides",
            Unit::Videos => "videos",
            Unit::Studies => "studies",
            Unit::Series => "series",
            Unit::Patients => "patients",
        }
    }

    /// The unit an entry key or a `unit` value names.
    pub fn named(name: &str) -> Option<Unit> {
        Unit::ALL.iter().find(|(n, _)| *n == name).map(|(_, u)| *u)
    }
}

/// One size of an entry, as its source gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    /// An exact count.
    Exact(u64),
    /// At least this many (`{ at_least = N }`).
    AtLeast(u64),
    /// At most this many (`{ at_most = N }`).
    AtMost(u64),
    /// The source gives no number (`"not stated"`).
    NotStated,
}

impl Size {
    /// How an entry writes a size the source gives no number for.
    pub(crate) const NOT_STATED: &'static str = "not stated";

    /// The number, exact or a bound.
    pub(crate) fn number(self) -> Option<u64> {
        match self {
            Size::Exact(n) | Size::AtLeast(n) | Size::AtMost(n) => Some(n),
            Size::NotStated => None,
        }
    }

    /// The number when it is exact.
    pub(crate) fn exact(self) -> Option<u64> {
        match self {
            Size::Exact(n) => Some(n),
            _ => None,
        }
    }
}

/// The sizes of an entry: its counts by unit, its main unit and its download size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sizes {
    /// The counts given, in the order of [`Unit::ALL`].
    pub counts: Vec<(Unit, Size)>,
    /// The unit the entry is sorted and listed by, when `main_unit` names one.
    pub main_unit: Option<Unit>,
    /// The size of the download, in bytes.
    pub download_bytes: Option<u64>,
}

impl Sizes {
    /// The size in one unit, when the entry gives one.
    pub fn get(&self, unit: Unit) -> Option<Size> {
        self.counts
            .iter()
            .find(|(u, _)| *u == unit)
            .map(|(_, s)| *s)
    }

    /// The exact count in one unit.
    pub fn exact(&self, unit: Unit) -> Option<u64> {
        self.get(unit).and_then(Size::exact)
    }

    /// The main unit: `main_unit`, else the first unit of [`Unit::ALL`] with a size.
    pub(crate) fn main(&self) -> Option<Unit> {
        self.main_unit
            .or_else(|| self.counts.first().map(|(u, _)| *u))
    }
}

impl ClassTable {
    /// The table of `tables` that comparisons and the label matrix show: among those with
    /// labels, the one marked `preferred`, else the first official one, else the first; with
    /// its position.
    pub fn compared(tables: &[ClassTable]) -> Option<(usize, &ClassTable)> {
        let with_labels = || {
            tables
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.labels.is_empty())
        };
        with_labels()
            .find(|(_, t)| t.preferred)
            .or_else(|| with_labels().find(|(_, t)| t.official == Some(true)))
            .or_else(|| with_labels().next())
    }
}

/// One published table of class counts over the splits of one split scheme.
#[derive(Debug, Clone)]
pub struct ClassTable {
    /// What the table shows, as the source titles it.
    pub title: String,
    /// Whether the split is the publisher's official one.
    pub official: Option<bool>,
    /// Whether no patient is in two splits.
    pub patient_disjoint: Option<bool>,
    /// Whether comparisons and the label matrix show this table ([`ClassTable::compared`]).
    pub preferred: bool,
    /// Where the numbers come from (a URL).
    pub source: String,
    /// What the counts count.
    pub unit: Unit,
    /// The splits, as the source names them.
    pub splits: Vec<String>,
    /// Size of each split, in `unit`.
    pub images: Option<Vec<u64>>,
    /// Whether an image may carry several labels.
    pub multi_label: Option<bool>,
    /// (label as written, count per split), in file order.
    pub labels: Vec<(String, Vec<u64>)>,
    /// Where the `[[class_counts]]` table starts, for warnings about the table as a whole.
    pub(crate) span: Range<usize>,
    pub(crate) images_span: Option<Range<usize>>,
}

/// A release date as its source gives it: a day, or only a month or a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReleaseDate {
    /// The year.
    pub year: u16,
    /// The month (1-12), when published.
    pub month: Option<u8>,
    /// The day of the month, when published.
    pub day: Option<u8>,
}

impl ReleaseDate {
    /// Whether `self` is known to be later than `other`: compared on the parts both give, so
    /// "2019-09" is neither before nor after "2019-09-19".
    pub(crate) fn later_than(self, other: ReleaseDate) -> bool {
        let parts = |d: ReleaseDate| [Some(d.year), d.month.map(u16::from), d.day.map(u16::from)];
        for (a, b) in parts(self).into_iter().zip(parts(other)) {
            match (a, b) {
                (Some(a), Some(b)) if a != b => return a > b,
                (Some(_), Some(_)) => {}
                _ => return false,
            }
        }
        false
    }
}

impl std::fmt::Display for ReleaseDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

/// One published version of a dataset (`[[versions]]`).
#[derive(Debug, Clone)]
pub struct Version {
    /// The version as the publisher writes it, e.g. "2.0.0".
    pub version: String,
    /// When it was released.
    pub date: Option<ReleaseDate>,
    /// Its own DOI, bare.
    pub doi: Option<String>,
    /// Its counts by unit, in the order of [`Unit::ALL`].
    pub counts: Vec<(Unit, Size)>,
    /// What changed, one line of Markdown.
    pub changes: Option<String>,
    /// Where the version's facts come from (a URL).
    pub source: String,
}

/// A number as the source writes it: its value, and its text (`38.0` stays `38.0`).
#[derive(Debug, Clone, PartialEq)]
pub struct Decimal {
    /// The value, for checks and sums.
    pub value: f64,
    /// The digits as written in the entry (without `_` separators): what pages show.
    pub text: String,
}

/// Sex and age per split, as a source publishes them (`[[demographics]]`).
#[derive(Debug, Clone, Default)]
pub struct Demographics {
    /// What the table shows, e.g. "Official split".
    pub title: String,
    /// Where the numbers come from (a URL).
    pub source: String,
    /// What the sex counts count.
    pub unit: Option<Unit>,
    /// The splits, as the source names them.
    pub splits: Vec<String>,
    /// Size of each split, in `unit`, when given.
    pub total: Option<Vec<u64>>,
    /// Female subjects per split.
    pub female: Option<Vec<u64>>,
    /// Male subjects per split.
    pub male: Option<Vec<u64>>,
    /// Subjects of unknown sex per split.
    pub sex_unknown: Option<Vec<u64>>,
    /// Mean age per split, in years.
    pub age_mean: Option<Vec<Decimal>>,
    /// Standard deviation of age per split.
    pub age_sd: Option<Vec<Decimal>>,
    /// Median age per split.
    pub age_median: Option<Vec<Decimal>>,
    /// Youngest age per split.
    pub age_min: Option<Vec<Decimal>>,
    /// Oldest age per split.
    pub age_max: Option<Vec<Decimal>>,
}

impl Demographics {
    /// The unit of the sex counts: `unit`, by default patients.
    pub fn unit(&self) -> Unit {
        self.unit.unwrap_or(Unit::Patients)
    }
}

/// How one entry's data relates to another's: the `relation` of a `[[lineage]]` item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// Built from the other entry's images (re-annotated, cropped, converted, resampled).
    DerivedFrom,
    /// Every item of this entry is in the other one.
    SubsetOf,
    /// Every item of the other entry is in this one.
    SupersetOf,
    /// Some patients are in both.
    SharesPatients,
    /// Some images are in both.
    SharesImages,
}

impl Relation {
    /// Every relation, as an entry writes it.
    pub(crate) const ALL: [(&'static str, Relation); 5] = [
        ("derived-from", Relation::DerivedFrom),
        ("subset-of", Relation::SubsetOf),
        ("superset-of", Relation::SupersetOf),
        ("shares-patients", Relation::SharesPatients),
        ("shares-images", Relation::SharesImages),
    ];

    /// The relation an entry's `relation` value names.
    pub fn named(name: &str) -> Option<Relation> {
        Relation::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, r)| *r)
    }

    /// How an entry writes it.
    pub fn as_str(self) -> &'static str {
        Relation::ALL
            .iter()
            .find(|(_, r)| *r == self)
            .map_or("", |(n, _)| n)
    }

    /// Which side holds the data of the other: `Some(true)` when the declaring entry's data
    /// is part of (or made from) the other's, `Some(false)` when the other's is part of the
    /// declaring entry's, `None` for the symmetric relations.
    pub(crate) fn part_of_other(self) -> Option<bool> {
        match self {
            Relation::DerivedFrom | Relation::SubsetOf => Some(true),
            Relation::SupersetOf => Some(false),
            Relation::SharesPatients | Relation::SharesImages => None,
        }
    }
}

/// What an access step asks of a user: one of [`StepKind::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// Create an account.
    Account,
    /// Complete a training course (e.g. CITI "Data or Specimens Only Research").
    Training,
    /// Sign or accept a data use agreement.
    Agreement,
    /// Ask for access: an application, a form, an e-mail.
    Request,
    /// Wait for the publisher's approval.
    Approval,
    /// Anything else the publisher asks.
    Other,
}

impl StepKind {
    /// Every kind, as written in `step = "..."`, with how the page names it.
    pub(crate) const ALL: [(&'static str, StepKind, &'static str); 6] = [
        ("account", StepKind::Account, "Create an account"),
        ("training", StepKind::Training, "Complete training"),
        (
            "agreement",
            StepKind::Agreement,
            "Sign a data use agreement",
        ),
        ("request", StepKind::Request, "Request access"),
        ("approval", StepKind::Approval, "Wait for approval"),
        ("other", StepKind::Other, "Other step"),
    ];

    /// The kind a `step` value names.
    pub(crate) fn named(name: &str) -> Option<StepKind> {
        Self::ALL
            .iter()
            .find(|(n, ..)| *n == name)
            .map(|(_, k, _)| *k)
    }

    pub(crate) fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k, _)| *k == self)
            .map_or("other", |(n, ..)| n)
    }

    /// How the page names the step.
    pub(crate) fn title(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k, _)| *k == self)
            .map_or("", |(.., t)| t)
    }

    /// Whether the step is done at a page of its own, which the step must link
    /// (`account`, `training`, `agreement`, `request`).
    pub(crate) fn needs_url(self) -> bool {
        matches!(
            self,
            StepKind::Account | StepKind::Training | StepKind::Agreement | StepKind::Request
        )
    }

    /// Whether the step stands between a user and the files: none may be asked of an `open`
    /// dataset (downloaded without an account).
    pub(crate) fn gates(self) -> bool {
        self != StepKind::Other
    }
}

/// One step of getting access, in order: one `[[access_steps]]` item.
#[derive(Debug, Clone)]
pub struct AccessStep {
    /// What kind of step.
    pub step: StepKind,
    /// What to do: one line of Markdown.
    pub what: String,
    /// The requirement's page (where to register, train, sign).
    pub url: Option<String>,
    /// Where the `step` value is written.
    pub(crate) step_span: Range<usize>,
}

/// Where the files are: one of [`DownloadKind::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DownloadKind {
    /// The publisher's own download site (PhysioNet, TCIA, Grand Challenge, ...).
    Portal,
    /// A cloud bucket (`s3://`, `gs://` or its https address).
    Bucket,
    /// A BitTorrent download (e.g. Academic Torrents).
    Torrent,
    /// A Kaggle dataset or competition.
    Kaggle,
    /// A Zenodo record.
    Zenodo,
    /// A figshare item.
    Figshare,
    /// A Git repository.
    Git,
    /// Any other place.
    Other,
}

impl DownloadKind {
    /// Every kind, as written in `kind = "..."`, with how the page names it.
    pub(crate) const ALL: [(&'static str, DownloadKind, &'static str); 8] = [
        ("portal", DownloadKind::Portal, "Portal"),
        ("bucket", DownloadKind::Bucket, "Cloud bucket"),
        ("torrent", DownloadKind::Torrent, "Torrent"),
        ("kaggle", DownloadKind::Kaggle, "Kaggle"),
        ("zenodo", DownloadKind::Zenodo, "Zenodo"),
        ("figshare", DownloadKind::Figshare, "figshare"),
        ("git", DownloadKind::Git, "Git repository"),
        ("other", DownloadKind::Other, "Other"),
    ];

    /// The kind a `kind` value names.
    pub(crate) fn named(name: &str) -> Option<DownloadKind> {
        Self::ALL
            .iter()
            .find(|(n, ..)| *n == name)
            .map(|(_, k, _)| *k)
    }

    /// How the page names the kind.
    pub(crate) fn title(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k, _)| *k == self)
            .map_or("", |(.., t)| t)
    }

    pub(crate) fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, k, _)| *k == self)
            .map_or("other", |(n, ..)| n)
    }

    /// The hosts that serve downloads of this kind, for the kinds that are one site:
    /// `kaggle.com`, `zenodo.org`, `figshare.com` (with their subdomains).
    pub(crate) fn host(self) -> Option<&'static str> {
        match self {
            DownloadKind::Kaggle => Some("kaggle.com"),
            DownloadKind::Zenodo => Some("zenodo.org"),
            DownloadKind::Figshare => Some("figshare.com"),
            _ => None,
        }
    }

    /// The DOI prefix of the records of a kind's site (`10.5281/zenodo`), whose `doi.org`
    /// addresses are on that site too.
    pub(crate) fn doi_prefix(self) -> Option<&'static str> {
        match self {
            DownloadKind::Zenodo => Some("10.5281/zenodo"),
            DownloadKind::Figshare => Some("10.6084/m9.figshare"),
            _ => None,
        }
    }

    /// URL schemes other than http(s) a download of this kind may use.
    pub(crate) fn other_schemes(self) -> &'static [&'static str] {
        match self {
            DownloadKind::Bucket => &["s3://", "gs://"],
            DownloadKind::Torrent => &["magnet:?"],
            _ => &[],
        }
    }
}

/// One `[[lineage]]` item: how this entry's data relates to another entry's.
#[derive(Debug, Clone)]
pub struct Lineage {
    /// The relation.
    pub relation: Relation,
    /// The other entry's slug, where it is written.
    pub entry: Located<String>,
    /// One line of Markdown: how the two are related.
    pub how: String,
    /// Where the `[[lineage]]` item is in the file.
    pub(crate) span: Range<usize>,
    /// Where its `relation` value is in the file.
    pub(crate) relation_span: Range<usize>,
}

/// One place the files are: one `[[downloads]]` item.
#[derive(Debug, Clone)]
pub struct Download {
    /// What kind of place.
    pub kind: DownloadKind,
    /// Its address.
    pub url: String,
    /// What is there, when the places hold different parts.
    pub what: Option<String>,
}

/// How one set of labels was made and what it annotates: one `[[label_sets]]` item.
#[derive(Debug, Clone)]
pub struct LabelSet {
    /// Which labels, e.g. "14 findings".
    pub name: String,
    /// How they were made: a term of `[label_methods]`.
    pub method: Option<Located<String>>,
    /// How many people read each image, where the source states it.
    pub readers: Option<Located<u64>>,
    /// What is annotated: terms of `[annotation_types]`.
    pub annotations: Vec<Located<String>>,
    /// How, in one line of Markdown.
    pub how: Option<String>,
}

/// One dataset entry.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Its slug: the file name without extension.
    pub slug: String,
    /// The file it was read from.
    pub source: SourceId,
    /// The entry's file, relative to the catalog root (`content/datasets/x.md`).
    pub(crate) path: String,
    /// Its name.
    pub name: String,
    /// Where `name`'s value is in the entry's file.
    pub(crate) name_span: std::ops::Range<usize>,
    /// Other names it is known by.
    pub aliases: Vec<String>,
    /// One or two sentences on what it holds.
    pub summary: String,
    /// Who publishes it.
    pub publisher: String,
    /// Its official page.
    pub homepage: String,
    /// Imaging modalities, as vocabulary ids.
    pub modalities: Vec<Located<String>>,
    /// Body regions, as vocabulary ids.
    pub body_regions: Vec<Located<String>>,
    /// Tasks, as vocabulary ids.
    pub tasks: Vec<Located<String>>,
    /// Access level, as a vocabulary id.
    pub access: Located<String>,
    /// Its licence: an id of `content/licenses.toml`, or (the old form) free text.
    pub license: Option<Located<String>>,
    /// Year of first release.
    pub year: Option<i64>,
    /// Its DOI, without `https://doi.org/`.
    pub doi: Option<String>,
    /// The version its numbers describe.
    pub version: Option<String>,
    /// Its published versions, newest first.
    pub versions: Vec<Version>,
    /// Sex and age per split, one table per split scheme.
    pub demographics: Vec<Demographics>,
    /// Its sizes: counts by unit (`images`, `patients`, ...), main unit, download size.
    pub sizes: Sizes,
    /// File formats of the images.
    pub image_format: Vec<String>,
    /// Image resolution, as the publisher states it.
    pub resolution: Option<String>,
    /// Bits per pixel.
    pub bit_depth: Option<u64>,
    /// How the labels were made, as free text (the old form of `label_sets`).
    pub labeling: Option<Located<String>>,
    /// Steps of getting access, in order.
    pub access_steps: Vec<AccessStep>,
    /// Where the files are.
    pub downloads: Vec<Download>,
    /// How each set of labels was made and what it annotates.
    pub label_sets: Vec<LabelSet>,
    /// The labels, as the publisher names them.
    pub labels: Option<Located<Vec<String>>>,
    /// Slugs of related entries.
    pub related: Vec<Located<String>>,
    /// Caveats about the data, in Markdown.
    pub known_issues: Vec<String>,
    /// How its data relates to other entries' (as declared here; the reverse side is derived).
    pub lineage: Vec<Lineage>,
    /// Papers that describe it.
    pub papers: Vec<Paper>,
    /// Sources of its numbers that are not papers.
    pub sources: Vec<NumberSource>,
    /// When its numbers were last checked against its sources.
    pub checked: Option<Date>,
    /// Published class counts, one table per split scheme.
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
    /// The licences of `content/licenses.toml`, in file order.
    pub licenses: Vec<License>,
    /// The checklist of `content/tasks.toml`.
    pub checklist: Vec<ChecklistItem>,
    /// Sorted by name (case-insensitive), then slug.
    pub datasets: Vec<Dataset>,
}

impl Catalog {
    /// The licence of `content/licenses.toml` with this id.
    pub(crate) fn license(&self, id: &str) -> Option<&License> {
        self.licenses.iter().find(|l| l.id == id)
    }
}

impl Dataset {
    /// The distinct terms of a facet fed by the label sets (label methods, annotation types),
    /// in the order the entry first names them; none for the other facets.
    pub(crate) fn label_set_terms(&self, facet: Facet) -> Vec<&Located<String>> {
        let mut out: Vec<&Located<String>> = Vec::new();
        for set in &self.label_sets {
            let terms: Vec<&Located<String>> = match facet {
                Facet::LabelMethod => set.method.iter().collect(),
                Facet::AnnotationType => set.annotations.iter().collect(),
                _ => Vec::new(),
            };
            for term in terms {
                if !out.iter().any(|t| t.value == term.value) {
                    out.push(term);
                }
            }
        }
        out
    }

    /// The value of `license`, as written.
    pub(crate) fn license_value(&self) -> Option<&str> {
        self.license.as_ref().map(|l| l.value.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(title: &str, official: Option<bool>, preferred: bool, labels: bool) -> ClassTable {
        ClassTable {
            title: title.into(),
            official,
            patient_disjoint: None,
            preferred,
            source: "https://a.org".into(),
            unit: Unit::Images,
            splits: vec!["All".into()],
            images: Some(vec![10]),
            multi_label: None,
            labels: if labels {
                vec![("A".into(), vec![3])]
            } else {
                Vec::new()
            },
            span: 0..0,
            images_span: None,
        }
    }

    #[test]
    fn comparisons_show_the_preferred_then_the_official_then_the_first_table_with_labels() {
        let title =
            |tables: &[ClassTable]| ClassTable::compared(tables).map(|(i, t)| (i, t.title.clone()));
        let unofficial = table("CheXNet split", Some(false), false, true);
        let official = table("Official split", Some(true), false, true);
        let official_sizes = table("Official sizes", Some(true), false, false);
        let preferred = table("Preferred", None, true, true);
        assert_eq!(
            title(&[unofficial.clone(), official.clone()]),
            Some((1, "Official split".into()))
        );
        assert_eq!(
            title(&[unofficial.clone(), official_sizes.clone()]),
            Some((0, "CheXNet split".into())),
            "an official table without labels is not compared"
        );
        assert_eq!(
            title(&[official.clone(), preferred.clone()]),
            Some((1, "Preferred".into()))
        );
        assert_eq!(title(&[official_sizes]), None);
    }
}
