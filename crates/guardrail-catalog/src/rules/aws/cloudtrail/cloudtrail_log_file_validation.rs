//! AWS-CLOUDTRAIL-002: CloudTrail trails validate their log files

use crate::support::{flag_on_fix, flag_on_verdict};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDTRAIL-002",
    name: "cloudtrail-log-file-validation",
    title: "CloudTrail trails validate their log files",
    description: "Without log file validation nobody can prove that delivered CloudTrail logs were not altered or deleted.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudtrail"],
    topics: &["logging", "integrity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["3.2"],
        },
        Control {
            framework: "pci-dss",
            controls: &["10.3.2", "10.3.4"],
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
            controls: &["164.312(c)(1)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AU-9", "SI-7"],
        },
    ]),
    resource_types: &[
        "aws_cloudtrail",
        "aws:cloudtrail/trail:Trail",
    ],
    remediation: "Set `enable_log_file_validation` (Pulumi `enableLogFileValidation`) to true.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every CloudTrail trail (`aws_cloudtrail`, Pulumi `aws:cloudtrail/trail:Trail`): `enable_log_file_validation` (Pulumi `enableLogFileValidation`) must be true. Not set means false, a violation. A value known only after apply is indeterminate.",
        why: "With validation on, CloudTrail writes signed hourly digest files; `aws cloudtrail validate-logs` then shows whether any log file was modified, deleted or forged after delivery. An intruder who can write to the log bucket can otherwise rewrite history. CIS AWS Foundations 3.2 and PCI DSS 10.3 ask for it.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, enableLogFileValidation: false });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      enable_log_file_validation = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, enableLogFileValidation: true });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      enable_log_file_validation = true
    }"#,
        fix: "Set `enableLogFileValidation: true` (Pulumi) or `enable_log_file_validation = true` (Terraform); under `remediate` guardrail sets it. Digest files are small and cost little.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 3.2 Ensure CloudTrail log file validation is enabled",
            "AWS CloudTrail User Guide: Validating CloudTrail log file integrity — https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

const PATH: &str = "enableLogFileValidation";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    flag_on_verdict(
        view,
        PATH,
        false,
        "CloudTrail trail",
        "does not validate its log files; enable log file validation",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    flag_on_fix(view, PATH, false)
}
