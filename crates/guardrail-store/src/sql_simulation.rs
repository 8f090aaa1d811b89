//! Progressive enforcement and per-pack grants ([`crate::simulation`]), written once for both
//! databases: users with their pack limits, the runs a simulation replays, the stored inputs of
//! server-side evaluations, a promotion (a group changed and audited as one), and the audit
//! entry of a simulation.

use serde_json::{json, Value};

use crate::db::{params, Conn, DbError};
use crate::enforcement::NewFinding;
use crate::simulation::{GroupPromotion, NewUser, ReplayQuery, ReplayRun, StoredInput, UserChange};
use crate::sql::{user_row, USER_COLUMNS};
use crate::sql_enforcement as enforcement;
use crate::sql_exemptions::audit;
use crate::{StoreError, User};

fn join_packs(packs: Option<&[String]>) -> Option<String> {
    packs.map(|p| p.join("\n"))
}

/// A user as the audit log records it.
fn user_json(u: &User) -> Value {
    json!({"name": u.name, "role": u.role.as_str(), "packs": u.packs})
}

fn find_user(c: &mut dyn Conn, org_id: i64, name: &str) -> Result<Option<User>, StoreError> {
    c.query_opt(
        &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.org_id = ?1 AND u.name = ?2"),
        params![org_id, name],
    )?
    .map(|r| user_row(&r, 0))
    .transpose()
}

pub(crate) fn add_user(
    c: &mut dyn Conn,
    org_id: i64,
    user: &NewUser<'_>,
    by: i64,
    now: i64,
) -> Result<User, StoreError> {
    let packs = join_packs(user.packs);
    match c.query_opt(
        "INSERT INTO users (org_id, name, role, created_at, packs) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        params![org_id, user.name, user.role.as_str(), now, packs.as_ref()],
    ) {
        Err(DbError::Unique(_)) => {
            return Err(StoreError::Exists(format!("the user `{}`", user.name)))
        }
        other => {
            other?;
        }
    }
    let stored = find_user(c, org_id, user.name)?
        .ok_or_else(|| StoreError::Missing(format!("the user `{}`", user.name)))?;
    audit(
        c,
        org_id,
        by,
        "user",
        "create",
        user.name,
        None,
        Some(&user_json(&stored)),
        now,
    )?;
    Ok(stored)
}

pub(crate) fn change_user(
    c: &mut dyn Conn,
    org_id: i64,
    name: &str,
    change: &UserChange<'_>,
    by: i64,
    now: i64,
) -> Result<Option<User>, StoreError> {
    let Some(before) = find_user(c, org_id, name)? else {
        return Ok(None);
    };
    if let Some(role) = change.role {
        c.execute(
            "UPDATE users SET role = ?3 WHERE org_id = ?1 AND name = ?2",
            params![org_id, name, role.as_str()],
        )?;
    }
    if let Some(packs) = change.packs {
        let packs = join_packs(packs);
        c.execute(
            "UPDATE users SET packs = ?3 WHERE org_id = ?1 AND name = ?2",
            params![org_id, name, packs.as_ref()],
        )?;
    }
    let after = find_user(c, org_id, name)?
        .ok_or_else(|| StoreError::Missing(format!("the user `{name}`")))?;
    if after != before {
        audit(
            c,
            org_id,
            by,
            "user",
            "update",
            name,
            Some(&user_json(&before)),
            Some(&user_json(&after)),
            now,
        )?;
    }
    Ok(Some(after))
}

pub(crate) fn replay(
    c: &mut dyn Conn,
    org_id: i64,
    q: &ReplayQuery,
) -> Result<Vec<ReplayRun>, StoreError> {
    let runs = c.query(
        "SELECT r.id, s.project, s.name, r.kind, r.source, r.outcome, r.commit_sha,
             r.branch, r.pull_request, u.name, r.actor, r.created_at, r.summary, r.finding_count,
             i.run_id
         FROM runs r JOIN stacks s ON s.id = r.stack_id JOIN users u ON u.id = r.user_id
         LEFT JOIN run_inputs i ON i.run_id = r.id
         WHERE r.org_id = ?1 AND r.created_at >= ?2
           AND (CAST(?3 AS BIGINT) IS NULL OR r.created_at < ?3)
         ORDER BY r.id",
        params![org_id, q.since, q.until],
    )?;
    let mut out: Vec<ReplayRun> = Vec::with_capacity(runs.len());
    for r in &runs {
        let has_input: Option<i64> = r.get(14)?;
        out.push(ReplayRun {
            run: enforcement::run_row(r)?,
            findings: Vec::new(),
            has_input: has_input.is_some(),
        });
    }
    let findings = c.query(
        "SELECT f.run_id, f.fingerprint, f.policy, f.pack, f.resource, f.resource_type,
             f.outcome, f.level, f.severity, f.blocking, f.central, f.message
         FROM findings f
         WHERE f.org_id = ?1 AND f.created_at >= ?2
           AND (CAST(?3 AS BIGINT) IS NULL OR f.created_at < ?3)
           AND (f.policy = ?4 OR f.blocking)
         ORDER BY f.id",
        params![org_id, q.since, q.until, &q.policy],
    )?;
    for r in &findings {
        let run_id: i64 = r.get(0)?;
        // both lists are in id order; runs are few next to findings, so a search is cheap
        let Ok(at) = out.binary_search_by_key(&run_id, |x| x.run.id) else {
            continue;
        };
        if let Some(run) = out.get_mut(at) {
            run.findings.push(NewFinding {
                fingerprint: r.get(1)?,
                policy: r.get(2)?,
                pack: r.get(3)?,
                resource: r.get(4)?,
                resource_type: r.get(5)?,
                outcome: r.get(6)?,
                level: r.get(7)?,
                severity: r.get(8)?,
                blocking: r.get(9)?,
                central: r.get(10)?,
                message: r.get(11)?,
            });
        }
    }
    Ok(out)
}

pub(crate) fn store_input(
    c: &mut dyn Conn,
    org_id: i64,
    run_id: i64,
    input: &StoredInput,
) -> Result<(), StoreError> {
    c.execute(
        "INSERT INTO run_inputs (run_id, org_id, format, model) VALUES (?1, ?2, ?3, ?4)",
        params![run_id, org_id, &input.format, input.model.as_slice()],
    )?;
    Ok(())
}

pub(crate) fn run_input(
    c: &mut dyn Conn,
    org_id: i64,
    run_id: i64,
) -> Result<Option<StoredInput>, StoreError> {
    c.query_opt(
        "SELECT format, model FROM run_inputs WHERE org_id = ?1 AND run_id = ?2",
        params![org_id, run_id],
    )?
    .map(|r| {
        Ok(StoredInput {
            format: r.get(0)?,
            model: r.get(1)?,
        })
    })
    .transpose()
}

/// Replaces a group's spec and records the promotion: before, the old spec; after, the new
/// one with `promotion` (what changed, the simulation's numbers, whether it was forced).
/// Refused when the group's stored spec is no longer the one the promotion was made from.
pub(crate) fn promote(
    c: &mut dyn Conn,
    org_id: i64,
    p: &GroupPromotion<'_>,
    by: i64,
    now: i64,
) -> Result<bool, StoreError> {
    // Read in the write transaction (SQLite's one writer; PostgreSQL locks the row below), so
    // that a change between the simulation and this write is seen.
    let stored: Option<String> = c
        .query_opt(
            "SELECT spec FROM policy_groups WHERE org_id = ?1 AND name = ?2",
            params![org_id, p.group],
        )?
        .map(|r| r.get::<String>(0))
        .transpose()?;
    if stored.as_deref() != p.expected {
        return Err(StoreError::Refused(format!(
            "the group `{}` changed while the promotion was simulated: promote again",
            p.group
        )));
    }
    let before = stored.map(|s| serde_json::from_str::<Value>(&s).unwrap_or(Value::String(s)));
    let created = enforcement::put_group(c, org_id, p.group, p.spec, by, now)?;
    let mut after = serde_json::from_str::<Value>(p.spec).unwrap_or(Value::Null);
    if let Some(obj) = after.as_object_mut() {
        obj.insert("promotion".into(), p.promotion.clone());
    }
    audit(
        c,
        org_id,
        by,
        "group",
        "promote",
        p.group,
        before.as_ref(),
        Some(&after),
        now,
    )?;
    Ok(created)
}
