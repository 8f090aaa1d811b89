//! The CI files users copy or reference: the composite GitHub Action (`action.yml`), the
//! pre-commit hooks (`.pre-commit-hooks.yaml`) and the examples in `examples/ci/`. They parse,
//! and their shell steps run here as GitHub and pre-commit would run them: against the built
//! binary, with the environment they expect, and with stand-ins for `cargo` and `terraform`
//! where the real ones would build or plan.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{root, temp_dir, write, Output};
use serde_json::Value;

fn yaml(rel: &str) -> Value {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    yaml_serde::from_str(&text).unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"))
}

fn binary_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_guardrail"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The `run:` script of the action's step named `name`.
fn action_step(name: &str) -> String {
    let action = yaml("action.yml");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let step = steps
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("action.yml has no step `{name}`"));
    assert_eq!(step["shell"], "bash", "{name}");
    step["run"].as_str().unwrap().to_string()
}

/// Runs a script with bash in `cwd`, with `env` on top of a `PATH` that starts with `path`.
fn bash(script: &str, cwd: &Path, path: &[&Path], env: &[(&str, String)]) -> Output {
    let mut dirs: Vec<PathBuf> = path.iter().map(|p| p.to_path_buf()).collect();
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut cmd = Command::new("bash");
    cmd.arg("-c")
        .arg(script)
        .current_dir(cwd)
        .env("PATH", std::env::join_paths(dirs).unwrap())
        .env_remove("GITHUB_ACTIONS")
        .env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `key=value` lines of a `GITHUB_OUTPUT` file.
fn outputs(path: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn executable(dir: &Path, name: &str, script: &str) {
    let path = write(dir, name, script);
    let status = Command::new("chmod").arg("+x").arg(&path).status().unwrap();
    assert!(status.success());
}

#[test]
fn ci_files_parse_and_have_their_parts() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    for input in [
        "files",
        "command",
        "args",
        "sarif",
        "sarif-file",
        "version",
        "repository",
    ] {
        assert!(
            action["inputs"][input]["description"].is_string(),
            "action.yml input `{input}`"
        );
    }
    let steps = action["runs"]["steps"].as_array().unwrap();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.contains(&"actions/cache@v4"), "{uses:?}");
    assert!(
        uses.contains(&"github/codeql-action/upload-sarif@v3"),
        "{uses:?}"
    );

    let hooks = yaml(".pre-commit-hooks.yaml");
    let ids: Vec<&str> = hooks
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["guardrail", "guardrail-terraform"]);
    for h in hooks.as_array().unwrap() {
        assert_eq!(h["language"], "system");
        assert!(h["entry"].as_str().unwrap().contains("guardrail check"));
    }

    // every install step of the examples builds this repository from Git (the crate is not
    // published), and none installs a crate by name from a registry
    let workflow = yaml("examples/ci/github-actions.yml");
    let text = workflow.to_string();
    assert!(
        !text.contains("cargo install --locked guardrail"),
        "the workflow installs an unpublished crate"
    );
    let steps = workflow["jobs"]["guardrail"]["steps"].as_array().unwrap();
    let install = steps
        .iter()
        .find(|s| s["name"] == "Install guardrail")
        .unwrap();
    assert!(install["run"].as_str().unwrap().contains(
        "cargo install --locked --git \"$GUARDRAIL_GIT\" --rev \"$GUARDRAIL_REV\" guardrail"
    ));
    assert!(steps.iter().any(|s| s["uses"] == "actions/cache@v4"));
    let cargo_toml = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let repository = cargo_toml
        .lines()
        .find_map(|l| l.strip_prefix("repository = "))
        .unwrap()
        .trim_matches('"');
    assert_eq!(workflow["env"]["GUARDRAIL_GIT"], repository);
    yaml("examples/ci/pre-commit-config.yaml");
}

#[test]
fn the_example_workflow_resolves_and_pins_a_commit() {
    // the workflow's resolve step, run against this repository's own Git data
    let workflow = yaml("examples/ci/github-actions.yml");
    let steps = workflow["jobs"]["guardrail"]["steps"].as_array().unwrap();
    let resolve = steps.iter().find(|s| s["id"] == "guardrail-rev").unwrap()["run"]
        .as_str()
        .unwrap()
        .to_string();
    let dir = temp_dir();
    let output = dir.join("github_output");
    let out = bash(
        &resolve,
        &root(),
        &[],
        &[
            ("GUARDRAIL_GIT", root().display().to_string()),
            ("GUARDRAIL_REF", "HEAD".to_string()),
            ("GITHUB_OUTPUT", output.display().to_string()),
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    let rev = outputs(&output)["rev"].clone();
    assert_eq!(rev.len(), 40, "a commit id: `{rev}`");
    assert!(rev.bytes().all(|b| b.is_ascii_hexdigit()), "{rev}");
}

#[test]
fn the_action_checks_writes_sarif_and_gates() {
    let dir = temp_dir();
    let output = dir.join("github_output");
    let sarif = dir.join("out.sarif");
    let check = action_step("Check");
    let env = |files: &str, args: &str, command: &str| {
        let _ = std::fs::remove_file(&output);
        vec![
            ("GUARDRAIL", env!("CARGO_BIN_EXE_guardrail").to_string()),
            ("COMMAND", command.to_string()),
            ("FILES", files.to_string()),
            ("ARGS", args.to_string()),
            ("SARIF_FILE", sarif.display().to_string()),
            ("GITHUB_OUTPUT", output.display().to_string()),
        ]
    };
    let out = bash(
        &check,
        &root(),
        &[],
        &env(
            "examples/source/terraform/plan.json",
            "--select AWS-ELB-001,AWS-EC2-001 --no-config",
            "check",
        ),
    );
    // the step itself succeeds, so that the SARIF upload runs; the gate fails the job later
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(outputs(&output)["exit-code"], "1");
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/source/terraform/main.tf"
    );
    // several files, one per line, and a passing run
    let out = bash(
        &check,
        &root(),
        &[],
        &env(
            "examples/plans/terraform-plan.json\nexamples/plans/pulumi-preview.json",
            "--select AWS-ELB-001 --no-config --fail-on never",
            "check",
        ),
    );
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(outputs(&output)["exit-code"], "0");
    assert!(
        out.stdout.contains("examples/plans/pulumi-preview.json"),
        "{out}"
    );
    // a wrong command and no files are errors that say what to do
    let out = bash(&check, &root(), &[], &env("plan.json", "", "apply"));
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stdout.contains("use `check` or `audit`"), "{out}");
    let out = bash(&check, &root(), &[], &env("  ", "", "check"));
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stdout.contains("the input `files` is empty"), "{out}");

    let gate = action_step("Gate");
    for (code, expect) in [("0", 0), ("1", 1), ("2", 2), ("", 2)] {
        let out = bash(&gate, &root(), &[], &[("EXIT_CODE", code.to_string())]);
        assert_eq!(out.code, expect, "EXIT_CODE={code}: {out}");
    }
}

#[test]
fn the_action_builds_once_and_then_uses_its_cache() {
    let dir = temp_dir();
    let fake = dir.join("fake");
    let log = dir.join("cargo.log");
    // a stand-in for `cargo install`: records its arguments and installs a stub binary into
    // `--root`/bin, as cargo would
    executable(
        &fake,
        "cargo",
        &format!(
            r#"#!/bin/sh
echo "$*" >> "{log}"
while [ $# -gt 0 ]; do [ "$1" = --root ] && root=$2; shift; done
mkdir -p "$root/bin"
printf '#!/bin/sh\necho "guardrail 0.1.0"\n' > "$root/bin/guardrail"
chmod +x "$root/bin/guardrail"
"#,
            log = log.display()
        ),
    );
    let key_step = action_step("Which guardrail");
    let build = action_step("Build guardrail");
    let output = dir.join("github_output");
    let path_file = dir.join("github_path");
    let home = dir.join("home");
    let key_env = |version: &str| {
        vec![
            ("ACTION_PATH", root().display().to_string()),
            ("GUARDRAIL_VERSION", version.to_string()),
            ("GITHUB_OUTPUT", output.display().to_string()),
            ("HOME", home.display().to_string()),
        ]
    };
    let out = bash(&key_step, &root(), &[], &key_env(""));
    assert_eq!(out.code, 0, "{out}");
    let first = outputs(&output);
    let key = first["key"].clone();
    assert!(key.starts_with("src-") && key.len() == 24, "{key}");
    std::fs::remove_file(&output).unwrap();
    bash(&key_step, &root(), &[], &key_env(""));
    assert_eq!(
        outputs(&output)["key"],
        key,
        "the key of the same source is stable"
    );
    let bin = first["bin"].clone();
    assert_eq!(bin, format!("{}/.guardrail/{key}/bin", home.display()));

    let build_env = |version: &str, repository: &str| {
        vec![
            ("ACTION_PATH", root().display().to_string()),
            ("BIN_DIR", bin.clone()),
            ("GUARDRAIL_VERSION", version.to_string()),
            ("GUARDRAIL_REPOSITORY", repository.to_string()),
            ("GITHUB_PATH", path_file.display().to_string()),
        ]
    };
    // not cached: builds this action's own source
    let out = bash(
        &build,
        &root(),
        &[&fake],
        &build_env("", "https://example.invalid/g"),
    );
    assert_eq!(out.code, 0, "{out}");
    let calls = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        calls,
        format!(
            "install --locked --root {}/.guardrail/{key} --path {}/crates/guardrail\n",
            home.display(),
            root().display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(&path_file).unwrap(),
        format!("{bin}\n")
    );
    // cached: no build
    let out = bash(
        &build,
        &root(),
        &[&fake],
        &build_env("", "https://example.invalid/g"),
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("guardrail is cached: guardrail 0.1.0"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 1);

    // a version: a tag or a commit of the given repository
    std::fs::remove_dir_all(home.join(".guardrail")).unwrap();
    std::fs::remove_file(&log).unwrap();
    for version in ["v0.2.0", "0123abcd"] {
        let out = bash(
            &build,
            &root(),
            &[&fake],
            &build_env(version, "https://example.invalid/guardrail"),
        );
        assert_eq!(out.code, 0, "{out}");
        std::fs::remove_dir_all(home.join(".guardrail")).unwrap();
    }
    let calls = std::fs::read_to_string(&log).unwrap();
    let root_dir = format!("{}/.guardrail/{key}", home.display());
    assert_eq!(
        calls,
        format!(
            "install --locked --root {root_dir} --git https://example.invalid/guardrail --tag v0.2.0 guardrail\n\
             install --locked --root {root_dir} --git https://example.invalid/guardrail --rev 0123abcd guardrail\n"
        )
    );
    // a version without a repository to build it from
    let out = bash(
        &build,
        &root(),
        &[&fake],
        &build_env("v0.2.0", "https://github.com/"),
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stdout.contains("set the input `repository`"), "{out}");
}

#[test]
fn the_pre_commit_hooks_run() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    let bin = binary_dir();

    // `guardrail`: the entry with the staged files appended, as pre-commit runs it
    let entry = hooks[0]["entry"].as_str().unwrap();
    let files = hooks[0]["files"].as_str().unwrap();
    let matched = common::python(
        "import re,sys; print(' '.join(p for p in sys.argv[2:] if re.search(sys.argv[1], p)))",
        &[
            files.as_ref(),
            "tfplan.json".as_ref(),
            "infra/plan.json".as_ref(),
            "preview-prod.json".as_ref(),
            "main.tf".as_ref(),
            "package.json".as_ref(),
        ],
        "the hook's `files` pattern",
    );
    assert_eq!(
        matched.trim(),
        "tfplan.json infra/plan.json preview-prod.json"
    );
    let out = bash(
        &format!("{entry} examples/source/terraform/plan.json --no-config"),
        &root(),
        &[&bin],
        &[],
    );
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout
            .contains("at examples/source/terraform/main.tf:44 (port)"),
        "{out}"
    );

    // `guardrail-terraform`: plans (a stand-in `terraform` writes the example's plan) and
    // checks the plan against the configuration in the working directory
    let project = temp_dir();
    for rel in ["main.tf", "modules/app/main.tf", "modules/firewall/main.tf"] {
        let text =
            std::fs::read_to_string(root().join("examples/source/terraform").join(rel)).unwrap();
        write(&project, rel, &text);
    }
    let fake = project.join(".fake");
    executable(
        &fake,
        "terraform",
        &format!(
            r#"#!/bin/sh
case "$1" in
  plan) for a in "$@"; do case "$a" in -out=*) : > "${{a#-out=}}";; esac; done ;;
  show) cat "{}" ;;
esac
"#,
            root().join("examples/source/terraform/plan.json").display()
        ),
    );
    let entry = hooks[1]["entry"].as_str().unwrap();
    let inner = entry
        .strip_prefix("sh -c '")
        .and_then(|e| e.strip_suffix('\''))
        .unwrap_or_else(|| panic!("the hook's entry is `sh -c '...'`: {entry}"));
    write(
        &project,
        "guardrail.toml",
        "select = [\"AWS-ELB-001\", \"AWS-EC2-001\"]\n",
    );
    let out = bash(inner, &project, &[&bin, &fake], &[]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout
            .contains("at main.tf:35 (ingress[1].cidr_blocks[0])"),
        "{out}"
    );
    assert!(
        out.stdout.contains("at modules/firewall/main.tf:14"),
        "{out}"
    );
    assert!(
        !project.join(".guardrail-plan.json").exists(),
        "the hook cleans up"
    );
    assert!(
        !project.join(".guardrail-plan.bin").exists(),
        "the hook cleans up"
    );
}
