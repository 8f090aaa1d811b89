//! The JSON report: stable and versioned.
//!
//! `schema` names the version (`guardrail.report/v1`). Within a version, fields are only added,
//! never renamed or removed; the JSON Schema lives in `docs/report-schema.json`. The same input
//! gives the same bytes: no timestamps, and every list has a defined order.

use serde::Serialize;

use guardrail_core::{Enforcement, OutcomeKind, Severity, Summary};

use crate::{total, Context, Run};

/// The schema identifier of this report version.
pub const SCHEMA: &str = "guardrail.report/v1";

/// The whole report. Findings are produced while the report is written, not stored.
#[derive(Serialize)]
pub struct Report<'r, 'a> {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// The tool that wrote it.
    pub tool: Tool,
    /// Whether strict mode was on.
    pub strict: bool,
    /// Whether anything blocks the change.
    pub blocked: bool,
    /// Totals over every input.
    pub summary: Summary,
    /// Each input file.
    pub inputs: Vec<Input<'r>>,
    /// Every policy that ran on any input, ordered by pack then declared order.
    pub policies: Vec<PolicyEntry<'r>>,
    /// Violations, indeterminate, error and suppressed outcomes (passes and not-applicable
    /// outcomes are only counted), by input, resource (stack-level last) and policy.
    pub findings: Findings<'r, 'a>,
    /// Resources changed by remediation.
    pub remediations: Vec<RemediationEntry<'r>>,
    /// Exemptions in force, with whether they matched and whether they had expired.
    pub exemptions: Vec<ExemptionEntry<'r>>,
    /// Exemption counts.
    pub exemption_summary: ExemptionSummary,
}

/// How many exemptions were used, unused and expired.
#[derive(Debug, Serialize)]
pub struct ExemptionSummary {
    /// Matched at least one finding.
    pub used: usize,
    /// In force, matched nothing.
    pub unused: usize,
    /// Past their expiry date; no longer applied.
    pub expired: usize,
}

/// The tool that wrote a report.
#[derive(Debug, Serialize)]
pub struct Tool {
    /// `guardrail`.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
}

/// One input file.
#[derive(Debug, Serialize)]
pub struct Input<'a> {
    /// The path as given.
    pub file: &'a str,
    /// The detected format.
    pub format: &'a str,
    /// Counts for this input.
    pub summary: &'a Summary,
}

/// A policy that ran.
#[derive(Debug, Serialize)]
pub struct PolicyEntry<'a> {
    /// Stable id.
    pub id: &'a str,
    /// Slug name.
    pub name: &'a str,
    /// Title.
    pub title: &'a str,
    /// Pack name.
    pub pack: &'a str,
    /// Severity.
    pub severity: Severity,
    /// Resolved enforcement level.
    pub enforcement: Enforcement,
}

/// The resource a finding is about.
#[derive(Debug, Serialize)]
pub struct ResourceEntry<'a> {
    /// URN or address.
    pub id: &'a str,
    /// Type as the source spells it.
    #[serde(rename = "type")]
    pub type_: &'a str,
    /// What the change does to it.
    pub operation: &'a str,
    /// Line in the input file where it starts, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// One finding.
#[derive(Debug, Serialize)]
pub struct Finding<'a> {
    /// The input file.
    pub file: &'a str,
    /// The resource, or null for a stack-level finding.
    pub resource: Option<ResourceEntry<'a>>,
    /// Policy id.
    pub policy: &'a str,
    /// Pack name.
    pub pack: &'a str,
    /// `violation`, `indeterminate`, `error` or `suppressed`.
    pub kind: OutcomeKind,
    /// The level it counts at.
    pub level: Enforcement,
    /// The policy's severity.
    pub severity: Severity,
    /// Whether it blocks.
    pub blocking: bool,
    /// Message (redacted).
    pub message: &'a str,
    /// Property path (redacted), when known.
    pub path: Option<&'a str>,
    /// How to fix it.
    pub remediation: &'a str,
    /// Whether the policy's fix already changed the resource.
    pub remediated: bool,
    /// The exemption that suppressed it, index into `exemptions`.
    pub exemption: Option<usize>,
    /// The stable fingerprint (policy id, resource id, message; no position) baselines record.
    pub fingerprint: String,
}

/// A resource changed by remediation.
#[derive(Debug, Serialize)]
pub struct RemediationEntry<'a> {
    /// The input file.
    pub file: &'a str,
    /// The resource id.
    pub resource: &'a str,
    /// The policies whose fixes changed it, in order.
    pub policies: Vec<&'a str>,
}

/// An exemption and what became of it.
#[derive(Debug, Serialize)]
pub struct ExemptionEntry<'a> {
    /// The exemption.
    #[serde(flatten)]
    pub exemption: &'a guardrail_core::Exemption,
    /// Whether it matched any finding.
    pub used: bool,
    /// Whether it had expired.
    pub expired: bool,
}

/// The findings of a report, in report order, produced on demand: a large plan has hundreds of
/// thousands, and writing them one by one keeps them out of memory.
#[derive(Clone, Copy)]
pub struct Findings<'r, 'a> {
    runs: &'r [Run<'a>],
}

impl<'r, 'a> Findings<'r, 'a> {
    /// Every finding, in report order.
    pub fn iter(&self) -> impl Iterator<Item = Finding<'r>> + 'r {
        self.runs.iter().flat_map(|run| {
            let eval = run.evaluation;
            eval.outcomes.iter().filter_map(move |o| {
                if matches!(o.kind, OutcomeKind::Pass | OutcomeKind::NotApplicable) {
                    return None;
                }
                let p = eval.policies.get(o.policy)?;
                let resource = o
                    .resource
                    .and_then(|i| run.stack.resources.get(i))
                    .map(|r| ResourceEntry {
                        id: &r.id,
                        type_: &r.type_,
                        operation: r.operation.as_str(),
                        line: r.line,
                    });
                Some(Finding {
                    file: &run.stack.source,
                    resource,
                    policy: &p.meta.id,
                    pack: &p.pack,
                    kind: o.kind,
                    level: o.level,
                    severity: p.meta.severity,
                    blocking: o.blocking,
                    message: o.message.as_deref().unwrap_or_default(),
                    path: o.path.as_deref(),
                    remediation: &p.meta.remediation,
                    remediated: o.remediated,
                    exemption: o.exemption,
                    fingerprint: crate::baseline::outcome_fingerprint(run.stack, eval, o),
                })
            })
        })
    }
}

impl Serialize for Findings<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl std::fmt::Debug for Findings<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Builds the report model.
pub fn report<'r, 'a>(runs: &'r [Run<'a>], ctx: Context<'r>) -> Report<'r, 'a> {
    let mut policies: Vec<PolicyEntry<'r>> = Vec::new();
    let mut remediations = Vec::new();
    for run in runs {
        let eval = run.evaluation;
        for p in &eval.policies {
            if p.enforcement == Enforcement::Disabled
                || policies
                    .iter()
                    .any(|e| e.id == p.meta.id && e.pack == p.pack)
            {
                continue;
            }
            policies.push(PolicyEntry {
                id: &p.meta.id,
                name: &p.meta.name,
                title: &p.meta.title,
                pack: &p.pack,
                severity: p.meta.severity,
                enforcement: p.enforcement,
            });
        }
        for r in &eval.remediations {
            if let Some(res) = run.stack.resources.get(r.resource) {
                remediations.push(RemediationEntry {
                    file: &run.stack.source,
                    resource: &res.id,
                    policies: r
                        .policies
                        .iter()
                        .filter_map(|&i| eval.policies.get(i).map(|p| p.meta.id.as_str()))
                        .collect(),
                });
            }
        }
    }
    let exemptions = ctx
        .exemptions
        .iter()
        .enumerate()
        .map(|(i, e)| ExemptionEntry {
            exemption: e,
            used: runs.iter().any(|r| {
                r.evaluation
                    .exemptions_used
                    .get(i)
                    .copied()
                    .unwrap_or(false)
            }),
            expired: runs.iter().any(|r| {
                r.evaluation
                    .exemptions_expired
                    .get(i)
                    .copied()
                    .unwrap_or(false)
            }),
        })
        .collect();
    let status = crate::exemption_status(runs, &ctx);
    let summary = total(runs);
    Report {
        schema: SCHEMA,
        tool: Tool {
            name: "guardrail",
            version: env!("CARGO_PKG_VERSION"),
        },
        strict: ctx.strict,
        blocked: summary.blocking > 0,
        summary,
        inputs: runs
            .iter()
            .map(|r| Input {
                file: &r.stack.source,
                format: &r.stack.format,
                summary: &r.evaluation.summary,
            })
            .collect(),
        policies,
        findings: Findings { runs },
        remediations,
        exemptions,
        exemption_summary: ExemptionSummary {
            used: status.used,
            unused: status.unused,
            expired: status.expired,
        },
    }
}

/// Renders the JSON report, pretty-printed, ending with a newline.
pub fn render(runs: &[Run<'_>], ctx: Context<'_>) -> String {
    let mut out = Vec::new();
    match write(runs, ctx, &mut out) {
        Ok(()) => String::from_utf8(out)
            .unwrap_or_else(|_| "{\"error\": \"cannot render report\"}\n".to_string()),
        Err(e) => format!("{{\"error\": \"cannot render report: {e}\"}}\n"),
    }
}

/// Writes the JSON report, pretty-printed and ending with a newline, to `out` as it is
/// produced (findings are never all in memory at once). Pass a buffered writer.
pub fn write(
    runs: &[Run<'_>],
    ctx: Context<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &report(runs, ctx)).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}
