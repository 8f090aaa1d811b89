//! Terraform's unknown and sensitive trees (`after_unknown`, `after_sensitive`,
//! `sensitive_values`, …) applied to values as [`Value::Unknown`] and [`Value::Secret`] markers.
//!
//! A tree mirrors the value: `true` marks a leaf or a whole subtree, objects and lists descend,
//! anything else (`false`, `{}`, `[]`, absent keys) marks nothing.

use guardrail_core::Value;

/// Whether a tree marks anything at all.
pub(crate) fn marks_anything(tree: &Value) -> bool {
    match tree {
        Value::Bool(b) => *b,
        Value::Array(items) => items.iter().any(marks_anything),
        Value::Object(map) => map.values().any(marks_anything),
        _ => false,
    }
}

/// Replaces the places `tree` marks with [`Value::Unknown`]. A key marked in the tree but absent
/// from the value (Terraform leaves unknown attributes out of `after`) is inserted.
pub(crate) fn apply_unknown(value: &mut Value, tree: &Value) {
    match tree {
        Value::Bool(true) => *value = Value::Unknown,
        Value::Object(marks) => {
            if !marks_anything(tree) {
                return;
            }
            if matches!(value, Value::Null) {
                *value = Value::Object(Default::default());
            }
            if let Value::Object(map) = value {
                // the keys to add, counted first so the map grows once, to its final size
                let missing = marks
                    .iter()
                    .filter(|(key, mark)| !map.contains_key(key) && marks_anything(mark))
                    .count();
                map.reserve_exact(missing);
                for (key, mark) in marks {
                    match map.get_mut(key) {
                        Some(child) => apply_unknown(child, mark),
                        None if marks_anything(mark) => {
                            let mut child = Value::Null;
                            apply_unknown(&mut child, mark);
                            map.insert(key.clone(), child);
                        }
                        None => {}
                    }
                }
            }
        }
        Value::Array(marks) => {
            if !marks_anything(tree) {
                return;
            }
            if matches!(value, Value::Null) {
                *value = Value::Array(Vec::new());
            }
            if let Value::Array(items) = value {
                for (i, mark) in marks.iter().enumerate() {
                    match items.get_mut(i) {
                        Some(child) => apply_unknown(child, mark),
                        None if marks_anything(mark) => {
                            // a list element known only after apply, at the end of the list
                            let mut child = Value::Null;
                            apply_unknown(&mut child, mark);
                            items.push(child);
                        }
                        None => {}
                    }
                }
            }
        }
        _ => {}
    }
}

/// Wraps the places `tree` marks in [`Value::Secret`]. Absent keys stay absent (nothing to hide).
pub(crate) fn apply_sensitive(value: &mut Value, tree: &Value) {
    match tree {
        Value::Bool(true) if !value.is_secret() => {
            let inner = std::mem::take(value);
            *value = Value::Secret(Box::new(inner));
        }
        Value::Object(marks) => {
            if let Value::Object(map) = value {
                for (key, mark) in marks {
                    if let Some(child) = map.get_mut(key) {
                        apply_sensitive(child, mark);
                    }
                }
            }
        }
        Value::Array(marks) => {
            if let Value::Array(items) = value {
                for (child, mark) in items.iter_mut().zip(marks) {
                    apply_sensitive(child, mark);
                }
            }
        }
        _ => {}
    }
}

/// Wraps the value at a path (`[{"type":"get_attr","value":"password"}, {"type":"index", …}]`
/// as raw `.tfstate` files list them) in [`Value::Secret`]. Missing paths are ignored.
pub(crate) fn apply_sensitive_path(value: &mut Value, path: &Value) {
    let Value::Array(steps) = path else { return };
    let mut cur = value;
    for step in steps {
        // index steps spell their key as `{"value": 0, "type": "number"}`
        let key = step.get("value").map(|k| match k {
            Value::Object(_) => k.get("value").unwrap_or(k),
            _ => k,
        });
        let next = match (&mut *cur, key) {
            (Value::Object(map), Some(Value::String(k))) => map.get_mut(k.as_str()),
            (Value::Array(items), Some(k)) => k
                .as_i64()
                .and_then(|i| usize::try_from(i).ok())
                .and_then(|i| items.get_mut(i)),
            (Value::Object(map), Some(Value::Number(n))) => map.get_mut(&n.to_string()),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return,
        }
    }
    apply_sensitive(cur, &Value::Bool(true));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(j: serde_json::Value) -> Value {
        Value::from_json(j)
    }

    #[test]
    fn unknown_leaves_subtrees_and_absent_keys() {
        let mut after = v(json!({"a": 1, "b": {"c": 2, "d": 3}, "l": [1, 2]}));
        let tree = v(
            json!({"a": false, "b": {"d": true}, "id": true, "l": [false, true],
                            "sub": {"x": true}, "whole": true, "none": {}}),
        );
        apply_unknown(&mut after, &tree);
        assert_eq!(after.get("a"), Some(&v(json!(1))));
        assert_eq!(after.get("b").and_then(|b| b.get("c")), Some(&v(json!(2))));
        assert_eq!(
            after.get("b").and_then(|b| b.get("d")),
            Some(&Value::Unknown)
        );
        assert_eq!(after.get("id"), Some(&Value::Unknown));
        assert_eq!(after.get("whole"), Some(&Value::Unknown));
        assert_eq!(
            after.get("sub").and_then(|s| s.get("x")),
            Some(&Value::Unknown)
        );
        assert_eq!(after.get("none"), None, "an empty mark inserts nothing");
        assert_eq!(
            after.get("l"),
            Some(&Value::Array(vec![v(json!(1)), Value::Unknown]))
        );
        let mut whole = v(json!({"a": 1}));
        apply_unknown(&mut whole, &Value::Bool(true));
        assert_eq!(whole, Value::Unknown);
    }

    #[test]
    fn sensitive_leaves_and_subtrees() {
        let mut after =
            v(json!({"password": "p", "nested": {"k": "v"}, "list": ["a", "b"], "plain": "x"}));
        let tree =
            v(json!({"password": true, "nested": true, "list": [false, true], "absent": true}));
        apply_sensitive(&mut after, &tree);
        assert_eq!(
            after.get("password"),
            Some(&Value::Secret(Box::new(v(json!("p")))))
        );
        assert!(matches!(after.get("nested"), Some(Value::Secret(_))));
        assert_eq!(
            after.get("list"),
            Some(&Value::Array(vec![
                v(json!("a")),
                Value::Secret(Box::new(v(json!("b"))))
            ]))
        );
        assert_eq!(after.get("plain"), Some(&v(json!("x"))));
        assert_eq!(after.get("absent"), None);
    }

    #[test]
    fn sensitive_paths_of_tfstate() {
        let mut attrs = v(json!({"result": "s3cr3t", "list": [{"k": "a"}, {"k": "b"}]}));
        apply_sensitive_path(
            &mut attrs,
            &v(json!([{"type": "get_attr", "value": "result"}])),
        );
        apply_sensitive_path(
            &mut attrs,
            &v(
                json!([{"type": "get_attr", "value": "list"}, {"type": "index", "value": {"value": 1, "type": "number"}}, {"type": "get_attr", "value": "k"}]),
            ),
        );
        assert!(attrs.get("result").is_some_and(Value::is_secret));
        assert_eq!(
            attrs.lookup("list[0].k"),
            guardrail_core::value::Lookup::Found(&v(json!("a")))
        );
    }
}
