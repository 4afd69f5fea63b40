//! Syntax: TOML parse errors said in the contributor's terms.
//!
//! The parser's messages name what it expected; two mistakes deserve more: a key set twice
//! (named, with the line where it was first set) and curly quotes (“open”, ‘x’) typed where
//! TOML wants straight ones, as word processors and some keyboards write them.

use std::ops::Range;

/// Curly quotes, with the straight quote each stands for.
const CURLY: [(char, char); 6] = [
    ('\u{201C}', '"'),
    ('\u{201D}', '"'),
    ('\u{201E}', '"'),
    ('\u{2018}', '\''),
    ('\u{2019}', '\''),
    ('\u{201A}', '\''),
];

/// The message and help of a TOML syntax error `message` at `span` of `text` (the TOML text),
/// where `line_of` turns an offset of `text` into a line of the file.
pub(crate) fn explain(
    text: &str,
    span: &Range<usize>,
    message: &str,
    line_of: impl Fn(usize) -> usize,
) -> (String, String) {
    let line = line_around(text, span.start);
    if line.contains(|c| CURLY.iter().any(|(curly, _)| *curly == c)) {
        let straight: String = line
            .trim()
            .chars()
            .map(|c| {
                CURLY
                    .iter()
                    .find(|(curly, _)| *curly == c)
                    .map_or(c, |(_, s)| *s)
            })
            .collect();
        return (
            "invalid TOML: curly quotes (“ ” or ‘ ’) are not TOML quotes".into(),
            format!("write straight quotes: `{straight}`"),
        );
    }
    if message.starts_with("duplicate key") {
        let key = text.get(span.clone()).unwrap_or_default().trim();
        let key = key.trim_matches(|c| c == '"' || c == '\'');
        let message = match first_setting(text, span.start, key) {
            Some(at) => format!(
                "invalid TOML: duplicate key `{key}`: it is already set on line {}",
                line_of(at)
            ),
            None => format!("invalid TOML: duplicate key `{key}`"),
        };
        return (
            message,
            "a key is set once per table: keep one of the two lines".into(),
        );
    }
    (
        format!("invalid TOML: {message}"),
        "check quotes, brackets and `key = value` syntax around this place".into(),
    )
}

/// The line of `text` holding `offset`, without its line break.
fn line_around(text: &str, offset: usize) -> &str {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    &text[start..end]
}

/// The offset of the line before `before` that sets `key`, in the same table (no header
/// between them).
fn first_setting(text: &str, before: usize, key: &str) -> Option<usize> {
    let head = &text[..text[..before.min(text.len())].rfind('\n').unwrap_or(0)];
    let mut end = head.len();
    for line in head.rsplit('\n') {
        let start = end - line.len();
        end = start.saturating_sub(1);
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            return None;
        }
        let name = trimmed.split('=').next().unwrap_or_default().trim();
        if trimmed.contains('=') && name.trim_matches(|c| c == '"' || c == '\'') == key {
            return Some(start);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explained(text: &str, at: &str, message: &str) -> (String, String) {
        let start = text.rfind(at).unwrap();
        let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
        explain(text, &(start..start + at.len()), message, line_of)
    }

    #[test]
    fn syntax_errors_are_explained() {
        for (text, at, message, expected, help) in [
            (
                "a = 1\nb = 2\nimages = 3\nimages = 4\n",
                "images",
                "duplicate key",
                "invalid TOML: duplicate key `images`: it is already set on line 3",
                "a key is set once per table: keep one of the two lines",
            ),
            (
                "\"No Finding\" = [1]\n\"No Finding\" = [2]\n",
                "\"No Finding\"",
                "duplicate key",
                "invalid TOML: duplicate key `No Finding`: it is already set on line 1",
                "a key is set once per table: keep one of the two lines",
            ),
            (
                "x = 1\n[t]\nx = 2\n[u]\nx = 3\n",
                "x",
                "duplicate key",
                "invalid TOML: duplicate key `x`",
                "a key is set once per table: keep one of the two lines",
            ),
            (
                "access = “open”\n",
                "“open”",
                "string values must be quoted",
                "invalid TOML: curly quotes (“ ” or ‘ ’) are not TOML quotes",
                "write straight quotes: `access = \"open\"`",
            ),
            (
                "publisher = ‘x’\n",
                "‘x’",
                "string values must be quoted",
                "invalid TOML: curly quotes (“ ” or ‘ ’) are not TOML quotes",
                "write straight quotes: `publisher = 'x'`",
            ),
            (
                "a = [1,\n",
                "[",
                "unclosed array",
                "invalid TOML: unclosed array",
                "check quotes, brackets and `key = value` syntax around this place",
            ),
        ] {
            assert_eq!(
                explained(text, at, message),
                (expected.to_string(), help.to_string()),
                "{text}"
            );
        }
    }
}
