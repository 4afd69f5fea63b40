//! Values: checks of what an entry's fields hold, beyond their types.
//!
//! Read from the spanned TOML of one entry, field by field as the format declares them
//! ([`crate::format`]), so that every rule holds for every field of its kind: a year within
//! 1900 to next year, no count of 0 (an unknown count is left out), no required string that is
//! empty, a DOI written bare (`10.1000/xyz`, not as a URL or with `doi:`), no item repeated in
//! one list, no entry related to itself, and no more patients than images.

use std::ops::RangeInclusive;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::common::number::thousands;
use crate::diagnostics::Code;
use crate::format::{ENTRY, Field, Kind, Table, entry_tables};
use crate::parse::fields::{FileChecker, as_i64};

/// The earliest year a dataset or paper may carry.
pub(crate) const FIRST_YEAR: i64 = 1900;

/// Check the values of an entry (`doc`) whose slug is `slug`.
pub(crate) fn check(ck: &mut FileChecker, doc: &DeTable, slug: &str) {
    let years = FIRST_YEAR..=current_year() + 1;
    table(ck, doc, &ENTRY, &years);
    for (key, declaration) in entry_tables() {
        let items = doc.get(key).and_then(|v| v.get_ref().as_array());
        for item in items.into_iter().flatten() {
            if let Some(t) = item.get_ref().as_table() {
                table(ck, t, declaration, &years);
            }
        }
    }
    self_related(ck, doc, slug);
    patients_and_images(ck, doc);
}

/// Check each declared field of one table.
fn table(ck: &mut FileChecker, t: &DeTable, declaration: &Table, years: &RangeInclusive<i64>) {
    for field in declaration.fields {
        let Some(value) = t.get(field.key) else {
            continue;
        };
        match field.kind {
            Kind::Integer if field.key == "year" => year(ck, value, years, declaration),
            Kind::Count => zero(ck, field, value, declaration),
            Kind::Text if field.key == "doi" => doi(ck, value),
            Kind::Text | Kind::Term(_) | Kind::Choice(_)
                if field.required || field.key == "version" =>
            {
                empty(ck, field, value, declaration);
            }
            Kind::Texts | Kind::Terms(_) | Kind::NumberKeys => repeated(ck, field.key, value),
            _ => {}
        }
    }
}

fn year(ck: &mut FileChecker, value: &Spanned<DeValue>, years: &RangeInclusive<i64>, t: &Table) {
    let Some(n) = as_i64(value.get_ref()) else {
        return;
    };
    if years.contains(&n) {
        return;
    }
    let span = ck.file_span(value.span());
    let when = if n < *years.start() {
        format!("before {}", years.start())
    } else {
        "after next year".to_string()
    };
    ck.error(
        Code::YearOutOfRange,
        span,
        format!("`year` {n} in {} is {when}", t.what),
        &format!(
            "write the year as the source gives it, from {} to {}, e.g. `year = 2017`",
            years.start(),
            years.end()
        ),
    );
}

fn zero(ck: &mut FileChecker, field: &Field, value: &Spanned<DeValue>, t: &Table) {
    if as_i64(value.get_ref()) != Some(0) {
        return;
    }
    let key = field.key;
    let span = ck.file_span(value.span());
    ck.error(
        Code::ZeroCount,
        span,
        format!("`{key}` in {} is 0: a count is never 0", t.what),
        &format!("an unknown count is left out: remove the line `{key} = 0`, or write the published number"),
    );
}

fn empty(ck: &mut FileChecker, field: &Field, value: &Spanned<DeValue>, t: &Table) {
    if value
        .get_ref()
        .as_str()
        .is_none_or(|s| !s.trim().is_empty())
    {
        return;
    }
    let span = ck.file_span(value.span());
    ck.error(
        Code::EmptyValue,
        span,
        format!("`{}` in {} is empty", field.key, t.what),
        &format!("write the value, e.g. `{} = {}`", field.key, field.example),
    );
}

/// What is wrong with a DOI as written, and the bare DOI when it can be read from it.
pub(crate) fn doi_problem(doi: &str) -> Option<(&'static str, Option<&str>)> {
    let doi = doi.trim();
    if doi.starts_with("10.") {
        return None;
    }
    let lower = doi.to_ascii_lowercase();
    let (what, at) = if let Some(at) = lower.find("doi.org/") {
        ("is written as a URL", at + "doi.org/".len())
    } else if lower.starts_with("doi:") {
        ("has a `doi:` prefix", "doi:".len())
    } else {
        ("is not a DOI: a DOI starts with `10.`", 0)
    };
    let bare = doi[at..].trim();
    Some((what, bare.starts_with("10.").then_some(bare)))
}

fn doi(ck: &mut FileChecker, value: &Spanned<DeValue>) {
    let Some((what, bare)) = value.get_ref().as_str().and_then(doi_problem) else {
        return;
    };
    let help = match bare {
        Some(bare) => format!(
            "write the bare DOI: `doi = \"{bare}\"` (the page links it to https://doi.org/)"
        ),
        None => "write the bare DOI, e.g. `doi = \"10.1000/xyz\"`, or leave the field out".into(),
    };
    let span = ck.file_span(value.span());
    ck.error(Code::BadDoi, span, format!("`doi` {what}"), &help);
}

/// Report each item of a list that an earlier item already names (ignoring case and spaces
/// around it).
fn repeated(ck: &mut FileChecker, key: &str, value: &Spanned<DeValue>) {
    let Some(items) = value.get_ref().as_array() else {
        return;
    };
    let mut seen = std::collections::HashSet::new();
    for item in items {
        let Some(text) = item.get_ref().as_str() else {
            continue;
        };
        if text.trim().is_empty() {
            let span = ck.file_span(item.span());
            ck.error(
                Code::EmptyValue,
                span,
                format!("`{key}` holds an empty item"),
                "remove the empty item, or write what it stands for",
            );
        } else if !seen.insert(text.trim().to_lowercase()) {
            let span = ck.file_span(item.span());
            ck.error(
                Code::DuplicateItem,
                span,
                format!("`{key}` names \"{text}\" more than once"),
                "remove the repeated item",
            );
        }
    }
}

fn self_related(ck: &mut FileChecker, doc: &DeTable, slug: &str) {
    let items = doc.get("related").and_then(|v| v.get_ref().as_array());
    for item in items.into_iter().flatten() {
        if item.get_ref().as_str() == Some(slug) {
            let span = ck.file_span(item.span());
            ck.error(
                Code::SelfRelated,
                span,
                format!("`related` names this entry itself (`{slug}`)"),
                &format!("list other entries only: remove \"{slug}\""),
            );
        }
    }
}

fn patients_and_images(ck: &mut FileChecker, doc: &DeTable) {
    let count = |key| {
        doc.get(key)
            .and_then(|v| Some((as_i64(v.get_ref())?, v.span())))
    };
    let (Some((patients, span)), Some((images, _))) = (count("patients"), count("images")) else {
        return;
    };
    if images <= 0 || patients <= images {
        return;
    }
    let span = ck.file_span(span);
    ck.error(
        Code::PatientsExceedImages,
        span,
        format!(
            "`patients` ({}) is more than `images` ({})",
            thousands(patients.unsigned_abs()),
            thousands(images.unsigned_abs())
        ),
        "each patient has at least one image: check both numbers against the source",
    );
}

/// The current year (UTC), from the system clock.
pub(crate) fn current_year() -> i64 {
    year_of_day(today())
}

/// Today (UTC) as days since 1970-01-01, from the system clock.
pub(crate) fn today() -> i64 {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    i64::try_from(seconds / 86_400).unwrap_or(i64::MAX / 2)
}

/// The Gregorian year of a day counted from 1970-01-01 (day 0), after H. Hinnant's
/// `civil_from_days`.
pub(crate) fn year_of_day(days: i64) -> i64 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let year = year_of_era + era * 400;
    // Months are counted from March: January and February belong to the next year.
    if month_index >= 10 { year + 1 } else { year }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_fall_in_their_years() {
        for (day, year) in [
            (0, 1970),
            (364, 1970),
            (365, 1971),
            (-1, 1969),
            (10_956, 1999),
            (10_957, 2000),
            (11_016, 2000), // 2000-02-29
            (11_322, 2000), // 2000-12-31
            (11_323, 2001),
            (20_818, 2026),
            (20_819, 2027),
        ] {
            assert_eq!(year_of_day(day), year, "{day}");
        }
    }

    #[test]
    fn years_from_1900_to_next_year_are_accepted() {
        let next = current_year() + 1;
        for (year, accepted) in [
            (1899, false),
            (FIRST_YEAR, true),
            (2017, true),
            (next, true),
            (next + 1, false),
            (-5, false),
        ] {
            let text = format!("year = {year}\n");
            let src = crate::common::source::Source::new("content/datasets/x.toml", text.as_str());
            let mut ck = FileChecker::new(&src, 0);
            let doc = ck.parse(&src.text).unwrap();
            check(&mut ck, doc.get_ref(), "x");
            assert_eq!(ck.diagnostics.is_empty(), accepted, "{year}");
        }
    }

    #[test]
    fn dois_are_bare() {
        for (doi, expected) in [
            ("10.1000/xyz", None),
            (" 10.1000/xyz", None),
            (
                "https://doi.org/10.1000/xyz",
                Some(("is written as a URL", Some("10.1000/xyz"))),
            ),
            (
                "http://dx.doi.org/10.1000/xyz",
                Some(("is written as a URL", Some("10.1000/xyz"))),
            ),
            (
                "doi:10.1000/xyz",
                Some(("has a `doi:` prefix", Some("10.1000/xyz"))),
            ),
            (
                "DOI: 10.1000/xyz",
                Some(("has a `doi:` prefix", Some("10.1000/xyz"))),
            ),
            ("xyz", Some(("is not a DOI: a DOI starts with `10.`", None))),
            ("https://doi.org/", Some(("is written as a URL", None))),
        ] {
            assert_eq!(doi_problem(doi), expected, "{doi}");
        }
    }
}
