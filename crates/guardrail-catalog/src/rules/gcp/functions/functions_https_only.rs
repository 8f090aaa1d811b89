//! GCP-FUNCTIONS-004: HTTP-triggered Cloud Functions (1st gen) accept HTTPS only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-FUNCTIONS-004",
    name: "functions-https-only",
    title: "HTTP-triggered Cloud Functions (1st gen) accept HTTPS only",
    description: "With `SECURE_OPTIONAL` a first-generation HTTP function also answers plain HTTP, sending requests and responses unencrypted.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["functions"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "soc2", controls: &["CC6.7"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-8"] },
        Control { framework: "hipaa", controls: &["164.312(e)(1)"] },
    ]),
    resource_types: &["google_cloudfunctions_function", "gcp:cloudfunctions/function:Function"],
    remediation: "Set `https_trigger_security_level = \"SECURE_ALWAYS\"`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "First-generation Cloud Functions (`google_cloudfunctions_function`, Pulumi `gcp:cloudfunctions/function:Function`) with `trigger_http = true`: `https_trigger_security_level` must be `SECURE_ALWAYS`. Unset means `SECURE_OPTIONAL` and is a violation; event-triggered functions are not applicable; a value known only after apply is indeterminate.",
        why: "Plain HTTP exposes tokens, payloads and responses to anyone on the path and allows them to be altered. `SECURE_ALWAYS` redirects HTTP to HTTPS.",
        noncompliant: r#"Terraform:

    resource "google_cloudfunctions_function" "hook" {
      # ...
      trigger_http = true
    }"#,
        compliant: r#"Terraform:

    resource "google_cloudfunctions_function" "hook" {
      # ...
      trigger_http                 = true
      https_trigger_security_level = "SECURE_ALWAYS"
    }"#,
        fix: "Set `https_trigger_security_level = \"SECURE_ALWAYS\"`. Second-generation functions always use HTTPS.",
        references: &["Google Cloud: HTTP triggers, security levels — https://cloud.google.com/functions/1stgendocs/calling/http"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::flag(view, "triggerHttp")? != Some(true) {
        return Ok(Verdict::not_applicable("not triggered over HTTP"));
    }
    support::gcp::one_of(
        view,
        "httpsTriggerSecurityLevel",
        &["SECURE_ALWAYS"],
        "SECURE_OPTIONAL",
        "Cloud Function",
        "also answers plain HTTP",
    )
}
