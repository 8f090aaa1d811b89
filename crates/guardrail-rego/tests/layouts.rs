#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Each pack layout loads and evaluates: guardrail packs (metadata mapped into `PolicyMeta`),
//! Pulumi OPA-bridge packs in Rego v0 and v1, and conftest directories over a whole document.

mod common;

use std::sync::Arc;

use common::*;
use guardrail_core::{Enforcement, FixSafety, OutcomeKind, PolicyKind, Severity, Stack};
use guardrail_rego::{detect_layout, Layout, LoadOptions};
use serde_json::json;

// ---------------------------------------------------------------------------------------------
// Guardrail packs
// ---------------------------------------------------------------------------------------------

const MANIFEST: &str = "name: test-pack\nversion: 1.2.3\ndescription: A pack for the tests.\n";

const PORTS: &str = r#"# METADATA
# title: No SSH from anywhere
# description: >-
#   Security groups do not open the configured ports.
# custom:
#   id: T-001
#   name: no-ssh
#   severity: high
#   enforcement: mandatory
#   resource_types: [aws_security_group, "aws:ec2/securityGroup:SecurityGroup"]
#   vendor: aws
#   services: [ec2]
#   topics: [network, access]
#   remediation: Close the port.
#   frameworks:
#     cis-aws: ["5.2"]
#     pci-dss: "1.3.1"
#   config:
#     type: object
#     properties:
#       ports: {type: array, items: {type: integer}, default: [22]}
package test.ports

import data.test.lib

deny contains {"msg": msg, "path": sprintf("ingress[%d].from_port", [i])} if {
	some i, rule in input.props.ingress
	rule.from_port in data.config.ports
	msg := sprintf("`%s` opens port %d %s", [input.name, rule.from_port, lib.suffix])
}
"#;

const LIB: &str = r#"package test.lib

suffix := "to the world"
"#;

const COUNT: &str = r#"# METADATA
# title: A stack has few buckets
# description: At most `max` buckets.
# custom:
#   id: T-002
#   severity: low
#   kind: stack
#   config:
#     type: object
#     properties:
#       max: {type: integer, default: 1}
package test.bucket_count

buckets := [r | some r in input.resources; r.type == "aws_s3_bucket"]

deny contains msg if {
	count(buckets) > data.config.max
	msg := sprintf("the stack has %d buckets, more than %d", [count(buckets), data.config.max])
}
"#;

fn guardrail_pack() -> TempDir {
    let dir = TempDir::new("guardrail");
    dir.write("guardrail-pack.yaml", MANIFEST)
        .write("policies/ports.rego", PORTS)
        .write("policies/bucket_count.rego", COUNT)
        .write("lib/lib.rego", LIB);
    dir
}

fn sg_stack() -> Stack {
    stack_of(json!({"resources": [
        {"type": "aws_security_group", "name": "open",
         "props": {"ingress": [{"from_port": 443}, {"from_port": 22}]}},
        {"type": "aws_security_group", "name": "closed", "props": {"ingress": [{"from_port": 443}]}},
        {"type": "aws_s3_bucket", "name": "a", "props": {}},
        {"type": "aws_s3_bucket", "name": "b", "props": {}}
    ]}))
}

#[test]
fn guardrail_pack_maps_metadata_into_policy_meta() {
    let dir = guardrail_pack();
    assert_eq!(detect_layout(dir.path()).unwrap(), Layout::Guardrail);
    let pack = load(dir.path());
    assert_eq!(pack.layout, Layout::Guardrail);
    assert_eq!(pack.pack.name, "test-pack");
    assert_eq!(pack.pack.version.as_deref(), Some("1.2.3"));
    assert_eq!(pack.description.as_deref(), Some("A pack for the tests."));
    assert!(!pack.needs_document);
    assert_eq!(pack.modules.len(), 3, "the library is a module too");
    // Policies follow the files' paths: policies/bucket_count.rego before policies/ports.rego;
    // the library package (no `deny`) is not a policy.
    let ids: Vec<&str> = pack
        .pack
        .policies
        .iter()
        .map(|p| p.meta().id.as_str())
        .collect();
    assert_eq!(ids, ["T-002", "T-001"]);

    let ports = pack.pack.policies[1].meta();
    assert_eq!(ports.name, "no-ssh");
    assert_eq!(ports.title, "No SSH from anywhere");
    assert_eq!(
        ports.description,
        "Security groups do not open the configured ports."
    );
    assert_eq!(ports.severity, Severity::High);
    assert_eq!(ports.enforcement, Enforcement::Mandatory);
    assert_eq!(ports.kind, PolicyKind::Resource);
    assert_eq!(
        ports.resource_types,
        ["aws_security_group", "aws:ec2/securityGroup:SecurityGroup"]
    );
    assert_eq!(ports.vendor, "aws");
    assert_eq!(ports.services, ["ec2"]);
    assert_eq!(ports.topics, ["network", "access"]);
    assert_eq!(ports.remediation, "Close the port.");
    assert_eq!(ports.fix, FixSafety::None);
    let mut frameworks: Vec<(String, Vec<String>)> = ports
        .frameworks
        .iter()
        .map(|f| (f.framework.clone(), f.controls.clone()))
        .collect();
    frameworks.sort();
    assert_eq!(
        frameworks,
        [
            ("cis-aws".to_string(), vec!["5.2".to_string()]),
            ("pci-dss".to_string(), vec!["1.3.1".to_string()]),
        ]
    );
    let schema = ports.config_schema.as_ref().expect("a config schema");
    assert_eq!(schema["properties"]["ports"]["default"], json!([22]));

    let count = pack.pack.policies[0].meta();
    assert_eq!(count.kind, PolicyKind::Stack);
    assert_eq!(count.severity, Severity::Low);
    assert_eq!(count.name, "a-stack-has-few-buckets", "slug of the title");
    assert_eq!(
        count.enforcement,
        Enforcement::Advisory,
        "the default level"
    );
    assert_eq!(count.vendor, "custom");
    assert!(count.resource_types.is_empty());
}

#[test]
fn guardrail_pack_evaluates_resource_and_stack_policies() {
    let dir = guardrail_pack();
    let pack = load(dir.path());
    let stack = sg_stack();
    let eval = run(&pack, &stack);

    let open = outcomes_on(&eval, &stack, "T-001", Some("open"));
    assert_eq!(open.len(), 1, "{}", dump(&eval));
    assert_eq!(open[0].kind, OutcomeKind::Violation);
    assert_eq!(
        open[0].message.as_deref(),
        Some("`open` opens port 22 to the world")
    );
    assert_eq!(open[0].path.as_deref(), Some("ingress[1].from_port"));
    assert_eq!(open[0].level, Enforcement::Mandatory);
    assert!(open[0].blocking);
    let closed = outcomes_on(&eval, &stack, "T-001", Some("closed"));
    assert_eq!(summary(&closed), [(OutcomeKind::Pass, String::new())]);
    // Buckets are not among the policy's types: no outcome at all.
    assert!(outcomes_on(&eval, &stack, "T-001", Some("a")).is_empty());

    let stack_level = outcomes_on(&eval, &stack, "T-002", None);
    assert_eq!(
        summary(&stack_level),
        [(
            OutcomeKind::Violation,
            "the stack has 2 buckets, more than 1".to_string()
        )]
    );
    assert_eq!(stack_level[0].level, Enforcement::Advisory);
    assert!(!stack_level[0].blocking);
    assert_eq!(eval.summary.mandatory, 1);
    assert_eq!(eval.summary.advisory, 1);
    assert_eq!(eval.summary.passed, 1);
}

#[test]
fn guardrail_resource_types_match_either_spelling() {
    let dir = guardrail_pack();
    let pack = load(dir.path());
    let stack = stack_of(json!({"resources": [
        {"type": "aws:ec2/securityGroup:SecurityGroup", "name": "web",
         "props": {"ingress": [{"from_port": 22}]}}
    ]}));
    let eval = run(&pack, &stack);
    let web = outcomes_on(&eval, &stack, "T-001", Some("web"));
    assert_eq!(web.len(), 1, "{}", dump(&eval));
    assert_eq!(web[0].kind, OutcomeKind::Violation);
}

#[test]
fn guardrail_manifest_enforcement_is_the_pack_default_over_the_policies_own() {
    // docs/rego.md: "the policy's level < the pack's `enforcement` < a config's `all` < ...".
    let dir = guardrail_pack();
    dir.write(
        "guardrail-pack.yaml",
        "name: test-pack\nenforcement: advisory\n",
    );
    let pack = load(dir.path());
    let stack = sg_stack();
    let eval = run(&pack, &stack);
    let open = outcomes_on(&eval, &stack, "T-001", Some("open"));
    assert_eq!(open[0].kind, OutcomeKind::Violation);
    assert_eq!(
        open[0].level,
        Enforcement::Advisory,
        "the pack's `enforcement: advisory` overrides the policy's `mandatory`"
    );
    assert!(!open[0].blocking);
    // A config's `all` still overrides the pack's level.
    let eval = eval_with(&pack, &stack, &all_at(Enforcement::Mandatory));
    let open = outcomes_on(&eval, &stack, "T-001", Some("open"));
    assert_eq!(open[0].level, Enforcement::Mandatory);
    // And `disabled` at the pack level runs nothing.
    dir.write(
        "guardrail-pack.yaml",
        "name: test-pack\nenforcement: disabled\n",
    );
    let pack = load(dir.path());
    let eval = run(&pack, &stack);
    assert!(eval.outcomes.is_empty(), "{}", dump(&eval));
    assert_eq!(eval.summary.policies, 0);
}

// ---------------------------------------------------------------------------------------------
// Pulumi OPA-bridge packs
// ---------------------------------------------------------------------------------------------

const BRIDGE_V0: &str = r#"package aws

# METADATA
# title: Target groups do not expose database ports
# description: Database ports stay inside the VPC.
# custom:
#   severity: critical
#   message: Use port 443.
deny_db_port[msg] {
    input.type == "aws:lb/targetGroup:TargetGroup"
    input.port == data.config.deny_db_port.port
    msg := sprintf("target group '%s' exposes port %d", [input.__name, input.port])
}

warn_untagged[msg] {
    is_bucket(input)
    not input.tags.Department
    msg := sprintf("bucket '%s' has no Department tag", [input.__name])
}

violation_urn[msg] {
    input.type == "aws:lb/targetGroup:TargetGroup"
    not startswith(input.__urn, "urn:pulumi:")
    msg := "not a URN"
}

stack_deny_no_db[msg] {
    count([r | r := input.resources[_]; r.type == "aws:rds/instance:Instance"]) == 0
    msg := "the stack has no database"
}

stack_warn_many_buckets[msg] {
    n := count([r | r := input.resources[_]; is_bucket(r)])
    n > data.config.stack_warn_many_buckets.max
    msg := sprintf("%d buckets", [n])
}

is_bucket(r) {
    r.type == "aws:s3/bucket:Bucket"
}

helper_rule[x] {
    x := 1
}
"#;

const BRIDGE_V1: &str = r#"package awsv1

deny_db_port contains msg if {
    input.type == "aws:lb/targetGroup:TargetGroup"
    input.port == data.config.deny_db_port.port
    msg := sprintf("target group '%s' exposes port %d", [input.__name, input.port])
}

warn_untagged contains msg if {
    input.type == "aws:s3/bucket:Bucket"
    not input.tags.Department
    msg := sprintf("bucket '%s' has no Department tag", [input.__name])
}

stack_deny_no_db contains msg if {
    count([r | some r in input.resources; r.type == "aws:rds/instance:Instance"]) == 0
    msg := "the stack has no database"
}
"#;

const SCHEMA: &str = r#"{
  "deny_db_port": {"properties": {"port": {"type": "integer", "default": 5432}}, "required": ["port"]},
  "stack_warn_many_buckets": {"properties": {"max": {"type": "integer", "default": 5}}}
}"#;

fn bridge_stack() -> Stack {
    stack_of(json!({"resources": [
        {"type": "aws:lb/targetGroup:TargetGroup", "name": "db", "props": {"port": 5432}},
        {"type": "aws:lb/targetGroup:TargetGroup", "name": "web", "props": {"port": 443}},
        {"type": "aws:s3/bucket:Bucket", "name": "assets", "props": {}},
        {"type": "aws:s3/bucket:Bucket", "name": "tagged", "props": {"tags": {"Department": "x"}}}
    ]}))
}

fn bridge_pack(rego: &str, file: &str) -> TempDir {
    let dir = TempDir::new("bridge");
    dir.write(
        "PulumiPolicy.yaml",
        "description: bridge pack\nversion: 0.0.1\nruntime: opa\n",
    )
    .write(file, rego)
    .write("config-schema.json", SCHEMA);
    dir
}

fn check_bridge_outcomes(pack: &guardrail_rego::RegoPack) {
    let stack = bridge_stack();
    let eval = run(pack, &stack);
    let db = outcomes_on(&eval, &stack, "deny_db_port", Some("db"));
    assert_eq!(
        summary(&db),
        [(
            OutcomeKind::Violation,
            "target group 'db' exposes port 5432".to_string()
        )],
        "{}",
        dump(&eval)
    );
    assert_eq!(db[0].level, Enforcement::Mandatory);
    assert!(db[0].blocking);
    let web = outcomes_on(&eval, &stack, "deny_db_port", Some("web"));
    assert_eq!(web[0].kind, OutcomeKind::Pass);
    // Resource rules have no declared types: they run on every resource.
    let assets = outcomes_on(&eval, &stack, "deny_db_port", Some("assets"));
    assert_eq!(assets[0].kind, OutcomeKind::Pass);

    let warn = outcomes_on(&eval, &stack, "warn_untagged", Some("assets"));
    assert_eq!(
        summary(&warn),
        [(
            OutcomeKind::Violation,
            "bucket 'assets' has no Department tag".to_string()
        )]
    );
    assert_eq!(warn[0].level, Enforcement::Advisory);
    assert!(!warn[0].blocking);
    let tagged = outcomes_on(&eval, &stack, "warn_untagged", Some("tagged"));
    assert_eq!(tagged[0].kind, OutcomeKind::Pass);

    let stack_deny = outcomes_on(&eval, &stack, "stack_deny_no_db", None);
    assert_eq!(
        summary(&stack_deny),
        [(
            OutcomeKind::Violation,
            "the stack has no database".to_string()
        )]
    );
    assert_eq!(stack_deny[0].level, Enforcement::Mandatory);
    // Only stack-level outcomes for a stack rule.
    assert_eq!(outcomes_of(&eval, "stack_deny_no_db").len(), 1);

    // With a database the stack rule passes.
    let mut with_db = bridge_stack();
    with_db.resources.extend(
        stack_of(json!({"type": "aws:rds/instance:Instance", "name": "pg", "props": {}})).resources,
    );
    let eval = run(pack, &with_db);
    let stack_deny = outcomes_on(&eval, &with_db, "stack_deny_no_db", None);
    assert_eq!(stack_deny[0].kind, OutcomeKind::Pass, "{}", dump(&eval));
}

#[test]
fn bridge_pack_in_rego_v0() {
    let dir = bridge_pack(BRIDGE_V0, "aws.rego");
    assert_eq!(detect_layout(dir.path()).unwrap(), Layout::PulumiOpa);
    let pack = load(dir.path());
    assert_eq!(pack.layout, Layout::PulumiOpa);
    assert!(pack.modules[0].v0, "read as Rego v0");
    assert_eq!(pack.pack.version.as_deref(), Some("0.0.1"));
    assert_eq!(pack.description.as_deref(), Some("bridge pack"));
    assert_eq!(pack.pack.name, "aws", "no name: the first package");
    let ids: Vec<&str> = pack
        .pack
        .policies
        .iter()
        .map(|p| p.meta().id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "deny_db_port",
            "warn_untagged",
            "violation_urn",
            "stack_deny_no_db",
            "stack_warn_many_buckets"
        ],
        "functions and other rules are helpers"
    );
    let meta = |id: &str| {
        pack.pack
            .policies
            .iter()
            .find(|p| p.meta().id == id)
            .unwrap()
            .meta()
            .clone()
    };
    let db = meta("deny_db_port");
    assert_eq!(db.title, "Target groups do not expose database ports");
    assert_eq!(db.description, "Database ports stay inside the VPC.");
    assert_eq!(db.severity, Severity::Critical);
    assert_eq!(db.remediation, "Use port 443.");
    assert_eq!(db.enforcement, Enforcement::Mandatory);
    assert_eq!(db.kind, PolicyKind::Resource);
    let schema = db.config_schema.unwrap();
    assert_eq!(schema["properties"]["port"]["default"], json!(5432));
    assert_eq!(schema["required"], json!(["port"]));
    let warn = meta("warn_untagged");
    assert_eq!(warn.title, "warn_untagged");
    assert_eq!(warn.enforcement, Enforcement::Advisory);
    assert_eq!(meta("violation_urn").enforcement, Enforcement::Mandatory);
    assert_eq!(meta("stack_deny_no_db").kind, PolicyKind::Stack);
    let sw = meta("stack_warn_many_buckets");
    assert_eq!(sw.kind, PolicyKind::Stack);
    assert_eq!(sw.enforcement, Enforcement::Advisory);

    check_bridge_outcomes(&pack);
    // `input.__urn` is the resource's URN.
    let stack = bridge_stack();
    let eval = run(&pack, &stack);
    assert!(outcomes_of(&eval, "violation_urn")
        .iter()
        .all(|o| o.kind == OutcomeKind::Pass));
}

#[test]
fn bridge_pack_in_rego_v1() {
    let dir = bridge_pack(BRIDGE_V1, "aws.rego");
    let pack = load(dir.path());
    assert!(!pack.modules[0].v0, "read as Rego v1");
    assert_eq!(pack.pack.name, "awsv1");
    check_bridge_outcomes(&pack);
}

#[test]
fn bridge_pack_mixes_v0_and_v1_files_and_takes_its_name_from_the_manifest() {
    let dir = bridge_pack(BRIDGE_V0, "a_v0.rego");
    dir.write("PulumiPolicy.yaml", "name: mixed\nruntime:\n  name: opa\n");
    dir.write(
        "b_v1.rego",
        "package other\n\ndeny_other contains msg if {\n    some t in [\"aws:s3/bucket:Bucket\"]\n    input.type == t\n    msg := \"always\"\n}\n",
    );
    let pack = load(dir.path());
    assert_eq!(pack.pack.name, "mixed");
    assert!(pack.modules[0].v0);
    assert!(!pack.modules[1].v0, "`some .. in` needs v1");
    let stack = bridge_stack();
    let eval = run(&pack, &stack);
    let other = outcomes_on(&eval, &stack, "deny_other", Some("assets"));
    assert_eq!(
        summary(&other),
        [(OutcomeKind::Violation, "always".to_string())]
    );
}

#[test]
fn bridge_config_defaults_and_user_config_reach_data_config() {
    let dir = bridge_pack(BRIDGE_V0, "aws.rego");
    let pack = load(dir.path());
    let stack = bridge_stack();
    // Default from config-schema.json: port 5432 (db violates), max 5 buckets (passes).
    let eval = run(&pack, &stack);
    assert_eq!(
        outcomes_on(&eval, &stack, "deny_db_port", Some("db"))[0].kind,
        OutcomeKind::Violation
    );
    assert_eq!(
        outcomes_on(&eval, &stack, "stack_warn_many_buckets", None)[0].kind,
        OutcomeKind::Pass
    );
    // User config: port 443 makes `web` the violation instead.
    let eval = eval_with(
        &pack,
        &stack,
        &configured("deny_db_port", None, json!({"port": 443})),
    );
    assert_eq!(
        outcomes_on(&eval, &stack, "deny_db_port", Some("db"))[0].kind,
        OutcomeKind::Pass,
        "{}",
        dump(&eval)
    );
    let web = outcomes_on(&eval, &stack, "deny_db_port", Some("web"));
    assert_eq!(
        summary(&web),
        [(
            OutcomeKind::Violation,
            "target group 'web' exposes port 443".to_string()
        )]
    );
    // The config of one rule does not leak into another's: max stays 5.
    let eval = eval_with(
        &pack,
        &stack,
        &configured("stack_warn_many_buckets", None, json!({"max": 1})),
    );
    let many = outcomes_on(&eval, &stack, "stack_warn_many_buckets", None);
    assert_eq!(
        summary(&many),
        [(OutcomeKind::Violation, "2 buckets".to_string())]
    );
    assert_eq!(
        outcomes_on(&eval, &stack, "deny_db_port", Some("db"))[0].kind,
        OutcomeKind::Violation
    );
}

#[test]
fn bridge_pack_without_schema_has_no_config() {
    let dir = TempDir::new("bridge-noschema");
    dir.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "p.rego",
        "package p\n\ndeny[msg] {\n    count(data.config.deny) == 0\n    msg := sprintf(\"no config for %s\", [input.__name])\n}\n",
    );
    let pack = load(dir.path());
    assert!(pack.pack.policies[0].meta().config_schema.is_none());
    let stack = bridge_stack();
    let eval = run(&pack, &stack);
    let db = outcomes_on(&eval, &stack, "deny", Some("db"));
    assert_eq!(
        summary(&db),
        [(OutcomeKind::Violation, "no config for db".to_string())]
    );
}

// ---------------------------------------------------------------------------------------------
// conftest directories
// ---------------------------------------------------------------------------------------------

const CONFTEST_MAIN: &str = r#"package main

deny contains msg if {
    some rc in input.resource_changes
    rc.type == "aws_s3_bucket"
    not rc.change.after.tags.Owner
    msg := sprintf("%s has no Owner tag", [rc.address])
}

deny_versioning contains msg if {
    some rc in input.resource_changes
    rc.type == "aws_s3_bucket"
    not rc.change.after.versioning
    msg := sprintf("%s is not versioned", [rc.address])
}

warn contains msg if {
    input.format_version != "1.0"
    msg := sprintf("format %s", [input.format_version])
}

violation contains {"msg": "too many changes", "details": {"n": count(input.resource_changes)}} if {
    count(input.resource_changes) > 1
}

denying contains "not a conftest rule" if true
"#;

const CONFTEST_LEGACY_V0: &str = r#"package legacy

deny[msg] {
    rc := input.resource_changes[_]
    rc.change.actions[_] == "delete"
    msg := sprintf("%s is deleted", [rc.address])
}
"#;

fn plan_document() -> serde_json::Value {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "resource_changes": [
            {"address": "aws_s3_bucket.logs", "type": "aws_s3_bucket", "name": "logs",
             "change": {"actions": ["create"], "after": {"bucket": "logs", "tags": {}}}},
            {"address": "aws_s3_bucket.data", "type": "aws_s3_bucket", "name": "data",
             "change": {"actions": ["update"], "after": {"bucket": "data", "tags": {"Owner": "x"}, "versioning": true}}},
            {"address": "aws_instance.old", "type": "aws_instance", "name": "old",
             "change": {"actions": ["delete"], "after": null}}
        ]
    })
}

fn document_stack() -> Stack {
    Stack {
        source: "plan.json".into(),
        format: "terraform-plan".into(),
        document: Some(Arc::from(plan_document().to_string())),
        ..Stack::default()
    }
}

fn conftest_dir() -> TempDir {
    let dir = TempDir::new("conftest");
    dir.write("policy/main.rego", CONFTEST_MAIN)
        .write("policy/legacy.rego", CONFTEST_LEGACY_V0);
    dir
}

#[test]
fn conftest_main_rules_run_on_the_whole_document() {
    let dir = conftest_dir();
    let policy = dir.join("policy");
    assert_eq!(detect_layout(&policy).unwrap(), Layout::Conftest);
    let pack = load(&policy);
    assert_eq!(pack.layout, Layout::Conftest);
    assert!(pack.needs_document);
    assert_eq!(pack.pack.name, "policy", "the directory's name");
    let mut ids: Vec<&str> = pack
        .pack
        .policies
        .iter()
        .map(|p| p.meta().id.as_str())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "main.deny",
            "main.deny_versioning",
            "main.violation",
            "main.warn"
        ],
        "only `main`, and not `denying`"
    );
    for p in &pack.pack.policies {
        assert_eq!(p.meta().kind, PolicyKind::Stack);
    }
    let stack = document_stack();
    let eval = run(&pack, &stack);
    let deny = outcomes_of(&eval, "main.deny");
    assert_eq!(
        summary(&deny),
        [(
            OutcomeKind::Violation,
            "aws_s3_bucket.logs has no Owner tag".to_string()
        )],
        "{}",
        dump(&eval)
    );
    assert_eq!(deny[0].level, Enforcement::Mandatory);
    assert_eq!(deny[0].resource, None);
    let versioning = outcomes_of(&eval, "main.deny_versioning");
    assert_eq!(
        summary(&versioning),
        [(
            OutcomeKind::Violation,
            "aws_s3_bucket.logs is not versioned".to_string()
        )]
    );
    let warn = outcomes_of(&eval, "main.warn");
    assert_eq!(
        summary(&warn),
        [(OutcomeKind::Violation, "format 1.2".to_string())]
    );
    assert_eq!(warn[0].level, Enforcement::Advisory);
    let violation = outcomes_of(&eval, "main.violation");
    assert_eq!(
        summary(&violation),
        [(OutcomeKind::Violation, "too many changes".to_string())]
    );
    assert_eq!(violation[0].level, Enforcement::Mandatory);
}

#[test]
fn conftest_namespaces_choose_packages() {
    let dir = conftest_dir();
    let policy = dir.join("policy");
    let legacy = load_with(
        &policy,
        &LoadOptions {
            namespaces: vec!["legacy".into()],
            ..LoadOptions::default()
        },
    );
    let ids: Vec<&str> = legacy
        .pack
        .policies
        .iter()
        .map(|p| p.meta().id.as_str())
        .collect();
    assert_eq!(ids, ["legacy.deny"]);
    let legacy_file = legacy
        .modules
        .iter()
        .find(|m| m.path.ends_with("legacy.rego"))
        .unwrap();
    assert!(legacy_file.v0, "the v0 file loads in a conftest directory");
    let stack = document_stack();
    let eval = run(&legacy, &stack);
    assert_eq!(
        summary(&outcomes_of(&eval, "legacy.deny")),
        [(
            OutcomeKind::Violation,
            "aws_instance.old is deleted".to_string()
        )]
    );

    let all = load_with(
        &policy,
        &LoadOptions {
            namespaces: vec!["*".into()],
            ..LoadOptions::default()
        },
    );
    let mut ids: Vec<&str> = all
        .pack
        .policies
        .iter()
        .map(|p| p.meta().id.as_str())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "legacy.deny",
            "main.deny",
            "main.deny_versioning",
            "main.violation",
            "main.warn"
        ]
    );
    let eval = run(&all, &stack);
    assert_eq!(eval.summary.mandatory, 4, "{}", dump(&eval));
    assert_eq!(eval.summary.advisory, 1);

    let both = load_with(
        &policy,
        &LoadOptions {
            namespaces: vec!["main".into(), "legacy".into()],
            ..LoadOptions::default()
        },
    );
    assert_eq!(both.pack.policies.len(), 5);
}

#[test]
fn conftest_rules_without_a_document_are_errors_not_passes() {
    let dir = conftest_dir();
    let pack = load(&dir.join("policy"));
    let stack = Stack::default();
    let eval = run(&pack, &stack);
    let deny = outcomes_of(&eval, "main.deny");
    assert_eq!(deny.len(), 1);
    assert_eq!(deny[0].kind, OutcomeKind::Error);
    assert!(
        deny[0]
            .message
            .as_deref()
            .unwrap()
            .contains("input document was not loaded"),
        "{:?}",
        deny[0].message
    );
    // A document that is not JSON is an error of each whole-document rule, not a pass.
    let stack = Stack {
        document: Some(Arc::new("{\"resource_changes\": [".to_string())),
        ..Stack::default()
    };
    let eval = run(&pack, &stack);
    let deny = outcomes_of(&eval, "main.deny");
    assert_eq!(deny[0].kind, OutcomeKind::Error, "{}", dump(&eval));
    assert!(
        deny[0]
            .message
            .as_deref()
            .unwrap()
            .contains("the input document cannot be read"),
        "{:?}",
        deny[0].message
    );
}

#[test]
fn conftest_findings_naming_a_resource_are_attributed_to_it() {
    let dir = TempDir::new("conftest-attr");
    dir.write(
        "main.rego",
        r#"package main

deny contains {"msg": sprintf("%s is public", [rc.address]), "resource": rc.address} if {
    some rc in input.resource_changes
    rc.change.after.acl == "public-read"
}
"#,
    );
    let pack = load(dir.path());
    let mut stack = stack_of(json!({"resources": [
        {"type": "aws_s3_bucket", "name": "logs", "props": {"acl": "public-read"}},
        {"type": "aws_s3_bucket", "name": "data", "props": {"acl": "private"}}
    ]}));
    let document = json!({"resource_changes": [
        {"address": "aws_s3_bucket.logs", "change": {"after": {"acl": "public-read"}}},
        {"address": "aws_s3_bucket.data", "change": {"after": {"acl": "private"}}}
    ]});
    stack.document = Some(Arc::from(document.to_string()));
    let eval = run(&pack, &stack);
    let deny = outcomes_of(&eval, "main.deny");
    assert_eq!(deny.len(), 1, "{}", dump(&eval));
    assert_eq!(deny[0].resource, Some(0));
    assert_eq!(
        deny[0].message.as_deref(),
        Some("aws_s3_bucket.logs is public")
    );
}
