//! The simulation form: what a policy at another level (or a pack version) would have done to
//! the recorded runs of a window, through [`crate::simulate::simulate`], the API's own path
//! (`POST /api/v1/orgs/ORG/simulations`), audited as it is.

use std::fmt::Write;
use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use super::page::{csrf_field, esc, url_part, when};
use super::{PageError, Session};
use crate::api::{now, ApiError, AppState};
use crate::simulate::{Simulation, SimulationRequest, DEFAULT_SINCE};

/// The levels the form offers.
const LEVELS: [&str; 4] = ["mandatory", "advisory", "remediate", "disabled"];
/// The most rows a result table lists.
const ROWS: usize = 100;

fn value<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

/// The form, filled with what was asked (`form`), or empty.
pub(super) fn form_html(session: &Session, form: &[(String, String)]) -> String {
    let level = value(form, "level");
    let mut options = String::new();
    for l in LEVELS {
        let _ = write!(
            options,
            r#"<option value="{l}"{}>{l}</option>"#,
            if l == level { " selected" } else { "" }
        );
    }
    let since = match value(form, "since") {
        "" => DEFAULT_SINCE,
        s => s,
    };
    format!(
        r#"<section><form method="post" action="/simulate">{csrf}
<label for="policy">Policy</label><input type="text" id="policy" name="policy" required value="{policy}" placeholder="AWS-S3-001">
<label for="level">Level</label><select id="level" name="level">{options}</select>
<label for="pack">Pack version to evaluate stored inputs with (optional)</label><input type="text" id="pack" name="pack" value="{pack}" placeholder="NAME@VERSION">
<label for="group">Only the stacks of the group (optional)</label><input type="text" id="group" name="group" value="{group}" placeholder="default">
<label for="since">Since</label><input type="text" id="since" name="since" value="{since}" placeholder="30d, 2026-11-01">
<p><button type="submit">Simulate</button></p>
<p class="muted">Replays the recorded runs of the window with the policy at that level and tells which runs and stacks it would have blocked; nothing changes but the audit log, which records the simulation. <code>guardrail promote</code> then changes the level.</p>
</form></section>"#,
        csrf = csrf_field(session),
        policy = esc(value(form, "policy")),
        pack = esc(value(form, "pack")),
        group = esc(value(form, "group")),
        since = esc(since),
    )
}

/// The request a posted form makes.
fn request(form: &[(String, String)]) -> Result<SimulationRequest, PageError> {
    let mut body = Map::new();
    for key in ["policy", "level", "pack", "group", "since"] {
        let v = value(form, key);
        if !v.is_empty() {
            body.insert(key.into(), json!(v));
        }
    }
    serde_json::from_value(Value::Object(body)).map_err(|e| {
        PageError::Status(
            StatusCode::BAD_REQUEST,
            format!("the simulation request is not valid: {e}"),
        )
    })
}

/// Runs the simulation a posted form asks for, as the session's user.
pub(super) async fn run(
    state: &AppState,
    session: &Session,
    form: &[(String, String)],
) -> Result<Simulation, PageError> {
    let request = request(form)?;
    let store = Arc::clone(&state.store);
    let (org, by, now) = (
        session.principal.org.clone(),
        session.principal.user.id,
        now(),
    );
    let result = tokio::task::spawn_blocking(move || {
        crate::simulate::simulate(store.as_ref(), &org, by, &request, now)
    })
    .await
    .map_err(|e| {
        PageError::Status(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the simulation task failed: {e}"),
        )
    })?;
    result.map_err(|e| PageError::from(ApiError::from(e)))
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

fn pct(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

/// The result of a simulation.
pub(super) fn result_html(sim: &Simulation) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<section data-simulation data-runs="{runs}" data-blocked-before="{bb}" data-blocked-after="{ba}" data-blocked-by-policy="{bp}">
<h2>{policy} at {level:?}</h2>
<div class="tiles">
<div class="tile"><div class="value">{runs}</div><div class="label">runs replayed ({stacks} stacks, {re} evaluated again)</div></div>
<div class="tile"><div class="value">{bb} → {ba}</div><div class="label">blocked runs: {sb} → {sa}</div></div>
<div class="tile"><div class="value">{bp}</div><div class="label">runs the policy itself blocks ({sp})</div></div>
<div class="tile"><div class="value">{nf} / {df}</div><div class="label">new / disappearing findings</div></div>
</div><p class="muted">From {since} to {until} (UTC).</p>"#,
        policy = esc(&sim.policy),
        level = sim.level,
        runs = sim.runs,
        stacks = sim.stacks,
        re = sim.reevaluated,
        bb = sim.blocked_before,
        ba = sim.blocked_after,
        sb = pct(sim.blocked_share_before),
        sa = pct(sim.blocked_share_after),
        bp = sim.blocked_by_policy,
        sp = pct(sim.blocked_by_policy_share),
        nf = sim.new_findings.len(),
        df = sim.disappearing_findings.len(),
        since = when(sim.since),
        until = when(sim.until),
    );
    out.push_str("<h2>Stacks affected</h2>");
    if sim.stacks_affected.is_empty() {
        out.push_str(r#"<p class="muted">None: no run's outcome changes.</p>"#);
    } else {
        out.push_str(r#"<table data-table="stacks-affected"><thead><tr><th>stack</th><th class="num">runs</th><th class="num">newly blocked</th><th class="num">no longer blocked</th></tr></thead><tbody>"#);
        for s in &sim.stacks_affected {
            let _ = write!(
                out,
                r#"<tr data-stack="{name}" data-newly-blocked="{nb}"><td>{link}</td><td class="num">{runs}</td><td class="num">{nb}</td><td class="num">{nl}</td></tr>"#,
                name = esc(&s.stack),
                link = stack_link(&s.stack),
                runs = s.runs,
                nb = s.newly_blocked,
                nl = s.no_longer_blocked,
            );
        }
        out.push_str("</tbody></table>");
    }
    if !sim.changed_runs.is_empty() {
        let _ = write!(
            out,
            r#"<h2>Runs whose outcome changes ({})</h2><table data-table="changed-runs"><thead><tr><th class="num">run</th><th>when (UTC)</th><th>stack</th><th>kind</th><th>before → after</th></tr></thead><tbody>"#,
            sim.changed_runs.len()
        );
        for r in sim.changed_runs.iter().take(ROWS) {
            let _ = write!(
                out,
                r#"<tr data-run="{id}"><td class="num">{id}</td><td>{when}</td><td>{stack}</td><td>{kind}</td><td><span class="outcome-{b}">{b}</span> → <span class="outcome-{a}">{a}</span></td></tr>"#,
                id = r.run,
                when = when(r.created_at),
                stack = stack_link(&r.stack),
                kind = esc(&r.kind),
                b = esc(&r.before),
                a = esc(&r.after),
            );
        }
        out.push_str("</tbody></table>");
    }
    for (title, list) in [
        ("New findings", &sim.new_findings),
        ("Disappearing findings", &sim.disappearing_findings),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            r#"<h2>{title} ({})</h2><table><thead><tr><th class="num">run</th><th>stack</th><th>resource</th><th>outcome</th><th>message</th></tr></thead><tbody>"#,
            list.len()
        );
        for f in list.iter().take(ROWS) {
            let _ = write!(
                out,
                r#"<tr><td class="num">{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>"#,
                f.run,
                stack_link(&f.stack),
                esc(f.resource.as_deref().unwrap_or("(the stack)")),
                esc(&f.outcome),
                esc(&f.message),
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>");
    out
}
