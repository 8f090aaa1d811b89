//! `guardrail metrics` and `GET /api/v1/orgs/{org}/metrics` on a hand-built history (the
//! store's tests/common/metrics_history.rs, every number worked out there): the API and the
//! CLI give the same document, groups are the stacks they match today, and only the
//! organization's users read it. On SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

#[path = "../../guardrail-store/tests/common/metrics_history.rs"]
mod history;

use guardrail_server::client::{request, Response};
use guardrail_server::{spawn, ServeConfig};
use guardrail_store::{SqlStore, Store};
use serde_json::{json, Value};

use common::{root, run_with, temp_dir};

fn call(url: &str, method: &str, path: &str, token: &str, body: Option<Value>) -> Response {
    let bytes = body.map(|b| b.to_string().into_bytes());
    request(url, method, path, Some(token), bytes.as_deref()).unwrap()
}

fn user_token(url: &str, admin: &str, user: &str, role: &str, stacks: &[&str]) -> String {
    if !user.is_empty() {
        let r = call(
            url,
            "POST",
            "/api/v1/orgs/acme/users",
            admin,
            Some(json!({"name": user, "role": role})),
        );
        assert_eq!(r.status, 201, "{}", r.error_message());
    }
    let mut body = json!({"user": if user.is_empty() { "mia" } else { user }, "description": "t"});
    if !stacks.is_empty() {
        body["stacks"] = json!(stacks);
    }
    let r = call(url, "POST", "/api/v1/orgs/acme/tokens", admin, Some(body));
    assert_eq!(r.status, 201, "{}", r.error_message());
    r.json()["token"].as_str().unwrap().to_owned()
}

fn metrics_agree_between_the_api_and_the_cli(postgres: Option<String>) {
    let dir = temp_dir();
    let server = spawn(ServeConfig {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.path().into(),
        database: postgres.clone(),
        tls: None,
    })
    .unwrap();
    let url = server.url.clone();
    let rootk = server.bootstrap_token.clone().unwrap();
    let org = |name: &str, admin: &str| {
        let r = call(
            &url,
            "POST",
            "/api/v1/orgs",
            &rootk,
            Some(json!({"name": name, "admin": admin})),
        );
        assert_eq!(r.status, 201, "{}", r.error_message());
        r.json()["token"].as_str().unwrap().to_owned()
    };
    let admin = org("acme", "alice");
    let other = org("other", "oscar");
    let _pat = user_token(&url, &admin, "pat", "policy-admin", &[]);
    let member = user_token(&url, &admin, "mia", "member", &[]);
    let auditor = user_token(&url, &admin, "aud", "auditor", &[]);
    let ci = user_token(&url, &admin, "", "", &["app/*"]);

    // the history, at fixed times, through the real store of the running service
    let store = match &postgres {
        Some(u) => SqlStore::postgres(u).unwrap(),
        None => SqlStore::open(&std::path::Path::new(dir.path()).join("guardrail.sqlite")).unwrap(),
    };
    let acme = store.org("acme").unwrap().unwrap();
    let alice = store.user(acme.id, "alice").unwrap().unwrap();
    let pat = store.user(acme.id, "pat").unwrap().unwrap();
    history::record(&store, acme.id, alice.id, pat.id);

    let window = format!("since={}&until={}", history::SINCE, history::UNTIL);
    let api = |token: &str, extra: &str| {
        call(
            &url,
            "GET",
            &format!("/api/v1/orgs/acme/metrics?{window}{extra}"),
            token,
            None,
        )
    };
    let r = api(&member, "");
    assert_eq!(r.status, 200, "{}", r.error_message());
    let all = r.json();
    history::check_all(&all);
    // an auditor reads the same; a CI token and another organization's admin do not
    assert_eq!(api(&auditor, "").json(), all);
    assert_eq!(api(&ci, "").status, 403);
    let r = api(&other, "");
    assert_eq!(
        (r.status, r.json()["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    history::check_app_dev(&api(&member, "&stack=app/dev").json());
    history::check_policy_aws_1(&api(&member, "&policy=AWS-1").json());
    history::check_pack_cat(&api(&member, "&pack=cat").json());

    // a group is the stacks it matches today: by glob, and by the tags recorded now
    let put = |path: &str, body: Value| {
        let r = call(&url, "PUT", path, &admin, Some(body));
        assert!(r.status < 300, "{path}: {}", r.error_message());
    };
    put(
        "/api/v1/orgs/acme/groups/dev",
        json!({"stacks": ["app/dev"]}),
    );
    put(
        "/api/v1/orgs/acme/groups/tagged",
        json!({"tags": {"env": "prod"}}),
    );
    let dev = api(&member, "&group=dev").json();
    assert_eq!(dev["group"], "dev");
    assert_eq!(
        dev["totals"],
        api(&member, "&stack=app/dev").json()["totals"]
    );
    assert_eq!(api(&member, "&group=tagged").json()["totals"]["runs"], 0);
    put(
        "/api/v1/stacks/acme/web/prod",
        json!({"tags": {"env": "prod"}}),
    );
    let tagged = api(&member, "&group=tagged").json();
    // web/prod's one run (r7), tagged after it ran
    assert_eq!(tagged["totals"]["runs"], 1);
    assert_eq!(tagged["totals"]["automation"]["by_remediate"], 2);
    // the default group: every stack
    assert_eq!(
        api(&member, "&group=default").json()["totals"],
        all["totals"]
    );

    // bad requests say what is wrong
    let r = api(&member, "&group=nope");
    assert_eq!(r.status, 404);
    assert!(
        r.error_message().contains("no group `nope`"),
        "{}",
        r.error_message()
    );
    let r = call(
        &url,
        "GET",
        "/api/v1/orgs/acme/metrics?since=yesterday",
        &member,
        None,
    );
    assert_eq!(r.status, 400);
    assert!(
        r.error_message().contains("`since=yesterday`"),
        "{}",
        r.error_message()
    );

    // the CLI prints the API's document
    let cli = |args: &[&str], token: &str| {
        let mut all_args = vec![
            "metrics",
            "--server",
            &url,
            "--org",
            "acme",
            "--since",
            history::SINCE,
            "--until",
            history::UNTIL,
        ];
        all_args.extend_from_slice(args);
        run_with(&root(), &all_args, &[("GUARDRAIL_TOKEN", token)])
    };
    let out = cli(&["--format", "json"], &member);
    assert_eq!(out.code, 0, "{out}");
    assert_eq!(serde_json::from_str::<Value>(&out.stdout).unwrap(), all);
    for (args, extra) in [
        (vec!["--stack", "acme/app/dev"], "&stack=app/dev"),
        (vec!["--group", "dev"], "&group=dev"),
        (vec!["--policy", "AWS-1"], "&policy=AWS-1"),
        (vec!["--pack", "cat"], "&pack=cat"),
    ] {
        let mut args = args.clone();
        args.extend(["--format", "json"]);
        let out = cli(&args, &auditor);
        assert_eq!(out.code, 0, "{out}");
        assert_eq!(
            serde_json::from_str::<Value>(&out.stdout).unwrap(),
            api(&member, extra).json(),
            "{args:?}"
        );
    }
    // the human summary shows the same numbers
    let out = cli(&[], &member);
    assert_eq!(out.code, 0, "{out}");
    for line in [
        "metrics 2024-10-04 to 2024-10-06 (UTC days)",
        "violation rate         57.1% of runs (4 of 7), blocked 42.9% (3), errors 1",
        "time to remediation    median 2.0h, p90 1.0d (2 resolved), 3 open",
        "exemption rate         28.6% of findings suppressed (2 of 7)",
        "coverage               88.4% of resources (38 of 43; 1 runs without coverage)",
        "fixed by remediate     60.0% (3 by remediate, 2 by a later change)",
        "runs per stack a day   0.78 (3 stacks)",
        "blocked to passing     median 1.0d, p90 1.0d (1 resolved), 1 open",
        "2024-10-04      3         3        3       0         1     3",
        "AWS-1                              3        2           3           0     1           0  (cat)",
        "app/prod                     4         3  75.0%         2     2",
        "  aws_x  1 resource in 1 stack",
        "  AWS-2  1",
    ] {
        assert!(out.stdout.contains(line), "missing {line:?} in\n{}", out.stdout);
    }
    // refusals are errors (exit 2) that say what to do
    let out = cli(&[], &ci);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("not a CI token"), "{out}");
    let out = run_with(
        &root(),
        &["metrics", "--server", &url, "--org", "acme"],
        &[("GUARDRAIL_TOKEN", "")],
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("`GUARDRAIL_TOKEN` is not set"), "{out}");
}

#[test]
fn metrics_agree_between_the_api_and_the_cli_on_sqlite() {
    metrics_agree_between_the_api_and_the_cli(None);
}

#[test]
fn metrics_agree_between_the_api_and_the_cli_on_postgres() {
    if let Some(url) = guardrail_store::test_postgres_url("metrics_cli").unwrap() {
        metrics_agree_between_the_api_and_the_cli(Some(url));
    }
}

/// A plan whose coverage is worked out by hand, with `--select AWS-S3-001,PLATFORM-003`:
/// four managed resources (the data source is not evaluated); `tagged` and `untagged` are
/// covered (AWS-S3-001 violates on both, PLATFORM-003 passes on `tagged` and fixes `untagged`:
/// one violation fixed by remediate); `gone` is deleted (both policies "not applicable":
/// uncovered) and `null_resource.x` has no policy (uncovered).
fn hand_plan() -> String {
    let rc = |addr: &str, ty: &str, actions: &[&str], after: Value, mode: &str| {
        let (before, after) = match actions {
            ["create"] => (Value::Null, after),
            ["delete"] => (after, Value::Null),
            _ => (after.clone(), after),
        };
        json!({"address": addr, "mode": mode, "type": ty, "name": addr.rsplit('.').next().unwrap(),
               "provider_name": "registry.terraform.io/hashicorp/aws",
               "change": {"actions": actions, "before": before, "after": after, "after_unknown": {}}})
    };
    json!({"format_version": "1.2", "terraform_version": "1.9.0", "resource_changes": [
        rc("aws_s3_bucket.tagged", "aws_s3_bucket", &["create"], json!({"bucket": "tagged", "tags": {"Department": "payments"}}), "managed"),
        rc("aws_s3_bucket.untagged", "aws_s3_bucket", &["create"], json!({"bucket": "untagged"}), "managed"),
        rc("aws_s3_bucket.gone", "aws_s3_bucket", &["delete"], json!({"bucket": "gone"}), "managed"),
        rc("null_resource.x", "null_resource", &["create"], json!({"triggers": null}), "managed"),
        rc("data.aws_caller_identity.me", "aws_caller_identity", &["read"], json!({}), "data"),
    ]})
    .to_string()
}

fn uploads_carry_coverage_and_remediations(postgres: Option<String>) {
    let dir = temp_dir();
    let server = spawn(ServeConfig {
        listen: "127.0.0.1:0".into(),
        data_dir: dir.path().into(),
        database: postgres,
        tls: None,
    })
    .unwrap();
    let url = server.url.clone();
    let admin = server.bootstrap_token.clone().unwrap();
    let plan = hand_plan();
    // the server's own evaluation
    let r = request(
        &url,
        "POST",
        "/api/v1/stacks/default/app/prod/evaluations?select=AWS-S3-001,PLATFORM-003",
        Some(&admin),
        Some(plan.as_bytes()),
    )
    .unwrap();
    assert_eq!(r.status, 200, "{}", r.error_message());
    // the client's upload, from `guardrail check --server`
    let file = std::path::Path::new(dir.path()).join("plan.json");
    std::fs::write(&file, &plan).unwrap();
    let out = run_with(
        &root(),
        &[
            "check",
            file.to_str().unwrap(),
            "--select",
            "AWS-S3-001,PLATFORM-003",
            "--server",
            &url,
            "--stack",
            "default/app/dev",
        ],
        &[("GUARDRAIL_TOKEN", &admin)],
    );
    assert_eq!(out.code, 0, "{out}");
    assert!(out.stderr.contains("recorded on the server"), "{out}");
    // an older client's upload: no coverage
    let r = call(
        &url,
        "POST",
        "/api/v1/stacks/default/web/prod/runs",
        &admin,
        Some(json!({"kind": "plan", "outcome": "passed", "summary": {}, "findings": []})),
    );
    assert_eq!(r.status, 201, "{}", r.error_message());

    let m = call(&url, "GET", "/api/v1/orgs/default/metrics", &admin, None).json();
    let t = &m["totals"];
    assert_eq!(t["runs"], 3);
    // two runs of the plan: 4 resources and 2 covered each; the old client's run is unknown
    assert_eq!(
        t["coverage"],
        json!({"runs_known": 2, "runs_unknown": 1, "resources": 8, "covered": 4, "share": 0.5})
    );
    // `untagged` fixed by PLATFORM-003 in each run of the plan
    assert_eq!(t["automation"]["by_remediate"], 2);
    // AWS-S3-001 advisory on both buckets, in both runs of the plan
    assert_eq!(
        (
            t["violated_runs"].as_u64(),
            t["violations"].as_u64(),
            t["blocked_runs"].as_u64()
        ),
        (Some(2), Some(4), Some(0))
    );
    assert_eq!(
        m["uncovered_types"],
        json!([
            {"type": "aws_s3_bucket", "resources": 2, "stacks": 2},
            {"type": "null_resource", "resources": 2, "stacks": 2},
        ])
    );
    assert_eq!(m["top_policies"][0]["policy"], "AWS-S3-001");
    assert_eq!(m["top_policies"][0]["open"], 4);
}

#[test]
fn uploads_carry_coverage_and_remediations_on_sqlite() {
    uploads_carry_coverage_and_remediations(None);
}

#[test]
fn uploads_carry_coverage_and_remediations_on_postgres() {
    if let Some(url) = guardrail_store::test_postgres_url("metrics_upload").unwrap() {
        uploads_carry_coverage_and_remediations(Some(url));
    }
}
