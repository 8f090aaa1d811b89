//! GCP-COMPUTE-007: Subnetworks use Private Google Access.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-007",
    name: "compute-subnetwork-private-google-access",
    title: "Subnetworks use Private Google Access",
    description: "Private Google Access lets instances without external addresses reach Google APIs, so they need no public IP or NAT for that traffic.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "nist-800-53", controls: &["SC-7"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
    ]),
    resource_types: &["google_compute_subnetwork", "gcp:compute/subnetwork:Subnetwork"],
    remediation: "Set `private_ip_google_access = true` (Pulumi `privateIpGoogleAccess: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Subnetworks: `private_ip_google_access` (Pulumi `privateIpGoogleAccess`) must be true. Unset means false and is a violation; proxy-only and Private Service Connect subnets (a `purpose` other than `PRIVATE`) are not applicable; a value known only after apply is indeterminate. Under `remediate` guardrail sets it.",
        why: "Without it, instances that call Cloud Storage, Artifact Registry or other Google APIs need an external IP or a NAT path, widening what the internet can reach; with it they stay private.",
        noncompliant: r#"Terraform:

    resource "google_compute_subnetwork" "app" {
      name          = "app"
      network       = google_compute_network.prod.id
      ip_cidr_range = "10.10.0.0/20"
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_subnetwork" "app" {
      name                     = "app"
      network                  = google_compute_network.prod.id
      ip_cidr_range            = "10.10.0.0/20"
      private_ip_google_access = true
    }"#,
        fix: "Set `private_ip_google_access = true`. It only adds a route for instances without external addresses (a safe fix).",
        references: &["Google Cloud: Private Google Access — https://cloud.google.com/vpc/docs/private-google-access"],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if let Some(purpose) = support::gcp::text_at(view, "purpose")? {
        if !purpose.eq_ignore_ascii_case("PRIVATE")
            && !purpose.eq_ignore_ascii_case("PRIVATE_RFC_1918")
        {
            return Ok(Verdict::not_applicable("not a subnetwork for instances"));
        }
    }
    support::gcp::bool_setting(
        view,
        "privateIpGoogleAccess",
        true,
        false,
        "subnetwork",
        "does not use Private Google Access",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if support::gcp::text_at(view, "purpose")?.is_some_and(|p| {
        !p.eq_ignore_ascii_case("PRIVATE") && !p.eq_ignore_ascii_case("PRIVATE_RFC_1918")
    }) {
        return Ok(None);
    }
    support::gcp::bool_fix(view, "privateIpGoogleAccess", true, false)
}
