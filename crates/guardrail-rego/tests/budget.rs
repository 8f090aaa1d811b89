#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The step budget: a policy is stopped after a fixed number of evaluation steps, so the same
//! policy on the same input has the same outcome on an idle and on a loaded machine.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use common::*;
use guardrail_core::OutcomeKind;
use guardrail_rego::LoadOptions;
use serde_json::json;

const POLICY: &str = "# METADATA\n# title: Counts\n# description: Loops a while.\n# custom:\n#   id: T-COUNT\n#   severity: low\n#   enforcement: mandatory\npackage t.count\n\ndeny contains msg if {\n\tn := count([x | some i in numbers.range(1, 300); some j in numbers.range(1, 300); x := i * j])\n\tn > 0\n\tmsg := sprintf(\"%d products\", [n])\n}\n";

/// The outcome of the policy on one resource under a budget of `steps`.
fn outcome(dir: &TempDir, steps: u32) -> (OutcomeKind, String) {
    let pack = load_with(
        dir.path(),
        &LoadOptions {
            max_steps: steps,
            ..LoadOptions::default()
        },
    );
    let stack = stack_of(json!({"type": "aws_instance", "name": "a", "props": {}}));
    let eval = run(&pack, &stack);
    let outcome = outcomes_of(&eval, "T-COUNT")[0];
    (outcome.kind, format!("{outcome:?}"))
}

#[test]
fn the_budget_stops_a_policy_at_the_same_step_under_any_load() {
    let dir = TempDir::new("budget");
    dir.write("guardrail-pack.yaml", "name: budget\n")
        .write("count.rego", POLICY);
    // The smallest budget the policy fits in, found by bisection.
    let (mut low, mut high) = (1u32, 1_000_000u32);
    assert_eq!(outcome(&dir, high).0, OutcomeKind::Violation);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if outcome(&dir, mid).0 == OutcomeKind::Violation {
            high = mid;
        } else {
            low = mid;
        }
    }
    let (kind, shown) = outcome(&dir, low);
    assert_eq!(kind, OutcomeKind::Error, "{shown}");
    assert!(
        shown.contains(&format!("more than its budget of {low} evaluation steps")),
        "{shown}"
    );
    assert!(shown.contains("--rego-max-steps"), "{shown}");
    // A 300 × 300 loop needs about 90,000 steps: the count follows the work, not the clock.
    assert!((90_000..1_000_000).contains(&high), "{high}");
    // Load the machine with busy threads: the same budgets give the same outcomes.
    let busy = Arc::new(AtomicBool::new(true));
    let spinners: Vec<_> = (0..2)
        .map(|_| {
            let busy = Arc::clone(&busy);
            std::thread::spawn(move || {
                let mut x = 0u64;
                while busy.load(Ordering::Relaxed) {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
                }
                x
            })
        })
        .collect();
    for _ in 0..3 {
        assert_eq!(outcome(&dir, low).0, OutcomeKind::Error);
        assert_eq!(outcome(&dir, high).0, OutcomeKind::Violation);
    }
    busy.store(false, Ordering::Relaxed);
    for s in spinners {
        s.join().unwrap();
    }
}

#[test]
fn the_default_budget_is_far_above_real_policies() {
    // The example pack on both example plans: every policy fits in 1/1000 of the default.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let pack = load_with(
        &root.join("examples/packs/platform-guardrails"),
        &LoadOptions {
            max_steps: guardrail_rego::DEFAULT_MAX_STEPS / 1000,
            ..LoadOptions::default()
        },
    );
    for plan in ["pulumi-preview.json", "terraform-plan.json"] {
        let stack =
            guardrail_inputs::load_file(&root.join("examples/plans").join(plan), None).unwrap();
        let eval = run(&pack, &stack);
        let errors: Vec<_> = eval
            .outcomes
            .iter()
            .filter(|o| o.kind == OutcomeKind::Error)
            .collect();
        assert!(errors.is_empty(), "{plan}: {errors:?}");
    }
}
