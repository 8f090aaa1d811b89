//! The CLI as users run it: exit code, stdout and stderr of real runs on the bundled examples.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "../../../tests/support/corpus.rs"]
mod corpus;

use common::{root, run, run_with, temp_dir, write};

const TF: &str = "examples/plans/terraform-plan.json";
const PULUMI: &str = "examples/plans/pulumi-preview.json";
/// The seed guardrails, selected so that snapshots do not move as the catalog grows.
const SPINE: &str = "AWS-ELB-001,AWS-EC2-001,PLATFORM";
/// The secret in both examples.
const SECRET: &str = "s3cr3t-Pa55w0rd";

#[test]
fn terraform_example_human() {
    let out = run(&["check", TF, "--select", SPINE]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.snapshot());
}

#[test]
fn pulumi_example_human() {
    let out = run(&["check", PULUMI, "--select", SPINE]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.snapshot());
}

#[test]
fn terraform_example_json() {
    let out = run(&["check", TF, "--select", SPINE, "--format", "json"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.snapshot());
}

#[test]
fn pulumi_example_json() {
    let out = run(&["check", PULUMI, "--select", SPINE, "--format", "json"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.snapshot());
}

#[test]
fn quiet_shows_only_what_blocks() {
    let out = run(&["check", TF, "--select", SPINE, "--quiet"]);
    assert_eq!(out.code, 1);
    insta::assert_snapshot!(out.snapshot());
}

#[test]
fn both_spellings_give_the_same_verdicts_on_the_seed_policies() {
    // The same guardrails fire on the same kinds of resources in either spelling.
    let findings = |file: &str| -> Vec<(String, String)> {
        let out = run(&[
            "check",
            file,
            "--select",
            "AWS-ELB-001,AWS-EC2-001",
            "--format",
            "json",
        ]);
        let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let mut v: Vec<(String, String)> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["policy"].as_str().unwrap().to_string(),
                    f["kind"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let tf = findings(TF);
    let pulumi = findings(PULUMI);
    assert!(tf.contains(&("AWS-ELB-001".into(), "violation".into())));
    assert!(tf.contains(&("AWS-EC2-001".into(), "violation".into())));
    assert!(pulumi.contains(&("AWS-ELB-001".into(), "violation".into())));
    assert!(pulumi.contains(&("AWS-EC2-001".into(), "violation".into())));
}

#[test]
fn json_report_validates_against_the_published_schema() {
    let dir = temp_dir();
    for (input, extra) in [
        (TF, vec!["--select", SPINE]),
        (PULUMI, vec![]),
        (TF, vec![]),
    ] {
        let report = dir.join("report.json");
        let report_s = report.to_string_lossy().into_owned();
        let mut args = vec!["check", input, "--format", "json", "--output", &report_s];
        args.extend(extra.iter().copied());
        let out = run(&args);
        assert!(out.code == 0 || out.code == 1, "{}", out.snapshot());
        assert_eq!(
            out.stdout, "",
            "--output writes the report to the file only"
        );
        let schema = root().join("docs/report-schema.json");
        common::python(
            "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))",
            &[schema.as_os_str(), report.as_os_str()],
            &format!("the report for {input} does not match docs/report-schema.json"),
        );
    }
}

#[test]
fn streamed_json_report_is_the_same_in_a_file_and_on_stdout() {
    let dir = temp_dir();
    let report = dir.join("report.json");
    let report_s = report.to_string_lossy().into_owned();
    let stdout = run(&["check", TF, PULUMI, "--format", "json"]);
    let to_file = run(&["check", TF, PULUMI, "--format", "json", "-o", &report_s]);
    assert_eq!(stdout.code, to_file.code);
    let written = std::fs::read_to_string(&report).expect("report written");
    assert_eq!(written, stdout.stdout);
    let parsed: serde_json::Value = serde_json::from_str(&written).expect("valid JSON");
    let findings = parsed["findings"].as_array().map_or(0, Vec::len);
    let summary = &parsed["summary"];
    let counted = [
        "mandatory",
        "advisory",
        "indeterminate",
        "errors",
        "suppressed",
    ]
    .iter()
    .filter_map(|k| summary[*k].as_u64())
    .sum::<u64>();
    assert!(findings > 0);
    assert_eq!(findings as u64, counted, "one finding per counted outcome");
    // a report that cannot be written is an error naming the file
    let bad = dir.join("no/such/dir/report.json");
    let bad_s = bad.to_string_lossy().into_owned();
    let out = run(&["check", TF, "--format", "json", "-o", &bad_s]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stderr.contains("cannot write") && out.stderr.contains("report.json"));
}

#[test]
fn timings_go_to_stderr_only_when_asked_for() {
    let plain = run(&["check", TF, "--format", "json"]);
    assert!(!plain.stderr.contains("timing:"), "{}", plain.stderr);
    let timed = run_with(
        &root(),
        &["check", TF, "--format", "json"],
        &[("GUARDRAIL_TIMINGS", "1")],
    );
    assert_eq!(timed.code, plain.code);
    assert_eq!(timed.stdout, plain.stdout, "the report is unchanged");
    let phases: Vec<&str> = timed
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("timing: "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(phases, ["load", "evaluate", "report"], "{}", timed.stderr);
    assert!(timed.stderr.contains(" ms (total "), "{}", timed.stderr);
}

#[test]
fn output_is_byte_for_byte_deterministic() {
    for format in ["human", "json"] {
        let first = run(&["check", TF, PULUMI, "--format", format]);
        for _ in 0..3 {
            let again = run(&["check", TF, PULUMI, "--format", format]);
            assert_eq!(first.stdout, again.stdout);
        }
    }
}

#[test]
fn secrets_never_reach_any_output() {
    let dir = temp_dir();
    let fixes = dir.join("fixes.json");
    for input in [TF, PULUMI] {
        for format in ["human", "json"] {
            let out = run(&[
                "check",
                input,
                "--format",
                format,
                "--fix-output",
                fixes.to_str().unwrap(),
            ]);
            assert!(
                !out.stdout.contains(SECRET) && !out.stderr.contains(SECRET),
                "{input} {format}"
            );
            let written = std::fs::read_to_string(&fixes).unwrap();
            assert!(
                !written.contains(SECRET),
                "{input}: fix output leaks the secret"
            );
        }
    }
}

#[test]
fn fix_output_holds_the_remediated_resources() {
    let dir = temp_dir();
    let fixes = dir.join("fixes.json");
    let out = run(&[
        "check",
        PULUMI,
        "--select",
        SPINE,
        "--fix-output",
        fixes.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&fixes).unwrap()).unwrap();
    assert_eq!(written["schema"], "guardrail.fixes/v1");
    let resources = written["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1, "{written:#}");
    let assets = &resources[0];
    assert!(assets["id"]
        .as_str()
        .unwrap()
        .ends_with("::checkout-assets"));
    assert_eq!(assets["policies"], serde_json::json!(["PLATFORM-003"]));
    assert_eq!(assets["props"]["tags"]["Department"], "unassigned");
    assert_eq!(
        assets["props"]["tags"]["Team"], "checkout",
        "existing tags are kept"
    );
}

#[test]
fn strict_makes_indeterminate_block_under_mandatory() {
    let dir = temp_dir();
    let plan = write(
        &dir,
        "unknown-port.json",
        r#"{"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": [
          {"address": "aws_lb_target_group.app", "mode": "managed", "type": "aws_lb_target_group", "name": "app",
           "provider_name": "registry.terraform.io/hashicorp/aws",
           "change": {"actions": ["create"], "before": null, "after": {"name": "app", "protocol": "HTTP"},
                      "after_unknown": {"port": true, "arn": true}}}]}"#,
    );
    let lenient = run(&["check", &plan, "--select", "AWS-ELB-001"]);
    assert_eq!(lenient.code, 0, "{}", lenient.snapshot());
    assert!(lenient.stdout.contains("indeterminate"));
    let strict = run(&["check", &plan, "--select", "AWS-ELB-001", "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.snapshot());
    assert!(strict.stdout.contains("strict mode"));
}

/// The findings of a JSON report as `(policy, resource id or "-", kind)`, sorted.
fn kinds(report: &str) -> Vec<(String, String, String)> {
    let json: serde_json::Value = serde_json::from_str(report).unwrap();
    let mut out: Vec<(String, String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["policy"].as_str().unwrap().to_string(),
                f["resource"]["id"].as_str().unwrap_or("-").to_string(),
                f["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn finding(policy: &str, resource: &str, kind: &str) -> (String, String, String) {
    (policy.into(), resource.into(), kind.into())
}

/// Two buckets; a logging configuration of `app` that writes to `logs`; a public access block
/// of `app` that also `depends_on` `logs`; a function that never sets `tracing_config`.
/// Unknown references, as a plan shows them before apply.
const COMPANION_PLAN: &str = r#"{"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": [
  {"address": "aws_s3_bucket.app", "mode": "managed", "type": "aws_s3_bucket", "name": "app",
   "change": {"actions": ["create"], "before": null, "after": {"bucket": "acme-app"},
              "after_unknown": {"id": true, "arn": true, "logging": true, "policy": true}}},
  {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
   "change": {"actions": ["create"], "before": null, "after": {"bucket": "acme-logs"},
              "after_unknown": {"id": true, "arn": true, "logging": true, "policy": true}}},
  {"address": "aws_s3_bucket_logging.app", "mode": "managed", "type": "aws_s3_bucket_logging", "name": "app",
   "change": {"actions": ["create"], "before": null, "after": {"target_prefix": "app/"},
              "after_unknown": {"bucket": true, "target_bucket": true, "id": true}}},
  {"address": "aws_s3_bucket_public_access_block.app", "mode": "managed",
   "type": "aws_s3_bucket_public_access_block", "name": "app",
   "change": {"actions": ["create"], "before": null,
              "after": {"block_public_acls": true, "block_public_policy": true,
                        "ignore_public_acls": true, "restrict_public_buckets": true},
              "after_unknown": {"bucket": true, "id": true}}},
  {"address": "aws_lambda_function.api", "mode": "managed", "type": "aws_lambda_function", "name": "api",
   "change": {"actions": ["create"], "before": null,
              "after": {"function_name": "api", "role": "arn:aws:iam::111122223333:role/api"},
              "after_unknown": {"arn": true, "tracing_config": true}}}
 ],
 "configuration": {"root_module": {"resources": [
  {"address": "aws_s3_bucket.app", "mode": "managed", "type": "aws_s3_bucket", "name": "app",
   "expressions": {"bucket": {"constant_value": "acme-app"}}},
  {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
   "expressions": {"bucket": {"constant_value": "acme-logs"}}},
  {"address": "aws_s3_bucket_logging.app", "mode": "managed", "type": "aws_s3_bucket_logging", "name": "app",
   "expressions": {"bucket": {"references": ["aws_s3_bucket.app.id", "aws_s3_bucket.app"]},
                   "target_bucket": {"references": ["aws_s3_bucket.logs.id", "aws_s3_bucket.logs"]},
                   "target_prefix": {"constant_value": "app/"}}},
  {"address": "aws_s3_bucket_public_access_block.app", "mode": "managed",
   "type": "aws_s3_bucket_public_access_block", "name": "app",
   "expressions": {"bucket": {"references": ["aws_s3_bucket.app.id", "aws_s3_bucket.app"]},
                   "block_public_acls": {"constant_value": true}, "block_public_policy": {"constant_value": true},
                   "ignore_public_acls": {"constant_value": true}, "restrict_public_buckets": {"constant_value": true}},
   "depends_on": ["aws_s3_bucket.logs"]},
  {"address": "aws_lambda_function.api", "mode": "managed", "type": "aws_lambda_function", "name": "api",
   "expressions": {"function_name": {"constant_value": "api"},
                   "role": {"constant_value": "arn:aws:iam::111122223333:role/api"}}}
 ]}}}"#;

#[test]
fn plans_decide_unset_arguments_and_link_companions_by_their_naming_argument() {
    let dir = temp_dir();
    let plan = write(&dir, "plan.json", COMPANION_PLAN);
    let select = "AWS-S3-003,AWS-S3-007,AWS-LAMBDA-004";
    let out = run(&["check", &plan, "--select", select, "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
    assert_eq!(
        kinds(&out.stdout),
        vec![
            // `tracing_config` is never set: PassThrough, not "known after apply"
            finding("AWS-LAMBDA-004", "aws_lambda_function.api", "violation"),
            // `depends_on = [aws_s3_bucket.logs]` does not give `logs` a public access block
            finding("AWS-S3-003", "aws_s3_bucket.logs", "violation"),
            // `target_bucket = aws_s3_bucket.logs.id` does not make `logs` logged
            finding("AWS-S3-007", "aws_s3_bucket.logs", "violation"),
        ],
        "{}",
        out.stdout
    );

    // Without the configuration nothing says which bucket the companions name: the stack
    // rules cannot decide for either bucket, and say so on each; the function's tracing is
    // unknown.
    let mut bare: serde_json::Value = serde_json::from_str(COMPANION_PLAN).unwrap();
    bare.as_object_mut().unwrap().remove("configuration");
    let plan = write(&dir, "bare.json", &bare.to_string());
    let out = run(&["check", &plan, "--select", select, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert_eq!(
        kinds(&out.stdout),
        vec![
            finding("AWS-LAMBDA-004", "aws_lambda_function.api", "indeterminate"),
            finding("AWS-S3-003", "aws_s3_bucket.app", "indeterminate"),
            finding("AWS-S3-003", "aws_s3_bucket.logs", "indeterminate"),
            finding("AWS-S3-007", "aws_s3_bucket.app", "indeterminate"),
            finding("AWS-S3-007", "aws_s3_bucket.logs", "indeterminate"),
        ],
        "{}",
        out.stdout
    );
    let human = run(&["check", &plan, "--select", "AWS-S3-003"]);
    assert!(
        human.stdout.contains("aws_s3_bucket.app"),
        "{}",
        human.snapshot()
    );
}

/// Three buckets; a public access block and a logging configuration whose `bucket` comes from
/// `var.b` and `module.m`: references that name no resource of the plan.
const UNRESOLVED_PLAN: &str = r#"{"format_version": "1.2", "terraform_version": "1.9.5", "resource_changes": [
  {"address": "aws_s3_bucket.app", "mode": "managed", "type": "aws_s3_bucket", "name": "app",
   "change": {"actions": ["create"], "before": null, "after": {"bucket": "app"}, "after_unknown": {"id": true}}},
  {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
   "change": {"actions": ["create"], "before": null, "after": {"bucket": "logs"}, "after_unknown": {"id": true}}},
  {"address": "aws_s3_bucket.zzz", "mode": "managed", "type": "aws_s3_bucket", "name": "zzz",
   "change": {"actions": ["create"], "before": null, "after": {"bucket": "zzz"}, "after_unknown": {"id": true}}},
  {"address": "aws_s3_bucket_public_access_block.p", "mode": "managed",
   "type": "aws_s3_bucket_public_access_block", "name": "p",
   "change": {"actions": ["create"], "before": null,
              "after": {"block_public_acls": true, "block_public_policy": true,
                        "ignore_public_acls": true, "restrict_public_buckets": true},
              "after_unknown": {"bucket": true, "id": true}}},
  {"address": "aws_s3_bucket_logging.x", "mode": "managed", "type": "aws_s3_bucket_logging", "name": "x",
   "change": {"actions": ["create"], "before": null, "after": {"target_prefix": "x/"},
              "after_unknown": {"bucket": true, "target_bucket": true, "id": true}}}
 ],
 "configuration": {"root_module": {"resources": [
  {"address": "aws_s3_bucket.app", "mode": "managed", "type": "aws_s3_bucket", "name": "app",
   "expressions": {"bucket": {"constant_value": "app"}}},
  {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs",
   "expressions": {"bucket": {"constant_value": "logs"}}},
  {"address": "aws_s3_bucket.zzz", "mode": "managed", "type": "aws_s3_bucket", "name": "zzz",
   "expressions": {"bucket": {"constant_value": "zzz"}}},
  {"address": "aws_s3_bucket_public_access_block.p", "mode": "managed",
   "type": "aws_s3_bucket_public_access_block", "name": "p",
   "expressions": {"bucket": {"references": ["var.b"]},
                   "block_public_acls": {"constant_value": true}, "block_public_policy": {"constant_value": true},
                   "ignore_public_acls": {"constant_value": true}, "restrict_public_buckets": {"constant_value": true}}},
  {"address": "aws_s3_bucket_logging.x", "mode": "managed", "type": "aws_s3_bucket_logging", "name": "x",
   "expressions": {"bucket": {"references": ["module.m.id", "module.m"]},
                   "target_bucket": {"references": ["module.m.id", "module.m"]},
                   "target_prefix": {"constant_value": "x/"}}}
 ]}}}"#;

#[test]
fn an_unresolved_companion_leaves_every_bucket_it_could_cover_undecided() {
    let dir = temp_dir();
    let plan = write(&dir, "plan.json", UNRESOLVED_PLAN);
    let select = "AWS-S3-003,AWS-S3-007";
    let out = run(&["check", &plan, "--select", select, "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    // one block and one logging configuration cover at most one bucket each: none passes,
    // none violates, each is undecided on its own
    let mut expected = Vec::new();
    for policy in ["AWS-S3-003", "AWS-S3-007"] {
        for bucket in ["app", "logs", "zzz"] {
            expected.push(finding(
                policy,
                &format!("aws_s3_bucket.{bucket}"),
                "indeterminate",
            ));
        }
    }
    assert_eq!(kinds(&out.stdout), expected, "{}", out.stdout);
    // each names what is unknown: the companion's `bucket`, not the bucket's own
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    for f in report["findings"].as_array().unwrap() {
        let (companion, message) = match f["policy"].as_str().unwrap() {
            "AWS-S3-003" => (
                "aws_s3_bucket_public_access_block.p",
                "the `bucket` of `aws_s3_bucket_public_access_block.p` is known only after apply; \
                 the policy cannot decide yet",
            ),
            _ => (
                "aws_s3_bucket_logging.x",
                "the `bucket` of `aws_s3_bucket_logging.x` is known only after apply; the policy \
                 cannot decide yet",
            ),
        };
        assert_eq!(f["message"], message, "{f}");
        assert_eq!(f["path"], format!("{companion}.bucket"), "{f}");
    }
    // strict mode blocks on the mandatory rule's undecided buckets
    let strict = run(&["check", &plan, "--select", select, "--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.snapshot());
    assert_eq!(
        strict
            .stdout
            .matches("aws_s3_bucket_public_access_block.p.bucket")
            .count(),
        3,
        "{}",
        strict.stdout
    );
}

#[test]
fn advisory_findings_do_not_block() {
    let out = run(&["check", PULUMI, "--select", "PLATFORM-001"]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    assert!(out.stdout.contains("advisory"));
    assert!(out.stdout.contains("PLATFORM-001"));
}

#[test]
fn policy_config_overrides_levels_and_settings() {
    let dir = temp_dir();
    let config = write(
        &dir,
        "policy-config.json",
        r#"{"all": "advisory", "component-memory-limit": {"enforcementLevel": "mandatory", "limit": "4Gi"}}"#,
    );
    // Everything advisory: nothing blocks.
    let out = run(&[
        "check",
        PULUMI,
        "--select",
        SPINE,
        "--policy-config",
        &config,
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.snapshot());
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["policy"] != "PLATFORM-001"),
        "a 4Gi limit lets the 2Gi component pass"
    );
    // A limit below the component's memory, mandatory: it blocks.
    let config = write(
        &dir,
        "strict-config.json",
        r#"{"PLATFORM-001": {"enforcementLevel": "mandatory", "limit": "512Mi"}}"#,
    );
    let out = run(&[
        "check",
        PULUMI,
        "--select",
        "PLATFORM-001",
        "--policy-config",
        &config,
    ]);
    assert_eq!(out.code, 1, "{}", out.snapshot());
}

#[test]
fn a_failing_policy_is_reported_and_exits_2() {
    let dir = temp_dir();
    let config = write(
        &dir,
        "bad-limit.json",
        r#"{"PLATFORM-001": {"limit": "lots"}}"#,
    );
    let out = run(&[
        "check",
        PULUMI,
        "--select",
        SPINE,
        "--policy-config",
        &config,
    ]);
    assert_eq!(out.code, 2, "{}", out.snapshot());
    assert!(out.stdout.contains("error"), "{}", out.stdout);
    assert!(
        out.stdout.contains("`lots`"),
        "the error names the bad value: {}",
        out.stdout
    );
    // The run completed: the other policies still reported.
    assert!(out.stdout.contains("AWS-ELB-001"));
}

#[test]
fn bad_input_is_a_clear_error_with_exit_2() {
    let dir = temp_dir();
    let not_json = write(
        &dir,
        "plan.json",
        "{\n  \"format_version\": \"1.2\",\n  oops\n}\n",
    );
    let out = run(&["check", &not_json]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with(&format!("error: {not_json}:3:")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("help:"), "{}", out.stderr);
    assert_eq!(out.stdout, "");

    let unknown_shape = write(&dir, "other.json", r#"{"hello": "world"}"#);
    let out = run(&["check", &unknown_shape]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("other.json"), "{}", out.stderr);
    assert!(
        out.stderr.contains("terraform-plan") && out.stderr.contains("pulumi"),
        "names the formats tried: {}",
        out.stderr
    );

    let out = run(&["check", "no/such/file.json"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no/such/file.json"), "{}", out.stderr);

    let empty = write(&dir, "empty.tfstate", "");
    let out = run(&["check", &empty]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("empty.tfstate"), "{}", out.stderr);

    let out = run(&["check", TF, "--input-format", "pulumi-preview"]);
    assert_eq!(out.code, 2, "a forced format that does not fit is an error");
    assert!(out.stderr.contains("terraform-plan.json"), "{}", out.stderr);
}

#[test]
fn usage_errors_exit_2_and_suggest() {
    let out = run(&["check", TF, "--select", "AWS-ELB-901"]);
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.snapshot());

    let out = run(&["check", TF, "--input-format", "terraform-plans"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `terraform-plan`?"),
        "{}",
        out.stderr
    );

    let out = run(&["check"]);
    assert_eq!(out.code, 2, "clap usage errors exit 2 too");

    let out = run(&["check", TF, "--pack", "examples/packs/none"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("examples/packs/none"), "{}", out.stderr);

    let dir = temp_dir();
    let config = write(&dir, "c.json", r#"{"no-such-policy": "advisory"}"#);
    let out = run(&["check", TF, "--policy-config", &config]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`no-such-policy`"), "{}", out.stderr);
}

#[test]
fn the_default_set_runs_the_catalog_but_the_platform_demos() {
    let out = run(&["check", TF, "--format", "json"]);
    assert_eq!(out.code, 1);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let ran = report["summary"]["policies"].as_u64().unwrap();
    let ids: Vec<&str> = report["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(ids.iter().all(|id| !id.starts_with("PLATFORM-")), "{ids:?}");
    let listed = run(&["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    let demos = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"].as_str().unwrap().starts_with("PLATFORM-"))
        .count() as u64;
    assert_eq!(demos, 3);
    assert_eq!(ran + demos, rules["count"].as_u64().unwrap());
    // the demos are still there when asked for
    let out = run(&["check", TF, "--select", "topic=tagging", "--format", "json"]);
    assert!(out.stdout.contains("\"PLATFORM-003\""), "{}", out.stdout);
}

#[test]
fn several_inputs_in_one_run() {
    let out = run(&["check", TF, PULUMI, "--select", SPINE, "--format", "json"]);
    assert_eq!(out.code, 1);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let inputs = report["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    assert_eq!(inputs[0]["format"], "terraform-plan");
    assert_eq!(inputs[1]["format"], "pulumi-preview");
    let total: u64 = inputs
        .iter()
        .map(|i| i["summary"]["mandatory"].as_u64().unwrap())
        .sum();
    assert_eq!(report["summary"]["mandatory"].as_u64().unwrap(), total);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = run(&["check", TF, "--select", SPINE]);
    assert!(!plain.stdout.contains('\x1b'), "no colour into a pipe");
    let coloured = run(&["check", TF, "--select", SPINE, "--color", "always"]);
    assert!(coloured.stdout.contains("\x1b["));
}

#[test]
fn rule_explains_and_rules_lists() {
    let out = run(&["rule", "AWS-ELB-001"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("AWS-ELB-001"));
    for section in ["What it checks", "Why it matters", "Fix"] {
        assert!(
            out.stdout.to_lowercase().contains(&section.to_lowercase()),
            "{section} missing:\n{}",
            out.stdout
        );
    }
    let out = run(&["rule", "AWS-ELB-01"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean"), "{}", out.stderr);
    let out = run(&["rules"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("PLATFORM-003"));
}

#[test]
fn audit_reads_deployed_state() {
    let Some(corpus) = corpus::corpus("audit_reads_deployed_state") else {
        return;
    };
    let state =
        corpus.join("pulumi-state/pulumi-core/pkg/resource/stack/testdata/checkpoint-v4.json");
    let out = run(&[
        "audit",
        state.to_str().unwrap(),
        "--select",
        SPINE,
        "--format",
        "json",
    ]);
    assert!(out.code == 0 || out.code == 1, "{}", out.snapshot());
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["inputs"][0]["format"], "pulumi-stack");
    assert!(report["summary"]["resources"].as_u64().unwrap() > 0);
}

#[test]
fn readme_quick_start_output_is_current() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let command = "cargo run --release -p guardrail -- check examples/plans/pulumi-preview.json --select AWS-ELB-001,AWS-EC2-001,PLATFORM";
    assert!(
        readme.contains(command),
        "README's quick start command changed; update this test"
    );
    let marker = readme.find("<!-- quick-start-output").unwrap();
    let block = &readme[marker..];
    let start = block.find("```text\n").unwrap() + "```text\n".len();
    let end = block[start..].find("```").unwrap();
    let shown = &block[start..start + end];
    let out = run(&["check", PULUMI, "--select", SPINE]);
    assert_eq!(out.code, 1);
    assert_eq!(
        shown, out.stdout,
        "README's quick-start output differs from what the command prints"
    );
}
