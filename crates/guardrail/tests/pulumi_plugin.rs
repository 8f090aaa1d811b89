//! guardrail as a Pulumi policy pack, driven over gRPC the way the Pulumi CLI drives it: the
//! binary started as `pulumi-analyzer-policy-guardrail ENGINE DIR`, its port read from the first
//! line of standard output, then Handshake, ConfigureStack, GetPluginInfo, GetAnalyzerInfo,
//! Configure, Remediate and Analyze per resource, AnalyzeStack, Cancel. (The real CLI drives it
//! in `tests/pulumi_cli.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::TempDir;
use guardrail_pulumi::proto::*;
use guardrail_pulumi::rpc::{self, AnalyzerClient};
use guardrail_pulumi::value::{proto_to_value, value_to_struct, SECRET_SIG, SIG_KEY, UNKNOWN};
use serde_json::json;

const PACK: &str = "crates/guardrail/tests/pulumi/pack";

/// A running plugin, killed when dropped.
struct Plugin {
    child: Child,
    port: u16,
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary under the plugin's name (a link, as `PATH` would hold it) in `dir` with
/// the CLI's arguments.
fn start(dir: &std::path::Path, links: &TempDir, args: &[&str]) -> Result<Plugin, String> {
    let link = links.join("pulumi-analyzer-policy-guardrail");
    if !link.exists() {
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_guardrail"), &link).unwrap();
    }
    let mut child = Command::new(&link)
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    match line.trim().parse() {
        Ok(port) => Ok(Plugin { child, port }),
        Err(_) => {
            let out = child.wait_with_output().unwrap();
            Err(format!(
                "exit {:?}, stdout {line:?}, stderr {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }
}

fn pack_dir(strict: bool) -> TempDir {
    let dir = TempDir::new("pulumi-pack");
    let root = common::root().join(PACK);
    for file in ["PulumiPolicy.yaml", "guardrail.toml"] {
        let mut text = std::fs::read_to_string(root.join(file)).unwrap();
        if strict && file == "guardrail.toml" {
            text.push_str("strict = true\n");
        }
        dir.write(file, &text);
    }
    dir
}

fn props(value: serde_json::Value) -> Option<Struct> {
    Some(value_to_struct(&guardrail_core::Value::from_json(value)))
}

fn aws_provider() -> Option<AnalyzerProviderResource> {
    Some(AnalyzerProviderResource {
        r#type: "pulumi:providers:aws".into(),
        urn: "urn:pulumi:dev::checkout::pulumi:providers:aws::default".into(),
        name: "default".into(),
        properties: None,
    })
}

fn request(type_: &str, name: &str, properties: Option<Struct>) -> AnalyzeRequest {
    AnalyzeRequest {
        r#type: type_.into(),
        urn: format!("urn:pulumi:dev::checkout::{type_}::{name}"),
        name: name.into(),
        properties,
        provider: aws_provider(),
        options: None,
    }
}

fn secret(value: serde_json::Value) -> serde_json::Value {
    json!({SIG_KEY: SECRET_SIG, "value": value})
}

async fn client(plugin: &Plugin) -> AnalyzerClient {
    AnalyzerClient::new(
        rpc::connect_local(plugin.port, Duration::from_secs(10))
            .await
            .unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clis_calls_in_order() {
    let links = TempDir::new("pulumi-links");
    let pack = pack_dir(false);
    // the CLI's flags come first; the pack directory is `.`, the plugin's working directory
    let plugin = start(
        &pack,
        &links,
        &["--logtostderr", "-v=9", "127.0.0.1:1", "."],
    )
    .unwrap();
    let mut c = client(&plugin).await;

    c.handshake(AnalyzerHandshakeRequest {
        engine_address: "127.0.0.1:1".into(),
        root_directory: Some(pack.path().into()),
        program_directory: Some(pack.path().into()),
    })
    .await
    .unwrap();
    c.configure_stack(AnalyzerStackConfigureRequest {
        stack: "dev".into(),
        project: "checkout".into(),
        organization: "acme".into(),
        dry_run: true,
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(
        c.get_plugin_info(()).await.unwrap().version,
        env!("CARGO_PKG_VERSION")
    );

    // every policy, with its level, severity, framework, remediation steps and config schema
    let info = c.get_analyzer_info(()).await.unwrap();
    assert_eq!(info.name, "platform-guardrails");
    assert_eq!(info.version, "1.0.0");
    assert!(info.supports_config);
    let names: Vec<&str> = info.policies.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "AWS-ELB-001",
            "PLATFORM-001",
            "PLATFORM-002",
            "PLATFORM-003"
        ]
    );
    let policy = |name: &str| info.policies.iter().find(|p| p.name == name).unwrap();
    let elb = policy("AWS-ELB-001");
    assert_eq!(elb.enforcement_level, EnforcementLevel::Mandatory as i32);
    assert_eq!(elb.severity, PolicySeverity::High as i32);
    assert_eq!(elb.policy_type, PolicyType::Resource as i32);
    assert!(!elb.remediation_steps.is_empty());
    assert!(elb.framework.as_ref().is_some_and(|f| !f.name.is_empty()));
    assert_eq!(
        policy("PLATFORM-001").enforcement_level,
        EnforcementLevel::Advisory as i32
    );
    assert_eq!(policy("PLATFORM-002").policy_type, PolicyType::Stack as i32);
    let tags = policy("PLATFORM-003");
    assert_eq!(tags.enforcement_level, EnforcementLevel::Remediate as i32);
    let schema = tags.config_schema.as_ref().unwrap();
    assert!(schema
        .properties
        .as_ref()
        .unwrap()
        .fields
        .contains_key("tags"));

    // Configure: the CLI sends every policy's level (from --policy-pack-config or the defaults)
    let mut config = std::collections::HashMap::new();
    for p in &info.policies {
        config.insert(
            p.name.clone(),
            PolicyConfig {
                enforcement_level: p.enforcement_level,
                properties: None,
            },
        );
    }
    config.insert(
        "PLATFORM-003".into(),
        PolicyConfig {
            enforcement_level: EnforcementLevel::Remediate as i32,
            properties: props(json!({"tags": {"Department": "platform"}})),
        },
    );
    c.configure(ConfigureAnalyzerRequest {
        policy_config: config,
    })
    .await
    .unwrap();

    // Remediate before Analyze: the missing tag is added with the configured value; a secret
    // stays a secret on the wire
    let bucket = request(
        "aws:s3/bucketV2:BucketV2",
        "checkout-assets",
        props(
            json!({"bucket": "acme-checkout-assets", "tags": {"Team": "checkout"}, "note": secret(json!("hunter2-hunter2"))}),
        ),
    );
    let fixed = c.remediate(bucket.clone()).await.unwrap();
    assert_eq!(fixed.remediations.len(), 1);
    let remediation = &fixed.remediations[0];
    assert_eq!(remediation.policy_name, "PLATFORM-003");
    assert_eq!(remediation.policy_pack_name, "platform-guardrails");
    let after = remediation.properties.clone().unwrap();
    assert_eq!(
        proto_to_value(&after.fields["tags"]),
        guardrail_core::Value::from_json(json!({"Department": "platform", "Team": "checkout"}))
    );
    assert!(proto_to_value(&after.fields["note"]).is_secret());

    // the remediated bucket passes; Analyze reports nothing for it
    let analyzed = c
        .analyze(AnalyzeRequest {
            properties: Some(after),
            ..bucket
        })
        .await
        .unwrap();
    assert_eq!(analyzed.diagnostics, []);

    // a target group on 5432 is a mandatory violation; numbers arrive as doubles
    let target = request(
        "aws:lb/targetGroup:TargetGroup",
        "checkout-db",
        props(json!({"port": 5432, "protocol": "TCP", "tags": {"Department": "retail"}})),
    );
    let found = c.analyze(target.clone()).await.unwrap();
    assert_eq!(found.diagnostics.len(), 1, "{found:?}");
    let d = &found.diagnostics[0];
    assert_eq!(d.policy_name, "AWS-ELB-001");
    assert_eq!(d.enforcement_level, EnforcementLevel::Mandatory as i32);
    assert_eq!(d.severity, PolicySeverity::High as i32);
    assert_eq!(d.urn, target.urn);
    assert!(d.message.contains("port 5432"), "{}", d.message);

    // a secret port is never in the message
    let hidden = c
        .analyze(request(
            "aws:lb/targetGroup:TargetGroup",
            "hidden",
            props(json!({"port": secret(json!(3389)), "protocol": "TCP", "tags": {"Department": "x"}})),
        ))
        .await
        .unwrap();
    assert_eq!(hidden.diagnostics.len(), 1);
    assert!(
        !hidden.diagnostics[0].message.contains("3389"),
        "{}",
        hidden.diagnostics[0].message
    );
    assert!(hidden.diagnostics[0].message.contains("[secret]"));

    // a port known only after apply: indeterminate, reported as advisory
    let unknown = c
        .analyze(request(
            "aws:lb/targetGroup:TargetGroup",
            "later",
            props(json!({"port": UNKNOWN, "protocol": "TCP", "tags": {"Department": "x"}})),
        ))
        .await
        .unwrap();
    assert_eq!(unknown.diagnostics.len(), 1, "{unknown:?}");
    assert_eq!(
        unknown.diagnostics[0].enforcement_level,
        EnforcementLevel::Advisory as i32
    );
    assert!(unknown.diagnostics[0]
        .message
        .starts_with("indeterminate: "));

    // the component asks for too much memory: advisory
    let mut component = request(
        "acme:index:Microservice",
        "checkout",
        props(json!({"image": "acme/checkout:1.42.0", "memory": "2Gi"})),
    );
    component.provider = None;
    let memory = c.analyze(component.clone()).await.unwrap();
    assert_eq!(memory.diagnostics.len(), 1);
    assert_eq!(memory.diagnostics[0].policy_name, "PLATFORM-001");
    assert_eq!(
        memory.diagnostics[0].enforcement_level,
        EnforcementLevel::Advisory as i32
    );

    // AnalyzeStack runs the stack policy: the unencrypted bucket beside the microservice
    let stack_resource = |r: &AnalyzeRequest| AnalyzerResource {
        r#type: r.r#type.clone(),
        properties: r.properties.clone(),
        urn: r.urn.clone(),
        name: r.name.clone(),
        provider: r.provider.clone(),
        ..Default::default()
    };
    let stack = c
        .analyze_stack(AnalyzeStackRequest {
            resources: vec![
                stack_resource(&component),
                stack_resource(&bucket_plain()),
                stack_resource(&target),
            ],
        })
        .await
        .unwrap();
    assert_eq!(stack.diagnostics.len(), 1, "{stack:?}");
    assert_eq!(stack.diagnostics[0].policy_name, "PLATFORM-002");
    assert_eq!(
        stack.diagnostics[0].enforcement_level,
        EnforcementLevel::Mandatory as i32
    );
    assert_eq!(stack.diagnostics[0].urn, bucket_plain().urn);

    c.cancel(()).await.unwrap();
}

fn bucket_plain() -> AnalyzeRequest {
    request(
        "aws:s3/bucketV2:BucketV2",
        "checkout-assets",
        props(json!({"bucket": "acme-checkout-assets", "tags": {"Department": "x"}})),
    )
}

/// Under `strict`, an indeterminate outcome of a mandatory policy blocks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_makes_unknowns_block() {
    let links = TempDir::new("pulumi-links");
    let pack = pack_dir(true);
    let plugin = start(&pack, &links, &["127.0.0.1:1", pack.path()]).unwrap();
    let mut c = client(&plugin).await;
    let unknown = c
        .analyze(request(
            "aws:lb/targetGroup:TargetGroup",
            "later",
            props(json!({"port": UNKNOWN, "protocol": "TCP", "tags": {"Department": "x"}})),
        ))
        .await
        .unwrap();
    assert_eq!(unknown.diagnostics.len(), 1, "{unknown:?}");
    assert_eq!(
        unknown.diagnostics[0].enforcement_level,
        EnforcementLevel::Mandatory as i32
    );
}

/// A pack whose config is wrong never prints a port: the CLI shows the plugin's error and stops.
#[test]
fn a_bad_pack_is_a_clear_error() {
    let links = TempDir::new("pulumi-links");
    let pack = TempDir::new("pulumi-pack");
    pack.write("PulumiPolicy.yaml", "runtime: guardrail\n");
    pack.write("guardrail.toml", "select = [\"AWS-ELB-999\"]\n");
    let err = start(&pack, &links, &["127.0.0.1:1", "."]).err().unwrap();
    assert!(err.starts_with("exit Some(2)"), "{err}");
    assert!(err.contains("AWS-ELB-999"), "{err}");

    let pack = TempDir::new("pulumi-pack");
    pack.write("PulumiPolicy.yaml", "runtime: python\n");
    let err = start(&pack, &links, &["127.0.0.1:1", "."]).err().unwrap();
    assert!(
        err.contains("has the runtime `python`, not `guardrail`"),
        "{err}"
    );
}

/// Configure with a level the pack does not know is refused with the reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configure_checks_the_config() {
    let links = TempDir::new("pulumi-links");
    let pack = pack_dir(false);
    let plugin = start(&pack, &links, &["127.0.0.1:1", pack.path()]).unwrap();
    let mut c = client(&plugin).await;
    let mut config = std::collections::HashMap::new();
    config.insert(
        "PLATFORM-001".to_string(),
        PolicyConfig {
            enforcement_level: EnforcementLevel::Mandatory as i32,
            properties: props(json!({"limit": []})),
        },
    );
    let err = c
        .configure(ConfigureAnalyzerRequest {
            policy_config: config,
        })
        .await
        .err()
        .unwrap();
    assert!(err.message().contains("PLATFORM-001"), "{}", err.message());
}

/// A policy that fails is a mandatory diagnostic of its own; the pack's other policies still
/// report, and the plugin serves the next call.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_policy_is_contained() {
    let links = TempDir::new("pulumi-links");
    let pack = TempDir::new("pulumi-pack");
    pack.write("PulumiPolicy.yaml", "runtime: guardrail\nname: hostile\n")
        .write("guardrail.toml", "packs = [\"opa\"]\n")
        .write("opa/PulumiPolicy.yaml", "runtime: opa\n")
        .write(
            "opa/p.rego",
            r#"package p

deny_wide[msg] {
    input.type == "aws:lb/targetGroup:TargetGroup"
    msg := sprintf("%1999999999d", [1])
}

deny_port[msg] {
    input.port == 5432
    msg := sprintf("postgres port %d", [input.port])
}
"#,
        );
    let plugin = start(&pack, &links, &["127.0.0.1:1", "."]).unwrap();
    let mut c = client(&plugin).await;
    let target = request(
        "aws:lb/targetGroup:TargetGroup",
        "db",
        props(json!({"port": 5432})),
    );
    for _ in 0..2 {
        let found = c.analyze(target.clone()).await.unwrap();
        let failed = found
            .diagnostics
            .iter()
            .find(|d| d.policy_name.contains("deny_wide"))
            .unwrap_or_else(|| panic!("{found:?}"));
        assert!(
            failed.message.starts_with("the policy failed: "),
            "{}",
            failed.message
        );
        assert_eq!(failed.enforcement_level, EnforcementLevel::Mandatory as i32);
        assert!(
            found
                .diagnostics
                .iter()
                .any(|d| d.message.contains("postgres port 5432")),
            "{found:?}"
        );
    }
}

/// Older CLIs describe the stack in the environment (read until ConfigureStack replaces it); a
/// `PULUMI_CONFIG` that is not JSON is only missing context, never a reason not to start.
#[test]
fn a_malformed_stack_environment_does_not_stop_the_plugin() {
    let links = TempDir::new("pulumi-links");
    let pack = pack_dir(false);
    let link = links.join("pulumi-analyzer-policy-guardrail");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_guardrail"), &link).unwrap();
    let mut child = Command::new(&link)
        .args(["127.0.0.1:1", "."])
        .current_dir(&*pack)
        .env("PULUMI_PROJECT", "checkout")
        .env("PULUMI_STACK", "dev")
        .env("PULUMI_CONFIG", "not json")
        .env("PULUMI_DRY_RUN", "true")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.trim().parse::<u16>().is_ok(), "{line:?}");
}

/// Starts `guardrail pulumi-language-host ENGINE` (what newer CLIs start as
/// `pulumi-language-guardrail`) and returns it with its port.
fn start_language_host() -> Plugin {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guardrail"))
        .args(["pulumi-language-host", "127.0.0.1:1"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().parse().unwrap();
    Plugin { child, port }
}

/// `RunPlugin` of the language host, as the CLI calls it for a policy pack.
async fn run_plugin(host: &Plugin, pack: &std::path::Path) -> tonic::Streaming<RunPluginResponse> {
    let channel = rpc::connect_local(host.port, Duration::from_secs(10))
        .await
        .unwrap();
    let mut grpc = tonic::client::Grpc::new(channel);
    grpc.ready().await.unwrap();
    let request = RunPluginRequest {
        pwd: pack.display().to_string(),
        args: vec!["127.0.0.1:1".into()],
        info: Some(ProgramInfo {
            root_directory: pack.display().to_string(),
            program_directory: pack.display().to_string(),
            entry_point: ".".into(),
            options: None,
        }),
        kind: "analyzer".into(),
        name: "platform-guardrails".into(),
        ..Default::default()
    };
    grpc.server_streaming(
        tonic::Request::new(request),
        http::uri::PathAndQuery::from_static("/pulumirpc.LanguageRuntime/RunPlugin"),
        tonic_prost::ProstCodec::<RunPluginRequest, RunPluginResponse>::default(),
    )
    .await
    .unwrap()
    .into_inner()
}

/// The language host serves the pack's analyzer in its own process: the port comes back as the
/// plugin's first line of standard output, and the analyzer stops when the CLI drops the stream.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_host_serves_the_pack() {
    let host = start_language_host();
    let pack = pack_dir(false);
    let mut stream = run_plugin(&host, &pack).await;
    let first = stream.message().await.unwrap().unwrap();
    let Some(RunPluginOutput::Stdout(bytes)) = first.output else {
        panic!("{first:?}");
    };
    let port: u16 = String::from_utf8(bytes).unwrap().trim().parse().unwrap();
    let mut c = AnalyzerClient::new(
        rpc::connect_local(port, Duration::from_secs(10))
            .await
            .unwrap(),
    );
    assert_eq!(
        c.get_analyzer_info(()).await.unwrap().name,
        "platform-guardrails"
    );
    let found = c
        .analyze(request(
            "aws:lb/targetGroup:TargetGroup",
            "checkout-db",
            props(json!({"port": 5432, "tags": {"Department": "retail"}})),
        ))
        .await
        .unwrap();
    assert_eq!(found.diagnostics.len(), 1, "{found:?}");
    assert_eq!(found.diagnostics[0].policy_name, "AWS-ELB-001");

    drop(c);
    drop(stream);
    let mut stopped = false;
    for _ in 0..50 {
        if rpc::connect_local(port, Duration::from_secs(1))
            .await
            .is_err()
        {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        stopped,
        "the analyzer still listens after the stream was dropped"
    );
}

/// A pack that does not load: its error on the plugin's standard error, then exit code 2.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_host_reports_a_bad_pack() {
    let host = start_language_host();
    let pack = TempDir::new("pulumi-pack");
    pack.write("PulumiPolicy.yaml", "runtime: guardrail\n")
        .write("guardrail.toml", "select = [\"AWS-ELB-999\"]\n");
    let mut stream = run_plugin(&host, &pack).await;
    let mut stderr = String::new();
    let mut code = None;
    while let Some(message) = stream.message().await.unwrap() {
        match message.output {
            Some(RunPluginOutput::Stderr(bytes)) => {
                stderr.push_str(&String::from_utf8_lossy(&bytes))
            }
            Some(RunPluginOutput::Exitcode(c)) => code = Some(c),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains("AWS-ELB-999"),
        "{stderr}"
    );
}

/// Starts the plugin as `start` does, with these environment variables.
fn start_with_env(dir: &std::path::Path, links: &TempDir, env: &[(&str, &str)]) -> Plugin {
    let link = links.join("pulumi-analyzer-policy-guardrail");
    if !link.exists() {
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_guardrail"), &link).unwrap();
    }
    let mut child = Command::new(&link)
        .args(["127.0.0.1:1", "."])
        .current_dir(dir)
        .env_remove("GUARDRAIL_STACK")
        .env_remove("GUARDRAIL_OFFLINE_OK")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().parse().unwrap();
    Plugin { child, port }
}

fn configure_stack(dry_run: bool) -> AnalyzerStackConfigureRequest {
    AnalyzerStackConfigureRequest {
        stack: "dev".into(),
        project: "checkout".into(),
        organization: "default".into(),
        dry_run,
        ..Default::default()
    }
}

/// With `GUARDRAIL_SERVER`, the stack the CLI names (`ConfigureStack`) gets the service's
/// required packs: listed at the server's level, run although the pack's `guardrail.toml` and
/// the CLI's policy config set them advisory or disabled; the run is uploaded after
/// `AnalyzeStack`, a preview as `preview`, with its findings, secrets masked. A refusing
/// service stops the plugin with a message that names guardrail and the service.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_services_required_packs_run_and_the_run_is_recorded() {
    let service = common::Service::start();
    service.require("base", &["AWS-ELB-001"], "checkout/dev", "mandatory");
    let links = TempDir::new("pulumi-links");
    let pack = TempDir::new("pulumi-pack");
    pack.write("PulumiPolicy.yaml", "runtime: guardrail\nname: local\n")
        .write(
            "guardrail.toml",
            "select = [\"PLATFORM-001\"]\n\n[policies]\n\"AWS-ELB-001\" = \"advisory\"\n",
        );
    let cache = TempDir::new("pulumi-cache");
    let env = [
        ("GUARDRAIL_SERVER", service.url.as_str()),
        ("GUARDRAIL_TOKEN", service.token.as_str()),
        ("GUARDRAIL_CACHE_DIR", cache.path()),
        ("GITHUB_SHA", "feedface"),
    ];
    let plugin = start_with_env(&pack, &links, &env);
    let mut c = client(&plugin).await;
    c.configure_stack(configure_stack(true)).await.unwrap();
    let info = c.get_analyzer_info(()).await.unwrap();
    let elb = info
        .policies
        .iter()
        .find(|p| p.name == "AWS-ELB-001")
        .unwrap_or_else(|| panic!("the required policy is listed: {info:?}"));
    assert_eq!(elb.enforcement_level, EnforcementLevel::Mandatory as i32);
    // the CLI's policy config disables it: the server's level stands
    let mut config = std::collections::HashMap::new();
    config.insert(
        "AWS-ELB-001".to_string(),
        PolicyConfig {
            enforcement_level: EnforcementLevel::Disabled as i32,
            properties: None,
        },
    );
    c.configure(ConfigureAnalyzerRequest {
        policy_config: config,
    })
    .await
    .unwrap();
    let target = request(
        "aws:lb/targetGroup:TargetGroup",
        "checkout-db",
        props(json!({"port": 5432, "protocol": "TCP", "note": secret(json!("Zq8-secret-Vw3"))})),
    );
    let found = c.analyze(target.clone()).await.unwrap();
    let d = found
        .diagnostics
        .iter()
        .find(|d| d.policy_name == "AWS-ELB-001")
        .unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(d.enforcement_level, EnforcementLevel::Mandatory as i32);
    let hidden = request(
        "aws:lb/targetGroup:TargetGroup",
        "hidden",
        props(json!({"port": secret(json!(3389)), "protocol": "TCP"})),
    );
    assert_eq!(c.analyze(hidden).await.unwrap().diagnostics.len(), 1);
    assert!(
        service.runs().is_empty(),
        "nothing is uploaded before the end"
    );
    let stack_resource = |r: &AnalyzeRequest| AnalyzerResource {
        r#type: r.r#type.clone(),
        properties: r.properties.clone(),
        urn: r.urn.clone(),
        name: r.name.clone(),
        provider: r.provider.clone(),
        ..Default::default()
    };
    c.analyze_stack(AnalyzeStackRequest {
        resources: vec![stack_resource(&target)],
    })
    .await
    .unwrap();
    let runs = service.runs();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let run = &runs[0];
    assert_eq!(run["stack"], "checkout/dev", "{run}");
    assert_eq!(run["kind"], "preview", "{run}");
    assert_eq!(run["outcome"], "blocked", "{run}");
    assert_eq!(run["commit"], "feedface", "{run}");
    assert_eq!(run["finding_count"], 2, "{run}");
    assert_eq!(run["summary"]["mandatory"], 2, "{run}");
    let findings = service.api(
        "GET",
        "/api/v1/orgs/default/findings?policy=AWS-ELB-001",
        None,
    );
    let text = String::from_utf8_lossy(&findings.body).into_owned();
    assert!(text.contains("\"central\":true"), "{text}");
    assert!(text.contains("checkout-db"), "{text}");
    assert!(!text.contains("3389"), "the secret port is masked: {text}");
    // Cancel after AnalyzeStack: the run is not uploaded twice
    c.cancel(()).await.unwrap();
    assert_eq!(service.runs().len(), 1);

    // an update stopped before AnalyzeStack is recorded at Cancel, as an update
    let update = start_with_env(&pack, &links, &env);
    let mut c = client(&update).await;
    c.configure_stack(configure_stack(false)).await.unwrap();
    c.get_analyzer_info(()).await.unwrap();
    c.analyze(target.clone()).await.unwrap();
    assert_eq!(service.runs().len(), 1);
    c.cancel(()).await.unwrap();
    let runs = service.runs();
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert_eq!(
        (
            &runs[0]["kind"],
            &runs[0]["outcome"],
            &runs[0]["finding_count"]
        ),
        (&json!("update"), &json!("blocked"), &json!(1)),
        "{runs:?}"
    );

    // a token the service refuses: the plugin fails, naming guardrail and the service
    let refused = start_with_env(
        &pack,
        &links,
        &[
            ("GUARDRAIL_SERVER", service.url.as_str()),
            ("GUARDRAIL_TOKEN", "grd_wrong"),
            ("GUARDRAIL_CACHE_DIR", cache.path()),
        ],
    );
    let mut c = client(&refused).await;
    let err = c
        .configure_stack(configure_stack(false))
        .await
        .err()
        .unwrap();
    let message = err.message();
    assert!(
        message.starts_with("guardrail: the policy service `")
            && message.contains(&service.url)
            && message.contains("the API token is not valid"),
        "{message}"
    );
    assert!(!message.contains("grd_wrong"), "{message}");
}

/// The Python with `pulumi-policy` (`GUARDRAIL_CROSSGUARD_PYTHON`, else `.ci/venv`), when
/// there is one; else the test says it is skipped (and fails under CI).
fn crossguard_python(test: &str) -> Option<std::path::PathBuf> {
    let found = [
        std::env::var_os("GUARDRAIL_CROSSGUARD_PYTHON").map(std::path::PathBuf::from),
        Some(common::root().join(".ci/venv/bin/python")),
    ]
    .into_iter()
    .flatten()
    .find(|p| {
        Command::new(p)
            .args(["-c", "import pulumi_policy"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{test}: pulumi-policy is not installed, and CI is set"
        );
        println!("skipped (no pulumi-policy): {test}");
    }
    found
}

/// A guardrail pack whose `guardrail.toml` runs a Python CrossGuard pack beside AWS-ELB-001.
/// Its policy `slow` sleeps `sleep` seconds on a resource named `hang`; `main_top` runs first.
fn pack_with_crossguard(main_top: &str) -> TempDir {
    let pack = TempDir::new("pulumi-pack");
    pack.write(
        "PulumiPolicy.yaml",
        "runtime: guardrail\nname: with-python\n",
    )
    .write(
        "guardrail.toml",
        "select = [\"AWS-ELB-001\"]\npacks = [\"cg\"]\n",
    )
    .write("cg/PulumiPolicy.yaml", "runtime: python\nname: hostile\n")
    .write(
        "cg/__main__.py",
        &format!(
            r#"
import time
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy
{main_top}
def slow(args, report_violation):
    if args.name == "hang":
        time.sleep(600)
    report_violation("seen " + args.name)

PolicyPack(name="hostile", enforcement_level=EnforcementLevel.ADVISORY, policies=[
    ResourceValidationPolicy(name="slow", description="Sleeps on `hang`.", validate=slow),
])
"#
        ),
    );
    pack
}

/// The plugin's own time limit (`GUARDRAIL_PULUMI_TIMEOUT`): a call that runs past it fails
/// alone, with a message naming the limit, and the plugin answers the next call. A CrossGuard
/// pack in the plugin's pack that never prints its port stops the plugin at start (exit 2,
/// naming the pack): never a hang.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_past_its_time_limit_fails_alone() {
    let Some(python) = crossguard_python("a_call_past_its_time_limit_fails_alone") else {
        return;
    };
    let python = python.display().to_string();
    let links = TempDir::new("pulumi-links");
    let pack = pack_with_crossguard("");
    let plugin = start_with_env(
        &pack,
        &links,
        &[
            ("PULUMI_PYTHON_CMD", python.as_str()),
            ("GUARDRAIL_PULUMI_TIMEOUT", "2"),
            ("GUARDRAIL_PACK_CALL_TIMEOUT", "4"),
        ],
    );
    let mut c = client(&plugin).await;
    let started = std::time::Instant::now();
    let err = c
        .analyze(request(
            "aws:lb/targetGroup:TargetGroup",
            "hang",
            props(json!({"port": 5432})),
        ))
        .await
        .err()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(err.code(), tonic::Code::DeadlineExceeded, "{err:?}");
    assert!(
        err.message()
            .contains("`Analyze` ran past its time limit of 2 s (GUARDRAIL_PULUMI_TIMEOUT)"),
        "{}",
        err.message()
    );
    // the pack's own call limit ends the hung call; then the plugin answers as before
    tokio::time::sleep(Duration::from_secs(4)).await;
    let found = c
        .analyze(request(
            "aws:lb/targetGroup:TargetGroup",
            "db",
            props(json!({"port": 5432})),
        ))
        .await
        .unwrap();
    let names: Vec<&str> = found
        .diagnostics
        .iter()
        .map(|d| d.policy_name.as_str())
        .collect();
    assert!(names.contains(&"AWS-ELB-001"), "{found:?}");
    assert!(
        found
            .diagnostics
            .iter()
            .any(|d| d.message.contains("seen db")),
        "{found:?}"
    );

    // a pack that never prints its port: the plugin exits 2 naming it, within its start limit
    let silent = pack_with_crossguard("time.sleep(600)");
    let link = links.join("pulumi-analyzer-policy-guardrail");
    let started = std::time::Instant::now();
    let out = Command::new(&link)
        .args(["127.0.0.1:1", "."])
        .current_dir(&*silent)
        .env("PULUMI_PYTHON_CMD", &python)
        .env("GUARDRAIL_PACK_START_TIMEOUT", "2")
        .output()
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cg") && stderr.contains("did not print its port within 2 seconds"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "no port: {:?}", out.stdout);
}

/// A CrossGuard pack inside the plugin's pack sees what it sees under Pulumi: the stack the CLI
/// configures (its names, tags and config, a secret among them) in its environment and
/// `stack_tags`, numbers as doubles, the dry run; what it reports of a secret is masked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crossguard_pack_in_the_plugin_sees_the_clis_stack() {
    let Some(python) = crossguard_python("a_crossguard_pack_in_the_plugin_sees_the_clis_stack")
    else {
        return;
    };
    let python = python.display().to_string();
    let links = TempDir::new("pulumi-links");
    let pack = TempDir::new("pulumi-pack");
    pack.write("PulumiPolicy.yaml", "runtime: guardrail\nname: spying\n")
        .write("guardrail.toml", "packs = [\"cg\"]\n")
        .write("cg/PulumiPolicy.yaml", "runtime: python\nname: spy\n")
        .write(
            "cg/__main__.py",
            r#"
import json, os
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

def spy(args, report_violation):
    port = args.props["port"]
    report_violation(f"port={port!r} str22={str(port) == '22'}")
    report_violation("tags=" + json.dumps(dict(args.stack_tags), sort_keys=True))
    report_violation("env=" + " ".join(f"{k}={os.environ.get(k)}" for k in
        ["PULUMI_ORGANIZATION", "PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN"]))
    config = json.loads(os.environ.get("PULUMI_CONFIG", "{}"))
    report_violation("region=" + config.get("shop:region", "-"))
    report_violation("password=" + config.get("shop:dbPassword", "-"))

PolicyPack(name="spy", enforcement_level=EnforcementLevel.ADVISORY, policies=[
    ResourceValidationPolicy(name="spy", description="Reports what it sees.", validate=spy),
])
"#,
        );
    let plugin = start_with_env(&pack, &links, &[("PULUMI_PYTHON_CMD", python.as_str())]);
    let mut c = client(&plugin).await;
    c.configure_stack(AnalyzerStackConfigureRequest {
        stack: "prod".into(),
        project: "shop".into(),
        organization: "acme".into(),
        dry_run: true,
        tags: [("team".to_string(), "payments".to_string())].into(),
        config: [
            ("shop:region".to_string(), "eu-west-1".to_string()),
            ("shop:dbPassword".to_string(), "Zx9-Very-Secret".to_string()),
        ]
        .into(),
        config_secret_keys: vec!["shop:dbPassword".into()],
    })
    .await
    .unwrap();
    let found = c
        .analyze(request(
            "aws:lb/targetGroup:TargetGroup",
            "ssh",
            props(json!({"port": 22})),
        ))
        .await
        .unwrap();
    let messages: Vec<&str> = found
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    let has = |m: &str| messages.iter().any(|x| x.contains(m));
    assert!(has("port=22.0 str22=False"), "{messages:#?}");
    assert!(has(r#"tags={"team": "payments"}"#), "{messages:#?}");
    assert!(
        has("env=PULUMI_ORGANIZATION=acme PULUMI_PROJECT=shop PULUMI_STACK=prod PULUMI_DRY_RUN=true"),
        "{messages:#?}"
    );
    assert!(has("region=eu-west-1"), "{messages:#?}");
    assert!(has("password=[secret]"), "{messages:#?}");
    assert!(
        !messages.iter().any(|m| m.contains("Zx9-Very-Secret")),
        "the secret config value is masked: {messages:#?}"
    );
}
