//! AWS-S3-004: bucket public access blocks turn on all four settings.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, flag, with};

/// The four settings of a public access block, camelCase.
pub(crate) const SETTINGS: [&str; 4] = [
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
];

/// The settings that are not true (absent means false, the provider default).
pub(crate) fn off(view: ResourceView<'_>) -> Result<Vec<&'static str>, Halt> {
    let mut off = Vec::new();
    for setting in SETTINGS {
        if flag(view, setting)? != Some(true) {
            off.push(setting);
        }
    }
    Ok(off)
}

/// One violation per setting that is off.
pub(crate) fn violations(view: ResourceView<'_>, noun: &str) -> Result<Verdict, Halt> {
    Ok(Verdict::from_violations(
        off(view)?
            .into_iter()
            .map(|setting| {
                let path = at(view, setting);
                Violation::new(format!(
                    "{noun} `{}` does not set `{path}` to true",
                    view.resource.name
                ))
                .at(path)
            })
            .collect(),
    ))
}

/// Turns every setting on.
pub(crate) fn fix(view: ResourceView<'_>) -> Result<Option<Value>, Halt> {
    let off = off(view)?;
    if off.is_empty() {
        return Ok(None);
    }
    let mut props = view.props.clone();
    for setting in off {
        let fixed = with(
            guardrail_core::ResourceView {
                resource: view.resource,
                props: &props,
            },
            setting,
            Value::Bool(true),
        );
        props = fixed;
    }
    Ok(Some(props))
}

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-004",
    name: "s3-public-access-block-settings",
    title: "Bucket public access blocks turn on all four settings",
    description: "A bucket-level S3 Block Public Access configuration protects only with all of \
                  `block_public_acls`, `block_public_policy`, `ignore_public_acls` and \
                  `restrict_public_buckets` on.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["s3"],
    topics: &["public-access"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["2.1.4"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.3"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &[
        "aws_s3_bucket_public_access_block",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ],
    remediation: "Set all four settings of the public access block to true.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_s3_bucket_public_access_block` (Pulumi \
               `aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock`) must set \
               `block_public_acls`, `block_public_policy`, `ignore_public_acls` and \
               `restrict_public_buckets` (Pulumi `blockPublicAcls`, `blockPublicPolicy`, \
               `ignorePublicAcls`, `restrictPublicBuckets`) to true. Each setting that is false \
               or absent (the provider's default is false) is its own violation. A value known \
               only after apply is indeterminate. That every bucket has such a block at all is \
               AWS-S3-003.",
        why: "Each setting closes a different door: new public ACLs, existing public ACLs, new \
              public bucket policies, and cross-account access through an already public \
              policy. A block with one setting off leaves that door open, and publicly readable \
              buckets remain one of the most frequent causes of cloud data leaks.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketPublicAccessBlock("data", { bucket: data.id, blockPublicAcls: true });

Terraform:

    resource "aws_s3_bucket_public_access_block" "data" {
      bucket            = aws_s3_bucket.data.id
      block_public_acls = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketPublicAccessBlock("data", {
        bucket: data.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    });

Terraform:

    resource "aws_s3_bucket_public_access_block" "data" {
      bucket                  = aws_s3_bucket.data.id
      block_public_acls       = true
      block_public_policy     = true
      ignore_public_acls      = true
      restrict_public_buckets = true
    }"#,
        fix: "Set the four properties to true. Under `remediate` guardrail does so; the fix is \
              marked unsafe because a bucket that is meant to be public (a static website \
              served directly from S3) stops being reachable — serve such content through \
              CloudFront with origin access control instead.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 2.1.4 Ensure that S3 Buckets are configured with 'Block public access (bucket settings)'",
            "AWS: Blocking public access to your Amazon S3 storage — https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    violations(view, "public access block")
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    fix(view)
}
