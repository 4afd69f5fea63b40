//! Rows: a class table's formatted rows (count and prevalence per split), shared by the
//! table views and the charts drawn from them.

use serde::Serialize;

/// One number of a class table, formatted, with its share of the split where known.
#[derive(Debug, Serialize, PartialEq)]
pub struct Cell {
    pub value: String,
    pub percent: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub label: String,
    /// One cell per split, then the total.
    pub cells: Vec<Cell>,
}
