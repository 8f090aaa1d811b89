//! GCP-SQL-006: MySQL instances turn local_infile off.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-006",
    name: "sql-mysql-local-infile-off",
    title: "MySQL instances turn local_infile off",
    description: "MySQL Cloud SQL instances should set the database flag `local_infile` to `off`; `LOAD DATA LOCAL INFILE` lets a server or an SQL injection read files from the client's disk.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["hardening"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.1.3"] },
        Control { framework: "iso27001", controls: &["A.8.9"] },
        Control { framework: "nist-800-53", controls: &["CM-7"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Add `database_flags { name = \"local_infile\" value = \"off\" }` to `settings` (Pulumi `settings.databaseFlags`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`) running MySQL (`database_version` `MYSQL_*`): the database flag `local_infile` in `settings.database_flags` (Pulumi `settings.databaseFlags`) must be `off`. Unset keeps the engine's default, which does not comply, and is a violation. Instances of other engines are not applicable; a flag list or value known only after apply is indeterminate.",
        why: "`LOAD DATA LOCAL INFILE` lets a server or an SQL injection read files from the client's disk. Turning it off closes that path; the CIS benchmark asks for the flag to be set explicitly.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "MYSQL_8_0"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "local_infile"
          value = "on"
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "MYSQL_8_0"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "local_infile"
          value = "off"
        }
      }
    }"#,
        fix: "Set the flag to `off` in `settings.database_flags`. Some flags restart the instance when changed; apply in a maintenance window. No automatic fix.",
        references: &["Google Cloud: Configure database flags — https://cloud.google.com/sql/docs/mysql/flags", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.1.3"],
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
        "local_infile",
        |v| v.eq_ignore_ascii_case("off"),
        false,
        "`off`",
    )
}
