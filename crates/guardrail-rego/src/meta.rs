//! Pack manifests and policy metadata (OPA `# METADATA` annotation blocks).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value as Json;

use guardrail_core::{Enforcement, FrameworkRef, PolicyKind, Severity};

use crate::error::PackError;

/// The manifest file of a guardrail pack.
pub const MANIFEST: &str = "guardrail-pack.yaml";

/// A guardrail pack's manifest.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The pack's name.
    pub name: String,
    /// The pack's version.
    #[serde(default)]
    pub version: Option<String>,
    /// What the pack is for.
    #[serde(default)]
    pub description: Option<String>,
    /// The default enforcement of the pack's policies, overriding their own.
    #[serde(default)]
    pub enforcement: Option<String>,
}

/// Pulumi's `PulumiPolicy.yaml`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
pub(crate) struct PulumiManifest {
    #[serde(default)]
    pub runtime: Option<Json>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub version: Option<String>,
}

/// Parses a YAML file into `T`, turning errors into located pack errors.
pub(crate) fn yaml<T: for<'de> Deserialize<'de>>(
    file: &Path,
    text: &str,
    first_line: usize,
    help: &str,
) -> Result<T, PackError> {
    yaml_in(file, text, text, first_line, help)
}

/// Parses YAML `text` that starts at line `first_line` of `source` (the file's contents, which
/// may hold it in comments, as a METADATA block does) into `T`, turning errors into pack errors
/// located in `source`, with its line.
fn yaml_in<T: for<'de> Deserialize<'de>>(
    file: &Path,
    source: &str,
    text: &str,
    first_line: usize,
    help: &str,
) -> Result<T, PackError> {
    yaml_serde::from_str(text).map_err(|e| {
        let mut message = e.to_string();
        // The location is shown separately.
        if let Some(at) = message.find(" at line ") {
            message.truncate(at);
        }
        let mut err = PackError::new(file, message).help(help);
        if let Some(loc) = e.location() {
            let yaml_line = loc.line().max(1);
            let line = first_line + yaml_line - 1;
            // In a comment block, the file's line is the YAML line behind its `# `.
            let width = |t: &str, n: usize| t.lines().nth(n - 1).map_or(0, |l| l.chars().count());
            let shift = width(source, line).saturating_sub(width(text, yaml_line));
            err = err.at(source, line, loc.column() + shift);
        }
        err
    })
}

/// Reads the manifest of a guardrail pack.
pub(crate) fn manifest(file: &Path, text: &str) -> Result<Manifest, PackError> {
    let m: Manifest = yaml(
        file,
        text,
        1,
        "a manifest has `name` and optionally `version`, `description` and `enforcement` (advisory, mandatory, remediate or disabled)",
    )?;
    if m.name.trim().is_empty() {
        return Err(PackError::new(file, "the pack has an empty `name`")
            .help("give the pack a name, e.g. `name: platform-guardrails`"));
    }
    if let Some(level) = &m.enforcement {
        level.parse::<Enforcement>().map_err(|e| {
            let mut err = PackError::new(file, e);
            if let Some(line) = find_line(text, "enforcement:") {
                err = err.at(text, line, 1);
            }
            err.help("the pack's `enforcement` is one of advisory, mandatory, remediate, disabled")
        })?;
    }
    Ok(m)
}

fn find_line(text: &str, needle: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.trim_start().starts_with(needle))
        .map(|i| i + 1)
}

/// A `# METADATA` block: the YAML and where it is.
#[derive(Clone, Debug)]
pub(crate) struct Block {
    /// Line of the first YAML line (the line after `# METADATA`).
    pub yaml_line: usize,
    /// Line of the `# METADATA` marker.
    pub marker_line: usize,
    /// The line of code the block annotates.
    pub target_line: usize,
    pub yaml: String,
}

/// Finds the annotation blocks of a Rego file.
pub(crate) fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() == "# METADATA" {
            let marker = i + 1;
            let mut yaml = String::new();
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim_start().starts_with('#') {
                let body = lines[j].trim_start().trim_start_matches('#');
                yaml.push_str(body.strip_prefix(' ').unwrap_or(body));
                yaml.push('\n');
                j += 1;
            }
            let mut target = j;
            while target < lines.len() && lines[target].trim().is_empty() {
                target += 1;
            }
            out.push(Block {
                yaml_line: marker + 1,
                marker_line: marker,
                target_line: target + 1,
                yaml,
            });
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// OPA's annotation fields that guardrail reads.
#[derive(Clone, Debug, Default, Deserialize)]
pub(crate) struct Annotation {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub custom: Option<BTreeMap<String, Json>>,
}

/// Parses a block of `source`, the file's contents.
pub(crate) fn annotation(
    file: &Path,
    source: &str,
    block: &Block,
) -> Result<Annotation, PackError> {
    yaml_in(
        file,
        source,
        &block.yaml,
        block.yaml_line,
        "a METADATA block is YAML in comments: `# title: ...`, `# description: ...`, `# custom:` with `#   id: ...`",
    )
}

/// The custom fields of a guardrail policy.
pub(crate) const CUSTOM_FIELDS: &[&str] = &[
    "id",
    "name",
    "severity",
    "enforcement",
    "kind",
    "resource_types",
    "vendor",
    "services",
    "topics",
    "frameworks",
    "remediation",
    "fix",
    "config",
    "secrets",
];

/// A guardrail policy's metadata, validated.
#[derive(Clone, Debug)]
pub(crate) struct PolicyMetadata {
    pub id: String,
    pub name: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub enforcement: Option<Enforcement>,
    pub kind: PolicyKind,
    pub resource_types: Vec<String>,
    pub vendor: String,
    pub services: Vec<String>,
    pub topics: Vec<String>,
    pub frameworks: Vec<FrameworkRef>,
    pub remediation: String,
    pub fix_unsafe: bool,
    pub config: Option<Json>,
    /// Whether the policy sees secret values in plain text (`secrets: true`).
    pub secrets: bool,
}

fn strings(value: &Json) -> Option<Vec<String>> {
    match value {
        Json::String(s) => Some(vec![s.clone()]),
        Json::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Validates a policy's annotation. `text` is the file's contents, for locating errors.
pub(crate) fn policy_metadata(
    file: &Path,
    text: &str,
    block: &Block,
    ann: &Annotation,
) -> Result<PolicyMetadata, PackError> {
    let field_line = |key: &str| -> usize {
        block
            .yaml
            .lines()
            .position(|l| {
                let t = l.trim_start();
                t.starts_with(&format!("{key}:"))
            })
            .map_or(block.marker_line, |i| block.yaml_line + i)
    };
    let err = |key: &str, message: String, help: &str| {
        PackError::new(file, message)
            .at(text, field_line(key), 1)
            .help(help.to_string())
    };
    const SHAPE: &str = "a policy's METADATA block needs `title`, `description`, and under `custom:` an `id` and a `severity` (low, medium, high, critical); see docs/rego.md";
    let custom = ann.custom.clone().unwrap_or_default();
    for key in custom.keys() {
        if !CUSTOM_FIELDS.contains(&key.as_str()) {
            let near = CUSTOM_FIELDS
                .iter()
                .find(|k| crate::ast::distance(k, key) <= 2)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            return Err(err(
                key,
                format!("unknown metadata field `custom.{key}`"),
                &format!("{near}known fields: {}", CUSTOM_FIELDS.join(", ")),
            ));
        }
    }
    let get_str = |key: &str| custom.get(key).and_then(Json::as_str).map(str::to_string);
    let missing = |what: &str| {
        PackError::new(file, format!("the policy's metadata has no `{what}`"))
            .at(text, block.marker_line, 1)
            .help(SHAPE)
    };
    let id = get_str("id").ok_or_else(|| missing("custom.id"))?;
    let title = ann.title.clone().ok_or_else(|| missing("title"))?;
    let description = ann
        .description
        .clone()
        .ok_or_else(|| missing("description"))?;
    let severity = get_str("severity")
        .ok_or_else(|| missing("custom.severity"))?
        .parse::<Severity>()
        .map_err(|e| err("severity", e, SHAPE))?;
    let enforcement = get_str("enforcement")
        .map(|s| s.parse::<Enforcement>())
        .transpose()
        .map_err(|e| err("enforcement", e, SHAPE))?;
    let kind = match get_str("kind").as_deref() {
        None | Some("resource") => PolicyKind::Resource,
        Some("stack") => PolicyKind::Stack,
        Some(other) => {
            return Err(err(
                "kind",
                format!("unknown policy kind `{other}`"),
                "`kind` is `resource` (one resource at a time) or `stack` (all resources)",
            ))
        }
    };
    let list = |key: &str| -> Result<Vec<String>, PackError> {
        match custom.get(key) {
            None => Ok(Vec::new()),
            Some(v) => strings(v).ok_or_else(|| {
                err(
                    key,
                    format!("`custom.{key}` must be a string or a list of strings"),
                    SHAPE,
                )
            }),
        }
    };
    let mut frameworks = Vec::new();
    match custom.get("frameworks") {
        None => {}
        Some(Json::Object(map)) => {
            for (framework, controls) in map {
                let controls = strings(controls).ok_or_else(|| {
                    err(
                        "frameworks",
                        format!(
                            "the controls of `{framework}` must be a string or a list of strings"
                        ),
                        "e.g. `frameworks: {pci-dss: [\"1.3.1\"], cis-aws: [\"5.2\"]}`",
                    )
                })?;
                frameworks.push(FrameworkRef {
                    framework: framework.clone(),
                    controls,
                });
            }
        }
        Some(_) => {
            return Err(err(
                "frameworks",
                "`custom.frameworks` must map framework names to control ids".into(),
                "e.g. `frameworks: {pci-dss: [\"1.3.1\"], cis-aws: [\"5.2\"]}`",
            ))
        }
    }
    let config =
        match custom.get("config") {
            None => None,
            Some(schema @ Json::Object(_)) => Some(schema.clone()),
            Some(_) => return Err(err(
                "config",
                "`custom.config` must be a JSON Schema object".into(),
                "e.g. `config: {type: object, properties: {limit: {type: string, default: 1Gi}}}`",
            )),
        };
    let secrets = match custom.get("secrets") {
        None | Some(Json::Bool(false)) => false,
        Some(Json::Bool(true)) => true,
        Some(_) => {
            return Err(err(
                "secrets",
                "`custom.secrets` must be `true` or `false`".into(),
                "`secrets: true` lets the policy read secret values in plain text; without it each secret is a marker such as `[secret string]`",
            ))
        }
    };
    let fix_unsafe = match get_str("fix").as_deref() {
        None | Some("safe") => false,
        Some("unsafe") => true,
        Some(other) => {
            return Err(err(
                "fix",
                format!("unknown fix safety `{other}`"),
                "`fix` is `safe` or `unsafe`",
            ))
        }
    };
    Ok(PolicyMetadata {
        name: get_str("name").unwrap_or_else(|| slug(&title)),
        id,
        title,
        description,
        severity,
        enforcement,
        kind,
        resource_types: list("resource_types")?,
        vendor: get_str("vendor").unwrap_or_else(|| "custom".into()),
        services: list("services")?,
        topics: list("topics")?,
        frameworks,
        remediation: get_str("remediation").unwrap_or_default(),
        fix_unsafe,
        config,
        secrets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_blocks_and_their_targets() {
        let text = "# METADATA\n# title: T\n# custom:\n#   id: X-1\n\npackage p\n\n# METADATA\n# title: rule\ndeny contains 1 if true\n";
        let b = blocks(text);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].marker_line, 1);
        assert_eq!(b[0].yaml_line, 2);
        assert_eq!(b[0].target_line, 6);
        assert_eq!(b[0].yaml, "title: T\ncustom:\n  id: X-1\n");
        assert_eq!(b[1].target_line, 10);
    }

    #[test]
    fn slugs_titles() {
        assert_eq!(slug("No SSH, please!"), "no-ssh-please");
    }
}
