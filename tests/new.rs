//! `medatlas new`: a template with every field, that passes `check` once filled in.

mod common;

use std::fs;

#[test]
fn new_writes_a_template_that_passes_check_once_filled() {
    let dir = common::catalog(None);
    let output = common::medatlas(dir.path(), &["new", "my-new-set"]);
    assert!(output.status.success(), "{}", common::stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let path = dir.path().join("content/datasets/my-new-set.md");
    assert!(
        stdout.contains("content/datasets/my-new-set.md"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Next steps") && stdout.contains("check"),
        "{stdout}"
    );

    // Unfilled, it cannot pass: every placeholder is an error.
    let unfilled = common::medatlas(dir.path(), &["check"]);
    assert_eq!(unfilled.status.code(), Some(1));
    assert!(
        common::stderr(&unfilled)
            .contains("error[placeholder]: `name` still holds the `TODO` placeholder")
    );

    // Filled as a contributor would, it passes.
    let text = common::read(&path)
        .replace("\"TODO: display name\"", "\"My New Set\"")
        .replace(
            "\"TODO: one sentence, at most 200 characters.\"",
            "\"Chest radiographs.\"",
        )
        .replace(
            "\"TODO: institution that publishes the data\"",
            "\"A Hospital\"",
        )
        .replace("https://TODO.example.org", "https://example.org/set")
        .replace("modalities = [\"TODO\"]", "modalities = [\"x-ray\"]")
        .replace("body_regions = [\"TODO\"]", "body_regions = [\"chest\"]")
        .replace("tasks = [\"TODO\"]", "tasks = [\"classification\"]")
        .replace("access = \"TODO\"", "access = \"open\"")
        .replace("\"TODO: paper title\"", "\"The paper\"")
        .replace(
            "TODO: what the dataset contains",
            "What the dataset contains",
        )
        .replace(
            "- TODO: where each number comes from",
            "- Where each number comes from",
        );
    fs::write(&path, text).unwrap();
    let filled = common::medatlas(dir.path(), &["check"]);
    assert!(filled.status.success(), "{}", common::stderr(&filled));
    assert!(common::stderr(&filled).contains("0 errors, 0 warnings"));
}

#[test]
fn new_refuses_to_overwrite_and_refuses_bad_slugs() {
    let dir = common::catalog(None);
    let good = dir.path().join("content/datasets/good.md");
    let before = common::read(&good);
    let output = common::medatlas(dir.path(), &["new", "good"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stderr(&output).contains("already exists"));
    assert_eq!(common::read(&good), before);

    for bad in ["Bad_Slug", "a--b", "x-", "ünï"] {
        let output = common::medatlas(dir.path(), &["new", bad]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        assert!(
            common::stderr(&output).contains("not a valid slug"),
            "{bad}"
        );
    }
    assert_eq!(
        fs::read_dir(dir.path().join("content/datasets"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn new_never_writes_through_a_link_out_of_the_catalog() {
    let dir = common::catalog(None);
    let outside = tempfile::tempdir().unwrap();
    let datasets = dir.path().join("content/datasets");
    fs::remove_dir_all(&datasets).unwrap();
    std::os::unix::fs::symlink(outside.path(), &datasets).unwrap();
    let output = common::medatlas(dir.path(), &["new", "fresh"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        common::stderr(&output).contains("symbolic link out of the catalog"),
        "{}",
        common::stderr(&output)
    );
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
}
