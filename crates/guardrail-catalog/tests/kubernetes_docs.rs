//! The examples in the Kubernetes rules' docs are tests: the manifest of each rule's
//! non-compliant example, loaded as a manifest, violates the rule, and the compliant one does
//! not (with the configuration of the rule's first fixture that has one).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use guardrail_core::{fixture, Enforcement, OutcomeKind};

/// The indented YAML block that follows the `Manifest` line of a doc section.
fn manifest(section: &str) -> String {
    let mut lines = section.lines().skip_while(|l| !l.starts_with("Manifest"));
    lines.next();
    lines
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.starts_with("    ") || l.trim().is_empty())
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn doc_examples_of_kubernetes_rules_behave_as_documented() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for spec in guardrail_catalog::rules()
        .iter()
        .filter(|s| s.vendor == "kubernetes")
    {
        let config = common::load(spec)
            .into_iter()
            .map(|r| r.config)
            .find(|c| !c.is_empty())
            .unwrap_or_default();
        for (which, section, want_violation) in [
            ("noncompliant", spec.docs.noncompliant, true),
            ("compliant", spec.docs.compliant, false),
        ] {
            let text = manifest(section);
            let stack = match guardrail_inputs::load_bytes("doc.yaml", text.as_bytes(), None) {
                Ok(stack) => stack,
                Err(e) => {
                    problems.push(format!(
                        "{}: the {which} example does not load: {e}",
                        spec.id
                    ));
                    continue;
                }
            };
            let eval = fixture::evaluate_at(
                Arc::new(spec.policy()),
                &stack,
                &config,
                Enforcement::Mandatory,
            );
            let violated = eval
                .outcomes
                .iter()
                .any(|o| o.kind == OutcomeKind::Violation);
            let ran = eval
                .outcomes
                .iter()
                .any(|o| matches!(o.kind, OutcomeKind::Pass | OutcomeKind::Violation));
            if violated != want_violation || !ran {
                problems.push(format!(
                    "{}: the {which} example gives {:?}",
                    spec.id,
                    eval.outcomes.iter().map(|o| o.kind).collect::<Vec<_>>()
                ));
            }
            checked += 1;
        }
    }
    assert!(checked >= 140, "only {checked} examples checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
