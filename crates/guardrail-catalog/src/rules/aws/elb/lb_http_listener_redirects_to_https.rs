//! AWS-ELB-002: HTTP listeners redirect to HTTPS.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, items_of, read, read_first, read_in, LISTENER_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-002",
    name: "lb-http-listener-redirects-to-https",
    title: "HTTP listeners redirect to HTTPS",
    description: "A load balancer listener on plain HTTP should do one thing: redirect the \
                  client to HTTPS. Serving content over it sends requests, cookies and \
                  responses in clear text.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elb"],
    topics: &["tls", "encryption", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "soc2", controls: &["CC6.7"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "hipaa", controls: &["164.312(e)(1)"] },
        Control { framework: "nist-800-53", controls: &["SC-8"] },
    ]),
    resource_types: LISTENER_TYPES,
    remediation: "Make the HTTP listener's only default action a redirect with protocol HTTPS.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_lb_listener` (alias `aws_alb_listener`; Pulumi `aws:lb/listener:Listener`, \
               `aws:alb/listener:Listener` and the legacy `elasticloadbalancingv2` / \
               `applicationloadbalancing` tokens) with `protocol = \"HTTP\"` must have exactly \
               one `default_action` (Pulumi `defaultActions`) whose `type` is `redirect` and \
               whose `redirect.protocol` is `HTTPS`. No default action, several, or any other \
               action is a violation. Listeners on other protocols, or without a protocol, are \
               not applicable. Values known only after apply are indeterminate. This is \
               AWSGuard's `alb-http-to-https-redirection`. Listener rules \
               (`aws_lb_listener_rule`) that forward particular paths are not checked.",
        why: "Users type `http://` and old links point at it. If the HTTP listener forwards to \
              the application instead of redirecting, sessions, credentials and personal data \
              travel unencrypted over networks where anyone can read or alter them. A redirect \
              keeps the port open for convenience while all content is served over TLS.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lb.Listener("http", {
        loadBalancerArn: lb.arn, port: 80, protocol: "HTTP",
        defaultActions: [{ type: "forward", targetGroupArn: tg.arn }],
    });

Terraform:

    resource "aws_lb_listener" "http" {
      load_balancer_arn = aws_lb.web.arn
      port              = 80
      protocol          = "HTTP"
      default_action {
        type             = "forward"
        target_group_arn = aws_lb_target_group.web.arn
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.lb.Listener("http", {
        loadBalancerArn: lb.arn, port: 80, protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }],
    });

Terraform:

    resource "aws_lb_listener" "http" {
      load_balancer_arn = aws_lb.web.arn
      port              = 80
      protocol          = "HTTP"
      default_action {
        type = "redirect"
        redirect {
          port        = "443"
          protocol    = "HTTPS"
          status_code = "HTTP_301"
        }
      }
    }"#,
        fix: "Replace the listener's default action with a `redirect` to `HTTPS` (port 443, \
              status `HTTP_301`), and serve the application from an HTTPS listener with a \
              certificate. If nothing should answer on port 80, remove the HTTP listener.",
        references: &[
            "AWS: Listeners for your Application Load Balancers — redirect actions — https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions",
            "Pulumi AWSGuard policy pack: alb-http-to-https-redirection",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let name = &view.resource.name;
    let protocol = read(view, "protocol")?.and_then(Value::as_str);
    match protocol {
        Some(p) if p.eq_ignore_ascii_case("HTTP") => {}
        Some(p) => return Ok(Verdict::not_applicable(format!("a `{p}` listener"))),
        None => return Ok(Verdict::not_applicable("the listener sets no protocol")),
    }
    let actions = items_of(view, &["defaultActions", "defaultAction"])?;
    let key = match read_first(view, &["defaultActions", "defaultAction"])? {
        Some((_, key)) => key,
        None => match view.resource.spelling {
            guardrail_core::Spelling::Pulumi => "defaultActions",
            guardrail_core::Spelling::Terraform => "defaultAction",
        },
    };
    let path = at(view, key);
    let message = match actions.as_slice() {
        [] => "has no default action; redirect it to HTTPS or remove it".to_string(),
        [(base, action)] => {
            let kind = read_in(action, spelling, base, "type")?.and_then(Value::as_str);
            let target = match read_in(action, spelling, base, "redirect")? {
                Some(redirect) => {
                    read_in(redirect, spelling, &format!("{base}.redirect"), "protocol")?
                        .and_then(Value::as_str)
                }
                None => None,
            };
            let redirects = kind.is_some_and(|k| k.eq_ignore_ascii_case("redirect"))
                && target.is_some_and(|t| t.eq_ignore_ascii_case("HTTPS"));
            if redirects {
                return Ok(Verdict::Pass);
            }
            format!(
                "serves `{}` instead of redirecting to HTTPS",
                kind.unwrap_or("an action")
            )
        }
        _ => "has several default actions; an HTTP listener should only redirect to HTTPS"
            .to_string(),
    };
    Ok(Verdict::violation(
        Violation::new(format!("HTTP listener `{name}` {message}")).at(path),
    ))
}
