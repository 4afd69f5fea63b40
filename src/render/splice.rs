//! Splicing: the large parts of a page (thousands of catalog rows, rendered once and cached) do
//! not pass through its template as values. The template gets a short marker in their place, and
//! [`Splice::finish`] copies the rendered text once into a buffer of the final size, putting each
//! part where its marker is. A 10,000-row page is then one template render of a few kilobytes and
//! one copy, instead of a 5 MB value copied into the context, escaped, copied out and regrown.

use std::hash::{BuildHasher, Hasher};
use std::sync::LazyLock;

/// Random per process, so that no text of the catalog can pose as a marker.
static NONCE: LazyLock<String> = LazyLock::new(|| {
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    format!("\u{0}medatlas-part-{random:016x}-")
});

/// The parts of one page, each a list of pieces printed one after the other.
#[derive(Default)]
pub(crate) struct Splice<'a> {
    parts: Vec<Vec<&'a str>>,
}

impl<'a> Splice<'a> {
    /// Add a part made of `pieces`; the template prints the returned marker (with `| safe`)
    /// where the part goes.
    pub(crate) fn part(&mut self, pieces: Vec<&'a str>) -> String {
        self.parts.push(pieces);
        format!("{}{}\u{0}", *NONCE, self.parts.len() - 1)
    }

    /// The page: `rendered` with each marker replaced by its part.
    pub(crate) fn finish(self, rendered: String) -> String {
        if self.parts.is_empty() {
            return rendered;
        }
        let prefix = NONCE.as_str();
        let size: usize = self.parts.iter().flatten().map(|p| p.len()).sum();
        let mut out = String::with_capacity(rendered.len() + size);
        let mut rest = rendered.as_str();
        while let Some(at) = rest.find(prefix) {
            out.push_str(&rest[..at]);
            let after = &rest[at + prefix.len()..];
            let part = after.split_once('\u{0}').and_then(|(number, tail)| {
                let pieces = self.parts.get(number.parse::<usize>().ok()?)?;
                Some((pieces, tail))
            });
            match part {
                Some((pieces, tail)) => {
                    pieces.iter().for_each(|piece| out.push_str(piece));
                    rest = tail;
                }
                None => {
                    out.push_str(prefix);
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_marker_is_replaced_by_its_part_and_other_text_is_kept() {
        let mut splice = Splice::default();
        let a = splice.part(vec!["<tr>1</tr>", "<tr>2</tr>"]);
        let b = splice.part(vec![]);
        let rendered = format!("<table>{a}</table>{b}<p>{a}</p>\u{0}not a marker");
        assert_eq!(
            splice.finish(rendered),
            "<table><tr>1</tr><tr>2</tr></table><p><tr>1</tr><tr>2</tr></p>\u{0}not a marker"
        );
    }

    #[test]
    fn a_marker_of_an_unknown_part_is_left_as_it_is() {
        let mut splice = Splice::default();
        let a = splice.part(vec!["x"]);
        let forged = a.replace("-0\u{0}", "-7\u{0}");
        assert_eq!(splice.finish(format!("{a}{forged}")), format!("x{forged}"));
    }
}
