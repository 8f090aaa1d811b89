//! A front door that serves requests on an asynchronous runtime (the Pulumi plugin, a service)
//! can run a CrossGuard pack from inside it: the client's own runtime is never blocked on from
//! within another.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use guardrail_core::{evaluate, EvaluationOptions, OutcomeKind, Resource, Spelling, Stack, Value};

fn python() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    [
        std::env::var_os("GUARDRAIL_CROSSGUARD_PYTHON").map(PathBuf::from),
        Some(root.join(".ci/venv/bin/python")),
    ]
    .into_iter()
    .flatten()
    .find(|p| {
        std::process::Command::new(p)
            .args(["-c", "import pulumi_policy"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn a_pack_runs_from_inside_an_async_runtime() {
    let Some(python) = python() else {
        if std::env::var_os("CI").is_some() {
            panic!("pulumi-policy is not installed, and CI is set: run .ci/run");
        }
        println!("skipped (no pulumi-policy): a_pack_runs_from_inside_an_async_runtime");
        return;
    };
    let pack_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/crossguard/python");
    std::env::set_var("PULUMI_PYTHON_CMD", &python);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let evaluation = runtime.block_on(async {
        let pack =
            guardrail_crossguard::load(&pack_dir, &guardrail_crossguard::LoadOptions::default())
                .unwrap();
        let props: Value = serde_json::from_value(serde_json::json!({"port": 22})).unwrap();
        let mut tg = Resource::new(
            "urn:pulumi:prod::shop::aws:lb/targetGroup:TargetGroup::ssh",
            "aws:lb/targetGroup:TargetGroup",
            Spelling::Pulumi,
            props,
        );
        tg.name = "ssh".into();
        let stack = Stack {
            format: "pulumi-preview".into(),
            resources: vec![tg],
            ..Stack::default()
        };
        let options = EvaluationOptions::default();
        pack.configure(&options.settings, &options.group_overrides)
            .unwrap();
        pack.prepare(&stack).unwrap();
        evaluate(&[pack.pack()], &stack, &options)
    });
    let violations: Vec<&str> = evaluation
        .outcomes
        .iter()
        .filter(|o| o.kind == OutcomeKind::Violation)
        .filter_map(|o| o.message.as_deref())
        .collect();
    assert!(
        violations.contains(&"target group `ssh` listens on port 22, an administrative port"),
        "{:?}",
        evaluation.outcomes
    );
}
