//! Helpers shared by the data-store and key-management rules (RDS, DynamoDB, ElastiCache,
//! OpenSearch, Redshift, EFS, KMS, Secrets Manager, DocumentDB, Neptune, AWS Backup): property
//! reads in the resource's own spelling, fixes that keep that spelling, resource-policy
//! documents, and matching a settings resource to the resource it configures.

use guardrail_core::{Halt, Map, ResourceView, Spelling, StackView, Value, Verdict, Violation};

use crate::support::spelled;

/// A camelCase property path in the resource's own spelling.
pub(crate) fn path(view: ResourceView<'_>, camel: &str) -> String {
    spelled(view.resource.spelling, camel)
}

/// Reads a property by its camelCase path; an unknown value halts naming the path as the
/// resource spells it.
pub(crate) fn read<'a>(view: ResourceView<'a>, camel: &str) -> Result<Option<&'a Value>, Halt> {
    view.field(&path(view, camel))
}

/// Reads the first of several spellings that is present (Pulumi pluralises some list blocks:
/// `parameters` for Terraform's `parameter`).
pub(crate) fn read_any<'a>(
    view: ResourceView<'a>,
    camels: &[&str],
) -> Result<Option<(&'a Value, String)>, Halt> {
    for camel in camels {
        if let Some(found) = read(view, camel)? {
            return Ok(Some((found, path(view, camel))));
        }
    }
    Ok(None)
}

/// A boolean property; absent, null or not a boolean reads as `None`.
pub(crate) fn flag(view: ResourceView<'_>, camel: &str) -> Result<Option<bool>, Halt> {
    Ok(read(view, camel)?.and_then(Value::as_bool))
}

/// An integer property; absent, null or not a number reads as `None`.
pub(crate) fn number(view: ResourceView<'_>, camel: &str) -> Result<Option<i64>, Halt> {
    Ok(read(view, camel)?.and_then(Value::as_i64))
}

/// A non-blank string property.
pub(crate) fn text<'a>(view: ResourceView<'a>, camel: &str) -> Result<Option<&'a str>, Halt> {
    Ok(read(view, camel)?
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty()))
}

/// The strings of a list property (an absent property is an empty list); an unknown item halts.
pub(crate) fn strings<'a>(view: ResourceView<'a>, camel: &str) -> Result<Vec<&'a str>, Halt> {
    let Some(list) = read(view, camel)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, item) in list.items().enumerate() {
        if item.is_unknown() {
            return Err(Halt::unknown(format!("{}[{i}]", path(view, camel))));
        }
        if let Some(s) = item.as_str() {
            out.push(s);
        }
    }
    Ok(out)
}

/// The lower-cased `engine` of a database resource, if set.
pub(crate) fn engine(view: ResourceView<'_>) -> Result<Option<String>, Halt> {
    Ok(text(view, "engine")?.map(|e| e.trim().to_ascii_lowercase()))
}

/// `name (type)` for messages: the resource's name in backticks.
pub(crate) fn who(view: ResourceView<'_>, noun: &str) -> String {
    format!("{noun} `{}`", view.resource.name)
}

/// The props with top-level keys set (camelCase keys, written in the resource's spelling; an
/// existing key that folds to the same name keeps its spelling). `None` when nothing changes.
pub(crate) fn with_keys(view: ResourceView<'_>, keys: &[(&str, Value)]) -> Option<Value> {
    let mut props = view.props.clone();
    for (camel, value) in keys {
        if !props.set(&path(view, camel), value.clone()) {
            return None;
        }
    }
    (props != *view.props).then_some(props)
}

/// The props with `key` set inside the nested block `block` (camelCase names). An existing block
/// (an object, or Terraform's list of one object) is changed in place; a missing, null or empty
/// block is created in the spelling's shape: an object for Pulumi, a list of one object for
/// Terraform. `None` when nothing changes or the block has another shape.
pub(crate) fn with_block_key(
    view: ResourceView<'_>,
    block: &str,
    key: &str,
    value: Value,
) -> Option<Value> {
    let spelling = view.resource.spelling;
    let block_key = path(view, block);
    let inner_key = spelled(spelling, key);
    let mut props = view.props.clone();
    let existing = props.get(&block_key).map(Value::reveal);
    let fresh = match existing {
        None | Some(Value::Null) => true,
        Some(Value::Array(items)) => items.is_empty(),
        Some(_) => false,
    };
    if fresh {
        let mut inner = Map::new();
        inner.insert(inner_key, value);
        let shaped = match spelling {
            Spelling::Pulumi => Value::Object(inner),
            Spelling::Terraform => Value::Array(vec![Value::Object(inner)]),
        };
        if !props.set(&block_key, shaped) {
            return None;
        }
    } else {
        let slot = props.get_mut(&block_key)?;
        if matches!(slot, Value::Array(items) if items.len() != 1) || !slot.set(&inner_key, value) {
            return None;
        }
    }
    (props != *view.props).then_some(props)
}

/// Checks a boolean setting that should be `want`, where AWS (or the provider) uses `default`
/// when it is not set. `what` says what is wrong, naming the resource; the message adds the
/// setting's value.
pub(crate) fn expect_flag(
    view: ResourceView<'_>,
    camel: &str,
    want: bool,
    default: bool,
    what: &str,
) -> Result<Verdict, Halt> {
    let at = path(view, camel);
    let message = match flag(view, camel)? {
        Some(value) if value == want => return Ok(Verdict::Pass),
        Some(value) => format!("{what} (`{at}` is `{value}`)"),
        None if default == want => return Ok(Verdict::Pass),
        None => format!("{what} (`{at}` is not set and defaults to `{default}`)"),
    };
    Ok(Verdict::violation(Violation::new(message).at(at)))
}

/// The props with a boolean setting set to `want`, keeping a string-typed setting a string
/// (some attributes are `"true"`/`"false"` strings); `None` when it already is, explicitly or
/// by its `default`.
pub(crate) fn fix_flag(
    view: ResourceView<'_>,
    camel: &str,
    want: bool,
    default: bool,
) -> Result<Option<Value>, Halt> {
    let current = read(view, camel)?;
    if current.and_then(Value::as_bool).unwrap_or(default) == want {
        return Ok(None);
    }
    let value = match current.map(Value::reveal) {
        Some(Value::String(_)) => Value::string(want.to_string()),
        _ => Value::Bool(want),
    };
    Ok(with_keys(view, &[(camel, value)]))
}

/// A statement of a resource-based policy that grants access to everyone.
#[derive(Debug, PartialEq)]
pub(crate) struct OpenStatement {
    /// Its index in the document's statement list.
    pub index: usize,
    /// Its `Sid`, if it has one.
    pub sid: Option<String>,
}

impl OpenStatement {
    /// `statement 2 (\`PublicRead\`)` for messages.
    pub(crate) fn label(&self) -> String {
        match &self.sid {
            Some(sid) => format!("statement {} (`{sid}`)", self.index),
            None => format!("statement {}", self.index),
        }
    }
}

/// The statements of a policy document (a JSON string, or a document given as an object) that
/// `Allow` a wildcard principal (`"*"`, `{"AWS": "*"}`) or use `NotPrincipal`, without any
/// `Condition`. A document that is not JSON is an error the caller reports; an unknown value
/// halts at `at`.
pub(crate) fn open_statements(doc: &Value, at: &str) -> Result<Vec<OpenStatement>, Halt> {
    if doc.is_unknown() {
        return Err(Halt::unknown(at));
    }
    let json = match doc.reveal() {
        Value::String(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(json) => json,
            Err(_) => return Err(Halt::error(format!("`{at}` is not a JSON policy document"))),
        },
        Value::Object(_) => {
            if contains_unknown(doc) {
                return Err(Halt::unknown(at));
            }
            doc.reveal().to_json_redacted()
        }
        _ => return Ok(Vec::new()),
    };
    let statements: Vec<&serde_json::Value> = match json.get("Statement") {
        Some(serde_json::Value::Array(list)) => list.iter().collect(),
        Some(one @ serde_json::Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    Ok(statements
        .into_iter()
        .enumerate()
        .filter(|(_, s)| {
            let allows = s
                .get("Effect")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|e| e.eq_ignore_ascii_case("allow"));
            let conditioned = s
                .get("Condition")
                .is_some_and(|c| c.as_object().is_none_or(|m| !m.is_empty()));
            let everyone = s.get("Principal").is_some_and(is_wildcard_principal)
                || s.get("NotPrincipal").is_some();
            allows && everyone && !conditioned
        })
        .map(|(index, s)| OpenStatement {
            index,
            sid: s
                .get("Sid")
                .and_then(serde_json::Value::as_str)
                .filter(|sid| !sid.is_empty())
                .map(str::to_string),
        })
        .collect())
}

fn contains_unknown(value: &Value) -> bool {
    match value.reveal() {
        Value::Unknown => true,
        Value::Array(items) => items.iter().any(contains_unknown),
        Value::Object(map) => map.values().any(contains_unknown),
        _ => false,
    }
}

/// `"*"`, or an object whose `AWS` (or any) entry is `"*"` or a list holding `"*"`.
fn is_wildcard_principal(principal: &serde_json::Value) -> bool {
    let star = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.trim() == "*",
        serde_json::Value::Array(list) => list.iter().any(|i| i.as_str() == Some("*")),
        _ => false,
    };
    match principal {
        serde_json::Value::Object(map) => map
            .iter()
            .any(|(kind, v)| kind.eq_ignore_ascii_case("aws") && star(v)),
        other => star(other),
    }
}

/// Whether `link` (a settings resource such as a backup policy or a rotation) refers to
/// `target`: its `key` property names the target (by one of `target_keys`: id, ARN, name,
/// identifier), or its property dependencies for `key` name the target, or — when the key has
/// neither a usable value nor property dependencies — its dependencies do.
/// `Err(path)` when the link's key is unknown and no dependency settles it.
pub(crate) fn refers_to(
    link: ResourceView<'_>,
    key: &str,
    target: ResourceView<'_>,
    target_keys: &[&str],
) -> Result<bool, String> {
    let resource = link.resource;
    let by_property = resource
        .property_dependencies
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key) || *k == &spelled(resource.spelling, key))
        .map(|(_, deps)| deps);
    if let Some(deps) = by_property {
        if deps
            .items()
            .filter_map(Value::as_str)
            .any(|id| id == target.resource.id)
        {
            return Ok(true);
        }
    }
    let names: Vec<&str> = target_keys
        .iter()
        .filter_map(|k| target.field(k).ok().flatten().and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .collect();
    match link.field(key) {
        Ok(Some(value)) => {
            if let Some(s) = value.as_str() {
                if names.contains(&s) {
                    return Ok(true);
                }
                // A reference to another resource by its own name fails here: a literal value
                // that names something else is not a link.
                return Ok(false);
            }
            Ok(false)
        }
        Ok(None) | Err(_) if by_property.is_some() => Ok(false),
        Ok(None) | Err(_) => {
            if resource
                .dependencies
                .iter()
                .any(|d| d == &target.resource.id)
            {
                return Ok(true);
            }
            match link.field(key) {
                Err(_) => Err(spelled(resource.spelling, key)),
                _ => Ok(false),
            }
        }
    }
}

/// Managed resources of the stack whose canonical type is one of `types`.
pub(crate) fn of_types<'a>(
    view: StackView<'a>,
    types: &'a [&'a str],
) -> impl Iterator<Item = ResourceView<'a>> + 'a {
    view.resources().filter(move |r| {
        r.resource.mode == guardrail_core::Mode::Managed
            && types.contains(&guardrail_core::canonical_type(&r.resource.type_).as_ref())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Value {
        Value::string(text)
    }

    #[test]
    fn finds_open_statements() {
        let open = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}]}"#;
        assert_eq!(
            open_statements(&doc(open), "policy").map(|v| v.len()),
            Ok(1)
        );
        let star =
            r#"{"Statement":{"Sid":"All","Effect":"Allow","Principal":"*","Action":"es:*"}}"#;
        let found = open_statements(&doc(star), "policy").unwrap_or_default();
        assert_eq!(
            found.first().map(OpenStatement::label).as_deref(),
            Some("statement 0 (`All`)")
        );
        let conditioned = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"es:*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#;
        assert_eq!(
            open_statements(&doc(conditioned), "policy").map(|v| v.len()),
            Ok(0)
        );
        let account = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*"}]}"#;
        assert_eq!(
            open_statements(&doc(account), "policy").map(|v| v.len()),
            Ok(0)
        );
        let deny = r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*"}]}"#;
        assert_eq!(
            open_statements(&doc(deny), "policy").map(|v| v.len()),
            Ok(0)
        );
        assert!(open_statements(&doc("not json"), "policy").is_err());
        assert_eq!(
            open_statements(&Value::Unknown, "policy"),
            Err(Halt::unknown("policy"))
        );
    }
}
