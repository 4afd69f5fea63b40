//! The single-file edition on disk (`build --single-file PATH`): one file, written beside its
//! path and renamed over it, so that the path holds the previous file or the new one, never
//! half of one.
//!
//! The path is refused where a site may not go ([`crate::common::guard::Protected::check_file`]).
//! A file already there is replaced when it is a single file of medatlas (it ends with
//! [`MARKER`]); any other file is replaced only with `--force`, and then moved aside to
//! `PATH.medatlas-replaced`, never deleted.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{WriteError, free_name, io_err, open_no_follow, rename};
use crate::common::guard::{self, Protected};

/// The last line of every single file medatlas writes: what lets a later build replace it.
pub const MARKER: &str = "<!-- medatlas single-file edition -->\n";

/// `path`, resolved, when a build of the catalog at `root` may write the single file there.
pub(crate) fn permitted_file(root: &Path, path: &Path) -> Result<PathBuf, WriteError> {
    let path = guard::resolve(path).map_err(io_err("resolve", path))?;
    let protected = Protected::for_catalog(root).map_err(io_err("resolve", root))?;
    protected.check_file(&path)?;
    if path.file_name().is_none() {
        return Err(WriteError::Io(crate::common::error::Error::new(format!(
            "{} names no file: give --single-file a file name such as catalog.html",
            path.display()
        ))));
    }
    Ok(path)
}

/// Write `html` (which the caller has ended with [`MARKER`]) to `path` (from
/// [`permitted_file`]); returns where a file medatlas did not write was moved (with `force`).
pub(crate) fn write_single_file(
    path: &Path,
    html: &[u8],
    force: bool,
) -> Result<Option<PathBuf>, WriteError> {
    let mut moved_aside = None;
    let foreign = fs::symlink_metadata(path).is_ok_and(|meta| !(meta.is_file() && ours(path)));
    if foreign {
        if !force {
            return Err(WriteError::NotOurFile(path.to_path_buf()));
        }
        let aside = free_name(path);
        rename(path, &aside)?;
        moved_aside = Some(aside);
    }
    let dir = path.parent().expect("a resolved path has a parent");
    fs::create_dir_all(dir).map_err(io_err("create", dir))?;
    let name = path.file_name().expect("checked").to_string_lossy();
    let next = dir.join(format!(".{name}.medatlas-next"));
    let mut file = open_no_follow(&next, true).map_err(io_err("write", &next))?;
    file.write_all(html)
        .and_then(|()| file.sync_all())
        .map_err(io_err("write", &next))?;
    rename(&next, path)?;
    Ok(moved_aside)
}

/// Whether the file at `path` is a single file of medatlas: it ends with [`MARKER`].
fn ours(path: &Path) -> bool {
    use std::io::{Read as _, Seek as _, SeekFrom};
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let len = MARKER.len() as u64;
    let mut tail = Vec::new();
    file.seek(SeekFrom::End(-(len as i64)))
        .and_then(|_| file.take(len).read_to_end(&mut tail))
        .is_ok_and(|_| tail == MARKER.as_bytes())
}
