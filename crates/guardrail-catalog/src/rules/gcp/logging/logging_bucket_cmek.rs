//! GCP-LOGGING-003: Log buckets encrypt with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-LOGGING-003",
    name: "logging-bucket-cmek",
    title: "Log buckets encrypt with a customer-managed key",
    description: "Logs record who did what, including personal data in request logs; a key of your own controls who can read them.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["logging"],
    topics: &["encryption", "logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["AU-9", "SC-28(1)"] },
    ]),
    resource_types: &["google_logging_project_bucket_config", "gcp:logging/projectBucketConfig:ProjectBucketConfig"],
    remediation: "Set `cmek_settings { kms_key_name = ... }`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Log buckets (`google_logging_project_bucket_config`, Pulumi `gcp:logging/projectBucketConfig:ProjectBucketConfig`): `cmek_settings.kms_key_name` (Pulumi `cmekSettings.kmsKeyName`) must be set. Unset is a violation; a value known only after apply is indeterminate.",
        why: "Audit trails are evidence; customer-managed keys separate who administers logging from who can decrypt the logs, and record every access.",
        noncompliant: r#"Terraform:

    resource "google_logging_project_bucket_config" "audit" {
      project   = "acme-prod"
      location  = "global"
      bucket_id = "audit"
    }"#,
        compliant: r#"Terraform:

    resource "google_logging_project_bucket_config" "audit" {
      project   = "acme-prod"
      location  = "global"
      bucket_id = "audit"
      cmek_settings {
        kms_key_name = google_kms_crypto_key.logs.id
      }
    }"#,
        fix: "Grant the Cloud Logging service account access to a key in the bucket's location and set `cmek_settings.kms_key_name`.",
        references: &["Google Cloud: Configure CMEK for log storage — https://cloud.google.com/logging/docs/routing/managed-encryption-storage"],
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
        "cmekSettings.kmsKeyName",
        "log bucket",
        "is not encrypted with a customer-managed key",
    )
}
