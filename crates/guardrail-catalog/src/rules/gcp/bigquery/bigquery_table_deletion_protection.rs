//! GCP-BIGQUERY-005: BigQuery tables keep deletion protection.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-BIGQUERY-005",
    name: "bigquery-table-deletion-protection",
    title: "BigQuery tables keep deletion protection",
    description: "Deletion protection stops an apply that replaces or removes a table from deleting its data.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["bigquery"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["A1.2"] },
        Control { framework: "nist-800-53", controls: &["CM-3", "CP-9"] },
    ]),
    resource_types: &["google_bigquery_table", "gcp:bigquery/table:Table"],
    remediation: "Leave `deletion_protection` unset or true.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "BigQuery tables (`google_bigquery_table`, Pulumi `gcp:bigquery/table:Table`): `deletion_protection` (Pulumi `deletionProtection`) must not be false. Unset means true and passes; a value known only after apply is indeterminate. Under `remediate` guardrail sets it to true.",
        why: "Changing a schema field in an incompatible way replaces the table; without protection the data goes with it, beyond the seven-day time travel window of a deleted dataset.",
        noncompliant: r#"Terraform:

    resource "google_bigquery_table" "events" {
      dataset_id          = "orders"
      table_id            = "events"
      deletion_protection = false
    }"#,
        compliant: r#"Terraform:

    resource "google_bigquery_table" "events" {
      dataset_id = "orders"
      table_id   = "events"
    }"#,
        fix: "Remove `deletion_protection = false` (a safe fix); turn it off in a separate change when a table must go.",
        references: &["Google Cloud: Managing tables — https://cloud.google.com/bigquery/docs/managing-tables"],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::bool_setting(
        view,
        "deletionProtection",
        true,
        true,
        "BigQuery table",
        "has no deletion protection",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    support::gcp::bool_fix(view, "deletionProtection", true, true)
}
