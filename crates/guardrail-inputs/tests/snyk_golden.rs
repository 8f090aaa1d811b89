//! Resources found by another engine (Snyk's policy engine golden files) in the same plans and
//! states: the set of (id, type) of every loaded resource that is not deleted equals the set of
//! the expected file (`resources.<type>.<id>` with `resource_type`; data sources are typed
//! `data.<type>` there). Also: operations of OpenTofu's own `show -json` test outputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use guardrail_core::{Mode, Operation};
use guardrail_inputs::load_file;

#[path = "../../../tests/support/corpus.rs"]
mod corpus;

fn expected(path: &Path) -> BTreeSet<(String, String)> {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = BTreeSet::new();
    for (type_key, by_id) in json["resources"].as_object().unwrap() {
        for (id, r) in by_id.as_object().unwrap() {
            let t = r["resource_type"].as_str().unwrap_or(type_key);
            out.insert((id.clone(), t.to_string()));
        }
    }
    out
}

fn loaded(path: &Path) -> BTreeSet<(String, String)> {
    let stack = load_file(path, None).unwrap_or_else(|e| panic!("{e}"));
    stack
        .resources
        .iter()
        .filter(|r| r.operation != Operation::Delete)
        .map(|r| {
            let t = if r.mode == Mode::Data {
                format!("data.{}", r.type_)
            } else {
                r.type_.clone()
            };
            (r.id.clone(), t)
        })
        .collect()
}

fn compare(root: &Path, dir: &str, inputs: &[&str]) -> usize {
    let dir = root.join(dir);
    let mut cases = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for expected_file in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let case = dir.join(expected_file.file_stem().unwrap());
        let Some(input) = inputs.iter().map(|i| case.join(i)).find(|p| p.exists()) else {
            panic!("no input beside {}", expected_file.display());
        };
        let want = expected(expected_file);
        let got = loaded(&input);
        assert_eq!(
            got,
            want,
            "{}: loaded (left) differs from the golden file (right)\n  reproduce: cargo test -p guardrail-inputs --test snyk_golden",
            input.display()
        );
        cases += 1;
    }
    cases
}

#[test]
fn plans_match_the_golden_resources() {
    let Some(root) = corpus::corpus("plans_match_the_golden_resources") else {
        return;
    };
    let cases = compare(
        &root,
        "terraform-plan/snyk-policy-engine-golden/tfplan",
        &["plan.json"],
    );
    assert_eq!(cases, 18);
}

#[test]
fn states_match_the_golden_resources() {
    let Some(root) = corpus::corpus("states_match_the_golden_resources") else {
        return;
    };
    let cases = compare(
        &root,
        "terraform-state/snyk-policy-engine-golden/tfstate",
        &["state.json", "plan.json"],
    );
    assert_eq!(cases, 3);
}

/// Operations of OpenTofu's own outputs, read from `resource_changes` independently.
#[test]
fn opentofu_operations_match_the_plan() {
    let Some(root) = corpus::corpus("opentofu_operations_match_the_plan") else {
        return;
    };
    let base = root.join("terraform-plan/opentofu-show-json/show-json");
    let cases = [
        (
            "drift",
            vec![
                ("test_instance.no_refresh", Operation::Update),
                ("test_instance.should_refresh", Operation::Update),
            ],
        ),
        (
            "requires-replace",
            vec![("test_instance.test", Operation::Replace)],
        ),
        ("moved", vec![("test_instance.baz", Operation::Update)]),
        (
            "moved-drift",
            vec![
                ("test_instance.no_refresh", Operation::Update),
                ("test_instance.should_refresh_with_move", Operation::Update),
            ],
        ),
        (
            "basic-delete",
            vec![
                ("test_instance.test", Operation::Update),
                ("test_instance.test-delete", Operation::Delete),
            ],
        ),
        (
            "basic-create",
            vec![
                ("test_instance.test[0]", Operation::Create),
                ("test_instance.test[1]", Operation::Create),
                ("test_instance.test[2]", Operation::Create),
            ],
        ),
    ];
    for (case, want) in cases {
        let path = base.join(case).join("output.json");
        let stack = load_file(&path, None).unwrap();
        let got: Vec<(&str, Operation)> = stack
            .resources
            .iter()
            .map(|r| (r.id.as_str(), r.operation))
            .collect();
        assert_eq!(got, want, "{}", path.display());
        // the file's own actions say the same
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for rc in json["resource_changes"].as_array().unwrap() {
            let actions: Vec<&str> = rc["change"]["actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect();
            let op = match actions.as_slice() {
                ["create"] => Operation::Create,
                ["update"] => Operation::Update,
                ["delete"] => Operation::Delete,
                ["delete", "create"] | ["create", "delete"] => Operation::Replace,
                ["no-op"] => Operation::Same,
                other => panic!("{other:?}"),
            };
            let r = stack
                .resources
                .iter()
                .find(|r| r.id == rc["address"].as_str().unwrap())
                .unwrap();
            assert_eq!(r.operation, op, "{}", r.id);
        }
    }
    // the deleted resource's properties are its last known ones
    let stack = load_file(&base.join("basic-delete/output.json"), None).unwrap();
    let deleted = stack
        .resources
        .iter()
        .find(|r| r.operation == Operation::Delete)
        .unwrap();
    assert!(deleted.props.get("ami").is_some());
    // sensitive values stay readable to policies but are secrets
    let stack = load_file(&base.join("sensitive-values/output.json"), None).unwrap();
    assert!(stack.resources[0].props.get("ami").unwrap().is_secret());
}
