//! The terminal report: findings grouped by resource (blocking ones first, with level,
//! severity, policy and message), a table of counts per policy, then a summary line and the
//! verdict with the reasons findings did not block.

use std::fmt::Write as _;

use guardrail_core::{Enforcement, Outcome, OutcomeKind, PolicyRef};

use crate::{plural, total, Context, Run, Verdict};

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
        OutcomeKind::Pass if o.remediated => ("remediate", Paint::green),
        OutcomeKind::Pass => ("pass", Paint::green),
        OutcomeKind::NotApplicable => ("n/a", Paint::dim),
    };
    color(paint, &format!("{text:<13}"))
}

/// The width of the level and severity columns, and so the indent of a finding's detail lines.
const DETAIL_INDENT: usize = 2 + 13 + 1 + 8 + 2;

/// The order of findings within a resource: what blocks first, then errors, mandatory findings
/// that do not block, advisory, indeterminate, suppressed, and proposed fixes last.
fn rank(o: &Outcome) -> u8 {
    match o.kind {
        _ if o.blocking => 0,
        OutcomeKind::Error => 1,
        OutcomeKind::Violation if o.level == Enforcement::Mandatory => 2,
        OutcomeKind::Violation => 3,
        OutcomeKind::Indeterminate => 4,
        OutcomeKind::Suppressed => 5,
        OutcomeKind::Pass | OutcomeKind::NotApplicable => 6,
    }
}

/// Whether an outcome is a finding at all: anything but a plain pass or not applicable.
fn is_finding(o: &Outcome) -> bool {
    match o.kind {
        OutcomeKind::Violation
        | OutcomeKind::Indeterminate
        | OutcomeKind::Error
        | OutcomeKind::Suppressed => true,
        OutcomeKind::Pass => o.remediated,
        OutcomeKind::NotApplicable => false,
    }
}

fn shown(o: &Outcome, quiet: bool) -> bool {
    if quiet {
        return o.blocking || o.kind == OutcomeKind::Error;
    }
    is_finding(o)
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
        (OutcomeKind::Pass, true, None) => "would fix the resource".to_string(),
        _ => o.message.clone().unwrap_or_default(),
    };
    let _ = writeln!(
        out,
        "  {} {:<8}  {}{}  {}",
        label(o, paint),
        p.meta.severity.as_str(),
        paint.bold(&p.meta.id),
        crate::server_mark(p),
        message
    );
    let indent = " ".repeat(DETAIL_INDENT);
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
    if let Some(why) = crate::why_not_blocking(o, p, ctx) {
        let _ = writeln!(
            out,
            "{indent}{}",
            paint.dim(&format!("not blocking: {why}"))
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

/// One row of the per-policy table: findings of one policy at one label.
struct Row<'a> {
    policy: &'a PolicyRef,
    level: &'static str,
    count: usize,
    blocking: usize,
}

/// The level a finding counts at in the per-policy table.
fn table_level(o: &Outcome) -> &'static str {
    match o.kind {
        OutcomeKind::Violation if o.level == Enforcement::Mandatory => "mandatory",
        OutcomeKind::Violation => "advisory",
        OutcomeKind::Indeterminate => "indeterminate",
        OutcomeKind::Error => "error",
        OutcomeKind::Suppressed => "suppressed",
        OutcomeKind::Pass | OutcomeKind::NotApplicable => "remediate",
    }
}

fn policy_table(out: &mut String, rows: &[Row<'_>], paint: &Paint) {
    let id_width = rows
        .iter()
        .map(|r| r.policy.meta.id.chars().count())
        .max()
        .unwrap_or(0)
        .max("policy".len());
    let _ = writeln!(
        out,
        "{}",
        paint.bold(&format!(
            "{:<id_width$}  {:<8}  {:<13}  {:>5}  title",
            "policy", "severity", "level", "count"
        ))
    );
    for r in rows {
        let _ = writeln!(
            out,
            "{:<id_width$}  {:<8}  {:<13}  {:>5}  {}",
            r.policy.meta.id,
            r.policy.meta.severity.as_str(),
            r.level,
            r.count,
            r.policy.meta.title
        );
    }
}

/// Renders the human report.
pub fn render(runs: &[Run<'_>], ctx: Context<'_>, opts: Options) -> String {
    let paint = Paint { on: opts.color };
    let mut out = String::new();
    let mut rows: Vec<Row<'_>> = Vec::new();
    let mut hidden = 0usize;
    // what -q left out, by level, in the order levels first appear
    let mut hidden_by: Vec<(&'static str, usize)> = Vec::new();
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
        let mut any = false;
        let hidden_before = hidden;
        // outcomes come grouped by resource; each group is printed blocking findings first
        let mut start = 0;
        while start < eval.outcomes.len() {
            let resource = eval.outcomes.get(start).and_then(|o| o.resource);
            let end = eval
                .outcomes
                .iter()
                .skip(start)
                .position(|o| o.resource != resource)
                .map_or(eval.outcomes.len(), |n| start + n);
            let group = eval.outcomes.get(start..end).unwrap_or_default();
            start = end;
            for o in group
                .iter()
                .filter(|o| is_finding(o) && !shown(o, opts.quiet))
            {
                hidden += 1;
                let level = table_level(o);
                match hidden_by.iter_mut().find(|(l, _)| *l == level) {
                    Some((_, n)) => *n += 1,
                    None => hidden_by.push((level, 1)),
                }
            }
            let mut picked: Vec<&Outcome> = group.iter().filter(|o| shown(o, opts.quiet)).collect();
            if picked.is_empty() {
                continue;
            }
            picked.sort_by_key(|o| rank(o));
            out.push('\n');
            match resource.and_then(|i| stack.resources.get(i)) {
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
            for o in picked {
                let Some(p) = eval.policies.get(o.policy) else {
                    continue;
                };
                any = true;
                finding_lines(&mut out, o, p, &ctx, &paint, crate::place(stack, o));
                let level = table_level(o);
                match rows
                    .iter_mut()
                    .find(|r| r.policy.meta.id == p.meta.id && r.level == level)
                {
                    Some(row) => {
                        row.count += 1;
                        row.blocking += usize::from(o.blocking);
                    }
                    None => rows.push(Row {
                        policy: p,
                        level,
                        count: 1,
                        blocking: usize::from(o.blocking),
                    }),
                }
            }
        }
        if !any {
            let here = hidden - hidden_before;
            if here > 0 {
                let _ = writeln!(
                    out,
                    "  {}",
                    paint.green(&format!(
                        "nothing blocks; {} not shown (quiet)",
                        plural(here, "non-blocking finding", "non-blocking findings")
                    ))
                );
            } else {
                let _ = writeln!(out, "  {}", paint.green("no findings"));
            }
        }
        out.push('\n');
    }

    if !rows.is_empty() {
        // the policies that block first, then the most frequent
        rows.sort_by(|a, b| {
            (b.blocking > 0)
                .cmp(&(a.blocking > 0))
                .then(b.count.cmp(&a.count))
                .then(a.policy.meta.id.cmp(&b.policy.meta.id))
                .then(a.level.cmp(b.level))
        });
        policy_table(&mut out, &rows, &paint);
        out.push('\n');
    }

    let t = total(runs);
    let mut parts = vec![
        plural(t.mandatory, "mandatory violation", "mandatory violations"),
        plural(t.advisory, "advisory violation", "advisory violations"),
        format!("{} would be fixed", t.remediated),
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
    if opts.quiet && hidden > 0 {
        let _ = writeln!(
            out,
            "{} {} not shown (quiet: {}); run without `-q` to see them",
            paint.dim("note:"),
            plural(hidden, "non-blocking finding", "non-blocking findings"),
            hidden_by
                .iter()
                .map(|(level, n)| format!("{n} {level}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if t.remediated > 0 {
        let how = match ctx.fix_output {
            Some(path) => format!("the fixed resources are in `{path}`"),
            None => "write them with `--fix-output FILE`".to_string(),
        };
        let _ = writeln!(
            out,
            "{} remediations are proposals, nothing was changed: {how}, then apply them to the program or configuration",
            paint.cyan("note:")
        );
    }
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
    for notice in ctx.notices {
        let _ = writeln!(out, "{} {notice}", paint.yellow("note:"));
    }
    let verdict = Verdict::of(runs, &ctx);
    let line = if t.errors > 0 {
        paint.red(&format!("{}; see the errors above", verdict.line()))
    } else if verdict.blocked {
        paint.red(&verdict.line())
    } else {
        paint.green(&verdict.line())
    };
    let _ = writeln!(out, "{line}");
    out
}
