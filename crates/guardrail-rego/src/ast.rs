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
    /// What its head and bodies refer to: calls, and references that may name rules.
    pub refs: Vec<Reference>,
}

/// A name a rule refers to: a function it calls or a reference that may name a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Reference {
    /// The dotted path as written, up to its first computed part (`data.p.r`, `lib.f`, `r`).
    pub path: String,
    /// Whether it is called (`f(x)`); a called name is never a local variable.
    pub call: bool,
    pub line: usize,
    pub column: usize,
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

/// The dotted text of a reference up to its first part that is computed (`data.p[x].y` →
/// `data.p`), with where it starts.
fn ref_prefix(expr: &Json) -> Option<(String, bool)> {
    let (kind, body) = expr.as_object()?.iter().next()?;
    match kind.as_str() {
        "Var" => Some((body.get("value")?.as_str()?.to_string(), true)),
        "RefDot" => {
            let (base, whole) = ref_prefix(body.get("refr")?)?;
            let field = body.get("field")?.as_array()?.get(1)?.as_str()?;
            Some(if whole {
                (format!("{base}.{field}"), true)
            } else {
                (base, false)
            })
        }
        "RefBrack" => {
            let (base, whole) = ref_prefix(body.get("refr")?)?;
            let key = body
                .get("index")
                .and_then(|i| i.get("String"))
                .and_then(|s| s.get("value"))
                .and_then(Json::as_str);
            Some(match (whole, key) {
                (true, Some(key)) => (format!("{base}.{key}"), true),
                _ => (base, false),
            })
        }
        _ => None,
    }
}

/// The names of the `Var`s in `node`.
fn var_names(node: &Json, out: &mut BTreeSet<String>) {
    match node {
        Json::Object(map) => {
            if let Some(name) = map
                .get("Var")
                .and_then(|v| v.get("value"))
                .and_then(Json::as_str)
            {
                out.insert(name.to_string());
            }
            for v in map.values() {
                var_names(v, out);
            }
        }
        Json::Array(items) => items.iter().for_each(|v| var_names(v, out)),
        _ => {}
    }
}

/// The text a bare span (`{start, end}`) covers.
fn span_text(span: &Json, contents: &str) -> Option<String> {
    let s = usize::try_from(span.get("start")?.as_u64()?).ok()?;
    let e = usize::try_from(span.get("end")?.as_u64()?).ok()?;
    contents.get(s..e).map(str::to_string)
}

/// Names a rule binds itself (function arguments, `:=`, `=`, `some`, `every`, iteration
/// indexes): a bare name among them is a local variable, not a rule. Generous on purpose: a
/// name taken for a local can only hide a rule reference, never invent one.
fn local_names(node: &Json, contents: &str, out: &mut BTreeSet<String>) {
    match node {
        Json::Object(map) => {
            if let Some(func) = map.get("Func") {
                if let Some(args) = func.get("args") {
                    var_names(args, out);
                }
            }
            if let Some(assign) = map.get("AssignExpr") {
                if let Some(lhs) = assign.get("lhs") {
                    var_names(lhs, out);
                }
                if assign.get("op").and_then(Json::as_str) == Some("Eq") {
                    if let Some(rhs) = assign.get("rhs") {
                        var_names(rhs, out);
                    }
                }
            }
            if let Some(vars) = map
                .get("SomeVars")
                .and_then(|s| s.get("vars"))
                .and_then(Json::as_array)
            {
                out.extend(vars.iter().filter_map(|v| span_text(v, contents)));
            }
            if let Some(some_in) = map.get("SomeIn") {
                for k in ["key", "value"] {
                    if let Some(v) = some_in.get(k) {
                        var_names(v, out);
                    }
                }
            }
            if let Some(every) = map.get("Every") {
                for k in ["key", "value"] {
                    if let Some(name) = every.get(k).and_then(|v| span_text(v, contents)) {
                        out.insert(name);
                    }
                }
            }
            if let Some(index) = map.get("RefBrack").and_then(|b| b.get("index")) {
                if let Some(name) = index
                    .get("Var")
                    .and_then(|v| v.get("value"))
                    .and_then(Json::as_str)
                {
                    out.insert(name.to_string());
                }
            }
            for v in map.values() {
                local_names(v, contents, out);
            }
        }
        Json::Array(items) => items.iter().for_each(|v| local_names(v, contents, out)),
        _ => {}
    }
}

/// The computed parts of a reference chain (bracket indexes, a call at its base), which may
/// refer to rules themselves.
fn chain_parts(expr: &Json, out: &mut Vec<Reference>) {
    let Some((kind, body)) = expr.as_object().and_then(|m| m.iter().next()) else {
        return;
    };
    match kind.as_str() {
        "RefDot" => {
            if let Some(r) = body.get("refr") {
                chain_parts(r, out);
            }
        }
        "RefBrack" => {
            if let Some(r) = body.get("refr") {
                chain_parts(r, out);
            }
            if let Some(i) = body.get("index") {
                collect_refs(i, out);
            }
        }
        "Var" => {}
        _ => collect_refs(expr, out),
    }
}

/// Every call and every reference in `node`, in source order. The target of a `with` is not a
/// reference (it replaces a value, it does not read it).
fn collect_refs(node: &Json, out: &mut Vec<Reference>) {
    match node {
        Json::Object(map) => {
            if let Some(call) = map.get("Call") {
                if let Some(fcn) = call.get("fcn") {
                    if let Some((path, _)) = ref_prefix(fcn) {
                        let (line, column) = ref_start(fcn).unwrap_or_else(|| span_of(call));
                        out.push(Reference {
                            path,
                            call: true,
                            line,
                            column,
                        });
                    }
                    chain_parts(fcn, out);
                }
                if let Some(params) = call.get("params") {
                    collect_refs(params, out);
                }
                return;
            }
            for kind in ["Var", "RefDot", "RefBrack"] {
                if map.contains_key(kind) {
                    if let Some((path, _)) = ref_prefix(node) {
                        let (line, column) = ref_start(node).unwrap_or_default();
                        out.push(Reference {
                            path,
                            call: false,
                            line,
                            column,
                        });
                    }
                    chain_parts(node, out);
                    return;
                }
            }
            for (k, v) in map {
                if k == "with_mods" {
                    for m in v.as_array().into_iter().flatten() {
                        if let Some(value) = m.get("as") {
                            collect_refs(value, out);
                        }
                    }
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Json::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
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
            let mut refs = Vec::new();
            // The head's reference is the rule's own name, not a use of it; a default value
            // is a constant.
            if let Some(spec) = rule.get("Spec") {
                let mut locals = BTreeSet::new();
                local_names(spec, contents, &mut locals);
                if let Some(head) = spec
                    .get("head")
                    .and_then(Json::as_object)
                    .and_then(|m| m.values().next())
                    .and_then(Json::as_object)
                {
                    for (k, v) in head {
                        if k != "refr" && k != "args" {
                            collect_refs(v, &mut refs);
                        }
                    }
                }
                if let Some(bodies) = spec.get("bodies") {
                    collect_refs(bodies, &mut refs);
                }
                refs.retain(|r| r.call || !locals.contains(r.path.split('.').next().unwrap_or("")));
            }
            rules.push(RuleInfo {
                name,
                line,
                function,
                refs,
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

/// One step of a recursion: a rule or function (`data.<package>.<name>`), defined in a module,
/// and where it refers to the next step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Step {
    /// `data.<package>.<name>`.
    pub rule: String,
    /// The module (index) of the reference to the next step.
    pub module: usize,
    pub line: usize,
    pub column: usize,
}

/// The rules and functions a reference can name: the rule it is inside (or at), resolved
/// through the module's imports and package.
fn targets(
    m: &ModuleInfo,
    r: &Reference,
    defined: &std::collections::BTreeMap<String, usize>,
) -> Option<usize> {
    let first = r.path.split('.').next().unwrap_or_default();
    let resolved = if let Some(target) = m.imports.get(first) {
        format!("{target}{}", r.path.get(first.len()..).unwrap_or_default())
    } else if first == "data" {
        r.path.clone()
    } else if first == "input" {
        return None;
    } else {
        format!("data.{}.{first}", m.package)
    };
    // the longest defined prefix ending at a dot
    let mut cut = resolved.as_str();
    loop {
        if let Some(&i) = defined.get(cut) {
            return Some(i);
        }
        cut = cut.get(..cut.rfind('.')?)?;
    }
}

/// The first recursion among the modules' rules and functions, in source order: the steps of
/// the cycle, each referring to the next, the last back to the first. OPA refuses every such
/// cycle at compile time; regorus would evaluate a recursive function until the stack ends.
pub(crate) fn recursion(modules: &[ModuleInfo]) -> Option<Vec<Step>> {
    use std::collections::BTreeMap;
    let mut defined: BTreeMap<String, usize> = BTreeMap::new();
    let mut names: Vec<String> = Vec::new();
    for m in modules {
        for r in &m.rules {
            let key = format!("data.{}.{}", m.package, r.name);
            if !defined.contains_key(&key) {
                defined.insert(key.clone(), names.len());
                names.push(key);
            }
        }
    }
    // edges[node] = (target, module, line, column), in source order
    let mut edges: Vec<Vec<(usize, usize, usize, usize)>> = vec![Vec::new(); names.len()];
    for (mi, m) in modules.iter().enumerate() {
        for r in &m.rules {
            let Some(&from) = defined.get(&format!("data.{}.{}", m.package, r.name)) else {
                continue;
            };
            for reference in &r.refs {
                if let Some(to) = targets(m, reference, &defined) {
                    if let Some(list) = edges.get_mut(from) {
                        list.push((to, mi, reference.line, reference.column));
                    }
                }
            }
        }
    }
    // Depth-first search without recursion (a hostile pack may chain many rules): 0 unseen,
    // 1 on the path, 2 done.
    let mut state = vec![0u8; names.len()];
    for start in 0..names.len() {
        if state.get(start) != Some(&0) {
            continue;
        }
        // the path: (node, next edge to follow)
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(s) = state.get_mut(start) {
            *s = 1;
        }
        while let Some(&(node, next)) = path.last() {
            let edge = edges.get(node).and_then(|e| e.get(next)).copied();
            let Some((to, ..)) = edge else {
                if let Some(s) = state.get_mut(node) {
                    *s = 2;
                }
                path.pop();
                continue;
            };
            if let Some(last) = path.last_mut() {
                last.1 += 1;
            }
            match state.get(to) {
                Some(0) => {
                    if let Some(s) = state.get_mut(to) {
                        *s = 1;
                    }
                    path.push((to, 0));
                }
                Some(1) => {
                    let from = path.iter().position(|(n, _)| *n == to).unwrap_or(0);
                    let steps = path
                        .get(from..)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|&(n, taken)| {
                            let (_, module, line, column) =
                                *edges.get(n)?.get(taken.checked_sub(1)?)?;
                            Some(Step {
                                rule: names.get(n)?.clone(),
                                module,
                                line,
                                column,
                            })
                        })
                        .collect();
                    return Some(steps);
                }
                _ => {}
            }
        }
    }
    None
}
