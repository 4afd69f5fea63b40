//! Labels: a label of an entry that labels.toml lacks (as a finding's name, synonym or
//! `related` label) while it names a close spelling (`Cardiomegally` for `Cardiomegaly`) is
//! probably a typo; a warning names the match. A label that is no finding's name or synonym but
//! would take a finding's id (`Pleural-Effusion!` for "Pleural Effusion") is an error: the label
//! facet and the matrix would show the two as one.

use std::collections::HashSet;

use ahash::AHashMap;
use std::ops::Range;

use crate::common::label::normalize;
use crate::common::slug::label_id;
use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic, MAX_SHOWN_PER_CODE};
use crate::model::{Catalog, Dataset};

/// What labels are judged against: the names and synonyms of labels.toml with their normal
/// forms, and every normal form it knows.
pub(super) struct Judge<'c> {
    names: Vec<(&'c str, String)>,
    known: HashSet<String>,
    /// The normal forms of the findings' names and synonyms.
    spellings: HashSet<String>,
    /// The findings' ids (of their names), with the name.
    ids: AHashMap<String, &'c str>,
}

/// Verdicts already given (in one worker's share of a run), by the label as written, then by
/// its normal form: most labels repeat across entries, so most are judged by one lookup
/// without allocating.
#[derive(Default)]
pub(super) struct Memo<'d> {
    written: AHashMap<&'d str, Option<usize>>,
    verdicts: AHashMap<String, Option<usize>>,
    /// By the label as written: the id it would take from a finding, and that finding's name.
    collisions: AHashMap<&'d str, Option<(String, String)>>,
}

impl<'c> Judge<'c> {
    pub(super) fn new(catalog: &'c Catalog) -> Self {
        let names: Vec<(&str, String)> = catalog
            .findings
            .iter()
            .flat_map(|f| std::iter::once(&f.name).chain(&f.synonyms))
            .map(|name| (name.as_str(), normalize(name)))
            .collect();
        // A label a finding lists as `related` is known too: labels.toml says what it overlaps.
        let known: HashSet<String> = names
            .iter()
            .map(|(_, normal)| normal.clone())
            .chain(
                catalog
                    .findings
                    .iter()
                    .flat_map(|f| &f.related)
                    .map(|r| normalize(r)),
            )
            .collect();
        let spellings = names.iter().map(|(_, normal)| normal.clone()).collect();
        let ids = catalog
            .findings
            .iter()
            .map(|f| (label_id(&f.name), f.name.as_str()))
            .collect();
        Judge {
            names,
            known,
            spellings,
            ids,
        }
    }

    /// A `label-id-collision` error for each label of the entry that is no finding's name or
    /// synonym while its id is a finding's.
    pub(super) fn colliding_labels<'d>(
        &self,
        out: &mut Vec<Diagnostic>,
        src: &Source,
        dataset: &'d Dataset,
        memo: &mut Memo<'d>,
    ) {
        for (label, place) in labels_of(dataset) {
            let finding = memo.collisions.entry(label).or_insert_with(|| {
                let normal = normalize(label);
                if self.spellings.contains(&normal) {
                    return None;
                }
                let id = label_id(label);
                let finding = self.ids.get(&id)?.to_string();
                Some((id, finding))
            });
            if let Some((id, finding)) = finding {
                out.push(
                    Diagnostic::error(
                        Code::LabelIdCollision,
                        src,
                        place.span(src, label),
                        format!(
                            "label `{label}` would have the id `{id}` of the finding `{finding}` \
                             without being that finding: the label facet and the label matrix \
                             would show the two as one"
                        ),
                    )
                    .with_help(format!(
                        "if it is the same finding, add `{label}` to its `synonyms` in \
                         content/labels.toml; otherwise name it so that its letters and digits differ"
                    )),
                );
            }
        }
    }

    /// An `unknown-label` warning for each label of the entry's `labels` or class tables that
    /// is not a name or synonym of labels.toml while one is close to it. A label's place in
    /// its file is looked up only for a warning.
    pub(super) fn unknown_labels<'d>(
        &self,
        out: &mut Vec<Diagnostic>,
        src: &Source,
        dataset: &'d Dataset,
        memo: &mut Memo<'d>,
    ) {
        if self.names.is_empty() {
            return;
        }
        let mut shown = 0;
        for (label, place) in labels_of(dataset) {
            if shown >= MAX_SHOWN_PER_CODE {
                break;
            }
            let Memo {
                written, verdicts, ..
            } = memo;
            let near = *written.entry(label).or_insert_with(|| {
                *verdicts
                    .entry(normalize(label))
                    .or_insert_with_key(|normal| {
                        (!self.known.contains(normal))
                            .then(|| closest(normal, &self.names))
                            .flatten()
                    })
            });
            if let Some(near) = near {
                shown += 1;
                let near = self.names[near].0;
                out.push(unknown_label(src, label, place.span(src, label), near));
            }
        }
    }
}

fn unknown_label(src: &Source, label: &str, span: Range<usize>, near: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::UnknownLabel,
        src,
        span,
        format!("label `{label}` is not in labels.toml"),
    )
    .with_help(format!(
        "did you mean `{near}`? (or add `{label}` to content/labels.toml as a finding or a synonym)"
    ))
}

/// The name of labels.toml that `label` is most likely a misspelling of: at most two edits
/// away, and one edit per six characters (so that `Mass` does not become `Masses`).
#[cfg(test)]
pub(crate) fn close_label<'n>(label: &str, names: &[&'n str]) -> Option<&'n str> {
    let names: Vec<(&str, String)> = names.iter().map(|n| (*n, normalize(n))).collect();
    closest(&normalize(label), &names).map(|i| names[i].0)
}

/// `close_label` for a normalised label and names given with their normal forms: the
/// position of the name.
fn closest(label: &str, names: &[(&str, String)]) -> Option<usize> {
    let length = label.chars().count();
    if label.len() > 256 {
        return None;
    }
    names
        .iter()
        .enumerate()
        // Two edits change the length by at most two: most names are ruled out unmeasured.
        .filter(|(_, (_, normal))| normal.chars().count().abs_diff(length) <= 2)
        .map(|(i, (_, normal))| (strsim::levenshtein(label, normal), i))
        .filter(|(edits, _)| *edits > 0 && *edits <= 2 && edits * 6 <= length)
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, i)| i)
}

/// Where a label is written: in the entry's `labels` list, or as a row of a class table.
enum Place<'d> {
    List(&'d Range<usize>),
    Table(&'d Range<usize>),
}

impl Place<'_> {
    fn span(&self, src: &Source, label: &str) -> Range<usize> {
        match self {
            Place::List(list) => find_in(src, list, &format!("\"{label}\"")),
            Place::Table(table) => label_key(src, table, label),
        }
    }
}

/// Every label an entry names, with where it is written.
fn labels_of(dataset: &Dataset) -> Vec<(&str, Place<'_>)> {
    let mut out = Vec::new();
    if let Some(labels) = &dataset.labels {
        out.extend(
            labels
                .value
                .iter()
                .map(|l| (l.as_str(), Place::List(&labels.span))),
        );
    }
    for table in &dataset.class_counts {
        out.extend(
            table
                .labels
                .iter()
                .map(|(l, _)| (l.as_str(), Place::Table(&table.span))),
        );
    }
    out
}

/// The span of `needle` in `src` within `within`, or `within` itself.
fn find_in(src: &Source, within: &Range<usize>, needle: &str) -> Range<usize> {
    src.text
        .get(within.clone())
        .and_then(|text| text.find(needle))
        .map_or(within.clone(), |at| {
            within.start + at..within.start + at + needle.len()
        })
}

/// The span of the key of `label`'s row in the class table whose header starts at `table`:
/// the first line setting it before the next `[[...]]` header (the header itself when none).
fn label_key(src: &Source, table: &Range<usize>, label: &str) -> Range<usize> {
    let Some(text) = src.text.get(table.start..) else {
        return table.clone();
    };
    let mut offset = table.start;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_start();
        if i > 0 && trimmed.starts_with("[[") {
            break;
        }
        let key = trimmed.split('=').next().unwrap_or_default().trim_end();
        if trimmed.contains('=') && key.trim_matches(|c| c == '"' || c == '\'') == label {
            let start = offset + (line.len() - trimmed.len());
            return start..start + key.len();
        }
        offset += line.len();
    }
    table.clone()
}

#[cfg(test)]
mod tests {
    use super::close_label;

    #[test]
    fn labels_close_to_a_finding_are_matched() {
        let names = [
            "Cardiomegaly",
            "Pleural Effusion",
            "Effusion",
            "Pneumothorax",
            "Mass",
        ];
        for (label, expected) in [
            ("Cardiomegally", Some("Cardiomegaly")),
            ("cardiomegaly", None),
            ("Pleural_Efusion", Some("Pleural Effusion")),
            ("Effusions", Some("Effusion")),
            ("Pneumonia", None),
            ("Masses", None),
            ("Mas", None),
            ("No Finding", None),
        ] {
            assert_eq!(close_label(label, &names), expected, "{label}");
        }
    }
}
