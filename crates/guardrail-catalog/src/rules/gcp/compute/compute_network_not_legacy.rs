//! GCP-COMPUTE-035: VPC networks are not legacy networks.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-035",
    name: "compute-network-not-legacy",
    title: "VPC networks are not legacy networks",
    description: "Legacy networks have one global IP range and no subnets, so nothing can be segmented or logged per subnet.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["3.2"] },
        Control { framework: "iso27001", controls: &["A.8.22"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: &["google_compute_network", "gcp:compute/network:Network"],
    remediation: "Remove `ipv4_range` and create a custom mode network with subnetworks.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "VPC networks (`google_compute_network`, Pulumi `gcp:compute/network:Network`): `ipv4_range` (Pulumi `ipv4Range`), which only legacy networks have, must not be set. A value known only after apply is indeterminate.",
        why: "Legacy networks cannot have subnets, flow logs, Private Google Access or most modern features, and their single range spans every region. CIS asks that none exist.",
        noncompliant: r#"Terraform:

    resource "google_compute_network" "old" {
      name       = "old"
      ipv4_range = "10.240.0.0/16"
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_network" "prod" {
      name                    = "prod-vpc"
      auto_create_subnetworks = false
    }"#,
        fix: "Create a custom mode network with subnetworks and migrate instances to it; legacy networks cannot be converted in place.",
        references: &["Google Cloud: Legacy networks — https://cloud.google.com/vpc/docs/legacy", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 3.2"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::gcp::text_at(view, "ipv4Range")?.is_none() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} is a legacy network",
            support::who(view, "VPC network")
        ))
        .at(support::at(view, "ipv4Range")),
    ))
}
