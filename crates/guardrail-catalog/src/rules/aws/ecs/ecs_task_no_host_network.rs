//! AWS-ECS-006: ECS task definitions do not use host networking

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECS-006",
    name: "ecs-task-no-host-network",
    title: "ECS task definitions do not use host networking",
    description: "In `host` network mode containers share the instance's network stack: they bypass task-level security groups and can reach the instance metadata service.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ecs"],
    topics: &["network", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["1.3.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.6"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.22"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-7", "AC-6"],
        },
    ]),
    resource_types: &[
        "aws_ecs_task_definition",
        "aws:ecs/taskDefinition:TaskDefinition",
    ],
    remediation: "Remove `network_mode = \"host\"` (Pulumi `networkMode`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECS task definition (`aws_ecs_task_definition`, Pulumi `aws:ecs/taskDefinition:TaskDefinition`) whose `network_mode` (Pulumi `networkMode`) is `host` is a violation; `awsvpc`, `bridge`, `none` and not set pass. A mode known only after apply is indeterminate.",
        why: "With host networking a container listens on the instance's interfaces, sees other tasks' traffic on the host, and reaches the EC2 instance metadata service and so the instance role's credentials. `awsvpc` gives each task its own interface and security groups. AWS Security Hub ECS.1 flags host mode combined with privileged or root containers.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ecs.TaskDefinition("web", {
        family: "web",
        networkMode: "host",
        containerDefinitions: JSON.stringify([{
            name: "web", image: "web:1.4", essential: true,
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      network_mode = "host"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true,
      }])
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ecs.TaskDefinition("web", {
        family: "web",
        networkMode: "awsvpc",
        containerDefinitions: JSON.stringify([{
            name: "web", image: "web:1.4", essential: true,
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      network_mode = "awsvpc"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true,
      }])
    }"#,
        fix: "Set `networkMode: \"awsvpc\"` (Pulumi) or `network_mode = \"awsvpc\"` (Terraform) and give the service a `networkConfiguration` with subnets and security groups; containers that really need the host network should run as non-root and unprivileged, with an exemption.",
        references: &[
            "Amazon ECS Developer Guide: Amazon ECS task networking — https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html",
            "AWS Security Hub: [ECS.1] Amazon ECS task definitions should have secure networking modes and user definitions — https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let mode = text(view, "networkMode")?;
    if !mode.is_some_and(|m| m.eq_ignore_ascii_case("host")) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "task definition `{}` uses host networking; use `awsvpc`",
            view.resource.name
        ))
        .at(at(view, "networkMode")),
    ))
}
