//! JUnit XML, for CI systems that show test results.
//!
//! One `<testsuite>` per input file; one `<testcase>` per policy and resource it applies to
//! (`classname` the resource id, or `stack`; `name` the policy id and title). A violation is a
//! `<failure>` (as is an indeterminate outcome that blocks in strict mode), a policy error an
//! `<error>`, a suppressed finding or an undecidable (indeterminate) check `<skipped>`; passes
//! are plain test cases. Not-applicable outcomes are left out. Written by hand, with escaping.

use std::fmt::Write as _;

use guardrail_core::{Outcome, OutcomeKind};

use crate::{Context, Run};

/// Escapes text for XML attribute values and character data; drops characters XML 1.0 forbids.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

enum Status {
    Pass,
    Failure,
    Error,
    Skipped,
}

struct Case {
    classname: String,
    name: String,
    status: Status,
    /// `type` attribute and first message.
    kind: String,
    message: String,
    body: String,
    /// The source file and line the case points at, when the resource's source is known.
    source: Option<(String, Option<usize>)>,
}

fn describe(o: &Outcome, ctx: &Context<'_>, run: &Run<'_>) -> String {
    let mut line = format!(
        "{} ({}): {}",
        o.kind.as_str(),
        o.level.as_str(),
        o.message.as_deref().unwrap_or_default()
    );
    let place = crate::place(run.stack, o);
    match (&o.path, place.in_source) {
        (Some(path), true) => {
            let _ = write!(line, " [at {path}, {}]", ctx.place_display(&place));
        }
        (None, true) => {
            let _ = write!(line, " [at {}]", ctx.place_display(&place));
        }
        (Some(path), false) => {
            let _ = write!(line, " [at {path}]");
        }
        (None, false) => {}
    }
    if let Some(e) = o.exemption.and_then(|i| ctx.exemptions.get(i)) {
        let _ = write!(line, " [exempted: {}", e.reason);
        if let Some(until) = &e.expires {
            let _ = write!(line, "; until {until}");
        }
        line.push(']');
    }
    line
}

fn cases(run: &Run<'_>, ctx: &Context<'_>) -> Vec<Case> {
    let eval = run.evaluation;
    let mut out: Vec<Case> = Vec::new();
    let mut group: Vec<&Outcome> = Vec::new();
    let flush = |group: &mut Vec<&Outcome>, out: &mut Vec<Case>| {
        let Some(first) = group.first() else {
            return;
        };
        let Some(p) = eval.policies.get(first.policy) else {
            group.clear();
            return;
        };
        let classname = first
            .resource
            .and_then(|i| run.stack.resources.get(i))
            .map(|r| r.id.clone())
            .unwrap_or_else(|| "stack".to_string());
        let pick = |f: &dyn Fn(&Outcome) -> bool| group.iter().copied().find(|o| f(o));
        let (status, lead) = if let Some(o) = pick(&|o| o.kind == OutcomeKind::Error) {
            (Status::Error, Some(o))
        } else if let Some(o) = pick(&|o| {
            o.kind == OutcomeKind::Violation || (o.kind == OutcomeKind::Indeterminate && o.blocking)
        }) {
            (Status::Failure, Some(o))
        } else if let Some(o) =
            pick(&|o| matches!(o.kind, OutcomeKind::Suppressed | OutcomeKind::Indeterminate))
        {
            (Status::Skipped, Some(o))
        } else {
            (Status::Pass, None)
        };
        let body: Vec<String> = group
            .iter()
            .filter(|o| o.kind != OutcomeKind::Pass)
            .map(|o| describe(o, ctx, run))
            .collect();
        let mut body = body.join("\n");
        if matches!(status, Status::Failure) && !p.meta.remediation.is_empty() {
            let _ = write!(body, "\nfix: {}", p.meta.remediation);
        }
        out.push(Case {
            classname,
            name: format!("{}{}: {}", p.meta.id, crate::server_mark(p), p.meta.title),
            status,
            kind: lead
                .map(|o| match o.kind {
                    OutcomeKind::Violation => o.level.as_str().to_string(),
                    k => k.as_str().to_string(),
                })
                .unwrap_or_default(),
            message: lead
                .and_then(|o| o.message.clone())
                .unwrap_or_else(|| p.meta.title.clone()),
            body,
            source: lead
                .or(group.first().copied())
                .map(|o| crate::place(run.stack, o))
                .filter(|place| place.in_source)
                .map(|place| (ctx.repo_path(place.file).into_owned(), place.line)),
        });
        group.clear();
    };
    for o in &eval.outcomes {
        if o.kind == OutcomeKind::NotApplicable {
            continue;
        }
        if group
            .first()
            .is_some_and(|g| g.policy != o.policy || g.resource != o.resource)
        {
            flush(&mut group, &mut out);
        }
        group.push(o);
    }
    flush(&mut group, &mut out);
    out
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn count(cases: &[Case]) -> Counts {
    let mut c = Counts {
        tests: cases.len(),
        ..Counts::default()
    };
    for case in cases {
        match case.status {
            Status::Failure => c.failures += 1,
            Status::Error => c.errors += 1,
            Status::Skipped => c.skipped += 1,
            Status::Pass => {}
        }
    }
    c
}

/// Renders the JUnit XML report.
pub fn render(runs: &[Run<'_>], ctx: Context<'_>) -> String {
    let suites: Vec<(&Run<'_>, Vec<Case>)> = runs.iter().map(|r| (r, cases(r, &ctx))).collect();
    let mut total = Counts::default();
    for (_, cases) in &suites {
        let c = count(cases);
        total.tests += c.tests;
        total.failures += c.failures;
        total.errors += c.errors;
        total.skipped += c.skipped;
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"guardrail\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">",
        total.tests, total.failures, total.errors, total.skipped
    );
    for (run, cases) in &suites {
        let c = count(cases);
        let file = escape(&run.stack.source);
        let input_file = escape(&ctx.repo_path(&run.stack.source));
        let _ = writeln!(
            out,
            "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\">",
            c.tests, c.failures, c.errors, c.skipped
        );
        if !ctx.notices.is_empty() {
            out.push_str("    <properties>\n");
            for notice in ctx.notices {
                let _ = writeln!(
                    out,
                    "      <property name=\"notice\" value=\"{}\"/>",
                    escape(notice)
                );
            }
            out.push_str("    </properties>\n");
        }
        for case in cases {
            let at = match &case.source {
                Some((source, Some(line))) => format!("{}\" line=\"{line}", escape(source)),
                Some((source, None)) => escape(source),
                None => input_file.clone(),
            };
            let head = format!(
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{at}\" time=\"0\"",
                escape(&case.classname),
                escape(&case.name)
            );
            let (tag, with_type) = match case.status {
                Status::Pass => {
                    let _ = writeln!(out, "{head}/>");
                    continue;
                }
                Status::Failure => ("failure", true),
                Status::Error => ("error", true),
                Status::Skipped => ("skipped", false),
            };
            let _ = writeln!(out, "{head}>");
            let type_attr = if with_type {
                format!(" type=\"{}\"", escape(&case.kind))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "      <{tag} message=\"{}\"{type_attr}>{}</{tag}>",
                escape(&case.message),
                escape(&case.body)
            );
            let _ = writeln!(out, "    </testcase>");
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
    }
}
