//! The compliance report as one self-contained HTML page: styles inline, no script, no image,
//! no font, no link to anything outside the file, so that it can be attached to an audit as
//! it is.

use std::fmt::Write as _;

use super::markdown::{counts, RESOURCES_SHOWN};
use super::{ComplianceReport, EvidenceEntry, FrameworkEntry, Status};

const STYLE: &str =
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24;max-width:80rem}\
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;\
text-align:left;vertical-align:top}th{background:#f6f8fa}code{font-size:.9em}\
.s{font-weight:600;white-space:nowrap}.fail,.error{color:#b42318}.pass{color:#1a7f37}\
.exempted,.indeterminate{color:#9a6700}.not_covered,.out_of_scope{color:#57606a}\
.scope{color:#57606a}details{margin:.5rem 0}";

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A message escaped, with its `code spans` (paired backticks) as `<code>`; an unpaired
/// backtick stays as it is.
pub fn message(text: &str) -> String {
    let escaped = escape(text);
    let parts: Vec<&str> = escaped.split('`').collect();
    // n backticks split the text into n + 1 parts: an odd count of parts pairs them all
    if parts.len() & 1 == 0 {
        return escaped;
    }
    let mut out = String::with_capacity(escaped.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i & 1 == 1 {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

/// `1 input`, `2 inputs`.
pub(super) fn inputs_phrase(n: usize) -> String {
    format!("{n} input{}", if n == 1 { "" } else { "s" })
}

fn status(s: Status) -> String {
    format!("<span class=\"s {}\">{}</span>", s.as_str(), s.label())
}

/// Renders the report.
pub fn render(report: &ComplianceReport) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Compliance report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>Compliance report</h1>\n<p>Made by {} {} at {} from {}:</p>\n<ul>\n",
        report.tool.name,
        report.tool.version,
        escape(&report.generated_at),
        inputs_phrase(report.inputs.len())
    );
    for input in &report.inputs {
        let _ = writeln!(
            out,
            "<li><code>{}</code> ({}, {} resource{}, evaluated {})</li>",
            escape(&input.file),
            escape(&input.format),
            input.resources,
            if input.resources == 1 { "" } else { "s" },
            escape(&input.evaluated_at)
        );
    }
    let _ = writeln!(
        out,
        "</ul>\n<p>A control passes only when rules mapped to it evaluated resources of the \
         inputs and found no violation. <em>Not covered</em>: no rule maps to the control, or \
         none evaluated a resource of the inputs. <em>Out of scope</em>: people, processes or \
         documents decide the control, not infrastructure code.</p>"
    );
    for framework in &report.frameworks {
        render_framework(&mut out, framework);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn render_framework(out: &mut String, f: &FrameworkEntry) {
    let _ = writeln!(
        out,
        "<section id=\"{}\">\n<h2>{} {} (<code>{}</code>)</h2>\n<p class=\"scope\">{}</p>",
        escape(&f.slug),
        escape(&f.name),
        escape(&f.version),
        escape(&f.slug),
        escape(&f.scope)
    );
    let _ = writeln!(
        out,
        "<p>Coverage: rules map to {} of the {} controls listed ({} %); {} of them can be \
         decided from infrastructure code.</p>",
        f.coverage.covered, f.coverage.controls, f.coverage.percent, f.coverage.automatable
    );
    out.push_str("<table><tr><th>status</th><th>controls</th></tr>\n");
    for s in Status::ALL {
        let n = f.summary.get(&s).copied().unwrap_or(0);
        let _ = writeln!(out, "<tr><td>{}</td><td>{n}</td></tr>", status(s));
    }
    out.push_str("</table>\n<table>\n<tr><th>control</th><th>title</th><th>status</th><th>rules</th><th>resources evaluated</th></tr>\n");
    for c in &f.controls {
        let rules = if c.rules.is_empty() {
            "—".to_string()
        } else {
            c.rules
                .iter()
                .map(|r| format!("<code>{}</code>", escape(&r.id)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let resources = match &c.reason {
            Some(reason) if c.resources.is_empty() => escape(reason),
            _ => escape(&counts(c)),
        };
        let anchor = if c.resources.is_empty() {
            escape(&c.id)
        } else {
            format!(
                "<a href=\"#{}-{}\">{}</a>",
                escape(&f.slug),
                escape(&c.id),
                escape(&c.id)
            )
        };
        let _ = writeln!(
            out,
            "<tr><td>{anchor}</td><td>{}</td><td>{}</td><td>{rules}</td><td>{resources}</td></tr>",
            escape(&c.title),
            status(c.status)
        );
    }
    out.push_str("</table>\n");
    for c in f.controls.iter().filter(|c| !c.resources.is_empty()) {
        let _ = writeln!(
            out,
            "<h3 id=\"{}-{}\">{} {}: {}</h3>\n<ul>",
            escape(&f.slug),
            escape(&c.id),
            escape(&c.id),
            escape(&c.title),
            status(c.status)
        );
        for r in &c.rules {
            let _ = writeln!(
                out,
                "<li><code>{}</code> {}: {} evaluated, {} pass, {} fail, {} exempted, {} \
                 indeterminate, {} error</li>",
                escape(&r.id),
                escape(&r.title),
                r.evaluated,
                r.pass,
                r.fail,
                r.exempted,
                r.indeterminate,
                r.error
            );
        }
        out.push_str("</ul>\n");
        if !c.evidence.is_empty() {
            out.push_str("<table>\n<tr><th>status</th><th>rule</th><th>resource</th><th>input</th><th>finding</th><th>fingerprint</th></tr>\n");
            for e in &c.evidence {
                finding_row(out, e);
            }
            out.push_str("</table>\n");
        }
        let _ = writeln!(
            out,
            "<details><summary>{} resource{} evaluated</summary>\n<ul>",
            c.resources.len(),
            if c.resources.len() == 1 { "" } else { "s" }
        );
        for r in c.resources.iter().take(RESOURCES_SHOWN) {
            let _ = writeln!(
                out,
                "<li>{} <code>{}</code>{} in <code>{}</code></li>",
                status(r.status),
                escape(r.id.as_deref().unwrap_or("(the whole input)")),
                r.type_
                    .as_deref()
                    .map(|t| format!(" ({})", escape(t)))
                    .unwrap_or_default(),
                escape(&r.input)
            );
        }
        if c.resources.len() > RESOURCES_SHOWN {
            let _ = writeln!(
                out,
                "<li>and {} more (the JSON report lists them all)</li>",
                c.resources.len() - RESOURCES_SHOWN
            );
        }
        out.push_str("</ul></details>\n");
    }
    out.push_str("</section>\n");
}

fn finding_row(out: &mut String, e: &EvidenceEntry) {
    let mut text = message(e.message.as_deref().unwrap_or(""));
    if let Some(path) = &e.path {
        let _ = write!(text, " (at <code>{}</code>)", escape(path));
    }
    if let Some(x) = &e.exemption {
        let _ = write!(text, "<br>exempted: {}", escape(&x.reason));
        if let Some(expires) = &x.expires {
            let _ = write!(text, ", until {}", escape(expires));
        }
        if let Some(by) = &x.approved_by {
            let _ = write!(text, ", approved by {}", escape(by));
        }
        if let Some(ticket) = &x.ticket {
            let _ = write!(text, ", ticket {}", escape(ticket));
        }
    }
    let _ = writeln!(
        out,
        "<tr><td>{}</td><td><code>{}</code></td><td><code>{}</code></td><td><code>{}</code><br>{}</td><td>{text}</td><td><code>{}</code></td></tr>",
        status(e.status),
        escape(&e.rule),
        escape(e.resource.as_deref().unwrap_or("(the whole input)")),
        escape(&e.input),
        escape(&e.evaluated_at),
        escape(e.fingerprint.as_deref().unwrap_or(""))
    );
}
