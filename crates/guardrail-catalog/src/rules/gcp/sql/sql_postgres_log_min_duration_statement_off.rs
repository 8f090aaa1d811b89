//! GCP-SQL-010: PostgreSQL instances do not log statement text by duration.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-010",
    name: "sql-postgres-log-min-duration-statement-off",
    title: "PostgreSQL instances do not log statement text by duration",
    description: "PostgreSQL Cloud SQL instances should set the database flag `log_min_duration_statement` to `-1` (off); logging statements by duration writes their full text, including literals such as passwords and personal data, into logs readable by more people than the database.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.2.7"] },
        Control { framework: "iso27001", controls: &["A.8.11"] },
        Control { framework: "nist-800-53", controls: &["AU-3"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Add `database_flags { name = \"log_min_duration_statement\" value = \"-1\" }` to `settings` (Pulumi `settings.databaseFlags`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`) running PostgreSQL (`database_version` `POSTGRES_*`): the database flag `log_min_duration_statement` in `settings.database_flags` (Pulumi `settings.databaseFlags`) must be `-1` (off). Unset keeps the engine's default, which already complies, and passes. Instances of other engines are not applicable; a flag list or value known only after apply is indeterminate.",
        why: "Logging statements by duration writes their full text, including literals such as passwords and personal data, into logs readable by more people than the database.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "log_min_duration_statement"
          value = "0"
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "log_min_duration_statement"
          value = "-1"
        }
      }
    }"#,
        fix: "Set the flag to `-1` in `settings.database_flags`. Some flags restart the instance when changed; apply in a maintenance window. No automatic fix.",
        references: &["Google Cloud: Configure database flags — https://cloud.google.com/sql/docs/postgres/flags", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.2.7"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::sql_flag_rule(
        view,
        support::gcp::SqlEngine::Postgres,
        "log_min_duration_statement",
        |v| v.trim() == "-1",
        true,
        "`-1` (off)",
    )
}
