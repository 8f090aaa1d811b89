//! `guardrail check` and `guardrail audit`: a front door to the pipeline (`guardrail-run`).
//! Flags become the pipeline's options, its result becomes reports and an exit code.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Args, ValueEnum};

use guardrail_run::{Document, Input, Observer, ReportFormat, RunOptions};

use crate::{ci, emit, select, ColorChoice, UserError};

/// Which command is running.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Planned changes.
    Check,
    /// Deployed state.
    Audit,
}

/// Report formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: findings grouped by resource, then a summary.
    #[default]
    Human,
    /// The versioned JSON report (docs/report-schema.json).
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub and others).
    Sarif,
    /// JUnit XML: a test case per policy and resource.
    Junit,
    /// A markdown summary for pull-request comments.
    Markdown,
}

impl From<Format> for ReportFormat {
    fn from(format: Format) -> ReportFormat {
        match format {
            Format::Human => ReportFormat::Human,
            Format::Json => ReportFormat::Json,
            Format::Sarif => ReportFormat::Sarif,
            Format::Junit => ReportFormat::Junit,
            Format::Markdown => ReportFormat::Markdown,
        }
    }
}

/// Options of `check` and `audit`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Input files: Terraform/OpenTofu `show -json` plans and states, `.tfstate` files, Pulumi
    /// `preview --json` output, engine event logs and `stack export` files. The format is detected
    /// from the content. `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// A Rego policy pack directory to run (repeatable): a guardrail pack (guardrail-pack.yaml),
    /// a Pulumi OPA-bridge pack (PulumiPolicy.yaml, runtime: opa) or a conftest policy
    /// directory. Naming packs runs exactly those packs; the built-in catalog joins them only
    /// with --select.
    #[arg(long = "pack", value_name = "DIR")]
    pub packs: Vec<PathBuf>,

    /// Built-in policies to run (comma-separated or repeated): ids, id prefixes or names
    /// (`AWS-S3`), `all`, or metadata: `vendor=aws`, `service=s3`, `severity>=high`,
    /// `topic=encryption`, `framework=pci-dss`, `framework=cis-aws:2.1.1`. Selectors of one
    /// field are alternatives, different fields must all hold (docs/catalog.md). Without
    /// --select and --pack, the built-in default set runs.
    #[arg(long, value_name = "SELECTORS")]
    pub select: Vec<String>,

    /// Built-in policies to leave out, same grammar as --select (replaces the config's
    /// `ignore`).
    #[arg(long, value_name = "SELECTORS")]
    pub ignore: Vec<String>,

    /// Report format on standard output (or in the plain --output FILE); default human, or
    /// the config's `output.format`.
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write a report: FORMAT=FILE (human, json, sarif, junit, markdown; repeatable, e.g.
    /// `--output sarif=out.sarif --output junit=out.xml`), or a plain FILE for the --format
    /// report instead of standard output.
    #[arg(long, short = 'o', value_name = "[FORMAT=]FILE")]
    pub output: Vec<String>,

    /// Write the resources changed by remediation, as JSON, to FILE.
    #[arg(long, value_name = "FILE")]
    pub fix_output: Option<PathBuf>,

    /// Treat indeterminate outcomes (values known only after apply) as blocking under
    /// mandatory enforcement.
    #[arg(long)]
    pub strict: bool,

    /// Show only blocking findings, errors and the summary.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Skip detection and read every input as this format: terraform-plan, terraform-state,
    /// tfstate, pulumi-stack, pulumi-preview, pulumi-events or kubernetes-manifests.
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<String>,

    /// The program's source, so that findings point at it instead of the input file: the
    /// Terraform root module's directory (`*.tf`; local modules are followed) or the Pulumi
    /// project directory. Without it, the input's own directory is used when it holds `*.tf`
    /// (or `Pulumi.yaml`).
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,

    /// Pulumi policy-pack configuration (JSON): `{"all": "mandatory", "policy": {"enforcementLevel":
    /// "advisory", "property": value}}`. Policies are named by id or name.
    #[arg(long, value_name = "FILE")]
    pub policy_config: Option<PathBuf>,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub ci: ci::CiArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub rego: crate::pack::RegoArgs,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub remote: crate::remote::ServerArgs,

    /// The largest input read (`500MB`, `2GiB`, bytes when no unit); a larger file or a stream
    /// that goes on past it is an error. Default 2GiB, or the GUARDRAIL_MAX_INPUT_SIZE
    /// environment variable.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_input_size: Option<u64>,

    /// Colour the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// A progress line on standard error (which input, how many resources, how long): by
    /// default only on a terminal and for runs longer than half a second.
    #[arg(long, value_enum, default_value_t = crate::progress::ProgressChoice::Auto)]
    pub progress: crate::progress::ProgressChoice,
}

/// Set while policies run, so that a panicking policy (reported as an error outcome) does not
/// also print a Rust panic message; panics elsewhere still print.
static IN_POLICY_CODE: AtomicBool = AtomicBool::new(false);

fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !IN_POLICY_CODE.load(Ordering::SeqCst) {
            default(info);
        }
    }));
}

/// The report formats `--output FORMAT=FILE` takes.
const REPORT_FORMATS: &str = "human, json, sarif, junit, markdown";

/// `--output` entries whose part before `=` looks like a format name (letters, digits, `-`,
/// `_`) must name a known format: `xml=out.xml` is a mistake, not a file named so. A file whose
/// name holds `=` is still written when the part before it cannot be a format (`./a=b.json`,
/// `dir/x=y`, `a.b=c`).
fn check_output_names(flags: &[String], config_reports: &[String]) -> Result<(), UserError> {
    let (entries, from) = if flags.is_empty() {
        (config_reports, "in the config's `output.reports`")
    } else {
        (flags, "in --output")
    };
    for entry in entries {
        let Some((prefix, _)) = entry.split_once('=') else {
            continue;
        };
        let looks_like_format = !prefix.is_empty()
            && prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if looks_like_format && !REPORT_FORMATS.split(", ").any(|f| f == prefix) {
            let mut e =
                UserError::new(format!("unknown report format `{prefix}` {from} `{entry}`"));
            let formats = REPORT_FORMATS.split(", ");
            e = match select::nearest(&prefix.to_ascii_lowercase(), formats) {
                Some(n) => e.help(format!(
                    "did you mean `{n}`? formats: {REPORT_FORMATS}; for a file whose name holds `=`, write it as `./{entry}`"
                )),
                None => e.help(format!(
                    "formats: {REPORT_FORMATS}; for a file whose name holds `=`, write it as `./{entry}`"
                )),
            };
            return Err(e);
        }
    }
    Ok(())
}

/// A path's identity for comparison: its real directory joined with its name, so that `r.out`,
/// `./r.out` and `dir/../r.out` are one file, whether it exists yet or not.
fn identity(path: &std::path::Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    match (parent.canonicalize(), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// Two reports to one file would keep only the last; a report (or the fixed plan, or the
/// recorded baseline) over an input would destroy it.
fn check_output_paths(
    targets: &[ci::Target],
    fix_output: Option<&PathBuf>,
    write_baseline: Option<&PathBuf>,
    inputs: &[PathBuf],
) -> Result<(), UserError> {
    let mut written: Vec<(PathBuf, String, &PathBuf)> = Vec::new();
    let reports = targets.iter().filter_map(|t| {
        let name = format!("{:?}", t.format).to_ascii_lowercase();
        t.path.as_ref().map(|p| (p, format!("the {name} report")))
    });
    let fixes = fix_output.map(|p| (p, "--fix-output".to_string()));
    let baseline = write_baseline.map(|p| (p, "--write-baseline".to_string()));
    for (path, what) in reports.chain(fixes).chain(baseline) {
        let id = identity(path);
        if let Some((_, first, first_path)) = written.iter().find(|(other, _, _)| *other == id) {
            return Err(UserError::new(format!(
                "{what} and {first} would both be written to `{}`{}",
                path.display(),
                if first_path.as_path() == path.as_path() {
                    String::new()
                } else {
                    format!(" (also named `{}`)", first_path.display())
                }
            ))
            .help("give every report its own file"));
        }
        if let Some(input) = inputs.iter().find(|i| identity(i) == id) {
            return Err(UserError::new(format!(
                "{what} would overwrite the input `{}`",
                input.display()
            ))
            .help("write it to another file"));
        }
        written.push((id, what, path));
    }
    Ok(())
}

/// Parses a size: `1048576`, `500KB`, `500MB`, `2GB` (powers of 1000), `64KiB`, `512MiB`, `2GiB`
/// (powers of 1024); `k`, `M`, `G` alone are powers of 1024.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let value: f64 = number.parse().map_err(|_| {
        format!("`{text}` is not a size: write e.g. `500MB`, `2GiB` or a number of bytes")
    })?;
    let scale: f64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "kb" => 1e3,
        "mb" => 1e6,
        "gb" => 1e9,
        "tb" => 1e12,
        "k" | "kib" => 1024.0,
        "m" | "mib" => 1024.0 * 1024.0,
        "g" | "gib" => 1024.0 * 1024.0 * 1024.0,
        "t" | "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err(format!(
                "unknown unit `{unit}` in `{text}`: use B, KB, MB, GB, KiB, MiB or GiB"
            ))
        }
    };
    let bytes = (value * scale).round();
    if !(1.0..1.8e19).contains(&bytes) {
        return Err(format!("`{text}` must be at least one byte"));
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "checked to lie within u64 just above"
    )]
    Ok(bytes as u64)
}

/// The input size limit: the flag, else `GUARDRAIL_MAX_INPUT_SIZE`, else the default.
pub(crate) fn input_size_limit(flag: Option<u64>) -> Result<u64, UserError> {
    if let Some(bytes) = flag {
        return Ok(bytes);
    }
    match std::env::var("GUARDRAIL_MAX_INPUT_SIZE") {
        Ok(text) if !text.trim().is_empty() => parse_size(&text).map_err(|e| {
            UserError::new(format!(
                "the GUARDRAIL_MAX_INPUT_SIZE environment variable: {e}"
            ))
            .help("set it to a size such as `4GiB`, or unset it for the default of 2GiB")
        }),
        _ => Ok(guardrail_inputs::DEFAULT_MAX_INPUT_SIZE),
    }
}

/// What the pipeline tells the command line while it runs: the progress line, notes and
/// phase timings on standard error, and when a panic is a policy's.
struct Terminal<'a> {
    /// The progress line, started when the run first reports a step.
    progress: std::cell::RefCell<Option<crate::progress::Progress>>,
    choice: crate::progress::ProgressChoice,
    timings: &'a Timings,
    /// `--quiet`: source notes are left out.
    quiet: bool,
}

impl Observer for Terminal<'_> {
    fn progress(&self, step: &str) {
        let mut progress = self.progress.borrow_mut();
        progress
            .get_or_insert_with(|| crate::progress::Progress::start(self.choice))
            .set(step);
    }

    fn note(&self, note: &str) {
        eprintln!("note: {note}");
    }

    fn warning(&self, warning: &str) {
        eprintln!("warning: {warning}");
    }

    fn source_note(&self, note: &str) {
        if !self.quiet {
            eprintln!("note: {note}");
        }
    }

    fn phase_done(&self, phase: &str) {
        self.timings.mark(phase);
    }

    fn policies_running(&self, running: bool) {
        if running {
            install_panic_hook();
        }
        IN_POLICY_CODE.store(running, Ordering::SeqCst);
    }
}

/// Runs `check` or `audit`; returns the exit code.
pub fn run(args: CheckArgs, mode: Mode) -> Result<u8, UserError> {
    let timings = Timings::from_env();
    let max_input_size = input_size_limit(args.max_input_size)?;
    let config_path = ci::config_path(&args.ci)?;
    let config = guardrail_run::gate::load_config(config_path.as_deref(), !args.packs.is_empty())?;
    check_output_names(&args.output, &config.output.reports)?;
    let targets = ci::targets(args.format, &args.output, &config)?;
    check_output_paths(
        &targets,
        args.fix_output.as_ref(),
        args.ci.write_baseline.as_ref(),
        &args.files,
    )?;
    // The service's policy first: without it (and without `--offline-ok`) nothing runs.
    let mut remote = crate::remote::Remote::from_args(&args.remote)?;
    let central = match remote.as_mut() {
        Some(r) => Some(r.central(&|w| eprintln!("warning: {w}"))?),
        None => None,
    };
    let options = RunOptions {
        config: config_path.map(Document::Path),
        inputs: args.files.iter().cloned().map(Input::Path).collect(),
        input_format: args.input_format.clone(),
        source: args.source.clone(),
        max_input_size: Some(max_input_size),
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        packs: args.packs.clone(),
        rego: args.rego.rego_options(),
        policy_config: args.policy_config.clone().map(Document::Path),
        exemptions: Vec::new(),
        strict: args.strict,
        fail_on: args.ci.fail_on,
        fail_on_severity: args.ci.fail_on_severity,
        baseline: args.ci.baseline.clone().map(Document::Path),
        write_baseline: args.ci.write_baseline.clone(),
        // checked by the pipeline where it reads the date, after the inputs
        today: std::env::var("GUARDRAIL_TODAY").ok(),
        fix_output: args.fix_output.as_ref().map(|p| p.display().to_string()),
        workspace: crate::ci::workspace(),
        reports: Vec::new(),
        central,
        notices: remote
            .as_ref()
            .and_then(|r| r.offline.as_ref())
            .map(|_| {
                "this run was not recorded: the policy service could not be reached, and the packs it required at its last answer ran from the local cache (`--offline-ok`)".to_owned()
            })
            .into_iter()
            .collect(),
    };
    let terminal = Terminal {
        progress: std::cell::RefCell::new(None),
        choice: args.progress,
        timings: &timings,
        quiet: args.quiet,
    };
    let result = guardrail_run::run_with_config(options, &config, &terminal)?;
    let human = ci::HumanOptions {
        color: args.color,
        quiet: args.quiet,
    };
    // the reports may go to the same terminal
    if let Some(mut progress) = terminal.progress.into_inner() {
        progress.finish();
    }
    ci::write_reports(&targets, &result, &config, human)?;
    timings.mark("report");
    if let Some(path) = &args.fix_output {
        emit(Some(path), &result.fixes())?;
    }
    if let Some(remote) = &remote {
        let json = result.render(ReportFormat::Json, &guardrail_run::ReportOptions::default());
        let kind = match mode {
            Mode::Check => "plan",
            Mode::Audit => "state",
        };
        let coverage = guardrail_server::runs::coverage(&result);
        match remote.upload(&json, kind, Some(coverage))? {
            Some(id) => eprintln!("note: the run is recorded on the server as run {id}"),
            None => eprintln!(
                "warning: this run was not recorded: the server could not be reached (`--offline-ok`)"
            ),
        }
    }
    let code = result.exit_class().code();
    // The process ends right after this: freeing every value of a large plan one by one would
    // cost as much as a third of the run (1.8 s of 6.9 s on a 100k-resource plan), and the
    // operating system takes the memory back at once. Likewise the packs: a whole-document
    // pack holds the parsed input documents.
    std::mem::forget(result);
    Ok(code)
}

/// Phase timings on standard error, when `GUARDRAIL_TIMINGS` is set (for profiling; see
/// BENCHMARKS.md).
struct Timings {
    start: Option<std::time::Instant>,
    last: std::cell::Cell<Option<std::time::Instant>>,
}

impl Timings {
    fn from_env() -> Timings {
        let now = std::env::var_os("GUARDRAIL_TIMINGS").map(|_| std::time::Instant::now());
        Timings {
            start: now,
            last: std::cell::Cell::new(now),
        }
    }

    fn mark(&self, phase: &str) {
        if let (Some(start), Some(last)) = (self.start, self.last.get()) {
            let now = std::time::Instant::now();
            eprintln!(
                "timing: {phase:<10} {:>8.1} ms (total {:>8.1} ms)",
                (now - last).as_secs_f64() * 1e3,
                (now - start).as_secs_f64() * 1e3
            );
            self.last.set(Some(now));
        }
    }
}
