//! AWS-S3-011: versioned S3 buckets require MFA to delete versions.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, canonical, read, read_inline};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-011",
    name: "s3-bucket-mfa-delete",
    title: "Versioned S3 buckets require MFA to delete object versions",
    description: "MFA delete makes permanently deleting an object version, or suspending \
                  versioning, require the root user's MFA device as well as credentials.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["s3"],
    topics: &["versioning", "backup", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["2.1.2"] },
        Control { framework: "nist-800-53", controls: &["CP-9", "IA-2"] },
    ]),
    resource_types: &[
        "aws_s3_bucket_versioning",
        "aws:s3/bucketVersioningV2:BucketVersioningV2",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws_s3_bucket",
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketV2:BucketV2",
    ],
    remediation: "Enable MFA delete on the bucket's versioning configuration (with the root \
                  user's MFA device).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "`aws_s3_bucket_versioning` (Pulumi `BucketVersioningV2`, v7 `BucketVersioning`) \
               with `versioning_configuration.status = \"Enabled\"` must set \
               `versioning_configuration.mfa_delete = \"Enabled\"` (Pulumi \
               `versioningConfiguration.mfaDelete`); an `aws_s3_bucket` with inline \
               `versioning.enabled = true` must set `versioning.mfa_delete = true` (Pulumi \
               `versioning.mfaDelete`, or `versionings[]` on `BucketV2`). Resources whose \
               versioning is not enabled are not applicable (AWS-S3-006 covers that); values \
               known only after apply are indeterminate.",
        why: "With versioning alone, anyone who can call `s3:DeleteObjectVersion` — a leaked \
              key, a compromised pipeline — can destroy every previous version and with it the \
              ability to recover. MFA delete adds a factor that an attacker holding only API \
              credentials does not have. Only the root user can enable it, through the API or \
              CLI, so it suits a few critical buckets; Object Lock is the alternative for \
              automated setups.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketVersioningV2("audit", {
        bucket: audit.id,
        versioningConfiguration: { status: "Enabled" },
    });

Terraform:

    resource "aws_s3_bucket_versioning" "audit" {
      bucket = aws_s3_bucket.audit.id
      versioning_configuration {
        status = "Enabled"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.s3.BucketVersioningV2("audit", {
        bucket: audit.id,
        mfa: `${mfaSerial} ${mfaCode}`,
        versioningConfiguration: { status: "Enabled", mfaDelete: "Enabled" },
    });

Terraform:

    resource "aws_s3_bucket_versioning" "audit" {
      bucket = aws_s3_bucket.audit.id
      mfa    = "${var.mfa_serial} ${var.mfa_code}"
      versioning_configuration {
        status     = "Enabled"
        mfa_delete = "Enabled"
      }
    }"#,
        fix: "Set `mfa_delete = \"Enabled\"` (Pulumi `mfaDelete: \"Enabled\"`) in the versioning \
              configuration and pass the root user's MFA serial and current code in `mfa`; \
              apply as the root user. Where that is impractical, protect the bucket with \
              S3 Object Lock (AWS-S3-012) instead and record an exemption here.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 2.1.2 Ensure MFA Delete is enabled on S3 buckets",
            "AWS: Configuring MFA delete — https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn is_on(value: Option<&Value>) -> bool {
    value.is_some_and(|v| {
        v.as_bool() == Some(true)
            || v.as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("Enabled"))
    })
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let (enabled, mfa_path) = if canonical(&view) == "aws_s3_bucket" {
        let mut found = None;
        for block in ["versioning", "versionings"] {
            if let Some(enabled) = read_inline(view, &format!("{block}.enabled"))? {
                found = Some((
                    enabled.as_bool() == Some(true),
                    format!("{block}.mfaDelete"),
                ));
                break;
            }
        }
        match found {
            Some(found) => found,
            None => {
                return Ok(Verdict::not_applicable(
                    "the bucket declares no inline versioning",
                ))
            }
        }
    } else {
        let status = read(view, "versioningConfiguration.status")?;
        (
            is_on(status),
            "versioningConfiguration.mfaDelete".to_string(),
        )
    };
    if !enabled {
        return Ok(Verdict::not_applicable("versioning is not enabled"));
    }
    if is_on(read(view, &mfa_path)?) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "`{}` enables versioning without MFA delete",
            view.resource.name
        ))
        .at(at(view, &mfa_path)),
    ))
}
