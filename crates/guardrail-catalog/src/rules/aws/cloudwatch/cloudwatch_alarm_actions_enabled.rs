//! AWS-CLOUDWATCH-003: CloudWatch alarms have actions enabled

use crate::support::{flag_on_fix, flag_on_verdict};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDWATCH-003",
    name: "cloudwatch-alarm-actions-enabled",
    title: "CloudWatch alarms have their actions enabled",
    description: "An alarm whose actions are disabled changes state without notifying anyone or triggering its remediation.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudwatch"],
    topics: &["monitoring"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC7.2", "CC7.3"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.16"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SI-4", "IR-4"],
        },
    ]),
    resource_types: &[
        "aws_cloudwatch_metric_alarm",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
    ],
    remediation: "Set `actions_enabled = true` (the default).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every CloudWatch metric alarm (`aws_cloudwatch_metric_alarm`, Pulumi `aws:cloudwatch/metricAlarm:MetricAlarm`): `actions_enabled` (Pulumi `actionsEnabled`) must not be false. Not set means true, the default, and passes. A value known only after apply is indeterminate.",
        why: "Alarms exist to act: page the on-call engineer, scale out, stop an instance. With actions disabled the alarm looks configured in every review while doing nothing when it fires — often left over from a maintenance window. AWS Security Hub CloudWatch.17 asks for enabled actions.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudwatch.MetricAlarm("api-errors", { /* metric and threshold */ alarmActions: [ops.arn], actionsEnabled: false });

Terraform:

    resource "aws_cloudwatch_metric_alarm" "api_errors" {
      # metric and threshold
      alarm_actions   = [aws_sns_topic.ops.arn]
      actions_enabled = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudwatch.MetricAlarm("api-errors", { /* metric and threshold */ alarmActions: [ops.arn] });

Terraform:

    resource "aws_cloudwatch_metric_alarm" "api_errors" {
      # metric and threshold
      alarm_actions = [aws_sns_topic.ops.arn]
    }"#,
        fix: "Remove `actionsEnabled: false` (Pulumi) or `actions_enabled = false` (Terraform), or set it to true; under `remediate` guardrail sets it. To silence an alarm during maintenance, use a time-bound exemption or composite alarm suppression instead.",
        references: &[
            "Amazon CloudWatch User Guide: Using Amazon CloudWatch alarms — https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html",
            "AWS Security Hub: [CloudWatch.17] CloudWatch alarm actions should be activated — https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

const PATH: &str = "actionsEnabled";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    flag_on_verdict(
        view,
        PATH,
        true,
        "CloudWatch alarm",
        "has its actions disabled; enable them",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    flag_on_fix(view, PATH, true)
}
