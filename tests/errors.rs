//! Every diagnostic the checker can report, triggered by a fixture catalog of its own.
//!
//! Each directory under tests/fixtures/errors/ is laid over tests/fixtures/base/ and checked;
//! `expected.txt` beside it lists the diagnostics (`path:line:col: severity[code]: message`)
//! the run must report, in order. Run with `UPDATE_EXPECT=1` to rewrite them after a deliberate
//! change to a message, then review the diff.

mod common;

use std::collections::BTreeSet;
use std::fs;

use medatlas::diagnostics::Code;
use medatlas::{Failure, Report, Timings};

fn check(root: &std::path::Path) -> Report {
    match medatlas::check_catalog(root, &mut Timings::default()) {
        Ok(checked) => checked.report,
        Err(Failure::Content(report)) => report,
        Err(other) => panic!("{other:?}"),
    }
}

#[test]
fn base_fixture_is_clean() {
    let dir = common::catalog(None);
    let report = check(dir.path());
    assert_eq!(report.headlines(), "");
    assert_eq!(report.summary(), "0 errors, 0 warnings in 5 files");
}

#[test]
fn each_fixture_reports_its_expected_diagnostics() {
    let root = common::fixtures().join("errors");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut failures = Vec::new();
    for entry in fs::read_dir(&root).unwrap() {
        let fixture = entry.unwrap().path();
        let dir = common::catalog(Some(&fixture));
        let got = check(dir.path()).headlines();
        let expected_path = fixture.join("expected.txt");
        if update {
            fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!(
                "{}:\n--- expected\n{expected}--- got\n{got}",
                fixture.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_diagnostic_code_has_a_fixture() {
    let mut covered = BTreeSet::new();
    for entry in fs::read_dir(common::fixtures().join("errors")).unwrap() {
        let expected =
            fs::read_to_string(entry.unwrap().path().join("expected.txt")).unwrap_or_default();
        for line in expected.lines() {
            let code = line
                .split('[')
                .nth(1)
                .and_then(|s| s.split(']').next())
                .unwrap();
            covered.insert(code.to_string());
        }
    }
    covered.insert("not-utf8".into()); // written by a test below: a fixture file would not survive editors
    // `check --external` needs a server to answer: tests/external.rs runs one on 127.0.0.1.
    covered.insert("unreachable-url".into());
    covered.insert("link-cache".into());
    // Symbolic links are made by tests/safety.rs: a fixture's link would point elsewhere
    // in every checkout.
    covered.insert("unsafe-symlink".into());
    // A file name with a backslash does not survive every checkout: tests/safety.rs makes it.
    covered.insert("bad-file-name".into());
    let all: BTreeSet<String> = Code::ALL.iter().map(|c| c.name().to_string()).collect();
    let missing: Vec<_> = all.difference(&covered).collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
    let unknown: Vec<_> = covered.difference(&all).collect();
    assert!(
        unknown.is_empty(),
        "codes missing from diagnostics::Code: {unknown:?}"
    );
}

/// The README's table of codes is the documentation of `Code`: the same codes, in the same
/// order, with the same severity and meaning.
#[test]
fn the_readme_documents_every_code_as_declared() {
    let readme = common::read(&common::manifest_dir().join("README.md"));
    let documented: Vec<String> = readme
        .lines()
        .filter(|l| {
            l.starts_with("| `") && (l.contains("` | error | ") || l.contains("` | warning | "))
        })
        .map(str::to_string)
        .collect();
    let declared: Vec<String> = Code::ALL
        .iter()
        .map(|c| {
            let severity = match c.severity() {
                medatlas::Severity::Error => "error",
                medatlas::Severity::Warning => "warning",
            };
            format!("| `{}` | {severity} | {} |", c.name(), c.meaning())
        })
        .collect();
    assert_eq!(
        documented, declared,
        "README.md's table of codes differs from diagnostics::Code: change them together"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_an_error_naming_it() {
    let dir = common::catalog(None);
    fs::write(
        dir.path().join("content/datasets/latin1.md"),
        b"+++\nname = \"Caf\xe9\"\n+++\n",
    )
    .unwrap();
    let report = check(dir.path());
    assert_eq!(
        report.headlines(),
        "content/datasets/latin1.md:2:12: error[not-utf8]: file is not valid UTF-8\n"
    );
}

#[test]
fn crlf_and_bom_are_accepted_with_the_same_locations() {
    let dir = common::catalog(None);
    let good = dir.path().join("content/datasets/good.md");
    let text = fs::read_to_string(&good)
        .unwrap()
        .replace("\n", "\r\n")
        .replace("access = \"open\"", "access = \"opne\"");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(text.as_bytes());
    fs::write(&good, bytes).unwrap();
    let report = check(dir.path());
    assert_eq!(
        report.headlines(),
        "content/datasets/good.md:9:10: error[unknown-term]: `opne` is not a term of [access] in vocabulary.toml\n"
    );
    assert!(report.to_plain_string().contains("did you mean `open`?"));
}

#[test]
fn the_human_report_has_snippet_help_and_summary() {
    let fixture = common::fixtures().join("errors/unknown-key");
    let dir = common::catalog(Some(&fixture));
    let text = check(dir.path()).to_plain_string();
    assert!(
        text.contains("error[unknown-key]: unknown key `modalites` in a dataset entry"),
        "{text}"
    );
    assert!(text.contains("content/datasets/broken.md:6:1"), "{text}");
    assert!(text.contains("modalites = [\"x-ray\"]"), "{text}");
    assert!(text.contains("^^^^^^^^^"), "{text}");
    assert!(text.contains("help: did you mean `modalities`?"), "{text}");
    assert!(
        text.ends_with("4 errors, 0 warnings in 6 files\n"),
        "{text}"
    );
}

/// No input may cause a panic: every truncation of a real entry, and the entry with a stray
/// TOML metacharacter at every position, is parsed and reported without one.
#[test]
fn mangled_entries_never_panic() {
    use medatlas::{common::source::Source, parse};
    let text = common::read(&common::manifest_dir().join("content/datasets/nih-chestx-ray14.md"));
    let mut inputs = Vec::new();
    for end in (0..=text.len())
        .step_by(5)
        .filter(|&i| text.is_char_boundary(i))
    {
        inputs.push(text[..end].to_string());
    }
    for (n, at) in (0..text.len())
        .step_by(11)
        .filter(|&i| text.is_char_boundary(i))
        .enumerate()
    {
        let stray = ["\"", "[", "=", "\n", "+++\n", "-", "ü", "]]"][n % 8];
        inputs.push(format!("{}{stray}{}", &text[..at], &text[at..]));
    }
    for input in inputs {
        let source = Source::new("content/datasets/x.md", input);
        let (_, diagnostics) = parse::parse_entry(&source, 0);
        let report = Report::new(diagnostics, std::slice::from_ref(&source), 1);
        assert!(report.to_plain_string().contains(" in 1 file"));
    }
}

/// An entry file of `bytes` bytes: a valid entry padded with a long description.
fn entry_of_size(bytes: usize) -> String {
    let head = "+++\nname = \"Big\"\nsummary = \"s\"\npublisher = \"p\"\nhomepage = \"https://example.org\"\nmodalities = [\"x-ray\"]\nbody_regions = [\"chest\"]\ntasks = [\"classification\"]\naccess = \"open\"\n+++\n";
    format!("{head}{}", "x".repeat(bytes - head.len()))
}

#[test]
fn a_file_over_the_size_limit_is_an_error_and_not_parsed() {
    let limit = medatlas::input::MAX_FILE_BYTES as usize;
    let dir = common::catalog(None);
    let datasets = dir.path().join("content/datasets");
    fs::write(datasets.join("at-limit.md"), entry_of_size(limit)).unwrap();
    // Over the limit, and with a front matter that would be two errors if it were parsed.
    let over = entry_of_size(limit + 1).replace("access = \"open\"", "acess = 1      ");
    fs::write(datasets.join("over.md"), over).unwrap();
    let report = check(dir.path());
    assert_eq!(
        report.headlines(),
        "content/datasets/over.md:1:1: error[file-too-large]: file is larger than 1 MiB: it is not read\n"
    );
    assert!(
        report
            .to_plain_string()
            .contains("help: an entry describes a dataset")
    );
}

/// An entry with one `related` list of `n` slugs that do not exist, all on one line.
fn many_unknown_related(n: usize) -> tempfile::TempDir {
    let dir = common::catalog(None);
    let slugs: Vec<String> = (0..n).map(|i| format!("\"missing-{i}\"")).collect();
    let good = common::read(&dir.path().join("content/datasets/good.md"));
    let text = good.replace(
        "patients = 40\n",
        &format!("patients = 40\nrelated = [{}]\n", slugs.join(", ")),
    );
    fs::write(dir.path().join("content/datasets/good.md"), text).unwrap();
    dir
}

#[test]
fn at_most_twenty_diagnostics_of_a_code_are_shown_per_file_and_all_are_counted() {
    let dir = many_unknown_related(1000);
    let report = check(dir.path());
    assert_eq!(report.error_count(), 1000);
    let text = report.to_plain_string();
    let shown = text.matches("error[unknown-dataset]").count();
    assert_eq!(shown, medatlas::diagnostics::MAX_SHOWN_PER_CODE, "{text}");
    assert!(text.contains("`missing-19`") && !text.contains("`missing-20`"));
    assert!(text.contains(
        "... and 980 more `unknown-dataset` errors in content/datasets/good.md (the first 20 are shown)\n"
    ));
    assert!(
        text.ends_with("1000 errors, 0 warnings in 5 files\n"),
        "{text}"
    );
    let github = report.to_github();
    assert_eq!(github.matches("::error ").count(), 20);
    assert!(github.contains(
        "::notice file=content/datasets/good.md,title=medatlas unknown-dataset::... and 980 more"
    ));
    // JSON lists every diagnostic.
    assert_eq!(
        report.to_json().matches("\"unknown-dataset\"").count(),
        1000
    );
}

#[test]
fn a_snippet_of_a_long_line_is_cut_around_the_column() {
    let dir = many_unknown_related(1000);
    let text = check(dir.path()).to_plain_string();
    // The line is 17 KB long; the snippet of `missing-19` shows its neighbourhood only.
    assert!(text.contains("content/datasets/good.md:12:268"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.ends_with("content/datasets/good.md:12:268"))
        .unwrap();
    let (snippet, caret) = (lines[header + 2], lines[header + 3]);
    assert!(snippet.starts_with("12 │ …"), "{snippet}");
    assert!(snippet.ends_with('…'), "{snippet}");
    assert!(snippet.chars().count() < 200, "{snippet}");
    assert!(text.len() < 20 * 1000, "{} bytes", text.len());
    let column = |line: &str, pattern: &str| line.find(pattern).map(|b| line[..b].chars().count());
    assert_eq!(
        column(caret, "^"),
        column(snippet, "\"missing-19\""),
        "{caret}"
    );
}

#[test]
fn past_a_thousand_diagnostics_of_a_code_in_a_file_the_rest_are_counted_not_kept() {
    let dir = common::catalog(None);
    let good = dir.path().join("content/datasets/good.md");
    let keys: String = (0..1500).map(|i| format!("unknown_{i} = 1\n")).collect();
    let text = common::read(&good).replace("patients = 40\n", &format!("patients = 40\n{keys}"));
    fs::write(&good, text).unwrap();
    let report = check(dir.path());
    assert_eq!(report.error_count(), 1500);
    assert_eq!(
        report.diagnostics.len(),
        medatlas::diagnostics::MAX_KEPT_PER_CODE
    );
    let text = report.to_plain_string();
    assert!(text.contains("... and 1480 more `unknown-key` errors in content/datasets/good.md"));
    assert!(
        text.ends_with("1500 errors, 0 warnings in 5 files\n"),
        "{text}"
    );
    assert!(report.to_json().contains("\"more\": 500"));
}

#[test]
fn nearest_names_are_searched_for_the_diagnostics_shown_only() {
    let dir = common::catalog(None);
    let good = dir.path().join("content/datasets/good.md");
    // Distinct slugs, so that none is also a repeated item.
    let typos: Vec<String> = ('a'..='y').map(|c| format!("\"good{c}\"")).collect();
    let typos = typos.join(", ");
    let text = common::read(&good).replace(
        "patients = 40\n",
        &format!("patients = 40\nrelated = [{typos}]\n"),
    );
    fs::write(&good, text).unwrap();
    let report = check(dir.path());
    assert_eq!(report.error_count(), 25);
    let helps: Vec<&str> = report
        .diagnostics
        .iter()
        .filter_map(|d| d.help.as_deref())
        .collect();
    let suggested = helps
        .iter()
        .filter(|h| **h == "did you mean `good`?")
        .count();
    assert_eq!(suggested, medatlas::diagnostics::MAX_SHOWN_PER_CODE);
}

/// A snippet cannot reorder or hide text on the terminal that shows it: bidirectional controls
/// and zero-width characters are shown as U+FFFD, with the caret still under them.
#[test]
fn snippets_show_invisible_characters_visibly() {
    let fixture = common::fixtures().join("errors/invisible-character");
    let dir = common::catalog(Some(&fixture));
    let text = check(dir.path()).to_plain_string();
    for hidden in ['\u{202E}', '\u{200B}', '\u{2066}'] {
        assert!(!text.contains(hidden), "{hidden:?} printed as is:\n{text}");
    }
    let shown = text
        .lines()
        .find(|l| l.contains('\u{FFFD}') && l.contains("name ="))
        .unwrap_or_else(|| panic!("no snippet line with U+FFFD:\n{text}"));
    let caret_line = text.lines().skip_while(|l| *l != shown).nth(1).unwrap();
    let column = |line: &str, c: char| line.chars().position(|x| x == c).unwrap();
    assert_eq!(column(shown, '\u{FFFD}'), column(caret_line, '^'), "{text}");
}

/// The human report reaches the terminal in a few large writes, not one per character: counted
/// with the kernel's tally of the process's `write` calls (`syscw` in /proc/PID/io, still
/// readable while the finished process waits to be reaped).
#[test]
fn the_report_is_written_in_a_few_writes() {
    let dir = common::catalog(None);
    let entry = dir.path().join("content/datasets/good.md");
    let slugs: Vec<String> = (0..1000).map(|i| format!("\"missing-{i}\"")).collect();
    let text = common::read(&entry).replacen(
        "access = \"open\"",
        &format!("access = \"open\"\nrelated = [{}]", slugs.join(", ")),
        1,
    );
    fs::write(&entry, text).unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_medatlas"))
        .args(["check", "--root", dir.path().to_str().unwrap()])
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let finished = || {
        let stat = fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        stat.rsplit(") ").next().unwrap().starts_with('Z')
    };
    let started = std::time::Instant::now();
    while !finished() {
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let io = fs::read_to_string(format!("/proc/{pid}/io")).unwrap();
    let writes: u64 = io
        .lines()
        .find_map(|l| l.strip_prefix("syscw: "))
        .unwrap()
        .parse()
        .unwrap();
    let mut child = child;
    assert_eq!(child.wait().unwrap().code(), Some(1));
    assert!(writes <= 10, "{writes} write calls for one report");
}

#[test]
fn cr_only_line_endings_are_read_with_the_lines_an_editor_shows() {
    let dir = common::catalog(None);
    let good = dir.path().join("content/datasets/good.md");
    let text = fs::read_to_string(&good)
        .unwrap()
        .replace('\n', "\r")
        .replace("access = \"open\"", "access = \"opne\"");
    fs::write(&good, text).unwrap();
    let report = check(dir.path());
    assert_eq!(
        report.headlines(),
        "content/datasets/good.md:9:10: error[unknown-term]: `opne` is not a term of [access] in vocabulary.toml\n"
    );
}

/// The help of each diagnostic of a report, by headline.
fn helps(report: &Report) -> Vec<(String, String)> {
    report
        .diagnostics
        .iter()
        .map(|d| (d.headline(), d.help.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn an_entry_field_typed_below_a_table_header_is_told_to_move_up() {
    let dir = common::catalog(None);
    let good = dir.path().join("content/datasets/good.md");
    let text = common::read(&good)
        .replace("images = 150\npatients = 40\n", "")
        .replace(
            "[[class_counts]]",
            "[[papers]]\ntitle = \"P\"\nurl = \"https://example.org/p\"\nlicense = \"CC0-1.0\"\n\n[[class_counts]]\nimages = 150",
        )
        .replace("images = [100, 50]\n", "")
        .replace("\"No Finding\" = [90, 45]", "\"No Finding\" = [90, 45]\npatients = 40")
        .replace("numbers = [\"images\", \"patients\"]", "numbers = []");
    fs::write(&good, text).unwrap();
    let report = check(dir.path());
    let helps = helps(&report);
    assert_eq!(helps.len(), 3, "{helps:#?}");
    for (headline, help) in &helps {
        assert!(
            help.contains("move the line above the first `[[...]]` header"),
            "{headline}: {help}"
        );
    }
}

/// A licence in free text is told its id when licenses.toml defines one with that SPDX id or
/// name, and otherwise the id and the table to add; an unknown id is told the nearest one.
#[test]
fn licence_problems_show_the_new_form() {
    let fixture = common::fixtures().join("errors/license-free-text");
    let dir = common::catalog(Some(&fixture));
    let licensed = common::fixtures().join("errors/unknown-license/content/datasets/licensed.md");
    fs::copy(licensed, dir.path().join("content/datasets/licensed.md")).unwrap();
    let report = check(dir.path());
    let helps = helps(&report);
    let help_of = |part: &str| -> &str {
        let (_, help) = helps.iter().find(|(h, _)| h.contains(part)).unwrap();
        help
    };
    assert_eq!(
        help_of("\"CC-BY-4.0\""),
        "name the licence by its id: `license = \"cc-by-4-0\"`"
    );
    let table = help_of("\"Research use agreement of the hospital\"");
    for part in [
        "`license = \"research-use-agreement-of-the-hospital\"`",
        "`[research-use-agreement-of-the-hospital]` with `name = \"Research use agreement of the hospital\"`",
        "`commercial`, `redistribution`, `derivatives`, `attribution` and `share_alike`",
    ] {
        assert!(table.contains(part), "`{part}` not in {table}");
    }
    assert_eq!(help_of("`cc-by-40`"), "did you mean `cc-by-4-0`?");
}

/// A catalog without licenses.toml whose entries name no licence id builds; one that names an
/// id is warned (the old free-text form is still accepted) and told to define it.
#[test]
fn licences_file_is_needed_only_for_ids() {
    let dir = common::catalog(None);
    assert_eq!(
        check(dir.path()).summary(),
        "0 errors, 0 warnings in 5 files"
    );
    let good = dir.path().join("content/datasets/good.md");
    let text = common::read(&good).replace(
        "patients = 40\n",
        "patients = 40\nlicense = \"cc-by-4-0\"\n",
    );
    fs::write(&good, text).unwrap();
    let report = check(dir.path());
    let helps = helps(&report);
    assert_eq!(helps.len(), 1, "{helps:#?}");
    assert!(
        helps[0].0.contains("warning[license-free-text]"),
        "{helps:#?}"
    );
    assert!(
        helps[0].1.starts_with(
            "if `cc-by-4-0` is meant as a licence id, define it in content/licenses.toml: `[cc-by-4-0]`"
        ),
        "{helps:#?}"
    );
}
