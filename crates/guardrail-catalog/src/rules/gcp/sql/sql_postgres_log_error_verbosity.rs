//! GCP-SQL-012: PostgreSQL instances keep error verbosity at default or terse.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-012",
    name: "sql-postgres-log-error-verbosity",
    title: "PostgreSQL instances keep error verbosity at default or terse",
    description: "PostgreSQL Cloud SQL instances should set the database flag `log_error_verbosity` to `default` or `terse`; `verbose` adds source file names, function names and line numbers to every logged error: noise for auditors and detail about internals for anyone who reads the logs.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.2.1"] },
        Control { framework: "iso27001", controls: &["A.8.9"] },
        Control { framework: "nist-800-53", controls: &["CM-7"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Add `database_flags { name = \"log_error_verbosity\" value = \"default\" }` to `settings` (Pulumi `settings.databaseFlags`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`) running PostgreSQL (`database_version` `POSTGRES_*`): the database flag `log_error_verbosity` in `settings.database_flags` (Pulumi `settings.databaseFlags`) must be `default` or `terse`. Unset keeps the engine's default, which already complies, and passes. Instances of other engines are not applicable; a flag list or value known only after apply is indeterminate.",
        why: "`verbose` adds source file names, function names and line numbers to every logged error: noise for auditors and detail about internals for anyone who reads the logs.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "log_error_verbosity"
          value = "verbose"
        }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "db" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
        database_flags {
          name  = "log_error_verbosity"
          value = "default"
        }
      }
    }"#,
        fix: "Set the flag to `default` in `settings.database_flags`. Some flags restart the instance when changed; apply in a maintenance window. No automatic fix.",
        references: &["Google Cloud: Configure database flags — https://cloud.google.com/sql/docs/postgres/flags", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.2.1"],
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
        "log_error_verbosity",
        |v| v.eq_ignore_ascii_case("default") || v.eq_ignore_ascii_case("terse"),
        true,
        "`default` or `terse`",
    )
}
