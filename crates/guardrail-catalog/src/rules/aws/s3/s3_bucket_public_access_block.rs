//! AWS-S3-003: every S3 bucket is covered by a complete public access block.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Spelling, StackFinding, StackView,
    Violation,
};

use super::s3_public_access_block_settings::off;
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{of_type, uncovered, Coverage, Known, BUCKET_NAMES, S3_BUCKET};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-003",
    name: "s3-bucket-public-access-block",
    title: "S3 buckets are covered by a complete public access block",
    description: "Every S3 bucket needs S3 Block Public Access with all four settings on, from a \
                  public access block for the bucket or for the whole account.",
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
        "aws_s3_bucket",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws_s3_bucket_public_access_block",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws_s3_account_public_access_block",
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    ],
    remediation: "Add an `aws_s3_bucket_public_access_block` for the bucket with all four \
                  settings true, or an account-level block in the stack.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over every managed S3 bucket (`aws_s3_bucket`, Pulumi \
               `aws:s3/bucket:Bucket`, `aws:s3/bucketV2:BucketV2`). A bucket passes when an \
               `aws_s3_bucket_public_access_block` (Pulumi `BucketPublicAccessBlock`) refers to \
               it — by its `bucket` equal to the bucket's `bucket` or `id`, by a property \
               dependency (Pulumi) or, when the value is known only after apply, by the references of its \
               `bucket` argument (Terraform) — with `block_public_acls`, `block_public_policy`, \
               `ignore_public_acls` and `restrict_public_buckets` all true; or when the stack \
               has an `aws_s3_account_public_access_block` (Pulumi \
               `AccountPublicAccessBlock`) with all four true. A block with a setting off does \
               not count (AWS-S3-004 and AWS-S3-005 name the setting). Buckets are checked as a \
               stack because the block is a separate resource; each uncovered bucket is a \
               finding on the bucket. Values known only after apply make that bucket indeterminate, \
               beside the findings on the others.",
        why: "Block Public Access overrides any ACL or bucket policy that would make data \
              public, so a mistaken policy edit, an `acl = \"public-read\"` or a third-party \
              tool cannot leak the bucket. New buckets get it from AWS by default since April \
              2023, but only a declared block keeps it from being turned off quietly and shows \
              reviewers that the bucket is private by intent.",
        noncompliant: r#"Pulumi (TypeScript):

    const data = new aws.s3.BucketV2("data");

Terraform:

    resource "aws_s3_bucket" "data" {
      bucket = "acme-data"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const data = new aws.s3.BucketV2("data");
    new aws.s3.BucketPublicAccessBlock("data", {
        bucket: data.id,
        blockPublicAcls: true, blockPublicPolicy: true,
        ignorePublicAcls: true, restrictPublicBuckets: true,
    });

Terraform:

    resource "aws_s3_bucket_public_access_block" "data" {
      bucket                  = aws_s3_bucket.data.id
      block_public_acls       = true
      block_public_policy     = true
      ignore_public_acls      = true
      restrict_public_buckets = true
    }"#,
        fix: "Terraform: add `aws_s3_bucket_public_access_block` with \
              `bucket = aws_s3_bucket.<name>.id` and the four settings true, or one \
              `aws_s3_account_public_access_block` for the account. Pulumi: add \
              `aws.s3.BucketPublicAccessBlock` with `bucket: bucket.id` and `blockPublicAcls`, \
              `blockPublicPolicy`, `ignorePublicAcls`, `restrictPublicBuckets` true, or an \
              `aws.s3.AccountPublicAccessBlock`.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 2.1.4 Ensure that S3 Buckets are configured with 'Block public access (bucket settings)'",
            "AWS: Blocking public access to your Amazon S3 storage — https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

fn complete(block: ResourceView<'_>) -> Known {
    Known::from_result(off(block).map(|off| off.is_empty()))
}

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let mut account = Known::No;
    for block in of_type(view, "aws_s3_account_public_access_block") {
        account = Known::any([account, complete(block).of(&block.resource.id)]);
    }
    let account = account;
    let inline = |_: ResourceView<'_>| account.clone();
    let coverage = Coverage {
        target: S3_BUCKET,
        names: BUCKET_NAMES,
        companions: &["aws_s3_bucket_public_access_block"],
        key: "bucket",
        inline: &inline,
        companion: &complete,
    };
    Ok(uncovered(view, &coverage, |bucket, referred| {
        let block = match bucket.resource.spelling {
            Spelling::Pulumi => "an `aws.s3.BucketPublicAccessBlock`",
            Spelling::Terraform => "an `aws_s3_bucket_public_access_block`",
        };
        let message = if referred {
            format!(
                "S3 bucket `{}` has a public access block with settings turned off: set \
                     all four to true",
                bucket.resource.name
            )
        } else {
            format!(
                "S3 bucket `{}` has no public access block: add {block} for it with all \
                     four settings true",
                bucket.resource.name
            )
        };
        Violation::new(message)
    }))
}
