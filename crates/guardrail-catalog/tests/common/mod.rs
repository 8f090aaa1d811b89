//! Fixture loading shared by the fixture test and the catalog lint, on the fixture runner of
//! `guardrail_core::fixture` (the one `guardrail test` uses).
//!
//! A fixture file sits beside its rule as `<rule>.fixtures.json`:
//!
//! ```json
//! {
//!   "rule": "AWS-ELB-001",
//!   "cases": [{
//!     "name": "ssh target group",
//!     "config": {"ports": [22]},
//!     "expect": "violation",
//!     "message": "port 22 (ssh)",
//!     "count": 1,
//!     "pulumi": {"type": "aws:lb/targetGroup:TargetGroup", "name": "web", "props": {"port": 22}},
//!     "terraform": {"type": "aws_lb_target_group", "name": "web", "props": {"port": 22}},
//!     "fixed": {"pulumi": {...}, "terraform": {...}}
//!   }]
//! }
//! ```
//!
//! `expect` is `pass`, `violation`, `indeterminate`, `not_applicable` or `error`. A spelling is a
//! resource, or for stack rules `{"resources": [...]}`; it may override `config` (merged over the
//! case's), `expect`, `message`, `path` (a property path one violation names), `count` and `at`. Resources take `type`, `name`, `props`, and
//! optionally `mode` (`managed`, `component`, `data`, `provider`), `operation`, `dependencies`
//! (names of other resources of the case) and `propertyDependencies` (`{"bucket": ["name"]}`).
//! In props, the string `"<unknown>"` is a value known only after apply and `{"<secret>": v}` is
//! a secret. `at` lists the names of the resources a stack rule's findings are attributed to.
//! `fixed` gives, per spelling, the props the rule's fix must produce; a spelling without one
//! must not be changed by the fix.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use guardrail_catalog::RuleSpec;
use guardrail_core::fixture::{self, FixtureInput, FixtureRun};
use guardrail_core::{Enforcement, Evaluation, Stack, Value};
use serde_json::Value as Json;

/// The crate's `src/rules` directory.
pub fn rules_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join("rules")
}

/// Every file under `dir` whose name ends with `suffix`, sorted.
pub fn walk(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(suffix) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The path of a rule's source file, from its `file!()`.
pub fn source_path(spec: &RuleSpec) -> PathBuf {
    let source = spec.source.replace('\\', "/");
    let relative = source
        .split_once("src/rules/")
        .map(|(_, rest)| rest)
        .unwrap_or_else(|| panic!("{}: source `{}` is not under src/rules", spec.id, source));
    rules_dir().join(relative)
}

/// Where a rule's fixtures live.
pub fn fixtures_path(spec: &RuleSpec) -> PathBuf {
    source_path(spec).with_extension("fixtures.json")
}

/// One spelling of one case, ready to run.
pub struct Run {
    /// `pulumi` or `terraform`.
    pub spelling: String,
    /// The stack to evaluate.
    pub stack: Stack,
    /// Config over the schema defaults.
    pub config: serde_json::Map<String, Json>,
    /// Expected outcome kind.
    pub expect: String,
    /// Props the fix must produce for the first resource.
    pub fixed: Option<Value>,
    /// The run as the fixture runner reads it.
    pub fixture: FixtureRun,
}

impl Run {
    /// `RULE case `name` (spelling)`, for failure messages.
    pub fn label(&self, spec: &RuleSpec) -> String {
        format!(
            "{} case `{}` ({})",
            spec.id, self.fixture.case, self.spelling
        )
    }
}

/// Loads a rule's fixture runs.
pub fn load(spec: &RuleSpec) -> Vec<Run> {
    let path = fixtures_path(spec);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot read {}: {e}", spec.id, path.display()));
    let json: Json = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: {} is not JSON: {e}", spec.id, path.display()));
    let file =
        fixture::parse(&json).unwrap_or_else(|e| panic!("{}: {}: {e}", spec.id, path.display()));
    assert_eq!(
        file.policy,
        spec.id,
        "{}: `rule` must name the rule",
        path.display()
    );
    file.runs
        .into_iter()
        .map(|run| {
            let FixtureInput::Stack(stack) = run.input.clone() else {
                panic!("{}: catalog fixtures build their inputs", path.display())
            };
            Run {
                spelling: run.key.clone(),
                stack,
                config: run.config.clone(),
                expect: run.expect.clone(),
                fixed: run.fixed.clone(),
                fixture: run,
            }
        })
        .collect()
}

/// Evaluates a stack with one rule at a forced level and the run's config.
pub fn run_at(
    spec: &'static RuleSpec,
    stack: &Stack,
    config: &serde_json::Map<String, Json>,
    level: Enforcement,
) -> Evaluation {
    fixture::evaluate_at(Arc::new(spec.policy()), stack, config, level)
}

/// The outcome kind a run produced (see `guardrail_core::fixture::observed`).
pub fn observed(spec: &RuleSpec, eval: &Evaluation) -> String {
    fixture::observed(spec.kind(), Some(0), eval)
}
