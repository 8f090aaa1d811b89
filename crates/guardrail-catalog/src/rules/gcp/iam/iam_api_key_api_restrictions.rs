//! GCP-IAM-009: API keys are restricted to the APIs they call.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-IAM-009",
    name: "iam-api-key-api-restrictions",
    title: "API keys are restricted to the APIs they call",
    description: "An API key without API targets can call every API enabled in the project.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["iam"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["1.14"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "nist-800-53", controls: &["AC-6"] },
    ]),
    resource_types: &["google_apikeys_key", "gcp:projects/apiKey:ApiKey"],
    remediation: "Add `api_targets` to `restrictions` (Pulumi `restrictions.apiTargets`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "API keys (`google_apikeys_key`, Pulumi `gcp:projects/apiKey:ApiKey`): `restrictions.api_targets` must list at least one service. A key without API targets is a violation; values known only after apply are indeterminate.",
        why: "A leaked key for Maps should not also be able to call Translation or Generative AI APIs billed to you; API targets bound what a key is good for.",
        noncompliant: r#"Terraform:

    resource "google_apikeys_key" "maps" {
      name = "maps-web"
      restrictions {
        browser_key_restrictions {
          allowed_referrers = ["https://www.acme.example/*"]
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_apikeys_key" "maps" {
      name = "maps-web"
      restrictions {
        browser_key_restrictions {
          allowed_referrers = ["https://www.acme.example/*"]
        }
        api_targets {
          service = "maps-backend.googleapis.com"
        }
      }
    }"#,
        fix: "List the services the key is for in `api_targets`.",
        references: &["Google Cloud: Manage API keys, add API restrictions — https://cloud.google.com/docs/authentication/api-keys#adding-api-restrictions", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 1.14"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::read(view, "restrictions.apiTargets")?.is_some_and(|b| b.items().next().is_some()) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} can call every enabled API",
            support::who(view, "API key")
        ))
        .at(support::at(view, "restrictions.apiTargets")),
    ))
}
