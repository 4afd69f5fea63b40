//! Slugs: the ids in file names and anchors (entry slugs, heading ids, label ids).

/// Is `slug` a valid entry slug: lowercase ASCII letters and digits in groups joined by single
/// hyphens (`^[a-z0-9]+(-[a-z0-9]+)*$`)?
pub(crate) fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The slug of an entry file: its stem.
pub(crate) fn slug_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// Lowercase words joined by hyphens: "Labels & splits" -> "labels-splits".
pub(crate) fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

/// The ids the dataset page writes itself (the default template's sections and their titles,
/// the page's `main`), which a heading of the description must not take: it gets the next free
/// id instead (a body heading "Versions" becomes `versions-1`). Ids numbered by the page
/// (`table-N`, `ref-N`) are reserved by [`is_page_id`].
pub(crate) const DATASET_PAGE_IDS: &[&str] = &[
    "main",
    "known-issues",
    "data-notes",
    "facts",
    "facts-title",
    "versions",
    "versions-title",
    "demographics",
    "demographics-title",
    "lineage",
    "lineage-title",
    "how-to-get-it",
    "how-to-get-it-title",
    "where-the-files-are",
    "labelling",
    "labelling-title",
    "class-counts",
    "class-counts-title",
    "description",
    "description-title",
    "papers",
    "papers-title",
    "number-sources",
    "number-sources-title",
    "related",
    "related-title",
];

/// Is `id` one the dataset page writes itself: one of [`DATASET_PAGE_IDS`], or a numbered id of
/// a class table (`table-2`) or of a paper or source (`ref-3`)?
pub(crate) fn is_page_id(id: &str) -> bool {
    DATASET_PAGE_IDS.contains(&id)
        || ["table-", "ref-"].iter().any(|prefix| {
            id.strip_prefix(prefix)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// The id of a label (a finding of labels.toml, or a label that matches none) in the label
/// facet, the label matrix and the URL: [`slugify`] after writing out the symbols that tell
/// labels apart, so that "Lung Nodule >= 3 mm" (`lung-nodule-ge-3-mm`) and "Lung Nodule < 3 mm"
/// (`lung-nodule-lt-3-mm`) keep apart. Two labels that still share an id are refused by the
/// checker (`label-id-collision`).
pub(crate) fn label_id(name: &str) -> String {
    let mut spelled = String::with_capacity(name.len() + 8);
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        let word = match c {
            '>' | '<' if chars.peek() == Some(&'=') => {
                chars.next();
                if c == '>' { " ge " } else { " le " }
            }
            '≥' => " ge ",
            '≤' => " le ",
            '>' => " gt ",
            '<' => " lt ",
            '+' => " plus ",
            // A sign after a word ("HER2-", "ER- PR+"), not a hyphen inside one ("Non-TB").
            '-' if spelled.ends_with(char::is_alphanumeric)
                && chars
                    .peek()
                    .is_none_or(|n| n.is_whitespace() || matches!(n, ')' | ',' | ';' | '/')) =>
            {
                " minus "
            }
            '&' => " and ",
            '%' => " percent ",
            _ => {
                spelled.push(c);
                continue;
            }
        };
        spelled.push_str(word);
    }
    slugify(&spelled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_ids_keep_comparisons_and_signs_apart() {
        for (name, id) in [
            ("Lung Nodule >= 3 mm", "lung-nodule-ge-3-mm"),
            ("Lung Nodule < 3 mm", "lung-nodule-lt-3-mm"),
            ("csPCa (ISUP >= 2)", "cspca-isup-ge-2"),
            ("ISUP ≤ 1", "isup-le-1"),
            ("HER2+", "her2-plus"),
            ("HER2-", "her2-minus"),
            ("ER- PR+", "er-minus-pr-plus"),
            ("Non-TB", "non-tb"),
            ("Sick & Non-TB", "sick-and-non-tb"),
            ("No Finding", "no-finding"),
        ] {
            assert_eq!(label_id(name), id, "{name}");
        }
    }

    #[test]
    fn page_ids_are_the_pages_own() {
        for id in [
            "versions",
            "main",
            "table-2",
            "ref-10",
            "class-counts-title",
        ] {
            assert!(is_page_id(id), "{id}");
        }
        for id in ["versions-1", "table-", "table-x", "refs-1", "contents"] {
            assert!(!is_page_id(id), "{id}");
        }
    }
}
