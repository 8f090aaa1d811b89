//! GCP-SQL-007: MySQL instances set skip_show_database.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-007",
    name: "sql-mysql-skip-show-database",
    title: "MySQL instances set skip_show_database",
    description: "MySQL Cloud SQL instances should set the database flag `skip_show_database` to `on`; without it, any account can list every database on the server with `SHOW DATABASES`, learning what else is there to attack.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["hardening"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.1.2"] },
        Control { framework: "iso27001", controls: &["A.8.9"] },
        Control { framework: "nist-800-53", controls: &["CM-7"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Add `database_flags { name = \"skip_show_database\" value = \"on\" }` to `settings` (Pulumi `settings.databaseFlags`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`) running MySQL (`database_version` `MYSQL_*`): the database flag `skip_show_database` in `settings.database_flags` (Pulumi `settings.databaseFlags`) must be `on`. Unset keeps the engine's default, which does not comply, and is a violation. Instances of other engines are not applicable; a flag list or value known only after apply is indeterminate.",
        why: "Without it, any account can list every database on the server with `SHOW DATABASES`, learning what else is there to attack.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "MYSQL_8_0"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "skip_show_database"
          value = "off"
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "MYSQL_8_0"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "skip_show_database"
          value = "on"
        }
      }
    }"#,
        fix: "Set the flag to `on` in `settings.database_flags`. Some flags restart the instance when changed; apply in a maintenance window. No automatic fix.",
        references: &["Google Cloud: Configure database flags — https://cloud.google.com/sql/docs/mysql/flags", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.1.2"],
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
        support::gcp::SqlEngine::Mysql,
        "skip_show_database",
        |v| v.eq_ignore_ascii_case("on"),
        false,
        "`on`",
    )
}
