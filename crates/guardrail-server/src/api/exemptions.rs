//! The exemption workflow's routes (request, approve, deny, revoke, list) and the audit log.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Json;
use guardrail_store::{
    AuditEntry, AuditFilter, Decision, ExemptionRecord, HistoryFilter, NewExemption, Principal,
};
use serde_json::{json, Value};

use super::enforcement::{parse_time, query};
use super::{authorize, db, now, parse_body, Access, ApiError, ApiResult, AppState};
use crate::exemptions::{expiry, Granted};
use crate::groups::{glob, valid_stack_part};

/// The states `GET …/exemptions?state=` takes.
/// `awaiting-approval` is every request nobody decided yet: the pending ones and the
/// break-glass ones that already apply (the approvers' queue).
pub const STATES: &[&str] = &[
    "pending",
    "active",
    "expired",
    "unused",
    "denied",
    "revoked",
    "awaiting-approval",
];

pub(super) fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("GET", "/api/v1/orgs/{org}/exemptions") => on(MethodFilter::GET, list),
        ("POST", "/api/v1/orgs/{org}/exemptions") => on(MethodFilter::POST, request),
        ("GET", "/api/v1/orgs/{org}/exemptions/{id}") => on(MethodFilter::GET, show),
        ("POST", "/api/v1/orgs/{org}/exemptions/{id}/approve") => on(MethodFilter::POST, approve),
        ("POST", "/api/v1/orgs/{org}/exemptions/{id}/deny") => on(MethodFilter::POST, deny),
        ("POST", "/api/v1/orgs/{org}/exemptions/{id}/revoke") => on(MethodFilter::POST, revoke),
        ("GET", "/api/v1/orgs/{org}/audit-log") => on(MethodFilter::GET, audit_log),
        _ => {
            return super::simulate::handler(method, path)
                .or_else(|| super::metrics::handler(method, path))
        }
    })
}

/// An exemption as the API shows it at `now`.
fn exemption_json(e: &ExemptionRecord, now: i64, used: Option<bool>) -> Value {
    let mut v = json!({
        "id": e.id,
        "stack": format!("{}/{}", e.project, e.stack),
        "policy": e.policy,
        "resource": e.resource,
        "reason": e.reason,
        "expires": e.expires,
        "expires_at": e.expires_at,
        "ticket": e.ticket,
        "break_glass": e.break_glass,
        "awaiting_approval": e.break_glass && e.awaits_approval(),
        "status": e.status,
        "state": e.state(now),
        "requested_by": e.requested_by,
        "requested_at": e.requested_at,
        "decided_by": e.decided_by,
        "decided_at": e.decided_at,
        "revoked_by": e.revoked_by,
        "revoked_at": e.revoked_at,
    });
    if let (Some(used), Some(m)) = (used, v.as_object_mut()) {
        m.insert("unused".into(), json!(!used));
    }
    v
}

fn text<'a>(
    body: &'a Value,
    key: &str,
    max: usize,
    required: bool,
) -> Result<Option<&'a str>, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) if required => {
            Err(ApiError::bad_request(format!("`{key}` is missing")))
        }
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s))
            if !s.trim().is_empty() && s.len() <= max && !s.contains(['\n', '\r']) =>
        {
            Ok(Some(s.as_str()))
        }
        _ => Err(ApiError::bad_request(format!(
            "`{key}` must be {}text of 1 to {max} characters on one line",
            if required { "" } else { "absent or " }
        ))),
    }
}

fn required<'a>(body: &'a Value, key: &str, max: usize) -> Result<&'a str, ApiError> {
    text(body, key, max, true)?.ok_or_else(|| ApiError::bad_request(format!("`{key}` is missing")))
}

async fn request(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Request).await?;
    let body = parse_body(body)?;
    let stack = required(&body, "stack", 201)?;
    let (project, name) = stack
        .split_once('/')
        .filter(|(p, s)| valid_stack_part(p) && valid_stack_part(s))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "the stack `{stack}` is not valid: write `PROJECT/STACK`"
            ))
        })?;
    let policy = required(&body, "policy", 200)?;
    if policy.contains(char::is_whitespace) {
        return Err(ApiError::bad_request(format!(
            "the policy id `{policy}` holds spaces: give one policy's id, e.g. `AWS-S3-001`"
        )));
    }
    let resource = required(&body, "resource", 1024)?;
    let reason = required(&body, "reason", 1000)?;
    let expires = required(&body, "expires", 10)?;
    let ticket = text(&body, "ticket", 200, false)?;
    let break_glass = match body.get("break_glass") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(ApiError::bad_request("`break_glass` must be true or false")),
    };
    let now = now();
    let expires_at = expiry(expires, break_glass, now).map_err(ApiError::bad_request)?;
    let (org_id, by) = (p.org.id, p.user.id);
    let (project, name, policy, resource, reason, expires, ticket) = (
        project.to_owned(),
        name.to_owned(),
        policy.to_owned(),
        resource.to_owned(),
        reason.to_owned(),
        expires.to_owned(),
        ticket.map(str::to_owned),
    );
    let record = db(&state, move |s| {
        s.request_exemption(
            org_id,
            by,
            NewExemption {
                project: &project,
                stack: &name,
                policy: &policy,
                resource: &resource,
                reason: &reason,
                expires: &expires,
                expires_at,
                ticket: ticket.as_deref(),
                break_glass,
            },
            now,
        )
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(exemption_json(&record, now, None)),
    )
        .into_response())
}

fn exemption_id(id: &str) -> Result<i64, ApiError> {
    id.parse()
        .map_err(|_| ApiError::bad_request(format!("the exemption id `{id}` is not a number")))
}

async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::History).await?;
    let id = exemption_id(&id)?;
    let record = db(&state, move |s| s.exemption(p.org.id, id))
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!("the organization `{org}` has no exemption {id}"))
        })?;
    Ok(Json(exemption_json(&record, now(), None)).into_response())
}

async fn decide(
    state: AppState,
    headers: HeaderMap,
    org: String,
    id: String,
    decision: Decision,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Publish).await?;
    let id = exemption_id(&id)?;
    let now = now();
    let record = decide_as(&state, &p, id, decision, now).await?;
    Ok(Json(exemption_json(&record, now, None)).into_response())
}

/// Approves, denies or revokes an exemption as `p` (already authorized): the one path of the
/// API and the dashboard, audited by the store in the decision's transaction.
pub(crate) async fn decide_as(
    state: &AppState,
    p: &Principal,
    id: i64,
    decision: Decision,
    now: i64,
) -> Result<ExemptionRecord, ApiError> {
    let (org_id, by) = (p.org.id, p.user.id);
    if !p.user.administers_all() {
        // A policy admin limited to packs decides only on policies of their packs: the pack
        // the stack's resolved policy set takes the policy from. A policy of no required pack
        // is decided by an `admin` or an unlimited `policy-admin`.
        let Some(record) = db(state, move |s| s.exemption(org_id, id)).await? else {
            return Err(ApiError::not_found(format!(
                "the organization `{}` has no exemption {id}",
                p.org.name
            )));
        };
        let pack = super::enforcement::pack_of_policy(
            state,
            p,
            &record.project,
            &record.stack,
            &record.policy,
        )
        .await?;
        match pack {
            Some(pack) => super::granted(p, &pack)?,
            None => {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    format!(
                        "the policy `{}` comes from no pack the stack `{}/{}` requires, and `{}` is a `policy-admin` of some packs only: an `admin` or a `policy-admin` of every pack decides",
                        record.policy, record.project, record.stack, p.user.name
                    ),
                ))
            }
        }
    }
    db(state, move |s| {
        s.decide_exemption(org_id, by, id, decision, now)
    })
    .await?
    .ok_or_else(|| {
        ApiError::not_found(format!(
            "the organization `{}` has no exemption {id}",
            p.org.name
        ))
    })
}

async fn approve(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult {
    decide(state, headers, org, id, Decision::Approve).await
}

async fn deny(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult {
    decide(state, headers, org, id, Decision::Deny).await
}

async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult {
    decide(state, headers, org, id, Decision::Revoke).await
}

/// Whether an active exemption matched a finding: a finding it suppressed (of its stack and
/// policy, on a resource its glob matches) in a run recorded since it was requested.
async fn used(state: &AppState, org_id: i64, e: &ExemptionRecord) -> Result<bool, ApiError> {
    let filter = HistoryFilter {
        stack: Some((e.project.clone(), e.stack.clone())),
        outcome: Some("suppressed".into()),
        policy: Some(e.policy.clone()),
        since: Some(e.requested_at),
        limit: 10_000,
        ..HistoryFilter::default()
    };
    let findings = db(state, move |s| s.findings(org_id, &filter)).await?;
    Ok(findings.iter().any(|f| {
        f.finding
            .resource
            .as_deref()
            .is_some_and(|r| glob(&e.resource, r))
    }))
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
    uri: Uri,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::History).await?;
    let mut want: Option<String> = None;
    let mut stack: Option<(String, String)> = None;
    for (key, value) in query(&uri) {
        match key.as_str() {
            "state" if STATES.contains(&value.as_str()) => want = Some(value),
            "state" => {
                return Err(ApiError::bad_request(format!(
                    "the state `{value}` is not one of {}",
                    STATES.join(", ")
                )))
            }
            "stack" => {
                let (pr, st) = value
                    .split_once('/')
                    .filter(|(a, b)| valid_stack_part(a) && valid_stack_part(b))
                    .ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "the stack `{value}` is not valid: write `PROJECT/STACK`"
                        ))
                    })?;
                stack = Some((pr.to_owned(), st.to_owned()));
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown query parameter `{other}`: use `state` and `stack`"
                )))
            }
        }
    }
    let org_id = p.org.id;
    let records = db(&state, move |s| {
        s.exemptions(
            org_id,
            stack.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
        )
    })
    .await?;
    let now = now();
    let mut out = Vec::new();
    for e in &records {
        let state_now = e.state(now);
        let used = if state_now == "active" {
            Some(used(&state, org_id, e).await?)
        } else {
            None
        };
        let keep = match want.as_deref() {
            None => true,
            Some("unused") => used == Some(false),
            Some("awaiting-approval") => e.awaits_approval() && state_now != "expired",
            Some(w) => w == state_now,
        };
        if keep {
            out.push(exemption_json(e, now, used));
        }
    }
    Ok(Json(json!({ "exemptions": out })).into_response())
}

/// The exemptions that apply to a stack now, for its resolved policy.
pub(super) async fn granted(
    state: &AppState,
    principal: &Principal,
    project: &str,
    stack: &str,
) -> Result<Vec<Granted>, ApiError> {
    let (org_id, pr, st) = (principal.org.id, project.to_owned(), stack.to_owned());
    let records = db(state, move |s| s.exemptions(org_id, Some((&pr, &st)))).await?;
    let now = now();
    let mut granted: Vec<Granted> = records
        .iter()
        .filter(|e| e.applies(now))
        .map(Granted::from_record)
        .collect();
    granted.sort_by_key(|g| g.id);
    Ok(granted)
}

fn entry_json(a: &AuditEntry) -> Value {
    let parse = |t: &Option<String>| {
        t.as_deref()
            .map(|t| serde_json::from_str::<Value>(t).unwrap_or_else(|_| Value::String(t.into())))
            .unwrap_or(Value::Null)
    };
    json!({
        "id": a.id, "at": a.at, "actor": a.actor, "kind": a.kind, "action": a.action,
        "target": a.target, "before": parse(&a.before), "after": parse(&a.after),
    })
}

/// The kinds of things the audit log records.
pub const AUDIT_KINDS: &[&str] = &[
    "pack",
    "group",
    "token",
    "stack",
    "exemption",
    "user",
    "simulation",
];

async fn audit_log(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
    uri: Uri,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::ReadPrivate).await?;
    let now = now();
    let mut filter = AuditFilter {
        limit: 100,
        ..AuditFilter::default()
    };
    for (key, value) in query(&uri) {
        let time = || {
            parse_time(&value, now).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "`{key}={value}` is not a time: give Unix seconds, `YYYY-MM-DD` or an age such as `7d`"
                ))
            })
        };
        match key.as_str() {
            "kind" if AUDIT_KINDS.contains(&value.as_str()) => filter.kind = Some(value.clone()),
            "kind" => {
                return Err(ApiError::bad_request(format!(
                    "the kind `{value}` is not one of {}",
                    AUDIT_KINDS.join(", ")
                )))
            }
            "since" => filter.since = Some(time()?),
            "until" => filter.until = Some(time()?),
            "before" | "limit" => {
                let n: i64 = value.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                    ApiError::bad_request(format!("`{key}` must be a positive number"))
                })?;
                if key == "before" {
                    filter.before = Some(n);
                } else {
                    filter.limit = n.min(1000);
                }
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown query parameter `{other}`: use `kind`, `since`, `until`, `before` and `limit`"
                )))
            }
        }
    }
    let limit = usize::try_from(filter.limit).unwrap_or(usize::MAX);
    let entries = db(&state, move |s| s.audit_log(p.org.id, &filter)).await?;
    // A full page may have a next one: its entries are below the last id of this one.
    let next = (entries.len() == limit)
        .then(|| entries.last().map(|e| e.id))
        .flatten();
    Ok(Json(json!({
        "entries": entries.iter().map(entry_json).collect::<Vec<_>>(),
        "next_before": next,
    }))
    .into_response())
}
