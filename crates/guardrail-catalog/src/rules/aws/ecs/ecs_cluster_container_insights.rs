//! AWS-ECS-008: ECS clusters enable Container Insights

use crate::support::{at, read_first};
use guardrail_core::{
    Enforcement, FixSafety, Halt, Map, ResourceView, Severity, Spelling, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECS-008",
    name: "ecs-cluster-container-insights",
    title: "ECS clusters enable Container Insights",
    description: "Container Insights collects per-task CPU, memory, network and restart metrics that detection and troubleshooting rely on.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ecs"],
    topics: &["monitoring"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC7.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.16"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SI-4", "AU-12"],
        },
    ]),
    resource_types: &[
        "aws_ecs_cluster",
        "aws:ecs/cluster:Cluster",
    ],
    remediation: "Add the setting `containerInsights` = `enabled` (or `enhanced`) to the cluster.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECS cluster (`aws_ecs_cluster`, Pulumi `aws:ecs/cluster:Cluster`) must have a `setting` block (Pulumi `settings`) named `containerInsights` whose `value` is `enabled` or `enhanced`. No such setting (the default: disabled, unless the account setting turns it on) or `disabled` is a violation. A setting known only after apply is indeterminate. The account-level default (`aws_ecs_account_setting_default`) is not visible to the rule.",
        why: "Without Container Insights, CloudWatch has only cluster-level service metrics: a task stuck restarting, a container leaking memory or a sudden burst of network traffic from one task (a miner, an exfiltration) goes unseen. AWS Security Hub ECS.12 asks for it.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ecs.Cluster("main", {});

Terraform:

    resource "aws_ecs_cluster" "main" {
      name = "main"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ecs.Cluster("main", { settings: [{ name: "containerInsights", value: "enabled" }] });

Terraform:

    resource "aws_ecs_cluster" "main" {
      name = "main"
      setting {
        name  = "containerInsights"
        value = "enabled"
      }
    }"#,
        fix: "Add `settings: [{ name: \"containerInsights\", value: \"enabled\" }]` (Pulumi) or a `setting { name = \"containerInsights\" value = \"enabled\" }` block (Terraform); under `remediate` guardrail adds it or turns a disabled one on. Container Insights metrics are billed as custom metrics.",
        references: &[
            "Amazon ECS Developer Guide: Container Insights — https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ContainerInsights.html",
            "AWS Security Hub: [ECS.12] ECS clusters should use Container Insights — https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

/// The `containerInsights` setting's value, with the list key and index it sits at.
fn insights(view: ResourceView<'_>) -> Result<Option<(String, &'static str, usize)>, Halt> {
    let Some((settings, key)) = read_first(view, &["settings", "setting"])? else {
        return Ok(None);
    };
    for (i, setting) in settings.items().enumerate() {
        let name = setting
            .field("name")
            .map_err(|_| Halt::unknown(format!("{}[{i}].name", at(view, key))))?;
        if name.and_then(Value::as_str) != Some("containerInsights") {
            continue;
        }
        let value = setting
            .field("value")
            .map_err(|_| Halt::unknown(format!("{}[{i}].value", at(view, key))))?
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Ok(Some((value.to_string(), key, i)));
    }
    Ok(None)
}

fn enabled(value: &str) -> bool {
    value.eq_ignore_ascii_case("enabled") || value.eq_ignore_ascii_case("enhanced")
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let (message, path) = match insights(view)? {
        Some((value, _, _)) if enabled(&value) => return Ok(Verdict::Pass),
        Some((value, key, i)) => (
            format!(
                "ECS cluster `{}` has Container Insights `{value}`; enable it",
                view.resource.name
            ),
            format!("{}[{i}].value", at(view, key)),
        ),
        None => (
            format!(
                "ECS cluster `{}` does not enable Container Insights",
                view.resource.name
            ),
            at(view, "settings"),
        ),
    };
    Ok(Verdict::violation(Violation::new(message).at(path)))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    let mut props = view.props.clone();
    match insights(view)? {
        Some((value, _, _)) if enabled(&value) => return Ok(None),
        Some((_, key, i)) => {
            let Some(Value::Array(items)) = props.get_mut(key) else {
                return Ok(None);
            };
            let Some(item) = items.get_mut(i) else {
                return Ok(None);
            };
            item.set("value", Value::string("enabled"));
        }
        None => {
            let key = match view.resource.spelling {
                Spelling::Pulumi => "settings",
                Spelling::Terraform => "setting",
            };
            let entry: Map = [
                ("name".to_string(), Value::string("containerInsights")),
                ("value".to_string(), Value::string("enabled")),
            ]
            .into_iter()
            .collect();
            match props.get_mut(key) {
                Some(Value::Array(items)) => items.push(Value::Object(entry)),
                _ => {
                    props.set(key, Value::Array(vec![Value::Object(entry)]));
                }
            }
        }
    }
    Ok(Some(props))
}
