//! `guardrail check` and `guardrail audit`.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Args, ValueEnum};

use std::sync::Arc;

use guardrail_core::{evaluate, EvaluationOptions, Pack};
use guardrail_inputs::InputFormat;
use guardrail_rego::Preloader;
use guardrail_report::{Context, Run};

use crate::{ci, emit, policy_config, select, ColorChoice, UserError};

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

    /// Where the selectors came from (the flags or the config file), for error messages.
    #[arg(skip)]
    pub selection_from: [&'static str; 2],

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
    /// tfstate, pulumi-stack, pulumi-preview or pulumi-events.
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

/// The packs to run, and the document caches of those whose policies read the whole input
/// document.
fn packs_for(args: &CheckArgs) -> Result<(Vec<Pack>, Vec<Arc<Preloader>>), UserError> {
    let rego = crate::pack::load(&args.packs, &args.rego)?;
    let documents: Vec<Arc<Preloader>> = rego
        .iter()
        .filter(|p| p.needs_document)
        .map(|p| Arc::clone(&p.preloader))
        .collect();
    let mut packs: Vec<Pack> = rego.into_iter().map(|p| p.pack).collect();
    if packs.is_empty() || !args.select.is_empty() {
        let [select_from, ignore_from] = args.selection_from;
        let policies = select::choose(&args.select, select_from, &args.ignore, ignore_from)?;
        let mut pack = guardrail_catalog::builtin_pack();
        pack.policies = policies;
        packs.insert(0, pack);
    }
    Ok((packs, documents))
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

/// Two reports to one file would keep only the last; a report over an input would destroy it.
fn check_output_paths(
    targets: &[ci::Target],
    fix_output: Option<&PathBuf>,
    inputs: &[PathBuf],
) -> Result<(), UserError> {
    let mut written: Vec<(PathBuf, String, &PathBuf)> = Vec::new();
    let reports = targets.iter().filter_map(|t| {
        let name = format!("{:?}", t.format).to_ascii_lowercase();
        t.path.as_ref().map(|p| (p, format!("the {name} report")))
    });
    let fixes = fix_output.map(|p| (p, "--fix-output".to_string()));
    for (path, what) in reports.chain(fixes) {
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
            .help("write the report to another file"));
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
fn input_size_limit(flag: Option<u64>) -> Result<u64, UserError> {
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

/// Runs `check` or `audit`; returns the exit code.
pub fn run(mut args: CheckArgs, _mode: Mode) -> Result<u8, UserError> {
    let timings = Timings::from_env();
    guardrail_inputs::set_max_input_size(input_size_limit(args.max_input_size)?);
    let config = ci::load_config(&args.ci, !args.packs.is_empty())?;
    args.selection_from = ["--select", "--ignore"];
    if args.select.is_empty() && !config.select.is_empty() {
        args.select.clone_from(&config.select);
        args.selection_from[0] = "the config's `select`";
    }
    if args.ignore.is_empty() && !config.ignore.is_empty() {
        args.ignore.clone_from(&config.ignore);
        args.selection_from[1] = "the config's `ignore`";
    }
    if args.packs.is_empty() {
        args.packs.clone_from(&config.packs);
    }
    check_output_names(&args.output, &config.output.reports)?;
    let targets = ci::targets(args.format, &args.output, &config)?;
    check_output_paths(&targets, args.fix_output.as_ref(), &args.files)?;
    let gating = ci::gating(&args.ci, &config)?;
    let strict = args.strict || config.strict.unwrap_or(false);
    let input_format = args
        .input_format
        .as_deref()
        .map(|f| {
            InputFormat::from_str(f).map_err(|_| {
                let names: Vec<&str> = InputFormat::ALL.iter().map(|f| f.name()).collect();
                let mut e = UserError::new(format!("unknown input format `{f}`"));
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
    let mut progress = crate::progress::Progress::start(args.progress);
    progress.set("loading policies");
    let (packs, documents) = packs_for(&args)?;

    let mut stacks = Vec::with_capacity(args.files.len());
    let inputs = args.files.len();
    for (i, file) in args.files.iter().enumerate() {
        progress.set(format!(
            "loading `{}` ({}/{inputs})",
            guardrail_inputs::source_name(file),
            i + 1
        ));
        let input_error = |e: guardrail_inputs::InputError| UserError {
            message: match (e.line, e.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}: {}", e.file, e.message),
                (Some(l), None) => format!("{}:{l}: {}", e.file, e.message),
                _ => format!("{}: {}", e.file, e.message),
            },
            help: e.help.clone(),
        };
        let stack = if documents.is_empty() {
            guardrail_inputs::load_file(file, input_format).map_err(input_error)?
        } else {
            // Whole-document policies: one core reads the raw document, parses it into the
            // Rego engine's values and evaluates those policies, while the other loads the
            // stack. A file that is not JSON fails in the stack's loader, with its place.
            let (stack, preload) = std::thread::scope(|scope| {
                let worker = scope.spawn(|| -> Result<Arc<String>, UserError> {
                    let doc = Arc::new(guardrail_inputs::load_document(file).map_err(input_error)?);
                    for p in &documents {
                        p.load(&doc).map_err(|e| {
                            UserError::new(format!("{}: {e}", file.display()))
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
            let doc =
                preload.map_err(|_| UserError::new("reading the input document failed"))??;
            stack.document = Some(doc);
            stack
        };
        let mut stack = stack;
        let notes = guardrail_inputs::source::attach(&mut stack, file, args.source.as_deref())
            .map_err(input_error)?;
        if !args.quiet {
            for note in notes {
                eprintln!("note: {note}");
            }
        }
        stacks.push(stack);
    }
    timings.mark("load");

    let settings = match &args.policy_config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                UserError::new(format!("cannot read `{}`: {e}", path.display()))
                    .help("pass the path of a JSON policy config file")
            })?;
            let with_catalog = packs.iter().any(|p| p.name == guardrail_catalog::PACK_NAME);
            let known = |key: &str| {
                packs.iter().flat_map(|p| &p.policies).any(|p| {
                    let m = p.meta();
                    m.id == key || m.name == key
                }) || (with_catalog && guardrail_catalog::find(key).is_some())
            };
            Some((path.as_path(), policy_config::parse(path, &text, &known)?))
        }
        None => None,
    };
    let options = EvaluationOptions {
        strict,
        settings: ci::settings(&config, &packs, settings)?,
        exemptions: ci::exemptions(&config, &packs, &stacks)?,
        today: Some(crate::config::today()?),
        ..EvaluationOptions::default()
    };
    install_panic_hook();
    IN_POLICY_CODE.store(true, Ordering::SeqCst);
    let policies: usize = packs.iter().map(|p| p.policies.len()).sum();
    let mut evaluations: Vec<_> = stacks
        .iter()
        .enumerate()
        .map(|(i, s)| {
            progress.set(format!(
                "evaluating `{}` ({}/{inputs}): {} resources, {policies} policies",
                s.source,
                i + 1,
                s.resources.len()
            ));
            evaluate(&packs, s, &options)
        })
        .collect();
    IN_POLICY_CODE.store(false, Ordering::SeqCst);
    timings.mark("evaluate");
    let min_severity = gating.min_severity;
    let lenient = ci::apply_gate(&args.ci, gating, &stacks, &mut evaluations)?;

    let runs: Vec<Run<'_>> = stacks
        .iter()
        .zip(&evaluations)
        .map(|(stack, evaluation)| Run { stack, evaluation })
        .collect();
    let fix_output = args.fix_output.as_ref().map(|p| p.display().to_string());
    let ctx = Context {
        strict,
        exemptions: &options.exemptions,
        lenient,
        min_severity,
        fix_output: fix_output.as_deref(),
    };
    let human = ci::HumanOptions {
        color: args.color,
        quiet: args.quiet,
    };
    // the reports may go to the same terminal
    progress.finish();
    ci::write_reports(&targets, &runs, ctx, &config, human)?;
    timings.mark("report");
    if let Some(path) = &args.fix_output {
        emit(Some(path), &guardrail_report::fixes::render(&runs))?;
    }
    let code = u8::try_from(guardrail_report::exit_code(&runs)).unwrap_or(2);
    drop(runs);
    // The process ends right after this: freeing every value of a large plan one by one would
    // cost as much as a third of the run (1.8 s of 6.9 s on a 100k-resource plan), and the
    // operating system takes the memory back at once.
    std::mem::forget(evaluations);
    std::mem::forget(stacks);
    // Likewise the packs: a whole-document pack holds the parsed input documents.
    std::mem::forget(packs);
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
