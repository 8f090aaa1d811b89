//! GCP-STORAGE-009: Cloud Storage buckets keep soft delete on.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-STORAGE-009",
    name: "storage-bucket-soft-delete",
    title: "Cloud Storage buckets keep soft delete on",
    description: "Soft delete keeps deleted objects recoverable for a retention window (7 days by default); setting it to zero turns that safety net off.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["storage"],
    topics: &["resilience", "backup"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["A1.2"] },
        Control { framework: "iso27001", controls: &["A.8.13"] },
        Control { framework: "nist-800-53", controls: &["CP-9"] },
    ]),
    resource_types: &["google_storage_bucket", "gcp:storage/bucket:Bucket"],
    remediation: "Remove `soft_delete_policy { retention_duration_seconds = 0 }` or set a retention of 7 days or more.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Storage buckets: `soft_delete_policy.retention_duration_seconds` (Pulumi `softDeletePolicy.retentionDurationSeconds`) must not be 0. Unset keeps the 7-day default and passes; a value known only after apply is indeterminate.",
        why: "Deleted objects, including those removed by a compromised credential or a buggy cleanup job, are gone for good once soft delete is off.",
        noncompliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name     = "acme-orders"
      location = "EU"
      soft_delete_policy {
        retention_duration_seconds = 0
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name     = "acme-orders"
      location = "EU"
    }"#,
        fix: "Remove the zero retention or set `retention_duration_seconds = 604800` (7 days) or more. Buckets of short-lived temporary data may be exempted.",
        references: &["Google Cloud: Soft delete — https://cloud.google.com/storage/docs/soft-delete"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let path = support::at(view, "softDeletePolicy.retentionDurationSeconds");
    match support::number(view, "softDeletePolicy.retentionDurationSeconds")? {
        Some(0) => Ok(Verdict::violation(
            Violation::new(format!(
                "{} turns soft delete off",
                support::who(view, "Cloud Storage bucket")
            ))
            .at(path),
        )),
        _ => Ok(Verdict::Pass),
    }
}
