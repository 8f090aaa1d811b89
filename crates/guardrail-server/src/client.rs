//! A small blocking HTTP/1.1 client for the CLI's side of the service (`guardrail pack
//! publish`, `check --server`, `runs`, `exempt`, ...) and for tests: `http://` and `https://`
//! (rustls, trusting the system's roots plus an optional CA file), one request per connection.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::auth::content_digest;
use crate::packs::check_document;
use crate::tls;

/// An answer from the server.
#[derive(Clone, Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The headers, names in lowercase.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header named `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The message of an error answer, or the status line when it has none.
    pub fn error_message(&self) -> String {
        self.json()
            .pointer("/error/message")
            .and_then(Value::as_str)
            .map_or_else(
                || format!("the server answered {}", self.status),
                str::to_owned,
            )
    }
}

/// The PEM file of extra trusted authorities that `GUARDRAIL_CA_CERT` names, if it is set.
pub fn ca_cert_from_env() -> Option<PathBuf> {
    std::env::var_os(tls::CA_CERT_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// One service, reached over `http://` or `https://`: its URL taken apart and, for https, the
/// TLS settings (built once, used for every request).
#[derive(Clone)]
pub struct Client {
    server: String,
    authority: String,
    host: String,
    port: u16,
    prefix: String,
    tls: Option<Arc<rustls::ClientConfig>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("server", &self.server)
            .field("https", &self.tls.is_some())
            .finish()
    }
}

impl Client {
    /// A client of `server` (`http://HOST[:PORT][/PREFIX]` or `https://…`). For https it
    /// trusts the system's certificate authorities and those in `ca_cert` (a PEM file;
    /// `None` takes the file `GUARDRAIL_CA_CERT` names, if any). The error says what is wrong
    /// with the URL or the CA file, for a person.
    pub fn new(server: &str, ca_cert: Option<&Path>) -> Result<Client, String> {
        let (https, rest) = if let Some(rest) = server.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = server.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err(format!(
                "the server URL `{server}` must start with `https://` or `http://`"
            ));
        };
        let (authority, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let bad = || format!("the server URL `{server}` has no valid `HOST[:PORT]`");
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => {
                (host, port.parse::<u16>().map_err(|_| bad())?)
            }
            _ => (authority, if https { 443 } else { 80 }),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err(bad());
        }
        let tls = if https {
            let from_env = ca_cert_from_env();
            let ca_cert = ca_cert.or(from_env.as_deref());
            Some(tls::client_config(ca_cert)?)
        } else {
            None
        };
        Ok(Client {
            server: server.to_owned(),
            authority: authority.to_owned(),
            host: host.to_owned(),
            port,
            prefix: prefix.trim_end_matches('/').to_owned(),
            tls,
        })
    }

    /// The server's URL as given.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// What went wrong on the connection, for a person: a TLS failure says which and what to
    /// do.
    fn failure(&self, e: &std::io::Error) -> String {
        let inner = e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>());
        match inner {
            Some(tls_error) => tls::describe_error(&self.server, &self.host, tls_error),
            None => format!("the connection to `{}` failed: {e}", self.server),
        }
    }

    /// Sends one request and reads the whole answer. The error says what went wrong, for a
    /// person (a TLS failure included); any error means the server was not reached.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&[u8]>,
    ) -> Result<Response, String> {
        let full_path = if self.prefix.is_empty() {
            path.to_owned()
        } else {
            format!("/{}{path}", self.prefix)
        };
        let tcp = TcpStream::connect((self.host.as_str(), self.port))
            .map_err(|e| format!("cannot reach the server `{}`: {e}", self.server))?;
        let timeout = Some(Duration::from_secs(60));
        let _ = tcp.set_read_timeout(timeout);
        let _ = tcp.set_write_timeout(timeout);
        let mut head = format!(
            "{method} {full_path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept: application/json\r\n",
            self.authority
        );
        if let Some(t) = token {
            head.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        let body = body.unwrap_or_default();
        if !body.is_empty() || matches!(method, "POST" | "PUT") {
            head.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        head.push_str("\r\n");
        let (sent, raw, read) = match &self.tls {
            None => exchange(tcp, head.as_bytes(), body),
            Some(config) => {
                let name =
                    rustls::pki_types::ServerName::try_from(self.host.clone()).map_err(|_| {
                        format!(
                            "the host `{}` of `{}` is not a valid name for TLS",
                            self.host, self.server
                        )
                    })?;
                let connection = rustls::ClientConnection::new(Arc::clone(config), name)
                    .map_err(|e| format!("cannot set up TLS for `{}`: {e}", self.server))?;
                let mut stream = rustls::StreamOwned::new(connection, tcp);
                // The handshake first, so that a certificate problem is told as one.
                while stream.conn.is_handshaking() {
                    if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
                        return Err(if e.kind() == std::io::ErrorKind::UnexpectedEof {
                            format!(
                                "`{}` closed the connection during the TLS handshake: if it is a plain http service, use `http://` in the server URL",
                                self.server
                            )
                        } else {
                            self.failure(&e)
                        });
                    }
                }
                exchange(stream, head.as_bytes(), body)
            }
        };
        match parse_response(&raw) {
            Some(response) => Ok(response),
            None => {
                sent.map_err(|e| self.failure(&e))?;
                read.map_err(|e| self.failure(&e))?;
                Err(format!("`{}` sent an answer that is not HTTP", self.server))
            }
        }
    }
}

/// Writes the request and reads the answer until the server closes: what was written, what
/// was read, and how reading ended.
fn exchange(
    mut stream: impl Read + Write,
    head: &[u8],
    body: &[u8],
) -> (std::io::Result<()>, Vec<u8>, std::io::Result<usize>) {
    let mut raw = Vec::new();
    if let Err(e) = stream.write_all(head) {
        return (Err(e), raw, Ok(0));
    }
    // A server may answer before it has read the whole body (say, 413 for an upload above its
    // limit) and close the connection: its answer is still read and returned.
    let sent = stream.write_all(body).and_then(|()| stream.flush());
    let read = stream.read_to_end(&mut raw);
    (sent, raw, read)
}

/// Sends one request to `server` (`http://host:port` or `https://…`, optionally with a path
/// prefix) and reads the whole answer; for https, the authorities in `GUARDRAIL_CA_CERT` are
/// trusted beside the system's. The error says what went wrong, for a person.
pub fn request(
    server: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&[u8]>,
) -> Result<Response, String> {
    Client::new(server, None)?.request(method, path, token, body)
}

fn parse_response(raw: &[u8]) -> Option<Response> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(raw.get(..end)?).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = raw.get(end + 4..)?;
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Some(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(rest.get(..line_end)?).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = rest.get(line_end + 2..)?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

/// The upload document of a Rego pack directory: every file under it (but hidden ones and
/// directories such as `.git`), as text, with `kind`, `files` and the `digest` of the
/// canonical form. A catalog selection is published from a `.json` file instead (see
/// [`selection_document`]).
pub fn pack_document(dir: &Path) -> Result<Value, String> {
    let mut files = serde_json::Map::new();
    collect(dir, dir, &mut files)?;
    if files.is_empty() {
        return Err(format!("the directory `{}` holds no files", dir.display()));
    }
    finish(serde_json::json!({"kind": "rego", "files": files}), dir)
}

/// The upload document of a catalog selection file (`{"select": [...], "levels": {...},
/// "config": {...}}`).
pub fn selection_document(file: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
    let selection: Value = serde_json::from_str(&text)
        .map_err(|e| format!("`{}` is not valid JSON: {e}", file.display()))?;
    finish(
        serde_json::json!({"kind": "selection", "selection": selection}),
        file,
    )
}

fn finish(mut doc: Value, from: &Path) -> Result<Value, String> {
    let checked = check_document(&doc).map_err(|e| format!("`{}`: {e}", from.display()))?;
    if let Some(obj) = doc.as_object_mut() {
        obj.insert(
            "digest".into(),
            Value::String(content_digest(&checked.canonical)),
        );
    }
    Ok(doc)
}

fn collect(
    root: &Path,
    dir: &Path,
    files: &mut serde_json::Map<String, Value>,
) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else {
            let rel = path
                .strip_prefix(root)
                .map_err(|_| format!("`{}` is outside the pack", path.display()))?;
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read `{}` as text: {e}", path.display()))?;
            files.insert(rel, Value::String(text));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_answers_are_decoded() {
        let raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        let r = parse_response(raw).unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.body, b"abcde");
    }

    #[test]
    fn server_urls_are_taken_apart() {
        let c = Client::new("http://127.0.0.1:8080/base/", None).unwrap();
        assert_eq!(
            (c.host.as_str(), c.port, c.prefix.as_str()),
            ("127.0.0.1", 8080, "base")
        );
        let c = Client::new("http://[::1]:9", None).unwrap();
        assert_eq!((c.host.as_str(), c.port), ("::1", 9));
        let c = Client::new("http://guardrail.internal", None).unwrap();
        assert_eq!(c.port, 80);
        let err = Client::new("ftp://x.invalid", None).unwrap_err();
        assert!(
            err.contains("must start with `https://` or `http://`"),
            "{err}"
        );
        let err = Client::new("http://x.invalid:port", None).unwrap_err();
        assert!(err.contains("no valid `HOST[:PORT]`"), "{err}");
        assert!(!format!("{c:?}").contains("tls:"));
    }

    #[test]
    fn https_with_a_ca_file_that_is_not_there_says_which_file() {
        let err =
            Client::new("https://x.invalid", Some(Path::new("/nonexistent/ca.pem"))).unwrap_err();
        assert!(
            err.contains("cannot read the CA certificate file `/nonexistent/ca.pem`"),
            "{err}"
        );
        let c = Client::new("https://x.invalid", Some(Path::new("/dev/null")));
        assert!(c.unwrap_err().contains("holds no certificate"));
    }
}
