//! AWS-ELB-007: internet-facing application load balancers are protected by AWS WAF.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Spelling, StackFinding, StackView, Value,
    Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{lb_type, read_inline, uncovered, Coverage, Known};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-007",
    name: "alb-internet-facing-waf",
    title: "Internet-facing application load balancers are protected by AWS WAF",
    description: "An application load balancer that faces the internet should have a web ACL \
                  in front of it to filter common web attacks and abusive clients.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elb"],
    topics: &["network", "public-access", "vulnerability-management"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["6.4.2"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "SI-4"] },
    ]),
    resource_types: &[
        "aws_lb",
        "aws_alb",
        "aws:lb/loadBalancer:LoadBalancer",
        "aws:alb/loadBalancer:LoadBalancer",
        "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
        "aws:applicationloadbalancing/loadBalancer:LoadBalancer",
        "aws_wafv2_web_acl_association",
        "aws:wafv2/webAclAssociation:WebAclAssociation",
    ],
    remediation: "Associate a WAFv2 web ACL with the load balancer \
                  (`aws_wafv2_web_acl_association`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over every internet-facing application load balancer: `aws_lb` \
               (alias `aws_alb`; Pulumi `aws:lb/loadBalancer:LoadBalancer`, \
               `aws:alb/loadBalancer:LoadBalancer`, legacy tokens) whose `load_balancer_type` \
               is `application` or not set and whose `internal` is not true. It passes when an \
               `aws_wafv2_web_acl_association` (Pulumi `aws:wafv2/webAclAssociation:WebAclAssociation`) \
               refers to it through `resource_arn` (Pulumi `resourceArn`) — by the load \
               balancer's `arn` or `id`, or a property dependency of `resource_arn` (Pulumi's, \
               or the argument's reference in a Terraform plan's configuration). Internal and network load \
               balancers are not checked; an unset `internal` \
               counts as false (internet-facing, the default). Web ACLs attached outside the \
               stack (AWS Firewall Manager) are not visible: exempt such stacks.",
        why: "A web application firewall blocks SQL injection, cross-site scripting, known bad \
              inputs, bots and request floods before they reach the application, and can be \
              updated centrally when a new vulnerability (Log4Shell) appears. PCI DSS 4.0 \
              requires an automated technical solution in front of public-facing web \
              applications.",
        noncompliant: r#"Pulumi (TypeScript):

    const lb = new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets: publicSubnetIds });

Terraform:

    resource "aws_lb" "web" {
      load_balancer_type = "application"
      internal           = false
      subnets            = var.public_subnet_ids
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.wafv2.WebAclAssociation("web", { resourceArn: lb.arn, webAclArn: acl.arn });

Terraform:

    resource "aws_wafv2_web_acl_association" "web" {
      resource_arn = aws_lb.web.arn
      web_acl_arn  = aws_wafv2_web_acl.main.arn
    }"#,
        fix: "Create an `aws_wafv2_web_acl` with `scope = \"REGIONAL\"` (AWS managed rule groups \
              such as `AWSManagedRulesCommonRuleSet` and `AWSManagedRulesKnownBadInputsRuleSet` \
              are a good start) and an `aws_wafv2_web_acl_association` with `resource_arn = \
              aws_lb.<name>.arn` (Pulumi `aws.wafv2.WebAcl`, `aws.wafv2.WebAclAssociation`).",
        references: &[
            "AWS WAF: Associating a web ACL with an AWS resource — https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html",
            "PCI DSS v4.0: 6.4.2 An automated technical solution is deployed for public-facing web applications",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

/// Internal or not an application load balancer: nothing to cover.
fn exempt(lb: ResourceView<'_>) -> Known {
    let kind = match lb_type(lb) {
        Ok(kind) => kind,
        Err(halt) => return Known::from_result(Err(halt)),
    };
    if kind != "application" {
        return Known::Yes;
    }
    Known::from_result(
        read_inline(lb, "internal").map(|v| v.and_then(Value::as_bool) == Some(true)),
    )
}

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let present = |_: ResourceView<'_>| Known::Yes;
    let coverage = Coverage {
        target: "aws_lb",
        names: &["arn", "id"],
        companions: &["aws_wafv2_web_acl_association"],
        key: "resourceArn",
        inline: &exempt,
        companion: &present,
    };
    Ok(uncovered(view, &coverage, |lb, _| {
        let add = match lb.resource.spelling {
            Spelling::Pulumi => "an `aws.wafv2.WebAclAssociation`",
            Spelling::Terraform => "an `aws_wafv2_web_acl_association`",
        };
        Violation::new(format!(
            "internet-facing application load balancer `{}` has no AWS WAF web ACL: add {add} \
             for it",
            lb.resource.name
        ))
    }))
}
