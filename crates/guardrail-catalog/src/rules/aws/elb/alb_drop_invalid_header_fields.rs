//! AWS-ELB-006: application load balancers drop invalid HTTP header fields.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, lb_type, read_inline, with, LB_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-006",
    name: "alb-drop-invalid-header-fields",
    title: "Application load balancers drop invalid HTTP header fields",
    description: "Header names with invalid characters are a tool for HTTP request smuggling \
                  and header injection against the targets; the load balancer should remove \
                  them.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elb"],
    topics: &["network", "vulnerability-management"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "nist-800-53", controls: &["SI-10"] },
    ]),
    resource_types: LB_TYPES,
    remediation: "Set `drop_invalid_header_fields = true` on the application load balancer.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every application load balancer — `aws_lb` (alias `aws_alb`; Pulumi \
               `aws:lb/loadBalancer:LoadBalancer`, `aws:alb/loadBalancer:LoadBalancer`, legacy \
               tokens) whose `load_balancer_type` is `application` or not set — must set \
               `drop_invalid_header_fields = true` (Pulumi `dropInvalidHeaderFields`). False or \
               not set (default false) is a violation. Network and gateway load balancers are \
               not applicable. In Terraform plans a value the configuration leaves out counts as not \
               set; a value known only after apply is indeterminate.",
        why: "Back-end servers parse headers differently from the load balancer. Header names \
              that are not valid HTTP tokens are a classic ingredient of request smuggling and \
              cache poisoning, where an attacker slips a second request past the load \
              balancer's routing and security rules. Dropping them at the edge removes the \
              ambiguity.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets: publicSubnetIds });

Terraform:

    resource "aws_lb" "web" {
      load_balancer_type = "application"
      subnets            = var.public_subnet_ids
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.lb.LoadBalancer("web", {
        loadBalancerType: "application", subnets: publicSubnetIds, dropInvalidHeaderFields: true,
    });

Terraform:

    resource "aws_lb" "web" {
      load_balancer_type         = "application"
      subnets                    = var.public_subnet_ids
      drop_invalid_header_fields = true
    }"#,
        fix: "Set `drop_invalid_header_fields = true` (Pulumi `dropInvalidHeaderFields: true`). \
              Under `remediate` guardrail sets it; the fix is unsafe because clients that send \
              malformed header names (some legacy or embedded clients) lose those headers.",
        references: &[
            "AWS: Application Load Balancer attributes — routing.http.drop_invalid_header_fields.enabled — https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes",
            "AWS Security Hub: [ELB.4] Application Load Balancer should be configured to drop invalid http headers",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

/// `None` when not an application load balancer.
fn dropping(view: ResourceView<'_>) -> Result<Option<bool>, Halt> {
    if lb_type(view)? != "application" {
        return Ok(None);
    }
    Ok(Some(
        read_inline(view, "dropInvalidHeaderFields")?.and_then(Value::as_bool) == Some(true),
    ))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    match dropping(view)? {
        None => Ok(Verdict::not_applicable("not an application load balancer")),
        Some(true) => Ok(Verdict::Pass),
        Some(false) => Ok(Verdict::violation(
            Violation::new(format!(
                "application load balancer `{}` passes invalid HTTP header fields to its targets",
                view.resource.name
            ))
            .at(at(view, "dropInvalidHeaderFields")),
        )),
    }
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if dropping(view)? != Some(false) {
        return Ok(None);
    }
    Ok(Some(with(
        view,
        "dropInvalidHeaderFields",
        Value::Bool(true),
    )))
}
