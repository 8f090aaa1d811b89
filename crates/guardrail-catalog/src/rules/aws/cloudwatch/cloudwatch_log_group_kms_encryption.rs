//! AWS-CLOUDWATCH-002: CloudWatch log groups are encrypted with a KMS key

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDWATCH-002",
    name: "cloudwatch-log-group-kms-encryption",
    title: "CloudWatch log groups are encrypted with a KMS key",
    description: "Log groups are encrypted by CloudWatch by default; a KMS key adds access control and an audit trail to reading sensitive logs.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudwatch"],
    topics: &["encryption", "logging"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["10.3.2"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(2)(iv)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-28", "AU-9"],
        },
    ]),
    resource_types: &[
        "aws_cloudwatch_log_group",
        "aws:cloudwatch/logGroup:LogGroup",
    ],
    remediation: "Set `kms_key_id` (Pulumi `kmsKeyId`) to a KMS key ARN.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every CloudWatch log group (`aws_cloudwatch_log_group`, Pulumi `aws:cloudwatch/logGroup:LogGroup`) must set `kms_key_id` (Pulumi `kmsKeyId`). Not set is a violation. A key known only after apply is indeterminate.",
        why: "Application and audit logs routinely contain personal data, tokens and internal addresses. With a KMS key, reading them needs `kms:Decrypt` as well as `logs:GetLogEvents`, access is logged in CloudTrail, and revoking the key cuts access. The key policy must allow the `logs.<region>.amazonaws.com` service principal.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudwatch.LogGroup("api", { name: "/app/api" });

Terraform:

    resource "aws_cloudwatch_log_group" "api" {
      name = "/app/api"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudwatch.LogGroup("api", { name: "/app/api", kmsKeyId: key.arn });

Terraform:

    resource "aws_cloudwatch_log_group" "api" {
      name = "/app/api"
      kms_key_id = aws_kms_key.logs.arn
    }"#,
        fix: "Create a KMS key whose policy lets `logs.<region>.amazonaws.com` use it (with the log group ARN as encryption context), then set `kmsKeyId: key.arn` (Pulumi) or `kms_key_id = aws_kms_key.logs.arn` (Terraform).",
        references: &[
            "Amazon CloudWatch Logs User Guide: Encrypt log data in CloudWatch Logs using AWS KMS — https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const PATH: &str = "kmsKeyId";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if text(view, PATH)?.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "log group `{}` is not encrypted with a KMS key; set a KMS key",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}
