//! AWS-EKS-001: EKS API endpoints are not open to the whole internet

use crate::support::is_world_cidr;
use crate::support::{at, flag, read};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EKS-001",
    name: "eks-endpoint-not-open-to-world",
    title: "EKS cluster API endpoints are not open to the whole internet",
    description: "A public Kubernetes API endpoint reachable from 0.0.0.0/0 can be probed, brute-forced and exploited by anyone on the internet.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
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
    remediation: "Disable `endpoint_public_access`, or list your own CIDRs in `public_access_cidrs`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every EKS cluster (`aws_eks_cluster`, Pulumi `aws:eks/cluster:Cluster`) whose public endpoint is on — `vpc_config.endpoint_public_access` (Pulumi `vpcConfig.endpointPublicAccess`) true or not set, the provider default — must list `public_access_cidrs` (Pulumi `publicAccessCidrs`) without a world CIDR (prefix length 0, such as `0.0.0.0/0`). Not set means the provider default `0.0.0.0/0`, a violation. CIDRs known only after apply (computed from resources not yet created) are indeterminate; Terraform plans also show unset CIDRs as known only after apply, which guardrail reads from the plan's configuration as not set.",
        why: "The Kubernetes API is the cluster's control plane. Open to the internet it is scanned continuously; any leaked kubeconfig, service account token or API server vulnerability is then directly exploitable from anywhere. Restricting it to office, VPN and CI ranges removes that exposure at no cost.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.eks.Cluster("prod", {
        roleArn: role.arn,
        vpcConfig: { subnetIds: privateSubnetIds, endpointPublicAccess: true },
    });

Terraform:

    resource "aws_eks_cluster" "prod" {
      name     = "prod"
      role_arn = aws_iam_role.eks.arn
      vpc_config {
        subnet_ids = aws_subnet.private[*].id
        endpoint_public_access = true
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.eks.Cluster("prod", {
        roleArn: role.arn,
        vpcConfig: { subnetIds: privateSubnetIds, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
    });

Terraform:

    resource "aws_eks_cluster" "prod" {
      name     = "prod"
      role_arn = aws_iam_role.eks.arn
      vpc_config {
        subnet_ids = aws_subnet.private[*].id
        endpoint_public_access = true
        public_access_cidrs    = ["203.0.113.0/24"]
      }
    }"#,
        fix: "Set `publicAccessCidrs: [\"203.0.113.0/24\"]` (Pulumi) or `public_access_cidrs = [...]` (Terraform) to the ranges that administer the cluster, or turn the public endpoint off (`endpointPublicAccess: false` / `endpoint_public_access = false`) with `endpoint_private_access` on and reach the API over VPN or a bastion.",
        references: &[
            "Amazon EKS User Guide: Cluster API server endpoint — https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
            "Amazon EKS Best Practices Guide: Make the EKS cluster endpoint private — https://docs.aws.amazon.com/eks/latest/best-practices/protecting-the-infrastructure.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if flag(view, "vpcConfig.endpointPublicAccess")? == Some(false) {
        return Ok(Verdict::Pass);
    }
    let path = at(view, "vpcConfig.publicAccessCidrs");
    let open = match read(view, "vpcConfig.publicAccessCidrs")? {
        // The provider's default: the whole internet.
        None => Some("0.0.0.0/0".to_string()),
        Some(cidrs) => {
            let mut open = None;
            for cidr in cidrs.items() {
                if cidr.is_unknown() {
                    return Err(Halt::unknown(path));
                }
                if let Some(c) = cidr.as_str().filter(|c| is_world_cidr(c)) {
                    open = Some(c.to_string());
                }
            }
            open
        }
    };
    let Some(cidr) = open else {
        return Ok(Verdict::Pass);
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "EKS cluster `{}` exposes its Kubernetes API endpoint to {cidr}; restrict \
             `publicAccessCidrs` or disable public access",
            view.resource.name
        ))
        .at(path),
    ))
}
