//! GCP-IAM-005: Service account keys managed in code rotate within 90 days.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-IAM-005",
    name: "iam-service-account-key-rotation",
    title: "Service account keys managed in code rotate within 90 days",
    description: "A user-managed service account key never expires by itself; a key created in code should be replaced on a schedule.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["iam"],
    topics: &["identity", "key-management"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["1.7"] },
        Control { framework: "pci-dss", controls: &["8.3.9"] },
        Control { framework: "iso27001", controls: &["A.5.17"] },
        Control { framework: "nist-800-53", controls: &["IA-5(1)"] },
    ]),
    resource_types: &["google_service_account_key", "gcp:serviceaccount/key:Key"],
    remediation: "Rotate the key from code: a `time_rotating` resource (90 days or less) in `keepers`, or `valid_before`-style expiry enforced by the organization policy `iam.serviceAccountKeyExpiryHours`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Service account keys (`google_service_account_key`, Pulumi `gcp:serviceaccount/key:Key`): `keepers` must be set, so that a change (usually a `time_rotating` resource) replaces the key. A key without keepers lives until someone deletes it and is a violation; keys whose `public_key_data` is uploaded (the private half never left your system) are not applicable; keepers known only after apply are indeterminate.",
        why: "Keys copied into CI systems and laptops leak, and a leaked key works until deleted. CIS asks for rotation within 90 days; in code that means tying the key's life to a rotating trigger.",
        noncompliant: r#"Terraform:

    resource "google_service_account_key" "ci" {
      service_account_id = google_service_account.ci.name
    }"#,
        compliant: r#"Terraform:

    resource "time_rotating" "ci_key" {
      rotation_days = 90
    }

    resource "google_service_account_key" "ci" {
      service_account_id = google_service_account.ci.name
      keepers = {
        rotation_time = time_rotating.ci_key.rotation_rfc3339
      }
    }"#,
        fix: "Prefer Workload Identity Federation, which needs no key at all. Where a key is unavoidable, add `keepers` tied to a `time_rotating` resource of at most 90 days.",
        references: &["Google Cloud: Best practices for managing service account keys — https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 1.7"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::gcp::text_at(view, "publicKeyData")?.is_some() {
        return Ok(Verdict::not_applicable("an uploaded public key"));
    }
    let keepers = support::read(view, "keepers")?;
    if keepers
        .and_then(Value::as_object)
        .is_some_and(|map| !map.is_empty())
    {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} is never rotated (no `{}`)",
            support::who(view, "service account key"),
            support::at(view, "keepers")
        ))
        .at(support::at(view, "keepers")),
    ))
}
