//! Moved: help for a line that belongs above the table header it was typed below.
//!
//! TOML reads every `key = value` line below a `[[papers]]`, `[[class_counts]]` (any array of
//! tables of an entry) or
//! `[class_counts.labels]` header as part of that table, so a field of the entry typed at the end
//! of the file becomes an unknown key of a paper, a count of the wrong type or a label. When the
//! key is a field of an enclosing table, with a value of that field's type, the help says to move
//! the line instead of how to write the value. The other way round, a field of a `[[papers]]`,
//! `[[sources]]` or `[[class_counts]]` item typed among the entry's own fields is told to go
//! below that item's header.

use toml::de::DeValue;

use crate::format::{CLASS_COUNTS, ENTRY, Kind, Table, entry_tables};

/// How the rows of a class table are named in messages.
pub(crate) const LABELS_TABLE: &str = "`[class_counts.labels]`";

/// The help for `key` (holding `value`, when known) found in the table named `what`, if the
/// line belongs to an enclosing table.
pub(crate) fn help(what: &str, key: &str, value: Option<&DeValue>) -> Option<String> {
    let enclosing: &[&Table] = if what == LABELS_TABLE {
        &[&CLASS_COUNTS, &ENTRY]
    } else if entry_tables().any(|(_, t)| t.what == what) {
        &[&ENTRY]
    } else {
        &[]
    };
    let owner = enclosing.iter().find(|table| {
        table
            .fields
            .iter()
            .any(|f| f.key == key && value.is_none_or(|v| accepts(f.kind, v)))
    })?;
    let (belongs, above) = if std::ptr::eq(*owner, &CLASS_COUNTS) {
        ("its `[[class_counts]]` table", LABELS_TABLE)
    } else {
        ("the entry", "the first `[[...]]` header")
    };
    Some(format!(
        "`{key}` is a field of {belongs}, but TOML reads every line below the {what} header as \
         part of that table: move the line above {above}"
    ))
}

/// The help for a field of a sub-table (`[[papers]]`, `[[sources]]`, `[[class_counts]]`)
/// typed among the fields of the table that holds it, e.g. `numbers` above every header: the
/// help for an unknown key that is no likely typo of a known one.
pub(crate) fn below(what: &str, key: &str) -> Option<String> {
    let table = [&ENTRY, &CLASS_COUNTS]
        .into_iter()
        .find(|t| t.what == what)?;
    if table.fields.iter().any(|f| f.key == key) {
        return None;
    }
    let owners: Vec<&str> = table
        .fields
        .iter()
        .filter_map(|f| match f.kind {
            Kind::Tables(inner) if inner.fields.iter().any(|g| g.key == key) => Some(inner.what),
            _ => None,
        })
        .collect();
    if owners.is_empty() {
        return None;
    }
    Some(format!(
        "`{key}` is a field of {}, not of {what}: write it below the header of the item it belongs to",
        owners.join(" or ")
    ))
}

/// Whether a value of this type can be a field of this kind.
fn accepts(kind: Kind, value: &DeValue) -> bool {
    match kind {
        Kind::Text | Kind::Url | Kind::Term(_) | Kind::Unit | Kind::Choice(_) => {
            value.as_str().is_some()
        }
        Kind::Integer | Kind::Count => value.as_integer().is_some(),
        Kind::Boolean => value.as_bool().is_some(),
        Kind::Texts
        | Kind::Terms(_)
        | Kind::Counts
        | Kind::Numbers
        | Kind::Tables(_)
        | Kind::NumberKeys => value.as_array().is_some(),
        Kind::Date => matches!(value, DeValue::Datetime(_)),
        Kind::ReleaseDate => value.as_datetime().is_some() || value.as_str().is_some(),
        Kind::LabelRows => value.as_table().is_some(),
        Kind::Size => {
            value.as_integer().is_some()
                || value.as_table().is_some()
                || value.as_str() == Some(crate::model::Size::NOT_STATED)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_below_a_header_are_told_where_they_belong() {
        let doc = toml::de::DeTable::parse("n = 40\ns = \"x\"\nb = true\n").unwrap();
        let value = |key: &str| doc.get_ref().get(key).map(toml::Spanned::get_ref);
        let (integer, text, boolean) = (value("n"), value("s"), value("b"));
        let entry = "the entry, but TOML reads every line below the";
        let class_counts = "its `[[class_counts]]` table";
        for (what, key, value, expected) in [
            ("`[[papers]]`", "name", text, Some(entry)),
            ("`[[papers]]`", "name", None, Some(entry)),
            ("`[[class_counts]]`", "images", integer, Some(entry)),
            ("`[[label_sets]]`", "year", integer, Some(entry)),
            ("`[[downloads]]`", "access", text, Some(entry)),
            ("`[[class_counts]]`", "patients", text, None),
            (LABELS_TABLE, "patients", integer, Some(entry)),
            (LABELS_TABLE, "official", boolean, Some(class_counts)),
            (LABELS_TABLE, "Effusion", integer, None),
            ("a dataset entry", "name", text, None),
        ] {
            let got = help(what, key, value);
            match expected {
                Some(part) => assert!(
                    got.as_deref().is_some_and(|h| h.contains(part)),
                    "{what} {key}: {got:?}"
                ),
                None => assert_eq!(got, None, "{what} {key}"),
            }
        }
        for (key, expected) in [
            (
                "numbers",
                Some("a field of `[[papers]]` or `[[sources]]`, not of a dataset entry"),
            ),
            ("splits", Some("a field of `[[class_counts]]`")),
            ("images", None),
            ("zzz", None),
        ] {
            let got = below("a dataset entry", key);
            match expected {
                Some(part) => assert!(
                    got.as_deref().is_some_and(|h| h.contains(part)),
                    "{key}: {got:?}"
                ),
                None => assert_eq!(got, None, "{key}"),
            }
        }
    }
}
