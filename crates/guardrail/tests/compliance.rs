//! `guardrail report compliance`: per-control results worked out by hand on a hand-built plan,
//! not covered and out of scope controls, exemptions, secrets, the three formats, the JSON
//! schema and the errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{python, run_with, TempDir};
use serde_json::{json, Value};

/// A secret that must never appear in a report: the admin security group's name, marked
/// sensitive in the plan (it flows into AWS-EC2-001's message).
const SECRET: &str = "corp-admin-s3cr3t-name";

/// Fixed clock and date, so that reports are byte-stable.
const ENV: &[(&str, &str)] = &[
    ("SOURCE_DATE_EPOCH", "1796521946"),
    ("GUARDRAIL_TODAY", "2026-12-01"),
];

fn change(address: &str, type_: &str, after: Value, sensitive: Value) -> Value {
    let name = address.rsplit('.').next().unwrap();
    json!({
        "address": address, "mode": "managed", "type": type_, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["create"], "before": null, "after": after,
                   "after_unknown": {}, "before_sensitive": false, "after_sensitive": sensitive}
    })
}

/// Four resources, each chosen for what it shows under CIS AWS Foundations v3.0.0:
/// - `aws_security_group.admin` opens RDP (3389) to 0.0.0.0/0: AWS-EC2-001 fails it, so 5.2
///   and 5.3 (the controls AWS-EC2-001 maps to) fail; its name is a secret;
/// - `aws_security_group.web` opens only 443: AWS-EC2-001 passes it (a second resource
///   evaluated under 5.2 and 5.3, passing);
/// - `aws_db_instance.orders` is encrypted, private and takes minor upgrades: 2.3.1
///   (AWS-RDS-002), 2.3.2 (AWS-RDS-008) and 2.3.3 (AWS-RDS-001) pass;
/// - `aws_efs_file_system.scratch` is not encrypted, but its `guardrail:exempt` tag exempts it
///   from AWS-EFS-001: 2.4.1 is exempted.
///
/// No instance is planned, so 5.6 (IMDSv2, AWS-EC2-002/003) is not covered; no rule maps to
/// 4.16 (Security Hub), so it is not covered; 1.5 (root MFA) is out of scope.
fn plan() -> Value {
    let rule = |port: u16| {
        json!({"from_port": port, "to_port": port, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"],
               "description": "", "ipv6_cidr_blocks": [], "prefix_list_ids": [],
               "security_groups": [], "self": false})
    };
    json!({
        "format_version": "1.2", "terraform_version": "1.9.0",
        "resource_changes": [
            change("aws_security_group.admin", "aws_security_group",
                   json!({"name": SECRET, "description": "admin", "ingress": [rule(3389)], "egress": []}),
                   json!({"name": true})),
            change("aws_security_group.web", "aws_security_group",
                   json!({"name": "web", "description": "web", "ingress": [rule(443)], "egress": []}),
                   json!({})),
            change("aws_db_instance.orders", "aws_db_instance",
                   json!({"identifier": "orders", "engine": "postgres", "instance_class": "db.t3.micro",
                          "storage_encrypted": true, "publicly_accessible": false,
                          "auto_minor_version_upgrade": true, "password": "db-pa55word-hidden"}),
                   json!({"password": true})),
            change("aws_efs_file_system.scratch", "aws_efs_file_system",
                   json!({"creation_token": "scratch", "encrypted": false,
                          "tags": {"guardrail:exempt": "AWS-EFS-001; reason=scratch data only; expires=2027-06-30; approved_by=alice; ticket=SEC-7"}}),
                   json!({})),
        ]
    })
}

/// A directory holding `plan.json`, where reports name it `plan.json`.
fn workdir() -> TempDir {
    let dir = TempDir::new("compliance");
    dir.write("plan.json", &serde_json::to_string_pretty(&plan()).unwrap());
    dir
}

fn report(dir: &TempDir, args: &[&str]) -> common::Output {
    let mut all = vec!["report", "compliance"];
    all.extend_from_slice(args);
    run_with(Path::new(dir.path()), &all, ENV)
}

fn statuses(framework: &Value) -> BTreeMap<String, String> {
    framework["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn each_control_gets_the_result_worked_out_by_hand() {
    let dir = workdir();
    let out = report(
        &dir,
        &["--framework", "cis-aws", "--format", "json", "plan.json"],
    );
    assert_eq!(out.code, 1, "a failing control exits 1\n{out}");
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    let cis = &value["frameworks"][0];
    let status = statuses(cis);
    let expected = [
        ("5.2", "fail"),
        ("5.3", "fail"),
        ("2.3.1", "pass"),
        ("2.3.2", "pass"),
        ("2.3.3", "pass"),
        ("2.4.1", "exempted"),
        ("5.6", "not_covered"),
        ("4.16", "not_covered"),
        ("1.5", "out_of_scope"),
    ];
    for (control, want) in expected {
        assert_eq!(status[control], want, "control {control}\n{}", out.stdout);
    }
    // nothing else passes or fails: every other rule mapped to CIS AWS met no resource
    let decided: Vec<&String> = status
        .iter()
        .filter(|(_, s)| matches!(s.as_str(), "pass" | "fail" | "exempted"))
        .map(|(c, _)| c)
        .collect();
    assert_eq!(decided.len(), 6, "{decided:?}");

    let control = |id: &str| {
        cis["controls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    // 5.2: one rule, two resources evaluated, one failing with its evidence
    let c52 = control("5.2");
    assert_eq!(c52["rules"][0]["id"], "AWS-EC2-001");
    assert_eq!(
        (
            c52["rules"][0]["evaluated"].as_u64(),
            c52["rules"][0]["pass"].as_u64(),
            c52["rules"][0]["fail"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    let resources: Vec<(&str, &str)> = c52["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        resources,
        vec![
            ("aws_security_group.admin", "fail"),
            ("aws_security_group.web", "pass")
        ]
    );
    let evidence = &c52["evidence"][0];
    assert_eq!(evidence["input"], "plan.json");
    assert_eq!(evidence["evaluated_at"], "2026-12-06T01:52:26Z");
    assert_eq!(evidence["resource"], "aws_security_group.admin");
    assert!(
        evidence["message"].as_str().unwrap().contains("3389"),
        "{evidence}"
    );
    assert_eq!(c52["evidence"].as_array().map(Vec::len), Some(1));

    // the fingerprint is the one `guardrail check` gives the same finding
    let check = run_with(
        Path::new(dir.path()),
        &[
            "check",
            "plan.json",
            "--select",
            "AWS-EC2-001",
            "--format",
            "json",
        ],
        ENV,
    );
    let checked: Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(
        evidence["fingerprint"],
        checked["findings"][0]["fingerprint"]
    );

    // 2.4.1: exempted, with the exemption's reason, expiry, approver and ticket
    let c241 = control("2.4.1");
    assert_eq!(c241["evidence"][0]["status"], "exempted");
    assert_eq!(
        c241["evidence"][0]["exemption"],
        json!({"reason": "scratch data only", "expires": "2027-06-30", "approved_by": "alice", "ticket": "SEC-7"})
    );
    // not covered, with the reason
    assert_eq!(control("4.16")["reason"], "no rule maps to this control");
    assert_eq!(
        control("5.6")["reason"],
        "no resource of the inputs is one its rules (AWS-EC2-002, AWS-EC2-003) apply to"
    );
    assert_eq!(cis["summary"]["fail"], 2);
    assert_eq!(cis["summary"]["pass"], 3);
    assert_eq!(cis["summary"]["exempted"], 1);
    assert_eq!(
        value["inputs"][0],
        json!({"file": "plan.json", "format": "terraform-plan", "resources": 4, "evaluated_at": "2026-12-06T01:52:26Z"})
    );
}

/// The Pod Security Standards judge pods; the plan holds none. (Whether Kubernetes rules are in
/// the catalog yet or not, no control passes.)
#[test]
fn a_framework_whose_rules_meet_no_resource_is_not_covered_and_never_passes() {
    let dir = workdir();
    let out = report(
        &dir,
        &["--framework", "pss", "--format", "json", "plan.json"],
    );
    assert_eq!(out.code, 0, "no control fails\n{out}");
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    let pss = &value["frameworks"][0];
    assert!(
        statuses(pss).values().all(|s| s == "not_covered"),
        "{}",
        out.stdout
    );
    assert_eq!(pss["summary"]["pass"], 0);
    for control in pss["controls"].as_array().unwrap() {
        let reason = control["reason"].as_str().unwrap();
        assert!(
            reason == "no rule maps to this control"
                || reason.starts_with("no resource of the inputs"),
            "{reason}"
        );
    }
    assert_eq!(value["inputs"][0]["resources"], 4);
}

#[test]
fn secrets_reach_no_format() {
    let dir = workdir();
    for format in ["markdown", "html", "json"] {
        let out = report(
            &dir,
            &[
                "--framework",
                "cis-aws,pci-dss,nist-800-53",
                "--format",
                format,
                "plan.json",
            ],
        );
        assert_eq!(out.code, 1, "{out}");
        for secret in [SECRET, "db-pa55word-hidden"] {
            assert!(!out.stdout.contains(secret), "{format} shows `{secret}`");
            assert!(!out.stderr.contains(secret), "{format} shows `{secret}`");
        }
        assert!(
            out.stdout.contains("[secret]"),
            "{format}: the redacted name shows"
        );
    }
}

#[test]
fn the_json_report_matches_its_schema() {
    let dir = workdir();
    let path = Path::new(dir.path()).join("compliance.json");
    let out = report(
        &dir,
        &[
            "--framework",
            "cis-aws",
            "--framework",
            "hipaa,soc2,iso27001,nist-800-53,pci-dss,cis-azure,cis-gcp,cis-kubernetes,pss",
            "-o",
            "json=compliance.json",
            "plan.json",
        ],
    );
    assert_eq!(out.code, 1, "{out}");
    assert_eq!(out.stdout, "", "-o writes the report to the file only");
    let schema = common::root().join("docs/schemas/compliance-report.schema.json");
    python(
        "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))",
        &[schema.as_os_str(), path.as_os_str()],
        "the compliance report does not match docs/schemas/compliance-report.schema.json",
    );
    let value: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let slugs: Vec<&str> = value["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs.len(), 10);
    assert_eq!(slugs[0], "cis-aws");
}

#[test]
fn three_formats_at_once_and_as_snapshots() {
    let dir = workdir();
    let out = report(
        &dir,
        &[
            "--framework",
            "cis-aws",
            "-o",
            "markdown=c.md",
            "-o",
            "html=c.html",
            "-o",
            "json=c.json",
            "plan.json",
        ],
    );
    assert_eq!(out.code, 1, "{out}");
    let read = |name: &str| std::fs::read_to_string(Path::new(dir.path()).join(name)).unwrap();
    let (md, html, json) = (read("c.md"), read("c.html"), read("c.json"));
    for format in ["markdown", "html", "json"] {
        let alone = report(
            &dir,
            &["--framework", "cis-aws", "--format", format, "plan.json"],
        );
        let written = match format {
            "markdown" => &md,
            "html" => &html,
            _ => &json,
        };
        assert_eq!(&alone.stdout, written, "{format}");
    }
    // one self-contained page: no script, no stylesheet or image fetched from anywhere
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in [
        "<script", "<link", "<img", "src=", "url(", "@import", "http://", "https://",
    ] {
        assert!(
            !html.contains(external),
            "the HTML report holds `{external}`"
        );
    }
    // well formed: every element opened is closed, in order
    let page = Path::new(dir.path()).join("c.html");
    python(
        r#"
import sys
from html.parser import HTMLParser
VOID = {"meta", "br"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open = []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)
    def handle_endtag(self, tag):
        top = self.open.pop() if self.open else None
        if top != tag:
            sys.exit(f"</{tag}> closes <{top}>")
c = Check()
c.feed(open(sys.argv[1]).read())
if c.open:
    sys.exit(f"unclosed: {c.open}")
"#,
        &[page.as_os_str()],
        "the HTML report is not well formed",
    );
    insta::assert_snapshot!("compliance_markdown", md);
    insta::assert_snapshot!("compliance_html", html);
    insta::assert_snapshot!("compliance_json", json);
}

#[test]
fn bad_arguments_are_usage_errors() {
    let dir = workdir();
    let out = report(&dir, &["--framework", "pci", "plan.json"]);
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    insta::assert_snapshot!("compliance_unknown_framework", out.stderr);

    let out = report(&dir, &["--framework", "fedramp", "plan.json"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("error: unknown framework `fedramp`"),
        "{out}"
    );
    assert!(
        out.stderr.contains("known frameworks: cis-aws, cis-azure, cis-gcp, cis-kubernetes, pss, pci-dss, soc2, iso27001, nist-800-53, hipaa"),
        "{out}"
    );

    // the help names every framework the error lists
    let help = report(&dir, &["--help"]);
    for slug in guardrail_catalog::frameworks::slugs() {
        assert!(help.stdout.contains(slug), "--help does not name `{slug}`");
    }

    // no --framework at all
    let out = report(&dir, &["plan.json"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("--framework"), "{out}");

    let out = report(
        &dir,
        &["--framework", "cis-aws", "-o", "pdf=c.pdf", "plan.json"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("unknown compliance report format `pdf`"),
        "{out}"
    );

    let out = report(&dir, &["--framework", "cis-aws", "missing.json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("missing.json"), "{out}");
}

#[test]
fn a_json_report_is_refused_as_input() {
    let dir = workdir();
    let check = run_with(
        Path::new(dir.path()),
        &["check", "plan.json", "-o", "json=check.json"],
        ENV,
    );
    assert_eq!(check.code, 1, "{check}");
    let out = report(&dir, &["--framework", "cis-aws", "check.json"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("error: `check.json` is a guardrail JSON report; a compliance report needs the plans, states or stack exports themselves"),
        "{out}"
    );
    assert!(
        out.stderr
            .contains("help: a JSON report records findings but not the resources that passed"),
        "{out}"
    );
}

#[test]
fn rules_json_shows_the_coverage_of_every_framework() {
    let out = common::run(&["rules", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    let coverage = value["framework_coverage"].as_object().unwrap();
    assert_eq!(coverage.len(), 10);
    for (slug, c) in coverage {
        let (covered, controls) = (
            c["covered"].as_u64().unwrap(),
            c["controls"].as_u64().unwrap(),
        );
        assert!(
            covered <= c["automatable"].as_u64().unwrap() && controls > 0,
            "{slug}: {c}"
        );
        // covered: listed controls that some listed rule maps to
        let mapped: std::collections::BTreeSet<&str> = value["rules"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["frameworks"].as_array().unwrap())
            .filter(|f| f["framework"] == slug.as_str())
            .flat_map(|f| f["controls"].as_array().unwrap())
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(covered as usize, mapped.len(), "{slug}");
    }
    assert!(coverage["cis-aws"]["covered"].as_u64().unwrap() > 0);
    // a selection narrows the coverage to the selected rules
    let s3 = common::run(&["rules", "--format", "json", "--select", "AWS-S3"]);
    let s3: Value = serde_json::from_str(&s3.stdout).unwrap();
    assert!(
        s3["framework_coverage"]["cis-aws"]["covered"].as_u64()
            < coverage["cis-aws"]["covered"].as_u64()
    );
}

#[test]
fn catalog_counts_in_the_docs_are_current() {
    let dir = TempDir::new("counts");
    let out = common::run(&["rules", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    dir.write("rules.json", &out.stdout);
    let listing = Path::new(dir.path()).join("rules.json");
    let script = common::root().join("docs/catalog_counts.py");
    let tables = python(
        "import runpy,sys; sys.stdin=open(sys.argv[1]); runpy.run_path(sys.argv[2], run_name='__main__')",
        &[listing.as_os_str(), script.as_os_str()],
        "docs/catalog_counts.py failed",
    );
    let doc = std::fs::read_to_string(common::root().join("docs/catalog.md")).unwrap();
    assert!(
        doc.contains(tables.trim()),
        "the counts in docs/catalog.md are out of date: regenerate them with\n  \
         cargo run -q -p guardrail -- rules --format json | python3 docs/catalog_counts.py\n\
         and paste the output over the tables of its `## Counts` section; it prints:\n{tables}"
    );
}

#[test]
fn several_inputs_each_give_their_evidence() {
    let dir = workdir();
    // the same plan with RDP closed: 5.2 passes there, but fails in plan.json
    let mut fixed = plan();
    fixed["resource_changes"][0]["change"]["after"]["ingress"][0]["from_port"] = json!(443);
    fixed["resource_changes"][0]["change"]["after"]["ingress"][0]["to_port"] = json!(443);
    dir.write("fixed.json", &fixed.to_string());
    let only_fixed = report(
        &dir,
        &["--framework", "cis-aws", "--format", "json", "fixed.json"],
    );
    let value: Value = serde_json::from_str(&only_fixed.stdout).unwrap();
    assert_eq!(statuses(&value["frameworks"][0])["5.2"], "pass");
    assert_eq!(only_fixed.code, 0, "no control fails\n{only_fixed}");

    let both = report(
        &dir,
        &[
            "--framework",
            "cis-aws",
            "--format",
            "json",
            "fixed.json",
            "plan.json",
        ],
    );
    assert_eq!(both.code, 1, "{both}");
    let value: Value = serde_json::from_str(&both.stdout).unwrap();
    let cis = &value["frameworks"][0];
    assert_eq!(statuses(cis)["5.2"], "fail");
    let c52 = cis["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "5.2")
        .unwrap();
    // two security groups in each input, each listed with its input
    let resources: Vec<(&str, &str, &str)> = c52["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["input"].as_str().unwrap(),
                r["id"].as_str().unwrap(),
                r["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        resources,
        vec![
            ("fixed.json", "aws_security_group.admin", "pass"),
            ("fixed.json", "aws_security_group.web", "pass"),
            ("plan.json", "aws_security_group.admin", "fail"),
            ("plan.json", "aws_security_group.web", "pass"),
        ]
    );
    assert_eq!(c52["rules"][0]["evaluated"], 4);
    assert_eq!(c52["evidence"].as_array().map(Vec::len), Some(1));
    assert_eq!(c52["evidence"][0]["input"], "plan.json");
    let inputs: Vec<&str> = value["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, vec!["fixed.json", "plan.json"]);
}

#[test]
fn the_config_exempts_but_does_not_narrow_the_rules() {
    let dir = workdir();
    dir.write(
        "guardrail.toml",
        r#"select = ["AWS-S3"]
ignore = ["AWS-EC2"]

[[exemptions]]
policies = ["AWS-EC2-001"]
resources = ["aws_security_group.admin"]
reason = "reachable from the office VPN only"
expires = 2027-01-31
ticket = "SEC-42"
"#,
    );
    let out = report(
        &dir,
        &["--framework", "cis-aws", "--format", "json", "plan.json"],
    );
    // 2.4.1 exempted by its tag, 5.2 and 5.3 by the config: nothing fails any more
    assert_eq!(out.code, 0, "{out}");
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    let cis = &value["frameworks"][0];
    let status = statuses(cis);
    for (control, want) in [
        ("5.2", "exempted"),
        ("5.3", "exempted"),
        ("2.4.1", "exempted"),
        ("2.3.1", "pass"),
    ] {
        assert_eq!(status[control], want, "control {control}");
    }
    let c52 = cis["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "5.2")
        .unwrap();
    assert_eq!(
        c52["evidence"][0]["exemption"],
        json!({"reason": "reachable from the office VPN only", "expires": "2027-01-31", "ticket": "SEC-42"})
    );
    // --no-config leaves the finding unexempted
    let out = report(
        &dir,
        &[
            "--framework",
            "cis-aws",
            "--format",
            "json",
            "--no-config",
            "plan.json",
        ],
    );
    assert_eq!(out.code, 1, "{out}");
}

#[test]
fn a_resource_a_rule_would_fix_still_fails() {
    let dir = TempDir::new("compliance-fix");
    let plan = json!({
        "format_version": "1.2", "terraform_version": "1.9.0",
        "resource_changes": [change("aws_ebs_encryption_by_default.this", "aws_ebs_encryption_by_default",
                                    json!({"enabled": false}), json!({}))]
    });
    dir.write("plan.json", &plan.to_string());
    // AWS-EC2-013 (CIS 2.2.1) has a safe fix; at `remediate` the engine proposes it
    dir.write(
        "guardrail.toml",
        "[policies]\n\"AWS-EC2-013\" = \"remediate\"\n",
    );
    let out = report(
        &dir,
        &["--framework", "cis-aws", "--format", "json", "plan.json"],
    );
    assert_eq!(out.code, 1, "{out}");
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    let cis = &value["frameworks"][0];
    assert_eq!(statuses(cis)["2.2.1"], "fail");
    let c = cis["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "2.2.1")
        .unwrap();
    let message = c["evidence"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("would fix: "), "{message}");
    assert!(c["evidence"][0]["fingerprint"].is_string());
    // the same plan with the default on passes
    dir.write(
        "plan.json",
        &plan
            .to_string()
            .replace("\"enabled\":false", "\"enabled\":true"),
    );
    let out = report(
        &dir,
        &["--framework", "cis-aws", "--format", "json", "plan.json"],
    );
    assert_eq!(out.code, 0, "{out}");
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(statuses(&value["frameworks"][0])["2.2.1"], "pass");
}

#[test]
fn pack_policies_mapped_to_a_framework_count_under_its_controls() {
    let dir = workdir();
    dir.write(
        "acme/guardrail-pack.yaml",
        "name: acme\nversion: 1.0.0\ndescription: Owner tags.\n",
    );
    dir.write(
        "acme/policies/owner.rego",
        r#"# METADATA
# title: Databases name their owner
# description: Every database carries an Owner tag, so that the inventory names who answers for it.
# custom:
#   id: ACME-001
#   severity: medium
#   enforcement: advisory
#   resource_types: [aws_db_instance, aws:rds/instance:Instance]
#   frameworks:
#     iso27001: [A.5.9, A.99, A.6.3]
package acme.owner

deny contains msg if {
	not input.props.tags.Owner
	msg := sprintf("database `%s` has no Owner tag", [input.name])
}
"#,
    );
    let out = report(
        &dir,
        &[
            "--framework",
            "iso27001",
            "--pack",
            "acme",
            "--format",
            "json",
            "plan.json",
        ],
    );
    assert_eq!(out.code, 1, "{out}");
    assert_eq!(
        out.stderr,
        "note: the policy `ACME-001` of the pack `acme` maps to the iso27001 control `A.99`, which guardrail does not list; the report leaves it out\n\
         note: the policy `ACME-001` of the pack `acme` maps to the iso27001 control `A.6.3`, which guardrail lists as out of scope for a scanner; the report shows it so\n"
    );
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    let iso = &value["frameworks"][0];
    let a59 = iso["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "A.5.9")
        .unwrap();
    assert_eq!(a59["status"], "fail");
    let rules: Vec<&str> = a59["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"ACME-001"), "{rules:?}");
    let evidence = a59["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["rule"] == "ACME-001")
        .unwrap();
    assert_eq!(evidence["resource"], "aws_db_instance.orders");
    assert_eq!(evidence["message"], "database `orders` has no Owner tag");
    // a control no scanner decides stays out of scope, whatever a pack maps to it
    assert_eq!(statuses(iso)["A.6.3"], "out_of_scope");
    // without the pack, the built-in rules alone decide A.5.9
    let out = report(
        &dir,
        &["--framework", "iso27001", "--format", "json", "plan.json"],
    );
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    let a59 = value["frameworks"][0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "A.5.9")
        .unwrap()
        .clone();
    assert!(a59["rules"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"] != "ACME-001"));
}

#[test]
fn the_scaffold_and_the_example_pack_map_only_listed_controls() {
    let dir = workdir();
    let out = run_with(Path::new(dir.path()), &["pack", "new", "mine"], &[]);
    assert_eq!(out.code, 0, "{out}");
    let example = common::root().join("examples/packs/platform-guardrails");
    let example = example.to_str().unwrap();
    let out = report(
        &dir,
        &[
            "--framework",
            "cis-aws,nist-800-53,iso27001,hipaa",
            "--pack",
            "mine",
            "--pack",
            example,
            "--format",
            "json",
            "plan.json",
        ],
    );
    assert!(out.code == 0 || out.code == 1, "{out}");
    assert_eq!(out.stderr, "", "no pack policy maps an unlisted control");
}

#[test]
fn a_rule_disabled_in_the_config_leaves_its_control_not_covered() {
    let dir = workdir();
    dir.write(
        "guardrail.toml",
        "[policies]\n\"AWS-RDS-002\" = \"disabled\"\n",
    );
    let out = report(
        &dir,
        &["--framework", "cis-aws", "--format", "json", "plan.json"],
    );
    let value: Value = serde_json::from_str(&out.stdout).unwrap();
    let c231 = value["frameworks"][0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "2.3.1")
        .unwrap()
        .clone();
    assert_eq!(c231["status"], "not_covered", "{c231}");
    assert_eq!(
        c231["reason"],
        "its rule (AWS-RDS-002) did not run (disabled)"
    );
}
