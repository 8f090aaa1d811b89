//! AWS-ELB-010: classic load balancers balance across zones.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, with, ELB_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-010",
    name: "elb-classic-cross-zone",
    title: "Classic load balancers balance across Availability Zones",
    description: "Without cross-zone load balancing each zone's node sends traffic only to its \
                  own zone's instances, so an unhealthy or thin zone overloads.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elb"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[Control {
        framework: "nist-800-53",
        controls: &["CP-10", "SC-5"],
    }]),
    resource_types: ELB_TYPES,
    remediation: "Remove `cross_zone_load_balancing = false` (the default is true).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_elb` (Pulumi `aws:elb/loadBalancer:LoadBalancer`, legacy \
               `elasticloadbalancing` token): `cross_zone_load_balancing` (Pulumi \
               `crossZoneLoadBalancing`) set to false is a violation; the provider default is \
               true. A value known only after apply is indeterminate.",
        why: "Clients resolve the load balancer to one node per zone in roughly equal shares. \
              Without cross-zone balancing a zone with fewer healthy instances gets the same \
              share of traffic as the others, and losing instances in one zone degrades \
              service instead of spreading the load.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.elb.LoadBalancer("legacy", { availabilityZones: zones, listeners, crossZoneLoadBalancing: false });

Terraform:

    resource "aws_elb" "legacy" {
      availability_zones        = var.zones
      cross_zone_load_balancing = false
      listener { ... }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.elb.LoadBalancer("legacy", { availabilityZones: zones, listeners, crossZoneLoadBalancing: true });

Terraform:

    resource "aws_elb" "legacy" {
      availability_zones        = var.zones
      cross_zone_load_balancing = true
      listener { ... }
    }"#,
        fix: "Set `cross_zone_load_balancing = true` (Pulumi `crossZoneLoadBalancing: true`) or \
              remove the argument; under `remediate` guardrail sets it.",
        references: &[
            "AWS: Configure cross-zone load balancing for your Classic Load Balancer — https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/enable-disable-crosszone-lb.html",
            "AWS Security Hub: [ELB.9] Classic Load Balancers should have cross-zone load balancing enabled",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn off(view: ResourceView<'_>) -> Result<bool, Halt> {
    Ok(read(view, "crossZoneLoadBalancing")?.and_then(Value::as_bool) == Some(false))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if !off(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "classic load balancer `{}` has cross-zone load balancing turned off",
            view.resource.name
        ))
        .at(at(view, "crossZoneLoadBalancing")),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if !off(view)? {
        return Ok(None);
    }
    Ok(Some(with(
        view,
        "crossZoneLoadBalancing",
        Value::Bool(true),
    )))
}
