//! Fuzz target `build_site`: see [`medatlas_fuzz::build_site`] for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| medatlas_fuzz::build_site(data));
