//! `guardrail pack new DIR`: a new guardrail pack with a resource policy, a stack policy, a
//! remediation, their tests and a README.

use std::path::{Path, PathBuf};

use crate::PackError;

const FILES: &[(&str, &str)] = &[
    (
        "guardrail-pack.yaml",
        include_str!("scaffold/guardrail-pack.yaml"),
    ),
    ("README.md", include_str!("scaffold/README.md")),
    (
        "policies/public_buckets.rego",
        include_str!("scaffold/public_buckets.rego"),
    ),
    (
        "policies/public_buckets_test.rego",
        include_str!("scaffold/public_buckets_test.rego"),
    ),
    (
        "policies/bucket_count.rego",
        include_str!("scaffold/bucket_count.rego"),
    ),
    (
        "policies/owner_tag.rego",
        include_str!("scaffold/owner_tag.rego"),
    ),
    (
        "tests/public_buckets.fixtures.yaml",
        include_str!("scaffold/public_buckets.fixtures.yaml"),
    ),
    (
        "tests/bucket_count.fixtures.yaml",
        include_str!("scaffold/bucket_count.fixtures.yaml"),
    ),
    (
        "tests/owner_tag.fixtures.yaml",
        include_str!("scaffold/owner_tag.fixtures.yaml"),
    ),
];

/// Checks a pack name: letters, digits, `-` and `_`, starting with a letter.
pub fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a pack name: use letters, digits, `-` and `_`, starting with a letter"
        ))
    }
}

/// Writes a new pack into `dir` (which must not exist or be empty); `name` defaults to the
/// directory's name. Returns the files written.
pub fn create(dir: &Path, name: Option<&str>) -> Result<Vec<PathBuf>, PackError> {
    let name = match name {
        Some(n) => n.to_string(),
        None => dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("my-pack")
            .to_string(),
    };
    check_name(&name).map_err(|e| {
        PackError::new(dir, e).help("pass a name with --name, e.g. `guardrail pack new policies --name platform-guardrails`")
    })?;
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(PackError::new(dir, "already exists and is not empty")
                .help("choose a new directory; nothing was written"));
        }
    }
    let pkg = name.replace('-', "_").to_lowercase();
    let prefix: String = {
        let p: String = name
            .split(['-', '_'])
            .filter_map(|w| w.chars().next())
            .collect::<String>()
            .to_uppercase();
        if p.is_empty() {
            "POL".into()
        } else {
            p
        }
    };
    let mut written = Vec::new();
    for (rel, template) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                PackError::new(parent, format!("cannot be created: {e}"))
                    .help("check the directory is writable")
            })?;
        }
        let text = template
            .replace("__NAME__", &name)
            .replace("__PKG__", &pkg)
            .replace("__PREFIX__", &prefix);
        std::fs::write(&path, text).map_err(|e| {
            PackError::new(&path, format!("cannot be written: {e}"))
                .help("check the directory is writable")
        })?;
        written.push(path);
    }
    Ok(written)
}
