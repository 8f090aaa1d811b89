//! GCP-SQL-019: PostgreSQL instances log data definition statements.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-019",
    name: "sql-postgres-log-statement",
    title: "PostgreSQL instances log data definition statements",
    description: "PostgreSQL Cloud SQL instances should set the database flag `log_statement` to `ddl` (or `mod`, `all`); without statement logging, schema changes such as a dropped audit table or a new superuser leave no trace; `ddl` records them at little cost.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.2.4"] },
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "nist-800-53", controls: &["AU-12"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Add `database_flags { name = \"log_statement\" value = \"ddl\" }` to `settings` (Pulumi `settings.databaseFlags`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`) running PostgreSQL (`database_version` `POSTGRES_*`): the database flag `log_statement` in `settings.database_flags` (Pulumi `settings.databaseFlags`) must be `ddl` (or `mod`, `all`). Unset keeps the engine's default, which does not comply, and is a violation. Instances of other engines are not applicable; a flag list or value known only after apply is indeterminate.",
        why: "Without statement logging, schema changes such as a dropped audit table or a new superuser leave no trace; `ddl` records them at little cost.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "log_statement"
          value = "none"
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "log_statement"
          value = "ddl"
        }
      }
    }"#,
        fix: "Set the flag to `ddl` in `settings.database_flags`. Some flags restart the instance when changed; apply in a maintenance window. No automatic fix.",
        references: &["Google Cloud: Configure database flags — https://cloud.google.com/sql/docs/postgres/flags", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.2.4"],
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
        "log_statement",
        |v| {
            ["ddl", "mod", "all"]
                .iter()
                .any(|l| l.eq_ignore_ascii_case(v))
        },
        false,
        "`ddl` (or `mod`, `all`)",
    )
}
