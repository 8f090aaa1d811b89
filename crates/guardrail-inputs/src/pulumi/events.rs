//! Pulumi engine event logs (`pulumi up --event-log`, `pulumi preview --event-log`): JSON lines,
//! each `{"sequence":…,"timestamp":…,"<kind>Event":{…}}`. Resources come from
//! `resourcePreEvent.metadata` (one per URN, first-seen order; a replacement's steps merge into
//! one replace), and `resOutputsEvent` refines their outputs. Other events are ignored.

use std::borrow::Cow;
use std::collections::HashMap;

use guardrail_core::Stack;
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{stack_of, Merger, State};
use crate::detect::Top;
use crate::error::InputError;
use crate::text::{LineCounter, Source};
use crate::InputFormat;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    #[serde(default)]
    resource_pre_event: Option<StepEvent>,
    #[serde(default)]
    res_outputs_event: Option<StepEvent>,
}

#[derive(Deserialize)]
struct StepEvent {
    metadata: Metadata,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    op: String,
    #[serde(default)]
    urn: String,
    #[serde(rename = "type", default)]
    type_: Option<String>,
    #[serde(default)]
    old: Option<State>,
    #[serde(default)]
    new: Option<State>,
}

/// Whether JSON lines look like an event log: the first is an object with a `sequence` or an
/// `…Event` key.
pub(crate) fn looks_like(lines: &[&RawValue]) -> bool {
    lines.first().is_some_and(|first| {
        serde_json::from_str::<HashMap<Cow<'_, str>, IgnoredAny>>(first.get())
            .is_ok_and(|keys| keys.keys().any(|k| k == "sequence" || k.ends_with("Event")))
    })
}

/// Loads an event log of a single line.
pub(crate) fn load_object(src: &Source<'_>, _top: &Top<'_>) -> Result<Stack, InputError> {
    let mut lines = Vec::new();
    for item in serde_json::Deserializer::from_str(src.text).into_iter::<&RawValue>() {
        lines.push(item.map_err(|e| src.json_error(&e, None, "value"))?);
    }
    load(src, &lines)
}

/// Loads an event log.
pub(crate) fn load(src: &Source<'_>, events: &[&RawValue]) -> Result<Stack, InputError> {
    let help = InputFormat::PulumiEvents.help();
    let mut merger = Merger::default();
    let mut lines = LineCounter::new(src.text);
    for raw in events {
        let event: Event = src
            .parse(raw, "event", String::new)
            .map_err(|e| e.help(help))?;
        if let Some(pre) = event.resource_pre_event {
            let m = pre.metadata;
            if m.urn.is_empty() {
                return Err(src
                    .error_at(raw, "has a resource event without a `urn`")
                    .help(help));
            }
            let line = lines.line_at(src.offset(raw));
            merger.add(m.urn, m.type_, &m.op, m.new, m.old, line);
        }
        if let Some(out) = event.res_outputs_event {
            let m = out.metadata;
            if let Some(outputs) = m.new.and_then(|n| n.outputs) {
                merger.set_outputs(&m.urn, outputs);
            }
        }
    }
    Ok(stack_of(merger.finish()))
}
