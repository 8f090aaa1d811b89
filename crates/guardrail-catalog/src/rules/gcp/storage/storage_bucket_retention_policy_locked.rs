//! GCP-STORAGE-008: Cloud Storage retention policies are locked.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-STORAGE-008",
    name: "storage-bucket-retention-policy-locked",
    title: "Cloud Storage retention policies are locked",
    description: "An unlocked retention policy can be shortened or removed by anyone with bucket admin rights; a locked one cannot.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["storage"],
    topics: &["resilience", "data-protection"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["10.5.1"] },
        Control { framework: "iso27001", controls: &["A.8.13"] },
        Control { framework: "nist-800-53", controls: &["AU-9", "SI-12"] },
    ]),
    resource_types: &["google_storage_bucket", "gcp:storage/bucket:Bucket"],
    remediation: "Set `retention_policy { is_locked = true }` once the retention period is final.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Storage buckets with a `retention_policy` block (Pulumi `retentionPolicy`): `retention_policy.is_locked` must be true. Buckets without a retention policy are not applicable; an unlocked policy is a violation; a value known only after apply is indeterminate.",
        why: "Retention exists to guarantee that records survive for a period (audit logs, regulated records); while unlocked, an intruder or a mistaken change can remove the guarantee and then the data.",
        noncompliant: r#"Terraform:

    resource "google_storage_bucket" "audit" {
      name     = "acme-audit-logs"
      location = "EU"
      retention_policy {
        retention_period = 31536000
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_storage_bucket" "audit" {
      name     = "acme-audit-logs"
      location = "EU"
      retention_policy {
        retention_period = 31536000
        is_locked        = true
      }
    }"#,
        fix: "Set `is_locked = true` once the period is right. Locking is permanent, so there is no automatic fix.",
        references: &["Google Cloud: Bucket Lock — https://cloud.google.com/storage/docs/bucket-lock"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::read(view, "retentionPolicy")?.is_none_or(|b| b.items().next().is_none()) {
        return Ok(Verdict::not_applicable("no retention policy"));
    }
    support::gcp::bool_setting(
        view,
        "retentionPolicy.isLocked",
        true,
        false,
        "Cloud Storage bucket",
        "has a retention policy that is not locked",
    )
}
