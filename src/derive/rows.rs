//! Rows: a class table's formatted rows (count and prevalence per split), shared by the
//! table views and the charts drawn from them.

use serde::Serialize;

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
