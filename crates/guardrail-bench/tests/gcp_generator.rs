//! The Google Cloud generator is deterministic, and its expected counts are what the engine finds
//! on its Terraform plan.

use std::collections::{BTreeMap, BTreeSet};

use guardrail_bench::gcp::{GcpPlan, GCP_COUNTED_RULES};
use guardrail_core::{evaluate, EvaluationOptions, OutcomeKind};

fn terraform(plan: &GcpPlan) -> Vec<u8> {
    let mut out = Vec::new();
    plan.write_terraform(&mut out).unwrap_or_default();
    out
}

#[test]
fn same_seed_same_bytes_and_exactly_n_resources() {
    assert_eq!(
        terraform(&GcpPlan::new(200, 5)),
        terraform(&GcpPlan::new(200, 5))
    );
    assert_ne!(
        terraform(&GcpPlan::new(200, 5)),
        terraform(&GcpPlan::new(200, 6))
    );
    for n in [1, 7, 150] {
        let plan = GcpPlan::new(n, 2);
        let tf: serde_json::Value = serde_json::from_slice(&terraform(&plan)).unwrap_or_default();
        assert_eq!(tf["resource_changes"].as_array().map_or(0, Vec::len), n);
    }
}

#[test]
fn expected_counts_are_what_the_engine_finds() {
    let plan = GcpPlan::new(600, 13);
    let expected = plan.expected();
    assert!(
        expected.values().all(|c| *c > 0),
        "every counted rule should be violated at least once: {expected:?}"
    );
    let stack = guardrail_inputs::load_bytes("gcp-plan.json", &terraform(&plan), None);
    assert!(stack.is_ok(), "the plan does not load: {:?}", stack.err());
    let Ok(stack) = stack else {
        return;
    };
    let evaluation = evaluate(
        &[guardrail_catalog::builtin_pack()],
        &stack,
        &EvaluationOptions::default(),
    );
    let mut seen: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut errors = 0;
    for o in &evaluation.outcomes {
        errors += usize::from(o.kind == OutcomeKind::Error);
        if o.kind == OutcomeKind::Violation {
            if let (Some(p), Some(r)) = (evaluation.policies.get(o.policy), o.resource) {
                seen.entry(p.meta.id.clone()).or_default().insert(r);
            }
        }
    }
    assert_eq!(errors, 0);
    let found: BTreeMap<String, u64> = GCP_COUNTED_RULES
        .iter()
        .map(|(id, _)| (id.to_string(), seen.get(*id).map_or(0, |s| s.len() as u64)))
        .collect();
    assert_eq!(found, expected);
}
