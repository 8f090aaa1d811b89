//! `terraform show -json plan.out` (and `tofu show -json`), format 0.1 to 1.2.
//!
//! One resource per `resource_changes` entry; data sources read during planning come from
//! `prior_state`. `planned_values` is skipped unparsed, except for hand-written plans that have
//! no `resource_changes` at all: their `planned_values` resources are loaded as creations, so a
//! policy does not pass a plan it never saw.

use std::collections::HashSet;

use std::sync::atomic::{AtomicBool, Ordering};

use guardrail_core::{Mode, Operation, Resource, Spelling, Stack, Value};
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::markers::{apply_sensitive, apply_unknown};
use super::refs::{config_of, ConfigDeps, Configuration, Linker};
use super::{module_of, resource, state_resource, walk_state, StateResource, StateValues};
use crate::detect::Top;
use crate::error::InputError;
use crate::text::{LineCounter, RawList, Source};
use crate::InputFormat;

#[derive(Deserialize)]
struct ResourceChange {
    address: String,
    #[serde(default)]
    module_address: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    #[serde(rename = "type")]
    type_: String,
    name: String,
    #[serde(default)]
    provider_name: Option<String>,
    #[serde(default)]
    deposed: Option<String>,
    change: Change,
}

#[derive(Deserialize)]
struct Change {
    #[serde(default)]
    actions: Vec<String>,
    #[serde(default)]
    before: Option<Value>,
    #[serde(default)]
    after: Option<Value>,
    #[serde(default)]
    after_unknown: Option<Value>,
    #[serde(default)]
    before_sensitive: Option<Value>,
    #[serde(default)]
    after_sensitive: Option<Value>,
}

#[derive(Deserialize)]
struct PriorState<'a> {
    #[serde(borrow, default)]
    values: Option<StateValues<'a>>,
}

/// Maps `change.actions` to an operation.
pub(crate) fn operation(actions: &[String]) -> Option<Operation> {
    let a: Vec<&str> = actions.iter().map(String::as_str).collect();
    Some(match a.as_slice() {
        [] | ["no-op"] => Operation::Same,
        ["create"] => Operation::Create,
        ["update"] => Operation::Update,
        ["delete", "create"] | ["create", "delete"] => Operation::Replace,
        ["delete"] | ["forget"] => Operation::Delete,
        ["read"] => Operation::Read,
        _ => return None,
    })
}

/// Loads a plan.
pub(crate) fn load(src: &Source<'_>, top: &Top<'_>) -> Result<Stack, InputError> {
    let mut lines = LineCounter::new(src.text);
    let mut resources = Vec::new();
    // The configuration (for dependencies) is read on one core while the resource changes are
    // parsed on all of them; a configuration of an unexpected shape costs dependencies, not the
    // plan.
    let (changes, config) = rayon::join(
        || -> Result<Option<Vec<Resource>>, InputError> {
            match &top.resource_changes {
                Some(RawList::List(items)) => {
                    let one = |i: usize, raw: &&RawValue| {
                        let rc: ResourceChange = src
                            .parse(raw, "resource change", || format!("resource_changes[{i}]"))
                            .map_err(|e| e.help(InputFormat::TerraformPlan.help()))?;
                        change_resource(src, raw, rc)
                    };
                    // Collected straight into a list of the final length (a parallel
                    // collect of results would build and copy the list twice).
                    let failed = AtomicBool::new(false);
                    let mut parsed: Vec<Resource> = Vec::new();
                    items
                        .par_iter()
                        .enumerate()
                        .with_min_len(64)
                        .map(|(i, raw)| {
                            one(i, raw).unwrap_or_else(|_| {
                                failed.store(true, Ordering::Relaxed);
                                Resource::new("", "", Spelling::Terraform, Value::Null)
                            })
                        })
                        .collect_into_vec(&mut parsed);
                    if failed.load(Ordering::Relaxed) {
                        // which error a parallel run meets first varies: report the first in
                        // the file, always
                        return Err(items
                            .iter()
                            .enumerate()
                            .find_map(|(i, raw)| one(i, raw).err())
                            .unwrap_or_else(|| {
                                src.error("has a resource change that cannot be read")
                            }));
                    }
                    Ok(Some(parsed))
                }
                Some(RawList::Other | RawList::Null) => Err(src
                    .error("has a `resource_changes` that is not a list")
                    .help(InputFormat::TerraformPlan.help())),
                None => Ok(None),
            }
        },
        || {
            top.configuration
                .and_then(|raw| serde_json::from_str::<Configuration>(raw.get()).ok())
        },
    );
    match (changes?, &top.resource_changes) {
        (Some(parsed), Some(RawList::List(items))) => {
            resources = parsed;
            for (r, raw) in resources.iter_mut().zip(items) {
                r.line = Some(lines.line_at(src.offset(raw)));
            }
        }
        _ => {
            if let Some(raw) = top.planned_values {
                let planned: StateValues =
                    src.parse(raw, "`planned_values`", || "planned_values".into())?;
                if let Some(root) = &planned.root_module {
                    let path = "planned_values.root_module";
                    walk_state(src, root, path, &mut |raw, module, place| {
                        let mut entry: StateResource<Value> =
                            src.parse(raw, "planned resource", place)?;
                        entry.normalise(module);
                        let (r, _) = state_resource(src, &mut lines, raw, entry, Operation::Create);
                        resources.push(r);
                        Ok(())
                    })?;
                }
            }
        }
    }
    // data sources read while planning are only in the prior state
    if let Some(raw) = top.prior_state {
        let mut seen: HashSet<String> = resources.iter().map(|r| r.id.clone()).collect();
        let prior: PriorState = src.parse(raw, "`prior_state`", || "prior_state".into())?;
        if let Some(root) = prior.values.as_ref().and_then(|v| v.root_module.as_ref()) {
            let path = "prior_state.values.root_module";
            walk_state(src, root, path, &mut |raw, module, place| {
                let mut entry: StateResource<&RawValue> =
                    src.parse(raw, "prior state resource", place)?;
                entry.normalise(module);
                if entry.mode.as_deref() != Some("data") || seen.contains(&entry.address) {
                    return Ok(());
                }
                let values = match entry.values {
                    Some(v) => {
                        Some(src.parse(v, "data source values", || format!("{}.values", place()))?)
                    }
                    None => None,
                };
                let sensitive_values = match entry.sensitive_values {
                    Some(v) => Some(src.parse(v, "data source sensitive values", || {
                        format!("{}.sensitive_values", place())
                    })?),
                    None => None,
                };
                let full = StateResource {
                    address: entry.address,
                    mode: entry.mode,
                    type_: entry.type_,
                    name: entry.name,
                    provider_name: entry.provider_name,
                    index: entry.index,
                    values,
                    sensitive_values,
                    depends_on: None,
                };
                let (r, _) = state_resource(src, &mut lines, raw, full, Operation::Read);
                seen.insert(r.id.clone());
                resources.push(r);
                Ok(())
            })?;
        }
    }
    if let Some(config) = config {
        let deps = ConfigDeps::new(&config);
        let linker = Linker::new(&resources);
        linker.link(&mut resources, true, |_, config_addr| {
            deps.targets(config_addr).to_vec()
        });
        linker.link_arguments(&mut resources, &deps);
        settle_unset(&mut resources, &config, &deps);
    }
    Ok(Stack {
        resources,
        ..Stack::default()
    })
}

/// Unset is not unknown: a planned value known only after apply under an argument the
/// configuration never sets is the provider's default, so it becomes null (and is recorded in
/// [`Resource::defaulted`]); values under arguments the configuration sets stay unknown.
/// Identities the provider assigns (`id`, `arn`) are not defaults and stay unknown, and so does
/// `tags_all` when a provider sets `default_tags` (it then holds more than `tags`). Deletions
/// keep their prior values; data sources are not evaluated.
fn settle_unset(resources: &mut [Resource], config: &Configuration, deps: &ConfigDeps<'_>) {
    let keep: &[&str] = if config.has_default_tags() {
        &["id", "arn", "tags_all"]
    } else {
        &["id", "arn"]
    };
    for r in resources {
        if r.mode != Mode::Managed || r.operation == Operation::Delete {
            continue;
        }
        if let Some(args) = deps.args(&config_of(&r.id)) {
            let mut unset = Vec::new();
            args.settle(&mut r.props, "", keep, &mut unset);
            unset.shrink_to_fit();
            r.defaulted = unset;
        }
    }
}

fn change_resource(
    src: &Source<'_>,
    raw: &RawValue,
    rc: ResourceChange,
) -> Result<Resource, InputError> {
    let Some(op) = operation(&rc.change.actions) else {
        let actions: Vec<String> = rc.change.actions.iter().map(|a| format!("`{a}`")).collect();
        return Err(src
            .error_at(
                raw,
                format!(
                    "resource change `{}` has unknown actions [{}]",
                    rc.address,
                    actions.join(", ")
                ),
            )
            .help("guardrail knows the actions create, update, delete, read, no-op and forget"));
    };
    let change = rc.change;
    let mut before = change.before;
    if let (Some(b), Some(tree)) = (&mut before, &change.before_sensitive) {
        apply_sensitive(b, tree);
    }
    let (props, old_props) = if op == Operation::Delete {
        let props = before.clone().unwrap_or_default();
        (props, before)
    } else {
        let mut after = change.after.unwrap_or_default();
        if let Some(tree) = &change.after_unknown {
            apply_unknown(&mut after, tree);
        }
        if let Some(tree) = &change.after_sensitive {
            apply_sensitive(&mut after, tree);
        }
        (after, before)
    };
    let id = match &rc.deposed {
        Some(key) => format!("{} (deposed object {key})", rc.address),
        None => rc.address,
    };
    let parent = rc
        .module_address
        .filter(|m| !m.is_empty())
        .or_else(|| module_of(&id));
    let mut r = resource(
        id,
        rc.type_,
        rc.name,
        rc.provider_name,
        rc.mode.as_deref(),
        op,
        props,
    );
    r.old_props = old_props;
    r.parent = parent;
    Ok(r)
}
