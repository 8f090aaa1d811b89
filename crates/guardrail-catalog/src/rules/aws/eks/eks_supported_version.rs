//! AWS-EKS-005: EKS clusters run a supported Kubernetes version

use crate::support::{at, text};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EKS-005",
    name: "eks-supported-version",
    title: "EKS clusters run a supported Kubernetes version",
    description: "Kubernetes versions past their end of support get no security patches, and EKS upgrades them automatically on its own schedule.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["eks"],
    topics: &["vulnerability-management"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["6.3.3"],
        },
        Control {
            framework: "soc2",
            controls: &["CC7.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.8"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SI-2", "SA-22"],
        },
    ]),
    resource_types: &[
        "aws_eks_cluster",
        "aws:eks/cluster:Cluster",
    ],
    remediation: "Upgrade the cluster's `version` one minor version at a time to a supported release.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Every EKS cluster (`aws_eks_cluster`, Pulumi `aws:eks/cluster:Cluster`): `version` must be at least `minimumVersion` (default `1.31`, the oldest release still in EKS extended support when this rule was last updated; raise it as versions leave support). Not set means EKS picks the latest version, and passes. A version known only after apply is indeterminate.",
        why: "Each Kubernetes minor version gets 14 months of standard and 12 of extended (paid) support on EKS. After that it receives no CVE fixes, and EKS upgrades the control plane itself, possibly at a bad moment. AWS Security Hub EKS.2 asks for a supported version; PCI DSS 6.3.3 for patched components.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.eks.Cluster("prod", {
        roleArn: role.arn, version: "1.27",
        vpcConfig: { subnetIds: privateSubnetIds },
    });

Terraform:

    resource "aws_eks_cluster" "prod" {
      name     = "prod"
      role_arn = aws_iam_role.eks.arn
      version  = "1.27"
      vpc_config {
        subnet_ids = aws_subnet.private[*].id
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.eks.Cluster("prod", {
        roleArn: role.arn, version: "1.33",
        vpcConfig: { subnetIds: privateSubnetIds },
    });

Terraform:

    resource "aws_eks_cluster" "prod" {
      name     = "prod"
      role_arn = aws_iam_role.eks.arn
      version  = "1.33"
      vpc_config {
        subnet_ids = aws_subnet.private[*].id
      }
    }"#,
        fix: "Raise `version` one minor release at a time (Pulumi and Terraform alike), upgrading managed node groups and add-ons after each step; check deprecated APIs first (for example with `kubent` or EKS upgrade insights). Adjust `minimumVersion` in the rule's configuration as the EKS calendar moves.",
        references: &[
            "Amazon EKS User Guide: Kubernetes version lifecycle on EKS — https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
            "AWS Security Hub: [EKS.2] EKS clusters should run on a supported Kubernetes version — https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

/// `major.minor` as numbers.
fn version(text: &str) -> Option<(u32, u32)> {
    let mut parts = text.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let minimum = config
        .get("minimumVersion")
        .and_then(serde_json::Value::as_str)
        .and_then(version)
        .ok_or_else(|| Halt::error("config `minimumVersion` must be a `major.minor` string"))?;
    let Some(current) = text(view, "version")? else {
        return Ok(Verdict::Pass);
    };
    let Some(parsed) = version(current) else {
        return Ok(Verdict::not_applicable(format!(
            "version `{current}` is not major.minor"
        )));
    };
    if parsed >= minimum {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "EKS cluster `{}` runs Kubernetes {current}, older than the supported minimum {}.{}; \
             upgrade it",
            view.resource.name, minimum.0, minimum.1
        ))
        .at(at(view, "version")),
    ))
}

fn schema() -> serde_json::Value {
    serde_json::json!({"type": "object", "properties": {"minimumVersion": {"description": "The oldest Kubernetes minor version allowed, as `major.minor`.", "type": "string", "default": "1.31"}}})
}
