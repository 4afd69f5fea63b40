//! Labels: a label of an entry that labels.toml lacks (as a finding's name, synonym or
//! `related` label) while it names a close spelling (`Cardiomegally` for `Cardiomegaly`) is
//! probably a typo; a warning names the match.

use std::collections::HashSet;
use std::ops::Range;

use crate::common::label::normalize;
use crate::common::source::Source;
use crate::diagnostics::{Code, Diagnostic, MAX_SHOWN_PER_CODE};
use crate::model::{Catalog, Dataset};

/// An `unknown-label` warning for each label of `labels` or of a class table that is not a
/// name or synonym of labels.toml while one is close to it.
pub(crate) fn unknown_labels(catalog: &Catalog, sources: &[Source]) -> Vec<Diagnostic> {
    let names: Vec<&str> = catalog
        .findings
        .iter()
        .flat_map(|f| std::iter::once(&f.name).chain(&f.synonyms))
        .map(String::as_str)
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    // A label a finding lists as `related` is known too: labels.toml says what it overlaps.
    let known: HashSet<String> = names
        .iter()
        .copied()
        .chain(
            catalog
                .findings
                .iter()
                .flat_map(|f| &f.related)
                .map(String::as_str),
        )
        .map(normalize)
        .collect();
    let mut out = Vec::new();
    for dataset in &catalog.datasets {
        let src = &sources[dataset.source];
        let before = out.len();
        for (label, span) in labels_of(dataset, src) {
            if out.len() - before >= MAX_SHOWN_PER_CODE || known.contains(&normalize(label)) {
                continue;
            }
            if let Some(near) = close_label(label, &names) {
                out.push(
                    Diagnostic::warning(
                        Code::UnknownLabel,
                        src,
                        span,
                        format!("label `{label}` is not in labels.toml"),
                    )
                    .with_help(format!(
                        "did you mean `{near}`? (or add `{label}` to content/labels.toml as a finding or a synonym)"
                    )),
                );
            }
        }
    }
    out
}

/// The name of labels.toml that `label` is most likely a misspelling of: at most two edits
/// away, and one edit per six characters (so that `Mass` does not become `Masses`).
pub(crate) fn close_label<'n>(label: &str, names: &[&'n str]) -> Option<&'n str> {
    let label = normalize(label);
    if label.len() > 256 {
        return None;
    }
    names
        .iter()
        .map(|name| (strsim::levenshtein(&label, &normalize(name)), *name))
        .filter(|(edits, _)| *edits > 0 && *edits <= 2 && edits * 6 <= label.chars().count())
        .min_by_key(|(edits, _)| *edits)
        .map(|(_, name)| name)
}

/// Every label an entry names, with where it is written.
fn labels_of<'d>(dataset: &'d Dataset, src: &Source) -> Vec<(&'d str, Range<usize>)> {
    let mut out = Vec::new();
    if let Some(labels) = &dataset.labels {
        for label in &labels.value {
            let quoted = format!("\"{label}\"");
            out.push((label.as_str(), find_in(src, &labels.span, &quoted)));
        }
    }
    for table in &dataset.class_counts {
        for (label, _) in &table.labels {
            out.push((label.as_str(), label_key(src, &table.span, label)));
        }
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
