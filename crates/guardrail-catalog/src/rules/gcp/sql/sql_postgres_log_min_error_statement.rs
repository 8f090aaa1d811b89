//! GCP-SQL-013: PostgreSQL instances log statements that cause errors.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-013",
    name: "sql-postgres-log-min-error-statement",
    title: "PostgreSQL instances log statements that cause errors",
    description: "PostgreSQL Cloud SQL instances should set the database flag `log_min_error_statement` to `error` or stricter; below `error` every statement that raised a notice or warning is logged with its full text; at `panic` failing statements are not logged at all.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.2.6"] },
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "nist-800-53", controls: &["AU-12"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Add `database_flags { name = \"log_min_error_statement\" value = \"error\" }` to `settings` (Pulumi `settings.databaseFlags`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`) running PostgreSQL (`database_version` `POSTGRES_*`): the database flag `log_min_error_statement` in `settings.database_flags` (Pulumi `settings.databaseFlags`) must be `error` or stricter. Unset keeps the engine's default, which already complies, and passes. Instances of other engines are not applicable; a flag list or value known only after apply is indeterminate.",
        why: "Below `error` every statement that raised a notice or warning is logged with its full text; at `panic` failing statements are not logged at all. `error` records the statements that failed.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "log_min_error_statement"
          value = "debug1"
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "log_min_error_statement"
          value = "error"
        }
      }
    }"#,
        fix: "Set the flag to `error` in `settings.database_flags`. Some flags restart the instance when changed; apply in a maintenance window. No automatic fix.",
        references: &["Google Cloud: Configure database flags — https://cloud.google.com/sql/docs/postgres/flags", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.2.6"],
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
        "log_min_error_statement",
        |v| {
            ["error", "log", "fatal", "panic"]
                .iter()
                .any(|l| l.eq_ignore_ascii_case(v))
        },
        true,
        "`error` or stricter",
    )
}
