//! The enforcement records ([`crate::enforcement`]) on SQLite: stacks, policy groups, runs and
//! findings. Called from `SqliteStore`'s `Store` implementation, each function runs on the
//! connection (or transaction) it is given.

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use crate::enforcement::{
    FindingRecord, GroupRecord, HistoryFilter, NewFinding, NewRun, RunRecord, StackRecord,
};
use crate::StoreError;

/// Findings inserted by one statement: 64 rows of 15 values, well under SQLite's limit of
/// bound values, and few statements per run.
const FINDINGS_PER_INSERT: usize = 64;
const FINDING_COLUMNS: usize = 15;

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

fn stack_row(r: &Row<'_>) -> rusqlite::Result<StackRecord> {
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
    conn: &Connection,
    org_id: i64,
    project: &str,
    name: &str,
) -> Result<Option<StackRecord>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id, project, name, tags, created_at, updated_at FROM stacks
             WHERE org_id = ?1 AND project = ?2 AND name = ?3",
            params![org_id, project, name],
            stack_row,
        )
        .optional()?)
}

pub(crate) fn set_stack(
    conn: &Connection,
    org_id: i64,
    project: &str,
    name: &str,
    tags: &[(String, String)],
    now: i64,
) -> Result<StackRecord, StoreError> {
    Ok(conn.query_row(
        "INSERT INTO stacks (org_id, project, name, tags, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (org_id, project, name) DO UPDATE SET tags = excluded.tags, updated_at = excluded.updated_at
         RETURNING id, project, name, tags, created_at, updated_at",
        params![org_id, project, name, join_tags(tags), now],
        stack_row,
    )?)
}

pub(crate) fn groups(conn: &Connection, org_id: i64) -> Result<Vec<GroupRecord>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.name, g.spec, u.name, g.updated_at FROM policy_groups g
         JOIN users u ON u.id = g.updated_by WHERE g.org_id = ?1 ORDER BY g.name",
    )?;
    let rows = stmt.query_map([org_id], |r| {
        Ok(GroupRecord {
            name: r.get(0)?,
            spec: r.get(1)?,
            updated_by: r.get(2)?,
            updated_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn put_group(
    conn: &mut Connection,
    org_id: i64,
    name: &str,
    spec: &str,
    user_id: i64,
    now: i64,
) -> Result<bool, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let existed = tx
        .query_row(
            "SELECT 1 FROM policy_groups WHERE org_id = ?1 AND name = ?2",
            params![org_id, name],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    tx.execute(
        "INSERT INTO policy_groups (org_id, name, spec, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (org_id, name) DO UPDATE SET spec = excluded.spec,
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        params![org_id, name, spec, user_id, now],
    )?;
    tx.commit()?;
    Ok(!existed)
}

pub(crate) fn delete_group(conn: &Connection, org_id: i64, name: &str) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "DELETE FROM policy_groups WHERE org_id = ?1 AND name = ?2",
        params![org_id, name],
    )? > 0)
}

fn findings_insert(rows: usize) -> String {
    let one = format!("({})", vec!["?"; FINDING_COLUMNS].join(", "));
    format!(
        "INSERT INTO findings (run_id, org_id, stack_id, created_at, fingerprint, policy, pack,
             resource, resource_type, outcome, level, severity, blocking, central, message)
         VALUES {}",
        vec![one; rows].join(", ")
    )
}

pub(crate) fn record_run(
    conn: &mut Connection,
    org_id: i64,
    user_id: i64,
    run: &NewRun<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.prepare_cached(
        "INSERT INTO stacks (org_id, project, name, tags, created_at, updated_at)
         VALUES (?1, ?2, ?3, '', ?4, ?4) ON CONFLICT (org_id, project, name) DO NOTHING",
    )?
    .execute(params![org_id, run.project, run.stack, now])?;
    let stack_id: i64 = tx
        .prepare_cached("SELECT id FROM stacks WHERE org_id = ?1 AND project = ?2 AND name = ?3")?
        .query_row(params![org_id, run.project, run.stack], |r| r.get(0))?;
    let count = i64::try_from(run.findings.len()).unwrap_or(i64::MAX);
    let run_id: i64 = tx
        .prepare_cached(
            "INSERT INTO runs (org_id, stack_id, kind, source, outcome, commit_sha, branch,
                 pull_request, user_id, actor, created_at, summary, finding_count)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) RETURNING id",
        )?
        .query_row(
            params![
                org_id,
                stack_id,
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
                count
            ],
            |r| r.get(0),
        )?;
    for chunk in run.findings.chunks(FINDINGS_PER_INSERT) {
        let mut stmt = tx.prepare_cached(&findings_insert(chunk.len()))?;
        // Borrowed, not copied: a run's text goes straight from the upload to SQLite.
        let mut values: Vec<&dyn rusqlite::ToSql> =
            Vec::with_capacity(chunk.len() * FINDING_COLUMNS);
        for f in chunk {
            values.extend([
                &run_id as &dyn rusqlite::ToSql,
                &org_id,
                &stack_id,
                &now,
                &f.fingerprint,
                &f.policy,
                &f.pack,
                &f.resource,
                &f.resource_type,
                &f.outcome,
                &f.level,
                &f.severity,
                &f.blocking,
                &f.central,
                &f.message,
            ]);
        }
        stmt.execute(values.as_slice())?;
    }
    tx.commit()?;
    Ok(run_id)
}

const RUN_COLUMNS: &str = "r.id, s.project, s.name, r.kind, r.source, r.outcome, r.commit_sha,
    r.branch, r.pull_request, u.name, r.actor, r.created_at, r.summary, r.finding_count";

fn run_row(r: &Row<'_>) -> rusqlite::Result<RunRecord> {
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

fn finding_row(r: &Row<'_>) -> rusqlite::Result<FindingRecord> {
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

pub(crate) fn runs(
    conn: &Connection,
    org_id: i64,
    f: &HistoryFilter,
) -> Result<Vec<RunRecord>, StoreError> {
    let (project, name) = f.stack.clone().unzip();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {RUN_COLUMNS} FROM runs r JOIN stacks s ON s.id = r.stack_id
         JOIN users u ON u.id = r.user_id
         WHERE r.org_id = ?1
           AND (?2 IS NULL OR (s.project = ?2 AND s.name = ?3))
           AND (?4 IS NULL OR r.kind = ?4)
           AND (?5 IS NULL OR r.outcome = ?5)
           AND (?6 IS NULL OR EXISTS (SELECT 1 FROM findings f WHERE f.run_id = r.id AND f.policy = ?6))
           AND (?7 IS NULL OR r.created_at >= ?7)
           AND (?8 IS NULL OR r.created_at < ?8)
           AND (?9 IS NULL OR r.id < ?9)
         ORDER BY r.id DESC LIMIT ?10"
    ))?;
    let rows = stmt.query_map(
        params![
            org_id, project, name, f.kind, f.outcome, f.policy, f.since, f.until, f.before, f.limit
        ],
        run_row,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn run(
    conn: &Connection,
    org_id: i64,
    run_id: i64,
) -> Result<Option<(RunRecord, Vec<FindingRecord>)>, StoreError> {
    let Some(record) = conn
        .prepare_cached(&format!(
            "SELECT {RUN_COLUMNS} FROM runs r JOIN stacks s ON s.id = r.stack_id
             JOIN users u ON u.id = r.user_id WHERE r.org_id = ?1 AND r.id = ?2"
        ))?
        .query_row(params![org_id, run_id], run_row)
        .optional()?
    else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {FINDING_SELECT} FROM findings f JOIN stacks s ON s.id = f.stack_id
         WHERE f.run_id = ?1 ORDER BY f.id"
    ))?;
    let findings = stmt
        .query_map([run_id], finding_row)?
        .collect::<Result<_, _>>()?;
    Ok(Some((record, findings)))
}

pub(crate) fn findings(
    conn: &Connection,
    org_id: i64,
    f: &HistoryFilter,
) -> Result<Vec<FindingRecord>, StoreError> {
    let (project, name) = f.stack.clone().unzip();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {FINDING_SELECT} FROM findings f JOIN stacks s ON s.id = f.stack_id
         WHERE f.org_id = ?1
           AND (?2 IS NULL OR (s.project = ?2 AND s.name = ?3))
           AND (?4 IS NULL OR f.run_id IN (SELECT id FROM runs WHERE org_id = ?1 AND kind = ?4))
           AND (?5 IS NULL OR f.outcome = ?5)
           AND (?6 IS NULL OR f.policy = ?6)
           AND (?7 IS NULL OR f.created_at >= ?7)
           AND (?8 IS NULL OR f.created_at < ?8)
           AND (?9 IS NULL OR f.id < ?9)
         ORDER BY f.id DESC LIMIT ?10"
    ))?;
    let rows = stmt.query_map(
        params![
            org_id, project, name, f.kind, f.outcome, f.policy, f.since, f.until, f.before, f.limit
        ],
        finding_row,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use crate::{HistoryFilter, NewFinding, NewRun, NewToken, SqliteStore, Store};

    fn finding(policy: &str, i: usize) -> NewFinding {
        NewFinding {
            fingerprint: format!("fp{i}"),
            policy: policy.into(),
            pack: "p".into(),
            resource: Some(format!("aws_s3_bucket.b{i}")),
            resource_type: Some("aws_s3_bucket".into()),
            outcome: "violation".into(),
            level: "mandatory".into(),
            severity: "high".into(),
            blocking: true,
            central: i.is_multiple_of(2),
            message: format!("message {i}"),
        }
    }

    #[test]
    fn runs_are_stored_whole_and_queried_by_stack_policy_time_and_page() {
        let store = SqliteStore::in_memory().unwrap();
        let token = NewToken {
            hash: "h",
            description: "t",
            expires_at: None,
            stacks: &[],
        };
        let org = store.create_org("a", "alice", token, 1).unwrap();
        let alice = store.user(org.id, "alice").unwrap().unwrap();
        let many: Vec<NewFinding> = (0..150).map(|i| finding("AWS-S3-001", i)).collect();
        fn run<'a>(stack: &'a str, findings: &'a [NewFinding]) -> NewRun<'a> {
            NewRun {
                project: "app",
                stack,
                kind: "plan",
                source: "client",
                outcome: if findings.is_empty() {
                    "passed"
                } else {
                    "blocked"
                },
                commit: Some("abc"),
                branch: None,
                pull_request: None,
                actor: None,
                summary: "{}",
                findings,
            }
        }
        let first = store
            .record_run(org.id, alice.id, run("prod", &many), 10)
            .unwrap();
        let second = store
            .record_run(org.id, alice.id, run("dev", &[]), 20)
            .unwrap();
        assert!(second > first);
        let (record, findings) = store.run(org.id, first).unwrap().unwrap();
        assert_eq!(record.finding_count, 150);
        assert_eq!(findings.len(), 150, "every chunk of the multi-row insert");
        assert_eq!(findings[149].finding, many[149]);
        assert_eq!(record.stack, "app/prod");
        let all = |f: HistoryFilter| store.runs(org.id, &f).unwrap();
        let base = HistoryFilter {
            limit: 10,
            ..HistoryFilter::default()
        };
        assert_eq!(all(base.clone()).len(), 2);
        let only = |f: HistoryFilter| all(f).iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(
            only(HistoryFilter {
                stack: Some(("app".into(), "dev".into())),
                ..base.clone()
            }),
            [second]
        );
        assert_eq!(
            only(HistoryFilter {
                policy: Some("AWS-S3-001".into()),
                ..base.clone()
            }),
            [first]
        );
        assert_eq!(
            only(HistoryFilter {
                since: Some(15),
                ..base.clone()
            }),
            [second]
        );
        assert_eq!(
            only(HistoryFilter {
                limit: 1,
                ..base.clone()
            }),
            [second],
            "newest first"
        );
        assert_eq!(
            only(HistoryFilter {
                before: Some(second),
                ..base.clone()
            }),
            [first],
            "the next page"
        );
        let page = store
            .findings(
                org.id,
                &HistoryFilter {
                    limit: 100,
                    ..HistoryFilter::default()
                },
            )
            .unwrap();
        assert_eq!(page.len(), 100);
        assert_eq!(page[0].finding.message, "message 149");
        assert!(
            store.runs(org.id + 1, &base).unwrap().is_empty(),
            "other org"
        );
        assert!(store.run(org.id + 1, first).unwrap().is_none(), "other org");
    }

    #[test]
    fn stacks_keep_tags_and_groups_are_replaced() {
        let store = SqliteStore::in_memory().unwrap();
        let token = NewToken {
            hash: "h",
            description: "t",
            expires_at: None,
            stacks: &[],
        };
        let org = store.create_org("a", "alice", token, 1).unwrap();
        let alice = store.user(org.id, "alice").unwrap().unwrap();
        assert!(store.stack(org.id, "app", "prod").unwrap().is_none());
        let tags = vec![("env".to_owned(), "prod".to_owned())];
        let s = store.set_stack(org.id, "app", "prod", &tags, 5).unwrap();
        assert_eq!(s.tags, tags);
        let s2 = store.set_stack(org.id, "app", "prod", &[], 6).unwrap();
        assert_eq!((s2.id, s2.created_at, s2.updated_at), (s.id, 5, 6));
        assert!(store.put_group(org.id, "g", "{}", alice.id, 7).unwrap());
        assert!(!store
            .put_group(org.id, "g", "{\"a\":1}", alice.id, 8)
            .unwrap());
        let groups = store.groups(org.id).unwrap();
        assert_eq!(groups.len(), 1);
        assert_eq!(
            (groups[0].spec.as_str(), groups[0].updated_by.as_str()),
            ("{\"a\":1}", "alice")
        );
        assert!(store.delete_group(org.id, "g").unwrap());
        assert!(!store.delete_group(org.id, "g").unwrap());
    }
}
