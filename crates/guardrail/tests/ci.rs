//! CI surfaces as users run them: guardrail.toml, report formats read back by real consumers
//! (the SARIF 2.1.0 schema, Microsoft's SARIF validator, Python's junitparser), exemptions,
//! gating and baselines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{root, temp_dir, write, Output};

use serde_json::{json, Value};

const TF: &str = "examples/plans/terraform-plan.json";
const PULUMI: &str = "examples/plans/pulumi-preview.json";
const SPINE: &str = "AWS-ELB-001,AWS-EC2-001,PLATFORM";
const SECRET: &str = "s3cr3t-Pa55w0rd";

/// Runs guardrail with `today` pinned (exemption expiry), plus `env`.
fn run_with(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut all = vec![("GUARDRAIL_TODAY", "2026-06-01")];
    all.extend_from_slice(env);
    common::run_with(cwd, args, &all)
}

fn run(args: &[&str]) -> Output {
    run_with(&root(), args, &[])
}

fn read_json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn s(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Runs a Python snippet with arguments on the test tools' Python; panics with its output on
/// failure.
fn python(code: &str, args: &[&str], what: &str) -> String {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    common::python(code, &args, what)
}

/// The Terraform example with the plan's JSON changed by `edit`.
fn tf_plan(edit: impl FnOnce(&mut Value)) -> Value {
    let mut plan = read_json(&s(&root().join(TF)));
    edit(&mut plan);
    plan
}

fn change_mut<'a>(plan: &'a mut Value, address: &str) -> &'a mut Value {
    plan["resource_changes"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["address"] == address)
        .unwrap()
}

/// Every report format from one run of a plan.
fn all_reports(dir: &Path, input: &str, extra: &[&str]) -> (Output, [String; 4]) {
    let sarif = s(&dir.join("out.sarif"));
    let junit = s(&dir.join("out.xml"));
    let json = s(&dir.join("report.json"));
    let md = s(&dir.join("pr.md"));
    let (o1, o2, o3, o4) = (
        format!("sarif={sarif}"),
        format!("junit={junit}"),
        format!("json={json}"),
        format!("markdown={md}"),
    );
    let mut args = vec![
        "check", input, "--output", &o1, "--output", &o2, "--output", &o3, "--output", &o4,
    ];
    args.extend_from_slice(extra);
    (run(&args), [sarif, junit, json, md])
}

const EXEMPT_CONFIG: &str = r#"
[[exemptions]]
policies = ["AWS-EC2-001"]
resources = ["aws_security_group.*", "urn:pulumi:*::checkout-admin"]
reason = "bastion is reachable from the office VPN only"
expires = 2027-01-31
approved_by = "alice"
ticket = "SEC-42"

[[exemptions]]
policies = ["AWS-ELB-001"]
resources = ["aws_lb_target_group.ssh"]
reason = "old waiver"
expires = "2026-01-31"

[[exemptions]]
policies = ["AWS-S3-*"]
resources = ["nothing.here"]
reason = "matches nothing"
"#;

#[test]
fn sarif_passes_the_schema_and_microsofts_validator() {
    let validator = root().join(".ci/node_modules/.bin/sarif-multitool-linux");
    assert!(
        validator.exists(),
        "Microsoft's SARIF validator is not installed at {}: run `npm install --prefix .ci --no-save @microsoft/sarif-multitool-linux` from the repository root (.ci/run does this)",
        validator.display()
    );
    let dir = temp_dir();
    let config = write(&dir, "guardrail.toml", EXEMPT_CONFIG);
    // a run in a subdirectory of the repository: URIs from the root under `%SRCROOT%`
    let sub = s(&dir.join("sub.sarif"));
    let out = run_with(
        &root().join("examples/source/terraform"),
        &[
            "check",
            "plan.json",
            "--select",
            SPINE,
            "--output",
            &format!("sarif={sub}"),
        ],
        &[("GITHUB_WORKSPACE", &s(&root()))],
    );
    assert_eq!(out.code, 1, "{out}");
    let log = read_json(&sub);
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uriBaseId"],
        "%SRCROOT%"
    );
    let mut logs = vec![sub];
    for (input, extra) in [
        (TF, vec!["--select", SPINE]),
        (PULUMI, vec!["--select", SPINE, "--config", &config]),
        (TF, vec!["--config", &config]),
        (PULUMI, vec![]),
        // results located in the program's source (`.tf` files), not the input
        (
            "examples/source/terraform/plan.json",
            vec!["--select", SPINE],
        ),
    ] {
        let (out, [sarif, ..]) = all_reports(&dir, input, &extra);
        assert!(out.code == 0 || out.code == 1, "{out}");
        let kept = s(&dir.join(format!("{}.sarif", logs.len())));
        std::fs::copy(&sarif, &kept).unwrap();
        logs.push(kept);
    }
    for sarif in &logs {
        python(
            "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))",
            &[&s(&root().join("docs/schemas/sarif-schema-2.1.0.json")), sarif],
            "the SARIF log does not match the SARIF 2.1.0 schema",
        );
        let log = s(&dir.join("validation.sarif"));
        let _ = std::fs::remove_file(&log);
        let status = Command::new(&validator)
            .args(["validate", sarif, "--output", &log])
            .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&status.stdout);
        assert!(status.status.success(), "{text}");
        let results = read_json(&log);
        let errors: Vec<&Value> = results["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["level"] == "error")
            .collect();
        assert!(
            errors.is_empty(),
            "the SARIF validator reports errors: {text}"
        );
    }
}

#[test]
fn sarif_carries_rules_levels_locations_fingerprints_and_suppressions() {
    let dir = temp_dir();
    let config = write(&dir, "guardrail.toml", EXEMPT_CONFIG);
    let (out, [sarif, _, json, _]) =
        all_reports(&dir, TF, &["--select", SPINE, "--config", &config]);
    assert_eq!(out.code, 1, "{out}");
    let log = read_json(&sarif);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let elb = rules.iter().find(|r| r["id"] == "AWS-ELB-001").unwrap();
    assert_eq!(elb["properties"]["security-severity"], "8.0");
    assert!(elb["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("## Why it matters"));
    assert!(!elb["fullDescription"]["text"].as_str().unwrap().is_empty());
    let results = run["results"].as_array().unwrap();
    let report = read_json(&json);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(results.len(), findings.len());
    for (r, f) in results.iter().zip(findings) {
        assert_eq!(r["ruleId"], f["policy"]);
        let level = match (f["kind"].as_str().unwrap(), f["level"].as_str().unwrap()) {
            ("indeterminate", _) => "note",
            (_, "mandatory") => "error",
            (_, "advisory") => "warning",
            other => panic!("{other:?}"),
        };
        assert_eq!(r["level"], level);
        assert_eq!(
            r["partialFingerprints"]["guardrailFinding/v1"],
            f["fingerprint"]
        );
        let loc = &r["locations"][0];
        assert_eq!(loc["physicalLocation"]["artifactLocation"]["uri"], TF);
        assert_eq!(
            loc["physicalLocation"]["region"]["startLine"],
            f["resource"]["line"]
        );
        assert_eq!(
            loc["logicalLocations"][0]["fullyQualifiedName"],
            f["resource"]["id"]
        );
        assert_eq!(r["suppressions"].is_array(), f["kind"] == "suppressed");
    }
    let suppressed = results
        .iter()
        .find(|r| r["ruleId"] == "AWS-EC2-001")
        .unwrap();
    assert_eq!(
        suppressed["suppressions"][0]["justification"],
        "bastion is reachable from the office VPN only"
    );
    assert_eq!(suppressed["level"], "error");
    // The expired waiver no longer applies: the target group still blocks.
    let elb_result = results
        .iter()
        .find(|r| r["ruleId"] == "AWS-ELB-001" && r["level"] == "error")
        .unwrap();
    assert!(elb_result.get("suppressions").is_none());
}

#[test]
fn junit_reads_back_with_junitparser_and_the_right_counts() {
    let dir = temp_dir();
    let config = write(&dir, "guardrail.toml", EXEMPT_CONFIG);
    for (input, extra) in [
        (TF, vec!["--select", SPINE, "--config", &config]),
        (PULUMI, vec!["--select", SPINE, "--config", &config]),
        (TF, vec![]),
    ] {
        let (out, [_, junit, json, _]) = all_reports(&dir, input, &extra);
        assert!(out.code == 0 || out.code == 1, "{out}");
        let counts = python(
            r#"
import sys
from junitparser import JUnitXml, Failure, Error, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
tests = failures = errors = skipped = 0
for suite in xml:
    for case in suite:
        tests += 1
        kinds = {type(r) for r in case.result}
        failures += Failure in kinds
        errors += Error in kinds
        skipped += Skipped in kinds
print(tests, failures, errors, skipped, xml.tests, xml.failures, xml.errors, xml.skipped)
"#,
            &[&junit],
            "junitparser cannot read the JUnit report back",
        );
        let n: Vec<usize> = counts
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        assert_eq!(
            n[0..4],
            n[4..8],
            "per-case counts match the declared totals"
        );
        // Failures are the violations, skipped the suppressed and indeterminate findings:
        // compare with the JSON report of the same run, one test case per policy and resource.
        let report = read_json(&json);
        let mut pairs = std::collections::BTreeMap::new();
        for f in report["findings"].as_array().unwrap() {
            let key = (
                f["policy"].as_str().unwrap().to_string(),
                f["resource"]["id"].as_str().unwrap_or("stack").to_string(),
            );
            let kind = f["kind"].as_str().unwrap().to_string();
            let entry = pairs.entry(key).or_insert(kind.clone());
            if kind == "violation" {
                *entry = kind;
            }
        }
        let want = |k: &str| pairs.values().filter(|v| *v == k).count();
        assert_eq!(n[1], want("violation"), "{input}: failures");
        assert_eq!(n[2], want("error"), "{input}: errors");
        assert_eq!(
            n[3],
            want("suppressed") + want("indeterminate"),
            "{input}: skipped"
        );
        assert!(
            n[0] > n[1] + n[2] + n[3],
            "passing test cases are listed too"
        );
    }
}

#[test]
fn markdown_puts_blocking_findings_first_with_counts_and_fixes() {
    let dir = temp_dir();
    let config = write(&dir, "guardrail.toml", EXEMPT_CONFIG);
    let (out, [.., md]) = all_reports(&dir, PULUMI, &["--select", SPINE, "--config", &config]);
    assert_eq!(out.code, 1, "{out}");
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.starts_with("## guardrail: blocked"), "{text}");
    assert!(text.contains("| Blocking | 2 |"), "{text}");
    assert!(text.contains("| Suppressed | 1 |"), "{text}");
    assert!(text.contains("| Exemptions unused | 1 |"), "{text}");
    assert!(text.contains("| Exemptions expired | 1 |"), "{text}");
    assert!(text.contains("### Exemptions to review"), "{text}");
    let blocking = text.find("### Blocking findings").unwrap();
    let advisory = text.find("### Advisory findings").unwrap();
    let suppressed = text.find("### Suppressed by exemptions").unwrap();
    assert!(blocking < advisory && advisory < suppressed, "{text}");
    assert!(text.contains("**Fix:**"), "{text}");
    assert!(
        text.contains("exempted: bastion is reachable from the office VPN only (until 2027-01-31), approved by alice, ticket SEC-42"),
        "{text}"
    );
    // The same through --format markdown on standard output.
    let out = run(&["check", PULUMI, "--select", SPINE, "--format", "markdown"]);
    assert!(out.stdout.starts_with("## guardrail: blocked"), "{out}");
}

#[test]
fn github_actions_annotations_on_stderr() {
    let out = run_with(
        &root(),
        &["check", TF, "--select", SPINE],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains(&format!(
            "::error file={TF},line=74,title=AWS-EC2-001 (mandatory)::aws_security_group.bastion: security group `bastion`"
        )),
        "{out}"
    );
    assert!(out.stderr.contains("::notice file="), "{out}");
    let quiet = run(&["check", TF, "--select", SPINE]);
    assert!(
        !quiet.stderr.contains("::error"),
        "only under GitHub Actions"
    );
}

#[test]
fn no_format_leaks_the_secret() {
    let dir = temp_dir();
    for input in [TF, PULUMI] {
        let (out, files) = all_reports(&dir, input, &[]);
        assert!(!out.stdout.contains(SECRET) && !out.stderr.contains(SECRET));
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            assert!(!text.contains(SECRET), "{f} leaks the secret");
        }
        let gh = run_with(&root(), &["check", input], &[("GITHUB_ACTIONS", "true")]);
        assert!(!gh.stderr.contains(SECRET));
    }
    // A policy that prints the secret's plaintext: the message is redacted in every format.
    let plan = tf_plan(|p| {
        change_mut(p, "aws_db_instance.orders")["change"]["after"]["tags"] =
            json!({"Team": "checkout", "guardrail:exempt": "PLATFORM-003; reason=s3cr3t-Pa55w0rd"});
    });
    let file = write(&dir, "plan.json", &plan.to_string());
    let (_, files) = all_reports(&dir, &file, &["--select", SPINE]);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            !text.contains(SECRET),
            "{f} leaks the secret through an exemption"
        );
    }
}

#[test]
fn exemptions_suppress_expire_and_go_unused() {
    let dir = temp_dir();
    let config = write(&dir, "guardrail.toml", EXEMPT_CONFIG);
    let out = run(&[
        "check", TF, "--select", SPINE, "--config", &config, "--format", "json",
    ]);
    assert_eq!(out.code, 1, "{out}");
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        report["exemption_summary"],
        json!({"used": 1, "unused": 1, "expired": 1})
    );
    let ex = report["exemptions"].as_array().unwrap();
    assert_eq!(
        (
            ex[0]["used"].clone(),
            ex[1]["expired"].clone(),
            ex[2]["used"].clone()
        ),
        (json!(true), json!(true), json!(false))
    );
    assert_eq!(report["summary"]["suppressed"], 1);
    let suppressed = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "suppressed")
        .unwrap();
    assert_eq!(suppressed["policy"], "AWS-EC2-001");
    assert_eq!(suppressed["exemption"], 0);

    // Human: the suppressed finding stays visible, with the exemption; expiry and unused noted.
    let out = run(&["check", TF, "--select", SPINE, "--config", &config]);
    assert!(out.stdout.contains("suppressed"), "{out}");
    assert!(
        out.stdout
            .contains("exempted: bastion is reachable from the office VPN only (until 2027-01-31)"),
        "{out}"
    );
    assert!(out.stdout.contains("1 exemption matched nothing"), "{out}");
    assert!(
        out.stdout
            .contains("expired on 2026-01-31 and no longer applies"),
        "{out}"
    );

    // After the first exemption's date, it expires too: both findings block again.
    let later = run_with(
        &root(),
        &[
            "check", TF, "--select", SPINE, "--config", &config, "--format", "json",
        ],
        &[("GUARDRAIL_TODAY", "2027-02-01")],
    );
    let report: Value = serde_json::from_str(&later.stdout).unwrap();
    assert_eq!(report["summary"]["suppressed"], 0);
    assert_eq!(report["exemption_summary"]["expired"], 2);
    // On its last day it still applies.
    let last = run_with(
        &root(),
        &[
            "check", TF, "--select", SPINE, "--config", &config, "--format", "json",
        ],
        &[("GUARDRAIL_TODAY", "2027-01-31")],
    );
    let report: Value = serde_json::from_str(&last.stdout).unwrap();
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn inline_exemptions_on_terraform_and_pulumi_resources() {
    let dir = temp_dir();
    // Terraform: the compact form on the target group.
    let plan = tf_plan(|p| {
        change_mut(p, "aws_lb_target_group.ssh")["change"]["after"]["tags"] = json!({
            "Department": "retail",
            "guardrail:exempt": "AWS-ELB-001; reason=legacy ssh pool; expires=2027-01-31; ticket=NET-7"
        });
        change_mut(p, "aws_security_group.bastion")["change"]["after"]["tags"] = json!({
            "Department": "retail",
            "guardrail:exempt": "aws-ec2-001",
            "guardrail:exempt-reason": "office only",
            "guardrail:exempt-expires": "2026-05-31"
        });
    });
    let file = write(&dir, "plan.json", &plan.to_string());
    let out = run(&["check", &file, "--select", SPINE, "--format", "json"]);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        out.code, 1,
        "the expired inline exemption no longer applies: {out}"
    );
    let kinds: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["policy"].as_str().unwrap().into(),
                f["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("AWS-ELB-001".into(), "suppressed".into())),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("AWS-EC2-001".into(), "violation".into())),
        "{kinds:?}"
    );
    assert_eq!(report["exemption_summary"]["expired"], 1);
    let ex = report["exemptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["resources"] == json!(["aws_lb_target_group.ssh"]))
        .unwrap();
    assert_eq!(ex["used"], true);
    assert_eq!(ex["ticket"], "NET-7");

    // Pulumi: the portable form on the security group's tags.
    let mut preview = read_json(&s(&root().join(PULUMI)));
    for step in preview["steps"].as_array_mut().unwrap() {
        if step["urn"].as_str().unwrap().ends_with("::checkout-admin") {
            let tags = &mut step["newState"]["inputs"]["tags"];
            tags["guardrail:exempt"] = json!("AWS-EC2-001");
            tags["guardrail:exempt-reason"] = json!("admin range is the VPN");
        }
    }
    let file = write(&dir, "preview.json", &preview.to_string());
    let out = run(&[
        "check",
        &file,
        "--select",
        "AWS-EC2-001",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{out}");
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["summary"]["suppressed"], 1);
    assert_eq!(report["exemptions"][0]["reason"], "admin range is the VPN");

    // A malformed inline exemption is an error naming the resource.
    let plan = tf_plan(|p| {
        change_mut(p, "aws_lb_target_group.ssh")["change"]["after"]["tags"] =
            json!({"guardrail:exempt": "AWS-ELB-001"});
    });
    let file = write(&dir, "bad.json", &plan.to_string());
    let out = run(&["check", &file, "--select", SPINE]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("`aws_lb_target_group.ssh`") && out.stderr.contains("no reason"),
        "{out}"
    );
}

#[test]
fn baseline_matches_after_reordering_and_unrelated_changes() {
    let dir = temp_dir();
    let baseline = s(&dir.join("baseline.json"));
    let out = run(&[
        "check",
        TF,
        "--select",
        SPINE,
        "--write-baseline",
        &baseline,
    ]);
    assert_eq!(
        out.code, 0,
        "recording a baseline accepts today's findings: {out}"
    );
    let recorded = read_json(&baseline);
    assert_eq!(recorded["schema"], "guardrail.baseline/v1");
    assert_eq!(recorded["findings"].as_array().unwrap().len(), 3);

    // Reorder the resources and add an unrelated, compliant one: nothing new blocks.
    let reordered = tf_plan(|p| {
        let changes = p["resource_changes"].as_array_mut().unwrap();
        changes.reverse();
        changes.insert(
            2,
            json!({"address": "aws_s3_bucket.extra", "mode": "managed", "type": "aws_s3_bucket",
                   "name": "extra", "provider_name": "registry.terraform.io/hashicorp/aws",
                   "change": {"actions": ["create"], "before": null,
                              "after": {"bucket": "extra", "tags": {"Department": "retail"}},
                              "after_unknown": {}}}),
        );
    });
    let file = write(
        &dir,
        "reordered.json",
        &serde_json::to_string_pretty(&reordered).unwrap(),
    );
    let without = run(&["check", &file, "--select", SPINE]);
    assert_eq!(without.code, 1, "{without}");
    let with = run(&["check", &file, "--select", SPINE, "--baseline", &baseline]);
    assert_eq!(with.code, 0, "{with}");
    assert!(
        with.stderr
            .contains("2 findings recorded in the baseline do not block"),
        "{with}"
    );

    // A new violation still blocks, and only it.
    let worse = tf_plan(|p| {
        p["resource_changes"].as_array_mut().unwrap().push(json!(
            {"address": "aws_lb_target_group.rdp", "mode": "managed", "type": "aws_lb_target_group",
             "name": "rdp", "provider_name": "registry.terraform.io/hashicorp/aws",
             "change": {"actions": ["create"], "before": null,
                        "after": {"name": "rdp", "port": 3389, "protocol": "TCP", "tags": {"Department": "it"}},
                        "after_unknown": {}}}));
    });
    let file = write(&dir, "worse.json", &worse.to_string());
    let out = run(&[
        "check",
        &file,
        "--select",
        SPINE,
        "--baseline",
        &baseline,
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{out}");
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let blocking: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["blocking"] == true)
        .map(|f| f["resource"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(blocking, vec!["aws_lb_target_group.rdp"]);

    let out = run(&["check", TF, "--baseline", &s(&dir.join("missing.json"))]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--write-baseline"), "{out}");
}

#[test]
fn fail_on_and_severity_gate_the_exit_code() {
    // PLATFORM-001 is advisory on the Pulumi example.
    let advisory = ["check", PULUMI, "--select", "PLATFORM-001"];
    assert_eq!(run(&advisory).code, 0);
    let mut args = advisory.to_vec();
    args.extend(["--fail-on", "advisory"]);
    assert_eq!(run(&args).code, 1);
    let out = run(&["check", TF, "--select", SPINE, "--fail-on", "never"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("passed: nothing blocks"), "{out}");
    // AWS-EC2-001 is critical, AWS-ELB-001 high: a critical floor leaves one blocking finding.
    let out = run(&[
        "check",
        TF,
        "--select",
        SPINE,
        "--fail-on-severity",
        "critical",
    ]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("blocked: 1 blocking finding"), "{out}");
    let out = run(&[
        "check",
        TF,
        "--select",
        "AWS-ELB-001",
        "--fail-on-severity",
        "critical",
    ]);
    assert_eq!(out.code, 0, "{out}");
    let out = run(&["check", TF, "--fail-on", "sometimes"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("mandatory, advisory, never"), "{out}");
}

#[test]
fn config_is_found_upward_and_flags_override_it() {
    let dir = temp_dir();
    write(
        &dir,
        "guardrail.toml",
        r#"
select = ["AWS-ELB-001", "AWS-EC2-001"]
fail_on = "never"

[policies]
all = "advisory"

[output]
format = "json"
reports = ["sarif=reports/guardrail.sarif"]
"#,
    );
    std::fs::create_dir_all(dir.join("reports")).unwrap();
    let nested = dir.join("infra/prod");
    std::fs::create_dir_all(&nested).unwrap();
    let plan = s(&root().join(TF));
    let out = run_with(&nested, &["check", &plan], &[]);
    assert_eq!(out.code, 0, "{out}");
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let policies: Vec<&str> = report["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(policies, vec!["AWS-ELB-001", "AWS-EC2-001"]);
    assert!(report["policies"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["enforcement"] == "advisory"));
    assert!(
        dir.join("reports/guardrail.sarif").is_file(),
        "reports resolve against the config's directory"
    );

    // Flags win: another format, another selection, another gate.
    let out = run_with(
        &nested,
        &[
            "check",
            &plan,
            "--format",
            "human",
            "--select",
            "AWS-EC2-001",
            "--fail-on",
            "advisory",
        ],
        &[],
    );
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout.contains("advisory      critical  AWS-EC2-001"),
        "{out}"
    );
    assert!(!out.stdout.contains("AWS-ELB-001"), "{out}");
    // --no-config ignores it.
    let out = run_with(
        &nested,
        &["check", &plan, "--no-config", "--select", "AWS-EC2-001"],
        &[],
    );
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout.contains("mandatory     critical  AWS-EC2-001"),
        "{out}"
    );
}

#[test]
fn config_errors_name_file_line_column_and_exit_2() {
    let dir = temp_dir();
    let cases = [
        ("fail_on = \"often\"\n", ":1:11: `fail_on` is `often`", "mandatory, advisory, never"),
        ("selct = [\"AWS\"]\n", ":1:1: unknown field `selct`", "docs/config.md"),
        ("[policies]\nAWS-EC2-01 = \"mandatory\"\n", ":2:1: `policies.AWS-EC2-01` names no policy", "did you mean `AWS-EC2-001`?"),
        ("[[exemptions]]\npolicies = [\"AWS-EC2-001\"]\nresources = [\"*\"]\n", ":1:1: the exemption of AWS-EC2-001 has no `reason`", "reason ="),
        ("[policies.PLATFORM-001]\nlimit = true\n", ":2:9: policy `PLATFORM-001` (pack `guardrail-builtin`): property `limit`: expected a string or a number, found true", "guardrail rule ID"),
        ("[policies.AWS-ELB-001]\nportz = [22]\n", ":2:9: policy `AWS-ELB-001` (pack `guardrail-builtin`): unknown property `portz` (did you mean `ports`?)", "guardrail rule ID"),
        ("[policies.AWS-ELB-001]\nports = [22, \"ssh\"]\n", "property `ports[1]`: expected an integer, found \"ssh\"", "guardrail rule ID"),
        ("[output]\nformat = \"xml\"\n", ":2:10: `output.format` is `xml`", "sarif"),
    ];
    for (text, want, help) in cases {
        let file = write(&dir, "guardrail.toml", text);
        for args in [
            vec!["check", TF, "--config", &file],
            vec!["config", "validate", &file],
        ] {
            let out = run(&args);
            assert_eq!(out.code, 2, "{args:?}\n{out}");
            assert!(out.stderr.starts_with(&format!("error: {file}:")), "{out}");
            let want = if want.starts_with(':') {
                format!("{file}{want}")
            } else {
                want.to_string()
            };
            assert!(out.stderr.contains(&want), "{want:?}\n{out}");
            assert!(
                out.stderr.contains("help:") && out.stderr.contains(help),
                "{help:?}\n{out}"
            );
            assert_eq!(out.stdout, "");
        }
    }
    // The Pulumi policy config is checked against the same schemas.
    let pc = write(
        &dir,
        "policy-config.json",
        r#"{"PLATFORM-001": {"limit": true}}"#,
    );
    let out = run(&["check", PULUMI, "--no-config", "--policy-config", &pc]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains(&format!("{pc}: policy `PLATFORM-001`")),
        "{out}"
    );
    assert!(
        out.stderr
            .contains("expected a string or a number, found true"),
        "{out}"
    );

    // A valid config validates.
    let file = write(&dir, "guardrail.toml", EXEMPT_CONFIG);
    let out = run(&["config", "validate", &file]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout,
        format!("{file}: valid (0 policies configured, 3 exemptions)\n")
    );
    let out = run(&["config", "validate", &s(&dir.join("nope.toml"))]);
    assert_eq!(out.code, 2);
}

#[test]
fn the_ci_example_config_validates_and_runs() {
    let out = run(&["config", "validate", "examples/ci/guardrail.toml"]);
    assert_eq!(out.code, 0, "{out}");
    let dir = temp_dir();
    let report = s(&dir.join("r.json"));
    let out = run(&[
        "check",
        TF,
        "--config",
        "examples/ci/guardrail.toml",
        "--output",
        &format!("json={report}"),
    ]);
    assert!(out.code == 0 || out.code == 1, "{out}");
    let report = read_json(&report);
    assert_eq!(report["exemption_summary"]["used"], 1, "{report:#}");
    for f in ["github-actions.yml", "pre-commit-config.yaml"] {
        let text = std::fs::read_to_string(root().join("examples/ci").join(f)).unwrap();
        assert!(text.contains("guardrail check"), "{f}");
    }
}
