//! The enforcement records ([`crate::enforcement`]): stacks, policy groups, runs and findings,
//! written once for both databases. `SqlStore`'s `Store` implementation runs each function in
//! a write transaction or on a reading connection.

use crate::db::{params, Conn, Param, Row};
use crate::enforcement::{
    FindingRecord, GroupRecord, HistoryFilter, NewFinding, NewRun, RunRecord, RunUpload,
    StackRecord,
};
use crate::StoreError;

/// The columns of a finding, in the order `record_run` gives their values.
const FINDING_COLUMNS: [&str; 15] = [
    "run_id",
    "org_id",
    "stack_id",
    "created_at",
    "fingerprint",
    "policy",
    "pack",
    "resource",
    "resource_type",
    "outcome",
    "level",
    "severity",
    "blocking",
    "central",
    "message",
];

fn join_tags(tags: &[(String, String)]) -> String {
    tags.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn split_tags(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

const STACK_COLUMNS: &str = "id, project, name, tags, created_at, updated_at";

fn stack_row(r: &Row) -> Result<StackRecord, StoreError> {
    let tags: String = r.get(3)?;
    Ok(StackRecord {
        id: r.get(0)?,
        project: r.get(1)?,
        name: r.get(2)?,
        tags: split_tags(&tags),
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

pub(crate) fn stack(
    c: &mut dyn Conn,
    org_id: i64,
    project: &str,
    name: &str,
) -> Result<Option<StackRecord>, StoreError> {
    c.query_opt(
        &format!(
            "SELECT {STACK_COLUMNS} FROM stacks WHERE org_id = ?1 AND project = ?2 AND name = ?3"
        ),
        params![org_id, project, name],
    )?
    .map(|r| stack_row(&r))
    .transpose()
}

pub(crate) fn stacks(c: &mut dyn Conn, org_id: i64) -> Result<Vec<StackRecord>, StoreError> {
    c.query(
        &format!("SELECT {STACK_COLUMNS} FROM stacks WHERE org_id = ?1 ORDER BY project, name"),
        params![org_id],
    )?
    .iter()
    .map(stack_row)
    .collect()
}

pub(crate) fn set_stack(
    c: &mut dyn Conn,
    org_id: i64,
    project: &str,
    name: &str,
    tags: &[(String, String)],
    now: i64,
) -> Result<StackRecord, StoreError> {
    let tags = join_tags(tags);
    stack_row(&c.query_one(
        &format!(
            "INSERT INTO stacks (org_id, project, name, tags, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (org_id, project, name) DO UPDATE SET tags = excluded.tags, updated_at = excluded.updated_at
             RETURNING {STACK_COLUMNS}"
        ),
        params![org_id, project, name, &tags, now],
    )?)
}

pub(crate) fn groups(c: &mut dyn Conn, org_id: i64) -> Result<Vec<GroupRecord>, StoreError> {
    c.query(
        "SELECT g.name, g.spec, u.name, g.updated_at FROM policy_groups g
         JOIN users u ON u.id = g.updated_by WHERE g.org_id = ?1 ORDER BY g.name",
        params![org_id],
    )?
    .iter()
    .map(|r| {
        Ok(GroupRecord {
            name: r.get(0)?,
            spec: r.get(1)?,
            updated_by: r.get(2)?,
            updated_at: r.get(3)?,
        })
    })
    .collect()
}

pub(crate) fn put_group(
    c: &mut dyn Conn,
    org_id: i64,
    name: &str,
    spec: &str,
    user_id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    // The row is locked by the upsert below; `created_at` is not a column, so whether it is new
    // is asked first (in PostgreSQL, `xmax = 0` would tell, but SQLite has no such thing).
    let existed = c
        .query_opt(
            "SELECT id FROM policy_groups WHERE org_id = ?1 AND name = ?2",
            params![org_id, name],
        )?
        .is_some();
    c.execute(
        "INSERT INTO policy_groups (org_id, name, spec, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (org_id, name) DO UPDATE SET spec = excluded.spec,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        params![org_id, name, spec, user_id, now],
    )?;
    Ok(!existed)
}

pub(crate) fn delete_group(c: &mut dyn Conn, org_id: i64, name: &str) -> Result<bool, StoreError> {
    Ok(c.execute(
        "DELETE FROM policy_groups WHERE org_id = ?1 AND name = ?2",
        params![org_id, name],
    )? > 0)
}

pub(crate) fn record_run(
    c: &mut dyn Conn,
    org_id: i64,
    user_id: i64,
    run: &NewRun<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    let one = RunUpload {
        org_id,
        user_id,
        run: run.clone(),
        now,
    };
    record_runs(c, std::slice::from_ref(&one))?
        .first()
        .copied()
        .ok_or_else(|| StoreError::Database("a stored run has no id".into()))
}

/// Stores runs in the transaction `c` is in: each run's row, then the findings of all of them
/// in one insert (PostgreSQL: one `COPY`), then the metrics' rollups of all of them. Returns
/// their ids, in order.
pub(crate) fn record_runs(
    c: &mut dyn Conn,
    runs: &[RunUpload<'_>],
) -> Result<Vec<i64>, StoreError> {
    let total: usize = runs.iter().map(|r| r.run.findings.len()).sum();
    let mut values: Vec<Param<'_>> = Vec::with_capacity(total * FINDING_COLUMNS.len());
    let mut ids = Vec::with_capacity(runs.len());
    let mut rolled = Vec::with_capacity(runs.len());
    for r in runs {
        let (org_id, run, now) = (r.org_id, &r.run, r.now);
        let (run_id, stack_id) = insert_run(c, org_id, r.user_id, run, now)?;
        rolled.push(crate::sql_metrics::RolledRun {
            org_id,
            stack_id,
            run_id,
            run,
            now,
        });
        for f in run.findings {
            values.extend(params![
                run_id,
                org_id,
                stack_id,
                now,
                &f.fingerprint,
                &f.policy,
                &f.pack,
                f.resource.as_ref(),
                f.resource_type.as_ref(),
                &f.outcome,
                &f.level,
                &f.severity,
                f.blocking,
                f.central,
                &f.message,
            ]);
        }
        ids.push(run_id);
    }
    c.insert_many("findings", &FINDING_COLUMNS, &values)?;
    // the metrics' rollups, the whole batch at once in upload order (they read the spans
    // stored before it, never the findings table)
    crate::sql_metrics::rollup(c, &rolled)?;
    Ok(ids)
}

/// A run's row (and its stack's, on the stack's first run); returns the ids of both.
fn insert_run(
    c: &mut dyn Conn,
    org_id: i64,
    user_id: i64,
    run: &NewRun<'_>,
    now: i64,
) -> Result<(i64, i64), StoreError> {
    // One statement finds the stack and inserts the run (a round trip less on PostgreSQL);
    // every value is cast, as PostgreSQL cannot infer a type from a `SELECT` list. The stack
    // is recorded on its first run (no write to its row later, which concurrent uploads
    // would queue on).
    let count = i64::try_from(run.findings.len()).unwrap_or(i64::MAX);
    let uncovered = crate::sql_metrics::uncovered_text(run.coverage);
    let insert = "INSERT INTO runs (org_id, stack_id, kind, source, outcome, commit_sha, branch,
             pull_request, user_id, actor, created_at, summary, finding_count, violations,
             suppressed, resources, covered, uncovered_types)
         SELECT s.org_id, s.id, CAST(?4 AS TEXT), CAST(?5 AS TEXT), CAST(?6 AS TEXT),
             CAST(?7 AS TEXT), CAST(?8 AS TEXT), CAST(?9 AS TEXT), CAST(?10 AS BIGINT),
             CAST(?11 AS TEXT), CAST(?12 AS BIGINT), CAST(?13 AS TEXT), CAST(?14 AS BIGINT),
             CAST(?15 AS BIGINT), CAST(?16 AS BIGINT), CAST(?17 AS BIGINT), CAST(?18 AS BIGINT),
             CAST(?19 AS TEXT)
         FROM stacks s WHERE s.org_id = ?1 AND s.project = ?2 AND s.name = ?3
         RETURNING id, stack_id";
    let values = params![
        org_id,
        run.project,
        run.stack,
        run.kind,
        run.source,
        run.outcome,
        run.commit,
        run.branch,
        run.pull_request,
        user_id,
        run.actor,
        now,
        run.summary,
        count,
        outcome_count(run, "violation"),
        outcome_count(run, "suppressed"),
        run.coverage
            .map(|c| i64::try_from(c.resources).unwrap_or(i64::MAX)),
        run.coverage
            .map(|c| i64::try_from(c.covered).unwrap_or(i64::MAX)),
        uncovered.as_ref()
    ];
    let row = match c.query_opt(insert, values)? {
        Some(row) => row,
        None => {
            c.execute(
                "INSERT INTO stacks (org_id, project, name, tags, created_at, updated_at)
                 VALUES (?1, ?2, ?3, '', ?4, ?4) ON CONFLICT (org_id, project, name) DO NOTHING",
                params![org_id, run.project, run.stack, now],
            )?;
            c.query_one(insert, values)?
        }
    };
    Ok((row.get(0)?, row.get(1)?))
}

fn outcome_count(run: &NewRun<'_>, outcome: &str) -> i64 {
    i64::try_from(run.findings.iter().filter(|f| f.outcome == outcome).count()).unwrap_or(i64::MAX)
}

const RUN_COLUMNS: &str = "r.id, s.project, s.name, r.kind, r.source, r.outcome, r.commit_sha,
    r.branch, r.pull_request, u.name, r.actor, r.created_at, r.summary, r.finding_count";

pub(crate) fn run_row(r: &Row) -> Result<RunRecord, StoreError> {
    let project: String = r.get(1)?;
    let name: String = r.get(2)?;
    Ok(RunRecord {
        id: r.get(0)?,
        stack: format!("{project}/{name}"),
        kind: r.get(3)?,
        source: r.get(4)?,
        outcome: r.get(5)?,
        commit: r.get(6)?,
        branch: r.get(7)?,
        pull_request: r.get(8)?,
        user: r.get(9)?,
        actor: r.get(10)?,
        created_at: r.get(11)?,
        summary: r.get(12)?,
        finding_count: r.get(13)?,
    })
}

const FINDING_SELECT: &str = "f.id, f.run_id, s.project, s.name, f.created_at, f.fingerprint,
    f.policy, f.pack, f.resource, f.resource_type, f.outcome, f.level, f.severity, f.blocking,
    f.central, f.message";

fn finding_row(r: &Row) -> Result<FindingRecord, StoreError> {
    let project: String = r.get(2)?;
    let name: String = r.get(3)?;
    Ok(FindingRecord {
        id: r.get(0)?,
        run_id: r.get(1)?,
        stack: format!("{project}/{name}"),
        created_at: r.get(4)?,
        finding: NewFinding {
            fingerprint: r.get(5)?,
            policy: r.get(6)?,
            pack: r.get(7)?,
            resource: r.get(8)?,
            resource_type: r.get(9)?,
            outcome: r.get(10)?,
            level: r.get(11)?,
            severity: r.get(12)?,
            blocking: r.get(13)?,
            central: r.get(14)?,
            message: r.get(15)?,
        },
    })
}

/// The filter's values as parameters `?2` to `?10` (`?1` is the organization).
pub(crate) fn filter_params<'a>(org_id: i64, f: &'a HistoryFilter) -> Vec<Param<'a>> {
    let (project, name) = match &f.stack {
        Some((p, n)) => (Some(p), Some(n)),
        None => (None, None),
    };
    params![
        org_id,
        project,
        name,
        f.kind.as_ref(),
        f.outcome.as_ref(),
        f.policy.as_ref(),
        f.since,
        f.until,
        f.before,
        f.limit
    ]
    .to_vec()
}

/// The stack part of a history query on the table aliased `alias`: when the filter names a
/// stack, its id is compared plainly, so that the planner reads the stack's rows through its
/// index (`runs_by_stack`) instead of scanning the organization's history newest first.
fn stack_clause(alias: &str, f: &HistoryFilter) -> String {
    if f.stack.is_some() {
        format!(
            "AND {alias}.stack_id = (SELECT id FROM stacks WHERE org_id = ?1 AND project = ?2 AND name = ?3)"
        )
    } else {
        "AND CAST(?2 AS TEXT) IS NULL AND CAST(?3 AS TEXT) IS NULL".to_owned()
    }
}

pub(crate) fn runs(
    c: &mut dyn Conn,
    org_id: i64,
    f: &HistoryFilter,
) -> Result<Vec<RunRecord>, StoreError> {
    let stack = stack_clause("r", f);
    c.query(
        &format!(
            "SELECT {RUN_COLUMNS} FROM runs r JOIN stacks s ON s.id = r.stack_id
             JOIN users u ON u.id = r.user_id
             WHERE r.org_id = ?1
               {stack}
               AND (CAST(?4 AS TEXT) IS NULL OR r.kind = ?4)
               AND (CAST(?5 AS TEXT) IS NULL OR r.outcome = ?5)
               AND (CAST(?6 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM findings f WHERE f.run_id = r.id AND f.policy = ?6))
               AND (CAST(?7 AS BIGINT) IS NULL OR r.created_at >= ?7)
               AND (CAST(?8 AS BIGINT) IS NULL OR r.created_at < ?8)
               AND (CAST(?9 AS BIGINT) IS NULL OR r.id < ?9)
             ORDER BY r.id DESC LIMIT ?10"
        ),
        &filter_params(org_id, f),
    )?
    .iter()
    .map(run_row)
    .collect()
}

pub(crate) fn run(
    c: &mut dyn Conn,
    org_id: i64,
    run_id: i64,
) -> Result<Option<(RunRecord, Vec<FindingRecord>)>, StoreError> {
    let Some(record) = c.query_opt(
        &format!(
            "SELECT {RUN_COLUMNS} FROM runs r JOIN stacks s ON s.id = r.stack_id
             JOIN users u ON u.id = r.user_id WHERE r.org_id = ?1 AND r.id = ?2"
        ),
        params![org_id, run_id],
    )?
    else {
        return Ok(None);
    };
    let findings = c
        .query(
            &format!(
                "SELECT {FINDING_SELECT} FROM findings f JOIN stacks s ON s.id = f.stack_id
                 WHERE f.run_id = ?1 ORDER BY f.id"
            ),
            params![run_id],
        )?
        .iter()
        .map(finding_row)
        .collect::<Result<_, _>>()?;
    Ok(Some((run_row(&record)?, findings)))
}

/// The query of [`findings`]: `?1` the organization, `?2`…`?10` the filter
/// ([`filter_params`]).
/// The history's findings query for a filter: a named stack through its id, a named policy
/// compared plainly; newest first through `findings_by_org (org_id, id)`.
pub(crate) fn findings_sql(f: &HistoryFilter) -> String {
    let stack = stack_clause("f", f);
    let policy = if f.policy.is_some() {
        "AND f.policy = ?6"
    } else {
        "AND CAST(?6 AS TEXT) IS NULL"
    };
    format!(
        "SELECT {FINDING_SELECT} FROM findings f JOIN stacks s ON s.id = f.stack_id
         WHERE f.org_id = ?1
           {stack}
           AND (CAST(?4 AS TEXT) IS NULL OR f.run_id IN (SELECT id FROM runs WHERE org_id = ?1 AND kind = ?4))
           AND (CAST(?5 AS TEXT) IS NULL OR f.outcome = ?5)
           {policy}
           AND (CAST(?7 AS BIGINT) IS NULL OR f.created_at >= ?7)
           AND (CAST(?8 AS BIGINT) IS NULL OR f.created_at < ?8)
           AND (CAST(?9 AS BIGINT) IS NULL OR f.id < ?9)
         ORDER BY f.id DESC LIMIT ?10"
    )
}

pub(crate) fn findings(
    c: &mut dyn Conn,
    org_id: i64,
    f: &HistoryFilter,
) -> Result<Vec<FindingRecord>, StoreError> {
    c.query(&findings_sql(f), &filter_params(org_id, f))?
        .iter()
        .map(finding_row)
        .collect()
}
