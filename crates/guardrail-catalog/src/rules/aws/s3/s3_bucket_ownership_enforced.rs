//! AWS-S3-013: S3 bucket ownership controls disable ACLs.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::show;
use crate::support::{at, read, with};

const PATH: &str = "rule.objectOwnership";
const ENFORCED: &str = "BucketOwnerEnforced";

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-013",
    name: "s3-bucket-ownership-enforced",
    title: "S3 bucket ownership controls disable ACLs",
    description: "With object ownership `BucketOwnerEnforced` ACLs no longer grant access, so \
                  bucket and IAM policies alone decide who can reach the data.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["s3"],
    topics: &["least-privilege", "public-access"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.3"] },
        Control { framework: "nist-800-53", controls: &["AC-3"] },
    ]),
    resource_types: &[
        "aws_s3_bucket_ownership_controls",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    ],
    remediation: "Set `rule.object_ownership` to `BucketOwnerEnforced`.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_s3_bucket_ownership_controls` (Pulumi \
               `aws:s3/bucketOwnershipControls:BucketOwnershipControls`) must set \
               `rule.object_ownership` (Pulumi `rule.objectOwnership`) to \
               `BucketOwnerEnforced`. `BucketOwnerPreferred` and `ObjectWriter` keep ACLs \
               active and are violations; a value known only after apply is indeterminate.",
        why: "ACLs are a second, older permission system beside IAM: objects uploaded by other \
              accounts can stay owned by them, and a single `public-read` object ACL can \
              expose data that the bucket policy keeps private. AWS recommends disabling ACLs \
              for all new buckets; `BucketOwnerEnforced` does so and makes the bucket owner \
              own every object.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketOwnershipControls("data", { bucket: data.id, rule: { objectOwnership: "ObjectWriter" } });

Terraform:

    resource "aws_s3_bucket_ownership_controls" "data" {
      bucket = aws_s3_bucket.data.id
      rule {
        object_ownership = "ObjectWriter"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketOwnershipControls("data", { bucket: data.id, rule: { objectOwnership: "BucketOwnerEnforced" } });

Terraform:

    resource "aws_s3_bucket_ownership_controls" "data" {
      bucket = aws_s3_bucket.data.id
      rule {
        object_ownership = "BucketOwnerEnforced"
      }
    }"#,
        fix: "Set `object_ownership = \"BucketOwnerEnforced\"` (Pulumi `objectOwnership: \
              \"BucketOwnerEnforced\"`) and remove any `aws_s3_bucket_acl` for the bucket. \
              Under `remediate` guardrail sets the value; the fix is unsafe because access \
              granted only through ACLs (for example CloudFront standard logging to this \
              bucket, or cross-account writers relying on object ACLs) stops working.",
        references: &[
            "AWS: Controlling ownership of objects and disabling ACLs — https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn current(view: ResourceView<'_>) -> Result<Option<&Value>, Halt> {
    read(view, PATH)
}

fn enforced(value: Option<&Value>) -> bool {
    value.and_then(Value::as_str).is_some_and(|s| s == ENFORCED)
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let value = current(view)?;
    if enforced(value) {
        return Ok(Verdict::Pass);
    }
    let shown = value.map_or_else(|| "no object ownership".to_string(), show);
    Ok(Verdict::violation(
        Violation::new(format!(
            "ownership controls `{}` set {shown}, which keeps ACLs active; use `{ENFORCED}`",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if enforced(current(view)?) {
        return Ok(None);
    }
    Ok(Some(with(view, PATH, Value::string(ENFORCED))))
}
