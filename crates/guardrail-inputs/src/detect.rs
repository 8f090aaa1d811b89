//! Format detection: one pass over the document keeps its top-level keys as raw slices, and the
//! keys present decide the format.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::InputError;
use crate::text::{RawList, Source};
use crate::InputFormat;

/// The top-level keys of a JSON object that matter to some format, as raw slices.
#[derive(Default)]
pub(crate) struct Top<'a> {
    pub format_version: Option<&'a RawValue>,
    pub terraform_version: Option<&'a RawValue>,
    pub resource_changes: Option<RawList<'a>>,
    pub planned_values: Option<&'a RawValue>,
    pub prior_state: Option<&'a RawValue>,
    pub configuration: Option<&'a RawValue>,
    pub values: Option<&'a RawValue>,
    pub version: Option<&'a RawValue>,
    pub resources: Option<RawList<'a>>,
    pub lineage: Option<&'a RawValue>,
    pub modules: Option<&'a RawValue>,
    pub deployment: Option<&'a RawValue>,
    pub checkpoint: Option<&'a RawValue>,
    pub latest: Option<&'a RawValue>,
    pub steps: Option<RawList<'a>>,
    pub change_summary: Option<&'a RawValue>,
    /// `sequence` or a `…Event` key: one line of an engine event log.
    pub event: bool,
    /// `apiVersion` and `kind` (strings): a Kubernetes object.
    pub api_version: bool,
    /// `kind`, a string.
    pub kind: bool,
    /// Whether a plan-only key (`resource_drift`, `output_changes`, …) is present.
    pub plan_extra: bool,
    /// The first few keys, for error messages.
    pub keys: Vec<String>,
    /// How many keys there are.
    pub key_count: usize,
    /// How many keys no format uses.
    pub other_count: usize,
}

/// What the file's text is at the top level.
pub(crate) enum Document<'a> {
    /// A single JSON object.
    Object(Box<Top<'a>>),
    /// A single JSON value that is not an object (its kind, e.g. `an array`).
    NotObject(&'static str),
    /// Several JSON values one after another (JSON lines).
    Lines(Vec<&'a RawValue>),
}

impl<'de> Deserialize<'de> for Document<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Document<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON document")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document<'de>, A::Error> {
                let mut top = Top::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    top.key_count += 1;
                    if top.keys.len() < 4 {
                        top.keys.push(key.to_string());
                    }
                    match key.as_ref() {
                        "format_version" => top.format_version = map.next_value()?,
                        "terraform_version" => top.terraform_version = map.next_value()?,
                        "resource_changes" => top.resource_changes = map.next_value()?,
                        "planned_values" => top.planned_values = map.next_value()?,
                        "prior_state" => top.prior_state = map.next_value()?,
                        "configuration" => top.configuration = map.next_value()?,
                        "values" => top.values = map.next_value()?,
                        "version" => top.version = map.next_value()?,
                        "resources" => top.resources = map.next_value()?,
                        "lineage" => top.lineage = map.next_value()?,
                        "modules" => top.modules = map.next_value()?,
                        "deployment" => top.deployment = map.next_value()?,
                        "checkpoint" => top.checkpoint = map.next_value()?,
                        "latest" => top.latest = map.next_value()?,
                        "steps" => top.steps = map.next_value()?,
                        "changeSummary" => top.change_summary = map.next_value()?,
                        "resource_drift"
                        | "output_changes"
                        | "relevant_attributes"
                        | "applyable"
                        | "complete"
                        | "errored" => {
                            top.plan_extra = true;
                            map.next_value::<IgnoredAny>()?;
                        }
                        // harmless companions of the formats above
                        "variables" | "timestamp" | "serial" | "outputs" | "check_results"
                        | "features" | "target" | "checks" | "diagnostics" | "duration"
                        | "permalink" => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        "apiVersion" | "kind" => {
                            let value: &'de RawValue = map.next_value()?;
                            let is_string = value.get().starts_with('"');
                            if key.as_ref() == "kind" {
                                top.kind = is_string;
                            } else {
                                top.api_version = is_string;
                            }
                        }
                        other => {
                            if other == "sequence" || other.ends_with("Event") {
                                top.event = true;
                            } else {
                                top.other_count += 1;
                            }
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(Document::Object(Box::new(top)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document<'de>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Document::NotObject("a JSON array"))
            }
            fn visit_str<E>(self, _: &str) -> Result<Document<'de>, E> {
                Ok(Document::NotObject("a JSON string"))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Document<'de>, E> {
                Ok(Document::NotObject("a JSON boolean"))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Document<'de>, E> {
                Ok(Document::NotObject("a JSON number"))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Document<'de>, E> {
                Ok(Document::NotObject("a JSON number"))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Document<'de>, E> {
                Ok(Document::NotObject("a JSON number"))
            }
            fn visit_unit<E>(self) -> Result<Document<'de>, E> {
                Ok(Document::NotObject("JSON `null`"))
            }
        }
        d.deserialize_any(V)
    }
}

/// The formats, as listed in errors.
pub(crate) fn formats_tried() -> String {
    let names: Vec<&str> = InputFormat::ALL.iter().map(|f| f.name()).collect();
    format!("tried {}", names.join(", "))
}

/// What to do when a file is of no known shape.
pub(crate) const HELP_FORMATS: &str = "guardrail reads `terraform show -json plan.out > plan.json` (also `tofu`), `terraform show -json > state.json`, `.tfstate` files, `pulumi stack export`, `pulumi preview --json`, `pulumi up --event-log events.json` and Kubernetes manifests (YAML or JSON)";

/// Reads the document once, keeping the top-level keys as raw slices.
pub(crate) fn read<'a>(src: &Source<'a>) -> Result<Document<'a>, InputError> {
    if src.text.trim().is_empty() {
        return Err(src
            .error(if src.text.is_empty() {
                "is empty"
            } else {
                "has only white space"
            })
            .help(HELP_FORMATS));
    }
    match serde_json::from_str::<Document<'a>>(src.text) {
        Ok(doc) => Ok(doc),
        Err(e) if e.to_string().starts_with("trailing characters") => {
            // maybe JSON lines: several documents one after another
            let mut lines = Vec::new();
            for item in serde_json::Deserializer::from_str(src.text).into_iter::<&'a RawValue>() {
                match item {
                    Ok(raw) => lines.push(raw),
                    Err(_) if lines.len() == 1 => {
                        return Err(with_help(src.json_error(&e, None, "value")))
                    }
                    Err(e2) => return Err(with_help(src.json_error(&e2, None, "value"))),
                }
            }
            Ok(Document::Lines(lines))
        }
        Err(e) => {
            let head = src.text.trim_start();
            let after_bracket = head
                .strip_prefix('[')
                .map(|rest| rest.trim_start().chars().next());
            let json_start = match after_bracket {
                Some(Some(c)) => !c.is_ascii_alphabetic() || matches!(c, 't' | 'f' | 'n'),
                Some(None) => true,
                None => head.starts_with(['{', '"']),
            };
            if e.classify() == serde_json::error::Category::Syntax && !json_start {
                // log lines or another format: show how the file starts
                let first: String = head
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .chars()
                    .take(40)
                    .collect();
                let (line, column) = crate::text::line_col(src.text, src.text.len() - head.len());
                return Err(with_help(
                    src.error(format!("is not JSON: it starts with `{first}`"))
                        .at(line, column),
                ));
            }
            Err(with_help(src.json_error(&e, None, "value")))
        }
    }
}

/// Adds the help line that fits a file that is not JSON.
fn with_help(err: InputError) -> InputError {
    err.help("make sure the file holds only the JSON output, with no log lines around it: `terraform show -json plan.out > plan.json`, `pulumi preview --json > preview.json`")
}

/// Which format a top-level object is, if any.
pub(crate) fn classify(top: &Top<'_>) -> Option<InputFormat> {
    if top.resource_changes.is_some()
        || top.planned_values.is_some()
        || top.prior_state.is_some()
        || (top.format_version.is_some() && (top.plan_extra || top.configuration.is_some()))
    {
        return Some(InputFormat::TerraformPlan);
    }
    if top.format_version.is_some() && top.values.is_some() {
        return Some(InputFormat::TerraformState);
    }
    if let Some(fv) = top.format_version {
        // `{"format_version":"1.0"}`: the state of a workspace with no resources
        let is_version = serde_json::from_str::<&str>(fv.get()).is_ok_and(|s| {
            let mut parts = s.split('.');
            parts.next().is_some_and(|p| p.parse::<u32>().is_ok())
                && parts.all(|p| p.parse::<u32>().is_ok())
        });
        if is_version && top.other_count == 0 && top.resources.is_none() {
            return Some(InputFormat::TerraformState);
        }
    }
    if top.version.is_some()
        && (top.lineage.is_some() || top.terraform_version.is_some() || top.modules.is_some())
        && (top.resources.as_ref().is_some_and(RawList::is_list) || top.modules.is_some())
    {
        return Some(InputFormat::TerraformStateFile);
    }
    if top.deployment.is_some() || top.checkpoint.is_some() || top.latest.is_some() {
        return Some(InputFormat::PulumiStackExport);
    }
    if top.steps.as_ref().is_some_and(RawList::is_list) || top.change_summary.is_some() {
        return Some(InputFormat::PulumiPreview);
    }
    if top.event {
        return Some(InputFormat::PulumiEvents);
    }
    if top.api_version && top.kind {
        return Some(InputFormat::KubernetesManifests);
    }
    None
}
