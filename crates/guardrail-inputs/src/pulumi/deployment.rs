//! `pulumi stack export` (`{"version":3,"deployment":{…}}`) and checkpoints: versions 1 to 4
//! (`{"version":N,"checkpoint":{"stack":…,"latest":{…}}}`) and version 0
//! (`{"target":…,"latest":{…}}`). Every resource is unchanged ([`Operation::Same`]), except those
//! the state marks for deletion. A `features` list is not checked: a feature guardrail does not
//! know does not change how resources are recorded.

use guardrail_core::{Operation, Stack};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{resource, stack_of, State};
use crate::detect::Top;
use crate::error::InputError;
use crate::text::{LineCounter, RawList, Source};
use crate::InputFormat;

#[derive(Deserialize)]
struct Deployment<'a> {
    #[serde(borrow, default)]
    resources: Option<RawList<'a>>,
}

#[derive(Deserialize)]
struct Checkpoint<'a> {
    #[serde(default)]
    stack: Option<String>,
    #[serde(borrow, default)]
    latest: Option<&'a RawValue>,
}

/// Loads a stack export or a checkpoint.
pub(crate) fn load(src: &Source<'_>, top: &Top<'_>) -> Result<Stack, InputError> {
    let help = InputFormat::PulumiStackExport.help();
    let mut qualified_stack = None;
    let deployment_place = if top.deployment.is_some() {
        "deployment"
    } else if top.checkpoint.is_some() {
        "checkpoint.latest"
    } else {
        "latest"
    };
    let deployment_raw = if let Some(raw) = top.deployment {
        Some(raw)
    } else if let Some(raw) = top.checkpoint {
        let checkpoint: Checkpoint = src
            .parse(raw, "`checkpoint`", || "checkpoint".into())
            .map_err(|e| e.help(help))?;
        qualified_stack = checkpoint.stack;
        checkpoint.latest
    } else {
        top.latest
    };
    let mut resources = Vec::new();
    if let Some(raw) = deployment_raw.filter(|r| r.get() != "null") {
        let deployment: Deployment = src
            .parse(raw, "deployment", || deployment_place.into())
            .map_err(|e| e.help(help))?;
        let mut lines = LineCounter::new(src.text);
        let items = RawList::required(deployment.resources.as_ref(), src, "resources")
            .map_err(|e| e.help(help))?;
        for (i, item) in items.iter().enumerate() {
            let state: State = src
                .parse(item, "resource", || {
                    format!("{deployment_place}.resources[{i}]")
                })
                .map_err(|e| e.help(help))?;
            if state.urn.is_empty() {
                return Err(src
                    .error_at(item, "has a resource without a `urn`")
                    .help(help));
            }
            let urn = state.urn.clone();
            let mut r = resource(&urn, None, Operation::Same, Some(state), None);
            r.line = Some(lines.line_at(src.offset(item)));
            resources.push(r);
        }
    }
    let mut stack = stack_of(resources);
    // a fully qualified stack name: `organization/project/stack`
    if let Some(name) = qualified_stack {
        let parts: Vec<&str> = name.split('/').collect();
        if let [org, project, stack_name] = parts.as_slice() {
            stack.organization = Some(org.to_string());
            stack.project = Some(project.to_string());
            stack.stack = Some(stack_name.to_string());
        }
    }
    Ok(stack)
}
