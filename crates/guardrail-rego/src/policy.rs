//! A Rego policy as the engine sees it: metadata, and validate / remediate calls that run the
//! pack's prepared regorus engine (cloned per worker, never re-parsed).

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use guardrail_core::{
    Found, Halt, Policy, PolicyMeta, Resource, ResourceView, Stack, StackFinding, StackView, Value,
    Verdict, Violation,
};
use regorus::{Engine, Value as Rego};

use crate::convert::{self, field, members, object, plain, s};

/// How a policy reads its input and reports.
#[derive(Clone, Debug)]
pub(crate) enum Style {
    /// A guardrail pack policy: package `pkg` with `deny`, and optionally `indeterminate`,
    /// `not_applicable` and `remediate`.
    Guardrail {
        pkg: String,
        indeterminate: bool,
        not_applicable: bool,
        remediate: bool,
        stack: bool,
    },
    /// A Pulumi OPA-bridge rule: `data.<pkg>.<rule>`, resource inputs at the top of `input`.
    Bridge {
        pkg: String,
        rule: String,
        stack: bool,
    },
    /// A conftest rule over the whole input document.
    Conftest { pkg: String, rule: String },
}

struct Slot {
    engine: Engine,
    config: String,
}

/// A policy backed by a regorus engine.
pub struct RegoPolicy {
    pub(crate) meta: PolicyMeta,
    pub(crate) style: Style,
    template: Engine,
    template_config: String,
    pool: Mutex<Vec<Slot>>,
    /// The error of an evaluation stopped by its time limit or step budget.
    stopped: String,
    /// The error of an evaluation stopped at the memory limit.
    out_of_memory: String,
    document: Arc<DocumentCache>,
    /// Whole-document results computed ahead (see [`Preloader`]), by document and config.
    early: Mutex<Vec<Early>>,
    /// Whether the policy sees secrets in plain text (`secrets: true` in its metadata); else
    /// each secret is a marker naming its type.
    secrets: bool,
}

/// A whole-document rule's result computed before evaluation.
struct Early {
    doc: Arc<String>,
    config: String,
    members: Result<Vec<Rego>, Halt>,
}

/// The engine's form of the input documents, shared by a pack's whole-document (conftest)
/// rules: each document is parsed once, by whichever comes first — [`DocumentCache::load`]
/// while the stack itself loads, or the first rule that needs it.
#[derive(Default)]
pub struct DocumentCache {
    entries: Mutex<Vec<(Arc<String>, Rego)>>,
}

/// Prepares a pack's whole-document (conftest) rules for a document before evaluation: parses
/// it and evaluates the rules with their default config, so that this work can run on another
/// core while the stack itself loads. Evaluation then uses the results (a rule whose config
/// differs is evaluated again).
#[derive(Debug, Default)]
pub struct Preloader {
    pub(crate) documents: Arc<DocumentCache>,
    pub(crate) policies: Vec<Arc<RegoPolicy>>,
}

impl Preloader {
    /// Parses `doc` and evaluates the whole-document rules on it.
    pub fn load(&self, doc: &Arc<String>) -> Result<(), String> {
        self.documents.load(doc)?;
        for p in &self.policies {
            p.evaluate_early(doc);
        }
        Ok(())
    }
}

impl std::fmt::Debug for DocumentCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DocumentCache")
    }
}

impl DocumentCache {
    /// Parses a document ahead of evaluation (e.g. on another thread while the stack loads).
    pub fn load(&self, doc: &Arc<String>) -> Result<(), String> {
        self.get(doc).map(|_| ()).map_err(|h| match h {
            Halt::Error(e) => e,
            Halt::Unknown { path, .. } => path,
        })
    }

    /// The document's value; the lock is held while parsing, so that concurrent callers wait
    /// rather than parse it again.
    fn get(&self, doc: &Arc<String>) -> Result<Rego, Halt> {
        let mut guard = self
            .entries
            .lock()
            .map_err(|_| Halt::error("the document cache was poisoned by a panic"))?;
        if let Some((_, r)) = guard.iter().find(|(d, _)| Arc::ptr_eq(d, doc)) {
            return Ok(r.clone());
        }
        let r = Rego::from_json_str(doc)
            .map_err(|e| Halt::error(format!("the input document cannot be read: {e}")))?;
        guard.push((Arc::clone(doc), r.clone()));
        Ok(r)
    }
}

impl std::fmt::Debug for RegoPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegoPolicy")
            .field("id", &self.meta.id)
            .field("style", &self.style)
            .finish()
    }
}

/// The `data` document a policy sees for its config.
pub(crate) fn config_data(style: &Style, config: &serde_json::Value) -> Rego {
    let cfg = convert::json_to_rego(config);
    match style {
        Style::Bridge { rule, .. } => {
            let mut inner = BTreeMap::new();
            inner.insert(s(rule), cfg);
            object(vec![("config", Rego::from(inner))])
        }
        _ => object(vec![("config", cfg)]),
    }
}

impl RegoPolicy {
    /// `template` must hold the pack's modules, be prepared, carry the time limit, and hold
    /// `default_config` as its data.
    pub(crate) fn new(
        meta: PolicyMeta,
        style: Style,
        template: Engine,
        default_config: &serde_json::Value,
        stopped: String,
        document: Arc<DocumentCache>,
    ) -> Self {
        let mut template = template;
        // `print` would write a policy's values, secrets included, straight to standard error:
        // its output is gathered and dropped (see `with_engine`).
        template.set_gather_prints(true);
        RegoPolicy {
            meta,
            style,
            template,
            template_config: default_config.to_string(),
            pool: Mutex::new(Vec::new()),
            stopped,
            out_of_memory: "the policy allocated more than its memory limit and was stopped (raise it with --rego-max-memory)".to_string(),
            document,
            early: Mutex::new(Vec::new()),
            secrets: false,
        }
    }

    /// Lets the policy see secrets in plain text (it asked for them in its metadata).
    pub(crate) fn with_secrets(mut self, secrets: bool) -> Self {
        self.secrets = secrets;
        self
    }

    /// The error outcome of an evaluation stopped at the memory limit.
    pub(crate) fn with_memory_message(mut self, message: String) -> Self {
        self.out_of_memory = message;
        self
    }

    /// How the policy sees values, with `marker` for unknowns.
    fn sight<'a>(&self, marker: &'a str) -> convert::Sight<'a> {
        convert::Sight {
            marker,
            secrets: self.secrets,
        }
    }

    /// A whole-document rule's members for `doc` under `config`.
    fn document_members(
        &self,
        doc: &Arc<String>,
        config: &serde_json::Value,
    ) -> Result<Vec<Rego>, Halt> {
        let Style::Conftest { pkg, rule } = &self.style else {
            return Ok(Vec::new());
        };
        let key = config.to_string();
        if let Ok(early) = self.early.lock() {
            if let Some(e) = early
                .iter()
                .find(|e| Arc::ptr_eq(&e.doc, doc) && e.config == key)
            {
                return e.members.clone();
            }
        }
        let input = self.document.get(doc)?;
        self.with_engine(config, |engine| {
            engine.set_input(input);
            Ok(members(&self.eval(engine, format!("data.{pkg}.{rule}"))?))
        })
    }

    /// Evaluates a whole-document rule ahead, with the default config, and keeps the result.
    fn evaluate_early(&self, doc: &Arc<String>) {
        if !matches!(self.style, Style::Conftest { .. }) {
            return;
        }
        let config: serde_json::Value =
            serde_json::from_str(&self.template_config).unwrap_or(serde_json::Value::Null);
        let members = self.document_members(doc, &config);
        if let Ok(mut early) = self.early.lock() {
            early.push(Early {
                doc: Arc::clone(doc),
                config: self.template_config.clone(),
                members,
            });
        }
    }

    /// Runs `f` on an engine of this policy's pool holding `config` as data.
    fn with_engine<T>(
        &self,
        config: &serde_json::Value,
        f: impl FnOnce(&mut Engine) -> Result<T, Halt>,
    ) -> Result<T, Halt> {
        let key = config.to_string();
        let taken = self.pool.lock().ok().and_then(|mut p| p.pop());
        let mut slot = taken.unwrap_or_else(|| Slot {
            engine: self.template.clone(),
            config: self.template_config.clone(),
        });
        if slot.config != key {
            slot.engine.clear_data();
            slot.engine
                .add_data(config_data(&self.style, config))
                .map_err(|e| Halt::error(format!("cannot give the policy its config: {e}")))?;
            slot.config = key;
        }
        crate::memory::arm();
        crate::limits::start_evaluation();
        let result = f(&mut slot.engine);
        // dropped unread: printed text bypasses the redaction of messages
        let _ = slot.engine.take_prints();
        // An engine stopped mid-evaluation is not reused.
        if result.is_ok() {
            if let Ok(mut p) = self.pool.lock() {
                p.push(slot);
            }
        }
        result
    }

    fn eval(&self, engine: &mut Engine, rule: String) -> Result<Rego, Halt> {
        engine.eval_rule(rule).map_err(|e| {
            let text = e.to_string();
            if text.contains("exceeded time limit") {
                Halt::error(self.stopped.clone())
            } else if crate::memory::is_exceeded(&text) {
                Halt::error(self.out_of_memory.clone())
            } else {
                Halt::error(crate::error::one_line(&text))
            }
        })
    }
}

/// `2s`, `500ms`.
pub fn human_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 && d.as_secs() > 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

fn stack_info(stack: &Stack) -> Rego {
    let opt = |v: &Option<String>| v.as_deref().map_or(Rego::Null, s);
    object(vec![
        ("organization", opt(&stack.organization)),
        ("project", opt(&stack.project)),
        ("stack", opt(&stack.stack)),
        ("format", s(&stack.format)),
        ("source", s(&stack.source)),
    ])
}

/// A resource for a guardrail pack.
fn resource_input(r: &Resource, props: &Value, sight: convert::Sight<'_>) -> (Rego, Vec<String>) {
    let mut unknown = Vec::new();
    let props_r = convert::to_rego(props, sight, &mut unknown);
    let mut ignored = Vec::new();
    let old = r
        .old_props
        .as_ref()
        .map_or(Rego::Null, |o| convert::to_rego(o, sight, &mut ignored));
    let deps: Vec<Rego> = r.dependencies.iter().map(|d| s(d)).collect();
    let unknown_r: Vec<Rego> = unknown.iter().map(|p| s(p)).collect();
    let pdeps = convert::to_rego(
        &Value::Object(r.property_dependencies.clone()),
        sight,
        &mut ignored,
    );
    let input = object(vec![
        ("id", s(&r.id)),
        ("type", s(&r.type_)),
        ("name", s(&r.name)),
        ("provider", r.provider.as_deref().map_or(Rego::Null, s)),
        (
            "mode",
            s(match r.mode {
                guardrail_core::Mode::Managed => "managed",
                guardrail_core::Mode::Data => "data",
                guardrail_core::Mode::Component => "component",
                guardrail_core::Mode::Provider => "provider",
            }),
        ),
        (
            "spelling",
            s(match r.spelling {
                guardrail_core::Spelling::Pulumi => "pulumi",
                guardrail_core::Spelling::Terraform => "terraform",
            }),
        ),
        ("operation", s(r.operation.as_str())),
        ("parent", r.parent.as_deref().map_or(Rego::Null, s)),
        ("dependencies", Rego::from(deps)),
        ("property_dependencies", pdeps),
        ("props", props_r),
        ("old_props", old),
        ("unknown", Rego::from(unknown_r)),
    ]);
    (input, unknown)
}

/// A resource for a Pulumi OPA-bridge pack: inputs at the top, plus `type` and `__name`.
fn bridge_input(r: &Resource, props: &Value, sight: convert::Sight<'_>) -> Rego {
    let mut unknown = Vec::new();
    let mut top = convert::to_rego(props, sight, &mut unknown);
    if !matches!(top, Rego::Object(_)) {
        top = Rego::new_object();
    }
    if let Ok(map) = top.as_object_mut() {
        map.insert(s("type"), s(&r.type_));
        map.insert(s("__name"), s(&r.name));
        map.insert(s("__urn"), s(&r.id));
    }
    top
}

fn with_kind(mut input: Rego, kind: &str) -> Rego {
    if let Ok(map) = input.as_object_mut() {
        map.insert(s("kind"), s(kind));
    }
    input
}

/// A violation from a `deny` member: a string, or an object with `msg`/`message`, `path` and
/// (stack policies) `resource`.
fn violation(member: &Rego) -> (Violation, Option<String>) {
    match member {
        Rego::Object(_) => {
            let message = field(member, "msg")
                .or_else(|| field(member, "message"))
                .map_or_else(|| plain(member), plain);
            let mut v = Violation::new(message);
            if let Some(p) = field(member, "path") {
                v = v.at(plain(p));
            }
            (v, field(member, "resource").map(plain))
        }
        other => (Violation::new(plain(other)), None),
    }
}

impl Policy for RegoPolicy {
    fn meta(&self) -> &PolicyMeta {
        &self.meta
    }

    fn validate_resource(
        &self,
        view: ResourceView<'_>,
        config: &serde_json::Value,
    ) -> Result<Verdict, Halt> {
        match &self.style {
            Style::Guardrail {
                pkg,
                indeterminate,
                not_applicable,
                ..
            } => {
                let (input, _) =
                    resource_input(view.resource, view.props, self.sight(convert::UNKNOWN));
                let input = with_kind(input, "resource");
                self.with_engine(config, |engine| {
                    engine.set_input(input);
                    let deny = members(&self.eval(engine, format!("data.{pkg}.deny"))?);
                    if !deny.is_empty() {
                        return Ok(Verdict::Violations(
                            deny.iter().map(|m| violation(m).0).collect(),
                        ));
                    }
                    if *indeterminate {
                        let paths =
                            members(&self.eval(engine, format!("data.{pkg}.indeterminate"))?);
                        if !paths.is_empty() {
                            let list: Vec<String> = paths.iter().map(plain).collect();
                            return Err(Halt::unknown(list.join(", ")));
                        }
                    }
                    if *not_applicable {
                        let reasons =
                            members(&self.eval(engine, format!("data.{pkg}.not_applicable"))?);
                        if let Some(first) = reasons.first() {
                            let reason = match first {
                                Rego::Bool(true) => "the policy does not apply".to_string(),
                                other => plain(other),
                            };
                            return Ok(Verdict::NotApplicable(reason));
                        }
                    }
                    Ok(Verdict::Pass)
                })
            }
            Style::Bridge { pkg, rule, stack } => {
                if *stack {
                    return Ok(Verdict::not_applicable("a stack rule"));
                }
                let input = bridge_input(
                    view.resource,
                    view.props,
                    self.sight(convert::PULUMI_UNKNOWN),
                );
                self.with_engine(config, |engine| {
                    engine.set_input(input);
                    let found = members(&self.eval(engine, format!("data.{pkg}.{rule}"))?);
                    Ok(Verdict::from_violations(
                        found.iter().map(|m| violation(m).0).collect(),
                    ))
                })
            }
            Style::Conftest { .. } => Ok(Verdict::not_applicable("a whole-document rule")),
        }
    }

    fn validate_stack(
        &self,
        view: StackView<'_>,
        config: &serde_json::Value,
    ) -> Result<Vec<StackFinding>, Halt> {
        let names: std::collections::HashMap<&str, Option<&str>> = {
            let mut m: std::collections::HashMap<&str, Option<&str>> = Default::default();
            for r in &view.stack.resources {
                m.entry(r.name.as_str())
                    .and_modify(|v| *v = None)
                    .or_insert(Some(r.id.as_str()));
            }
            m
        };
        let ids: HashSet<&str> = view.stack.resources.iter().map(|r| r.id.as_str()).collect();
        let attribute = |r: Option<String>| -> Option<String> {
            let r = r?;
            if ids.contains(r.as_str()) {
                return Some(r);
            }
            names.get(r.as_str()).copied().flatten().map(str::to_string)
        };
        let findings = |members: Vec<Rego>| -> Vec<StackFinding> {
            members
                .iter()
                .map(|m| {
                    let (violation, resource) = violation(m);
                    StackFinding {
                        resource: attribute(resource),
                        found: Found::Violation(violation),
                    }
                })
                .collect()
        };
        match &self.style {
            Style::Guardrail {
                pkg,
                indeterminate,
                stack: true,
                ..
            } => {
                let resources: Vec<Rego> = view
                    .resources()
                    .map(|rv| resource_input(rv.resource, rv.props, self.sight(convert::UNKNOWN)).0)
                    .collect();
                let input = object(vec![
                    ("kind", s("stack")),
                    ("stack", stack_info(view.stack)),
                    ("resources", Rego::from(resources)),
                ]);
                self.with_engine(config, |engine| {
                    engine.set_input(input);
                    let deny = members(&self.eval(engine, format!("data.{pkg}.deny"))?);
                    let paths = if *indeterminate {
                        members(&self.eval(engine, format!("data.{pkg}.indeterminate"))?)
                    } else {
                        Vec::new()
                    };
                    let nothing_denied = deny.is_empty();
                    let mut out = findings(deny);
                    // `{"path": ..., "resource": id-or-name}` leaves that resource undecided,
                    // beside the violations of others; a bare path, the whole stack (when
                    // nothing is denied)
                    let mut whole = Vec::new();
                    for m in &paths {
                        let path = field(m, "path").map_or_else(|| plain(m), plain);
                        match attribute(field(m, "resource").map(plain)) {
                            Some(id) => out.push(StackFinding::unknown(id, path, None)),
                            None => whole.push(path),
                        }
                    }
                    if nothing_denied && !whole.is_empty() {
                        if out.is_empty() {
                            return Err(Halt::unknown(whole.join(", ")));
                        }
                        out.push(StackFinding {
                            resource: None,
                            found: Found::Unknown {
                                path: whole.join(", "),
                                of: None,
                            },
                        });
                    }
                    Ok(out)
                })
            }
            Style::Bridge {
                pkg,
                rule,
                stack: true,
            } => {
                let resources: Vec<Rego> = view
                    .resources()
                    .map(|rv| {
                        bridge_input(rv.resource, rv.props, self.sight(convert::PULUMI_UNKNOWN))
                    })
                    .collect();
                let input = object(vec![("resources", Rego::from(resources))]);
                self.with_engine(config, |engine| {
                    engine.set_input(input);
                    Ok(findings(members(
                        &self.eval(engine, format!("data.{pkg}.{rule}"))?,
                    )))
                })
            }
            Style::Conftest { .. } => {
                let Some(doc) = view.stack.document.as_ref() else {
                    return Err(Halt::error(
                        "the input document was not loaded for this whole-document (conftest) policy",
                    ));
                };
                Ok(findings(self.document_members(doc, config)?))
            }
            _ => Ok(Vec::new()),
        }
    }

    fn remediate(
        &self,
        view: ResourceView<'_>,
        config: &serde_json::Value,
    ) -> Result<Option<Value>, Halt> {
        let Style::Guardrail {
            pkg,
            remediate: true,
            stack: false,
            ..
        } = &self.style
        else {
            return Ok(None);
        };
        let (input, _) = resource_input(view.resource, view.props, self.sight(convert::UNKNOWN));
        let input = with_kind(input, "resource");
        let fixed = self.with_engine(config, |engine| {
            engine.set_input(input);
            self.eval(engine, format!("data.{pkg}.remediate"))
        })?;
        match fixed {
            Rego::Undefined | Rego::Null => Ok(None),
            Rego::Object(_) => {
                let mut redactor = guardrail_core::Redactor::default();
                redactor.add_value(view.props);
                redactor.finish();
                Ok(Some(convert::from_rego(
                    &fixed,
                    convert::UNKNOWN,
                    Some(view.props),
                    &redactor,
                )))
            }
            other => Err(Halt::error(format!(
                "`remediate` must give the fixed props as an object, not {}",
                plain(&other)
            ))),
        }
    }
}
