#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `testing::run` (Rego unit tests) and `scaffold::create` (`guardrail pack new`).

mod common;

use std::sync::Arc;

use common::*;
use guardrail_core::fixture::{self, FixtureInput};
use guardrail_core::{Enforcement, OutcomeKind, Policy, PolicyKind};
use guardrail_rego::{scaffold, testing, Layout};
use serde_json::json;

const POLICY: &str = r#"# METADATA
# title: Buckets are private
# description: No public ACL.
# custom:
#   id: TT-1
#   severity: high
package t.acl

deny contains "public" if input.props.acl == "public-read"
"#;

const TESTS: &str = r#"package t.acl_test

import data.t.acl

test_public_is_denied if {
	count(acl.deny) == 1 with input as {"props": {"acl": "public-read"}}
}

test_false := false

test_undefined if {
	count(acl.deny) == 1 with input as {"props": {"acl": "private"}}
}

test_error if {
	to_number("not a number") == 1
}

helper := 1
"#;

#[test]
fn unit_tests_pass_fail_undefined_and_error() {
    let dir = TempDir::new("unit");
    dir.write("guardrail-pack.yaml", "name: unit\n")
        .write("policies/acl.rego", POLICY)
        .write("policies/acl_test.rego", TESTS);
    let pack = load(dir.path());
    assert_eq!(pack.modules.len(), 1, "test files are not policy modules");
    assert_eq!(pack.tests.len(), 1);
    let results = testing::run(&pack).unwrap();
    let file = dir.join("policies/acl_test.rego");
    let got: Vec<(&str, usize, bool)> = results
        .iter()
        .map(|t| {
            assert_eq!(t.file, file);
            (t.name.as_str(), t.line, t.passed)
        })
        .collect();
    assert_eq!(
        got,
        [
            ("data.t.acl_test.test_public_is_denied", 5, true),
            ("data.t.acl_test.test_false", 9, false),
            ("data.t.acl_test.test_undefined", 11, false),
            ("data.t.acl_test.test_error", 15, false),
        ]
    );
    assert_eq!(results[0].failure, None);
    assert_eq!(
        results[1].failure.as_deref(),
        Some("the test rule is false, not true")
    );
    assert_eq!(
        results[2].failure.as_deref(),
        Some("the test rule is undefined (a condition in its body does not hold)")
    );
    let error = results[3].failure.as_deref().unwrap();
    assert!(
        error.starts_with(&format!("{}:16:", file.display())),
        "{error}"
    );
    assert!(
        error.contains("could not parse string as number"),
        "{error}"
    );
}

#[test]
fn unit_tests_of_a_bridge_pack_may_be_rego_v0() {
    let dir = TempDir::new("unit-bridge");
    dir.write("PulumiPolicy.yaml", "runtime: opa\n")
        .write(
            "aws.rego",
            "package aws\n\ndeny_port[msg] {\n    input.port == 22\n    msg := \"ssh\"\n}\n",
        )
        .write(
            "aws_test.rego",
            "package aws\n\ntest_ssh_denied {\n    deny_port[\"ssh\"] with input as {\"port\": 22}\n}\n\ntest_https_passes {\n    count(deny_port) == 0 with input as {\"port\": 443}\n}\n\ntest_wrong {\n    count(deny_port) == 1 with input as {\"port\": 443}\n}\n",
        );
    let pack = load(dir.path());
    let results = testing::run(&pack).unwrap();
    let got: Vec<(&str, bool)> = results
        .iter()
        .map(|t| (t.name.as_str(), t.passed))
        .collect();
    assert_eq!(
        got,
        [
            ("data.aws.test_ssh_denied", true),
            ("data.aws.test_https_passes", true),
            ("data.aws.test_wrong", false),
        ]
    );
}

#[test]
fn no_test_files_means_no_tests_and_a_broken_test_file_is_a_located_error() {
    let dir = TempDir::new("unit-none");
    dir.write("guardrail-pack.yaml", "name: unit\n")
        .write("policies/acl.rego", POLICY);
    let pack = load(dir.path());
    assert!(testing::run(&pack).unwrap().is_empty());

    dir.write(
        "policies/acl_test.rego",
        "package t.acl_test\n\ntest_x if {\n    sprntf(\"%v\", [1]) == \"1\"\n}\n",
    );
    let pack = load(dir.path());
    let e = testing::run(&pack).unwrap_err();
    assert_eq!(e.file, dir.join("policies/acl_test.rego"));
    assert_eq!((e.line, e.column), (Some(4), Some(5)), "{e}");
    assert_eq!(e.message, "unknown function `sprntf`");
    assert!(e.help.unwrap().contains("did you mean `sprintf`?"));
}

// ---------------------------------------------------------------------------------------------
// Scaffold
// ---------------------------------------------------------------------------------------------

fn run_fixtures(pack: &guardrail_rego::RegoPack, dir: &std::path::Path) -> (usize, Vec<String>) {
    let mut passed = 0;
    let mut failures = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir.join("tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let json: serde_json::Value = yaml_serde::from_str(&text).unwrap();
        let file = fixture::parse(&json).unwrap();
        let policy: Arc<dyn Policy> = pack
            .pack
            .policies
            .iter()
            .find(|p| p.meta().id == file.policy)
            .cloned()
            .unwrap_or_else(|| panic!("no policy {}", file.policy));
        for run in &file.runs {
            let FixtureInput::Stack(stack) = &run.input else {
                panic!("a file input")
            };
            let result = fixture::check(&policy, run, stack);
            if result.failures.is_empty() {
                passed += 1;
            } else {
                failures.push(format!("{}: {:?}", run.label(), result.failures));
            }
        }
    }
    (passed, failures)
}

#[test]
fn scaffold_writes_a_pack_that_loads_and_whose_tests_pass() {
    let base = TempDir::new("scaffold");
    let dir = base.join("demo-pack");
    let written = scaffold::create(&dir, None).unwrap();
    let mut rel: Vec<String> = written
        .iter()
        .map(|p| {
            assert!(p.is_file(), "{}", p.display());
            p.strip_prefix(&dir).unwrap().display().to_string()
        })
        .collect();
    rel.sort();
    assert_eq!(
        rel,
        [
            "README.md",
            "guardrail-pack.yaml",
            "policies/bucket_count.rego",
            "policies/owner_tag.rego",
            "policies/public_buckets.rego",
            "policies/public_buckets_test.rego",
            "tests/bucket_count.fixtures.yaml",
            "tests/owner_tag.fixtures.yaml",
            "tests/public_buckets.fixtures.yaml",
        ]
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.starts_with("# demo-pack\n"), "{readme}");

    let pack = load(&dir);
    assert_eq!(pack.layout, Layout::Guardrail);
    assert_eq!(pack.pack.name, "demo-pack");
    assert_eq!(pack.pack.version.as_deref(), Some("0.1.0"));
    let metas: Vec<(String, PolicyKind, Enforcement)> = pack
        .pack
        .policies
        .iter()
        .map(|p| (p.meta().id.clone(), p.meta().kind, p.meta().enforcement))
        .collect();
    assert_eq!(
        metas,
        [
            (
                "DP-002".to_string(),
                PolicyKind::Stack,
                Enforcement::Advisory
            ),
            (
                "DP-003".to_string(),
                PolicyKind::Resource,
                Enforcement::Remediate
            ),
            (
                "DP-001".to_string(),
                PolicyKind::Resource,
                Enforcement::Mandatory
            ),
        ]
    );

    // The unit tests pass.
    let results = testing::run(&pack).unwrap();
    assert_eq!(results.len(), 2);
    for t in &results {
        assert!(t.passed, "{}: {:?}", t.name, t.failure);
        assert!(t
            .name
            .starts_with("data.demo_pack.public_buckets_test.test_"));
    }
    // And its fixtures pass through the core engine.
    let (passed, failures) = run_fixtures(&pack, &dir);
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(passed, 10);

    // A quick check on a stack of its own.
    let stack = stack_of(json!({"resources": [
        {"type": "aws_s3_bucket", "name": "logs", "props": {"acl": "public-read", "tags": {"owner": "me"}}}
    ]}));
    let eval = run(&pack, &stack);
    let public = outcomes_on(&eval, &stack, "DP-001", Some("logs"));
    assert_eq!(public[0].kind, OutcomeKind::Violation);
    assert_eq!(public[0].path.as_deref(), Some("acl"));
}

#[test]
fn scaffold_takes_a_name_and_refuses_non_empty_dirs_and_bad_names() {
    let base = TempDir::new("scaffold-refuse");
    let dir = base.join("x");
    scaffold::create(&dir, Some("platform_guardrails")).unwrap();
    let pack = load(&dir);
    assert_eq!(pack.pack.name, "platform_guardrails");
    assert_eq!(pack.pack.policies[0].meta().id, "PG-002");

    // Again into the same directory: refused, nothing changed.
    let before = std::fs::read_to_string(dir.join("guardrail-pack.yaml")).unwrap();
    let e = scaffold::create(&dir, Some("other")).unwrap_err();
    assert_eq!(e.file, dir);
    assert_eq!(e.message, "already exists and is not empty");
    assert!(e.help.unwrap().contains("nothing was written"));
    assert_eq!(
        std::fs::read_to_string(dir.join("guardrail-pack.yaml")).unwrap(),
        before
    );

    // An empty existing directory is fine.
    let empty = base.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    scaffold::create(&empty, Some("ok")).unwrap();
    assert!(empty.join("guardrail-pack.yaml").is_file());

    // Bad names, given or taken from the directory: refused before anything is written.
    for (dir, name) in [
        (base.join("a"), Some("9lives")),
        (base.join("b"), Some("has space")),
        (base.join("c"), Some("")),
        (base.join("4-bad-dir"), None),
    ] {
        let e = scaffold::create(&dir, name).unwrap_err();
        assert!(e.message.contains("is not a pack name"), "{e}");
        assert!(e.help.unwrap().contains("--name"));
        assert!(!dir.exists(), "{} was created", dir.display());
    }
    assert!(scaffold::check_name("a-b_c9").is_ok());
    assert_eq!(
        scaffold::check_name("-x").unwrap_err(),
        "`-x` is not a pack name: use letters, digits, `-` and `_`, starting with a letter"
    );
}
