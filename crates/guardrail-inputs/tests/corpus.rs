//! Every file of the shared corpus (`/work/shared/corpus`, real inputs from public repositories)
//! either loads with the expected number of resources or is rejected with an error naming it,
//! as `tests/corpus-expectations.tsv` records.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use guardrail_core::{Operation, Value};
use guardrail_inputs::{load_file, InputFormat};

#[path = "../../../tests/support/corpus.rs"]
mod corpus;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_none_or(|e| e != "md") {
            out.push(p);
        }
    }
}

#[derive(Debug, PartialEq)]
enum Expect {
    Ok(usize),
    Reject,
}

fn expectations() -> BTreeMap<String, Expect> {
    let table = include_str!("corpus-expectations.tsv");
    let mut out = BTreeMap::new();
    for (n, line) in table.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (path, what) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("corpus-expectations.tsv:{}: no tab", n + 1));
        let what = what.split('\t').next().unwrap_or(what);
        let expect = match what.split_once(' ') {
            Some(("ok", count)) => Expect::Ok(count.parse().unwrap()),
            None if what == "reject" => Expect::Reject,
            _ => panic!(
                "corpus-expectations.tsv:{}: bad expectation `{what}`",
                n + 1
            ),
        };
        assert!(
            out.insert(path.to_string(), expect).is_none(),
            "corpus-expectations.tsv:{}: `{path}` twice",
            n + 1
        );
    }
    out
}

#[test]
fn every_corpus_file_loads_or_is_rejected_as_expected() {
    let Some(root) = corpus::corpus("every_corpus_file_loads_or_is_rejected_as_expected") else {
        return;
    };
    let mut all = Vec::new();
    files(&root, &mut all);
    assert!(all.len() > 300, "corpus not found at {}", root.display());
    let mut expected = expectations();
    let mut failures = Vec::new();
    let (mut loaded, mut rejected, mut total) = (0, 0, 0);
    for path in &all {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let result = load_file(path, None);
        let got = match &result {
            Ok(stack) => Expect::Ok(stack.resources.len()),
            Err(_) => Expect::Reject,
        };
        let fail = |what: String| {
            format!(
                "{rel}: {what}\n  reproduce: cargo test -p guardrail-inputs --test corpus  (file: {})",
                path.display()
            )
        };
        match &result {
            Ok(stack) => {
                loaded += 1;
                total += stack.resources.len();
                if stack.source != path.display().to_string() {
                    failures.push(fail(format!("source is `{}`", stack.source)));
                }
            }
            Err(e) => {
                rejected += 1;
                let shown = e.to_string();
                if e.file != path.display().to_string() || !shown.contains(&e.file) {
                    failures.push(fail(format!("the error does not name the file: {shown}")));
                }
                if e.help.is_none() {
                    failures.push(fail(format!("the error has no help line: {shown}")));
                }
            }
        }
        match expected.remove(&rel) {
            None => failures.push(fail(format!(
                "not in tests/corpus-expectations.tsv (it gives {got:?}{})",
                result
                    .as_ref()
                    .err()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            ))),
            Some(want) if want != got => failures.push(fail(format!(
                "expected {want:?}, got {got:?}{}",
                result
                    .as_ref()
                    .err()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            ))),
            Some(_) => {}
        }
    }
    for rel in expected.keys() {
        failures.push(format!(
            "{rel}: listed in tests/corpus-expectations.tsv but not in the corpus"
        ));
    }
    eprintln!("corpus: {loaded} files loaded ({total} resources), {rejected} rejected");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn corrupted_plan_is_rejected_as_a_plan() {
    // `corrupted-tfplan.json` is a well-formed state (`values`, no plan keys): it loads as a
    // state, and is rejected when a plan is asked for
    let Some(corpus) = corpus::corpus("corrupted_plan_is_rejected_as_a_plan") else {
        return;
    };
    let path = corpus
        .join("terraform-plan/checkov/tests/terraform/runner/resources/plan/corrupted-tfplan.json");
    let e = load_file(&path, Some(InputFormat::TerraformPlan)).unwrap_err();
    assert!(e.to_string().contains("corrupted-tfplan.json"), "{e}");
    assert!(e.message.contains("terraform-plan"), "{e}");
    assert!(e.message.contains("terraform-state"), "{e}");
    let stack = load_file(&path, None).unwrap();
    assert_eq!(stack.format, "terraform-state");
    let ami = stack.resources[0].props.get("ami").unwrap();
    assert!(ami.is_secret(), "sensitive_values marks `ami`");
}

#[test]
fn sensitive_values_of_a_real_plan_are_secrets() {
    let Some(corpus) = corpus::corpus("sensitive_values_of_a_real_plan_are_secrets") else {
        return;
    };
    let path = corpus.join("terraform-plan/snyk-policy-engine-golden/tfplan/sensitive/plan.json");
    let stack = load_file(&path, None).unwrap();
    let mut secrets = 0;
    for r in &stack.resources {
        let mut leaves = Vec::new();
        r.props.for_each_secret_leaf(&mut |s| leaves.push(s));
        secrets += usize::from(r.props.contains_secret());
    }
    assert!(secrets > 0, "some resource has a secret");
    let text = std::fs::read_to_string(&path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    // every `true` leaf of after_sensitive is a secret in the loaded props
    let mut checked = 0;
    for rc in json["resource_changes"].as_array().unwrap() {
        let r = stack
            .resources
            .iter()
            .find(|r| r.id == rc["address"].as_str().unwrap())
            .unwrap();
        fn walk(tree: &serde_json::Value, value: &Value, checked: &mut usize, at: &str) {
            match tree {
                serde_json::Value::Bool(true) => {
                    assert!(value.is_secret(), "{at} is sensitive but not a secret");
                    *checked += 1;
                }
                serde_json::Value::Object(m) => {
                    for (k, t) in m {
                        if let Value::Object(vm) = value {
                            if let Some(v) = vm.get(k) {
                                walk(t, v, checked, &format!("{at}.{k}"));
                            }
                        }
                    }
                }
                serde_json::Value::Array(items) => {
                    if let Value::Array(vs) = value {
                        for (i, (t, v)) in items.iter().zip(vs).enumerate() {
                            walk(t, v, checked, &format!("{at}[{i}]"));
                        }
                    }
                }
                _ => {}
            }
        }
        if r.operation != Operation::Delete {
            walk(
                &rc["change"]["after_sensitive"],
                &r.props,
                &mut checked,
                &r.id,
            );
        }
    }
    assert!(checked > 0, "the plan has sensitive leaves");
}
