//! GCP-COMPUTE-004: Firewall rules log their connections.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-004",
    name: "compute-firewall-logging",
    title: "Firewall rules log their connections",
    description: "Firewall rules logging records each connection a rule allowed or denied, the evidence for investigating network access.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["logging", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "nist-800-53", controls: &["AU-12"] },
    ]),
    resource_types: &["google_compute_firewall", "gcp:compute/firewall:Firewall"],
    remediation: "Add `log_config { metadata = \"INCLUDE_ALL_METADATA\" }` (Pulumi `logConfig: { metadata: ... }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "VPC firewall rules: `log_config.metadata` (Pulumi `logConfig.metadata`) must be set, which turns logging on. A rule without a `log_config` block logs nothing and is a violation; a value known only after apply is indeterminate.",
        why: "Flow logs show traffic between addresses; only firewall logs say which rule let it through or stopped it. Without them an allowed intrusion cannot be tied to the rule that needs tightening.",
        noncompliant: r#"Terraform:

    resource "google_compute_firewall" "web" {
      name    = "allow-https"
      network = google_compute_network.prod.id
      allow {
        protocol = "tcp"
        ports    = ["443"]
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_firewall" "web" {
      name    = "allow-https"
      network = google_compute_network.prod.id
      allow {
        protocol = "tcp"
        ports    = ["443"]
      }
      log_config {
        metadata = "EXCLUDE_ALL_METADATA"
      }
    }"#,
        fix: "Add a `log_config` block with `metadata = \"EXCLUDE_ALL_METADATA\"` (cheaper) or `\"INCLUDE_ALL_METADATA\"`. Logging adds cost per logged connection; exempt high-volume rules that other logs already cover.",
        references: &["Google Cloud: Firewall Rules Logging — https://cloud.google.com/firewall/docs/firewall-rules-logging"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::require_set(
        view,
        "logConfig.metadata",
        "firewall rule",
        "does not log connections",
    )
}
