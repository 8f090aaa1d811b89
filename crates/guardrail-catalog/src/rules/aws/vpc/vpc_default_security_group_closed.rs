//! AWS-VPC-003: the default security group of a VPC allows no traffic.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-VPC-003",
    name: "vpc-default-security-group-closed",
    title: "The default security group of a VPC allows no traffic",
    description: "Resources launched without a security group land in the VPC's default group; \
                  it must have no ingress and no egress rules so that forgetting one fails \
                  closed.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["vpc", "ec2"],
    topics: &["network", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["5.4"] },
        Control { framework: "pci-dss", controls: &["1.2.1"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "AC-4"] },
    ]),
    resource_types: &[
        "aws_default_security_group",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    ],
    remediation: "Declare the default security group with no `ingress` and no `egress` blocks.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_default_security_group` (Pulumi \
               `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup`) must have empty `ingress` \
               and `egress`. Each direction with rules is a violation. Declaring the resource \
               with no blocks is how Terraform and Pulumi remove AWS's default rules (all \
               traffic from the group itself, all traffic out). Values known only after apply \
               are indeterminate.",
        why: "The default group is where resources end up when someone forgets to choose a \
              group — a Lambda in a VPC, an endpoint, a quick test instance. AWS creates it \
              allowing all traffic between its members and all egress, which silently links \
              unrelated workloads. CIS asks for it to restrict all traffic.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.DefaultSecurityGroup("default", {
        vpcId: vpc.id,
        ingress: [{ protocol: "-1", self: true, fromPort: 0, toPort: 0 }],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });

Terraform:

    resource "aws_default_security_group" "default" {
      vpc_id = aws_vpc.main.id
      ingress {
        protocol  = "-1"
        self      = true
        from_port = 0
        to_port   = 0
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.DefaultSecurityGroup("default", { vpcId: vpc.id });

Terraform:

    resource "aws_default_security_group" "default" {
      vpc_id = aws_vpc.main.id
    }"#,
        fix: "Remove every `ingress` and `egress` block from the default security group (Pulumi: \
              omit `ingress` and `egress`) and give each resource its own security group. \
              Under `remediate` guardrail empties both lists; the fix is unsafe because \
              resources that rely on the default group lose connectivity.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 5.4 Ensure the default security group of every VPC restricts all traffic",
            "AWS: Default security groups for your VPCs — https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn open(view: ResourceView<'_>) -> Result<Vec<&'static str>, Halt> {
    let mut open = Vec::new();
    for key in ["ingress", "egress"] {
        let rules = read(view, key)?;
        if rules.is_some_and(|r| r.items().next().is_some()) {
            open.push(key);
        }
    }
    Ok(open)
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    Ok(Verdict::from_violations(
        open(view)?
            .into_iter()
            .map(|key| {
                Violation::new(format!(
                    "default security group `{}` has {key} rules; it should allow no traffic",
                    view.resource.name
                ))
                .at(at(view, key))
            })
            .collect(),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    let open = open(view)?;
    if open.is_empty() {
        return Ok(None);
    }
    let mut props = view.props.clone();
    for key in open {
        props.set(key, Value::Array(Vec::new()));
    }
    Ok(Some(props))
}
