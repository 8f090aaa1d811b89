//! The whole catalog over the Google Cloud inputs gathered from public repositories
//! (`tests/realworld/gcp`, sources in its SOURCES.md): every file loads, no rule errors (as
//! declared, and with every fix applied), the findings the configurations call for are there,
//! and the secret in the Pulumi export never reaches a message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use guardrail_core::{evaluate, Enforcement, EvaluationOptions, OutcomeKind, PolicySettings};

fn inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realworld/gcp");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_catalog_runs_over_real_google_cloud_inputs_without_errors() {
    let files = inputs();
    assert!(files.len() >= 4, "inputs missing: {files:?}");
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    assert!(total < 2 * 1024 * 1024, "realworld/gcp holds {total} bytes");
    let packs = [guardrail_catalog::builtin_pack()];
    let remediate = EvaluationOptions {
        settings: PolicySettings {
            all: Some(Enforcement::Remediate),
            ..PolicySettings::default()
        },
        ..EvaluationOptions::default()
    };
    let mut errors = Vec::new();
    // (file stem, rule, resource name) of every violation
    let mut found = BTreeSet::new();
    let mut messages = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let stack = guardrail_inputs::load_file(path, None)
            .unwrap_or_else(|e| panic!("{name} does not load: {e}"));
        for options in [EvaluationOptions::default(), remediate.clone()] {
            let evaluation = evaluate(&packs, &stack, &options);
            for outcome in &evaluation.outcomes {
                let id = &evaluation.policies[outcome.policy].meta.id;
                let resource = outcome
                    .resource
                    .and_then(|i| stack.resources.get(i))
                    .map_or("(stack)", |r| r.name.as_str());
                if outcome.kind == OutcomeKind::Error {
                    errors.push(format!(
                        "{name}: {id} on `{resource}`: {}",
                        outcome.message.as_deref().unwrap_or("")
                    ));
                }
                if outcome.kind == OutcomeKind::Violation {
                    found.insert((name.clone(), id.clone(), resource.to_string()));
                    messages.extend(outcome.message.clone());
                }
            }
        }
    }
    assert!(errors.is_empty(), "error outcomes:\n{}", errors.join("\n"));
    let expected = [
        (
            "docs-samples-cloudsql-postgres-public-ip.plan.json",
            "GCP-SQL-002",
            "postgres_public_ip_instance_name",
        ),
        (
            "docs-samples-cloudsql-postgres-public-ip.plan.json",
            "GCP-SQL-004",
            "postgres_public_ip_instance_name",
        ),
        (
            "docs-samples-compute-basic-vm.plan.json",
            "GCP-COMPUTE-008",
            "default",
        ),
        (
            "docs-samples-compute-basic-vm.plan.json",
            "GCP-COMPUTE-006",
            "custom",
        ),
        (
            "docs-samples-gke-regional-node-pool.plan.json",
            "GCP-GKE-001",
            "default",
        ),
        (
            "pulumi-examples-gcp-ts-gke.stack.json",
            "GCP-GKE-024",
            "gke-cluster",
        ),
        (
            "pulumi-examples-gcp-ts-gke.stack.json",
            "GCP-GKE-020",
            "primary-node-pool",
        ),
    ];
    for (file, id, resource) in expected {
        assert!(
            found.contains(&(file.to_string(), id.to_string(), resource.to_string())),
            "{file}: expected {id} on `{resource}`; found {found:?}"
        );
    }
    // The instance on a custom subnet has no external address; the custom network is not
    // auto mode.
    for (file, id, resource) in [
        (
            "docs-samples-compute-basic-vm.plan.json",
            "GCP-COMPUTE-008",
            "custom_subnet",
        ),
        (
            "docs-samples-compute-basic-vm.plan.json",
            "GCP-COMPUTE-005",
            "custom",
        ),
    ] {
        assert!(
            !found.contains(&(file.to_string(), id.to_string(), resource.to_string())),
            "{file}: {id} should not flag `{resource}`"
        );
    }
    for message in &messages {
        assert!(
            !message.contains("correct-horse"),
            "a secret reached a message: {message}"
        );
    }
}
