//! AWS-EC2-018: security groups do not open every port to the internet.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{describe_reach, open_to_world_verdict, Direction, SG_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-018",
    name: "security-group-all-ports-open-to-world",
    title: "Security groups do not open every port to the internet",
    description: "An ingress rule that allows all protocols, or every TCP/UDP port, from \
                  0.0.0.0/0 or ::/0 removes the security group as a barrier altogether.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ec2", "vpc"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["1.3.1"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "CM-7"] },
    ]),
    resource_types: SG_TYPES,
    remediation: "Allow only the ports the service listens on, from the sources that need them.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Ingress rules of security groups — inline `ingress` of `aws_security_group` and \
               `aws_default_security_group`, `aws_security_group_rule` with `type = \
               \"ingress\"`, and `aws_vpc_security_group_ingress_rule` (Pulumi \
               `aws:ec2/securityGroup:SecurityGroup`, \
               `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup`, \
               `aws:ec2/securityGroupRule:SecurityGroupRule`, \
               `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`). A rule violates \
               when its protocol is `-1`/`all`, or its TCP/UDP range covers 0-65535 (missing \
               bounds count as open), and a source is the whole internet (prefix length 0 in \
               `cidr_blocks`, `ipv6_cidr_blocks`, `cidr_ipv4`, `cidr_ipv6`). One violation per \
               rule and source; values known only after apply make the outcome indeterminate \
               unless another rule already violates.",
        why: "Every service on the instance — including debug endpoints, agents and databases \
              bound to all interfaces by default — becomes reachable by anyone. Such rules are \
              usually a temporary debugging shortcut that was never removed.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.SecurityGroup("open", {
        ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    });

Terraform:

    resource "aws_security_group" "open" {
      ingress {
        protocol    = "-1"
        from_port   = 0
        to_port     = 0
        cidr_blocks = ["0.0.0.0/0"]
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ec2.SecurityGroup("web", {
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
    });

Terraform:

    resource "aws_security_group" "web" {
      ingress {
        protocol    = "tcp"
        from_port   = 443
        to_port     = 443
        cidr_blocks = ["0.0.0.0/0"]
      }
    }"#,
        fix: "List the ports the service actually serves (`from_port`/`to_port`, Pulumi \
              `fromPort`/`toPort`, with `protocol = \"tcp\"`), and narrow the sources to the \
              load balancer's security group or known ranges.",
        references: &[
            "AWS: Security group rules — https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
            "PCI DSS v4.0: 1.3.1; NIST SP 800-53 Rev. 5: SC-7, CM-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    open_to_world_verdict(view, Direction::Ingress, |reach, secrecy| {
        reach
            .is_everything()
            .then(|| format!("on {}", describe_reach(reach, secrecy)))
    })
}
