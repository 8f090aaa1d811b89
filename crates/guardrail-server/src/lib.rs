//! guardrail's policy service: the HTTP JSON API behind `guardrail serve`.
//!
//! - [`api`]: the routes under `/api/v1`, who may call each, and the OpenAPI document;
//! - [`contract`]: checks requests and answers against that document (the tests' oracle);
//! - [`auth`]: API tokens (random, shown once, stored as SHA-256) and content digests;
//! - [`packs`]: the pack documents of the registry and their canonical, digested form;
//! - [`groups`]: policy groups and how they resolve into a stack's policy set;
//! - [`exemptions`]: exemptions the service grants, as a stack's resolved policy carries them;
//! - [`runs`]: the run upload document (made from the JSON report) and its checks;
//! - [`dashboard`]: the web dashboard at `/` (sign-in, overview with charts, stacks, policies,
//!   the exemption queue, the simulation form);
//! - [`simulate`]: progressive enforcement (simulate a level over the recorded runs, promote);
//! - [`model`]: the stored form of an evaluated input (secrets replaced by markers);
//! - [`commit`]: group commit: a writer thread stores the uploads queued meanwhile together;
//! - [`client`]: the small HTTP(S) client of the CLI's commands that talk to the service (and
//!   of the tests);
//! - [`tls`]: TLS on rustls for both sides (the server's certificate, the client's trust);
//! - [`serve`] / [`spawn`]: open the storage, bootstrap the first admin, listen.
//!
//! Storage is `guardrail-store` (SQLite, or PostgreSQL by URL); evaluation goes through
//! `guardrail-run`, the one pipeline.

pub mod api;
pub mod auth;
pub mod client;
pub mod commit;
pub mod contract;
pub mod dashboard;
pub mod exemptions;
pub mod groups;
pub mod model;
pub mod packs;
pub mod runs;
pub mod simulate;
pub mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use guardrail_store::{NewToken, SqlStore, Store};

/// A JSON decoding error as a person reads it: `expected struct UploadFinding` (a Rust type
/// name) becomes `expected an object`, and a list where an object belongs says so.
pub(crate) fn plain_json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let at = if e.line() > 0 {
        format!(" at line {} column {}", e.line(), e.column())
    } else {
        String::new()
    };
    if text.starts_with("invalid length") && text.contains("expected struct ") {
        return format!("expected an object, not a list{at}");
    }
    let Some((head, rest)) = text.split_once("struct ") else {
        return text;
    };
    let name_end = rest
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(rest.len());
    format!(
        "{head}an object{}",
        rest.get(name_end..).unwrap_or_default()
    )
}

/// How to start the service.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// Where to listen (`127.0.0.1:8080` by default; port 0 picks a free one).
    pub listen: String,
    /// The data directory: the SQLite database lives here unless `database` says otherwise.
    pub data_dir: PathBuf,
    /// A database URL: `sqlite:PATH`, or `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`
    /// (with `?schema=NAME` for a schema of its own).
    pub database: Option<String>,
    /// The certificate and key to serve https with; plain http without.
    pub tls: Option<tls::TlsFiles>,
}

/// Why the service cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The storage cannot be opened or migrated.
    #[error("{0}")]
    Store(#[from] guardrail_store::StoreError),
    /// The configuration is wrong.
    #[error("{0}")]
    Config(String),
    /// Listening or serving failed.
    #[error("{0}")]
    Io(String),
    /// The TLS certificate or key cannot be used.
    #[error("{0}")]
    Tls(String),
}

/// A freshly opened service: its storage, and the bootstrap admin token when this start
/// created it (shown once, never again).
pub struct Opened {
    /// The storage.
    pub store: Arc<dyn Store>,
    /// The bootstrap admin token, on the first start only.
    pub bootstrap_token: Option<String>,
}

/// Opens the storage that `config` names, applies its migrations and, on an empty database,
/// creates the organization `default` with the bootstrap admin `admin`.
pub fn open(config: &ServeConfig) -> Result<Opened, ServeError> {
    let store = match config.database.as_deref() {
        None => {
            std::fs::create_dir_all(&config.data_dir).map_err(|e| {
                ServeError::Config(format!(
                    "cannot create the data directory `{}`: {e}",
                    config.data_dir.display()
                ))
            })?;
            SqlStore::open(&config.data_dir.join("guardrail.sqlite"))?
        }
        Some(url)
            if url.starts_with("sqlite:")
                || url.starts_with("postgres://")
                || url.starts_with("postgresql://") =>
        {
            SqlStore::open_url(url)?
        }
        Some(url) => {
            let scheme = url.split(':').next().unwrap_or(url);
            return Err(ServeError::Config(format!(
                "unknown database scheme `{scheme}`: use `sqlite:PATH` or `postgres://USER@HOST/DATABASE` (or leave out `--database`)"
            )));
        }
    };
    let store: Arc<dyn Store> = Arc::new(store);
    let token = auth::new_token().map_err(ServeError::Io)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let created = store.bootstrap(
        NewToken {
            hash: &auth::token_hash(&token),
            description: "bootstrap admin token",
            expires_at: None,
            stacks: &[],
        },
        now,
    )?;
    Ok(Opened {
        store,
        bootstrap_token: created.then_some(token),
    })
}

/// Runs the service until the process ends: https when `config.tls` names a certificate and
/// key (checked before anything else starts), else plain http. `ready` is called once the
/// socket listens, with its address and the bootstrap token of a first start.
pub fn serve(
    config: &ServeConfig,
    ready: impl FnOnce(SocketAddr, Option<&str>),
) -> Result<(), ServeError> {
    let tls = config
        .tls
        .as_ref()
        .map(tls::server_config)
        .transpose()
        .map_err(ServeError::Tls)?;
    let opened = open(config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        // the TLS handshakes' time limit
        .enable_time()
        .build()
        .map_err(|e| ServeError::Io(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&config.listen)
            .await
            .map_err(|e| ServeError::Io(format!("cannot listen on `{}`: {e}", config.listen)))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ServeError::Io(e.to_string()))?;
        let stopped = |e: std::io::Error| ServeError::Io(format!("the server stopped: {e}"));
        let router = api::router(opened.store).map_err(ServeError::Io)?;
        match tls {
            Some(tls) => {
                let listener = tls::TlsListener::new(listener, tls)
                    .map_err(|e| ServeError::Io(e.to_string()))?;
                // Every request on this port came over TLS: say so as a TLS proxy would, so
                // that the dashboard marks its cookies `Secure` (whatever the client sent).
                let router = router.layer(axum::middleware::map_request(
                    |mut request: axum::extract::Request| async move {
                        request.headers_mut().insert(
                            "x-forwarded-proto",
                            axum::http::HeaderValue::from_static("https"),
                        );
                        request
                    },
                ));
                ready(addr, opened.bootstrap_token.as_deref());
                axum::serve(listener, router).await.map_err(stopped)
            }
            None => {
                ready(addr, opened.bootstrap_token.as_deref());
                axum::serve(listener, router).await.map_err(stopped)
            }
        }
    })
}

/// A service running on a background thread (for tests and embedding).
#[derive(Clone, Debug)]
pub struct Spawned {
    /// Where it listens.
    pub addr: SocketAddr,
    /// `http://` (or `https://` with TLS) and the address.
    pub url: String,
    /// The bootstrap admin token, on the first start only.
    pub bootstrap_token: Option<String>,
}

/// Starts the service on a background thread and returns once it listens.
pub fn spawn(config: ServeConfig) -> Result<Spawned, ServeError> {
    let scheme = if config.tls.is_some() {
        "https"
    } else {
        "http"
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let failed = tx.clone();
    std::thread::spawn(move || {
        let result = serve(&config, |addr, token| {
            let _ = tx.send(Ok((addr, token.map(str::to_owned))));
        });
        if let Err(e) = result {
            let _ = failed.send(Err(e));
        }
    });
    let (addr, bootstrap_token) = rx
        .recv()
        .map_err(|_| ServeError::Io("the server thread ended before it listened".into()))??;
    Ok(Spawned {
        addr,
        url: format!("{scheme}://{addr}"),
        bootstrap_token,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_errors_name_no_rust_types() {
        #[derive(Debug, serde::Deserialize)]
        struct Inner {
            _a: u8,
        }
        let e = serde_json::from_str::<Vec<Inner>>("[5]").unwrap_err();
        assert_eq!(
            super::plain_json_error(&e),
            "invalid type: integer `5`, expected an object at line 1 column 2"
        );
        let e = serde_json::from_value::<Inner>(serde_json::json!("x")).unwrap_err();
        assert_eq!(
            super::plain_json_error(&e),
            "invalid type: string \"x\", expected an object"
        );
    }
}
