//! The files the search index is split into, and the compact text encodings they use.
//!
//! The finder on the index page loads `search-index.js` first and the rest only when a view
//! needs it, each file a plain script calling `medatlasShard(name, data)` (so the site still
//! works from `file://`, with no `fetch()`):
//!
//! - `search-index.js` (`core`): facets, synonyms and what the finder needs of every dataset
//!   to filter, count and sort: each facet term's set of datasets ([`doc_set`]), each
//!   dataset's year, and the list of postings shards;
//! - `search/d-K.js`: the display records of datasets `K * RECORDS_PER_FILE ..`, in catalog
//!   order, loaded when a result to show falls in them;
//! - `search/p-KEY.js`: the words starting with `KEY` (their first two characters, or more
//!   where a prefix holds many words: see [`shard_keys`]) with their postings;
//! - `search/l-C.js`: every word starting with the character `C` (for typo correction) and, per
//!   dataset, the best score of any of them (for a query word of one letter);
//! - `search/sort-size.js`, `search/sort-patients.js`: each dataset's place in the catalog
//!   sorted by size or by patients.
//!
//! Numbers are written in a 64-digit alphabet ([`DIGITS`]): [`varint`]s of 5 bits per digit
//! for lists (postings, gaps between datasets), fixed-width numbers for columns of one value
//! per dataset. catalog.js decodes them the same way.

use std::ops::Range;

/// The digits of the encodings: digit value `i` is `DIGITS[i]`.
pub(crate) const DIGITS: &[u8; 64] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Display records per `search/d-K.js` file: small enough that the 50 results of a page
/// scattered over 100,000 datasets load well under a megabyte.
pub(crate) const RECORDS_PER_FILE: usize = 100;

/// A postings shard above this many bytes is split by one more character of its words.
pub(crate) const SHARD_BYTES: usize = 400_000;

/// Append `value` in 5-bit groups, lowest first: digits 32..63 say another digit follows.
pub(crate) fn varint(out: &mut String, mut value: u64) {
    while value >= 32 {
        out.push(DIGITS[32 + (value & 31) as usize] as char);
        value >>= 5;
    }
    out.push(DIGITS[value as usize] as char);
}

/// Append `value` as exactly `width` digits, highest first.
pub(crate) fn fixed(out: &mut String, value: u64, width: u32) {
    for i in (0..width).rev() {
        out.push(DIGITS[((value >> (6 * i)) & 63) as usize] as char);
    }
}

/// The number of digits [`fixed`] needs for values up to `max`.
pub(crate) fn width(max: u64) -> u32 {
    let mut width = 1;
    while width < 10 && max >> (6 * width) > 0 {
        width += 1;
    }
    width
}

/// A set of datasets (sorted, distinct positions below `n`) in the shorter of two forms:
/// `b` and a bitmap of six datasets per digit, or `g` and the gaps between them as
/// [`varint`]s (the first from -1, each minus one).
pub(crate) fn doc_set(docs: &[u32], n: usize) -> String {
    let mut gaps = String::with_capacity(docs.len() + 1);
    gaps.push('g');
    let mut last: i64 = -1;
    for &d in docs {
        varint(&mut gaps, (i64::from(d) - last - 1) as u64);
        last = i64::from(d);
    }
    let bitmap_len = n.div_ceil(6) + 1;
    if gaps.len() <= bitmap_len {
        return gaps;
    }
    let mut bits = vec![0u8; n.div_ceil(6)];
    for &d in docs {
        bits[d as usize / 6] |= 1 << (d % 6);
    }
    std::iter::once('b')
        .chain(bits.into_iter().map(|b| DIGITS[b as usize] as char))
        .collect()
}

/// The name part of a shard's file for a key: letters a-z and digits as they are, any other
/// character as `_` and its code point in hexadecimal and `_`.
pub(crate) fn key_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}_", u32::from(c)));
        }
    }
    out
}

/// The first `n` characters of a word (the whole word if shorter).
fn prefix(word: &str, n: usize) -> &str {
    word.char_indices().nth(n).map_or(word, |(i, _)| &word[..i])
}

/// The postings shards of the sorted `words` (with the size of each one's postings): the
/// words grouped by their first two characters; a group above [`SHARD_BYTES`] split by one
/// more character, again and again, a word no longer than the group's key staying in a
/// shard of its own. Each shard is a key and a range of `words`, in order.
pub(crate) fn shard_keys(words: &[(&str, usize)]) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    split(words, 0..words.len(), 2, &mut out);
    out
}

fn split(
    words: &[(&str, usize)],
    range: Range<usize>,
    chars: usize,
    out: &mut Vec<(String, Range<usize>)>,
) {
    let mut start = range.start;
    while start < range.end {
        let key = prefix(words[start].0, chars);
        let mut end = start + 1;
        let mut bytes = words[start].1;
        while end < range.end && prefix(words[end].0, chars) == key {
            bytes += words[end].1;
            end += 1;
        }
        let longer = words[start..end]
            .iter()
            .any(|(w, _)| w.chars().count() > chars);
        if bytes > SHARD_BYTES && longer && end - start > 1 {
            split(words, start..end, chars + 1, out);
        } else {
            out.push((key.to_string(), start..end));
        }
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_fixed_numbers_use_the_digits() {
        let mut out = String::new();
        for v in [0, 31, 32, 1000] {
            varint(&mut out, v);
        }
        // 32 = 0 + 1 * 32: digits 32 then 1; 1000 = 8 + 31 * 32.
        assert_eq!(out, "0VW1eV");
        let mut out = String::new();
        fixed(&mut out, 4095, 2);
        fixed(&mut out, 1, 3);
        assert_eq!(out, "__001");
        assert_eq!((width(63), width(64), width(262_143)), (1, 2, 3));
    }

    #[test]
    fn a_set_takes_the_shorter_form() {
        assert_eq!(doc_set(&[0, 2, 40], 100), "g01b1");
        let all: Vec<u32> = (0..12).collect();
        assert_eq!(doc_set(&all, 12), "b__");
    }

    #[test]
    fn large_groups_split_by_one_more_character() {
        let big = SHARD_BYTES / 2 + 1;
        let words = [
            ("ab", 10),
            ("abc", 10),
            ("re", 5),
            ("rea", big),
            ("reb", big),
            ("rebus", 1),
            ("x", 1),
            ("é1", 1),
        ];
        let keys: Vec<(String, Range<usize>)> = shard_keys(&words);
        let names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["ab", "re", "rea", "reb", "x", "é1"]);
        assert_eq!(keys[3].1, 4..6);
        assert_eq!(key_name("é1"), "_e9_1");
    }
}
