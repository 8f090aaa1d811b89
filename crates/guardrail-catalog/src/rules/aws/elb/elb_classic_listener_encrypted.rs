//! AWS-ELB-008: classic load balancer listeners use HTTPS or SSL.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, items_of, join, read_in, shown_number, ELB_TYPES};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-008",
    name: "elb-classic-listener-encrypted",
    title: "Classic load balancer listeners use HTTPS or SSL",
    description: "A classic load balancer listener on HTTP or TCP accepts client traffic in \
                  clear text.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["elb"],
    topics: &["tls", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "soc2", controls: &["CC6.7"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "hipaa", controls: &["164.312(e)(1)"] },
        Control { framework: "nist-800-53", controls: &["SC-8"] },
    ]),
    resource_types: ELB_TYPES,
    remediation: "Use `lb_protocol = \"HTTPS\"` or `\"SSL\"` with a certificate, or migrate to an \
                  Application Load Balancer with an HTTPS listener.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Each `listener` of an `aws_elb` (Pulumi `aws:elb/loadBalancer:LoadBalancer` and \
               the legacy `elasticloadbalancing` token, `listeners[]`): `lb_protocol` (Pulumi \
               `lbProtocol`) `HTTP` or `TCP` is a violation, one per listener. `HTTPS` and \
               `SSL` pass. A protocol known only after apply is indeterminate.",
        why: "Classic load balancers predate most of today's defaults; plaintext listeners on \
              them are common in older stacks and carry logins, sessions and data in the \
              clear. An HTTP listener on a classic load balancer cannot even redirect to HTTPS \
              by itself.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.elb.LoadBalancer("legacy", {
        availabilityZones: ["eu-west-1a"],
        listeners: [{ lbPort: 80, lbProtocol: "http", instancePort: 8080, instanceProtocol: "http" }],
    });

Terraform:

    resource "aws_elb" "legacy" {
      availability_zones = ["eu-west-1a"]
      listener {
        lb_port           = 80
        lb_protocol       = "http"
        instance_port     = 8080
        instance_protocol = "http"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    listeners: [{ lbPort: 443, lbProtocol: "https", instancePort: 8080, instanceProtocol: "http", sslCertificateId: cert.arn }],

Terraform:

    listener {
      lb_port            = 443
      lb_protocol        = "https"
      instance_port      = 8080
      instance_protocol  = "http"
      ssl_certificate_id = aws_acm_certificate.web.arn
    }"#,
        fix: "Change the listener to `lb_protocol = \"https\"` (or `\"ssl\"` for TCP services) \
              with `ssl_certificate_id` (Pulumi `lbProtocol`, `sslCertificateId`); better, \
              migrate to an Application Load Balancer, whose HTTP listener can redirect to \
              HTTPS.",
        references: &[
            "AWS: Listeners for your Classic Load Balancer — https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-listener-config.html",
            "AWS Security Hub: [ELB.3] Classic Load Balancer listeners should be configured with HTTPS or TLS termination",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let mut violations = Vec::new();
    for (path, listener) in items_of(view, &["listeners", "listener"])? {
        let protocol = read_in(listener, spelling, &path, "lbProtocol")?.and_then(Value::as_str);
        if let Some(p) =
            protocol.filter(|p| p.eq_ignore_ascii_case("http") || p.eq_ignore_ascii_case("tcp"))
        {
            // asked from the props: a listener in a secret block is secret as a whole
            let secret = |camel: &str| view.secret_at(&join(spelling, &path, camel));
            let port = read_in(listener, spelling, &path, "lbPort")?
                .and_then(Value::as_i64)
                .map_or_else(String::new, |n| {
                    format!(" on port {}", shown_number(n, secret("lbPort")))
                });
            let p = Value::string(p)
                .tainted_if(secret("lbProtocol"))
                .shown()
                .to_string();
            violations.push(
                Violation::new(format!(
                    "classic load balancer `{}` has a plaintext `{p}` listener{port}",
                    view.resource.name
                ))
                .at(format!("{path}.{}", at(view, "lbProtocol"))),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
