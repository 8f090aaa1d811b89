//! AWS-S3-002: S3 default encryption uses AWS KMS keys.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::show;
use crate::support::{at, canonical, items_at, read_first, read_in, read_inline};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-002",
    name: "s3-bucket-encryption-uses-kms",
    title: "S3 default encryption uses AWS KMS keys",
    description: "Default bucket encryption with SSE-S3 (`AES256`) protects against lost disks \
                  only; SSE-KMS puts a key policy and CloudTrail-logged key use in front of \
                  every read.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["s3"],
    topics: &["encryption", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-12", "SC-28"] },
    ]),
    resource_types: &[
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws_s3_bucket",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
    ],
    remediation: "Set `sse_algorithm` to `aws:kms` (or `aws:kms:dsse`) with a customer managed \
                  key in `kms_master_key_id`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Each `rule` of an `aws_s3_bucket_server_side_encryption_configuration` (Pulumi \
               `BucketServerSideEncryptionConfigurationV2` / `BucketServerSideEncryptionConfiguration`, \
               `rules`), and the inline `server_side_encryption_configuration` of an \
               `aws_s3_bucket` (Pulumi `serverSideEncryptionConfiguration`, or \
               `serverSideEncryptionConfigurations` on `BucketV2`): \
               `apply_server_side_encryption_by_default.sse_algorithm` must be `aws:kms` or \
               `aws:kms:dsse`. `AES256` is a violation. A bucket without inline encryption is \
               not applicable (AWS-S3-001 asks for encryption to be declared). An algorithm known \
               only after apply is indeterminate. In Terraform plans an inline setting shown as known only after apply counts as not \
               set: the provider computes these deprecated bucket arguments when the \
               configuration leaves them out.",
        why: "SSE-S3 keys are managed entirely by S3: anyone allowed to read the object reads it \
              in the clear, and key use is not logged. With SSE-KMS every decryption needs \
              `kms:Decrypt` on the key as well, the key policy can be narrower than the bucket \
              policy, key use appears in CloudTrail, and disabling the key cuts off access at \
              once — a second, independent control over sensitive data.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketServerSideEncryptionConfigurationV2("data", {
        bucket: data.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });

Terraform:

    resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
      bucket = aws_s3_bucket.data.id
      rule {
        apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketServerSideEncryptionConfigurationV2("data", {
        bucket: data.id,
        rules: [{
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
            bucketKeyEnabled: true,
        }],
    });

Terraform:

    resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
      bucket = aws_s3_bucket.data.id
      rule {
        apply_server_side_encryption_by_default {
          sse_algorithm     = "aws:kms"
          kms_master_key_id = aws_kms_key.data.arn
        }
        bucket_key_enabled = true
      }
    }"#,
        fix: "Set `sse_algorithm = \"aws:kms\"` (Pulumi `sseAlgorithm: \"aws:kms\"`) and name a \
              customer managed key in `kms_master_key_id` (`kmsMasterKeyId`); enable \
              `bucket_key_enabled` (`bucketKeyEnabled`) to keep KMS request costs low. Grant the \
              readers and writers `kms:Decrypt`/`kms:GenerateDataKey` on the key.",
        references: &[
            "AWS: Using server-side encryption with AWS KMS keys (SSE-KMS) — https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
            "NIST SP 800-53 Rev. 5: SC-12, SC-28; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let bucket = canonical(&view) == "aws_s3_bucket";
    let rules: Vec<(String, &Value)> = if bucket {
        let mut found = None;
        for camel in [
            "serverSideEncryptionConfiguration",
            "serverSideEncryptionConfigurations",
        ] {
            if let Some(block) = read_inline(view, camel)? {
                found = Some((block, camel));
                break;
            }
        }
        let Some((block, camel)) = found else {
            return Ok(Verdict::not_applicable(
                "the bucket declares no inline encryption",
            ));
        };
        let base = at(view, camel);
        let mut rules = Vec::new();
        for (path, config) in items_at(block, &base)? {
            for key in ["rule", "rules"] {
                if let Some(list) = read_in(config, spelling, &path, key)? {
                    rules.extend(items_at(list, &format!("{path}.{}", at(view, key)))?);
                }
            }
        }
        rules
    } else {
        let Some((list, camel)) = read_first(view, &["rules", "rule"])? else {
            return Ok(Verdict::Pass);
        };
        items_at(list, &at(view, camel))?
    };
    let mut violations = Vec::new();
    for (base, rule) in rules {
        for key in [
            "applyServerSideEncryptionByDefault",
            "applyServerSideEncryptionByDefaults",
        ] {
            let Some(block) = read_in(rule, spelling, &base, key)? else {
                continue;
            };
            let block_path = format!("{base}.{}", at(view, key));
            for (path, item) in items_at(block, &block_path)? {
                let Some(algorithm) = read_in(item, spelling, &path, "sseAlgorithm")? else {
                    continue;
                };
                let kms = algorithm
                    .as_str()
                    .is_some_and(|a| a.trim().to_ascii_lowercase().starts_with("aws:kms"));
                if !kms {
                    violations.push(
                        Violation::new(format!(
                            "`{}` encrypts with {} instead of an AWS KMS key (`aws:kms`)",
                            view.resource.name,
                            show(algorithm)
                        ))
                        .at(format!("{path}.{}", at(view, "sseAlgorithm"))),
                    );
                }
            }
        }
    }
    Ok(Verdict::from_violations(violations))
}
