//! The lineage graph, drawn at build time as inline SVG for `lineage.html`.
//!
//! No JavaScript: every dataset with a relation is a box linking to its page, in rows by how
//! far down a chain of "part of" it is (the datasets others are built from on top); an arrow
//! points from a dataset to the one its data is built from or part of, a dashed curve joins
//! two that share patients or images. Colours come from CSS classes, so the graph follows the
//! site's palettes; the page lists the same edges as text beside it.

use std::fmt::Write as _;

use crate::common::html::escape_html;
use crate::common::paths::dataset_path;
use crate::derive::lineage::Declared;
use crate::model::Dataset;

// Geometry in SVG user units.
const NODE_WIDTH: usize = 200;
const NODE_HEIGHT: usize = 34;
const GAP_X: usize = 24;
const GAP_Y: usize = 64;
const MARGIN: usize = 12;
/// The most characters of a name shown in a box; the full name is its tooltip.
const MAX_NAME_CHARS: usize = 28;

/// The graph of the declared relations between `datasets`.
pub(crate) fn svg(datasets: &[Dataset], declared: &[Declared<'_>]) -> String {
    let (rows, at) = layout(datasets.len(), declared);
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let width = 2 * MARGIN + widest * NODE_WIDTH + (widest - 1) * GAP_X;
    let height = 2 * MARGIN + rows.len() * NODE_HEIGHT + rows.len().saturating_sub(1) * GAP_Y;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"lineage-graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"Lineage graph: {} datasets, {} relations\">\
         <defs><marker id=\"lineage-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"arrow-head\"/></marker></defs>",
        at.iter().filter(|a| a.is_some()).count(),
        declared.len()
    );
    let centre = |i: usize| -> (usize, usize) {
        let (row, column) = at[i].unwrap_or((0, 0));
        let offset = (widest - rows[row].len()) * (NODE_WIDTH + GAP_X) / 2;
        (
            MARGIN + offset + column * (NODE_WIDTH + GAP_X) + NODE_WIDTH / 2,
            MARGIN + row * (NODE_HEIGHT + GAP_Y) + NODE_HEIGHT / 2,
        )
    };
    for &(i, relation, j, _) in declared {
        let (part, whole) = match relation.part_of_other() {
            Some(true) => (i, j),
            Some(false) => (j, i),
            None => {
                edge_shared(&mut out, centre(i), centre(j), relation.as_str());
                continue;
            }
        };
        edge_part(&mut out, centre(part), centre(whole), relation.as_str());
    }
    for (i, d) in datasets.iter().enumerate() {
        if at[i].is_some() {
            node(&mut out, d, centre(i));
        }
    }
    out.push_str("</svg>");
    out
}

/// Rows of dataset indices (top first) and each dataset's (row, column); `None` for datasets
/// without a relation. A dataset sits one row below the lowest of those it is part of; rows
/// are ordered by the mean column of the datasets above, to keep arrows short.
fn layout(
    count: usize,
    declared: &[Declared<'_>],
) -> (Vec<Vec<usize>>, Vec<Option<(usize, usize)>>) {
    let mut involved = vec![false; count];
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); count];
    for &(i, relation, j, _) in declared {
        involved[i] = true;
        involved[j] = true;
        match relation.part_of_other() {
            Some(true) => up[i].push(j),
            Some(false) => up[j].push(i),
            None => {}
        }
    }
    // Longest chain above each dataset; a loop (an error the checks report) stops at `count`.
    let mut depth = vec![0usize; count];
    for _ in 0..count {
        let mut changed = false;
        for part in 0..count {
            for &whole in &up[part] {
                if depth[part] < depth[whole] + 1 && depth[whole] < count {
                    depth[part] = depth[whole] + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    let rows_count = (0..count)
        .filter(|&i| involved[i])
        .map(|i| depth[i] + 1)
        .max()
        .unwrap_or(0);
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); rows_count];
    let mut at: Vec<Option<(usize, usize)>> = vec![None; count];
    for row in 0..rows_count {
        let mut members: Vec<(usize, usize)> = (0..count)
            .filter(|&i| involved[i] && depth[i] == row)
            .map(|i| {
                let above: Vec<usize> = up[i]
                    .iter()
                    .filter_map(|&w| at[w].map(|(_, c)| c))
                    .collect();
                let key = if above.is_empty() {
                    0
                } else {
                    1000 * above.iter().sum::<usize>() / above.len()
                };
                (key, i)
            })
            .collect();
        members.sort();
        for (column, &(_, i)) in members.iter().enumerate() {
            at[i] = Some((row, column));
        }
        rows[row] = members.into_iter().map(|(_, i)| i).collect();
    }
    (rows, at)
}

/// An arrow from the top of the part's box to the bottom of the whole's.
fn edge_part(out: &mut String, part: (usize, usize), whole: (usize, usize), relation: &str) {
    let (x1, y1) = (part.0, part.1 - NODE_HEIGHT / 2);
    let (x2, y2) = (whole.0, whole.1 + NODE_HEIGHT / 2);
    let _ = write!(
        out,
        "<line class=\"edge {relation}\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" marker-end=\"url(#lineage-arrow)\"/>"
    );
}

/// A dashed curve between two boxes that share patients or images, bent below them.
fn edge_shared(out: &mut String, a: (usize, usize), b: (usize, usize), relation: &str) {
    let (x1, y1) = (a.0, a.1 + NODE_HEIGHT / 2);
    let (x2, y2) = (b.0, b.1 + NODE_HEIGHT / 2);
    let (cx, cy) = (x1.midpoint(x2), y1.max(y2) + GAP_Y / 2);
    let _ = write!(
        out,
        "<path class=\"edge shared {relation}\" d=\"M{x1},{y1} Q{cx},{cy} {x2},{y2}\" fill=\"none\"/>"
    );
}

/// A dataset's box, linking to its page (relative to the site root).
fn node(out: &mut String, d: &Dataset, (x, y): (usize, usize)) {
    let name: String = if d.name.chars().count() > MAX_NAME_CHARS {
        let mut short: String = d.name.chars().take(MAX_NAME_CHARS - 1).collect();
        short.push('…');
        short
    } else {
        d.name.clone()
    };
    let _ = write!(
        out,
        "<a href=\"{}\"><title>{}</title><rect class=\"node\" x=\"{}\" y=\"{}\" width=\"{NODE_WIDTH}\" height=\"{NODE_HEIGHT}\" rx=\"5\"/>\
         <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text></a>",
        escape_html(&dataset_path(&d.slug)),
        escape_html(&d.name),
        x - NODE_WIDTH / 2,
        y - NODE_HEIGHT / 2,
        y + 4,
        escape_html(&name)
    );
}
