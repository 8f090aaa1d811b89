//! GCP-STORAGE-004: Cloud Storage buckets write usage logs.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-STORAGE-004",
    name: "storage-bucket-access-logging",
    title: "Cloud Storage buckets write usage logs",
    description: "Usage logs record every request to the bucket's objects, the evidence needed to tell who read data after an incident.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["storage"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] },
        Control { framework: "hipaa", controls: &["164.312(b)"] },
    ]),
    resource_types: &["google_storage_bucket", "gcp:storage/bucket:Bucket"],
    remediation: "Add `logging { log_bucket = \"...\" }` (Pulumi `logging: { logBucket: ... }`) naming a log bucket.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Storage buckets: `logging.log_bucket` (Pulumi `logging.logBucket`) must name a bucket for usage logs. An absent `logging` block is a violation; a log bucket known only after apply is indeterminate.",
        why: "Data access audit logs are off by default for Cloud Storage and costly at volume; usage logs are the cheap record of who fetched which object, from where. Without either, a leak cannot be scoped.",
        noncompliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name     = "acme-orders"
      location = "EU"
    }"#,
        compliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name     = "acme-orders"
      location = "EU"
      logging {
        log_bucket = google_storage_bucket.access_logs.name
      }
    }"#,
        fix: "Create a log bucket (with retention, without public access) and set `logging { log_bucket = ... }` (Pulumi `logging: { logBucket: ... }`). Alternatively turn on Data Access audit logs for Cloud Storage and exempt the bucket here.",
        references: &["Google Cloud: Usage logs and storage logs — https://cloud.google.com/storage/docs/access-logs", "Google Cloud: Cloud Storage security best practices — https://cloud.google.com/storage/docs/best-practices#security"],
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
        "logging.logBucket",
        "Cloud Storage bucket",
        "writes no usage logs",
    )
}
