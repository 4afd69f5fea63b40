//! Rows: a class table's formatted rows (count and prevalence per split), made here for the
//! table views and the charts drawn from them.

use serde::Serialize;

use crate::common::number::{percent, thousands, total};
use crate::model::ClassTable;

/// One number of a class table, formatted, with its share of the split where known.
#[derive(Debug, Serialize, PartialEq)]
pub(crate) struct Cell {
    pub(crate) value: String,
    pub(crate) percent: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Row {
    pub(crate) label: String,
    /// One cell per split, then the total.
    pub(crate) cells: Vec<Cell>,
}

/// Makes the formatted rows of one class table, whose split sizes are `sizes` when known.
pub(crate) struct Rows<'a> {
    sizes: Option<&'a [u64]>,
    total_size: Option<u64>,
}

impl<'a> Rows<'a> {
    pub(crate) fn new(sizes: Option<&'a [u64]>) -> Self {
        Rows {
            sizes,
            total_size: sizes.and_then(|s| total(s.iter().copied())),
        }
    }

    fn cell(count: u64, of: Option<u64>) -> Cell {
        Cell {
            value: thousands(count),
            percent: of.and_then(|whole| percent(count, whole)),
        }
    }

    /// A label's row: its count per split, each with its share of the split's size, then the
    /// total.
    pub(crate) fn row(&self, label: &str, counts: &[u64]) -> Row {
        let mut cells: Vec<Cell> = counts
            .iter()
            .enumerate()
            .map(|(i, &n)| Self::cell(n, self.sizes.map(|s| s[i])))
            .collect();
        cells.push(match total(counts.iter().copied()) {
            Some(sum) => Self::cell(sum, self.total_size),
            // The checker reports such a table; this keeps a wrapped number off any page.
            None => Cell {
                value: "(too large)".into(),
                percent: None,
            },
        });
        Row {
            label: label.to_string(),
            cells,
        }
    }

    /// The label occurrences per split (a sum over labels, so without shares), or `None` for a
    /// sizes-only table.
    pub(crate) fn occurrences(&self, table: &ClassTable) -> Option<Row> {
        if table.labels.is_empty() {
            return None;
        }
        let sums: Option<Vec<u64>> = (0..table.splits.len())
            .map(|i| total(table.labels.iter().filter_map(|(_, c)| c.get(i).copied())))
            .collect();
        let mut r = self.row("Label occurrences", &sums?);
        for c in &mut r.cells {
            c.percent = None;
        }
        Some(r)
    }

    /// The split sizes, each with its share of the whole.
    pub(crate) fn sizes(&self, unit: &str, sizes: &[u64]) -> Row {
        let mut r = self.row(unit, sizes);
        for (c, &n) in r.cells.iter_mut().zip(sizes) {
            c.percent = self.total_size.and_then(|t| percent(n, t));
        }
        r.cells.last_mut().expect("total cell").percent = None;
        r
    }
}
