//! Progressive enforcement: what a policy at another level (or another pack version) would have
//! done to the recorded runs of a window ([`simulate`]), and changing a group's level for a
//! policy when the simulation allows it ([`promote`]).
//!
//! The replay, for each recorded run of the window (of the stacks the group covers, or all):
//! - the policy's stored findings are re-levelled: a violation blocks at `mandatory` and at
//!   nothing else (at `remediate` the fix is assumed to hold, since a stored finding cannot be
//!   fixed again), an indeterminate one blocks only at `mandatory` and only if it blocked when
//!   recorded (strict mode), an error keeps what it did, `disabled` drops them; an exemption of
//!   the service that was active at the run's time still suppresses them;
//! - with a pack version (`NAME@VERSION`), a run whose input is stored (a server-side
//!   evaluation) is evaluated again with that version, and its findings of the policy replace
//!   the stored ones: those new by fingerprint are *new findings*, the stored ones it lacks
//!   *disappear*;
//! - the run is blocked after when one of those blocks, or another policy's finding blocked
//!   it, or it was blocked with no blocking finding at all (a local gate); a run recorded as
//!   `error` stays so.
//!
//! Both are written to the audit log: a simulation as `simulation`/`simulate`, a promotion as
//! `group`/`promote` with the group before and after.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use guardrail_core::Enforcement;
use guardrail_store::{
    ExemptionRecord, NewFinding, Org, ReplayQuery, ReplayRun, Store, StoreError, User,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::groups::{self, GroupSpec, PolicyEntry, ResolvedPack, DEFAULT_GROUP};

/// The window a simulation replays when none is given.
pub const DEFAULT_SINCE: &str = "30d";
/// The share of runs a promotion may block when none is given.
pub const DEFAULT_MAX_BLOCKED_SHARE: f64 = 0.05;

/// What to simulate (the body of `POST /api/v1/orgs/{org}/simulations`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulationRequest {
    /// The policy's id.
    pub policy: String,
    /// The level to simulate it at.
    pub level: Enforcement,
    /// A pack version (`NAME@VERSION`) to evaluate the stored inputs with again.
    #[serde(default)]
    pub pack: Option<String>,
    /// Only the stacks this group covers (default: every stack).
    #[serde(default)]
    pub group: Option<String>,
    /// From: Unix seconds, `YYYY-MM-DD`, or a span back from now (default `30d`).
    #[serde(default)]
    pub since: Option<String>,
    /// Up to (not including), as `since` (default: now).
    #[serde(default)]
    pub until: Option<String>,
}

/// What a simulation found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Simulation {
    /// The policy.
    pub policy: String,
    /// The level simulated.
    pub level: Enforcement,
    /// The pack version the stored inputs were evaluated with, if any.
    pub pack: Option<String>,
    /// The group whose stacks were replayed, if any.
    pub group: Option<String>,
    /// The window: from (Unix seconds).
    pub since: i64,
    /// The window: up to (Unix seconds, not included).
    pub until: i64,
    /// How many runs were replayed.
    pub runs: usize,
    /// How many stacks they belong to.
    pub stacks: usize,
    /// Runs whose stored input was evaluated again (with `pack`).
    pub reevaluated: usize,
    /// Runs blocked as recorded.
    pub blocked_before: usize,
    /// Runs blocked in the simulation.
    pub blocked_after: usize,
    /// `blocked_before / runs` (0 without runs).
    pub blocked_share_before: f64,
    /// `blocked_after / runs` (0 without runs).
    pub blocked_share_after: f64,
    /// Runs the policy itself blocks in the simulation.
    pub blocked_by_policy: usize,
    /// `blocked_by_policy / runs`: what `promote --max-blocked-share` is held against.
    pub blocked_by_policy_share: f64,
    /// The runs whose outcome changes, oldest first.
    pub changed_runs: Vec<RunChange>,
    /// The stacks with a run whose outcome changes, by name.
    pub stacks_affected: Vec<StackChange>,
    /// Findings the re-evaluation finds that the recorded run did not have.
    pub new_findings: Vec<FindingChange>,
    /// Recorded findings the re-evaluation (or `disabled`) no longer has.
    pub disappearing_findings: Vec<FindingChange>,
}

/// A run whose outcome would change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunChange {
    /// The run's id.
    pub run: i64,
    /// `PROJECT/STACK`.
    pub stack: String,
    /// When it was recorded (Unix seconds).
    pub created_at: i64,
    /// `plan` or `state`.
    pub kind: String,
    /// Its outcome as recorded (`passed`, `blocked`, `error`).
    pub before: String,
    /// Its outcome in the simulation.
    pub after: String,
}

/// A stack with runs whose outcome would change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackChange {
    /// `PROJECT/STACK`.
    pub stack: String,
    /// Its runs in the window.
    pub runs: usize,
    /// Runs that would be blocked and were not.
    pub newly_blocked: usize,
    /// Runs that were blocked and would not be.
    pub no_longer_blocked: usize,
}

/// A finding that appears or disappears in the simulation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingChange {
    /// The run's id.
    pub run: i64,
    /// `PROJECT/STACK`.
    pub stack: String,
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// The resource, `None` for a stack-level finding.
    pub resource: Option<String>,
    /// `violation`, `indeterminate`, `error` or `suppressed`.
    pub outcome: String,
    /// The message (redacted, as reports are).
    pub message: String,
}

/// What a promotion asks (the body of `POST /api/v1/orgs/{org}/groups/{group}/promote`,
/// the group from the path).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromoteRequest {
    /// The policy's id.
    pub policy: String,
    /// Its new level in the group.
    pub level: Enforcement,
    /// The largest share of runs (0 to 1) the policy may block in the simulation (default
    /// 0.05).
    #[serde(default)]
    pub max_blocked_share: Option<f64>,
    /// The window simulated, as [`SimulationRequest::since`] (default `30d`).
    #[serde(default)]
    pub since: Option<String>,
    /// Promote even when the simulation blocks more than allowed.
    #[serde(default)]
    pub force: bool,
}

/// What a promotion did (or, refused, would have done).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Promotion {
    /// The group.
    pub group: String,
    /// The policy.
    pub policy: String,
    /// The packs of the group (`NAME@VERSION`) the policy's level was set in.
    pub packs: Vec<String>,
    /// The policy's level in the group before (`None`: the group set none).
    pub from: Option<Enforcement>,
    /// Its level after.
    pub to: Enforcement,
    /// The limit held against the simulation.
    pub max_blocked_share: f64,
    /// Whether the limit was overridden (`force` and the simulation exceeded it).
    pub forced: bool,
    /// Whether the group was changed.
    pub promoted: bool,
    /// The simulation it rests on.
    pub simulation: Simulation,
}

/// Why a simulation or promotion could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    /// The request is wrong (the message says how).
    #[error("{0}")]
    BadRequest(String),
    /// Something it names does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The caller lacks the grant (the message names it).
    #[error("{0}")]
    Forbidden(String),
    /// A promotion refused: the simulation blocks more runs than allowed.
    #[error("{message}")]
    Refused {
        /// Why, with the numbers.
        message: String,
        /// The refused promotion, with its simulation.
        promotion: Box<Promotion>,
    },
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Something went wrong on the server.
    #[error("{0}")]
    Internal(String),
}

fn bad(message: impl Into<String>) -> SimulateError {
    SimulateError::BadRequest(message.into())
}

/// The window of a request, in Unix seconds.
fn window(since: Option<&str>, until: Option<&str>, now: i64) -> Result<(i64, i64), SimulateError> {
    let time = |key: &str, text: &str| {
        crate::api::parse_time(text, now).ok_or_else(|| {
            bad(format!(
                "`{key}` `{text}` is not a time: give Unix seconds, a date `YYYY-MM-DD` or a span back from now such as `30d`"
            ))
        })
    };
    let since = time("since", since.unwrap_or(DEFAULT_SINCE))?;
    let until = match until {
        Some(u) => time("until", u)?,
        None => now + 1,
    };
    if since >= until {
        return Err(bad("`since` must be before `until`"));
    }
    Ok((since, until))
}

/// The organization's groups with their specs (`default` always there).
fn stored_groups(
    store: &dyn Store,
    org_id: i64,
) -> Result<Vec<(String, GroupSpec)>, SimulateError> {
    let mut groups = Vec::new();
    for r in store.groups(org_id)? {
        let spec: GroupSpec = serde_json::from_str(&r.spec).map_err(|e| {
            SimulateError::Internal(format!("the stored group `{}` cannot be read: {e}", r.name))
        })?;
        groups.push((r.name, spec));
    }
    if !groups.iter().any(|(n, _)| n == DEFAULT_GROUP) {
        groups.push((DEFAULT_GROUP.to_owned(), GroupSpec::default()));
    }
    Ok(groups)
}

/// Whether an exemption applied at time `t` (its decisions and expiry as of then).
pub fn active_at(e: &ExemptionRecord, t: i64) -> bool {
    if t < e.requested_at || e.expires_at <= t || e.revoked_at.is_some_and(|r| r <= t) {
        return false;
    }
    let approved_by_then = e.decided_at.is_some_and(|d| d <= t);
    match e.status.as_str() {
        "approved" => approved_by_then || e.break_glass,
        "pending" => e.break_glass,
        // denied: a break-glass one applied until the denial
        "denied" => e.break_glass && !approved_by_then,
        // revoked (after `t`, see above): it applied if it was approved by then or break-glass
        "revoked" => approved_by_then || e.break_glass,
        _ => false,
    }
}

/// A stored finding as re-levelled: whether it blocks at `level` (`None`: it is dropped).
fn relevel(f: &NewFinding, level: Enforcement, exempt: bool) -> Option<bool> {
    if level == Enforcement::Disabled {
        return None;
    }
    Some(match f.outcome.as_str() {
        "violation" => !exempt && level == Enforcement::Mandatory,
        "indeterminate" => !exempt && level == Enforcement::Mandatory && f.blocking,
        "suppressed" => false,
        _ => f.blocking,
    })
}

fn share(n: usize, of: usize) -> f64 {
    if of == 0 {
        return 0.0;
    }
    #[expect(clippy::cast_precision_loss, reason = "run counts are far below 2^53")]
    let s = n as f64 / of as f64;
    s
}

fn parse_pack(pack: &str) -> Result<(String, String), SimulateError> {
    pack.split_once('@')
        .filter(|(n, v)| !n.is_empty() && !v.is_empty())
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .ok_or_else(|| bad(format!("the pack `{pack}` is not `NAME@VERSION`: name a published version, e.g. `platform-guardrails@1.1.0`")))
}

/// Runs a simulation over the recorded runs of `org` and writes it to the audit log as done
/// by the user `by`. Synchronous (it reads the store and may run the pipeline): call it off an
/// async runtime's workers.
pub fn simulate(
    store: &dyn Store,
    org: &Org,
    by: i64,
    request: &SimulationRequest,
    now: i64,
) -> Result<Simulation, SimulateError> {
    let simulation = replay(store, org, request, now)?;
    store.audit_simulation(
        org.id,
        by,
        &request.policy,
        &audit_summary(&simulation),
        now,
    )?;
    Ok(simulation)
}

/// The audit log's record of a simulation: the request and the numbers, not the lists.
fn audit_summary(s: &Simulation) -> Value {
    json!({
        "policy": s.policy, "level": s.level, "pack": s.pack, "group": s.group,
        "since": s.since, "until": s.until, "runs": s.runs, "stacks": s.stacks,
        "reevaluated": s.reevaluated,
        "blocked_before": s.blocked_before, "blocked_after": s.blocked_after,
        "blocked_by_policy": s.blocked_by_policy,
        "changed_runs": s.changed_runs.len(), "stacks_affected": s.stacks_affected.len(),
        "new_findings": s.new_findings.len(), "disappearing_findings": s.disappearing_findings.len(),
    })
}

fn replay(
    store: &dyn Store,
    org: &Org,
    request: &SimulationRequest,
    now: i64,
) -> Result<Simulation, SimulateError> {
    if request.policy.trim().is_empty() {
        return Err(bad(
            "`policy` is empty: name the policy's id, e.g. `AWS-S3-001`",
        ));
    }
    let (since, until) = window(request.since.as_deref(), request.until.as_deref(), now)?;
    let groups = stored_groups(store, org.id)?;
    let scope =
        match &request.group {
            Some(name) => Some(groups.iter().find(|(n, _)| n == name).cloned().ok_or_else(
                || {
                    SimulateError::NotFound(format!(
                        "the organization `{}` has no group `{name}`",
                        org.name
                    ))
                },
            )?),
            None => None,
        };
    let reevaluate = match &request.pack {
        Some(pack) => {
            let (name, version) = parse_pack(pack)?;
            let (_, content) = store.pack_content(org.id, &name, &version)?.ok_or_else(|| {
                SimulateError::NotFound(format!(
                    "the organization `{}` has no pack `{name}` version `{version}`: publish it first (`guardrail pack publish`)",
                    org.name
                ))
            })?;
            Some(Reevaluator::new(
                name,
                version,
                content,
                &request.policy,
                request.level,
            )?)
        }
        None => None,
    };
    let runs = store.replay(
        org.id,
        &ReplayQuery {
            policy: request.policy.clone(),
            since,
            until: Some(until),
        },
    )?;
    let exemptions: Vec<ExemptionRecord> = store
        .exemptions(org.id, None)?
        .into_iter()
        .filter(|e| e.policy == request.policy)
        .collect();
    // Each stack's tags, once, for the group's scope and the resolved config.
    let mut tags: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let mut in_scope: HashMap<String, bool> = HashMap::new();
    let mut sim = Simulation {
        policy: request.policy.clone(),
        level: request.level,
        pack: request.pack.clone(),
        group: request.group.clone(),
        since,
        until,
        runs: 0,
        stacks: 0,
        reevaluated: 0,
        blocked_before: 0,
        blocked_after: 0,
        blocked_share_before: 0.0,
        blocked_share_after: 0.0,
        blocked_by_policy: 0,
        blocked_by_policy_share: 0.0,
        changed_runs: Vec::new(),
        stacks_affected: Vec::new(),
        new_findings: Vec::new(),
        disappearing_findings: Vec::new(),
    };
    let mut per_stack: BTreeMap<String, StackChange> = BTreeMap::new();
    for ReplayRun {
        run,
        findings,
        has_input,
    } in runs
    {
        let (project, name) = run.stack.split_once('/').unwrap_or((&run.stack, ""));
        if !tags.contains_key(&run.stack) {
            let record = store.stack(org.id, project, name)?;
            tags.insert(
                run.stack.clone(),
                record.map(|r| r.tags).unwrap_or_default(),
            );
        }
        let stack_tags = tags.get(&run.stack).cloned().unwrap_or_default();
        let covered = *in_scope.entry(run.stack.clone()).or_insert_with(|| {
            scope.as_ref().is_none_or(|(n, spec)| {
                groups::matches(n, spec, [&org.name, project, name], &stack_tags)
            })
        });
        if !covered {
            continue;
        }
        let exempt = |resource: Option<&str>| {
            exemptions.iter().any(|e| {
                e.project == project
                    && e.stack == name
                    && groups::glob(&e.resource, resource.unwrap_or(""))
                    && active_at(e, run.created_at)
            })
        };
        let (mine, others): (Vec<&NewFinding>, Vec<&NewFinding>) =
            findings.iter().partition(|f| f.policy == request.policy);
        let other_blocks = others.iter().any(|f| f.blocking);
        let any_blocking = findings.iter().any(|f| f.blocking);
        // The policy's findings after: re-evaluated where the input is stored, else as stored.
        let mut after: Vec<NewFinding> = mine.iter().map(|f| (*f).clone()).collect();
        // (At `disabled` nothing is evaluated: every finding of the policy disappears.)
        if let (Some(re), true, false) = (
            &reevaluate,
            has_input,
            request.level == Enforcement::Disabled,
        ) {
            let config = resolved_config(
                &groups,
                [&org.name, project, name],
                &stack_tags,
                re,
                &request.policy,
            );
            if let Some(fresh) = re.run(store, org.id, run.id, config)? {
                sim.reevaluated += 1;
                let old: BTreeSet<&str> = mine.iter().map(|f| f.fingerprint.as_str()).collect();
                let new: BTreeSet<&str> = fresh.iter().map(|f| f.fingerprint.as_str()).collect();
                for f in fresh
                    .iter()
                    .filter(|f| !old.contains(f.fingerprint.as_str()))
                {
                    sim.new_findings.push(change(run.id, &run.stack, f));
                }
                for f in mine
                    .iter()
                    .filter(|f| !new.contains(f.fingerprint.as_str()))
                {
                    sim.disappearing_findings
                        .push(change(run.id, &run.stack, f));
                }
                after = fresh;
            }
        } else if request.level == Enforcement::Disabled {
            for f in &mine {
                sim.disappearing_findings
                    .push(change(run.id, &run.stack, f));
            }
        }
        let policy_blocks = after
            .iter()
            .filter_map(|f| relevel(f, request.level, exempt(f.resource.as_deref())))
            .any(|b| b);
        let blocked_before = run.outcome == "blocked";
        let blocked_after = policy_blocks || other_blocks || (blocked_before && !any_blocking);
        let outcome_after = if run.outcome == "error" {
            "error"
        } else if blocked_after {
            "blocked"
        } else {
            "passed"
        };
        sim.runs += 1;
        sim.blocked_before += usize::from(blocked_before);
        sim.blocked_after += usize::from(outcome_after == "blocked");
        sim.blocked_by_policy += usize::from(policy_blocks);
        let entry = per_stack
            .entry(run.stack.clone())
            .or_insert_with(|| StackChange {
                stack: run.stack.clone(),
                runs: 0,
                newly_blocked: 0,
                no_longer_blocked: 0,
            });
        entry.runs += 1;
        if outcome_after != run.outcome {
            if outcome_after == "blocked" {
                entry.newly_blocked += 1;
            } else if blocked_before {
                entry.no_longer_blocked += 1;
            }
            sim.changed_runs.push(RunChange {
                run: run.id,
                stack: run.stack.clone(),
                created_at: run.created_at,
                kind: run.kind.clone(),
                before: run.outcome.clone(),
                after: outcome_after.to_owned(),
            });
        }
    }
    sim.stacks = per_stack.len();
    sim.stacks_affected = per_stack
        .into_values()
        .filter(|s| s.newly_blocked + s.no_longer_blocked > 0)
        .collect();
    sim.blocked_share_before = share(sim.blocked_before, sim.runs);
    sim.blocked_share_after = share(sim.blocked_after, sim.runs);
    sim.blocked_by_policy_share = share(sim.blocked_by_policy, sim.runs);
    Ok(sim)
}

fn change(run: i64, stack: &str, f: &NewFinding) -> FindingChange {
    FindingChange {
        run,
        stack: stack.to_owned(),
        fingerprint: f.fingerprint.clone(),
        resource: f.resource.clone(),
        outcome: f.outcome.clone(),
        message: f.message.clone(),
    }
}

/// The config the stack's groups give the policy in the pack of that name today.
fn resolved_config(
    groups: &[(String, GroupSpec)],
    stack: [&str; 3],
    tags: &[(String, String)],
    re: &Reevaluator,
    policy: &str,
) -> serde_json::Map<String, Value> {
    let (_, packs) = groups::resolve(groups, stack, tags);
    packs
        .iter()
        .filter(|p| p.name == re.name)
        .find_map(|p| p.policies.get(policy).map(|e| e.config.clone()))
        .unwrap_or_default()
}

/// Evaluates stored inputs again with one pack version, keeping the policy's findings.
struct Reevaluator {
    name: String,
    version: String,
    content: Vec<u8>,
    policy: String,
    level: Enforcement,
}

impl Reevaluator {
    fn new(
        name: String,
        version: String,
        content: Vec<u8>,
        policy: &str,
        level: Enforcement,
    ) -> Result<Reevaluator, SimulateError> {
        let ids: Vec<String> = crate::packs::policies(&content)
            .map_err(|e| {
                SimulateError::Internal(format!("the pack `{name}@{version}` does not load: {e}"))
            })?
            .iter()
            .map(|p| p.meta().id.clone())
            .collect();
        if !ids.iter().any(|id| id == policy) {
            let hint = guardrail_run::select::nearest(policy, ids.iter().map(String::as_str))
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            return Err(bad(format!(
                "the pack `{name}@{version}` has no policy `{policy}`{hint}"
            )));
        }
        Ok(Reevaluator {
            name,
            version,
            content,
            policy: policy.to_owned(),
            level,
        })
    }

    /// The policy's findings in the run's stored input, evaluated with this pack version at
    /// the simulated level (`None` when the run has no stored input).
    fn run(
        &self,
        store: &dyn Store,
        org_id: i64,
        run_id: i64,
        config: serde_json::Map<String, Value>,
    ) -> Result<Option<Vec<NewFinding>>, SimulateError> {
        let Some(input) = store.run_input(org_id, run_id)? else {
            return Ok(None);
        };
        let model: Value = serde_json::from_slice(&input.model).map_err(|e| {
            SimulateError::Internal(format!(
                "the stored input of run {run_id} cannot be read: {e}"
            ))
        })?;
        let stack = crate::model::decode(&model)
            .map_err(|e| SimulateError::Internal(format!("run {run_id}: {e}")))?;
        let level = if self.level == Enforcement::Disabled {
            Enforcement::Advisory
        } else {
            self.level
        };
        let pack = ResolvedPack {
            name: self.name.clone(),
            version: self.version.clone(),
            policies: BTreeMap::from([(
                self.policy.clone(),
                PolicyEntry {
                    level: Some(level),
                    config,
                },
            )]),
            ..ResolvedPack::default()
        };
        let mut nonce = [0u8; 8];
        getrandom::fill(&mut nonce).map_err(|e| SimulateError::Internal(e.to_string()))?;
        let scratch =
            std::env::temp_dir().join(format!("guardrail-simulate-{}", crate::auth::hex(&nonce)));
        let central = groups::central_pack(&pack, &self.content, |files| {
            groups::write_files(&scratch, files)?;
            Ok(scratch.clone())
        });
        let result = central
            .map_err(SimulateError::Internal)
            .and_then(|central| {
                // Only the pack matters: when the policy is a built-in one, selecting it alone
                // leaves the built-in set empty (the pack's policy of that id runs instead).
                let builtin = guardrail_catalog::rules()
                    .iter()
                    .any(|r| r.id == self.policy);
                let options = guardrail_run::RunOptions {
                    inputs: vec![guardrail_run::Input::Stack(Box::new(stack))],
                    select: if builtin {
                        vec![self.policy.clone()]
                    } else {
                        Vec::new()
                    },
                    reports: vec![guardrail_run::ReportRequest {
                        format: guardrail_run::ReportFormat::Json,
                        ..guardrail_run::ReportRequest::default()
                    }],
                    central: Some(guardrail_run::Central {
                        packs: vec![central],
                        exemptions: Vec::new(),
                    }),
                    ..guardrail_run::RunOptions::default()
                };
                guardrail_run::run(options, &guardrail_run::Silent).map_err(|e| {
                    SimulateError::Internal(format!(
                        "evaluating run {run_id} again failed: {}",
                        e.message
                    ))
                })
            });
        let _ = std::fs::remove_dir_all(&scratch);
        let result = result?;
        let report = result
            .reports
            .into_iter()
            .next()
            .map(|(_, text)| text)
            .unwrap_or_default();
        let report: Value =
            serde_json::from_str(&report).map_err(|e| SimulateError::Internal(e.to_string()))?;
        let upload = crate::runs::from_report(&report, crate::runs::RunMeta::default());
        Ok(Some(
            upload
                .findings
                .into_iter()
                .filter(|f| f.policy == self.policy)
                .map(crate::runs::new_finding)
                .collect(),
        ))
    }
}

/// The level a group sets for a policy in a pack entry (its own, else the pack's).
fn group_level(spec: &GroupSpec, packs: &[usize], policy: &str) -> Option<Enforcement> {
    packs
        .iter()
        .filter_map(|&i| spec.packs.get(i))
        .filter_map(|p| p.policies.get(policy).and_then(|e| e.level).or(p.level))
        .reduce(guardrail_run::central::stricter)
}

/// Promotes a policy in a group: simulates the group's stacks at the new level over the window,
/// refuses ([`SimulateError::Refused`]) when the policy would have blocked more than the
/// allowed share of runs unless `force`, else sets the level in every pack of the group that
/// holds the policy. `user` needs the grant on each of those packs. Audited as `promote`.
pub fn promote(
    store: &dyn Store,
    org: &Org,
    user: &User,
    group: &str,
    request: &PromoteRequest,
    now: i64,
) -> Result<Promotion, SimulateError> {
    let max = request
        .max_blocked_share
        .unwrap_or(DEFAULT_MAX_BLOCKED_SHARE);
    if !(0.0..=1.0).contains(&max) {
        return Err(bad(format!(
            "`max_blocked_share` {max} is not a share: give a number from 0 to 1, e.g. 0.05"
        )));
    }
    // The stored text too: the promotion is written only if the group still holds it.
    let expected: Option<String> = store
        .groups(org.id)?
        .into_iter()
        .find(|g| g.name == group)
        .map(|g| g.spec);
    let groups = stored_groups(store, org.id)?;
    let (_, spec) = groups
        .iter()
        .find(|(n, _)| n == group)
        .cloned()
        .ok_or_else(|| {
            SimulateError::NotFound(format!(
                "the organization `{}` has no group `{group}`",
                org.name
            ))
        })?;
    // The group's packs that hold the policy.
    let mut holding = Vec::new();
    for (i, entry) in spec.packs.iter().enumerate() {
        let Some((_, content)) = store.pack_content(org.id, &entry.name, &entry.version)? else {
            continue;
        };
        let policies = crate::packs::policies(&content).map_err(|e| {
            SimulateError::Internal(format!(
                "the pack `{}@{}` does not load: {e}",
                entry.name, entry.version
            ))
        })?;
        if policies.iter().any(|p| p.meta().id == request.policy) {
            holding.push(i);
        }
    }
    if holding.is_empty() {
        return Err(bad(format!(
            "the group `{group}` has no pack with the policy `{}`: add the pack to the group first",
            request.policy
        )));
    }
    let pack_names: Vec<String> = holding
        .iter()
        .filter_map(|&i| spec.packs.get(i))
        .map(|p| format!("{}@{}", p.name, p.version))
        .collect();
    if let Some(p) = holding
        .iter()
        .filter_map(|&i| spec.packs.get(i))
        .find(|p| !user.administers(&p.name))
    {
        return Err(SimulateError::Forbidden(format!(
            "`{}` is not a policy admin of the pack `{}`: only an `admin` or a `policy-admin` granted that pack promotes its policies",
            user.name, p.name
        )));
    }
    let simulation = replay(
        store,
        org,
        &SimulationRequest {
            policy: request.policy.clone(),
            level: request.level,
            pack: None,
            group: Some(group.to_owned()),
            since: request.since.clone(),
            until: None,
        },
        now,
    )?;
    let from = group_level(&spec, &holding, &request.policy);
    let exceeds = simulation.blocked_by_policy_share > max;
    let mut promotion = Promotion {
        group: group.to_owned(),
        policy: request.policy.clone(),
        packs: pack_names,
        from,
        to: request.level,
        max_blocked_share: max,
        forced: exceeds && request.force,
        promoted: false,
        simulation,
    };
    if exceeds && !request.force {
        let s = &promotion.simulation;
        return Err(SimulateError::Refused {
            message: format!(
                "promoting `{}` to {} in `{group}` refused: it would have blocked {} of {} runs ({:.1}%) since {}, more than the allowed {:.1}%; pass `force` to promote anyway",
                request.policy,
                level_name(request.level),
                s.blocked_by_policy,
                s.runs,
                s.blocked_by_policy_share * 100.0,
                crate::simulate::date(s.since),
                max * 100.0
            ),
            promotion: Box::new(promotion),
        });
    }
    let mut new_spec = spec.clone();
    for &i in &holding {
        if let Some(p) = new_spec.packs.get_mut(i) {
            p.policies.entry(request.policy.clone()).or_default().level = Some(request.level);
        }
    }
    let text =
        serde_json::to_string(&new_spec).map_err(|e| SimulateError::Internal(e.to_string()))?;
    promotion.promoted = true;
    let record = json!({
        "policy": promotion.policy, "packs": promotion.packs, "from": promotion.from,
        "to": promotion.to, "forced": promotion.forced, "max_blocked_share": max,
        "simulation": audit_summary(&promotion.simulation),
    });
    store.promote_group(
        org.id,
        guardrail_store::GroupPromotion {
            group,
            expected: expected.as_deref(),
            spec: &text,
            promotion: &record,
        },
        user.id,
        now,
    )?;
    Ok(promotion)
}

/// A level's name.
pub fn level_name(level: Enforcement) -> &'static str {
    match level {
        Enforcement::Advisory => "advisory",
        Enforcement::Mandatory => "mandatory",
        Enforcement::Remediate => "remediate",
        Enforcement::Disabled => "disabled",
    }
}

/// `YYYY-MM-DD` of a Unix time (UTC).
pub fn date(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    // civil from days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exemption(status: &str, break_glass: bool) -> ExemptionRecord {
        ExemptionRecord {
            id: 1,
            project: "app".into(),
            stack: "prod".into(),
            policy: "P".into(),
            resource: "*".into(),
            reason: "r".into(),
            expires: "2030-01-01".into(),
            expires_at: 1000,
            ticket: None,
            break_glass,
            status: status.into(),
            requested_by: "mia".into(),
            requested_at: 100,
            decided_by: None,
            decided_at: None,
            revoked_by: None,
            revoked_at: None,
        }
    }

    #[test]
    fn exemptions_apply_as_of_the_runs_time() {
        let mut e = exemption("approved", false);
        e.decided_at = Some(200);
        assert!(!active_at(&e, 150), "requested, not yet approved");
        assert!(active_at(&e, 200));
        assert!(!active_at(&e, 1000), "expired");
        e.status = "revoked".into();
        e.revoked_at = Some(300);
        assert!(active_at(&e, 250), "revoked later");
        assert!(!active_at(&e, 300));
        let mut bg = exemption("denied", true);
        bg.decided_at = Some(400);
        assert!(active_at(&bg, 150), "break-glass applies at once");
        assert!(!active_at(&bg, 400), "until denied");
        assert!(!active_at(&exemption("pending", false), 150));
        assert!(
            !active_at(&exemption("pending", true), 99),
            "before the request"
        );
    }

    #[test]
    fn dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_767_225_600), "2026-01-01");
    }
}
