//! Sizes: an entry's counts by unit (`images`, `volumes`, ... `patients`), each an exact
//! count, a bound (`{ at_least = N }`, `{ at_most = N }`) or `"not stated"`; its `main_unit`
//! and `download_bytes`. A count of 0 is an error: an unknown count is left out.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::Code;
use crate::model::{Size, Sizes, Unit};
use crate::parse::fields::{Fields, FileChecker, SIZE_TYPE, count_of, nearest};

const NOT_STATED: &str = Size::NOT_STATED;

/// A kind of bound: builds the size from its number.
type Bound = fn(u64) -> Size;

/// The keys of a bound, with the size each makes.
const BOUNDS: [(&str, Bound); 2] = [("at_least", Size::AtLeast), ("at_most", Size::AtMost)];

/// Read the sizes of an entry.
pub(crate) fn read_sizes(ck: &mut FileChecker, f: &Fields) -> Sizes {
    let counts = read_counts(ck, f);
    let main_unit = unit_value(ck, f, "main_unit").flatten();
    if let (Some(unit), Some(value)) = (main_unit, f.present(ck, "main_unit"))
        && !counts.iter().any(|(u, _)| *u == unit)
        && f.present(ck, unit.as_str()).is_none()
    {
        let span = ck.file_span(value.span());
        let key = unit.as_str();
        ck.error(
            Code::MainUnitWithoutCount,
            span,
            format!("`main_unit` is \"{key}\", but the entry gives no `{key}`"),
            &format!("add the count (`{key} = 123`, a bound or `{key} = \"{NOT_STATED}\"`), or name a unit the entry gives"),
        );
    }
    Sizes {
        counts,
        main_unit,
        download_bytes: f.count(ck, "download_bytes").map(|n| n.value),
    }
}

/// The counts of a table by unit (an entry's, or a version's), in the order of [`Unit::ALL`].
pub(crate) fn read_counts(ck: &mut FileChecker, f: &Fields) -> Vec<(Unit, Size)> {
    let mut counts = Vec::new();
    for (key, unit) in Unit::ALL {
        if let Some(size) = f.present(ck, key).and_then(|v| size_of(ck, f, key, v)) {
            counts.push((unit, size));
        }
    }
    counts
}

/// One size, as an integer, a bound or `"not stated"`; every other value is reported.
fn size_of(ck: &mut FileChecker, f: &Fields, key: &str, value: &Spanned<DeValue>) -> Option<Size> {
    match value.get_ref() {
        DeValue::Integer(_) => positive(ck, key, value, f).map(Size::Exact),
        DeValue::String(s) if s == NOT_STATED => Some(Size::NotStated),
        DeValue::Table(t) => bound(ck, f, key, t, value),
        _ => {
            f.wrong_type(ck, key, value, SIZE_TYPE);
            None
        }
    }
}

/// A count that must be above 0.
fn positive(ck: &mut FileChecker, key: &str, value: &Spanned<DeValue>, f: &Fields) -> Option<u64> {
    let n = count_of(ck, key, value, f.what())?.value;
    if n > 0 {
        return Some(n);
    }
    let span = ck.file_span(value.span());
    ck.error(
        Code::ZeroCount,
        span,
        format!("`{key}` in {} is 0: a count is never 0", f.what()),
        &format!("an unknown count is left out: remove the line `{key} = 0`, write `{key} = \"{NOT_STATED}\"` when the source gives none, or write the published number"),
    );
    None
}

/// A bound: an inline table holding exactly one of `at_least` and `at_most`.
fn bound(
    ck: &mut FileChecker,
    f: &Fields,
    key: &str,
    table: &DeTable,
    value: &Spanned<DeValue>,
) -> Option<Size> {
    let mut keys = table.iter();
    let only = keys.next().filter(|_| keys.next().is_none());
    let found = only.and_then(|(name, n)| {
        let (_, make) = BOUNDS.iter().find(|(b, _)| *b == name.get_ref().as_ref())?;
        Some((make, n))
    });
    let Some((make, n)) = found else {
        let span = ck.file_span(value.span());
        let written: Vec<&str> = table.keys().map(|k| k.get_ref().as_ref()).collect();
        ck.error(
            Code::BadSize,
            span,
            format!(
                "`{key}` in {} is a table of {{ {} }}: a bound holds one key, `at_least` or `at_most`",
                f.what(),
                written.join(", ")
            ),
            &format!("write `{key} = {{ at_least = 123 }}` (\"more than 123\", \"123+\") or `{key} = {{ at_most = 123 }}` (\"up to 123\")"),
        );
        return None;
    };
    positive(ck, key, n, f).map(make)
}

/// A unit named by `key`: `None` when absent, `Some(None)` when it names no unit (reported).
pub(crate) fn unit_value(ck: &mut FileChecker, f: &Fields, key: &str) -> Option<Option<Unit>> {
    let unit = f.string(ck, key)?;
    if let Some(u) = Unit::named(&unit.value) {
        return Some(Some(u));
    }
    let names = Unit::ALL.map(|(name, _)| name);
    let help = match nearest(&unit.value, names) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("use one of: {}", names.join(", ")),
    };
    ck.error(
        Code::UnknownTerm,
        unit.span,
        format!("unknown unit `{}`", unit.value),
        &help,
    );
    Some(None)
}
