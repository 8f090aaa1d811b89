//! The routes of progressive enforcement (simulate, promote) and of users' pack grants.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Json;
use guardrail_store::{Role, UserChange};
use serde_json::{json, Value};

use super::{authorize, db, now, parse_body, user_json, Access, ApiError, ApiResult, AppState};
use crate::simulate::{PromoteRequest, SimulateError, SimulationRequest};

pub(super) fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("POST", "/api/v1/orgs/{org}/simulations") => on(MethodFilter::POST, simulate),
        ("POST", "/api/v1/orgs/{org}/groups/{group}/promote") => on(MethodFilter::POST, promote),
        ("PATCH", "/api/v1/orgs/{org}/users/{user}") => on(MethodFilter::PATCH, change_user),
        _ => return None,
    })
}

impl From<SimulateError> for ApiError {
    fn from(e: SimulateError) -> Self {
        match e {
            SimulateError::BadRequest(m) => ApiError::bad_request(m),
            SimulateError::NotFound(m) => ApiError::not_found(m),
            SimulateError::Forbidden(m) => ApiError::new(StatusCode::FORBIDDEN, "forbidden", m),
            SimulateError::Refused { message, .. } => {
                ApiError::new(StatusCode::CONFLICT, "refused", message)
            }
            SimulateError::Store(e) => ApiError::from(e),
            SimulateError::Internal(m) => {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", m)
            }
        }
    }
}

fn typed<T: serde::de::DeserializeOwned>(body: Value, what: &str) -> Result<T, ApiError> {
    serde_json::from_value(body)
        .map_err(|e| ApiError::bad_request(format!("the {what} is not valid: {e}")))
}

async fn simulate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::History).await?;
    let request: SimulationRequest = typed(parse_body(body)?, "simulation request")?;
    let now = now();
    let sim = run(&state, move |s| {
        crate::simulate::simulate(s, &p.org, p.user.id, &request, now)
    })
    .await?;
    Ok(Json(sim).into_response())
}

async fn promote(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, group)): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Publish).await?;
    let request: PromoteRequest = typed(parse_body(body)?, "promotion request")?;
    let now = now();
    let answer = run(&state, move |s| {
        match crate::simulate::promote(s, &p.org, &p.user, &group, &request, now) {
            Ok(promotion) => Ok(Ok(promotion)),
            // the refusal carries the simulation's numbers: answered with them
            Err(SimulateError::Refused { message, promotion }) => Ok(Err((message, promotion))),
            Err(e) => Err(e),
        }
    })
    .await?;
    match answer {
        Ok(promotion) => Ok(Json(promotion).into_response()),
        Err((message, promotion)) => Ok((
            StatusCode::CONFLICT,
            Json(json!({
                "error": {"code": "refused", "message": message},
                "promotion": promotion,
            })),
        )
            .into_response()),
    }
}

/// Runs a simulation or promotion off the async workers.
async fn run<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&dyn guardrail_store::Store) -> Result<T, SimulateError> + Send + 'static,
) -> Result<T, ApiError> {
    let store = std::sync::Arc::clone(&state.store);
    tokio::task::spawn_blocking(move || f(store.as_ref()))
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                format!("the simulation task failed: {e}"),
            )
        })?
        .map_err(ApiError::from)
}

/// The `packs` of a user's body: absent (`None`), `null` (every pack), or a list of names or
/// globs.
pub(super) fn packs_field(body: &Value) -> Result<Option<Option<Vec<String>>>, ApiError> {
    match body.get("packs") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::Array(items)) => {
            let mut list = Vec::with_capacity(items.len());
            for item in items {
                let glob = item
                    .as_str()
                    .filter(|g| {
                        (1..=64).contains(&g.len())
                            && g.chars().all(|c| {
                                c.is_ascii_lowercase()
                                    || c.is_ascii_digit()
                                    || matches!(c, '.' | '_' | '-' | '*' | '?')
                            })
                    })
                    .ok_or_else(|| {
                        ApiError::bad_request(format!(
                            "the pack grant {item} is not valid: give pack names or globs of a-z, 0-9, `.`, `_`, `-`, `*` and `?`"
                        ))
                    })?;
                list.push(glob.to_owned());
            }
            if list.is_empty() {
                return Err(ApiError::bad_request(
                    "`packs` is empty: list the packs (names or globs) the user administers, or give `null` for every pack",
                ));
            }
            Ok(Some(Some(list)))
        }
        Some(other) => Err(ApiError::bad_request(format!(
            "`packs` must be a list of pack names or globs, or `null` for every pack, not {other}"
        ))),
    }
}

async fn change_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, user)): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Admin).await?;
    let body = parse_body(body)?;
    let role = match body.get("role") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let name = v.as_str().unwrap_or_default();
            Some(Role::parse(name).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "unknown role `{name}`: use `admin`, `policy-admin`, `member` or `auditor`"
                ))
            })?)
        }
    };
    let packs = packs_field(&body)?;
    if role.is_none() && packs.is_none() {
        return Err(ApiError::bad_request(
            "the request body changes nothing: give `role`, `packs` or both",
        ));
    }
    let now = now();
    let name = user.clone();
    let changed = db(&state, move |s| {
        s.change_user(
            p.org.id,
            &name,
            UserChange {
                role,
                packs: packs.as_ref().map(Option::as_deref),
            },
            p.user.id,
            now,
        )
    })
    .await?
    .ok_or_else(|| ApiError::not_found(format!("the organization `{org}` has no user `{user}`")))?;
    Ok(Json(json!({"user": user_json(&changed)})).into_response())
}
