//! AWS-EC2-016: security groups are not managed both inline and by separate rule resources.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, StackFinding, StackView, Value, Violation,
};

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::{canonical, of_type, Companions};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-016",
    name: "security-group-no-rule-management-conflicts",
    title: "Security groups are not managed both inline and by separate rule resources",
    description: "A security group with inline `ingress`/`egress` blocks and separate rule \
                  resources for the same direction has two owners that overwrite each other's \
                  rules on every deployment.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ec2", "vpc"],
    topics: &["network", "hygiene"],
    frameworks: Frameworks::None {
        reason: "a configuration-management correctness issue; its security effect (rules \
                 silently removed or restored) is covered by the rules that check the rules \
                 themselves",
    },
    resource_types: &[
        "aws_security_group",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws_security_group_rule",
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "aws_vpc_security_group_ingress_rule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "aws_vpc_security_group_egress_rule",
        "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    ],
    remediation: "Manage each security group's rules one way: either inline blocks or separate \
                  rule resources.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule. For each `aws_security_group_rule`, \
               `aws_vpc_security_group_ingress_rule` and `aws_vpc_security_group_egress_rule` \
               (Pulumi `aws:ec2/securityGroupRule:SecurityGroupRule`, \
               `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`, \
               `aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule`) it finds the \
               `aws_security_group` (Pulumi `aws:ec2/securityGroup:SecurityGroup`) the rule's \
               `security_group_id` refers to — by its `id`, or by a property dependency of \
               `security_group_id` (Pulumi's, or the argument's reference in a Terraform plan's \
               configuration) — and \
               reports the rule resource when that group also declares inline rules of the \
               same direction (a non-empty `ingress` for ingress rules, `egress` for egress \
               rules). The finding is on the rule resource. This is AWSGuard's \
               `security-group-no-rule-management-conflicts`, extended to Terraform plans.",
        why: "Both the Terraform and the Pulumi AWS providers document that inline rules and \
              rule resources must not be mixed on one group: each deployment, the group \
              resets its rules to the inline list and the rule resources add theirs back, so \
              rules flap, disappear between deployments, or survive after being deleted from \
              code — an unreviewable firewall.",
        noncompliant: r#"Pulumi (TypeScript):

    const sg = new aws.ec2.SecurityGroup("web", {
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
    });
    new aws.vpc.SecurityGroupIngressRule("http", {
        securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0",
    });

Terraform:

    resource "aws_security_group" "web" {
      ingress {
        protocol    = "tcp"
        from_port   = 443
        to_port     = 443
        cidr_blocks = ["0.0.0.0/0"]
      }
    }

    resource "aws_vpc_security_group_ingress_rule" "http" {
      security_group_id = aws_security_group.web.id
      ip_protocol       = "tcp"
      from_port         = 80
      to_port           = 80
      cidr_ipv4         = "0.0.0.0/0"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const sg = new aws.ec2.SecurityGroup("web", { vpcId: vpc.id });
    new aws.vpc.SecurityGroupIngressRule("https", {
        securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0",
    });

Terraform:

    resource "aws_security_group" "web" {
      vpc_id = aws_vpc.main.id
    }

    resource "aws_vpc_security_group_ingress_rule" "https" {
      security_group_id = aws_security_group.web.id
      ip_protocol       = "tcp"
      from_port         = 443
      to_port           = 443
      cidr_ipv4         = "0.0.0.0/0"
    }"#,
        fix: "Move the inline `ingress`/`egress` blocks of the group into \
              `aws_vpc_security_group_ingress_rule` / `aws_vpc_security_group_egress_rule` \
              resources (Pulumi `aws.vpc.SecurityGroupIngressRule` / \
              `aws.vpc.SecurityGroupEgressRule`), or fold the rule resources into the inline \
              blocks; the providers recommend the separate resources.",
        references: &[
            "Terraform AWS provider: aws_security_group — a note on mixing in-line rules and rule resources",
            "Pulumi AWS: aws.ec2.SecurityGroup — https://www.pulumi.com/registry/packages/aws/api-docs/ec2/securitygroup/",
            "Pulumi AWSGuard policy pack: security-group-no-rule-management-conflicts",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

/// `ingress` or `egress`, for a rule resource.
fn direction(rule: ResourceView<'_>) -> Option<&'static str> {
    match canonical(&rule).as_ref() {
        "aws_vpc_security_group_ingress_rule" => Some("ingress"),
        "aws_vpc_security_group_egress_rule" => Some("egress"),
        _ => match rule
            .props
            .field("type")
            .ok()
            .flatten()
            .and_then(Value::as_str)
        {
            Some(t) if t.eq_ignore_ascii_case("ingress") => Some("ingress"),
            Some(t) if t.eq_ignore_ascii_case("egress") => Some("egress"),
            _ => None,
        },
    }
}

fn has_inline(group: ResourceView<'_>, key: &str) -> bool {
    group
        .props
        .field(key)
        .ok()
        .flatten()
        .is_some_and(|v| matches!(v.reveal(), Value::Array(items) if !items.is_empty()))
}

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let rules = Companions::of(
        view,
        &[
            "aws_security_group_rule",
            "aws_vpc_security_group_ingress_rule",
            "aws_vpc_security_group_egress_rule",
        ],
        "securityGroupId",
    );
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let mut findings = Vec::new();
    for group in of_type(view, "aws_security_group") {
        for rule in rules.for_target(group, &["id"]) {
            let Some(dir) = direction(rule) else { continue };
            if has_inline(group, dir) {
                findings.push(StackFinding::violation(
                    rule.resource.id.clone(),
                    Violation::new(format!(
                        "`{}` adds {dir} rules to security group `{}`, which also has inline \
                         `{dir}` rules; manage the group's rules one way",
                        rule.resource.name, group.resource.name
                    )),
                ));
            }
        }
    }
    Ok(findings)
}
