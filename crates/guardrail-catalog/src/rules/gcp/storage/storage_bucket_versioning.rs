//! GCP-STORAGE-003: Cloud Storage buckets keep object versions.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-STORAGE-003",
    name: "storage-bucket-versioning",
    title: "Cloud Storage buckets keep object versions",
    description: "Without versioning an overwrite or delete destroys the only copy of an object; with it, noncurrent versions can be restored.",
    severity: Severity::Medium,
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
    remediation: "Set `versioning { enabled = true }` (Pulumi `versioning: { enabled: true }`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Storage buckets: `versioning.enabled` must be true. An absent `versioning` block means versioning is off and is a violation; a value known only after apply is indeterminate. Under `remediate` guardrail turns versioning on.",
        why: "Objects are overwritten by buggy jobs, deleted by mistake or encrypted by ransomware that holds a writer's credentials. Versioning keeps the previous generations so they can be restored; pair it with a lifecycle rule that expires old versions to bound the cost.",
        noncompliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name     = "acme-orders"
      location = "EU"
    }"#,
        compliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name     = "acme-orders"
      location = "EU"
      versioning {
        enabled = true
      }
    }"#,
        fix: "Terraform: add `versioning { enabled = true }`; Pulumi: `versioning: { enabled: true }`. Turning versioning on changes nothing for readers and writers (a safe fix); add a lifecycle rule on `num_newer_versions` or `days_since_noncurrent_time` to bound storage.",
        references: &["Google Cloud: Object Versioning — https://cloud.google.com/storage/docs/object-versioning", "Google Cloud: Cloud Storage security best practices — https://cloud.google.com/storage/docs/best-practices#security"],
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
        "versioning.enabled",
        true,
        false,
        "Cloud Storage bucket",
        "does not keep object versions",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    support::gcp::bool_fix(view, "versioning.enabled", true, false)
}
