//! `guardrail serve` and `guardrail pack publish` as users run them: the real binary, over HTTP
//! on 127.0.0.1.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{root, run_with, temp_dir};

/// A running `guardrail serve`, killed when dropped.
struct Server {
    child: Child,
    url: String,
    token: Option<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data_dir: &str) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_guardrail"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Owned by `Server` at once, so that it is killed and waited for on every path.
    let mut server = Server {
        child,
        url: String::new(),
        token: None,
    };
    let mut lines = BufReader::new(server.child.stderr.take().unwrap()).lines();
    loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(t) = line.trim().strip_prefix("grd_") {
            server.token = Some(format!("grd_{t}"));
        }
        if let Some(rest) = line.split("listening on ").nth(1) {
            server.url = rest.split(' ').next().unwrap().to_owned();
            return server;
        }
    }
}

#[test]
fn serve_prints_the_bootstrap_token_once_and_pack_publish_uploads_a_pack() {
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let url;
    let token;
    {
        let server = serve(&data);
        token = server
            .token
            .clone()
            .expect("the first start prints a token");
        url = server.url.clone();
        let pack = root().join("examples/packs/platform-guardrails");
        let pack = pack.to_str().unwrap();
        let publish = |version: &str, env: &[(&str, &str)]| {
            run_with(
                &root(),
                &[
                    "pack",
                    "publish",
                    pack,
                    "--server",
                    &url,
                    "--version",
                    version,
                ],
                env,
            )
        };
        let out = publish("1.0.0", &[("GUARDRAIL_TOKEN", &token)]);
        assert_eq!(out.code, 0, "{out}");
        assert!(
            out.stdout.starts_with(
                "published `platform-guardrails` version `1.0.0` to `default` (sha256:"
            ),
            "{out}"
        );
        let out = publish("1.0.0", &[("GUARDRAIL_TOKEN", &token)]);
        assert_eq!(out.code, 0, "{out}");
        assert!(
            out.stdout.contains("already published with this content"),
            "{out}"
        );

        let out = publish("1.0.1", &[("GUARDRAIL_TOKEN", "grd_wrong")]);
        assert_eq!(out.code, 2, "{out}");
        assert!(out.stderr.contains("the API token is not valid"), "{out}");
        assert!(
            !out.stderr.contains("grd_wrong"),
            "the token is not echoed: {out}"
        );
        let out = publish("1.0.1", &[]);
        assert_eq!(out.code, 2, "{out}");
        assert!(out.stderr.contains("`GUARDRAIL_TOKEN` is not set"), "{out}");
        let out = publish("not/a/version", &[("GUARDRAIL_TOKEN", &token)]);
        assert_eq!(out.code, 2, "{out}");
    }
    // A restart keeps the data and prints no token.
    let server = serve(&data);
    assert_eq!(server.token, None);
    let r = guardrail_server::client::request(
        &server.url,
        "GET",
        "/api/v1/orgs/default/packs",
        Some(&token),
        None,
    )
    .unwrap();
    assert_eq!(r.json()["packs"][0]["name"], "platform-guardrails");
}

#[test]
fn serve_init_creates_the_database_and_the_token_once() {
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let args = ["serve", "--init", "--data-dir", data.as_str()];
    let first = run_with(&root(), &args, &[]);
    assert_eq!(first.code, 0, "{first}");
    assert!(first.stderr.contains("bootstrap admin token"), "{first}");
    assert!(first.stderr.contains("grd_"), "{first}");
    let second = run_with(&root(), &args, &[]);
    assert_eq!(second.code, 0, "{second}");
    assert!(second.stderr.contains("already set up"), "{second}");
    assert!(!second.stderr.contains("grd_"), "{second}");

    let bad = run_with(
        &root(),
        &["serve", "--init", "--database", "postgres://db/guardrail"],
        &[],
    );
    assert_eq!(bad.code, 2, "{bad}");
    assert!(
        bad.stderr.contains("PostgreSQL storage is not built yet"),
        "{bad}"
    );
    let bad = run_with(
        &root(),
        &["serve", "--init", "--database", "mysql://db"],
        &[],
    );
    assert_eq!(bad.code, 2, "{bad}");
    assert!(
        bad.stderr.contains("unknown database scheme `mysql`"),
        "{bad}"
    );
}

#[test]
fn kill_9_during_publishes_leaves_only_whole_versions() {
    use guardrail_server::client::request;
    use serde_json::Value;

    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let mut server = serve(&data);
    let token = server.token.clone().unwrap();
    let url = server.url.clone();
    let progress = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let publisher = {
        let (url, token) = (url.clone(), token.clone());
        let progress = std::sync::Arc::clone(&progress);
        std::thread::spawn(move || {
            let mut published = 0;
            for i in 0..2000 {
                // Each version is large enough that a write takes a while.
                let mut doc = guardrail_server::client::pack_document(
                    &root().join("examples/packs/platform-guardrails"),
                )
                .unwrap();
                doc["files"]["NOTES.md"] = Value::String(format!("{i} {}", "x".repeat(200_000)));
                let checked = guardrail_server::packs::check_document(&doc).unwrap();
                let mut upload = doc;
                upload["digest"] =
                    Value::String(guardrail_server::auth::content_digest(&checked.canonical));
                let path = format!("/api/v1/orgs/default/packs/p/versions/{i}");
                match request(
                    &url,
                    "PUT",
                    &path,
                    Some(&token),
                    Some(upload.to_string().as_bytes()),
                ) {
                    Ok(r) if r.status == 201 => {
                        published += 1;
                        progress.store(published, std::sync::atomic::Ordering::SeqCst);
                    }
                    _ => break,
                }
            }
            published
        })
    };
    // Kill once some publishes went through, in the middle of the following ones.
    let start = std::time::Instant::now();
    while progress.load(std::sync::atomic::Ordering::SeqCst) < 20
        && start.elapsed() < std::time::Duration::from_secs(30)
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(37));
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    let published = publisher.join().unwrap();
    assert!(published > 0, "nothing was published before the kill");

    let server = serve(&data);
    let r = request(
        &server.url,
        "GET",
        "/api/v1/orgs/default/packs/p",
        Some(&token),
        None,
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.error_message());
    let versions = r.json()["versions"].as_array().unwrap().clone();
    eprintln!(
        "kill -9 after {published} acknowledged publishes; {} versions stored",
        versions.len()
    );
    // Every acknowledged publish survived; at most the one in flight may have been stored too.
    assert!(
        versions.len() >= published && versions.len() <= published + 1,
        "{} stored, {published} acknowledged",
        versions.len()
    );
    for v in &versions {
        let path = format!(
            "/api/v1/orgs/default/packs/p/versions/{}/content",
            v["version"].as_str().unwrap()
        );
        let r = request(&server.url, "GET", &path, Some(&token), None).unwrap();
        assert_eq!(r.status, 200, "{}", r.error_message());
        assert_eq!(
            guardrail_server::auth::content_digest(&r.body),
            v["digest"].as_str().unwrap()
        );
    }
}
