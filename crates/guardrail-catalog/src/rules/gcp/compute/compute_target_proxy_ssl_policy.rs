//! GCP-COMPUTE-022: HTTPS and SSL proxies name an SSL policy.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-022",
    name: "compute-target-proxy-ssl-policy",
    title: "HTTPS and SSL proxies name an SSL policy",
    description: "A target proxy without an SSL policy uses Google's default, which accepts TLS 1.0 and the COMPATIBLE cipher suites.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["3.9"] },
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "soc2", controls: &["CC6.7"] },
        Control { framework: "nist-800-53", controls: &["SC-8"] },
    ]),
    resource_types: &["google_compute_target_https_proxy", "gcp:compute/targetHttpsProxy:TargetHttpsProxy", "google_compute_region_target_https_proxy", "gcp:compute/regionTargetHttpsProxy:RegionTargetHttpsProxy", "google_compute_target_ssl_proxy", "gcp:compute/targetSSLProxy:TargetSSLProxy"],
    remediation: "Set `ssl_policy` (Pulumi `sslPolicy`) to a policy with TLS 1.2 and MODERN or RESTRICTED.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Target HTTPS proxies (global and regional) and target SSL proxies (`google_compute_target_https_proxy`, `google_compute_region_target_https_proxy`, `google_compute_target_ssl_proxy` and their Pulumi twins): `ssl_policy` (Pulumi `sslPolicy`) must be set. Unset is a violation; a value known only after apply is indeterminate.",
        why: "The policy is where TLS versions and ciphers are decided; without one the load balancer keeps the most permissive defaults, and GCP-COMPUTE-020/021 have nothing to check.",
        noncompliant: r#"Terraform:

    resource "google_compute_target_https_proxy" "web" {
      name             = "web-https"
      url_map          = google_compute_url_map.web.id
      ssl_certificates = [google_compute_managed_ssl_certificate.web.id]
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_target_https_proxy" "web" {
      name             = "web-https"
      url_map          = google_compute_url_map.web.id
      ssl_certificates = [google_compute_managed_ssl_certificate.web.id]
      ssl_policy       = google_compute_ssl_policy.modern.id
    }"#,
        fix: "Create a `google_compute_ssl_policy` with `profile = \"MODERN\"` and `min_tls_version = \"TLS_1_2\"` and name it in `ssl_policy`.",
        references: &["Google Cloud: Use SSL policies — https://cloud.google.com/load-balancing/docs/use-ssl-policies", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 3.9"],
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
        "sslPolicy",
        "target proxy",
        "uses Google's default SSL policy (TLS 1.0 and weak ciphers)",
    )
}
