//! AWS-ECS-003: ECS containers take secrets from Secrets Manager, not plain environment variables

use super::{each_container, prop};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECS-003",
    name: "ecs-task-no-secrets-in-environment",
    title: "ECS containers take secrets from Secrets Manager, not plain environment variables",
    description: "Secrets written into a task definition's environment are visible to anyone who can describe the task definition, and stored in plan files and state.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ecs"],
    topics: &["secrets"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["8.3.2"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.17", "A.8.12"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(1)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["IA-5", "SC-28"],
        },
    ]),
    resource_types: &[
        "aws_ecs_task_definition",
        "aws:ecs/taskDefinition:TaskDefinition",
    ],
    remediation: "Move the value to Secrets Manager or SSM Parameter Store and reference it in the container's `secrets` list.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECS task definition (`aws_ecs_task_definition`, Pulumi `aws:ecs/taskDefinition:TaskDefinition`): the JSON list in `container_definitions` (Pulumi `containerDefinitions`; a string, or a list when a Pulumi program passes one) is parsed and each container checked. An `environment` entry violates when its `name` looks like a secret — it contains `PASSWORD`, `PASSWD`, `SECRET`, `TOKEN`, `API_KEY`, `APIKEY`, `PRIVATE_KEY`, `ACCESS_KEY` or `CREDENTIAL` (any case), and does not end in `_ARN`, `_NAME`, `_ID`, `_FILE`, `_PATH` or `_URL` (which name a secret rather than hold it) — and its value is not empty, or when its value looks like an AWS access key id (`AKIA...`). Values are never printed. An entry known only after apply is indeterminate. Definitions known only after apply (for example built with `pulumi.jsonStringify` of outputs) are indeterminate; text that is not a JSON list is not applicable.",
        why: "Task definitions are readable with `ecs:DescribeTaskDefinition`, which many roles and tools hold, and every revision is kept forever. Values placed there also sit in Terraform plans and state and in Pulumi checkpoints. The `secrets` parameter injects the value at start from Secrets Manager or Parameter Store, under a permission you control. AWS Security Hub ECS.8 flags credentials in environment variables.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ecs.TaskDefinition("web", {
        family: "web",
        containerDefinitions: JSON.stringify([{
            name: "web", image: "web:1.4", essential: true,
            environment: [{ name: "DB_PASSWORD", value: "hunter2" }],
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true,
        environment = [{ name = "DB_PASSWORD", value = "hunter2" }]
      }])
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ecs.TaskDefinition("web", {
        family: "web",
        containerDefinitions: JSON.stringify([{
            name: "web", image: "web:1.4", essential: true,
            secrets: [{ name: "DB_PASSWORD", valueFrom: dbSecret.arn }],
        }]),
    });

Terraform:

    resource "aws_ecs_task_definition" "web" {
      family = "web"
      container_definitions = jsonencode([{
        name = "web", image = "web:1.4", essential = true,
        secrets = [{ name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db.arn }]
      }])
    }"#,
        fix: "Store the value in Secrets Manager (`aws.secretsmanager.Secret` / `aws_secretsmanager_secret`) or as a SecureString parameter, allow the task execution role to read it, and replace the `environment` entry with a `secrets` entry `{ name, valueFrom: <arn> }`. Rotate the exposed value: it is in every earlier task definition revision.",
        references: &[
            "AWS Security Hub: [ECS.8] Secrets should not be passed as container environment variables — https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html",
            "Amazon ECS Developer Guide: Pass sensitive data to an Amazon ECS container — https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

const REFERENCE_SUFFIXES: &[&str] = &["_ARN", "_NAME", "_ID", "_FILE", "_PATH", "_URL"];

fn secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
        && !REFERENCE_SUFFIXES.iter().any(|s| upper.ends_with(s))
}

fn access_key_id(value: &str) -> bool {
    let v = value.trim();
    v.len() == 20
        && (v.starts_with("AKIA") || v.starts_with("ASIA"))
        && v.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    each_container(view, |container| {
        let Some(environment) = prop(container, "environment")? else {
            return Ok(None);
        };
        let mut found = Vec::new();
        for entry in environment.items() {
            if entry.is_unknown() {
                return Err(());
            }
            let name = prop(entry, "name")?
                .and_then(Value::as_str)
                .unwrap_or_default();
            let value = prop(entry, "value")?
                .and_then(Value::as_str)
                .unwrap_or_default();
            if (secret_name(name) && !value.trim().is_empty()) || access_key_id(value) {
                let shown = entry.get("name").map(|n| n.shown().to_string());
                found.push(format!("`{}`", shown.unwrap_or_default()));
            }
        }
        Ok((!found.is_empty()).then(|| {
            format!(
                "passes secrets in plain environment variables ({}); use `secrets` with Secrets \
                 Manager or Parameter Store",
                found.join(", ")
            )
        }))
    })
}
