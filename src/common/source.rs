//! Source files as the checker sees them: a display path, the text, and a line index.
//!
//! Every diagnostic points into a [`Source`] by byte offset; this module turns offsets into the
//! 1-based line and column a contributor sees in an editor. Columns count characters, not bytes,
//! so a line with accents or CJK text still points at the right place. Both indexes are built
//! once per file, on its first lookup (most files have no diagnostic and never need them), so a
//! lookup costs the same on a 1 MB line as on a short one.

/// Bytes between two checkpoints of the character index.
const CHUNK: usize = 256;

/// One file of the catalog, decoded to UTF-8 with any byte-order mark removed.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the catalog root with `/` separators, e.g. `content/datasets/x.md`.
    pub path: String,
    /// The decoded text (UTF-8, without a byte-order mark).
    pub text: String,
    /// Where each line starts: built on the first lookup, as the index below.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Characters that start before byte `k * CHUNK`, for each `k`: built on the first lookup
    /// (most files never need one: they have no diagnostic).
    chars_before_chunk: std::sync::OnceLock<Vec<usize>>,
}

impl Source {
    /// A source with the path it is shown under and its text.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            path: path.into(),
            text: text.into(),
            line_starts: std::sync::OnceLock::new(),
            chars_before_chunk: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// Drop the text (the path stays): for a source no longer read.
    pub(crate) fn forget_text(&mut self) {
        *self = Source::new(std::mem::take(&mut self.path), "");
    }

    fn chunk_index(&self) -> &[usize] {
        self.chars_before_chunk.get_or_init(|| {
            let mut index = vec![0];
            for chunk in self.text.as_bytes().chunks(CHUNK) {
                let last = index[index.len() - 1];
                index.push(last + chunk.iter().filter(|&&b| starts_char(b)).count());
            }
            index
        })
    }

    /// The number of characters before byte `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let chunk = offset / CHUNK;
        let rest = &self.text.as_bytes()[chunk * CHUNK..offset];
        self.chunk_index()[chunk] + rest.iter().filter(|&&b| starts_char(b)).count()
    }

    /// Byte range of the 1-based line `line`, without its line break.
    pub(crate) fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let line_starts = self.line_starts();
        let index = line.saturating_sub(1).min(line_starts.len() - 1);
        let start = line_starts[index];
        let end = line_starts
            .get(index + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let end = if self.text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        start..end
    }

    /// 1-based line and column (in characters) of a byte offset. Offsets past the end, or in
    /// the middle of a character, are clamped to the nearest valid position.
    pub fn location(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = line_starts[line];
        let column = self.chars_before(offset) - self.chars_before(line_start) + 1;
        (line + 1, column)
    }
}

/// Is `byte` the first byte of a UTF-8 character (not a continuation byte)?
fn starts_char(byte: u8) -> bool {
    (byte as i8) >= -0x40
}

/// Decode raw file bytes: strip a UTF-8 byte-order mark and insist on UTF-8.
/// A carriage return not followed by a line feed (old Mac line endings) becomes a line feed,
/// which has the same length, so every offset still points at the same place and lines are
/// counted as the editor shows them.
/// On failure returns the byte offset of the first invalid sequence and a lossy decoding, so
/// the diagnostic can still show the line.
pub fn decode(bytes: Vec<u8>) -> Result<String, (usize, String)> {
    let mut bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    lone_carriage_returns_to_line_feeds(&mut bytes);
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        (offset, String::from_utf8_lossy(e.as_bytes()).into_owned())
    })
}

/// Replace each `\r` that is not followed by `\n` with `\n`, in place.
fn lone_carriage_returns_to_line_feeds(bytes: &mut [u8]) {
    if !bytes.contains(&b'\r') {
        return;
    }
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
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
        assert_eq!(src.line_range(1), 0..2);
        assert_eq!(src.line_range(2), 4..7);
        assert_eq!(src.line_range(3), 8..12);
    }

    #[test]
    fn columns_past_a_checkpoint_count_characters() {
        // Lines that cross several checkpoints, with multi-byte characters on either side.
        let line = "é".repeat(CHUNK) + "x" + &"漢".repeat(CHUNK);
        let text = format!("ab\n{line}\n");
        let src = Source::new("x", text.as_str());
        let x = 3 + 2 * CHUNK;
        assert_eq!(src.location(x), (2, CHUNK + 1));
        assert_eq!(src.location(x + 1 + 3 * 10), (2, CHUNK + 12));
        assert_eq!(src.location(text.len()), (3, 1));
    }

    #[test]
    fn decode_strips_bom_and_rejects_invalid_utf8() {
        assert_eq!(decode(b"\xEF\xBB\xBFname".to_vec()).unwrap(), "name");
        assert_eq!(
            decode(b"ok\xFFno".to_vec()),
            Err((2, "ok\u{FFFD}no".into()))
        );
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        for (raw, decoded) in [
            ("a\rb", "a\nb"),
            ("a\r\nb", "a\r\nb"),
            ("a\r\rb\r", "a\n\nb\n"),
            ("a\r\r\nb", "a\n\r\nb"),
        ] {
            assert_eq!(decode(raw.as_bytes().to_vec()).unwrap(), decoded, "{raw:?}");
        }
        let src = Source::new("x", decode(b"a\rb\rc".to_vec()).unwrap());
        assert_eq!(src.location(4), (3, 1));
    }
}
