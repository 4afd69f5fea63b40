//! Class-count charts, drawn at build time as inline SVG.
//!
//! No JavaScript: the chart prints, works offline and is readable by screen readers through its
//! `<title>` and `<desc>`, while the table beside it stays the source of truth. One horizontal
//! bar per label and split, bar lengths proportional to the counts on one scale per chart, each
//! bar titled with its count and prevalence. Colours come from CSS classes (`split-0`, ...), so
//! the chart follows the site's light and dark palettes. What every label or bar shares (the
//! labels' right edge, the bars' left edge, the text styles) is said once, by a group and its
//! class, not on each element: a chart has hundreds of them.

use std::fmt::Write as _;

use crate::common::number::{capitalize, thousands, total};
use crate::derive::rows::Row;
use crate::model::ClassTable;

// Geometry in SVG user units (whole numbers, so coordinates print without float formatting).
const WIDTH: u64 = 640;
const LABEL_WIDTH: u64 = 180;
const VALUE_WIDTH: u64 = 70;
const BAR_HEIGHT: u64 = 9;
const GROUP_GAP: u64 = 10;
const LEGEND_HEIGHT: u64 = 26;

/// Largest and smallest label by total count (labels with a count above zero).
#[derive(Debug, PartialEq)]
pub(crate) struct Imbalance {
    pub(crate) largest: (String, u64),
    pub(crate) smallest: (String, u64),
    /// largest / smallest, formatted ("266 : 1", "1.5 : 1").
    pub(crate) ratio: String,
}

pub(crate) fn imbalance(table: &ClassTable) -> Option<Imbalance> {
    let totals: Vec<(&String, u64)> = table
        .labels
        .iter()
        .filter_map(|(label, counts)| Some((label, total(counts.iter().copied())?)))
        .filter(|(_, total)| *total > 0)
        .collect();
    if totals.len() < 2 {
        return None;
    }
    let largest = totals.iter().max_by_key(|(_, n)| *n)?;
    let smallest = totals.iter().rev().min_by_key(|(_, n)| *n)?;
    let ratio = largest.1 as f64 / smallest.1 as f64;
    let ratio = if ratio >= 10.0 {
        format!("{} : 1", thousands(ratio.round() as u64))
    } else {
        format!("{ratio:.1} : 1")
    };
    Some(Imbalance {
        largest: (largest.0.clone(), largest.1),
        smallest: (smallest.0.clone(), smallest.1),
        ratio,
    })
}

fn escape(text: &str) -> String {
    crate::common::html::escape_html(text)
}

/// Append a number without going through `format!`, which dominates the cost of a chart.
fn push_number(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// The SVG chart of a table with labels, or `None` for a sizes-only table. `rows` are the
/// table's formatted rows (count and prevalence per split), reused for the bar titles.
pub(crate) fn svg(table: &ClassTable, rows: &[Row], id: &str) -> Option<String> {
    if table.labels.is_empty() || table.splits.is_empty() {
        return None;
    }
    let splits = table.splits.len();
    let max = table
        .labels
        .iter()
        .flat_map(|(_, c)| c.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let bar_area = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let group = splits as u64 * BAR_HEIGHT + GROUP_GAP;
    let height = LEGEND_HEIGHT + group * table.labels.len() as u64;
    let mut out = String::with_capacity(512 + table.labels.len() * splits * 220);
    push_head(&mut out, table, id, height);
    // The labels end 8 units left of the bars, which start at LABEL_WIDTH.
    let _ = write!(
        out,
        r#"<g class="labels" transform="translate({} 0)">"#,
        LABEL_WIDTH - 8
    );
    // The bars of each split, in a group of their own that gives them its colour.
    let mut bars = vec![String::with_capacity(table.labels.len() * 160); splits];
    let split_names: Vec<String> = table.splits.iter().map(|s| escape(s)).collect();
    for (row, ((label, counts), formatted)) in table.labels.iter().zip(rows).enumerate() {
        let top = LEGEND_HEIGHT + row as u64 * group;
        let middle = top + splits as u64 * BAR_HEIGHT / 2 + 4;
        let label = escape(label);
        let _ = write!(out, r#"<text y="{middle}">{label}</text>"#);
        for (i, (&count, cell)) in counts.iter().zip(&formatted.cells).enumerate().take(splits) {
            // Length in hundredths of a unit, rounded: proportional to the count.
            let length = (u128::from(count) * u128::from(bar_area) * 200 + u128::from(max))
                / (u128::from(max) * 2);
            let bar = Bar {
                y: top + i as u64 * BAR_HEIGHT,
                length: length as u64,
                title: [&label, &split_names[i], &cell.value],
                percent: cell.percent.as_deref(),
            };
            push_bar(&mut bars[i], &bar);
        }
    }
    let _ = write!(
        out,
        r#"</g><g class="bars" transform="translate({LABEL_WIDTH} 0)">"#
    );
    for (i, split) in bars.iter().enumerate() {
        let _ = write!(out, r#"<g class="split-{}">{split}</g>"#, i % 6);
    }
    out.push_str("</g></svg>");
    Some(out)
}

/// The opening `<svg>`, its title and description, and the legend of splits.
fn push_head(out: &mut String, table: &ClassTable, id: &str, height: u64) {
    let _ = write!(
        out,
        r#"<svg class="class-chart" id="{id}-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{id}-chart-title {id}-chart-desc" xmlns="http://www.w3.org/2000/svg">"#
    );
    let _ = write!(
        out,
        r#"<title id="{id}-chart-title">{} per label and split</title><desc id="{id}-chart-desc">Horizontal bars, one per label and split; lengths are proportional to the counts. The table holds the exact numbers.</desc>"#,
        escape(&capitalize(table.unit.as_str()))
    );
    let mut x = LABEL_WIDTH;
    for (i, split) in table.splits.iter().enumerate() {
        let _ = write!(
            out,
            r#"<rect class="split-{}" x="{x}" y="6" width="10" height="10"/><text class="legend" x="{}" y="15">{}</text>"#,
            i % 6,
            x + 14,
            escape(split)
        );
        x += 24 + split.chars().count() as u64 * 7;
    }
}

/// One bar: a label's count in one split.
struct Bar<'a> {
    y: u64,
    /// In hundredths of a unit.
    length: u64,
    /// The label, the split and the formatted count (all escaped), for the bar's title.
    title: [&'a str; 3],
    /// The count's prevalence, written beside the bar.
    percent: Option<&'a str>,
}

/// Write one bar, with integer formatting (a chart has thousands of numbers), inside the group
/// of its split's bars (whose origin is the bars' left edge).
fn push_bar(out: &mut String, bar: &Bar<'_>) {
    out.push_str("<rect y=\"");
    push_number(out, bar.y);
    out.push_str("\" width=\"");
    push_number(out, bar.length / 100);
    out.push('.');
    if bar.length % 100 < 10 {
        out.push('0');
    }
    push_number(out, bar.length % 100);
    out.push_str("\" height=\"");
    push_number(out, BAR_HEIGHT - 1);
    out.push_str("\"><title>");
    let [label, split, value] = bar.title;
    out.push_str(label);
    out.push_str(", ");
    out.push_str(split);
    out.push_str(": ");
    out.push_str(value);
    let Some(p) = bar.percent else {
        out.push_str("</title></rect>");
        return;
    };
    out.push_str(" (");
    out.push_str(p);
    out.push_str(")</title></rect><text x=\"");
    push_number(out, bar.length / 100 + 4);
    out.push_str("\" y=\"");
    push_number(out, bar.y + BAR_HEIGHT - 1);
    out.push_str("\">");
    out.push_str(p);
    out.push_str("</text>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unit;

    fn table() -> ClassTable {
        ClassTable {
            title: "t".into(),
            official: None,
            patient_disjoint: None,
            preferred: false,
            source: "https://a.org".into(),
            unit: Unit::Images,
            splits: vec!["Train".into(), "Test".into()],
            images: Some(vec![1000, 500]),
            multi_label: Some(true),
            labels: vec![
                ("A".into(), vec![400, 100]),
                ("B<".into(), vec![0, 2]),
                ("C".into(), vec![0, 0]),
            ],
            span: 0..0,
            images_span: None,
        }
    }

    #[test]
    fn one_bar_per_label_and_split_with_proportional_lengths() {
        let view = crate::derive::TableView::new(&table(), 0);
        let svg = view.chart.unwrap();
        let widths: Vec<f64> = svg
            .split("<rect y=")
            .skip(1)
            .map(|bar| {
                let w = bar.split("width=\"").nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(widths.len(), 6, "3 labels x 2 splits, split by split");
        let full = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) as f64;
        assert_eq!(widths[0], full);
        assert_eq!(widths[3], full / 4.0);
        assert!((widths[4] - full * 2.0 / 400.0).abs() < 0.01);
        assert_eq!(widths[1], 0.0);
        assert!(svg.contains("<title>A, Train: 400 (40.0%)</title>"));
        assert!(svg.contains("B&lt;"), "labels are escaped");
        assert!(svg.contains("role=\"img\""));
    }

    #[test]
    fn imbalance_is_largest_over_smallest_positive_label() {
        let found = imbalance(&table()).unwrap();
        assert_eq!(found.largest, ("A".into(), 500));
        assert_eq!(found.smallest, ("B<".into(), 2));
        assert_eq!(found.ratio, "250 : 1");
    }

    #[test]
    fn sizes_only_tables_have_no_chart() {
        let mut t = table();
        t.labels.clear();
        assert!(svg(&t, &[], "x").is_none());
        assert!(imbalance(&t).is_none());
    }
}
