//! What `check` and `audit` need for CI: the project config, gating, baselines, exemptions and
//! several reports in one run.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use clap::Args;

use guardrail_core::{Exemption, Pack, PolicyRef, PolicySettings, Severity, Stack};
use guardrail_report::baseline::{Baseline, FailOn, Gate};
use guardrail_report::{github, human, json, junit, markdown, sarif, Context, Run};

use crate::check::Format;
use crate::config::{self, Config, Known};
use crate::{emit, inline, ColorChoice, UserError};

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

/// Loads the config: `--config FILE`, else `guardrail.toml` found upward, unless `--no-config`.
/// `packs_given` tells whether policy packs beyond the catalog may name other policies.
pub fn load_config(args: &CiArgs, packs_given: bool) -> Result<Config, UserError> {
    let path = if args.no_config {
        None
    } else if let Some(p) = &args.config {
        if !p.is_file() {
            return Err(UserError::new(format!(
                "the config file `{}` does not exist",
                p.display()
            ))
            .help("pass the path of a guardrail.toml file, or leave out --config"));
        }
        Some(p.clone())
    } else {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| config::discover(&cwd))
            .map(|p| relative_to_cwd(&p))
    };
    let Some(path) = path else {
        return Ok(Config::default());
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        UserError::new(format!("cannot read `{}`: {e}", path.display()))
            .help("pass the path of a guardrail.toml file to --config")
    })?;
    let names = catalog_names();
    let known = Known {
        names: names.iter().map(String::as_str).collect(),
        open: packs_given || text_lists_packs(&text),
    };
    Config::parse(&path, &text, &known)
}

/// Whether a config's text names policy packs (whose policies the catalog does not know).
fn text_lists_packs(text: &str) -> bool {
    toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|t| {
            t.get("packs")
                .and_then(|p| p.as_array())
                .map(|a| !a.is_empty())
        })
        .unwrap_or(false)
}

/// A discovered path, shown relative to the working directory when it is below it.
fn relative_to_cwd(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// Every catalog policy's id and name.
pub fn catalog_names() -> Vec<String> {
    guardrail_catalog::rules()
        .iter()
        .flat_map(|r| [r.id.to_string(), r.name.to_string()])
        .collect()
}

/// The config's settings with the Pulumi policy config laid over them (the later file wins per
/// policy), validated against each policy's schema.
pub fn settings(
    config: &Config,
    packs: &[Pack],
    policy_config: Option<(&Path, PolicySettings)>,
) -> Result<PolicySettings, UserError> {
    // Settings of built-in policies left out of this run (the PLATFORM demos, say) are still
    // checked against the whole catalog, so that a typo does not wait for the day they run.
    let whole: Vec<Pack> = packs
        .iter()
        .map(|p| {
            if p.name == guardrail_catalog::PACK_NAME {
                guardrail_catalog::builtin_pack()
            } else {
                p.clone()
            }
        })
        .collect();
    config.validate_policies(&whole)?;
    let mut merged = config.settings.clone();
    if let Some((file, over)) = policy_config {
        config::validate_policy_config(&whole, &over, &|_, _| file.display().to_string())?;
        if over.all.is_some() {
            merged.all = over.all;
        }
        merged.policies.extend(over.policies);
    }
    Ok(merged)
}

/// The config's exemptions followed by the inline ones on the stacks' resources.
pub fn exemptions(
    config: &Config,
    packs: &[Pack],
    stacks: &[Stack],
) -> Result<Vec<Exemption>, UserError> {
    let mut all = config.exemptions.clone();
    let canonical = |name: &str| -> Option<String> {
        packs
            .iter()
            .flat_map(|p| &p.policies)
            .map(|p| p.meta())
            .find(|m| m.id.eq_ignore_ascii_case(name) || m.name.eq_ignore_ascii_case(name))
            .map(|m| m.id.clone())
            .or_else(|| guardrail_catalog::find(name).map(|r| r.id.to_string()))
    };
    for stack in stacks {
        // Tag values are input: keep any secret plaintext in them out of the reports.
        let redactor = guardrail_core::Redactor::for_stack(stack);
        let redact = |s: &str| redactor.redact(s).into_owned();
        for mut e in inline::exemptions(stack, &canonical)? {
            e.reason = redact(&e.reason);
            e.approved_by = e.approved_by.as_deref().map(redact);
            e.ticket = e.ticket.as_deref().map(redact);
            all.push(e);
        }
    }
    Ok(all)
}

/// Leaves out the policies the config's `ignore` selects (`--ignore` on the command line, when
/// given, takes its place).
pub fn apply_ignore(packs: &mut [Pack], ignore: &[String]) -> Result<(), UserError> {
    if ignore.is_empty() {
        return Ok(());
    }
    let catalog = guardrail_catalog::all();
    let ignored = crate::select::select(&catalog, ignore, "the config's `ignore`")?;
    for pack in packs.iter_mut() {
        pack.policies
            .retain(|p| !ignored.iter().any(|i| i.meta().id == p.meta().id));
    }
    Ok(())
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
        crate::select::select(
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

/// The gate from flags and config: flags win.
pub struct Gating {
    /// Which levels fail.
    pub fail_on: FailOn,
    /// Severity floor.
    pub min_severity: Option<Severity>,
    /// The baseline to compare against.
    pub baseline: Option<Baseline>,
}

/// Reads the baseline named by `--baseline` (or the config).
pub fn gating(args: &CiArgs, config: &Config) -> Result<Gating, UserError> {
    let baseline_path = args.baseline.clone().or_else(|| config.baseline.clone());
    let baseline = match &baseline_path {
        Some(path) if args.write_baseline.is_none() => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                UserError::new(format!(
                    "cannot read the baseline `{}`: {e}",
                    path.display()
                ))
                .help("record one with --write-baseline FILE")
            })?;
            Some(Baseline::parse(&text).map_err(|e| {
                UserError::new(format!("{}: {e}", path.display()))
                    .help("record a new one with --write-baseline FILE")
            })?)
        }
        _ => None,
    };
    Ok(Gating {
        fail_on: args.fail_on.or(config.fail_on).unwrap_or_default(),
        min_severity: args.fail_on_severity.or(config.fail_on_severity),
        baseline,
    })
}

/// Applies the gate to every evaluation (writing the baseline first when asked). Returns how
/// many findings the baseline let through.
pub fn apply_gate(
    args: &CiArgs,
    mut gating: Gating,
    stacks: &[Stack],
    evaluations: &mut [guardrail_core::Evaluation],
) -> Result<guardrail_report::baseline::Leniency, UserError> {
    if let Some(path) = &args.write_baseline {
        let runs: Vec<Run<'_>> = stacks
            .iter()
            .zip(evaluations.iter())
            .map(|(stack, evaluation)| Run { stack, evaluation })
            .collect();
        let recorded = Baseline::of(&runs);
        emit(Some(path), &recorded.render())?;
        eprintln!(
            "note: recorded {} finding{} in the baseline `{}`",
            recorded.findings.len(),
            if recorded.findings.len() == 1 {
                ""
            } else {
                "s"
            },
            path.display()
        );
        gating.baseline = Some(recorded);
    }
    let gate = Gate {
        fail_on: gating.fail_on,
        min_severity: gating.min_severity,
        baseline: gating.baseline.as_ref(),
    };
    let mut lenient = guardrail_report::baseline::Leniency::default();
    for (stack, evaluation) in stacks.iter().zip(evaluations.iter_mut()) {
        lenient.add(gate.apply(stack, evaluation));
    }
    let baselined = lenient.baselined;
    if baselined > 0 && args.write_baseline.is_none() {
        eprintln!(
            "note: {baselined} finding{} recorded in the baseline do{} not block",
            if baselined == 1 { "" } else { "s" },
            if baselined == 1 { "es" } else { "" }
        );
    }
    Ok(lenient)
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
    runs: &[Run<'_>],
    ctx: Context<'_>,
    config: &Config,
    opts: HumanOptions,
) -> Result<(), UserError> {
    let color = match (opts.color, config.output.color.as_deref()) {
        (ColorChoice::Auto, Some("always")) => ColorChoice::Always,
        (ColorChoice::Auto, Some("never")) => ColorChoice::Never,
        (c, _) => c,
    };
    let quiet = opts.quiet || config.output.quiet.unwrap_or(false);
    let help = |p: &PolicyRef| -> Option<String> {
        (p.pack == guardrail_catalog::PACK_NAME)
            .then(|| guardrail_catalog::explain(&p.meta.id))
            .flatten()
    };
    // a machine-readable report written to a file holds every finding a cut markdown leaves out
    let full_report = targets
        .iter()
        .filter(|t| matches!(t.format, Format::Sarif | Format::Json))
        .find_map(|t| t.path.as_ref().map(|p| p.display().to_string()));
    for t in targets {
        let text = match t.format {
            // streamed: a large plan's JSON report is never held whole
            Format::Json => {
                crate::emit_with(t.path.as_ref(), |out| json::write(runs, ctx, out))?;
                continue;
            }
            Format::Human => human::render(
                runs,
                ctx,
                human::Options {
                    color: t.path.is_none() && color.enabled(),
                    quiet,
                },
            ),
            Format::Sarif => sarif::render(runs, ctx, sarif::Options { help: Some(&help) }),
            Format::Junit => junit::render(runs, ctx),
            Format::Markdown => markdown::render_with(
                runs,
                ctx,
                markdown::Options {
                    full_report: full_report.as_deref(),
                },
            ),
        };
        emit(t.path.as_ref(), &text)?;
    }
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(github::render(runs, ctx).as_bytes());
    }
    Ok(())
}
