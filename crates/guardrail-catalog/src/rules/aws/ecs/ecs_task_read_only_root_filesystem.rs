//! AWS-ECS-002: ECS containers have a read-only root filesystem

use super::{each_container, prop};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECS-002",
    name: "ecs-task-read-only-root-filesystem",
    title: "ECS containers have a read-only root filesystem",
    description: "A writable root filesystem lets an attacker who gets code execution plant tools and persist changes inside the container.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ecs"],
    topics: &["least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC6.8"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.9"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CM-7", "SI-7"],
        },
    ]),
    resource_types: &[
        "aws_ecs_task_definition",
        "aws:ecs/taskDefinition:TaskDefinition",
    ],
    remediation: "Set `readonlyRootFilesystem: true` and mount writable volumes only where the application writes.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECS task definition (`aws_ecs_task_definition`, Pulumi `aws:ecs/taskDefinition:TaskDefinition`): the JSON list in `container_definitions` (Pulumi `containerDefinitions`; a string, or a list when a Pulumi program passes one) is parsed and each container checked. A container without `\"readonlyRootFilesystem\": true` (not set means false) is a violation. Definitions known only after apply (for example built with `pulumi.jsonStringify` of outputs) are indeterminate; text that is not a JSON list is not applicable.",
        why: "With a read-only root filesystem, malware cannot be written into the image's directories, configuration cannot be tampered with, and the container stays what was scanned and signed. Writable paths become explicit volumes. AWS Security Hub ECS.5 asks for it.",
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
            name: "web", image: "web:1.4", essential: true, readonlyRootFilesystem: true,
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true, readonlyRootFilesystem = true
      }])
    }"#,
        fix: "Add `readonlyRootFilesystem: true` to each container definition (Pulumi `containerDefinitions`, Terraform `jsonencode`), and give paths the application writes to (`/tmp`, caches) a volume with `mountPoints`.",
        references: &[
            "AWS Security Hub: [ECS.5] ECS containers should be limited to read-only access to root filesystems — https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html",
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
        let read_only = prop(container, "readonlyRootFilesystem")?.and_then(|v| v.as_bool());
        Ok((read_only != Some(true))
            .then(|| "has a writable root filesystem; set `readonlyRootFilesystem`".to_string()))
    })
}
