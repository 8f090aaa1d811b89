//! GCP-COMPUTE-006: Subnetworks record VPC flow logs.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-006",
    name: "compute-subnetwork-flow-logs",
    title: "Subnetworks record VPC flow logs",
    description: "VPC flow logs sample the connections of every VM in the subnet, for network forensics, monitoring and capacity planning.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["logging", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["3.8"] },
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.16"] },
        Control { framework: "nist-800-53", controls: &["AU-12", "SI-4"] },
    ]),
    resource_types: &["google_compute_subnetwork", "gcp:compute/subnetwork:Subnetwork"],
    remediation: "Add a `log_config` block (Pulumi `logConfig`) to the subnetwork.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Subnetworks (`google_compute_subnetwork`, Pulumi `gcp:compute/subnetwork:Subnetwork`) must have a `log_config` block (Pulumi `logConfig`), which turns flow logs on. Proxy-only and Private Service Connect subnets (a `purpose` other than `PRIVATE`), which cannot log flows, are not applicable. A block known only after apply is indeterminate.",
        why: "When an instance is compromised, flow logs tell which addresses it talked to and how much it sent. They cannot be turned on after the fact for traffic already gone.",
        noncompliant: r#"Terraform:

    resource "google_compute_subnetwork" "app" {
      name          = "app"
      network       = google_compute_network.prod.id
      ip_cidr_range = "10.10.0.0/20"
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_subnetwork" "app" {
      name          = "app"
      network       = google_compute_network.prod.id
      ip_cidr_range = "10.10.0.0/20"
      log_config {
        aggregation_interval = "INTERVAL_5_SEC"
        flow_sampling        = 0.5
        metadata             = "INCLUDE_ALL_METADATA"
      }
    }"#,
        fix: "Add a `log_config` block; tune `flow_sampling` and `aggregation_interval` to bound the cost.",
        references: &["Google Cloud: VPC Flow Logs — https://cloud.google.com/vpc/docs/flow-logs", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 3.8"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if let Some(purpose) = support::gcp::text_at(view, "purpose")? {
        if !purpose.eq_ignore_ascii_case("PRIVATE")
            && !purpose.eq_ignore_ascii_case("PRIVATE_RFC_1918")
        {
            return Ok(Verdict::not_applicable(format!(
                "a subnetwork for `{}` cannot log flows",
                support::gcp::shown_at(view, "purpose", purpose)
            )));
        }
    }
    let logs = support::read(view, "logConfig")?;
    if logs.is_some_and(|block| block.items().next().is_some()) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} records no VPC flow logs",
            support::who(view, "subnetwork")
        ))
        .at(support::at(view, "logConfig")),
    ))
}
