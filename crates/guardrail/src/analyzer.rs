//! guardrail as a Pulumi policy pack: the analyzer plugin the Pulumi CLI starts for a pack
//! directory whose `PulumiPolicy.yaml` says `runtime: guardrail`.
//!
//! Two ways in, one analyzer:
//! - `pulumi-analyzer-policy-guardrail <engineAddr> <packDir>` (the binary under that name, or
//!   `guardrail pulumi-analyzer ...`): how the CLI starts the analyzer of a pack whose runtime
//!   has no language host; it prints its port on the first line of standard output and serves
//!   `pulumirpc.Analyzer` on 127.0.0.1.
//! - `pulumi-language-guardrail <engineAddr>` (or `guardrail pulumi-language-host ...`): the
//!   language host newer CLIs (v3.27x) ask for first; its `RunPlugin` serves the same analyzer
//!   for the pack directory it is given, in this process, and streams the analyzer's port back.
//!
//! Every call is a front door to the pipeline (`guardrail-run`): a request becomes a
//! [`Stack`](guardrail_core::Stack) given to [`guardrail_run::run_with_config`] with the pack
//! directory's `guardrail.toml`, and the evaluation becomes the response. `Analyze` and
//! `Remediate` run the resource policies on one resource, `AnalyzeStack` the stack policies on
//! every resource. Violations keep their level; an indeterminate outcome is reported as advisory
//! (mandatory only where it blocks, under `strict`); a policy error is mandatory (a check that
//! could not run never passes silently, as `guardrail check` exits 2). Messages are the
//! engine's, secrets already masked. A call that panics or runs past its time limit
//! (`GUARDRAIL_PULUMI_TIMEOUT` seconds, default 300) is an error of that call, not of the
//! plugin.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use guardrail_core::engine::{Evaluation, OutcomeKind};
use guardrail_core::{
    Enforcement, Map, Mode, Operation, PolicyKind, Resource, Severity, Spelling, Stack, Value,
};
use guardrail_pulumi::proto::{self, EnforcementLevel, PolicySeverity};
use guardrail_pulumi::rpc::{self, BoxFuture, BoxStream, RpcResult};
use guardrail_pulumi::value::{struct_to_value, value_to_struct};
use guardrail_run::{
    Document, Input, Observer, Prepared, ReportFormat, ReportRequest, RunOptions, Silent,
};
use serde::Deserialize;
use tonic::{Request, Response, Status};

use crate::remote::Remote;
use crate::UserError;

/// The plugin's name as the CLI looks for it on `PATH`.
pub const ANALYZER_NAME: &str = "pulumi-analyzer-policy-guardrail";
/// The language host's name as the CLI looks for it on `PATH`.
pub const LANGUAGE_HOST_NAME: &str = "pulumi-language-guardrail";

/// The arguments the CLI passes: flags for logging and tracing, then the engine's address and,
/// for the analyzer, the pack directory.
#[derive(Debug, Default, PartialEq)]
pub struct PluginArgs {
    /// The engine's gRPC address.
    pub engine: Option<String>,
    /// The pack directory (default: the working directory).
    pub dir: Option<PathBuf>,
    /// `-v=N`: how much to log to standard error.
    pub verbose: u32,
}

/// Reads the CLI's arguments: `[--logtostderr] [-v=N] [--tracing EP] [--logflow] <engineAddr> [dir]`.
/// Flags the plugin does not use are accepted and ignored, as Pulumi's own plugins do.
pub fn parse_args(args: &[String]) -> Result<PluginArgs, UserError> {
    let mut parsed = PluginArgs::default();
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if let Some(flag) = arg.strip_prefix('-').filter(|f| !f.is_empty()) {
            let flag = flag.trim_start_matches('-');
            let (name, value) = match flag.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (flag, None),
            };
            match name {
                "v" => {
                    let v = match value {
                        Some(v) => v,
                        None => it.next().cloned().unwrap_or_default(),
                    };
                    parsed.verbose = v.parse().map_err(|_| {
                        UserError::new(format!("`-v` takes a number, found `{v}`"))
                            .help("pass `-v=N`, as the Pulumi CLI does")
                    })?;
                }
                "tracing" | "root" => {
                    if value.is_none() {
                        it.next();
                    }
                }
                "logtostderr" | "logflow" => {}
                _ => {
                    return Err(UserError::new(format!("unknown flag `{arg}`")).help(
                        "the Pulumi CLI starts the plugin as `pulumi-analyzer-policy-guardrail [--logtostderr] [-v=N] [--tracing EP] ENGINE_ADDRESS [PACK_DIR]`",
                    ))
                }
            }
        } else {
            positional.push(arg.clone());
        }
    }
    let mut positional = positional.into_iter();
    parsed.engine = positional.next();
    parsed.dir = positional.next().map(PathBuf::from);
    if let Some(extra) = positional.next() {
        return Err(UserError::new(format!("unexpected argument `{extra}`"))
            .help("the plugin takes the engine's address and the pack directory"));
    }
    Ok(parsed)
}

/// `PulumiPolicy.yaml`, the fields guardrail reads.
#[derive(Debug, Default, Deserialize)]
struct PolicyProject {
    #[serde(default)]
    runtime: Option<serde_json::Value>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

/// The stack the CLI runs for (`ConfigureStack`).
#[derive(Clone, Debug, Default)]
struct StackContext {
    organization: Option<String>,
    project: Option<String>,
    stack: Option<String>,
    tags: Map,
    config: Map,
    /// A preview (`true`) or an update (`false`); `None`: not said.
    dry_run: Option<bool>,
}

/// The stack as older CLIs describe it in the plugin's environment (`PULUMI_ORGANIZATION`,
/// `PULUMI_PROJECT`, `PULUMI_STACK`, `PULUMI_CONFIG`); `ConfigureStack` replaces it.
fn context_from_env() -> StackContext {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut context = StackContext {
        organization: var("PULUMI_ORGANIZATION"),
        project: var("PULUMI_PROJECT"),
        stack: var("PULUMI_STACK"),
        dry_run: var("PULUMI_DRY_RUN").map(|v| v.eq_ignore_ascii_case("true")),
        ..StackContext::default()
    };
    let config = var("PULUMI_CONFIG")
        .and_then(|text| {
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text).ok()
        })
        .unwrap_or_default();
    let mut entries: Vec<_> = config.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, value) in entries {
        context.config.insert(key, Value::from_json(value));
    }
    context
}

/// One policy pack directory, loaded once; each call runs the pipeline on its requests.
pub struct Analyzer {
    dir: PathBuf,
    name: String,
    version: String,
    description: String,
    config: guardrail_run::Config,
    config_path: Option<PathBuf>,
    context: Mutex<StackContext>,
    /// Pulumi's policy config from `Configure`, as the JSON `--policy-config` reads.
    policy_config: Mutex<Option<String>>,
    /// The policies, loaded and resolved once: at start, and again only when `Configure` or
    /// the policy service's answer changes them; every call evaluates with them.
    prepared: RwLock<Option<Arc<Prepared>>>,
    info: RwLock<proto::AnalyzerInfo>,
    timeout: Duration,
    /// The policy service (`GUARDRAIL_SERVER`), when there is one.
    service: Option<PolicyService>,
    /// What the pipeline told while loading (a local level the server overrides), for the
    /// engine's log.
    notes: Mutex<Vec<String>>,
    /// What was told already: each note once per process.
    told: Mutex<std::collections::HashSet<String>>,
}

/// The plugin's link to the policy service: the stack's required packs, and the run recorded.
struct PolicyService {
    server: String,
    offline_ok: bool,
    /// Set once the stack's policy is fetched (or taken from the cache, offline).
    remote: Mutex<Option<Remote>>,
    central: Mutex<Option<guardrail_run::Central>>,
    recording: Mutex<Recording>,
}

/// The findings of a CLI run, gathered call by call for the upload: each resource's from its
/// last `Analyze` (resource policies), the stack's from `AnalyzeStack` (stack policies).
#[derive(Default)]
struct Recording {
    resources: std::collections::BTreeMap<String, Recorded>,
    stack: Option<Recorded>,
    remediated: std::collections::BTreeSet<String>,
    /// Uploaded already (at the end of `AnalyzeStack`), or given up.
    done: bool,
}

/// The findings (as the JSON report has them, redacted) and outcome counts of one call.
#[derive(Default)]
struct Recorded {
    findings: Vec<serde_json::Value>,
    counts: std::collections::BTreeMap<&'static str, u64>,
}

/// Collects what the pipeline says while it loads.
#[derive(Default)]
struct Notes(Mutex<Vec<String>>);

impl Observer for Notes {
    fn note(&self, note: &str) {
        if let Ok(mut n) = self.0.lock() {
            n.push(note.to_string());
        }
    }
}

fn user_error(e: guardrail_run::Error) -> UserError {
    let mut u = UserError::new(e.message);
    u.help = e.help;
    u
}

impl Analyzer {
    /// Loads the pack directory: `PulumiPolicy.yaml` (name, version, description) and
    /// `guardrail.toml` (selection, packs, policy settings); the whole pipeline runs once on an
    /// empty stack, so a config error is found before the CLI's first call.
    pub fn load(dir: &Path) -> Result<Analyzer, UserError> {
        let project_file = dir.join("PulumiPolicy.yaml");
        let project: PolicyProject = match std::fs::read_to_string(&project_file) {
            Ok(text) => yaml_serde::from_str(&text).map_err(|e| {
                UserError::new(format!("{}: is not a valid policy project: {e}", project_file.display()))
                    .help("write `runtime: guardrail`, and optionally `name`, `version` and `description`")
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => PolicyProject::default(),
            Err(e) => {
                return Err(UserError::new(format!("cannot read `{}`: {e}", project_file.display())))
            }
        };
        if let Some(runtime) = &project.runtime {
            let name = match runtime {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Object(o) => o
                    .get("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or_default()
                    .to_string(),
                _ => String::new(),
            };
            if name != "guardrail" {
                return Err(UserError::new(format!(
                    "{}: has the runtime `{name}`, not `guardrail`",
                    project_file.display()
                ))
                .help("a pack run by guardrail says `runtime: guardrail`"));
            }
        }
        let config_file = dir.join("guardrail.toml");
        let config_path = config_file.is_file().then_some(config_file);
        let options = RunOptions {
            config: config_path.clone().map(Document::Path),
            ..RunOptions::default()
        };
        let config = guardrail_run::load_config(&options).map_err(user_error)?;
        let name = project
            .name
            .clone()
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "guardrail".to_string());
        let timeout = std::env::var("GUARDRAIL_PULUMI_TIMEOUT")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .filter(|s| *s > 0)
            .map_or(Duration::from_secs(300), Duration::from_secs);
        let service = std::env::var("GUARDRAIL_SERVER")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .map(|server| PolicyService {
                server,
                offline_ok: std::env::var("GUARDRAIL_OFFLINE_OK")
                    .is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes")),
                remote: Mutex::new(None),
                central: Mutex::new(None),
                recording: Mutex::new(Recording::default()),
            });
        let mut analyzer = Analyzer {
            dir: dir.to_path_buf(),
            name,
            version: project
                .version
                .clone()
                .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_string()),
            description: project.description.clone().unwrap_or_default(),
            config,
            config_path,
            context: Mutex::new(context_from_env()),
            policy_config: Mutex::new(None),
            prepared: RwLock::new(None),
            info: RwLock::new(proto::AnalyzerInfo::default()),
            timeout,
            service,
            notes: Mutex::new(Vec::new()),
            told: Mutex::new(std::collections::HashSet::new()),
        };
        let (prepared, info) = analyzer.prepare()?;
        analyzer.prepared = RwLock::new(Some(prepared));
        analyzer.info = RwLock::new(info);
        Ok(analyzer)
    }

    /// Loads and resolves the policies (the pack's config, the CLI's policy config, the
    /// service's required packs): what every later call evaluates with. Returns them with
    /// what `GetAnalyzerInfo` says about them.
    fn prepare(&self) -> Result<(Arc<Prepared>, proto::AnalyzerInfo), UserError> {
        let policy_config = self.policy_config.lock().ok().and_then(|c| c.clone());
        let central = self
            .service
            .as_ref()
            .and_then(|s| s.central.lock().ok().and_then(|c| c.clone()));
        let options = RunOptions {
            config: self.config_path.clone().map(Document::Path),
            policy_config: policy_config.map(|text| Document::Text {
                name: self.dir.join("--policy-pack-config"),
                text,
            }),
            today: std::env::var("GUARDRAIL_TODAY").ok(),
            central,
            ..RunOptions::default()
        };
        let notes = Notes::default();
        let prepared =
            guardrail_run::prepare(&options, &self.config, &notes).map_err(user_error)?;
        let evaluation = self.evaluate_with(&prepared, Vec::new(), false)?.0;
        if let (Ok(mut all), Ok(new)) = (self.notes.lock(), notes.0.into_inner()) {
            all.extend(new);
        }
        Ok((Arc::new(prepared), self.analyzer_info(&evaluation)))
    }

    /// Prepares again (after `Configure`, or the service's answer) and keeps the result.
    fn reload(&self) -> Result<(), UserError> {
        let (prepared, info) = self.prepare()?;
        if let Ok(mut p) = self.prepared.write() {
            *p = Some(prepared);
        }
        if let Ok(mut i) = self.info.write() {
            *i = info;
        }
        Ok(())
    }

    /// Runs the prepared policies on these resources in the stack's context; with `json`, also
    /// renders the JSON report (for the run's upload).
    fn evaluate(
        &self,
        resources: Vec<Resource>,
        json: bool,
    ) -> Result<(Evaluation, Option<String>), UserError> {
        let prepared = self
            .prepared
            .read()
            .ok()
            .and_then(|p| p.clone())
            .ok_or_else(|| UserError::new("the plugin's policies are not loaded"))?;
        self.evaluate_with(&prepared, resources, json)
    }

    fn evaluate_with(
        &self,
        prepared: &Prepared,
        resources: Vec<Resource>,
        json: bool,
    ) -> Result<(Evaluation, Option<String>), UserError> {
        let context = self.context.lock().map(|c| c.clone()).unwrap_or_default();
        let stack = Stack {
            source: format!(
                "pulumi:{}/{}/{}",
                context.organization.as_deref().unwrap_or("-"),
                context.project.as_deref().unwrap_or("-"),
                context.stack.as_deref().unwrap_or("-")
            ),
            format: "pulumi-analyzer".into(),
            organization: context.organization,
            project: context.project,
            stack: context.stack,
            tags: context.tags,
            config: context.config,
            resources,
            document: None,
        };
        let options = RunOptions {
            inputs: vec![Input::Stack(Box::new(stack))],
            reports: if json {
                vec![ReportRequest {
                    format: ReportFormat::Json,
                    ..ReportRequest::default()
                }]
            } else {
                Vec::new()
            },
            ..RunOptions::default()
        };
        let mut result = prepared.run(options, &Silent).map_err(user_error)?;
        let report = result.reports.pop().map(|(_, text)| text);
        let evaluation = result
            .evaluations
            .pop()
            .ok_or_else(|| UserError::new("the pipeline evaluated nothing"))?;
        Ok((evaluation, report))
    }

    /// Fetches the stack's policy from the service once (the stack: `GUARDRAIL_STACK`, else
    /// the one the CLI names), and loads its required packs. Without a service, nothing.
    fn connect(&self) -> Result<(), UserError> {
        let Some(service) = &self.service else {
            return Ok(());
        };
        let mut remote = service
            .remote
            .lock()
            .map_err(|_| UserError::new("the plugin's link to the policy service is broken"))?;
        if remote.is_some() {
            return Ok(());
        }
        let context = self.context.lock().map(|c| c.clone()).unwrap_or_default();
        let stack = std::env::var("GUARDRAIL_STACK")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .or_else(
                || match (&context.organization, &context.project, &context.stack) {
                    (Some(o), Some(p), Some(s)) => Some(format!("{o}/{p}/{s}")),
                    _ => None,
                },
            );
        let args = crate::remote::ServerArgs {
            server: Some(service.server.clone()),
            stack,
            offline_ok: service.offline_ok,
            // GUARDRAIL_CA_CERT, as for every client of the service
            ca_cert: None,
        };
        let about = |e: UserError| {
            let mut u = UserError::new(format!(
                "the policy service `{}`: {}",
                service.server, e.message
            ));
            u.help = e.help.map(|h| {
                h.replace("`--offline-ok`", "`GUARDRAIL_OFFLINE_OK=1`")
                    .replace(
                        "`--stack ORG/PROJECT/STACK`",
                        "`GUARDRAIL_STACK=ORG/PROJECT/STACK`",
                    )
                    .replace("`--server", "`GUARDRAIL_SERVER")
            });
            u
        };
        let Some(mut link) = Remote::from_args(&args).map_err(about)? else {
            return Ok(());
        };
        let notes = Notes::default();
        let central = link.central(&|w| notes.note(w)).map_err(about)?;
        if let (Ok(mut all), Ok(new)) = (self.notes.lock(), notes.0.into_inner()) {
            all.extend(new);
        }
        if let Ok(mut c) = service.central.lock() {
            *c = Some(central);
        }
        *remote = Some(link);
        drop(remote);
        self.reload()
    }

    /// Keeps the findings of a call for the run's upload: those of policies of `kind` only
    /// (`Analyze` reports resource policies, `AnalyzeStack` stack policies).
    fn record(
        &self,
        urn: Option<&str>,
        evaluation: &Evaluation,
        report: Option<&str>,
        kind: PolicyKind,
    ) {
        let Some(service) = &self.service else {
            return;
        };
        let ids: std::collections::HashSet<&str> = evaluation
            .policies
            .iter()
            .filter(|p| p.meta.kind == kind)
            .map(|p| p.meta.id.as_str())
            .collect();
        let mut recorded = Recorded::default();
        for outcome in &evaluation.outcomes {
            let Some(policy) = evaluation.policies.get(outcome.policy) else {
                continue;
            };
            if policy.meta.kind != kind {
                continue;
            }
            let name = match outcome.kind {
                OutcomeKind::Pass => "passed",
                OutcomeKind::Violation if outcome.level == Enforcement::Advisory => "advisory",
                OutcomeKind::Violation => "mandatory",
                OutcomeKind::Indeterminate => "indeterminate",
                OutcomeKind::Error => "errors",
                OutcomeKind::Suppressed => "suppressed",
                OutcomeKind::NotApplicable => "not_applicable",
            };
            *recorded.counts.entry(name).or_default() += 1;
            if outcome.blocking {
                *recorded.counts.entry("blocking").or_default() += 1;
            }
        }
        let report: serde_json::Value = report
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or_default();
        if let Some(findings) = report.get("findings").and_then(|f| f.as_array()) {
            recorded.findings = findings
                .iter()
                .filter(|f| {
                    f.get("policy")
                        .and_then(|p| p.as_str())
                        .is_some_and(|p| ids.contains(p))
                })
                .cloned()
                .collect();
        }
        if let Ok(mut recording) = service.recording.lock() {
            match urn {
                Some(urn) => {
                    recording.resources.insert(urn.to_string(), recorded);
                }
                None => recording.stack = Some(recorded),
            }
        }
    }

    /// Uploads the run once: at the end of `AnalyzeStack`, else at `Cancel`. Returns what to
    /// tell the user; an error when the service refuses it or cannot be reached (unless
    /// `GUARDRAIL_OFFLINE_OK`).
    fn upload(&self) -> Result<Option<String>, UserError> {
        let Some(service) = &self.service else {
            return Ok(None);
        };
        let Ok(remote) = service.remote.lock() else {
            return Ok(None);
        };
        let Some(remote) = remote.as_ref() else {
            return Ok(None);
        };
        let (findings, counts, resources) = {
            let Ok(mut recording) = service.recording.lock() else {
                return Ok(None);
            };
            if recording.done {
                return Ok(None);
            }
            recording.done = true;
            let mut counts: std::collections::BTreeMap<&'static str, u64> = Default::default();
            let mut findings = Vec::new();
            for r in recording.resources.values().chain(recording.stack.iter()) {
                for (k, v) in &r.counts {
                    *counts.entry(k).or_default() += v;
                }
                findings.extend(r.findings.iter().cloned());
            }
            counts.insert("remediated", recording.remediated.len() as u64);
            (findings, counts, recording.resources.len())
        };
        let policies = self
            .info
            .read()
            .map(|i| {
                i.policies
                    .iter()
                    .filter(|p| p.enforcement_level != EnforcementLevel::Disabled as i32)
                    .count()
            })
            .unwrap_or_default();
        let mut summary = serde_json::Map::new();
        summary.insert("resources".into(), resources.into());
        summary.insert("policies".into(), policies.into());
        for key in [
            "passed",
            "mandatory",
            "advisory",
            "remediated",
            "indeterminate",
            "errors",
            "suppressed",
            "not_applicable",
            "blocking",
        ] {
            summary.insert(key.into(), counts.get(key).copied().unwrap_or(0).into());
        }
        let blocked = counts.get("blocking").copied().unwrap_or(0) > 0;
        let report = serde_json::json!({
            "summary": summary,
            "blocked": blocked,
            "findings": findings,
        });
        let dry_run = self
            .context
            .lock()
            .ok()
            .and_then(|c| c.dry_run)
            .unwrap_or(false);
        let kind = if dry_run { "preview" } else { "update" };
        if remote.offline.is_some() {
            return Ok(Some(format!(
                "this run is not recorded: the policy service `{}` could not be reached, and the packs it required at its last answer ran from the cache (`GUARDRAIL_OFFLINE_OK`)",
                service.server
            )));
        }
        let about = |e: UserError| {
            let mut u = UserError::new(format!(
                "the policy service `{}`: {}",
                service.server, e.message
            ));
            u.help = e
                .help
                .map(|h| h.replace("`--offline-ok`", "`GUARDRAIL_OFFLINE_OK=1`"));
            u
        };
        // The plugin sees the resources one call at a time, not as one evaluated input: its runs
        // carry no coverage (counted as "coverage unknown" by the metrics).
        match remote.upload(&report.to_string(), kind, None).map_err(about)? {
            Some(id) => Ok(Some(format!(
                "the {kind} is recorded on the policy service `{}` as run {id}",
                service.server
            ))),
            None => Ok(Some(format!(
                "this run is not recorded: the policy service `{}` could not be reached (`GUARDRAIL_OFFLINE_OK`)",
                service.server
            ))),
        }
    }

    /// What the pipeline and the service said while loading, once.
    fn take_notes(&self) -> Vec<String> {
        let notes = self
            .notes
            .lock()
            .map(|mut n| std::mem::take(&mut *n))
            .unwrap_or_default();
        let Ok(mut told) = self.told.lock() else {
            return notes;
        };
        notes
            .into_iter()
            .filter(|n| told.insert(n.clone()))
            .collect()
    }

    /// The ids of the policies the policy service requires (none without one).
    fn required_policies(&self) -> std::collections::HashSet<String> {
        let prepared = self.prepared.read().ok().and_then(|p| p.clone());
        prepared
            .iter()
            .flat_map(|p| p.packs())
            .filter(|p| p.central)
            .flat_map(|p| &p.policies)
            .map(|p| p.meta().id.clone())
            .collect()
    }

    fn analyzer_info(&self, evaluation: &Evaluation) -> proto::AnalyzerInfo {
        let mut info = proto::AnalyzerInfo {
            name: self.name.clone(),
            display_name: self.name.clone(),
            version: self.version.clone(),
            description: self.description.clone(),
            supports_config: true,
            ..Default::default()
        };
        for policy in &evaluation.policies {
            let meta = &policy.meta;
            let framework = meta
                .frameworks
                .first()
                .map(|f| proto::PolicyComplianceFramework {
                    name: f.framework.clone(),
                    reference: f.controls.join(", "),
                    ..Default::default()
                });
            let config_schema = meta.config_schema.as_ref().map(|schema| {
                let properties = schema
                    .get("properties")
                    .map(|p| value_to_struct(&Value::from_json(p.clone())));
                let required = schema
                    .get("required")
                    .and_then(|r| r.as_array())
                    .map(|r| {
                        r.iter()
                            .filter_map(|s| s.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                proto::PolicyConfigSchema {
                    properties,
                    required,
                }
            });
            info.policies.push(proto::PolicyInfo {
                name: meta.id.clone(),
                display_name: meta.title.clone(),
                description: meta.description.clone(),
                message: meta.remediation.clone(),
                enforcement_level: level(policy.enforcement) as i32,
                config_schema,
                policy_type: match meta.kind {
                    PolicyKind::Resource => proto::PolicyType::Resource,
                    PolicyKind::Stack => proto::PolicyType::Stack,
                } as i32,
                severity: severity(meta.severity) as i32,
                framework,
                tags: meta.topics.clone(),
                remediation_steps: meta.remediation.clone(),
                url: String::new(),
            });
            info.initial_config.insert(
                meta.id.clone(),
                proto::PolicyConfig {
                    enforcement_level: level(policy.enforcement) as i32,
                    properties: None,
                },
            );
        }
        info
    }

    /// Runs `work` on a blocking thread within the time limit; a panic or an overrun is an error
    /// of this call.
    async fn guarded<T: Send + 'static>(
        self: &Arc<Self>,
        what: &'static str,
        work: impl FnOnce(&Analyzer) -> Result<T, UserError> + Send + 'static,
    ) -> Result<T, Status> {
        let me = Arc::clone(self);
        let task = tokio::task::spawn_blocking(move || work(&me));
        match tokio::time::timeout(self.timeout, task).await {
            Ok(Ok(Ok(value))) => Ok(value),
            Ok(Ok(Err(e))) => Err(Status::invalid_argument(match e.help {
                Some(help) => format!("guardrail: {}\n  help: {help}", e.message),
                None => format!("guardrail: {}", e.message),
            })),
            Ok(Err(_)) => Err(Status::internal(format!(
                "guardrail: `{what}` failed unexpectedly (a panic); the other calls go on"
            ))),
            Err(_) => Err(Status::deadline_exceeded(format!(
                "guardrail: `{what}` ran past its time limit of {} s (GUARDRAIL_PULUMI_TIMEOUT)",
                self.timeout.as_secs()
            ))),
        }
    }
}

/// guardrail's level on the wire.
fn level(enforcement: Enforcement) -> EnforcementLevel {
    match enforcement {
        Enforcement::Advisory => EnforcementLevel::Advisory,
        Enforcement::Mandatory => EnforcementLevel::Mandatory,
        Enforcement::Remediate => EnforcementLevel::Remediate,
        Enforcement::Disabled => EnforcementLevel::Disabled,
    }
}

fn severity(severity: Severity) -> PolicySeverity {
    match severity {
        Severity::Low => PolicySeverity::Low,
        Severity::Medium => PolicySeverity::Medium,
        Severity::High => PolicySeverity::High,
        Severity::Critical => PolicySeverity::Critical,
    }
}

/// The resource an `Analyze` or `Remediate` request describes.
fn request_resource(request: &proto::AnalyzeRequest) -> Resource {
    let provider = request
        .provider
        .as_ref()
        .map(|p| p.urn.clone())
        .filter(|u| !u.is_empty());
    let parent = request
        .options
        .as_ref()
        .map(|o| o.parent.clone())
        .filter(|p| !p.is_empty());
    build_resource(
        &request.urn,
        &request.r#type,
        &request.name,
        request.properties.as_ref(),
        provider,
        parent,
    )
}

fn build_resource(
    urn: &str,
    type_: &str,
    name: &str,
    properties: Option<&proto::Struct>,
    provider: Option<String>,
    parent: Option<String>,
) -> Resource {
    let mut resource = Resource::new(urn, type_, Spelling::Pulumi, struct_to_value(properties));
    if !name.is_empty() {
        resource.name = name.to_string();
    }
    // a component has no provider; a custom resource always has one
    resource.mode = if type_.starts_with("pulumi:providers:") {
        Mode::Provider
    } else if provider.is_none() {
        Mode::Component
    } else {
        Mode::Managed
    };
    resource.operation = Operation::Create;
    resource.provider = provider;
    resource.parent = parent;
    resource
}

/// The diagnostics of the outcomes of policies of `kind`.
fn diagnostics(
    analyzer: &Analyzer,
    evaluation: &Evaluation,
    urns: &[String],
    kind: PolicyKind,
) -> proto::AnalyzeResponse {
    let mut response = proto::AnalyzeResponse::default();
    for outcome in &evaluation.outcomes {
        let Some(policy) = evaluation.policies.get(outcome.policy) else {
            continue;
        };
        if policy.meta.kind != kind {
            continue;
        }
        let message = outcome.message.clone().unwrap_or_default();
        let at = outcome
            .path
            .as_deref()
            .map(|p| format!(" (at `{p}`)"))
            .unwrap_or_default();
        let (enforcement, text) = match outcome.kind {
            OutcomeKind::Violation => (
                match outcome.level {
                    Enforcement::Advisory => EnforcementLevel::Advisory,
                    _ => EnforcementLevel::Mandatory,
                },
                format!("{message}{at}"),
            ),
            OutcomeKind::Indeterminate => (
                if outcome.blocking {
                    EnforcementLevel::Mandatory
                } else {
                    EnforcementLevel::Advisory
                },
                format!("indeterminate: {message}{at}"),
            ),
            OutcomeKind::Error => (
                EnforcementLevel::Mandatory,
                format!("the policy failed: {message}"),
            ),
            OutcomeKind::NotApplicable => {
                response.not_applicable.push(proto::PolicyNotApplicable {
                    policy_name: policy.meta.id.clone(),
                    reason: message,
                });
                continue;
            }
            OutcomeKind::Pass | OutcomeKind::Suppressed => continue,
        };
        let urn = outcome
            .resource
            .and_then(|i| urns.get(i))
            .cloned()
            .unwrap_or_default();
        response.diagnostics.push(proto::AnalyzeDiagnostic {
            policy_name: policy.meta.id.clone(),
            policy_pack_name: analyzer.name.clone(),
            policy_pack_version: analyzer.version.clone(),
            description: policy.meta.title.clone(),
            message: text,
            enforcement_level: enforcement as i32,
            urn,
            severity: severity(policy.meta.severity) as i32,
        });
    }
    response
}

/// The analyzer behind `pulumirpc.Analyzer`.
struct Service {
    analyzer: Arc<Analyzer>,
    /// Where the engine listens, for logging back (from the arguments or `Handshake`).
    engine: Mutex<Option<String>>,
}

impl Service {
    /// Logs a warning through the engine, best effort: the CLI shows it with the pack's name.
    fn warn(&self, message: String) {
        let Some(address) = self.engine.lock().ok().and_then(|e| e.clone()) else {
            return;
        };
        tokio::spawn(async move {
            let Some(port) = address
                .rsplit(':')
                .next()
                .and_then(|p| p.parse::<u16>().ok())
            else {
                return;
            };
            if let Ok(channel) = rpc::connect_local(port, Duration::from_secs(2)).await {
                let _ = rpc::EngineClient::new(channel)
                    .log(proto::LogRequest {
                        severity: proto::LogSeverity::Warning as i32,
                        message,
                        ..Default::default()
                    })
                    .await;
            }
        });
    }
}

impl rpc::Analyzer for Service {
    fn handshake(
        self: Arc<Self>,
        request: Request<proto::AnalyzerHandshakeRequest>,
    ) -> BoxFuture<RpcResult<proto::AnalyzerHandshakeResponse>> {
        Box::pin(async move {
            let request = request.into_inner();
            if let Ok(mut engine) = self.engine.lock() {
                *engine = Some(request.engine_address);
            }
            Ok(Response::new(proto::AnalyzerHandshakeResponse {}))
        })
    }

    fn configure_stack(
        self: Arc<Self>,
        request: Request<proto::AnalyzerStackConfigureRequest>,
    ) -> BoxFuture<RpcResult<proto::AnalyzerStackConfigureResponse>> {
        Box::pin(async move {
            let request = request.into_inner();
            let mut context = StackContext {
                organization: Some(request.organization).filter(|s| !s.is_empty()),
                project: Some(request.project).filter(|s| !s.is_empty()),
                stack: Some(request.stack).filter(|s| !s.is_empty()),
                ..StackContext::default()
            };
            let mut tags: Vec<_> = request.tags.into_iter().collect();
            tags.sort();
            for (k, v) in tags {
                context.tags.insert(k, Value::String(v));
            }
            let mut config: Vec<_> = request.config.into_iter().collect();
            config.sort();
            for (k, v) in config {
                // non-string values arrive as JSON text
                let parsed = serde_json::from_str::<serde_json::Value>(&v)
                    .ok()
                    .filter(|j| !j.is_string())
                    .map_or(Value::String(v), Value::from_json);
                let value = if request.config_secret_keys.contains(&k) {
                    Value::Secret(Box::new(parsed))
                } else {
                    parsed
                };
                context.config.insert(k, value);
            }
            context.dry_run = Some(request.dry_run);
            if let Ok(mut slot) = self.analyzer.context.lock() {
                *slot = context;
            }
            // the stack is known now: its required packs are fetched and loaded, once
            let analyzer = Arc::clone(&self.analyzer);
            analyzer.guarded("ConfigureStack", |a| a.connect()).await?;
            Ok(Response::new(proto::AnalyzerStackConfigureResponse {}))
        })
    }

    fn get_plugin_info(
        self: Arc<Self>,
        _request: Request<()>,
    ) -> BoxFuture<RpcResult<proto::PluginInfo>> {
        Box::pin(async move {
            Ok(Response::new(proto::PluginInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
            }))
        })
    }

    fn get_analyzer_info(
        self: Arc<Self>,
        _request: Request<()>,
    ) -> BoxFuture<RpcResult<proto::AnalyzerInfo>> {
        Box::pin(async move {
            // a CLI that sent no ConfigureStack: the stack comes from the environment
            let analyzer = Arc::clone(&self.analyzer);
            analyzer.guarded("GetAnalyzerInfo", |a| a.connect()).await?;
            let info =
                self.analyzer.info.read().map(|i| i.clone()).map_err(|_| {
                    Status::internal("guardrail: the pack's policies are not readable")
                })?;
            Ok(Response::new(info))
        })
    }

    fn configure(
        self: Arc<Self>,
        request: Request<proto::ConfigureAnalyzerRequest>,
    ) -> BoxFuture<RpcResult<()>> {
        Box::pin(async move {
            let mut json = serde_json::Map::new();
            let mut entries: Vec<_> = request.into_inner().policy_config.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            // the CLI sends every policy's schema defaults; those of a policy the service
            // requires are the service's to set, so only its level goes on (to be overridden,
            // with a warning, where it is lower)
            let required = self.analyzer.required_policies();
            for (name, config) in entries {
                let mut entry = match struct_to_value(config.properties.as_ref()).to_json_redacted()
                {
                    serde_json::Value::Object(map) if !required.contains(&name) => map,
                    _ => serde_json::Map::new(),
                };
                let level = EnforcementLevel::try_from(config.enforcement_level)
                    .unwrap_or(EnforcementLevel::Advisory);
                let level = match level {
                    EnforcementLevel::Advisory => "advisory",
                    EnforcementLevel::Mandatory => "mandatory",
                    EnforcementLevel::Disabled => "disabled",
                    EnforcementLevel::Remediate => "remediate",
                };
                entry.insert("enforcementLevel".into(), level.into());
                json.insert(name, serde_json::Value::Object(entry));
            }
            let text = serde_json::Value::Object(json).to_string();
            let analyzer = Arc::clone(&self.analyzer);
            // the configuration is checked now, so that a bad one stops the CLI before any step
            let previous = analyzer
                .policy_config
                .lock()
                .ok()
                .and_then(|mut c| c.replace(text));
            // the policies are loaded again with it, once
            let checked = analyzer.guarded("Configure", |a| a.reload()).await;
            if let Err(status) = checked {
                if let Ok(mut c) = analyzer.policy_config.lock() {
                    *c = previous;
                }
                return Err(status);
            }
            for note in self.analyzer.take_notes() {
                self.warn(format!("guardrail: {note}"));
            }
            Ok(Response::new(()))
        })
    }

    fn remediate(
        self: Arc<Self>,
        request: Request<proto::AnalyzeRequest>,
    ) -> BoxFuture<RpcResult<proto::RemediateResponse>> {
        Box::pin(async move {
            let request = request.into_inner();
            let resource = request_resource(&request);
            let urn = request.urn.clone();
            let (evaluation, _) = self
                .analyzer
                .guarded("Remediate", move |a| a.evaluate(vec![resource], false))
                .await?;
            let mut response = proto::RemediateResponse::default();
            if let Some(fix) = evaluation.remediations.iter().find(|r| r.resource == 0) {
                if let Some(service) = &self.analyzer.service {
                    if let Ok(mut recording) = service.recording.lock() {
                        recording.remediated.insert(urn);
                    }
                }
                let properties = value_to_struct(&fix.props);
                for index in &fix.policies {
                    let Some(policy) = evaluation.policies.get(*index) else {
                        continue;
                    };
                    response.remediations.push(proto::Remediation {
                        policy_name: policy.meta.id.clone(),
                        policy_pack_name: self.analyzer.name.clone(),
                        policy_pack_version: self.analyzer.version.clone(),
                        description: policy.meta.title.clone(),
                        properties: Some(properties.clone()),
                        diagnostic: String::new(),
                    });
                }
            }
            Ok(Response::new(response))
        })
    }

    fn analyze(
        self: Arc<Self>,
        request: Request<proto::AnalyzeRequest>,
    ) -> BoxFuture<RpcResult<proto::AnalyzeResponse>> {
        Box::pin(async move {
            let request = request.into_inner();
            let resource = request_resource(&request);
            let urns = vec![request.urn.clone()];
            let recording = self.analyzer.service.is_some();
            let (evaluation, report) = self
                .analyzer
                .guarded("Analyze", move |a| a.evaluate(vec![resource], recording))
                .await?;
            self.analyzer.record(
                Some(&request.urn),
                &evaluation,
                report.as_deref(),
                PolicyKind::Resource,
            );
            let response = diagnostics(&self.analyzer, &evaluation, &urns, PolicyKind::Resource);
            self.report_errors(&response);
            Ok(Response::new(response))
        })
    }

    fn analyze_stack(
        self: Arc<Self>,
        request: Request<proto::AnalyzeStackRequest>,
    ) -> BoxFuture<RpcResult<proto::AnalyzeResponse>> {
        Box::pin(async move {
            let request = request.into_inner();
            let urns: Vec<String> = request.resources.iter().map(|r| r.urn.clone()).collect();
            let resources: Vec<Resource> = request
                .resources
                .iter()
                .map(|r| {
                    let provider = r
                        .provider
                        .as_ref()
                        .map(|p| p.urn.clone())
                        .filter(|u| !u.is_empty());
                    let parent = Some(r.parent.clone()).filter(|p| !p.is_empty());
                    let mut resource = build_resource(
                        &r.urn,
                        &r.r#type,
                        &r.name,
                        r.properties.as_ref(),
                        provider,
                        parent,
                    );
                    resource.dependencies = r.dependencies.clone();
                    let mut deps: Vec<_> = r.property_dependencies.iter().collect();
                    deps.sort_by(|a, b| a.0.cmp(b.0));
                    for (key, urns) in deps {
                        resource.property_dependencies.insert(
                            key.as_str(),
                            Value::Array(
                                urns.urns.iter().map(|u| Value::String(u.clone())).collect(),
                            ),
                        );
                    }
                    resource
                })
                .collect();
            let recording = self.analyzer.service.is_some();
            let (evaluation, report) = self
                .analyzer
                .guarded("AnalyzeStack", move |a| a.evaluate(resources, recording))
                .await?;
            self.analyzer
                .record(None, &evaluation, report.as_deref(), PolicyKind::Stack);
            let response = diagnostics(&self.analyzer, &evaluation, &urns, PolicyKind::Stack);
            self.report_errors(&response);
            // the CLI is done with the steps: the run is recorded now, or the CLI fails
            let told = Arc::clone(&self.analyzer)
                .guarded("AnalyzeStack", |a| a.upload())
                .await?;
            if let Some(note) = told {
                self.warn(format!("guardrail: {note}"));
            }
            Ok(Response::new(response))
        })
    }

    fn cancel(self: Arc<Self>, _request: Request<()>) -> BoxFuture<RpcResult<()>> {
        Box::pin(async move {
            // a run that ended before AnalyzeStack (an update stopped by a violation) is
            // recorded at shutdown
            let told = Arc::clone(&self.analyzer)
                .guarded("Cancel", |a| a.upload())
                .await;
            match told {
                Ok(Some(note)) => eprintln!("guardrail: {note}"),
                Ok(None) => {}
                Err(status) => eprintln!("{}", status.message()),
            }
            Ok(Response::new(()))
        })
    }
}

impl Service {
    /// Policy errors also reach the engine's log, so that they are seen beside the diagnostics.
    fn report_errors(&self, response: &proto::AnalyzeResponse) {
        for d in &response.diagnostics {
            if d.message.starts_with("the policy failed: ") {
                self.warn(format!(
                    "guardrail policy `{}` on `{}`: {}",
                    d.policy_name, d.urn, d.message
                ));
            }
        }
    }
}

/// Binds 127.0.0.1 on a free port.
async fn bind() -> std::io::Result<(tokio::net::TcpListener, u16)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    Ok((listener, port))
}

fn runtime() -> Result<tokio::runtime::Runtime, UserError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| UserError::new(format!("cannot start the plugin's runtime: {e}")))
}

/// Runs the analyzer plugin: loads the pack, prints the port, serves until the CLI ends it.
pub fn run_analyzer(args: &[String]) -> Result<u8, UserError> {
    let parsed = parse_args(args)?;
    let dir = match parsed.dir {
        Some(dir) => dir,
        None => std::env::current_dir()
            .map_err(|e| UserError::new(format!("cannot read the working directory: {e}")))?,
    };
    let analyzer = Arc::new(Analyzer::load(&dir)?);
    let service = Service {
        analyzer,
        engine: Mutex::new(parsed.engine),
    };
    runtime()?.block_on(async move {
        let (listener, port) = bind()
            .await
            .map_err(|e| UserError::new(format!("cannot listen on 127.0.0.1: {e}")))?;
        announce(port)?;
        tonic::transport::Server::builder()
            .add_service(rpc::AnalyzerServer::new(service))
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener))
            .await
            .map_err(|e| UserError::new(format!("the plugin's server stopped: {e}")))?;
        Ok(0)
    })
}

/// Prints the port on the first line of standard output, as the CLI reads it.
fn announce(port: u16) -> Result<(), UserError> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{port}")
        .and_then(|()| out.flush())
        .map_err(|e| UserError::new(format!("cannot print the port: {e}")))
}

/// The language host: `RunPlugin` serves an analyzer for the pack directory it names.
struct LanguageHost;

impl rpc::LanguageRuntime for LanguageHost {
    fn handshake(
        self: Arc<Self>,
        _request: Request<proto::LanguageHandshakeRequest>,
    ) -> BoxFuture<RpcResult<proto::LanguageHandshakeResponse>> {
        Box::pin(async move { Ok(Response::new(proto::LanguageHandshakeResponse {})) })
    }

    fn get_plugin_info(
        self: Arc<Self>,
        _request: Request<()>,
    ) -> BoxFuture<RpcResult<proto::PluginInfo>> {
        Box::pin(async move {
            Ok(Response::new(proto::PluginInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
            }))
        })
    }

    fn run_plugin(
        self: Arc<Self>,
        request: Request<proto::RunPluginRequest>,
    ) -> BoxFuture<RpcResult<BoxStream<proto::RunPluginResponse>>> {
        Box::pin(async move {
            let request = request.into_inner();
            if request.kind != "analyzer" {
                return Err(Status::invalid_argument(format!(
                    "guardrail runs policy packs only, not a `{}` plugin",
                    request.kind
                )));
            }
            let info = request.info.unwrap_or_default();
            let dir = [
                info.program_directory.as_str(),
                info.root_directory.as_str(),
                request.pwd.as_str(),
            ]
            .into_iter()
            .find(|d| !d.is_empty())
            .map(PathBuf::from)
            .unwrap_or_default();
            let parsed =
                parse_args(&request.args).map_err(|e| Status::invalid_argument(e.message))?;
            let (tx, rx) =
                tokio::sync::mpsc::channel::<Result<proto::RunPluginResponse, Status>>(4);
            let output = |bytes: Vec<u8>, stderr: bool| proto::RunPluginResponse {
                output: Some(if stderr {
                    proto::RunPluginOutput::Stderr(bytes)
                } else {
                    proto::RunPluginOutput::Stdout(bytes)
                }),
            };
            let loaded = tokio::task::spawn_blocking(move || Analyzer::load(&dir)).await;
            let analyzer = match loaded {
                Ok(Ok(analyzer)) => analyzer,
                Ok(Err(e)) => {
                    // the CLI shows the plugin's standard error when it exits without a port
                    let mut text = format!("error: {}\n", e.message);
                    if let Some(help) = e.help {
                        text.push_str(&format!("  help: {help}\n"));
                    }
                    let _ = tx.send(Ok(output(text.into_bytes(), true))).await;
                    let _ = tx
                        .send(Ok(proto::RunPluginResponse {
                            output: Some(proto::RunPluginOutput::Exitcode(2)),
                        }))
                        .await;
                    return Ok(Response::new(stream(rx)));
                }
                Err(_) => {
                    return Err(Status::internal(
                        "guardrail: loading the pack failed unexpectedly",
                    ))
                }
            };
            let service = Service {
                analyzer: Arc::new(analyzer),
                engine: Mutex::new(parsed.engine),
            };
            let (listener, port) = bind()
                .await
                .map_err(|e| Status::internal(format!("cannot listen on 127.0.0.1: {e}")))?;
            let _ = tx
                .send(Ok(output(format!("{port}\n").into_bytes(), false)))
                .await;
            // the analyzer serves until the CLI drops the stream (it kills the plugin that way)
            tokio::spawn(async move {
                let closed = tx.clone();
                let _ = tonic::transport::Server::builder()
                    .add_service(rpc::AnalyzerServer::new(service))
                    .serve_with_incoming_shutdown(
                        tokio_stream::wrappers::TcpListenerStream::new(listener),
                        async move { closed.closed().await },
                    )
                    .await;
                drop(tx);
            });
            Ok(Response::new(stream(rx)))
        })
    }

    fn cancel(self: Arc<Self>, _request: Request<()>) -> BoxFuture<RpcResult<()>> {
        Box::pin(async move { Ok(Response::new(())) })
    }
}

fn stream(
    rx: tokio::sync::mpsc::Receiver<Result<proto::RunPluginResponse, Status>>,
) -> BoxStream<proto::RunPluginResponse> {
    Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx))
}

/// Runs the language host: prints its port, serves until the CLI ends it.
pub fn run_language_host(args: &[String]) -> Result<u8, UserError> {
    parse_args(args)?;
    runtime()?.block_on(async move {
        let (listener, port) = bind()
            .await
            .map_err(|e| UserError::new(format!("cannot listen on 127.0.0.1: {e}")))?;
        announce(port)?;
        tonic::transport::Server::builder()
            .add_service(rpc::LanguageRuntimeServer::new(LanguageHost))
            .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener))
            .await
            .map_err(|e| UserError::new(format!("the language host's server stopped: {e}")))?;
        Ok(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_the_clis_arguments() -> Result<(), String> {
        let parsed = parse_args(&args(&[
            "--logtostderr",
            "-v=9",
            "--tracing",
            "http://t",
            "127.0.0.1:4000",
            ".",
        ]))
        .map_err(|e| e.message)?;
        assert_eq!(parsed.engine.as_deref(), Some("127.0.0.1:4000"));
        assert_eq!(parsed.dir, Some(PathBuf::from(".")));
        assert_eq!(parsed.verbose, 9);
        let parsed = parse_args(&args(&["127.0.0.1:4000"])).map_err(|e| e.message)?;
        assert_eq!(parsed.dir, None);
        let bad = parse_args(&args(&["--bogus", "x"]))
            .err()
            .map(|e| e.message);
        assert_eq!(bad.as_deref(), Some("unknown flag `--bogus`"));
        let extra = parse_args(&args(&["a", "b", "c"])).err().map(|e| e.message);
        assert_eq!(extra.as_deref(), Some("unexpected argument `c`"));
        Ok(())
    }
}
