//! Inputs kept from fuzzing (`benches/fuzz.sh`), run through the same invariants as the fuzz
//! targets on the stable toolchain: `tests/fixtures/fuzz/TARGET/*` for each target of
//! `fuzz/fuzz_targets/`.

// The harness's items are `pub` for the fuzz targets, which this test crate is not.
#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code, unreachable_pub)]
mod harness;

use std::path::PathBuf;

type Target = fn(&[u8]);

const TARGETS: &[(&str, Target)] = &[
    ("frontmatter", harness::frontmatter),
    ("entry", harness::entry),
    ("check", harness::check),
    ("markdown", harness::markdown),
    ("build_site", harness::build_site),
];

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
}

fn run(target: &str) {
    let (_, function) = TARGETS.iter().find(|(name, _)| *name == target).unwrap();
    let paths = inputs(target);
    assert!(!paths.is_empty(), "no inputs for {target}");
    for path in paths {
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| function(&data));
        assert!(outcome.is_ok(), "{target} failed on {}", path.display());
    }
}

#[test]
fn every_kept_input_belongs_to_a_target() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            TARGETS.iter().any(|(target, _)| *target == name),
            "tests/fixtures/fuzz/{name} is not a fuzz target"
        );
    }
}

#[test]
fn frontmatter() {
    run("frontmatter");
}

#[test]
fn entry() {
    run("entry");
}

#[test]
fn check() {
    run("check");
}

#[test]
fn markdown() {
    run("markdown");
}

#[test]
fn build_site() {
    run("build_site");
}

/// The HTML invariant is not vacuous: live content is caught, inert content passes.
#[test]
fn the_html_invariant_catches_live_content() {
    let live = [
        "<script>alert(1)</script>",
        "<p><SCRIPT src=x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\" JavaScript:alert(1)\">x</a>",
        "<img src='data:image/svg+xml,x'>",
        "<iframe src=a.html></iframe>",
        "<svg><a xlink:href=\"javascript:x()\">x</a></svg>",
        "<meta http-equiv=\"refresh\" content=\"0\">",
        "<script type=\"application/ld+json\">{\"a\": \"</script><script>x()</script>\"}</script>",
        "<div style=x onmouseover='x()'>",
    ];
    for html in live {
        let caught = std::panic::catch_unwind(|| harness::assert_inert(html, &[])).is_err();
        assert!(caught, "not caught: {html}");
    }
    let inert = [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; onclick=x javascript:x</p>",
        "<a href=\"https://a.org/x?y=1#z\" rel=\"noopener noreferrer\">x</a>",
        "<a href=\"other.html#x\">x</a> <a href=\"mailto:a@b.org\">m</a>",
        "<!-- <script>x()</script> -->",
        "<a href=\"jav&#x200b;ascript:x()\">a relative URL</a>",
        "<script type=\"application/ld+json\">{\"a\": \"<\\/script>\"}</script>",
    ];
    for html in inert {
        harness::assert_inert(html, &[]);
    }
    let own = "<script src=\"../catalog.js\"></script>";
    harness::assert_inert(own, &["catalog.js"]);
    for other in [
        "<script src=\"x.js\"></script>",
        "<script src=\"//h/catalog.js\"></script>",
    ] {
        let caught = std::panic::catch_unwind(|| harness::assert_inert(other, &["catalog.js"]));
        assert!(caught.is_err(), "not caught: {other}");
    }
}
