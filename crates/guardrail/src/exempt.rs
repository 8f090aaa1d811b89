//! `guardrail exempt request|approve|deny|revoke|list` and `guardrail audit-log`: the
//! exemption workflow and the audit log of the policy service.

use clap::{Args, Subcommand};
use serde_json::{json, Value};

use crate::history::{encode, when, HistoryFormat};
use crate::UserError;

/// Where the service is and who asks.
#[derive(Args, Debug, Clone)]
pub struct Service {
    /// The policy service (default: GUARDRAIL_SERVER); the token comes from GUARDRAIL_TOKEN.
    #[arg(long, value_name = "URL", global = true)]
    pub server: Option<String>,
    /// A PEM file of certificate authorities to trust for an https service, beside the
    /// system's (default: GUARDRAIL_CA_CERT).
    #[arg(long, value_name = "FILE", global = true)]
    pub ca_cert: Option<std::path::PathBuf>,
    /// The organization (default: the stack's, else GUARDRAIL_ORG, else `default`).
    #[arg(long, global = true)]
    pub org: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = HistoryFormat::Human, global = true)]
    pub format: HistoryFormat,
}

/// `guardrail exempt ...`.
#[derive(Args, Debug)]
pub struct ExemptArgs {
    #[command(subcommand)]
    command: ExemptCommand,
    #[command(flatten)]
    service: Service,
}

#[derive(Subcommand, Debug)]
enum ExemptCommand {
    /// Ask for an exemption of one policy on a resource (or a glob of them) of a stack; it
    /// applies once someone else with `policy-admin` or `admin` approves it.
    Request(RequestArgs),
    /// Approve a pending exemption (not your own request).
    Approve(IdArg),
    /// Deny a pending exemption (a break-glass one stops applying).
    Deny(IdArg),
    /// Revoke a pending or approved exemption.
    Revoke(IdArg),
    /// List the exemptions of the organization.
    List(ListArgs),
}

#[derive(Args, Debug)]
struct RequestArgs {
    /// The stack: `ORG/PROJECT/STACK` or `PROJECT/STACK` (default: GUARDRAIL_STACK).
    #[arg(long)]
    stack: Option<String>,
    /// The policy's id.
    #[arg(long, value_name = "ID")]
    policy: String,
    /// The resource's URN or address, or a glob of them (`*`, `?`).
    #[arg(long, value_name = "URN-OR-GLOB")]
    resource: String,
    /// Why the exemption is needed.
    #[arg(long)]
    reason: String,
    /// The last day it applies (`YYYY-MM-DD`, UTC; at most 366 days ahead).
    #[arg(long, value_name = "DATE")]
    expires: String,
    /// A ticket reference.
    #[arg(long)]
    ticket: Option<String>,
    /// An emergency: applies at once, for 24 hours at most, and still needs approval.
    #[arg(long)]
    break_glass: bool,
}

#[derive(Args, Debug)]
struct IdArg {
    /// The exemption's id.
    id: i64,
}

#[derive(Args, Debug)]
struct ListArgs {
    /// Only those in this state: pending, active, expired, unused (active, matched no finding
    /// in the recorded runs), denied, revoked, awaiting-approval (undecided, break-glass ones
    /// included: the approvers' queue).
    #[arg(long)]
    state: Option<String>,
    /// Only this stack: `ORG/PROJECT/STACK` or `PROJECT/STACK`.
    #[arg(long)]
    stack: Option<String>,
}

/// `guardrail audit-log`.
#[derive(Args, Debug)]
pub struct AuditLogArgs {
    #[command(flatten)]
    service: Service,
    /// Only entries of this kind: `pack`, `group`, `token`, `stack`, `exemption`, `user` or
    /// `simulation`.
    #[arg(long)]
    kind: Option<String>,
    /// From this time: Unix seconds, `YYYY-MM-DD`, or a span back from now (`7d`, `12h`).
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Up to (not including) this time, as `--since`.
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// At most this many, newest first (1 to 1000).
    #[arg(long, default_value_t = 100)]
    limit: u32,
    /// The next page: the `next_before` the previous page gave.
    #[arg(long, value_name = "ID")]
    before: Option<i64>,
}

pub(crate) struct Client {
    pub(crate) server: guardrail_server::client::Client,
    pub(crate) token: String,
    pub(crate) org: String,
    explicit_org: bool,
}

impl Client {
    pub(crate) fn new(service: &Service) -> Result<Client, UserError> {
        let server = service
            .server
            .clone()
            .or_else(|| std::env::var("GUARDRAIL_SERVER").ok())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                UserError::new("no policy service to ask").help(
                    "pass `--server https://HOST:PORT` (or `http://`) or set `GUARDRAIL_SERVER`",
                )
            })?;
        let token = std::env::var("GUARDRAIL_TOKEN")
            .ok()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                UserError::new("no API token: `GUARDRAIL_TOKEN` is not set")
                    .help("set `GUARDRAIL_TOKEN` to a user token of the organization")
            })?;
        let explicit = service
            .org
            .clone()
            .or_else(|| std::env::var("GUARDRAIL_ORG").ok());
        Ok(Client {
            server: crate::remote::connect(&server, service.ca_cert.as_deref())?,
            token,
            explicit_org: explicit.is_some(),
            org: explicit.unwrap_or_else(|| "default".into()),
        })
    }

    /// `PROJECT/STACK` of a stack argument (taking the organization from `ORG/PROJECT/STACK`
    /// unless one was given).
    fn stack(&mut self, stack: &str) -> Result<String, UserError> {
        let parts: Vec<&str> = stack.split('/').collect();
        match parts.as_slice() {
            [o, p, s] => {
                if !self.explicit_org {
                    (*o).clone_into(&mut self.org);
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

    fn call(&self, method: &str, route: &str, body: Option<&Value>) -> Result<Value, UserError> {
        let path = format!("/api/v1/orgs/{}/{route}", encode(&self.org));
        let bytes = body.map(|b| b.to_string().into_bytes());
        let r = self
            .server
            .request(method, &path, Some(&self.token), bytes.as_deref())
            .map_err(crate::remote::unreachable)?;
        if !(200..300).contains(&r.status) {
            return Err(UserError::new(format!(
                "the server refused: {}",
                r.error_message()
            ))
            .help(match r.status {
                401 => "check `GUARDRAIL_TOKEN`: it is unknown, expired or revoked",
                403 => "ask someone with the role the server names (`policy-admin` or `admin` approve; an `auditor` only reads)",
                404 => "check the id and the organization (`--org`)",
                409 => "read the exemption again (`guardrail exempt list`): its state does not allow this",
                _ => "fix what the server says and ask again",
            }));
        }
        Ok(r.json())
    }
}

pub(crate) fn print(
    format: HistoryFormat,
    answer: &Value,
    human: impl FnOnce(&Value) -> String,
) -> Result<u8, UserError> {
    let text = match format {
        HistoryFormat::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(answer).unwrap_or_default()
        ),
        HistoryFormat::Human => human(answer),
    };
    crate::emit(None, &text)?;
    Ok(0)
}

fn exemption_line(e: &Value) -> String {
    let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let n = |k: &str| e.get(k).and_then(Value::as_i64).unwrap_or(0);
    let mut line = format!(
        "exemption {:<5} {:<8} {}  {}  on {}  until {}  requested by {}",
        n("id"),
        s("state"),
        s("stack"),
        s("policy"),
        s("resource"),
        s("expires"),
        s("requested_by"),
    );
    if e.get("break_glass").and_then(Value::as_bool) == Some(true) {
        line.push_str(
            if e.get("awaiting_approval").and_then(Value::as_bool) == Some(true) {
                "  [break-glass, awaiting approval]"
            } else {
                "  [break-glass]"
            },
        );
    }
    if e.get("unused").and_then(Value::as_bool) == Some(true) {
        line.push_str("  [unused]");
    }
    for (label, k) in [("approved by", "decided_by"), ("revoked by", "revoked_by")] {
        let v = s(k);
        if !v.is_empty() {
            let label = if k == "decided_by" && s("status") == "denied" {
                "denied by"
            } else {
                label
            };
            line.push_str(&format!("  {label} {v}"));
        }
    }
    let ticket = s("ticket");
    if !ticket.is_empty() {
        line.push_str(&format!("  ticket {ticket}"));
    }
    line.push_str(&format!("\n    reason: {}\n", s("reason")));
    line
}

/// Runs `guardrail exempt ...`.
pub fn run(args: ExemptArgs) -> Result<u8, UserError> {
    let mut client = Client::new(&args.service)?;
    let format = args.service.format;
    match args.command {
        ExemptCommand::Request(r) => {
            let stack = r
                .stack
                .clone()
                .or_else(|| std::env::var("GUARDRAIL_STACK").ok())
                .ok_or_else(|| {
                    UserError::new("no stack: pass `--stack ORG/PROJECT/STACK`")
                        .help("or set `GUARDRAIL_STACK`")
                })?;
            let stack = client.stack(&stack)?;
            let body = json!({
                "stack": stack, "policy": r.policy, "resource": r.resource, "reason": r.reason,
                "expires": r.expires, "ticket": r.ticket, "break_glass": r.break_glass,
            });
            let answer = client.call("POST", "exemptions", Some(&body))?;
            print(format, &answer, |e| {
                let note = if r.break_glass {
                    "break-glass: it applies now, for 24 hours at most, and still needs approval"
                } else {
                    "it applies once someone else with `policy-admin` or `admin` approves it"
                };
                format!("requested {}  ({note})", exemption_line(e))
            })
        }
        ExemptCommand::Approve(IdArg { id }) => decide(&client, format, id, "approve", "approved"),
        ExemptCommand::Deny(IdArg { id }) => decide(&client, format, id, "deny", "denied"),
        ExemptCommand::Revoke(IdArg { id }) => decide(&client, format, id, "revoke", "revoked"),
        ExemptCommand::List(l) => {
            let mut query = Vec::new();
            if let Some(state) = &l.state {
                query.push(format!("state={}", encode(state)));
            }
            if let Some(stack) = &l.stack {
                let stack = client.stack(stack)?;
                query.push(format!("stack={}", encode(&stack)));
            }
            let answer = client.call("GET", &format!("exemptions?{}", query.join("&")), None)?;
            print(format, &answer, |a| {
                let items = a
                    .get("exemptions")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if items.is_empty() {
                    "no exemptions\n".to_owned()
                } else {
                    items.iter().map(exemption_line).collect()
                }
            })
        }
    }
}

fn decide(
    client: &Client,
    format: HistoryFormat,
    id: i64,
    action: &str,
    done: &str,
) -> Result<u8, UserError> {
    let answer = client.call("POST", &format!("exemptions/{id}/{action}"), None)?;
    print(format, &answer, |e| format!("{done} {}", exemption_line(e)))
}

/// Runs `guardrail audit-log`.
pub fn audit_log(args: AuditLogArgs) -> Result<u8, UserError> {
    let client = Client::new(&args.service)?;
    let mut query = vec![format!("limit={}", args.limit)];
    for (key, value) in [
        ("kind", &args.kind),
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
    let answer = client.call("GET", &format!("audit-log?{}", query.join("&")), None)?;
    print(args.service.format, &answer, |a| {
        let items = a
            .get("entries")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if items.is_empty() {
            return "no entries\n".to_owned();
        }
        let mut out = String::new();
        for e in &items {
            let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            let compact = |k: &str| match e.get(k) {
                None | Some(Value::Null) => "-".to_owned(),
                Some(v) => v.to_string(),
            };
            out.push_str(&format!(
                "{}  {:<10} {:<9} {:<10} by {}\n    before: {}\n    after:  {}\n",
                when(e.get("at").and_then(Value::as_i64).unwrap_or(0)),
                s("kind"),
                s("action"),
                s("target"),
                s("actor"),
                compact("before"),
                compact("after"),
            ));
        }
        out
    })
}
