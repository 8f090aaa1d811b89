//! GCP-SQL-021: Cloud SQL instances can be restored to a point in time.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-021",
    name: "sql-instance-point-in-time-recovery",
    title: "Cloud SQL instances can be restored to a point in time",
    description: "Point-in-time recovery (PostgreSQL, SQL Server) or binary logging (MySQL) lets you restore to the second before a bad change, not just to last night's backup.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["resilience", "backup"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["A1.2"] },
        Control { framework: "iso27001", controls: &["A.8.13"] },
        Control { framework: "nist-800-53", controls: &["CP-9", "CP-10"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Set `point_in_time_recovery_enabled = true` (PostgreSQL, SQL Server) or `binary_log_enabled = true` (MySQL) in `settings.backup_configuration`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`): `settings.backup_configuration.point_in_time_recovery_enabled` must be true for PostgreSQL and SQL Server, `settings.backup_configuration.binary_log_enabled` for MySQL (Pulumi `pointInTimeRecoveryEnabled`, `binaryLogEnabled`). Unset is a violation; read replicas and instances of unknown engines are not applicable; values known only after apply are indeterminate.",
        why: "A daily backup loses up to a day of orders, payments or messages. Transaction logs shrink that to seconds and allow restoring to just before a mistaken `DELETE`.",
        noncompliant: r#"Terraform:

    settings {
      backup_configuration {
        enabled = true
      }
    }"#,
        compliant: r#"Terraform:

    settings {
      backup_configuration {
        enabled                        = true
        point_in_time_recovery_enabled = true
      }
    }"#,
        fix: "Turn on point-in-time recovery (or binary logging for MySQL) in `backup_configuration`; it needs automated backups too. Enabling binary logging restarts MySQL instances, so no automatic fix.",
        references: &["Google Cloud: Use point-in-time recovery — https://cloud.google.com/sql/docs/postgres/backup-recovery/pitr"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::gcp::text_at(view, "masterInstanceName")?.is_some() {
        return Ok(Verdict::not_applicable("a read replica"));
    }
    let camel = match support::gcp::sql_engine(view)? {
        Some(support::gcp::SqlEngine::Mysql) => "settings.backupConfiguration.binaryLogEnabled",
        Some(_) => "settings.backupConfiguration.pointInTimeRecoveryEnabled",
        None => return Ok(Verdict::not_applicable("no known database engine")),
    };
    support::gcp::bool_setting(
        view,
        camel,
        true,
        false,
        "Cloud SQL instance",
        "cannot be restored to a point in time",
    )
}
