//! The terminal report: findings grouped by resource, then a summary line and the verdict.

use std::fmt::Write as _;

use guardrail_core::{Enforcement, Outcome, OutcomeKind, PolicyRef};

use crate::{plural, total, Context, Run};

/// Options of the human renderer.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// ANSI colour (only on a terminal).
    pub color: bool,
    /// Only blocking findings, errors and the summary.
    pub quiet: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.wrap("1", t)
    }
    fn dim(&self, t: &str) -> String {
        self.wrap("2", t)
    }
    fn red(&self, t: &str) -> String {
        self.wrap("1;31", t)
    }
    fn yellow(&self, t: &str) -> String {
        self.wrap("33", t)
    }
    fn green(&self, t: &str) -> String {
        self.wrap("32", t)
    }
    fn cyan(&self, t: &str) -> String {
        self.wrap("36", t)
    }
    fn magenta(&self, t: &str) -> String {
        self.wrap("35", t)
    }
}

/// The label of a finding, padded to a common width.
fn label(o: &Outcome, paint: &Paint) -> String {
    let (text, color): (&str, fn(&Paint, &str) -> String) = match o.kind {
        OutcomeKind::Violation if o.level == Enforcement::Mandatory => ("mandatory", Paint::red),
        OutcomeKind::Violation => ("advisory", Paint::yellow),
        OutcomeKind::Indeterminate if o.blocking => ("indeterminate", Paint::red),
        OutcomeKind::Indeterminate => ("indeterminate", Paint::magenta),
        OutcomeKind::Error => ("error", Paint::red),
        OutcomeKind::Suppressed => ("suppressed", Paint::dim),
        OutcomeKind::Pass if o.remediated => ("remediated", Paint::green),
        OutcomeKind::Pass => ("pass", Paint::green),
        OutcomeKind::NotApplicable => ("n/a", Paint::dim),
    };
    color(paint, &format!("{text:<13}"))
}

fn shown(o: &Outcome, quiet: bool) -> bool {
    if quiet {
        return o.blocking || o.kind == OutcomeKind::Error;
    }
    match o.kind {
        OutcomeKind::Violation
        | OutcomeKind::Indeterminate
        | OutcomeKind::Error
        | OutcomeKind::Suppressed => true,
        OutcomeKind::Pass => o.remediated,
        OutcomeKind::NotApplicable => false,
    }
}

fn finding_lines(
    out: &mut String,
    o: &Outcome,
    p: &PolicyRef,
    ctx: &Context<'_>,
    paint: &Paint,
    place: crate::Place<'_>,
) {
    let message = match (o.kind, o.remediated, &o.message) {
        (OutcomeKind::Pass, true, None) => "fixed by remediation".to_string(),
        _ => o.message.clone().unwrap_or_default(),
    };
    let _ = writeln!(
        out,
        "  {} {}  {}",
        label(o, paint),
        paint.bold(&p.meta.id),
        message
    );
    let indent = " ".repeat(16);
    if o.kind != OutcomeKind::Pass {
        match (&o.path, place.in_source) {
            (Some(path), true) => {
                let _ = writeln!(
                    out,
                    "{indent}{} {} ({path})",
                    paint.dim("at"),
                    place.display()
                );
            }
            (None, true) => {
                let _ = writeln!(out, "{indent}{} {}", paint.dim("at"), place.display());
            }
            (Some(path), false) => {
                let _ = writeln!(out, "{indent}{} {path}", paint.dim("at"));
            }
            (None, false) => {}
        }
    }
    if o.remediated && o.kind == OutcomeKind::Violation {
        let _ = writeln!(
            out,
            "{indent}{}",
            paint.dim("the remediation ran but the resource still violates: counted as mandatory")
        );
    }
    if let Some(e) = o.exemption.and_then(|i| ctx.exemptions.get(i)) {
        let mut line = format!("exempted: {}", e.reason);
        if let Some(until) = &e.expires {
            let _ = write!(line, " (until {until})");
        }
        let _ = writeln!(out, "{indent}{}", paint.dim(&line));
    }
    if matches!(o.kind, OutcomeKind::Violation) && !p.meta.remediation.is_empty() {
        let _ = writeln!(out, "{indent}{} {}", paint.cyan("fix:"), p.meta.remediation);
    }
}

/// Renders the human report.
pub fn render(runs: &[Run<'_>], ctx: Context<'_>, opts: Options) -> String {
    let paint = Paint { on: opts.color };
    let mut out = String::new();
    for run in runs {
        let eval = run.evaluation;
        let stack = run.stack;
        let _ = writeln!(
            out,
            "{} {}",
            paint.bold(&stack.source),
            paint.dim(&format!(
                "({}, {})",
                stack.format,
                plural(eval.summary.resources, "resource", "resources")
            ))
        );
        let mut current: Option<Option<usize>> = None;
        let mut any = false;
        for o in eval.outcomes.iter().filter(|o| shown(o, opts.quiet)) {
            let Some(p) = eval.policies.get(o.policy) else {
                continue;
            };
            if current != Some(o.resource) {
                current = Some(o.resource);
                out.push('\n');
                match o.resource.and_then(|i| stack.resources.get(i)) {
                    Some(r) => {
                        let _ = writeln!(
                            out,
                            "{}  {}  {}",
                            paint.bold(&r.id),
                            paint.dim(&r.type_),
                            paint.dim(r.operation.as_str())
                        );
                    }
                    None => {
                        let _ = writeln!(out, "{}", paint.bold("stack"));
                    }
                }
            }
            any = true;
            finding_lines(&mut out, o, p, &ctx, &paint, crate::place(stack, o));
        }
        if !any {
            let _ = writeln!(out, "  {}", paint.green("no findings"));
        }
        out.push('\n');
    }

    let t = total(runs);
    let mut parts = vec![
        plural(t.mandatory, "mandatory violation", "mandatory violations"),
        plural(t.advisory, "advisory violation", "advisory violations"),
        format!("{} remediated", t.remediated),
        format!("{} indeterminate", t.indeterminate),
        plural(t.errors, "error", "errors"),
    ];
    if t.suppressed > 0 {
        parts.push(format!("{} suppressed", t.suppressed));
    }
    let ex = crate::exemption_status(runs, &ctx);
    let _ = writeln!(
        out,
        "{} {}, {}: {}",
        paint.bold("summary:"),
        plural(t.resources, "resource", "resources"),
        plural(t.policies, "policy", "policies"),
        parts.join(", ")
    );
    if ex.unused > 0 {
        let _ = writeln!(
            out,
            "{} {} matched nothing",
            paint.yellow("note:"),
            plural(ex.unused, "exemption", "exemptions")
        );
    }
    for (e, _) in ctx
        .exemptions
        .iter()
        .zip(&ex.expired_at)
        .filter(|(_, expired)| **expired)
    {
        let _ = writeln!(
            out,
            "{} the exemption of {} on {} expired on {} and no longer applies ({})",
            paint.yellow("note:"),
            e.policies.join(", "),
            e.resources.join(", "),
            e.expires.as_deref().unwrap_or("?"),
            e.reason
        );
    }
    let verdict = if t.errors > 0 {
        paint.red("error: a policy failed; see the errors above")
    } else if t.blocking > 0 {
        let mut why = plural(t.blocking, "blocking finding", "blocking findings");
        if ctx.strict && t.indeterminate > 0 {
            why.push_str(" (strict mode: indeterminate counts under mandatory)");
        }
        paint.red(&format!("blocked: {why}"))
    } else {
        paint.green("passed: nothing blocks")
    };
    let _ = writeln!(out, "{verdict}");
    out
}
