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

/// The database a test runs on.
enum Backend {
    /// SQLite in the data directory.
    Sqlite,
    /// PostgreSQL, a schema of the test's own.
    Postgres(String),
}

impl Backend {
    fn postgres(test: &str) -> Option<Backend> {
        match guardrail_store::test_postgres_url(test) {
            Ok(Some(url)) => Some(Backend::Postgres(url)),
            Ok(None) => None,
            Err(e) => panic!("{e}"),
        }
    }

    /// `guardrail serve` options for this database, with `data_dir` as the data directory.
    fn args(&self, data_dir: &str) -> Vec<String> {
        let mut args = vec!["--data-dir".to_owned(), data_dir.to_owned()];
        if let Backend::Postgres(url) = self {
            args.extend(["--database".to_owned(), url.clone()]);
        }
        args
    }
}

/// `on_both!(test, …)`: each test function as two tests, `test::sqlite` and `test::postgres`.
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                super::$name(&super::Backend::Sqlite);
            }
            #[test]
            fn postgres() {
                if let Some(db) = super::Backend::postgres(stringify!($name)) {
                    super::$name(&db);
                }
            }
        }
    )*};
}

on_both!(
    serve_prints_the_bootstrap_token_once_and_pack_publish_uploads_a_pack,
    serve_init_creates_the_database_and_the_token_once,
    kill_9_during_publishes_leaves_only_whole_versions,
);

/// Starts `guardrail serve` on a free port (not waiting for it).
fn start(db: &Backend, data_dir: &str) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_guardrail"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(db.args(data_dir))
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    // Owned by `Server` at once, so that it is killed and waited for on every path.
    Server {
        child,
        url: String::new(),
        token: None,
    }
}

/// Waits until the server listens; notes its address and its bootstrap token, if it printed
/// one.
fn ready(mut server: Server) -> Server {
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

fn serve(db: &Backend, data_dir: &str) -> Server {
    ready(start(db, data_dir))
}

fn serve_prints_the_bootstrap_token_once_and_pack_publish_uploads_a_pack(db: &Backend) {
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let url;
    let token;
    {
        let server = serve(db, &data);
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
    let server = serve(db, &data);
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

fn serve_init_creates_the_database_and_the_token_once(db: &Backend) {
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let mut args = vec!["serve".to_owned(), "--init".to_owned()];
    args.extend(db.args(&data));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let first = run_with(&root(), &args, &[]);
    assert_eq!(first.code, 0, "{first}");
    assert!(first.stderr.contains("bootstrap admin token"), "{first}");
    assert!(first.stderr.contains("grd_"), "{first}");
    let second = run_with(&root(), &args, &[]);
    assert_eq!(second.code, 0, "{second}");
    assert!(second.stderr.contains("already set up"), "{second}");
    assert!(!second.stderr.contains("grd_"), "{second}");
}

#[test]
fn serve_refuses_a_database_it_cannot_use_with_a_clear_error() {
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
    // Nothing listens on port 1: the error names the database, without its password.
    let bad = run_with(
        &root(),
        &[
            "serve",
            "--init",
            "--database",
            "postgres://app:s3cret-pw@127.0.0.1:1/guardrail",
        ],
        &[],
    );
    assert_eq!(bad.code, 2, "{bad}");
    assert!(
        bad.stderr
            .contains("cannot open the database `postgres://app@127.0.0.1:1/guardrail`"),
        "{bad}"
    );
    assert!(bad.stderr.contains("cannot connect to PostgreSQL"), "{bad}");
    assert!(!bad.stderr.contains("s3cret-pw"), "{bad}");
    let bad = run_with(
        &root(),
        &[
            "serve",
            "--init",
            "--database",
            "postgres://127.0.0.1:1/guardrail?schema=Team-A",
        ],
        &[],
    );
    assert_eq!(bad.code, 2, "{bad}");
    assert!(bad.stderr.contains("schema name `Team-A`"), "{bad}");
}

fn kill_9_during_publishes_leaves_only_whole_versions(db: &Backend) {
    use guardrail_server::client::request;
    use serde_json::Value;

    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let mut server = serve(db, &data);
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

    let server = serve(db, &data);
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

/// A pack version document with its digest: the example pack, with a note that makes each
/// `variant` a different content.
fn pack_upload(variant: &str) -> Vec<u8> {
    use serde_json::Value;
    let mut doc =
        guardrail_server::client::pack_document(&root().join("examples/packs/platform-guardrails"))
            .unwrap();
    doc["files"]["NOTES.md"] = Value::String(variant.to_owned());
    let checked = guardrail_server::packs::check_document(&doc).unwrap();
    doc["digest"] = Value::String(guardrail_server::auth::content_digest(&checked.canonical));
    doc.to_string().into_bytes()
}

#[test]
fn two_services_on_one_postgres_give_the_same_answers() {
    use guardrail_server::client::request;
    use serde_json::{json, Value};

    let Some(db) = Backend::postgres("two_services_on_one_postgres_give_the_same_answers") else {
        return;
    };
    // Both start at once on an empty database: the migrations run once, one of them creates
    // the bootstrap admin, and neither holds state of its own.
    let (dir_a, dir_b) = (temp_dir(), temp_dir());
    let (a, b) = (start(&db, dir_a.path()), start(&db, dir_b.path()));
    let (a, b) = (ready(a), ready(b));
    let tokens: Vec<&String> = a.token.iter().chain(b.token.iter()).collect();
    assert_eq!(
        tokens.len(),
        1,
        "exactly one process bootstraps: {tokens:?}"
    );
    let root_token = tokens[0].clone();
    let call = |s: &Server, method: &str, path: &str, token: &str, body: Option<Value>| {
        let body = body.map(|b| b.to_string().into_bytes());
        request(&s.url, method, path, Some(token), body.as_deref()).unwrap()
    };

    // Written through one, read through the other.
    let r = call(
        &a,
        "POST",
        "/api/v1/orgs",
        &root_token,
        Some(json!({"name": "acme", "admin": "alice"})),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let alice = r.json()["token"].as_str().unwrap().to_owned();
    let r = call(&b, "GET", "/api/v1/orgs/acme", &alice, None);
    assert_eq!(r.status, 200, "{}", r.error_message());
    assert_eq!(r.json()["you"]["name"], "alice");
    let r = call(
        &b,
        "POST",
        "/api/v1/orgs/acme/users",
        &alice,
        Some(json!({"name": "mia", "role": "member"})),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let users_a = call(&a, "GET", "/api/v1/orgs/acme/users", &alice, None);
    let users_b = call(&b, "GET", "/api/v1/orgs/acme/users", &alice, None);
    assert_eq!(users_a.json(), users_b.json());
    assert_eq!(users_a.json()["users"].as_array().unwrap().len(), 2);
    // The same organization created through the other process is refused.
    let r = call(
        &b,
        "POST",
        "/api/v1/orgs",
        &root_token,
        Some(json!({"name": "acme", "admin": "bob"})),
    );
    assert_eq!(r.status, 409, "{}", r.error_message());

    // A pack published through one is downloaded through the other, with the same digest.
    let path = "/api/v1/orgs/acme/packs/platform/versions/1.0.0";
    let one = pack_upload("one");
    let r = request(&a.url, "PUT", path, Some(&alice), Some(&one)).unwrap();
    assert_eq!(r.status, 201, "{}", r.error_message());
    let digest = r.json()["digest"].as_str().unwrap().to_owned();
    let r = call(&b, "GET", &format!("{path}/content"), &alice, None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-guardrail-digest"), Some(digest.as_str()));
    assert_eq!(guardrail_server::auth::content_digest(&r.body), digest);
    assert_eq!(
        call(&a, "GET", "/api/v1/orgs/acme/packs", &alice, None).json(),
        call(&b, "GET", "/api/v1/orgs/acme/packs", &alice, None).json()
    );
    // Republishing other content through the other process is a conflict there too.
    let r = request(&b.url, "PUT", path, Some(&alice), Some(&pack_upload("two"))).unwrap();
    assert_eq!(r.status, 409, "{}", r.error_message());

    // The same version published through both at the same moment, with different content:
    // one wins, the other is refused, in every round.
    for round in 0..8 {
        let path = format!("/api/v1/orgs/acme/packs/race/versions/{round}");
        let (x, y) = (
            pack_upload(&format!("a{round}")),
            pack_upload(&format!("b{round}")),
        );
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let pa = s.spawn(|| {
                request(&a.url, "PUT", &path, Some(&alice), Some(&x))
                    .unwrap()
                    .status
            });
            let pb = s.spawn(|| {
                request(&b.url, "PUT", &path, Some(&alice), Some(&y))
                    .unwrap()
                    .status
            });
            vec![pa.join().unwrap(), pb.join().unwrap()]
        });
        let mut sorted = statuses.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [201, 409], "round {round}: {statuses:?}");
    }
    let r = call(&b, "GET", "/api/v1/orgs/acme/packs/race", &alice, None);
    assert_eq!(r.json()["versions"].as_array().unwrap().len(), 8);

    // A token revoked through one stops working on the other at once.
    let r = call(
        &a,
        "POST",
        "/api/v1/orgs/acme/tokens",
        &alice,
        Some(json!({"user": "mia"})),
    );
    let mia = r.json()["token"].as_str().unwrap().to_owned();
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(call(&b, "GET", "/api/v1/orgs/acme", &mia, None).status, 200);
    let r = call(
        &a,
        "DELETE",
        &format!("/api/v1/orgs/acme/tokens/{id}"),
        &alice,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.error_message());
    assert_eq!(call(&b, "GET", "/api/v1/orgs/acme", &mia, None).status, 401);
}
