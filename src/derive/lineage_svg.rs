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
use crate::model::{Dataset, Relation};

/// A declared relation whose other entry exists, by catalog position: (the declaring
/// dataset, the relation, the other dataset, its `how`).
pub(crate) type Declared<'c> = (usize, Relation, usize, &'c str);

// Geometry in SVG user units.
const NODE_WIDTH: usize = 200;
const NODE_HEIGHT: usize = 34;
const GAP_X: usize = 24;
const GAP_Y: usize = 64;
const MARGIN: usize = 12;
/// The most characters of a name shown in a box; the full name is its tooltip.
const MAX_NAME_CHARS: usize = 26;

/// A box's place: (half column, row).
type Place = (usize, usize);

/// The most boxes side by side before the next group of related datasets starts a new band.
const MAX_COLUMNS: usize = 4;

/// The graph of the declared relations between `datasets`.
pub(crate) fn svg(datasets: &[Dataset], declared: &[Declared<'_>]) -> String {
    let (at, (columns, rows)) = layout(datasets.len(), declared);
    let width = 2 * MARGIN + columns * NODE_WIDTH + columns.saturating_sub(1) * GAP_X;
    let height = 2 * MARGIN + rows * NODE_HEIGHT + rows.saturating_sub(1) * GAP_Y;
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
        let (half_columns, row) = at[i].unwrap_or((0, 0));
        (
            MARGIN + half_columns * (NODE_WIDTH + GAP_X) / 2 + NODE_WIDTH / 2,
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

/// Each dataset's (half column, row) in the graph (`None` without a relation) and the graph's
/// columns and rows. Datasets joined by relations form a group, laid out in rows by how far
/// down a chain of "part of" each is; groups sit side by side in bands of at most
/// [`MAX_COLUMNS`] boxes (a wider group gets a band of its own).
fn layout(count: usize, declared: &[Declared<'_>]) -> (Vec<Option<Place>>, (usize, usize)) {
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut group: Vec<usize> = (0..count).collect();
    let mut involved = vec![false; count];
    for &(i, relation, j, _) in declared {
        involved[i] = true;
        involved[j] = true;
        let (a, b) = (root(&mut group, i), root(&mut group, j));
        group[a.max(b)] = a.min(b);
        match relation.part_of_other() {
            Some(true) => up[i].push(j),
            Some(false) => up[j].push(i),
            None => {}
        }
    }
    let depth = depths(count, &up);
    // Each group's members, in catalog order, listed in one pass.
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); count];
    for i in (0..count).filter(|&i| involved[i]) {
        let r = root(&mut group, i);
        groups[r].push(i);
    }
    let mut at: Vec<Option<Place>> = vec![None; count];
    let (mut x, mut y, mut band_rows, mut columns) = (0, 0, 0, 0);
    for members in groups.iter().filter(|g| !g.is_empty()) {
        let rows = place_group(members, &depth, &up);
        let width = rows.iter().map(Vec::len).max().unwrap_or(1);
        if x > 0 && x + width > MAX_COLUMNS {
            (x, y, band_rows) = (0, y + band_rows, 0);
        }
        for (row, ids) in rows.iter().enumerate() {
            // In half columns, so that a shorter row is centred under a longer one.
            let offset = width - ids.len();
            for (column, &i) in ids.iter().enumerate() {
                at[i] = Some((2 * (x + column) + offset, y + row));
            }
        }
        x += width;
        columns = columns.max(x);
        band_rows = band_rows.max(rows.len());
    }
    (at, (columns, y + band_rows))
}

/// The representative of `i`'s group (union-find, with path halving).
fn root(group: &mut [usize], mut i: usize) -> usize {
    while group[i] != i {
        group[i] = group[group[i]];
        i = group[i];
    }
    i
}

/// The most rows one group is drawn in: a chain longer than this (or a loop, an error the
/// checks report) stops growing there, which bounds the cost of the layout.
const MAX_DEPTH: usize = 32;

/// The longest chain of "part of" above each dataset, at most [`MAX_DEPTH`].
fn depths(count: usize, up: &[Vec<usize>]) -> Vec<usize> {
    let mut depth = vec![0usize; count];
    for _ in 0..=MAX_DEPTH {
        let mut changed = false;
        for part in 0..count {
            for &whole in &up[part] {
                if depth[part] < depth[whole] + 1 && depth[whole] < MAX_DEPTH {
                    depth[part] = depth[whole] + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    depth
}

/// One group's rows, top first: by depth, each row ordered by the mean column of the datasets
/// above, to keep arrows short.
fn place_group(members: &[usize], depth: &[usize], up: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut levels: std::collections::BTreeMap<usize, Vec<usize>> =
        std::collections::BTreeMap::new();
    for &i in members {
        levels.entry(depth[i]).or_default().push(i);
    }
    let mut column: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut rows = Vec::with_capacity(levels.len());
    for level in levels.into_values() {
        let mut row: Vec<(usize, usize)> = level
            .into_iter()
            .map(|i| {
                let above: Vec<usize> = up[i]
                    .iter()
                    .filter_map(|w| column.get(w).copied())
                    .collect();
                let key = 1000 * above.iter().sum::<usize>() / above.len().max(1);
                (key, i)
            })
            .collect();
        row.sort_unstable();
        for (c, &(_, i)) in row.iter().enumerate() {
            column.insert(i, c);
        }
        rows.push(row.into_iter().map(|(_, i)| i).collect());
    }
    rows
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows by depth within a group, groups side by side, a loop laid out without hanging.
    #[test]
    fn groups_and_rows() {
        // 1 and 2 are built from 0; 3 shares images with 4; 5 has no relation.
        let declared: Vec<Declared<'_>> = vec![
            (1, Relation::DerivedFrom, 0, ""),
            (2, Relation::SubsetOf, 0, ""),
            (3, Relation::SharesImages, 4, ""),
        ];
        let (at, size) = layout(6, &declared);
        assert_eq!(at[0], Some((1, 0)), "centred above its two parts");
        assert_eq!((at[1], at[2]), (Some((0, 1)), Some((2, 1))));
        assert_eq!(at[5], None);
        assert_eq!(size, (4, 2));
        let looped: Vec<Declared<'_>> = vec![
            (0, Relation::DerivedFrom, 1, ""),
            (1, Relation::DerivedFrom, 0, ""),
        ];
        let (at, _) = layout(2, &looped);
        assert!(at.iter().all(Option::is_some));
    }
}
