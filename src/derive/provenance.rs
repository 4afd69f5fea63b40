//! Provenance as the dataset page shows it: the small numbered link beside each number to the
//! paper or source that states it, the list of sources that are not papers, and the date the
//! numbers were last checked.
//!
//! Papers are numbered 1 to P in their order, `[[sources]]` items P + 1 onwards; item N of the
//! page's lists has the id `ref-N`, which the links beside the numbers name.

use serde::Serialize;

use crate::model::{Dataset, Date, Size};

/// A link beside a number to the item of the Papers or Sources list that states it.
#[derive(Debug, Serialize, Clone)]
pub(crate) struct RefMark {
    /// Its number in the lists, as the link reads.
    pub(crate) n: usize,
    /// The list item's id.
    pub(crate) id: String,
    /// The item's title, for the link's tooltip.
    pub(crate) title: String,
    /// A survey, benchmark or mirror reporting others' numbers.
    pub(crate) secondary: bool,
}

/// Every paper and source of an entry in list order: (title, numbers it states, secondary).
fn items(d: &Dataset) -> impl Iterator<Item = (&str, &[String], bool)> {
    d.papers
        .iter()
        .map(|p| (p.title.as_str(), p.numbers.as_slice(), p.secondary))
        .chain(
            d.sources
                .iter()
                .map(|s| (s.title.as_str(), s.numbers.as_slice(), s.secondary)),
        )
}

/// The id of item `n` of the lists.
pub(crate) fn id(n: usize) -> String {
    format!("ref-{n}")
}

/// The links beside the number `key` (`images`, `download_bytes`...).
pub(crate) fn marks(d: &Dataset, key: &str) -> Vec<RefMark> {
    items(d)
        .enumerate()
        .filter(|(_, (_, numbers, _))| numbers.iter().any(|n| n == key))
        .map(|(i, (title, _, secondary))| RefMark {
            n: i + 1,
            id: id(i + 1),
            title: title.to_string(),
            secondary,
        })
        .collect()
}

/// Whether a size has a number that needs a source ("not stated" has none).
pub(crate) fn needs_source(size: Option<Size>) -> bool {
    size.is_some_and(|s| s != Size::NotStated)
}

/// One `[[sources]]` item of the page's Sources list.
#[derive(Debug, Serialize)]
pub(crate) struct SourceView {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) url: String,
    /// The numbers it states, as the page names them: "images, patients".
    pub(crate) numbers: String,
    pub(crate) secondary: bool,
}

/// The `[[sources]]` items of an entry, numbered after its papers.
pub(crate) fn sources(d: &Dataset) -> Vec<SourceView> {
    d.sources
        .iter()
        .enumerate()
        .map(|(i, s)| SourceView {
            id: id(d.papers.len() + i + 1),
            title: s.title.clone(),
            url: s.url.clone(),
            numbers: names(&s.numbers),
            secondary: s.secondary,
        })
        .collect()
}

/// Keys of numbers as the page names them: "images, download size".
pub(crate) fn names(keys: &[String]) -> String {
    keys.iter()
        .map(|k| {
            if k == "download_bytes" {
                "download size"
            } else {
                k.as_str()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// When the numbers were last checked: the date as written and as read.
#[derive(Debug, Serialize)]
pub(crate) struct CheckedView {
    /// `2026-11-20`, for `<time datetime>`.
    pub(crate) iso: String,
    /// `20 November 2026`.
    pub(crate) text: String,
}

impl From<Date> for CheckedView {
    fn from(date: Date) -> Self {
        CheckedView {
            iso: date.iso(),
            text: date.long(),
        }
    }
}

/// How the comparison and the CSV name the check: "20 November 2026" or "not yet checked".
pub(crate) fn checked_text(d: &Dataset) -> String {
    d.checked
        .map_or_else(|| "not yet checked".into(), Date::long)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_words() {
        let date = Date {
            year: 2026,
            month: 11,
            day: 20,
        };
        assert_eq!(date.iso(), "2026-11-20");
        assert_eq!(date.long(), "20 November 2026");
        assert_eq!(
            names(&["images".into(), "download_bytes".into()]),
            "images, download size"
        );
    }
}
