//! Check: what can only be judged with the whole catalog in hand.
//!
//! Terms against the vocabulary, `related`, lineage and checklist slugs against the entries,
//! lineage declared once and consistent ([`lineage`]), names
//! used by two entries ([`names`]), labels near a finding of labels.toml ([`labels`]), licences
//! against licenses.toml ([`licenses`]), and the
//! warnings about declared numbers that disagree with each other. File-local checks happen while
//! parsing ([`crate::parse`]); this stage runs once the catalog is assembled.

mod labels;
mod licenses;
mod lineage;
mod names;

use std::collections::{HashMap, HashSet};

use crate::diagnostics::MAX_SHOWN_PER_CODE;

use crate::common::hash::{PartCache, keep_only};
use crate::common::number::{thousands, total};
use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::parse::fields::nearest;

/// Each entry's own diagnostics (what it says against the vocabulary, labels.toml,
/// licenses.toml and the set of entry slugs), by a fingerprint of the entry and of those files.
/// `serve` keeps it between runs, so that after an edit only the edited entry is checked again.
pub(crate) type EntryChecks = PartCache<Vec<Diagnostic>>;

/// Every cross-file error and every warning of a parsed catalog.
/// `slugs` are those of every entry file (also the ones that failed to parse), so that a broken
/// entry does not make every `related` link to it an error too. Terms are checked only when the
/// vocabulary parsed (`vocabulary_ok`). With `cached`, an entry whose fingerprint (one per
/// dataset, in catalog order) is in the cache keeps its diagnostics.
pub(crate) fn check(
    catalog: &Catalog,
    sources: &[Source],
    tasks_source: Option<SourceId>,
    slugs: &HashSet<&str>,
    vocabulary_ok: bool,
    cached: Option<(&[u64], &mut EntryChecks)>,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let alone = EntryAlone {
        catalog,
        sources,
        slugs,
        vocabulary_ok,
        terms: known_terms(catalog),
        labels: labels::Judge::new(catalog),
    };
    // Each entry's own checks, then the checks across entries, side by side; the order of the
    // diagnostics does not depend on how the work was shared.
    let across: [AcrossEntries; 3] = [
        entry_link_problems,
        names::duplicate_names,
        lineage::lineage_problems,
    ];
    let (per_entry, across) = rayon::join(
        || alone.all(cached),
        || {
            across
                .par_iter()
                .map(|check| check(catalog, sources))
                .collect::<Vec<_>>()
        },
    );
    let mut out: Vec<Diagnostic> = per_entry
        .into_iter()
        .chain(across.into_iter().flatten())
        .collect();
    if let Some(id) = tasks_source {
        let before = out.len();
        for item in &catalog.checklist {
            if let Some(slug) = &item.dataset {
                let suggest = out.len() - before < MAX_SHOWN_PER_CODE;
                unknown_dataset(&mut out, &sources[id], "dataset", slug, slugs, suggest);
            }
        }
    }
    out
}

/// A check that looks at every entry at once (links between them, names they share).
type AcrossEntries = fn(&Catalog, &[Source]) -> Vec<Diagnostic>;

/// What the checks of one entry alone are judged against.
struct EntryAlone<'c> {
    catalog: &'c Catalog,
    sources: &'c [Source],
    slugs: &'c HashSet<&'c str>,
    vocabulary_ok: bool,
    terms: HashMap<&'static str, Known<'c>>,
    labels: labels::Judge<'c>,
}

impl EntryAlone<'_> {
    /// The diagnostics of every entry: from `cached` where it has the entry's fingerprint,
    /// checked (in parallel, and added to it) where not.
    fn all(&self, cached: Option<(&[u64], &mut EntryChecks)>) -> Vec<Diagnostic> {
        use rayon::prelude::*;
        let datasets = &self.catalog.datasets;
        let Some((keys, cache)) = cached else {
            return datasets
                .par_iter()
                .map_init(labels::Memo::default, |memo, d| self.one(d, memo))
                .flatten()
                .collect();
        };
        let missing: Vec<(u64, Vec<Diagnostic>)> = datasets
            .par_iter()
            .zip(keys)
            .filter(|(_, key)| !cache.contains_key(*key))
            .map_init(labels::Memo::default, |memo, (d, &key)| {
                (key, self.one(d, memo))
            })
            .collect();
        cache.extend(missing);
        keep_only(cache, keys);
        keys.iter()
            .flat_map(|key| cache[key].iter().cloned())
            .collect()
    }

    /// The checks of one entry against the vocabulary, the other entries' slugs, labels.toml
    /// and licenses.toml, and of its numbers against each other.
    fn one<'d>(&self, dataset: &'d Dataset, memo: &mut labels::Memo<'d>) -> Vec<Diagnostic> {
        let src = &self.sources[dataset.source];
        let mut out = Vec::new();
        if self.vocabulary_ok {
            unknown_terms(&mut out, src, dataset, &self.terms);
            readers_without_reading(&mut out, src, dataset, &self.catalog.vocabulary);
        }
        let before = out.len();
        for related in &dataset.related {
            let suggest = out.len() - before < MAX_SHOWN_PER_CODE;
            unknown_dataset(&mut out, src, "related", related, self.slugs, suggest);
        }
        for item in &dataset.lineage {
            let suggest = out.len() - before < MAX_SHOWN_PER_CODE;
            let what = "[[lineage]] entry";
            unknown_dataset(&mut out, src, what, &item.entry, self.slugs, suggest);
        }
        out.extend(number_warnings(dataset, src));
        self.labels.unknown_labels(&mut out, src, dataset, memo);
        self.labels.colliding_labels(&mut out, src, dataset, memo);
        out.extend(licenses::problem(self.catalog, src, dataset));
        out.extend(licenses::steps_against(self.catalog, src, dataset));
        out
    }
}

/// The terms of each vocabulary table, by the table's name.
fn known_terms(catalog: &Catalog) -> HashMap<&'static str, Known<'_>> {
    Facet::ALL
        .iter()
        .map(|&f| {
            let ids: Vec<&str> = catalog
                .vocabulary
                .facet(f)
                .iter()
                .map(|t| t.id.as_str())
                .collect();
            (f.table(), ids.into())
        })
        .collect()
}

/// An `unknown-term` error for each term of an entry that its vocabulary table lacks.
fn unknown_terms(
    out: &mut Vec<Diagnostic>,
    src: &Source,
    dataset: &Dataset,
    terms: &HashMap<&'static str, Known<'_>>,
) {
    let before = out.len();
    let lists = [
        (Facet::Modality, &dataset.modalities),
        (Facet::BodyRegion, &dataset.body_regions),
        (Facet::Task, &dataset.tasks),
    ];
    for (facet, values) in lists {
        for term in values {
            let suggest = out.len() - before < MAX_SHOWN_PER_CODE;
            unknown_term(out, src, facet, term, &terms[facet.table()], suggest);
        }
    }
    let suggest = out.len() - before < MAX_SHOWN_PER_CODE;
    let access = &terms["access"];
    unknown_term(out, src, Facet::Access, &dataset.access, access, suggest);
    for set in &dataset.label_sets {
        let methods = set.method.iter().map(|m| (Facet::LabelMethod, m));
        let annotations = set.annotations.iter().map(|a| (Facet::AnnotationType, a));
        for (facet, term) in methods.chain(annotations) {
            let suggest = out.len() - before < MAX_SHOWN_PER_CODE;
            unknown_term(out, src, facet, term, &terms[facet.table()], suggest);
        }
    }
}

/// A `too-few-readers` error when a label set names fewer readers than its method takes.
fn too_few_readers(
    src: &Source,
    set: &LabelSet,
    method: &Term,
    readers: &Located<u64>,
) -> Option<Diagnostic> {
    let least = method.min_readers.filter(|&least| readers.value < least)?;
    let message = format!(
        "label set \"{}\" gives {} reader{}, but `{}` ({}) takes at least {least}",
        set.name,
        readers.value,
        if readers.value == 1 { "" } else { "s" },
        method.id,
        method.name
    );
    Some(
        Diagnostic::error(Code::TooFewReaders, src, readers.span.clone(), message).with_help(
            "check the number against the source; with one reader, name a method of single reading (e.g. `radiologist`)",
        ),
    )
}

/// A `readers-without-reading` error for each label set that gives `readers` while its method
/// is not a reading by people (a term of `[label_methods]` without `readers = true`).
fn readers_without_reading(
    out: &mut Vec<Diagnostic>,
    src: &Source,
    dataset: &Dataset,
    vocabulary: &Vocabulary,
) {
    let readings: Vec<&str> = vocabulary
        .label_methods
        .iter()
        .filter(|t| t.readers)
        .map(|t| t.id.as_str())
        .collect();
    for set in &dataset.label_sets {
        let Some(readers) = &set.readers else {
            continue;
        };
        let method = set.method.as_ref().map(|m| m.value.as_str());
        let term = method.and_then(|m| vocabulary.label_methods.iter().find(|t| t.id == m));
        if let Some(d) = term.and_then(|t| too_few_readers(src, set, t, readers)) {
            out.push(d);
            continue;
        }
        if method.is_some_and(|m| readings.contains(&m)) || (method.is_some() && term.is_none()) {
            continue;
        }
        let message = match method {
            Some(m) => format!(
                "label set \"{}\" gives `readers`, but its method `{m}` is not a reading by people",
                set.name
            ),
            None => format!(
                "label set \"{}\" gives `readers` but no `method` that readers take part in",
                set.name
            ),
        };
        let help = if readings.is_empty() {
            "remove `readers`; a method that readers take part in has `readers = true` in [label_methods] of content/vocabulary.toml".to_string()
        } else {
            format!(
                "remove `readers`, or name a method of readers: {}",
                readings.join(", ")
            )
        };
        out.push(
            Diagnostic::error(
                Code::ReadersWithoutReading,
                src,
                readers.span.clone(),
                message,
            )
            .with_help(help),
        );
    }
}

/// The terms of one vocabulary table: in file order, and as a set to look up.
struct Known<'a> {
    ids: Vec<&'a str>,
    set: HashSet<&'a str>,
}

impl<'a> From<Vec<&'a str>> for Known<'a> {
    fn from(ids: Vec<&'a str>) -> Self {
        let set = ids.iter().copied().collect();
        Known { ids, set }
    }
}

/// Terms a "use one of" help lists at most.
const MAX_LISTED: usize = 30;

/// Report a term not in the vocabulary. The search for the nearest term (`suggest`) is made for
/// the diagnostics a report shows, so that its cost does not multiply with their number.
fn unknown_term(
    out: &mut Vec<Diagnostic>,
    src: &Source,
    facet: Facet,
    term: &Located<String>,
    known: &Known,
    suggest: bool,
) {
    // A placeholder left by `medatlas new` is reported as such, once.
    // A missing or empty term is reported as such while parsing.
    if known.set.contains(term.value.as_str())
        || term.value.trim().is_empty()
        || term.value.contains(crate::parse::PLACEHOLDER)
    {
        return;
    }
    let table = facet.table();
    let near = suggest
        .then(|| nearest(&term.value, known.ids.iter().copied()))
        .flatten();
    let help = match near {
        Some(near) => format!("did you mean `{near}`?"),
        None if known.ids.is_empty() => format!(
            "content/vocabulary.toml lists no [{table}]: add the table with the terms entries may use, e.g. `{} = {{ name = \"...\" }}`",
            term.value
        ),
        None if known.ids.len() <= MAX_LISTED => format!(
            "use one of: {} (or add the term to [{table}] in content/vocabulary.toml)",
            known.ids.join(", ")
        ),
        None => format!("use a term of [{table}] in content/vocabulary.toml, or add it there"),
    };
    out.push(
        Diagnostic::error(
            Code::UnknownTerm,
            src,
            term.span.clone(),
            format!(
                "`{}` is not a term of [{table}] in vocabulary.toml",
                term.value
            ),
        )
        .with_help(help),
    );
}

fn unknown_dataset(
    out: &mut Vec<Diagnostic>,
    src: &Source,
    key: &str,
    slug: &Located<String>,
    slugs: &HashSet<&str>,
    suggest: bool,
) {
    // An empty slug is reported as such (`empty-value`) while parsing.
    if slugs.contains(slug.value.as_str()) || slug.value.trim().is_empty() {
        return;
    }
    let near = suggest
        .then(|| nearest(&slug.value, slugs.iter().copied()))
        .flatten();
    let help = match near {
        Some(near) => format!("did you mean `{near}`?"),
        None => "name the file stem of an entry in content/datasets/".into(),
    };
    out.push(
        Diagnostic::error(
            Code::UnknownDataset,
            src,
            slug.span.clone(),
            format!("`{key}` names `{}`, but no entry has that slug", slug.value),
        )
        .with_help(help),
    );
}

/// Declared numbers that disagree: they may be real (and explained in `known_issues`), so the
/// build goes on, but the page shows them as data notes.
fn number_warnings(dataset: &Dataset, src: &Source) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for table in &dataset.class_counts {
        let declared = dataset
            .sizes
            .exact(table.unit)
            .map(|n| (n, table.unit.as_str()));
        if let (Some(sizes), Some((declared, key))) = (&table.images, declared)
            && let Some(sum) = total(sizes.iter().copied())
            && sum != declared
        {
            let span = table.images_span.clone().unwrap_or(table.span.clone());
            out.push(
                Diagnostic::warning(
                    Code::SplitSumMismatch,
                    src,
                    span,
                    format!(
                        "the splits of \"{}\" sum to {} {key}, but `{key}` says {}",
                        table.title,
                        thousands(sum),
                        thousands(declared)
                    ),
                )
                .with_help("check both numbers against the source; explain a real difference in `known_issues`"),
            );
        }
        if table.multi_label == Some(false) {
            out.extend(single_label_sums(table, src));
        }
        if let Some(labels) = &dataset.labels
            && !table.labels.is_empty()
            && labels.value.len() != table.labels.len()
        {
            out.push(
                Diagnostic::warning(
                    Code::LabelCountMismatch,
                    src,
                    labels.span.clone(),
                    format!(
                        "`labels` names {} label{}, but the table \"{}\" holds {}",
                        labels.value.len(),
                        if labels.value.len() == 1 { "" } else { "s" },
                        table.title,
                        table.labels.len()
                    ),
                )
                .with_help(
                    "list the same label set in both, or explain the difference in `known_issues`",
                ),
            );
        }
    }
    out
}

fn single_label_sums(table: &ClassTable, src: &Source) -> Vec<Diagnostic> {
    let Some(sizes) = &table.images else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, (split, size)) in table.splits.iter().zip(sizes).enumerate() {
        let column = table
            .labels
            .iter()
            .filter_map(|(_, row)| row.get(i).copied());
        let Some(sum) = total(column) else {
            continue;
        };
        if sum != *size {
            out.push(
                Diagnostic::warning(
                    Code::SingleLabelSumMismatch,
                    src,
                    table.images_span.clone().unwrap_or(table.span.clone()),
                    format!(
                        "in \"{}\" (multi_label = false) the labels of split `{split}` sum to {}, but the split has {} {}",
                        table.title,
                        thousands(sum),
                        thousands(*size),
                        table.unit.as_str()
                    ),
                )
                .with_help("with one label per image the label counts of a split add up to its size: check the rows"),
            );
        }
    }
    out
}

/// Links in bodies to other entries' files (`other.md#labels`): the entry must exist, and a
/// fragment must name a section of its page.
fn entry_link_problems(catalog: &Catalog, sources: &[Source]) -> Vec<Diagnostic> {
    let mut by_slug: Option<HashMap<&str, &Dataset>> = None;
    let mut sections = Sections::default();
    let mut out = Vec::new();
    for dataset in &catalog.datasets {
        if dataset.entry_links.is_empty() {
            continue;
        }
        let by_slug = by_slug.get_or_insert_with(|| {
            catalog
                .datasets
                .iter()
                .map(|d| (d.slug.as_str(), d))
                .collect()
        });
        let src = &sources[dataset.source];
        let base = dataset.body_offset.unwrap_or(0);
        let before = out.len();
        for (dest, span) in &dataset.entry_links {
            let suggest = out.len() - before < MAX_SHOWN_PER_CODE;
            let span = if dataset.body_offset.is_some() {
                base + span.start..base + span.end
            } else {
                0..0
            };
            if let Some(problem) = link_problem(dest, by_slug, &mut sections, suggest) {
                out.push(
                    Diagnostic::error(Code::BrokenLink, src, span, problem.0).with_help(problem.1),
                );
            }
        }
    }
    out
}

/// The section ids of linked entries' pages, found once per entry however many links name it.
#[derive(Default)]
struct Sections<'c> {
    by_slug: HashMap<&'c str, (Vec<String>, HashSet<String>)>,
}

impl<'c> Sections<'c> {
    /// The ids of `target`'s page, in page order and as a set.
    fn of(&mut self, target: &'c Dataset) -> &(Vec<String>, HashSet<String>) {
        self.by_slug.entry(target.slug.as_str()).or_insert_with(|| {
            let mut ids: Vec<String> = crate::parse::markdown::heading_ids(&target.body);
            ids.extend(
                crate::common::slug::DATASET_PAGE_IDS
                    .iter()
                    .map(std::string::ToString::to_string),
            );
            ids.extend((1..=target.class_counts.len()).map(|n| format!("table-{n}")));
            let set = ids.iter().cloned().collect();
            (ids, set)
        })
    }
}

/// What is wrong with a link from one entry to another, and how to fix it. The nearest names
/// are searched for only when `suggest` (for the diagnostics a report shows).
fn link_problem<'c>(
    dest: &str,
    by_slug: &HashMap<&str, &'c Dataset>,
    sections: &mut Sections<'c>,
    suggest: bool,
) -> Option<(String, String)> {
    let (path, fragment) = dest
        .split_once('#')
        .map_or((dest, None), |(p, f)| (p, Some(f)));
    let Some(slug) = entry_slug(path) else {
        return Some((
            format!("link `{dest}` does not point at an entry in content/datasets/"),
            "link to another entry by its file name, e.g. `other-dataset.md` or `other-dataset.md#papers`".into(),
        ));
    };
    let Some(target) = by_slug.get(slug) else {
        let near = suggest
            .then(|| nearest(slug, by_slug.keys().copied()))
            .flatten();
        let help = match near {
            Some(near) => format!("did you mean `{near}.md`?"),
            None => "name the file of an entry in content/datasets/".into(),
        };
        return Some((format!("link `{dest}`: there is no entry `{slug}`"), help));
    };
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let (ids, set) = sections.of(target);
    if set.contains(fragment) {
        return None;
    }
    let near = suggest
        .then(|| nearest(fragment, ids.iter().map(String::as_str)))
        .flatten();
    let help = match near {
        Some(near) => format!("did you mean `#{near}`?"),
        None if ids.len() <= MAX_LISTED => format!("sections of that page: {}", ids.join(", ")),
        None => format!("link to a heading of the page of `{slug}`"),
    };
    Some((
        format!("link `{dest}`: the page of `{slug}` has no section `#{fragment}`"),
        help,
    ))
}

/// `other.md`, `./other.md` or `../datasets/other.md` (relative to content/datasets/): `other`.
fn entry_slug(path: &str) -> Option<&str> {
    let mut parts: Vec<&str> = vec!["content", "datasets"];
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    match parts.as_slice() {
        ["content", "datasets", file] => file
            .strip_suffix(".md")
            .or_else(|| file.strip_suffix(".toml")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::diagnostics::{Code, Diagnostic};
    use crate::pipeline::{Failure, Timings, check_catalog};

    const SITE: &str = "title = \"T\"\ndescription = \"D\"\n";
    const VOCABULARY: &str = "[modalities]\nx-ray = { name = \"X-ray\" }\nct = { name = \"CT\" }\n\
         [body_regions]\nchest = { name = \"Chest\" }\n\
         [tasks]\nclassification = { name = \"Classification\" }\nsegmentation = { name = \"Segmentation\" }\n\
         [access]\nopen = { name = \"Open\", description = \"Download.\" }\n\
         registration = { name = \"Registration\" }\n\
         [label_methods]\nnlp-reports = { name = \"NLP on reports\" }\n\
         consensus = { name = \"Consensus of readers\", min_readers = 2 }\n\
         [annotation_types]\nboxes = { name = \"Bounding boxes\" }\n";

    /// An entry: its fields at lines 2-10, `extra` TOML from line 11, a `## Method` heading at
    /// line `13 + extra lines`, and `Body.` two lines below it.
    fn entry(name: &str, extra: &str) -> String {
        format!(
            "+++\nname = \"{name}\"\nsummary = \"S.\"\npublisher = \"P\"\nhomepage = \"https://a.org\"\n\
             modalities = [\"x-ray\"]\nbody_regions = [\"chest\"]\ntasks = [\"classification\"]\n\
             access = \"open\"\nimages = 150\n{extra}+++\n\n## Method\n\nBody.\n"
        )
    }

    /// A class table at lines 11-17, splits of 100 and 50 images, labels `A` and `B`.
    const TABLE: &str = "[[class_counts]]\ntitle = \"Split\"\nsource = \"https://a.org/s\"\n\
         splits = [\"Train\", \"Test\"]\nimages = [100, 50]\n[class_counts.labels]\nA = [60, 30]\nB = [40, 20]\n";

    /// Check a catalog of `good.md`, `other.md` (`entry("Other", extra)` with `edits`) and
    /// `files`: every diagnostic, errors and warnings.
    fn check(edits: &[(&str, &str)], extra: &str, files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let dir = tempfile::tempdir().unwrap();
        let mut other = entry("Other", extra);
        for (from, to) in edits {
            assert!(other.contains(from), "{from}");
            other = other.replacen(from, to, 1);
        }
        let base = [
            ("content/site.toml", SITE),
            ("content/vocabulary.toml", VOCABULARY),
            ("content/datasets/good.md", &entry("Good", "")),
            ("content/datasets/other.md", &other),
        ];
        for (path, text) in base.iter().chain(files) {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        diagnostics(dir.path())
    }

    /// The diagnostics of a catalog, but numbers without a source (the entries here cite
    /// none; the parser's tests cover that warning).
    fn diagnostics(root: &Path) -> Vec<Diagnostic> {
        let mut found = match check_catalog(root, &mut Timings::default()) {
            Ok(checked) => checked.report.diagnostics,
            Err(Failure::Content(report)) => report.diagnostics,
            Err(other) => panic!("{other:?}"),
        };
        found.retain(|d| d.code != crate::diagnostics::Code::UnsourcedNumber);
        found
    }

    const OTHER: &str = "content/datasets/other.md";

    /// A lineage item at lines 11-14, relation at 12:12 and entry at 13:9, naming `godo`.
    const LINEAGE: &str =
        "[[lineage]]\nrelation = \"derived-from\"\nentry = \"godo\"\nhow = \"Crops.\"\n";

    /// `good.md` declaring itself a superset of `other`, at line 11.
    const GOOD_SUBSET: &str = "+++\nname = \"Good\"\nsummary = \"S.\"\npublisher = \"P\"\nhomepage = \"https://a.org\"\n\
         modalities = [\"x-ray\"]\nbody_regions = [\"chest\"]\ntasks = [\"classification\"]\naccess = \"open\"\n\
         images = 150\n[[lineage]]\nrelation = \"superset-of\"\nentry = \"other\"\nhow = \"All of it.\"\n+++\n\nBody.\n";

    /// `good.md` derived from `other`, at line 11.
    const GOOD_DERIVED: &str = "+++\nname = \"Good\"\nsummary = \"S.\"\npublisher = \"P\"\nhomepage = \"https://a.org\"\n\
         modalities = [\"x-ray\"]\nbody_regions = [\"chest\"]\ntasks = [\"classification\"]\naccess = \"open\"\n\
         images = 150\n[[lineage]]\nrelation = \"derived-from\"\nentry = \"other\"\nhow = \"Crops.\"\n+++\n\nBody.\n";

    /// `third.md`, a subset of `good`, at line 11.
    const THIRD: &str = "+++\nname = \"Third\"\nsummary = \"S.\"\npublisher = \"P\"\nhomepage = \"https://a.org\"\n\
         modalities = [\"x-ray\"]\nbody_regions = [\"chest\"]\ntasks = [\"classification\"]\naccess = \"open\"\n\
         images = 150\n[[lineage]]\nrelation = \"subset-of\"\nentry = \"good\"\nhow = \"Part.\"\n+++\n\nBody.\n";

    /// A vocabulary of the four facets every catalog has, without the optional ones.
    const VOCABULARY_FIRST_FOUR: &str = "[modalities]\nx-ray = { name = \"X-ray\" }\n\
         [body_regions]\nchest = { name = \"Chest\" }\n\
         [tasks]\nclassification = { name = \"Classification\" }\n\
         [access]\nopen = { name = \"Open\" }\n";

    /// A licence that asks for a data use agreement before download.
    const DUA_LICENCE: &str = "[dua]\nname = \"A DUA\"\ncommercial = \"no\"\nredistribution = \"no\"\n\
         derivatives = \"no\"\nattribution = \"yes\"\nshare_alike = \"no\"\nagreement = \"dua\"\n";

    /// The same licence asking nothing before download.
    const FREE_LICENCE: &str = "[dua]\nname = \"A DUA\"\ncommercial = \"no\"\nredistribution = \"no\"\n\
         derivatives = \"no\"\nattribution = \"yes\"\nshare_alike = \"no\"\nagreement = \"none\"\n";

    /// (edits of `other.md`, extra TOML, other files, code, path, line, column, part of the
    /// message or help): each gives exactly that one diagnostic.
    type Row = (
        &'static [(&'static str, &'static str)],
        &'static str,
        &'static [(&'static str, &'static str)],
        Code,
        &'static str,
        usize,
        usize,
        &'static str,
    );

    #[rustfmt::skip]
    const ROWS: &[Row] = &[
        (&[("[\"x-ray\"]", "[\"xray\"]")], "", &[], Code::UnknownTerm, OTHER, 6, 15,
         "`xray` is not a term of [modalities] in vocabulary.toml did you mean `x-ray`?"),
        (&[("\"open\"", "\"opne\"")], "", &[], Code::UnknownTerm, OTHER, 9, 10, "[access] in vocabulary.toml did you mean `open`?"),
        (&[("[\"classification\"]", "[\"zzzz\"]")], "", &[], Code::UnknownTerm, OTHER, 8, 10,
         "use one of: classification, segmentation (or add the term to [tasks] in content/vocabulary.toml)"),
        (&[], "related = [\"godo\"]\n", &[], Code::UnknownDataset, OTHER, 11, 12,
         "`related` names `godo`, but no entry has that slug did you mean `good`?"),
        (&[], "related = [\"nothing-like-it\"]\n", &[], Code::UnknownDataset, OTHER, 11, 12,
         "name the file stem of an entry in content/datasets/"),
        (&[], "", &[("content/tasks.toml", "[[tasks]]\ntitle = \"T\"\ndataset = \"othr\"\n")], Code::UnknownDataset,
         "content/tasks.toml", 3, 11, "`dataset` names `othr`, but no entry has that slug did you mean `other`?"),
        (&[("Body.", "See [it](gone.md).")], "", &[], Code::BrokenLink, OTHER, 15, 10,
         "link `gone.md`: there is no entry `gone`"),
        (&[("Body.", "See [it](../datasets/godo.md).")], "", &[], Code::BrokenLink, OTHER, 15, 10, "did you mean `good.md`?"),
        (&[("Body.", "See [it](good.md#metod).")], "", &[], Code::BrokenLink, OTHER, 15, 10,
         "link `good.md#metod`: the page of `good` has no section `#metod` did you mean `#method`?"),
        (&[("Body.", "See [it](../site.md).")], "", &[], Code::BrokenLink, OTHER, 15, 10,
         "does not point at an entry in content/datasets/"),
        (&[], "", &[("content/datasets/other.toml", "name = \"Other TOML\"\nsummary = \"S.\"\npublisher = \"P\"\n\
            homepage = \"https://a.org\"\nmodalities = [\"x-ray\"]\nbody_regions = [\"chest\"]\n\
            tasks = [\"classification\"]\naccess = \"open\"\n")],
         Code::DuplicateSlug, "content/datasets/other.toml", 1, 1, "slug `other` is already used by content/datasets/other.md"),
        (&[("images = [100, 50]", "images = [100, 40]"), ("[60, 30]", "[60, 20]")], TABLE, &[],
         Code::SplitSumMismatch, OTHER, 15, 10, "the splits of \"Split\" sum to 140 images, but `images` says 150"),
        (&[("[class_counts.labels]", "multi_label = false\n[class_counts.labels]"), ("[60, 30]", "[60, 29]")], TABLE, &[],
         Code::SingleLabelSumMismatch, OTHER, 15, 10, "the labels of split `Test` sum to 49, but the split has 50 images"),
        (&[], LINEAGE, &[], Code::UnknownDataset, OTHER, 13, 9,
         "`[[lineage]] entry` names `godo`, but no entry has that slug did you mean `good`?"),
        (&[("\"godo\"", "\"good\"")], LINEAGE, &[("content/datasets/good.md", GOOD_SUBSET)],
         Code::LineageBothSides, "content/datasets/good.md", 13, 9,
         "declared in both entries: here (`superset-of`) and at content/datasets/other.md:11 (`derived-from`) \
          remove this `[[lineage]]` item: the page of `good` shows the reverse side"),
        (&[("\"godo\"", "\"good\""), ("\"derived-from\"", "\"shares-images\"")], LINEAGE,
         &[("content/datasets/good.md", GOOD_SUBSET)], Code::LineageBothSides, OTHER, 13, 9,
         "here (`shares-images`) and at content/datasets/good.md:11 (`superset-of`)"),
        (&[("\"godo\"", "\"good\""), ("\"derived-from\"", "\"superset-of\"")], LINEAGE,
         &[("content/datasets/good.md", GOOD_SUBSET)], Code::ContradictoryLineage, OTHER, 12, 12,
         "each cannot hold the other's data"),
        (&[("\"godo\"", "\"good\""), ("\"derived-from\"", "\"subset-of\"")], LINEAGE,
         &[("content/datasets/good.md", GOOD_DERIVED)], Code::ContradictoryLineage, OTHER, 12, 12,
         "`other` is `subset-of` `good`, but content/datasets/good.md:11 says `good` is `derived-from` `other`"),
        (&[("\"godo\"", "\"third\"")], LINEAGE,
         &[("content/datasets/good.md", GOOD_DERIVED), ("content/datasets/third.md", THIRD)],
         Code::ContradictoryLineage, "content/datasets/third.md", 12, 12,
         "closes a loop: `good` → `other` → `third` → `good`"),
        (&[("images = 150\n", "images = 150\nlabels = [\"A\", \"B\", \"C\"]\n")], TABLE, &[],
         Code::LabelCountMismatch, OTHER, 11, 10, "`labels` names 3 labels, but the table \"Split\" holds 2"),
        (&[], "[[label_sets]]\nname = \"L\"\nmethod = \"x\"\n", &[("content/vocabulary.toml", VOCABULARY_FIRST_FOUR)],
         Code::UnknownTerm, OTHER, 13, 10, "content/vocabulary.toml lists no [label_methods]: add the table"),
        (&[], "[[label_sets]]\nname = \"L\"\nmethod = \"consensu\"\n", &[], Code::UnknownTerm, OTHER, 13, 10,
         "`consensu` is not a term of [label_methods] in vocabulary.toml did you mean `consensus`?"),
        (&[], "[[label_sets]]\nname = \"L\"\nannotations = [\"box\"]\n", &[], Code::UnknownTerm, OTHER, 13, 16,
         "[annotation_types] in vocabulary.toml did you mean `boxes`?"),
        (&[], "[[label_sets]]\nname = \"L\"\nmethod = \"nlp-reports\"\nreaders = 2\n", &[], Code::ReadersWithoutReading,
         OTHER, 14, 11, "its method `nlp-reports` is not a reading by people remove `readers`, or name a method of readers: consensus"),
        (&[], "[[label_sets]]\nname = \"L\"\nreaders = 2\n", &[], Code::ReadersWithoutReading, OTHER, 13, 11,
         "gives `readers` but no `method`"),
        (&[], "[[label_sets]]\nname = \"L\"\nmethod = \"consensus\"\nreaders = 1\n", &[], Code::TooFewReaders, OTHER, 14, 11,
         "label set \"L\" gives 1 reader, but `consensus` (Consensus of readers) takes at least 2"),
        (&[("\"open\"", "\"registration\""), ("images = 150", "images = 150\nlicense = \"dua\"")],
         "[[access_steps]]\nstep = \"account\"\nwhat = \"Register.\"\nurl = \"https://a.org/r\"\n",
         &[("content/licenses.toml", DUA_LICENCE)], Code::AccessContradiction, OTHER, 13, 8,
         "the licence `dua` asks for a data use agreement, but no `agreement` step says where to sign it"),
        (&[("\"open\"", "\"registration\""), ("images = 150", "images = 150\nlicense = \"dua\"")],
         "[[access_steps]]\nstep = \"request\"\nwhat = \"Ask.\"\nurl = \"https://a.org/r\"\n",
         &[("content/licenses.toml", FREE_LICENCE)], Code::AccessContradiction, OTHER, 13, 8,
         "the `request` step contradicts the licence `dua`, which asks nothing before download"),
    ];

    #[test]
    fn each_cross_file_check_reports_one_located_diagnostic() {
        for &(edits, extra, files, code, path, line, column, part) in ROWS {
            let found = check(edits, extra, files);
            let shown: Vec<String> = found.iter().map(Diagnostic::headline).collect();
            assert_eq!(found.len(), 1, "{code}: {shown:#?}");
            let d = &found[0];
            let said = format!("{} {}", d.message, d.help.as_deref().unwrap_or_default());
            let at = (d.code, d.path.as_str(), d.line, d.column);
            assert_eq!(at, (code, path, line, column), "{said}");
            assert!(said.contains(part), "{code}: `{part}` not in {said}");
        }
    }

    /// What the checks accept: links to entries, their headings and the page's own sections,
    /// a checklist naming an entry, numbers that agree.
    #[test]
    fn a_consistent_catalog_has_no_diagnostic() {
        let body = "See [a](good.md), [b](./good.md#method), [c](../datasets/good.md#papers), [d](other.md#table-1).";
        let tasks = [(
            "content/tasks.toml",
            "[[tasks]]\ntitle = \"T\"\ndataset = \"good\"\n",
        )];
        let found = check(
            &[
                ("Body.", body),
                ("[\"chest\"]", "[\"chest\"]\nrelated = [\"good\"]"),
            ],
            TABLE,
            &tasks,
        );
        let shown: Vec<String> = found.iter().map(Diagnostic::headline).collect();
        assert!(shown.is_empty(), "{shown:#?}");
    }
}
