//! `guardrail report compliance`: a front door to `guardrail_run::compliance`. Flags become
//! the pipeline's options; the report is rendered as markdown, HTML or JSON.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use guardrail_report::compliance::{html, markdown, rfc3339, ComplianceReport};
use guardrail_run::{Document, Input, Observer, RunOptions};

use crate::{ci, emit, UserError};

/// `guardrail report ...`.
#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// For each control of a framework: the rules mapped to it, the resources they evaluated,
    /// pass / fail / exempted / not covered, and the evidence. Exit 0 when no control fails, 1
    /// when one fails, 2 on an error (a rule that failed included).
    Compliance(ComplianceArgs),
}

/// Formats of the compliance report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ComplianceFormat {
    /// Markdown: summary, a table of every control, the evidence.
    #[default]
    Markdown,
    /// One self-contained HTML page (no external assets).
    Html,
    /// JSON, schema docs/schemas/compliance-report.schema.json (`guardrail.compliance/v1`).
    Json,
}

impl ComplianceFormat {
    const NAMES: &'static str = "markdown, html, json";

    fn named(name: &str) -> Option<ComplianceFormat> {
        match name {
            "markdown" => Some(ComplianceFormat::Markdown),
            "html" => Some(ComplianceFormat::Html),
            "json" => Some(ComplianceFormat::Json),
            _ => None,
        }
    }

    fn render(self, report: &ComplianceReport) -> String {
        match self {
            ComplianceFormat::Markdown => markdown::render(report),
            ComplianceFormat::Html => html::render(report),
            ComplianceFormat::Json => report.to_json(),
        }
    }
}

/// Options of `guardrail report compliance`.
#[derive(Args, Debug)]
pub struct ComplianceArgs {
    /// A framework to report on (repeatable, or comma-separated): cis-aws, cis-azure, cis-gcp,
    /// cis-kubernetes, pss, pci-dss, soc2, iso27001, nist-800-53, hipaa.
    #[arg(long = "framework", required = true, value_name = "FRAMEWORK")]
    pub frameworks: Vec<String>,

    /// The inputs to judge, as `guardrail check` and `guardrail audit` read them: Terraform or
    /// OpenTofu plans and states, Pulumi previews and stack exports. (A JSON report of
    /// `guardrail check` is refused: it does not record what passed.)
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Report format on standard output (or in the plain --output FILE).
    #[arg(long, value_enum, default_value_t = ComplianceFormat::Markdown)]
    pub format: ComplianceFormat,

    /// Write a report: FORMAT=FILE (markdown, html, json; repeatable), or a plain FILE for
    /// the --format report instead of standard output.
    #[arg(long, short = 'o', value_name = "[FORMAT=]FILE")]
    pub output: Vec<String>,

    /// A Rego policy pack to run beside the built-in rules (repeatable; default: the config's
    /// `packs`): its policies mapped to the frameworks' controls (`custom.frameworks`) count
    /// under those controls.
    #[arg(long = "pack", value_name = "DIR")]
    pub packs: Vec<PathBuf>,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub rego: crate::pack::RegoArgs,

    /// The project config (exemptions, policy settings, packs). Without it, `guardrail.toml`
    /// is looked for in the working directory and its parents.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore any `guardrail.toml`.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// Skip detection and read every input as this format (see `guardrail check --help`).
    #[arg(long, value_name = "FORMAT")]
    pub input_format: Option<String>,

    /// The largest input read (`500MB`, `2GiB`); default 2GiB, or the
    /// GUARDRAIL_MAX_INPUT_SIZE environment variable.
    #[arg(long, value_name = "SIZE", value_parser = crate::check::parse_size)]
    pub max_input_size: Option<u64>,
}

/// Where each report goes: `None` is standard output.
fn targets(args: &ComplianceArgs) -> Result<Vec<(ComplianceFormat, Option<PathBuf>)>, UserError> {
    let mut targets: Vec<(ComplianceFormat, Option<PathBuf>)> = Vec::new();
    for entry in &args.output {
        let (format, path) = match entry.split_once('=') {
            Some((name, path)) if !name.is_empty() && !name.contains(['/', '.']) => {
                let Some(format) = ComplianceFormat::named(name) else {
                    return Err(UserError::new(format!(
                        "unknown compliance report format `{name}` in --output `{entry}`"
                    ))
                    .help(format!(
                        "formats: {}; for a file whose name holds `=`, write it as `./{entry}`",
                        ComplianceFormat::NAMES
                    )));
                };
                (format, PathBuf::from(path))
            }
            _ => (args.format, PathBuf::from(entry)),
        };
        if path.as_os_str().is_empty() {
            return Err(UserError::new(format!("--output `{entry}` names no file"))
                .help("write it as FORMAT=FILE, e.g. `html=compliance.html`"));
        }
        if targets.iter().any(|(_, p)| p.as_ref() == Some(&path)) {
            return Err(UserError::new(format!(
                "two reports would be written to `{}`",
                path.display()
            ))
            .help("give every report its own file"));
        }
        if args.files.contains(&path) {
            return Err(UserError::new(format!(
                "the report would overwrite the input `{}`",
                path.display()
            ))
            .help("write it to another file"));
        }
        targets.push((format, Some(path)));
    }
    if targets.is_empty() {
        targets.push((args.format, None));
    }
    Ok(targets)
}

/// When the report is made: `SOURCE_DATE_EPOCH` (seconds since 1970, for reproducible
/// reports), else the system clock.
fn generated_at() -> Result<String, UserError> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) if !text.trim().is_empty() => {
            text.trim().parse::<u64>().map(rfc3339).map_err(|_| {
                UserError::new(format!(
                    "`SOURCE_DATE_EPOCH={text}` is not a number of seconds"
                ))
                .help("set it to seconds since 1970-01-01 UTC, or unset it to use the clock")
            })
        }
        _ => Ok(rfc3339(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
        )),
    }
}

/// Prints the run's notes on standard error, nothing else.
struct Notes;

impl Observer for Notes {
    fn note(&self, note: &str) {
        eprintln!("note: {note}");
    }
}

/// Runs `guardrail report compliance`; returns the exit code.
pub fn compliance(args: ComplianceArgs) -> Result<u8, UserError> {
    let frameworks = guardrail_run::compliance::frameworks(&args.frameworks)?;
    let targets = targets(&args)?;
    let ci_args = ci::CiArgs {
        config: args.config.clone(),
        no_config: args.no_config,
        ..ci::CiArgs::default()
    };
    let config_path = ci::config_path(&ci_args)?;
    let config = guardrail_run::gate::load_config(config_path.as_deref(), !args.packs.is_empty())?;
    let generated_at = generated_at()?;
    let options = RunOptions {
        config: config_path.map(Document::Path),
        inputs: args.files.iter().cloned().map(Input::Path).collect(),
        input_format: args.input_format.clone(),
        packs: args.packs.clone(),
        rego: args.rego.rego_options(),
        max_input_size: Some(crate::check::input_size_limit(args.max_input_size)?),
        today: std::env::var("GUARDRAIL_TODAY").ok(),
        workspace: ci::workspace(),
        ..RunOptions::default()
    };
    let report =
        guardrail_run::compliance::run(&frameworks, options, &config, &Notes, &generated_at)?;
    for (format, path) in &targets {
        emit(path.as_ref(), &format.render(&report))?;
    }
    Ok(if report.has_errors() {
        2
    } else if report.fails() {
        1
    } else {
        0
    })
}
