//! GCP-SQL-020: SQL Server instances do not set the user options flag.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-020",
    name: "sql-sqlserver-user-options-unset",
    title: "SQL Server instances do not set the user options flag",
    description: "SQL Server Cloud SQL instances should set the database flag `user options` to left unset (or `0`, no options); `user options` changes session defaults for every user, such as turning off ANSI warnings or implicit transaction handling that applications and auditing rely on; CIS asks that it not be configured.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["hardening"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.3.4"] },
        Control { framework: "iso27001", controls: &["A.8.9"] },
        Control { framework: "nist-800-53", controls: &["CM-7"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Add `database_flags { name = \"user options\" value = \"0\" }` to `settings` (Pulumi `settings.databaseFlags`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`) running SQL Server (`database_version` `SQLSERVER_*`): the database flag `user options` in `settings.database_flags` (Pulumi `settings.databaseFlags`) must be left unset (or `0`, no options). Unset keeps the engine's default, which already complies, and passes. Instances of other engines are not applicable; a flag list or value known only after apply is indeterminate.",
        why: "`user options` changes session defaults for every user, such as turning off ANSI warnings or implicit transaction handling that applications and auditing rely on; CIS asks that it not be configured.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "SQLSERVER_2022_STANDARD"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "user options"
          value = "32"
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "SQLSERVER_2022_STANDARD"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "user options"
          value = "0"
        }
      }
    }"#,
        fix: "Set the flag to `0` in `settings.database_flags`. Some flags restart the instance when changed; apply in a maintenance window. No automatic fix.",
        references: &["Google Cloud: Configure database flags — https://cloud.google.com/sql/docs/sqlserver/flags", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.3.4"],
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
        support::gcp::SqlEngine::SqlServer,
        "user options",
        |v| v.trim() == "0",
        true,
        "left unset (or `0`, no options)",
    )
}
