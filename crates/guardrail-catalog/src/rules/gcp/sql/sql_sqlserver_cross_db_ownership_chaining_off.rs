//! GCP-SQL-015: SQL Server instances keep cross db ownership chaining off.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-015",
    name: "sql-sqlserver-cross-db-ownership-chaining-off",
    title: "SQL Server instances keep cross db ownership chaining off",
    description: "SQL Server Cloud SQL instances should set the database flag `cross db ownership chaining` to `off`; cross-database ownership chaining lets a member of one database reach objects in another without a permission check there.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["hardening"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.3.2"] },
        Control { framework: "iso27001", controls: &["A.8.9"] },
        Control { framework: "nist-800-53", controls: &["AC-6"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Add `database_flags { name = \"cross db ownership chaining\" value = \"off\" }` to `settings` (Pulumi `settings.databaseFlags`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`) running SQL Server (`database_version` `SQLSERVER_*`): the database flag `cross db ownership chaining` in `settings.database_flags` (Pulumi `settings.databaseFlags`) must be `off`. Unset keeps the engine's default, which already complies, and passes. Instances of other engines are not applicable; a flag list or value known only after apply is indeterminate.",
        why: "Cross-database ownership chaining lets a member of one database reach objects in another without a permission check there.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "SQLSERVER_2022_STANDARD"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "cross db ownership chaining"
          value = "on"
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "SQLSERVER_2022_STANDARD"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "cross db ownership chaining"
          value = "off"
        }
      }
    }"#,
        fix: "Set the flag to `off` in `settings.database_flags`. Some flags restart the instance when changed; apply in a maintenance window. No automatic fix.",
        references: &["Google Cloud: Configure database flags — https://cloud.google.com/sql/docs/sqlserver/flags", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.3.2"],
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
        "cross db ownership chaining",
        |v| v.eq_ignore_ascii_case("off"),
        true,
        "`off`",
    )
}
