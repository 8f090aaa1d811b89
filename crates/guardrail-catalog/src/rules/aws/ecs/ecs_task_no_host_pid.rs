//! AWS-ECS-007: ECS task definitions do not share the host process namespace

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECS-007",
    name: "ecs-task-no-host-pid",
    title: "ECS task definitions do not share the host process namespace",
    description: "With `pid_mode = \"host\"` containers see and can signal every process on the instance, including other tasks and the ECS agent.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ecs"],
    topics: &["least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.2"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6", "SC-39"],
        },
    ]),
    resource_types: &[
        "aws_ecs_task_definition",
        "aws:ecs/taskDefinition:TaskDefinition",
    ],
    remediation: "Remove `pid_mode = \"host\"` (Pulumi `pidMode`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECS task definition (`aws_ecs_task_definition`, Pulumi `aws:ecs/taskDefinition:TaskDefinition`) whose `pid_mode` (Pulumi `pidMode`) is `host` is a violation; `task` and not set pass. A mode known only after apply is indeterminate.",
        why: "Sharing the host's process namespace breaks the isolation between containers: a compromised container can inspect other processes' environment and memory maps, kill them, or attach to them with enough privileges. AWS Security Hub ECS.3 rates it high.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ecs.TaskDefinition("web", {
        family: "web",
        pidMode: "host",
        containerDefinitions: JSON.stringify([{
            name: "web", image: "web:1.4", essential: true,
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      pid_mode = "host"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true,
      }])
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ecs.TaskDefinition("web", {
        family: "web",
        pidMode: "task",
        containerDefinitions: JSON.stringify([{
            name: "web", image: "web:1.4", essential: true,
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      pid_mode = "task"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true,
      }])
    }"#,
        fix: "Remove `pidMode: \"host\"` (Pulumi) or `pid_mode = \"host\"` (Terraform), or use `task` to share processes only among the task's own containers.",
        references: &[
            "AWS Security Hub: [ECS.3] ECS task definitions should not share the host's process namespace — https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let mode = text(view, "pidMode")?;
    if !mode.is_some_and(|m| m.eq_ignore_ascii_case("host")) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "task definition `{}` shares the host process namespace; drop `pid_mode = host`",
            view.resource.name
        ))
        .at(at(view, "pidMode")),
    ))
}
