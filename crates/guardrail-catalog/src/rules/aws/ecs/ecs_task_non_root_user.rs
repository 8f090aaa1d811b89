//! AWS-ECS-004: ECS containers run as a non-root user

use super::{each_container, prop};
use crate::support::read;
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECS-004",
    name: "ecs-task-non-root-user",
    title: "ECS containers run as a non-root user",
    description: "Containers run as root unless told otherwise; a process running as root inside the container is one kernel or runtime bug away from root on the host.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
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
            controls: &["AC-6"],
        },
    ]),
    resource_types: &[
        "aws_ecs_task_definition",
        "aws:ecs/taskDefinition:TaskDefinition",
    ],
    remediation: "Set the container's `user` to a non-root uid (for example `\"1000\"` or `\"app\"`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECS task definition (`aws_ecs_task_definition`, Pulumi `aws:ecs/taskDefinition:TaskDefinition`): the JSON list in `container_definitions` (Pulumi `containerDefinitions`; a string, or a list when a Pulumi program passes one) is parsed and each container checked. A container whose `user` is not set (the image's default, usually root), or is `root`, `0`, or `root:`/`0:` with a group, is a violation. Windows containers (task definitions with `runtimePlatform.operatingSystemFamily` starting `WINDOWS`) are not applicable. Definitions known only after apply (for example built with `pulumi.jsonStringify` of outputs) are indeterminate; text that is not a JSON list is not applicable.",
        why: "Running as root inside a container makes every container escape and every writable host mount a root compromise, and lets the process change anything inside the container. A non-root user is the cheapest defence in depth there is. AWS Security Hub ECS.1 looks for task definitions that combine host networking with root users.",
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
            name: "web", image: "web:1.4", essential: true, user: "1000",
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true, user = "1000"
      }])
    }"#,
        fix: "Build the image with a non-root `USER` and set `user: \"1000\"` (or the user name) in each container definition (Pulumi `containerDefinitions`, Terraform `jsonencode`). Make sure the files the process writes are owned by that user.",
        references: &[
            "Amazon ECS Developer Guide: Task definition parameters (user) — https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html",
            "AWS Security Hub: [ECS.1] Amazon ECS task definitions should have secure networking modes and user definitions — https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn is_root(user: &str) -> bool {
    let who = user.trim().split(':').next().unwrap_or_default();
    who.is_empty() || who == "root" || who == "0"
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let family = read(view, "runtimePlatform.operatingSystemFamily")?
        .and_then(Value::as_str)
        .unwrap_or("LINUX");
    if family.to_ascii_uppercase().starts_with("WINDOWS") {
        return Ok(Verdict::not_applicable("a Windows task definition"));
    }
    each_container(view, |container| {
        let user = prop(container, "user")?.and_then(Value::as_str);
        Ok(match user {
            None => Some("sets no `user` and so runs as the image's default, usually root".into()),
            Some(u) if is_root(u) => Some(format!(
                "runs as root (`{}`); set a non-root `user`",
                container
                    .get("user")
                    .map(|u| u.shown().to_string())
                    .unwrap_or_default()
            )),
            Some(_) => None,
        })
    })
}
