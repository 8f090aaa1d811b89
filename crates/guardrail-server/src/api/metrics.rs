//! `GET /api/v1/orgs/{org}/metrics`: the metrics of the organization's history
//! (docs/metrics.md), read from the store's rollups.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::IntoResponse;
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Json;
use guardrail_store::metrics::DAY;
use guardrail_store::MetricsQuery;

use super::enforcement::{parse_time, query, stored_groups};
use super::{authorize, db, now, Access, ApiError, ApiResult, AppState};
use crate::groups::{matches, valid_stack_part};

/// The longest window, in days (the daily series has one entry a day).
pub const MAX_WINDOW_DAYS: i64 = 732;
/// The default window, in days back from now.
pub const DEFAULT_WINDOW_DAYS: i64 = 30;

pub(super) fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("GET", "/api/v1/orgs/{org}/metrics") => on(MethodFilter::GET, metrics),
        _ => return None,
    })
}

/// The request's scope and window, before a group is turned into its stacks.
#[derive(Debug)]
struct Request {
    query: MetricsQuery,
    stack: Option<(String, String)>,
    group: Option<String>,
}

fn request(uri: &Uri, now: i64) -> Result<Request, ApiError> {
    let mut since = None;
    let mut until = None;
    let mut r = Request {
        query: MetricsQuery::default(),
        stack: None,
        group: None,
    };
    for (key, value) in query(uri) {
        let bad = |what: &str| {
            ApiError::bad_request(format!(
                "the query parameter `{key}={value}` is not valid: {what}"
            ))
        };
        match key.as_str() {
            "since" | "until" => {
                let t = parse_time(&value, now).ok_or_else(|| {
                    bad("give Unix seconds, a date `YYYY-MM-DD` or a span back from now such as `30d` or `12h`")
                })?;
                if key == "since" {
                    since = Some(t);
                } else {
                    until = Some(t);
                }
            }
            "stack" => {
                let (project, stack) = value
                    .split_once('/')
                    .filter(|(p, s)| valid_stack_part(p) && valid_stack_part(s))
                    .ok_or_else(|| bad("write `PROJECT/STACK`"))?;
                r.stack = Some((project.to_owned(), stack.to_owned()));
            }
            "group" if !value.is_empty() => r.group = Some(value),
            "pack" if !value.is_empty() => r.query.pack = Some(value),
            "policy" if !value.is_empty() => r.query.policy = Some(value),
            "group" | "pack" | "policy" => return Err(bad("give a name")),
            _ => {
                return Err(ApiError::bad_request(format!(
                "unknown query parameter `{key}`: use since, until, stack, group, pack and policy"
            )))
            }
        }
    }
    let until = until.unwrap_or(now);
    let since = since.unwrap_or(until - DEFAULT_WINDOW_DAYS * DAY);
    if since >= until {
        return Err(ApiError::bad_request(format!(
            "the window is empty: `since` ({since}) must come before `until` ({until})"
        )));
    }
    if until - since > MAX_WINDOW_DAYS * DAY {
        return Err(ApiError::bad_request(format!(
            "the window is longer than {MAX_WINDOW_DAYS} days: ask for a shorter one with `since` and `until`"
        )));
    }
    r.query.since = since;
    r.query.until = until;
    Ok(r)
}

async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(org): Path<String>,
    uri: Uri,
) -> ApiResult {
    let p = authorize(&state, &headers, &org, Access::History).await?;
    let Request {
        mut query,
        stack,
        group,
    } = request(&uri, now())?;
    let org_id = p.org.id;
    if let Some(name) = &group {
        // a group is the stacks it matches today
        let groups = stored_groups(&state, org_id).await?;
        let (_, spec, _) = groups.iter().find(|(n, _, _)| n == name).ok_or_else(|| {
            ApiError::not_found(format!("the organization `{org}` has no group `{name}`"))
        })?;
        let stacks = db(&state, move |s| s.stacks(org_id)).await?;
        query.stacks = Some(
            stacks
                .into_iter()
                .filter(|s| matches(name, spec, [&org, &s.project, &s.name], &s.tags))
                .filter(|s| {
                    stack
                        .as_ref()
                        .is_none_or(|(p, n)| *p == s.project && *n == s.name)
                })
                .map(|s| (s.project, s.name))
                .collect(),
        );
    } else if let Some(one) = &stack {
        query.stacks = Some(vec![one.clone()]);
    }
    let mut doc = db(&state, move |s| s.metrics(org_id, &query)).await?;
    doc.stack = stack.map(|(p, n)| format!("{p}/{n}"));
    doc.group = group;
    Ok(Json(doc).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_defaults_to_30_days_and_must_not_be_empty() {
        let uri: Uri = "/x?policy=AWS-S3-001&stack=app%2Fprod".parse().unwrap();
        let r = request(&uri, 100 * DAY).unwrap();
        assert_eq!((r.query.since, r.query.until), (70 * DAY, 100 * DAY));
        assert_eq!(r.query.policy.as_deref(), Some("AWS-S3-001"));
        assert_eq!(r.stack, Some(("app".into(), "prod".into())));
        let empty: Uri = "/x?since=2026-01-02&until=2026-01-01".parse().unwrap();
        assert!(request(&empty, 0)
            .unwrap_err()
            .message
            .contains("the window is empty"));
        let unknown: Uri = "/x?window=3".parse().unwrap();
        assert!(request(&unknown, 0)
            .unwrap_err()
            .message
            .contains("unknown query parameter `window`"));
        let long: Uri = "/x?since=2020-01-01&until=2026-01-01".parse().unwrap();
        assert!(request(&long, 0)
            .unwrap_err()
            .message
            .contains("longer than"));
    }
}
