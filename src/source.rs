//! Source files as the checker sees them: a display path, the text, and a line index.
//!
//! Every diagnostic points into a [`Source`] by byte offset; this module turns offsets into the
//! 1-based line and column a contributor sees in an editor. Columns count characters, not bytes,
//! so a line with accents or CJK text still points at the right place.

/// One file of the catalog, decoded to UTF-8 with any byte-order mark removed.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the catalog root with `/` separators, e.g. `content/datasets/x.md`.
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl Source {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            path: path.into(),
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset. Offsets past the end, or in
    /// the middle of a character, are clamped to the nearest valid position.
    pub fn location(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        let column = self.text[line_start..offset].chars().count() + 1;
        (line + 1, column)
    }
}

/// Decode raw file bytes: strip a UTF-8 byte-order mark and insist on UTF-8.
/// On failure returns the byte offset of the first invalid sequence and a lossy decoding, so
/// the diagnostic can still show the line.
pub fn decode(bytes: Vec<u8>) -> Result<String, (usize, String)> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        (offset, String::from_utf8_lossy(e.as_bytes()).into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters() {
        let src = Source::new("x", "ab\r\nçd\nlast");
        assert_eq!(src.location(0), (1, 1));
        assert_eq!(src.location(1), (1, 2));
        assert_eq!(src.location(4), (2, 1));
        // 'ç' is two bytes: 'd' is the second character of line 2.
        assert_eq!(src.location(6), (2, 2));
        assert_eq!(src.location(8), (3, 1));
        assert_eq!(src.location(999), (3, 5));
    }

    #[test]
    fn decode_strips_bom_and_rejects_invalid_utf8() {
        assert_eq!(decode(b"\xEF\xBB\xBFname".to_vec()).unwrap(), "name");
        assert_eq!(
            decode(b"ok\xFFno".to_vec()),
            Err((2, "ok\u{FFFD}no".into()))
        );
    }
}
