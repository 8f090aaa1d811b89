//! AWS-ELB-011: load balancers mitigate HTTP desync.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, canonical, lb_type, read_inline, with, ANY_LB_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-011",
    name: "lb-desync-mitigation-mode",
    title: "Load balancers mitigate HTTP desync attacks",
    description: "Desync mitigation mode `monitor` forwards ambiguous requests that can smuggle \
                  a second request past the load balancer; use `defensive` or `strictest`.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elb"],
    topics: &["network", "vulnerability-management"],
    frameworks: Frameworks::Mapped(&[Control {
        framework: "nist-800-53",
        controls: &["SI-10"],
    }]),
    resource_types: ANY_LB_TYPES,
    remediation: "Set `desync_mitigation_mode` to `defensive` or `strictest`.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Application load balancers (`aws_lb`, alias `aws_alb`, with \
               `load_balancer_type` `application` or not set; Pulumi \
               `aws:lb/loadBalancer:LoadBalancer`, `aws:alb/loadBalancer:LoadBalancer`, legacy \
               tokens) and classic load balancers (`aws_elb`, Pulumi \
               `aws:elb/loadBalancer:LoadBalancer`): `desync_mitigation_mode` (Pulumi \
               `desyncMitigationMode`) `monitor` is a violation; `defensive` (the default) and \
               `strictest` pass. Network and gateway load balancers are not applicable. In Terraform plans a value the configuration leaves out counts as not \
               set; a value known only after apply is indeterminate.",
        why: "HTTP desync (request smuggling) exploits disagreements between the load balancer \
              and the back end about where one request ends. In `monitor` mode the load \
              balancer forwards such requests unchanged; `defensive` blocks the dangerous ones \
              while keeping compatibility.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets, desyncMitigationMode: "monitor" });

Terraform:

    resource "aws_lb" "web" {
      load_balancer_type     = "application"
      subnets                = var.public_subnet_ids
      desync_mitigation_mode = "monitor"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets, desyncMitigationMode: "defensive" });

Terraform:

    resource "aws_lb" "web" {
      load_balancer_type     = "application"
      subnets                = var.public_subnet_ids
      desync_mitigation_mode = "defensive"
    }"#,
        fix: "Set `desync_mitigation_mode = \"defensive\"` (Pulumi `desyncMitigationMode: \
              \"defensive\"`) or `strictest`, or remove it; under `remediate` guardrail sets \
              `defensive`.",
        references: &[
            "AWS: Desync mitigation mode — https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#desync-mitigation-mode",
            "AWS Security Hub: [ELB.12] Application Load Balancer should be configured with defensive or strictest desync mitigation mode",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

/// `None` when not applicable; whether the mode is `monitor`.
fn monitoring(view: ResourceView<'_>) -> Result<Option<bool>, Halt> {
    if canonical(&view) != "aws_elb" && lb_type(view)? != "application" {
        return Ok(None);
    }
    Ok(Some(
        read_inline(view, "desyncMitigationMode")?
            .and_then(Value::as_str)
            .is_some_and(|m| m.eq_ignore_ascii_case("monitor")),
    ))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    match monitoring(view)? {
        None => Ok(Verdict::not_applicable(
            "not an application or classic load balancer",
        )),
        Some(false) => Ok(Verdict::Pass),
        Some(true) => Ok(Verdict::violation(
            Violation::new(format!(
                "load balancer `{}` only monitors HTTP desync (`monitor` mode)",
                view.resource.name
            ))
            .at(at(view, "desyncMitigationMode")),
        )),
    }
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if monitoring(view)? != Some(true) {
        return Ok(None);
    }
    Ok(Some(with(
        view,
        "desyncMitigationMode",
        Value::string("defensive"),
    )))
}
