//! AWS-EKS-004: EKS clusters send api, audit and authenticator logs

use crate::support::{at, read, with_unknown_kept};
use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EKS-004",
    name: "eks-control-plane-logging",
    title: "EKS clusters send API, audit and authenticator control-plane logs to CloudWatch",
    description: "Without control-plane logs there is no record of who did what through the Kubernetes API.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["eks"],
    topics: &["logging", "monitoring"],
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
        "aws_eks_cluster",
        "aws:eks/cluster:Cluster",
    ],
    remediation: "Add `api`, `audit` and `authenticator` to `enabled_cluster_log_types`.",
    fix: FixSafety::Safe,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Every EKS cluster (`aws_eks_cluster`, Pulumi `aws:eks/cluster:Cluster`): `enabled_cluster_log_types` (Pulumi `enabledClusterLogTypes`) must include each type in `logTypes` (default `api`, `audit`, `authenticator`). Not set means no logging. One violation names every missing type. A list known only after apply is indeterminate.",
        why: "The audit log is the Kubernetes equivalent of CloudTrail: every request to the API server, by whom, with what result. The authenticator log maps IAM identities to Kubernetes users. Without them an intrusion through a stolen kubeconfig leaves no trace. AWS Security Hub EKS.8 asks for audit logging.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.eks.Cluster("prod", {
        roleArn: role.arn,
        vpcConfig: { subnetIds: privateSubnetIds },
    });

Terraform:

    resource "aws_eks_cluster" "prod" {
      name     = "prod"
      role_arn = aws_iam_role.eks.arn
      vpc_config {
        subnet_ids = aws_subnet.private[*].id
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.eks.Cluster("prod", {
        roleArn: role.arn,
        vpcConfig: { subnetIds: privateSubnetIds },
        enabledClusterLogTypes: ["api", "audit", "authenticator"],
    });

Terraform:

    resource "aws_eks_cluster" "prod" {
      name     = "prod"
      role_arn = aws_iam_role.eks.arn
      vpc_config {
        subnet_ids = aws_subnet.private[*].id
      }
      enabled_cluster_log_types = ["api", "audit", "authenticator"]
    }"#,
        fix: "Set `enabledClusterLogTypes: [\"api\", \"audit\", \"authenticator\"]` (Pulumi) or `enabled_cluster_log_types = [...]` (Terraform); under `remediate` guardrail adds the missing ones (configured by `logTypes`). Logs go to `/aws/eks/<cluster>/cluster`; create that log group yourself to set its retention and encryption.",
        references: &[
            "Amazon EKS User Guide: Send control plane logs to CloudWatch Logs — https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
            "AWS Security Hub: [EKS.8] EKS clusters should have audit logging enabled — https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn wanted(config: &serde_json::Value) -> Result<Vec<&str>, Halt> {
    match config.get("logTypes") {
        Some(serde_json::Value::Array(list)) => {
            Ok(list.iter().filter_map(|v| v.as_str()).collect())
        }
        _ => Err(Halt::error("config `logTypes` must be a list of log types")),
    }
}

/// The wanted log types the cluster does not enable.
fn missing<'c>(view: ResourceView<'_>, wanted: &[&'c str]) -> Result<Vec<&'c str>, Halt> {
    let path = at(view, "enabledClusterLogTypes");
    let enabled = read(view, "enabledClusterLogTypes")?;
    let mut have = Vec::new();
    if let Some(list) = enabled {
        for item in list.items() {
            if item.is_unknown() {
                return Err(Halt::unknown(path));
            }
            if let Some(s) = item.as_str() {
                have.push(s);
            }
        }
    }
    Ok(wanted
        .iter()
        .copied()
        .filter(|w| !have.contains(w))
        .collect())
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let wanted = wanted(config)?;
    let missing = missing(view, &wanted)?;
    if missing.is_empty() {
        return Ok(Verdict::Pass);
    }
    let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
    Ok(Verdict::violation(
        Violation::new(format!(
            "EKS cluster `{}` does not send control-plane logs {}; enable them",
            view.resource.name,
            names.join(", ")
        ))
        .at(at(view, "enabledClusterLogTypes")),
    ))
}

fn remediate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    let wanted = wanted(config)?;
    let missing = missing(view, &wanted)?;
    if missing.is_empty() {
        return Ok(None);
    }
    let mut list: Vec<Value> = read(view, "enabledClusterLogTypes")?
        .map(|l| l.items().cloned().collect())
        .unwrap_or_default();
    list.extend(missing.into_iter().map(Value::string));
    Ok(Some(with_unknown_kept(
        view,
        "enabledClusterLogTypes",
        Value::Array(list),
    )))
}

fn schema() -> serde_json::Value {
    serde_json::json!({"type": "object", "properties": {"logTypes": {"description": "Control-plane log types every cluster must enable.", "type": "array", "items": {"type": "string", "enum": ["api", "audit", "authenticator", "controllerManager", "scheduler"]}, "default": ["api", "audit", "authenticator"]}}})
}
