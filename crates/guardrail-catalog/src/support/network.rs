//! Network and edge helpers: the ports and whole-internet sources of security group and network
//! ACL rules, the resource types of load balancers and CloudFront, and base64 user data.

use guardrail_core::{Halt, ResourceView, Spelling, Value, Verdict, Violation};

use super::{
    canonical, is_world_cidr, items_at, items_of, join, read, read_in, read_inline, shown_number,
    Known,
};

/// Which ports a security group or network ACL rule opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Every port and protocol (protocol `-1`/`all`).
    All,
    /// An inclusive TCP/UDP port range.
    Range(i64, i64),
    /// A protocol without ports (ICMP and others).
    NoPorts,
}

impl Reach {
    /// Whether the rule reaches a port.
    pub(crate) fn covers(self, port: u16) -> bool {
        match self {
            Reach::All => true,
            Reach::Range(from, to) => (from..=to).contains(&i64::from(port)),
            Reach::NoPorts => false,
        }
    }

    /// Whether the rule reaches every TCP/UDP port.
    pub(crate) fn is_everything(self) -> bool {
        match self {
            Reach::All => true,
            Reach::Range(from, to) => from <= 0 && to >= 65535,
            Reach::NoPorts => false,
        }
    }
}

/// The ports a security group or network ACL rule (at `base`) opens, from `protocol` (or
/// `ipProtocol`), `fromPort` and `toPort`.
pub(crate) fn reach(rule: &Value, spelling: Spelling, base: &str) -> Result<Reach, Halt> {
    let protocol = match read_in(rule, spelling, base, "protocol")? {
        Some(p) => Some(p),
        None => read_in(rule, spelling, base, "ipProtocol")?,
    };
    let protocol = protocol.map(|p| match p.reveal() {
        Value::String(s) => s.trim().to_ascii_lowercase(),
        other => other.to_json_redacted().to_string(),
    });
    match protocol.as_deref() {
        Some("-1" | "all") => return Ok(Reach::All),
        None | Some("tcp" | "6" | "udp" | "17") => {}
        Some(_) => return Ok(Reach::NoPorts),
    }
    let from = read_in(rule, spelling, base, "fromPort")?.and_then(Value::as_i64);
    let to = read_in(rule, spelling, base, "toPort")?.and_then(Value::as_i64);
    // A missing or negative bound leaves that side of the range open.
    let from = from.filter(|p| *p >= 0).unwrap_or(0);
    let to = to.filter(|p| *p >= 0).unwrap_or(65535);
    Ok(Reach::Range(from, to))
}

/// Which bounds of a rule's port range were read from secrets: the value itself or any block
/// around it (a whole sensitive `ingress` makes every port in it secret).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Secrecy {
    /// `fromPort` is secret.
    pub(crate) from: bool,
    /// `toPort` is secret.
    pub(crate) to: bool,
}

impl Secrecy {
    /// The secrecy of the bounds of the rule at `base` (a path from the resource's props).
    pub(crate) fn of(props: &Value, spelling: Spelling, base: &str) -> Secrecy {
        Secrecy {
            from: props.secret_at(&join(spelling, base, "fromPort")),
            to: props.secret_at(&join(spelling, base, "toPort")),
        }
    }

    /// Whether either bound is secret: then so is which ports the range covers.
    pub(crate) fn any(self) -> bool {
        self.from || self.to
    }
}

/// `ports 0-65535`, `port 22`, `every port and protocol`; a secret bound is `[secret]`.
pub(crate) fn describe_reach(reach: Reach, secrecy: Secrecy) -> String {
    match reach {
        Reach::All => "every port and protocol".to_string(),
        // either bound tells the other
        Reach::Range(from, to) if from == to => {
            format!("port {}", shown_number(from, secrecy.any()))
        }
        Reach::Range(from, to) => format!(
            "ports {}-{}",
            shown_number(from, secrecy.from),
            shown_number(to, secrecy.to)
        ),
        Reach::NoPorts => "a protocol without ports".to_string(),
    }
}

/// A source CIDR for a message: `[secret]` when it was read from a secret.
pub(crate) fn shown_cidr(props: &Value, path: &str, cidr: &str) -> String {
    Value::string(cidr)
        .tainted_if(props.secret_at(path))
        .shown()
        .to_string()
}

/// The whole-internet CIDR sources of a rule, with their paths. `Err` carries the path of the
/// first source known only after apply (the known world sources are still returned in `Ok` when
/// there are any).
pub(crate) fn world_sources(
    rule: &Value,
    spelling: Spelling,
    base: &str,
    keys: &[&str],
) -> (Vec<(String, String)>, Option<String>) {
    let mut found = Vec::new();
    let mut unknown = None;
    for camel in keys {
        let path = join(spelling, base, camel);
        let sources = match rule.field(camel) {
            Err(_) => {
                unknown.get_or_insert(path);
                continue;
            }
            Ok(None) => continue,
            Ok(Some(sources)) => sources,
        };
        let list = matches!(sources.reveal(), Value::Array(_));
        for (j, source) in sources.items().enumerate() {
            let here = if list {
                format!("{path}[{j}]")
            } else {
                path.clone()
            };
            if source.is_unknown() {
                unknown.get_or_insert(here);
                continue;
            }
            if let Some(cidr) = source.as_str().filter(|c| is_world_cidr(c)) {
                found.push((here, cidr.trim().to_string()));
            }
        }
    }
    (found, unknown)
}

/// Which way a security group rule points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Inbound.
    Ingress,
    /// Outbound.
    Egress,
}

/// Security group types whose rules [`sg_rules`] reads.
pub(crate) const SG_TYPES: &[&str] = &[
    "aws_security_group",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws_default_security_group",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws_security_group_rule",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws_vpc_security_group_ingress_rule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws_vpc_security_group_egress_rule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
];

/// The security group rules of one direction a resource declares: `(noun, rules)` where each
/// rule is its path (empty for a standalone rule resource) and value; `Err(reason)` when the
/// resource declares none of that direction by its nature (an egress rule resource when ingress
/// is wanted).
pub(crate) type SgRules<'a> = Result<(&'static str, Vec<(String, &'a Value)>), String>;

/// Reads a resource's security group rules of one direction; see [`SgRules`].
pub(crate) fn sg_rules<'a>(
    view: ResourceView<'a>,
    direction: Direction,
) -> Result<SgRules<'a>, Halt> {
    let inline = match direction {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    };
    match canonical(&view).as_ref() {
        "aws_security_group" | "aws_default_security_group" => {
            let rules = match read(view, inline)? {
                None => Vec::new(),
                Some(list) => items_at(list, inline)?,
            };
            Ok(Ok(("security group", rules)))
        }
        "aws_security_group_rule" => match read(view, "type")?.and_then(Value::as_str) {
            Some(kind) if kind.eq_ignore_ascii_case(inline) => Ok(Ok((
                "security group rule",
                vec![(String::new(), view.props)],
            ))),
            Some(kind) => Ok(Err(format!("a `{kind}` rule"))),
            None => Ok(Err("the rule has no `type`".to_string())),
        },
        "aws_vpc_security_group_ingress_rule" => match direction {
            Direction::Ingress => Ok(Ok(("ingress rule", vec![(String::new(), view.props)]))),
            Direction::Egress => Ok(Err("an ingress rule".to_string())),
        },
        "aws_vpc_security_group_egress_rule" => match direction {
            Direction::Egress => Ok(Ok(("egress rule", vec![(String::new(), view.props)]))),
            Direction::Ingress => Ok(Err("an egress rule".to_string())),
        },
        other => Ok(Err(format!("`{other}` is not a security group type"))),
    }
}

/// The verdict of a rule that a resource's security group rules of one direction are not open to
/// the whole internet: `detail(reach, secrecy)` says what is wrong with a rule's ports (`on
/// every port and protocol`), `None` when nothing is; each whole-internet source of such a rule is a
/// violation `{noun} \`name\` allows ingress from {cidr} {detail}` (`egress to` for egress).
/// A value known only after apply halts the rule unless a violation was found.
pub(crate) fn open_to_world_verdict(
    view: ResourceView<'_>,
    direction: Direction,
    detail: impl Fn(Reach, Secrecy) -> Option<String>,
) -> Result<Verdict, Halt> {
    let spelling = view.resource.spelling;
    let (noun, rules) = match sg_rules(view, direction)? {
        Ok(found) => found,
        Err(reason) => return Ok(Verdict::not_applicable(reason)),
    };
    let way = match direction {
        Direction::Ingress => "ingress from",
        Direction::Egress => "egress to",
    };
    let mut violations = Vec::new();
    let mut unknown = None;
    for (base, rule) in rules {
        let reach = match reach(rule, spelling, &base) {
            Ok(reach) => reach,
            Err(halt) => {
                if let Known::Unknown(path) = Known::from_result(Err(halt)) {
                    unknown.get_or_insert(path);
                }
                continue;
            }
        };
        let Some(detail) = detail(reach, Secrecy::of(view.props, spelling, &base)) else {
            continue;
        };
        let (sources, pending) = world_sources(rule, spelling, &base, SG_CIDR_KEYS);
        if let Some(path) = pending {
            unknown.get_or_insert(path);
        }
        for (path, cidr) in sources {
            let cidr = shown_cidr(view.props, &path, &cidr);
            violations.push(
                Violation::new(format!(
                    "{noun} `{}` allows {way} {cidr} {detail}",
                    view.resource.name
                ))
                .at(path),
            );
        }
    }
    match (violations.is_empty(), unknown) {
        (true, Some(path)) => Err(Halt::unknown(path)),
        _ => Ok(Verdict::from_violations(violations)),
    }
}

/// The CIDR keys of security group rules: inline blocks and `aws_security_group_rule` use the
/// `*CidrBlocks` lists, the VPC rule resources single `cidrIpv4`/`cidrIpv6` values.
pub(crate) const SG_CIDR_KEYS: &[&str] = &["cidrBlocks", "ipv6CidrBlocks", "cidrIpv4", "cidrIpv6"];

pub(crate) use guardrail_core::redact::base64_decode;

/// Canonical S3 bucket type.
pub(crate) const S3_BUCKET: &str = "aws_s3_bucket";

/// Properties of a bucket that companion resources name it by.
pub(crate) const BUCKET_NAMES: &[&str] = &["bucket", "id"];

/// Application, network and gateway load balancers in every spelling.
pub(crate) const LB_TYPES: &[&str] = &[
    "aws_lb",
    "aws_alb",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
    "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
    "aws:applicationloadbalancing/loadBalancer:LoadBalancer",
];

/// Load balancer listeners in every spelling.
pub(crate) const LISTENER_TYPES: &[&str] = &[
    "aws_lb_listener",
    "aws_alb_listener",
    "aws:lb/listener:Listener",
    "aws:alb/listener:Listener",
    "aws:elasticloadbalancingv2/listener:Listener",
    "aws:applicationloadbalancing/listener:Listener",
];

/// Classic load balancers in every spelling.
pub(crate) const ELB_TYPES: &[&str] = &[
    "aws_elb",
    "aws:elb/loadBalancer:LoadBalancer",
    "aws:elasticloadbalancing/loadBalancer:LoadBalancer",
];

/// All load balancers, classic and current.
pub(crate) const ANY_LB_TYPES: &[&str] = &[
    "aws_lb",
    "aws_alb",
    "aws:lb/loadBalancer:LoadBalancer",
    "aws:alb/loadBalancer:LoadBalancer",
    "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer",
    "aws:applicationloadbalancing/loadBalancer:LoadBalancer",
    "aws_elb",
    "aws:elb/loadBalancer:LoadBalancer",
    "aws:elasticloadbalancing/loadBalancer:LoadBalancer",
];

/// A load balancer's type (`application` when not set, the provider default), lowercased.
pub(crate) fn lb_type(view: ResourceView<'_>) -> Result<String, Halt> {
    Ok(read_inline(view, "loadBalancerType")?
        .and_then(Value::as_str)
        .unwrap_or("application")
        .to_ascii_lowercase())
}

/// CloudFront distributions in every spelling.
pub(crate) const CLOUDFRONT_TYPES: &[&str] = &[
    "aws_cloudfront_distribution",
    "aws:cloudfront/distribution:Distribution",
];

/// A distribution's cache behaviours with their paths: the default one, then the ordered ones.
pub(crate) fn cache_behaviours<'a>(
    view: ResourceView<'a>,
) -> Result<Vec<(String, &'a Value)>, Halt> {
    let mut out = items_of(view, &["defaultCacheBehavior"])?;
    out.extend(items_of(
        view,
        &["orderedCacheBehaviors", "orderedCacheBehavior"],
    )?);
    Ok(out)
}

/// A distribution's origins with their paths.
pub(crate) fn origins<'a>(view: ResourceView<'a>) -> Result<Vec<(String, &'a Value)>, Halt> {
    items_of(view, &["origins", "origin"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(
            base64_decode("aGVsbG8gd29ybGQ").as_deref(),
            Some(&b"hello world"[..])
        );
        assert_eq!(base64_decode("not base64!"), None);
    }

    #[test]
    fn secret_ports_are_described_without_their_values() {
        use crate::support::port_labels;
        let mut props = Value::from_json(serde_json::json!({"name": "sg"}));
        let ingress = Value::from_json(serde_json::json!([{"from_port": 22, "to_port": 22}]));
        props.set("ingress", Value::Secret(Box::new(ingress)));
        // a port inside a secret block is secret, though the block's items are plain
        let whole = Secrecy::of(&props, Spelling::Terraform, "ingress[0]");
        assert_eq!(
            whole,
            Secrecy {
                from: true,
                to: true
            }
        );
        assert_eq!(describe_reach(Reach::Range(22, 22), whole), "port [secret]");
        let upper = Secrecy {
            from: false,
            to: true,
        };
        assert_eq!(
            describe_reach(Reach::Range(0, 65535), upper),
            "ports 0-[secret]"
        );
        // one bound tells the other when they are equal
        assert_eq!(describe_reach(Reach::Range(22, 22), upper), "port [secret]");
        assert_eq!(
            describe_reach(Reach::Range(0, 65535), Secrecy::default()),
            "ports 0-65535"
        );
        assert_eq!(port_labels([22, 3389], true), vec!["[secret]".to_string()]);
        assert_eq!(port_labels([22], false), vec!["22 (ssh)".to_string()]);
        let cidr = shown_cidr(&props, "ingress[0].cidr_blocks[0]", "0.0.0.0/0");
        assert_eq!(cidr, "[secret]");
        assert_eq!(
            shown_cidr(&props, "egress[0].cidr_blocks[0]", "::/0"),
            "::/0"
        );
    }

    #[test]
    fn reaches() {
        assert!(Reach::Range(0, 65535).is_everything());
        assert!(Reach::All.covers(5432));
        assert!(!Reach::Range(80, 443).covers(22));
        assert!(!Reach::NoPorts.covers(22));
    }
}
