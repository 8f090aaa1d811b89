//! The API's contract: checks a request body or an answer against the operation of the OpenAPI
//! document ([`crate::api::OPENAPI`]) that its method and path name.
//!
//! The tests send every request of the HTTP tests through [`Contract::check_exchange`], so
//! that the document says what the server really does: each answer must be a status the
//! operation documents, and its body must fit that status's schema; each request body the
//! server accepted must fit the operation's request schema.
//!
//! The schemas are checked by a small subset of JSON Schema, the keywords the document uses:
//! `$ref` (within the document), `type` (one or a list), `enum`, `const`, `required`,
//! `properties`, `additionalProperties`, `items`, `minItems`, `minProperties`, `minimum`,
//! `maximum`, `oneOf`, `anyOf`, `allOf`. [`Contract::new`] refuses a document that uses any
//! other keyword, so that no part of a schema goes unchecked by mistake.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::client::Response;

/// The keywords a schema may hold: the checked ones, and annotations that check nothing.
const KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "enum",
    "const",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minItems",
    "minProperties",
    "minimum",
    "maximum",
    "oneOf",
    "anyOf",
    "allOf",
    "description",
    "title",
];

/// One operation of the document: its method (lowercase), path template and the template's
/// segments.
#[derive(Debug)]
struct Operation {
    method: String,
    template: String,
    segments: Vec<String>,
}

/// The OpenAPI document, ready to check requests and answers against.
#[derive(Debug)]
pub struct Contract {
    doc: Value,
    operations: Vec<Operation>,
}

/// Where a schema sits in the document, for messages (`#/components/schemas/Run`, or the
/// operation's response).
fn pointer_of(reference: &str) -> Option<&str> {
    reference.strip_prefix('#')
}

impl Contract {
    /// The contract of an OpenAPI document (JSON text). Fails when the text is not JSON, has
    /// no `paths`, or a schema uses a keyword this checker does not know.
    pub fn new(document: &str) -> Result<Contract, String> {
        let doc: Value = serde_json::from_str(document)
            .map_err(|e| format!("the OpenAPI document is not JSON: {e}"))?;
        let paths = doc
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("the OpenAPI document has no `paths`")?;
        let mut operations = Vec::new();
        for (template, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for method in item.keys().filter(|m| *m != "parameters") {
                operations.push(Operation {
                    method: method.clone(),
                    template: template.clone(),
                    segments: template.split('/').map(str::to_owned).collect(),
                });
            }
        }
        let contract = Contract { doc, operations };
        let mut unknown = Vec::new();
        if let Some(schemas) = contract.doc.pointer("/components/schemas") {
            if let Some(schemas) = schemas.as_object() {
                for (name, schema) in schemas {
                    unknown_keywords(
                        schema,
                        &format!("#/components/schemas/{name}"),
                        &mut unknown,
                    );
                }
            }
        }
        for (at, schema) in contract.operation_schemas() {
            unknown_keywords(schema, &at, &mut unknown);
        }
        if let Some(first) = unknown.first() {
            return Err(format!(
                "the OpenAPI document uses {} that the checker does not know: {first}{}",
                if unknown.len() == 1 {
                    "a keyword"
                } else {
                    "keywords"
                },
                if unknown.len() > 1 {
                    format!(" and {} more", unknown.len() - 1)
                } else {
                    String::new()
                }
            ));
        }
        Ok(contract)
    }

    /// The contract of this server's own document.
    pub fn api() -> Result<Contract, String> {
        Contract::new(crate::api::OPENAPI)
    }

    /// Every schema an operation holds inline (request and answers), with where it sits.
    fn operation_schemas(&self) -> Vec<(String, &Value)> {
        let mut out = Vec::new();
        for op in &self.operations {
            let Some(op_value) = self.operation_value(op) else {
                continue;
            };
            let at = format!("{} {}", op.method.to_uppercase(), op.template);
            if let Some(s) = op_value.pointer("/requestBody/content/application~1json/schema") {
                out.push((format!("the request of {at}"), s));
            }
            if let Some(responses) = op_value.get("responses").and_then(Value::as_object) {
                for (status, response) in responses {
                    if let Some(s) = response.pointer("/content/application~1json/schema") {
                        out.push((format!("the answer {status} of {at}"), s));
                    }
                }
            }
        }
        out
    }

    fn operation_value(&self, op: &Operation) -> Option<&Value> {
        self.doc.get("paths")?.get(&op.template)?.get(&op.method)
    }

    /// The path template of the operation that `method` and `path` (a concrete path, with or
    /// without a query) name; a template with more fixed segments wins.
    pub fn operation(&self, method: &str, path: &str) -> Option<&str> {
        self.find(method, path).map(|op| op.template.as_str())
    }

    fn find(&self, method: &str, path: &str) -> Option<&Operation> {
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        let method = method.to_lowercase();
        let segments: Vec<&str> = path.split('/').collect();
        self.operations
            .iter()
            .filter(|op| op.method == method && op.segments.len() == segments.len())
            .filter(|op| {
                op.segments.iter().zip(&segments).all(|(t, s)| {
                    if t.starts_with('{') && t.ends_with('}') {
                        !s.is_empty()
                    } else {
                        t == s
                    }
                })
            })
            .max_by_key(|op| op.segments.iter().filter(|t| !t.starts_with('{')).count())
    }

    /// Checks an answer: its status must be one the operation documents, and its body must
    /// fit that status's schema. A path under `/api/v1` that no operation names must have
    /// answered 404 or 405 with an error body; other paths (the dashboard) are not described
    /// and pass.
    pub fn check_response(
        &self,
        method: &str,
        path: &str,
        status: u16,
        body: &[u8],
    ) -> Result<(), String> {
        let what = format!("{method} {path} answered {status}");
        let Some(op) = self.find(method, path) else {
            if !path.starts_with("/api/") {
                return Ok(());
            }
            if status != 404 && status != 405 {
                return Err(format!(
                    "{what}, but the document has no such operation (only 404 or 405 may answer it)"
                ));
            }
            return self
                .check_body(
                    &serde_json::json!({"$ref": "#/components/schemas/Error"}),
                    body,
                )
                .map_err(|e| format!("{what}: {e}"));
        };
        let response = self
            .operation_value(op)
            .and_then(|o| o.get("responses"))
            .and_then(|r| r.get(status.to_string()))
            .ok_or_else(|| {
                format!(
                    "{what}, a status that the document does not list for {} {}",
                    op.method.to_uppercase(),
                    op.template
                )
            })?;
        let response = self.resolve(response).map_err(|e| format!("{what}: {e}"))?;
        match response.pointer("/content/application~1json/schema") {
            Some(schema) => self
                .check_body(schema, body)
                .map_err(|e| format!("{what}: {e}")),
            None => Ok(()),
        }
    }

    /// Where the schema of an answer sits in the document (a JSON pointer, references of
    /// whole responses followed), for another validator to check the same body.
    pub fn response_schema_pointer(&self, method: &str, path: &str, status: u16) -> Option<String> {
        let op = self.find(method, path)?;
        let escape = |s: &str| s.replace('~', "~0").replace('/', "~1");
        let mut at = format!(
            "/paths/{}/{}/responses/{status}",
            escape(&op.template),
            op.method
        );
        for _ in 0..8 {
            let response = self.doc.pointer(&at)?;
            match response.get("$ref").and_then(Value::as_str) {
                Some(reference) => at = pointer_of(reference)?.to_owned(),
                None => break,
            }
        }
        let schema = format!("{at}/content/application~1json/schema");
        self.doc.pointer(&schema).map(|_| schema)
    }

    /// Checks a request body against the operation's request schema. A method and path that
    /// no operation names, or an operation without a JSON request body, pass.
    pub fn check_request(&self, method: &str, path: &str, body: &[u8]) -> Result<(), String> {
        let Some(op) = self.find(method, path) else {
            return Ok(());
        };
        match self
            .operation_value(op)
            .and_then(|o| o.pointer("/requestBody/content/application~1json/schema"))
        {
            Some(schema) => self
                .check_body(schema, body)
                .map_err(|e| format!("the request body of {method} {path}: {e}")),
            None => Ok(()),
        }
    }

    /// Checks one exchange, as the tests make them: the answer always, and the request body
    /// when the server accepted it (a 2xx answer; the tests send wrong bodies on purpose, to
    /// see them refused).
    pub fn check_exchange(
        &self,
        method: &str,
        path: &str,
        request: Option<&[u8]>,
        status: u16,
        answer: &[u8],
    ) -> Result<(), String> {
        self.check_response(method, path, status, answer)?;
        match request {
            Some(body) if (200..300).contains(&status) && !body.is_empty() => {
                self.check_request(method, path, body)
            }
            _ => Ok(()),
        }
    }

    /// A body (JSON text) against a schema.
    fn check_body(&self, schema: &Value, body: &[u8]) -> Result<(), String> {
        let value: Value = serde_json::from_slice(body).map_err(|e| {
            format!(
                "the body is not JSON ({e}): {}",
                String::from_utf8_lossy(body.get(..200).unwrap_or(body))
            )
        })?;
        let errors = self.check(schema, &value);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the body does not fit the document: {}",
                errors.join("; ")
            ))
        }
    }

    /// Follows a `$ref` (`#/…`) to what it names.
    fn resolve<'a>(&'a self, value: &'a Value) -> Result<&'a Value, String> {
        let mut value = value;
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return Ok(value);
            };
            value = pointer_of(reference)
                .and_then(|p| self.doc.pointer(p))
                .ok_or_else(|| {
                    format!("the reference `{reference}` names nothing in the document")
                })?;
        }
        Err("a reference loops".into())
    }

    /// Checks `value` against `schema`; each error names the place (a JSON pointer into the
    /// value, `/` for the whole) and what is wrong. Empty: it fits.
    pub fn check(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.check_at(schema, value, "", &mut errors);
        errors
    }

    fn check_at(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let place = if at.is_empty() { "/" } else { at };
        let Some(schema) = schema.as_object() else {
            // `true`/`false` schemas
            if schema == &Value::Bool(false) {
                errors.push(format!("at `{place}`: nothing is allowed here"));
            }
            return;
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            match pointer_of(reference).and_then(|p| self.doc.pointer(p)) {
                Some(target) => self.check_at(target, value, at, errors),
                None => errors.push(format!("the reference `{reference}` names nothing")),
            }
        }
        if let Some(types) = schema.get("type") {
            let allowed: Vec<&str> = match types {
                Value::String(t) => vec![t.as_str()],
                Value::Array(list) => list.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !allowed.iter().any(|t| has_type(value, t)) {
                errors.push(format!(
                    "at `{place}`: {} is not {}",
                    short(value),
                    allowed.join(" or ")
                ));
                return;
            }
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            if !options.contains(value) {
                errors.push(format!(
                    "at `{place}`: {} is not one of {}",
                    short(value),
                    options.iter().map(short).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        if let Some(constant) = schema.get("const") {
            if constant != value {
                errors.push(format!(
                    "at `{place}`: {} is not {}",
                    short(value),
                    short(constant)
                ));
            }
        }
        if let Some(n) = value.as_f64() {
            if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
                if n < min {
                    errors.push(format!("at `{place}`: {n} is less than {min}"));
                }
            }
            if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
                if n > max {
                    errors.push(format!("at `{place}`: {n} is more than {max}"));
                }
            }
        }
        if let Some(object) = value.as_object() {
            self.check_object(schema, object, at, errors);
        }
        if let Some(items) = value.as_array() {
            if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
                if (items.len() as u64) < min {
                    errors.push(format!("at `{place}`: fewer than {min} items"));
                }
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, item) in items.iter().enumerate() {
                    self.check_at(item_schema, item, &format!("{at}/{i}"), errors);
                }
            }
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for s in all {
                self.check_at(s, value, at, errors);
            }
        }
        if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
            let fits = any
                .iter()
                .filter(|s| self.check(s, value).is_empty())
                .count();
            if fits == 0 {
                errors.push(format!(
                    "at `{place}`: {} fits none of the `anyOf` schemas ({})",
                    short(value),
                    self.first_errors(any, value)
                ));
            }
        }
        if let Some(one) = schema.get("oneOf").and_then(Value::as_array) {
            let fits = one
                .iter()
                .filter(|s| self.check(s, value).is_empty())
                .count();
            if fits != 1 {
                errors.push(format!(
                    "at `{place}`: {} fits {fits} of the `oneOf` schemas, not exactly one{}",
                    short(value),
                    if fits == 0 {
                        format!(" ({})", self.first_errors(one, value))
                    } else {
                        String::new()
                    }
                ));
            }
        }
    }

    fn check_object(
        &self,
        schema: &Map<String, Value>,
        object: &Map<String, Value>,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let place = if at.is_empty() { "/" } else { at };
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            for key in required.iter().filter_map(Value::as_str) {
                if !object.contains_key(key) {
                    errors.push(format!("at `{place}`: `{key}` is missing"));
                }
            }
        }
        if let Some(min) = schema.get("minProperties").and_then(Value::as_u64) {
            if (object.len() as u64) < min {
                errors.push(format!("at `{place}`: fewer than {min} properties"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, v) in object {
            let child = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
            match properties.and_then(|p| p.get(key)) {
                Some(s) => self.check_at(s, v, &child, errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => errors.push(format!(
                        "at `{place}`: `{key}` is not a property the document describes"
                    )),
                    Some(s @ Value::Object(_)) => self.check_at(s, v, &child, errors),
                    _ => {}
                },
            }
        }
    }

    /// The first error of each alternative, for a message.
    fn first_errors(&self, alternatives: &[Value], value: &Value) -> String {
        alternatives
            .iter()
            .filter_map(|s| self.check(s, value).into_iter().next())
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

/// One request to the server at `server` (as [`crate::client::request`]), whose exchange is
/// then checked against this server's document ([`Contract::check_exchange`]): the tests'
/// way to call the API. The error is the transport's, or says how the exchange breaks the
/// document.
pub fn checked_request(
    server: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&[u8]>,
) -> Result<Response, String> {
    static CONTRACT: OnceLock<Result<Contract, String>> = OnceLock::new();
    let contract = CONTRACT.get_or_init(Contract::api).as_ref()?;
    let response = crate::client::request(server, method, path, token, body)?;
    contract
        .check_exchange(method, path, body, response.status, &response.body)
        .map_err(|e| format!("the exchange breaks the OpenAPI document: {e}"))?;
    Ok(response)
}

/// Whether `value` is of the JSON Schema type `name` (an integer is also a number; a number
/// with no fraction is also an integer).
fn has_type(value: &Value, name: &str) -> bool {
    match name {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

/// A value, shortened for a message.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("`{}…`", text.get(..cut).unwrap_or_default()),
        None => format!("`{text}`"),
    }
}

/// Collects the keywords of `schema` (and of the schemas inside it) that the checker does not
/// know, each with where it sits.
fn unknown_keywords(schema: &Value, at: &str, out: &mut Vec<String>) {
    let Some(object) = schema.as_object() else {
        return;
    };
    for (key, value) in object {
        if !KEYWORDS.contains(&key.as_str()) {
            out.push(format!("`{key}` in {at}"));
        }
        match key.as_str() {
            "properties" => {
                if let Some(props) = value.as_object() {
                    for (name, s) in props {
                        unknown_keywords(s, &format!("{at}/properties/{name}"), out);
                    }
                }
            }
            "items" | "additionalProperties" => {
                unknown_keywords(value, &format!("{at}/{key}"), out);
            }
            "oneOf" | "anyOf" | "allOf" => {
                for (i, s) in value.as_array().into_iter().flatten().enumerate() {
                    unknown_keywords(s, &format!("{at}/{key}/{i}"), out);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn contract() -> Contract {
        Contract::api().unwrap()
    }

    #[test]
    fn the_servers_document_uses_only_known_keywords() {
        let c = contract();
        assert!(c.operations.len() > 30);
        let bad = json!({"openapi": "3.1.0", "paths": {}, "components": {"schemas": {
            "X": {"type": "object", "properties": {"a": {"type": "string", "pattern": "^a"}}}}}});
        let err = Contract::new(&bad.to_string()).unwrap_err();
        assert!(
            err.contains("`pattern` in #/components/schemas/X/properties/a"),
            "{err}"
        );
    }

    #[test]
    fn operations_are_found_by_method_and_template() {
        let c = contract();
        assert_eq!(
            c.operation("GET", "/api/v1/orgs/acme/runs/12?x=1"),
            Some("/api/v1/orgs/{org}/runs/{id}")
        );
        assert_eq!(
            c.operation("POST", "/api/v1/stacks/acme/app/prod/runs"),
            Some("/api/v1/stacks/{org}/{project}/{stack}/runs")
        );
        assert_eq!(c.operation("PATCH", "/api/v1/orgs"), None);
        assert_eq!(c.operation("GET", "/api/v1/orgs//runs"), None);
    }

    #[test]
    fn a_wrong_answer_is_reported_with_its_place() {
        let c = contract();
        let path = "/api/v1/orgs/acme";
        let good = json!({"org": {"name": "acme", "created_at": 1},
            "you": {"name": "alice", "role": "admin", "created_at": 1, "packs": null}});
        c.check_response("GET", path, 200, good.to_string().as_bytes())
            .unwrap();

        let mut wrong_role = good.clone();
        wrong_role["you"]["role"] = json!("owner");
        let err = c
            .check_response("GET", path, 200, wrong_role.to_string().as_bytes())
            .unwrap_err();
        assert!(
            err.contains("at `/you/role`: `\"owner\"` is not one of"),
            "{err}"
        );

        let mut missing = good.clone();
        missing.as_object_mut().unwrap().remove("you");
        let err = c
            .check_response("GET", path, 200, missing.to_string().as_bytes())
            .unwrap_err();
        assert!(err.contains("`you` is missing"), "{err}");

        let mut extra = good.clone();
        extra["org"]["secret"] = json!("x");
        let err = c
            .check_response("GET", path, 200, extra.to_string().as_bytes())
            .unwrap_err();
        assert!(err.contains("`secret` is not a property"), "{err}");

        let mut typed = good;
        typed["org"]["created_at"] = json!("yesterday");
        let err = c
            .check_response("GET", path, 200, typed.to_string().as_bytes())
            .unwrap_err();
        assert!(err.contains("at `/org/created_at`"), "{err}");
        assert!(err.contains("is not integer"), "{err}");
    }

    #[test]
    fn statuses_errors_and_unknown_routes() {
        let c = contract();
        let error = json!({"error": {"code": "not_found", "message": "no"}}).to_string();
        let err = c
            .check_response("GET", "/api/v1/orgs/acme", 418, error.as_bytes())
            .unwrap_err();
        assert!(err.contains("does not list"), "{err}");
        c.check_response("GET", "/api/v1/orgs/acme/runs/1", 404, error.as_bytes())
            .unwrap();
        let odd = json!({"error": {"code": "oops", "message": "no"}}).to_string();
        assert!(c
            .check_response("GET", "/api/v1/orgs/acme/runs/1", 404, odd.as_bytes())
            .unwrap_err()
            .contains("`\"oops\"` is not one of"));
        let err = c
            .check_response("GET", "/api/v1/orgs/acme/runs/1", 200, b"<html>")
            .unwrap_err();
        assert!(err.contains("not JSON"), "{err}");
        c.check_response("GET", "/api/v1/nothing", 404, error.as_bytes())
            .unwrap();
        assert!(c
            .check_response("GET", "/api/v1/nothing", 200, b"{}")
            .is_err());
        c.check_response("GET", "/dashboard", 200, b"<html>")
            .unwrap();
    }

    #[test]
    fn request_bodies_are_checked_only_when_accepted() {
        let c = contract();
        let path = "/api/v1/orgs/acme/users";
        let answer =
            json!({"user": {"name": "mia", "role": "member", "created_at": 1, "packs": null}})
                .to_string();
        let bad = json!({"name": "mia", "role": "boss"}).to_string();
        let err = c
            .check_exchange("POST", path, Some(bad.as_bytes()), 201, answer.as_bytes())
            .unwrap_err();
        assert!(err.contains("the request body of POST"), "{err}");
        let refusal =
            json!({"error": {"code": "bad_request", "message": "unknown role"}}).to_string();
        c.check_exchange("POST", path, Some(bad.as_bytes()), 400, refusal.as_bytes())
            .unwrap();
    }

    #[test]
    fn schema_pointers_follow_response_references() {
        let c = contract();
        assert_eq!(
            c.response_schema_pointer("GET", "/api/v1/orgs/acme/runs/1", 404)
                .as_deref(),
            Some("/components/responses/Error/content/application~1json/schema")
        );
        assert_eq!(
            c.response_schema_pointer("GET", "/api/v1/orgs/acme/runs/1", 200)
                .as_deref(),
            Some("/paths/~1api~1v1~1orgs~1{org}~1runs~1{id}/get/responses/200/content/application~1json/schema")
        );
        assert_eq!(
            c.response_schema_pointer("GET", "/api/v1/orgs/acme/runs/1", 418),
            None
        );
    }

    #[test]
    fn one_of_any_of_and_nullable() {
        let c = contract();
        let schema = json!({"oneOf": [{"type": "string"}, {"type": ["integer", "null"]}]});
        assert!(c.check(&schema, &json!("a")).is_empty());
        assert!(c.check(&schema, &json!(null)).is_empty());
        assert!(c.check(&schema, &json!(1.0)).is_empty());
        assert!(!c.check(&schema, &json!(1.5)).is_empty());
        let both = json!({"oneOf": [{"type": "number"}, {"type": "integer"}]});
        assert!(c.check(&both, &json!(3))[0].contains("fits 2"));
        let any = json!({"anyOf": [{"$ref": "#/components/schemas/Level"}, {"type": "null"}]});
        assert!(c.check(&any, &json!("mandatory")).is_empty());
        assert!(!c.check(&any, &json!("loud")).is_empty());
    }
}
