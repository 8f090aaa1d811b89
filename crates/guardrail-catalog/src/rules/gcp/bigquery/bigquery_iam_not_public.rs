//! GCP-BIGQUERY-002: BigQuery dataset and table IAM grants nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-BIGQUERY-002",
    name: "bigquery-iam-not-public",
    title: "BigQuery dataset and table IAM grants nothing to allUsers or allAuthenticatedUsers",
    description: "An IAM grant on a dataset or table to `allUsers` or `allAuthenticatedUsers` makes its data readable by anyone.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["bigquery"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["7.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
        Control { framework: "pci-dss", controls: &["7.2.1"] },
    ]),
    resource_types: &["google_bigquery_dataset_iam_member", "gcp:bigquery/datasetIamMember:DatasetIamMember", "google_bigquery_dataset_iam_binding", "gcp:bigquery/datasetIamBinding:DatasetIamBinding", "google_bigquery_dataset_iam_policy", "gcp:bigquery/datasetIamPolicy:DatasetIamPolicy", "google_bigquery_table_iam_member", "gcp:bigquery/iamMember:IamMember", "google_bigquery_table_iam_binding", "gcp:bigquery/iamBinding:IamBinding", "google_bigquery_table_iam_policy", "gcp:bigquery/iamPolicy:IamPolicy"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "IAM members, bindings and policies of a BigQuery dataset or table (`google_bigquery_dataset_iam_member`, `google_bigquery_dataset_iam_binding`, `google_bigquery_dataset_iam_policy`, `google_bigquery_table_iam_member`, `google_bigquery_table_iam_binding`, `google_bigquery_table_iam_policy`): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; members known only after apply are indeterminate.",
        why: "`allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account; neither is your organization. A public grant on a BigQuery dataset or table gives strangers what the role allows, and is found by automated scanners within hours.",
        noncompliant: r#"Terraform:

    resource "google_bigquery_dataset_iam_member" "public" {
      dataset_id = "orders"
      role   = "roles/bigquery.dataViewer"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_bigquery_dataset_iam_member" "team" {
      dataset_id = "orders"
      role   = "roles/bigquery.dataViewer"
      member = "group:platform@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need the role. Where public access is the point, exempt the resource with a reason.",
        references: &["Google Cloud: BigQuery IAM — https://cloud.google.com/bigquery/docs/access-control", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 7.1"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::no_public_members(view, "BigQuery IAM resource", "access to the data")
}
