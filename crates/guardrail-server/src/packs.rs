//! Pack documents: what a published version holds, in the canonical form that is digested.
//!
//! A version is one JSON document, either a Rego pack as a map of files
//! (`{"kind": "rego", "files": {"policy.rego": "…"}}`) or a catalog selection
//! (`{"kind": "selection", "selection": {"select": ["AWS-S3"], "levels": {…}, "config": {…}}}`).
//! Its canonical form is compact JSON with every object's keys sorted; the digest is the
//! SHA-256 of those bytes, so client and server compute the same one from the same content.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path};

use serde_json::Value;

/// The most a version may hold, in bytes of its canonical document.
pub const MAX_PACK_BYTES: usize = 16 << 20;
/// The most files a Rego pack may hold.
pub const MAX_PACK_FILES: usize = 2000;

/// Enforcement levels a selection may set.
const LEVELS: [&str; 4] = ["advisory", "mandatory", "remediate", "disabled"];

/// A checked pack document: its kind and canonical bytes.
#[derive(Clone, Debug)]
pub struct PackDocument {
    /// `rego` or `selection`.
    pub kind: &'static str,
    /// The canonical JSON.
    pub canonical: Vec<u8>,
}

/// Checks a pack document (the upload's `kind` and `files` or `selection`) and makes its
/// canonical form. The error says what is wrong, for a 400 answer or the CLI.
pub fn check_document(doc: &Value) -> Result<PackDocument, String> {
    let obj = doc
        .as_object()
        .ok_or("the pack must be a JSON object with `kind` and `files` or `selection`")?;
    let kind = match obj.get("kind").and_then(Value::as_str) {
        Some("rego") => "rego",
        Some("selection") => "selection",
        Some(other) => {
            return Err(format!(
                "unknown pack kind `{other}`: use `rego` (with `files`) or `selection` (with `selection`)"
            ))
        }
        None => return Err("the pack has no `kind`: use `rego` or `selection`".into()),
    };
    let mut clean = serde_json::Map::new();
    clean.insert("kind".into(), Value::String(kind.into()));
    if kind == "rego" {
        let files = obj
            .get("files")
            .and_then(Value::as_object)
            .ok_or("a `rego` pack needs `files`: an object from relative path to file text")?;
        if files.len() > MAX_PACK_FILES {
            return Err(format!(
                "the pack has {} files, more than the limit of {MAX_PACK_FILES}",
                files.len()
            ));
        }
        for (path, text) in files {
            check_file_path(path)?;
            if !text.is_string() {
                return Err(format!("the file `{path}` must be given as text"));
            }
        }
        if !files.keys().any(|p| p.ends_with(".rego")) {
            return Err("a `rego` pack needs at least one `.rego` file".into());
        }
        clean.insert("files".into(), Value::Object(files.clone()));
    } else {
        let selection = obj
            .get("selection")
            .and_then(Value::as_object)
            .ok_or("a `selection` pack needs `selection`: an object with `select`, and optionally `levels` and `config`")?;
        for key in selection.keys() {
            if !matches!(key.as_str(), "select" | "levels" | "config") {
                return Err(format!(
                    "unknown key `{key}` in the selection: use `select`, `levels` and `config`"
                ));
            }
        }
        let select = selection
            .get("select")
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty() && a.iter().all(Value::is_string))
            .ok_or(
                "the selection's `select` must be a non-empty list of rule ids, prefixes or `all`",
            )?;
        if let Some(levels) = selection.get("levels") {
            let levels = levels
                .as_object()
                .ok_or("the selection's `levels` must map policy ids to levels")?;
            for (policy, level) in levels {
                if !level.as_str().is_some_and(|l| LEVELS.contains(&l)) {
                    return Err(format!(
                        "the level of `{policy}` must be one of {}",
                        LEVELS.join(", ")
                    ));
                }
            }
        }
        if selection.get("config").is_some_and(|c| !c.is_object()) {
            return Err("the selection's `config` must map policy ids to their config".into());
        }
        let _ = select;
        clean.insert("selection".into(), Value::Object(selection.clone()));
    }
    for key in obj.keys() {
        if !matches!(key.as_str(), "kind" | "files" | "selection" | "digest") {
            return Err(format!("unknown key `{key}` in the pack"));
        }
    }
    let canonical = canonical_json(&Value::Object(clean)).into_bytes();
    if canonical.len() > MAX_PACK_BYTES {
        return Err(format!(
            "the pack is {} bytes, more than the limit of {MAX_PACK_BYTES}",
            canonical.len()
        ));
    }
    Ok(PackDocument { kind, canonical })
}

fn check_file_path(path: &str) -> Result<(), String> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && !path.contains('\\')
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the file path `{path}` must be relative, with `/` separators and no `..`"
        ))
    }
}

/// Compact JSON with every object's keys sorted: the same bytes for the same document,
/// whatever order its keys arrived in.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let sorted: BTreeMap<&String, &Value> = map.iter().collect();
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(v, out);
            }
            out.push(']');
        }
        other => {
            let _ = write!(out, "{other}");
        }
    }
}

/// Whether `name` may name an organization, user or pack: 1 to 64 of `a-z`, `0-9`, `.`, `_`,
/// `-`, starting with a letter or digit.
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
}

/// Whether `version` may name a version: 1 to 64 of letters, digits, `.`, `+`, `-`, starting
/// with a letter or digit (semantic versions fit).
pub fn valid_version(version: &str) -> bool {
    (1..=64).contains(&version.len())
        && version.starts_with(|c: char| c.is_ascii_alphanumeric())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
}

/// Checks that a pack runs: a selection's selectors and levels name built-in policies, a Rego
/// pack's files load as a pack (written to a scratch directory and loaded by the pipeline, as
/// `guardrail check --pack` would). The error says what is wrong, for a 400 answer.
pub fn check_runs(canonical: &[u8]) -> Result<(), String> {
    policies(canonical).map(|_| ())
}

/// The policies a pack version runs (checking that it runs, as [`check_runs`]).
pub fn policies(
    canonical: &[u8],
) -> Result<Vec<std::sync::Arc<dyn guardrail_core::Policy>>, String> {
    let doc: Value = serde_json::from_slice(canonical).map_err(|e| e.to_string())?;
    let pipeline_error = |e: guardrail_run::Error| match e.help {
        Some(help) => format!("{}; {help}", e.message),
        None => e.message,
    };
    if let Some(selection) = doc.get("selection") {
        let strings = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        let select = strings(selection.get("select"));
        let chosen = guardrail_run::select::choose(&select, "the selection's `select`", &[], "")
            .map_err(pipeline_error)?;
        let known: std::collections::HashSet<&str> =
            guardrail_catalog::rules().iter().map(|r| r.id).collect();
        for key in selection
            .get("levels")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.keys())
            .chain(
                selection
                    .get("config")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flat_map(|m| m.keys()),
            )
        {
            if !known.contains(key.as_str()) {
                let hint = guardrail_run::select::nearest(key, known.iter().copied())
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "the selection names `{key}`, which is no built-in policy id{hint}"
                ));
            }
        }
        return Ok(chosen);
    }
    let files = doc
        .get("files")
        .and_then(Value::as_object)
        .ok_or("the pack has no files")?;
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| format!("no system randomness: {e}"))?;
    let dir = std::env::temp_dir().join(format!("guardrail-publish-{}", crate::auth::hex(&nonce)));
    let result = (|| {
        for (path, text) in files {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot check the pack: {e}"))?;
            }
            std::fs::write(&target, text.as_str().unwrap_or_default())
                .map_err(|e| format!("cannot check the pack: {e}"))?;
        }
        guardrail_run::load_packs(
            std::slice::from_ref(&dir),
            &guardrail_run::RegoOptions::default().load_options(),
        )
        .map(|packs| packs.into_iter().flat_map(|p| p.pack.policies).collect())
        .map_err(|e| pipeline_error(e).replace(&dir.display().to_string(), "the pack"))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_form_ignores_key_order() {
        let a = check_document(&json!({"kind": "rego", "files": {"b.rego": "x", "a.rego": "y"}}))
            .unwrap();
        let b = check_document(&json!({"files": {"a.rego": "y", "b.rego": "x"}, "kind": "rego"}))
            .unwrap();
        assert_eq!(a.canonical, b.canonical);
        assert_eq!(
            String::from_utf8(a.canonical).unwrap(),
            r#"{"files":{"a.rego":"y","b.rego":"x"},"kind":"rego"}"#
        );
    }

    #[test]
    fn bad_documents_say_what_is_wrong() {
        let err = |v: Value| check_document(&v).unwrap_err();
        assert!(err(json!({"kind": "wasm"})).contains("unknown pack kind `wasm`"));
        assert!(err(json!({"kind": "rego", "files": {"../x.rego": ""}})).contains("`../x.rego`"));
        assert!(err(json!({"kind": "rego", "files": {"/etc/x.rego": ""}})).contains("relative"));
        assert!(err(json!({"kind": "rego", "files": {"a.md": ""}})).contains("`.rego`"));
        assert!(
            err(json!({"kind": "selection", "selection": {"select": []}})).contains("`select`")
        );
        assert!(err(json!({"kind": "selection", "selection": {"select": ["AWS"], "levels": {"AWS-S3-001": "loud"}}}))
            .contains("`AWS-S3-001`"));
        assert!(check_document(&json!({"kind": "selection", "selection": {"select": ["AWS-S3"], "levels": {"AWS-S3-001": "mandatory"}}})).is_ok());
    }

    #[test]
    fn packs_must_run() {
        let doc = |v: Value| check_document(&v).unwrap().canonical;
        assert!(check_runs(&doc(json!({"kind": "selection", "selection": {"select": ["AWS-S3"], "levels": {"AWS-S3-001": "mandatory"}}}))).is_ok());
        let err = check_runs(&doc(
            json!({"kind": "selection", "selection": {"select": ["AWS-S4"]}}),
        ))
        .unwrap_err();
        assert!(err.contains("AWS-S4"), "{err}");
        let err = check_runs(&doc(json!({"kind": "selection", "selection": {"select": ["AWS-S3"], "levels": {"AWS-S3-01": "mandatory"}}}))).unwrap_err();
        assert!(
            err.contains("`AWS-S3-01`, which is no built-in policy id"),
            "{err}"
        );
        let err = check_runs(&doc(
            json!({"kind": "rego", "files": {"p.rego": "package p\ndeny contains msg if {"}}),
        ))
        .unwrap_err();
        assert!(err.contains("p.rego"), "{err}");
        assert!(!err.contains("guardrail-publish-"), "{err}");
    }

    #[test]
    fn names() {
        assert!(valid_name("platform-guardrails"));
        assert!(!valid_name("Platform"));
        assert!(!valid_name("-x"));
        assert!(valid_version("1.2.3-rc.1+build"));
        assert!(!valid_version("1.0/../x"));
    }
}
