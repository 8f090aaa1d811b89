//! The web dashboard of `guardrail serve`, at `/`: server-rendered HTML, charts drawn as SVG on
//! the server ([`charts`]), no script.
//!
//! Sign-in takes an API token in a form and keeps it in a cookie (`HttpOnly`,
//! `SameSite=Strict`, `Secure` behind https); every page asks the store who the token belongs
//! to, exactly as the API does, so a revoked or expired token signs the browser out at once, and
//! the role decides what a page shows and which buttons it has. Every page shows only the
//! token's own organization. Forms that change something carry a CSRF field derived from the
//! token (and the sign-in form a nonce of its own cookie); a post from another origin is refused.
//! Decisions on exemptions go through the same code as the API's, audited by the store.

pub mod charts;
mod metrics;
pub mod page;
mod simulation;
mod views;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use guardrail_store::{Decision, Principal};
use sha2::{Digest, Sha256};

use crate::api::{db, now, ApiError, AppState};
use crate::auth::{hex, token_hash, TOKEN_PREFIX};
use page::{esc, frame};

/// Where the stylesheet is served.
pub const CSS_PATH: &str = "/assets/dashboard.css";
/// The cookie that holds the signed-in token.
pub const SESSION_COOKIE: &str = "guardrail_session";
/// The cookie that holds the sign-in form's nonce (against login CSRF).
pub const LOGIN_COOKIE: &str = "guardrail_login";

pub use metrics::MetricsCache;

/// The dashboard's routes (beside the API's, under `/`).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(views::overview))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/stacks/{project}/{stack}", get(views::stack))
        .route("/policies/{id}", get(views::policy))
        .route("/exemptions", get(views::exemptions))
        .route("/exemptions/{id}/{decision}", post(decide))
        .route("/simulate", get(views::simulate).post(views::simulate_post))
        .route(CSS_PATH, get(css))
}

/// A signed-in browser: who its token belongs to, and the CSRF value of its forms.
pub struct Session {
    /// The token's principal (never a CI token).
    pub principal: Principal,
    /// The value every form of this session posts in its `csrf` field.
    pub csrf: String,
}

/// Why a page is not shown.
#[derive(Debug)]
pub enum PageError {
    /// Nobody is signed in (or the token stopped working): go to the sign-in form.
    SignIn,
    /// Another answer, with a message for people.
    Status(StatusCode, String),
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError::Status(e.status, e.message)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn => see_other("/login"),
            PageError::Status(status, message) => {
                let body = format!(
                    r#"<p class="error" data-error>{}</p><p><a href="/">Back to the overview</a></p>"#,
                    esc(&message)
                );
                let title = status.canonical_reason().unwrap_or("Error");
                (status, html(frame(title, None, &body))).into_response()
            }
        }
    }
}

/// What a page handler answers.
pub type PageResult = Result<Response, PageError>;

/// An HTML answer with the dashboard's security headers: no caching of pages that hold an
/// organization's data, no framing, no script, no sniffing.
pub fn html(body: String) -> Response {
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// `303 See Other` to `location` (after a post, and to the sign-in form).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        page::CSS,
    )
        .into_response()
}

/// The value of the cookie `name`, if the request sends it.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim().to_owned())
}

/// Whether the browser reached us over https (directly or through a proxy that says so).
fn https(headers: &HeaderMap) -> bool {
    let forwarded_proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    let forwarded = headers
        .get("forwarded")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("proto=https"));
    forwarded_proto || forwarded
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Strict`, `Secure` behind https; `max_age`
/// `Some(0)` deletes it.
fn set_cookie(
    headers: &HeaderMap,
    name: &str,
    value: &str,
    path: &str,
    max_age: Option<u32>,
) -> String {
    let mut c = format!("{name}={value}; Path={path}; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if https(headers) {
        c.push_str("; Secure");
    }
    c
}

/// The CSRF value of a session: derived from its token, so that a page of another site, which
/// cannot read the token, cannot make it; the same on every instance of the service.
fn csrf_of(token: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"guardrail dashboard csrf\n");
    h.update(token.as_bytes());
    hex(&h.finalize())
}

/// Whether two strings are equal, in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Whether `text` looks like a token (`grd_` and hex), before asking the store.
fn token_shaped(text: &str) -> bool {
    text.strip_prefix(TOKEN_PREFIX).is_some_and(|rest| {
        !rest.is_empty() && rest.len() <= 128 && rest.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The principal of a token, unless it is unknown, expired, revoked or a CI token.
async fn principal_of(state: &AppState, token: &str) -> Result<Option<Principal>, PageError> {
    if !token_shaped(token) {
        return Ok(None);
    }
    let (hash, now) = (token_hash(token), now());
    Ok(db(state, move |s| s.principal(&hash, now)).await?)
}

/// The signed-in session of a request, or [`PageError::SignIn`].
pub async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Session, PageError> {
    let token = cookie(headers, SESSION_COOKIE).ok_or(PageError::SignIn)?;
    let principal = principal_of(state, &token)
        .await?
        .filter(|p| p.stacks.is_empty())
        .ok_or(PageError::SignIn)?;
    Ok(Session {
        principal,
        csrf: csrf_of(&token),
    })
}

/// Refuses a post whose `Origin` is another site's (browsers send it on every post).
fn same_origin(headers: &HeaderMap) -> Result<(), PageError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest);
    match (origin_host, host) {
        (Some(o), Some(h)) if o == h => Ok(()),
        _ => Err(PageError::Status(
            StatusCode::FORBIDDEN,
            "this form was sent from another site: open the dashboard itself and try again".into(),
        )),
    }
}

/// The fields of a posted form.
fn form(body: &Bytes) -> Vec<(String, String)> {
    crate::api::enforcement::form_pairs(&String::from_utf8_lossy(body))
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Checks a signed-in post: same origin, and the session's CSRF value.
fn check_post(
    headers: &HeaderMap,
    session: &Session,
    form: &[(String, String)],
) -> Result<(), PageError> {
    same_origin(headers)?;
    match field(form, "csrf") {
        Some(given) if same(given, &session.csrf) => Ok(()),
        _ => Err(PageError::Status(
            StatusCode::FORBIDDEN,
            "this form is stale or was not sent from the dashboard (its CSRF field does not match): reload the page and try again".into(),
        )),
    }
}

fn login_page(headers: &HeaderMap, status: StatusCode, error: Option<&str>) -> PageResult {
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).map_err(|e| {
        PageError::Status(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("no system randomness for the sign-in form: {e}"),
        )
    })?;
    let nonce = hex(&nonce);
    let error = error
        .map(|e| format!(r#"<p class="error" data-error>{}</p>"#, esc(e)))
        .unwrap_or_default();
    let body = format!(
        r#"{error}<section><form method="post" action="/login">
<input type="hidden" name="nonce" value="{nonce}">
<label for="token">API token</label>
<input type="password" id="token" name="token" autocomplete="off" required placeholder="grd_…">
<p class="muted">A user's token of your organization (<code>guardrail serve</code> prints the first admin's; an admin makes more with <code>POST /api/v1/orgs/ORG/tokens</code>). It is kept in a cookie of this browser only until you sign out; CI tokens scoped to stacks cannot sign in.</p>
<button type="submit">Sign in</button></form></section>"#
    );
    let mut response = (status, html(frame("Sign in", None, &body))).into_response();
    if let Ok(v) = HeaderValue::from_str(&set_cookie(
        headers,
        LOGIN_COOKIE,
        &nonce,
        "/login",
        Some(3600),
    )) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    if signed_in(&state, &headers).await.is_ok() {
        return Ok(see_other("/"));
    }
    login_page(&headers, StatusCode::OK, None)
}

async fn login(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> PageResult {
    same_origin(&headers)?;
    let form = form(&body);
    let nonce_ok = match (field(&form, "nonce"), cookie(&headers, LOGIN_COOKIE)) {
        (Some(given), Some(kept)) => !kept.is_empty() && same(given, &kept),
        _ => false,
    };
    if !nonce_ok {
        return login_page(
            &headers,
            StatusCode::FORBIDDEN,
            Some("the sign-in form expired or was not sent from this page: try again"),
        );
    }
    let token = field(&form, "token").unwrap_or_default().trim().to_owned();
    let Some(principal) = principal_of(&state, &token).await? else {
        return login_page(
            &headers,
            StatusCode::UNAUTHORIZED,
            Some("the token is not valid: it is unknown, expired or revoked; paste a whole token (`grd_` and 64 hex digits)"),
        );
    };
    if !principal.stacks.is_empty() {
        return login_page(
            &headers,
            StatusCode::FORBIDDEN,
            Some("this token is scoped to stacks (a CI token): sign in with a user's token"),
        );
    }
    let mut response = see_other("/");
    for c in [
        set_cookie(&headers, SESSION_COOKIE, &token, "/", None),
        set_cookie(&headers, LOGIN_COOKIE, "", "/login", Some(0)),
    ] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(response)
}

async fn logout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> PageResult {
    let session = signed_in(&state, &headers).await?;
    check_post(&headers, &session, &form(&body))?;
    let mut response = see_other("/login");
    if let Ok(v) = HeaderValue::from_str(&set_cookie(&headers, SESSION_COOKIE, "", "/", Some(0))) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}

/// Approves, denies or revokes an exemption from the queue's buttons: the API's own path
/// ([`crate::api::exemptions::decide_as`]), so the same rules hold (no self-approval, states)
/// and the store audits it.
async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, decision)): Path<(String, String)>,
    body: Bytes,
) -> PageResult {
    let session = signed_in(&state, &headers).await?;
    check_post(&headers, &session, &form(&body))?;
    let role = session.principal.user.role;
    if !page::decides(role) {
        return Err(PageError::Status(
            StatusCode::FORBIDDEN,
            format!(
                "the role `{}` may not decide exemptions; it needs `admin` or `policy-admin`",
                role.as_str()
            ),
        ));
    }
    let id: i64 = id.parse().map_err(|_| {
        PageError::Status(
            StatusCode::NOT_FOUND,
            format!("`{id}` is not an exemption id"),
        )
    })?;
    let decision = match decision.as_str() {
        "approve" => Decision::Approve,
        "deny" => Decision::Deny,
        "revoke" => Decision::Revoke,
        other => {
            return Err(PageError::Status(
                StatusCode::NOT_FOUND,
                format!("`{other}` is no decision: use approve, deny or revoke"),
            ))
        }
    };
    crate::api::exemptions::decide_as(&state, &session.principal, id, decision, now()).await?;
    Ok(see_other(&format!(
        "/exemptions?done={}&id={id}",
        decision.as_str()
    )))
}

/// The request's query pairs.
fn query(uri: &Uri) -> Vec<(String, String)> {
    crate::api::enforcement::form_pairs(uri.query().unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_csrf() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; guardrail_session=grd_ab12 ; b=2"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("grd_ab12"));
        assert_eq!(cookie(&h, "c"), None);
        let c = set_cookie(&h, SESSION_COOKIE, "v", "/", None);
        assert_eq!(c, "guardrail_session=v; Path=/; HttpOnly; SameSite=Strict");
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(set_cookie(&h, SESSION_COOKIE, "", "/", Some(0)).ends_with("; Max-Age=0; Secure"));
        assert_ne!(csrf_of("grd_a"), csrf_of("grd_b"));
        assert_eq!(csrf_of("grd_a").len(), 64);
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
        assert!(token_shaped("grd_0a") && !token_shaped("grd_") && !token_shaped("x<y"));
    }

    #[test]
    fn posts_from_another_origin_are_refused() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h).is_ok());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h).is_ok());
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(same_origin(&h).is_err());
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(same_origin(&h).is_err());
    }
}
