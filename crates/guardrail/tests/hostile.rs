//! Hostile packs and inputs: policies that try to exhaust memory or time, packs that link out of
//! their directory, inputs without end, outputs that collide or cannot be written. Each gets a
//! clear error and exit code 2, never an abort, a hang or a leak.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use common::{run, TempDir};

const PULUMI: &str = "examples/plans/pulumi-preview.json";

/// A well-behaved rule that the hostile policies run beside: it must still report.
const DENY_PORT: &str = r#"
deny_port[msg] {
    input.port == 5432
    msg := sprintf("postgres port %d", [input.port])
}
"#;

/// An OPA-bridge pack of the rules given and [`DENY_PORT`], in package `p`.
fn opa_pack(tag: &str, rules: &str) -> TempDir {
    let dir = TempDir::new(tag);
    dir.write("PulumiPolicy.yaml", "runtime: opa\n")
        .write("p.rego", &format!("package p\n\n{rules}{DENY_PORT}"));
    dir
}

/// The report line of `policy`'s outcome, which must be an error; the well-behaved rule must
/// have reported beside it.
fn error_line<'a>(out: &'a common::Output, policy: &str) -> &'a str {
    let line = out
        .stdout
        .lines()
        .find(|l| l.contains(policy))
        .unwrap_or_else(|| panic!("no outcome of {policy}: {out}"));
    assert!(line.contains("error"), "{line}");
    assert!(out.stdout.contains("postgres port 5432"), "{out}");
    line
}

#[test]
fn huge_builtins_are_policy_errors_and_the_rest_still_reports() {
    let dir = opa_pack(
        "huge",
        r#"deny_abort[msg] {
    input.type == "aws:lb/targetGroup:TargetGroup"
    count(numbers.range(1, 4000000000)) > 0
    msg := "never"
}

deny_slow[msg] {
    input.type == "aws:lb/targetGroup:TargetGroup"
    count(numbers.range(1, 2e8)) > 0
    msg := "never"
}

deny_wide[msg] {
    input.type == "aws:lb/targetGroup:TargetGroup"
    msg := sprintf("%1999999999d", [1])
}
"#,
    );
    let start = Instant::now();
    let out = run(&["check", PULUMI, "--pack", dir.path()]);
    let took = start.elapsed();
    assert_eq!(out.code, 2, "{out}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    for (policy, what) in [
        ("deny_abort", "numbers.range would build 4000000000 numbers"),
        ("deny_slow", "numbers.range would build 200000000 numbers"),
        (
            "deny_wide",
            "sprintf: the format asks for a width of 1999999999",
        ),
    ] {
        let line = error_line(&out, policy);
        assert!(line.contains(what), "{line}");
    }
    assert!(
        out.stdout.contains("deny_port  postgres port 5432"),
        "{out}"
    );
    assert!(out.stdout.contains("3 errors"), "{out}");
}

#[test]
fn a_busy_policy_is_stopped_near_its_time_limit() {
    let dir = TempDir::new("busy");
    dir.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "p.rego",
        r#"package p

stack_deny_busy[msg] {
    n := count([x | some i, j, k; numbers.range(1, 1000)[i]; numbers.range(1, 1000)[j]; numbers.range(1, 1000)[k]; x := i + j + k])
    msg := sprintf("%d", [n])
}
"#,
    );
    let start = Instant::now();
    let out = run(&[
        "check",
        PULUMI,
        "--pack",
        dir.path(),
        "--rego-timeout",
        "300ms",
    ]);
    let took = start.elapsed();
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stdout
            .contains("ran longer than its time limit of 300ms"),
        "{out}"
    );
    // A billion steps unchecked would take minutes; the limit stops it in well under a second
    // of evaluation (the margin is for loaded machines).
    assert!(took < Duration::from_secs(10), "took {took:?}");
    // The step budget (the default kind of limit) stops it too, at a count, not a time.
    let out = run(&[
        "check",
        PULUMI,
        "--pack",
        dir.path(),
        "--rego-max-steps",
        "1000000",
    ]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stdout
            .contains("more than its budget of 1000000 evaluation steps"),
        "{out}"
    );
    let bad = run(&[
        "check",
        PULUMI,
        "--pack",
        dir.path(),
        "--rego-max-steps",
        "0",
    ]);
    assert_eq!(bad.code, 2, "{bad}");
    assert!(bad.stderr.contains("--rego-max-steps"), "{bad}");
}

#[test]
fn a_pack_linking_out_of_itself_is_a_usage_error_that_shows_nothing_of_the_target() {
    let outside = TempDir::new("outside");
    outside.write(".env", "API_TOKEN=tok-31337-do-not-print\n");
    let pack = TempDir::new("linkpack");
    pack.write("PulumiPolicy.yaml", "runtime: opa\n")
        .write("p.rego", "package p\n\ndeny[msg] {\n    msg := \"x\"\n}\n");
    std::os::unix::fs::symlink(
        std::path::Path::new(outside.path()).join(".env"),
        std::path::Path::new(pack.path()).join("env.rego"),
    )
    .unwrap();
    let out = run(&["check", PULUMI, "--pack", pack.path()]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("outside the pack"), "{out}");
    assert!(!out.to_string().contains("tok-31337"), "{out}");
}

#[test]
fn endless_and_oversized_inputs_stop_at_the_size_limit() {
    // A device that never ends: stopped at the limit, not read until memory runs out.
    let start = Instant::now();
    let out = run(&["check", "--max-input-size", "1MiB", "/dev/zero"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("/dev/zero: is larger than the input size limit of 1 MiB"),
        "{out}"
    );
    assert!(out.stderr.contains("--max-input-size"), "{out}");
    assert!(start.elapsed() < Duration::from_secs(20));
    // A regular file over the limit is refused before it is read.
    let out = run(&["check", "--max-input-size", "1000", PULUMI]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("input size limit of 1000 bytes"),
        "{out}"
    );
    // The environment variable, when no flag is given; a bad value is a usage error.
    let root = common::root();
    let env = common::run_with(
        &root,
        &["check", PULUMI],
        &[("GUARDRAIL_MAX_INPUT_SIZE", "2KB")],
    );
    assert_eq!(env.code, 2, "{env}");
    assert!(env.stderr.contains("limit of 2000 bytes"), "{env}");
    let bad = common::run_with(
        &root,
        &["check", PULUMI],
        &[("GUARDRAIL_MAX_INPUT_SIZE", "lots")],
    );
    assert_eq!(bad.code, 2, "{bad}");
    assert!(
        bad.stderr
            .contains("GUARDRAIL_MAX_INPUT_SIZE environment variable"),
        "{bad}"
    );
    // Under the limit, the same file runs.
    let ok = run(&["check", "--max-input-size", "1MB", PULUMI]);
    assert_eq!(ok.code, 1, "{ok}");
}

#[test]
fn wrong_shaped_inputs_are_described_in_json_terms() {
    let dir = TempDir::new("shapes");
    let cases = [
        (
            "plan.json",
            r#"{"format_version":"1.2","terraform_version":"1.5.0","resource_changes":[{"address":"a","mode":"managed","type":"t","name":"n","change":{"actions":"hunter2"}}]}"#,
            "expected a list, found a string",
        ),
        (
            "state.json",
            r#"{"format_version":"1.0","terraform_version":"1.5.0","values":"hunter2"}"#,
            "expected an object, found a string",
        ),
        (
            "tfstate.json",
            r#"{"version":4,"terraform_version":"1.5.0","resources":[{"mode":"managed","type":"x","name":"y","instances":["hunter2"]}]}"#,
            "expected an object, found a string",
        ),
        (
            "stack.json",
            r#"{"version":3,"deployment":"hunter2"}"#,
            "expected an object, found a string",
        ),
        (
            "preview.json",
            r#"{"steps":[{"op":"create","urn":["hunter2"]}]}"#,
            "expected a string, found a list",
        ),
        (
            "events.json",
            r#"{"sequence":1,"timestamp":2,"resourcePreEvent":{"metadata":"hunter2"}}"#,
            "expected an object, found a string",
        ),
    ];
    // A list of resources of the wrong shape is an error, not a stack without resources that
    // every policy would pass.
    let not_lists = [
        (
            "instances.json",
            r#"{"version":4,"terraform_version":"1.5.0","resources":[{"mode":"managed","type":"x","name":"y","instances":"hunter2"}]}"#,
            "has `instances` that is not a list",
        ),
        (
            "resources.json",
            r#"{"version":3,"deployment":{"resources":"hunter2"}}"#,
            "has `resources` that is not a list",
        ),
        (
            "state-resources.json",
            r#"{"format_version":"1.0","terraform_version":"1.5.0","values":{"root_module":{"resources":{"a":"hunter2"}}}}"#,
            "has `resources` that is not a list",
        ),
    ];
    for (name, text, what) in cases.into_iter().chain(not_lists) {
        dir.write(name, text);
        let path = format!("{}/{name}", dir.path());
        let out = run(&["check", &path]);
        assert_eq!(out.code, 2, "{name}: {out}");
        assert!(out.stderr.contains(what), "{name}: {out}");
        for rust in ["struct", "enum ", "sequence", "u64", "Metadata", "hunter2"] {
            assert!(!out.stderr.contains(rust), "{name}: `{rust}` in {out}");
        }
    }
}

#[test]
fn standard_input_stops_at_the_size_limit_too() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_guardrail"))
        .args(["check", "--max-input-size", "1MiB", "-"])
        .current_dir(common::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // more than the limit; guardrail may stop reading early, so a broken pipe is fine
    let writer = std::thread::spawn(move || {
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..48 {
            if stdin.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("stdin: is larger than the input size limit of 1 MiB"),
        "{stderr}"
    );
}

#[test]
fn colliding_unknown_and_destructive_outputs_are_usage_errors() {
    let dir = TempDir::new("outputs");
    let input = format!("{}/plan.json", dir.path());
    std::fs::copy(common::root().join(PULUMI), &input).unwrap();
    let original = std::fs::read(&input).unwrap();
    let r_out = format!("{}/r.out", dir.path());
    let r_out_dot = format!("{}/./r.out", dir.path());
    let json_r = format!("json={r_out}");
    let sarif_r = format!("sarif={r_out_dot}");
    let json_in = format!("json={input}");
    let fixes_r = format!("sarif={}/fixes.json", dir.path());
    let fixes = format!("{}/fixes.json", dir.path());
    for (args, what) in [
        (
            vec!["--output", &json_r, "--output", &sarif_r],
            "the sarif report and the json report would both be written to",
        ),
        (
            vec!["--output", &json_in],
            "the json report would overwrite the input",
        ),
        (
            vec!["--output", &input],
            "the human report would overwrite the input",
        ),
        (
            vec!["--output", &fixes_r, "--fix-output", &fixes],
            "--fix-output and the sarif report would both be written to",
        ),
        (
            vec!["--output", "xml=out.xml"],
            "unknown report format `xml` in --output `xml=out.xml`",
        ),
        (
            vec!["--write-baseline", &input],
            "--write-baseline would overwrite the input",
        ),
        (
            vec!["--output", &json_r, "--write-baseline", &r_out_dot],
            "--write-baseline and the json report would both be written to",
        ),
        (
            vec!["--fix-output", &fixes, "--write-baseline", &fixes],
            "--write-baseline and --fix-output would both be written to",
        ),
    ] {
        let mut all = vec!["check", input.as_str()];
        all.extend(args);
        let out = run(&all);
        assert_eq!(out.code, 2, "{all:?}: {out}");
        assert!(out.stderr.contains(what), "{all:?}: {out}");
        assert!(out.stdout.is_empty(), "{all:?}: {out}");
    }
    let out = run(&["check", &input, "--output", "xml=out.xml"]);
    assert!(
        out.stderr
            .contains("formats: human, json, sarif, junit, markdown"),
        "{out}"
    );
    assert!(out.stderr.contains("write it as `./xml=out.xml`"), "{out}");
    assert_eq!(
        std::fs::read(&input).unwrap(),
        original,
        "the input is intact"
    );
    assert!(!std::path::Path::new(&r_out).exists());
    // A file whose name holds `=` behind a path is still a file.
    let odd = format!("{}/a=b.txt", dir.path());
    let out = run(&["check", &input, "--output", &odd]);
    assert_eq!(out.code, 1, "{out}");
    assert!(std::fs::read_to_string(&odd).unwrap().contains("summary:"));
}

/// Runs guardrail through the shell, so that standard output can be a full device or closed.
fn shell(redirect: &str) -> common::Output {
    let script = format!("exec \"$0\" check {PULUMI} {redirect}");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_guardrail"))
        .current_dir(common::root())
        .output()
        .unwrap();
    common::Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn a_report_standard_output_does_not_take_is_exit_2_with_a_message() {
    let full = shell("> /dev/full");
    assert_eq!(full.code, 2, "{full}");
    assert!(
        full.stderr
            .contains("cannot write the report to standard output: no space left on device"),
        "{full}"
    );
    let json = shell("--format json > /dev/full");
    assert_eq!(json.code, 2, "{json}");
    let closed = shell(">&-");
    assert_eq!(closed.code, 2, "{closed}");
    assert!(
        closed
            .stderr
            .contains("cannot write the report to standard output: it is closed"),
        "{closed}"
    );
    // Discarding the report on purpose is not an error.
    let null = shell("> /dev/null");
    assert_eq!(null.code, 1, "{null}");
    assert!(null.stderr.is_empty(), "{null}");
}

#[test]
fn a_reader_that_closes_the_pipe_early_is_exit_2_with_a_message() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    // `guardrail check --format sarif PLAN | head -c 10`: the SARIF report (about 800 KB) does
    // not fit in the pipe, so guardrail is still writing when the reader goes away.
    let mut child = Command::new(env!("CARGO_BIN_EXE_guardrail"))
        .args([
            "check",
            "--format",
            "sarif",
            "examples/plans/terraform-plan.json",
        ])
        .current_dir(common::root())
        .env_remove("GITHUB_ACTIONS")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut head = [0u8; 10];
    stdout.read_exact(&mut head).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("cannot write the report to standard output: the reader closed the pipe"),
        "{stderr}"
    );
}

#[test]
fn github_annotations_that_standard_error_does_not_take_are_exit_2() {
    let run_sh = |github: bool| {
        let mut cmd = std::process::Command::new("sh");
        cmd.arg("-c")
            .arg(format!(
                "exec \"$0\" check {PULUMI} > /dev/null 2> /dev/full"
            ))
            .arg(env!("CARGO_BIN_EXE_guardrail"))
            .current_dir(common::root())
            .env_remove("GUARDRAIL_TIMINGS");
        if github {
            cmd.env("GITHUB_ACTIONS", "true");
        } else {
            cmd.env_remove("GITHUB_ACTIONS");
        }
        cmd.status().unwrap().code()
    };
    // the annotations cannot be written, nor the message why: the exit code says it
    assert_eq!(run_sh(true), Some(2));
    // without annotations nothing goes to standard error, and the run gates as usual
    assert_eq!(run_sh(false), Some(1));
}

#[test]
fn a_fixture_file_linking_out_of_the_tested_pack_is_refused_without_its_content() {
    let outside = TempDir::new("outside");
    outside.write("secrets.yaml", "password: tok-31337-do-not-print\n");
    let pack = TempDir::new("fixturepack");
    pack.write("PulumiPolicy.yaml", "runtime: opa\n")
        .write("p.rego", "package p\n\ndeny[msg] {\n    msg := \"x\"\n}\n");
    std::os::unix::fs::symlink(
        std::path::Path::new(outside.path()).join("secrets.yaml"),
        std::path::Path::new(pack.path()).join("p.fixtures.yaml"),
    )
    .unwrap();
    let out = run(&["test", pack.path()]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("outside the pack"), "{out}");
    assert!(!out.to_string().contains("tok-31337"), "{out}");
}

#[test]
fn a_policy_that_grows_past_the_memory_limit_is_stopped_and_the_rest_still_reports() {
    // Each step builds a string under every builtin's size limit; together they would take
    // about 100 GB. The process stops the policy near its memory budget instead of aborting.
    let dir = opa_pack(
        "memory",
        r#"deny_grow[msg] {
    input.type == "aws:lb/targetGroup:TargetGroup"
    xs := [s | numbers.range(1, 100000)[_]; s := sprintf("%0999999d", [1])]
    count(xs) > 0
    msg := "never"
}
"#,
    );
    let start = Instant::now();
    let out = run(&[
        "check",
        PULUMI,
        "--pack",
        dir.path(),
        "--rego-max-memory",
        "256MiB",
    ]);
    assert_eq!(out.code, 2, "{out}");
    assert!(start.elapsed() < Duration::from_secs(60));
    let line = error_line(&out, "deny_grow");
    assert!(
        line.contains(
            "allocated more than its memory limit of 256 MiB and was stopped (raise it with --rego-max-memory)"
        ),
        "{line}"
    );
    // A size that is not one is a usage error.
    let bad = run(&[
        "check",
        PULUMI,
        "--pack",
        dir.path(),
        "--rego-max-memory",
        "lots",
    ]);
    assert_eq!(bad.code, 2, "{bad}");
    assert!(bad.stderr.contains("--rego-max-memory"), "{bad}");
}

#[test]
fn recursion_in_a_pack_is_refused_at_load_with_the_cycle_and_its_place() {
    let plan = "examples/plans/terraform-plan.json";
    let cases = [
        (
            "endless",
            "f(n) := f(n + 1) if n > 0\n\ndeny contains \"x\" if { f(1) > 0 }\n",
            "p.rego:4:9: `f` refers to itself: Rego does not allow recursion",
        ),
        (
            "deep",
            "f(n) := 0 if n <= 0\n\nf(n) := f(n - 1) + 1 if n > 0\n\ndeny contains \"x\" if { f(100000) > 0 }\n",
            "p.rego:6:9: `f` refers to itself",
        ),
        (
            "mutual-functions",
            "g(n) := h(n)\n\nh(n) := g(n) + 1\n\ndeny contains \"x\" if { g(1) > 0 }\n",
            "p.rego:4:9: recursion between rules or functions: `g` → `h` → `g`",
        ),
        (
            "rule-and-function",
            "f(n) := r if n > 0\n\nr := f(1)\n\ndeny contains \"x\" if { r }\n",
            "`f` → `r` → `f`",
        ),
        (
            "rules",
            "r if s\n\ns if data.main.r\n\ndeny contains \"x\" if { r }\n",
            "p.rego:4:6: recursion between rules or functions: `r` → `s` → `r`",
        ),
    ];
    for (tag, body, what) in cases {
        let dir = TempDir::new(tag);
        dir.write("p.rego", &format!("package main\nimport rego.v1\n\n{body}"));
        let out = run(&["check", "--pack", dir.path(), plan]);
        assert_eq!(out.code, 2, "{tag}: {out}");
        assert!(out.stderr.contains(what), "{tag}: {out}");
        assert!(
            out.stderr.contains("help: rewrite it without recursion"),
            "{tag}: {out}"
        );
        assert!(out.stdout.is_empty(), "{tag}: {out}");
        // `guardrail test` loads the pack the same way
        dir.write(
            "p_test.rego",
            "package main\nimport rego.v1\n\ntest_x if { true }\n",
        );
        let out = run(&["test", dir.path()]);
        assert_eq!(out.code, 2, "{tag}: {out}");
        assert!(out.stderr.contains(what), "{tag}: {out}");
    }
    // A recursion that only a test file makes is refused as well, at the test file.
    let dir = TempDir::new("test-recursion");
    dir.write(
        "p.rego",
        "package main\nimport rego.v1\n\ndeny contains \"x\" if { input.x }\n",
    )
    .write(
        "p_test.rego",
        "package main\nimport rego.v1\n\nloop(n) := loop(n)\n\ntest_loop if { loop(1) }\n",
    );
    let out = run(&["test", dir.path()]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("p_test.rego:4:12: `loop` refers to itself"),
        "{out}"
    );
    // A rule's own name taken for a local (an argument, `:=`, `every`) is not recursion.
    let fine = TempDir::new("no-recursion");
    fine.write(
        "p.rego",
        "package main\nimport rego.v1\n\ng(g) := g + 1\n\nu if { every u in [1] { u > 0 } }\n\nt if { t := 2; t > 1 }\n\ndeny contains \"x\" if { g(1) > 0; u; t; input.never }\n",
    );
    let out = run(&["check", "--pack", fine.path(), plan]);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn a_loop_of_calls_each_within_its_limit_is_stopped_by_the_evaluations_limit() {
    // Every json.marshal is far under the 256 MiB of one call, but a loop of them would build
    // gigabytes inside a few evaluation steps; the evaluation's limit (a quarter of
    // --rego-max-memory, at least 256 MiB) stops it after a bounded amount of work.
    let dir = opa_pack(
        "marshal-loop",
        r#"deny_loop[msg] {
    input.type == "aws:lb/targetGroup:TargetGroup"
    x := numbers.range(1, 20000)
    ys := [1 | numbers.range(1, 1000)[_]; count(json.marshal(x)) > 0]
    count(ys) > 0
    msg := "never"
}
"#,
    );
    let out = run(&[
        "check",
        PULUMI,
        "--pack",
        dir.path(),
        "--rego-max-memory",
        "64MiB",
    ]);
    assert_eq!(out.code, 2, "{out}");
    let line = error_line(&out, "deny_loop");
    assert!(
        line.contains(
            "json.marshal: the policy's builtins built more than 256 MiB in one evaluation"
        ),
        "{line}"
    );
    // With the default budget the same policy runs to its end: the limit is per evaluation.
    let fine = dir.write(
        "p.rego",
        r#"package p

deny_loop[msg] {
    input.type == "aws:lb/targetGroup:TargetGroup"
    x := numbers.range(1, 20000)
    ys := [1 | numbers.range(1, 20)[_]; count(json.marshal(x)) > 0]
    count(ys) > 0
    msg := "marshalled twenty times"
}
"#,
    );
    let out = run(&[
        "check",
        PULUMI,
        "--pack",
        fine.path(),
        "--rego-max-memory",
        "64MiB",
    ]);
    assert!(out.stdout.contains("marshalled twenty times"), "{out}");
}
