//! AWS-ELB-012: application load balancers do not bypass AWS WAF when it is unavailable.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, with, LB_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-012",
    name: "alb-waf-fail-closed",
    title: "Application load balancers do not bypass AWS WAF when it is unavailable",
    description: "With WAF fail-open, requests skip the web ACL whenever the load balancer \
                  cannot reach AWS WAF, silently removing the protection.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elb"],
    topics: &["network", "resilience"],
    frameworks: Frameworks::Mapped(&[Control {
        framework: "nist-800-53",
        controls: &["SC-7(18)"],
    }]),
    resource_types: LB_TYPES,
    remediation: "Set `enable_waf_fail_open = false` (the default).",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_lb` (alias `aws_alb`; Pulumi `aws:lb/loadBalancer:LoadBalancer`, \
               `aws:alb/loadBalancer:LoadBalancer`, legacy tokens): `enable_waf_fail_open` \
               (Pulumi `enableWafFailOpen`) set to true is a violation; false or not set (the \
               default) passes. A value known only after apply is indeterminate.",
        why: "Fail-open trades security for availability: during a WAF outage or throttling, \
              exactly the requests the web ACL would block reach the application. Attackers \
              who can degrade WAF evaluation (oversized bodies, request floods) benefit most. \
              NIST calls for boundary protection to fail secure.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets, enableWafFailOpen: true });

Terraform:

    resource "aws_lb" "web" {
      load_balancer_type   = "application"
      subnets              = var.public_subnet_ids
      enable_waf_fail_open = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets, enableWafFailOpen: false });

Terraform:

    resource "aws_lb" "web" {
      load_balancer_type   = "application"
      subnets              = var.public_subnet_ids
      enable_waf_fail_open = false
    }"#,
        fix: "Set `enable_waf_fail_open = false` (Pulumi `enableWafFailOpen: false`) or remove \
              it. Under `remediate` guardrail sets it; the fix is unsafe because during a WAF \
              disruption requests are then rejected instead of served.",
        references: &[
            "AWS: Application Load Balancer attributes — waf.fail_open.enabled — https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes",
            "NIST SP 800-53 Rev. 5: SC-7(18) Boundary Protection | Fail Secure",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn open(view: ResourceView<'_>) -> Result<bool, Halt> {
    Ok(read(view, "enableWafFailOpen")?.and_then(Value::as_bool) == Some(true))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if !open(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "load balancer `{}` lets requests bypass AWS WAF when WAF is unavailable",
            view.resource.name
        ))
        .at(at(view, "enableWafFailOpen")),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if !open(view)? {
        return Ok(None);
    }
    Ok(Some(with(view, "enableWafFailOpen", Value::Bool(false))))
}
