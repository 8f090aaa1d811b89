//! The service over real HTTP on 127.0.0.1. Every test runs twice (`on_both!` at the end): on
//! SQLite in a fresh data directory, and on PostgreSQL in a fresh schema of the server that
//! `GUARDRAIL_TEST_POSTGRES` names (`.ci/postgres.sh start`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use guardrail_server::api::{Access, OPENAPI, ROUTES};
use guardrail_server::client::{pack_document, request, Response};
use guardrail_server::{spawn, ServeConfig, Spawned};
use serde_json::{json, Value};

fn data_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guardrail-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The database a test runs on.
enum Backend {
    /// SQLite in the test's data directory.
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

    /// Tells the two runs of one test apart (their data directories).
    fn tag(&self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    fn config(&self, dir: &std::path::Path) -> ServeConfig {
        ServeConfig {
            listen: "127.0.0.1:0".into(),
            data_dir: dir.to_owned(),
            database: match self {
                Backend::Sqlite => None,
                Backend::Postgres(url) => Some(url.clone()),
            },
            tls: None,
        }
    }

    /// Everything the database holds, to search for what must not be stored: the files of
    /// the data directory (with the write-ahead log), or every row of every table as text.
    fn stored(&self, dir: &std::path::Path) -> Vec<Vec<u8>> {
        match self {
            Backend::Sqlite => std::fs::read_dir(dir)
                .unwrap()
                .map(|e| std::fs::read(e.unwrap().path()).unwrap())
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
                tables
                    .iter()
                    .flat_map(|t| {
                        let table: String = t.get(0);
                        client
                            .query(
                                &format!("SELECT CAST(t AS TEXT) FROM {schema}.{table} t"),
                                &[],
                            )
                            .unwrap()
                            .iter()
                            .map(|r| r.get::<_, String>(0).into_bytes())
                            .collect::<Vec<_>>()
                    })
                    .collect()
            }
        }
    }
}

fn start(name: &str, db: &Backend) -> (Spawned, PathBuf) {
    let dir = data_dir(&format!("{name}-{}", db.tag()));
    let server = spawn(db.config(&dir)).unwrap();
    (server, dir)
}

fn call(
    s: &Spawned,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Response {
    let bytes = body.map(|b| b.to_string().into_bytes());
    request(&s.url, method, path, token, bytes.as_deref()).unwrap()
}

/// An organization `acme` with a user and token of every role, and an organization `other`.
struct World {
    server: Spawned,
    root: String,
    admin: String,
    policy_admin: String,
    member: String,
    auditor: String,
    other_admin: String,
    dir: PathBuf,
}

fn token_for(s: &Spawned, admin: &str, user: &str, role: &str) -> String {
    let r = call(
        s,
        "POST",
        "/api/v1/orgs/acme/users",
        Some(admin),
        Some(json!({"name": user, "role": role})),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let r = call(
        s,
        "POST",
        "/api/v1/orgs/acme/tokens",
        Some(admin),
        Some(json!({"user": user, "description": "test", "expires_in_days": 30})),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    r.json()["token"].as_str().unwrap().to_owned()
}

fn world(name: &str, db: &Backend) -> World {
    let (server, dir) = start(name, db);
    let root = server
        .bootstrap_token
        .clone()
        .expect("first start prints a token");
    let org = |name: &str, admin: &str| {
        let r = call(
            &server,
            "POST",
            "/api/v1/orgs",
            Some(&root),
            Some(json!({"name": name, "admin": admin})),
        );
        assert_eq!(r.status, 201, "{}", r.error_message());
        r.json()["token"].as_str().unwrap().to_owned()
    };
    let admin = org("acme", "alice");
    let other_admin = org("other", "oscar");
    World {
        policy_admin: token_for(&server, &admin, "pat", "policy-admin"),
        member: token_for(&server, &admin, "mia", "member"),
        auditor: token_for(&server, &admin, "aud", "auditor"),
        server,
        root,
        admin,
        other_admin,
        dir,
    }
}

fn openapi_operations() -> BTreeSet<(String, String)> {
    let doc: Value = serde_json::from_str(OPENAPI).unwrap();
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if method != "parameters" {
                ops.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    ops
}

fn the_openapi_document_lists_exactly_the_routes_the_server_has(db: &Backend) {
    let routes: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_owned(), r.path.to_owned()))
        .collect();
    assert_eq!(openapi_operations(), routes);

    // Every documented operation is routed (no 404 "no such route", no 405), and the document
    // served is the one checked here.
    let (s, dir) = start("openapi", db);
    let served = call(&s, "GET", "/api/v1/openapi.json", None, None);
    assert_eq!(served.status, 200);
    assert_eq!(
        served.json(),
        serde_json::from_str::<Value>(OPENAPI).unwrap()
    );
    for (method, path) in openapi_operations() {
        let concrete = path
            .replace("{org}", "acme")
            .replace("{pack}", "p")
            .replace("{version}", "1.0.0")
            .replace("{id}", "1")
            .replace("{project}", "app")
            .replace("{stack}", "prod")
            .replace("{group}", "g")
            .replace("{user}", "nobody");
        let r = call(&s, &method, &concrete, None, None);
        assert_eq!(
            r.status,
            if path.ends_with("openapi.json") {
                200
            } else {
                401
            },
            "{method} {path} is documented but not routed: {}",
            r.error_message()
        );
    }
    let r = call(&s, "GET", "/api/v1/nothing-here", None, None);
    assert_eq!(r.status, 404);
    assert!(
        r.error_message().contains("no such route"),
        "{}",
        r.error_message()
    );
    let r = call(&s, "PATCH", "/api/v1/orgs", None, None);
    assert_eq!(r.status, 405);
    assert_eq!(r.json()["error"]["code"], "method_not_allowed");
    std::fs::remove_dir_all(dir).unwrap();
}

fn every_route_authenticates_and_authorizes(db: &Backend) {
    let w = world("auth", db);
    let s = &w.server;
    // A token to revoke on the DELETE route, one per allowed call.
    let roles = [
        ("admin", &w.admin, guardrail_store::Role::Admin),
        (
            "policy-admin",
            &w.policy_admin,
            guardrail_store::Role::PolicyAdmin,
        ),
        ("member", &w.member, guardrail_store::Role::Member),
        ("auditor", &w.auditor, guardrail_store::Role::Auditor),
    ];
    for route in ROUTES {
        let concrete = route
            .path
            .replace("{org}", "acme")
            .replace("{pack}", "p")
            .replace("{version}", "1.0.0")
            .replace("{id}", "999999")
            .replace("{project}", "app")
            .replace("{stack}", "prod")
            .replace("{group}", "g")
            .replace("{user}", "nobody");
        let body = matches!(route.method, "POST" | "PUT").then(|| json!({}));
        let what = format!("{} {}", route.method, route.path);

        let r = call(s, route.method, &concrete, None, body.clone());
        if route.access == Access::Public {
            assert_eq!(r.status, 200, "{what}");
            continue;
        }
        assert_eq!(r.status, 401, "{what} without a token");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"), "{what}");
        assert!(
            r.error_message().contains("Authorization: Bearer"),
            "{what}: {}",
            r.error_message()
        );

        let r = call(
            s,
            route.method,
            &concrete,
            Some("grd_not-a-real-token"),
            body.clone(),
        );
        assert_eq!(r.status, 401, "{what} with an unknown token");

        let r = call(
            s,
            route.method,
            &concrete,
            Some(&w.other_admin),
            body.clone(),
        );
        assert_eq!(
            r.status, 403,
            "{what} with another organization's admin token"
        );
        if route.access != Access::Superuser {
            assert!(
                r.error_message().contains("not to `acme`"),
                "{what}: {}",
                r.error_message()
            );
        }

        for (name, token, role) in &roles {
            let r = call(s, route.method, &concrete, Some(token), body.clone());
            let allowed = match route.access {
                Access::Superuser => false,
                Access::Read | Access::Public | Access::History => true,
                Access::ReadPrivate => matches!(
                    role,
                    guardrail_store::Role::Admin | guardrail_store::Role::Auditor
                ),
                Access::Publish => matches!(
                    role,
                    guardrail_store::Role::Admin | guardrail_store::Role::PolicyAdmin
                ),
                Access::Admin => *role == guardrail_store::Role::Admin,
                Access::Evaluate | Access::Request => *role != guardrail_store::Role::Auditor,
            };
            if allowed {
                assert!(
                    ![401, 403].contains(&r.status),
                    "{what} as {name}: {} {}",
                    r.status,
                    r.error_message()
                );
            } else {
                assert_eq!(r.status, 403, "{what} as {name}");
                assert_eq!(r.json()["error"]["code"], "forbidden", "{what} as {name}");
            }
        }
        if route.access == Access::Superuser {
            let r = call(s, route.method, &concrete, Some(&w.root), body.clone());
            assert_eq!(
                r.status,
                400,
                "{what} as the bootstrap admin with an empty body: {}",
                r.error_message()
            );
        }
    }
    std::fs::remove_dir_all(&w.dir).unwrap();
}

fn tokens_are_shown_once_stored_hashed_and_revocable(db: &Backend) {
    let w = world("tokens", db);
    let s = &w.server;
    let r = call(
        s,
        "POST",
        "/api/v1/orgs/acme/tokens",
        Some(&w.admin),
        Some(json!({"user": "mia", "description": "ci"})),
    );
    assert_eq!(r.status, 201);
    let token = r.json()["token"].as_str().unwrap().to_owned();
    let id = r.json()["id"].as_i64().unwrap();
    assert!(token.starts_with("grd_"));
    assert_eq!(
        call(s, "GET", "/api/v1/orgs/acme", Some(&token), None).status,
        200
    );

    // Listing shows records, never a token.
    let list = call(s, "GET", "/api/v1/orgs/acme/tokens", Some(&w.auditor), None);
    assert_eq!(list.status, 200);
    let text = String::from_utf8(list.body.clone()).unwrap();
    for t in [&token, &w.admin, &w.member] {
        assert!(!text.contains(t.as_str()), "a listing shows a token");
    }
    assert!(list.json()["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["id"] == id && t["description"] == "ci"));

    // No token is stored: neither in the database nor its write-ahead log (SQLite), nor in any
    // row of any table (PostgreSQL).
    for bytes in db.stored(&w.dir) {
        for t in [&token, &w.root, &w.admin, &w.member] {
            assert!(
                !bytes.windows(t.len()).any(|win| win == t.as_bytes()),
                "a token is stored in plain text"
            );
        }
    }

    // Another organization cannot revoke it; its own admin can, and then it stops working.
    let r = call(
        s,
        "DELETE",
        &format!("/api/v1/orgs/other/tokens/{id}"),
        Some(&w.other_admin),
        None,
    );
    assert_eq!(r.status, 404);
    assert_eq!(
        call(s, "GET", "/api/v1/orgs/acme", Some(&token), None).status,
        200
    );
    let r = call(
        s,
        "DELETE",
        &format!("/api/v1/orgs/acme/tokens/{id}"),
        Some(&w.admin),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.error_message());
    let r = call(s, "GET", "/api/v1/orgs/acme", Some(&token), None);
    assert_eq!(r.status, 401);
    assert!(r.error_message().contains("expired or revoked"));

    // Bad requests say what is wrong.
    let r = call(
        s,
        "POST",
        "/api/v1/orgs/acme/tokens",
        Some(&w.admin),
        Some(json!({"user": "nobody"})),
    );
    assert_eq!(r.status, 404);
    assert!(
        r.error_message().contains("no user `nobody`"),
        "{}",
        r.error_message()
    );
    let r = call(
        s,
        "POST",
        "/api/v1/orgs/acme/tokens",
        Some(&w.admin),
        Some(json!({"user": "mia", "expires_in_days": 0})),
    );
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("`expires_in_days`"));
    let r = call(
        s,
        "POST",
        "/api/v1/orgs/acme/users",
        Some(&w.admin),
        Some(json!({"name": "zed", "role": "owner"})),
    );
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("unknown role `owner`"));
    let r = call(
        s,
        "POST",
        "/api/v1/orgs/acme/users",
        Some(&w.admin),
        Some(json!({"name": "mia", "role": "member"})),
    );
    assert_eq!(r.status, 409);
    let r = request(
        &s.url,
        "POST",
        "/api/v1/orgs/acme/users",
        Some(&w.admin),
        Some(b"{not json"),
    )
    .unwrap();
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("not valid JSON"),
        "{}",
        r.error_message()
    );
    std::fs::remove_dir_all(&w.dir).unwrap();
}

fn example_pack() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/packs/platform-guardrails")
}

fn the_registry_keeps_versions_immutable_and_content_addressed(db: &Backend) {
    let w = world("registry", db);
    let s = &w.server;
    let doc = pack_document(&example_pack()).unwrap();
    let digest = doc["digest"].as_str().unwrap().to_owned();
    let path = "/api/v1/orgs/acme/packs/platform/versions/1.0.0";

    let r = call(s, "PUT", path, Some(&w.policy_admin), Some(doc.clone()));
    assert_eq!(r.status, 201, "{}", r.error_message());
    assert_eq!(r.json()["digest"], digest);
    assert_eq!(r.json()["published_by"], "pat");
    // The same content again changes nothing.
    let r = call(s, "PUT", path, Some(&w.admin), Some(doc.clone()));
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["published_by"], "pat");

    // Other content under the same version is refused.
    let mut changed = doc.clone();
    let files = changed["files"].as_object_mut().unwrap();
    let first = files.keys().find(|k| k.ends_with(".rego")).unwrap().clone();
    files.insert(
        first.clone(),
        Value::String(format!("{}\n# changed\n", files[&first].as_str().unwrap())),
    );
    let checked = guardrail_server::packs::check_document(&changed).unwrap();
    changed["digest"] = Value::String(guardrail_server::auth::content_digest(&checked.canonical));
    let r = call(s, "PUT", path, Some(&w.admin), Some(changed.clone()));
    assert_eq!(r.status, 409);
    assert!(
        r.error_message().contains("immutable"),
        "{}",
        r.error_message()
    );

    // A digest that does not match the content is refused.
    let mut lying = changed.clone();
    lying["digest"] = Value::String(digest.clone());
    let r = call(
        s,
        "PUT",
        "/api/v1/orgs/acme/packs/platform/versions/1.1.0",
        Some(&w.admin),
        Some(lying),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("digest mismatch"),
        "{}",
        r.error_message()
    );

    // Download: the body's digest is the recorded one, and it holds the files uploaded.
    let r = call(s, "GET", &format!("{path}/content"), Some(&w.member), None);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-guardrail-digest"), Some(digest.as_str()));
    assert_eq!(guardrail_server::auth::content_digest(&r.body), digest);
    assert_eq!(r.json()["files"], doc["files"]);

    // A catalog selection is a pack too.
    let selection = json!({"kind": "selection", "selection": {"select": ["AWS-S3"], "levels": {"AWS-S3-001": "mandatory"}}});
    let checked = guardrail_server::packs::check_document(&selection).unwrap();
    let mut upload = selection.clone();
    upload["digest"] = Value::String(guardrail_server::auth::content_digest(&checked.canonical));
    let r = call(
        s,
        "PUT",
        "/api/v1/orgs/acme/packs/pci/versions/1",
        Some(&w.policy_admin),
        Some(upload),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    assert_eq!(r.json()["kind"], "selection");

    // Deprecate, list, show.
    let r = call(
        s,
        "POST",
        &format!("{path}/deprecate"),
        Some(&w.policy_admin),
        Some(json!({"reason": "use 2.0"})),
    );
    assert_eq!(r.status, 200, "{}", r.error_message());
    assert_eq!(r.json()["deprecated"], true);
    let r = call(s, "GET", path, Some(&w.auditor), None);
    assert_eq!(r.json()["deprecation_reason"], "use 2.0");
    let r = call(s, "GET", "/api/v1/orgs/acme/packs", Some(&w.member), None);
    assert_eq!(
        r.json()["packs"],
        json!([
            {"name": "pci", "versions": ["1"], "latest": "1"},
            {"name": "platform", "versions": ["1.0.0"], "latest": null},
        ])
    );
    let r = call(
        s,
        "GET",
        "/api/v1/orgs/acme/packs/platform",
        Some(&w.member),
        None,
    );
    assert_eq!(r.json()["versions"].as_array().unwrap().len(), 1);

    // Nothing of acme is visible to another organization.
    let r = call(
        s,
        "GET",
        "/api/v1/orgs/other/packs",
        Some(&w.other_admin),
        None,
    );
    assert_eq!(r.json()["packs"], json!([]));
    let r = call(
        s,
        "GET",
        "/api/v1/orgs/other/packs/platform/versions/1.0.0/content",
        Some(&w.other_admin),
        None,
    );
    assert_eq!(r.status, 404);

    // Bad uploads say what is wrong.
    let bad = |body: Value| {
        call(
            s,
            "PUT",
            "/api/v1/orgs/acme/packs/x/versions/1",
            Some(&w.admin),
            Some(body),
        )
    };
    let r = bad(json!({"kind": "rego", "files": {"a.rego": "package a"}}));
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("`digest`"));
    let r = bad(json!({"kind": "wasm", "digest": "sha256:00"}));
    assert!(
        r.error_message().contains("unknown pack kind `wasm`"),
        "{}",
        r.error_message()
    );
    let r = bad(json!({"kind": "rego", "files": {"../../etc/x.rego": ""}, "digest": "sha256:00"}));
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("relative"),
        "{}",
        r.error_message()
    );
    let with_digest = |doc: Value| {
        let checked = guardrail_server::packs::check_document(&doc).unwrap();
        let mut doc = doc;
        doc["digest"] = Value::String(guardrail_server::auth::content_digest(&checked.canonical));
        doc
    };
    let r = bad(with_digest(
        json!({"kind": "rego", "files": {"bad.rego": "package bad\ndeny contains msg if {"}}),
    ));
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().starts_with("the pack does not load:"),
        "{}",
        r.error_message()
    );
    assert!(
        r.error_message().contains("bad.rego"),
        "{}",
        r.error_message()
    );
    let r = bad(with_digest(
        json!({"kind": "selection", "selection": {"select": ["AWS-S4"]}}),
    ));
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("AWS-S4"),
        "{}",
        r.error_message()
    );
    let r = call(s, "GET", "/api/v1/orgs/acme/packs/x", Some(&w.admin), None);
    assert_eq!(r.status, 404, "refused uploads store nothing");
    let r = call(
        s,
        "PUT",
        "/api/v1/orgs/acme/packs/Bad%20Name/versions/1",
        Some(&w.admin),
        Some(json!({})),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("pack name `Bad Name`"),
        "{}",
        r.error_message()
    );
    std::fs::remove_dir_all(&w.dir).unwrap();
}

fn the_bootstrap_token_is_printed_on_the_first_start_only_and_data_survives_a_restart(
    db: &Backend,
) {
    let dir = data_dir(&format!("restart-{}", db.tag()));
    let config = db.config(&dir);
    let first = spawn(config.clone()).unwrap();
    let root = first.bootstrap_token.clone().unwrap();
    let r = call(
        &first,
        "POST",
        "/api/v1/orgs",
        Some(&root),
        Some(json!({"name": "acme", "admin": "alice"})),
    );
    assert_eq!(r.status, 201);
    let second = spawn(config).unwrap();
    assert_eq!(second.bootstrap_token, None);
    let r = call(&second, "GET", "/api/v1/orgs/default", Some(&root), None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["you"]["role"], "admin");
    let r = call(
        &second,
        "POST",
        "/api/v1/orgs",
        Some(&root),
        Some(json!({"name": "acme", "admin": "bob"})),
    );
    assert_eq!(r.status, 409);
    std::fs::remove_dir_all(dir).unwrap();
}

fn an_uploaded_plan_is_evaluated_by_the_pipeline_with_the_same_report(db: &Backend) {
    let w = world("evaluate", db);
    let s = &w.server;
    let plan = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/plans/terraform-plan.json"),
    )
    .unwrap();
    let path = "/api/v1/stacks/acme/app/prod/evaluations?select=AWS-ELB-001%2CAWS-EC2-001";
    let r = request(&s.url, "POST", path, Some(&w.member), Some(&plan)).unwrap();
    assert_eq!(r.status, 200, "{}", r.error_message());
    let report = r.json();
    assert_eq!(report["schema"], "guardrail.report/v1");

    // The same as the pipeline gives for the same upload and selection.
    let local = guardrail_run::run(
        guardrail_run::RunOptions {
            inputs: vec![guardrail_run::Input::Bytes {
                name: "acme/app/prod".into(),
                bytes: plan.clone(),
            }],
            select: vec!["AWS-ELB-001".into(), "AWS-EC2-001".into()],
            reports: vec![guardrail_run::ReportRequest {
                format: guardrail_run::ReportFormat::Json,
                ..guardrail_run::ReportRequest::default()
            }],
            ..guardrail_run::RunOptions::default()
        },
        &guardrail_run::Silent,
    )
    .unwrap();
    let expected: Value = serde_json::from_str(&local.reports[0].1).unwrap();
    assert_eq!(report, expected);
    let policies: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["policy"]["id"].as_str().or(f["policy"].as_str()))
        .collect();
    assert!(!policies.is_empty(), "{report}");

    // Bad uploads say what is wrong.
    let r = request(
        &s.url,
        "POST",
        path,
        Some(&w.member),
        Some(b"{\"hello\": 1}"),
    )
    .unwrap();
    assert_eq!(r.status, 422, "{}", r.error_message());
    assert!(
        r.error_message().contains("acme/app/prod"),
        "{}",
        r.error_message()
    );
    let r = request(&s.url, "POST", path, Some(&w.member), Some(b"")).unwrap();
    assert_eq!(r.status, 400);
    assert!(r.error_message().contains("empty"));
    let huge = vec![b' '; guardrail_server::api::MAX_EVALUATION_BYTES + 1];
    let r = request(&s.url, "POST", path, Some(&w.member), Some(&huge)).unwrap();
    assert_eq!(r.status, 413, "{}", r.error_message());
    assert!(
        r.error_message().contains("larger than the limit"),
        "{}",
        r.error_message()
    );
    std::fs::remove_dir_all(&w.dir).unwrap();
}

fn a_ci_token_scoped_to_stacks_evaluates_only_those_and_changes_nothing(db: &Backend) {
    let w = world("scoped", db);
    let s = &w.server;
    let r = call(
        s,
        "POST",
        "/api/v1/orgs/acme/tokens",
        Some(&w.admin),
        Some(json!({"user": "alice", "description": "ci", "stacks": ["app/prod", "web/*"]})),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    assert_eq!(r.json()["stacks"], json!(["app/prod", "web/*"]));
    // Scoped although its user is an admin.
    let ci = r.json()["token"].as_str().unwrap().to_owned();
    let plan = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/plans/terraform-plan.json"),
    )
    .unwrap();
    let evaluate = |stack: &str| {
        let path = format!("/api/v1/stacks/acme/{stack}/evaluations?select=AWS-ELB-001");
        request(&s.url, "POST", &path, Some(&ci), Some(&plan)).unwrap()
    };
    assert_eq!(evaluate("app/prod").status, 200);
    assert_eq!(evaluate("web/eu-1").status, 200);
    let r = evaluate("app/dev");
    assert_eq!(r.status, 403);
    assert!(
        r.error_message()
            .contains("only the stacks `app/prod`, `web/*`, not `app/dev`"),
        "{}",
        r.error_message()
    );
    assert_eq!(
        call(s, "GET", "/api/v1/orgs/acme/packs", Some(&ci), None).status,
        200
    );
    // Its stacks' policy and run uploads, not other stacks'.
    let upload = json!({"kind": "plan", "outcome": "passed", "findings": []});
    for (stack, status, upload_status) in [("app/prod", 200, 201), ("app/dev", 403, 403)] {
        let r = call(
            s,
            "GET",
            &format!("/api/v1/stacks/acme/{stack}/policy"),
            Some(&ci),
            None,
        );
        assert_eq!(r.status, status, "{stack}: {}", r.error_message());
        let r = call(
            s,
            "POST",
            &format!("/api/v1/stacks/acme/{stack}/runs"),
            Some(&ci),
            Some(upload.clone()),
        );
        assert_eq!(r.status, upload_status, "{stack}: {}", r.error_message());
    }
    for (method, path) in [
        ("GET", "/api/v1/orgs/acme/users"),
        ("POST", "/api/v1/orgs/acme/users"),
        ("GET", "/api/v1/orgs/acme/tokens"),
        ("GET", "/api/v1/orgs/acme/runs"),
        ("GET", "/api/v1/orgs/acme/findings"),
        ("PUT", "/api/v1/orgs/acme/groups/g"),
        ("PUT", "/api/v1/stacks/acme/app/prod"),
    ] {
        let r = call(
            s,
            method,
            path,
            Some(&ci),
            Some(json!({"name": "x", "role": "admin"})),
        );
        assert_eq!(r.status, 403, "{method} {path}");
        assert!(
            r.error_message().contains("scoped to stacks"),
            "{}",
            r.error_message()
        );
    }
    let list = call(s, "GET", "/api/v1/orgs/acme/tokens", Some(&w.admin), None);
    assert_eq!(
        list.json()["tokens"][0]["stacks"],
        json!(["app/prod", "web/*"])
    );
    let r = call(
        s,
        "POST",
        "/api/v1/orgs/acme/tokens",
        Some(&w.admin),
        Some(json!({"user": "alice", "stacks": ["prod"]})),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("stack pattern `prod`"),
        "{}",
        r.error_message()
    );
    std::fs::remove_dir_all(&w.dir).unwrap();
}

#[test]
fn a_database_url_names_the_sqlite_file() {
    let dir = data_dir("url");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("elsewhere.sqlite");
    let s = spawn(ServeConfig {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.join("unused"),
        database: Some(format!("sqlite:{}", file.display())),
        tls: None,
    })
    .unwrap();
    let root = s.bootstrap_token.clone().unwrap();
    assert_eq!(
        call(&s, "GET", "/api/v1/orgs/default", Some(&root), None).status,
        200
    );
    assert!(file.exists());
    assert!(
        !dir.join("unused").exists(),
        "the data directory is not used"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Publishes a catalog selection as `name` version `version` in `acme`; returns its digest.
fn publish_selection(
    s: &Spawned,
    token: &str,
    name: &str,
    version: &str,
    selection: Value,
) -> String {
    let mut doc = json!({"kind": "selection", "selection": selection});
    let checked = guardrail_server::packs::check_document(&doc).unwrap();
    let digest = guardrail_server::auth::content_digest(&checked.canonical);
    doc["digest"] = Value::String(digest.clone());
    let path = format!("/api/v1/orgs/acme/packs/{name}/versions/{version}");
    let r = call(s, "PUT", &path, Some(token), Some(doc));
    assert_eq!(r.status, 201, "{}", r.error_message());
    digest
}

fn put(s: &Spawned, token: &str, path: &str, body: Value) -> Response {
    call(s, "PUT", path, Some(token), Some(body))
}

fn groups_resolve_by_glob_and_tag_the_stricter_level_wins_and_evaluations_run_them(db: &Backend) {
    let w = world("groups", db);
    let s = &w.server;
    let base = publish_selection(
        s,
        &w.policy_admin,
        "base",
        "1",
        json!({"select": ["AWS-ELB-001"]}),
    );
    publish_selection(
        s,
        &w.policy_admin,
        "s3",
        "1",
        json!({"select": ["AWS-S3-001"]}),
    );

    // The default group exists before anyone writes it, and cannot be deleted.
    let r = call(s, "GET", "/api/v1/orgs/acme/groups", Some(&w.member), None);
    assert_eq!(r.json()["groups"][0]["name"], "default");
    let r = call(
        s,
        "DELETE",
        "/api/v1/orgs/acme/groups/default",
        Some(&w.admin),
        None,
    );
    assert_eq!(r.status, 400);

    let r = put(
        s,
        &w.policy_admin,
        "/api/v1/orgs/acme/groups/default",
        json!({"packs": [{"name": "base", "version": "1", "level": "advisory"}]}),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let r = put(
        s,
        &w.admin,
        "/api/v1/orgs/acme/groups/prod",
        json!({"tags": {"env": "prod"}, "packs": [{"name": "base", "version": "1", "policies": {"AWS-ELB-001": {"level": "mandatory"}}}]}),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let r = put(
        s,
        &w.admin,
        "/api/v1/orgs/acme/groups/web",
        json!({"stacks": ["acme/web-*/*"], "packs": [{"name": "s3", "version": "1", "level": "mandatory"}]}),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    // Bad groups say what is wrong.
    let r = put(
        s,
        &w.admin,
        "/api/v1/orgs/acme/groups/bad",
        json!({"stacks": ["*/*"], "packs": [{"name": "base", "version": "9"}]}),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.error_message()
            .contains("`base` version `9`, which is not published in `acme`"),
        "{}",
        r.error_message()
    );
    let r = put(
        s,
        &w.admin,
        "/api/v1/orgs/acme/groups/bad",
        json!({"stacks": ["*/*"], "packs": [{"name": "base", "version": "1", "policies": {"AWS-ELB-01": {"level": "mandatory"}}}]}),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains(
            "`AWS-ELB-01`, which is no policy of `base` version `1` (did you mean `AWS-ELB-001`?)"
        ),
        "{}",
        r.error_message()
    );
    publish_selection(
        s,
        &w.policy_admin,
        "platform",
        "1",
        json!({"select": ["PLATFORM-001"]}),
    );
    let r = put(
        s,
        &w.admin,
        "/api/v1/orgs/acme/groups/bad",
        json!({"stacks": ["*/*"], "packs": [{"name": "platform", "version": "1", "policies": {"PLATFORM-001": {"config": {"limits": "2Gi"}}}}]}),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.error_message()
            .contains("policy `PLATFORM-001` (pack `platform@1`): unknown property `limits` (did you mean `limit`?)"),
        "{}",
        r.error_message()
    );
    let r = put(
        s,
        &w.admin,
        "/api/v1/orgs/acme/groups/fine",
        json!({"stacks": ["nothing/here"], "packs": [{"name": "platform", "version": "1", "policies": {"PLATFORM-001": {"config": {"limit": "2Gi"}}}}]}),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let r = put(
        s,
        &w.admin,
        "/api/v1/orgs/acme/groups/bad",
        json!({"packs": []}),
    );
    assert!(
        r.error_message().contains("names no stack"),
        "{}",
        r.error_message()
    );
    let r = put(
        s,
        &w.member,
        "/api/v1/orgs/acme/groups/bad",
        json!({"stacks": ["*/*"]}),
    );
    assert_eq!(r.status, 403, "members do not manage groups");

    // Tags are the stack record's, set through the API.
    let r = put(
        s,
        &w.policy_admin,
        "/api/v1/stacks/acme/app/prod",
        json!({"tags": {"env": "prod"}}),
    );
    assert_eq!(r.status, 200, "{}", r.error_message());
    let r = put(
        s,
        &w.policy_admin,
        "/api/v1/stacks/acme/app/prod",
        json!({"tags": {"env": "a\nb"}}),
    );
    assert_eq!(r.status, 400);
    let r = call(
        s,
        "GET",
        "/api/v1/stacks/acme/app/prod",
        Some(&w.auditor),
        None,
    );
    assert_eq!(r.json()["tags"], json!({"env": "prod"}));

    let policy = |stack: &str| {
        let r = call(
            s,
            "GET",
            &format!("/api/v1/stacks/acme/{stack}/policy"),
            Some(&w.member),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.error_message());
        r.json()
    };
    let prod = policy("app/prod");
    assert_eq!(prod["groups"], json!(["default", "prod"]));
    assert_eq!(prod["packs"].as_array().unwrap().len(), 1);
    assert_eq!(prod["packs"][0]["digest"], base);
    assert_eq!(prod["packs"][0]["kind"], "selection");
    assert_eq!(prod["packs"][0]["level"], "advisory");
    assert_eq!(
        prod["packs"][0]["policies"]["AWS-ELB-001"]["level"], "mandatory",
        "the stricter wins"
    );
    let dev = policy("app/dev");
    assert_eq!(dev["groups"], json!(["default"]));
    assert_eq!(dev["packs"][0]["policies"], json!({}));
    let web = policy("web-eu/dev");
    assert_eq!(web["groups"], json!(["default", "web"]));
    assert_eq!(web["packs"][1]["name"], "s3");
    // Another organization's stack of the same name gets none of this.
    let theirs = call(
        s,
        "GET",
        "/api/v1/stacks/other/app/prod/policy",
        Some(&w.other_admin),
        None,
    );
    assert_eq!(theirs.status, 200, "{}", theirs.error_message());
    assert_eq!(theirs.json()["groups"], json!(["default"]));
    assert_eq!(theirs.json()["packs"], json!([]));
    assert_eq!(theirs.json()["stack"]["tags"], json!({}));

    // Evaluations run the groups' packs: mandatory on prod, advisory on dev, whatever the
    // selection asked for.
    let plan = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/plans/terraform-plan.json"),
    )
    .unwrap();
    let evaluate = |stack: &str| {
        let path = format!(
            "/api/v1/stacks/acme/{stack}/evaluations?select=AWS-EC2-001&commit=c0ffee&pull_request=9"
        );
        let r = request(&s.url, "POST", &path, Some(&w.member), Some(&plan)).unwrap();
        assert_eq!(r.status, 200, "{}", r.error_message());
        r
    };
    let elb = |report: &Value| -> Value {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["policy"] == "AWS-ELB-001")
            .cloned()
            .unwrap_or(Value::Null)
    };
    let r = evaluate("app/prod");
    let run_id: i64 = r.header("x-guardrail-run").unwrap().parse().unwrap();
    let report = r.json();
    assert_eq!(elb(&report)["central"], true, "{report}");
    assert_eq!(elb(&report)["pack"], "base@1");
    assert_eq!(elb(&report)["blocking"], true);
    let dev_report = evaluate("app/dev").json();
    assert_eq!(elb(&dev_report)["level"], "advisory");
    assert_eq!(elb(&dev_report)["blocking"], false);

    // The evaluation is recorded as a run of the stack, with its findings.
    let r = call(
        s,
        "GET",
        &format!("/api/v1/orgs/acme/runs/{run_id}"),
        Some(&w.auditor),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.error_message());
    assert_eq!(r.json()["run"]["source"], "server");
    assert_eq!(r.json()["run"]["kind"], "plan");
    assert_eq!(r.json()["run"]["commit"], "c0ffee");
    assert_eq!(r.json()["run"]["pull_request"], "9");
    assert_eq!(r.json()["run"]["stack"], "app/prod");
    assert_eq!(r.json()["run"]["outcome"], "blocked");
    assert_eq!(r.json()["run"]["user"], "mia");
    let stored = r.json()["findings"].as_array().unwrap().len();
    assert_eq!(stored, report["findings"].as_array().unwrap().len());
    std::fs::remove_dir_all(&w.dir).unwrap();
}

fn uploaded_runs_are_listed_by_stack_policy_outcome_and_time_and_stay_in_their_org(db: &Backend) {
    let w = world("runs", db);
    let s = &w.server;
    let upload = |token: &str, stack: &str, outcome: &str, policies: &[&str]| {
        let findings: Vec<Value> = policies
            .iter()
            .enumerate()
            .map(|(i, p)| {
                json!({
            "fingerprint": format!("fp-{stack}-{i}"), "policy": p, "pack": "builtin",
            "resource": format!("aws_s3_bucket.b{i}"), "resource_type": "aws_s3_bucket",
            "outcome": "violation", "level": "mandatory", "severity": "high", "blocking": true,
            "message": "the bucket is public"})
            })
            .collect();
        let body = json!({"kind": "plan", "outcome": outcome, "commit": "abc123", "branch": "main",
            "pull_request": "7", "actor": "octocat", "summary": {"blocking": findings.len()}, "findings": findings});
        call(
            s,
            "POST",
            &format!("/api/v1/stacks/{stack}/runs"),
            Some(token),
            Some(body),
        )
    };
    let r = upload(
        &w.member,
        "acme/app/prod",
        "blocked",
        &["AWS-S3-001", "AWS-S3-002"],
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let first = r.json()["id"].as_i64().unwrap();
    assert_eq!(upload(&w.member, "acme/app/dev", "passed", &[]).status, 201);
    assert_eq!(
        upload(&w.admin, "acme/web/prod", "blocked", &["AWS-EC2-001"]).status,
        201
    );
    assert_eq!(
        upload(&w.other_admin, "other/app/prod", "blocked", &["AWS-S3-001"]).status,
        201
    );
    // An auditor reads but does not upload; bad runs say what is wrong.
    assert_eq!(
        upload(&w.auditor, "acme/app/prod", "passed", &[]).status,
        403
    );
    let r = upload(&w.member, "acme/app/prod", "fine", &[]);
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("`outcome` `fine`"),
        "{}",
        r.error_message()
    );
    let r = call(
        s,
        "POST",
        "/api/v1/stacks/acme/app/prod/runs",
        Some(&w.member),
        Some(json!({"kind": "plan"})),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("missing field"),
        "{}",
        r.error_message()
    );
    // No Rust type names in what a person reads.
    for (body, expected) in [
        (
            json!([]),
            "the run is not valid: expected an object, not a list at line 1 column 2",
        ),
        (
            json!({"kind": "plan", "outcome": "passed", "findings": [1]}),
            "expected an object at line 1",
        ),
    ] {
        let r = call(
            s,
            "POST",
            "/api/v1/stacks/acme/app/prod/runs",
            Some(&w.member),
            Some(body),
        );
        assert_eq!(r.status, 400);
        assert!(
            r.error_message().contains(expected) && !r.error_message().contains("struct"),
            "{}",
            r.error_message()
        );
    }

    let get = |path: &str| {
        let r = call(s, "GET", path, Some(&w.auditor), None);
        assert_eq!(r.status, 200, "{path}: {}", r.error_message());
        r.json()
    };
    let stacks = |v: &Value, key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["stack"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        stacks(&get("/api/v1/orgs/acme/runs"), "runs"),
        ["web/prod", "app/dev", "app/prod"]
    );
    assert_eq!(
        stacks(&get("/api/v1/orgs/acme/runs?stack=app%2Fprod"), "runs"),
        ["app/prod"]
    );
    assert_eq!(
        stacks(&get("/api/v1/orgs/acme/runs?outcome=passed"), "runs"),
        ["app/dev"]
    );
    assert_eq!(
        stacks(&get("/api/v1/orgs/acme/runs?policy=AWS-S3-001"), "runs"),
        ["app/prod"],
        "not the other org's"
    );
    assert_eq!(
        stacks(&get("/api/v1/orgs/acme/runs?kind=state"), "runs").len(),
        0
    );
    assert_eq!(
        stacks(&get("/api/v1/orgs/acme/runs?since=1d"), "runs").len(),
        3
    );
    assert_eq!(
        stacks(&get("/api/v1/orgs/acme/runs?until=2000-01-01"), "runs").len(),
        0
    );
    let page = get("/api/v1/orgs/acme/runs?limit=2");
    assert_eq!(stacks(&page, "runs").len(), 2);
    let next = page["next_before"].as_i64().unwrap();
    assert_eq!(
        stacks(
            &get(&format!("/api/v1/orgs/acme/runs?limit=2&before={next}")),
            "runs"
        ),
        ["app/prod"]
    );
    let run = get(&format!("/api/v1/orgs/acme/runs/{first}"));
    assert_eq!(run["run"]["commit"], "abc123");
    assert_eq!(run["run"]["pull_request"], "7");
    assert_eq!(run["run"]["actor"], "octocat");
    assert_eq!(run["run"]["user"], "mia");
    assert_eq!(run["run"]["kind"], "plan");
    assert_eq!(run["findings"].as_array().unwrap().len(), 2);
    let findings = get("/api/v1/orgs/acme/findings?policy=AWS-S3-002&outcome=violation");
    assert_eq!(findings["findings"].as_array().unwrap().len(), 1);
    assert_eq!(findings["findings"][0]["resource"], "aws_s3_bucket.b1");
    assert_eq!(findings["findings"][0]["run"], first);
    let r = call(
        s,
        "GET",
        "/api/v1/orgs/acme/runs?colour=red",
        Some(&w.auditor),
        None,
    );
    assert_eq!(r.status, 400);
    assert!(r
        .error_message()
        .contains("unknown query parameter `colour`"));
    // Another organization's run is not found, whatever its id.
    let theirs = get("/api/v1/orgs/acme/runs?limit=1")["runs"][0]["id"]
        .as_i64()
        .unwrap()
        + 1;
    let r = call(
        s,
        "GET",
        &format!("/api/v1/orgs/acme/runs/{theirs}"),
        Some(&w.admin),
        None,
    );
    assert_eq!(r.status, 404);
    let r = call(
        s,
        "GET",
        &format!("/api/v1/orgs/other/runs/{theirs}"),
        Some(&w.other_admin),
        None,
    );
    assert_eq!(r.status, 200, "it exists in its own org");
    std::fs::remove_dir_all(&w.dir).unwrap();
}

fn exemptions_are_requested_approved_by_someone_else_enforced_and_audited(db: &Backend) {
    let w = world("exemptions", db);
    let s = &w.server;
    publish_selection(
        s,
        &w.policy_admin,
        "base",
        "1",
        json!({"select": ["AWS-ELB-001"]}),
    );
    let r = put(
        s,
        &w.policy_admin,
        "/api/v1/orgs/acme/groups/default",
        json!({"packs": [{"name": "base", "version": "1", "level": "mandatory"}]}),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    let plan = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/plans/terraform-plan.json"),
    )
    .unwrap();
    let evaluate = || {
        let path = "/api/v1/stacks/acme/app/prod/evaluations?select=AWS-EC2-001";
        let r = request(&s.url, "POST", path, Some(&w.member), Some(&plan)).unwrap();
        assert_eq!(r.status, 200, "{}", r.error_message());
        let report = r.json();
        let elb: Vec<Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["policy"] == "AWS-ELB-001")
            .cloned()
            .collect();
        (report, elb)
    };
    let (report, elb) = evaluate();
    assert_eq!(report["blocked"], true);
    assert_eq!(elb[0]["kind"], "violation");
    let resource = elb[0]["resource"]["id"].as_str().unwrap().to_owned();
    let tomorrow = guardrail_server::exemptions::date_of(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + 86_400,
    );
    let ask = |token: &str, body: Value| {
        call(
            s,
            "POST",
            "/api/v1/orgs/acme/exemptions",
            Some(token),
            Some(body),
        )
    };
    let body = json!({"stack": "app/prod", "policy": "AWS-ELB-001", "resource": resource,
        "reason": "legacy listener", "expires": tomorrow, "ticket": "SEC-12"});

    // Bad requests say what is wrong; an auditor and another organization cannot request.
    for (bad, says) in [
        (
            json!({"stack": "app", "policy": "P", "resource": "*", "reason": "r", "expires": tomorrow}),
            "PROJECT/STACK",
        ),
        (
            json!({"stack": "app/prod", "policy": "P", "resource": "*", "reason": "r", "expires": "2020-01-01"}),
            "in the past",
        ),
        (
            json!({"stack": "app/prod", "policy": "P", "resource": "*", "reason": "r", "expires": "2027-02-30"}),
            "not a date",
        ),
        (
            json!({"stack": "app/prod", "policy": "P", "resource": "*", "expires": tomorrow}),
            "`reason` is missing",
        ),
    ] {
        let r = ask(&w.member, bad);
        assert_eq!(r.status, 400);
        assert!(r.error_message().contains(says), "{}", r.error_message());
    }
    assert_eq!(
        ask(&w.auditor, body.clone()).status,
        403,
        "an auditor only reads"
    );
    let r = call(
        s,
        "POST",
        "/api/v1/orgs/acme/exemptions",
        Some(&w.other_admin),
        Some(body.clone()),
    );
    assert_eq!(r.status, 403, "another organization");

    let r = ask(&w.member, body.clone());
    assert_eq!(r.status, 201, "{}", r.error_message());
    let id = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["state"], "pending");
    assert_eq!(r.json()["requested_by"], "mia");
    // Pending: not applied.
    assert_eq!(evaluate().1[0]["kind"], "violation");
    let decide = |token: &str, id: i64, what: &str| {
        call(
            s,
            "POST",
            &format!("/api/v1/orgs/acme/exemptions/{id}/{what}"),
            Some(token),
            None,
        )
    };
    assert_eq!(
        decide(&w.member, id, "approve").status,
        403,
        "a member cannot approve"
    );
    assert_eq!(
        decide(&w.auditor, id, "approve").status,
        403,
        "an auditor cannot approve"
    );
    assert_eq!(
        decide(&w.other_admin, id, "approve").status,
        403,
        "another organization"
    );
    let own = ask(&w.policy_admin, body.clone()).json()["id"]
        .as_i64()
        .unwrap();
    let r = decide(&w.policy_admin, own, "approve");
    assert_eq!(r.status, 409);
    assert!(
        r.error_message().contains("your own request"),
        "{}",
        r.error_message()
    );
    let r = decide(&w.policy_admin, id, "approve");
    assert_eq!(r.status, 200, "{}", r.error_message());
    assert_eq!(
        (r.json()["state"].as_str(), r.json()["decided_by"].as_str()),
        (Some("active"), Some("pat"))
    );
    assert_eq!(decide(&w.admin, id, "deny").status, 409, "decided once");

    // The stack's resolved policy carries it; the next evaluation suppresses the finding and
    // shows it as exempted.
    let r = call(
        s,
        "GET",
        "/api/v1/stacks/acme/app/prod/policy",
        Some(&w.member),
        None,
    );
    assert_eq!(r.json()["exemptions"][0]["id"], id);
    assert_eq!(r.json()["exemptions"][0]["approved_by"], "pat");
    let (report, elb) = evaluate();
    assert_eq!(elb[0]["kind"], "suppressed", "{report}");
    assert_eq!(report["verdict"]["not_blocking"]["exempted"], 1, "{report}");
    assert!(report.to_string().contains("legacy listener"));

    // Listing by state, and unused: active but no finding it matched in the recorded runs.
    let list = |token: &str, q: &str| {
        let r = call(
            s,
            "GET",
            &format!("/api/v1/orgs/acme/exemptions{q}"),
            Some(token),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.error_message());
        r.json()["exemptions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(list(&w.auditor, "?state=active"), [id]);
    assert_eq!(list(&w.auditor, "?state=pending"), [own]);
    assert!(
        list(&w.auditor, "?state=unused").is_empty(),
        "it suppressed a finding"
    );
    let unused = ask(
        &w.member,
        json!({"stack": "app/prod", "policy": "AWS-ELB-001", "resource": "nothing.here",
        "reason": "r", "expires": tomorrow}),
    )
    .json()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(decide(&w.admin, unused, "approve").status, 200);
    assert_eq!(list(&w.member, "?state=unused"), [unused]);
    assert_eq!(list(&w.member, "?stack=app/dev"), Vec::<i64>::new());
    let r = call(
        s,
        "GET",
        "/api/v1/orgs/acme/exemptions?state=odd",
        Some(&w.member),
        None,
    );
    assert_eq!(r.status, 400);
    let r = call(
        s,
        "GET",
        "/api/v1/orgs/other/exemptions",
        Some(&w.other_admin),
        None,
    );
    assert_eq!(r.json()["exemptions"], json!([]), "cross-org invisible");
    let r = call(
        s,
        "GET",
        &format!("/api/v1/orgs/acme/exemptions/{id}"),
        Some(&w.other_admin),
        None,
    );
    assert_eq!(r.status, 403);

    // Revoked: the finding blocks again.
    assert_eq!(decide(&w.admin, id, "revoke").status, 200);
    assert_eq!(evaluate().1[0]["kind"], "violation");

    // Break-glass: applies at once, expires within 24 hours, flagged, still needs approval.
    let far = guardrail_server::exemptions::date_of(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + 30 * 86_400,
    );
    let mut glass = body.clone();
    glass["break_glass"] = json!(true);
    glass["expires"] = json!(far);
    glass["reason"] = json!("outage");
    let r = ask(&w.member, glass);
    assert_eq!(r.status, 201, "{}", r.error_message());
    let g = r.json();
    let (gid, requested_at) = (
        g["id"].as_i64().unwrap(),
        g["requested_at"].as_i64().unwrap(),
    );
    assert_eq!(
        (g["state"].as_str(), g["awaiting_approval"].as_bool()),
        (Some("active"), Some(true))
    );
    assert!(
        g["expires_at"].as_i64().unwrap() <= requested_at + 86_400,
        "{g}"
    );
    let r = call(
        s,
        "GET",
        "/api/v1/stacks/acme/app/prod/policy",
        Some(&w.member),
        None,
    );
    let granted = r.json()["exemptions"].as_array().unwrap().clone();
    assert!(
        granted
            .iter()
            .any(|e| e["id"] == gid && e["break_glass"] == true && e["awaiting_approval"] == true),
        "{granted:?}"
    );
    let (report, elb) = evaluate();
    assert_eq!(elb[0]["kind"], "suppressed");
    assert!(
        report
            .to_string()
            .contains("[break-glass, awaiting approval] outage"),
        "{report}"
    );
    assert_eq!(
        list(&w.policy_admin, "?state=awaiting-approval"),
        [gid, own],
        "the approvers' queue: the break-glass one and the pending one"
    );
    assert_eq!(decide(&w.admin, gid, "deny").status, 200);
    assert_eq!(
        evaluate().1[0]["kind"],
        "violation",
        "a denied break-glass stops applying"
    );

    // The audit log: every change with who, when, before and after; admin and auditor read it,
    // nobody changes it.
    let r = call(
        s,
        "GET",
        "/api/v1/orgs/acme/audit-log?kind=exemption",
        Some(&w.auditor),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.error_message());
    let entries = r.json()["entries"].as_array().unwrap().clone();
    let target = id.to_string();
    let approve = entries
        .iter()
        .find(|e| e["action"] == "approve" && e["target"].as_str() == Some(target.as_str()))
        .unwrap();
    assert_eq!(approve["actor"], "pat");
    assert_eq!(approve["before"]["status"], "pending");
    assert_eq!(approve["after"]["status"], "approved");
    assert!(entries.iter().all(|e| e["kind"] == "exemption"));
    let r = call(
        s,
        "GET",
        "/api/v1/orgs/acme/audit-log",
        Some(&w.admin),
        None,
    );
    let kinds: BTreeSet<String> = r.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        kinds,
        ["exemption", "group", "pack", "token", "user"]
            .map(String::from)
            .into(),
        "publishing, the group, the test's users and tokens and the exemptions are all there"
    );
    let group = r.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "group")
        .cloned()
        .unwrap();
    assert_eq!(group["before"], Value::Null);
    assert_eq!(group["after"]["packs"][0]["name"], "base");
    for token in [&w.member, &w.policy_admin] {
        assert_eq!(
            call(s, "GET", "/api/v1/orgs/acme/audit-log", Some(token), None).status,
            403
        );
    }
    let r = call(
        s,
        "GET",
        "/api/v1/orgs/other/audit-log",
        Some(&w.other_admin),
        None,
    );
    assert!(
        r.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] != "exemption"),
        "another organization sees none of acme's"
    );
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        let r = call(
            s,
            method,
            "/api/v1/orgs/acme/audit-log",
            Some(&w.admin),
            Some(json!({})),
        );
        assert_eq!(r.status, 405, "{method} on the audit log");
    }
    assert!(
        ROUTES
            .iter()
            .filter(|r| r.path.contains("audit-log"))
            .all(|r| r.method == "GET"),
        "no route changes the audit log"
    );
    let since = call(
        s,
        "GET",
        "/api/v1/orgs/acme/audit-log?since=1d&kind=pack",
        Some(&w.admin),
        None,
    );
    assert_eq!(since.json()["entries"][0]["action"], "publish");
    let r = call(
        s,
        "GET",
        "/api/v1/orgs/acme/audit-log?until=2000-01-01",
        Some(&w.admin),
        None,
    );
    assert_eq!(r.json()["entries"], json!([]));
    std::fs::remove_dir_all(&w.dir).unwrap();
}

/// Many uploads at once: the writer commits those queued together in one transaction (group
/// commit); each request must still be answered with its own run, stored whole.
fn concurrent_uploads_are_each_answered_with_their_own_whole_run(db: &Backend) {
    let w = world("concurrent", db);
    let url = w.server.url.clone();
    let threads: Vec<_> = (0..16)
        .map(|t| {
            let (url, token) = (url.clone(), w.member.clone());
            std::thread::spawn(move || {
                (0..6)
                    .map(|k| {
                        let n = t * 6 + k;
                        let findings: Vec<Value> = (0..n)
                            .map(|i| json!({
                                "fingerprint": format!("fp-{t}-{k}-{i}"), "policy": "AWS-S3-001",
                                "pack": "builtin", "outcome": "violation", "level": "mandatory",
                                "severity": "high", "blocking": true, "message": format!("run {t}/{k}")}))
                            .collect();
                        let body = json!({"kind": "plan", "outcome": "blocked", "findings": findings});
                        let r = request(
                            &url,
                            "POST",
                            &format!("/api/v1/stacks/acme/app/s{t}/runs"),
                            Some(&token),
                            Some(body.to_string().as_bytes()),
                        )
                        .unwrap();
                        assert_eq!(r.status, 201, "{}", r.error_message());
                        assert_eq!(r.json()["findings"], n);
                        (t, k, n, r.json()["id"].as_i64().unwrap())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let answered: Vec<(usize, usize, usize, i64)> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let ids: BTreeSet<i64> = answered.iter().map(|a| a.3).collect();
    assert_eq!(ids.len(), 96, "one id each");
    for (t, k, n, id) in answered {
        let r = call(
            &w.server,
            "GET",
            &format!("/api/v1/orgs/acme/runs/{id}"),
            Some(&w.admin),
            None,
        );
        assert_eq!(r.status, 200, "{}", r.error_message());
        let run = r.json();
        assert_eq!(run["run"]["stack"], format!("app/s{t}"), "{run}");
        let findings = run["findings"].as_array().unwrap();
        assert_eq!(findings.len(), n);
        for (i, f) in findings.iter().enumerate() {
            assert_eq!(f["fingerprint"], format!("fp-{t}-{k}-{i}"));
        }
    }
    std::fs::remove_dir_all(&w.dir).unwrap();
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
    the_openapi_document_lists_exactly_the_routes_the_server_has,
    every_route_authenticates_and_authorizes,
    tokens_are_shown_once_stored_hashed_and_revocable,
    the_registry_keeps_versions_immutable_and_content_addressed,
    the_bootstrap_token_is_printed_on_the_first_start_only_and_data_survives_a_restart,
    an_uploaded_plan_is_evaluated_by_the_pipeline_with_the_same_report,
    a_ci_token_scoped_to_stacks_evaluates_only_those_and_changes_nothing,
    groups_resolve_by_glob_and_tag_the_stricter_level_wins_and_evaluations_run_them,
    uploaded_runs_are_listed_by_stack_policy_outcome_and_time_and_stay_in_their_org,
    exemptions_are_requested_approved_by_someone_else_enforced_and_audited,
    concurrent_uploads_are_each_answered_with_their_own_whole_run,
);
