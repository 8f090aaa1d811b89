//! The generator is deterministic, and its expected counts are what guardrail's engine finds on
//! both spellings (the same path `guardrail check --select all` takes, in process and small).

use std::collections::{BTreeMap, BTreeSet};

use guardrail_bench::{Plan, COUNTED_RULES};
use guardrail_core::{evaluate, EvaluationOptions, OutcomeKind};

fn terraform(plan: &Plan) -> Vec<u8> {
    let mut out = Vec::new();
    plan.write_terraform(&mut out).unwrap_or_default();
    out
}

fn pulumi(plan: &Plan) -> Vec<u8> {
    let mut out = Vec::new();
    plan.write_pulumi(&mut out).unwrap_or_default();
    out
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = Plan::new(300, 7);
    let b = Plan::new(300, 7);
    let c = Plan::new(300, 8);
    assert_eq!(terraform(&a), terraform(&b));
    assert_eq!(pulumi(&a), pulumi(&b));
    assert_eq!(a.expected(), b.expected());
    assert_ne!(terraform(&a), terraform(&c));
}

#[test]
fn exactly_n_resources_and_valid_json() {
    for n in [1, 2, 3, 17, 250] {
        let plan = Plan::new(n, 3);
        assert_eq!(plan.resources(), n);
        let tf: serde_json::Value = serde_json::from_slice(&terraform(&plan)).unwrap_or_default();
        let changes = tf["resource_changes"].as_array().map_or(0, Vec::len);
        let planned = tf["planned_values"]["root_module"]["resources"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!((changes, planned), (n, n));
        let pu: serde_json::Value = serde_json::from_slice(&pulumi(&plan)).unwrap_or_default();
        // the stack and the provider come first
        assert_eq!(
            pu["deployment"]["resources"].as_array().map_or(0, Vec::len),
            n + 2
        );
    }
}

fn found(bytes: &[u8], name: &str) -> BTreeMap<String, u64> {
    let stack = guardrail_inputs::load_bytes(name, bytes, None);
    assert!(stack.is_ok(), "{name} does not load: {:?}", stack.err());
    let Ok(stack) = stack else {
        return BTreeMap::new();
    };
    let mut pack = guardrail_catalog::builtin_pack();
    pack.policies = guardrail_catalog::all();
    let evaluation = evaluate(&[pack], &stack, &EvaluationOptions::default());
    let mut seen: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for o in &evaluation.outcomes {
        if o.kind == OutcomeKind::Violation {
            if let (Some(p), Some(r)) = (evaluation.policies.get(o.policy), o.resource) {
                seen.entry(p.meta.id.clone()).or_default().insert(r);
            }
        }
    }
    for r in &evaluation.remediations {
        for p in &r.policies {
            if let Some(p) = evaluation.policies.get(*p) {
                seen.entry(p.meta.id.clone())
                    .or_default()
                    .insert(r.resource);
            }
        }
    }
    COUNTED_RULES
        .iter()
        .map(|(id, _)| (id.to_string(), seen.get(*id).map_or(0, |s| s.len() as u64)))
        .collect()
}

#[test]
fn expected_counts_are_what_the_engine_finds_on_both_spellings() {
    let plan = Plan::new(400, 11);
    let expected = plan.expected();
    assert!(
        expected.values().all(|c| *c > 0),
        "every counted rule should be violated at least once: {expected:?}"
    );
    assert_eq!(found(&terraform(&plan), "plan.json"), expected);
    assert_eq!(found(&pulumi(&plan), "stack.json"), expected);
}

#[test]
fn the_manifest_set_gives_the_expected_counts() {
    use guardrail_bench::kubernetes::{ManifestSet, COUNTED_K8S_RULES};
    let set = ManifestSet::new(2_000, 7);
    assert_eq!(set.objects(), 2_000);
    let mut text = Vec::new();
    set.write_yaml(&mut text).unwrap();
    let stack = guardrail_inputs::load_bytes("manifests.yaml", &text, None).unwrap();
    assert_eq!(stack.format, "kubernetes-manifests");
    assert_eq!(stack.resources.len(), 2_000);
    let pack = guardrail_catalog::builtin_pack();
    let evaluation = guardrail_core::evaluate(
        &[pack],
        &stack,
        &guardrail_core::EvaluationOptions::default(),
    );
    let expected = set.expected();
    for (id, _, _) in COUNTED_K8S_RULES {
        let got = evaluation
            .outcomes
            .iter()
            .filter(|o| {
                o.kind == guardrail_core::OutcomeKind::Violation
                    && evaluation.policies[o.policy].meta.id == *id
            })
            .count();
        assert_eq!(got, expected[id], "{id}");
        assert!(got > 0, "{id} has no violations to count");
    }
    assert!(evaluation
        .outcomes
        .iter()
        .all(|o| o.kind != guardrail_core::OutcomeKind::Error));
}
