//! GCP-COMPUTE-021: SSL policies do not use the COMPATIBLE profile.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-021",
    name: "compute-ssl-policy-profile",
    title: "SSL policies do not use the COMPATIBLE profile",
    description: "The COMPATIBLE profile offers the widest and weakest set of cipher suites; MODERN, RESTRICTED or a reviewed CUSTOM list should be used.",
    severity: Severity::Medium,
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
    ]),
    resource_types: &["google_compute_ssl_policy", "gcp:compute/sSLPolicy:SSLPolicy", "google_compute_region_ssl_policy", "gcp:compute/regionSslPolicy:RegionSslPolicy"],
    remediation: "Set `profile = \"MODERN\"` or `\"RESTRICTED\"` (Pulumi `profile`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "SSL policies: `profile` must not be `COMPATIBLE`. Unset means `COMPATIBLE` and is a violation; `MODERN`, `RESTRICTED` and `CUSTOM` pass; a value known only after apply is indeterminate.",
        why: "COMPATIBLE keeps cipher suites without forward secrecy and with 3DES or SHA-1 for the oldest clients. CIS asks for MODERN with TLS 1.2, RESTRICTED, or a custom list without the weak suites.",
        noncompliant: r#"Terraform:

    resource "google_compute_ssl_policy" "web" {
      name            = "web"
      min_tls_version = "TLS_1_2"
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_ssl_policy" "web" {
      name            = "web"
      profile         = "RESTRICTED"
      min_tls_version = "TLS_1_2"
    }"#,
        fix: "Set `profile = \"MODERN\"` (with `min_tls_version = \"TLS_1_2\"`) or `\"RESTRICTED\"`. No automatic fix: very old clients lose access.",
        references: &["Google Cloud: SSL policies, pre-configured profiles — https://cloud.google.com/load-balancing/docs/ssl-policies-concepts#defining_an_ssl_policy", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 3.9"],
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
        "profile",
        &["MODERN", "RESTRICTED", "CUSTOM"],
        "COMPATIBLE",
        "SSL policy",
        "offers weak cipher suites",
    )
}
