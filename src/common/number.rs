//! Numbers as the pages print them: totals that cannot overflow in silence, thousands
//! separators, percentages and capitalised unit names.

/// The sum of counts, or `None` when it does not fit in a `u64`. Every total is derived with
/// this: the checker reports a table whose totals overflow, so a build never meets `None`.
pub(crate) fn total(counts: impl IntoIterator<Item = u64>) -> Option<u64> {
    counts.into_iter().try_fold(0u64, u64::checked_add)
}

/// 1234567 -> "1,234,567".
pub(crate) fn thousands(n: u64) -> String {
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(n).as_bytes();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, &digit) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit as char);
    }
    out
}

/// `part / whole` as a percentage: one decimal, two below 1%, "0%" for none. Integer
/// arithmetic, rounding half up: exact, and much cheaper than formatting floats 500,000 times.
pub(crate) fn percent(part: u64, whole: u64) -> Option<String> {
    if whole == 0 {
        return None;
    }
    if part == 0 {
        return Some("0%".to_string());
    }
    let (part, whole) = (u128::from(part), u128::from(whole));
    let rounded = |scale: u128| (part * scale * 2 + whole) / (whole * 2);
    let tenths = rounded(1000);
    let (value, decimals) = if tenths < 10 {
        (rounded(10_000), 2)
    } else {
        (tenths, 1)
    };
    let scale = if decimals == 2 { 100 } else { 10 };
    let mut buffer = itoa::Buffer::new();
    let mut out = String::with_capacity(8);
    out.push_str(buffer.format(value / scale));
    out.push('.');
    let fraction = buffer.format(value % scale);
    if decimals == 2 && value % scale < 10 {
        out.push('0');
    }
    out.push_str(fraction);
    out.push('%');
    Some(out)
}

/// "images" -> "Images".
pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(7996), "7,996");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(percent(1, 0), None);
        assert_eq!(percent(0, 10).as_deref(), Some("0%"));
        assert_eq!(percent(7996, 78468).as_deref(), Some("10.2%"));
        assert_eq!(percent(144, 78468).as_deref(), Some("0.18%"));
        assert_eq!(percent(1, 3).as_deref(), Some("33.3%"));
        assert_eq!(percent(2, 3).as_deref(), Some("66.7%"));
        assert_eq!(percent(1, 1).as_deref(), Some("100.0%"));
        assert_eq!(percent(1, 200_000).as_deref(), Some("0.00%"));
        assert_eq!(
            percent(995, 100_000).as_deref(),
            Some("1.0%"),
            "0.995% rounds to one decimal"
        );
    }

    #[test]
    fn totals_are_checked() {
        let big = i64::MAX as u64;
        let cases: &[(&[u64], Option<u64>)] = &[
            (&[], Some(0)),
            (&[u64::MAX], Some(u64::MAX)),
            (&[u64::MAX, 0], Some(u64::MAX)),
            (&[u64::MAX, 1], None),
            (&[big, big], Some(u64::MAX - 1)),
            (&[big, big, big], None),
        ];
        for (counts, expected) in cases {
            assert_eq!(total(counts.iter().copied()), *expected, "{counts:?}");
        }
    }
}
