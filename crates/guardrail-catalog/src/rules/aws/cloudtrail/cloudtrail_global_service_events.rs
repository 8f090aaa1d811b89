//! AWS-CLOUDTRAIL-003: CloudTrail trails include global service events

use crate::support::{flag_on_fix, flag_on_verdict};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDTRAIL-003",
    name: "cloudtrail-global-service-events",
    title: "CloudTrail trails include global service events",
    description: "A trail that leaves out global service events misses IAM, STS and CloudFront activity, the heart of an account takeover.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudtrail"],
    topics: &["logging", "identity"],
    frameworks: Frameworks::Mapped(&[
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
    remediation: "Set `include_global_service_events` (Pulumi `includeGlobalServiceEvents`) to true.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every CloudTrail trail (`aws_cloudtrail`, Pulumi `aws:cloudtrail/trail:Trail`): `include_global_service_events` (Pulumi `includeGlobalServiceEvents`) must not be false. Not set means true, the provider default, and passes. A value known only after apply is indeterminate.",
        why: "IAM, STS and CloudFront are global services: their events (new users, new access keys, policy changes, role assumptions) are delivered only to trails that include global service events. Without them the trail records what an attacker does with an identity but not how they created it.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, includeGlobalServiceEvents: false });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      include_global_service_events = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, includeGlobalServiceEvents: true });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      include_global_service_events = true
    }"#,
        fix: "Remove `includeGlobalServiceEvents: false` (Pulumi) or `include_global_service_events = false` (Terraform), or set it to true; under `remediate` guardrail sets it. If several trails would then duplicate global events, keep them on the multi-region trail.",
        references: &[
            "AWS CloudTrail User Guide: Global service events — https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

const PATH: &str = "includeGlobalServiceEvents";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    flag_on_verdict(
        view,
        PATH,
        true,
        "CloudTrail trail",
        "leaves out global service events (IAM, STS, CloudFront); include them",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    flag_on_fix(view, PATH, true)
}
