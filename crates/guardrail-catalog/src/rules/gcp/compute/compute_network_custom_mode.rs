//! GCP-COMPUTE-005: VPC networks are custom mode.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-005",
    name: "compute-network-custom-mode",
    title: "VPC networks are custom mode",
    description: "An auto mode network creates a subnet with a fixed range in every region, the way the default network does, whatever the workloads need.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["3.1"] },
        Control { framework: "iso27001", controls: &["A.8.22"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: &["google_compute_network", "gcp:compute/network:Network"],
    remediation: "Set `auto_create_subnetworks = false` (Pulumi `autoCreateSubnetworks: false`) and declare the subnets.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "VPC networks (`google_compute_network`, Pulumi `gcp:compute/network:Network`): `auto_create_subnetworks` must be false. Unset means true (auto mode) and is a violation; a value known only after apply is indeterminate.",
        why: "Auto mode subnets use the same `10.128.0.0/9` ranges in every project, so networks cannot be peered or connected on premises without overlap, and a subnet appears in every region for anyone to deploy into. CIS asks that the default network, which is auto mode, not exist; custom mode networks carry only the subnets you declare.",
        noncompliant: r#"Terraform:

    resource "google_compute_network" "prod" {
      name = "prod-vpc"
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_network" "prod" {
      name                    = "prod-vpc"
      auto_create_subnetworks = false
    }"#,
        fix: "Set `auto_create_subnetworks = false` and add `google_compute_subnetwork` resources for the regions you use. Changing the mode of an existing network replaces it; plan a migration. No automatic fix.",
        references: &["Google Cloud: VPC networks, subnet creation mode — https://cloud.google.com/vpc/docs/vpc#subnet-ranges", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 3.1"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::bool_setting(
        view,
        "autoCreateSubnetworks",
        false,
        true,
        "VPC network",
        "creates a subnet in every region (auto mode)",
    )
}
