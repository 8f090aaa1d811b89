//! Terraform and OpenTofu: `show -json` of plans and states, and raw `.tfstate` files.

pub(crate) mod hcl;
pub(crate) mod markers;
pub(crate) mod plan;
pub(crate) mod refs;
pub(crate) mod state;
pub(crate) mod tfstate;

use guardrail_core::{Mode, Operation, Resource, Spelling, Value};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::InputError;
use crate::text::{LineCounter, RawList, Source};

/// A module of a `show -json` state (`values`, `prior_state.values`, `planned_values`).
#[derive(Deserialize, Default)]
pub(crate) struct StateModule<'a> {
    #[serde(default)]
    address: Option<String>,
    #[serde(borrow, default)]
    resources: Option<RawList<'a>>,
    #[serde(borrow, default)]
    child_modules: Option<Vec<StateModule<'a>>>,
}

/// The `values` of a `show -json` state.
#[derive(Deserialize, Default)]
pub(crate) struct StateValues<'a> {
    #[serde(borrow, default)]
    root_module: Option<StateModule<'a>>,
}

/// A resource of a `show -json` state; `V` is [`Value`] or a raw slice parsed only when needed.
#[derive(Deserialize)]
pub(crate) struct StateResource<V> {
    address: String,
    #[serde(default)]
    mode: Option<String>,
    #[serde(rename = "type")]
    type_: String,
    name: String,
    #[serde(default)]
    provider_name: Option<String>,
    #[serde(default)]
    index: Option<Value>,
    values: Option<V>,
    sensitive_values: Option<V>,
    #[serde(default)]
    depends_on: Option<Vec<String>>,
}

/// A visitor of state resource entries: the raw entry, the address of its module and where the
/// entry is in the document (`values.root_module.resources[3]`, built only when asked).
pub(crate) type EntryVisitor<'f, 'a> =
    dyn FnMut(&'a RawValue, Option<&str>, &dyn Fn() -> String) -> Result<(), InputError> + 'f;

/// Visits every resource entry of a state module tree, with the raw entry, the address of its
/// module and its place in the document; `path` is where `module` is (`values.root_module`).
pub(crate) fn walk_state<'a>(
    src: &Source<'_>,
    module: &StateModule<'a>,
    path: &str,
    f: &mut EntryVisitor<'_, 'a>,
) -> Result<(), InputError> {
    for (i, raw) in RawList::required(module.resources.as_ref(), src, "resources")?
        .iter()
        .enumerate()
    {
        f(raw, module.address.as_deref(), &|| {
            format!("{path}.resources[{i}]")
        })?;
    }
    for (i, child) in module.child_modules.iter().flatten().enumerate() {
        walk_state(src, child, &format!("{path}.child_modules[{i}]"), f)?;
    }
    Ok(())
}

impl<V> StateResource<V> {
    /// Terraform 0.12 wrote the resources of child modules with their address inside the module
    /// and without their instance key (`data.x.y` with `"index": 3` in `module.m`); this builds
    /// the full address (`module.m.data.x.y[3]`).
    pub(crate) fn normalise(&mut self, module: Option<&str>) {
        if let Some(m) = module.filter(|m| !m.is_empty()) {
            if !self.address.starts_with(&format!("{m}.")) {
                self.address = format!("{m}.{}", self.address);
            }
        }
        if let Some(key) = &self.index {
            if !self.address.ends_with(']') {
                self.address.push_str(&tfstate::index_suffix(key));
            }
        }
    }
}

/// The module part of an address (`module.a["k"].aws_x.y[0]` → `module.a["k"]`).
pub(crate) fn module_of(address: &str) -> Option<String> {
    let (config, _) = refs::strip_keys(address);
    let segments: Vec<&str> = config.split('.').collect();
    let modules = segments
        .chunks(2)
        .take_while(|pair| pair.first() == Some(&"module") && pair.len() == 2)
        .count();
    if modules == 0 {
        return None;
    }
    // find where the n-th module segment ends in the real address (keys included)
    let mut seen = 0;
    let mut end = 0;
    let bytes = address.as_bytes();
    let mut i = 0;
    let mut in_quote = false;
    let mut depth = 0usize;
    let mut dots = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_quote => i += 1,
            b'"' if depth > 0 => in_quote = !in_quote,
            b'[' if !in_quote => depth += 1,
            b']' if !in_quote => depth = depth.saturating_sub(1),
            b'.' if depth == 0 && !in_quote => {
                dots += 1;
                if dots % 2 == 0 {
                    seen += 1;
                    if seen == modules {
                        end = i;
                        break;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    address
        .get(..end)
        .map(str::to_string)
        .filter(|s| !s.is_empty())
}

/// A Terraform resource with the common fields set.
pub(crate) fn resource(
    id: String,
    type_: String,
    name: String,
    provider: Option<String>,
    mode: Option<&str>,
    operation: Operation,
    props: Value,
) -> Resource {
    let mut r = Resource::new(id, type_, Spelling::Terraform, props);
    r.name = name;
    r.provider = provider;
    r.mode = if mode == Some("data") {
        Mode::Data
    } else {
        Mode::Managed
    };
    r.operation = operation;
    r
}

/// Converts a state resource with its values parsed.
pub(crate) fn state_resource(
    src: &Source<'_>,
    lines: &mut LineCounter<'_>,
    raw: &RawValue,
    entry: StateResource<Value>,
    operation: Operation,
) -> (Resource, Option<Vec<String>>) {
    let mut props = entry.values.unwrap_or_default();
    if let Some(tree) = &entry.sensitive_values {
        markers::apply_sensitive(&mut props, tree);
    }
    let parent = module_of(&entry.address);
    let mut r = resource(
        entry.address,
        entry.type_,
        entry.name,
        entry.provider_name,
        entry.mode.as_deref(),
        operation,
        props,
    );
    r.parent = parent;
    r.line = Some(lines.line_at(src.offset(raw)));
    (r, entry.depends_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_part_of_addresses() {
        assert_eq!(module_of("aws_s3_bucket.b"), None);
        assert_eq!(
            module_of(r#"module.a["k.x"].module.b[0].aws_s3_bucket.x["y"]"#).as_deref(),
            Some(r#"module.a["k.x"].module.b[0]"#)
        );
        assert_eq!(
            module_of("module.a.data.aws_iam_policy_document.d").as_deref(),
            Some("module.a")
        );
    }
}
