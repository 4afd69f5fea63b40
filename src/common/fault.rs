//! Fault: named points in a build where a test can freeze the process, to show that a build
//! killed there leaves the previous site in place and the next build succeeds.
//!
//! Off unless `MEDATLAS_PAUSE_AT=POINT:FILE` is set: on reaching `POINT`, the process writes
//! `FILE` and waits until it is killed. The points are `page` (a page is about to be written),
//! `before-swap`, `moved-aside` (a foreign output moved aside, the new one not yet in place) and
//! `after-swap`.

use std::sync::OnceLock;

/// The environment variable that names the point and the file to write there.
pub const PAUSE_AT: &str = "MEDATLAS_PAUSE_AT";

/// Freeze here if the environment asks for this point.
pub(crate) fn point(name: &str) {
    static WANTED: OnceLock<Option<(String, String)>> = OnceLock::new();
    let wanted = WANTED.get_or_init(|| {
        let value = std::env::var(PAUSE_AT).ok()?;
        let (point, file) = value.split_once(':')?;
        Some((point.to_string(), file.to_string()))
    });
    if let Some((point, file)) = wanted
        && point == name
    {
        let _ = std::fs::write(file, name);
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}
