//! AWS-ELB-004: load balancers write access logs.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, canonical, read_in, read_inline, ANY_LB_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-004",
    name: "lb-access-logs-enabled",
    title: "Load balancers write access logs",
    description: "Access logs record every request a load balancer receives — client address, \
                  path, status, TLS details — the primary evidence when investigating attacks \
                  on a web application.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elb"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "hipaa", controls: &["164.312(b)"] },
        Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] },
    ]),
    resource_types: ANY_LB_TYPES,
    remediation: "Add an `access_logs` block with `enabled = true` and an S3 bucket.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_lb` (alias `aws_alb`; Pulumi `aws:lb/loadBalancer:LoadBalancer`, \
               `aws:alb/loadBalancer:LoadBalancer` and the legacy tokens) must have an \
               `access_logs` block (Pulumi `accessLogs`) with `enabled = true` — for `aws_lb` \
               `enabled` defaults to false. Every classic `aws_elb` (Pulumi \
               `aws:elb/loadBalancer:LoadBalancer`) must have an `access_logs` block whose \
               `enabled` is not false (the default there is true). No block is a violation. \
               Gateway load balancers, which have no access logs, are not applicable. In \
               Terraform plans an unset, computed block counts as missing; an `enabled` known \
               only after apply is indeterminate. This is AWSGuard's `elb-logging-enabled`.",
        why: "Without access logs there is no record of which client sent which request: \
              credential-stuffing runs, injection attempts, scraping and the requests that \
              exploited a vulnerability leave no trace at the edge. PCI DSS and most incident \
              response plans expect them.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets: publicSubnetIds });

Terraform:

    resource "aws_lb" "web" {
      load_balancer_type = "application"
      subnets            = var.public_subnet_ids
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.lb.LoadBalancer("web", {
        loadBalancerType: "application", subnets: publicSubnetIds,
        accessLogs: { bucket: logs.id, prefix: "web", enabled: true },
    });

Terraform:

    resource "aws_lb" "web" {
      load_balancer_type = "application"
      subnets            = var.public_subnet_ids
      access_logs {
        bucket  = aws_s3_bucket.lb_logs.id
        prefix  = "web"
        enabled = true
      }
    }"#,
        fix: "Add `access_logs { bucket = ..., enabled = true }` (Pulumi `accessLogs: { bucket, \
              enabled: true }`). The bucket needs a policy that lets the regional Elastic Load \
              Balancing account (or the `logdelivery.elasticloadbalancing.amazonaws.com` \
              service principal) write to it, and SSE-S3 encryption.",
        references: &[
            "AWS: Access logs for your Application Load Balancer — https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html",
            "AWS: Access logs for your Classic Load Balancer — https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/access-log-collection.html",
            "Pulumi AWSGuard policy pack: elb-logging-enabled",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let classic = canonical(&view) == "aws_elb";
    if !classic && crate::support::lb_type(view)? == "gateway" {
        return Ok(Verdict::not_applicable(
            "gateway load balancers have no access logs",
        ));
    }
    let base = at(view, "accessLogs");
    let enabled = match read_inline(view, "accessLogs")? {
        None => false,
        Some(block) => {
            let flag =
                read_in(block, view.resource.spelling, &base, "enabled")?.and_then(Value::as_bool);
            if classic {
                flag != Some(false)
            } else {
                flag == Some(true)
            }
        }
    };
    if enabled {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "load balancer `{}` does not write access logs",
            view.resource.name
        ))
        .at(base),
    ))
}
