//! Pulumi: stack exports and checkpoints, `preview --json`, and engine event logs.
//!
//! Property values carry Pulumi's markers, which become guardrail's:
//! - a secret object (`{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
//!   "plaintext": "<json text>"}`) becomes [`Value::Secret`] of the decoded plaintext;
//! - a secret with only `ciphertext` (encrypted by a secrets provider guardrail cannot use) becomes
//!   `Value::Secret(Box::new(Value::Unknown))`: still a secret, never printed, and *unknown*
//!   because its value cannot be read, so a policy that needs it is indeterminate rather than
//!   wrongly passing or failing on a `null`;
//! - an output value object (`d0e6a833031e9bbcd3f4e8bde6ca49a4`) becomes its `value`, unknown when
//!   it has none, secret when it says so;
//! - the unknown sentinel strings (`04da6b54-…` and the typed variants) become [`Value::Unknown`];
//! - assets, archives and resource references stay plain objects.

pub(crate) mod deployment;
pub(crate) mod events;
pub(crate) mod preview;

use guardrail_core::{Map, Mode, Operation, Resource, Spelling, Stack, Value};
use serde::Deserialize;

/// The key of Pulumi's special objects.
const SIG: &str = "4dabf18193072939515e22adb298388d";
/// The signature of a secret.
const SECRET_SIG: &str = "1b47061264138c4ac30d75fd1eb44270";
/// The signature of an output value.
const OUTPUT_SIG: &str = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/// The strings Pulumi writes for values unknown until the update runs.
const UNKNOWN_SENTINELS: [&str; 7] = [
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
];

/// Turns Pulumi's markers inside a value into guardrail's.
pub(crate) fn convert(value: &mut Value) {
    match value {
        Value::String(s) if s.len() == 36 && UNKNOWN_SENTINELS.contains(&s.as_str()) => {
            *value = Value::Unknown;
        }
        Value::Object(map) => match map.get(SIG).and_then(Value::as_str) {
            Some(SECRET_SIG) => *value = Value::Secret(Box::new(secret_plaintext(map))),
            Some(OUTPUT_SIG) => {
                let secret = map.get("secret").and_then(Value::as_bool) == Some(true);
                let mut inner = match map.swap_remove("value") {
                    Some(mut v) => {
                        convert(&mut v);
                        v
                    }
                    None => Value::Unknown,
                };
                if secret && !inner.is_secret() {
                    inner = Value::Secret(Box::new(inner));
                }
                *value = inner;
            }
            _ => map.values_mut().for_each(convert),
        },
        Value::Array(items) => items.iter_mut().for_each(convert),
        _ => {}
    }
}

fn secret_plaintext(map: &mut Map) -> Value {
    if let Some(Value::String(text)) = map.get("plaintext") {
        let mut inner =
            serde_json::from_str::<Value>(text).unwrap_or_else(|_| Value::String(text.clone()));
        convert(&mut inner);
        // a secret inside a secret is one secret
        while let Value::Secret(boxed) = inner {
            inner = *boxed;
        }
        return inner;
    }
    if let Some(mut v) = map.swap_remove("value") {
        convert(&mut v);
        return v;
    }
    // only ciphertext: the value exists but cannot be read here
    Value::Unknown
}

/// The parts of a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`.
pub(crate) struct Urn<'u> {
    pub stack: &'u str,
    pub project: &'u str,
    pub type_: &'u str,
    pub name: &'u str,
}

/// Parses a URN; `None` when it is not one.
pub(crate) fn parse_urn(urn: &str) -> Option<Urn<'_>> {
    let rest = urn.strip_prefix("urn:pulumi:")?;
    let mut parts = rest.splitn(4, "::");
    let stack = parts.next()?;
    let project = parts.next()?;
    let qualified = parts.next()?;
    let name = parts.next()?;
    Some(Urn {
        stack,
        project,
        type_: qualified.rsplit('$').next().unwrap_or(qualified),
        name,
    })
}

/// A resource state as stack exports, checkpoints, previews and event logs write it.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(crate) struct State {
    #[serde(default)]
    urn: String,
    #[serde(default)]
    custom: Option<bool>,
    #[serde(default)]
    delete: bool,
    #[serde(default)]
    external: bool,
    #[serde(rename = "type", default)]
    type_: Option<String>,
    #[serde(default)]
    inputs: Option<Value>,
    #[serde(default)]
    outputs: Option<Value>,
    #[serde(default)]
    parent: Option<String>,
    #[serde(default)]
    provider: Option<String>,
    #[serde(default)]
    dependencies: Option<Vec<String>>,
    #[serde(default)]
    property_dependencies: Option<Value>,
    /// Where the program registers the resource (`project:///index.ts#12,5`).
    #[serde(default)]
    source_position: Option<String>,
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

/// Builds a resource from the state that describes it (`new` or else `old`), with the inputs of
/// `old` as the old properties.
pub(crate) fn resource(
    urn: &str,
    type_hint: Option<&str>,
    operation: Operation,
    new: Option<State>,
    old: Option<State>,
) -> Resource {
    let parsed = parse_urn(urn);
    let mut old_inputs = old.as_ref().and_then(|o| o.inputs.clone());
    if let Some(v) = &mut old_inputs {
        convert(v);
    }
    let use_old = operation == Operation::Delete || new.is_none();
    let state = if use_old {
        old.or(new).unwrap_or_default()
    } else {
        new.unwrap_or_default()
    };
    let type_ = state
        .type_
        .clone()
        .filter(|t| !t.is_empty())
        .or_else(|| type_hint.map(str::to_string))
        .or_else(|| parsed.as_ref().map(|u| u.type_.to_string()))
        .unwrap_or_default();
    let mut outputs = state.outputs;
    if let Some(v) = &mut outputs {
        convert(v);
    }
    // old checkpoints record no inputs: their outputs stand in
    let mut props = match state.inputs {
        Some(mut v) => {
            convert(&mut v);
            v
        }
        None => outputs.clone().unwrap_or_default(),
    };
    if matches!(props, Value::Null) {
        props = Value::Object(Map::new());
    }
    let mut r = Resource::new(urn, type_.clone(), Spelling::Pulumi, props);
    r.name = parsed
        .as_ref()
        .map(|u| u.name.to_string())
        .unwrap_or_else(|| urn.rsplit("::").next().unwrap_or(urn).to_string());
    r.mode = if type_.starts_with("pulumi:providers:") {
        Mode::Provider
    } else if type_ == "pulumi:pulumi:Stack" || state.custom != Some(true) {
        // Pulumi leaves `custom` out when it is false
        Mode::Component
    } else if state.external {
        Mode::Data
    } else {
        Mode::Managed
    };
    r.operation = if state.delete && operation == Operation::Same {
        Operation::Delete
    } else {
        operation
    };
    r.outputs = outputs;
    r.old_props = old_inputs;
    r.parent = non_empty(state.parent);
    r.provider = non_empty(state.provider);
    r.dependencies = state.dependencies.unwrap_or_default();
    if let Some(Value::Object(map)) = state.property_dependencies {
        r.property_dependencies = map;
    }
    r.source_location = state
        .source_position
        .as_deref()
        .and_then(crate::source::pulumi_position)
        .map(std::sync::Arc::new);
    r
}

/// Sets the stack's project and name from the first URN.
pub(crate) fn stack_of(resources: Vec<Resource>) -> Stack {
    let mut stack = Stack::default();
    if let Some(u) = resources.iter().find_map(|r| parse_urn(&r.id)) {
        stack.project = Some(u.project.to_string());
        stack.stack = Some(u.stack.to_string());
    }
    stack.resources = resources;
    stack
}

/// Maps a step's `op` to an operation. Unknown ops count as updates, so policies still run.
pub(crate) fn operation(op: &str) -> Operation {
    match op {
        "create" | "import" => Operation::Create,
        "same" => Operation::Same,
        "delete" | "discard" | "discard-replaced" | "remove-pending-replace" => Operation::Delete,
        "replace" | "create-replacement" | "delete-replaced" | "import-replacement" => {
            Operation::Replace
        }
        "read" | "refresh" | "read-replacement" | "read-discard" => Operation::Read,
        _ => Operation::Update,
    }
}

/// Whether a step's op leaves no new state behind.
fn removes(op: &str) -> bool {
    matches!(
        op,
        "delete" | "discard" | "discard-replaced" | "remove-pending-replace" | "delete-replaced"
    )
}

/// Steps of one URN, merged: a replacement wins over its parts; the new state comes from the
/// last step that has one (and does not remove the resource), the old state from the first.
pub(crate) struct Merged {
    pub urn: String,
    pub type_: Option<String>,
    pub op: Operation,
    pub new: Option<State>,
    pub old: Option<State>,
    pub line: usize,
}

/// Merges steps by URN, keeping the order in which URNs first appear.
#[derive(Default)]
pub(crate) struct Merger {
    order: Vec<Merged>,
    index: std::collections::HashMap<String, usize>,
}

impl Merger {
    /// Adds a step.
    pub(crate) fn add(
        &mut self,
        urn: String,
        type_: Option<String>,
        op: &str,
        new: Option<State>,
        old: Option<State>,
        line: usize,
    ) {
        let operation = operation(op);
        let new = if removes(op) { None } else { new };
        match self.index.get(&urn) {
            Some(&i) => {
                let m = &mut self.order[i];
                m.op = if m.op == Operation::Replace || operation == Operation::Replace {
                    Operation::Replace
                } else {
                    operation
                };
                if new.is_some() {
                    m.new = new;
                }
                if m.old.is_none() {
                    m.old = old;
                }
                if m.type_.is_none() {
                    m.type_ = type_;
                }
            }
            None => {
                self.index.insert(urn.clone(), self.order.len());
                self.order.push(Merged {
                    urn,
                    type_,
                    op: operation,
                    new,
                    old,
                    line,
                });
            }
        }
    }

    /// Replaces the outputs of a URN's new state (from a later outputs event).
    pub(crate) fn set_outputs(&mut self, urn: &str, outputs: Value) {
        if let Some(&i) = self.index.get(urn) {
            if let Some(new) = &mut self.order[i].new {
                new.outputs = Some(outputs);
            }
        }
    }

    /// The resources, in first-seen order.
    pub(crate) fn finish(self) -> Vec<Resource> {
        self.order
            .into_iter()
            .map(|m| {
                let mut r = resource(&m.urn, m.type_.as_deref(), m.op, m.new, m.old);
                r.line = Some(m.line);
                r
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(j: serde_json::Value) -> Value {
        Value::from_json(j)
    }

    #[test]
    fn secrets_unknowns_and_outputs() {
        let mut value = v(json!({
            "plain": "x",
            "pw": {SIG: SECRET_SIG, "plaintext": "\"hunter2\""},
            "obj": {SIG: SECRET_SIG, "plaintext": "{\"a\":[1,\"04da6b54-80e4-46f7-96ec-b56ff0331ba9\"]}"},
            "enc": {SIG: SECRET_SIG, "ciphertext": "v1:abc"},
            "unk": "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
            "out": {SIG: OUTPUT_SIG, "value": 3, "secret": true},
            "pending": {SIG: OUTPUT_SIG},
            "asset": {SIG: "c44067f5952c0a294b673a41bacd8c17", "text": "hi"},
        }));
        convert(&mut value);
        assert_eq!(value.get("plain"), Some(&v(json!("x"))));
        assert_eq!(
            value.get("pw"),
            Some(&Value::Secret(Box::new(v(json!("hunter2")))))
        );
        assert_eq!(
            value.get("obj"),
            Some(&Value::Secret(Box::new(Value::Object(
                [(
                    "a".to_string(),
                    Value::Array(vec![v(json!(1)), Value::Unknown])
                )]
                .into_iter()
                .collect()
            ))))
        );
        assert_eq!(
            value.get("enc"),
            Some(&Value::Secret(Box::new(Value::Unknown)))
        );
        assert_eq!(value.get("unk"), Some(&Value::Unknown));
        assert_eq!(
            value.get("out"),
            Some(&Value::Secret(Box::new(v(json!(3)))))
        );
        assert_eq!(value.get("pending"), Some(&Value::Unknown));
        assert_eq!(
            value.get("asset").and_then(|a| a.get("text")),
            Some(&v(json!("hi")))
        );
    }

    #[test]
    fn urns() {
        let u = parse_urn(
            "urn:pulumi:dev::proj::aws:s3/bucket:Bucket$aws:s3/bucketObject:BucketObject::my::odd",
        )
        .unwrap();
        assert_eq!(
            (u.stack, u.project, u.type_, u.name),
            ("dev", "proj", "aws:s3/bucketObject:BucketObject", "my::odd")
        );
        assert!(parse_urn("aws_s3_bucket.b").is_none());
    }

    #[test]
    fn operations() {
        assert_eq!(operation("create-replacement"), Operation::Replace);
        assert_eq!(operation("import"), Operation::Create);
        assert_eq!(operation("refresh"), Operation::Read);
        assert_eq!(operation("remove-pending-replace"), Operation::Delete);
        assert_eq!(operation("same"), Operation::Same);
    }
}
