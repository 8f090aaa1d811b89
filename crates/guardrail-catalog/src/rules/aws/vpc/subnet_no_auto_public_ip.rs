//! AWS-VPC-005: subnets do not assign public IP addresses automatically.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, with};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-VPC-005",
    name: "subnet-no-auto-public-ip",
    title: "Subnets do not assign public IP addresses automatically",
    description: "With `map_public_ip_on_launch` every instance launched into the subnet gets \
                  a public address unless it opts out.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["vpc", "ec2"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["1.4.4"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: &["aws_subnet", "aws:ec2/subnet:Subnet"],
    remediation: "Set `map_public_ip_on_launch = false`; request public addresses explicitly \
                  where they are needed.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_subnet` (Pulumi `aws:ec2/subnet:Subnet`): `map_public_ip_on_launch` \
               (Pulumi `mapPublicIpOnLaunch`) set to true is a violation. Not set means false, \
               the provider default. A value known only after apply is indeterminate.",
        why: "Public addresses by default turn every instance, container host and test machine \
              launched into the subnet into an internet-facing host, one security group rule \
              away from exposure. Public subnets for load balancers and NAT gateways do not \
              need it: those get their addresses explicitly.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.Subnet("public-a", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true });

Terraform:

    resource "aws_subnet" "public_a" {
      vpc_id                  = aws_vpc.main.id
      cidr_block              = "10.0.0.0/24"
      map_public_ip_on_launch = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.Subnet("public-a", { vpcId: vpc.id, cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: false });

Terraform:

    resource "aws_subnet" "public_a" {
      vpc_id                  = aws_vpc.main.id
      cidr_block              = "10.0.0.0/24"
      map_public_ip_on_launch = false
    }"#,
        fix: "Set `map_public_ip_on_launch = false` (Pulumi `mapPublicIpOnLaunch: false`) or \
              remove it. Under `remediate` guardrail sets it; the fix is unsafe because \
              instances that relied on an automatic public address (without a NAT gateway) \
              lose internet access.",
        references: &[
            "AWS: Modify the public IPv4 addressing attribute for your subnet — https://docs.aws.amazon.com/vpc/latest/userguide/subnet-public-ip.html",
            "AWS Security Hub: [EC2.15] Amazon EC2 subnets should not automatically assign public IP addresses",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn public(view: ResourceView<'_>) -> Result<bool, Halt> {
    Ok(read(view, "mapPublicIpOnLaunch")?.and_then(Value::as_bool) == Some(true))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if !public(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "subnet `{}` assigns a public IP address to every instance launched into it",
            view.resource.name
        ))
        .at(at(view, "mapPublicIpOnLaunch")),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if !public(view)? {
        return Ok(None);
    }
    Ok(Some(with(view, "mapPublicIpOnLaunch", Value::Bool(false))))
}
