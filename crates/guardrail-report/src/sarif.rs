//! SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
//!
//! One run holds every input: each input file is an artifact, each policy a rule (full
//! description, markdown help, `security-severity`), each violation, indeterminate or suppressed
//! outcome a result. Result levels follow enforcement: mandatory → `error`, advisory →
//! `warning`, indeterminate → `note`. A result's location is the program's source where it is
//! known (the `.tf` file and line of the property, Pulumi's `sourcePosition`), else the input
//! file and the line where the resource starts in it; the resource is a logical location.
//! With a [`crate::Workspace`], every `uri` is relative to the repository root with
//! `uriBaseId` `%SRCROOT%`, which `originalUriBaseIds` maps to the root's absolute URI (a file
//! outside the root is an absolute `file:` URI). `partialFingerprints` carry
//! the stable fingerprint of [`crate::baseline::fingerprint`] (policy, resource, message; no
//! position). Suppressed findings are results with a `suppressions` entry naming the exemption.
//! Policy errors are tool execution notifications. The output is deterministic.

use serde_json::{json, Map, Value as Json};

use guardrail_core::{Enforcement, OutcomeKind, PolicyRef, Severity};

use crate::baseline::outcome_fingerprint;
use crate::{Context, Run};

/// The SARIF version written.
pub const VERSION: &str = "2.1.0";

/// The schema URI written into `$schema`.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The key of guardrail's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "guardrailFinding/v1";

/// Markdown help for a policy, e.g. the catalog's `explain`.
pub type HelpFn<'a> = &'a dyn Fn(&PolicyRef) -> Option<String>;

/// Options of the SARIF renderer.
#[derive(Clone, Copy, Default)]
pub struct Options<'a> {
    /// Full markdown help per policy; without it (or when it returns `None`) the help is built
    /// from the policy's description and remediation.
    pub help: Option<HelpFn<'a>>,
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("help", &self.help.is_some())
            .finish()
    }
}

/// GitHub's `security-severity` score for a severity (CVSS-like, 0.0–10.0).
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

/// The SARIF level of an enforcement level.
fn level_of(enforcement: Enforcement) -> &'static str {
    match enforcement {
        Enforcement::Mandatory | Enforcement::Remediate => "error",
        Enforcement::Advisory => "warning",
        Enforcement::Disabled => "none",
    }
}

/// A path as a URI reference: relative paths stay relative, absolute ones become `file:` URIs;
/// characters outside the URI grammar are percent-encoded.
pub fn path_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

/// The base id of the repository root, as GitHub's code scanning documents it.
pub const SRCROOT: &str = "%SRCROOT%";

/// An `artifactLocation` for a file: with a workspace, relative to the repository root under
/// [`SRCROOT`] (an absolute `file:` URI, without a base, for a file outside the root); without
/// one, the path as it is.
fn artifact_location(ctx: &Context<'_>, file: &str) -> Json {
    let uri = path_uri(&ctx.repo_path(file));
    if ctx.workspace.is_some() && !uri.starts_with("file:") {
        json!({ "uri": uri, "uriBaseId": SRCROOT })
    } else {
        json!({ "uri": uri })
    }
}

fn text(s: &str) -> Json {
    json!({ "text": s })
}

fn rule(p: &PolicyRef, opts: &Options<'_>) -> Json {
    let meta = &p.meta;
    let markdown = opts.help.and_then(|h| h(p)).unwrap_or_else(|| {
        format!(
            "# {} {}\n\n{}\n\n## How to fix\n\n{}\n",
            meta.id, meta.title, meta.description, meta.remediation
        )
    });
    let help_text = if meta.remediation.is_empty() {
        meta.description.clone()
    } else {
        meta.remediation.clone()
    };
    let mut tags: Vec<String> = vec!["security".to_string()];
    for t in meta.services.iter().chain(&meta.topics) {
        if !tags.contains(t) {
            tags.push(t.clone());
        }
    }
    for f in &meta.frameworks {
        for c in &f.controls {
            tags.push(format!("{}/{c}", f.framework));
        }
    }
    let mut properties = Map::new();
    properties.insert(
        "security-severity".into(),
        json!(security_severity(meta.severity)),
    );
    properties.insert("severity".into(), json!(meta.severity.as_str()));
    properties.insert("enforcement".into(), json!(p.enforcement.as_str()));
    properties.insert("pack".into(), json!(p.pack));
    if p.central {
        // Required by the policy service's groups for this stack.
        properties.insert("requiredByServer".into(), json!(true));
    }
    properties.insert("precision".into(), json!("high"));
    properties.insert("tags".into(), json!(tags));
    let full = if meta.description.is_empty() {
        &meta.title
    } else {
        &meta.description
    };
    json!({
        "id": meta.id,
        "name": meta.name,
        "shortDescription": text(&meta.title),
        "fullDescription": text(full),
        "help": { "text": help_text, "markdown": markdown },
        "defaultConfiguration": { "level": level_of(p.enforcement) },
        "properties": properties,
    })
}

/// Renders the SARIF log, pretty-printed, ending with a newline.
pub fn render(runs: &[Run<'_>], ctx: Context<'_>, opts: Options<'_>) -> String {
    // Rules: every policy that ran, first occurrence wins, in pack then declared order.
    let mut rules: Vec<&PolicyRef> = Vec::new();
    for run in runs {
        for p in &run.evaluation.policies {
            if p.enforcement != Enforcement::Disabled
                && !rules.iter().any(|r| r.meta.id == p.meta.id)
            {
                rules.push(p);
            }
        }
    }
    let rule_index = |id: &str| rules.iter().position(|r| r.meta.id == id);

    let mut artifacts = Vec::new();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for (ai, run) in runs.iter().enumerate() {
        let input = artifact_location(&ctx, &run.stack.source);
        artifacts.push(json!({
            "location": input,
            "roles": ["analysisTarget"],
            "mimeType": "application/json",
        }));
        let eval = run.evaluation;
        for o in &eval.outcomes {
            let Some(p) = eval.policies.get(o.policy) else {
                continue;
            };
            let resource = o.resource.and_then(|i| run.stack.resources.get(i));
            let mut physical = Map::new();
            let place = crate::place(run.stack, o);
            if place.in_source {
                // the program's source, from the repository root, where code scanning can
                // show it in the pull request
                physical.insert(
                    "artifactLocation".into(),
                    artifact_location(&ctx, place.file),
                );
            } else {
                let mut at = input.clone();
                at["index"] = json!(ai);
                physical.insert("artifactLocation".into(), at);
            }
            if let Some(line) = place.line {
                physical.insert("region".into(), json!({ "startLine": line }));
            }
            let mut location = Map::new();
            location.insert("physicalLocation".into(), Json::Object(physical));
            if let Some(r) = resource {
                location.insert(
                    "logicalLocations".into(),
                    json!([{ "name": r.name, "fullyQualifiedName": r.id, "kind": "resource" }]),
                );
            }
            let message = o
                .message
                .clone()
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| p.meta.title.clone());
            let index = rule_index(&p.meta.id);
            if o.kind == OutcomeKind::Error {
                let mut n = json!({
                    "level": "error",
                    "message": text(&message),
                    "locations": [Json::Object(location)],
                    "associatedRule": { "id": p.meta.id },
                });
                if let (Some(i), Some(rule)) = (index, n.get_mut("associatedRule")) {
                    rule["index"] = json!(i);
                }
                notifications.push(n);
                continue;
            }
            if !matches!(
                o.kind,
                OutcomeKind::Violation | OutcomeKind::Indeterminate | OutcomeKind::Suppressed
            ) {
                continue;
            }
            let level = match o.kind {
                OutcomeKind::Indeterminate => "note",
                _ => level_of(o.level),
            };
            let mut properties = Map::new();
            properties.insert("outcome".into(), json!(o.kind.as_str()));
            properties.insert("enforcement".into(), json!(o.level.as_str()));
            properties.insert("blocking".into(), json!(o.blocking));
            properties.insert("severity".into(), json!(p.meta.severity.as_str()));
            if let Some(path) = &o.path {
                properties.insert("propertyPath".into(), json!(path));
            }
            if let Some(r) = resource {
                properties.insert("resourceType".into(), json!(r.type_));
                properties.insert("operation".into(), json!(r.operation.as_str()));
            }
            if p.central {
                properties.insert("requiredByServer".into(), json!(true));
            }
            let mut result = Map::new();
            result.insert("ruleId".into(), json!(p.meta.id));
            if let Some(i) = index {
                result.insert("ruleIndex".into(), json!(i));
            }
            result.insert("level".into(), json!(level));
            result.insert("message".into(), text(&message));
            result.insert("locations".into(), json!([Json::Object(location)]));
            result.insert(
                "partialFingerprints".into(),
                json!({ FINGERPRINT_KEY: outcome_fingerprint(run.stack, eval, o) }),
            );
            if let Some(e) = o.exemption.and_then(|i| ctx.exemptions.get(i)) {
                let mut props = Map::new();
                if let Some(v) = &e.expires {
                    props.insert("expires".into(), json!(v));
                }
                if let Some(v) = &e.ticket {
                    props.insert("ticket".into(), json!(v));
                }
                props.insert("policies".into(), json!(e.policies));
                props.insert("resources".into(), json!(e.resources));
                let mut s = Map::new();
                s.insert("kind".into(), json!("external"));
                s.insert("status".into(), json!("accepted"));
                s.insert("justification".into(), json!(e.reason));
                if let Some(who) = &e.approved_by {
                    props.insert("approvedBy".into(), json!(who));
                }
                s.insert("properties".into(), Json::Object(props));
                result.insert("suppressions".into(), json!([Json::Object(s)]));
            }
            result.insert("properties".into(), Json::Object(properties));
            results.push(Json::Object(result));
        }
    }

    let mut invocation = Map::new();
    invocation.insert(
        "executionSuccessful".into(),
        json!(notifications.is_empty()),
    );
    if !notifications.is_empty() {
        invocation.insert("toolExecutionNotifications".into(), json!(notifications));
    }
    let rules_json: Vec<Json> = rules.iter().map(|p| rule(p, &opts)).collect();
    let mut driver = Map::new();
    driver.insert("name".into(), json!("guardrail"));
    driver.insert("semanticVersion".into(), json!(env!("CARGO_PKG_VERSION")));
    driver.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    let home = env!("CARGO_PKG_REPOSITORY");
    if !home.is_empty() {
        driver.insert("informationUri".into(), json!(home));
    }
    driver.insert("rules".into(), json!(rules_json));
    let mut sarif_run = Map::new();
    sarif_run.insert("tool".into(), json!({ "driver": Json::Object(driver) }));
    sarif_run.insert("invocations".into(), json!([Json::Object(invocation)]));
    if let Some(w) = ctx.workspace {
        sarif_run.insert(
            "originalUriBaseIds".into(),
            json!({ SRCROOT: {
                "uri": w.root_uri(),
                "description": text("The root of the repository."),
            } }),
        );
    }
    sarif_run.insert("artifacts".into(), json!(artifacts));
    sarif_run.insert("results".into(), json!(results));
    sarif_run.insert("columnKind".into(), json!("utf16CodeUnits"));
    let mut properties = json!({ "strict": ctx.strict });
    if !ctx.notices.is_empty() {
        properties["notices"] = json!(ctx.notices);
    }
    sarif_run.insert("properties".into(), properties);
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": VERSION,
        "runs": [Json::Object(sarif_run)],
    });
    let mut out = serde_json::to_string_pretty(&log)
        .unwrap_or_else(|e| format!("{{\"error\": \"cannot render SARIF: {e}\"}}"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(
            path_uri("examples/plans/plan.json"),
            "examples/plans/plan.json"
        );
        assert_eq!(path_uri("/tmp/a b.json"), "file:///tmp/a%20b.json");
        assert_eq!(path_uri("a\\b#c.json"), "a/b%23c.json");
    }

    #[test]
    fn severities_score_in_order() {
        let scores: Vec<f64> = Severity::ALL
            .iter()
            .map(|s| security_severity(*s).parse().unwrap_or(0.0))
            .collect();
        assert!(scores.windows(2).all(|w| w[0] < w[1]), "{scores:?}");
    }
}
