//! AWS-CLOUDTRAIL-004: CloudTrail trails are logging

use crate::support::{flag_on_fix, flag_on_verdict};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDTRAIL-004",
    name: "cloudtrail-logging-enabled",
    title: "CloudTrail trails are logging",
    description: "A trail with logging switched off records nothing while still looking like audit coverage.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["cloudtrail"],
    topics: &["logging", "monitoring"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["3.1"],
        },
        Control {
            framework: "pci-dss",
            controls: &["10.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC7.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.15"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(b)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AU-2", "AU-12"],
        },
    ]),
    resource_types: &[
        "aws_cloudtrail",
        "aws:cloudtrail/trail:Trail",
    ],
    remediation: "Set `enable_logging` (Pulumi `enableLogging`) to true.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every CloudTrail trail (`aws_cloudtrail`, Pulumi `aws:cloudtrail/trail:Trail`): `enable_logging` (Pulumi `enableLogging`) must not be false. Not set means true, the provider default, and passes. A value known only after apply is indeterminate.",
        why: "Stopping a trail is among the first things an intruder does, and a trail stopped in code is the same gap made permanent. CIS AWS Foundations 3.1 checks that the multi-region trail is actually logging.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, enableLogging: false });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      enable_logging = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, enableLogging: true });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      enable_logging = true
    }"#,
        fix: "Set `enableLogging: true` (Pulumi) or `enable_logging = true` (Terraform), or remove the setting; under `remediate` guardrail sets it.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 3.1 Ensure CloudTrail is enabled in all regions",
            "AWS CloudTrail API Reference: StopLogging — https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

const PATH: &str = "enableLogging";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    flag_on_verdict(
        view,
        PATH,
        true,
        "CloudTrail trail",
        "has logging switched off; enable it",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    flag_on_fix(view, PATH, true)
}
