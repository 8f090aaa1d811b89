//! Rego packs from the command line: `check --pack` with each layout, `guardrail test`,
//! `guardrail pack new`, limits, secrets and every error path's message and exit code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{root, run, run_with, TempDir};

const TF: &str = "examples/plans/terraform-plan.json";
const PULUMI: &str = "examples/plans/pulumi-preview.json";
const SECRET: &str = "s3cr3t-Pa55w0rd";

const BRIDGE_V0: &str = r#"package aws

deny_db_ports[msg] {
    input.type == "aws:lb/targetGroup:TargetGroup"
    input.port == 5432
    msg := sprintf("target group '%s' exposes postgres on %d", [input.__name, input.port])
}

warn_untagged[msg] {
    input.type == "aws:s3/bucketV2:BucketV2"
    not input.tags.Department
    msg := sprintf("bucket '%s' has no Department tag", [input.__name])
}

stack_deny_no_database[msg] {
    count([r | r := input.resources[_]; r.type == "aws:rds/instance:Instance"]) == 0
    msg := "the stack has no database"
}
"#;

#[test]
fn bridge_pack_runs_unchanged_with_its_levels() {
    let dir = TempDir::new("bridge");
    dir.write("PulumiPolicy.yaml", "description: test\nruntime: opa\n")
        .write("aws.rego", BRIDGE_V0);
    let out = run(&["check", PULUMI, "--pack", dir.path()]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains(
        "mandatory     medium    deny_db_ports  target group 'checkout-db' exposes postgres on 5432"
    ));
    assert!(out.stdout.contains(
        "advisory      medium    warn_untagged  bucket 'checkout-assets' has no Department tag"
    ));
    // The stack rule passes: the preview has a database.
    assert!(!out.stdout.contains("the stack has no database"));
    assert!(out
        .stdout
        .contains("3 policies: 1 mandatory violation, 1 advisory violation"));
    assert!(out.stderr.is_empty(), "{}", out.stderr);

    // The same pack in Rego v1 syntax: same findings, and no parser warnings on stderr.
    let v1 = TempDir::new("bridge-v1");
    v1.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "aws.rego",
        &BRIDGE_V0
            .replace("deny_db_ports[msg] {", "deny_db_ports contains msg if {")
            .replace("warn_untagged[msg] {", "warn_untagged contains msg if {")
            .replace(
                "stack_deny_no_database[msg] {",
                "stack_deny_no_database contains msg if {",
            ),
    );
    let out1 = run(&["check", PULUMI, "--pack", v1.path()]);
    assert_eq!(out1.code, 1, "{}", out1.stderr);
    assert_eq!(out1.stdout, out.stdout);
    assert!(out1.stderr.is_empty(), "{}", out1.stderr);
}

#[test]
fn conftest_directory_sees_the_whole_document() {
    let dir = TempDir::new("conftest");
    dir.write(
        "policy/s3.rego",
        r#"package main

deny contains msg if {
    some rc in input.resource_changes
    rc.type == "aws_s3_bucket"
    not rc.change.after.tags.Owner
    msg := sprintf("%s has no Owner tag", [rc.address])
}

warn_format contains msg if {
    msg := sprintf("format %s", [input.format_version])
}
"#,
    );
    let pack = format!("{}/policy", dir.path());
    let out = run(&["check", TF, "--pack", &pack, "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let findings = report.to_string();
    assert!(
        findings.contains("aws_s3_bucket.logs has no Owner tag"),
        "{findings}"
    );
    assert!(findings.contains("main.warn_format"), "{findings}");
    // Another namespace runs nothing from `main`, and says which packages exist.
    let out = run(&["check", TF, "--pack", &pack, "--namespace", "other"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("no deny, violation or warn rules in `other`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("packages found: main"),
        "{}",
        out.stderr
    );
}

#[test]
fn secrets_written_by_rego_policies_are_redacted_everywhere() {
    let dir = TempDir::new("secret");
    dir.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "leak.rego",
        r#"package leak

deny_leak[msg] {
    input.type == "aws:rds/instance:Instance"
    msg := sprintf("the password is %s", [input.password])
}
"#,
    );
    let conf = TempDir::new("secret-conftest");
    conf.write(
        "leak.rego",
        r#"package main

deny contains msg if {
    some rc in input.resource_changes
    pw := rc.change.after.password
    msg := sprintf("%s has password %s", [rc.address, pw])
}
"#,
    );
    for (file, pack) in [(PULUMI, dir.path()), (TF, conf.path())] {
        for format in ["human", "json", "sarif", "junit", "markdown"] {
            let out = run(&["check", file, "--pack", pack, "--format", format]);
            assert_eq!(out.code, 1, "{format}: {}", out.stderr);
            assert!(
                !out.stdout.contains(SECRET) && !out.stderr.contains(SECRET),
                "{format} leaked the secret: {}",
                out.stdout
            );
            assert!(out.stdout.contains("password"), "{format}: {}", out.stdout);
        }
    }
}

#[test]
fn a_looping_policy_is_stopped_and_the_rest_still_runs() {
    let dir = TempDir::new("loop");
    dir.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "p.rego",
        r#"package p

deny_slow[msg] {
    input.type == "aws:lb/targetGroup:TargetGroup"
    n := count([x | some i, j; numbers.range(1, 4000)[i]; numbers.range(1, 4000)[j]; x := i * j])
    msg := sprintf("%d", [n])
}

deny_port[msg] {
    input.port == 5432
    msg := "postgres port"
}
"#,
    );
    let out = run(&[
        "check",
        PULUMI,
        "--pack",
        dir.path(),
        "--rego-timeout",
        "100ms",
    ]);
    assert_eq!(
        out.code, 2,
        "a policy error exits 2: {}{}",
        out.stdout, out.stderr
    );
    assert!(
        out.stdout
            .contains("ran longer than its time limit of 100ms"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("deny_port  postgres port"),
        "{}",
        out.stdout
    );
    let bad = run(&[
        "check",
        PULUMI,
        "--pack",
        dir.path(),
        "--rego-timeout",
        "2h",
    ]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("unknown unit `h`"), "{}", bad.stderr);
}

#[test]
fn pack_errors_name_file_line_column_and_help() {
    let dir = TempDir::new("syntax");
    dir.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "bad.rego",
        "package bad\n\ndeny[msg] {\n    input.x ==\n}\n",
    );
    let out = run(&["check", PULUMI, "--pack", dir.path()]);
    assert_eq!(out.code, 2);
    let file = format!("{}/bad.rego:3:11: ", dir.path());
    assert!(out.stderr.contains(&file), "{}", out.stderr);
    assert!(
        out.stderr.contains(" 3 | deny[msg] {\n   |           ^"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("help: "), "{}", out.stderr);
    assert!(out.stdout.is_empty());

    let builtin = TempDir::new("builtin");
    builtin.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "b.rego",
        "package b\n\ndeny[msg] {\n    msg := sprintff(\"%v\", [1])\n}\n",
    );
    let out = run(&["check", PULUMI, "--pack", builtin.path()]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("b.rego:4:12: unknown function `sprintff`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("did you mean `sprintf`?"),
        "{}",
        out.stderr
    );

    let missing = run(&["check", PULUMI, "--pack", "no/such/pack"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing
            .stderr
            .contains("no/such/pack: cannot be read: no such file or directory"),
        "{}",
        missing.stderr
    );

    // a CrossGuard pack is run (tests/crossguard.rs); one whose SDK is not installed is an
    // error that names it and says what to install
    let node = TempDir::new("node");
    node.write("PulumiPolicy.yaml", "runtime: nodejs\n");
    let out = run_with(
        &root(),
        &["check", PULUMI, "--pack", node.path()],
        &[("NODE_PATH", "")],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(&format!(
            "{0}: the Node.js pack `{0}` cannot find `@pulumi/pulumi`",
            node.path()
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("run `npm install`"), "{}", out.stderr);
}

#[test]
fn pack_new_scaffolds_a_pack_whose_tests_pass_and_that_checks_plans() {
    let dir = TempDir::new("new");
    let pack = format!("{}/platform-guardrails", dir.path());
    let out = run(&["pack", "new", &pack]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("created the pack"));
    for f in [
        "guardrail-pack.yaml",
        "README.md",
        "policies/public_buckets.rego",
        "policies/bucket_count.rego",
        "policies/owner_tag.rego",
        "policies/public_buckets_test.rego",
        "tests/owner_tag.fixtures.yaml",
    ] {
        assert!(Path::new(&pack).join(f).is_file(), "{f} missing");
    }
    let test = run(&["test", &pack]);
    assert_eq!(test.code, 0, "{}", test.stdout);
    assert!(
        test.stdout.ends_with("12 passed, 0 failed\n"),
        "{}",
        test.stdout
    );

    let json = run(&["test", &pack, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["passed"], 12);
    assert_eq!(report["failed"], 0);
    let kinds: Vec<&str> = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "rego").count(), 2);

    // The remediation runs in a check and writes its fix.
    let fixes = format!("{}/fixes.json", dir.path());
    let out = run(&["check", TF, "--pack", &pack, "--fix-output", &fixes]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.lines().any(|l| l.trim_start().starts_with("remediate ")
            && l.contains(" PG-003  would fix: ")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("nothing was changed: the fixed resources are in `"),
        "{}",
        out.stdout
    );
    let fixed = std::fs::read_to_string(&fixes).unwrap();
    assert!(fixed.contains("\"owner\": \"platform-team\""), "{fixed}");

    // Again into the same directory: refused, nothing lost.
    let again = run(&["pack", "new", &pack]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists and is not empty"));
}

#[test]
fn failing_tests_show_expected_and_actual_and_exit_1() {
    let dir = TempDir::new("failing");
    let pack = format!("{}/p", dir.path());
    assert_eq!(run(&["pack", "new", &pack, "--name", "demo"]).code, 0);
    let fixture = Path::new(&pack).join("tests/public_buckets.fixtures.yaml");
    let text = std::fs::read_to_string(&fixture).unwrap().replace(
        "- name: a private bucket passes\n    expect: pass",
        "- name: a private bucket passes\n    expect: violation",
    );
    std::fs::write(&fixture, text).unwrap();
    std::fs::write(
        Path::new(&pack).join("policies/extra_test.rego"),
        "package demo.extra_test\n\ntest_false if {\n    1 == 2\n}\n",
    )
    .unwrap();
    let out = run(&["test", &pack]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout
            .contains("FAIL D-001 a private bucket passes (terraform)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("       expected: violation\n       actual:   pass\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("FAIL data.demo.extra_test.test_false"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.ends_with("11 passed, 2 failed\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn test_runs_the_catalogs_own_fixtures_too() {
    let out = run(&[
        "test",
        "crates/guardrail-catalog/src/rules",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", &out.stdout[..out.stdout.len().min(2000)]);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let passed = report["passed"].as_u64().unwrap();
    assert!(passed >= 1600, "only {passed} fixture runs");
    assert_eq!(report["failed"], 0);
    let one = run(&[
        "test",
        "crates/guardrail-catalog/src/rules/aws/s3/s3_bucket_access_logging.fixtures.json",
    ]);
    assert_eq!(one.code, 0, "{}{}", one.stdout, one.stderr);
    assert!(one.stdout.contains("AWS-S3-"), "{}", one.stdout);
}

#[test]
fn bad_fixture_files_are_input_errors() {
    let dir = TempDir::new("badfix");
    dir.write(
        "x.fixtures.yaml",
        "policy: AWS-S3-001\ncases:\n  - name: a\n    expect: [oops\n",
    );
    let out = run(&["test", &format!("{}/x.fixtures.yaml", dir.path())]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("x.fixtures.yaml:5:1: did not find expected"),
        "{}",
        out.stderr
    );
    dir.write("y.fixtures.json", r#"{"policy": "NOPE-1", "cases": []}"#);
    let out = run(&["test", &format!("{}/y.fixtures.json", dir.path())]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no policy `NOPE-1`"), "{}", out.stderr);
    let out = run(&["test", "README.md"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("is not a fixture file"),
        "{}",
        out.stderr
    );
}

#[test]
fn walk_is_available_to_whole_document_rules() {
    let dir = TempDir::new("walk");
    dir.write(
        "p.rego",
        r#"package main

deny contains msg if {
    walk(input, [path, value])
    value == "vpc-0123456789abcdef0"
    path[count(path) - 1] == "vpc_id"
    msg := sprintf("vpc at %v", [path])
}
"#,
    );
    let out = run(&["check", TF, "--pack", dir.path(), "--format", "json"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    // Three places hold the VPC id in the plan's values (and more in `planned_values`).
    assert!(
        out.stdout.matches("vpc at [").count() >= 3,
        "{}",
        out.stdout
    );
}
