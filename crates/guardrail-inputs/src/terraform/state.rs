//! `terraform show -json` of a state (no plan file given): every resource of the root module
//! and its child modules, unchanged.

use guardrail_core::{Operation, Stack, Value};

use super::refs::{Linker, Target};
use super::{state_resource, walk_state, StateResource, StateValues};
use crate::detect::Top;
use crate::error::InputError;
use crate::text::{LineCounter, Source};
use crate::InputFormat;

/// Loads a state. `{"format_version":"1.0"}` alone is the state of an empty workspace.
pub(crate) fn load(src: &Source<'_>, top: &Top<'_>) -> Result<Stack, InputError> {
    let mut lines = LineCounter::new(src.text);
    let mut resources = Vec::new();
    let mut depends = Vec::new();
    if let Some(raw) = top.values {
        let values: StateValues = src
            .parse(raw, "`values`", || "values".into())
            .map_err(|e| e.help(InputFormat::TerraformState.help()))?;
        if let Some(root) = &values.root_module {
            walk_state(
                src,
                root,
                "values.root_module",
                &mut |raw, module, place| {
                    let mut entry: StateResource<Value> = src.parse(raw, "resource", place)?;
                    entry.normalise(module);
                    let (r, deps) = state_resource(src, &mut lines, raw, entry, Operation::Same);
                    resources.push(r);
                    depends.push(deps.unwrap_or_default());
                    Ok(())
                },
            )?;
        }
    }
    Linker::new(&resources).link(&mut resources, false, |i, _| {
        depends
            .get(i)
            .map(|d| d.iter().map(|a| Target::absolute(a)).collect())
            .unwrap_or_default()
    });
    Ok(Stack {
        resources,
        ..Stack::default()
    })
}
