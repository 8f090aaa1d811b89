//! AWS-EC2-020: security groups do not allow all outbound traffic to the internet.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{describe_reach, open_to_world_verdict, Direction, Reach, SG_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-020",
    name: "security-group-egress-open-to-world",
    title: "Security groups do not allow all outbound traffic to the internet",
    description: "An egress rule for every protocol to 0.0.0.0/0 or ::/0 lets a compromised \
                  workload reach any host on the internet, for command and control or data \
                  exfiltration.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ec2", "vpc"],
    topics: &["network", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["1.3.2"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: SG_TYPES,
    remediation: "Allow outbound traffic only to the ports and destinations the workload needs \
                  (HTTPS to the internet, the database port inside the VPC).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Egress rules of `aws_security_group` and `aws_default_security_group` (inline \
               `egress`), `aws_security_group_rule` with `type = \"egress\"` and \
               `aws_vpc_security_group_egress_rule` (Pulumi \
               `aws:ec2/securityGroup:SecurityGroup`, \
               `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup`, \
               `aws:ec2/securityGroupRule:SecurityGroupRule`, \
               `aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule`). A rule violates when \
               its protocol is `-1`/`all` and a destination is the whole internet (prefix \
               length 0 in `cidr_blocks`, `ipv6_cidr_blocks`, `cidr_ipv4`, `cidr_ipv6`). Port \
               ranges on TCP or UDP are a deliberate choice and pass. A security group without \
               inline `egress` passes: in Terraform and Pulumi it then has no egress (Terraform \
               removes the AWS default allow-all rule). Low severity and advisory, since the \
               allow-all egress rule is the AWS default that most workloads start from; values \
               known only after apply are indeterminate.",
        why: "Unrestricted egress is what turns a foothold into a breach: malware downloads \
              its tools, opens reverse shells and uploads data through any port. Restricting \
              egress to HTTPS and known destinations (or routing it through a proxy or \
              firewall) is a cheap layer that PCI DSS asks for in the cardholder environment.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.SecurityGroup("app", {
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });

Terraform:

    resource "aws_security_group" "app" {
      egress {
        protocol    = "-1"
        from_port   = 0
        to_port     = 0
        cidr_blocks = ["0.0.0.0/0"]
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    egress: [{ description: "HTTPS out", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],

Terraform:

    egress {
      description = "HTTPS out"
      protocol    = "tcp"
      from_port   = 443
      to_port     = 443
      cidr_blocks = ["0.0.0.0/0"]
    }"#,
        fix: "Replace the allow-all egress rule with rules for the ports the workload needs \
              (`protocol = \"tcp\"`, `from_port`/`to_port`, Pulumi `fromPort`/`toPort`), and \
              point internal destinations at security groups or VPC ranges; use VPC endpoints \
              for AWS services.",
        references: &[
            "AWS: Security group rules — https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
            "PCI DSS v4.0: 1.3.2 Outbound traffic from the CDE is restricted",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    open_to_world_verdict(view, Direction::Egress, |reach, secrecy| {
        (reach == Reach::All).then(|| format!("on {}", describe_reach(reach, secrecy)))
    })
}
