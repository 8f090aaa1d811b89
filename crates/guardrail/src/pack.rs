//! Rego policy packs on the command line: loading them for `check`/`audit`/`test`, and
//! `guardrail pack new`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use guardrail_rego::{LoadOptions, PackError, RegoPack};

use crate::UserError;

/// Options shared by every command that loads Rego packs.
#[derive(Args, Debug, Clone)]
pub struct RegoArgs {
    /// The budget of one Rego policy evaluation, in evaluation steps; a policy past it gets an
    /// error outcome and the run goes on. A step count stops a policy at the same point on any
    /// machine under any load.
    #[arg(long, value_name = "STEPS", default_value_t = guardrail_rego::DEFAULT_MAX_STEPS,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub rego_max_steps: u32,

    /// A wall-clock limit of one Rego policy evaluation (`500ms`, `2s`, `1m`) instead of the
    /// step budget; whether a policy near it passes can depend on the machine's load.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub rego_timeout: Option<Duration>,

    /// How much memory Rego policies may allocate on top of what guardrail holds when they
    /// start (`512MiB`, `4GiB`); a policy evaluating when the process goes past it gets an
    /// error outcome and the run goes on.
    #[arg(long, value_name = "SIZE", default_value = "4GiB", value_parser = crate::check::parse_size)]
    pub rego_max_memory: u64,

    /// The packages whose deny/warn/violation rules conftest-style directories run (repeatable;
    /// `*` for every package).
    #[arg(long = "namespace", value_name = "PACKAGE", default_value = "main")]
    pub namespaces: Vec<String>,
}

impl RegoArgs {
    /// The pipeline's Rego options.
    pub fn rego_options(&self) -> guardrail_run::RegoOptions {
        guardrail_run::RegoOptions {
            max_steps: self.rego_max_steps,
            time_limit: self.rego_timeout,
            max_memory: self.rego_max_memory,
            namespaces: self.namespaces.clone(),
        }
    }

    /// The loader's options.
    pub fn options(&self) -> LoadOptions {
        self.rego_options().load_options()
    }
}

/// Parses `500ms`, `2s`, `1m` or a plain number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| !c.is_ascii_digit() && c != '.') {
        Some(i) => (&t[..i], t[i..].trim()),
        None => (t, "s"),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: write e.g. `500ms`, `2s` or `1m`"))?;
    let secs = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use ms, s or m"
            ))
        }
    };
    if !(secs > 0.0 && secs <= 86400.0) {
        return Err(format!("`{text}` must be more than 0 and at most a day"));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A pack error as the CLI prints it.
pub fn user_error(e: PackError) -> UserError {
    UserError {
        message: e.headline(),
        help: e.help,
    }
}

/// Loads pack directories, in order.
pub fn load(dirs: &[PathBuf], args: &RegoArgs) -> Result<Vec<RegoPack>, UserError> {
    Ok(guardrail_run::load_packs(dirs, &args.options())?)
}

/// `guardrail pack ...`.
#[derive(Subcommand, Debug)]
pub enum PackCommand {
    /// Create a new Rego policy pack: a resource policy, a stack policy, a remediation, their
    /// unit and fixture tests, and a README.
    New(NewArgs),
    /// Publish a Rego pack directory (or a catalog selection `.json` file) to the policy
    /// service as an immutable version; the API token comes from `GUARDRAIL_TOKEN`.
    Publish(crate::serve::PublishArgs),
}

/// Options of `guardrail pack new`.
#[derive(Args, Debug)]
pub struct NewArgs {
    /// The directory to create (must not exist, or be empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// The pack's name (default: the directory's name).
    #[arg(long)]
    pub name: Option<String>,
}

/// Runs `guardrail pack ...`.
pub fn run(command: PackCommand) -> Result<u8, UserError> {
    match command {
        PackCommand::Publish(args) => crate::serve::publish(args),
        PackCommand::New(args) => {
            let files = guardrail_rego::scaffold::create(&args.dir, args.name.as_deref())
                .map_err(user_error)?;
            let mut out = format!(
                "created the pack `{}` ({}):\n",
                args.dir.display(),
                guardrail_core::plural(files.len(), "file", "files")
            );
            for f in &files {
                out.push_str(&format!("  {}\n", f.display()));
            }
            out.push_str(&format!(
                "\nnext:\n  guardrail test {dir}                 run its tests\n  guardrail check --pack {dir} FILE    check a plan with it\n",
                dir = args.dir.display()
            ));
            crate::emit(None, &out)?;
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("3"), Ok(Duration::from_secs(3)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("2h")
            .unwrap_err()
            .contains("unknown unit `h`"));
        assert!(parse_duration("fast").is_err());
    }
}
