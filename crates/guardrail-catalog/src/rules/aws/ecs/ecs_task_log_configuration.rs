//! AWS-ECS-005: ECS containers send their logs somewhere

use super::{each_container, prop};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECS-005",
    name: "ecs-task-log-configuration",
    title: "ECS containers send their logs somewhere",
    description: "A container without a log configuration writes its output nowhere you can read after the task stops.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ecs"],
    topics: &["logging"],
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
        "aws_ecs_task_definition",
        "aws:ecs/taskDefinition:TaskDefinition",
    ],
    remediation: "Add a `logConfiguration` with a `logDriver` (`awslogs`, `awsfirelens`, `splunk`...) to every container.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECS task definition (`aws_ecs_task_definition`, Pulumi `aws:ecs/taskDefinition:TaskDefinition`): the JSON list in `container_definitions` (Pulumi `containerDefinitions`; a string, or a list when a Pulumi program passes one) is parsed and each container checked. A container without `logConfiguration.logDriver` is a violation. Definitions known only after apply (for example built with `pulumi.jsonStringify` of outputs) are indeterminate; text that is not a JSON list is not applicable.",
        why: "Application logs are the record of what a container did: errors, requests, and the traces an attacker leaves. Fargate tasks without a log driver lose them when the task stops; on EC2 they sit on the instance until it is replaced. AWS Security Hub ECS.9 asks for a logging configuration.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ecs.TaskDefinition("web", {
        family: "web",
        containerDefinitions: JSON.stringify([{
            name: "web", image: "web:1.4", essential: true,
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true,
      }])
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ecs.TaskDefinition("web", {
        family: "web",
        containerDefinitions: JSON.stringify([{
            name: "web", image: "web:1.4", essential: true,
            logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": group.name, "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "web" } },
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true,
        logConfiguration = { logDriver = "awslogs", options = { "awslogs-group" = aws_cloudwatch_log_group.web.name, "awslogs-region" = "eu-west-1", "awslogs-stream-prefix" = "web" } }
      }])
    }"#,
        fix: "Create a log group and add `logConfiguration: { logDriver: \"awslogs\", options: {...} }` to each container definition (Pulumi `containerDefinitions`, Terraform `jsonencode`); the execution role needs `logs:CreateLogStream` and `logs:PutLogEvents`.",
        references: &[
            "AWS Security Hub: [ECS.9] ECS task definitions should have a logging configuration — https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html",
            "Amazon ECS Developer Guide: Send Amazon ECS logs to CloudWatch — https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    each_container(view, |container| {
        let driver = prop(container, "logConfiguration.logDriver")?
            .and_then(Value::as_str)
            .filter(|d| !d.trim().is_empty());
        Ok(driver
            .is_none()
            .then(|| "has no log configuration; set `logConfiguration.logDriver`".to_string()))
    })
}
