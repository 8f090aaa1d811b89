//! GCP-SQL-018: SQL Server instances set trace flag 3625.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-018",
    name: "sql-sqlserver-trace-flag-3625",
    title: "SQL Server instances set trace flag 3625",
    description: "SQL Server Cloud SQL instances should set the database flag `3625` to `on`; trace flag 3625 masks parts of error messages for users who are not sysadmin, so that errors do not reveal data or schema details to an attacker probing through the application.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.3.6"] },
        Control { framework: "iso27001", controls: &["A.8.9"] },
        Control { framework: "nist-800-53", controls: &["CM-7"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Add `database_flags { name = \"3625\" value = \"on\" }` to `settings` (Pulumi `settings.databaseFlags`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`) running SQL Server (`database_version` `SQLSERVER_*`): the database flag `3625` in `settings.database_flags` (Pulumi `settings.databaseFlags`) must be `on`. Unset keeps the engine's default, which does not comply, and is a violation. Instances of other engines are not applicable; a flag list or value known only after apply is indeterminate.",
        why: "Trace flag 3625 masks parts of error messages for users who are not sysadmin, so that errors do not reveal data or schema details to an attacker probing through the application.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "SQLSERVER_2022_STANDARD"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "3625"
          value = "off"
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "SQLSERVER_2022_STANDARD"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "3625"
          value = "on"
        }
      }
    }"#,
        fix: "Set the flag to `on` in `settings.database_flags`. Some flags restart the instance when changed; apply in a maintenance window. No automatic fix.",
        references: &["Google Cloud: Configure database flags — https://cloud.google.com/sql/docs/sqlserver/flags", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.3.6"],
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
        "3625",
        |v| v.eq_ignore_ascii_case("on"),
        false,
        "`on`",
    )
}
