//! The enforcement routes: policy groups, stacks and their tags, a stack's resolved policy set,
//! run uploads, and the history of runs and findings.

use std::path::PathBuf;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Json;
use guardrail_store::{
    FindingRecord, HistoryFilter, Principal, RunRecord, StackRecord, StoredInput,
};
use serde_json::{json, Map, Value};

use super::{
    authorize, check_name, db, granted, in_scope, now, parse_body, Access, ApiError, ApiResult,
    AppState,
};
use crate::commit::OwnedRun;
use crate::groups::{
    central_pack, check_spec, check_tag, resolve, valid_stack_part, write_files, GroupSpec,
    PackEntry, ResolvedPack, DEFAULT_GROUP,
};
use crate::runs::{check, from_report, new_finding, RunMeta, Upload};

/// The largest run upload, in bytes (a run of 100,000 findings fits).
pub const MAX_UPLOAD_BYTES: usize = 64 << 20;
/// The most runs or findings one history page holds.
const MAX_PAGE: i64 = 1000;

pub(super) fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("GET", "/api/v1/orgs/{org}/groups") => on(MethodFilter::GET, list_groups),
        ("GET", "/api/v1/orgs/{org}/groups/{group}") => on(MethodFilter::GET, show_group),
        ("PUT", "/api/v1/orgs/{org}/groups/{group}") => on(MethodFilter::PUT, put_group),
        ("DELETE", "/api/v1/orgs/{org}/groups/{group}") => on(MethodFilter::DELETE, delete_group),
        ("GET", "/api/v1/stacks/{org}/{project}/{stack}") => on(MethodFilter::GET, show_stack),
        ("PUT", "/api/v1/stacks/{org}/{project}/{stack}") => on(MethodFilter::PUT, put_stack),
        ("GET", "/api/v1/stacks/{org}/{project}/{stack}/policy") => {
            on(MethodFilter::GET, resolved_policy)
        }
        ("POST", "/api/v1/stacks/{org}/{project}/{stack}/runs") => {
            on(MethodFilter::POST, upload_run).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        }
        ("GET", "/api/v1/orgs/{org}/runs") => on(MethodFilter::GET, list_runs),
        ("GET", "/api/v1/orgs/{org}/runs/{id}") => on(MethodFilter::GET, show_run),
        ("GET", "/api/v1/orgs/{org}/findings") => on(MethodFilter::GET, list_findings),
        _ => return super::exemptions::handler(method, path),
    })
}

fn check_stack(project: &str, stack: &str) -> Result<(), ApiError> {
    for (what, part) in [("project", project), ("stack", stack)] {
        if !valid_stack_part(part) {
            return Err(ApiError::bad_request(format!(
                "the {what} name `{part}` is not valid: use 1 to 100 of letters, digits, `.`, `_` and `-`"
            )));
        }
    }
    Ok(())
}

fn group_json(name: &str, spec: &GroupSpec, updated: Option<(&str, i64)>) -> Value {
    let mut v = serde_json::to_value(spec).unwrap_or(Value::Null);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("name".into(), json!(name));
        obj.insert("default".into(), json!(name == DEFAULT_GROUP));
        obj.insert("updated_by".into(), json!(updated.map(|u| u.0)));
        obj.insert("updated_at".into(), json!(updated.map(|u| u.1)));
    }
    v
}

/// The organization's groups with their specs; `default` is always there (empty until set).
pub(super) async fn stored_groups(
    state: &AppState,
    org_id: i64,
) -> Result<Vec<(String, GroupSpec, Option<(String, i64)>)>, ApiError> {
    let records = db(state, move |s| s.groups(org_id)).await?;
    let mut groups = Vec::with_capacity(records.len() + 1);
    for r in records {
        let spec: GroupSpec = serde_json::from_str(&r.spec).map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "corrupt",
                format!("the stored group `{}` cannot be read: {e}", r.name),
            )
        })?;
        groups.push((r.name, spec, Some((r.updated_by, r.updated_at))));
    }
    if !groups.iter().any(|(n, _, _)| n == DEFAULT_GROUP) {
        groups.push((DEFAULT_GROUP.to_owned(), GroupSpec::default(), None));
    }
    groups.sort_by(|a, b| (a.0 != DEFAULT_GROUP, &a.0).cmp(&(b.0 != DEFAULT_GROUP, &b.0)));
    Ok(groups)
}

async fn list_groups(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Read).await?;
    let groups = stored_groups(&state, p.org.id).await?;
    Ok(Json(json!({
        "groups": groups
            .iter()
            .map(|(n, s, u)| group_json(n, s, u.as_ref().map(|(by, at)| (by.as_str(), *at))))
            .collect::<Vec<_>>()
    }))
    .into_response())
}

async fn show_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, group)): Path<(String, String)>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Read).await?;
    let groups = stored_groups(&state, p.org.id).await?;
    let (n, s, u) = groups.iter().find(|(n, _, _)| *n == group).ok_or_else(|| {
        ApiError::not_found(format!("the organization `{org}` has no group `{group}`"))
    })?;
    Ok(Json(group_json(
        n,
        s,
        u.as_ref().map(|(by, at)| (by.as_str(), *at)),
    ))
    .into_response())
}

async fn put_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, group)): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Publish).await?;
    check_name("group", &group)?;
    let body = parse_body(body)?;
    let spec = check_spec(&group, &body).map_err(ApiError::bad_request)?;
    let org_id = p.org.id;
    // A policy admin limited to packs writes only groups whose packs, before and after, are all
    // theirs.
    let before = stored_groups(&state, org_id).await?;
    let old = before
        .iter()
        .filter(|(n, _, _)| *n == group)
        .flat_map(|(_, s, _)| &s.packs);
    for pack in spec.packs.iter().chain(old) {
        granted(&p, &pack.name)?;
    }
    for pack in &spec.packs {
        let (n, v) = (pack.name.clone(), pack.version.clone());
        let Some((_, content)) = db(&state, move |s| s.pack_content(org_id, &n, &v)).await? else {
            return Err(ApiError::bad_request(format!(
                "the group names `{}` version `{}`, which is not published in `{org}`: publish it first (`guardrail pack publish`)",
                pack.name, pack.version
            )));
        };
        if pack.policies.is_empty() {
            continue;
        }
        // The policies the group sets must be the pack's, their config must fit their schemas.
        let entry = pack.clone();
        tokio::task::spawn_blocking(move || check_group_policies(&entry, &content))
            .await
            .map_err(|e| {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            })?
            .map_err(ApiError::bad_request)?;
    }
    let text = serde_json::to_string(&spec)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    let (name, user_id, now) = (group.clone(), p.user.id, now());
    let created = db(&state, move |s| {
        s.put_group(org_id, &name, &text, user_id, now)
    })
    .await?;
    Ok((
        if created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        },
        Json(group_json(&group, &spec, Some((&p.user.name, now)))),
    )
        .into_response())
}

/// Checks that the policies a group sets for a pack are the pack's, and that their config fits
/// each policy's schema, as a local config's would have to.
fn check_group_policies(entry: &PackEntry, content: &[u8]) -> Result<(), String> {
    let policies = crate::packs::policies(content).map_err(|e| {
        format!(
            "the pack `{}` version `{}` does not load: {e}",
            entry.name, entry.version
        )
    })?;
    let ids: Vec<&str> = policies.iter().map(|p| p.meta().id.as_str()).collect();
    if let Some(unknown) = entry.policies.keys().find(|id| !ids.contains(&id.as_str())) {
        let hint = guardrail_run::select::nearest(unknown, ids.iter().copied())
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        return Err(format!(
            "the group sets `{unknown}`, which is no policy of `{}` version `{}`{hint}",
            entry.name, entry.version
        ));
    }
    let name = format!("{}@{}", entry.name, entry.version);
    let pack = guardrail_core::Pack {
        name: name.clone(),
        version: Some(entry.version.clone()),
        enforcement: None,
        central: true,
        policies,
    };
    let settings = guardrail_core::PolicySettings {
        all: None,
        policies: entry
            .policies
            .iter()
            .map(|(id, p)| {
                (
                    id.clone(),
                    guardrail_core::engine::PolicyOverride {
                        enforcement: p.level,
                        config: p.config.clone(),
                    },
                )
            })
            .collect(),
    };
    guardrail_run::config::validate_policy_config(&[pack], &settings, &|key, _| {
        format!("the group's `{name}` policy `{key}`")
    })
    .map_err(|e| e.message)
}

async fn delete_group(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, group)): Path<(String, String)>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Publish).await?;
    if group == DEFAULT_GROUP {
        return Err(ApiError::bad_request(
            "the `default` group cannot be deleted: put it with no packs to empty it",
        ));
    }
    for (_, spec, _) in stored_groups(&state, p.org.id)
        .await?
        .iter()
        .filter(|(n, _, _)| *n == group)
    {
        for pack in &spec.packs {
            granted(&p, &pack.name)?;
        }
    }
    let (name, now) = (group.clone(), now());
    if db(&state, move |s| {
        s.delete_group(p.org.id, &name, p.user.id, now)
    })
    .await?
    {
        Ok(Json(json!({"name": group, "deleted": true})).into_response())
    } else {
        Err(ApiError::not_found(format!(
            "the organization `{org}` has no group `{group}`"
        )))
    }
}

fn tags_json(tags: &[(String, String)]) -> Value {
    Value::Object(
        tags.iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect(),
    )
}

fn stack_json(org: &str, project: &str, stack: &str, record: Option<&StackRecord>) -> Value {
    json!({
        "org": org, "project": project, "name": stack,
        "tags": tags_json(record.map(|r| r.tags.as_slice()).unwrap_or_default()),
        "recorded": record.is_some(),
        "created_at": record.map(|r| r.created_at),
        "updated_at": record.map(|r| r.updated_at),
    })
}

async fn show_stack(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, project, stack)): Path<(String, String, String)>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Read).await?;
    in_scope(&p, &project, &stack)?;
    check_stack(&project, &stack)?;
    let (pr, st) = (project.clone(), stack.clone());
    let record = db(&state, move |s| s.stack(p.org.id, &pr, &st)).await?;
    Ok(Json(stack_json(&org, &project, &stack, record.as_ref())).into_response())
}

async fn put_stack(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, project, stack)): Path<(String, String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Publish).await?;
    check_stack(&project, &stack)?;
    let body = parse_body(body)?;
    let tags = body
        .get("tags")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            ApiError::bad_request("the request body needs `tags`: an object of tag keys to text values, e.g. {\"env\": \"prod\"}")
        })?;
    let mut list = Vec::with_capacity(tags.len());
    for (k, v) in tags {
        let v = v.as_str().ok_or_else(|| {
            ApiError::bad_request(format!("the value of the tag `{k}` must be text"))
        })?;
        check_tag(k, v).map_err(ApiError::bad_request)?;
        list.push((k.clone(), v.to_owned()));
    }
    let (pr, st, now) = (project.clone(), stack.clone(), now());
    let record = db(&state, move |s| {
        s.set_stack(p.org.id, &pr, &st, &list, p.user.id, now)
    })
    .await?;
    Ok(Json(stack_json(&org, &project, &stack, Some(&record))).into_response())
}

/// The resolved policy set of a stack: the matching groups, and their packs with digests,
/// levels and config.
async fn resolve_stack(
    state: &AppState,
    principal: &Principal,
    project: &str,
    stack: &str,
) -> Result<(Vec<String>, Vec<ResolvedPack>, Vec<(String, String)>), ApiError> {
    let org_id = principal.org.id;
    let (pr, st) = (project.to_owned(), stack.to_owned());
    let record = db(state, move |s| s.stack(org_id, &pr, &st)).await?;
    let tags = record.map(|r| r.tags).unwrap_or_default();
    let groups: Vec<(String, GroupSpec)> = stored_groups(state, org_id)
        .await?
        .into_iter()
        .map(|(n, s, _)| (n, s))
        .collect();
    let (names, mut packs) = resolve(&groups, [&principal.org.name, project, stack], &tags);
    if !packs.is_empty() {
        let versions = db(state, move |s| s.pack_versions(org_id, None)).await?;
        for pack in &mut packs {
            let v = versions
                .iter()
                .find(|v| v.name == pack.name && v.version == pack.version)
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "corrupt",
                        format!(
                            "the groups {} name `{}` version `{}`, which the registry does not hold",
                            pack.groups.join(", "),
                            pack.name,
                            pack.version
                        ),
                    )
                })?;
            pack.digest.clone_from(&v.digest);
            pack.kind.clone_from(&v.kind);
            pack.deprecated = v.deprecated_at.is_some();
        }
    }
    Ok((names, packs, tags))
}

async fn resolved_policy(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, project, stack)): Path<(String, String, String)>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Read).await?;
    in_scope(&p, &project, &stack)?;
    check_stack(&project, &stack)?;
    let (groups, packs, tags) = resolve_stack(&state, &p, &project, &stack).await?;
    let exemptions = super::exemptions::granted(&state, &p, &project, &stack).await?;
    Ok(Json(json!({
        "stack": {"org": org, "project": project, "name": stack, "tags": tags_json(&tags)},
        "groups": groups,
        "packs": packs,
        "exemptions": exemptions,
    }))
    .into_response())
}

/// The pack (its name) that the stack's resolved policy set takes `policy` from: the first
/// required pack that holds a policy of that id; `None` when no required pack holds it.
pub(super) async fn pack_of_policy(
    state: &AppState,
    principal: &Principal,
    project: &str,
    stack: &str,
    policy: &str,
) -> Result<Option<String>, ApiError> {
    let (_, packs, _) = resolve_stack(state, principal, project, stack).await?;
    for pack in packs {
        let (org_id, n, v) = (principal.org.id, pack.name.clone(), pack.version.clone());
        let Some((_, content)) = db(state, move |s| s.pack_content(org_id, &n, &v)).await? else {
            continue;
        };
        let id = policy.to_owned();
        let holds = tokio::task::spawn_blocking(move || {
            crate::packs::policies(&content)
                .map(|list| list.iter().any(|p| p.meta().id == id))
                .unwrap_or(false)
        })
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
        if holds {
            return Ok(Some(pack.name));
        }
    }
    Ok(None)
}

/// The central policy of a server-side evaluation, with the scratch directory its Rego packs
/// were written to (removed when this is dropped: keep it until the run is over).
pub(super) struct Required {
    pub central: guardrail_run::Central,
    pub scratch: Option<PathBuf>,
}

impl Drop for Required {
    fn drop(&mut self) {
        if let Some(dir) = self.scratch.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub(super) async fn central_for(
    state: &AppState,
    principal: &Principal,
    project: &str,
    stack: &str,
) -> Result<Required, ApiError> {
    check_stack(project, stack)?;
    let (_, packs, _) = resolve_stack(state, principal, project, stack).await?;
    let mut required = Required {
        central: guardrail_run::Central::default(),
        scratch: None,
    };
    for pack in packs {
        let (org_id, n, v) = (principal.org.id, pack.name.clone(), pack.version.clone());
        let (_, content) = db(state, move |s| s.pack_content(org_id, &n, &v))
            .await?
            .ok_or_else(|| ApiError::not_found(format!("the pack `{}` is gone", pack.name)))?;
        let scratch = match &required.scratch {
            Some(dir) => dir.clone(),
            None => {
                let mut nonce = [0u8; 8];
                getrandom::fill(&mut nonce).map_err(|e| {
                    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
                })?;
                let dir = std::env::temp_dir()
                    .join(format!("guardrail-eval-{}", crate::auth::hex(&nonce)));
                required.scratch = Some(dir.clone());
                dir
            }
        };
        let dir = scratch.join(format!("{}@{}", pack.name, pack.version));
        let central = central_pack(&pack, &content, |files| {
            write_files(&dir, files)?;
            Ok(dir.clone())
        })
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e))?;
        required.central.packs.push(central);
    }
    required.central.exemptions = super::exemptions::granted(state, principal, project, stack)
        .await?
        .iter()
        .map(crate::exemptions::Granted::to_exemption)
        .collect();
    Ok(required)
}

/// Records a server-side evaluation as a run of the stack; returns its id. The query may name
/// the run's `commit`, `branch`, `pull_request` and `actor`.
pub(super) async fn record_evaluation(
    state: &AppState,
    principal: &Principal,
    [project, stack]: [&str; 2],
    uri: &Uri,
    report: &str,
    coverage: guardrail_store::RunCoverage,
    input: Option<StoredInput>,
) -> Result<i64, ApiError> {
    let params = query(uri);
    let param = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let report: Value = serde_json::from_str(report)
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    let format = report
        .pointer("/inputs/0/format")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let kind = if matches!(format, "terraform-state" | "tfstate" | "pulumi-stack") {
        "state"
    } else {
        "plan"
    };
    let mut upload = from_report(
        &report,
        RunMeta {
            kind: kind.into(),
            commit: param("commit"),
            branch: param("branch"),
            pull_request: param("pull_request"),
            actor: param("actor").or_else(|| Some(principal.user.name.clone())),
        },
    );
    upload.coverage = Some(coverage);
    store_run(state, principal, project, stack, upload, "server", input).await
}

async fn store_run(
    state: &AppState,
    principal: &Principal,
    project: &str,
    stack: &str,
    mut upload: Upload,
    source: &'static str,
    input: Option<StoredInput>,
) -> Result<i64, ApiError> {
    check(&mut upload).map_err(ApiError::bad_request)?;
    let run = OwnedRun {
        org_id: principal.org.id,
        user_id: principal.user.id,
        now: now(),
        project: project.to_owned(),
        stack: stack.to_owned(),
        kind: upload.kind,
        source,
        outcome: upload.outcome,
        commit: upload.commit,
        branch: upload.branch,
        pull_request: upload.pull_request,
        actor: upload.actor,
        summary: upload.summary.to_string(),
        findings: upload.findings.into_iter().map(new_finding).collect(),
        coverage: upload.coverage,
    };
    match input {
        // A server-side evaluation keeps its input in its run's transaction. Evaluations are
        // few and large: they are written alone, not in the writer's groups of uploads.
        Some(input) => {
            db(state, move |s| {
                s.record_run_with_input(
                    run.org_id,
                    run.user_id,
                    run.new_run(),
                    Some(&input),
                    run.now,
                )
            })
            .await
        }
        None => Ok(state.runs.record(run).await?),
    }
}

async fn upload_run(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, project, stack)): Path<(String, String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Evaluate).await?;
    in_scope(&p, &project, &stack)?;
    check_stack(&project, &stack)?;
    let bytes = body.map_err(|e| {
        let message = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            format!("the run is larger than the limit of {MAX_UPLOAD_BYTES} bytes")
        } else {
            format!("cannot read the request body: {}", e.body_text())
        };
        ApiError::new(e.status(), "bad_request", message)
    })?;
    let upload: Upload = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::bad_request(format!(
            "the run is not valid: {}",
            crate::plain_json_error(&e)
        ))
    })?;
    let findings = upload.findings.len();
    let id = store_run(&state, &p, &project, &stack, upload, "client", None).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "stack": format!("{project}/{stack}"), "findings": findings})),
    )
        .into_response())
}

/// The query's parameters, percent-decoded (`+` is a space).
pub(super) fn query(uri: &Uri) -> Vec<(String, String)> {
    form_pairs(uri.query().unwrap_or(""))
}

/// The pairs of an `application/x-www-form-urlencoded` text (a query, a form's body),
/// percent-decoded (`+` is a space).
pub(crate) fn form_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match (b, hex) {
                (b'%', Some(v)) => {
                    out.push(v);
                    i += 3;
                }
                (b'+', _) => {
                    out.push(b' ');
                    i += 1;
                }
                _ => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A point in time: Unix seconds, `YYYY-MM-DD` (midnight UTC), or a span back from now
/// (`30d`, `12h`, `15m`).
pub fn parse_time(text: &str, now: i64) -> Option<i64> {
    if let Ok(secs) = text.parse::<i64>() {
        return Some(secs);
    }
    if let Some((number, unit)) = text
        .char_indices()
        .last()
        .and_then(|(i, c)| text.get(..i).map(|n| (n, c)))
    {
        if let Ok(n) = number.parse::<i64>() {
            let scale = match unit {
                'd' => 86_400,
                'h' => 3_600,
                'm' => 60,
                's' => 1,
                _ => return None,
            };
            return Some(now - n.checked_mul(scale)?);
        }
    }
    let parts: Vec<&str> = text.split('-').collect();
    if let [y, m, d] = parts.as_slice() {
        let (y, m, d) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        if (1..=12).contains(&m) && (1..=31).contains(&d) && y >= 1970 {
            return Some(days_from_civil(y, m, d) * 86_400);
        }
    }
    None
}

/// The history filter from a query; runs and findings take the same parameters, except that
/// `outcome` means a run's outcome for runs and a finding's for findings.
fn history_filter(uri: &Uri, outcomes: &[&str]) -> Result<HistoryFilter, ApiError> {
    let now = now();
    let mut f = HistoryFilter {
        limit: 50,
        ..HistoryFilter::default()
    };
    for (key, value) in query(uri) {
        let bad = |what: &str| {
            ApiError::bad_request(format!(
                "the query parameter `{key}={value}` is not valid: {what}"
            ))
        };
        match key.as_str() {
            "stack" => {
                let (project, stack) = value
                    .split_once('/')
                    .filter(|(p, s)| valid_stack_part(p) && valid_stack_part(s))
                    .ok_or_else(|| bad("write `PROJECT/STACK`"))?;
                f.stack = Some((project.to_owned(), stack.to_owned()));
            }
            "kind" => {
                if !matches!(value.as_str(), "plan" | "state" | "preview" | "update") {
                    return Err(bad("use `plan`, `state`, `preview` or `update`"));
                }
                f.kind = Some(value);
            }
            "outcome" => {
                if !outcomes.contains(&value.as_str()) {
                    return Err(bad(&format!("use one of {}", outcomes.join(", "))));
                }
                f.outcome = Some(value);
            }
            "policy" => f.policy = Some(value),
            "since" | "until" => {
                let t = parse_time(&value, now).ok_or_else(|| {
                    bad("give Unix seconds, a date `YYYY-MM-DD` or a span back from now such as `7d` or `12h`")
                })?;
                if key == "since" {
                    f.since = Some(t);
                } else {
                    f.until = Some(t);
                }
            }
            "before" => {
                f.before = Some(value.parse().map_err(|_| bad("give the id the previous page ended with"))?);
            }
            "limit" => {
                f.limit = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE).contains(n))
                    .ok_or_else(|| bad(&format!("give a number from 1 to {MAX_PAGE}")))?;
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "unknown query parameter `{key}`: use stack, kind, outcome, policy, since, until, before and limit"
                )))
            }
        }
    }
    Ok(f)
}

fn run_json(r: &RunRecord) -> Value {
    json!({
        "id": r.id, "stack": r.stack, "kind": r.kind, "source": r.source, "outcome": r.outcome,
        "commit": r.commit, "branch": r.branch, "pull_request": r.pull_request,
        "user": r.user, "actor": r.actor, "created_at": r.created_at,
        "summary": serde_json::from_str::<Value>(&r.summary).unwrap_or(Value::Null),
        "finding_count": r.finding_count,
    })
}

fn finding_json(f: &FindingRecord) -> Value {
    let x = &f.finding;
    let mut m = Map::new();
    m.insert("id".into(), json!(f.id));
    m.insert("run".into(), json!(f.run_id));
    m.insert("stack".into(), json!(f.stack));
    m.insert("created_at".into(), json!(f.created_at));
    m.insert("fingerprint".into(), json!(x.fingerprint));
    m.insert("policy".into(), json!(x.policy));
    m.insert("pack".into(), json!(x.pack));
    m.insert("resource".into(), json!(x.resource));
    m.insert("resource_type".into(), json!(x.resource_type));
    m.insert("outcome".into(), json!(x.outcome));
    m.insert("level".into(), json!(x.level));
    m.insert("severity".into(), json!(x.severity));
    m.insert("blocking".into(), json!(x.blocking));
    m.insert("central".into(), json!(x.central));
    m.insert("message".into(), json!(x.message));
    Value::Object(m)
}

async fn list_runs(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
    uri: Uri,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::History).await?;
    let filter = history_filter(&uri, &["passed", "blocked", "error"])?;
    let limit = filter.limit;
    let runs = db(&state, move |s| s.runs(p.org.id, &filter)).await?;
    let next = (i64::try_from(runs.len()).unwrap_or(0) == limit)
        .then(|| runs.last().map(|r| r.id))
        .flatten();
    Ok(Json(json!({
        "runs": runs.iter().map(run_json).collect::<Vec<_>>(),
        "next_before": next,
    }))
    .into_response())
}

async fn show_run(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::History).await?;
    let run_id: i64 = id
        .parse()
        .map_err(|_| ApiError::bad_request(format!("the run id `{id}` is not a number")))?;
    let (run, findings) = db(&state, move |s| s.run(p.org.id, run_id))
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!("the organization `{org}` has no run {run_id}"))
        })?;
    Ok(Json(json!({
        "run": run_json(&run),
        "findings": findings.iter().map(finding_json).collect::<Vec<_>>(),
    }))
    .into_response())
}

async fn list_findings(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
    uri: Uri,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::History).await?;
    let filter = history_filter(&uri, &["violation", "indeterminate", "error", "suppressed"])?;
    let limit = filter.limit;
    let findings = db(&state, move |s| s.findings(p.org.id, &filter)).await?;
    let next = (i64::try_from(findings.len()).unwrap_or(0) == limit)
        .then(|| findings.last().map(|f| f.id))
        .flatten();
    Ok(Json(json!({
        "findings": findings.iter().map(finding_json).collect::<Vec<_>>(),
        "next_before": next,
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_queries() {
        assert_eq!(parse_time("1700000000", 0), Some(1_700_000_000));
        assert_eq!(parse_time("7d", 1_000_000), Some(1_000_000 - 7 * 86_400));
        assert_eq!(parse_time("2026-01-01", 0), Some(1_767_225_600));
        assert_eq!(parse_time("1970-01-01", 0), Some(0));
        assert_eq!(parse_time("soon", 0), None);
        let uri: Uri = "/x?stack=app%2Fprod&policy=AWS-S3-001&a+b=c"
            .parse()
            .unwrap();
        assert_eq!(
            query(&uri),
            vec![
                ("stack".into(), "app/prod".into()),
                ("policy".into(), "AWS-S3-001".into()),
                ("a b".into(), "c".into())
            ]
        );
    }
}
