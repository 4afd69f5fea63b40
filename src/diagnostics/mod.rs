//! Problems found in a catalog, as values, and the one reporter that prints them.
//!
//! Every stage that can find a problem in the content pushes a [`Diagnostic`] instead of failing
//! on the first one; the pipeline collects them into a [`Report`] so a contributor sees every
//! problem of a run at once, sorted by file and line, followed by a one-line summary.
//! Library code never prints: the binary asks the report to render itself.
//!
//! The cost of a report is bounded by what it shows: snippets are cut around the place they
//! mark ([`excerpt`]), and at most [`MAX_SHOWN_PER_CODE`] diagnostics of one code are shown per
//! file, followed by a count of the rest. The summary counts every diagnostic.

mod excerpt;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Rich, Label};
use codespan_reporting::term::{self, termcolor::WriteColor};

use crate::common::source::Source;

/// At most this many diagnostics of one code are shown for one file (human and GitHub formats).
pub const MAX_SHOWN_PER_CODE: usize = 20;
/// At most this many diagnostics of one code are kept for one file while parsing it; the rest
/// are counted (in [`Diagnostic::more`]), so a hostile file costs memory for its counts only.
pub const MAX_KEPT_PER_CODE: usize = 1000;

/// Every diagnostic code: its name, severity and meaning. The README's table of codes is
/// checked against this list (tests/errors.rs), and the fixtures under tests/fixtures/errors/
/// must cover every code.
macro_rules! codes {
    ($($variant:ident = $name:literal, $severity:ident, $meaning:literal;)*) => {
        /// What kind of problem a [`Diagnostic`] reports: stable, machine-readable, documented.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(#[doc = $meaning] $variant,)*
        }

        impl Code {
            /// Every code, in the order the README lists them.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable name, e.g. `unknown-key`: what reports, annotations and JSON show.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// Whether the code stops a build or only warns.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// What the code means, as the README's table says it.
            pub fn meaning(self) -> &'static str {
                match self { $(Code::$variant => $meaning,)* }
            }
        }
    };
}

codes! {
    NotUtf8 = "not-utf8", Error, "a content file is not UTF-8 (a UTF-8 byte-order mark and CRLF or CR-only line endings are fine)";
    MisplacedFile = "misplaced-file", Error, "a file in `content/` that is neither a settings file nor an entry (`content/datasets/<slug>.md` or `.toml`): it would not be read; says where it goes";
    MissingFile = "missing-file", Error, "`content/site.toml` or `content/vocabulary.toml` is missing";
    EmptyFile = "empty-file", Error, "an entry, `site.toml` or `vocabulary.toml` that is empty (or holds only spaces and blank lines)";
    MissingFrontMatter = "missing-front-matter", Error, "an entry does not start with a `+++` line";
    UnclosedFrontMatter = "unclosed-front-matter", Error, "the `+++` front matter is never closed";
    InvalidToml = "invalid-toml", Error, "the TOML does not parse (a key set twice names the line where it was first set; curly quotes are named as such)";
    MissingField = "missing-field", Error, "a required field is missing (or a required list is empty)";
    WrongType = "wrong-type", Error, "a field has the wrong type, e.g. a string for a number";
    UnknownKey = "unknown-key", Error, "a key the format does not define; names the nearest known key";
    UnknownTerm = "unknown-term", Error, "a term not in `vocabulary.toml` (or an unknown `unit` or lineage `relation`); names the nearest";
    UnknownDataset = "unknown-dataset", Error, "a `related`, `[[lineage]]` `entry` or checklist `dataset` slug with no entry";
    RowLength = "row-length", Error, "a row of counts whose length differs from `splits`";
    NumberTooLarge = "number-too-large", Error, "an integer too large (or too far below zero) for its field (a count holds at most 18,446,744,073,709,551,615)";
    NegativeCount = "negative-count", Error, "a negative number where a count is expected";
    CountExceedsImages = "count-exceeds-images", Error, "a label count above the size of its split";
    BadUrl = "bad-url", Error, "a URL that is not `http://` or `https://`";
    DuplicateSlug = "duplicate-slug", Error, "two entry files with the same stem";
    BadSlug = "bad-slug", Error, "a file name that is not a valid slug";
    BadTermId = "bad-term-id", Error, "a vocabulary term id that is not a valid slug (it names a page's file)";
    UnsafeSymlink = "unsafe-symlink", Error, "a symbolic link in `content/`, `templates/` or `static/` that is broken, loops or leaves the catalog";
    BadFileName = "bad-file-name", Error, "a file in `static/` whose name cannot be published as it is (not UTF-8, or holding a backslash, colon or NUL)";
    SummaryTooLong = "summary-too-long", Error, "a `summary` over 200 characters";
    InvisibleCharacter = "invisible-character", Error, "a bidirectional control (U+202A–U+202E, U+2066–U+2069) or zero-width character (U+200B–U+200D, U+2060, U+FEFF) in a dataset's `name` or `aliases`: they make a name read differently from what it is";
    Placeholder = "placeholder", Error, "a `TODO` left by `medatlas new` in a field or the description";
    BrokenLink = "broken-link", Error, "a link in a description to an entry (`other.md#section`) that does not exist";
    FileTooLarge = "file-too-large", Error, "a content file over 1 MiB: it is not read (nor parsed)";
    ArrayTooLong = "array-too-long", Error, "a TOML array of more than 10,000 items: the file is not read further";
    TooManyLabels = "too-many-labels", Error, "a class table with more than 1,000 labels";
    NestingTooDeep = "nesting-too-deep", Error, "a description or `known_issues` item nesting HTML elements and Markdown blocks more than 100 levels deep";
    CountOverflow = "count-overflow", Error, "a total of a class table (split sizes, a label's row, label occurrences) above 18,446,744,073,709,551,615";
    YearOutOfRange = "year-out-of-range", Error, "a `year` before 1900 or after next year";
    ZeroCount = "zero-count", Error, "a count (`images`, `patients`, `bit_depth`, a bound...) of 0: an unknown count is left out";
    BadSize = "bad-size", Error, "a size written as a table that is not a bound: `{ at_least = N }` or `{ at_most = N }`";
    MainUnitWithoutCount = "main-unit-without-count", Error, "a `main_unit` naming a unit the entry gives no count in";
    EmptyValue = "empty-value", Error, "a required string (`name`, `summary`, `publisher`, `access`, a paper's `title`...) or an item of a list that is empty or only spaces";
    BadDoi = "bad-doi", Error, "a `doi` written as a URL, with a `doi:` prefix, or not starting with `10.`: write the bare DOI, e.g. `10.1000/xyz`";
    DuplicateItem = "duplicate-item", Error, "an item repeated in one list (`modalities`, `tasks`, `labels`, `related`, `splits`, `annotations`...) or a version listed twice in `[[versions]]`, ignoring case; a download address or a label set's `name` given twice";
    SelfRelated = "self-related", Error, "an entry whose `related` or `[[lineage]]` names the entry itself";
    DuplicateLineage = "duplicate-lineage", Error, "an entry with two `[[lineage]]` items naming the same other entry: one relation per pair";
    LineageBothSides = "lineage-both-sides", Error, "a pair of entries whose lineage is declared in both: the reverse side is derived, so the help names the item to remove";
    ContradictoryLineage = "contradictory-lineage", Error, "lineage relations that contradict each other: each of two entries a part of the other, or a chain of `derived-from`/`subset-of` leading back to where it started";
    PatientsExceedImages = "patients-exceed-images", Error, "an entry with more `patients` than `images`";
    UnknownLicense = "unknown-license", Error, "a `license` id close to, but not, one that `content/licenses.toml` defines (a typo); names it";
    UnknownNumber = "unknown-number", Error, "a name in a paper's or source's `numbers` that is not one of the entry's numbers (`images`... `download_bytes`) or names one the entry does not give; names the nearest";
    BadCheckedDate = "bad-checked-date", Error, "a `checked` date in the future, or before the entry's `year`";
    UnknownVersion = "unknown-version", Error, "a top-level `version` that none of the entry's `[[versions]]` names; names the nearest";
    VersionsOutOfOrder = "versions-out-of-order", Error, "`[[versions]]` not newest first: a version dated later than the one above it";
    BadDate = "bad-date", Error, "a `date` that is not a date: write a TOML date `2019-09-19`, or `\"2019-09\"` / `\"2019\"` when only the month or year is published";
    ImplausibleAge = "implausible-age", Error, "an age of `[[demographics]]` below 0 or above 130, a negative `age_sd`, or ages out of order in a split (`age_min` above the mean or median, either above `age_max`)";
    DuplicateName = "duplicate-name", Error, "two entries with the same `name` (ignoring case); names the first one's file";
    StepWithoutUrl = "step-without-url", Error, "an `[[access_steps]]` item of a step done at a page of its own (`account`, `training`, `agreement`, `request`) without the `url` of that page";
    ReadersWithoutReading = "readers-without-reading", Error, "a label set giving `readers` while its `method` is not a reading by people (a term without `readers = true` in `[label_methods]`), or names no method";
    TooFewReaders = "too-few-readers", Error, "a label set whose `readers` is below the `min_readers` of its method in `[label_methods]` (a consensus of one reader)";
    DuplicateFinding = "duplicate-finding", Error, "a name or synonym of `labels.toml` (ignoring case, `_` read as a space) that an earlier finding already has: a label so spelled would meet only the first; names it";
    LabelIdCollision = "label-id-collision", Error, "two labels whose ids would be the same (the id of the label facet, the label matrix and their links: letters and digits, with `>=`, `<`, `+`, `&`... written out): two findings of `labels.toml`, or a label of an entry that is no finding's name or synonym and a finding";
    UnreachableUrl = "unreachable-url", Warning, "`check --external` only: a URL that does not answer, or answers with an error";
    LinkCache = "link-cache", Warning, "`check --external` only: the cache of checked URLs could not be written";
    SplitSumMismatch = "split-sum-mismatch", Warning, "split sizes that do not sum to the entry's `images` (or `patients`)";
    SingleLabelSumMismatch = "single-label-sum-mismatch", Warning, "with `multi_label = false`, label counts that do not sum to the split size";
    SchemelessLink = "schemeless-link", Warning, "a Markdown link without a scheme that starts with a host name (`www.example.org`, `example.org/page`): write `https://`";
    UnknownLabel = "unknown-label", Warning, "a label of `labels` or a class table that is not in `labels.toml` while a close match is: names it";
    LicenseFreeText = "license-free-text", Warning, "a `license` that `content/licenses.toml` does not define, such as free text (the old form): shows the id to name and the table to add";
    UnsourcedNumber = "unsourced-number", Warning, "a top-level number (`images`, `patients`... `download_bytes`) that no `[[papers]]` or `[[sources]]` item names in its `numbers`: shows the line to add";
    VersionCountMismatch = "version-count-mismatch", Warning, "the `[[versions]]` table of the entry's own `version` giving another count than the entry in the same unit";
    SexSumMismatch = "sex-sum-mismatch", Warning, "`[[demographics]]` whose female, male and unknown counts of a split do not sum to the split's size (its `total`, or a class table's with the same splits and unit)";
    LabelCountMismatch = "label-count-mismatch", Warning, "`labels` naming a different number of labels than a table holds";
    AccessContradiction = "access-contradiction", Warning, "access steps that contradict the entry's `access` (a step in an `open` entry) or its licence's `agreement` (a step where it asks nothing; no `agreement` step where it asks for one; no `account` step where it asks for registration)";
    DownloadKindMismatch = "download-kind-mismatch", Warning, "a download whose `kind` is not the site its address is on (`kind = \"portal\"` for a Kaggle page, `kind = \"zenodo\"` for an address off zenodo.org)";
    LabelingFreeText = "labeling-free-text", Warning, "`labeling`, the old free-text form of `[[label_sets]]`: shows the label set to write";
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build stops; nothing is written.
    Error,
    /// Reported (and shown on the dataset's page as a data note); the build goes on.
    Warning,
}

/// One problem at one place in one file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub(crate) severity: Severity,
    /// Stable machine-readable kind, e.g. `unknown-key`.
    pub code: Code,
    /// Path of the file relative to the catalog root, `/`-separated.
    pub path: String,
    /// 1-based line and column (in characters), counted in the whole file.
    pub line: usize,
    /// See `line`.
    pub column: usize,
    /// Where the span ends (line and column of its last character + 1).
    pub(crate) end_line: usize,
    pub(crate) end_column: usize,
    /// Byte range in the file, for the snippet.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// How many more diagnostics of this code the file has that were counted but not kept.
    pub(crate) more: usize,
}

impl Diagnostic {
    /// An error at `span` of `src`.
    pub fn error(code: Code, src: &Source, span: Range<usize>, message: String) -> Self {
        debug_assert_eq!(code.severity(), Severity::Error, "{code} is a warning");
        Self::new(Severity::Error, code, src, span, message)
    }

    pub(crate) fn warning(code: Code, src: &Source, span: Range<usize>, message: String) -> Self {
        debug_assert_eq!(code.severity(), Severity::Warning, "{code} is an error");
        Self::new(Severity::Warning, code, src, span, message)
    }

    fn new(
        severity: Severity,
        code: Code,
        src: &Source,
        span: Range<usize>,
        message: String,
    ) -> Self {
        let (line, column) = src.location(span.start);
        let (end_line, end_column) = src.location(span.end.max(span.start));
        Diagnostic {
            severity,
            code,
            path: src.path.clone(),
            line,
            column,
            end_line,
            end_column,
            span,
            message,
            help: None,
            more: 0,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether it stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column: severity: message`, the one-line form used in logs and tests.
    pub fn headline(&self) -> String {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "{}:{}:{}: {severity}[{}]: {}",
            self.path, self.line, self.column, self.code, self.message
        )
    }
}

/// Everything one run found, with the sources needed to show snippets.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem found, in file, line and column order.
    pub diagnostics: Vec<Diagnostic>,
    /// The files diagnostics point into, by path.
    sources: BTreeMap<String, Source>,
    /// How many content files were read.
    pub(crate) files_checked: usize,
}

/// Characters that reorder or hide text on a terminal (bidirectional controls, zero-width
/// characters): a snippet shows each as U+FFFD, which has the same length in UTF-8 (three bytes),
/// so every span still points at the same place, and the line reads as it is stored.
const HIDDEN: &[char] = &[
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}',
    '\u{202D}', '\u{202E}', '\u{2060}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{FEFF}',
];

/// The source as its snippets show it: with [`HIDDEN`] characters made visible.
fn visible(source: &Source) -> Source {
    if !source.text.contains(HIDDEN) {
        return source.clone();
    }
    Source::new(source.path.clone(), source.text.replace(HIDDEN, "\u{FFFD}"))
}

impl Report {
    /// The report of `diagnostics` found in `sources`, of which `files_checked` were checked.
    pub fn new(mut diagnostics: Vec<Diagnostic>, sources: &[Source], files_checked: usize) -> Self {
        diagnostics.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
        });
        diagnostics.dedup_by(|a, b| {
            let same = a.headline() == b.headline();
            if same {
                b.more += a.more;
            }
            same
        });
        let cited: std::collections::BTreeSet<&str> =
            diagnostics.iter().map(|d| d.path.as_str()).collect();
        let sources = sources
            .iter()
            .filter(|s| cited.contains(s.path.as_str()))
            .map(|s| (s.path.clone(), visible(s)))
            .collect();
        Report {
            diagnostics,
            sources,
            files_checked,
        }
    }

    /// The same report without its warnings (what the development server's overlay shows).
    pub(crate) fn errors_only(&self) -> Report {
        Report {
            diagnostics: self
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .cloned()
                .collect(),
            sources: self.sources.clone(),
            files_checked: self.files_checked,
        }
    }

    /// Every error found, kept or only counted.
    pub fn error_count(&self) -> usize {
        self.count(Severity::Error)
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .map(|d| 1 + d.more)
            .sum()
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// "2 errors, 1 warning in 14 files".
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}, {} in {}",
            plural(self.error_count(), "error"),
            plural(self.warning_count(), "warning"),
            plural(self.files_checked, "file")
        )
    }

    /// Write every diagnostic shown with its source snippet, a count of those left out, then
    /// the summary line.
    pub fn emit(&self, out: &mut dyn WriteColor) -> std::io::Result<()> {
        let config = term::Config::default();
        for item in self.shown() {
            match item {
                Shown::Diagnostic(d) => self.emit_one(out, &config, d)?,
                Shown::Hidden(hidden) => writeln!(out, "{}\n", hidden.sentence())?,
            }
        }
        writeln!(out, "{}", self.summary())
    }

    fn emit_one(
        &self,
        out: &mut dyn WriteColor,
        config: &term::Config,
        d: &Diagnostic,
    ) -> std::io::Result<()> {
        let rendered = match self.sources.get(&d.path) {
            Some(src) => {
                let excerpt = excerpt::Excerpt::new(src, &d.span);
                let label = Label::primary((), excerpt.span(&d.span));
                let rich = to_rich(d, None).with_labels(vec![label]);
                term::emit_to_write_style(out, config, &excerpt, &rich)
            }
            // A file with no text still gets its location in the notes.
            None => {
                let at = format!("at {}:{}:{}", d.path, d.line, d.column);
                let rich = to_rich(d, Some(at));
                let none = codespan_reporting::files::SimpleFile::new("", "");
                term::emit_to_write_style(out, config, &none, &rich)
            }
        };
        rendered.map_err(std::io::Error::other)
    }

    /// The diagnostics shown, in order, with a [`Hidden`] count after the last one of each file
    /// and code that had more than [`MAX_SHOWN_PER_CODE`].
    pub(crate) fn shown(&self) -> Vec<Shown<'_>> {
        let mut out = Vec::new();
        let mut counts: BTreeMap<Code, (usize, Severity)> = BTreeMap::new();
        for (i, d) in self.diagnostics.iter().enumerate() {
            let seen = counts.entry(d.code).or_insert((0, d.severity));
            seen.0 += 1;
            let shown = seen.0 <= MAX_SHOWN_PER_CODE;
            seen.0 += d.more;
            if shown {
                out.push(Shown::Diagnostic(d));
            }
            let file_ends = self
                .diagnostics
                .get(i + 1)
                .is_none_or(|next| next.path != d.path);
            if file_ends {
                for (code, (count, severity)) in std::mem::take(&mut counts) {
                    if count > MAX_SHOWN_PER_CODE {
                        out.push(Shown::Hidden(Hidden {
                            path: &d.path,
                            code,
                            severity,
                            count: count - MAX_SHOWN_PER_CODE,
                        }));
                    }
                }
            }
        }
        out
    }

    /// The whole report as plain text (no colours): what `emit` prints, for tests and logs.
    pub fn to_plain_string(&self) -> String {
        let mut buffer = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
        self.emit(&mut buffer)
            .expect("writing to memory cannot fail");
        String::from_utf8_lossy(&buffer.into_inner()).into_owned()
    }

    /// GitHub Actions workflow commands, one per diagnostic, so that each problem appears on
    /// the pull request diff at its line:
    /// `::error file=content/datasets/x.md,line=7,col=3,endLine=7,endColumn=12,title=unknown-key::...`
    pub fn to_github(&self) -> String {
        let mut out = String::new();
        for item in self.shown() {
            let d = match item {
                Shown::Diagnostic(d) => d,
                Shown::Hidden(hidden) => {
                    let _ = writeln!(
                        out,
                        "::notice file={},title={}::{}",
                        github_property(hidden.path),
                        github_property(&format!("medatlas {}", hidden.code)),
                        github_data(&hidden.sentence())
                    );
                    continue;
                }
            };
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let message = match &d.help {
                Some(help) => format!("{} (help: {help})", d.message),
                None => d.message.clone(),
            };
            let _ = writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                github_property(&d.path),
                d.line,
                d.column,
                d.end_line,
                d.end_column,
                github_property(&format!("medatlas {}", d.code)),
                github_data(&message)
            );
        }
        out
    }

    /// One JSON array of diagnostics: file, line, column, end_line, end_column, severity,
    /// code, message, help, and `more` (when not 0) on the last kept diagnostic of a code that
    /// had more than [`MAX_KEPT_PER_CODE`] in its file.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Item<'a> {
            file: &'a str,
            line: usize,
            column: usize,
            end_line: usize,
            end_column: usize,
            severity: &'static str,
            code: &'static str,
            message: &'a str,
            help: Option<&'a str>,
            /// Diagnostics of this code in this file counted but not kept.
            #[serde(skip_serializing_if = "is_zero")]
            more: usize,
        }
        fn is_zero(n: &usize) -> bool {
            *n == 0
        }
        let items: Vec<Item> = self
            .diagnostics
            .iter()
            .map(|d| Item {
                file: &d.path,
                line: d.line,
                column: d.column,
                end_line: d.end_line,
                end_column: d.end_column,
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                code: d.code.name(),
                message: &d.message,
                help: d.help.as_deref(),
                more: d.more,
            })
            .collect();
        let mut json = serde_json::to_string_pretty(&items).expect("diagnostics serialise");
        json.push('\n');
        json
    }

    /// One headline per diagnostic, for compact assertions.
    pub fn headlines(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            let _ = writeln!(out, "{}", d.headline());
        }
        out
    }
}

/// One item of a report as shown: a diagnostic, or the count of those of one code in one file
/// that are left out.
#[derive(Debug)]
pub(crate) enum Shown<'r> {
    Diagnostic(&'r Diagnostic),
    Hidden(Hidden<'r>),
}

/// Diagnostics of one code in one file beyond the first [`MAX_SHOWN_PER_CODE`].
#[derive(Debug)]
pub(crate) struct Hidden<'r> {
    pub(crate) path: &'r str,
    pub(crate) code: Code,
    pub(crate) severity: Severity,
    pub(crate) count: usize,
}

impl Hidden<'_> {
    /// "... and 980 more `unknown-dataset` errors in content/datasets/x.md".
    pub(crate) fn sentence(&self) -> String {
        let kind = match (self.severity, self.count) {
            (Severity::Error, 1) => "error",
            (Severity::Error, _) => "errors",
            (Severity::Warning, 1) => "warning",
            (Severity::Warning, _) => "warnings",
        };
        format!(
            "... and {} more `{}` {kind} in {} (the first {MAX_SHOWN_PER_CODE} are shown)",
            self.count, self.code, self.path
        )
    }
}

/// Escape the message of a workflow command (GitHub's rules: `%`, CR and LF).
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property of a workflow command: also `:` and `,`.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The renderer's form of a diagnostic, without its label; `note` goes before the help.
fn to_rich(d: &Diagnostic, note: Option<String>) -> Rich<()> {
    let notes = note
        .into_iter()
        .chain(d.help.iter().map(|help| format!("help: {help}")))
        .collect();
    match d.severity {
        Severity::Error => Rich::error(),
        Severity::Warning => Rich::warning(),
    }
    .with_code(d.code.name())
    .with_message(&d.message)
    .with_notes(notes)
}
