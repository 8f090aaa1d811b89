//! AWS-ELB-005: load balancers have deletion protection.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read_inline, with, LB_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-005",
    name: "lb-deletion-protection",
    title: "Load balancers have deletion protection",
    description: "Deletion protection stops a load balancer — and the DNS name every client \
                  uses — from being deleted by a mistaken change or command.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elb"],
    topics: &["resilience"],
    frameworks: Frameworks::None {
        reason: "an availability safeguard against accidental deletion; frameworks ask for \
                 resilience in general terms rather than for this setting",
    },
    resource_types: LB_TYPES,
    remediation: "Set `enable_deletion_protection = true`.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_lb` (alias `aws_alb`; Pulumi `aws:lb/loadBalancer:LoadBalancer`, \
               `aws:alb/loadBalancer:LoadBalancer` and the legacy tokens) must set \
               `enable_deletion_protection = true` (Pulumi `enableDeletionProtection`). False \
               or not set (the default is false) is a violation. In Terraform plans a value the configuration leaves out counts as not \
               set; a value known only after apply is indeterminate. This is AWSGuard's `elb-deletion-protection-enabled`.",
        why: "A deleted load balancer takes its DNS name with it: recreating it gives a new \
              name, so every CNAME, alias record and hard-coded client breaks until updated. \
              Deletion protection turns a mistaken `destroy`, a refactoring that renames the \
              resource, or a console click into an error instead of an outage.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets: publicSubnetIds });

Terraform:

    resource "aws_lb" "web" {
      load_balancer_type = "application"
      subnets            = var.public_subnet_ids
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.lb.LoadBalancer("web", {
        loadBalancerType: "application", subnets: publicSubnetIds, enableDeletionProtection: true,
    });

Terraform:

    resource "aws_lb" "web" {
      load_balancer_type         = "application"
      subnets                    = var.public_subnet_ids
      enable_deletion_protection = true
    }"#,
        fix: "Set `enable_deletion_protection = true` (Pulumi `enableDeletionProtection: true`); \
              under `remediate` guardrail sets it. To delete the load balancer later, turn it \
              off in a separate change first.",
        references: &[
            "AWS: Deletion protection for Application Load Balancers — https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection",
            "Pulumi AWSGuard policy pack: elb-deletion-protection-enabled",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn protected(view: ResourceView<'_>) -> Result<bool, Halt> {
    Ok(read_inline(view, "enableDeletionProtection")?.and_then(Value::as_bool) == Some(true))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if protected(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "load balancer `{}` has no deletion protection",
            view.resource.name
        ))
        .at(at(view, "enableDeletionProtection")),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if protected(view)? {
        return Ok(None);
    }
    Ok(Some(with(
        view,
        "enableDeletionProtection",
        Value::Bool(true),
    )))
}
