//! Evaluation: enforcement resolution, remediation, validation, exemptions and outcomes.
//!
//! The semantics (DESIGN.md):
//! - enforcement resolves, lowest to highest: the policy's default < the pack's default < the
//!   config's `all` < the config's per-policy level < a policy group's override; disabled policies
//!   do not run;
//! - remediation runs before validation, packs in the order given and policies in declared order,
//!   each seeing the previous result; a resource still violating after its fix counts as mandatory;
//! - a check that needs an unknown value is indeterminate (blocking only in strict mode, under
//!   mandatory);
//! - a policy that panics or fails gives an error outcome; the rest of the run completes;
//! - no secret plaintext reaches a message, path or error;
//! - resources are evaluated in parallel, and the outcome order is deterministic.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::policy::{
    Enforcement, Found, Halt, Policy, PolicyKind, PolicyMeta, ResourceView, StackView, Verdict,
};
use crate::redact::Redactor;
use crate::resource::{Mode, Operation, Stack};
use crate::types::canonical_type;
use crate::value::Value;

/// A named, ordered set of policies.
#[derive(Clone)]
pub struct Pack {
    /// The pack's name.
    pub name: String,
    /// The pack's version, if it has one.
    pub version: Option<String>,
    /// The pack's default enforcement, overriding each policy's own default when set.
    pub enforcement: Option<Enforcement>,
    /// Required by a policy service's groups for the stack: only exemptions marked central
    /// apply to its policies, and reports mark their findings.
    pub central: bool,
    /// The policies, in declared order.
    pub policies: Vec<Arc<dyn Policy>>,
}

impl std::fmt::Debug for Pack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pack")
            .field("name", &self.name)
            .field("version", &self.version)
            .field("enforcement", &self.enforcement)
            .field("central", &self.central)
            .field("policies", &self.policies.len())
            .finish()
    }
}

/// Per-policy settings from a config file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyOverride {
    /// The level to use.
    pub enforcement: Option<Enforcement>,
    /// Configuration properties, merged over the policy's schema defaults.
    pub config: serde_json::Map<String, serde_json::Value>,
}

/// Enforcement and configuration settings (a config file, or Pulumi's policy-pack config).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicySettings {
    /// The level for every policy (`all`).
    pub all: Option<Enforcement>,
    /// Settings by policy id or name.
    pub policies: HashMap<String, PolicyOverride>,
}

/// An exemption: these policies do not block these resources, for a reason, maybe until a date.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Exemption {
    /// Policy ids or names (globs with `*` and `?`).
    pub policies: Vec<String>,
    /// Resource ids, URNs or addresses (globs with `*` and `?`).
    pub resources: Vec<String>,
    /// Why the exemption was granted.
    pub reason: String,
    /// Last day it applies, `YYYY-MM-DD`.
    pub expires: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// A ticket reference.
    pub ticket: Option<String>,
    /// Granted by the policy service: it may also cover policies its groups require (a local
    /// exemption covers local policies only).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub central: bool,
}

/// Options of one evaluation.
#[derive(Clone, Debug, Default)]
pub struct EvaluationOptions {
    /// Config-file settings.
    pub settings: PolicySettings,
    /// A central policy group's overrides, by policy id or name (highest precedence).
    pub group_overrides: HashMap<String, Enforcement>,
    /// Indeterminate outcomes block under mandatory.
    pub strict: bool,
    /// Exemptions to apply.
    pub exemptions: Vec<Exemption>,
    /// Today, `YYYY-MM-DD`, for exemption expiry; `None` treats no exemption as expired.
    pub today: Option<String>,
}

/// The kind of an outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// Compliant.
    Pass,
    /// A violation.
    Violation,
    /// The policy does not apply.
    NotApplicable,
    /// The check needed a value known only after apply.
    Indeterminate,
    /// The policy failed.
    Error,
    /// A violation covered by an exemption.
    Suppressed,
}

impl OutcomeKind {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Pass => "pass",
            OutcomeKind::Violation => "violation",
            OutcomeKind::NotApplicable => "not_applicable",
            OutcomeKind::Indeterminate => "indeterminate",
            OutcomeKind::Error => "error",
            OutcomeKind::Suppressed => "suppressed",
        }
    }
}

/// The outcome of one policy on one resource (or on the stack).
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// Index into [`Evaluation::policies`].
    pub policy: usize,
    /// Index into the stack's resources; `None` for a stack-level outcome.
    pub resource: Option<usize>,
    /// What happened.
    pub kind: OutcomeKind,
    /// The level this outcome counts at: a remediate policy whose fix did not help counts as
    /// mandatory.
    pub level: Enforcement,
    /// Message (violation, indeterminate, error, not applicable), already redacted.
    pub message: Option<String>,
    /// Property path at fault, already redacted.
    pub path: Option<String>,
    /// Whether this outcome blocks the change.
    pub blocking: bool,
    /// Whether the policy's remediation changed this resource.
    pub remediated: bool,
    /// The exemption that suppressed it, index into [`EvaluationOptions::exemptions`].
    pub exemption: Option<usize>,
}

/// A policy as evaluated: its pack, metadata and resolved level.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyRef {
    /// The pack's name.
    pub pack: String,
    /// The policy's metadata.
    pub meta: PolicyMeta,
    /// The resolved enforcement level.
    pub enforcement: Enforcement,
    /// Required by a policy service's groups (see [`Pack::central`]).
    pub central: bool,
}

/// A resource changed by remediation.
#[derive(Clone, Debug, PartialEq)]
pub struct Remediation {
    /// Index into the stack's resources.
    pub resource: usize,
    /// The policies whose fixes changed it, in the order they ran.
    pub policies: Vec<usize>,
    /// The properties after every fix.
    pub props: Value,
}

/// Counts over an evaluation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Resources evaluated (managed and component resources).
    pub resources: usize,
    /// Policies that ran (not disabled).
    pub policies: usize,
    /// Outcomes that passed.
    pub passed: usize,
    /// Violations counting as mandatory (including remediate policies whose fix did not help).
    pub mandatory: usize,
    /// Advisory violations.
    pub advisory: usize,
    /// Resources changed by remediation.
    pub remediated: usize,
    /// Indeterminate outcomes.
    pub indeterminate: usize,
    /// Policy errors.
    pub errors: usize,
    /// Suppressed violations.
    pub suppressed: usize,
    /// Not-applicable outcomes.
    pub not_applicable: usize,
    /// Blocking outcomes.
    pub blocking: usize,
}

/// The result of evaluating packs on one stack.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Every policy that was considered, in pack then declared order (disabled ones included).
    pub policies: Vec<PolicyRef>,
    /// Outcomes, ordered by resource (stack order; stack-level last), then policy.
    pub outcomes: Vec<Outcome>,
    /// Resources changed by remediation, in stack order.
    pub remediations: Vec<Remediation>,
    /// Which exemptions matched at least one outcome, by index.
    pub exemptions_used: Vec<bool>,
    /// Which exemptions had expired (and so were not applied), by index.
    pub exemptions_expired: Vec<bool>,
    /// Counts.
    pub summary: Summary,
}

impl Evaluation {
    /// Whether anything blocks.
    pub fn blocks(&self) -> bool {
        self.summary.blocking > 0
    }

    /// Whether any policy failed.
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }
}

/// Resolves a level: policy default < pack default < `all` < per-policy < group override.
pub fn resolve_enforcement(
    meta: &PolicyMeta,
    pack: Option<Enforcement>,
    settings: &PolicySettings,
    group: &HashMap<String, Enforcement>,
) -> Enforcement {
    let by_key = |m: &dyn Fn(&str) -> Option<Enforcement>| m(&meta.id).or_else(|| m(&meta.name));
    by_key(&|k| group.get(k).copied())
        .or_else(|| by_key(&|k| settings.policies.get(k).and_then(|o| o.enforcement)))
        .or(settings.all)
        .or(pack)
        .unwrap_or(meta.enforcement)
}

/// The defaults declared in a JSON Schema's top-level `properties`.
pub fn schema_defaults(
    schema: Option<&serde_json::Value>,
) -> serde_json::Map<String, serde_json::Value> {
    schema
        .and_then(|s| s.get("properties"))
        .and_then(serde_json::Value::as_object)
        .map(|props| {
            props
                .iter()
                .filter_map(|(k, p)| p.get("default").map(|d| (k.clone(), d.clone())))
                .collect()
        })
        .unwrap_or_default()
}

/// Matches `*` (any run) and `?` (one character).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == '?' || Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

struct Prepared {
    policy: Arc<dyn Policy>,
    config: serde_json::Value,
    level: Enforcement,
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "the policy panicked".to_string()
    }
}

/// Runs a policy callback, turning a panic into an error.
fn guarded<T>(f: impl FnOnce() -> Result<T, Halt>) -> Result<T, Halt> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => Err(Halt::Error(format!(
            "policy panicked: {}",
            panic_message(payload.as_ref())
        ))),
    }
}

fn outcome(
    policy: usize,
    resource: Option<usize>,
    kind: OutcomeKind,
    level: Enforcement,
) -> Outcome {
    Outcome {
        policy,
        resource,
        kind,
        level,
        message: None,
        path: None,
        blocking: false,
        remediated: false,
        exemption: None,
    }
}

/// What a policy's level means for its violations and indeterminate outcomes.
fn counted_level(level: Enforcement) -> Enforcement {
    match level {
        Enforcement::Remediate => Enforcement::Mandatory,
        other => other,
    }
}

struct ResourceResult {
    outcomes: Vec<Outcome>,
    fixed: Option<(Vec<usize>, Value)>,
}

/// Evaluates packs on a stack.
pub fn evaluate(packs: &[Pack], stack: &Stack, options: &EvaluationOptions) -> Evaluation {
    let mut policies = Vec::new();
    let mut prepared: Vec<Prepared> = Vec::new();
    for pack in packs {
        for policy in &pack.policies {
            let meta = policy.meta();
            let level = resolve_enforcement(
                meta,
                pack.enforcement,
                &options.settings,
                &options.group_overrides,
            );
            let mut config = schema_defaults(meta.config_schema.as_ref());
            let over = options
                .settings
                .policies
                .get(&meta.id)
                .or_else(|| options.settings.policies.get(&meta.name));
            if let Some(over) = over {
                config.extend(over.config.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            policies.push(PolicyRef {
                pack: pack.name.clone(),
                meta: meta.clone(),
                enforcement: level,
                central: pack.central,
            });
            prepared.push(Prepared {
                policy: Arc::clone(policy),
                config: serde_json::Value::Object(config),
                level,
            });
        }
    }

    // Which resource policies apply to which canonical type.
    let mut by_type: HashMap<String, Vec<usize>> = HashMap::new();
    let mut any_type: Vec<usize> = Vec::new();
    let mut stack_policies: Vec<usize> = Vec::new();
    for (pi, p) in prepared.iter().enumerate() {
        if p.level == Enforcement::Disabled {
            continue;
        }
        let meta = p.policy.meta();
        match meta.kind {
            PolicyKind::Stack => stack_policies.push(pi),
            PolicyKind::Resource if meta.resource_types.is_empty() => any_type.push(pi),
            PolicyKind::Resource => {
                let mut canon: Vec<String> = meta
                    .resource_types
                    .iter()
                    .map(|t| canonical_type(t).into_owned())
                    .collect();
                canon.sort_unstable();
                canon.dedup();
                for t in canon {
                    by_type.entry(t).or_default().push(pi);
                }
            }
        }
    }
    // The policies of each type the stack holds, worked out once per type.
    let mut per_type: HashMap<&str, Vec<usize>> = HashMap::new();
    for res in &stack.resources {
        per_type.entry(res.type_.as_str()).or_insert_with(|| {
            let mut list: Vec<usize> = any_type.clone();
            if let Some(typed) = by_type.get(canonical_type(&res.type_).as_ref()) {
                list.extend_from_slice(typed);
            }
            list.sort_unstable();
            list
        });
    }
    let applicable = |type_: &str| -> &[usize] { per_type.get(type_).map_or(&[], Vec::as_slice) };

    let redactor = Redactor::for_stack(stack);
    let redact = |s: String| -> String {
        match redactor.redact(&s) {
            std::borrow::Cow::Borrowed(_) => s,
            std::borrow::Cow::Owned(redacted) => redacted,
        }
    };
    // An indeterminate outcome names what is unknown: a property of its own resource, or of
    // another one (a companion whose naming argument is known only after apply), by id.
    let undecided = |mut o: Outcome, path: String, of: Option<String>| -> Outcome {
        let (message, path) = match of {
            Some(of) => (
                format!(
                    "the `{path}` of `{of}` is known only after apply; the policy cannot decide \
                     yet"
                ),
                format!("{of}.{path}"),
            ),
            None => (
                format!("`{path}` is known only after apply; the policy cannot decide yet"),
                path,
            ),
        };
        o.message = Some(redact(message));
        o.path = Some(redact(path));
        o
    };

    let results: Vec<ResourceResult> = stack
        .resources
        .par_iter()
        .enumerate()
        .map(|(ri, res)| {
            if !matches!(res.mode, Mode::Managed | Mode::Component) {
                return ResourceResult {
                    outcomes: Vec::new(),
                    fixed: None,
                };
            }
            let list = applicable(&res.type_);
            let mut outcomes = Vec::with_capacity(list.len());
            if res.operation == Operation::Delete {
                for &pi in list {
                    let mut o =
                        outcome(pi, Some(ri), OutcomeKind::NotApplicable, prepared[pi].level);
                    o.message = Some("the resource is being deleted".into());
                    outcomes.push(o);
                }
                return ResourceResult {
                    outcomes,
                    fixed: None,
                };
            }

            // Remediation first, in order, each fix seeing the previous result.
            let mut current: Option<Value> = None;
            let mut fixed_by: Vec<usize> = Vec::new();
            let mut failed: HashMap<usize, String> = HashMap::new();
            for &pi in list {
                let p = &prepared[pi];
                if p.level != Enforcement::Remediate {
                    continue;
                }
                let props = current.as_ref().unwrap_or(&res.props);
                let view = ResourceView {
                    resource: res,
                    props,
                };
                match guarded(|| p.policy.remediate(view, &p.config)) {
                    Ok(Some(new)) if new != *props => {
                        current = Some(new);
                        fixed_by.push(pi);
                    }
                    Ok(_) | Err(Halt::Unknown { .. }) => {}
                    Err(Halt::Error(e)) => {
                        failed.insert(pi, format!("remediation failed: {e}"));
                    }
                }
            }

            let props = current.as_ref().unwrap_or(&res.props);
            for &pi in list {
                let p = &prepared[pi];
                let level = counted_level(p.level);
                if let Some(e) = failed.remove(&pi) {
                    let mut o = outcome(pi, Some(ri), OutcomeKind::Error, level);
                    o.message = Some(redact(e));
                    outcomes.push(o);
                    continue;
                }
                let view = ResourceView {
                    resource: res,
                    props,
                };
                let remediated = fixed_by.contains(&pi);
                match guarded(|| p.policy.validate_resource(view, &p.config)) {
                    Ok(Verdict::Pass) => {
                        let mut o = outcome(pi, Some(ri), OutcomeKind::Pass, level);
                        o.remediated = remediated;
                        if remediated {
                            // Say what the fix repaired: the violation on the original props.
                            let original = ResourceView {
                                resource: res,
                                props: &res.props,
                            };
                            if let Ok(Verdict::Violations(vs)) =
                                guarded(|| p.policy.validate_resource(original, &p.config))
                            {
                                let fixed: Vec<String> =
                                    vs.into_iter().map(|v| v.message).collect();
                                o.message =
                                    Some(redact(format!("would fix: {}", fixed.join("; "))));
                            }
                        }
                        outcomes.push(o);
                    }
                    Ok(Verdict::NotApplicable(reason)) => {
                        let mut o = outcome(pi, Some(ri), OutcomeKind::NotApplicable, level);
                        o.message = Some(redact(reason));
                        outcomes.push(o);
                    }
                    Ok(Verdict::Violations(vs)) => {
                        for v in vs {
                            let mut o = outcome(pi, Some(ri), OutcomeKind::Violation, level);
                            o.message = Some(redact(v.message));
                            o.path = v.path.map(redact);
                            o.remediated = remediated;
                            outcomes.push(o);
                        }
                    }
                    Err(Halt::Unknown { path, .. }) => {
                        let mut o = outcome(pi, Some(ri), OutcomeKind::Indeterminate, level);
                        o.message = Some(redact(format!(
                            "`{path}` is known only after apply; the policy cannot decide yet"
                        )));
                        o.path = Some(redact(path));
                        outcomes.push(o);
                    }
                    Err(Halt::Error(e)) => {
                        let mut o = outcome(pi, Some(ri), OutcomeKind::Error, level);
                        o.message = Some(redact(e));
                        outcomes.push(o);
                    }
                }
            }
            // A fix computed from a secret (a policy that copies or transforms one) is secret.
            let fixed = current.map(|mut v| {
                redactor.taint(&mut v);
                (fixed_by, v)
            });
            ResourceResult { outcomes, fixed }
        })
        .collect();

    // Outcomes stay in their per-resource lists until the stack policies have run; then they
    // move into one list sized once (a large plan has millions of them: growing, copying or
    // sorting the list would be the run's peak memory).
    let mut per_resource: Vec<Vec<Outcome>> = Vec::with_capacity(results.len());
    let mut fixes: Vec<Option<(Vec<usize>, Value)>> = Vec::with_capacity(results.len());
    for result in results {
        per_resource.push(result.outcomes);
        fixes.push(result.fixed);
    }
    // The fixed props move into the remediations (not copied), and stack policies see them there.
    let remediations: Vec<Remediation> = fixes
        .into_iter()
        .enumerate()
        .filter_map(|(ri, fix)| {
            fix.map(|(policies, props)| Remediation {
                resource: ri,
                policies,
                props,
            })
        })
        .collect();
    let mut current_props: Vec<&Value> = stack.resources.iter().map(|r| &r.props).collect();
    for rem in &remediations {
        if let Some(slot) = current_props.get_mut(rem.resource) {
            *slot = &rem.props;
        }
    }

    // Stack policies see every resource after remediation.
    let index: HashMap<&str, usize> = stack
        .resources
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let view = StackView {
        stack,
        props: &current_props,
    };
    let stack_outcomes: Vec<Vec<Outcome>> = stack_policies
        .par_iter()
        .map(|&pi| {
            let p = &prepared[pi];
            let level = counted_level(p.level);
            match guarded(|| p.policy.validate_stack(view, &p.config)) {
                Ok(findings) if findings.is_empty() => {
                    vec![outcome(pi, None, OutcomeKind::Pass, level)]
                }
                Ok(findings) => findings
                    .into_iter()
                    .map(|f| {
                        let at = f.resource.as_deref().and_then(|id| index.get(id).copied());
                        match f.found {
                            Found::Violation(v) => {
                                let mut o = outcome(pi, at, OutcomeKind::Violation, level);
                                o.message = Some(redact(v.message));
                                o.path = v.path.map(redact);
                                o
                            }
                            Found::Unknown { path, of } => {
                                let of = of.filter(|of| Some(of) != f.resource.as_ref());
                                undecided(
                                    outcome(pi, at, OutcomeKind::Indeterminate, level),
                                    path,
                                    of,
                                )
                            }
                        }
                    })
                    .collect(),
                Err(Halt::Unknown { path, resource }) => {
                    let at = resource.as_deref().and_then(|id| index.get(id).copied());
                    vec![undecided(
                        outcome(pi, at, OutcomeKind::Indeterminate, level),
                        path,
                        None,
                    )]
                }
                Err(Halt::Error(e)) => {
                    let mut o = outcome(pi, None, OutcomeKind::Error, level);
                    o.message = Some(redact(e));
                    vec![o]
                }
            }
        })
        .collect();
    // Deterministic order: by resource (stack-level last), then policy; a resource's own
    // outcomes before a stack policy's of the same policy index. Each resource's list is in
    // policy order already: the stack policies' outcomes are sorted alone and merged in.
    let mut from_stack: Vec<Outcome> = stack_outcomes.into_iter().flatten().collect();
    from_stack.sort_by_key(|o| (o.resource.unwrap_or(usize::MAX), o.policy));
    let total = per_resource.iter().map(Vec::len).sum::<usize>() + from_stack.len();
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(total);
    let mut from_stack = from_stack.into_iter().peekable();
    for (ri, own) in per_resource.into_iter().enumerate() {
        let mut own = own.into_iter().peekable();
        loop {
            let stack_next = from_stack.peek().filter(|o| o.resource == Some(ri));
            let take_stack = match (own.peek(), stack_next) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(a), Some(b)) => b.policy < a.policy,
            };
            let next = if take_stack {
                from_stack.next()
            } else {
                own.next()
            };
            match next {
                Some(o) => outcomes.push(o),
                None => break,
            }
        }
    }
    // stack-level outcomes, and any naming a resource index the stack does not have
    outcomes.extend(from_stack);

    // Exemptions, then blocking.
    let expired: Vec<bool> = options
        .exemptions
        .iter()
        .map(|e| match (&e.expires, &options.today) {
            (Some(until), Some(today)) => today.as_str() > until.as_str(),
            _ => false,
        })
        .collect();
    let mut used = vec![false; options.exemptions.len()];
    for o in &mut outcomes {
        if matches!(o.kind, OutcomeKind::Violation | OutcomeKind::Indeterminate) {
            let policy = &policies[o.policy];
            let meta = &policy.meta;
            let res_id = o
                .resource
                .and_then(|r| stack.resources.get(r))
                .map(|r| r.id.as_str());
            let hit = options.exemptions.iter().enumerate().position(|(ei, e)| {
                !expired[ei]
                    && (e.central || !policy.central)
                    && e.policies
                        .iter()
                        .any(|p| glob_match(p, &meta.id) || glob_match(p, &meta.name))
                    && match res_id {
                        Some(id) => e.resources.iter().any(|g| glob_match(g, id)),
                        None => e.resources.iter().any(|g| g == "*"),
                    }
            });
            if let Some(ei) = hit {
                used[ei] = true;
                o.kind = OutcomeKind::Suppressed;
                o.exemption = Some(ei);
            }
        }
        o.blocking = match o.kind {
            OutcomeKind::Violation => o.level == Enforcement::Mandatory,
            OutcomeKind::Indeterminate => options.strict && o.level == Enforcement::Mandatory,
            _ => false,
        };
    }

    let mut summary = Summary {
        resources: stack
            .resources
            .iter()
            .filter(|r| matches!(r.mode, Mode::Managed | Mode::Component))
            .count(),
        policies: prepared
            .iter()
            .filter(|p| p.level != Enforcement::Disabled)
            .count(),
        remediated: remediations.len(),
        ..Summary::default()
    };
    for o in &outcomes {
        match o.kind {
            OutcomeKind::Pass => summary.passed += 1,
            OutcomeKind::Violation if o.level == Enforcement::Mandatory => summary.mandatory += 1,
            OutcomeKind::Violation => summary.advisory += 1,
            OutcomeKind::NotApplicable => summary.not_applicable += 1,
            OutcomeKind::Indeterminate => summary.indeterminate += 1,
            OutcomeKind::Error => summary.errors += 1,
            OutcomeKind::Suppressed => summary.suppressed += 1,
        }
        if o.blocking {
            summary.blocking += 1;
        }
    }

    Evaluation {
        policies,
        outcomes,
        remediations,
        exemptions_used: used,
        exemptions_expired: expired,
        summary,
    }
}

#[cfg(test)]
mod tests;
