//! A small blocking HTTP/1.1 client for the CLI's side of the service (`guardrail pack
//! publish`) and for tests: plain `http://` only, one request per connection.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::auth::content_digest;
use crate::packs::check_document;

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

/// Sends one request to `server` (`http://host:port`, optionally with a path prefix) and reads
/// the whole answer. The error says what went wrong, for a person.
pub fn request(
    server: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&[u8]>,
) -> Result<Response, String> {
    let rest = server.strip_prefix("http://").ok_or_else(|| {
        if server.starts_with("https://") {
            format!("`{server}`: https is not supported by this client yet; reach the server over http (e.g. on a private network or through a local proxy)")
        } else {
            format!("the server URL `{server}` must start with `http://`")
        }
    })?;
    let (authority, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let prefix = prefix.trim_end_matches('/');
    let full_path = if prefix.is_empty() {
        path.to_owned()
    } else {
        format!("/{prefix}{path}")
    };
    let mut stream = TcpStream::connect(authority)
        .map_err(|e| format!("cannot reach the server `{server}`: {e}"))?;
    let timeout = Some(Duration::from_secs(60));
    let _ = stream.set_read_timeout(timeout);
    let _ = stream.set_write_timeout(timeout);
    let mut head = format!(
        "{method} {full_path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nAccept: application/json\r\n"
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
    let io = |e: std::io::Error| format!("the connection to `{server}` failed: {e}");
    stream.write_all(head.as_bytes()).map_err(io)?;
    // A server may answer before it has read the whole body (say, 413 for an upload above its
    // limit) and close the connection: its answer is still read and returned.
    let sent = stream.write_all(body);
    let mut raw = Vec::new();
    let read = stream.read_to_end(&mut raw);
    match parse_response(&raw) {
        Some(response) => Ok(response),
        None => {
            sent.map_err(io)?;
            read.map_err(io)?;
            Err(format!("`{server}` sent an answer that is not HTTP"))
        }
    }
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
    fn only_http_urls() {
        let err = request("https://x.invalid", "GET", "/", None, None).unwrap_err();
        assert!(err.contains("https is not supported"));
        assert!(request("x.invalid", "GET", "/", None, None)
            .unwrap_err()
            .contains("must start with `http://`"));
    }
}
