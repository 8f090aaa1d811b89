//! A markdown summary for pull-request comments.
//!
//! The verdict first, then a table of counts, then the findings: blocking ones first, then
//! policy errors, advisory violations, indeterminate checks and suppressed findings (with the
//! exemption that matched), each with where it is and how to fix it; then expired and unused
//! exemptions.

use std::fmt::Write as _;

use guardrail_core::{Outcome, OutcomeKind, PolicyRef, Resource};

use crate::{exemption_status, total, Context, Run};

/// Makes text safe inside markdown prose: no raw HTML, no line breaks.
fn inline(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\r', '\n'], " ")
}

struct Item<'a> {
    /// Where the finding points: its source line, or the input file's.
    place: crate::Place<'a>,
    outcome: &'a Outcome,
    policy: &'a PolicyRef,
    resource: Option<&'a Resource>,
}

fn item_lines(out: &mut String, item: &Item<'_>, ctx: &Context<'_>) {
    let o = item.outcome;
    let p = item.policy;
    let target = match item.resource {
        Some(r) => format!("`{}`", inline(&r.id)),
        None => "the stack".to_string(),
    };
    let label = match o.kind {
        OutcomeKind::Violation => o.level.as_str(),
        k => k.as_str(),
    };
    let _ = writeln!(
        out,
        "- **{}** {} on {target} ({label}, {} severity)",
        inline(&p.meta.id),
        inline(&p.meta.title),
        p.meta.severity
    );
    let _ = writeln!(
        out,
        "  - {}",
        inline(o.message.as_deref().unwrap_or_default())
    );
    let place = format!("`{}`", inline(&item.place.display()));
    match &o.path {
        Some(path) => {
            let _ = writeln!(out, "  - at `{}` in {place}", inline(path));
        }
        None => {
            let _ = writeln!(out, "  - in {place}");
        }
    }
    if let Some(e) = o.exemption.and_then(|i| ctx.exemptions.get(i)) {
        let mut line = format!("  - exempted: {}", inline(&e.reason));
        if let Some(until) = &e.expires {
            let _ = write!(line, " (until {until})");
        }
        if let Some(who) = &e.approved_by {
            let _ = write!(line, ", approved by {}", inline(who));
        }
        if let Some(t) = &e.ticket {
            let _ = write!(line, ", ticket {}", inline(t));
        }
        let _ = writeln!(out, "{line}");
    }
    if matches!(o.kind, OutcomeKind::Violation | OutcomeKind::Suppressed)
        && !p.meta.remediation.is_empty()
    {
        let _ = writeln!(out, "  - **Fix:** {}", inline(&p.meta.remediation));
    }
}

/// Renders the markdown summary.
pub fn render(runs: &[Run<'_>], ctx: Context<'_>) -> String {
    let t = total(runs);
    let mut out = String::new();
    let verdict = if t.errors > 0 {
        "error: a policy failed".to_string()
    } else if t.blocking > 0 {
        format!(
            "blocked: {} blocking finding{}",
            t.blocking,
            if t.blocking == 1 { "" } else { "s" }
        )
    } else {
        "passed: nothing blocks".to_string()
    };
    let _ = writeln!(out, "## guardrail: {verdict}\n");
    let inputs: Vec<String> = runs
        .iter()
        .map(|r| {
            format!(
                "`{}` ({}, {} resources)",
                inline(&r.stack.source),
                r.stack.format,
                r.evaluation.summary.resources
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "Checked {} against {} policies.\n",
        inputs.join(", "),
        t.policies
    );

    let ex = exemption_status(runs, &ctx);
    let _ = writeln!(out, "| Outcome | Count |\n|---|---:|");
    for (name, n) in [
        ("Blocking", t.blocking),
        ("Mandatory violations", t.mandatory),
        ("Advisory violations", t.advisory),
        ("Policy errors", t.errors),
        ("Indeterminate", t.indeterminate),
        ("Suppressed", t.suppressed),
        ("Remediated resources", t.remediated),
        ("Passed", t.passed),
        ("Exemptions used", ex.used),
        ("Exemptions unused", ex.unused),
        ("Exemptions expired", ex.expired),
    ] {
        let _ = writeln!(out, "| {name} | {n} |");
    }
    out.push('\n');

    let mut items: Vec<Item<'_>> = Vec::new();
    for run in runs {
        for o in &run.evaluation.outcomes {
            if matches!(o.kind, OutcomeKind::Pass | OutcomeKind::NotApplicable) {
                continue;
            }
            if let Some(policy) = run.evaluation.policies.get(o.policy) {
                items.push(Item {
                    place: crate::place(run.stack, o),
                    outcome: o,
                    policy,
                    resource: o.resource.and_then(|i| run.stack.resources.get(i)),
                });
            }
        }
    }
    type Pick = fn(&Outcome) -> bool;
    let sections: [(&str, Pick); 5] = [
        ("Blocking findings", |o| o.blocking),
        ("Policy errors", |o| o.kind == OutcomeKind::Error),
        ("Advisory findings", |o| {
            !o.blocking && o.kind == OutcomeKind::Violation
        }),
        ("Indeterminate (known only after apply)", |o| {
            !o.blocking && o.kind == OutcomeKind::Indeterminate
        }),
        ("Suppressed by exemptions", |o| {
            o.kind == OutcomeKind::Suppressed
        }),
    ];
    for (title, pick) in sections {
        let chosen: Vec<&Item<'_>> = items.iter().filter(|i| pick(i.outcome)).collect();
        if chosen.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title} ({})\n", chosen.len());
        for item in chosen {
            item_lines(&mut out, item, &ctx);
        }
        out.push('\n');
    }

    let notes: Vec<String> = ctx
        .exemptions
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let what = format!(
                "{} on {}: {}",
                e.policies.join(", "),
                e.resources.join(", "),
                e.reason
            );
            if ex.expired_at.get(i).copied().unwrap_or(false) {
                Some(format!(
                    "- expired on {}: {}",
                    e.expires.as_deref().unwrap_or("?"),
                    inline(&what)
                ))
            } else if !ex.used_at.get(i).copied().unwrap_or(false) {
                Some(format!("- unused (matched nothing): {}", inline(&what)))
            } else {
                None
            }
        })
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(out, "### Exemptions to review\n");
        for n in notes {
            let _ = writeln!(out, "{n}");
        }
        out.push('\n');
    }
    if items.is_empty() {
        let _ = writeln!(out, "No findings.\n");
    }
    let _ = writeln!(
        out,
        "<sub>guardrail {}{}</sub>",
        env!("CARGO_PKG_VERSION"),
        if ctx.strict { ", strict mode" } else { "" }
    );
    out
}
