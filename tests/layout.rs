//! The source tree shows the pipeline: each stage uses only the stages before it and the
//! shared modules, no module depends on itself through others, and every read of the
//! catalog's files happens in the input stage.
//!
//! The dependency graph is read from the sources: every `crate::a::b` path and, inside a
//! folder, every `super::` path or path through a declared child module. Unit tests
//! (`#[cfg(test)] mod tests`) may use anything and are left out.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules in pipeline order: a module may use only those before it (and
/// itself). `lib.rs` and `main.rs` stand above all.
const ORDER: [&str; 12] = [
    "common",
    "diagnostics",
    "model",
    "format",
    "input",
    "parse",
    "check",
    "derive",
    "render",
    "output",
    "pipeline",
    "cmd",
];

/// A source file of the library, as a module path: `["derive", "chart"]`.
struct Module {
    path: Vec<String>,
    file: PathBuf,
    code: String,
}

fn modules() -> Vec<Module> {
    let src = common::manifest_dir().join("src");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.expect("src/ is readable");
        let file = entry.path();
        if file.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let relative = file.strip_prefix(&src).unwrap().with_extension("");
        let mut path: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if path.last().is_some_and(|p| p == "mod") {
            path.pop();
        }
        if path == ["lib"] || path == ["main"] {
            continue;
        }
        let code = without_tests(&common::read(file));
        out.push(Module {
            path,
            file: file.to_path_buf(),
            code,
        });
    }
    out
}

/// The code of a file without comments and without its unit-test module.
fn without_tests(text: &str) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim_start() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.starts_with("mod tests"))
        {
            lines.by_ref().find(|l| *l == "}");
            continue;
        }
        let code = line.split("//").next().unwrap_or_default();
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The module paths a module's code names: `crate::x::y...`, `super::...` and paths through
/// its declared child modules, each cut to the longest prefix that is a module.
fn dependencies(module: &Module, known: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let code = &module.code;
    let children: Vec<&str> = code
        .lines()
        .filter_map(|l| {
            let l = l.trim().trim_start_matches("pub ");
            l.strip_prefix("mod ")?.strip_suffix(';')
        })
        .collect();
    let mut found = BTreeSet::new();
    let mut add = |mut path: Vec<String>| {
        while !path.is_empty() {
            if known.contains(&path) {
                if path != module.path {
                    found.insert(path);
                }
                return;
            }
            path.pop();
        }
    };
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        add(segments(&code[at + "crate::".len()..]));
    }
    for (at, _) in code.match_indices("super::") {
        let mut path = module.path.clone();
        path.pop();
        path.extend(segments(&code[at + "super::".len()..]));
        add(path);
    }
    for child in children {
        let pattern = format!("{child}::");
        for (at, _) in code.match_indices(&pattern) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let mut path = module.path.clone();
            path.extend(segments(&code[at..]));
            add(path);
        }
    }
    found
}

/// The leading `a::b::c` of `text`, stopping at `{`, `*` or the first non-path character.
fn segments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        out.push(rest[..end].to_string());
        match rest[end..].strip_prefix("::") {
            Some(next) => rest = next,
            None => break,
        }
    }
    out
}

fn rank(module: &[String]) -> usize {
    ORDER
        .iter()
        .position(|m| *m == module[0])
        .unwrap_or_else(|| panic!("src/{} is not in the layout's ORDER", module[0]))
}

/// Each module with the modules it uses.
type Graph = BTreeMap<Vec<String>, BTreeSet<Vec<String>>>;

fn graph() -> Graph {
    let modules = modules();
    let known: BTreeSet<Vec<String>> = modules.iter().map(|m| m.path.clone()).collect();
    modules
        .iter()
        .map(|m| (m.path.clone(), dependencies(m, &known)))
        .collect()
}

#[test]
fn every_module_has_a_place_in_the_pipeline_and_says_what_it_owns() {
    for module in modules() {
        rank(&module.path);
        let text = common::read(&module.file);
        assert!(
            text.starts_with("//!"),
            "{} does not start with a `//!` comment saying what it owns",
            module.file.display()
        );
    }
}

#[test]
fn no_stage_uses_a_later_stage() {
    let edges = graph();
    let mut backward = Vec::new();
    for (from, targets) in &edges {
        for to in targets {
            if rank(to) > rank(from) {
                backward.push(format!("{} -> {}", from.join("::"), to.join("::")));
            }
        }
    }
    assert!(
        backward.is_empty(),
        "edges from a stage back to a later one:\n{}",
        backward.join("\n")
    );
}

#[test]
fn modules_have_no_cycle() {
    let edges = graph();
    // Depth-first search; every edge back into the current path closes a cycle.
    fn visit(
        node: &Vec<String>,
        edges: &Graph,
        done: &mut BTreeSet<Vec<String>>,
        stack: &mut Vec<Vec<String>>,
        cycles: &mut Vec<String>,
    ) {
        if let Some(at) = stack.iter().position(|n| n == node) {
            let mut cycle: Vec<String> = stack[at..].iter().map(|n| n.join("::")).collect();
            cycle.push(node.join("::"));
            cycles.push(cycle.join(" -> "));
            return;
        }
        if !done.insert(node.clone()) {
            return;
        }
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, done, stack, cycles);
        }
        stack.pop();
    }
    let mut done = BTreeSet::new();
    let mut cycles = Vec::new();
    for node in edges.keys() {
        visit(node, &edges, &mut done, &mut Vec::new(), &mut cycles);
    }
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}

/// Only the input stage reads the catalog, or names its directories. The other modules that
/// read files read their own: `output` the site it replaces (its marker and manifest, the bytes
/// already there), `serve` the site it serves, `check --external` its cache of link results; `new`
/// writes a new entry into `content/datasets/`.
#[test]
fn only_the_input_stage_reads_the_catalog() {
    const READS: [&str; 7] = [
        "fs::read(",
        "fs::read_to_string(",
        "fs::read_dir(",
        "File::open(",
        "WalkDir::new(",
        "input::walk(",
        "walk::walk(",
    ];
    const DIRS: [&str; 3] = ["\"content", "\"templates", "\"static"];
    let reads_own_files = |path: &[String]| {
        path[0] == "output" || path == ["cmd", "serve", "http"] || path == ["cmd", "external"]
    };
    let mut readers = Vec::new();
    for module in modules() {
        if module.path[0] == "input" {
            continue;
        }
        for read in READS {
            if module.code.contains(read) && !reads_own_files(&module.path) {
                readers.push(format!("{} reads with {read}", module.file.display()));
            }
        }
        for dir in DIRS {
            let joined = format!(".join({dir}");
            if module.code.contains(&joined) && module.path != ["cmd", "scaffold"] {
                readers.push(format!("{} opens {dir}", module.file.display()));
            }
        }
    }
    assert!(
        readers.is_empty(),
        "the catalog is read outside src/input/:\n{}",
        readers.join("\n")
    );
}

#[test]
fn the_dependency_reader_finds_paths_of_every_form() {
    let module = Module {
        path: vec!["derive".into(), "chart".into()],
        file: Path::new("x.rs").into(),
        code: "use crate::common::number::{total};\nuse super::Row;\nfn f() { crate::model::Unit::Images; }\n"
            .into(),
    };
    let known: BTreeSet<Vec<String>> = [
        vec!["common".to_string()],
        vec!["common".into(), "number".into()],
        vec!["derive".into()],
        vec!["derive".into(), "chart".into()],
        vec!["model".into()],
    ]
    .into();
    let found: Vec<String> = dependencies(&module, &known)
        .into_iter()
        .map(|p| p.join("::"))
        .collect();
    assert_eq!(found, ["common::number", "derive", "model"]);
    assert_eq!(
        without_tests("a // b\n#[cfg(test)]\nmod tests {\n    x\n}\nc\n"),
        "a \nc\n"
    );
}
