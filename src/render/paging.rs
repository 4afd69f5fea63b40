//! Paging: the listings of every dataset (the index's table, the page by size, each term page)
//! and the label matrix, split into pages of a fixed size so that no page of a large catalog is
//! too big to open. The first page keeps the listing's own path; the next ones are flat
//! siblings (`sizes-2.html`, `tasks/classification-2.html`, and `all-2.html` for the index),
//! linked by a pager that works without JavaScript.

use serde::Serialize;

use crate::common::number::thousands;

/// Rows per page of a dataset listing: a row is about 550 bytes, so a page is about 300 kB.
pub(crate) const LISTING_PAGE: usize = 500;

/// Dataset columns per page of the label matrix: a column is about 1.3 kB with its cells.
pub(crate) const MATRIX_PAGE: usize = 200;

/// Page numbers the pager links to on each side of the current page (besides the first and
/// the last).
const WINDOW: usize = 2;

/// How many pages `items` things take, `per_page` to a page: at least one, which says "none".
pub(crate) fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// The positions `number` (from 1) shows of `items` things, `per_page` to a page.
pub(crate) fn page_range(items: usize, per_page: usize, number: usize) -> std::ops::Range<usize> {
    let start = ((number - 1) * per_page).min(items);
    start..(start + per_page).min(items)
}

/// The path of page `number` (from 1) of a listing whose first page is `first`
/// (`tasks/classification.html`): `first` itself, then `tasks/classification{sep}2.html`.
pub(crate) fn nth_path(first: &str, sep: &str, number: usize) -> String {
    if number <= 1 {
        return first.to_string();
    }
    let stem = first.strip_suffix(".html").unwrap_or(first);
    format!("{stem}{sep}{number}.html")
}

/// One link of the pager: a page number, or a gap (`number` and `href` absent).
#[derive(Serialize)]
pub(crate) struct PagerLink {
    pub(crate) number: Option<usize>,
    pub(crate) href: Option<String>,
    pub(crate) current: bool,
}

/// The pager of one page of a listing, as the template prints it.
#[derive(Serialize)]
pub(crate) struct Pager {
    pub(crate) number: usize,
    pub(crate) of: usize,
    /// What the listing counts ("datasets", "dataset columns"), and how many in all.
    pub(crate) things: &'static str,
    pub(crate) total: String,
    /// The first and last thing of this page, counted from 1 ("501", "1,000").
    pub(crate) first: String,
    pub(crate) last: String,
    pub(crate) prev: Option<String>,
    pub(crate) next: Option<String>,
    pub(crate) links: Vec<PagerLink>,
}

impl Pager {
    /// The pager of page `number` of `of`, which shows `shown` of `total` things; `path(k)`
    /// is where page `k` is, relative to the output directory (all pages in one directory).
    pub(crate) fn new(
        (number, of): (usize, usize),
        shown: std::ops::Range<usize>,
        (things, total): (&'static str, usize),
        path: impl Fn(usize) -> String,
    ) -> Pager {
        let href = |k: usize| {
            let path = path(k);
            path.rsplit('/').next().unwrap_or(&path).to_string()
        };
        let mut links = Vec::new();
        for k in 1..=of {
            let near = k.abs_diff(number) <= WINDOW;
            if k == 1 || k == of || near {
                links.push(PagerLink {
                    number: Some(k),
                    href: Some(href(k)),
                    current: k == number,
                });
            } else if links.last().is_some_and(|l: &PagerLink| l.number.is_some()) {
                links.push(PagerLink {
                    number: None,
                    href: None,
                    current: false,
                });
            }
        }
        Pager {
            number,
            of,
            things,
            total: thousands(total as u64),
            first: thousands((shown.start + 1).min(shown.end) as u64),
            last: thousands(shown.end as u64),
            prev: (number > 1).then(|| href(number - 1)),
            next: (number < of).then(|| href(number + 1)),
            links,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_split_the_items_without_loss() {
        assert_eq!(page_count(0, 100), 1);
        assert_eq!(page_count(100, 100), 1);
        assert_eq!(page_count(101, 100), 2);
        assert_eq!(page_range(250, 100, 3), 200..250);
        assert_eq!(page_range(0, 100, 1), 0..0);
    }

    #[test]
    fn next_pages_are_siblings_of_the_first() {
        assert_eq!(nth_path("sizes.html", "-", 1), "sizes.html");
        assert_eq!(nth_path("sizes.html", "-", 2), "sizes-2.html");
        assert_eq!(
            nth_path("tasks/classification.html", "--", 3),
            "tasks/classification--3.html"
        );
    }

    #[test]
    fn the_pager_links_the_ends_and_the_pages_near_the_current_one() {
        let path = |k: usize| nth_path("tasks/x.html", "-", k);
        let pager = Pager::new((6, 20), 500..600, ("datasets", 1990), path);
        let numbers: Vec<Option<usize>> = pager.links.iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            [1, 0, 4, 5, 6, 7, 8, 0, 20].map(|n| (n > 0).then_some(n))
        );
        assert_eq!(pager.prev.as_deref(), Some("x-5.html"));
        assert_eq!(pager.next.as_deref(), Some("x-7.html"));
        assert_eq!(pager.links[0].href.as_deref(), Some("x.html"));
        assert_eq!((pager.first.as_str(), pager.last.as_str()), ("501", "600"));
        assert_eq!(pager.total, "1,990");
        let one = Pager::new((1, 1), 0..0, ("datasets", 0), path);
        assert!(one.prev.is_none() && one.next.is_none());
        assert_eq!(one.first, "0");
    }
}
