//! The pipeline's stages, measured in process with Criterion: `cargo bench --bench stages`.
//!
//! For each size (`MEDATLAS_BENCH_ENTRIES`, default `1000`; e.g. `"1000 10000"`), the synthetic
//! catalog of `benches/gen_corpus.py` is written into a temporary directory and built again and
//! again into a directory beside it, on tmpfs (`/dev/shm`) where the machine has it, so that the
//! figures are the program's and not a disk's (`MEDATLAS_BENCH_DIR` names another place).
//! Measured:
//! - each stage of a cold build (the output removed first), as the pipeline times it: `load`,
//!   `parse`, `check`, `derive`, `parts` (catalog rows, search index and listing parts),
//!   `render` (render and write every page) and `commit` (static files, publish);
//! - a whole cold build, a build with nothing changed (the output's manifest is current) and
//!   `check` (stages 1–3).
//!
//! The whole-process figures, with Hugo beside medatlas, come from `benches/scale.sh`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

/// A synthetic catalog of `entries` entries in a new temporary directory.
fn corpus(entries: usize) -> tempfile::TempDir {
    let place = std::env::var_os("MEDATLAS_BENCH_DIR")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/dev/shm")).filter(|p| p.is_dir()))
        .unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::tempdir_in(place).expect("a temporary directory");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_corpus.py");
    let status = Command::new("python3")
        .arg(script)
        .args(["--entries", &entries.to_string(), "--out"])
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs benches/gen_corpus.py");
    assert!(status.success(), "gen_corpus.py failed");
    dir
}

fn options(root: &Path, output: &Path) -> medatlas::BuildOptions {
    medatlas::BuildOptions {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
        force: false,
        jobs: None,
    }
}

/// A cold build of `root` into `output`: the output is removed first.
fn cold_build(root: &Path, output: &Path) -> medatlas::Built {
    let _ = std::fs::remove_dir_all(output);
    match medatlas::build(&options(root, output)) {
        Ok(built) => built,
        Err(failure) => panic!("the synthetic catalog does not build: {failure:?}"),
    }
}

fn stages(c: &mut Criterion) {
    let sizes = std::env::var("MEDATLAS_BENCH_ENTRIES").unwrap_or_else(|_| "1000".into());
    for entries in sizes.split_whitespace() {
        let entries: usize = entries.parse().expect("MEDATLAS_BENCH_ENTRIES: numbers");
        let catalog = corpus(entries);
        let root = catalog.path().to_path_buf();
        let output: PathBuf = catalog.path().join("public");
        let mut group = c.benchmark_group(format!("{entries} entries"));
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(5));
        for stage in [
            "load", "parse", "check", "derive", "parts", "render", "commit",
        ] {
            group.bench_function(format!("stage {stage}"), |b| {
                b.iter_custom(|iterations| {
                    (0..iterations)
                        .map(|_| {
                            let built = cold_build(&root, &output);
                            built
                                .timings
                                .0
                                .iter()
                                .filter(|(name, _)| *name == stage)
                                .map(|(_, took)| *took)
                                .sum::<Duration>()
                        })
                        .sum()
                });
            });
        }
        group.bench_function("build, cold", |b| {
            b.iter_custom(|iterations| {
                (0..iterations)
                    .map(|_| {
                        let _ = std::fs::remove_dir_all(&output);
                        let start = Instant::now();
                        let built = medatlas::build(&options(&root, &output));
                        let took = start.elapsed();
                        assert!(built.is_ok_and(|b| !b.unchanged), "a cold build");
                        took
                    })
                    .sum()
            });
        });
        cold_build(&root, &output);
        group.bench_function("build, nothing changed", |b| {
            b.iter(|| {
                let built = medatlas::build(&options(&root, &output)).expect("builds");
                assert!(built.unchanged, "the manifest is current");
            });
        });
        group.bench_function("check (stages 1-3)", |b| {
            b.iter(|| {
                medatlas::check_catalog(&root, &mut medatlas::Timings::default())
                    .unwrap_or_else(|_| panic!("the synthetic catalog checks"))
            });
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
