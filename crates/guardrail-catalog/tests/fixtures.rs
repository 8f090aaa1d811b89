//! Runs every rule's fixtures (`src/rules/**/<rule>.fixtures.json`) through the engine and
//! checks each case's outcome in each spelling, and for remediating rules the fixed props.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use guardrail_core::{Enforcement, OutcomeKind};

use common::{load, observed, run_at, walk, Run};

fn check(spec: &'static guardrail_catalog::RuleSpec, run: &Run) -> Vec<String> {
    let mut failures = Vec::new();
    let label = run.label(spec);
    let eval = run_at(spec, &run.stack, &run.config, Enforcement::Mandatory);
    let got = observed(spec, &eval);
    let messages: Vec<String> = eval
        .outcomes
        .iter()
        .filter_map(|o| o.message.clone())
        .collect();
    if got != run.expect {
        failures.push(format!(
            "{label}: expected {}, got {got}; messages: {messages:?}",
            run.expect
        ));
        return failures;
    }
    let reported: Vec<_> = eval
        .outcomes
        .iter()
        .filter(|o| matches!(o.kind, OutcomeKind::Violation | OutcomeKind::Error))
        .collect();
    if let Some(wanted) = &run.message {
        let pool: Vec<String> = if reported.is_empty() {
            messages.clone()
        } else {
            reported.iter().filter_map(|o| o.message.clone()).collect()
        };
        if !pool.iter().any(|m| m.contains(wanted.as_str())) {
            failures.push(format!(
                "{label}: no message contains `{wanted}`; messages: {pool:?}"
            ));
        }
    }
    if let Some(wanted) = &run.path {
        let paths: Vec<&str> = reported.iter().filter_map(|o| o.path.as_deref()).collect();
        if !paths.contains(&wanted.as_str()) {
            failures.push(format!(
                "{label}: no violation at `{wanted}`; paths: {paths:?}"
            ));
        }
    }
    // Messages say where: a violation on a resource names it.
    for o in reported.iter().filter(|o| o.kind == OutcomeKind::Violation) {
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
    if let Some(count) = run.count {
        let violations = reported
            .iter()
            .filter(|o| o.kind == OutcomeKind::Violation)
            .count();
        if violations != count {
            failures.push(format!(
                "{label}: expected {count} violations, got {violations}: {messages:?}"
            ));
        }
    }
    if let Some(at) = &run.at {
        let mut names: Vec<String> = reported
            .iter()
            .map(|o| {
                o.resource
                    .and_then(|i| run.stack.resources.get(i))
                    .map_or_else(|| "<stack>".to_string(), |r| r.name.clone())
            })
            .collect();
        names.sort();
        let mut wanted = at.clone();
        wanted.sort();
        if names != wanted {
            failures.push(format!(
                "{label}: findings attributed to {names:?}, expected {wanted:?}"
            ));
        }
    }
    // The fix: with the rule at `remediate`, exactly the expected props, or nothing.
    let fixed = run_at(spec, &run.stack, &run.config, Enforcement::Remediate);
    let changed = fixed.remediations.first().map(|r| &r.props);
    match (&run.fixed, changed) {
        (Some(want), Some(got)) if want == got => {}
        (Some(want), got) => failures.push(format!(
            "{label}: fix should give {}, gave {:?}",
            want.to_json_redacted(),
            got.map(|g| g.to_json_redacted())
        )),
        (None, Some(got)) => failures.push(format!(
            "{label}: the fix changed the resource to {} but the case names no `fixed` props",
            got.to_json_redacted()
        )),
        (None, None) => {}
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
