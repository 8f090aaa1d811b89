//! `guardrail test DIR...`: Rego unit tests (`test_*` rules) and fixture tests, for Rego packs and
//! for the built-in catalog's rules alike.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::Value as Json;

use guardrail_core::fixture::{self, FixtureInput};
use guardrail_core::{Policy, Stack};
use guardrail_rego::RegoPack;

use crate::pack::{self, RegoArgs};
use crate::UserError;

/// Output formats of `guardrail test`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// One line per test, details of failures, and the totals.
    #[default]
    Human,
    /// A JSON document with every test and the totals.
    Json,
}

/// Options of `guardrail test`.
#[derive(Args, Debug)]
pub struct TestArgs {
    /// Pack directories (guardrail, Pulumi OPA-bridge or conftest layouts), directories of
    /// fixture files for built-in rules (e.g. the catalog's `src/rules`), or fixture files.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,

    /// Show only failing tests and the totals.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub rego: RegoArgs,
}

/// One test's result.
#[derive(Clone, Debug, Serialize)]
pub struct TestResult {
    /// `rego` (a `test_*` rule) or `fixture`.
    pub kind: &'static str,
    /// The test's name.
    pub name: String,
    /// The policy under test (fixtures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// `file` or `file:line`.
    pub location: String,
    /// Whether it passed.
    pub passed: bool,
    /// The expected outcome (fixtures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// The outcome observed (fixtures).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<String>,
    /// What did not match.
    pub failures: Vec<String>,
    /// Messages the policy produced (fixtures).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
}

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    passed: usize,
    failed: usize,
    tests: &'a [TestResult],
}

fn is_fixture(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    [".fixtures.json", ".fixtures.yaml", ".fixtures.yml"]
        .iter()
        .any(|s| name.ends_with(s))
}

/// The fixture files under `dir`, a directory of the tested path `root`; a link that leaves
/// `root` is refused, as pack loading refuses one (its content never reaches an error).
fn fixture_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), UserError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        UserError::new(format!("cannot read `{}`: {e}", dir.display()))
            .help("pass a pack directory or a fixture file")
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.') || n == "target" || n == "node_modules");
        if hidden {
            continue;
        }
        let link = std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
        if link && (p.is_dir() || is_fixture(&p)) {
            guardrail_rego::inside_pack(root, &p).map_err(crate::pack::user_error)?;
        }
        if p.is_dir() {
            if !link {
                fixture_files(root, &p, out)?;
            }
        } else if is_fixture(&p) {
            out.push(p);
        }
    }
    Ok(())
}

fn has_rego(dir: &Path) -> bool {
    if dir.join(guardrail_rego::meta::MANIFEST).is_file() || dir.join("PulumiPolicy.yaml").is_file()
    {
        return true;
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rego") {
                return true;
            }
        }
    }
    false
}

/// Reads a fixture file (JSON or YAML) into JSON.
fn read_fixture(path: &Path) -> Result<Json, UserError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        UserError::new(format!("cannot read `{}`: {e}", path.display()))
            .help("check the path of the fixture file")
    })?;
    let yaml = path.extension().is_some_and(|x| x == "yaml" || x == "yml");
    if yaml {
        yaml_serde::from_str::<Json>(&text).map_err(|e| {
            let place = e
                .location()
                .map(|l| format!(":{}:{}", l.line(), l.column()))
                .unwrap_or_default();
            let mut message = e.to_string();
            if let Some(at) = message.find(" at line ") {
                message.truncate(at);
            }
            UserError::new(format!("{}{place}: {message}", path.display()))
                .help("a fixture file is YAML or JSON with `policy` and `cases` (docs/rego.md)")
        })
    } else {
        serde_json::from_str::<Json>(&text).map_err(|e| {
            UserError::new(format!(
                "{}:{}:{}: {e}",
                path.display(),
                e.line(),
                e.column()
            ))
            .help("a fixture file is YAML or JSON with `policy` and `cases` (docs/rego.md)")
        })
    }
}

fn find_policy(packs: &[RegoPack], key: &str) -> Option<Arc<dyn Policy>> {
    packs
        .iter()
        .flat_map(|p| &p.pack.policies)
        .find(|p| p.meta().id == key || p.meta().name == key)
        .cloned()
        .or_else(|| {
            guardrail_catalog::find(key).map(|spec| Arc::new(spec.policy()) as Arc<dyn Policy>)
        })
}

fn run_fixture_file(
    path: &Path,
    packs: &[RegoPack],
    results: &mut Vec<TestResult>,
) -> Result<(), UserError> {
    let json = read_fixture(path)?;
    let file = fixture::parse(&json).map_err(|e| {
        UserError::new(format!("{}: {e}", path.display()))
            .help("a fixture file has `policy: ID` and `cases` (docs/rego.md)")
    })?;
    let Some(policy) = find_policy(packs, &file.policy) else {
        return Err(UserError::new(format!(
            "{}: no policy `{}` in the packs tested or the built-in catalog",
            path.display(),
            file.policy
        ))
        .help(
            "name the policy by its id or name, and pass its pack directory to `guardrail test`",
        ));
    };
    let needs_document = packs
        .iter()
        .any(|p| p.needs_document && p.pack.policies.iter().any(|q| Arc::ptr_eq(q, &policy)));
    let base = path.parent().unwrap_or(Path::new("."));
    for run in &file.runs {
        let loaded;
        let stack: &Stack = match &run.input {
            FixtureInput::Stack(s) => s,
            FixtureInput::File(rel) => {
                let p = base.join(rel);
                let mut s = guardrail_inputs::load_file(&p, None).map_err(|e| {
                    UserError::new(format!(
                        "{}: case `{}`: {}: {}",
                        path.display(),
                        run.case,
                        e.file,
                        e.message
                    ))
                    .help("`file` is relative to the fixture file")
                })?;
                if needs_document {
                    let doc = guardrail_inputs::load_document(&p)
                        .map_err(|e| UserError::new(format!("{}: {}", e.file, e.message)))?;
                    s.document = Some(Arc::from(doc));
                }
                loaded = s;
                &loaded
            }
        };
        let r = fixture::check(&policy, run, stack);
        results.push(TestResult {
            kind: "fixture",
            name: run.label(),
            policy: Some(policy.meta().id.clone()),
            location: path.display().to_string(),
            passed: r.failures.is_empty(),
            expected: Some(run.expect.clone()),
            actual: Some(r.observed),
            failures: r.failures,
            messages: r.messages,
        });
    }
    Ok(())
}

/// Runs `guardrail test`; returns the exit code.
pub fn run(args: TestArgs) -> Result<u8, UserError> {
    let mut results = Vec::new();
    for path in &args.paths {
        if path.is_file() {
            if !is_fixture(path) {
                return Err(UserError::new(format!(
                    "`{}` is not a fixture file",
                    path.display()
                ))
                .help("pass a pack directory, or a file ending in .fixtures.json, .fixtures.yaml or .fixtures.yml"));
            }
            run_fixture_file(path, &[], &mut results)?;
            continue;
        }
        if !path.is_dir() {
            return Err(
                UserError::new(format!("`{}` does not exist", path.display()))
                    .help("pass a pack directory, a directory of fixture files, or a fixture file"),
            );
        }
        let before = results.len();
        let packs = if has_rego(path) {
            pack::load(std::slice::from_ref(path), &args.rego)?
        } else {
            Vec::new()
        };
        for p in &packs {
            for t in guardrail_rego::testing::run(p).map_err(pack::user_error)? {
                results.push(TestResult {
                    kind: "rego",
                    name: t.name,
                    policy: None,
                    location: format!("{}:{}", t.file.display(), t.line),
                    passed: t.passed,
                    expected: None,
                    actual: None,
                    failures: t.failure.into_iter().collect(),
                    messages: Vec::new(),
                });
            }
        }
        let mut files = Vec::new();
        fixture_files(path, path, &mut files)?;
        if packs.is_empty() && files.is_empty() {
            return Err(UserError::new(format!(
                "`{}` has no Rego files and no fixture files",
                path.display()
            ))
            .help("create a pack with `guardrail pack new DIR`, or add *.fixtures.yaml files"));
        }
        for f in &files {
            run_fixture_file(f, &packs, &mut results)?;
        }
        if results.len() == before {
            // nothing was tested: an exit code of 0 would read as "the pack's tests pass"
            return Err(UserError::new(format!(
                "`{}` has policies but no tests: no `test_*` rules and no fixture files",
                path.display()
            ))
            .help(
                "add a `test_*` rule (in a `*_test.rego` file) or a `*.fixtures.yaml` file beside \
                 the policies; `guardrail pack new DIR` writes examples of both",
            ));
        }
    }
    let passed = results.iter().filter(|r| r.passed).count();
    let failed = results.len() - passed;
    let text = match args.format {
        TestFormat::Json => {
            let report = Report {
                version: 1,
                passed,
                failed,
                tests: &results,
            };
            let mut s = serde_json::to_string_pretty(&report)
                .map_err(|e| UserError::new(format!("cannot write the report: {e}")))?;
            s.push('\n');
            s
        }
        TestFormat::Human => human(&results, args.quiet, passed, failed),
    };
    crate::emit(None, &text)?;
    Ok(u8::from(failed > 0))
}

fn human(results: &[TestResult], quiet: bool, passed: usize, failed: usize) -> String {
    let mut out = String::new();
    for r in results {
        if quiet && r.passed {
            continue;
        }
        let what = match &r.policy {
            Some(p) => format!("{p} {}", r.name),
            None => r.name.clone(),
        };
        out.push_str(&format!(
            "{} {what}  [{}]\n",
            if r.passed { "pass" } else { "FAIL" },
            r.location
        ));
        if !r.passed {
            if let (Some(e), Some(a)) = (&r.expected, &r.actual) {
                out.push_str(&format!("       expected: {e}\n       actual:   {a}\n"));
            }
            for f in &r.failures {
                if !f.starts_with("expected ") {
                    out.push_str(&format!("       {f}\n"));
                }
            }
            for m in &r.messages {
                out.push_str(&format!("       message:  {m}\n"));
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    out
}
