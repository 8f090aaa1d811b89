//! `--select` and `--ignore` as users type them: on `check` and `rules`, combined, from the
//! config file, and wrong (exit 2, the flag named, the nearest valid value suggested).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
mod common;

use common::run;

const TF: &str = "examples/plans/terraform-plan.json";

fn json(args: &[&str]) -> serde_json::Value {
    let out = run(args);
    assert!(out.code == 0 || out.code == 1, "{args:?}: {}", out.stderr);
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", out.stdout))
}

/// The rules `guardrail rules` lists for these selection flags.
fn listed(flags: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["rules", "--format", "json"];
    args.extend_from_slice(flags);
    let out = json(&args);
    let rules = out["rules"].as_array().unwrap().clone();
    assert_eq!(out["count"].as_u64().unwrap() as usize, rules.len());
    rules
}

fn ids(rules: &[serde_json::Value]) -> BTreeSet<String> {
    rules
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// The policies `check` ran for these selection flags.
fn ran(flags: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["check", TF, "--format", "json", "--no-config"];
    args.extend_from_slice(flags);
    json(&args)["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

fn has(rule: &serde_json::Value, key: &str, value: &str) -> bool {
    rule[key]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v.as_str() == Some(value))
}

fn severity_rank(rule: &serde_json::Value) -> usize {
    ["low", "medium", "high", "critical"]
        .iter()
        .position(|s| rule["severity"].as_str() == Some(*s))
        .unwrap()
}

#[test]
fn or_within_a_field_and_across_fields() {
    let s3 = listed(&["--select", "service=s3"]);
    let rds = listed(&["--select", "service=rds"]);
    assert!(!s3.is_empty() && !rds.is_empty());
    assert!(s3.iter().all(|r| has(r, "services", "s3")));

    let either = listed(&["--select", "service=s3,service=rds"]);
    assert_eq!(ids(&either), &ids(&s3) | &ids(&rds));
    assert_eq!(
        ids(&either),
        ids(&listed(&[
            "--select",
            "service=s3",
            "--select",
            "service=rds"
        ])),
        "repeating the flag is the same as a comma"
    );

    let high = listed(&[
        "--select",
        "service=s3,service=rds",
        "--select",
        "severity>=high",
    ]);
    assert!(!high.is_empty() && high.len() < either.len());
    for r in &high {
        assert!(severity_rank(r) >= 2, "{r}");
        assert!(has(r, "services", "s3") || has(r, "services", "rds"), "{r}");
    }
    let expected: BTreeSet<String> = either
        .iter()
        .filter(|r| severity_rank(r) >= 2)
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids(&high), expected);

    // check runs exactly what rules lists.
    assert_eq!(
        ran(&[
            "--select",
            "service=s3,service=rds",
            "--select",
            "severity>=high"
        ]),
        ids(&high)
    );
}

#[test]
fn every_field() {
    let all = listed(&[]);
    let count = |flags: &[&str]| listed(flags).len();
    assert_eq!(count(&["--select", "all"]), all.len());
    assert_eq!(count(&["--select", "AWS-ELB-001"]), 1);
    assert_eq!(count(&["--select", "lb-target-group-admin-port"]), 1);
    assert_eq!(
        ids(&listed(&["--select", "aws"])),
        ids(&listed(&["--select", "vendor=aws"]))
    );
    let prefix = listed(&["--select", "AWS-S3"]);
    assert!(prefix
        .iter()
        .all(|r| r["id"].as_str().unwrap().starts_with("AWS-S3-")));
    for (flag, key, value) in [
        ("topic=encryption", "topics", "encryption"),
        ("service=ec2", "services", "ec2"),
    ] {
        let picked = listed(&["--select", flag]);
        let expected = all.iter().filter(|r| has(r, key, value)).count();
        assert_eq!(picked.len(), expected, "{flag}");
    }
    let pci = listed(&["--select", "framework=pci-dss"]);
    assert!(pci.iter().all(|r| r["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["framework"] == "pci-dss")));
    let control = listed(&["--select", "framework=cis-aws:2.1.1"]);
    assert!(!control.is_empty());
    for r in &control {
        assert!(
            r["frameworks"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["framework"] == "cis-aws"
                    && f["controls"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|c| c == "2.1.1")),
            "{r}"
        );
    }
    for (flag, ok) in [
        ("severity=critical", &[3][..]),
        ("severity>high", &[3]),
        ("severity<=medium", &[0, 1]),
        ("severity<medium", &[0]),
    ] {
        let picked = listed(&["--select", flag]);
        assert!(!picked.is_empty(), "{flag}");
        assert!(
            picked.iter().all(|r| ok.contains(&severity_rank(r))),
            "{flag}"
        );
    }
}

#[test]
fn ignore_leaves_rules_out() {
    let all = ids(&listed(&[]));
    let low = ids(&listed(&["--select", "severity=low"]));
    assert_eq!(ids(&listed(&["--ignore", "severity=low"])), &all - &low);
    // what runs is the default set (the catalog but the PLATFORM demos) less the ignored
    let demos = ids(&listed(&["--select", "PLATFORM"]));
    assert_eq!(demos.len(), 3);
    assert_eq!(ran(&["--ignore", "severity=low"]), &(&all - &low) - &demos);

    let s3 = ids(&listed(&["--select", "AWS-S3"]));
    let kept = ran(&["--select", "AWS-S3", "--ignore", "AWS-S3-001,AWS-S3-002"]);
    assert_eq!(kept.len(), s3.len() - 2);
    assert!(!kept.contains("AWS-S3-001") && !kept.contains("AWS-S3-002"));

    // --ignore on the command line replaces the config's list.
    let dir = std::env::temp_dir().join(format!("guardrail-selection-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("guardrail.toml");
    std::fs::write(
        &config,
        "select = [\"AWS-ELB\"]\nignore = [\"AWS-ELB-001\"]\n",
    )
    .unwrap();
    let config = config.to_string_lossy().into_owned();
    let policies = |extra: &[&str]| {
        let mut args = vec!["check", TF, "--format", "json", "--config", &config];
        args.extend_from_slice(extra);
        json(&args)["policies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect::<BTreeSet<_>>()
    };
    let elb = ids(&listed(&["--select", "AWS-ELB"]));
    let from_config = policies(&[]);
    assert_eq!(from_config.len(), elb.len() - 1);
    assert!(!from_config.contains("AWS-ELB-001"));
    let flag = policies(&["--ignore", "AWS-ELB-002"]);
    assert!(flag.contains("AWS-ELB-001") && !flag.contains("AWS-ELB-002"));

    std::fs::write(dir.join("guardrail.toml"), "ignore = [\"service=s4\"]\n").unwrap();
    let out = run(&["check", TF, "--config", &config]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("`service=s4` in the config's `ignore` names an unknown service `s4`"),
        "{}",
        out.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_selectors_are_errors_that_suggest() {
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--select", "service=s4"],
            "error: `--select service=s4` names an unknown service `s4`",
            "help: did you mean `service=s3`?",
        ),
        (
            &["--ignore", "servce=rds"],
            "error: `--ignore servce=rds` names an unknown field `servce`",
            "did you mean `service=rds`?",
        ),
        (
            &["--select", "severity>=hihg"],
            "names an unknown severity `hihg`",
            "did you mean `severity>=high`?",
        ),
        (
            &["--select", "framework=pci"],
            "names an unknown framework `pci`",
            "did you mean `framework=pci-dss`?",
        ),
        (
            &["--select", "framework=cis-aws:9.9.9"],
            "names the cis-aws control `9.9.9`, which no rule maps to",
            "cis-aws controls: ",
        ),
        (
            &["--select", "AWS-S4"],
            "error: `--select AWS-S4` matches no built-in policy",
            "did you mean `AWS-S3`?",
        ),
        (
            &["--select", "s3"],
            "`--select s3` matches no built-in policy",
            "did you mean `service=s3`?",
        ),
        (
            &["--select", "topic>=encryption"],
            "only severity compares",
            "did you mean `topic=encryption`?",
        ),
        (
            &["--select", "AWS-S3,service=rds"],
            "`--select AWS-S3,service=rds` picks no built-in policy",
            "must all hold",
        ),
        (
            &["--select", "AWS-ELB-001", "--ignore", "AWS-ELB"],
            "`--ignore AWS-ELB` leaves no built-in policy to run",
            "help:",
        ),
    ];
    for (flags, message, help) in cases {
        let mut args = vec!["check", TF, "--no-config"];
        args.extend_from_slice(flags);
        let out = run(&args);
        assert_eq!(out.code, 2, "{flags:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{flags:?}");
        assert!(out.stderr.contains(message), "{flags:?}: {}", out.stderr);
        assert!(out.stderr.contains(help), "{flags:?}: {}", out.stderr);
    }
    // The same errors on `rules`, except an empty pick, which lists nothing.
    let out = run(&["rules", "--select", "service=s4"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `service=s3`?"),
        "{}",
        out.stderr
    );
    let out = run(&["rules", "--ignore", "severity=extreme"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("`--ignore severity=extreme`"),
        "{}",
        out.stderr
    );
    assert_eq!(listed(&["--select", "AWS-S3,service=rds"]).len(), 0);
}

#[test]
fn rules_json_counts() {
    let out = json(&["rules", "--format", "json"]);
    let rules = out["rules"].as_array().unwrap();
    assert_eq!(out["count"].as_u64().unwrap() as usize, rules.len());
    assert!(rules.len() >= 150, "{}", rules.len());

    let by_severity = out["by_severity"].as_object().unwrap();
    let keys: BTreeSet<&str> = by_severity.keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["low", "medium", "high", "critical"]));
    let total: u64 = by_severity.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(total as usize, rules.len());
    for (severity, n) in by_severity {
        let counted = rules.iter().filter(|r| r["severity"] == *severity).count();
        assert_eq!(n.as_u64().unwrap() as usize, counted, "{severity}");
    }
    for (service, n) in out["by_service"].as_object().unwrap() {
        let counted = rules.iter().filter(|r| has(r, "services", service)).count();
        assert_eq!(n.as_u64().unwrap() as usize, counted, "{service}");
    }
    for (framework, n) in out["by_framework"].as_object().unwrap() {
        let counted = rules
            .iter()
            .filter(|r| {
                r["frameworks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["framework"] == *framework)
            })
            .count();
        assert_eq!(n.as_u64().unwrap() as usize, counted, "{framework}");
        assert!(out["framework_controls"][framework].as_u64().unwrap() > 0);
    }
    for key in ["pci-dss", "cis-aws", "nist-800-53"] {
        assert!(out["by_framework"][key].as_u64().unwrap() > 0, "{key}");
    }

    // Counts follow the selection.
    let s3 = json(&["rules", "--format", "json", "--select", "service=s3"]);
    assert_eq!(
        s3["by_service"]["s3"].as_u64(),
        s3["count"].as_u64(),
        "{}",
        s3["by_service"]
    );

    // The human listing ends with the same counts.
    let human = run(&["rules", "--select", "service=s3"]);
    assert_eq!(human.code, 0);
    let n = s3["count"].as_u64().unwrap();
    assert!(
        human.stdout.contains(&format!("\n{n} rules\n")),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains(&format!("by service: s3 {n}")),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("by framework: "), "{}", human.stdout);
}

#[test]
fn rule_explains_in_fixed_sections() {
    let out = run(&["rule", "AWS-S3-001"]);
    assert_eq!(out.code, 0);
    let mut at = 0;
    for section in [
        "## What it checks",
        "## Why it matters",
        "## Non-compliant example",
        "## Compliant example",
        "## How to fix",
        "## References",
    ] {
        let found = out.stdout[at..]
            .find(section)
            .unwrap_or_else(|| panic!("{section} missing or out of order:\n{}", out.stdout));
        at += found;
    }
    let out = run(&["rule", "AWS-S3-01"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `AWS-S3-001`?"),
        "{}",
        out.stderr
    );
}
