//! Helpers shared by the identity, logging, compute-platform and messaging rules (IAM,
//! CloudTrail, Lambda, EKS, ECR, ECS, SNS, SQS, API Gateway, CloudWatch, Kinesis, Step
//! Functions, Config): reading properties with unknowns reported in the resource's own
//! spelling, writing fixes in that spelling, and reading IAM policy documents and ECS container
//! definitions, which arrive as JSON strings (Terraform, most Pulumi programs) or as objects
//! (Pulumi programs that pass a literal).

use guardrail_core::{Halt, Map, ResourceView, Spelling, Value};

use crate::support::spelled;

/// Reads a camelCase property path; an unknown value halts with the path in the resource's
/// spelling.
pub(crate) fn read<'a>(view: ResourceView<'a>, camel: &str) -> Result<Option<&'a Value>, Halt> {
    view.field(camel)
        .map_err(|_| Halt::unknown(spelled(view.resource.spelling, camel)))
}

/// Reads the first of several spellings of a property that is present (Pulumi pluralises some
/// list blocks: `encryptionConfigurations` for Terraform's `encryption_configuration`), with
/// the path it was found at.
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

/// A non-empty string property; `None` when absent, null or blank.
pub(crate) fn text<'a>(view: ResourceView<'a>, camel: &str) -> Result<Option<&'a str>, Halt> {
    Ok(read(view, camel)?
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty()))
}

/// The path of a camelCase property in the resource's spelling.
pub(crate) fn at(view: ResourceView<'_>, camel: &str) -> String {
    spelled(view.resource.spelling, camel)
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
        let missing = cur.get(segment).is_none_or(Value::is_null);
        if missing {
            let block = match spelling {
                Spelling::Pulumi => Value::Object(Map::new()),
                Spelling::Terraform => Value::Array(vec![Value::Object(Map::new())]),
            };
            cur.set(&spelled(spelling, segment), block);
        }
        let Some(next) = cur.get_mut(segment) else {
            return;
        };
        // Step into the block itself: an empty list gets its object, a list of one is looked
        // through.
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

/// Parses a policy document or other JSON property: a JSON string is parsed, an object or list
/// (Pulumi programs that pass a literal) is taken as it is. `None` for anything else, including
/// text that is not JSON.
pub(crate) fn json_document(value: &Value) -> Option<Value> {
    match value.reveal() {
        Value::String(text) => serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .map(Value::from_json),
        other @ (Value::Object(_) | Value::Array(_)) => Some(other.clone()),
        _ => None,
    }
}

/// A policy document read from a property: `Ok(None)` when absent or blank, `Err` when unknown,
/// `Ok(Some(Err(())))` when it is not a JSON document.
pub(crate) fn policy_at(
    view: ResourceView<'_>,
    camel: &str,
) -> Result<Option<Result<Value, ()>>, Halt> {
    let Some(raw) = read(view, camel)? else {
        return Ok(None);
    };
    if raw.as_str().is_some_and(|s| s.trim().is_empty()) {
        return Ok(None);
    }
    Ok(Some(json_document(raw).ok_or(())))
}

/// A policy document's statements (a single statement object counts as a list of one).
pub(crate) fn statements(doc: &Value) -> Vec<&Value> {
    doc.get("Statement")
        .map(|s| s.items().collect())
        .unwrap_or_default()
}

/// The strings of a statement element that is a string or a list of strings; `Err(())` when
/// some of it is unknown.
pub(crate) fn strings<'a>(stmt: &'a Value, key: &str) -> Result<Vec<&'a str>, ()> {
    let Some(found) = stmt.get(key) else {
        return Ok(Vec::new());
    };
    if found.is_unknown() {
        return Err(());
    }
    let mut out = Vec::new();
    for item in found.items() {
        if item.is_unknown() {
            return Err(());
        }
        if let Some(s) = item.as_str() {
            out.push(s);
        }
    }
    Ok(out)
}

/// Whether a statement allows (`Effect` is `Allow`); `Err(())` when unknown.
pub(crate) fn allows(stmt: &Value) -> Result<bool, ()> {
    Ok(strings(stmt, "Effect")?
        .first()
        .is_some_and(|e| e.eq_ignore_ascii_case("Allow")))
}

/// Condition keys that narrow a statement with a wildcard principal to known accounts,
/// organisations, networks or sources.
const SCOPING_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalServiceName",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceIp",
    "aws:userid",
    "aws:username",
    "sts:ExternalId",
    "token.actions.githubusercontent.com:sub",
];

/// Whether a statement's `Condition` narrows who can use it (see [`SCOPING_KEYS`]; a key
/// ending in `:sub` or `:aud` of an identity provider counts too); `Err(())` when unknown.
pub(crate) fn scoped_by_condition(stmt: &Value) -> Result<bool, ()> {
    let Some(condition) = stmt.get("Condition") else {
        return Ok(false);
    };
    if condition.is_unknown() {
        return Err(());
    }
    let Some(operators) = condition.as_object() else {
        return Ok(false);
    };
    for block in operators.values() {
        if block.is_unknown() {
            return Err(());
        }
        let Some(keys) = block.as_object() else {
            continue;
        };
        for (key, values) in keys {
            let scoping = SCOPING_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
                || key.ends_with(":sub")
                || key.ends_with(":aud");
            if !scoping {
                continue;
            }
            if values.is_unknown() {
                return Err(());
            }
            // A condition that still allows every value scopes nothing.
            let everything = values.items().all(|v| v.as_str() == Some("*"));
            if !everything {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Whether a statement's principal is everyone: `"*"`, `{"AWS": "*"}` (or a list holding `*`),
/// or an allow with `NotPrincipal`; `Err(())` when unknown.
pub(crate) fn everyone_principal(stmt: &Value) -> Result<bool, ()> {
    if stmt.get("NotPrincipal").is_some() {
        return Ok(true);
    }
    let Some(principal) = stmt.get("Principal") else {
        return Ok(false);
    };
    if principal.is_unknown() {
        return Err(());
    }
    if principal.as_str() == Some("*") {
        return Ok(true);
    }
    let Some(map) = principal.as_object() else {
        return Ok(false);
    };
    for (kind, who) in map {
        if !kind.eq_ignore_ascii_case("AWS") {
            continue;
        }
        if who.is_unknown() {
            return Err(());
        }
        for item in who.items() {
            if item.is_unknown() {
                return Err(());
            }
            if item.as_str().is_some_and(|s| s.trim() == "*") {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Whether a statement grants access to everyone: an allow to the wildcard principal that no
/// condition narrows; `Err(())` when a value it needs is unknown.
pub(crate) fn public_statement(stmt: &Value) -> Result<bool, ()> {
    if !allows(stmt)? || !everyone_principal(stmt)? {
        return Ok(false);
    }
    Ok(!scoped_by_condition(stmt)?)
}

/// The indexes of a document's statements that grant access to everyone; `Err(())` when a value
/// needed to decide is unknown and no statement is public.
pub(crate) fn public_statements(doc: &Value) -> Result<Vec<usize>, ()> {
    let mut found = Vec::new();
    let mut unknown = false;
    for (i, stmt) in statements(doc).into_iter().enumerate() {
        match public_statement(stmt) {
            Ok(true) => found.push(i),
            Ok(false) => {}
            Err(()) => unknown = true,
        }
    }
    if found.is_empty() && unknown {
        return Err(());
    }
    Ok(found)
}

/// Parses the JSON list of an ECS task definition's `container_definitions`: `Ok(None)` when
/// absent, `Err` when unknown, `Ok(Some(Err(())))` when it is not a JSON list.
pub(crate) fn container_definitions(
    view: ResourceView<'_>,
) -> Result<Option<Result<Vec<Value>, ()>>, Halt> {
    let Some(raw) = read(view, "containerDefinitions")? else {
        return Ok(None);
    };
    let Some(doc) = json_document(raw) else {
        return Ok(Some(Err(())));
    };
    match doc {
        Value::Array(items) => Ok(Some(Ok(items))),
        Value::Object(_) => Ok(Some(Ok(vec![doc]))),
        _ => Ok(Some(Err(()))),
    }
}

/// A container's name for messages, or its position.
pub(crate) fn container_name(container: &Value, index: usize) -> String {
    match container.get("name").and_then(Value::as_str) {
        Some(name) => format!("`{name}`"),
        None => format!("#{}", index + 1),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn set_path_creates_blocks_in_each_spelling() {
        let mut tf = Value::from_json(json!({"name": "r"}));
        set_path(
            &mut tf,
            Spelling::Terraform,
            "imageScanningConfiguration.scanOnPush",
            Value::Bool(true),
        );
        assert_eq!(
            tf,
            Value::from_json(
                json!({"name": "r", "image_scanning_configuration": [{"scan_on_push": true}]})
            )
        );
        let mut pulumi = Value::from_json(json!({"imageScanningConfiguration": {"x": 1}}));
        set_path(
            &mut pulumi,
            Spelling::Pulumi,
            "imageScanningConfiguration.scanOnPush",
            Value::Bool(true),
        );
        assert_eq!(
            pulumi,
            Value::from_json(json!({"imageScanningConfiguration": {"x": 1, "scanOnPush": true}}))
        );
        let mut empty = Value::from_json(json!({"tracing_config": []}));
        set_path(
            &mut empty,
            Spelling::Terraform,
            "tracingConfig.mode",
            Value::string("Active"),
        );
        assert_eq!(
            empty,
            Value::from_json(json!({"tracing_config": [{"mode": "Active"}]}))
        );
    }

    #[test]
    fn public_statements_need_an_unscoped_wildcard_principal() {
        let doc = |stmt: serde_json::Value| Value::from_json(json!({"Statement": stmt}));
        let open = doc(json!({"Effect": "Allow", "Principal": "*", "Action": "sqs:*"}));
        assert_eq!(public_statements(&open), Ok(vec![0]));
        let aws =
            doc(json!([{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}}]));
        assert_eq!(public_statements(&aws), Ok(vec![0]));
        let scoped = doc(json!({"Effect": "Allow", "Principal": "*",
            "Condition": {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:x"}}}));
        assert_eq!(public_statements(&scoped), Ok(vec![]));
        let deny = doc(json!({"Effect": "Deny", "Principal": "*"}));
        assert_eq!(public_statements(&deny), Ok(vec![]));
        let unknown = Value::Object(
            [(
                "Statement".to_string(),
                Value::Array(vec![Value::Object(
                    [
                        ("Effect".to_string(), Value::string("Allow")),
                        ("Principal".to_string(), Value::Unknown),
                    ]
                    .into_iter()
                    .collect(),
                )]),
            )]
            .into_iter()
            .collect(),
        );
        assert_eq!(public_statements(&unknown), Err(()));
    }
}
