//! The compliance report as markdown: per framework, the coverage, the controls by status, a
//! table of every control, then the evidence of each control that did not pass.

use std::fmt::Write as _;

use super::{ComplianceReport, ControlEntry, EvidenceEntry, FrameworkEntry, Status};

/// How many evaluated resources a control lists before it only counts the rest (the JSON
/// report lists them all).
pub const RESOURCES_SHOWN: usize = 50;

/// Text for a table cell: no line breaks, `|` escaped.
fn cell(text: &str) -> String {
    text.replace(['\r', '\n'], " ").replace('|', "\\|")
}

/// Text for a line of a list: no line breaks.
fn line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// Renders the report.
pub fn render(report: &ComplianceReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Compliance report\n");
    let _ = writeln!(
        out,
        "Made by {} {} at {} from {}:\n",
        report.tool.name,
        report.tool.version,
        report.generated_at,
        super::html::inputs_phrase(report.inputs.len())
    );
    for input in &report.inputs {
        let _ = writeln!(
            out,
            "- `{}` ({}, {} resource{}, evaluated {})",
            line(&input.file),
            input.format,
            input.resources,
            if input.resources == 1 { "" } else { "s" },
            input.evaluated_at
        );
    }
    let _ = writeln!(
        out,
        "\nA control passes only when rules mapped to it evaluated resources of the inputs and \
         found no violation. *Not covered*: no rule maps to the control, or none evaluated a \
         resource of the inputs. *Out of scope*: people, processes or documents decide the \
         control, not infrastructure code."
    );
    for framework in &report.frameworks {
        render_framework(&mut out, framework);
    }
    out
}

fn render_framework(out: &mut String, f: &FrameworkEntry) {
    let _ = writeln!(out, "\n## {} {} (`{}`)\n", f.name, f.version, f.slug);
    let _ = writeln!(out, "{}\n", line(&f.scope));
    let _ = writeln!(
        out,
        "Coverage: rules map to {} of the {} controls listed ({} %); {} of them can be decided \
         from infrastructure code.\n",
        f.coverage.covered, f.coverage.controls, f.coverage.percent, f.coverage.automatable
    );
    let _ = writeln!(out, "| status | controls |\n|---|---:|");
    for status in Status::ALL {
        let n = f.summary.get(&status).copied().unwrap_or(0);
        let _ = writeln!(out, "| {} | {n} |", status.label());
    }
    let _ = writeln!(
        out,
        "\n| control | title | status | rules | resources evaluated |\n|---|---|---|---|---|"
    );
    for c in &f.controls {
        let status = match c.status {
            Status::Fail | Status::Error => format!("**{}**", c.status.label()),
            other => other.label().to_string(),
        };
        let rules = if c.rules.is_empty() {
            "—".to_string()
        } else {
            c.rules
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let resources = match &c.reason {
            Some(reason) if c.resources.is_empty() => cell(reason),
            _ => counts(c),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {status} | {rules} | {resources} |",
            cell(&c.id),
            cell(&c.title)
        );
    }
    let shown: Vec<&ControlEntry> = f
        .controls
        .iter()
        .filter(|c| !c.resources.is_empty())
        .collect();
    if shown.is_empty() {
        let _ = writeln!(
            out,
            "\nNo rule of this framework applied to a resource of the inputs."
        );
        return;
    }
    let _ = writeln!(out, "\n### Evidence");
    for c in shown {
        let _ = writeln!(
            out,
            "\n#### {} {}: {}\n",
            line(&c.id),
            line(&c.title),
            c.status.label()
        );
        for r in &c.rules {
            let _ = writeln!(
                out,
                "- `{}` {}: {} evaluated, {} pass, {} fail, {} exempted, {} indeterminate, {} error",
                r.id,
                line(&r.title),
                r.evaluated,
                r.pass,
                r.fail,
                r.exempted,
                r.indeterminate,
                r.error
            );
        }
        if !c.evidence.is_empty() {
            let _ = writeln!(out, "\nFindings:\n");
            for e in &c.evidence {
                let _ = writeln!(out, "- {}", finding(e));
            }
        }
        let _ = writeln!(out, "\nResources evaluated:\n");
        for r in c.resources.iter().take(RESOURCES_SHOWN) {
            let _ = writeln!(
                out,
                "- {} `{}`{} in `{}`",
                r.status.label(),
                line(r.id.as_deref().unwrap_or("(the whole input)")),
                r.type_
                    .as_deref()
                    .map(|t| format!(" ({})", line(t)))
                    .unwrap_or_default(),
                line(&r.input)
            );
        }
        if c.resources.len() > RESOURCES_SHOWN {
            let _ = writeln!(
                out,
                "- and {} more (the JSON report lists them all)",
                c.resources.len() - RESOURCES_SHOWN
            );
        }
    }
}

/// `3 (2 pass, 1 fail)`.
pub(super) fn counts(c: &ControlEntry) -> String {
    let parts: Vec<String> = Status::ALL
        .iter()
        .filter_map(|s| {
            let n = c.resources.iter().filter(|r| r.status == *s).count();
            (n > 0).then(|| format!("{n} {}", s.label()))
        })
        .collect();
    format!("{} ({})", c.resources.len(), parts.join(", "))
}

fn finding(e: &EvidenceEntry) -> String {
    let mut text = format!(
        "**{}** `{}` on `{}` in `{}` (evaluated {})",
        e.status.label(),
        e.rule,
        line(e.resource.as_deref().unwrap_or("(the whole input)")),
        line(&e.input),
        e.evaluated_at
    );
    if let Some(message) = &e.message {
        let _ = write!(text, ": {}", line(message));
    }
    if let Some(path) = &e.path {
        let _ = write!(text, " (at `{}`)", line(path));
    }
    if let Some(fp) = &e.fingerprint {
        let _ = write!(text, "; fingerprint `{fp}`");
    }
    if let Some(x) = &e.exemption {
        let _ = write!(text, "; exempted: {}", line(&x.reason));
        if let Some(expires) = &x.expires {
            let _ = write!(text, ", until {expires}");
        }
        if let Some(by) = &x.approved_by {
            let _ = write!(text, ", approved by {}", line(by));
        }
        if let Some(ticket) = &x.ticket {
            let _ = write!(text, ", ticket {}", line(ticket));
        }
    }
    text
}
