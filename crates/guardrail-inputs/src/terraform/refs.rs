//! Terraform addresses and dependencies.
//!
//! Dependencies of a plan come from its `configuration`: every `references` list of a resource's
//! expressions, its `count`/`for_each` expressions and its `depends_on`, resolved through
//! module outputs (`module.m.out` → what the output refers to inside `m`) and module inputs
//! (`var.x` inside `m` → what the caller passed as `x`). A reference names a resource of the
//! configuration (`aws_s3_bucket.b`); it is linked to every instance of that resource in the
//! plan (`aws_s3_bucket.b[0]`, `aws_s3_bucket.b["x"]`), or to the one instance it names
//! (`aws_s3_bucket.b[0]`), within the same module instance where there is one.

use std::collections::{BTreeMap, HashMap};

use guardrail_core::value::Key;
use guardrail_core::{Resource, Value};
use serde::de::DeserializeSeed;
use serde::Deserialize;

/// Splits an address into its configuration form (instance keys removed:
/// `module.a["k"].aws_s3_bucket.b[0]` → `module.a.aws_s3_bucket.b`) and the last instance key
/// when the address ends with one (`0`, `"k"` with its quotes).
pub(crate) fn strip_keys(addr: &str) -> (String, Option<&str>) {
    let mut out = String::with_capacity(addr.len());
    let mut last_key = None;
    let bytes = addr.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'[' {
            let start = i + 1;
            let mut j = start;
            let mut in_quote = false;
            while j < bytes.len() {
                match bytes[j] {
                    b'\\' if in_quote => j += 1,
                    b'"' => in_quote = !in_quote,
                    b']' if !in_quote => break,
                    _ => {}
                }
                j += 1;
            }
            let end = j.min(bytes.len());
            last_key = if end + 1 >= bytes.len() {
                addr.get(start..end)
            } else {
                None
            };
            i = end + 1;
        } else {
            let next = addr[i..].find('[').map_or(bytes.len(), |n| i + n);
            out.push_str(&addr[i..next]);
            i = next;
        }
    }
    (out, last_key)
}

/// One step of a reference: `b["x.y"]` → (`b`, `Some("\"x.y\"")`).
fn ref_parts(reference: &str) -> Vec<(&str, Option<&str>)> {
    let mut parts = Vec::new();
    let bytes = reference.as_bytes();
    let mut start = 0;
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut i = 0;
    while i <= bytes.len() {
        let c = bytes.get(i).copied();
        match c {
            Some(b'\\') if in_quote => i += 1,
            Some(b'"') if depth > 0 => in_quote = !in_quote,
            Some(b'[') if !in_quote => depth += 1,
            Some(b']') if !in_quote => depth = depth.saturating_sub(1),
            Some(b'.') | None if depth == 0 && !in_quote => {
                let seg = reference.get(start..i.min(bytes.len())).unwrap_or_default();
                let (name, key) = match seg.find('[') {
                    Some(b) => (
                        &seg[..b],
                        seg.get(b + 1..seg.rfind(']').unwrap_or(seg.len())),
                    ),
                    None => (seg, None),
                };
                parts.push((name, key));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts
}

/// What a reference points at, in configuration terms.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    /// A resource (`module.a.aws_s3_bucket.b`), or one instance of it.
    Resource { addr: String, key: Option<String> },
    /// Every resource of a module (`module.a`) and its descendants.
    Module(String),
}

impl Target {
    /// An absolute address as states record dependencies (`module.m.aws_s3_bucket.b`, `module.m`).
    pub(crate) fn absolute(addr: &str) -> Target {
        let (config, key) = strip_keys(addr);
        let segments: Vec<&str> = config.split('.').collect();
        if segments.len() >= 2 && segments[segments.len() - 2] == "module" {
            Target::Module(config)
        } else {
            Target::Resource {
                addr: config,
                key: key.map(str::to_string),
            }
        }
    }
}

fn join(prefix: &str, rest: &str) -> String {
    if prefix.is_empty() {
        rest.to_string()
    } else {
        format!("{prefix}.{rest}")
    }
}

/// A module of the configuration.
#[derive(Deserialize, Default)]
pub(crate) struct ConfigModule {
    #[serde(default)]
    resources: Vec<ConfigResource>,
    #[serde(default)]
    module_calls: HashMap<String, ModuleCall>,
    #[serde(default)]
    outputs: HashMap<String, ConfigOutput>,
}

#[derive(Deserialize)]
struct ConfigResource {
    address: String,
    #[serde(default)]
    expressions: Args,
    #[serde(default)]
    count_expression: Refs,
    #[serde(default)]
    for_each_expression: Refs,
    #[serde(default)]
    depends_on: Vec<String>,
}

#[derive(Deserialize)]
struct ModuleCall {
    #[serde(default)]
    module: ConfigModule,
    #[serde(default)]
    expressions: Refs,
    #[serde(default)]
    depends_on: Vec<String>,
}

#[derive(Deserialize)]
struct ConfigOutput {
    #[serde(default)]
    expression: Refs,
    #[serde(default)]
    depends_on: Vec<String>,
}

/// The configuration section of a plan.
#[derive(Deserialize, Default)]
pub(crate) struct Configuration {
    #[serde(default)]
    root_module: ConfigModule,
    #[serde(default)]
    provider_config: HashMap<String, ProviderConfig>,
}

#[derive(Deserialize)]
struct ProviderConfig {
    #[serde(default)]
    expressions: Args,
}

impl Configuration {
    /// Whether some provider sets `default_tags`: then a resource's `tags_all` holds more than
    /// its own `tags`, and stays unknown where the plan says so.
    pub(crate) fn has_default_tags(&self) -> bool {
        self.provider_config
            .values()
            .any(|p| p.expressions.get("default_tags").is_some())
    }
}

/// What the configuration sets for one argument of a resource.
#[derive(Debug, PartialEq)]
pub(crate) enum Arg {
    /// An expression, with the references it makes (none for a constant).
    Expr(Vec<String>),
    /// Nested blocks (one for a single block), each with the arguments it sets.
    Blocks(Vec<Args>),
}

/// The arguments a resource's configuration sets (its `expressions`), with nested blocks.
///
/// An argument that is absent here is one the configuration never sets: where the plan shows it
/// as known only after apply, the provider fills it in (its documented default), which is not a
/// value that depends on something not yet created. Blocks written with `dynamic` do not show in
/// a plan's configuration at all (Terraform leaves them out).
#[derive(Default, Debug, PartialEq)]
pub(crate) struct Args {
    // keys inline up to 24 bytes: a large configuration holds hundreds of thousands of them
    args: Vec<(Key, Arg)>,
}

impl Args {
    /// The argument `key`, when the configuration sets it.
    pub(crate) fn get(&self, key: &str) -> Option<&Arg> {
        self.args
            .iter()
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, a)| a)
    }

    /// Every `references` list, each under its top-level argument.
    fn groups(&self) -> Vec<(&str, &[String])> {
        fn walk<'a>(top: &'a str, arg: &'a Arg, out: &mut Vec<(&'a str, &'a [String])>) {
            match arg {
                Arg::Expr(refs) if refs.is_empty() => {}
                Arg::Expr(refs) => out.push((top, refs)),
                Arg::Blocks(blocks) => {
                    for block in blocks {
                        for (_, nested) in &block.args {
                            walk(top, nested, out);
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (key, arg) in &self.args {
            walk(key.as_str(), arg, &mut out);
        }
        out
    }

    /// The arguments any of `blocks` sets (nested blocks of the same name joined), for
    /// matching the blocks of a value whose order may differ from the configuration's (sets).
    fn union(blocks: &[Args]) -> Args {
        let mut out = Args::default();
        for block in blocks {
            for (key, arg) in &block.args {
                let copy = match arg {
                    Arg::Expr(refs) => Arg::Expr(refs.clone()),
                    Arg::Blocks(nested) => Arg::Blocks(vec![Args::union(nested)]),
                };
                match (out.args.iter_mut().find(|(k, _)| k == key), copy) {
                    (None, copy) => out.args.push((key.clone(), copy)),
                    (Some((_, Arg::Blocks(have))), Arg::Blocks(more)) => {
                        let joined: Vec<Args> = have.drain(..).chain(more).collect();
                        *have = vec![Args::union(&joined)];
                    }
                    // an expression somewhere sets the whole argument
                    (Some((_, slot)), Arg::Expr(refs)) => *slot = Arg::Expr(refs),
                    (Some(_), Arg::Blocks(_)) => {}
                }
            }
        }
        out
    }

    /// Settles a resource's planned value against what the configuration sets: every value
    /// known only after apply under an argument the configuration never sets becomes null (the
    /// provider's default applies), and its path is pushed to `unset`. Values under arguments
    /// the configuration sets stay unknown, and so do values inside blocks the configuration
    /// does not show (`dynamic` blocks): only what is visibly absent is decided. `keep` names
    /// top-level arguments never decided (`tags_all` under a provider's `default_tags`).
    pub(crate) fn settle(
        &self,
        value: &mut Value,
        path: &str,
        keep: &[&str],
        unset: &mut Vec<Key>,
    ) {
        let Value::Object(map) = value else {
            return;
        };
        let at = |key: &str| {
            if path.is_empty() {
                key.to_string()
            } else {
                format!("{path}.{key}")
            }
        };
        for (key, child) in map.iter_mut() {
            match self.get(key) {
                None => {
                    let kept = path.is_empty() && keep.contains(&key.as_str());
                    if child.is_unknown() && !kept {
                        *child = Value::Null;
                        unset.push(if path.is_empty() {
                            key.clone()
                        } else {
                            Key::new(&at(key))
                        });
                    }
                }
                Some(Arg::Expr(_)) => {}
                Some(Arg::Blocks(blocks)) => match child {
                    Value::Object(_) if blocks.len() == 1 => {
                        if let Some(block) = blocks.first() {
                            block.settle(child, &at(key), &[], unset);
                        }
                    }
                    // more blocks than the configuration writes come from `dynamic` blocks
                    Value::Array(items) if items.len() <= blocks.len() => {
                        let joined = Args::union(blocks);
                        let here = at(key);
                        for (i, item) in items.iter_mut().enumerate() {
                            joined.settle(item, &format!("{here}[{i}]"), &[], unset);
                        }
                    }
                    _ => {}
                },
            }
        }
    }
}

/// One node of an expressions tree while it is read.
enum Node {
    Expr(Vec<String>),
    Block(Args),
    Blocks(Vec<Args>),
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an expressions tree")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Expr(Vec::new()))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Expr(Vec::new()))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Expr(Vec::new()))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Expr(Vec::new()))
    }
    fn visit_str<E>(self, _: &str) -> Result<Node, E> {
        Ok(Node::Expr(Vec::new()))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Expr(Vec::new()))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut blocks = Vec::new();
        while let Some(node) = seq.next_element::<NodeSeed>()? {
            match node.0 {
                Node::Block(args) => blocks.push(args),
                // not a block: an expression (never in Terraform's output, read as set)
                Node::Expr(_) | Node::Blocks(_) => return Ok(Node::Expr(Vec::new())),
            }
        }
        Ok(Node::Blocks(blocks))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut refs: Option<Vec<String>> = None;
        let mut constant = false;
        let mut args = Vec::new();
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match k.as_ref() {
                "references" => {
                    let list: Vec<serde_json::Value> = map.next_value()?;
                    refs = Some(
                        list.into_iter()
                            .filter_map(|r| match r {
                                serde_json::Value::String(s) => Some(s),
                                _ => None,
                            })
                            .collect(),
                    );
                }
                "constant_value" => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    constant = true;
                }
                name => {
                    let node = map.next_value::<NodeSeed>()?.0;
                    let arg = match node {
                        Node::Expr(refs) => Arg::Expr(refs),
                        Node::Block(block) => Arg::Blocks(vec![block]),
                        Node::Blocks(blocks) => Arg::Blocks(blocks),
                    };
                    args.push((Key::new(name), arg));
                }
            }
        }
        // `{}` is an expression with neither (a function call such as `uuid()`): set.
        Ok(if refs.is_some() || constant || args.is_empty() {
            Node::Expr(refs.unwrap_or_default())
        } else {
            Node::Block(Args { args })
        })
    }
}

struct NodeSeed(Node);

impl<'de> Deserialize<'de> for NodeSeed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<NodeSeed, D::Error> {
        d.deserialize_any(NodeVisitor).map(NodeSeed)
    }
}

impl<'de> Deserialize<'de> for Args {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Args, D::Error> {
        Ok(match d.deserialize_any(NodeVisitor)? {
            Node::Block(args) => args,
            Node::Expr(_) | Node::Blocks(_) => Args::default(),
        })
    }
}

/// The `references` lists of an expressions tree (not inside constant values), each under the
/// top-level key it was found in (`""` for the tree's own). Read straight from the JSON: the
/// rest of the tree (constant values, nested blocks' structure) is skimmed, never built, which
/// on a large plan is most of the `configuration` section.
#[derive(Default, Debug, PartialEq)]
pub(crate) struct Refs {
    groups: Vec<(String, Vec<String>)>,
}

impl Refs {
    /// Every group.
    fn all(&self) -> impl Iterator<Item = &[String]> {
        self.groups.iter().map(|(_, g)| g.as_slice())
    }

    /// The groups under a top-level key (a module call's input variable).
    fn under<'s>(&'s self, key: &'s str) -> impl Iterator<Item = &'s [String]> + 's {
        self.groups
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, g)| g.as_slice())
    }
}

/// Walks one JSON value, pushing the `references` lists it holds under `key`.
struct Collect<'a> {
    key: Option<&'a str>,
    out: &'a mut Vec<(String, Vec<String>)>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Collect<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Collect<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an expressions tree")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Collect { key, out } = self;
        while seq
            .next_element_seed(Collect {
                key,
                out: &mut *out,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Collect { key, out } = self;
        while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match k.as_ref() {
                "references" => {
                    let refs: Vec<serde_json::Value> = map.next_value()?;
                    let group = refs
                        .into_iter()
                        .filter_map(|r| match r {
                            serde_json::Value::String(s) => Some(s),
                            _ => None,
                        })
                        .collect();
                    out.push((key.unwrap_or_default().to_string(), group));
                }
                "constant_value" => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                name => {
                    // The first level names the group; deeper levels keep it.
                    map.next_value_seed(Collect {
                        key: Some(key.unwrap_or(name)),
                        out: &mut *out,
                    })?;
                }
            }
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Refs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Refs, D::Error> {
        let mut groups = Vec::new();
        Collect {
            key: None,
            out: &mut groups,
        }
        .deserialize(d)?;
        Ok(Refs { groups })
    }
}

/// The configuration's dependencies, resolved to targets per resource configuration address:
/// all of them (references, `count`/`for_each`, `depends_on`), and per top-level argument the
/// references of its expression alone; with the arguments each resource sets.
pub(crate) struct ConfigDeps<'c> {
    by_resource: HashMap<String, Resolved<'c>>,
}

/// One resource of the configuration, resolved.
struct Resolved<'c> {
    targets: Vec<Target>,
    arguments: Vec<(&'c str, Vec<Target>)>,
    args: &'c Args,
}

struct Resolver<'c> {
    modules: HashMap<String, &'c ConfigModule>,
    /// module prefix → (its call, the caller's prefix)
    calls: HashMap<String, (&'c ModuleCall, String)>,
}

impl<'c> Resolver<'c> {
    fn index(&mut self, prefix: &str, module: &'c ConfigModule) {
        self.modules.insert(prefix.to_string(), module);
        for (name, call) in &module.module_calls {
            let child = join(prefix, &format!("module.{name}"));
            self.calls.insert(child.clone(), (call, prefix.to_string()));
            self.index(&child, &call.module);
        }
    }

    fn group(&self, prefix: &str, refs: &[&str], out: &mut Vec<Target>, depth: u8) {
        // `module.m.out` beside `module.m` means the output, not the whole module
        let outputs_of: Vec<&str> = refs
            .iter()
            .filter_map(|r| {
                let parts = ref_parts(r);
                match parts.as_slice() {
                    [("module", _), (name, _), _, ..] => Some(*name),
                    _ => None,
                }
            })
            .collect();
        let mut local = Vec::new();
        for r in refs {
            if let [("module", _), (name, _)] = ref_parts(r).as_slice() {
                if outputs_of.contains(name) {
                    continue;
                }
            }
            self.one(prefix, r, &mut local, depth);
        }
        // `aws_s3_bucket.b[0]` beside `aws_s3_bucket.b` means the one instance
        let keyed: Vec<String> = local
            .iter()
            .filter_map(|t| match t {
                Target::Resource { addr, key: Some(_) } => Some(addr.clone()),
                _ => None,
            })
            .collect();
        out.extend(local.into_iter().filter(|t| match t {
            Target::Resource { addr, key: None } => !keyed.contains(addr),
            _ => true,
        }));
    }

    fn expression<'g>(
        &self,
        prefix: &str,
        groups: impl Iterator<Item = &'g [String]>,
        out: &mut Vec<Target>,
        depth: u8,
    ) {
        for g in groups {
            let refs: Vec<&str> = g.iter().map(String::as_str).collect();
            self.group(prefix, &refs, out, depth);
        }
    }

    fn one(&self, prefix: &str, reference: &str, out: &mut Vec<Target>, depth: u8) {
        if depth > 16 {
            return;
        }
        let parts = ref_parts(reference);
        match parts.as_slice() {
            [("var", _), (name, _), ..] => {
                if let Some((call, parent)) = self.calls.get(prefix) {
                    self.expression(parent, call.expressions.under(name), out, depth + 1);
                }
            }
            [("module", _), (name, _), rest @ ..] => {
                let child = join(prefix, &format!("module.{name}"));
                let output = rest.first().and_then(|(out_name, _)| {
                    self.modules
                        .get(&child)
                        .and_then(|m| m.outputs.get(*out_name))
                });
                match output {
                    Some(o) => {
                        self.expression(&child, o.expression.all(), out, depth + 1);
                        let deps: Vec<&str> = o.depends_on.iter().map(String::as_str).collect();
                        self.group(&child, &deps, out, depth + 1);
                    }
                    None => out.push(Target::Module(child)),
                }
            }
            [("data", _), (type_, _), (name, key), ..] => out.push(Target::Resource {
                addr: join(prefix, &format!("data.{type_}.{name}")),
                key: key.map(str::to_string),
            }),
            [(first, _), ..]
                if matches!(
                    *first,
                    "local" | "count" | "each" | "path" | "self" | "terraform" | "data" | "var"
                ) => {}
            [(type_, _), (name, key), ..] => out.push(Target::Resource {
                addr: join(prefix, &format!("{type_}.{name}")),
                key: key.map(str::to_string),
            }),
            _ => {}
        }
    }
}

impl<'c> ConfigDeps<'c> {
    /// Resolves every resource of a configuration.
    pub(crate) fn new(config: &'c Configuration) -> ConfigDeps<'c> {
        let mut resolver = Resolver {
            modules: HashMap::new(),
            calls: HashMap::new(),
        };
        resolver.index("", &config.root_module);
        let mut by_resource = HashMap::new();
        for (prefix, module) in &resolver.modules {
            for res in &module.resources {
                let mut targets = Vec::new();
                let groups = res.expressions.groups();
                resolver.expression(prefix, groups.iter().map(|(_, g)| *g), &mut targets, 0);
                let mut per_argument: Vec<(&'c str, Vec<Target>)> = Vec::new();
                for (key, group) in &groups {
                    let mut found = Vec::new();
                    resolver.expression(prefix, std::iter::once(*group), &mut found, 0);
                    match per_argument.iter_mut().find(|(k, _)| k == key) {
                        Some((_, list)) => list.extend(found),
                        None => per_argument.push((key, found)),
                    }
                }
                for (_, list) in &mut per_argument {
                    list.sort();
                    list.dedup();
                }

                resolver.expression(prefix, res.count_expression.all(), &mut targets, 0);
                resolver.expression(prefix, res.for_each_expression.all(), &mut targets, 0);
                let deps: Vec<&str> = res.depends_on.iter().map(String::as_str).collect();
                resolver.group(prefix, &deps, &mut targets, 0);
                // `depends_on` of the module calls around this resource
                let mut at = prefix.clone();
                while let Some((call, parent)) = resolver.calls.get(&at) {
                    let deps: Vec<&str> = call.depends_on.iter().map(String::as_str).collect();
                    resolver.group(parent, &deps, &mut targets, 0);
                    at = parent.clone();
                }
                targets.sort();
                targets.dedup();
                by_resource.insert(
                    join(prefix, &res.address),
                    Resolved {
                        targets,
                        arguments: per_argument,
                        args: &res.expressions,
                    },
                );
            }
        }
        ConfigDeps { by_resource }
    }

    /// The targets of a resource configuration address.
    pub(crate) fn targets(&self, config_addr: &str) -> &[Target] {
        self.by_resource
            .get(config_addr)
            .map_or(&[], |r| r.targets.as_slice())
    }

    /// The targets of each top-level argument's expression (not `depends_on`, not
    /// `count`/`for_each`) of a resource configuration address.
    pub(crate) fn argument_targets(&self, config_addr: &str) -> &[(&'c str, Vec<Target>)] {
        self.by_resource
            .get(config_addr)
            .map_or(&[], |r| r.arguments.as_slice())
    }

    /// The arguments a resource configuration address sets, when the configuration has it.
    pub(crate) fn args(&self, config_addr: &str) -> Option<&'c Args> {
        self.by_resource.get(config_addr).map(|r| r.args)
    }
}

/// The configuration address of a resource id (instance keys and a deposed suffix removed).
pub(crate) fn config_of(id: &str) -> String {
    let id = id.split(" (deposed").next().unwrap_or(id);
    strip_keys(id).0
}

/// Turns targets into the ids of the resources they name.
pub(crate) struct Linker {
    index: BTreeMap<String, Vec<usize>>,
}

impl Linker {
    /// Indexes resources by configuration address.
    pub(crate) fn new(resources: &[Resource]) -> Linker {
        let mut index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, r) in resources.iter().enumerate() {
            index.entry(config_of(&r.id)).or_default().push(i);
        }
        Linker { index }
    }

    /// Sets `dependencies` of every resource from `targets_of(resource, config address)`;
    /// `scoped` keeps references inside a module instance to that instance.
    pub(crate) fn link(
        &self,
        resources: &mut [Resource],
        scoped: bool,
        mut targets_of: impl FnMut(usize, &str) -> Vec<Target>,
    ) {
        let mut all = Vec::with_capacity(resources.len());
        for (i, r) in resources.iter().enumerate() {
            let config = config_of(&r.id);
            let targets = targets_of(i, &config);
            if targets.is_empty() {
                all.push(None);
                continue;
            }
            all.push(Some(self.ids(resources, i, &targets, scoped)));
        }
        for (r, ids) in resources.iter_mut().zip(all) {
            if let Some(ids) = ids {
                r.dependencies = ids;
            }
        }
    }

    /// Sets `property_dependencies` of every resource: per top-level argument, the ids of the
    /// resources its expression refers to (`{"bucket": ["aws_s3_bucket.app"]}`), as Pulumi
    /// records them. Arguments that refer to no resource are left out.
    pub(crate) fn link_arguments(&self, resources: &mut [Resource], deps: &ConfigDeps<'_>) {
        let mut all = Vec::with_capacity(resources.len());
        for (i, r) in resources.iter().enumerate() {
            let mut per_argument = Vec::new();
            for (key, targets) in deps.argument_targets(&config_of(&r.id)) {
                let ids = self.ids(resources, i, targets, true);
                if !ids.is_empty() {
                    per_argument.push((*key, ids));
                }
            }
            all.push(per_argument);
        }
        for (r, per_argument) in resources.iter_mut().zip(all) {
            for (key, ids) in per_argument {
                let ids = ids.into_iter().map(Value::String).collect();
                r.property_dependencies.insert(key, Value::Array(ids));
            }
        }
    }

    /// The ids of the resources `targets` name, seen from resource `i`.
    fn ids(
        &self,
        resources: &[Resource],
        i: usize,
        targets: &[Target],
        scoped: bool,
    ) -> Vec<String> {
        let Some(r) = resources.get(i) else {
            return Vec::new();
        };
        {
            let scope = match (&r.parent, scoped) {
                (Some(parent), true) if !parent.is_empty() => Some((strip_keys(parent).0, parent)),
                _ => None,
            };
            let mut ids: Vec<String> = Vec::new();
            for t in targets {
                let (mut found, in_scope) = match t {
                    Target::Resource { addr, key } => {
                        let candidates = self.index.get(addr).map_or(&[][..], Vec::as_slice);
                        let mut found: Vec<usize> = match key {
                            Some(k) => candidates
                                .iter()
                                .copied()
                                .filter(|c| strip_keys(&resources[*c].id).1 == Some(k.as_str()))
                                .collect(),
                            None => Vec::new(),
                        };
                        if found.is_empty() {
                            found = candidates.to_vec();
                        }
                        let in_scope = scope
                            .as_ref()
                            .is_some_and(|(cp, _)| addr.starts_with(&format!("{cp}.")));
                        (found, in_scope)
                    }
                    Target::Module(prefix) => {
                        let from = format!("{prefix}.");
                        let to = format!("{prefix}/");
                        let found = self
                            .index
                            .range(from..to)
                            .flat_map(|(_, v)| v.iter().copied())
                            .collect();
                        let in_scope = scope
                            .as_ref()
                            .is_some_and(|(cp, _)| prefix.starts_with(&format!("{cp}.")));
                        (found, in_scope)
                    }
                };
                if in_scope {
                    if let Some((_, parent)) = &scope {
                        let inside = format!("{parent}.");
                        let narrowed: Vec<usize> = found
                            .iter()
                            .copied()
                            .filter(|c| resources[*c].id.starts_with(&inside))
                            .collect();
                        if !narrowed.is_empty() {
                            found = narrowed;
                        }
                    }
                }
                ids.extend(
                    found
                        .into_iter()
                        .filter(|c| *c != i)
                        .map(|c| resources[c].id.clone()),
                );
            }
            ids.sort();
            ids.dedup();
            ids
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_keep_reference_lists_by_top_level_key_and_skip_constants() {
        let refs: Refs = serde_json::from_str(
            r#"{
                "bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]},
                "tags": {"constant_value": {"references": ["not.a.reference"]}},
                "rule": [{"apply": [{"kms": {"references": ["aws_kms_key.k.arn", 3]}}]}]
            }"#,
        )
        .unwrap();
        let all: Vec<&[String]> = refs.all().collect();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0], ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]);
        assert_eq!(all[1], ["aws_kms_key.k.arn"]);
        assert_eq!(refs.under("rule").count(), 1);
        assert_eq!(refs.under("tags").count(), 0);
        // A `count_expression` is one expression: its references have no key.
        let count: Refs = serde_json::from_str(r#"{"references": ["var.n"]}"#).unwrap();
        assert_eq!(count.under("").next().unwrap(), ["var.n"]);
        let none: Refs = serde_json::from_str("null").unwrap();
        assert_eq!(none.all().count(), 0);
    }

    #[test]
    fn args_record_what_the_configuration_sets() {
        let args: Args = serde_json::from_str(
            r#"{
                "name": {"constant_value": "x"},
                "role": {"references": ["aws_iam_role.r.arn", "aws_iam_role.r"]},
                "suffix": {},
                "single": {"mode": {"constant_value": "Active"}},
                "rule": [{"id": {"constant_value": "a"}}, {"filter": [{"prefix": {"constant_value": "p"}}]}]
            }"#,
        )
        .unwrap();
        assert_eq!(args.get("name"), Some(&Arg::Expr(vec![])));
        assert_eq!(
            args.get("role"),
            Some(&Arg::Expr(vec![
                "aws_iam_role.r.arn".into(),
                "aws_iam_role.r".into()
            ]))
        );
        // `{}`: an expression with neither constant nor references (a function call): set
        assert_eq!(args.get("suffix"), Some(&Arg::Expr(vec![])));
        // a single nested block is an object of arguments, a list of blocks a list
        assert!(matches!(args.get("single"), Some(Arg::Blocks(b)) if b.len() == 1));
        assert!(matches!(args.get("rule"), Some(Arg::Blocks(b)) if b.len() == 2));
        assert_eq!(args.get("tracing_config"), None);
        // references are grouped under their top-level argument, blocks included
        let groups = args.groups();
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].0, "role");
        let none: Args = serde_json::from_str("null").unwrap();
        assert_eq!(none, Args::default());
    }

    /// A value from JSON, with the string `"<unknown>"` as [`Value::Unknown`].
    fn planned(json: serde_json::Value) -> Value {
        match json {
            serde_json::Value::String(s) if s == "<unknown>" => Value::Unknown,
            serde_json::Value::Array(items) => {
                Value::Array(items.into_iter().map(planned).collect())
            }
            serde_json::Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, planned(v))).collect())
            }
            other => Value::from_json(other),
        }
    }

    #[test]
    fn settle_decides_only_what_is_visibly_unset() {
        use guardrail_core::value::Lookup;
        let args: Args = serde_json::from_str(
            r#"{"rule": [{"id": {"constant_value": "a"}}, {"filter": [{"prefix": {"constant_value": "p"}}]}],
                "lifecycle": [{"days": {"constant_value": 3}}]}"#,
        )
        .unwrap();
        let mut value = planned(serde_json::json!({
            "acl": "<unknown>",
            "policy": "<unknown>",
            "rule": [{"id": "a", "status": "<unknown>"}, {"id": "<unknown>", "filter": "<unknown>"}],
            "lifecycle": [{"days": 3}, {"days": "<unknown>", "kind": "<unknown>"}],
        }));
        let mut unset = Vec::new();
        args.settle(&mut value, "", &["acl"], &mut unset);
        assert_eq!(unset, vec!["policy", "rule[0].status"]);
        assert_eq!(value.get("policy"), Some(&Value::Null));
        // kept by name
        assert_eq!(value.get("acl"), Some(&Value::Unknown));
        // set blocks may come in another order: an argument set in any block of the name is set
        assert_eq!(value.lookup("rule[1].id"), Lookup::Unknown);
        assert_eq!(value.lookup("rule[1].filter"), Lookup::Unknown);
        // more blocks than the configuration writes: some come from `dynamic`, none decided
        assert_eq!(value.lookup("lifecycle[1].kind"), Lookup::Unknown);
    }

    #[test]
    fn strips_instance_keys() {
        assert_eq!(
            strip_keys(r#"module.a["k.]"].module.b[0].aws_s3_bucket.x["y"]"#),
            (
                "module.a.module.b.aws_s3_bucket.x".to_string(),
                Some(r#""y""#)
            )
        );
        assert_eq!(
            strip_keys("aws_s3_bucket.x"),
            ("aws_s3_bucket.x".into(), None)
        );
        assert_eq!(
            strip_keys("module.a[1].aws_s3_bucket.x"),
            ("module.a.aws_s3_bucket.x".into(), None)
        );
    }

    #[test]
    fn splits_references() {
        assert_eq!(
            ref_parts(r#"aws_s3_bucket.b["x.y"].id"#),
            vec![
                ("aws_s3_bucket", None),
                ("b", Some(r#""x.y""#)),
                ("id", None)
            ]
        );
        assert_eq!(ref_parts("var.x"), vec![("var", None), ("x", None)]);
    }

    #[test]
    fn absolute_targets() {
        assert_eq!(
            Target::absolute("module.m"),
            Target::Module("module.m".into())
        );
        assert_eq!(
            Target::absolute("module.m[0].aws_s3_bucket.b"),
            Target::Resource {
                addr: "module.m.aws_s3_bucket.b".into(),
                key: None
            }
        );
    }
}
