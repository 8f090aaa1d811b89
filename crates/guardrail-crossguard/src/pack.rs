//! A CrossGuard pack as guardrail policies.
//!
//! The analyzer protocol answers for every policy of the pack at once: one `Analyze` per
//! resource gives the diagnostics of all its resource policies, one `Remediate` runs all its
//! remediations in order, one `AnalyzeStack` runs all its stack policies. The engine asks each
//! policy on its own, so the pack keeps the answers for the stack in hand: [`CrossGuardPack::prepare`]
//! asks for every resource at once (over several pack processes, many calls in flight), and each
//! policy reads its part. A resource whose properties an earlier pack changed is asked again.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use guardrail_core::engine::{resolve_enforcement, schema_defaults, PolicySettings};
use guardrail_core::{
    Enforcement, FixSafety, FrameworkRef, Halt, Pack, Policy, PolicyKind, PolicyMeta, Resource,
    ResourceView, Severity, Spelling, Stack, StackFinding, StackView, Value, Verdict, Violation,
};

use crate::shape::{Shaped, Shaper};
use crate::Error;

/// A policy as the pack describes it (`GetAnalyzerInfo`).
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyInfo {
    /// Its name, unique in the pack.
    pub name: String,
    /// A name for people.
    pub display_name: String,
    /// What it checks.
    pub description: String,
    /// Its default level.
    pub enforcement: Enforcement,
    /// Its severity, when the pack gives one.
    pub severity: Option<Severity>,
    /// Resource or stack policy.
    pub kind: PolicyKind,
    /// The JSON Schema of its configuration (`properties`, `required`).
    pub config_schema: Option<serde_json::Value>,
    /// How to fix a violation.
    pub remediation_steps: String,
    /// Where to read more.
    pub url: String,
    /// The compliance framework it belongs to, by name and version.
    pub framework: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
}

/// The pack as it describes itself.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PackInfo {
    /// The pack's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its description.
    pub description: String,
    /// Its policies, in declared order.
    pub policies: Vec<PolicyInfo>,
    /// The configuration the pack starts with (its `initialConfig`), by policy name.
    pub initial_config: BTreeMap<
        String,
        (
            Option<Enforcement>,
            serde_json::Map<String, serde_json::Value>,
        ),
    >,
}

/// One diagnostic of `Analyze` or `AnalyzeStack`.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// The policy that reported it.
    pub policy: String,
    /// The message as the pack wrote it.
    pub message: String,
    /// The resource a stack policy names, by URN.
    pub urn: Option<String>,
    /// The level the pack reported it at.
    pub level: Enforcement,
}

/// What `Analyze` or `AnalyzeStack` answered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysis {
    /// The violations (and the pack's notes about values unknown during preview).
    pub diagnostics: Vec<Diagnostic>,
    /// Policies that do not apply, with the reason.
    pub not_applicable: Vec<(String, String)>,
}

/// One remediation of `Remediate`.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// The policy whose remediation it is.
    pub policy: String,
    /// The properties after it, when it changed them.
    pub props: Option<Value>,
    /// Why it could not run, when it could not (a value unknown during preview).
    pub diagnostic: String,
}

/// The level and configuration of one policy, as `Configure` sends them.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// The resolved level.
    pub enforcement: Enforcement,
    /// The configuration: the schema's defaults with guardrail's settings over them.
    pub config: serde_json::Map<String, serde_json::Value>,
}

/// The stack a run evaluates, as `ConfigureStack` and the pack's environment tell it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StackContext {
    /// `PULUMI_ORGANIZATION`.
    pub organization: Option<String>,
    /// `PULUMI_PROJECT`.
    pub project: String,
    /// `PULUMI_STACK`.
    pub stack: String,
    /// `PULUMI_DRY_RUN`: a preview or plan (`true`) rather than deployed state.
    pub dry_run: bool,
    /// The stack's configuration, `project:key` to its value as text (`PULUMI_CONFIG`).
    pub config: BTreeMap<String, String>,
    /// The stack's tags.
    pub tags: BTreeMap<String, String>,
}

impl StackContext {
    /// The context of a stack: its names, tags and config; a state is not a dry run.
    pub fn of(stack: &Stack) -> StackContext {
        let text = |v: &Value| match v.reveal() {
            Value::String(s) => s.clone(),
            other => other.to_json_redacted().to_string(),
        };
        let reveal_text = |v: &Value| match v.reveal() {
            Value::String(s) => s.clone(),
            other => serde_json::to_string(&reveal_json(other)).unwrap_or_default(),
        };
        StackContext {
            organization: stack.organization.clone(),
            project: stack.project.clone().unwrap_or_else(|| "project".into()),
            stack: stack.stack.clone().unwrap_or_else(|| "stack".into()),
            dry_run: !matches!(
                stack.format.as_str(),
                "pulumi-stack" | "terraform-state" | "tfstate"
            ),
            config: stack
                .config
                .iter()
                .map(|(k, v)| (k.to_string(), reveal_text(v)))
                .collect(),
            tags: stack
                .tags
                .iter()
                .map(|(k, v)| (k.to_string(), text(v)))
                .collect(),
        }
    }

    /// The context of a plan that names no stack: placeholder names, a dry run.
    pub fn unnamed() -> StackContext {
        StackContext::of(&Stack::default())
    }

    /// The environment the Pulumi CLI gives a pack for this stack.
    pub fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("PULUMI_PROJECT".to_string(), self.project.clone()),
            ("PULUMI_STACK".to_string(), self.stack.clone()),
            ("PULUMI_DRY_RUN".to_string(), self.dry_run.to_string()),
            (
                "PULUMI_CONFIG".to_string(),
                serde_json::to_string(&self.config).unwrap_or_else(|_| "{}".into()),
            ),
        ];
        if let Some(org) = &self.organization {
            env.push(("PULUMI_ORGANIZATION".to_string(), org.clone()));
        }
        env
    }
}

/// A value as plain JSON with secrets revealed (the pack sees the plaintext, as under Pulumi).
fn reveal_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null | Value::Unknown => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Value::Number(n.clone()),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(reveal_json).collect()),
        Value::Object(map) => serde_json::Value::Object(
            map.iter()
                .map(|(k, v)| (k.to_string(), reveal_json(v)))
                .collect(),
        ),
        Value::Secret(inner) => reveal_json(inner),
    }
}

/// What answers for a pack: its processes, over the analyzer protocol. Calls may come from
/// many threads at once; the `_many` calls are answered in the order of their requests.
pub trait Backend: Send + Sync {
    /// The pack's description of itself.
    fn info(&self) -> &PackInfo;
    /// Sends the level and configuration of every policy.
    fn configure(&self, settings: &BTreeMap<String, Setting>) -> Result<(), Error>;
    /// Readies the pack for a stack: its environment and tags.
    fn begin_stack(&self, context: &StackContext) -> Result<(), Error>;
    /// `Analyze` for each resource.
    fn analyze_many(&self, resources: &[Shaped]) -> Vec<Result<Analysis, String>>;
    /// `Remediate` for each resource.
    fn remediate_many(&self, resources: &[Shaped]) -> Vec<Result<Vec<Fix>, String>>;
    /// `AnalyzeStack` with every resource.
    fn analyze_stack(&self, resources: &[Shaped]) -> Result<Analysis, String>;
}

/// The answers for one resource, for the properties they were asked with.
struct Answers {
    props: Value,
    answer: Result<Arc<Analysis>, String>,
}

/// The remediation chain of one resource from the properties it started with: for each policy
/// that ran, its input and its output.
struct Chain {
    start: Value,
    steps: Vec<(usize, Value, Option<Value>)>,
}

impl Chain {
    /// Whether `props` are the properties some policy of the chain starts from.
    fn passes_through(&self, props: &Value) -> bool {
        self.start == *props
            || self
                .steps
                .iter()
                .any(|(_, _, out)| out.as_ref() == Some(props))
    }
}

/// A remediation chain, or why the pack could not give one for these properties.
type ChainAnswer = Result<Chain, (Value, String)>;

/// The stack analysis, for the properties of every resource it was asked with.
type StackAnswer = (Vec<Value>, Result<Arc<Analysis>, String>);

#[derive(Default)]
struct StackState {
    shaper: Option<Arc<Shaper>>,
    analyses: HashMap<String, Vec<Answers>>,
    chains: HashMap<String, Vec<ChainAnswer>>,
    stack_analysis: Option<StackAnswer>,
}

/// A CrossGuard pack whose policies the engine runs.
pub struct CrossGuardPack {
    backend: Box<dyn Backend>,
    name: String,
    version: Option<String>,
    levels: Mutex<Vec<Enforcement>>,
    state: Mutex<StackState>,
}

impl std::fmt::Debug for CrossGuardPack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CrossGuardPack")
            .field("name", &self.name)
            .finish()
    }
}

/// The policy id of a pack policy: the pack's name and the policy's (`pack/policy`).
pub fn policy_id(pack: &str, policy: &str) -> String {
    format!("{pack}/{policy}")
}

impl CrossGuardPack {
    /// A pack answered by `backend`; `name` and `version` as the manifest gives them (the
    /// pack's own when `None`).
    pub fn new(
        backend: Box<dyn Backend>,
        name: Option<String>,
        version: Option<String>,
    ) -> Arc<Self> {
        let info = backend.info();
        let name = name.unwrap_or_else(|| info.name.clone());
        let version = version.or_else(|| (!info.version.is_empty()).then(|| info.version.clone()));
        let levels = info.policies.iter().map(|p| p.enforcement).collect();
        Arc::new(CrossGuardPack {
            backend,
            name,
            version,
            levels: Mutex::new(levels),
            state: Mutex::new(StackState::default()),
        })
    }

    /// The pack's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The pack's description of itself.
    pub fn info(&self) -> &PackInfo {
        self.backend.info()
    }

    /// The metadata of each policy, as guardrail shows it.
    pub fn metas(&self) -> Vec<PolicyMeta> {
        let initial = &self.info().initial_config;
        self.info()
            .policies
            .iter()
            .map(|p| {
                let mut schema = p.config_schema.clone();
                // the pack's initial configuration is its default
                if let (Some((_, props)), Some(serde_json::Value::Object(s))) =
                    (initial.get(&p.name), schema.as_mut())
                {
                    if let Some(serde_json::Value::Object(properties)) = s.get_mut("properties") {
                        for (k, v) in props {
                            if let Some(serde_json::Value::Object(prop)) = properties.get_mut(k) {
                                prop.insert("default".into(), v.clone());
                            }
                        }
                    }
                }
                let enforcement = initial
                    .get(&p.name)
                    .and_then(|(l, _)| *l)
                    .unwrap_or(p.enforcement);
                PolicyMeta {
                    id: policy_id(&self.name, &p.name),
                    name: p.name.clone(),
                    title: if p.display_name.is_empty() {
                        first_line(&p.description)
                    } else {
                        p.display_name.clone()
                    },
                    description: p.description.clone(),
                    severity: p.severity.unwrap_or(Severity::Medium),
                    enforcement,
                    kind: p.kind,
                    vendor: "crossguard".into(),
                    services: Vec::new(),
                    topics: p.tags.clone(),
                    frameworks: p
                        .framework
                        .iter()
                        .map(|f| FrameworkRef {
                            framework: f.clone(),
                            controls: Vec::new(),
                        })
                        .collect(),
                    resource_types: Vec::new(),
                    remediation: if p.remediation_steps.is_empty() {
                        p.url.clone()
                    } else {
                        p.remediation_steps.clone()
                    },
                    fix: FixSafety::None,
                    config_schema: schema,
                }
            })
            .collect()
    }

    /// The pack as guardrail policies, in the pack's order.
    pub fn pack(self: &Arc<Self>) -> Pack {
        let policies = self
            .metas()
            .into_iter()
            .enumerate()
            .map(|(index, meta)| {
                Arc::new(PackPolicy {
                    pack: Arc::clone(self),
                    index,
                    meta,
                }) as Arc<dyn Policy>
            })
            .collect();
        Pack {
            name: self.name.clone(),
            version: self.version.clone(),
            enforcement: None,
            central: false,
            policies,
        }
    }

    /// Sends each policy's level and configuration, resolved as the engine resolves them, so
    /// that the pack remediates and validates what guardrail asks of it.
    pub fn configure(
        &self,
        settings: &PolicySettings,
        group_overrides: &HashMap<String, Enforcement>,
    ) -> Result<(), Error> {
        let mut out = BTreeMap::new();
        let mut levels = Vec::new();
        for meta in self.metas() {
            let level = resolve_enforcement(&meta, None, settings, group_overrides);
            let mut config = schema_defaults(meta.config_schema.as_ref());
            if let Some(over) = settings
                .policies
                .get(&meta.id)
                .or_else(|| settings.policies.get(&meta.name))
            {
                config.extend(over.config.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            levels.push(level);
            out.insert(
                meta.name.clone(),
                Setting {
                    enforcement: level,
                    config,
                },
            );
        }
        if let Ok(mut l) = self.levels.lock() {
            *l = levels;
        }
        self.backend.configure(&out)
    }

    /// Readies the pack for `stack`: its environment and tags, then every resource's
    /// remediation and analysis asked at once. The answers are kept until [`finish`](Self::finish).
    pub fn prepare(&self, stack: &Stack) -> Result<(), Error> {
        self.backend.begin_stack(&StackContext::of(stack))?;
        let shaper = Arc::new(Shaper::new(stack));
        let remediating = self
            .levels
            .lock()
            .map(|l| l.contains(&Enforcement::Remediate))
            .unwrap_or(false);
        let evaluated: Vec<&Resource> = stack
            .resources
            .iter()
            .filter(|r| {
                matches!(
                    r.mode,
                    guardrail_core::Mode::Managed | guardrail_core::Mode::Component
                ) && r.will_exist()
            })
            .collect();
        let shaped: Vec<(usize, Shaped)> = evaluated
            .iter()
            .enumerate()
            .filter_map(|(i, r)| shaper.shape(r, &r.props).map(|s| (i, s)))
            .collect();
        let requests: Vec<Shaped> = shaped.iter().map(|(_, s)| s.clone()).collect();
        let mut state = StackState {
            shaper: Some(Arc::clone(&shaper)),
            ..StackState::default()
        };
        // remediation first: the analysis sees the pack's own fixes
        let mut current: Vec<Value> = shaped
            .iter()
            .map(|(i, _)| {
                evaluated
                    .get(*i)
                    .map(|r| r.props.clone())
                    .unwrap_or_default()
            })
            .collect();
        if remediating {
            let fixes = self.backend.remediate_many(&requests);
            for (((i, _), fix), now) in shaped.iter().zip(fixes).zip(current.iter_mut()) {
                let Some(resource) = evaluated.get(*i) else {
                    continue;
                };
                let chain = self.chain(resource, &resource.props, fix);
                if let Ok(chain) = &chain {
                    if let Some((_, _, Some(last))) =
                        chain.steps.iter().rev().find(|(_, _, out)| out.is_some())
                    {
                        *now = last.clone();
                    }
                }
                state
                    .chains
                    .entry(resource.id.clone())
                    .or_default()
                    .push(chain.map_err(|e| (resource.props.clone(), e)));
            }
        }
        // the resources as fixed, and a fixed one as it was too: the engine says what the fix
        // repaired from the violations on the original
        let mut analyzed: Vec<(usize, Shaped, Value)> = Vec::with_capacity(shaped.len());
        for ((i, original), props) in shaped.iter().zip(current) {
            let Some(r) = evaluated.get(*i) else {
                continue;
            };
            if props != r.props {
                analyzed.push((*i, original.clone(), r.props.clone()));
            }
            if let Some(s) = shaper.shape(r, &props) {
                analyzed.push((*i, s, props));
            }
        }
        let requests: Vec<Shaped> = analyzed.iter().map(|(_, s, _)| s.clone()).collect();
        let answers = self.backend.analyze_many(&requests);
        for ((i, _, props), answer) in analyzed.into_iter().zip(answers) {
            if let Some(r) = evaluated.get(i) {
                state
                    .analyses
                    .entry(r.id.clone())
                    .or_default()
                    .push(Answers {
                        props,
                        answer: answer.map(Arc::new),
                    });
            }
        }
        if let Ok(mut s) = self.state.lock() {
            *s = state;
        }
        Ok(())
    }

    /// Forgets the answers for the stack.
    pub fn finish(&self) {
        if let Ok(mut s) = self.state.lock() {
            *s = StackState::default();
        }
    }

    fn shaper(&self) -> Result<Arc<Shaper>, Halt> {
        self.state
            .lock()
            .ok()
            .and_then(|s| s.shaper.clone())
            .ok_or_else(|| Halt::error("the pack was not prepared for this stack"))
    }

    /// The remediation chain of `resource` from `props`, from the pack's answer.
    fn chain(
        &self,
        resource: &Resource,
        props: &Value,
        fixes: Result<Vec<Fix>, String>,
    ) -> Result<Chain, String> {
        let fixes = fixes?;
        let index = |name: &str| self.info().policies.iter().position(|p| p.name == name);
        let mut steps = Vec::new();
        let mut input = props.clone();
        for fix in fixes {
            let Some(i) = index(&fix.policy) else {
                continue;
            };
            let output = fix.props.map(|p| unshape(&p, &input, resource.spelling));
            steps.push((i, input.clone(), output.clone()));
            if let Some(o) = output {
                input = o;
            }
        }
        Ok(Chain {
            start: props.clone(),
            steps,
        })
    }

    fn remediate_one(&self, index: usize, view: ResourceView<'_>) -> Result<Option<Value>, Halt> {
        let id = &view.resource.id;
        let lookup = |state: &StackState| -> Option<Result<Option<Value>, String>> {
            for chain in state.chains.get(id.as_str())? {
                match chain {
                    Ok(chain) => {
                        for (i, input, output) in &chain.steps {
                            if *i == index && input == view.props {
                                return Some(Ok(output.clone()));
                            }
                        }
                        // the chain went through these props, and this policy did not change them
                        if chain.passes_through(view.props) {
                            return Some(Ok(None));
                        }
                    }
                    Err((props, e)) if props == view.props => return Some(Err(e.clone())),
                    Err(_) => {}
                }
            }
            None
        };
        if let Some(found) = self.state.lock().ok().and_then(|s| lookup(&s)) {
            return found.map_err(Halt::error);
        }
        // an earlier pack changed the resource: ask again, from its properties now
        let Some(shaped) = self.shaper()?.shape(view.resource, view.props) else {
            return Ok(None);
        };
        let fixes = self
            .backend
            .remediate_many(std::slice::from_ref(&shaped))
            .pop()
            .unwrap_or_else(|| Err("the pack gave no answer".into()));
        let chain = self.chain(view.resource, view.props, fixes);
        let answer = match &chain {
            Ok(c) => Ok(c
                .steps
                .iter()
                .find(|(i, input, _)| *i == index && input == view.props)
                .and_then(|(_, _, out)| out.clone())),
            Err(e) => Err(e.clone()),
        };
        if let Ok(mut s) = self.state.lock() {
            s.chains
                .entry(id.clone())
                .or_default()
                .push(chain.map_err(|e| (view.props.clone(), e)));
        }
        answer.map_err(Halt::error)
    }

    fn analysis(&self, view: ResourceView<'_>) -> Result<Option<Arc<Analysis>>, Halt> {
        let id = &view.resource.id;
        let cached = self.state.lock().ok().and_then(|s| {
            s.analyses.get(id.as_str()).and_then(|list| {
                list.iter()
                    .find(|a| a.props == *view.props)
                    .map(|a| a.answer.clone())
            })
        });
        let answer = match cached {
            Some(a) => a,
            None => {
                let Some(shaped) = self.shaper()?.shape(view.resource, view.props) else {
                    return Ok(None);
                };
                let answer = self
                    .backend
                    .analyze_many(std::slice::from_ref(&shaped))
                    .pop()
                    .unwrap_or_else(|| Err("the pack gave no answer".into()))
                    .map(Arc::new);
                if let Ok(mut s) = self.state.lock() {
                    s.analyses.entry(id.clone()).or_default().push(Answers {
                        props: view.props.clone(),
                        answer: answer.clone(),
                    });
                }
                answer
            }
        };
        answer.map(Some).map_err(Halt::error)
    }

    fn stack_analysis(
        &self,
        view: StackView<'_>,
    ) -> Result<(Arc<Analysis>, HashMap<String, String>), Halt> {
        let props: Vec<Value> = view.props.iter().map(|p| (*p).clone()).collect();
        let shaper = self.shaper()?;
        let by_urn: HashMap<String, String> = view
            .stack
            .resources
            .iter()
            .filter_map(|r| shaper.urn_of(&r.id).map(|u| (u.to_string(), r.id.clone())))
            .collect();
        let cached = self.state.lock().ok().and_then(|s| {
            s.stack_analysis
                .as_ref()
                .filter(|(p, _)| *p == props)
                .map(|(_, a)| a.clone())
        });
        let answer = match cached {
            Some(a) => a,
            None => {
                let shaped: Vec<Shaped> = view
                    .stack
                    .resources
                    .iter()
                    .zip(view.props.iter())
                    .filter(|(r, _)| r.will_exist())
                    .filter_map(|(r, p)| shaper.shape(r, p))
                    .collect();
                let answer = self.backend.analyze_stack(&shaped).map(Arc::new);
                if let Ok(mut s) = self.state.lock() {
                    s.stack_analysis = Some((props, answer.clone()));
                }
                answer
            }
        };
        answer.map(|a| (a, by_urn)).map_err(Halt::error)
    }
}

/// The first line of a description, as a title (without its closing period).
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    line.strip_suffix('.')
        .filter(|l| !l.ends_with('.'))
        .unwrap_or(line)
        .to_string()
}

/// The message of a diagnostic without the policy's description, which the pack SDKs put on
/// its first line (guardrail shows the description apart).
fn own_message(message: &str, description: &str) -> String {
    let rest = message
        .strip_prefix(description)
        .map(|r| r.trim_start_matches('\n'))
        .filter(|r| !r.trim().is_empty());
    rest.unwrap_or(message).trim().to_string()
}

/// The property a pack could not read during preview, from the note its SDK writes
/// (`can't run policy 'x' ... during preview: string value at .port can't be known during
/// preview`); `Some("")` when the note names none.
fn unknown_property(message: &str) -> Option<String> {
    if !message.starts_with("can't run ") || !message.contains("during preview") {
        return None;
    }
    let path = message
        .split(" value at .")
        .nth(1)
        .and_then(|rest| rest.split(" can't be known").next())
        .unwrap_or_default();
    Some(path.to_string())
}

/// Fixed properties in the resource's own spelling. What the pack returns is in Pulumi's shape,
/// with every number a double: keys and numbers that the fix kept are taken back as the
/// original spells them, keys of user maps (`tags`) stay as the pack wrote them, and what the
/// shape left out (unset values, a Terraform resource's computed `id`, `arn`, `tags_all`) is
/// put back, so that a fix that changes nothing compares equal to the original.
pub fn unshape(fixed: &Value, original: &Value, spelling: Spelling) -> Value {
    unshape_at(fixed, original, spelling, Place::Top)
}

/// Where a value stands, for [`unshape`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The resource's properties.
    Top,
    /// Inside them.
    Nested,
    /// Inside a map of user data, whose keys are kept.
    UserMap,
}

fn unshape_at(fixed: &Value, original: &Value, spelling: Spelling, place: Place) -> Value {
    let terraform = spelling == Spelling::Terraform;
    let inner = |key: &str| {
        if place == Place::UserMap || (terraform && crate::shape::is_user_map(key)) {
            Place::UserMap
        } else {
            Place::Nested
        }
    };
    match (fixed, original.reveal()) {
        (Value::Number(f), Value::Number(o)) if f.as_f64() == o.as_f64() => {
            keep_secret(Value::Number(o.clone()), original)
        }
        (Value::Number(f), _) => match f.as_f64() {
            Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Value::Number((x as i64).into()),
            _ => fixed.clone(),
        },
        (Value::Object(f), Value::Object(o)) => {
            let mut out = guardrail_core::Map::with_capacity(f.len().max(o.len()));
            let mut used = vec![false; o.len()];
            for (k, v) in f.iter() {
                // the original key this one came from
                let from = o.iter().position(|(ok, ov)| {
                    ok.as_str() == k.as_str()
                        || (terraform && place != Place::UserMap && spelled_as(ok, ov, k))
                });
                match from.and_then(|i| o.get_index(i).map(|kv| (i, kv))) {
                    Some((i, (ok, ov))) => {
                        if let Some(u) = used.get_mut(i) {
                            *u = true;
                        }
                        let here = inner(ok);
                        let value = match (v, ov.reveal()) {
                            // a block Pulumi flattened goes back into its list of one
                            (Value::Object(_), Value::Array(items)) if items.len() == 1 => {
                                let one = items.first().unwrap_or(&Value::Null);
                                Value::Array(vec![unshape_at(v, one, spelling, here)])
                            }
                            _ => unshape_at(v, ov, spelling, here),
                        };
                        out.insert(ok.clone(), value);
                    }
                    None => {
                        let key = if terraform && place != Place::UserMap {
                            snake(k)
                        } else {
                            k.to_string()
                        };
                        let here = inner(&key);
                        out.insert(key, unshape_at(v, &Value::Null, spelling, here));
                    }
                }
            }
            // what the shape left out comes back
            for ((ok, ov), used) in o.iter().zip(used) {
                let left_out = ov.is_null()
                    || (terraform
                        && place == Place::Top
                        && crate::shape::COMPUTED.contains(&ok.as_str()));
                if !used && left_out && terraform {
                    out.insert(ok.clone(), ov.clone());
                }
            }
            keep_secret(Value::Object(out), original)
        }
        (Value::Array(f), Value::Array(o)) => {
            let items = f
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    unshape_at(
                        v,
                        o.get(i).unwrap_or(&Value::Null),
                        spelling,
                        place.min_nested(),
                    )
                })
                .collect();
            keep_secret(Value::Array(items), original)
        }
        (Value::Array(f), _) => Value::Array(
            f.iter()
                .map(|v| unshape_at(v, &Value::Null, spelling, place.min_nested()))
                .collect(),
        ),
        (Value::Object(f), _) => Value::Object(
            f.iter()
                .map(|(k, v)| {
                    let key = if terraform && place != Place::UserMap {
                        snake(k)
                    } else {
                        k.to_string()
                    };
                    let here = inner(&key);
                    (
                        guardrail_core::value::Key::from(key),
                        unshape_at(v, &Value::Null, spelling, here),
                    )
                })
                .collect(),
        ),
        (other, _) if other == original.reveal() => original.clone(),
        (other, _) => other.clone(),
    }
}

impl Place {
    /// The place of a list's items.
    fn min_nested(self) -> Place {
        match self {
            Place::Top => Place::Nested,
            other => other,
        }
    }
}

fn keep_secret(value: Value, original: &Value) -> Value {
    match (original, &value) {
        (Value::Secret(_), Value::Secret(_)) => value,
        (Value::Secret(_), _) => Value::Secret(Box::new(value)),
        _ => value,
    }
}

/// Whether the Terraform key `tf` (with value `v`) is what Pulumi spells `pulumi`.
fn spelled_as(tf: &str, v: &Value, pulumi: &str) -> bool {
    let camel = crate::shape::camel(tf);
    camel == pulumi
        || (matches!(v.reveal(), Value::Array(_))
            && (format!("{camel}s") == pulumi
                || camel
                    .strip_suffix('y')
                    .is_some_and(|stem| format!("{stem}ies") == pulumi)))
}

/// `camelCase` → `snake_case`.
fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// One policy of a CrossGuard pack.
struct PackPolicy {
    pack: Arc<CrossGuardPack>,
    index: usize,
    meta: PolicyMeta,
}

impl PackPolicy {
    /// The policy's violations (with the URN a stack policy names), and the property it could
    /// not read when it ran into an unknown value. What it reported before that stands; with
    /// nothing reported, the policy could not decide.
    fn read<'a>(
        &self,
        analysis: &'a Analysis,
    ) -> (Vec<(Violation, Option<&'a str>)>, Option<Halt>) {
        let mut violations = Vec::new();
        let mut unknown = None;
        for d in analysis
            .diagnostics
            .iter()
            .filter(|d| d.policy == self.name())
        {
            match unknown_property(&d.message) {
                Some(path) => {
                    unknown = unknown.or_else(|| {
                        Some(Halt::unknown(if path.is_empty() {
                            "properties".to_string()
                        } else {
                            path
                        }))
                    });
                }
                None => violations.push((
                    Violation::new(own_message(&d.message, self.description())),
                    d.urn.as_deref(),
                )),
            }
        }
        (violations, unknown)
    }

    fn name(&self) -> &str {
        &self.meta.name
    }

    fn description(&self) -> &str {
        self.pack
            .info()
            .policies
            .get(self.index)
            .map_or("", |p| p.description.as_str())
    }
}

impl Policy for PackPolicy {
    fn meta(&self) -> &PolicyMeta {
        &self.meta
    }

    fn validate_resource(
        &self,
        view: ResourceView<'_>,
        _config: &serde_json::Value,
    ) -> Result<Verdict, Halt> {
        let Some(analysis) = self.pack.analysis(view)? else {
            return Ok(Verdict::not_applicable(format!(
                "`{}` has no Pulumi type for the pack to see",
                view.resource.type_
            )));
        };
        if let Some((_, reason)) = analysis
            .not_applicable
            .iter()
            .find(|(p, _)| p == self.name())
        {
            return Ok(Verdict::not_applicable(if reason.is_empty() {
                "the policy does not apply".to_string()
            } else {
                reason.clone()
            }));
        }
        let (violations, unknown) = self.read(&analysis);
        match unknown {
            Some(path) if violations.is_empty() => Err(path),
            _ => Ok(Verdict::from_violations(
                violations.into_iter().map(|(v, _)| v).collect(),
            )),
        }
    }

    fn validate_stack(
        &self,
        view: StackView<'_>,
        _config: &serde_json::Value,
    ) -> Result<Vec<StackFinding>, Halt> {
        let (analysis, by_urn) = self.pack.stack_analysis(view)?;
        let (violations, unknown) = self.read(&analysis);
        match unknown {
            Some(path) if violations.is_empty() => Err(path),
            _ => Ok(violations
                .into_iter()
                .map(|(v, urn)| match urn.and_then(|u| by_urn.get(u)) {
                    Some(id) => StackFinding::violation(id.clone(), v),
                    None => StackFinding::stack_violation(v),
                })
                .collect()),
        }
    }

    fn remediate(
        &self,
        view: ResourceView<'_>,
        _config: &serde_json::Value,
    ) -> Result<Option<Value>, Halt> {
        self.pack.remediate_one(self.index, view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guardrail_core::{evaluate, EvaluationOptions, OutcomeKind};

    /// A pack that answers as `pulumi-policy` would for three policies: `ports` (resource,
    /// mandatory), `tag` (resource, remediate) and `buckets` (stack, mandatory).
    struct Fake {
        info: PackInfo,
        calls: Arc<Mutex<Vec<String>>>,
    }

    fn policy(name: &str, kind: PolicyKind, level: Enforcement) -> PolicyInfo {
        PolicyInfo {
            name: name.into(),
            display_name: String::new(),
            description: format!("{name} policy."),
            enforcement: level,
            severity: Some(Severity::High),
            kind,
            config_schema: Some(
                serde_json::json!({"properties": {"limit": {"type": "number", "default": 1}}}),
            ),
            remediation_steps: String::new(),
            url: String::new(),
            framework: None,
            tags: Vec::new(),
        }
    }

    impl Fake {
        fn new() -> Self {
            Fake {
                info: PackInfo {
                    name: "fake".into(),
                    version: "1.0.0".into(),
                    description: String::new(),
                    policies: vec![
                        policy("ports", PolicyKind::Resource, Enforcement::Mandatory),
                        policy("tag", PolicyKind::Resource, Enforcement::Remediate),
                        policy("buckets", PolicyKind::Stack, Enforcement::Mandatory),
                    ],
                    initial_config: BTreeMap::new(),
                },
                calls: Arc::new(Mutex::new(Vec::new())),
            }
        }

        fn analyze(&self, r: &Shaped) -> Result<Analysis, String> {
            self.calls
                .lock()
                .unwrap()
                .push(format!("analyze {}", r.name));
            let mut a = Analysis::default();
            match r.props.get("port") {
                Some(Value::Unknown) => a.diagnostics.push(Diagnostic {
                    policy: "ports".into(),
                    message: "can't run policy 'ports' from policy pack 'fake@v1.0.0' during preview: number value at .port can't be known during preview".into(),
                    urn: None,
                    level: Enforcement::Advisory,
                }),
                Some(p) if p.as_f64() == Some(22.0) => a.diagnostics.push(Diagnostic {
                    policy: "ports".into(),
                    message: "ports policy.\nport 22 is open".into(),
                    urn: None,
                    level: Enforcement::Mandatory,
                }),
                Some(Value::String(s)) if s == "boom" => return Err("policy `ports` raised: boom".into()),
                Some(_) => {}
                None => a.not_applicable.push(("ports".into(), "no port".into())),
            }
            if r.props
                .get("tags")
                .and_then(|t| t.get("Department"))
                .is_none()
            {
                a.diagnostics.push(Diagnostic {
                    policy: "tag".into(),
                    message: "tag policy.\nno Department".into(),
                    urn: None,
                    level: Enforcement::Mandatory,
                });
            }
            Ok(a)
        }
    }

    impl Backend for Fake {
        fn info(&self) -> &PackInfo {
            &self.info
        }
        fn configure(&self, settings: &BTreeMap<String, Setting>) -> Result<(), Error> {
            let shown: Vec<String> = settings
                .iter()
                .map(|(k, s)| {
                    format!(
                        "{k}={}:{}",
                        s.enforcement,
                        serde_json::Value::Object(s.config.clone())
                    )
                })
                .collect();
            self.calls
                .lock()
                .unwrap()
                .push(format!("configure {}", shown.join(" ")));
            Ok(())
        }
        fn begin_stack(&self, context: &StackContext) -> Result<(), Error> {
            self.calls.lock().unwrap().push(format!(
                "stack {}/{} dry_run={} tags={:?} env={:?}",
                context.project,
                context.stack,
                context.dry_run,
                context.tags,
                context.env()
            ));
            Ok(())
        }
        fn analyze_many(&self, resources: &[Shaped]) -> Vec<Result<Analysis, String>> {
            resources.iter().map(|r| self.analyze(r)).collect()
        }
        fn remediate_many(&self, resources: &[Shaped]) -> Vec<Result<Vec<Fix>, String>> {
            resources
                .iter()
                .map(|r| {
                    self.calls
                        .lock()
                        .unwrap()
                        .push(format!("remediate {}", r.name));
                    let mut props = r.props.clone();
                    if props
                        .get("tags")
                        .and_then(|t| t.get("Department"))
                        .is_some()
                    {
                        return Ok(Vec::new());
                    }
                    let mut tags = props
                        .get("tags")
                        .cloned()
                        .unwrap_or(Value::Object(guardrail_core::Map::new()));
                    tags.set("Department", Value::string("unassigned"));
                    props.set("tags", tags);
                    // the wire makes every number a double
                    if let Some(p) = props.get_mut("port") {
                        if let Some(x) = p.as_f64() {
                            *p = Value::Number(serde_json::Number::from_f64(x).unwrap());
                        }
                    }
                    Ok(vec![Fix {
                        policy: "tag".into(),
                        props: Some(props),
                        diagnostic: String::new(),
                    }])
                })
                .collect()
        }
        fn analyze_stack(&self, resources: &[Shaped]) -> Result<Analysis, String> {
            self.calls
                .lock()
                .unwrap()
                .push(format!("analyze_stack {}", resources.len()));
            let mut a = Analysis::default();
            for r in resources
                .iter()
                .filter(|r| r.type_ == "aws:s3/bucket:Bucket")
            {
                a.diagnostics.push(Diagnostic {
                    policy: "buckets".into(),
                    message: format!("buckets policy.\n{} is not encrypted", r.name),
                    urn: Some(r.urn.clone()),
                    level: Enforcement::Mandatory,
                });
            }
            Ok(a)
        }
    }

    #[test]
    fn fixes_come_back_in_the_resources_own_spelling() {
        let original = Value::from_json(serde_json::json!({
            "bucket": "b", "id": null, "arn": null, "acl": null, "port": 22,
            "tags": {"cost_center": "1"},
            "server_side_encryption_configuration": [{"rule": [{"bucket_key_enabled": true}]}],
        }));
        let mut original = original;
        original.set("arn", Value::Unknown);
        let stack = Stack {
            resources: vec![Resource::new(
                "aws_s3_bucket.b",
                "aws_s3_bucket",
                Spelling::Terraform,
                original.clone(),
            )],
            ..Stack::default()
        };
        let shaped = Shaper::new(&stack)
            .shape(&stack.resources[0], &original)
            .unwrap();
        assert_eq!(
            shaped.props.to_json_redacted(),
            serde_json::json!({"bucket": "b", "port": 22, "tags": {"cost_center": "1"},
                "serverSideEncryptionConfiguration": {"rule": {"bucketKeyEnabled": true}}})
        );
        // unchanged, with every number a double as the wire has it: the original, exactly
        let mut wire = shaped.props.clone();
        wire.set(
            "port",
            Value::Number(serde_json::Number::from_f64(22.0).unwrap()),
        );
        assert_eq!(unshape(&wire, &original, Spelling::Terraform), original);
        // a tag added, a property added: tag keys as written, new properties in snake case
        let mut fixed = wire.clone();
        fixed
            .get_mut("tags")
            .unwrap()
            .set("Department", Value::string("x"));
        fixed.set("forceDestroy", Value::Bool(false));
        let back = unshape(&fixed, &original, Spelling::Terraform);
        assert_eq!(
            back.get("tags").unwrap().to_json_redacted(),
            serde_json::json!({"cost_center": "1", "Department": "x"})
        );
        assert_eq!(back.get("force_destroy"), Some(&Value::Bool(false)));
        assert_eq!(back.get("port"), Some(&Value::Number(22.into())));
        assert!(back.get("arn").unwrap().is_unknown());
    }

    fn tf(id: &str, type_: &str, props: serde_json::Value) -> Resource {
        let mut r = Resource::new(id, type_, Spelling::Terraform, Value::from_json(props));
        r.name = id.rsplit('.').next().unwrap().to_string();
        r
    }

    #[test]
    fn a_pack_runs_through_the_engine() {
        let fake = Box::new(Fake::new());
        let calls = Arc::clone(&fake.calls);
        let pack = CrossGuardPack::new(fake, None, None);
        let stack = Stack {
            format: "terraform-plan".into(),
            resources: vec![
                tf(
                    "aws_lb_target_group.ssh",
                    "aws_lb_target_group",
                    serde_json::json!({"port": 22, "tags": {"Department": "x"}}),
                ),
                tf(
                    "aws_lb_target_group.web",
                    "aws_lb_target_group",
                    serde_json::json!({"port": 443}),
                ),
                tf(
                    "aws_lb_target_group.later",
                    "aws_lb_target_group",
                    serde_json::json!({"port": null, "tags": {"Department": "x"}}),
                ),
                tf(
                    "aws_lb_target_group.bad",
                    "aws_lb_target_group",
                    serde_json::json!({"port": "boom"}),
                ),
                tf(
                    "aws_s3_bucket.logs",
                    "aws_s3_bucket",
                    serde_json::json!({"bucket": "logs", "tags": {"Department": "x"}}),
                ),
                tf("aws_nothing.x", "aws_nothing", serde_json::json!({})),
            ],
            ..Stack::default()
        };
        let mut stack = stack;
        stack.resources[2].props.set("port", Value::Unknown);
        stack.project = Some("shop".into());
        stack.stack = Some("prod".into());
        stack.tags.insert("team", Value::string("payments"));
        stack.config.insert(
            "shop:region",
            Value::Secret(Box::new(Value::string("eu-west-1"))),
        );
        let mut settings = PolicySettings::default();
        settings.policies.insert(
            "fake/ports".into(),
            guardrail_core::engine::PolicyOverride {
                enforcement: Some(Enforcement::Advisory),
                config: [("limit".to_string(), serde_json::json!(5))]
                    .into_iter()
                    .collect(),
            },
        );
        pack.configure(&settings, &HashMap::new()).unwrap();
        pack.prepare(&stack).unwrap();
        let asked_ahead = calls.lock().unwrap().len();
        let packs = [pack.pack()];
        let options = EvaluationOptions {
            settings,
            ..EvaluationOptions::default()
        };
        let ev = evaluate(&packs, &stack, &options);
        let got: Vec<(String, Option<usize>, OutcomeKind, Option<String>)> = ev
            .outcomes
            .iter()
            .map(|o| {
                (
                    ev.policies[o.policy].meta.name.clone(),
                    o.resource,
                    o.kind,
                    o.message.clone(),
                )
            })
            .collect();
        let want = |p: &str, r: Option<usize>, k: OutcomeKind, m: Option<&str>| {
            (p.to_string(), r, k, m.map(str::to_string))
        };
        assert_eq!(
            got,
            vec![
                want(
                    "ports",
                    Some(0),
                    OutcomeKind::Violation,
                    Some("port 22 is open")
                ),
                want("tag", Some(0), OutcomeKind::Pass, None),
                want("ports", Some(1), OutcomeKind::Pass, None),
                want(
                    "tag",
                    Some(1),
                    OutcomeKind::Pass,
                    Some("would fix: no Department")
                ),
                want(
                    "ports",
                    Some(2),
                    OutcomeKind::Indeterminate,
                    Some("`port` is known only after apply; the policy cannot decide yet")
                ),
                want("tag", Some(2), OutcomeKind::Pass, None),
                want(
                    "ports",
                    Some(3),
                    OutcomeKind::Error,
                    Some("policy `ports` raised: boom")
                ),
                want(
                    "tag",
                    Some(3),
                    OutcomeKind::Error,
                    Some("policy `ports` raised: boom")
                ),
                want(
                    "ports",
                    Some(4),
                    OutcomeKind::NotApplicable,
                    Some("no port")
                ),
                want("tag", Some(4), OutcomeKind::Pass, None),
                want(
                    "buckets",
                    Some(4),
                    OutcomeKind::Violation,
                    Some("logs is not encrypted")
                ),
                want(
                    "ports",
                    Some(5),
                    OutcomeKind::NotApplicable,
                    Some("`aws_nothing` has no Pulumi type for the pack to see")
                ),
                want(
                    "tag",
                    Some(5),
                    OutcomeKind::NotApplicable,
                    Some("`aws_nothing` has no Pulumi type for the pack to see")
                ),
            ]
        );
        // the level and config guardrail resolved reach the pack, with the schema's defaults
        let calls = calls.lock().unwrap().clone();
        assert_eq!(
            calls[0],
            r#"configure buckets=mandatory:{"limit":1} ports=advisory:{"limit":5} tag=remediate:{"limit":1}"#
        );
        // the stack's names, tags and config (a secret revealed, as the CLI decrypts it for
        // the pack) reach the pack; a plan is a dry run
        assert_eq!(
            calls[1],
            r#"stack shop/prod dry_run=true tags={"team": "payments"} env=[("PULUMI_PROJECT", "shop"), ("PULUMI_STACK", "prod"), ("PULUMI_DRY_RUN", "true"), ("PULUMI_CONFIG", "{\"shop:region\":\"eu-west-1\"}")]"#
        );
        // the fix is in Terraform's spelling, its numbers as the plan wrote them
        let fixed = &ev.remediations[0];
        assert_eq!(fixed.resource, 1);
        assert_eq!(
            fixed.props.to_json_redacted(),
            serde_json::json!({"port": 443, "tags": {"Department": "unassigned"}})
        );
        // every resource answer came from the calls made ahead: one per resource and kind, and
        // the two fixed ones (`web`, `bad`) analysed as they were too
        assert_eq!(calls.len(), asked_ahead + 1, "{calls:?}");
        assert_eq!(
            calls.iter().filter(|c| c.starts_with("analyze ")).count(),
            7
        );
        assert_eq!(
            calls.iter().filter(|c| c.starts_with("remediate ")).count(),
            5
        );
        assert_eq!(
            calls
                .iter()
                .filter(|c| c.starts_with("analyze_stack"))
                .count(),
            1
        );
    }
}
