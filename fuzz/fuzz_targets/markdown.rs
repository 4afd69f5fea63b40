//! Fuzz target `markdown`: see [`medatlas_fuzz::markdown`] for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| medatlas_fuzz::markdown(data));
