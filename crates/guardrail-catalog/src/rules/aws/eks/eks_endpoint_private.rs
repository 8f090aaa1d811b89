//! AWS-EKS-002: EKS API endpoints are private

use crate::support::{at, flag};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EKS-002",
    name: "eks-endpoint-private",
    title: "EKS cluster API endpoints are private",
    description: "A cluster whose API endpoint is public at all depends on CIDR lists and credentials alone to keep the control plane safe.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["eks"],
    topics: &["network", "public-access"],
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
            controls: &["A.8.20"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-7", "AC-17"],
        },
    ]),
    resource_types: &[
        "aws_eks_cluster",
        "aws:eks/cluster:Cluster",
    ],
    remediation: "Set `endpoint_public_access = false` and `endpoint_private_access = true`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every EKS cluster (`aws_eks_cluster`, Pulumi `aws:eks/cluster:Cluster`): `vpc_config.endpoint_public_access` (Pulumi `vpcConfig.endpointPublicAccess`) must be false. Not set means true, the provider default, a violation. A value known only after apply is indeterminate. AWS-EKS-001 is the stricter-scoped companion for clusters that must stay public.",
        why: "A private-only endpoint keeps the Kubernetes API off the internet entirely; access goes through the VPC (VPN, Direct Connect, a bastion or SSM). AWS Security Hub EKS.1 asks for it. Clusters that need a public endpoint should at least limit its CIDRs (AWS-EKS-001).",
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
        vpcConfig: { subnetIds: privateSubnetIds, endpointPrivateAccess: true, endpointPublicAccess: false },
    });

Terraform:

    resource "aws_eks_cluster" "prod" {
      name     = "prod"
      role_arn = aws_iam_role.eks.arn
      vpc_config {
        subnet_ids = aws_subnet.private[*].id
        endpoint_private_access = true
        endpoint_public_access  = false
      }
    }"#,
        fix: "Set `endpointPrivateAccess: true, endpointPublicAccess: false` (Pulumi) or `endpoint_private_access = true` and `endpoint_public_access = false` (Terraform), and make sure CI and administrators can reach the VPC first.",
        references: &[
            "AWS Security Hub: [EKS.1] EKS cluster endpoints should not be publicly accessible — https://docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html",
            "Amazon EKS User Guide: Cluster API server endpoint — https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const PATH: &str = "vpcConfig.endpointPublicAccess";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if flag(view, PATH)? == Some(false) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "EKS cluster `{}` has a public Kubernetes API endpoint; use the private endpoint",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}
