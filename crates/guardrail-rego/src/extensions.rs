//! Built-in functions guardrail adds to Rego, so that a policy reads properties the way native
//! policies do ([`guardrail_core::Value::lookup`] and `field`):
//!
//! | function | result |
//! |---|---|
//! | `guardrail.prop(obj, key)` | the value of one key, in either spelling |
//! | `guardrail.path(obj, path)` | the value at a dotted path (`a.b[0].c`, `tags["k.io/x"]`) |
//! | `guardrail.unknown(obj, path)` | whether the path runs into a value known only after apply |
//!
//! Keys compare without case, `_` and `-`, so Pulumi's `deletionProtection` answers for
//! Terraform's `deletion_protection` and the other way round; a list of one item (how Terraform
//! spells a nested block) is looked through, so `versioning.enabled` reads Pulumi's
//! `{"versioning": {"enabled": true}}` and Terraform's `{"versioning": [{"enabled": true}]}`.
//! A numeric segment indexes a list. The value functions are *undefined* when the path leads
//! nowhere, to `null`, or into a value known only after apply (`"(known after apply)"`, or
//! Pulumi's unknown sentinel in OPA-bridge packs), so that `not guardrail.prop(...)` reads
//! "not set" and a comparison never holds on an unknown value; `guardrail.unknown` tells the
//! last case apart, for the `indeterminate` rule.

use guardrail_core::value::{fold_eq as same_key, path_segments};
use regorus::{Engine, Value as Rego};

use crate::convert::{PULUMI_UNKNOWN, UNKNOWN};

/// The names of the functions, for the check that every called function exists.
pub(crate) const NAMES: [&str; 3] = ["guardrail.prop", "guardrail.path", "guardrail.unknown"];

fn is_unknown(v: &Rego) -> bool {
    matches!(v, Rego::String(s) if &**s == UNKNOWN || &**s == PULUMI_UNKNOWN)
}

/// One key of an object (the exact key first, then one in another spelling), looking through
/// a list of one item.
fn child<'a>(v: &'a Rego, key: &str) -> Option<&'a Rego> {
    match v {
        Rego::Object(map) => map.get(&Rego::from(key)).or_else(|| {
            map.iter()
                .find(|(k, _)| matches!(k, Rego::String(s) if same_key(s, key)))
                .map(|(_, v)| v)
        }),
        Rego::Array(items) if items.len() == 1 => items.first().and_then(|i| child(i, key)),
        _ => None,
    }
}

/// What a path leads to.
#[derive(Debug, PartialEq)]
enum Found<'a> {
    Value(&'a Rego),
    Unknown,
    Missing,
}

/// Follows `segments` from `v`, as [`guardrail_core::Value::lookup`] does.
fn follow<'a, 's>(v: &'a Rego, segments: impl Iterator<Item = &'s str>) -> Found<'a> {
    let mut cur = v;
    for seg in segments {
        if is_unknown(cur) {
            return Found::Unknown;
        }
        let next = match (cur, seg.parse::<usize>()) {
            (Rego::Array(items), Ok(i)) => items.get(i),
            _ => child(cur, seg),
        };
        match next {
            Some(n) => cur = n,
            None => {
                // an unknown list of one item hides whatever the path wanted
                if let Rego::Array(items) = cur {
                    if items.len() == 1 && items.iter().any(is_unknown) {
                        return Found::Unknown;
                    }
                }
                return Found::Missing;
            }
        }
    }
    match cur {
        _ if is_unknown(cur) => Found::Unknown,
        Rego::Null | Rego::Undefined => Found::Missing,
        _ => Found::Value(cur),
    }
}

fn text<'a>(function: &str, what: &str, v: &'a Rego) -> anyhow::Result<&'a str> {
    match v {
        Rego::String(s) => Ok(s),
        other => Err(anyhow::anyhow!(
            "{function}: the {what} must be a string, not `{other}`"
        )),
    }
}

fn value_or_undefined(found: Found<'_>) -> Rego {
    match found {
        Found::Value(v) => v.clone(),
        Found::Unknown | Found::Missing => Rego::Undefined,
    }
}

fn prop(args: Vec<Rego>) -> anyhow::Result<Rego> {
    let (Some(obj), Some(key)) = (args.first(), args.get(1)) else {
        return Ok(Rego::Undefined);
    };
    let key = text("guardrail.prop", "key", key)?;
    Ok(value_or_undefined(follow(obj, std::iter::once(key))))
}

fn path(args: Vec<Rego>) -> anyhow::Result<Rego> {
    let (Some(obj), Some(path)) = (args.first(), args.get(1)) else {
        return Ok(Rego::Undefined);
    };
    let path = text("guardrail.path", "path", path)?;
    Ok(value_or_undefined(follow(obj, path_segments(path))))
}

fn unknown(args: Vec<Rego>) -> anyhow::Result<Rego> {
    let (Some(obj), Some(path)) = (args.first(), args.get(1)) else {
        return Ok(Rego::Undefined);
    };
    let path = text("guardrail.unknown", "path", path)?;
    Ok(Rego::from(
        follow(obj, path_segments(path)) == Found::Unknown,
    ))
}

/// Adds the functions to an engine.
pub(crate) fn add(engine: &mut Engine) -> anyhow::Result<()> {
    engine.add_extension("guardrail.prop".into(), 2, Box::new(prop))?;
    engine.add_extension("guardrail.path".into(), 2, Box::new(path))?;
    engine.add_extension("guardrail.unknown".into(), 2, Box::new(unknown))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;

    fn eval(policy: &str, input: &str, query: &str) -> Rego {
        let mut engine = Engine::new();
        add(&mut engine).unwrap();
        engine.add_policy("t.rego".into(), policy.into()).unwrap();
        engine.set_input(Rego::from_json_str(input).unwrap());
        engine.eval_rule(query.into()).unwrap()
    }

    fn json(v: &Rego) -> serde_json::Value {
        serde_json::from_str(&v.to_json_str().unwrap()).unwrap()
    }

    const POLICY: &str = r#"package t
import rego.v1

protected := guardrail.prop(input.props, "deletion_protection")
protected_camel := guardrail.prop(input.props, "deletionProtection")
versioned := guardrail.path(input.props, "versioning.enabled")
first_rule := guardrail.path(input.props, "ingress[0].from_port")
tag := guardrail.path(input.props, `tags["kubernetes.io/name"]`)
unset if not guardrail.prop(input.props, "deletion_protection")
no_retention if not guardrail.prop(input.props, "backupRetentionPeriod")
arn_unknown := guardrail.unknown(input.props, "arn")
versioning_unknown := guardrail.unknown(input.props, "versioning.enabled")
deny contains "unprotected" if guardrail.prop(input.props, "deletion_protection") == false
"#;

    const PULUMI: &str = r#"{"props": {"deletionProtection": false, "versioning": {"enabled": true},
        "ingress": [{"fromPort": 22}, {"fromPort": 80}], "tags": {"kubernetes.io/name": "web"},
        "arn": "(known after apply)"}}"#;

    const TERRAFORM: &str = r#"{"props": {"deletion_protection": false, "versioning": [{"enabled": true}],
        "ingress": [{"from_port": 22}, {"from_port": 80}], "tags": {"kubernetes.io/name": "web"},
        "arn": "(known after apply)"}}"#;

    #[test]
    fn both_spellings_read_alike() {
        for input in [PULUMI, TERRAFORM] {
            assert_eq!(eval(POLICY, input, "data.t.protected"), Rego::from(false));
            assert_eq!(
                eval(POLICY, input, "data.t.protected_camel"),
                Rego::from(false)
            );
            assert_eq!(eval(POLICY, input, "data.t.versioned"), Rego::from(true));
            assert_eq!(eval(POLICY, input, "data.t.first_rule"), Rego::from(22u64));
            assert_eq!(eval(POLICY, input, "data.t.tag"), Rego::from("web"));
            // `not` holds for `false` as for a missing value, as everywhere in Rego
            assert_eq!(eval(POLICY, input, "data.t.unset"), Rego::from(true));
            assert_eq!(eval(POLICY, input, "data.t.no_retention"), Rego::from(true));
            assert_eq!(eval(POLICY, input, "data.t.arn_unknown"), Rego::from(true));
            assert_eq!(
                eval(POLICY, input, "data.t.versioning_unknown"),
                Rego::from(false)
            );
            let deny = eval(POLICY, input, "data.t.deny");
            assert_eq!(json(&deny), serde_json::json!(["unprotected"]));
        }
    }

    #[test]
    fn missing_null_and_unknown_values_are_undefined() {
        for input in [
            r#"{"props": {}}"#,
            r#"{"props": {"deletion_protection": null}}"#,
            r#"{"props": {"deletionProtection": "(known after apply)"}}"#,
            r#"{"props": {"deletionProtection": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}}"#,
        ] {
            assert_eq!(
                eval(POLICY, input, "data.t.protected"),
                Rego::Undefined,
                "{input}"
            );
            // no false violation on a value nobody knows yet
            let deny = eval(POLICY, input, "data.t.deny");
            assert_eq!(json(&deny), serde_json::json!([]), "{input}");
        }
        assert_eq!(
            eval(POLICY, r#"{"props": {}}"#, "data.t.unset"),
            Rego::from(true)
        );
        // an unknown block (Terraform: a list of one unknown item, Pulumi: an unknown object)
        for input in [
            r#"{"props": {"versioning": ["(known after apply)"]}}"#,
            r#"{"props": {"versioning": "(known after apply)"}}"#,
        ] {
            assert_eq!(eval(POLICY, input, "data.t.versioned"), Rego::Undefined);
            assert_eq!(
                eval(POLICY, input, "data.t.versioning_unknown"),
                Rego::from(true),
                "{input}"
            );
        }
    }

    #[test]
    fn lists_of_several_items_are_indexed_not_looked_through() {
        let input = r#"{"props": {"ingress": [{"from_port": 22}, {"from_port": 80}]}}"#;
        let policy = "package t\nx := guardrail.path(input.props, \"ingress.from_port\")\ny := guardrail.path(input.props, \"ingress.1.fromPort\")\n";
        assert_eq!(eval(policy, input, "data.t.x"), Rego::Undefined);
        assert_eq!(eval(policy, input, "data.t.y"), Rego::from(80u64));
    }

    #[test]
    fn a_path_that_is_not_a_string_is_an_error() {
        let mut engine = Engine::new();
        add(&mut engine).unwrap();
        engine
            .add_policy(
                "t.rego".into(),
                "package t\nx := guardrail.path(input, 3)\n".into(),
            )
            .unwrap();
        engine.set_input(Rego::from_json_str("{}").unwrap());
        let e = engine
            .eval_rule("data.t.x".into())
            .err()
            .map(|e| e.to_string());
        assert!(
            e.as_deref()
                .is_some_and(|e| e.contains("guardrail.path: the path must be a string")),
            "{e:?}"
        );
    }
}
