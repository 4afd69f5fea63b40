//! Versions and demographics: the entry's `version`, its `[[versions]]` (newest first, each
//! named once, with a date, a bare DOI and counts) and its `[[demographics]]` tables (sex
//! counts and ages per split), with the checks that need only the entry itself.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::common::number::thousands;
use crate::diagnostics::{Code, Diagnostic};
use crate::format::{DEMOGRAPHICS, VERSION};
use crate::model::{ClassTable, Decimal, Demographics, Located, ReleaseDate, Size, Sizes, Version};
use crate::parse::fields::{DATE_TYPE, Fields, FileChecker, nearest};
use crate::parse::{row_length, size, url};

/// A row of ages, each with its place.
type AgeRow = Located<Vec<Located<Decimal>>>;

/// The oldest age a demographics table may give, in years.
pub(crate) const MAX_AGE: f64 = 130.0;

/// A version as read, with the places its checks point at.
struct Read {
    version: Located<String>,
    date: Option<Located<ReleaseDate>>,
    value: Version,
}

/// The entry's `version` and `[[versions]]`, checked against each other and against the
/// entry's own counts (`sizes`), which are those of `version`.
pub(crate) fn read_versions(
    ck: &mut FileChecker,
    f: &Fields,
    sizes: &Sizes,
) -> (Option<String>, Vec<Version>) {
    let current = f.string(ck, "version");
    let read: Vec<Read> = f
        .tables(ck, "versions")
        .into_iter()
        .filter_map(|(t, span)| read_version(ck, t, span))
        .collect();
    repeated_versions(ck, &read);
    out_of_order(ck, &read);
    if let Some(current) = &current {
        unknown_version(ck, current, &read);
        if let Some(r) = read.iter().find(|r| r.version.value == current.value) {
            other_counts(ck, r, sizes);
        }
    }
    (
        current.map(|c| c.value),
        read.into_iter().map(|r| r.value).collect(),
    )
}

fn read_version(ck: &mut FileChecker, t: &DeTable, span: Range<usize>) -> Option<Read> {
    let f = ck.declared(t, span, &VERSION, false);
    let version = f.string(ck, "version");
    let source = f.string(ck, "source");
    url(ck, "source", source.as_ref());
    let date = date(ck, &f, "date");
    let value = Version {
        version: version.as_ref()?.value.clone(),
        date: date.as_ref().map(|d| d.value),
        doi: f.string(ck, "doi").map(|d| d.value),
        counts: size::read_counts(ck, &f),
        changes: f.string(ck, "changes").map(|c| c.value),
        source: source?.value,
    };
    Some(Read {
        version: version?,
        date,
        value,
    })
}

/// Report each version an earlier item of `[[versions]]` already names.
fn repeated_versions(ck: &mut FileChecker, read: &[Read]) {
    let mut seen: Vec<(String, usize)> = Vec::new();
    for r in read {
        let key = r.version.value.trim().to_lowercase();
        if let Some((_, line)) = seen.iter().find(|(k, _)| *k == key) {
            let message = format!(
                "`[[versions]]` lists version \"{}\" twice (first on line {line})",
                r.version.value
            );
            ck.error(
                Code::DuplicateItem,
                r.version.span.clone(),
                message,
                "list each version once: merge the two `[[versions]]` tables",
            );
        } else {
            seen.push((key, ck.src.location(r.version.span.start).0));
        }
    }
}

/// Report a version dated later than a version listed above it: the list is newest first.
fn out_of_order(ck: &mut FileChecker, read: &[Read]) {
    let mut above: Option<(&str, ReleaseDate)> = None;
    for r in read {
        let Some(date) = &r.date else { continue };
        if let Some((name, earlier)) = above
            && date.value.later_than(earlier)
        {
            ck.error(
                Code::VersionsOutOfOrder,
                date.span.clone(),
                format!(
                    "version \"{}\" ({}) is listed below version \"{name}\" ({earlier}), which is older",
                    r.version.value, date.value
                ),
                &format!(
                    "list `[[versions]]` newest first: move the table of \"{}\" above the one of \"{name}\"",
                    r.version.value
                ),
            );
        }
        above = Some((&r.version.value, date.value));
    }
}

/// Warn where the version the entry's numbers describe gives another count than the entry in
/// the same unit: one of the two belongs to another version, or was mistyped.
fn other_counts(ck: &mut FileChecker, r: &Read, sizes: &Sizes) {
    for &(unit, size) in &r.value.counts {
        let Some(own) = sizes.get(unit) else { continue };
        if compatible(own, size) {
            continue;
        }
        let shown = |s: Size| match s {
            Size::Exact(n) => thousands(n),
            Size::AtLeast(n) => format!("at least {}", thousands(n)),
            Size::AtMost(n) => format!("at most {}", thousands(n)),
            Size::NotStated => Size::NOT_STATED.to_string(),
        };
        let message = format!(
            "version \"{}\" gives {} {unit}, but the entry, whose numbers describe it, gives {}",
            r.value.version,
            shown(size),
            shown(own),
            unit = unit.as_str()
        );
        let warning = Diagnostic::warning(
            Code::VersionCountMismatch,
            ck.src,
            r.version.span.clone(),
            message,
        );
        ck.push(warning.with_help(format!(
            "check both against the version's source; if the entry's `{}` belongs to another version, set `version` to that one",
            unit.as_str()
        )));
    }
}

/// Whether two sizes can describe the same count: equal, an exact count within a bound, two
/// bounds, or one not stated.
fn compatible(a: Size, b: Size) -> bool {
    match (a, b) {
        (Size::Exact(x), Size::Exact(y)) => x == y,
        (Size::Exact(n), Size::AtLeast(min)) | (Size::AtLeast(min), Size::Exact(n)) => n >= min,
        (Size::Exact(n), Size::AtMost(max)) | (Size::AtMost(max), Size::Exact(n)) => n <= max,
        _ => true,
    }
}

/// Report a top-level `version` that no item of `[[versions]]` names.
fn unknown_version(ck: &mut FileChecker, current: &Located<String>, read: &[Read]) {
    if read.is_empty() || read.iter().any(|r| r.version.value == current.value) {
        return;
    }
    let names: Vec<&str> = read.iter().map(|r| r.version.value.as_str()).collect();
    let help = match nearest(&current.value, names.iter().copied()) {
        Some(near) => format!("did you mean `version = \"{near}\"`?"),
        None => format!(
            "name the version the entry's numbers describe, one of: {}; or add its `[[versions]]` table",
            names.join(", ")
        ),
    };
    ck.error(
        Code::UnknownVersion,
        current.span.clone(),
        format!(
            "`version` is \"{}\", which no `[[versions]]` table lists",
            current.value
        ),
        &help,
    );
}

/// A date: a TOML local date, or a `"YYYY-MM"` or `"YYYY"` string.
fn date(ck: &mut FileChecker, f: &Fields, key: &str) -> Option<Located<ReleaseDate>> {
    let value = f.present(ck, key)?;
    let span = ck.file_span(value.span());
    let parsed = match value.get_ref() {
        DeValue::Datetime(d) if d.time.is_none() && d.offset.is_none() => {
            d.date.map(|d| ReleaseDate {
                year: d.year,
                month: Some(d.month),
                day: Some(d.day),
            })
        }
        DeValue::Datetime(_) => {
            return bad_date(ck, key, span, "has a time: a release date is a day");
        }
        DeValue::String(s) if s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') => {
            return bad_date(ck, key, span, "is a full date in quotes");
        }
        DeValue::String(s) => partial_date(s),
        _ => {
            f.wrong_type(ck, key, value, DATE_TYPE);
            return None;
        }
    };
    let Some(date) = parsed else {
        return bad_date(ck, key, span, "is not a date");
    };
    let first = crate::parse::values::FIRST_YEAR;
    let last = crate::parse::values::current_year() + 1;
    match i64::from(date.year) {
        year if year < first => bad_date(ck, key, span, &format!("is before {first}")),
        year if year > last => bad_date(ck, key, span, "is after next year"),
        _ => Some(Located::new(date, span)),
    }
}

/// Report a date that cannot be read; `why` completes "`date` 2019-13 ...".
fn bad_date(
    ck: &mut FileChecker,
    key: &str,
    span: Range<usize>,
    why: &str,
) -> Option<Located<ReleaseDate>> {
    let written = ck
        .src
        .text
        .get(span.clone())
        .unwrap_or_default()
        .to_string();
    ck.error(
        Code::BadDate,
        span,
        format!("`{key}` {written} {why}"),
        &format!(
            "write a TOML date without quotes, `{key} = 2019-09-19`, or `{key} = \"2019-09\"` / `{key} = \"2019\"` when the source gives only the month or the year"
        ),
    );
    None
}

/// `"YYYY"` or `"YYYY-MM"` with a month from 1 to 12.
fn partial_date(text: &str) -> Option<ReleaseDate> {
    let (year, month) = match text.split_once('-') {
        Some((year, month)) => (year, Some(month)),
        None => (text, None),
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) || month.is_some_and(|m| !digits(m, 2)) {
        return None;
    }
    let month = month.map(str::parse::<u8>).transpose().ok()?;
    if month.is_some_and(|m| !(1..=12).contains(&m)) {
        return None;
    }
    Some(ReleaseDate {
        year: year.parse().ok()?,
        month,
        day: None,
    })
}

/// The `[[demographics]]` tables; `tables` are the entry's class tables, whose split sizes a
/// table without `total` is checked against.
pub(crate) fn read_demographics(
    ck: &mut FileChecker,
    f: &Fields,
    tables: &[ClassTable],
) -> Vec<Demographics> {
    f.tables(ck, "demographics")
        .into_iter()
        .filter_map(|(t, span)| read_one(ck, t, span, tables))
        .collect()
}

/// The sex rows of a demographics table, in the order they are summed.
const SEX_ROWS: [&str; 3] = ["female", "male", "sex_unknown"];
/// The age rows, each with its rank: a smaller rank is never above a larger one in a split.
const AGE_ROWS: [(&str, u8); 4] = [
    ("age_min", 0),
    ("age_mean", 1),
    ("age_median", 1),
    ("age_max", 2),
];

fn read_one(
    ck: &mut FileChecker,
    t: &DeTable,
    span: Range<usize>,
    tables: &[ClassTable],
) -> Option<Demographics> {
    let f = ck.declared(t, span, &DEMOGRAPHICS, false);
    let title = f.string(ck, "title");
    let source = f.string(ck, "source");
    url(ck, "source", source.as_ref());
    let unit = size::unit_value(ck, &f, "unit");
    let splits: Vec<String> = f.plain_strings(ck, "splits");
    let mut counts = |key: &str| {
        f.counts(ck, key)
            .filter(|row| row_length(ck, key, row, &splits))
    };
    let total = counts("total");
    let sex = SEX_ROWS.map(&mut counts);
    let ages = AGE_ROWS.map(|(key, _)| ages_of(ck, &f, key, &splits));
    let sd = ages_of(ck, &f, "age_sd", &splits);
    nothing_given(ck, &f, t);
    if splits.is_empty() {
        return None;
    }
    let mut d = Demographics {
        title: title?.value,
        source: source?.value,
        unit: unit.flatten(),
        splits,
        ..Demographics::default()
    };
    sex_sums(ck, &d, total.as_ref(), &sex, tables);
    implausible_ages(ck, &d.splits, &ages, sd.as_ref());
    let plain = |row: Option<AgeRow>| row.map(|r| r.value.into_iter().map(|n| n.value).collect());
    let [female, male, unknown] = sex;
    let [min, mean, median, max] = ages;
    d.total = total.map(|r| r.value);
    d.female = female.map(|r| r.value);
    d.male = male.map(|r| r.value);
    d.sex_unknown = unknown.map(|r| r.value);
    d.age_min = plain(min);
    d.age_mean = plain(mean);
    d.age_median = plain(median);
    d.age_max = plain(max);
    d.age_sd = plain(sd);
    Some(d)
}

/// The keys of a demographics table that hold its data.
const DATA_KEYS: [&str; 8] = [
    "female",
    "male",
    "sex_unknown",
    "age_mean",
    "age_sd",
    "age_median",
    "age_min",
    "age_max",
];

/// Report a demographics table with neither sex counts nor ages. (With `splits = []`, every
/// row given is reported as longer than the splits.)
fn nothing_given(ck: &mut FileChecker, f: &Fields, t: &DeTable) {
    if !ck.recovered && DATA_KEYS.iter().all(|key| t.get(*key).is_none()) {
        ck.error(
            Code::MissingField,
            f.span.start..f.span.start,
            "`[[demographics]]` gives neither sex counts nor ages".into(),
            "add the rows the source publishes (`female = [...]`, `male = [...]`, `age_mean = [...]`...), or remove the table",
        );
    }
}

/// One row of ages, with one number per split.
fn ages_of(ck: &mut FileChecker, f: &Fields, key: &str, splits: &[String]) -> Option<AgeRow> {
    let row = f.numbers(ck, key)?;
    row_length(ck, key, &row, splits).then_some(row)
}

/// Warn where female + male (+ unknown) of a split differs from the split's size: its
/// `total`, or else the split sizes of a class table with the same splits and unit.
fn sex_sums(
    ck: &mut FileChecker,
    d: &Demographics,
    total: Option<&Located<Vec<u64>>>,
    sex: &[Option<Located<Vec<u64>>>; 3],
    tables: &[ClassTable],
) {
    let [Some(female), Some(male), unknown] = sex else {
        return;
    };
    let same_splits = |t: &&ClassTable| {
        t.unit == d.unit()
            && t.splits.len() == d.splits.len()
            && t.splits
                .iter()
                .zip(&d.splits)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    };
    let sizes = match total {
        Some(total) => Some((total.value.as_slice(), "its `total`".to_string())),
        None => tables.iter().find(same_splits).and_then(|t| {
            let images = t.images.as_deref()?;
            Some((images, format!("the class table \"{}\"", t.title)))
        }),
    };
    let Some((sizes, whose)) = sizes else { return };
    for (i, split) in d.splits.iter().enumerate() {
        let part = |row: &Located<Vec<u64>>| row.value.get(i).copied().unwrap_or(0);
        let sum = [Some(female), Some(male), unknown.as_ref()]
            .into_iter()
            .flatten()
            .try_fold(0u64, |sum, row| sum.checked_add(part(row)));
        let Some(size) = sizes.get(i).copied() else {
            continue;
        };
        if sum == Some(size) {
            continue;
        }
        let what = if unknown.is_some() {
            "female + male + unknown"
        } else {
            "female + male"
        };
        let hint = if unknown.is_some() {
            "check the rows against the source"
        } else {
            "check the rows against the source; where the source counts subjects of unknown sex, add `sex_unknown`"
        };
        let message = format!(
            "{what} of split `{split}` is {}, but {whose} gives it {} {}",
            sum.map_or_else(|| "too large".into(), thousands),
            thousands(size),
            d.unit().as_str()
        );
        let warning =
            Diagnostic::warning(Code::SexSumMismatch, ck.src, female.span.clone(), message);
        ck.push(warning.with_help(hint));
    }
}

/// Report ages out of 0..=130, a negative standard deviation, and per split the first pair of
/// ages out of order (min ≤ mean, median ≤ max).
fn implausible_ages(
    ck: &mut FileChecker,
    splits: &[String],
    ages: &[Option<AgeRow>; 4],
    sd: Option<&AgeRow>,
) {
    let rows = AGE_ROWS
        .iter()
        .zip(ages)
        .filter_map(|(&(key, rank), row)| row.as_ref().map(|r| (key, rank, r)));
    let rows: Vec<(&str, u8, &AgeRow)> = rows.collect();
    let mut bad = Vec::new();
    for &(key, _, row) in &rows {
        for (n, split) in row.value.iter().zip(splits) {
            if !(0.0..=MAX_AGE).contains(&n.value.value) {
                bad.push((
                    n.span.clone(),
                    format!(
                        "`{key}` of split `{split}` is {}, outside 0 to {MAX_AGE}",
                        n.value.text
                    ),
                    "write the age in years as the source gives it",
                ));
            }
        }
    }
    for (n, split) in sd.iter().flat_map(|r| r.value.iter().zip(splits)) {
        if n.value.value < 0.0 {
            bad.push((
                n.span.clone(),
                format!(
                    "`age_sd` of split `{split}` is {}: a standard deviation is never negative",
                    n.value.text
                ),
                "write the standard deviation as the source gives it",
            ));
        }
    }
    for (i, split) in splits.iter().enumerate() {
        let order = rows.iter().flat_map(|a| rows.iter().map(move |b| (a, b)));
        let first = order.into_iter().find(|((_, ra, a), (_, rb, b))| {
            ra < rb && a.value[i].value.value > b.value[i].value.value
        });
        if let Some(((ka, _, a), (kb, _, b))) = first {
            bad.push((a.value[i].span.clone(), format!("`{ka}` of split `{split}` ({}) is above its `{kb}` ({})", a.value[i].value.text, b.value[i].value.text), "check both ages against the source: the youngest is never above the mean or median, nor these above the oldest"));
        }
    }
    for (span, message, help) in bad {
        ck.error(Code::ImplausibleAge, span, message, help);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(year: u16, month: Option<u8>, day: Option<u8>) -> ReleaseDate {
        ReleaseDate { year, month, day }
    }

    #[test]
    fn partial_dates_read_year_and_month_only() {
        for (text, expected) in [
            ("2019", Some(day(2019, None, None))),
            ("2019-09", Some(day(2019, Some(9), None))),
            ("2019-12", Some(day(2019, Some(12), None))),
            ("2019-13", None),
            ("2019-00", None),
            ("2019-9", None),
            ("19", None),
            ("2019-09-19", None),
            ("Sept 2019", None),
            ("", None),
        ] {
            assert_eq!(partial_date(text), expected, "{text}");
        }
    }

    /// A date is later than another only where the parts both give say so.
    #[test]
    fn dates_compare_on_the_parts_both_give() {
        let full = day(2019, Some(9), Some(19));
        for (a, b, later) in [
            (full, day(2019, Some(9), Some(18)), true),
            (full, day(2019, Some(9), None), false),
            (day(2019, Some(9), None), full, false),
            (day(2019, Some(10), None), full, true),
            (day(2020, None, None), full, true),
            (day(2019, None, None), full, false),
            (full, day(2019, Some(10), Some(1)), false),
            (full, full, false),
        ] {
            assert_eq!(a.later_than(b), later, "{a} after {b}");
        }
        assert_eq!(full.to_string(), "2019-09-19");
        assert_eq!(day(2019, Some(9), None).to_string(), "2019-09");
    }
}
