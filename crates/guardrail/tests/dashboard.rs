//! The dashboard end to end, in a real headless browser: a real `guardrail serve`, a history
//! filled through the API and by `guardrail check --server`, and `tests/dashboard/e2e.cjs`
//! driving Debian's Chromium with playwright-core (from `.ci/node_modules`, which `.ci/run`
//! installs): sign in, read the charts' numbers (compared here with the API's metrics),
//! approve a pending exemption with the queue's button; then the next `check --server` run has
//! the finding suppressed.
//!
//! Without Chromium or playwright-core the test prints `skipped (no chromium)` and passes;
//! with `CI=true` it fails instead.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use common::{root, run_with, temp_dir};
use serde_json::{json, Value};

struct Server {
    child: Child,
    url: String,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data_dir: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guardrail"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut server = Server {
        child,
        url: String::new(),
        token: String::new(),
    };
    loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(t) = line.trim().strip_prefix("grd_") {
            server.token = format!("grd_{t}");
        }
        if let Some(rest) = line.split("listening on ").nth(1) {
            server.url = rest.split(' ').next().unwrap().to_owned();
            return server;
        }
    }
}

fn api(url: &str, method: &str, path: &str, token: &str, body: Option<Value>) -> Value {
    let bytes = body.map(|b| b.to_string().into_bytes());
    let r = guardrail_server::client::request(url, method, path, Some(token), bytes.as_deref())
        .unwrap();
    assert!(
        (200..300).contains(&r.status),
        "{method} {path}: {}",
        r.error_message()
    );
    r.json()
}

/// Chromium and playwright-core, or why the test cannot run.
fn browser() -> Result<(PathBuf, PathBuf), String> {
    let chromium = std::env::var_os("GUARDRAIL_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let playwright = root().join(".ci/node_modules/playwright-core");
    if !chromium.exists() {
        return Err(format!("no Chromium at `{}`", chromium.display()));
    }
    if !playwright.join("package.json").exists() {
        return Err(format!("no playwright-core in `{}`", playwright.display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Err("no `node`".into());
    }
    Ok((chromium, playwright))
}

#[test]
fn a_browser_signs_in_reads_the_charts_and_approves_an_exemption_that_the_next_run_applies() {
    let (chromium, playwright) = match browser() {
        Ok(found) => found,
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => panic!(
            "{why}, and `CI=true`: the dashboard's browser test needs Debian's `chromium` and `.ci/node_modules/playwright-core` (`.ci/run` installs both)"
        ),
        Err(why) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "skipped (no chromium): a_browser_signs_in_reads_the_charts_and_approves_an_exemption_that_the_next_run_applies ({why})"
            );
            return;
        }
    };
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let server = serve(&data);
    let (url, root_token) = (server.url.clone(), server.token.clone());

    // The organization `default`: a mandatory load-balancer policy for every stack, a policy
    // admin and a member.
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
    api(
        &url,
        "PUT",
        "/api/v1/orgs/default/groups/default",
        &root_token,
        Some(json!({"packs": [{"name": "base", "version": "1", "level": "mandatory"}]})),
    );
    let user = |name: &str, role: &str| {
        api(
            &url,
            "POST",
            "/api/v1/orgs/default/users",
            &root_token,
            Some(json!({"name": name, "role": role})),
        );
        api(
            &url,
            "POST",
            "/api/v1/orgs/default/tokens",
            &root_token,
            Some(json!({"user": name, "description": "t"})),
        )["token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let pat = user("pat", "policy-admin");
    let mia = user("mia", "member");

    // The history: two blocked `check --server` runs of shop/prod, and runs of other stacks
    // uploaded through the API.
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
    for _ in 0..2 {
        assert_eq!(check().code, 1, "the mandatory policy blocks");
    }
    for (stack, outcome, findings) in [
        (
            "web/prod",
            "blocked",
            vec![("AWS-S3-001", "aws_s3_bucket.site", "violation")],
        ),
        ("web/prod", "passed", vec![]),
        (
            "web/dev",
            "passed",
            vec![("AWS-S3-002", "aws_s3_bucket.tmp", "indeterminate")],
        ),
    ] {
        let findings: Vec<Value> = findings
            .iter()
            .map(|(p, r, o)| json!({"fingerprint": format!("{p}:{r}"), "policy": p, "pack": "builtin",
                "resource": r, "resource_type": "aws_s3_bucket", "outcome": o, "level": "mandatory",
                "severity": "high", "blocking": *o == "violation", "message": "the bucket is public"}))
            .collect();
        api(
            &url,
            "POST",
            &format!("/api/v1/stacks/default/{stack}/runs"),
            &mia,
            Some(json!({"kind": "plan", "outcome": outcome, "findings": findings})),
        );
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let requested = api(
        &url,
        "POST",
        "/api/v1/orgs/default/exemptions",
        &mia,
        Some(json!({
        "stack": "shop/prod", "policy": "AWS-ELB-001", "resource": "aws_lb_target_group.*",
        "reason": "legacy ssh target", "expires": guardrail_server::exemptions::date_of(now + 7 * 86_400)})),
    );
    let id = requested["id"].as_i64().unwrap();
    // The API's metrics over the overview's window: the last 30 UTC days, today included.
    let since = guardrail_server::exemptions::date_of((now.div_euclid(86_400) - 29) * 86_400);
    let metrics = api(
        &url,
        "GET",
        &format!("/api/v1/orgs/default/metrics?since={since}"),
        &pat,
        None,
    );
    let from_store = store_metrics(&data);
    for key in [
        "totals",
        "daily",
        "top_policies",
        "worst_stacks",
        "active_exemptions",
    ] {
        assert_eq!(
            metrics[key], from_store[key],
            "the API answers the store's `{key}`"
        );
    }

    // The browser.
    let screenshot = format!("{}/overview.png", dir.path());
    let run = Command::new("node")
        .arg(root().join("crates/guardrail/tests/dashboard/e2e.cjs"))
        .env("GUARDRAIL_URL", &url)
        .env("GUARDRAIL_TOKEN", &pat)
        .env("GUARDRAIL_EXEMPTION", id.to_string())
        .env("PLAYWRIGHT_CORE", &playwright)
        .env("CHROMIUM", &chromium)
        .env("SCREENSHOT", &screenshot)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the browser script failed: {stderr}");
    let seen: Value = serde_json::from_slice(&run.stdout).unwrap();
    if let Ok(keep) = std::env::var("GUARDRAIL_KEEP_SCREENSHOT") {
        let _ = std::fs::copy(&screenshot, keep);
    }
    assert_eq!(seen["redirectedTo"], "/login", "{seen}");
    assert_eq!(
        (seen["signedInAs"].as_str(), seen["role"].as_str()),
        (Some("pat"), Some("policy-admin"))
    );
    assert_eq!(
        seen["documentCookie"], "",
        "the session cookie is HttpOnly: {seen}"
    );
    assert_eq!(
        seen["sessionCookie"],
        json!({"httpOnly": true, "sameSite": "Strict"})
    );
    charts_match_the_api(&seen, &metrics);
    assert_eq!(seen["approveButton"], true);
    assert_eq!(seen["stateAfter"], "active", "{seen}");
    assert!(
        seen["notice"]
            .as_str()
            .unwrap()
            .contains(&format!("Exemption {id} approved")),
        "{seen}"
    );
    assert_eq!(seen["afterSignOut"], "/login");

    // Approved through the page, audited as pat's decision, applied by the next run.
    let e = api(
        &url,
        "GET",
        &format!("/api/v1/orgs/default/exemptions/{id}"),
        &pat,
        None,
    );
    assert_eq!(
        (e["status"].as_str(), e["decided_by"].as_str()),
        (Some("approved"), Some("pat"))
    );
    let out = check();
    assert_eq!(
        out.code, 0,
        "the approved exemption suppresses the finding: {out}"
    );
    let runs = api(
        &url,
        "GET",
        "/api/v1/orgs/default/runs?stack=shop/prod&limit=1",
        &pat,
        None,
    );
    let run_id = runs["runs"][0]["id"].as_i64().unwrap();
    assert_eq!(runs["runs"][0]["outcome"], "passed");
    let last = api(
        &url,
        "GET",
        &format!("/api/v1/orgs/default/runs/{run_id}"),
        &pat,
        None,
    );
    let elb: Vec<&str> = last["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["policy"] == "AWS-ELB-001" && f["resource"] == "aws_lb_target_group.ssh")
        .map(|f| f["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(elb, ["suppressed"], "{last}");
}

/// The organization's metrics over the overview's default window (the last 30 UTC days), from
/// the store (`Store::metrics`, what the API and the dashboard both answer from), read from the
/// server's own database.
fn store_metrics(data_dir: &str) -> Value {
    use guardrail_store::{MetricsQuery, SqlStore, Store};
    let store = SqlStore::open(std::path::Path::new(&format!(
        "{data_dir}/guardrail.sqlite"
    )))
    .unwrap();
    let org = store.org("default").unwrap().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let query = MetricsQuery {
        since: (now.div_euclid(86_400) - 29) * 86_400,
        until: now + 1,
        top: 10,
        ..MetricsQuery::default()
    };
    serde_json::to_value(store.metrics(org.id, &query).unwrap()).unwrap()
}

/// The charts' numbers the browser read equal the metrics: every chart drawn, every number.
fn charts_match_the_api(seen: &Value, metrics: &Value) {
    let daily = |key: &str| -> Vec<(String, f64)> {
        metrics["daily"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| !d[key].is_null())
            .map(|d| {
                (
                    d["day"].as_str().unwrap().to_owned(),
                    d[key].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let listed = |list: &str, label: &str, key: &str| -> Vec<(String, f64)> {
        metrics[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p[label].as_str().unwrap().to_owned(),
                    p[key].as_f64().unwrap_or(0.0),
                )
            })
            .collect()
    };
    let expected = [
        ("violation-rate", daily("violation_rate")),
        ("blocked-runs", daily("blocked_runs")),
        ("exemption-rate", daily("exemption_rate")),
        (
            "top-policies",
            listed("top_policies", "policy", "violated_runs"),
        ),
        (
            "worst-stacks",
            listed("worst_stacks", "stack", "violation_rate"),
        ),
    ];
    for (chart, want) in expected {
        let got: Vec<(String, f64)> = seen["charts"][chart]["rows"]
            .as_array()
            .unwrap_or_else(|| panic!("no chart `{chart}` in the page: {seen}"))
            .iter()
            .map(|r| (r[0].as_str().unwrap().to_owned(), r[1].as_f64().unwrap()))
            .collect();
        assert_eq!(got.len(), want.len(), "{chart}: {got:?} vs {want:?}");
        for ((gl, gv), (wl, wv)) in got.iter().zip(&want) {
            assert_eq!(gl, wl, "{chart}");
            assert!(
                (gv - wv).abs() < 1e-9,
                "{chart} {gl}: the page says {gv}, the metrics {wv}"
            );
        }
        assert!(!want.is_empty(), "{chart} has numbers in this history");
        assert_eq!(seen["charts"][chart]["svg"], true, "{chart} is drawn");
    }
    // Worked out by hand: before the approval, today holds 2 blocked `check` runs of shop/prod
    // and 3 uploads (one blocked): 5 runs, 3 blocked.
    let today = daily("blocked_runs");
    assert_eq!(
        today.last().unwrap().1,
        3.0,
        "two blocked checks and one blocked upload"
    );
    assert_eq!(
        seen["tiles"]["runs"].as_str(),
        Some(metrics["totals"]["runs"].to_string().as_str())
    );
    assert_eq!(metrics["totals"]["runs"], 5);
    assert_eq!(metrics["top_policies"][0]["policy"], "AWS-ELB-001");
}
