//! The overview's metrics: tiles and charts of [`guardrail_store::Metrics`] (the store's
//! metrics of the organization over a window; docs/metrics.md defines each number).
//!
//! Each chart's table holds exactly the numbers of the metrics document, so that a test can
//! hold the page and the metrics equal: a daily share is listed for the days that have runs
//! (a day without runs has no rate), a daily count for every day of the window.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};

use guardrail_store::{Metrics, MetricsQuery};

use super::charts::{bars, line, Series};
use super::page::{esc, url_part};
use super::PageError;
use crate::api::{db, now, AppState};

/// The windows the overview offers, in days; the first is the default.
pub const WINDOWS: [i64; 3] = [30, 7, 90];

/// The window a query asks for (`?days=7`), else the default.
pub fn window(params: &[(String, String)]) -> i64 {
    params
        .iter()
        .find(|(k, _)| k == "days")
        .and_then(|(_, v)| v.parse().ok())
        .filter(|d| WINDOWS.contains(d))
        .unwrap_or(WINDOWS[0])
}

/// How long the overview shows metrics it computed before computing them again, in seconds.
/// The metrics of a long window read many rollup rows (about 140 ms of CPU for 30 days of
/// 100,000 runs); a dashboard left open, or a team opening it together, reuses them.
pub const CACHE_SECONDS: i64 = 30;

/// Metrics computed at a time (Unix seconds), per organization id and window in days.
type Computed = HashMap<(i64, i64), (i64, Arc<Metrics>)>;

/// The overview's recently computed metrics, per organization and window, each with the time
/// it was computed.
#[derive(Default)]
pub struct MetricsCache(Mutex<Computed>);

/// The metrics of the last `days` days (today included, UTC), and when they were computed:
/// from the cache when they are younger than [`CACHE_SECONDS`].
pub async fn fetch(
    state: &AppState,
    org_id: i64,
    days: i64,
) -> Result<(Arc<Metrics>, i64), PageError> {
    let now = now();
    let cached = state
        .metrics_cache
        .0
        .lock()
        .ok()
        .and_then(|c| c.get(&(org_id, days)).cloned())
        .filter(|(at, _)| now - at < CACHE_SECONDS && *at <= now);
    if let Some((at, m)) = cached {
        return Ok((m, at));
    }
    let query = MetricsQuery {
        since: (now.div_euclid(86_400) - (days - 1)) * 86_400,
        until: now + 1,
        top: 10,
        ..MetricsQuery::default()
    };
    let m = Arc::new(db(state, move |s| s.metrics(org_id, &query)).await?);
    if let Ok(mut c) = state.metrics_cache.0.lock() {
        c.insert((org_id, days), (now, Arc::clone(&m)));
    }
    Ok((m, now))
}

fn share(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |v| format!("{:.1} %", v * 100.0))
}

fn duration(secs: Option<i64>) -> String {
    match secs {
        None => "–".into(),
        Some(s) if s < 3_600 => format!("{} min", s / 60),
        Some(s) if s < 2 * 86_400 => format!("{:.1} h", s as f64 / 3_600.0),
        Some(s) => format!("{:.1} d", s as f64 / 86_400.0),
    }
}

fn tile(out: &mut String, id: &str, label: &str, shown: &str, value: Option<String>) {
    let _ = write!(
        out,
        r#"<div class="tile" data-metric="{id}" data-value="{v}"><div class="value">{shown}</div><div class="label">{label}</div></div>"#,
        v = esc(&value.unwrap_or_default()),
        shown = esc(shown),
        label = esc(label),
    );
}

/// The daily series of `m` as chart series, with the numbers of the metrics document.
pub fn series(m: &Metrics) -> Vec<(Series, bool)> {
    let daily =
        |id,
         title: &str,
         y_name,
         percent,
         f: &dyn Fn(&guardrail_store::metrics::Counts) -> Option<f64>| Series {
            id,
            title: title.to_owned(),
            x_name: "day (UTC)",
            y_name,
            points: m
                .daily
                .iter()
                .filter_map(|d| f(&d.counts).map(|v| (d.day.clone(), v)))
                .collect(),
            percent,
            links: Vec::new(),
            axis: m.daily.iter().map(|d| d.day.clone()).collect(),
        };
    let as_f64 = |n: u64| n as f64;
    vec![
        (
            daily(
                "violation-rate",
                "Violation rate (runs with a violation)",
                "share of runs",
                true,
                &|c| c.violation_rate,
            ),
            true,
        ),
        (
            daily(
                "blocked-runs",
                "Blocked runs per day",
                "blocked runs",
                false,
                &|c| Some(as_f64(c.blocked_runs)),
            ),
            true,
        ),
        (
            daily(
                "time-to-remediation",
                "Time to remediation (median of the day, hours)",
                "hours",
                false,
                &|c| c.remediation.median_seconds.map(|s| s as f64 / 3_600.0),
            ),
            true,
        ),
        (
            daily(
                "exemption-rate",
                "Exemption rate (findings suppressed)",
                "share of findings",
                true,
                &|c| c.exemption_rate,
            ),
            true,
        ),
        (
            Series {
                id: "top-policies",
                title: "Top violated policies (runs with a violation)".into(),
                x_name: "policy",
                y_name: "violated runs",
                points: m
                    .top_policies
                    .iter()
                    .map(|p| (p.policy.clone(), as_f64(p.violated_runs)))
                    .collect(),
                axis: Vec::new(),
                percent: false,
                links: m
                    .top_policies
                    .iter()
                    .map(|p| format!("/policies/{}", url_part(&p.policy)))
                    .collect(),
            },
            false,
        ),
        (
            Series {
                id: "worst-stacks",
                title: "Worst stacks (violation rate)".into(),
                x_name: "stack",
                y_name: "share of runs",
                points: m
                    .worst_stacks
                    .iter()
                    .map(|s| (s.stack.clone(), s.violation_rate.unwrap_or(0.0)))
                    .collect(),
                percent: true,
                axis: Vec::new(),
                links: m
                    .worst_stacks
                    .iter()
                    .map(|s| match s.stack.split_once('/') {
                        Some((p, n)) => format!("/stacks/{}/{}", url_part(p), url_part(n)),
                        None => "/".into(),
                    })
                    .collect(),
            },
            false,
        ),
        (
            Series {
                id: "active-exemptions",
                title: "Active exemptions per policy".into(),
                x_name: "policy",
                y_name: "active exemptions",
                points: m
                    .active_exemptions
                    .iter()
                    .map(|p| (p.policy.clone(), as_f64(p.active)))
                    .collect(),
                percent: false,
                axis: Vec::new(),
                links: m
                    .active_exemptions
                    .iter()
                    .map(|p| format!("/policies/{}", url_part(&p.policy)))
                    .collect(),
            },
            false,
        ),
    ]
}

/// The overview's metrics section: the window's tiles, then every chart.
pub(super) async fn section(
    state: &AppState,
    org_id: i64,
    params: &[(String, String)],
) -> Result<String, PageError> {
    let days = window(params);
    let (m, computed) = fetch(state, org_id, days).await?;
    let t = &m.totals;
    let mut out = String::new();
    out.push_str(r#"<p class="muted">Window: "#);
    for d in WINDOWS {
        if d == days {
            let _ = write!(out, "<strong>{d} days</strong> ");
        } else {
            let _ = write!(out, r#"<a href="/?days={d}">{d} days</a> "#);
        }
    }
    let _ = write!(
        out,
        r#"(UTC days, today included); computed {} UTC, at most {CACHE_SECONDS} s ago.</p><div class="tiles">"#,
        super::page::when(computed)
    );
    let f = |v: Option<f64>| v.map(|v| v.to_string());
    tile(
        &mut out,
        "runs",
        "runs",
        &t.runs.to_string(),
        Some(t.runs.to_string()),
    );
    tile(
        &mut out,
        "violation-rate",
        "runs with a violation",
        &share(t.violation_rate),
        f(t.violation_rate),
    );
    tile(
        &mut out,
        "blocked-rate",
        "runs blocked",
        &share(t.blocked_rate),
        f(t.blocked_rate),
    );
    tile(
        &mut out,
        "ttr-median",
        "time to remediation (median)",
        &duration(t.remediation.median_seconds),
        t.remediation.median_seconds.map(|s| s.to_string()),
    );
    tile(
        &mut out,
        "ttr-p90",
        "time to remediation (p90)",
        &duration(t.remediation.p90_seconds),
        t.remediation.p90_seconds.map(|s| s.to_string()),
    );
    tile(
        &mut out,
        "open-findings",
        "findings still open",
        &t.remediation.open.to_string(),
        Some(t.remediation.open.to_string()),
    );
    tile(
        &mut out,
        "exemption-rate",
        "findings suppressed",
        &share(t.exemption_rate),
        f(t.exemption_rate),
    );
    let coverage = t.coverage.as_ref().and_then(|c| c.share);
    tile(
        &mut out,
        "coverage",
        "resources covered",
        &share(coverage),
        f(coverage),
    );
    out.push_str("</div><div class=\"grid\">");
    for (s, is_line) in series(&m) {
        out.push_str("<section>");
        out.push_str(&if is_line { line(&s) } else { bars(&s) });
        out.push_str("</section>");
    }
    out.push_str("</div>");
    // Coverage: the resource types no policy evaluated.
    out.push_str(r#"<section><h2>Coverage</h2>"#);
    match &t.coverage {
        Some(c) if c.runs_known > 0 => {
            let _ = write!(
                out,
                r#"<p>{} of {} resources evaluated by at least one enabled policy ({}), over {} runs that reported coverage ({} did not).</p>"#,
                c.covered,
                c.resources,
                share(c.share),
                c.runs_known,
                c.runs_unknown
            );
        }
        _ => out.push_str(r#"<p class="muted">No run of this window reported its coverage.</p>"#),
    }
    if !m.uncovered_types.is_empty() {
        out.push_str(r#"<table data-table="uncovered-types"><thead><tr><th>resource type no policy covers</th><th class="num">resources</th><th class="num">stacks</th></tr></thead><tbody>"#);
        for u in &m.uncovered_types {
            let _ = write!(
                out,
                r#"<tr data-type="{t}"><td><code>{t}</code></td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                u.resources,
                u.stacks,
                t = esc(&u.type_)
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
    Ok(out)
}
