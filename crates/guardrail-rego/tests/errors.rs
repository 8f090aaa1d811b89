#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Every load-time error names the file, and where there is one the line, the column and the
//! line's text, with a help line.

mod common;

use std::path::Path;

use common::*;
use guardrail_rego::{detect_layout, load_pack, LoadOptions, PackError};

const MANIFEST: &str = "name: errors\n";

/// A valid policy header; `custom` lines are appended.
fn header(id: &str) -> String {
    format!(
        "# METADATA\n# title: A policy\n# description: It checks.\n# custom:\n#   id: {id}\n#   severity: low\n"
    )
}

fn guardrail_pack(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new("errors");
    dir.write("guardrail-pack.yaml", MANIFEST);
    for (rel, text) in files {
        dir.write(rel, text);
    }
    dir
}

/// Checks an error's location, the source line it keeps, its message, help and display.
fn assert_located(
    e: &PackError,
    file: &Path,
    line: usize,
    column: usize,
    message: &str,
    help: &str,
) {
    assert_eq!(e.file, file, "{e}");
    assert_eq!((e.line, e.column), (Some(line), Some(column)), "{e}");
    let text = std::fs::read_to_string(file).unwrap();
    let src = text.lines().nth(line - 1).unwrap().trim_end().to_string();
    assert_eq!(e.source_line.as_deref(), Some(src.as_str()), "{e}");
    assert!(
        e.message.contains(message),
        "message `{}` lacks `{message}`",
        e.message
    );
    let h = e.help.as_deref().unwrap_or_default();
    assert!(h.contains(help), "help `{h}` lacks `{help}`");
    let shown = e.to_string();
    let head = format!("{}:{line}:{column}: {}", file.display(), e.message);
    assert!(
        shown.starts_with(&head),
        "{shown}\n--- expected start:\n{head}"
    );
    let caret = format!(
        " {line} | {src}\n {} | {}^",
        " ".repeat(line.to_string().len()),
        src.chars()
            .take(column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect::<String>()
    );
    assert!(shown.contains(&caret), "{shown}\n--- expected:\n{caret}");
    assert!(shown.ends_with(&format!("\nhelp: {h}")), "{shown}");
}

/// Checks an error about a whole file or directory: no line, but a message and help.
fn assert_whole(e: &PackError, file: &Path, message: &str, help: &str) {
    assert_eq!(e.file, file, "{e}");
    assert_eq!(e.line, None, "{e}");
    assert!(
        e.message.contains(message),
        "message `{}` lacks `{message}`",
        e.message
    );
    let h = e.help.as_deref().unwrap_or_default();
    assert!(h.contains(help), "help `{h}` lacks `{help}`");
    assert_eq!(
        e.to_string(),
        format!("{}: {}\nhelp: {h}", file.display(), e.message)
    );
}

// ---------------------------------------------------------------------------------------------
// Rego
// ---------------------------------------------------------------------------------------------

#[test]
fn rego_syntax_error_points_at_the_token() {
    let policy = format!(
        "{}package t.p\n\ndeny contains msg if {{\n    msg := input.x ==\n}}\n",
        header("E-1")
    );
    let dir = guardrail_pack(&[("p.rego", &policy)]);
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("p.rego"),
        10,
        9,
        "expecting `}`",
        "fix the Rego syntax (both Rego v1 and v0 were tried; the error is where parsing got furthest)",
    );
}

#[test]
fn rego_v0_syntax_error_in_a_bridge_pack() {
    let dir = TempDir::new("bridge-syntax");
    dir.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "bad.rego",
        "package bad\n\ndeny[msg] {\n    input.x ==\n}\n",
    );
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("bad.rego"),
        3,
        11,
        "expecting }",
        "both Rego v1 and v0 were tried",
    );
}

#[test]
fn unknown_function_is_an_error_at_its_call() {
    let policy = format!(
        "{}package t.p\n\ndeny contains msg if {{\n    x := foo.bar(1)\n    msg := sprintf(\"%v\", [x])\n}}\n",
        header("E-1")
    );
    let dir = guardrail_pack(&[("p.rego", &policy)]);
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("p.rego"),
        10,
        10,
        "unknown function `foo.bar`",
        "use an OPA builtin guardrail supports, or define the function in the pack",
    );
    assert!(
        !e.help.as_deref().unwrap().contains("did you mean"),
        "nothing is near `foo.bar`: {e}"
    );
}

#[test]
fn misspelt_builtin_gets_a_did_you_mean() {
    let policy = format!(
        "{}package t.p\n\ndeny contains msg if {{\n\tmsg := sprintff(\"%v\", [1])\n}}\n",
        header("E-1")
    );
    let dir = guardrail_pack(&[("p.rego", &policy)]);
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("p.rego"),
        10,
        9,
        "unknown function `sprintff`",
        "did you mean `sprintf`?",
    );
}

#[test]
fn functions_defined_in_the_pack_and_imports_are_known() {
    let policy = format!(
        "{}package t.p\n\nimport data.t.lib\nimport data.t.lib as l2\n\nlocal(x) := x\n\ndeny contains msg if {{\n    msg := sprintf(\"%v %v %v\", [lib.helper(1), l2.helper(2), local(3)])\n}}\n",
        header("E-1")
    );
    let dir = guardrail_pack(&[
        ("p.rego", &policy),
        ("lib.rego", "package t.lib\n\nhelper(x) := x + 1\n"),
    ]);
    let pack = load(dir.path());
    assert_eq!(pack.pack.policies.len(), 1);
    // A misspelt library function is not.
    let policy = policy.replace("l2.helper(2)", "l2.helpr(2)");
    dir.write("p.rego", &policy);
    let e = load_err(dir.path());
    assert_eq!(e.message, "unknown function `l2.helpr`", "{e}");
    assert_eq!(e.line, Some(15), "{e}");
    assert_eq!(e.column, Some(48), "{e}");
}

#[test]
fn compile_errors_surface_at_load_time() {
    // `x` is unsafe: it is never bound.
    let policy = format!(
        "{}package t.p\n\ndeny contains msg if {{\n    x > 1\n    msg := \"m\"\n}}\n",
        header("E-1")
    );
    let dir = guardrail_pack(&[("p.rego", &policy)]);
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("p.rego"),
        10,
        5,
        "use of undefined variable `x` is unsafe",
        "fix the policy so it compiles",
    );
    // Indented with a tab (as `opa fmt` writes), the column is still the character's.
    dir.write("p.rego", &policy.replace("    x > 1", "\tx > 1"));
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("p.rego"),
        10,
        2,
        "use of undefined variable `x` is unsafe",
        "fix the policy so it compiles",
    );
}

#[test]
fn non_utf8_rego_file_is_refused() {
    let dir = guardrail_pack(&[]);
    let mut bytes = b"package t.p\n\n# caf".to_vec();
    bytes.extend_from_slice(&[0xe9, 0x0a]);
    dir.write_bytes("p.rego", &bytes);
    let e = load_err(dir.path());
    assert_whole(
        &e,
        &dir.join("p.rego"),
        "is not UTF-8 text (invalid byte at offset 18)",
        "save the file as UTF-8",
    );
}

#[test]
fn oversized_rego_file_is_refused() {
    let dir = guardrail_pack(&[]);
    let mut text = String::from("package t.big\n");
    let line = format!("# {}\n", "x".repeat(1000));
    while text.len() <= 4 * 1024 * 1024 {
        text.push_str(&line);
    }
    dir.write("big.rego", &text);
    let e = load_err(dir.path());
    assert_whole(
        &e,
        &dir.join("big.rego"),
        &format!(
            "is {} bytes, larger than the 4194304-byte limit for a Rego file",
            text.len()
        ),
        "split the policy into smaller files",
    );
    // Exactly at the limit is fine as far as the size check goes.
    // (regorus' own limit is 1 MiB and 20,000 lines; guardrail raises it to its 4 MiB.)
    let mut text = String::from("package t.big\n");
    let short = format!("# {}\n", "y".repeat(97));
    while text.len() + short.len() <= 4 * 1024 * 1024 {
        text.push_str(&short);
    }
    text.push_str(&"#".repeat(4 * 1024 * 1024 - text.len()));
    assert_eq!(text.len(), 4 * 1024 * 1024);
    assert!(text.lines().count() > 20_000);
    dir.write("big.rego", &text);
    let e = load_err(dir.path());
    assert!(
        e.message.contains("no package defines a `deny` rule"),
        "a 4 MiB file is read: {e}"
    );
}

// ---------------------------------------------------------------------------------------------
// Manifests
// ---------------------------------------------------------------------------------------------

fn with_manifest(manifest: &str) -> TempDir {
    let policy = format!(
        "{}package t.p\n\ndeny contains \"x\" if false\n",
        header("E-1")
    );
    let dir = guardrail_pack(&[("p.rego", &policy)]);
    dir.write("guardrail-pack.yaml", manifest);
    dir
}

#[test]
fn manifest_unknown_key_names_its_line() {
    let dir = with_manifest("name: ok\nversion: 1.0.0\nenforcment: mandatory\n");
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("guardrail-pack.yaml"),
        3,
        1,
        "unknown field `enforcment`",
        "a manifest has `name`",
    );
}

#[test]
fn manifest_bad_enforcement_names_its_line() {
    let dir = with_manifest("name: ok\n\nenforcement: sometimes\n");
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("guardrail-pack.yaml"),
        3,
        1,
        "unknown enforcement level `sometimes`",
        "advisory, mandatory, remediate, disabled",
    );
}

#[test]
fn manifest_yaml_syntax_error_names_its_line() {
    let dir = with_manifest("name: ok\ndescription: [unclosed\nversion: 1\n");
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("guardrail-pack.yaml"),
        2,
        14,
        "invalid type: sequence, expected a string",
        "a manifest has `name`",
    );
    // A real syntax error (not a type error).
    let dir = with_manifest("name: ok\nversion: 1.0\n- item\n");
    let e = load_err(dir.path());
    assert_eq!(e.line, Some(3), "{e}");
    assert_eq!(e.source_line.as_deref(), Some("- item"), "{e}");
    assert!(e.to_string().contains("\n 3 | - item\n   | ^"), "{e}");
}

#[test]
fn manifest_without_a_name_is_refused() {
    let dir = with_manifest("version: 1.0.0\n");
    let e = load_err(dir.path());
    assert!(e.message.contains("missing field `name`"), "{e}");
    assert_eq!(e.file, dir.join("guardrail-pack.yaml"));
    assert!(e.help.is_some());
    let dir = with_manifest("name: \"  \"\n");
    let e = load_err(dir.path());
    assert_whole(
        &e,
        &dir.join("guardrail-pack.yaml"),
        "the pack has an empty `name`",
        "give the pack a name",
    );
}

// ---------------------------------------------------------------------------------------------
// Policy metadata
// ---------------------------------------------------------------------------------------------

fn metadata_error(block: &str) -> (TempDir, PackError) {
    let policy = format!("{block}package t.p\n\ndeny contains \"x\" if false\n");
    let dir = guardrail_pack(&[("policies/p.rego", &policy)]);
    let e = load_err(dir.path());
    (dir, e)
}

#[test]
fn metadata_missing_id_severity_or_title() {
    let (dir, e) =
        metadata_error("# METADATA\n# title: T\n# description: D\n# custom:\n#   severity: low\n");
    let file = dir.join("policies/p.rego");
    assert_located(
        &e,
        &file,
        1,
        1,
        "the policy's metadata has no `custom.id`",
        "needs `title`, `description`",
    );
    let (dir, e) =
        metadata_error("# METADATA\n# title: T\n# description: D\n# custom:\n#   id: X-1\n");
    assert_located(
        &e,
        &dir.join("policies/p.rego"),
        1,
        1,
        "the policy's metadata has no `custom.severity`",
        "`severity` (low, medium, high, critical)",
    );
    let (dir, e) = metadata_error(
        "\n\n# METADATA\n# description: D\n# custom:\n#   id: X-1\n#   severity: low\n",
    );
    assert_located(
        &e,
        &dir.join("policies/p.rego"),
        3,
        1,
        "the policy's metadata has no `title`",
        "needs `title`",
    );
    let (dir, e) =
        metadata_error("# METADATA\n# title: T\n# custom:\n#   id: X-1\n#   severity: low\n");
    assert_located(
        &e,
        &dir.join("policies/p.rego"),
        1,
        1,
        "the policy's metadata has no `description`",
        "needs `title`",
    );
}

#[test]
fn metadata_unknown_custom_field_suggests_the_known_one() {
    let (dir, e) = metadata_error(
        "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: X-1\n#   severty: low\n",
    );
    assert_located(
        &e,
        &dir.join("policies/p.rego"),
        6,
        1,
        "unknown metadata field `custom.severty`",
        "did you mean `severity`? known fields: id, name, severity",
    );
    let (dir, e) = metadata_error(
        "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: X-1\n#   severity: low\n#   owner_team: x\n",
    );
    assert_located(
        &e,
        &dir.join("policies/p.rego"),
        7,
        1,
        "unknown metadata field `custom.owner_team`",
        "known fields:",
    );
    assert!(!e.help.unwrap().contains("did you mean"));
}

#[test]
fn metadata_bad_values_name_their_line() {
    let base = "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: X-1\n";
    let cases: &[(&str, usize, &str)] = &[
        ("#   severity: huge\n", 6, "unknown severity `huge`"),
        (
            "#   severity: low\n#   enforcement: loud\n",
            7,
            "unknown enforcement level `loud`",
        ),
        (
            "#   severity: low\n#   kind: cluster\n",
            7,
            "unknown policy kind `cluster`",
        ),
        (
            "#   severity: low\n#   resource_types: {a: b}\n",
            7,
            "`custom.resource_types` must be a string or a list of strings",
        ),
        (
            "#   severity: low\n#   frameworks: [cis]\n",
            7,
            "`custom.frameworks` must map framework names to control ids",
        ),
        (
            "#   severity: low\n#   config: 3\n",
            7,
            "`custom.config` must be a JSON Schema object",
        ),
        (
            "#   severity: low\n#   fix: maybe\n",
            7,
            "unknown fix safety `maybe`",
        ),
    ];
    for (extra, line, message) in cases {
        let (dir, e) = metadata_error(&format!("{base}{extra}"));
        assert_located(&e, &dir.join("policies/p.rego"), *line, 1, message, "");
    }
}

#[test]
fn metadata_yaml_error_is_located_in_the_rego_file() {
    let (dir, e) = metadata_error(
        "# METADATA\n# title: T\n# description: D\n# custom:\n#   id: [X-1\n#   severity: low\n",
    );
    // The YAML's line 5, column 11 is the file's line 6, column 13 (behind `# `).
    assert_located(
        &e,
        &dir.join("policies/p.rego"),
        6,
        13,
        "did not find expected ',' or ']'",
        "a METADATA block is YAML",
    );
}

#[test]
fn deny_package_without_metadata_is_refused() {
    let dir = guardrail_pack(&[(
        "p.rego",
        "# just a comment\npackage t.p\n\ndeny contains \"x\" if false\n",
    )]);
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("p.rego"),
        2,
        1,
        "package `t.p` has a `deny` rule but no METADATA block describing the policy",
        "put a `# METADATA` comment block right above the `package` line",
    );
}

#[test]
fn stack_policy_with_remediate_is_refused() {
    let policy = format!(
        "{}#   kind: stack\npackage t.p\n\ndeny contains \"x\" if false\n\nremediate := {{}}\n",
        header("E-1")
    );
    let dir = guardrail_pack(&[("p.rego", &policy)]);
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("p.rego"),
        1,
        1,
        "stack policy `E-1` has a `remediate` rule",
        "remediation fixes one resource at a time",
    );
}

#[test]
fn duplicate_policy_ids_are_refused() {
    let a = format!(
        "{}package t.a\n\ndeny contains \"x\" if false\n",
        header("DUP-1")
    );
    let b = format!(
        "{}package t.b\n\ndeny contains \"y\" if false\n",
        header("DUP-1")
    );
    let dir = guardrail_pack(&[("a.rego", &a), ("b.rego", &b)]);
    let e = load_err(dir.path());
    // The second policy's `id:` line; the help names the first.
    assert_located(
        &e,
        &dir.join("b.rego"),
        5,
        1,
        "two policies have the id `DUP-1`",
        "give every policy of a pack its own id",
    );
    assert!(
        e.help
            .as_deref()
            .unwrap()
            .contains(&format!("{}:5", dir.join("a.rego").display())),
        "{e}"
    );

    // Bridge packs: the same rule name in two packages.
    let dir = TempDir::new("dup-bridge");
    dir.write("PulumiPolicy.yaml", "runtime: opa\n")
        .write("a.rego", "package a\n\ndeny[msg] {\n    msg := \"a\"\n}\n")
        .write(
            "b.rego",
            "package b\n\n\ndeny[msg] {\n    msg := \"b\"\n}\n",
        );
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("b.rego"),
        4,
        1,
        "two policies have the id `deny`",
        "own id",
    );
}

// ---------------------------------------------------------------------------------------------
// Layouts and directories
// ---------------------------------------------------------------------------------------------

#[test]
fn crossguard_nodejs_pack_is_refused_clearly() {
    let dir = TempDir::new("nodejs");
    dir.write(
        "PulumiPolicy.yaml",
        "description: a TypeScript pack\nruntime: nodejs\n",
    )
    .write("index.ts", "// policies\n");
    for e in [detect_layout(dir.path()).unwrap_err(), load_err(dir.path())] {
        assert_located(
            &e,
            &dir.join("PulumiPolicy.yaml"),
            2,
            1,
            "is a `nodejs` CrossGuard pack, which `guardrail check` and `guardrail audit` run; this command takes Rego packs (`runtime: opa`)",
            "point --pack at an OPA-bridge pack (`runtime: opa`)",
        );
    }
    // The long form, `runtime: {name: python}`, and a missing runtime.
    dir.write(
        "PulumiPolicy.yaml",
        "runtime:\n  name: python\n  options: {}\n",
    );
    let e = load_err(dir.path());
    assert!(e.message.contains("is a `python` CrossGuard pack"), "{e}");
    assert_eq!(e.line, Some(1));
    dir.write("PulumiPolicy.yaml", "description: none\n");
    let e = load_err(dir.path());
    assert_eq!(e.message, "has no `runtime`", "{e}");
}

#[test]
fn bad_pulumi_policy_yaml_and_config_schema_are_located() {
    let dir = TempDir::new("bad-pulumi-yaml");
    dir.write("PulumiPolicy.yaml", "runtime: opa\ndescription: [x\n")
        .write("p.rego", "package p\n\ndeny[msg] {\n    msg := \"m\"\n}\n");
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("PulumiPolicy.yaml"),
        2,
        14,
        "invalid type: sequence, expected a string",
        "PulumiPolicy.yaml",
    );

    dir.write("PulumiPolicy.yaml", "runtime: opa\n").write(
        "config-schema.json",
        "{\n  \"deny\": {\"properties\": }\n}\n",
    );
    let e = load_err(dir.path());
    assert_located(
        &e,
        &dir.join("config-schema.json"),
        2,
        26,
        "is not valid JSON: expected value",
        "config-schema.json maps rule names",
    );
}

#[test]
fn empty_missing_and_file_paths_are_refused() {
    let empty = TempDir::new("empty");
    let e = load_err(empty.path());
    assert_whole(
        &e,
        empty.path(),
        "has no .rego policy files",
        "guardrail pack new",
    );

    let missing = empty.join("no/such/pack");
    let e = load_pack(&missing, &LoadOptions::default()).unwrap_err();
    assert_whole(
        &e,
        &missing,
        "cannot be read: no such file or directory",
        "pass the directory of a policy pack",
    );

    empty.write("plan.json", "{}");
    let file = empty.join("plan.json");
    let e = load_pack(&file, &LoadOptions::default()).unwrap_err();
    assert_whole(
        &e,
        &file,
        "is not a directory",
        "takes a policy pack directory",
    );

    // A manifest but only test files: no policy files.
    let tests_only = guardrail_pack(&[("p_test.rego", "package t.p_test\n\ntest_x if true\n")]);
    let e = load_err(tests_only.path());
    assert!(e.message.contains("has no .rego policy files"), "{e}");

    // A guardrail pack whose packages are all libraries.
    let libs = guardrail_pack(&[("lib.rego", "package t.lib\n\nx := 1\n")]);
    let e = load_err(libs.path());
    assert_whole(
        &e,
        libs.path(),
        "has no policies: no package defines a `deny` rule",
        "a guardrail policy is a package with a METADATA block",
    );

    // A bridge pack without policy rules.
    let bridge = TempDir::new("bridge-empty");
    bridge
        .write("PulumiPolicy.yaml", "runtime: opa\n")
        .write("p.rego", "package p\n\nallow := true\n");
    let e = load_err(bridge.path());
    assert_whole(
        &e,
        bridge.path(),
        "has no policies: no `deny`, `violation`, `warn` or `stack_*` rules",
        "an OPA-bridge pack's rules are named deny, violation or warn",
    );
}

#[test]
fn hidden_and_vendored_directories_are_skipped() {
    let dir = TempDir::new("hidden");
    dir.write(
        "main.rego",
        "package main\n\ndeny contains \"x\" if false\n",
    )
    .write(".git/broken.rego", "package ((( broken\n")
    .write("node_modules/x/broken.rego", "package ((( broken\n")
    .write("target/broken.rego", "package ((( broken\n");
    let pack = load(dir.path());
    assert_eq!(pack.modules.len(), 1);
}

#[test]
fn conftest_directory_without_rules_in_the_namespace_lists_packages() {
    let dir = TempDir::new("conftest-none");
    dir.write(
        "a.rego",
        "package kubernetes\n\ndeny contains \"x\" if false\n",
    )
    .write(
        "b.rego",
        "package terraform.aws\n\nwarn contains \"y\" if false\n",
    )
    .write("c.rego", "package main\n\nhelper := 1\n");
    let e = load_err(dir.path());
    assert_whole(
        &e,
        dir.path(),
        "has no deny, violation or warn rules in `main` (packages found: kubernetes, main, terraform.aws)",
        "choose the package with --namespace NAME",
    );
    let e = load_pack(
        dir.path(),
        &LoadOptions {
            namespaces: vec!["k8s".into(), "aws".into()],
            ..LoadOptions::default()
        },
    )
    .unwrap_err();
    assert!(
        e.message.contains("in `k8s`, `aws` (packages found:"),
        "{e}"
    );
    // The right namespace loads.
    let pack = load_with(
        dir.path(),
        &LoadOptions {
            namespaces: vec!["terraform.aws".into()],
            ..LoadOptions::default()
        },
    );
    assert_eq!(pack.pack.policies[0].meta().id, "terraform.aws.warn");
}
