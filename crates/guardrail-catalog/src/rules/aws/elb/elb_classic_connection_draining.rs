//! AWS-ELB-009: classic load balancers drain connections.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, with, ELB_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-009",
    name: "elb-classic-connection-draining",
    title: "Classic load balancers drain connections",
    description: "Without connection draining, deregistering or failing an instance cuts its \
                  in-flight requests off mid-response.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elb"],
    topics: &["resilience"],
    frameworks: Frameworks::None {
        reason: "an availability and deployment-hygiene setting with no specific framework control",
    },
    resource_types: ELB_TYPES,
    remediation: "Set `connection_draining = true` (with a `connection_draining_timeout`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_elb` (Pulumi `aws:elb/loadBalancer:LoadBalancer`, legacy \
               `elasticloadbalancing` token) must set `connection_draining = true` (Pulumi \
               `connectionDraining`). False or not set (default false) is a violation; a value \
               known only after apply is indeterminate.",
        why: "Deployments, scale-in and health-check failures deregister instances. Draining \
              lets requests in flight finish before the instance is removed; without it users \
              see errors on every deployment.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.elb.LoadBalancer("legacy", { availabilityZones: ["eu-west-1a"], listeners });

Terraform:

    resource "aws_elb" "legacy" {
      availability_zones = ["eu-west-1a"]
      listener { ... }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.elb.LoadBalancer("legacy", {
        availabilityZones: ["eu-west-1a"], listeners, connectionDraining: true, connectionDrainingTimeout: 300,
    });

Terraform:

    resource "aws_elb" "legacy" {
      availability_zones          = ["eu-west-1a"]
      connection_draining         = true
      connection_draining_timeout = 300
      listener { ... }
    }"#,
        fix: "Set `connection_draining = true` (Pulumi `connectionDraining: true`), optionally \
              with `connection_draining_timeout`; under `remediate` guardrail sets it.",
        references: &[
            "AWS: Configure connection draining for your Classic Load Balancer — https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/config-conn-drain.html",
            "AWS Security Hub: [ELB.7] Classic Load Balancers should have connection draining enabled",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn draining(view: ResourceView<'_>) -> Result<bool, Halt> {
    Ok(read(view, "connectionDraining")?.and_then(Value::as_bool) == Some(true))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if draining(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "classic load balancer `{}` does not drain connections",
            view.resource.name
        ))
        .at(at(view, "connectionDraining")),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if draining(view)? {
        return Ok(None);
    }
    Ok(Some(with(view, "connectionDraining", Value::Bool(true))))
}
