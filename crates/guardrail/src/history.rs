//! `guardrail runs` and `guardrail findings`: the history the policy service recorded.

use clap::{Args, ValueEnum};
use serde_json::Value;

use crate::UserError;

/// Output of the history commands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// One line per run or finding.
    #[default]
    Human,
    /// The service's JSON answer (with `next_before` for the next page).
    Json,
}

/// Options of `guardrail runs` and `guardrail findings`.
#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// The policy service (default: GUARDRAIL_SERVER); the token comes from GUARDRAIL_TOKEN.
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// A PEM file of certificate authorities to trust for an https service, beside the
    /// system's (default: GUARDRAIL_CA_CERT).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<std::path::PathBuf>,
    /// The organization (default: the stack's, else GUARDRAIL_ORG, else `default`).
    #[arg(long)]
    pub org: Option<String>,
    /// Only this stack: `ORG/PROJECT/STACK` or `PROJECT/STACK`.
    #[arg(long, value_name = "STACK")]
    pub stack: Option<String>,
    /// Only runs with findings of this policy (runs), or findings of it (findings).
    #[arg(long, value_name = "ID")]
    pub policy: Option<String>,
    /// Only `plan` runs (checks of plans and previews), `state` runs (audits), or `preview`
    /// and `update` runs (the Pulumi plugin inside `pulumi preview` and `pulumi up`).
    #[arg(long)]
    pub kind: Option<String>,
    /// Runs: `passed`, `blocked` or `error`; findings: `violation`, `indeterminate`, `error`
    /// or `suppressed`.
    #[arg(long)]
    pub outcome: Option<String>,
    /// From this time: Unix seconds, `YYYY-MM-DD`, or a span back from now (`7d`, `12h`).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Up to (not including) this time, as `--since`.
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// At most this many, newest first (1 to 1000).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// The next page: the `next_before` the previous page gave.
    #[arg(long, value_name = "ID")]
    pub before: Option<i64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HistoryFormat::Human)]
    pub format: HistoryFormat,
}

/// Which history to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    /// Runs.
    Runs,
    /// Findings.
    Findings,
}

pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub(crate) fn when(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rest = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}",
        guardrail_run::config::civil_date(days),
        rest / 3600,
        rest % 3600 / 60
    )
}

/// Runs `guardrail runs` or `guardrail findings`.
pub fn run(args: HistoryArgs, what: What) -> Result<u8, UserError> {
    let server = args
        .server
        .clone()
        .or_else(|| std::env::var("GUARDRAIL_SERVER").ok())
        .ok_or_else(|| {
            UserError::new("no policy service to read the history from")
                .help("pass `--server https://HOST:PORT` (or `http://`) or set `GUARDRAIL_SERVER`")
        })?;
    let token = std::env::var("GUARDRAIL_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            UserError::new("no API token: `GUARDRAIL_TOKEN` is not set")
                .help("set `GUARDRAIL_TOKEN` to a user token of the organization (CI tokens do not read the history)")
        })?;
    let mut org = args
        .org
        .clone()
        .or_else(|| std::env::var("GUARDRAIL_ORG").ok())
        .unwrap_or_else(|| "default".into());
    let mut query = vec![format!("limit={}", args.limit)];
    if let Some(stack) = &args.stack {
        let project_stack = stack_filter(stack, &mut org, args.org.is_some())?;
        query.push(format!("stack={}", encode(&project_stack)));
    }
    for (key, value) in [
        ("policy", &args.policy),
        ("kind", &args.kind),
        ("outcome", &args.outcome),
        ("since", &args.since),
        ("until", &args.until),
    ] {
        if let Some(v) = value {
            query.push(format!("{key}={}", encode(v)));
        }
    }
    if let Some(b) = args.before {
        query.push(format!("before={b}"));
    }
    let route = match what {
        What::Runs => "runs",
        What::Findings => "findings",
    };
    let path = format!("/api/v1/orgs/{}/{route}?{}", encode(&org), query.join("&"));
    let r = crate::remote::connect(&server, args.ca_cert.as_deref())?
        .request("GET", &path, Some(&token), None)
        .map_err(crate::remote::unreachable)?;
    if r.status != 200 {
        return Err(UserError::new(format!(
            "the server refused the {route} of `{org}`: {}",
            r.error_message()
        ))
        .help(match r.status {
            401 => "check `GUARDRAIL_TOKEN`: it is unknown, expired or revoked",
            403 => "the history needs a user token of the organization (not a CI token)",
            _ => "fix what the server says and ask again",
        }));
    }
    let answer = r.json();
    let text = match args.format {
        HistoryFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&answer).unwrap_or_default()
        ),
        HistoryFormat::Human => human(&answer, what),
    };
    crate::emit(None, &text)?;
    Ok(0)
}

fn human(answer: &Value, what: What) -> String {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let n = |v: &Value, k: &str| v.get(k).and_then(Value::as_i64).unwrap_or(0);
    let mut out = String::new();
    let key = match what {
        What::Runs => "runs",
        What::Findings => "findings",
    };
    let items = answer
        .get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if items.is_empty() {
        out.push_str(&format!("no {key}\n"));
    }
    for item in &items {
        match what {
            What::Runs => {
                let mut line = format!(
                    "run {:<6} {}  {:<24} {:<5} {:<7} {:>5} finding{}",
                    n(item, "id"),
                    when(n(item, "created_at")),
                    s(item, "stack"),
                    s(item, "kind"),
                    s(item, "outcome"),
                    n(item, "finding_count"),
                    if n(item, "finding_count") == 1 {
                        " "
                    } else {
                        "s"
                    },
                );
                for (label, k) in [
                    ("commit", "commit"),
                    ("branch", "branch"),
                    ("PR", "pull_request"),
                ] {
                    let v = s(item, k);
                    if !v.is_empty() {
                        let v: String = if k == "commit" {
                            v.chars().take(12).collect()
                        } else {
                            v
                        };
                        line.push_str(&format!("  {label} {v}"));
                    }
                }
                let by = s(item, "actor");
                line.push_str(&format!(
                    "  by {}",
                    if by.is_empty() { s(item, "user") } else { by }
                ));
                if s(item, "source") == "server" {
                    line.push_str(" (evaluated on the server)");
                }
                out.push_str(&line);
                out.push('\n');
            }
            What::Findings => {
                let server = if item.get("central").and_then(Value::as_bool) == Some(true) {
                    " [server]"
                } else {
                    ""
                };
                out.push_str(&format!(
                    "run {:<6} {}  {:<24} {:<13} {:<9} {}{server}  {}: {}\n",
                    n(item, "run"),
                    when(n(item, "created_at")),
                    s(item, "stack"),
                    s(item, "outcome"),
                    s(item, "level"),
                    s(item, "policy"),
                    item.get("resource")
                        .and_then(Value::as_str)
                        .unwrap_or("(stack)"),
                    s(item, "message"),
                ));
            }
        }
    }
    if let Some(next) = answer.get("next_before").and_then(Value::as_i64) {
        out.push_str(&format!("more: --before {next}\n"));
    }
    out
}

/// The `PROJECT/STACK` of a `--stack ORG/PROJECT/STACK` or `PROJECT/STACK` filter; the `ORG`
/// part names the organization unless `--org` did (`explicit_org`).
pub(crate) fn stack_filter(
    stack: &str,
    org: &mut String,
    explicit_org: bool,
) -> Result<String, UserError> {
    match stack.split('/').collect::<Vec<_>>().as_slice() {
        [o, p, s] => {
            if !explicit_org {
                (*o).clone_into(org);
            }
            Ok(format!("{p}/{s}"))
        }
        [p, s] => Ok(format!("{p}/{s}")),
        _ => Err(UserError::new(format!(
            "the stack `{stack}` is not `ORG/PROJECT/STACK` or `PROJECT/STACK`"
        ))
        .help("name it e.g. `acme/shop/prod`")),
    }
}
