//! GCP-DNS-004: Cloud DNS server policies log queries.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-DNS-004",
    name: "dns-policy-logging",
    title: "Cloud DNS server policies log queries",
    description: "DNS query logs show which names workloads resolved, revealing malware beacons, data exfiltration over DNS and unexpected dependencies.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["dns"],
    topics: &["logging", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["2.12"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "nist-800-53", controls: &["AU-12", "SI-4"] },
    ]),
    resource_types: &["google_dns_policy", "gcp:dns/policy:Policy"],
    remediation: "Set `enable_logging = true` (Pulumi `enableLogging: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud DNS server policies (`google_dns_policy`, Pulumi `gcp:dns/policy:Policy`): `enable_logging` must be true. Unset means false and is a violation; a value known only after apply is indeterminate. Under `remediate` guardrail turns logging on.",
        why: "Most command-and-control traffic starts with a DNS lookup. CIS asks for Cloud DNS logging on every VPC network, done by a server policy attached to it.",
        noncompliant: r#"Terraform:

    resource "google_dns_policy" "prod" {
      name = "prod"
      networks {
        network_url = google_compute_network.prod.id
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_dns_policy" "prod" {
      name           = "prod"
      enable_logging = true
      networks {
        network_url = google_compute_network.prod.id
      }
    }"#,
        fix: "Set `enable_logging = true` and attach the policy to every VPC network. Logging does not change resolution (a safe fix).",
        references: &["Google Cloud: Use logging and monitoring for Cloud DNS — https://cloud.google.com/dns/docs/monitoring", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 2.12"],
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
        "enableLogging",
        true,
        false,
        "Cloud DNS policy",
        "does not log queries",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    support::gcp::bool_fix(view, "enableLogging", true, false)
}
