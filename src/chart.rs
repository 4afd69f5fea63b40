//! Class-count charts, drawn at build time as inline SVG.
//!
//! No JavaScript: the chart prints, works offline and is readable by screen readers through its
//! `<title>` and `<desc>`, while the table beside it stays the source of truth. One horizontal
//! bar per label and split, bar lengths proportional to the counts on one scale per chart, each
//! bar titled with its count and prevalence. Colours come from CSS classes (`split-0`, ...), so
//! the chart follows the site's light and dark palettes.

use std::fmt::Write as _;

use crate::derive::{percent, thousands};
use crate::model::ClassTable;

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 180.0;
const VALUE_WIDTH: f64 = 70.0;
const BAR_HEIGHT: f64 = 9.0;
const GROUP_GAP: f64 = 10.0;
const LEGEND_HEIGHT: f64 = 26.0;

/// Largest and smallest label by total count (labels with a count above zero).
#[derive(Debug, PartialEq)]
pub struct Imbalance {
    pub largest: (String, u64),
    pub smallest: (String, u64),
    /// largest / smallest, formatted ("266 : 1", "1.5 : 1").
    pub ratio: String,
}

pub fn imbalance(table: &ClassTable) -> Option<Imbalance> {
    let totals: Vec<(&String, u64)> = table
        .labels
        .iter()
        .map(|(label, counts)| (label, counts.iter().sum::<u64>()))
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
    crate::markdown::escape_html(text)
}

/// The SVG chart of a table with labels, or `None` for a sizes-only table.
pub fn svg(table: &ClassTable, id: &str) -> Option<String> {
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
    let group = splits as f64 * BAR_HEIGHT + GROUP_GAP;
    let height = LEGEND_HEIGHT + group * table.labels.len() as f64;
    let sizes = table.images.as_ref().filter(|s| s.len() == splits);
    let mut out = String::with_capacity(512 + table.labels.len() * splits * 220);
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
            x + 14.0,
            escape(split)
        );
        x += 24.0 + split.chars().count() as f64 * 7.0;
    }
    for (row, (label, counts)) in table.labels.iter().enumerate() {
        let top = LEGEND_HEIGHT + row as f64 * group;
        let middle = top + splits as f64 * BAR_HEIGHT / 2.0 + 4.0;
        let _ = write!(
            out,
            r#"<text class="label" x="{}" y="{middle}" text-anchor="end">{}</text>"#,
            LABEL_WIDTH - 8.0,
            escape(label)
        );
        for (i, &count) in counts.iter().enumerate().take(splits) {
            let y = top + i as f64 * BAR_HEIGHT;
            let length = (count as f64 / max as f64 * bar_area * 100.0).round() / 100.0;
            let share = sizes.and_then(|s| percent(count, s[i]));
            let title = match &share {
                Some(p) => format!("{}, {}: {} ({p})", label, table.splits[i], thousands(count)),
                None => format!("{}, {}: {}", label, table.splits[i], thousands(count)),
            };
            let _ = write!(
                out,
                r#"<rect class="bar split-{}" x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{}" data-count="{count}"><title>{}</title></rect>"#,
                i % 6,
                BAR_HEIGHT - 1.0,
                escape(&title)
            );
            if let Some(p) = share {
                let _ = write!(
                    out,
                    r#"<text class="value" x="{}" y="{}">{p}</text>"#,
                    LABEL_WIDTH + length + 4.0,
                    y + BAR_HEIGHT - 1.5
                );
            }
        }
    }
    out.push_str("</svg>");
    Some(out)
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
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
        let svg = svg(&table(), "table-1").unwrap();
        let widths: Vec<f64> = svg
            .split("class=\"bar ")
            .skip(1)
            .map(|bar| {
                let w = bar.split("width=\"").nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(widths.len(), 6, "3 labels x 2 splits");
        let full = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        assert_eq!(widths[0], full);
        assert_eq!(widths[1], full / 4.0);
        assert!((widths[3] - full * 2.0 / 400.0).abs() < 0.01);
        assert_eq!(widths[4], 0.0);
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
        assert!(svg(&t, "x").is_none());
        assert!(imbalance(&t).is_none());
    }
}
