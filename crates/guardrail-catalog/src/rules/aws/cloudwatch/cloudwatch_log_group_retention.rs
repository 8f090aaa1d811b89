//! AWS-CLOUDWATCH-001: CloudWatch log groups keep logs for at least a year

use crate::support::{at, config_int, read};
use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDWATCH-001",
    name: "cloudwatch-log-group-retention",
    title: "CloudWatch log groups keep events for at least a year",
    description: "Logs deleted after a few days are gone when an intrusion is discovered months later; keep them at least a year.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudwatch"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["10.5.1"],
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
            controls: &["AU-11"],
        },
    ]),
    resource_types: &[
        "aws_cloudwatch_log_group",
        "aws:cloudwatch/logGroup:LogGroup",
    ],
    remediation: "Set `retention_in_days` to 365 or more (or 0 to never expire).",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Every CloudWatch log group (`aws_cloudwatch_log_group`, Pulumi `aws:cloudwatch/logGroup:LogGroup`): `retention_in_days` (Pulumi `retentionInDays`) must be 0 or not set (events never expire) or at least `minimumDays` (default 365). A shorter retention is a violation. A value known only after apply is indeterminate.",
        why: "The median time to detect a breach is measured in months. PCI DSS 10.5.1 asks for twelve months of audit log history (three immediately available); AWS Security Hub CloudWatch.16 for at least a year. Short retentions chosen to save cost delete exactly the evidence an investigation needs; archive old logs to S3 instead if cost matters.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudwatch.LogGroup("api", { name: "/app/api", retentionInDays: 14 });

Terraform:

    resource "aws_cloudwatch_log_group" "api" {
      name = "/app/api"
      retention_in_days = 14
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudwatch.LogGroup("api", { name: "/app/api", retentionInDays: 365 });

Terraform:

    resource "aws_cloudwatch_log_group" "api" {
      name = "/app/api"
      retention_in_days = 365
    }"#,
        fix: "Set `retentionInDays: 365` (Pulumi) or `retention_in_days = 365` (Terraform), or the configured `minimumDays`, or a longer allowed value (400, 545, 731, ...). To save cost, export to S3 with lifecycle rules rather than shortening retention.",
        references: &[
            "Amazon CloudWatch Logs User Guide: Change log data retention — https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
            "AWS Security Hub: [CloudWatch.16] CloudWatch log groups should be retained for a specified time period — https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html",
            "PCI DSS v4.0: 10.5.1",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let minimum = config_int(config, "minimumDays", "an integer")?;
    let days = read(view, "retentionInDays")?
        .and_then(Value::as_i64)
        .unwrap_or(0);
    // 0 (or not set) keeps events forever.
    if days <= 0 || days >= minimum {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "log group `{}` keeps events for {}, less than the required {minimum}",
            view.resource.name,
            guardrail_core::plural(days, "day", "days")
        ))
        .at(at(view, "retentionInDays")),
    ))
}

fn schema() -> serde_json::Value {
    serde_json::json!({"type": "object", "properties": {"minimumDays": {"description": "The shortest retention allowed, in days.", "type": "integer", "minimum": 1, "default": 365}}})
}
