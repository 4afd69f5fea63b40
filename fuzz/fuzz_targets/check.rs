//! Fuzz target `check`: see [`medatlas_fuzz::check`] for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| medatlas_fuzz::check(data));
