//! Kubernetes manifests from the command line: a directory of YAML and JSON files is one input,
//! findings point at the manifest's lines in every report, and bad YAML is a clear error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{run, temp_dir};

const DIR: &str = "examples/kubernetes/shop";
const SELECT: &str = "K8S-POD-001,K8S-POD-002,K8S-RBAC-011";

#[test]
fn a_directory_of_manifests_is_checked_with_its_lines() {
    let out = run(&["check", DIR, "--select", SELECT, "--no-config"]);
    assert_eq!(out.code, 1, "{out}");
    insta::assert_snapshot!(out.snapshot());
}

#[test]
fn json_and_sarif_reports_name_the_manifest_and_line() {
    let out = run(&[
        "check",
        DIR,
        "--select",
        SELECT,
        "--no-config",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let mut got: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["policy"].as_str().unwrap().to_string(),
                f["source"]["file"].as_str().unwrap_or_default().to_string(),
                f["source"]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    let deployment = format!("{DIR}/deployment.yaml");
    let rbac = format!("{DIR}/rbac.json");
    assert_eq!(
        got,
        vec![
            ("K8S-POD-001".to_string(), deployment.clone(), 30),
            ("K8S-POD-002".to_string(), deployment, 31),
            ("K8S-RBAC-011".to_string(), rbac, 9),
        ]
    );
    let sarif = run(&[
        "check",
        DIR,
        "--select",
        SELECT,
        "--no-config",
        "--format",
        "sarif",
    ]);
    let doc: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let lines: Vec<u64> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64())
        .collect();
    assert!(lines.contains(&30) && lines.contains(&31), "{lines:?}");
}

#[test]
fn bad_yaml_is_an_input_error_with_its_line() {
    let dir = temp_dir();
    dir.write(
        "bad.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n spec: {}\n",
    );
    let file = format!("{}/bad.yaml", dir.path());
    let out = run(&["check", &file, "--no-config"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("bad.yaml:5:") && out.stderr.contains("is not valid YAML"),
        "{out}"
    );
    assert!(out.stderr.contains("help:"), "{out}");
}
