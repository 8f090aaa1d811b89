//! Compliance reports: for each control of a framework, the rules mapped to it, the resources
//! they evaluated, a status and the evidence.
//!
//! The report is built in two steps, so that every front door can feed it:
//!
//! 1. **Evidence**: each evaluated input becomes an [`InputEvidence`] — the file, its format,
//!    when it was evaluated, and the outcome of each policy on each resource it applies to
//!    (passes included, not-applicable outcomes left out), with the findings' messages (already
//!    redacted by the engine), property paths, fingerprints and exemptions.
//!    [`InputEvidence::from_run`] makes one from a run of the pipeline; the service can make the
//!    same from the outcomes it recorded.
//! 2. **The report**: [`ComplianceReport::build`] takes the frameworks asked for, the policies
//!    mapped to them and the evidence, and decides each control's [`Status`].
//!
//! A control's status, from its mapped rules' outcomes on every input:
//! - `out_of_scope`: the framework list marks it as not decidable from infrastructure code;
//! - `not_covered`: no rule maps to it, or none of its rules applied to any resource of the
//!   inputs — never `pass`;
//! - otherwise the first that holds of `fail` (a violation), `error` (a rule failed),
//!   `indeterminate` (a value known only after apply kept a rule from deciding), `exempted` (a
//!   violation covered by an exemption), `pass`.
//!
//! [`json`](ComplianceReport::to_json), [`markdown`] and [`html`] render it; the JSON schema is
//! `docs/schemas/compliance-report.schema.json`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use guardrail_catalog::{Framework, FrameworkControl};
use guardrail_core::{FrameworkRef, OutcomeKind};

use crate::{baseline, Context, Run};

pub mod html;
pub mod markdown;

/// The schema identifier of the compliance report.
pub const SCHEMA: &str = "guardrail.compliance/v1";

/// What one outcome says about a control.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every evaluated resource complies.
    Pass,
    /// A violation.
    Fail,
    /// Violations, all covered by exemptions.
    Exempted,
    /// A rule needed a value known only after apply.
    Indeterminate,
    /// A rule failed.
    Error,
    /// No rule maps to the control, or none evaluated a resource (none applied, or they were
    /// disabled).
    NotCovered,
    /// The control is about people, processes or documents: no scanner decides it.
    OutOfScope,
}

impl Status {
    /// Every status, in the order reports count them.
    pub const ALL: [Status; 7] = [
        Status::Fail,
        Status::Error,
        Status::Indeterminate,
        Status::Exempted,
        Status::Pass,
        Status::NotCovered,
        Status::OutOfScope,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Exempted => "exempted",
            Status::Indeterminate => "indeterminate",
            Status::Error => "error",
            Status::NotCovered => "not_covered",
            Status::OutOfScope => "out_of_scope",
        }
    }

    /// The name for people: `not covered`, `out of scope`.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotCovered => "not covered",
            Status::OutOfScope => "out of scope",
            other => other.as_str(),
        }
    }

    /// The status of one outcome, `None` for not-applicable.
    fn of(kind: OutcomeKind) -> Option<Status> {
        match kind {
            OutcomeKind::Pass => Some(Status::Pass),
            OutcomeKind::Violation => Some(Status::Fail),
            OutcomeKind::Suppressed => Some(Status::Exempted),
            OutcomeKind::Indeterminate => Some(Status::Indeterminate),
            OutcomeKind::Error => Some(Status::Error),
            OutcomeKind::NotApplicable => None,
        }
    }

    /// How strongly a status speaks for a set of outcomes: a failure outweighs everything.
    fn weight(self) -> u8 {
        match self {
            Status::Fail => 5,
            Status::Error => 4,
            Status::Indeterminate => 3,
            Status::Exempted => 2,
            Status::Pass => 1,
            Status::NotCovered | Status::OutOfScope => 0,
        }
    }

    /// The status of several outcomes together.
    fn worst(statuses: impl IntoIterator<Item = Status>) -> Option<Status> {
        statuses.into_iter().max_by_key(|s| s.weight())
    }
}

/// A policy as the report names it: id, title and the framework controls it maps to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedPolicy {
    /// The policy id, e.g. `AWS-S3-001`.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The frameworks and controls it maps to.
    pub frameworks: Vec<FrameworkRef>,
}

impl MappedPolicy {
    /// The built-in rules, with their mappings.
    pub fn catalog() -> Vec<MappedPolicy> {
        guardrail_catalog::rules()
            .iter()
            .map(|spec| {
                let meta = spec.meta();
                MappedPolicy {
                    id: meta.id,
                    title: meta.title,
                    frameworks: meta.frameworks,
                }
            })
            .collect()
    }

    fn maps_to(&self, framework: &str, control: &str) -> bool {
        self.frameworks
            .iter()
            .any(|f| f.framework == framework && f.controls.iter().any(|c| c == control))
    }
}

/// How an exemption is named in the evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExemptionRef {
    /// Why it was granted.
    pub reason: String,
    /// When it expires (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Who approved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// The ticket that records it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
}

/// The outcome of one policy on one resource (or on the whole input, for a stack rule that
/// found nothing to report), as evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeEvidence {
    /// The policy id.
    pub policy: String,
    /// The resource id (Terraform address or Pulumi URN); `None` for the input as a whole.
    pub resource: Option<String>,
    /// The resource's type as the input spells it.
    pub resource_type: Option<String>,
    /// What the outcome says.
    pub status: Status,
    /// The finding's message, redacted (none for a pass).
    pub message: Option<String>,
    /// The property at fault, redacted.
    pub path: Option<String>,
    /// The finding's stable fingerprint (as in every other report); none for a pass.
    pub fingerprint: Option<String>,
    /// The exemption that covered it.
    pub exemption: Option<ExemptionRef>,
}

/// One evaluated input, as evidence for compliance reports. It serializes (JSON), so that a
/// service can record it with a run and build the report again later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputEvidence {
    /// The file, named as the other reports name it.
    pub file: String,
    /// Its format (`terraform-plan`, `pulumi-stack`, ...).
    pub format: String,
    /// When it was evaluated, RFC 3339 in UTC.
    pub evaluated_at: String,
    /// How many resources it holds.
    pub resources: usize,
    /// The ids of the policies that ran (not disabled) on it.
    #[serde(default)]
    pub policies: Vec<String>,
    /// The outcomes of every policy on every resource it applies to.
    pub outcomes: Vec<OutcomeEvidence>,
}

impl InputEvidence {
    /// The evidence of a run of the pipeline, evaluated at `evaluated_at`.
    ///
    /// Not-applicable outcomes are left out: the resource was not one the rule judges. A
    /// resource that a rule at the `remediate` level would fix counts as failing, with the
    /// "would fix" message: the input as given violates the rule. A stack
    /// rule that found nothing to report counts as evaluated only when the input holds a
    /// resource of a type the rule reads (a rule about S3 buckets passes nothing on a stack
    /// without any).
    pub fn from_run(run: &Run<'_>, ctx: &Context<'_>, evaluated_at: &str) -> InputEvidence {
        let stack = run.stack;
        let evaluation = run.evaluation;
        let types: BTreeSet<String> = stack
            .resources
            .iter()
            .map(|r| guardrail_core::canonical_type(&r.type_).into_owned())
            .collect();
        let mut outcomes = Vec::new();
        for o in &evaluation.outcomes {
            let Some(mut status) = Status::of(o.kind) else {
                continue;
            };
            // A remediate-level rule "passes" a resource it would fix; the input as given
            // still violates it: the fix is only proposed.
            if status == Status::Pass && o.remediated {
                status = Status::Fail;
            }
            let Some(policy) = evaluation.policies.get(o.policy) else {
                continue;
            };
            let resource = o.resource.and_then(|i| stack.resources.get(i));
            if resource.is_none() && status == Status::Pass {
                let reads = &policy.meta.resource_types;
                let relevant = reads.is_empty()
                    || reads
                        .iter()
                        .any(|t| types.contains(guardrail_core::canonical_type(t).as_ref()));
                if !relevant {
                    continue;
                }
            }
            let finding = status != Status::Pass;
            outcomes.push(OutcomeEvidence {
                policy: policy.meta.id.clone(),
                resource: resource.map(|r| r.id.clone()),
                resource_type: resource.map(|r| r.type_.clone()),
                status,
                message: o.message.clone().filter(|_| finding),
                path: o.path.clone().filter(|_| finding),
                fingerprint: finding.then(|| baseline::outcome_fingerprint(stack, evaluation, o)),
                exemption: o
                    .exemption
                    .and_then(|i| ctx.exemptions.get(i))
                    .map(|e| ExemptionRef {
                        reason: e.reason.clone(),
                        expires: e.expires.clone(),
                        approved_by: e.approved_by.clone(),
                        ticket: e.ticket.clone(),
                    }),
            });
        }
        InputEvidence {
            file: ctx.repo_path(&stack.source).into_owned(),
            format: stack.format.clone(),
            evaluated_at: evaluated_at.to_string(),
            resources: stack.resources.len(),
            policies: evaluation
                .policies
                .iter()
                .filter(|p| p.enforcement != guardrail_core::Enforcement::Disabled)
                .map(|p| p.meta.id.clone())
                .collect(),
            outcomes,
        }
    }
}

/// The tool that wrote the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tool {
    /// `guardrail`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
}

/// An input the report covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputEntry {
    /// The file.
    pub file: String,
    /// Its format.
    pub format: String,
    /// Resources it holds.
    pub resources: usize,
    /// When it was evaluated.
    pub evaluated_at: String,
}

/// How much of the framework's list the catalog's rules cover, whatever the inputs hold.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoverageEntry {
    /// Controls in the list guardrail knows.
    pub controls: usize,
    /// Of them, decidable from infrastructure code.
    pub automatable: usize,
    /// Controls at least one rule maps to.
    pub covered: usize,
    /// `covered / controls`, in percent, one decimal.
    pub percent: f64,
}

/// One rule's results under a control.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleEntry {
    /// The rule id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Outcomes it had on resources of the inputs (each resource once per input).
    pub evaluated: usize,
    /// Of them, by status.
    pub pass: usize,
    /// Violations.
    pub fail: usize,
    /// Violations covered by exemptions.
    pub exempted: usize,
    /// Undecided until apply.
    pub indeterminate: usize,
    /// The rule failed.
    pub error: usize,
}

/// A resource evaluated under a control, with its worst outcome over the control's rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResourceEntry {
    /// The input file.
    pub input: String,
    /// The resource id; `null` for the input as a whole (a stack rule).
    pub id: Option<String>,
    /// The resource type.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// Its status under the control.
    pub status: Status,
}

/// One finding that shows a control's status: a violation, an exempted violation, an
/// undecided outcome or a rule's error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceEntry {
    /// The input file.
    pub input: String,
    /// When the input was evaluated.
    pub evaluated_at: String,
    /// The rule.
    pub rule: String,
    /// The resource id; `null` for the input as a whole.
    pub resource: Option<String>,
    /// The resource type.
    #[serde(rename = "type")]
    pub type_: Option<String>,
    /// The outcome's status.
    pub status: Status,
    /// The finding's message (redacted).
    pub message: Option<String>,
    /// The property at fault (redacted).
    pub path: Option<String>,
    /// The finding's stable fingerprint.
    pub fingerprint: Option<String>,
    /// The exemption that covered it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exemption: Option<ExemptionRef>,
}

/// One control of the framework, decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControlEntry {
    /// The control id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Whether infrastructure code can decide it.
    pub automatable: bool,
    /// The control's status.
    pub status: Status,
    /// Why a control is not covered or out of scope.
    pub reason: Option<String>,
    /// The rules mapped to it, with their results.
    pub rules: Vec<RuleEntry>,
    /// The resources its rules evaluated.
    pub resources: Vec<ResourceEntry>,
    /// The findings behind a status other than pass.
    pub evidence: Vec<EvidenceEntry>,
}

/// One framework's part of the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FrameworkEntry {
    /// The slug, e.g. `pci-dss`.
    pub slug: String,
    /// The name.
    pub name: String,
    /// The version.
    pub version: String,
    /// Which controls the list holds, and why.
    pub scope: String,
    /// How much of the list the rules cover.
    pub coverage: CoverageEntry,
    /// Controls by status (every status, zeros included).
    pub summary: BTreeMap<Status, usize>,
    /// Every control of the list, in the framework's order.
    pub controls: Vec<ControlEntry>,
}

/// A compliance report: every framework asked for, over every input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComplianceReport {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The tool that wrote it.
    pub tool: Tool,
    /// When the report was made, RFC 3339 in UTC.
    pub generated_at: String,
    /// The inputs, in the order given.
    pub inputs: Vec<InputEntry>,
    /// The frameworks, in the order asked for.
    pub frameworks: Vec<FrameworkEntry>,
}

impl ComplianceReport {
    /// Decides every control of `frameworks` from the outcomes of `policies` in `inputs`.
    /// `policies` lists every policy that may map to a control, whether it ran or not (a
    /// mapped rule without outcomes leaves its control not covered).
    pub fn build(
        frameworks: &[&Framework],
        policies: &[MappedPolicy],
        inputs: &[InputEvidence],
        generated_at: &str,
    ) -> ComplianceReport {
        let frameworks = frameworks
            .iter()
            .map(|framework| framework_entry(framework, policies, inputs))
            .collect();
        ComplianceReport {
            schema: SCHEMA,
            tool: Tool {
                name: "guardrail",
                version: env!("CARGO_PKG_VERSION"),
            },
            generated_at: generated_at.to_string(),
            inputs: inputs
                .iter()
                .map(|i| InputEntry {
                    file: i.file.clone(),
                    format: i.format.clone(),
                    resources: i.resources,
                    evaluated_at: i.evaluated_at.clone(),
                })
                .collect(),
            frameworks,
        }
    }

    /// Whether a control of any framework fails.
    pub fn fails(&self) -> bool {
        self.count(Status::Fail) > 0
    }

    /// Whether a rule failed on any control.
    pub fn has_errors(&self) -> bool {
        self.count(Status::Error) > 0
    }

    /// Controls with this status, over every framework.
    pub fn count(&self, status: Status) -> usize {
        self.frameworks
            .iter()
            .map(|f| f.summary.get(&status).copied().unwrap_or(0))
            .sum()
    }

    /// The report as JSON (schema [`SCHEMA`]), pretty-printed, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

fn framework_entry(
    framework: &Framework,
    policies: &[MappedPolicy],
    inputs: &[InputEvidence],
) -> FrameworkEntry {
    // each input's outcomes by policy, so that a control reads only its rules' outcomes
    let by_policy: Vec<HashMap<&str, Vec<&OutcomeEvidence>>> = inputs
        .iter()
        .map(|input| {
            let mut map: HashMap<&str, Vec<&OutcomeEvidence>> = HashMap::new();
            for o in &input.outcomes {
                map.entry(o.policy.as_str()).or_default().push(o);
            }
            map
        })
        .collect();
    let controls: Vec<ControlEntry> = framework
        .controls
        .iter()
        .map(|control| control_entry(framework.slug, control, policies, inputs, &by_policy))
        .collect();
    let mut summary: BTreeMap<Status, usize> = Status::ALL.iter().map(|s| (*s, 0)).collect();
    for control in &controls {
        *summary.entry(control.status).or_default() += 1;
    }
    let covered = framework
        .controls
        .iter()
        .filter(|c| policies.iter().any(|p| p.maps_to(framework.slug, &c.id)))
        .count();
    let total = framework.controls.len();
    let percent = if total == 0 {
        0.0
    } else {
        (covered as f64 * 1000.0 / total as f64).round() / 10.0
    };
    FrameworkEntry {
        slug: framework.slug.to_string(),
        name: framework.name.clone(),
        version: framework.version.clone(),
        scope: framework.scope.clone(),
        coverage: CoverageEntry {
            controls: total,
            automatable: framework.controls.iter().filter(|c| c.automatable).count(),
            covered,
            percent,
        },
        summary,
        controls,
    }
}

fn control_entry(
    framework: &str,
    control: &FrameworkControl,
    policies: &[MappedPolicy],
    inputs: &[InputEvidence],
    by_policy: &[HashMap<&str, Vec<&OutcomeEvidence>>],
) -> ControlEntry {
    let mapped: Vec<&MappedPolicy> = policies
        .iter()
        .filter(|p| p.maps_to(framework, &control.id))
        .collect();
    let mut rules = Vec::with_capacity(mapped.len());
    // (input, resource) → worst status, in first-seen order
    let mut resources: Vec<ResourceEntry> = Vec::new();
    let mut resource_at: BTreeMap<(usize, Option<String>), usize> = BTreeMap::new();
    let mut evidence = Vec::new();
    for policy in &mapped {
        let mut entry = RuleEntry {
            id: policy.id.clone(),
            title: policy.title.clone(),
            evaluated: 0,
            pass: 0,
            fail: 0,
            exempted: 0,
            indeterminate: 0,
            error: 0,
        };
        for (i, (input, indexed)) in inputs.iter().zip(by_policy).enumerate() {
            // one status per resource and rule: several violations of one rule on one
            // resource are one failing resource, each its own piece of evidence
            let mut per_resource: BTreeMap<Option<&str>, Status> = BTreeMap::new();
            let outcomes = indexed
                .get(policy.id.as_str())
                .map_or(&[][..], Vec::as_slice);
            for &o in outcomes {
                let slot = per_resource
                    .entry(o.resource.as_deref())
                    .or_insert(o.status);
                if o.status.weight() > slot.weight() {
                    *slot = o.status;
                }
                let key = (i, o.resource.clone());
                match resource_at.get(&key) {
                    Some(&at) => {
                        if let Some(r) = resources.get_mut(at) {
                            if o.status.weight() > r.status.weight() {
                                r.status = o.status;
                            }
                        }
                    }
                    None => {
                        resource_at.insert(key, resources.len());
                        resources.push(ResourceEntry {
                            input: input.file.clone(),
                            id: o.resource.clone(),
                            type_: o.resource_type.clone(),
                            status: o.status,
                        });
                    }
                }
                if o.status != Status::Pass {
                    evidence.push(EvidenceEntry {
                        input: input.file.clone(),
                        evaluated_at: input.evaluated_at.clone(),
                        rule: policy.id.clone(),
                        resource: o.resource.clone(),
                        type_: o.resource_type.clone(),
                        status: o.status,
                        message: o.message.clone(),
                        path: o.path.clone(),
                        fingerprint: o.fingerprint.clone(),
                        exemption: o.exemption.clone(),
                    });
                }
            }
            for status in per_resource.values() {
                entry.evaluated += 1;
                match status {
                    Status::Pass => entry.pass += 1,
                    Status::Fail => entry.fail += 1,
                    Status::Exempted => entry.exempted += 1,
                    Status::Indeterminate => entry.indeterminate += 1,
                    Status::Error => entry.error += 1,
                    Status::NotCovered | Status::OutOfScope => {}
                }
            }
        }
        rules.push(entry);
    }
    let (status, reason) = if !control.automatable {
        (
            Status::OutOfScope,
            Some("decided by people, processes or documents, not by infrastructure code".into()),
        )
    } else if mapped.is_empty() {
        (
            Status::NotCovered,
            Some("no rule maps to this control".to_string()),
        )
    } else {
        let ran = |p: &&&MappedPolicy| inputs.iter().any(|i| i.policies.contains(&p.id));
        let idle: Vec<&str> = mapped
            .iter()
            .filter(|p| !ran(p))
            .map(|p| p.id.as_str())
            .collect();
        match Status::worst(resources.iter().map(|r| r.status)) {
            Some(status) => (status, None),
            None if idle.len() == mapped.len() => (
                Status::NotCovered,
                Some(format!(
                    "its rule{} ({}) did not run (disabled)",
                    if idle.len() == 1 { "" } else { "s" },
                    idle.join(", ")
                )),
            ),
            None => (
                Status::NotCovered,
                Some(format!(
                    "no resource of the inputs is one its rule{} ({}) appl{} to",
                    if mapped.len() == 1 { "" } else { "s" },
                    mapped
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if mapped.len() == 1 { "ies" } else { "y" }
                )),
            ),
        }
    };
    ControlEntry {
        id: control.id.clone(),
        title: control.title.clone(),
        automatable: control.automatable,
        status,
        reason,
        rules,
        resources,
        evidence,
    }
}

/// `seconds` since 1970-01-01 as RFC 3339 in UTC (`2026-12-05T01:52:26Z`).
pub fn rfc3339(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    // civil date of a day count (proleptic Gregorian)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests;
