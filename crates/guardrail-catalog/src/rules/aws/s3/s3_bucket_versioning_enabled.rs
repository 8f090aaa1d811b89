//! AWS-S3-006: every S3 bucket has versioning enabled.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Spelling, StackFinding, StackView, Value,
    Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, read_inline, uncovered, Coverage, Known, BUCKET_NAMES, S3_BUCKET};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-006",
    name: "s3-bucket-versioning-enabled",
    title: "S3 buckets have versioning enabled",
    description: "Without versioning an overwrite or delete destroys the only copy of an \
                  object; every bucket must enable versioning inline or through a bucket \
                  versioning resource.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["s3"],
    topics: &["versioning", "backup", "resilience"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["A1.2"] },
        Control { framework: "iso27001", controls: &["A.8.13"] },
        Control { framework: "hipaa", controls: &["164.308(a)(7)(ii)(A)"] },
        Control { framework: "nist-800-53", controls: &["CP-9", "SI-12"] },
    ]),
    resource_types: &[
        "aws_s3_bucket",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
        "aws_s3_bucket_versioning",
        "aws:s3/bucketVersioningV2:BucketVersioningV2",
        "aws:s3/bucketVersioning:BucketVersioning",
    ],
    remediation: "Add a bucket versioning resource with status `Enabled` for the bucket.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over every managed S3 bucket (`aws_s3_bucket`, Pulumi \
               `aws:s3/bucket:Bucket`, `aws:s3/bucketV2:BucketV2`). A bucket passes when its \
               inline `versioning.enabled` is true (Pulumi `versioning.enabled`, or \
               `versionings[].enabled` on `BucketV2`), or when an `aws_s3_bucket_versioning` \
               (Pulumi `BucketVersioningV2`, provider v7 `BucketVersioning`) refers to it with \
               `versioning_configuration.status = \"Enabled\"`. A versioning resource refers to \
               a bucket when its `bucket` equals the bucket's `bucket` or `id`, through a \
               property dependency (Pulumi) or, when its value is known only after apply, the references of its \
               `bucket` argument (Terraform). `Suspended` and `Disabled` fail. It is a stack rule \
               because the setting lives on either resource; each failing bucket is a finding \
               on the bucket, and unknown values make that bucket indeterminate, \
               beside the findings on the others. In Terraform plans an inline setting shown as known only after apply counts as not \
               set: the provider computes these deprecated bucket arguments when the \
               configuration leaves them out.",
        why: "Versioning keeps every version of every object, so an accidental overwrite, a \
              buggy batch job or ransomware that encrypts or deletes objects can be undone by \
              restoring the previous version. It is also the prerequisite for replication, \
              MFA delete and Object Lock.",
        noncompliant: r#"Pulumi (TypeScript):

    const data = new aws.s3.BucketV2("data");

Terraform:

    resource "aws_s3_bucket" "data" {
      bucket = "acme-data"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketVersioningV2("data", {
        bucket: data.id,
        versioningConfiguration: { status: "Enabled" },
    });

Terraform:

    resource "aws_s3_bucket_versioning" "data" {
      bucket = aws_s3_bucket.data.id
      versioning_configuration {
        status = "Enabled"
      }
    }"#,
        fix: "Terraform: add `aws_s3_bucket_versioning` with `bucket = aws_s3_bucket.<name>.id` \
              and `versioning_configuration { status = \"Enabled\" }`. Pulumi: add \
              `aws.s3.BucketVersioningV2` (v7: `aws.s3.BucketVersioning`) with \
              `versioningConfiguration: { status: \"Enabled\" }`. Add a lifecycle rule that \
              expires noncurrent versions to keep storage costs in check.",
        references: &[
            "AWS: Using versioning in S3 buckets — https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
            "NIST SP 800-53 Rev. 5: CP-9, SI-12; ISO/IEC 27001:2022: A.8.13; HIPAA: 164.308(a)(7)(ii)(A); SOC 2: A1.2",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

fn inline(bucket: ResourceView<'_>) -> Known {
    Known::any(["versioning.enabled", "versionings.enabled"].map(|path| {
        Known::from_result(
            read_inline(bucket, path).map(|v| v.and_then(Value::as_bool) == Some(true)),
        )
    }))
}

fn enabled(versioning: ResourceView<'_>) -> Known {
    Known::from_result(read(versioning, "versioningConfiguration.status").map(|v| {
        v.and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("Enabled"))
    }))
}

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let coverage = Coverage {
        target: S3_BUCKET,
        names: BUCKET_NAMES,
        companions: &["aws_s3_bucket_versioning"],
        key: "bucket",
        inline: &inline,
        companion: &enabled,
    };
    Ok(uncovered(view, &coverage, |bucket, referred| {
        let name = &bucket.resource.name;
        let message = if referred {
            format!("S3 bucket `{name}` has versioning suspended or disabled: set its status to `Enabled`")
        } else {
            let add = match bucket.resource.spelling {
                Spelling::Pulumi => "an `aws.s3.BucketVersioningV2`",
                Spelling::Terraform => "an `aws_s3_bucket_versioning`",
            };
            format!(
                "S3 bucket `{name}` does not enable versioning: add {add} with status `Enabled`"
            )
        };
        Violation::new(message).at(at(bucket, "versioning"))
    }))
}
