//! `guardrail serve` (the policy service) and `guardrail pack publish` (its client side).

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use guardrail_server::client;
use serde_json::Value;

use crate::UserError;

/// Options of `guardrail serve`.
#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The address to listen on (port 0 picks a free port; the address is printed).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Where the service keeps its data (the SQLite database `guardrail.sqlite`).
    #[arg(long, value_name = "DIR", default_value = "guardrail-data")]
    pub data_dir: PathBuf,
    /// A database URL instead of the data directory: `sqlite:PATH`, or
    /// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` (`?schema=NAME` for a schema of its own).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// Create the database and the bootstrap admin token, print the token, and exit.
    #[arg(long)]
    pub init: bool,
    /// Serve https with this certificate chain (PEM: the server's certificate first, then
    /// intermediates; default: GUARDRAIL_TLS_CERT). Needs `--tls-key`.
    #[arg(long, value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of `--tls-cert` (PEM; default: GUARDRAIL_TLS_KEY).
    #[arg(long, value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn config(args: &ServeArgs) -> Result<guardrail_server::ServeConfig, UserError> {
    let cert = args
        .tls_cert
        .clone()
        .or_else(|| env_path("GUARDRAIL_TLS_CERT"));
    let key = args
        .tls_key
        .clone()
        .or_else(|| env_path("GUARDRAIL_TLS_KEY"));
    let tls = match (cert, key) {
        (Some(cert), Some(key)) => Some(guardrail_server::tls::TlsFiles { cert, key }),
        (None, None) => None,
        (Some(cert), None) => {
            return Err(UserError::new(format!(
                "the TLS certificate `{}` has no key",
                cert.display()
            ))
            .help("pass `--tls-key FILE` (or set `GUARDRAIL_TLS_KEY`) with the certificate's private key in PEM"))
        }
        (None, Some(key)) => {
            return Err(UserError::new(format!(
                "the TLS key `{}` has no certificate",
                key.display()
            ))
            .help("pass `--tls-cert FILE` (or set `GUARDRAIL_TLS_CERT`) with the certificate chain in PEM"))
        }
    };
    Ok(guardrail_server::ServeConfig {
        listen: args.listen.clone(),
        data_dir: args.data_dir.clone(),
        database: args.database.clone(),
        tls,
    })
}

fn serve_error(e: guardrail_server::ServeError) -> UserError {
    let help = match e {
        guardrail_server::ServeError::Tls(_) => "pass the server's certificate chain as `--tls-cert FILE` and its private key as `--tls-key FILE`, both PEM (docs/server.md, TLS)",
        _ => "see `guardrail serve --help` and docs/server.md for the data directory and database options",
    };
    UserError::new(e.to_string()).help(help)
}

fn print_token(token: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "bootstrap admin token (organization `default`, user `admin`); shown once, store it now:\n  {token}"
    );
}

/// Runs `guardrail serve`.
pub fn run(args: ServeArgs) -> Result<u8, UserError> {
    let config = config(&args)?;
    let scheme = if config.tls.is_some() {
        "https"
    } else {
        "http"
    };
    if args.init {
        let opened = guardrail_server::open(&config).map_err(serve_error)?;
        match opened.bootstrap_token {
            Some(token) => print_token(&token),
            None => {
                let _ = writeln!(
                    std::io::stderr().lock(),
                    "the database is already set up; its bootstrap token was printed when it was created"
                );
            }
        }
        return Ok(0);
    }
    guardrail_server::serve(&config, |addr, token| {
        if let Some(token) = token {
            print_token(token);
        }
        let _ = writeln!(
            std::io::stderr().lock(),
            "guardrail serve: listening on {scheme}://{addr} (API description: {scheme}://{addr}/api/v1/openapi.json)"
        );
    })
    .map_err(serve_error)?;
    Ok(0)
}

/// Options of `guardrail pack publish`.
#[derive(Args, Debug)]
pub struct PublishArgs {
    /// A Rego pack directory, or a catalog selection file (`.json` with `select`, `levels`,
    /// `config`).
    #[arg(value_name = "DIR")]
    pub path: PathBuf,
    /// The service's URL (`https://host:port` or `http://host:port`; default:
    /// `GUARDRAIL_SERVER`).
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,
    /// A PEM file of certificate authorities to trust for an https service, beside the
    /// system's (default: `GUARDRAIL_CA_CERT`).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// The organization to publish to (default: `GUARDRAIL_ORG`, else `default`).
    #[arg(long)]
    pub org: Option<String>,
    /// The pack's name (default: the directory's or file's name).
    #[arg(long)]
    pub name: Option<String>,
    /// The version to publish; versions are immutable.
    #[arg(long)]
    pub version: String,
}

/// Runs `guardrail pack publish`: the API token comes from `GUARDRAIL_TOKEN`.
pub fn publish(args: PublishArgs) -> Result<u8, UserError> {
    let server = args
        .server
        .or_else(|| std::env::var("GUARDRAIL_SERVER").ok())
        .ok_or_else(|| {
            UserError::new("no server to publish to")
                .help("pass `--server https://HOST:PORT` (or `http://`) or set `GUARDRAIL_SERVER`")
        })?;
    let token = std::env::var("GUARDRAIL_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            UserError::new("no API token: `GUARDRAIL_TOKEN` is not set")
                .help("set `GUARDRAIL_TOKEN` to a token of a `policy-admin` or `admin` of the organization")
        })?;
    let org = args
        .org
        .or_else(|| std::env::var("GUARDRAIL_ORG").ok())
        .unwrap_or_else(|| "default".into());
    let name = args
        .name
        .or_else(|| {
            args.path
                .file_stem()
                .map(|n| n.to_string_lossy().to_lowercase())
        })
        .unwrap_or_default();
    let doc = if args.path.is_dir() {
        client::pack_document(&args.path)
    } else {
        client::selection_document(&args.path)
    }
    .map_err(|m| {
        UserError::new(m).help("publish a Rego pack directory or a selection `.json` file")
    })?;
    let digest = doc
        .get("digest")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let body = doc.to_string();
    let path = format!("/api/v1/orgs/{org}/packs/{name}/versions/{}", args.version);
    let response = crate::remote::connect(&server, args.ca_cert.as_deref())?
        .request("PUT", &path, Some(&token), Some(body.as_bytes()))
        .map_err(crate::remote::unreachable)?;
    let what = format!("`{name}` version `{}`", args.version);
    match response.status {
        201 => crate::emit(None, &format!("published {what} to `{org}` ({digest})\n"))?,
        200 => crate::emit(
            None,
            &format!("{what} is already published with this content ({digest}); nothing changed\n"),
        )?,
        _ => {
            return Err(UserError::new(format!(
                "cannot publish {what}: {}",
                response.error_message()
            ))
            .help(match response.status {
                401 => "check `GUARDRAIL_TOKEN`: it is unknown, expired or revoked",
                403 => "publishing needs an `admin` or `policy-admin` token of that organization",
                409 => "versions are immutable: publish the changed pack under a new `--version`",
                _ => "fix what the server says and publish again",
            }))
        }
    }
    Ok(0)
}
