//! Progressive enforcement on a hand-built history whose answers are worked out below, through
//! the store with chosen clocks (`simulate`, `promote`), on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use guardrail_core::Enforcement;
use guardrail_server::simulate::{
    promote, simulate, PromoteRequest, SimulateError, Simulation, SimulationRequest,
};
use guardrail_store::{
    AuditFilter, Decision, NewExemption, NewFinding, NewPackVersion, NewRun, NewToken, NewUser,
    Org, Role, SqlStore, Store, User,
};
use serde_json::json;

const P: &str = "AWS-ELB-001";
const Q: &str = "AWS-S3-001";
const DAY: i64 = 86_400;
/// The history's origin; "now" is ten days later.
const T0: i64 = 1_800_000_000;
const NOW: i64 = T0 + 10 * DAY;

fn finding(policy: &str, resource: &str, outcome: &str, level: &str, blocking: bool) -> NewFinding {
    NewFinding {
        fingerprint: format!("{policy}:{resource}"),
        policy: policy.into(),
        pack: "elb@1".into(),
        resource: Some(resource.into()),
        resource_type: Some("aws_lb_target_group".into()),
        outcome: outcome.into(),
        level: level.into(),
        severity: "high".into(),
        blocking,
        central: true,
        message: format!("{resource} forwards to port 22"),
    }
}

struct History {
    store: SqlStore,
    org: Org,
    admin: User,
    member: User,
    ids: Vec<i64>,
}

fn run(
    store: &SqlStore,
    org: &Org,
    by: &User,
    stack: &str,
    outcome: &str,
    findings: &[NewFinding],
    at: i64,
) -> i64 {
    let (project, name) = stack.split_once('/').unwrap();
    store
        .record_run(
            org.id,
            by.id,
            NewRun {
                project,
                stack: name,
                kind: "plan",
                source: "client",
                outcome,
                commit: None,
                branch: None,
                pull_request: None,
                actor: None,
                summary: "{}",
                findings,
                coverage: None,
            },
            at,
        )
        .unwrap()
}

fn exemption(h: &History, stack: &str, resource: &str, requested: i64, approved: i64) {
    let (project, name) = stack.split_once('/').unwrap();
    let e = h
        .store
        .request_exemption(
            h.org.id,
            h.member.id,
            NewExemption {
                project,
                stack: name,
                policy: P,
                resource,
                reason: "migration",
                expires: "2027-12-31",
                expires_at: NOW + 100 * DAY,
                ticket: None,
                break_glass: false,
            },
            requested,
        )
        .unwrap();
    h.store
        .decide_exemption(h.org.id, h.admin.id, e.id, Decision::Approve, approved)
        .unwrap()
        .unwrap();
}

/// The history (P is advisory unless said otherwise; `Q` another policy):
///
/// | run | stack    | day | findings                                   | recorded |
/// |-----|----------|-----|--------------------------------------------|----------|
/// | r7  | app/prod | -40 | P violation on `a` (outside a 30-day window) | passed |
/// | r1  | app/prod | 1   | P violation on `a`                          | passed   |
/// | r2  | app/prod | 2   | P violation on `b`, exempt since day 1.5    | passed   |
/// | r3  | app/dev  | 3   | P violation on `c`; Q violation, blocking   | blocked  |
/// | r4  | app/dev  | 4   | none                                        | passed   |
/// | r5  | web/prod | 5   | P violation on `b`, exempt only from day 6  | passed   |
/// | r6  | web/prod | 7   | P violation on `b`, exempt (since day 6)    | passed   |
/// | r8  | app/dev  | 8   | P indeterminate (not strict: not blocking)  | passed   |
/// | r9  | app/prod | 9   | P violation on `a` at mandatory, blocking   | blocked  |
///
/// `app/prod` is tagged `env=prod`; the group `prod` covers `env=prod` and requires the pack
/// `elb@1` (the catalog's AWS-ELB-001).
fn history(db: &Db) -> History {
    let store = db.open();
    let hash = "a".repeat(64);
    let org = store
        .create_org(
            "acme",
            "alice",
            NewToken {
                hash: &hash,
                description: "t",
                expires_at: None,
                stacks: &[],
            },
            T0 - 50 * DAY,
        )
        .unwrap();
    let admin = store.user(org.id, "alice").unwrap().unwrap();
    let member = store
        .add_user(
            org.id,
            NewUser {
                name: "mia",
                role: Role::Member,
                packs: None,
            },
            admin.id,
            T0,
        )
        .unwrap();
    store
        .set_stack(
            org.id,
            "app",
            "prod",
            &[("env".into(), "prod".into())],
            admin.id,
            T0,
        )
        .unwrap();
    let doc = json!({"kind": "selection", "selection": {"select": [P]}});
    let checked = guardrail_server::packs::check_document(&doc).unwrap();
    let digest = guardrail_server::auth::content_digest(&checked.canonical);
    store
        .publish(
            org.id,
            admin.id,
            NewPackVersion {
                name: "elb",
                version: "1",
                kind: checked.kind,
                digest: &digest,
                content: &checked.canonical,
            },
            T0,
        )
        .unwrap();
    store
        .put_group(
            org.id,
            "prod",
            &json!({"tags": {"env": "prod"}, "packs": [{"name": "elb", "version": "1", "level": "advisory"}]})
                .to_string(),
            admin.id,
            T0,
        )
        .unwrap();
    let mut h = History {
        store,
        org,
        admin,
        member,
        ids: Vec::new(),
    };
    let v = |r: &str| finding(P, r, "violation", "advisory", false);
    let r7 = run(
        &h.store,
        &h.org,
        &h.member,
        "app/prod",
        "passed",
        &[v("a")],
        T0 - 40 * DAY,
    );
    let r1 = run(
        &h.store,
        &h.org,
        &h.member,
        "app/prod",
        "passed",
        &[v("a")],
        T0 + DAY,
    );
    exemption(&h, "app/prod", "b", T0 + DAY, T0 + DAY + DAY / 2);
    let r2 = run(
        &h.store,
        &h.org,
        &h.member,
        "app/prod",
        "passed",
        &[v("b")],
        T0 + 2 * DAY,
    );
    let r3 = run(
        &h.store,
        &h.org,
        &h.member,
        "app/dev",
        "blocked",
        &[v("c"), finding(Q, "bucket", "violation", "mandatory", true)],
        T0 + 3 * DAY,
    );
    let r4 = run(
        &h.store,
        &h.org,
        &h.member,
        "app/dev",
        "passed",
        &[],
        T0 + 4 * DAY,
    );
    let r5 = run(
        &h.store,
        &h.org,
        &h.member,
        "web/prod",
        "passed",
        &[v("b")],
        T0 + 5 * DAY,
    );
    exemption(&h, "web/prod", "*", T0 + 5 * DAY + DAY / 2, T0 + 6 * DAY);
    let r6 = run(
        &h.store,
        &h.org,
        &h.member,
        "web/prod",
        "passed",
        &[v("b")],
        T0 + 7 * DAY,
    );
    let r8 = run(
        &h.store,
        &h.org,
        &h.member,
        "app/dev",
        "passed",
        &[finding(P, "d", "indeterminate", "advisory", false)],
        T0 + 8 * DAY,
    );
    let r9 = run(
        &h.store,
        &h.org,
        &h.member,
        "app/prod",
        "blocked",
        &[finding(P, "a", "violation", "mandatory", true)],
        T0 + 9 * DAY,
    );
    h.ids = vec![r1, r2, r3, r4, r5, r6, r7, r8, r9];
    h
}

fn request(level: Enforcement) -> SimulationRequest {
    SimulationRequest {
        policy: P.into(),
        level,
        pack: None,
        group: None,
        since: Some("30d".into()),
        until: None,
    }
}

fn changed(s: &Simulation) -> Vec<(i64, &str, &str)> {
    s.changed_runs
        .iter()
        .map(|c| (c.run, c.before.as_str(), c.after.as_str()))
        .collect()
}

fn the_simulation_relevels_stored_findings_with_exemptions_as_of_each_run(db: &Db) {
    let h = history(db);
    let [r1, _r2, r3, _r4, r5, _r6, r7, _r8, r9] = h.ids[..] else {
        panic!()
    };
    let sim = simulate(
        &h.store,
        &h.org,
        h.member.id,
        &request(Enforcement::Mandatory),
        NOW,
    )
    .unwrap();
    // r7 lies outside the window: 8 runs of 3 stacks.
    assert_eq!((sim.runs, sim.stacks), (8, 3));
    // Blocked as recorded: r3 (Q) and r9. At mandatory also r1 (no exemption) and r5 (its
    // exemption came a day later); r2 and r6 stay exempt, r8 is indeterminate without strict.
    assert_eq!((sim.blocked_before, sim.blocked_after), (2, 4));
    assert_eq!(
        changed(&sim),
        [(r1, "passed", "blocked"), (r5, "passed", "blocked")]
    );
    // P itself blocks r1, r3 (on `c`), r5 and r9.
    assert_eq!(sim.blocked_by_policy, 4);
    assert!((sim.blocked_share_before - 0.25).abs() < 1e-9);
    assert!((sim.blocked_share_after - 0.5).abs() < 1e-9);
    assert!((sim.blocked_by_policy_share - 0.5).abs() < 1e-9);
    let stacks: Vec<(&str, usize, usize, usize)> = sim
        .stacks_affected
        .iter()
        .map(|s| {
            (
                s.stack.as_str(),
                s.runs,
                s.newly_blocked,
                s.no_longer_blocked,
            )
        })
        .collect();
    assert_eq!(stacks, [("app/prod", 3, 1, 0), ("web/prod", 2, 1, 0)]);
    assert!(sim.new_findings.is_empty() && sim.disappearing_findings.is_empty());
    assert!(!changed(&sim).iter().any(|c| c.0 == r7));

    // Lower: advisory lets r9 through; r3 stays blocked by Q.
    let sim = simulate(
        &h.store,
        &h.org,
        h.member.id,
        &request(Enforcement::Advisory),
        NOW,
    )
    .unwrap();
    assert_eq!(
        (sim.blocked_before, sim.blocked_after, sim.blocked_by_policy),
        (2, 1, 0)
    );
    assert_eq!(changed(&sim), [(r9, "blocked", "passed")]);
    assert!(
        !changed(&sim).iter().any(|c| c.0 == r3),
        "r3 stays blocked by Q"
    );
    assert_eq!(sim.stacks_affected[0].no_longer_blocked, 1);
    assert_eq!(sim.stacks_affected.len(), 1);

    // Disabled: P's 7 findings of the window disappear, and r9 passes.
    let sim = simulate(
        &h.store,
        &h.org,
        h.member.id,
        &request(Enforcement::Disabled),
        NOW,
    )
    .unwrap();
    assert_eq!(changed(&sim), [(r9, "blocked", "passed")]);
    assert_eq!(sim.disappearing_findings.len(), 7);

    // The group `prod` covers app/prod only: r1, r2, r9; r1 flips.
    let mut scoped = request(Enforcement::Mandatory);
    scoped.group = Some("prod".into());
    let sim = simulate(&h.store, &h.org, h.member.id, &scoped, NOW).unwrap();
    assert_eq!((sim.runs, sim.blocked_before, sim.blocked_after), (3, 1, 2));
    assert_eq!(changed(&sim), [(r1, "passed", "blocked")]);

    // A shorter window: the last 2.5 days hold r9 only (and r8).
    let mut recent = request(Enforcement::Advisory);
    recent.since = Some((NOW - 5 * DAY / 2).to_string());
    let sim = simulate(&h.store, &h.org, h.member.id, &recent, NOW).unwrap();
    assert_eq!(
        (sim.runs, changed(&sim)),
        (2, vec![(r9, "blocked", "passed")])
    );

    // Unknown group, bad window: clear errors.
    scoped.group = Some("nope".into());
    let e = simulate(&h.store, &h.org, h.member.id, &scoped, NOW).unwrap_err();
    assert!(matches!(e, SimulateError::NotFound(_)), "{e}");
    assert!(e.to_string().contains("no group `nope`"), "{e}");
    let mut bad = request(Enforcement::Mandatory);
    bad.since = Some("soon".into());
    let e = simulate(&h.store, &h.org, h.member.id, &bad, NOW).unwrap_err();
    assert!(
        e.to_string().contains("`since` `soon` is not a time"),
        "{e}"
    );
    let mut bad = request(Enforcement::Mandatory);
    bad.pack = Some("elb".into());
    let e = simulate(&h.store, &h.org, h.member.id, &bad, NOW).unwrap_err();
    assert!(e.to_string().contains("is not `NAME@VERSION`"), "{e}");

    // Every simulation is in the audit log (the 5 that ran), by who ran it.
    let log = h
        .store
        .audit_log(
            h.org.id,
            &AuditFilter {
                kind: Some("simulation".into()),
                limit: 100,
                ..AuditFilter::default()
            },
        )
        .unwrap();
    assert_eq!(log.len(), 5);
    assert!(log
        .iter()
        .all(|e| e.actor == "mia" && e.action == "simulate" && e.target == P));
    let after: serde_json::Value =
        serde_json::from_str(log.last().unwrap().after.as_deref().unwrap()).unwrap();
    assert_eq!(after["blocked_after"], 4);
    assert_eq!(after["level"], "mandatory");
}

fn promotion_refuses_above_the_limit_unless_forced_and_is_audited(db: &Db) {
    let h = history(db);
    let limited = h
        .store
        .add_user(
            h.org.id,
            NewUser {
                name: "pat",
                role: Role::PolicyAdmin,
                packs: Some(&["net-*".to_owned()]),
            },
            h.admin.id,
            T0,
        )
        .unwrap();
    let granted = h
        .store
        .add_user(
            h.org.id,
            NewUser {
                name: "eve",
                role: Role::PolicyAdmin,
                packs: Some(&["el?".to_owned()]),
            },
            h.admin.id,
            T0,
        )
        .unwrap();
    let ask = |max: Option<f64>, force: bool| PromoteRequest {
        policy: P.into(),
        level: Enforcement::Mandatory,
        max_blocked_share: max,
        since: Some("30d".into()),
        force,
    };
    // A policy admin of other packs may not.
    let e = promote(&h.store, &h.org, &limited, "prod", &ask(None, false), NOW).unwrap_err();
    assert!(matches!(e, SimulateError::Forbidden(_)), "{e}");
    assert!(e.to_string().contains("pack `elb`"), "{e}");
    // In `prod` (r1, r2, r9), P at mandatory blocks r1 and r9: 2 of 3 runs, above 5%.
    let e = promote(&h.store, &h.org, &granted, "prod", &ask(None, false), NOW).unwrap_err();
    let SimulateError::Refused { message, promotion } = e else {
        panic!("refused")
    };
    assert!(message.contains("2 of 3 runs (66.7%)"), "{message}");
    assert!(message.contains("5.0%"), "{message}");
    assert!(!promotion.promoted);
    let unchanged = h.store.groups(h.org.id).unwrap();
    assert!(
        !unchanged[0].spec.contains("mandatory"),
        "{}",
        unchanged[0].spec
    );
    // Forced: promoted, and recorded as forced.
    let done = promote(&h.store, &h.org, &granted, "prod", &ask(None, true), NOW).unwrap();
    assert!(done.promoted && done.forced);
    assert_eq!(done.from, Some(Enforcement::Advisory));
    assert_eq!(done.packs, ["elb@1"]);
    let spec: serde_json::Value =
        serde_json::from_str(&h.store.groups(h.org.id).unwrap()[0].spec).unwrap();
    assert_eq!(spec["packs"][0]["policies"][P]["level"], "mandatory");
    assert_eq!(
        spec["packs"][0]["level"], "advisory",
        "the pack's level stays"
    );
    // Within a limit of 70%: promoted without force (back to advisory: blocks nothing).
    let mut back = ask(Some(0.7), false);
    back.level = Enforcement::Advisory;
    let done = promote(&h.store, &h.org, &h.admin, "prod", &back, NOW).unwrap();
    assert!(done.promoted && !done.forced);
    assert_eq!(done.from, Some(Enforcement::Mandatory));
    let log = h
        .store
        .audit_log(
            h.org.id,
            &AuditFilter {
                kind: Some("group".into()),
                limit: 100,
                ..AuditFilter::default()
            },
        )
        .unwrap();
    let promotions: Vec<_> = log.iter().filter(|e| e.action == "promote").collect();
    assert_eq!(
        promotions.len(),
        2,
        "the refusal changed nothing and wrote nothing"
    );
    let forced = promotions[1];
    assert_eq!(
        (forced.actor.as_str(), forced.target.as_str()),
        ("eve", "prod")
    );
    let before: serde_json::Value =
        serde_json::from_str(forced.before.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(forced.after.as_deref().unwrap()).unwrap();
    assert!(before["packs"][0].get("policies").is_none());
    assert_eq!(after["packs"][0]["policies"][P]["level"], "mandatory");
    assert_eq!(after["promotion"]["forced"], true);
    assert_eq!(after["promotion"]["from"], "advisory");
    assert_eq!(after["promotion"]["simulation"]["blocked_by_policy"], 2);
    assert_eq!(promotions[0].actor, "alice");
    // A group changed between the simulation and the write is not overwritten.
    let current = h.store.groups(h.org.id).unwrap()[0].spec.clone();
    let e = h
        .store
        .promote_group(
            h.org.id,
            guardrail_store::GroupPromotion {
                group: "prod",
                expected: Some(r#"{"tags":{"env":"prod"}}"#),
                spec: r#"{"tags":{"env":"prod"},"packs":[]}"#,
                promotion: &json!({}),
            },
            h.admin.id,
            NOW,
        )
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("changed while the promotion was simulated"),
        "{e}"
    );
    assert_eq!(h.store.groups(h.org.id).unwrap()[0].spec, current);
    // Bad input.
    let e = promote(
        &h.store,
        &h.org,
        &h.admin,
        "prod",
        &ask(Some(2.0), false),
        NOW,
    )
    .unwrap_err();
    assert!(e.to_string().contains("from 0 to 1"), "{e}");
    let mut other = ask(None, false);
    other.policy = Q.into();
    let e = promote(&h.store, &h.org, &h.admin, "prod", &other, NOW).unwrap_err();
    assert!(
        e.to_string()
            .contains("has no pack with the policy `AWS-S3-001`"),
        "{e}"
    );
}

/// The database a test runs on.
enum Db {
    Sqlite(tempfile_path::Dir),
    Postgres(String),
}

mod tempfile_path {
    /// A directory removed when dropped.
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl Db {
    fn open(&self) -> SqlStore {
        match self {
            Db::Sqlite(dir) => SqlStore::open(&dir.0.join("guardrail.sqlite")).unwrap(),
            Db::Postgres(url) => SqlStore::postgres(url).unwrap(),
        }
    }
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[test]
            fn sqlite() {
                let dir = std::env::temp_dir().join(format!(
                    "guardrail-simulate-{}-{}",
                    stringify!($name),
                    std::process::id()
                ));
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir).unwrap();
                super::$name(&super::Db::Sqlite(super::tempfile_path::Dir(dir)));
            }
            #[test]
            fn postgres() {
                match guardrail_store::test_postgres_url(stringify!($name)) {
                    Ok(Some(url)) => super::$name(&super::Db::Postgres(url)),
                    Ok(None) => {}
                    Err(e) => panic!("{e}"),
                }
            }
        }
    )*};
}

on_both!(
    the_simulation_relevels_stored_findings_with_exemptions_as_of_each_run,
    promotion_refuses_above_the_limit_unless_forced_and_is_audited,
);
