//! Fuzz target `entry`: see [`medatlas_fuzz::entry`] for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| medatlas_fuzz::entry(data));
