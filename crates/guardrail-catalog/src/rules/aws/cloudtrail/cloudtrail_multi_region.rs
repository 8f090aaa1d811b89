//! AWS-CLOUDTRAIL-001: CloudTrail trails record every region

use crate::support::{flag_on_fix, flag_on_verdict};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDTRAIL-001",
    name: "cloudtrail-multi-region",
    title: "CloudTrail trails record every region",
    description: "A single-region trail misses API activity in every other region, where an attacker can work unseen.",
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
    remediation: "Set `is_multi_region_trail` (Pulumi `isMultiRegionTrail`) to true.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every CloudTrail trail (`aws_cloudtrail`, Pulumi `aws:cloudtrail/trail:Trail`): `is_multi_region_trail` (Pulumi `isMultiRegionTrail`) must be true. Not set means false, the provider default, a violation. A value known only after apply is indeterminate. Organization trails are checked the same way.",
        why: "Attackers with stolen credentials favour regions nobody watches: launching instances for mining or staging data in a region the trail does not cover leaves no record. CIS AWS Foundations 3.1 asks for at least one multi-region trail; making every trail multi-region is the simplest way to be sure.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, isMultiRegionTrail: false });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      is_multi_region_trail = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, isMultiRegionTrail: true });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      is_multi_region_trail = true
    }"#,
        fix: "Set `isMultiRegionTrail: true` (Pulumi) or `is_multi_region_trail = true` (Terraform); under `remediate` guardrail sets it. The trail then records in every region, including regions enabled later.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 3.1 Ensure CloudTrail is enabled in all regions",
            "AWS CloudTrail User Guide: Receiving CloudTrail log files from multiple regions — https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

const PATH: &str = "isMultiRegionTrail";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    flag_on_verdict(
        view,
        PATH,
        false,
        "CloudTrail trail",
        "records only the region it is created in; set it to record every region",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    flag_on_fix(view, PATH, false)
}
