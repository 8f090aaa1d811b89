//! GCP-COMPUTE-023: Load balancer backend services log requests.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-023",
    name: "compute-backend-service-logging",
    title: "Load balancer backend services log requests",
    description: "Request logs of a load balancer record each client, URL, status and latency: the first evidence for any web incident.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["logging", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["2.16"] },
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] },
        Control { framework: "hipaa", controls: &["164.312(b)"] },
    ]),
    resource_types: &["google_compute_backend_service", "gcp:compute/backendService:BackendService", "google_compute_region_backend_service", "gcp:compute/regionBackendService:RegionBackendService"],
    remediation: "Set `log_config { enable = true }` (Pulumi `logConfig: { enable: true }`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Backend services (`google_compute_backend_service`, `google_compute_region_backend_service`, Pulumi `gcp:compute/backendService:BackendService`, `gcp:compute/regionBackendService:RegionBackendService`): `log_config.enable` must be true. Unset means false and is a violation; a value known only after apply is indeterminate. Under `remediate` guardrail turns logging on.",
        why: "Without request logs nobody can tell which clients reached an endpoint, what they asked for, or when an attack started; they cannot be produced after the fact.",
        noncompliant: r#"Terraform:

    resource "google_compute_backend_service" "web" {
      name          = "web"
      protocol      = "HTTPS"
      health_checks = [google_compute_health_check.web.id]
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_backend_service" "web" {
      name          = "web"
      protocol      = "HTTPS"
      health_checks = [google_compute_health_check.web.id]
      log_config {
        enable      = true
        sample_rate = 1.0
      }
    }"#,
        fix: "Add `log_config { enable = true }`; lower `sample_rate` for very busy services to bound the cost. Turning logging on does not affect traffic (a safe fix).",
        references: &["Google Cloud: External Application Load Balancer logging — https://cloud.google.com/load-balancing/docs/https/https-logging-monitoring", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 2.16"],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::bool_setting(
        view,
        "logConfig.enable",
        true,
        false,
        "backend service",
        "does not log requests",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    support::gcp::bool_fix(view, "logConfig.enable", true, false)
}
