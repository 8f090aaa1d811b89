//! `guardrail user add|set|list`: the policy service's users, their roles and the packs a
//! `policy-admin` is limited to (admin; an auditor lists).

use clap::{Args, Subcommand};
use serde_json::{json, Value};

use crate::exempt::{print, Client, Service};
use crate::history::encode;
use crate::UserError;

const ROLES: [&str; 4] = ["admin", "policy-admin", "member", "auditor"];

/// `guardrail user ...`.
#[derive(Args, Debug)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
    #[command(flatten)]
    service: Service,
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Add a user to the organization (its token: `POST /api/v1/orgs/ORG/tokens`).
    Add(AddArgs),
    /// Change a user's role or the packs a `policy-admin` administers.
    Set(SetArgs),
    /// List the organization's users with their roles and pack limits.
    List,
}

#[derive(Args, Debug)]
struct AddArgs {
    /// The user's name.
    name: String,
    /// The role: admin, policy-admin, member or auditor.
    #[arg(long, value_parser = ROLES)]
    role: String,
    /// Limit a `policy-admin` to these packs (names or globs, comma-separated); default: every
    /// pack.
    #[arg(long, value_name = "PACKS", value_delimiter = ',')]
    packs: Vec<String>,
}

#[derive(Args, Debug)]
struct SetArgs {
    /// The user's name.
    name: String,
    /// A new role.
    #[arg(long, value_parser = ROLES)]
    role: Option<String>,
    /// Limit a `policy-admin` to these packs (names or globs, comma-separated).
    #[arg(
        long,
        value_name = "PACKS",
        value_delimiter = ',',
        conflicts_with = "all_packs"
    )]
    packs: Vec<String>,
    /// Lift the limit: the `policy-admin` administers every pack.
    #[arg(long)]
    all_packs: bool,
}

fn call(
    client: &Client,
    method: &str,
    route: &str,
    body: Option<&Value>,
) -> Result<Value, UserError> {
    let path = format!("/api/v1/orgs/{}/{route}", encode(&client.org));
    let bytes = body.map(|b| b.to_string().into_bytes());
    let r = client
        .server
        .request(method, &path, Some(&client.token), bytes.as_deref())
        .map_err(crate::remote::unreachable)?;
    if (200..300).contains(&r.status) {
        return Ok(r.json());
    }
    Err(
        UserError::new(format!("the server refused: {}", r.error_message())).help(match r.status {
            401 => "check `GUARDRAIL_TOKEN`: it is unknown, expired or revoked",
            403 => "users are managed by an `admin` (an `auditor` may list them)",
            404 => "check the user's name and the organization (`--org`)",
            409 => "that user exists: change it with `guardrail user set`",
            _ => "fix what the server says and ask again",
        }),
    )
}

fn line(u: &Value) -> String {
    let packs = match u.get("packs").and_then(Value::as_array) {
        Some(list) => list
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        None if u["role"] == "policy-admin" => "every pack".to_owned(),
        None => String::new(),
    };
    let mut out = format!(
        "{:<20} {:<13}",
        u["name"].as_str().unwrap_or(""),
        u["role"].as_str().unwrap_or("")
    );
    if !packs.is_empty() {
        out.push_str(&format!(" packs: {packs}"));
    }
    format!("{}\n", out.trim_end())
}

/// Runs `guardrail user ...`.
pub fn run(args: UserArgs) -> Result<u8, UserError> {
    let client = Client::new(&args.service)?;
    let format = args.service.format;
    match args.command {
        UserCommand::Add(a) => {
            let mut body = json!({"name": a.name, "role": a.role});
            if !a.packs.is_empty() {
                body["packs"] = json!(a.packs);
            }
            let answer = call(&client, "POST", "users", Some(&body))?;
            print(format, &answer, |v| format!("added {}", line(&v["user"])))
        }
        UserCommand::Set(s) => {
            let mut body = json!({});
            if let Some(role) = &s.role {
                body["role"] = json!(role);
            }
            if s.all_packs {
                body["packs"] = Value::Null;
            } else if !s.packs.is_empty() {
                body["packs"] = json!(s.packs);
            }
            if body.as_object().is_some_and(serde_json::Map::is_empty) {
                return Err(
                    UserError::new(format!("nothing to change for `{}`", s.name))
                        .help("give `--role`, `--packs` or `--all-packs`"),
                );
            }
            let route = format!("users/{}", encode(&s.name));
            let answer = call(&client, "PATCH", &route, Some(&body))?;
            print(format, &answer, |v| format!("changed {}", line(&v["user"])))
        }
        UserCommand::List => {
            let answer = call(&client, "GET", "users", None)?;
            print(format, &answer, |v| {
                v["users"]
                    .as_array()
                    .map(|a| a.iter().map(line).collect())
                    .unwrap_or_default()
            })
        }
    }
}
