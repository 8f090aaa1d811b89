//! The JSON report: stable and versioned.
//!
//! `schema` names the version (`guardrail.report/v1`). Within a version, fields are only added,
//! never renamed or removed; the JSON Schema lives in `docs/report-schema.json`. The same input
//! gives the same bytes: no timestamps, and every list has a defined order.

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use guardrail_core::{Enforcement, Outcome, OutcomeKind, Severity, Summary};

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
    /// Why the run passed or failed (added within v1).
    pub verdict: VerdictEntry,
    /// Notices about the run as a whole, e.g. that it was not recorded by the policy service
    /// (absent when there are none; added within v1).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub notices: &'r [String],
}

/// The verdict line and why findings did not block.
#[derive(Debug, Serialize)]
pub struct VerdictEntry {
    /// The verdict as the human report prints it: `blocked: 2 blocking findings (not
    /// blocking: 1 advisory, 3 exempted)`.
    pub line: String,
    /// Counts of findings that did not block, by reason.
    pub not_blocking: NotBlocking,
}

/// Findings that did not block, by reason.
#[derive(Debug, Serialize)]
pub struct NotBlocking {
    /// Advisory violations (warn only).
    pub advisory: usize,
    /// Violations covered by an exemption.
    pub exempted: usize,
    /// Findings recorded in the baseline.
    pub baselined: usize,
    /// Findings below `fail_on_severity`.
    pub below_severity: usize,
    /// Mandatory violations under `--fail-on never`.
    pub fail_on_never: usize,
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
    /// Required by the policy service's groups for the stack (absent for local policies;
    /// added within v1).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub central: bool,
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
    /// From a policy the policy service requires (absent for local policies; added within v1).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub central: bool,
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
    /// Where the program's source writes it (the `.tf` line of the property, or Pulumi's
    /// registration), when known; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceEntry<'a>>,
}

/// A place in the program's source.
#[derive(Debug, Serialize)]
pub struct SourceEntry<'a> {
    /// The file, from the repository root when the run knows it (see
    /// [`Context::workspace`]), else as the input mapped it (relative to the working directory
    /// when below it).
    pub file: std::borrow::Cow<'a, str>,
    /// The 1-based line.
    pub line: usize,
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
    /// Where source files are named from (see [`Context::repo_path`]).
    workspace: Option<&'r crate::Workspace>,
    /// Serialize as `null`: [`write`] renders the findings itself, on all cores.
    placeholder: bool,
}

impl<'r, 'a> Findings<'r, 'a> {
    /// The findings of these runs exactly as the report writes them, without the rest of the
    /// report (for a caller that needs only them, such as the Pulumi plugin's run upload).
    pub fn of(runs: &'r [Run<'a>], workspace: Option<&'r crate::Workspace>) -> Self {
        Findings {
            runs,
            workspace,
            placeholder: false,
        }
    }

    /// Every finding, in report order.
    pub fn iter(&self) -> impl Iterator<Item = Finding<'r>> + 'r {
        let workspace = self.workspace;
        self.runs.iter().flat_map(move |run| {
            run.evaluation
                .outcomes
                .iter()
                .filter_map(move |o| finding(run, o, workspace))
        })
    }
}

/// The finding of an outcome; `None` for passes and not-applicable outcomes (only counted).
fn finding<'r>(
    run: &'r Run<'_>,
    o: &'r Outcome,
    workspace: Option<&crate::Workspace>,
) -> Option<Finding<'r>> {
    if matches!(o.kind, OutcomeKind::Pass | OutcomeKind::NotApplicable) {
        return None;
    }
    let eval = run.evaluation;
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
        central: p.central,
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
        source: Some(crate::place(run.stack, o))
            .filter(|place| place.in_source)
            .and_then(|place| {
                let ctx = Context {
                    workspace,
                    ..Context::default()
                };
                Some(SourceEntry {
                    file: ctx.repo_path(place.file),
                    line: place.line?,
                })
            }),
    })
}

impl Serialize for Findings<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.placeholder {
            return serializer.serialize_unit();
        }
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
                central: p.central,
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
    let exempted = summary.suppressed;
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
        findings: Findings {
            runs,
            workspace: ctx.workspace,
            placeholder: false,
        },
        remediations,
        exemptions,
        exemption_summary: ExemptionSummary {
            used: status.used,
            unused: status.unused,
            expired: status.expired,
        },
        verdict: VerdictEntry {
            line: crate::Verdict::of(runs, &ctx).line(),
            not_blocking: NotBlocking {
                advisory: ctx.lenient.advisory,
                exempted,
                baselined: ctx.lenient.baselined,
                below_severity: ctx.lenient.below_severity,
                fail_on_never: ctx.lenient.fail_on_never,
            },
        },
        notices: ctx.notices,
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
/// produced: the findings (hundreds of thousands on a large plan) are rendered on all cores a
/// few thousand at a time and never all held in memory. The bytes are those of serializing
/// [`report`] with `serde_json`'s pretty printer. Pass a buffered writer.
pub fn write(runs: &[Run<'_>], ctx: Context<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut model = report(runs, ctx);
    model.findings.placeholder = true;
    let text = serde_json::to_vec_pretty(&model).map_err(std::io::Error::from)?;
    // A string cannot hold a raw newline, so this is the top-level key and nothing else.
    const SLOT: &[u8] = b"\n  \"findings\": null";
    let at = text
        .windows(SLOT.len())
        .position(|w| w == SLOT)
        .ok_or_else(|| std::io::Error::other("the report has no findings slot"))?;
    let (head, rest) = text.split_at(at + SLOT.len() - "null".len());
    out.write_all(head)?;
    write_findings(runs, ctx.workspace, out)?;
    out.write_all(rest.get("null".len()..).unwrap_or_default())?;
    out.write_all(b"\n")
}

/// The findings array as the pretty printer writes it two levels deep: `[`, each finding on
/// its own lines indented by four spaces, `]` indented by two (`[]` when there are none).
fn write_findings(
    runs: &[Run<'_>],
    workspace: Option<&crate::Workspace>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    /// Findings gathered before rendering, and rendered into one buffer per piece.
    const CHUNK: usize = 4096;
    const PIECE: usize = 128;
    let mut first = true;
    let mut chunk: Vec<(&Run<'_>, &Outcome)> = Vec::with_capacity(CHUNK);
    let mut flush = |chunk: &mut Vec<(&Run<'_>, &Outcome)>, out: &mut dyn Write| {
        let pieces: Vec<Result<Vec<u8>, serde_json::Error>> = chunk
            .par_chunks(PIECE)
            .map(|piece| {
                let mut buf = Vec::with_capacity(piece.len() * 768);
                for (i, f) in piece
                    .iter()
                    .filter_map(|(run, o)| finding(run, o, workspace))
                    .enumerate()
                {
                    if i > 0 {
                        buf.extend_from_slice(b",\n    ");
                    }
                    let mut ser = serde_json::Serializer::with_formatter(&mut buf, Nested::new(2));
                    f.serialize(&mut ser)?;
                }
                Ok(buf)
            })
            .collect();
        chunk.clear();
        for piece in pieces {
            let piece = piece.map_err(std::io::Error::from)?;
            if piece.is_empty() {
                continue;
            }
            out.write_all(if first { b"[\n    " } else { b",\n    " })?;
            out.write_all(&piece)?;
            first = false;
        }
        Ok::<(), std::io::Error>(())
    };
    for run in runs {
        for o in &run.evaluation.outcomes {
            if matches!(o.kind, OutcomeKind::Pass | OutcomeKind::NotApplicable) {
                continue;
            }
            chunk.push((run, o));
            if chunk.len() == CHUNK {
                flush(&mut chunk, out)?;
            }
        }
    }
    flush(&mut chunk, out)?;
    out.write_all(if first { b"[]" } else { b"\n  ]" })
}

/// `serde_json`'s pretty layout (two spaces a level, `": "` after keys, `{}` and `[]` when
/// empty) for a value that starts `level` levels deep, so that a finding rendered on its own
/// lands in the report with the indentation the whole report would give it.
struct Nested {
    level: usize,
    has_value: bool,
}

impl Nested {
    fn new(level: usize) -> Self {
        Nested {
            level,
            has_value: false,
        }
    }

    fn newline<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        for _ in 0..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            for _ in 0..self.level {
                w.write_all(b"  ")?;
            }
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use guardrail_core::policy::{
        FixSafety, Found, PolicyKind, ResourceView, StackFinding, StackView, Verdict, Violation,
    };
    use guardrail_core::{
        evaluate, Evaluation, EvaluationOptions, Halt, Pack, Policy, PolicyMeta, Resource,
        Spelling, Stack, Value,
    };

    use super::*;

    /// Flags every bucket whose number is odd, twice when it is a multiple of 3, with a message
    /// that needs escaping.
    struct Odd(PolicyMeta);

    impl Policy for Odd {
        fn meta(&self) -> &PolicyMeta {
            &self.0
        }
        fn validate_resource(
            &self,
            view: ResourceView<'_>,
            _config: &serde_json::Value,
        ) -> Result<Verdict, Halt> {
            let n: usize = view
                .resource
                .name
                .trim_start_matches('b')
                .parse()
                .unwrap_or(0);
            if n.is_multiple_of(2) {
                return Ok(Verdict::Pass);
            }
            let mut found = vec![Violation::new(format!("bucket \"{n}\"\tis odd ✗"))];
            if n.is_multiple_of(3) {
                found.push(Violation {
                    message: "and a multiple of 3".into(),
                    path: Some("tags.n".into()),
                });
            }
            Ok(Verdict::Violations(found))
        }
    }

    /// A stack policy with one finding about the whole stack and one about its first resource.
    struct Whole(PolicyMeta);

    impl Policy for Whole {
        fn meta(&self) -> &PolicyMeta {
            &self.0
        }
        fn validate_stack(
            &self,
            view: StackView<'_>,
            _config: &serde_json::Value,
        ) -> Result<Vec<StackFinding>, Halt> {
            let first = view.resources().next().map(|r| r.resource.id.clone());
            Ok(vec![
                StackFinding::stack_violation(Violation::new("the stack has {} and [] in it")),
                StackFinding {
                    resource: first,
                    found: Found::Violation(Violation::new("first")),
                },
            ])
        }
    }

    fn evaluated(resources: usize) -> (Stack, Evaluation) {
        let meta = PolicyMeta {
            id: "T-001".into(),
            name: "odd".into(),
            title: "Odd".into(),
            description: String::new(),
            severity: Severity::High,
            enforcement: Enforcement::Mandatory,
            kind: PolicyKind::Resource,
            vendor: "test".into(),
            services: vec![],
            topics: vec![],
            frameworks: vec![],
            resource_types: vec![],
            remediation: "make it even".into(),
            fix: FixSafety::None,
            config_schema: None,
        };
        let stack = Stack {
            source: "plan \"x\".json".into(),
            format: "terraform-plan".into(),
            resources: (0..resources)
                .map(|i| {
                    let mut r = Resource::new(
                        format!("aws_s3_bucket.b{i}"),
                        "aws_s3_bucket",
                        Spelling::Terraform,
                        Value::Null,
                    );
                    r.line = Some(i + 1);
                    r
                })
                .collect(),
            ..Stack::default()
        };
        let pack = Pack {
            central: false,
            name: "test".into(),
            version: None,
            enforcement: None,
            policies: vec![
                Arc::new(Whole(PolicyMeta {
                    id: "T-002".into(),
                    kind: PolicyKind::Stack,
                    ..meta.clone()
                })),
                Arc::new(Odd(meta)),
            ],
        };
        let evaluation = evaluate(&[pack], &stack, &EvaluationOptions::default());
        (stack, evaluation)
    }

    #[test]
    fn written_report_is_the_pretty_printed_model() {
        // none, a few, and more findings than one rendering chunk holds
        for resources in [0, 1, 2, 7, 12_000] {
            let (stack, evaluation) = evaluated(resources);
            let runs = [Run {
                stack: &stack,
                evaluation: &evaluation,
            }];
            let ctx = Context::default();
            let mut written = Vec::new();
            write(&runs, ctx, &mut written).unwrap();
            let mut expected = serde_json::to_string_pretty(&report(&runs, ctx)).unwrap();
            expected.push('\n');
            assert_eq!(String::from_utf8(written).unwrap(), expected, "{resources}");
            assert_eq!(render(&runs, ctx), expected);
            let parsed: serde_json::Value = serde_json::from_str(&expected).unwrap();
            let odd = resources / 2;
            let multiples_of_3 = (0..resources).filter(|n| n % 2 == 1 && n % 3 == 0).count();
            let from_stack = 2; // one about the stack, one about its first resource (or the stack)
            assert_eq!(
                parsed["findings"].as_array().map(Vec::len),
                Some(odd + multiples_of_3 + from_stack)
            );
        }
    }
}
