//! The external corpus of real plans and states, shared by the test crates that read it.
//!
//! Include it by path from a test file: `#[path = "../../../tests/support/corpus.rs"] mod corpus;`
//! (one copy of the logic, no extra crate in the build).
//!
//! The corpus is found at `GUARDRAIL_CORPUS` when that is set, else at `../shared/corpus` beside
//! the repository. When it is absent, a test that needs it is skipped with one line on standard
//! error that starts with [`SKIP_MARKER`] (`.ci/run` counts those lines); when `CI` is set, an
//! absent corpus fails the test instead, so that CI never passes without it.
#![allow(dead_code, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// The start of the line a skipped test prints; `.ci/run` counts these lines.
pub const SKIP_MARKER: &str = "skipped (no corpus):";

/// The repository root (the including crate lives in `crates/<name>`), without `..` parts
/// where the file system can resolve them, so that messages show a plain path.
fn workspace() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Whether the `CI` environment variable asks for a required corpus (set, and not `false`/`0`).
fn required() -> bool {
    std::env::var("CI")
        .map(|v| {
            !matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "" | "0" | "false" | "no"
            )
        })
        .unwrap_or(false)
}

/// Where the corpus should be, and which setting said so.
pub fn location() -> (PathBuf, &'static str) {
    match std::env::var_os("GUARDRAIL_CORPUS") {
        Some(p) if !p.is_empty() => (PathBuf::from(p), "GUARDRAIL_CORPUS"),
        _ => {
            let root = workspace();
            let beside = match root.parent() {
                Some(parent) => parent.join("shared/corpus"),
                None => root.join("../shared/corpus"),
            };
            (beside, "../shared/corpus")
        }
    }
}

/// The corpus directory for the test named `test`, or `None` when the test must be skipped:
/// the corpus is absent and `CI` is not set. With `CI` set, an absent corpus panics with what
/// to do.
pub fn corpus(test: &str) -> Option<PathBuf> {
    let (root, from) = location();
    if root.is_dir() {
        return Some(root);
    }
    if required() {
        panic!(
            "the external corpus is required when `CI` is set, and it is not at `{}` (from {from}): \
             place it at `../shared/corpus` beside the repository or set `GUARDRAIL_CORPUS` to its path",
            root.display()
        );
    }
    // Written straight to the stream in one piece (not `eprintln!`), so that the test harness
    // does not capture it and the line shows whole in every run, on a line of its own.
    let line = format!(
        "\n{SKIP_MARKER} {test}: the external corpus is not at `{}` (from {from}); set \
         `GUARDRAIL_CORPUS` or place it at `../shared/corpus` to run it (with `CI` set it is required)\n",
        root.display()
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
    None
}
