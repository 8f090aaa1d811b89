//! GCP-SQL-023: Cloud SQL instances are highly available.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-023",
    name: "sql-instance-high-availability",
    title: "Cloud SQL instances are highly available",
    description: "A regional instance keeps a standby in another zone and fails over automatically when the primary's zone goes down.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["A1.2"] },
        Control { framework: "iso27001", controls: &["A.8.14"] },
        Control { framework: "nist-800-53", controls: &["CP-7", "SC-5"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Set `settings.availability_type = \"REGIONAL\"`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`): `settings.availability_type` (Pulumi `settings.availabilityType`) must be `REGIONAL`. Unset means `ZONAL` and is a violation; read replicas are not applicable; a value known only after apply is indeterminate.",
        why: "A zonal instance is down for as long as its zone is; for a production database that is an outage of everything that depends on it.",
        noncompliant: r#"Terraform:

    settings {
      tier = "db-custom-2-7680"
    }"#,
        compliant: r#"Terraform:

    settings {
      tier              = "db-custom-2-7680"
      availability_type = "REGIONAL"
    }"#,
        fix: "Set `availability_type = \"REGIONAL\"` for production; it doubles the instance cost and restarts the instance, so no automatic fix. Development instances get an exemption.",
        references: &["Google Cloud: About high availability — https://cloud.google.com/sql/docs/postgres/high-availability"],
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
    support::gcp::one_of(
        view,
        "settings.availabilityType",
        &["REGIONAL"],
        "ZONAL",
        "Cloud SQL instance",
        "is not highly available",
    )
}
