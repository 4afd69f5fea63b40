//! Sizes as the pages show them: each count with its unit and bound ("≥ 160,000 images"),
//! the download size in bytes made readable, and the main-unit size the index lists and sorts
//! by, with entries that give none in groups of their own.

use serde::Serialize;

use crate::common::number::{capitalize, thousands};
use crate::derive::provenance;
use crate::model::{Catalog, Dataset, Size, Unit};

/// The group label of an entry whose main-unit count the source does not give.
pub(crate) const NOT_STATED: &str = "size not stated by the source";
/// The group label of an entry whose main-unit count is not yet written down.
pub(crate) const NOT_CHECKED: &str = "size not yet checked";

/// A number with its bound: "160,000", "≥ 160,000", "≤ 500"; `None` when not stated.
pub(crate) fn number(size: Size) -> Option<String> {
    match size {
        Size::Exact(n) => Some(thousands(n)),
        Size::AtLeast(n) => Some(format!("≥ {}", thousands(n))),
        Size::AtMost(n) => Some(format!("≤ {}", thousands(n))),
        Size::NotStated => None,
    }
}

/// A size with its unit: "112,120 images", "≥ 160,000 images", "not stated by the source".
pub(crate) fn with_unit(unit: Unit, size: Size) -> String {
    match number(size) {
        Some(n) => format!("{n} {}", unit.as_str()),
        None => "not stated by the source".into(),
    }
}

/// One size of a dataset page: the unit as a heading and the size with its unit.
#[derive(Debug, Serialize, Clone)]
pub(crate) struct SizeView {
    pub(crate) unit: String,
    pub(crate) text: String,
    /// No number: not stated by the source, or not yet checked.
    pub(crate) unknown: bool,
    /// The links to the papers and sources that state it.
    pub(crate) refs: Vec<crate::derive::provenance::RefMark>,
    /// A number no paper or source states.
    pub(crate) unsourced: bool,
}

/// The sizes of a dataset page, in the order of [`Unit::ALL`]: every size the entry gives,
/// and images and patients always ("not yet checked" when absent).
pub(crate) fn views(d: &Dataset) -> Vec<SizeView> {
    Unit::ALL
        .iter()
        .filter_map(|&(name, unit)| {
            let size = d.sizes.get(unit);
            let always = matches!(unit, Unit::Images | Unit::Patients);
            (size.is_some() || always).then(|| {
                let refs = provenance::marks(d, name);
                SizeView {
                    unit: capitalize(name),
                    text: size.map_or_else(|| "not yet checked".into(), |s| with_unit(unit, s)),
                    unknown: size.is_none_or(|s| s == Size::NotStated),
                    unsourced: refs.is_empty() && provenance::needs_source(size),
                    refs,
                }
            })
        })
        .collect()
}

/// How the index lists an entry's size: by its main unit.
#[derive(Debug, Serialize, Clone, PartialEq, Eq)]
pub(crate) struct MainSize {
    /// "112,120 images", or the label of its group.
    pub(crate) text: String,
    /// 0: a count; 1: not stated by the source; 2: not yet checked.
    pub(crate) group: u8,
    /// The count (or bound) sorted by, largest first.
    pub(crate) number: Option<u64>,
}

/// The main-unit size of an entry.
pub(crate) fn main_size(d: &Dataset) -> MainSize {
    let unit = d.sizes.main();
    match unit.and_then(|u| Some((u, d.sizes.get(u)?))) {
        Some((unit, size)) if size != Size::NotStated => MainSize {
            text: with_unit(unit, size),
            group: 0,
            number: size.number(),
        },
        Some(_) => MainSize {
            text: NOT_STATED.into(),
            group: 1,
            number: None,
        },
        None => MainSize {
            text: NOT_CHECKED.into(),
            group: 2,
            number: None,
        },
    }
}

/// The heading of each group of [`MainSize::group`].
const GROUP_LABELS: [Option<&str>; 3] = [
    None,
    Some("Size not stated by the source"),
    Some("Size not yet checked"),
];

/// One group of the page of datasets by size: the counted ones (no label), then those whose
/// main-unit count is not stated, then those not yet checked.
#[derive(Debug, Serialize, Hash)]
pub(crate) struct SizeGroup<R> {
    pub(crate) label: Option<&'static str>,
    /// The group's datasets, largest first (by name where equal): their positions in the
    /// catalog here, what the template prints of them once rendered.
    pub(crate) rows: R,
}

/// The datasets of `catalog` by size, as groups of their positions in the catalog.
pub(crate) fn groups(catalog: &Catalog) -> Vec<SizeGroup<Vec<usize>>> {
    let sizes: Vec<MainSize> = catalog.datasets.iter().map(main_size).collect();
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&sizes[a], &sizes[b]);
        x.group.cmp(&y.group).then(y.number.cmp(&x.number))
    });
    let mut groups: Vec<SizeGroup<Vec<usize>>> = Vec::new();
    for i in order {
        let label = GROUP_LABELS[usize::from(sizes[i].group)];
        match groups.last_mut() {
            Some(g) if g.label == label => g.rows.push(i),
            _ => groups.push(SizeGroup {
                label,
                rows: vec![i],
            }),
        }
    }
    groups
}

/// Every size of an entry with its unit, for the comparison: "≥ 160,000 images; 30,805 patients".
pub(crate) fn compare_text(d: &Dataset) -> String {
    d.sizes
        .counts
        .iter()
        .map(|&(unit, size)| match size {
            Size::NotStated => format!("{}: not stated by the source", unit.as_str()),
            _ => with_unit(unit, size),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A size in `catalog.csv`: `112120`, `>=160000`, `<=500` or `not stated`.
pub(crate) fn csv(size: Size) -> String {
    match size {
        Size::Exact(n) => n.to_string(),
        Size::AtLeast(n) => format!(">={n}"),
        Size::AtMost(n) => format!("<={n}"),
        Size::NotStated => crate::model::Size::NOT_STATED.into(),
    }
}

/// A download size in decimal units: "45 GB", "1.2 TB", "512 bytes".
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} bytes");
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    let digits = if value < 10.0 { 1 } else { 0 };
    format!("{value:.digits$} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_unit_and_bound() {
        for (unit, size, shown) in [
            (Unit::Images, Size::Exact(112_120), "112,120 images"),
            (Unit::Images, Size::AtLeast(160_000), "≥ 160,000 images"),
            (Unit::Volumes, Size::AtMost(1000), "≤ 1,000 volumes"),
            (Unit::Series, Size::NotStated, "not stated by the source"),
        ] {
            assert_eq!(with_unit(unit, size), shown);
        }
    }

    #[test]
    fn bytes_read_in_decimal_units() {
        for (n, shown) in [
            (512, "512 bytes"),
            (1000, "1.0 kB"),
            (45_000_000_000, "45 GB"),
            (1_234_000_000_000, "1.2 TB"),
            (u64::MAX, "18447 PB"),
        ] {
            assert_eq!(bytes(n), shown, "{n}");
        }
    }
}
