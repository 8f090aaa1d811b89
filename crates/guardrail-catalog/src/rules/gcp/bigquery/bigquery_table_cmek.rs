//! GCP-BIGQUERY-004: BigQuery tables encrypt with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-BIGQUERY-004",
    name: "bigquery-table-cmek",
    title: "BigQuery tables encrypt with a customer-managed key",
    description: "A table encrypted with your Cloud KMS key can be audited and made unreadable by disabling the key.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["bigquery"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["7.2"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-12", "SC-28(1)"] },
    ]),
    resource_types: &["google_bigquery_table", "gcp:bigquery/table:Table"],
    remediation: "Set `encryption_configuration { kms_key_name = ... }` or rely on a dataset default key.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "BigQuery tables (`google_bigquery_table`, Pulumi `gcp:bigquery/table:Table`): `encryption_configuration.kms_key_name` (Pulumi `encryptionConfiguration.kmsKeyName`) must be set. Without it the table uses its dataset's default key if the dataset has one, which this resource cannot see; such tables should name the key or be exempted. A value known only after apply is indeterminate; views (with a `view` block) are not applicable.",
        why: "Tables hold the data; naming the key on the table makes its protection visible in review and independent of the dataset's configuration.",
        noncompliant: r#"Terraform:

    resource "google_bigquery_table" "events" {
      dataset_id = google_bigquery_dataset.orders.dataset_id
      table_id   = "events"
    }"#,
        compliant: r#"Terraform:

    resource "google_bigquery_table" "events" {
      dataset_id = google_bigquery_dataset.orders.dataset_id
      table_id   = "events"
      encryption_configuration {
        kms_key_name = google_kms_crypto_key.bq.id
      }
    }"#,
        fix: "Add `encryption_configuration { kms_key_name = ... }`; changing the key of an existing table recreates it, so copy the data.",
        references: &["Google Cloud: Customer-managed Cloud KMS keys for BigQuery — https://cloud.google.com/bigquery/docs/customer-managed-encryption", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 7.2"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::read(view, "view")?.is_some_and(|v| v.items().next().is_some()) {
        return Ok(Verdict::not_applicable("a view stores no data"));
    }
    support::gcp::require_set(
        view,
        "encryptionConfiguration.kmsKeyName",
        "BigQuery table",
        "is not encrypted with a customer-managed key",
    )
}
