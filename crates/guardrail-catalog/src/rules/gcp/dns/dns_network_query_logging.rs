//! GCP-DNS-005: every VPC network has a Cloud DNS policy that logs queries.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Spelling, StackFinding, StackView,
    Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{flag, uncovered, Coverage, Known};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-DNS-005",
    name: "dns-network-query-logging",
    title: "VPC networks have a Cloud DNS policy that logs queries",
    description: "Cloud DNS logs the queries of a VPC network only when a DNS server policy with \
                  logging is attached to it; without one, lookups by malware and exfiltration \
                  over DNS leave no trace.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["dns"],
    topics: &["logging", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["2.12"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15", "A.8.16"] },
        Control { framework: "nist-800-53", controls: &["AU-12", "SI-4"] },
    ]),
    resource_types: &[
        "google_compute_network",
        "gcp:compute/network:Network",
        "google_dns_policy",
        "gcp:dns/policy:Policy",
    ],
    remediation: "Attach a `google_dns_policy` with `enable_logging = true` to the network \
                  (`networks { network_url = google_compute_network.x.id }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over every managed VPC network (`google_compute_network`, Pulumi \
               `gcp:compute/network:Network`). A network passes when a Cloud DNS server policy \
               (`google_dns_policy`, Pulumi `gcp:dns/policy:Policy`) with `enable_logging = true` \
               names it in `networks` through a reference to the network (Terraform's \
               configuration, Pulumi's property dependencies of `networks`); a `network_url` \
               written as a literal string is not matched, so such a network is reported: \
               refer to the network resource instead. A policy \
               without logging does not count; a policy whose `enable_logging` is known only \
               after apply leaves the network undecided (indeterminate), and so does a policy \
               whose networks are known only after apply with nothing recorded about where they \
               come from. GCP-DNS-004 checks the policies themselves.",
        why: "DNS is how compromised workloads find their command servers and a quiet channel \
              for exfiltration. CIS asks for Cloud DNS logging on every VPC network; the only \
              way to turn it on is a server policy attached to the network.",
        noncompliant: r#"Terraform:

    resource "google_compute_network" "prod" {
      name                    = "prod-vpc"
      auto_create_subnetworks = false
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_network" "prod" {
      name                    = "prod-vpc"
      auto_create_subnetworks = false
    }

    resource "google_dns_policy" "prod" {
      name           = "prod"
      enable_logging = true
      networks {
        network_url = google_compute_network.prod.id
      }
    }"#,
        fix: "Add a `google_dns_policy` with `enable_logging = true` and a `networks` block for \
              each VPC network (Pulumi `gcp.dns.Policy` with `enableLogging: true` and \
              `networks: [{ networkUrl: network.id }]`). A network may have one policy: add \
              logging to an existing policy rather than a second one.",
        references: &[
            "Google Cloud: Use logging and monitoring for Cloud DNS — https://cloud.google.com/dns/docs/monitoring",
            "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 2.12",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

/// Whether a DNS policy logs queries: `enable_logging` true (unset means false).
fn logs(policy: ResourceView<'_>) -> Known {
    match flag(policy, "enableLogging") {
        Ok(Some(true)) => Known::Yes,
        Ok(_) => Known::No,
        Err(_) => Known::Unknown(crate::support::at(policy, "enableLogging")),
    }
}

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let none = |_: ResourceView<'_>| Known::No;
    let coverage = Coverage {
        target: "google_compute_network",
        names: &["id", "selfLink", "name"],
        companions: &["google_dns_policy"],
        key: "networks",
        inline: &none,
        companion: &logs,
    };
    Ok(uncovered(view, &coverage, |network, referred| {
        let add = match network.resource.spelling {
            Spelling::Pulumi => "a `gcp.dns.Policy` with `enableLogging: true` naming it",
            Spelling::Terraform => "a `google_dns_policy` with `enable_logging = true` naming it",
        };
        let what = if referred {
            "is attached to a Cloud DNS policy that does not log queries"
        } else {
            "has no Cloud DNS policy that logs queries"
        };
        Violation::new(format!(
            "VPC network `{}` {what}: add {add}",
            network.resource.name
        ))
    }))
}
