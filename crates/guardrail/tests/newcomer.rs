//! What a newcomer meets first: standard input, binary plans, `guardrail init`, `guardrail rule`
//! on pack policies, `guardrail test` on a pack without tests, the progress indicator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{root, run, Output, TempDir};

const TF: &str = "examples/plans/terraform-plan.json";
const STATE: &str =
    "../shared/corpus/pulumi-state/pulumi-core/pkg/resource/stack/testdata/checkpoint-v4.json";

/// Runs guardrail in the workspace root with `input` on standard input.
fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guardrail"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GUARDRAIL_TIMINGS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let bytes = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&bytes);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn dash_reads_standard_input_in_check_and_audit() {
    let plan = std::fs::read(root().join(TF)).unwrap();
    let from_file = run(&["check", TF, "--format", "json"]);
    let from_stdin = run_stdin(&["check", "-", "--format", "json"], &plan);
    assert_eq!(from_stdin.code, from_file.code, "{from_stdin}");
    let a: serde_json::Value = serde_json::from_str(&from_file.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_str(&from_stdin.stdout).unwrap();
    assert_eq!(b["inputs"][0]["file"], "stdin");
    assert_eq!(a["summary"], b["summary"]);
    assert_eq!(
        a["findings"].as_array().map(Vec::len),
        b["findings"].as_array().map(Vec::len)
    );

    let state = std::fs::read(root().join(STATE)).unwrap();
    let audit = run_stdin(&["audit", "-", "--format", "json"], &state);
    assert!(audit.code == 0 || audit.code == 1, "{audit}");
    let report: serde_json::Value = serde_json::from_str(&audit.stdout).unwrap();
    assert_eq!(report["inputs"][0]["format"], "pulumi-stack");

    // nothing on standard input is an error about standard input, not a panic
    let empty = run_stdin(&["check", "-"], b"");
    assert_eq!(empty.code, 2, "{empty}");
    assert!(empty.stderr.starts_with("error: stdin"), "{empty}");
}

#[test]
fn a_binary_plan_says_how_to_make_json() {
    let dir = TempDir::new("binary");
    dir.write(
        "tfplan",
        "PK\u{3}\u{4}\u{14}\u{0}\u{8}\u{0}rest of a zip archive",
    );
    let plan = format!("{}/tfplan", dir.path());
    let out = run(&["check", &plan]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "error: {plan}: is a binary plan (a zip archive, what `terraform plan -out` writes), not JSON"
        )),
        "{out}"
    );
    assert!(
        out.stderr.contains(&format!(
            "help: this is a binary plan: run `terraform show -json {plan} > plan.json`"
        )),
        "{out}"
    );
    let out = run_stdin(&["check", "-"], b"PK\x03\x04\x14\x00");
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("help: this is a binary plan: run `terraform show -json plan > plan.json`"),
        "{out}"
    );
    assert_eq!(out.stdout, "");
}

#[test]
fn test_on_a_pack_without_tests_says_so_and_exits_2() {
    let dir = TempDir::new("untested");
    let pack = format!("{}/pack", dir.path());
    let made = run(&["pack", "new", &pack]);
    assert_eq!(made.code, 0, "{made}");
    // the scaffold passes; without its tests there is nothing to run
    let out = run(&["test", &pack]);
    assert_eq!(out.code, 0, "{out}");
    for test in [
        "policies/public_buckets_test.rego",
        "tests/public_buckets.fixtures.yaml",
        "tests/bucket_count.fixtures.yaml",
        "tests/owner_tag.fixtures.yaml",
    ] {
        std::fs::remove_file(format!("{pack}/{test}")).unwrap();
    }
    let out = run(&["test", &pack]);
    assert_eq!(out.code, 2, "{out}");
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with(&format!(
            "error: `{pack}` has policies but no tests: no `test_*` rules and no fixture files\n  help: add a `test_*` rule"
        )),
        "{out}"
    );
    // also when another path has tests: one untested pack is not hidden by the others
    let out = run(&["test", "examples/packs/platform-guardrails", &pack]);
    assert_eq!(out.code, 2, "{out}");
}
