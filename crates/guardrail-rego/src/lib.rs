//! guardrail-rego: Rego policy packs on the regorus engine.
//!
//! Three layouts load with [`load_pack`]:
//! - **guardrail packs**: a `guardrail-pack.yaml` manifest and `.rego` files; each policy is a
//!   Rego package with an OPA `# METADATA` block (title, description, and under `custom:` the id,
//!   severity, kind, resource types, frameworks and config schema) and a `deny` rule, optionally
//!   `indeterminate`, `not_applicable` and `remediate`;
//! - **Pulumi OPA-bridge packs**: `PulumiPolicy.yaml` with `runtime: opa`; `deny*`/`violation*`
//!   rules are mandatory, `warn*` advisory, `stack_*` rules see the whole stack;
//! - **conftest policy directories**: `deny`/`violation`/`warn` rules in `package main` (or chosen
//!   namespaces), evaluated against the whole input document.
//!
//! Each pack's modules are parsed once; each policy keeps a prepared engine that is cloned per
//! worker thread. Every evaluation runs under a step budget (or, on request, a time limit), and
//! the builtins that could build huge values check their result size first ([`limits`]);
//! files are read only from inside the pack directory. Recursion between rules and functions
//! is refused at load time, as OPA refuses it: evaluated, a recursive function would run until
//! the stack ends.

// Pack errors carry file, place, line and help; they occur once per load, never per resource,
// so their size does not matter.
#![allow(clippy::result_large_err)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use guardrail_core::{Enforcement, FixSafety, Pack, Policy, PolicyKind, PolicyMeta, Severity};
use regorus::utils::limits::{ExecutionTimerConfig, PolicyLengthConfig};
use regorus::Engine;

mod ast;
mod convert;
pub mod error;
pub mod extensions;
pub mod limits;
pub mod memory;
pub mod meta;
mod policy;
pub mod scaffold;
pub mod testing;

pub use convert::{PULUMI_UNKNOWN, UNKNOWN};
pub use error::PackError;
pub use policy::{human_duration, DocumentCache, Preloader, RegoPolicy};

use policy::Style;

/// Which layout a pack directory has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `guardrail-pack.yaml` and annotated packages.
    Guardrail,
    /// `PulumiPolicy.yaml` with `runtime: opa`.
    PulumiOpa,
    /// Plain `.rego` files with conftest's `deny`/`warn`/`violation` rules.
    Conftest,
}

impl Layout {
    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Guardrail => "guardrail pack",
            Layout::PulumiOpa => "Pulumi OPA-bridge pack",
            Layout::Conftest => "conftest policy directory",
        }
    }
}

/// Options for loading packs.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// The budget of one evaluation of one policy, in regorus evaluation steps (expressions,
    /// statements, loop iterations); a policy past it gets an error outcome. A count of steps
    /// stops a policy at the same point on an idle and on a loaded machine, so a gate's outcome
    /// never depends on the machine's load. Used unless `time_limit` is set.
    pub max_steps: u32,
    /// A wall-clock limit of one evaluation of one policy, instead of the step budget. Its
    /// outcome can depend on the machine's load: a policy near the limit may pass on an idle
    /// machine and be stopped on a busy one.
    pub time_limit: Option<Duration>,
    /// How many bytes Rego policies may allocate on top of what guardrail holds when the first
    /// policy starts; a policy that evaluates when the process goes past it gets an error
    /// outcome (see [`memory`]).
    pub max_memory: u64,
    /// The packages whose rules conftest-style directories run (`*` for all); default `main`.
    pub namespaces: Vec<String>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_steps: DEFAULT_MAX_STEPS,
            time_limit: None,
            max_memory: memory::DEFAULT_MAX_MEMORY,
            namespaces: vec!["main".to_string()],
        }
    }
}

/// The default of [`LoadOptions::max_steps`]: 50 million steps. The example pack's policies
/// take at most 12,800 steps per evaluation and the benchmark's whole-plan policy about 1.3
/// million on a 10,000-resource plan; a runaway loop is stopped after some seconds
/// (docs/rego.md, "Limits and errors").
pub const DEFAULT_MAX_STEPS: u32 = 50_000_000;

impl LoadOptions {
    /// What stopped a policy, for its error outcome.
    pub(crate) fn stopped_message(&self) -> String {
        match self.time_limit {
            Some(limit) => format!(
                "the policy ran longer than its time limit of {} and was stopped (raise it with --rego-timeout)",
                human_duration(limit)
            ),
            None => format!(
                "the policy took more than its budget of {} evaluation steps and was stopped (raise it with --rego-max-steps)",
                self.max_steps
            ),
        }
    }

    /// What stopped a policy at the memory limit, for its error outcome.
    pub(crate) fn memory_message(&self) -> String {
        format!(
            "the policy allocated more than its memory limit of {} and was stopped (raise it with --rego-max-memory)",
            human_bytes(self.max_memory)
        )
    }
}

/// `4 GiB`, `512 MiB`, `1000 bytes`: a unit only where it is exact.
pub(crate) fn human_bytes(bytes: u64) -> String {
    for (unit, size) in [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] {
        if bytes >= size && bytes / size * size == bytes {
            return format!("{} {unit}", bytes / size);
        }
    }
    guardrail_core::plural(bytes, "byte", "bytes")
}

/// A Rego source file of a pack.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Its path (the pack directory joined with its relative path).
    pub path: PathBuf,
    /// Its contents.
    pub text: String,
    /// Whether it parsed as Rego v0 (otherwise v1).
    pub v0: bool,
}

/// A loaded pack.
#[derive(Debug)]
pub struct RegoPack {
    /// The pack, ready for `guardrail_core::evaluate`.
    pub pack: Pack,
    /// Its layout.
    pub layout: Layout,
    /// Its directory.
    pub dir: PathBuf,
    /// Its description, if any.
    pub description: Option<String>,
    /// Whether its policies read the whole input document ([`guardrail_core::Stack::document`]).
    pub needs_document: bool,
    /// The policy modules.
    pub modules: Vec<SourceFile>,
    /// The `*_test.rego` modules.
    pub tests: Vec<SourceFile>,
    /// Load options used.
    pub options: LoadOptions,
    /// Parses input documents and evaluates the whole-document policies ahead.
    pub preloader: Arc<Preloader>,
}

/// Largest Rego file accepted.
const MAX_FILE: u64 = 4 * 1024 * 1024;

fn io_error(path: &Path, e: &std::io::Error) -> PackError {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    PackError::new(path, format!("cannot be read: {what}"))
}

/// Finds the layout of a directory.
pub fn detect_layout(dir: &Path) -> Result<Layout, PackError> {
    let meta = std::fs::metadata(dir).map_err(|e| {
        io_error(dir, &e).help("pass the directory of a policy pack: one with guardrail-pack.yaml, PulumiPolicy.yaml, or .rego files")
    })?;
    if !meta.is_dir() {
        return Err(PackError::new(dir, "is not a directory").help(
            "--pack takes a policy pack directory; create one with `guardrail pack new DIR`",
        ));
    }
    if dir.join(meta::MANIFEST).is_file() {
        return Ok(Layout::Guardrail);
    }
    let pulumi = dir.join("PulumiPolicy.yaml");
    if pulumi.is_file() {
        let text = read_pack_file(dir, &pulumi)?;
        let m: meta::PulumiManifest = meta::yaml(
            &pulumi,
            &text,
            1,
            "PulumiPolicy.yaml needs `runtime: opa` for a Rego pack",
        )?;
        let runtime = match &m.runtime {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(v) => v
                .get("name")
                .and_then(serde_json::Value::as_str)
                .unwrap_or_default()
                .to_string(),
            None => String::new(),
        };
        if runtime != "opa" {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("runtime"))
                .map_or(1, |i| i + 1);
            return Err(PackError::new(
                &pulumi,
                if runtime.is_empty() {
                    "has no `runtime`".to_string()
                } else {
                    format!("is a `{runtime}` CrossGuard pack, which `guardrail check` and `guardrail audit` run; this command takes Rego packs (`runtime: opa`)")
                },
            )
            .at(&text, line, 1)
            .help("point --pack at an OPA-bridge pack (`runtime: opa`), a guardrail pack or a conftest policy directory"));
        }
        return Ok(Layout::PulumiOpa);
    }
    Ok(Layout::Conftest)
}

/// The real location of `path` when it lies inside the pack `root`; a symbolic link (or a path
/// through one) that leaves the pack is an error, so that a pack can never make guardrail run,
/// or print in an error, a file the pack's author did not put in it.
pub fn inside_pack(root: &Path, path: &Path) -> Result<PathBuf, PackError> {
    let real_root = root.canonicalize().map_err(|e| io_error(root, &e))?;
    let real = path.canonicalize().map_err(|e| io_error(path, &e))?;
    if real.starts_with(&real_root) {
        Ok(real)
    } else {
        Err(PackError::new(
            path,
            format!(
                "is a symbolic link to `{}`, outside the pack `{}`",
                real.display(),
                root.display()
            ),
        )
        .help("a pack reads only files inside its directory: copy the file into the pack, or remove the link"))
    }
}

/// Reads a text file of the pack `root` (a manifest or schema), refusing links out of the pack.
fn read_pack_file(root: &Path, path: &Path) -> Result<String, PackError> {
    inside_pack(root, path)?;
    std::fs::read_to_string(path).map_err(|e| io_error(path, &e))
}

fn rego_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), PackError> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, &e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        if name.starts_with('.') || name == "node_modules" || name == "target" {
            continue;
        }
        let link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
        if p.is_dir() {
            if link {
                // A linked directory inside the pack is read through its real path already;
                // one that leaves the pack is refused.
                inside_pack(root, &p)?;
                continue;
            }
            rego_files(root, &p, out)?;
        } else if name.ends_with(".rego") {
            if link {
                inside_pack(root, &p)?;
            }
            out.push(p);
        }
    }
    Ok(())
}

/// Files with their text.
type Sources = Vec<(PathBuf, String)>;

fn read_sources(dir: &Path) -> Result<(Sources, Sources), PackError> {
    let mut files = Vec::new();
    rego_files(dir, dir, &mut files)?;
    let mut modules = Vec::new();
    let mut tests = Vec::new();
    for path in files {
        let size = std::fs::metadata(&path)
            .map_err(|e| io_error(&path, &e))?
            .len();
        if size > MAX_FILE {
            return Err(PackError::new(
                &path,
                format!("is {size} bytes, larger than the {MAX_FILE}-byte limit for a Rego file"),
            )
            .help("split the policy into smaller files; put large data in the policy's config"));
        }
        let bytes = std::fs::read(&path).map_err(|e| io_error(&path, &e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            PackError::new(
                &path,
                format!(
                    "is not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
            .help("save the file as UTF-8")
        })?;
        let is_test = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with("_test.rego"));
        if is_test {
            tests.push((path, text));
        } else {
            modules.push((path, text));
        }
    }
    Ok((modules, tests))
}

/// regorus' own source limits, raised to [`MAX_FILE`] (its default is 1 MiB and 20,000 lines).
fn length_limits() -> PolicyLengthConfig {
    let max = std::num::NonZeroUsize::MIN.saturating_add((MAX_FILE - 1) as usize);
    PolicyLengthConfig {
        max_file_bytes: max,
        max_lines: max,
        ..PolicyLengthConfig::default()
    }
}

/// An engine with guardrail's source limits and built-in functions ([`extensions`]).
fn new_engine() -> Engine {
    let mut engine = Engine::new();
    engine.set_policy_length_config(length_limits());
    limits::install(&mut engine);
    // a fresh engine has no extensions, so adding them cannot clash
    let _ = extensions::add(&mut engine);
    engine
}

fn position(e: &PackError) -> (usize, usize) {
    (e.line.unwrap_or(0), e.column.unwrap_or(0))
}

/// Whether a file uses Rego v1 keywords (`if`, `contains`) or imports `rego.v1`.
fn looks_v1(text: &str) -> bool {
    text.lines().any(|line| {
        // The code outside strings and comments.
        let mut code = String::new();
        let mut in_string = false;
        let mut escaped = false;
        for c in line.chars() {
            match (in_string, c) {
                (true, '\\') if !escaped => escaped = true,
                (true, '"') if !escaped => in_string = false,
                (true, _) => escaped = false,
                (false, '"') => in_string = true,
                (false, '#') => break,
                (false, c) => code.push(c),
            }
        }
        if code.trim_start().starts_with("import rego.v1") {
            return true;
        }
        let words: Vec<&str> = code
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '('))
            .collect();
        words.iter().any(|w| *w == "if" || *w == "contains")
    })
}

/// Adds a module to `engine`, in the layout's default Rego version or, failing that, the other;
/// returns whether it was read as v0.
pub(crate) fn add_module(
    engine: &mut Engine,
    path: &Path,
    text: &str,
    prefer_v0: bool,
) -> Result<bool, PackError> {
    // regorus adds a module only when it parses, so the engine itself is the first attempt.
    let mut attempt = |v0: bool| -> Result<(), PackError> {
        engine.set_rego_v0(v0);
        engine
            .add_policy(path.display().to_string(), text.to_string())
            .map(|_| ())
            .map_err(|e| PackError::from_regorus(path, text, &e.to_string()))
    };
    // A file written in v1 syntax is read as v1 first even where the layout prefers v0: the v0
    // parser would print warnings about `if` and `contains` on the way to failing.
    let prefer_v0 = prefer_v0 && !looks_v1(text);
    let chosen = match attempt(prefer_v0) {
        Ok(()) => prefer_v0,
        Err(first) => match attempt(!prefer_v0) {
            Ok(()) => !prefer_v0,
            Err(second) => {
                let e = if position(&second) > position(&first) {
                    second
                } else {
                    first
                };
                return Err(e.help(
                    "fix the Rego syntax (both Rego v1 and v0 were tried; the error is where parsing got furthest)",
                ));
            }
        },
    };
    Ok(chosen)
}

/// Builds an engine with the given sources, checking every call names a known function.
pub(crate) fn build_engine(
    sources: &[(PathBuf, String)],
    prefer_v0: bool,
) -> Result<(Engine, Vec<SourceFile>, Vec<ast::ModuleInfo>), PackError> {
    let mut engine = new_engine();
    let mut files = Vec::new();
    for (path, text) in sources {
        let v0 = add_module(&mut engine, path, text, prefer_v0)?;
        files.push(SourceFile {
            path: path.clone(),
            text: text.clone(),
            v0,
        });
    }
    let infos = engine
        .get_ast_as_json()
        .map(|j| ast::modules(&j))
        .unwrap_or_default();
    if let Some((mi, call)) = ast::unknown_calls(&infos).into_iter().next() {
        let file = files
            .get(mi)
            .map(|f| (f.path.clone(), f.text.clone()))
            .unwrap_or_default();
        let mut help =
            "use an OPA builtin guardrail supports, or define the function in the pack".to_string();
        if let Some(near) = ast::nearest_builtin(&call.path) {
            help = format!("did you mean `{near}`? {help}");
        }
        return Err(
            PackError::new(&file.0, format!("unknown function `{}`", call.path))
                .at_rego(&file.1, call.line, call.column)
                .help(help),
        );
    }
    if let Some(cycle) = ast::recursion(&infos) {
        return Err(recursion_error(&cycle, &files, &infos));
    }
    Ok((engine, files, infos))
}

/// The error for a recursion: at the reference that starts the cycle, naming every step.
fn recursion_error(
    cycle: &[ast::Step],
    files: &[SourceFile],
    infos: &[ast::ModuleInfo],
) -> PackError {
    let first = cycle.first();
    let module = first.map_or(0, |s| s.module);
    let package = infos
        .get(module)
        .map(|m| m.package.as_str())
        .unwrap_or_default();
    let short = |rule: &str| -> String {
        rule.strip_prefix(&format!("data.{package}."))
            .unwrap_or(rule)
            .to_string()
    };
    let mut chain: Vec<String> = cycle
        .iter()
        .map(|s| format!("`{}`", short(&s.rule)))
        .collect();
    chain.extend(first.map(|s| format!("`{}`", short(&s.rule))));
    let message = match cycle {
        [only] => format!(
            "`{}` refers to itself: Rego does not allow recursion",
            short(&only.rule)
        ),
        _ => format!(
            "recursion between rules or functions: {} (Rego does not allow recursion)",
            chain.join(" → ")
        ),
    };
    let (path, text) = files
        .get(module)
        .map(|f| (f.path.clone(), f.text.as_str()))
        .unwrap_or_default();
    let mut error = PackError::new(&path, message);
    if let Some(s) = first {
        error = error.at_rego(text, s.line, s.column);
    }
    let elsewhere: Vec<String> = cycle
        .iter()
        .skip(1)
        .filter(|s| s.module != module)
        .filter_map(|s| {
            let f = files.get(s.module)?;
            Some(format!(
                "`{}` at {}:{}",
                short(&s.rule),
                f.path.display(),
                s.line
            ))
        })
        .collect();
    let mut help = "rewrite it without recursion (OPA refuses it too); a comprehension, `walk` or `graph.reachable` can often do the same".to_string();
    if !elsewhere.is_empty() {
        help = format!("the cycle continues at {}; {help}", elsewhere.join(", "));
    }
    error.help(help)
}

/// Prepares an engine: runs the analysis once, so its errors surface at load time and clones
/// start prepared.
fn prepare(engine: &mut Engine, files: &[SourceFile]) -> Result<(), PackError> {
    engine
        .eval_query("true".to_string(), false)
        .map(|_| ())
        .map_err(|e| {
            let text = e.to_string();
            let file = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("--> "))
                .and_then(|loc| loc.rsplitn(3, ':').nth(2))
                .and_then(|f| files.iter().find(|s| s.path.display().to_string() == f));
            match file {
                Some(f) => PackError::from_regorus(&f.path, &f.text, &text),
                None => PackError::new(
                    files.first().map(|f| f.path.clone()).unwrap_or_default(),
                    error::one_line(&text),
                ),
            }
            .help("fix the policy so it compiles")
        })
}

/// regorus' execution timer, set for the options' limit. regorus counts work units and reads
/// the clock every `check_interval` units; a step budget is a timer whose deadline has passed
/// as soon as it starts, read first after exactly `max_steps` units: the count alone decides.
pub(crate) fn timer(options: &LoadOptions) -> ExecutionTimerConfig {
    match options.time_limit {
        Some(limit) => ExecutionTimerConfig {
            limit,
            check_interval: std::num::NonZeroU32::MIN.saturating_add(63),
        },
        None => ExecutionTimerConfig {
            limit: Duration::ZERO,
            check_interval: std::num::NonZeroU32::new(options.max_steps)
                .unwrap_or(std::num::NonZeroU32::MIN),
        },
    }
}

/// Whether an OPA-bridge rule's annotation asks for secrets in plain text (`custom:` with
/// `secrets: true`).
fn asks_for_secrets(ann: Option<&meta::Annotation>) -> bool {
    ann.and_then(|a| a.custom.as_ref())
        .and_then(|c| c.get("secrets"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false)
}

struct Candidate {
    meta: PolicyMeta,
    style: Style,
    /// Whether the policy sees secrets in plain text (it asked in its metadata).
    secrets: bool,
    /// Where the policy's id is declared: a file and line.
    origin: (PathBuf, usize),
}

/// Loads a pack directory in whichever layout it has.
pub fn load_pack(dir: &Path, options: &LoadOptions) -> Result<RegoPack, PackError> {
    let layout = detect_layout(dir)?;
    let (module_sources, test_sources) = read_sources(dir)?;
    if module_sources.is_empty() {
        return Err(PackError::new(dir, "has no .rego policy files").help(
            "add .rego files (test files end in _test.rego), or create a pack with `guardrail pack new DIR`",
        ));
    }
    let prefer_v0 = layout == Layout::PulumiOpa;
    let (mut engine, files, infos) = build_engine(&module_sources, prefer_v0)?;
    engine.set_execution_timer_config(timer(options));
    memory::set_budget(options.max_memory);
    let (name, version, description, pack_enforcement, candidates) = match layout {
        Layout::Guardrail => guardrail_policies(dir, &files, &infos)?,
        Layout::PulumiOpa => bridge_policies(dir, &files, &infos)?,
        Layout::Conftest => conftest_policies(dir, &files, &infos, &options.namespaces)?,
    };
    let mut seen: std::collections::HashMap<&str, &(PathBuf, usize)> = Default::default();
    for c in &candidates {
        if let Some(first) = seen.insert(&c.meta.id, &c.origin) {
            let (file, line) = &c.origin;
            let text = files
                .iter()
                .find(|f| &f.path == file)
                .map(|f| f.text.as_str())
                .unwrap_or_default();
            return Err(
                PackError::new(file, format!("two policies have the id `{}`", c.meta.id))
                    .at(text, *line, 1)
                    .help(format!(
                        "give every policy of a pack its own id (the other is at {}:{})",
                        first.0.display(),
                        first.1
                    )),
            );
        }
    }
    let document = Arc::new(DocumentCache::default());
    let mut early: Vec<Arc<RegoPolicy>> = Vec::new();
    let mut policies: Vec<Arc<dyn Policy>> = Vec::new();
    for c in candidates {
        let defaults = serde_json::Value::Object(guardrail_core::engine::schema_defaults(
            c.meta.config_schema.as_ref(),
        ));
        let mut template = engine.clone();
        template
            .add_data(policy::config_data(&c.style, &defaults))
            .map_err(|e| {
                PackError::new(
                    dir,
                    format!("cannot set the config of `{}`: {e}", c.meta.id),
                )
            })?;
        prepare(&mut template, &files)?;
        let policy = Arc::new(
            RegoPolicy::new(
                c.meta,
                c.style,
                template,
                &defaults,
                options.stopped_message(),
                Arc::clone(&document),
            )
            .with_secrets(c.secrets)
            .with_memory_message(options.memory_message()),
        );
        if matches!(policy.style, Style::Conftest { .. }) {
            early.push(Arc::clone(&policy));
        }
        policies.push(policy);
    }
    let tests = test_sources
        .into_iter()
        .map(|(path, text)| SourceFile {
            path,
            text,
            v0: prefer_v0,
        })
        .collect();
    Ok(RegoPack {
        pack: Pack {
            name,
            version,
            enforcement: pack_enforcement,
            central: false,
            policies,
        },
        layout,
        dir: dir.to_path_buf(),
        description,
        needs_document: layout == Layout::Conftest,
        modules: files,
        tests,
        options: options.clone(),
        preloader: Arc::new(Preloader {
            documents: document,
            policies: early,
        }),
    })
}

type Loaded = (
    String,
    Option<String>,
    Option<String>,
    Option<Enforcement>,
    Vec<Candidate>,
);

fn base_meta(id: String, title: String) -> PolicyMeta {
    PolicyMeta {
        name: id.clone(),
        id,
        title,
        description: String::new(),
        severity: Severity::Medium,
        enforcement: Enforcement::Advisory,
        kind: PolicyKind::Resource,
        vendor: "custom".into(),
        services: Vec::new(),
        topics: Vec::new(),
        frameworks: Vec::new(),
        resource_types: Vec::new(),
        remediation: String::new(),
        fix: FixSafety::None,
        config_schema: None,
    }
}

/// The annotation block that targets `line` in `file`.
fn annotation_at(
    file: &SourceFile,
    line: usize,
) -> Result<Option<(meta::Block, meta::Annotation)>, PackError> {
    for block in meta::blocks(&file.text) {
        if block.target_line == line {
            let ann = meta::annotation(&file.path, &file.text, &block)?;
            return Ok(Some((block, ann)));
        }
    }
    Ok(None)
}

fn guardrail_policies(
    dir: &Path,
    files: &[SourceFile],
    infos: &[ast::ModuleInfo],
) -> Result<Loaded, PackError> {
    let manifest_path = dir.join(meta::MANIFEST);
    let text = read_pack_file(dir, &manifest_path)?;
    let manifest = meta::manifest(&manifest_path, &text)?;
    let pack_level = manifest
        .enforcement
        .as_deref()
        .and_then(|l| l.parse::<Enforcement>().ok());
    // Packages in first-appearance order, with the rules of all their files.
    let mut order: Vec<String> = Vec::new();
    let mut rules: std::collections::HashMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for info in infos {
        if !rules.contains_key(&info.package) {
            order.push(info.package.clone());
        }
        let entry = rules.entry(info.package.clone()).or_default();
        entry.extend(info.rule_names().into_iter().map(str::to_string));
    }
    let mut out = Vec::new();
    for pkg in order {
        let names = rules.get(&pkg).cloned().unwrap_or_default();
        if !names.contains("deny") && !names.contains("remediate") {
            continue; // a library
        }
        // The METADATA block on one of the package's `package` lines.
        let mut found = None;
        let mut first_file = None;
        for (fi, info) in infos.iter().enumerate().filter(|(_, i)| i.package == pkg) {
            let file = &files[fi];
            first_file.get_or_insert((file, info.package_line));
            if let Some(hit) = annotation_at(file, info.package_line)? {
                found = Some((file, hit));
                break;
            }
        }
        let Some((file, (block, ann))) = found else {
            let (file, line) =
                first_file.map_or((dir.to_path_buf(), 1), |(f, l)| (f.path.clone(), l));
            let text = files
                .iter()
                .find(|f| f.path == file)
                .map(|f| f.text.clone())
                .unwrap_or_default();
            return Err(PackError::new(
                &file,
                format!("package `{pkg}` has a `deny` rule but no METADATA block describing the policy"),
            )
            .at(&text, line, 1)
            .help("put a `# METADATA` comment block right above the `package` line, with title, description and custom: id, severity (see docs/rego.md)"));
        };
        let m = meta::policy_metadata(&file.path, &file.text, &block, &ann)?;
        let remediate = names.contains("remediate");
        if remediate && m.kind == PolicyKind::Stack {
            return Err(PackError::new(&file.path, format!("stack policy `{}` has a `remediate` rule", m.id))
                .at(&file.text, block.marker_line, 1)
                .help("remediation fixes one resource at a time: make the policy `kind: resource`, or remove `remediate`"));
        }
        let secrets = m.secrets;
        let meta = PolicyMeta {
            id: m.id,
            name: m.name,
            title: m.title,
            description: m.description,
            severity: m.severity,
            enforcement: m
                .enforcement
                .or(pack_level)
                .unwrap_or(Enforcement::Advisory),
            kind: m.kind,
            vendor: m.vendor,
            services: m.services,
            topics: m.topics,
            frameworks: m.frameworks,
            resource_types: m.resource_types,
            remediation: m.remediation,
            fix: match (remediate, m.fix_unsafe) {
                (false, _) => FixSafety::None,
                (true, false) => FixSafety::Safe,
                (true, true) => FixSafety::Unsafe,
            },
            config_schema: m.config,
        };
        let id_line = block
            .yaml
            .lines()
            .position(|l| l.trim_start().starts_with("id:"))
            .map_or(block.marker_line, |i| block.yaml_line + i);
        out.push(Candidate {
            secrets,
            origin: (file.path.clone(), id_line),
            style: Style::Guardrail {
                pkg: pkg.clone(),
                indeterminate: names.contains("indeterminate"),
                not_applicable: names.contains("not_applicable"),
                remediate,
                stack: meta.kind == PolicyKind::Stack,
            },
            meta,
        });
    }
    if out.is_empty() {
        return Err(PackError::new(dir, "has no policies: no package defines a `deny` rule")
            .help("a guardrail policy is a package with a METADATA block and a `deny` rule; see `guardrail pack new`"));
    }
    // The manifest's level is the pack's default: it overrides each policy's own level.
    Ok((
        manifest.name,
        manifest.version,
        manifest.description,
        pack_level,
        out,
    ))
}

fn rule_matches(name: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| {
        name == *p
            || name
                .strip_prefix(p)
                .and_then(|rest| rest.strip_prefix('_'))
                .is_some_and(|rest| {
                    !rest.is_empty()
                        && rest.split('_').all(|part| {
                            !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric())
                        })
                })
    })
}

fn bridge_policies(
    dir: &Path,
    files: &[SourceFile],
    infos: &[ast::ModuleInfo],
) -> Result<Loaded, PackError> {
    let manifest_path = dir.join("PulumiPolicy.yaml");
    let text = read_pack_file(dir, &manifest_path)?;
    let manifest: meta::PulumiManifest = meta::yaml(&manifest_path, &text, 1, "PulumiPolicy.yaml")?;
    let schema_path = dir.join("config-schema.json");
    let schemas: serde_json::Map<String, serde_json::Value> = if schema_path.is_file() {
        let t = read_pack_file(dir, &schema_path)?;
        serde_json::from_str(&t).map_err(|e| {
            PackError::new(&schema_path, format!("is not valid JSON: {e}"))
                .at(&t, e.line(), e.column())
                .help("config-schema.json maps rule names to {\"properties\": ..., \"required\": [...]}")
        })?
    } else {
        Default::default()
    };
    let mut out: Vec<Candidate> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (fi, info) in infos.iter().enumerate() {
        let file = &files[fi];
        for rule in info.rules.iter().filter(|r| !r.function) {
            let (stack, mandatory) = if rule_matches(&rule.name, &["stack_deny", "stack_violation"])
            {
                (true, true)
            } else if rule_matches(&rule.name, &["stack_warn"]) {
                (true, false)
            } else if rule_matches(&rule.name, &["deny", "violation"]) {
                (false, true)
            } else if rule_matches(&rule.name, &["warn"]) {
                (false, false)
            } else {
                continue;
            };
            if !seen.insert((info.package.clone(), rule.name.clone())) {
                continue;
            }
            let ann = annotation_at(file, rule.line)?;
            let title = ann
                .as_ref()
                .and_then(|(_, a)| a.title.clone())
                .unwrap_or_else(|| rule.name.clone());
            let mut meta = base_meta(rule.name.clone(), title);
            let secrets = asks_for_secrets(ann.as_ref().map(|(_, a)| a));
            if let Some((_, a)) = &ann {
                meta.description = a.description.clone().unwrap_or_default();
                if let Some(custom) = &a.custom {
                    if let Some(sev) = custom.get("severity").and_then(|v| v.as_str()) {
                        meta.severity = sev.parse().unwrap_or(Severity::Medium);
                    }
                    if let Some(msg) = custom.get("message").and_then(|v| v.as_str()) {
                        meta.remediation = msg.to_string();
                    }
                }
            }
            meta.enforcement = if mandatory {
                Enforcement::Mandatory
            } else {
                Enforcement::Advisory
            };
            meta.kind = if stack {
                PolicyKind::Stack
            } else {
                PolicyKind::Resource
            };
            if let Some(schema) = schemas.get(&rule.name) {
                let mut s = serde_json::Map::new();
                s.insert("type".into(), "object".into());
                if let Some(p) = schema.get("properties") {
                    s.insert("properties".into(), p.clone());
                }
                if let Some(r) = schema.get("required") {
                    s.insert("required".into(), r.clone());
                }
                meta.config_schema = Some(serde_json::Value::Object(s));
            }
            out.push(Candidate {
                secrets,
                origin: (file.path.clone(), rule.line),
                style: Style::Bridge {
                    pkg: info.package.clone(),
                    rule: rule.name.clone(),
                    stack,
                },
                meta,
            });
        }
    }
    if out.is_empty() {
        return Err(PackError::new(dir, "has no policies: no `deny`, `violation`, `warn` or `stack_*` rules")
            .help("an OPA-bridge pack's rules are named deny, violation or warn (optionally with _suffixes), or stack_deny/stack_warn for stack rules"));
    }
    let pkg = infos.first().map(|i| i.package.clone()).unwrap_or_default();
    let name = manifest.name.clone().unwrap_or(pkg);
    Ok((name, manifest.version, manifest.description, None, out))
}

fn conftest_policies(
    dir: &Path,
    files: &[SourceFile],
    infos: &[ast::ModuleInfo],
    namespaces: &[String],
) -> Result<Loaded, PackError> {
    let all = namespaces.iter().any(|n| n == "*");
    let mut out: Vec<Candidate> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (fi, info) in infos.iter().enumerate() {
        if !all && !namespaces.contains(&info.package) {
            continue;
        }
        let file = &files[fi];
        for rule in info.rules.iter().filter(|r| !r.function) {
            let mandatory = if rule_matches(&rule.name, &["deny", "violation"]) {
                true
            } else if rule_matches(&rule.name, &["warn"]) {
                false
            } else {
                continue;
            };
            let id = format!("{}.{}", info.package, rule.name);
            if !seen.insert(id.clone()) {
                continue;
            }
            let ann = annotation_at(file, rule.line)?;
            let mut meta = base_meta(
                id.clone(),
                ann.as_ref()
                    .and_then(|(_, a)| a.title.clone())
                    .unwrap_or(id),
            );
            if let Some((_, a)) = &ann {
                meta.description = a.description.clone().unwrap_or_default();
            }
            meta.enforcement = if mandatory {
                Enforcement::Mandatory
            } else {
                Enforcement::Advisory
            };
            meta.kind = PolicyKind::Stack;
            out.push(Candidate {
                // a whole-document rule reads the input file as it is
                secrets: true,
                origin: (file.path.clone(), rule.line),
                style: Style::Conftest {
                    pkg: info.package.clone(),
                    rule: rule.name.clone(),
                },
                meta,
            });
        }
    }
    if out.is_empty() {
        let found: std::collections::BTreeSet<&str> =
            infos.iter().map(|i| i.package.as_str()).collect();
        return Err(PackError::new(
            dir,
            format!(
                "has no deny, violation or warn rules in {} (packages found: {})",
                namespaces.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
                found.into_iter().collect::<Vec<_>>().join(", ")
            ),
        )
        .help("choose the package with --namespace NAME (or `--namespace '*'` for all), or add a guardrail-pack.yaml / PulumiPolicy.yaml for the other layouts"));
    }
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("policy")
        .to_string();
    Ok((name, None, None, None, out))
}

/// Entry points for the fuzz targets in `fuzz/`: the parsers of pack files, without a directory.
/// Not a stable interface.
#[doc(hidden)]
pub mod fuzzing {
    use std::path::Path;

    /// Parses `text` as a `guardrail-pack.yaml` and as a `PulumiPolicy.yaml`, rendering errors.
    pub fn manifests(text: &str) {
        if let Err(e) = crate::meta::manifest(Path::new("guardrail-pack.yaml"), text) {
            let _ = e.to_string();
        }
        let pulumi: Result<crate::meta::PulumiManifest, _> =
            crate::meta::yaml(Path::new("PulumiPolicy.yaml"), text, 1, "PulumiPolicy.yaml");
        if let Err(e) = pulumi {
            let _ = e.to_string();
        }
    }

    /// Finds the METADATA blocks of a Rego text and parses each as a policy's metadata,
    /// rendering errors.
    pub fn metadata(text: &str) {
        let path = Path::new("policy.rego");
        for block in crate::meta::blocks(text) {
            match crate::meta::annotation(path, text, &block) {
                Ok(ann) => {
                    if let Err(e) = crate::meta::policy_metadata(path, text, &block, &ann) {
                        let _ = e.to_string();
                    }
                }
                Err(e) => {
                    let _ = e.to_string();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_files_are_recognised() {
        assert!(looks_v1("package p\ndeny contains msg if {\n}\n"));
        assert!(looks_v1("package p\nimport rego.v1\n"));
        assert!(!looks_v1(
            "package p\ndeny[msg] {\n  contains(input.x, \"a\")\n  msg := \"if\"\n}\n"
        ));
        assert!(!looks_v1("package p\n# deny contains x if y\n"));
    }

    #[test]
    fn rule_names_follow_the_bridge_and_conftest() {
        assert!(rule_matches("deny", &["deny"]));
        assert!(rule_matches("deny_public_buckets", &["deny"]));
        assert!(!rule_matches("denying", &["deny"]));
        assert!(!rule_matches("deny_", &["deny"]));
        assert!(rule_matches("stack_warn_x", &["stack_warn"]));
    }
}
