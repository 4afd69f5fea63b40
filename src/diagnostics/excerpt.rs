//! The few source lines one diagnostic shows, each cut to a window around the place it marks.
//!
//! A snippet never prints a whole long line: a line longer than [`MAX_LINE_BYTES`] is cut to
//! [`CHARS_BEFORE`] characters before the marked place and [`CHARS_AFTER`] after it, with `…`
//! where text was left out. An [`Excerpt`] is a small file of its own for the renderer; it maps
//! its lines back to the real line and column numbers, so headers and gutters stay those of the
//! real file. Building one costs the size of the window, not of the line or the file.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use crate::common::source::Source;

/// Lines up to this many bytes are shown whole.
pub(crate) const MAX_LINE_BYTES: usize = 240;
/// Characters kept before the marked place on a cut line.
pub(crate) const CHARS_BEFORE: usize = 60;
/// Characters kept from the marked place on a cut line.
pub(crate) const CHARS_AFTER: usize = 100;
/// A span over more lines than this shows its first and last line only.
const MAX_LINES: usize = 4;
const ELLIPSIS: &str = "…";

/// One line of an excerpt.
#[derive(Debug)]
struct Line {
    /// The real 1-based line number.
    number: usize,
    /// The part of the real file shown.
    window: Range<usize>,
    /// The real 1-based column of the window's first character.
    column: usize,
    /// Where the window's text starts in the excerpt (after any leading `…`).
    start: usize,
    /// Where the line ends in the excerpt (before its newline).
    end: usize,
}

/// The lines of one span, windowed, as a file the renderer can read.
#[derive(Debug)]
pub(crate) struct Excerpt<'a> {
    name: &'a str,
    text: String,
    lines: Vec<Line>,
}

impl<'a> Excerpt<'a> {
    /// The excerpt of `src` that shows `span`.
    pub(crate) fn new(src: &'a Source, span: &Range<usize>) -> Self {
        let (first, _) = src.location(span.start);
        let (last, _) = src.location(span.end.max(span.start));
        let numbers: Vec<usize> = if last - first < MAX_LINES {
            (first..=last).collect()
        } else {
            vec![first, last]
        };
        let mut excerpt = Excerpt {
            name: &src.path,
            text: String::new(),
            lines: Vec::with_capacity(numbers.len()),
        };
        for number in numbers {
            let line = src.line_range(number);
            let anchor = if number == first {
                span.start
            } else {
                span.end
            };
            excerpt.push_line(src, number, line, anchor);
        }
        excerpt
    }

    fn push_line(&mut self, src: &Source, number: usize, line: Range<usize>, anchor: usize) {
        let window = window(&src.text, line.clone(), anchor);
        if window.start > line.start {
            self.text.push_str(ELLIPSIS);
        }
        let start = self.text.len();
        self.text.push_str(&src.text[window.clone()]);
        let end = self.text.len();
        if window.end < line.end {
            self.text.push_str(ELLIPSIS);
        }
        self.text.push('\n');
        self.lines.push(Line {
            number,
            column: src.location(window.start).1,
            window,
            start,
            end,
        });
    }

    /// `span` of the real file as a span of the excerpt, clipped to the windows shown.
    pub(crate) fn span(&self, span: &Range<usize>) -> Range<usize> {
        let first = &self.lines[0];
        let last = &self.lines[self.lines.len() - 1];
        let start = map(first, span.start);
        start..map(last, span.end.max(span.start)).max(start)
    }

    fn line(&self, index: usize) -> Result<&Line, Error> {
        self.lines.get(index).ok_or(Error::LineTooLarge {
            given: index,
            max: self.lines.len().saturating_sub(1),
        })
    }
}

/// A real offset as an offset in the excerpt line, clamped to its window.
fn map(line: &Line, offset: usize) -> usize {
    line.start + offset.clamp(line.window.start, line.window.end) - line.window.start
}

/// The part of `line` shown around `anchor`: all of it when short, else a window of
/// characters around the anchor.
fn window(text: &str, line: Range<usize>, anchor: usize) -> Range<usize> {
    if line.len() <= MAX_LINE_BYTES {
        return line;
    }
    let mut anchor = anchor.clamp(line.start, line.end);
    while !text.is_char_boundary(anchor) {
        anchor -= 1;
    }
    let start = text[line.start..anchor]
        .char_indices()
        .rev()
        .take(CHARS_BEFORE)
        .last()
        .map_or(anchor, |(i, _)| line.start + i);
    let end = text[anchor..line.end]
        .char_indices()
        .nth(CHARS_AFTER)
        .map_or(line.end, |(i, _)| anchor + i);
    start..end
}

impl<'e> Files<'e> for Excerpt<'_> {
    type FileId = ();
    type Name = &'e str;
    type Source = &'e str;

    fn name(&'e self, (): ()) -> Result<&'e str, Error> {
        Ok(self.name)
    }

    fn source(&'e self, (): ()) -> Result<&'e str, Error> {
        Ok(&self.text)
    }

    fn line_index(&'e self, (): (), byte_index: usize) -> Result<usize, Error> {
        let after = self.lines.partition_point(|l| l.start <= byte_index);
        Ok(after.saturating_sub(1))
    }

    fn line_number(&'e self, (): (), line_index: usize) -> Result<usize, Error> {
        Ok(self.line(line_index)?.number)
    }

    fn column_number(
        &'e self,
        (): (),
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, Error> {
        let line = self.line(line_index)?;
        let within = byte_index.clamp(line.start, line.end);
        Ok(line.column + self.text[line.start..within].chars().count())
    }

    fn line_range(&'e self, (): (), line_index: usize) -> Result<Range<usize>, Error> {
        let line = self.line(line_index)?;
        let begin = if line.column > 1 {
            line.start - ELLIPSIS.len()
        } else {
            line.start
        };
        let end = self
            .lines
            .get(line_index + 1)
            .map_or(self.text.len(), |next| {
                next.start - if next.column > 1 { ELLIPSIS.len() } else { 0 }
            });
        Ok(begin..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt_text(text: &str, span: Range<usize>) -> (String, Range<usize>) {
        let src = Source::new("x", text);
        let excerpt = Excerpt::new(&src, &span);
        let mapped = excerpt.span(&span);
        (excerpt.text, mapped)
    }

    #[test]
    fn short_lines_are_shown_whole() {
        let (text, span) = excerpt_text("a = 1\nbad = 2\n", 6..9);
        assert_eq!(text, "bad = 2\n");
        assert_eq!(&text[span], "bad");
    }

    #[test]
    fn a_long_line_is_cut_around_the_span() {
        let line = format!("{}MARK{}", "x".repeat(5000), "y".repeat(5000));
        let (text, span) = excerpt_text(&line, 5000..5004);
        assert_eq!(&text[span], "MARK");
        assert!(
            text.starts_with("…xxx") && text.ends_with("yyy…\n"),
            "{text}"
        );
        assert_eq!(text.chars().count(), CHARS_BEFORE + CHARS_AFTER + 3);
    }

    #[test]
    fn cuts_fall_on_character_boundaries_and_keep_columns() {
        let line = format!("{}MARK{}", "é".repeat(500), "漢".repeat(500));
        let src = Source::new("x", line.as_str());
        let at = 1000;
        let excerpt = Excerpt::new(&src, &(at..at + 4));
        let span = excerpt.span(&(at..at + 4));
        assert_eq!(&excerpt.text[span.clone()], "MARK");
        let location = excerpt.location((), span.start).unwrap();
        assert_eq!((location.line_number, location.column_number), (1, 501));
    }

    #[test]
    fn a_span_over_many_lines_shows_its_first_and_last() {
        let text: String = (1..=10).map(|n| format!("line {n}\n")).collect();
        let src = Source::new("x", text.as_str());
        let span = 0..text.len() - 1;
        let excerpt = Excerpt::new(&src, &span);
        assert_eq!(excerpt.text, "line 1\nline 10\n");
        assert_eq!(excerpt.line_number((), 1).unwrap(), 10);
        let mapped = excerpt.span(&span);
        assert_eq!(&excerpt.text[mapped], "line 1\nline 10");
    }
}
