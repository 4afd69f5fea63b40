//! Derive, for the dataset page and the comparison: how to get a dataset (its access steps and
//! where the files are) and how it was labelled (each label set's method in plain words and
//! what it annotates).

use serde::Serialize;

use crate::derive::{SiteData, TermView};
use crate::model::{Dataset, Facet, LabelSet};
use crate::parse::markdown;

/// One access step as the page lists it.
#[derive(Debug, Serialize)]
pub(crate) struct StepView {
    /// "Complete training".
    pub(crate) title: &'static str,
    /// Rendered inline Markdown.
    pub(crate) what: String,
    pub(crate) url: Option<String>,
}

/// One place the files are.
#[derive(Debug, Serialize)]
pub(crate) struct DownloadView {
    /// "Portal", "Cloud bucket", ...
    pub(crate) kind: &'static str,
    pub(crate) url: String,
    /// Whether the address opens in a browser (http or https); a bucket's `s3://` does not.
    pub(crate) link: bool,
    /// Rendered inline Markdown.
    pub(crate) what: Option<String>,
}

/// One label set: its method in plain words and what it annotates.
#[derive(Debug, Serialize)]
pub(crate) struct LabelSetView {
    pub(crate) name: String,
    /// "Consensus of readers (3 readers)".
    pub(crate) method: Option<String>,
    /// The method's term page.
    pub(crate) method_href: Option<String>,
    pub(crate) annotations: Vec<TermView>,
    /// Rendered inline Markdown.
    pub(crate) how: Option<String>,
}

pub(crate) fn steps(d: &Dataset) -> Vec<StepView> {
    d.access_steps
        .iter()
        .map(|s| StepView {
            title: s.step.title(),
            what: markdown::render_inline(&s.what),
            url: s.url.clone(),
        })
        .collect()
}

pub(crate) fn downloads(d: &Dataset) -> Vec<DownloadView> {
    d.downloads
        .iter()
        .map(|f| DownloadView {
            kind: f.kind.title(),
            link: crate::parse::is_http_url(&f.url),
            url: f.url.clone(),
            what: f.what.as_deref().map(markdown::render_inline),
        })
        .collect()
}

/// A label set's method in plain words: the term's name, with the number of readers where
/// the entry gives it.
fn method_text(set: &LabelSet, data: &SiteData) -> Option<String> {
    let name = data
        .term(Facet::LabelMethod, &set.method.as_ref()?.value)
        .name;
    Some(match &set.readers {
        Some(n) if n.value == 1 => format!("{name} (1 reader)"),
        Some(n) => format!("{name} ({} readers)", n.value),
        None => name,
    })
}

pub(crate) fn label_sets(d: &Dataset, data: &SiteData) -> Vec<LabelSetView> {
    d.label_sets
        .iter()
        .map(|set| LabelSetView {
            name: set.name.clone(),
            method: method_text(set, data),
            method_href: set
                .method
                .as_ref()
                .map(|m| data.term(Facet::LabelMethod, &m.value).href),
            annotations: set
                .annotations
                .iter()
                .map(|a| data.term(Facet::AnnotationType, &a.value))
                .collect(),
            how: set.how.as_deref().map(markdown::render_inline),
        })
        .collect()
}

/// The steps in order, in words: "Create an account → Complete training".
pub(crate) fn steps_text(d: &Dataset) -> String {
    let steps: Vec<&str> = d.access_steps.iter().map(|s| s.step.title()).collect();
    steps.join(" → ")
}

/// The steps' kinds, for `catalog.csv`: "account; training; agreement".
pub(crate) fn steps_csv(d: &Dataset) -> String {
    let steps: Vec<&str> = d.access_steps.iter().map(|s| s.step.as_str()).collect();
    steps.join("; ")
}

/// The places of the files, in words: "Portal; Kaggle".
pub(crate) fn downloads_text(d: &Dataset, separator: &str) -> String {
    let kinds: Vec<&str> = d.downloads.iter().map(|f| f.kind.title()).collect();
    kinds.join(separator)
}

/// The download addresses, for `catalog.csv`.
pub(crate) fn downloads_csv(d: &Dataset) -> String {
    let urls: Vec<&str> = d.downloads.iter().map(|f| f.url.as_str()).collect();
    urls.join("; ")
}

/// Each label set's method in plain words, for the comparison: "14 findings: NLP on reports".
pub(crate) fn methods_text(d: &Dataset, data: &SiteData) -> String {
    let sets: Vec<String> = d
        .label_sets
        .iter()
        .filter_map(|set| method_text(set, data).map(|m| format!("{}: {m}", set.name)))
        .collect();
    sets.join("; ")
}

#[cfg(test)]
mod tests {
    use crate::model::{DownloadKind, StepKind};

    #[test]
    fn every_kind_has_a_title() {
        assert!(StepKind::ALL.iter().all(|(_, k, _)| !k.title().is_empty()));
        assert!(
            DownloadKind::ALL
                .iter()
                .all(|(_, k, _)| !k.title().is_empty())
        );
        assert_eq!(
            StepKind::named("training").map(StepKind::as_str),
            Some("training")
        );
    }
}
