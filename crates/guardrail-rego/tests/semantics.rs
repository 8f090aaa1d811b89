#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Evaluation semantics of Rego policies through the core engine: config, stack findings,
//! remediation, secrets, unknowns, not-applicable, time limits, runtime errors, scale and
//! determinism.

mod common;

use std::sync::Arc;

use common::*;
use guardrail_core::{Enforcement, EvaluationOptions, FixSafety, Map, OutcomeKind, Stack, Value};
use guardrail_rego::{PULUMI_UNKNOWN, UNKNOWN};
use serde_json::json;

fn policy(id: &str, extra: &str, pkg: &str, body: &str) -> String {
    format!(
        "# METADATA\n# title: Policy {id}\n# description: For the tests.\n# custom:\n#   id: {id}\n#   severity: medium\n{extra}package {pkg}\n\n{body}"
    )
}

fn pack_of(files: &[(&str, String)]) -> TempDir {
    let dir = TempDir::new("semantics");
    dir.write("guardrail-pack.yaml", "name: semantics\n");
    for (rel, text) in files {
        dir.write(rel, text);
    }
    dir
}

fn secret(s: &str) -> Value {
    Value::Secret(Box::new(Value::string(s)))
}

// ---------------------------------------------------------------------------------------------
// Config
// ---------------------------------------------------------------------------------------------

fn size_policy() -> TempDir {
    pack_of(&[(
        "size.rego",
        policy(
            "C-1",
            "#   name: volume-size\n#   enforcement: mandatory\n#   config:\n#     type: object\n#     properties:\n#       max: {type: integer, default: 100}\n#       unit: {type: string, default: GiB}\n",
            "t.size",
            r#"deny contains msg if {
	input.props.size > data.config.max
	msg := sprintf("%s is %d %s, more than %d %s", [input.name, input.props.size, data.config.unit, data.config.max, data.config.unit])
}
"#,
        ),
    )])
}

fn volumes() -> Stack {
    stack_of(json!({"resources": [
        {"type": "aws_ebs_volume", "name": "big", "props": {"size": 500}},
        {"type": "aws_ebs_volume", "name": "small", "props": {"size": 50}}
    ]}))
}

#[test]
fn schema_defaults_reach_data_config_and_overrides_change_the_outcome() {
    let dir = size_policy();
    let pack = load(dir.path());
    let stack = volumes();

    let defaults = run(&pack, &stack);
    assert_eq!(
        summary(&outcomes_on(&defaults, &stack, "C-1", Some("big"))),
        [(
            OutcomeKind::Violation,
            "big is 500 GiB, more than 100 GiB".to_string()
        )]
    );
    assert_eq!(
        outcomes_on(&defaults, &stack, "C-1", Some("small"))[0].kind,
        OutcomeKind::Pass
    );

    // An override by id: a larger max, the other default kept.
    let options = configured("C-1", None, json!({"max": 1000}));
    let raised = eval_with(&pack, &stack, &options);
    assert!(
        outcomes_of(&raised, "C-1")
            .iter()
            .all(|o| o.kind == OutcomeKind::Pass),
        "{}",
        dump(&raised)
    );
    // By name, a smaller max and another unit; and a level.
    let options = configured(
        "volume-size",
        Some(Enforcement::Advisory),
        json!({"max": 10, "unit": "GB"}),
    );
    let lowered = eval_with(&pack, &stack, &options);
    let small = outcomes_on(&lowered, &stack, "C-1", Some("small"));
    assert_eq!(
        summary(&small),
        [(
            OutcomeKind::Violation,
            "small is 50 GB, more than 10 GB".to_string()
        )]
    );
    assert_eq!(small[0].level, Enforcement::Advisory);
    assert!(!small[0].blocking);

    // The same loaded pack, back to its defaults: no config is left over from the last run.
    let again = run(&pack, &stack);
    assert_eq!(defaults.outcomes, again.outcomes);
}

#[test]
fn configs_alternate_on_pooled_engines_without_mixing() {
    let dir = size_policy();
    let pack = load(dir.path());
    let mut resources = Vec::new();
    for i in 0..200 {
        resources.push(
            json!({"type": "aws_ebs_volume", "name": format!("v{i}"), "props": {"size": i * 10}}),
        );
    }
    let stack = stack_of(json!({ "resources": resources }));
    for round in 0..6u64 {
        let max = 100 + round * 300;
        let eval = eval_with(&pack, &stack, &configured("C-1", None, json!({"max": max})));
        for (i, r) in stack.resources.iter().enumerate() {
            let o = outcomes_on(&eval, &stack, "C-1", Some(&r.name));
            let want = if (i as u64) * 10 > max {
                OutcomeKind::Violation
            } else {
                OutcomeKind::Pass
            };
            assert_eq!(o[0].kind, want, "round {round}, {}", r.name);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Stack policies
// ---------------------------------------------------------------------------------------------

const DEPS: &str = r#"deny contains {"msg": sprintf("bucket policy %s depends on no bucket", [r.name]), "resource": r.name} if {
	some r in input.resources
	r.type == "aws_s3_bucket_policy"
	not on_bucket(r)
}

deny contains {"msg": sprintf("bucket %s has no tags", [r.name]), "resource": r.id, "path": "tags"} if {
	some r in input.resources
	r.type == "aws_s3_bucket"
	not r.props.tags
}

deny contains {"msg": "an ambiguous name", "resource": "dup"} if true

deny contains {"msg": "no such resource", "resource": "ghost"} if true

deny contains sprintf("p1's bucket comes from %v in project %s", [r.property_dependencies.bucket, input.stack.project]) if {
	some r in input.resources
	r.name == "p1"
	input.kind == "stack"
}

on_bucket(r) if {
	some d in r.dependencies
	startswith(d, "aws_s3_bucket.")
}
"#;

#[test]
fn stack_findings_are_attributed_by_id_or_unique_name_and_see_dependencies() {
    let dir = pack_of(&[(
        "deps.rego",
        policy("S-1", "#   kind: stack\n", "t.deps", DEPS),
    )]);
    let pack = load(dir.path());
    let mut stack = stack_of(json!({"resources": [
        {"type": "aws_s3_bucket", "name": "logs", "props": {"tags": {"a": "b"}}},
        {"type": "aws_s3_bucket_policy", "name": "p1", "dependencies": ["logs"],
         "propertyDependencies": {"bucket": ["logs"]}, "props": {}},
        {"type": "aws_s3_bucket_policy", "name": "p2", "props": {}},
        {"type": "aws_s3_bucket", "name": "untagged", "props": {}},
        {"type": "aws_s3_bucket", "name": "dup", "props": {"tags": {}}},
        {"type": "aws_sqs_queue", "name": "dup", "props": {}}
    ]}));
    stack.project = Some("shop".into());
    let eval = run(&pack, &stack);
    let mut found: Vec<(Option<String>, String, Option<String>)> = outcomes_of(&eval, "S-1")
        .iter()
        .map(|o| {
            assert_eq!(o.kind, OutcomeKind::Violation);
            (
                o.resource.map(|i| stack.resources[i].name.clone()),
                o.message.clone().unwrap(),
                o.path.clone(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            (None, "an ambiguous name".to_string(), None),
            (None, "no such resource".to_string(), None),
            (
                None,
                "p1's bucket comes from [\"aws_s3_bucket.logs\"] in project shop".to_string(),
                None
            ),
            (
                Some("p2".to_string()),
                "bucket policy p2 depends on no bucket".to_string(),
                None
            ),
            (
                Some("untagged".to_string()),
                "bucket untagged has no tags".to_string(),
                Some("tags".to_string())
            ),
        ],
        "{}",
        dump(&eval)
    );
}

#[test]
fn bridge_stack_rules_attribute_findings_by_name() {
    let dir = TempDir::new("bridge-stack");
    dir.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "s.rego",
        r#"package s

stack_deny_public[{"msg": sprintf("%s is public", [r.__name]), "resource": r.__name}] {
    r := input.resources[_]
    r.acl == "public-read"
}

stack_deny_urn[{"msg": "by urn", "resource": r.__urn}] {
    r := input.resources[_]
    r.__name == "b"
}
"#,
    );
    let pack = load(dir.path());
    let stack = stack_of(json!({"resources": [
        {"type": "aws:s3/bucket:Bucket", "name": "a", "props": {"acl": "public-read"}},
        {"type": "aws:s3/bucket:Bucket", "name": "b", "props": {"acl": "private"}}
    ]}));
    let eval = run(&pack, &stack);
    let public = outcomes_of(&eval, "stack_deny_public");
    assert_eq!(public.len(), 1, "{}", dump(&eval));
    assert_eq!(public[0].resource, Some(0));
    assert_eq!(public[0].message.as_deref(), Some("a is public"));
    let urn = outcomes_of(&eval, "stack_deny_urn");
    assert_eq!(urn[0].resource, Some(1));
}

// ---------------------------------------------------------------------------------------------
// Remediation and secrets
// ---------------------------------------------------------------------------------------------

const OWNER: &str = r#"tags := t if {
	t := input.props.tags
	is_object(t)
} else := {}

deny contains msg if {
	not tags.owner
	msg := sprintf("`%s` has no owner tag", [input.name])
}

remediate := object.union(input.props, {"tags": object.union(tags, {"owner": data.config.owner})}) if {
	not tags.owner
}
"#;

fn owner_pack() -> TempDir {
    pack_of(&[
        (
            "a_owner.rego",
            policy(
                "R-1",
                "#   enforcement: remediate\n#   config:\n#     type: object\n#     properties:\n#       owner: {type: string, default: platform}\n",
                "t.owner",
                OWNER,
            ),
        ),
        (
            "b_bad_fix.rego",
            policy(
                "R-2",
                "#   enforcement: remediate\n#   fix: unsafe\n",
                "t.bad_fix",
                r#"deny contains "too small" if input.props.size < 10

remediate := object.union(input.props, {"size": 5}) if input.props.size < 10
"#,
            ),
        ),
        (
            "c_not_object.rego",
            policy(
                "R-3",
                "#   enforcement: remediate\n",
                "t.not_object",
                "deny contains \"never\" if false\n\nremediate := \"oops\" if input.props.broken\n",
            ),
        ),
    ])
}

#[test]
fn remediation_is_applied_keeps_secrets_and_unknowns_and_the_fixed_resource_passes() {
    let dir = owner_pack();
    let pack = load(dir.path());
    let fixes: Vec<FixSafety> = pack.pack.policies.iter().map(|p| p.meta().fix).collect();
    assert_eq!(fixes, [FixSafety::Safe, FixSafety::Unsafe, FixSafety::Safe]);

    let mut stack = stack_of(json!({"resources": [
        {"type": "aws_db_instance", "name": "db",
         "props": {"size": 20, "tags": {"env": "prod"}, "arn": "<unknown>"}},
        {"type": "aws_db_instance", "name": "owned", "props": {"size": 20, "tags": {"owner": "x"}}}
    ]}));
    stack.resources[0]
        .props
        .set("password", secret("hunter2-is-long"));
    let eval = run(&pack, &stack);
    assert_eq!(eval.remediations.len(), 1, "{}", dump(&eval));
    let fix = &eval.remediations[0];
    assert_eq!(fix.resource, 0);
    assert_eq!(fix.policies, [policy_index(&eval, "R-1")]);
    let mut want = Map::new();
    want.insert("arn", Value::Unknown);
    want.insert("password", secret("hunter2-is-long"));
    want.insert("size", Value::from(20i64));
    let mut tags = Map::new();
    tags.insert("env", Value::string("prod"));
    tags.insert("owner", Value::string("platform"));
    want.insert("tags", Value::Object(tags));
    let got = fix.props.as_object().unwrap();
    let mut got_keys: Vec<&str> = got.keys().map(|k| k.as_str()).collect();
    got_keys.sort();
    assert_eq!(got_keys, ["arn", "password", "size", "tags"]);
    for (k, v) in want.iter() {
        assert_eq!(got.get(k), Some(v), "{k}");
    }
    assert!(got.get("password").unwrap().is_secret());

    let db = outcomes_on(&eval, &stack, "R-1", Some("db"));
    assert_eq!(db.len(), 1);
    assert_eq!(db[0].kind, OutcomeKind::Pass);
    assert!(db[0].remediated);
    assert_eq!(
        db[0].message.as_deref(),
        Some("would fix: `db` has no owner tag")
    );
    let owned = outcomes_on(&eval, &stack, "R-1", Some("owned"));
    assert_eq!(owned[0].kind, OutcomeKind::Pass);
    assert!(!owned[0].remediated);
    assert!(!eval.remediations.iter().any(|r| r.resource == 1));

    // The config reaches the fix.
    let eval = eval_with(
        &pack,
        &stack,
        &configured("R-1", None, json!({"owner": "data"})),
    );
    let tags = eval.remediations[0].props.get("tags").unwrap();
    assert_eq!(tags.get("owner"), Some(&Value::string("data")));

    // Below remediate, nothing is fixed and the violation stands.
    let eval = eval_with(&pack, &stack, &all_at(Enforcement::Advisory));
    assert!(eval.remediations.is_empty());
    let db = outcomes_on(&eval, &stack, "R-1", Some("db"));
    assert_eq!(db[0].kind, OutcomeKind::Violation);
}

#[test]
fn a_fix_that_does_not_help_blocks_and_a_bad_fix_is_an_error() {
    let dir = owner_pack();
    let pack = load(dir.path());
    let stack = stack_of(json!({"resources": [
        {"type": "aws_db_instance", "name": "tiny", "props": {"size": 1, "tags": {"owner": "x"}}},
        {"type": "aws_db_instance", "name": "broken", "props": {"size": 20, "tags": {"owner": "x"}, "broken": true}}
    ]}));
    let eval = run(&pack, &stack);
    let tiny = outcomes_on(&eval, &stack, "R-2", Some("tiny"));
    assert_eq!(
        summary(&tiny),
        [(OutcomeKind::Violation, "too small".to_string())]
    );
    assert!(tiny[0].remediated);
    assert_eq!(tiny[0].level, Enforcement::Mandatory);
    assert!(tiny[0].blocking);
    assert_eq!(
        eval.remediations[0].props.get("size"),
        Some(&Value::from(5i64))
    );

    let broken = outcomes_on(&eval, &stack, "R-3", Some("broken"));
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].kind, OutcomeKind::Error);
    assert_eq!(
        broken[0].message.as_deref(),
        Some("remediation failed: `remediate` must give the fixed props as an object, not oops")
    );
    assert!(!eval.remediations.iter().any(|r| r.resource == 1));
}

#[test]
fn secret_plaintext_in_messages_and_paths_is_redacted() {
    let dir = pack_of(&[(
        "leak.rego",
        policy(
            "L-1",
            "#   enforcement: mandatory\n#   secrets: true\n",
            "t.leak",
            r#"deny contains {"msg": sprintf("the password of %s is %s; %s, %s, %s", [input.name, input.props.password, substring(input.props.password, 2, 9), base64.encode(input.props.password), upper(input.props.password)]), "path": sprintf("password.%s", [split(input.props.password, "-")[1]])} if {
	count(input.props.password) < 40
}
"#,
        ),
    )]);
    let pack = load(dir.path());
    let mut stack = stack_of(json!({"resources": [
        {"type": "aws_db_instance", "name": "db", "props": {}}
    ]}));
    stack.resources[0]
        .props
        .set("password", secret("s3cr3t-Pa55w0rd"));
    let eval = run(&pack, &stack);
    let db = outcomes_on(&eval, &stack, "L-1", Some("db"));
    assert_eq!(db.len(), 1, "{}", dump(&eval));
    assert_eq!(
        db[0].kind,
        OutcomeKind::Violation,
        "the policy saw the plaintext"
    );
    assert_eq!(
        db[0].message.as_deref(),
        Some("the password of db is [secret]; [secret], [secret], [secret]")
    );
    assert_eq!(db[0].path.as_deref(), Some("password.[secret]"));

    // The same through the OPA bridge, where a rule's METADATA asks for secrets.
    let bridge = TempDir::new("bridge-leak");
    bridge.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "leak.rego",
        "package leak\n\n# METADATA\n# custom:\n#   secrets: true\ndeny_leak[msg] {\n    msg := sprintf(\"the password is %s\", [input.password])\n}\n\ndeny_blind[msg] {\n    msg := sprintf(\"the password is %s\", [input.password])\n}\n",
    );
    let pack = load(bridge.path());
    let eval = run(&pack, &stack);
    let db = outcomes_on(&eval, &stack, "deny_leak", Some("db"));
    assert_eq!(db[0].message.as_deref(), Some("the password is [secret]"));
    let db = outcomes_on(&eval, &stack, "deny_blind", Some("db"));
    assert_eq!(
        db[0].message.as_deref(),
        Some("the password is [secret string]"),
        "without asking, the policy sees a marker that names the type"
    );
}

#[test]
fn policies_that_do_not_ask_see_secret_markers_and_fixes_keep_secrets() {
    let dir = pack_of(&[(
        "blind.rego",
        policy(
            "B-1",
            "#   enforcement: remediate\n",
            "t.blind",
            r#"deny contains sprintf("saw %s and %v", [input.props.password, input.props.port]) if {
	input.props.password == "[secret string]"
	input.props.port == "[secret number]"
}

remediate := object.union(input.props, {"copy": input.props.password, "note": "fixed"})
"#,
        ),
    )]);
    let pack = load(dir.path());
    let mut stack = stack_of(json!({"resources": [
        {"type": "aws_db_instance", "name": "db", "props": {}}
    ]}));
    stack.resources[0]
        .props
        .set("password", secret("s3cr3t-Pa55w0rd"));
    stack.resources[0]
        .props
        .set("port", Value::Secret(Box::new(Value::from(5432i64))));
    let eval = run(&pack, &stack);
    let db = outcomes_on(&eval, &stack, "B-1", Some("db"));
    assert_eq!(db.len(), 1, "{}", dump(&eval));
    assert_eq!(
        db[0].message.as_deref(),
        Some("saw [secret string] and [secret number]"),
        "{}",
        dump(&eval)
    );
    let fixed = &eval.remediations[0].props;
    assert_eq!(fixed.get("password"), Some(&secret("s3cr3t-Pa55w0rd")));
    assert!(fixed.get("copy").is_some_and(Value::is_secret));
    assert_eq!(fixed.get("note"), Some(&Value::string("fixed")));
}

// ---------------------------------------------------------------------------------------------
// Unknowns and not applicable
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_values_show_the_marker_and_their_paths() {
    let dir = pack_of(&[(
        "echo.rego",
        policy(
            "U-1",
            "",
            "t.echo",
            "deny contains json.marshal([input.props.arn, input.props.ports[1], input.props.tags.Name, sort(input.unknown)]) if true\n",
        ),
    )]);
    let pack = load(dir.path());
    let stack = stack_of(json!({"resources": [
        {"type": "aws_instance", "name": "web",
         "props": {"arn": "<unknown>", "ports": [22, "<unknown>"], "tags": {"Name": "<unknown>", "env": "x"}}}
    ]}));
    let eval = run(&pack, &stack);
    let web = outcomes_on(&eval, &stack, "U-1", Some("web"));
    let marker = UNKNOWN;
    assert_eq!(
        web[0].message.as_deref().unwrap(),
        format!("[\"{marker}\",\"{marker}\",\"{marker}\",[\"arn\",\"ports[1]\",\"tags.Name\"]]")
    );
    assert_eq!(UNKNOWN, "(known after apply)");

    // The bridge passes Pulumi's own sentinel.
    let bridge = TempDir::new("bridge-unknown");
    bridge.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "u.rego",
        "package u\n\ndeny_unknown[msg] {\n    input.arn == \"04da6b54-80e4-46f7-96ec-b56ff0331ba9\"\n    msg := sprintf(\"%s: arn unknown, port %v\", [input.__name, input.ports[1]])\n}\n",
    );
    let pack = load(bridge.path());
    let eval = run(&pack, &stack);
    let web = outcomes_on(&eval, &stack, "deny_unknown", Some("web"));
    assert_eq!(
        web[0].message.as_deref().unwrap(),
        format!("web: arn unknown, port {PULUMI_UNKNOWN}")
    );
}

const ACL: &str = r#"deny contains {"msg": sprintf("%s is public", [input.name]), "path": "acl"} if input.props.acl == "public-read"

indeterminate contains "acl" if "acl" in input.unknown

not_applicable := sprintf("%s is a website bucket", [input.name]) if input.props.website
"#;

#[test]
fn indeterminate_and_not_applicable_rules_give_their_outcomes() {
    let dir = pack_of(&[
        (
            "acl.rego",
            policy("I-1", "#   enforcement: mandatory\n", "t.acl", ACL),
        ),
        (
            "na.rego",
            policy(
                "N-1",
                "",
                "t.na",
                "deny contains \"x\" if input.props.bad\n\nnot_applicable if input.props.skip\n",
            ),
        ),
    ]);
    let pack = load(dir.path());
    let stack = stack_of(json!({"resources": [
        {"type": "aws_s3_bucket", "name": "public", "props": {"acl": "public-read"}},
        {"type": "aws_s3_bucket", "name": "later", "props": {"acl": "<unknown>"}},
        {"type": "aws_s3_bucket", "name": "site", "props": {"acl": "private", "website": true, "skip": true}},
        {"type": "aws_s3_bucket", "name": "private", "props": {"acl": "private"}},
        {"type": "aws_s3_bucket", "name": "both", "props": {"acl": "public-read", "website": true, "bad": true, "skip": true}}
    ]}));
    let eval = run(&pack, &stack);
    let on = |name: &str, id: &str| {
        let o = outcomes_on(&eval, &stack, id, Some(name));
        assert_eq!(o.len(), 1, "{name} {id}: {}", dump(&eval));
        (o[0].kind, o[0].message.clone(), o[0].path.clone())
    };
    assert_eq!(
        on("later", "I-1"),
        (
            OutcomeKind::Indeterminate,
            Some("`acl` is known only after apply; the policy cannot decide yet".into()),
            Some("acl".into())
        )
    );
    assert_eq!(
        on("site", "I-1"),
        (
            OutcomeKind::NotApplicable,
            Some("site is a website bucket".into()),
            None
        )
    );
    assert_eq!(
        on("site", "N-1"),
        (
            OutcomeKind::NotApplicable,
            Some("the policy does not apply".into()),
            None
        )
    );
    assert_eq!(on("private", "I-1").0, OutcomeKind::Pass);
    assert_eq!(on("public", "I-1").0, OutcomeKind::Violation);
    // A violation wins over not_applicable.
    assert_eq!(on("both", "I-1").0, OutcomeKind::Violation);
    assert_eq!(on("both", "N-1").0, OutcomeKind::Violation);

    // Indeterminate blocks only in strict mode, under mandatory.
    let later = outcomes_on(&eval, &stack, "I-1", Some("later"));
    assert!(!later[0].blocking);
    let strict = eval_with(
        &pack,
        &stack,
        &EvaluationOptions {
            strict: true,
            ..EvaluationOptions::default()
        },
    );
    let later = outcomes_on(&strict, &stack, "I-1", Some("later"));
    assert!(later[0].blocking);
}

#[test]
fn stack_policy_indeterminate_when_nothing_is_denied() {
    let dir = pack_of(&[(
        "s.rego",
        policy(
            "SI-1",
            "#   kind: stack\n",
            "t.s",
            r#"deny contains r.name if {
	some r in input.resources
	r.props.public == true
}

indeterminate contains sprintf("%s.public", [r.name]) if {
	some r in input.resources
	"public" in r.unknown
}
"#,
        ),
    )]);
    let pack = load(dir.path());
    let stack = stack_of(json!({"resources": [
        {"type": "aws_s3_bucket", "name": "a", "props": {"public": "<unknown>"}}
    ]}));
    let eval = run(&pack, &stack);
    let o = outcomes_on(&eval, &stack, "SI-1", None);
    assert_eq!(o.len(), 1);
    assert_eq!(o[0].kind, OutcomeKind::Indeterminate);
    assert_eq!(o[0].path.as_deref(), Some("a.public"));
}

#[test]
fn stack_policy_leaves_named_resources_undecided_beside_violations() {
    let dir = pack_of(&[(
        "s.rego",
        policy(
            "SI-2",
            "#   kind: stack\n",
            "t.s",
            r#"deny contains {"msg": sprintf("%s is public", [r.name]), "resource": r.name} if {
	some r in input.resources
	r.props.public == true
}

indeterminate contains {"path": "public", "resource": r.id} if {
	some r in input.resources
	"public" in r.unknown
}
"#,
        ),
    )]);
    let pack = load(dir.path());
    let stack = stack_of(json!({"resources": [
        {"type": "aws_s3_bucket", "name": "a", "props": {"public": "<unknown>"}},
        {"type": "aws_s3_bucket", "name": "b", "props": {"public": true}},
        {"type": "aws_s3_bucket", "name": "c", "props": {"public": "<unknown>"}},
        {"type": "aws_s3_bucket", "name": "d", "props": {"public": false}}
    ]}));
    let eval = run(&pack, &stack);
    let kind_on = |name: &str| -> Vec<OutcomeKind> {
        outcomes_on(&eval, &stack, "SI-2", Some(name))
            .iter()
            .map(|o| o.kind)
            .collect()
    };
    assert_eq!(kind_on("a"), vec![OutcomeKind::Indeterminate]);
    assert_eq!(kind_on("b"), vec![OutcomeKind::Violation]);
    assert_eq!(kind_on("c"), vec![OutcomeKind::Indeterminate]);
    assert!(kind_on("d").is_empty());
    assert!(outcomes_on(&eval, &stack, "SI-2", None).is_empty());
    let a = outcomes_on(&eval, &stack, "SI-2", Some("a"));
    assert_eq!(a[0].path.as_deref(), Some("public"));
}

// ---------------------------------------------------------------------------------------------
// Time limits and runtime errors
// ---------------------------------------------------------------------------------------------

#[test]
fn a_looping_policy_is_stopped_at_its_time_limit_and_the_others_still_run() {
    let dir = pack_of(&[
        (
            "a_slow.rego",
            policy(
                "T-SLOW",
                "#   enforcement: mandatory\n",
                "t.slow",
                r#"deny contains msg if {
	input.props.loop
	n := count([x | some i in numbers.range(1, 5000); some j in numbers.range(1, 5000); x := i * j])
	msg := sprintf("%d", [n])
}
"#,
            ),
        ),
        (
            "b_fast.rego",
            policy(
                "T-FAST",
                "#   enforcement: mandatory\n",
                "t.fast",
                "deny contains \"port 22\" if input.props.port == 22\n",
            ),
        ),
    ]);
    let pack = load_with(dir.path(), &limit(200));
    let stack = stack_of(json!({"resources": [
        {"type": "aws_instance", "name": "loops", "props": {"loop": true, "port": 22}},
        {"type": "aws_instance", "name": "calm", "props": {"loop": false, "port": 443}},
        {"type": "aws_instance", "name": "loops2", "props": {"loop": true, "port": 443}}
    ]}));
    let start = std::time::Instant::now();
    let eval = run(&pack, &stack);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "the limit stopped the loops"
    );
    for name in ["loops", "loops2"] {
        let slow = outcomes_on(&eval, &stack, "T-SLOW", Some(name));
        assert_eq!(
            summary(&slow),
            [(
                OutcomeKind::Error,
                "the policy ran longer than its time limit of 200ms and was stopped (raise it with --rego-timeout)".to_string()
            )],
            "{}",
            dump(&eval)
        );
        assert!(!slow[0].blocking);
    }
    // The same policy still evaluates other resources (its engine is not left broken).
    assert_eq!(
        outcomes_on(&eval, &stack, "T-SLOW", Some("calm"))[0].kind,
        OutcomeKind::Pass
    );
    assert_eq!(
        summary(&outcomes_on(&eval, &stack, "T-FAST", Some("loops"))),
        [(OutcomeKind::Violation, "port 22".to_string())]
    );
    assert_eq!(
        outcomes_on(&eval, &stack, "T-FAST", Some("loops2"))[0].kind,
        OutcomeKind::Pass
    );
    assert_eq!(eval.summary.errors, 2);
    assert!(eval.has_errors());
}

#[test]
fn runtime_errors_are_error_outcomes_with_their_location() {
    let body = |expr: &str| {
        format!("deny contains msg if {{\n\tx := {expr}\n\tmsg := sprintf(\"%v\", [x])\n}}\n")
    };
    let dir = pack_of(&[
        (
            "a.rego",
            policy("E-NUM", "", "t.num", &body("to_number(input.props.n)")),
        ),
        (
            "b.rego",
            policy("E-DIV", "", "t.div", &body("10 / input.props.zero")),
        ),
        (
            "c.rego",
            policy(
                "E-CONFLICT",
                "",
                "t.conflict",
                "v := input.props.a\n\nv := input.props.b\n\ndeny contains v if true\n",
            ),
        ),
        (
            "d.rego",
            policy(
                "E-OK",
                "",
                "t.ok",
                "deny contains \"fine\" if input.props.n == \"x\"\n",
            ),
        ),
    ]);
    let pack = load(dir.path());
    let stack = stack_of(json!({"resources": [
        {"type": "aws_instance", "name": "web", "props": {"n": "x", "zero": 0, "a": 1, "b": 2}}
    ]}));
    let eval = run(&pack, &stack);
    let err = |id: &str| {
        let o = outcomes_of(&eval, id);
        assert_eq!(o.len(), 1, "{}", dump(&eval));
        assert_eq!(o[0].kind, OutcomeKind::Error, "{id}: {}", dump(&eval));
        assert!(!o[0].blocking);
        o[0].message.clone().unwrap()
    };
    let num = err("E-NUM");
    assert!(num.contains("could not parse string as number"), "{num}");
    assert!(
        num.starts_with(&format!("{}:10:", dir.join("a.rego").display())),
        "{num}"
    );
    let div = err("E-DIV");
    assert!(div.contains("divide by zero"), "{div}");
    assert!(
        div.starts_with(&format!("{}:10:", dir.join("b.rego").display())),
        "{div}"
    );
    let conflict = err("E-CONFLICT");
    let c = dir.join("c.rego").display().to_string();
    assert_eq!(
        conflict,
        format!("{c}:11:1: rule conflicts with rule at {c}:9:1")
    );
    assert_eq!(
        summary(&outcomes_of(&eval, "E-OK")),
        [(OutcomeKind::Violation, "fine".to_string())]
    );
    assert_eq!(eval.summary.errors, 3);
}

// ---------------------------------------------------------------------------------------------
// Scale and determinism
// ---------------------------------------------------------------------------------------------

#[test]
fn many_resources_evaluate_correctly_and_deterministically() {
    let dir = pack_of(&[
        (
            "a_tags.rego",
            policy(
                "M-1",
                "#   enforcement: mandatory\n#   resource_types: [aws_s3_bucket]\n",
                "t.tags",
                "deny contains sprintf(\"%s has no owner\", [input.name]) if not input.props.tags.owner\n",
            ),
        ),
        (
            "b_size.rego",
            policy(
                "M-2",
                "",
                "t.size",
                "deny contains sprintf(\"%s: %d > 1000\", [input.name, input.props.size]) if input.props.size > 1000\n\nnot_applicable := \"no size\" if not input.props.size\n",
            ),
        ),
        (
            "c_count.rego",
            policy(
                "M-3",
                "#   kind: stack\n",
                "t.count",
                "deny contains sprintf(\"%d buckets\", [count([r | some r in input.resources; r.type == \"aws_s3_bucket\"])]) if true\n",
            ),
        ),
    ]);
    let pack = load(dir.path());
    // Evaluation needs none of the pack's files: everything was parsed and prepared at load.
    std::fs::remove_dir_all(dir.path()).unwrap();

    let n = 2000usize;
    let resources: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            if i % 2 == 0 {
                let tags = if i % 4 == 0 { json!({"owner": "x"}) } else { json!({}) };
                json!({"type": "aws_s3_bucket", "name": format!("b{i}"), "props": {"tags": tags, "size": i}})
            } else {
                json!({"type": "aws_instance", "name": format!("i{i}"), "props": {}})
            }
        })
        .collect();
    let stack = stack_of(json!({ "resources": resources }));
    let first = run(&pack, &stack);
    let m1 = policy_index(&first, "M-1");
    let m2 = policy_index(&first, "M-2");
    let m3 = policy_index(&first, "M-3");
    for (ri, r) in stack.resources.iter().enumerate() {
        let here: Vec<_> = first
            .outcomes
            .iter()
            .filter(|o| o.resource == Some(ri))
            .collect();
        let kind_of = |pi: usize| {
            let o: Vec<_> = here.iter().filter(|o| o.policy == pi).collect();
            assert!(o.len() <= 1, "{}", r.name);
            o.first()
                .map(|o| (o.kind, o.message.clone().unwrap_or_default()))
        };
        if ri % 2 == 0 {
            let want_tags = if ri % 4 == 0 {
                (OutcomeKind::Pass, String::new())
            } else {
                (OutcomeKind::Violation, format!("{} has no owner", r.name))
            };
            assert_eq!(kind_of(m1), Some(want_tags), "{}", r.name);
            let want_size = if ri > 1000 {
                (OutcomeKind::Violation, format!("{}: {ri} > 1000", r.name))
            } else {
                (OutcomeKind::Pass, String::new())
            };
            assert_eq!(kind_of(m2), Some(want_size), "{}", r.name);
        } else {
            assert_eq!(kind_of(m1), None, "{}: not a bucket", r.name);
            assert_eq!(
                kind_of(m2),
                Some((OutcomeKind::NotApplicable, "no size".to_string())),
                "{}",
                r.name
            );
        }
    }
    let stack_level: Vec<_> = first
        .outcomes
        .iter()
        .filter(|o| o.resource.is_none())
        .collect();
    assert_eq!(stack_level.len(), 1);
    assert_eq!(stack_level[0].policy, m3);
    assert_eq!(stack_level[0].message.as_deref(), Some("1000 buckets"));
    assert_eq!(first.summary.resources, n);
    assert_eq!(first.outcomes.len(), 1000 + 2000 + 1);
    assert_eq!(first.summary.mandatory, 500);

    let second = run(&pack, &stack);
    assert_eq!(first.outcomes, second.outcomes, "deterministic outcomes");
    assert_eq!(first.summary, second.summary);
    assert_eq!(first.policies, second.policies);
}

#[test]
fn conftest_rules_give_the_same_answer_on_repeated_documents() {
    let dir = TempDir::new("conftest-repeat");
    dir.write(
        "main.rego",
        "package main\n\ndeny contains sprintf(\"%d changes\", [count(input.resource_changes)]) if true\n",
    );
    let pack = load(dir.path());
    for n in [1usize, 3, 3, 2] {
        let changes: Vec<_> = (0..n)
            .map(|i| json!({"address": format!("a.b{i}")}))
            .collect();
        let stack = Stack {
            document: Some(Arc::from(
                json!({ "resource_changes": changes }).to_string(),
            )),
            ..Stack::default()
        };
        let eval = run(&pack, &stack);
        assert_eq!(
            summary(&outcomes_of(&eval, "main.deny")),
            [(OutcomeKind::Violation, format!("{n} changes"))]
        );
    }
}
