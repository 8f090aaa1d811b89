//! GCP-SQL-004: Cloud SQL instances take automated backups.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-004",
    name: "sql-instance-automated-backups",
    title: "Cloud SQL instances take automated backups",
    description: "Automated daily backups, and the point-in-time recovery built on them, are the way back from a dropped table or a corrupted database.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["resilience", "backup"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.7"] },
        Control { framework: "soc2", controls: &["A1.2"] },
        Control { framework: "iso27001", controls: &["A.8.13"] },
        Control { framework: "nist-800-53", controls: &["CP-9"] },
        Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Set `settings.backup_configuration.enabled = true` (Pulumi `settings.backupConfiguration.enabled: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`): `settings.backup_configuration.enabled` (Pulumi `settings.backupConfiguration.enabled`) must be true. Unset means false and is a violation; read replicas (with `master_instance_name`), which cannot have backups, are not applicable; a value known only after apply is indeterminate. Under `remediate` guardrail turns backups on.",
        why: "Without automated backups the only copy of the data is the live disk; a bad migration, a ransomware operator with database credentials or a deleted instance loses it for good.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "orders" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "orders" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
        backup_configuration {
          enabled                        = true
          point_in_time_recovery_enabled = true
        }
      }
    }"#,
        fix: "Add `backup_configuration { enabled = true }` to `settings`. Backups run in a window without downtime (a safe fix); add point-in-time recovery for PostgreSQL or binary logging for MySQL.",
        references: &["Google Cloud: About Cloud SQL backups — https://cloud.google.com/sql/docs/postgres/backup-recovery/backups", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.7"],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::gcp::text_at(view, "masterInstanceName")?.is_some() {
        return Ok(Verdict::not_applicable("a read replica"));
    }
    support::gcp::bool_setting(
        view,
        "settings.backupConfiguration.enabled",
        true,
        false,
        "Cloud SQL instance",
        "takes no automated backups",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if support::gcp::text_at(view, "masterInstanceName")?.is_some() {
        return Ok(None);
    }
    support::gcp::bool_fix(view, "settings.backupConfiguration.enabled", true, false)
}
