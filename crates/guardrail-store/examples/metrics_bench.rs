//! The metrics benchmark's data generator and timer (BENCHMARKS.md, "Metrics"): records an
//! organization's history through the real store — `--runs` runs (default 100,000) over 365
//! days on `--stacks` stacks (default 200), each with the open problems of its stack (findings
//! of 40 policies in two packs, on 50 resources): a run fixes one now and then and brings a new
//! one now and then, so that spans open and close — timing every upload, then times the metrics
//! the dashboard asks for.
//!
//! ```sh
//! cargo run -p guardrail-store --example metrics_bench -- --db /tmp/metrics.sqlite
//! cargo run -p guardrail-store --example metrics_bench -- --db 'postgres://…?schema=bench'
//! cargo run -p guardrail-store --example metrics_bench -- --db /tmp/metrics.sqlite --reuse
//! ```
//!
//! (`--reuse` times the metrics of the history already recorded there.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

use std::time::Instant;

use guardrail_store::metrics::{PolicyCount, RunCoverage, TypeCount, DAY};
use guardrail_store::{MetricsQuery, NewFinding, NewRun, NewToken, SqlStore, Store};

/// A small deterministic generator (xorshift), so that every run of the benchmark records the
/// same history.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// CPU time of this process so far, in milliseconds (Linux: `/proc/self/stat`, in ticks of
/// 10 ms), so that a loaded machine does not hide what a request costs.
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line; 12 and 13 after the `)`
    (ticks(11) + ticks(12)) * 10.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[i - 1]
}

fn main() {
    let runs: u64 = arg("--runs").map_or(100_000, |v| v.parse().unwrap());
    let stacks: u64 = arg("--stacks").map_or(200, |v| v.parse().unwrap());
    let db = arg("--db").unwrap_or_else(|| "/tmp/guardrail-metrics-bench.sqlite".into());
    // `--reuse`: time the metrics of a history recorded before
    let reuse = std::env::args().any(|a| a == "--reuse");
    let store = if db.starts_with("postgres") {
        SqlStore::postgres(&db).unwrap()
    } else {
        if !reuse {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{db}{suffix}"));
            }
        }
        SqlStore::open(std::path::Path::new(&db)).unwrap()
    };
    let org = match store.org("bench").unwrap() {
        Some(org) if reuse => org,
        _ => {
            let token = NewToken {
                hash: "bench",
                description: "bench",
                expires_at: None,
                stacks: &[],
            };
            store.create_org("bench", "admin", token, 0).unwrap()
        }
    };
    let user = store.user(org.id, "admin").unwrap().unwrap();

    let start = 20_000 * DAY;
    let span = 365 * DAY;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut upload_ms = Vec::with_capacity(runs as usize);
    let mut findings_total = 0u64;
    let mut open: Vec<Vec<(u64, u64)>> = vec![Vec::new(); stacks as usize];
    let began = Instant::now();
    let cpu_began = cpu_ms();
    for i in (0..runs).filter(|_| !reuse) {
        let at = start + (i as i64) * span / (runs as i64);
        let stack = rng.below(stacks);
        // each stack has its own problems: a run fixes each one with a chance of 1 in 8 and
        // brings a new one 3 times in 4, so that about six are open, each for about 8 runs
        let problems = &mut open[stack as usize];
        problems.retain(|_| rng.below(8) != 0);
        if rng.below(4) != 0 && problems.len() < 12 {
            problems.push((rng.below(40), rng.below(50)));
        }
        let n = problems.len() as u64;
        let findings: Vec<NewFinding> = problems
            .iter()
            .map(|&(policy, resource)| {
                let outcome = if (policy + resource) % 20 == 0 {
                    "suppressed"
                } else {
                    "violation"
                };
                let blocking = outcome == "violation" && policy % 4 == 0;
                NewFinding {
                    fingerprint: format!("{stack:04}-{policy:02}-{resource:02}"),
                    policy: format!("POL-{policy:03}"),
                    pack: if policy < 30 {
                        "catalog".into()
                    } else {
                        "platform@1.0.0".into()
                    },
                    resource: Some(format!("aws_s3_bucket.b{resource}")),
                    resource_type: Some("aws_s3_bucket".into()),
                    outcome: outcome.into(),
                    level: if blocking { "mandatory" } else { "advisory" }.into(),
                    severity: "high".into(),
                    blocking,
                    central: false,
                    message: format!("bucket b{resource} violates POL-{policy:03}"),
                }
            })
            .collect();
        findings_total += n;
        let blocked = findings.iter().any(|f| f.blocking);
        let coverage = RunCoverage {
            resources: 100,
            covered: 90 + rng.below(10),
            uncovered_types: vec![TypeCount {
                type_: format!("custom_type_{}", stack % 7),
                count: 1 + rng.below(5),
            }],
            remediated: if rng.below(4) == 0 {
                vec![PolicyCount {
                    policy: "POL-039".into(),
                    pack: "platform@1.0.0".into(),
                    count: 1,
                }]
            } else {
                Vec::new()
            },
        };
        let project = format!("p{}", stack / 10);
        let name = format!("s{stack}");
        let t = Instant::now();
        store
            .record_run(
                org.id,
                user.id,
                NewRun {
                    project: &project,
                    stack: &name,
                    kind: if rng.below(5) == 0 { "state" } else { "plan" },
                    source: "client",
                    outcome: if rng.below(50) == 0 {
                        "error"
                    } else if blocked {
                        "blocked"
                    } else {
                        "passed"
                    },
                    commit: None,
                    branch: None,
                    pull_request: None,
                    actor: None,
                    summary: "{}",
                    findings: &findings,
                    coverage: Some(&coverage),
                },
                at,
            )
            .unwrap();
        upload_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    upload_ms.sort_by(f64::total_cmp);
    if !reuse {
        println!(
            "recorded {runs} runs ({findings_total} findings) on {stacks} stacks in {:.1} s, {:.2} ms of this process's CPU each: upload median {:.2} ms, p99 {:.2} ms",
            began.elapsed().as_secs_f64(),
            (cpu_ms() - cpu_began) / runs as f64,
        percentile(&upload_ms, 0.5),
            percentile(&upload_ms, 0.99)
        );
    }

    let end = start + span;
    let group: Vec<(String, String)> = (0..20)
        .map(|s| (format!("p{}", s / 10), format!("s{s}")))
        .collect();
    let cases: Vec<(&str, MetricsQuery)> = vec![
        (
            "organization, 30 days",
            MetricsQuery {
                since: end - 30 * DAY,
                until: end,
                ..MetricsQuery::default()
            },
        ),
        (
            "organization, 365 days (every run)",
            MetricsQuery {
                since: start,
                until: end,
                ..MetricsQuery::default()
            },
        ),
        (
            "one stack, 30 days",
            MetricsQuery {
                since: end - 30 * DAY,
                until: end,
                stacks: Some(vec![("p0".into(), "s3".into())]),
                ..MetricsQuery::default()
            },
        ),
        (
            "a group of 20 stacks, 90 days",
            MetricsQuery {
                since: end - 90 * DAY,
                until: end,
                stacks: Some(group),
                ..MetricsQuery::default()
            },
        ),
        (
            "one policy, 365 days",
            MetricsQuery {
                since: start,
                until: end,
                policy: Some("POL-004".into()),
                ..MetricsQuery::default()
            },
        ),
        (
            "one pack, 30 days",
            MetricsQuery {
                since: end - 30 * DAY,
                until: end,
                pack: Some("platform".into()),
                ..MetricsQuery::default()
            },
        ),
    ];
    for (what, q) in cases {
        let mut ms = Vec::new();
        let mut runs_seen = 0;
        let cpu = cpu_ms();
        for _ in 0..7 {
            let t = Instant::now();
            let m = store.metrics(org.id, &q).unwrap();
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
            runs_seen = m.totals.runs;
        }
        let cpu = (cpu_ms() - cpu) / 7.0;
        ms.sort_by(f64::total_cmp);
        println!(
            "metrics, {what}: median {:.1} ms, max {:.1} ms, {cpu:.0} ms of this process's CPU each ({runs_seen} runs in the window)",
            percentile(&ms, 0.5),
            ms[ms.len() - 1]
        );
    }
}
