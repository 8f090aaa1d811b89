//! The stored form of a server-side evaluation's input: the loaded model (stack, resources,
//! values) as JSON, with every secret leaf replaced by a marker that holds no plaintext and
//! every unknown value by another marker. A simulation reads it back and evaluates it again.
//!
//! Fidelity: a policy that reads a secret's plaintext sees the placeholder [`SECRET_PLACEHOLDER`]
//! (still marked secret) instead; whole-document (conftest-style) policies have no document to
//! read; source locations are not kept. Everything else a policy sees is as it was.

use guardrail_core::{Map, Mode, Operation, Resource, Spelling, Stack, Value};
use serde_json::{json, Value as Json};

/// The key of the marker object that stands for a secret.
const SECRET: &str = "$guardrail-secret";
/// The key of the marker object that stands for an unknown value.
const UNKNOWN: &str = "$guardrail-unknown";
/// What a secret reads as after the round trip (still a secret).
pub const SECRET_PLACEHOLDER: &str = "[secret]";

fn encode_value(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => Json::Number(n.clone()),
        Value::String(s) => Json::String(s.clone()),
        Value::Array(items) => Json::Array(items.iter().map(encode_value).collect()),
        Value::Object(map) => encode_map(map),
        Value::Unknown => json!({UNKNOWN: true}),
        // the plaintext stays behind: only the fact that a secret was here is kept
        Value::Secret(_) => json!({SECRET: true}),
    }
}

fn encode_map(map: &Map) -> Json {
    Json::Object(
        map.iter()
            .map(|(k, v)| (k.to_string(), encode_value(v)))
            .collect(),
    )
}

fn decode_value(j: &Json) -> Value {
    match j {
        Json::Object(o) if o.len() == 1 && o.contains_key(SECRET) => {
            Value::Secret(Box::new(Value::String(SECRET_PLACEHOLDER.into())))
        }
        Json::Object(o) if o.len() == 1 && o.contains_key(UNKNOWN) => Value::Unknown,
        Json::Object(_) => Value::Object(decode_map(j)),
        Json::Array(items) => Value::Array(items.iter().map(decode_value).collect()),
        other => Value::from_json(other.clone()),
    }
}

fn decode_map(j: &Json) -> Map {
    let mut out = Map::with_capacity(0);
    if let Some(o) = j.as_object() {
        for (k, v) in o {
            out.insert(k.as_str(), decode_value(v));
        }
    }
    out
}

fn mode_name(m: Mode) -> &'static str {
    match m {
        Mode::Managed => "managed",
        Mode::Data => "data",
        Mode::Component => "component",
        Mode::Provider => "provider",
    }
}

fn mode_of(s: &str) -> Mode {
    match s {
        "data" => Mode::Data,
        "component" => Mode::Component,
        "provider" => Mode::Provider,
        _ => Mode::Managed,
    }
}

fn operation_of(s: &str) -> Operation {
    match s {
        "update" => Operation::Update,
        "replace" => Operation::Replace,
        "delete" => Operation::Delete,
        "read" => Operation::Read,
        "same" => Operation::Same,
        _ => Operation::Create,
    }
}

/// The model of a stack as stored: JSON without any secret plaintext.
pub fn encode(stack: &Stack) -> Json {
    let resources: Vec<Json> = stack
        .resources
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "type": r.type_,
                "name": r.name,
                "provider": r.provider,
                "mode": mode_name(r.mode),
                "spelling": match r.spelling { Spelling::Pulumi => "pulumi", Spelling::Terraform => "terraform" },
                "operation": r.operation.as_str(),
                "props": encode_value(&r.props),
                "outputs": r.outputs.as_ref().map(encode_value),
                "old_props": r.old_props.as_ref().map(encode_value),
                "parent": r.parent,
                "dependencies": r.dependencies,
                "property_dependencies": encode_map(&r.property_dependencies),
                "defaulted": r.defaulted.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "line": r.line,
            })
        })
        .collect();
    json!({
        "version": 1,
        "source": stack.source,
        "format": stack.format,
        "organization": stack.organization,
        "project": stack.project,
        "stack": stack.stack,
        "tags": encode_map(&stack.tags),
        "config": encode_map(&stack.config),
        "resources": resources,
    })
}

/// A stack read back from its stored model (secrets as [`SECRET_PLACEHOLDER`], still secret).
pub fn decode(j: &Json) -> Result<Stack, String> {
    if j.get("version").and_then(Json::as_i64) != Some(1) {
        return Err("the stored input is of an unknown version".into());
    }
    let s = |v: &Json, k: &str| v.get(k).and_then(Json::as_str).map(str::to_owned);
    let strings = |v: Option<&Json>| -> Vec<String> {
        v.and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Json::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut resources = Vec::new();
    for r in j
        .get("resources")
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let spelling = if s(r, "spelling").as_deref() == Some("pulumi") {
            Spelling::Pulumi
        } else {
            Spelling::Terraform
        };
        let mut resource = Resource::new(
            s(r, "id").unwrap_or_default(),
            s(r, "type").unwrap_or_default(),
            spelling,
            r.get("props").map(decode_value).unwrap_or_default(),
        );
        resource.name = s(r, "name").unwrap_or_default();
        resource.provider = s(r, "provider");
        resource.mode = mode_of(&s(r, "mode").unwrap_or_default());
        resource.operation = operation_of(&s(r, "operation").unwrap_or_default());
        resource.outputs = r.get("outputs").filter(|v| !v.is_null()).map(decode_value);
        resource.old_props = r
            .get("old_props")
            .filter(|v| !v.is_null())
            .map(decode_value);
        resource.parent = s(r, "parent");
        resource.dependencies = strings(r.get("dependencies"));
        resource.property_dependencies = r
            .get("property_dependencies")
            .map(decode_map)
            .unwrap_or_default();
        resource.defaulted = strings(r.get("defaulted"))
            .into_iter()
            .map(Into::into)
            .collect();
        resource.line = r
            .get("line")
            .and_then(Json::as_u64)
            .and_then(|l| usize::try_from(l).ok());
        resources.push(resource);
    }
    Ok(Stack {
        source: s(j, "source").unwrap_or_default(),
        format: s(j, "format").unwrap_or_default(),
        organization: s(j, "organization"),
        project: s(j, "project"),
        stack: s(j, "stack"),
        tags: j.get("tags").map(decode_map).unwrap_or_default(),
        config: j.get("config").map(decode_map).unwrap_or_default(),
        resources,
        document: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_leave_no_plaintext_and_read_back_as_secrets() {
        let mut props = Map::with_capacity(3);
        props.insert(
            "password",
            Value::Secret(Box::new(Value::String("hunter2-plaintext".into()))),
        );
        props.insert("size", Value::Unknown);
        props.insert("name", Value::String("db".into()));
        let stack = Stack {
            source: "plan.json".into(),
            format: "terraform-plan".into(),
            resources: vec![Resource::new(
                "aws_db_instance.db",
                "aws_db_instance",
                Spelling::Terraform,
                Value::Object(props),
            )],
            ..Stack::default()
        };
        let stored = encode(&stack).to_string();
        assert!(!stored.contains("hunter2"), "{stored}");
        let back = decode(&serde_json::from_str(&stored).unwrap()).unwrap();
        let r = &back.resources[0];
        assert!(r.props.get("password").unwrap().is_secret());
        assert!(r.props.get("size").unwrap().is_unknown());
        assert_eq!(r.props.get("name").unwrap().as_str(), Some("db"));
        assert_eq!(back.format, "terraform-plan");
        assert_eq!(r.id, "aws_db_instance.db");
    }
}
