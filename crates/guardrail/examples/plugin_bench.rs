//! How many `Analyze` calls per second the Pulumi plugin answers: the guardrail binary started
//! as the CLI starts it (`guardrail pulumi-analyzer ENGINE DIR`), then `Analyze` calls on a mix
//! of resources (a target group on a database port, a tagged bucket, a component), several in
//! flight at once as the CLI makes them. BENCHMARKS.md says how it is run.
//!
//! ```sh
//! cargo build -p guardrail --example plugin_bench
//! target/debug/examples/plugin_bench [--calls N] [--in-flight K] [--binary PATH] [PACK_DIR]
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use guardrail_pulumi::proto::{AnalyzeRequest, AnalyzerProviderResource};
use guardrail_pulumi::rpc::{self, AnalyzerClient};
use guardrail_pulumi::value::value_to_struct;
use serde_json::json;

fn request(i: usize) -> AnalyzeRequest {
    let (type_, props, provider) = match i % 3 {
        0 => (
            "aws:lb/targetGroup:TargetGroup",
            json!({"port": 5432, "protocol": "TCP", "tags": {"Department": "retail"}}),
            true,
        ),
        1 => (
            "aws:s3/bucketV2:BucketV2",
            json!({"bucket": format!("acme-{i}"), "tags": {"Department": "retail", "Team": "shop"}}),
            true,
        ),
        _ => (
            "acme:index:Microservice",
            json!({"image": "acme/checkout:1.42.0", "memory": "2Gi"}),
            false,
        ),
    };
    let name = format!("r{i}");
    AnalyzeRequest {
        r#type: type_.into(),
        urn: format!("urn:pulumi:dev::bench::{type_}::{name}"),
        name,
        properties: Some(value_to_struct(&guardrail_core::Value::from_json(props))),
        provider: provider.then(|| AnalyzerProviderResource {
            r#type: "pulumi:providers:aws".into(),
            urn: "urn:pulumi:dev::bench::pulumi:providers:aws::default".into(),
            name: "default".into(),
            properties: None,
        }),
        options: None,
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut calls = 2000usize;
    let mut in_flight = 8usize;
    let mut binary = String::from("target/debug/guardrail");
    let mut pack = String::from("crates/guardrail/tests/pulumi/pack");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--calls" => calls = args.next().unwrap().parse().unwrap(),
            "--in-flight" => in_flight = args.next().unwrap().parse().unwrap(),
            "--binary" => binary = args.next().unwrap(),
            _ => pack = arg,
        }
    }
    let mut child = Command::new(&binary)
        .args(["pulumi-analyzer", "127.0.0.1:1", &pack])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start `{binary}`: {e}"));
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("the plugin printed {line:?}, not its port"));
    let channel = rpc::connect_local(port, Duration::from_secs(10))
        .await
        .unwrap();
    let client = AnalyzerClient::new(channel);
    // warm up: the first call pays for connecting
    client.clone().analyze(request(0)).await.unwrap();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..in_flight {
        let mut c = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut diagnostics = 0;
            let mut i = worker;
            while i < calls {
                diagnostics += c.analyze(request(i)).await.unwrap().diagnostics.len();
                i += in_flight;
            }
            diagnostics
        }));
    }
    let mut diagnostics = 0;
    for t in tasks {
        diagnostics += t.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "{calls} Analyze calls, {in_flight} in flight, pack `{pack}`: {elapsed:.2} s, {:.0} calls/s ({diagnostics} diagnostics)",
        calls as f64 / elapsed
    );
}
