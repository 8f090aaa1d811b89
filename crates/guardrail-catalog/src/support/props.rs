//! Reading and writing a resource's properties: camelCase paths read and reported in the
//! resource's own spelling (Terraform snake_case, Pulumi camelCase), fixes written in that
//! spelling, and the usual boolean-setting check and fix.

use std::borrow::Cow;

use guardrail_core::{
    canonical_type, Halt, Map, ResourceView, Spelling, Value, Verdict, Violation,
};

use super::spelled;

/// The resource's canonical (Terraform) type.
pub(crate) fn canonical<'a>(view: &ResourceView<'a>) -> Cow<'a, str> {
    canonical_type(&view.resource.type_)
}

/// The path of a camelCase property in the resource's spelling.
pub(crate) fn at(view: ResourceView<'_>, camel: &str) -> String {
    spelled(view.resource.spelling, camel)
}

/// `base.key` (or `key` when `base` is empty), the key spelled as the resource spells keys.
pub(crate) fn join(spelling: Spelling, base: &str, camel: &str) -> String {
    let key = spelled(spelling, camel);
    if base.is_empty() {
        key
    } else {
        format!("{base}.{key}")
    }
}

/// Reads a camelCase property path; an unknown value halts with the path in the resource's
/// spelling.
pub(crate) fn read<'a>(view: ResourceView<'a>, camel: &str) -> Result<Option<&'a Value>, Halt> {
    view.field(camel)
        .map_err(|_| Halt::unknown(at(view, camel)))
}

/// Reads a property of a nested value (a block or list item found at `base`).
pub(crate) fn read_in<'a>(
    item: &'a Value,
    spelling: Spelling,
    base: &str,
    camel: &str,
) -> Result<Option<&'a Value>, Halt> {
    item.field(camel)
        .map_err(|_| Halt::unknown(join(spelling, base, camel)))
}

/// The first of several spellings of a property that is present (Pulumi pluralises some list
/// blocks: `loggings` for Terraform's `logging`), with the camelCase name it was found under.
pub(crate) fn read_first<'a>(
    view: ResourceView<'a>,
    camels: &[&'static str],
) -> Result<Option<(&'a Value, &'static str)>, Halt> {
    first_present(view, camels, read)
}

/// [`read_first`] with the path the property was found at, in the resource's spelling.
pub(crate) fn read_first_at<'a>(
    view: ResourceView<'a>,
    camels: &[&'static str],
) -> Result<Option<(&'a Value, String)>, Halt> {
    Ok(read_first(view, camels)?.map(|(found, camel)| (found, at(view, camel))))
}

/// The first of `camels` that `reader` finds present, with the name it was found under.
fn first_present<'a>(
    view: ResourceView<'a>,
    camels: &[&'static str],
    reader: fn(ResourceView<'a>, &str) -> Result<Option<&'a Value>, Halt>,
) -> Result<Option<(&'a Value, &'static str)>, Halt> {
    for camel in camels {
        if let Some(found) = reader(view, camel)? {
            return Ok(Some((found, camel)));
        }
    }
    Ok(None)
}

/// A boolean property; `None` when absent or null.
pub(crate) fn flag(view: ResourceView<'_>, camel: &str) -> Result<Option<bool>, Halt> {
    Ok(read(view, camel)?.and_then(Value::as_bool))
}

/// An integer property; absent, null or not a number reads as `None`.
pub(crate) fn number(view: ResourceView<'_>, camel: &str) -> Result<Option<i64>, Halt> {
    Ok(read(view, camel)?.and_then(Value::as_i64))
}

/// A non-empty string property; `None` when absent, null or blank.
pub(crate) fn text<'a>(view: ResourceView<'a>, camel: &str) -> Result<Option<&'a str>, Halt> {
    Ok(read(view, camel)?
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty()))
}

/// A non-blank string inside a nested value.
pub(crate) fn text_in<'a>(
    item: &'a Value,
    spelling: Spelling,
    base: &str,
    camel: &str,
) -> Result<Option<&'a str>, Halt> {
    Ok(read_in(item, spelling, base, camel)?
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty()))
}

/// The strings of a list property (an absent property is an empty list); an unknown item halts.
pub(crate) fn string_list<'a>(view: ResourceView<'a>, camel: &str) -> Result<Vec<&'a str>, Halt> {
    let Some(list) = read(view, camel)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, item) in list.items().enumerate() {
        if item.is_unknown() {
            return Err(Halt::unknown(format!("{}[{i}]", at(view, camel))));
        }
        if let Some(s) = item.as_str() {
            out.push(s);
        }
    }
    Ok(out)
}

/// The items of a list property with their paths (`origin[0]`, or the bare key for a single
/// object); the key is the first of `camels` present. Unknown lists and items halt.
pub(crate) fn items_of<'a>(
    view: ResourceView<'a>,
    camels: &[&'static str],
) -> Result<Vec<(String, &'a Value)>, Halt> {
    let Some((list, camel)) = read_first(view, camels)? else {
        return Ok(Vec::new());
    };
    items_at(list, &at(view, camel))
}

/// The items of a list value found at `base`, with their paths; unknown items halt.
pub(crate) fn items_at<'a>(list: &'a Value, base: &str) -> Result<Vec<(String, &'a Value)>, Halt> {
    let mut out = Vec::new();
    match list.reveal() {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let path = format!("{base}[{i}]");
                if item.is_unknown() {
                    return Err(Halt::unknown(path));
                }
                out.push((path, item.reveal()));
            }
        }
        Value::Null => {}
        Value::Unknown => return Err(Halt::unknown(base)),
        other => out.push((base.to_string(), other)),
    }
    Ok(out)
}

/// The resource's props with a camelCase path set to `value`, creating the blocks on the way in
/// the resource's spelling (Terraform: a list of one object; Pulumi: an object). Existing keys
/// keep their spelling.
/// A block on the way that is known only after apply is replaced (Terraform computes some blocks
/// when unset; the fix writes them).
pub(crate) fn with(view: ResourceView<'_>, camel: &str, value: Value) -> Value {
    let mut props = view.props.clone();
    set_path(
        &mut props,
        view.resource.spelling,
        camel,
        value,
        UnknownBlocks::Replace,
    );
    props
}

/// [`with`], except that a block on the way known only after apply is left alone (and so is the
/// value under it: nothing is written there).
pub(crate) fn with_unknown_kept(view: ResourceView<'_>, camel: &str, value: Value) -> Value {
    let mut props = view.props.clone();
    set_path(
        &mut props,
        view.resource.spelling,
        camel,
        value,
        UnknownBlocks::Keep,
    );
    props
}

/// What [`set_path`] does with a block on the way that is known only after apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnknownBlocks {
    /// Replace it with a new, empty block.
    Replace,
    /// Leave it (nothing below it can be set).
    Keep,
}

/// Sets a dotted camelCase path (no indexes) on `target`, creating the blocks on the way in the
/// spelling's shape; see [`with`].
pub(crate) fn set_path(
    target: &mut Value,
    spelling: Spelling,
    camel: &str,
    value: Value,
    unknown: UnknownBlocks,
) {
    let mut segments: Vec<&str> = camel.split('.').collect();
    let Some(last) = segments.pop() else {
        return;
    };
    let mut cur = target;
    for segment in segments {
        if matches!(cur, Value::Null) {
            *cur = Value::Object(Map::new());
        }
        let missing = cur
            .get(segment)
            .is_none_or(|v| v.is_null() || (unknown == UnknownBlocks::Replace && v.is_unknown()));
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

/// Reads an inline setting of a resource that may also have a separate resource for it (an S3
/// bucket's `versioning`, `logging`, `policy`...; an instance's `root_block_device`). Terraform
/// plans mark such optional and computed arguments "known after apply" when the configuration
/// leaves them out; the plan loader already turns those into null (unset, see
/// `Resource::defaulted`), so what is still unknown here depends on something not yet created
/// and stays unknown, in both spellings, like any other [`read`].
pub(crate) fn read_inline<'a>(
    view: ResourceView<'a>,
    camel: &str,
) -> Result<Option<&'a Value>, Halt> {
    read(view, camel)
}

/// [`read_inline`] for the first of several spellings that is present, with the camelCase name
/// it was found under.
pub(crate) fn read_inline_first<'a>(
    view: ResourceView<'a>,
    camels: &[&'static str],
) -> Result<Option<(&'a Value, &'static str)>, Halt> {
    first_present(view, camels, read_inline)
}

/// The props with top-level keys set (camelCase keys, written in the resource's spelling; an
/// existing key that folds to the same name keeps its spelling). `None` when nothing changes.
pub(crate) fn with_keys(view: ResourceView<'_>, keys: &[(&str, Value)]) -> Option<Value> {
    let mut props = view.props.clone();
    for (camel, value) in keys {
        if !props.set(&at(view, camel), value.clone()) {
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
    let block_key = at(view, block);
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

/// The lower-cased `engine` of a database resource, if set.
pub(crate) fn engine(view: ResourceView<'_>) -> Result<Option<String>, Halt> {
    Ok(text(view, "engine")?.map(|e| e.trim().to_ascii_lowercase()))
}

/// `name (type)` for messages: the resource's name in backticks.
pub(crate) fn who(view: ResourceView<'_>, noun: &str) -> String {
    format!("{noun} `{}`", view.resource.name)
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
    let at = at(view, camel);
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

/// The verdict of a rule that a boolean setting is on, where it is `default` when unset: a
/// violation `{noun} \`name\` {problem}` at the setting when it is off.
pub(crate) fn flag_on_verdict(
    view: ResourceView<'_>,
    camel: &str,
    default: bool,
    noun: &str,
    problem: &str,
) -> Result<Verdict, Halt> {
    if flag(view, camel)?.unwrap_or(default) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!("{noun} `{}` {problem}", view.resource.name)).at(at(view, camel)),
    ))
}

/// The fix for [`flag_on_verdict`]: the setting set to `true` by [`with_unknown_kept`] when it
/// is off; `None` when it is on.
pub(crate) fn flag_on_fix(
    view: ResourceView<'_>,
    camel: &str,
    default: bool,
) -> Result<Option<Value>, Halt> {
    if flag(view, camel)?.unwrap_or(default) {
        return Ok(None);
    }
    Ok(Some(with_unknown_kept(view, camel, Value::Bool(true))))
}

/// The verdict of a rule that the boolean setting `camel` is `true`, where unset counts as off: a
/// violation `{noun} \`name\` {problem} ({note})` at the setting, the note saying that it is
/// `false` or that `unset` (the setting itself, or the block it sits in) is not set.
pub(crate) fn required_flag_verdict(
    view: ResourceView<'_>,
    camel: &str,
    unset: &str,
    noun: &str,
    problem: &str,
) -> Result<Verdict, Halt> {
    let setting = at(view, camel);
    let note = match flag(view, camel)? {
        Some(true) => return Ok(Verdict::Pass),
        Some(false) => format!("`{setting}` is `false`"),
        None => format!("`{}` is not set", at(view, unset)),
    };
    Ok(Verdict::violation(
        Violation::new(format!("{} {problem} ({note})", who(view, noun))).at(setting),
    ))
}

/// The fix for [`required_flag_verdict`] of a setting `key` in the nested block `block`: it set
/// to `true` by [`with_block_key`]; `None` when it already is.
pub(crate) fn required_block_flag_fix(
    view: ResourceView<'_>,
    block: &str,
    key: &str,
) -> Result<Option<Value>, Halt> {
    if flag(view, &format!("{block}.{key}"))? == Some(true) {
        return Ok(None);
    }
    Ok(with_block_key(view, block, key, Value::Bool(true)))
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
            UnknownBlocks::Keep,
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
            UnknownBlocks::Keep,
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
            UnknownBlocks::Keep,
        );
        assert_eq!(
            empty,
            Value::from_json(json!({"tracing_config": [{"mode": "Active"}]}))
        );
    }
}
