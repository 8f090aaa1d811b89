//! AWS-EKS-003: EKS clusters envelope-encrypt secrets with a KMS key

use crate::support::{at, read_first};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EKS-003",
    name: "eks-secrets-encryption",
    title: "EKS clusters envelope-encrypt Kubernetes secrets with a customer managed KMS key",
    description: "Envelope encryption with your own KMS key protects Kubernetes secrets in etcd with a key you control, audit and can revoke.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["eks"],
    topics: &["encryption", "secrets"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["3.5.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(2)(iv)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-28", "SC-12"],
        },
    ]),
    resource_types: &[
        "aws_eks_cluster",
        "aws:eks/cluster:Cluster",
    ],
    remediation: "Add `encryption_config { resources = [\"secrets\"] provider { key_arn = ... } }`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every EKS cluster (`aws_eks_cluster`, Pulumi `aws:eks/cluster:Cluster`) must have an `encryption_config` block (Pulumi `encryptionConfig`) whose `resources` include `secrets`. No block is a violation. Values known only after apply are indeterminate.",
        why: "Kubernetes secrets hold database passwords, tokens and keys. EKS encrypts etcd volumes, and newer platform versions add default envelope encryption with an AWS owned key; a customer managed key adds what compliance asks for: a key policy you control, CloudTrail records of each use, and the ability to revoke access. AWS Security Hub EKS.3 asks for it. Adding it to an existing cluster is one-way: it cannot be removed.",
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
        encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } },
    });

Terraform:

    resource "aws_eks_cluster" "prod" {
      name     = "prod"
      role_arn = aws_iam_role.eks.arn
      vpc_config {
        subnet_ids = aws_subnet.private[*].id
      }
      encryption_config {
        resources = ["secrets"]
        provider {
          key_arn = aws_kms_key.eks.arn
        }
      }
    }"#,
        fix: "Create a symmetric KMS key the cluster role may use and add `encryptionConfig: { resources: [\"secrets\"], provider: { keyArn: key.arn } }` (Pulumi) or the `encryption_config` block (Terraform). Re-encrypt existing secrets afterwards (`kubectl get secrets -A -o json | kubectl replace -f -`).",
        references: &[
            "Amazon EKS User Guide: Encrypt Kubernetes secrets with KMS on existing clusters — https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html",
            "AWS Security Hub: [EKS.3] EKS clusters should use encrypted Kubernetes secrets — https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let mut unknown = None;
    if let Some((configs, key)) = read_first(view, &["encryptionConfig", "encryptionConfigs"])? {
        for (i, config) in configs.items().enumerate() {
            match config.field("resources") {
                Err(_) => {
                    unknown.get_or_insert(format!("{}[{i}].resources", at(view, key)));
                }
                Ok(Some(resources)) => {
                    if resources.items().any(|r| r.is_unknown()) {
                        unknown.get_or_insert(format!("{}[{i}].resources", at(view, key)));
                    }
                    if resources.items().any(|r| r.as_str() == Some("secrets")) {
                        return Ok(Verdict::Pass);
                    }
                }
                Ok(None) => {}
            }
        }
    }
    if let Some(path) = unknown {
        return Err(Halt::unknown(path));
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "EKS cluster `{}` does not envelope-encrypt Kubernetes secrets with a KMS key",
            view.resource.name
        ))
        .at(at(view, "encryptionConfig")),
    ))
}
