//! What a newcomer meets first: standard input, binary plans, `guardrail init`, `guardrail rule`
//! on pack policies, `guardrail test` on a pack without tests, the progress indicator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{root, run, run_with, Output, TempDir};

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
    // the exact text: no run of stray spaces from a string split over source lines
    assert_eq!(
        out.stderr,
        format!(
            "error: `{pack}` has policies but no tests: no `test_*` rules and no fixture files\n  \
             help: add a `test_*` rule (in a `*_test.rego` file) or a `*.fixtures.yaml` file beside \
             the policies; `guardrail pack new DIR` writes examples of both\n"
        ),
        "{out}"
    );
    // also when another path has tests: one untested pack is not hidden by the others
    let out = run(&["test", "examples/packs/platform-guardrails", &pack]);
    assert_eq!(out.code, 2, "{out}");
}

/// The file with every commented-out setting turned on, but for those that name files.
fn uncommented(text: &str) -> String {
    text.lines()
        .map(|line| {
            let setting = line.strip_prefix("# ").filter(|rest| {
                let key = rest.split(['=', ' ']).next().unwrap_or_default();
                (rest.contains(" = ") || rest.starts_with("[["))
                    && !["packs", "baseline"].contains(&key)
                    && !rest.starts_with("guardrail")
            });
            setting.unwrap_or(line).to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn init_writes_a_valid_commented_config_for_terraform() {
    let dir = TempDir::new("init-tf");
    dir.write("main.tf", "resource \"aws_s3_bucket\" \"logs\" {}\n")
        .write("variables.tf", "variable \"env\" {}\n");
    // the working directory by default
    let out = run_with(Path::new(dir.path()), &["init"], &[]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(
        out.stdout,
        "wrote `./guardrail.toml` for a Terraform configuration; edit it, then run `guardrail config validate`\n"
    );
    let file = format!("{}/guardrail.toml", dir.path());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("Terraform configuration here (2 files)"),
        "{text}"
    );
    assert!(
        text.contains("#   terraform show -json plan.out > plan.json"),
        "{text}"
    );
    assert!(
        text.lines().filter(|l| l.starts_with('#')).count() > 20,
        "{text}"
    );
    let valid = run(&["config", "validate", &file]);
    assert_eq!(valid.code, 0, "{valid}");
    // a check runs with it
    let check = run(&["check", TF, "--config", &file, "-q"]);
    assert_eq!(check.code, 1, "{check}");

    // the settings it shows commented out are valid too
    dir.write("all.toml", &uncommented(&text));
    let all = format!("{}/all.toml", dir.path());
    let full = std::fs::read_to_string(&all).unwrap();
    assert!(
        full.contains("\n[[exemptions]]\npolicies = [\"AWS-EC2-001\"]"),
        "{full}"
    );
    assert!(full.contains("\nselect = [\"vendor=aws\"]"), "{full}");
    let valid = run(&["config", "validate", &all]);
    assert_eq!(valid.code, 0, "{valid}\n{full}");
    assert!(valid.stdout.contains("1 exemption"), "{valid}");

    // no overwriting without --force
    std::fs::write(&file, "# mine\n").unwrap();
    let again = run(&["init", dir.path()]);
    assert_eq!(again.code, 2, "{again}");
    assert!(
        again.stderr.starts_with(&format!(
            "error: `{file}` already exists\n  help: nothing was written; pass `--force`"
        )),
        "{again}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# mine\n");
    let forced = run(&["init", dir.path(), "--force"]);
    assert_eq!(forced.code, 0, "{forced}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn init_finds_a_pulumi_project_and_its_runtime() {
    let dir = TempDir::new("init-pulumi");
    dir.write(
        "Pulumi.yaml",
        "name: shop\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n",
    );
    let out = run(&["init", dir.path()]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("for the Pulumi project `shop` (python)"),
        "{out}"
    );
    let file = format!("{}/guardrail.toml", dir.path());
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("the Pulumi project `shop` (runtime `python`)"),
        "{text}"
    );
    assert!(
        text.contains("#   pulumi preview --json > preview.json"),
        "{text}"
    );
    assert!(!text.contains("terraform plan"), "{text}");
    assert_eq!(run(&["config", "validate", &file]).code, 0);
    dir.write("all.toml", &uncommented(&text));
    let valid = run(&["config", "validate", &format!("{}/all.toml", dir.path())]);
    assert_eq!(valid.code, 0, "{valid}");

    // a plain runtime string too
    let other = TempDir::new("init-node");
    other.write("Pulumi.yaml", "name: web\nruntime: nodejs\n");
    let out = run(&["init", other.path()]);
    assert!(out.stdout.contains("`web` (nodejs)"), "{out}");
}

#[test]
fn init_without_a_project_says_what_it_looked_for() {
    let dir = TempDir::new("init-empty");
    dir.write("README.md", "nothing here\n");
    let out = run(&["init", dir.path()]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains(
            "holds no Terraform configuration (`*.tf`) and no Pulumi project (`Pulumi.yaml`)"
        ),
        "{out}"
    );
    assert!(!Path::new(&format!("{}/guardrail.toml", dir.path())).exists());
}

#[test]
fn rule_explains_pack_policies() {
    let out = run(&[
        "rule",
        "dangerous-ports",
        "--pack",
        "examples/packs/platform-guardrails",
    ]);
    assert_eq!(out.code, 0, "{out}");
    for want in [
        "# PG-001 `dangerous-ports`: Load-balancer target groups do not forward to administrative ports\n",
        "The Rego counterpart of the built-in AWS-ELB-001.",
        "- pack: `platform-guardrails` (guardrail pack, `examples/packs/platform-guardrails`)\n",
        "- severity: high\n- default enforcement: mandatory\n",
        "- frameworks: nist-800-53 CM-7, SC-7\n",
        "  - `ports` (default `[22,23,3389,5432,3306]`): Administrative ports a target group must not use.\n",
        "## How to fix it\n\nPoint the target group at the application's port",
    ] {
        assert!(out.stdout.contains(want), "{want}\n{out}");
    }

    // the packs of the project config, found from the working directory
    let dir = TempDir::new("rule-config");
    let pack = format!("{}/policies", dir.path());
    assert_eq!(
        run(&["pack", "new", &pack, "--name", "acme-guards"]).code,
        0
    );
    dir.write("guardrail.toml", "packs = [\"policies\"]\n");
    let sub = format!("{}/infra", dir.path());
    std::fs::create_dir_all(&sub).unwrap();
    let out = run_with(Path::new(&sub), &["rule", "AG-001"], &[]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.starts_with("# AG-001 "), "{out}");
    assert!(out.stdout.contains("- severity: high\n"), "{out}");
    assert!(
        out.stdout.contains("- default enforcement: mandatory\n"),
        "{out}"
    );
    // built-in rules are still explained there
    let out = run_with(Path::new(&sub), &["rule", "AWS-ELB-001"], &[]);
    assert_eq!(out.code, 0, "{out}");

    // an unknown id names where it looked and suggests the nearest
    let out = run(&[
        "rule",
        "PG-01",
        "--pack",
        "examples/packs/platform-guardrails",
    ]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.starts_with(
            "error: neither the built-in catalog nor the pack `examples/packs/platform-guardrails` has a policy called `PG-01`\n  help: did you mean `PG-001`?"
        ),
        "{out}"
    );
}

#[test]
fn progress_shows_only_on_a_terminal_or_when_forced() {
    // standard error is a pipe here: nothing but the report
    let quiet = run(&["check", TF, "--format", "json"]);
    assert_eq!(quiet.stderr, "", "{quiet}");
    let never = run(&["check", TF, "--format", "json", "--progress", "never"]);
    assert_eq!(never.stderr, "");

    let forced = run(&["check", TF, "--format", "json", "--progress", "always"]);
    assert_eq!(forced.code, quiet.code);
    // the report is untouched; the line is drawn in place on standard error, then erased
    assert_eq!(forced.stdout, quiet.stdout);
    let frames: Vec<&str> = forced.stderr.split("\r\x1b[K").collect();
    assert!(
        frames
            .iter()
            .any(|f| f.starts_with("| loading `examples/plans/terraform-plan.json` (1/1) (")),
        "{frames:?}"
    );
    assert!(
        frames.iter().any(|f| f
            .starts_with("| evaluating `examples/plans/terraform-plan.json` (1/1): 8 resources, ")),
        "{frames:?}"
    );
    assert!(forced.stderr.ends_with("\r\x1b[K"), "{frames:?}");
    assert!(!forced.stderr.contains('\n'), "{frames:?}");

    // an error after the line has been drawn starts on a clean line
    let broken = run(&["check", "no-such-plan.json", "--progress", "always"]);
    assert_eq!(broken.code, 2);
    assert!(
        broken.stderr.contains("\r\x1b[Kerror: no-such-plan.json"),
        "{broken}"
    );
}

#[test]
fn the_verdict_says_why_findings_did_not_block() {
    let out = run(&["check", TF, "--fail-on-severity", "critical"]);
    assert_eq!(out.code, 1, "{out}");
    let last = out.stdout.lines().last().unwrap();
    assert!(
        last.starts_with("blocked: 1 blocking finding (not blocking: ")
            && last.contains(" below fail_on_severity `critical`"),
        "{last}"
    );
    assert!(
        out.stdout
            .contains("not blocking: below fail_on_severity `critical`\n"),
        "{out}"
    );
    let md = run(&[
        "check",
        TF,
        "--fail-on-severity",
        "critical",
        "--format",
        "markdown",
    ]);
    assert!(
        md.stdout.contains(
            "### Mandatory, not blocking (baseline, `fail_on_severity` or `--fail-on`) ("
        ),
        "{md}"
    );
    let advisory = md
        .stdout
        .split("### Advisory findings")
        .nth(1)
        .unwrap_or_default();
    assert!(!advisory.contains("(mandatory,"), "{md}");
    let json = run(&[
        "check",
        TF,
        "--fail-on-severity",
        "critical",
        "--format",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(
        report["verdict"]["not_blocking"]["below_severity"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert_eq!(report["verdict"]["line"], last);

    // a baseline of today's findings lets them all pass, and says so
    let dir = TempDir::new("verdict");
    let baseline = format!("{}/baseline.json", dir.path());
    assert_eq!(run(&["check", TF, "--write-baseline", &baseline]).code, 0);
    let out = run(&["check", TF, "--baseline", &baseline]);
    assert_eq!(out.code, 0, "{out}");
    let last = out.stdout.lines().last().unwrap();
    assert!(
        last.starts_with("passed: nothing blocks (not blocking: ")
            && last.contains(" in the baseline"),
        "{last}"
    );
}
