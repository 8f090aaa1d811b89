//! AWS-EC2-019: security group rules say what they are for.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::{join, sg_rules, text_in, Direction, SG_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-019",
    name: "security-group-rule-description",
    title: "Security group rules say what they are for",
    description: "A rule without a description cannot be reviewed: nobody knows which service \
                  needs it or whether it can be removed.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ec2", "vpc"],
    topics: &["network", "hygiene"],
    frameworks: Frameworks::None {
        reason: "rule descriptions support firewall reviews (such as PCI DSS 1.2.5's inventory \
                 of allowed ports and their business need) but do not satisfy a control by \
                 themselves",
    },
    resource_types: SG_TYPES,
    remediation: "Add a `description` to each ingress and egress rule.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ingress and egress rule must have a non-empty `description`: the inline \
               `ingress` and `egress` blocks of `aws_security_group` and \
               `aws_default_security_group`, `aws_security_group_rule`, \
               `aws_vpc_security_group_ingress_rule` and `aws_vpc_security_group_egress_rule` \
               (Pulumi `aws:ec2/securityGroup:SecurityGroup`, \
               `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup`, \
               `aws:ec2/securityGroupRule:SecurityGroupRule`, \
               `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`, \
               `aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule`). Each rule without \
               one is a violation; a description known only after apply is indeterminate.",
        why: "Security groups accumulate rules over years. Descriptions are what let a \
              reviewer tell the rule for the payment provider's callback from the forgotten \
              debugging rule, and what firewall reviews (PCI DSS asks for them every six \
              months) work from.",
        noncompliant: r#"Pulumi (TypeScript):

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
        compliant: r#"Pulumi (TypeScript):

    ingress: [{ description: "HTTPS from the internet", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],

Terraform:

    ingress {
      description = "HTTPS from the internet"
      protocol    = "tcp"
      from_port   = 443
      to_port     = 443
      cidr_blocks = ["0.0.0.0/0"]
    }"#,
        fix: "Add `description` (Pulumi and Terraform alike) to each rule, naming the client \
              or service that needs it. Changing an inline rule's description replaces the \
              rule in place; no traffic is interrupted.",
        references: &[
            "AWS: Security group rules — https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let mut violations = Vec::new();
    let mut applicable = false;
    let mut reason = String::new();
    for direction in [Direction::Ingress, Direction::Egress] {
        let (noun, rules) = match sg_rules(view, direction)? {
            Ok(found) => found,
            Err(why) => {
                reason = why;
                continue;
            }
        };
        applicable = true;
        for (base, rule) in rules {
            if text_in(rule, spelling, &base, "description")?.is_none() {
                let which = if base.is_empty() {
                    String::new()
                } else {
                    format!(" at {base}")
                };
                violations.push(
                    Violation::new(format!(
                        "{noun} `{}` has a rule without a description{which}",
                        view.resource.name
                    ))
                    .at(join(spelling, &base, "description")),
                );
            }
        }
    }
    if !applicable {
        return Ok(Verdict::not_applicable(reason));
    }
    Ok(Verdict::from_violations(violations))
}
