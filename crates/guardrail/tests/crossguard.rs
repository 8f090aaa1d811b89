//! Existing CrossGuard packs run by `guardrail check --pack DIR`, with the real SDKs: the
//! Python pack (`pulumi-policy`) and the TypeScript pack (`@pulumi/policy`) of
//! `examples/crossguard` find what the built-in rules they mirror find, on a stack export and
//! on a Terraform plan of the same resources; a pack sees what it sees under Pulumi (numbers as
//! doubles, secrets, unknowns, config, stack tags, `PULUMI_*`); hostile packs are errors that
//! name them, never a hang; AWSGuard runs on the corpus's Pulumi states without an error.
//!
//! The SDKs come from `.ci/run` (GUARDRAIL_CROSSGUARD_PYTHON, GUARDRAIL_CROSSGUARD_NODE_MODULES);
//! without them a test prints `skipped (no ...)` and passes, unless CI is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{root, run_with, Output, TempDir};
use serde_json::Value as Json;

const PYTHON_PACK: &str = "examples/crossguard/python";
const TS_PACK: &str = "examples/crossguard/typescript";
const AWSGUARD_PACK: &str = "examples/crossguard/awsguard";
const EXPORT: &str = "examples/crossguard/stack-export.json";
const PLAN: &str = "examples/crossguard/terraform-plan.json";
/// The seed example's preview: an unknown bucket name, found through property dependencies.
const PREVIEW: &str = "examples/plans/pulumi-preview.json";

/// Each pack policy and the built-in rule it mirrors.
const PAIRS: [(&str, &str); 4] = [
    ("dangerous-ports", "AWS-ELB-001"),
    ("memory-limit", "PLATFORM-001"),
    ("encrypted-buckets", "PLATFORM-002"),
    ("department-tag", "PLATFORM-003"),
];

fn skip(what: &str, test: &str) -> bool {
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {what} is not installed, and CI is set: run .ci/run, which installs it");
    }
    println!("skipped (no {what}): {test}");
    true
}

/// The Python with `pulumi-policy`, when there is one.
fn python() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("GUARDRAIL_CROSSGUARD_PYTHON").map(PathBuf::from),
        Some(root().join(".ci/venv/bin/python")),
    ];
    candidates.into_iter().flatten().find(|p| {
        std::process::Command::new(p)
            .args(["-c", "import pulumi_policy"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The node_modules with `@pulumi/policy` and `@pulumi/awsguard`, when there is one.
fn node_modules() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("GUARDRAIL_CROSSGUARD_NODE_MODULES").map(PathBuf::from),
        Some(root().join("examples/crossguard/node_modules")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("@pulumi/policy").is_dir() && p.join("@pulumi/awsguard").is_dir())
}

/// The environment a run needs to start the packs.
fn env(python: Option<&Path>, modules: Option<&Path>) -> Vec<(String, String)> {
    let mut env = Vec::new();
    if let Some(p) = python {
        env.push(("PULUMI_PYTHON_CMD".into(), p.display().to_string()));
    }
    if let Some(m) = modules {
        env.push(("NODE_PATH".into(), m.display().to_string()));
    }
    env
}

fn guardrail(args: &[&str], env: &[(String, String)]) -> Output {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    run_with(&root(), args, &env)
}

/// The findings of a JSON report, and its remediations as findings of kind `remediated`:
/// (resource, policy, kind, level), each policy named by `name` (its id without the pack's
/// prefix for pack policies; built-in rules as the pack policy that mirrors them).
fn findings_named(
    out: &Output,
    name: &dyn Fn(&str) -> String,
) -> BTreeSet<(String, String, String, String)> {
    let report: Json = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not a JSON report ({e}):\n{out}"));
    let mut got: BTreeSet<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["resource"]["id"].as_str().unwrap_or("").to_string(),
                name(f["policy"].as_str().unwrap()),
                f["kind"].as_str().unwrap().to_string(),
                f["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for r in report["remediations"].as_array().unwrap() {
        for p in r["policies"].as_array().unwrap() {
            got.insert((
                r["resource"].as_str().unwrap().to_string(),
                name(p.as_str().unwrap()),
                "remediated".into(),
                "remediate".into(),
            ));
        }
    }
    got
}

/// The findings of a pack's run.
fn findings(out: &Output) -> BTreeSet<(String, String, String, String)> {
    findings_named(out, &|id| id.rsplit('/').next().unwrap_or(id).to_string())
}

/// What the built-in rules find, with each rule named as the pack policy that mirrors it.
fn native_findings(input: &str) -> BTreeSet<(String, String, String, String)> {
    let out = guardrail(
        &[
            "check",
            input,
            "--select",
            "AWS-ELB-001,PLATFORM",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.code, 1, "{out}");
    findings_named(&out, &|id| {
        PAIRS
            .iter()
            .find(|(_, native)| *native == id)
            .map_or(id, |(pack, _)| *pack)
            .to_string()
    })
}

fn same_findings_as_the_catalog(pack: &str, env: &[(String, String)]) {
    for input in [EXPORT, PLAN, PREVIEW] {
        let out = guardrail(&["check", input, "--pack", pack, "--format", "json"], env);
        assert_eq!(out.code, 1, "{out}");
        let got = findings(&out);
        let want = native_findings(input);
        assert_eq!(got, want, "{pack} on {input}:\n{out}");
        // the mandatory target group, and the tag added to the untagged bucket
        assert!(
            got.iter().any(|(r, p, k, l)| r.contains("checkout")
                && r.contains("db")
                && p == "dangerous-ports"
                && k == "violation"
                && l == "mandatory"),
            "{got:?}"
        );
        assert!(
            got.iter()
                .any(|(r, p, _, _)| r.contains("assets") && p == "department-tag"),
            "{got:?}"
        );
    }
    // the component and the stack policy only exist in the Pulumi spelling
    let out = guardrail(&["check", EXPORT, "--pack", pack, "--format", "json"], env);
    let got = findings(&out);
    assert!(got
        .iter()
        .any(|(_, p, k, l)| p == "memory-limit" && k == "violation" && l == "advisory"));
    assert!(got
        .iter()
        .any(|(r, p, k, l)| r.ends_with("::checkout-assets")
            && p == "encrypted-buckets"
            && k == "violation"
            && l == "mandatory"));
}

#[test]
fn python_pack_finds_what_the_catalog_finds() {
    let Some(python) = python() else {
        skip("pulumi-policy", "python_pack_finds_what_the_catalog_finds");
        return;
    };
    same_findings_as_the_catalog(PYTHON_PACK, &env(Some(&python), None));
}

#[test]
fn typescript_pack_finds_what_the_catalog_finds() {
    let Some(modules) = node_modules() else {
        skip(
            "@pulumi/policy",
            "typescript_pack_finds_what_the_catalog_finds",
        );
        return;
    };
    same_findings_as_the_catalog(TS_PACK, &env(None, Some(&modules)));
}

#[test]
fn the_human_report_shows_pack_findings_with_their_levels_and_fixes() {
    let Some(python) = python() else {
        skip(
            "pulumi-policy",
            "the_human_report_shows_pack_findings_with_their_levels_and_fixes",
        );
        return;
    };
    let env = env(Some(&python), None);
    let fixes = TempDir::new("cg-fixes");
    let fix_file = fixes.join("fixes.json");
    let out = guardrail(
        &[
            "check",
            EXPORT,
            "--pack",
            PYTHON_PACK,
            "--fix-output",
            fix_file.to_str().unwrap(),
        ],
        &env,
    );
    assert_eq!(out.code, 1, "{out}");
    for line in [
        "mandatory     medium    platform-crossguard-python/dangerous-ports  target group `checkout-db` listens on port 5432, an administrative port",
        "advisory      medium    platform-crossguard-python/memory-limit  component `checkout` asks for 2Gi of memory, above the limit of 1Gi",
        "remediate     medium    platform-crossguard-python/department-tag  would fix: `checkout-assets` (aws:s3/bucketV2:BucketV2) is missing the required tag `Department`",
    ] {
        assert!(out.stdout.contains(line), "missing `{line}`:\n{out}");
    }
    // the fix, as the pack made it, in the stack's own spelling; numbers stay integers
    let fixed: Json = serde_json::from_str(&std::fs::read_to_string(&fix_file).unwrap()).unwrap();
    let web = fixed["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"].as_str().unwrap().ends_with("::checkout-web"))
        .unwrap();
    assert_eq!(
        web["props"]["tags"],
        serde_json::json!({"Department": "unassigned"})
    );
    assert_eq!(web["props"]["port"], serde_json::json!(443));
    // config from a policy config file reaches the pack: 5432 allowed, the level lowered
    let config = fixes.join("policy-config.json");
    std::fs::write(
        &config,
        r#"{"dangerous-ports": {"enforcementLevel": "advisory", "ports": [22]}, "department-tag": "disabled"}"#,
    )
    .unwrap();
    let out = guardrail(
        &[
            "check",
            EXPORT,
            "--pack",
            PYTHON_PACK,
            "--policy-config",
            config.to_str().unwrap(),
            "--format",
            "json",
        ],
        &env,
    );
    let got = findings(&out);
    assert!(
        !got.iter()
            .any(|(_, p, _, _)| p == "dangerous-ports" || p == "department-tag"),
        "{got:?}"
    );
}

/// A Python pack that reports what it sees, as violations.
const SPY: &str = r#"
import json, os
from pulumi_policy import EnforcementLevel, PolicyConfigSchema, PolicyPack, ResourceValidationPolicy

def spy(args, report_violation):
    if args.resource_type != "aws:lb/targetGroup:TargetGroup":
        return
    port = args.props["port"]
    report_violation(f"port={port!r} type={type(port).__name__} str22={str(port) == '22'}")
    report_violation(f"password={args.props.get('password')}")
    report_violation("config=" + json.dumps(args.get_config(), sort_keys=True))
    report_violation("tags=" + json.dumps(dict(args.stack_tags), sort_keys=True))
    report_violation("env=" + " ".join(f"{k}={os.environ.get(k)}" for k in
        ["PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN", "PULUMI_ORGANIZATION"]))
    report_violation("pulumi_config=" + os.environ.get("PULUMI_CONFIG", ""))
    if args.props.get("vpcId") == "":
        report_violation("unreachable")

def unknown(args, report_violation):
    if args.resource_type == "aws:lb/targetGroup:TargetGroup" and args.props["vpcId"] == "vpc-1":
        report_violation("vpc-1")

PolicyPack(
    name="spy",
    enforcement_level=EnforcementLevel.ADVISORY,
    policies=[
        ResourceValidationPolicy(name="spy", description="Reports what it sees.", validate=spy,
            config_schema=PolicyConfigSchema(properties={"limit": {"type": "number", "default": 7}})),
        ResourceValidationPolicy(name="unknown", description="Reads an unknown value.", validate=unknown),
    ],
)
"#;

#[test]
fn a_python_pack_sees_what_it_sees_under_pulumi() {
    let Some(python) = python() else {
        skip(
            "pulumi-policy",
            "a_python_pack_sees_what_it_sees_under_pulumi",
        );
        return;
    };
    let dir = TempDir::new("cg-spy");
    dir.write("PulumiPolicy.yaml", "runtime: python\n");
    dir.write("__main__.py", SPY);
    let export = serde_json::json!({
        "version": 3,
        "deployment": {"resources": [
            {"urn": "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod", "type": "pulumi:pulumi:Stack"},
            {"urn": "urn:pulumi:prod::shop::aws:lb/targetGroup:TargetGroup::tg", "custom": true,
             "type": "aws:lb/targetGroup:TargetGroup",
             "inputs": {"port": 22, "vpcId": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                        "password": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                                     "plaintext": "\"hunter2-Correct-Horse\""}}}
        ]}
    });
    let input = dir.join("stack.json");
    std::fs::write(&input, export.to_string()).unwrap();
    let out = guardrail(
        &[
            "audit",
            input.to_str().unwrap(),
            "--pack",
            dir.path(),
            "--format",
            "json",
        ],
        &env(Some(&python), None),
    );
    let report: Json = serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("{out}"));
    let messages: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    let has = |m: &str| messages.iter().any(|x| x.contains(m));
    // a number arrives as a double: `str(port) == "22"` is false, as under Pulumi
    assert!(has("port=22.0 type=float str22=False"), "{messages:#?}");
    // the policy reads the secret's plaintext; the report never shows it
    assert!(has("password=[secret]"), "{messages:#?}");
    assert!(!out.stdout.contains("hunter2"), "{out}");
    // the schema's defaults are the policy's config, a Struct on the wire as under Pulumi
    assert!(has(r#"config={"limit": 7.0}"#), "{messages:#?}");
    // the environment the CLI sets: a stack export is deployed state, not a dry run
    assert!(
        has("env=PULUMI_PROJECT=shop PULUMI_STACK=prod PULUMI_DRY_RUN=false"),
        "{messages:#?}"
    );
    // an unknown value the policy reads: indeterminate, not a pass or a violation
    let unknown: Vec<&Json> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"].as_str().unwrap().ends_with("/unknown"))
        .collect();
    assert_eq!(unknown.len(), 1, "{out}");
    assert_eq!(unknown[0]["kind"], "indeterminate", "{out}");
    assert_eq!(unknown[0]["path"], "vpcId", "{out}");
}

/// A Python pack whose one policy misbehaves as `how` says, beside a well-behaved one.
fn hostile_pack(main_top: &str, validate: &str) -> TempDir {
    let dir = TempDir::new("cg-hostile");
    dir.write("PulumiPolicy.yaml", "runtime: python\nname: hostile\n");
    dir.write(
        "__main__.py",
        &format!(
            r#"
import os, sys, time
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy
{main_top}
def bad(args, report_violation):
{validate}

def good(args, report_violation):
    report_violation("seen " + args.name)

PolicyPack(name="hostile", enforcement_level=EnforcementLevel.MANDATORY, policies=[
    ResourceValidationPolicy(name="bad", description="Misbehaves.", validate=bad),
    ResourceValidationPolicy(name="good", description="Behaves.", validate=good),
])
"#
        ),
    );
    dir
}

#[test]
fn hostile_packs_are_errors_naming_them_never_a_hang() {
    let Some(python) = python() else {
        skip(
            "pulumi-policy",
            "hostile_packs_are_errors_naming_them_never_a_hang",
        );
        return;
    };
    let mut env = env(Some(&python), None);
    env.push(("GUARDRAIL_PACK_START_TIMEOUT".into(), "3".into()));
    env.push(("GUARDRAIL_PACK_CALL_TIMEOUT".into(), "3".into()));
    let check = |dir: &TempDir| {
        let started = Instant::now();
        let out = guardrail(
            &["check", EXPORT, "--pack", dir.path(), "--format", "json"],
            &env,
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "took {:?}:\n{out}",
            started.elapsed()
        );
        out
    };
    // at start: crashes, prints garbage, never prints its port
    for (top, says) in [
        (
            "raise SystemExit('cannot start: bad config')",
            "exited with status 1 before it printed its port",
        ),
        (
            "print('hello from the pack')",
            "printed `hello from the pack` instead of its port",
        ),
        ("time.sleep(600)", "did not print its port within 3 seconds"),
    ] {
        let dir = hostile_pack(top, "    pass");
        let out = check(&dir);
        assert_eq!(out.code, 2, "{out}");
        assert!(out.stderr.contains(dir.path()), "{out}");
        assert!(out.stderr.contains(says), "{out}");
    }
    // while analysing: raises, hangs, dies; each is an error outcome of the pack's policies,
    // the rest of the run completes
    for (validate, says) in [
        ("    raise ValueError('policy bug')", "policy bug"),
        ("    time.sleep(600)", "did not answer within 3 seconds"),
        ("    os._exit(7)", "hostile"),
    ] {
        let dir = hostile_pack("", validate);
        let out = check(&dir);
        assert_eq!(out.code, 2, "{out}");
        let report: Json = serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("{out}"));
        let errors: Vec<&Json> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["kind"] == "error")
            .collect();
        assert!(!errors.is_empty(), "{out}");
        assert!(
            errors
                .iter()
                .any(|e| e["message"].as_str().unwrap().contains(says)),
            "{validate}: {out}"
        );
        // the built-in catalog still ran beside it
        let out = guardrail(
            &[
                "check",
                EXPORT,
                "--pack",
                dir.path(),
                "--select",
                "AWS-ELB-001",
                "--format",
                "json",
            ],
            &env,
        );
        assert!(out.stdout.contains("AWS-ELB-001"), "{out}");
    }
}

#[test]
fn awsguard_runs_on_the_corpus_pulumi_states_without_errors() {
    let Some(modules) = node_modules() else {
        skip(
            "@pulumi/awsguard",
            "awsguard_runs_on_the_corpus_pulumi_states_without_errors",
        );
        return;
    };
    let corpus = std::env::var_os("GUARDRAIL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    if !corpus.is_dir() {
        if std::env::var_os("CI").is_some() {
            panic!("the corpus is not at {}", corpus.display());
        }
        println!("skipped (no corpus): awsguard_runs_on_the_corpus_pulumi_states_without_errors");
        return;
    }
    let mut files = Vec::new();
    let mut stack = vec![corpus.join("pulumi-state")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    // the states guardrail reads (one file of the corpus is an API type, not a state)
    let readable: Vec<String> = files
        .iter()
        .map(|f| f.display().to_string())
        .filter(|f| guardrail(&["audit", f, "--select", "AWS-ELB-001"], &[]).code == 0)
        .collect();
    assert!(readable.len() >= 50, "{}", readable.len());
    let mut args = vec!["audit", "--pack", AWSGUARD_PACK, "--format", "json"];
    args.extend(readable.iter().map(String::as_str));
    // one process per input's stack: each of the 55 states has its own project and stack, and
    // Node.js loading AWSGuard (and the AWS SDK it requires) is most of the time
    let mut env = env(None, Some(&modules));
    env.push(("GUARDRAIL_PACK_PROCESSES".into(), "1".into()));
    let out = guardrail(&args, &env);
    let report: Json = serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("{out}"));
    let summary = &report["summary"];
    assert_eq!(summary["errors"], 0, "{out}");
    assert!(out.code == 0 || out.code == 1, "{out}");
    // AWSGuard's policies did run: the AWS states give findings
    assert!(summary["advisory"].as_u64().unwrap() > 0, "{summary}");
}

#[test]
fn exemptions_and_every_report_take_pack_findings() {
    let Some(python) = python() else {
        skip(
            "pulumi-policy",
            "exemptions_and_every_report_take_pack_findings",
        );
        return;
    };
    let env = env(Some(&python), None);
    let dir = TempDir::new("cg-config");
    let pack = root().join(PYTHON_PACK);
    dir.write(
        "guardrail.toml",
        &format!(
            r#"packs = ["{}"]

[[exemptions]]
policies = ["platform-crossguard-python/dangerous-ports"]
resources = ["*::checkout-db"]
reason = "the database target group is internal"
"#,
            pack.display()
        ),
    );
    let config = dir.join("guardrail.toml");
    let config = config.to_str().unwrap();
    let out = guardrail(
        &["check", EXPORT, "--config", config, "--format", "json"],
        &env,
    );
    // the bucket still blocks; the exempted target group does not
    assert_eq!(out.code, 1, "{out}");
    let got = findings(&out);
    assert!(
        got.iter().any(|(r, p, k, _)| r.ends_with("::checkout-db")
            && p == "dangerous-ports"
            && k == "suppressed"),
        "{got:?}"
    );
    let report: Json = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        report["exemption_summary"]["used"], 1,
        "{}",
        report["exemption_summary"]
    );
    for (format, needle) in [
        ("sarif", "platform-crossguard-python/encrypted-buckets"),
        ("junit", "platform-crossguard-python/encrypted-buckets"),
        ("markdown", "platform-crossguard-python/encrypted-buckets"),
    ] {
        let out = guardrail(
            &["check", EXPORT, "--config", config, "--format", format],
            &env,
        );
        assert_eq!(out.code, 1, "{format}: {out}");
        assert!(out.stdout.contains(needle), "{format}: {out}");
        assert!(
            out.stdout.contains("the database target group is internal") || format == "junit",
            "{format}: {out}"
        );
    }
}

#[test]
fn a_python_pack_runs_with_its_virtualenv() {
    let Some(python) = python() else {
        skip("pulumi-policy", "a_python_pack_runs_with_its_virtualenv");
        return;
    };
    let dir = TempDir::new("cg-venv");
    dir.write(
        "PulumiPolicy.yaml",
        "runtime:\n  name: python\n  options:\n    virtualenv: venv\n",
    );
    std::fs::copy(
        root().join(PYTHON_PACK).join("__main__.py"),
        dir.join("__main__.py"),
    )
    .unwrap();
    // the virtualenv's python: records that it ran, with the arguments Pulumi gives it
    let marker = dir.join("ran-with");
    dir.write(
        "venv/bin/python",
        &format!(
            "#!/bin/sh\necho \"$@\" > '{}'\nexec '{}' \"$@\"\n",
            marker.display(),
            python.display()
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("venv/bin/python"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    // PULUMI_PYTHON_CMD points elsewhere: the pack's own environment wins
    let out = guardrail(
        &["check", EXPORT, "--pack", dir.path(), "--format", "json"],
        &[("PULUMI_PYTHON_CMD".into(), "/nonexistent/python3".into())],
    );
    assert_eq!(out.code, 1, "{out}");
    let args = std::fs::read_to_string(&marker).unwrap();
    assert!(args.starts_with("-u -m pulumi.policy 127.0.0.1:"), "{args}");
    assert!(args.trim_end().ends_with(" ."), "{args}");
    assert!(findings(&out)
        .iter()
        .any(|(_, p, k, _)| p == "dangerous-ports" && k == "violation"));
}

#[test]
fn rule_explains_a_crossguard_policy() {
    let Some(python) = python() else {
        skip("pulumi-policy", "rule_explains_a_crossguard_policy");
        return;
    };
    let env = env(Some(&python), None);
    let out = guardrail(&["rule", "dangerous-ports", "--pack", PYTHON_PACK], &env);
    assert_eq!(out.code, 0, "{out}");
    for line in [
        "# platform-crossguard-python/dangerous-ports `dangerous-ports`: Load-balancer target groups do not forward to administrative ports\n",
        "- pack: `platform-crossguard-python` (CrossGuard pack, `examples/crossguard/python`)",
        "- default enforcement: mandatory",
        "- kind: resource (one resource at a time)",
        "  - `ports` (default `[22,23,3389,5432,3306]`)",
    ] {
        assert!(out.stdout.contains(line), "missing `{line}`:\n{out}");
    }
    let out = guardrail(&["rule", "encrypted-bucket", "--pack", PYTHON_PACK], &env);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("did you mean `encrypted-buckets`?"),
        "{out}"
    );
}
