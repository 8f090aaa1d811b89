//! AWS-S3-007: every S3 bucket has server access logging.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Spelling, StackFinding, StackView,
    Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read_inline, uncovered, Coverage, Known, BUCKET_NAMES, S3_BUCKET};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-007",
    name: "s3-bucket-access-logging",
    title: "S3 buckets have server access logging",
    description: "Server access logs record every request made to a bucket; without them there \
                  is no record of who read or changed which object.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["s3"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "hipaa", controls: &["164.312(b)"] },
        Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] },
    ]),
    resource_types: &[
        "aws_s3_bucket",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws_s3_bucket_logging",
        "aws:s3/bucketLoggingV2:BucketLoggingV2",
        "aws:s3/bucketLogging:BucketLogging",
    ],
    remediation: "Add a bucket logging resource that sends the bucket's access logs to a log \
                  bucket.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over every managed S3 bucket (`aws_s3_bucket`, Pulumi \
               `aws:s3/bucket:Bucket`, `aws:s3/bucketV2:BucketV2`). A bucket passes when it sets \
               inline `logging.target_bucket` (Pulumi `loggings[].targetBucket`) or when an \
               `aws_s3_bucket_logging` (Pulumi `BucketLoggingV2`, provider v7 `BucketLogging`) \
               refers to it — by its `bucket` equal to the bucket's `bucket` or `id`, through a \
               property dependency (Pulumi) or, when the value is known only after apply, the references of its \
               `bucket` argument (Terraform). A logging resource always names a target bucket, so its \
               presence is enough. Each bucket without logging is a finding on the bucket; an \
               inline target known only after apply makes that bucket indeterminate, \
               beside the findings on the others. This is AWSGuard's `s3-bucket-logging-enabled`, extended to \
               the separate logging resource. In Terraform plans an inline setting shown as known only after apply counts as not \
               set: the provider computes these deprecated bucket arguments when the \
               configuration leaves them out.",
        why: "Server access logs are the record of object-level reads and writes that \
              CloudTrail management events do not contain: they answer which data an \
              attacker or a leaked key touched, and they are asked for by PCI DSS and most \
              incident-response runbooks. A bucket that receives the logs of other buckets \
              can be exempted by logging to a separate log archive bucket.",
        noncompliant: r#"Pulumi (TypeScript):

    const data = new aws.s3.BucketV2("data");

Terraform:

    resource "aws_s3_bucket" "data" {
      bucket = "acme-data"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketLoggingV2("data", {
        bucket: data.id,
        targetBucket: logs.id,
        targetPrefix: "s3/data/",
    });

Terraform:

    resource "aws_s3_bucket_logging" "data" {
      bucket        = aws_s3_bucket.data.id
      target_bucket = aws_s3_bucket.logs.id
      target_prefix = "s3/data/"
    }"#,
        fix: "Terraform: add `aws_s3_bucket_logging` with `bucket = aws_s3_bucket.<name>.id`, \
              `target_bucket` and `target_prefix`. Pulumi: add `aws.s3.BucketLoggingV2` (v7: \
              `aws.s3.BucketLogging`) with `bucket`, `targetBucket` and `targetPrefix`. The \
              target bucket must allow the S3 logging service principal \
              (`logging.s3.amazonaws.com`) to write.",
        references: &[
            "AWS: Logging requests with server access logging — https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
            "Pulumi AWSGuard policy pack: s3-bucket-logging-enabled",
            "PCI DSS v4.0: 10.2.1; NIST SP 800-53 Rev. 5: AU-2, AU-12; ISO/IEC 27001:2022: A.8.15; HIPAA: 164.312(b); SOC 2: CC7.2",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

fn inline(bucket: ResourceView<'_>) -> Known {
    Known::any(
        ["logging.targetBucket", "loggings.targetBucket"].map(|path| {
            Known::from_result(read_inline(bucket, path).map(|v| {
                v.and_then(guardrail_core::Value::as_str)
                    .is_some_and(|s| !s.trim().is_empty())
            }))
        }),
    )
}

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let present = |_: ResourceView<'_>| Known::Yes;
    let coverage = Coverage {
        target: S3_BUCKET,
        names: BUCKET_NAMES,
        companions: &["aws_s3_bucket_logging"],
        key: "bucket",
        inline: &inline,
        companion: &present,
    };
    Ok(uncovered(view, &coverage, |bucket, _| {
        let add = match bucket.resource.spelling {
            Spelling::Pulumi => "an `aws.s3.BucketLoggingV2`",
            Spelling::Terraform => "an `aws_s3_bucket_logging`",
        };
        Violation::new(format!(
            "S3 bucket `{}` has no server access logging: add {add} for it",
            bucket.resource.name
        ))
        .at(at(bucket, "logging"))
    }))
}
