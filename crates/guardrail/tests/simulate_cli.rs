//! `guardrail simulate` and `guardrail promote` against a real service (SQLite and
//! PostgreSQL): the command line and the API agree, a server-side evaluation's stored input is
//! evaluated again with a new pack version (and holds no secret), promotion refuses and is
//! forced, and per-pack grants decide who promotes, publishes and approves exemptions.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{run_with, temp_dir, Output};
use guardrail_server::client::Response;
// every exchange of these tests is checked against the OpenAPI document
use guardrail_server::contract::checked_request as request;
use serde_json::{json, Value};

const P: &str = "AWS-ELB-001";
const PASSWORD: &str = "S3cr3t-Sim-Probe-9f2";

struct Service {
    url: String,
    root: String,
    dir: std::path::PathBuf,
    postgres: Option<String>,
}

impl Service {
    fn call(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> Response {
        let bytes = body.map(|b| b.to_string().into_bytes());
        request(&self.url, method, path, Some(token), bytes.as_deref()).unwrap()
    }

    fn ok(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> Value {
        let r = self.call(method, path, token, body);
        assert!(
            (200..300).contains(&r.status),
            "{method} {path}: {} {}",
            r.status,
            r.error_message()
        );
        r.json()
    }

    fn user(&self, name: &str, role: &str, packs: Option<Value>) -> String {
        let mut body = json!({"name": name, "role": role});
        if let Some(p) = packs {
            body["packs"] = p;
        }
        self.ok("POST", "/api/v1/orgs/default/users", &self.root, Some(body));
        self.ok(
            "POST",
            "/api/v1/orgs/default/tokens",
            &self.root,
            Some(json!({"user": name, "description": "test"})),
        )["token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn cli(&self, token: &str, args: &[&str]) -> Output {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--server", &self.url, "--org", "default"]);
        run_with(&self.dir, &all, &[("GUARDRAIL_TOKEN", token)])
    }

    /// Everything the database holds, as bytes: the SQLite files, or every row as text.
    fn stored(&self) -> Vec<u8> {
        match &self.postgres {
            None => std::fs::read_dir(self.dir.join("data"))
                .unwrap()
                .flat_map(|e| std::fs::read(e.unwrap().path()).unwrap())
                .collect(),
            Some(url) => {
                let (base, schema) = url.split_once("?schema=").unwrap();
                let mut client = postgres::Client::connect(base, postgres::NoTls).unwrap();
                let tables = client
                    .query(
                        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = $1",
                        &[&schema],
                    )
                    .unwrap();
                let mut all = Vec::new();
                for t in &tables {
                    let table: String = t.get(0);
                    for r in client
                        .query(
                            &format!("SELECT CAST(t AS TEXT) FROM {schema}.{table} t"),
                            &[],
                        )
                        .unwrap()
                    {
                        all.extend(r.get::<_, String>(0).into_bytes());
                    }
                }
                all
            }
        }
    }
}

fn publish(s: &Service, token: &str, name: &str, version: &str, selection: Value) -> Response {
    let mut doc = json!({"kind": "selection", "selection": selection});
    let checked = guardrail_server::packs::check_document(&doc).unwrap();
    doc["digest"] = Value::String(guardrail_server::auth::content_digest(&checked.canonical));
    s.call(
        "PUT",
        &format!("/api/v1/orgs/default/packs/{name}/versions/{version}"),
        token,
        Some(doc),
    )
}

fn target_group(name: &str, port: u16) -> Value {
    json!({
        "address": format!("aws_lb_target_group.{name}"), "mode": "managed",
        "type": "aws_lb_target_group", "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["create"], "before": null,
            "after": {"name": name, "port": port, "protocol": "TCP"},
            "after_unknown": {}, "before_sensitive": false, "after_sensitive": {}}
    })
}

fn plan() -> Value {
    json!({
        "format_version": "1.2", "terraform_version": "1.9.5",
        "resource_changes": [
            target_group("ssh", 22),
            target_group("web", 8080),
            {
                "address": "aws_db_instance.orders", "mode": "managed", "type": "aws_db_instance",
                "name": "orders", "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {"actions": ["create"], "before": null,
                    "after": {"identifier": "orders", "engine": "postgres", "password": PASSWORD},
                    "after_unknown": {}, "before_sensitive": false, "after_sensitive": {"password": true}}
            }
        ]
    })
}

/// A simulation's answer without its window (the CLI and the API ask a second apart).
fn without_window(mut v: Value) -> Value {
    let m = v.as_object_mut().unwrap();
    m.remove("since");
    m.remove("until");
    v
}

fn simulate_and_promote_through_the_cli_and_the_api(postgres: Option<String>) {
    let tmp = temp_dir();
    let dir = std::path::PathBuf::from(tmp.path());
    let server = guardrail_server::spawn(guardrail_server::ServeConfig {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.join("data"),
        database: postgres.clone(),
        tls: None,
    })
    .unwrap();
    let s = Service {
        url: server.url.clone(),
        root: server.bootstrap_token.clone().unwrap(),
        dir,
        postgres,
    };
    let pat = s.user("pat", "policy-admin", None);
    let eve = s.user("eve", "policy-admin", Some(json!(["elb"])));
    let lim = s.user("lim", "policy-admin", Some(json!(["net-*"])));
    let mia = s.user("mia", "member", None);
    let aud = s.user("aud", "auditor", None);

    // Publishing is per pack: `lim` administers `net-*` only.
    let v1 = json!({"select": [P], "config": {P: {"ports": [22]}}});
    let r = publish(&s, &lim, "elb", "1", v1.clone());
    assert_eq!(r.status, 403, "{}", r.error_message());
    assert!(
        r.error_message().contains("not of `elb`"),
        "{}",
        r.error_message()
    );
    assert_eq!(publish(&s, &eve, "elb", "1", v1).status, 201);
    let r = publish(
        &s,
        &eve,
        "elb",
        "2",
        json!({"select": [P], "config": {P: {"ports": [22, 8080]}}}),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());
    s.ok(
        "PUT",
        "/api/v1/orgs/default/groups/default",
        &pat,
        Some(json!({"packs": [{"name": "elb", "version": "1", "level": "advisory"}]})),
    );

    // Run 1: the server evaluates app/prod (its input is kept); elb@1 flags port 22 only (the
    // built-in selection holds no policy for these resources).
    let r = s.call(
        "POST",
        "/api/v1/stacks/default/app/prod/evaluations?select=AWS-S3-001",
        &mia,
        Some(plan()),
    );
    assert_eq!(r.status, 200, "{}", r.error_message());
    let report = r.json();
    let flagged: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"] == P)
        .filter_map(|f| f["resource"]["id"].as_str())
        .collect();
    assert_eq!(flagged, ["aws_lb_target_group.ssh"], "{report:#}");
    assert_eq!(report["blocked"], false, "{report:#}");
    // Run 2: a client's upload for app/dev, its finding advisory.
    s.ok(
        "POST",
        "/api/v1/stacks/default/app/dev/runs",
        &mia,
        Some(json!({"kind": "plan", "outcome": "passed", "summary": {}, "findings": [{
            "fingerprint": "f-dev", "policy": P, "pack": "elb@1", "resource": "aws_lb_target_group.dev",
            "outcome": "violation", "level": "advisory", "severity": "high", "blocking": false,
            "central": true, "message": "port 22"}]})),
    );

    // Both runs would have been blocked at mandatory.
    let ask = json!({"policy": P, "level": "mandatory"});
    let api = s.ok("POST", "/api/v1/orgs/default/simulations", &mia, Some(ask));
    assert_eq!(
        (
            api["runs"].as_i64(),
            api["blocked_before"].as_i64(),
            api["blocked_after"].as_i64()
        ),
        (Some(2), Some(0), Some(2))
    );
    assert_eq!(api["changed_runs"].as_array().unwrap().len(), 2);
    assert_eq!(api["stacks_affected"].as_array().unwrap().len(), 2);
    let out = s.cli(
        &mia,
        &[
            "simulate",
            "--policy",
            P,
            "--level",
            "mandatory",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    let cli: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        without_window(cli),
        without_window(api),
        "the CLI and the API agree"
    );
    let out = s.cli(&mia, &["simulate", "--policy", P, "--level", "mandatory"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("over 2 runs of 2 stacks"), "{out}");
    assert!(
        out.stdout.contains("blocked after:  2 of 2 runs (100.0%)"),
        "{out}"
    );
    assert!(
        out.stdout.contains("app/prod") && out.stdout.contains("passed -> blocked"),
        "{out}"
    );

    // With elb@2 the stored input is evaluated again: port 8080 is new; run 2 has no input.
    let api = s.ok(
        "POST",
        "/api/v1/orgs/default/simulations",
        &aud,
        Some(json!({"policy": P, "level": "mandatory", "pack": "elb@2"})),
    );
    assert_eq!(api["reevaluated"], 1);
    let new: Vec<&str> = api["new_findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["resource"].as_str())
        .collect();
    assert_eq!(new, ["aws_lb_target_group.web"]);
    assert_eq!(api["disappearing_findings"], json!([]));
    // At `disabled` nothing is evaluated: both stored findings disappear.
    let off = s.ok(
        "POST",
        "/api/v1/orgs/default/simulations",
        &aud,
        Some(json!({"policy": P, "level": "disabled", "pack": "elb@2"})),
    );
    assert_eq!(off["reevaluated"], 0);
    assert_eq!(off["disappearing_findings"].as_array().unwrap().len(), 2);
    assert_eq!(off["new_findings"], json!([]));
    let out = s.cli(
        &aud,
        &[
            "simulate",
            "--policy",
            P,
            "--level",
            "mandatory",
            "--pack",
            "elb@2",
        ],
    );
    assert!(
        out.stdout.contains("pack elb@2: 1 runs evaluated again"),
        "{out}"
    );
    assert!(out.stdout.contains("new findings: 1"), "{out}");
    assert!(out.stdout.contains("aws_lb_target_group.web"), "{out}");
    let out = s.cli(
        &mia,
        &[
            "simulate",
            "--policy",
            P,
            "--level",
            "mandatory",
            "--pack",
            "elb@9",
        ],
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("no pack `elb` version `9`"), "{out}");

    // The stored input holds no secret: not the password, not in any table (PostgreSQL shows
    // raw bytes as hex, so both spellings are searched); it marks where the secret was.
    let stored = s.stored();
    let holds = |needle: &[u8]| {
        let hex: String = needle.iter().map(|b| format!("{b:02x}")).collect();
        stored.windows(needle.len()).any(|w| w == needle)
            || stored.windows(hex.len()).any(|w| w == hex.as_bytes())
    };
    assert!(
        !holds(PASSWORD.as_bytes()),
        "the password reached the database"
    );
    assert!(
        holds(b"$guardrail-secret"),
        "the stored input marks where the secret was"
    );

    // Promotion: a member and an auditor may not; a policy admin of other packs may not.
    for (who, token) in [("member", &mia), ("auditor", &aud)] {
        let out = s.cli(
            token,
            &[
                "promote",
                "--group",
                "default",
                "--policy",
                P,
                "--level",
                "mandatory",
            ],
        );
        assert_eq!(out.code, 2, "{who}: {out}");
        assert!(out.stderr.contains("may not do this"), "{who}: {out}");
    }
    let r = s.call(
        "POST",
        "/api/v1/orgs/default/groups/default/promote",
        &lim,
        Some(json!({"policy": P, "level": "mandatory"})),
    );
    assert_eq!(r.status, 403, "{}", r.error_message());
    assert!(
        r.error_message().contains("pack `elb`"),
        "{}",
        r.error_message()
    );
    // Refused: 2 of 2 runs, above 5%; exit code 1 with the numbers, HTTP 409.
    let out = s.cli(
        &pat,
        &[
            "promote",
            "--group",
            "default",
            "--policy",
            P,
            "--level",
            "mandatory",
        ],
    );
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("not promoted"), "{out}");
    assert!(out.stdout.contains("2 of 2 runs (100.0%)"), "{out}");
    let r = s.call(
        "POST",
        "/api/v1/orgs/default/groups/default/promote",
        &pat,
        Some(json!({"policy": P, "level": "mandatory", "max_blocked_share": 0.5})),
    );
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["error"]["code"], "refused");
    assert_eq!(r.json()["promotion"]["simulation"]["blocked_by_policy"], 2);
    let group = s.ok("GET", "/api/v1/orgs/default/groups/default", &pat, None);
    assert!(group["packs"][0].get("policies").is_none(), "{group}");
    // Forced, by the policy admin of `elb`.
    let out = s.cli(
        &eve,
        &[
            "promote",
            "--group",
            "default",
            "--policy",
            P,
            "--level",
            "mandatory",
            "--force",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("advisory -> mandatory [forced]"),
        "{out}"
    );
    let group = s.ok("GET", "/api/v1/orgs/default/groups/default", &pat, None);
    assert_eq!(group["packs"][0]["policies"][P]["level"], "mandatory");
    let log = s.ok(
        "GET",
        "/api/v1/orgs/default/audit-log?kind=group",
        &s.root,
        None,
    );
    let promote = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "promote")
        .unwrap()
        .clone();
    assert_eq!(promote["actor"], "eve");
    let after: Value = match &promote["after"] {
        Value::String(t) => serde_json::from_str(t).unwrap(),
        v => v.clone(),
    };
    assert_eq!(after["promotion"]["forced"], true);
    assert_eq!(after["promotion"]["to"], "mandatory");
    let sims = s.ok(
        "GET",
        "/api/v1/orgs/default/audit-log?kind=simulation",
        &aud,
        None,
    );
    assert_eq!(sims["entries"].as_array().unwrap().len(), 6, "{sims:#}");

    // Exemptions: approved only by a policy admin of the pack the stack takes the policy from.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let expires = guardrail_server::simulate::date(i64::try_from(now).unwrap() + 30 * 86_400);
    let request_exemption = |policy: &str| {
        s.ok(
            "POST",
            "/api/v1/orgs/default/exemptions",
            &mia,
            Some(
                json!({"stack": "app/prod", "policy": policy, "resource": "aws_lb_target_group.ssh",
                "reason": "migration", "expires": expires}),
            ),
        )["id"]
            .as_i64()
            .unwrap()
    };
    let e = request_exemption(P);
    let r = s.call(
        "POST",
        &format!("/api/v1/orgs/default/exemptions/{e}/approve"),
        &lim,
        None,
    );
    assert_eq!(r.status, 403, "{}", r.error_message());
    s.ok(
        "POST",
        &format!("/api/v1/orgs/default/exemptions/{e}/approve"),
        &eve,
        None,
    );
    // A policy of no required pack: only an admin or an unlimited policy admin decides.
    let e = request_exemption("AWS-S3-001");
    let r = s.call(
        "POST",
        &format!("/api/v1/orgs/default/exemptions/{e}/deny"),
        &eve,
        None,
    );
    assert_eq!(r.status, 403);
    assert!(
        r.error_message().contains("comes from no pack"),
        "{}",
        r.error_message()
    );
    s.ok(
        "POST",
        &format!("/api/v1/orgs/default/exemptions/{e}/deny"),
        &pat,
        None,
    );

    // Grants change through the API, audited; then `lim` may publish `elb`.
    let r = s.call(
        "PATCH",
        "/api/v1/orgs/default/users/lim",
        &mia,
        Some(json!({"packs": ["elb"]})),
    );
    assert_eq!(r.status, 403);
    let changed = s.ok(
        "PATCH",
        "/api/v1/orgs/default/users/lim",
        &s.root,
        Some(json!({"packs": ["elb", "net-*"]})),
    );
    assert_eq!(changed["user"]["packs"], json!(["elb", "net-*"]));
    assert_eq!(
        publish(&s, &lim, "elb", "3", json!({"select": [P]})).status,
        201
    );
    let r = s.call(
        "PATCH",
        "/api/v1/orgs/default/users/lim",
        &s.root,
        Some(json!({"packs": []})),
    );
    assert_eq!(r.status, 400);
    let users = s.ok(
        "GET",
        "/api/v1/orgs/default/audit-log?kind=user",
        &aud,
        None,
    );
    let actions: Vec<(&str, &str)> = users["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["target"].as_str().unwrap()))
        .collect();
    assert_eq!(
        actions,
        [
            ("update", "lim"),
            ("create", "aud"),
            ("create", "mia"),
            ("create", "lim"),
            ("create", "eve"),
            ("create", "pat")
        ]
    );
    // The same through `guardrail user`.
    let out = s.cli(
        &s.root,
        &[
            "user",
            "add",
            "kim",
            "--role",
            "policy-admin",
            "--packs",
            "elb,net-*",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout.contains("added kim") && out.stdout.contains("packs: elb, net-*"),
        "{out}"
    );
    let out = s.cli(&s.root, &["user", "set", "kim", "--all-packs"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stdout.contains("packs: every pack"), "{out}");
    let out = s.cli(&s.root, &["user", "set", "kim"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("nothing to change for `kim`"), "{out}");
    let out = s.cli(&aud, &["user", "add", "zed", "--role", "member"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("may not do this"), "{out}");
    let out = s.cli(&aud, &["user", "list", "--format", "json"]);
    assert_eq!(out.code, 0, "{out}");
    let listed: Value = serde_json::from_str(&out.stdout).unwrap();
    let kim = listed["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "kim")
        .unwrap();
    assert_eq!(kim["packs"], Value::Null);
    let users = s.ok("GET", "/api/v1/orgs/default/users", &s.root, None);
    let pat_row = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "pat")
        .unwrap();
    assert_eq!(pat_row["packs"], Value::Null, "unlimited by default");
    drop(tmp);
}

/// Copies a directory tree.
fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// A Rego pack's new version, evaluated again on a stored input: PG-001 1.1.0 also calls port
/// 8080 administrative, so the run's `web` target group is a new finding; `ssh` stays.
fn a_new_rego_pack_version_is_evaluated_on_the_stored_inputs(postgres: Option<String>) {
    let tmp = temp_dir();
    let dir = std::path::PathBuf::from(tmp.path());
    let server = guardrail_server::spawn(guardrail_server::ServeConfig {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.join("data"),
        database: postgres.clone(),
        tls: None,
    })
    .unwrap();
    let s = Service {
        url: server.url.clone(),
        root: server.bootstrap_token.clone().unwrap(),
        dir: dir.clone(),
        postgres,
    };
    let example = common::root().join("examples/packs/platform-guardrails");
    let next = dir.join("platform-guardrails-1.1.0");
    copy_dir(&example, &next);
    let policy = next.join("policies/pg001_dangerous_ports.rego");
    let text = std::fs::read_to_string(&policy).unwrap();
    let changed = text.replace(
        "default: [22, 23, 3389, 5432, 3306]",
        "default: [22, 23, 3389, 5432, 3306, 8080]",
    );
    assert_ne!(
        text, changed,
        "the example's default ports moved; update this test"
    );
    std::fs::write(&policy, changed).unwrap();
    for (version, path) in [("1.0.0", &example), ("1.1.0", &next)] {
        let doc = guardrail_server::client::pack_document(path).unwrap();
        let r = s.call(
            "PUT",
            &format!("/api/v1/orgs/default/packs/platform-guardrails/versions/{version}"),
            &s.root,
            Some(doc),
        );
        assert_eq!(r.status, 201, "{}", r.error_message());
    }
    s.ok(
        "PUT",
        "/api/v1/orgs/default/groups/default",
        &s.root,
        Some(json!({"packs": [{"name": "platform-guardrails", "version": "1.0.0", "level": "advisory"}]})),
    );
    let r = s.call(
        "POST",
        "/api/v1/stacks/default/app/prod/evaluations?select=AWS-S3-001",
        &s.root,
        Some(plan()),
    );
    assert_eq!(r.status, 200, "{}", r.error_message());
    let out = s.cli(
        &s.root,
        &[
            "simulate",
            "--policy",
            "PG-001",
            "--level",
            "mandatory",
            "--pack",
            "platform-guardrails@1.1.0",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    let sim: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        (sim["runs"].as_i64(), sim["reevaluated"].as_i64()),
        (Some(1), Some(1)),
        "{sim:#}"
    );
    let resources = |key: &str| -> Vec<String> {
        sim[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["resource"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(resources("new_findings"), ["aws_lb_target_group.web"]);
    assert!(resources("disappearing_findings").is_empty());
    assert_eq!(sim["changed_runs"][0]["after"], "blocked");
    drop(tmp);
}

#[test]
fn rego_pack_version_sqlite() {
    a_new_rego_pack_version_is_evaluated_on_the_stored_inputs(None);
}

#[test]
fn rego_pack_version_postgres() {
    match guardrail_store::test_postgres_url("simulate_rego") {
        Ok(Some(url)) => a_new_rego_pack_version_is_evaluated_on_the_stored_inputs(Some(url)),
        Ok(None) => {}
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn simulate_and_promote_sqlite() {
    simulate_and_promote_through_the_cli_and_the_api(None);
}

#[test]
fn simulate_and_promote_postgres() {
    match guardrail_store::test_postgres_url("simulate_cli") {
        Ok(Some(url)) => simulate_and_promote_through_the_cli_and_the_api(Some(url)),
        Ok(None) => {}
        Err(e) => panic!("{e}"),
    }
}
