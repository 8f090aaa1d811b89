//! Values in and out of regorus: unknown values become a marker string (and their paths are
//! listed); secrets become a marker string that names their type, unless the policy asks for
//! them (`secrets: true` in its metadata), and are marked secret again on the way out.

use std::collections::BTreeMap;

use guardrail_core::{Map, Redactor, Value};
use regorus::Value as Rego;

/// The string unknown values take in the input of guardrail packs and conftest documents.
pub const UNKNOWN: &str = "(known after apply)";

/// The string Pulumi gives policies for unknown values; the OPA bridge's packs see this one.
pub const PULUMI_UNKNOWN: &str = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/// The markers secrets take in the input of policies that do not ask for them, by the type of
/// the hidden value.
pub const SECRET_MARKERS: [&str; 6] = [
    "[secret string]",
    "[secret number]",
    "[secret boolean]",
    "[secret object]",
    "[secret array]",
    "[secret null]",
];

/// The marker a secret takes: `[secret string]`, `[secret number]`...
fn secret_marker(inner: &Value) -> &'static str {
    let [string, number, boolean, object, array, null] = SECRET_MARKERS;
    match inner.reveal() {
        Value::String(_) => string,
        Value::Number(_) => number,
        Value::Bool(_) => boolean,
        Value::Object(_) => object,
        Value::Array(_) => array,
        Value::Null | Value::Unknown | Value::Secret(_) => null,
    }
}

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

/// How a policy sees values: the unknown marker, and whether secrets are shown in plain text
/// (the policy asked for them) or as their [`SECRET_MARKERS`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sight<'a> {
    pub marker: &'a str,
    pub secrets: bool,
}

/// Converts a value for a policy, writing the unknown marker for unknowns and collecting their
/// paths.
pub(crate) fn to_rego(value: &Value, sight: Sight<'_>, unknown: &mut Vec<String>) -> Rego {
    let mut path = String::new();
    walk(value, sight, unknown, &mut path)
}

fn walk(value: &Value, sight: Sight<'_>, unknown: &mut Vec<String>, path: &mut String) -> Rego {
    let marker = sight.marker;
    match value {
        Value::Null => Rego::Null,
        Value::Bool(b) => Rego::from(*b),
        Value::Number(n) => number(n),
        Value::String(t) => s(t),
        Value::Secret(inner) if sight.secrets => walk(inner, sight, unknown, path),
        Value::Secret(inner) if inner.is_unknown() => walk(inner, sight, unknown, path),
        Value::Secret(inner) => s(secret_marker(inner)),
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
                    let r = walk(v, sight, unknown, path);
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
                out.insert(s(k), walk(v, sight, unknown, path));
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

/// Converts a policy's result back: the unknown marker becomes unknown again; a secret marker
/// where `original` (the props the policy was given) holds a secret becomes that secret again;
/// a string that holds a secret of the original, an encoding or a fragment of one (`redactor`)
/// is secret.
pub(crate) fn from_rego(
    value: &Rego,
    marker: &str,
    original: Option<&Value>,
    redactor: &Redactor,
) -> Value {
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
            let mut out = Value::Number(json);
            redactor.taint(&mut out);
            out
        }
        Rego::String(t) if t.as_ref() == marker => Value::Unknown,
        Rego::String(t) if SECRET_MARKERS.contains(&t.as_ref()) => match original {
            Some(secret @ Value::Secret(_)) => secret.clone(),
            _ => Value::Secret(Box::new(Value::String(t.to_string()))),
        },
        Rego::String(t) if redactor.catches(t) => {
            Value::Secret(Box::new(Value::String(t.to_string())))
        }
        Rego::String(t) => Value::String(t.to_string()),
        Rego::Array(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| from_rego(v, marker, item(original, i), redactor))
                .collect(),
        ),
        Rego::Set(items) => Value::Array(
            items
                .iter()
                .map(|v| from_rego(v, marker, None, redactor))
                .collect(),
        ),
        Rego::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map.iter() {
                let key = match k {
                    Rego::String(t) => t.to_string(),
                    other => plain(other),
                };
                let before = original.and_then(|o| o.reveal().get(&key));
                out.insert(key, from_rego(v, marker, before, redactor));
            }
            Value::Object(out)
        }
    }
}

fn item(original: Option<&Value>, i: usize) -> Option<&Value> {
    match original.map(Value::reveal) {
        Some(Value::Array(items)) => items.get(i),
        _ => None,
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

    fn props() -> Value {
        let mut props = Map::new();
        props.insert("name", Value::string("a"));
        props.insert("arn", Value::Unknown);
        props.insert(
            "password",
            Value::Secret(Box::new(Value::string("hunter2-long"))),
        );
        props.insert(
            "ports",
            Value::Array(vec![Value::from(22i64), Value::Unknown]),
        );
        props.insert("port", Value::Secret(Box::new(Value::from(5432i64))));
        Value::Object(props)
    }

    fn redactor(props: &Value) -> Redactor {
        let mut r = Redactor::default();
        r.add_value(props);
        r.finish();
        r
    }

    #[test]
    fn round_trip_keeps_unknowns_and_secrets() {
        let props = props();
        let r = redactor(&props);
        for secrets in [true, false] {
            let sight = Sight {
                marker: UNKNOWN,
                secrets,
            };
            let mut unknown = Vec::new();
            let rego = to_rego(&props, sight, &mut unknown);
            assert_eq!(unknown, vec!["arn".to_string(), "ports[1]".to_string()]);
            assert_eq!(plain(field(&rego, "arn").unwrap()), UNKNOWN);
            let back = from_rego(&rego, UNKNOWN, Some(&props), &r);
            assert_eq!(back, props, "secrets shown: {secrets}");
        }
    }

    #[test]
    fn secrets_are_markers_unless_asked_for() {
        let props = props();
        let mut unknown = Vec::new();
        let hidden = Sight {
            marker: UNKNOWN,
            secrets: false,
        };
        let rego = to_rego(&props, hidden, &mut unknown);
        assert_eq!(plain(field(&rego, "password").unwrap()), "[secret string]");
        assert_eq!(plain(field(&rego, "port").unwrap()), "[secret number]");
        let shown = Sight {
            marker: UNKNOWN,
            secrets: true,
        };
        let rego = to_rego(&props, shown, &mut unknown);
        assert_eq!(plain(field(&rego, "password").unwrap()), "hunter2-long");
        assert_eq!(plain(field(&rego, "port").unwrap()), "5432");
    }

    #[test]
    fn values_computed_from_secrets_come_back_secret() {
        let props = props();
        let r = redactor(&props);
        let mut out = BTreeMap::new();
        out.insert(s("upper"), s("HUNTER2-LONG"));
        out.insert(s("part"), s("ter2-lo"));
        out.insert(s("moved"), s("[secret string]"));
        out.insert(s("plain"), s("fine"));
        let back = from_rego(&Rego::from(out), UNKNOWN, Some(&props), &r);
        for key in ["upper", "part", "moved"] {
            assert!(back.get(key).is_some_and(Value::is_secret), "{key}");
        }
        assert_eq!(back.get("plain"), Some(&Value::string("fine")));
    }
}
