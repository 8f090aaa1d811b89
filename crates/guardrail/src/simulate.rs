//! `guardrail simulate` and `guardrail promote`: progressive enforcement on the policy
//! service (what a level would have done to the recorded runs; changing a group's level when
//! the simulation allows it).

use clap::Args;
use serde_json::{json, Value};

use crate::exempt::{print, Client, Service};
use crate::history::{encode, when};
use crate::UserError;

const LEVELS: [&str; 4] = ["advisory", "mandatory", "remediate", "disabled"];

/// `guardrail simulate`.
#[derive(Args, Debug)]
pub struct SimulateArgs {
    #[command(flatten)]
    service: Service,
    /// The policy's id.
    #[arg(long, value_name = "ID")]
    policy: String,
    /// The level to simulate: advisory, mandatory, remediate or disabled.
    #[arg(long, value_parser = LEVELS)]
    level: String,
    /// Evaluate the stored inputs of server-side evaluations again with this pack version
    /// (`NAME@VERSION`): which findings are new, which disappear.
    #[arg(long, value_name = "NAME@VERSION")]
    pack: Option<String>,
    /// Only the stacks this policy group covers (default: every stack).
    #[arg(long, value_name = "GROUP")]
    group: Option<String>,
    /// The window: Unix seconds, `YYYY-MM-DD`, or a span back from now.
    #[arg(long, value_name = "TIME", default_value = "30d")]
    since: String,
    /// Up to (not including) this time, as `--since` (default: now).
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
}

/// `guardrail promote`.
#[derive(Args, Debug)]
pub struct PromoteArgs {
    #[command(flatten)]
    service: Service,
    /// The policy group to change.
    #[arg(long, value_name = "GROUP")]
    group: String,
    /// The policy's id.
    #[arg(long, value_name = "ID")]
    policy: String,
    /// Its new level in the group: advisory, mandatory, remediate or disabled.
    #[arg(long, value_parser = LEVELS)]
    level: String,
    /// Refuse when the policy would have blocked more than this share of the window's runs
    /// (0 to 1).
    #[arg(long, value_name = "SHARE", default_value_t = 0.05)]
    max_blocked_share: f64,
    /// The window simulated, as `guardrail simulate --since`.
    #[arg(long, value_name = "TIME", default_value = "30d")]
    since: String,
    /// Promote even when the simulation blocks more than `--max-blocked-share` (recorded as
    /// forced in the audit log).
    #[arg(long)]
    force: bool,
}

fn percent(share: &Value) -> String {
    format!("{:.1}%", share.as_f64().unwrap_or(0.0) * 100.0)
}

/// A simulation's answer for people.
fn human(sim: &Value) -> String {
    let s = |k: &str| sim.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let n = |k: &str| sim.get(k).and_then(Value::as_i64).unwrap_or(0);
    let list = |k: &str| {
        sim.get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let mut out = format!(
        "simulated {} at {} over {} runs of {} stacks since {}",
        s("policy"),
        s("level"),
        n("runs"),
        n("stacks"),
        when(n("since")),
    );
    if let Some(g) = sim.get("group").and_then(Value::as_str) {
        out.push_str(&format!(" (group {g})"));
    }
    if let Some(p) = sim.get("pack").and_then(Value::as_str) {
        out.push_str(&format!(
            "; pack {p}: {} runs evaluated again",
            n("reevaluated")
        ));
    }
    out.push('\n');
    out.push_str(&format!(
        "  blocked before: {} of {} runs ({})\n  blocked after:  {} of {} runs ({}); by {}: {} ({})\n",
        n("blocked_before"),
        n("runs"),
        percent(&sim["blocked_share_before"]),
        n("blocked_after"),
        n("runs"),
        percent(&sim["blocked_share_after"]),
        s("policy"),
        n("blocked_by_policy"),
        percent(&sim["blocked_by_policy_share"]),
    ));
    let runs = list("changed_runs");
    out.push_str(&format!("runs that would change: {}\n", runs.len()));
    for r in &runs {
        out.push_str(&format!(
            "  run {:<6} {}  {}  {:<5}  {} -> {}\n",
            r["run"].as_i64().unwrap_or(0),
            r["stack"].as_str().unwrap_or(""),
            when(r["created_at"].as_i64().unwrap_or(0)),
            r["kind"].as_str().unwrap_or(""),
            r["before"].as_str().unwrap_or(""),
            r["after"].as_str().unwrap_or(""),
        ));
    }
    let stacks = list("stacks_affected");
    out.push_str(&format!("stacks affected: {}\n", stacks.len()));
    for st in &stacks {
        out.push_str(&format!(
            "  {}  {} of {} runs newly blocked, {} no longer blocked\n",
            st["stack"].as_str().unwrap_or(""),
            st["newly_blocked"].as_i64().unwrap_or(0),
            st["runs"].as_i64().unwrap_or(0),
            st["no_longer_blocked"].as_i64().unwrap_or(0),
        ));
    }
    for (title, key) in [
        ("new findings", "new_findings"),
        ("disappearing findings", "disappearing_findings"),
    ] {
        let items = list(key);
        out.push_str(&format!("{title}: {}\n", items.len()));
        for f in &items {
            out.push_str(&format!(
                "  run {:<6} {}  {}  {}: {}\n",
                f["run"].as_i64().unwrap_or(0),
                f["stack"].as_str().unwrap_or(""),
                f["resource"].as_str().unwrap_or("(stack)"),
                f["outcome"].as_str().unwrap_or(""),
                f["message"].as_str().unwrap_or(""),
            ));
        }
    }
    out
}

/// Calls the service; a 409 comes back as `Err(Ok(answer))` so the caller can show it.
fn call(client: &Client, route: &str, body: &Value) -> Result<Result<Value, Value>, UserError> {
    let path = format!("/api/v1/orgs/{}/{route}", encode(&client.org));
    let bytes = body.to_string().into_bytes();
    let r = client
        .server
        .request("POST", &path, Some(&client.token), Some(&bytes))
        .map_err(crate::remote::unreachable)?;
    match r.status {
        200..=299 => Ok(Ok(r.json())),
        409 => Ok(Err(r.json())),
        status => Err(UserError::new(format!(
            "the server refused: {}",
            r.error_message()
        ))
        .help(match status {
            401 => "check `GUARDRAIL_TOKEN`: it is unknown, expired or revoked",
            403 => "simulating needs a user token of the organization; promoting needs `admin`, or `policy-admin` of the group's pack of the policy",
            404 => "check the policy group, the pack version and the organization (`--org`)",
            _ => "fix what the server says and ask again",
        })),
    }
}

/// Runs `guardrail simulate`.
pub fn simulate(args: SimulateArgs) -> Result<u8, UserError> {
    let client = Client::new(&args.service)?;
    let body = json!({
        "policy": args.policy, "level": args.level, "pack": args.pack, "group": args.group,
        "since": args.since, "until": args.until,
    });
    match call(&client, "simulations", &body)? {
        Ok(sim) => print(args.service.format, &sim, human),
        Err(answer) => Err(UserError::new(format!(
            "the server refused: {}",
            answer["error"]["message"].as_str().unwrap_or("conflict")
        ))),
    }
}

/// Runs `guardrail promote`: exit code 0 when promoted, 1 when refused (with the numbers).
pub fn promote(args: PromoteArgs) -> Result<u8, UserError> {
    if !(0.0..=1.0).contains(&args.max_blocked_share) {
        return Err(UserError::new(format!(
            "`--max-blocked-share {}` is not a share",
            args.max_blocked_share
        ))
        .help("give a number from 0 to 1, e.g. `0.05` for 5% of the runs"));
    }
    let client = Client::new(&args.service)?;
    let body = json!({
        "policy": args.policy, "level": args.level, "max_blocked_share": args.max_blocked_share,
        "since": args.since, "force": args.force,
    });
    let route = format!("groups/{}/promote", encode(&args.group));
    match call(&client, &route, &body)? {
        Ok(promotion) => print(args.service.format, &promotion, |p| {
            let from = p["from"].as_str().unwrap_or("unset");
            format!(
                "promoted {} in group {}: {} -> {}{} ({})\n{}",
                args.policy,
                args.group,
                from,
                args.level,
                if p["forced"].as_bool() == Some(true) {
                    " [forced]"
                } else {
                    ""
                },
                p["packs"]
                    .as_array()
                    .map(|a| a
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default(),
                human(&p["simulation"]),
            )
        })
        .map(|_| 0),
        Err(answer) if answer["error"]["code"] != "refused" => Err(UserError::new(format!(
            "the server refused: {}",
            answer["error"]["message"].as_str().unwrap_or("conflict")
        ))
        .help("read the group again (`GET …/groups/GROUP`) and retry")),
        Err(answer) => {
            let message = answer["error"]["message"].as_str().unwrap_or("refused");
            let promotion = answer.get("promotion").cloned().unwrap_or(Value::Null);
            print(args.service.format, &answer, |_| {
                format!(
                    "not promoted: {message}\n{}",
                    human(&promotion["simulation"])
                )
            })?;
            Ok(1)
        }
    }
}
