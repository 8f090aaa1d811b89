//! GCP-FUNCTIONS-003: Cloud Functions do not accept traffic from the whole internet.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-FUNCTIONS-003",
    name: "functions-ingress-restricted",
    title: "Cloud Functions do not accept traffic from the whole internet",
    description: "Ingress `ALLOW_ALL` lets any address call the function's URL; internal-only or load-balancer ingress keeps it off the internet.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["functions"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: &["google_cloudfunctions_function", "gcp:cloudfunctions/function:Function", "google_cloudfunctions2_function", "gcp:cloudfunctions2/function:Function"],
    remediation: "Set `ingress_settings = \"ALLOW_INTERNAL_ONLY\"` or `\"ALLOW_INTERNAL_AND_GCLB\"`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Functions: `ingress_settings` (v1) or `service_config.ingress_settings` (v2; Pulumi `ingressSettings`, `serviceConfig.ingressSettings`) must be `ALLOW_INTERNAL_ONLY` or `ALLOW_INTERNAL_AND_GCLB`. Unset means `ALLOW_ALL` and is a violation; a value known only after apply is indeterminate.",
        why: "Functions triggered by events or called by other services need no internet ingress; with `ALLOW_ALL` an authentication slip or a public invoker grant exposes them to everyone.",
        noncompliant: r#"Terraform:

    resource "google_cloudfunctions2_function" "resize" {
      # ...
      service_config {
        available_memory = "256M"
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_cloudfunctions2_function" "resize" {
      # ...
      service_config {
        ingress_settings = "ALLOW_INTERNAL_ONLY"
      }
    }"#,
        fix: "Set the ingress to `ALLOW_INTERNAL_ONLY`, or `ALLOW_INTERNAL_AND_GCLB` behind a load balancer with Cloud Armor. Public webhooks get an exemption.",
        references: &["Google Cloud: Configure network settings for functions — https://cloud.google.com/functions/docs/networking/network-settings"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let camel = if support::canonical(&view) == "google_cloudfunctions2_function" {
        "serviceConfig.ingressSettings"
    } else {
        "ingressSettings"
    };
    support::gcp::one_of(
        view,
        camel,
        &["ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"],
        "ALLOW_ALL",
        "Cloud Function",
        "accepts traffic from the whole internet",
    )
}
