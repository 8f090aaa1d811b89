//! AWS-EC2-001: security groups must not open administrative ports to the whole internet.

use guardrail_core::{
    canonical_type, Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{
    config_ports, describe_reach, is_world_cidr, join, join_words, port_labels, reach, shown_cidr,
    Reach, Secrecy,
};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-001",
    name: "security-group-admin-port-open-to-world",
    title: "Security groups do not open administrative ports to the internet",
    description: "An ingress rule that lets 0.0.0.0/0 or ::/0 reach ssh, telnet, rdp or a \
                  database port exposes a management service to everyone on the internet.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ec2", "vpc"],
    topics: &["network", "exposure"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["5.2", "5.3"],
        },
        Control {
            framework: "pci-dss",
            controls: &["1.3.1"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-7"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.20"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.6"],
        },
    ]),
    resource_types: &[
        "aws_security_group",
        "aws:ec2/securityGroup:SecurityGroup",
        "aws_default_security_group",
        "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
        "aws_security_group_rule",
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "aws_vpc_security_group_ingress_rule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    ],
    remediation: "Allow administrative ports only from known address ranges, or close them and \
                  use AWS Systems Manager Session Manager or a VPN.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Ingress rules of security groups: the inline `ingress` blocks of \
               `aws_security_group` and `aws_default_security_group` (Pulumi \
               `aws:ec2/securityGroup:SecurityGroup`, `aws:ec2/defaultSecurityGroup:DefaultSecurityGroup`), \
               `aws_security_group_rule` resources with `type = \"ingress\"` (Pulumi \
               `aws:ec2/securityGroupRule:SecurityGroupRule`) and \
               `aws_vpc_security_group_ingress_rule` (Pulumi \
               `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule`). A rule violates when \
               its source is the whole internet — any CIDR with prefix length 0, such as \
               `0.0.0.0/0` in `cidr_blocks`/`cidr_ipv4` or `::/0` in \
               `ipv6_cidr_blocks`/`cidr_ipv6` — and its ports cover a configured administrative \
               port (`ports`, by default 22 ssh, 23 telnet, 3389 rdp, 5432 postgresql, 3306 \
               mysql). A port range counts when it includes such a port; protocol `-1` (`all`) \
               covers every port; TCP and UDP rules are checked, other protocols (ICMP) have no \
               ports. Each rule and source gives its own violation. A value known only after \
               apply makes the outcome indeterminate unless another rule already violates.",
        why: "Scanners sweep the whole IPv4 internet for ssh, rdp and database ports within \
              minutes of an address going live. An administrative port open to the world invites \
              password guessing, credential stuffing and exploitation of the service itself; it \
              is among the most common initial access paths in cloud breaches. The CIS AWS \
              Foundations Benchmark makes these two of its networking controls.",
        noncompliant: r#"Pulumi (TypeScript):

    const sg = new aws.ec2.SecurityGroup("admin", {
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
    });

Terraform:

    resource "aws_vpc_security_group_ingress_rule" "ssh" {
      security_group_id = aws_security_group.admin.id
      ip_protocol       = "tcp"
      from_port         = 22
      to_port           = 22
      cidr_ipv4         = "0.0.0.0/0"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const sg = new aws.ec2.SecurityGroup("admin", {
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.20.0.0/16"] }],
    });

Terraform:

    resource "aws_vpc_security_group_ingress_rule" "https" {
      security_group_id = aws_security_group.web.id
      ip_protocol       = "tcp"
      from_port         = 443
      to_port           = 443
      cidr_ipv4         = "0.0.0.0/0"
    }"#,
        fix: "Replace `0.0.0.0/0` and `::/0` with the address ranges that need access (an office \
              or VPN range, a bastion's security group via `source_security_group_id` / \
              `referenced_security_group_id`, Pulumi `sourceSecurityGroupId` / \
              `referencedSecurityGroupId`), narrow port ranges and `-1` protocols to the ports \
              the application serves, or remove the rule and administer instances through AWS \
              Systems Manager Session Manager.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 5.2 Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports; 5.3 Ensure no security groups allow ingress from ::/0 to remote server administration ports",
            "AWS: Security group rules — https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
            "AWS Systems Manager Session Manager — https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html",
            "PCI DSS v4.0: 1.3.1; NIST SP 800-53 Rev. 5: SC-7; ISO/IEC 27001:2022: A.8.20; SOC 2: CC6.6",
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
                "description": "Administrative ports that must not be open to the internet.",
                "type": "array",
                "items": {"type": "integer", "minimum": 0, "maximum": 65535},
                "default": [22, 23, 3389, 5432, 3306]
            }
        }
    })
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let ports = config_ports(config, "ports")?;
    let canonical = canonical_type(&view.resource.type_);
    let (noun, ingress_list) = match canonical.as_ref() {
        "aws_security_group" | "aws_default_security_group" => ("security group", true),
        "aws_security_group_rule" => {
            match view.field("type")?.and_then(Value::as_str) {
                Some(kind) if kind.eq_ignore_ascii_case("ingress") => {}
                Some(kind) => return Ok(Verdict::not_applicable(format!("a `{kind}` rule"))),
                None => return Ok(Verdict::not_applicable("the rule has no `type`")),
            }
            ("security group rule", false)
        }
        "aws_vpc_security_group_ingress_rule" => ("ingress rule", false),
        other => {
            return Ok(Verdict::not_applicable(format!(
                "`{other}` is not a security group type"
            )))
        }
    };
    let mut scan = Scan {
        view,
        noun,
        ports: &ports,
        violations: Vec::new(),
        unknown: None,
    };
    if ingress_list {
        match view.props.field("ingress") {
            Err(halt) => scan.note(halt),
            Ok(None) => {}
            Ok(Some(ingress)) => match ingress {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        scan.rule(item, &format!("ingress[{i}]"));
                    }
                }
                single => scan.rule(single, "ingress"),
            },
        }
    } else {
        scan.rule(view.props, "");
    }
    match (scan.violations.is_empty(), scan.unknown) {
        (false, _) => Ok(Verdict::Violations(scan.violations)),
        (true, Some(path)) => Err(Halt::unknown(path)),
        (true, None) => Ok(Verdict::Pass),
    }
}

struct Scan<'v, 'p> {
    view: ResourceView<'v>,
    noun: &'static str,
    ports: &'p [u16],
    violations: Vec<Violation>,
    /// The first property whose unknown value kept the scan from deciding.
    unknown: Option<String>,
}

impl Scan<'_, '_> {
    fn note(&mut self, halt: Halt) {
        if let Halt::Unknown { path, .. } = halt {
            self.unknown.get_or_insert(path);
        }
    }

    fn path(&self, base: &str, camel: &str) -> String {
        join(self.view.resource.spelling, base, camel)
    }

    /// Reads a property of one rule; an unknown value is noted and reads as `Err(())`.
    fn read<'a>(
        &mut self,
        rule: &'a Value,
        base: &str,
        camel: &str,
    ) -> Result<Option<&'a Value>, ()> {
        rule.field(camel).map_err(|_| {
            let path = self.path(base, camel);
            self.unknown.get_or_insert(path);
        })
    }

    fn rule(&mut self, rule: &Value, base: &str) {
        if rule.is_unknown() {
            self.unknown.get_or_insert_with(|| base.to_string());
            return;
        }
        let reach = match reach(rule, self.view.resource.spelling, base) {
            Ok(Reach::NoPorts) => return,
            Ok(reach) => reach,
            Err(halt) => return self.note(halt),
        };
        let exposed: Vec<u16> = self
            .ports
            .iter()
            .copied()
            .filter(|p| reach.covers(*p))
            .collect();
        if exposed.is_empty() {
            return;
        }
        for camel in ["cidrBlocks", "cidrIpv4", "ipv6CidrBlocks", "cidrIpv6"] {
            let Ok(Some(sources)) = self.read(rule, base, camel) else {
                continue;
            };
            for (j, source) in sources.items().enumerate() {
                let path = match sources.reveal() {
                    Value::Array(_) => format!("{}[{j}]", self.path(base, camel)),
                    _ => self.path(base, camel),
                };
                if source.is_unknown() {
                    self.unknown.get_or_insert(path);
                    continue;
                }
                let Some(cidr) = source.as_str().filter(|c| is_world_cidr(c)) else {
                    continue;
                };
                // asked from the props: a port under a secret block is secret too
                let secrecy = Secrecy::of(self.view.props, self.view.resource.spelling, base);
                let cidr = shown_cidr(self.view.props, &path, cidr);
                let message = self.message(&cidr, reach, &exposed, secrecy);
                self.violations.push(Violation::new(message).at(path));
            }
        }
    }

    fn message(&self, cidr: &str, reach: Reach, exposed: &[u16], secrecy: Secrecy) -> String {
        let who = format!("{} `{}`", self.noun, self.view.resource.name);
        let labels = port_labels(exposed.iter().copied(), secrecy.any());
        match reach {
            Reach::Range(from, to) if from == to => format!(
                "{who} allows ingress from {cidr} to port {}, an administrative port",
                join_words(&labels)
            ),
            Reach::Range(..) => format!(
                "{who} allows ingress from {cidr} to {}, which include \
                 administrative port{} {}",
                describe_reach(reach, secrecy),
                if labels.len() > 1 { "s" } else { "" },
                join_words(&labels)
            ),
            Reach::All | Reach::NoPorts => format!(
                "{who} allows ingress from {cidr} on every port and protocol, including \
                 administrative port{} {}",
                if labels.len() > 1 { "s" } else { "" },
                join_words(&labels)
            ),
        }
    }
}
