//! AWS-CLOUDTRAIL-006: CloudTrail trails deliver to CloudWatch Logs

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDTRAIL-006",
    name: "cloudtrail-cloudwatch-logs",
    title: "CloudTrail trails deliver to CloudWatch Logs",
    description: "A trail that only writes to S3 cannot drive metric filters and alarms; delivering to CloudWatch Logs enables near-real-time detection.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudtrail"],
    topics: &["logging", "monitoring"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["10.4.1.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC7.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.16"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.308(a)(1)(ii)(D)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AU-6", "SI-4"],
        },
    ]),
    resource_types: &[
        "aws_cloudtrail",
        "aws:cloudtrail/trail:Trail",
    ],
    remediation: "Set `cloud_watch_logs_group_arn` (Pulumi `cloudWatchLogsGroupArn`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every CloudTrail trail (`aws_cloudtrail`, Pulumi `aws:cloudtrail/trail:Trail`): `cloud_watch_logs_group_arn` (Pulumi `cloudWatchLogsGroupArn`) must name a log group. Not set is a violation. A value known only after apply is indeterminate.",
        why: "The CIS monitoring controls (section 4: unauthorised API calls, root use, IAM and security group changes...) are metric filters on the trail's CloudWatch Logs group. Without delivery there is nothing to alarm on, and investigations must wait for S3 delivery and offline queries.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, isMultiRegionTrail: true });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      is_multi_region_trail = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, cloudWatchLogsGroupArn: pulumi.interpolate`${group.arn}:*`, cloudWatchLogsRoleArn: role.arn });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
      cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
    }"#,
        fix: "Create a log group and a role CloudTrail can assume to write to it, then set `cloudWatchLogsGroupArn: pulumi.interpolate`${group.arn}:*`` and `cloudWatchLogsRoleArn` (Pulumi), or `cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.trail.arn}:*\"` and `cloud_watch_logs_role_arn` (Terraform).",
        references: &[
            "AWS CloudTrail User Guide: Sending events to CloudWatch Logs — https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html",
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: section 4 (Monitoring) builds on CloudWatch Logs delivery",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const PATH: &str = "cloudWatchLogsGroupArn";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if text(view, PATH)?.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "CloudTrail trail `{}` does not deliver to CloudWatch Logs; set a log group",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}
