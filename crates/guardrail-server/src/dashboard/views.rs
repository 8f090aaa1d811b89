//! The dashboard's pages: overview, stack, policy, exemption queue, simulation.

use std::fmt::Write;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use guardrail_store::{ExemptionRecord, FindingRecord, HistoryFilter, MetricsQuery, RunRecord};

use super::page::{csrf_field, decides, esc, frame, url_part, when};
use super::{html, query, signed_in, PageError, PageResult, Session};
use crate::api::{db, now, AppState};
use crate::groups::{glob, valid_stack_part};

/// The runs a stack page lists.
const STACK_RUNS: i64 = 50;
/// The window of a policy page's "where it fires", in days.
const FIRES_DAYS: i64 = 30;

fn outcome(o: &str) -> String {
    format!(r#"<span class="outcome-{o}">{}</span>"#, esc(o))
}

fn stack_link(stack: &str) -> String {
    match stack.split_once('/') {
        Some((p, s)) => format!(
            r#"<a href="/stacks/{}/{}">{}</a>"#,
            url_part(p),
            url_part(s),
            esc(stack)
        ),
        None => esc(stack),
    }
}

fn policy_link(policy: &str) -> String {
    format!(
        r#"<a href="/policies/{}">{}</a>"#,
        url_part(policy),
        esc(policy)
    )
}

/// A table of runs, newest first.
pub(super) fn runs_table(runs: &[RunRecord], with_stack: bool) -> String {
    if runs.is_empty() {
        return r#"<p class="muted">No runs recorded.</p>"#.into();
    }
    let mut out = String::from(
        r#"<table data-table="runs"><thead><tr><th class="num">run</th><th>when (UTC)</th>"#,
    );
    if with_stack {
        out.push_str("<th>stack</th>");
    }
    out.push_str(r#"<th>kind</th><th>outcome</th><th class="num">findings</th><th>commit · branch</th><th>by</th></tr></thead><tbody>"#);
    for r in runs {
        let _ = write!(
            out,
            r#"<tr data-run="{id}" data-outcome="{o}"><td class="num">{id}</td><td>{when}</td>"#,
            id = r.id,
            o = esc(&r.outcome),
            when = when(r.created_at)
        );
        if with_stack {
            let _ = write!(out, "<td>{}</td>", stack_link(&r.stack));
        }
        let commit: String = r.commit.as_deref().unwrap_or("").chars().take(10).collect();
        let _ = write!(
            out,
            r#"<td>{kind}</td><td>{outcome}</td><td class="num">{n}</td><td>{commit}{sep}{branch}</td><td>{by}</td></tr>"#,
            kind = esc(&r.kind),
            outcome = outcome(&r.outcome),
            n = r.finding_count,
            commit = esc(&commit),
            sep = if r.branch.is_some() && !commit.is_empty() {
                " · "
            } else {
                ""
            },
            branch = esc(r.branch.as_deref().unwrap_or("")),
            by = esc(r.actor.as_deref().unwrap_or(&r.user)),
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// A table of exemptions, with the decision buttons the session's role may use.
fn exemptions_table(list: &[ExemptionRecord], session: Option<&Session>, now: i64) -> String {
    if list.is_empty() {
        return r#"<p class="muted">None.</p>"#.into();
    }
    let mut out = String::from(
        r#"<table data-table="exemptions"><thead><tr><th class="num">id</th><th>state</th><th>stack</th><th>policy</th><th>resource</th><th>reason</th><th>until</th><th>requested by</th><th>decided by</th><th></th></tr></thead><tbody>"#,
    );
    for e in list {
        let state = e.state(now);
        let flag = if e.break_glass {
            if e.awaits_approval() {
                r#" <span class="flag">break-glass, awaiting approval</span>"#
            } else {
                r#" <span class="flag">break-glass</span>"#
            }
        } else {
            ""
        };
        let ticket = e
            .ticket
            .as_deref()
            .map(|t| format!(r#" <span class="muted">({})</span>"#, esc(t)))
            .unwrap_or_default();
        let mut buttons = String::new();
        if let Some(s) = session.filter(|s| decides(s.principal.user.role)) {
            let form = |decision: &str, label: &str| {
                format!(
                    r#"<form method="post" action="/exemptions/{id}/{decision}" class="inline">{csrf}<button type="submit" class="{decision}" data-action="{decision}" data-exemption="{id}">{label}</button></form> "#,
                    id = e.id,
                    csrf = csrf_field(s)
                )
            };
            let own = e.requested_by == s.principal.user.name;
            if e.awaits_approval() && state != "expired" {
                if own {
                    buttons.push_str(
                        r#"<span class="muted">your request: someone else decides</span>"#,
                    );
                } else {
                    buttons.push_str(&form("approve", "Approve"));
                    buttons.push_str(&form("deny", "Deny"));
                }
            } else if state == "active" {
                buttons.push_str(&form("revoke", "Revoke"));
            }
        }
        let _ = write!(
            out,
            r#"<tr data-exemption="{id}" data-state="{state}"><td class="num">{id}</td><td><span class="state-{state}">{state}</span>{flag}</td><td>{stack}</td><td>{policy}</td><td><code>{resource}</code></td><td>{reason}{ticket}</td><td>{until}</td><td>{by}</td><td>{decided}</td><td>{buttons}</td></tr>"#,
            id = e.id,
            stack = stack_link(&format!("{}/{}", e.project, e.stack)),
            policy = policy_link(&e.policy),
            resource = esc(&e.resource),
            reason = esc(&e.reason),
            until = esc(&e.expires),
            by = esc(&e.requested_by),
            decided = esc(e.decided_by.as_deref().unwrap_or("")),
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// The overview: the organization's metrics as charts, the recent runs, the queue's length.
pub(super) async fn overview(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> PageResult {
    let session = signed_in(&state, &headers).await?;
    let org_id = session.principal.org.id;
    let params = query(&uri);
    let mut body = String::new();
    body.push_str(&super::metrics::section(&state, org_id, &params).await?);
    let runs = recent_runs(&state, org_id, RECENT_RUNS).await?;
    let exemptions = db(&state, move |s| s.exemptions(org_id, None)).await?;
    let now = now();
    let waiting = exemptions
        .iter()
        .filter(|e| e.awaits_approval() && e.state(now) != "expired")
        .count();
    let _ = write!(
        body,
        r#"<section><h2>Exemption queue</h2><p><a href="/exemptions" data-waiting="{waiting}">{waiting} awaiting approval</a></p></section>
<section><h2>Recent runs</h2>{}</section>"#,
        runs_table(&runs, true)
    );
    Ok(html(frame(
        &format!("Overview of {}", session.principal.org.name),
        Some(&session),
        &body,
    )))
}

/// The runs the overview lists.
const RECENT_RUNS: i64 = 20;

/// The organization's `limit` newest runs. Asked for the last day first, then longer: the
/// store reads a window of recent runs through its time index, where the whole history would
/// be sorted to find its newest rows (100 ms of 100,000 runs).
async fn recent_runs(
    state: &AppState,
    org_id: i64,
    limit: i64,
) -> Result<Vec<RunRecord>, PageError> {
    let now = now();
    for days in [Some(1), Some(7), Some(30), None] {
        let filter = HistoryFilter {
            since: days.map(|d| now - d * 86_400),
            limit,
            ..HistoryFilter::default()
        };
        let runs = db(state, move |s| s.runs(org_id, &filter)).await?;
        if runs.len() as i64 >= limit || days.is_none() {
            return Ok(runs);
        }
    }
    Ok(Vec::new())
}

/// How to fix a finding of `policy`: the catalog's remediation and fix steps when it is a
/// built-in rule.
fn fix_of(policy: &str) -> String {
    match guardrail_catalog::find(policy) {
        Some(spec) => format!(
            r#"{}<details><summary>Fix steps</summary><div class="prose"><p>{}</p></div></details>"#,
            esc(spec.remediation),
            esc(spec.docs.fix)
        ),
        None => r#"<span class="muted">See the policy's pack for how to fix it.</span>"#.into(),
    }
}

/// A stack: its tags, its runs, the open findings of its latest run with their fixes, its
/// exemptions.
pub(super) async fn stack(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((project, name)): Path<(String, String)>,
) -> PageResult {
    let session = signed_in(&state, &headers).await?;
    if !valid_stack_part(&project) || !valid_stack_part(&name) {
        return Err(PageError::Status(
            StatusCode::NOT_FOUND,
            format!("`{project}/{name}` is not a stack name: write `PROJECT/STACK`"),
        ));
    }
    let org_id = session.principal.org.id;
    let (pr, st) = (project.clone(), name.clone());
    let record = db(&state, move |s| s.stack(org_id, &pr, &st)).await?;
    let filter = HistoryFilter {
        stack: Some((project.clone(), name.clone())),
        limit: STACK_RUNS,
        ..HistoryFilter::default()
    };
    let runs = db(&state, move |s| s.runs(org_id, &filter)).await?;
    if record.is_none() && runs.is_empty() {
        return Err(PageError::Status(
            StatusCode::NOT_FOUND,
            format!(
                "the organization `{}` has no stack `{project}/{name}`",
                session.principal.org.name
            ),
        ));
    }
    let (pr, st) = (project.clone(), name.clone());
    let exemptions = db(&state, move |s| s.exemptions(org_id, Some((&pr, &st)))).await?;
    let latest = match runs.first() {
        Some(r) => {
            let id = r.id;
            db(&state, move |s| s.run(org_id, id)).await?
        }
        None => None,
    };
    let mut body = String::new();
    let tags = record
        .as_ref()
        .map(|r| {
            r.tags
                .iter()
                .map(|(k, v)| format!("<code>{}={}</code>", esc(k), esc(v)))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| r#"<span class="muted">none</span>"#.into());
    let _ = write!(body, "<p>Tags: {tags}</p>");
    match &latest {
        Some((run, findings)) => {
            let open: Vec<&FindingRecord> = findings
                .iter()
                .filter(|f| f.finding.outcome != "suppressed")
                .collect();
            let suppressed = findings.len() - open.len();
            let _ = write!(
                body,
                r#"<section><h2>Open findings</h2><p class="muted">From the latest run ({id}, {when}, {outcome}); {suppressed} suppressed by exemptions.</p>"#,
                id = run.id,
                when = when(run.created_at),
                outcome = outcome(&run.outcome),
            );
            if open.is_empty() {
                body.push_str(r#"<p class="muted">None: nothing to fix.</p>"#);
            } else {
                body.push_str(r#"<table data-table="findings"><thead><tr><th>policy</th><th>resource</th><th>outcome</th><th>level · severity</th><th>message</th><th>how to fix</th></tr></thead><tbody>"#);
                for f in open {
                    let n = &f.finding;
                    let _ = write!(
                        body,
                        r#"<tr data-policy="{p}" data-outcome="{o}"><td>{plink}</td><td><code>{res}</code></td><td>{out}</td><td>{lvl} · {sev}</td><td>{msg}</td><td>{fix}</td></tr>"#,
                        p = esc(&n.policy),
                        o = esc(&n.outcome),
                        plink = policy_link(&n.policy),
                        res = esc(n.resource.as_deref().unwrap_or("(the stack)")),
                        out = outcome(&n.outcome),
                        lvl = esc(&n.level),
                        sev = esc(&n.severity),
                        msg = esc(&n.message),
                        fix = fix_of(&n.policy),
                    );
                }
                body.push_str("</tbody></table>");
            }
            body.push_str("</section>");
        }
        None => body.push_str(r#"<p class="muted">No runs recorded yet.</p>"#),
    }
    let _ = write!(
        body,
        r#"<section><h2>Runs</h2>{}</section><section><h2>Exemptions</h2>{}</section>"#,
        runs_table(&runs, false),
        exemptions_table(&exemptions, Some(&session), now()),
    );
    Ok(html(frame(
        &format!("Stack {project}/{name}"),
        Some(&session),
        &body,
    )))
}

/// A policy: its documentation from the catalog, where it fires, its exemptions.
pub(super) async fn policy(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> PageResult {
    let session = signed_in(&state, &headers).await?;
    let org_id = session.principal.org.id;
    // Where it fires: the metrics of the policy over the last 30 days (its rollups, not its
    // findings: the history of a busy organization holds millions).
    let now = now();
    let query = MetricsQuery {
        since: (now.div_euclid(86_400) - (FIRES_DAYS - 1)) * 86_400,
        until: now + 1,
        policy: Some(id.clone()),
        top: 50,
        ..MetricsQuery::default()
    };
    let metrics = db(&state, move |s| s.metrics(org_id, &query)).await?;
    let exemptions: Vec<ExemptionRecord> = db(&state, move |s| s.exemptions(org_id, None))
        .await?
        .into_iter()
        .filter(|e| e.policy == id || glob(&e.policy, &id))
        .collect();
    let spec = guardrail_catalog::find(&id);
    let totals = &metrics.totals;
    if spec.is_none()
        && totals.violations + totals.suppressed == 0
        && !metrics
            .worst_stacks
            .iter()
            .any(|s| s.violated_runs > 0 || s.open > 0)
        && exemptions.is_empty()
    {
        return Err(PageError::Status(
            StatusCode::NOT_FOUND,
            format!("`{id}` is no built-in policy and has no findings in the last {FIRES_DAYS} days or exemptions in this organization"),
        ));
    }
    let mut body = String::new();
    match spec {
        Some(spec) => {
            let d = &spec.docs;
            let _ = write!(
                body,
                r#"<section class="prose" data-policy="{id}"><p><strong>{title}</strong></p><p>{desc}</p>
<p class="muted">severity {sev:?} · default level {level:?} · vendor {vendor} · fix {fix:?}</p>
<h2>What it checks</h2><p>{what}</p><h2>Why it matters</h2><p>{why}</p>
<h2>Non-compliant</h2><pre>{bad}</pre><h2>Compliant</h2><pre>{good}</pre>
<h2>How to fix</h2><p>{fixdoc}</p>"#,
                id = esc(spec.id),
                title = esc(spec.title),
                desc = esc(spec.description),
                sev = spec.severity,
                level = spec.enforcement,
                vendor = esc(spec.vendor),
                fix = spec.fix,
                what = esc(d.what),
                why = esc(d.why),
                bad = esc(d.noncompliant),
                good = esc(d.compliant),
                fixdoc = esc(d.fix),
            );
            if !d.references.is_empty() {
                body.push_str("<h2>References</h2><ul>");
                for r in d.references {
                    let _ = write!(body, "<li>{}</li>", esc(r));
                }
                body.push_str("</ul>");
            }
            body.push_str("</section>");
        }
        None => body.push_str(
            r#"<p class="muted">Not a built-in policy: it comes from a pack of your organization; its documentation is the pack's.</p>"#,
        ),
    }
    let mut rows: Vec<_> = metrics
        .worst_stacks
        .iter()
        .filter(|s| s.violated_runs > 0 || s.open > 0)
        .collect();
    rows.sort_by_key(|s| std::cmp::Reverse((s.violated_runs, s.open)));
    let _ = write!(
        body,
        r#"<section><h2>Where it fires</h2><p class="muted">The last {FIRES_DAYS} days (UTC): {} violations, {} suppressed by exemptions.</p>"#,
        totals.violations, totals.suppressed
    );
    if rows.is_empty() {
        body.push_str(r#"<p class="muted">Nowhere in this window.</p>"#);
    } else {
        body.push_str(r#"<table data-table="fires"><thead><tr><th>stack</th><th class="num">runs with a violation of it</th><th class="num">runs it blocked</th><th class="num">runs</th><th class="num">findings still open</th></tr></thead><tbody>"#);
        for r in rows {
            let _ = write!(
                body,
                r#"<tr data-stack="{s}" data-violated-runs="{v}"><td>{link}</td><td class="num">{v}</td><td class="num">{b}</td><td class="num">{n}</td><td class="num">{o}</td></tr>"#,
                s = esc(&r.stack),
                link = stack_link(&r.stack),
                v = r.violated_runs,
                b = r.blocked_runs,
                n = r.runs,
                o = r.open,
            );
        }
        body.push_str("</tbody></table>");
    }
    let _ = write!(
        body,
        "</section><section><h2>Exemptions</h2>{}</section>",
        exemptions_table(&exemptions, Some(&session), now)
    );
    let title = format!("Policy {}", spec.map_or(id.as_str(), |s| s.id));
    Ok(html(frame(&title, Some(&session), &body)))
}

/// The exemption queue: everything awaiting a decision first, with the buttons the role may
/// use; then every exemption by state.
pub(super) async fn exemptions(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> PageResult {
    let session = signed_in(&state, &headers).await?;
    let org_id = session.principal.org.id;
    let all = db(&state, move |s| s.exemptions(org_id, None)).await?;
    let now = now();
    let mut body = String::new();
    let params = query(&uri);
    let param = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if let (Some(done), Some(id)) = (
        param("done"),
        param("id").and_then(|i| i.parse::<i64>().ok()),
    ) {
        let word = match done {
            "approve" => Some("approved"),
            "deny" => Some("denied"),
            "revoke" => Some("revoked"),
            _ => None,
        };
        if let Some(word) = word {
            let _ = write!(
                body,
                r#"<p class="notice" data-notice="{word}">Exemption {id} {word}; the audit log records it.</p>"#
            );
        }
    }
    let (waiting, rest): (Vec<ExemptionRecord>, Vec<ExemptionRecord>) = all
        .into_iter()
        .partition(|e| e.awaits_approval() && e.state(now) != "expired");
    if !decides(session.principal.user.role) {
        let _ = write!(
            body,
            r#"<p class="muted">Your role (<code>{}</code>) reads the queue; an <code>admin</code> or <code>policy-admin</code> decides.</p>"#,
            session.principal.user.role.as_str()
        );
    }
    let _ = write!(
        body,
        r#"<section id="queue"><h2>Awaiting approval ({})</h2>{}</section><section><h2>All other exemptions</h2>{}</section>"#,
        waiting.len(),
        exemptions_table(&waiting, Some(&session), now),
        exemptions_table(&rest, Some(&session), now),
    );
    Ok(html(frame("Exemptions", Some(&session), &body)))
}

/// The simulation form.
pub(super) async fn simulate(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> PageResult {
    let session = signed_in(&state, &headers).await?;
    let body = super::simulation::form_html(&session, &query(&uri));
    Ok(html(frame(
        "Simulate a level change",
        Some(&session),
        &body,
    )))
}

/// A posted simulation: the form again, filled, and what the simulation found (or why it could
/// not run).
pub(super) async fn simulate_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> PageResult {
    let session = signed_in(&state, &headers).await?;
    let form = super::form(&body);
    super::check_post(&headers, &session, &form)?;
    let mut page = String::new();
    let status = match super::simulation::run(&state, &session, &form).await {
        Ok(sim) => {
            page.push_str(&super::simulation::result_html(&sim));
            StatusCode::OK
        }
        Err(PageError::Status(status, message)) => {
            let _ = write!(page, r#"<p class="error" data-error>{}</p>"#, esc(&message));
            status
        }
        Err(e) => return Err(e),
    };
    let mut out = super::simulation::form_html(&session, &form);
    out.push_str(&page);
    let mut response = html(frame("Simulate a level change", Some(&session), &out));
    *response.status_mut() = status;
    Ok(response)
}
