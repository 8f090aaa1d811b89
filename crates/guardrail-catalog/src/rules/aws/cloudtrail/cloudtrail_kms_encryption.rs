//! AWS-CLOUDTRAIL-005: CloudTrail logs are encrypted with a KMS key

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDTRAIL-005",
    name: "cloudtrail-kms-encryption",
    title: "CloudTrail logs are encrypted with a KMS key",
    description: "CloudTrail logs encrypted only with S3-managed keys can be read by anyone with read access to the bucket; a KMS key adds a second, audited permission.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudtrail"],
    topics: &["logging", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["3.5"],
        },
        Control {
            framework: "pci-dss",
            controls: &["10.3.2"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(2)(iv)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-28", "AU-9"],
        },
    ]),
    resource_types: &[
        "aws_cloudtrail",
        "aws:cloudtrail/trail:Trail",
    ],
    remediation: "Set `kms_key_id` (Pulumi `kmsKeyId`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every CloudTrail trail (`aws_cloudtrail`, Pulumi `aws:cloudtrail/trail:Trail`): `kms_key_id` (Pulumi `kmsKeyId`) must name a KMS key. Not set (the default: S3-managed SSE) is a violation. A value known only after apply is indeterminate.",
        why: "CloudTrail logs describe every action in the account, including resource names, source addresses and request parameters. With SSE-KMS, reading them needs `kms:Decrypt` on a customer managed key as well as S3 read access, and every decryption is itself logged. CIS AWS Foundations 3.5 asks for it.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, isMultiRegionTrail: true });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      is_multi_region_trail = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, kmsKeyId: trailKey.arn });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      kms_key_id     = aws_kms_key.trail.arn
    }"#,
        fix: "Create a KMS key whose policy lets CloudTrail encrypt (`cloudtrail.amazonaws.com`, `kms:GenerateDataKey*` with the trail ARN as encryption context) and your auditors decrypt, and set `kmsKeyId: key.arn` (Pulumi) or `kms_key_id = aws_kms_key.trail.arn` (Terraform).",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 3.5 Ensure CloudTrail logs are encrypted at rest using KMS CMKs",
            "AWS CloudTrail User Guide: Encrypting CloudTrail log files with AWS KMS keys (SSE-KMS) — https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const PATH: &str = "kmsKeyId";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if text(view, PATH)?.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "CloudTrail trail `{}` does not encrypt its logs with a KMS key; set a KMS key",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}
