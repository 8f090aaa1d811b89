//! AWS-EC2-010: EC2 instances have detailed monitoring.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read_inline, with};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-010",
    name: "ec2-instance-detailed-monitoring",
    title: "EC2 instances have detailed monitoring",
    description: "Detailed monitoring publishes instance metrics every minute instead of every \
                  five, so alarms and auto scaling react to incidents in time.",
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
    resource_types: &["aws_instance", "aws:ec2/instance:Instance"],
    remediation: "Set `monitoring = true` on the instance.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_instance` (Pulumi `aws:ec2/instance:Instance`) must set `monitoring = \
               true`. False or not set (the default is basic, five-minute monitoring) is a \
               violation. In Terraform plans a `monitoring` the configuration leaves out (shown \
               as known after apply) counts as not set; a value known only after \
               apply is indeterminate. \
               This is AWSGuard's `ec2-instance-detailed-monitoring-enabled`.",
        why: "With five-minute metrics a CPU spike, a runaway process or a crypto-miner shows \
              up late and averaged away; alarms fire minutes after users noticed, and \
              step-scaling reacts slowly. One-minute metrics cost a few cents per instance per \
              month.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.Instance("app", { ami: ami.id, instanceType: "t3.micro" });

Terraform:

    resource "aws_instance" "app" {
      ami           = data.aws_ami.al2023.id
      instance_type = "t3.micro"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.Instance("app", { ami: ami.id, instanceType: "t3.micro", monitoring: true });

Terraform:

    resource "aws_instance" "app" {
      ami           = data.aws_ami.al2023.id
      instance_type = "t3.micro"
      monitoring    = true
    }"#,
        fix: "Set `monitoring = true` (Pulumi `monitoring: true`); under `remediate` guardrail \
              sets it. The change applies in place and adds CloudWatch detailed-monitoring \
              charges.",
        references: &[
            "AWS: Manage detailed monitoring for your EC2 instances — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/manage-detailed-monitoring.html",
            "Pulumi AWSGuard policy pack: ec2-instance-detailed-monitoring-enabled",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn on(view: ResourceView<'_>) -> Result<bool, Halt> {
    Ok(read_inline(view, "monitoring")?.and_then(Value::as_bool) == Some(true))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if on(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "instance `{}` has no detailed monitoring",
            view.resource.name
        ))
        .at(at(view, "monitoring")),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if on(view)? {
        return Ok(None);
    }
    Ok(Some(with(view, "monitoring", Value::Bool(true))))
}
