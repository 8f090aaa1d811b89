//! The exemption workflow and the audit log ([`crate::exemptions`]), written once for both
//! databases. Every change writes its audit entry through [`audit`] in its own transaction.

use serde_json::{json, Value};

use crate::db::{params, Conn, Row};
use crate::exemptions::{AuditEntry, AuditFilter, Decision, ExemptionRecord, NewExemption};
use crate::StoreError;

/// Appends an entry to the audit log (in the caller's transaction).
#[expect(
    clippy::too_many_arguments,
    reason = "one entry's columns, named at every call"
)]
pub(crate) fn audit(
    c: &mut dyn Conn,
    org_id: i64,
    by: i64,
    kind: &str,
    action: &str,
    target: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    now: i64,
) -> Result<(), StoreError> {
    let before = before.map(Value::to_string);
    let after = after.map(Value::to_string);
    c.execute(
        "INSERT INTO audit_log (org_id, at, actor_id, kind, action, target, before_json, after_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![org_id, now, by, kind, action, target, before.as_ref(), after.as_ref()],
    )?;
    Ok(())
}

/// The organization of a user (for entries about tokens, which name users).
pub(crate) fn org_of(c: &mut dyn Conn, user_id: i64) -> Result<i64, StoreError> {
    c.query_opt("SELECT org_id FROM users WHERE id = ?1", params![user_id])?
        .ok_or_else(|| StoreError::Missing(format!("the user {user_id}")))?
        .get(0)
}

const COLUMNS: &str = "e.id, e.project, e.stack, e.policy, e.resource, e.reason, e.expires,
    e.expires_at, e.ticket, e.break_glass, e.status, r.name, e.requested_at, d.name,
    e.decided_at, v.name, e.revoked_at";

const FROM: &str = "FROM exemptions e JOIN users r ON r.id = e.requested_by
    LEFT JOIN users d ON d.id = e.decided_by LEFT JOIN users v ON v.id = e.revoked_by";

fn row(r: &Row) -> Result<ExemptionRecord, StoreError> {
    Ok(ExemptionRecord {
        id: r.get(0)?,
        project: r.get(1)?,
        stack: r.get(2)?,
        policy: r.get(3)?,
        resource: r.get(4)?,
        reason: r.get(5)?,
        expires: r.get(6)?,
        expires_at: r.get(7)?,
        ticket: r.get(8)?,
        break_glass: r.get(9)?,
        status: r.get(10)?,
        requested_by: r.get(11)?,
        requested_at: r.get(12)?,
        decided_by: r.get(13)?,
        decided_at: r.get(14)?,
        revoked_by: r.get(15)?,
        revoked_at: r.get(16)?,
    })
}

/// An exemption as the audit log records it.
fn record_json(e: &ExemptionRecord) -> Value {
    json!({
        "id": e.id,
        "stack": format!("{}/{}", e.project, e.stack),
        "policy": e.policy,
        "resource": e.resource,
        "reason": e.reason,
        "expires": e.expires,
        "expires_at": e.expires_at,
        "ticket": e.ticket,
        "break_glass": e.break_glass,
        "status": e.status,
        "requested_by": e.requested_by,
        "decided_by": e.decided_by,
        "revoked_by": e.revoked_by,
    })
}

pub(crate) fn exemption(
    c: &mut dyn Conn,
    org_id: i64,
    id: i64,
) -> Result<Option<ExemptionRecord>, StoreError> {
    c.query_opt(
        &format!("SELECT {COLUMNS} {FROM} WHERE e.org_id = ?1 AND e.id = ?2"),
        params![org_id, id],
    )?
    .map(|r| row(&r))
    .transpose()
}

pub(crate) fn exemptions(
    c: &mut dyn Conn,
    org_id: i64,
    stack: Option<(&str, &str)>,
) -> Result<Vec<ExemptionRecord>, StoreError> {
    let (project, name) = stack.unzip();
    c.query(
        &format!(
            "SELECT {COLUMNS} {FROM} WHERE e.org_id = ?1
               AND (CAST(?2 AS TEXT) IS NULL OR (e.project = ?2 AND e.stack = ?3))
             ORDER BY e.id DESC"
        ),
        params![org_id, project, name],
    )?
    .iter()
    .map(row)
    .collect()
}

pub(crate) fn request(
    c: &mut dyn Conn,
    org_id: i64,
    by: i64,
    e: &NewExemption<'_>,
    now: i64,
) -> Result<ExemptionRecord, StoreError> {
    let id: i64 = c
        .query_one(
            "INSERT INTO exemptions (org_id, project, stack, policy, resource, reason, expires,
                 expires_at, ticket, break_glass, status, requested_by, requested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'pending', ?11, ?12) RETURNING id",
            params![
                org_id,
                e.project,
                e.stack,
                e.policy,
                e.resource,
                e.reason,
                e.expires,
                e.expires_at,
                e.ticket,
                e.break_glass,
                by,
                now
            ],
        )?
        .get(0)?;
    let stored = exemption(c, org_id, id)?
        .ok_or_else(|| StoreError::Missing("the exemption just requested".into()))?;
    audit(
        c,
        org_id,
        by,
        "exemption",
        "request",
        &id.to_string(),
        None,
        Some(&record_json(&stored)),
        now,
    )?;
    Ok(stored)
}

pub(crate) fn decide(
    c: &mut dyn Conn,
    org_id: i64,
    by: i64,
    id: i64,
    decision: Decision,
    now: i64,
) -> Result<Option<ExemptionRecord>, StoreError> {
    // Read under the row's write lock (PostgreSQL) or the one writer (SQLite), so that two
    // decisions at once cannot both see it pending.
    let Some(before) = exemption(c, org_id, id)? else {
        return Ok(None);
    };
    let requester: i64 = c
        .query_one(
            "SELECT requested_by FROM exemptions WHERE id = ?1",
            params![id],
        )?
        .get(0)?;
    let refused = |why: String| Err(StoreError::Refused(why));
    let changed = match decision {
        Decision::Approve | Decision::Deny if before.status != "pending" => {
            return refused(format!(
                "the exemption {id} is {}: only a pending one can be decided",
                before.status
            ))
        }
        Decision::Approve if requester == by => {
            return refused(format!(
                "the exemption {id} is your own request: someone else with `policy-admin` or `admin` approves it"
            ))
        }
        Decision::Approve if before.expires_at <= now => {
            return refused(format!(
                "the exemption {id} expired on {}: request a new one",
                before.expires
            ))
        }
        Decision::Approve | Decision::Deny => c.execute(
            "UPDATE exemptions SET status = ?3, decided_by = ?4, decided_at = ?5
             WHERE org_id = ?1 AND id = ?2 AND status = 'pending'",
            params![
                org_id,
                id,
                if decision == Decision::Approve {
                    "approved"
                } else {
                    "denied"
                },
                by,
                now
            ],
        )?,
        Decision::Revoke if !matches!(before.status.as_str(), "pending" | "approved") => {
            return refused(format!(
                "the exemption {id} is {}: there is nothing to revoke",
                before.status
            ))
        }
        Decision::Revoke => c.execute(
            "UPDATE exemptions SET status = 'revoked', revoked_by = ?3, revoked_at = ?4
             WHERE org_id = ?1 AND id = ?2 AND status IN ('pending', 'approved')",
            params![org_id, id, by, now],
        )?,
    };
    if changed == 0 {
        return refused(format!(
            "the exemption {id} was decided at the same moment: read it again"
        ));
    }
    let after = exemption(c, org_id, id)?
        .ok_or_else(|| StoreError::Missing(format!("the exemption {id}")))?;
    audit(
        c,
        org_id,
        by,
        "exemption",
        decision.as_str(),
        &id.to_string(),
        Some(&record_json(&before)),
        Some(&record_json(&after)),
        now,
    )?;
    Ok(Some(after))
}

pub(crate) fn audit_log(
    c: &mut dyn Conn,
    org_id: i64,
    f: &AuditFilter,
) -> Result<Vec<AuditEntry>, StoreError> {
    c.query(
        "SELECT a.id, a.at, u.name, a.kind, a.action, a.target, a.before_json, a.after_json
         FROM audit_log a JOIN users u ON u.id = a.actor_id
         WHERE a.org_id = ?1
           AND (CAST(?2 AS TEXT) IS NULL OR a.kind = ?2)
           AND (CAST(?3 AS BIGINT) IS NULL OR a.at >= ?3)
           AND (CAST(?4 AS BIGINT) IS NULL OR a.at < ?4)
           AND (CAST(?5 AS BIGINT) IS NULL OR a.id < ?5)
         ORDER BY a.id DESC LIMIT ?6",
        params![
            org_id,
            f.kind.as_deref(),
            f.since,
            f.until,
            f.before,
            f.limit.max(0)
        ],
    )?
    .iter()
    .map(|r| {
        Ok(AuditEntry {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            kind: r.get(3)?,
            action: r.get(4)?,
            target: r.get(5)?,
            before: r.get(6)?,
            after: r.get(7)?,
        })
    })
    .collect()
}
