//! GCP-SQL-005: Cloud SQL instances keep deletion protection.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-005",
    name: "sql-instance-deletion-protection",
    title: "Cloud SQL instances keep deletion protection",
    description: "Deletion protection stops Terraform or Pulumi from destroying the instance, and its backups with it, by one mistaken apply.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["A1.2"] },
        Control { framework: "nist-800-53", controls: &["CM-3", "CP-9"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Leave `deletion_protection` unset or true (Pulumi `deletionProtection`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`): `deletion_protection` (Pulumi `deletionProtection`) must not be false. Unset means true in both providers and passes; a value known only after apply is indeterminate. Under `remediate` guardrail sets it to true.",
        why: "Deleting a Cloud SQL instance deletes its automated backups too. Turning the protection off is sometimes done to get past a failed replacement and then forgotten; the next rename destroys the database.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "orders" {
      database_version    = "POSTGRES_16"
      deletion_protection = false
      settings { tier = "db-custom-2-7680" }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "orders" {
      database_version = "POSTGRES_16"
      settings { tier = "db-custom-2-7680" }
    }"#,
        fix: "Remove `deletion_protection = false`. When an instance really must go, turn it off in one change and delete in the next. Under `remediate` guardrail sets it (a safe fix).",
        references: &["Google Cloud: Prevent deletion of an instance — https://cloud.google.com/sql/docs/postgres/deletion-protection"],
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
        "deletionProtection",
        true,
        true,
        "Cloud SQL instance",
        "has no deletion protection",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    support::gcp::bool_fix(view, "deletionProtection", true, true)
}
