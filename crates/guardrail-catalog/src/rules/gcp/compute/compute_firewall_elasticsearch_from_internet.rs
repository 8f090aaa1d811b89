//! GCP-COMPUTE-029: Firewall rules do not open Elasticsearch to the internet.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-029",
    name: "compute-firewall-elasticsearch-from-internet",
    title: "Firewall rules do not open Elasticsearch to the internet",
    description: "An ingress rule from `0.0.0.0/0` or `::/0` that lets Elasticsearch traffic in exposes Elasticsearch to every scanner on the internet.",
    severity: Severity::High,
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
    remediation: "Limit `source_ranges` (Pulumi `sourceRanges`) to known networks, or reach instances through IAP TCP forwarding (`35.235.240.0/20`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "VPC firewall rules (`google_compute_firewall`, Pulumi `gcp:compute/firewall:Firewall`) that are ingress (the default direction) and not disabled, whose `source_ranges` include `0.0.0.0/0` or `::/0` — or that name no source range, tag or service account, which Google Cloud treats as every address: no `allow` entry (Pulumi `allows`) may open TCP port 9200, by naming it, a range holding it, no ports (every port of `tcp`) or protocol `all`. Egress rules, disabled rules and rules from other sources are not applicable; values known only after apply are indeterminate.",
        why: "An Elasticsearch cluster is not meant to face the internet: it is scanned for constantly, attacked with default and leaked credentials and with published vulnerabilities, and its data is the prize. Only the application tier, inside the VPC, should reach it.",
        noncompliant: r#"Terraform:

    resource "google_compute_firewall" "admin" {
      name          = "allow-admin"
      network       = google_compute_network.prod.id
      source_ranges = ["0.0.0.0/0"]
      allow {
        protocol = "tcp"
        ports    = ["9200"]
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_firewall" "admin" {
      name          = "allow-admin-from-iap"
      network       = google_compute_network.prod.id
      source_ranges = ["35.235.240.0/20"]
      allow {
        protocol = "tcp"
        ports    = ["9200"]
      }
    }"#,
        fix: "Replace `0.0.0.0/0` in `source_ranges` with the ranges that need access, or with Identity-Aware Proxy's range `35.235.240.0/20` and connect through `gcloud compute ssh --tunnel-through-iap`. No automatic fix: only you know which networks should reach the port.",
        references: &["Google Cloud: VPC firewall rules — https://cloud.google.com/firewall/docs/firewalls", "Google Cloud: Using IAP for TCP forwarding — https://cloud.google.com/iap/docs/using-tcp-forwarding"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::firewall_port_closed(view, 9200)
}
