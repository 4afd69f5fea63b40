//! medatlas: a static site generator for a catalog of medical imaging datasets.
//!
//! The source tree follows the pipeline, one folder per stage, each using only the stages
//! before it and the shared modules:
//!
//! 1. [`input`]: every read of the catalog's files: `content/`, `templates/`, `static/`.
//! 2. [`parse`]: each content file into the typed [`model`], with file-local checks.
//! 3. [`check`]: cross-file checks and the warnings about numbers that disagree.
//! 4. [`derive`](mod@derive): totals, prevalence, labels, search and the views the pages show.
//! 5. [`render`]: Tera 2 templates into the pages of the page registry, in parallel.
//! 6. [`output`]: the pages and static files written into a staging directory and swapped in
//!    (or, between runs of `serve`, the changed pages written in place).
//!
//! [`pipeline`] runs the stages ([`build`], [`run`], [`check_catalog`]); [`cmd`] holds the
//! tools around it (the development server, `check --external`, `new`). Shared by all:
//! [`common`] (errors, sources, slugs, HTML escaping, number formatting, output paths, path
//! safety), [`diagnostics`] (problems in the content, collected into a [`Report`]) and
//! [`format`](mod@format) (the entry format, declared once). Nothing in the library prints.

#![forbid(unsafe_code)]

pub mod check;
pub mod cmd;
pub mod common;
pub mod derive;
pub mod diagnostics;
pub mod format;
pub mod input;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod render;

pub use common::error::Error;
pub use diagnostics::{Code, Diagnostic, Report, Severity};
pub use pipeline::*;
