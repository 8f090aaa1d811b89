//! GCP-STORAGE-002: Cloud Storage buckets enforce public access prevention.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-STORAGE-002",
    name: "storage-bucket-public-access-prevention",
    title: "Cloud Storage buckets enforce public access prevention",
    description: "Public access prevention makes Cloud Storage refuse any grant to `allUsers` or `allAuthenticatedUsers` on the bucket, whatever IAM or ACLs say later.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["storage"],
    topics: &["access-control", "data-protection"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["5.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.3"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &["google_storage_bucket", "gcp:storage/bucket:Bucket"],
    remediation: "Set `public_access_prevention = \"enforced\"` (Pulumi `publicAccessPrevention: \"enforced\"`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Storage buckets: `public_access_prevention` must be `enforced`. Unset or `inherited` follows the organization policy, which this input cannot see, and is a violation; a value known only after apply is indeterminate.",
        why: "A single IAM binding or object ACL for `allUsers` publishes data to the internet. Enforcing public access prevention on the bucket blocks such grants at the API, so a later mistake cannot expose the data.",
        noncompliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name                     = "acme-orders"
      location                 = "EU"
      public_access_prevention = "inherited"
    }"#,
        compliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name                     = "acme-orders"
      location                 = "EU"
      public_access_prevention = "enforced"
    }"#,
        fix: "Set `public_access_prevention = \"enforced\"` (Pulumi `publicAccessPrevention: \"enforced\"`). Buckets that must serve the public (a static website) belong behind a load balancer or CDN with its own identity; exempt them explicitly if not. No automatic fix: enforcing it removes public access that may be intended.",
        references: &["Google Cloud: Public access prevention — https://cloud.google.com/storage/docs/public-access-prevention", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 5.1"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::one_of(
        view,
        "publicAccessPrevention",
        &["enforced"],
        "inherited",
        "Cloud Storage bucket",
        "does not enforce public access prevention",
    )
}
