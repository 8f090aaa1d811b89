//! Helpers shared by the S3, EC2/EBS, VPC, load-balancing and CloudFront rules: reading
//! properties with unknowns reported in the resource's own spelling, writing fixes in that
//! spelling, tying companion resources (a bucket's versioning, a VPC's flow log) to the resource
//! they configure, reading policy documents, and reading security group and network ACL rules.

use std::borrow::Cow;
use std::collections::HashMap;

use guardrail_core::{canonical_type, Halt, Map, Mode, ResourceView, Spelling, StackView, Value};

use crate::support::{is_world_cidr, spelled};

/// The resource's canonical (Terraform) type.
pub(crate) fn canonical<'a>(view: &ResourceView<'a>) -> Cow<'a, str> {
    canonical_type(&view.resource.type_)
}

/// The path of a camelCase property in the resource's spelling.
pub(crate) fn at(view: ResourceView<'_>, camel: &str) -> String {
    spelled(view.resource.spelling, camel)
}

/// `base.key` (or `key` when `base` is empty), the key spelled as the resource spells keys.
pub(crate) fn join(spelling: Spelling, base: &str, camel: &str) -> String {
    let key = spelled(spelling, camel);
    if base.is_empty() {
        key
    } else {
        format!("{base}.{key}")
    }
}

/// Reads a camelCase property path; an unknown value halts with the path in the resource's
/// spelling.
pub(crate) fn read<'a>(view: ResourceView<'a>, camel: &str) -> Result<Option<&'a Value>, Halt> {
    view.field(camel)
        .map_err(|_| Halt::unknown(at(view, camel)))
}

/// Reads a property of a nested value (a block or list item found at `base`).
pub(crate) fn read_in<'a>(
    item: &'a Value,
    spelling: Spelling,
    base: &str,
    camel: &str,
) -> Result<Option<&'a Value>, Halt> {
    item.field(camel)
        .map_err(|_| Halt::unknown(join(spelling, base, camel)))
}

/// The first of several spellings of a property that is present (Pulumi pluralises some list
/// blocks: `loggings` for Terraform's `logging`), with the camelCase name it was found under.
pub(crate) fn read_first<'a>(
    view: ResourceView<'a>,
    camels: &[&'static str],
) -> Result<Option<(&'a Value, &'static str)>, Halt> {
    for camel in camels {
        if let Some(found) = read(view, camel)? {
            return Ok(Some((found, camel)));
        }
    }
    Ok(None)
}

/// A boolean property; `None` when absent or null.
pub(crate) fn flag(view: ResourceView<'_>, camel: &str) -> Result<Option<bool>, Halt> {
    Ok(read(view, camel)?.and_then(Value::as_bool))
}

/// A non-blank string inside a nested value.
pub(crate) fn text_in<'a>(
    item: &'a Value,
    spelling: Spelling,
    base: &str,
    camel: &str,
) -> Result<Option<&'a str>, Halt> {
    Ok(read_in(item, spelling, base, camel)?
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty()))
}

/// The items of a list property with their paths (`origin[0]`, or the bare key for a single
/// object); the key is the first of `camels` present. Unknown lists and items halt.
pub(crate) fn items_of<'a>(
    view: ResourceView<'a>,
    camels: &[&'static str],
) -> Result<Vec<(String, &'a Value)>, Halt> {
    let Some((list, camel)) = read_first(view, camels)? else {
        return Ok(Vec::new());
    };
    items_at(list, &at(view, camel))
}

/// The items of a list value found at `base`, with their paths; unknown items halt.
pub(crate) fn items_at<'a>(list: &'a Value, base: &str) -> Result<Vec<(String, &'a Value)>, Halt> {
    let mut out = Vec::new();
    match list.reveal() {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let path = format!("{base}[{i}]");
                if item.is_unknown() {
                    return Err(Halt::unknown(path));
                }
                out.push((path, item.reveal()));
            }
        }
        Value::Null => {}
        Value::Unknown => return Err(Halt::unknown(base)),
        other => out.push((base.to_string(), other)),
    }
    Ok(out)
}

/// The resource's props with a camelCase path set to `value`, creating the blocks on the way in
/// the resource's spelling (Terraform: a list of one object; Pulumi: an object). Existing keys
/// keep their spelling.
pub(crate) fn with(view: ResourceView<'_>, camel: &str, value: Value) -> Value {
    let mut props = view.props.clone();
    set_path(&mut props, view.resource.spelling, camel, value);
    props
}

/// Sets a dotted camelCase path (no indexes) on `target`; see [`with`].
pub(crate) fn set_path(target: &mut Value, spelling: Spelling, camel: &str, value: Value) {
    let mut segments: Vec<&str> = camel.split('.').collect();
    let Some(last) = segments.pop() else {
        return;
    };
    let mut cur = target;
    for segment in segments {
        if matches!(cur, Value::Null) {
            *cur = Value::Object(Map::new());
        }
        // A block Terraform computes when unset shows as unknown; the fix writes it.
        if cur
            .get(segment)
            .is_none_or(|v| v.is_null() || v.is_unknown())
        {
            let block = match spelling {
                Spelling::Pulumi => Value::Object(Map::new()),
                Spelling::Terraform => Value::Array(vec![Value::Object(Map::new())]),
            };
            cur.set(&spelled(spelling, segment), block);
        }
        let Some(next) = cur.get_mut(segment) else {
            return;
        };
        cur = match next {
            Value::Array(items) => {
                if items.is_empty() {
                    items.push(Value::Object(Map::new()));
                }
                match items.first_mut() {
                    Some(item) => item,
                    None => return,
                }
            }
            other => other,
        };
    }
    cur.set(&spelled(spelling, last), value);
}

/// Whether something holds: yes, no, or known only after apply (at this path).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Known {
    /// It holds.
    Yes,
    /// It does not.
    No,
    /// It depends on a value known only after apply.
    Unknown(String),
}

impl Known {
    /// From a check that may halt on an unknown value (errors count as no).
    pub(crate) fn from_result(result: Result<bool, Halt>) -> Known {
        match result {
            Ok(true) => Known::Yes,
            Ok(false) => Known::No,
            Err(Halt::Unknown { path }) => Known::Unknown(path),
            Err(Halt::Error(_)) => Known::No,
        }
    }

    /// Any yes wins; otherwise any unknown; otherwise no.
    pub(crate) fn any(results: impl IntoIterator<Item = Known>) -> Known {
        let mut pending = None;
        for result in results {
            match result {
                Known::Yes => return Known::Yes,
                Known::Unknown(path) => {
                    pending.get_or_insert(path);
                }
                Known::No => {}
            }
        }
        pending.map_or(Known::No, Known::Unknown)
    }
}

/// Folds a key for comparison: lower case without `_`.
fn folded(key: &str) -> String {
    key.chars()
        .filter(|c| *c != '_')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The managed resources of a stack with one canonical type.
pub(crate) fn of_type<'a>(
    view: StackView<'a>,
    canonical: &'static str,
) -> impl Iterator<Item = ResourceView<'a>> + 'a {
    view.resources().filter(move |r| {
        r.resource.mode == Mode::Managed && canonical_type(&r.resource.type_) == canonical
    })
}

/// Companion resources that configure another resource through one property (a bucket's
/// versioning through `bucket`, a VPC's flow log through `vpcId`), indexed by every key that ties
/// them to it: the property's known value; the resources the property depends on (Pulumi property
/// dependencies); or, when the value is known only after apply and no property dependencies are
/// recorded, every dependency (Terraform plans record a resource's references). Lookups stay
/// linear in the size of the stack.
pub(crate) struct Companions<'a> {
    list: Vec<ResourceView<'a>>,
    index: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Companions<'a> {
    /// Indexes the managed resources of the given canonical types by property `key`
    /// (camelCase).
    pub(crate) fn of(view: StackView<'a>, canonicals: &[&'static str], key: &str) -> Self {
        let list: Vec<ResourceView<'a>> = view
            .resources()
            .filter(|r| {
                r.resource.mode == Mode::Managed
                    && canonicals.contains(&canonical_type(&r.resource.type_).as_ref())
            })
            .collect();
        let mut index: HashMap<&'a str, Vec<usize>> = HashMap::new();
        let wanted = folded(key);
        for (i, companion) in list.iter().enumerate() {
            let target = companion
                .props
                .field(key)
                .ok()
                .flatten()
                .and_then(Value::as_str);
            let mut keys: Vec<&'a str> = target.into_iter().collect();
            let resource = companion.resource;
            let by_property = resource
                .property_dependencies
                .iter()
                .find(|(k, _)| folded(k) == wanted)
                .map(|(_, deps)| deps);
            match by_property {
                Some(deps) => keys.extend(deps.items().filter_map(Value::as_str)),
                None if target.is_none() => {
                    keys.extend(resource.dependencies.iter().map(String::as_str));
                }
                None => {}
            }
            for k in keys {
                let slot = index.entry(k).or_default();
                if slot.last() != Some(&i) {
                    slot.push(i);
                }
            }
        }
        Companions { list, index }
    }

    /// The companions that refer to `target` by its resource id or by one of its properties
    /// `names` (camelCase, e.g. `bucket`, `id`, `arn`), in stack order.
    pub(crate) fn for_target(
        &self,
        target: ResourceView<'_>,
        names: &[&str],
    ) -> Vec<ResourceView<'a>> {
        let values = names.iter().filter_map(|key| {
            target
                .props
                .field(key)
                .ok()
                .flatten()
                .and_then(Value::as_str)
        });
        let mut found: Vec<usize> = values
            .chain([target.resource.id.as_str()])
            .filter_map(|name| self.index.get(name))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found
            .into_iter()
            .filter_map(|i| self.list.get(i).copied())
            .collect()
    }

    /// Whether there are no companions at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Parses a policy document: a JSON string is parsed, an object (Pulumi programs that pass a
/// literal) is taken as it is. `None` for anything else, including text that is not JSON.
pub(crate) fn json_document(value: &Value) -> Option<Value> {
    match value.reveal() {
        Value::String(text) => serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .map(Value::from_json),
        other @ Value::Object(_) => Some(other.clone()),
        _ => None,
    }
}

/// A policy document's statements (a single statement object counts as a list of one).
pub(crate) fn statements(doc: &Value) -> Vec<&Value> {
    doc.get("Statement")
        .map(|s| s.items().collect())
        .unwrap_or_default()
}

/// The strings of a statement element that is a string or a list of strings.
pub(crate) fn strings<'a>(stmt: &'a Value, key: &str) -> Vec<&'a str> {
    stmt.get(key)
        .map(|v| v.items().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Whether a statement's `Effect` is the given one (case-insensitive).
pub(crate) fn effect_is(stmt: &Value, effect: &str) -> bool {
    stmt.get("Effect")
        .and_then(Value::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case(effect))
}

/// Whether a statement's principal is everyone: `"*"`, `{"AWS": "*"}` or a list holding `"*"`.
pub(crate) fn principal_is_everyone(stmt: &Value) -> bool {
    let Some(principal) = stmt.get("Principal") else {
        return false;
    };
    match principal.reveal() {
        Value::String(s) => s.trim() == "*",
        Value::Object(map) => map.iter().any(|(k, v)| {
            k.eq_ignore_ascii_case("AWS")
                && v.items().filter_map(Value::as_str).any(|s| s.trim() == "*")
        }),
        _ => false,
    }
}

/// The condition keys a statement tests, lowercased (`aws:sourceip`...).
pub(crate) fn condition_keys(stmt: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(Value::Object(operators)) = stmt.get("Condition").map(Value::reveal) {
        for tests in operators.values() {
            if let Value::Object(tests) = tests.reveal() {
                keys.extend(tests.keys().map(|k| k.to_ascii_lowercase()));
            }
        }
    }
    keys
}

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

/// `ports 0-65535`, `port 22`, `every port and protocol`.
pub(crate) fn describe_reach(reach: Reach) -> String {
    match reach {
        Reach::All => "every port and protocol".to_string(),
        Reach::Range(from, to) if from == to => format!("port {from}"),
        Reach::Range(from, to) => format!("ports {from}-{to}"),
        Reach::NoPorts => "a protocol without ports".to_string(),
    }
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

/// The CIDR keys of security group rules: inline blocks and `aws_security_group_rule` use the
/// `*CidrBlocks` lists, the VPC rule resources single `cidrIpv4`/`cidrIpv6` values.
pub(crate) const SG_CIDR_KEYS: &[&str] = &["cidrBlocks", "ipv6CidrBlocks", "cidrIpv4", "cidrIpv6"];

/// Decodes standard or URL-safe base64, ignoring whitespace; `None` when it is not base64.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    let mut seen = 0usize;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        seen += 1;
        buffer = (buffer << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    (seen > 0).then_some(out)
}

/// What a stack rule of the "configured inline or by a companion resource" kind checks.
pub(crate) struct Coverage<'a> {
    /// The canonical type of the resources that must be covered (`aws_s3_bucket`).
    pub target: &'static str,
    /// Properties of a target a companion may name it by (`bucket`, `id`), besides its id.
    pub names: &'static [&'static str],
    /// Canonical types of the companion resources.
    pub companions: &'static [&'static str],
    /// The companion property that names the target (camelCase, `bucket`).
    pub key: &'static str,
    /// Whether the target covers itself (inline settings).
    pub inline: &'a dyn Fn(ResourceView<'_>) -> Known,
    /// Whether one companion covers its target.
    pub companion: &'a dyn Fn(ResourceView<'_>) -> Known,
}

/// The targets a [`Coverage`] leaves uncovered, each with whether a companion referred to it
/// (and did not cover it). A target whose coverage is known only after apply halts the rule,
/// unless another target is already uncovered.
pub(crate) fn uncovered<'a>(
    view: StackView<'a>,
    coverage: &Coverage<'_>,
) -> Result<Vec<(ResourceView<'a>, bool)>, Halt> {
    let companions = Companions::of(view, coverage.companions, coverage.key);
    let mut out = Vec::new();
    let mut unknown: Option<String> = None;
    for target in of_type(view, coverage.target) {
        let mut pending = match (coverage.inline)(target) {
            Known::Yes => continue,
            Known::No => None,
            Known::Unknown(path) => Some(path),
        };
        let referring = if companions.is_empty() {
            Vec::new()
        } else {
            companions.for_target(target, coverage.names)
        };
        let mut covered = false;
        for companion in &referring {
            match (coverage.companion)(*companion) {
                Known::Yes => {
                    covered = true;
                    break;
                }
                Known::No => {}
                Known::Unknown(path) => {
                    pending.get_or_insert(path);
                }
            }
        }
        if covered {
            continue;
        }
        if let Some(path) = pending {
            unknown.get_or_insert(path);
            continue;
        }
        out.push((target, !referring.is_empty()));
    }
    match (out.is_empty(), unknown) {
        (true, Some(path)) => Err(Halt::unknown(path)),
        _ => Ok(out),
    }
}

/// Canonical S3 bucket type.
pub(crate) const S3_BUCKET: &str = "aws_s3_bucket";

/// Properties of a bucket that companion resources name it by.
pub(crate) const BUCKET_NAMES: &[&str] = &["bucket", "id"];

/// Reads a deprecated inline setting of a resource that also has a separate resource for it (an
/// S3 bucket's `versioning`, `logging`, `policy`...). Terraform plans mark such optional and
/// computed arguments "known after apply" when the configuration leaves them out, so in the
/// Terraform spelling an unknown top-level value counts as not set; in Pulumi (which lists only
/// the inputs a program sets) it stays unknown.
pub(crate) fn read_inline<'a>(
    view: ResourceView<'a>,
    camel: &str,
) -> Result<Option<&'a Value>, Halt> {
    let top = camel.split('.').next().unwrap_or(camel);
    if view.resource.spelling == Spelling::Terraform
        && view.props.get(top).is_some_and(Value::is_unknown)
    {
        return Ok(None);
    }
    read(view, camel)
}

/// [`read_inline`] for the first of several spellings that is present, with the camelCase name
/// it was found under.
pub(crate) fn read_inline_first<'a>(
    view: ResourceView<'a>,
    camels: &[&'static str],
) -> Result<Option<(&'a Value, &'static str)>, Halt> {
    for camel in camels {
        if let Some(found) = read_inline(view, camel)? {
            return Ok(Some((found, camel)));
        }
    }
    Ok(None)
}

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
    fn reaches() {
        assert!(Reach::Range(0, 65535).is_everything());
        assert!(Reach::All.covers(5432));
        assert!(!Reach::Range(80, 443).covers(22));
        assert!(!Reach::NoPorts.covers(22));
    }

    #[test]
    fn principals() {
        let stmt = Value::from_json(serde_json::json!({"Principal": {"AWS": ["*"]}}));
        assert!(principal_is_everyone(&stmt));
        let stmt =
            Value::from_json(serde_json::json!({"Principal": {"AWS": "arn:aws:iam::1:root"}}));
        assert!(!principal_is_everyone(&stmt));
    }
}
