//! GCP-STORAGE-006: Cloud Storage bucket IAM grants nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-STORAGE-006",
    name: "storage-bucket-iam-not-public",
    title: "Cloud Storage bucket IAM grants nothing to allUsers or allAuthenticatedUsers",
    description: "A bucket role granted to `allUsers` or `allAuthenticatedUsers` hands the bucket's objects to anyone on the internet or with any Google account.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["storage"],
    topics: &["access-control", "data-protection"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["5.1"] },
        Control { framework: "pci-dss", controls: &["7.2.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &["google_storage_bucket_iam_member", "gcp:storage/bucketIAMMember:BucketIAMMember", "google_storage_bucket_iam_binding", "gcp:storage/bucketIAMBinding:BucketIAMBinding", "google_storage_bucket_iam_policy", "gcp:storage/bucketIAMPolicy:BucketIAMPolicy"],
    remediation: "Grant the role to named users, groups or service accounts instead of `allUsers` or `allAuthenticatedUsers`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Bucket IAM members, bindings and policies (`google_storage_bucket_iam_member`, `_binding`, `_policy` and their Pulumi `gcp:storage/bucketIAM*` twins): no `member`, `members` entry or member of a `policy_data` binding may be `allUsers` or `allAuthenticatedUsers`. Each public member is one violation; a member list known only after apply is indeterminate.",
        why: "`allAuthenticatedUsers` is not your organization: it is every Google account in the world. Public grants on a bucket are the most common cause of cloud data leaks, and the data is copied the moment it is found.",
        noncompliant: r#"Terraform:

    resource "google_storage_bucket_iam_member" "public" {
      bucket = google_storage_bucket.orders.name
      role   = "roles/storage.objectViewer"
      member = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_storage_bucket_iam_member" "readers" {
      bucket = google_storage_bucket.orders.name
      role   = "roles/storage.objectViewer"
      member = "group:order-readers@acme.example"
    }"#,
        fix: "Replace the public member with the groups or service accounts that need access, and enforce public access prevention on the bucket (GCP-STORAGE-002). Content that must be public belongs in a dedicated bucket behind Cloud CDN, exempted with a reason.",
        references: &["Google Cloud: Making data public — https://cloud.google.com/storage/docs/access-control/making-data-public", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 5.1"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::no_public_members(view, "bucket IAM resource", "access to the bucket")
}
