//! `guardrail metrics`: the policy service's metrics of the recorded history (docs/metrics.md).

use clap::Args;
use guardrail_store::metrics::{Counts, Metrics, Spans};

use crate::history::{encode, HistoryFormat};
use crate::UserError;

/// Options of `guardrail metrics`.
#[derive(Args, Debug)]
pub struct MetricsArgs {
    /// The policy service (default: GUARDRAIL_SERVER); the token comes from GUARDRAIL_TOKEN.
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// The organization (default: the stack's, else GUARDRAIL_ORG, else `default`).
    #[arg(long)]
    pub org: Option<String>,
    /// Only this stack: `ORG/PROJECT/STACK` or `PROJECT/STACK`.
    #[arg(long, value_name = "STACK")]
    pub stack: Option<String>,
    /// Only the stacks this policy group matches today.
    #[arg(long, value_name = "NAME")]
    pub group: Option<String>,
    /// Only findings of this pack (`NAME`: every version; `NAME@VERSION`).
    #[arg(long, value_name = "NAME")]
    pub pack: Option<String>,
    /// Only findings of this policy.
    #[arg(long, value_name = "ID")]
    pub policy: Option<String>,
    /// The window's start: Unix seconds, `YYYY-MM-DD`, or a span back from now (`30d`, `12h`);
    /// default: 30 days before `--until`. Widened to whole UTC days.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// The window's end, not included, as `--since` (default: now).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Output format: `human`, or `json` (the service's document, `guardrail.metrics/v1`).
    #[arg(long, value_enum, default_value_t = HistoryFormat::Human)]
    pub format: HistoryFormat,
}

/// Runs `guardrail metrics`.
pub fn run(args: MetricsArgs) -> Result<u8, UserError> {
    let server = args
        .server
        .clone()
        .or_else(|| std::env::var("GUARDRAIL_SERVER").ok())
        .ok_or_else(|| {
            UserError::new("no policy service to read the metrics from")
                .help("pass `--server http://HOST:PORT` or set `GUARDRAIL_SERVER`")
        })?;
    let token = std::env::var("GUARDRAIL_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            UserError::new("no API token: `GUARDRAIL_TOKEN` is not set").help(
                "set `GUARDRAIL_TOKEN` to a user token of the organization (CI tokens do not read metrics)",
            )
        })?;
    let mut org = args
        .org
        .clone()
        .or_else(|| std::env::var("GUARDRAIL_ORG").ok())
        .unwrap_or_else(|| "default".into());
    let mut query = Vec::new();
    if let Some(stack) = &args.stack {
        let project_stack = crate::history::stack_filter(stack, &mut org, args.org.is_some())?;
        query.push(format!("stack={}", encode(&project_stack)));
    }
    for (key, value) in [
        ("since", &args.since),
        ("until", &args.until),
        ("group", &args.group),
        ("pack", &args.pack),
        ("policy", &args.policy),
    ] {
        if let Some(v) = value {
            query.push(format!("{key}={}", encode(v)));
        }
    }
    let path = format!("/api/v1/orgs/{}/metrics?{}", encode(&org), query.join("&"));
    let r = guardrail_server::client::request(&server, "GET", &path, Some(&token), None)
        .map_err(crate::remote::unreachable)?;
    if r.status != 200 {
        return Err(UserError::new(format!(
            "the server refused the metrics of `{org}`: {}",
            r.error_message()
        ))
        .help(match r.status {
            401 => "check `GUARDRAIL_TOKEN`: it is unknown, expired or revoked",
            403 => "the metrics need a user token of the organization (not a CI token)",
            404 => "name a group the organization has (`GET /api/v1/orgs/ORG/groups`)",
            _ => "fix what the server says and ask again",
        }));
    }
    let text = match args.format {
        HistoryFormat::Json => {
            // the service's document as it is
            let answer = r.json();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&answer).unwrap_or_default()
            )
        }
        HistoryFormat::Human => {
            let doc: Metrics = serde_json::from_slice(&r.body).map_err(|e| {
                UserError::new(format!("the server's metrics cannot be read: {e}"))
                    .help("use a `guardrail` of the server's version")
            })?;
            human(&doc)
        }
    };
    crate::emit(None, &text)?;
    Ok(0)
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_owned(), |s| format!("{:.1}%", s * 100.0))
}

fn duration(secs: Option<i64>) -> String {
    match secs {
        None => "-".to_owned(),
        Some(s) if s >= 86_400 => format!("{:.1}d", s as f64 / 86_400.0),
        Some(s) if s >= 3_600 => format!("{:.1}h", s as f64 / 3_600.0),
        Some(s) if s >= 60 => format!("{}m", s / 60),
        Some(s) => format!("{s}s"),
    }
}

fn spans(s: &Spans) -> String {
    format!(
        "median {}, p90 {} ({} resolved), {} open",
        duration(s.median_seconds),
        duration(s.p90_seconds),
        s.resolved,
        s.open
    )
}

fn day(d: i64) -> String {
    guardrail_run::config::civil_date(d.div_euclid(86_400))
}

fn totals(out: &mut String, t: &Counts) {
    let mut line = |label: &str, value: String| out.push_str(&format!("  {label:<22} {value}\n"));
    line(
        "violation rate",
        format!(
            "{} of runs ({} of {}), blocked {} ({}), errors {}",
            percent(t.violation_rate),
            t.violated_runs,
            t.runs,
            percent(t.blocked_rate),
            t.blocked_runs,
            t.error_runs
        ),
    );
    line("time to remediation", spans(&t.remediation));
    line(
        "exemption rate",
        format!(
            "{} of findings suppressed ({} of {})",
            percent(t.exemption_rate),
            t.suppressed,
            t.violations + t.suppressed
        ),
    );
    line(
        "coverage",
        match &t.coverage {
            Some(c) => format!(
                "{} of resources ({} of {}; {} runs without coverage)",
                percent(c.share),
                c.covered,
                c.resources,
                c.runs_unknown
            ),
            None => "not kept per pack or policy".to_owned(),
        },
    );
    line(
        "fixed by remediate",
        format!(
            "{} ({} by remediate, {} by a later change)",
            percent(t.automation.share),
            t.automation.by_remediate,
            t.automation.by_change
        ),
    );
    line(
        "runs per stack a day",
        format!(
            "{} ({} stacks)",
            t.runs_per_stack_day
                .map_or_else(|| "-".to_owned(), |r| format!("{r:.2}")),
            t.stacks
        ),
    );
    line(
        "blocked to passing",
        t.blocked_to_passing
            .as_ref()
            .map_or_else(|| "not kept per pack or policy".to_owned(), spans),
    );
}

fn human(doc: &Metrics) -> String {
    let mut out = String::new();
    let mut scope = Vec::new();
    for (label, v) in [
        ("stack", &doc.stack),
        ("group", &doc.group),
        ("pack", &doc.pack),
        ("policy", &doc.policy),
    ] {
        if let Some(v) = v {
            scope.push(format!("{label} {v}"));
        }
    }
    out.push_str(&format!(
        "metrics {} to {} (UTC days){}\n\n",
        day(doc.since),
        day(doc.until - 1),
        if scope.is_empty() {
            String::new()
        } else {
            format!(", {}", scope.join(", "))
        }
    ));
    totals(&mut out, &doc.totals);
    out.push_str("\nday          runs  violated  blocked  errors  resolved  open\n");
    for d in &doc.daily {
        let c = &d.counts;
        out.push_str(&format!(
            "{}  {:>5}  {:>8}  {:>7}  {:>6}  {:>8}  {:>4}\n",
            d.day,
            c.runs,
            c.violated_runs,
            c.blocked_runs,
            c.error_runs,
            c.remediation.resolved,
            c.remediation.open
        ));
    }
    if !doc.top_policies.is_empty() {
        out.push_str("\ntop violated policies  violated runs  blocked  violations  suppressed  open  exemptions\n");
        for p in &doc.top_policies {
            out.push_str(&format!(
                "{:<22} {:>13}  {:>7}  {:>10}  {:>10}  {:>4}  {:>10}  ({})\n",
                p.policy,
                p.violated_runs,
                p.blocked_runs,
                p.violations,
                p.suppressed,
                p.open,
                p.active_exemptions,
                p.pack
            ));
        }
    }
    if !doc.worst_stacks.is_empty() {
        out.push_str("\nworst stacks              runs  violated  rate    blocked  open\n");
        for s in &doc.worst_stacks {
            out.push_str(&format!(
                "{:<24} {:>5}  {:>8}  {:<6}  {:>7}  {:>4}\n",
                s.stack,
                s.runs,
                s.violated_runs,
                percent(s.violation_rate),
                s.blocked_runs,
                s.open
            ));
        }
    }
    if !doc.uncovered_types.is_empty() {
        out.push_str("\nresource types no policy covers\n");
        for t in &doc.uncovered_types {
            out.push_str(&format!(
                "  {}  {} resource{} in {} stack{}\n",
                t.type_,
                t.resources,
                if t.resources == 1 { "" } else { "s" },
                t.stacks,
                if t.stacks == 1 { "" } else { "s" }
            ));
        }
    }
    if !doc.active_exemptions.is_empty() {
        out.push_str("\nactive exemptions\n");
        for e in &doc.active_exemptions {
            out.push_str(&format!("  {}  {}\n", e.policy, e.active));
        }
    }
    out
}
