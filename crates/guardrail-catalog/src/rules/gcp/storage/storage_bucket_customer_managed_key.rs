//! GCP-STORAGE-005: Cloud Storage buckets encrypt with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-STORAGE-005",
    name: "storage-bucket-customer-managed-key",
    title: "Cloud Storage buckets encrypt with a customer-managed key",
    description: "A Cloud KMS key of your own lets you audit every use, rotate on your schedule and revoke access to the data by disabling the key.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["storage"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-12", "SC-28(1)"] },
    ]),
    resource_types: &["google_storage_bucket", "gcp:storage/bucket:Bucket"],
    remediation: "Set `encryption { default_kms_key_name = ... }` (Pulumi `encryption: { defaultKmsKeyName: ... }`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Storage buckets: `encryption.default_kms_key_name` (Pulumi `encryption.defaultKmsKeyName`) must name a Cloud KMS key. Without it objects are encrypted with Google-managed keys, a violation of this stricter rule; a key known only after apply is indeterminate.",
        why: "Google encrypts all data at rest, but with keys you neither control nor see used. A customer-managed key puts key use in your audit logs, separates the duty of key administration from data access, and makes crypto-shredding possible.",
        noncompliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name     = "acme-orders"
      location = "EU"
    }"#,
        compliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name     = "acme-orders"
      location = "EU"
      encryption {
        default_kms_key_name = google_kms_crypto_key.storage.id
      }
    }"#,
        fix: "Create a Cloud KMS key in the bucket's location, grant the Cloud Storage service agent `roles/cloudkms.cryptoKeyEncrypterDecrypter` on it, and set `encryption { default_kms_key_name = ... }`. Existing objects keep their key until rewritten.",
        references: &["Google Cloud: Customer-managed encryption keys — https://cloud.google.com/storage/docs/encryption/customer-managed-keys"],
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
        "encryption.defaultKmsKeyName",
        "Cloud Storage bucket",
        "is not encrypted with a customer-managed key",
    )
}
