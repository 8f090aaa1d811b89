//! GitHub Actions workflow commands: one annotation per finding, shown on the pull request.
//!
//! `::error file=F,line=L,title=T::message` for blocking findings and policy errors,
//! `::warning` for advisory violations, `::notice` for indeterminate and suppressed ones.
//! Written to standard error by the CLI when `GITHUB_ACTIONS=true`. Files are named from the
//! repository root when [`Context::workspace`] is set.

use std::fmt::Write as _;

use guardrail_core::OutcomeKind;

use crate::{Context, Run};

/// Escapes a command's message (`%`, CR, LF).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command's property value (also `:` and `,`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Renders the annotations, one per line.
pub fn render(runs: &[Run<'_>], ctx: Context<'_>) -> String {
    let mut out = String::new();
    for run in runs {
        let eval = run.evaluation;
        for o in &eval.outcomes {
            let Some(p) = eval.policies.get(o.policy) else {
                continue;
            };
            let command = match o.kind {
                OutcomeKind::Error => "error",
                _ if o.blocking => "error",
                OutcomeKind::Violation => "warning",
                OutcomeKind::Indeterminate | OutcomeKind::Suppressed => "notice",
                OutcomeKind::Pass | OutcomeKind::NotApplicable => continue,
            };
            let resource = o.resource.and_then(|i| run.stack.resources.get(i));
            let place = crate::place(run.stack, o);
            // GitHub places an annotation by its path from the repository root
            let mut props = format!("file={}", property(&ctx.repo_path(place.file)));
            if let Some(line) = place.line {
                let _ = write!(props, ",line={line}");
            }
            let label = match o.kind {
                OutcomeKind::Violation => o.level.as_str(),
                k => k.as_str(),
            };
            let _ = write!(
                props,
                ",title={}",
                property(&format!("{}{} ({label})", p.meta.id, crate::server_mark(p)))
            );
            let mut message = match resource {
                Some(r) => format!("{}: {}", r.id, o.message.as_deref().unwrap_or_default()),
                None => o.message.clone().unwrap_or_default(),
            };
            if let Some(e) = o.exemption.and_then(|i| ctx.exemptions.get(i)) {
                let _ = write!(message, " (exempted: {})", e.reason);
            } else if o.kind == OutcomeKind::Violation && !p.meta.remediation.is_empty() {
                let _ = write!(message, "\nfix: {}", p.meta.remediation);
            }
            let _ = writeln!(out, "::{command} {props}::{}", data(&message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_syntax() {
        assert_eq!(data("50%\nnext"), "50%25%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
