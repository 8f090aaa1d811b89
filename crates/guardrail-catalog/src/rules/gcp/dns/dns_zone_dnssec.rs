//! GCP-DNS-001: Public Cloud DNS zones sign their records with DNSSEC.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-DNS-001",
    name: "dns-zone-dnssec",
    title: "Public Cloud DNS zones sign their records with DNSSEC",
    description: "DNSSEC lets resolvers verify that answers for your domain come from you, defeating cache poisoning and spoofed answers.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["dns"],
    topics: &["network", "integrity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["3.3"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-20"] },
    ]),
    resource_types: &["google_dns_managed_zone", "gcp:dns/managedZone:ManagedZone"],
    remediation: "Set `dnssec_config { state = \"on\" }` (Pulumi `dnssecConfig: { state: \"on\" }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud DNS managed zones (`google_dns_managed_zone`, Pulumi `gcp:dns/managedZone:ManagedZone`) with `visibility` `public` (the default): `dnssec_config.state` must be `on` (or `transfer` while moving providers). Unset means `off` and is a violation; private zones are not applicable; a value known only after apply is indeterminate.",
        why: "Without signatures a resolver cannot tell a forged answer from a real one, so users and services can be sent to an attacker's address for your login page or API.",
        noncompliant: r#"Terraform:

    resource "google_dns_managed_zone" "public" {
      name     = "acme-example"
      dns_name = "acme.example."
    }"#,
        compliant: r#"Terraform:

    resource "google_dns_managed_zone" "public" {
      name     = "acme-example"
      dns_name = "acme.example."
      dnssec_config {
        state = "on"
      }
    }"#,
        fix: "Turn DNSSEC on, then publish the DS record at your registrar. No automatic fix: the registrar step is needed, and a wrong DS record breaks resolution.",
        references: &["Google Cloud: Manage DNSSEC configuration — https://cloud.google.com/dns/docs/dnssec-config", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 3.3"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::gcp::text_at(view, "visibility")?.is_some_and(|v| v.eq_ignore_ascii_case("private"))
    {
        return Ok(Verdict::not_applicable("a private zone"));
    }
    support::gcp::one_of(
        view,
        "dnssecConfig.state",
        &["on", "transfer"],
        "off",
        "Cloud DNS zone",
        "does not sign its records with DNSSEC",
    )
}
