//! GCP-STORAGE-001: Cloud Storage buckets use uniform bucket-level access.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-STORAGE-001",
    name: "storage-bucket-uniform-access",
    title: "Cloud Storage buckets use uniform bucket-level access",
    description: "With fine-grained ACLs every object can carry its own grants, invisible to IAM reviews; uniform bucket-level access makes IAM the only way in.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["storage"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["5.2"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-6"] },
    ]),
    resource_types: &["google_storage_bucket", "gcp:storage/bucket:Bucket"],
    remediation: "Set `uniform_bucket_level_access = true` (Pulumi `uniformBucketLevelAccess: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Storage buckets (`google_storage_bucket`, Pulumi `gcp:storage/bucket:Bucket`): `uniform_bucket_level_access` must be true. Unset means false (fine-grained ACLs) and is a violation; a value known only after apply is indeterminate.",
        why: "Object ACLs are granted object by object, are not shown by IAM policy analysis, and are easy to make public by accident (`allUsers:READER` on one upload). Uniform access turns ACLs off so that the bucket's IAM policy alone decides who reads and writes.",
        noncompliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name     = "acme-orders"
      location = "EU"
    }"#,
        compliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name                        = "acme-orders"
      location                    = "EU"
      uniform_bucket_level_access = true
    }

Pulumi (TypeScript):

    new gcp.storage.Bucket("orders", { location: "EU", uniformBucketLevelAccess: true });"#,
        fix: "Move any grants held in ACLs to IAM roles on the bucket first, then set `uniform_bucket_level_access = true` (Pulumi `uniformBucketLevelAccess: true`). No automatic fix: turning ACLs off removes the access they gave.",
        references: &["Google Cloud: Uniform bucket-level access — https://cloud.google.com/storage/docs/uniform-bucket-level-access", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 5.2"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::bool_setting(
        view,
        "uniformBucketLevelAccess",
        true,
        false,
        "Cloud Storage bucket",
        "does not use uniform bucket-level access",
    )
}
