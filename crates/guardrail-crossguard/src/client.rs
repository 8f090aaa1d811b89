//! The analyzer client: pack processes started the way the Pulumi CLI starts them, spoken to
//! over Pulumi's analyzer protocol (gRPC on 127.0.0.1), with the engine's side they call back.
//!
//! Several processes run at once (one per core by default), each with several calls in flight
//! on its connection (HTTP/2 streams), so that a pack is never idle waiting for the next
//! request. Every call has a time limit: a process that does not answer in time is ended and
//! its calls become errors of the pack's policies; the other processes take the rest.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use guardrail_core::{Enforcement, PolicyKind, Severity, Value};
use guardrail_pulumi::proto as rpc;
use guardrail_pulumi::rpc::{AnalyzerClient, BoxFuture, Engine, EngineServer, RpcResult};
use guardrail_pulumi::value::{struct_to_value, value_to_struct};
use tonic::transport::{Channel, Endpoint};
use tonic::{Request, Response};

use crate::launch::{self, Command, Process};
use crate::manifest;
use crate::pack::{
    Analysis, Backend, CrossGuardPack, Diagnostic, Fix, PackInfo, PolicyInfo, Setting, StackContext,
};
use crate::shape::Shaped;
use crate::Error;

/// How packs are run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadOptions {
    /// Pack processes run at once.
    pub processes: usize,
    /// Calls in flight on each process.
    pub in_flight: usize,
    /// How long a pack may take to print its port.
    pub start_timeout: Duration,
    /// How long one call may take.
    pub call_timeout: Duration,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            processes: std::thread::available_parallelism().map_or(2, usize::from),
            in_flight: 8,
            start_timeout: Duration::from_secs(120),
            call_timeout: Duration::from_secs(60),
        }
    }
}

impl LoadOptions {
    /// The defaults, with `GUARDRAIL_PACK_PROCESSES`, `GUARDRAIL_PACK_IN_FLIGHT`,
    /// `GUARDRAIL_PACK_START_TIMEOUT` and `GUARDRAIL_PACK_CALL_TIMEOUT` (seconds) over them.
    pub fn from_env() -> Self {
        let mut o = LoadOptions::default();
        let number = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|v| *v > 0.0 && v.is_finite())
        };
        if let Some(n) = number("GUARDRAIL_PACK_PROCESSES") {
            o.processes = (n as usize).clamp(1, 64);
        }
        if let Some(n) = number("GUARDRAIL_PACK_IN_FLIGHT") {
            o.in_flight = (n as usize).clamp(1, 256);
        }
        if let Some(s) = number("GUARDRAIL_PACK_START_TIMEOUT") {
            o.start_timeout = Duration::from_secs_f64(s.min(86400.0));
        }
        if let Some(s) = number("GUARDRAIL_PACK_CALL_TIMEOUT") {
            o.call_timeout = Duration::from_secs_f64(s.min(86400.0));
        }
        o
    }
}

/// Starts the CrossGuard pack in `dir` and asks it to describe itself.
pub fn load(dir: &Path, options: &LoadOptions) -> Result<Arc<CrossGuardPack>, Error> {
    let manifest = manifest::read(dir)?;
    let shown = manifest
        .name
        .clone()
        .unwrap_or_else(|| dir.display().to_string());
    let command = launch::command(dir, &manifest, &shown)?;
    let backend = GrpcBackend::start(command, shown, options.clone())?;
    Ok(CrossGuardPack::new(
        Box::new(backend),
        manifest.name,
        manifest.version,
    ))
}

/// One pack process and its connection.
struct Worker {
    process: Process,
    channel: Channel,
    env: Vec<(String, String)>,
    /// Why it was ended, once it was.
    dead: Mutex<Option<String>>,
}

impl Worker {
    fn dead(&self) -> Option<String> {
        if let Some(why) = self.dead.lock().ok().and_then(|d| d.clone()) {
            return Some(why);
        }
        self.process.exited().map(|status| match status.code() {
            Some(code) => format!("it exited with status {code}"),
            None => "it was ended by a signal".to_string(),
        })
    }

    fn end(&self, why: String) {
        if let Ok(mut d) = self.dead.lock() {
            d.get_or_insert(why);
        }
        self.process.kill();
    }
}

/// The pack's processes, spoken to over gRPC.
struct GrpcBackend {
    /// What the pack logged to the engine.
    logs: Arc<Logs>,
    command: Command,
    pack: String,
    options: LoadOptions,
    runtime: Rt,
    engine: String,
    info: PackInfo,
    workers: Mutex<Vec<Arc<Worker>>>,
    settings: Mutex<Option<BTreeMap<String, Setting>>>,
    next: AtomicUsize,
}

impl GrpcBackend {
    fn start(command: Command, pack: String, options: LoadOptions) -> Result<Self, Error> {
        let built = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| Error::new(format!("cannot start the analyzer client: {e}")))?;
        let runtime = Rt {
            handle: built.handle().clone(),
            owned: Some(built),
        };
        let logs = Arc::new(Logs::default());
        let engine = runtime
            .block_on(serve_engine(Arc::clone(&logs)))
            .map_err(|e| {
                Error::new(format!(
                    "cannot serve the engine for the pack `{pack}`: {e}"
                ))
            })?;
        let mut backend = GrpcBackend {
            logs,
            command,
            pack,
            options,
            runtime,
            engine,
            info: PackInfo::default(),
            workers: Mutex::new(Vec::new()),
            settings: Mutex::new(None),
            next: AtomicUsize::new(0),
        };
        // started as for a stack without names (a Terraform plan), so that such a run keeps it
        let first = backend.spawn(&StackContext::unnamed().env())?;
        backend.info = backend.analyzer_info(&first)?;
        if let Ok(mut w) = backend.workers.lock() {
            w.push(first);
        }
        Ok(backend)
    }

    /// Starts one process with `env`, and connects to it.
    fn spawn(&self, env: &[(String, String)]) -> Result<Arc<Worker>, Error> {
        let process = launch::start(
            &self.command,
            &self.engine,
            env,
            &self.pack,
            self.options.start_timeout,
        )?;
        let endpoint = Endpoint::from_shared(format!("http://127.0.0.1:{}", process.port))
            .map_err(|e| Error::new(format!("the pack `{}` gave a bad address: {e}", self.pack)))?
            .connect_timeout(self.options.start_timeout);
        // the channel's connection task runs on the client's runtime
        let _runtime = self.runtime.handle.enter();
        let channel = endpoint.connect_lazy();
        Ok(Arc::new(Worker {
            process,
            channel,
            env: env.to_vec(),
            dead: Mutex::new(None),
        }))
    }

    /// Runs one call on a worker, within the time limit; a process that does not answer in
    /// time, or whose connection fails, is ended.
    async fn call<T, F, Fut>(&self, worker: &Arc<Worker>, what: &str, f: F) -> Result<T, String>
    where
        F: FnOnce(AnalyzerClient) -> Fut,
        Fut: std::future::Future<Output = Result<T, tonic::Status>>,
    {
        if let Some(why) = worker.dead() {
            return Err(self.gone(worker, &why));
        }
        let client = AnalyzerClient::new(worker.channel.clone());
        match tokio::time::timeout(self.options.call_timeout, f(client)).await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(status)) => {
                // the process died under the call, or the pack answered with an error
                tokio::time::sleep(Duration::from_millis(20)).await;
                if let Some(why) = worker.dead() {
                    return Err(self.gone(worker, &why));
                }
                if matches!(
                    status.code(),
                    tonic::Code::Unavailable | tonic::Code::Cancelled
                ) {
                    worker.end("its connection failed".into());
                    return Err(self.gone(worker, "its connection failed"));
                }
                Err(format!(
                    "the pack `{}` failed {what}: {}",
                    self.pack,
                    status
                        .message()
                        .trim_start_matches("Exception calling application: ")
                        .trim()
                ))
            }
            Err(_) => {
                let why = format!(
                    "it did not answer within {} seconds",
                    self.options.call_timeout.as_secs_f64()
                );
                worker.end(why.clone());
                Err(format!(
                    "the pack `{}` did not answer within {} seconds {what}, and was ended",
                    self.pack,
                    self.options.call_timeout.as_secs_f64()
                ))
            }
        }
    }

    fn gone(&self, worker: &Worker, why: &str) -> String {
        let said = worker.process.stderr_tail();
        let logged = self
            .logs
            .0
            .lock()
            .ok()
            .and_then(|l| l.last().cloned())
            .unwrap_or_default();
        let last = said
            .lines()
            .last()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .unwrap_or(logged.trim());
        if last.is_empty() {
            format!("the pack `{}` stopped: {why}", self.pack)
        } else {
            format!("the pack `{}` stopped: {why}; it said: {last}", self.pack)
        }
    }

    /// Runs `future` on the client's runtime to its end.
    fn block_on<F>(&self, future: F) -> F::Output
    where
        F: std::future::Future + Send,
        F::Output: Send,
    {
        self.runtime.block_on(future)
    }

    fn analyzer_info(&self, worker: &Arc<Worker>) -> Result<PackInfo, Error> {
        let info = self
            .block_on(self.call(worker, "to describe itself", |mut c| async move {
                c.get_analyzer_info(()).await
            }))
            .map_err(Error::new)?;
        Ok(pack_info(info))
    }

    fn live_workers(&self) -> Vec<Arc<Worker>> {
        self.workers
            .lock()
            .map(|w| w.iter().filter(|w| w.dead().is_none()).cloned().collect())
            .unwrap_or_default()
    }

    /// Runs one request per item over the live workers, `in_flight` at a time on each.
    fn many<I, T, F, Fut>(&self, items: &[I], what: &str, f: F) -> Vec<Result<T, String>>
    where
        I: Sync,
        T: Send + 'static,
        F: Fn(AnalyzerClient, &I) -> Fut + Sync,
        Fut: std::future::Future<Output = Result<T, tonic::Status>> + Send,
    {
        let workers = self.workers.lock().map(|w| w.clone()).unwrap_or_default();
        if workers.is_empty() {
            return items
                .iter()
                .map(|_| Err(format!("the pack `{}` is not running", self.pack)))
                .collect();
        }
        let limit = Arc::new(tokio::sync::Semaphore::new(
            self.options.in_flight.max(1) * workers.len(),
        ));
        let per_worker: Vec<Arc<tokio::sync::Semaphore>> = workers
            .iter()
            .map(|_| Arc::new(tokio::sync::Semaphore::new(self.options.in_flight.max(1))))
            .collect();
        self.block_on(async {
            let calls = items.iter().enumerate().map(|(i, item)| {
                let limit = Arc::clone(&limit);
                let per_worker = &per_worker;
                let workers = &workers;
                let f = &f;
                async move {
                    let _all = limit.acquire().await;
                    // the item's own worker, or the next live one when it has died
                    let start = (i + self.next.load(Ordering::Relaxed)) % workers.len();
                    let mut last = String::new();
                    for k in 0..workers.len() {
                        let w = (start + k) % workers.len();
                        let (Some(worker), Some(sem)) = (workers.get(w), per_worker.get(w)) else {
                            continue;
                        };
                        if let Some(why) = worker.dead() {
                            last = self.gone(worker, &why);
                            continue;
                        }
                        let _slot = sem.acquire().await;
                        match self.call(worker, what, |c| f(c, item)).await {
                            Err(e) if worker.dead().is_some() => last = e,
                            other => return other,
                        }
                        // the worker died under this call: the error stands for this item
                        return Err(last);
                    }
                    Err(if last.is_empty() {
                        format!("the pack `{}` is not running", self.pack)
                    } else {
                        last
                    })
                }
            });
            // polled as each wakes, not all at every wake: thousands of calls stay cheap
            futures_util::future::join_all(calls).await
        })
    }
}

impl Backend for GrpcBackend {
    fn info(&self) -> &PackInfo {
        &self.info
    }

    fn configure(&self, settings: &BTreeMap<String, Setting>) -> Result<(), Error> {
        if let Ok(mut s) = self.settings.lock() {
            *s = Some(settings.clone());
        }
        for worker in self.live_workers() {
            self.configure_worker(&worker, settings)?;
        }
        Ok(())
    }

    fn begin_stack(&self, context: &StackContext) -> Result<(), Error> {
        let env = context.env();
        let mut workers = self.workers.lock().map(|w| w.clone()).unwrap_or_default();
        // processes started with another stack's environment give way
        workers.retain(|w| {
            let keep = w.env == env && w.dead().is_none();
            if !keep {
                w.end("started for another stack".into());
            }
            keep
        });
        let wanted = self.options.processes.max(1);
        let settings = self.settings.lock().ok().and_then(|s| s.clone());
        let started: Vec<Result<Arc<Worker>, Error>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (workers.len()..wanted)
                .map(|_| {
                    scope.spawn(|| {
                        let w = self.spawn(&env)?;
                        if let Some(settings) = &settings {
                            self.configure_worker(&w, settings)?;
                        }
                        Ok(w)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Error::new("starting a pack process failed")))
                })
                .collect()
        });
        for s in started {
            workers.push(s?);
        }
        let request = rpc::AnalyzerStackConfigureRequest {
            stack: context.stack.clone(),
            project: context.project.clone(),
            organization: context.organization.clone().unwrap_or_default(),
            dry_run: context.dry_run,
            config: context.config.clone().into_iter().collect(),
            tags: context.tags.clone().into_iter().collect(),
            ..Default::default()
        };
        for worker in &workers {
            let request = request.clone();
            let answer = self.block_on(self.call(
                worker,
                "to configure the stack",
                |mut c| async move { c.configure_stack(request).await },
            ));
            // packs of SDKs older than the call do not know it: the CLI goes on too
            if let Err(e) = answer {
                if worker.dead().is_some() {
                    return Err(Error::new(e));
                }
            }
        }
        if let Ok(mut w) = self.workers.lock() {
            *w = workers;
        }
        Ok(())
    }

    fn analyze_many(&self, resources: &[Shaped]) -> Vec<Result<Analysis, String>> {
        let what = |r: &Shaped| format!("to analyze `{}`", r.name);
        let requests: Vec<(String, rpc::AnalyzeRequest)> = resources
            .iter()
            .map(|r| (what(r), analyze_request(r)))
            .collect();
        self.many(&requests, "to analyze a resource", |mut c, (_, req)| {
            let req = req.clone();
            async move { c.analyze(req).await }
        })
        .into_iter()
        .map(|r| r.map(|a| analysis(a, &self.info)))
        .collect()
    }

    fn remediate_many(&self, resources: &[Shaped]) -> Vec<Result<Vec<Fix>, String>> {
        let requests: Vec<rpc::AnalyzeRequest> = resources.iter().map(analyze_request).collect();
        self.many(&requests, "to remediate a resource", |mut c, req| {
            let req = req.clone();
            async move { c.remediate(req).await }
        })
        .into_iter()
        .map(|r| {
            r.map(|answer| {
                answer
                    .remediations
                    .into_iter()
                    .map(|fix| Fix {
                        policy: fix.policy_name,
                        props: fix.properties.map(|p| struct_to_value(Some(&p))),
                        diagnostic: fix.diagnostic,
                    })
                    .collect()
            })
        })
        .collect()
    }

    fn analyze_stack(&self, resources: &[Shaped]) -> Result<Analysis, String> {
        let request = rpc::AnalyzeStackRequest {
            resources: resources.iter().map(analyzer_resource).collect(),
        };
        let workers = self.live_workers();
        let Some(worker) = workers.first() else {
            return Err(format!("the pack `{}` is not running", self.pack));
        };
        self.block_on(
            self.call(worker, "to analyze the stack", |mut c| async move {
                c.analyze_stack(request).await
            }),
        )
        .map(|a| analysis(a, &self.info))
    }
}

impl GrpcBackend {
    fn configure_worker(
        &self,
        worker: &Arc<Worker>,
        settings: &BTreeMap<String, Setting>,
    ) -> Result<(), Error> {
        let request = rpc::ConfigureAnalyzerRequest {
            policy_config: settings
                .iter()
                .map(|(name, s)| {
                    (
                        name.clone(),
                        rpc::PolicyConfig {
                            enforcement_level: enforcement_to_rpc(s.enforcement).into(),
                            properties: Some(value_to_struct(&Value::from_json(
                                serde_json::Value::Object(s.config.clone()),
                            ))),
                        },
                    )
                })
                .collect(),
        };
        self.block_on(
            self.call(worker, "to take its configuration", |mut c| async move {
                c.configure(request).await
            }),
        )
        .map(|_| ())
        .map_err(Error::new)
    }
}

fn analyze_request(r: &Shaped) -> rpc::AnalyzeRequest {
    rpc::AnalyzeRequest {
        r#type: r.type_.clone(),
        properties: Some(value_to_struct(&r.props)),
        urn: r.urn.clone(),
        name: r.name.clone(),
        options: Some(rpc::AnalyzerResourceOptions {
            parent: r.parent.clone().unwrap_or_default(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn analyzer_resource(r: &Shaped) -> rpc::AnalyzerResource {
    rpc::AnalyzerResource {
        r#type: r.type_.clone(),
        properties: Some(value_to_struct(&r.props)),
        urn: r.urn.clone(),
        name: r.name.clone(),
        options: Some(rpc::AnalyzerResourceOptions {
            parent: r.parent.clone().unwrap_or_default(),
            ..Default::default()
        }),
        parent: r.parent.clone().unwrap_or_default(),
        dependencies: r.dependencies.clone(),
        property_dependencies: r
            .property_dependencies
            .iter()
            .map(|(k, urns)| {
                (
                    k.clone(),
                    rpc::AnalyzerPropertyDependencies { urns: urns.clone() },
                )
            })
            .collect(),
        ..Default::default()
    }
}

fn analysis(a: rpc::AnalyzeResponse, _info: &PackInfo) -> Analysis {
    Analysis {
        diagnostics: a
            .diagnostics
            .into_iter()
            .map(|d| Diagnostic {
                policy: d.policy_name,
                message: d.message,
                urn: Some(d.urn).filter(|u| !u.is_empty()),
                level: enforcement_from_rpc(d.enforcement_level),
            })
            .collect(),
        not_applicable: a
            .not_applicable
            .into_iter()
            .map(|n| (n.policy_name, n.reason))
            .collect(),
    }
}

fn enforcement_from_rpc(level: i32) -> Enforcement {
    match rpc::EnforcementLevel::try_from(level) {
        Ok(rpc::EnforcementLevel::Mandatory) => Enforcement::Mandatory,
        Ok(rpc::EnforcementLevel::Disabled) => Enforcement::Disabled,
        Ok(rpc::EnforcementLevel::Remediate) => Enforcement::Remediate,
        _ => Enforcement::Advisory,
    }
}

fn enforcement_to_rpc(level: Enforcement) -> rpc::EnforcementLevel {
    match level {
        Enforcement::Advisory => rpc::EnforcementLevel::Advisory,
        Enforcement::Mandatory => rpc::EnforcementLevel::Mandatory,
        Enforcement::Remediate => rpc::EnforcementLevel::Remediate,
        Enforcement::Disabled => rpc::EnforcementLevel::Disabled,
    }
}

fn pack_info(info: rpc::AnalyzerInfo) -> PackInfo {
    let schema = |s: Option<rpc::PolicyConfigSchema>| {
        s.map(|s| {
            let mut out = serde_json::Map::new();
            out.insert("type".into(), "object".into());
            let props = s
                .properties
                .map(|p| struct_to_value(Some(&p)).to_json_redacted())
                .unwrap_or_else(|| serde_json::json!({}));
            out.insert("properties".into(), props);
            if !s.required.is_empty() {
                out.insert("required".into(), s.required.into());
            }
            serde_json::Value::Object(out)
        })
    };
    PackInfo {
        name: info.name,
        version: info.version,
        description: info.description,
        policies: info
            .policies
            .into_iter()
            .map(|p| PolicyInfo {
                name: p.name,
                display_name: p.display_name,
                description: p.description,
                enforcement: enforcement_from_rpc(p.enforcement_level),
                severity: match rpc::PolicySeverity::try_from(p.severity) {
                    Ok(rpc::PolicySeverity::Low) => Some(Severity::Low),
                    Ok(rpc::PolicySeverity::Medium) => Some(Severity::Medium),
                    Ok(rpc::PolicySeverity::High) => Some(Severity::High),
                    Ok(rpc::PolicySeverity::Critical) => Some(Severity::Critical),
                    _ => None,
                },
                kind: match rpc::PolicyType::try_from(p.policy_type) {
                    Ok(rpc::PolicyType::Stack) => PolicyKind::Stack,
                    _ => PolicyKind::Resource,
                },
                config_schema: schema(p.config_schema),
                remediation_steps: p.remediation_steps,
                url: p.url,
                framework: p.framework.map(|f| {
                    if f.version.is_empty() {
                        f.name
                    } else {
                        format!("{} {}", f.name, f.version)
                    }
                }),
                tags: p.tags,
            })
            .collect(),
        initial_config: info
            .initial_config
            .into_iter()
            .map(|(k, c)| {
                let level =
                    (c.enforcement_level != 0).then(|| enforcement_from_rpc(c.enforcement_level));
                let props = match c
                    .properties
                    .map(|p| struct_to_value(Some(&p)).to_json_redacted())
                {
                    Some(serde_json::Value::Object(m)) => m,
                    _ => serde_json::Map::new(),
                };
                (k, (level, props))
            })
            .collect(),
    }
}

/// What a pack logs to the engine (its `pulumi.log` calls), the last lines kept.
#[derive(Default)]
struct Logs(Mutex<Vec<String>>);

impl Engine for Logs {
    fn log(self: Arc<Self>, request: Request<rpc::LogRequest>) -> BoxFuture<RpcResult<()>> {
        Box::pin(async move {
            if let Ok(mut logs) = self.0.lock() {
                if logs.len() >= 100 {
                    logs.remove(0);
                }
                logs.push(request.into_inner().message);
            }
            Ok(Response::new(()))
        })
    }
}

/// Serves the engine's `Log` on 127.0.0.1, and returns its address.
async fn serve_engine(logs: Arc<Logs>) -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?.to_string();
    let server = tonic::transport::Server::builder()
        .add_service(EngineServer::from_arc(logs))
        .serve_with_incoming(tokio_stream::wrappers::TcpListenerStream::new(listener));
    tokio::spawn(server);
    Ok(address)
}

/// The client's runtime: its handle runs the calls, and the runtime is shut down without
/// waiting when the pack goes (which may happen inside a caller's own runtime, where waiting
/// is not allowed).
struct Rt {
    handle: tokio::runtime::Handle,
    owned: Option<tokio::runtime::Runtime>,
}

impl Rt {
    /// Runs `future` to its end. A caller that is itself inside an asynchronous runtime (a
    /// front door serving requests) has it run on a thread of its own, as a runtime cannot be
    /// blocked on from within another.
    fn block_on<F>(&self, future: F) -> F::Output
    where
        F: std::future::Future + Send,
        F::Output: Send,
    {
        if tokio::runtime::Handle::try_current().is_err() {
            return self.handle.block_on(future);
        }
        std::thread::scope(|scope| {
            let handle = scope.spawn(|| self.handle.block_on(future));
            match handle.join() {
                Ok(output) => output,
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }
}

impl Drop for Rt {
    fn drop(&mut self) {
        if let Some(runtime) = self.owned.take() {
            runtime.shutdown_background();
        }
    }
}
