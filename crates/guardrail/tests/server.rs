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
