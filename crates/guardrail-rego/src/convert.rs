//! Values in and out of regorus: unknown values become a marker string (and their paths are
//! listed), secrets are given to policies in plain text and marked secret again on the way out.

use std::collections::{BTreeMap, HashSet};

use guardrail_core::{Map, Value};
use regorus::Value as Rego;

/// The string unknown values take in the input of guardrail packs and conftest documents.
pub const UNKNOWN: &str = "(known after apply)";

/// The string Pulumi gives policies for unknown values; the OPA bridge's packs see this one.
pub const PULUMI_UNKNOWN: &str = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/// A regorus string.
pub(crate) fn s(text: &str) -> Rego {
    Rego::from(text)
}

/// Builds a regorus object from pairs.
pub(crate) fn object(pairs: Vec<(&str, Rego)>) -> Rego {
    let map: BTreeMap<Rego, Rego> = pairs.into_iter().map(|(k, v)| (s(k), v)).collect();
    Rego::from(map)
}

fn number(n: &serde_json::Number) -> Rego {
    if let Some(i) = n.as_i64() {
        Rego::from(i)
    } else if let Some(u) = n.as_u64() {
        Rego::from(u)
    } else {
        Rego::from(n.as_f64().unwrap_or(0.0))
    }
}

/// Converts a value for a policy, writing `marker` for unknowns and collecting their paths.
pub(crate) fn to_rego(value: &Value, marker: &str, unknown: &mut Vec<String>) -> Rego {
    let mut path = String::new();
    walk(value, marker, unknown, &mut path)
}

fn walk(value: &Value, marker: &str, unknown: &mut Vec<String>, path: &mut String) -> Rego {
    match value {
        Value::Null => Rego::Null,
        Value::Bool(b) => Rego::from(*b),
        Value::Number(n) => number(n),
        Value::String(t) => s(t),
        Value::Secret(inner) => walk(inner, marker, unknown, path),
        Value::Unknown => {
            unknown.push(path.clone());
            s(marker)
        }
        Value::Array(items) => {
            let len = path.len();
            let out: Vec<Rego> = items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    path.push_str(&format!("[{i}]"));
                    let r = walk(v, marker, unknown, path);
                    path.truncate(len);
                    r
                })
                .collect();
            Rego::from(out)
        }
        Value::Object(map) => {
            let len = path.len();
            let mut out = BTreeMap::new();
            for (k, v) in map.iter() {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                out.insert(s(k), walk(v, marker, unknown, path));
                path.truncate(len);
            }
            Rego::from(out)
        }
    }
}

/// Converts JSON for a policy (conftest documents, config).
pub(crate) fn json_to_rego(json: &serde_json::Value) -> Rego {
    match json {
        serde_json::Value::Null => Rego::Null,
        serde_json::Value::Bool(b) => Rego::from(*b),
        serde_json::Value::Number(n) => number(n),
        serde_json::Value::String(t) => s(t),
        serde_json::Value::Array(items) => {
            Rego::from(items.iter().map(json_to_rego).collect::<Vec<_>>())
        }
        serde_json::Value::Object(map) => {
            let out: BTreeMap<Rego, Rego> =
                map.iter().map(|(k, v)| (s(k), json_to_rego(v))).collect();
            Rego::from(out)
        }
    }
}

/// The plaintexts of every secret in a value.
pub(crate) fn secrets(value: &Value) -> HashSet<String> {
    let mut out = HashSet::new();
    value.for_each_secret_leaf(&mut |t| {
        out.insert(t);
    });
    out
}

/// Converts a policy's result back: the marker becomes unknown again, and strings equal to a
/// secret of the original are secret again.
pub(crate) fn from_rego(value: &Rego, marker: &str, secrets: &HashSet<String>) -> Value {
    match value {
        Rego::Null | Rego::Undefined => Value::Null,
        Rego::Bool(b) => Value::Bool(*b),
        Rego::Number(n) => {
            let json = if let Some(i) = n.as_i64() {
                serde_json::Number::from(i)
            } else if let Some(u) = n.as_u64() {
                serde_json::Number::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .unwrap_or_else(|| serde_json::Number::from(0))
            };
            Value::Number(json)
        }
        Rego::String(t) if t.as_ref() == marker => Value::Unknown,
        Rego::String(t) if secrets.contains(t.as_ref()) => {
            Value::Secret(Box::new(Value::String(t.to_string())))
        }
        Rego::String(t) => Value::String(t.to_string()),
        Rego::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| from_rego(v, marker, secrets))
                .collect(),
        ),
        Rego::Set(items) => Value::Array(
            items
                .iter()
                .map(|v| from_rego(v, marker, secrets))
                .collect(),
        ),
        Rego::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map.iter() {
                let key = match k {
                    Rego::String(t) => t.to_string(),
                    other => plain(other),
                };
                out.insert(key, from_rego(v, marker, secrets));
            }
            Value::Object(out)
        }
    }
}

/// A value as text: strings as they are, anything else as JSON.
pub(crate) fn plain(value: &Rego) -> String {
    match value {
        Rego::String(t) => t.to_string(),
        other => other.to_json_str().map_or_else(
            |_| format!("{other:?}"),
            |j| j.split_whitespace().collect::<Vec<_>>().join(" "),
        ),
    }
}

/// The members of a set, array or single value (a rule's results).
pub(crate) fn members(value: &Rego) -> Vec<Rego> {
    match value {
        Rego::Set(items) => items.iter().cloned().collect(),
        Rego::Array(items) => items.iter().cloned().collect(),
        Rego::Undefined | Rego::Null | Rego::Bool(false) => Vec::new(),
        other => vec![other.clone()],
    }
}

/// A field of an object result.
pub(crate) fn field<'a>(value: &'a Rego, key: &str) -> Option<&'a Rego> {
    match value {
        Rego::Object(map) => map.get(&s(key)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_unknowns_and_secrets() {
        let mut props = Map::new();
        props.insert("name", Value::string("a"));
        props.insert("arn", Value::Unknown);
        props.insert(
            "password",
            Value::Secret(Box::new(Value::string("hunter2"))),
        );
        props.insert(
            "ports",
            Value::Array(vec![Value::from(22i64), Value::Unknown]),
        );
        let props = Value::Object(props);
        let mut unknown = Vec::new();
        let r = to_rego(&props, UNKNOWN, &mut unknown);
        assert_eq!(unknown, vec!["arn".to_string(), "ports[1]".to_string()]);
        assert_eq!(plain(field(&r, "password").unwrap()), "hunter2");
        assert_eq!(plain(field(&r, "arn").unwrap()), UNKNOWN);
        let back = from_rego(&r, UNKNOWN, &secrets(&props));
        assert_eq!(back, props);
    }
}
