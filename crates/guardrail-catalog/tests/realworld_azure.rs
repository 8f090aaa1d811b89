//! The whole catalog over the real Azure inputs in `tests/realworld/azure` (see its
//! `SOURCES.md`): zero error outcomes, and the findings those configurations really have.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use guardrail_core::{evaluate, Enforcement, EvaluationOptions, OutcomeKind, PolicySettings};

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realworld/azure")
}

/// The ids of the rules with a violation on one file, after checking it gives no error.
fn violations(file: &str) -> BTreeSet<String> {
    let path = dir().join(file);
    let stack = guardrail_inputs::load_file(&path, None)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let packs = [guardrail_catalog::builtin_pack()];
    let remediate = EvaluationOptions {
        settings: PolicySettings {
            all: Some(Enforcement::Remediate),
            ..PolicySettings::default()
        },
        ..EvaluationOptions::default()
    };
    for options in [EvaluationOptions::default(), remediate] {
        let eval = evaluate(&packs, &stack, &options);
        let errors: Vec<String> = eval
            .outcomes
            .iter()
            .filter(|o| o.kind == OutcomeKind::Error)
            .map(|o| {
                format!(
                    "{}: {}",
                    eval.policies[o.policy].meta.id,
                    o.message.as_deref().unwrap_or_default()
                )
            })
            .collect();
        assert!(errors.is_empty(), "{file}: error outcomes: {errors:?}");
    }
    let eval = evaluate(&packs, &stack, &EvaluationOptions::default());
    eval.outcomes
        .iter()
        .filter(|o| o.kind == OutcomeKind::Violation)
        .map(|o| eval.policies[o.policy].meta.id.clone())
        .collect()
}

#[test]
fn every_real_azure_input_runs_without_errors() {
    let mut files: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 4, "{files:?}");
    for file in &files {
        violations(file);
    }
}

#[test]
fn the_storage_example_denies_by_default_but_allows_anonymous_blobs() {
    let found = violations("azurerm-example-storage-account.plan.json");
    // the example sets `network_rules { default_action = "Deny" }`
    assert!(!found.contains("AZURE-STORAGE-004"), "{found:?}");
    // and leaves `allow_nested_items_to_be_public` at the provider default, true
    assert!(found.contains("AZURE-STORAGE-003"), "{found:?}");
    assert!(!found.contains("AZURE-STORAGE-001"), "{found:?}");
}

#[test]
fn the_aks_examples_have_rbac_but_a_public_api_server_in_both_spellings() {
    for file in [
        "azurerm-example-kubernetes-basic-cluster.plan.json",
        "pulumi-examples-azure-ts-aks.preview.json",
    ] {
        let found = violations(file);
        assert!(!found.contains("AZURE-AKS-001"), "{file}: {found:?}");
        assert!(found.contains("AZURE-AKS-008"), "{file}: {found:?}");
        assert!(found.contains("AZURE-AKS-004"), "{file}: {found:?}");
    }
}

#[test]
fn the_classic_app_service_example_leaves_blobs_anonymous() {
    let found = violations("pulumi-examples-azure-ts-appservice.preview.json");
    assert!(found.contains("AZURE-STORAGE-003"), "{found:?}");
}
