//! Snapshot tests of `medatlas check --format human|github|json`: the whole output matters,
//! since people read the first and machines (GitHub Actions, editors, scripts) the others.
//! The fixture has two errors and three warnings. `UPDATE_EXPECT=1` rewrites the snapshots.

mod common;

fn snapshot(format: &str, file: &str) {
    let fixture = common::fixtures().join("formats");
    let dir = common::catalog(Some(&fixture));
    for name in ["human.txt", "github.txt", "json.json"] {
        let _ = std::fs::remove_file(dir.path().join(name));
    }
    let output = common::medatlas(dir.path(), &["check", "--format", format]);
    assert_eq!(output.status.code(), Some(1), "errors exit with 1");
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let stderr = common::stderr(&output);
    let got = if format == "human" { stderr } else { stdout };
    let expected_path = fixture.join(file);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, &got).unwrap();
    }
    assert_eq!(got, common::read(&expected_path), "--format {format}");
}

#[test]
fn human() {
    snapshot("human", "human.txt");
}

#[test]
fn github() {
    snapshot("github", "github.txt");
}

#[test]
fn json() {
    snapshot("json", "json.json");
    let json: serde_json::Value =
        serde_json::from_str(&common::read(&common::fixtures().join("formats/json.json"))).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), 5);
    assert!(
        items
            .iter()
            .all(|d| d["file"].is_string() && d["line"].is_u64() && d["code"].is_string())
    );
}
