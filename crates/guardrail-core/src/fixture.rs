//! Policy fixtures: inputs with the outcome a policy must give, the one way every policy —
//! native or Rego — is tested (`guardrail test`, the catalog's own tests).
//!
//! A fixture file names its policy and lists cases:
//!
//! ```json
//! {
//!   "policy": "AWS-ELB-001",
//!   "cases": [{
//!     "name": "ssh target group",
//!     "config": {"ports": [22]},
//!     "expect": "violation",
//!     "message": "port 22 (ssh)",
//!     "pulumi": {"type": "aws:lb/targetGroup:TargetGroup", "name": "web", "props": {"port": 22}},
//!     "terraform": {"type": "aws_lb_target_group", "name": "web", "props": {"port": 22}},
//!     "fixed": {"pulumi": {"port": 443}, "terraform": {"port": 443}}
//!   }]
//! }
//! ```
//!
//! (`rule` is accepted for `policy`.) A case's input is one or more of the spellings in
//! [`SPELLING_KEYS`] (`pulumi`, `terraform`, and `pulumi_native` for a second Pulumi provider of
//! the same cloud, such as Azure Native beside the bridged `azure:`; one run each), `resource`
//! (spelling from its type), or `file` (a plan, state or export, read by the caller). A section is a resource or `{"resources": [...]}` and may override the case's
//! `config`, `expect`, `message`, `path`, `count`, `at`, `undecided` and `subject`. `expect` is `pass`,
//! `violation`, `indeterminate`, `not_applicable`, `error` or `none` (the policy did not run on
//! the input); `message` is a substring one violation (or error) message must contain; `path` a
//! property path one violation names; `count` the number of violations; `at` the names of the
//! resources stack findings are attributed to; `undecided` the names of the resources with an
//! indeterminate outcome (a stack policy that cannot decide for them); `subject` the name of the resource whose outcome
//! counts (default: the first; when named, `message`, `path` and `count` look at it alone).
//! `fixed` gives per input key the props the policy's fix must produce; without it the fix must
//! leave the resource alone. In props `"<unknown>"` is a value known only after apply and
//! `{"<secret>": v}` a secret.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value as Json;

use crate::engine::{evaluate, EvaluationOptions, Pack, PolicyOverride, PolicySettings};
use crate::policy::{Enforcement, Policy, PolicyKind};
use crate::resource::{Mode, Operation, Resource, Spelling, Stack};
use crate::value::{Map, Value};
use crate::{Evaluation, OutcomeKind};

/// Where a run's stack comes from.
#[derive(Clone, Debug)]
pub enum FixtureInput {
    /// Built from the fixture.
    Stack(Stack),
    /// A file, relative to the fixture file, for the caller to load.
    File(String),
}

/// One input of one case.
#[derive(Clone, Debug)]
pub struct FixtureRun {
    /// The case's name.
    pub case: String,
    /// The input key: one of [`SPELLING_KEYS`], `resource` or `file`.
    pub key: String,
    /// The input.
    pub input: FixtureInput,
    /// Config over the policy's schema defaults.
    pub config: serde_json::Map<String, Json>,
    /// The expected outcome kind.
    pub expect: String,
    /// A substring a violation (or error) message must contain.
    pub message: Option<String>,
    /// A property path a violation must name.
    pub path: Option<String>,
    /// The number of violations.
    pub count: Option<usize>,
    /// Resource names stack findings are attributed to.
    pub at: Option<Vec<String>>,
    /// Resource names that get an indeterminate outcome (a stack policy that cannot decide for
    /// them).
    pub undecided: Option<Vec<String>>,
    /// The resource whose outcome counts, by name.
    pub subject: Option<String>,
    /// The props the fix must produce.
    pub fixed: Option<Value>,
}

impl FixtureRun {
    /// `case (key)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.case, self.key)
    }
}

/// A parsed fixture file.
#[derive(Clone, Debug)]
pub struct FixtureFile {
    /// The policy's id or name.
    pub policy: String,
    /// Every run of every case.
    pub runs: Vec<FixtureRun>,
}

/// What one run gave.
#[derive(Clone, Debug, PartialEq)]
pub struct FixtureResult {
    /// The observed outcome kind.
    pub observed: String,
    /// Every message the run produced (redacted).
    pub messages: Vec<String>,
    /// What did not match; empty when the run passed.
    pub failures: Vec<String>,
}

/// The input keys of a case that name a spelling, and the spelling their resources take.
pub const SPELLING_KEYS: &[(&str, Spelling)] = &[
    ("pulumi", Spelling::Pulumi),
    ("terraform", Spelling::Terraform),
    ("pulumi_native", Spelling::Pulumi),
];

const KINDS: &[&str] = &[
    "pass",
    "violation",
    "indeterminate",
    "not_applicable",
    "error",
    "none",
];

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

fn text<'a>(obj: &'a Json, key: &str, what: &str) -> Result<&'a str, String> {
    obj.get(key)
        .and_then(Json::as_str)
        .ok_or_else(|| format!("{what} needs a string `{key}`"))
}

/// Builds a stack from a section: a resource, or `{"resources": [...]}`.
pub fn stack(section: &Json, spelling: Option<Spelling>) -> Result<Stack, String> {
    let list: Vec<&Json> = match section.get("resources") {
        Some(Json::Array(list)) => list.iter().collect(),
        Some(_) => return Err("`resources` must be a list".into()),
        None => vec![section],
    };
    let spell = |type_: &str| {
        spelling.unwrap_or(if type_.contains(':') {
            Spelling::Pulumi
        } else {
            Spelling::Terraform
        })
    };
    let mut ids: HashMap<String, Option<String>> = HashMap::new();
    for r in &list {
        let type_ = text(r, "type", "a resource")?;
        let name = text(r, "name", "a resource")?;
        let id = id_of(spell(type_), type_, name);
        ids.insert(format!("{type_}.{name}"), Some(id.clone()));
        ids.entry(name.to_string())
            .and_modify(|seen| *seen = None)
            .or_insert(Some(id));
    }
    let resolve = |name: &Json| -> Result<String, String> {
        let name = name
            .as_str()
            .ok_or("a dependency must be a resource name")?;
        match ids.get(name) {
            Some(Some(id)) => Ok(id.clone()),
            Some(None) => Err(format!(
                "dependency `{name}` is ambiguous: write `type.name`"
            )),
            None => Err(format!("dependency on unknown resource `{name}`")),
        }
    };
    let mut resources = Vec::new();
    for r in list {
        let type_ = text(r, "type", "a resource")?;
        let name = text(r, "name", "a resource")?;
        let props = value(
            r.get("props")
                .cloned()
                .unwrap_or(Json::Object(Default::default())),
        );
        let spelling = spell(type_);
        let mut res = Resource::new(id_of(spelling, type_, name), type_, spelling, props);
        res.name = name.to_string();
        res.mode = match r.get("mode").and_then(Json::as_str).unwrap_or("managed") {
            "managed" => Mode::Managed,
            "component" => Mode::Component,
            "data" => Mode::Data,
            "provider" => Mode::Provider,
            other => {
                return Err(format!(
                    "unknown mode `{other}` (managed, component, data, provider)"
                ))
            }
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
            other => {
                return Err(format!(
                    "unknown operation `{other}` (create, update, replace, delete, read, same)"
                ))
            }
        };
        if let Some(old) = r.get("old_props") {
            res.old_props = Some(value(old.clone()));
        }
        if let Some(deps) = r.get("dependencies").and_then(Json::as_array) {
            res.dependencies = deps.iter().map(&resolve).collect::<Result<_, _>>()?;
        }
        if let Some(deps) = r.get("propertyDependencies").and_then(Json::as_object) {
            let mut map = Map::new();
            for (key, names) in deps {
                let list = names
                    .as_array()
                    .ok_or("`propertyDependencies` maps properties to lists of names")?
                    .iter()
                    .map(&resolve)
                    .collect::<Result<Vec<_>, _>>()?;
                map.insert(
                    key.clone(),
                    Value::Array(list.into_iter().map(Value::String).collect()),
                );
            }
            res.property_dependencies = map;
        }
        resources.push(res);
    }
    Ok(Stack {
        source: "fixture".into(),
        format: "fixture".into(),
        resources,
        ..Stack::default()
    })
}

/// Parses a fixture file's JSON (YAML files are converted to JSON first).
pub fn parse(file: &Json) -> Result<FixtureFile, String> {
    let policy = file
        .get("policy")
        .or_else(|| file.get("rule"))
        .and_then(Json::as_str)
        .ok_or("a fixture file names its policy: `policy: ID`")?
        .to_string();
    let cases = file
        .get("cases")
        .and_then(Json::as_array)
        .ok_or("a fixture file has a `cases` list")?;
    let mut runs = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let name = case
            .get("name")
            .and_then(Json::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("case {} has no `name`", i + 1))?;
        let mut keys = 0;
        let keys_of_case = SPELLING_KEYS
            .iter()
            .map(|(key, _)| *key)
            .chain(["resource", "file"]);
        for key in keys_of_case {
            let Some(section) = case.get(key) else {
                continue;
            };
            keys += 1;
            let at_case = |field: &str| -> Option<&Json> {
                section
                    .as_object()
                    .and_then(|o| o.get(field))
                    .or_else(|| case.get(field))
            };
            let mut config = case
                .get("config")
                .and_then(Json::as_object)
                .cloned()
                .unwrap_or_default();
            if let Some(over) = section.get("config").and_then(Json::as_object) {
                config.extend(over.clone());
            }
            let expect = at_case("expect")
                .and_then(Json::as_str)
                .ok_or_else(|| format!("case `{name}` has no `expect`"))?
                .to_string();
            if !KINDS.contains(&expect.as_str()) {
                return Err(format!(
                    "case `{name}`: unknown `expect: {expect}` (expected one of {})",
                    KINDS.join(", ")
                ));
            }
            let input = match key {
                "file" => FixtureInput::File(
                    section
                        .as_str()
                        .ok_or_else(|| format!("case `{name}`: `file` is a path"))?
                        .to_string(),
                ),
                "resource" => FixtureInput::Stack(
                    stack(section, None).map_err(|e| format!("case `{name}`: {e}"))?,
                ),
                spelled => {
                    let spelling = SPELLING_KEYS
                        .iter()
                        .find(|(k, _)| *k == spelled)
                        .map(|(_, spelling)| *spelling);
                    FixtureInput::Stack(
                        stack(section, spelling).map_err(|e| format!("case `{name}`: {e}"))?,
                    )
                }
            };
            // `fixed` is per spelling (`{pulumi: ..., terraform: ...}`) or the props themselves.
            let fixed = case.get("fixed").and_then(|f| {
                let per_spelling = SPELLING_KEYS.iter().any(|(k, _)| f.get(k).is_some());
                if per_spelling {
                    f.get(key).cloned()
                } else {
                    Some(f.clone())
                }
            });
            runs.push(FixtureRun {
                case: name.clone(),
                key: key.to_string(),
                input,
                config,
                expect,
                message: at_case("message")
                    .and_then(Json::as_str)
                    .map(str::to_string),
                path: at_case("path").and_then(Json::as_str).map(str::to_string),
                count: at_case("count")
                    .and_then(Json::as_u64)
                    .and_then(|n| usize::try_from(n).ok()),
                at: at_case("at")
                    .and_then(Json::as_array)
                    .map(|list| names(list)),
                undecided: at_case("undecided")
                    .and_then(Json::as_array)
                    .map(|list| names(list)),
                subject: at_case("subject")
                    .and_then(Json::as_str)
                    .map(str::to_string),
                fixed: fixed.map(value),
            });
        }
        if keys == 0 {
            return Err(format!(
                "case `{name}` has no input: give `pulumi`, `terraform`, `pulumi_native`, \
                 `resource` or `file`"
            ));
        }
    }
    Ok(FixtureFile { policy, runs })
}

/// The strings of a list of names (other items are left out).
fn names(list: &[Json]) -> Vec<String> {
    list.iter()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect()
}

/// Evaluates a stack with one policy at a forced level and a config.
pub fn evaluate_at(
    policy: Arc<dyn Policy>,
    stack: &Stack,
    config: &serde_json::Map<String, Json>,
    level: Enforcement,
) -> Evaluation {
    let id = policy.meta().id.clone();
    let pack = Pack {
        central: false,
        name: "fixtures".into(),
        version: None,
        enforcement: None,
        policies: vec![policy],
    };
    let mut settings = PolicySettings {
        all: Some(level),
        ..PolicySettings::default()
    };
    settings.policies.insert(
        id,
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
/// subject's outcome (for resource policies the subject resource — the first, or the case's
/// `subject` — and for stack policies the stack).
pub fn observed(kind: PolicyKind, subject: Option<usize>, eval: &Evaluation) -> String {
    let relevant: Vec<_> = eval
        .outcomes
        .iter()
        .filter(|o| match kind {
            PolicyKind::Resource => subject.is_none_or(|s| o.resource == Some(s)),
            PolicyKind::Stack => true,
        })
        .collect();
    if relevant.iter().any(|o| o.kind == OutcomeKind::Violation) {
        return "violation".into();
    }
    let mut kinds: Vec<&str> = relevant.iter().map(|o| o.kind.as_str()).collect();
    kinds.dedup();
    match kinds.as_slice() {
        [one] => (*one).into(),
        [] => "none".into(),
        many => format!("several: {}", many.join(", ")),
    }
}

/// Runs one fixture against a policy and stack: the outcome at mandatory level, the message,
/// path, count and attribution checks, and the fix at remediate level.
pub fn check(policy: &Arc<dyn Policy>, run: &FixtureRun, stack: &Stack) -> FixtureResult {
    let mut failures = Vec::new();
    let kind = policy.meta().kind;
    let eval = evaluate_at(
        Arc::clone(policy),
        stack,
        &run.config,
        Enforcement::Mandatory,
    );
    let subject = match (&run.subject, &run.input) {
        (Some(name), _) => {
            let found = stack
                .resources
                .iter()
                .position(|r| &r.name == name || &r.id == name);
            if found.is_none() {
                failures.push(format!("no resource named `{name}` for `subject`"));
            }
            found
        }
        (None, FixtureInput::Stack(_)) => Some(0),
        (None, FixtureInput::File(_)) => None,
    };
    let got = observed(kind, subject, &eval);
    let messages: Vec<String> = eval
        .outcomes
        .iter()
        .filter_map(|o| o.message.clone())
        .collect();
    if got != run.expect {
        failures.push(format!("expected {}, got {got}", run.expect));
        return FixtureResult {
            observed: got,
            messages,
            failures,
        };
    }
    // With a `subject` named, the message, path and count checks look at that resource only.
    let named = run.subject.is_some() && kind == PolicyKind::Resource;
    let reported: Vec<_> = eval
        .outcomes
        .iter()
        .filter(|o| matches!(o.kind, OutcomeKind::Violation | OutcomeKind::Error))
        .filter(|o| !named || o.resource == subject)
        .collect();
    if let Some(wanted) = &run.message {
        let pool: Vec<String> = if reported.is_empty() {
            messages.clone()
        } else {
            reported.iter().filter_map(|o| o.message.clone()).collect()
        };
        if !pool.iter().any(|m| m.contains(wanted.as_str())) {
            failures.push(format!("no message contains `{wanted}`"));
        }
    }
    if let Some(wanted) = &run.path {
        let paths: Vec<&str> = reported.iter().filter_map(|o| o.path.as_deref()).collect();
        if !paths.contains(&wanted.as_str()) {
            failures.push(format!("no violation at `{wanted}`; paths: {paths:?}"));
        }
    }
    if let Some(count) = run.count {
        let violations = reported
            .iter()
            .filter(|o| o.kind == OutcomeKind::Violation)
            .count();
        if violations != count {
            failures.push(format!(
                "expected {}, got {violations}",
                crate::plural(count, "violation", "violations")
            ));
        }
    }
    let name_of = |o: &&crate::Outcome| {
        o.resource
            .and_then(|i| stack.resources.get(i))
            .map_or_else(|| "<stack>".to_string(), |r| r.name.clone())
    };
    if let Some(at) = &run.at {
        let mut names: Vec<String> = reported.iter().map(name_of).collect();
        names.sort();
        let mut wanted = at.clone();
        wanted.sort();
        if names != wanted {
            failures.push(format!(
                "findings attributed to {names:?}, expected {wanted:?}"
            ));
        }
    }
    if let Some(undecided) = &run.undecided {
        let mut names: Vec<String> = eval
            .outcomes
            .iter()
            .filter(|o| o.kind == OutcomeKind::Indeterminate)
            .map(|o| name_of(&o))
            .collect();
        names.sort();
        let mut wanted = undecided.clone();
        wanted.sort();
        if names != wanted {
            failures.push(format!(
                "indeterminate outcomes on {names:?}, expected {wanted:?}"
            ));
        }
    }
    if kind == PolicyKind::Resource {
        let fixed = evaluate_at(
            Arc::clone(policy),
            stack,
            &run.config,
            Enforcement::Remediate,
        );
        let changed = fixed
            .remediations
            .iter()
            .find(|r| subject.is_none_or(|s| r.resource == s))
            .map(|r| &r.props);
        match (&run.fixed, changed) {
            (Some(want), Some(got)) if want == got => {}
            (Some(want), got) => failures.push(format!(
                "the fix should give {}, gave {}",
                want.to_json_redacted(),
                got.map_or_else(
                    || "no change".to_string(),
                    |g| g.to_json_redacted().to_string()
                )
            )),
            (None, Some(got)) => failures.push(format!(
                "the fix changed the resource to {} but the case names no `fixed` props",
                got.to_json_redacted()
            )),
            (None, None) => {}
        }
    }
    FixtureResult {
        observed: got,
        messages,
        failures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cases_per_input() {
        let json: Json = serde_json::json!({
            "policy": "X-1",
            "cases": [
                {"name": "a", "expect": "pass",
                 "pulumi": {"type": "aws:s3/bucket:Bucket", "name": "b", "props": {"arn": "<unknown>"}},
                 "terraform": {"type": "aws_s3_bucket", "name": "b", "expect": "violation"}},
                {"name": "f", "expect": "violation", "file": "plan.json"}
            ]
        });
        let f = parse(&json).unwrap();
        assert_eq!(f.policy, "X-1");
        assert_eq!(f.runs.len(), 3);
        assert_eq!(f.runs[0].expect, "pass");
        assert_eq!(f.runs[1].expect, "violation");
        let FixtureInput::Stack(s) = &f.runs[0].input else {
            panic!("expected a stack")
        };
        assert_eq!(s.resources[0].props.get("arn"), Some(&Value::Unknown));
        assert!(matches!(&f.runs[2].input, FixtureInput::File(p) if p == "plan.json"));
    }

    #[test]
    fn a_second_pulumi_spelling_runs_on_its_own_with_its_own_fix() {
        let json: Json = serde_json::json!({
            "policy": "X-1",
            "cases": [{
                "name": "a", "expect": "violation",
                "pulumi": {"type": "azure:storage/account:Account", "name": "s"},
                "pulumi_native": {"type": "azure-native:storage:StorageAccount", "name": "s",
                                  "expect": "pass"},
                "fixed": {"pulumi_native": {"minimumTlsVersion": "TLS1_2"}}
            }]
        });
        let f = parse(&json).unwrap();
        let keys: Vec<&str> = f.runs.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(keys, ["pulumi", "pulumi_native"]);
        assert_eq!(f.runs[1].expect, "pass");
        assert!(f.runs[0].fixed.is_none());
        assert!(f.runs[1].fixed.is_some());
        let FixtureInput::Stack(s) = &f.runs[1].input else {
            panic!("expected a stack")
        };
        assert_eq!(s.resources[0].spelling, Spelling::Pulumi);
        assert!(s.resources[0].id.starts_with("urn:pulumi:"));
    }

    /// Violates when `bad` is true, naming the resource.
    struct Bad(crate::PolicyMeta);

    impl Policy for Bad {
        fn meta(&self) -> &crate::PolicyMeta {
            &self.0
        }
        fn validate_resource(
            &self,
            view: crate::ResourceView<'_>,
            _: &serde_json::Value,
        ) -> Result<crate::Verdict, crate::Halt> {
            Ok(match view.field("bad")?.and_then(Value::as_bool) {
                Some(true) => crate::Verdict::violation(crate::Violation::new(format!(
                    "`{}` is bad",
                    view.resource.name
                ))),
                _ => crate::Verdict::Pass,
            })
        }
    }

    fn bad_policy() -> Arc<dyn Policy> {
        Arc::new(Bad(crate::PolicyMeta {
            id: "T-1".into(),
            name: "bad".into(),
            title: "t".into(),
            description: "d".into(),
            severity: crate::Severity::Low,
            enforcement: Enforcement::Mandatory,
            kind: PolicyKind::Resource,
            vendor: "test".into(),
            services: Vec::new(),
            topics: Vec::new(),
            frameworks: Vec::new(),
            resource_types: Vec::new(),
            remediation: String::new(),
            fix: crate::FixSafety::None,
            config_schema: None,
        }))
    }

    #[test]
    fn a_named_subject_narrows_the_message_check_to_it() {
        let case = |subject: &str, message: &str| {
            serde_json::json!({"policy": "T-1", "cases": [{
                "name": "two", "expect": "violation", "subject": subject, "message": message,
                "resource": {"resources": [
                    {"type": "t_x", "name": "a", "props": {"bad": true}},
                    {"type": "t_x", "name": "b", "props": {"bad": true}}
                ]}
            }]})
        };
        let run_one = |json: Json| {
            let file = parse(&json).unwrap();
            let FixtureInput::Stack(stack) = &file.runs[0].input else {
                panic!("a stack")
            };
            check(&bad_policy(), &file.runs[0], stack)
        };
        assert!(run_one(case("b", "`b` is bad")).failures.is_empty());
        let wrong = run_one(case("b", "`a` is bad"));
        assert_eq!(
            wrong.failures,
            vec!["no message contains ``a` is bad`".to_string()]
        );
    }

    #[test]
    fn rejects_bad_fixtures_with_reasons() {
        let no_input =
            serde_json::json!({"policy": "X", "cases": [{"name": "a", "expect": "pass"}]});
        assert!(parse(&no_input).unwrap_err().contains("has no input"));
        let bad_kind = serde_json::json!({"policy": "X", "cases": [{"name": "a", "expect": "fail", "resource": {"type": "t", "name": "n"}}]});
        assert!(parse(&bad_kind)
            .unwrap_err()
            .contains("unknown `expect: fail`"));
        assert!(parse(&serde_json::json!({"cases": []}))
            .unwrap_err()
            .contains("names its policy"));
    }
}
