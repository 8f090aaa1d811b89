//! `guardrail-bench gen-history`: the dashboard benchmark's organization, written through the
//! store, is what it says (runs, stacks, exemptions, a working admin token).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use guardrail_store::{MetricsQuery, SqlStore, Store};

#[test]
fn gen_history_writes_the_runs_the_exemptions_and_a_token_that_signs_in() {
    let dir = std::env::temp_dir().join(format!("guardrail-gen-history-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_guardrail-bench"))
        .args([
            "gen-history",
            "--runs",
            "300",
            "--stacks",
            "12",
            "--days",
            "10",
            "--data-dir",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(token.starts_with("grd_") && token.len() == 68, "{token}");

    let store = SqlStore::open(&dir.join("guardrail.sqlite")).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let principal = store
        .principal(&guardrail_server::auth::token_hash(&token), now)
        .unwrap()
        .expect("the printed token is the admin's");
    assert_eq!(
        (principal.org.name.as_str(), principal.user.name.as_str()),
        ("default", "admin")
    );
    let m = store
        .metrics(
            principal.org.id,
            &MetricsQuery {
                since: now - 11 * 86_400,
                until: now + 1,
                ..MetricsQuery::default()
            },
        )
        .unwrap();
    assert_eq!(m.totals.runs, 300);
    assert_eq!(m.totals.stacks, 12);
    assert!(
        m.totals.blocked_runs > 0 && m.totals.blocked_runs < 300,
        "{:?}",
        m.totals
    );
    assert!(
        m.totals.violations > 0 && m.totals.suppressed > 0,
        "{:?}",
        m.totals
    );
    let exemptions = store.exemptions(principal.org.id, None).unwrap();
    assert_eq!(exemptions.len(), 30);
    assert_eq!(
        exemptions.iter().filter(|e| e.awaits_approval()).count(),
        10
    );
    // A second run refuses a database that already holds a service.
    let again = Command::new(env!("CARGO_BIN_EXE_guardrail-bench"))
        .args(["gen-history", "--runs", "1", "--data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a service"));
    std::fs::remove_dir_all(&dir).unwrap();
}
