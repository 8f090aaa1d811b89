//! GCP-SQL-022: Cloud SQL instances encrypt with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-022",
    name: "sql-instance-customer-managed-key",
    title: "Cloud SQL instances encrypt with a customer-managed key",
    description: "An instance encrypted with your Cloud KMS key, and its backups, become unreadable when the key is disabled, and every use is logged.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-12", "SC-28(1)"] },
        Control { framework: "hipaa", controls: &["164.312(a)(2)(iv)"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Set `encryption_key_name` (Pulumi `encryptionKeyName`) to a Cloud KMS key in the instance's region.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`): `encryption_key_name` must be set. Unset means Google-managed keys and is a violation; a value known only after apply is indeterminate.",
        why: "Databases hold the most sensitive data; customer-managed keys give separation of duties between database and key administrators and a switch that cuts all access at once.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "orders" {
      database_version = "POSTGRES_16"
      settings { tier = "db-custom-2-7680" }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "orders" {
      database_version    = "POSTGRES_16"
      encryption_key_name = google_kms_crypto_key.sql.id
      settings { tier = "db-custom-2-7680" }
    }"#,
        fix: "Create the key in the instance's region, grant the Cloud SQL service agent access, and set `encryption_key_name`; the key of an existing instance cannot change, so migrate by clone or export.",
        references: &["Google Cloud: Customer-managed encryption keys for Cloud SQL — https://cloud.google.com/sql/docs/postgres/cmek"],
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
        "encryptionKeyName",
        "Cloud SQL instance",
        "is not encrypted with a customer-managed key",
    )
}
