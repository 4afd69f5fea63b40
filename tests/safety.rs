//! No build can destroy or write anything outside its output: hostile `--output` paths, names
//! taken from content, symbolic links in the catalog and in an old output, `--force`, two
//! builds at once, and builds killed at every stage of writing and publishing.

mod common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The name of the sentinel files: hidden, so that the one in `content/` is not reported as a
/// misplaced entry.
const SENTINEL: &str = ".sentinel";

/// A scratch directory holding a catalog at `cat/` and a sentinel file in every directory a
/// build must never touch.
struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn new() -> Scene {
        let dir = tempfile::tempdir().unwrap();
        let cat = dir.path().join("cat");
        common::copy_tree(&common::fixtures().join("base"), &cat);
        for place in ["", "cat", "cat/content", "home", "work", "x", "repo"] {
            let place = dir.path().join(place);
            fs::create_dir_all(&place).unwrap();
            fs::write(place.join(SENTINEL), "keep").unwrap();
        }
        fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
        fs::create_dir_all(dir.path().join("cat/static/img")).unwrap();
        fs::create_dir_all(dir.path().join("cat/templates")).unwrap();
        Scene { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// `medatlas ARGS` run in `work/`, with `home/` as the home directory.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_medatlas"))
            .args(args)
            .current_dir(self.path("work"))
            .env("HOME", self.path("home"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// Every sentinel is still there, and nothing but the catalog's own files is in `cat/`.
    fn assert_untouched(&self, what: &str) {
        for place in ["", "cat", "cat/content", "home", "work", "x", "repo"] {
            let sentinel = self.path(place).join(SENTINEL);
            assert_eq!(
                fs::read_to_string(&sentinel).ok().as_deref(),
                Some("keep"),
                "{what}: {} was touched",
                sentinel.display()
            );
        }
        assert!(self.path("cat/content/site.toml").is_file(), "{what}");
        assert!(self.path("repo/.git").is_dir(), "{what}");
    }
}

#[test]
fn dangerous_outputs_are_refused_with_or_without_force() {
    let scene = Scene::new();
    let tmp = scene.path("");
    symlink(scene.path("cat"), scene.path("link-to-cat")).unwrap();
    symlink(scene.path(""), scene.path("x/link-to-scene")).unwrap();
    let outputs = [
        "/".to_string(),
        "/tmp".to_string(),
        "//".to_string(),
        "/tmp/..".to_string(),
        tmp.display().to_string(),
        scene.path("home").display().to_string(),
        format!("{}/../home", scene.path("x").display()),
        ".".to_string(),
        "..".to_string(),
        "../work".to_string(),
        "victim/..".to_string(),
        "./../x/..".to_string(),
        scene.path("cat").display().to_string(),
        format!("{}/../cat", scene.path("x").display()),
        format!("{}/../cat/./", scene.path("x").display()),
        scene.path("link-to-cat").display().to_string(),
        format!("{}/cat", scene.path("x/link-to-scene").display()),
        scene.path("cat/content").display().to_string(),
        scene.path("cat/content/datasets").display().to_string(),
        scene.path("cat/content/new/site").display().to_string(),
        scene.path("link-to-cat/static/img").display().to_string(),
        scene.path("cat/templates").display().to_string(),
        scene.path("repo").display().to_string(),
        scene.path("repo/.git/site").display().to_string(),
        scene.path(&format!("x/{SENTINEL}")).display().to_string(),
        "/dev/null".to_string(),
        "/etc/medatlas-site".to_string(),
        "/usr/share/medatlas-site".to_string(),
        "/proc/self/cwd/..".to_string(),
    ];
    for output in &outputs {
        let root = scene.path("cat");
        let root = root.to_str().unwrap();
        for force in [false, true] {
            let mut args = vec!["build", "--root", root, "--output", output.as_str()];
            if force {
                args.push("--force");
            }
            let result = scene.run(&args);
            let stderr = common::stderr(&result);
            assert_eq!(result.status.code(), Some(2), "{output} {force}: {stderr}");
            assert!(stderr.contains("refusing"), "{output}: {stderr}");
            assert!(!stderr.contains("panicked"), "{output}: {stderr}");
            scene.assert_untouched(output);
        }
    }
}

/// A site that is up to date by its manifest but lies in a protected place (here: a directory
/// holding a `.git`) is refused like any other, not reported as up to date.
#[test]
fn a_protected_place_is_refused_even_with_a_current_manifest() {
    let scene = Scene::new();
    let root = scene.path("cat");
    let root = root.to_str().unwrap();
    assert!(scene.run(&["build", "--root", root]).status.success());
    let site = scene.path("x/site");
    common::copy_tree(&scene.path("cat/public"), &site);
    let again = scene.run(&["build", "--root", root, "--output", site.to_str().unwrap()]);
    assert!(
        common::stderr(&again).contains("is up to date"),
        "the copy is current"
    );
    fs::create_dir_all(site.join(".git")).unwrap();
    let refused = scene.run(&["build", "--root", root, "--output", site.to_str().unwrap()]);
    let stderr = common::stderr(&refused);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("refusing"), "{stderr}");
}

#[test]
fn ordinary_outputs_are_accepted() {
    let scene = Scene::new();
    let root = scene.path("cat");
    let shm = tempfile::tempdir_in("/dev/shm").ok();
    let mut outputs = vec![
        scene.path("x/site"),
        scene.path("x/new/deeper/site"),
        scene.path("cat/public"),
        scene.path("cat/content/../public2"),
    ];
    outputs.extend(shm.as_ref().map(|d| d.path().join("site")));
    for output in outputs {
        let args = ["build", "--root", root.to_str().unwrap(), "--output"];
        let built = scene.run(&[&args[..], &[output.to_str().unwrap()]].concat());
        assert!(
            built.status.success(),
            "{}: {}",
            output.display(),
            common::stderr(&built)
        );
        assert!(output.join("index.html").is_file(), "{}", output.display());
    }
    scene.assert_untouched("ordinary outputs");
}

#[test]
fn force_moves_a_foreign_directory_aside_instead_of_deleting_it() {
    let scene = Scene::new();
    let site = scene.path("x/site");
    fs::create_dir_all(site.join("notes")).unwrap();
    fs::write(site.join("notes/precious.txt"), "keep me").unwrap();
    let root = scene.path("cat");
    let args = ["build", "--root", root.to_str().unwrap(), "--output"];
    let plain = scene.run(&[&args[..], &[site.to_str().unwrap()]].concat());
    assert_eq!(plain.status.code(), Some(2));
    assert!(common::stderr(&plain).contains("--force"));

    for n in ["", "-2"] {
        if n == "-2" {
            // A second foreign directory at the same place gets the next free name.
            fs::remove_file(site.join(medatlas::output::MARKER)).unwrap();
        }
        let forced = scene.run(&[&args[..], &[site.to_str().unwrap(), "--force"]].concat());
        let stderr = common::stderr(&forced);
        assert!(forced.status.success(), "{stderr}");
        let aside = scene.path(&format!("x/site.medatlas-replaced{n}"));
        assert!(
            stderr.contains(&aside.display().to_string()),
            "the output says where: {stderr}"
        );
        assert!(site.join("index.html").is_file());
        assert!(aside.exists(), "{}", aside.display());
    }
    assert_eq!(
        common::read(&scene.path("x/site.medatlas-replaced/notes/precious.txt")),
        "keep me"
    );
    scene.assert_untouched("force");
}

#[test]
fn a_term_id_cannot_name_a_file_outside_the_output() {
    let scene = Scene::new();
    let fixture = common::fixtures().join("errors/bad-term-id");
    common::copy_tree(&fixture.join("content"), &scene.path("cat/content"));
    let dataset = scene.path("cat/content/datasets/good.md");
    let text = common::read(&dataset).replace("[\"x-ray\"]", "[\"x-ray\", \"../../victim/pwned\"]");
    fs::write(&dataset, text).unwrap();
    let root = scene.path("cat");
    let result = scene.run(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1), "{}", common::stderr(&result));
    assert!(common::stderr(&result).contains("error[bad-term-id]"));
    let everything: Vec<_> = walkdir::WalkDir::new(scene.path(""))
        .into_iter()
        .map(|e| e.unwrap().path().to_path_buf())
        .collect();
    assert!(
        everything
            .iter()
            .all(|p| !p.to_string_lossy().contains("pwned")),
        "{everything:?}"
    );
    assert!(!scene.path("cat/public").exists());
    scene.assert_untouched("term id");
}

fn unsafe_symlink_report(scene: &Scene) -> String {
    let root = scene.path("cat");
    let result = scene.run(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1), "{}", common::stderr(&result));
    common::stderr(&result)
}

#[test]
fn symlinks_leaving_the_catalog_are_errors_and_never_followed() {
    let scene = Scene::new();
    fs::write(scene.path("secret.txt"), "secret").unwrap();
    let links = [
        ("cat/static/x.txt", scene.path("secret.txt")),
        ("cat/static/img/dir", scene.path("x")),
        ("cat/static/broken.txt", scene.path("nothing-here")),
        ("cat/static/img/loop", scene.path("cat/static")),
        ("cat/templates/base.html", scene.path("secret.txt")),
        ("cat/content/datasets/leak.md", scene.path("secret.txt")),
        ("cat/content/labels.toml", scene.path("secret.txt")),
    ];
    for (link, target) in &links {
        let _ = fs::remove_file(scene.path(link));
        symlink(target, scene.path(link)).unwrap();
    }
    let report = unsafe_symlink_report(&scene);
    for (link, _) in &links {
        let shown = link.strip_prefix("cat/").unwrap();
        assert!(
            report.contains(&format!("{shown}:1:1: error[unsafe-symlink]"))
                || report.contains(&format!(
                    "error[unsafe-symlink]: {shown} is a symbolic link"
                )),
            "{link}: {report}"
        );
    }
    assert_eq!(
        report.matches("error[unsafe-symlink]").count(),
        links.len(),
        "{report}"
    );
    assert!(
        !report.contains("secret\n"),
        "the target is never read: {report}"
    );

    let root = scene.path("cat");
    let built = scene.run(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(1));
    assert!(!scene.path("cat/public").exists());
}

#[test]
fn unsafe_symlink_is_reported_with_its_location() {
    let dir = common::catalog(None);
    fs::create_dir_all(dir.path().join("static")).unwrap();
    symlink("/etc/passwd", dir.path().join("static/x.txt")).unwrap();
    let Err(medatlas::Failure::Content(report)) =
        medatlas::check_catalog(dir.path(), &mut medatlas::Timings::default())
    else {
        panic!("the link must be an error")
    };
    let d = &report.diagnostics[0];
    assert_eq!(
        (d.code.name(), d.path.as_str(), d.line, d.column),
        ("unsafe-symlink", "static/x.txt", 1, 1)
    );
    assert!(
        d.message.contains("points outside the catalog"),
        "{}",
        d.message
    );
    assert!(d.help.as_deref().unwrap().contains("replace the link"));
}

#[test]
fn a_whole_source_directory_linked_outside_is_refused() {
    let scene = Scene::new();
    fs::remove_dir_all(scene.path("cat/static")).unwrap();
    symlink(scene.path("x"), scene.path("cat/static")).unwrap();
    let report = unsafe_symlink_report(&scene);
    assert!(
        report.contains("static is a symbolic link that points outside"),
        "{report}"
    );
}

#[test]
fn symlinks_inside_the_catalog_are_followed() {
    let scene = Scene::new();
    fs::write(scene.path("cat/shared.css"), "body{}").unwrap();
    fs::create_dir_all(scene.path("cat/assets")).unwrap();
    fs::write(scene.path("cat/assets/a.svg"), "<svg/>").unwrap();
    symlink(
        scene.path("cat/shared.css"),
        scene.path("cat/static/extra.css"),
    )
    .unwrap();
    symlink(scene.path("cat/assets"), scene.path("cat/static/assets")).unwrap();
    let entry = scene.path("cat/content/datasets/good.md");
    fs::rename(&entry, scene.path("cat/good-entry.md")).unwrap();
    symlink(scene.path("cat/good-entry.md"), &entry).unwrap();
    let root = scene.path("cat");
    let built = scene.run(&["build", "--root", root.to_str().unwrap()]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    let public = scene.path("cat/public");
    assert_eq!(common::read(&public.join("extra.css")), "body{}");
    assert_eq!(common::read(&public.join("assets/a.svg")), "<svg/>");
    assert!(public.join("datasets/good.html").is_file());
    for file in ["extra.css", "assets/a.svg", "datasets/good.html"] {
        let meta = fs::symlink_metadata(public.join(file)).unwrap();
        assert!(meta.is_file(), "{file} is a copy, not a link");
    }
}

/// A build stopped between creating its staging directory and writing the marker in it leaves
/// an empty directory: the next build takes it over. One with anything in it and no marker is
/// not medatlas's, and is refused.
#[test]
fn an_empty_staging_directory_is_taken_over_and_a_foreign_one_refused() {
    let scene = Scene::new();
    let root = scene.path("cat");
    let root = root.to_str().unwrap();
    let staging = scene.path("cat/.public.medatlas-next");
    fs::create_dir_all(&staging).unwrap();
    let built = scene.run(&["build", "--root", root]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    assert!(scene.path("cat/public/index.html").is_file());
    // Without its manifest, the next build builds in full, through the staging directory.
    fs::remove_file(
        scene
            .path("cat/public")
            .join(medatlas::output::manifest::MANIFEST),
    )
    .unwrap();
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).unwrap();
    fs::write(staging.join("notes.txt"), "someone's file").unwrap();
    let refused = scene.run(&["build", "--root", root]);
    assert!(!refused.status.success());
    assert!(common::stderr(&refused).contains("was not created by medatlas"));
    assert_eq!(common::read(&staging.join("notes.txt")), "someone's file");
}

#[test]
fn links_planted_in_an_old_output_are_never_written_through() {
    let scene = Scene::new();
    let root = scene.path("cat");
    let root = root.to_str().unwrap();
    let public = scene.path("cat/public");
    assert!(scene.run(&["build", "--root", root]).status.success());
    let staging = scene.path("cat/.public.medatlas-next");
    // Without its manifest, the second build builds in full and leaves a staging directory.
    fs::remove_file(public.join(medatlas::output::manifest::MANIFEST)).unwrap();
    assert!(scene.run(&["build", "--root", root]).status.success());
    fs::write(scene.path("x/victim.html"), "victim").unwrap();
    fs::create_dir_all(scene.path("x/victim-dir")).unwrap();
    // Links in the live output (the next build's staging directory after a swap) and in the
    // staging directory itself.
    for dir in [&public, &staging] {
        fs::remove_file(dir.join("datasets/good.html")).unwrap();
        symlink(scene.path("x/victim.html"), dir.join("datasets/good.html")).unwrap();
        fs::remove_file(dir.join("style.css")).unwrap();
        symlink(scene.path("x/victim.html"), dir.join("style.css")).unwrap();
        fs::remove_dir_all(dir.join("modalities")).unwrap();
        symlink(scene.path("x/victim-dir"), dir.join("modalities")).unwrap();
    }
    for _ in 0..2 {
        let built = scene.run(&["build", "--root", root]);
        assert!(built.status.success(), "{}", common::stderr(&built));
        assert_eq!(common::read(&scene.path("x/victim.html")), "victim");
        assert_eq!(fs::read_dir(scene.path("x/victim-dir")).unwrap().count(), 0);
        for file in ["datasets/good.html", "style.css", "modalities/x-ray.html"] {
            let meta = fs::symlink_metadata(public.join(file)).unwrap();
            assert!(meta.is_file(), "{file}");
            assert!(
                !fs::symlink_metadata(public.join("modalities"))
                    .unwrap()
                    .is_symlink()
            );
        }
    }
    scene.assert_untouched("planted links");
}

#[test]
fn a_static_file_cannot_replace_a_page() {
    let scene = Scene::new();
    fs::write(
        scene.path("cat/static/index.html"),
        "<h1>not the index</h1>",
    )
    .unwrap();
    let root = scene.path("cat");
    let built = scene.run(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(built.status.code(), Some(2));
    assert!(
        common::stderr(&built).contains("static/index.html would replace the generated page"),
        "{}",
        common::stderr(&built)
    );
    // The embedded defaults may be replaced: that is how a catalog restyles its site.
    fs::remove_file(scene.path("cat/static/index.html")).unwrap();
    fs::write(scene.path("cat/static/style.css"), "/* mine */").unwrap();
    let built = scene.run(&["build", "--root", root.to_str().unwrap()]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    assert_eq!(
        common::read(&scene.path("cat/public/style.css")),
        "/* mine */"
    );
}

/// A build of a catalog large enough to take a while, started in the background and stopped
/// at a named point (see `medatlas::common::fault`).
fn paused_build(
    root: &Path,
    output: &Path,
    point: &str,
    flag: &Path,
    force: bool,
) -> std::process::Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_medatlas"));
    command
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ])
        .env(
            medatlas::common::fault::PAUSE_AT,
            format!("{point}:{}", flag.display()),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if force {
        command.arg("--force");
    }
    let mut child = command.spawn().unwrap();
    let started = Instant::now();
    while !flag.exists() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the build ended ({status}) before reaching {point}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "never reached {point}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

fn many_entries(root: &Path, n: usize) {
    let good = common::read(&root.join("content/datasets/good.md"));
    for i in 0..n {
        fs::write(
            root.join(format!("content/datasets/set-{i}.md")),
            good.replace("Good Set", &format!("Set {i}")),
        )
        .unwrap();
    }
}

#[test]
fn a_build_killed_at_any_stage_leaves_the_previous_site_and_the_next_build_succeeds() {
    let dir = common::catalog(None);
    let root = dir.path();
    many_entries(root, 40);
    let public = root.join("public");
    common::build(root);
    let before = common::tree(&public);
    // The next build would change every page.
    fs::write(root.join("content/site.toml"), "title = \"Renamed\"\n").unwrap();
    for point in ["page", "before-swap", "after-swap"] {
        let flag = root.join(format!("{point}.flag"));
        let mut child = paused_build(root, &public, point, &flag, false);
        child.kill().unwrap();
        child.wait().unwrap();
        let now = common::tree(&public);
        if point == "after-swap" {
            assert!(common::read(&public.join("index.html")).contains("Renamed"));
        } else {
            assert_eq!(
                now, before,
                "killed at {point}: the previous site is intact"
            );
        }
        fs::remove_file(&flag).unwrap();
    }
    let after = common::build(root);
    let fresh = common::catalog(None);
    many_entries(fresh.path(), 40);
    fs::write(
        fresh.path().join("content/site.toml"),
        "title = \"Renamed\"\n",
    )
    .unwrap();
    assert_eq!(
        common::tree(&after),
        common::tree(&common::build(fresh.path()))
    );
}

#[test]
fn a_forced_build_killed_between_its_renames_loses_nothing() {
    let dir = common::catalog(None);
    let root = dir.path();
    let public = root.join("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join("precious.txt"), "keep me").unwrap();
    let flag = root.join("flag");
    let mut child = paused_build(root, &public, "moved-aside", &flag, true);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        common::read(&root.join("public.medatlas-replaced/precious.txt")),
        "keep me"
    );
    common::build(root);
    assert!(public.join("index.html").is_file());
}

#[test]
fn builds_killed_at_random_moments_never_leave_a_broken_site() {
    let dir = common::catalog(None);
    let root = dir.path();
    many_entries(root, 60);
    let public = common::build(root);
    let mut last = "Fixture catalog".to_string();
    assert!(common::read(&public.join("index.html")).contains(&last));
    for (n, delay) in [0u64, 5, 10, 20, 40, 80, 160].into_iter().enumerate() {
        fs::write(
            root.join("content/site.toml"),
            format!("title = \"Run {n}\"\n"),
        )
        .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_medatlas"))
            .args(["build", "--root", root.to_str().unwrap()])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        child.wait().unwrap();
        let marker = public.join(medatlas::output::MARKER);
        assert!(marker.is_file(), "killed after {delay} ms: no site");
        let now = common::read(&public.join("index.html"));
        assert!(
            now.contains("</html>"),
            "killed after {delay} ms: a torn index"
        );
        let new = format!("Run {n}");
        assert!(
            now.contains(&last) || now.contains(&new),
            "killed after {delay} ms: neither the previous site nor the new one"
        );
        if now.contains(&new) {
            last = new;
        }
    }
    fs::write(root.join("content/site.toml"), "title = \"Final\"\n").unwrap();
    let public = common::build(root);
    assert!(common::read(&public.join("index.html")).contains("Final"));
}

#[test]
fn two_builds_of_one_output_cannot_interleave() {
    let dir = common::catalog(None);
    let root = dir.path();
    many_entries(root, 10);
    let public = common::build(root);
    let flag = root.join("flag");
    let mut first = paused_build(root, &public, "page", &flag, false);
    let second = common::medatlas(root, &["build"]);
    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(second.status.code(), Some(2));
    assert!(
        common::stderr(&second).contains("another medatlas build is writing to"),
        "{}",
        common::stderr(&second)
    );
    assert!(common::medatlas(root, &["build"]).status.success());
}

#[test]
fn readers_never_see_a_missing_site_while_it_is_replaced() {
    let dir = common::catalog(None);
    let root = dir.path().to_path_buf();
    let public = common::build(&root);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let done = done.clone();
        let index = public.join("index.html");
        std::thread::spawn(move || {
            let mut misses = 0;
            let mut looks = 0u64;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                looks += 1;
                if fs::metadata(&index).is_err() {
                    misses += 1;
                }
            }
            (misses, looks)
        })
    };
    for n in 0..20 {
        fs::write(
            root.join("content/site.toml"),
            format!("title = \"Run {n}\"\n"),
        )
        .unwrap();
        common::build(&root);
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let (misses, looks) = watcher.join().unwrap();
    assert!(looks > 100);
    assert_eq!(
        misses, 0,
        "index.html was missing {misses} of {looks} times"
    );
}

#[test]
fn a_static_file_name_that_cannot_be_published_is_a_located_check_error() {
    let dir = common::catalog(None);
    fs::create_dir_all(dir.path().join("static/img")).unwrap();
    fs::write(dir.path().join("static/img/a\\b.png"), "x").unwrap();
    fs::write(dir.path().join("static/c:d.txt"), "x").unwrap();
    fs::write(dir.path().join("static/fine name.txt"), "x").unwrap();
    let Err(medatlas::Failure::Content(report)) =
        medatlas::check_catalog(dir.path(), &mut medatlas::Timings::default())
    else {
        panic!("the names must be errors")
    };
    let found: Vec<_> = report
        .diagnostics
        .iter()
        .map(|d| (d.code.name(), d.path.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        found,
        [
            ("bad-file-name", "static/c:d.txt", 1, 1),
            ("bad-file-name", "static/img/a\\b.png", 1, 1),
        ]
    );
    assert!(
        report.diagnostics[0]
            .message
            .contains("cannot be published")
    );
}

#[test]
fn a_static_file_name_that_is_not_a_plain_path_is_refused_with_its_name() {
    let scene = Scene::new();
    fs::write(scene.path("cat/static/a\\b.txt"), "x").unwrap();
    let root = scene.path("cat");
    let built = scene.run(&["build", "--root", root.to_str().unwrap()]);
    let stderr = common::stderr(&built);
    assert_eq!(built.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error[bad-file-name]"), "{stderr}");
    assert!(!scene.path("cat/public").exists());
    // Should such a name reach the writer anyway, the error names the file, not the output.
    let refused = medatlas::output::write_in_place(&scene.path("x"), "a\\b.txt", b"x")
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("refusing to write a\\b.txt in the site"),
        "{refused}"
    );
    assert!(!refused.contains("--output"), "{refused}");
}
