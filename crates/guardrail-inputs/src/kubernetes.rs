//! Kubernetes manifests: YAML (one or several documents) or JSON, `kind: List`, what
//! `helm template` and `kustomize build` print, and directories of such files.
//!
//! Each object becomes a resource typed like Pulumi's Kubernetes provider types it
//! (`kubernetes:apps/v1:Deployment`; the core group is `core`: `kubernetes:core/v1:Pod`), with the
//! object itself (camelCase, as written) as its properties, so that a rule sees one shape for a
//! Pulumi program and for a manifest. The resource is named `namespace/name` (just `name` when
//! the manifest sets no namespace) and points at the file and line of its object; the lines of
//! the fields written in block style are recorded too, so that a finding at
//! `spec.template.spec.containers[0].securityContext.privileged` points at that line. The values
//! of a `Secret`'s `data` and `stringData` are secrets.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use guardrail_core::source::fold_name;
use guardrail_core::{Mode, Operation, Resource, SourceLocation, Spelling, Stack, Value};
use serde::Deserialize;

use crate::error::InputError;
use crate::text::Source;

/// How to produce a manifest file, for help lines.
pub(crate) const HELP: &str = "pass Kubernetes manifests (YAML or JSON, several documents separated by `---`), e.g. `helm template my-release ./chart > manifests.yaml` or `kustomize build overlays/prod > manifests.yaml`";

/// File names a directory of manifests is read from.
const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Whether a text that is not JSON looks like Kubernetes YAML: a line (at the start of a
/// document or of a `List` item) sets `apiVersion:` or `kind:`.
pub(crate) fn looks_like_yaml_manifest(text: &str) -> bool {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with(['{', '[']) {
        return false;
    }
    text.lines().any(|line| {
        let line = line.trim_start();
        let line = line.strip_prefix("- ").map_or(line, str::trim_start);
        line.starts_with("apiVersion:") || line.starts_with("kind:")
    })
}

/// Whether a line (at the start of a document or of a `List` item) sets `kind:`.
fn has_kind_line(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        line.strip_prefix("- ")
            .map_or(line, str::trim_start)
            .starts_with("kind:")
    })
}

/// One parsed document of a file, with the line it starts on.
struct Document {
    value: serde_json::Value,
    first_line: usize,
    /// The lines of the document's fields, by folded path (see [`SourceLocation::properties`]).
    lines: Vec<(String, usize)>,
}

/// Loads a manifest file's text (YAML or JSON) into a stack.
pub(crate) fn load(src: &Source<'_>) -> Result<Stack, InputError> {
    let mut stack = Stack::default();
    let mut ids = std::collections::HashMap::new();
    add_file(src, &mut stack.resources, &mut ids)?;
    Ok(stack)
}

/// Loads every manifest file under a directory (`.yaml`, `.yml`, `.json`, in name order,
/// subdirectories included) into one stack. Files that hold no Kubernetes object (a Helm
/// `values.yaml`, a `Chart.yaml`) are skipped; a file that is not valid YAML is an error.
pub(crate) fn load_dir(dir: &Path, name: &str) -> Result<Stack, InputError> {
    let mut files = Vec::new();
    collect(dir, &mut files, 0)
        .map_err(|e| InputError::new(name, format!("could not be read: {e}")))?;
    files.sort();
    let mut stack = Stack::default();
    let mut ids = std::collections::HashMap::new();
    let mut found_any = false;
    for file in files {
        let shown = file.display().to_string();
        let bytes = std::fs::read(&file)
            .map_err(|e| InputError::new(&shown, format!("could not be read: {e}")))?;
        let text = crate::text::decode(&shown, &bytes)?;
        let src = Source {
            file: &shown,
            text: &text,
        };
        let json = text.trim_start().starts_with(['{', '[']);
        // a Helm `Chart.yaml` has an `apiVersion` but no `kind`: not a manifest
        let yaml_manifest = looks_like_yaml_manifest(&text) && has_kind_line(&text);
        if !json && !yaml_manifest {
            continue;
        }
        if json {
            // a JSON file that is not an object with `apiVersion` and `kind` (a package.json)
            let is_object = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .is_some_and(|v| is_k8s_object(&v) || is_list(&v));
            if !is_object {
                continue;
            }
        }
        found_any = true;
        add_file(&src, &mut stack.resources, &mut ids)?;
    }
    if !found_any {
        return Err(InputError::new(
            name,
            "is a directory that holds no Kubernetes manifests (`.yaml`, `.yml` or `.json` files with `apiVersion` and `kind`)",
        )
        .help(HELP));
    }
    Ok(stack)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> std::io::Result<()> {
    if depth > 32 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            collect(&path, out, depth + 1)?;
        } else if path
            .extension()
            .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
        {
            out.push(path);
        }
    }
    Ok(())
}

fn is_k8s_object(v: &serde_json::Value) -> bool {
    v.get("apiVersion")
        .is_some_and(serde_json::Value::is_string)
        && v.get("kind").is_some_and(serde_json::Value::is_string)
}

fn is_list(v: &serde_json::Value) -> bool {
    v.get("kind")
        .and_then(serde_json::Value::as_str)
        .is_some_and(|k| k == "List" || k.ends_with("List"))
        && v.get("items").is_some_and(serde_json::Value::is_array)
}

/// Parses one file and appends its objects.
fn add_file(
    src: &Source<'_>,
    out: &mut Vec<Resource>,
    ids: &mut std::collections::HashMap<String, usize>,
) -> Result<(), InputError> {
    let documents = parse(src)?;
    let file: Arc<str> = Arc::from(src.file);
    for (n, doc) in documents.into_iter().enumerate() {
        let Document {
            value,
            first_line,
            lines,
        } = doc;
        if value.is_null() {
            continue;
        }
        if is_list(&value) && !is_k8s_object_with_name(&value) {
            let serde_json::Value::Object(mut map) = value else {
                continue;
            };
            let items = match map.remove("items") {
                Some(serde_json::Value::Array(items)) => items,
                _ => Vec::new(),
            };
            for (i, item) in items.into_iter().enumerate() {
                let prefix = format!("items[{i}]");
                let line = lines
                    .iter()
                    .find(|(k, _)| *k == prefix)
                    .map_or(first_line, |(_, l)| *l);
                let inner = nested_lines(&lines, &prefix);
                let place = format!("item {} of the list at line {first_line}", i + 1);
                out.push(object(src, &file, item, line, inner, &place, ids)?);
            }
            continue;
        }
        let place = format!("document {} (line {first_line})", n + 1);
        out.push(object(src, &file, value, first_line, lines, &place, ids)?);
    }
    Ok(())
}

/// A `List` is an object without a name of its own: `kind: ConfigMapList` with metadata names is
/// still read as a list.
fn is_k8s_object_with_name(v: &serde_json::Value) -> bool {
    v.get("metadata")
        .and_then(|m| m.get("name"))
        .is_some_and(serde_json::Value::is_string)
        && v.get("items").is_none()
}

/// The entries of `lines` under `prefix.`, with the prefix removed.
fn nested_lines(lines: &[(String, usize)], prefix: &str) -> Vec<(String, usize)> {
    let dotted = format!("{prefix}.");
    lines
        .iter()
        .filter_map(|(k, l)| k.strip_prefix(&dotted).map(|rest| (rest.to_string(), *l)))
        .collect()
}

/// The resource of one Kubernetes object.
fn object(
    src: &Source<'_>,
    file: &Arc<str>,
    value: serde_json::Value,
    line: usize,
    lines: Vec<(String, usize)>,
    place: &str,
    ids: &mut std::collections::HashMap<String, usize>,
) -> Result<Resource, InputError> {
    let not_object = |what: &str| {
        src.error(format!("{place} is not a kubernetes object: {what}"))
            .at(line, 1)
            .help("every document needs `apiVersion`, `kind` and `metadata.name`; remove documents that are not Kubernetes objects, or render templates first (`helm template`, `kustomize build`)")
    };
    if !value.is_object() {
        return Err(not_object("it is not a mapping"));
    }
    let api_version = match value.get("apiVersion") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(_) => return Err(not_object("its `apiVersion` is not a string")),
        None => return Err(not_object("it has no `apiVersion`")),
    };
    let kind = match value.get("kind") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(_) => return Err(not_object("its `kind` is not a string")),
        None => return Err(not_object("it has no `kind`")),
    };
    let metadata = value.get("metadata");
    let text_of = |key: &str| {
        metadata
            .and_then(|m| m.get(key))
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let name = text_of("name")
        .or_else(|| text_of("generateName").map(|g| format!("{g}*")))
        .unwrap_or_else(|| format!("unnamed-{}", line));
    let namespace = text_of("namespace");
    let shown_name = match &namespace {
        Some(ns) => format!("{ns}/{name}"),
        None => name,
    };
    let mut id = format!("{kind}/{shown_name}");
    let seen = ids.entry(id.clone()).or_insert(0);
    *seen += 1;
    if *seen > 1 {
        id = format!("{id}#{seen}");
    }
    let mut props = Value::from_json(value);
    if kind == "Secret" && api_version == "v1" {
        for key in ["data", "stringData"] {
            if let Some(Value::Object(map)) = props.get_mut(key) {
                for (_, v) in map.iter_mut() {
                    let inner = std::mem::take(v);
                    *v = Value::Secret(Box::new(inner));
                }
            }
        }
    }
    let mut r = Resource::new(id, type_token(&api_version, &kind), Spelling::Pulumi, props);
    r.name = shown_name;
    r.mode = Mode::Managed;
    r.operation = Operation::Create;
    r.provider = Some("kubernetes".to_string());
    r.line = Some(line);
    let mut location = SourceLocation::new(file.as_ref(), line);
    location.properties = lines;
    r.source_location = Some(Arc::new(location));
    Ok(r)
}

/// The Pulumi type token of an object: `apps/v1` + `Deployment` → `kubernetes:apps/v1:Deployment`;
/// the core group (`v1`) is `core/v1`.
pub fn type_token(api_version: &str, kind: &str) -> String {
    if api_version.contains('/') {
        format!("kubernetes:{api_version}:{kind}")
    } else {
        format!("kubernetes:core/{api_version}:{kind}")
    }
}

/// Parses the file into documents: JSON (one value) or YAML (`---`-separated documents).
fn parse(src: &Source<'_>) -> Result<Vec<Document>, InputError> {
    let text = src.text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with(['{', '[']) {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| src.json_error(&e, None, "value"))?;
        let first_line = crate::text::line_col(text, text.len() - text.trim_start().len()).0;
        let lines = json_lines(text);
        let documents = match value {
            // `[obj, obj]`: a JSON array of objects, as some tools write them
            serde_json::Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, value)| {
                    let prefix = format!("[{i}]");
                    Document {
                        value,
                        first_line: lines
                            .iter()
                            .find(|(k, _)| *k == prefix)
                            .map_or(first_line, |(_, l)| *l),
                        lines: nested_lines(&lines, &prefix),
                    }
                })
                .collect(),
            value => vec![Document {
                value,
                first_line,
                lines,
            }],
        };
        return Ok(documents);
    }
    let starts = document_starts(text);
    // the lines once: each document scans only its own
    let all_lines: Vec<&str> = text.lines().collect();
    let mut documents = Vec::new();
    for (i, doc) in yaml_serde::Deserializer::from_str(text).enumerate() {
        let value = serde_json::Value::deserialize(doc).map_err(|e| yaml_error(src, &e))?;
        let (first_line, lines) = match starts.get(i) {
            Some(&(start, end)) => (
                first_content_line(&all_lines, start, end).unwrap_or(start),
                scan_lines(&all_lines, start, end),
            ),
            None => (1, Vec::new()),
        };
        documents.push(Document {
            value,
            first_line,
            lines,
        });
    }
    Ok(documents)
}

/// A YAML error as an input error with the file's line and column.
fn yaml_error(src: &Source<'_>, e: &yaml_serde::Error) -> InputError {
    let mut message = e.to_string();
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    let templated = src.text.contains("{{");
    let mut err = src
        .error(format!("is not valid YAML: {message}"))
        .help(if templated {
            "this looks like a Helm template: render it first with `helm template RELEASE CHART > manifests.yaml` and check that file"
        } else {
            "fix the YAML at that place (indentation, a missing `:` or an unclosed quote); `kubectl apply --dry-run=client -f FILE` shows the same"
        });
    if let Some(loc) = e.location() {
        err = err.at(loc.line().max(1), loc.column().max(1));
    }
    err
}

/// The 1-based line ranges of the YAML documents (`[start, end)`), as the parser sees them: each
/// `---` starts one (empty or not), and text before the first `---` is one when it holds more
/// than comments.
fn document_starts(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 1;
    let mut explicit = false;
    let mut has_content = false;
    let mut line_no = 0;
    for line in text.lines() {
        line_no += 1;
        let separator = line.starts_with("---")
            && line
                .get(3..)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
        if separator {
            if explicit || has_content {
                out.push((start, line_no));
            }
            start = line_no + 1;
            explicit = true;
            has_content = false;
            continue;
        }
        let trimmed = line.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') && !trimmed.starts_with('%') {
            has_content = true;
        }
    }
    if explicit || has_content {
        out.push((start, line_no + 1));
    }
    out
}

/// The lines `[start, end)` (1-based) of a file, with their numbers.
fn numbered<'l, 'a>(
    lines: &'l [&'a str],
    start: usize,
    end: usize,
) -> impl Iterator<Item = (usize, &'a str)> + 'l {
    let from = start.saturating_sub(1).min(lines.len());
    let to = end.saturating_sub(1).clamp(from, lines.len());
    lines
        .get(from..to)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(move |(i, l)| (from + i, *l))
}

fn first_content_line(lines: &[&str], start: usize, end: usize) -> Option<usize> {
    numbered(lines, start, end)
        .find(|(_, l)| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|(i, _)| i + 1)
}

/// What a block-style line holds.
struct Line<'a> {
    /// `- ` items before the content (`- - a` is two), each with the column of its dash.
    dashes: Vec<usize>,
    /// The column where the content after the dashes starts.
    column: usize,
    /// `key` of `key: value` or `key:`.
    key: Option<String>,
    /// What follows the key's colon (or the whole content when there is no key), trimmed.
    rest: &'a str,
}

fn split_line(line: &str) -> Option<Line<'_>> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let mut content = line.get(indent..)?;
    if content.is_empty() || content.starts_with('#') || content.starts_with('\t') {
        return None;
    }
    let mut column = indent;
    let mut dashes = Vec::new();
    while content == "-" || content.starts_with("- ") {
        dashes.push(column);
        let after = content.get(1..).unwrap_or_default();
        let spaces = after.len() - after.trim_start_matches(' ').len();
        column += 1 + spaces;
        content = after.get(spaces..).unwrap_or_default();
    }
    let (key, rest) = match key_of(content) {
        Some((key, rest)) => (Some(key), rest),
        None => (None, content),
    };
    Some(Line {
        dashes,
        column,
        key,
        rest: strip_comment(rest).trim(),
    })
}

/// `key: rest` → the key (unquoted) and the rest; `None` when the content is no mapping entry.
fn key_of(content: &str) -> Option<(String, &str)> {
    let (key, after) = if let Some(quoted) = content.strip_prefix('"') {
        let end = quoted.find('"')?;
        (quoted.get(..end)?.to_string(), quoted.get(end + 1..)?)
    } else if let Some(quoted) = content.strip_prefix('\'') {
        let end = quoted.find('\'')?;
        (quoted.get(..end)?.to_string(), quoted.get(end + 1..)?)
    } else {
        if content.starts_with(['{', '[', '|', '>', '&', '*', '!', '?']) {
            return None;
        }
        let colon = content
            .match_indices(':')
            .find(|(i, _)| {
                let next = content.get(i + 1..i + 2);
                next.is_none() || next == Some(" ")
            })
            .map(|(i, _)| i)?;
        (
            content.get(..colon)?.trim_end().to_string(),
            content.get(colon..)?,
        )
    };
    let after = after.trim_start();
    let rest = after.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((key, rest))
}

fn strip_comment(text: &str) -> &str {
    if text.starts_with('#') {
        return "";
    }
    match text.find(" #") {
        Some(i) if !text.starts_with(['"', '\'']) => text.get(..i).unwrap_or(text),
        _ => text,
    }
}

/// A JSON container being read: an object (with the key whose value comes next) or an array
/// (with the index of its next item).
enum JsonFrame {
    Object { path: String, key: Option<String> },
    Array { path: String, next: usize },
}

/// The lines of a JSON document's values, keyed as [`scan_lines`] keys YAML's: an object as
/// `name[0]`, the `i`-th item of an array as `name[i]`, a scalar as `name`. The root array's
/// items are `[i]`.
fn json_lines(text: &str) -> Vec<(String, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut stack: Vec<JsonFrame> = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => line += 1,
            b'"' => {
                // a string: a key where an object waits for one, else a value
                let start = i + 1;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 1,
                        b'"' => break,
                        b'\n' => line += 1,
                        _ => {}
                    }
                    i += 1;
                }
                let text = std::str::from_utf8(bytes.get(start..i).unwrap_or_default())
                    .unwrap_or_default();
                let is_key = matches!(stack.last(), Some(JsonFrame::Object { key: None, .. }))
                    && bytes
                        .get(i + 1..)
                        .unwrap_or_default()
                        .iter()
                        .find(|c| !c.is_ascii_whitespace())
                        == Some(&b':');
                if is_key {
                    if let Some(JsonFrame::Object { key, .. }) = stack.last_mut() {
                        *key = Some(fold_name(text));
                    }
                } else {
                    json_value(&mut stack, &mut out, line, None);
                }
            }
            b'{' | b'[' => {
                let path = json_value(&mut stack, &mut out, line, Some(b));
                stack.push(if b == b'{' {
                    JsonFrame::Object { path, key: None }
                } else {
                    JsonFrame::Array { path, next: 0 }
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => {
                if let Some(JsonFrame::Object { key, .. }) = stack.last_mut() {
                    *key = None;
                }
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                json_value(&mut stack, &mut out, line, None);
                while bytes.get(i + 1).is_some_and(|c| {
                    !matches!(c, b',' | b'}' | b']' | b'\n' | b' ' | b'\t' | b'\r')
                }) {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Records a value starting at `line` in the container on top of `stack`, and returns the
/// path its own children are under (`opening` is `{` or `[` for a container).
fn json_value(
    stack: &mut [JsonFrame],
    out: &mut Vec<(String, usize)>,
    line: usize,
    opening: Option<u8>,
) -> String {
    let join = |path: &str, key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match stack.last_mut() {
        None => String::new(),
        Some(JsonFrame::Object { path, key }) => {
            let name = join(path, key.as_deref().unwrap_or_default());
            match opening {
                Some(b'{') => {
                    let block = format!("{name}[0]");
                    out.push((block.clone(), line));
                    block
                }
                Some(_) => {
                    out.push((name.clone(), line));
                    name
                }
                None => {
                    out.push((name.clone(), line));
                    name
                }
            }
        }
        Some(JsonFrame::Array { path, next }) => {
            let item = format!("{path}[{next}]");
            *next += 1;
            out.push((item.clone(), line));
            item
        }
    }
}

/// A container being read: a mapping whose keys sit at `column`, or a sequence whose dashes do.
struct Frame {
    column: usize,
    path: String,
    sequence: bool,
    next_item: usize,
}

impl Frame {
    fn new(column: usize, path: String, sequence: bool) -> Frame {
        Frame {
            column,
            path,
            sequence,
            next_item: 0,
        }
    }
}

/// The lines of a document's block-style fields, keyed as [`SourceLocation::properties`] keys
/// them: a mapping as `name[0]`, the `i`-th item of a sequence as `name[i]`, a scalar as `name`
/// (names folded). Flow style (`{...}`, `[...]`) and block scalars are recorded as one value;
/// lines the scan does not understand are skipped, and a finding there keeps the line of the
/// nearest field or of the object.
fn scan_lines(lines: &[&str], start: usize, end: usize) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut frames: Vec<Frame> = Vec::new();
    // a key whose value starts on a later line: its column, path and line
    let mut open: Option<(usize, String, usize)> = None;
    // a block scalar runs while lines are indented more than this
    let mut block_scalar: Option<usize> = None;
    for (i, raw) in numbered(lines, start, end) {
        let line_no = i + 1;
        if let Some(limit) = block_scalar {
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            if raw.trim().is_empty() || indent > limit {
                continue;
            }
            block_scalar = None;
        }
        let Some(line) = split_line(raw) else {
            continue;
        };
        let dashed = !line.dashes.is_empty();
        let first_column = line.dashes.first().copied().unwrap_or(line.column);
        while let Some(top) = frames.last() {
            let inside = if top.sequence {
                top.column < first_column || (top.column == first_column && dashed)
            } else {
                top.column <= first_column
            };
            if inside {
                break;
            }
            frames.pop();
        }
        if let Some((column, path, at)) = open.take() {
            if dashed && first_column >= column {
                frames.push(Frame::new(first_column, path, true));
            } else if first_column > column && line.key.is_some() {
                out.push((format!("{path}[0]"), at));
                frames.push(Frame::new(first_column, format!("{path}[0]"), false));
            } else {
                out.push((path, at));
            }
        }
        if frames.is_empty() && !dashed {
            frames.push(Frame::new(line.column, String::new(), false));
        }
        let mut path = frames.last().map(|f| f.path.clone()).unwrap_or_default();
        for (d, &dash) in line.dashes.iter().enumerate() {
            if d > 0 {
                frames.push(Frame::new(dash, path.clone(), true));
            }
            let Some(frame) = frames.last_mut().filter(|f| f.sequence && f.column == dash) else {
                // a dash where no sequence can be: leave the rest to the object's line
                return out;
            };
            let item = format!("{}[{}]", frame.path, frame.next_item);
            frame.next_item += 1;
            out.push((item.clone(), line_no));
            path = item;
        }
        let Some(key) = line.key else {
            if line.rest.starts_with(['|', '>']) {
                block_scalar = Some(first_column);
            }
            continue;
        };
        if dashed {
            frames.push(Frame::new(line.column, path.clone(), false));
        }
        match frames.last() {
            Some(top) if !top.sequence && top.column == line.column => {}
            // a continuation of a multi-line scalar, or indentation the scan does not follow
            _ => continue,
        }
        let full = if path.is_empty() {
            fold_name(&key)
        } else {
            format!("{path}.{}", fold_name(&key))
        };
        let anchor_only = line.rest.starts_with('&') && !line.rest.contains(' ');
        if line.rest.is_empty() || anchor_only {
            open = Some((line.column, full, line_no));
        } else {
            if line.rest.starts_with(['|', '>']) {
                block_scalar = Some(line.column);
            }
            out.push((full, line_no));
        }
    }
    if let Some((_, path, at)) = open {
        out.push((path, at));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Stack, InputError> {
        crate::load_bytes("m.yaml", text.as_bytes(), None)
    }

    const HELM: &str = "---\n# Source: web/templates/sa.yaml\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n---\n# Source: web/templates/deploy.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: prod\n  labels:\n    app: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.25\n        args:\n        - --port\n        - \"8080\"\n        command: |\n          run\n          this: not a key\n        securityContext:\n          privileged: true\n      - name: sidecar\n        image: busybox\n        securityContext: {privileged: false}\n      volumes:\n      - name: data\n        hostPath:\n          path: /var\n---\n";

    #[test]
    fn helm_output_becomes_resources_typed_like_pulumi() {
        let stack = load_text(HELM).unwrap();
        assert_eq!(stack.format, "kubernetes-manifests");
        let types: Vec<&str> = stack.resources.iter().map(|r| r.type_.as_str()).collect();
        assert_eq!(
            types,
            [
                "kubernetes:core/v1:ServiceAccount",
                "kubernetes:apps/v1:Deployment"
            ]
        );
        let d = &stack.resources[1];
        assert_eq!(d.name, "prod/web");
        assert_eq!(d.id, "Deployment/prod/web");
        assert_eq!(d.spelling, Spelling::Pulumi);
        assert_eq!(d.line, Some(9));
        assert_eq!(
            d.props
                .field("spec.template.spec.containers[0].securityContext.privileged")
                .unwrap()
                .and_then(Value::as_bool),
            Some(true)
        );
        let loc = d.source_location.as_deref().unwrap();
        assert_eq!((loc.file.as_str(), loc.line), ("m.yaml", 9));
        let line = |p: &str| loc.line_of(Some(p));
        assert_eq!(
            line("spec.template.spec.containers[0].securityContext.privileged"),
            29
        );
        assert_eq!(
            line("spec.template.spec.containers[1].securityContext.privileged"),
            32
        );
        assert_eq!(line("spec.template.spec.containers[1].image"), 31);
        assert_eq!(line("spec.template.spec.containers[0].args[1]"), 24);
        assert_eq!(line("spec.template.spec.volumes[0].hostPath.path"), 36);
        assert_eq!(line("metadata.labels.app"), 15);
        // a block scalar's text is not read as keys
        assert!(!loc.properties.iter().any(|(k, _)| k.ends_with(".this")));
    }

    #[test]
    fn kustomize_style_lists_json_and_list_kinds() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n  spec:\n    containers:\n    - name: c\n      image: x\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: s\n  spec:\n    type: NodePort\n";
        let stack = load_text(text).unwrap();
        let names: Vec<&str> = stack.resources.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["a", "s"]);
        let pod = stack.resources[0].source_location.as_deref().unwrap();
        assert_eq!(pod.line, 4);
        assert_eq!(pod.line_of(Some("spec.containers[0].image")), 11);
        let svc = stack.resources[1].source_location.as_deref().unwrap();
        assert_eq!((svc.line, svc.line_of(Some("spec.type"))), (12, 17));

        let pretty = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n    {\n      \"apiVersion\": \"v1\",\n      \"kind\": \"Pod\",\n      \"metadata\": {\"name\": \"p\"},\n      \"spec\": {\n        \"containers\": [\n          {\n            \"name\": \"c\",\n            \"securityContext\": {\n              \"privileged\": true\n            }\n          }\n        ]\n      }\n    }\n  ]\n}\n";
        let stack = crate::load_bytes("l.json", pretty.as_bytes(), None).unwrap();
        let pod = stack.resources[0].source_location.as_deref().unwrap();
        assert_eq!(pod.line, 5);
        assert_eq!(
            pod.line_of(Some("spec.containers[0].securityContext.privileged")),
            14
        );
        assert_eq!(pod.line_of(Some("spec.containers[0].name")), 12);

        let json = r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "r"}, "rules": []}"#;
        let stack = crate::load_bytes("r.json", json.as_bytes(), None).unwrap();
        assert_eq!(stack.format, "kubernetes-manifests");
        assert_eq!(
            stack.resources[0].type_,
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"
        );
    }

    #[test]
    fn secret_data_is_secret() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2hunter2\n";
        let stack = load_text(text).unwrap();
        let v = stack.resources[0].props.get("stringData").unwrap();
        assert!(v.get("password").unwrap().is_secret());
    }

    #[test]
    fn bad_yaml_and_non_objects_are_clear_errors() {
        let e = load_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n").unwrap_err();
        assert!(e.message.starts_with("is not valid YAML"), "{e}");
        assert!(e.line.is_some(), "{e}");
        let e = load_text("apiVersion: v1\nkind: Pod\n---\nfoo: bar\n").unwrap_err();
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("document 2"), "{e}");
        assert!(e.message.contains("no `apiVersion`"), "{e}");
        let e = load_text("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n")
            .unwrap_err();
        assert!(e.help.unwrap().contains("helm template"));
        // log lines are still reported as not JSON
        let e = load_text("Terraform will perform the following actions:\n").unwrap_err();
        assert!(e.message.contains("is not JSON"), "{e}");
    }

    #[test]
    fn truncated_and_reindented_manifests_never_panic() {
        let texts = [
            HELM.to_string(),
            HELM.replace("  ", " "),
            HELM.replace("- ", "-\n  "),
        ];
        for text in &texts {
            for (i, _) in text.char_indices() {
                let _ = load_text(&text[..i]);
            }
            let lines: Vec<&str> = text.lines().collect();
            for skip in 0..lines.len() {
                let mut cut = lines.clone();
                cut.remove(skip);
                let _ = load_text(&cut.join("\n"));
            }
        }
    }

    #[test]
    fn directories_are_read_whole() {
        let dir = std::env::temp_dir().join(format!("guardrail-k8s-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("base")).unwrap();
        std::fs::write(
            dir.join("base/pod.yaml"),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n",
        )
        .unwrap();
        std::fs::write(dir.join("values.yaml"), "replicas: 3\n").unwrap();
        std::fs::write(
            dir.join("Chart.yaml"),
            "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("ns.json"),
            r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}"#,
        )
        .unwrap();
        let stack = crate::load_file(&dir, None).unwrap();
        let names: Vec<&str> = stack.resources.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["p", "n"]);
        assert!(stack.resources[0]
            .source_location
            .as_deref()
            .unwrap()
            .file
            .ends_with("pod.yaml"));
        let empty = dir.join("base/empty");
        std::fs::create_dir_all(&empty).unwrap();
        let e = crate::load_file(&empty, None).unwrap_err();
        assert!(e.message.contains("holds no Kubernetes manifests"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
