//! The example Rego pack `examples/packs/platform-guardrails`: its own tests pass, and it gives
//! the same outcomes as the native rules it mirrors (AWS-ELB-001 → PG-001, PLATFORM-001 → PG-002,
//! PLATFORM-002 → PG-003, PLATFORM-003 → PG-004) on the Pulumi and the Terraform example, per
//! resource and policy: kind, level, message and path, the summary, the exit code and the fixed
//! props; and the human reports are the same line for line but for the ids. The comparison is
//! shown to fail on copies of the pack with one policy altered, and the pack's fixtures are run
//! against the native rules too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{root, run, Output, TempDir};

use serde_json::Value as Json;

const PACK: &str = "examples/packs/platform-guardrails";
const PULUMI: &str = "examples/plans/pulumi-preview.json";
const TF: &str = "examples/plans/terraform-plan.json";
const INPUTS: [&str; 2] = [PULUMI, TF];

/// The native rules, as selected, and the Rego policy each maps to.
const NATIVE_SELECTION: &str = "AWS-ELB-001,PLATFORM";
const PAIRS: [(&str, &str); 4] = [
    ("AWS-ELB-001", "PG-001"),
    ("PLATFORM-001", "PG-002"),
    ("PLATFORM-002", "PG-003"),
    ("PLATFORM-003", "PG-004"),
];

/// The pack's tests: `test_*` rules, and fixture runs (a case runs once per input spelling).
const UNIT_TESTS: usize = 42;
const FIXTURE_RUNS: usize = 102;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the pack in a temporary directory, with `find` replaced by `replace` in one file.
fn altered_pack(file: &str, find: &str, replace: &str) -> TempDir {
    let dir = TempDir::new("altered");
    copy_dir(&root().join(PACK), &dir);
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "`{find}` is not in {file}");
    std::fs::write(&path, text.replacen(find, replace, 1)).unwrap();
    dir
}

/// The Rego id of a native policy id; other ids stay.
fn rego_id(id: &str) -> String {
    PAIRS
        .iter()
        .find(|(native, _)| *native == id)
        .map_or(id, |(_, rego)| rego)
        .to_string()
}

/// One outcome of one policy on one resource (or on the stack).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Outcome {
    /// `violation`, `pass`, `indeterminate`, `remediated`, `error`, `suppressed`.
    kind: String,
    /// The level it counts at.
    level: String,
    message: String,
    path: Option<String>,
}

/// The outcomes by (resource id or `stack`, policy id), with native ids mapped to Rego ids.
type Outcomes = BTreeMap<(String, String), Vec<Outcome>>;

/// What `guardrail check` gave on one input.
struct Checked {
    code: i32,
    outcomes: Outcomes,
    /// Policy id → resolved enforcement.
    enforcement: BTreeMap<String, String>,
    summary: Json,
    /// Resource id → (policies, fixed props).
    fixes: BTreeMap<String, (Vec<String>, Json)>,
}

fn unescape_xml(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// An attribute of an XML start tag.
fn attribute(tag: &str, name: &str) -> String {
    let start = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no `{name}` in {tag}"))
        + name.len()
        + 3;
    let end = start + tag[start..].find('"').unwrap();
    unescape_xml(&tag[start..end])
}

/// The (resource, policy) pairs of a JUnit report's test cases: every outcome except
/// not-applicable ones.
fn junit_cases(xml: &str) -> BTreeSet<(String, String)> {
    xml.match_indices("<testcase ")
        .map(|(at, _)| {
            let tag = &xml[at..at + xml[at..].find('>').unwrap()];
            let name = attribute(tag, "name");
            let id = name.split(": ").next().unwrap().to_string();
            (attribute(tag, "classname"), rego_id(&id))
        })
        .collect()
}

/// Runs `check` on `input` with `selection` (`--select ...` or `--pack ...`), with a JSON report
/// on stdout, a JUnit report (which also lists passes) and the fixed resources.
fn check(input: &str, selection: &[&str]) -> Checked {
    let dir = TempDir::new("check");
    let junit = format!("junit={}/report.xml", dir.path());
    let fixes = format!("{}/fixes.json", dir.path());
    let mut args = vec!["check", input];
    args.extend_from_slice(selection);
    args.extend_from_slice(&[
        "--format",
        "json",
        "--output",
        &junit,
        "--fix-output",
        &fixes,
    ]);
    let out = run(&args);
    assert!(
        out.code == 0 || out.code == 1,
        "{args:?} exited {}: {}{}",
        out.code,
        out.stdout,
        out.stderr
    );
    let report: Json = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["schema"], "guardrail.report/v1");

    let enforcement: BTreeMap<String, String> = report["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                rego_id(p["id"].as_str().unwrap()),
                p["enforcement"].as_str().unwrap().to_string(),
            )
        })
        .collect();

    let mut outcomes = Outcomes::new();
    for f in report["findings"].as_array().unwrap() {
        let resource = f["resource"]["id"].as_str().unwrap_or("stack").to_string();
        let policy = rego_id(f["policy"].as_str().unwrap());
        outcomes
            .entry((resource, policy))
            .or_default()
            .push(Outcome {
                kind: f["kind"].as_str().unwrap().to_string(),
                level: f["level"].as_str().unwrap().to_string(),
                message: f["message"].as_str().unwrap().to_string(),
                path: f["path"].as_str().map(str::to_string),
            });
    }
    let remediated: BTreeSet<(String, String)> = report["remediations"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            let resource = r["resource"].as_str().unwrap().to_string();
            r["policies"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |p| (resource.clone(), rego_id(p.as_str().unwrap())))
        })
        .collect();
    // Passes (and remediations that left the resource compliant) are in the JUnit report only.
    let xml = std::fs::read_to_string(dir.join("report.xml")).unwrap();
    for key in junit_cases(&xml) {
        if outcomes.contains_key(&key) {
            continue;
        }
        let kind = if remediated.contains(&key) {
            "remediated"
        } else {
            "pass"
        };
        let level = enforcement.get(&key.1).cloned().unwrap_or_default();
        outcomes.entry(key).or_default().push(Outcome {
            kind: kind.to_string(),
            level,
            message: String::new(),
            path: None,
        });
    }
    for list in outcomes.values_mut() {
        list.sort();
    }

    let fixed: Json = serde_json::from_str(&std::fs::read_to_string(fixes).unwrap()).unwrap();
    let fixes = fixed["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let policies = r["policies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| rego_id(p.as_str().unwrap()))
                .collect();
            (
                r["id"].as_str().unwrap().to_string(),
                (policies, r["props"].clone()),
            )
        })
        .collect();

    Checked {
        code: out.code,
        outcomes,
        enforcement,
        summary: report["summary"].clone(),
        fixes,
    }
}

fn native(input: &str) -> Checked {
    check(input, &["--select", NATIVE_SELECTION])
}

fn rego(input: &str, pack: &str) -> Checked {
    check(input, &["--pack", pack])
}

/// Every difference between the native and the Rego run, as text; empty when they agree.
fn differences(native: &Checked, rego: &Checked) -> Vec<String> {
    let mut out = Vec::new();
    if native.enforcement != rego.enforcement {
        out.push(format!(
            "policy levels: native {:?}, rego {:?}",
            native.enforcement, rego.enforcement
        ));
    }
    let keys: BTreeSet<&(String, String)> =
        native.outcomes.keys().chain(rego.outcomes.keys()).collect();
    for key in keys {
        let (n, r) = (native.outcomes.get(key), rego.outcomes.get(key));
        if n != r {
            out.push(format!("{} {}: native {n:?}, rego {r:?}", key.0, key.1));
        }
    }
    if native.summary != rego.summary {
        out.push(format!(
            "summary: native {}, rego {}",
            native.summary, rego.summary
        ));
    }
    if native.code != rego.code {
        out.push(format!(
            "exit code: native {}, rego {}",
            native.code, rego.code
        ));
    }
    if native.fixes != rego.fixes {
        out.push(format!(
            "fixed resources: native {:?}, rego {:?}",
            native.fixes, rego.fixes
        ));
    }
    out
}

#[test]
fn the_packs_unit_and_fixture_tests_pass() {
    let out = run(&["test", PACK, "--format", "json"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let report: Json = serde_json::from_str(&out.stdout).unwrap();
    let tests = report["tests"].as_array().unwrap();
    let failed: Vec<&Json> = tests.iter().filter(|t| t["passed"] != true).collect();
    assert!(failed.is_empty(), "failing tests: {failed:#?}");
    assert_eq!(report["failed"], 0);
    assert_eq!(report["passed"].as_u64().unwrap() as usize, tests.len());
    assert!(
        tests.len() >= UNIT_TESTS + FIXTURE_RUNS,
        "{} tests",
        tests.len()
    );
    let of_kind = |kind: &str| tests.iter().filter(|t| t["kind"] == kind).count();
    assert!(
        of_kind("rego") >= UNIT_TESTS,
        "{} unit tests",
        of_kind("rego")
    );
    assert!(
        of_kind("fixture") >= FIXTURE_RUNS,
        "{} fixture runs",
        of_kind("fixture")
    );
    // Every policy has fixtures, and its own unit tests.
    for (_, id) in PAIRS {
        assert!(
            tests
                .iter()
                .any(|t| t["kind"] == "fixture" && t["policy"] == id),
            "no fixtures for {id}"
        );
    }
    for package in [
        "dangerous_ports_test",
        "memory_limit_test",
        "encrypted_buckets_test",
        "department_tag_test",
    ] {
        assert!(
            tests.iter().any(|t| t["kind"] == "rego"
                && t["name"]
                    .as_str()
                    .unwrap()
                    .contains(&format!(".{package}."))),
            "no unit tests in {package}"
        );
    }
    // The human format ends with the same count.
    let human = run(&["test", PACK]);
    assert_eq!(human.code, 0, "{}", human.stdout);
    assert!(human
        .stdout
        .trim_end()
        .ends_with(&format!("{} passed, 0 failed", tests.len())));
}

#[test]
fn the_pack_gives_the_native_rules_outcomes_on_both_examples() {
    let mut exercised: BTreeSet<String> = BTreeSet::new();
    for input in INPUTS {
        let native = native(input);
        let rego = rego(input, PACK);
        let diff = differences(&native, &rego);
        assert!(
            diff.is_empty(),
            "{input}: the pack and the native rules differ:\n{}",
            diff.join("\n")
        );
        // The comparison covers every policy, and more than findings: passes too.
        let policies: BTreeSet<&str> = rego.outcomes.keys().map(|(_, p)| p.as_str()).collect();
        assert_eq!(
            rego.enforcement
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["PG-001", "PG-002", "PG-003", "PG-004"],
            "{input}"
        );
        assert!(policies.contains("PG-003"), "{input}: {policies:?}");
        assert!(
            rego.outcomes.values().flatten().any(|o| o.kind == "pass"),
            "{input}"
        );
        for ((_, policy), list) in &rego.outcomes {
            if list
                .iter()
                .any(|o| o.kind == "violation" || o.kind == "remediated")
            {
                exercised.insert(policy.clone());
            }
        }
    }
    // Across the two examples each guardrail fires at least once.
    assert_eq!(
        exercised.iter().map(String::as_str).collect::<Vec<_>>(),
        ["PG-001", "PG-002", "PG-003", "PG-004"]
    );
}

/// The human report of the native rules with their ids replaced by the Rego ids.
fn native_human_as_rego(input: &str) -> Output {
    let mut out = run(&["check", input, "--select", NATIVE_SELECTION]);
    for (native, rego) in PAIRS {
        out.stdout = out
            .stdout
            .replace(&format!(" {native} "), &format!(" {rego} "));
    }
    out
}

/// The human report without its per-policy table, and the table's rows as (id, severity,
/// level, count), with the native ids as the pack's.
fn split_policy_table(report: &str) -> (String, Vec<Vec<String>>) {
    let Some(start) = report.find("\npolicy ") else {
        return (report.to_string(), Vec::new());
    };
    let end = report[start + 1..]
        .find("\n\n")
        .map_or(report.len(), |n| start + 1 + n);
    let rows = report[start + 1..end]
        .lines()
        .skip(1)
        .map(|line| {
            let mut cells: Vec<String> = line
                .split_whitespace()
                .take(4)
                .map(str::to_string)
                .collect();
            if let Some((_, rego)) = PAIRS.iter().find(|(native, _)| cells[0] == *native) {
                cells[0] = rego.to_string();
            }
            cells
        })
        .collect();
    (format!("{}{}", &report[..start], &report[end..]), rows)
}

#[test]
fn the_human_reports_are_the_same_but_for_the_ids() {
    // The pack's files are ordered as the native rules are (pg001_... to pg004_...), so the
    // reports list the same lines in the same order, remediation messages ("would fix: ...")
    // included, which the JSON report leaves out.
    for input in INPUTS {
        let native = native_human_as_rego(input);
        let rego = run(&["check", input, "--pack", PACK]);
        assert_eq!(rego.code, native.code, "{input}");
        // the per-policy table differs in its ids' width and the titles; the rest is the same
        let (rego_text, rego_table) = split_policy_table(&rego.stdout);
        let (native_text, native_table) = split_policy_table(&native.stdout);
        assert_eq!(rego_text, native_text, "{input}");
        assert_eq!(rego_table, native_table, "{input}");
        assert!(
            rego.stdout.contains(" PG-004  would fix: "),
            "{}",
            rego.stdout
        );
    }
}

#[test]
fn the_examples_outcomes_are_the_expected_ones() {
    // Pinned, so that "the same" cannot mean "both empty".
    let pulumi = rego(PULUMI, PACK);
    let key = |resource: &str, policy: &str| (resource.to_string(), policy.to_string());
    let kinds = |c: &Checked, resource: &str, policy: &str| -> Vec<(String, String)> {
        c.outcomes
            .get(&key(resource, policy))
            .map(|list| {
                list.iter()
                    .map(|o| (o.kind.clone(), o.level.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let urn = |rest: &str| format!("urn:pulumi:prod::checkout::{rest}");
    let pair = |k: &str, l: &str| vec![(k.to_string(), l.to_string())];
    assert_eq!(
        kinds(
            &pulumi,
            &urn("acme:index:Microservice$aws:lb/targetGroup:TargetGroup::checkout-db"),
            "PG-001"
        ),
        pair("violation", "mandatory")
    );
    assert_eq!(
        kinds(&pulumi, &urn("acme:index:Microservice::checkout"), "PG-002"),
        pair("violation", "advisory")
    );
    let assets = urn("acme:index:Microservice$aws:s3/bucketV2:BucketV2::checkout-assets");
    assert_eq!(
        kinds(&pulumi, &assets, "PG-003"),
        pair("violation", "mandatory")
    );
    assert_eq!(
        kinds(&pulumi, &assets, "PG-004"),
        pair("remediated", "remediate")
    );
    assert_eq!(pulumi.code, 1);

    let tf = rego(TF, PACK);
    assert_eq!(
        kinds(&tf, "aws_lb_target_group.ssh", "PG-001"),
        pair("violation", "mandatory")
    );
    assert_eq!(
        kinds(&tf, "module.checkout.aws_lb_target_group.app", "PG-001"),
        pair("indeterminate", "mandatory")
    );
    assert_eq!(
        kinds(&tf, "aws_s3_bucket.logs", "PG-004"),
        pair("remediated", "remediate")
    );
    assert_eq!(kinds(&tf, "stack", "PG-003"), pair("pass", "mandatory"));
    assert_eq!(
        tf.fixes["aws_s3_bucket.logs"].1["tags"],
        serde_json::json!({"Team": "checkout", "Department": "unassigned"})
    );
    assert_eq!(tf.code, 1);
}

#[test]
fn the_comparison_catches_an_altered_policy() {
    // PG-001 without 5432 among its default ports: the Pulumi example's postgres target group
    // passes under Rego but violates natively.
    let ports = altered_pack(
        "policies/pg001_dangerous_ports.rego",
        "default: [22, 23, 3389, 5432, 3306]",
        "default: [22, 23, 3389, 3306]",
    );
    let diff = differences(&native(PULUMI), &rego(PULUMI, ports.path()));
    assert!(
        diff.iter().any(|d| d.contains("::checkout-db PG-001")
            && d.contains("kind: \"violation\"")
            && d.contains("kind: \"pass\"")),
        "{diff:#?}"
    );
    assert!(diff.iter().any(|d| d.starts_with("exit code")) || diff.len() > 1);

    // PG-002 at another level: same finding, different enforcement.
    let level = altered_pack(
        "policies/pg002_memory_limit.rego",
        "enforcement: advisory",
        "enforcement: mandatory",
    );
    let diff = differences(&native(PULUMI), &rego(PULUMI, level.path()));
    assert!(
        diff.iter().any(|d| d.starts_with("policy levels")),
        "{diff:#?}"
    );
    assert!(
        diff.iter().any(|d| d.contains("::checkout PG-002")
            && d.contains("level: \"advisory\"")
            && d.contains("level: \"mandatory\"")),
        "{diff:#?}"
    );

    // PG-004's fix setting another value: the remediation's props differ.
    let fix = altered_pack(
        "policies/pg004_department_tag.rego",
        "additions := {key: required[key] | some key in absent}",
        "additions := {key: \"unknown\" | some key in absent}",
    );
    let diff = differences(&native(TF), &rego(TF, fix.path()));
    assert!(
        diff.iter().any(|d| d.starts_with("fixed resources")),
        "{diff:#?}"
    );

    // PG-004 with another message: only the human report shows a remediation's message.
    let message = altered_pack(
        "policies/pg004_department_tag.rego",
        "is missing the required tag `%s`",
        "lacks the tag `%s`",
    );
    let native = native_human_as_rego(PULUMI);
    let rego = run(&["check", PULUMI, "--pack", message.path()]);
    assert_ne!(rego.stdout, native.stdout);
    assert!(rego.stdout.contains(
        "would fix: `checkout-assets` (aws:s3/bucketV2:BucketV2) lacks the tag `Department`"
    ));
}

#[test]
fn the_packs_fixtures_hold_for_the_native_rules_too() {
    // The same fixture files, naming the native rules: every case gives the same outcome,
    // message, path, count, attribution and fix.
    let dir = TempDir::new("native-fixtures");
    let plans = root().join("examples/plans");
    let plans = plans.canonicalize().unwrap();
    let tests = root().join(PACK).join("tests");
    let mut files = 0;
    for entry in std::fs::read_dir(&tests).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !name.ends_with(".fixtures.yaml") {
            continue;
        }
        let mut text = std::fs::read_to_string(&path).unwrap();
        for (native, rego) in PAIRS {
            text = text.replace(
                &format!("\npolicy: {rego}\n"),
                &format!("\npolicy: {native}\n"),
            );
        }
        assert!(!text.contains("\npolicy: PG-"), "{name}");
        text = text.replace(
            "file: ../../../plans/",
            &format!("file: {}/", plans.display()),
        );
        std::fs::write(dir.join(&name), text).unwrap();
        files += 1;
    }
    assert_eq!(files, 4);
    let out = run(&["test", dir.path(), "--format", "json"]);
    let report: Json = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", out.stdout, out.stderr));
    let failed: Vec<&Json> = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["passed"] != true)
        .collect();
    assert!(
        failed.is_empty(),
        "native rules fail the pack's fixtures: {failed:#?}"
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(report["passed"].as_u64().unwrap() as usize, FIXTURE_RUNS);
}
