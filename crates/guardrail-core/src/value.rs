//! Property values: JSON plus two markers, *unknown* (known only after apply) and *secret*
//! (plaintext available to policies, never printed).
//!
//! Property access folds key case (`serverSideEncryption` finds `server_side_encryption`) and looks
//! through single-item lists (Terraform spells a nested block as a list of one object, Pulumi as the
//! object itself), so one rule reads both spellings.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::policy::Halt;

pub use crate::map::{Key, Map};

/// A property value.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    /// JSON `null`.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number, as JSON spelled it.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// A list.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
    /// A value known only after the change is applied.
    Unknown,
    /// A secret: the plaintext is visible to policies and never printed.
    Secret(Box<Value>),
}

/// A value displayed for a message; see [`Value::shown`].
#[derive(Clone, Copy, Debug)]
pub struct Shown<'a>(&'a Value);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Secret(_) => f.write_str(crate::redact::MASK),
            Value::String(s) => f.write_str(s),
            other => write!(f, "{}", other.to_json_redacted()),
        }
    }
}

/// The result of following a property path.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lookup<'a> {
    /// The path leads to this value (secrets are looked through).
    Found(&'a Value),
    /// The path leads nowhere: a key is absent, or an intermediate value is null or a scalar.
    Missing,
    /// The path runs into a value that is unknown until apply.
    Unknown,
}

/// Folds a key for comparison: lower case without `_` and `-`, so `serverSideEncryption`,
/// `server_side_encryption` and `ServerSideEncryption` compare equal. Every reader of
/// properties (native rules, the Rego functions `guardrail.prop`/`guardrail.path`) folds keys
/// with this one function.
pub fn fold_eq(a: &str, b: &str) -> bool {
    let mut left = a.bytes().filter(|c| *c != b'_' && *c != b'-');
    let mut right = b.bytes().filter(|c| *c != b'_' && *c != b'-');
    loop {
        match (left.next(), right.next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(&y) => {}
            _ => return false,
        }
    }
}

/// Splits `a.b[0].c` into `["a", "b", "0", "c"]`. Keys containing dots can be quoted:
/// `tags["kubernetes.io/name"]`.
pub fn split_path(path: &str) -> Vec<String> {
    path_segments(path).map(str::to_string).collect()
}

/// The segments of a path, as [`split_path`] finds them, without allocating: every segment is
/// a slice of the path (policies look paths up millions of times on a large plan).
pub fn path_segments(path: &str) -> PathSegments<'_> {
    PathSegments { rest: path }
}

/// Iterator over the segments of a path; see [`path_segments`].
#[derive(Clone, Debug)]
pub struct PathSegments<'a> {
    rest: &'a str,
}

impl<'a> Iterator for PathSegments<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            let rest = self.rest;
            let first = rest.as_bytes().first()?;
            match first {
                b'.' => self.rest = &rest[1..],
                b'[' => {
                    let inner = &rest[1..];
                    let (segment, after) = match inner.strip_prefix('"') {
                        // a quoted key runs to the next quote, and its `]` is skipped
                        Some(quoted) => match quoted.find('"') {
                            Some(end) => {
                                let after = &quoted[end + 1..];
                                (&quoted[..end], after.strip_prefix(']').unwrap_or(after))
                            }
                            None => (quoted, ""),
                        },
                        None => match inner.find(']') {
                            Some(end) => (&inner[..end], &inner[end + 1..]),
                            None => (inner, ""),
                        },
                    };
                    self.rest = after;
                    return Some(segment);
                }
                _ => {
                    let end = rest.find(['.', '[']).unwrap_or(rest.len());
                    self.rest = &rest[end..];
                    return Some(&rest[..end]);
                }
            }
        }
    }
}

impl Value {
    /// Builds a string value.
    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// Looks through a secret to the value it hides.
    pub fn reveal(&self) -> &Value {
        match self {
            Value::Secret(inner) => inner.reveal(),
            other => other,
        }
    }

    /// Whether this value is a secret.
    pub fn is_secret(&self) -> bool {
        matches!(self, Value::Secret(_))
    }

    /// Whether this value is unknown until apply (also through a secret).
    pub fn is_unknown(&self) -> bool {
        matches!(self.reveal(), Value::Unknown)
    }

    /// Whether this value is null (also through a secret).
    pub fn is_null(&self) -> bool {
        matches!(self.reveal(), Value::Null)
    }

    /// The key of an object, matched exactly first, then with folded case; single-item lists are
    /// looked through. Secrets are looked through.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self.reveal() {
            Value::Object(map) => map
                .get(key)
                .or_else(|| map.iter().find(|(k, _)| fold_eq(k, key)).map(|(_, v)| v)),
            Value::Array(items) if items.len() == 1 => items.first().and_then(|v| v.get(key)),
            _ => None,
        }
    }

    /// Mutable access to a key, with the same folding as [`Value::get`].
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        match self {
            Value::Secret(inner) => inner.get_mut(key),
            Value::Object(map) => {
                let idx = map
                    .get_index_of(key)
                    .or_else(|| map.keys().position(|k| fold_eq(k, key)))?;
                map.get_index_mut(idx).map(|(_, v)| v)
            }
            Value::Array(items) if items.len() == 1 => {
                items.first_mut().and_then(|v| v.get_mut(key))
            }
            _ => None,
        }
    }

    /// Follows a dotted path (`a.b[0].c`). Numeric segments index lists; other segments on a
    /// single-item list look through it.
    pub fn lookup(&self, path: &str) -> Lookup<'_> {
        let mut cur = self;
        for seg in path_segments(path) {
            let here = cur.reveal();
            if matches!(here, Value::Unknown) {
                return Lookup::Unknown;
            }
            let next = match (here, seg.parse::<usize>()) {
                (Value::Array(items), Ok(i)) => items.get(i),
                _ => here.get(seg),
            };
            match next {
                Some(v) => cur = v,
                None => {
                    // an unknown single-item list hides whatever the path wanted
                    if let Value::Array(items) = here {
                        if items.len() == 1 && items.iter().any(Value::is_unknown) {
                            return Lookup::Unknown;
                        }
                    }
                    return Lookup::Missing;
                }
            }
        }
        if cur.is_unknown() {
            Lookup::Unknown
        } else {
            Lookup::Found(cur.reveal())
        }
    }

    /// Follows a path for a policy: `Ok(None)` when absent or null, `Err(Halt::Unknown)` when the
    /// path needs a value known only after apply, so the engine records an indeterminate outcome.
    pub fn field(&self, path: &str) -> Result<Option<&Value>, Halt> {
        match self.lookup(path) {
            Lookup::Found(Value::Null) | Lookup::Missing => Ok(None),
            Lookup::Found(v) => Ok(Some(v)),
            Lookup::Unknown => Err(Halt::unknown(path)),
        }
    }

    /// The items of a list; a single non-list value is one item and null is none. Secrets are
    /// looked through.
    pub fn items(&self) -> impl Iterator<Item = &Value> {
        let slice: &[Value] = match self.reveal() {
            Value::Array(items) => items,
            Value::Null => &[],
            other => std::slice::from_ref(other),
        };
        slice.iter().map(Value::reveal)
    }

    /// The string, looking through secrets.
    pub fn as_str(&self) -> Option<&str> {
        match self.reveal() {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean; the strings `"true"` and `"false"` count too (some providers spell them so).
    pub fn as_bool(&self) -> Option<bool> {
        match self.reveal() {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }

    /// The number as `f64`; numeric strings count too.
    pub fn as_f64(&self) -> Option<f64> {
        match self.reveal() {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The number as `i64`; integral numeric strings count too.
    pub fn as_i64(&self) -> Option<i64> {
        match self.reveal() {
            Value::Number(n) => n
                .as_i64()
                .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The object, looking through secrets and single-item lists.
    pub fn as_object(&self) -> Option<&Map> {
        match self.reveal() {
            Value::Object(m) => Some(m),
            Value::Array(items) if items.len() == 1 => items.first().and_then(Value::as_object),
            _ => None,
        }
    }

    /// Sets `key` on an object, keeping the spelling of an existing key that folds to the same
    /// name. A null value becomes an empty object first. Returns false when the value is not an
    /// object (nothing is changed then).
    pub fn set(&mut self, key: &str, value: Value) -> bool {
        if matches!(self, Value::Null) {
            *self = Value::Object(Map::new());
        }
        if let Some(slot) = self.get_mut(key) {
            *slot = value;
            return true;
        }
        match self {
            Value::Object(map) => {
                map.insert(key.to_string(), value);
                true
            }
            Value::Array(items) if items.len() == 1 => {
                items.first_mut().is_some_and(|item| item.set(key, value))
            }
            _ => false,
        }
    }

    /// Calls `f` on every secret's plaintext leaf (strings and numbers, as printed).
    pub fn for_each_secret_leaf(&self, f: &mut dyn FnMut(String)) {
        fn leaves(v: &Value, f: &mut dyn FnMut(String)) {
            match v {
                Value::String(s) => f(s.clone()),
                Value::Number(n) => f(n.to_string()),
                Value::Bool(b) => f(b.to_string()),
                Value::Array(items) => items.iter().for_each(|i| leaves(i, f)),
                Value::Object(map) => map.values().for_each(|i| leaves(i, f)),
                Value::Secret(inner) => leaves(inner, f),
                Value::Null | Value::Unknown => {}
            }
        }
        match self {
            Value::Secret(inner) => leaves(inner, f),
            Value::Array(items) => items.iter().for_each(|i| i.for_each_secret_leaf(f)),
            Value::Object(map) => map.values().for_each(|i| i.for_each_secret_leaf(f)),
            _ => {}
        }
    }

    /// The value with every leaf marked secret: for whatever is parsed or computed from a
    /// secret (a policy document held in a secret string), so that its parts stay secret.
    pub fn into_tainted(self) -> Value {
        match self {
            Value::Array(items) => {
                Value::Array(items.into_iter().map(Value::into_tainted).collect())
            }
            Value::Object(map) => {
                let mut out = Map::with_capacity(map.len());
                for (k, v) in map {
                    out.push_unique(k, v.into_tainted());
                }
                Value::Object(out)
            }
            Value::Secret(inner) => inner.into_tainted(),
            Value::Null => Value::Null,
            Value::Unknown => Value::Unknown,
            leaf => Value::Secret(Box::new(leaf)),
        }
    }

    /// The value, tainted by [`Value::into_tainted`] when `secret` says it came from a secret.
    pub fn tainted_if(self, secret: bool) -> Value {
        if secret {
            self.into_tainted()
        } else {
            self
        }
    }

    /// Whether the path (as [`Value::lookup`] follows it) passes through or ends at a secret:
    /// what a policy reads there is secret, though the lookup hands it over in plain text. A
    /// value under a secret block (a whole sensitive `ingress`) is secret, as is one that is
    /// absent there. Ask it from the value the path starts at (a resource's props, see
    /// [`crate::ResourceView::secret_at`]): [`Value::lookup`], [`Value::get`] and
    /// [`Value::items`] look through secrets, so a block they return no longer knows that it
    /// was inside one.
    pub fn secret_at(&self, path: &str) -> bool {
        self.lookup_traced(path).1
    }

    /// [`Value::lookup`], and whether any step of the path went through a secret (or the value
    /// found is one): what a rule reads there must be printed as a secret.
    pub fn lookup_traced(&self, path: &str) -> (Lookup<'_>, bool) {
        let mut cur = self;
        let mut secret = false;
        for seg in path_segments(path) {
            secret |= cur.is_secret();
            let here = cur.reveal();
            if matches!(here, Value::Unknown) {
                return (Lookup::Unknown, secret);
            }
            let next = match (here, seg.parse::<usize>()) {
                (Value::Array(items), Ok(i)) => items.get(i),
                _ => here.get_traced(seg, &mut secret),
            };
            match next {
                Some(v) => cur = v,
                None => return (self.lookup(path), secret),
            }
        }
        secret |= cur.is_secret();
        let found = if cur.is_unknown() {
            Lookup::Unknown
        } else {
            Lookup::Found(cur.reveal())
        };
        (found, secret)
    }

    /// [`Value::get`], noting in `secret` a secret passed on the way (a single-item list that
    /// is looked through may hold its item as a secret).
    fn get_traced(&self, key: &str, secret: &mut bool) -> Option<&Value> {
        match self.reveal() {
            Value::Array(items) if items.len() == 1 => items.first().and_then(|item| {
                *secret |= item.is_secret();
                item.get_traced(key, secret)
            }),
            other => other.get(key),
        }
    }

    /// The value for a message: [`crate::redact::MASK`] for a secret, a string as it is, other
    /// values as JSON (with secrets inside masked). Text taken from a tainted value this way
    /// cannot print its plaintext.
    pub fn shown(&self) -> Shown<'_> {
        Shown(self)
    }

    /// Whether any secret is inside.
    pub fn contains_secret(&self) -> bool {
        match self {
            Value::Secret(_) => true,
            Value::Array(items) => items.iter().any(Value::contains_secret),
            Value::Object(map) => map.values().any(Value::contains_secret),
            _ => false,
        }
    }

    /// Converts to plain JSON for output: secrets become the string `"[secret]"`, unknowns the
    /// string `"[unknown]"`. Never use this to hand plaintext to anyone.
    pub fn to_json_redacted(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_json_redacted).collect())
            }
            Value::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| (k.to_string(), v.to_json_redacted()))
                    .collect(),
            ),
            Value::Unknown => serde_json::Value::String("[unknown]".into()),
            Value::Secret(_) => serde_json::Value::String("[secret]".into()),
        }
    }

    /// Converts plain JSON into a value without markers.
    pub fn from_json(json: serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n),
            serde_json::Value::String(s) => Value::String(s),
            serde_json::Value::Array(items) => {
                Value::Array(items.into_iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => {
                // serde_json's keys are unique already
                let mut out = Map::with_capacity(map.len());
                for (k, v) in map {
                    out.push_unique(k.into(), Value::from_json(v));
                }
                Value::Object(out)
            }
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n.into())
    }
}

impl From<serde_json::Value> for Value {
    fn from(json: serde_json::Value) -> Self {
        Value::from_json(json)
    }
}

/// Serializes with secrets and unknowns redacted, as [`Value::to_json_redacted`].
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => n.serialize(serializer),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut m = serializer.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            Value::Unknown => serializer.serialize_str("[unknown]"),
            Value::Secret(_) => serializer.serialize_str("[secret]"),
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Deserialize::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = scratch::take_items();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        // exactly as long as the list: growing by doubling would leave a quarter unused
        let mut exact: Vec<Value> = Vec::with_capacity(items.len());
        exact.append(&mut items);
        scratch::give_items(items);
        Ok(Value::Array(exact))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        // Small objects (nearly all) dedupe by scanning; past a few dozen keys a hash index keeps
        // a hostile object with hundreds of thousands of keys linear instead of quadratic.
        const SCAN_LIMIT: usize = 32;
        let mut map = Map::from_entries(scratch::take_entries());
        let mut index: Option<std::collections::HashMap<Key, usize>> = None;
        while let Some((k, v)) = access.next_entry::<Key, Value>()? {
            if let Some(index) = index.as_mut() {
                match index.get(&k) {
                    Some(&i) => {
                        if let Some((_, slot)) = map.get_index_mut(i) {
                            *slot = v;
                        }
                    }
                    None => {
                        index.insert(k.clone(), map.len());
                        map.push_unique(k, v);
                    }
                }
                continue;
            }
            map.insert(k, v);
            if map.len() > SCAN_LIMIT {
                index = Some(
                    map.keys()
                        .enumerate()
                        .map(|(i, k)| (k.clone(), i))
                        .collect(),
                );
            }
        }
        // exactly as large as the object: growing by doubling would leave a quarter unused
        let mut entries = map.into_entries();
        let mut exact = Vec::with_capacity(entries.len());
        exact.append(&mut entries);
        let exact = Map::from_entries(exact);
        scratch::give_entries(entries);
        Ok(Value::Object(exact))
    }
}

/// Buffers the parser fills before it knows how long a list or object is, kept per thread and
/// reused, so that each value is allocated once at its final size.
mod scratch {
    use std::cell::RefCell;

    use super::{Key, Value};

    /// How many buffers of each kind a thread keeps (one per level of nesting in use).
    const KEEP: usize = 64;
    /// Buffers that grew past this many elements (a huge list) are freed, not kept.
    const LARGEST: usize = 4096;

    thread_local! {
        static ITEMS: RefCell<Vec<Vec<Value>>> = const { RefCell::new(Vec::new()) };
        static ENTRIES: RefCell<Vec<Vec<(Key, Value)>>> = const { RefCell::new(Vec::new()) };
    }

    pub(super) fn take_items() -> Vec<Value> {
        ITEMS
            .with(|pool| pool.borrow_mut().pop())
            .unwrap_or_default()
    }

    pub(super) fn give_items(buffer: Vec<Value>) {
        ITEMS.with(|pool| {
            let mut pool = pool.borrow_mut();
            if pool.len() < KEEP && buffer.is_empty() && buffer.capacity() <= LARGEST {
                pool.push(buffer);
            }
        });
    }

    pub(super) fn take_entries() -> Vec<(Key, Value)> {
        ENTRIES
            .with(|pool| pool.borrow_mut().pop())
            .unwrap_or_default()
    }

    pub(super) fn give_entries(buffer: Vec<(Key, Value)>) {
        ENTRIES.with(|pool| {
            let mut pool = pool.borrow_mut();
            if pool.len() < KEEP && buffer.is_empty() && buffer.capacity() <= LARGEST {
                pool.push(buffer);
            }
        });
    }
}

/// Deserializes plain JSON (no markers are recognised here; adapters add them).
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(j: serde_json::Value) -> Value {
        Value::from_json(j)
    }

    /// Every list and object of a value, with the capacity of its storage.
    fn capacities(value: &Value, out: &mut Vec<(usize, usize)>) {
        match value {
            Value::Array(items) => {
                out.push((items.len(), items.capacity()));
                items.iter().for_each(|i| capacities(i, out));
            }
            Value::Object(map) => {
                let entries = map.clone().into_entries();
                out.push((entries.len(), entries.capacity()));
                map.values().for_each(|v| capacities(v, out));
            }
            Value::Secret(inner) => capacities(inner, out),
            _ => {}
        }
    }

    #[test]
    fn parsed_values_are_exact_size_and_equal_to_the_json() {
        let text = r#"{"g": 1, "a": [1, 2, 3, {"b": [[], [true], {"c": {"d": null}}]}], "e": {},
            "long key of more than twenty four bytes": "x", "f": [[[[[1]]]]], "g": "dup"}"#;
        let parsed: Value = serde_json::from_str(text).unwrap();
        let reference: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(parsed, Value::from_json(reference));
        assert_eq!(
            parsed.get("g"),
            Some(&Value::string("dup")),
            "last duplicate wins"
        );
        let mut caps = Vec::new();
        capacities(&parsed, &mut caps);
        assert!(caps.len() >= 9, "{caps:?}");
        for (len, cap) in caps {
            assert_eq!(len, cap, "storage sized exactly");
        }
        // a large object (hash-indexed dedupe) and a large list come out whole and exact
        let big: String = format!(
            "{{{}}}",
            (0..5000)
                .map(|i| format!("\"k{}\": [{i}]", i % 4000))
                .collect::<Vec<_>>()
                .join(",")
        );
        let parsed: Value = serde_json::from_str(&big).unwrap();
        let Value::Object(map) = &parsed else {
            panic!("object")
        };
        assert_eq!(map.len(), 4000);
        assert_eq!(map.get("k1"), Some(&v(json!([4001]))));
        let list: Value =
            serde_json::from_str(&format!("[{}]", vec!["1"; 10_000].join(","))).unwrap();
        let Value::Array(items) = &list else {
            panic!("list")
        };
        assert_eq!((items.len(), items.capacity()), (10_000, 10_000));
    }

    #[test]
    fn keys_read_and_compare_as_strings() {
        let short = Key::from("tags");
        let long = Key::from("a key that is much longer than twenty-four bytes".to_string());
        assert_eq!(short, "tags");
        assert_eq!("tags", short);
        assert_eq!(short, "tags".to_string());
        assert_eq!(long.len(), 48);
        assert!(long.starts_with("a key"));
        assert_eq!(
            format!("{short}/{long:?}"),
            "tags/\"a key that is much longer than twenty-four bytes\""
        );
        assert_eq!(String::from(long.clone()), long.as_str());
        let (a, b) = (Key::from("a"), Key::from("b"));
        assert!(a < b);
        assert_eq!(serde_json::to_string(&short).unwrap(), "\"tags\"");
        let back: Key = serde_json::from_str("\"t\\u00e4gs\"").unwrap();
        assert_eq!(back, "tägs");
        let mut set = std::collections::HashSet::new();
        set.insert(short.clone());
        assert!(set.contains("tags"));
    }

    #[test]
    fn folds_camel_and_snake_case() {
        let pulumi =
            v(json!({"serverSideEncryptionConfiguration": {"rule": {"bucketKeyEnabled": true}}}));
        let terraform = v(
            json!({"server_side_encryption_configuration": [{"rule": [{"bucket_key_enabled": true}]}]}),
        );
        for value in [&pulumi, &terraform] {
            assert_eq!(
                value.lookup("serverSideEncryptionConfiguration.rule.bucketKeyEnabled"),
                Lookup::Found(&Value::Bool(true))
            );
            assert_eq!(
                value.lookup("server_side_encryption_configuration.rule.bucket_key_enabled"),
                Lookup::Found(&Value::Bool(true))
            );
        }
    }

    #[test]
    fn multi_item_lists_are_not_looked_through_but_index() {
        let value = v(json!({"ingress": [{"fromPort": 22}, {"fromPort": 80}]}));
        assert_eq!(value.lookup("ingress.fromPort"), Lookup::Missing);
        assert_eq!(
            value.lookup("ingress[1].fromPort"),
            Lookup::Found(&v(json!(80)))
        );
        assert_eq!(
            value.lookup("ingress.1.from_port"),
            Lookup::Found(&v(json!(80)))
        );
        assert_eq!(value.get("ingress").map(|i| i.items().count()), Some(2));
    }

    #[test]
    fn unknown_on_the_path_is_reported_not_missing() {
        let mut value = v(json!({"a": {}}));
        value.set("a", Value::Unknown);
        assert_eq!(value.lookup("a.b.c"), Lookup::Unknown);
        assert!(matches!(value.field("a.b"), Err(Halt::Unknown { .. })));
        assert_eq!(value.field("zzz"), Ok(None));
    }

    #[test]
    fn secrets_are_readable_but_serialize_redacted() {
        let mut value = v(json!({"password": "x"}));
        value.set(
            "password",
            Value::Secret(Box::new(Value::string("hunter22"))),
        );
        assert_eq!(
            value.lookup("password"),
            Lookup::Found(&Value::string("hunter22"))
        );
        let printed = serde_json::to_string(&value).unwrap_or_default();
        assert!(!printed.contains("hunter22"), "{printed}");
        assert!(printed.contains("[secret]"));
        let mut leaves = Vec::new();
        value.for_each_secret_leaf(&mut |s| leaves.push(s));
        assert_eq!(leaves, vec!["hunter22".to_string()]);
    }

    #[test]
    fn tainted_values_show_masked_and_secret_paths_are_found() {
        let doc = v(json!({"Statement": [{"Sid": "AllowAll", "Action": ["s3:Get", "x:Mine"]}]}));
        let tainted = doc.clone().into_tainted();
        let sid = match tainted.lookup("Statement[0]") {
            Lookup::Found(stmt) => stmt.get("Sid"),
            _ => None,
        };
        assert_eq!(
            sid.map(|s| s.shown().to_string()).as_deref(),
            Some("[secret]")
        );
        let shown = format!("{}", tainted.shown());
        assert!(
            !shown.contains("AllowAll") && !shown.contains("x:Mine"),
            "{shown}"
        );
        let plain = doc.get("Statement").map(|s| s.shown().to_string());
        assert!(plain.is_some_and(|p| p.contains("AllowAll")));
        let mut props = v(json!({"a": {"b": "x"}, "c": "y"}));
        props.set("a", Value::Secret(Box::new(v(json!({"b": "x"})))));
        assert!(props.secret_at("a.b"));
        assert!(props.secret_at("a"));
        assert!(!props.secret_at("c"));
        assert_eq!(Value::string("p").tainted_if(false), Value::string("p"));
    }

    #[test]
    fn values_under_a_secret_block_are_secret() {
        // a whole sensitive `ingress`: its ports are plain numbers inside one secret list
        let mut props = v(json!({"name": "sg", "egress": [{"to_port": 80}]}));
        let ingress = v(json!([{"from_port": 22, "to_port": 22}]));
        props.set("ingress", Value::Secret(Box::new(ingress)));
        let (found, secret) = props.lookup_traced("ingress[0].to_port");
        assert_eq!(found, Lookup::Found(&Value::from(22)));
        assert!(secret);
        assert!(props.secret_at("ingress[0].from_port"));
        assert!(
            props.secret_at("ingress.to_port"),
            "single-item list looked through"
        );
        assert!(props.secret_at("ingress[0].absent"));
        assert!(!props.lookup_traced("egress[0].to_port").1);
        assert!(!props.secret_at("name"));
        // the block a lookup returns has lost its marker: ask from the props
        let block = props.lookup("ingress[0]");
        assert!(matches!(block, Lookup::Found(b) if !b.secret_at("to_port")));
        // a secret item of a single-item list that `get` looks through
        let mut wrapped = v(json!({"block": []}));
        wrapped.set(
            "block",
            Value::Array(vec![Value::Secret(Box::new(v(json!({"k": "x"}))))]),
        );
        assert!(wrapped.secret_at("block.k"));
    }

    #[test]
    fn set_keeps_existing_spelling() {
        let mut value = v(json!({"Tags": {"a": "1"}}));
        assert!(value.set("tags", v(json!({"b": "2"}))));
        assert_eq!(value, v(json!({"Tags": {"b": "2"}})));
        let mut null = Value::Null;
        assert!(null.set("k", Value::Bool(true)));
        assert_eq!(null, v(json!({"k": true})));
        assert!(!Value::Bool(true).set("k", Value::Null));
    }

    #[test]
    fn quoted_path_segments_keep_dots() {
        assert_eq!(
            split_path(r#"tags["kubernetes.io/name"].x"#),
            vec!["tags", "kubernetes.io/name", "x"]
        );
    }

    /// The character-by-character splitter the slicing iterator replaced, kept as the reference.
    fn split_path_reference(path: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut cur = String::new();
        let mut chars = path.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '.' => {
                    if !cur.is_empty() {
                        out.push(std::mem::take(&mut cur));
                    }
                }
                '[' => {
                    if !cur.is_empty() {
                        out.push(std::mem::take(&mut cur));
                    }
                    let quoted = matches!(chars.peek(), Some('"'));
                    if quoted {
                        chars.next();
                    }
                    for d in chars.by_ref() {
                        if (quoted && d == '"') || (!quoted && d == ']') {
                            break;
                        }
                        cur.push(d);
                    }
                    if quoted && matches!(chars.peek(), Some(']')) {
                        chars.next();
                    }
                    out.push(std::mem::take(&mut cur));
                }
                _ => cur.push(c),
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }

    #[test]
    fn path_segments_match_the_reference_splitter() {
        let paths = [
            "",
            ".",
            "a",
            "a.b.c",
            "a..b",
            ".a.",
            "a[0]",
            "a[0][1].b",
            "a[]",
            "[0]",
            "[]",
            "a[1",
            "a[\"x",
            "a[\"x\"",
            "a[\"k.io/n\"].x",
            "a[\"x\"]y",
            "a[\"x\"z].b",
            "a[0]b",
            "a\"b.c",
            "tags[\"a]b\"]",
            "ünï.cödé[2].ß",
            "a.[0]",
            "a[.]",
            "x]y.z",
        ];
        for p in paths {
            assert_eq!(split_path(p), split_path_reference(p), "{p:?}");
        }
    }

    #[test]
    fn large_objects_parse_linearly_and_keep_the_last_duplicate() {
        let n = 200_000;
        let mut text = String::from("{");
        for i in 0..n {
            text.push_str(&format!("\"k{i}\":{i},"));
        }
        text.push_str("\"k7\":\"last\"}");
        let parsed: Value = serde_json::from_str(&text).unwrap_or_default();
        let map = parsed.as_object().map(|m| m.len());
        assert_eq!(map, Some(n));
        assert_eq!(parsed.get("k7"), Some(&Value::string("last")));
        assert_eq!(parsed.get("k199999").and_then(Value::as_i64), Some(199_999));
        let small: Value = serde_json::from_str(r#"{"a":1,"b":2,"a":3}"#).unwrap_or_default();
        assert_eq!(small.as_object().map(|m| m.len()), Some(2));
        assert_eq!(small.get("a").and_then(Value::as_i64), Some(3));
    }

    #[test]
    fn deserializes_directly() {
        let parsed: Value =
            serde_json::from_str(r#"{"a":[1,2.5,"s",null,true]}"#).unwrap_or_default();
        assert_eq!(parsed, v(json!({"a": [1, 2.5, "s", null, true]})));
    }
}
