//! The whole catalog over the real Kubernetes inputs of `tests/realworld/kubernetes` (see its
//! `SOURCES.md`): each manifest file, the `examples/` directory as one input, the Terraform plan
//! (`*.plan.json`) and the Pulumi preview (`*.preview.json`) load and give no error outcome, as declared and with every fix applied.
//!
//! `cargo test -p guardrail-catalog --test realworld_kubernetes -- --nocapture` prints the
//! findings by rule.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use guardrail_core::{
    evaluate, Enforcement, EvaluationOptions, OutcomeKind, PolicySettings, Stack,
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/realworld/kubernetes")
}

/// Every input: the files at the top, and each directory as one input.
fn inputs() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e != "md"))
        .collect();
    out.sort();
    out
}

fn load(path: &Path) -> Stack {
    let stack = guardrail_inputs::load_file(path, None)
        .unwrap_or_else(|e| panic!("{} does not load: {e}", path.display()));
    let name = path.to_string_lossy();
    let format = if name.ends_with(".plan.json") {
        "terraform-plan"
    } else if name.ends_with(".preview.json") {
        "pulumi-preview"
    } else {
        "kubernetes-manifests"
    };
    assert_eq!(stack.format, format, "{}", path.display());
    assert!(!stack.resources.is_empty(), "{}", path.display());
    stack
}

#[test]
fn the_catalog_runs_over_real_manifests_without_errors() {
    let packs = [guardrail_catalog::builtin_pack()];
    let remediate = EvaluationOptions {
        settings: PolicySettings {
            all: Some(Enforcement::Remediate),
            ..PolicySettings::default()
        },
        ..EvaluationOptions::default()
    };
    let mut errors = Vec::new();
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let (mut files, mut resources) = (0, 0);
    for path in inputs() {
        let stack = load(&path);
        files += 1;
        resources += stack.resources.len();
        for options in [&EvaluationOptions::default(), &remediate] {
            let evaluation = evaluate(&packs, &stack, options);
            for o in &evaluation.outcomes {
                let id = &evaluation.policies[o.policy].meta.id;
                match o.kind {
                    OutcomeKind::Error => errors.push(format!(
                        "{}: {id}: {}\n    reproduce: cargo run -p guardrail -- check {} --select {id}",
                        path.display(),
                        o.message.as_deref().unwrap_or_default(),
                        path.display()
                    )),
                    OutcomeKind::Violation if std::ptr::eq(options, &remediate) => {}
                    OutcomeKind::Violation => *by_rule.entry(id.clone()).or_default() += 1,
                    _ => {}
                }
            }
        }
    }
    println!("{files} inputs, {resources} objects; violations by rule:");
    for (id, n) in &by_rule {
        println!(
            "  {id:<20} {n:>4}  {}",
            guardrail_catalog::find(id).map_or("", |s| s.title)
        );
    }
    assert!(
        errors.is_empty(),
        "{} error outcomes:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(
        files >= 5 && resources >= 100,
        "{files} inputs, {resources} objects"
    );
    // what the files really hold is found
    for id in [
        "K8S-POD-001",
        "K8S-POD-003",
        "K8S-POD-007",
        "K8S-SERVICE-001",
        "K8S-RBAC-003",
    ] {
        assert!(
            by_rule.contains_key(id),
            "{id} finds nothing in the real manifests"
        );
    }
}

#[test]
fn findings_point_at_the_file_and_line_of_the_object() {
    let dir = root().join("examples");
    let stack = load(&dir);
    let packs = [guardrail_catalog::builtin_pack()];
    let evaluation = evaluate(&packs, &stack, &EvaluationOptions::default());
    let privileged = evaluation
        .outcomes
        .iter()
        .find(|o| {
            o.kind == OutcomeKind::Violation
                && evaluation.policies[o.policy].meta.id == "K8S-POD-001"
                && o.resource
                    .and_then(|i| stack.resources.get(i))
                    .is_some_and(|r| r.name == "sysdig-agent")
        })
        .expect("the sysdig agent runs privileged");
    let resource = &stack.resources[privileged.resource.unwrap()];
    let location = resource.source_location.as_deref().unwrap();
    assert!(
        location
            .file
            .ends_with("sysdig-cloud_sysdig-daemonset.yaml"),
        "{}",
        location.file
    );
    let line = location.line_of(privileged.path.as_deref());
    let text = std::fs::read_to_string(dir.join("sysdig-cloud_sysdig-daemonset.yaml")).unwrap();
    let written = text.lines().nth(line - 1).unwrap();
    assert!(
        written.contains("privileged: true"),
        "line {line}: {written}"
    );
}

#[test]
fn the_terraform_plan_reads_unset_arguments_as_provider_defaults() {
    let stack = load(&root().join("terraform-provider-examples.plan.json"));
    let packs = [guardrail_catalog::builtin_pack()];
    let evaluation = evaluate(&packs, &stack, &EvaluationOptions::default());
    // `image_pull_policy` and `service_account_name` are computed, shown as unknown in the plan,
    // and unset in the configuration: the Kubernetes defaults apply, nothing is indeterminate
    let undecided: Vec<&str> = evaluation
        .outcomes
        .iter()
        .filter(|o| o.kind == OutcomeKind::Indeterminate)
        .map(|o| evaluation.policies[o.policy].meta.id.as_str())
        .collect();
    assert!(undecided.is_empty(), "{undecided:?}");
    let found = |id: &str, resource: &str| {
        evaluation.outcomes.iter().any(|o| {
            o.kind == OutcomeKind::Violation
                && evaluation.policies[o.policy].meta.id == id
                && o.resource
                    .and_then(|i| stack.resources.get(i))
                    .is_some_and(|r| r.id == resource)
        })
    };
    assert!(found("K8S-SA-001", "kubernetes_job.test"));
    assert!(found(
        "K8S-IMAGE-003",
        "kubernetes_replication_controller.example"
    ));
    assert!(found("K8S-SERVICE-001", "kubernetes_service.example"));
    assert!(found("K8S-POD-002", "kubernetes_job.test"));
}
