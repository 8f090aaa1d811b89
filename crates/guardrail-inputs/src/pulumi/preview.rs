//! `pulumi preview --json`: one resource per URN of `steps`. A replacement shows as several
//! steps (`create-replacement`, `replace`, `delete-replaced`); they merge into one resource whose
//! operation is [`Operation::Replace`](guardrail_core::Operation::Replace).

use guardrail_core::Stack;
use serde::Deserialize;

use super::{stack_of, Merger, State};
use crate::detect::Top;
use crate::error::InputError;
use crate::text::{LineCounter, RawList, Source};
use crate::InputFormat;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Step {
    #[serde(default)]
    op: String,
    #[serde(default)]
    urn: String,
    #[serde(default)]
    old_state: Option<State>,
    #[serde(default)]
    new_state: Option<State>,
}

/// Loads a preview.
pub(crate) fn load(src: &Source<'_>, top: &Top<'_>) -> Result<Stack, InputError> {
    let help = InputFormat::PulumiPreview.help();
    let mut merger = Merger::default();
    let mut lines = LineCounter::new(src.text);
    if let Some(RawList::Other) = &top.steps {
        return Err(src.error("has `steps` that are not a list").help(help));
    }
    for (i, raw) in top
        .steps
        .as_ref()
        .map_or(&[][..], RawList::items)
        .iter()
        .enumerate()
    {
        let step: Step = src
            .parse(raw, "step", || format!("steps[{i}]"))
            .map_err(|e| e.help(help))?;
        let urn = if step.urn.is_empty() {
            step.new_state
                .as_ref()
                .or(step.old_state.as_ref())
                .map(|s| s.urn.clone())
                .unwrap_or_default()
        } else {
            step.urn
        };
        if urn.is_empty() {
            return Err(src.error_at(raw, "has a step without a `urn`").help(help));
        }
        let line = lines.line_at(src.offset(raw));
        merger.add(urn, None, &step.op, step.new_state, step.old_state, line);
    }
    Ok(stack_of(merger.finish()))
}
