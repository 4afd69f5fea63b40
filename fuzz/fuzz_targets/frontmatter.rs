//! Fuzz target `frontmatter`: see [`medatlas_fuzz::frontmatter`] for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| medatlas_fuzz::frontmatter(data));
