//! Versions and demographics as the pages show them: the table of published versions with the
//! one the entry's numbers describe marked, and per `[[demographics]]` table the sex counts with
//! their percent of the split and the ages; short texts for compare.

use serde::Serialize;

use crate::common::number::{percent, thousands, total};
use crate::derive::size::with_unit;
use crate::model::{Dataset, Decimal, Demographics, Version};
use crate::parse::markdown;

/// One row of the Versions table.
#[derive(Debug, Serialize)]
pub(crate) struct VersionView {
    pub(crate) version: String,
    pub(crate) date: Option<String>,
    pub(crate) doi: Option<String>,
    /// "377,110 images · 65,379 patients".
    pub(crate) counts: String,
    /// Rendered inline HTML.
    pub(crate) changes: Option<String>,
    pub(crate) source: String,
    /// The version the entry's numbers describe.
    pub(crate) current: bool,
}

/// The counts of a version, joined: "377,110 images · 65,379 patients".
fn counts_text(v: &Version) -> String {
    v.counts
        .iter()
        .map(|&(unit, size)| with_unit(unit, size))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The Versions table of a dataset page, in the entry's order (newest first).
pub(crate) fn version_views(d: &Dataset) -> Vec<VersionView> {
    d.versions
        .iter()
        .map(|v| VersionView {
            version: v.version.clone(),
            date: v.date.map(|date| date.to_string()),
            doi: v.doi.clone(),
            counts: counts_text(v),
            changes: v.changes.as_deref().map(markdown::render_inline),
            source: v.source.clone(),
            current: d.version.as_deref() == Some(v.version.as_str()),
        })
        .collect()
}

/// One demographics table of a dataset page.
#[derive(Debug, Serialize)]
pub(crate) struct DemographicsView {
    /// Anchor id on the page: `demographics-1`, ...
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) source: String,
    pub(crate) unit: &'static str,
    /// The column headings after "Split", e.g. ["Female", "Male", "Age mean ± SD"].
    pub(crate) columns: Vec<&'static str>,
    /// One row per split.
    pub(crate) rows: Vec<DemographicsRow>,
    /// The sex counts over all splits, when there are several.
    pub(crate) total: Option<DemographicsRow>,
}

/// One split of a demographics table: its cells in the order of the columns.
#[derive(Debug, Serialize)]
pub(crate) struct DemographicsRow {
    pub(crate) split: String,
    /// One cell per column; empty where the source gives none.
    pub(crate) cells: Vec<Cell>,
}

/// A cell of a demographics table: a value and, for a sex count, its percent of the split.
#[derive(Debug, Serialize)]
pub(crate) struct Cell {
    pub(crate) value: String,
    pub(crate) percent: Option<String>,
}

fn cell(value: String, percent: Option<String>) -> Cell {
    Cell { value, percent }
}

/// A number of years as the entry writes it: 45.2, 38.0 (never rounded).
fn years(n: &Decimal) -> String {
    n.text.clone()
}

/// Value `i` of an optional row.
fn at<T: Copy>(row: Option<&Vec<T>>, i: usize) -> Option<T> {
    row.and_then(|r| r.get(i).copied())
}

/// Age `i` of an optional row, as written.
fn age(row: Option<&Vec<Decimal>>, i: usize) -> Option<String> {
    row.and_then(|r| r.get(i)).map(years)
}

/// The sex rows a table gives, with their headings.
fn sex_rows(t: &Demographics) -> Vec<(&'static str, &Vec<u64>)> {
    [
        ("Female", t.female.as_ref()),
        ("Male", t.male.as_ref()),
        ("Sex unknown", t.sex_unknown.as_ref()),
    ]
    .into_iter()
    .filter_map(|(name, row)| row.map(|r| (name, r)))
    .collect()
}

/// The size a split's sex counts are a percent of: its `total`, else the sum of its counts.
fn split_size(t: &Demographics, sex: &[(&str, &Vec<u64>)], i: usize) -> Option<u64> {
    at(t.total.as_ref(), i).or_else(|| total(sex.iter().filter_map(|(_, r)| r.get(i).copied())))
}

/// The age cells of split `i`, in the order of [`age_columns`].
fn age_cells(t: &Demographics, i: usize) -> Vec<String> {
    let mut cells = Vec::new();
    if t.age_mean.is_some() || t.age_sd.is_some() {
        let mean = age(t.age_mean.as_ref(), i);
        let sd = age(t.age_sd.as_ref(), i);
        cells.push(match (mean, sd) {
            (Some(m), Some(s)) => format!("{m} ± {s}"),
            (Some(m), None) => m,
            (None, Some(s)) => format!("SD {s}"),
            (None, None) => String::new(),
        });
    }
    if t.age_median.is_some() {
        cells.push(age(t.age_median.as_ref(), i).unwrap_or_default());
    }
    if t.age_min.is_some() || t.age_max.is_some() {
        let end = |row: Option<&Vec<Decimal>>| age(row, i).unwrap_or_else(|| "?".into());
        cells.push(format!(
            "{}–{}",
            end(t.age_min.as_ref()),
            end(t.age_max.as_ref())
        ));
    }
    cells
}

/// The age columns a table has.
fn age_columns(t: &Demographics) -> Vec<&'static str> {
    let mut columns = Vec::new();
    match (&t.age_mean, &t.age_sd) {
        (Some(_), Some(_)) => columns.push("Age mean ± SD"),
        (Some(_), None) => columns.push("Age mean"),
        (None, Some(_)) => columns.push("Age SD"),
        (None, None) => {}
    }
    if t.age_median.is_some() {
        columns.push("Age median");
    }
    if t.age_min.is_some() || t.age_max.is_some() {
        columns.push("Age range");
    }
    columns
}

/// The views of the entry's demographics tables, in order.
pub(crate) fn demographics_views(d: &Dataset) -> Vec<DemographicsView> {
    d.demographics
        .iter()
        .enumerate()
        .map(|(i, t)| DemographicsView::new(t, i))
        .collect()
}

impl DemographicsView {
    pub(crate) fn new(t: &Demographics, index: usize) -> Self {
        let sex = sex_rows(t);
        let mut columns: Vec<&'static str> = sex.iter().map(|(name, _)| *name).collect();
        columns.extend(age_columns(t));
        let rows: Vec<DemographicsRow> = t
            .splits
            .iter()
            .enumerate()
            .map(|(i, split)| {
                let size = split_size(t, &sex, i);
                let mut cells: Vec<Cell> = sex
                    .iter()
                    .map(|(_, row)| {
                        let n = row.get(i).copied().unwrap_or(0);
                        cell(thousands(n), size.and_then(|s| percent(n, s)))
                    })
                    .collect();
                cells.extend(age_cells(t, i).into_iter().map(|c| cell(c, None)));
                DemographicsRow {
                    split: split.clone(),
                    cells,
                }
            })
            .collect();
        let total = (t.splits.len() > 1 && !sex.is_empty()).then(|| total_row(t, &sex));
        DemographicsView {
            id: format!("demographics-{}", index + 1),
            title: t.title.clone(),
            source: t.source.clone(),
            unit: t.unit().as_str(),
            columns,
            rows,
            total,
        }
    }
}

/// The sex counts summed over the splits, each with its percent of all; no ages (a mean of
/// means would need the split sizes the source weighs them by).
fn total_row(t: &Demographics, sex: &[(&str, &Vec<u64>)]) -> DemographicsRow {
    let sums: Vec<Option<u64>> = sex.iter().map(|(_, r)| total(r.iter().copied())).collect();
    let whole = whole_size(t, sex);
    let mut cells: Vec<Cell> = sums
        .iter()
        .map(|n| match n {
            Some(n) => cell(thousands(*n), whole.and_then(|w| percent(*n, w))),
            None => cell("(too large)".into(), None),
        })
        .collect();
    cells.extend(age_columns(t).iter().map(|_| cell(String::new(), None)));
    DemographicsRow {
        split: "Total".into(),
        cells,
    }
}

/// The size of all splits together: the sum of `total`, else of every sex count.
fn whole_size(t: &Demographics, sex: &[(&str, &Vec<u64>)]) -> Option<u64> {
    match &t.total {
        Some(sizes) => total(sizes.iter().copied()),
        None => total(sex.iter().flat_map(|(_, r)| r.iter().copied())),
    }
}

/// Compare's text for the version: "2.0.0 (2019-09-19)".
pub(crate) fn compare_version(d: &Dataset) -> String {
    let Some(current) = &d.version else {
        return String::new();
    };
    let date = d
        .versions
        .iter()
        .find(|v| &v.version == current)
        .and_then(|v| v.date);
    match date {
        Some(date) => format!("{current} ({date})"),
        None => current.clone(),
    }
}

/// Compare's text for the first demographics table: female share over all splits and the
/// ages of a one-split table, e.g. "45.5% female of 266 patients; age 45.2 ± 12.1".
pub(crate) fn compare_demographics(d: &Dataset) -> String {
    let Some(t) = d.demographics.first() else {
        return String::new();
    };
    let view = DemographicsView::new(t, 0);
    let mut parts = Vec::new();
    let sex = sex_rows(t);
    let whole = whole_size(t, &sex);
    if let (Some(female), Some(whole)) = (t.female.as_ref(), whole)
        && let Some(share) = total(female.iter().copied()).and_then(|f| percent(f, whole))
    {
        parts.push(format!(
            "{share} female of {} {}",
            thousands(whole),
            view.unit
        ));
    }
    if let [only] = view.rows.as_slice() {
        for (column, c) in view.columns.iter().zip(&only.cells).skip(sex.len()) {
            parts.push(format!("{} {}", column.to_lowercase(), c.value));
        }
    }
    parts.join("; ")
}
