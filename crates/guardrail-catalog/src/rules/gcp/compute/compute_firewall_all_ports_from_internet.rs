//! GCP-COMPUTE-003: Firewall rules do not open every port to the internet.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-003",
    name: "compute-firewall-all-ports-from-internet",
    title: "Firewall rules do not open every port to the internet",
    description: "An ingress rule from the whole internet that allows every protocol, or every TCP or UDP port, exposes everything the instances listen on.",
    severity: Severity::Critical,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["1.3.1"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: &["google_compute_firewall", "gcp:compute/firewall:Firewall"],
    remediation: "Allow only the ports the service needs, from the networks that need them.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "VPC firewall rules that are ingress, not disabled and open to `0.0.0.0/0` or `::/0` (or name no source, which means every address): no `allow` entry (Pulumi `allows`) may be protocol `all`, or `tcp`/`udp` with no ports or a range covering 1 to 65535. Each such entry is one violation; other rules are not applicable; values known only after apply are indeterminate.",
        why: "Instances run more than their one service: metadata agents, debug ports, databases bound to every interface. A rule that opens everything turns each of them into an internet-facing service nobody reviewed.",
        noncompliant: r#"Terraform:

    resource "google_compute_firewall" "anything" {
      name          = "allow-all"
      network       = google_compute_network.prod.id
      source_ranges = ["0.0.0.0/0"]
      allow {
        protocol = "all"
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_firewall" "web" {
      name          = "allow-https"
      network       = google_compute_network.prod.id
      source_ranges = ["0.0.0.0/0"]
      target_tags   = ["web"]
      allow {
        protocol = "tcp"
        ports    = ["443"]
      }
    }"#,
        fix: "List the ports the workload serves in `allow { ports = [...] }`, narrow `source_ranges`, and scope the rule with `target_tags` or `target_service_accounts`.",
        references: &["Google Cloud: VPC firewall rules — https://cloud.google.com/firewall/docs/firewalls"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if let Some(reason) = support::gcp::closed_to_world(view)? {
        return Ok(Verdict::not_applicable(reason));
    }
    let violations = support::gcp::openings(view)?
        .into_iter()
        .filter(support::gcp::Opening::opens_everything)
        .map(|opening| {
            Violation::new(format!(
                "{} opens every port to the whole internet",
                support::who(view, "firewall rule")
            ))
            .at(opening.path)
        })
        .collect();
    Ok(Verdict::from_violations(violations))
}
