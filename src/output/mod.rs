//! Write: put the rendered site on disk, all or nothing, and nothing outside the output.
//!
//! Pages are written into a staging directory beside the output (`.NAME.medatlas-next`), with
//! the static files and a marker file. Only when every write succeeded is the staging directory
//! published in place of the previous output, in one atomic step on Linux
//! (`renameat2(RENAME_EXCHANGE)`): a web server serving the output sees the old site or the new
//! one, never a missing or half-written one, and a build killed at any moment leaves the
//! previous site in place. The previous output then becomes the staging directory of the next
//! build: rewriting existing files in place is several times faster on ext4 than creating
//! 10,000 new ones, and files that a build no longer produces are removed from it before the
//! swap. Where the exchange is not supported (other systems, some network file systems), the
//! old output is renamed aside and the new one renamed in: two renames, with a moment between
//! them in which the output does not exist.
//!
//! What may be replaced is decided by [`crate::common::guard`]. A directory without the marker was not
//! made by medatlas: it is replaced only with `--force`, and then moved aside to a named place,
//! never deleted. Every file is written through [`crate::common::guard::join_inside`], never through a
//! symbolic link (links found in a reused staging directory are removed first), and one build
//! holds a lock so that two builds cannot interleave in one staging directory.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::common::error::Error;
use crate::common::guard::{self, Protected, Refusal};
use crate::input::theme::StaticFile;

pub mod manifest;
pub mod single;

/// Written into every output directory medatlas creates.
pub const MARKER: &str = ".medatlas-output";

/// Why the output could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output (or its staging sibling) exists and was not made by medatlas.
    NotOurs(PathBuf),
    /// The single file's path holds a file that medatlas did not write.
    NotOurFile(PathBuf),
    /// The output may not be replaced, or a path would leave it.
    Refused(Refusal),
    /// Two files of the site would have the same path.
    Collision(String),
    /// Another build is writing to the same output.
    Busy(PathBuf),
    /// The file system said no.
    Io(Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotOurs(p) => write!(
                f,
                "{} exists and was not created by medatlas (no {MARKER} file in it); \
                 choose another --output, or pass --force to move it aside and replace it",
                p.display()
            ),
            WriteError::NotOurFile(p) => write!(
                f,
                "{} exists and is not a single file written by medatlas; \
                 choose another --single-file path, or pass --force to move it aside and replace it",
                p.display()
            ),
            WriteError::Refused(refusal) => write!(f, "{refusal}"),
            WriteError::Collision(message) => write!(f, "{message}"),
            WriteError::Busy(p) => write!(
                f,
                "another medatlas build is writing to {}: wait for it to finish",
                p.display()
            ),
            WriteError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl From<Refusal> for WriteError {
    fn from(refusal: Refusal) -> Self {
        WriteError::Refused(refusal)
    }
}

fn io_err(what: &str, path: &Path) -> impl FnOnce(io::Error) -> WriteError {
    let message = format!("cannot {what} {}", path.display());
    move |e| WriteError::Io(Error::caused_by(message, e))
}

impl From<WriteError> for Error {
    fn from(e: WriteError) -> Error {
        match e {
            WriteError::Io(error) => error,
            other => Error::new(other.to_string()),
        }
    }
}

/// What publishing did besides putting the new site in place.
#[derive(Debug, Default)]
pub(crate) struct Published {
    /// Where a directory that medatlas did not create was moved (with `--force`).
    pub(crate) moved_aside: Option<PathBuf>,
}

/// A staging directory being filled with the next site. Pages are written into it as soon as
/// they are rendered (from any thread); [`Staging::commit`] then adds the static files, removes
/// what an earlier build left that this one did not write, and publishes it.
pub(crate) struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// The output exists and is not ours: it is moved aside when the site is published.
    foreign: bool,
    written: Mutex<HashSet<String>>,
    directories: Mutex<HashSet<PathBuf>>,
    _lock: fs::File,
}

/// `output`, resolved, when a build of the catalog at `root` may write there at all: never the
/// places [`crate::common::guard`] protects, with or without `--force`.
pub(crate) fn permitted(root: &Path, output: &Path) -> Result<PathBuf, WriteError> {
    let output = guard::resolve(output).map_err(io_err("resolve", output))?;
    let protected = Protected::for_catalog(root).map_err(io_err("resolve", root))?;
    protected.check(&output)?;
    Ok(output)
}

impl Staging {
    /// Check that `output` may be replaced and prepare its staging directory.
    pub(crate) fn open(root: &Path, output: &Path, force: bool) -> Result<Staging, WriteError> {
        let output = permitted(root, output)?;
        let foreign = fs::symlink_metadata(&output).is_ok() && !ours(&output);
        if foreign && !force {
            return Err(WriteError::NotOurs(output));
        }
        let parent = output.parent().expect("the guard refuses the root");
        let name = output
            .file_name()
            .expect("a resolved path below the root has a name")
            .to_string_lossy()
            .into_owned();
        fs::create_dir_all(parent).map_err(io_err("create", parent))?;
        let dir = parent.join(format!(".{name}.medatlas-next"));
        let lock = prepare_staging(&dir, &output)?;
        Ok(Staging {
            output,
            foreign,
            written: Mutex::new(HashSet::from([MARKER.to_string()])),
            directories: Mutex::new(HashSet::from([dir.clone()])),
            dir,
            _lock: lock,
        })
    }

    /// Write one file of the site, `relative` to its root (`datasets/x.html`).
    pub(crate) fn write(&self, relative: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let path = self.claim(relative)?;
        write_if_changed(&path, bytes)
    }

    /// Write one file of the site by `fill`, which writes its bytes as they are made (a file
    /// too large to hold whole, such as `catalog.json`), through a buffer: its path is claimed
    /// as by [`Staging::write`], and what was there is replaced.
    pub(crate) fn write_streamed(
        &self,
        relative: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), WriteError> {
        let path = self.claim(relative)?;
        if let Ok(meta) = fs::symlink_metadata(&path) {
            clear_way(&path, &meta)?;
        }
        open_no_follow(&path, true)
            .and_then(|file| {
                let mut out = io::BufWriter::with_capacity(1 << 16, file);
                fill(&mut out)?;
                out.flush()
            })
            .map_err(io_err("write", &path))
    }

    /// The path of the file `relative` to the site's root, claimed for this build (no other
    /// file may be written there), with its directory made.
    fn claim(&self, relative: &str) -> Result<PathBuf, WriteError> {
        let path = guard::join_inside(&self.dir, relative)?;
        let first = self
            .written
            .lock()
            .expect("not poisoned")
            .insert(relative.to_string());
        if !first {
            return Err(WriteError::Collision(format!(
                "two files of the site would be written to {relative}: \
                 rename one of the entries or terms that lead to it"
            )));
        }
        if let Some(parent) = path.parent() {
            let known = self
                .directories
                .lock()
                .expect("not poisoned")
                .contains(parent);
            if !known {
                fs::create_dir_all(parent).map_err(io_err("create", parent))?;
                self.directories
                    .lock()
                    .expect("not poisoned")
                    .insert(parent.to_path_buf());
            }
        }
        crate::common::fault::point("page");
        Ok(path)
    }

    /// Add the static files, remove files an earlier build left, and publish the staging
    /// directory in place of the output.
    pub(crate) fn commit(self, statics: &[StaticFile]) -> Result<Published, WriteError> {
        let pages = self.written.lock().expect("not poisoned").clone();
        let mut files = pages.clone();
        write_static(statics, &self.dir, &pages, &mut files)?;
        remove_stale(&self.dir, &files)?;
        crate::common::fault::point("before-swap");
        let published = publish(&self.output, &self.dir, self.foreign)?;
        crate::common::fault::point("after-swap");
        Ok(published)
    }
}

/// Write one file straight into a live site (the development server's quick rebuilds), whose
/// bytes the caller knows to have changed. The file is overwritten where it is and cut to its
/// new length, so that a page of about the same size reuses the memory of the old one.
pub fn write_in_place(dir: &Path, relative: &str, bytes: &[u8]) -> Result<(), WriteError> {
    let path = guard::join_inside(dir, relative)?;
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err("create", parent))?;
    }
    if let Ok(meta) = fs::symlink_metadata(&path) {
        clear_way(&path, &meta)?;
    }
    open_no_follow(&path, false)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.set_len(bytes.len() as u64)
        })
        .map_err(io_err("write", &path))
}

/// Create the staging directory, or make an earlier one safe to reuse: it must be ours, and
/// anything in it that is neither a plain file nor a directory (a symbolic link planted in an
/// old output, a socket) is removed, so that no write can go through it. Returns its marker
/// file, locked: a second build of the same output is refused until the first is done.
fn prepare_staging(dir: &Path, output: &Path) -> Result<fs::File, WriteError> {
    match fs::symlink_metadata(dir) {
        // An empty one is a build's that was stopped between creating it and its marker:
        // nothing in it can be lost, so it is taken over.
        Ok(meta) if !meta.is_dir() || !(ours(dir) || is_empty(dir)) => {
            return Err(WriteError::NotOurs(dir.into()));
        }
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir(dir).map_err(io_err("create", dir))?;
        }
        Err(e) => return Err(io_err("inspect", dir)(e)),
    }
    // The marker goes first: from now on the directory is ours, whatever happens. On failure
    // it may stay half-written: it is hidden, and rewritten by the next build.
    let path = dir.join(MARKER);
    let mut marker = open_no_follow(&path, false).map_err(io_err("write", &path))?;
    match marker.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Err(WriteError::Busy(output.to_path_buf())),
        Err(fs::TryLockError::Error(e)) => return Err(io_err("lock", &path)(e)),
    }
    let text = b"This directory is written by medatlas build and replaced on every build.\n";
    if fs::read(&path).map_err(io_err("read", &path))? != text {
        marker.set_len(0).map_err(io_err("write", &path))?;
        marker.write_all(text).map_err(io_err("write", &path))?;
    }
    remove_links(dir)?;
    Ok(marker)
}

fn remove_links(dir: &Path) -> Result<(), WriteError> {
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(|e| {
            WriteError::Io(Error::caused_by(
                format!("cannot list {}", dir.display()),
                e,
            ))
        })?;
        let kind = entry.file_type();
        if !kind.is_file() && !kind.is_dir() {
            fs::remove_file(entry.path()).map_err(io_err("remove", entry.path()))?;
        }
    }
    Ok(())
}

/// Put `staging` in place of `output`. An output of ours becomes the next staging directory;
/// a foreign one is moved aside to a free name beside it.
fn publish(output: &Path, staging: &Path, foreign: bool) -> Result<Published, WriteError> {
    let exists = fs::symlink_metadata(output).is_ok();
    if !exists {
        rename(staging, output)?;
        return Ok(Published::default());
    }
    if foreign {
        let aside = free_name(output);
        fs::rename(output, &aside).map_err(io_err("move aside", output))?;
        crate::common::fault::point("moved-aside");
        rename(staging, output)?;
        return Ok(Published {
            moved_aside: Some(aside),
        });
    }
    match exchange(staging, output) {
        Ok(()) => Ok(Published::default()),
        Err(e) if exchange_unsupported(&e) => swap_by_renames(output, staging),
        Err(e) => Err(io_err("swap in", output)(e)),
    }
}

fn rename(from: &Path, to: &Path) -> Result<(), WriteError> {
    fs::rename(from, to).map_err(io_err("move into place", to))
}

/// `NAME.medatlas-replaced`, or with `-2`, `-3`, ... when that exists.
fn free_name(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .expect("the output has a name")
        .to_string_lossy();
    (1..)
        .map(|n| match n {
            1 => output.with_file_name(format!("{name}.medatlas-replaced")),
            n => output.with_file_name(format!("{name}.medatlas-replaced-{n}")),
        })
        .find(|p| fs::symlink_metadata(p).is_err())
        .expect("some name is free")
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

fn exchange_unsupported(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::Unsupported | io::ErrorKind::InvalidInput
    ) || e.raw_os_error() == Some(38) // ENOSYS
}

/// Where no atomic exchange exists: old output aside, new one in, old one kept for reuse.
fn swap_by_renames(output: &Path, staging: &Path) -> Result<Published, WriteError> {
    let previous = output.with_file_name(format!(
        ".{}.medatlas-previous",
        output.file_name().expect("named").to_string_lossy()
    ));
    if fs::symlink_metadata(&previous).is_ok() {
        if !ours(&previous) {
            return Err(WriteError::NotOurs(previous));
        }
        fs::remove_dir_all(&previous).map_err(io_err("remove", &previous))?;
    }
    fs::rename(output, &previous).map_err(io_err("move aside", output))?;
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&previous, output);
        return Err(io_err("move into place", output)(e));
    }
    fs::rename(&previous, staging).map_err(io_err("keep", &previous))?;
    Ok(Published::default())
}

/// A directory with nothing in it.
fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Did medatlas make this directory: does it hold the marker as a plain file?
fn ours(dir: &Path) -> bool {
    fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

/// Write a file unless it already holds exactly these bytes (it often does: the staging
/// directory holds an earlier build). Reading is much cheaper than writing here, and unchanged
/// files keep their modification time, which helps hosts and sync tools. Never follows a
/// symbolic link: one in the way is replaced by the file.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    if let Ok(meta) = fs::symlink_metadata(path) {
        if meta.is_file()
            && meta.len() == bytes.len() as u64
            && fs::read(path).is_ok_and(|old| old == bytes)
        {
            return Ok(());
        }
        clear_way(path, &meta)?;
    }
    open_no_follow(path, true)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(io_err("write", path))
}

/// Make way for writing a file at `path` (whose metadata is `meta`): a directory there is a
/// collision; anything else that is not a plain file (a symbolic link) is removed, so that
/// the write cannot go through it.
fn clear_way(path: &Path, meta: &fs::Metadata) -> Result<(), WriteError> {
    if meta.is_dir() {
        return Err(WriteError::Collision(format!(
            "cannot write {}: a directory of the site has that name",
            path.display()
        )));
    }
    if !meta.is_file() {
        fs::remove_file(path).map_err(io_err("remove", path))?;
    }
    Ok(())
}

/// Open for writing (`truncate`: emptied), never through a symbolic link.
fn open_no_follow(path: &Path, truncate: bool) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(truncate);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    options.open(path)
}

/// Remove files (and then empty directories) of an earlier build that this one did not write.
fn remove_stale(dir: &Path, written: &HashSet<String>) -> Result<(), WriteError> {
    let mut directories = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(|e| {
            WriteError::Io(Error::caused_by(
                format!("cannot list {}", dir.display()),
                e,
            ))
        })?;
        if entry.file_type().is_dir() {
            directories.push(entry.path().to_path_buf());
            continue;
        }
        let relative = crate::common::paths::relative(dir, entry.path());
        if !relative.as_deref().is_some_and(|r| written.contains(r)) {
            fs::remove_file(entry.path()).map_err(io_err("remove", entry.path()))?;
        }
    }
    for directory in directories.iter().rev() {
        let empty = fs::read_dir(directory)
            .map_err(io_err("list", directory))?
            .next()
            .is_none();
        if empty {
            fs::remove_dir(directory).map_err(io_err("remove", directory))?;
        }
    }
    Ok(())
}

/// Write the static files verbatim into the output root. A static file may replace one of the
/// embedded defaults (`style.css`; [`crate::input::theme`] has already chosen), never a page.
fn write_static(
    statics: &[StaticFile],
    to: &Path,
    pages: &HashSet<String>,
    files: &mut HashSet<String>,
) -> Result<(), WriteError> {
    for file in statics {
        let name = &file.name;
        if pages.contains(name) {
            return Err(WriteError::Collision(format!(
                "static/{name} would replace the generated page {name}: rename or remove it"
            )));
        }
        let target = guard::join_inside(to, name)?;
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io_err("create", parent))?;
        }
        write_if_changed(&target, &file.bytes)?;
        files.insert(name.clone());
    }
    Ok(())
}
