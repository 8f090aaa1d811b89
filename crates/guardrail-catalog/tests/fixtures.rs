//! Runs every rule's fixtures (`src/rules/**/<rule>.fixtures.json`) through the engine and
//! checks each case's outcome in each spelling, and for remediating rules the fixed props.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use guardrail_core::{fixture, Enforcement, OutcomeKind, Policy};

use common::{load, run_at, walk, Run};

fn check(spec: &'static guardrail_catalog::RuleSpec, run: &Run) -> Vec<String> {
    let label = run.label(spec);
    let policy: Arc<dyn Policy> = Arc::new(spec.policy());
    // The checks every policy's fixtures get (`guardrail test` runs the same).
    let result = fixture::check(&policy, &run.fixture, &run.stack);
    let mut failures: Vec<String> = result
        .failures
        .iter()
        .map(|f| format!("{label}: {f}; messages: {:?}", result.messages))
        .collect();
    if !failures.is_empty() {
        return failures;
    }
    // The catalog's own convention: a violation on a resource names it.
    let eval = run_at(spec, &run.stack, &run.config, Enforcement::Mandatory);
    for o in eval
        .outcomes
        .iter()
        .filter(|o| o.kind == OutcomeKind::Violation)
    {
        let resource = o.resource.and_then(|i| run.stack.resources.get(i));
        if let (Some(resource), Some(message)) = (resource, &o.message) {
            if !message.contains(&format!("`{}`", resource.name)) {
                failures.push(format!(
                    "{label}: the message does not name `{}`: {message}",
                    resource.name
                ));
            }
        }
    }
    failures
}

#[test]
fn every_rule_passes_its_fixtures() {
    let files = walk(&common::rules_dir(), ".fixtures.json");
    assert!(!files.is_empty(), "no fixture files found");
    let mut failures = Vec::new();
    let mut runs = 0;
    for file in &files {
        let spec = guardrail_catalog::rules()
            .iter()
            .copied()
            .find(|spec| common::fixtures_path(spec) == *file)
            .unwrap_or_else(|| panic!("{} belongs to no registered rule", file.display()));
        for run in load(spec) {
            runs += 1;
            failures.extend(check(spec, &run));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {runs} fixture runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
