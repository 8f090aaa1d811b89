//! AWS-S3-012: S3 buckets are created with Object Lock enabled.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read_inline};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-012",
    name: "s3-bucket-object-lock",
    title: "S3 buckets are created with Object Lock enabled",
    description: "Object Lock stores objects write-once-read-many, so that retention periods \
                  cannot be shortened and locked versions cannot be deleted, even by \
                  administrators.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["s3"],
    topics: &["backup", "resilience", "versioning"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.13"] },
        Control { framework: "nist-800-53", controls: &["CP-9", "AU-9"] },
    ]),
    resource_types: &["aws_s3_bucket", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    remediation: "Create the bucket with `object_lock_enabled = true` and add a default \
                  retention rule.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_s3_bucket` (Pulumi `aws:s3/bucket:Bucket`, `aws:s3/bucketV2:BucketV2`) \
               must set `object_lock_enabled = true` (Pulumi `objectLockEnabled`), or the \
               deprecated `object_lock_configuration.object_lock_enabled = \"Enabled\"` (Pulumi \
               `objectLockConfiguration.objectLockEnabled`). Absent means disabled, a \
               violation. A value known only after apply is indeterminate; in Terraform plans an \
               argument the configuration leaves out (shown as known after apply) \
               counts as not set. The rule is low severity and advisory: Object Lock suits backup, audit \
               and records buckets; select it for those stacks or exempt ordinary buckets.",
        why: "Versioning lets you recover from deletes, but anyone who can delete versions can \
              still destroy the history. Object Lock in governance or compliance mode prevents \
              that for the retention period — the protection backup vaults and regulated \
              records (SEC 17a-4, FINRA, HIPAA retention) need against ransomware and insider \
              deletion. It can only be turned on when the bucket is created.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketV2("backups", { bucket: "acme-backups" });

Terraform:

    resource "aws_s3_bucket" "backups" {
      bucket = "acme-backups"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const backups = new aws.s3.BucketV2("backups", { bucket: "acme-backups", objectLockEnabled: true });

Terraform:

    resource "aws_s3_bucket" "backups" {
      bucket              = "acme-backups"
      object_lock_enabled = true
    }"#,
        fix: "Set `object_lock_enabled = true` (Pulumi `objectLockEnabled: true`) when creating \
              the bucket — changing it later replaces the bucket, so migrate data to a new \
              bucket — and add `aws_s3_bucket_object_lock_configuration` (Pulumi \
              `aws.s3.BucketObjectLockConfigurationV2`) with a default retention rule.",
        references: &[
            "AWS: Locking objects with Object Lock — https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html",
            "NIST SP 800-53 Rev. 5: CP-9, AU-9; ISO/IEC 27001:2022: A.8.13",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if read_inline(view, "objectLockEnabled")?.and_then(Value::as_bool) == Some(true) {
        return Ok(Verdict::Pass);
    }
    let legacy = read_inline(view, "objectLockConfiguration.objectLockEnabled")?
        .and_then(Value::as_str)
        .is_some_and(|s| s.eq_ignore_ascii_case("Enabled"));
    if legacy {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "S3 bucket `{}` is created without Object Lock",
            view.resource.name
        ))
        .at(at(view, "objectLockEnabled")),
    ))
}
