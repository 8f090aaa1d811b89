//! AWS-EC2-011: launch templates and launch configurations enable detailed monitoring.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, canonical, read, with};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-011",
    name: "ec2-launch-template-detailed-monitoring",
    title: "Launch templates and launch configurations enable detailed monitoring",
    description: "Instances launched by Auto Scaling need one-minute metrics for alarms and \
                  scaling policies to react in time.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ec2"],
    topics: &["monitoring"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.16"] },
        Control { framework: "nist-800-53", controls: &["SI-4"] },
    ]),
    resource_types: &[
        "aws_launch_template",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws_launch_configuration",
        "aws:ec2/launchConfiguration:LaunchConfiguration",
    ],
    remediation: "Set `monitoring.enabled = true` on the launch template (`enable_monitoring` \
                  on a launch configuration).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "An `aws_launch_template` (Pulumi `aws:ec2/launchTemplate:LaunchTemplate`) must \
               set `monitoring.enabled = true` (Pulumi `monitoring.enabled`); absent means \
               basic monitoring, a violation. An `aws_launch_configuration` (Pulumi \
               `aws:ec2/launchConfiguration:LaunchConfiguration`) must not set \
               `enable_monitoring = false` (Pulumi `enableMonitoring`; the default there is \
               true). A value known only after apply is indeterminate.",
        why: "Auto Scaling policies and CloudWatch alarms work on the instance metrics; with \
              five-minute metrics they react late to load spikes and failures. Detailed \
              monitoring gives one-minute granularity for a small per-instance charge.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.LaunchTemplate("workers", { imageId: ami.id, instanceType: "m6i.large" });

Terraform:

    resource "aws_launch_template" "workers" {
      image_id      = data.aws_ami.al2023.id
      instance_type = "m6i.large"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.LaunchTemplate("workers", {
        imageId: ami.id, instanceType: "m6i.large", monitoring: { enabled: true },
    });

Terraform:

    resource "aws_launch_template" "workers" {
      image_id      = data.aws_ami.al2023.id
      instance_type = "m6i.large"
      monitoring {
        enabled = true
      }
    }"#,
        fix: "Launch templates: add `monitoring { enabled = true }` (Pulumi `monitoring: { \
              enabled: true }`). Launch configurations: remove `enable_monitoring = false` or \
              set it to true. Under `remediate` guardrail makes the change.",
        references: &[
            "AWS: Configure monitoring for Auto Scaling instances — https://docs.aws.amazon.com/autoscaling/ec2/userguide/enable-as-instance-metrics.html",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

/// The path to fix and whether monitoring is on.
fn state(view: ResourceView<'_>) -> Result<(&'static str, bool), Halt> {
    if canonical(&view) == "aws_launch_configuration" {
        let on = read(view, "enableMonitoring")?.and_then(Value::as_bool) != Some(false);
        Ok(("enableMonitoring", on))
    } else {
        let on = read(view, "monitoring.enabled")?.and_then(Value::as_bool) == Some(true);
        Ok(("monitoring.enabled", on))
    }
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let (path, on) = state(view)?;
    if on {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "`{}` launches instances without detailed monitoring",
            view.resource.name
        ))
        .at(at(view, path)),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    let (path, on) = state(view)?;
    if on {
        return Ok(None);
    }
    Ok(Some(with(view, path, Value::Bool(true))))
}
