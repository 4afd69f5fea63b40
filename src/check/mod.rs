//! Check: what can only be judged with the whole catalog in hand.
//!
//! Terms against the vocabulary, `related` and checklist slugs against the entries, names
//! used by two entries ([`names`]), labels near a finding of labels.toml ([`labels`]), and the
//! warnings about declared numbers that disagree with each other. File-local checks happen while
//! parsing ([`crate::parse`]); this stage runs once the catalog is assembled.

mod labels;
mod names;

use std::collections::{HashMap, HashSet};

use crate::diagnostics::MAX_SHOWN_PER_CODE;

use crate::common::number::{thousands, total};
use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::*;
use crate::parse::fields::nearest;

/// Every cross-file error and every warning of a parsed catalog.
/// `slugs` are those of every entry file (also the ones that failed to parse), so that a broken
/// entry does not make every `related` link to it an error too. Terms are checked only when the
/// vocabulary parsed (`vocabulary_ok`).
pub(crate) fn check(
    catalog: &Catalog,
    sources: &[Source],
    tasks_source: Option<SourceId>,
    slugs: &HashSet<&str>,
    vocabulary_ok: bool,
) -> Vec<Diagnostic> {
    let terms = known_terms(catalog);
    let mut out = Vec::new();
    for dataset in &catalog.datasets {
        let src = &sources[dataset.source];
        if vocabulary_ok {
            unknown_terms(&mut out, src, dataset, &terms);
        }
        let before = out.len();
        for related in &dataset.related {
            let suggest = out.len() - before < MAX_SHOWN_PER_CODE;
            unknown_dataset(&mut out, src, "related", related, slugs, suggest);
        }
        out.extend(number_warnings(dataset, src));
    }
    out.extend(entry_link_problems(catalog, sources));
    out.extend(names::duplicate_names(catalog, sources));
    out.extend(labels::unknown_labels(catalog, sources));
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

/// The terms of each vocabulary table, by the table's name.
fn known_terms(catalog: &Catalog) -> HashMap<&'static str, Known<'_>> {
    [
        Facet::Modality,
        Facet::BodyRegion,
        Facet::Task,
        Facet::Access,
    ]
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
    if slugs.contains(slug.value.as_str()) {
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
        let declared = match table.unit {
            Unit::Images => dataset.images.map(|n| (n, "images")),
            Unit::Patients => dataset.patients.map(|n| (n, "patients")),
            Unit::Studies => None,
        };
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

/// Section ids of the default dataset page, besides the body's headings and `table-N`.
const PAGE_IDS: &[&str] = &[
    "known-issues",
    "data-notes",
    "facts",
    "class-counts",
    "description",
    "papers",
    "related",
    "main",
];

/// Links in bodies to other entries' files (`other.md#labels`): the entry must exist, and a
/// fragment must name a section of its page.
fn entry_link_problems(catalog: &Catalog, sources: &[Source]) -> Vec<Diagnostic> {
    let mut by_slug: Option<HashMap<&str, &Dataset>> = None;
    let mut sections = Sections::default();
    let mut out = Vec::new();
    for dataset in &catalog.datasets {
        if !(dataset.body.contains(".md") || dataset.body.contains(".toml")) {
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
            ids.extend(PAGE_IDS.iter().map(std::string::ToString::to_string));
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
