//! `guardrail`: policy as code for infrastructure.
//!
//! Exit codes: 0 nothing blocks · 1 a mandatory violation blocks · 2 usage, input, config or
//! policy error.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

// The global allocator is mimalloc, installed by `guardrail-rego` (regorus' build of it counts
// live bytes, which is what lets a Rego policy be stopped at its memory limit; see
// `guardrail_rego::memory`).

mod analyzer;
mod check;
mod ci;
mod exempt;
mod history;
mod init;
mod metrics;
mod pack;
mod progress;
mod remote;
mod report;
mod rules;
mod serve;
mod simulate;
mod test_cmd;
mod user;

use guardrail_run::{config, select};

/// Policy as code for infrastructure: check Terraform/OpenTofu plans, Pulumi previews and
/// deployed states against guardrails.
#[derive(Parser, Debug)]
#[command(
    name = "guardrail",
    version,
    about,
    long_about = None,
    after_help = "Exit codes: 0 nothing blocks, 1 a mandatory violation blocks, 2 usage, input, config or policy error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check planned changes (a Terraform/OpenTofu plan, a Pulumi preview) before they are applied.
    Check(check::CheckArgs),
    /// Audit deployed state (a Terraform state, a Pulumi stack export): the same checks, after the fact.
    Audit(check::CheckArgs),
    /// List the built-in policies.
    Rules(rules::RulesArgs),
    /// Explain one built-in policy: what it checks, why, examples and how to fix it.
    Rule(rules::RuleArgs),
    /// Test policy packs: Rego `test_*` rules and fixture files (also the built-in rules' fixtures).
    Test(test_cmd::TestArgs),
    /// Work with Rego policy packs.
    #[command(subcommand)]
    Pack(pack::PackCommand),
    /// Work with the project config file, guardrail.toml.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Write a commented guardrail.toml for the Terraform or Pulumi project in a directory.
    Init(init::InitArgs),
    /// Run the policy service: the HTTP JSON API (pack registry, organizations, tokens,
    /// policy groups, run history).
    Serve(serve::ServeArgs),
    /// List the runs the policy service recorded (filter by stack, policy, kind, outcome, time).
    Runs(history::HistoryArgs),
    /// List the findings of the runs the policy service recorded.
    Findings(history::HistoryArgs),
    /// The policy service's metrics: violation rate, time to remediation, exemption rate,
    /// coverage, remediation automation and flow, over a window and per UTC day.
    Metrics(metrics::MetricsArgs),
    /// Request, approve, deny, revoke and list the policy service's exemptions.
    Exempt(exempt::ExemptArgs),
    /// Read the policy service's audit log: every change to packs, groups, tokens, users,
    /// stack tags and exemptions, and every simulation (admin and auditor).
    AuditLog(exempt::AuditLogArgs),
    /// Add, change and list the policy service's users: roles, and the packs a `policy-admin`
    /// administers.
    User(user::UserArgs),
    /// Replay the recorded runs with a policy at another level (or pack version): which runs
    /// and stacks would have been blocked, which findings are new or disappear.
    Simulate(simulate::SimulateArgs),
    /// Change a policy group's level for a policy, unless the simulation over the window
    /// would have blocked more than `--max-blocked-share` of the runs (exit code 1; `--force`).
    Promote(simulate::PromoteArgs),
    /// Reports beyond a check: `guardrail report compliance --framework pci-dss FILE...`.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Run as a Pulumi policy pack (the analyzer plugin the Pulumi CLI starts as
    /// `pulumi-analyzer-policy-guardrail ENGINE_ADDRESS PACK_DIR`; see docs/pulumi.md).
    PulumiAnalyzer(PluginArgs),
    /// Run as the Pulumi language host of `runtime: guardrail` (what newer Pulumi CLIs start as
    /// `pulumi-language-guardrail ENGINE_ADDRESS`; see docs/pulumi.md).
    PulumiLanguageHost(PluginArgs),
}

/// The Pulumi CLI's arguments to a plugin, passed on as they are.
#[derive(clap::Args, Debug)]
struct PluginArgs {
    /// `[--logtostderr] [-v=N] [--tracing ENDPOINT] ENGINE_ADDRESS [PACK_DIR]`
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "ARGS"
    )]
    args: Vec<String>,
}

/// `guardrail config ...`.
#[derive(Subcommand, Debug)]
enum ConfigCommand {
    /// Check a config file (policy settings against each policy's schema, exemptions,
    /// selectors) without running policies.
    Validate(ci::ValidateArgs),
}

/// When to colour the terminal report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to standard output.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// An error for a person: what went wrong, and what to do about it. Exit code 2.
#[derive(Debug)]
pub struct UserError {
    /// What went wrong (lowercase, user input in backticks).
    pub message: String,
    /// What to do.
    pub help: Option<String>,
}

impl UserError {
    /// An error without help.
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            help: None,
        }
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl From<guardrail_run::Error> for UserError {
    fn from(e: guardrail_run::Error) -> Self {
        UserError {
            message: e.message,
            help: e.help,
        }
    }
}

/// Whether standard output was closed when guardrail started (`guardrail check ... >&-`).
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes whether standard output was closed when guardrail started. Rust's runtime puts
/// `/dev/null` (opened for reading and writing) on a closed standard descriptor before `main`,
/// so that a later file cannot take its place; writes there would vanish without an error.
/// On Linux that descriptor is told from a redirection to `/dev/null` (opened for writing only)
/// by its open flags.
fn guard_standard_output() {
    #[cfg(target_os = "linux")]
    {
        let is_null = std::fs::read_link("/proc/self/fd/1")
            .is_ok_and(|target| target == std::path::Path::new("/dev/null"));
        let read_write = std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("flags:"))
                .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                .is_some_and(|flags| flags & 0o3 == 0o2)
        });
        if is_null && read_write {
            STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// The error of a report that standard output did not take.
fn stdout_error(e: Option<&std::io::Error>) -> UserError {
    let why = match e {
        None => "it is closed".to_string(),
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            return UserError::new(
                "cannot write the report to standard output: the reader closed the pipe",
            )
            .help("the report is incomplete; let the reader take all of it (not `| head`), or write the report to a file with --output FILE");
        }
        Some(e) => {
            let text = e.to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    };
    UserError::new(format!("cannot write the report to standard output: {why}"))
        .help("check where standard output goes (a full disk, a closed descriptor), or write the report to a file with --output FILE")
}

/// Writes to standard output; every failure (a full disk, a closed descriptor, a reader that
/// closed the pipe before the end) is an error: a cut report must not pass for a whole one.
fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), UserError> {
    if STDOUT_CLOSED.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(stdout_error(None));
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    write(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| stdout_error(Some(&e)))
}

/// Writes `text` to `path`, or to standard output when `path` is `None`.
pub fn emit(path: Option<&PathBuf>, text: &str) -> Result<(), UserError> {
    match path {
        Some(p) => std::fs::write(p, text).map_err(|e| {
            UserError::new(format!("cannot write `{}`: {e}", p.display()))
                .help("check that the directory exists and is writable")
        }),
        None => to_stdout(|out| out.write_all(text.as_bytes())),
    }
}

/// Writes a report produced piece by piece to `path` (or standard output) through a buffer, so
/// that a large report is never held in memory whole.
pub fn emit_with(
    path: Option<&PathBuf>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), UserError> {
    let cannot = |p: &PathBuf, e: std::io::Error| {
        UserError::new(format!("cannot write `{}`: {e}", p.display()))
            .help("check that the directory exists and is writable")
    };
    match path {
        Some(p) => {
            let file = std::fs::File::create(p).map_err(|e| cannot(p, e))?;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            write(&mut out)
                .and_then(|()| out.flush())
                .map_err(|e| cannot(p, e))
        }
        None => to_stdout(write),
    }
}

fn main() -> ExitCode {
    // Without transparent huge pages each fresh page the kernel zeroes is 4 KiB, not 2 MiB, so
    // a run touches less memory and its time varies less (BENCHMARKS.md); a kernel that does
    // not know the setting just keeps its default.
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    guard_standard_output();
    // The Pulumi CLI starts plugins by their file name on PATH, with arguments of its own.
    let argv: Vec<String> = std::env::args().collect();
    let program = argv
        .first()
        .map(|a| a.rsplit('/').next().unwrap_or(a).to_string())
        .unwrap_or_default();
    let rest = argv.get(1..).unwrap_or_default();
    if program == analyzer::ANALYZER_NAME {
        return finish(analyzer::run_analyzer(rest));
    }
    if program == analyzer::LANGUAGE_HOST_NAME {
        return finish(analyzer::run_language_host(rest));
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::run(args, check::Mode::Check),
        Command::Audit(args) => check::run(args, check::Mode::Audit),
        Command::Rules(args) => rules::list(args),
        Command::Rule(args) => rules::explain(args),
        Command::Test(args) => test_cmd::run(args),
        Command::Pack(command) => pack::run(command),
        Command::Config(ConfigCommand::Validate(args)) => ci::validate_command(args),
        Command::Init(args) => init::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Runs(args) => history::run(args, history::What::Runs),
        Command::Findings(args) => history::run(args, history::What::Findings),
        Command::Metrics(args) => metrics::run(args),
        Command::Report(report::ReportCommand::Compliance(args)) => report::compliance(args),
        Command::PulumiAnalyzer(args) => analyzer::run_analyzer(&args.args),
        Command::PulumiLanguageHost(args) => analyzer::run_language_host(&args.args),
        Command::Exempt(args) => exempt::run(args),
        Command::AuditLog(args) => exempt::audit_log(args),
        Command::Simulate(args) => simulate::simulate(args),
        Command::User(args) => user::run(args),
        Command::Promote(args) => simulate::promote(args),
    };
    finish(result)
}

/// The exit code of a command's result; an error is printed first.
fn finish(result: Result<u8, UserError>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: {}", e.message);
            if let Some(help) = e.help {
                let _ = writeln!(err, "  help: {help}");
            }
            ExitCode::from(2)
        }
    }
}
