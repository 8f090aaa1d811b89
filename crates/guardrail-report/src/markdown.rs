//! A markdown summary for pull-request comments.
//!
//! The verdict first (with why findings did not block), then a table of counts, then the
//! findings: blocking ones first, then policy errors, mandatory violations that do not block
//! (baselined, below `fail_on_severity`, `--fail-on never`), advisory violations,
//! indeterminate checks and suppressed findings (with the exemption that matched), each with
//! where it is and how to fix it; then expired and unused exemptions.
//!
//! The comment stays under [`COMMENT_LIMIT`] (GitHub's limit on a comment): the summary and
//! as many findings as fit, in that order, are kept; the rest is cut with a count of what was
//! left out and where the full report is.

use std::fmt::Write as _;

use guardrail_core::{Enforcement, Outcome, OutcomeKind, PolicyRef, Resource};

use crate::{exemption_status, plural, total, Context, Run, Verdict};

/// GitHub's limit on the body of a pull-request comment, in characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// What the report keeps below [`COMMENT_LIMIT`], in bytes (a byte count is never below the
/// character count): room for a CI step to add a header or a marker.
const BUDGET: usize = COMMENT_LIMIT - 1_536;

/// Options of the markdown renderer.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Where the full report is (a SARIF or JSON file written in the same run), named when
    /// findings are cut.
    pub full_report: Option<&'a str>,
}

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
    let why = crate::why_not_blocking(o, p, ctx)
        .map(|w| format!(", not blocking: {w}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "- **{}**{} {} on {target} ({label}, {} severity{why})",
        inline(&p.meta.id),
        crate::server_mark(p),
        inline(&p.meta.title),
        p.meta.severity
    );
    let _ = writeln!(
        out,
        "  - {}",
        inline(o.message.as_deref().unwrap_or_default())
    );
    let place = format!("`{}`", inline(&ctx.place_display(&item.place)));
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

/// The note about findings cut from the comment: how many, of which sections (titles and
/// counts), and whether blocking ones are among them.
fn not_shown(cut: &[(&str, usize)], cut_blocking: usize) -> String {
    let n: usize = cut.iter().map(|(_, n)| n).sum();
    let what: Vec<String> = cut
        .iter()
        .map(|(title, n)| {
            let name = title.split(" (").next().unwrap_or(title).to_lowercase();
            // `1 blocking finding`, `1 policy error`: the section titles are plural
            let one = name
                .strip_suffix("findings")
                .map(|head| format!("{head}finding"))
                .or_else(|| {
                    name.strip_suffix("errors")
                        .map(|head| format!("{head}error"))
                })
                .unwrap_or_else(|| name.clone());
            plural(*n, &one, &name)
        })
        .collect();
    format!(
        "### Not shown\n\n{} ({}) {} not fit in a pull-request comment{}.\n",
        plural(n, "more finding", "more findings"),
        inline(&what.join(", ")),
        if n == 1 { "does" } else { "do" },
        match (cut_blocking, n) {
            (0, _) => "",
            (_, 1) => ", and it blocks",
            _ => ", blocking ones among them",
        }
    )
}

/// Renders the markdown summary.
pub fn render(runs: &[Run<'_>], ctx: Context<'_>) -> String {
    render_with(runs, ctx, Options::default())
}

/// Renders the markdown summary, saying where the full report is when findings are cut.
pub fn render_with(runs: &[Run<'_>], ctx: Context<'_>, opts: Options<'_>) -> String {
    let t = total(runs);
    let mut out = String::new();
    let verdict = Verdict::of(runs, &ctx);
    let _ = writeln!(out, "## guardrail: {}\n", inline(&verdict.headline));
    for notice in ctx.notices {
        let _ = writeln!(out, "> **Note:** {}\n", inline(notice));
    }
    if !verdict.not_blocking.is_empty() {
        let _ = writeln!(
            out,
            "Not blocking: {}.\n",
            inline(&verdict.not_blocking.join(", "))
        );
    }
    let inputs: Vec<String> = runs
        .iter()
        .map(|r| {
            format!(
                "`{}` ({}, {})",
                inline(&ctx.repo_path(&r.stack.source)),
                r.stack.format,
                plural(r.evaluation.summary.resources, "resource", "resources")
            )
        })
        .collect();
    let _ = writeln!(
        out,
        "Checked {} against {}.\n",
        inputs.join(", "),
        plural(t.policies, "policy", "policies")
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
        ("Resources a fix would change", t.remediated),
        ("Passed", t.passed),
        ("Exemptions used", ex.used),
        ("Exemptions unused", ex.unused),
        ("Exemptions expired", ex.expired),
    ] {
        let _ = writeln!(out, "| {name} | {n} |");
    }
    out.push('\n');
    if t.remediated > 0 {
        let how = match ctx.fix_output {
            Some(path) => format!("the fixed resources are in `{}`", inline(path)),
            None => "write them with `--fix-output FILE`".to_string(),
        };
        let _ = writeln!(
            out,
            "Remediations are proposals, nothing was changed: {how}, then apply them to the \
             program or configuration.\n"
        );
    }

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

    let mut tail = String::new();
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
        let _ = writeln!(tail, "### Exemptions to review\n");
        for n in notes {
            let _ = writeln!(tail, "{n}");
        }
        tail.push('\n');
    }
    if items.is_empty() {
        let _ = writeln!(tail, "No findings.\n");
    }
    let _ = writeln!(
        tail,
        "<sub>guardrail {}{}</sub>",
        env!("CARGO_PKG_VERSION"),
        if ctx.strict { ", strict mode" } else { "" }
    );

    type Pick = fn(&Outcome) -> bool;
    let sections: [(&str, Pick); 6] = [
        ("Blocking findings", |o| o.blocking),
        ("Policy errors", |o| o.kind == OutcomeKind::Error),
        (
            "Mandatory, not blocking (baseline, `fail_on_severity` or `--fail-on`)",
            |o| {
                !o.blocking && o.kind == OutcomeKind::Violation && o.level == Enforcement::Mandatory
            },
        ),
        ("Advisory findings", |o| {
            !o.blocking && o.kind == OutcomeKind::Violation && o.level != Enforcement::Mandatory
        }),
        ("Indeterminate (known only after apply)", |o| {
            !o.blocking && o.kind == OutcomeKind::Indeterminate
        }),
        ("Suppressed by exemptions", |o| {
            o.kind == OutcomeKind::Suppressed
        }),
    ];
    // room for the note about what was cut
    let reserve = 600 + opts.full_report.map_or(0, str::len);
    let budget = BUDGET.saturating_sub(out.len() + tail.len() + reserve);
    let mut used = 0;
    let mut full = false;
    let mut cut: Vec<(&str, usize)> = Vec::new();
    let mut cut_blocking = 0;
    for (title, pick) in sections {
        let chosen: Vec<&Item<'_>> = items.iter().filter(|i| pick(i.outcome)).collect();
        if chosen.is_empty() {
            continue;
        }
        let heading = format!("### {title} ({})\n\n", chosen.len());
        let mut body = String::new();
        let mut left_out = 0;
        for item in &chosen {
            if full {
                left_out += 1;
                continue;
            }
            let mut text = String::new();
            item_lines(&mut text, item, &ctx);
            if used + heading.len() + body.len() + text.len() + 1 > budget {
                full = true;
                left_out += 1;
                continue;
            }
            body.push_str(&text);
        }
        if !body.is_empty() {
            used += heading.len() + body.len() + 1;
            out.push_str(&heading);
            out.push_str(&body);
            if left_out > 0 {
                let _ = writeln!(out, "- … and {left_out} more");
            }
            out.push('\n');
        }
        if left_out > 0 {
            cut.push((title, left_out));
            if title == "Blocking findings" {
                cut_blocking = left_out;
            }
        }
    }
    if !cut.is_empty() {
        out.push_str(&not_shown(&cut, cut_blocking));
        match opts.full_report {
            Some(place) => {
                let _ = writeln!(out, "The full report is in `{}`.\n", inline(place));
            }
            None => {
                let _ = writeln!(
                    out,
                    "For the full report, run `guardrail check` with `--output sarif=FILE` or \
                     `--output json=FILE` (and keep it as a CI artifact).\n"
                );
            }
        }
    }
    out.push_str(&tail);
    out
}

#[cfg(test)]
mod tests {
    use super::not_shown;

    #[test]
    fn the_note_about_cut_findings_counts_one_in_the_singular() {
        assert_eq!(
            not_shown(&[("Blocking findings", 1)], 1),
            "### Not shown\n\n1 more finding (1 blocking finding) does not fit in a pull-request \
             comment, and it blocks.\n"
        );
        assert_eq!(
            not_shown(&[("Policy errors", 1), ("Advisory findings", 2)], 0),
            "### Not shown\n\n3 more findings (1 policy error, 2 advisory findings) do not fit in \
             a pull-request comment.\n"
        );
        assert_eq!(
            not_shown(&[("Blocking findings", 2)], 2),
            "### Not shown\n\n2 more findings (2 blocking findings) do not fit in a pull-request \
             comment, blocking ones among them.\n"
        );
    }
}
