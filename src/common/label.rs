//! Labels: how two spellings of one label are compared (shared by the checker and the
//! derivation of findings).

/// Lowercase, `_` as space, inner whitespace collapsed.
pub(crate) fn normalize(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for word in label
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}
