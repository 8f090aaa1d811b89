//! GCP-LOGGING-001: Log buckets lock their retention policy.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-LOGGING-001",
    name: "logging-bucket-retention-locked",
    title: "Log buckets lock their retention policy",
    description: "A locked log bucket keeps every entry for its retention period; nobody, including an intruder with owner rights, can shorten it or delete the bucket early.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["logging"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["2.3"] },
        Control { framework: "pci-dss", controls: &["10.3.2", "10.5.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "nist-800-53", controls: &["AU-9", "AU-11"] },
    ]),
    resource_types: &["google_logging_project_bucket_config", "gcp:logging/projectBucketConfig:ProjectBucketConfig"],
    remediation: "Set `locked = true` on the log bucket, with the retention you need.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Log buckets (`google_logging_project_bucket_config`, Pulumi `gcp:logging/projectBucketConfig:ProjectBucketConfig`): `locked` must be true. Unset means false and is a violation; a value known only after apply is indeterminate.",
        why: "Attackers delete or shorten logs to hide. A locked retention policy makes the audit trail tamper-resistant, which PCI DSS and the CIS benchmark expect.",
        noncompliant: r#"Terraform:

    resource "google_logging_project_bucket_config" "audit" {
      project        = "acme-prod"
      location       = "global"
      bucket_id      = "audit"
      retention_days = 400
    }"#,
        compliant: r#"Terraform:

    resource "google_logging_project_bucket_config" "audit" {
      project        = "acme-prod"
      location       = "global"
      bucket_id      = "audit"
      retention_days = 400
      locked         = true
    }"#,
        fix: "Set `locked = true` once the retention is right: locking cannot be undone. No automatic fix for that reason.",
        references: &["Google Cloud: Lock a log bucket — https://cloud.google.com/logging/docs/buckets#locking-logs-buckets", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 2.3"],
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
        "locked",
        true,
        false,
        "log bucket",
        "does not lock its retention policy",
    )
}
