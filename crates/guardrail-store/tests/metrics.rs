//! The metrics of a hand-built history (tests/common/metrics_history.rs, with every number
//! worked out beside it), through the real store on SQLite and on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/metrics_history.rs"]
mod history;

use guardrail_store::metrics::DAY;
use guardrail_store::{MetricsQuery, NewToken, Role, SqlStore, Store};
use history::D0;

fn query(
    stacks: Option<&[(&str, &str)]>,
    pack: Option<&str>,
    policy: Option<&str>,
) -> MetricsQuery {
    MetricsQuery {
        // mid-day bounds: the window widens to whole UTC days
        since: D0 + 5,
        until: D0 + 2 * DAY + 7,
        stacks: stacks.map(|s| {
            s.iter()
                .map(|(p, n)| ((*p).to_owned(), (*n).to_owned()))
                .collect()
        }),
        pack: pack.map(str::to_owned),
        policy: policy.map(str::to_owned),
        top: 0,
    }
}

fn metrics_of_the_hand_built_history(store: &SqlStore) {
    let token = NewToken {
        hash: "h1",
        description: "t",
        expires_at: None,
        stacks: &[],
    };
    let org = store.create_org("acme", "alice", token, 1).unwrap();
    let alice = store.user(org.id, "alice").unwrap().unwrap();
    let pat = store
        .create_user(org.id, "pat", Role::PolicyAdmin, 1)
        .unwrap();
    history::record(store, org.id, alice.id, pat.id);
    // another organization's runs never count
    let token = NewToken {
        hash: "h2",
        description: "t",
        expires_at: None,
        stacks: &[],
    };
    let other = store.create_org("other", "oscar", token, 1).unwrap();
    let oscar = store.user(other.id, "oscar").unwrap().unwrap();
    let olga = store.create_user(other.id, "olga", Role::Admin, 1).unwrap();
    history::record(store, other.id, oscar.id, olga.id);

    let doc = |q: &MetricsQuery| serde_json::to_value(store.metrics(org.id, q).unwrap()).unwrap();
    history::check_all(&doc(&query(None, None, None)));
    let mut dev = doc(&query(Some(&[("app", "dev")]), None, None));
    dev["stack"] = "app/dev".into(); // the API names the stack it was asked for
    history::check_app_dev(&dev);
    history::check_policy_aws_1(&doc(&query(None, None, Some("AWS-1"))));
    history::check_pack_cat(&doc(&query(None, Some("cat"), None)));
    // a pack by `NAME@VERSION`, and one that matches nothing
    let platform = doc(&query(None, Some("platform@1.0.0"), None));
    assert_eq!(platform["totals"]["violated_runs"], 1);
    let none = doc(&query(None, Some("plat"), None));
    assert_eq!(none["totals"]["violated_runs"], 0);
    assert_eq!(none["totals"]["runs"], 7);
    // an unknown stack: nothing
    let nothing = doc(&query(Some(&[("no", "such")]), None, None));
    assert_eq!(nothing["totals"]["runs"], 0);
    assert_eq!(nothing["totals"]["violation_rate"], serde_json::Value::Null);
    assert_eq!(nothing["daily"].as_array().unwrap().len(), 3);
    // a window that cuts the spans: D1 only. F1 (plan) closed on D1 counts whole (86,400 s,
    // opened before the window); F2 closed on D0 is outside; open at the end of D1: 3
    let mut d1 = query(None, None, None);
    (d1.since, d1.until) = (D0 + DAY, D0 + 2 * DAY);
    let d1 = doc(&d1);
    assert_eq!(
        d1["totals"]["remediation"],
        serde_json::json!({"resolved": 1, "median_seconds": 86_400, "p90_seconds": 86_400, "open": 3})
    );
    assert_eq!(d1["totals"]["runs"], 2);
    // uncovered types of D1: app/prod's r4 only
    assert_eq!(
        d1["uncovered_types"],
        serde_json::json!([{"type": "aws_x", "resources": 1, "stacks": 1}])
    );
}

#[test]
fn metrics_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("guardrail-store-metrics-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    metrics_of_the_hand_built_history(&SqlStore::open(&dir.join("db.sqlite")).unwrap());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn metrics_on_postgres() {
    if let Some(url) = guardrail_store::test_postgres_url("metrics_on_postgres").unwrap() {
        metrics_of_the_hand_built_history(&SqlStore::postgres(&url).unwrap());
    }
}
