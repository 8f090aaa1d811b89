//! GCP-BIGQUERY-003: BigQuery datasets encrypt new tables with a customer-managed key by default.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-BIGQUERY-003",
    name: "bigquery-dataset-default-cmek",
    title: "BigQuery datasets encrypt new tables with a customer-managed key by default",
    description: "A default Cloud KMS key on the dataset makes every new table use it, without each table having to remember.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["bigquery"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["7.3"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-12", "SC-28(1)"] },
    ]),
    resource_types: &["google_bigquery_dataset", "gcp:bigquery/dataset:Dataset"],
    remediation: "Set `default_encryption_configuration { kms_key_name = ... }`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "BigQuery datasets (`google_bigquery_dataset`, Pulumi `gcp:bigquery/dataset:Dataset`): `default_encryption_configuration.kms_key_name` (Pulumi `defaultEncryptionConfiguration.kmsKeyName`) must be set. Unset is a violation; a value known only after apply is indeterminate.",
        why: "Tables created by jobs, notebooks and scheduled queries rarely name a key; a dataset default makes your key, its audit trail and its revocation apply to all of them.",
        noncompliant: r#"Terraform:

    resource "google_bigquery_dataset" "orders" {
      dataset_id = "orders"
      location   = "EU"
    }"#,
        compliant: r#"Terraform:

    resource "google_bigquery_dataset" "orders" {
      dataset_id = "orders"
      location   = "EU"
      default_encryption_configuration {
        kms_key_name = google_kms_crypto_key.bq.id
      }
    }"#,
        fix: "Create a Cloud KMS key in the dataset's location, grant the BigQuery service account `roles/cloudkms.cryptoKeyEncrypterDecrypter`, and set the dataset default. Existing tables keep their key until copied.",
        references: &["Google Cloud: Customer-managed Cloud KMS keys for BigQuery — https://cloud.google.com/bigquery/docs/customer-managed-encryption", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 7.3"],
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
        "defaultEncryptionConfiguration.kmsKeyName",
        "BigQuery dataset",
        "has no default customer-managed key",
    )
}
