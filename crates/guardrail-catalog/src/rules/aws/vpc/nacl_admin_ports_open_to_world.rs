//! AWS-VPC-004: network ACLs do not allow administrative ports from the internet.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Spelling, Value, Verdict, Violation,
};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{
    canonical, items_of, reach, read_in, shown_cidr, world_sources, Known, Reach, Secrecy,
};
use crate::support::{config_ports, join_words, port_labels};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-VPC-004",
    name: "nacl-admin-ports-open-to-world",
    title: "Network ACLs do not allow administrative ports from the internet",
    description: "A network ACL entry that allows 0.0.0.0/0 or ::/0 into ssh or rdp leaves \
                  only security groups between the internet and every instance in the subnet.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["vpc"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["5.1"] },
        Control { framework: "pci-dss", controls: &["1.3.1"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: &[
        "aws_network_acl",
        "aws:ec2/networkAcl:NetworkAcl",
        "aws_default_network_acl",
        "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
        "aws_network_acl_rule",
        "aws:ec2/networkAclRule:NetworkAclRule",
    ],
    remediation: "Deny, or do not allow, administrative ports from 0.0.0.0/0 and ::/0 in the \
                  network ACL.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Inbound entries of `aws_network_acl` and `aws_default_network_acl` (inline \
               `ingress`, Pulumi `aws:ec2/networkAcl:NetworkAcl`, \
               `aws:ec2/defaultNetworkAcl:DefaultNetworkAcl`) and `aws_network_acl_rule` with \
               `egress` false (Pulumi `aws:ec2/networkAclRule:NetworkAclRule`). An entry \
               violates when its action (`action`, or `rule_action` on rule resources) is \
               `allow`, its source (`cidr_block` or `ipv6_cidr_block`) has prefix length 0, and \
               its protocol (`-1`/`all`, TCP or UDP) and port range cover a port in `ports` \
               (by default 22 ssh and 3389 rdp, the CIS list). Inline entries are evaluated in \
               `rule_no` order: an allow shadowed by a lower-numbered deny for the same port \
               and address family passes. Standalone rule resources are judged alone. Values \
               known only after apply make the outcome indeterminate unless another entry \
               already violates.",
        why: "Network ACLs are the subnet-level, stateless layer of defence. An ACL that lets \
              the whole internet reach ssh or rdp leaves one security group mistake between \
              scanners and every instance in the subnets it guards. The CIS AWS Foundations \
              Benchmark asks that no network ACL allow it.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ec2.NetworkAcl("public", {
        vpcId: vpc.id,
        ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "0.0.0.0/0" }],
    });

Terraform:

    resource "aws_network_acl_rule" "ssh" {
      network_acl_id = aws_network_acl.public.id
      rule_number    = 100
      egress         = false
      protocol       = "tcp"
      rule_action    = "allow"
      cidr_block     = "0.0.0.0/0"
      from_port      = 22
      to_port        = 22
    }"#,
        compliant: r#"Pulumi (TypeScript):

    ingress: [
        { ruleNo: 90, action: "deny", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "0.0.0.0/0" },
        { ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0" },
    ],

Terraform:

    resource "aws_network_acl_rule" "https" {
      network_acl_id = aws_network_acl.public.id
      rule_number    = 100
      egress         = false
      protocol       = "tcp"
      rule_action    = "allow"
      cidr_block     = "0.0.0.0/0"
      from_port      = 443
      to_port        = 443
    }"#,
        fix: "Allow administrative ports only from known ranges (`cidr_block`), or add a \
              lower-numbered `deny` entry for them from 0.0.0.0/0 and ::/0 ahead of broad \
              allow entries; administer instances through Session Manager. Adjust `ports` to \
              your administrative ports.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 5.1 Ensure no Network ACLs allow ingress from 0.0.0.0/0 to remote server administration ports",
            "AWS: Control subnet traffic with network access control lists — https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "ports": {
                "description": "Administrative ports no network ACL may allow from the internet.",
                "type": "array",
                "items": {"type": "integer", "minimum": 0, "maximum": 65535},
                "default": [22, 3389]
            }
        }
    })
}

/// One inbound entry, decided.
struct Entry {
    number: i64,
    allow: bool,
    reach: Reach,
    /// Whether the ports were read from a secret.
    secret: bool,
    /// World sources: (path, cidr as shown, is IPv6).
    world: Vec<(String, String, bool)>,
}

fn entry(
    props: &Value,
    item: &Value,
    spelling: Spelling,
    base: &str,
    action_key: &str,
    number_key: &str,
) -> Result<Option<Entry>, Halt> {
    let action = read_in(item, spelling, base, action_key)?.and_then(Value::as_str);
    let allow = action.is_some_and(|a| a.eq_ignore_ascii_case("allow"));
    let number = read_in(item, spelling, base, number_key)?
        .and_then(Value::as_i64)
        .unwrap_or(i64::MAX);
    let reach = reach(item, spelling, base)?;
    let (world, pending) = world_sources(item, spelling, base, &["cidrBlock", "ipv6CidrBlock"]);
    if let Some(path) = pending {
        return Err(Halt::unknown(path));
    }
    let world = world
        .into_iter()
        .map(|(path, cidr)| {
            let v6 = cidr.contains(':');
            let cidr = shown_cidr(props, &path, &cidr);
            (path, cidr, v6)
        })
        .collect();
    Ok(Some(Entry {
        number,
        allow,
        reach,
        secret: Secrecy::of(props, spelling, base).any(),
        world,
    }))
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let ports = config_ports(config, "ports")?;
    let spelling = view.resource.spelling;
    let name = &view.resource.name;
    let mut entries = Vec::new();
    let mut unknown = None;
    let noun;
    if canonical(&view) == "aws_network_acl_rule" {
        noun = "network ACL rule";
        let egress = read_in(view.props, spelling, "", "egress")?.and_then(Value::as_bool);
        if egress == Some(true) {
            return Ok(Verdict::not_applicable("an egress rule"));
        }
        entries.push(entry(
            view.props,
            view.props,
            spelling,
            "",
            "ruleAction",
            "ruleNumber",
        )?);
    } else {
        noun = "network ACL";
        for (path, item) in items_of(view, &["ingress"])? {
            match entry(view.props, item, spelling, &path, "action", "ruleNo") {
                Ok(found) => entries.push(found),
                Err(halt) => {
                    if let Known::Unknown(p) = Known::from_result(Err(halt)) {
                        unknown.get_or_insert(p);
                    }
                }
            }
        }
    }
    let mut entries: Vec<Entry> = entries.into_iter().flatten().collect();
    entries.sort_by_key(|e| e.number);
    let mut violations = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        if !e.allow {
            continue;
        }
        for (path, cidr, v6) in &e.world {
            let covered = ports
                .iter()
                .copied()
                .filter(|p| e.reach.covers(*p))
                .filter(|p| {
                    !entries.iter().take(i).any(|d| {
                        !d.allow && d.reach.covers(*p) && d.world.iter().any(|w| w.2 == *v6)
                    })
                });
            let exposed = port_labels(covered, e.secret);
            if exposed.is_empty() {
                continue;
            }
            violations.push(
                Violation::new(format!(
                    "{noun} `{name}` allows inbound {cidr} to administrative port{} {}",
                    if exposed.len() > 1 { "s" } else { "" },
                    join_words(&exposed)
                ))
                .at(path.clone()),
            );
        }
    }
    match (violations.is_empty(), unknown) {
        (true, Some(path)) => Err(Halt::unknown(path)),
        _ => Ok(Verdict::from_violations(violations)),
    }
}
