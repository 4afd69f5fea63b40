//! Shared helpers for the integration tests: fixture catalogs copied into temporary
//! directories, found through `CARGO_MANIFEST_DIR` (never the current directory).
#![allow(dead_code)]

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

pub(crate) fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn fixtures() -> PathBuf {
    manifest_dir().join("tests/fixtures")
}

/// Copy a directory tree.
pub(crate) fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A temporary catalog: the base fixture, with the files of `overlay` (a directory under
/// tests/fixtures) laid over it; paths listed in the overlay's `REMOVE` file are deleted.
pub(crate) fn catalog(overlay: Option<&Path>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join("base"), dir.path());
    if let Some(overlay) = overlay {
        copy_tree(overlay, dir.path());
        let remove = dir.path().join("REMOVE");
        if remove.exists() {
            for line in fs::read_to_string(&remove).unwrap().lines() {
                fs::remove_file(dir.path().join(line.trim())).unwrap();
            }
            fs::remove_file(remove).unwrap();
        }
        for snapshot in ["expected.txt", "human.txt", "github.txt", "json.json"] {
            let _ = fs::remove_file(dir.path().join(snapshot));
        }
    }
    dir
}

/// A copy of the repository's real catalog (content/ only; templates and static come from
/// the embedded defaults, which are the repository's own files).
pub(crate) fn real_catalog() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&manifest_dir().join("content"), &dir.path().join("content"));
    dir
}

/// Run the medatlas binary with `args` in `dir`, with colours off.
pub(crate) fn medatlas(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_medatlas"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Build `root` into `root/public` with the library, panicking with the report on failure.
pub(crate) fn build(root: &Path) -> PathBuf {
    let output = root.join("public");
    let options = medatlas::BuildOptions {
        root: root.to_path_buf(),
        output: output.clone(),
        force: false,
        jobs: None,
    };
    match medatlas::build(&options) {
        Ok(_) => output,
        Err(medatlas::Failure::Content(report)) => panic!("{}", report.to_plain_string()),
        Err(other) => panic!("{other:?}"),
    }
}

pub(crate) fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
pub(crate) fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// `medatlas serve --port 0` running in `root`, stopped when dropped.
pub(crate) struct Serving {
    pub child: Child,
    pub port: u16,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Start `medatlas serve` on a free port in `root`, once it has built the site and listens.
pub(crate) fn serve(root: &Path) -> Serving {
    let mut child = Command::new(env!("CARGO_BIN_EXE_medatlas"))
        .args(["serve", "--port", "0"])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port = lines
        .by_ref()
        .take(20)
        .map_while(Result::ok)
        .find_map(|line| {
            line.split("http://127.0.0.1:")
                .nth(1)
                .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|p| p.parse().ok())
        })
        .expect("serve prints its address");
    // Keep reading its output, so that the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Serving { child, port }
}

/// A fixture catalog (a directory under tests/fixtures) copied alone into a temporary
/// directory, and built: the directory and its `public/`.
pub(crate) fn built_fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixtures().join(name), dir.path());
    let public = build(dir.path());
    (dir, public)
}

/// The repository's real catalog, built: the directory and its `public/`.
pub(crate) fn built_real_catalog() -> (tempfile::TempDir, PathBuf) {
    let dir = real_catalog();
    let public = build(dir.path());
    (dir, public)
}

/// The text of each cell of a table row: "<td>7,996<span>10.2%</span></td>" gives "7,996".
pub(crate) fn number_cells(row_html: &str) -> Vec<String> {
    row_html
        .split("<td")
        .skip(1)
        .map(|cell| {
            let start = cell.find('>').unwrap() + 1;
            let rest = &cell[start..];
            rest[..rest.find('<').unwrap()].trim().to_string()
        })
        .collect()
}

/// The cells of the row whose header is `label`, in the first table of `html` that has one.
pub(crate) fn row(html: &str, label: &str) -> Vec<String> {
    let header = format!(">{label}</th>");
    let start = html
        .find(&header)
        .unwrap_or_else(|| panic!("no row {label}"));
    let rest = &html[start..];
    number_cells(&rest[..rest.find("</tr>").unwrap()])
}

/// The first class chart of a page: its SVG text, and each bar's count (from its title,
/// "Effusion, Train: 3,000 (16.7%)") and `width`.
pub(crate) fn chart_bars(html: &str) -> (&str, Vec<(u64, f64)>) {
    let chart = &html[html.find("<svg class=\"class-chart\"").expect("a chart")..];
    let chart = &chart[..chart.find("</svg>").unwrap()];
    let bars = chart
        .split("<rect y=")
        .skip(1)
        .map(|bar| {
            let from = bar.find("width=\"").unwrap() + 7;
            let width = &bar[from..from + bar[from..].find('"').unwrap()];
            let title = &bar[bar.find("<title>").unwrap() + 7..bar.find("</title>").unwrap()];
            let count = title[title.rfind(": ").unwrap() + 2..]
                .split(' ')
                .next()
                .unwrap()
                .replace(',', "");
            (count.parse().unwrap(), width.parse().unwrap())
        })
        .collect();
    (chart, bars)
}

/// What [`links`] found in a built site.
#[derive(Debug, Default)]
pub(crate) struct Links {
    /// Every page whose links were followed.
    pub pages: Vec<PathBuf>,
    /// Links to files of the site followed, and how many of them named a fragment.
    pub followed: usize,
    pub with_fragment: usize,
    /// Links that name no file of the site, or a fragment that is no id on its page.
    pub broken: Vec<String>,
}

/// Every href and src of every page of `public`: each must resolve to a file of the site, or
/// be an http(s) URL (or mailto), and each fragment must name an id on its page.
pub(crate) fn links(public: &Path) -> Links {
    let files = tree(public);
    let mut found = Links::default();
    for (path, bytes) in &files {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        found.pages.push(path.clone());
        let html = String::from_utf8_lossy(bytes);
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let link = &piece[..piece.find('"').unwrap()];
                follow(&files, path, link, &mut found);
            }
        }
    }
    found
}

fn follow(
    files: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
    page: &Path,
    link: &str,
    found: &mut Links,
) {
    if link.starts_with("https://") || link.starts_with("http://") || link.starts_with("mailto:") {
        return;
    }
    found.followed += 1;
    let (file, fragment) = link.split_once('#').unwrap_or((link, ""));
    let target = if file.is_empty() {
        page.to_path_buf()
    } else if let Some(from_root) = file.strip_prefix('/') {
        // From the site's root, as a host serves it (404.html links so).
        normalize(Path::new(from_root))
    } else {
        normalize(&page.parent().unwrap().join(file))
    };
    let Some(target_bytes) = files.get(&target) else {
        found.broken.push(format!(
            "{}: {link} (no file {})",
            page.display(),
            target.display()
        ));
        return;
    };
    // A fragment with `=` is a view's state (`index.html#d=slug`), read by the page's script.
    if !fragment.is_empty() && !fragment.contains('=') {
        found.with_fragment += 1;
        let target_html = String::from_utf8_lossy(target_bytes);
        if !target_html.contains(&format!("id=\"{fragment}\"")) {
            found
                .broken
                .push(format!("{}: {link} (no id {fragment})", page.display()));
        }
    }
}

/// A relative path with its `..` and `.` parts resolved.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
