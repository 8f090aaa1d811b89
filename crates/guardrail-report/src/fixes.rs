//! The remediated resources, as JSON (`guardrail check --fix-output FILE`).
//!
//! Each changed resource is written whole, with its properties after every fix. Secrets are
//! written as the string `"[secret]"` and values unknown until apply as `"[unknown]"`: this file
//! must never carry plaintext, so a tool applying it takes secret values from their source.

use serde::Serialize;

use guardrail_core::Value;

use crate::Run;

/// The schema identifier of the fix file.
pub const SCHEMA: &str = "guardrail.fixes/v1";

#[derive(Serialize)]
struct FixFile<'a> {
    schema: &'static str,
    resources: Vec<Fixed<'a>>,
}

#[derive(Serialize)]
struct Fixed<'a> {
    file: &'a str,
    id: &'a str,
    #[serde(rename = "type")]
    type_: &'a str,
    policies: Vec<&'a str>,
    props: &'a Value,
}

/// Renders the fix file.
pub fn render(runs: &[Run<'_>]) -> String {
    let mut resources = Vec::new();
    for run in runs {
        for r in &run.evaluation.remediations {
            let Some(res) = run.stack.resources.get(r.resource) else {
                continue;
            };
            resources.push(Fixed {
                file: &run.stack.source,
                id: &res.id,
                type_: &res.type_,
                policies: r
                    .policies
                    .iter()
                    .filter_map(|&i| run.evaluation.policies.get(i).map(|p| p.meta.id.as_str()))
                    .collect(),
                props: &r.props,
            });
        }
    }
    let mut out = serde_json::to_string_pretty(&FixFile {
        schema: SCHEMA,
        resources,
    })
    .unwrap_or_else(|e| format!("{{\"error\": \"cannot render fixes: {e}\"}}"));
    out.push('\n');
    out
}
