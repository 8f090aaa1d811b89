//! The metrics rollups ([`crate::metrics`]), written once for both databases: what each run
//! upload adds in its transaction ([`rollup`], a constant number of statements per run), and
//! the metrics read from them ([`metrics`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::db::{params, Conn, Param};
use crate::metrics::{
    day_name, percentiles, share, Automation, Counts, Coverage, Day, Metrics, MetricsQuery,
    PolicyExemptions, PolicyMetrics, RunCoverage, Spans, StackMetrics, UncoveredType, DAY,
    METRICS_SCHEMA,
};
use crate::{NewRun, StoreError};

/// Rows of a multi-row upsert: 256 rows of 10 values stay far under every bind limit.
const ROWS_PER_UPSERT: usize = 256;

/// The uncovered types of a run as stored: `type\tcount` a line.
pub(crate) fn uncovered_text(coverage: Option<&RunCoverage>) -> Option<String> {
    coverage.map(|c| {
        c.uncovered_types
            .iter()
            .map(|t| format!("{}\t{}", t.type_, t.count))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn unsigned(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// `(?1, ?2, …), (…)` for `rows` rows of `width` values.
fn value_rows(rows: usize, width: usize) -> String {
    let mut sql = String::new();
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..width {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('?');
            sql.push_str(&(r * width + c + 1).to_string());
        }
        sql.push(')');
    }
    sql
}

/// `violated_runs = TABLE.violated_runs + excluded.violated_runs, …`: an upsert adds counts.
fn add_columns(table: &str) -> String {
    [
        "violated_runs",
        "blocked_runs",
        "violations",
        "suppressed",
        "remediated",
    ]
    .iter()
    .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
    .collect::<Vec<_>>()
    .join(", ")
}

/// Per policy (and per pack, under the policy `""`): violated runs, blocked runs, violations,
/// suppressed, remediated.
type PolicyRow = [i64; 5];

/// A stored run that [`rollup`] adds to the rollups: its organization, stack, id and arrival
/// time (Unix seconds).
pub(crate) struct RolledRun<'r, 'a> {
    pub(crate) org_id: i64,
    pub(crate) stack_id: i64,
    pub(crate) run_id: i64,
    pub(crate) run: &'r NewRun<'a>,
    pub(crate) now: i64,
}

/// A span opened within the batch, written once the batch is replayed: where it closed, if a
/// later run of the batch closed it.
struct NewSpan<'r> {
    org_id: i64,
    stack_id: i64,
    kind: &'r str,
    fingerprint: &'r str,
    policy: &'r str,
    pack: &'r str,
    first_run: i64,
    first_seen_at: i64,
    resolved: Option<(i64, i64)>,
}

/// A blocked streak opened within the batch, with the passing run that ended it, if any.
struct NewStreak<'r> {
    org_id: i64,
    stack_id: i64,
    kind: &'r str,
    first_run: i64,
    blocked_at: i64,
    passed: Option<(i64, i64)>,
}

/// The open spans of one stack and kind while the batch is replayed: by fingerprint, the ids
/// of stored ones and the index of one opened in the batch.
#[derive(Default)]
struct OpenSpans<'r> {
    stored: BTreeMap<String, Vec<i64>>,
    opened: BTreeMap<&'r str, usize>,
}

/// The open blocked streak of one stack and kind while the batch is replayed.
#[derive(Clone, Copy)]
enum Streak {
    None,
    /// One stored before the batch (the update ends every open one, as one run would).
    Stored,
    /// The one the batch opened (index into its new streaks).
    Opened(usize),
}

/// Adds the daily counts of `run` to `daily` and its per-policy counts to `policies`.
fn count_run<'r>(
    r: &RolledRun<'r, '_>,
    daily: &mut BTreeMap<(i64, i64, i64), [i64; 10]>,
    policies: &mut BTreeMap<(i64, i64, i64, &'r str, &'r str), PolicyRow>,
) {
    let run = r.run;
    let day = r.now.div_euclid(DAY);
    let violations = run
        .findings
        .iter()
        .filter(|f| f.outcome == "violation")
        .count();
    let suppressed = run
        .findings
        .iter()
        .filter(|f| f.outcome == "suppressed")
        .count();
    let blocked = run.findings.iter().any(|f| f.blocking);
    let remediated: u64 = run
        .coverage
        .map_or(0, |cov| cov.remediated.iter().map(|p| p.count).sum());
    let added = [
        1,
        i64::from(violations > 0),
        i64::from(blocked),
        i64::from(run.outcome == "error"),
        count(violations),
        count(suppressed),
        i64::from(run.coverage.is_some()),
        run.coverage.map_or(0, |cov| int(cov.resources)),
        run.coverage.map_or(0, |cov| int(cov.covered)),
        int(remediated),
    ];
    let sums = daily.entry((r.org_id, r.stack_id, day)).or_insert([0; 10]);
    for (sum, n) in sums.iter_mut().zip(added) {
        *sum = sum.saturating_add(n);
    }

    // Per policy and per pack (policy ""): a run counts once per pack even when several of
    // its policies fire.
    let mut per: BTreeMap<(&'r str, &'r str), PolicyRow> = BTreeMap::new();
    let mut seen: BTreeSet<(&str, &str, usize)> = BTreeSet::new();
    for f in run.findings {
        for key in [(f.policy.as_str(), f.pack.as_str()), ("", f.pack.as_str())] {
            let row = per.entry(key).or_insert([0; 5]);
            let violation = f.outcome == "violation";
            if violation && seen.insert((key.0, key.1, 0)) {
                row[0] += 1;
            }
            if f.blocking && seen.insert((key.0, key.1, 1)) {
                row[1] += 1;
            }
            row[2] += i64::from(violation);
            row[3] += i64::from(f.outcome == "suppressed");
        }
    }
    if let Some(cov) = run.coverage {
        for p in &cov.remediated {
            for key in [(p.policy.as_str(), p.pack.as_str()), ("", p.pack.as_str())] {
                per.entry(key).or_insert([0; 5])[4] += int(p.count);
            }
        }
    }
    for ((policy, pack), row) in per {
        let sums = policies
            .entry((r.org_id, r.stack_id, day, policy, pack))
            .or_insert([0; 5]);
        for (sum, n) in sums.iter_mut().zip(row) {
            *sum = sum.saturating_add(n);
        }
    }
}

/// Adds stored runs (one group commit's, in upload order) to the rollups: the daily aggregates
/// of their stacks and of their policies, the spans of their fingerprints, their stacks'
/// blocked streaks. The batch is summed and replayed in memory, so that its rows are the same
/// as adding the runs one by one, with statements per batch rather than per run: one upsert
/// per daily table (per 256 rows), one read of the open spans and one of the open streak per
/// stack and kind, one insert of the spans and one of the streaks opened, one update per run
/// that closes stored spans, one per stack and kind whose stored streak ends.
pub(crate) fn rollup(c: &mut dyn Conn, runs: &[RolledRun<'_, '_>]) -> Result<(), StoreError> {
    let mut daily: BTreeMap<(i64, i64, i64), [i64; 10]> = BTreeMap::new();
    let mut policies: BTreeMap<(i64, i64, i64, &str, &str), PolicyRow> = BTreeMap::new();
    for r in runs {
        count_run(r, &mut daily, &mut policies);
    }
    let rows: Vec<_> = daily.iter().collect();
    for chunk in rows.chunks(ROWS_PER_UPSERT) {
        let mut values: Vec<Param<'_>> = Vec::with_capacity(chunk.len() * 13);
        for ((org_id, stack_id, day), n) in chunk {
            values.extend(params![*org_id, *stack_id, *day]);
            values.extend(n.iter().map(|&v| Param::Int(v)));
        }
        c.execute(
            &format!(
                "INSERT INTO metrics_daily (org_id, stack_id, day, runs, violated_runs,
                     blocked_runs, error_runs, violations, suppressed, coverage_runs, resources,
                     covered, remediated)
                 VALUES {}
                 ON CONFLICT (org_id, stack_id, day) DO UPDATE SET
                     runs = metrics_daily.runs + excluded.runs,
                     violated_runs = metrics_daily.violated_runs + excluded.violated_runs,
                     blocked_runs = metrics_daily.blocked_runs + excluded.blocked_runs,
                     error_runs = metrics_daily.error_runs + excluded.error_runs,
                     violations = metrics_daily.violations + excluded.violations,
                     suppressed = metrics_daily.suppressed + excluded.suppressed,
                     coverage_runs = metrics_daily.coverage_runs + excluded.coverage_runs,
                     resources = metrics_daily.resources + excluded.resources,
                     covered = metrics_daily.covered + excluded.covered,
                     remediated = metrics_daily.remediated + excluded.remediated",
                value_rows(chunk.len(), 13)
            ),
            &values,
        )?;
    }

    let rows: Vec<_> = policies
        .iter()
        .filter(|(_, r)| r.iter().any(|&n| n > 0))
        .collect();
    for chunk in rows.chunks(ROWS_PER_UPSERT) {
        let mut values: Vec<Param<'_>> = Vec::with_capacity(chunk.len() * 10);
        for ((org_id, stack_id, day, policy, pack), r) in chunk {
            values.extend(params![
                *org_id, *stack_id, *day, *policy, *pack, r[0], r[1], r[2], r[3], r[4]
            ]);
        }
        c.execute(
            &format!(
                "INSERT INTO metrics_daily_policy (org_id, stack_id, day, policy, pack,
                     violated_runs, blocked_runs, violations, suppressed, remediated)
                 VALUES {}
                 ON CONFLICT (org_id, stack_id, day, policy, pack) DO UPDATE SET {}",
                value_rows(chunk.len(), 10),
                add_columns("metrics_daily_policy")
            ),
            &values,
        )?;
    }
    // the same for the whole organization, which the overview reads
    let mut org: BTreeMap<(i64, i64, &str, &str), PolicyRow> = BTreeMap::new();
    for ((org_id, _, day, policy, pack), r) in &rows {
        let sums = org.entry((*org_id, *day, *policy, *pack)).or_insert([0; 5]);
        for (sum, n) in sums.iter_mut().zip(r.iter()) {
            *sum = sum.saturating_add(*n);
        }
    }
    let rows: Vec<_> = org.iter().collect();
    for chunk in rows.chunks(ROWS_PER_UPSERT) {
        let mut values: Vec<Param<'_>> = Vec::with_capacity(chunk.len() * 9);
        for ((org_id, day, policy, pack), r) in chunk {
            values.extend(params![
                *org_id, *day, *policy, *pack, r[0], r[1], r[2], r[3], r[4]
            ]);
        }
        c.execute(
            &format!(
                "INSERT INTO metrics_daily_org_policy (org_id, day, policy, pack,
                     violated_runs, blocked_runs, violations, suppressed, remediated)
                 VALUES {}
                 ON CONFLICT (org_id, day, policy, pack) DO UPDATE SET {}",
                value_rows(chunk.len(), 9),
                add_columns("metrics_daily_org_policy")
            ),
            &values,
        )?;
    }

    spans(c, runs)?;
    streaks(c, runs)
}

/// Fingerprint spans, per stack and kind: a violation (or a suppressed one: an exemption is
/// no fix) opens a span unless one is open; a later run without it closes it. A run that
/// failed (outcome `error`) closes nothing: a failing policy may hide a finding.
fn spans(c: &mut dyn Conn, runs: &[RolledRun<'_, '_>]) -> Result<(), StoreError> {
    let mut open: HashMap<(i64, &str), OpenSpans<'_>> = HashMap::new();
    for r in runs {
        let key = (r.stack_id, r.run.kind);
        if open.contains_key(&key) {
            continue;
        }
        let mut state = OpenSpans::default();
        for row in c.query(
            "SELECT id, fingerprint FROM finding_spans
             WHERE stack_id = ?1 AND kind = ?2 AND resolved_at IS NULL",
            params![r.stack_id, r.run.kind],
        )? {
            let id: i64 = row.get(0)?;
            let fingerprint: String = row.get(1)?;
            state.stored.entry(fingerprint).or_default().push(id);
        }
        open.insert(key, state);
    }
    let mut opened: Vec<NewSpan<'_>> = Vec::new();
    // per run that closes stored spans: its id, its time, the spans' ids
    let mut closing: Vec<(i64, i64, Vec<i64>)> = Vec::new();
    for r in runs {
        let run = r.run;
        let Some(state) = open.get_mut(&(r.stack_id, run.kind)) else {
            continue;
        };
        let mut showing: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        for f in run.findings {
            if f.outcome == "violation" || f.outcome == "suppressed" {
                showing
                    .entry(f.fingerprint.as_str())
                    .or_insert((f.policy.as_str(), f.pack.as_str()));
            }
        }
        if run.outcome != "error" {
            let mut ids = Vec::new();
            state.stored.retain(|fingerprint, stored| {
                let keep = showing.contains_key(fingerprint.as_str());
                if !keep {
                    ids.append(stored);
                }
                keep
            });
            if !ids.is_empty() {
                closing.push((r.run_id, r.now, ids));
            }
            state.opened.retain(|fingerprint, index| {
                let keep = showing.contains_key(fingerprint);
                if !keep {
                    if let Some(span) = opened.get_mut(*index) {
                        span.resolved = Some((r.run_id, r.now));
                    }
                }
                keep
            });
        }
        for (fingerprint, (policy, pack)) in showing {
            if !state.stored.contains_key(fingerprint) && !state.opened.contains_key(fingerprint) {
                state.opened.insert(fingerprint, opened.len());
                opened.push(NewSpan {
                    org_id: r.org_id,
                    stack_id: r.stack_id,
                    kind: run.kind,
                    fingerprint,
                    policy,
                    pack,
                    first_run: r.run_id,
                    first_seen_at: r.now,
                    resolved: None,
                });
            }
        }
    }
    for (run_id, now, ids) in &closing {
        for chunk in ids.chunks(1000) {
            let ids = chunk
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            c.execute(
                &format!(
                    "UPDATE finding_spans SET resolved_at = ?1, resolved_run = ?2,
                         resolved_how = 'change'
                     WHERE id IN ({ids})"
                ),
                params![*now, *run_id],
            )?;
        }
    }
    let mut values: Vec<Param<'_>> = Vec::with_capacity(opened.len() * 11);
    for s in &opened {
        values.extend(params![
            s.org_id,
            s.stack_id,
            s.kind,
            s.fingerprint,
            s.policy,
            s.pack,
            s.first_run,
            s.first_seen_at,
            s.resolved.map(|(run, _)| run),
            s.resolved.map(|(_, at)| at),
            s.resolved.map(|_| "change"),
        ]);
    }
    c.insert_many(
        "finding_spans",
        &[
            "org_id",
            "stack_id",
            "kind",
            "fingerprint",
            "policy",
            "pack",
            "first_run",
            "first_seen_at",
            "resolved_run",
            "resolved_at",
            "resolved_how",
        ],
        &values,
    )?;
    Ok(())
}

/// Blocked streaks, per stack and kind: the first blocked run opens one, the next passing run
/// closes it; error runs do neither.
fn streaks(c: &mut dyn Conn, runs: &[RolledRun<'_, '_>]) -> Result<(), StoreError> {
    let mut open: HashMap<(i64, &str), Streak> = HashMap::new();
    for r in runs {
        let key = (r.stack_id, r.run.kind);
        if open.contains_key(&key) || !matches!(r.run.outcome, "blocked" | "passed") {
            continue;
        }
        let stored = c
            .query_opt(
                "SELECT 1 FROM blocked_spans
                 WHERE stack_id = ?1 AND kind = ?2 AND passed_at IS NULL LIMIT 1",
                params![r.stack_id, r.run.kind],
            )?
            .is_some();
        open.insert(key, if stored { Streak::Stored } else { Streak::None });
    }
    let mut opened: Vec<NewStreak<'_>> = Vec::new();
    // per stack and kind whose stored streak a run of the batch ends: that run and its time
    let mut ended: Vec<(i64, &str, i64, i64)> = Vec::new();
    for r in runs {
        let Some(state) = open.get_mut(&(r.stack_id, r.run.kind)) else {
            continue;
        };
        match (r.run.outcome, *state) {
            ("blocked", Streak::None) => {
                *state = Streak::Opened(opened.len());
                opened.push(NewStreak {
                    org_id: r.org_id,
                    stack_id: r.stack_id,
                    kind: r.run.kind,
                    first_run: r.run_id,
                    blocked_at: r.now,
                    passed: None,
                });
            }
            ("passed", Streak::Stored) => {
                ended.push((r.stack_id, r.run.kind, r.run_id, r.now));
                *state = Streak::None;
            }
            ("passed", Streak::Opened(index)) => {
                if let Some(streak) = opened.get_mut(index) {
                    streak.passed = Some((r.run_id, r.now));
                }
                *state = Streak::None;
            }
            _ => {}
        }
    }
    // the stored streaks end before the batch's own are written, which the update must miss
    for (stack_id, kind, run_id, now) in ended {
        c.execute(
            "UPDATE blocked_spans SET passed_at = ?3, passed_run = ?4
             WHERE stack_id = ?1 AND kind = ?2 AND passed_at IS NULL",
            params![stack_id, kind, now, run_id],
        )?;
    }
    let mut values: Vec<Param<'_>> = Vec::with_capacity(opened.len() * 7);
    for s in &opened {
        values.extend(params![
            s.org_id,
            s.stack_id,
            s.kind,
            s.first_run,
            s.blocked_at,
            s.passed.map(|(run, _)| run),
            s.passed.map(|(_, at)| at),
        ]);
    }
    c.insert_many(
        "blocked_spans",
        &[
            "org_id",
            "stack_id",
            "kind",
            "first_run",
            "blocked_at",
            "passed_run",
            "passed_at",
        ],
        &values,
    )?;
    Ok(())
}

/// Spans of a window: each ended one (start, end), each started in the window and still open at
/// its end (start), and how many were open at its end. [`SpanSet::index`] sorts them so that
/// each day of the series is answered without going through them all again.
#[derive(Default)]
struct SpanSet {
    ended: Vec<(i64, i64)>,
    started_open: Vec<i64>,
    open_at_end: u64,
    /// Durations by the UTC day they ended, each list sorted.
    by_end_day: BTreeMap<i64, Vec<i64>>,
    /// The ends, the starts of the ended ones, and `started_open`, sorted.
    ends: Vec<i64>,
    ended_starts: Vec<i64>,
}

impl SpanSet {
    fn index(&mut self) {
        for (start, end) in &self.ended {
            self.by_end_day
                .entry(end.div_euclid(DAY))
                .or_default()
                .push(end - start);
        }
        for durations in self.by_end_day.values_mut() {
            durations.sort_unstable();
        }
        self.ends = self.ended.iter().map(|(_, e)| *e).collect();
        self.ends.sort_unstable();
        self.ended_starts = self.ended.iter().map(|(s, _)| *s).collect();
        self.ended_starts.sort_unstable();
        self.started_open.sort_unstable();
    }

    /// How many ended in `[from, to)` (whole days).
    fn ended_between(&self, from: i64, to: i64) -> u64 {
        self.by_end_day
            .range(from.div_euclid(DAY)..to.div_euclid(DAY))
            .map(|(_, d)| d.len() as u64)
            .sum()
    }

    /// The spans ending in `[from, to)` (whole days), and those open at `to` (`to` ≤ the
    /// window's end).
    fn between(&self, from: i64, to: i64) -> Spans {
        let mut durations: Vec<i64> = Vec::new();
        let mut buckets = 0;
        for (_, d) in self
            .by_end_day
            .range(from.div_euclid(DAY)..to.div_euclid(DAY))
        {
            durations.extend_from_slice(d);
            buckets += 1;
        }
        if buckets > 1 {
            durations.sort_unstable();
        }
        let (median, p90) = percentiles(&durations);
        // open at `to`: open at the window's end, less those started since `to`, plus those
        // that ended at or after `to` but started before it (an ended span starts before it
        // ends, so those are the ends at or after `to` less the starts at or after `to`)
        let after = |sorted: &[i64]| (sorted.len() - sorted.partition_point(|&t| t < to)) as u64;
        let later = after(&self.started_open);
        let reopened = after(&self.ends) - after(&self.ended_starts);
        Spans {
            resolved: durations.len() as u64,
            median_seconds: median,
            p90_seconds: p90,
            open: (self.open_at_end + reopened).saturating_sub(later),
        }
    }
}

/// One stack's (or day's) sums of the daily rollup.
#[derive(Clone, Copy, Default)]
struct Sums {
    runs: u64,
    violated: u64,
    blocked: u64,
    errors: u64,
    violations: u64,
    suppressed: u64,
    coverage_runs: u64,
    resources: u64,
    covered: u64,
    remediated: u64,
}

impl Sums {
    fn add(&mut self, o: &Sums) {
        self.runs += o.runs;
        self.violated += o.violated;
        self.blocked += o.blocked;
        self.errors += o.errors;
        self.violations += o.violations;
        self.suppressed += o.suppressed;
        self.coverage_runs += o.coverage_runs;
        self.resources += o.resources;
        self.covered += o.covered;
        self.remediated += o.remediated;
    }
}

/// The `AND stack_id IN (…)` of a query limited to some stacks (ids from the database).
fn stack_clause(column: &str, ids: Option<&BTreeSet<i64>>) -> String {
    match ids {
        None => String::new(),
        Some(ids) if ids.is_empty() => " AND 1 = 0".to_owned(),
        Some(ids) => format!(
            " AND {column} IN ({})",
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The policy and pack filter on `policy`/`pack` columns, as `?4` and `?5`.
const POLICY_CLAUSE: &str = " AND (CAST(?4 AS TEXT) IS NULL OR policy = ?4)
    AND (CAST(?5 AS TEXT) IS NULL OR pack = ?5 OR substr(pack, 1, length(?5) + 1) = ?5 || '@')";

#[expect(
    clippy::too_many_lines,
    reason = "one read of every rollup, in the order the document lists them"
)]
pub(crate) fn metrics(
    c: &mut dyn Conn,
    org_id: i64,
    q: &MetricsQuery,
    now: i64,
) -> Result<Metrics, StoreError> {
    // whole UTC days: the rollups are daily
    let since = q.since.div_euclid(DAY) * DAY;
    let until = (q.until.max(q.since + 1) + DAY - 1).div_euclid(DAY) * DAY;
    let (day0, day1) = (since / DAY, until / DAY);
    let days = unsigned(day1 - day0).max(1);
    let top = if q.top == 0 { 10 } else { q.top };
    let by_policy = q.policy.is_some() || q.pack.is_some();

    let names: HashMap<i64, (String, String)> = c
        .query(
            "SELECT id, project, name FROM stacks WHERE org_id = ?1",
            params![org_id],
        )?
        .iter()
        .map(|r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
        .collect::<Result<_, StoreError>>()?;
    let scope: Option<BTreeSet<i64>> = q.stacks.as_ref().map(|wanted| {
        names
            .iter()
            .filter(|(_, (p, n))| wanted.iter().any(|(wp, wn)| wp == p && wn == n))
            .map(|(id, _)| *id)
            .collect()
    });
    let stacks_sql = stack_clause("stack_id", scope.as_ref());
    let filter = params![org_id, since, until, q.policy.as_ref(), q.pack.as_ref()];
    let day_filter = params![org_id, day0, day1, q.policy.as_ref(), q.pack.as_ref()];

    // runs per day and per stack, summed by the database
    let sums_columns = "CAST(SUM(runs) AS BIGINT), CAST(SUM(violated_runs) AS BIGINT),
        CAST(SUM(blocked_runs) AS BIGINT), CAST(SUM(error_runs) AS BIGINT),
        CAST(SUM(violations) AS BIGINT), CAST(SUM(suppressed) AS BIGINT),
        CAST(SUM(coverage_runs) AS BIGINT), CAST(SUM(resources) AS BIGINT),
        CAST(SUM(covered) AS BIGINT), CAST(SUM(remediated) AS BIGINT), COUNT(*)";
    let read_sums = |r: &crate::db::Row| -> Result<(Sums, u64), StoreError> {
        let n = |i| r.get::<i64>(i).map(unsigned);
        Ok((
            Sums {
                runs: n(1)?,
                violated: n(2)?,
                blocked: n(3)?,
                errors: n(4)?,
                violations: n(5)?,
                suppressed: n(6)?,
                coverage_runs: n(7)?,
                resources: n(8)?,
                covered: n(9)?,
                remediated: n(10)?,
            },
            n(11)?,
        ))
    };
    // by day: the sums and how many stacks ran (a row is one stack's day with runs)
    let mut daily: BTreeMap<i64, (Sums, u64)> = BTreeMap::new();
    let mut per_stack: BTreeMap<i64, Sums> = BTreeMap::new();
    for (key, map_daily) in [("day", true), ("stack_id", false)] {
        for r in c.query(
            &format!(
                "SELECT {key}, {sums_columns} FROM metrics_daily
                 WHERE org_id = ?1 AND day >= ?2 AND day < ?3{stacks_sql} GROUP BY {key}"
            ),
            params![org_id, day0, day1],
        )? {
            let (sums, rows) = read_sums(&r)?;
            if map_daily {
                daily.insert(r.get(0)?, (sums, rows));
            } else {
                per_stack.insert(r.get(0)?, sums);
            }
        }
    }
    // with a pack or policy: its own counts replace the run-wide ones
    if by_policy {
        let policy_columns =
            "CAST(SUM(violated_runs) AS BIGINT), CAST(SUM(blocked_runs) AS BIGINT),
            CAST(SUM(violations) AS BIGINT), CAST(SUM(suppressed) AS BIGINT),
            CAST(SUM(remediated) AS BIGINT)";
        // a pack alone: its rows under the policy ""
        let which =
            "AND ((CAST(?4 AS TEXT) IS NULL AND policy = '') OR CAST(?4 AS TEXT) IS NOT NULL)";
        let set = |s: &mut Sums, r: &crate::db::Row| -> Result<(), StoreError> {
            let n = |i| r.get::<i64>(i).map(unsigned);
            (
                s.violated,
                s.blocked,
                s.violations,
                s.suppressed,
                s.remediated,
            ) = (n(1)?, n(2)?, n(3)?, n(4)?, n(5)?);
            Ok(())
        };
        let clear = |s: &mut Sums| {
            (
                s.violated,
                s.blocked,
                s.violations,
                s.suppressed,
                s.remediated,
            ) = (0, 0, 0, 0, 0);
        };
        daily.values_mut().for_each(|s| clear(&mut s.0));
        per_stack.values_mut().for_each(clear);
        let by_day_table = if scope.is_none() {
            "metrics_daily_org_policy"
        } else {
            "metrics_daily_policy"
        };
        for r in c.query(
            &format!(
                "SELECT day, {policy_columns} FROM {by_day_table}
                 WHERE org_id = ?1 AND day >= ?2 AND day < ?3{stacks_sql}{POLICY_CLAUSE} {which}
                 GROUP BY day"
            ),
            day_filter,
        )? {
            set(&mut daily.entry(r.get(0)?).or_default().0, &r)?;
        }
        for r in c.query(
            &format!(
                "SELECT stack_id, {policy_columns} FROM metrics_daily_policy
                 WHERE org_id = ?1 AND day >= ?2 AND day < ?3{stacks_sql}{POLICY_CLAUSE} {which}
                 GROUP BY stack_id"
            ),
            day_filter,
        )? {
            set(per_stack.entry(r.get(0)?).or_default(), &r)?;
        }
    }

    // fingerprint spans: ended in the window, started in it and still open, open at its end
    let span_sql = |what: &str, cond: &str| {
        format!("SELECT {what} FROM finding_spans WHERE org_id = ?1 AND {cond}{stacks_sql}{POLICY_CLAUSE}")
    };
    let mut remediation = SpanSet::default();
    for r in c.query(
        &span_sql(
            "first_seen_at, resolved_at",
            "resolved_at >= ?2 AND resolved_at < ?3",
        ),
        filter,
    )? {
        let (start, end): (i64, i64) = (r.get(0)?, r.get(1)?);
        remediation.ended.push((start, end));
    }
    for r in c.query(
        &span_sql(
            "first_seen_at",
            "first_seen_at >= ?2 AND first_seen_at < ?3 AND (resolved_at IS NULL OR resolved_at >= ?3)",
        ),
        filter,
    )? {
        remediation.started_open.push(r.get(0)?);
    }
    // open at the window's end, per stack and policy: open now, or ended since
    let mut open_by_stack: HashMap<i64, u64> = HashMap::new();
    let mut open_by_policy: HashMap<(String, String), u64> = HashMap::new();
    for cond in [
        // `+first_seen_at`: not through its index (every span began before the window's end),
        // but through `resolved_at`'s
        "resolved_at IS NULL AND +first_seen_at < ?3 AND CAST(?2 AS BIGINT) <= ?3",
        "resolved_at >= ?3 AND +first_seen_at < ?3 AND CAST(?2 AS BIGINT) <= ?3",
    ] {
        for r in c.query(
            &format!(
                "{} GROUP BY stack_id, policy, pack",
                span_sql("stack_id, policy, pack, COUNT(*)", cond)
            ),
            filter,
        )? {
            let n = unsigned(r.get(3)?);
            remediation.open_at_end += n;
            *open_by_stack.entry(r.get(0)?).or_default() += n;
            *open_by_policy.entry((r.get(1)?, r.get(2)?)).or_default() += n;
        }
    }
    remediation.index();

    // blocked streaks (not kept per policy)
    let blocked = if by_policy {
        None
    } else {
        let mut set = SpanSet::default();
        let sql = |what: &str, cond: &str| {
            format!("SELECT {what} FROM blocked_spans WHERE org_id = ?1 AND {cond}{stacks_sql}")
        };
        for r in c.query(
            &sql(
                "blocked_at, passed_at",
                "passed_at >= ?2 AND passed_at < ?3",
            ),
            params![org_id, since, until],
        )? {
            set.ended.push((r.get(0)?, r.get(1)?));
        }
        for r in c.query(
            &sql(
                "blocked_at",
                "blocked_at >= ?2 AND blocked_at < ?3 AND (passed_at IS NULL OR passed_at >= ?3)",
            ),
            params![org_id, since, until],
        )? {
            set.started_open.push(r.get(0)?);
        }
        let r = c.query_one(
            &sql(
                "COUNT(*)",
                "blocked_at < ?2 AND (passed_at IS NULL OR passed_at >= ?2)",
            ),
            params![org_id, until],
        )?;
        set.open_at_end = unsigned(r.get(0)?);
        set.index();
        Some(set)
    };

    // the numbers of a set of days
    let counts = |sums: &Sums, stacks: u64, ndays: u64, from: i64, to: i64| -> Counts {
        Counts {
            runs: sums.runs,
            violated_runs: sums.violated,
            blocked_runs: sums.blocked,
            error_runs: sums.errors,
            violation_rate: share(sums.violated, sums.runs),
            blocked_rate: share(sums.blocked, sums.runs),
            violations: sums.violations,
            suppressed: sums.suppressed,
            exemption_rate: share(sums.suppressed, sums.violations + sums.suppressed),
            remediation: remediation.between(from, to),
            coverage: (!by_policy).then(|| Coverage {
                runs_known: sums.coverage_runs,
                runs_unknown: sums.runs.saturating_sub(sums.coverage_runs),
                resources: sums.resources,
                covered: sums.covered,
                share: share(sums.covered, sums.resources),
            }),
            automation: {
                let by_change = remediation.ended_between(from, to);
                Automation {
                    by_remediate: sums.remediated,
                    by_change,
                    share: share(sums.remediated, sums.remediated + by_change),
                }
            },
            stacks,
            runs_per_stack_day: share(sums.runs, stacks * ndays),
            blocked_to_passing: blocked.as_ref().map(|b| b.between(from, to)),
        }
    };

    let mut total = Sums::default();
    let mut series = Vec::new();
    for d in day0..day1 {
        let (sums, stacks) = daily.get(&d).copied().unwrap_or_default();
        total.add(&sums);
        series.push(Day {
            day: day_name(d * DAY),
            counts: counts(&sums, stacks, 1, d * DAY, (d + 1) * DAY),
        });
    }
    let active_stacks = per_stack.values().filter(|s| s.runs > 0).count() as u64;
    let totals = counts(&total, active_stacks, days, since, until);

    // the worst stacks
    let mut worst: Vec<StackMetrics> = per_stack
        .iter()
        .filter(|(_, s)| s.runs > 0)
        .map(|(id, s)| StackMetrics {
            stack: names
                .get(id)
                .map(|(p, n)| format!("{p}/{n}"))
                .unwrap_or_default(),
            runs: s.runs,
            violated_runs: s.violated,
            blocked_runs: s.blocked,
            violation_rate: share(s.violated, s.runs),
            open: open_by_stack.get(id).copied().unwrap_or(0),
        })
        .collect();
    worst.sort_by(|a, b| {
        b.violation_rate
            .unwrap_or(0.0)
            .total_cmp(&a.violation_rate.unwrap_or(0.0))
            .then(b.blocked_runs.cmp(&a.blocked_runs))
            .then(a.stack.cmp(&b.stack))
    });
    worst.truncate(top);

    // exemptions active at the window's end (or now, when it ends later)
    let at = until.min(now);
    let mut exemptions: BTreeMap<String, u64> = BTreeMap::new();
    for e in crate::sql_exemptions::exemptions(c, org_id, None)? {
        let in_scope = match &q.stacks {
            Some(wanted) => wanted.iter().any(|(p, n)| *p == e.project && *n == e.stack),
            None => true,
        };
        if in_scope
            && e.requested_at < at
            && e.applies(at)
            && q.policy.as_ref().is_none_or(|p| *p == e.policy)
        {
            *exemptions.entry(e.policy).or_default() += 1;
        }
    }

    // the most violated policies (the organization's own rollup when no stack is asked for)
    let by_day_table = if scope.is_none() {
        "metrics_daily_org_policy"
    } else {
        "metrics_daily_policy"
    };
    let mut top_policies = Vec::new();
    for r in c.query(
        &format!(
            "SELECT policy, pack, CAST(SUM(violated_runs) AS BIGINT),
                 CAST(SUM(blocked_runs) AS BIGINT), CAST(SUM(violations) AS BIGINT),
                 CAST(SUM(suppressed) AS BIGINT)
             FROM {by_day_table}
             WHERE org_id = ?1 AND day >= ?2 AND day < ?3 AND policy <> ''{stacks_sql}{POLICY_CLAUSE}
             GROUP BY policy, pack
             HAVING SUM(violations) + SUM(suppressed) > 0
             ORDER BY 3 DESC, 5 DESC, policy, pack"
        ),
        day_filter,
    )? {
        let (policy, pack): (String, String) = (r.get(0)?, r.get(1)?);
        top_policies.push(PolicyMetrics {
            open: open_by_policy
                .get(&(policy.clone(), pack.clone()))
                .copied()
                .unwrap_or(0),
            active_exemptions: exemptions.get(&policy).copied().unwrap_or(0),
            violated_runs: unsigned(r.get(2)?),
            blocked_runs: unsigned(r.get(3)?),
            violations: unsigned(r.get(4)?),
            suppressed: unsigned(r.get(5)?),
            policy,
            pack,
        });
    }
    if q.pack.is_some() {
        // a pack's exemptions: those of the policies it reported
        let of_pack: BTreeSet<&str> = top_policies.iter().map(|p| p.policy.as_str()).collect();
        exemptions.retain(|policy, _| of_pack.contains(policy.as_str()));
    }
    top_policies.truncate(top);
    let mut active_exemptions: Vec<PolicyExemptions> = exemptions
        .into_iter()
        .map(|(policy, active)| PolicyExemptions { policy, active })
        .collect();
    active_exemptions.sort_by(|a, b| b.active.cmp(&a.active).then(a.policy.cmp(&b.policy)));

    // uncovered types: the latest coverage-reporting run of each stack in the window
    let mut uncovered: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    if !by_policy {
        for r in c.query(
            &format!(
                "SELECT uncovered_types FROM runs WHERE id IN (
                     SELECT MAX(id) FROM runs WHERE org_id = ?1 AND created_at >= ?2
                         AND created_at < ?3 AND resources IS NOT NULL{stacks_sql}
                     GROUP BY stack_id)"
            ),
            params![org_id, since, until],
        )? {
            let text: Option<String> = r.get(0)?;
            for line in text.as_deref().unwrap_or_default().lines() {
                if let Some((type_, n)) = line.rsplit_once('\t') {
                    let e = uncovered.entry(type_.to_owned()).or_default();
                    e.0 += n.parse::<u64>().unwrap_or(0);
                    e.1 += 1;
                }
            }
        }
    }
    let mut uncovered_types: Vec<UncoveredType> = uncovered
        .into_iter()
        .map(|(type_, (resources, stacks))| UncoveredType {
            type_,
            resources,
            stacks,
        })
        .collect();
    uncovered_types.sort_by(|a, b| b.resources.cmp(&a.resources).then(a.type_.cmp(&b.type_)));

    Ok(Metrics {
        schema: METRICS_SCHEMA.to_owned(),
        since,
        until,
        stack: None,
        group: None,
        pack: q.pack.clone(),
        policy: q.policy.clone(),
        totals,
        daily: series,
        top_policies,
        worst_stacks: worst,
        uncovered_types,
        active_exemptions,
    })
}
