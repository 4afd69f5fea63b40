//! Provenance: where each of an entry's numbers comes from and when it was last checked.
//!
//! A `[[papers]]` or `[[sources]]` item names, in `numbers`, the entry's top-level numbers it
//! states ([`NUMBER_KEYS`]). Here are read the `[[sources]]` items and the `checked` date, and
//! checked: every name of `numbers` is a number the entry gives (an error with "did you mean"
//! otherwise), every number the entry gives is named by an item (an `unsourced-number` warning
//! at the number otherwise, whose help shows the `numbers` line to write), and `checked` is a
//! local date neither in the future nor before the entry's `year`.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::common::number::thousands;
use crate::diagnostics::{Code, Diagnostic};
use crate::format::{NUMBER_KEYS, PAPER, SOURCE};
use crate::model::{Date, NumberSource};
use crate::parse::fields::{Fields, FileChecker, as_i64, nearest};
use crate::parse::values::FIRST_YEAR;

/// The tables whose items name numbers: the key of each and how messages name it.
const NAMING: [(&str, &str); 2] = [("papers", PAPER.what), ("sources", SOURCE.what)];

/// The `[[sources]]` items of an entry.
pub(crate) fn read_sources(ck: &mut FileChecker, f: &Fields) -> Vec<NumberSource> {
    f.tables(ck, "sources")
        .into_iter()
        .filter_map(|(t, span)| {
            let f = ck.declared(t, span, &SOURCE, false);
            let title = f.string(ck, "title");
            let link = f.string(ck, "url");
            crate::parse::url(ck, "url", link.as_ref());
            let numbers = f.strings(ck, "numbers");
            Some(NumberSource {
                secondary: f.boolean(ck, "secondary").unwrap_or(false),
                title: title?.value,
                url: link?.value,
                numbers: numbers?.value.into_iter().map(|n| n.value).collect(),
            })
        })
        .collect()
}

/// `checked`: a TOML local date, e.g. `checked = 2026-11-20`.
pub(crate) fn read_checked(ck: &mut FileChecker, f: &Fields) -> Option<Date> {
    let value = f.present(ck, "checked")?;
    let date = match value.get_ref() {
        DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.date,
        _ => None,
    };
    if date.is_none() {
        let span = ck.file_span(value.span());
        let found = match value.get_ref() {
            DeValue::Datetime(dt) if dt.date.is_none() => "a time".to_string(),
            DeValue::Datetime(_) => "a date with a time".to_string(),
            other => format!("a {}", other.type_str()),
        };
        ck.error(
            Code::WrongType,
            span,
            format!("`checked` in {} must be a date, found {found}", f.what()),
            "write the day the numbers were checked, without quotes: `checked = 2026-11-20`",
        );
    }
    date.map(|d| Date {
        year: d.year,
        month: d.month,
        day: d.day,
    })
}

/// Check the provenance of an entry (`doc`): the names of `numbers`, the numbers no item
/// names and the `checked` date, against `today` (days since 1970-01-01).
pub(crate) fn check(ck: &mut FileChecker, doc: &DeTable, today: i64) {
    let mut named: Vec<&str> = Vec::new();
    for (table, what) in NAMING {
        let items = doc.get(table).and_then(|v| v.get_ref().as_array());
        for item in items
            .into_iter()
            .flatten()
            .filter_map(|i| i.get_ref().as_table())
        {
            let names = item.get("numbers").and_then(|v| v.get_ref().as_array());
            for name in names.into_iter().flatten() {
                if let Some(key) = name.get_ref().as_str() {
                    unknown_number(ck, doc, key, name, what);
                    named.push(key);
                }
            }
        }
    }
    for key in NUMBER_KEYS {
        if let Some(value) = doc.get(key)
            && !named.contains(&key)
        {
            unsourced(ck, doc, key, value);
        }
    }
    checked_date(ck, doc, today);
}

/// Report a name of `numbers` that is not a number the entry gives.
fn unknown_number(
    ck: &mut FileChecker,
    doc: &DeTable,
    key: &str,
    name: &Spanned<DeValue>,
    what: &str,
) {
    if key.trim().is_empty() {
        // An empty item is reported as such by the checks of every list.
        return;
    }
    let span = ck.file_span(name.span());
    if !NUMBER_KEYS.contains(&key) {
        let help = match nearest(key, NUMBER_KEYS) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("name one of: {}", NUMBER_KEYS.join(", ")),
        };
        ck.error(
            Code::UnknownNumber,
            span,
            format!("`numbers` in {what} names `{key}`, which is not a number of an entry"),
            &help,
        );
    } else if doc.get(key).is_none() {
        let given: Vec<&str> = NUMBER_KEYS
            .into_iter()
            .filter(|k| doc.get(*k).is_some())
            .collect();
        let help = match nearest(key, given.iter().copied()) {
            Some(near) => format!(
                "did you mean `{near}`? Or add `{key} = ...` above the first `[[...]]` header"
            ),
            None => format!(
                "add `{key} = ...` above the first `[[...]]` header, or remove \"{key}\" from `numbers`"
            ),
        };
        ck.error(
            Code::UnknownNumber,
            span,
            format!("`numbers` in {what} names `{key}`, which the entry does not give"),
            &help,
        );
    }
}

/// The number of a size or count as the page shows it: "112,120", "at least 160,000"; `None`
/// for "not stated" (no number, so no source to name) and values of the wrong type.
fn shown(value: &DeValue) -> Option<String> {
    let number = |v: &DeValue| {
        as_i64(v)
            .filter(|n| *n > 0)
            .map(|n| thousands(n.unsigned_abs()))
    };
    match value {
        DeValue::Integer(_) => number(value),
        DeValue::Table(t) => {
            let (bound, n) = t.iter().next()?;
            let words = bound.get_ref().replace('_', " ");
            Some(format!("{words} {}", number(n.get_ref())?))
        }
        _ => None,
    }
}

/// Warn about a number no paper or source names.
fn unsourced(ck: &mut FileChecker, doc: &DeTable, key: &str, value: &Spanned<DeValue>) {
    let Some(number) = shown(value.get_ref()) else {
        return;
    };
    let span = ck.file_span(value.span());
    let d = Diagnostic::warning(
        Code::UnsourcedNumber,
        ck.src,
        span,
        format!("`{key}` ({number}) is named by no paper or source"),
    );
    let help = unsourced_help(doc, key);
    ck.push(d.with_help(help));
}

/// The line that ties `key` to a source: the first paper's `numbers` with the key added, or a
/// new `[[sources]]` item.
fn unsourced_help(doc: &DeTable, key: &str) -> String {
    let first = doc
        .get("papers")
        .and_then(|v| v.get_ref().as_array())
        .and_then(|a| a.first())
        .and_then(|p| p.get_ref().as_table());
    let tail = "; when no cited source states it, say so in `known_issues`";
    match first {
        Some(paper) => {
            let mut names: Vec<String> = paper
                .get("numbers")
                .and_then(|v| v.get_ref().as_array())
                .into_iter()
                .flatten()
                .filter_map(|n| n.get_ref().as_str().map(|s| format!("\"{s}\"")))
                .collect();
            names.push(format!("\"{key}\""));
            format!(
                "add `numbers = [{}]` to the `[[papers]]` item that states it, or a `[[sources]]` item with `title`, `url` and `numbers = [\"{key}\"]`{tail}",
                names.join(", ")
            )
        }
        None => format!(
            "add a `[[sources]]` item with `title`, `url` and `numbers = [\"{key}\"]` (or `numbers` on the `[[papers]]` item that states it){tail}"
        ),
    }
}

/// Report a `checked` date in the future, or before the year the dataset was released.
fn checked_date(ck: &mut FileChecker, doc: &DeTable, today: i64) {
    let Some(value) = doc.get("checked") else {
        return;
    };
    let Some(date) = value.get_ref().as_datetime().and_then(|d| d.date) else {
        return;
    };
    let released = doc.get("year").and_then(|y| as_i64(y.get_ref()));
    let problem = if days_from_civil(date.year.into(), date.month.into(), date.day.into()) > today {
        "is in the future".to_string()
    } else if i64::from(date.year) < FIRST_YEAR {
        format!("is before {FIRST_YEAR}")
    } else if let Some(year) = released.filter(|y| i64::from(date.year) < *y) {
        format!("is before the dataset's release (`year = {year}`)")
    } else {
        return;
    };
    let span = ck.file_span(value.span());
    ck.error(
        Code::BadCheckedDate,
        span,
        format!("`checked` {date} {problem}"),
        "write the day the numbers were last checked against the sources, e.g. `checked = 2026-11-20`, or leave it out until they are",
    );
}

/// Days since 1970-01-01 of a Gregorian date, after H. Hinnant's `days_from_civil`.
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_1970() {
        for ((y, m, d), days) in [
            ((1970, 1, 1), 0),
            ((1969, 12, 31), -1),
            ((2000, 3, 1), 11_017),
            ((2000, 2, 29), 11_016),
            ((2026, 11, 20), 20_777),
        ] {
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }
}
