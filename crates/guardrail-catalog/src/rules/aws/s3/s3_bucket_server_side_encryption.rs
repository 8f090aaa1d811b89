//! AWS-S3-001: every S3 bucket declares default server-side encryption.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Spelling, StackFinding, StackView,
    Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{
    at, items_of, read_inline, text_in, uncovered, Coverage, Known, BUCKET_NAMES, S3_BUCKET,
};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-001",
    name: "s3-bucket-server-side-encryption",
    title: "S3 buckets declare default server-side encryption",
    description: "Every S3 bucket must declare a default server-side encryption algorithm, inline \
                  or through a bucket encryption configuration resource, so that encryption at \
                  rest is stated in code rather than left to account defaults.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["s3"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["3.5.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "hipaa", controls: &["164.312(a)(2)(iv)"] },
        Control { framework: "nist-800-53", controls: &["SC-28"] },
    ]),
    resource_types: &[
        "aws_s3_bucket",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws_s3_bucket_server_side_encryption_configuration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    ],
    remediation: "Add a bucket server-side encryption configuration (`aws:kms` or `AES256`) for \
                  the bucket.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over every managed S3 bucket (`aws_s3_bucket`, Pulumi \
               `aws:s3/bucket:Bucket` and `aws:s3/bucketV2:BucketV2`). A bucket passes when it \
               sets an algorithm inline — \
               `server_side_encryption_configuration.rule.apply_server_side_encryption_by_default.sse_algorithm` \
               (Pulumi `serverSideEncryptionConfiguration...`, or the plural \
               `serverSideEncryptionConfigurations[].rules[].applyServerSideEncryptionByDefaults[]` \
               of `BucketV2`) — or when an `aws_s3_bucket_server_side_encryption_configuration` \
               (Pulumi `BucketServerSideEncryptionConfigurationV2`, provider v7 \
               `BucketServerSideEncryptionConfiguration`) refers to it and one of its `rule` \
               blocks sets `sse_algorithm`. A configuration refers to a bucket when its `bucket` \
               equals the bucket's `bucket` or `id`, when its `bucket` property depends on the \
               bucket (Pulumi), or, when its `bucket` is known only after apply, by the references \
               of its `bucket` argument (Terraform). It is a stack rule because the setting can live on \
               either resource. Each bucket without encryption is a finding on the bucket; \
               values known only after apply make that bucket indeterminate, \
               beside the findings on the others. In Terraform plans an inline setting shown as known only after apply counts as not \
               set: the provider computes these deprecated bucket arguments when the \
               configuration leaves them out.",
        why: "Since January 2023 S3 encrypts new objects with SSE-S3 when nothing else is said, \
              but an explicit configuration is what auditors read, what keeps a bucket's \
              encryption from depending on an account default, and the only place to choose \
              SSE-KMS, whose key policy adds a second, logged permission in front of the data.",
        noncompliant: r#"Pulumi (TypeScript):

    const data = new aws.s3.BucketV2("data");

Terraform:

    resource "aws_s3_bucket" "data" {
      bucket = "acme-data"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const data = new aws.s3.BucketV2("data");
    new aws.s3.BucketServerSideEncryptionConfigurationV2("data", {
        bucket: data.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
    });

Terraform:

    resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
      bucket = aws_s3_bucket.data.id
      rule {
        apply_server_side_encryption_by_default {
          sse_algorithm = "aws:kms"
        }
      }
    }"#,
        fix: "Terraform: add an `aws_s3_bucket_server_side_encryption_configuration` with \
              `bucket = aws_s3_bucket.<name>.id` and a `rule` whose \
              `apply_server_side_encryption_by_default.sse_algorithm` is `aws:kms` (with \
              `kms_master_key_id`) or `AES256`. Pulumi: add an \
              `aws.s3.BucketServerSideEncryptionConfigurationV2` (v7: \
              `aws.s3.BucketServerSideEncryptionConfiguration`) with `bucket: bucket.id` and \
              `rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: \"aws:kms\" } }]`.",
        references: &[
            "AWS: Setting default server-side encryption behavior for Amazon S3 buckets — https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html",
            "PCI DSS v4.0: 3.5.1; NIST SP 800-53 Rev. 5: SC-28; ISO/IEC 27001:2022: A.8.24; HIPAA: 164.312(a)(2)(iv); SOC 2: CC6.1",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

const INLINE: [&str; 2] = [
    "serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault.sseAlgorithm",
    "serverSideEncryptionConfigurations.rules.applyServerSideEncryptionByDefaults.sseAlgorithm",
];

fn inline(bucket: ResourceView<'_>) -> Known {
    Known::any(INLINE.map(|path| {
        Known::from_result(read_inline(bucket, path).map(|v| {
            v.and_then(guardrail_core::Value::as_str)
                .is_some_and(|s| !s.trim().is_empty())
        }))
    }))
}

fn configured(config: ResourceView<'_>) -> Known {
    let spelling = config.resource.spelling;
    let rules = match items_of(config, &["rules", "rule"]) {
        Ok(rules) => rules,
        Err(halt) => return Known::from_result(Err(halt)),
    };
    Known::any(rules.into_iter().map(|(base, rule)| {
        let block = match rule.field("applyServerSideEncryptionByDefault") {
            Ok(block) => block,
            Err(_) => {
                return Known::Unknown(format!(
                    "{base}.{}",
                    at(config, "applyServerSideEncryptionByDefault")
                ))
            }
        };
        let Some(block) = block else { return Known::No };
        let base = format!(
            "{base}.{}",
            at(config, "applyServerSideEncryptionByDefault")
        );
        Known::from_result(text_in(block, spelling, &base, "sseAlgorithm").map(|s| s.is_some()))
    }))
}

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let coverage = Coverage {
        target: S3_BUCKET,
        names: BUCKET_NAMES,
        companions: &["aws_s3_bucket_server_side_encryption_configuration"],
        key: "bucket",
        inline: &inline,
        companion: &configured,
    };
    Ok(uncovered(view, &coverage, |bucket, _| {
        let separate = match bucket.resource.spelling {
            Spelling::Pulumi => "an `aws.s3.BucketServerSideEncryptionConfigurationV2`",
            Spelling::Terraform => "an `aws_s3_bucket_server_side_encryption_configuration`",
        };
        Violation::new(format!(
            "S3 bucket `{}` declares no default server-side encryption: add {separate} for it \
             with `sse_algorithm` `aws:kms` or `AES256`",
            bucket.resource.name
        ))
        .at(at(bucket, "serverSideEncryptionConfiguration"))
    }))
}
