//! Splitting an entry file into its TOML front matter and its Markdown body.
//!
//! The front matter sits between a first line `+++` and the next line that is exactly `+++`
//! (trailing spaces and `\r` allowed). A `+++` further down belongs to the body. Offsets are
//! kept so that every later diagnostic can be placed in the whole file.

use std::ops::Range;

/// The two parts of an entry, as byte ranges of the file text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The TOML between the `+++` lines.
    pub front_matter: Range<usize>,
    /// The Markdown after the closing line.
    pub body: Range<usize>,
}

/// Why a file has no front matter to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `+++` line.
    Missing,
    /// The opening `+++` (at this byte range) has no closing line.
    Unclosed(Range<usize>),
}

/// Find the front matter of `text` (already stripped of any byte-order mark).
pub fn split(text: &str) -> Result<Split, SplitError> {
    let mut lines = lines_with_offsets(text);
    let (open_start, open_end, first) = lines.next().ok_or(SplitError::Missing)?;
    if !is_delimiter(first) {
        return Err(SplitError::Missing);
    }
    for (start, end, line) in lines {
        if is_delimiter(line) {
            return Ok(Split {
                front_matter: open_end..start,
                body: end..text.len(),
            });
        }
    }
    Err(SplitError::Unclosed(open_start..open_start + 3))
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end() == "+++"
}

/// Each line as (start, end including its newline, text without the newline).
fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, offset, line.trim_end_matches(['\n', '\r']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(text: &str) -> (&str, &str) {
        let split = split(text).unwrap();
        (&text[split.front_matter], &text[split.body])
    }

    type Case = (
        &'static str,
        Result<(&'static str, &'static str), SplitError>,
    );

    #[test]
    fn edge_cases() {
        let cases: &[Case] = &[
            ("+++\na = 1\n+++\nbody\n", Ok(("a = 1\n", "body\n"))),
            (
                "+++\r\na = 1\r\n+++\r\nbody\r\n",
                Ok(("a = 1\r\n", "body\r\n")),
            ),
            ("+++\n+++\n", Ok(("", ""))),
            ("+++\n+++", Ok(("", ""))),
            ("+++  \na = 1\n+++ \n", Ok(("a = 1\n", ""))),
            (
                "+++\na = 1\n+++\nx\n+++\ny\n",
                Ok(("a = 1\n", "x\n+++\ny\n")),
            ),
            ("+++\nb = \"+++\"\n+++\n", Ok(("b = \"+++\"\n", ""))),
            ("", Err(SplitError::Missing)),
            ("a = 1\n", Err(SplitError::Missing)),
            ("\n+++\na = 1\n+++\n", Err(SplitError::Missing)),
            ("++++\n", Err(SplitError::Missing)),
            ("+++\na = 1\n", Err(SplitError::Unclosed(0..3))),
            ("+++", Err(SplitError::Unclosed(0..3))),
        ];
        for (text, expected) in cases {
            let got = split(text).map(|_| parts(text));
            assert_eq!(&got, expected, "input {text:?}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_dropped_before_splitting() {
        let text =
            crate::common::source::decode(b"\xEF\xBB\xBF+++\r\na = 1\r\n+++\r\n".to_vec()).unwrap();
        assert_eq!(parts(&text), ("a = 1\r\n", ""));
    }
}
