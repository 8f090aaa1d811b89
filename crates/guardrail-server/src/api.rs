//! The HTTP JSON API under `/api/v1`: every route, who may call it, and its handler.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::{Json, Router};
use guardrail_store::{
    NewPackVersion, NewToken, Org, PackVersion, Principal, Published, Role, Store, StoreError,
    TokenInfo, User,
};
use serde_json::{json, Value};

use crate::auth::{content_digest, new_token, token_hash};
use crate::commit::RunWriter;
use crate::packs::{check_document, check_runs, valid_name, valid_version, MAX_PACK_BYTES};

pub(crate) mod enforcement;
pub(crate) mod exemptions;
mod metrics;
mod simulate;

pub use enforcement::parse_time;

/// The OpenAPI document of this API, written by hand; a test holds it and [`ROUTES`] equal.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The largest input `POST …/evaluations` takes, in bytes; larger uploads get 413.
pub const MAX_EVALUATION_BYTES: usize = 64 << 20;

/// The header that carries a pack version's digest on download.
pub const DIGEST_HEADER: &str = "x-guardrail-digest";

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) runs: RunWriter,
    /// The dashboard's recently computed metrics.
    pub(crate) metrics_cache: Arc<crate::dashboard::MetricsCache>,
}

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, without a token (only the OpenAPI document).
    Public,
    /// The server's superuser (the bootstrap admin).
    Superuser,
    /// Any role of the organization in the path.
    Read,
    /// `admin` and `auditor` of the organization: its users and tokens.
    ReadPrivate,
    /// `admin` and `policy-admin`: publish and deprecate packs.
    Publish,
    /// `admin` only: users and tokens.
    Admin,
    /// `admin`, `policy-admin` and `member`: evaluate inputs and upload runs (an auditor only
    /// reads).
    Evaluate,
    /// Any role, but not a CI token: the history of runs and findings, exemptions.
    History,
    /// `admin`, `policy-admin` and `member`, not a CI token: request an exemption.
    Request,
}

impl Access {
    /// Whether the role may call a route of this access (a CI token is checked apart).
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Public | Access::Read | Access::History => true,
            Access::Superuser => false,
            Access::ReadPrivate => matches!(role, Role::Admin | Role::Auditor),
            Access::Publish => matches!(role, Role::Admin | Role::PolicyAdmin),
            Access::Admin => role == Role::Admin,
            Access::Evaluate | Access::Request => role != Role::Auditor,
        }
    }
}

/// One route of the API: method, path (axum's `{param}` syntax, the same as OpenAPI's) and
/// who may call it. The router is built from this table, so the table is what the server
/// serves.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// The HTTP method.
    pub method: &'static str,
    /// The path, from the root.
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
}

const fn route(method: &'static str, path: &'static str, access: Access) -> Route {
    Route {
        method,
        path,
        access,
    }
}

/// Every route of the API.
pub const ROUTES: &[Route] = &[
    route("GET", "/api/v1/openapi.json", Access::Public),
    route("POST", "/api/v1/orgs", Access::Superuser),
    route("GET", "/api/v1/orgs/{org}", Access::Read),
    route("GET", "/api/v1/orgs/{org}/users", Access::ReadPrivate),
    route("POST", "/api/v1/orgs/{org}/users", Access::Admin),
    route("GET", "/api/v1/orgs/{org}/tokens", Access::ReadPrivate),
    route("POST", "/api/v1/orgs/{org}/tokens", Access::Admin),
    route("DELETE", "/api/v1/orgs/{org}/tokens/{id}", Access::Admin),
    route("GET", "/api/v1/orgs/{org}/packs", Access::Read),
    route("GET", "/api/v1/orgs/{org}/packs/{pack}", Access::Read),
    route(
        "PUT",
        "/api/v1/orgs/{org}/packs/{pack}/versions/{version}",
        Access::Publish,
    ),
    route(
        "GET",
        "/api/v1/orgs/{org}/packs/{pack}/versions/{version}",
        Access::Read,
    ),
    route(
        "GET",
        "/api/v1/orgs/{org}/packs/{pack}/versions/{version}/content",
        Access::Read,
    ),
    route(
        "POST",
        "/api/v1/orgs/{org}/packs/{pack}/versions/{version}/deprecate",
        Access::Publish,
    ),
    route(
        "POST",
        "/api/v1/stacks/{org}/{project}/{stack}/evaluations",
        Access::Evaluate,
    ),
    route("GET", "/api/v1/orgs/{org}/groups", Access::Read),
    route("GET", "/api/v1/orgs/{org}/groups/{group}", Access::Read),
    route("PUT", "/api/v1/orgs/{org}/groups/{group}", Access::Publish),
    route(
        "DELETE",
        "/api/v1/orgs/{org}/groups/{group}",
        Access::Publish,
    ),
    route(
        "GET",
        "/api/v1/stacks/{org}/{project}/{stack}",
        Access::Read,
    ),
    route(
        "PUT",
        "/api/v1/stacks/{org}/{project}/{stack}",
        Access::Publish,
    ),
    route(
        "GET",
        "/api/v1/stacks/{org}/{project}/{stack}/policy",
        Access::Read,
    ),
    route(
        "POST",
        "/api/v1/stacks/{org}/{project}/{stack}/runs",
        Access::Evaluate,
    ),
    route("GET", "/api/v1/orgs/{org}/runs", Access::History),
    route("GET", "/api/v1/orgs/{org}/runs/{id}", Access::History),
    route("GET", "/api/v1/orgs/{org}/findings", Access::History),
    route("GET", "/api/v1/orgs/{org}/exemptions", Access::History),
    route("POST", "/api/v1/orgs/{org}/exemptions", Access::Request),
    route("GET", "/api/v1/orgs/{org}/exemptions/{id}", Access::History),
    route(
        "POST",
        "/api/v1/orgs/{org}/exemptions/{id}/approve",
        Access::Publish,
    ),
    route(
        "POST",
        "/api/v1/orgs/{org}/exemptions/{id}/deny",
        Access::Publish,
    ),
    route(
        "POST",
        "/api/v1/orgs/{org}/exemptions/{id}/revoke",
        Access::Publish,
    ),
    route("GET", "/api/v1/orgs/{org}/audit-log", Access::ReadPrivate),
    route("POST", "/api/v1/orgs/{org}/simulations", Access::History),
    route(
        "POST",
        "/api/v1/orgs/{org}/groups/{group}/promote",
        Access::Publish,
    ),
    route("PATCH", "/api/v1/orgs/{org}/users/{user}", Access::Admin),
    route("GET", "/api/v1/orgs/{org}/metrics", Access::History),
];

fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("GET", "/api/v1/openapi.json") => on(MethodFilter::GET, openapi),
        ("POST", "/api/v1/orgs") => on(MethodFilter::POST, create_org),
        ("GET", "/api/v1/orgs/{org}") => on(MethodFilter::GET, show_org),
        ("GET", "/api/v1/orgs/{org}/users") => on(MethodFilter::GET, list_users),
        ("POST", "/api/v1/orgs/{org}/users") => on(MethodFilter::POST, create_user),
        ("GET", "/api/v1/orgs/{org}/tokens") => on(MethodFilter::GET, list_tokens),
        ("POST", "/api/v1/orgs/{org}/tokens") => on(MethodFilter::POST, create_token),
        ("DELETE", "/api/v1/orgs/{org}/tokens/{id}") => on(MethodFilter::DELETE, revoke_token),
        ("GET", "/api/v1/orgs/{org}/packs") => on(MethodFilter::GET, list_packs),
        ("GET", "/api/v1/orgs/{org}/packs/{pack}") => on(MethodFilter::GET, show_pack),
        ("PUT", "/api/v1/orgs/{org}/packs/{pack}/versions/{version}") => {
            on(MethodFilter::PUT, publish)
        }
        ("GET", "/api/v1/orgs/{org}/packs/{pack}/versions/{version}") => {
            on(MethodFilter::GET, show_version)
        }
        ("GET", "/api/v1/orgs/{org}/packs/{pack}/versions/{version}/content") => {
            on(MethodFilter::GET, download)
        }
        ("POST", "/api/v1/orgs/{org}/packs/{pack}/versions/{version}/deprecate") => {
            on(MethodFilter::POST, deprecate)
        }
        ("POST", "/api/v1/stacks/{org}/{project}/{stack}/evaluations") => {
            on(MethodFilter::POST, evaluate).layer(DefaultBodyLimit::max(MAX_EVALUATION_BYTES))
        }
        _ => return enforcement::handler(method, path),
    })
}

/// The API's router over a store; run uploads go through a writer thread that commits them
/// in groups ([`RunWriter`]), which ends with the router. Fails only when that thread cannot
/// start.
pub fn router(store: Arc<dyn Store>) -> Result<Router, String> {
    let runs = RunWriter::start(Arc::clone(&store))?;
    let mut router = Router::new();
    for r in ROUTES {
        if let Some(h) = handler(r.method, r.path) {
            router = router.route(r.path, h);
        }
    }
    Ok(router
        .merge(crate::dashboard::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_PACK_BYTES + (1 << 20)))
        .with_state(AppState {
            store,
            runs,
            metrics_cache: Arc::default(),
        }))
}

/// An error answer: a status and `{"error": {"code", "message"}}`.
#[derive(Debug)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    code: &'static str,
    pub(crate) message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Exists(what) => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("{what} already exists"),
            ),
            StoreError::Missing(what) => ApiError::not_found(format!("{what} does not exist")),
            StoreError::Refused(why) => ApiError::new(StatusCode::CONFLICT, "conflict", why),
            other => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                other.to_string(),
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(json!({"error": {"code": self.code, "message": self.message}})),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

type ApiResult = Result<Response, ApiError>;

pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Runs a store call off the async workers.
pub(crate) async fn db<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, ApiError> {
    let store = Arc::clone(&state.store);
    tokio::task::spawn_blocking(move || f(store.as_ref()))
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                format!("a storage task failed: {e}"),
            )
        })?
        .map_err(ApiError::from)
}

/// The principal of the request's bearer token.
async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Principal, ApiError> {
    let unauthorized = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", m);
    let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
        unauthorized("this route needs an API token: send `Authorization: Bearer TOKEN`")
    })?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| unauthorized("the `Authorization` header must be `Bearer TOKEN`"))?;
    let hash = token_hash(token);
    let now = now();
    db(state, move |s| s.principal(&hash, now))
        .await?
        .ok_or_else(|| {
            unauthorized("the API token is not valid: it is unknown, expired or revoked")
        })
}

/// Authenticates and checks that the principal may do `access` in the organization `org`.
async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    org: &str,
    access: Access,
) -> Result<Principal, ApiError> {
    let principal = authenticate(state, headers).await?;
    // The same answer whether `org` exists or not: another organization's names stay hidden.
    if principal.org.name != org {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "your token belongs to the organization `{}`, not to `{org}`",
                principal.org.name
            ),
        ));
    }
    if !principal.stacks.is_empty() && !matches!(access, Access::Read | Access::Evaluate) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "this token is scoped to stacks (a CI token): it may only read packs and evaluate its stacks",
        ));
    }
    if !access.allows(principal.user.role) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "the role `{}` may not do this; it needs {}",
                principal.user.role.as_str(),
                match access {
                    Access::ReadPrivate => "`admin` or `auditor`",
                    Access::Publish => "`admin` or `policy-admin`",
                    Access::Evaluate | Access::Request => "`admin`, `policy-admin` or `member`",
                    Access::History => "a user token (CI tokens do not read the history)",
                    _ => "`admin`",
                }
            ),
        ));
    }
    Ok(principal)
}

/// Refuses a `policy-admin` limited to packs that do not include `pack` (an `admin` and an
/// unlimited `policy-admin` administer every pack).
fn granted(principal: &Principal, pack: &str) -> Result<(), ApiError> {
    if principal.user.administers(pack) {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        format!(
            "`{}` is a `policy-admin` of the packs {}, not of `{pack}`: ask an `admin` or a policy admin of `{pack}`",
            principal.user.name,
            principal
                .user
                .packs
                .as_deref()
                .unwrap_or_default()
                .iter()
                .map(|g| format!("`{g}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

fn parse_body(body: Result<Bytes, BytesRejection>) -> Result<Value, ApiError> {
    let bytes = body.map_err(|e| {
        ApiError::new(
            e.status(),
            "bad_request",
            format!("cannot read the request body: {}", e.body_text()),
        )
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|e| ApiError::bad_request(format!("the request body is not valid JSON: {e}")))
}

fn string_field<'a>(body: &'a Value, key: &str) -> Result<&'a str, ApiError> {
    body.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| ApiError::bad_request(format!("the request body needs a string `{key}`")))
}

fn check_name(what: &str, name: &str) -> Result<(), ApiError> {
    if valid_name(name) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "the {what} name `{name}` is not valid: use 1 to 64 of a-z, 0-9, `.`, `_` and `-`, starting with a letter or digit"
        )))
    }
}

fn check_version(version: &str) -> Result<(), ApiError> {
    if valid_version(version) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "the version `{version}` is not valid: use 1 to 64 of letters, digits, `.`, `+` and `-` (a semantic version such as `1.2.0`)"
        )))
    }
}

fn org_json(org: &Org) -> Value {
    json!({"name": org.name, "created_at": org.created_at})
}

fn user_json(user: &User) -> Value {
    json!({
        "name": user.name, "role": user.role.as_str(), "created_at": user.created_at,
        "packs": user.packs,
    })
}

fn token_json(t: &TokenInfo) -> Value {
    json!({
        "id": t.id, "user": t.user, "description": t.description, "created_at": t.created_at,
        "expires_at": t.expires_at, "revoked_at": t.revoked_at, "stacks": t.stacks,
    })
}

fn version_json(v: &PackVersion) -> Value {
    json!({
        "name": v.name, "version": v.version, "kind": v.kind, "digest": v.digest, "size": v.size,
        "published_by": v.published_by, "published_at": v.published_at,
        "deprecated": v.deprecated_at.is_some(), "deprecated_at": v.deprecated_at,
        "deprecation_reason": v.deprecation_reason,
    })
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such route: see `/api/v1/openapi.json` for the API")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this route does not take that method: see `/api/v1/openapi.json`",
    )
}

async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        OPENAPI,
    )
        .into_response()
}

async fn create_org(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let principal = authenticate(&state, &headers).await?;
    if !principal.user.superuser {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "only the server's bootstrap admin may create organizations",
        ));
    }
    let body = parse_body(body)?;
    let name = string_field(&body, "name")?.to_owned();
    let admin = string_field(&body, "admin")?.to_owned();
    check_name("organization", &name)?;
    check_name("user", &admin)?;
    let token =
        new_token().map_err(|m| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", m))?;
    let hash = token_hash(&token);
    let now = now();
    let (org_name, admin_name) = (name.clone(), admin.clone());
    let org = db(&state, move |s| {
        s.create_org(
            &org_name,
            &admin_name,
            NewToken {
                hash: &hash,
                description: "first admin token",
                expires_at: None,
                stacks: &[],
            },
            now,
        )
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "org": org_json(&org),
            "admin": {"name": admin, "role": "admin"},
            "token": token,
            "note": "the token is shown once: store it now",
        })),
    )
        .into_response())
}

async fn show_org(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Read).await?;
    Ok(Json(json!({
        "org": org_json(&p.org),
        "you": user_json(&p.user),
    }))
    .into_response())
}

async fn list_users(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::ReadPrivate).await?;
    let users = db(&state, move |s| s.users(p.org.id)).await?;
    Ok(Json(json!({"users": users.iter().map(user_json).collect::<Vec<_>>()})).into_response())
}

async fn create_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Admin).await?;
    let body = parse_body(body)?;
    let name = string_field(&body, "name")?.to_owned();
    check_name("user", &name)?;
    let role_name = string_field(&body, "role")?;
    let role = Role::parse(role_name).ok_or_else(|| {
        ApiError::bad_request(format!(
            "unknown role `{role_name}`: use `admin`, `policy-admin`, `member` or `auditor`"
        ))
    })?;
    let packs = simulate::packs_field(&body)?.flatten();
    let now = now();
    let user = db(&state, move |s| {
        s.add_user(
            p.org.id,
            guardrail_store::NewUser {
                name: &name,
                role,
                packs: packs.as_deref(),
            },
            p.user.id,
            now,
        )
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"user": user_json(&user)}))).into_response())
}

async fn list_tokens(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::ReadPrivate).await?;
    let tokens = db(&state, move |s| s.tokens(p.org.id)).await?;
    Ok(Json(json!({"tokens": tokens.iter().map(token_json).collect::<Vec<_>>()})).into_response())
}

async fn create_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Admin).await?;
    let body = parse_body(body)?;
    let user_name = string_field(&body, "user")?.to_owned();
    let description = body
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let now = now();
    let expires_at = match body.get("expires_in_days") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let days = v
                .as_u64()
                .filter(|d| (1..=3650).contains(d))
                .ok_or_else(|| {
                    ApiError::bad_request("`expires_in_days` must be a whole number from 1 to 3650")
                })?;
            Some(now + i64::try_from(days).unwrap_or(0) * 86_400)
        }
    };
    let stacks = match body.get("stacks") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => {
            let list: Vec<String> = v
                .as_array()
                .filter(|a| !a.is_empty())
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "`stacks` must be a non-empty list of `PROJECT/STACK` patterns (`*` matches within a part)",
                    )
                })?;
            if let Some(bad) = list.iter().find(|p| !valid_stack_pattern(p)) {
                return Err(ApiError::bad_request(format!(
                    "the stack pattern `{bad}` is not valid: write `PROJECT/STACK`, each of a-z, 0-9, `.`, `_`, `-` and `*`"
                )));
            }
            list
        }
    };
    let token =
        new_token().map_err(|m| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", m))?;
    let hash = token_hash(&token);
    let org_id = p.org.id;
    let lookup = user_name.clone();
    let user = db(&state, move |s| s.user(org_id, &lookup))
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "the organization `{org}` has no user `{user_name}`"
            ))
        })?;
    let desc = description.clone();
    let scopes = stacks.clone();
    let by = p.user.id;
    let id = db(&state, move |s| {
        s.create_token(
            user.id,
            NewToken {
                hash: &hash,
                description: &desc,
                expires_at,
                stacks: &scopes,
            },
            by,
            now,
        )
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": id, "user": user_name, "description": description, "expires_at": expires_at,
            "stacks": stacks, "token": token, "note": "the token is shown once: store it now",
        })),
    )
        .into_response())
}

async fn revoke_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, id)): Path<(String, String)>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Admin).await?;
    let token_id: i64 = id
        .parse()
        .map_err(|_| ApiError::bad_request(format!("the token id `{id}` is not a number")))?;
    let now = now();
    if db(&state, move |s| {
        s.revoke_token(p.org.id, token_id, p.user.id, now)
    })
    .await?
    {
        Ok(Json(json!({"id": token_id, "revoked": true})).into_response())
    } else {
        Err(ApiError::not_found(format!(
            "the organization `{org}` has no token {token_id}"
        )))
    }
}

async fn list_packs(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Read).await?;
    let versions = db(&state, move |s| s.pack_versions(p.org.id, None)).await?;
    let mut packs: Vec<Value> = Vec::new();
    let mut i = 0;
    while i < versions.len() {
        let name = &versions[i].name;
        let j = versions[i..]
            .iter()
            .position(|v| &v.name != name)
            .map_or(versions.len(), |k| i + k);
        let group = &versions[i..j];
        packs.push(json!({
            "name": name,
            "versions": group.iter().map(|v| v.version.as_str()).collect::<Vec<_>>(),
            "latest": group.iter().rev().find(|v| v.deprecated_at.is_none()).map(|v| v.version.as_str()),
        }));
        i = j;
    }
    Ok(Json(json!({"packs": packs})).into_response())
}

async fn show_pack(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, pack)): Path<(String, String)>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Read).await?;
    let name = pack.clone();
    let versions = db(&state, move |s| s.pack_versions(p.org.id, Some(&name))).await?;
    if versions.is_empty() {
        return Err(ApiError::not_found(format!(
            "the organization `{org}` has no pack `{pack}`"
        )));
    }
    Ok(Json(json!({
        "name": pack,
        "versions": versions.iter().map(version_json).collect::<Vec<_>>(),
    }))
    .into_response())
}

async fn publish(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, pack, version)): Path<(String, String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Publish).await?;
    check_name("pack", &pack)?;
    check_version(&version)?;
    granted(&p, &pack)?;
    let body = parse_body(body)?;
    let claimed = string_field(&body, "digest")
        .map_err(|_| {
            ApiError::bad_request(
                "the request body needs the content's `digest` (`sha256:` and the hex SHA-256 of the canonical document)",
            )
        })?
        .to_owned();
    let doc = check_document(&body).map_err(ApiError::bad_request)?;
    let digest = content_digest(&doc.canonical);
    if digest != claimed {
        return Err(ApiError::bad_request(format!(
            "digest mismatch: the content's digest is `{digest}`, the request says `{claimed}`; the upload was changed on the way or the client digests another form"
        )));
    }
    let canonical = doc.canonical.clone();
    tokio::task::spawn_blocking(move || check_runs(&canonical))
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                format!("the pack check failed: {e}"),
            )
        })?
        .map_err(|m| ApiError::bad_request(format!("the pack does not load: {m}")))?;
    let (org_id, user_id) = (p.org.id, p.user.id);
    let now = now();
    let (n, v, d) = (pack.clone(), version.clone(), digest.clone());
    let outcome = db(&state, move |s| {
        s.publish(
            org_id,
            user_id,
            NewPackVersion {
                name: &n,
                version: &v,
                kind: doc.kind,
                digest: &d,
                content: &doc.canonical,
            },
            now,
        )
    })
    .await?;
    match outcome {
        Published::Created(v) => Ok((StatusCode::CREATED, Json(version_json(&v))).into_response()),
        Published::Unchanged(v) => Ok((StatusCode::OK, Json(version_json(&v))).into_response()),
        Published::Conflict(existing) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            format!(
                "`{pack}` version `{version}` is already published with other content (digest `{}`, this upload `{digest}`); versions are immutable: publish a new version",
                existing.digest
            ),
        )),
    }
}

async fn show_version(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, pack, version)): Path<(String, String, String)>,
) -> ApiResult {
    let (meta, _) = fetch_version(&state, &headers, &org, &pack, &version).await?;
    Ok(Json(version_json(&meta)).into_response())
}

async fn fetch_version(
    state: &AppState,
    headers: &HeaderMap,
    org: &str,
    pack: &str,
    version: &str,
) -> Result<(PackVersion, Vec<u8>), ApiError> {
    let p = authorize(state, headers, org, Access::Read).await?;
    let (n, v) = (pack.to_owned(), version.to_owned());
    db(state, move |s| s.pack_content(p.org.id, &n, &v))
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "the organization `{org}` has no pack `{pack}` version `{version}`"
            ))
        })
}

async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, pack, version)): Path<(String, String, String)>,
) -> ApiResult {
    let (meta, content) = fetch_version(&state, &headers, &org, &pack, &version).await?;
    let digest = content_digest(&content);
    if digest != meta.digest {
        return Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "corrupt",
            format!(
                "the stored content of `{pack}` version `{version}` does not match its digest `{}`; tell the server's operator",
                meta.digest
            ),
        ));
    }
    let digest_value = HeaderValue::from_str(&digest).map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "bad digest header",
        )
    })?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::HeaderName::from_static(DIGEST_HEADER), digest_value),
        ],
        content,
    )
        .into_response())
}

async fn deprecate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, pack, version)): Path<(String, String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::Publish).await?;
    granted(&p, &pack)?;
    let body = parse_body(body)?;
    let reason = string_field(&body, "reason")?.to_owned();
    let now = now();
    let (n, v) = (pack.clone(), version.clone());
    let (org_id, by) = (p.org.id, p.user.id);
    if !db(&state, move |s| {
        s.deprecate(org_id, &n, &v, &reason, by, now)
    })
    .await?
    {
        return Err(ApiError::not_found(format!(
            "the organization `{org}` has no pack `{pack}` version `{version}`"
        )));
    }
    let (n, v) = (pack.clone(), version.clone());
    let meta = db(&state, move |s| s.pack_content(org_id, &n, &v))
        .await?
        .map(|(m, _)| version_json(&m))
        .unwrap_or(Value::Null);
    Ok(Json(meta).into_response())
}

/// The HTTP method of a route, for clients and tests.
pub fn method_of(route: &Route) -> Method {
    Method::from_bytes(route.method.as_bytes()).unwrap_or(Method::GET)
}

/// The `select` query parameter (comma-separated selectors), with `%2C` read as a comma.
fn query_select(uri: &Uri) -> Vec<String> {
    uri.query()
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| pair.strip_prefix("select="))
        .flat_map(|v| {
            v.replace("%2C", ",")
                .replace("%2c", ",")
                .split(',')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// Evaluates an uploaded plan, state, preview or stack export through the pipeline
/// (`guardrail-run`, as `guardrail check` does) and answers with the same JSON report.
async fn evaluate(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((org, project, stack)): Path<(String, String, String)>,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let principal = authorize(&state, &headers, &org, Access::Evaluate).await?;
    in_scope(&principal, &project, &stack)?;
    let bytes = body.map_err(|e| {
        let status = e.status();
        let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
            format!("the upload is larger than the limit of {MAX_EVALUATION_BYTES} bytes")
        } else {
            format!("cannot read the request body: {}", e.body_text())
        };
        ApiError::new(status, "bad_request", message)
    })?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "the request body is empty: send a plan, state, preview or stack export as JSON",
        ));
    }
    let select = query_select(&uri);
    let mut required = enforcement::central_for(&state, &principal, &project, &stack).await?;
    let central = std::mem::take(&mut required.central);
    let options = guardrail_run::RunOptions {
        inputs: vec![guardrail_run::Input::Bytes {
            name: format!("{org}/{project}/{stack}"),
            bytes: bytes.to_vec(),
        }],
        select,
        max_input_size: Some(MAX_EVALUATION_BYTES as u64),
        reports: vec![guardrail_run::ReportRequest {
            format: guardrail_run::ReportFormat::Json,
            ..guardrail_run::ReportRequest::default()
        }],
        central: Some(central),
        ..guardrail_run::RunOptions::default()
    };
    let name = format!("{org}/{project}/{stack}");
    let result = tokio::task::spawn_blocking(move || {
        let result = guardrail_run::run(options, &guardrail_run::Silent);
        // the packs' scratch directory goes once the run is over
        drop(required);
        // The input is kept for simulations as its loaded model, secrets replaced by markers
        // (never the bytes, which hold the plaintext).
        result.map(|r| {
            let input = guardrail_inputs::load_bytes(&name, &bytes, None)
                .ok()
                .map(|stack| guardrail_store::StoredInput {
                    format: stack.format.clone(),
                    model: crate::model::encode(&stack).to_string().into_bytes(),
                });
            (r, input)
        })
    })
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("the evaluation task failed: {e}"),
        )
    })?;
    let (result, input) = result.map_err(|e| {
        let status = match e.kind {
            guardrail_run::ErrorKind::Input | guardrail_run::ErrorKind::Usage => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let message = match &e.help {
            Some(help) => format!("{}; {help}", e.message),
            None => e.message.clone(),
        };
        ApiError::new(status, "evaluation", message)
    })?;
    let coverage = crate::runs::coverage(&result);
    let report = result
        .reports
        .into_iter()
        .next()
        .map(|(_, text)| text)
        .unwrap_or_default();
    let run_id = enforcement::record_evaluation(
        &state,
        &principal,
        [&project, &stack],
        &uri,
        &report,
        coverage,
        input,
    )
    .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::HeaderName::from_static(RUN_HEADER),
                HeaderValue::from(run_id),
            ),
        ],
        report,
    )
        .into_response())
}

/// The header of an evaluation's answer that names the run it recorded.
pub const RUN_HEADER: &str = "x-guardrail-run";

/// Refuses a CI token scoped to other stacks.
fn in_scope(principal: &Principal, project: &str, stack: &str) -> Result<(), ApiError> {
    let target = format!("{project}/{stack}");
    if principal.stacks.is_empty() || principal.stacks.iter().any(|p| stack_matches(p, &target)) {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        format!(
            "this token may reach only the stacks {}, not `{target}`",
            principal
                .stacks
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

/// Whether `pattern` may scope a token: `PROJECT/STACK`, each part of a-z, 0-9, `.`, `_`, `-`
/// and `*`.
fn valid_stack_pattern(pattern: &str) -> bool {
    let mut parts = pattern.split('/');
    let ok = |p: Option<&str>| {
        p.is_some_and(|p| {
            !p.is_empty()
                && p.len() <= 64
                && p.chars().all(|c| {
                    c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || matches!(c, '.' | '_' | '-' | '*')
                })
        })
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

/// Whether `target` (`PROJECT/STACK`) matches `pattern`, whose `*` matches any run of
/// characters within one part.
fn stack_matches(pattern: &str, target: &str) -> bool {
    let (Some((pp, ps)), Some((tp, ts))) = (pattern.split_once('/'), target.split_once('/')) else {
        return false;
    };
    wildcard(pp.as_bytes(), tp.as_bytes()) && wildcard(ps.as_bytes(), ts.as_bytes())
}

fn wildcard(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => {
            (0..=text.len()).any(|i| wildcard(rest, text.get(i..).unwrap_or_default()))
        }
        Some((c, rest)) => text
            .split_first()
            .is_some_and(|(t, tail)| t == c && wildcard(rest, tail)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_patterns() {
        assert!(stack_matches("app/prod", "app/prod"));
        assert!(!stack_matches("app/prod", "app/prod2"));
        assert!(stack_matches("web/*", "web/eu-1"));
        assert!(stack_matches("*/prod-*", "billing/prod-eu"));
        assert!(!stack_matches("web/*", "webshop/eu"));
        assert!(valid_stack_pattern("web/*"));
        assert!(!valid_stack_pattern("web"));
        assert!(!valid_stack_pattern("a/b/c"));
        assert!(!valid_stack_pattern("Web/x"));
    }
}
