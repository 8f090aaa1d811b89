//! Policy documents (IAM, bucket, key, queue, topic and other resource policies): parsing them
//! from a JSON string or a literal object, their statements, and whether a statement grants
//! access to everyone.

use guardrail_core::{Halt, ResourceView, Value, Verdict, Violation};

use super::{at, read, who};

/// Parses a policy document or other JSON property: a JSON string is parsed, an object or list
/// (Pulumi programs that pass a literal) is taken as it is. `None` for anything else, including
/// text that is not JSON. A document parsed from a secret is secret in every leaf (see
/// [`document_at`] for a property that a lookup handed over in plain text).
pub(crate) fn json_document(value: &Value) -> Option<Value> {
    let doc = match value.reveal() {
        Value::String(text) => serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .map(Value::from_json),
        other @ (Value::Object(_) | Value::Array(_)) => Some(other.clone()),
        _ => None,
    };
    doc.map(|d| d.tainted_if(value.is_secret()))
}

/// [`json_document`] of a value read from `path` of `owner` (the props, or a block of them):
/// secret in every leaf when the property is secret, so that no text a rule takes from it for
/// a message can show its plaintext (`Value::shown` masks it).
pub(crate) fn document_at(owner: &Value, path: &str, value: &Value) -> Option<Value> {
    json_document(value).map(|d| d.tainted_if(owner.secret_at(path)))
}

/// The elements of a statement key that is a string or a list, as text for a message: a
/// secret element shows as the mask.
pub(crate) fn statement_texts(stmt: &Value, key: &str) -> Vec<String> {
    let Some(found) = stmt.get(key) else {
        return Vec::new();
    };
    match found.reveal() {
        Value::Array(items) => items.iter().map(|i| i.shown().to_string()).collect(),
        _ => vec![found.shown().to_string()],
    }
}

/// [`json_document`] for a document that must be an object: a list given as a literal is not
/// taken (a JSON string that parses to one still is).
pub(crate) fn json_object_document(value: &Value) -> Option<Value> {
    match value.reveal() {
        Value::Array(_) => None,
        _ => json_document(value),
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
    Ok(Some(
        document_at(view.props, &at(view, camel), raw).ok_or(()),
    ))
}

/// A policy document's statements (a single statement object counts as a list of one).
pub(crate) fn statements(doc: &Value) -> Vec<&Value> {
    doc.get("Statement")
        .map(|s| s.items().collect())
        .unwrap_or_default()
}

/// The strings of a statement element that is a string or a list of strings (unknown items are
/// passed over).
pub(crate) fn statement_strings<'a>(stmt: &'a Value, key: &str) -> Vec<&'a str> {
    stmt.get(key)
        .map(|v| v.items().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The strings of a statement element that is a string or a list of strings; `Err(())` when
/// some of it is unknown.
pub(crate) fn known_strings<'a>(stmt: &'a Value, key: &str) -> Result<Vec<&'a str>, ()> {
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

/// Whether a statement's `Effect` is the given one (case-insensitive).
pub(crate) fn effect_is(stmt: &Value, effect: &str) -> bool {
    stmt.get("Effect")
        .and_then(Value::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case(effect))
}

/// Whether a statement allows (`Effect` is `Allow`); `Err(())` when unknown.
pub(crate) fn allows(stmt: &Value) -> Result<bool, ()> {
    Ok(known_strings(stmt, "Effect")?
        .first()
        .is_some_and(|e| e.eq_ignore_ascii_case("Allow")))
}

/// Whether a statement's principal is everyone: `"*"`, `{"AWS": "*"}` or a list holding `"*"`.
/// Lenient: an unknown principal reads as not everyone and `NotPrincipal` is not looked at; see
/// [`everyone_principal`] for the strict reading.
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

/// The verdict of a rule that a policy document (property `camel`) grants no access to everyone,
/// by [`public_statements`]: not applicable when there is no document (`absent` says why) or it
/// is not JSON (`not_json`); otherwise a violation at the policy for each public statement, with
/// `message(n)` for statement number `n` (counted from 1). Unknown values the decision needs halt
/// at the policy.
pub(crate) fn public_policy_verdict(
    view: ResourceView<'_>,
    camel: &str,
    absent: &str,
    not_json: &str,
    message: impl Fn(usize) -> String,
) -> Result<Verdict, Halt> {
    let path = at(view, camel);
    let Some(doc) = policy_at(view, camel)? else {
        return Ok(Verdict::not_applicable(absent));
    };
    let Ok(doc) = doc else {
        return Ok(Verdict::not_applicable(not_json));
    };
    let public = public_statements(&doc).map_err(|()| Halt::unknown(&path))?;
    Ok(Verdict::from_violations(
        public
            .into_iter()
            .map(|i| Violation::new(message(i + 1)).at(path.clone()))
            .collect(),
    ))
}

/// [`public_policy_verdict`] for a resource policy at `policy`: `{noun} \`name\` grants access to
/// everyone (policy statement n): ...`.
pub(crate) fn resource_policy_verdict(view: ResourceView<'_>, noun: &str) -> Result<Verdict, Halt> {
    public_policy_verdict(view, "policy", "no policy", "the policy is not JSON", |n| {
        format!(
            "{noun} `{}` grants access to everyone (policy statement {n}): name the \
                 principals or add a narrowing condition",
            view.resource.name
        )
    })
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

/// The verdict of a rule that a resource policy (property `camel`) has no [`open_statements`]:
/// a pass without a policy, else a violation at the policy for each open statement, naming the
/// resource as `noun \`name\``.
pub(crate) fn open_policy_verdict(
    view: ResourceView<'_>,
    camel: &str,
    noun: &str,
) -> Result<Verdict, Halt> {
    let at = at(view, camel);
    let Some(document) = read(view, camel)? else {
        return Ok(Verdict::Pass);
    };
    let mut open = open_statements(document, &at)?;
    if view.props.secret_at(&at) {
        // the Sid is part of the secret document
        for statement in &mut open {
            if statement.sid.is_some() {
                statement.sid = Some(guardrail_core::redact::MASK.to_string());
            }
        }
    }
    Ok(Verdict::from_violations(
        open.iter()
            .map(|statement| {
                Violation::new(format!(
                    "{} has a policy whose {} allows any principal without a condition",
                    who(view, noun),
                    statement.label()
                ))
                .at(at.clone())
            })
            .collect(),
    ))
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;
    #[test]
    fn principals() {
        let stmt = Value::from_json(serde_json::json!({"Principal": {"AWS": ["*"]}}));
        assert!(principal_is_everyone(&stmt));
        let stmt =
            Value::from_json(serde_json::json!({"Principal": {"AWS": "arn:aws:iam::1:root"}}));
        assert!(!principal_is_everyone(&stmt));
    }

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

    #[test]
    fn documents_parsed_from_secrets_are_secret_in_every_leaf() {
        let text = r#"{"Statement":[{"Sid":"AllowAll","Effect":"Allow","Principal":"*","Action":["s3:GetObject","x:MySecretAction"]}]}"#;
        let secret = Value::Secret(Box::new(Value::string(text)));
        let doc = json_document(&secret).unwrap();
        let stmt = statements(&doc)[0];
        assert_eq!(
            statement_texts(stmt, "Action"),
            vec!["[secret]".to_string(), "[secret]".to_string()]
        );
        assert_eq!(
            stmt.get("Sid").map(|s| s.shown().to_string()).as_deref(),
            Some("[secret]")
        );
        // the checks still read the plaintext
        assert_eq!(public_statements(&doc), Ok(vec![0]));
        // read from a secret property (the lookup hands it over in plain text)
        let mut props = Value::from_json(json!({"bucket": "b"}));
        props.set("policy", secret.clone());
        let plain = Value::string(text);
        let doc = document_at(&props, "policy", &plain).unwrap();
        assert_eq!(
            statement_texts(statements(&doc)[0], "Action")[1],
            "[secret]"
        );
        // read from a block that is secret as a whole (a sensitive `inline_policy`)
        let mut role = Value::from_json(json!({"name": "r"}));
        let block = Value::from_json(json!([{"name": "p", "policy": text}]));
        role.set("inline_policy", Value::Secret(Box::new(block)));
        let doc = document_at(&role, "inline_policy[0].policy", &plain).unwrap();
        assert_eq!(
            statement_texts(statements(&doc)[0], "Action")[1],
            "[secret]"
        );
        let open = Value::from_json(json!({"policy": text}));
        let doc = document_at(&open, "policy", &plain).unwrap();
        assert_eq!(
            statement_texts(statements(&doc)[0], "Action")[1],
            "x:MySecretAction"
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
