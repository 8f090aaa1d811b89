//! The run itself: packs, inputs, engine, gate, reports — what `guardrail check` and
//! `guardrail audit` did in their own body before, now callable by every front door.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use guardrail_core::{
    evaluate, Evaluation, EvaluationOptions, Exemption, Pack, PolicyRef, Severity, Stack,
};
use guardrail_crossguard::CrossGuardPack;
use guardrail_inputs::InputFormat;
use guardrail_rego::{LoadOptions, Preloader, RegoPack};
use guardrail_report::baseline::{FailOn, Leniency};
use guardrail_report::{github, human, json, junit, markdown, sarif, Context, Run, Workspace};

use crate::config::Config;
use crate::{gate, policy_config, select, Error, ErrorKind};

/// One input of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    /// A file (a plan, a state, a preview, an export), read and detected by the pipeline. `-`
    /// reads standard input.
    Path(PathBuf),
    /// Bytes received in memory (an upload), named `name` in reports and errors.
    Bytes {
        /// How the input is named (a file name).
        name: String,
        /// The document, as a file would hold it.
        bytes: Vec<u8>,
    },
    /// A stack built in code (resources received over gRPC). Its `source` names it.
    /// Whole-document (conftest) policies see its `document` when it has one.
    #[serde(skip)]
    Stack(Box<Stack>),
}

impl Input {
    /// How the input is named in progress messages.
    fn name(&self) -> String {
        match self {
            Input::Path(p) => guardrail_inputs::source_name(p),
            Input::Bytes { name, .. } => name.clone(),
            Input::Stack(s) => s.source.clone(),
        }
    }
}

/// Where a document comes from: a file, or text the caller already holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Document {
    /// A file read by the pipeline.
    Path(PathBuf),
    /// Text the caller holds, named `name` in errors (relative paths inside it resolve against
    /// `name`'s directory).
    Text {
        /// The name used in errors.
        name: PathBuf,
        /// The contents.
        text: String,
    },
}

/// Limits and conftest namespaces of Rego packs (the loader's options, as plain data).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegoOptions {
    /// The budget of one evaluation of one policy, in evaluation steps.
    pub max_steps: u32,
    /// A wall-clock limit of one evaluation instead of the step budget.
    pub time_limit: Option<Duration>,
    /// The bytes Rego policies may allocate on top of what the run holds when they start.
    pub max_memory: u64,
    /// The packages conftest-style directories run (`*` for all).
    pub namespaces: Vec<String>,
}

impl Default for RegoOptions {
    fn default() -> Self {
        let d = LoadOptions::default();
        RegoOptions {
            max_steps: d.max_steps,
            time_limit: d.time_limit,
            max_memory: d.max_memory,
            namespaces: d.namespaces,
        }
    }
}

impl RegoOptions {
    /// The loader's options.
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            max_steps: self.max_steps,
            time_limit: self.time_limit,
            max_memory: self.max_memory,
            namespaces: self.namespaces.clone(),
        }
    }
}

/// A report format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// For people: findings grouped by resource, then a summary.
    #[default]
    Human,
    /// The versioned JSON report (docs/report-schema.json).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML: a test case per policy and resource.
    Junit,
    /// A markdown summary for pull-request comments.
    Markdown,
}

impl ReportFormat {
    /// Every format, in the order the documentation lists them.
    pub const ALL: [ReportFormat; 5] = [
        ReportFormat::Human,
        ReportFormat::Json,
        ReportFormat::Sarif,
        ReportFormat::Junit,
        ReportFormat::Markdown,
    ];

    /// The format's name, as `--format` and `--output FORMAT=FILE` spell it.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Human => "human",
            ReportFormat::Json => "json",
            ReportFormat::Sarif => "sarif",
            ReportFormat::Junit => "junit",
            ReportFormat::Markdown => "markdown",
        }
    }

    /// The format named `name`, if any.
    pub fn named(name: &str) -> Option<ReportFormat> {
        ReportFormat::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// How a report is rendered.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportOptions {
    /// Colour the human report (terminal escapes).
    pub color: bool,
    /// Only blocking findings, errors and the summary (human report).
    pub quiet: bool,
    /// Where the same run's full machine-readable report is, for a markdown report cut to
    /// GitHub's size limit.
    pub full_report: Option<String>,
}

/// A report the pipeline renders into [`RunResult::reports`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportRequest {
    /// The format.
    pub format: ReportFormat,
    /// How to render it.
    pub options: ReportOptions,
}

/// Everything a run needs, as plain data. A front door fills it from its own request (flags,
/// an HTTP body, a gRPC call); the project config's values apply where an option is left empty.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RunOptions {
    /// The project config, when there is one (the caller finds it; nothing is discovered).
    pub config: Option<Document>,
    /// The inputs; each is evaluated on its own.
    pub inputs: Vec<Input>,
    /// Skip detection and read every input as this format (`terraform-plan`, ...).
    pub input_format: Option<String>,
    /// The program's source directory, for findings that point at the code.
    pub source: Option<PathBuf>,
    /// The largest input read, in bytes (default: 2 GiB).
    pub max_input_size: Option<u64>,
    /// Built-in policies to run (selectors); empty: the config's `select`, else the default set.
    pub select: Vec<String>,
    /// Built-in policies to leave out; empty: the config's `ignore`.
    pub ignore: Vec<String>,
    /// Rego pack directories; empty: the config's `packs`.
    pub packs: Vec<PathBuf>,
    /// Rego limits.
    pub rego: RegoOptions,
    /// Pulumi's policy-pack configuration (JSON), laid over the config's `[policies]`.
    pub policy_config: Option<Document>,
    /// Exemptions beyond the config's and the resources' own (e.g. granted by a service).
    #[serde(skip)]
    pub exemptions: Vec<Exemption>,
    /// Indeterminate outcomes block under mandatory (or the config's `strict`).
    pub strict: bool,
    /// Which levels fail (default: the config's, else mandatory).
    pub fail_on: Option<FailOn>,
    /// Only findings of this severity or higher fail (default: the config's).
    pub fail_on_severity: Option<Severity>,
    /// Fail only on findings not recorded in this baseline (a file, or the text of one; default:
    /// the config's `baseline`).
    pub baseline: Option<Document>,
    /// Record the findings' fingerprints in this file, then gate against it.
    pub write_baseline: Option<PathBuf>,
    /// Today's date (`YYYY-MM-DD`) for exemption expiry; default: the system clock (UTC).
    pub today: Option<String>,
    /// Where the caller writes the proposed fixes, named in the reports.
    pub fix_output: Option<String>,
    /// The working directory and the repository root, resolved by the caller (the CLI:
    /// `GITHUB_WORKSPACE`, else the top of the git work tree, else the working directory):
    /// reports for machines and pull requests name files from the root. `None`: files are
    /// named as the inputs are given.
    pub workspace: Option<Workspace>,
    /// Reports to render into [`RunResult::reports`].
    pub reports: Vec<ReportRequest>,
    /// The packs a policy service requires for the stack; they win over local settings
    /// ([`crate::central`]).
    #[serde(skip)]
    pub central: Option<crate::central::Central>,
    /// Notices every report carries about the run as a whole (e.g. that the policy service
    /// did not record it).
    pub notices: Vec<String>,
}

/// What a run tells its caller while it works. Every method has a default that does nothing.
pub trait Observer {
    /// What the run is doing now (`loading policies`, `evaluating `plan.json` (1/2): ...`).
    fn progress(&self, _step: &str) {}
    /// A note for the user about the run (a baseline recorded, findings it let through).
    fn note(&self, _note: &str) {}
    /// A local setting the run did not follow (a level below what the policy service
    /// requires, an exemption of a required policy); by default a [`note`](Observer::note).
    fn warning(&self, warning: &str) {
        self.note(warning);
    }
    /// A note about mapping findings to the program's source (a remote module skipped, a
    /// file that could not be read); by default a [`note`](Observer::note).
    fn source_note(&self, note: &str) {
        self.note(note);
    }
    /// A phase (`load`, `evaluate`) has ended.
    fn phase_done(&self, _phase: &str) {}
    /// Policies start (`true`) or stop (`false`) running: a panic in between is a policy's,
    /// caught and reported as an error outcome.
    fn policies_running(&self, _running: bool) {}
}

/// An observer that ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Observer for Silent {}

/// How a run ends, as an exit code classifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExitClass {
    /// Nothing blocks: exit 0.
    Pass,
    /// A finding blocks: exit 1.
    Block,
    /// A policy failed: exit 2.
    Error,
}

impl ExitClass {
    /// The process exit code: 0, 1 or 2.
    pub fn code(self) -> u8 {
        match self {
            ExitClass::Pass => 0,
            ExitClass::Block => 1,
            ExitClass::Error => 2,
        }
    }
}

/// What a run found: the evaluation of each input, what the gate let through, and the reports
/// asked for.
#[derive(Debug)]
pub struct RunResult {
    /// The inputs as loaded, in the order given.
    pub stacks: Vec<Stack>,
    /// The evaluation of each input, after the gate.
    pub evaluations: Vec<Evaluation>,
    /// The packs that ran.
    pub packs: Vec<Pack>,
    /// The exemptions in force: the config's, the caller's, then the resources' own.
    pub exemptions: Vec<Exemption>,
    /// Whether indeterminate outcomes blocked under mandatory.
    pub strict: bool,
    /// Why findings that could have blocked did not.
    pub lenient: Leniency,
    /// The severity floor that was in force.
    pub min_severity: Option<Severity>,
    /// Where the fixes are written, as the reports name it.
    pub fix_output: Option<String>,
    /// Where files are named from, as [`RunOptions::workspace`] gave it.
    pub workspace: Option<Workspace>,
    /// The reports asked for in [`RunOptions::reports`], in that order.
    pub reports: Vec<(ReportFormat, String)>,
    /// The notices of [`RunOptions::notices`].
    pub notices: Vec<String>,
}

impl RunResult {
    /// Each input with its evaluation, as the renderers take them.
    pub fn runs(&self) -> Vec<Run<'_>> {
        self.stacks
            .iter()
            .zip(&self.evaluations)
            .map(|(stack, evaluation)| Run { stack, evaluation })
            .collect()
    }

    /// The settings of the run that the reports show.
    pub fn context(&self) -> Context<'_> {
        Context {
            strict: self.strict,
            exemptions: &self.exemptions,
            lenient: self.lenient,
            min_severity: self.min_severity,
            fix_output: self.fix_output.as_deref(),
            workspace: self.workspace.as_ref(),
            notices: &self.notices,
        }
    }

    /// The gate's verdict: whether anything blocks, and why the rest did not.
    pub fn verdict(&self) -> guardrail_report::Verdict {
        guardrail_report::Verdict::of(&self.runs(), &self.context())
    }

    /// Pass, block or error.
    pub fn exit_class(&self) -> ExitClass {
        match guardrail_report::exit_code(&self.runs()) {
            0 => ExitClass::Pass,
            1 => ExitClass::Block,
            _ => ExitClass::Error,
        }
    }

    /// Writes a report to `out`; the JSON report is streamed, never held whole.
    pub fn write_report(
        &self,
        format: ReportFormat,
        options: &ReportOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        if format == ReportFormat::Json {
            return json::write(&self.runs(), self.context(), out);
        }
        out.write_all(self.render(format, options).as_bytes())
    }

    /// Renders a report.
    pub fn render(&self, format: ReportFormat, options: &ReportOptions) -> String {
        let runs = self.runs();
        let ctx = self.context();
        let help = |p: &PolicyRef| -> Option<String> {
            (p.pack == guardrail_catalog::PACK_NAME)
                .then(|| guardrail_catalog::explain(&p.meta.id))
                .flatten()
        };
        match format {
            ReportFormat::Json => {
                let mut out = Vec::new();
                // writing to memory does not fail
                let _ = json::write(&runs, ctx, &mut out);
                String::from_utf8_lossy(&out).into_owned()
            }
            ReportFormat::Human => human::render(
                &runs,
                ctx,
                human::Options {
                    color: options.color,
                    quiet: options.quiet,
                },
            ),
            ReportFormat::Sarif => sarif::render(&runs, ctx, sarif::Options { help: Some(&help) }),
            ReportFormat::Junit => junit::render(&runs, ctx),
            ReportFormat::Markdown => markdown::render_with(
                &runs,
                ctx,
                markdown::Options {
                    full_report: options.full_report.as_deref(),
                },
            ),
        }
    }

    /// The findings as GitHub Actions annotations (workflow commands).
    pub fn github_annotations(&self) -> String {
        github::render(&self.runs(), self.context())
    }

    /// The resources changed by remediation (schema `guardrail.fixes/v1`).
    pub fn fixes(&self) -> String {
        guardrail_report::fixes::render(&self.runs())
    }
}

/// Writes `text` to the file `path`.
pub fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|e| {
        Error::new(
            ErrorKind::Output,
            format!("cannot write `{}`: {e}", path.display()),
        )
        .help("check that the directory exists and is writable")
    })
}

/// Loads pack directories, in order.
pub fn load_packs(dirs: &[PathBuf], options: &LoadOptions) -> Result<Vec<RegoPack>, Error> {
    dirs.iter()
        .map(|d| guardrail_rego::load_pack(d, options).map_err(Error::pack))
        .collect()
}

/// The packs to run, the document caches of those whose policies read the whole input
/// document, and the CrossGuard packs (which are readied for each stack before it is evaluated).
fn packs_for(
    dirs: &[PathBuf],
    rego: &RegoOptions,
    [select, ignore]: [&[String]; 2],
    [select_from, ignore_from]: [&str; 2],
) -> Result<LoadedPacks, Error> {
    let mut packs: Vec<Pack> = Vec::with_capacity(dirs.len() + 1);
    let mut documents: Vec<Arc<Preloader>> = Vec::new();
    let mut crossguard: Vec<Arc<CrossGuardPack>> = Vec::new();
    // CrossGuard packs start their processes at once, in parallel with each other
    let started: Vec<Option<Result<Arc<CrossGuardPack>, Error>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = dirs
            .iter()
            .map(|d| {
                guardrail_crossguard::is_crossguard_pack(d).then(|| {
                    scope.spawn(move || {
                        guardrail_crossguard::load(
                            d,
                            &guardrail_crossguard::LoadOptions::from_env(),
                        )
                        .map_err(|e| crossguard_error(d, e))
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(Error::new(
                            ErrorKind::Pack,
                            "starting a CrossGuard pack failed",
                        ))
                    })
                })
            })
            .collect()
    });
    for (dir, started) in dirs.iter().zip(started) {
        match started {
            Some(cg) => {
                let cg = cg?;
                packs.push(cg.pack());
                crossguard.push(cg);
            }
            None => {
                let p =
                    guardrail_rego::load_pack(dir, &rego.load_options()).map_err(Error::pack)?;
                if p.needs_document {
                    documents.push(Arc::clone(&p.preloader));
                }
                packs.push(p.pack);
            }
        }
    }
    if packs.is_empty() || !select.is_empty() {
        let policies = select::choose(select, select_from, ignore, ignore_from)?;
        let mut pack = guardrail_catalog::builtin_pack();
        pack.policies = policies;
        packs.insert(0, pack);
    }
    Ok(LoadedPacks {
        packs,
        documents,
        crossguard,
    })
}

/// What [`packs_for`] loads.
struct LoadedPacks {
    packs: Vec<Pack>,
    documents: Vec<Arc<Preloader>>,
    crossguard: Vec<Arc<CrossGuardPack>>,
}

/// A CrossGuard pack's error as the pipeline's: the pack's directory, what went wrong, what
/// it said on its standard error.
fn crossguard_error(dir: &Path, e: guardrail_crossguard::Error) -> Error {
    let mut message = format!("{}: {}", dir.display(), e.message);
    if let Some(said) = &e.detail {
        message.push_str("; it said:\n");
        message.push_str(said);
    }
    let mut error = Error::new(ErrorKind::Pack, message);
    if let Some(help) = e.help {
        error = error.help(help);
    }
    error
}

/// Loads the project config named in `options` (none: the defaults).
pub fn load_config(options: &RunOptions) -> Result<Config, Error> {
    let packs_given = !options.packs.is_empty();
    match &options.config {
        None => Ok(Config::default()),
        Some(Document::Path(path)) => gate::load_config(Some(path), packs_given),
        Some(Document::Text { name, text }) => gate::parse_config(name, text, packs_given),
    }
}

/// Runs the pipeline: loads the config named in the options, then [`run_with_config`].
pub fn run(options: RunOptions, observer: &dyn Observer) -> Result<RunResult, Error> {
    let config = load_config(&options)?;
    run_with_config(options, &config, observer)
}

/// Runs the pipeline with a config already loaded (a front door that needs the config itself,
/// say for its output settings, loads it once). The options are taken by value: each input is
/// dropped once loaded, and a [`Stack`] given in code is used as it is, not copied.
pub fn run_with_config(
    mut options: RunOptions,
    config: &Config,
    observer: &dyn Observer,
) -> Result<RunResult, Error> {
    let policies = load_policies(&options, config, observer)?;
    let given = std::mem::take(&mut options.inputs);
    let stacks = policies.load_inputs(given, options.source.as_deref(), observer)?;
    let prepared = policies.resolve(&options, config, observer)?;
    prepared.evaluate(stacks, options, observer)
}

/// Loads the policies of a run once, for a front door that evaluates many stacks with them
/// (the Pulumi plugin evaluates one per call): the packs, the central policy, the resolved
/// levels, config and exemptions, the gate. [`Prepared::run`] then evaluates inputs with them;
/// `run_with_config` is `prepare` and one `Prepared::run`. The options' inputs, reports,
/// notices, fix output and workspace are left for `Prepared::run`.
pub fn prepare(
    options: &RunOptions,
    config: &Config,
    observer: &dyn Observer,
) -> Result<Prepared, Error> {
    load_policies(options, config, observer)?.resolve(options, config, observer)
}

/// The policies of a run, loaded; their levels and config not yet resolved.
struct Policies {
    packs: Vec<Pack>,
    documents: Vec<Arc<Preloader>>,
    crossguard: Vec<Arc<CrossGuardPack>>,
    central: Option<crate::central::Loaded>,
    gating: gate::Gating,
    strict: bool,
    input_format: Option<InputFormat>,
    max_input_size: u64,
}

/// Loads the packs the options and the config name, and the central ones.
fn load_policies(
    options: &RunOptions,
    config: &Config,
    observer: &dyn Observer,
) -> Result<Policies, Error> {
    let max_input_size = options
        .max_input_size
        .unwrap_or(guardrail_inputs::DEFAULT_MAX_INPUT_SIZE);
    guardrail_inputs::set_max_input_size(max_input_size);
    // the config fills what the options leave empty
    let mut selection_from = ["--select", "--ignore"];
    let mut select = options.select.as_slice();
    if select.is_empty() && !config.select.is_empty() {
        select = &config.select;
        selection_from[0] = "the config's `select`";
    }
    let mut ignore = options.ignore.as_slice();
    if ignore.is_empty() && !config.ignore.is_empty() {
        ignore = &config.ignore;
        selection_from[1] = "the config's `ignore`";
    }
    let pack_dirs = if options.packs.is_empty() {
        &config.packs
    } else {
        &options.packs
    };
    let gating = gate::gating(
        options.fail_on,
        options.fail_on_severity,
        options.baseline.as_ref(),
        options.write_baseline.as_deref(),
        config,
    )?;
    let strict = options.strict || config.strict.unwrap_or(false);
    let input_format = options
        .input_format
        .as_deref()
        .map(|f| {
            InputFormat::from_str(f).map_err(|_| {
                let names: Vec<&str> = InputFormat::ALL.iter().map(|f| f.name()).collect();
                let mut e = Error::usage(format!("unknown input format `{f}`"));
                e = match select::nearest(f, names.iter().copied()) {
                    Some(n) => e.help(format!(
                        "did you mean `{n}`? expected one of: {}",
                        names.join(", ")
                    )),
                    None => e.help(format!("expected one of: {}", names.join(", "))),
                };
                e
            })
        })
        .transpose()?;
    observer.progress("loading policies");
    let LoadedPacks {
        packs,
        mut documents,
        crossguard,
    } = packs_for(pack_dirs, &options.rego, [select, ignore], selection_from)?;
    let central = match &options.central {
        Some(central) => {
            let loaded = crate::central::load(central, &options.rego)?;
            documents.extend(loaded.documents.iter().cloned());
            Some(loaded)
        }
        None => None,
    };
    Ok(Policies {
        packs,
        documents,
        crossguard,
        central,
        gating,
        strict,
        input_format,
        max_input_size,
    })
}

/// How inputs are read: the format forced, the whole-document policies' caches, the size limit.
struct Reading<'a> {
    input_format: Option<InputFormat>,
    documents: &'a [Arc<Preloader>],
    max_input_size: u64,
}

/// Loads the inputs into stacks, in order.
fn load_inputs(
    given: Vec<Input>,
    source: Option<&Path>,
    reading: &Reading<'_>,
    observer: &dyn Observer,
) -> Result<Vec<Stack>, Error> {
    let Reading {
        input_format,
        documents,
        max_input_size,
    } = *reading;
    let mut stacks = Vec::with_capacity(given.len());
    let inputs = given.len();
    for (i, input) in given.into_iter().enumerate() {
        observer.progress(&format!("loading `{}` ({}/{inputs})", input.name(), i + 1));
        let attach_to = match &input {
            Input::Path(p) => Some(p.clone()),
            Input::Bytes { name, .. } if source.is_some() => Some(PathBuf::from(name)),
            _ => None,
        };
        let mut stack = load_input(input, input_format, documents, max_input_size)?;
        if let Some(file) = attach_to {
            for note in guardrail_inputs::source::attach(&mut stack, &file, source)
                .map_err(Error::from_input)?
            {
                observer.source_note(&note);
            }
        }
        stacks.push(stack);
    }
    observer.phase_done("load");
    Ok(stacks)
}

impl Policies {
    fn load_inputs(
        &self,
        given: Vec<Input>,
        source: Option<&Path>,
        observer: &dyn Observer,
    ) -> Result<Vec<Stack>, Error> {
        let reading = Reading {
            input_format: self.input_format,
            documents: &self.documents,
            max_input_size: self.max_input_size,
        };
        load_inputs(given, source, &reading, observer)
    }

    /// Resolves levels, config and exemptions (the central policy winning), and configures
    /// the CrossGuard packs with them.
    fn resolve(
        self,
        options: &RunOptions,
        config: &Config,
        observer: &dyn Observer,
    ) -> Result<Prepared, Error> {
        let Policies {
            mut packs,
            documents,
            crossguard,
            central,
            gating,
            strict,
            input_format,
            max_input_size,
        } = self;
        let settings = match &options.policy_config {
            Some(document) => {
                let (path, text) = match document {
                    Document::Path(path) => (
                        path.clone(),
                        std::fs::read_to_string(path).map_err(|e| {
                            Error::config(format!("cannot read `{}`: {e}", path.display()))
                                .help("pass the path of a JSON policy config file")
                        })?,
                    ),
                    Document::Text { name, text } => (name.clone(), text.clone()),
                };
                let with_catalog = packs.iter().any(|p| p.name == guardrail_catalog::PACK_NAME);
                let known = |key: &str| {
                    packs.iter().flat_map(|p| &p.policies).any(|p| {
                        let m = p.meta();
                        m.id == key || m.name == key
                    }) || (with_catalog && guardrail_catalog::find(key).is_some())
                };
                let parsed = policy_config::parse(&path, &text, &known)?;
                Some((path, parsed))
            }
            None => None,
        };
        let mut settings = gate::settings(
            config,
            &packs,
            settings.as_ref().map(|(p, s)| (p.as_path(), s.clone())),
        )?;
        // the config's, the caller's, the service's; the resources' own join per evaluation
        let mut exemptions = config.exemptions.clone();
        exemptions.extend(options.exemptions.iter().cloned());
        if let Some(granted) = options.central.as_ref().map(|c| &c.exemptions) {
            exemptions.extend(
                granted
                    .iter()
                    .cloned()
                    .map(|e| Exemption { central: true, ..e }),
            );
        }
        let mut group_overrides = std::collections::HashMap::new();
        if let Some(loaded) = central {
            crate::central::apply(
                loaded,
                &mut packs,
                &mut settings,
                &mut group_overrides,
                &exemptions,
                observer,
            );
        }
        let evaluation_options = EvaluationOptions {
            strict,
            settings,
            group_overrides,
            exemptions,
            today: Some(crate::config::today(options.today.as_deref())?),
        };
        // CrossGuard packs remediate and validate with the levels and config resolved here
        for cg in &crossguard {
            cg.configure(
                &evaluation_options.settings,
                &evaluation_options.group_overrides,
            )
            .map_err(|e| crossguard_error(Path::new(cg.name()), e))?;
        }
        Ok(Prepared {
            packs,
            documents,
            crossguard,
            one_at_a_time: std::sync::Mutex::new(()),
            evaluation_options,
            gating,
            strict,
            input_format,
            max_input_size,
            write_baseline: options.write_baseline.clone(),
        })
    }
}

/// A run's policies, loaded and resolved once by [`prepare`]; [`Prepared::run`] evaluates
/// inputs with them, as often as asked, from several threads at once.
pub struct Prepared {
    packs: Vec<Pack>,
    documents: Vec<Arc<Preloader>>,
    crossguard: Vec<Arc<CrossGuardPack>>,
    /// CrossGuard packs hold one stack's answers at a time: their runs take turns.
    one_at_a_time: std::sync::Mutex<()>,
    evaluation_options: EvaluationOptions,
    gating: gate::Gating,
    strict: bool,
    input_format: Option<InputFormat>,
    max_input_size: u64,
    write_baseline: Option<PathBuf>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("packs", &self.packs)
            .field("strict", &self.strict)
            .finish_non_exhaustive()
    }
}

impl Prepared {
    /// The packs that run, the central ones first, with their policies.
    pub fn packs(&self) -> &[Pack] {
        &self.packs
    }

    /// Evaluates the options' inputs with the prepared policies. Of the options, only the
    /// inputs, the source directory, the reports, the notices, the fix output and the
    /// workspace are read: the rest was fixed by [`prepare`].
    pub fn run(
        &self,
        mut options: RunOptions,
        observer: &dyn Observer,
    ) -> Result<RunResult, Error> {
        let given = std::mem::take(&mut options.inputs);
        let reading = Reading {
            input_format: self.input_format,
            documents: &self.documents,
            max_input_size: self.max_input_size,
        };
        let stacks = load_inputs(given, options.source.as_deref(), &reading, observer)?;
        self.evaluate(stacks, options, observer)
    }

    fn evaluate(
        &self,
        stacks: Vec<Stack>,
        mut options: RunOptions,
        observer: &dyn Observer,
    ) -> Result<RunResult, Error> {
        // the resources' own exemptions (tags) join the prepared ones
        let local: Vec<Pack> = self.packs.iter().filter(|p| !p.central).cloned().collect();
        let inline = gate::inline_exemptions(&local, &stacks)?;
        let with_inline;
        let evaluation_options = if inline.is_empty() {
            &self.evaluation_options
        } else {
            crate::central::warn_local_exemptions(&self.packs, &inline, observer);
            let mut all = self.evaluation_options.clone();
            all.exemptions.extend(inline);
            with_inline = all;
            &with_inline
        };
        let _turn = if self.crossguard.is_empty() {
            None
        } else {
            Some(self.one_at_a_time.lock().unwrap_or_else(|e| e.into_inner()))
        };
        observer.policies_running(true);
        let inputs = stacks.len();
        let policies: usize = self.packs.iter().map(|p| p.policies.len()).sum();
        let evaluations: Result<Vec<Evaluation>, Error> = stacks
            .iter()
            .enumerate()
            .map(|(i, s)| {
                observer.progress(&format!(
                    "evaluating `{}` ({}/{inputs}): {}, {}",
                    s.source,
                    i + 1,
                    guardrail_core::plural(s.resources.len(), "resource", "resources"),
                    guardrail_core::plural(policies, "policy", "policies")
                ));
                for cg in &self.crossguard {
                    cg.prepare(s)
                        .map_err(|e| crossguard_error(Path::new(cg.name()), e))?;
                }
                let evaluation = evaluate(&self.packs, s, evaluation_options);
                for cg in &self.crossguard {
                    cg.finish();
                }
                Ok(evaluation)
            })
            .collect::<Result<_, Error>>();
        observer.policies_running(false);
        let mut evaluations: Vec<Evaluation> = evaluations?;
        observer.phase_done("evaluate");
        let min_severity = self.gating.min_severity;
        let lenient = gate::apply_gate(
            self.write_baseline.as_ref(),
            observer,
            self.gating.clone(),
            &stacks,
            &mut evaluations,
        )?;
        let mut result = RunResult {
            stacks,
            evaluations,
            packs: self.packs.clone(),
            exemptions: evaluation_options.exemptions.clone(),
            strict: self.strict,
            lenient,
            min_severity,
            fix_output: options.fix_output.clone(),
            workspace: options.workspace.clone(),
            reports: Vec::new(),
            notices: std::mem::take(&mut options.notices),
        };
        result.reports = options
            .reports
            .iter()
            .map(|r| (r.format, result.render(r.format, &r.options)))
            .collect();
        Ok(result)
    }
}

/// Loads one input into a stack; with whole-document policies, also their view of the raw
/// document.
fn load_input(
    input: Input,
    input_format: Option<InputFormat>,
    documents: &[Arc<Preloader>],
    max_input_size: u64,
) -> Result<Stack, Error> {
    let input_error = Error::from_input;
    match input {
        Input::Stack(stack) => {
            let stack = *stack;
            if let Some(doc) = &stack.document {
                for p in documents {
                    p.load(doc).map_err(|e| {
                        Error::input(format!("{}: {e}", stack.source))
                            .help("whole-document policies read the input as one JSON document")
                    })?;
                }
            }
            Ok(stack)
        }
        Input::Bytes { name, bytes } => {
            // files are held to the limit as they are read; bytes already in memory here
            if u64::try_from(bytes.len()).map_or(true, |n| n > max_input_size) {
                return Err(Error::input(format!(
                    "{name}: is larger than the input size limit of {}",
                    guardrail_inputs::human_size(max_input_size)
                ))
                .help("pass a plan, state or preview document; if this really is one, raise the limit (the option `max_input_size`)"));
            }
            let mut stack =
                guardrail_inputs::load_bytes(&name, &bytes, input_format).map_err(input_error)?;
            if !documents.is_empty() {
                let text = std::str::from_utf8(&bytes)
                    .map(|t| t.trim_start_matches('\u{feff}').to_string())
                    .map_err(|_| Error::input(format!("{name}: is not UTF-8 text")))?;
                let doc = Arc::new(text);
                for p in documents {
                    p.load(&doc).map_err(|e| {
                        Error::input(format!("{name}: {e}"))
                            .help("whole-document policies read the file as one JSON document")
                    })?;
                }
                stack.document = Some(doc);
            }
            Ok(stack)
        }
        Input::Path(file) => {
            let file = file.as_path();
            if documents.is_empty() {
                return guardrail_inputs::load_file(file, input_format).map_err(input_error);
            }
            // Whole-document policies: one core reads the raw document, parses it into the
            // Rego engine's values and evaluates those policies, while the other loads the
            // stack. A file that is not JSON fails in the stack's loader, with its place.
            let (stack, preload) = std::thread::scope(|scope| {
                let worker = scope.spawn(|| -> Result<Arc<String>, Error> {
                    let doc = Arc::new(guardrail_inputs::load_document(file).map_err(input_error)?);
                    for p in documents {
                        p.load(&doc).map_err(|e| {
                            Error::input(format!("{}: {e}", file.display()))
                                .help("whole-document policies read the file as one JSON document")
                        })?;
                    }
                    Ok(doc)
                });
                // one core for the stack, so that the whole-document policies keep the other
                let stack = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
                    Ok(pool) => pool.install(|| guardrail_inputs::load_file(file, input_format)),
                    Err(_) => guardrail_inputs::load_file(file, input_format),
                };
                (stack, worker.join())
            });
            let mut stack = stack.map_err(input_error)?;
            let doc = preload.map_err(|_| Error::input("reading the input document failed"))??;
            stack.document = Some(doc);
            Ok(stack)
        }
    }
}
