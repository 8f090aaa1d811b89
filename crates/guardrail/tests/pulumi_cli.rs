//! guardrail inside the real Pulumi CLI (built from its Go modules by `.ci/pulumi.sh`, found
//! through `GUARDRAIL_PULUMI_BIN`, which `.ci/run` sets): `pulumi preview --policy-pack` and
//! `pulumi up` on a Python program, with a local file backend and no plugin downloads. Without
//! the CLI each test prints `skipped (no pulumi)` and passes; with `CI` set it fails instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use common::TempDir;

/// The directory of `pulumi` and its plugins, or `None` (after saying so) when absent.
fn pulumi_bin(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("GUARDRAIL_PULUMI_BIN").map(PathBuf::from);
    match dir.filter(|d| d.join("pulumi").is_file()) {
        Some(dir) => Some(dir),
        None if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => panic!(
            "{test}: the Pulumi CLI is required under CI: set GUARDRAIL_PULUMI_BIN to the directory `.ci/pulumi.sh` prints"
        ),
        None => {
            // written past the test harness's capture, so that `.ci/run` can count it
            let _ = writeln!(
                std::io::stderr(),
                "skipped (no pulumi): {test}: set GUARDRAIL_PULUMI_BIN=$(.ci/pulumi.sh) to run it"
            );
            None
        }
    }
}

/// One stack of the test program in a scratch directory: its own Pulumi home, file backend,
/// and a `PATH` with guardrail under its plugin names first.
struct Project {
    dir: TempDir,
    bin: PathBuf,
}

struct Run {
    code: i32,
    out: String,
}

impl Project {
    fn new(bin: PathBuf) -> Project {
        Project::with_links(
            bin,
            &[
                "pulumi-analyzer-policy-guardrail",
                "pulumi-language-guardrail",
            ],
        )
    }

    /// A project whose `PATH` holds guardrail under these names only.
    fn with_links(bin: PathBuf, names: &[&str]) -> Project {
        let dir = TempDir::new("pulumi-cli");
        let root = common::root();
        for file in ["Pulumi.yaml", "__main__.py"] {
            let text = std::fs::read_to_string(
                root.join("crates/guardrail/tests/pulumi/program")
                    .join(file),
            )
            .unwrap();
            dir.write(&format!("program/{file}"), &text);
        }
        std::fs::create_dir_all(dir.join("links")).unwrap();
        for name in names {
            std::os::unix::fs::symlink(
                env!("CARGO_BIN_EXE_guardrail"),
                dir.join("links").join(name),
            )
            .unwrap();
        }
        std::fs::create_dir_all(dir.join("state")).unwrap();
        let project = Project { dir, bin };
        let state = format!("file://{}", project.dir.join("state").display());
        project.ok(&["login", &state]);
        project.ok(&["stack", "init", "dev"]);
        project
    }

    fn pulumi(&self, args: &[&str]) -> Run {
        self.pulumi_with(args, &[])
    }

    /// Runs `pulumi` with extra environment variables (a policy service's).
    fn pulumi_with(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let path = format!(
            "{}:{}:{}",
            self.dir.join("links").display(),
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let out = Command::new(self.bin.join("pulumi"))
            .args(args)
            .arg("--non-interactive")
            .current_dir(self.dir.join("program"))
            .env("PATH", path)
            .env("PULUMI_HOME", self.dir.join("home"))
            .env("PULUMI_CONFIG_PASSPHRASE", "guardrail-test")
            .env("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true")
            .env("PULUMI_SKIP_UPDATE_CHECK", "true")
            .env("PULUMI_PYTHON_CMD", self.bin.join("../venv/bin/python"))
            .env("NO_COLOR", "1")
            .env_remove("PULUMI_ACCESS_TOKEN")
            .env_remove("GUARDRAIL_SERVER")
            .env_remove("GUARDRAIL_STACK")
            .env_remove("GUARDRAIL_OFFLINE_OK")
            .envs(env.iter().copied())
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            out: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    }

    fn ok(&self, args: &[&str]) -> String {
        let run = self.pulumi(args);
        assert_eq!(run.code, 0, "pulumi {args:?}:\n{}", run.out);
        run.out
    }

    fn pack(&self) -> String {
        common::root()
            .join("crates/guardrail/tests/pulumi/pack")
            .display()
            .to_string()
    }

    /// The stack's resources, from `pulumi stack export`.
    fn resources(&self) -> Vec<serde_json::Value> {
        let export: serde_json::Value =
            serde_json::from_str(&self.ok(&["stack", "export"])).unwrap();
        export["deployment"]["resources"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

fn find<'a>(resources: &'a [serde_json::Value], type_: &str) -> Option<&'a serde_json::Value> {
    resources.iter().find(|r| r["type"] == type_)
}

/// `pulumi preview --policy-pack` shows each of the seed example's four policies at its level.
#[test]
fn preview_shows_the_violations_with_their_levels() {
    let Some(bin) = pulumi_bin("preview_shows_the_violations_with_their_levels") else {
        return;
    };
    let project = Project::new(bin);
    let pack = project.pack();
    let run = project.pulumi(&["preview", "--policy-pack", &pack]);
    let out = &run.out;
    assert_ne!(
        run.code, 0,
        "a mandatory violation fails the preview:\n{out}"
    );
    assert!(out.contains("platform-guardrails@v1.0.0"), "{out}");
    // dangerous target-group port: mandatory
    assert!(
        out.contains(
            "[mandatory] [severity: high]  AWS-ELB-001  (aws:lb:TargetGroup: checkout-db)"
        ),
        "{out}"
    );
    assert!(
        out.contains("target group `checkout-db` listens on port 5432 (postgresql)"),
        "{out}"
    );
    // component memory: advisory
    assert!(
        out.contains(
            "[advisory] [severity: medium]  PLATFORM-001  (acme:index:Microservice: checkout)"
        ),
        "{out}"
    );
    // the Department tag: remediated
    assert!(out.contains("[remediate]  PLATFORM-003"), "{out}");
}

/// With the port fixed, the stack policy remains: an unencrypted bucket beside the component.
#[test]
fn the_stack_policy_runs_after_all_steps() {
    let Some(bin) = pulumi_bin("the_stack_policy_runs_after_all_steps") else {
        return;
    };
    let project = Project::new(bin);
    project.ok(&["config", "set", "dbPort", "8080"]);
    let pack = project.pack();
    let run = project.pulumi(&["preview", "--policy-pack", &pack]);
    let out = &run.out;
    assert_ne!(run.code, 0, "{out}");
    assert!(!out.contains("AWS-ELB-001"), "{out}");
    assert!(
        out.contains(
            "[mandatory] [severity: high]  PLATFORM-002  (aws:s3:BucketV2: checkout-assets)"
        ),
        "{out}"
    );
    assert!(
        out.contains("S3 bucket `checkout-assets` has no server-side encryption"),
        "{out}"
    );
}

/// `pulumi up` stops on a mandatory violation and leaves the resource uncreated; with the
/// violation gone (and the stack policy made advisory by `--policy-pack-config`) it goes
/// through, and the remediated tag is in `pulumi stack export`. A secret stays out of every
/// message.
#[test]
fn up_stops_on_mandatory_and_deploys_the_remediation() {
    let Some(bin) = pulumi_bin("up_stops_on_mandatory_and_deploys_the_remediation") else {
        return;
    };
    let project = Project::new(bin);
    let pack = project.pack();
    project.ok(&[
        "config",
        "set",
        "--secret",
        "dbPassword",
        "Hunter2-Correct-Horse",
    ]);
    let run = project.pulumi(&["up", "--yes", "--policy-pack", &pack]);
    assert_ne!(run.code, 0, "{}", run.out);
    assert!(run.out.contains("AWS-ELB-001"), "{}", run.out);
    let resources = project.resources();
    assert!(
        find(&resources, "aws:lb/targetGroup:TargetGroup").is_none(),
        "the violating target group must not be created: {resources:?}"
    );

    let config = project.dir.join("policy-config.json");
    std::fs::write(&config, r#"{"PLATFORM-002": "advisory", "PLATFORM-003": {"enforcementLevel": "remediate", "tags": {"Department": "platform"}}}"#).unwrap();
    project.ok(&["config", "set", "dbPort", "8080"]);
    let run = project.pulumi(&[
        "up",
        "--yes",
        "--policy-pack",
        &pack,
        "--policy-pack-config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.out);
    assert!(
        run.out
            .contains("[advisory] [severity: high]  PLATFORM-002"),
        "{}",
        run.out
    );
    assert!(!run.out.contains("Hunter2"), "{}", run.out);
    let resources = project.resources();
    let target = find(&resources, "aws:lb/targetGroup:TargetGroup").expect("created now");
    assert_eq!(target["inputs"]["port"], 8080);
    let bucket = find(&resources, "aws:s3/bucketV2:BucketV2").expect("bucket");
    assert_eq!(
        bucket["inputs"]["tags"]["Department"], "platform",
        "{bucket}"
    );
    assert_eq!(bucket["inputs"]["tags"]["Team"], "checkout", "{bucket}");
    // a secret input stays a secret through the analyzer
    let rds = find(&resources, "aws:rds/instance:Instance").expect("rds");
    assert_eq!(
        rds["inputs"]["password"]["4dabf18193072939515e22adb298388d"],
        "1b47061264138c4ac30d75fd1eb44270",
        "{rds}"
    );
}

/// Older CLIs (up to about v3.27x) start `pulumi-analyzer-policy-guardrail ENGINE .` in the
/// pack directory when no language host of the runtime exists. Optional: it runs when
/// `GUARDRAIL_PULUMI_LEGACY_BIN` names the directory of such a CLI
/// (`PULUMI_VERSION=3.260.0 .ci/pulumi.sh`), which `.ci/run` does not build.
#[test]
fn older_clis_start_the_analyzer_plugin() {
    let Some(bin) = std::env::var_os("GUARDRAIL_PULUMI_LEGACY_BIN")
        .map(PathBuf::from)
        .filter(|d| d.join("pulumi").is_file())
    else {
        let _ = writeln!(
            std::io::stderr(),
            "skipped (no legacy pulumi): older_clis_start_the_analyzer_plugin: set GUARDRAIL_PULUMI_LEGACY_BIN=$(PULUMI_VERSION=3.260.0 .ci/pulumi.sh) to run it"
        );
        return;
    };
    let project = Project::with_links(bin, &["pulumi-analyzer-policy-guardrail"]);
    let pack = project.pack();
    let run = project.pulumi(&["preview", "--policy-pack", &pack]);
    let out = &run.out;
    assert_ne!(run.code, 0, "{out}");
    assert!(!out.contains("pulumi-language-guardrail"), "{out}");
    assert!(out.contains("AWS-ELB-001"), "{out}");
    assert!(
        out.contains("target group `checkout-db` listens on port 5432 (postgresql)"),
        "{out}"
    );
    assert!(out.contains("PLATFORM-001"), "{out}");
}

/// The plugin with the policy service (`GUARDRAIL_SERVER`, a real `guardrail serve`): a group
/// makes AWS-ELB-001 mandatory for the stack, and `pulumi up` stops on it although the pack's
/// own `guardrail.toml` disables it; the update and a preview are recorded with their
/// findings. With the service down `pulumi preview` fails, naming guardrail and the service;
/// with `GUARDRAIL_OFFLINE_OK=1` the cached packs run and the CLI says the run is not recorded.
#[test]
fn the_policy_service_decides_and_records() {
    let Some(bin) = pulumi_bin("the_policy_service_decides_and_records") else {
        return;
    };
    let service = common::Service::start();
    service.require("base", &["AWS-ELB-001"], "checkout/dev", "mandatory");
    let project = Project::new(bin);
    let pack = project.dir.join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(
        pack.join("PulumiPolicy.yaml"),
        "runtime: guardrail\nname: local-guardrails\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        pack.join("guardrail.toml"),
        "select = [\"PLATFORM-001\"]\n\n[policies]\n\"AWS-ELB-001\" = \"disabled\"\n",
    )
    .unwrap();
    let pack = pack.to_str().unwrap();
    // locally, the pack lets the database port through
    let local = project.pulumi(&["preview", "--policy-pack", pack]);
    assert_eq!(local.code, 0, "{}", local.out);
    assert!(!local.out.contains("AWS-ELB-001"), "{}", local.out);

    let cache = project.dir.join("cache");
    let cache = cache.to_str().unwrap();
    let (url, token) = (service.url.clone(), service.token.clone());
    let env = [
        ("GUARDRAIL_SERVER", url.as_str()),
        ("GUARDRAIL_TOKEN", token.as_str()),
        ("GUARDRAIL_STACK", "default/checkout/dev"),
        ("GUARDRAIL_CACHE_DIR", cache),
        ("GUARDRAIL_ACTOR", "release-bot"),
    ];
    let up = project.pulumi_with(&["up", "--yes", "--policy-pack", pack], &env);
    assert_ne!(up.code, 0, "{}", up.out);
    assert!(
        up.out.contains(
            "[mandatory] [severity: high]  AWS-ELB-001  (aws:lb:TargetGroup: checkout-db)"
        ),
        "{}",
        up.out
    );
    assert!(
        find(&project.resources(), "aws:lb/targetGroup:TargetGroup").is_none(),
        "the target group is not created"
    );
    // `pulumi up` previews first: the preview is recorded, blocked, with its findings
    let runs = service.runs();
    assert_eq!(runs.len(), 1, "{runs:?}\n{}", up.out);
    assert_eq!(runs[0]["kind"], "preview", "{runs:?}");
    assert_eq!(runs[0]["outcome"], "blocked", "{runs:?}");
    assert_eq!(runs[0]["actor"], "release-bot", "{runs:?}");
    assert_eq!(runs[0]["summary"]["mandatory"], 1, "{runs:?}");
    assert_eq!(runs[0]["summary"]["advisory"], 1, "PLATFORM-001: {runs:?}");
    let findings = common::run_with(
        &project.dir,
        &["findings", "--server", &url, "--policy", "AWS-ELB-001"],
        &[("GUARDRAIL_TOKEN", &token)],
    );
    assert!(
        findings.stdout.contains("AWS-ELB-001 [server]") && findings.stdout.contains("checkout-db"),
        "{findings}"
    );
    // with the port fixed the update goes through, and is recorded as an update
    project.ok(&["config", "set", "dbPort", "8080"]);
    let up = project.pulumi_with(&["up", "--yes", "--policy-pack", pack], &env);
    assert_eq!(up.code, 0, "{}", up.out);
    assert!(
        up.out.contains("recorded on the policy service"),
        "{}",
        up.out
    );
    let runs = service.runs();
    assert_eq!(runs.len(), 3, "{runs:?}");
    assert_eq!(
        (&runs[0]["kind"], &runs[0]["outcome"]),
        (&serde_json::json!("update"), &serde_json::json!("passed")),
        "{runs:?}"
    );
    assert_eq!(runs[1]["kind"], "preview", "{runs:?}");
    let listed = common::run_with(
        &project.dir,
        &[
            "runs",
            "--server",
            &url,
            "--stack",
            "default/checkout/dev",
            "--kind",
            "update",
            "--format",
            "json",
        ],
        &[("GUARDRAIL_TOKEN", &token)],
    );
    assert_eq!(listed.code, 0, "{listed}");
    let listed: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    assert_eq!(listed["runs"].as_array().map(Vec::len), Some(1), "{listed}");

    // fails closed: the service down stops the preview, with a message that says why
    drop(service);
    project.ok(&["config", "set", "dbPort", "5432"]);
    let down = project.pulumi_with(&["preview", "--policy-pack", pack], &env);
    assert_ne!(down.code, 0, "{}", down.out);
    assert!(
        down.out.contains("guardrail: the policy service `") && down.out.contains(&url),
        "{}",
        down.out
    );
    assert!(down.out.contains("GUARDRAIL_OFFLINE_OK"), "{}", down.out);
    // unless the caller accepts an unrecorded run: the cached packs still run and block ...
    let offline: Vec<(&str, &str)> = env
        .iter()
        .copied()
        .chain([("GUARDRAIL_OFFLINE_OK", "1")])
        .collect();
    let run = project.pulumi_with(&["preview", "--policy-pack", pack], &offline);
    assert_ne!(run.code, 0, "{}", run.out);
    assert!(
        run.out.contains(
            "[mandatory] [severity: high]  AWS-ELB-001  (aws:lb:TargetGroup: checkout-db)"
        ),
        "{}",
        run.out
    );
    assert!(run.out.contains("not recorded"), "{}", run.out);
    // ... and with the port fixed, the preview passes
    project.ok(&["config", "set", "dbPort", "8080"]);
    let run = project.pulumi_with(&["preview", "--policy-pack", pack], &offline);
    assert_eq!(run.code, 0, "{}", run.out);
    assert!(run.out.contains("not recorded"), "{}", run.out);
}
