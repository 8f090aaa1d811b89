//! AWS-ECS-001: ECS containers do not run privileged

use super::{each_container, prop};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECS-001",
    name: "ecs-task-no-privileged-containers",
    title: "ECS containers do not run privileged",
    description: "A privileged container has root access to the host's devices and kernel capabilities; escaping it compromises every task on the instance.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ecs"],
    topics: &["least-privilege", "network"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["2.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.2", "A.8.9"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6", "CM-7"],
        },
    ]),
    resource_types: &[
        "aws_ecs_task_definition",
        "aws:ecs/taskDefinition:TaskDefinition",
    ],
    remediation: "Remove `privileged: true`; grant only the Linux capabilities the container needs with `linuxParameters.capabilities.add`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECS task definition (`aws_ecs_task_definition`, Pulumi `aws:ecs/taskDefinition:TaskDefinition`): the JSON list in `container_definitions` (Pulumi `containerDefinitions`; a string, or a list when a Pulumi program passes one) is parsed and each container checked. A container with `\"privileged\": true` is a violation. Definitions known only after apply (for example built with `pulumi.jsonStringify` of outputs) are indeterminate; text that is not a JSON list is not applicable.",
        why: "Privileged mode gives the container every Linux capability and access to all host devices: from inside it, mounting the host filesystem or loading kernel modules is trivial. On EC2-backed clusters that means the instance, its role and every other task on it. AWS Security Hub ECS.4 flags it.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ecs.TaskDefinition("web", {
        family: "web",
        containerDefinitions: JSON.stringify([{
            name: "web", image: "web:1.4", essential: true, privileged: true,
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true, privileged = true
      }])
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ecs.TaskDefinition("web", {
        family: "web",
        containerDefinitions: JSON.stringify([{
            name: "web", image: "web:1.4", essential: true, privileged: false,
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true, privileged = false
      }])
    }"#,
        fix: "Remove `privileged` from the container definition (in the Pulumi `containerDefinitions` or the Terraform `jsonencode`) and add the specific capabilities needed under `linuxParameters.capabilities.add`, such as `NET_ADMIN`.",
        references: &[
            "AWS Security Hub: [ECS.4] ECS containers should run as non-privileged — https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html",
            "Amazon ECS Developer Guide: Task definition parameters (privileged) — https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
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
        let privileged = prop(container, "privileged")?.and_then(|v| v.as_bool());
        Ok((privileged == Some(true)).then(|| "runs privileged; drop `privileged`".to_string()))
    })
}
