//! GCP-BIGQUERY-001: BigQuery datasets grant nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-BIGQUERY-001",
    name: "bigquery-dataset-not-public",
    title: "BigQuery datasets grant nothing to allUsers or allAuthenticatedUsers",
    description: "A dataset access entry for `allUsers` or `allAuthenticatedUsers` lets anyone query every table in the dataset.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["bigquery"],
    topics: &["access-control", "data-protection"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["7.1"] },
        Control { framework: "pci-dss", controls: &["7.2.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &["google_bigquery_dataset", "gcp:bigquery/dataset:Dataset", "google_bigquery_dataset_access", "gcp:bigquery/datasetAccess:DatasetAccess"],
    remediation: "Remove access entries whose `special_group` or `iam_member` is `allAuthenticatedUsers` or `allUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "BigQuery datasets (`google_bigquery_dataset`, Pulumi `gcp:bigquery/dataset:Dataset`, each `access` entry, Pulumi `accesses`) and dataset access resources (`google_bigquery_dataset_access`, Pulumi `gcp:bigquery/datasetAccess:DatasetAccess`): no `special_group` or `iam_member` may be `allAuthenticatedUsers` or `allUsers`. Each is one violation; entries known only after apply are indeterminate.",
        why: "Analytics datasets gather customer and business data in one place. A public entry exposes all of it to anyone who knows or guesses the dataset name, and queries are billed to you.",
        noncompliant: r#"Terraform:

    resource "google_bigquery_dataset_access" "public" {
      dataset_id    = google_bigquery_dataset.orders.dataset_id
      role          = "READER"
      special_group = "allAuthenticatedUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_bigquery_dataset_access" "analysts" {
      dataset_id     = google_bigquery_dataset.orders.dataset_id
      role           = "READER"
      group_by_email = "analysts@acme.example"
    }"#,
        fix: "Grant named groups or service accounts instead; publish data meant for everyone through an authorized view or Analytics Hub listing, exempted with a reason.",
        references: &["Google Cloud: Control access to datasets — https://cloud.google.com/bigquery/docs/control-access-to-resources-iam", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 7.1"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let mut entries: Vec<(String, &Value)> = Vec::new();
    if support::canonical(&view) == "google_bigquery_dataset_access" {
        entries.push((String::new(), view.props));
    } else {
        entries = support::items_of(view, &["accesses", "access"])?;
    }
    let spelling = view.resource.spelling;
    let mut violations = Vec::new();
    for (path, entry) in entries {
        for camel in ["specialGroup", "iamMember"] {
            let at = support::join(spelling, &path, camel);
            let Some(member) = entry
                .field(camel)
                .map_err(|_| Halt::unknown(at.clone()))?
                .and_then(Value::as_str)
            else {
                continue;
            };
            if support::gcp::is_public_member(member) {
                let shown = support::gcp::shown_at(view, &at, member.trim());
                violations.push(
                    Violation::new(format!(
                        "{} grants access to `{shown}`, that is to anyone",
                        support::who(view, "BigQuery dataset")
                    ))
                    .at(at),
                );
            }
        }
    }
    Ok(Verdict::from_violations(violations))
}
