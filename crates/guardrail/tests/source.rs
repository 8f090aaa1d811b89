//! Findings point where the code is: the `.tf` file and line of the property (modules, `count`
//! and `for_each` instances, `dynamic` blocks) in every report format, and Pulumi's
//! `sourcePosition` of a resource.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{root, run, run_with, temp_dir};
use serde_json::Value;

const PLAN: &str = "examples/source/terraform/plan.json";
const DIR: &str = "examples/source/terraform";
const SELECT: &str = "AWS-ELB-001,AWS-EC2-001";

/// Every finding of the example, as (resource, policy, file, line) where the code writes it.
const EXPECTED: &[(&str, &str, &str, usize)] = &[
    (
        "aws_security_group.admin",
        "AWS-EC2-001",
        "examples/source/terraform/main.tf",
        35,
    ),
    (
        "aws_lb_target_group.db[0]",
        "AWS-ELB-001",
        "examples/source/terraform/main.tf",
        44,
    ),
    (
        "aws_lb_target_group.db[1]",
        "AWS-ELB-001",
        "examples/source/terraform/main.tf",
        44,
    ),
    (
        "module.app.aws_lb_target_group.ssh[\"blue\"]",
        "AWS-ELB-001",
        "examples/source/terraform/modules/app/main.tf",
        6,
    ),
    (
        "module.app.aws_lb_target_group.ssh[\"green\"]",
        "AWS-ELB-001",
        "examples/source/terraform/modules/app/main.tf",
        6,
    ),
    (
        "module.app.module.firewall[0].aws_security_group.this[\"rdp\"]",
        "AWS-EC2-001",
        "examples/source/terraform/modules/firewall/main.tf",
        14,
    ),
];

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn expected() -> Vec<(String, String, String, usize)> {
    EXPECTED
        .iter()
        .map(|(r, p, f, l)| (r.to_string(), p.to_string(), f.to_string(), *l))
        .collect()
}

#[test]
fn json_report_carries_the_source_line_of_each_finding() {
    let out = run(&[
        "check",
        PLAN,
        "--select",
        SELECT,
        "--no-config",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{out}");
    let report = json(&out.stdout);
    let got: Vec<(String, String, String, usize)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["resource"]["id"].as_str().unwrap().to_string(),
                f["policy"].as_str().unwrap().to_string(),
                f["source"]["file"].as_str().unwrap().to_string(),
                f["source"]["line"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(got, expected());
    // the plan's own line stays on the resource
    assert!(report["findings"][0]["resource"]["line"].as_u64().unwrap() > 0);
    // a remote module's resources keep the plan's lines, and the user is told why
    assert!(
        out.stderr.contains(
            "note: module `module.vpc` comes from `terraform-aws-modules/vpc/aws`, not a local path"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn sarif_locations_are_the_source_file_and_line() {
    let out = run(&[
        "check",
        PLAN,
        "--select",
        SELECT,
        "--no-config",
        "--format",
        "sarif",
    ]);
    assert_eq!(out.code, 1, "{out}");
    let log = json(&out.stdout);
    let got: Vec<(String, String, String, usize)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0];
            let physical = &loc["physicalLocation"];
            (
                loc["logicalLocations"][0]["fullyQualifiedName"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["ruleId"].as_str().unwrap().to_string(),
                physical["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                physical["region"]["startLine"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(got, expected());
}

#[test]
fn github_annotations_point_at_the_source() {
    let out = run_with(
        &root(),
        &["check", PLAN, "--select", SELECT, "--no-config"],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_eq!(out.code, 1, "{out}");
    let annotations: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(annotations.len(), EXPECTED.len(), "{}", out.stderr);
    for ((resource, _, file, line), annotation) in EXPECTED.iter().zip(&annotations) {
        assert!(
            annotation.starts_with(&format!("::error file={file},line={line},")),
            "{annotation}"
        );
        assert!(annotation.contains(resource), "{annotation}");
    }
}

#[test]
fn human_markdown_and_junit_name_file_and_line() {
    let out = run(&["check", PLAN, "--select", SELECT, "--no-config"]);
    assert!(
        out.stdout
            .contains("at examples/source/terraform/main.tf:35 (ingress[1].cidr_blocks[0])"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(
        "at examples/source/terraform/modules/firewall/main.tf:14 (ingress[0].cidr_blocks[0])"
    ));
    let out = run(&[
        "check",
        PLAN,
        "--select",
        SELECT,
        "--no-config",
        "--format",
        "markdown",
    ]);
    assert!(
        out.stdout
            .contains("at `port` in `examples/source/terraform/modules/app/main.tf:6`"),
        "{}",
        out.stdout
    );
    let out = run(&[
        "check",
        PLAN,
        "--select",
        SELECT,
        "--no-config",
        "--format",
        "junit",
    ]);
    assert!(
        out.stdout
            .contains("file=\"examples/source/terraform/main.tf\" line=\"44\""),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains("[at port, examples/source/terraform/main.tf:44]"));
}

#[test]
fn source_flag_maps_a_plan_kept_elsewhere() {
    // the plan away from its configuration: nothing maps, until --source names it
    let dir = temp_dir();
    let plan = dir.join("plan.json");
    std::fs::copy(root().join(PLAN), &plan).unwrap();
    let plan = plan.to_str().unwrap();
    let out = run(&[
        "check",
        plan,
        "--select",
        SELECT,
        "--no-config",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{out}");
    let report = json(&out.stdout);
    assert!(report["findings"][0].get("source").is_none(), "{report}");
    let out = run(&[
        "check",
        plan,
        "--source",
        DIR,
        "--select",
        SELECT,
        "--no-config",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{out}");
    let report = json(&out.stdout);
    assert_eq!(
        report["findings"][0]["source"],
        serde_json::json!({"file": "examples/source/terraform/main.tf", "line": 35})
    );
    // from inside the configuration, the JSON report still names files from the repository
    // root; the human report from the working directory
    let out = run_with(
        &root().join(DIR),
        &[
            "check",
            plan,
            "--source",
            ".",
            "--select",
            SELECT,
            "--no-config",
            "--format",
            "json",
        ],
        &[("GITHUB_WORKSPACE", root().to_str().unwrap())],
    );
    let report = json(&out.stdout);
    assert_eq!(
        report["findings"][5]["source"],
        serde_json::json!({"file": "examples/source/terraform/modules/firewall/main.tf", "line": 14})
    );
    let out = run_with(
        &root().join(DIR),
        &[
            "check",
            plan,
            "--source",
            ".",
            "--select",
            SELECT,
            "--no-config",
        ],
        &[],
    );
    assert!(
        out.stdout
            .contains("at modules/firewall/main.tf:14 (ingress[0].cidr_blocks[0])"),
        "{out}"
    );
}

#[test]
fn a_wrong_source_directory_is_a_clear_error() {
    let out = run(&["check", PLAN, "--source", "no/such/dir", "--no-config"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("the `--source` directory `no/such/dir` does not exist"),
        "{}",
        out.stderr
    );
    let out = run(&["check", PLAN, "--source", "docs", "--no-config"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("the `--source` directory `docs` holds no `.tf` files"),
        "{}",
        out.stderr
    );
}

#[test]
fn pulumi_source_positions_point_into_the_project() {
    let out = run(&[
        "audit",
        "examples/source/pulumi/stack.json",
        "--select",
        "AWS-ELB-001",
        "--no-config",
        "--format",
        "sarif",
    ]);
    assert_eq!(out.code, 1, "{out}");
    let log = json(&out.stdout);
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{log}");
    let physical = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"],
        "examples/source/pulumi/index.ts"
    );
    assert_eq!(physical["region"]["startLine"], 12);
    // the line holds the registration the position names
    let program = std::fs::read_to_string(root().join("examples/source/pulumi/index.ts")).unwrap();
    assert!(program
        .lines()
        .nth(11)
        .unwrap()
        .contains("new aws.lb.TargetGroup(\"db\""));
    // with --source, the project's path is the one given
    let out = run(&[
        "audit",
        "examples/source/pulumi/stack.json",
        "--source",
        "examples/source/pulumi",
        "--select",
        "AWS-ELB-001",
        "--no-config",
        "--format",
        "json",
    ]);
    let report = json(&out.stdout);
    assert_eq!(
        report["findings"][0]["source"],
        serde_json::json!({"file": "examples/source/pulumi/index.ts", "line": 12})
    );
}

#[test]
fn the_source_field_is_in_the_report_schema() {
    let schema = json(&std::fs::read_to_string(root().join("docs/report-schema.json")).unwrap());
    let text = schema.to_string();
    assert!(
        text.contains("\"source\""),
        "docs/report-schema.json lacks the finding's `source`"
    );
    let dir = temp_dir();
    let report = dir.join("report.json");
    let out = run(&[
        "check",
        PLAN,
        "--select",
        SELECT,
        "--no-config",
        "--output",
        &format!("json={}", report.display()),
    ]);
    assert_eq!(out.code, 1, "{out}");
    common::python(
        "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))",
        &[root().join("docs/report-schema.json").as_os_str(), report.as_os_str()],
        "the report with source locations does not match docs/report-schema.json",
    );
}

#[test]
fn quiet_runs_leave_out_the_notes() {
    let out = run(&["check", PLAN, "--select", SELECT, "--no-config", "-q"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(!out.stderr.contains("note:"), "{}", out.stderr);
    assert!(out
        .stdout
        .contains("at examples/source/terraform/main.tf:44 (port)"));
}

/// Copies a directory tree.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
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

/// What one run in `repo/infra` names: the first annotation's file, the SARIF result's
/// `artifactLocation` and `originalUriBaseIds`, the JSON `source.file`, a markdown line and
/// the human `at` line.
struct Named {
    annotation: String,
    sarif_location: Value,
    sarif_bases: Value,
    json_file: String,
    markdown: String,
    junit: String,
    human: String,
}

fn named_in(cwd: &std::path::Path, env: &[(&str, &str)]) -> Named {
    let mut all = vec![("GITHUB_ACTIONS", "true")];
    all.extend_from_slice(env);
    let out_dir = temp_dir();
    let report = |name: &str| out_dir.join(name).display().to_string();
    let out = run_with(
        cwd,
        &[
            "check",
            "plan.json",
            "--select",
            "AWS-ELB-001",
            "--no-config",
            "--output",
            &format!("sarif={}", report("r.sarif")),
            "--output",
            &format!("json={}", report("r.json")),
            "--output",
            &format!("markdown={}", report("r.md")),
            "--output",
            &format!("junit={}", report("r.xml")),
            "--output",
            &format!("human={}", report("r.txt")),
        ],
        &all,
    );
    assert_eq!(out.code, 1, "{out}");
    let read = |name: &str| std::fs::read_to_string(out_dir.join(name)).unwrap();
    let sarif = json(&read("r.sarif"));
    let report_json = json(&read("r.json"));
    let line_with = |text: &str, needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no `{needle}` in:\n{text}"))
            .trim()
            .to_string()
    };
    Named {
        annotation: line_with(&out.stderr, "::error file="),
        sarif_location: sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
            ["artifactLocation"]
            .clone(),
        sarif_bases: sarif["runs"][0]["originalUriBaseIds"].clone(),
        json_file: report_json["findings"][0]["source"]["file"]
            .as_str()
            .unwrap()
            .to_string(),
        markdown: line_with(&read("r.md"), "at `port` in"),
        junit: line_with(&read("r.xml"), "<testcase"),
        human: line_with(&read("r.txt"), "at "),
    }
}

#[test]
fn a_run_in_a_subdirectory_names_files_from_the_repository_root() {
    let dir = temp_dir();
    let repo = std::fs::canonicalize(&*dir).unwrap().join("repo");
    let infra = repo.join("infra");
    copy_dir(&root().join(DIR), &infra);
    let repo_uri = format!("file://{}/", repo.display());
    let workspace = repo.display().to_string();
    let from_root = |n: &Named, how: &str| {
        assert!(
            n.annotation
                .starts_with("::error file=infra/main.tf,line=44,"),
            "{how}: {}",
            n.annotation
        );
        assert_eq!(
            n.sarif_location,
            serde_json::json!({"uri": "infra/main.tf", "uriBaseId": "%SRCROOT%"}),
            "{how}"
        );
        assert_eq!(
            n.sarif_bases["%SRCROOT%"]["uri"],
            repo_uri.as_str(),
            "{how}"
        );
        assert_eq!(n.json_file, "infra/main.tf", "{how}");
        assert!(
            n.markdown.contains("`infra/main.tf:44`"),
            "{how}: {}",
            n.markdown
        );
        assert!(
            n.junit.contains("file=\"infra/main.tf\" line=\"44\""),
            "{how}: {}",
            n.junit
        );
        // the terminal names files as typed in the working directory
        assert_eq!(n.human, "at main.tf:44 (port)", "{how}");
    };

    // no repository, no GITHUB_WORKSPACE: the working directory is the root
    let n = named_in(&infra, &[]);
    assert!(
        n.annotation.starts_with("::error file=main.tf,line=44,"),
        "{}",
        n.annotation
    );
    assert_eq!(
        n.sarif_location,
        serde_json::json!({"uri": "main.tf", "uriBaseId": "%SRCROOT%"})
    );
    assert_eq!(
        n.sarif_bases["%SRCROOT%"]["uri"],
        format!("file://{}/", infra.display()).as_str()
    );
    assert_eq!(n.json_file, "main.tf");
    assert_eq!(n.human, "at main.tf:44 (port)");

    // GITHUB_WORKSPACE names the root
    from_root(
        &named_in(&infra, &[("GITHUB_WORKSPACE", &workspace)]),
        "GITHUB_WORKSPACE",
    );

    // without it, the top of the git work tree: a `.git` directory, or a `.git` file (a
    // worktree or submodule)
    std::fs::create_dir(repo.join(".git")).unwrap();
    from_root(&named_in(&infra, &[]), ".git directory");
    std::fs::remove_dir(repo.join(".git")).unwrap();
    std::fs::write(
        repo.join(".git"),
        "gitdir: /elsewhere/.git/worktrees/repo\n",
    )
    .unwrap();
    from_root(&named_in(&infra, &[]), ".git file");

    // GITHUB_WORKSPACE wins over a work tree found below it
    std::fs::create_dir(infra.join(".git")).unwrap();
    let n = named_in(&infra, &[]);
    assert_eq!(n.json_file, "main.tf", "the nearest work tree's top");
    from_root(
        &named_in(&infra, &[("GITHUB_WORKSPACE", &workspace)]),
        "GITHUB_WORKSPACE over .git",
    );
}
