//! What the loader needs to know about parsed modules: packages, imports, rules and function
//! calls, read from regorus' serialised syntax tree.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value as Json;

/// A rule's head, as far as the loader cares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RuleInfo {
    /// The rule's name (the first part of its reference).
    pub name: String,
    /// Where the rule starts.
    pub line: usize,
    /// Whether it is a function (`f(x) := ...`).
    pub function: bool,
}

/// A function call in a rule body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Call {
    /// The called name as written, e.g. `sprintf` or `lib.helper`.
    pub path: String,
    pub line: usize,
    pub column: usize,
}

/// One parsed module.
#[derive(Clone, Debug, Default)]
pub(crate) struct ModuleInfo {
    /// The package path without `data.`, e.g. `guardrail.ports`.
    pub package: String,
    /// Line of the `package` statement.
    pub package_line: usize,
    /// Import aliases to the paths they stand for.
    pub imports: HashMap<String, String>,
    /// Rules in source order.
    pub rules: Vec<RuleInfo>,
    /// Calls, in source order.
    pub calls: Vec<Call>,
}

impl ModuleInfo {
    /// Names of the rules the module defines (not functions), without duplicates.
    pub fn rule_names(&self) -> BTreeSet<&str> {
        self.rules
            .iter()
            .filter(|r| !r.function)
            .map(|r| r.name.as_str())
            .collect()
    }
}

fn span_of(node: &Json) -> (usize, usize) {
    let span = node.get("span").unwrap_or(node);
    let n = |k: &str| {
        span.get(k)
            .and_then(Json::as_u64)
            .and_then(|v| usize::try_from(v).ok())
            .unwrap_or(0)
    };
    (n("line"), n("col"))
}

/// The dotted text of a reference expression (`a.b["c"]` → `a.b.c`), when it is one.
fn ref_path(expr: &Json) -> Option<String> {
    let obj = expr.as_object()?;
    let (kind, body) = obj.iter().next()?;
    match kind.as_str() {
        "Var" => body.get("value")?.as_str().map(str::to_string),
        "RefDot" => {
            let base = ref_path(body.get("refr")?)?;
            let field = body.get("field")?.as_array()?.get(1)?.as_str()?;
            Some(format!("{base}.{field}"))
        }
        "RefBrack" => {
            let base = ref_path(body.get("refr")?)?;
            let index = body.get("index")?;
            let key = index
                .get("String")
                .and_then(|s| s.get("value"))
                .and_then(Json::as_str)?;
            Some(format!("{base}.{key}"))
        }
        _ => None,
    }
}

/// Where a reference starts: the span of its leftmost variable.
fn ref_start(expr: &Json) -> Option<(usize, usize)> {
    let (kind, body) = expr.as_object()?.iter().next()?;
    match kind.as_str() {
        "Var" => Some(span_of(body)),
        "RefDot" | "RefBrack" => ref_start(body.get("refr")?),
        _ => None,
    }
}

fn collect_calls(node: &Json, out: &mut Vec<Call>) {
    match node {
        Json::Object(map) => {
            if let Some(call) = map.get("Call") {
                if let Some(path) = call.get("fcn").and_then(ref_path) {
                    let (line, column) = call
                        .get("fcn")
                        .and_then(ref_start)
                        .unwrap_or_else(|| span_of(call));
                    out.push(Call { path, line, column });
                }
            }
            for v in map.values() {
                collect_calls(v, out);
            }
        }
        Json::Array(items) => {
            for v in items {
                collect_calls(v, out);
            }
        }
        _ => {}
    }
}

/// Reads the modules of an engine's serialised syntax tree (`Engine::get_ast_as_json`).
pub(crate) fn modules(ast_json: &str) -> Vec<ModuleInfo> {
    let Ok(Json::Array(list)) = serde_json::from_str::<Json>(ast_json) else {
        return Vec::new();
    };
    list.iter().map(module).collect()
}

fn module(entry: &Json) -> ModuleInfo {
    let contents = entry
        .pointer("/source/contents")
        .and_then(Json::as_str)
        .unwrap_or_default();
    let ast = entry.get("ast").cloned().unwrap_or(Json::Null);
    let package = ast
        .pointer("/package/refr")
        .and_then(ref_path)
        .unwrap_or_default();
    let package_line = ast.get("package").map(span_of).unwrap_or_default().0;
    let mut imports = HashMap::new();
    for import in ast
        .get("imports")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let Some(path) = import.get("refr").and_then(ref_path) else {
            continue;
        };
        let alias = import
            .get("as")
            .and_then(|span| {
                let s = usize::try_from(span.get("start")?.as_u64()?).ok()?;
                let e = usize::try_from(span.get("end")?.as_u64()?).ok()?;
                contents.get(s..e).map(str::to_string)
            })
            .or_else(|| path.rsplit('.').next().map(str::to_string))
            .unwrap_or_default();
        imports.insert(alias, path);
    }
    let mut rules = Vec::new();
    let mut calls = Vec::new();
    for rule in ast
        .get("rules")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let (refr, function, line) = if let Some(spec) = rule.get("Spec") {
            let head = spec.get("head");
            let (kind, body) = head
                .and_then(Json::as_object)
                .and_then(|m| m.iter().next())
                .map(|(k, v)| (k.as_str(), v))
                .unwrap_or(("", &Json::Null));
            (body.get("refr"), kind == "Func", span_of(spec).0)
        } else if let Some(default) = rule.get("Default") {
            let args = default
                .get("args")
                .and_then(Json::as_array)
                .is_some_and(|a| !a.is_empty());
            (default.get("refr"), args, span_of(default).0)
        } else {
            (None, false, 0)
        };
        if let Some(name) = refr.and_then(ref_path) {
            let name = name.split('.').next().unwrap_or_default().to_string();
            rules.push(RuleInfo {
                name,
                line,
                function,
            });
        }
        collect_calls(rule, &mut calls);
    }
    ModuleInfo {
        package,
        package_line,
        imports,
        rules,
        calls,
    }
}

/// Whether `name` is a builtin function regorus knows (with the features this crate enables).
pub(crate) fn is_builtin(name: &str) -> bool {
    name == "print"
        || regorus::unstable::BUILTINS.contains_key(name)
        || crate::extensions::NAMES.contains(&name)
}

/// Calls to functions that are neither builtins nor defined in any module, as
/// `(module index, call)`.
pub(crate) fn unknown_calls(modules: &[ModuleInfo]) -> Vec<(usize, Call)> {
    let mut defined: BTreeSet<String> = BTreeSet::new();
    for m in modules {
        for r in m.rules.iter().filter(|r| r.function) {
            defined.insert(format!("data.{}.{}", m.package, r.name));
        }
    }
    let mut out = Vec::new();
    for (mi, m) in modules.iter().enumerate() {
        for call in &m.calls {
            let first = call.path.split('.').next().unwrap_or_default();
            let resolved = if let Some(target) = m.imports.get(first) {
                format!("{target}{}", &call.path[first.len()..])
            } else {
                call.path.clone()
            };
            let known = if resolved.starts_with("data.") {
                defined.contains(&resolved)
            } else if resolved.starts_with("input.") {
                false
            } else {
                is_builtin(&resolved) || defined.contains(&format!("data.{}.{resolved}", m.package))
            };
            if !known {
                out.push((mi, call.clone()));
            }
        }
    }
    out
}

/// Builtin names close to `name`, for a "did you mean".
pub(crate) fn nearest_builtin(name: &str) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for key in regorus::unstable::BUILTINS.keys() {
        let d = distance(name, key);
        if d <= 2 + name.len() / 6 && best.is_none_or(|(b, _)| d < b) {
            best = Some((d, key));
        }
    }
    best.map(|(_, k)| k.to_string())
}

pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let v = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            cur.push(v);
        }
        prev = cur;
    }
    prev[b.len()]
}
