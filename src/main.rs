//! The `medatlas` command: parses arguments, runs the library's pipeline, prints the report.

#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codespan_reporting::term::termcolor::{BufferedStandardStream, ColorChoice};
use medatlas::{BuildOptions, Failure, Report, Timings};

/// Build a catalog of medical imaging datasets into a static site.
#[derive(Parser)]
#[command(name = "medatlas", version, about)]
struct Cli {
    /// The catalog directory (holding content/, and optionally templates/ and static/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// Print how long each stage took.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the content and build the site into the output directory.
    Build {
        /// Output directory [default: ROOT/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Write the whole catalog as this one self-contained HTML file instead of the site
        /// (which is left as it is): it works offline with no other file.
        #[arg(long, value_name = "FILE", conflicts_with = "output")]
        single_file: Option<PathBuf>,
        /// Replace the output directory (or single file) even if medatlas did not create it:
        /// what it holds is moved aside to OUTPUT.medatlas-replaced, never deleted.
        #[arg(long)]
        force: bool,
        /// Number of rendering threads [default: one per core].
        #[arg(long, short)]
        jobs: Option<usize>,
    },
    /// Create content/datasets/SLUG.md from a template listing every field.
    New {
        /// The new entry's slug (its file name): lowercase letters, digits, single hyphens.
        slug: String,
    },
    /// Write the JSON Schema of entries (with this catalog's vocabulary), for editors.
    Schema {
        /// Write to this file instead of standard output (e.g. schema/entry.json).
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Check the content and report every problem, without writing anything.
    Check {
        /// How to print the problems: for people, as GitHub Actions annotations, or as JSON.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also check every external URL (homepages, papers, sources, links in descriptions);
        /// unreachable ones are warnings. Results are cached in ROOT/.medatlas-cache/.
        #[arg(long)]
        external: bool,
        /// Seconds to wait for each external URL.
        #[arg(long, default_value_t = 10, requires = "external")]
        timeout: u64,
    },
    /// Build, serve the site locally, rebuild on every change and reload the open pages.
    Serve {
        /// Port to listen on (0: any free port).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Output directory [default: ROOT/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        limits: ServeLimits,
    },
}

/// The server's limits; hidden, since the defaults suit a preview (tests make them small).
#[derive(clap::Args)]
struct ServeLimits {
    /// Milliseconds a connection has to send a request head (also the keep-alive idle time).
    #[arg(long, hide = true, default_value_t = 10_000)]
    header_timeout_ms: u64,
    /// Milliseconds a response may wait for the client to read it.
    #[arg(long, hide = true, default_value_t = 30_000)]
    write_timeout_ms: u64,
    /// Open connections at most.
    #[arg(long, hide = true, default_value_t = 512)]
    max_connections: usize,
    /// Longest request target, in bytes.
    #[arg(long, hide = true, default_value_t = 8 * 1024)]
    max_url: usize,
    /// Largest header section, in bytes.
    #[arg(long, hide = true, default_value_t = 16 * 1024)]
    max_headers: usize,
    /// Open live-reload event streams at most.
    #[arg(long, hide = true, default_value_t = 64)]
    max_event_streams: usize,
}

impl ServeLimits {
    fn limits(&self) -> medatlas::cmd::serve::Limits {
        medatlas::cmd::serve::Limits {
            header_timeout: std::time::Duration::from_millis(self.header_timeout_ms),
            write_timeout: std::time::Duration::from_millis(self.write_timeout_ms),
            max_connections: self.max_connections,
            max_url: self.max_url,
            max_headers: self.max_headers,
            max_streams: self.max_event_streams,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Source snippets with carets, on stderr (colours on a terminal, unless NO_COLOR is set).
    Human,
    /// GitHub Actions workflow commands on stdout: inline annotations on a pull request.
    Github,
    /// One JSON array of diagnostics on stdout.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut timings = Timings::default();
    let root = cli.root;
    let writes = matches!(cli.command, Command::Build { .. });
    let result = match cli.command {
        Command::Build {
            single_file: Some(path),
            force,
            jobs,
            ..
        } => build_single_file(root, path, force, jobs, &mut timings),
        Command::Build {
            output,
            force,
            jobs,
            ..
        } => build(root, output, force, jobs, &mut timings),
        Command::New { slug } => return new_entry(&root, &slug),
        Command::Schema { output } => return write_schema(&root, output.as_deref()),
        Command::Serve {
            port,
            bind,
            output,
            limits,
        } => {
            let options = medatlas::cmd::serve::ServeOptions {
                output: output.unwrap_or_else(|| root.join("public")),
                root,
                bind,
                port,
                limits: limits.limits(),
                log: std::sync::Arc::new(|line: String| eprintln!("{line}")),
            };
            return serve(&options);
        }
        Command::Check {
            format,
            external,
            timeout,
        } => {
            let result = check(&root, external, timeout, &mut timings);
            if format != Format::Human {
                return print_machine_report(result, format);
            }
            result.map(|c| (c.report, None))
        }
    };
    if cli.verbose {
        for (stage, took) in &timings.0 {
            eprintln!("  {stage:<10} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    finish(result, writes)
}

/// `build`: the report, and the line that says what was written (and what was moved aside).
fn build(
    root: PathBuf,
    output: Option<PathBuf>,
    force: bool,
    jobs: Option<usize>,
    timings: &mut Timings,
) -> Result<(Report, Option<String>), Failure> {
    let options = BuildOptions {
        output: output.unwrap_or_else(|| root.join("public")),
        root,
        force,
        jobs,
    };
    let built = medatlas::build(&options)?;
    *timings = built.timings;
    let notes: String = built.notes.iter().map(|n| format!("{n}\n")).collect();
    if built.unchanged {
        let summary = format!(
            "{notes}{} is up to date: its {} pages are what the catalog makes ({} ms)",
            options.output.display(),
            built.pages,
            timings.total().as_millis()
        );
        return Ok((built.report, Some(summary)));
    }
    let mut summary = format!(
        "{notes}built {} pages into {} in {} ms",
        built.pages,
        options.output.display(),
        timings.total().as_millis()
    );
    if let Some(aside) = &built.moved_aside {
        summary.push_str(&format!(
            "\nmedatlas did not create {}: what it held was moved to {}",
            options.output.display(),
            aside.display()
        ));
    }
    Ok((built.report, Some(summary)))
}

/// `build --single-file`: the report, and the line that says what was written.
fn build_single_file(
    root: PathBuf,
    path: PathBuf,
    force: bool,
    jobs: Option<usize>,
    timings: &mut Timings,
) -> Result<(Report, Option<String>), Failure> {
    let options = medatlas::SingleFileOptions {
        root,
        path,
        force,
        jobs,
    };
    let built = medatlas::build_single_file(&options)?;
    *timings = built.timings;
    let mut summary = format!(
        "wrote {} datasets into {} ({} bytes) in {} ms",
        built.datasets,
        options.path.display(),
        built.bytes,
        timings.total().as_millis()
    );
    if let Some(aside) = &built.moved_aside {
        summary.push_str(&format!(
            "\nmedatlas did not write {}: it was moved to {}",
            options.path.display(),
            aside.display()
        ));
    }
    Ok((built.report, Some(summary)))
}

/// `check`, with `--external` when asked.
fn check(
    root: &std::path::Path,
    external: bool,
    timeout: u64,
    timings: &mut Timings,
) -> Result<medatlas::Checked, Failure> {
    if !external {
        return medatlas::check_catalog(root, timings);
    }
    let options = medatlas::cmd::external::Options {
        timeout: std::time::Duration::from_secs(timeout),
        cache: Some(root.join(".medatlas-cache/external-links.json")),
        ..Default::default()
    };
    medatlas::cmd::external::check_with_external(root, &options)
}

/// Print what a run found and say how it ended, as the exit code. `writes`: the command
/// writes a site, so content errors mean nothing was written.
fn finish(result: Result<(Report, Option<String>), Failure>, writes: bool) -> ExitCode {
    match result {
        Ok((report, summary)) => {
            emit(&report);
            if let Some(summary) = summary {
                eprintln!("{summary}");
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let code = failure.exit_code() as u8;
            match failure {
                Failure::Content(report) => {
                    emit(&report);
                    if writes {
                        eprintln!("nothing was written: fix the errors above and run again");
                    } else {
                        eprintln!("fix the errors above and run again");
                    }
                }
                Failure::Template(error) | Failure::Io(error) => {
                    eprintln!("error: {}", error.with_causes());
                }
            }
            ExitCode::from(code)
        }
    }
}

fn serve(options: &medatlas::cmd::serve::ServeOptions) -> ExitCode {
    let ready = |address: std::net::SocketAddr| {
        if let Some(warning) = medatlas::cmd::serve::exposure_warning(address) {
            eprintln!("{warning}");
        }
        println!(
            "Serving {} at http://{address}/ (rebuilding on every change; Ctrl-C stops)",
            options.output.display()
        );
        let _ = std::io::stdout().flush();
    };
    match medatlas::cmd::serve::serve(options, ready) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn write_schema(root: &std::path::Path, output: Option<&std::path::Path>) -> ExitCode {
    let text = match medatlas::entry_schema(root) {
        Ok(text) => text,
        Err(Failure::Content(report)) => {
            emit(&report);
            return ExitCode::from(1);
        }
        Err(Failure::Template(error) | Failure::Io(error)) => {
            eprintln!("error: {}", error.with_causes());
            return ExitCode::from(2);
        }
    };
    let Some(path) = output else {
        print!("{text}");
        return ExitCode::SUCCESS;
    };
    let written = path
        .parent()
        .map_or(Ok(()), |p| {
            if p.as_os_str().is_empty() {
                Ok(())
            } else {
                std::fs::create_dir_all(p)
            }
        })
        .and_then(|()| std::fs::write(path, text));
    match written {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            ExitCode::from(2)
        }
    }
}

fn new_entry(root: &std::path::Path, slug: &str) -> ExitCode {
    match medatlas::cmd::scaffold::new_entry(root, slug) {
        Ok(path) => {
            println!("Created {}", path.display());
            println!();
            println!("Next steps:");
            println!("  1. Replace every TODO with facts from the dataset's paper or homepage;");
            println!("     delete optional lines you have no source for (never guess a number).");
            println!("  2. Cite where each number comes from in the Sources section at the end.");
            println!("  3. Check it:   cargo run --release -- check   (or: medatlas check)");
            println!(
                "  4. Preview it: cargo run --release -- serve   (then open http://127.0.0.1:1111/)"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `check --format github|json`: the report on stdout for a machine, the summary on stderr.
fn print_machine_report(result: Result<medatlas::Checked, Failure>, format: Format) -> ExitCode {
    let report = match result {
        Ok(checked) => checked.report,
        Err(Failure::Content(report)) => report,
        Err(Failure::Template(error) | Failure::Io(error)) => {
            eprintln!("error: {}", error.with_causes());
            return ExitCode::from(2);
        }
    };
    let text = match format {
        Format::Json => report.to_json(),
        _ => report.to_github(),
    };
    print!("{text}");
    eprintln!("{}", report.summary());
    if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Print a report to stderr, in colour only on a terminal and when NO_COLOR is not set, through
/// a buffer (the renderer writes many small pieces).
fn emit(report: &Report) {
    let color = if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    };
    let mut stderr = BufferedStandardStream::stderr(color);
    if report
        .emit(&mut stderr)
        .and_then(|()| stderr.flush())
        .is_err()
    {
        let _ = writeln!(std::io::stderr(), "{}", report.to_plain_string());
    }
}

/// Rendering 10,000 pages allocates many small values on several threads at once, where
/// mimalloc is markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
