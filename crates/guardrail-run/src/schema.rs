//! A small JSON Schema validator for the subset policy configuration schemas use: `type`
//! (one or a list), `properties`, `required`, `additionalProperties` (boolean or schema),
//! `items`, `enum`, `const`, `minimum`/`maximum`, `exclusiveMinimum`/`exclusiveMaximum`,
//! `minLength`/`maxLength`, `minItems`/`maxItems`. Other keywords are ignored.

use serde_json::Value as Json;

/// One mismatch between a value and its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// Where, as a path from the config's root (`limit`, `tags.Team`, `ports[2]`); empty for
    /// the root.
    pub path: String,
    /// What the schema expects.
    pub expected: String,
    /// What was found (JSON, shortened).
    pub found: String,
}

fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn is_type(v: &Json, t: &str) -> bool {
    match t {
        "integer" => {
            type_name(v) == "integer"
                || v.as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f.is_finite())
        }
        "number" => v.is_number(),
        other => type_name(v) == other,
    }
}

/// The value as shown in an error: JSON, cut at 60 characters.
pub fn show(v: &Json) -> String {
    let text = v.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn article(t: &str) -> &'static str {
    if matches!(t.chars().next(), Some('a' | 'e' | 'i' | 'o' | 'u')) {
        "an"
    } else {
        "a"
    }
}

/// Validates `value` against `schema`; every mismatch is returned (none when it conforms).
pub fn validate(schema: &Json, value: &Json) -> Vec<Mismatch> {
    let mut out = Vec::new();
    check(schema, value, "", &mut out);
    out
}

fn check(schema: &Json, value: &Json, path: &str, out: &mut Vec<Mismatch>) {
    let Some(s) = schema.as_object() else {
        if schema == &Json::Bool(false) {
            out.push(Mismatch {
                path: path.to_string(),
                expected: "nothing (the property is not allowed)".into(),
                found: show(value),
            });
        }
        return;
    };
    let mut push = |expected: String| {
        out.push(Mismatch {
            path: path.to_string(),
            expected,
            found: show(value),
        })
    };
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Json::String(one) => vec![one.as_str()],
            Json::Array(many) => many.iter().filter_map(Json::as_str).collect(),
            _ => Vec::new(),
        };
        if !types.is_empty() && !types.iter().any(|t| is_type(value, t)) {
            let wanted: Vec<String> = types
                .iter()
                .map(|t| format!("{} {t}", article(t)))
                .collect();
            push(wanted.join(" or "));
            return;
        }
    }
    if let Some(Json::Array(options)) = s.get("enum") {
        if !options.contains(value) {
            let list: Vec<String> = options.iter().map(Json::to_string).collect();
            push(format!("one of {}", list.join(", ")));
        }
    }
    if let Some(c) = s.get("const") {
        if c != value {
            push(format!("exactly {c}"));
        }
    }
    if let Some(n) = value.as_f64() {
        let bound = |k: &str| s.get(k).and_then(Json::as_f64);
        if let Some(min) = bound("minimum").filter(|m| n < *m) {
            push(format!("a number of at least {min}"));
        }
        if let Some(max) = bound("maximum").filter(|m| n > *m) {
            push(format!("a number of at most {max}"));
        }
        if let Some(min) = bound("exclusiveMinimum").filter(|m| n <= *m) {
            push(format!("a number greater than {min}"));
        }
        if let Some(max) = bound("exclusiveMaximum").filter(|m| n >= *m) {
            push(format!("a number less than {max}"));
        }
    }
    if let Some(text) = value.as_str() {
        let len = text.chars().count() as u64;
        if let Some(min) = s
            .get("minLength")
            .and_then(Json::as_u64)
            .filter(|m| len < *m)
        {
            push(format!(
                "a string of at least {}",
                guardrail_core::plural(min, "character", "characters")
            ));
        }
        if let Some(max) = s
            .get("maxLength")
            .and_then(Json::as_u64)
            .filter(|m| len > *m)
        {
            push(format!(
                "a string of at most {}",
                guardrail_core::plural(max, "character", "characters")
            ));
        }
    }
    if let Some(items) = value.as_array() {
        let len = items.len() as u64;
        if let Some(min) = s
            .get("minItems")
            .and_then(Json::as_u64)
            .filter(|m| len < *m)
        {
            push(format!(
                "a list of at least {}",
                guardrail_core::plural(min, "item", "items")
            ));
        }
        if let Some(max) = s
            .get("maxItems")
            .and_then(Json::as_u64)
            .filter(|m| len > *m)
        {
            push(format!(
                "a list of at most {}",
                guardrail_core::plural(max, "item", "items")
            ));
        }
        if let Some(item_schema) = s.get("items") {
            for (i, item) in items.iter().enumerate() {
                check(item_schema, item, &format!("{path}[{i}]"), out);
            }
        }
    }
    if let Some(map) = value.as_object() {
        let props = s.get("properties").and_then(Json::as_object);
        if let Some(Json::Array(required)) = s.get("required") {
            for key in required.iter().filter_map(Json::as_str) {
                if !map.contains_key(key) {
                    out.push(Mismatch {
                        path: join(path, key),
                        expected: "a value (the property is required)".into(),
                        found: "nothing".into(),
                    });
                }
            }
        }
        for (key, v) in map {
            let sub = join(path, key);
            match props.and_then(|p| p.get(key)) {
                Some(p) => check(p, v, &sub, out),
                None => match s.get("additionalProperties") {
                    Some(Json::Bool(false)) => out.push(Mismatch {
                        path: sub,
                        expected: match props {
                            Some(p) if !p.is_empty() => {
                                let names: Vec<&str> = p.keys().map(String::as_str).collect();
                                format!("one of the properties {}", names.join(", "))
                            }
                            _ => "no properties".into(),
                        },
                        found: format!("`{key}`"),
                    }),
                    Some(extra @ Json::Object(_)) => check(extra, v, &sub, out),
                    _ => {}
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn checks_the_subset_the_catalog_uses() {
        let schema = json!({
            "type": "object",
            "properties": {
                "limit": {"type": "string"},
                "ports": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 65535}},
                "mode": {"enum": ["a", "b"]},
                "tags": {"type": "object", "additionalProperties": {"type": "string"}}
            },
            "required": ["limit"],
            "additionalProperties": false
        });
        assert!(validate(
            &schema,
            &json!({"limit": "2Gi", "ports": [22], "mode": "a"})
        )
        .is_empty());
        let errors = validate(
            &schema,
            &json!({"ports": [22, 70000, "x"], "mode": "c", "tags": {"Team": 1}, "extra": true}),
        );
        let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "limit",
                "extra",
                "mode",
                "ports[1]",
                "ports[2]",
                "tags.Team"
            ]
        );
        let e = &errors[3];
        assert_eq!(e.expected, "a number of at most 65535");
        assert_eq!(e.found, "70000");
        assert_eq!(errors[4].expected, "an integer");
        assert_eq!(errors[5].expected, "a string");
    }

    #[test]
    fn integers_are_numbers_and_whole_floats_are_integers() {
        assert!(validate(&json!({"type": "number"}), &json!(3)).is_empty());
        assert!(validate(&json!({"type": "integer"}), &json!(3.0)).is_empty());
        assert!(!validate(&json!({"type": "integer"}), &json!(3.5)).is_empty());
        assert!(validate(&json!({"type": ["string", "null"]}), &json!(null)).is_empty());
    }
}
