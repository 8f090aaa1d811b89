//! Resources in Pulumi's shape, as a CrossGuard pack expects them.
//!
//! Pulumi previews and stack exports are in that shape already. A Terraform resource is shaped
//! the way Pulumi's bridged providers spell the same resource: its type becomes the Pulumi token
//! of the type table ([`guardrail_core::types`]; a type without one is not shown to the pack),
//! `snake_case` keys become `camelCase`, a nested block that holds at most one item becomes an
//! object (the explicit table [`SINGLE_BLOCKS`]), and a repeatable block of a singular name
//! takes the plural (`rule` → `rules`). Keys inside maps of user data (`tags`, `labels`, ...)
//! are kept as written.

use std::collections::HashMap;

use guardrail_core::types::{canonical_type, spellings};
use guardrail_core::{Map, Resource, Spelling, Stack, Value};

/// Nested blocks that Terraform's AWS provider declares with at most one item, which Pulumi's
/// bridge flattens to an object: by name, or by the path of block names where the same name
/// repeats elsewhere (`rule` of a bucket's inline encryption, but not of the separate resource).
pub const SINGLE_BLOCKS: &[&str] = &[
    "server_side_encryption_configuration",
    "server_side_encryption_configuration.rule",
    "apply_server_side_encryption_by_default",
    "versioning",
    "logging",
    "website",
    "health_check",
    "stickiness",
    "vpc_config",
    "root_block_device",
    "metadata_options",
    "encryption_config",
    "encryption_configuration",
    "point_in_time_recovery",
    "server_side_encryption",
    "tracing_config",
    "access_logs",
    "default_action.forward",
    "redirect",
    "fixed_response",
    "credit_specification",
    "ebs_options",
    "encrypt_at_rest",
    "node_to_node_encryption",
    "domain_endpoint_options",
    "versioning_configuration",
    "public_access_block_configuration",
];

/// Blocks whose Pulumi name is the Terraform name, although repeatable and singular.
const NOT_PLURAL: &[&str] = &["ingress", "egress", "default_action", "condition"];

/// Attributes that hold maps of user data, whose keys are kept as written.
const USER_MAPS: &[&str] = &[
    "tags",
    "tags_all",
    "labels",
    "variables",
    "environment",
    "parameters",
    "metadata",
    "annotations",
];

/// Attributes of a Terraform resource that its provider computes, never set by a program:
/// Pulumi's resource inputs do not have them.
pub const COMPUTED: &[&str] = &["id", "arn", "tags_all"];

/// Whether a Terraform attribute holds a map of user data.
pub fn is_user_map(key: &str) -> bool {
    USER_MAPS.contains(&key)
}

/// A resource as the analyzer protocol sends it.
#[derive(Clone, Debug, PartialEq)]
pub struct Shaped {
    /// The URN: the resource's own, or one made for a Terraform address.
    pub urn: String,
    /// The Pulumi type token.
    pub type_: String,
    /// The resource's name.
    pub name: String,
    /// The properties, in Pulumi's spelling.
    pub props: Value,
    /// The parent's URN.
    pub parent: Option<String>,
    /// The URNs it depends on.
    pub dependencies: Vec<String>,
    /// For each property, the URNs its value comes from.
    pub property_dependencies: Vec<(String, Vec<String>)>,
    /// The provider reference, as the source names it.
    pub provider: Option<String>,
}

/// The Pulumi type token of a resource: its own type for Pulumi inputs; for Terraform, the
/// first token the type table gives, `None` when it gives none.
pub fn pulumi_type(resource: &Resource) -> Option<String> {
    match resource.spelling {
        Spelling::Pulumi => Some(resource.type_.clone()),
        Spelling::Terraform => {
            let canonical = canonical_type(&resource.type_);
            spellings(&canonical)
                .into_iter()
                .find(|s| s.contains(':'))
                .map(str::to_string)
        }
    }
}

/// The URN a resource goes by in the protocol: a Pulumi resource's own; for a Terraform
/// resource, one made of the stack, project, token and the resource's address.
pub fn urn(resource: &Resource, token: &str, stack: &Stack) -> String {
    match resource.spelling {
        Spelling::Pulumi => resource.id.clone(),
        Spelling::Terraform => format!(
            "urn:pulumi:{}::{}::{token}::{}",
            stack.stack.as_deref().unwrap_or("stack"),
            stack.project.as_deref().unwrap_or("project"),
            resource.id
        ),
    }
}

/// The resources of a stack in Pulumi's shape, keyed by resource index: `None` for a
/// Terraform type the type table does not know.
pub struct Shaper {
    urns: HashMap<String, String>,
}

impl Shaper {
    /// Prepares the URNs of every resource of `stack`.
    pub fn new(stack: &Stack) -> Self {
        let urns = stack
            .resources
            .iter()
            .filter_map(|r| {
                let token = pulumi_type(r)?;
                Some((r.id.clone(), urn(r, &token, stack)))
            })
            .collect();
        Shaper { urns }
    }

    /// The URN of the resource `id`, when it has one.
    pub fn urn_of(&self, id: &str) -> Option<&str> {
        self.urns.get(id).map(String::as_str)
    }

    /// The resource with the properties `props` (its own, or fixed ones), in Pulumi's shape.
    pub fn shape(&self, resource: &Resource, props: &Value) -> Option<Shaped> {
        let type_ = pulumi_type(resource)?;
        let urn = self.urns.get(resource.id.as_str()).cloned()?;
        let to_urns = |ids: &mut dyn Iterator<Item = &str>| -> Vec<String> {
            ids.filter_map(|id| self.urns.get(id).cloned()).collect()
        };
        let terraform = resource.spelling == Spelling::Terraform;
        let props = if terraform {
            let mut shaped = pulumi_props(props, "");
            if let Value::Object(map) = &mut shaped {
                for key in COMPUTED {
                    map.shift_remove(camel(key).as_str());
                }
            }
            shaped
        } else {
            props.clone()
        };
        let property_dependencies = resource
            .property_dependencies
            .iter()
            .map(|(k, v)| {
                let key = if terraform { camel(k) } else { k.to_string() };
                let ids: Vec<&str> = match v {
                    Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                    Value::String(s) => vec![s.as_str()],
                    _ => Vec::new(),
                };
                (key, to_urns(&mut ids.into_iter()))
            })
            .collect();
        let parent = match resource.spelling {
            Spelling::Pulumi => resource.parent.clone(),
            Spelling::Terraform => None,
        };
        Some(Shaped {
            urn,
            type_,
            name: resource.name.clone(),
            props,
            parent,
            dependencies: to_urns(&mut resource.dependencies.iter().map(String::as_str)),
            property_dependencies,
            provider: resource.provider.clone(),
        })
    }
}

/// `snake_case` → `camelCase`.
pub fn camel(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    let mut upper = false;
    for c in key.chars() {
        if c == '_' && !out.is_empty() {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn plural(key: &str) -> String {
    if key.ends_with('s') {
        key.to_string()
    } else if let Some(stem) = key.strip_suffix('y') {
        format!("{stem}ies")
    } else {
        format!("{key}s")
    }
}

/// Terraform properties in Pulumi's spelling; `path` is the path of block names above.
fn pulumi_props(value: &Value, path: &str) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map.iter() {
                // an unset value is absent from Pulumi's inputs
                if v.is_null() && !v.is_secret() {
                    continue;
                }
                if USER_MAPS.contains(&k.as_str()) {
                    out.insert(camel(k), v.clone());
                    continue;
                }
                let here = if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                };
                let single = SINGLE_BLOCKS
                    .iter()
                    .any(|b| *b == k.as_str() || here.ends_with(&format!(".{b}")) || *b == here);
                let block = matches!(v.reveal(), Value::Array(items) if items.iter().all(|i| matches!(i.reveal(), Value::Object(_))) && !items.is_empty());
                match v {
                    Value::Array(items) if single && items.len() <= 1 => {
                        let inner = items
                            .first()
                            .map(|i| pulumi_props(i, k))
                            .unwrap_or(Value::Null);
                        out.insert(camel(k), inner);
                    }
                    Value::Array(items) => {
                        let name = if block && !NOT_PLURAL.contains(&k.as_str()) {
                            plural(&camel(k))
                        } else {
                            camel(k)
                        };
                        let items = items.iter().map(|i| pulumi_props(i, k)).collect();
                        out.insert(name, Value::Array(items));
                    }
                    other => {
                        out.insert(camel(k), pulumi_props(other, k));
                    }
                }
            }
            Value::Object(out)
        }
        Value::Secret(inner) => Value::Secret(Box::new(pulumi_props(inner, path))),
        Value::Array(items) => Value::Array(items.iter().map(|i| pulumi_props(i, path)).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(j: serde_json::Value) -> Value {
        serde_json::from_value(j).unwrap()
    }

    #[test]
    fn terraform_resources_take_pulumi_spelling() {
        let mut bucket = Resource::new(
            "aws_s3_bucket.logs",
            "aws_s3_bucket",
            Spelling::Terraform,
            v(serde_json::json!({
                "bucket": "logs",
                "tags": {"cost_center": "1", "Department": "x"},
                "server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}]}],
                "lifecycle_rule": [{"enabled": true}],
                "cidr_blocks": ["10.0.0.0/8"],
            })),
        );
        bucket.name = "logs".into();
        let sse = Resource::new(
            "aws_s3_bucket_server_side_encryption_configuration.logs",
            "aws_s3_bucket_server_side_encryption_configuration",
            Spelling::Terraform,
            v(
                serde_json::json!({"bucket": null, "rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}),
            ),
        );
        let mut sse = sse;
        sse.property_dependencies
            .insert("bucket", v(serde_json::json!(["aws_s3_bucket.logs"])));
        let unknown = Resource::new("aws_nope.x", "aws_nope", Spelling::Terraform, Value::Null);
        let stack = Stack {
            resources: vec![bucket, sse, unknown],
            ..Stack::default()
        };
        let shaper = Shaper::new(&stack);
        let b = shaper
            .shape(&stack.resources[0], &stack.resources[0].props)
            .unwrap();
        assert_eq!(b.type_, "aws:s3/bucket:Bucket");
        assert_eq!(
            b.urn,
            "urn:pulumi:stack::project::aws:s3/bucket:Bucket::aws_s3_bucket.logs"
        );
        assert_eq!(b.name, "logs");
        assert_eq!(
            b.props.to_json_redacted(),
            serde_json::json!({
                "bucket": "logs",
                "tags": {"cost_center": "1", "Department": "x"},
                "serverSideEncryptionConfiguration": {"rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}},
                "lifecycleRules": [{"enabled": true}],
                "cidrBlocks": ["10.0.0.0/8"],
            })
        );
        let s = shaper
            .shape(&stack.resources[1], &stack.resources[1].props)
            .unwrap();
        assert_eq!(
            s.props.to_json_redacted(),
            serde_json::json!({"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]})
        );
        assert_eq!(
            s.property_dependencies,
            vec![("bucket".to_string(), vec![b.urn.clone()])]
        );
        assert!(shaper.shape(&stack.resources[2], &Value::Null).is_none());
    }

    #[test]
    fn pulumi_resources_are_sent_as_they_are() {
        let props = v(serde_json::json!({"port": 22, "tags": {"a_b": "c"}}));
        let r = Resource::new(
            "urn:pulumi:s::p::aws:lb/targetGroup:TargetGroup::tg",
            "aws:lb/targetGroup:TargetGroup",
            Spelling::Pulumi,
            props.clone(),
        );
        let stack = Stack {
            resources: vec![r],
            ..Stack::default()
        };
        let shaped = Shaper::new(&stack)
            .shape(&stack.resources[0], &props)
            .unwrap();
        assert_eq!(shaped.urn, stack.resources[0].id);
        assert_eq!(shaped.props, props);
        assert_eq!(
            camel("apply_server_side_encryption_by_default"),
            "applyServerSideEncryptionByDefault"
        );
    }
}
