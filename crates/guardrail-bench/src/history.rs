//! `guardrail-bench gen-history`: an organization's recorded history for the dashboard's
//! benchmark, written straight through the service's store (`Store::record_run`, the same
//! transaction and rollups as an upload), on SQLite or PostgreSQL.
//!
//! The organization is `default` (made by the store's bootstrap, with the admin `admin` and the
//! token printed at the end), with `--stacks` stacks in 20 projects and `--runs` runs spread
//! evenly over the last `--days` days. Each stack carries a set of open findings from 40 catalog
//! policies (half of them mandatory) that each run changes a little: a finding is fixed, a new
//! one appears; a run blocks when a mandatory violation is open. A few exemptions are approved,
//! some wait in the queue. Deterministic for a seed.

use std::collections::BTreeMap;

use guardrail_bench::Rng;
use guardrail_store::metrics::{RunCoverage, TypeCount};
use guardrail_store::{
    Decision, NewExemption, NewFinding, NewRun, NewToken, Role, SqlStore, Store,
};

use crate::{option, parse_count};

const TYPES: [&str; 6] = [
    "aws_s3_bucket",
    "aws_security_group",
    "aws_instance",
    "aws_iam_role",
    "aws_lb_target_group",
    "aws_db_instance",
];

/// The token of the generated admin: fixed by the seed, so that a benchmark can sign in.
fn token(seed: u64) -> String {
    let mut rng = Rng::new(seed, 0x70_6b);
    let mut t = String::from("grd_");
    for _ in 0..4 {
        t.push_str(&format!("{:016x}", rng.next_u64()));
    }
    t
}

fn hex_sha256(text: &str) -> String {
    guardrail_server::auth::token_hash(text)
}

/// Runs `gen-history`.
pub fn generate(args: &[String]) -> Result<(), String> {
    let runs = parse_count(option(args, "--runs").unwrap_or("100k"))?;
    let stacks = parse_count(option(args, "--stacks").unwrap_or("200"))?.max(1);
    let days: i64 = option(args, "--days")
        .unwrap_or("90")
        .parse()
        .map_err(|_| "`--days` must be a number of days".to_string())?;
    let seed: u64 = option(args, "--seed")
        .unwrap_or("1")
        .parse()
        .map_err(|_| "`--seed` must be a number".to_string())?;
    let store = match (option(args, "--database"), option(args, "--data-dir")) {
        (Some(url), _) => SqlStore::open_url(url),
        (None, Some(dir)) => {
            std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{dir}`: {e}"))?;
            SqlStore::open(&std::path::Path::new(dir).join("guardrail.sqlite"))
        }
        (None, None) => {
            return Err(
                "usage: guardrail-bench gen-history (--data-dir DIR | --database URL) [--runs 100k] [--stacks 200] [--days 90] [--seed 1]"
                    .into(),
            )
        }
    }
    .map_err(|e| e.to_string())?;

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    let start = now - days * 86_400;
    let token = token(seed);
    let created = store
        .bootstrap(
            NewToken {
                hash: &hex_sha256(&token),
                description: "gen-history admin",
                expires_at: None,
                stacks: &[],
            },
            start,
        )
        .map_err(|e| e.to_string())?;
    if !created {
        return Err("the database already holds a service: give an empty one".into());
    }
    let org = store
        .org("default")
        .map_err(|e| e.to_string())?
        .ok_or("no organization `default` after the bootstrap")?;
    let admin = store
        .user(org.id, "admin")
        .map_err(|e| e.to_string())?
        .ok_or("no user `admin` after the bootstrap")?;
    let pat = store
        .create_user(org.id, "pat", Role::PolicyAdmin, start)
        .map_err(|e| e.to_string())?;

    let policies: Vec<(&str, &str)> = guardrail_catalog::rules()
        .iter()
        .filter(|r| r.id.starts_with("AWS-"))
        .take(40)
        .enumerate()
        .map(|(i, r)| (r.id, if i % 2 == 0 { "mandatory" } else { "advisory" }))
        .collect();
    let names: Vec<(String, String)> = (0..stacks)
        .map(|i| {
            (
                format!("project-{:02}", i % 20),
                format!("stack-{:03}", i / 20),
            )
        })
        .collect();
    // Each stack's open findings: (policy index, resource number).
    let mut open: Vec<BTreeMap<(usize, u64), ()>> = vec![BTreeMap::new(); stacks];
    let mut rng = Rng::new(seed, 0x68_69);
    let step = (days * 86_400) as f64 / runs.max(1) as f64;
    let started = std::time::Instant::now();
    for i in 0..runs {
        let at = start + (i as f64 * step) as i64;
        let s = usize::try_from(rng.below(stacks as u64)).unwrap_or(0);
        let findings_now = &mut open[s];
        if !findings_now.is_empty() && rng.chance(35) {
            let k = usize::try_from(rng.below(findings_now.len() as u64)).unwrap_or(0);
            if let Some(key) = findings_now.keys().nth(k).copied() {
                findings_now.remove(&key);
            }
        }
        if rng.chance(30) && findings_now.len() < 12 {
            let p = usize::try_from(rng.below(policies.len() as u64)).unwrap_or(0);
            findings_now.insert((p, rng.below(50)), ());
        }
        let mut findings = Vec::with_capacity(findings_now.len());
        let mut blocked = false;
        for (p, r) in findings_now.keys() {
            let (policy, level) = policies[*p];
            let ty = TYPES[*r as usize % TYPES.len()];
            let suppressed = (*p + *r as usize).is_multiple_of(23);
            let blocking = level == "mandatory" && !suppressed;
            blocked |= blocking;
            findings.push(NewFinding {
                fingerprint: format!("{policy}:{ty}.r{r}"),
                policy: policy.to_owned(),
                pack: "guardrail-builtin".into(),
                resource: Some(format!("{ty}.r{r}")),
                resource_type: Some(ty.to_owned()),
                outcome: if suppressed {
                    "suppressed"
                } else {
                    "violation"
                }
                .into(),
                level: level.into(),
                severity: "high".into(),
                blocking,
                central: false,
                message: format!("{policy} does not hold for `{ty}.r{r}`"),
            });
        }
        let resources = 40 + (s as u64 % 60);
        let coverage = RunCoverage {
            resources,
            covered: resources - 3,
            uncovered_types: vec![TypeCount {
                type_: "aws_cloudwatch_log_group".into(),
                count: 3,
            }],
            remediated: Vec::new(),
        };
        let (project, name) = &names[s];
        let commit = format!("{:040x}", rng.next_u64());
        let summary = format!(
            r#"{{"violations": {}, "blocking": {}}}"#,
            findings.len(),
            findings.iter().filter(|f| f.blocking).count()
        );
        store
            .record_run(
                org.id,
                admin.id,
                NewRun {
                    project,
                    stack: name,
                    kind: if rng.chance(80) { "plan" } else { "state" },
                    source: "client",
                    outcome: if blocked { "blocked" } else { "passed" },
                    commit: Some(&commit[..12]),
                    branch: Some("main"),
                    pull_request: None,
                    actor: Some("ci"),
                    summary: &summary,
                    findings: &findings,
                    coverage: Some(&coverage),
                },
                at,
            )
            .map_err(|e| format!("run {i}: {e}"))?;
        if i > 0 && i % 10_000 == 0 {
            eprintln!(
                "gen-history: {i} runs in {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
    }
    // Exemptions: 30 requests, two thirds approved by pat, the rest waiting in the queue.
    let expires = guardrail_server::exemptions::date_of(now + 30 * 86_400);
    for e in 0..30u64 {
        let (project, name) = &names[usize::try_from(e).unwrap_or(0) % stacks];
        let (policy, _) = policies[usize::try_from(e).unwrap_or(0) % policies.len()];
        let record = store
            .request_exemption(
                org.id,
                admin.id,
                NewExemption {
                    project,
                    stack: name,
                    policy,
                    resource: "*",
                    reason: "generated for the benchmark",
                    expires: &expires,
                    expires_at: now + 31 * 86_400,
                    ticket: Some("BENCH-1"),
                    break_glass: false,
                },
                now - 86_400,
            )
            .map_err(|e| e.to_string())?;
        if !e.is_multiple_of(3) {
            store
                .decide_exemption(org.id, pat.id, record.id, Decision::Approve, now - 3_600)
                .map_err(|e| e.to_string())?;
        }
    }
    eprintln!(
        "gen-history: {runs} runs of {stacks} stacks over {days} days in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!("{token}");
    Ok(())
}
