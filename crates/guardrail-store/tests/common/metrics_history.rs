//! A hand-built history for the metrics tests (the store's, and the API's and CLI's in the
//! `guardrail` crate), with every expected number worked out by hand beside it.
//!
//! Days: D0 = 2024-10-04 (UTC), D1 = 2024-10-05, D2 = 2024-10-06; the window is D0..D3.
//! Packs: `cat` (policies AWS-1, AWS-2, AWS-3) and `platform@1.0.0` (PG-1, PG-2).
//!
//! | run | stack    | kind  | at       | outcome | findings (fingerprint policy outcome blocking) | coverage            | remediated |
//! |-----|----------|-------|----------|---------|------------------------------------------------|---------------------|------------|
//! | r1  | app/prod | plan  | D0 01:00 | blocked | F1 AWS-1 violation yes; F2 AWS-2 violation no   | 10 / 8, aws_x 2     | AWS-3 × 1  |
//! | r2  | app/prod | plan  | D0 03:00 | blocked | F1 AWS-1 violation yes; F3 AWS-2 suppressed     | 10 / 9, aws_x 1     |            |
//! | r5  | app/dev  | plan  | D0 02:00 | blocked | F4 PG-1 violation yes                           | 4 / 4               |            |
//! | r3  | app/prod | plan  | D1 01:00 | passed  | F3 AWS-2 suppressed                             | unknown (old client)|            |
//! | r4  | app/prod | state | D1 02:00 | passed  | F1 AWS-1 violation no (advisory in state)      | 10 / 9, aws_x 1     |            |
//! | r6  | app/dev  | plan  | D2 00:00 | error   | E1 PG-2 error                                   | 4 / 3, k8s_pod 1    |            |
//! | r7  | web/prod | plan  | D2 05:00 | passed  | —                                               | 5 / 5               | AWS-3 × 2  |
//!
//! (recorded in the order r1, r5, r2, r3, r4, r6, r7: by time)
//!
//! Fingerprint spans (per stack and kind):
//! - app/prod plan F1: r1 (D0 01:00) → r3 (D1 01:00): 86,400 s, closed on D1.
//! - app/prod plan F2: r1 (D0 01:00) → r2 (D0 03:00): 7,200 s, closed on D0.
//! - app/prod plan F3: r2 → still shown (suppressed) by r3: open.
//! - app/prod state F1: r4: open (the plan's F1 closing does not touch the state's).
//! - app/dev plan F4: r5: open (r6 is an error run: it closes nothing).
//!   E1 is an error finding: no span.
//!
//! Blocked streaks: app/prod plan r1 (D0 01:00) → r3 (D1 01:00): 86,400 s (r2, blocked while
//! open, opens nothing); app/dev plan r5: open (its only other run errs).
//!
//! An exemption of AWS-2 on app/prod, approved: active at the window's end.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::type_complexity
)]

use guardrail_store::metrics::{PolicyCount, RunCoverage, TypeCount};
use guardrail_store::{Decision, NewExemption, NewFinding, NewRun, Store};
use serde_json::{json, Value};

/// 2024-10-04 00:00 UTC.
pub const D0: i64 = 20_000 * 86_400;
pub const H: i64 = 3_600;
pub const D: i64 = 86_400;
/// The window, as the API and the CLI take it.
pub const SINCE: &str = "2024-10-04";
pub const UNTIL: &str = "2024-10-07";

fn finding(fp: &str, policy: &str, outcome: &str, blocking: bool) -> NewFinding {
    NewFinding {
        fingerprint: fp.into(),
        policy: policy.into(),
        pack: if policy.starts_with("PG") {
            "platform@1.0.0".into()
        } else {
            "cat".into()
        },
        resource: Some(format!("res-{fp}")),
        resource_type: Some("aws_s3_bucket".into()),
        outcome: outcome.into(),
        level: if blocking { "mandatory" } else { "advisory" }.into(),
        severity: "high".into(),
        blocking,
        central: false,
        message: format!("message {fp}"),
    }
}

fn coverage(resources: u64, covered: u64, uncovered: &[(&str, u64)], fixed: u64) -> RunCoverage {
    RunCoverage {
        resources,
        covered,
        uncovered_types: uncovered
            .iter()
            .map(|(t, n)| TypeCount {
                type_: (*t).into(),
                count: *n,
            })
            .collect(),
        remediated: (fixed > 0)
            .then(|| PolicyCount {
                policy: "AWS-3".into(),
                pack: "cat".into(),
                count: fixed,
            })
            .into_iter()
            .collect(),
    }
}

/// Records the history in the organization `org_id`: runs uploaded by `user`, the exemption
/// requested by `user` and approved by `approver`.
pub fn record(store: &dyn Store, org_id: i64, user: i64, approver: i64) {
    let f1 = finding("F1", "AWS-1", "violation", true);
    let f2 = finding("F2", "AWS-2", "violation", false);
    let f3 = finding("F3", "AWS-2", "suppressed", false);
    let f4 = finding("F4", "PG-1", "violation", true);
    let e1 = finding("E1", "PG-2", "error", false);
    let f1_state = finding("F1", "AWS-1", "violation", false);
    let runs: Vec<(
        &str,
        &str,
        &str,
        i64,
        &str,
        Vec<NewFinding>,
        Option<RunCoverage>,
    )> = vec![
        (
            "app",
            "prod",
            "plan",
            D0 + H,
            "blocked",
            vec![f1.clone(), f2],
            Some(coverage(10, 8, &[("aws_x", 2)], 1)),
        ),
        (
            "app",
            "dev",
            "plan",
            D0 + 2 * H,
            "blocked",
            vec![f4],
            Some(coverage(4, 4, &[], 0)),
        ),
        (
            "app",
            "prod",
            "plan",
            D0 + 3 * H,
            "blocked",
            vec![f1, f3.clone()],
            Some(coverage(10, 9, &[("aws_x", 1)], 0)),
        ),
        ("app", "prod", "plan", D0 + D + H, "passed", vec![f3], None),
        (
            "app",
            "prod",
            "state",
            D0 + D + 2 * H,
            "passed",
            vec![f1_state],
            Some(coverage(10, 9, &[("aws_x", 1)], 0)),
        ),
        (
            "app",
            "dev",
            "plan",
            D0 + 2 * D,
            "error",
            vec![e1],
            Some(coverage(4, 3, &[("k8s_pod", 1)], 0)),
        ),
        (
            "web",
            "prod",
            "plan",
            D0 + 2 * D + 5 * H,
            "passed",
            vec![],
            Some(coverage(5, 5, &[], 2)),
        ),
    ];
    for (project, stack, kind, at, outcome, findings, cov) in &runs {
        store
            .record_run(
                org_id,
                user,
                NewRun {
                    project,
                    stack,
                    kind,
                    source: "client",
                    outcome,
                    commit: None,
                    branch: None,
                    pull_request: None,
                    actor: None,
                    summary: "{}",
                    findings,
                    coverage: cov.as_ref(),
                },
                *at,
            )
            .unwrap();
    }
    let e = store
        .request_exemption(
            org_id,
            user,
            NewExemption {
                project: "app",
                stack: "prod",
                policy: "AWS-2",
                resource: "res-F3",
                reason: "hand-built",
                expires: "2025-01-31",
                expires_at: D0 + 120 * D,
                ticket: None,
                break_glass: false,
            },
            D0,
        )
        .unwrap();
    store
        .decide_exemption(org_id, approver, e.id, Decision::Approve, D0 + H)
        .unwrap()
        .unwrap();
}

fn spans(resolved: u64, median: Option<i64>, p90: Option<i64>, open: u64) -> Value {
    json!({"resolved": resolved, "median_seconds": median, "p90_seconds": p90, "open": open})
}

/// The numbers of the whole window, every stack, no pack or policy.
pub fn check_all(doc: &Value) {
    assert_eq!(doc["schema"], "guardrail.metrics/v1");
    assert_eq!(
        (doc["since"].as_i64(), doc["until"].as_i64()),
        (Some(D0), Some(D0 + 3 * D))
    );
    let t = &doc["totals"];
    // 7 runs; violated: r1, r2, r4, r5 (r3 only suppressed, r6 an error finding, r7 nothing)
    assert_eq!(t["runs"], 7);
    assert_eq!(t["violated_runs"], 4);
    assert_eq!(t["violation_rate"], 4.0 / 7.0);
    // blocked: a blocking finding in r1, r2, r5
    assert_eq!(t["blocked_runs"], 3);
    assert_eq!(t["blocked_rate"], 3.0 / 7.0);
    assert_eq!(t["error_runs"], 1);
    // violations: r1 2, r2 1, r4 1, r5 1 = 5; suppressed: r2, r3 = 2; 2 / (5 + 2)
    assert_eq!(
        (t["violations"].as_u64(), t["suppressed"].as_u64()),
        (Some(5), Some(2))
    );
    assert_eq!(t["exemption_rate"], 2.0 / 7.0);
    // spans closed in the window: F2 7,200 s and F1 86,400 s; median the lower middle
    // (7,200), p90 rank ceil(0.9 × 2) = 2 (86,400); open: F3, F1 (state), F4
    assert_eq!(t["remediation"], spans(2, Some(7_200), Some(86_400), 3));
    // coverage: 6 runs reported it (r3 did not): 10 + 4 + 10 + 10 + 4 + 5 = 43 resources,
    // 8 + 4 + 9 + 9 + 3 + 5 = 38 covered
    assert_eq!(
        t["coverage"],
        json!({"runs_known": 6, "runs_unknown": 1, "resources": 43, "covered": 38, "share": 38.0 / 43.0})
    );
    // remediate fixed 1 (r1) + 2 (r7); 2 spans closed by a change: 3 / 5
    assert_eq!(
        t["automation"],
        json!({"by_remediate": 3, "by_change": 2, "share": 0.6})
    );
    // 3 stacks ran; 7 runs / (3 stacks × 3 days)
    assert_eq!(t["stacks"], 3);
    assert_eq!(t["runs_per_stack_day"], 7.0 / 9.0);
    // the app/prod streak closed after 86,400 s; app/dev's stays open
    assert_eq!(
        t["blocked_to_passing"],
        spans(1, Some(86_400), Some(86_400), 1)
    );

    let daily = doc["daily"].as_array().unwrap();
    let days: Vec<&str> = daily.iter().map(|d| d["day"].as_str().unwrap()).collect();
    assert_eq!(days, ["2024-10-04", "2024-10-05", "2024-10-06"]);
    let (d0, d1, d2) = (&daily[0], &daily[1], &daily[2]);
    // D0: r1, r2, r5, all violated and blocked; violations 2 + 1 + 1, suppressed 1 (r2)
    assert_eq!(
        (
            d0["runs"].as_u64(),
            d0["violated_runs"].as_u64(),
            d0["blocked_runs"].as_u64()
        ),
        (Some(3), Some(3), Some(3))
    );
    assert_eq!(
        (d0["violations"].as_u64(), d0["suppressed"].as_u64()),
        (Some(4), Some(1))
    );
    // F2 closed that day after 7,200 s; open at its end: F1 (plan), F3, F4
    assert_eq!(d0["remediation"], spans(1, Some(7_200), Some(7_200), 3));
    // r1 10/8, r2 10/9, r5 4/4
    assert_eq!(d0["coverage"]["resources"], 24);
    assert_eq!(d0["coverage"]["covered"], 21);
    assert_eq!(
        d0["automation"],
        json!({"by_remediate": 1, "by_change": 1, "share": 0.5})
    );
    // two stacks ran (app/prod, app/dev): 3 / 2
    assert_eq!(
        (d0["stacks"].as_u64(), d0["runs_per_stack_day"].as_f64()),
        (Some(2), Some(1.5))
    );
    // both streaks open at the end of D0
    assert_eq!(d0["blocked_to_passing"], spans(0, None, None, 2));
    // D1: r3 (only suppressed), r4 (violation): 1 violated, none blocked
    assert_eq!(
        (
            d1["runs"].as_u64(),
            d1["violated_runs"].as_u64(),
            d1["blocked_runs"].as_u64()
        ),
        (Some(2), Some(1), Some(0))
    );
    // F1 (plan) closed after 86,400 s; open: F3, F1 (state, opened that day), F4
    assert_eq!(d1["remediation"], spans(1, Some(86_400), Some(86_400), 3));
    // r3 unknown, r4 10/9
    assert_eq!(
        d1["coverage"],
        json!({"runs_known": 1, "runs_unknown": 1, "resources": 10, "covered": 9, "share": 0.9})
    );
    assert_eq!(
        d1["automation"],
        json!({"by_remediate": 0, "by_change": 1, "share": 0.0})
    );
    assert_eq!(
        d1["blocked_to_passing"],
        spans(1, Some(86_400), Some(86_400), 1)
    );
    // D2: r6 (error), r7; nothing violated, no findings to exempt
    assert_eq!(
        (
            d2["runs"].as_u64(),
            d2["error_runs"].as_u64(),
            d2["violated_runs"].as_u64()
        ),
        (Some(2), Some(1), Some(0))
    );
    assert_eq!(d2["exemption_rate"], Value::Null);
    assert_eq!(d2["remediation"], spans(0, None, None, 3));
    assert_eq!(
        d2["automation"],
        json!({"by_remediate": 2, "by_change": 0, "share": 1.0})
    );
    assert_eq!(d2["coverage"]["share"], 8.0 / 9.0);

    // AWS-1: violated r1, r2, r4, blocked r1, r2, 3 violations, open F1 (state);
    // AWS-2 and PG-1 tie at 1 violated run and 1 violation: by id. PG-2 (an error) and AWS-3
    // (only fixed) have no violation.
    assert_eq!(
        doc["top_policies"],
        json!([
            {"policy": "AWS-1", "pack": "cat", "violated_runs": 3, "blocked_runs": 2, "violations": 3, "suppressed": 0, "open": 1, "active_exemptions": 0},
            {"policy": "AWS-2", "pack": "cat", "violated_runs": 1, "blocked_runs": 0, "violations": 1, "suppressed": 2, "open": 1, "active_exemptions": 1},
            {"policy": "PG-1", "pack": "platform@1.0.0", "violated_runs": 1, "blocked_runs": 1, "violations": 1, "suppressed": 0, "open": 1, "active_exemptions": 0},
        ])
    );
    // app/prod 3 of 4 violated (r1, r2, r4), open F3 + F1 (state); app/dev 1 of 2; web/prod 0
    assert_eq!(
        doc["worst_stacks"],
        json!([
            {"stack": "app/prod", "runs": 4, "violated_runs": 3, "blocked_runs": 2, "violation_rate": 0.75, "open": 2},
            {"stack": "app/dev", "runs": 2, "violated_runs": 1, "blocked_runs": 1, "violation_rate": 0.5, "open": 1},
            {"stack": "web/prod", "runs": 1, "violated_runs": 0, "blocked_runs": 0, "violation_rate": 0.0, "open": 0},
        ])
    );
    // the latest coverage-reporting run of each stack: app/prod r4 (aws_x 1), app/dev r6
    // (k8s_pod 1), web/prod r7 (none); r1's aws_x 2 is history
    assert_eq!(
        doc["uncovered_types"],
        json!([
            {"type": "aws_x", "resources": 1, "stacks": 1},
            {"type": "k8s_pod", "resources": 1, "stacks": 1},
        ])
    );
    assert_eq!(
        doc["active_exemptions"],
        json!([{"policy": "AWS-2", "active": 1}])
    );
}

/// `stack=app/dev`: r5 (blocked) and r6 (error).
pub fn check_app_dev(doc: &Value) {
    assert_eq!(doc["stack"], "app/dev");
    let t = &doc["totals"];
    assert_eq!(
        (
            t["runs"].as_u64(),
            t["violated_runs"].as_u64(),
            t["blocked_runs"].as_u64(),
            t["error_runs"].as_u64()
        ),
        (Some(2), Some(1), Some(1), Some(1))
    );
    // F4 never closed: the error run closes nothing
    assert_eq!(t["remediation"], spans(0, None, None, 1));
    // a stack whose only (non-error) run is blocked: an open streak, no duration
    assert_eq!(t["blocked_to_passing"], spans(0, None, None, 1));
    assert_eq!(t["runs_per_stack_day"], 2.0 / 3.0);
    assert_eq!(
        doc["uncovered_types"],
        json!([{"type": "k8s_pod", "resources": 1, "stacks": 1}])
    );
    assert_eq!(doc["active_exemptions"], json!([]));
}

/// `policy=AWS-1`: runs of every stack, violations of AWS-1 only.
pub fn check_policy_aws_1(doc: &Value) {
    let t = &doc["totals"];
    // violated and blocked by AWS-1: r1, r2 (blocking), r4 (advisory)
    assert_eq!(
        (
            t["runs"].as_u64(),
            t["violated_runs"].as_u64(),
            t["blocked_runs"].as_u64()
        ),
        (Some(7), Some(3), Some(2))
    );
    assert_eq!(
        (t["violations"].as_u64(), t["suppressed"].as_u64()),
        (Some(3), Some(0))
    );
    // F1 (plan) closed after a day; F1 (state) open
    assert_eq!(t["remediation"], spans(1, Some(86_400), Some(86_400), 1));
    assert_eq!(
        t["automation"],
        json!({"by_remediate": 0, "by_change": 1, "share": 0.0})
    );
    // not kept per policy
    assert_eq!(t["coverage"], Value::Null);
    assert_eq!(t["blocked_to_passing"], Value::Null);
    assert_eq!(doc["top_policies"].as_array().unwrap().len(), 1);
    assert_eq!(doc["uncovered_types"], json!([]));
}

/// `pack=cat` (every version): a run counts once even when two of its policies fire.
pub fn check_pack_cat(doc: &Value) {
    let t = &doc["totals"];
    // r1 (AWS-1 and AWS-2: once), r2, r4
    assert_eq!(
        (t["violated_runs"].as_u64(), t["blocked_runs"].as_u64()),
        (Some(3), Some(2))
    );
    // AWS-1 3 + AWS-2 1; suppressed AWS-2 2; fixed by AWS-3 3
    assert_eq!(
        (t["violations"].as_u64(), t["suppressed"].as_u64()),
        (Some(4), Some(2))
    );
    // spans of cat closed: F1, F2; open F3, F1 (state)
    assert_eq!(t["remediation"], spans(2, Some(7_200), Some(86_400), 2));
    assert_eq!(
        t["automation"],
        json!({"by_remediate": 3, "by_change": 2, "share": 0.6})
    );
    let policies: Vec<&str> = doc["top_policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["policy"].as_str().unwrap())
        .collect();
    assert_eq!(policies, ["AWS-1", "AWS-2"]);
    assert_eq!(
        doc["active_exemptions"],
        json!([{"policy": "AWS-2", "active": 1}])
    );
}
