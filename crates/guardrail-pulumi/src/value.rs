//! Protobuf `Struct` values to and from guardrail's [`Value`], with Pulumi's markers.
//!
//! The engine marshals resource properties with unknowns and secrets kept: an unknown value is a
//! sentinel string (`04da6b54-…`, or a typed variant), a secret an object
//! `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": …}`.
//! Incoming values are converted exactly as the stack-export reader converts a stack export
//! ([`guardrail_inputs::convert_pulumi_markers`]); a whole number arrives as a double and becomes
//! the integer a stack export would show (`22.0` → `22`), so rules read it the same way.
//! Outgoing values are what the engine sends a policy pack: every number a double (a Python
//! policy sees `22.0`), unknowns as the sentinel string, secrets as the secret object.

use guardrail_core::{Map, Value};

use crate::proto::{self, Kind, ListValue, Struct};

/// The key of Pulumi's special objects.
pub const SIG_KEY: &str = "4dabf18193072939515e22adb298388d";
/// The signature of a secret.
pub const SECRET_SIG: &str = "1b47061264138c4ac30d75fd1eb44270";
/// The sentinel string of a value unknown until the update runs.
pub const UNKNOWN: &str = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/// The largest integer a double holds exactly (2^53).
const EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// A `Struct` of resource properties as a guardrail object, markers converted.
pub fn struct_to_value(properties: Option<&Struct>) -> Value {
    let mut value = match properties {
        Some(s) => Value::Object(fields_to_map(s)),
        None => Value::Object(Map::new()),
    };
    guardrail_inputs::convert_pulumi_markers(&mut value);
    value
}

/// A protobuf value as a guardrail value, markers converted.
pub fn proto_to_value(value: &proto::Value) -> Value {
    let mut converted = plain(value);
    guardrail_inputs::convert_pulumi_markers(&mut converted);
    converted
}

fn fields_to_map(s: &Struct) -> Map {
    // the wire's map has no order; `Struct` keeps its keys sorted, so every run sees one object
    let mut map = Map::with_capacity(s.fields.len());
    for (key, v) in &s.fields {
        map.insert(key.as_str(), plain(v));
    }
    map
}

/// The value as it is on the wire, markers not yet converted.
fn plain(value: &proto::Value) -> Value {
    match &value.kind {
        None | Some(Kind::NullValue(_)) => Value::Null,
        Some(Kind::BoolValue(b)) => Value::Bool(*b),
        Some(Kind::NumberValue(n)) => number(*n),
        Some(Kind::StringValue(s)) => Value::String(s.clone()),
        Some(Kind::ListValue(list)) => Value::Array(list.values.iter().map(plain).collect()),
        Some(Kind::StructValue(s)) => Value::Object(fields_to_map(s)),
    }
}

/// A double as a JSON number: a whole number within a double's exact range as an integer, as a
/// stack export writes it; NaN and infinities (which JSON cannot spell) as null.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() <= EXACT_INTEGER {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "a whole number within 2^53 converts to i64 exactly"
        )]
        let whole = n as i64;
        return Value::Number(whole.into());
    }
    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
}

/// A guardrail object as a `Struct` of resource properties, as the engine would send it; a value
/// that is not an object gives an empty `Struct`.
pub fn value_to_struct(value: &Value) -> Struct {
    match value.reveal() {
        Value::Object(map) if !value.is_secret() => map_to_struct(map),
        _ => Struct::default(),
    }
}

fn map_to_struct(map: &Map) -> Struct {
    Struct {
        fields: map
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), value_to_proto(v)))
            .collect(),
    }
}

/// A guardrail value as a protobuf value, as the engine would send it: numbers as doubles,
/// unknowns as the sentinel string, secrets as Pulumi's secret object.
pub fn value_to_proto(value: &Value) -> proto::Value {
    let kind = match value {
        Value::Null => Kind::NullValue(0),
        Value::Bool(b) => Kind::BoolValue(*b),
        Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => Kind::StringValue(s.clone()),
        Value::Array(items) => Kind::ListValue(ListValue {
            values: items.iter().map(value_to_proto).collect(),
        }),
        Value::Object(map) => Kind::StructValue(map_to_struct(map)),
        Value::Unknown => Kind::StringValue(UNKNOWN.to_string()),
        Value::Secret(inner) => {
            let mut fields = std::collections::BTreeMap::new();
            fields.insert(
                SIG_KEY.to_string(),
                proto::Value {
                    kind: Some(Kind::StringValue(SECRET_SIG.to_string())),
                },
            );
            fields.insert("value".to_string(), value_to_proto(inner.reveal()));
            Kind::StructValue(Struct { fields })
        }
    };
    proto::Value { kind: Some(kind) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn s(v: &str) -> proto::Value {
        proto::Value {
            kind: Some(Kind::StringValue(v.to_string())),
        }
    }
    fn n(v: f64) -> proto::Value {
        proto::Value {
            kind: Some(Kind::NumberValue(v)),
        }
    }
    fn obj(fields: Vec<(&str, proto::Value)>) -> proto::Value {
        proto::Value {
            kind: Some(Kind::StructValue(Struct {
                fields: fields
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            })),
        }
    }
    fn secret(v: proto::Value) -> proto::Value {
        obj(vec![(SIG_KEY, s(SECRET_SIG)), ("value", v)])
    }

    /// What the engine sends becomes what the stack-export reader makes of the same stack.
    #[test]
    fn incoming_matches_the_stack_export_reader() {
        let wire = Struct {
            fields: [
                ("port".to_string(), n(22.0)),
                ("ratio".to_string(), n(0.5)),
                ("name".to_string(), s("web")),
                ("password".to_string(), secret(s("hunter2"))),
                (
                    "ingress".to_string(),
                    secret(proto::Value {
                        kind: Some(Kind::ListValue(ListValue {
                            values: vec![obj(vec![("fromPort", n(3389.0))])],
                        })),
                    }),
                ),
                ("arn".to_string(), s(UNKNOWN)),
                (
                    "count".to_string(),
                    s("3eeb2bf0-c639-47a8-9e75-3b44932eb421"),
                ),
                (
                    "none".to_string(),
                    proto::Value {
                        kind: Some(Kind::NullValue(0)),
                    },
                ),
            ]
            .into_iter()
            .collect(),
        };
        let got = struct_to_value(Some(&wire));

        // the same properties as a stack export spells them
        let mut export = Value::from_json(json!({
            "arn": UNKNOWN,
            "count": "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
            "ingress": {SIG_KEY: SECRET_SIG, "plaintext": "[{\"fromPort\":3389}]"},
            "name": "web",
            "none": null,
            "password": {SIG_KEY: SECRET_SIG, "plaintext": "\"hunter2\""},
            "port": 22,
            "ratio": 0.5,
        }));
        guardrail_inputs::convert_pulumi_markers(&mut export);
        assert_eq!(got, export);
        assert_eq!(got.get("port").and_then(Value::as_f64), Some(22.0));
        assert_eq!(
            got.get("port").map(|p| p.to_json_redacted().to_string()),
            Some("22".into())
        );
        assert!(got.get("password").is_some_and(Value::is_secret));
        assert_eq!(got.get("arn"), Some(&Value::Unknown));
        assert_eq!(got.get("count"), Some(&Value::Unknown));
    }

    #[test]
    fn numbers_out_of_the_exact_range_stay_doubles() {
        assert_eq!(
            proto_to_value(&n(1e300)),
            Value::Number(serde_json::Number::from_f64(1e300).unwrap_or_else(|| 0.into()))
        );
        assert_eq!(proto_to_value(&n(-7.0)), Value::Number((-7i64).into()));
        assert_eq!(proto_to_value(&n(f64::NAN)), Value::Null);
    }

    /// Outgoing: numbers are doubles (a pack sees `22.0`), secrets and unknowns sentinels.
    #[test]
    fn outgoing_is_what_the_engine_sends() {
        let value = Value::from_json(json!({"port": 22, "tags": {"a": "b"}, "list": [1, true]}));
        let mut value = value;
        if let Value::Object(map) = &mut value {
            map.insert("pw", Value::Secret(Box::new(Value::string("hunter2"))));
            map.insert("arn", Value::Unknown);
        }
        let wire = value_to_struct(&value);
        assert_eq!(wire.fields.get("port"), Some(&n(22.0)));
        assert_eq!(wire.fields.get("arn"), Some(&s(UNKNOWN)));
        assert_eq!(wire.fields.get("pw"), Some(&secret(s("hunter2"))));
        // and back again
        assert_eq!(struct_to_value(Some(&wire)), {
            let mut expected = value.clone();
            if let Value::Object(map) = &mut expected {
                map.sort_keys();
            }
            expected
        });
    }

    #[test]
    fn a_secret_or_scalar_is_no_struct() {
        assert_eq!(value_to_struct(&Value::string("x")), Struct::default());
        assert_eq!(
            value_to_struct(&Value::Secret(Box::new(Value::Object(Map::new())))),
            Struct::default()
        );
        assert_eq!(struct_to_value(None), Value::Object(Map::new()));
    }
}
