//! Fixture loading shared by the fixture test and the catalog lint.
//!
//! A fixture file sits beside its rule as `<rule>.fixtures.json`:
//!
//! ```json
//! {
//!   "rule": "AWS-ELB-001",
//!   "cases": [{
//!     "name": "ssh target group",
//!     "config": {"ports": [22]},
//!     "expect": "violation",
//!     "message": "port 22 (ssh)",
//!     "count": 1,
//!     "pulumi": {"type": "aws:lb/targetGroup:TargetGroup", "name": "web", "props": {"port": 22}},
//!     "terraform": {"type": "aws_lb_target_group", "name": "web", "props": {"port": 22}},
//!     "fixed": {"pulumi": {...}, "terraform": {...}}
//!   }]
//! }
//! ```
//!
//! `expect` is `pass`, `violation`, `indeterminate`, `not_applicable` or `error`. A spelling is a
//! resource, or for stack rules `{"resources": [...]}`; it may override `config` (merged over the
//! case's), `expect`, `message`, `path` (a property path one violation names), `count` and `at`. Resources take `type`, `name`, `props`, and
//! optionally `mode` (`managed`, `component`, `data`, `provider`), `operation`, `dependencies`
//! (names of other resources of the case) and `propertyDependencies` (`{"bucket": ["name"]}`).
//! In props, the string `"<unknown>"` is a value known only after apply and `{"<secret>": v}` is
//! a secret. `at` lists the names of the resources a stack rule's findings are attributed to.
//! `fixed` gives, per spelling, the props the rule's fix must produce; a spelling without one
//! must not be changed by the fix.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use guardrail_catalog::RuleSpec;
use guardrail_core::engine::PolicyOverride;
use guardrail_core::{
    evaluate, Enforcement, Evaluation, EvaluationOptions, Map, Mode, Operation, OutcomeKind, Pack,
    PolicySettings, Resource, Spelling, Stack, Value,
};
use serde_json::Value as Json;

/// The crate's `src/rules` directory.
pub fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join("rules")
}

/// Every file under `dir` whose name ends with `suffix`, sorted.
pub fn walk(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The path of a rule's source file, from its `file!()`.
pub fn source_path(spec: &RuleSpec) -> PathBuf {
    let source = spec.source.replace('\\', "/");
    let relative = source
        .split_once("src/rules/")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("{}: source `{}` is not under src/rules", spec.id, source));
    rules_dir().join(relative)
}

/// Where a rule's fixtures live.
pub fn fixtures_path(spec: &RuleSpec) -> PathBuf {
    source_path(spec).with_extension("fixtures.json")
}

/// One spelling of one case, ready to run.
pub struct Run {
    /// `pulumi` or `terraform`.
    pub spelling: &'static str,
    /// The case's name.
    pub case: String,
    /// The stack to evaluate.
    pub stack: Stack,
    /// Config over the schema defaults.
    pub config: serde_json::Map<String, Json>,
    /// Expected outcome kind.
    pub expect: String,
    /// A substring one violation (or error) message must contain.
    pub message: Option<String>,
    /// The number of violations expected.
    pub count: Option<usize>,
    /// Names of resources stack findings are attributed to.
    pub at: Option<Vec<String>>,
    /// A property path one violation must name.
    pub path: Option<String>,
    /// Props the fix must produce for the first resource.
    pub fixed: Option<Value>,
}

impl Run {
    /// `file: case (spelling)`, for failure messages.
    pub fn label(&self, spec: &RuleSpec) -> String {
        format!("{} case `{}` ({})", spec.id, self.case, self.spelling)
    }
}

/// Loads a rule's fixture runs.
pub fn load(spec: &RuleSpec) -> Vec<Run> {
    let path = fixtures_path(spec);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot read {}: {e}", spec.id, path.display()));
    load_text(spec, &path, &text)
}

/// Parses fixture text.
pub fn load_text(spec: &RuleSpec, path: &Path, text: &str) -> Vec<Run> {
    let file: Json = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{}: {} is not JSON: {e}", spec.id, path.display()));
    assert_eq!(
        file.get("rule").and_then(Json::as_str),
        Some(spec.id),
        "{}: `rule` must name the rule",
        path.display()
    );
    let cases = file
        .get("cases")
        .and_then(Json::as_array)
        .unwrap_or_else(|| panic!("{}: no `cases` list", path.display()));
    let mut runs = Vec::new();
    for case in cases {
        let name = case
            .get("name")
            .and_then(Json::as_str)
            .unwrap_or_else(|| panic!("{}: a case has no name", path.display()))
            .to_string();
        for (key, spelling) in [
            ("pulumi", Spelling::Pulumi),
            ("terraform", Spelling::Terraform),
        ] {
            let Some(section) = case.get(key) else {
                continue;
            };
            let pick = |field: &str| section.get(field).or_else(|| case.get(field));
            let mut config = case
                .get("config")
                .and_then(Json::as_object)
                .cloned()
                .unwrap_or_default();
            if let Some(over) = section.get("config").and_then(Json::as_object) {
                config.extend(over.clone());
            }
            let expect = pick("expect")
                .and_then(Json::as_str)
                .unwrap_or_else(|| panic!("{}: case `{name}` has no `expect`", path.display()))
                .to_string();
            runs.push(Run {
                spelling: key,
                case: name.clone(),
                stack: stack(section, spelling),
                config,
                expect,
                message: pick("message").and_then(Json::as_str).map(str::to_string),
                path: pick("path").and_then(Json::as_str).map(str::to_string),
                count: pick("count").and_then(Json::as_u64).map(|n| n as usize),
                at: pick("at").and_then(Json::as_array).map(|list| {
                    list.iter()
                        .map(|n| n.as_str().unwrap().to_string())
                        .collect()
                }),
                fixed: case
                    .get("fixed")
                    .and_then(|f| f.get(key))
                    .cloned()
                    .map(value),
            });
        }
    }
    runs
}

/// Converts fixture JSON into a value, honouring the `<unknown>` and `<secret>` markers.
pub fn value(json: Json) -> Value {
    match json {
        Json::String(s) if s == "<unknown>" => Value::Unknown,
        Json::Array(items) => Value::Array(items.into_iter().map(value).collect()),
        Json::Object(map) if map.len() == 1 && map.contains_key("<secret>") => {
            let inner = map.into_iter().next().map(|(_, v)| v).unwrap_or(Json::Null);
            Value::Secret(Box::new(value(inner)))
        }
        Json::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, value(v))).collect()),
        other => Value::from_json(other),
    }
}

fn id_of(spelling: Spelling, type_: &str, name: &str) -> String {
    match spelling {
        Spelling::Pulumi => format!("urn:pulumi:test::fixtures::{type_}::{name}"),
        Spelling::Terraform => format!("{type_}.{name}"),
    }
}

fn stack(section: &Json, spelling: Spelling) -> Stack {
    let list: Vec<&Json> = match section.get("resources").and_then(Json::as_array) {
        Some(list) => list.iter().collect(),
        None => vec![section],
    };
    // A dependency names a resource by `name`, or by `type.name` when names repeat.
    let mut ids: HashMap<String, Option<String>> = HashMap::new();
    for r in &list {
        let type_ = r.get("type").and_then(Json::as_str).unwrap();
        let name = r.get("name").and_then(Json::as_str).unwrap();
        let id = id_of(spelling, type_, name);
        ids.insert(format!("{type_}.{name}"), Some(id.clone()));
        ids.entry(name.to_string())
            .and_modify(|seen| *seen = None)
            .or_insert(Some(id));
    }
    let resolve = |name: &Json| -> String {
        let name = name.as_str().unwrap();
        match ids.get(name) {
            Some(Some(id)) => id.clone(),
            Some(None) => panic!("dependency `{name}` is ambiguous: write `type.name`"),
            None => panic!("dependency on unknown resource `{name}`"),
        }
    };
    let resources = list
        .iter()
        .map(|r| {
            let type_ = r
                .get("type")
                .and_then(Json::as_str)
                .expect("a resource needs `type`");
            let name = r
                .get("name")
                .and_then(Json::as_str)
                .expect("a resource needs `name`");
            let props = value(
                r.get("props")
                    .cloned()
                    .unwrap_or(Json::Object(Default::default())),
            );
            let mut res = Resource::new(id_of(spelling, type_, name), type_, spelling, props);
            res.name = name.to_string();
            res.mode = match r.get("mode").and_then(Json::as_str).unwrap_or("managed") {
                "managed" => Mode::Managed,
                "component" => Mode::Component,
                "data" => Mode::Data,
                "provider" => Mode::Provider,
                other => panic!("unknown mode `{other}`"),
            };
            res.operation = match r
                .get("operation")
                .and_then(Json::as_str)
                .unwrap_or("create")
            {
                "create" => Operation::Create,
                "update" => Operation::Update,
                "replace" => Operation::Replace,
                "delete" => Operation::Delete,
                "read" => Operation::Read,
                "same" => Operation::Same,
                other => panic!("unknown operation `{other}`"),
            };
            if let Some(deps) = r.get("dependencies").and_then(Json::as_array) {
                res.dependencies = deps.iter().map(&resolve).collect();
            }
            if let Some(deps) = r.get("propertyDependencies").and_then(Json::as_object) {
                let mut map = Map::new();
                for (key, names) in deps {
                    let list = names.as_array().unwrap().iter().map(&resolve);
                    map.insert(key.clone(), Value::Array(list.map(Value::String).collect()));
                }
                res.property_dependencies = map;
            }
            res
        })
        .collect();
    Stack {
        source: "fixture".into(),
        format: format!("fixture-{spelling:?}").to_lowercase(),
        resources,
        ..Stack::default()
    }
}

/// Evaluates a stack with one rule at a forced level and the run's config.
pub fn run_at(
    spec: &'static RuleSpec,
    stack: &Stack,
    config: &serde_json::Map<String, Json>,
    level: Enforcement,
) -> Evaluation {
    let pack = Pack {
        name: "fixtures".into(),
        version: None,
        enforcement: None,
        policies: vec![std::sync::Arc::new(spec.policy())],
    };
    let mut settings = PolicySettings {
        all: Some(level),
        ..PolicySettings::default()
    };
    settings.policies.insert(
        spec.id.to_string(),
        PolicyOverride {
            enforcement: None,
            config: config.clone(),
        },
    );
    let options = EvaluationOptions {
        settings,
        ..EvaluationOptions::default()
    };
    evaluate(&[pack], stack, &options)
}

/// The outcome kind a run produced: `violation` when any violation, otherwise the kind of the
/// subject's outcome (the first resource for resource rules, the stack for stack rules).
pub fn observed(spec: &RuleSpec, eval: &Evaluation) -> String {
    let relevant: Vec<_> = eval
        .outcomes
        .iter()
        .filter(|o| match spec.kind() {
            guardrail_core::PolicyKind::Resource => o.resource == Some(0),
            guardrail_core::PolicyKind::Stack => true,
        })
        .collect();
    if relevant.iter().any(|o| o.kind == OutcomeKind::Violation) {
        return "violation".into();
    }
    match relevant.as_slice() {
        [one] => one.kind.as_str().into(),
        [] => "none".into(),
        many => format!(
            "several: {}",
            many.iter()
                .map(|o| o.kind.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
