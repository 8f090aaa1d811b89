//! AWS-ELB-001: load-balancer target groups must not forward to administrative ports.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{config_ports, port_label_of, show, spelled};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ELB-001",
    name: "lb-target-group-admin-port",
    title: "Load-balancer target groups do not forward to administrative ports",
    description: "A load-balancer target group whose port is an administrative port (ssh, \
                  telnet, rdp, database ports) publishes a management service through the load \
                  balancer.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["elb"],
    topics: &["network", "exposure"],
    frameworks: Frameworks::Mapped(&[Control {
        framework: "nist-800-53",
        controls: &["CM-7", "SC-7"],
    }]),
    resource_types: &[
        "aws_lb_target_group",
        "aws_alb_target_group",
        "aws:lb/targetGroup:TargetGroup",
        "aws:alb/targetGroup:TargetGroup",
    ],
    remediation: "Point the target group at the application's port; reach administrative \
                  services through a bastion, AWS Systems Manager Session Manager or a VPN.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Every load-balancer target group (`aws_lb_target_group`, its alias \
               `aws_alb_target_group`, Pulumi `aws:lb/targetGroup:TargetGroup` and \
               `aws:alb/targetGroup:TargetGroup`) is checked for its `port`. A port in the \
               configured list (`ports`, by default 22 ssh, 23 telnet, 3389 rdp, 5432 postgresql \
               and 3306 mysql) is a violation. Target groups without a port (Lambda targets) are \
               not applicable; a port known only after apply is indeterminate.",
        why: "A load balancer exists to expose a service, usually to the internet. Forwarding it \
              to ssh, rdp, telnet or a database port puts a management interface in front of \
              everyone who can reach the load balancer: a target for password guessing and for \
              exploits of the service itself, and a path around the network controls that \
              normally keep such ports private.",
        noncompliant: r#"Pulumi (TypeScript):

    const tg = new aws.lb.TargetGroup("ssh", { port: 22, protocol: "TCP", vpcId: vpc.id });

Terraform:

    resource "aws_lb_target_group" "ssh" {
      port     = 22
      protocol = "TCP"
      vpc_id   = aws_vpc.main.id
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const tg = new aws.lb.TargetGroup("web", { port: 8080, protocol: "HTTP", vpcId: vpc.id });

Terraform:

    resource "aws_lb_target_group" "web" {
      port     = 8080
      protocol = "HTTP"
      vpc_id   = aws_vpc.main.id
    }"#,
        fix: "Set `port` (Pulumi and Terraform alike) to the port the application serves on, \
              and remove target groups that exist only to reach administrative services. For \
              administration use AWS Systems Manager Session Manager, a bastion host in a \
              private subnet, or a VPN. If a port in the list is the application's own port \
              (a database proxy, say), configure this rule's `ports` for that stack or grant an \
              exemption with a reason.",
        references: &[
            "AWS: Target groups for your Application Load Balancers — https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html",
            "AWS: Target groups for your Network Load Balancers — https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html",
            "NIST SP 800-53 Rev. 5: CM-7 Least Functionality, SC-7 Boundary Protection",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "ports": {
                "description": "Administrative ports a target group must not use.",
                "type": "array",
                "items": {"type": "integer", "minimum": 0, "maximum": 65535},
                "default": [22, 23, 3389, 5432, 3306]
            }
        }
    })
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let Some(port) = view.field("port")? else {
        return Ok(Verdict::not_applicable(
            "the target group has no port (Lambda targets have none)",
        ));
    };
    let Some(port) = port_number(port) else {
        return Err(Halt::error(format!(
            "target group `{}` has port {}, which is not a port number",
            view.resource.name,
            show(port)
        )));
    };
    let ports = config_ports(config, "ports")?;
    if !ports.contains(&port) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "target group `{}` listens on port {}, an administrative port",
            view.resource.name,
            port_label_of(port, view.secret_at("port"))
        ))
        .at(spelled(view.resource.spelling, "port")),
    ))
}

fn port_number(value: &Value) -> Option<u16> {
    value.as_i64().and_then(|n| u16::try_from(n).ok())
}
