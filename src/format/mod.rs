//! The entry format, declared once: every field of a dataset entry, of a `[[papers]]` item, of
//! a `[[sources]]` item, of a `[[lineage]]` item, of a `[[class_counts]]` table, of a `[[versions]]` item and of a `[[demographics]]` table, with its type, whether it is required, its unit, help text,
//! example, the facet it feeds and its column in `catalog.csv`.
//!
//! Everything else about the format is produced from these tables: the known keys of the
//! unknown-key check and its "did you mean" suggestions and the required-field checks
//! ([`crate::parse::fields`]), the JSON Schema ([`crate::format::schema`]), the columns of `catalog.csv`
//! ([`crate::derive::browse`]) and the format reference `docs/entry-format.md` ([`reference`](mod@reference)). The typed
//! readers of [`crate::parse`] build the model from the same keys; tests check that every
//! declared field is read and that no undeclared key is accepted.

pub mod reference;
pub(crate) mod schema;

use std::sync::LazyLock;

use crate::model::Facet;

/// The type of a field's value, as written in TOML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    Text,
    /// A string holding an http:// or https:// URL.
    Url,
    /// An array of strings.
    Texts,
    /// An integer.
    Integer,
    /// A non-negative integer.
    Count,
    /// An array of non-negative integers, one per split.
    Counts,
    /// An array of numbers (integers or decimals), one per split.
    Numbers,
    /// A release date: a TOML local date (`2019-09-19`), or a string `"2019-09"` or `"2019"`
    /// when the source gives only the month or the year.
    ReleaseDate,
    /// A boolean.
    Boolean,
    /// A TOML local date, written without quotes: `2026-11-20`.
    Date,
    /// An array of strings, each the key of a number the entry gives at its top level.
    NumberKeys,
    /// A string naming one term of a vocabulary facet.
    Term(Facet),
    /// A non-empty array of strings, each a term of a vocabulary facet.
    Terms(Facet),
    /// A string naming what a count counts: one of [`crate::model::Unit::ALL`].
    Unit,
    /// A string naming one of a fixed set of values, which code gives a meaning.
    Choice(Choice),
    /// A size: a positive integer, `{ at_least = N }`, `{ at_most = N }` or `"not stated"`.
    Size,
    /// An array of tables (`[[key]]`), each of the given table.
    Tables(&'static Table),
    /// A table whose keys are labels, each with one count per split.
    LabelRows,
}

impl Kind {
    /// How the type is named in the format reference.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Kind::Text => "string",
            Kind::Url => "string (http or https URL)",
            Kind::Texts => "array of strings",
            Kind::Integer => "integer",
            Kind::Count => "non-negative integer",
            Kind::Counts => "array of non-negative integers",
            Kind::Numbers => "array of numbers",
            Kind::ReleaseDate => {
                "date: `2019-09-19`, or `\"2019-09\"` / `\"2019\"` when only the month or year is known"
            }
            Kind::Boolean => "boolean",
            Kind::Date => "local date, without quotes (`2026-11-20`)",
            Kind::NumberKeys => {
                "array of strings: keys of the entry's numbers (images, volumes, slides, videos, studies, series, patients, download_bytes)"
            }
            Kind::Term(_) => "string (a vocabulary term)",
            Kind::Terms(_) => "non-empty array of strings (vocabulary terms)",
            Kind::Unit => "string: images, volumes, slides, videos, studies, series or patients",
            Kind::Choice(Choice::Relation) => {
                "string: derived-from, subset-of, superset-of, shares-patients or shares-images"
            }
            Kind::Choice(Choice::Step) => {
                "string: account, training, agreement, request, approval or other"
            }
            Kind::Choice(Choice::Download) => {
                "string: portal, bucket, torrent, kaggle, zenodo, figshare, git or other"
            }
            Kind::Size => {
                "positive integer, `{ at_least = N }`, `{ at_most = N }` or `\"not stated\"`"
            }
            Kind::Tables(_) => "array of tables",
            Kind::LabelRows => "table: label = array of non-negative integers",
        }
    }
}

/// A fixed set of values of a [`Kind::Choice`] field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// What an access step asks: [`crate::model::StepKind::ALL`].
    Step,
    /// Where files are: [`crate::model::DownloadKind::ALL`].
    Download,
    /// How one entry's data relates to another's: [`crate::model::Relation::ALL`].
    Relation,
}

impl Choice {
    /// The values, as written.
    pub(crate) fn names(self) -> Vec<&'static str> {
        match self {
            Choice::Step => crate::model::StepKind::ALL.iter().map(|c| c.0).collect(),
            Choice::Download => crate::model::DownloadKind::ALL
                .iter()
                .map(|c| c.0)
                .collect(),
            Choice::Relation => crate::model::Relation::ALL.iter().map(|c| c.0).collect(),
        }
    }
}

/// One field of a table of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The TOML key.
    pub key: &'static str,
    /// Its type.
    pub kind: Kind,
    /// Must the key be present?
    pub required: bool,
    /// What a number of this field counts, where it is a number.
    pub(crate) unit: Option<&'static str>,
    /// The most characters a string may hold.
    pub(crate) max_chars: Option<usize>,
    /// One line for contributors: what the field holds.
    pub(crate) help: &'static str,
    /// A value as written in TOML (for [`Kind::Tables`], empty: its table's fields give one).
    pub example: &'static str,
    /// The field's column in `catalog.csv`, counted from 0.
    pub(crate) csv: Option<usize>,
    /// Accepted only in a pure TOML entry (`content/datasets/<slug>.toml`).
    pub toml_only: bool,
    /// The old form of a newer field: still read, with a warning that shows the new form, and
    /// left out of the example entry.
    pub old_form: bool,
}

impl Field {
    const fn new(key: &'static str, kind: Kind, help: &'static str, example: &'static str) -> Self {
        Field {
            key,
            kind,
            required: false,
            unit: None,
            max_chars: None,
            help,
            example,
            csv: None,
            toml_only: false,
            old_form: false,
        }
    }

    const fn old_form(self) -> Self {
        Field {
            old_form: true,
            ..self
        }
    }

    const fn required(self) -> Self {
        Field {
            required: true,
            ..self
        }
    }

    const fn unit(self, unit: &'static str) -> Self {
        Field {
            unit: Some(unit),
            ..self
        }
    }

    const fn max_chars(self, max: usize) -> Self {
        Field {
            max_chars: Some(max),
            ..self
        }
    }

    const fn csv(self, column: usize) -> Self {
        Field {
            csv: Some(column),
            ..self
        }
    }

    const fn toml_only(self) -> Self {
        Field {
            toml_only: true,
            ..self
        }
    }

    /// The vocabulary facet whose terms the field holds.
    pub(crate) fn facet(&self) -> Option<Facet> {
        match self.kind {
            Kind::Term(facet) | Kind::Terms(facet) => Some(facet),
            _ => None,
        }
    }
}

/// A table of the format: its fields and how messages and the schema name it.
#[derive(Debug, PartialEq, Eq)]
pub struct Table {
    /// How diagnostics name the table, e.g. "a dataset entry" or "`[[papers]]`".
    pub what: &'static str,
    /// The table's name among the schema's definitions.
    pub schema_name: &'static str,
    /// The schema's description of the table.
    pub(crate) description: &'static str,
    /// Whether the schema gives each field's help as its description.
    pub(crate) schema_describes_fields: bool,
    /// Its fields, in the order the reference lists them.
    pub fields: &'static [Field],
}

impl Table {
    /// The keys accepted in this table; `notes` only in a pure TOML entry.
    pub(crate) fn keys(&self, in_toml_entry: bool) -> Vec<&'static str> {
        self.fields
            .iter()
            .filter(|f| in_toml_entry || !f.toml_only)
            .map(|f| f.key)
            .collect()
    }
}

/// The most characters of an entry's `summary`.
pub const MAX_SUMMARY_CHARS: usize = 200;

/// A dataset entry: the front matter of `content/datasets/<slug>.md`, or a whole
/// `content/datasets/<slug>.toml`.
pub static ENTRY: Table = Table {
    what: "a dataset entry",
    schema_name: "Entry",
    description: "A dataset entry of medatlas: the TOML front matter of `content/datasets/<slug>.md` (or a\nwhole `content/datasets/<slug>.toml`).",
    schema_describes_fields: true,
    fields: ENTRY_FIELDS,
};

const ENTRY_FIELDS: &[Field] = &[
    Field::new("name", Kind::Text, "Display name.", r#""ChestX-ray14""#)
        .required()
        .csv(1),
    Field::new(
        "aliases",
        Kind::Texts,
        "Other names the dataset is known by.",
        r#"["ChestX-ray8", "NIH Chest X-ray"]"#,
    ),
    Field::new(
        "summary",
        Kind::Text,
        "One sentence, at most 200 characters.",
        r#""Frontal chest radiographs with 14 findings text-mined from reports.""#,
    )
    .required()
    .max_chars(MAX_SUMMARY_CHARS),
    Field::new(
        "publisher",
        Kind::Text,
        "The institution that publishes the data.",
        r#""NIH Clinical Center""#,
    )
    .required()
    .csv(10),
    Field::new(
        "homepage",
        Kind::Url,
        "The dataset's official page (http or https).",
        r#""https://nihcc.app.box.com/v/ChestXray-NIHCC""#,
    )
    .required()
    .csv(11),
    Field::new(
        "modalities",
        Kind::Terms(Facet::Modality),
        "Imaging modalities: terms of [modalities] in content/vocabulary.toml.",
        r#"["x-ray"]"#,
    )
    .required()
    .csv(2),
    Field::new(
        "body_regions",
        Kind::Terms(Facet::BodyRegion),
        "Body regions: terms of [body_regions] in content/vocabulary.toml.",
        r#"["chest"]"#,
    )
    .required()
    .csv(3),
    Field::new(
        "tasks",
        Kind::Terms(Facet::Task),
        "Machine-learning tasks: terms of [tasks] in content/vocabulary.toml.",
        r#"["classification", "localization"]"#,
    )
    .required()
    .csv(4),
    Field::new(
        "access",
        Kind::Term(Facet::Access),
        "How to get the data: a level of [access] in content/vocabulary.toml.",
        r#""credentialed""#,
    )
    .required()
    .csv(5),
    Field::new(
        "license",
        Kind::Text,
        "The id of a licence of content/licenses.toml (\"unverified\" when none was found at the sources); free text is the old form, accepted with a warning.",
        r#""cc-by-4-0""#,
    )
    .csv(6),
    Field::new("year", Kind::Integer, "Year of first release.", "2017").csv(7),
    Field::new(
        "doi",
        Kind::Text,
        "The dataset's own DOI (not its paper's).",
        r#""10.13026/C2JT1Q""#,
    )
    .csv(12),
    Field::new(
        "version",
        Kind::Text,
        "The version the entry's numbers describe; one of `[[versions]]` when the entry lists them.",
        r#""2.0.0""#,
    )
    .csv(22),
    Field::new(
        "images",
        Kind::Size,
        "Number of images (exact, a bound or \"not stated\"). Leave out until checked; never 0.",
        "112120",
    )
    .unit("images")
    .csv(8),
    Field::new(
        "patients",
        Kind::Size,
        "Number of patients. Leave out until checked.",
        "30805",
    )
    .unit("patients")
    .csv(9),
    Field::new(
        "volumes",
        Kind::Size,
        "Number of volumes (3D scans).",
        "{ at_least = 1000 }",
    )
    .unit("volumes")
    .csv(14),
    Field::new(
        "slides",
        Kind::Size,
        "Number of whole-slide images.",
        "399",
    )
    .unit("slides")
    .csv(15),
    Field::new("videos", Kind::Size, "Number of videos.", "373")
        .unit("videos")
        .csv(16),
    Field::new(
        "studies",
        Kind::Size,
        "Number of studies (imaging examinations).",
        "227835",
    )
    .unit("studies")
    .csv(17),
    Field::new(
        "series",
        Kind::Size,
        "Number of series.",
        r#""not stated""#,
    )
    .unit("series")
    .csv(18),
    Field::new(
        "main_unit",
        Kind::Unit,
        "The unit the index lists and sorts the entry by (default: the first given of images, volumes, slides, videos, studies, series, patients).",
        r#""volumes""#,
    )
    .csv(19),
    Field::new(
        "download_bytes",
        Kind::Count,
        "Size of the download, in bytes.",
        "45000000000",
    )
    .unit("bytes")
    .csv(20),
    Field::new(
        "image_format",
        Kind::Texts,
        "File formats, e.g. [\"PNG\"].",
        r#"["PNG"]"#,
    ),
    Field::new(
        "resolution",
        Kind::Text,
        "Image size, e.g. \"1024x1024\".",
        r#""1024x1024""#,
    ),
    Field::new("bit_depth", Kind::Count, "Bits per pixel value.", "8").unit("bits"),
    Field::new(
        "labeling",
        Kind::Text,
        "The old form of `label_sets`: how the labels were produced, as free text; accepted with a `labeling-free-text` warning.",
        r#""NLP on radiology reports""#,
    )
    .old_form(),
    Field::new(
        "labels",
        Kind::Texts,
        "The label set, when no class table lists it.",
        r#"["Atelectasis", "Cardiomegaly"]"#,
    ),
    Field::new(
        "related",
        Kind::Texts,
        "Slugs (file names without extension) of related entries.",
        r#"["mimic-cxr"]"#,
    ),
    Field::new(
        "known_issues",
        Kind::Texts,
        "Caveats a user must know: Markdown, one line each.",
        r#"["The widely copied class table sums to 112,117 images, three short of 112,120."]"#,
    ),
    Field::new(
        "checked",
        Kind::Date,
        "When the entry's numbers were last checked against its sources (a TOML date, no quotes). Leave out until checked.",
        "2026-11-20",
    )
    .csv(21),
    Field::new(
        "lineage",
        Kind::Tables(&LINEAGE),
        "How this dataset's data relates to other entries' (derived from, subset or superset of, sharing patients or images); the other entry's page shows the reverse side, so declare each pair once.",
        "",
    )
    .csv(24),
    Field::new(
        "papers",
        Kind::Tables(&PAPER),
        "Primary and related publications, in order.",
        "",
    ),
    Field::new(
        "sources",
        Kind::Tables(&SOURCE),
        "Sources of the entry's numbers that are not papers: a homepage README, a data descriptor page, a label file.",
        "",
    ),
    Field::new(
        "class_counts",
        Kind::Tables(&CLASS_COUNTS),
        "Class counts per split, one table per split scheme, as published.",
        "",
    ),
    Field::new(
        "versions",
        Kind::Tables(&VERSION),
        "The published versions, newest first: date, DOI, counts and what changed.",
        "",
    )
    .csv(23),
    Field::new(
        "demographics",
        Kind::Tables(&DEMOGRAPHICS),
        "Sex and age of the subjects per split, one table per split scheme, as published.",
        "",
    ),
    Field::new(
        "access_steps",
        Kind::Tables(&ACCESS_STEP),
        "How to get access: the steps, in order (account, training, agreement, request, approval).",
        "",
    )
    .csv(25),
    Field::new(
        "downloads",
        Kind::Tables(&DOWNLOAD),
        "Where the files are: portal, bucket, torrent, Kaggle, ...",
        "",
    )
    .csv(26),
    Field::new(
        "label_sets",
        Kind::Tables(&LABEL_SET),
        "How each set of labels was made (label method, readers) and what it annotates.",
        "",
    ),
    Field::new(
        "notes",
        Kind::Text,
        "Markdown description (pure TOML entries only).",
        r#""Free Markdown: collection details, caveats, how the split was made.""#,
    )
    .toml_only(),
];

/// How an entry's data relates to another entry's: one `[[lineage]]` item.
pub static LINEAGE: Table = Table {
    what: "`[[lineage]]`",
    schema_name: "Lineage",
    description: "How this dataset's data relates to another entry's. The other entry's page shows the reverse side: declare each pair once, in one of the two entries.",
    schema_describes_fields: true,
    fields: &[
        Field::new(
            "relation",
            Kind::Choice(Choice::Relation),
            "derived-from (built from the other's images), subset-of, superset-of, shares-patients or shares-images.",
            r#""derived-from""#,
        )
        .required(),
        Field::new(
            "entry",
            Kind::Text,
            "The slug of the other entry (its file name without extension).",
            r#""nih-chestx-ray14""#,
        )
        .required(),
        Field::new(
            "how",
            Kind::Text,
            "One line of Markdown: how the two are related, as a source says it.",
            r#""A subset of ChestX-ray14's images, re-annotated with boxes by radiologists.""#,
        )
        .required(),
    ],
};

/// A publication of an entry: one `[[papers]]` item.
pub static PAPER: Table = Table {
    what: "`[[papers]]`",
    schema_name: "Paper",
    description: "A publication.",
    schema_describes_fields: false,
    fields: &[
        Field::new(
            "title",
            Kind::Text,
            "The paper's title.",
            r#""ChestX-ray8: Hospital-scale Chest X-ray Database and Benchmarks""#,
        )
        .required(),
        Field::new(
            "url",
            Kind::Url,
            "Where to read it (http or https).",
            r#""https://arxiv.org/abs/1705.02315""#,
        )
        .required(),
        Field::new("year", Kind::Integer, "Year of publication.", "2017"),
        Field::new(
            "authors",
            Kind::Texts,
            "Authors, in the paper's order.",
            r#"["Xiaosong Wang", "Yifan Peng"]"#,
        ),
        Field::new("venue", Kind::Text, "Journal or conference.", r#""CVPR""#),
        Field::new(
            "doi",
            Kind::Text,
            "The paper's DOI.",
            r#""10.1109/CVPR.2017.369""#,
        ),
        Field::new(
            "numbers",
            Kind::NumberKeys,
            "The entry's top-level numbers this paper states.",
            r#"["images", "patients"]"#,
        ),
        Field::new(
            "secondary",
            Kind::Boolean,
            "A survey or benchmark paper reporting others' numbers.",
            "true",
        ),
    ],
};

/// The keys of an entry's top-level numbers, each of which a paper or source names in its
/// `numbers`: the sizes and the download size.
pub const NUMBER_KEYS: [&str; 8] = [
    "images",
    "volumes",
    "slides",
    "videos",
    "studies",
    "series",
    "patients",
    "download_bytes",
];

/// A source of an entry's numbers that is not a paper: one `[[sources]]` item.
pub static SOURCE: Table = Table {
    what: "`[[sources]]`",
    schema_name: "Source",
    description: "A source of the entry's numbers that is not a paper (a homepage README, a data descriptor page, a label file).",
    schema_describes_fields: true,
    fields: &[
        Field::new(
            "title",
            Kind::Text,
            "What the source is and where it is published.",
            r#""README_CHESTXRAY.pdf on the NIH download site""#,
        )
        .required(),
        Field::new(
            "url",
            Kind::Url,
            "Where to read it (http or https).",
            r#""https://nihcc.app.box.com/v/ChestXray-NIHCC""#,
        )
        .required(),
        Field::new(
            "numbers",
            Kind::NumberKeys,
            "The entry's top-level numbers this source states.",
            r#"["volumes", "slides", "videos", "studies", "download_bytes"]"#,
        )
        .required(),
        Field::new(
            "secondary",
            Kind::Boolean,
            "A source reporting others' numbers (a survey, a benchmark, a mirror).",
            "false",
        ),
    ],
};

/// One table of class counts: one `[[class_counts]]` item.
pub static CLASS_COUNTS: Table = Table {
    what: "`[[class_counts]]`",
    schema_name: "ClassCounts",
    description: "One table of class counts over the splits of one split scheme.",
    schema_describes_fields: true,
    fields: &[
        Field::new(
            "title",
            Kind::Text,
            "What the table is, e.g. \"Official split\".",
            r#""CheXNet 70/10/20 split""#,
        )
        .required(),
        Field::new(
            "official",
            Kind::Boolean,
            "Is this the publisher's own split?",
            "false",
        ),
        Field::new(
            "patient_disjoint",
            Kind::Boolean,
            "Are the splits disjoint by patient?",
            "true",
        ),
        Field::new(
            "preferred",
            Kind::Boolean,
            "Show this table in comparisons and the label matrix. Without it they show the first official table with labels, else the first table with labels.",
            "true",
        ),
        Field::new(
            "source",
            Kind::Url,
            "Where the numbers come from (http or https).",
            r#""https://github.com/arnoweng/CheXNet""#,
        )
        .required(),
        Field::new("unit", Kind::Unit, "What a count counts.", r#""images""#),
        Field::new(
            "splits",
            Kind::Texts,
            "Split names, in the column order of the source.",
            r#"["Train", "Valid", "Test"]"#,
        )
        .required(),
        Field::new(
            "images",
            Kind::Counts,
            "Size of each split, in `unit`.",
            "[78468, 11219, 22433]",
        )
        .unit("the table's `unit`"),
        Field::new(
            "multi_label",
            Kind::Boolean,
            "May one image carry several labels?",
            "true",
        ),
        Field::new(
            "labels",
            Kind::LabelRows,
            "One row per label: one count per split, in the order of `splits`.",
            "Atelectasis = [7996, 1119, 2420]\nPleural_Thickening = [2279, 372, 734]\n\"No Finding\" = [42405, 6079, 11928]",
        )
        .unit("the table's `unit`"),
    ],
};

/// One published version of a dataset: one `[[versions]]` item.
pub static VERSION: Table = Table {
    what: "`[[versions]]`",
    schema_name: "Version",
    description: "One published version of the dataset, as its publisher numbers it.",
    schema_describes_fields: true,
    fields: &[
        Field::new(
            "version",
            Kind::Text,
            "The version as the publisher writes it.",
            r#""2.0.0""#,
        )
        .required(),
        Field::new(
            "date",
            Kind::ReleaseDate,
            "Release date: a TOML date, or \"YYYY-MM\" / \"YYYY\" when only the month or year is published.",
            "2019-09-19",
        ),
        Field::new(
            "doi",
            Kind::Text,
            "The version's own DOI, bare (not as a URL).",
            r#""10.13026/C2JT1Q""#,
        ),
        Field::new(
            "images",
            Kind::Size,
            "Number of images in this version.",
            "112120",
        )
        .unit("images"),
        Field::new("volumes", Kind::Size, "Number of volumes.", "1000").unit("volumes"),
        Field::new("slides", Kind::Size, "Number of whole-slide images.", "399").unit("slides"),
        Field::new("videos", Kind::Size, "Number of videos.", "373").unit("videos"),
        Field::new("studies", Kind::Size, "Number of studies.", "227835").unit("studies"),
        Field::new("series", Kind::Size, "Number of series.", r#""not stated""#).unit("series"),
        Field::new("patients", Kind::Size, "Number of patients.", "30805").unit("patients"),
        Field::new(
            "changes",
            Kind::Text,
            "What changed from the version before: one line of Markdown.",
            r#""Added the DICOM files and the free-text reports.""#,
        ),
        Field::new(
            "source",
            Kind::Url,
            "Where the version's facts come from (http or https).",
            r#""https://physionet.org/content/mimic-cxr/2.0.0/""#,
        )
        .required(),
    ],
};

/// Sex and age per split: one `[[demographics]]` item.
pub static DEMOGRAPHICS: Table = Table {
    what: "`[[demographics]]`",
    schema_name: "Demographics",
    description: "Sex and age of the subjects per split, as the source publishes them.",
    schema_describes_fields: true,
    fields: &[
        Field::new(
            "title",
            Kind::Text,
            "What the table is, e.g. \"Official split\".",
            r#""Official split""#,
        )
        .required(),
        Field::new(
            "source",
            Kind::Url,
            "Where the numbers come from (http or https).",
            r#""https://example.org/data-descriptor""#,
        )
        .required(),
        Field::new(
            "unit",
            Kind::Unit,
            "What the sex counts count (default: patients).",
            r#""patients""#,
        ),
        Field::new(
            "splits",
            Kind::Texts,
            "Split names, in the column order of the source.",
            r#"["Train", "Test"]"#,
        )
        .required(),
        Field::new(
            "total",
            Kind::Counts,
            "Size of each split, in `unit`, when the source gives it.",
            "[220, 46]",
        )
        .unit("the table's `unit`"),
        Field::new(
            "female",
            Kind::Counts,
            "Female subjects per split.",
            "[100, 20]",
        )
        .unit("the table's `unit`"),
        Field::new(
            "male",
            Kind::Counts,
            "Male subjects per split.",
            "[120, 25]",
        )
        .unit("the table's `unit`"),
        Field::new(
            "sex_unknown",
            Kind::Counts,
            "Subjects whose sex is not given, per split.",
            "[0, 1]",
        )
        .unit("the table's `unit`"),
        Field::new(
            "age_mean",
            Kind::Numbers,
            "Mean age per split.",
            "[45.2, 46.0]",
        )
        .unit("years"),
        Field::new(
            "age_sd",
            Kind::Numbers,
            "Standard deviation of age per split.",
            "[12.1, 11.9]",
        )
        .unit("years"),
        Field::new(
            "age_median",
            Kind::Numbers,
            "Median age per split.",
            "[44, 47]",
        )
        .unit("years"),
        Field::new(
            "age_min",
            Kind::Numbers,
            "Youngest age per split.",
            "[18, 19]",
        )
        .unit("years"),
        Field::new(
            "age_max",
            Kind::Numbers,
            "Oldest age per split.",
            "[90, 88]",
        )
        .unit("years"),
    ],
};

/// One step of getting access: one `[[access_steps]]` item.
pub static ACCESS_STEP: Table = Table {
    what: "`[[access_steps]]`",
    schema_name: "AccessStep",
    description: "One step of getting access to the data, in order.",
    schema_describes_fields: true,
    fields: &[
        Field::new(
            "step",
            Kind::Choice(Choice::Step),
            "What the step asks: account, training, agreement, request, approval or other.",
            r#""training""#,
        )
        .required(),
        Field::new(
            "what",
            Kind::Text,
            "What to do, in one line of Markdown.",
            r#""Complete the CITI course \"Data or Specimens Only Research\".""#,
        )
        .required(),
        Field::new(
            "url",
            Kind::Url,
            "The requirement's page (http or https); required for account, training, agreement and request.",
            r#""https://physionet.org/about/citi-course/""#,
        ),
    ],
};

/// One place the files are: one `[[downloads]]` item.
pub static DOWNLOAD: Table = Table {
    what: "`[[downloads]]`",
    schema_name: "Download",
    description: "One place the dataset's files can be downloaded from.",
    schema_describes_fields: true,
    fields: &[
        Field::new(
            "kind",
            Kind::Choice(Choice::Download),
            "What kind of place: portal, bucket, torrent, kaggle, zenodo, figshare, git or other.",
            r#""portal""#,
        )
        .required(),
        Field::new(
            "url",
            Kind::Url,
            "Its address (http or https; a bucket may be s3:// or gs://, a torrent a magnet link).",
            r#""https://physionet.org/content/mimic-cxr/2.1.0/""#,
        )
        .required(),
        Field::new(
            "what",
            Kind::Text,
            "What is there, where the places hold different parts.",
            r#""DICOM files and reports""#,
        ),
    ],
};

/// How one set of labels was made: one `[[label_sets]]` item.
pub static LABEL_SET: Table = Table {
    what: "`[[label_sets]]`",
    schema_name: "LabelSet",
    description: "How one set of labels was made and what it annotates.",
    schema_describes_fields: true,
    fields: &[
        Field::new(
            "name",
            Kind::Text,
            "Which labels, e.g. \"14 findings\" or \"Lesion masks\".",
            r#""14 findings""#,
        )
        .required(),
        Field::new(
            "method",
            Kind::Term(Facet::LabelMethod),
            "How they were made: a term of [label_methods] in content/vocabulary.toml.",
            r#""consensus""#,
        ),
        Field::new(
            "readers",
            Kind::Count,
            "How many people read each image, where the source states it (only for a method with `readers = true` in the vocabulary).",
            "3",
        )
        .unit("readers"),
        Field::new(
            "annotations",
            Kind::Terms(Facet::AnnotationType),
            "What is annotated: terms of [annotation_types] in content/vocabulary.toml.",
            r#"["image-labels", "boxes"]"#,
        ),
        Field::new(
            "how",
            Kind::Text,
            "How, in one line of Markdown, as the source describes it.",
            r#""Read by three radiologists; disagreements settled by a fourth.""#,
        ),
    ],
};

/// The columns of `catalog.csv` that are not fields of an entry, with their positions.
const CSV_DERIVED: &[(usize, &str)] = &[
    (0, "slug"),
    (13, "page"),
    (27, "label_methods"),
    (28, "annotation_types"),
];

/// The header of `catalog.csv`: derived columns and declared fields, by column.
pub static CSV_COLUMNS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut columns: Vec<(usize, &'static str)> = CSV_DERIVED.to_vec();
    columns.extend(
        ENTRY
            .fields
            .iter()
            .filter_map(|f| f.csv.map(|c| (c, f.key))),
    );
    columns.sort_by_key(|(column, _)| *column);
    columns.into_iter().map(|(_, name)| name).collect()
});

#[cfg(test)]
/// The keys of a pure TOML entry: those of a front-matter entry and `notes`.
pub(crate) static TOML_ENTRY_KEYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| ENTRY.keys(true));
#[cfg(test)]
/// The keys of a `[[papers]]` item.
pub(crate) static PAPER_KEYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| PAPER.keys(true));
/// Every array of tables of an entry, with its declaration.
pub(crate) fn entry_tables() -> impl Iterator<Item = (&'static str, &'static Table)> {
    ENTRY.fields.iter().filter_map(|f| match f.kind {
        Kind::Tables(table) => Some((f.key, table)),
        _ => None,
    })
}

#[cfg(test)]
/// The keys of a `[[sources]]` item.
pub(crate) static SOURCE_KEYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| SOURCE.keys(true));
#[cfg(test)]
/// The keys of a `[[versions]]` item.
pub(crate) static VERSION_KEYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| VERSION.keys(true));
#[cfg(test)]
/// The keys of a `[[demographics]]` table.
pub(crate) static DEMOGRAPHICS_KEYS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| DEMOGRAPHICS.keys(true));
#[cfg(test)]
/// The keys of a `[[lineage]]` item.
pub(crate) static LINEAGE_KEYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| LINEAGE.keys(true));
#[cfg(test)]
/// The keys of a `[[class_counts]]` table.
pub(crate) static CLASS_COUNTS_KEYS: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| CLASS_COUNTS.keys(true));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_columns_are_numbered_without_gaps() {
        let mut numbers: Vec<usize> = CSV_DERIVED.iter().map(|(c, _)| *c).collect();
        numbers.extend(ENTRY.fields.iter().filter_map(|f| f.csv));
        numbers.sort();
        assert_eq!(numbers, (0..numbers.len()).collect::<Vec<_>>());
    }

    #[test]
    fn keys_are_unique_and_only_notes_is_toml_only() {
        for table in std::iter::once(&ENTRY).chain(entry_tables().map(|(_, t)| t)) {
            let mut keys = table.keys(true);
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), table.fields.len(), "{}", table.what);
        }
        let toml_only: Vec<&str> = ENTRY
            .fields
            .iter()
            .filter(|f| f.toml_only)
            .map(|f| f.key)
            .collect();
        assert_eq!(toml_only, ["notes"]);
        assert_eq!(TOML_ENTRY_KEYS.last(), Some(&"notes"));
    }

    /// Each facet is fed by exactly one field, of an entry or of one of its arrays of
    /// tables (`label_sets.method`), and [`Facet::field`] names it.
    #[test]
    fn every_facet_is_fed_by_one_field() {
        let mut fields: Vec<(String, &Field)> = ENTRY
            .fields
            .iter()
            .map(|f| (f.key.to_string(), f))
            .collect();
        for (key, table) in entry_tables() {
            fields.extend(table.fields.iter().map(|f| (format!("{key}.{}", f.key), f)));
        }
        for facet in Facet::ALL {
            let fed: Vec<&str> = fields
                .iter()
                .filter(|(_, f)| f.facet() == Some(facet))
                .map(|(path, _)| path.as_str())
                .collect();
            assert_eq!(fed, [facet.field()], "{facet:?}");
        }
    }
}
