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

    /// Everything the database holds, to search for what must not be stored, with where it
    /// is: the files of the data directory (with the write-ahead log), or every row of every
    /// table of the test's schema as text.
    fn stored(&self, data_dir: &str) -> Vec<(String, Vec<u8>)> {
        match self {
            Backend::Sqlite => std::fs::read_dir(data_dir)
                .unwrap()
                .map(|e| {
                    let path = e.unwrap().path();
                    (
                        format!("`{}`", path.display()),
                        std::fs::read(&path).unwrap(),
                    )
                })
                .collect(),
            Backend::Postgres(url) => {
                let (base, schema) = url.split_once("?schema=").unwrap();
                let mut client = postgres::Client::connect(base, postgres::NoTls).unwrap();
                let tables = client
                    .query(
                        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1",
                        &[&schema],
                    )
                    .unwrap();
                assert!(tables.len() >= 5, "the schema `{schema}` has its tables");
                let mut rows = Vec::new();
                for t in &tables {
                    let table: String = t.get(0);
                    for r in client
                        .query(
                            &format!("SELECT CAST(t AS TEXT) FROM {schema}.{table} t"),
                            &[],
                        )
                        .unwrap()
                    {
                        rows.push((
                            format!("the table `{table}`"),
                            r.get::<_, String>(0).into_bytes(),
                        ));
                    }
                }
                rows
            }
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
    a_client_cannot_lower_disable_or_exempt_server_policy_fails_closed_and_its_run_is_recorded,
    secrets_never_reach_the_stored_runs,
    kill_9_during_run_uploads_leaves_only_whole_runs,
    an_exemption_approved_with_the_cli_suppresses_the_finding_in_the_next_check_server_run,
    a_server_lost_during_the_run_fails_it_unless_offline_ok,
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

/// A JSON request to the server; panics on a transport error.
fn api(
    url: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<serde_json::Value>,
) -> guardrail_server::client::Response {
    let bytes = body.map(|b| b.to_string().into_bytes());
    guardrail_server::client::request(url, method, path, Some(token), bytes.as_deref()).unwrap()
}

fn a_client_cannot_lower_disable_or_exempt_server_policy_fails_closed_and_its_run_is_recorded(
    db: &Backend,
) {
    use serde_json::json;
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let server = serve(db, &data);
    let token = server.token.clone().unwrap();
    let url = server.url.clone();
    dir.write("base.json", r#"{"select": ["AWS-ELB-001"]}"#);
    let out = run_with(
        &dir,
        &[
            "pack",
            "publish",
            "base.json",
            "--server",
            &url,
            "--version",
            "1",
        ],
        &[("GUARDRAIL_TOKEN", &token)],
    );
    assert_eq!(out.code, 0, "{out}");
    let r = api(
        &url,
        "PUT",
        "/api/v1/orgs/default/groups/prod",
        &token,
        Some(
            json!({"stacks": ["*/prod"], "packs": [{"name": "base", "version": "1", "level": "mandatory"}]}),
        ),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());

    // A project that tries everything to get AWS-ELB-001 out of the way.
    dir.write(
        "guardrail.toml",
        "[policies]\nall = \"disabled\"\n\"AWS-ELB-001\" = \"advisory\"\n\n[[exemptions]]\npolicies = [\"AWS-ELB-*\"]\nresources = [\"*\"]\nreason = \"not today\"\n",
    );
    let plan = root().join("examples/plans/terraform-plan.json");
    let plan = plan.to_str().unwrap();
    let cache = format!("{}/cache", dir.path());
    let check = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["check", plan, "--fail-on", "never", "--ignore", "AWS-ELB"];
        args.extend_from_slice(extra);
        let mut all = vec![
            ("GUARDRAIL_TOKEN", token.as_str()),
            ("GUARDRAIL_CACHE_DIR", cache.as_str()),
        ];
        all.extend_from_slice(env);
        run_with(&dir, &args, &all)
    };
    let local = check(&[], &[]);
    assert_eq!(local.code, 0, "locally it passes: {local}");

    let ci = [
        ("GITHUB_SHA", "0123456789abcdef"),
        ("GITHUB_REF", "refs/pull/42/merge"),
        ("GITHUB_HEAD_REF", "feature"),
        ("GITHUB_ACTOR", "octocat"),
    ];
    let out = check(
        &[
            "--server",
            &url,
            "--stack",
            "default/shop/prod",
            "--output",
            "json=out.json",
            "--output",
            "sarif=out.sarif",
        ],
        &ci,
    );
    assert_eq!(out.code, 1, "the server's mandatory policy blocks: {out}");
    assert!(out.stdout.contains("AWS-ELB-001 [server]"), "{out}");
    assert!(out.stderr.contains("warning: the local level `advisory` of `AWS-ELB-001` is overridden: the server requires `mandatory`"), "{out}");
    assert!(
        out.stderr
            .contains("warning: the exemption `not today` does not apply to `AWS-ELB-001`"),
        "{out}"
    );
    assert!(
        out.stderr.contains("recorded on the server as run"),
        "{out}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.json")).unwrap()).unwrap();
    let blocking: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["blocking"] == true)
        .collect();
    assert!(!blocking.is_empty());
    assert!(
        blocking
            .iter()
            .all(|f| f["central"] == true && f["pack"] == "base@1"),
        "{report}"
    );
    assert!(std::fs::read_to_string(dir.join("out.sarif"))
        .unwrap()
        .contains("\"requiredByServer\": true"));
    // The marked report still matches the published schema.
    let schema = root().join("docs/report-schema.json");
    common::python(
        "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))",
        &[schema.as_os_str(), dir.join("out.json").as_os_str()],
        "the report with server findings does not match docs/report-schema.json",
    );

    // The run is recorded with the CI's commit, pull request and actor.
    let runs = run_with(
        &dir,
        &[
            "runs",
            "--server",
            &url,
            "--stack",
            "default/shop/prod",
            "--format",
            "json",
        ],
        &[("GUARDRAIL_TOKEN", &token)],
    );
    assert_eq!(runs.code, 0, "{runs}");
    let runs: serde_json::Value = serde_json::from_str(&runs.stdout).unwrap();
    let run = &runs["runs"][0];
    assert_eq!(
        (run["kind"].as_str(), run["outcome"].as_str()),
        (Some("plan"), Some("blocked"))
    );
    assert_eq!(run["commit"], "0123456789abcdef");
    assert_eq!(run["pull_request"], "42");
    assert_eq!(run["branch"], "feature");
    assert_eq!(run["actor"], "octocat");
    assert_eq!(
        run["finding_count"],
        report["findings"].as_array().unwrap().len()
    );
    let human = run_with(
        &dir,
        &["findings", "--server", &url, "--policy", "AWS-ELB-001"],
        &[("GUARDRAIL_TOKEN", &token)],
    );
    assert!(
        human
            .stdout
            .contains("AWS-ELB-001 [server]  aws_lb_target_group.ssh: "),
        "{human}"
    );

    // A stack no group names runs only local policy, and is recorded too; `audit` records a
    // run of deployed state.
    let dev = run_with(
        &dir,
        &[
            "audit",
            plan,
            "--fail-on",
            "never",
            "--server",
            &url,
            "--stack",
            "default/shop/dev",
        ],
        &[("GUARDRAIL_TOKEN", &token), ("GUARDRAIL_CACHE_DIR", &cache)],
    );
    assert_eq!(dev.code, 0, "{dev}");
    let states = run_with(
        &dir,
        &["runs", "--server", &url, "--kind", "state"],
        &[("GUARDRAIL_TOKEN", &token)],
    );
    assert!(states.stdout.contains("shop/dev"), "{states}");
    assert!(!states.stdout.contains("shop/prod"), "{states}");

    // Fails closed: a wrong token, an unreachable server.
    let wrong = run_with(
        &dir,
        &[
            "check",
            plan,
            "--server",
            &url,
            "--stack",
            "default/shop/prod",
        ],
        &[
            ("GUARDRAIL_TOKEN", "grd_wrong"),
            ("GUARDRAIL_CACHE_DIR", &cache),
        ],
    );
    assert_eq!(wrong.code, 2, "{wrong}");
    assert!(
        wrong
            .stderr
            .contains("refused the stack's policy: the API token is not valid"),
        "{wrong}"
    );
    assert!(!wrong.stderr.contains("grd_wrong"), "{wrong}");
    drop(server);
    let down = check(&["--server", &url, "--stack", "default/shop/prod"], &[]);
    assert_eq!(down.code, 2, "{down}");
    assert!(
        down.stderr
            .contains("cannot get the policy of `default/shop/prod` from the server"),
        "{down}"
    );
    assert!(down.stderr.contains("--offline-ok"), "{down}");
    // --offline-ok: the cached packs still run and still block; the run is not recorded.
    let offline = check(
        &[
            "--server",
            &url,
            "--stack",
            "default/shop/prod",
            "--offline-ok",
        ],
        &[],
    );
    assert_eq!(offline.code, 1, "{offline}");
    assert!(offline.stdout.contains("AWS-ELB-001 [server]"), "{offline}");
    assert!(
        offline.stderr.contains("this run was not recorded"),
        "{offline}"
    );
    assert!(
        offline
            .stdout
            .contains("note: this run was not recorded: the policy service could not be reached"),
        "the report says so: {offline}"
    );
    let server = serve(db, &data);
    let r = api(
        &server.url,
        "GET",
        "/api/v1/orgs/default/runs",
        &token,
        None,
    );
    assert_eq!(
        r.json()["runs"].as_array().unwrap().len(),
        2,
        "the offline run is not recorded"
    );
    // Without a cache, --offline-ok has nothing to run and says so.
    drop(server);
    let cold = run_with(
        &dir,
        &[
            "check",
            plan,
            "--server",
            &url,
            "--stack",
            "default/shop/prod",
            "--offline-ok",
        ],
        &[
            ("GUARDRAIL_TOKEN", &token),
            ("GUARDRAIL_CACHE_DIR", &format!("{}/cold", dir.path())),
        ],
    );
    assert_eq!(cold.code, 2, "{cold}");
    assert!(
        cold.stderr
            .contains("no policy of `default/shop/prod` is cached"),
        "{cold}"
    );
}

fn secrets_never_reach_the_stored_runs(db: &Backend) {
    use serde_json::json;
    const PASSWORD: &str = "Vq7mZt3KpX9wRb2L";
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let server = serve(db, &data);
    let token = server.token.clone().unwrap();
    let url = server.url.clone();
    // A server pack whose message writes the password out, and a plan that holds it as a
    // sensitive value.
    dir.write("leaky/guardrail-pack.yaml", "name: leaky\n");
    dir.write(
        "leaky/leak.rego",
        "# METADATA\n# title: Leaks the password\n# description: Writes the password into its message.\n# custom:\n#   id: LEAK-1\n#   severity: high\n#   enforcement: mandatory\n#   secrets: true\n#   resource_types: [aws_db_instance]\npackage leaky\n\ndeny contains msg if {\n\tpw := input.props.password\n\tmsg := sprintf(\"the password is %s (%s)\", [pw, upper(pw)])\n}\n",
    );
    let out = run_with(
        &dir,
        &[
            "pack",
            "publish",
            "leaky",
            "--server",
            &url,
            "--version",
            "1",
        ],
        &[("GUARDRAIL_TOKEN", &token)],
    );
    assert_eq!(out.code, 0, "{out}");
    let r = api(
        &url,
        "PUT",
        "/api/v1/orgs/default/groups/default",
        &token,
        Some(json!({"packs": [{"name": "leaky", "version": "1"}]})),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let plan = json!({
        "format_version": "1.2", "terraform_version": "1.9.5",
        "resource_changes": [{
            "address": "aws_db_instance.orders", "mode": "managed", "type": "aws_db_instance", "name": "orders",
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": null,
                "after": {"identifier": "orders", "engine": "postgres", "password": PASSWORD},
                "after_unknown": {}, "before_sensitive": false, "after_sensitive": {"password": true}}
        }]
    });
    dir.write("plan.json", &plan.to_string());
    let cache = format!("{}/cache", dir.path());
    let out = run_with(
        &dir,
        &[
            "check",
            "plan.json",
            "--server",
            &url,
            "--stack",
            "default/db/prod",
        ],
        &[("GUARDRAIL_TOKEN", &token), ("GUARDRAIL_CACHE_DIR", &cache)],
    );
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("LEAK-1 [server]"), "{out}");
    // A changed cache is not trusted: the pack's files are rewritten from the verified
    // document, a changed document is downloaded again.
    let packs: Vec<std::path::PathBuf> = std::fs::read_dir(format!("{cache}/packs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(packs.len(), 1);
    std::fs::write(
        packs[0].join("files/leak.rego"),
        "package leaky\n\ndeny contains msg if { false; msg := \"\" }\n",
    )
    .unwrap();
    std::fs::write(packs[0].join("files/extra.rego"), "package extra\n").unwrap();
    let again = run_with(
        &dir,
        &[
            "check",
            "plan.json",
            "--server",
            &url,
            "--stack",
            "default/db/prod",
        ],
        &[("GUARDRAIL_TOKEN", &token), ("GUARDRAIL_CACHE_DIR", &cache)],
    );
    assert_eq!(again.code, 1, "{again}");
    assert!(again.stdout.contains("LEAK-1 [server]"), "{again}");
    assert!(!packs[0].join("files/extra.rego").exists());
    std::fs::write(packs[0].join("pack.json"), "{}").unwrap();
    let again = run_with(
        &dir,
        &[
            "check",
            "plan.json",
            "--server",
            &url,
            "--stack",
            "default/db/prod",
        ],
        &[("GUARDRAIL_TOKEN", &token), ("GUARDRAIL_CACHE_DIR", &cache)],
    );
    assert_eq!(again.code, 1, "{again}");
    assert_ne!(
        std::fs::read_to_string(packs[0].join("pack.json")).unwrap(),
        "{}"
    );
    // The server evaluates the same plan itself too.
    let r = guardrail_server::client::request(
        &url,
        "POST",
        "/api/v1/stacks/default/db/prod/evaluations",
        Some(&token),
        Some(plan.to_string().as_bytes()),
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.error_message());
    let findings = api(
        &url,
        "GET",
        "/api/v1/orgs/default/findings?policy=LEAK-1",
        &token,
        None,
    );
    let stored = findings.json()["findings"].as_array().unwrap().clone();
    assert_eq!(
        stored.len(),
        4,
        "one finding from each of the client's three runs, one from the server's"
    );
    for f in &stored {
        assert!(f["message"].as_str().unwrap().contains("[secret]"), "{f}");
    }
    drop(server); // killed: what is on disk is what a reader of the files would see
    let upper = PASSWORD.to_uppercase();
    for (place, bytes) in db.stored(&data) {
        for secret in [PASSWORD, upper.as_str(), &PASSWORD[3..11]] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "`{secret}` is in {place}"
            );
        }
    }
}

fn kill_9_during_run_uploads_leaves_only_whole_runs(db: &Backend) {
    use guardrail_server::client::request;
    use serde_json::json;

    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let mut server = serve(db, &data);
    let token = server.token.clone().unwrap();
    let url = server.url.clone();
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<i64>::new()));
    // Several uploaders at once, so that the kill meets a group commit of several runs.
    const UPLOADERS: usize = 4;
    let uploaders: Vec<_> = (0..UPLOADERS).map(|t| {
        let (url, token) = (url.clone(), token.clone());
        let acknowledged = std::sync::Arc::clone(&acknowledged);
        std::thread::spawn(move || {
            for i in 0..100_000 {
                let findings: Vec<serde_json::Value> = (0..100).map(|j| json!({
                    "fingerprint": format!("{t}-{i}-{j}"), "policy": "AWS-S3-001", "pack": "builtin",
                    "resource": format!("aws_s3_bucket.b{j}"), "resource_type": "aws_s3_bucket",
                    "outcome": "violation", "level": "mandatory", "severity": "high", "blocking": true,
                    "message": format!("bucket {j} of run {i} is public {}", "x".repeat(200))})).collect();
                let body =
                    json!({"kind": "plan", "outcome": "blocked", "findings": findings}).to_string();
                match request(
                    &url,
                    "POST",
                    "/api/v1/stacks/default/app/prod/runs",
                    Some(&token),
                    Some(body.as_bytes()),
                ) {
                    Ok(r) if r.status == 201 => {
                        acknowledged
                            .lock()
                            .unwrap()
                            .push(r.json()["id"].as_i64().unwrap());
                    }
                    _ => break,
                }
            }
        })
    }).collect();
    let start = std::time::Instant::now();
    while acknowledged.lock().unwrap().len() < 50
        && start.elapsed() < std::time::Duration::from_secs(60)
    {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    std::thread::sleep(std::time::Duration::from_millis(23));
    server.child.kill().unwrap(); // SIGKILL, mid-stream
    server.child.wait().unwrap();
    for uploader in uploaders {
        uploader.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 50,
        "only {} uploads before the kill",
        acknowledged.len()
    );

    let server = serve(db, &data);
    let mut stored = Vec::new();
    let mut before: Option<i64> = None;
    loop {
        let path = match before {
            Some(b) => format!("/api/v1/orgs/default/runs?limit=1000&before={b}"),
            None => "/api/v1/orgs/default/runs?limit=1000".to_owned(),
        };
        let r = request(&server.url, "GET", &path, Some(&token), None).unwrap();
        assert_eq!(r.status, 200, "{}", r.error_message());
        let page = r.json();
        stored.extend(
            page["runs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_i64().unwrap()),
        );
        match page["next_before"].as_i64() {
            Some(b) => before = Some(b),
            None => break,
        }
    }
    eprintln!(
        "kill -9 after {} acknowledged run uploads; {} runs stored",
        acknowledged.len(),
        stored.len()
    );
    for id in &acknowledged {
        assert!(stored.contains(id), "acknowledged run {id} is lost");
    }
    assert!(
        stored.len() <= acknowledged.len() + UPLOADERS,
        "at most the ones in flight more"
    );
    // Every stored run is whole: all 100 findings, none of another run's.
    for id in &stored {
        let r = request(
            &server.url,
            "GET",
            &format!("/api/v1/orgs/default/runs/{id}"),
            Some(&token),
            None,
        )
        .unwrap();
        let run = r.json();
        assert_eq!(run["run"]["finding_count"], 100, "run {id}");
        let findings = run["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 100, "run {id} is partial");
        let upload = |f: &serde_json::Value| {
            let fingerprint = f["fingerprint"].as_str().unwrap();
            fingerprint[..fingerprint.rfind('-').unwrap()].to_owned()
        };
        assert!(
            findings.iter().all(|f| upload(f) == upload(&findings[0])),
            "run {id} holds findings of another upload"
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

fn an_exemption_approved_with_the_cli_suppresses_the_finding_in_the_next_check_server_run(
    db: &Backend,
) {
    use serde_json::{json, Value};
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let server = serve(db, &data);
    let root_token = server.token.clone().unwrap();
    let url = server.url.clone();
    dir.write("base.json", r#"{"select": ["AWS-ELB-001"]}"#);
    let out = run_with(
        &dir,
        &[
            "pack",
            "publish",
            "base.json",
            "--server",
            &url,
            "--version",
            "1",
        ],
        &[("GUARDRAIL_TOKEN", &root_token)],
    );
    assert_eq!(out.code, 0, "{out}");
    let r = api(
        &url,
        "PUT",
        "/api/v1/orgs/default/groups/default",
        &root_token,
        Some(json!({"packs": [{"name": "base", "version": "1", "level": "mandatory"}]})),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let user = |name: &str, role: &str| {
        let r = api(
            &url,
            "POST",
            "/api/v1/orgs/default/users",
            &root_token,
            Some(json!({"name": name, "role": role})),
        );
        assert_eq!(r.status, 201, "{}", r.error_message());
        let r = api(
            &url,
            "POST",
            "/api/v1/orgs/default/tokens",
            &root_token,
            Some(json!({"user": name, "description": "t"})),
        );
        r.json()["token"].as_str().unwrap().to_owned()
    };
    let pat = user("pat", "policy-admin");
    let mia = user("mia", "member");
    let plan = root().join("examples/plans/terraform-plan.json");
    let plan = plan.to_str().unwrap();
    let cache = format!("{}/cache", dir.path());
    let check = || {
        run_with(
            &dir,
            &[
                "check",
                plan,
                "--select",
                "AWS-ELB-001",
                "--server",
                &url,
                "--stack",
                "default/shop/prod",
                "--output",
                "json=out.json",
            ],
            &[
                ("GUARDRAIL_TOKEN", mia.as_str()),
                ("GUARDRAIL_CACHE_DIR", cache.as_str()),
            ],
        )
    };
    let elb_kinds = || -> Vec<String> {
        let report: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("out.json")).unwrap()).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["resource"]["id"] == "aws_lb_target_group.ssh")
            .map(|f| f["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    let out = check();
    assert_eq!(out.code, 1, "the server's mandatory policy blocks: {out}");
    assert_eq!(elb_kinds(), ["violation"]);

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let expires = guardrail_server::exemptions::date_of(now + 7 * 86_400);
    let cli = |token: &str, args: &[&str]| {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--server", &url]);
        run_with(&dir, &all, &[("GUARDRAIL_TOKEN", token)])
    };
    let out = cli(
        &mia,
        &[
            "exempt",
            "request",
            "--stack",
            "default/shop/prod",
            "--policy",
            "AWS-ELB-001",
            "--resource",
            "aws_lb_target_group.*",
            "--reason",
            "legacy ssh target",
            "--expires",
            &expires,
            "--ticket",
            "SEC-9",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    let requested: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(requested["state"], "pending");
    let id = requested["id"].as_i64().unwrap().to_string();
    assert_eq!(check().code, 1, "a pending request does not apply");

    let out = cli(&mia, &["exempt", "approve", &id]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains("the role `member` may not do this"),
        "{out}"
    );
    let out = cli(&pat, &["exempt", "approve", &id]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.starts_with(&format!("approved exemption {id}")),
        "{out}"
    );
    assert!(out.stdout.contains("approved by pat"), "{out}");

    let out = check();
    assert_eq!(
        out.code, 0,
        "the approved exemption suppresses the finding: {out}"
    );
    assert_eq!(elb_kinds(), ["suppressed"], "still visible, as exempted");
    assert!(out.stdout.contains("legacy ssh target"), "{out}");

    let out = cli(&mia, &["exempt", "list", "--state", "active"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains(&format!("exemption {id}")), "{out}");
    assert!(
        !out.stdout.contains("[unused]"),
        "it suppressed a recorded finding: {out}"
    );

    // Break-glass: applies at once and says so.
    let out = cli(&pat, &["exempt", "revoke", &id]);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(check().code, 1, "revoked: blocks again");
    let out = cli(
        &mia,
        &[
            "exempt",
            "request",
            "--stack",
            "default/shop/prod",
            "--policy",
            "AWS-ELB-001",
            "--resource",
            "aws_lb_target_group.ssh",
            "--reason",
            "incident 7",
            "--expires",
            &expires,
            "--break-glass",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("[break-glass, awaiting approval]"),
        "{out}"
    );
    let out = check();
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .contains("[break-glass, awaiting approval] incident 7"),
        "{out}"
    );

    // The audit log: admin reads it, a member cannot.
    let out = cli(&root_token, &["audit-log", "--kind", "exemption"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains(&format!("exemption  approve   {id}")),
        "{out}"
    );
    assert!(out.stdout.contains("by pat"), "{out}");
    assert!(out.stdout.contains("\"status\":\"pending\""), "{out}");
    let out = cli(&mia, &["audit-log"]);
    assert_eq!(out.code, 2, "{out}");
}

/// A TCP relay to `upstream` that passes requests on but drops every connection that starts a
/// `POST`: the server answers the policy and the packs, then "goes away" for the upload.
fn relay_without_posts(upstream: &str) -> String {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    let upstream = upstream.trim_start_matches("http://").to_owned();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { continue };
            let upstream = upstream.clone();
            std::thread::spawn(move || {
                let mut head = [0u8; 4];
                if client.read_exact(&mut head).is_err() || &head == b"POST" {
                    return; // dropped: the client sees the connection closed
                }
                let Ok(mut server) = TcpStream::connect(&upstream) else {
                    return;
                };
                if server.write_all(&head).is_err() {
                    return;
                }
                let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let up = std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c2, &mut s2);
                    let _ = s2.shutdown(std::net::Shutdown::Write);
                });
                let _ = std::io::copy(&mut server, &mut client);
                let _ = client.shutdown(std::net::Shutdown::Write);
                let _ = up.join();
            });
        }
    });
    url
}

fn a_server_lost_during_the_run_fails_it_unless_offline_ok(db: &Backend) {
    use serde_json::json;
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let server = serve(db, &data);
    let token = server.token.clone().unwrap();
    dir.write("base.json", r#"{"select": ["AWS-ELB-001"]}"#);
    let out = run_with(
        &dir,
        &[
            "pack",
            "publish",
            "base.json",
            "--server",
            &server.url,
            "--version",
            "1",
        ],
        &[("GUARDRAIL_TOKEN", &token)],
    );
    assert_eq!(out.code, 0, "{out}");
    let r = api(
        &server.url,
        "PUT",
        "/api/v1/orgs/default/groups/prod",
        &token,
        Some(
            json!({"stacks": ["*/prod"], "packs": [{"name": "base", "version": "1", "level": "mandatory"}]}),
        ),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let relay = relay_without_posts(&server.url);
    let plan = root().join("examples/plans/terraform-plan.json");
    let cache = format!("{}/cache", dir.path());
    let check = |extra: &[&str]| {
        let mut args = vec![
            "check",
            plan.to_str().unwrap(),
            "--server",
            relay.as_str(),
            "--stack",
            "default/shop/prod",
        ];
        args.extend_from_slice(extra);
        run_with(
            &dir,
            &args,
            &[
                ("GUARDRAIL_TOKEN", token.as_str()),
                ("GUARDRAIL_CACHE_DIR", cache.as_str()),
            ],
        )
    };
    // The policy arrives, the upload does not: without --offline-ok the run fails closed.
    let strict = check(&[]);
    assert_eq!(strict.code, 2, "{strict}");
    assert!(
        strict.stdout.contains("AWS-ELB-001 [server]"),
        "the run itself ran: {strict}"
    );
    assert!(strict.stderr.contains("cannot record the run"), "{strict}");
    assert!(strict.stderr.contains("--offline-ok"), "{strict}");
    // With --offline-ok the run stands on its findings (blocked here) and says it is not recorded.
    let lenient = check(&["--offline-ok"]);
    assert_eq!(lenient.code, 1, "{lenient}");
    assert!(
        lenient.stderr.contains("this run was not recorded"),
        "{lenient}"
    );
    assert!(!lenient.stderr.contains(&token), "{lenient}");
    // Nothing reached the server.
    let r = api(
        &server.url,
        "GET",
        "/api/v1/orgs/default/runs",
        &token,
        None,
    );
    assert_eq!(
        r.json()["runs"].as_array().unwrap().len(),
        0,
        "no run is recorded"
    );
}

/// The registry takes Rego packs of every layout `check --pack` runs, not only guardrail's own:
/// a conftest directory (`package main`, the whole input) and a Pulumi OPA-bridge pack
/// (`PulumiPolicy.yaml` with `runtime: opa`, one resource at a time). Published with `pack
/// publish`, required by the default group, they run in `check --server` as central policy.
#[test]
fn conftest_and_pulumi_opa_bridge_packs_are_published_and_enforced_from_the_server() {
    use serde_json::json;

    let dir = temp_dir();
    dir.write(
        "conftest/policy/main.rego",
        "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tsome rc in input.resource_changes\n\trc.type == \"aws_s3_bucket\"\n\tmsg := sprintf(\"conftest: no bucket %s\", [rc.address])\n}\n",
    )
    .write("opa/PulumiPolicy.yaml", "runtime: opa\nversion: 0.0.1\n")
    .write(
        "opa/buckets.rego",
        "package buckets\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.type == \"aws:s3/bucketV2:BucketV2\"\n\tmsg := sprintf(\"opa bridge: no bucket %s\", [input.__name])\n}\n",
    );
    let server = serve(&Backend::Sqlite, &format!("{}/data", dir.path()));
    let token = server.token.clone().unwrap();
    let env = [
        ("GUARDRAIL_TOKEN", token.as_str()),
        ("GUARDRAIL_SERVER", server.url.as_str()),
    ];
    for pack in ["conftest", "opa"] {
        let out = run_with(&dir, &["pack", "publish", pack, "--version", "1"], &env);
        assert_eq!(out.code, 0, "{out}");
    }
    let r = api(
        &server.url,
        "PUT",
        "/api/v1/orgs/default/groups/default",
        &token,
        Some(json!({"packs": [
            {"name": "conftest", "version": "1", "level": "mandatory"},
            {"name": "opa", "version": "1", "level": "mandatory"}
        ]})),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let cache = format!("{}/cache", dir.path());
    let check = |plan: &str| {
        let plan = root().join(plan);
        let mut env = env.to_vec();
        env.push(("GUARDRAIL_CACHE_DIR", &cache));
        run_with(
            &dir,
            &[
                "check",
                plan.to_str().unwrap(),
                "--stack",
                "default/shop/prod",
                "--select",
                "AWS-EC2-001",
            ],
            &env,
        )
    };
    let terraform = check("examples/plans/terraform-plan.json");
    assert_eq!(terraform.code, 1, "{terraform}");
    assert!(
        terraform
            .stdout
            .contains("main.deny [server]  conftest: no bucket aws_s3_bucket.assets"),
        "{terraform}"
    );
    let pulumi = check("examples/plans/pulumi-preview.json");
    assert_eq!(pulumi.code, 1, "{pulumi}");
    assert!(
        pulumi
            .stdout
            .contains("deny [server]  opa bridge: no bucket checkout-assets"),
        "{pulumi}"
    );
    let runs = api(
        &server.url,
        "GET",
        "/api/v1/orgs/default/runs",
        &token,
        None,
    );
    assert_eq!(runs.json()["runs"].as_array().unwrap().len(), 2);
}
