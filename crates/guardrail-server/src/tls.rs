//! TLS for both sides of the service, on rustls with its `ring` provider.
//!
//! - The server: [`server_config`] loads a PEM certificate chain and key (and refuses a key that
//!   is not the certificate's); [`TlsListener`] hands axum connections whose handshake is done.
//!   A plain-HTTP request to the TLS port gets a `400` JSON answer saying to use `https://`.
//! - The client: [`client_config`] trusts the platform's roots (the system store, or
//!   `SSL_CERT_FILE` / `SSL_CERT_DIR`) plus an optional CA file; [`describe_error`] turns a
//!   failed handshake into a sentence that names the server and says what to do.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{CertificateError, ClientConfig, RootCertStore, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// The environment variable naming a PEM file of extra certificate authorities the client
/// trusts, beside the system's.
pub const CA_CERT_ENV: &str = "GUARDRAIL_CA_CERT";

/// The certificate and key files of a TLS server (PEM).
#[derive(Clone, Debug)]
pub struct TlsFiles {
    /// The certificate chain: the server's certificate first, then any intermediates.
    pub cert: PathBuf,
    /// The private key of the server's certificate (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

#[expect(
    deprecated,
    reason = "the ring provider keeps the build free of aws-lc and cmake; what it lacks is the post-quantum key exchange"
)]
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn read(what: &str, path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read the {what} `{}`: {e}", path.display()))
}

/// The certificates of a PEM file, at least one.
fn certificates(what: &str, path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let pem = read(what, path)?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("the {what} `{}` is not valid PEM: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!(
            "the {what} `{}` holds no certificate (a PEM block `-----BEGIN CERTIFICATE-----`)",
            path.display()
        ));
    }
    Ok(certs)
}

/// The server's TLS configuration from its PEM files: HTTP/1.1, TLS 1.2 and 1.3, the key
/// checked against the certificate.
pub fn server_config(files: &TlsFiles) -> Result<Arc<ServerConfig>, String> {
    let chain = certificates("TLS certificate", &files.cert)?;
    let pem = read("TLS key", &files.key)?;
    let key = PrivateKeyDer::from_pem_slice(&pem).map_err(|e| {
        format!(
            "the TLS key `{}` holds no private key in PEM (`-----BEGIN PRIVATE KEY-----`, `RSA PRIVATE KEY` or `EC PRIVATE KEY`): {e}",
            files.key.display()
        )
    })?;
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| match e {
            rustls::Error::InconsistentKeys(_) => format!(
                "the TLS key `{}` is not the key of the certificate `{}`",
                files.key.display(),
                files.cert.display()
            ),
            other => format!(
                "the TLS certificate `{}` and key `{}` cannot be used: {other}",
                files.cert.display(),
                files.key.display()
            ),
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The client's TLS configuration: the platform's trusted roots (the system store, or the
/// files `SSL_CERT_FILE` / `SSL_CERT_DIR` name) and the authorities in `ca_cert`, a PEM file.
pub fn client_config(ca_cert: Option<&Path>) -> Result<Arc<ClientConfig>, String> {
    let mut roots = RootCertStore::empty();
    // Unreadable entries of the system store are skipped: the ones that load still count.
    let system = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(system.certs);
    if let Some(path) = ca_cert {
        let what = "CA certificate file";
        for cert in certificates(what, path)? {
            roots.add(cert).map_err(|e| {
                format!(
                    "the {what} `{}` holds a certificate that cannot be trusted: {e}",
                    path.display()
                )
            })?;
        }
    }
    if roots.is_empty() {
        return Err("no trusted certificate authority: the system's store is empty or unreadable; set `GUARDRAIL_CA_CERT` (or `--ca-cert`) to the PEM file of the authority that signed the server's certificate".into());
    }
    let mut config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// What a failed TLS connection to `server` (whose host is `host`) means, and what to do.
pub fn describe_error(server: &str, host: &str, error: &rustls::Error) -> String {
    let trust = "pass `--ca-cert FILE` or set `GUARDRAIL_CA_CERT` to the PEM file of the authority that signed it (or add that authority to the system's trust store)";
    match error {
        rustls::Error::InvalidCertificate(cert) => match cert {
            CertificateError::UnknownIssuer => format!(
                "the certificate of `{server}` is not signed by an authority this client trusts (unknown issuer): {trust}"
            ),
            CertificateError::NotValidForName => format!(
                "the certificate of `{server}` is not valid for the host name `{host}`: connect with a name the certificate lists, or have the certificate issued for `{host}`"
            ),
            CertificateError::NotValidForNameContext { presented, .. } => {
                let names: Vec<String> = presented
                    .iter()
                    .map(|n| format!("`{}`", innermost(n).trim_matches('"')))
                    .collect();
                format!(
                    "the certificate of `{server}` is not valid for the host name `{host}` (it names {}): connect with a name the certificate lists, or have the certificate issued for `{host}`",
                    if names.is_empty() { "no host".to_owned() } else { names.join(", ") }
                )
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => format!(
                "the certificate of `{server}` has expired: the server needs a renewed certificate"
            ),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => format!(
                "the certificate of `{server}` is not valid yet: check this machine's clock and the certificate's dates"
            ),
            CertificateError::BadSignature => format!(
                "the certificate of `{server}` has a signature that does not verify: {trust}"
            ),
            other => {
                let why = innermost(&format!("{other:?}"));
                if why == "CaUsedAsEndEntity" {
                    format!(
                        "`{server}` presents a certificate authority's own certificate as its certificate: give the server a certificate that the authority signed (and trust the authority with `--ca-cert FILE` or `GUARDRAIL_CA_CERT`)"
                    )
                } else {
                    format!(
                        "the certificate of `{server}` is not accepted ({}): {trust}",
                        lowercase(&why)
                    )
                }
            }
        },
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => format!(
            "`{server}` does not answer with TLS: if it is a plain http service, use `http://` in the server URL"
        ),
        rustls::Error::AlertReceived(alert) => format!(
            "`{server}` ended the TLS handshake ({}): check that the URL names a guardrail service and that this client's TLS settings suit it",
            lowercase(&format!("{alert:?}"))
        ),
        other => format!("the TLS connection to `{server}` failed: {other}"),
    }
}

/// The innermost name of a nested debug text: `Other(OtherError(CaUsedAsEndEntity))` →
/// `CaUsedAsEndEntity`.
fn innermost(debug: &str) -> String {
    debug
        .split(['(', ')', ' ', '{', '}'])
        .rfind(|part| !part.is_empty())
        .unwrap_or(debug)
        .to_owned()
}

/// `UnknownIssuer` → `unknown issuer`: a Rust variant name as words.
fn lowercase(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push(' ');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// How long a new connection may take to finish its handshake (or a plain-HTTP request to be
/// answered) before it is dropped.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);

/// The most of a plain-HTTP request read (and dropped) before it is answered.
const PLAIN_REQUEST_LIMIT: usize = 64 << 20;

/// Connections to axum over TLS. Each handshake runs in a task of its own, so that a slow or
/// broken client does not hold up the others; axum receives connections ready for HTTP.
pub struct TlsListener {
    ready: tokio::sync::mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl TlsListener {
    /// Accepts on `tcp` with `config`; call inside the tokio runtime.
    pub fn new(tcp: TcpListener, config: Arc<ServerConfig>) -> std::io::Result<TlsListener> {
        let local = tcp.local_addr()?;
        let (tx, ready) = tokio::sync::mpsc::channel(64);
        let acceptor = TlsAcceptor::from(config);
        tokio::spawn(async move {
            while !tx.is_closed() {
                let (stream, peer) = match tcp.accept().await {
                    Ok(accepted) => accepted,
                    // Out of file descriptors and the like: wait a little, as axum does.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let (tx, acceptor) = (tx.clone(), acceptor.clone());
                tokio::spawn(async move {
                    let handshake = tokio::time::timeout(HANDSHAKE_LIMIT, accept(stream, acceptor));
                    if let Ok(Some(tls)) = handshake.await {
                        let _ = tx.send((tls, peer)).await;
                    }
                });
            }
        });
        Ok(TlsListener { ready, local })
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(connection) => connection,
            // The accepting task is gone (the runtime is shutting down): nothing comes any more.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}

/// The handshake of one connection; a plain-HTTP request is answered with a `400` instead.
async fn accept(stream: TcpStream, acceptor: TlsAcceptor) -> Option<TlsStream<TcpStream>> {
    let mut first = [0_u8; 1];
    if stream.peek(&mut first).await.ok()? == 0 {
        return None;
    }
    // Every TLS connection opens with a handshake record (content type 22).
    if first[0] != 22 {
        if first[0].is_ascii_alphabetic() {
            answer_plain_http(stream).await;
        }
        return None;
    }
    acceptor.accept(stream).await.ok()
}

/// Tells a plain-HTTP client to use `https://`: reads the request's head (for its `Host`),
/// answers `400` with a JSON error, and reads the rest of what it sends until it closes, so
/// that the answer is not lost to a reset connection.
async fn answer_plain_http(mut stream: TcpStream) {
    let mut head = Vec::new();
    let mut buf = [0_u8; 8192];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 << 10 {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(buf.get(..n).unwrap_or_default()),
        }
    }
    let host = String::from_utf8_lossy(&head)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("host"))
        .map(|(_, value)| value.trim().to_owned())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        });
    let url = host.map_or_else(
        || "https://HOST:PORT".to_owned(),
        |h| format!("https://{h}"),
    );
    let body = serde_json::json!({"error": {
        "code": "https_required",
        "message": format!("this service speaks https only: use `{url}` as the server URL"),
    }})
    .to_string();
    let answer = format!(
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(answer.as_bytes()).await.is_err() || stream.shutdown().await.is_err() {
        return;
    }
    let mut drained = 0;
    while drained < PLAIN_REQUEST_LIMIT {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => drained += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_read_as_words() {
        assert_eq!(lowercase("UnknownIssuer"), "unknown issuer");
        assert_eq!(lowercase("BadCertificate"), "bad certificate");
        assert_eq!(
            innermost("Other(OtherError(CaUsedAsEndEntity))"),
            "CaUsedAsEndEntity"
        );
    }

    #[test]
    fn missing_and_empty_files_are_clear_errors() {
        let dir = std::env::temp_dir().join(format!("guardrail-tls-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not pem at all\n").unwrap();
        let files = TlsFiles {
            cert: dir.join("missing.pem"),
            key: empty.clone(),
        };
        let err = server_config(&files).unwrap_err();
        assert!(
            err.starts_with("cannot read the TLS certificate `"),
            "{err}"
        );
        assert!(err.contains("missing.pem"), "{err}");
        let err = client_config(Some(&empty)).unwrap_err();
        assert!(err.contains("holds no certificate"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
