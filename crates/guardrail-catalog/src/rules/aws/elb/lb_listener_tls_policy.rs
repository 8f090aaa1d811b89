//! AWS-ELB-003: HTTPS and TLS listeners use a TLS 1.2+ security policy.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, read_inline, LISTENER_TYPES};

/// Fragments of the names of security policies whose minimum protocol is TLS 1.2 or newer.
const MODERN: &[&str] = &["TLS-1-2", "TLS13-1-2", "TLS13-1-3", "FS-1-2"];

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-003",
    name: "lb-listener-tls-policy",
    title: "HTTPS and TLS listeners use a TLS 1.2+ security policy",
    description: "The listener's security policy decides the protocols and ciphers clients may \
                  negotiate; policies that still allow TLS 1.0 or 1.1 permit broken, \
                  downgradeable connections.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["elb"],
    topics: &["tls", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "soc2", controls: &["CC6.7"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "hipaa", controls: &["164.312(e)(1)"] },
        Control { framework: "nist-800-53", controls: &["SC-8", "SC-13"] },
    ]),
    resource_types: LISTENER_TYPES,
    remediation: "Set `ssl_policy` to `ELBSecurityPolicy-TLS13-1-2-2021-06` (or another TLS 1.2+ \
                  policy).",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_lb_listener` (alias `aws_alb_listener`; Pulumi `aws:lb/listener:Listener`, \
               `aws:alb/listener:Listener` and the legacy tokens) with `protocol` `HTTPS` or \
               `TLS` must set `ssl_policy` (Pulumi `sslPolicy`) to a policy whose minimum \
               protocol is TLS 1.2: a name containing `TLS-1-2`, `TLS13-1-2`, `TLS13-1-3` or \
               `FS-1-2` (such as `ELBSecurityPolicy-TLS13-1-2-2021-06`, \
               `ELBSecurityPolicy-TLS-1-2-Ext-2018-06`, the FIPS variants). Older policies (`ELBSecurityPolicy-2016-08`, \
               `ELBSecurityPolicy-TLS13-1-0-2021-06`, \
               `ELBSecurityPolicy-FS-2018-06`...) and no policy at all (the service \
               default has allowed TLS 1.0) are violations; in Terraform plans an \
               `ssl_policy` the configuration leaves out counts as not set. Other protocols are not applicable; a value set \
               from an expression known only after apply is indeterminate.",
        why: "TLS 1.0 and 1.1 have known weaknesses (BEAST, POODLE-style downgrades, SHA-1 and \
              CBC-mode ciphers), are deprecated by RFC 8996, and are not \"strong \
              cryptography\" under PCI DSS. A listener that accepts them lets an attacker on \
              the path negotiate the weakest option.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.lb.Listener("https", {
        loadBalancerArn: lb.arn, port: 443, protocol: "HTTPS", certificateArn: cert.arn,
        sslPolicy: "ELBSecurityPolicy-2016-08",
        defaultActions: [{ type: "forward", targetGroupArn: tg.arn }],
    });

Terraform:

    resource "aws_lb_listener" "https" {
      load_balancer_arn = aws_lb.web.arn
      port              = 443
      protocol          = "HTTPS"
      certificate_arn   = aws_acm_certificate.web.arn
      ssl_policy        = "ELBSecurityPolicy-2016-08"
      default_action {
        type             = "forward"
        target_group_arn = aws_lb_target_group.web.arn
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",

Terraform:

    ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06""#,
        fix: "Set `ssl_policy = \"ELBSecurityPolicy-TLS13-1-2-2021-06\"` (Pulumi `sslPolicy`). \
              Under `remediate` guardrail does so; the fix is unsafe because very old clients \
              (Windows 7 without updates, Android 4.3 and older, legacy Java) can no longer \
              connect — check the load balancer's TLS protocol metrics first.",
        references: &[
            "AWS: Security policies for your Application Load Balancer — https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
            "AWS: Security policies for your Network Load Balancer — https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html",
            "RFC 8996: Deprecating TLS 1.0 and TLS 1.1",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const RECOMMENDED: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/// `None` when not applicable, else whether the policy is modern and the policy name.
fn state(view: ResourceView<'_>) -> Result<Option<(bool, Option<&str>)>, Halt> {
    let protocol = read(view, "protocol")?.and_then(Value::as_str);
    let encrypted =
        protocol.is_some_and(|p| p.eq_ignore_ascii_case("HTTPS") || p.eq_ignore_ascii_case("TLS"));
    if !encrypted {
        return Ok(None);
    }
    let policy = read_inline(view, "sslPolicy")?.and_then(Value::as_str);
    let modern = policy.is_some_and(|p| {
        let upper = p.to_ascii_uppercase();
        MODERN.iter().any(|m| upper.contains(m))
    });
    Ok(Some((modern, policy)))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let Some((modern, policy)) = state(view)? else {
        return Ok(Verdict::not_applicable("not an HTTPS or TLS listener"));
    };
    if modern {
        return Ok(Verdict::Pass);
    }
    let what = match policy {
        Some(p) => format!("uses `{p}`, which allows TLS versions before 1.2"),
        None => "sets no security policy, leaving the choice to the service default".to_string(),
    };
    Ok(Verdict::violation(
        Violation::new(format!("listener `{}` {what}", view.resource.name))
            .at(at(view, "sslPolicy")),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    match state(view)? {
        Some((false, _)) => {
            let mut props = view.props.clone();
            props.set(&at(view, "sslPolicy"), Value::string(RECOMMENDED));
            Ok(Some(props))
        }
        _ => Ok(None),
    }
}
