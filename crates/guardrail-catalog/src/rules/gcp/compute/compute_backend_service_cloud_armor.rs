//! GCP-COMPUTE-037: External backend services are protected by a Cloud Armor policy.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-037",
    name: "compute-backend-service-cloud-armor",
    title: "External backend services are protected by a Cloud Armor policy",
    description: "A Cloud Armor security policy filters attacks (OWASP rules, rate limits, IP and geography rules) before they reach the backends.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["6.4.2"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "SC-5"] },
    ]),
    resource_types: &["google_compute_backend_service", "gcp:compute/backendService:BackendService"],
    remediation: "Set `security_policy` (Pulumi `securityPolicy`) to a Cloud Armor policy.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Global backend services (`google_compute_backend_service`, Pulumi `gcp:compute/backendService:BackendService`) with `load_balancing_scheme` `EXTERNAL` (the default) or `EXTERNAL_MANAGED`: `security_policy` must be set. Internal backend services are not applicable; values known only after apply are indeterminate.",
        why: "Internet-facing applications are probed for injection, credential stuffing and floods all the time. PCI DSS 6.4.2 asks for an automated solution in front of public web applications; Cloud Armor is Google Cloud's.",
        noncompliant: r#"Terraform:

    resource "google_compute_backend_service" "web" {
      name          = "web"
      protocol      = "HTTPS"
      health_checks = [google_compute_health_check.web.id]
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_backend_service" "web" {
      name            = "web"
      protocol        = "HTTPS"
      health_checks   = [google_compute_health_check.web.id]
      security_policy = google_compute_security_policy.web.id
    }"#,
        fix: "Create a `google_compute_security_policy` with the preconfigured WAF rules in preview mode, attach it with `security_policy`, then enforce.",
        references: &["Google Cloud: Cloud Armor security policy overview — https://cloud.google.com/armor/docs/security-policy-overview"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let scheme = support::gcp::text_at(view, "loadBalancingScheme")?.unwrap_or("EXTERNAL");
    if !scheme.to_ascii_uppercase().starts_with("EXTERNAL") {
        return Ok(Verdict::not_applicable("an internal backend service"));
    }
    support::gcp::require_set(
        view,
        "securityPolicy",
        "backend service",
        "has no Cloud Armor security policy",
    )
}
