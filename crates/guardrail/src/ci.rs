//! What `check` and `audit` need for CI on the command line: the flags of the project config,
//! gating and baselines (the pipeline, `guardrail-run`, applies them), finding the config file,
//! and several reports in one run.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use clap::Args;

use guardrail_core::Severity;
use guardrail_report::baseline::FailOn;
use guardrail_run::gate::apply_ignore;
use guardrail_run::{ReportOptions, RunResult};

use crate::check::Format;
use crate::config::{self, Config};
use crate::{emit, ColorChoice, UserError};

/// CI options of `check` and `audit`.
#[derive(Args, Debug, Default)]
pub struct CiArgs {
    /// The project config file. Without it, `guardrail.toml` is looked for in the working
    /// directory and its parents.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore any `guardrail.toml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// Which violations fail the run: `mandatory` (default), `advisory` (any violation) or
    /// `never` (report only; policy errors still exit 2).
    #[arg(long, value_name = "LEVEL", value_parser = parse_fail_on)]
    pub fail_on: Option<FailOn>,

    /// Only findings of this severity or higher fail the run: low, medium, high, critical.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on_severity: Option<Severity>,

    /// Fail only on findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the findings' fingerprints in FILE (then gate against it: only policy errors
    /// fail the run).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

fn parse_fail_on(text: &str) -> Result<FailOn, String> {
    FailOn::parse(text).ok_or_else(|| {
        format!(
            "`{text}` is not a level; use one of {}",
            FailOn::NAMES.join(", ")
        )
    })
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::from_str(text)
}

/// The config file to load: `--config FILE`, else `guardrail.toml` found upward from the
/// working directory, unless `--no-config`.
pub fn config_path(args: &CiArgs) -> Result<Option<PathBuf>, UserError> {
    if args.no_config {
        return Ok(None);
    }
    if let Some(p) = &args.config {
        if !p.is_file() {
            return Err(UserError::new(format!(
                "the config file `{}` does not exist",
                p.display()
            ))
            .help("pass the path of a guardrail.toml file, or leave out --config"));
        }
        return Ok(Some(p.clone()));
    }
    Ok(std::env::current_dir()
        .ok()
        .and_then(|cwd| config::discover(&cwd))
        .map(|p| relative_to_cwd(&p)))
}

/// Loads the config: `--config FILE`, else `guardrail.toml` found upward, unless `--no-config`.
/// `packs_given` tells whether policy packs beyond the catalog may name other policies.
pub fn load_config(args: &CiArgs, packs_given: bool) -> Result<Config, UserError> {
    let path = config_path(args)?;
    Ok(guardrail_run::gate::load_config(
        path.as_deref(),
        packs_given,
    )?)
}

/// Where the run happens, for reports that name files from the repository root (SARIF,
/// annotations, JSON `source`, JUnit, markdown): the working directory, and as the root
/// `GITHUB_WORKSPACE` when it is set, else the top of the git work tree above the working
/// directory (the first with a `.git` directory or file), else the working directory itself.
pub fn workspace() -> Option<guardrail_run::Workspace> {
    let working_dir = std::env::current_dir().ok()?;
    let from_env = std::env::var_os("GITHUB_WORKSPACE")
        .filter(|w| !w.is_empty())
        .map(|w| working_dir.join(w));
    Some(resolve_workspace(working_dir, from_env))
}

/// [`workspace`] with the environment read: `github_workspace` (absolute) wins, then the git
/// work tree's top, then `working_dir`. The root is canonicalized when it exists, so that a
/// symbolic link in `GITHUB_WORKSPACE` still matches the working directory.
fn resolve_workspace(
    working_dir: PathBuf,
    github_workspace: Option<PathBuf>,
) -> guardrail_run::Workspace {
    let root = github_workspace
        .or_else(|| {
            working_dir
                .ancestors()
                .find(|d| d.join(".git").exists())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| working_dir.clone());
    let root = std::fs::canonicalize(&root).unwrap_or(root);
    guardrail_run::Workspace { working_dir, root }
}

/// A discovered path, shown relative to the working directory when it is below it.
fn relative_to_cwd(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// Options of `guardrail config validate`.
#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// The config file; without it, `guardrail.toml` is looked for in the working directory and
    /// its parents.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// `guardrail config validate [FILE]`: parses the config and checks every policy setting
/// against the policy's schema, without running policies.
pub fn validate_command(args: ValidateArgs) -> Result<u8, UserError> {
    let ci = CiArgs {
        config: args.file.clone(),
        ..CiArgs::default()
    };
    let config = load_config(&ci, false)?;
    if config.path.as_os_str().is_empty() {
        return Err(UserError::new(format!(
            "no `{}` in this directory or its parents",
            config::FILE_NAME
        ))
        .help("pass the file: guardrail config validate FILE"));
    }
    let packs = vec![guardrail_catalog::builtin_pack()];
    config.validate_policies(&packs)?;
    apply_ignore(&mut packs.clone(), &config.ignore)?;
    if !config.select.is_empty() {
        guardrail_run::select::select(
            &guardrail_catalog::all(),
            &crate::select::split(&config.select),
            "the config's `select`",
        )?;
    }
    if let Some(path) = &config.baseline {
        if !path.is_file() {
            eprintln!(
                "warning: the baseline `{}` does not exist yet; record it with --write-baseline",
                path.display()
            );
        }
    }
    emit(
        None,
        &format!(
            "{}: valid ({} polic{} configured, {} exemption{})\n",
            config.path.display(),
            config.settings.policies.len(),
            if config.settings.policies.len() == 1 {
                "y"
            } else {
                "ies"
            },
            config.exemptions.len(),
            if config.exemptions.len() == 1 {
                ""
            } else {
                "s"
            },
        ),
    )?;
    Ok(0)
}

/// Where reports go.
#[derive(Debug, PartialEq)]
pub struct Target {
    /// The format.
    pub format: Format,
    /// The file; `None` is standard output.
    pub path: Option<PathBuf>,
}

fn format_named(name: &str) -> Option<Format> {
    match name {
        "human" => Some(Format::Human),
        "json" => Some(Format::Json),
        "sarif" => Some(Format::Sarif),
        "junit" => Some(Format::Junit),
        "markdown" => Some(Format::Markdown),
        _ => None,
    }
}

/// The reports to write: `--output FORMAT=FILE` entries (or the config's `reports`), and the
/// main format (`--format`, or the config's `format`, or human) to `--output FILE` or
/// standard output.
pub fn targets(
    format: Option<Format>,
    outputs: &[String],
    config: &Config,
) -> Result<Vec<Target>, UserError> {
    let main = match format {
        Some(f) => f,
        None => config
            .output
            .format
            .as_deref()
            .and_then(format_named)
            .unwrap_or_default(),
    };
    let entries: Vec<String> = if outputs.is_empty() {
        config.output.reports.clone()
    } else {
        outputs.to_vec()
    };
    let mut plain: Option<PathBuf> = None;
    let mut targets = Vec::new();
    for entry in &entries {
        match entry
            .split_once('=')
            .and_then(|(f, p)| Some((format_named(f)?, p)))
        {
            Some((_, "")) => {
                return Err(UserError::new(format!("`--output {entry}` names no file"))
                    .help("write --output FORMAT=FILE, e.g. --output sarif=guardrail.sarif"))
            }
            Some((f, p)) => targets.push(Target {
                format: f,
                path: Some(PathBuf::from(p)),
            }),
            None if plain.is_none() => plain = Some(PathBuf::from(entry)),
            None => {
                return Err(UserError::new(format!(
                    "`--output {entry}`: only one --output may be a plain FILE (for --format)"
                ))
                .help("name the format of the others: --output sarif=out.sarif"))
            }
        }
    }
    targets.insert(
        0,
        Target {
            format: main,
            path: plain,
        },
    );
    Ok(targets)
}

/// Options of the human report.
#[derive(Clone, Copy, Debug, Default)]
pub struct HumanOptions {
    /// Colour choice from the command line.
    pub color: ColorChoice,
    /// Quiet from the command line.
    pub quiet: bool,
}

/// Writes every report, and GitHub annotations to standard error under GitHub Actions.
pub fn write_reports(
    targets: &[Target],
    result: &RunResult,
    config: &Config,
    opts: HumanOptions,
) -> Result<(), UserError> {
    let color = match (opts.color, config.output.color.as_deref()) {
        (ColorChoice::Auto, Some("always")) => ColorChoice::Always,
        (ColorChoice::Auto, Some("never")) => ColorChoice::Never,
        (c, _) => c,
    };
    let quiet = opts.quiet || config.output.quiet.unwrap_or(false);
    // a machine-readable report written to a file holds every finding a cut markdown leaves out
    let full_report = targets
        .iter()
        .filter(|t| matches!(t.format, Format::Sarif | Format::Json))
        .find_map(|t| t.path.as_ref().map(|p| p.display().to_string()));
    for t in targets {
        let options = ReportOptions {
            color: t.path.is_none() && color.enabled(),
            quiet,
            full_report: full_report.clone(),
        };
        let format = t.format.into();
        if t.format == Format::Json {
            // streamed: a large plan's JSON report is never held whole
            crate::emit_with(t.path.as_ref(), |out| {
                result.write_report(format, &options, out)
            })?;
            continue;
        }
        emit(t.path.as_ref(), &result.render(format, &options))?;
    }
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        // A standard error that does not take the annotations cannot show why either; the
        // exit code (2) is what is left to tell the workflow.
        let mut err = std::io::stderr().lock();
        err.write_all(result.github_annotations().as_bytes())
            .and_then(|()| err.flush())
            .map_err(|e| {
                UserError::new(format!(
                    "cannot write the GitHub annotations to standard error: {e}"
                ))
            })?;
    }
    Ok(())
}
