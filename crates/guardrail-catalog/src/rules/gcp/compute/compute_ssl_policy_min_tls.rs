//! GCP-COMPUTE-020: SSL policies require TLS 1.2 or later.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-020",
    name: "compute-ssl-policy-min-tls",
    title: "SSL policies require TLS 1.2 or later",
    description: "TLS 1.0 and 1.1 have known weaknesses and are no longer accepted for protecting sensitive data; load balancers should refuse them.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["3.9"] },
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "soc2", controls: &["CC6.7"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-8", "SC-13"] },
        Control { framework: "hipaa", controls: &["164.312(e)(1)"] },
    ]),
    resource_types: &["google_compute_ssl_policy", "gcp:compute/sSLPolicy:SSLPolicy", "google_compute_region_ssl_policy", "gcp:compute/regionSslPolicy:RegionSslPolicy"],
    remediation: "Set `min_tls_version = \"TLS_1_2\"` (Pulumi `minTlsVersion: \"TLS_1_2\"`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "SSL policies (`google_compute_ssl_policy`, `google_compute_region_ssl_policy`, Pulumi `gcp:compute/sSLPolicy:SSLPolicy`, `gcp:compute/regionSslPolicy:RegionSslPolicy`): `min_tls_version` must be `TLS_1_2` or `TLS_1_3`. Unset means `TLS_1_0` and is a violation; a value known only after apply is indeterminate.",
        why: "Clients and attackers negotiate the weakest protocol a server accepts. Accepting TLS 1.0 keeps CBC-mode and SHA-1 based constructions in play and fails PCI DSS and most customer security reviews.",
        noncompliant: r#"Terraform:

    resource "google_compute_ssl_policy" "web" {
      name    = "web"
      profile = "MODERN"
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_ssl_policy" "web" {
      name            = "web"
      profile         = "MODERN"
      min_tls_version = "TLS_1_2"
    }"#,
        fix: "Set `min_tls_version = \"TLS_1_2\"`. Check the load balancer's logs for clients still using older versions first; no automatic fix, since refusing them is a behaviour change.",
        references: &["Google Cloud: SSL policies overview — https://cloud.google.com/load-balancing/docs/ssl-policies-concepts", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 3.9"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::one_of(
        view,
        "minTlsVersion",
        &["TLS_1_2", "TLS_1_3"],
        "TLS_1_0",
        "SSL policy",
        "accepts TLS versions older than 1.2",
    )
}
