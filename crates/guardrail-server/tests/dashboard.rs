//! The dashboard over real HTTP on 127.0.0.1, as a browser speaks to it (cookies, forms,
//! redirects), on SQLite and on PostgreSQL (`on_both!`). The same flows in a real headless
//! browser are `crates/guardrail/tests/dashboard.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;

// every exchange of these tests is checked against the OpenAPI document
use guardrail_server::contract::checked_request as request;
use guardrail_server::{spawn, ServeConfig, Spawned};
use serde_json::{json, Value};

enum Backend {
    Sqlite,
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
}

fn start(name: &str, db: &Backend) -> (Spawned, PathBuf) {
    let tag = match db {
        Backend::Sqlite => "sqlite",
        Backend::Postgres(_) => "postgres",
    };
    let dir = std::env::temp_dir().join(format!(
        "guardrail-dashboard-{name}-{tag}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let server = spawn(ServeConfig {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.clone(),
        database: match db {
            Backend::Sqlite => None,
            Backend::Postgres(url) => Some(url.clone()),
        },
        tls: None,
    })
    .unwrap();
    (server, dir)
}

fn api(s: &Spawned, method: &str, path: &str, token: &str, body: Option<Value>) -> Value {
    let bytes = body.map(|b| b.to_string().into_bytes());
    let r = request(&s.url, method, path, Some(token), bytes.as_deref()).unwrap();
    assert!(
        (200..300).contains(&r.status),
        "{method} {path}: {}",
        r.error_message()
    );
    r.json()
}

/// An answer as a browser sees it.
struct Page {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Page {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    fn cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .map(|(_, v)| v.as_str())
            .collect()
    }
    /// The value of the first `name="…" value="…"` hidden field.
    fn field(&self, name: &str) -> String {
        let at = self
            .body
            .find(&format!(r#"name="{name}" value=""#))
            .unwrap_or_else(|| panic!("no field `{name}` in {}", self.body));
        let rest = &self.body[at + name.len() + 15..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

/// One request with the given extra headers (`Cookie`, `Origin`, …) and a form body.
fn browse(
    s: &Spawned,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    form: Option<&str>,
) -> Page {
    let authority = s.url.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(authority).unwrap();
    let mut head =
        format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    let body = form.unwrap_or_default();
    if method == "POST" {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v == "chunked");
    let body = if chunked {
        let mut out = String::new();
        let mut rest = rest;
        loop {
            let (size, tail) = rest.split_once("\r\n").unwrap();
            let size = usize::from_str_radix(size.trim(), 16).unwrap();
            if size == 0 {
                break;
            }
            out.push_str(&tail[..size]);
            rest = &tail[size + 2..];
        }
        out
    } else {
        rest.to_owned()
    };
    Page {
        status,
        headers,
        body,
    }
}

/// Signs in with `token` through the form; returns the `Cookie` header of the session.
fn sign_in(s: &Spawned, token: &str) -> String {
    let form = browse(s, "GET", "/login", &[], None);
    assert_eq!(form.status, 200);
    let nonce = form.field("nonce");
    let login_cookie = form.cookies()[0].split(';').next().unwrap().to_owned();
    let r = browse(
        s,
        "POST",
        "/login",
        &[("Cookie", &login_cookie)],
        Some(&format!("nonce={nonce}&token={token}")),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/"));
    let session = r
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("guardrail_session="))
        .unwrap()
        .to_owned();
    session.split(';').next().unwrap().to_owned()
}

struct World {
    server: Spawned,
    dir: PathBuf,
    admin: String,
    pat: String,
    mia: String,
    auditor: String,
    other: String,
    ci: String,
}

fn world(name: &str, db: &Backend) -> World {
    let (server, dir) = start(name, db);
    let root = server.bootstrap_token.clone().unwrap();
    let s = &server;
    let org = |name: &str, admin: &str| {
        api(
            s,
            "POST",
            "/api/v1/orgs",
            &root,
            Some(json!({"name": name, "admin": admin})),
        )["token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let admin = org("acme", "alice");
    let other = org("other", "oscar");
    let user = |name: &str, role: &str, stacks: Option<Value>| {
        if role != "-" {
            api(
                s,
                "POST",
                "/api/v1/orgs/acme/users",
                &admin,
                Some(json!({"name": name, "role": role})),
            );
        }
        let mut body = json!({"user": name, "description": "t"});
        if let Some(st) = stacks {
            body["stacks"] = st;
        }
        api(s, "POST", "/api/v1/orgs/acme/tokens", &admin, Some(body))["token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let pat = user("pat", "policy-admin", None);
    let mia = user("mia", "member", None);
    let auditor = user("aud", "auditor", None);
    let ci = user("mia", "-", Some(json!(["shop/*"])));
    World {
        server,
        dir,
        admin,
        pat,
        mia,
        auditor,
        other,
        ci,
    }
}

fn upload(
    s: &Spawned,
    token: &str,
    stack: &str,
    outcome: &str,
    findings: &[(&str, &str, &str, &str)],
) {
    let findings: Vec<Value> = findings
        .iter()
        .map(|(policy, resource, kind, message)| {
            json!({"fingerprint": format!("{policy}:{resource}"), "policy": policy, "pack": "builtin",
                "resource": resource, "resource_type": "aws_s3_bucket", "outcome": kind,
                "level": "mandatory", "severity": "high", "blocking": *kind == "violation",
                "message": message})
        })
        .collect();
    api(
        s,
        "POST",
        &format!("/api/v1/stacks/{stack}/runs"),
        token,
        Some(
            json!({"kind": "plan", "outcome": outcome, "commit": "0123456789abcdef", "branch": "main",
            "findings": findings}),
        ),
    );
}

fn in_a_week() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    guardrail_server::exemptions::date_of(now + 7 * 86_400)
}

fn sign_in_keeps_the_token_in_a_strict_cookie_and_refuses_bad_tokens(db: &Backend) {
    let w = world("signin", db);
    let s = &w.server;
    // Nobody signed in: every page leads to the form.
    for path in [
        "/",
        "/exemptions",
        "/stacks/shop/prod",
        "/policies/AWS-S3-001",
        "/simulate",
    ] {
        let r = browse(s, "GET", path, &[], None);
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(r.header("location"), Some("/login"), "{path}");
    }
    let form = browse(s, "GET", "/login", &[], None);
    assert_eq!(form.status, 200);
    assert!(form.body.contains(r#"type="password""#));
    let login_cookie = form.cookies()[0];
    assert!(
        login_cookie.starts_with("guardrail_login="),
        "{login_cookie}"
    );
    assert!(login_cookie.contains("HttpOnly") && login_cookie.contains("SameSite=Strict"));
    let nonce = form.field("nonce");
    let cookie = login_cookie.split(';').next().unwrap();

    // The form's nonce must come back with its cookie (no sign-in forged by another site).
    let r = browse(
        s,
        "POST",
        "/login",
        &[],
        Some(&format!("nonce={nonce}&token={}", w.mia)),
    );
    assert_eq!(r.status, 403);
    assert!(r.body.contains("the sign-in form expired"), "{}", r.body);
    let r = browse(
        s,
        "POST",
        "/login",
        &[("Cookie", cookie), ("Origin", "http://evil.example")],
        Some(&format!("nonce={nonce}&token={}", w.mia)),
    );
    assert_eq!(r.status, 403);
    assert!(r.body.contains("sent from another site"), "{}", r.body);

    // A wrong token: 401, and the page does not echo it.
    let wrong = format!("grd_{}", "0".repeat(64));
    let r = browse(
        s,
        "POST",
        "/login",
        &[("Cookie", cookie)],
        Some(&format!("nonce={nonce}&token={wrong}")),
    );
    assert_eq!(r.status, 401);
    assert!(r.body.contains("the token is not valid"), "{}", r.body);
    assert!(!r.body.contains(&wrong));
    assert!(r
        .cookies()
        .iter()
        .all(|c| !c.starts_with("guardrail_session")));
    // A CI token scoped to stacks does not sign in.
    let r = browse(
        s,
        "POST",
        "/login",
        &[("Cookie", cookie)],
        Some(&format!("nonce={nonce}&token={}", w.ci)),
    );
    assert_eq!(r.status, 403);
    assert!(r.body.contains("scoped to stacks"), "{}", r.body);

    // The token is kept in an HttpOnly, SameSite=Strict cookie, Secure behind https.
    let r = browse(
        s,
        "POST",
        "/login",
        &[("Cookie", cookie)],
        Some(&format!("nonce={nonce}&token={}", w.mia)),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let session = r
        .cookies()
        .into_iter()
        .find(|c| c.starts_with("guardrail_session="))
        .unwrap();
    assert_eq!(
        session,
        format!(
            "guardrail_session={}; Path=/; HttpOnly; SameSite=Strict",
            w.mia
        )
    );
    let r = browse(
        s,
        "POST",
        "/login",
        &[("Cookie", cookie), ("X-Forwarded-Proto", "https")],
        Some(&format!("nonce={nonce}&token={}", w.mia)),
    );
    assert!(
        r.cookies().iter().all(|c| c.ends_with("; Secure")),
        "{:?}",
        r.cookies()
    );

    let mia = sign_in(s, &w.mia);
    let home = browse(s, "GET", "/", &[("Cookie", &mia)], None);
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(
        home.body.contains(r#"data-user="mia""#) && home.body.contains(r#"data-role="member""#)
    );
    assert!(home.body.contains("Overview of acme"));
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(home
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert_eq!(home.header("x-frame-options"), Some("DENY"));
    assert!(
        !home.body.contains(&w.mia),
        "the page never shows the token"
    );
    // Signed in, the form leads home.
    assert_eq!(
        browse(s, "GET", "/login", &[("Cookie", &mia)], None).status,
        303
    );
    assert_eq!(
        browse(s, "GET", "/assets/dashboard.css", &[], None).status,
        200
    );

    // Sign-out needs the session's CSRF field; it deletes the cookie.
    let csrf = home.field("csrf");
    let r = browse(s, "POST", "/logout", &[("Cookie", &mia)], Some("csrf=nope"));
    assert_eq!(r.status, 403);
    let r = browse(
        s,
        "POST",
        "/logout",
        &[("Cookie", &mia)],
        Some(&format!("csrf={csrf}")),
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/login"));
    assert!(
        r.cookies()[0].starts_with("guardrail_session=; Path=/;")
            && r.cookies()[0].contains("Max-Age=0")
    );

    // A revoked token signs the browser out at once.
    let tokens = api(s, "GET", "/api/v1/orgs/acme/tokens", &w.admin, None);
    let auditor = sign_in(s, &w.auditor);
    assert_eq!(
        browse(s, "GET", "/", &[("Cookie", &auditor)], None).status,
        200
    );
    let aud_id = tokens["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["user"] == "aud")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    api(
        s,
        "DELETE",
        &format!("/api/v1/orgs/acme/tokens/{aud_id}"),
        &w.admin,
        None,
    );
    let r = browse(s, "GET", "/", &[("Cookie", &auditor)], None);
    assert_eq!((r.status, r.header("location")), (303, Some("/login")));
    std::fs::remove_dir_all(&w.dir).unwrap();
}

fn pages_follow_the_role_stay_in_the_org_and_decide_through_the_api(db: &Backend) {
    let w = world("pages", db);
    let s = &w.server;
    upload(
        s,
        &w.mia,
        "acme/shop/prod",
        "blocked",
        &[
            (
                "AWS-S3-001",
                "aws_s3_bucket.logs",
                "violation",
                "bucket `logs` is public <script>alert(1)</script>",
            ),
            (
                "AWS-S3-002",
                "aws_s3_bucket.logs",
                "violation",
                "bucket `logs` has no encryption",
            ),
        ],
    );
    upload(
        s,
        &w.mia,
        "acme/shop/prod",
        "blocked",
        &[(
            "AWS-S3-001",
            "aws_s3_bucket.logs",
            "violation",
            "bucket `logs` is public <script>alert(1)</script>",
        )],
    );
    upload(s, &w.mia, "acme/shop/dev", "passed", &[]);
    upload(
        s,
        &w.other,
        "other/secret/prod",
        "blocked",
        &[(
            "AWS-S3-001",
            "aws_s3_bucket.other_org_bucket",
            "violation",
            "other org's finding",
        )],
    );
    let requested = api(
        s,
        "POST",
        "/api/v1/orgs/acme/exemptions",
        &w.mia,
        Some(json!({
        "stack": "shop/prod", "policy": "AWS-S3-001", "resource": "aws_s3_bucket.logs",
        "reason": "public logs for the auditors", "expires": in_a_week(), "ticket": "SEC-1"})),
    );
    let id = requested["id"].as_i64().unwrap();

    // The stack page: runs, open findings of the latest run with the catalog's fix, escaped.
    let mia = sign_in(s, &w.mia);
    let page = browse(s, "GET", "/stacks/shop/prod", &[("Cookie", &mia)], None);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body
            .contains(r#"<tr data-policy="AWS-S3-001" data-outcome="violation">"#),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains(r#"data-policy="AWS-S3-002""#),
        "only the latest run's findings are open"
    );
    assert!(
        page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
            && !page.body.contains("<script>")
    );
    let fix = guardrail_catalog::find("AWS-S3-001").unwrap().remediation;
    assert!(
        page.body
            .contains(&guardrail_server::dashboard::page::esc(fix)),
        "the fix is shown"
    );
    assert_eq!(page.body.matches("<tr data-run=").count(), 2);
    assert!(page.body.contains(&format!(
        r#"<tr data-exemption="{id}" data-state="pending">"#
    )));

    // The policy page: the catalog's docs, where it fires (this org only), its exemptions.
    let page = browse(s, "GET", "/policies/AWS-S3-001", &[("Cookie", &mia)], None);
    assert_eq!(page.status, 200);
    let spec = guardrail_catalog::find("AWS-S3-001").unwrap();
    assert!(page
        .body
        .contains(&guardrail_server::dashboard::page::esc(spec.title)));
    assert!(
        page.body
            .contains(r#"<tr data-stack="shop/prod" data-findings="2">"#),
        "{}",
        page.body
    );
    assert!(!page.body.contains("other_org_bucket") && !page.body.contains("secret/prod"));
    assert_eq!(
        browse(s, "GET", "/policies/NO-SUCH-1", &[("Cookie", &mia)], None).status,
        404
    );

    // The overview: the metrics tiles, computed once and reused for 30 seconds.
    let home = browse(s, "GET", "/", &[("Cookie", &mia)], None);
    assert!(
        home.body.contains(r#"data-metric="runs" data-value="3""#),
        "{}",
        home.body
    );
    assert!(home.body.contains("at most 30 s ago"));
    assert!(home
        .body
        .contains(r#"<figure class="chart" data-chart="violation-rate">"#));
    upload(s, &w.mia, "acme/shop/dev", "passed", &[]);
    let again = browse(s, "GET", "/", &[("Cookie", &mia)], None);
    assert!(
        again.body.contains(r#"data-metric="runs" data-value="3""#),
        "cached"
    );
    assert_eq!(
        again.body.matches("<tr data-run=").count(),
        4,
        "the runs list is not cached"
    );
    let seven = browse(s, "GET", "/?days=7", &[("Cookie", &mia)], None);
    assert!(
        seven.body.contains(r#"data-metric="runs" data-value="4""#),
        "another window is computed anew"
    );

    // Another organization's admin sees nothing of acme.
    let oscar = sign_in(s, &w.other);
    assert_eq!(
        browse(s, "GET", "/stacks/shop/prod", &[("Cookie", &oscar)], None).status,
        404
    );
    let q = browse(s, "GET", "/exemptions", &[("Cookie", &oscar)], None);
    assert!(!q.body.contains("public logs for the auditors"));
    let home = browse(s, "GET", "/", &[("Cookie", &oscar)], None);
    assert!(home.body.contains("secret/prod") && !home.body.contains("shop/prod"));

    // A member reads the queue without buttons, and cannot post a decision.
    let q = browse(s, "GET", "/exemptions", &[("Cookie", &mia)], None);
    assert!(q.body.contains("public logs for the auditors"));
    assert!(!q.body.contains("data-action=\"approve\""));
    let csrf = q.field("csrf");
    let r = browse(
        s,
        "POST",
        &format!("/exemptions/{id}/approve"),
        &[("Cookie", &mia)],
        Some(&format!("csrf={csrf}")),
    );
    assert_eq!(r.status, 403);
    assert!(
        r.body
            .contains("the role `member` may not decide exemptions"),
        "{}",
        r.body
    );

    // A policy admin has the buttons; a post without the CSRF field or from another origin
    // is refused; a real one approves through the API's path and is audited.
    let pat = sign_in(s, &w.pat);
    let q = browse(s, "GET", "/exemptions", &[("Cookie", &pat)], None);
    assert!(
        q.body
            .contains(&format!(r#"data-action="approve" data-exemption="{id}""#)),
        "{}",
        q.body
    );
    assert!(q
        .body
        .contains(&format!(r#"data-action="deny" data-exemption="{id}""#)));
    let csrf = q.field("csrf");
    let path = format!("/exemptions/{id}/approve");
    assert_eq!(
        browse(s, "POST", &path, &[("Cookie", &pat)], Some("")).status,
        403
    );
    assert_eq!(
        browse(
            s,
            "POST",
            &path,
            &[("Cookie", &pat)],
            Some(&format!("csrf={}", "a".repeat(64)))
        )
        .status,
        403
    );
    assert_eq!(
        browse(
            s,
            "POST",
            &path,
            &[("Cookie", &pat), ("Origin", "http://evil.example")],
            Some(&format!("csrf={csrf}"))
        )
        .status,
        403
    );
    assert_eq!(
        api(
            s,
            "GET",
            &format!("/api/v1/orgs/acme/exemptions/{id}"),
            &w.pat,
            None
        )["status"],
        "pending"
    );
    let r = browse(
        s,
        "POST",
        &path,
        &[("Cookie", &pat), ("Origin", &s.url)],
        Some(&format!("csrf={csrf}")),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(format!("/exemptions?done=approve&id={id}").as_str())
    );
    let e = api(
        s,
        "GET",
        &format!("/api/v1/orgs/acme/exemptions/{id}"),
        &w.pat,
        None,
    );
    assert_eq!(
        (e["status"].as_str(), e["decided_by"].as_str()),
        (Some("approved"), Some("pat"))
    );
    let q = browse(
        s,
        "GET",
        &format!("/exemptions?done=approve&id={id}"),
        &[("Cookie", &pat)],
        None,
    );
    assert!(q.body.contains(&format!("Exemption {id} approved")));
    assert!(q.body.contains(&format!(
        r#"<tr data-exemption="{id}" data-state="active">"#
    )));
    let log = api(
        s,
        "GET",
        "/api/v1/orgs/acme/audit-log?kind=exemption",
        &w.admin,
        None,
    );
    let entry = &log["entries"][0];
    assert_eq!(
        (entry["action"].as_str(), entry["actor"].as_str()),
        (Some("approve"), Some("pat"))
    );

    // Nobody decides their own request: the API's rule, through the page.
    let own = api(
        s,
        "POST",
        "/api/v1/orgs/acme/exemptions",
        &w.pat,
        Some(json!({
        "stack": "shop/prod", "policy": "AWS-S3-002", "resource": "*", "reason": "mine",
        "expires": in_a_week()})),
    )["id"]
        .as_i64()
        .unwrap();
    let q = browse(s, "GET", "/exemptions", &[("Cookie", &pat)], None);
    assert!(!q
        .body
        .contains(&format!(r#"data-action="approve" data-exemption="{own}""#)));
    let r = browse(
        s,
        "POST",
        &format!("/exemptions/{own}/approve"),
        &[("Cookie", &pat)],
        Some(&format!("csrf={csrf}")),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    // Another organization's exemption id is not found from this one.
    let oscar_csrf = browse(s, "GET", "/", &[("Cookie", &oscar)], None).field("csrf");
    let r = browse(
        s,
        "POST",
        &format!("/exemptions/{own}/deny"),
        &[("Cookie", &oscar)],
        Some(&format!("csrf={oscar_csrf}")),
    );
    assert_eq!(r.status, 404, "{}", r.body);
    let r = browse(
        s,
        "POST",
        &format!("/exemptions/{own}/deny"),
        &[("Cookie", &pat)],
        Some(&format!("csrf={csrf}")),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let _ = &w.auditor;
    std::fs::remove_dir_all(&w.dir).unwrap();
}

fn the_simulation_form_answers_what_the_api_answers(db: &Backend) {
    let w = world("simulate", db);
    let s = &w.server;
    let advisory = |stack: &str, policy: &str| {
        let findings = json!([{"fingerprint": format!("{policy}:x"), "policy": policy, "pack": "builtin",
            "resource": "aws_s3_bucket.x", "resource_type": "aws_s3_bucket", "outcome": "violation",
            "level": "advisory", "severity": "high", "blocking": false, "message": "public"}]);
        api(
            s,
            "POST",
            &format!("/api/v1/stacks/{stack}/runs"),
            &w.mia,
            Some(json!({"kind": "plan", "outcome": "passed", "findings": findings})),
        );
    };
    advisory("acme/shop/prod", "AWS-S3-001");
    advisory("acme/shop/prod", "AWS-S3-001");
    advisory("acme/web/prod", "AWS-S3-002");
    upload(s, &w.mia, "acme/web/dev", "passed", &[]);
    let mia = sign_in(s, &w.mia);
    let form = browse(s, "GET", "/simulate", &[("Cookie", &mia)], None);
    assert_eq!(form.status, 200);
    assert!(form.body.contains(r#"<select id="level" name="level">"#));
    let csrf = form.field("csrf");
    // Without the session's CSRF field nothing runs (a simulation is audited).
    let r = browse(
        s,
        "POST",
        "/simulate",
        &[("Cookie", &mia)],
        Some("policy=AWS-S3-001&level=mandatory"),
    );
    assert_eq!(r.status, 403);
    let r = browse(
        s,
        "POST",
        "/simulate",
        &[("Cookie", &mia)],
        Some(&format!(
            "csrf={csrf}&policy=AWS-S3-001&level=mandatory&since=30d"
        )),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let api_sim = api(
        s,
        "POST",
        "/api/v1/orgs/acme/simulations",
        &w.mia,
        Some(json!({"policy": "AWS-S3-001", "level": "mandatory", "since": "30d"})),
    );
    assert_eq!(api_sim["runs"], 4);
    assert_eq!(api_sim["blocked_after"], 2, "{api_sim}");
    assert!(r.body.contains(&format!(
        r#"data-runs="{}" data-blocked-before="{}" data-blocked-after="{}" data-blocked-by-policy="{}""#,
        api_sim["runs"], api_sim["blocked_before"], api_sim["blocked_after"], api_sim["blocked_by_policy"]
    )), "{}", r.body);
    assert!(
        r.body
            .contains(r#"<tr data-stack="shop/prod" data-newly-blocked="2">"#),
        "{}",
        r.body
    );
    assert!(!r.body.contains(r#"data-stack="web/prod""#));
    assert!(
        r.body.contains(r#"value="AWS-S3-001""#)
            && r.body.contains(r#"<option value="mandatory" selected>"#)
    );
    // Audited like the API's.
    let log = api(s, "GET", "/api/v1/orgs/acme/audit-log", &w.admin, None);
    let simulations = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "simulate")
        .count();
    assert_eq!(simulations, 2, "{log}");
    // A bad request says what is wrong, on the form.
    let r = browse(
        s,
        "POST",
        "/simulate",
        &[("Cookie", &mia)],
        Some(&format!("csrf={csrf}&policy=AWS-S3-001&level=sometimes")),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("data-error") && r.body.contains("sometimes"),
        "{}",
        r.body
    );
    std::fs::remove_dir_all(&w.dir).unwrap();
}

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
    sign_in_keeps_the_token_in_a_strict_cookie_and_refuses_bad_tokens,
    pages_follow_the_role_stay_in_the_org_and_decide_through_the_api,
    the_simulation_form_answers_what_the_api_answers,
);
